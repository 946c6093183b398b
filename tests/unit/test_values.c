/* test_values.c — the value forms of standard §1 (yes/no, money, dates,
 * status, ratings, school status), ages (§2), the resident-ID check of §3.7
 * and the decimal helpers of core/model/values.h.  Expected values come from the
 * standard's text; resident-ID check characters are worked out by hand in
 * the comments. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "values.h"
#include "messages.h"

/* ---- yes/no -------------------------------------------------------------- */

static void yes(const char *s)
{
    tp_yesno v = val_yesno(s);
    if (v.state != TP_OK || v.value != 1) fail_msg("\"%s\" should be yes", s);
}

static void no(const char *s)
{
    tp_yesno v = val_yesno(s);
    if (v.state != TP_OK || v.value != 0) fail_msg("\"%s\" should be no", s);
}

static void yesno_bad(const char *s)
{
    if (val_yesno(s).state != TP_BAD) fail_msg("\"%s\" should be a bad yes/no", s);
}

static void test_yes_spellings(void **state)
{
    (void)state;
    yes("yes"); yes("y"); yes("true"); yes("1"); yes("是");
}

static void test_no_spellings(void **state)
{
    (void)state;
    no("no"); no("n"); no("false"); no("0"); no("否");
}

static void test_yesno_ascii_letters_match_in_any_case(void **state)
{
    (void)state;
    yes("YES"); yes("Yes"); yes("yEs"); yes("Y"); yes("TRUE"); yes("True");
    no("NO"); no("No"); no("N"); no("FALSE"); no("fAlSe");
}

static void test_yesno_blank_is_missing(void **state)
{
    (void)state;
    assert_int_equal(val_yesno("").state, TP_MISSING);
}

static void test_yesno_other_values_are_bad(void **state)
{
    (void)state;
    yesno_bad("2"); yesno_bad("01"); yesno_bad("ye"); yesno_bad("yess");
    yesno_bad("t"); yesno_bad("f"); yesno_bad("on"); yesno_bad("off");
    yesno_bad("是的"); yesno_bad("对"); yesno_bad("不"); yesno_bad("done?");
    yesno_bad("ＹＥＳ");           /* fullwidth letters are not ASCII */
    yesno_bad(" yes");            /* fields arrive trimmed; no trimming here */
    yesno_bad("-");
}

/* ---- money ---------------------------------------------------------------------- */

static void money_ok(const char *s, int nonneg, int64_t cents)
{
    tp_money m = val_money(s, nonneg);
    if (m.state != TP_OK || m.cents != cents)
        fail_msg("money \"%s\" (nonneg %d): want %lld cents, got state %d cents %lld",
                 s, nonneg, (long long)cents, (int)m.state, (long long)m.cents);
}

static void money_bad(const char *s, int nonneg)
{
    tp_money m = val_money(s, nonneg);
    if (m.state != TP_BAD)
        fail_msg("money \"%s\" (nonneg %d) should be bad, got state %d", s, nonneg, (int)m.state);
}

static void test_money_whole_yuan(void **state)
{
    (void)state;
    money_ok("0", 1, 0);
    money_ok("4000", 1, 400000);
    money_ok("007", 1, 700);        /* leading zeros match [0-9]+ */
}

static void test_money_one_or_two_decimals(void **state)
{
    (void)state;
    money_ok("4000.5", 1, 400050);
    money_ok("4000.05", 1, 400005);
    money_ok("0.01", 1, 1);
    money_ok("0.1", 1, 10);
    money_ok("00.50", 1, 50);
    money_ok("9.99", 1, 999);
}

static void test_money_negative_when_allowed(void **state)
{
    (void)state;
    /* declared_income_pc may be negative */
    money_ok("-1", 0, -100);
    money_ok("-1.5", 0, -150);
    money_ok("-4049.60", 0, -404960);
}

static void test_money_minus_zero_is_zero(void **state)
{
    (void)state;
    money_ok("-0", 1, 0);
    money_ok("-0.00", 1, 0);
    money_ok("-00.0", 1, 0);
    money_ok("-0", 0, 0);
}

static void test_money_negative_income_component_is_bad(void **state)
{
    (void)state;
    money_bad("-1", 1);
    money_bad("-0.01", 1);
    money_bad("-4000.00", 1);
}

static void test_money_blank_is_missing(void **state)
{
    (void)state;
    assert_int_equal(val_money("", 1).state, TP_MISSING);
    assert_int_equal(val_money("", 0).state, TP_MISSING);
}

static void test_money_point_without_decimals_is_bad(void **state)
{
    (void)state;
    money_bad("1.", 1);
    money_bad("-1.", 0);
}

static void test_money_decimals_without_integer_part_are_bad(void **state)
{
    (void)state;
    money_bad(".5", 1);
    money_bad("-.5", 0);
}

