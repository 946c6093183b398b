/* test_signals.c — the six pattern signals of docs/history.md, one test per
 * rule and threshold, on quarter sets built by hand.  Poverty line 4000.00
 * yuan per person per year unless a test says otherwise. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "qd_fixture.h"
#include "signals.h"

#define LINE YUAN(4000)
#define V1 "510000001001"
#define V2 "510000001002"

typedef struct fx {
    qd_set s;
    cmp_params p;
    int64_t line[8];
    sig_ctx c;
    sig_list out;
} fx;

static int setup(void **state)
{
    fx *f = calloc(1, sizeof *f);
    qd_init(&f->s);
    cmp_params_default(&f->p);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fx *f = *state;
    sig_list_free(&f->out);
    qd_free(&f->s);
    free(f);
    return 0;
}

/* Quarters from `first`, n of them, each with LINE; PREVIOUS and CURRENT
 * are the last two. */
static void quarters(fx *f, const char *const *labels, int n)
{
    int i;
    for (i = 0; i < n; i++) {
        fx_quarter(&f->s, labels[i], LINE);
        f->line[i] = LINE;
    }
    f->c.s = &f->s;
    f->c.prev = n - 2;
    f->c.cur = n - 1;
    f->c.p = &f->p;
    f->c.line = f->line;
}

static const char *const Q2[] = { "2020Q3", "2020Q4" };
static const char *const Q4[] = { "2020Q1", "2020Q2", "2020Q3", "2020Q4" };

static int run1(fx *f, int (*rule)(const sig_ctx *, uint32_t, sig_list *), const char *id)
{
    return rule(&f->c, fx_uid(&f->s, id), &f->out);
}

/* ---- RETURN_TO_POVERTY -------------------------------------------------------------- */

static void test_return_to_poverty_after_confirmed_exit(void **state)
{
    fx *f = *state;
    quarters(f, Q2, 2);
    fx_hh(&f->s, 0, "H1", V1, TP_STATUS_EXITED, HH_EXIT_CONFIRMED, 2, YUAN(9000), 0);
    fx_hh(&f->s, 1, "H1", V1, TP_STATUS_EXITED, HH_WRONGLY_EXITED, 2, YUAN(7000), 0);
    assert_int_equal(run1(f, sig_return_to_poverty, "H1"), 1);
    assert_int_equal(f->out.r[0].code, SIG_RETURN_TO_POVERTY);
    assert_non_null(strstr(f->out.r[0].evidence, "4500.00 -> 3500.00"));
}

static void test_return_to_poverty_back_on_the_poor_list(void **state)
{
    fx *f = *state;
    quarters(f, Q2, 2);
    fx_hh(&f->s, 0, "H1", V1, TP_STATUS_EXITED, HH_EXIT_CONFIRMED, 2, YUAN(9000), 0);
    fx_hh(&f->s, 1, "H1", V1, TP_STATUS_POOR, HH_REMAINS_POOR, 2, YUAN(7000), 0);
    assert_int_equal(run1(f, sig_return_to_poverty, "H1"), 1);
}

static void test_no_return_when_the_exit_was_already_wrong(void **state)
{
    fx *f = *state;
    quarters(f, Q2, 2);
    fx_hh(&f->s, 0, "H1", V1, TP_STATUS_EXITED, HH_WRONGLY_EXITED, 2, YUAN(7000), 0);
    fx_hh(&f->s, 1, "H1", V1, TP_STATUS_EXITED, HH_WRONGLY_EXITED, 2, YUAN(7000), 0);
    assert_int_equal(run1(f, sig_return_to_poverty, "H1"), 0);
}

/* ---- RISE_AND_FALL ------------------------------------------------------------------- */

