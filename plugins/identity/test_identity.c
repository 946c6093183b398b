/* test_identity.c — the `identity` stage (standard §3.7; warnings only):
 * ID_INVALID (GB 11643: 17 digits and a check character by ISO 7064
 * MOD 11-2, a real date in digits 7–14), ID_BIRTH_MISMATCH, ID_DUPLICATE
 * across the run in input order, HEAD_COUNT.
 *
 * The IDs below have their check characters computed by hand:
 *   110101198005120014  1980-05-12, valid
 *   11010119800512009X  1980-05-12, valid, check character X
 *   110101200002290018  2000-02-29, valid (a leap day)
 *   110101199912310019  1999-12-31, valid
 *   110101190002290011  right check character, 1900-02-29 is not a date
 *   11010119990230001X  right check character, 1999-02-30 is not a date
 *   110101202013010017  right check character, month 13 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "stage_harness.h"

#define COLS SH_COLS "person_id,relation,birth_date\n"
#define V1 "110101198005120014"
#define VX "11010119800512009X"
#define VLEAP "110101200002290018"
#define V2 "110101199912310019"

/* One member per household, each the head, with person_id `value`. */
static void each_id(const char *const *ids, size_t n)
{
    sh_run_each("person_id,relation,birth_date", "%s,head,", ids, n);
}

static void test_identity_is_declared_ordered(void **state)
{
    (void)state;
    /* ID_DUPLICATE needs every household in input order */
    assert_true(sh_stage()->flags & TP_STAGE_ORDERED);
}

static void test_identity_declares_its_columns(void **state)
{
    const char *const *c;
    int found = 0;
    (void)state;
    for (c = sh_stage()->columns; c && *c; c++) {
        found |= !strcmp(*c, "person_id");
        found |= !strcmp(*c, "relation") << 1;
    }
    assert_int_equal(found, 3);
}

/* ---- ID_INVALID ------------------------------------------------------------------------ */

static void test_identity_valid_ids_and_one_head_give_no_warning(void **state)
{
    (void)state;
    sh_run(COLS
           SH_ROW("H1") V1 ",head,1980-05-12\n"
           SH_ROW("H1") VLEAP ",daughter,2000-02-29\n"
           SH_ROW("H1") V2 ",son,\n"
           SH_ROW("H2") VX ",户主,\n");
    sh_expect("");
}

static void test_identity_blank_id_is_id_invalid(void **state)
{
    (void)state;
    sh_run(COLS
           SH_ROW("H1") V1 ",head,\n"
           SH_ROW("H1") ",spouse,\n"
           SH_ROW("H1") "\"  \",son,\n");
    sh_expect("H1 warn ID_INVALID m2\n"
              "H1 warn ID_INVALID m3\n");
}

static void test_identity_id_of_wrong_length_is_id_invalid(void **state)
{
    static const char *const ids[] = {
        "11010119800512001",        /* 17 digits */
        "1101011980051200140",      /* 19 */
        "11010119800512009XX",
        "1101011980051",
        "1",
    };
    const size_t n = sizeof ids / sizeof ids[0];
    (void)state;
    each_id(ids, n);
    sh_expect_each(n, "warn ID_INVALID m1");
}

static void test_identity_id_with_a_non_digit_in_the_first_17_is_id_invalid(void **state)
{
    static const char *const ids[] = {
        "11010A198005120014", "X10101198005120014", "110101 98005120014", "110101-98005120014",
        "１10101198005120014"
    };
    const size_t n = sizeof ids / sizeof ids[0];
    (void)state;
    each_id(ids, n);
    sh_expect_each(n, "warn ID_INVALID m1");
}

static void test_identity_id_with_a_wrong_check_character_is_id_invalid(void **state)
{
    static const char *const ids[] = {
        "110101198005120015",       /* check is 4 */
        "11010119800512001X",       /* check is 4, not X */
        "110101198005120090",       /* check is X */
        "11010119800512009Y",
        "110101198005120010",
    };
    const size_t n = sizeof ids / sizeof ids[0];
    (void)state;
    each_id(ids, n);
    sh_expect_each(n, "warn ID_INVALID m1");
}

