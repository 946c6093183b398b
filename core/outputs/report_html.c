/* report_html.c — report.html: one self-contained page for officials, in
 * Chinese with English available (both texts are in the file; a button flips
 * the page's lang attribute and CSS hides the other language).  County
 * decisions first, then inline SVG charts and tables by region.  Only region
 * codes, counts, rates, stage names and finding codes appear: no names, no
 * ID numbers, no household ids. */
#include "agg_internal.h"
#include "rnames.h"
#include "region_outputs.h"
#include "output.h"
#include "i18n.h"
#include "rcount.h"
#include "roster.h"
#include "html.h"

#include <stdlib.h>
#include <errno.h>
#include <string.h>
#include <time.h>

typedef unsigned __int128 u128;

#define MAX_TABLE_ROWS 5000   /* a level with more regions is left to summary.csv */

/* The tables' header rows ("t": a text column). */
static const html_col county_cols[] = {
    { "t", "县代码", "County" }, { "t", "西部", "Western" }, { NULL, "人数", "Persons" },
    { NULL, "评估后贫困人口", "Poor after" }, { NULL, "贫困发生率", "Incidence" },
    { NULL, "错退率", "Wrong-exit rate" }, { NULL, "漏评率", "Missed rate" },
    { NULL, "群众认可度", "Satisfaction" }, { "t", "判定", "Decision" }, { "t", "原因", "Reasons" },
};
static const html_col failure_cols[] = {
    { "t", "环节", "Stage" }, { "t", "问题代码", "Finding code" }, { "t", "说明", "Description" },
    { NULL, "户数", "Households" },
    { NULL, "人数", "Persons" }, { NULL, "问题条数", "Findings" },
};
static const html_col assessment_cols[] = {
    { "t", "评估结论", "Assessment" }, { NULL, "户数", "Households" }, { NULL, "人数", "Persons" },
};
static const html_col af_cols[] = { { "t", "地区", "Region" }, { NULL, "人数", "Persons" } };
static const html_col quality_cols[] = {
    { "t", "县代码", "County" }, { NULL, "名次", "Rank" }, { "t", "村代码", "Village" },
    { NULL, "户数", "Households" }, { NULL, "综合得分", "Score" }, { "t", "原因", "Reasons" },
};
/* beside the code, when the names table names some region of the table */
static const html_col name_col[] = { { "t", "名称", "Name" } };
static const html_col region_cols[] = {
    { "t", "代码", "Code" }, { NULL, "户数", "Households" }, { NULL, "人数", "Persons" },
    { NULL, "贫困户", "Poor" }, { NULL, "脱贫户", "Exited" }, { NULL, "一般户", "General" },
    { NULL, "可以脱贫", "Can exit" }, { NULL, "仍未脱贫", "Remains poor" },
    { NULL, "错退", "Wrongly exited" }, { NULL, "漏评", "Missed" },
    { NULL, "贫困发生率", "Incidence" }, { NULL, "错退率", "Wrong-exit rate" },
    { NULL, "漏评率", "Missed rate" }, { NULL, "群众认可度", "Satisfaction" },
};

static void svg_text(FILE *f, double x, double y, const char *anchor, const char *cls,
                     const char *zh, const char *en)
{
    if (!en || !strcmp(zh, en)) {
        fprintf(f, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\" class=\"%s\">", x, y, anchor, cls);
        html_esc(f, zh);
        fputs("</text>", f);
        return;
    }
    fprintf(f, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\" class=\"zh %s\">", x, y, anchor, cls);
    html_esc(f, zh);
    fprintf(f, "</text><text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\" class=\"en %s\">", x, y, anchor, cls);
    html_esc(f, en);
    fputs("</text>", f);
}

/* Whether the names table names some region of levels lo..hi: a table
 * shows its Name column only then (an empty column only narrows the others
 * on paper). */
static int any_name(const agg *a, int lo, int hi)
{
    size_t i;
    for (i = 0; i < a->nr; i++)
        if (a->r[i].level >= lo && a->r[i].level <= hi && a->r[i].level != AGG_NATIONAL
            && agg_region_name(a, &a->r[i], 0))
            return 1;
    return 0;
}

/* The header row: the code column, the Name column when shown, the rest. */
static void head_with_name(FILE *f, const html_col *cols, size_t n, int named)
{
    html_head(f, cols, 1);
    if (named) html_head(f, name_col, 1);
    html_head(f, cols + 1, n - 1);
}

/* The region's name cell in both languages (the Chinese one where the
 * table has no English one), empty when unknown (issue 17.8); nothing when
 * the table shows no Name column. */
static void region_name(FILE *f, const agg *a, const agg_region *r, int named)
{
    const char *zh = r->level == AGG_NATIONAL ? NULL : agg_region_name(a, r, 0);
    if (!named) return;
    fputs("</td><td class=\"t\">", f);
    if (zh) html_tr(f, zh, agg_region_name(a, r, 1));
}

/* The whole run's label: 全国 / All when it covers several provinces, the
 * province's name (or code) when only one (issue 17.8). */
static void whole_run(const agg *a, const char **zh, const char **en)
{
    const agg_region *p = agg_only_province(a);
    *zh = "全国";
    *en = "All";
    if (p) {
        const char *n = rnames_get(a->names, p->code, 0);
        *zh = n ? n : p->code;
        *en = n ? rnames_get(a->names, p->code, 1) : p->code;
    }
}

/* A rate as a percentage with 2 decimals (the 4-decimal rounding of the CSV
 * files, so that every output shows the same figure); "–" when undefined. */
static void pct(char *buf, u128 x, u128 y)
{
    int64_t v = agg_rate_e4(x, y);
    if (v < 0) snprintf(buf, 32, "–");
    else snprintf(buf, 32, "%lld.%02lld%%", (long long)(v / 100), (long long)(v % 100));
}

/* A ratio with 4 decimals (M0 is an index, not a percentage); "–" when undefined. */
static void dec4(char *buf, u128 x, u128 y)
{
    int64_t v = agg_rate_e4(x, y);
    if (v < 0) snprintf(buf, 32, "–");
    else snprintf(buf, 32, "%lld.%04lld", (long long)(v / 10000), (long long)(v % 10000));
}

static double ratio(u128 x, u128 y) { return y ? (double)x / (double)y : 0.0; }

/* The title stage i declared (tp_stage.title, or .title_zh when zh), or
 * NULL: m's stages are a's when their names agree. */