/* poor below the line in Q2, exited at or above it in Q3, below in Q4 */
static void rise_fall(fx *f, int64_t before, int64_t exit_net, int64_t after)
{
    quarters(f, Q4, 4);
    fx_hh(&f->s, 0, "H1", V1, TP_STATUS_POOR, HH_REMAINS_POOR, 1, before, 0);
    fx_hh(&f->s, 1, "H1", V1, TP_STATUS_POOR, HH_REMAINS_POOR, 1, before, 0);
    fx_hh(&f->s, 2, "H1", V1, TP_STATUS_EXITED, HH_EXIT_CONFIRMED, 1, exit_net, 0);
    fx_hh(&f->s, 3, "H1", V1, TP_STATUS_EXITED, HH_WRONGLY_EXITED, 1, after, 0);
}

static void test_rise_past_the_line_in_exit_quarter_then_fall(void **state)
{
    fx *f = *state;
    rise_fall(f, YUAN(3500), LINE, LINE - 1);
    assert_int_equal(run1(f, sig_rise_and_fall, "H1"), 1);
    assert_int_equal(f->out.r[0].q_first, 1);
    assert_int_equal(f->out.r[0].q_last, 3);
}

static void test_no_rise_and_fall_when_above_the_line_before_exit(void **state)
{
    fx *f = *state;
    rise_fall(f, LINE, YUAN(4500), YUAN(3000));
    assert_int_equal(run1(f, sig_rise_and_fall, "H1"), 0);
}

static void test_no_rise_and_fall_when_still_at_the_line(void **state)
{
    fx *f = *state;
    rise_fall(f, YUAN(3500), YUAN(4500), LINE);
    assert_int_equal(run1(f, sig_rise_and_fall, "H1"), 0);
}

static void test_rise_and_fall_exit_too_long_ago(void **state)
{
    fx *f = *state;
    rise_fall(f, YUAN(3500), YUAN(4500), YUAN(3000));
    f->p.rise_fall_max = 0;   /* the exit must be in the current quarter: never */
    assert_int_equal(run1(f, sig_rise_and_fall, "H1"), 0);
    f->p.rise_fall_max = 1;   /* Q3 -> Q4 */
    assert_int_equal(run1(f, sig_rise_and_fall, "H1"), 1);
}

static void test_rise_and_fall_needs_a_quarter_before_the_exit(void **state)
{
    fx *f = *state;
    quarters(f, Q2, 2);
    fx_hh(&f->s, 0, "H1", V1, TP_STATUS_EXITED, HH_EXIT_CONFIRMED, 1, YUAN(4500), 0);
    fx_hh(&f->s, 1, "H1", V1, TP_STATUS_EXITED, HH_WRONGLY_EXITED, 1, YUAN(3000), 0);
    assert_int_equal(run1(f, sig_rise_and_fall, "H1"), 0);
}

/* ---- RUSH_EXIT -------------------------------------------------------------------------- */

static void test_rush_exit_absent_earlier_in_the_year(void **state)
{
    fx *f = *state;
    quarters(f, Q4, 4);
    /* not in 2020Q1 */
    fx_hh(&f->s, 1, "H1", V1, TP_STATUS_POOR, HH_REMAINS_POOR, 1, YUAN(3000), 0);
    fx_hh(&f->s, 2, "H1", V1, TP_STATUS_POOR, HH_CAN_EXIT, 1, YUAN(5000), 0);
    fx_hh(&f->s, 3, "H1", V1, TP_STATUS_EXITED, HH_EXIT_CONFIRMED, 1, YUAN(5000), 0);
    assert_int_equal(run1(f, sig_rush_exit, "H1"), 1);
    assert_non_null(strstr(f->out.r[0].evidence, "not in the registry in 2020Q1"));
}

