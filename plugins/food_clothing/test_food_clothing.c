/* test_food_clothing.c — the `food_clothing` stage (standard §3.2): fail
 * FOOD_CLOTHING_INSECURE when food_clothing_secure is no; a blank value is
 * MISSING_VALUE and anything outside the yes/no forms of §1 is BAD_VALUE. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "stage_harness.h"

#define COLUMN "food_clothing_secure"

static void test_food_clothing_declares_its_column(void **state)
{
    const char *const *c;
    int found = 0;
    (void)state;
    for (c = sh_stage()->columns; c && *c; c++) found |= !strcmp(*c, COLUMN);
    assert_true(found);
}

static void test_food_clothing_yes_in_every_form_passes(void **state)
{
    static const char *const yes[] = { "yes", "y", "true", "1", "是", "YES", "Yes", "Y", "TRUE",
                                       "True", " yes ", "\"是\"" };
    (void)state;
    sh_run_each(COLUMN, "%s", yes, sizeof yes / sizeof yes[0]);
    sh_expect("");
}

static void test_food_clothing_no_in_every_form_fails_food_clothing_insecure(void **state)
{
    static const char *const no[] = { "no", "n", "false", "0", "否", "NO", "No", "N", "FALSE",
                                      "fAlSe", "\t否 " };
    const size_t n = sizeof no / sizeof no[0];
    (void)state;
    sh_run_each(COLUMN, "%s", no, n);
    sh_expect_each(n, "fail FOOD_CLOTHING_INSECURE");
}

static void test_food_clothing_blank_is_missing_value(void **state)
{
    static const char *const blank[] = { "", "   ", "\"\"" };
    const size_t n = sizeof blank / sizeof blank[0];
    (void)state;
    sh_run_each(COLUMN, "%s", blank, n);
    sh_expect_each(n, "fail MISSING_VALUE " COLUMN);
}

static void test_food_clothing_value_outside_the_yes_no_forms_is_bad_value(void **state)
{
    static const char *const bad[] = { "maybe", "2", "yes!", "是的", "有", "ye", "nope", "01",
                                       "-1", "t", "f", "√", "Ｙ" };
    const size_t n = sizeof bad / sizeof bad[0];
    (void)state;
    sh_run_each(COLUMN, "%s", bad, n);
    sh_expect_each(n, "fail BAD_VALUE " COLUMN);
}

static void test_food_clothing_finding_is_for_the_household_once(void **state)
{
    (void)state;
    sh_run(SH_COLS COLUMN ",name\n"
           SH_ROW("H1") "否,甲\n"
           SH_ROW("H1") "否,乙\n"
           SH_ROW("H1") "否,丙\n"
           SH_ROW("H2") "是,丁\n"
           SH_ROW("H2") "是,戊\n");
    sh_expect("H1 fail FOOD_CLOTHING_INSECURE");
}

int main(void)
{
#define T(f) cmocka_unit_test_setup(f, sh_reset)
    const struct CMUnitTest tests[] = {
        T(test_food_clothing_declares_its_column),
        T(test_food_clothing_yes_in_every_form_passes),
        T(test_food_clothing_no_in_every_form_fails_food_clothing_insecure),
        T(test_food_clothing_blank_is_missing_value),
        T(test_food_clothing_value_outside_the_yes_no_forms_is_bad_value),
        T(test_food_clothing_finding_is_for_the_household_once),
    };
#undef T
    int rc;
    if (sh_setup("food_clothing") < 0) return 1;
    rc = cmocka_run_group_tests(tests, NULL, NULL);
    sh_teardown();
    return rc;
}