static const char *stage_title(const agg *a, const run_meta *m, size_t i, int zh)
{
    const char *const *t = m ? (zh ? m->stage_titles_zh : m->stage_titles) : NULL;
    if (!t || i >= m->nstages || i >= a->nstages || strcmp(a->stage_names[i], m->stage_names[i])) return NULL;
    return t[i];
}

/* The English label of stage i: the title it declared, else its name. */
static const char *stage_en(const agg *a, const run_meta *m, size_t i)
{
    const char *t = stage_title(a, m, i, 0);
    return t ? t : a->stage_names[i];
}

/* The Chinese label of stage i: the Chinese title it declared, else its
 * dimension's name (standard §6), else its English label. */
static const char *stage_zh(const agg *a, const run_meta *m, size_t i)
{
    const char *t = stage_title(a, m, i, 1);
    if (t) return t;
    if (a->stage_dim[i] >= 0) return agg_dim_zh[a->stage_dim[i]];
    return stage_en(a, m, i);
}

static const char css[] =
    "html[lang=en] .zh,html[lang=zh-CN] .en{display:none}\n"
    "body{font-family:system-ui,-apple-system,\"Noto Sans CJK SC\",\"Microsoft YaHei\",sans-serif;"
    "margin:0 auto;max-width:1100px;padding:1em 1.5em;color:#222;line-height:1.45}\n"
    "h1{font-size:1.6em;margin:.2em 0}h2{font-size:1.25em;border-bottom:2px solid #c0392b;"
    "padding-bottom:.2em;margin-top:1.6em}h3{font-size:1.05em}\n"
    "table{border-collapse:collapse;margin:.5em 0 1em;font-size:.88em}\n"
    "th,td{border:1px solid #ccc;padding:.2em .5em;text-align:right}\n"
    "th{background:#f3f3f3}td.t,th.t{text-align:left}\n"
    ".meets{background:#e3f4e6}.fails{background:#fbe3e1}.incomplete{background:#fff4d6}\n"
    ".cards{display:flex;gap:1em;flex-wrap:wrap}.card{border:1px solid #ccc;border-radius:6px;"
    "padding:.5em 1em;min-width:9em}.card b{font-size:1.6em;display:block}\n"
    "#lang-toggle{float:right;font-size:1em;padding:.3em .8em;cursor:pointer}\n"
    "svg{font-size:11px;max-width:100%;height:auto}svg.chart{width:100%}svg .lbl{fill:#333}svg .val{fill:#333}\n"
    "svg .axis{stroke:#999;stroke-width:1}svg .thr{stroke:#000;stroke-width:2}\n"
    "svg .val.on-dark{fill:#fff}svg .val.alarm{fill:#222;font-weight:bold}\n"
    ".below-standard{border:2px solid #c0392b;background:#fbe3e1;padding:.5em 1em}\n"
    ".note{color:#555;font-size:.9em}.scroll{max-height:32em;overflow:auto}\n"
    /* words and codes never break per character: Chinese words wrap only
     * between words (keep-all), decisions and codes not at all */
    "th{word-break:keep-all}#county-table td{white-space:nowrap}#county-table td.why{white-space:normal;"
    "word-break:keep-all;min-width:12em}\n"
    "thead th{position:sticky;top:0}\n"
    /* printing (A4): every row of every table, headers repeated on each
     * page, no row split across pages, no button, colours kept */
    "@page{size:A4;margin:12mm 10mm}\n"
    ".print-only{display:none}\n"
    "@media print{#lang-toggle,.screen-only{display:none}.print-only{display:block}"
    "body{max-width:none;padding:0;font-size:10pt;-webkit-print-color-adjust:exact;print-color-adjust:exact}"
    ".scroll{max-height:none;overflow:visible}table{font-size:7.5pt;width:100%}th,td{padding:1px 3px}"
    "thead{display:table-header-group}thead th{position:static}tr,figure,.card{break-inside:avoid;page-break-inside:avoid}"
    "h2,h3,figcaption{break-after:avoid;page-break-after:avoid}svg{width:100%;height:auto}"
    "td.why{min-width:0}}\n";

static const char *const dim_colors[AGG_NDIMS] = {
    "#c0392b", "#e67e22", "#2980b9", "#16a085", "#8e44ad", "#2c3e50"
};

/* ---- sections -------------------------------------------------------------------- */

static void run_info(FILE *f, const agg *a, const run_meta *m)
{
    char buf[64];
    size_t i;
    fputs("<table class=\"meta\">", f);
    if (m) {
        const char *in = m->input_path ? strrchr(m->input_path, '/') : NULL;
        fputs("<tr><th class=\"t\">", f); html_tr(f, "评估季度", "Quarter"); fputs("</th><td class=\"t\">", f);
        html_esc(f, m->quarter); fputs(" (", f); html_esc(f, m->as_of); fputs(")</td></tr>\n", f);
        fputs("<tr><th class=\"t\">", f); html_tr(f, "输入文件", "Input file"); fputs("</th><td class=\"t\">", f);
        html_esc(f, in ? in + 1 : m->input_path);
        fprintf(f, " (%llu ", m->input_bytes);
        html_tr(f, "字节", "bytes");
        fputs(", SHA-256 ", f);
        html_esc(f, m->input_sha256);
        fputs(")</td></tr>\n", f);
        fputs("<tr><th class=\"t\">", f); html_tr(f, "读取行数", "Rows read"); fputs("</th><td class=\"t\">", f);
        fprintf(f, "%llu = %llu ", m->rows_read, m->rows_evaluated);
        html_tr(f, "行已评估", "rows evaluated");
        fprintf(f, " + %llu ", m->rows_rejected);
        html_tr(f, "行拒收", "rows rejected");
        fputs("</td></tr>\n", f);
        fputs("<tr><th class=\"t\">", f); html_tr(f, "环节", "Stages"); fputs("</th><td class=\"t\">", f);
        for (i = 0; i < m->nstages; i++) {
            if (i) fputs(", ", f);
            if (i < a->nstages && !strcmp(a->stage_names[i], m->stage_names[i]))
                html_tr(f, stage_zh(a, m, i), stage_en(a, m, i));
            else
                html_esc(f, m->stage_names[i]);
            if (m->stage_versions && m->stage_versions[i]) { putc(' ', f); html_esc(f, m->stage_versions[i]); }
        }
        fputs("</td></tr>\n", f);
        if (m->finished) {
            struct tm tmv;
            gmtime_r(&m->finished, &tmv);
            strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%S UTC", &tmv);
            fputs("<tr><th class=\"t\">", f); html_tr(f, "生成时间", "Produced"); fputs("</th><td class=\"t\">", f);
            html_esc(f, buf);
            fputs(" · tuopin ", f);
            html_esc(f, m->tuopin_version);
            fputs("</td></tr>\n", f);
        }
    }
    if (m && m->income_line) {
        const char *o = m->income_line_origin ? m->income_line_origin : "";
        fputs("<tr><th class=\"t\">", f); html_tr(f, "收入标准", "Income line"); fputs("</th><td class=\"t\" id=\"income-line\">", f);
        html_esc(f, m->income_line);
        fputs(" ", f);
        html_tr(f, "元/人·年（", "yuan a person a year (");
        if (!strcmp(o, "national table")) html_tr(f, "国家标准表 national-lines.csv", "national table, national-lines.csv");
        else if (!strcmp(o, "pipeline params")) html_tr(f, "流水线 params", "the pipeline's params");
        else if (!strcmp(o, "--param")) html_tr(f, "命令行 --param", "command line --param");
        else if (!strncmp(o, "script ", 7)) { html_tr(f, "省定规则脚本 ", "rule script "); html_esc(f, o + 7); }
        else html_esc(f, o);
        html_tr(f, "）", ")");
        fputs("</td></tr>\n", f);
    }
    fputs("<tr><th class=\"t\">", f); html_tr(f, "县级退出标准", "County thresholds"); fputs("</th><td class=\"t\">", f);
    {
        char t1[32], t2[32], t3[32], t4[32], t5[32];
        pct(t1, (u128)(uint64_t)a->incidence_max, 1000000u);
        pct(t2, (u128)(uint64_t)a->incidence_max_western, 1000000u);
        pct(t3, (u128)(uint64_t)a->wrong_exit_max, 1000000u);
        pct(t4, (u128)(uint64_t)a->missed_max, 1000000u);
        pct(t5, (u128)(uint64_t)a->satisfaction_min, 1000000u);
        fprintf(f, "<span class=\"zh\">贫困发生率 &lt; %s（西部 &lt; %s），错退率 &lt; %s，漏评率 &lt; %s，"
                "群众认可度 ≥ %s</span><span class=\"en\">incidence &lt; %s (western &lt; %s), wrong-exit "
                "rate &lt; %s, missed rate &lt; %s, satisfaction ≥ %s</span>",
                t1, t2, t3, t4, t5, t1, t2, t3, t4, t5);
    }
    fputs("</td></tr>\n", f);
    fputs("</table>\n", f);
}

