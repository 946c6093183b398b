/* report_xlsx.c — report.xlsx (libxlsxwriter): sheets counties, regions,
 * failures, af and 说明 (about), with percentage formats, a frozen header
 * row, filters and column widths.  Households are never put in the workbook
 * (a national quarter exceeds a sheet's 1,048,576 rows); the about sheet says
 * so.  Written in constant-memory mode under a temporary name (output.h). */
#define _POSIX_C_SOURCE 200809L
#include "agg_internal.h"
#include "rnames.h"
#include "region_outputs.h"
#include "output.h"
#include "i18n.h"
#include "rcount.h"

#include <errno.h>
#include <sys/statvfs.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/wait.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif
#include <unistd.h>
#include <xlsxwriter.h>

typedef unsigned __int128 u128;

#define XLSX_MAX_ROWS 1048576u

typedef struct xw {
    lxw_workbook *wb;
    lxw_format *head, *pct, *dec4, *num, *text, *wrap;
} xw;

/* A header row of bilingual titles with widths; freezes and filters it. */
static void header(xw *x, lxw_worksheet *ws, const char *const *titles, const double *widths, int n,
                   lxw_row_t last_row)
{
    int c;
    for (c = 0; c < n; c++) {
        worksheet_set_column(ws, (lxw_col_t)c, (lxw_col_t)c, widths[c], NULL);
        worksheet_write_string(ws, 0, (lxw_col_t)c, titles[c], x->head);
    }
    worksheet_set_row(ws, 0, 30, NULL);
    worksheet_freeze_panes(ws, 1, 0);
    if (last_row > 0) worksheet_autofilter(ws, 0, 0, last_row, (lxw_col_t)(n - 1));
}

/* A rate cell: the 4-decimal rounding of the CSV files, shown as a
 * percentage; blank when undefined. */
static void rate(xw *x, lxw_worksheet *ws, lxw_row_t r, lxw_col_t c, u128 num, u128 den, lxw_format *fmt)
{
    int64_t v = agg_rate_e4(num, den);
    if (v < 0) worksheet_write_blank(ws, r, c, fmt);
    else worksheet_write_number(ws, r, c, (double)v / 10000.0, fmt ? fmt : x->pct);
}

static void number(xw *x, lxw_worksheet *ws, lxw_row_t r, lxw_col_t c, uint64_t v)
{
    worksheet_write_number(ws, r, c, (double)v, x->num);
}

/* The name beside a region's code (issue 17.8): the table's, and for the
 * whole run 全国 when it covers several provinces, the province's name when
 * one.  NULL when unknown. */
static const char *region_name(const agg *a, const agg_region *r)
{
    if (r->level == AGG_NATIONAL && !agg_only_province(a)) return "全国";
    return agg_region_name(a, r, 0);
}

static size_t count_level(const agg *a, int lo, int hi)
{
    size_t i, n = 0;
    for (i = 0; i < a->nr; i++) n += a->r[i].level >= lo && a->r[i].level <= hi;
    return n;
}

