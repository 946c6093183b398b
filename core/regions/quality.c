/* quality.c — village data-quality and fabrication signals (docs/quality.md):
 * missing or bad values, copied income figures, round amounts, bunching at
 * the income line, exited households just above it and too little variation
 * of income within a village, each as a z-score against the villages of its
 * county, summed into a score that ranks the villages of each county.
 *
 * Counting is exact and in integers.  What needs the household itself
 * (agg_quality_facts: findings, hash of the components, bands on the line)
 * runs in the engine's parallel check phase; only the merge into the
 * village (agg_quality_add: counters and one table probe) is on the serial
 * writer path, in input order, so the counts never depend on --jobs.
 * Floating point is used only for the scores, after the run, in one fixed
 * order (villages by code), so the scores do not depend on it either. */
#include "agg_internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { Q_MISSING, Q_COPIED, Q_ROUND, Q_BUNCHING, Q_EXITED_NEAR, Q_CV };

const char *const agg_qsig_names[AGG_NQSIG] = {
    "missing_bad", "copied", "round", "bunching", "exited_near", "cv"
};
const char *const agg_qsig_codes[AGG_NQSIG] = {
    "MISSING_OR_BAD", "COPIED_INCOMES", "ROUND_AMOUNTS", "BUNCHED_AT_LINE",
    "EXITED_JUST_ABOVE_LINE", "LITTLE_VARIATION"
};
const char *const agg_qsig_en[AGG_NQSIG] = {
    "many missing or bad values",
    "identical income figures in several households",
    "income amounts in round hundreds of yuan",
    "incomes bunched just above the poverty line",
    "exited households just above the line",
    "too little variation of income between households"
};
const char *const agg_qsig_zh[AGG_NQSIG] = {
    "缺失或错误值多",
    "多户收入数字完全相同",
    "收入多为整百元",
    "收入集中在贫困线上方",
    "脱贫户收入刚过线",
    "户间收入差异过小"
};
/* +1: a high value is suspicious; -1: a low one (the coefficient of variation). */
static const int q_orient[AGG_NQSIG] = { 1, 1, 1, 1, 1, -1 };

#define TOP_BIT (1ULL << 63)

void agg_enable_quality(agg *a, int64_t line_cents)
{
    a->quality = 1;
    a->q_line = line_cents;
}

/* Counts one occurrence of fingerprint fp (never 0, top bit clear) in the
 * village's table: a tuple's second sighting makes both households copied,
 * every later one one more.  RETURN 0, or -1 out of memory. */
static int tuple_add(agg_quality *q, uint64_t fp)
{
    uint32_t i, mask;
    if (!q->tcap) {
        if (!(q->tup = calloc(16, sizeof *q->tup))) return -1;
        q->tcap = 16;
    }
    for (;;) {
        mask = q->tcap - 1;
        for (i = (uint32_t)(fp >> 20) & mask; q->tup[i]; i = (i + 1) & mask)
            if ((q->tup[i] & ~TOP_BIT) == fp) {
                if (q->tup[i] & TOP_BIT) {
                    q->copied++;
                } else {
                    q->tup[i] |= TOP_BIT;
                    q->copied += 2;
                }
                return 0;
            }
        if ((uint64_t)(q->tn + 1) * 4 <= (uint64_t)q->tcap * 3) break;
        if (q->tcap >= AGG_Q_SLOTS_MAX) {   /* full: the bound of the design */
            q->capped = 1;
            return 0;
        }
        {
            uint32_t ncap = q->tcap * 2, j, k;
            uint64_t *nt = calloc(ncap, sizeof *nt);
            if (!nt) return -1;
            for (j = 0; j < q->tcap; j++) {
                if (!q->tup[j]) continue;
                for (k = (uint32_t)((q->tup[j] & ~TOP_BIT) >> 20) & (ncap - 1); nt[k]; k = (k + 1) & (ncap - 1)) {}
                nt[k] = q->tup[j];
            }
            free(q->tup);
            q->tup = nt;
            q->tcap = ncap;
        }
    }
    q->tup[i] = fp;
    q->tn++;
    return 0;
}

int agg_quality_on(const agg *a)
{
    return a->quality;
}

/* Everything that needs the household itself, on the thread that evaluated
 * it (the engine's parallel check phase): the findings scanned, the
 * components hashed, income_pc and its bands on the line. */