static void test_money_three_decimals_are_bad(void **state)
{
    (void)state;
    money_bad("1.234", 1);
    money_bad("1.230", 1);
    money_bad("1.000", 1);
}

static void test_money_plus_sign_is_bad(void **state)
{
    (void)state;
    money_bad("+1", 1);
    money_bad("+1", 0);
}

static void test_money_spaces_are_not_trimmed(void **state)
{
    (void)state;
    /* fields are trimmed before parsing; a space reaching val_money is bad */
    money_bad(" 1", 1);
    money_bad("1 ", 1);
    money_bad("1 000", 1);
}

static void test_money_other_forms_are_bad(void **state)
{
    (void)state;
    money_bad("-", 0); money_bad("--1", 0); money_bad("1-", 0);
    money_bad("1,000", 1); money_bad("1,5", 1); money_bad("1e3", 1);
    money_bad("1.2.3", 1); money_bad("0x10", 1); money_bad("¥100", 1);
    money_bad("１００", 1);          /* fullwidth digits are not ASCII */
    money_bad("100元", 1); money_bad("abc", 1); money_bad(".", 1);
    money_bad("1.-5", 0); money_bad("NaN", 1); money_bad("inf", 1);
}

static void test_money_fifteen_significant_digits_are_read_exactly(void **state)
{
    (void)state;
    money_ok("123456789012345", 1, INT64_C(12345678901234500));
    money_ok("999999999999999.99", 1, INT64_C(99999999999999999));
    money_ok("-123456789012345.67", 0, INT64_C(-12345678901234567));
    money_ok("0000000000000000001.50", 1, 150);   /* leading zeros are not significant */
}

static void test_money_sixteen_significant_digits_are_bad(void **state)
{
    (void)state;
    money_bad("1234567890123456", 1);
    money_bad("1000000000000000.00", 1);
    money_bad("-1234567890123456", 0);
    money_bad("99999999999999999999", 1);
}

/* ---- dates --------------------------------------------------------------------------- */

static void date_ok(const char *s, int y, int m, int d)
{
    tp_date t = val_date(s);
    if (t.state != TP_OK || t.year != y || t.month != m || t.day != d)
        fail_msg("date \"%s\": want %04d-%02d-%02d, got state %d %04d-%02d-%02d",
                 s, y, m, d, (int)t.state, t.year, t.month, t.day);
}

static void date_bad(const char *s)
{
    tp_date t = val_date(s);
    if (t.state != TP_BAD) fail_msg("date \"%s\" should be bad, got state %d", s, (int)t.state);
}

static void test_date_iso_form(void **state)
{
    (void)state;
    date_ok("2020-09-30", 2020, 9, 30);
    date_ok("1949-12-31", 1949, 12, 31);
    date_ok("2020-01-01", 2020, 1, 1);
}

static void test_date_iso_form_needs_two_digit_month_and_day(void **state)
{
    (void)state;
    date_bad("2020-9-30"); date_bad("2020-09-3"); date_bad("2020-1-1");
    date_bad("20-09-30"); date_bad("02020-09-30");
}

static void test_date_slash_form_one_or_two_digit_parts(void **state)
{
    (void)state;
    date_ok("2013/1/19", 2013, 1, 19);
    date_ok("2013/1/9", 2013, 1, 9);
    date_ok("2013/01/09", 2013, 1, 9);
    date_ok("1958/12/13", 1958, 12, 13);
    date_ok("2013/12/1", 2013, 12, 1);
    date_ok("2013/01/9", 2013, 1, 9);
}

static void test_date_slash_form_rejects_other_lengths(void **state)
{
    (void)state;
    date_bad("2013/001/1"); date_bad("2013/1/001"); date_bad("2013//1");
    date_bad("2013/1/"); date_bad("2013/1"); date_bad("2013/1/1/");
    date_bad("13/1/19"); date_bad("2013/a/1");
}

static void test_date_compact_form(void **state)
{
    (void)state;
    date_ok("19910426", 1991, 4, 26);
    date_ok("20200229", 2020, 2, 29);
}

static void test_date_compact_form_needs_eight_digits(void **state)
{
    (void)state;
    date_bad("2020229"); date_bad("202002290"); date_bad("2020022a");
}

static void test_date_other_forms_are_bad(void **state)
{
    (void)state;
    date_bad("2020.09.30"); date_bad("30/09/2020"); date_bad("2020-09/30");
    date_bad("2020/09-30"); date_bad("2020年9月30日"); date_bad("2020-09-30T00:00");
    date_bad(" 2020-09-30"); date_bad("2020-09-30 "); date_bad("yesterday");
    date_bad("２０２０-０９-３０");
}