static void sheet_counties(xw *x, const agg *a, const size_t *order)
{
    static const char *const t[] = {
        "县代码\ncounty_code", "西部\nwestern", "人数\npersons", "评估后贫困人口\npoor_after",
        "贫困发生率\nincidence", "错退率\nwrong_exit_rate", "漏评率\nmissed_rate",
        "群众认可度\nsatisfaction", "判定\ndecision", "原因\nreasons", "说明\nnotes", "名称\nname"
    };
    static const double w[] = { 12, 9, 10, 14, 12, 14, 12, 13, 12, 40, 40, 20 };
    lxw_worksheet *ws = workbook_add_worksheet(x->wb, "counties");
    lxw_row_t row = 1;
    size_t i;
    header(x, ws, t, w, 12, (lxw_row_t)count_level(a, AGG_COUNTY, AGG_COUNTY));
    for (i = 0; i < a->nr; i++) {
        const agg_region *r = &a->r[order[i]];
        agg_county c;
        char reasons[256], notes[512];
        if (r->level != AGG_COUNTY) continue;
        agg_county_eval(a, r, &c);
        agg_reasons_text(c.reasons, agg_reason_names, ";", reasons, sizeof reasons);
        agg_reasons_text(c.reasons, agg_reason_zh, "；", notes, sizeof notes);
        if (!notes[0]) snprintf(notes, sizeof notes, "%s", agg_decision_zh[c.decision]);
        worksheet_write_string(ws, row, 0, r->code, x->text);
        worksheet_write_string(ws, row, 1, c.western ? "yes" : "no", x->text);
        number(x, ws, row, 2, c.persons);
        number(x, ws, row, 3, c.poor_after);
        rate(x, ws, row, 4, c.poor_after, c.persons, NULL);
        rate(x, ws, row, 5, c.wrongly_exited, c.exited, NULL);
        rate(x, ws, row, 6, c.missed, c.general, NULL);
        rate(x, ws, row, 7, c.sat_yes, c.sat_answered, NULL);
        worksheet_write_string(ws, row, 8, agg_decision_names[c.decision], x->text);
        worksheet_write_string(ws, row, 9, reasons, x->text);
        worksheet_write_string(ws, row, 10, notes, x->text);
        if (region_name(a, r)) worksheet_write_string(ws, row, 11, region_name(a, r), x->text);
        row++;
    }
}

static int sheet_regions(xw *x, const agg *a, const size_t *order)
{
    static const char *const t[] = {
        "层级\nlevel", "代码\ncode", "户数\nhouseholds", "人数\npersons",
        "贫困户\nhouseholds_poor", "脱贫户\nhouseholds_exited", "一般户\nhouseholds_general",
        "贫困户人数\npersons_poor", "脱贫户人数\npersons_exited", "一般户人数\npersons_general",
        "可以脱贫\ncan_exit", "仍未脱贫\nremains_poor", "确认脱贫\nexit_confirmed",
        "错退\nwrongly_exited", "漏评\nmissed", "无法核实\nunverified", "非贫困\nnot_poor",
        "评估后贫困人口\npoor_after", "贫困发生率\nincidence", "错退率\nwrong_exit_rate",
        "漏评率\nmissed_rate", "群众认可度\nsatisfaction", "名称\nname"
    };
    static const double w[] = { 10, 14, 10, 10, 10, 10, 10, 11, 11, 11, 10, 10, 10, 10, 10, 10, 10,
                                13, 11, 13, 11, 12, 20 };
    lxw_worksheet *ws = workbook_add_worksheet(x->wb, "regions");
    lxw_row_t row = 1;
    size_t i, n = a->nr < XLSX_MAX_ROWS - 1 ? a->nr : XLSX_MAX_ROWS - 1;
    int k;
    header(x, ws, t, w, 23, (lxw_row_t)n);
    for (i = 0; i < n; i++) {
        const agg_region *r = &a->r[order[i]];
        agg_county c;
        agg_county_eval(a, r, &c);
        worksheet_write_string(ws, row, 0, agg_level_names[r->level], x->text);
        worksheet_write_string(ws, row, 1, r->code, x->text);
        number(x, ws, row, 2, agg_households(r));
        number(x, ws, row, 3, c.persons);
        for (k = 0; k < AGG_NSTATUS; k++) number(x, ws, row, (lxw_col_t)(4 + k), r->hh_status[k]);
        for (k = 0; k < AGG_NSTATUS; k++) number(x, ws, row, (lxw_col_t)(7 + k), r->persons_status[k]);
        for (k = 0; k < AGG_NASSESS; k++) number(x, ws, row, (lxw_col_t)(10 + k), r->hh_assess[k]);
        number(x, ws, row, 17, c.poor_after);
        rate(x, ws, row, 18, c.poor_after, c.persons, NULL);
        rate(x, ws, row, 19, c.wrongly_exited, c.exited, NULL);
        rate(x, ws, row, 20, c.missed, c.general, NULL);
        rate(x, ws, row, 21, c.sat_yes, c.sat_answered, NULL);
        if (region_name(a, r)) worksheet_write_string(ws, row, 22, region_name(a, r), x->text);
        row++;
    }
    return n < a->nr;
}

