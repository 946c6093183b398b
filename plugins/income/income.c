/* income.c — the `income` stage (standard §3.1): per-capita net income
 * against the line, the declared figure, the near-line band and dependence
 * on transfers.  Every comparison is exact integer arithmetic on cents:
 * income_pc = net / n is never rounded; we compare net with line × n. */
#include <tuopin/stage.h>

#include "i18n.h"

#include <stdlib.h>

typedef struct income_state {
    const tp_host *host;
    int64_t line;       /* cents */
    int64_t tolerance;  /* cents */
    int64_t margin;     /* millionths */
    int64_t share_max;  /* millionths */
} income_state;

static const tp_param_decl income_params[] = {
    { "income_line", TP_PARAM_MONEY, NULL, "0.01", "1000000",
      N_("poverty line, yuan per person per year (default: the national line of the year)") },
    { "income_tolerance", TP_PARAM_MONEY, "1.00", "0", "1000000",
      N_("allowed gap between declared and computed per-capita income, yuan") },
    { "near_line_margin", TP_PARAM_RATIO, "0.10", "0", "10",
      N_("width of the near-line band above the line, as a share of the line") },
    { "transfer_share_max", TP_PARAM_RATIO, "0.50", "0", "1",
      N_("largest share of net income that may come from transfers") },
    { NULL, 0, NULL, NULL, NULL, NULL }
};

static const char *const income_columns[] = {
    "wage_income", "operating_income", "operating_cost", "property_income",
    "transfer_income", NULL
};

static int income_open(const tp_host *host, void *ctx, void **state, char *err, size_t errlen)
{
    income_state *s = calloc(1, sizeof *s);
    (void)err; (void)errlen;
    if (!s) return -1;
    s->host = host;
    if (host->param(ctx, "income_line", &s->line) < 0
        || host->param(ctx, "income_tolerance", &s->tolerance) < 0
        || host->param(ctx, "near_line_margin", &s->margin) < 0
        || host->param(ctx, "transfer_share_max", &s->share_max) < 0) {
        free(s);
        return -1;
    }
    *state = s;
    return 0;
}

static void income_close(void *state) { free(state); }

/* Reports fail BAD_VALUE for every income component that is not a valid
 * non-negative amount.  RETURN: how many there were. */
static int bad_components(const income_state *s, const tp_household *hh)
{
    const struct { const tp_money *m; const char *column; } comp[] = {
        { &hh->wage_income, "wage_income" }, { &hh->operating_income, "operating_income" },
        { &hh->operating_cost, "operating_cost" }, { &hh->property_income, "property_income" },
        { &hh->transfer_income, "transfer_income" }
    };
    size_t i;
    int bad = 0;
    for (i = 0; i < sizeof comp / sizeof comp[0]; i++) {
        if (comp[i].m->state == TP_BAD) {
            tp_finding_args a = { comp[i].column, 0, 0 };
            s->host->finding(hh, TP_FAIL, "BAD_VALUE", 0, &a);
            bad++;
        }
    }
    return bad;
}

static int64_t cents(tp_money m) { return m.state == TP_OK ? m.cents : 0; }

static int income_check(void *state, const tp_household *hh)
{
    const income_state *s = state;
    const tp_host *host = s->host;
    int64_t n = (int64_t)hh->n_members, net, pc_cents;
    __int128 net_m, line_n;
    tp_finding_args a = { NULL, 0, 0 };

    /* A bad component: fail BAD_VALUE and no other income finding (the
     * declared figure's warning included). */
    if (bad_components(s, hh)) return 0;
    /* A bad declared figure is only a warning; the other findings stand. */
    if (hh->declared_income_pc.state == TP_BAD) {
        a.column = "declared_income_pc";
        host->finding(hh, TP_WARN, "BAD_VALUE", 0, &a);
    }
    net = cents(hh->wage_income) + cents(hh->operating_income) - cents(hh->operating_cost)
        + cents(hh->property_income) + cents(hh->transfer_income);
    /* Rounded only for the message; never for a comparison. */
    pc_cents = net / n + ((2 * (net % n >= 0 ? net % n : -(net % n)) >= n) ? (net < 0 ? -1 : 1) : 0);
    line_n = (__int128)s->line * n;
    a.column = NULL;

    /* income_pc < line  ⇔  net < line × n */
    if ((__int128)net < line_n) {
        a.a = pc_cents; a.b = s->line;
        host->finding(hh, TP_FAIL, "INCOME_BELOW_LINE", 0, &a);
    }
    /* |declared − net/n| > tolerance  ⇔  |declared × n − net| > tolerance × n */
    if (hh->declared_income_pc.state == TP_OK) {
        __int128 diff = (__int128)hh->declared_income_pc.cents * n - net;
        if (diff < 0) diff = -diff;
        if (diff > (__int128)s->tolerance * n) {
            a.a = hh->declared_income_pc.cents; a.b = pc_cents;
            host->finding(hh, TP_WARN, "INCOME_MISMATCH", 0, &a);
        }
    }
    /* line ≤ net/n < line × (1 + margin)  ⇔
     * line × n ≤ net  and  net × 10^6 < line × n × (10^6 + margin) */
    net_m = (__int128)net * 1000000;
    if ((__int128)net >= line_n && net_m < line_n * (1000000 + s->margin)) {
        a.a = pc_cents; a.b = s->line;
        host->finding(hh, TP_WARN, "INCOME_NEAR_LINE", 0, &a);
    }
    /* net > 0 and transfer / net > max  ⇔  transfer × 10^6 > max × net */
    if (net > 0 && (__int128)cents(hh->transfer_income) * 1000000 > (__int128)s->share_max * net) {
        a.a = cents(hh->transfer_income); a.b = net;
        host->finding(hh, TP_WARN, "INCOME_TRANSFER_DEPENDENT", 0, &a);
    }
    return 0;
}

static const tp_stage income_stage = {
    TP_ABI_VERSION, sizeof(tp_stage),
    "income", "1.0",
    N_("per-capita net income against the poverty line (standard 3.1)"),
    0, income_params, income_columns,
    income_open, income_check, income_close, NULL
};

TP_STAGE_DEFINE(income_stage)
