/* test_income.c — the `income` stage (standard §3.1) at its exact
 * boundaries.  The real plugin is loaded from the build tree and driven
 * through a host table written here, with hand-built households; its
 * findings are captured and compared with what the standard's rules give.
 *
 * Amounts are in cents; the line is 4000.00 yuan unless a test says
 * otherwise, the tolerance 1.00, the near-line margin 0.10 and the transfer
 * share 0.50 (the national defaults). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plugin.h"

/* ---- the host ------------------------------------------------------------- */

typedef struct captured {
    tp_severity sev;
    char code[64];
    size_t member;
    char column[64];
} captured;

static captured found[64];
static size_t nfound;

static struct { const char *name; int64_t value; } param_table[] = {
    { "income_line", 400000 },          /* cents */
    { "income_tolerance", 100 },        /* cents */
    { "near_line_margin", 100000 },     /* millionths */
    { "transfer_share_max", 500000 },   /* millionths */
};

static int h_finding(tp_ctx *ctx, tp_severity sev, const char *code, size_t member,
                     const tp_finding_args *args)
{
    captured *c;
    (void)ctx;
    assert_true(nfound < 64);
    c = &found[nfound++];
    c->sev = sev;
    snprintf(c->code, sizeof c->code, "%s", code);
    c->member = member;
    snprintf(c->column, sizeof c->column, "%s", args && args->column ? args->column : "");
    return 0;
}

static int h_param(tp_ctx *ctx, const char *name, int64_t *value)
{
    size_t i;
    (void)ctx;
    for (i = 0; i < sizeof param_table / sizeof param_table[0]; i++) {
        if (!strcmp(param_table[i].name, name)) {
            *value = param_table[i].value;
            return 0;
        }
    }
    return -1;
}

static void h_as_of(tp_ctx *ctx, int *y, int *m, int *d) { (void)ctx; *y = 2020; *m = 9; *d = 30; }
static int h_column(tp_ctx *ctx, const char *name) { (void)ctx; (void)name; return -1; }
static const char *h_field(tp_ctx *ctx, size_t m, int col)
{
    (void)ctx; (void)m; (void)col;
    return "";
}
static void h_log(tp_ctx *ctx, const char *msg) { (void)ctx; (void)msg; }
static int h_chinese(tp_ctx *ctx) { (void)ctx; return 0; }

static int h_finding_text(tp_ctx *ctx, tp_severity sev, const char *code,
                          size_t member, const char *detail)
{
    (void)detail;
    return h_finding(ctx, sev, code, member, NULL);
}

static int h_has(tp_ctx *ctx, const char *code)
{
    size_t i;
    (void)ctx;
    for (i = 0; i < nfound; i++)
        if (!strcmp(found[i].code, code)) return 1;
    return 0;
}

static const tp_host host = {
    .struct_size = sizeof(tp_host), .abi_version = TP_ABI_VERSION,
    .finding = h_finding, .param = h_param, .as_of = h_as_of, .column = h_column,
    .field = h_field, .log = h_log, .finding_text = h_finding_text, .has = h_has,
    .chinese = h_chinese
};

static plugin income;

static void set_param(const char *name, int64_t value)
{
    size_t i;
    for (i = 0; i < sizeof param_table / sizeof param_table[0]; i++)
        if (!strcmp(param_table[i].name, name)) param_table[i].value = value;
}

/* ---- households -------------------------------------------------------------- */

static tp_member members[8];

static const tp_money BLANK = { TP_MISSING, 0 };
static const tp_money BAD = { TP_BAD, 0 };
static tp_money C(int64_t cents) { tp_money m = { TP_OK, cents }; return m; }

/* A household of n members with every income field blank. */
static tp_household household(size_t n)
{
    tp_household h;
    memset(&h, 0, sizeof h);
    h.struct_size = sizeof h;
    h.household_id = "H1";
    h.region_code = "110101001001";
    h.status = TP_STATUS_POOR;
    h.wage_income = h.operating_income = h.operating_cost = h.property_income =
        h.transfer_income = h.declared_income_pc = BLANK;
    h.n_members = n;
    h.members = members;
    h.member_size = sizeof members[0];
    return h;
}