static void sheet_failures(xw *x, const agg *a, const size_t *order, const size_t *corder)
{
    static const char *const t[] = {
        "层级\nlevel", "代码\ncode", "环节\nstage", "问题代码\nfinding_code",
        "户数\nhouseholds", "人数\npersons", "问题条数\nfindings"
    };
    static const double w[] = { 10, 14, 16, 28, 11, 11, 11 };
    lxw_worksheet *ws = workbook_add_worksheet(x->wb, "failures");
    lxw_row_t row = 1, n = 0;
    size_t i, j;
    for (i = 0; i < a->nr; i++)
        if (a->r[i].level <= AGG_COUNTY)
            for (j = 0; j < a->r[i].nfails; j++) n += a->r[i].fails[j].households > 0;
    header(x, ws, t, w, 7, n);
    for (i = 0; i < a->nr && row < XLSX_MAX_ROWS; i++) {
        const agg_region *r = &a->r[order[i]];
        if (r->level > AGG_COUNTY) continue;
        for (j = 0; j < a->ncodes && row < XLSX_MAX_ROWS; j++) {
            const agg_code *c = &a->codes[corder[j]];
            const agg_fail *fl;
            if (corder[j] >= r->nfails || !r->fails[corder[j]].households) continue;
            fl = &r->fails[corder[j]];
            worksheet_write_string(ws, row, 0, agg_level_names[r->level], x->text);
            worksheet_write_string(ws, row, 1, r->code, x->text);
            worksheet_write_string(ws, row, 2,
                                   c->stage >= 0 && (size_t)c->stage < a->nstages ? a->stage_names[c->stage] : "",
                                   x->text);
            worksheet_write_string(ws, row, 3, c->code, x->text);
            number(x, ws, row, 4, fl->households);
            number(x, ws, row, 5, fl->persons);
            number(x, ws, row, 6, fl->findings);
            row++;
        }
    }
}

static void sheet_af(xw *x, const agg *a, const size_t *order)
{
    const char *t[7 + AGG_NDIMS];
    double w[7 + AGG_NDIMS];
    char titles[AGG_NDIMS][64];
    lxw_worksheet *ws = workbook_add_worksheet(x->wb, "af");
    lxw_row_t row = 1;
    size_t i;
    int d, n = 7;
    u128 nx, ny;
    t[0] = "层级\nlevel"; t[1] = "代码\ncode"; t[2] = "人数\npersons"; t[3] = "多维贫困人数\npoor_persons";
    t[4] = "H"; t[5] = "A"; t[6] = "M0";
    for (i = 0; i < 7; i++) w[i] = i < 4 ? 12 : 9;
    for (d = 0; d < AGG_NDIMS; d++) {
        if (!a->dim_present[d]) continue;
        snprintf(titles[d], sizeof titles[d], "%s贡献率\ncontribution_%s", agg_dim_zh[d], agg_dim_names[d]);
        t[n] = titles[d];
        w[n++] = 16;
    }
    header(x, ws, t, w, n, (lxw_row_t)count_level(a, AGG_NATIONAL, AGG_COUNTY));
    for (i = 0; i < a->nr; i++) {
        const agg_region *r = &a->r[order[i]];
        lxw_col_t c = 7;
        if (r->level > AGG_COUNTY) continue;
        worksheet_write_string(ws, row, 0, agg_level_names[r->level], x->text);
        worksheet_write_string(ws, row, 1, r->code, x->text);
        number(x, ws, row, 2, agg_persons(r));
        number(x, ws, row, 3, r->af_poor);
        agg_af_h(a, r, &nx, &ny); rate(x, ws, row, 4, nx, ny, NULL);
        agg_af_a(a, r, &nx, &ny); rate(x, ws, row, 5, nx, ny, NULL);
        agg_af_m0(a, r, &nx, &ny); rate(x, ws, row, 6, nx, ny, x->dec4);
        for (d = 0; d < AGG_NDIMS; d++) {
            if (!a->dim_present[d]) continue;
            agg_af_contrib(a, r, d, &nx, &ny);
            rate(x, ws, row, c++, nx, ny, NULL);
        }
        row++;
    }
}

