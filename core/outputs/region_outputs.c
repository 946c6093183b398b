/* region_outputs.c — counties.csv, summary.csv and af.csv from the
 * aggregation's tables, and the order in which a run writes its five region
 * outputs (report.xlsx first: its child process works while this one writes
 * the others). */
#define _POSIX_C_SOURCE 200809L
#include "region_outputs.h"
#include "agg_internal.h"
#include "csv.h"
#include "i18n.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef unsigned __int128 u128;

/* ---- CSV outputs ---------------------------------------------------------------------- */

/* A CSV field that may hold commas or quotes (stage names of scripts). */
static void put_field(FILE *f, const char *s)
{
    if (!strpbrk(s, ",\"\r\n")) { fputs(s, f); return; }
    putc('"', f);
    for (; *s; s++) {
        if (*s == '"') putc('"', f);
        putc(*s, f);
    }
    putc('"', f);
}

static void put_rate(FILE *f, u128 x, u128 y)
{
    char buf[32];
    agg_fmt_rate(x, y, buf);
    fputs(buf, f);
}

/* ,incidence,wrong_exit_rate,missed_rate of a county. */
static void put_rates(FILE *f, const agg_county *c)
{
    putc(',', f);
    put_rate(f, c->poor_after, c->persons);
    putc(',', f);
    put_rate(f, c->wrongly_exited, c->exited);
    putc(',', f);
    put_rate(f, c->missed, c->general);
}

static void write_counties(const agg *a, const size_t *order, FILE *f)
{
    size_t i;
    const agg_region *r;
    agg_county c;
    fputs("county_code,western,persons,poor_after,incidence,wrong_exit_rate,missed_rate,"
          "satisfaction,decision,reasons,name\n", f);
    for (i = 0; (r = agg_next_county(a, order, &i, &c));) {
        char reasons[256];
        const char *name;
        fprintf(f, "%s,%s,%llu,%llu", r->code, c.western ? "yes" : "no",
                (unsigned long long)c.persons, (unsigned long long)c.poor_after);
        put_rates(f, &c);
        putc(',', f);
        put_rate(f, c.sat_yes, c.sat_answered);
        agg_reasons_text(c.reasons, agg_reason_names, ";", reasons, sizeof reasons);
        fprintf(f, ",%s,%s,", agg_decision_names[c.decision], reasons);
        /* the county's name (issue 17.8), empty when the names table has none */
        if ((name = agg_region_name(a, r, 0))) csv_write_text(f, name, strlen(name));
        putc('\n', f);
    }
}

/* ",N": the summary has tens of numbers a region and a row a village, so
 * without fprintf's parsing of a format for each. */
static void put_num(FILE *f, unsigned long long v)
{
    char tmp[24];
    int i = 24;
    do { tmp[--i] = (char)('0' + v % 10); v /= 10; } while (v);
    tmp[--i] = ',';
    fwrite(tmp + i, 1, (size_t)(24 - i), f);
}

/* A --below-standard run's summary.csv ends every row with a column
 * "standard" saying so (a run of the national standard has no such column). */
static void write_summary(const agg *a, const size_t *order, const size_t *corder, FILE *f,
                         const char *below)
{
    static const char *const st[AGG_NSTATUS] = { "poor", "exited", "general" };
    size_t i, j;
    int k;
    fputs("level,code,households,persons", f);
    for (k = 0; k < AGG_NSTATUS; k++) fprintf(f, ",households_%s", st[k]);
    for (k = 0; k < AGG_NSTATUS; k++) fprintf(f, ",persons_%s", st[k]);
    for (k = 0; k < AGG_NASSESS; k++) fprintf(f, ",households_%s", hh_assessment_name((hh_assessment)k));
    for (k = 0; k < AGG_NASSESS; k++) fprintf(f, ",persons_%s", hh_assessment_name((hh_assessment)k));
    fputs(",households_exit_ready,poor_after,incidence,wrong_exit_rate,missed_rate,"
          "satisfied_yes,satisfied_no,satisfaction", f);
    for (j = 0; j < a->nstages; j++) {
        char buf[512];
        snprintf(buf, sizeof buf, "failed:%s", a->stage_names[j]);
        putc(',', f);
        put_field(f, buf);
    }
    for (j = 0; j < a->ncodes; j++) {
        const agg_code *c = &a->codes[corder[j]];
        char buf[512];
        snprintf(buf, sizeof buf, "failed:%s:%s",
                 c->stage >= 0 && (size_t)c->stage < a->nstages ? a->stage_names[c->stage] : "",
                 c->code);
        putc(',', f);
        put_field(f, buf);
    }
    if (below) fputs(",standard", f);
    putc('\n', f);

    for (i = 0; i < a->nr; i++) {
        const agg_region *r = &a->r[order[i]];
        agg_county c;
        agg_county_eval(a, r, &c);
        fputs(agg_level_names[r->level], f);
        putc(',', f);
        fputs(r->code, f);
        put_num(f, (unsigned long long)agg_households(r));
        put_num(f, (unsigned long long)c.persons);
        for (k = 0; k < AGG_NSTATUS; k++) put_num(f, (unsigned long long)r->hh_status[k]);
        for (k = 0; k < AGG_NSTATUS; k++) put_num(f, (unsigned long long)r->persons_status[k]);
        for (k = 0; k < AGG_NASSESS; k++) put_num(f, (unsigned long long)r->hh_assess[k]);
        for (k = 0; k < AGG_NASSESS; k++) put_num(f, (unsigned long long)r->persons_assess[k]);
        put_num(f, (unsigned long long)r->hh_ready);
        put_num(f, (unsigned long long)c.poor_after);
        put_rates(f, &c);
        if (a->has_satisfied) {
            put_num(f, (unsigned long long)r->sat_yes);
            put_num(f, (unsigned long long)r->sat_no);
            putc(',', f);
            put_rate(f, c.sat_yes, c.sat_answered);
        } else {
            fputs(",,,", f);
        }
        for (j = 0; j < a->nstages; j++) put_num(f, (unsigned long long)r->stage_failed[j]);
        for (j = 0; j < a->ncodes; j++)
            put_num(f, (unsigned long long)(corder[j] < r->nfails ? r->fails[corder[j]].households : 0));
        if (below) {
            char buf[1200];
            snprintf(buf, sizeof buf, "NOT the national standard: %s", below);
            putc(',', f);
            put_field(f, buf);
        }
        putc('\n', f);
    }
}