static void county_section(FILE *f, const agg *a, const size_t *order)
{
    size_t i, n[3] = { 0, 0, 0 };
    int k, named;
    agg_county c;
    const agg_region *r;
    char b1[32], b2[32], b3[32], b4[32];
    for (i = 0; agg_next_county(a, order, &i, &c);) n[c.decision]++;
    fputs("<section id=\"counties\"><h2>", f);
    html_tr(f, "一、县级退出判定", "1. County exit decisions");
    fputs("</h2>\n<div class=\"cards\">", f);
    for (k = 0; k < 3; k++) {
        static const int ord[3] = { AGG_MEETS, AGG_FAILS, AGG_INCOMPLETE };
        fprintf(f, "<div class=\"card %s\"><b>%zu</b>", agg_decision_names[ord[k]], n[ord[k]]);
        html_tr(f, agg_decision_zh[ord[k]], agg_decision_names[ord[k]]);
        fputs("</div>", f);
    }
    fputs("</div>\n<div class=\"scroll\"><table id=\"county-table\"><thead><tr>", f);
    named = any_name(a, AGG_COUNTY, AGG_COUNTY);
    head_with_name(f, county_cols, sizeof county_cols / sizeof county_cols[0], named);
    fputs("</tr></thead><tbody>\n", f);
    for (i = 0; (r = agg_next_county(a, order, &i, &c));) {
        int first = 1;
        pct(b1, c.poor_after, c.persons);
        pct(b2, c.wrongly_exited, c.exited);
        pct(b3, c.missed, c.general);
        pct(b4, c.sat_yes, c.sat_answered);
        fprintf(f, "<tr class=\"%s\"><td class=\"t\">", agg_decision_names[c.decision]);
        html_esc(f, r->code);
        region_name(f, a, r, named);
        fputs("</td><td class=\"t\">", f);
        html_tr(f, c.western ? "是" : "否", c.western ? "yes" : "no");
        fprintf(f, "</td><td>%llu</td><td>%llu</td><td>%s</td><td>%s</td><td>%s</td><td>%s</td><td class=\"t\">",
                (unsigned long long)c.persons, (unsigned long long)c.poor_after, b1, b2, b3, b4);
        html_tr(f, agg_decision_zh[c.decision], agg_decision_names[c.decision]);
        fputs("</td><td class=\"t why\">", f);
        for (k = 0; k < AGG_NREASONS; k++)
            if (c.reasons & (1u << k)) {
                if (!first) fputs("; ", f);
                html_tr(f, agg_reason_zh[k], agg_reason_names[k]);
                first = 0;
            }
        fputs("</td></tr>\n", f);
    }
    fputs("</tbody></table></div></section>\n", f);
}

/* Department rosters (standard §8): per county, the persons each roster
 * matched and did not, the findings of each kind and the households whose
 * verdict a roster changed, those counties first; then the roster rows not
 * used, by kind and code.  Counts only. */
