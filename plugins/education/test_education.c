/* test_education.c — the `education` stage (standard §3.3) and the ages it
 * rests on (standard §2), through the engine's own reading path: each test
 * is rows of input and the findings the standard gives for them.
 *
 * The as-of date is 2020-09-30 (quarter 2020Q3) unless a test says
 * otherwise; school age is 6 to 15 inclusive (the defaults).  Resident IDs
 * are built with their ISO 7064 MOD 11-2 check characters computed by hand. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "stage_harness.h"

#define COLS SH_COLS "person_id,birth_date,school_status\n"

/* Runs one member born on `birth` (blank ID) with school status `school`. */
static void one(const char *birth, const char *school)
{
    char csv[512];
    snprintf(csv, sizeof csv, COLS SH_ROW("H1") ",%s,%s\n", birth, school);
    sh_run(csv);
}

static int age_of(const char *hid, size_t member)
{
    int age = 0;
    if (!sh_age(hid, member, &age)) fail_msg("age of %s member %zu unknown", hid, member);
    return age;
}

/* ---- parameters -------------------------------------------------------------- */

static void test_education_declares_school_age_defaults_6_and_15(void **state)
{
    const tp_param_decl *d;
    int seen = 0;
    (void)state;
    for (d = sh_stage()->params.items; d && d->name; d++) {
        if (!strcmp(d->name, "school_age_min")) {
            assert_int_equal(d->type, TP_PARAM_INT);
            assert_string_equal(d->default_value, "6");
            seen |= 1;
        } else if (!strcmp(d->name, "school_age_max")) {
            assert_int_equal(d->type, TP_PARAM_INT);
            assert_string_equal(d->default_value, "15");
            seen |= 2;
        }
    }
    assert_int_equal(seen, 3);
}

static void test_education_school_age_min_above_max_is_an_error_at_open(void **state)
{
    char err[256];
    (void)state;
    sh_set_param("school_age_min", 16);
    sh_set_param("school_age_max", 15);
    assert_int_equal(sh_open(err, sizeof err), -1);
    assert_non_null(strstr(err, "school_age_min"));
}

static void test_education_school_age_min_equal_to_max_is_allowed(void **state)
{
    char err[256];
    (void)state;
    sh_set_param("school_age_min", 10);
    sh_set_param("school_age_max", 10);
    assert_int_equal(sh_open(err, sizeof err), 0);
    one("2010-05-05", "dropout");                   /* 10 */
    sh_expect("H1 fail SCHOOL_DROPOUT m1");
    one("2009-05-05", "dropout");                   /* 11 */
    sh_expect("");
}

static void test_education_school_age_parameters_move_the_band(void **state)
{
    (void)state;
    sh_set_param("school_age_min", 7);
    sh_set_param("school_age_max", 14);
    sh_run(COLS
           SH_ROW("H6") ",2014-09-30,dropout\n"     /* 6: below the band */
           SH_ROW("H7") ",2013-09-30,dropout\n"     /* 7 */
           SH_ROW("H14") ",2006-09-30,dropout\n"    /* 14 */
           SH_ROW("H15") ",2005-09-30,dropout\n");  /* 15: above the band */
    sh_expect("H7 fail SCHOOL_DROPOUT m1\n"
              "H14 fail SCHOOL_DROPOUT m1\n");
}

/* ---- the age band and the as-of date (standard §2) ------------------------------------ */

static void test_education_age_15_on_as_of_birthday_is_school_age(void **state)
{
    (void)state;
    one("2005-09-30", "dropout");
    assert_int_equal(age_of("H1", 1), 15);
    sh_expect("H1 fail SCHOOL_DROPOUT m1");
}

static void test_education_age_16_on_as_of_birthday_is_not_school_age(void **state)
{
    (void)state;
    one("2004-09-30", "dropout");
    assert_int_equal(age_of("H1", 1), 16);
    sh_expect("");
}

static void test_education_16th_birthday_the_day_after_as_of_is_still_15(void **state)
{
    (void)state;
    one("2004-10-01", "dropout");
    assert_int_equal(age_of("H1", 1), 15);
    sh_expect("H1 fail SCHOOL_DROPOUT m1");
}

