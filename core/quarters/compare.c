/* compare.c — `tuopin compare PREVIOUS CURRENT --out DIR`: two quarters (run
 * folders, or quarters of a history with the quarters before as context)
 * household by household.  Writes transitions.csv, transition_matrix.csv,
 * signals.csv, monitoring.csv and compare.html, each atomically and all or
 * none (output.h).  Rules: docs/history.md. */
#define _POSIX_C_SOURCE 200809L
#include "compare.h"
#include "compare_int.h"
#include "cmdline.h"
#include "csv.h"
#include "paths.h"
#include "rnames.h"
#include "history.h"
#include "household.h"
#include "output.h"
#include "progress.h"
#include "values.h"
#include "i18n.h"
#include "fail.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* ---- transitions ------------------------------------------------------------------ */

const char *const cmp_transition_names[CMP_NTRANS] = {
    "rejected", "new", "vanished", "exit_unregistered", "skipped_checks", "return_to_poverty",
    "exit_revoked", "exited", "became_exit_ready", "fell_back", "registered", "deregistered",
    "now_meets", "newly_missed", "unchanged", "other"
};
const char *const cmp_transition_zh[CMP_NTRANS] = {
    "数据被拒收", "新增户", "消失户", "未建档立卡即退出", "未通过核验即退出", "返贫",
    "撤销退出", "正常退出", "达到退出条件", "退回未达标", "新识别", "移出建档立卡",
    "错退已纠正", "新增漏评", "无变化", "其他变化"
};

const char *const cmp_state_names[CMP_NSTATES] = {
    "can_exit", "remains_poor", "exit_confirmed", "wrongly_exited", "missed", "unverified",
    "not_poor", "rejected", "absent"
};

int cmp_state(const qd_rec *r)
{
    if (r->state == QD_ABSENT) return CMP_ST_ABSENT;
    if (r->state == QD_REJECTED) return CMP_ST_REJECTED;
    return r->assessment;
}

cmp_transition cmp_classify(const qd_rec *a, const qd_rec *b)
{
    if (a->state == QD_REJECTED || b->state == QD_REJECTED) return CMP_REJECTED;
    if (a->state == QD_ABSENT) return CMP_NEW;
    if (b->state == QD_ABSENT) return CMP_VANISHED;
    if (b->status == TP_STATUS_EXITED) {
        if (a->status == TP_STATUS_GENERAL) return CMP_EXIT_UNREGISTERED;
        if (a->assessment == HH_REMAINS_POOR) return CMP_SKIPPED_CHECKS;
    }
    if (a->assessment == HH_EXIT_CONFIRMED
        && (b->assessment == HH_WRONGLY_EXITED || b->assessment == HH_REMAINS_POOR))
        return CMP_RETURN_TO_POVERTY;
    if (a->status == TP_STATUS_EXITED && b->status == TP_STATUS_POOR) return CMP_EXIT_REVOKED;
    if (a->assessment == HH_CAN_EXIT && b->status == TP_STATUS_EXITED) return CMP_EXITED;
    if (a->assessment == HH_REMAINS_POOR && b->assessment == HH_CAN_EXIT) return CMP_BECAME_EXIT_READY;
    if (a->assessment == HH_CAN_EXIT && b->assessment == HH_REMAINS_POOR) return CMP_FELL_BACK;
    if (a->status == TP_STATUS_GENERAL && b->status == TP_STATUS_POOR) return CMP_REGISTERED;
    if (a->status != TP_STATUS_GENERAL && b->status == TP_STATUS_GENERAL) return CMP_DEREGISTERED;
    if (a->assessment == HH_WRONGLY_EXITED && b->assessment == HH_EXIT_CONFIRMED) return CMP_NOW_MEETS;
    if ((a->assessment == HH_NOT_POOR || a->assessment == HH_UNVERIFIED) && b->assessment == HH_MISSED)
        return CMP_NEWLY_MISSED;
    if (a->assessment == b->assessment) return CMP_UNCHANGED;
    return CMP_OTHER;
}

/* ---- parameters --------------------------------------------------------------------- */

