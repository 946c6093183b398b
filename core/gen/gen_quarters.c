/*
 * gen_quarters.c - `tuopin gen --quarters N`: N consecutive quarters of one
 * synthetic population, with realistic change between quarters and the
 * patterns evaluators hunt planted at a known rate, plus a ground-truth
 * file listing the planted households (docs/history.md, "Generated
 * quarters").
 *
 * Each household is built once by gen.c (ages at the LAST quarter's as-of
 * date, so children only ever age out of a failing school check, never into
 * one) and written into every quarter it is present in, with its status and
 * income components evolved per quarter.  Natural change: income drift of
 * wages and operating income (-2%..+4% a quarter), occasional transfer
 * changes, poor households that reach the line exiting the next quarter,
 * general households below the line registered, new and vanished
 * households.  Natural change never makes an exited household that met the
 * line fall below it, never exits a household registered within the span,
 * and never exits a household that was below the line the quarter before:
 * those are the planted patterns, aimed at the comparison of the last two
 * quarters (PREVIOUS = quarter N-1, CURRENT = quarter N).
 *
 * Deterministic: everything derives from the seed through gen.c's streams;
 * the same options give the same bytes.
 */
#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L
#endif

#include "gen_int.h"
#include "quarters.h"
#include "values.h"
#include "i18n.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAXQ 12
#define STREAM_EVOLVE 11
#define STREAM_PLANT 12
#define STREAM_QUOTA 13

#define QUOTA_VILLAGES 4        /* villages per planted quota town */
#define QUOTA_POOR 20           /* poor households per such village */
#define QUOTA_OTHERS 4          /* other households per such village */

/* What the generator made a household do. */
enum {
    P_NONE, P_RETURN, P_RISE_FALL, P_NEAR, P_RUSH, P_RECIPIENT, P_DONOR, P_QUOTA_EXIT, P_QUOTA, NP
};
static const char *const P_CODE[NP] = {
    "", "RETURN_TO_POVERTY", "RISE_AND_FALL", "NEAR_LINE_EXIT", "RUSH_EXIT", "TRANSFER_SHIFT",
    "TRANSFER_SHIFT", "QUOTA_EXITS", ""
};
static const char *const P_ROLE[NP] = {
    "", "household", "household", "household", "household", "recipient", "donor", "exited", ""
};

typedef struct {
    int64_t w, oi, oc, p, t;    /* cents: wage, operating income and cost, property, transfer */
} money_t;

static int64_t net_of(const money_t *m) { return m->w + m->oi - m->oc + m->p + m->t; }

/* A household over the quarters. */
typedef struct {
    household_t h;
    int st0;                    /* status as built */
    int known;                  /* every income component parses */
    int whole;                  /* amounts in whole yuan */
    int declared_fixed;         /* keep the declared text (off or blank as built) */
    int property_blank;         /* property income written blank when 0 */
    int clean;                  /* passes every check but income, in every quarter */
    int steady;                 /* clean but for school-age members (whose
                                   failures only ever disappear as they age) */
    money_t base;
    int present[MAXQ];
    int status[MAXQ];
    money_t m[MAXQ];
    int pattern;
} hq_t;

typedef struct {
    gen_t *g;
    int nq, ord0;               /* quarters; ord of the first (year*4 + q-1) */
    int64_t line[MAXQ];
    out_t out[MAXQ];
    char *tmp[MAXQ];
    char *path[MAXQ];
    out_t truth;
    char *truth_tmp, *truth_path;
    uint64_t planted[NP];
    char cur_label[8];
} gq_t;

/* ---- reading the household as built ------------------------------------------- */

static int yes(const char *s) { tp_yesno v = val_yesno(s); return v.state == TP_OK && v.value; }