static void test_date_blank_is_missing(void **state)
{
    (void)state;
    assert_int_equal(val_date("").state, TP_MISSING);
}

static void test_date_must_be_a_real_day_of_its_month(void **state)
{
    (void)state;
    date_ok("2020-04-30", 2020, 4, 30);
    date_bad("2020-04-31"); date_bad("2020-06-31"); date_bad("2020-09-31");
    date_bad("2020-11-31"); date_ok("2020-12-31", 2020, 12, 31); date_bad("2020-12-32");
    date_bad("2020-01-00"); date_bad("2020-00-10"); date_bad("2020-13-01");
    date_bad("2019-02-30"); date_bad("20190230"); date_bad("2019/2/30");
}

static void test_date_29_february_in_leap_year(void **state)
{
    (void)state;
    date_ok("2020-02-29", 2020, 2, 29);
    date_ok("2016/2/29", 2016, 2, 29);
    date_bad("2020-02-30");
}

static void test_date_29_february_in_common_year_is_bad(void **state)
{
    (void)state;
    date_bad("2019-02-29"); date_bad("2021/2/29"); date_bad("20180229");
    date_ok("2019-02-28", 2019, 2, 28);
}

static void test_date_29_february_1900_is_bad(void **state)
{
    (void)state;
    /* divisible by 100 and not by 400: a common year */
    date_bad("1900-02-29"); date_bad("19000229"); date_bad("2100-02-29");
}

static void test_date_29_february_2000_is_real(void **state)
{
    (void)state;
    /* divisible by 400: a leap year */
    date_ok("2000-02-29", 2000, 2, 29);
    date_ok("20000229", 2000, 2, 29);
    date_ok("1600/2/29", 1600, 2, 29);
}

static void test_date_real_function(void **state)
{
    (void)state;
    assert_true(val_date_real(2020, 2, 29));
    assert_false(val_date_real(2019, 2, 29));
    assert_false(val_date_real(1900, 2, 29));
    assert_true(val_date_real(2000, 2, 29));
    assert_true(val_date_real(2020, 1, 31));
    assert_false(val_date_real(2020, 4, 31));
    assert_false(val_date_real(2020, 0, 1));
    assert_false(val_date_real(2020, 13, 1));
    assert_false(val_date_real(2020, 1, 0));
}

/* ---- ages (standard §2) ------------------------------------------------------------- */

static int age(int by, int bm, int bd, int y, int m, int d)
{
    tp_date b = { TP_OK, by, bm, bd };
    return val_age(b, y, m, d);
}

static void test_age_birthday_on_the_as_of_date_counts(void **state)
{
    (void)state;
    assert_int_equal(age(2010, 9, 30, 2020, 9, 30), 10);
    assert_int_equal(age(2005, 12, 31, 2020, 12, 31), 15);
    assert_int_equal(age(2014, 3, 31, 2020, 3, 31), 6);
}

static void test_age_day_after_the_as_of_date_is_a_year_less(void **state)
{
    (void)state;
    assert_int_equal(age(2010, 10, 1, 2020, 9, 30), 9);
    assert_int_equal(age(2014, 4, 1, 2020, 3, 31), 5);
    assert_int_equal(age(2004, 7, 1, 2020, 6, 30), 15);
}

static void test_age_earlier_in_the_year_is_full_difference(void **state)
{
    (void)state;
    assert_int_equal(age(2010, 9, 29, 2020, 9, 30), 10);
    assert_int_equal(age(2010, 1, 1, 2020, 9, 30), 10);
}

static void test_age_29_february_birth_in_common_year_older_from_1_march(void **state)
{
    (void)state;
    assert_int_equal(age(2008, 2, 29, 2021, 2, 28), 12);
    assert_int_equal(age(2008, 2, 29, 2021, 3, 1), 13);
    assert_int_equal(age(2008, 2, 29, 2019, 3, 31), 11);   /* quarter end 2019Q1 */
}

static void test_age_29_february_birth_in_leap_year_on_the_day(void **state)
{
    (void)state;
    assert_int_equal(age(2008, 2, 29, 2020, 2, 28), 11);
    assert_int_equal(age(2008, 2, 29, 2020, 2, 29), 12);
}

static void test_age_birth_after_as_of_date_is_negative(void **state)
{
    (void)state;
    assert_int_equal(age(2020, 12, 31, 2020, 12, 31), 0);
    assert_int_equal(age(2021, 1, 1, 2020, 12, 31), -1);
    assert_int_equal(age(2021, 10, 1, 2020, 9, 30), -2);
    assert_int_equal(age(2022, 6, 1, 2020, 9, 30), -2);
}

/* ---- status, rating, school ------------------------------------------------------------ */