const tp_param_decl cmp_param_decls[] = {
    { .name = "income_line", .type = TP_PARAM_MONEY, .default_value = "0", .min = "0", .max = NULL,
      .description = "poverty line for every quarter compared, yuan; 0: each run's own income_line",
      .description_zh = "参与比较的各季度统一使用的收入标准（元）；0：各次运行自己的 income_line" },
    { .name = "lookback_quarters", .type = TP_PARAM_INT, .default_value = "4", .min = "0", .max = "40",
      .description = "history quarters before CURRENT loaded as context",
      .description_zh = "作为背景读入的本季度之前的历史季度数" },
    { .name = "rise_fall_max_quarters", .type = TP_PARAM_INT, .default_value = "4", .min = "1", .max = "40",
      .description = "RISE_AND_FALL: the exit at most this many quarters before the fall",
      .description_zh = "RISE_AND_FALL：退出距返贫最多相隔的季度数" },
    { .name = "near_exit_band", .type = TP_PARAM_RATIO, .default_value = "0.10", .min = "0.000001", .max = "1",
      .description = "NEAR_LINE_EXIT: the band above the line, share of the line",
      .description_zh = "NEAR_LINE_EXIT：收入标准之上的区间，占收入标准的比例" },
    { .name = "rush_window_quarters", .type = TP_PARAM_INT, .default_value = "0", .min = "0", .max = "40",
      .description = "RUSH_EXIT: 0 the calendar year; N the N quarters before the exit",
      .description_zh = "RUSH_EXIT：0 表示当年；N 表示退出前的 N 个季度" },
    { .name = "shift_min", .type = TP_PARAM_MONEY, .default_value = "1000", .min = "0.01", .max = NULL,
      .description = "TRANSFER_SHIFT: smallest transfer change, yuan per year and household",
      .description_zh = "TRANSFER_SHIFT：转移性收入的最小变化，元/户·年" },
    { .name = "shift_tolerance", .type = TP_PARAM_RATIO, .default_value = "0.05", .min = "0", .max = "1",
      .description = "TRANSFER_SHIFT: largest gap between the amounts, share of the larger",
      .description_zh = "TRANSFER_SHIFT：两笔金额之差的上限，占较大者的比例" },
    { .name = "quota_min_poor", .type = TP_PARAM_INT, .default_value = "10", .min = "1", .max = NULL,
      .description = "QUOTA_EXITS: fewest poor households for a village to count",
      .description_zh = "QUOTA_EXITS：计入的村至少应有的贫困户数" },
    { .name = "quota_step", .type = TP_PARAM_RATIO, .default_value = "0.05", .min = "0.000001", .max = "1",
      .description = "QUOTA_EXITS: a round share is a whole multiple of this",
      .description_zh = "QUOTA_EXITS：整齐的比例是该值的整数倍" },
    { .name = "quota_min_villages", .type = TP_PARAM_INT, .default_value = "3", .min = "1", .max = NULL,
      .description = "QUOTA_EXITS: fewest villages of a town with the same share",
      .description_zh = "QUOTA_EXITS：同一乡镇比例相同的村至少应有的个数" },
    { .name = "quota_min_fraction", .type = TP_PARAM_RATIO, .default_value = "0.50", .min = "0", .max = "1",
      .description = "QUOTA_EXITS: smallest share of the town's villages with that share",
      .description_zh = "QUOTA_EXITS：比例相同的村占该乡镇村数的最小比例" },
    { .name = "monitor_factor", .type = TP_PARAM_RATIO, .default_value = "1.5", .min = "1.5", .max = "100",
      .description = "monitoring line as a multiple of the year's national line",
      .description_zh = "监测线为当年国家标准的倍数" },
    { .name = "monitor_line", .type = TP_PARAM_MONEY, .default_value = "0", .min = "0", .max = NULL,
      .description = "monitoring line, yuan per person per year; 0: monitor_factor x the national line",
      .description_zh = "监测线，元/人·年；0：monitor_factor × 国家标准" },
    { .name = "sudden_drop", .type = TP_PARAM_RATIO, .default_value = "0.30", .min = "0.000001", .max = "1",
      .description = "monitoring: a fall of per-capita income of this share is sudden hardship",
      .description_zh = "监测：人均收入下降达到该比例即为突发严重困难" },
    { .name = NULL }
};

static int64_t decl_default(const char *name)
{
    const tp_param_decl *d;
    int64_t v = 0;
    for (d = cmp_param_decls; d->name; d++)
        if (!strcmp(d->name, name)) {
            int scale = d->type == TP_PARAM_MONEY ? 2 : d->type == TP_PARAM_RATIO ? 6 : 0;
            val_decimal(d->default_value, scale, &v);
        }
    return v;
}

void cmp_params_default(cmp_params *p)
{
    p->income_line = decl_default("income_line");
    p->lookback = decl_default("lookback_quarters");
    p->rise_fall_max = decl_default("rise_fall_max_quarters");
    p->near_band = decl_default("near_exit_band");
    p->rush_window = decl_default("rush_window_quarters");
    p->shift_min = decl_default("shift_min");
    p->shift_tol = decl_default("shift_tolerance");
    p->quota_min_poor = decl_default("quota_min_poor");
    p->quota_step = decl_default("quota_step");
    p->quota_min_villages = decl_default("quota_min_villages");
    p->quota_min_fraction = decl_default("quota_min_fraction");
    p->monitor_factor = decl_default("monitor_factor");
    p->monitor_line = decl_default("monitor_line");
    p->sudden_drop = decl_default("sudden_drop");
}