static void read_base(gq_t *q, hq_t *x)
{
    household_t *h = &x->h;
    tp_money m[NMONEY];
    tp_status st;
    tp_rating rt;
    int i;
    x->st0 = val_status(h->status, &st) == 0 ? (int)st : ST_GENERAL;
    x->known = 1;
    x->whole = 1;
    for (i = 0; i < NMONEY; i++) {
        m[i] = val_money(h->money[i], i != M_DECLARED);
        if (i != M_DECLARED && m[i].state == TP_BAD) x->known = 0;
        if (strchr(h->money[i], '.')) x->whole = 0;
    }
    x->base.w = m[M_WAGE].cents;
    x->base.oi = m[M_OPINC].cents;
    x->base.oc = m[M_OPCOST].cents;
    x->base.p = m[M_PROPERTY].state == TP_OK ? m[M_PROPERTY].cents : 0;
    x->base.t = m[M_TRANSFER].cents;
    x->property_blank = m[M_PROPERTY].state == TP_MISSING;
    x->declared_fixed = m[M_DECLARED].state != TP_OK
        || m[M_DECLARED].cents != val_div_round(net_of(&x->base), h->n);
    /* clean: every check but income passes in every quarter generated.  No
     * member aged 5..18 at the last quarter, so education never applies
     * differently between quarters. */
    rt = val_rating(h->rating);
    x->clean = x->known && !h->faulted && yes(h->food) && yes(h->water) && rt.state == TP_OK
               && (rt.value <= 'B' || yes(h->fixed));
    x->steady = x->clean;
    for (i = 0; i < h->n && x->steady; i++)
        if (!yes(h->p[i].medical)) x->steady = x->clean = 0;
        else if (h->p[i].age >= 5 && h->p[i].age <= 18) x->clean = 0;
    (void)q;
}

/* ---- income helpers ------------------------------------------------------------ */

static int64_t round_up_yuan(int64_t c) { return c % 100 ? c - c % 100 + (c > 0 ? 100 : 0) : c; }

/* Sets m so that the household's net is net (cents), changing the wage
 * (and, when that is not enough, dropping operating and property income,
 * then the transfer). */
static void set_net(money_t *m, int64_t net)
{
    m->w = net - (m->oi - m->oc + m->p + m->t);
    if (m->w < 0) {
        m->oi = m->oc = m->p = 0;
        m->w = net - m->t;
        if (m->w < 0) {
            m->t = net > 0 ? net : 0;
            m->w = net - m->t;
        }
    }
}

/* A per-capita income of permille/1000 of the line (plus a few cents). */
static void set_pc(gq_t *q, hq_t *x, rng_t *r, int k, int lo, int hi)
{
    int n = x->h.n;
    int64_t pc = q->line[k] * gen_rng_range(r, lo, hi) / 1000, net = pc * n + gen_rng_below(r, (uint32_t)n);
    if (x->whole) net = round_up_yuan(net);
    set_net(&x->m[k], net);
}

static int below(gq_t *q, hq_t *x, int k) { return net_of(&x->m[k]) < q->line[k] * x->h.n; }

/* ---- natural change --------------------------------------------------------------- */

