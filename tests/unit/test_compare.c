/* test_compare.c — the named transitions of docs/history.md, one test per
 * rule and precedence, and the monitoring categories of standard §7 at
 * their exact boundaries. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "compare.h"
#include "monitor.h"
#include "qd_fixture.h"

static const qd_rec absent_rec;

static cmp_transition tr(tp_status s1, hh_assessment a1, tp_status s2, hh_assessment a2)
{
    qd_rec a = fx_rec(s1, a1, 3, YUAN(12000)), b = fx_rec(s2, a2, 3, YUAN(12000));
    return cmp_classify(&a, &b);
}

static void test_absent_before_is_new(void **st)
{
    qd_rec b = fx_rec(TP_STATUS_POOR, HH_REMAINS_POOR, 2, 0);
    (void)st;
    assert_int_equal(cmp_classify(&absent_rec, &b), CMP_NEW);
}

static void test_absent_now_is_vanished(void **st)
{
    qd_rec a = fx_rec(TP_STATUS_EXITED, HH_EXIT_CONFIRMED, 2, 0);
    (void)st;
    assert_int_equal(cmp_classify(&a, &absent_rec), CMP_VANISHED);
}

static void test_rejected_in_either_quarter_is_rejected(void **st)
{
    qd_rec a = fx_rec(TP_STATUS_EXITED, HH_EXIT_CONFIRMED, 2, 0), rj;
    (void)st;
    memset(&rj, 0, sizeof rj);
    rj.state = QD_REJECTED;
    assert_int_equal(cmp_classify(&a, &rj), CMP_REJECTED);
    assert_int_equal(cmp_classify(&rj, &a), CMP_REJECTED);
    assert_int_equal(cmp_classify(&rj, &absent_rec), CMP_REJECTED);
    assert_int_equal(cmp_classify(&absent_rec, &rj), CMP_REJECTED);
}

static void test_general_to_exited_is_exit_unregistered(void **st)
{
    (void)st;
    assert_int_equal(tr(TP_STATUS_GENERAL, HH_NOT_POOR, TP_STATUS_EXITED, HH_EXIT_CONFIRMED),
                     CMP_EXIT_UNREGISTERED);
    assert_int_equal(tr(TP_STATUS_GENERAL, HH_MISSED, TP_STATUS_EXITED, HH_WRONGLY_EXITED),
                     CMP_EXIT_UNREGISTERED);
}

static void test_remains_poor_to_exited_is_skipped_checks(void **st)
{
    (void)st;
    assert_int_equal(tr(TP_STATUS_POOR, HH_REMAINS_POOR, TP_STATUS_EXITED, HH_EXIT_CONFIRMED),
                     CMP_SKIPPED_CHECKS);
    assert_int_equal(tr(TP_STATUS_POOR, HH_REMAINS_POOR, TP_STATUS_EXITED, HH_WRONGLY_EXITED),
                     CMP_SKIPPED_CHECKS);
}

static void test_exit_confirmed_to_wrongly_exited_is_return_to_poverty(void **st)
{
    (void)st;
    assert_int_equal(tr(TP_STATUS_EXITED, HH_EXIT_CONFIRMED, TP_STATUS_EXITED, HH_WRONGLY_EXITED),
                     CMP_RETURN_TO_POVERTY);
}

static void test_exit_confirmed_to_remains_poor_is_return_to_poverty(void **st)
{
    (void)st;
    assert_int_equal(tr(TP_STATUS_EXITED, HH_EXIT_CONFIRMED, TP_STATUS_POOR, HH_REMAINS_POOR),
                     CMP_RETURN_TO_POVERTY);
}

static void test_exited_back_to_poor_otherwise_is_exit_revoked(void **st)
{
    (void)st;
    assert_int_equal(tr(TP_STATUS_EXITED, HH_WRONGLY_EXITED, TP_STATUS_POOR, HH_REMAINS_POOR),
                     CMP_EXIT_REVOKED);
    assert_int_equal(tr(TP_STATUS_EXITED, HH_EXIT_CONFIRMED, TP_STATUS_POOR, HH_CAN_EXIT),
                     CMP_EXIT_REVOKED);
}

static void test_can_exit_to_exited_is_exited(void **st)
{
    (void)st;
    assert_int_equal(tr(TP_STATUS_POOR, HH_CAN_EXIT, TP_STATUS_EXITED, HH_EXIT_CONFIRMED), CMP_EXITED);
    assert_int_equal(tr(TP_STATUS_POOR, HH_CAN_EXIT, TP_STATUS_EXITED, HH_WRONGLY_EXITED), CMP_EXITED);
}

static void test_remains_poor_to_can_exit_is_became_exit_ready(void **st)
{
    (void)st;
    assert_int_equal(tr(TP_STATUS_POOR, HH_REMAINS_POOR, TP_STATUS_POOR, HH_CAN_EXIT), CMP_BECAME_EXIT_READY);
}

static void test_can_exit_to_remains_poor_is_fell_back(void **st)
{
    (void)st;
    assert_int_equal(tr(TP_STATUS_POOR, HH_CAN_EXIT, TP_STATUS_POOR, HH_REMAINS_POOR), CMP_FELL_BACK);
}

static void test_general_to_poor_is_registered(void **st)
{
    (void)st;
    assert_int_equal(tr(TP_STATUS_GENERAL, HH_MISSED, TP_STATUS_POOR, HH_REMAINS_POOR), CMP_REGISTERED);
    assert_int_equal(tr(TP_STATUS_GENERAL, HH_NOT_POOR, TP_STATUS_POOR, HH_CAN_EXIT), CMP_REGISTERED);
}

static void test_poor_or_exited_to_general_is_deregistered(void **st)
{
    (void)st;
    assert_int_equal(tr(TP_STATUS_POOR, HH_CAN_EXIT, TP_STATUS_GENERAL, HH_NOT_POOR), CMP_DEREGISTERED);
    assert_int_equal(tr(TP_STATUS_EXITED, HH_EXIT_CONFIRMED, TP_STATUS_GENERAL, HH_NOT_POOR), CMP_DEREGISTERED);
}

static void test_wrongly_exited_to_exit_confirmed_is_now_meets(void **st)
{
    (void)st;
    assert_int_equal(tr(TP_STATUS_EXITED, HH_WRONGLY_EXITED, TP_STATUS_EXITED, HH_EXIT_CONFIRMED), CMP_NOW_MEETS);
}

static void test_not_poor_to_missed_is_newly_missed(void **st)
{
    (void)st;
    assert_int_equal(tr(TP_STATUS_GENERAL, HH_NOT_POOR, TP_STATUS_GENERAL, HH_MISSED), CMP_NEWLY_MISSED);
    assert_int_equal(tr(TP_STATUS_GENERAL, HH_UNVERIFIED, TP_STATUS_GENERAL, HH_MISSED), CMP_NEWLY_MISSED);
}

static void test_same_assessment_is_unchanged(void **st)
{
    (void)st;
    assert_int_equal(tr(TP_STATUS_EXITED, HH_EXIT_CONFIRMED, TP_STATUS_EXITED, HH_EXIT_CONFIRMED), CMP_UNCHANGED);
    assert_int_equal(tr(TP_STATUS_POOR, HH_REMAINS_POOR, TP_STATUS_POOR, HH_REMAINS_POOR), CMP_UNCHANGED);
}

static void test_any_other_change_is_other(void **st)
{
    (void)st;
    assert_int_equal(tr(TP_STATUS_GENERAL, HH_MISSED, TP_STATUS_GENERAL, HH_NOT_POOR), CMP_OTHER);
    assert_int_equal(tr(TP_STATUS_POOR, HH_CAN_EXIT, TP_STATUS_POOR, HH_CAN_EXIT), CMP_UNCHANGED);
}

static void test_matrix_states_are_assessments_then_rejected_and_absent(void **st)
{
    qd_rec a = fx_rec(TP_STATUS_POOR, HH_MISSED, 1, 0), rj;
    (void)st;
    memset(&rj, 0, sizeof rj);
    rj.state = QD_REJECTED;
    assert_int_equal(cmp_state(&a), HH_MISSED);
    assert_int_equal(cmp_state(&rj), CMP_ST_REJECTED);
    assert_int_equal(cmp_state(&absent_rec), CMP_ST_ABSENT);
    assert_string_equal(cmp_state_names[CMP_ST_ABSENT], "absent");
    assert_string_equal(cmp_transition_names[CMP_RETURN_TO_POVERTY], "return_to_poverty");
}

/* ---- monitoring ------------------------------------------------------------------ */

