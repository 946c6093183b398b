/* compare_html.c — compare.html: one self-contained page (inline CSS, one
 * line of inline script for the language button, nothing loaded from
 * outside) in Chinese with English available, like report.html.  It holds
 * counts, region codes, household ids and quarters only: no names, ID
 * numbers or incomes (those are in the CSV files, owner-only). */
#include "compare_int.h"
#include "values.h"
#include "html.h"
#include "rnames.h"

#include <stdlib.h>
#include <string.h>

#define MAX_SIGNAL_ROWS 200   /* per code; the rest are in signals.csv */

/* The states of the matrix in Chinese (standard §4's words; cmp_state_names' order). */
static const char *const state_zh[CMP_NSTATES] = {
    "可以脱贫", "仍未脱贫", "确认脱贫", "错退", "漏评", "无法核实", "非贫困", "拒收", "不在本季度"
};

static const char *const sig_rule_en[SIG_N] = {
    "exit_confirmed in the previous quarter, wrongly_exited or remains_poor now",
    "below the line before the exit quarter, at or above it from the exit quarter on, below it now",
    ("a transfer increase lifts a household over the line while another household of the village loses "
     "the same amount"),
    "exited now, and not in the registry (or general) earlier in the same year",
    "below the line in the previous quarter, exited now with an income just above the line",
    "villages of one town exit exactly the same round share of their poor"
};
static const char *const sig_rule_zh[SIG_N] = {
    "上季度核实脱贫，本季度错退或未脱贫",
    "退出前一季度低于标准，退出季度起不低于标准，本季度又低于标准",
    "一户转移性收入增加使其越过标准，同村另一户转移性收入减少相同数额",
    "本季度已脱贫，同一年较早季度不在名单中或为一般户",
    "上季度低于标准，本季度退出且收入刚过线",
    "同一乡镇多个村恰好退出相同整数比例的贫困户"
};

static const html_col trans_cols[] = {
    { "l", "变化", "transition" }, { "l", "代码", "code" }, { NULL, "户数", "households" }
};
static const html_col signal_cols[] = {
    { "l", "代码", "code" }, { "l", "信号", "signal" }, { NULL, "条数", "rows" }, { "l", "规则", "rule" }
};
static const html_col signal_row_cols[] = {
    { "l", "行政区划", "region" }, { "l", "户编号", "households" }, { "l", "季度", "quarters" }
};

/* A move between quarters that should worry a reader: into 错退 or 漏评,
 * or from a confirmed exit back to poverty.  The others (can_exit →
 * exit_confirmed above all) are the normal course and shaded calmly. */
static int alarming(const char *from, const char *to)
{
    return !strcmp(to, "wrongly_exited") || !strcmp(to, "missed") ||
           (!strcmp(from, "exit_confirmed") && !strcmp(to, "remains_poor"));
}

/* A row of the record: the quarter's label and the source it was read from. */
static void quarter_row(FILE *f, const char *zh, const char *en, const char *label, const char *source)
{
    static const char mark[] = " (history)";   /* hist_load_quarter_near's source */
    size_t n = strlen(source), m = sizeof mark - 1;
    html_tag(f, "<tr><th class=\"l\">", zh, en, "</th><td class=\"l\">");
    html_esc(f, label);
    fputs("</td><td class=\"l\">", f);
    if (n > m && !strcmp(source + n - m, mark)) {   /* "FILE (history)": the word in both languages */
        char *path = strndup(source, n - m);
        html_esc(f, path ? path : source);
        free(path);
        html_tr(f, "（历史库）", " (history)");
    } else {
        html_esc(f, source);
    }
    fputs("</td></tr>\n", f);
}

static void matrix_table(FILE *f, const unsigned long long (*m)[CMP_NSTATES])
{
    unsigned long long max = 1;
    int i, j;
    for (i = 0; i < CMP_NSTATES; i++)
        for (j = 0; j < CMP_NSTATES; j++)
            if (i != j && m[i][j] > max) max = m[i][j];
    html_tag(f, "<table class=\"matrix nw\"><tr><th>", "上季度 ＼ 本季度", "previous \\ current", "</th>");
    for (j = 0; j < CMP_NSTATES; j++) html_tag(f, "<th>", state_zh[j], cmp_state_names[j], "</th>");
    fputs("</tr>\n", f);
    for (i = 0; i < CMP_NSTATES; i++) {
        html_tag(f, "<tr><th>", state_zh[i], cmp_state_names[i], "</th>");
        for (j = 0; j < CMP_NSTATES; j++) {
            /* off-diagonal cells shaded by count; the diagonal is unchanged */
            int shade = i == j || !m[i][j] ? 0 : (int)(10 + 60 * (double)m[i][j] / (double)max);
            int bad = alarming(cmp_state_names[i], cmp_state_names[j]);
            if (shade)
                fprintf(f, "<td class=\"%s\" style=\"background:rgba(%s,.%02d)\">%llu</td>", bad ? "alarm" : "calm",
                        bad ? "200,40,40" : "70,130,180", shade, m[i][j]);
            else fprintf(f, "<td%s>%llu</td>", i == j ? " class=\"diag\"" : "", m[i][j]);
        }
        fputs("</tr>\n", f);
    }
    fputs("</table>\n", f);
}