static int roster_section(FILE *f, const agg *a)
{
    static const char *const kind_zh[TP_ROSTER_KINDS] = { "户籍", "医保", "学籍", "住房", "财产" };
    static const html_col roster_kind_cols[] = {
        { NULL, "比对上", "matched" }, { NULL, "未比对上", "unmatched" }, { NULL, "发现项", "findings" }
    };
    const rc_county *c;
    size_t n, i, *idx, j;
    uint64_t changed = 0, persons = 0;
    int k;
    if (!a->rosters) return 0;
    c = rc_counties(a->rosters, &n);
    if (!(idx = rc_changed_first(a->rosters, &n))) return -1;
    for (i = 0; i < n; i++) {
        changed += c[i].changed;
        persons += c[i].changed_persons;
    }
    fputs("<section id=\"rosters\"><h2>", f);
    html_tr(f, "六、部门数据比对", "6. Department rosters");
    fputs("</h2>\n<p class=\"note\">", f);
    html_tr(f, "建档立卡与公安户籍、医保参保、学籍、住建房屋鉴定和财产信息逐人按身份证号比对（标准 §8）。"
          "“比对改变判定”的户：只因部门名单比对未通过而不具备退出条件的户。",
       "The registry compared person by person, by resident ID, with the hukou register, medical "
       "insurance, school rolls, housing appraisals and asset records (standard §8). Households whose "
       "verdict a roster changed: not exit-ready only because of a roster check.");
    fprintf(f, "</p>\n<div class=\"cards\"><div class=\"card fails\"><b>%llu</b>", (unsigned long long)changed);
    html_tr(f, "户判定因比对改变", "households whose verdict a roster changed");
    fprintf(f, "</div><div class=\"card\"><b>%llu</b>", (unsigned long long)persons);
    html_tr(f, "人（这些户的人口）", "persons in them");
    fputs("</div></div>\n<div class=\"scroll\"><table id=\"roster-table\"><thead><tr>"
          "<th class=\"t\" rowspan=\"2\">", f);
    html_tr(f, "县代码", "County");
    fputs("</th><th rowspan=\"2\">", f);
    html_tr(f, "比对改变判定的户", "Households changed");
    fputs("</th>", f);
    for (k = 0; k < TP_ROSTER_KINDS; k++) html_tag(f, "<th colspan=\"3\">", kind_zh[k], rc_kind_name(k), "</th>");
    fputs("</tr><tr>", f);
    for (k = 0; k < TP_ROSTER_KINDS; k++) html_head(f, HTML_COLS(roster_kind_cols));
    fputs("</tr></thead><tbody>\n", f);
    for (j = 0; j < n && j < MAX_TABLE_ROWS; j++) {
        const rc_county *r = &c[idx[j]];
        fputs("<tr><td class=\"t\">", f);
        html_esc(f, r->code);
        fprintf(f, "</td><td>%llu</td>", (unsigned long long)r->changed);
        for (k = 0; k < TP_ROSTER_KINDS; k++)
            fprintf(f, "<td>%llu</td><td>%llu</td><td>%llu</td>", (unsigned long long)r->matched[k],
                    (unsigned long long)(r->persons - r->matched[k]), (unsigned long long)r->findings[k]);
        fputs("</tr>\n", f);
    }
    fputs("</tbody></table></div>\n", f);
    free(idx);
    if (a->roster_set && a->roster_set->nrej) {
        /* rejected roster rows by kind and code (rows come grouped by kind) */
        static const char *const codes[] = { "ROW_UNTERMINATED_QUOTE", "ROW_ENCODING", "ROW_FIELD_COUNT",
                                             "ROSTER_BAD_ID", "ROSTER_BAD_VALUE", "ROSTER_DUPLICATE" };
        fputs("<h3>", f);
        html_tr(f, "未采用的名单行（见 roster_rejects.csv）", "Roster rows not used (see roster_rejects.csv)");
        fputs("</h3>\n<table><thead><tr><th class=\"t\">", f);
        html_tr(f, "名单", "Roster");
        fputs("</th><th class=\"t\">", f);
        html_tr(f, "代码", "Code");
        fputs("</th><th>", f);
        html_tr(f, "行数", "Rows");
        fputs("</th></tr></thead><tbody>\n", f);
        for (k = 0; k < TP_ROSTER_KINDS; k++)
            for (j = 0; j < sizeof codes / sizeof codes[0]; j++) {
                unsigned long long m = 0;
                for (i = 0; i < a->roster_set->nrej; i++)
                    m += a->roster_set->rej[i].kind == (tp_roster_kind)k && !strcmp(a->roster_set->rej[i].code, codes[j]);
                if (!m) continue;
                fputs("<tr><td class=\"t\">", f);
                html_tr(f, kind_zh[k], rc_kind_name(k));
                fprintf(f, "</td><td class=\"t\">%s</td><td>%llu</td></tr>\n", codes[j], m);
            }
        fputs("</tbody></table>\n", f);
    }
    fputs("</section>\n", f);
    return 0;
}

/* Chart: each county's incidence as a bar, its threshold as a tick. */
static void chart_incidence(FILE *f, const agg *a, const size_t *order)
{
    const double left = 70, width = 560, row = 16, top = 30;
    size_t i, n = 0;
    double max = 0, y, step;
    int nticks;
    agg_county c;
    for (i = 0; i < a->nr; i++) {
        const agg_region *r = &a->r[order[i]];
        double t;
        if (r->level != AGG_COUNTY) continue;
        agg_county_eval(a, r, &c);
        t = (c.western ? a->incidence_max_western : a->incidence_max) / 1e6;
        if (ratio(c.poor_after, c.persons) > max) max = ratio(c.poor_after, c.persons);
        if (t > max) max = t;
        n++;
    }
    {
        /* round ticks: the axis ends at the first multiple of a 1-2-2.5-5
         * step (in percent) that holds every bar and tick, in at most 5 steps */
        static const double steps[] = { 1, 2, 2.5, 5, 10, 20, 25, 50, 100 };
        double pmax = max * 100 * 1.02;
        size_t s = 0;
        while (s + 1 < sizeof steps / sizeof steps[0] && steps[s] * 5 < pmax) s++;
        step = steps[s];
        nticks = (int)(pmax / step + 0.999999);
        if (nticks < 1) nticks = 1;
        max = step * nticks / 100;
    }
    fputs("<figure id=\"chart-incidence\"><figcaption>", f);
    html_tr(f, "图1 各县贫困发生率与退出标准（黑色竖线为该县的标准）",
       "Figure 1. Incidence by county against its threshold (black tick: the county's threshold)");
    fprintf(f, "</figcaption>\n<svg class=\"chart\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 760 %.0f\" "
            "width=\"760\" height=\"%.0f\" role=\"img\">", top + row * (double)n + 10, top + row * (double)n + 10);
    for (i = 0; i <= (size_t)nticks; i++) {
        double x = left + width * (double)i / nticks;
        char lab[32];
        snprintf(lab, sizeof lab, "%g%%", step * (double)i);
        fprintf(f, "<line class=\"axis\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>",
                x, top - 4, x, top + row * (double)n);
        svg_text(f, x, top - 8, "middle", "lbl", lab, NULL);
    }
    y = top;
    for (i = 0; i < a->nr; i++) {
        const agg_region *r = &a->r[order[i]];
        char lab[32];
        double v, t;
        if (r->level != AGG_COUNTY) continue;
        agg_county_eval(a, r, &c);
        v = ratio(c.poor_after, c.persons);
        t = (c.western ? a->incidence_max_western : a->incidence_max) / 1e6;
        pct(lab, c.poor_after, c.persons);
        svg_text(f, left - 6, y + 12, "end", "lbl", r->code, NULL);
        fprintf(f, "<rect class=\"bar\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\">"
                "<title>",
                left, y + 2, width * v / max, row - 4,
                (c.reasons & AGG_R_INCIDENCE_HIGH) ? "#c0392b" : "#27ae60");
        html_esc(f, r->code);
        if (agg_region_name(a, r, 0)) {
            putc(' ', f);
            html_esc(f, agg_region_name(a, r, 0));
        }
        fprintf(f, " %s</title></rect>", lab);
        fprintf(f, "<line class=\"thr\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>",
                left + width * t / max, y, left + width * t / max, y + row);
        svg_text(f, left + width * v / max + 4, y + 12, "start", "val", lab, NULL);
        y += row;
    }
    fputs("</svg></figure>\n", f);
}