void agg_quality_facts(const agg *a, const hh_eval *e, agg_qfacts *qf)
{
    const tp_household *h = &e->view;
    const tp_money *comp[5] = { &h->wage_income, &h->operating_income, &h->operating_cost,
                                &h->property_income, &h->transfer_income };
    int64_t c[5];
    size_t i;
    int k, nonzero = 0;
    int64_t n = (int64_t)h->n_members;
    unsigned flags = 0;

    qf->fp = 0;
    qf->income_pc = 0;
    qf->amounts = qf->round_amounts = 0;
    for (i = 0; i < e->nf; i++) {
        const char *code = hh_finding_code(e, &e->f[i]);
        if (!strcmp(code, "MISSING_VALUE") || !strcmp(code, "BAD_VALUE")) {
            flags |= AGG_QF_MISSING_BAD;
            break;
        }
    }
    for (k = 0; k < 5; k++) {
        c[k] = comp[k]->state == TP_OK ? comp[k]->cents : 0;
        if (comp[k]->state == TP_OK && c[k] != 0) {
            qf->amounts++;
            if (c[k] % 10000 == 0) qf->round_amounts++;
            nonzero = 1;
        }
    }
    if (e->income_ok && n >= 1) {
        flags |= AGG_QF_VALID;
        if (nonzero) qf->fp = (hash_bytes(c, sizeof c, 0x7175616c69747921ULL) & ~TOP_BIT) | 1u;
        qf->income_pc = e->net / n;   /* in whole cents, truncated toward zero */
        if (a->q_line >= 0) {
            /* exact: L ≤ net/n < 1.05 L  ⇔  L·n ≤ net and 100·net < 105·L·n */
            __int128 ln = (__int128)a->q_line * n, net100 = (__int128)e->net * 100;
            if (e->net >= ln && net100 < ln * 105) flags |= AGG_QF_ABOVE;
            if (e->net < ln && net100 >= ln * 95) flags |= AGG_QF_BELOW;
            if (h->status == TP_STATUS_EXITED) flags |= AGG_QF_EXITED;
        }
    }
    qf->flags = (unsigned char)flags;
}

/* The serial part: counters and one probe of the village's table. */
int agg_quality_add(agg *a, agg_quality *q, const agg_qfacts *f)
{
    unsigned flags = f->flags;
    int64_t x = f->income_pc;
    (void)a;
    q->hh++;
    q->missing_bad += flags & AGG_QF_MISSING_BAD;
    q->amounts += f->amounts;
    q->round_amounts += f->round_amounts;
    if (!(flags & AGG_QF_VALID)) return 0;
    if (f->fp && tuple_add(q, f->fp) < 0) return -1;
    q->inc_n++;
    q->inc_sum += x;
    q->inc_sq += (unsigned __int128)((__int128)x * x);
    q->near_above += (flags & AGG_QF_ABOVE) != 0;
    q->near_below += (flags & AGG_QF_BELOW) != 0;
    if (flags & AGG_QF_EXITED) {
        q->exited++;
        q->exited_near += (flags & AGG_QF_ABOVE) != 0;
    }
    return 0;
}

/* The values of the six signals of village q (docs/quality.md). */
static void q_values(const agg *a, agg_quality *q)
{
    q->defined = 0;
    memset(q->val, 0, sizeof q->val);
    if (q->hh) {
        q->val[Q_MISSING] = (double)q->missing_bad / (double)q->hh;
        q->val[Q_COPIED] = (double)q->copied / (double)q->hh;
        q->defined |= 1u << Q_MISSING | 1u << Q_COPIED;
    }
    if (q->amounts) {
        q->val[Q_ROUND] = (double)q->round_amounts / (double)q->amounts;
        q->defined |= 1u << Q_ROUND;
    }
    if (a->q_line >= 0) {
        q->val[Q_BUNCHING] = (double)logl(((long double)q->near_above + 1) / ((long double)q->near_below + 1));
        q->defined |= 1u << Q_BUNCHING;
        if (q->exited) {
            q->val[Q_EXITED_NEAR] = (double)q->exited_near / (double)q->exited;
            q->defined |= 1u << Q_EXITED_NEAR;
        }
    }
    if (q->inc_n >= 2 && q->inc_sum > 0) {
        /* CV = sqrt(n Σx² − (Σx)²) / Σx: the difference exactly when it fits */
        unsigned __int128 s = (unsigned __int128)q->inc_sum, ss = s * s, nsq;
        long double d;
        if (q->inc_sq <= ~(unsigned __int128)0 / q->inc_n) {
            nsq = q->inc_sq * q->inc_n;
            d = nsq > ss ? (long double)(nsq - ss) : 0.0L;
        } else {
            d = (long double)q->inc_sq * q->inc_n - (long double)ss;
            if (d < 0) d = 0;
        }
        q->val[Q_CV] = (double)(sqrtl(d) / (long double)s);
        q->defined |= 1u << Q_CV;
    }
}

static const agg *qsort_agg;   /* qsort has no context; the writer is single-threaded */

static int cmp_village_code(const void *x, const void *y)
{
    return strcmp(qsort_agg->r[*(const size_t *)x].code, qsort_agg->r[*(const size_t *)y].code);
}

/* County, then score (higher first), then village code. */
static int cmp_county_score(const void *x, const void *y)
{
    const agg_region *p = &qsort_agg->r[*(const size_t *)x], *r = &qsort_agg->r[*(const size_t *)y];
    int c = memcmp(p->code, r->code, 6);
    if (c) return c;
    if (p->q.score != r->q.score) return p->q.score > r->q.score ? -1 : 1;
    return strcmp(p->code, r->code);
}

