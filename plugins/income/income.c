/* income.c — the `income` stage (standard §3.1): per-capita net income
 * against the line, the declared figure, the near-line band and dependence
 * on transfers.  Every comparison is exact integer arithmetic on cents:
 * income_pc = net / n is never rounded; we compare net with line × n. */
#include <tuopin/stage.h>

#include <stdlib.h>

typedef struct income_state {
    const tp_host *host;
    int64_t line;       /* cents */
    int64_t tolerance;  /* cents */
    int64_t margin;     /* millionths */
    int64_t share_max;  /* millionths */
} income_state;

static const tp_param_decl income_params[] = {
    { .name = "income_line", .type = TP_PARAM_MONEY, .default_value = NULL, .min = "0.01",
      .max = "1000000",
      .description = "poverty line, yuan per person per year (default: the national line of the year)",
      .description_zh = "收入标准，元/人/年（默认：当年的国家标准）" },
    { .name = "income_tolerance", .type = TP_PARAM_MONEY, .default_value = "1.00", .min = "0",
      .max = "1000000",
      .description = "allowed gap between declared and computed per-capita income, yuan",
      .description_zh = "申报人均收入与计算所得人均收入之间允许的差额，元" },
    { .name = "near_line_margin", .type = TP_PARAM_RATIO, .default_value = "0.10", .min = "0",
      .max = "10",
      .description = "width of the near-line band above the line, as a share of the line",
      .description_zh = "标准线以上“临界”区间的宽度，按标准的比例计" },
    { .name = "transfer_share_max", .type = TP_PARAM_RATIO, .default_value = "0.50", .min = "0",
      .max = "1",
      .description = "largest share of net income that may come from transfers",
      .description_zh = "纯收入中转移性收入可占的最大比例" }
};

static const tp_code_decl income_codes[] = {
    { .code = "INCOME_BELOW_LINE",
      .en = "per-capita net income {a.yuan} yuan is below the line of {b.yuan} yuan",
      .zh = "人均纯收入{a.yuan}元，低于收入标准{b.yuan}元" },
    { .code = "INCOME_MISMATCH",
      .en = "declared per-capita income {a.yuan} yuan differs from the computed {b.yuan} yuan",
      .zh = "申报人均纯收入{a.yuan}元，与核算的人均纯收入{b.yuan}元不符" },
    { .code = "INCOME_NEAR_LINE",
      .en = "per-capita net income {a.yuan} yuan is only just above the line of {b.yuan} yuan",
      .zh = "人均纯收入{a.yuan}元，仅略高于收入标准{b.yuan}元" },
    { .code = "INCOME_TRANSFER_DEPENDENT",
      .en = "transfer income {a.yuan} yuan is too large a share of net income {b.yuan} yuan",
      .zh = "转移性收入{a.yuan}元占家庭纯收入{b.yuan}元的比例超过上限" }
};

static const char *const income_columns[] = {
    "wage_income", "operating_income", "operating_cost", "property_income",
    "transfer_income", NULL
};

static int income_open(const tp_stage *self, void *user, const tp_host *host, tp_ctx *ctx,
                       void **state, char *err, size_t errlen)
{
    income_state *s = calloc(1, sizeof *s);
    (void)self; (void)user; (void)err; (void)errlen;
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
            s->host->finding(hh->ctx, TP_FAIL, "BAD_VALUE", 0, &a);
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
        host->finding(hh->ctx, TP_WARN, "BAD_VALUE", 0, &a);
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
        host->finding(hh->ctx, TP_FAIL, "INCOME_BELOW_LINE", 0, &a);
    }
    /* |declared − net/n| > tolerance  ⇔  |declared × n − net| > tolerance × n */
    if (hh->declared_income_pc.state == TP_OK) {
        __int128 diff = (__int128)hh->declared_income_pc.cents * n - net;
        if (diff < 0) diff = -diff;
        if (diff > (__int128)s->tolerance * n) {
            a.a = hh->declared_income_pc.cents; a.b = pc_cents;
            host->finding(hh->ctx, TP_WARN, "INCOME_MISMATCH", 0, &a);
        }
    }
    /* line ≤ net/n < line × (1 + margin)  ⇔
     * line × n ≤ net  and  net × 10^6 < line × n × (10^6 + margin) */
    net_m = (__int128)net * 1000000;
    if ((__int128)net >= line_n && net_m < line_n * (1000000 + s->margin)) {
        a.a = pc_cents; a.b = s->line;
        host->finding(hh->ctx, TP_WARN, "INCOME_NEAR_LINE", 0, &a);
    }
    /* net > 0 and transfer / net > max  ⇔  transfer × 10^6 > max × net */
    if (net > 0 && (__int128)cents(hh->transfer_income) * 1000000 > (__int128)s->share_max * net) {
        a.a = cents(hh->transfer_income); a.b = net;
        host->finding(hh->ctx, TP_WARN, "INCOME_TRANSFER_DEPENDENT", 0, &a);
    }
    return 0;
}

/* Its fail findings decide missed and unverified (standard §4). */
static const tp_stage income_stage = {
    TP_STAGE_HEAD,
    .name = "income",
    .version = "1.0",
    .description = "per-capita net income against the poverty line (standard 3.1)",
    .description_zh = "人均纯收入与收入标准比较（标准 3.1）",
    .role = TP_ROLE_INCOME,
    .dimension = TP_DIM_INCOME,
    .params = TP_LIST(income_params),
    .codes = TP_LIST(income_codes),
    .columns = income_columns,
    .open = income_open,
    .check = income_check,
    .close = income_close
};

TP_STAGE_DEFINE(income_stage)