static void about_row(xw *x, lxw_worksheet *ws, lxw_row_t *row, const char *k, const char *v)
{
    worksheet_write_string(ws, *row, 0, k, x->head);
    worksheet_write_string(ws, *row, 1, v ? v : "", x->wrap);
    (*row)++;
}

static void sheet_about(xw *x, const agg *a, const run_meta *m, int regions_cut)
{
    lxw_worksheet *ws = workbook_add_worksheet(x->wb, "说明 about");
    lxw_row_t row = 0;
    char buf[512];
    size_t i;
    worksheet_set_column(ws, 0, 0, 24, NULL);
    worksheet_set_column(ws, 1, 1, 100, NULL);
    about_row(x, ws, &row, "说明 note",
              "本工作簿不含户级工作表：户级结果（可能超过工作表 1,048,576 行的上限）见 households.csv、findings.csv "
              "与 results.sqlite。/ This workbook has no household sheet: household results (which can exceed a "
              "sheet's 1,048,576 rows) are in households.csv, findings.csv and results.sqlite.");
    about_row(x, ws, &row, "工作表 sheets",
              "counties 县级退出判定 · regions 各级地区汇总（全国、省、市、县、乡镇、村）· failures 各检查未通过户数"
              "（全国至县）· af 多维贫困（全国至县）/ county decisions · every region level · failures by check "
              "(national to county) · Alkire-Foster view (national to county)");
    if (regions_cut)
        about_row(x, ws, &row, "注意 warning",
                  "地区数超过工作表行数上限，regions 表已截断；完整汇总见 summary.csv。/ More regions than a sheet "
                  "holds: the regions sheet is cut; summary.csv has them all.");
    if (m && m->below_standard && m->below_standard[0]) {
        snprintf(buf, sizeof buf, "本次运行不是国家标准（--below-standard，仅供研究）/ this run is NOT the "
                 "national standard (--below-standard, research only): %s", m->below_standard);
        about_row(x, ws, &row, "注意 warning", buf);
    }
    if (m && m->income_line) {
        snprintf(buf, sizeof buf, "%s (%s)", m->income_line,
                 m->income_line_origin ? m->income_line_origin : "");
        about_row(x, ws, &row, "收入标准 income line", buf);
    }
    if (m) {
        about_row(x, ws, &row, "季度 quarter", m->quarter);
        about_row(x, ws, &row, "截止日 as of", m->as_of);
        {
            const char *in = m->input_path ? strrchr(m->input_path, '/') : NULL;
            about_row(x, ws, &row, "输入文件 input", in ? in + 1 : m->input_path);
        }
        about_row(x, ws, &row, "SHA-256", m->input_sha256);
        snprintf(buf, sizeof buf, "%llu = %llu + %llu", m->rows_read, m->rows_evaluated, m->rows_rejected);
        about_row(x, ws, &row, "行数 rows read = evaluated + rejected", buf);
        snprintf(buf, sizeof buf, "%llu", m->households);
        about_row(x, ws, &row, "户数 households", buf);
        about_row(x, ws, &row, "tuopin", m->tuopin_version);
        buf[0] = '\0';
        for (i = 0; i < m->nstages; i++) {
            size_t len = strlen(buf);
            snprintf(buf + len, sizeof buf - len, "%s%s", i ? ", " : "", m->stage_names[i]);
        }
        about_row(x, ws, &row, "环节 stages", buf);
        for (i = 0; i < m->nparams; i++) about_row(x, ws, &row, m->param_names[i], m->param_values[i]);
    }
    snprintf(buf, sizeof buf, "k = %lld/%lld", (long long)a->k_num, (long long)a->k_den);
    about_row(x, ws, &row, "多维贫困临界值 AF cut-off", buf);
}