/* 1.5 x 4000.00 yuan: 6000.00 per person. */
static const mon_rule rule = { 400000LL * 1500000, 1000000, 400000, 300000 };

static mon_category mon(const qd_rec *prev, const qd_rec *cur, char *reasons)
{
    return mon_classify(prev, cur, &rule, reasons, 256);
}

static void test_exited_under_monitoring_line_is_unstable(void **st)
{
    qd_rec cur = fx_rec(TP_STATUS_EXITED, HH_EXIT_CONFIRMED, 2, YUAN(11998));
    char why[256];
    (void)st;
    assert_int_equal(mon(NULL, &cur, why), MON_UNSTABLE);
    assert_string_equal(why, "BELOW_MONITOR_LINE");
}

static void test_general_under_monitoring_line_is_edge(void **st)
{
    qd_rec cur = fx_rec(TP_STATUS_GENERAL, HH_MISSED, 2, YUAN(7000));
    char why[256];
    (void)st;
    assert_int_equal(mon(NULL, &cur, why), MON_EDGE);
    assert_string_equal(why, "BELOW_POVERTY_LINE");
}

static void test_exactly_at_monitoring_line_is_not_monitored(void **st)
{
    qd_rec cur = fx_rec(TP_STATUS_EXITED, HH_EXIT_CONFIRMED, 3, YUAN(18000));
    char why[256];
    (void)st;
    assert_int_equal(mon(NULL, &cur, why), MON_NONE);
    cur.net -= 1;   /* one cent below 3 x 6000.00 */
    assert_int_equal(mon(NULL, &cur, why), MON_UNSTABLE);
}