/* A stage outside the dimensions that failed no household (one giving
 * warnings only): not drawn as a zero bar. */
static int warn_only(const agg *a, const agg_region *nat, size_t i)
{
    return a->stage_dim[i] < 0 && !nat->stage_failed[i];
}

/* Chart: households failed by each stage (any fail code), whole run. */
/* A finding code's description in one language, from the texts its stage
 * declared (tp_code_decl) with the fields of one finding left out; the
 * host's own codes worded here.  "" when unknown. */
static void code_desc(const run_meta *m, int stage, const char *code, int zh, char *buf, size_t n)
{
    const char *t = NULL;
    size_t i, k = 0;
    buf[0] = '\0';
    if (!strcmp(code, "MISSING_VALUE")) t = zh ? "数据缺失（空白）" : "missing value (blank)";
    else if (!strcmp(code, "BAD_VALUE")) t = zh ? "数据无效（不是该类型的有效值）" : "bad value (not a valid value of its kind)";
    else if (!strcmp(code, "SCRIPT_ERROR")) t = zh ? "规则脚本出错" : "the rule script failed";
    else if (m && m->stage_codes && stage >= 0 && (size_t)stage < m->nstages && m->stage_codes[stage]) {
        const tp_code_list *l = m->stage_codes[stage];
        for (i = 0; i < l->n && !t; i++)
            if (l->items[i].code && !strcmp(l->items[i].code, code))
                t = zh && l->items[i].zh ? l->items[i].zh : l->items[i].en;
    }
    if (!t) return;
    /* {who} goes; any other {field} of one finding becomes "…" */
    while (*t && k + 4 < n) {
        if (*t == '{') {
            const char *e = strchr(t, '}');
            if (!e) break;
            if (strncmp(t, "{who}", 5)) { memcpy(buf + k, "…", 3); k += 3; }
            t = e + 1;
        } else {
            buf[k++] = *t++;
        }
    }
    buf[k] = '\0';
}

static void chart_failures(FILE *f, const agg *a, const size_t *corder, const run_meta *m)
{
    const agg_region *nat = agg_national(a);
    const double left = 150, width = 480, row = 20, top = 10;
    uint64_t max = 1;
    size_t i;
    size_t ndrawn = 0, row_i;
    for (i = 0; i < a->nstages; i++) {
        if (nat->stage_failed[i] > max) max = nat->stage_failed[i];
        ndrawn += !warn_only(a, nat, i);
    }
    fputs("<figure id=\"chart-failures\"><figcaption>", f);
    html_tr(f, "图3 各检查环节未通过的户数", "Figure 3. Households failed by each check");
    fprintf(f, "</figcaption>\n<svg class=\"chart\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 760 %.0f\" "
            "width=\"760\" height=\"%.0f\" role=\"img\">", top + row * (double)ndrawn + 10,
            top + row * (double)ndrawn + 10);
    for (i = 0, row_i = 0; i < a->nstages; i++) {
        double y = top + row * (double)row_i, w = width * (double)nat->stage_failed[i] / (double)max;
        char lab[32];
        if (warn_only(a, nat, i)) continue;
        row_i++;
        snprintf(lab, sizeof lab, "%llu", (unsigned long long)nat->stage_failed[i]);
        svg_text(f, left - 6, y + 14, "end", "lbl", stage_zh(a, m, i), stage_en(a, m, i));
        fprintf(f, "<rect class=\"bar\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"#d35400\"/>",
                left, y + 3, w, row - 6);
        svg_text(f, left + w + 4, y + 14, "start", "val", lab, NULL);
    }
    fputs("</svg></figure>\n", f);

    html_table_head(f, "<table id=\"failure-table\"><thead><tr>", HTML_COLS(failure_cols), "</tr></thead><tbody>\n");
    for (i = 0; i < a->ncodes; i++) {
        const agg_code *c = &a->codes[corder[i]];
        const agg_fail *fl = corder[i] < nat->nfails ? &nat->fails[corder[i]] : NULL;
        char dz[512], de[512];
        fputs("<tr><td class=\"t\">", f);
        if (c->stage >= 0 && (size_t)c->stage < a->nstages) html_tr(f, stage_zh(a, m, (size_t)c->stage), stage_en(a, m, (size_t)c->stage));
        fputs("</td><td class=\"t\">", f);
        html_esc(f, c->code);
        fputs("</td><td class=\"t\">", f);
        code_desc(m, c->stage, c->code, 1, dz, sizeof dz);
        code_desc(m, c->stage, c->code, 0, de, sizeof de);
        html_tr(f, dz, de);
        fprintf(f, "</td><td>%llu</td><td>%llu</td><td>%llu</td></tr>\n",
                (unsigned long long)(fl ? fl->households : 0), (unsigned long long)(fl ? fl->persons : 0),
                (unsigned long long)(fl ? fl->findings : 0));
    }
    fputs("</tbody></table>\n", f);
}

/* A fill dark enough to need white text on it (relative luminance < 0.45). */
static int dark_fill(const char *hex)
{
    unsigned r, g, b;
    if (sscanf(hex, "#%2x%2x%2x", &r, &g, &b) != 3) return 0;
    return 0.2126 * r + 0.7152 * g + 0.0722 * b < 0.45 * 255;
}

/* Both languages inside one SVG text element (tspans; CSS shows one). */
static void tr_svg(FILE *f, const char *zh, const char *en)
{
    fputs("<tspan class=\"zh\">", f); html_esc(f, zh);
    fputs("</tspan><tspan class=\"en\">", f); html_esc(f, en);
    fputs("</tspan>", f);
}