static void natural(gq_t *q, uint64_t index, hq_t *x)
{
    rng_t r;
    int a = 0, d = q->nq, k, registered = 0;
    int64_t f = 1000000;
    uint32_t u;
    gen_rng_init(&r, q->g->seed, STREAM_EVOLVE, index);
    /* new (1% a quarter) and vanished (0.3% a quarter) households */
    u = gen_rng_below(&r, 1000000);
    if (u < 10000u * (uint32_t)(q->nq - 1)) a = 1 + (int)(u / 10000u);
    u = gen_rng_below(&r, 1000000);
    if (u < 3000u * (uint32_t)(q->nq - 1)) d = 1 + (int)(u / 3000u);
    if (d <= a) d = q->nq;
    for (k = 0; k < q->nq; k++) {
        x->present[k] = k >= a && k < d;
        if (!x->present[k]) continue;
        if (k == a) {
            x->status[k] = a > 0 && x->st0 == ST_EXITED ? ST_GENERAL : x->st0;
            x->m[k] = x->base;
            continue;
        }
        x->status[k] = x->status[k - 1];
        x->m[k] = x->m[k - 1];
        if (!x->known) continue;
        /* wages and operating income drift */
        f = f * (1000 + gen_rng_range(&r, -20, 40)) / 1000;
        x->m[k].w = x->base.w * f / 1000000;
        x->m[k].oi = x->base.oi * f / 1000000;
        x->m[k].oc = x->base.oc * f / 1000000;
        if (x->whole) {
            x->m[k].w -= x->m[k].w % 100;
            x->m[k].oi -= x->m[k].oi % 100;
            x->m[k].oc -= x->m[k].oc % 100;
        }
        /* a transfer programme starts or ends now and then */
        if (x->m[k].t > 0 && gen_rng_chance(&r, 20000)) {
            int64_t ch = x->m[k].t * gen_rng_range(&r, 100, 300) / 1000;
            x->m[k].t += gen_rng_chance(&r, 500000) ? ch : -ch;
            if (x->whole) x->m[k].t -= x->m[k].t % 100;
        }
        /* status: the normal exit after a quarter at or above the line, and
         * registration of general households below it */
        if (x->status[k - 1] == ST_POOR && x->steady && a == 0 && !registered && !below(q, x, k - 1)
            && gen_rng_chance(&r, 500000))
            x->status[k] = ST_EXITED;
        else if (x->status[k - 1] == ST_GENERAL && below(q, x, k - 1) && gen_rng_chance(&r, 20000)) {
            x->status[k] = ST_POOR;
            registered = 1;
        }
        /* an exited household at or above the line stays there */
        if (x->status[k] == ST_EXITED && !below(q, x, k - 1) && below(q, x, k)) {
            x->m[k] = x->m[k - 1];
            if (below(q, x, k)) set_net(&x->m[k], q->line[k] * x->h.n + (x->whole ? 100 : 1));
        }
    }
}

/* ---- planted patterns ---------------------------------------------------------------- */

static void all_present(gq_t *q, hq_t *x)
{
    int k;
    for (k = 0; k < q->nq; k++) {
        x->present[k] = 1;
        x->m[k] = x->base;
    }
}

/* Plants pattern p in x (eligibility checked by the caller). */
static void plant(gq_t *q, uint64_t index, hq_t *x, int p)
{
    rng_t r;
    int k, C = q->nq - 1, P = q->nq - 2;
    gen_rng_init(&r, q->g->seed, STREAM_PLANT, index * 4 + 1);
    all_present(q, x);
    x->pattern = p;
    /* the transfer stays as it is in every quarter (a pattern of income,
     * not of transfers): at most 0.3 of the line per person, below every
     * income planted, so that only the wage moves */
    for (k = 0; k < q->nq; k++)
        if (x->m[k].t > q->line[k] * 3 / 10 * x->h.n) x->m[k].t = q->line[0] * 3 / 10 * x->h.n;
    for (k = 0; k < q->nq; k++) x->m[k].t = x->m[0].t;
    switch (p) {
    case P_RETURN:
        for (k = 0; k <= P; k++) {
            x->status[k] = ST_EXITED;
            set_pc(q, x, &r, k, 1150, 1600);
        }
        x->status[C] = gen_rng_chance(&r, 500000) ? ST_EXITED : ST_POOR;
        set_pc(q, x, &r, C, 500, 950);
        break;
    case P_RISE_FALL:
        for (k = 0; k < P; k++) {
            x->status[k] = ST_POOR;
            set_pc(q, x, &r, k, 600, 950);
        }
        x->status[P] = ST_EXITED;
        set_pc(q, x, &r, P, 1000, 1300);
        x->status[C] = ST_EXITED;
        set_pc(q, x, &r, C, 500, 950);
        break;
    case P_NEAR:
        for (k = 0; k <= P; k++) {
            x->status[k] = ST_POOR;
            set_pc(q, x, &r, k, 600, 950);
        }
        x->status[C] = ST_EXITED;
        set_pc(q, x, &r, C, 1000, 1090);
        break;
    case P_RUSH: {
        /* f: the first quarter of the current quarter's year in the span */
        int f = C - (q->ord0 + C) % 4, absent = gen_rng_chance(&r, 500000);
        if (f < 0) f = 0;
        for (k = 0; k <= f; k++) {
            x->present[k] = !absent;
            x->status[k] = ST_GENERAL;
        }
        for (k = f + 1; k < C; k++) {
            x->status[k] = ST_POOR;
            set_pc(q, x, &r, k, 1100, 1500);
        }
        x->status[C] = ST_EXITED;
        set_pc(q, x, &r, C, 1200, 1600);
        break;
    }
    default:
        break;
    }
}