static void test_monitoring_line_is_an_exact_fraction(void **st)
{
    /* 1.5 x 4000.01 = 6000.015 per person: 6000.01 is under it, 6000.02 not */
    mon_rule r = { 400001LL * 1500000, 1000000, 400001, 300000 };
    qd_rec cur = fx_rec(TP_STATUS_EXITED, HH_EXIT_CONFIRMED, 1, 600001);
    char why[256];
    (void)st;
    assert_int_equal(mon_classify(NULL, &cur, &r, why, sizeof why), MON_UNSTABLE);
    cur.net = 600002;
    assert_int_equal(mon_classify(NULL, &cur, &r, why, sizeof why), MON_NONE);
}

static void test_poor_households_are_never_monitored(void **st)
{
    qd_rec cur = fx_rec(TP_STATUS_POOR, HH_REMAINS_POOR, 2, YUAN(100));
    char why[256];
    (void)st;
    assert_int_equal(mon(NULL, &cur, why), MON_NONE);
}

static void test_income_drop_of_thirty_percent_is_sudden(void **st)
{
    qd_rec prev = fx_rec(TP_STATUS_EXITED, HH_EXIT_CONFIRMED, 2, YUAN(10000));
    qd_rec cur = fx_rec(TP_STATUS_EXITED, HH_EXIT_CONFIRMED, 2, YUAN(7000));   /* exactly -30% */
    char why[256];
    (void)st;
    assert_int_equal(mon(&prev, &cur, why), MON_SUDDEN);
    assert_string_equal(why, "BELOW_POVERTY_LINE;INCOME_DROP");
    cur.net += 1;   /* one cent short of 30% */
    assert_int_equal(mon(&prev, &cur, why), MON_UNSTABLE);
}