static void test_education_age_6_on_as_of_birthday_is_school_age(void **state)
{
    (void)state;
    one("2014-09-30", "dropout");
    assert_int_equal(age_of("H1", 1), 6);
    sh_expect("H1 fail SCHOOL_DROPOUT m1");
}

static void test_education_6th_birthday_the_day_after_as_of_is_5_not_school_age(void **state)
{
    (void)state;
    one("2014-10-01", "dropout");
    assert_int_equal(age_of("H1", 1), 5);
    sh_expect("");
}

static void test_education_age_is_whole_years_at_each_quarter_end(void **state)
{
    (void)state;
    /* born 2010-06-30: 9 on 2020-03-31, 10 on 2020-06-30, 09-30, 12-31 */
    sh_set_as_of(2020, 3, 31);
    one("2010-06-30", "primary");
    assert_int_equal(age_of("H1", 1), 9);
    sh_set_as_of(2020, 6, 30);
    one("2010-06-30", "primary");
    assert_int_equal(age_of("H1", 1), 10);
    sh_set_as_of(2020, 12, 31);
    one("2010-06-30", "primary");
    assert_int_equal(age_of("H1", 1), 10);
    one("2010-12-31", "primary");
    assert_int_equal(age_of("H1", 1), 10);
    one("2011-01-01", "primary");
    assert_int_equal(age_of("H1", 1), 9);
}

static void test_education_29_february_birth_is_a_year_older_only_from_1_march(void **state)
{
    (void)state;
    /* 2010 is a common year: the 6th birthday of a 2004-02-29 birth is 1 March */
    sh_set_as_of(2010, 2, 28);
    one("2004-02-29", "dropout");
    assert_int_equal(age_of("H1", 1), 5);
    sh_expect("");
    sh_set_as_of(2010, 3, 1);
    one("2004-02-29", "dropout");
    assert_int_equal(age_of("H1", 1), 6);
    sh_expect("H1 fail SCHOOL_DROPOUT m1");
}

static void test_education_29_february_birth_in_a_leap_year_is_older_on_29_february(void **state)
{
    (void)state;
    sh_set_as_of(2020, 2, 28);
    one("2004-02-29", "primary");
    assert_int_equal(age_of("H1", 1), 15);
    sh_set_as_of(2020, 2, 29);
    one("2004-02-29", "primary");
    assert_int_equal(age_of("H1", 1), 16);
    /* at a quarter end after it, plainly 16 */
    sh_set_as_of(2020, 3, 31);
    one("2004-02-29", "dropout");
    assert_int_equal(age_of("H1", 1), 16);
    sh_expect("");
}

static void test_education_birth_after_as_of_is_a_negative_age_never_school_age(void **state)
{
    (void)state;
    sh_set_param("school_age_min", 0);
    sh_run(COLS
           SH_ROW("H1") ",2020-10-01,dropout\n"             /* -1 */
           SH_ROW("H2") "110101202301010011,,dropout\n"     /* from the ID: -3 */
           SH_ROW("H3") ",2020-09-30,dropout\n");           /* born on the as-of date: 0 */
    assert_int_equal(age_of("H1", 1), -1);
    assert_int_equal(age_of("H2", 1), -3);
    assert_int_equal(age_of("H3", 1), 0);
    sh_expect("H3 fail SCHOOL_DROPOUT m1");
}

/* ---- where the birth date comes from (standard §2) ------------------------------------ */

static void test_education_age_from_id_digits_7_to_14_when_birth_date_blank(void **state)
{
    (void)state;
    sh_run(COLS
           SH_ROW("H1") "110101201409300016,,dropout\n"     /* 2014-09-30: 6 */
           SH_ROW("H2") "110101201410010016,,dropout\n");   /* 2014-10-01: 5 */
    assert_int_equal(age_of("H1", 1), 6);
    assert_int_equal(age_of("H2", 1), 5);
    sh_expect("H1 fail SCHOOL_DROPOUT m1");
}