static void params_read(const params *prm, cmp_params *p)
{
    params_get(prm, "income_line", &p->income_line);
    params_get(prm, "lookback_quarters", &p->lookback);
    params_get(prm, "rise_fall_max_quarters", &p->rise_fall_max);
    params_get(prm, "near_exit_band", &p->near_band);
    params_get(prm, "rush_window_quarters", &p->rush_window);
    params_get(prm, "shift_min", &p->shift_min);
    params_get(prm, "shift_tolerance", &p->shift_tol);
    params_get(prm, "quota_min_poor", &p->quota_min_poor);
    params_get(prm, "quota_step", &p->quota_step);
    params_get(prm, "quota_min_villages", &p->quota_min_villages);
    params_get(prm, "quota_min_fraction", &p->quota_min_fraction);
    params_get(prm, "monitor_factor", &p->monitor_factor);
    params_get(prm, "monitor_line", &p->monitor_line);
    params_get(prm, "sudden_drop", &p->sudden_drop);
}

/* ---- the command ---------------------------------------------------------------------- */

static const char *const compare_usage =
    N_("Usage: tuopin compare PREVIOUS CURRENT --out DIR [--history FILE] [--regions NAME]\n"
    "                      [--region-names FILE] [--param NAME=VALUE]... [--no-input] [--quiet]\n"
    "Compare two quarters household by household: transitions, the transition\n"
    "matrix per county, pattern signals and the monitoring list of CURRENT.\n"
    "\n"
    "  PREVIOUS, CURRENT  run folders (written by tuopin run, with results.sqlite)\n"
    "                     or quarters YYYYQn of a history (tuopin history add); with\n"
    "                     history quarters, the quarters before CURRENT are context\n"
    "  --out DIR          output folder: transitions.csv, transition_matrix.csv,\n"
    "                     signals.csv, monitoring.csv, compare.html\n"
    "  --history FILE     the history (default: $TUOPIN_HISTORY, else history.sqlite)\n"
    "  --regions NAME     the region set, when the history holds several\n"
    "  --region-names FILE  the counties' names (CSV: code,name[,name_en]), shown\n"
    "                     beside their codes in compare.html\n"
    "  --param NAME=VALUE a rule's threshold (see docs/history.md)\n"
    "  --no-input         run folders: do not read the runs' input files (transfer\n"
    "                     incomes unknown: no TRANSFER_SHIFT)\n"
    "  --quiet            no progress line, notices or closing line\n"
    "\n"
    "Exit status: 0 done, 1 fatal error (one line on standard error), 2 usage error.\n");

typedef struct side {
    const char *arg;
    int is_run;
    int ord;                 /* quarters only */
} side;