/* The pair: donor a (the household before) and recipient b of one village. */
static void plant_pair(gq_t *q, uint64_t index, hq_t *a, hq_t *b)
{
    rng_t r;
    int k, C = q->nq - 1, P = q->nq - 2;
    int64_t gap, d, T;
    gen_rng_init(&r, q->g->seed, STREAM_PLANT, index * 4 + 2);
    all_present(q, a);
    all_present(q, b);
    a->pattern = P_DONOR;
    b->pattern = P_RECIPIENT;
    for (k = 0; k <= P; k++) {
        b->status[k] = ST_POOR;
        set_pc(q, b, &r, k, 800, 950);
    }
    gap = q->line[C] * b->h.n - net_of(&b->m[P]);
    d = round_up_yuan(gap) + 10000;
    if (d < 100000) d = 100000;
    d = round_up_yuan(d);
    b->m[C] = b->m[P];
    b->m[C].t += d;
    b->status[C] = gen_rng_chance(&r, 500000) ? ST_POOR : ST_EXITED;
    T = d + 100 * (int64_t)gen_rng_range(&r, 0, 2000);
    for (k = 0; k <= C; k++) {
        int64_t net = q->line[k] * 3 / 2 * a->h.n + d + 100 * (int64_t)gen_rng_range(&r, 0, 5000);
        a->status[k] = ST_EXITED;
        a->m[k].t = T;
        if (net < net_of(&a->base)) net = net_of(&a->base);
        if (a->whole) net = round_up_yuan(net);
        if (k == C) {
            a->m[k] = a->m[P];
            a->m[k].t = T - d;
        } else {
            set_net(&a->m[k], net);
        }
    }
}

/* ---- writing ----------------------------------------------------------------------------- */

static void put_money(char *dst, int64_t c, int whole) { gen_fmt_money(dst, c, whole); }

static const char *const CANON[3] = { "poor", "exited", "general" };

static void emit(gq_t *q, hq_t *x)
{
    household_t *h = &x->h;
    const char *st_text = h->status;
    int k;
    for (k = 0; k < q->nq; k++) {
        if (!x->present[k]) continue;
        if (x->known) {
            const money_t *m = &x->m[k];
            put_money(h->money[M_WAGE], m->w, x->whole);
            put_money(h->money[M_OPINC], m->oi, x->whole);
            put_money(h->money[M_OPCOST], m->oc, x->whole);
            if (x->property_blank && m->p == 0) h->money[M_PROPERTY][0] = '\0';
            else put_money(h->money[M_PROPERTY], m->p, x->whole);
            put_money(h->money[M_TRANSFER], m->t, x->whole);
            if (!x->declared_fixed) put_money(h->money[M_DECLARED], val_div_round(net_of(m), h->n), x->whole);
        }
        h->status = x->status[k] == x->st0 ? st_text : CANON[x->status[k]];
        gen_emit_household(&q->out[k], h);
    }
    h->status = st_text;
    if (x->pattern != P_NONE && x->pattern != P_QUOTA) {
        out_t *o = &q->truth;
        if (o->len + 256 > o->cap) gen_out_flush(o);
        o->len += (size_t)snprintf(o->buf + o->len, o->cap - o->len, "%s,%s,%s,%s,%s\n", P_CODE[x->pattern],
                                   h->hid, h->region, q->cur_label, P_ROLE[x->pattern]);
        q->planted[x->pattern]++;
    }
}

/* ---- the population ------------------------------------------------------------------------- */

static int per_household_pattern(gq_t *q, uint64_t index, const hq_t *x)
{
    rng_t r;
    uint32_t u, ppm = q->g->plant_ppm;
    int p;
    if (!x->clean || !ppm) return P_NONE;
    gen_rng_init(&r, q->g->seed, STREAM_PLANT, index * 4);
    u = gen_rng_below(&r, 1000000);
    /* each pattern at ppm of the eligible households */
    if (u >= 4 * ppm) return P_NONE;
    p = P_RETURN + (int)(u / ppm);
    if (p == P_RISE_FALL && q->nq < 3) return P_NONE;
    if (p == P_RUSH && (q->ord0 + q->nq - 1) % 4 == 0) return P_NONE;   /* CURRENT is a Q1 */
    return p;
}

