/* estimate_html.c — estimates.html: one self-contained page (inline CSS and
 * SVG, nothing fetched), Chinese and English side by side, that prints on
 * A4: per county its decision and confidence, the households sampled,
 * found, replaced and missing, and each estimate with its 95 % interval
 * drawn against its threshold.  No household id, name or resident ID. */
#define _POSIX_C_SOURCE 200809L
#include "field_estimate.h"
#include "html.h"

#include <stdio.h>
#include <string.h>

static const char *const zh_names[FE_NMEASURES] = { "错退率", "漏评率", "贫困发生率", "群众认可度", "数字脱贫率" };
static const char *const en_names[FE_NMEASURES] = { "wrong-exit rate", "missed rate", "incidence", "satisfaction",
                                                    "paper-exit rate" };

static void pct(FILE *o, long double v)
{
    fprintf(o, "%.2Lf%%", v * 100.0L);
}

/* The interval [lo, hi] and the estimate on a scale from 0 to top, the
 * threshold (t < 0: none) as a red line. */
static void bar(FILE *o, const fr_result *r, long double t)
{
    const double W = 300, L = 10;
    long double top = r->hi > t ? r->hi : t, lo = r->lo < 0 ? 0 : r->lo, hi = r->hi > 1 ? 1 : r->hi;
    top = top * 1.2L;
    if (top > 1) top = 1;
    if (top <= 0) top = 0.05L;
#define X(v) (L + W * (double)((v) / top))
    fprintf(o, "<svg width=\"%.0f\" height=\"26\" viewBox=\"0 0 %.0f 26\" role=\"img\">", W + 2 * L, W + 2 * L);
    fprintf(o, "<line x1=\"%.1f\" y1=\"20\" x2=\"%.1f\" y2=\"20\" stroke=\"#999\"/>", L, L + W);
    fprintf(o, "<text x=\"%.1f\" y=\"26\" font-size=\"7\">0</text>", L);
    fprintf(o, "<text x=\"%.1f\" y=\"26\" font-size=\"7\" text-anchor=\"end\">%.1Lf%%</text>", L + W, top * 100);
    if (t >= 0)
        fprintf(o, "<line x1=\"%.1f\" y1=\"2\" x2=\"%.1f\" y2=\"22\" stroke=\"#c00\" stroke-dasharray=\"3,2\"/>",
                X(t), X(t));
    fprintf(o, "<line x1=\"%.1f\" y1=\"11\" x2=\"%.1f\" y2=\"11\" stroke=\"#036\" stroke-width=\"3\"/>",
            X(lo), X(hi));
    fprintf(o, "<circle cx=\"%.1f\" cy=\"11\" r=\"4\" fill=\"#036\"/>", X(r->r > 1 ? 1 : r->r));
#undef X
    fputs("</svg>", o);
}

