/* test_medical.c — the `medical` stage (standard §3.4): every member must
 * have medical_insured = yes, else fail MEDICAL_UNINSURED for that member;
 * blank is MISSING_VALUE and a value outside the yes/no forms BAD_VALUE, also
 * for that member. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "stage_harness.h"

#define COLS SH_COLS "name,medical_insured\n"

static void test_medical_declares_its_column(void **state)
{
    const char *const *c;
    int found = 0;
    (void)state;
    for (c = sh_stage()->columns; c && *c; c++) found |= !strcmp(*c, "medical_insured");
    assert_true(found);
}

static void test_medical_every_member_insured_passes(void **state)
{
    (void)state;
    sh_run(COLS
           SH_ROW("H1") "甲,yes\n"
           SH_ROW("H1") "乙,是\n"
           SH_ROW("H1") "丙,1\n"
           SH_ROW("H1") "丁,TRUE\n"
           SH_ROW("H1") "戊,Y\n");
    sh_expect("");
}

static void test_medical_uninsured_member_fails_with_its_member_index(void **state)
{
    (void)state;
    sh_run(COLS
           SH_ROW("H1") "甲,yes\n"
           SH_ROW("H1") "乙,否\n"
           SH_ROW("H1") "丙,yes\n");
    sh_expect("H1 fail MEDICAL_UNINSURED m2");
}

static void test_medical_each_uninsured_member_is_reported(void **state)
{
    (void)state;
    sh_run(COLS
           SH_ROW("H1") "甲,no\n"
           SH_ROW("H1") "乙,yes\n"
           SH_ROW("H1") "丙,N\n"
           SH_ROW("H2") "丁,false\n"
           SH_ROW("H2") "戊,0\n");
    sh_expect("H1 fail MEDICAL_UNINSURED m1\n"
              "H1 fail MEDICAL_UNINSURED m3\n"
              "H2 fail MEDICAL_UNINSURED m1\n"
              "H2 fail MEDICAL_UNINSURED m2\n");
}

static void test_medical_no_in_every_form_fails_medical_uninsured(void **state)
{
    static const char *const no[] = { "no", "n", "false", "0", "否", "NO", "No", "FALSE" };
    const size_t n = sizeof no / sizeof no[0];
    (void)state;
    sh_run_each("name,medical_insured", "甲,%s", no, n);
    sh_expect_each(n, "fail MEDICAL_UNINSURED m1");
}

static void test_medical_blank_is_missing_value_for_that_member(void **state)
{
    (void)state;
    sh_run(COLS
           SH_ROW("H1") "甲,yes\n"
           SH_ROW("H1") "乙,\n"
           SH_ROW("H1") "丙,  \n");
    sh_expect("H1 fail MISSING_VALUE m2 medical_insured\n"
              "H1 fail MISSING_VALUE m3 medical_insured\n");
}

static void test_medical_value_outside_the_yes_no_forms_is_bad_value_for_that_member(void **state)
{
    static const char *const bad[] = { "insured", "2", "已参保", "yes.", "ok" };
    const size_t n = sizeof bad / sizeof bad[0];
    (void)state;
    sh_run_each("name,medical_insured", "甲,%s", bad, n);
    sh_expect_each(n, "fail BAD_VALUE m1 medical_insured");
}

static void test_medical_mixed_household_reports_each_member_once(void **state)
{
    (void)state;
    sh_run(COLS
           SH_ROW("H1") "甲,否\n"
           SH_ROW("H1") "乙,\n"
           SH_ROW("H1") "丙,maybe\n"
           SH_ROW("H1") "丁,是\n");
    sh_expect("H1 fail MEDICAL_UNINSURED m1\n"
              "H1 fail MISSING_VALUE m2 medical_insured\n"
              "H1 fail BAD_VALUE m3 medical_insured\n");
}

int main(void)
{
#define T(f) cmocka_unit_test_setup(f, sh_reset)
    const struct CMUnitTest tests[] = {
        T(test_medical_declares_its_column),
        T(test_medical_every_member_insured_passes),
        T(test_medical_uninsured_member_fails_with_its_member_index),
        T(test_medical_each_uninsured_member_is_reported),
        T(test_medical_no_in_every_form_fails_medical_uninsured),
        T(test_medical_blank_is_missing_value_for_that_member),
        T(test_medical_value_outside_the_yes_no_forms_is_bad_value_for_that_member),
        T(test_medical_mixed_household_reports_each_member_once),
    };
#undef T
    int rc;
    if (sh_setup("medical") < 0) return 1;
    rc = cmocka_run_group_tests(tests, NULL, NULL);
    sh_teardown();
    return rc;
}