static void test_identity_check_character_x_is_accepted_in_either_case(void **state)
{
    static const char *const ids[] = { "11010119800512009X", "11010120100203019x" };
    (void)state;
    each_id(ids, 2);
    sh_expect("");
}

static void test_identity_id_with_an_impossible_date_in_digits_7_to_14_is_id_invalid(void **state)
{
    static const char *const ids[] = {
        "11010119990230001X",       /* 1999-02-30 */
        "110101190002290011",       /* 1900-02-29: 1900 is a common year */
        "110101202013010017",       /* month 13 */
    };
    const size_t n = sizeof ids / sizeof ids[0];
    (void)state;
    each_id(ids, n);
    sh_expect_each(n, "warn ID_INVALID m1");
}

static void test_identity_leap_day_in_a_leap_year_is_a_real_date(void **state)
{
    static const char *const ids[] = { VLEAP };
    (void)state;
    each_id(ids, 1);
    sh_expect("");
}

/* ---- ID_BIRTH_MISMATCH ------------------------------------------------------------------ */

static void test_identity_birth_mismatch_when_a_real_birth_date_differs_from_a_valid_id(void **state)
{
    (void)state;
    sh_run(COLS
           SH_ROW("H1") V1 ",head,1980-05-13\n"
           SH_ROW("H1") V2 ",son,2000-12-31\n"
           SH_ROW("H1") VLEAP ",daughter,2000-03-01\n");
    sh_expect("H1 warn ID_BIRTH_MISMATCH m1\n"
              "H1 warn ID_BIRTH_MISMATCH m2\n"
              "H1 warn ID_BIRTH_MISMATCH m3\n");
}

static void test_identity_no_birth_mismatch_for_the_same_date_in_another_form(void **state)
{
    static const char *const dates[] = { "1980-05-12", "1980/5/12", "1980/05/12", "19800512" };
    size_t i;
    (void)state;
    /* one run each: the same ID in four households would be duplicates */
    for (i = 0; i < sizeof dates / sizeof dates[0]; i++) {
        sh_run_each("person_id,relation,birth_date", V1 ",head,%s", &dates[i], 1);
        sh_expect("");
    }
}

static void test_identity_no_birth_mismatch_when_birth_date_is_blank_or_not_a_date(void **state)
{
    (void)state;
    sh_run(COLS
           SH_ROW("H1") V1 ",head,\n"
           SH_ROW("H2") V2 ",head,1999-02-30\n"
           SH_ROW("H3") VLEAP ",head,unknown\n");
    sh_expect("");
}

static void test_identity_no_birth_mismatch_for_an_invalid_id(void **state)
{
    (void)state;
    sh_run(COLS
           SH_ROW("H1") "110101198005120015,head,1970-01-01\n"     /* bad check character */
           SH_ROW("H2") "11010119990230001X,head,1999-03-02\n");   /* impossible ID date */
    sh_expect("H1 warn ID_INVALID m1\n"
              "H2 warn ID_INVALID m1\n");
}

/* ---- ID_DUPLICATE ----------------------------------------------------------------------- */

static void test_identity_duplicate_in_the_same_household_on_the_later_member(void **state)
{
    (void)state;
    sh_run(COLS
           SH_ROW("H1") V1 ",head,\n"
           SH_ROW("H1") V2 ",son,\n"
           SH_ROW("H1") V1 ",spouse,\n");
    sh_expect("H1 warn ID_DUPLICATE m3");
}

static void test_identity_duplicate_across_households_only_on_the_later_occurrence(void **state)
{
    (void)state;
    sh_run(COLS
           SH_ROW("H1") V1 ",head,\n"
           SH_ROW("H2") V2 ",head,\n"
           SH_ROW("H3") VLEAP ",head,\n"
           SH_ROW("H3") V1 ",spouse,\n");
    sh_expect("H3 warn ID_DUPLICATE m2");
}