/* Planted quota towns: after the population, QUOTA_VILLAGES villages each
 * with QUOTA_POOR poor households, the same round share of which exit in
 * the last quarter. */
static int quota_towns(gq_t *q, uint64_t *next_index, hq_t *x)
{
    static const int SHARE_PCT[5] = { 20, 25, 30, 40, 50 };
    gen_t *g = q->g;
    int ntowns = g->plant_ppm ? 1 + (int)(g->households / 50000) : 0, t, v, j, k;
    int C = q->nq - 1;
    for (t = 0; t < ntowns; t++) {
        rng_t r;
        int c, share, exits;
        gen_rng_init(&r, g->seed, STREAM_QUOTA, (uint64_t)t);
        c = (int)gen_rng_below(&r, GEN_NCOUNTIES);
        share = SHARE_PCT[gen_rng_below(&r, 5)];
        exits = QUOTA_POOR * share / 100;
        for (v = 1; v <= QUOTA_VILLAGES; v++)
            for (j = 0; j < QUOTA_POOR + QUOTA_OTHERS; j++) {
                if (gen_household(g, (*next_index)++, &x->h) != 0) return -1;
                snprintf(x->h.region, sizeof x->h.region, "%s%03d%03d", gen_county_code(c),
                         gen_county_towns(c) + 1 + t, v);
                read_base(q, x);
                all_present(q, x);
                x->pattern = P_QUOTA;
                if (!x->known) {
                    x->known = 1;
                    x->base.w = x->base.oi = x->base.oc = x->base.p = x->base.t = 0;
                    x->declared_fixed = 1;
                }
                for (k = 0; k <= C; k++) {
                    if (j < QUOTA_POOR) {
                        x->status[k] = k == C && j < exits ? ST_EXITED : ST_POOR;
                        if (k == 0) set_pc(q, x, &r, 0, 600, 1300);
                        else x->m[k] = x->m[0];
                    } else {
                        x->status[k] = j % 2 ? ST_EXITED : ST_GENERAL;
                        if (k == 0) set_pc(q, x, &r, 0, 1200, 2500);
                        else x->m[k] = x->m[0];
                    }
                }
                if (j < exits) x->pattern = P_QUOTA_EXIT;
                emit(q, x);
            }
    }
    return 0;
}

static int open_all(gq_t *q)
{
    const char *prefix = q->g->out_path;
    size_t n = strlen(prefix) + 32;
    int k;
    for (k = 0; k < q->nq; k++) {
        char lab[8];
        qd_quarter_label(q->ord0 + k, lab);
        if (!(q->path[k] = malloc(n)) || !(q->out[k].buf = malloc(GEN_OUT_BUF_SIZE))) return -1;
        snprintf(q->path[k], n, "%s-%s.csv", prefix, lab);
        q->out[k].cap = GEN_OUT_BUF_SIZE;
        if (!(q->out[k].fp = gen_open_output(q->path[k], &q->tmp[k]))) return -2;
        gen_emit_header(&q->out[k], q->g->chinese_header);
    }
    if (!(q->truth_path = malloc(n)) || !(q->truth.buf = malloc(1u << 20))) return -1;
    snprintf(q->truth_path, n, "%s-truth.csv", prefix);
    q->truth.cap = 1u << 20;
    if (!(q->truth.fp = gen_open_output(q->truth_path, &q->truth_tmp))) return -2;
    q->truth.len = (size_t)snprintf(q->truth.buf, q->truth.cap, "pattern,household_id,region_code,quarter,role\n");
    return 0;
}