/* Chart: for each status, its households split by assessment (100% bars). */
static void chart_assessments(FILE *f, const agg *a)
{
    static const struct { int st; int as[3]; int n; } rows[AGG_NSTATUS] = {
        { TP_STATUS_POOR, { HH_CAN_EXIT, HH_REMAINS_POOR, 0 }, 2 },
        { TP_STATUS_EXITED, { HH_EXIT_CONFIRMED, HH_WRONGLY_EXITED, 0 }, 2 },
        { TP_STATUS_GENERAL, { HH_NOT_POOR, HH_MISSED, HH_UNVERIFIED }, 3 },
    };
    /* normal outcomes in calm blues and greys; 错退 and 漏评 stand out
     * (red, purple) and always carry a label */
    static const char *const colors[AGG_NASSESS] = {
        "#7fb3d5", "#d5a253", "#2e86c1", "#d62728", "#7b3294", "#e0c060", "#bfc5ca"
    };
    static const char *const st_en[AGG_NSTATUS] = { "poor", "exited", "general" };
    const agg_region *nat = agg_national(a);
    const double left = 90, width = 560, row = 34, top = 10;
    int i, k;
    fputs("<figure id=\"chart-assessments\"><figcaption>", f);
    html_tr(f, "图2 各类户的评估结论（户数）", "Figure 2. Assessments by status (households)");
    fputs("</figcaption>\n<svg class=\"chart\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 760 190\" "
          "width=\"760\" height=\"190\" role=\"img\">", f);
    for (i = 0; i < AGG_NSTATUS; i++) {
        uint64_t tot = nat->hh_status[rows[i].st];
        double x = left, y = top + row * i;
        svg_text(f, left - 6, y + 19, "end", "lbl", agg_status_zh[rows[i].st], st_en[rows[i].st]);
        if (!tot) {
            fprintf(f, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"#eee\"/>",
                    left, y + 4, width, row - 8);
            continue;
        }
        for (k = 0; k < rows[i].n; k++) {
            int as = rows[i].as[k];
            uint64_t v = nat->hh_assess[as];
            double w = width * (double)v / (double)tot;
            char lab[32];
            if (!v) continue;
            fprintf(f, "<rect class=\"bar\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\">"
                    "<title>%s %llu</title></rect>", x, y + 4, w, row - 8, colors[as],
                    hh_assessment_name((hh_assessment)as), (unsigned long long)v);
            snprintf(lab, sizeof lab, "%llu", (unsigned long long)v);
            if (as == HH_WRONGLY_EXITED || as == HH_MISSED) {
                /* the alarming slices: a minimum width and a label above */
                if (w < 3) w = 3;
                fprintf(f, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\" class=\"val alarm\">", x + w, y + 3);
                tr_svg(f, agg_assess_zh[as], hh_assessment_name((hh_assessment)as));
                fprintf(f, " %s</text>", lab);
            } else if (w > 40)
                svg_text(f, x + w / 2, y + 21, "middle", dark_fill(colors[as]) ? "val on-dark" : "val", lab, NULL);
            x += w;
        }
    }
    /* legend */
    for (k = 0; k < AGG_NASSESS; k++) {
        double x = 20 + 105 * k, y = top + row * 3 + 20;
        fprintf(f, "<rect x=\"%.1f\" y=\"%.1f\" width=\"12\" height=\"12\" fill=\"%s\"/>", x, y, colors[k]);
        svg_text(f, x + 16, y + 10, "start", "lbl", agg_assess_zh[k], hh_assessment_name((hh_assessment)k));
    }
    fputs("</svg></figure>\n", f);

    html_table_head(f, "<table id=\"assessment-table\"><thead><tr>", HTML_COLS(assessment_cols), "</tr></thead><tbody>\n");
    for (k = 0; k < AGG_NASSESS; k++) {
        fputs("<tr><td class=\"t\">", f);
        html_tr(f, agg_assess_zh[k], hh_assessment_name((hh_assessment)k));
        fprintf(f, "</td><td>%llu</td><td>%llu</td></tr>\n", (unsigned long long)nat->hh_assess[k],
                (unsigned long long)nat->persons_assess[k]);
    }
    fputs("</tbody></table>\n", f);
}

/* One stacked 100% bar of AF contributions for region r at row y. */
static void af_bar(FILE *f, const agg *a, const agg_region *r, double left, double width,
                   double y, double h, const char *zh, const char *en)
{
    double x = left;
    int d;
    u128 cx, cy;
    svg_text(f, left - 6, y + h / 2 + 4, "end", "lbl", zh, en);
    if (!r->af_score) {
        fprintf(f, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"#eee\"/>", left, y, width, h);
        return;
    }
    for (d = 0; d < AGG_NDIMS; d++) {
        double w;
        char lab[32];
        agg_af_contrib(a, r, d, &cx, &cy);
        if (!cy || !cx) continue;
        w = width * ratio(cx, cy);
        pct(lab, cx, cy);
        fprintf(f, "<rect class=\"bar\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\">"
                "<title>%s %s</title></rect>", x, y, w, h, dim_colors[d], agg_dim_names[d], lab);
        if (w > 44) svg_text(f, x + w / 2, y + h / 2 + 4, "middle", dark_fill(dim_colors[d]) ? "val on-dark" : "val",
                             lab, NULL);
        x += w;
    }
}