static void test_education_age_from_id_when_there_is_no_birth_date_column(void **state)
{
    (void)state;
    sh_run(SH_COLS "person_id,school_status\n"
           SH_ROW("H1") "110101200509300019,dropout\n"      /* 2005-09-30: 15 */
           SH_ROW("H2") "110101200409300011,dropout\n");    /* 2004-09-30: 16 */
    assert_int_equal(age_of("H1", 1), 15);
    assert_int_equal(age_of("H2", 1), 16);
    sh_expect("H1 fail SCHOOL_DROPOUT m1");
}

static void test_education_age_from_id_with_lower_case_x_check_character(void **state)
{
    (void)state;
    sh_run(COLS SH_ROW("H1") "11010120100203019x,,dropout\n");  /* 2010-02-03: 10 */
    assert_int_equal(age_of("H1", 1), 10);
    sh_expect("H1 fail SCHOOL_DROPOUT m1");
}

static void test_education_birth_date_column_wins_over_the_id(void **state)
{
    (void)state;
    /* the ID says 2014-09-30 (6); the birth_date column says 40 */
    sh_run(COLS SH_ROW("H1") "110101201409300016,1980-01-01,dropout\n");
    assert_int_equal(age_of("H1", 1), 40);
    sh_expect("");
}

static void test_education_bad_birth_date_is_bad_value_without_fall_back_to_id(void **state)
{
    int age;
    (void)state;
    /* the ID is valid and says 6; the column is present but not a real date */
    sh_run(COLS
           SH_ROW("H1") "110101201409300016,2014-02-30,dropout\n"
           SH_ROW("H2") "110101201409300016,unknown,dropout\n");
    assert_int_equal(sh_age("H1", 1, &age), 0);
    assert_int_equal(sh_age("H2", 1, &age), 0);
    sh_expect("H1 fail BAD_VALUE m1 birth_date\n"
              "H2 fail BAD_VALUE m1 birth_date\n");
}

static void test_education_birth_date_in_each_form_of_the_standard(void **state)
{
    (void)state;
    sh_run(COLS
           SH_ROW("H1") ",2014-09-30,dropout\n"
           SH_ROW("H2") ",2014/9/30,dropout\n"
           SH_ROW("H3") ",2014/09/30,dropout\n"
           SH_ROW("H4") ",20140930,dropout\n"
           SH_ROW("H5") ",2005/1/1,dropout\n");
    assert_int_equal(age_of("H1", 1), 6);
    assert_int_equal(age_of("H2", 1), 6);
    assert_int_equal(age_of("H3", 1), 6);
    assert_int_equal(age_of("H4", 1), 6);
    assert_int_equal(age_of("H5", 1), 15);
    sh_expect("H1 fail SCHOOL_DROPOUT m1\nH2 fail SCHOOL_DROPOUT m1\nH3 fail SCHOOL_DROPOUT m1\n"
              "H4 fail SCHOOL_DROPOUT m1\nH5 fail SCHOOL_DROPOUT m1\n");
}

static void test_education_birth_date_not_in_a_form_of_the_standard_is_bad_value(void **state)
{
    (void)state;
    sh_run(COLS
           SH_ROW("H1") ",2014-9-30,primary\n"      /* dashes need two-digit month and day */
           SH_ROW("H2") ",2014.09.30,primary\n"
           SH_ROW("H3") ",2014/9/31,primary\n"      /* not a real date */
           SH_ROW("H4") ",20130229,primary\n"       /* 2013 is a common year */
           SH_ROW("H5") ",1900-02-29,primary\n"     /* 1900 is a common year */
           SH_ROW("H6") ",2014/009/30,primary\n");
    sh_expect("H1 fail BAD_VALUE m1 birth_date\nH2 fail BAD_VALUE m1 birth_date\n"
              "H3 fail BAD_VALUE m1 birth_date\nH4 fail BAD_VALUE m1 birth_date\n"
              "H5 fail BAD_VALUE m1 birth_date\nH6 fail BAD_VALUE m1 birth_date\n");
}

static void test_education_2000_02_29_is_a_real_birth_date(void **state)
{
    (void)state;
    one("2000-02-29", "");
    assert_int_equal(age_of("H1", 1), 20);
    sh_expect("");
}