int gen_quarters_main(gen_t *g)
{
    gq_t *q = calloc(1, sizeof *q);
    hq_t *cur = malloc(sizeof *cur), *prev = malloc(sizeof *prev), *t;
    int rc = GEN_OK, k, have_prev = 0, o = 0;
    uint64_t i, next;

    if (!q || !cur || !prev) {
        fprintf(stderr, _("tuopin gen: out of memory\n"));
        rc = GEN_IO;
        goto done;
    }
    q->g = g;
    q->nq = g->quarters;
    q->ord0 = g->year * 4 + g->quarter - 1;
    if ((q->ord0 + q->nq - 1) / 4 > 2099) {
        fprintf(stderr, _("tuopin gen: --quarters %d from %04dQ%d goes past 2099\n"), q->nq, g->year, g->quarter);
        rc = GEN_USAGE;
        goto done;
    }
    for (k = 0; k < q->nq; k++) q->line[k] = gen_line_cents((q->ord0 + k) / 4);
    qd_quarter_label(q->ord0 + q->nq - 1, q->cur_label);
    /* households are built as of the last quarter */
    g->year = (q->ord0 + q->nq - 1) / 4;
    g->quarter = (q->ord0 + q->nq - 1) % 4 + 1;
    gen_derive(g);
    g->slots = calloc((size_t)GEN_NCOUNTIES * (size_t)g->ndays * 2u, sizeof *g->slots);
    if (!g->slots || (o = open_all(q)) == -1) {
        fprintf(stderr, _("tuopin gen: out of memory\n"));
        rc = GEN_IO;
        goto done;
    }
    if (o == -2) {
        rc = GEN_IO;
        goto done;
    }
    for (i = 0; i < g->households; i++) {
        memset(cur->present, 0, sizeof cur->present);
        if (gen_household(g, i, &cur->h) != 0) {
            fprintf(stderr, _("tuopin gen: resident ID numbers exhausted\n"));
            rc = GEN_IO;
            goto done;
        }
        read_base(q, cur);
        cur->pattern = P_NONE;
        natural(q, i, cur);
        /* a transfer moved from the household before, of the same village */
        if (have_prev && prev->pattern == P_NONE && prev->known && cur->clean && g->plant_ppm
            && !strcmp(prev->h.region, cur->h.region)) {
            int all = 1;
            for (k = 0; k < q->nq; k++) all &= prev->present[k] && cur->present[k];
            if (all) {
                rng_t r;
                gen_rng_init(&r, g->seed, STREAM_PLANT, i * 4 + 3);
                if (gen_rng_chance(&r, g->plant_ppm)) plant_pair(q, i, prev, cur);
            }
        }
        if (cur->pattern == P_NONE) {
            int p = per_household_pattern(q, i, cur), all = 1;
            for (k = 0; k < q->nq; k++) all &= cur->present[k];
            if (p != P_NONE && all) plant(q, i, cur, p);
        }
        if (have_prev) emit(q, prev);
        t = prev;
        prev = cur;
        cur = t;
        have_prev = 1;
    }
    if (have_prev) emit(q, prev);
    next = g->households;
    if (quota_towns(q, &next, cur) != 0) {
        fprintf(stderr, _("tuopin gen: resident ID numbers exhausted\n"));
        rc = GEN_IO;
    }
done:
    /* complete every file, or (after a failure) remove every temporary */
    if (q) {
        for (k = 0; k <= q->nq; k++) {
            out_t *ot = k < q->nq ? &q->out[k] : &q->truth;
            char *tmp = k < q->nq ? q->tmp[k] : q->truth_tmp;
            const char *path = k < q->nq ? q->path[k] : q->truth_path;
            if (ot->fp) {
                gen_out_flush(ot);
                if (rc == GEN_OK) {
                    if (gen_close_output(ot->fp, path, tmp, ot->err) != GEN_OK) rc = GEN_IO;
                } else {
                    fclose(ot->fp);
                    if (tmp) remove(tmp);
                    free(tmp);
                }
            }
            free(ot->buf);
            free(k < q->nq ? q->path[k] : q->truth_path);
        }
    }
    if (rc == GEN_OK && q)
        for (k = 0; k < q->nq; k++) gen_note_line((q->ord0 + k) / 4, (q->ord0 + k) % 4 + 1);
    free(g->slots);
    g->slots = NULL;
    free(q);
    free(cur);
    free(prev);
    return rc;
}
