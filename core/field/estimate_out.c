/* estimate_out.c — standard §9.2's estimates per county from the matched
 * field households, the decisions of §5 applied to them, and the files of
 * `tuopin estimate`: field_households.csv, estimates.csv,
 * field_counties.csv, agreement.csv and estimates.html.
 *
 * Every sampled household of a county takes part in every estimate: one the
 * field teams did not return (missing), or outside a measure's domain,
 * contributes y = x = 0, so its village stays a primary unit of the design
 * (docs/field.md, "Missing households"). */
#define _POSIX_C_SOURCE 200809L
#include "field_estimate.h"
#include "csv.h"
#include "household.h"
#include "i18n.h"
#include "sbuf.h"
#include "values.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <tuopin/stage.h>

const char *const fe_measure_names[FE_NMEASURES] = {
    "wrong_exit_rate", "missed_rate", "incidence", "satisfaction", "paper_exit_rate"
};

void fe_num(char *buf, size_t len, long double v, int defined)
{
    if (!defined) {
        buf[0] = '\0';
        return;
    }
    if (v == 0) v = 0;           /* no "-0" */
    snprintf(buf, len, "%.15Lg", v);
}

/* The registry record that applies to sampled household u: its own, or
 * the reserve's that stands in for it. */
static const fd_household *registry_of(const fe_state *s, size_t u)
{
    const fe_unit *e = &s->units[u];
    return &s->f->h[e->hh];
}

void fe_values(const fe_state *s, size_t u, int k, long double *y, long double *x)
{
    const fe_unit *e = &s->units[u];
    const fd_household *r;
    const fe_field *h;
    long double p;
    *y = *x = 0;
    if (e->field < 0) return;
    r = registry_of(s, u);
    h = &s->fields[e->field];
    p = (long double)h->members;
    switch (k) {
    case FE_WRONG_EXIT:
        if (r->status == TP_STATUS_EXITED) {
            *x = p;
            if (h->assessment == HH_WRONGLY_EXITED) *y = p;
        }
        break;
    case FE_MISSED:
        if (r->status == TP_STATUS_GENERAL) {
            *x = p;
            if (h->assessment == HH_MISSED) *y = p;
        }
        break;
    case FE_INCIDENCE:
        *x = p;
        if (h->assessment == HH_REMAINS_POOR || h->assessment == HH_WRONGLY_EXITED || h->assessment == HH_MISSED)
            *y = p;
        break;
    case FE_SATISFACTION:
        if (h->satisfied >= 0) {
            *x = 1;
            *y = h->satisfied == 1;
        }
        break;
    case FE_PAPER_EXIT:
        if (r->assessment == HH_EXIT_CONFIRMED) {
            *x = p;
            if (h->assessment == HH_WRONGLY_EXITED) *y = p;
        }
        break;
    default:
        break;
    }
}

static int western(const char *code)
{
    static const char *const w[] = { "15", "45", "50", "51", "52", "53", "54", "61", "62", "63", "64", "65" };
    size_t i;
    for (i = 0; i < sizeof w / sizeof w[0]; i++)
        if (!memcmp(code, w[i], 2)) return 1;
    return 0;
}

/* R ≥ t, t in millionths: Y·10^6 ≥ t·X (X > 0). */
static int at_least(const fr_result *r, int64_t t)
{
    return r->Y * 1000000.0L >= (long double)t * r->X;
}

static void add_reason(char *buf, size_t len, const char *code)
{
    size_t n = strlen(buf);
    snprintf(buf + n, len - n, "%s%s", n ? ";" : "", code);
}