static void test_education_no_birth_date_and_blank_id_is_missing_value(void **state)
{
    int age;
    (void)state;
    one("", "primary");
    assert_int_equal(sh_age("H1", 1, &age), 0);
    sh_expect("H1 fail MISSING_VALUE m1 birth_date");
}

static void test_education_no_birth_date_and_invalid_id_is_missing_value(void **state)
{
    (void)state;
    sh_run(COLS
           SH_ROW("H1") "110101201409300017,,primary\n"     /* wrong check character */
           SH_ROW("H2") "11010119990230001X,,primary\n"     /* check right, 02-30 not a date */
           SH_ROW("H3") "1101012014093000,,primary\n");     /* too short */
    sh_expect("H1 fail MISSING_VALUE m1 birth_date\n"
              "H2 fail MISSING_VALUE m1 birth_date\n"
              "H3 fail MISSING_VALUE m1 birth_date\n");
}

static void test_education_unknown_age_fails_also_for_a_member_not_in_school(void **state)
{
    (void)state;
    /* "Any member whose age is unknown fails the stage" */
    sh_run(COLS
           SH_ROW("H1") ",1980-01-01,非在校生\n"
           SH_ROW("H1") ",,非在校生\n"
           SH_ROW("H1") ",1980-13-01,\n");
    sh_expect("H1 fail MISSING_VALUE m2 birth_date\n"
              "H1 fail BAD_VALUE m3 birth_date\n");
}

/* ---- the school-status table --------------------------------------------------------------- */

/* Runs one household per value, each member 10 years old. */
static void each_value(const char *const *values, size_t n)
{
    sh_run_each("person_id,birth_date,school_status", ",2010-05-05,%s", values, n);
}

static void test_education_covered_values_and_aliases_pass(void **state)
{
    static const char *const covered[] = {
        "preschool", "学前教育", "primary", "小学", "junior", "初中", "senior", "高中",
        "vocational", "中职", "技工", "college", "大专", "本科",
        "home_schooling", "送教上门", "exempt", "免学"
    };
    (void)state;
    each_value(covered, sizeof covered / sizeof covered[0]);
    sh_expect("");
}

static void test_education_not_covered_values_and_aliases_fail_school_dropout(void **state)
{
    static const char *const not_covered[] = {
        "dropout", "辍学", "not_enrolled", "未入学", "失学", "not_in_school", "非在校生"
    };
    const size_t n = sizeof not_covered / sizeof not_covered[0];
    (void)state;
    each_value(not_covered, n);
    sh_expect_each(n, "fail SCHOOL_DROPOUT m1");
}

static void test_education_school_status_matches_in_any_ascii_case(void **state)
{
    static const char *const covered[] = {
        "PRIMARY", "Junior", "SeNiOr", "HOME_SCHOOLING", "Exempt", "PreSchool", "VOCATIONAL",
        "College"
    };
    static const char *const not_covered[] = { "DROPOUT", "Not_Enrolled", "NOT_IN_SCHOOL" };
    const size_t n = sizeof not_covered / sizeof not_covered[0];
    (void)state;
    each_value(covered, sizeof covered / sizeof covered[0]);
    sh_expect("");
    each_value(not_covered, n);
    sh_expect_each(n, "fail SCHOOL_DROPOUT m1");
}

static void test_education_school_status_is_trimmed(void **state)
{
    (void)state;
    one("2010-05-05", "  primary\t");
    sh_expect("");
    one("2010-05-05", " \"dropout \" ");
    sh_expect("H1 fail SCHOOL_DROPOUT m1");
}

static void test_education_blank_school_status_at_school_age_is_missing_value(void **state)
{
    (void)state;
    one("2010-05-05", "");
    sh_expect("H1 fail MISSING_VALUE m1 school_status");
}

static void test_education_unlisted_school_status_is_bad_value(void **state)
{
    static const char *const unlisted[] = {
        "primary school", "home schooling", "小学生", "在校", "yes", "1", "dropped", "学前",
        "not-enrolled"
    };
    const size_t n = sizeof unlisted / sizeof unlisted[0];
    (void)state;
    each_value(unlisted, n);
    sh_expect_each(n, "fail BAD_VALUE m1 school_status");
}