static void af_section(FILE *f, const agg *a, const size_t *order)
{
    const agg_region *nat = agg_national(a);
    const double left = 90, width = 560, row = 26;
    size_t i, k, nprov = 0;
    char h[32], av[32], m0[32];
    const char *wz, *we;
    u128 x, y;
    int d, named;
    for (i = 0; i < a->nr; i++) nprov += a->r[i].level == AGG_PROVINCE;
    agg_af_h(a, nat, &x, &y); pct(h, x, y);
    agg_af_a(a, nat, &x, &y); pct(av, x, y);
    agg_af_m0(a, nat, &x, &y); dec4(m0, x, y);
    fputs("<section id=\"af\"><h2>", f);
    html_tr(f, "四、多维贫困（Alkire–Foster 方法）", "4. Multidimensional poverty (Alkire–Foster)");
    fputs("</h2>\n<p>", f);
    fprintf(f, "<span class=\"zh\">临界值 k = %lld/%lld；多维贫困发生率 H = %s，平均剥夺强度 A = %s，"
            "调整后多维贫困指数 M0 = H × A = %s。</span><span class=\"en\">Cut-off k = %lld/%lld; headcount "
            "ratio H = %s, average intensity A = %s, adjusted headcount ratio M0 = H × A = %s.</span>",
            (long long)a->k_num, (long long)a->k_den, h, av, m0,
            (long long)a->k_num, (long long)a->k_den, h, av, m0);
    fputs("</p>\n<figure id=\"chart-af\"><figcaption>", f);
    if (nprov == 1) html_tr(f, "图4 各维度对 M0 的贡献率（本省）", "Figure 4. Contribution of each dimension to M0 (the province)");
    else html_tr(f, "图4 各维度对 M0 的贡献率（全国及各省）", "Figure 4. Contribution of each dimension to M0 (whole run and provinces)");
    fprintf(f, "</figcaption>\n<svg class=\"chart\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 760 %.0f\" "
            "width=\"760\" height=\"%.0f\" role=\"img\">", row * (double)(nprov + 1) + 50,
            row * (double)(nprov + 1) + 50);
    whole_run(a, &wz, &we);
    af_bar(f, a, nat, left, width, 4, row - 8, wz, we);
    for (i = 0, k = 1; i < a->nr; i++) {
        const agg_region *r = &a->r[order[i]];
        const char *nz = agg_region_name(a, r, 0);
        if (r->level != AGG_PROVINCE) continue;
        /* provinces by name where known: 河北省 / Hebei */
        af_bar(f, a, r, left, width, 4 + row * (double)k, row - 8, nz ? nz : r->code,
               nz ? agg_region_name(a, r, 1) : NULL);
        k++;
    }
    for (d = 0; d < AGG_NDIMS; d++) {
        double lx = 20 + 120 * d, ly = row * (double)(nprov + 1) + 20;
        if (!a->dim_present[d]) continue;
        fprintf(f, "<rect x=\"%.1f\" y=\"%.1f\" width=\"12\" height=\"12\" fill=\"%s\"/>", lx, ly, dim_colors[d]);
        svg_text(f, lx + 16, ly + 10, "start", "lbl", agg_dim_zh[d], agg_dim_names[d]);
    }
    fputs("</svg></figure>\n", f);

    fputs("<div class=\"scroll\"><table id=\"af-table\"><thead><tr>", f);
    named = any_name(a, AGG_NATIONAL, AGG_COUNTY);
    head_with_name(f, af_cols, sizeof af_cols / sizeof af_cols[0], named);
    fputs("<th>H</th><th>A</th><th>M0</th>", f);
    for (d = 0; d < AGG_NDIMS; d++) {
        if (!a->dim_present[d]) continue;
        fputs("<th>", f);
        html_tr(f, agg_dim_zh[d], agg_dim_names[d]);
        fputs("</th>", f);
    }
    fputs("</tr></thead><tbody>\n", f);
    for (i = 0; i < a->nr; i++) {
        const agg_region *r = &a->r[order[i]];
        if (r->level > AGG_COUNTY) continue;
        fputs("<tr><td class=\"t\">", f);
        if (r->level == AGG_NATIONAL) {
            whole_run(a, &wz, &we);
            html_tr(f, wz, we);
        } else {
            fputs(r->code, f);
        }
        region_name(f, a, r, named);
        agg_af_h(a, r, &x, &y); pct(h, x, y);
        agg_af_a(a, r, &x, &y); pct(av, x, y);
        agg_af_m0(a, r, &x, &y); dec4(m0, x, y);
        fprintf(f, "</td><td>%llu</td><td>%s</td><td>%s</td><td>%s</td>",
                (unsigned long long)agg_persons(r), h, av, m0);
        for (d = 0; d < AGG_NDIMS; d++) {
            char c[32];
            if (!a->dim_present[d]) continue;
            agg_af_contrib(a, r, d, &x, &y);
            pct(c, x, y);
            fprintf(f, "<td>%s</td>", c);
        }
        fputs("</tr>\n", f);
    }
    fputs("</tbody></table></div>\n<p class=\"note\">", f);
    html_tr(f, "各维度列为对 M0 的贡献率。维度权重见 results.sqlite 参数表；未运行的环节不计入维度，其余维度权重按比例放大。",
       "Dimension columns are contributions to M0. Weights are in the parameters of results.sqlite; a dimension "
       "whose stage did not run is left out and the other weights are renormalised.");
    fputs("</p></section>\n", f);
}

static void region_tables(FILE *f, const agg *a, const size_t *order)
{
    size_t i, count[AGG_NLEVELS] = { 0 };
    int l, named;
    for (i = 0; i < a->nr; i++) count[a->r[i].level]++;
    fputs("<section id=\"regions\"><h2>", f);
    html_tr(f, "五、分地区汇总", "5. Tables by region");
    fputs("</h2>\n", f);
    for (l = AGG_NATIONAL; l < AGG_NLEVELS; l++) {
        if (l >= AGG_TOWN && count[l] > MAX_TABLE_ROWS) {
            fputs("<p class=\"note\">", f);
            html_tr(f, "乡镇、村级汇总行数较多，见 summary.csv 与 report.xlsx。",
               "Towns and villages are many: see summary.csv and report.xlsx.");
            fputs("</p>\n", f);
            break;
        }
        if (l == AGG_TOWN && count[l]) {
            /* thousands of rows on paper help no one: printed, the report
             * stops at counties */
            fputs("<p class=\"note print-only\">", f);
            html_tr(f, "乡镇、村级汇总见 summary.csv 与 report.xlsx（打印版不含）。",
               "Towns and villages: see summary.csv and report.xlsx (not printed).");
            fputs("</p>\n", f);
        }
        fprintf(f, "<div class=\"level%s\"><h3>", l >= AGG_TOWN ? " screen-only" : "");
        if (l == AGG_NATIONAL && agg_only_province(a)) html_tr(f, "合计", "whole run");
        else html_tr(f, agg_level_zh[l], agg_level_names[l]);
        fprintf(f, "</h3>\n<div class=\"scroll\"><table class=\"region-table\" data-level=\"%s\"><thead><tr>",
                agg_level_names[l]);
        named = any_name(a, l, l);
        head_with_name(f, region_cols, sizeof region_cols / sizeof region_cols[0], named);
        fputs("</tr></thead><tbody>\n", f);
        for (i = 0; i < a->nr; i++) {
            const agg_region *r = &a->r[order[i]];
            agg_county c;
            char b1[32], b2[32], b3[32], b4[32];
            if (r->level != l) continue;
            agg_county_eval(a, r, &c);
            pct(b1, c.poor_after, c.persons);
            pct(b2, c.wrongly_exited, c.exited);
            pct(b3, c.missed, c.general);
            pct(b4, c.sat_yes, c.sat_answered);
            fputs("<tr><td class=\"t\">", f);
            if (l == AGG_NATIONAL) {
                const char *wz, *we;
                whole_run(a, &wz, &we);
                html_tr(f, wz, we);
            } else {
                html_esc(f, r->code);
            }
            region_name(f, a, r, named);
            fprintf(f, "</td><td>%llu</td><td>%llu</td><td>%llu</td><td>%llu</td><td>%llu</td>"
                    "<td>%llu</td><td>%llu</td><td>%llu</td><td>%llu</td><td>%s</td><td>%s</td><td>%s</td><td>%s</td></tr>\n",
                    (unsigned long long)agg_households(r), (unsigned long long)c.persons,
                    (unsigned long long)r->hh_status[0], (unsigned long long)r->hh_status[1],
                    (unsigned long long)r->hh_status[2], (unsigned long long)r->hh_assess[HH_CAN_EXIT],
                    (unsigned long long)r->hh_assess[HH_REMAINS_POOR],
                    (unsigned long long)r->hh_assess[HH_WRONGLY_EXITED],
                    (unsigned long long)r->hh_assess[HH_MISSED], b1, b2, b3, b4);
        }
        fputs("</tbody></table></div></div>\n", f);
    }
    fputs("</section>\n", f);
}