int fe_compute(fe_state *s)
{
    const fd_design *d = s->d;
    const fd_frame *f = s->f;
    size_t ci, u = 0, maxn = 0, i;
    fr_unit *v = NULL;
    long double *z = NULL;
    uint32_t *psu = NULL, maxm = 1;

    for (ci = 0; ci < d->ncounties; ci++)
        if (d->counties[ci].m > maxm) maxm = d->counties[ci].m;
    if (!(psu = malloc((d->nvillages ? d->nvillages : 1) * sizeof *psu))
        || !(z = malloc(maxm * sizeof *z)))
        goto oom;
    for (ci = 0; ci < d->ncounties; ci++) {
        const fd_county *c = &d->counties[ci];
        uint32_t k = 0;
        for (i = c->first_village; i < c->first_village + c->nvillages; i++)
            psu[i] = d->villages[i].certain_rank ? FR_CERTAIN : d->villages[i].sampled ? k++ : UINT32_MAX;
    }
    /* units are sorted by village, so a county's units are one run */
    for (ci = 0; ci < d->ncounties; ci++) {
        size_t start = u;
        for (; u < d->nunits && d->villages[d->units[u].village].county == ci; u++)
            ;
        if (u - start > maxn) maxn = u - start;
    }
    if (!(v = malloc((maxn ? maxn : 1) * sizeof *v))) goto oom;
    u = 0;
    for (ci = 0; ci < d->ncounties; ci++) {
        const fd_county *c = &d->counties[ci];
        fe_county *fc = &s->counties[ci];
        size_t start = u, n;
        int k, clear = 1;
        int64_t t;
        for (; u < d->nunits && d->villages[d->units[u].village].county == ci; u++) {
            const fe_unit *e = &s->units[u];
            fc->sampled++;
            if (e->state == FE_FOUND) fc->found++;
            else if (e->state == FE_REPLACED) fc->replaced++;
            else fc->missing++;
            if (e->flags) fc->flagged++;
        }
        n = u - start;
        for (k = 0; k < FE_NMEASURES; k++) {
            size_t j;
            for (j = 0; j < n; j++) {
                v[j].psu = psu[d->units[start + j].village];
                v[j].w = s->units[start + j].w;
                fe_values(s, start + j, k, &v[j].y, &v[j].x);
                if (v[j].x > 0) fc->households[k]++;
            }
            if (k == FE_SATISFACTION && !s->has_satisfied) {
                memset(&fc->r[k], 0, sizeof fc->r[k]);
                fc->households[k] = 0;
                continue;
            }
            if (fr_ratio(v, n, c->m, c->M, z, &fc->r[k]) < 0) goto oom;
        }
        fc->western = western(c->code);
        fc->reasons[0] = '\0';
        t = fc->western ? f->incidence_max_western : f->incidence_max;
        if (fc->r[FE_INCIDENCE].defined && at_least(&fc->r[FE_INCIDENCE], t))
            add_reason(fc->reasons, sizeof fc->reasons, "INCIDENCE_HIGH");
        if (fc->r[FE_WRONG_EXIT].defined && at_least(&fc->r[FE_WRONG_EXIT], f->wrong_exit_max))
            add_reason(fc->reasons, sizeof fc->reasons, "WRONG_EXIT_HIGH");
        if (fc->r[FE_MISSED].defined && at_least(&fc->r[FE_MISSED], f->missed_max))
            add_reason(fc->reasons, sizeof fc->reasons, "MISSED_HIGH");
        if (fc->r[FE_SATISFACTION].defined && !at_least(&fc->r[FE_SATISFACTION], f->satisfaction_min))
            add_reason(fc->reasons, sizeof fc->reasons, "SATISFACTION_LOW");
        snprintf(fc->decision, sizeof fc->decision, "%s", fc->reasons[0] ? "fails" : "meets");
        if (!fc->r[FE_WRONG_EXIT].defined) add_reason(fc->reasons, sizeof fc->reasons, "NO_EXITED_SAMPLE");
        if (!fc->r[FE_MISSED].defined) add_reason(fc->reasons, sizeof fc->reasons, "NO_GENERAL_SAMPLE");
        if (!strcmp(fc->decision, "meets") && fc->reasons[0]) snprintf(fc->decision, sizeof fc->decision, "incomplete");
        /* confidence: each interval wholly below or wholly at/above its threshold */
        for (k = 0; k < FE_PAPER_EXIT; k++) {
            const fr_result *r = &fc->r[k];
            long double th;
            if (!r->defined) continue;
            th = (long double)(k == FE_INCIDENCE ? t : k == FE_WRONG_EXIT ? f->wrong_exit_max
                               : k == FE_MISSED ? f->missed_max : f->satisfaction_min) / 1000000.0L;
            if (!(r->hi < th || r->lo >= th)) clear = 0;
        }
        fc->clear = clear;
    }
    free(v);
    free(z);
    free(psu);
    return 0;
oom:
    free(v);
    free(z);
    free(psu);
    return -1;
}

/* ---- the files ------------------------------------------------------------------ */

static void put_flags(FILE *o, unsigned flags)
{
    const char *sep = "";
    if (flags & FE_MEMBERS_CHANGED) { fputs("MEMBERS_CHANGED", o); sep = ";"; }
    if (flags & FE_COUNTY_CHANGED) fprintf(o, "%sCOUNTY_CHANGED", sep);
}

