/* test_xlsx.c — the .xlsx cell reader's pure parts: a number's stored text
 * in plain decimals (exactly, as the CSV path would read it) and cell
 * references.  The workbook parts themselves are read end to end in
 * tests/e2e/field_xlsx.sh. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "xlsx.h"

static void plain_is(const char *in, const char *want)
{
    char out[128];
    assert_int_equal(xlsx_number_plain(in, out, sizeof out), 0);
    assert_string_equal(out, want);
}

static void test_numbers_in_exponent_form_are_expanded_exactly(void **state)
{
    (void)state;
    plain_is("6.65374E+3", "6653.74");
    plain_is("1.2E+4", "12000");
    plain_is("1E+0", "1");
    plain_is("2.5E-2", "0.025");
    plain_is("-3.5e1", "-35");
    plain_is("5.22631195011093E+17", "522631195011093000");
    plain_is("1.0000000000000001E-3", "0.0010000000000000001");
}

static void test_plain_numbers_keep_their_digits(void **state)
{
    (void)state;
    plain_is("23894.7", "23894.7");
    plain_is("3500.50", "3500.5");
    plain_is("1500", "1500");
    plain_is("0", "0");
    plain_is("-0", "0");
    plain_is("0.00", "0");
    plain_is("007", "7");
    plain_is("+12", "12");
}

static void test_text_that_is_not_a_number_is_refused(void **state)
{
    char out[64];
    (void)state;
    assert_int_equal(xlsx_number_plain("", out, sizeof out), -1);
    assert_int_equal(xlsx_number_plain("abc", out, sizeof out), -1);
    assert_int_equal(xlsx_number_plain("1.2.3", out, sizeof out), -1);
    assert_int_equal(xlsx_number_plain("1E", out, sizeof out), -1);
    assert_int_equal(xlsx_number_plain("1E+999", out, sizeof out), -1);
    assert_int_equal(xlsx_number_plain("1E+100", out, 16), -1);     /* does not fit */
}

static void test_cell_references(void **state)
{
    char b[24];
    (void)state;
    xlsx_cell_ref(17, 3, b, sizeof b);
    assert_string_equal(b, "D17");
    xlsx_cell_ref(1, 25, b, sizeof b);
    assert_string_equal(b, "Z1");
    xlsx_cell_ref(2, 26, b, sizeof b);
    assert_string_equal(b, "AA2");
    xlsx_cell_ref(1048576, 16383, b, sizeof b);
    assert_string_equal(b, "XFD1048576");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_numbers_in_exponent_form_are_expanded_exactly),
        cmocka_unit_test(test_plain_numbers_keep_their_digits),
        cmocka_unit_test(test_text_that_is_not_a_number_is_refused),
        cmocka_unit_test(test_cell_references),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