static void status_is(const char *s, tp_status want)
{
    tp_status st = (tp_status)-1;
    if (val_status(s, &st) != 0 || st != want)
        fail_msg("status \"%s\": want %d, got %d", s, (int)want, (int)st);
}

static void status_bad(const char *s)
{
    tp_status st;
    if (val_status(s, &st) != -1) fail_msg("status \"%s\" should not be accepted", s);
}

static void test_status_poor_and_aliases(void **state)
{
    (void)state;
    status_is("poor", TP_STATUS_POOR); status_is("贫困户", TP_STATUS_POOR);
    status_is("未脱贫", TP_STATUS_POOR);
}

static void test_status_exited_and_aliases(void **state)
{
    (void)state;
    status_is("exited", TP_STATUS_EXITED); status_is("已脱贫", TP_STATUS_EXITED);
    status_is("脱贫户", TP_STATUS_EXITED);
}

static void test_status_general_and_aliases(void **state)
{
    (void)state;
    status_is("general", TP_STATUS_GENERAL); status_is("一般户", TP_STATUS_GENERAL);
    status_is("非贫困户", TP_STATUS_GENERAL);
}

static void test_status_matches_in_any_ascii_case(void **state)
{
    (void)state;
    status_is("POOR", TP_STATUS_POOR); status_is("Exited", TP_STATUS_EXITED);
    status_is("GeNeRaL", TP_STATUS_GENERAL);
}

static void test_status_other_values_are_not_accepted(void **state)
{
    (void)state;
    status_bad(""); status_bad("poo"); status_bad("poor "); status_bad("exit");
    status_bad("贫困"); status_bad("脱贫"); status_bad("一般"); status_bad("unknown");
}

static void test_status_canonical_names(void **state)
{
    (void)state;
    assert_string_equal(val_status_name(TP_STATUS_POOR), "poor");
    assert_string_equal(val_status_name(TP_STATUS_EXITED), "exited");
    assert_string_equal(val_status_name(TP_STATUS_GENERAL), "general");
}

static void rating_is(const char *s, char want)
{
    tp_rating r = val_rating(s);
    if (r.state != TP_OK || r.value != want)
        fail_msg("rating \"%s\": want %c, got state %d value %c", s, want, (int)r.state, r.value);
}

static void rating_bad(const char *s)
{
    if (val_rating(s).state != TP_BAD) fail_msg("rating \"%s\" should be bad", s);
}

static void test_rating_letters_a_to_d(void **state)
{
    (void)state;
    rating_is("A", 'A'); rating_is("B", 'B'); rating_is("C", 'C'); rating_is("D", 'D');
}

static void test_rating_matches_in_any_ascii_case(void **state)
{
    (void)state;
    rating_is("a", 'A'); rating_is("b", 'B'); rating_is("c", 'C'); rating_is("d", 'D');
}

static void test_rating_with_ji_suffix(void **state)
{
    (void)state;
    rating_is("A级", 'A'); rating_is("B级", 'B'); rating_is("C级", 'C'); rating_is("D级", 'D');
    rating_is("c级", 'C');
}

static void test_rating_other_values_are_bad(void **state)
{
    (void)state;
    rating_bad("E"); rating_bad("AB"); rating_bad("A 级"); rating_bad("级"); rating_bad("A级级");
    rating_bad("A+"); rating_bad("1"); rating_bad("Ａ");
    assert_int_equal(val_rating("").state, TP_MISSING);
}

static void school_is(const char *s, tp_school_code want)
{
    tp_school v = val_school(s);
    if (v.state != TP_OK || v.value != want)
        fail_msg("school \"%s\": want %d, got state %d value %d", s, (int)want, (int)v.state,
                 (int)v.value);
}

static void test_school_canonical_values(void **state)
{
    (void)state;
    school_is("preschool", TP_SCHOOL_PRESCHOOL);
    school_is("primary", TP_SCHOOL_PRIMARY);
    school_is("junior", TP_SCHOOL_JUNIOR);
    school_is("senior", TP_SCHOOL_SENIOR);
    school_is("vocational", TP_SCHOOL_VOCATIONAL);
    school_is("college", TP_SCHOOL_COLLEGE);
    school_is("home_schooling", TP_SCHOOL_HOME_SCHOOLING);
    school_is("exempt", TP_SCHOOL_EXEMPT);
    school_is("dropout", TP_SCHOOL_DROPOUT);
    school_is("not_enrolled", TP_SCHOOL_NOT_ENROLLED);
    school_is("not_in_school", TP_SCHOOL_NOT_IN_SCHOOL);
}