static void write_af(const agg *a, const size_t *order, FILE *f)
{
    size_t i;
    int d;
    u128 x, y;
    fputs("level,code,persons,poor_persons,H,A,M0", f);
    for (d = 0; d < AGG_NDIMS; d++) fprintf(f, ",censored_%s", agg_dim_names[d]);
    for (d = 0; d < AGG_NDIMS; d++) fprintf(f, ",contribution_%s", agg_dim_names[d]);
    putc('\n', f);
    for (i = 0; i < a->nr; i++) {
        const agg_region *r = &a->r[order[i]];
        uint64_t n = agg_persons(r);
        fprintf(f, "%s,%s,%llu,%llu,", agg_level_names[r->level], r->code,
                (unsigned long long)n, (unsigned long long)r->af_poor);
        agg_af_h(a, r, &x, &y); put_rate(f, x, y); putc(',', f);
        agg_af_a(a, r, &x, &y); put_rate(f, x, y); putc(',', f);
        agg_af_m0(a, r, &x, &y); put_rate(f, x, y);
        for (d = 0; d < AGG_NDIMS; d++) {
            putc(',', f);
            if (a->dim_present[d] && a->wsum) put_rate(f, r->af_cens[d], n);
        }
        for (d = 0; d < AGG_NDIMS; d++) {
            putc(',', f);
            agg_af_contrib(a, r, d, &x, &y);
            put_rate(f, x, y);
        }
        putc('\n', f);
    }
}

/* A score or z-score with 4 decimals; never "-0.0000". */
static void put_score(FILE *f, double v)
{
    char b[64];
    snprintf(b, sizeof b, "%.4f", v);
    fputs(strcmp(b, "-0.0000") ? b : "0.0000", f);
}

/* quality.csv: one row per village, by county then rank (docs/quality.md). */
static int write_quality(const agg *a, FILE *f)
{
    size_t n, i;
    int s;
    size_t *v = agg_quality_order(a, &n);
    if (!v) return -1;
    fputs("county_code,village_code,households,missing_bad,missing_bad_share,copied,copied_share,"
          "amounts,round_amounts,round_share,near_below,near_above,bunching,exited,exited_near,"
          "exited_near_share,cv_income_pc", f);
    for (s = 0; s < AGG_NQSIG; s++) fprintf(f, ",z_%s", agg_qsig_names[s]);
    fputs(",score,rank,villages_in_county,reasons\n", f);
    for (i = 0; i < n; i++) {
        const agg_region *r = &a->r[v[i]];
        const agg_quality *q = &r->q;
        char reasons[256];
        fprintf(f, "%.6s,%s,%llu,%llu,", r->code, r->code, (unsigned long long)q->hh,
                (unsigned long long)q->missing_bad);
        put_rate(f, q->missing_bad, q->hh);
        fprintf(f, ",%llu,", (unsigned long long)q->copied);
        put_rate(f, q->copied, q->hh);
        fprintf(f, ",%llu,%llu,", (unsigned long long)q->amounts, (unsigned long long)q->round_amounts);
        put_rate(f, q->round_amounts, q->amounts);
        if (q->defined & (1u << 3)) {
            fprintf(f, ",%llu,%llu,", (unsigned long long)q->near_below, (unsigned long long)q->near_above);
            put_score(f, q->val[3]);
            fprintf(f, ",%llu,%llu,", (unsigned long long)q->exited, (unsigned long long)q->exited_near);
            put_rate(f, q->exited_near, q->exited);
        } else {
            fputs(",,,,,,", f);
        }
        putc(',', f);
        if (q->defined & (1u << 5)) put_score(f, q->val[5]);
        for (s = 0; s < AGG_NQSIG; s++) {
            putc(',', f);
            if (q->defined & (1u << s)) put_score(f, q->z[s]);
        }
        putc(',', f);
        put_score(f, q->score);
        agg_quality_reasons(q, agg_qsig_codes, ";", 0, reasons, sizeof reasons);
        fprintf(f, ",%u,%u,%s\n", q->rank, q->county_villages, reasons);
    }
    free(v);
    return 0;
}