static void test_education_members_out_of_school_age_are_not_checked(void **state)
{
    (void)state;
    sh_run(COLS
           SH_ROW("H1") ",1980-01-01,\n"            /* 40, blank */
           SH_ROW("H1") ",2004-09-30,dropout\n"     /* 16, not covered */
           SH_ROW("H1") ",2004-01-01,whatever\n"    /* 16, unlisted */
           SH_ROW("H1") ",2014-10-01,\n"            /* 5, blank */
           SH_ROW("H1") ",2016-01-01,辍学\n");      /* 4 */
    sh_expect("");
}

static void test_education_findings_name_the_member(void **state)
{
    (void)state;
    sh_run(COLS
           SH_ROW("H1") ",1980-01-01,\n"
           SH_ROW("H1") ",2008-01-01,辍学\n"        /* 12 */
           SH_ROW("H1") ",2012-01-01,\n"            /* 8 */
           SH_ROW("H1") ",2010-01-01,小学\n"        /* 10 */
           SH_ROW("H1") ",2011-01-01,primary1\n"    /* 9 */
           SH_ROW("H2") ",2008-01-01,not_enrolled\n");
    sh_expect("H1 fail SCHOOL_DROPOUT m2\n"
              "H1 fail MISSING_VALUE m3 school_status\n"
              "H1 fail BAD_VALUE m5 school_status\n"
              "H2 fail SCHOOL_DROPOUT m1\n");
}

int main(void)
{
#define T(f) cmocka_unit_test_setup(f, sh_reset)
    const struct CMUnitTest tests[] = {
        T(test_education_declares_school_age_defaults_6_and_15),
        T(test_education_school_age_min_above_max_is_an_error_at_open),
        T(test_education_school_age_min_equal_to_max_is_allowed),
        T(test_education_school_age_parameters_move_the_band),
        T(test_education_age_15_on_as_of_birthday_is_school_age),
        T(test_education_age_16_on_as_of_birthday_is_not_school_age),
        T(test_education_16th_birthday_the_day_after_as_of_is_still_15),
        T(test_education_age_6_on_as_of_birthday_is_school_age),
        T(test_education_6th_birthday_the_day_after_as_of_is_5_not_school_age),
        T(test_education_age_is_whole_years_at_each_quarter_end),
        T(test_education_29_february_birth_is_a_year_older_only_from_1_march),
        T(test_education_29_february_birth_in_a_leap_year_is_older_on_29_february),
        T(test_education_birth_after_as_of_is_a_negative_age_never_school_age),
        T(test_education_age_from_id_digits_7_to_14_when_birth_date_blank),
        T(test_education_age_from_id_when_there_is_no_birth_date_column),
        T(test_education_age_from_id_with_lower_case_x_check_character),
        T(test_education_birth_date_column_wins_over_the_id),
        T(test_education_bad_birth_date_is_bad_value_without_fall_back_to_id),
        T(test_education_birth_date_in_each_form_of_the_standard),
        T(test_education_birth_date_not_in_a_form_of_the_standard_is_bad_value),
        T(test_education_2000_02_29_is_a_real_birth_date),
        T(test_education_no_birth_date_and_blank_id_is_missing_value),
        T(test_education_no_birth_date_and_invalid_id_is_missing_value),
        T(test_education_unknown_age_fails_also_for_a_member_not_in_school),
        T(test_education_covered_values_and_aliases_pass),
        T(test_education_not_covered_values_and_aliases_fail_school_dropout),
        T(test_education_school_status_matches_in_any_ascii_case),
        T(test_education_school_status_is_trimmed),
        T(test_education_blank_school_status_at_school_age_is_missing_value),
        T(test_education_unlisted_school_status_is_bad_value),
        T(test_education_members_out_of_school_age_are_not_checked),
        T(test_education_findings_name_the_member),
    };
#undef T
    int rc;
    if (sh_setup("education") < 0) return 1;
    rc = cmocka_run_group_tests(tests, NULL, NULL);
    sh_teardown();
    return rc;
}