static void test_income_drop_is_per_capita(void **st)
{
    /* 10000 for 2 (5000 each) to 10500 for 3 (3500 each): -30% per person */
    qd_rec prev = fx_rec(TP_STATUS_GENERAL, HH_NOT_POOR, 2, YUAN(10000));
    qd_rec cur = fx_rec(TP_STATUS_GENERAL, HH_MISSED, 3, YUAN(10500));
    char why[256];
    (void)st;
    assert_int_equal(mon(&prev, &cur, why), MON_SUDDEN);
}

static void test_new_failed_check_is_sudden(void **st)
{
    qd_rec prev = fx_rec(TP_STATUS_EXITED, HH_EXIT_CONFIRMED, 2, YUAN(11000));
    qd_rec cur = fx_rec(TP_STATUS_EXITED, HH_WRONGLY_EXITED, 2, YUAN(11000));
    char why[256];
    (void)st;
    cur.fails = 1u << QD_DIM_MEDICAL;
    assert_int_equal(mon(&prev, &cur, why), MON_SUDDEN);
    assert_string_equal(why, "BELOW_MONITOR_LINE;NEW_FAIL_MEDICAL");
    prev.fails = 1u << QD_DIM_MEDICAL;   /* not new */
    assert_int_equal(mon(&prev, &cur, why), MON_UNSTABLE);
}

static void test_unknown_income_is_monitored(void **st)
{
    qd_rec cur = fx_rec(TP_STATUS_GENERAL, HH_UNVERIFIED, 2, 0);
    char why[256];
    (void)st;
    cur.flags = 0;
    assert_int_equal(mon(NULL, &cur, why), MON_EDGE);
    assert_string_equal(why, "INCOME_UNKNOWN");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_absent_before_is_new),
        cmocka_unit_test(test_absent_now_is_vanished),
        cmocka_unit_test(test_rejected_in_either_quarter_is_rejected),
        cmocka_unit_test(test_general_to_exited_is_exit_unregistered),
        cmocka_unit_test(test_remains_poor_to_exited_is_skipped_checks),
        cmocka_unit_test(test_exit_confirmed_to_wrongly_exited_is_return_to_poverty),
        cmocka_unit_test(test_exit_confirmed_to_remains_poor_is_return_to_poverty),
        cmocka_unit_test(test_exited_back_to_poor_otherwise_is_exit_revoked),
        cmocka_unit_test(test_can_exit_to_exited_is_exited),
        cmocka_unit_test(test_remains_poor_to_can_exit_is_became_exit_ready),
        cmocka_unit_test(test_can_exit_to_remains_poor_is_fell_back),
        cmocka_unit_test(test_general_to_poor_is_registered),
        cmocka_unit_test(test_poor_or_exited_to_general_is_deregistered),
        cmocka_unit_test(test_wrongly_exited_to_exit_confirmed_is_now_meets),
        cmocka_unit_test(test_not_poor_to_missed_is_newly_missed),
        cmocka_unit_test(test_same_assessment_is_unchanged),
        cmocka_unit_test(test_any_other_change_is_other),
        cmocka_unit_test(test_matrix_states_are_assessments_then_rejected_and_absent),
        cmocka_unit_test(test_exited_under_monitoring_line_is_unstable),
        cmocka_unit_test(test_general_under_monitoring_line_is_edge),
        cmocka_unit_test(test_exactly_at_monitoring_line_is_not_monitored),
        cmocka_unit_test(test_monitoring_line_is_an_exact_fraction),
        cmocka_unit_test(test_poor_households_are_never_monitored),
        cmocka_unit_test(test_income_drop_of_thirty_percent_is_sudden),
        cmocka_unit_test(test_income_drop_is_per_capita),
        cmocka_unit_test(test_new_failed_check_is_sudden),
        cmocka_unit_test(test_unknown_income_is_monitored),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