static void test_rush_exit_general_earlier_in_the_year(void **state)
{
    fx *f = *state;
    quarters(f, Q4, 4);
    fx_hh(&f->s, 0, "H1", V1, TP_STATUS_GENERAL, HH_MISSED, 1, YUAN(3000), 0);
    fx_hh(&f->s, 1, "H1", V1, TP_STATUS_POOR, HH_REMAINS_POOR, 1, YUAN(3000), 0);
    fx_hh(&f->s, 2, "H1", V1, TP_STATUS_POOR, HH_CAN_EXIT, 1, YUAN(5000), 0);
    fx_hh(&f->s, 3, "H1", V1, TP_STATUS_EXITED, HH_EXIT_CONFIRMED, 1, YUAN(5000), 0);
    assert_int_equal(run1(f, sig_rush_exit, "H1"), 1);
}

static void test_no_rush_exit_when_registered_the_year_before(void **state)
{
    fx *f = *state;
    static const char *const q[] = { "2019Q4", "2020Q1", "2020Q2" };
    quarters(f, q, 3);
    /* absent in 2019Q4 only: another year */
    fx_hh(&f->s, 1, "H1", V1, TP_STATUS_POOR, HH_CAN_EXIT, 1, YUAN(5000), 0);
    fx_hh(&f->s, 2, "H1", V1, TP_STATUS_EXITED, HH_EXIT_CONFIRMED, 1, YUAN(5000), 0);
    assert_int_equal(run1(f, sig_rush_exit, "H1"), 0);
    /* a rolling window of 2 quarters reaches 2019Q4 */
    f->p.rush_window = 2;
    assert_int_equal(run1(f, sig_rush_exit, "H1"), 1);
}

static void test_no_rush_exit_when_exited_before(void **state)
{
    fx *f = *state;
    quarters(f, Q4, 4);
    fx_hh(&f->s, 1, "H1", V1, TP_STATUS_POOR, HH_CAN_EXIT, 1, YUAN(5000), 0);
    fx_hh(&f->s, 2, "H1", V1, TP_STATUS_EXITED, HH_EXIT_CONFIRMED, 1, YUAN(5000), 0);
    fx_hh(&f->s, 3, "H1", V1, TP_STATUS_EXITED, HH_EXIT_CONFIRMED, 1, YUAN(5000), 0);
    assert_int_equal(run1(f, sig_rush_exit, "H1"), 0);
}

static void test_new_household_exited_at_once_is_a_rush_exit(void **state)
{
    fx *f = *state;
    quarters(f, Q2, 2);
    fx_hh(&f->s, 1, "H1", V1, TP_STATUS_EXITED, HH_EXIT_CONFIRMED, 1, YUAN(5000), 0);
    assert_int_equal(run1(f, sig_rush_exit, "H1"), 1);
}

static void test_no_rush_exit_when_rejected_before(void **state)
{
    fx *f = *state;
    quarters(f, Q2, 2);
    fx_rejected(&f->s, 0, "H1");
    fx_hh(&f->s, 1, "H1", V1, TP_STATUS_EXITED, HH_EXIT_CONFIRMED, 1, YUAN(5000), 0);
    assert_int_equal(run1(f, sig_rush_exit, "H1"), 0);
}

/* ---- NEAR_LINE_EXIT ------------------------------------------------------------------- */

static int near(fx *f, int64_t before, int64_t after)
{
    quarters(f, Q2, 2);
    fx_hh(&f->s, 0, "H1", V1, TP_STATUS_POOR, HH_REMAINS_POOR, 3, before, 0);
    fx_hh(&f->s, 1, "H1", V1, TP_STATUS_EXITED, HH_EXIT_CONFIRMED, 3, after, 0);
    return run1(f, sig_near_line_exit, "H1");
}

static void test_near_line_exit_exactly_at_the_line(void **state)
{
    assert_int_equal(near(*state, YUAN(9000), 3 * LINE), 1);
}

static void test_near_line_exit_just_below_the_band_top(void **state)
{
    /* 3 x 4400.00 - 1 cent: per capita just under 4400.00 */
    assert_int_equal(near(*state, YUAN(9000), 3 * YUAN(4400) - 1), 1);
}