/* Runs the stage on h with the current parameters. */
static void check(const tp_household *h)
{
    void *st = NULL;
    char err[256] = "";
    nfound = 0;
    if (income.desc->open
        && income.desc->open(income.raw, income.desc->user, &host, NULL, &st, err, sizeof err) != 0)
        fail_msg("income open failed: %s", err);
    assert_int_equal(income.desc->check(st, h), 0);
    if (income.desc->close) income.desc->close(st);
}

static int count(tp_severity sev, const char *code)
{
    size_t i;
    int n = 0;
    for (i = 0; i < nfound; i++)
        if (found[i].sev == sev && !strcmp(found[i].code, code)) n++;
    return n;
}

/* The column named by the first finding of that severity and code. */
static const char *column_of(tp_severity sev, const char *code)
{
    size_t i;
    for (i = 0; i < nfound; i++)
        if (found[i].sev == sev && !strcmp(found[i].code, code)) return found[i].column;
    return "(no such finding)";
}

static void dump(void)
{
    size_t i;
    for (i = 0; i < nfound; i++)
        print_message("  finding: %s %s member %zu column %s\n",
                      found[i].sev == TP_FAIL ? "fail" : "warn", found[i].code, found[i].member,
                      found[i].column);
}

#define HAS(sev, code) do { if (count(sev, code) != 1) { dump(); \
    fail_msg("expected exactly one %s %s", #sev, code); } } while (0)
#define HASNT(sev, code) do { if (count(sev, code) != 0) { dump(); \
    fail_msg("expected no %s %s", #sev, code); } } while (0)
#define NONE() do { if (nfound != 0) { dump(); fail_msg("expected no finding"); } } while (0)

/* ---- INCOME_BELOW_LINE ------------------------------------------------------------ */

/* Standard §4 and §6: the income stage declares the role that decides
 * missed and unverified, and the income dimension; its codes have English
 * and Chinese texts. */
static void test_income_declares_its_role_dimension_and_texts(void **state)
{
    size_t i;
    (void)state;
    assert_int_equal(income.abi, 2);
    assert_int_equal(income.desc->role, TP_ROLE_INCOME);
    assert_int_equal(income.desc->dimension, TP_DIM_INCOME);
    assert_int_equal(income.desc->codes.n, 4);
    for (i = 0; i < income.desc->codes.n; i++) {
        assert_non_null(income.desc->codes.items[i].en);
        assert_non_null(income.desc->codes.items[i].zh);
    }
}

static void test_income_exactly_at_line_passes(void **state)
{
    tp_household h = household(1);
    (void)state;
    h.wage_income = C(400000);
    check(&h);
    HASNT(TP_FAIL, "INCOME_BELOW_LINE");
    HAS(TP_WARN, "INCOME_NEAR_LINE");
    assert_int_equal(nfound, 1);
}

static void test_income_one_cent_under_line_fails(void **state)
{
    tp_household h = household(1);
    (void)state;
    h.wage_income = C(399999);
    check(&h);
    HAS(TP_FAIL, "INCOME_BELOW_LINE");
    HASNT(TP_WARN, "INCOME_NEAR_LINE");
    assert_int_equal(nfound, 1);
}

static void test_income_per_capita_exactly_at_line_with_three_members_passes(void **state)
{
    tp_household h = household(3);
    (void)state;
    h.wage_income = C(1200000);     /* 12000.00 / 3 = 4000.00 */
    check(&h);
    HASNT(TP_FAIL, "INCOME_BELOW_LINE");
    HAS(TP_WARN, "INCOME_NEAR_LINE");
}

static void test_income_per_capita_compared_exactly_not_rounded_to_cents(void **state)
{
    tp_household h = household(3);
    (void)state;
    /* 11999.99 / 3 = 3999.99666…: shown as 4000.00, but below the line */
    h.wage_income = C(1199999);
    check(&h);
    HAS(TP_FAIL, "INCOME_BELOW_LINE");
    HASNT(TP_WARN, "INCOME_NEAR_LINE");
}

static void test_income_net_is_the_sum_of_components_less_operating_cost(void **state)
{
    tp_household h = household(2);
    (void)state;
    /* 3000 + 4000 − 1000.01 + 1000 + 1000 = 7999.99 < 2 × 4000 */
    h.wage_income = C(300000);
    h.operating_income = C(400000);
    h.operating_cost = C(100001);
    h.property_income = C(100000);
    h.transfer_income = C(100000);
    check(&h);
    HAS(TP_FAIL, "INCOME_BELOW_LINE");
    /* one cent less cost: 8000.00 = 2 × 4000, at the line */
    h.operating_cost = C(100000);
    check(&h);
    HASNT(TP_FAIL, "INCOME_BELOW_LINE");
    HAS(TP_WARN, "INCOME_NEAR_LINE");
}

static void test_income_each_component_counts(void **state)
{
    tp_money *comp[4];
    size_t i;
    (void)state;
    for (i = 0; i < 4; i++) {
        tp_household h = household(1);
        comp[0] = &h.wage_income; comp[1] = &h.operating_income;
        comp[2] = &h.property_income; comp[3] = &h.transfer_income;
        *comp[i] = C(400000);
        check(&h);
        if (count(TP_FAIL, "INCOME_BELOW_LINE")) fail_msg("component %zu not counted", i);
    }
}

static void test_income_blank_components_count_as_zero(void **state)
{
    tp_household h = household(1);
    (void)state;
    h.wage_income = C(400000);      /* every other component blank */
    check(&h);
    HASNT(TP_FAIL, "INCOME_BELOW_LINE");
    HASNT(TP_FAIL, "BAD_VALUE");
    HASNT(TP_WARN, "BAD_VALUE");
    HASNT(TP_WARN, "INCOME_TRANSFER_DEPENDENT");
}

static void test_income_all_components_blank_is_zero_income(void **state)
{
    tp_household h = household(2);
    (void)state;
    check(&h);
    HAS(TP_FAIL, "INCOME_BELOW_LINE");
    HASNT(TP_FAIL, "BAD_VALUE");
    assert_int_equal(nfound, 1);
}

static void test_income_line_parameter_is_used(void **state)
{
    tp_household h = household(1);
    (void)state;
    set_param("income_line", 460000);   /* a province's 4600 yuan */
    h.wage_income = C(459999);
    check(&h);
    HAS(TP_FAIL, "INCOME_BELOW_LINE");
    h.wage_income = C(460000);
    check(&h);
    HASNT(TP_FAIL, "INCOME_BELOW_LINE");
}

/* ---- INCOME_NEAR_LINE ----------------------------------------------------------------- */

static void test_near_line_upper_bound_is_exclusive(void **state)
{
    tp_household h = household(1);
    (void)state;
    h.wage_income = C(440000);      /* 4000 × 1.1 exactly */
    check(&h);
    NONE();
    h.wage_income = C(439999);
    check(&h);
    HAS(TP_WARN, "INCOME_NEAR_LINE");
    assert_int_equal(nfound, 1);
}

static void test_near_line_upper_bound_exact_quotient(void **state)
{
    tp_household h = household(3);
    (void)state;
    h.wage_income = C(1320000);     /* 13200.00 / 3 = 4400.00 exactly */
    check(&h);
    HASNT(TP_WARN, "INCOME_NEAR_LINE");
    h.wage_income = C(1319999);     /* 4399.99666…, shown as 4400.00 */
    check(&h);
    HAS(TP_WARN, "INCOME_NEAR_LINE");
}

static void test_near_line_margin_parameter(void **state)
{
    tp_household h = household(1);
    (void)state;
    set_param("near_line_margin", 0);           /* an empty band */
    h.wage_income = C(400000);
    check(&h);
    NONE();
    set_param("near_line_margin", 250000);      /* 0.25: up to 5000 exclusive */
    h.wage_income = C(499999);
    check(&h);
    HAS(TP_WARN, "INCOME_NEAR_LINE");
    h.wage_income = C(500000);
    check(&h);
    HASNT(TP_WARN, "INCOME_NEAR_LINE");
}

/* ---- INCOME_MISMATCH --------------------------------------------------------------------- */

static void test_mismatch_exactly_at_tolerance_no_warning(void **state)
{
    tp_household h = household(3);
    (void)state;
    h.wage_income = C(1500000);             /* 5000.00 a person */
    h.declared_income_pc = C(500100);       /* 1.00 above */
    check(&h);
    HASNT(TP_WARN, "INCOME_MISMATCH");
    h.declared_income_pc = C(499900);       /* 1.00 below */
    check(&h);
    HASNT(TP_WARN, "INCOME_MISMATCH");
}

static void test_mismatch_one_cent_over_tolerance_warns(void **state)
{
    tp_household h = household(3);
    (void)state;
    h.wage_income = C(1500000);
    h.declared_income_pc = C(500101);
    check(&h);
    HAS(TP_WARN, "INCOME_MISMATCH");
    assert_int_equal(nfound, 1);
    h.declared_income_pc = C(499899);
    check(&h);
    HAS(TP_WARN, "INCOME_MISMATCH");
}

static void test_mismatch_compares_with_exact_quotient(void **state)
{
    tp_household h = household(3);
    (void)state;
    /* 10000.00 / 3 = 3333.333…; declared 3332.33 differs by 1.00333… (more
     * than 1.00, though the rounded 3333.33 differs by exactly 1.00) */
    set_param("income_line", 100000);
    h.wage_income = C(1000000);
    h.declared_income_pc = C(333233);
    check(&h);
    HAS(TP_WARN, "INCOME_MISMATCH");
    /* declared 3334.33 differs by 0.99666… */
    h.declared_income_pc = C(333433);
    check(&h);
    HASNT(TP_WARN, "INCOME_MISMATCH");
}

static void test_mismatch_not_checked_when_declared_blank(void **state)
{
    tp_household h = household(1);
    (void)state;
    h.wage_income = C(900000);
    check(&h);
    NONE();
}

static void test_mismatch_with_negative_declared_figure(void **state)
{
    tp_household h = household(1);
    (void)state;
    h.wage_income = C(500000);
    h.declared_income_pc = C(-500000);
    check(&h);
    HAS(TP_WARN, "INCOME_MISMATCH");
    HASNT(TP_WARN, "BAD_VALUE");
}

static void test_mismatch_with_negative_net_income(void **state)
{
    tp_household h = household(2);
    (void)state;
    /* net −200.00, −100.00 a person, declared −101.00: exactly 1.00 apart */
    h.operating_cost = C(20000);
    h.declared_income_pc = C(-10100);
    check(&h);
    HASNT(TP_WARN, "INCOME_MISMATCH");
    HAS(TP_FAIL, "INCOME_BELOW_LINE");
    h.declared_income_pc = C(-10101);
    check(&h);
    HAS(TP_WARN, "INCOME_MISMATCH");
}

static void test_mismatch_tolerance_parameter(void **state)
{
    tp_household h = household(1);
    (void)state;
    set_param("income_tolerance", 0);
    h.wage_income = C(500000);
    h.declared_income_pc = C(500000);
    check(&h);
    HASNT(TP_WARN, "INCOME_MISMATCH");
    h.declared_income_pc = C(500001);
    check(&h);
    HAS(TP_WARN, "INCOME_MISMATCH");
}

/* ---- INCOME_TRANSFER_DEPENDENT ----------------------------------------------------------- */

static void test_transfer_share_exactly_at_max_no_warning(void **state)
{
    tp_household h = household(1);
    (void)state;
    h.wage_income = C(500000);
    h.transfer_income = C(500000);      /* 5000 / 10000 = 0.50 */
    check(&h);
    NONE();
}

static void test_transfer_share_just_over_max_warns(void **state)
{
    tp_household h = household(1);
    (void)state;
    h.wage_income = C(499999);
    h.transfer_income = C(500001);      /* 5000.01 / 10000.00 = 0.500001 */
    check(&h);
    HAS(TP_WARN, "INCOME_TRANSFER_DEPENDENT");
    assert_int_equal(nfound, 1);
}

static void test_transfer_share_is_of_net_income(void **state)
{
    tp_household h = household(1);
    (void)state;
    /* net = 6000 + 5000 − 1000 = 10000: share exactly 0.50 */
    h.wage_income = C(600000);
    h.transfer_income = C(500000);
    h.operating_cost = C(100000);
    check(&h);
    HASNT(TP_WARN, "INCOME_TRANSFER_DEPENDENT");
    /* one more cent of cost: net 9999.99, share above 0.50 */
    h.operating_cost = C(100001);
    check(&h);
    HAS(TP_WARN, "INCOME_TRANSFER_DEPENDENT");
}

static void test_transfer_no_warning_when_net_is_zero(void **state)
{
    tp_household h = household(1);
    (void)state;
    h.transfer_income = C(10000);
    h.operating_cost = C(10000);
    check(&h);
    HASNT(TP_WARN, "INCOME_TRANSFER_DEPENDENT");
    HAS(TP_FAIL, "INCOME_BELOW_LINE");
}

static void test_transfer_no_warning_when_net_is_negative(void **state)
{
    tp_household h = household(1);
    (void)state;
    h.transfer_income = C(10000);
    h.operating_cost = C(50000);
    check(&h);
    HASNT(TP_WARN, "INCOME_TRANSFER_DEPENDENT");
    HAS(TP_FAIL, "INCOME_BELOW_LINE");
}

static void test_transfer_share_parameter(void **state)
{
    tp_household h = household(1);
    (void)state;
    set_param("transfer_share_max", 1000000);   /* 1.0 */
    h.transfer_income = C(900000);              /* all of the income */
    check(&h);
    HASNT(TP_WARN, "INCOME_TRANSFER_DEPENDENT");
    set_param("transfer_share_max", 0);
    h.transfer_income = C(1);
    h.wage_income = C(900000);
    check(&h);
    HAS(TP_WARN, "INCOME_TRANSFER_DEPENDENT");
}

/* ---- bad values -------------------------------------------------------------------------- */

static void test_bad_component_gives_only_fail_bad_value(void **state)
{
    static const char *const names[5] = {
        "wage_income", "operating_income", "operating_cost", "property_income", "transfer_income"
    };
    size_t i;
    (void)state;
    for (i = 0; i < 5; i++) {
        tp_household h = household(3);
        tp_money *comp[5];
        comp[0] = &h.wage_income; comp[1] = &h.operating_income; comp[2] = &h.operating_cost;
        comp[3] = &h.property_income; comp[4] = &h.transfer_income;
        /* otherwise below the line, near it, transfer-dependent, mismatched */
        h.transfer_income = C(100000);
        h.declared_income_pc = C(999900);
        *comp[i] = BAD;
        check(&h);
        if (nfound != 1 || found[0].sev != TP_FAIL || strcmp(found[0].code, "BAD_VALUE")
            || strcmp(found[0].column, names[i]) || found[0].member != 0) {
            dump();
            fail_msg("bad %s: want only fail BAD_VALUE naming it", names[i]);
        }
    }
}

static void test_bad_component_suppresses_declared_bad_value(void **state)
{
    tp_household h = household(1);
    (void)state;
    h.wage_income = BAD;
    h.declared_income_pc = BAD;
    check(&h);
    HAS(TP_FAIL, "BAD_VALUE");
    HASNT(TP_WARN, "BAD_VALUE");
    assert_int_equal(nfound, 1);
}

static void test_two_bad_components_give_only_bad_values(void **state)
{
    tp_household h = household(1);
    size_t i;
    (void)state;
    h.wage_income = BAD;
    h.transfer_income = BAD;
    check(&h);
    assert_true(nfound >= 1);
    for (i = 0; i < nfound; i++) {
        assert_int_equal(found[i].sev, TP_FAIL);
        assert_string_equal(found[i].code, "BAD_VALUE");
    }
}

static void test_bad_declared_warns_and_other_findings_apply(void **state)
{
    tp_household h = household(1);
    (void)state;
    h.declared_income_pc = BAD;
    h.transfer_income = C(399999);
    check(&h);
    HAS(TP_WARN, "BAD_VALUE");
    assert_string_equal(column_of(TP_WARN, "BAD_VALUE"), "declared_income_pc");
    HAS(TP_FAIL, "INCOME_BELOW_LINE");
    HAS(TP_WARN, "INCOME_TRANSFER_DEPENDENT");
    HASNT(TP_WARN, "INCOME_MISMATCH");
    HASNT(TP_FAIL, "BAD_VALUE");
    assert_int_equal(nfound, 3);
    h.transfer_income = C(0);
    h.wage_income = C(420000);
    check(&h);
    HAS(TP_WARN, "BAD_VALUE");
    HAS(TP_WARN, "INCOME_NEAR_LINE");
    assert_int_equal(nfound, 2);
}

static void test_income_findings_are_for_the_household(void **state)
{
    tp_household h = household(2);
    size_t i;
    (void)state;
    h.transfer_income = C(400000);
    h.declared_income_pc = C(1);
    check(&h);
    assert_int_equal(nfound, 3);   /* below, mismatch, transfer-dependent */
    for (i = 0; i < nfound; i++) assert_int_equal(found[i].member, 0);
}

/* ---- exactness at large amounts ---------------------------------------------------------- */

static void test_large_amounts_compared_exactly(void **state)
{
    tp_household h = household(1);
    (void)state;
    /* the largest amount money accepts: 999999999999999.99 yuan */
    h.transfer_income = C(INT64_C(99999999999999999));
    check(&h);
    HAS(TP_WARN, "INCOME_TRANSFER_DEPENDENT");
    assert_int_equal(nfound, 1);
    h.wage_income = C(INT64_C(99999999999999999));
    check(&h);
    HASNT(TP_WARN, "INCOME_TRANSFER_DEPENDENT");   /* exactly half */
    assert_int_equal(nfound, 0);
}

static void test_many_members_compared_exactly(void **state)
{
    tp_household h = household(1);
    tp_member *many = calloc(100000, sizeof *many);
    (void)state;
    assert_non_null(many);
    h.members = many;
    h.n_members = 100000;
    set_param("income_line", 100000000);            /* 1000000.00 yuan, the maximum */
    h.wage_income = C(INT64_C(10000000000000));     /* 100000 × 1000000.00 */
    check(&h);
    HASNT(TP_FAIL, "INCOME_BELOW_LINE");
    h.wage_income = C(INT64_C(9999999999999));
    check(&h);
    HAS(TP_FAIL, "INCOME_BELOW_LINE");
    free(many);
}

/* ---- set-up ------------------------------------------------------------------------------- */

static int reset_params(void **state)
{
    (void)state;
    set_param("income_line", 400000);
    set_param("income_tolerance", 100);
    set_param("near_line_margin", 100000);
    set_param("transfer_share_max", 500000);
    return 0;
}

static int setup(void **state)
{
    const char *b = getenv("abs_top_builddir");
    char path[4200], err[1024];
    (void)state;
    if (!b || !*b) {
        fprintf(stderr, "test_income: abs_top_builddir is not set (run through make check)\n");
        return -1;
    }
    if (plugin_system_init() < 0) return -1;
    snprintf(path, sizeof path, "%s/plugins/income/.libs/income.so", b);
    if (plugin_load_path(path, "income", &income, err, sizeof err) < 0) {
        fprintf(stderr, "test_income: %s\n", err);
        return -1;
    }
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    plugin_unload(&income);
    plugin_system_exit();
    return 0;
}

#define T(f) cmocka_unit_test_setup(f, reset_params)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_income_declares_its_role_dimension_and_texts),
        T(test_income_exactly_at_line_passes),
        T(test_income_one_cent_under_line_fails),
        T(test_income_per_capita_exactly_at_line_with_three_members_passes),
        T(test_income_per_capita_compared_exactly_not_rounded_to_cents),
        T(test_income_net_is_the_sum_of_components_less_operating_cost),
        T(test_income_each_component_counts),
        T(test_income_blank_components_count_as_zero),
        T(test_income_all_components_blank_is_zero_income),
        T(test_income_line_parameter_is_used),
        T(test_near_line_upper_bound_is_exclusive),
        T(test_near_line_upper_bound_exact_quotient),
        T(test_near_line_margin_parameter),
        T(test_mismatch_exactly_at_tolerance_no_warning),
        T(test_mismatch_one_cent_over_tolerance_warns),
        T(test_mismatch_compares_with_exact_quotient),
        T(test_mismatch_not_checked_when_declared_blank),
        T(test_mismatch_with_negative_declared_figure),
        T(test_mismatch_with_negative_net_income),
        T(test_mismatch_tolerance_parameter),
        T(test_transfer_share_exactly_at_max_no_warning),
        T(test_transfer_share_just_over_max_warns),
        T(test_transfer_share_is_of_net_income),
        T(test_transfer_no_warning_when_net_is_zero),
        T(test_transfer_no_warning_when_net_is_negative),
        T(test_transfer_share_parameter),
        T(test_bad_component_gives_only_fail_bad_value),
        T(test_bad_component_suppresses_declared_bad_value),
        T(test_two_bad_components_give_only_bad_values),
        T(test_bad_declared_warns_and_other_findings_apply),
        T(test_income_findings_are_for_the_household),
        T(test_large_amounts_compared_exactly),
        T(test_many_members_compared_exactly),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