/* A county's code and, where the names table has it, its name beside it
 * (issue 17.8). */
static void county(FILE *f, const cmp_report *r, size_t i)
{
    const char *zh = rnames_get(r->names, r->county[i], 0);
    html_esc(f, r->county[i]);
    if (zh) {
        putc(' ', f);
        html_tr(f, zh, rnames_get(r->names, r->county[i], 1));
    }
}

int cmp_write_html(FILE *f, const cmp_report *r)
{
    const qd_set *s = r->s;
    const char *pl = s->q[r->prev].label, *cl = s->q[r->cur].label;
    char buf[64];
    size_t i, k;
    int c, shown[SIG_N];

    fputs("<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n"
          "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>", f);
    fputs("季度比较 ", f);
    html_esc(f, pl);
    fputs(" → ", f);
    html_esc(f, cl);
    fputs(" / Quarter comparison</title>\n<style>\n", f);
    fputs("html[lang=en] .zh,html[lang=zh-CN] .en{display:none}\n"
          "body{font-family:sans-serif;margin:1.5em auto;max-width:72em;padding:0 1em;color:#222}\n"
          "table{border-collapse:collapse;margin:.6em 0 1.4em}\n"
          "th,td{border:1px solid #bbb;padding:.2em .5em;text-align:right}\n"
          "th{background:#eee}td.l,th.l{text-align:left}\n"
          "td.diag{color:#888}\n.note{color:#555;font-size:.9em}\n"
          "#lang-toggle{float:right;font-size:1em;padding:.3em .8em;cursor:pointer}\n"
          ".bar{display:inline-block;height:.8em;background:#c33;vertical-align:middle}\n"
          "th{word-break:keep-all}table.nw td{white-space:nowrap}td.ids{overflow-wrap:anywhere}\n"
          /* printing (A4): all rows, headers repeated, no row split, no button */
          "@page{size:A4;margin:12mm 10mm}\n"
          "@media print{#lang-toggle{display:none}body{max-width:none;margin:0;padding:0;font-size:10pt;"
          "-webkit-print-color-adjust:exact;print-color-adjust:exact}"
          "table{font-size:7.5pt}th,td{padding:1px 3px}thead{display:table-header-group}"
          "tr{break-inside:avoid;page-break-inside:avoid}h2,h3{break-after:avoid;page-break-after:avoid}}\n"
          "</style>\n</head>\n<body>\n", f);
    fputs("<button id=\"lang-toggle\" type=\"button\" onclick=\"var h=document.documentElement;"
          "h.lang=h.lang==='en'?'zh-CN':'en';\"><span class=\"zh\">English</span>"
          "<span class=\"en\">中文</span></button>\n<h1>", f);
    html_tr(f, "季度比较", "Quarter comparison");
    putc(' ', f);
    html_esc(f, pl);
    fputs(" → ", f);
    html_esc(f, cl);
    fputs("</h1>\n", f);

    /* the record */
    fputs("<table>", f);
    quarter_row(f, "上季度", "previous", pl, s->q[r->prev].source);
    quarter_row(f, "本季度", "current", cl, s->q[r->cur].source);
    html_tag(f, "<tr><th class=\"l\">", "参与比较的季度", "quarters read", "</th><td class=\"l\" colspan=\"2\">");
    for (i = 0; i < s->nq; i++) {
        if (i) fputs(", ", f);
        html_esc(f, s->q[i].label);
    }
    html_tag(f, "</td></tr>\n<tr><th class=\"l\">", "户数（两季度合计，不重复）", "households (either quarter)",
             "</th><td class=\"l\" colspan=\"2\">");
    fprintf(f, "%llu</td></tr>\n", r->households);
    html_tag(f, "<tr><th class=\"l\">", "贫困标准（元/人·年）", "poverty line (yuan per person per year)",
             "</th><td class=\"l\" colspan=\"2\">");
    for (i = 0; i < s->nq; i++) {
        /* the line and where it came from (standard §7) */
        const char *o = s->q[i].line_origin;
        if (r->line[i]) val_format_cents(r->line[i], buf);
        else strcpy(buf, "?");
        if (i) fputs(", ", f);
        html_esc(f, s->q[i].label);
        fprintf(f, ": %s", buf);
        fputs(" (", f);
        if (r->p->income_line > 0) html_tr(f, "本次比较的 --param", "this comparison's --param");
        else if (!strcmp(o, "national table")) html_tr(f, "国家标准表", "national table");
        else if (!strcmp(o, "pipeline params")) html_tr(f, "流水线 params", "the pipeline's params");
        else if (!strcmp(o, "--param")) html_tr(f, "运行时的 --param", "the run's --param");
        else if (!strncmp(o, "script ", 7)) { html_tr(f, "省定规则脚本 ", "rule script "); html_esc(f, o + 7); }
        else if (o[0]) html_esc(f, o);
        else html_tr(f, "来源未记录", "origin not recorded");
        if (s->q[i].below_standard) { fputs("; ", f); html_tr(f, "不是国家标准", "NOT the national standard"); }
        fputs(")", f);
    }
    html_tag(f, "</td></tr>\n<tr><th class=\"l\">", "监测线（元/人·年）", "monitoring line (yuan per person per year)", "");
    val_format_cents(val_div_round(r->mon_num, r->mon_den), buf);
    fprintf(f, "</th><td class=\"l\" colspan=\"2\">%s (", buf);
    html_tr(f, r->mon_basis_zh ? r->mon_basis_zh : r->mon_basis, r->mon_basis);
    fputs(")</td></tr>\n</table>\n", f);

    /* transitions */
    html_tag(f, "<h2>", "户的变化", "Transitions", "</h2>\n");
    html_table_head(f, "<table><tr>", HTML_COLS(trans_cols), "</tr>\n");
    for (c = 0; c < CMP_NTRANS; c++) {
        fputs("<tr><td class=\"l\">", f);
        html_tr(f, cmp_transition_zh[c], cmp_transition_names[c]);
        fprintf(f, "</td><td class=\"l\"><code>%s</code></td><td>%llu</td></tr>\n", cmp_transition_names[c],
                r->trans[c]);
    }
    html_tag(f, "</table>\n<h2>", "评估结论转移矩阵（全部）", "Transition matrix (all counties)", "</h2>\n");
    matrix_table(f, (const unsigned long long (*)[CMP_NSTATES])r->matrix[0]);
    html_tag(f, "<p class=\"note\">", "各县矩阵见 transition_matrix.csv；逐户结果见 transitions.csv。",
             "The matrix of every county is in transition_matrix.csv; each household in transitions.csv.", "</p>\n");

    /* counties with returns to poverty */
    html_tag(f, "<h2>", "各县主要变化", "Main transitions by county", "</h2>\n");
    html_tag(f, "<table class=\"nw\" id=\"county-table\"><thead><tr><th class=\"l\">", "县", "county", "</th>");
    {
        static const int cols[] = { CMP_RETURN_TO_POVERTY, CMP_SKIPPED_CHECKS, CMP_EXIT_UNREGISTERED,
                                    CMP_EXITED, CMP_NEW, CMP_VANISHED };
        for (k = 0; k < sizeof cols / sizeof cols[0]; k++)
            html_tag(f, "<th>", cmp_transition_zh[cols[k]], cmp_transition_names[cols[k]], "</th>");
        fputs("</tr></thead>\n", f);
        for (i = 1; i < r->ncounties; i++) {
            fputs("<tr><td class=\"l\">", f);
            county(f, r, i);
            fputs("</td>", f);
            for (k = 0; k < sizeof cols / sizeof cols[0]; k++) fprintf(f, "<td>%llu</td>", r->ctrans[i][cols[k]]);
            fputs("</tr>\n", f);
        }
    }
    fputs("</table>\n", f);

    /* signals */
    html_tag(f, "<h2>", "疑点信号", "Signals", "</h2>\n");
    html_table_head(f, "<table><tr>", HTML_COLS(signal_cols), "</tr>\n");
    for (c = 0; c < SIG_N; c++) {
        fprintf(f, "<tr><td class=\"l\">%s</td><td class=\"l\">", sig_table[c].code);
        html_tr(f, sig_table[c].zh, sig_table[c].code);
        if (r->sig_note[c]) {
            fputs("</td><td>–</td><td class=\"l\">", f);
            fputs("<span class=\"zh\">未评估：", f);
            html_esc(f, r->sig_note_zh[c] ? r->sig_note_zh[c] : r->sig_note[c]);
            fputs("</span><span class=\"en\">not evaluated: ", f);
            html_esc(f, r->sig_note[c]);
            fputs("</span>", f);
        } else {
            fprintf(f, "</td><td>%llu</td><td class=\"l\">", r->sig_count[c]);
            html_tr(f, sig_rule_zh[c], sig_rule_en[c]);
        }
        fputs("</td></tr>\n", f);
        shown[c] = 0;
    }
    html_tag(f, "</table>\n<p class=\"note\">", "阈值见下方参数表与 docs/history.md；每条信号的证据（收入等）见 signals.csv。",
             "Thresholds: the parameters below and docs/history.md; the evidence of each signal (incomes) is in "
             "signals.csv.", "</p>\n");
    for (c = 0; c < SIG_N; c++) {
        if (!r->sig_count[c]) continue;
        fprintf(f, "<h3>%s — ", sig_table[c].code);
        html_tr(f, sig_table[c].zh, sig_table[c].code);
        html_table_head(f, "</h3>\n<table class=\"signal\"><thead><tr>", HTML_COLS(signal_row_cols),
                        "</tr></thead>\n");
        for (i = 0; i < r->sig->n; i++) {
            const sig_row *sr = &r->sig->r[i];
            int q;
            if ((int)sr->code != c || shown[c] >= MAX_SIGNAL_ROWS) continue;
            shown[c]++;
            fputs("<tr><td class=\"l\">", f);
            html_esc(f, s->villages[sr->village]);
            fputs("</td><td class=\"l ids\">", f);
            for (k = 0; k < sr->nuids; k++) {
                if (k) fputs(", ", f);
                html_esc(f, s->ids[sr->uids[k]]);
            }
            fputs("</td><td class=\"l\">", f);
            for (q = sr->q_first; q <= sr->q_last; q++) {
                if (q > sr->q_first) putc(' ', f);
                html_esc(f, s->q[q].label);
            }
            fputs("</td></tr>\n", f);
        }
        fputs("</table>\n", f);
        if (r->sig_count[c] > MAX_SIGNAL_ROWS) {
            fprintf(f, "<p class=\"note\">%d / %llu — ", MAX_SIGNAL_ROWS, r->sig_count[c]);
            html_tag(f, "", "其余见 signals.csv", "the rest are in signals.csv", "</p>\n");
        }
    }

    /* monitoring */
    html_tag(f, "<h2>", "防止返贫动态监测", "Monitoring (防止返贫动态监测)", " ");
    html_esc(f, cl);
    html_tag(f, "</h2>\n<table class=\"nw\" id=\"monitoring-table\"><thead><tr><th class=\"l\">", "县", "county",
             "</th>");
    for (c = 0; c < MON_N; c++) html_tag(f, "<th>", mon_names_zh[c], mon_names[c], "</th>");
    fputs("</tr></thead>\n", f);
    for (i = 0; i < r->ncounties; i++) {
        if (i && !r->cmon[i][0] && !r->cmon[i][1] && !r->cmon[i][2]) continue;
        fputs("<tr><td class=\"l\">", f);
        if (i) county(f, r, i);
        else html_tr(f, "合计", "total");
        fputs("</td>", f);
        for (c = 0; c < MON_N; c++) fprintf(f, "<td>%llu</td>", r->cmon[i][c]);
        fputs("</tr>\n", f);
    }
    html_tag(f, "</table>\n<p class=\"note\">", "名单见 monitoring.csv（本季度已脱贫户和一般户中低于监测线者，含类别与原因）。",
             "The list is monitoring.csv: exited and general households of the current quarter under the "
             "monitoring line, with category and reasons.", "</p>\n");

    /* parameters */
    html_tag(f, "<h2>", "参数", "Parameters", "</h2>\n<table>");
    for (i = 0; i < r->prm->n; i++) {
        fputs("<tr><td class=\"l\">", f);
        html_esc(f, r->prm->e[i].decl->name);
        fputs("</td><td class=\"l\">", f);
        html_esc(f, r->prm->e[i].text);
        fputs("</td><td class=\"l\">", f);
        html_tr(f, r->prm->e[i].decl->description_zh ? r->prm->e[i].decl->description_zh
                                                 : r->prm->e[i].decl->description,
           r->prm->e[i].decl->description);
        fputs("</td></tr>\n", f);
    }
    fputs("</table>\n</body>\n</html>\n", f);
    return ferror(f) ? -1 : 0;
}