static void test_school_chinese_aliases(void **state)
{
    (void)state;
    school_is("学前教育", TP_SCHOOL_PRESCHOOL);
    school_is("小学", TP_SCHOOL_PRIMARY);
    school_is("初中", TP_SCHOOL_JUNIOR);
    school_is("高中", TP_SCHOOL_SENIOR);
    school_is("中职", TP_SCHOOL_VOCATIONAL);
    school_is("技工", TP_SCHOOL_VOCATIONAL);
    school_is("大专", TP_SCHOOL_COLLEGE);
    school_is("本科", TP_SCHOOL_COLLEGE);
    school_is("送教上门", TP_SCHOOL_HOME_SCHOOLING);
    school_is("免学", TP_SCHOOL_EXEMPT);
    school_is("辍学", TP_SCHOOL_DROPOUT);
    school_is("未入学", TP_SCHOOL_NOT_ENROLLED);
    school_is("失学", TP_SCHOOL_NOT_ENROLLED);
    school_is("非在校生", TP_SCHOOL_NOT_IN_SCHOOL);
}

static void test_school_matches_in_any_ascii_case(void **state)
{
    (void)state;
    school_is("PRIMARY", TP_SCHOOL_PRIMARY);
    school_is("Home_Schooling", TP_SCHOOL_HOME_SCHOOLING);
    school_is("Not_In_School", TP_SCHOOL_NOT_IN_SCHOOL);
}

static void test_school_blank_is_missing_and_unlisted_is_bad(void **state)
{
    (void)state;
    assert_int_equal(val_school("").state, TP_MISSING);
    assert_int_equal(val_school("university").state, TP_BAD);
    assert_int_equal(val_school("home schooling").state, TP_BAD);
    assert_int_equal(val_school("大学").state, TP_BAD);
    assert_int_equal(val_school("初 中").state, TP_BAD);
}

static void test_school_covered_values(void **state)
{
    (void)state;
    assert_true(val_school_covered(TP_SCHOOL_PRESCHOOL));
    assert_true(val_school_covered(TP_SCHOOL_PRIMARY));
    assert_true(val_school_covered(TP_SCHOOL_JUNIOR));
    assert_true(val_school_covered(TP_SCHOOL_SENIOR));
    assert_true(val_school_covered(TP_SCHOOL_VOCATIONAL));
    assert_true(val_school_covered(TP_SCHOOL_COLLEGE));
    assert_true(val_school_covered(TP_SCHOOL_HOME_SCHOOLING));
    assert_true(val_school_covered(TP_SCHOOL_EXEMPT));
    assert_false(val_school_covered(TP_SCHOOL_DROPOUT));
    assert_false(val_school_covered(TP_SCHOOL_NOT_ENROLLED));
    assert_false(val_school_covered(TP_SCHOOL_NOT_IN_SCHOOL));
}

static void test_school_canonical_names(void **state)
{
    (void)state;
    assert_string_equal(val_school_name(TP_SCHOOL_HOME_SCHOOLING), "home_schooling");
    assert_string_equal(val_school_name(TP_SCHOOL_NOT_ENROLLED), "not_enrolled");
    assert_string_equal(val_school_name(TP_SCHOOL_VOCATIONAL), "vocational");
}

/* ---- resident ID (GB 11643, ISO 7064 MOD 11-2) --------------------------------------------
 *
 * Weights of the 17 digits: 7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2; the check
 * character for sum mod 11 = 0..10 is 1 0 X 9 8 7 6 5 4 3 2.
 *
 * 11010519491231002?: 1·7+1·9+0·10+1·5+0·8+5·4+1·2+9·1+4·6+9·3+1·7+2·9+3·10
 *   +1·5+0·8+0·4+2·2 = 7+9+0+5+0+20+2+9+24+27+7+18+30+5+0+0+4 = 167;
 *   167 mod 11 = 2 → 'X'.
 * 44052418800101001?: 28+36+0+25+16+16+2+8+48+0+0+9+0+5+0+0+2 = 195;
 *   195 mod 11 = 8 → '4'.
 * 13073119910426428?: 7+27+0+35+24+4+2+9+54+3+0+36+20+30+32+8+16 = 307;
 *   307 mod 11 = 10 → '2'.
 * 11010519491231001?: 167 − 2·2 + 1·2 = 165; 165 mod 11 = 0 → '1'.
 * 11010519491231007?: 167 − 2·2 + 7·2 = 177; 177 mod 11 = 1 → '0'.
 * 11010519490231002?: 167 − 1·7 (the month's first digit 1 → 0) = 160;
 *   160 mod 11 = 6 → '6' (a correct check character, but 1949-02-31). */

static void test_id_check_character_by_hand(void **state)
{
    (void)state;
    assert_int_equal(val_id_check_char("11010519491231002"), 'X');
    assert_int_equal(val_id_check_char("44052418800101001"), '4');
    assert_int_equal(val_id_check_char("13073119910426428"), '2');
    assert_int_equal(val_id_check_char("11010519491231001"), '1');
    assert_int_equal(val_id_check_char("11010519491231007"), '0');
    assert_int_equal(val_id_check_char("11010519490231002"), '6');
}