/* The workbook is written by a child process.  libxlsxwriter is not safe
 * when memory runs out (lxw_worksheet_new frees a half-built worksheet and
 * crashes; fault injection found it), and it prints its own "[ERROR]" lines
 * on standard error, where a failed run must say exactly one line naming our
 * file.  In a child, a crash or a message of the library cannot reach the
 * run: the child's standard error goes to /dev/null, its one-line message
 * comes back through a pipe, and the parent reports a clean error whatever
 * became of it.  Every stream is flushed before the fork and the child
 * leaves with _exit, so the parent's buffered output files are never written
 * twice (valgrind's exit, for one, flushes stdio even after _exit).  The
 * child works while the parent writes the other reports (agg_start_xlsx,
 * then agg_wait_xlsx). */
static int write_xlsx(const agg *a, out_file *o, const run_meta *meta, const size_t *order,
                      const size_t *corder, char *err, size_t errlen);

int agg_start_xlsx(const agg *a, out_file *o, const run_meta *meta, const size_t *order,
                   const size_t *corder, xlsx_child *c, char *err, size_t errlen)
{
    int fd[2], nul;
    pid_t pid;
#ifdef __linux__
    pid_t parent;
#endif
    c->pid = -1;
    c->fd = -1;
    if (pipe(fd) != 0) {
        snprintf(err, errlen, _("%s: cannot write: %s"), o->final_path, strerror(errno));
        return -1;
    }
    fflush(NULL);
#ifdef __linux__
    parent = getpid();
#endif
    pid = fork();
    if (pid < 0) {
        snprintf(err, errlen, _("%s: cannot write: %s"), o->final_path, strerror(errno));
        close(fd[0]);
        close(fd[1]);
        return -1;
    }
    if (pid == 0) {
        char msg[1024] = "";
        close(fd[0]);
        out_lock_forget();
#ifdef __linux__
        /* The workbook is the run's: a killed run takes its writer with it. */
        if (prctl(PR_SET_PDEATHSIG, SIGKILL) != 0 || getppid() != parent) _exit(1);
#endif
        nul = open("/dev/null", O_WRONLY);
        if (nul >= 0) dup2(nul, 2);
        if (write_xlsx(a, o, meta, order, corder, msg, sizeof msg) == 0) _exit(0);
        if (write(fd[1], msg, strlen(msg)) < 0) _exit(2);
        _exit(1);
    }
    close(fd[1]);
    c->pid = pid;
    c->fd = fd[0];
    return 0;
}

int agg_wait_xlsx(xlsx_child *c, const out_file *o, char *err, size_t errlen)
{
    int status;
    ssize_t got;
    size_t n = 0;
    if (c->pid < 0) return 0;
    err[0] = '\0';
    while (errlen > 1 && n < errlen - 1 && (got = read(c->fd, err + n, errlen - 1 - n)) != 0) {
        if (got < 0) {
            if (errno == EINTR) continue;
            break;
        }
        n += (size_t)got;
    }
    if (errlen) err[n < errlen ? n : errlen - 1] = '\0';
    close(c->fd);
    while (waitpid(c->pid, &status, 0) < 0)
        if (errno != EINTR) { status = -1; break; }
    c->pid = -1;
    c->fd = -1;
    if (status != -1 && WIFEXITED(status) && WEXITSTATUS(status) == 0) return 0;
    if (!err[0])
        snprintf(err, errlen, _("%s: cannot write: the workbook writer failed (%s %d; out of memory?)"),
                 o->final_path, status != -1 && WIFSIGNALED(status) ? "signal" : "status",
                 status == -1 ? -1 : WIFSIGNALED(status) ? WTERMSIG(status) : WEXITSTATUS(status));
    return -1;
}

