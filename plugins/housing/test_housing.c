/* test_housing.c — the `housing` stage (standard §3.5): rating A or B passes;
 * C or D (危房) passes only when housing_fixed is yes, else fail
 * HOUSING_UNSAFE.  Ratings are `A`–`D`, also `A级` …, in any ASCII case;
 * missing or bad data never passes: MISSING_VALUE / BAD_VALUE naming the
 * column. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "stage_harness.h"

#define COLS "housing_rating,housing_fixed"

static void test_housing_declares_its_columns(void **state)
{
    const char *const *c;
    int found = 0;
    (void)state;
    for (c = sh_stage()->columns; c && *c; c++) {
        found |= !strcmp(*c, "housing_rating");
        found |= !strcmp(*c, "housing_fixed") << 1;
    }
    assert_int_equal(found, 3);
}

static const char *const a_and_b[] = { "A", "B", "a", "b", "A级", "B级", "a级", "b级", " A " };
#define N_AB (sizeof a_and_b / sizeof a_and_b[0])
static const char *const c_and_d[] = { "C", "D", "c", "d", "C级", "D级", "c级", "d级" };
#define N_CD (sizeof c_and_d / sizeof c_and_d[0])

static void test_housing_a_and_b_pass(void **state)
{
    (void)state;
    sh_run_each(COLS, "%s,", a_and_b, N_AB);
    sh_expect("");
}

static void test_housing_a_and_b_pass_whatever_housing_fixed_says(void **state)
{
    (void)state;
    sh_run_each(COLS, "%s,no", a_and_b, N_AB);
    sh_expect("");
    sh_run_each(COLS, "%s,是", a_and_b, N_AB);
    sh_expect("");
}

static void test_housing_c_and_d_fixed_pass(void **state)
{
    (void)state;
    sh_run_each(COLS, "%s,yes", c_and_d, N_CD);
    sh_expect("");
    sh_run_each(COLS, "%s,是", c_and_d, N_CD);
    sh_expect("");
    sh_run_each(COLS, "%s,1", c_and_d, N_CD);
    sh_expect("");
}

static void test_housing_c_and_d_not_fixed_fail_housing_unsafe(void **state)
{
    (void)state;
    sh_run_each(COLS, "%s,no", c_and_d, N_CD);
    sh_expect_each(N_CD, "fail HOUSING_UNSAFE");
    sh_run_each(COLS, "%s,否", c_and_d, N_CD);
    sh_expect_each(N_CD, "fail HOUSING_UNSAFE");
}

static void test_housing_c_and_d_with_housing_fixed_blank_is_missing_value(void **state)
{
    (void)state;
    sh_run_each(COLS, "%s,", c_and_d, N_CD);
    sh_expect_each(N_CD, "fail MISSING_VALUE housing_fixed");
}

static void test_housing_c_and_d_with_housing_fixed_bad_is_bad_value(void **state)
{
    (void)state;
    sh_run_each(COLS, "%s,done", c_and_d, N_CD);
    sh_expect_each(N_CD, "fail BAD_VALUE housing_fixed");
}

static void test_housing_rating_blank_is_missing_value(void **state)
{
    static const char *const fixed[] = { "", "yes", "no" };
    const size_t n = sizeof fixed / sizeof fixed[0];
    (void)state;
    sh_run_each(COLS, ",%s", fixed, n);
    sh_expect_each(n, "fail MISSING_VALUE housing_rating");
}

static void test_housing_rating_outside_a_to_d_is_bad_value(void **state)
{
    static const char *const bad[] = { "E", "AB", "A级级", "级", "甲", "1", "A-", "A 级", "Ａ",
                                       "safe", "E级" };
    const size_t n = sizeof bad / sizeof bad[0];
    (void)state;
    sh_run_each(COLS, "%s,", bad, n);
    sh_expect_each(n, "fail BAD_VALUE housing_rating");
    /* even when renovation is recorded as done */
    sh_run_each(COLS, "%s,yes", bad, n);
    sh_expect_each(n, "fail BAD_VALUE housing_rating");
}

static void test_housing_finding_is_for_the_household_once(void **state)
{
    (void)state;
    sh_run(SH_COLS COLS ",name\n"
           SH_ROW("H1") "D级,否,甲\n"
           SH_ROW("H1") "D级,否,乙\n");
    sh_expect("H1 fail HOUSING_UNSAFE");
}

int main(void)
{
#define T(f) cmocka_unit_test_setup(f, sh_reset)
    const struct CMUnitTest tests[] = {
        T(test_housing_declares_its_columns),
        T(test_housing_a_and_b_pass),
        T(test_housing_a_and_b_pass_whatever_housing_fixed_says),
        T(test_housing_c_and_d_fixed_pass),
        T(test_housing_c_and_d_not_fixed_fail_housing_unsafe),
        T(test_housing_c_and_d_with_housing_fixed_blank_is_missing_value),
        T(test_housing_c_and_d_with_housing_fixed_bad_is_bad_value),
        T(test_housing_rating_blank_is_missing_value),
        T(test_housing_rating_outside_a_to_d_is_bad_value),
        T(test_housing_finding_is_for_the_household_once),
    };
#undef T
    int rc;
    if (sh_setup("housing") < 0) return 1;
    rc = cmocka_run_group_tests(tests, NULL, NULL);
    sh_teardown();
    return rc;
}