static void test_id_valid_gives_birth_date(void **state)
{
    tp_date b = { TP_MISSING, 0, 0, 0 };
    (void)state;
    assert_true(val_person_id("440524188001010014", &b));
    assert_int_equal(b.state, TP_OK);
    assert_int_equal(b.year, 1880);
    assert_int_equal(b.month, 1);
    assert_int_equal(b.day, 1);
    assert_true(val_person_id("130731199104264282", &b));
    assert_int_equal(b.year, 1991);
    assert_int_equal(b.month, 4);
    assert_int_equal(b.day, 26);
    assert_true(val_person_id("110105194912310011", NULL));
    assert_true(val_person_id("110105194912310070", NULL));
}

static void test_id_check_character_x_in_either_case(void **state)
{
    (void)state;
    assert_true(val_person_id("11010519491231002X", NULL));
    assert_true(val_person_id("11010519491231002x", NULL));
}

static void test_id_wrong_check_character_is_invalid(void **state)
{
    (void)state;
    assert_false(val_person_id("110105194912310021", NULL));
    assert_false(val_person_id("440524188001010015", NULL));
    assert_false(val_person_id("11010519491231001X", NULL));
    assert_false(val_person_id("130731199104264280", NULL));
}

static void test_id_correct_check_but_unreal_date_is_invalid(void **state)
{
    (void)state;
    assert_false(val_person_id("110105194902310026", NULL));
}

static void test_id_wrong_shape_is_invalid(void **state)
{
    (void)state;
    assert_false(val_person_id("", NULL));
    assert_false(val_person_id("11010519491231002", NULL));     /* 17 characters */
    assert_false(val_person_id("11010519491231002X0", NULL));   /* 19 characters */
    assert_false(val_person_id("1101051949123100X2", NULL));    /* X not last */
    assert_false(val_person_id("11010519491231002Y", NULL));
    assert_false(val_person_id("1101051949123100 2X", NULL));
    assert_false(val_person_id("１１０１０５１９４９１２３１００２X", NULL));
}

/* ---- decimals, formatting, rounding ---------------------------------------------------------- */

static void decimal_is(const char *s, int scale, int64_t want)
{
    int64_t v = 0;
    if (val_decimal(s, scale, &v) != 0 || v != want)
        fail_msg("decimal \"%s\" scale %d: want %lld, got %lld", s, scale, (long long)want,
                 (long long)v);
}

static void decimal_bad(const char *s, int scale)
{
    int64_t v;
    if (val_decimal(s, scale, &v) != -1) fail_msg("decimal \"%s\" scale %d should be refused", s, scale);
}

static void test_decimal_scaled_integers(void **state)
{
    (void)state;
    decimal_is("4000", 2, 400000);
    decimal_is("4000.5", 2, 400050);
    decimal_is("4000.05", 2, 400005);
    decimal_is("0.10", 6, 100000);
    decimal_is("0.5", 6, 500000);
    decimal_is("0.000001", 6, 1);
    decimal_is("15", 0, 15);
    decimal_is("0", 0, 0);
    decimal_is("-0.5", 6, -500000);
    decimal_is("-12", 2, -1200);
}

static void test_decimal_more_decimals_than_the_scale_is_refused(void **state)
{
    (void)state;
    decimal_bad("1.5", 0);
    decimal_bad("4000.001", 2);
    decimal_bad("0.0000001", 6);
}

static void test_decimal_other_text_is_refused(void **state)
{
    (void)state;
    decimal_bad("", 2); decimal_bad("-", 2); decimal_bad(".", 2); decimal_bad("abc", 2);
    decimal_bad("1a", 2); decimal_bad("1,000", 2); decimal_bad(" 1", 2); decimal_bad("1 ", 2);
    decimal_bad("1e3", 2); decimal_bad("1.2.3", 2);
}

static void test_decimal_out_of_range_is_refused(void **state)
{
    (void)state;
    decimal_bad("99999999999999999999", 2);
    decimal_bad("9223372036854775807", 6);
}

static void formats(int64_t cents, const char *want)
{
    char buf[32];
    val_format_cents(cents, buf);
    assert_string_equal(buf, want);
}

static void test_format_cents_two_decimals(void **state)
{
    (void)state;
    formats(0, "0.00");
    formats(1, "0.01");
    formats(10, "0.10");
    formats(100, "1.00");
    formats(400000, "4000.00");
    formats(404960, "4049.60");
    formats(123456789, "1234567.89");
}

static void test_format_cents_negative(void **state)
{
    (void)state;
    formats(-1, "-0.01");
    formats(-150, "-1.50");
    formats(-400000, "-4000.00");
    formats(INT64_MIN, "-92233720368547758.08");
    formats(INT64_MAX, "92233720368547758.07");
}