static void write_households(const fe_state *s, FILE *o)
{
    const fd_design *d = s->d;
    size_t i;
    fputs("household_id,region_code,status,members,income_pc,exit_ready,assessment,fails,warnings,"
          "registry_assessment,weight,satisfied,field,replaces,flags\n", o);
    for (i = 0; i < d->nunits; i++) {
        const fe_unit *e = &s->units[i];
        const fd_household *sampled = &s->f->h[d->units[i].hh];
        const fd_household *r = registry_of(s, i);
        uint64_t num, den;
        char w[48];
        fd_weight(d, &d->units[i], &num, &den);
        fd_format_fraction(num, den, w, sizeof w);
        if (e->field >= 0) {
            const fe_field *h = &s->fields[e->field];
            fputs(h->line ? h->line : "", o);
            fprintf(o, ",%s,%s,%s,%s,", hh_assessment_name((hh_assessment)r->assessment), w,
                    h->satisfied < 0 ? "" : h->satisfied ? "yes" : "no", e->state == FE_FOUND ? "found" : "reserve");
            if (e->state == FE_REPLACED) csv_write_field(o, sampled->id, strlen(sampled->id));
            fputc(',', o);
            put_flags(o, e->flags);
            fputc('\n', o);
        } else {
            csv_write_field(o, sampled->id, strlen(sampled->id));
            fprintf(o, ",%s,%s,,,,,,,%s,%s,,missing,,\n", sampled->region, val_status_name((tp_status)sampled->status),
                    hh_assessment_name((hh_assessment)sampled->assessment), w);
        }
    }
}

static void write_estimates(const fe_state *s, FILE *o)
{
    size_t ci;
    int k;
    fputs("county_code,measure,estimate,se,ci_low,ci_high,households,missing\n", o);
    for (ci = 0; ci < s->d->ncounties; ci++) {
        const fe_county *fc = &s->counties[ci];
        for (k = 0; k < FE_NMEASURES; k++) {
            const fr_result *r = &fc->r[k];
            char a[48], b[48], c[48], e[48];
            fe_num(a, sizeof a, r->r, r->defined);
            fe_num(b, sizeof b, r->se, r->defined);
            fe_num(c, sizeof c, r->lo, r->defined);
            fe_num(e, sizeof e, r->hi, r->defined);
            fprintf(o, "%s,%s,%s,%s,%s,%s,%zu,%zu\n", s->d->counties[ci].code, fe_measure_names[k], a, b, c, e,
                    fc->households[k], fc->missing);
        }
    }
}

static void write_counties(const fe_state *s, FILE *o)
{
    size_t ci;
    fputs("county_code,decision,reasons,confidence,sampled,found,replaced,missing,flagged\n", o);
    for (ci = 0; ci < s->d->ncounties; ci++) {
        const fe_county *fc = &s->counties[ci];
        fprintf(o, "%s,%s,%s,%s,%zu,%zu,%zu,%zu,%zu\n", s->d->counties[ci].code, fc->decision, fc->reasons,
                fc->clear ? "clear" : "near_threshold", fc->sampled, fc->found, fc->replaced, fc->missing,
                fc->flagged);
    }
}

/* Field states of agreement.csv: the seven assessments, then missing. */
#define AG_MISSING 7
#define AG_N 8

static void write_agreement(const fe_state *s, FILE *o)
{
    const fd_design *d = s->d;
    size_t ci, u = 0;
    fputs("county_code,registry_assessment,field_assessment,households,weighted_persons\n", o);
    for (ci = 0; ci < d->ncounties; ci++) {
        long double wp[7][AG_N];
        size_t hh[7][AG_N];
        int a, b;
        memset(wp, 0, sizeof wp);
        memset(hh, 0, sizeof hh);
        for (; u < d->nunits && d->villages[d->units[u].village].county == ci; u++) {
            const fe_unit *e = &s->units[u];
            const fd_household *r = registry_of(s, u);
            int fa = e->field >= 0 ? s->fields[e->field].assessment : AG_MISSING;
            long double p = e->field >= 0 ? s->fields[e->field].members : r->members;
            hh[r->assessment][fa]++;
            wp[r->assessment][fa] += e->w * p;
        }
        for (a = 0; a < 7; a++)
            for (b = 0; b < AG_N; b++) {
                char num[48];
                if (!hh[a][b]) continue;
                fe_num(num, sizeof num, wp[a][b], 1);
                fprintf(o, "%s,%s,%s,%zu,%s\n", d->counties[ci].code, hh_assessment_name((hh_assessment)a),
                        b == AG_MISSING ? "missing" : hh_assessment_name((hh_assessment)b), hh[a][b], num);
            }
    }
}

int fe_write_outputs(const fe_state *s, const char *dir, out_file files[5], char *err, size_t errlen)
{
    static const char *const names[5] = { "field_households.csv", "estimates.csv", "field_counties.csv",
                                          "agreement.csv", "estimates.html" };
    int i;
    for (i = 0; i < 5; i++)
        if (out_open(&files[i], dir, names[i], err, errlen) < 0) return -1;
    write_households(s, files[0].f);
    write_estimates(s, files[1].f);
    write_counties(s, files[2].f);
    write_agreement(s, files[3].f);
    fe_write_html(s, files[4].f);
    return 0;
}