static void test_no_near_line_exit_at_the_band_top(void **state)
{
    assert_int_equal(near(*state, YUAN(9000), 3 * YUAN(4400)), 0);
}

static void test_no_near_line_exit_below_the_line(void **state)
{
    assert_int_equal(near(*state, YUAN(9000), 3 * LINE - 1), 0);
}

static void test_no_near_line_exit_when_already_at_the_line_before(void **state)
{
    assert_int_equal(near(*state, 3 * LINE, 3 * LINE + 300), 0);
}

/* ---- TRANSFER_SHIFT ------------------------------------------------------------------- */

/* recipient R: 2 persons, 7600 -> 7600 + d; donor D: transfer t -> t - dd */
static int shift(fx *f, int64_t d, int64_t dd, const char *donor_village)
{
    quarters(f, Q2, 2);
    fx_hh(&f->s, 0, "R", V1, TP_STATUS_POOR, HH_REMAINS_POOR, 2, YUAN(7600), YUAN(1000));
    fx_hh(&f->s, 1, "R", V1, TP_STATUS_POOR, HH_CAN_EXIT, 2, YUAN(7600) + d, YUAN(1000) + d);
    fx_hh(&f->s, 0, "D", donor_village, TP_STATUS_EXITED, HH_EXIT_CONFIRMED, 2, YUAN(20000), YUAN(5000));
    fx_hh(&f->s, 1, "D", donor_village, TP_STATUS_EXITED, HH_EXIT_CONFIRMED, 2, YUAN(20000) - dd,
          YUAN(5000) - dd);
    return sig_transfer_shift(&f->c, &f->out);
}

static void test_transfer_moved_between_households_of_a_village(void **state)
{
    fx *f = *state;
    assert_int_equal(shift(f, YUAN(1200), YUAN(1200), V1), 1);
    assert_int_equal(f->out.r[0].nuids, 2);
    assert_string_equal(f->s.ids[f->out.r[0].uids[0]], "R");
    assert_string_equal(f->s.ids[f->out.r[0].uids[1]], "D");
}

static void test_transfer_amounts_within_tolerance(void **state)
{
    /* |1200 - 1140| = 60 = 5% of 1200: matches */
    assert_int_equal(shift(*state, YUAN(1200), YUAN(1140), V1), 1);
}

static void test_transfer_amounts_beyond_tolerance(void **state)
{
    assert_int_equal(shift(*state, YUAN(1200), YUAN(1140) - 1, V1), 0);
}

static void test_transfer_in_another_village_is_not_a_shift(void **state)
{
    assert_int_equal(shift(*state, YUAN(1200), YUAN(1200), V2), 0);
}

static void test_transfer_below_the_smallest_change(void **state)
{
    fx *f = *state;
    f->p.shift_min = YUAN(1300);
    assert_int_equal(shift(f, YUAN(1200), YUAN(1200), V1), 0);
}

static void test_transfer_that_does_not_lift_over_the_line(void **state)
{
    /* +300 for two: 7900 / 2 = 3950, still below */
    fx *f = *state;
    f->p.shift_min = YUAN(100);
    assert_int_equal(shift(f, YUAN(300), YUAN(300), V1), 0);
}

static void test_transfer_not_needed_to_pass_is_not_a_shift(void **state)
{
    /* the recipient was below before but passes without the increase too */
    fx *f = *state;
    quarters(f, Q2, 2);
    fx_hh(&f->s, 0, "R", V1, TP_STATUS_POOR, HH_REMAINS_POOR, 2, YUAN(7600), YUAN(1000));
    fx_hh(&f->s, 1, "R", V1, TP_STATUS_POOR, HH_CAN_EXIT, 2, YUAN(9400), YUAN(2200));
    fx_hh(&f->s, 0, "D", V1, TP_STATUS_EXITED, HH_EXIT_CONFIRMED, 2, YUAN(20000), YUAN(5000));
    fx_hh(&f->s, 1, "D", V1, TP_STATUS_EXITED, HH_EXIT_CONFIRMED, 2, YUAN(18800), YUAN(3800));
    assert_int_equal(sig_transfer_shift(&f->c, &f->out), 0);
}