static int is_dir(const char *p)
{
    struct stat st;
    return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

/* Counties (6 digits) of the villages: code[0] is "" (the whole
 * comparison), of_village[v] the county index of village v (0 when its code
 * has no county, which cannot happen for 12-digit codes). */
typedef struct county_map {
    uint32_t *of_village;    /* county index + 1 (0 = total only) */
    size_t n;
    char (*code)[7];
} county_map;

static int county_cmp(const void *a, const void *b) { return strcmp(a, b); }

static int build_counties(const qd_set *s, county_map *m)
{
    size_t i, n = 0;
    char (*codes)[7] = malloc((s->nvillages + 1) * sizeof *codes);
    if (!codes || !(m->of_village = calloc(s->nvillages + 1, sizeof *m->of_village))) {
        free(codes);
        return -1;
    }
    for (i = 0; i < s->nvillages; i++) {
        memcpy(codes[i], s->villages[i], 6);
        codes[i][6] = '\0';
    }
    qsort(codes, s->nvillages, sizeof *codes, county_cmp);
    for (i = 0; i < s->nvillages; i++)
        if (!n || strcmp(codes[n - 1], codes[i])) memmove(codes[n++], codes[i], 7);
    /* index 0 is the total */
    if (!(m->code = malloc((n + 1) * sizeof *m->code))) {
        free(codes);
        return -1;
    }
    m->code[0][0] = '\0';
    memcpy(m->code + 1, codes, n * sizeof *codes);
    m->n = n + 1;
    for (i = 0; i < s->nvillages; i++) {
        char key[7];
        char (*hit)[7];
        memcpy(key, s->villages[i], 6);
        key[6] = '\0';
        hit = bsearch(key, m->code + 1, n, sizeof *codes, county_cmp);
        m->of_village[i] = hit ? (uint32_t)(hit - m->code) : 0;
    }
    free(codes);
    return 0;
}

/* The village of a household for the comparison: current, else previous. */
static int village_of(const qd_rec *a, const qd_rec *b, uint32_t *v)
{
    if (b->state == QD_PRESENT) { *v = b->village; return 1; }
    if (a->state == QD_PRESENT) { *v = a->village; return 1; }
    return 0;
}

static void write_money_pc(FILE *f, const qd_rec *r)
{
    char buf[32];
    if (r->state == QD_PRESENT && (r->flags & QD_NET)) {
        val_format_cents(qd_pc_cents(r), buf);
        fputs(buf, f);
    }
}

/* Every uid of either quarter once: the current quarter's order, then the
 * previous quarter's households not in the current one. */
typedef struct walk { const qd_quarter *a, *b; size_t i; } walk;
static int walk_next(walk *w, uint32_t *uid)
{
    while (w->i < w->b->norder + w->a->norder) {
        size_t i = w->i++;
        if (i < w->b->norder) { *uid = w->b->order[i]; return 1; }
        *uid = w->a->order[i - w->b->norder];
        if (qd_get(w->b, *uid)->state == QD_ABSENT) return 1;
    }
    return 0;
}

static void ids_field(FILE *f, const qd_set *s, const uint32_t *uids, size_t n)
{
    /* household ids joined by ';' as one CSV field */
    size_t len = 0, i, k;
    char *buf;
    for (i = 0; i < n; i++) len += strlen(s->ids[uids[i]]) + 1;
    if (!(buf = malloc(len + 1))) return;
    for (i = 0, k = 0; i < n; i++) {
        size_t l = strlen(s->ids[uids[i]]);
        if (i) buf[k++] = ';';
        memcpy(buf + k, s->ids[uids[i]], l);
        k += l;
    }
    csv_write_text(f, buf, k);
    free(buf);
}

typedef struct compare_run {
    const char *out_dir;
    int quiet, no_input;
    const char *hist, *regions;
    const char *region_names;    /* --region-names FILE, or NULL */
    rnames *names;               /* the counties' names in compare.html (rnames.h) */
    side prev, cur;
    params prm;
    cmp_params p;
    qd_set s;
    int iprev, icur;
    int64_t *line;
    sig_list sig;
    county_map cm;
    cmp_report rep;
    mon_rule mon;
    char mon_basis[256], mon_basis_zh[256];
    char err[2048];
} compare_run;

/* Words the error into c->err.  RETURN -1. */
#define fail(s, ...) fail_msg((s)->err, sizeof (s)->err, __VA_ARGS__)

/* Loads PREVIOUS and CURRENT (and, with a history, the context quarters). */
static int load(compare_run *c)
{
    hist_quarter *hq = NULL;
    int nhq = 0, i, rc = -1, qi;
    char regions[160] = "";
    qd_load_opts o;
    qd_run_info info;

    memset(&o, 0, sizeof o);
    o.quiet = c->quiet;
    o.no_input = c->no_input;
    o.who = "compare";
    if (!c->prev.is_run || !c->cur.is_run) {
        if ((nhq = hist_quarters(c->hist, &hq, c->err, sizeof c->err)) < 0) return -1;
        /* the region set: given, else the only one holding the quarters asked */
        if (c->regions) {
            snprintf(regions, sizeof regions, "%s", c->regions);
        } else {
            for (i = 0; i < nhq; i++) {
                int ord;
                qd_parse_quarter(hq[i].quarter, &ord);
                if ((c->cur.is_run || ord != c->cur.ord) && (c->prev.is_run || ord != c->prev.ord)) continue;
                if (regions[0] && strcmp(regions, hq[i].regions)) {
                    fail(c, _("%s: several region sets hold these quarters (%s and others): give --regions"),
                         c->hist, regions);
                    goto out;
                }
                snprintf(regions, sizeof regions, "%s", hq[i].regions);
            }
        }
        for (i = 0; i < 2; i++) {
            side *sd = i ? &c->cur : &c->prev;
            int k, found = 0;
            if (sd->is_run) continue;
            for (k = 0; k < nhq; k++) {
                int ord;
                qd_parse_quarter(hq[k].quarter, &ord);
                if (ord == sd->ord && !strcmp(hq[k].regions, regions)) found = 1;
            }
            if (!found) {
                fail(c, _("%s has no quarter %s%s%s (see tuopin history list --history %s)"), c->hist, sd->arg,
                     regions[0] ? _(" for region set ") : "", regions, c->hist);
                goto out;
            }
        }
    }
    /* run folders */
    for (i = 0; i < 2; i++) {
        side *sd = i ? &c->cur : &c->prev;
        if (!sd->is_run) continue;
        if (qd_load_run(&c->s, sd->arg, &o, &qi, &info, c->err, sizeof c->err) < 0) {
            qd_run_info_free(&info);
            goto out;
        }
        c->s.q[qi].tag = i + 1;
        if (qd_parse_quarter(info.quarter, &sd->ord) < 0) {
            fail(c, _("%s: the run's quarter \"%s\" is not YYYYQn"), sd->arg, info.quarter);
            qd_run_info_free(&info);
            goto out;
        }
        qd_run_info_free(&info);
    }
    /* history quarters: the ones asked and, when CURRENT is one, its context */
    if (nhq) {
        int lo = c->cur.ord - (int)c->p.lookback;
        if (!c->prev.is_run && c->prev.ord < lo) lo = c->prev.ord;
        for (i = 0; i < nhq; i++) {
            int ord, tag = 0;
            if (strcmp(hq[i].regions, regions)) continue;
            qd_parse_quarter(hq[i].quarter, &ord);
            if (!c->prev.is_run && ord == c->prev.ord) tag = 1;
            if (!c->cur.is_run && ord == c->cur.ord) tag = tag ? 3 : 2;
            if (!tag) {
                /* context: only around a CURRENT of the history, never a
                 * second copy of a quarter given as a run folder */
                if (c->cur.is_run || ord < lo || ord > c->cur.ord || (c->prev.is_run && ord == c->prev.ord))
                    continue;
            }
            if (hist_load_quarter(&c->s, c->hist, &hq[i], c->quiet, &qi, c->err, sizeof c->err) < 0) goto out;
            c->s.q[qi].tag = tag;
        }
    }
    c->iprev = c->icur = -1;
    for (i = 0; i < (int)c->s.nq; i++) {
        if (c->s.q[i].tag == 1 || c->s.q[i].tag == 3) c->iprev = i;
        if (c->s.q[i].tag == 2 || c->s.q[i].tag == 3) c->icur = i;
    }
    if (c->iprev == c->icur) {
        fail(c, _("PREVIOUS and CURRENT are the same quarter (%s)"), c->s.q[c->icur].label);
        goto out;
    }
    if (c->s.q[c->iprev].ord > c->s.q[c->icur].ord) {
        fail(c, _("PREVIOUS (%s) is later than CURRENT (%s)"), c->s.q[c->iprev].label, c->s.q[c->icur].label);
        goto out;
    }
    rc = 0;
out:
    free(hq);
    return rc;
}

/* Each quarter's poverty line; the monitoring line.  RETURN 0 or -1. */
static int set_lines(compare_run *c)
{
    size_t i;
    if (!(c->line = calloc(c->s.nq, sizeof *c->line))) return fail(c, _("out of memory"));
    for (i = 0; i < c->s.nq; i++) {
        c->line[i] = c->p.income_line > 0 ? c->p.income_line : c->s.q[i].line;
        if (!c->line[i] && !c->quiet && ((int)i == c->iprev || (int)i == c->icur))
            fprintf(stderr, _("tuopin: compare: notice: %s: the run recorded no income_line: the rules on "
                    "income skip it (give --param income_line=YUAN)\n"), c->s.q[i].label);
    }
    if (cmp_monitor_rule(&c->p, c->s.q[c->icur].label, c->line[c->icur], &c->mon, c->mon_basis,
                         c->mon_basis_zh, sizeof c->mon_basis, c->err, sizeof c->err) < 0)
        return -1;
    return 0;
}

int cmp_monitor_rule(const cmp_params *p, const char *quarter, int64_t cur_line, mon_rule *mon,
                     char *basis, char *basis_zh, size_t bn, char *err, size_t errlen)
{
    int64_t nat = 0;
    int ord = 0, year;
    qd_parse_quarter(quarter, &ord);
    year = ord / 4;
    mon->poverty_line = cur_line;
    mon->sudden_drop = p->sudden_drop;
    if (p->monitor_line > 0) {
        char t[32];
        mon->line_num = p->monitor_line;
        mon->line_den = 1;
        val_format_cents(p->monitor_line, t);
        snprintf(basis, bn, "monitor_line %s", t);
        snprintf(basis_zh, bn, "参数 monitor_line %s 元", t);
    } else {
        char *lines = paths_data_file("national-lines.csv"), src[512], msg[512], t[32], f[32];
        int verified, r;
        if (!lines) return fail_msg(err, errlen, _("out of memory"));
        r = params_line_for_year(lines, year, &nat, &verified, src, sizeof src, msg, sizeof msg);
        free(lines);
        if (r < 0) return fail_msg(err, errlen, "%s", msg);
        snprintf(f, sizeof f, "%lld.%06lld", (long long)(p->monitor_factor / 1000000),
                 (long long)(p->monitor_factor % 1000000));
        {   /* as given: 1.5, not 1.500000 (at least one decimal) */
            size_t k = strlen(f);
            while (k > 0 && f[k - 1] == '0' && f[k - 2] != '.') f[--k] = '\0';
        }
        if (r == 0) {
            nat = cur_line;
            if (!nat)
                return fail_msg(err, errlen, _("monitoring line: the table of national lines has no value for %s and "
                                "the run recorded no income_line: give --param monitor_line=YUAN"), quarter);
            val_format_cents(nat, t);
            snprintf(basis, bn, "monitor_factor %s x income_line %s of the run "
                     "(no national line for %d in the table)", f, t, year);
            snprintf(basis_zh, bn, "监测系数 monitor_factor %s × 该次运行的收入标准 "
                     "%s 元（国家标准表中没有 %d 年的标准）", f, t, year);
        } else {
            val_format_cents(nat, t);
            snprintf(basis, bn, "monitor_factor %s x national line %s of %d%s", f, t,
                     year, verified ? "" : " (unverified)");
            snprintf(basis_zh, bn, "监测系数 monitor_factor %s × %d 年国家标准 %s 元%s",
                     f, year, t, verified ? "" : "（未经核实）");
        }
        mon->line_num = nat * p->monitor_factor;
        mon->line_den = 1000000;
    }
    return 0;
}

static int write_transitions(compare_run *c, FILE *f, FILE *fm)
{
    const qd_quarter *a = &c->s.q[c->iprev], *b = &c->s.q[c->icur];
    cmp_report *r = &c->rep;
    walk w = { a, b, 0 };
    uint32_t uid, v;
    progress pg;
    size_t k;
    int i, j;
    progress_begin(&pg, !c->quiet, _("comparing"), _("households"), a->norder + b->norder);
    fputs("household_id,region_code,before,after,transition\n", f);
    while (walk_next(&w, &uid)) {
        const qd_rec *ra = qd_get(a, uid), *rb = qd_get(b, uid);
        cmp_transition t = cmp_classify(ra, rb);
        int sa = cmp_state(ra), sb = cmp_state(rb);
        size_t cty = 0;
        progress_row(&pg, w.i);
        csv_write_text(f, c->s.ids[uid], strlen(c->s.ids[uid]));
        putc(',', f);
        if (village_of(ra, rb, &v)) {
            fwrite(c->s.villages[v], 1, 12, f);
            cty = c->cm.of_village[v];
        }
        fprintf(f, ",%s,%s,%s\n", cmp_state_names[sa], cmp_state_names[sb], cmp_transition_names[t]);
        r->households++;
        r->trans[t]++;
        r->matrix[0][sa][sb]++;
        r->ctrans[0][t]++;
        if (cty) {
            r->matrix[cty][sa][sb]++;
            r->ctrans[cty][t]++;
        }
    }
    progress_end(&pg);
    fputs("county_code,before", fm);
    for (j = 0; j < CMP_NSTATES; j++) fprintf(fm, ",%s", cmp_state_names[j]);
    fputs(",total\n", fm);
    for (k = 0; k < c->cm.n; k++)
        for (i = 0; i < CMP_NSTATES; i++) {
            unsigned long long tot = 0;
            fprintf(fm, "%s,%s", c->cm.code[k], cmp_state_names[i]);
            for (j = 0; j < CMP_NSTATES; j++) {
                fprintf(fm, ",%llu", r->matrix[k][i][j]);
                tot += r->matrix[k][i][j];
            }
            fprintf(fm, ",%llu\n", tot);
        }
    return 0;
}

static int write_signals(compare_run *c, FILE *f)
{
    size_t i;
    int k;
    fputs("code,region_code,households,household_ids,quarters,evidence,evidence_zh\n", f);
    for (i = 0; i < c->sig.n; i++) {
        const sig_row *r = &c->sig.r[i];
        char q[64];
        fprintf(f, "%s,%.12s,%zu,", sig_table[r->code].code, c->s.villages[r->village], r->nuids);
        ids_field(f, &c->s, r->uids, r->nuids);
        putc(',', f);
        q[0] = '\0';
        for (k = r->q_first; k <= r->q_last; k++) {
            size_t n = strlen(q);
            snprintf(q + n, sizeof q - n, "%s%s", n ? ";" : "", c->s.q[k].label);
        }
        fputs(q, f);
        putc(',', f);
        csv_write_text(f, r->evidence, strlen(r->evidence));
        putc(',', f);
        csv_write_text(f, r->evidence_zh, strlen(r->evidence_zh));
        putc('\n', f);
        c->rep.sig_count[r->code]++;
    }
    return 0;
}

static int write_monitoring(compare_run *c, FILE *f)
{
    const qd_quarter *a = &c->s.q[c->iprev], *b = &c->s.q[c->icur];
    char reasons[256], line[32];
    size_t i;
    val_format_cents(val_div_round(c->mon.line_num, c->mon.line_den), line);
    fputs("household_id,region_code,status,assessment,members,income_pc,monitor_line,category,category_zh,"
          "reasons\n", f);
    for (i = 0; i < b->norder; i++) {
        uint32_t uid = b->order[i];
        const qd_rec *rb = qd_get(b, uid), *ra = qd_get(a, uid);
        mon_category m = mon_classify(ra, rb, &c->mon, reasons, sizeof reasons);
        if (m == MON_NONE) continue;
        csv_write_text(f, c->s.ids[uid], strlen(c->s.ids[uid]));
        fprintf(f, ",%.12s,%s,%s,%u,", c->s.villages[rb->village], val_status_name((tp_status)rb->status),
                hh_assessment_name((hh_assessment)rb->assessment), rb->members);
        write_money_pc(f, rb);
        fprintf(f, ",%s,%s,%s,%s\n", line, mon_names[m], mon_names_zh[m], reasons);
        c->rep.mon[m]++;
        c->rep.cmon[0][m]++;
        if (c->cm.of_village[rb->village]) c->rep.cmon[c->cm.of_village[rb->village]][m]++;
    }
    return 0;
}

/* RETURN: -1 to go on, 0 after --help, 1 on a fatal error, 2 on a usage
 * error still to be hinted at, -2 on one reported with its hint. */
static int parse_args(compare_run *c, int argc, char **argv, kv_list *cli)
{
    static const struct option compare_options[] = {
        CMDLINE_VALUE("out", 'o'), CMDLINE_VALUE("history", 'H'), CMDLINE_VALUE("regions", 'r'),
        CMDLINE_VALUE("param", 'p'), CMDLINE_FLAG("no-input", 'n'), CMDLINE_FLAG("quiet", 'q'),
        CMDLINE_VALUE("region-names", 'R'), CMDLINE_CSV_BOM, CMDLINE_HELP_END
    };
    int npos = 0, o;
    const char *v;
    cmdline cl;
    cmdline_init(&cl, "compare", argc, argv, "hq", compare_options);
    while ((o = cmdline_next(&cl)) != CMDLINE_END) {
        v = cl.arg;
        if (o == 'o') {
            c->out_dir = v;
        } else if (o == 'H') {
            c->hist = v;
        } else if (o == 'r') {
            c->regions = v;
        } else if (o == 'R') {
            c->region_names = v;
        } else if (o == 'p') {
            const char *eq;
            char key[128];
            const tp_param_decl *d;
            int known = 0;
            eq = strchr(v, '=');
            if (!eq || eq == v || (size_t)(eq - v) >= sizeof key) {
                fprintf(stderr, _("tuopin: compare: --param: expected NAME=VALUE, got \"%s\"\n"), v);
                return 2;
            }
            snprintf(key, sizeof key, "%.*s", (int)(eq - v), v);
            for (d = cmp_param_decls; d->name; d++) known |= !strcmp(d->name, key);
            if (!known) {
                fprintf(stderr, _("tuopin: compare: --param: unknown parameter %s (see docs/history.md)\n"), key);
                return 2;
            }
            if (kv_set(cli, key, eq + 1, "--param") < 0) {
                fprintf(stderr, _("tuopin: compare: out of memory\n"));
                return 1;
            }
        } else if (o == 'n') {
            c->no_input = 1;
        } else if (o == 'q') {
            c->quiet = 1;
        } else if (o == 'h') {
            fputs(_(compare_usage), stdout);
            fputs(cmdline_csv_bom_help(), stdout);
            return 0;
        } else if (o == CMDLINE_OPERAND && npos < 2) {
            side *sd = npos++ ? &c->cur : &c->prev;
            sd->arg = v;
            if (is_dir(v)) {
                sd->is_run = 1;
            } else if (qd_parse_quarter(v, &sd->ord) < 0) {
                fprintf(stderr, _("tuopin: compare: %s: neither a run folder nor a quarter YYYYQn\n"), v);
                return 2;
            }
        } else if (o == CMDLINE_OPERAND) {
            cmdline_usage_error(&cl, _("unexpected argument %s"), v);
            return -2;
        } else {
            return -2;
        }
    }
    if (npos < 2) {
        fprintf(stderr, _("tuopin: compare: which quarters? (tuopin compare PREVIOUS CURRENT --out DIR)\n"));
        return 2;
    }
    if (!c->prev.is_run && !c->cur.is_run && c->prev.ord >= c->cur.ord) {
        fprintf(stderr, _("tuopin: compare: PREVIOUS (%s) must be an earlier quarter than CURRENT (%s)\n"),
                c->prev.arg, c->cur.arg);
        return 2;
    }
    if (!c->out_dir || !c->out_dir[0]) {
        fprintf(stderr, _("tuopin: compare: no output folder: give --out DIR\n"));
        return 2;
    }
    return -1;
}

static void closing(const compare_run *c)
{
    const cmp_report *r = &c->rep;
    int k;
    fprintf(stderr, _("tuopin: compared %s -> %s: %llu households; new %llu, vanished %llu, return to poverty %llu, "
            "skipped checks %llu, exited %llu\n"), c->s.q[c->iprev].label, c->s.q[c->icur].label, r->households,
            r->trans[CMP_NEW], r->trans[CMP_VANISHED], r->trans[CMP_RETURN_TO_POVERTY],
            r->trans[CMP_SKIPPED_CHECKS], r->trans[CMP_EXITED]);
    /* In Chinese the headings' words (mon_names_zh); signal codes stay codes. */
    const char *const *mn = i18n_chinese() ? mon_names_zh : mon_names;
    fprintf(stderr, _("tuopin: signals:"));
    for (k = 0; k < SIG_N; k++)
        fprintf(stderr, " %s %llu%s", sig_table[k].code, r->sig_count[k], r->sig_note[k] ? _(" (not evaluated)") : "");
    fprintf(stderr, _("; monitoring: %llu %s, %llu %s, %llu %s; outputs in %s\n"), r->mon[MON_SUDDEN],
            mn[MON_SUDDEN], r->mon[MON_UNSTABLE], mn[MON_UNSTABLE], r->mon[MON_EDGE],
            mn[MON_EDGE], c->out_dir);
}

static int run(compare_run *c)
{
    static const char *const names[] = { "transitions.csv", "transition_matrix.csv", "signals.csv",
                                         "monitoring.csv", "compare.html" };
    out_file o[5];
    sig_ctx sc;
    size_t k;
    int n = 0, rc = -1;
    memset(o, 0, sizeof o);
    if (load(c) < 0 || set_lines(c) < 0) return -1;
    if (build_counties(&c->s, &c->cm) < 0) return fail(c, _("out of memory"));
    c->rep.s = &c->s;
    c->rep.prev = c->iprev;
    c->rep.cur = c->icur;
    c->rep.p = &c->p;
    c->rep.prm = &c->prm;
    c->rep.line = c->line;
    c->rep.ncounties = c->cm.n;
    c->rep.county = c->cm.code;
    c->rep.mon_num = c->mon.line_num;
    c->rep.mon_den = c->mon.line_den;
    c->rep.mon_basis = c->mon_basis;
    c->rep.mon_basis_zh = c->mon_basis_zh[0] ? c->mon_basis_zh : NULL;
    c->rep.sig = &c->sig;
    if (!(c->rep.matrix = calloc(c->cm.n, sizeof *c->rep.matrix)) || !(c->rep.ctrans = calloc(c->cm.n, sizeof *c->rep.ctrans))
        || !(c->rep.cmon = calloc(c->cm.n, sizeof *c->rep.cmon)))
        return fail(c, _("out of memory"));
    sc.s = &c->s;
    sc.prev = c->iprev;
    sc.cur = c->icur;
    sc.p = &c->p;
    sc.line = c->line;
    if (sig_run(&sc, &c->sig) < 0) return fail(c, _("out of memory"));
    if (!c->s.q[c->iprev].has_transfers || !c->s.q[c->icur].has_transfers) {
        c->rep.sig_note[SIG_TRANSFER_SHIFT] = "transfer incomes unknown for a quarter compared";
        c->rep.sig_note_zh[SIG_TRANSFER_SHIFT] = "参与比较的某个季度没有转移性收入数据";
    }
    if (c->icur - 1 < 0 || c->s.nq < 3) {
        c->rep.sig_note[SIG_RISE_AND_FALL] = "needs a quarter before the exit quarter: compare quarters of a history";
        c->rep.sig_note_zh[SIG_RISE_AND_FALL] = "需要退出季度之前的一个季度：请比较历史库中的季度";
    }
    if (!c->line[c->iprev] || !c->line[c->icur]) {
        c->rep.sig_note[SIG_NEAR_LINE_EXIT] = "no poverty line recorded for a quarter compared";
        c->rep.sig_note[SIG_TRANSFER_SHIFT] = "no poverty line recorded for a quarter compared";
        c->rep.sig_note_zh[SIG_NEAR_LINE_EXIT] = "参与比较的某个季度没有记录收入标准";
        c->rep.sig_note_zh[SIG_TRANSFER_SHIFT] = "参与比较的某个季度没有记录收入标准";
    }
    if (!(c->names = rnames_load(c->region_names, c->err, sizeof c->err))) return -1;
    c->rep.names = c->names;
    if (out_mkdir(c->out_dir, c->err, sizeof c->err) < 0) return -1;
    for (n = 0; n < 5; n++)
        if (out_open(&o[n], c->out_dir, names[n], c->err, sizeof c->err) < 0) goto out;
    write_transitions(c, o[0].f, o[1].f);
    write_signals(c, o[2].f);
    write_monitoring(c, o[3].f);
    cmp_write_html(o[4].f, &c->rep);
    /* flush every file before renaming any: all outputs or none */
    for (k = 0; k < 5; k++)
        if (fflush(o[k].f) != 0 || ferror(o[k].f)) {
            fail(c, _("%s: cannot write"), o[k].final_path);
            goto out;
        }
    for (k = 0; k < 5; k++)
        if (out_commit(&o[k], c->err, sizeof c->err) < 0) goto out;
    n = 0;
    rc = 0;
out:
    for (k = 0; k < 5; k++) out_abort(&o[k]);
    return rc;
}

int compare_main(int argc, char **argv)
{
    compare_run *c = calloc(1, sizeof *c);
    kv_list cli;
    int rc;
    if (!c) {
        fprintf(stderr, _("tuopin: compare: out of memory\n"));
        return 1;
    }
    memset(&cli, 0, sizeof cli);
    qd_init(&c->s);
    params_init(&c->prm);
    cmp_params_default(&c->p);
    rc = parse_args(c, argc, argv, &cli);
    if (rc == -2) {
        rc = 2;
        goto done;
    }
    if (rc >= 0) {
        if (rc == 2) cmdline_hint("compare");
        goto done;
    }
    if (!c->hist) c->hist = hist_default_path();
    if (params_declare(&c->prm, cmp_param_decls, "compare", c->err, sizeof c->err) < 0
        || params_apply(&c->prm, &cli, c->err, sizeof c->err) < 0
        || params_finish(&c->prm, 0, "", c->err, sizeof c->err) < 0) {
        fprintf(stderr, _("tuopin: compare: %s\n"), c->err);
        rc = 2;
        goto done;
    }
    params_read(&c->prm, &c->p);
    if (run(c) < 0) {
        fprintf(stderr, _("tuopin: compare: %s\n"), c->err);
        rc = 1;
    } else {
        if (!c->quiet) closing(c);
        rc = 0;
    }
done:
    kv_free(&cli);
    sig_list_free(&c->sig);
    qd_free(&c->s);
    params_free(&c->prm);
    free(c->line);
    free(c->cm.of_village);
    free(c->cm.code);
    free(c->rep.matrix);
    free(c->rep.ctrans);
    free(c->rep.cmon);
    rnames_free(c->names);
    free(c);
    return rc;
}