/* The worst villages of each county by the data-quality score
 * (docs/quality.md), AGG_Q_SHOWN of them, with their reasons in words. */
#define AGG_Q_SHOWN 3
static int quality_section(FILE *f, const agg *a)
{
    size_t n, i;
    size_t *v;
    int named;
    if (!a->quality) return 0;
    if (!(v = agg_quality_order(a, &n))) return -1;
    fputs("<section id=\"quality\"><h2>", f);
    html_tr(f, "七、村级数据质量与疑似造假", "7. Village data quality and signs of fabrication");
    fputs("</h2>\n<p class=\"note\">", f);
    html_tr(f, "每县综合得分最高的村（见 quality.csv 与 docs/quality.md）：得分为各项信号相对本县各村的 z 分数中正值之和；"
               "原因列出 z 分数不低于 2 的信号（没有时列出最强的一项）。得分高只说明数据可疑，需实地核查。",
            "The villages of each county with the highest score (see quality.csv and docs/quality.md): the score is "
            "the sum of the positive z-scores of the signals against the villages of the county; the reasons are "
            "the signals with a z-score of 2 or more (or, when none, the strongest one). A high score makes the "
            "data suspect, not false: the field sample checks it.");
    fputs("</p>\n<div class=\"scroll\"><table id=\"quality-table\"><thead><tr>", f);
    /* the county's name beside its code, as in the other tables (issue 21) */
    named = any_name(a, AGG_COUNTY, AGG_COUNTY);
    head_with_name(f, quality_cols, sizeof quality_cols / sizeof quality_cols[0], named);
    fputs("</tr></thead><tbody>\n", f);
    for (i = 0; i < n; i++) {
        const agg_region *r = &a->r[v[i]];
        char zh[512], en[768], county[7];
        if (r->q.rank > AGG_Q_SHOWN) continue;
        memcpy(county, r->code, 6);
        county[6] = '\0';
        agg_quality_reasons(&r->q, agg_qsig_zh, "；", 1, zh, sizeof zh);
        agg_quality_reasons(&r->q, agg_qsig_en, "; ", 1, en, sizeof en);
        fputs("<tr><td class=\"t\">", f);
        html_esc(f, county);
        if (named) {
            const char *nz = rnames_get(a->names, county, 0);
            fputs("</td><td class=\"t\">", f);
            if (nz) html_tr(f, nz, rnames_get(a->names, county, 1));
        }
        fprintf(f, "</td><td>%u</td><td class=\"t\">", r->q.rank);
        html_esc(f, r->code);
        fprintf(f, "</td><td>%llu</td><td>%.2f</td><td class=\"t\">", (unsigned long long)r->q.hh,
                r->q.score);
        if (zh[0]) html_tr(f, zh, en);
        else html_tr(f, "无突出信号", "no signal above the county's mean");
        fputs("</td></tr>\n", f);
    }
    fputs("</tbody></table></div></section>\n", f);
    free(v);
    return 0;
}

int agg_write_html(const agg *a, out_file *o, const run_meta *meta, const size_t *order,
                   const size_t *corder, char *err, size_t errlen)
{
    FILE *f = o->f;
    fputs("<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n"
          "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
          "<title>脱贫评估报告 · Poverty-exit assessment report</title>\n<style>\n", f);
    fputs(css, f);
    fputs("</style>\n</head>\n<body>\n", f);
    fputs("<button id=\"lang-toggle\" type=\"button\" onclick=\"var h=document.documentElement;"
          "h.lang=h.lang==='en'?'zh-CN':'en';\"><span class=\"zh\">English</span>"
          "<span class=\"en\">中文</span></button>\n<header><h1>", f);
    html_tr(f, "脱贫评估报告", "Poverty-exit assessment report");
    fputs("</h1>\n", f);
    if (meta && meta->below_standard && meta->below_standard[0]) {
        fputs("<p class=\"below-standard\" id=\"below-standard\"><b>", f);
        html_tr(f, "注意：本次运行不是国家标准（--below-standard，仅供研究）：",
           "Warning: this run is NOT the national standard (--below-standard, research only): ");
        fputs("</b>", f);
        html_esc(f, meta->below_standard);
        fputs("</p>\n", f);
    }
    run_info(f, a, meta);
    fputs("</header>\n<main>\n", f);
    county_section(f, a, order);
    fputs("<section id=\"charts\"><h2>", f);
    html_tr(f, "二、图表", "2. Charts");
    fputs("</h2>\n", f);
    chart_incidence(f, a, order);
    chart_assessments(f, a);
    fputs("</section>\n<section id=\"failures\"><h2>", f);
    html_tr(f, "三、检查未通过情况", "3. Failures by check");
    fputs("</h2>\n", f);
    chart_failures(f, a, corder, meta);
    fputs("</section>\n", f);
    af_section(f, a, order);
    region_tables(f, a, order);
    if (roster_section(f, a) < 0 || quality_section(f, a) < 0) {
        snprintf(err, errlen, _("out of memory"));
        return -1;
    }
    fputs("</main>\n<footer class=\"note\"><p>", f);
    html_tr(f, "本报告只含地区代码与汇总数字，不含姓名、证件号码或户编号。户级结果见 households.csv 与 results.sqlite。",
       "This report holds only region codes and aggregate figures: no names, ID numbers or household ids. "
       "Household results are in households.csv and results.sqlite.");
    fputs("</p></footer>\n</body>\n</html>\n", f);
    if (fflush(f) != 0 || ferror(f)) {
        /* errno still holds the reason of the write that failed (disk full). */
        snprintf(err, errlen, _("%s: cannot write: %s"), o->final_path, strerror(errno ? errno : EIO));
        return -1;
    }
    return 0;
}
