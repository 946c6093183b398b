/* gen_fabricated.c — `tuopin gen --fabricated N`: villages whose incomes were
 * made up at a desk (算账式脱贫), for the village data-quality signals
 * (docs/quality.md) to find.  In such a village every household's five
 * income figures are the village's figures for its member count — copied
 * between households — every amount is a whole multiple of 100 yuan, and
 * the net income puts the household just above the poverty line.  The
 * villages come from their own random stream, so the other households'
 * bytes do not change. */
#include "gen_int.h"
#include "i18n.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define STREAM_FABRICATED 5

/* A planted village gets at least this many households of the quarter, so
 * that its copied figures, round amounts and bunching show (issue 21: on a
 * small quarter villages that got no household were listed). */
#define FAB_MIN_HOUSEHOLDS 10
/* Candidates drawn before the rest are taken in code order (a quarter where
 * few villages qualify). */
#define FAB_MAX_DRAWS 1000000

static int fab_listed(const gen_t *g, int k, int c, int t, int v)
{
    int i;
    for (i = 0; i < k; i++)
        if (g->fab[i][0] == c && g->fab[i][1] == t && g->fab[i][2] == v) return 1;
    return 0;
}

int gen_fab_pick(gen_t *g)
{
    rng_t r;
    int per_county[GEN_NCOUNTIES] = { 0 };
    int k = 0, can = 0, c, t, v;
    long draws = 0;
    uint32_t *counts;
    if (!g->fab_n) return GEN_OK;
    if (!(counts = calloc(GEN_VILLAGE_SLOTS, sizeof *counts))) {
        fprintf(stderr, _("tuopin gen: out of memory\n"));
        return GEN_IO;
    }
    gen_layout_counts(g, counts);
    /* how many can be planted: at most 2 a county among its villages with
     * enough households */
    for (c = 0; c < GEN_NCOUNTIES; c++) {
        int n = 0;
        for (t = 1; t <= gen_county_towns(c); t++)
            for (v = 1; v <= gen_villages_in(c, t); v++)
                n += counts[GEN_VILLAGE_SLOT(c, t, v)] >= FAB_MIN_HOUSEHOLDS;
        can += n < 2 ? n : 2;
    }
    if (can < g->fab_n) {
        fprintf(stderr, _("tuopin gen: --fabricated %d: in a quarter of %llu households only %d villages can be "
                          "planted (villages with at least %d households, at most 2 a county); ask for at most %d "
                          "or generate more households\n"),
                g->fab_n, (unsigned long long)g->households, can, FAB_MIN_HOUSEHOLDS, can);
        free(counts);
        return GEN_USAGE;
    }
    /* drawn from the seed as before; a village with too few households is
     * passed over (on a large quarter, where every village has enough, the
     * same villages as before) */
    gen_rng_init(&r, g->seed, STREAM_FABRICATED, 0);
    while (k < g->fab_n && draws++ < FAB_MAX_DRAWS) {
        c = (int)gen_rng_below(&r, GEN_NCOUNTIES);
        t = gen_rng_range(&r, 1, gen_county_towns(c));
        v = gen_rng_range(&r, 1, gen_villages_in(c, t));
        if (per_county[c] >= 2 || counts[GEN_VILLAGE_SLOT(c, t, v)] < FAB_MIN_HOUSEHOLDS
            || fab_listed(g, k, c, t, v))
            continue;
        g->fab[k][0] = c;
        g->fab[k][1] = t;
        g->fab[k][2] = v;
        per_county[c]++;
        k++;
    }
    for (c = 0; c < GEN_NCOUNTIES && k < g->fab_n; c++)
        for (t = 1; t <= gen_county_towns(c) && k < g->fab_n; t++)
            for (v = 1; v <= gen_villages_in(c, t) && k < g->fab_n; v++)
                if (per_county[c] < 2 && counts[GEN_VILLAGE_SLOT(c, t, v)] >= FAB_MIN_HOUSEHOLDS
                    && !fab_listed(g, k, c, t, v)) {
                    g->fab[k][0] = c;
                    g->fab[k][1] = t;
                    g->fab[k][2] = v;
                    per_county[c]++;
                    k++;
                }
    free(counts);
    return GEN_OK;
}

/* The slot of the current village in g->fab, or -1. */
static int fab_slot(const gen_t *g)
{
    int i;
    for (i = 0; i < g->fab_n; i++)
        if (g->fab[i][0] == g->county && g->fab[i][1] == g->town && g->fab[i][2] == g->village)
            return i;
    return -1;
}

int gen_fab_is(const gen_t *g) { return fab_slot(g) >= 0; }

/* cents as "123" (whole yuan) or "123.45". */
static void money_text(char *buf, int64_t cents)
{
    int64_t a = cents < 0 ? -cents : cents;
    if (a % 100 == 0)
        sprintf(buf, "%s%lld", cents < 0 ? "-" : "", (long long)(a / 100));
    else
        sprintf(buf, "%s%lld.%02lld", cents < 0 ? "-" : "", (long long)(a / 100), (long long)(a % 100));
}

void gen_fab_income(const gen_t *g, household_t *h)
{
    const int64_t L = g->line_cents, n = h->n, step = 10000;   /* 100 yuan */
    int slot = fab_slot(g);
    rng_t r;
    int64_t base, top, span, net, transfer, q, rem;
    /* the same draw for every household of this village and member count */
    gen_rng_init(&r, g->seed, STREAM_FABRICATED, 1 + (uint64_t)slot * 16u + (uint64_t)n);
    base = (L * n + step - 1) / step * step;       /* the first 100 yuan at or above L·n */
    top = (105 * L * n - 1) / 100;                  /* the last cent below 1.05·L·n */
    span = top >= base ? (top - base) / step : 0;
    net = base + (int64_t)gen_rng_below(&r, (uint32_t)(span + 1)) * step;
    transfer = net * gen_rng_range(&r, 200, 400) / 1000 / step * step;
    money_text(h->money[M_WAGE], net - transfer);
    h->money[M_OPINC][0] = '\0';
    h->money[M_OPCOST][0] = '\0';
    h->money[M_PROPERTY][0] = '\0';
    money_text(h->money[M_TRANSFER], transfer);
    /* declared: net / n rounded half away from zero, as the others' */
    q = net / n;
    rem = net % n;
    if (2 * rem >= n) q++;
    money_text(h->money[M_DECLARED], q);
}

int gen_fab_write_list(const gen_t *g)
{
    FILE *f;
    int i;
    if (!g->fab_list) return GEN_OK;
    if (!(f = fopen(g->fab_list, "w"))) {
        fprintf(stderr, _("tuopin gen: cannot write %s: %s\n"), g->fab_list, strerror(errno));
        return GEN_IO;
    }
    for (i = 0; i < g->fab_n; i++)
        fprintf(f, "%s%03d%03d\n", gen_county_code(g->fab[i][0]), g->fab[i][1], g->fab[i][2]);
    if (fclose(f) != 0) {
        fprintf(stderr, _("tuopin gen: cannot write %s: %s\n"), g->fab_list, strerror(errno));
        return GEN_IO;
    }
    return GEN_OK;
}