static void test_div_round_exact_quotient(void **state)
{
    (void)state;
    assert_int_equal(val_div_round(1200000, 3), 400000);
    assert_int_equal(val_div_round(7, 1), 7);
    assert_int_equal(val_div_round(0, 5), 0);
}

static void test_div_round_below_half_rounds_toward_zero(void **state)
{
    (void)state;
    assert_int_equal(val_div_round(1000, 3), 333);      /* 333.33 */
    assert_int_equal(val_div_round(14, 10), 1);
    assert_int_equal(val_div_round(1, 3), 0);
    assert_int_equal(val_div_round(-1000, 3), -333);
    assert_int_equal(val_div_round(-14, 10), -1);
    assert_int_equal(val_div_round(-1, 3), 0);
}

static void test_div_round_above_half_rounds_away_from_zero(void **state)
{
    (void)state;
    assert_int_equal(val_div_round(2000, 3), 667);      /* 666.67 */
    assert_int_equal(val_div_round(1199999, 3), 400000); /* 399999.67 */
    assert_int_equal(val_div_round(-2000, 3), -667);
}

static void test_div_round_half_rounds_away_from_zero(void **state)
{
    (void)state;
    assert_int_equal(val_div_round(5, 2), 3);
    assert_int_equal(val_div_round(1, 2), 1);
    assert_int_equal(val_div_round(15, 10), 2);
    assert_int_equal(val_div_round(25, 10), 3);         /* not to even */
    assert_int_equal(val_div_round(-5, 2), -3);
    assert_int_equal(val_div_round(-1, 2), -1);
    assert_int_equal(val_div_round(-25, 10), -3);
}

/* ---- small helpers ------------------------------------------------------------------------------ */

static void test_eq_ci_compares_ascii_case_insensitively(void **state)
{
    (void)state;
    assert_true(val_eq_ci("HEAD", 4, "head"));
    assert_true(val_eq_ci("户主", strlen("户主"), "户主"));
    assert_false(val_eq_ci("hea", 3, "head"));
    assert_false(val_eq_ci("heads", 5, "head"));
    assert_true(val_eq_ci("headX", 4, "head"));     /* only n bytes of s count */
}

static void test_trim_spaces_and_tabs_only(void **state)
{
    size_t n;
    const char *s = " \t a b \t\n";
    const char *t = val_trim(s, strlen(s), &n);
    (void)state;
    assert_int_equal(n, 6);
    assert_memory_equal(t, "a b \t\n", 6);
    t = val_trim("  \t ", 4, &n);
    assert_int_equal(n, 0);
}

/* ---- finding details: the texts stages declare (tuopin/stage.h) ---------- */

static void expect_text(const char *text, const char *who, const tp_finding_args *a, size_t len,
                        const char *want)
{
    char got[128];
    memset(got, 'Z', sizeof got);
    msg_format_text(got, len, text, who, a);
    assert_string_equal(got, want);
}