static void test_identity_every_later_occurrence_is_a_duplicate(void **state)
{
    (void)state;
    sh_run(COLS
           SH_ROW("H1") V1 ",head,\n"
           SH_ROW("H2") V1 ",head,\n"
           SH_ROW("H2") V1 ",son,\n"
           SH_ROW("H3") " " V1 " ,head,\n");
    sh_expect("H2 warn ID_DUPLICATE m1\n"
              "H2 warn ID_DUPLICATE m2\n"
              "H3 warn ID_DUPLICATE m1\n");
}

static void test_identity_duplicate_with_x_and_X_alike(void **state)
{
    (void)state;
    sh_run(COLS
           SH_ROW("H1") "11010119800512009X,head,\n"
           SH_ROW("H2") "11010119800512009x,head,\n"
           SH_ROW("H3") "11010120100203019x,head,\n"
           SH_ROW("H4") "11010120100203019X,head,\n");
    sh_expect("H2 warn ID_DUPLICATE m1\n"
              "H4 warn ID_DUPLICATE m1\n");
}

static void test_identity_duplicate_of_invalid_non_blank_ids(void **state)
{
    (void)state;
    sh_run(COLS
           SH_ROW("H1") "12345,head,\n"
           SH_ROW("H1") "110101198005120015,son,\n"     /* wrong check character */
           SH_ROW("H1") "11010119800512001x,son,\n"     /* wrong check character, x */
           SH_ROW("H2") "12345,head,\n"
           SH_ROW("H2") "110101198005120015,son,\n"
           SH_ROW("H2") "11010119800512001X,son,\n"
           SH_ROW("H2") "12346,son,\n");
    sh_expect("H1 warn ID_INVALID m1\nH1 warn ID_INVALID m2\nH1 warn ID_INVALID m3\n"
              "H2 warn ID_INVALID m1\nH2 warn ID_DUPLICATE m1\n"
              "H2 warn ID_INVALID m2\nH2 warn ID_DUPLICATE m2\n"
              "H2 warn ID_INVALID m3\nH2 warn ID_DUPLICATE m3\n"
              "H2 warn ID_INVALID m4\n");
}

static void test_identity_blank_ids_are_never_duplicates(void **state)
{
    (void)state;
    sh_run(COLS
           SH_ROW("H1") ",head,\n"
           SH_ROW("H1") ",son,\n"
           SH_ROW("H2") ",head,\n");
    sh_expect("H1 warn ID_INVALID m1\nH1 warn ID_INVALID m2\nH2 warn ID_INVALID m1\n");
}

static void test_identity_ids_seen_belong_to_one_run(void **state)
{
    (void)state;
    sh_run(COLS SH_ROW("H1") V1 ",head,\n");
    sh_expect("");
    /* a new instance starts with no IDs seen */
    sh_run(COLS SH_ROW("H1") V1 ",head,\n");
    sh_expect("");
}

/* ---- HEAD_COUNT ------------------------------------------------------------------------- */

static void test_identity_no_head_is_head_count(void **state)
{
    (void)state;
    sh_run(COLS
           SH_ROW("H1") V1 ",spouse,\n"
           SH_ROW("H1") V2 ",son,\n");
    sh_expect("H1 warn HEAD_COUNT");
}

static void test_identity_two_heads_is_head_count(void **state)
{
    (void)state;
    sh_run(COLS
           SH_ROW("H1") V1 ",head,\n"
           SH_ROW("H1") V2 ",head,\n"
           SH_ROW("H2") VX ",户主,\n"
           SH_ROW("H2") VLEAP ",HEAD,\n"
           SH_ROW("H2") "110101201409300016,son,\n");
    sh_expect("H1 warn HEAD_COUNT\nH2 warn HEAD_COUNT\n");
}