/* Villages (indices of a->r) sorted by cmp; *n their number.  Owned. */
static size_t *villages(const agg *a, size_t *n, int (*cmp)(const void *, const void *))
{
    size_t *v = malloc((a->nr ? a->nr : 1) * sizeof *v), i;
    if (!v) return NULL;
    for (i = *n = 0; i < a->nr; i++)
        if (a->r[i].level == AGG_VILLAGE) v[(*n)++] = i;
    qsort_agg = a;
    qsort(v, *n, sizeof *v, cmp);
    return v;
}

/* z-scores, scores and ranks of the villages v[0..n) of one county (in code
 * order): population mean and standard deviation over the villages where
 * the signal has a value; z = 0 where it has none or the deviation is 0. */
static void score_county(agg *a, const size_t *v, size_t n)
{
    size_t i;
    int s;
    for (s = 0; s < AGG_NQSIG; s++) {
        long double sum = 0, mean, var = 0, sd;
        size_t m = 0;
        for (i = 0; i < n; i++) {
            const agg_quality *q = &a->r[v[i]].q;
            if (q->defined & (1u << s)) { sum += q->val[s]; m++; }
        }
        mean = m ? sum / m : 0;
        for (i = 0; i < n; i++) {
            const agg_quality *q = &a->r[v[i]].q;
            if (q->defined & (1u << s)) var += ((long double)q->val[s] - mean) * ((long double)q->val[s] - mean);
        }
        sd = m ? sqrtl(var / m) : 0;
        for (i = 0; i < n; i++) {
            agg_quality *q = &a->r[v[i]].q;
            q->z[s] = (q->defined & (1u << s)) && sd > 1e-12L ? (double)(((long double)q->val[s] - mean) / sd) : 0.0;
        }
    }
    for (i = 0; i < n; i++) {
        agg_quality *q = &a->r[v[i]].q;
        long double score = 0;
        for (s = 0; s < AGG_NQSIG; s++) {
            double oz = q_orient[s] * q->z[s];
            if (oz > 0) score += oz;
        }
        q->score = (double)score;
        q->county_villages = (uint32_t)n;
    }
}

int agg_quality_finish(agg *a)
{
    size_t n, i, j, *v;
    if (!a->quality || a->q_done) return 0;
    if (!(v = villages(a, &n, cmp_village_code))) return -1;
    for (i = 0; i < n; i++) {
        agg_quality *q = &a->r[v[i]].q;
        q_values(a, q);
        free(q->tup);
        q->tup = NULL;
        q->tcap = q->tn = 0;
    }
    for (i = 0; i < n; i = j) {
        for (j = i + 1; j < n && !memcmp(a->r[v[i]].code, a->r[v[j]].code, 6); j++) {}
        score_county(a, v + i, j - i);
    }
    free(v);
    if (!(v = villages(a, &n, cmp_county_score))) return -1;
    for (i = 0; i < n; i = j) {
        for (j = i; j < n && !memcmp(a->r[v[i]].code, a->r[v[j]].code, 6); j++)
            a->r[v[j]].q.rank = (uint32_t)(j - i + 1);
    }
    /* kept: quality.csv and both reports list the villages in this order */
    free(a->q_order);
    a->q_order = v;
    a->q_norder = n;
    a->q_done = 1;
    return 0;
}

size_t *agg_quality_order(const agg *a, size_t *n)
{
    size_t *v;
    if (!a->q_order) return villages(a, n, cmp_county_score);
    if (!(v = malloc((a->q_norder ? a->q_norder : 1) * sizeof *v))) return NULL;
    if (a->q_norder) memcpy(v, a->q_order, a->q_norder * sizeof *v);
    *n = a->q_norder;
    return v;
}

void agg_quality_reasons(const agg_quality *q, const char *const *names, const char *sep,
                         int with_z, char *buf, size_t n)
{
    int idx[AGG_NQSIG], m = 0, s, i, j;
    size_t len = 0;
    buf[0] = '\0';
    for (s = 0; s < AGG_NQSIG; s++)
        if (q_orient[s] * q->z[s] >= AGG_Q_REASON_Z) idx[m++] = s;
    if (!m) {   /* none that strong: the strongest one above its county's mean */
        for (s = 0; s < AGG_NQSIG; s++)
            if (q_orient[s] * q->z[s] > 0 && (!m || q_orient[s] * q->z[s] > q_orient[idx[0]] * q->z[idx[0]])) {
                idx[0] = s;
                m = 1;
            }
    }
    /* strongest first; ties in the signals' order */
    for (i = 1; i < m; i++)
        for (j = i; j > 0 && q_orient[idx[j]] * q->z[idx[j]] > q_orient[idx[j - 1]] * q->z[idx[j - 1]]; j--) {
            int t = idx[j]; idx[j] = idx[j - 1]; idx[j - 1] = t;
        }
    for (i = 0; i < m; i++) {
        int w = with_z ? snprintf(buf + len, n - len, "%s%s (z %.1f)", len ? sep : "", names[idx[i]],
                                  q_orient[idx[i]] * q->z[idx[i]])
                       : snprintf(buf + len, n - len, "%s%s", len ? sep : "", names[idx[i]]);
        if (w < 0 || (size_t)w >= n - len) return;
        len += (size_t)w;
    }
}