static void test_declared_finding_text_fields(void **state)
{
    tp_finding_args money = { .column = "wage_income", .a = -41800, .b = 400000 };
    tp_finding_args n = { .a = 3, .b = TP_SCHOOL_DROPOUT };
    tp_finding_args ch = { .a = 'D' };
    (void)state;
    expect_text("income {a.yuan} below {b.yuan} yuan", "", &money, 128,
                "income -418.00 below 4000.00 yuan");
    expect_text("{who}{column}", "member 2: ", &money, 128, "member 2: wage_income");
    expect_text("{a.int} heads of {b.int}", "", &n, 128, "3 heads of 8");
    expect_text("rated {a.char}", "", &ch, 128, "rated D");
    expect_text("{{a.int}} {a.int}}}", "", &n, 128, "{a.int} 3}");
    /* an unknown field and an unclosed brace are kept as written */
    expect_text("{nope} {a.int", "", &n, 128, "{nope} {a.int");
    /* no args: fields read as blank and 0 */
    expect_text("[{column}] {a.yuan}", "", NULL, 128, "[] 0.00");
    /* cut like snprintf: len - 1 bytes and the NUL */
    expect_text("income {a.yuan} below", "", &money, 10, "income -4");
    expect_text("{a.yuan}", "", &money, 1, "");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_declared_finding_text_fields),
        cmocka_unit_test(test_yes_spellings),
        cmocka_unit_test(test_no_spellings),
        cmocka_unit_test(test_yesno_ascii_letters_match_in_any_case),
        cmocka_unit_test(test_yesno_blank_is_missing),
        cmocka_unit_test(test_yesno_other_values_are_bad),
        cmocka_unit_test(test_money_whole_yuan),
        cmocka_unit_test(test_money_one_or_two_decimals),
        cmocka_unit_test(test_money_negative_when_allowed),
        cmocka_unit_test(test_money_minus_zero_is_zero),
        cmocka_unit_test(test_money_negative_income_component_is_bad),
        cmocka_unit_test(test_money_blank_is_missing),
        cmocka_unit_test(test_money_point_without_decimals_is_bad),
        cmocka_unit_test(test_money_decimals_without_integer_part_are_bad),
        cmocka_unit_test(test_money_three_decimals_are_bad),
        cmocka_unit_test(test_money_plus_sign_is_bad),
        cmocka_unit_test(test_money_spaces_are_not_trimmed),
        cmocka_unit_test(test_money_other_forms_are_bad),
        cmocka_unit_test(test_money_fifteen_significant_digits_are_read_exactly),
        cmocka_unit_test(test_money_sixteen_significant_digits_are_bad),
        cmocka_unit_test(test_date_iso_form),
        cmocka_unit_test(test_date_iso_form_needs_two_digit_month_and_day),
        cmocka_unit_test(test_date_slash_form_one_or_two_digit_parts),
        cmocka_unit_test(test_date_slash_form_rejects_other_lengths),
        cmocka_unit_test(test_date_compact_form),
        cmocka_unit_test(test_date_compact_form_needs_eight_digits),
        cmocka_unit_test(test_date_other_forms_are_bad),
        cmocka_unit_test(test_date_blank_is_missing),
        cmocka_unit_test(test_date_must_be_a_real_day_of_its_month),
        cmocka_unit_test(test_date_29_february_in_leap_year),
        cmocka_unit_test(test_date_29_february_in_common_year_is_bad),
        cmocka_unit_test(test_date_29_february_1900_is_bad),
        cmocka_unit_test(test_date_29_february_2000_is_real),
        cmocka_unit_test(test_date_real_function),
        cmocka_unit_test(test_age_birthday_on_the_as_of_date_counts),
        cmocka_unit_test(test_age_day_after_the_as_of_date_is_a_year_less),
        cmocka_unit_test(test_age_earlier_in_the_year_is_full_difference),
        cmocka_unit_test(test_age_29_february_birth_in_common_year_older_from_1_march),
        cmocka_unit_test(test_age_29_february_birth_in_leap_year_on_the_day),
        cmocka_unit_test(test_age_birth_after_as_of_date_is_negative),
        cmocka_unit_test(test_status_poor_and_aliases),
        cmocka_unit_test(test_status_exited_and_aliases),
        cmocka_unit_test(test_status_general_and_aliases),
        cmocka_unit_test(test_status_matches_in_any_ascii_case),
        cmocka_unit_test(test_status_other_values_are_not_accepted),
        cmocka_unit_test(test_status_canonical_names),
        cmocka_unit_test(test_rating_letters_a_to_d),
        cmocka_unit_test(test_rating_matches_in_any_ascii_case),
        cmocka_unit_test(test_rating_with_ji_suffix),
        cmocka_unit_test(test_rating_other_values_are_bad),
        cmocka_unit_test(test_school_canonical_values),
        cmocka_unit_test(test_school_chinese_aliases),
        cmocka_unit_test(test_school_matches_in_any_ascii_case),
        cmocka_unit_test(test_school_blank_is_missing_and_unlisted_is_bad),
        cmocka_unit_test(test_school_covered_values),
        cmocka_unit_test(test_school_canonical_names),
        cmocka_unit_test(test_id_check_character_by_hand),
        cmocka_unit_test(test_id_valid_gives_birth_date),
        cmocka_unit_test(test_id_check_character_x_in_either_case),
        cmocka_unit_test(test_id_wrong_check_character_is_invalid),
        cmocka_unit_test(test_id_correct_check_but_unreal_date_is_invalid),
        cmocka_unit_test(test_id_wrong_shape_is_invalid),
        cmocka_unit_test(test_decimal_scaled_integers),
        cmocka_unit_test(test_decimal_more_decimals_than_the_scale_is_refused),
        cmocka_unit_test(test_decimal_other_text_is_refused),
        cmocka_unit_test(test_decimal_out_of_range_is_refused),
        cmocka_unit_test(test_format_cents_two_decimals),
        cmocka_unit_test(test_format_cents_negative),
        cmocka_unit_test(test_div_round_exact_quotient),
        cmocka_unit_test(test_div_round_below_half_rounds_toward_zero),
        cmocka_unit_test(test_div_round_above_half_rounds_away_from_zero),
        cmocka_unit_test(test_div_round_half_rounds_away_from_zero),
        cmocka_unit_test(test_eq_ci_compares_ascii_case_insensitively),
        cmocka_unit_test(test_trim_spaces_and_tabs_only),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