int agg_write_xlsx(const agg *a, out_file *o, const run_meta *meta, const size_t *order,
                   const size_t *corder, char *err, size_t errlen)
{
    xlsx_child c;
    if (agg_start_xlsx(a, o, meta, order, corder, &c, err, errlen) < 0) return -1;
    return agg_wait_xlsx(&c, o, err, errlen);
}

/* Department rosters (standard §8): a row per county and kind, the
 * counties where a roster changed most verdicts first.  RETURN 0 or -1. */
static int sheet_rosters(xw *x, const agg *a)
{
    static const char *const t[] = {
        "县代码\ncounty_code", "名单\nkind", "人数\npersons", "比对上\nmatched",
        "未比对上\nunmatched", "发现项\nfindings", "比对改变判定的户\nhouseholds_changed"
    };
    static const double w[] = { 12, 10, 10, 10, 12, 10, 18 };
    lxw_worksheet *ws;
    const rc_county *c;
    size_t n, j, *idx;
    lxw_row_t row = 1;
    int k;
    if (!a->rosters) return 0;
    c = rc_counties(a->rosters, &n);
    if (!(idx = rc_changed_first(a->rosters, &n))) return -1;
    ws = workbook_add_worksheet(x->wb, "rosters");
    header(x, ws, t, w, 7, (lxw_row_t)(n * TP_ROSTER_KINDS));
    for (j = 0; j < n && row + TP_ROSTER_KINDS < XLSX_MAX_ROWS; j++) {
        const rc_county *r = &c[idx[j]];
        for (k = 0; k < TP_ROSTER_KINDS; k++, row++) {
            worksheet_write_string(ws, row, 0, r->code, x->text);
            worksheet_write_string(ws, row, 1, rc_kind_name(k), x->text);
            number(x, ws, row, 2, r->persons);
            number(x, ws, row, 3, r->matched[k]);
            number(x, ws, row, 4, r->persons - r->matched[k]);
            number(x, ws, row, 5, r->findings[k]);
            number(x, ws, row, 6, r->changed);
        }
    }
    free(idx);
    return 0;
}

/* The worst villages of each county by the data-quality score
 * (docs/quality.md), with their reasons in both languages; every village is
 * in quality.csv.  RETURN 0 or -1. */
#define XLSX_Q_SHOWN 3
static int sheet_quality(xw *x, const agg *a)
{
    static const char *const t[] = {
        "县代码\ncounty_code", "名次\nrank", "村代码\nvillage_code", "户数\nhouseholds",
        "综合得分\nscore", "原因代码\nreasons", "原因\n(中文)", "reasons\n(English)",
        "县名称\ncounty_name"
    };
    static const double w[] = { 12, 8, 15, 10, 10, 30, 50, 70, 20 };
    lxw_worksheet *ws;
    size_t n, i, shown = 0, *v;
    lxw_row_t row = 1;
    if (!a->quality) return 0;
    if (!(v = agg_quality_order(a, &n))) return -1;
    for (i = 0; i < n; i++) shown += a->r[v[i]].q.rank <= XLSX_Q_SHOWN;
    ws = workbook_add_worksheet(x->wb, "quality");
    header(x, ws, t, w, 9, (lxw_row_t)shown);
    for (i = 0; i < n && row < XLSX_MAX_ROWS; i++) {
        const agg_region *r = &a->r[v[i]];
        char county[7], codes[256], zh[512], en[768];
        if (r->q.rank > XLSX_Q_SHOWN) continue;
        memcpy(county, r->code, 6);
        county[6] = '\0';
        agg_quality_reasons(&r->q, agg_qsig_codes, ";", 0, codes, sizeof codes);
        agg_quality_reasons(&r->q, agg_qsig_zh, "；", 1, zh, sizeof zh);
        agg_quality_reasons(&r->q, agg_qsig_en, "; ", 1, en, sizeof en);
        worksheet_write_string(ws, row, 0, county, x->text);
        number(x, ws, row, 1, r->q.rank);
        worksheet_write_string(ws, row, 2, r->code, x->text);
        number(x, ws, row, 3, r->q.hh);
        worksheet_write_number(ws, row, 4, r->q.score, x->dec4);
        worksheet_write_string(ws, row, 5, codes, x->text);
        worksheet_write_string(ws, row, 6, zh[0] ? zh : "无突出信号", x->text);
        worksheet_write_string(ws, row, 7, en[0] ? en : "no signal above the county's mean", x->text);
        /* the county's name, last as in the other sheets (issue 21) */
        if (rnames_get(a->names, county, 0))
            worksheet_write_string(ws, row, 8, rnames_get(a->names, county, 0), x->text);
        row++;
    }
    free(v);
    return 0;
}