static void test_transfer_shift_needs_known_transfers(void **state)
{
    fx *f = *state;
    quarters(f, Q2, 2);
    f->s.q[0].has_transfers = 0;
    fx_hh(&f->s, 0, "R", V1, TP_STATUS_POOR, HH_REMAINS_POOR, 2, YUAN(7600), YUAN(1000));
    fx_hh(&f->s, 1, "R", V1, TP_STATUS_POOR, HH_CAN_EXIT, 2, YUAN(8800), YUAN(2200));
    fx_hh(&f->s, 0, "D", V1, TP_STATUS_EXITED, HH_EXIT_CONFIRMED, 2, YUAN(20000), YUAN(5000));
    fx_hh(&f->s, 1, "D", V1, TP_STATUS_EXITED, HH_EXIT_CONFIRMED, 2, YUAN(18800), YUAN(3800));
    assert_int_equal(sig_transfer_shift(&f->c, &f->out), 0);
}

/* ---- QUOTA_EXITS --------------------------------------------------------------------------- */

/* Village v of town 510000001 with `poor` poor households, `exits` of which exit. */
static void village(fx *f, int v, int poor, int exits)
{
    char code[13], id[32];
    int i;
    snprintf(code, sizeof code, "510000001%03d", v);
    for (i = 0; i < poor; i++) {
        snprintf(id, sizeof id, "V%d-%d", v, i);
        fx_hh(&f->s, 0, id, code, TP_STATUS_POOR, HH_CAN_EXIT, 1, YUAN(5000), 0);
        if (i < exits) fx_hh(&f->s, 1, id, code, TP_STATUS_EXITED, HH_EXIT_CONFIRMED, 1, YUAN(5000), 0);
        else fx_hh(&f->s, 1, id, code, TP_STATUS_POOR, HH_CAN_EXIT, 1, YUAN(5000), 0);
    }
}

static void test_quota_same_round_share_in_three_villages(void **state)
{
    fx *f = *state;
    quarters(f, Q2, 2);
    village(f, 1, 20, 6);   /* 30% */
    village(f, 2, 10, 3);   /* 30% */
    village(f, 3, 30, 9);   /* 30% */
    assert_int_equal(sig_quota_exits(&f->c, &f->out), 3);
    assert_int_equal(f->out.r[0].nuids, 6);
    assert_non_null(strstr(f->out.r[0].evidence, "30.00%"));
}

static void test_quota_two_villages_are_not_enough(void **state)
{
    fx *f = *state;
    quarters(f, Q2, 2);
    village(f, 1, 20, 6);
    village(f, 2, 10, 3);
    assert_int_equal(sig_quota_exits(&f->c, &f->out), 0);
}

static void test_quota_needs_half_of_the_town(void **state)
{
    fx *f = *state;
    quarters(f, Q2, 2);
    village(f, 1, 20, 6);
    village(f, 2, 10, 3);
    village(f, 3, 30, 9);
    village(f, 4, 12, 1);
    village(f, 5, 13, 2);
    village(f, 6, 14, 3);
    village(f, 7, 17, 2);   /* 3 of 7 villages: below half */
    assert_int_equal(sig_quota_exits(&f->c, &f->out), 0);
    f->p.quota_min_fraction = 400000;   /* 3/7 >= 40% */
    assert_int_equal(sig_quota_exits(&f->c, &f->out), 3);
}

static void test_quota_share_must_be_round(void **state)
{
    fx *f = *state;
    quarters(f, Q2, 2);
    village(f, 1, 30, 7);   /* 23.33%: not a multiple of 5% */
    village(f, 2, 30, 7);
    village(f, 3, 30, 7);
    assert_int_equal(sig_quota_exits(&f->c, &f->out), 0);
}