void fe_write_html(const fe_state *s, FILE *o)
{
    const fd_frame *f = s->f;
    size_t ci;
    int k;
    fputs("<!DOCTYPE html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\">\n"
          "<title>抽样核查估计 Field verification estimates</title>\n<style>\n"
          "body{font-family:sans-serif;margin:1.5em;color:#111}h1{font-size:1.4em}h2{font-size:1.1em;"
          "margin-top:1.6em;border-bottom:1px solid #ccc}table{border-collapse:collapse;margin:.4em 0}"
          "td,th{border:1px solid #ccc;padding:2px 6px;font-size:.85em;text-align:right}th{background:#eee}"
          "td.l,th.l{text-align:left}.fails{color:#b00;font-weight:bold}.meets{color:#070;font-weight:bold}"
          ".incomplete{color:#a60;font-weight:bold}.note{font-size:.85em;color:#444}"
          "section{page-break-inside:avoid}@media print{body{margin:0}h2{page-break-after:avoid}}\n"
          "</style></head><body>\n<h1>抽样核查估计 Field verification estimates</h1>\n<p class=\"note\">", o);
    fprintf(o, "季度 quarter %s · 抽样框 SHA-256 frame %.16s… · ", f->quarter, f->sha256);
    fprintf(o, "种子 seed %llu · 每县抽村 villages per county %u · 每村每类抽户 households per domain %u<br>",
            (unsigned long long)s->d->p.seed, (unsigned)s->d->p.villages_per_county,
            (unsigned)s->d->p.households_per_domain);
    fputs("估计为比率估计，标准误按线性化方法计算（以村为初级抽样单位，含第一阶段有限总体校正）；"
          "区间为估计值 ± 1.959964 × 标准误；红色虚线为第 5 节的门槛。"
          " Ratio estimates; standard errors by linearisation (villages as primary units, stage-1 finite "
          "population correction); intervals are the estimate ± 1.959964 × SE; the red dashed line is the "
          "threshold of standard §5.", o);
    if (s->not_sampled)
        fprintf(o, "<br>非样本户（已拒收 NOT_SAMPLED）not in the sample (rejected): %zu", s->not_sampled);
    fputs("</p>\n", o);
    for (ci = 0; ci < s->d->ncounties; ci++) {
        const fe_county *fc = &s->counties[ci];
        const char *dz = !strcmp(fc->decision, "fails") ? "不达标" : !strcmp(fc->decision, "meets") ? "达标" : "样本不全";
        fprintf(o, "<section>\n<h2>县 County %s — <span class=\"%s\">%s %s</span> · %s</h2>\n", s->d->counties[ci].code,
                fc->decision, dz, fc->decision,
                fc->clear ? "结论明确 clear" : "接近门槛 near_threshold");
        fprintf(o, "<p class=\"note\">抽中村 villages %u / %u · 样本户 sampled %zu · 实地核查 found %zu · "
                "替补 replaced %zu · <b>缺失 missing %zu</b> · 人数或县变动 members or county changed %zu",
                (unsigned)s->d->counties[ci].m, (unsigned)s->d->counties[ci].M, fc->sampled, fc->found,
                fc->replaced, fc->missing, fc->flagged);
        if (fc->reasons[0]) {
            fputs(" · 原因 reasons: ", o);
            html_esc(o, fc->reasons);
        }
        fputs("</p>\n<table><tr><th class=\"l\">指标 measure</th><th>估计 estimate</th><th>标准误 SE</th>"
              "<th>95% 区间 interval</th><th>门槛 threshold</th><th>户数 households</th><th class=\"l\"></th></tr>\n", o);
        for (k = 0; k < FE_NMEASURES; k++) {
            const fr_result *r = &fc->r[k];
            long double t = k == FE_INCIDENCE ? (fc->western ? f->incidence_max_western : f->incidence_max)
                          : k == FE_WRONG_EXIT ? f->wrong_exit_max : k == FE_MISSED ? f->missed_max
                          : k == FE_SATISFACTION ? f->satisfaction_min : -1000000;
            t /= 1000000.0L;
            fprintf(o, "<tr><td class=\"l\">%s %s</td>", zh_names[k], en_names[k]);
            if (!r->defined) {
                fputs("<td colspan=\"3\">—（无样本 no households in the domain）</td>", o);
            } else {
                fputs("<td>", o); pct(o, r->r);
                fputs("</td><td>", o); pct(o, r->se);
                fputs("</td><td>", o); pct(o, r->lo); fputs(" – ", o); pct(o, r->hi);
                fputs("</td>", o);
            }
            fputs("<td>", o);
            if (t >= 0) fprintf(o, "%s ", k == FE_SATISFACTION ? "≥" : "<"), pct(o, t);
            fprintf(o, "</td><td>%zu</td><td class=\"l\">", fc->households[k]);
            if (r->defined) bar(o, r, t);
            fputs("</td></tr>\n", o);
        }
        fputs("</table>\n</section>\n", o);
    }
    fputs("</body></html>\n", o);
}