static int write_xlsx(const agg *a, out_file *o, const run_meta *meta, const size_t *order,
                      const size_t *corder, char *err, size_t errlen)
{
    lxw_workbook_options opt;
    xw x;
    lxw_error le;
    int cut;

    memset(&x, 0, sizeof x);
    /* out_open made the owner-only temporary file; libxlsxwriter rewrites it
     * in place (same inode, same mode 0600) and the caller renames it. */
    memset(&opt, 0, sizeof opt);
    opt.constant_memory = LXW_TRUE;
    opt.use_zip64 = LXW_TRUE;
    x.wb = workbook_new_opt(o->tmp_path, &opt);
    if (!x.wb) {
        snprintf(err, errlen, _("%s: cannot start the workbook"), o->final_path);
        return -1;
    }
    x.head = workbook_add_format(x.wb);
    format_set_bold(x.head);
    format_set_text_wrap(x.head);
    format_set_bg_color(x.head, 0xEEEEEE);
    format_set_align(x.head, LXW_ALIGN_VERTICAL_TOP);
    x.pct = workbook_add_format(x.wb);
    format_set_num_format(x.pct, "0.00%");
    x.dec4 = workbook_add_format(x.wb);
    format_set_num_format(x.dec4, "0.0000");
    x.num = workbook_add_format(x.wb);
    format_set_num_format(x.num, "#,##0");
    x.text = workbook_add_format(x.wb);
    format_set_num_format(x.text, "@");
    x.wrap = workbook_add_format(x.wb);
    format_set_text_wrap(x.wrap);

    sheet_counties(&x, a, order);
    cut = sheet_regions(&x, a, order);
    sheet_failures(&x, a, order, corder);
    sheet_af(&x, a, order);
    if (sheet_rosters(&x, a) < 0 || sheet_quality(&x, a) < 0) {
        workbook_close(x.wb);
        snprintf(err, errlen, _("out of memory"));
        return -1;
    }
    sheet_about(&x, a, meta, cut);
    le = workbook_close(x.wb);
    if (le != LXW_NO_ERROR) {
        /* libxlsxwriter says "Zip generic error" for a full disk: say what
         * the system said, or that the file system is full. */
        int e = errno;
        struct statvfs sv;
        if (e != ENOSPC && e != EDQUOT && e != EFBIG && statvfs(o->tmp_path, &sv) == 0 && sv.f_bavail == 0)
            e = ENOSPC;
        if (e == ENOSPC || e == EDQUOT || e == EFBIG)
            snprintf(err, errlen, _("%s: cannot write: %s (%s)"), o->final_path, strerror(e), lxw_strerror(le));
        else
            snprintf(err, errlen, _("%s: cannot write: %s"), o->final_path, lxw_strerror(le));
        return -1;
    }
    return 0;
}