static int csv_done(out_file *o, char *err, size_t errlen)
{
    if (fflush(o->f) != 0 || ferror(o->f)) {
        /* errno still holds the reason of the write that failed (disk full). */
        snprintf(err, errlen, _("%s: cannot write: %s"), o->final_path, strerror(errno ? errno : EIO));
        return -1;
    }
    return 0;
}

int agg_write_pending(agg *a, const char *out_dir, const run_meta *meta, agg_pending *p,
                      char *err, size_t errlen)
{
    return agg_write_pending_then(a, out_dir, meta, p, NULL, NULL, err, errlen);
}

int agg_write_pending_then(agg *a, const char *out_dir, const run_meta *meta, agg_pending *p,
                           void (*after_fork)(void *), void *ctx, char *err, size_t errlen)
{
    /* report.xlsx first: its child process writes it while this one writes
     * the others. */
    static const char *const names[AGG_NOUTPUTS] = {
        "report.xlsx", "counties.csv", "summary.csv", "af.csv", "report.html", "quality.csv"
    };
    size_t nout = a->quality ? AGG_NOUTPUTS : AGG_NOUTPUTS - 1;
    size_t *order = NULL, *corder = NULL;
    xlsx_child xc = { -1, -1 };
    char xerr[1024];
    int rc = -1;
    memset(p, 0, sizeof *p);
    if (agg_rollup(a) < 0 || agg_quality_finish(a) < 0 || !(order = agg_sorted(a))
        || !(corder = agg_codes_sorted(a))) {
        snprintf(err, errlen, _("out of memory"));
        goto out;
    }
    for (p->n = 0; p->n < nout; p->n++) {
        out_file *o = &p->f[p->n];
        int r;
        if (out_open(o, out_dir, names[p->n], err, errlen) < 0) goto out;
        switch (p->n) {
        case 0: r = agg_start_xlsx(a, o, meta, order, corder, &xc, err, errlen); break;
        case 1: write_counties(a, order, o->f); r = csv_done(o, err, errlen); break;
        case 2: write_summary(a, order, corder, o->f,
                              meta && meta->below_standard && meta->below_standard[0]
                              ? meta->below_standard : NULL); r = csv_done(o, err, errlen); break;
        case 3: write_af(a, order, o->f); r = csv_done(o, err, errlen); break;
        case 4: r = agg_write_html(a, o, meta, order, corder, err, errlen); break;
        default:
            if (write_quality(a, o->f) < 0) {
                snprintf(err, errlen, _("out of memory"));
                r = -1;
            } else {
                r = csv_done(o, err, errlen);
            }
            break;
        }
        if (r < 0) { p->n++; goto out; }
        if (p->n == 0 && after_fork) after_fork(ctx);
    }
    if (agg_wait_xlsx(&xc, &p->f[0], err, errlen) < 0) goto out;
    rc = 0;
out:
    if (xc.pid >= 0 && agg_wait_xlsx(&xc, &p->f[0], xerr, sizeof xerr) < 0 && rc == 0) rc = -1;
    if (rc < 0) agg_abort_pending(p);
    free(order);
    free(corder);
    return rc;
}

int agg_commit_pending(agg_pending *p, char *err, size_t errlen)
{
    size_t i;
    for (i = 0; i < p->n; i++)
        if (out_commit(&p->f[i], err, errlen) < 0) {
            agg_abort_pending(p);
            return -1;
        }
    p->n = 0;
    return 0;
}

void agg_abort_pending(agg_pending *p)
{
    size_t i;
    for (i = 0; i < p->n; i++) out_abort(&p->f[i]);
    p->n = 0;
}

int agg_write(agg *a, const char *out_dir, const run_meta *meta, char *err, size_t errlen)
{
    agg_pending p;
    if (agg_write_pending(a, out_dir, meta, &p, err, errlen) < 0) return -1;
    return agg_commit_pending(&p, err, errlen);
}