static void test_identity_head_in_any_ascii_case_or_huzhu_is_the_head(void **state)
{
    static const char *const heads[] = { "head", "HEAD", "Head", "hEaD", "户主", " head " };
    const size_t n = sizeof heads / sizeof heads[0];
    (void)state;
    sh_run_each("person_id,relation,birth_date", ",%s,", heads, n);
    /* one head each; the blank IDs only give ID_INVALID */
    sh_expect_each(n, "warn ID_INVALID m1");
}

static void test_identity_other_relations_are_not_the_head(void **state)
{
    static const char *const others[] = { "headman", "head of household", "户主妻", "户 主",
                                          "householder", "hea", "", "本人" };
    const size_t n = sizeof others / sizeof others[0];
    char want[2048] = "";
    size_t i;
    (void)state;
    sh_run_each("person_id,relation,birth_date", ",%s,", others, n);
    for (i = 0; i < n; i++) {
        char line[128];
        snprintf(line, sizeof line, "S%zu warn ID_INVALID m1\nS%zu warn HEAD_COUNT\n", i + 1, i + 1);
        strcat(want, line);
    }
    sh_expect(want);
}

static void test_identity_all_four_warnings_together_and_no_fail(void **state)
{
    (void)state;
    sh_run(COLS
           SH_ROW("H1") V1 ",son,1980-05-12\n"
           SH_ROW("H2") V1 ",spouse,1980-05-12\n"      /* duplicate */
           SH_ROW("H2") V2 ",son,1999-12-30\n"         /* mismatch */
           SH_ROW("H2") "123,daughter,\n");            /* invalid; and no head */
    sh_expect("H1 warn HEAD_COUNT\n"
              "H2 warn ID_DUPLICATE m1\n"
              "H2 warn ID_BIRTH_MISMATCH m2\n"
              "H2 warn ID_INVALID m3\n"
              "H2 warn HEAD_COUNT\n");
}

int main(void)
{
#define T(f) cmocka_unit_test_setup(f, sh_reset)
    const struct CMUnitTest tests[] = {
        T(test_identity_is_declared_ordered),
        T(test_identity_declares_its_columns),
        T(test_identity_valid_ids_and_one_head_give_no_warning),
        T(test_identity_blank_id_is_id_invalid),
        T(test_identity_id_of_wrong_length_is_id_invalid),
        T(test_identity_id_with_a_non_digit_in_the_first_17_is_id_invalid),
        T(test_identity_id_with_a_wrong_check_character_is_id_invalid),
        T(test_identity_check_character_x_is_accepted_in_either_case),
        T(test_identity_id_with_an_impossible_date_in_digits_7_to_14_is_id_invalid),
        T(test_identity_leap_day_in_a_leap_year_is_a_real_date),
        T(test_identity_birth_mismatch_when_a_real_birth_date_differs_from_a_valid_id),
        T(test_identity_no_birth_mismatch_for_the_same_date_in_another_form),
        T(test_identity_no_birth_mismatch_when_birth_date_is_blank_or_not_a_date),
        T(test_identity_no_birth_mismatch_for_an_invalid_id),
        T(test_identity_duplicate_in_the_same_household_on_the_later_member),
        T(test_identity_duplicate_across_households_only_on_the_later_occurrence),
        T(test_identity_every_later_occurrence_is_a_duplicate),
        T(test_identity_duplicate_with_x_and_X_alike),
        T(test_identity_duplicate_of_invalid_non_blank_ids),
        T(test_identity_blank_ids_are_never_duplicates),
        T(test_identity_ids_seen_belong_to_one_run),
        T(test_identity_no_head_is_head_count),
        T(test_identity_two_heads_is_head_count),
        T(test_identity_head_in_any_ascii_case_or_huzhu_is_the_head),
        T(test_identity_other_relations_are_not_the_head),
        T(test_identity_all_four_warnings_together_and_no_fail),
    };
#undef T
    int rc;
    if (sh_setup("identity") < 0) return 1;
    rc = cmocka_run_group_tests(tests, NULL, NULL);
    sh_teardown();
    return rc;
}