static void test_quota_small_villages_do_not_count(void **state)
{
    fx *f = *state;
    quarters(f, Q2, 2);
    village(f, 1, 9, 3);
    village(f, 2, 9, 3);
    village(f, 3, 9, 3);
    assert_int_equal(sig_quota_exits(&f->c, &f->out), 0);
}

static void test_quota_all_exited_is_not_a_quota(void **state)
{
    fx *f = *state;
    quarters(f, Q2, 2);
    village(f, 1, 10, 10);
    village(f, 2, 10, 10);
    village(f, 3, 10, 10);
    assert_int_equal(sig_quota_exits(&f->c, &f->out), 0);
}

/* ---- all together ------------------------------------------------------------------------ */

static void test_run_orders_rows_by_code(void **state)
{
    fx *f = *state;
    quarters(f, Q2, 2);
    fx_hh(&f->s, 0, "N", V1, TP_STATUS_POOR, HH_REMAINS_POOR, 1, YUAN(3000), 0);
    fx_hh(&f->s, 1, "N", V1, TP_STATUS_EXITED, HH_EXIT_CONFIRMED, 1, YUAN(4100), 0);
    fx_hh(&f->s, 0, "R", V1, TP_STATUS_EXITED, HH_EXIT_CONFIRMED, 1, YUAN(5000), 0);
    fx_hh(&f->s, 1, "R", V1, TP_STATUS_EXITED, HH_WRONGLY_EXITED, 1, YUAN(3000), 0);
    assert_int_equal(sig_run(&f->c, &f->out), 0);
    assert_int_equal(f->out.n, 2);
    assert_int_equal(f->out.r[0].code, SIG_RETURN_TO_POVERTY);
    assert_int_equal(f->out.r[1].code, SIG_NEAR_LINE_EXIT);
}

#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_return_to_poverty_after_confirmed_exit),
        T(test_return_to_poverty_back_on_the_poor_list),
        T(test_no_return_when_the_exit_was_already_wrong),
        T(test_rise_past_the_line_in_exit_quarter_then_fall),
        T(test_no_rise_and_fall_when_above_the_line_before_exit),
        T(test_no_rise_and_fall_when_still_at_the_line),
        T(test_rise_and_fall_exit_too_long_ago),
        T(test_rise_and_fall_needs_a_quarter_before_the_exit),
        T(test_rush_exit_absent_earlier_in_the_year),
        T(test_rush_exit_general_earlier_in_the_year),
        T(test_no_rush_exit_when_registered_the_year_before),
        T(test_no_rush_exit_when_exited_before),
        T(test_new_household_exited_at_once_is_a_rush_exit),
        T(test_no_rush_exit_when_rejected_before),
        T(test_near_line_exit_exactly_at_the_line),
        T(test_near_line_exit_just_below_the_band_top),
        T(test_no_near_line_exit_at_the_band_top),
        T(test_no_near_line_exit_below_the_line),
        T(test_no_near_line_exit_when_already_at_the_line_before),
        T(test_transfer_moved_between_households_of_a_village),
        T(test_transfer_amounts_within_tolerance),
        T(test_transfer_amounts_beyond_tolerance),
        T(test_transfer_in_another_village_is_not_a_shift),
        T(test_transfer_below_the_smallest_change),
        T(test_transfer_that_does_not_lift_over_the_line),
        T(test_transfer_not_needed_to_pass_is_not_a_shift),
        T(test_transfer_shift_needs_known_transfers),
        T(test_quota_same_round_share_in_three_villages),
        T(test_quota_two_villages_are_not_enough),
        T(test_quota_needs_half_of_the_town),
        T(test_quota_share_must_be_round),
        T(test_quota_small_villages_do_not_count),
        T(test_quota_all_exited_is_not_a_quota),
        T(test_run_orders_rows_by_code),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
