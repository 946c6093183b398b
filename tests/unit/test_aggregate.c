/* test_aggregate.c — the county exit decision (standard §5) at its exact
 * thresholds and the Alkire–Foster view (§6), through the module's own
 * interface: hand-built evaluated households go into agg_add, agg_write
 * writes into a temporary folder, and counties.csv / af.csv / summary.csv
 * are read back line by line.
 *
 * Households are built directly as hh_eval values (household.h): region,
 * status, member count, satisfaction answer and fail findings by stage.
 * Member rows are not needed: the aggregation counts persons by n_members. */
#define _POSIX_C_SOURCE 200809L
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <dirent.h>

#include "aggregate.h"
#include "region_outputs.h"
#include "params.h"

static const char *const national[] = {
    "identity", "income", "food_clothing", "education", "medical", "housing", "water"
};
#define NST (sizeof national / sizeof national[0])

enum { SAT_NONE = -1, SAT_NO = 0, SAT_YES = 1 };

typedef struct fixture {
    agg *a;
    hh_eval e;
    char dir[64];
    const char *const *stages;
    size_t nstages;
} fixture;

static int stage_index(const fixture *fx, const char *name)
{
    size_t i;
    for (i = 0; i < fx->nstages; i++)
        if (!strcmp(fx->stages[i], name)) return (int)i;
    fail_msg("no stage %s", name);
    return -1;
}

/* Adds `count` households of `members` persons each.  fails is a
 * NULL-terminated list of "stage:CODE" fail findings. */
static void add_n(fixture *fx, int count, const char *region, tp_status st, size_t members,
                  hh_assessment as, int sat, const char *const *fails)
{
    int k;
    for (k = 0; k < count; k++) {
        hh_eval *e = &fx->e;
        const char *const *f;
        memset(&e->view, 0, sizeof e->view);
        e->view.struct_size = sizeof e->view;
        e->view.household_id = "H-test";
        e->view.region_code = region;
        e->view.status = st;
        e->view.n_members = members;
        e->view.satisfied.state = sat == SAT_NONE ? TP_MISSING : TP_OK;
        e->view.satisfied.value = sat == SAT_YES;
        e->nf = 0;
        e->tlen = 0;
        e->oom = 0;
        for (f = fails; f && *f; f++) {
            char stage[64];
            const char *colon = strchr(*f, ':');
            assert_non_null(colon);
            snprintf(stage, sizeof stage, "%.*s", (int)(colon - *f), *f);
            e->cur_stage = stage_index(fx, stage);
            assert_int_equal(hh_add_finding(e, TP_FAIL, colon + 1, 0, "", NULL), 0);
        }
        assert_int_equal(agg_add(fx->a, e, as, !(fails && *fails)), 0);
    }
}

static void add(fixture *fx, const char *region, tp_status st, size_t members, hh_assessment as, int sat)
{
    add_n(fx, 1, region, st, members, as, sat, NULL);
}

static void start_with(fixture *fx, const params *p, int has_satisfied, const char *const *stages, size_t n)
{
    char err[256];
    memset(fx, 0, sizeof *fx);
    hh_init(&fx->e);
    snprintf(fx->dir, sizeof fx->dir, "/tmp/test_aggregate.XXXXXX");
    assert_non_null(mkdtemp(fx->dir));
    fx->stages = stages;
    fx->nstages = n;
    fx->a = agg_new(p, has_satisfied, stages, NULL, n, err, sizeof err);
    assert_non_null(fx->a);
}

static void start(fixture *fx, int has_satisfied)
{
    start_with(fx, NULL, has_satisfied, national, NST);
}

static void finish(fixture *fx)
{
    char err[512];
    int rc = agg_write(fx->a, fx->dir, NULL, err, sizeof err);
    if (rc != 0) fail_msg("agg_write: %s", err);
}

static char *slurp(const fixture *fx, const char *name)
{
    char path[256];
    FILE *f;
    long n;
    char *buf;
    snprintf(path, sizeof path, "%s/%s", fx->dir, name);
    f = fopen(path, "rb");
    assert_non_null(f);
    fseek(f, 0, SEEK_END);
    n = ftell(f);
    fseek(f, 0, SEEK_SET);
    buf = malloc((size_t)n + 1);
    assert_non_null(buf);
    assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
    buf[n] = '\0';
    fclose(f);
    /* a CSV output begins with the UTF-8 byte-order mark (output.h), once;
     * the text after it is compared */
    if (strlen(name) > 4 && !strcmp(name + strlen(name) - 4, ".csv")) {
        if (n < 3 || memcmp(buf, "\xEF\xBB\xBF", 3)) fail_msg("%s: no byte-order mark", name);
        memmove(buf, buf + 3, (size_t)n - 2);
    }
    return buf;
}

/* The line of `name` whose first field is `key` (level,code for summary). */
static char *line_of(const fixture *fx, const char *name, const char *key)
{
    char *all = slurp(fx, name), *p = all, *res = NULL;
    size_t kl = strlen(key);
    while (*p) {
        char *nl = strchr(p, '\n');
        size_t len = nl ? (size_t)(nl - p) : strlen(p);
        if (len > kl && !strncmp(p, key, kl) && p[kl] == ',') {
            res = strndup(p, len);
            break;
        }
        p += len + (nl ? 1 : 0);
    }
    free(all);
    if (!res) fail_msg("%s: no line for %s", name, key);
    return res;
}

static void expect_line(const fixture *fx, const char *name, const char *key, const char *want)
{
    char *got = line_of(fx, name, key);
    char full[1024];
    /* counties.csv ends with the county's name, empty here: the fixture
     * loads no names table (tests/e2e/region_names.sh tests the names) */
    snprintf(full, sizeof full, "%s%s", want, !strcmp(name, "counties.csv") ? "," : "");
    assert_string_equal(got, full);
    free(got);
}

static void cleanup(fixture *fx)
{
    DIR *d = opendir(fx->dir);
    struct dirent *de;
    char path[512];
    while (d && (de = readdir(d))) {
        if (de->d_name[0] == '.' && (!de->d_name[1] || de->d_name[1] == '.')) continue;
        snprintf(path, sizeof path, "%s/%s", fx->dir, de->d_name);
        unlink(path);
    }
    if (d) closedir(d);
    rmdir(fx->dir);
    agg_free(fx->a);
    hh_free(&fx->e);
}

/* A county of `persons` persons (a multiple of 4 above 8) with every
 * denominator filled and nobody poor: half exited confirmed, a quarter
 * general not poor, the rest poor that can exit. */
static void clean_county(fixture *fx, const char *region, int persons)
{
    add_n(fx, persons / 2, region, TP_STATUS_EXITED, 1, HH_EXIT_CONFIRMED, SAT_NONE, NULL);
    add_n(fx, persons / 4, region, TP_STATUS_GENERAL, 1, HH_NOT_POOR, SAT_NONE, NULL);
    add_n(fx, persons - persons / 2 - persons / 4, region, TP_STATUS_POOR, 1, HH_CAN_EXIT, SAT_NONE, NULL);
}

/* ---- §5 incidence --------------------------------------------------------------- */

static void test_incidence_exactly_two_percent_non_western_fails(void **state)
{
    fixture fx;
    (void)state;
    start(&fx, 0);
    /* 1000 persons, 20 of them in remains_poor households: 2.00% */
    clean_county(&fx, "330102001001", 980);
    add_n(&fx, 10, "330102001002", TP_STATUS_POOR, 2, HH_REMAINS_POOR, SAT_NONE, NULL);
    finish(&fx);
    expect_line(&fx, "counties.csv", "330102",
                "330102,no,1000,20,0.0200,0.0000,0.0000,,fails,INCIDENCE_HIGH");
    cleanup(&fx);
}

static void test_incidence_one_person_under_two_percent_meets(void **state)
{
    fixture fx;
    (void)state;
    start(&fx, 0);
    /* 1000 persons, 19 poor after: 1.90% */
    clean_county(&fx, "330102001001", 980);
    add_n(&fx, 9, "330102001002", TP_STATUS_POOR, 2, HH_REMAINS_POOR, SAT_NONE, NULL);
    add(&fx, "330102001002", TP_STATUS_POOR, 1, HH_REMAINS_POOR, SAT_NONE);
    add(&fx, "330102001002", TP_STATUS_POOR, 1, HH_CAN_EXIT, SAT_NONE);
    finish(&fx);
    expect_line(&fx, "counties.csv", "330102", "330102,no,1000,19,0.0190,0.0000,0.0000,,meets,");
    cleanup(&fx);
}

static void test_incidence_western_three_percent_fails_just_under_meets(void **state)
{
    fixture fx;
    (void)state;
    start(&fx, 0);
    /* 520102 (Guizhou, western): 30 of 1000 fails; 621126 (Gansu): 29 of 1000 meets
     * although 2.9% is above the non-western 2%. */
    clean_county(&fx, "520102001001", 968);
    add_n(&fx, 8, "520102001001", TP_STATUS_POOR, 4, HH_REMAINS_POOR, SAT_NONE, NULL);
    clean_county(&fx, "621126001001", 968);
    add_n(&fx, 7, "621126001001", TP_STATUS_POOR, 4, HH_REMAINS_POOR, SAT_NONE, NULL);
    add(&fx, "621126001001", TP_STATUS_POOR, 1, HH_REMAINS_POOR, SAT_NONE);
    add_n(&fx, 3, "621126001001", TP_STATUS_POOR, 1, HH_CAN_EXIT, SAT_NONE, NULL);
    finish(&fx);
    expect_line(&fx, "counties.csv", "520102",
                "520102,yes,1000,32,0.0320,0.0000,0.0000,,fails,INCIDENCE_HIGH");
    expect_line(&fx, "counties.csv", "621126", "621126,yes,1000,29,0.0290,0.0000,0.0000,,meets,");
    cleanup(&fx);
}

static void test_incidence_western_exactly_three_percent_fails(void **state)
{
    fixture fx;
    (void)state;
    start(&fx, 0);
    clean_county(&fx, "150102001001", 970);
    add_n(&fx, 30, "150102001001", TP_STATUS_POOR, 1, HH_REMAINS_POOR, SAT_NONE, NULL);
    finish(&fx);
    expect_line(&fx, "counties.csv", "150102",
                "150102,yes,1000,30,0.0300,0.0000,0.0000,,fails,INCIDENCE_HIGH");
    cleanup(&fx);
}

/* ---- §5 wrong exits and missed households ------------------------------------------ */

static void test_wrong_exit_exactly_two_percent_fails(void **state)
{
    fixture fx;
    (void)state;
    start(&fx, 0);
    /* exited persons: 98 confirmed + 2 wrongly exited = 100; 2 of 2000 poor after */
    add_n(&fx, 98, "340102001001", TP_STATUS_EXITED, 1, HH_EXIT_CONFIRMED, SAT_NONE, NULL);
    add(&fx, "340102001001", TP_STATUS_EXITED, 2, HH_WRONGLY_EXITED, SAT_NONE);
    add_n(&fx, 1900, "340102001001", TP_STATUS_GENERAL, 1, HH_NOT_POOR, SAT_NONE, NULL);
    /* one less: 1 of 100 */
    add_n(&fx, 99, "340103001001", TP_STATUS_EXITED, 1, HH_EXIT_CONFIRMED, SAT_NONE, NULL);
    add(&fx, "340103001001", TP_STATUS_EXITED, 1, HH_WRONGLY_EXITED, SAT_NONE);
    add_n(&fx, 1900, "340103001001", TP_STATUS_GENERAL, 1, HH_NOT_POOR, SAT_NONE, NULL);
    finish(&fx);
    expect_line(&fx, "counties.csv", "340102",
                "340102,no,2000,2,0.0010,0.0200,0.0000,,fails,WRONG_EXIT_HIGH");
    expect_line(&fx, "counties.csv", "340103", "340103,no,2000,1,0.0005,0.0100,0.0000,,meets,");
    cleanup(&fx);
}

static void test_missed_exactly_two_percent_fails(void **state)
{
    fixture fx;
    (void)state;
    start(&fx, 0);
    add_n(&fx, 49, "410526001001", TP_STATUS_GENERAL, 2, HH_NOT_POOR, SAT_NONE, NULL);
    add(&fx, "410526001001", TP_STATUS_GENERAL, 2, HH_MISSED, SAT_NONE);
    add_n(&fx, 1900, "410526001001", TP_STATUS_EXITED, 1, HH_EXIT_CONFIRMED, SAT_NONE, NULL);
    /* 99 + 1 missed in 100 general persons: 1% */
    add_n(&fx, 99, "410527001001", TP_STATUS_GENERAL, 1, HH_NOT_POOR, SAT_NONE, NULL);
    add(&fx, "410527001001", TP_STATUS_GENERAL, 1, HH_MISSED, SAT_NONE);
    add_n(&fx, 1900, "410527001001", TP_STATUS_EXITED, 1, HH_EXIT_CONFIRMED, SAT_NONE, NULL);
    finish(&fx);
    expect_line(&fx, "counties.csv", "410526",
                "410526,no,2000,2,0.0010,0.0000,0.0200,,fails,MISSED_HIGH");
    expect_line(&fx, "counties.csv", "410527", "410527,no,2000,1,0.0005,0.0000,0.0100,,meets,");
    cleanup(&fx);
}

static void test_unverified_general_is_not_missed(void **state)
{
    fixture fx;
    (void)state;
    start(&fx, 0);
    clean_county(&fx, "440102001001", 96);
    add_n(&fx, 4, "440102001001", TP_STATUS_GENERAL, 1, HH_UNVERIFIED, SAT_NONE, NULL);
    finish(&fx);
    /* unverified counts in the general denominator, not in missed or poor_after */
    expect_line(&fx, "counties.csv", "440102", "440102,no,100,0,0.0000,0.0000,0.0000,,meets,");
    cleanup(&fx);
}

/* ---- §5 satisfaction ------------------------------------------------------------------ */

static void test_satisfaction_exactly_ninety_percent_meets(void **state)
{
    fixture fx;
    (void)state;
    start(&fx, 1);
    clean_county(&fx, "360102001001", 100);
    add_n(&fx, 90, "360102001002", TP_STATUS_EXITED, 1, HH_EXIT_CONFIRMED, SAT_YES, NULL);
    add_n(&fx, 10, "360102001002", TP_STATUS_EXITED, 1, HH_EXIT_CONFIRMED, SAT_NO, NULL);
    finish(&fx);
    /* the 100 households of clean_county did not answer: not counted */
    expect_line(&fx, "counties.csv", "360102", "360102,no,200,0,0.0000,0.0000,0.0000,0.9000,meets,");
    cleanup(&fx);
}

static void test_satisfaction_just_under_ninety_percent_fails(void **state)
{
    fixture fx;
    (void)state;
    start(&fx, 1);
    clean_county(&fx, "360102001001", 100);
    add_n(&fx, 899, "360102001002", TP_STATUS_EXITED, 1, HH_EXIT_CONFIRMED, SAT_YES, NULL);
    add_n(&fx, 101, "360102001002", TP_STATUS_EXITED, 1, HH_EXIT_CONFIRMED, SAT_NO, NULL);
    finish(&fx);
    /* 899/1000 = 0.899: rounds to 0.8990, below 0.90 */
    expect_line(&fx, "counties.csv", "360102",
                "360102,no,1100,0,0.0000,0.0000,0.0000,0.8990,fails,SATISFACTION_LOW");
    cleanup(&fx);
}

static void test_satisfaction_rounding_to_ninety_still_fails(void **state)
{
    fixture fx;
    (void)state;
    start(&fx, 1);
    /* 89999/100000 displays as 0.9000 but is below 90%: the decision is exact */
    clean_county(&fx, "360102001001", 100);
    add_n(&fx, 89999, "360102001002", TP_STATUS_EXITED, 1, HH_EXIT_CONFIRMED, SAT_YES, NULL);
    add_n(&fx, 10001, "360102001003", TP_STATUS_EXITED, 1, HH_EXIT_CONFIRMED, SAT_NO, NULL);
    finish(&fx);
    expect_line(&fx, "counties.csv", "360102",
                "360102,no,100100,0,0.0000,0.0000,0.0000,0.9000,fails,SATISFACTION_LOW");
    cleanup(&fx);
}

static void test_nobody_answered_satisfaction_is_blank_and_meets(void **state)
{
    fixture fx;
    (void)state;
    start(&fx, 1);
    clean_county(&fx, "360102001001", 100);
    finish(&fx);
    expect_line(&fx, "counties.csv", "360102", "360102,no,100,0,0.0000,0.0000,0.0000,,meets,");
    cleanup(&fx);
}

static void test_no_satisfied_column_never_satisfaction_low(void **state)
{
    fixture fx;
    (void)state;
    start(&fx, 0);
    /* every household's answer would be "no", but the input has no column */
    add_n(&fx, 50, "360102001001", TP_STATUS_EXITED, 1, HH_EXIT_CONFIRMED, SAT_NO, NULL);
    add_n(&fx, 50, "360102001001", TP_STATUS_GENERAL, 1, HH_NOT_POOR, SAT_NO, NULL);
    finish(&fx);
    expect_line(&fx, "counties.csv", "360102", "360102,no,100,0,0.0000,0.0000,0.0000,,meets,");
    cleanup(&fx);
}

/* ---- §5 zero denominators and the order of reasons ------------------------------------------ */

static void test_no_exited_and_no_general_is_incomplete(void **state)
{
    fixture fx;
    (void)state;
    start(&fx, 0);
    add_n(&fx, 100, "130102001001", TP_STATUS_POOR, 1, HH_CAN_EXIT, SAT_NONE, NULL);
    add_n(&fx, 100, "450102001001", TP_STATUS_EXITED, 1, HH_EXIT_CONFIRMED, SAT_NONE, NULL);
    add_n(&fx, 100, "612324001001", TP_STATUS_GENERAL, 1, HH_NOT_POOR, SAT_NONE, NULL);
    finish(&fx);
    expect_line(&fx, "counties.csv", "130102",
                "130102,no,100,0,0.0000,,,,incomplete,NO_EXITED_SAMPLE;NO_GENERAL_SAMPLE");
    expect_line(&fx, "counties.csv", "450102",
                "450102,yes,100,0,0.0000,0.0000,,,incomplete,NO_GENERAL_SAMPLE");
    expect_line(&fx, "counties.csv", "612324",
                "612324,yes,100,0,0.0000,,0.0000,,incomplete,NO_EXITED_SAMPLE");
    cleanup(&fx);
}

static void test_fails_wins_over_incomplete_and_reasons_keep_order(void **state)
{
    fixture fx;
    (void)state;
    start(&fx, 1);
    /* no general households; incidence, wrong exits and satisfaction all bad */
    add_n(&fx, 5, "341523001001", TP_STATUS_EXITED, 2, HH_WRONGLY_EXITED, SAT_NO, NULL);
    add_n(&fx, 45, "341523001001", TP_STATUS_EXITED, 2, HH_EXIT_CONFIRMED, SAT_YES, NULL);
    add_n(&fx, 10, "341523001002", TP_STATUS_POOR, 1, HH_REMAINS_POOR, SAT_NO, NULL);
    finish(&fx);
    expect_line(&fx, "counties.csv", "341523",
                "341523,no,110,20,0.1818,0.1000,,0.7500,fails,"
                "INCIDENCE_HIGH;WRONG_EXIT_HIGH;SATISFACTION_LOW;NO_GENERAL_SAMPLE");
    cleanup(&fx);
}

static void test_every_failing_reason_in_order(void **state)
{
    fixture fx;
    (void)state;
    start(&fx, 1);
    add(&fx, "513431001001", TP_STATUS_EXITED, 1, HH_WRONGLY_EXITED, SAT_NO);
    add(&fx, "513431001001", TP_STATUS_GENERAL, 1, HH_MISSED, SAT_NO);
    add(&fx, "513431001001", TP_STATUS_POOR, 1, HH_REMAINS_POOR, SAT_YES);
    finish(&fx);
    expect_line(&fx, "counties.csv", "513431",
                "513431,yes,3,3,1.0000,1.0000,1.0000,0.3333,fails,"
                "INCIDENCE_HIGH;WRONG_EXIT_HIGH;MISSED_HIGH;SATISFACTION_LOW");
    cleanup(&fx);
}

/* ---- display rounding and ordering ---------------------------------------------------------- */

static void test_rates_round_half_up_to_four_decimals(void **state)
{
    fixture fx;
    (void)state;
    start(&fx, 0);
    /* 1 / 20000 = 0.00005 → 0.0001; 3 / 80000 = 0.0000375 → 0.0000 */
    add(&fx, "530102001001", TP_STATUS_POOR, 1, HH_REMAINS_POOR, SAT_NONE);
    add(&fx, "530102001001", TP_STATUS_EXITED, 9999, HH_EXIT_CONFIRMED, SAT_NONE);
    add(&fx, "530102001001", TP_STATUS_GENERAL, 10000, HH_NOT_POOR, SAT_NONE);
    add(&fx, "530103001001", TP_STATUS_POOR, 3, HH_REMAINS_POOR, SAT_NONE);
    add(&fx, "530103001001", TP_STATUS_EXITED, 39997, HH_EXIT_CONFIRMED, SAT_NONE);
    add(&fx, "530103001001", TP_STATUS_GENERAL, 40000, HH_NOT_POOR, SAT_NONE);
    finish(&fx);
    expect_line(&fx, "counties.csv", "530102", "530102,yes,20000,1,0.0001,0.0000,0.0000,,meets,");
    expect_line(&fx, "counties.csv", "530103", "530103,yes,80000,3,0.0000,0.0000,0.0000,,meets,");
    cleanup(&fx);
}

static void test_counties_sorted_by_code_with_header(void **state)
{
    fixture fx;
    char *all;
    (void)state;
    start(&fx, 0);
    clean_county(&fx, "620102001001", 12);
    clean_county(&fx, "130102001001", 12);
    clean_county(&fx, "330102001001", 12);
    finish(&fx);
    all = slurp(&fx, "counties.csv");
    assert_string_equal(all,
        "county_code,western,persons,poor_after,incidence,wrong_exit_rate,missed_rate,satisfaction,decision,reasons,name\n"
        "130102,no,12,0,0.0000,0.0000,0.0000,,meets,,\n"
        "330102,no,12,0,0.0000,0.0000,0.0000,,meets,,\n"
        "620102,yes,12,0,0.0000,0.0000,0.0000,,meets,,\n");
    free(all);
    cleanup(&fx);
}

/* ---- thresholds as parameters --------------------------------------------------------------- */

static void declare(params *p)
{
    char err[256];
    params_init(p);
    assert_int_equal(params_declare(p, agg_param_decls, "counties", err, sizeof err), 0);
}

static void set(params *p, const char *name, const char *text)
{
    kv_list l;
    char err[256];
    memset(&l, 0, sizeof l);
    assert_int_equal(kv_set(&l, name, text, "test"), 0);
    if (params_apply(p, &l, err, sizeof err) != 0) fail_msg("%s", err);
    kv_free(&l);
}

static void test_incidence_threshold_is_a_parameter(void **state)
{
    fixture fx;
    params p;
    char err[256];
    (void)state;
    declare(&p);
    set(&p, "incidence_max", "0.05");
    assert_int_equal(params_finish(&p, 2020, "/nonexistent", err, sizeof err), 0);
    start_with(&fx, &p, 0, national, NST);
    clean_county(&fx, "330102001001", 960);
    add_n(&fx, 40, "330102001001", TP_STATUS_POOR, 1, HH_REMAINS_POOR, SAT_NONE, NULL);
    finish(&fx);
    expect_line(&fx, "counties.csv", "330102", "330102,no,1000,40,0.0400,0.0000,0.0000,,meets,");
    cleanup(&fx);
    params_free(&p);
}

static void test_af_k_outside_zero_one_is_an_error(void **state)
{
    params p;
    char err[256];
    (void)state;
    declare(&p);
    set(&p, "af_k_num", "4");
    assert_int_equal(params_finish(&p, 2020, "/nonexistent", err, sizeof err), 0);
    assert_null(agg_new(&p, 0, national, NULL, NST, err, sizeof err));
    assert_non_null(strstr(err, "af_k_num"));
    params_free(&p);
}

/* ---- §6 Alkire–Foster ----------------------------------------------------------------------- */

static void test_af_two_of_six_dimensions_is_poor_at_k_one_third(void **state)
{
    fixture fx;
    static const char *const two[] = { "income:INCOME_BELOW_LINE", "water:WATER_UNSAFE", NULL };
    static const char *const one[] = { "water:WATER_UNSAFE", "identity:ID_INVALID", NULL };
    (void)state;
    start(&fx, 0);
    add_n(&fx, 1, "330102001001", TP_STATUS_POOR, 2, HH_REMAINS_POOR, SAT_NONE, two);
    add_n(&fx, 1, "330102001001", TP_STATUS_POOR, 1, HH_REMAINS_POOR, SAT_NONE, one);
    add(&fx, "330102001001", TP_STATUS_POOR, 1, HH_CAN_EXIT, SAT_NONE);
    finish(&fx);
    /* persons 4; poor: the 2-person household (score 2 of 6 = exactly 1/3);
     * H = 2/4, A = 4/(2×6), M0 = 4/(4×6); censored water excludes the
     * non-poor household; contributions: income 2/4, water 2/4. */
    expect_line(&fx, "af.csv", "county,330102",
                "county,330102,4,2,0.5000,0.3333,0.1667,0.5000,0.0000,0.0000,0.0000,0.0000,0.5000,"
                "0.5000,0.0000,0.0000,0.0000,0.0000,0.5000");
    cleanup(&fx);
}

static void test_af_absent_dimension_renormalises_weights(void **state)
{
    fixture fx;
    static const char *const stages[] = { "income", "food_clothing", "medical", "housing", "water" };
    static const char *const one[] = { "housing:HOUSING_UNSAFE", NULL };
    static const char *const two[] = { "housing:HOUSING_UNSAFE", "medical:MEDICAL_UNINSURED",
                                       "medical:MEDICAL_UNINSURED", NULL };
    (void)state;
    start_with(&fx, NULL, 0, stages, 5);
    /* W = 5: one dimension (1/5) is below 1/3, two (2/5) above */
    add_n(&fx, 1, "330102001001", TP_STATUS_POOR, 3, HH_REMAINS_POOR, SAT_NONE, one);
    add_n(&fx, 1, "330102001001", TP_STATUS_POOR, 2, HH_REMAINS_POOR, SAT_NONE, two);
    finish(&fx);
    /* H = 2/5 = 0.4; A = (2×2)/(2×5) = 0.4; M0 = 4/25 = 0.16; censored housing
     * leaves out the non-poor household; education blank */
    expect_line(&fx, "af.csv", "county,330102",
                "county,330102,5,2,0.4000,0.4000,0.1600,0.0000,0.0000,,0.4000,0.4000,0.0000,"
                "0.0000,0.0000,,0.5000,0.5000,0.0000");
    cleanup(&fx);
}

/* ---- summary.csv ---------------------------------------------------------------------------- */

static void test_summary_counts_every_level_and_fail_codes_once_per_household(void **state)
{
    fixture fx;
    static const char *const med[] = { "medical:MEDICAL_UNINSURED", "medical:MEDICAL_UNINSURED",
                                       "education:MISSING_VALUE", NULL };
    char *head;
    (void)state;
    start(&fx, 1);
    add_n(&fx, 1, "330102001001", TP_STATUS_EXITED, 3, HH_WRONGLY_EXITED, SAT_YES, med);
    add(&fx, "330102001002", TP_STATUS_GENERAL, 2, HH_NOT_POOR, SAT_NO);
    add(&fx, "330103001001", TP_STATUS_POOR, 1, HH_CAN_EXIT, SAT_NONE);
    finish(&fx);
    head = line_of(&fx, "summary.csv", "level");
    assert_string_equal(head,
        "level,code,households,persons,households_poor,households_exited,households_general,"
        "persons_poor,persons_exited,persons_general,households_can_exit,households_remains_poor,"
        "households_exit_confirmed,households_wrongly_exited,households_missed,households_unverified,"
        "households_not_poor,persons_can_exit,persons_remains_poor,persons_exit_confirmed,"
        "persons_wrongly_exited,persons_missed,persons_unverified,persons_not_poor,"
        "households_exit_ready,poor_after,incidence,wrong_exit_rate,missed_rate,satisfied_yes,"
        "satisfied_no,satisfaction,failed:identity,failed:income,failed:food_clothing,"
        "failed:education,failed:medical,failed:housing,failed:water,"
        "failed:education:MISSING_VALUE,failed:medical:MEDICAL_UNINSURED");
    free(head);
    expect_line(&fx, "summary.csv", "national",
                "national,,3,6,1,1,1,1,3,2,1,0,0,1,0,0,1,1,0,0,3,0,0,2,2,3,0.5000,1.0000,0.0000,1,1,"
                "0.5000,0,0,0,1,1,0,0,1,1");
    expect_line(&fx, "summary.csv", "town",
                "town,330102001,2,5,0,1,1,0,3,2,0,0,0,1,0,0,1,0,0,0,3,0,0,2,1,3,0.6000,1.0000,0.0000,1,1,"
                "0.5000,0,0,0,1,1,0,0,1,1");
    cleanup(&fx);
}

static void test_outputs_are_owner_only(void **state)
{
    fixture fx;
    static const char *const names[] = { "counties.csv", "summary.csv", "af.csv", "report.html", "report.xlsx" };
    size_t i;
    (void)state;
    start(&fx, 1);
    clean_county(&fx, "330102001001", 12);
    finish(&fx);
    for (i = 0; i < sizeof names / sizeof names[0]; i++) {
        char path[256];
        struct stat st;
        snprintf(path, sizeof path, "%s/%s", fx.dir, names[i]);
        assert_int_equal(stat(path, &st), 0);
        assert_int_equal(st.st_mode & 0777, 0600);
    }
    cleanup(&fx);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_incidence_exactly_two_percent_non_western_fails),
        cmocka_unit_test(test_incidence_one_person_under_two_percent_meets),
        cmocka_unit_test(test_incidence_western_three_percent_fails_just_under_meets),
        cmocka_unit_test(test_incidence_western_exactly_three_percent_fails),
        cmocka_unit_test(test_wrong_exit_exactly_two_percent_fails),
        cmocka_unit_test(test_missed_exactly_two_percent_fails),
        cmocka_unit_test(test_unverified_general_is_not_missed),
        cmocka_unit_test(test_satisfaction_exactly_ninety_percent_meets),
        cmocka_unit_test(test_satisfaction_just_under_ninety_percent_fails),
        cmocka_unit_test(test_satisfaction_rounding_to_ninety_still_fails),
        cmocka_unit_test(test_nobody_answered_satisfaction_is_blank_and_meets),
        cmocka_unit_test(test_no_satisfied_column_never_satisfaction_low),
        cmocka_unit_test(test_no_exited_and_no_general_is_incomplete),
        cmocka_unit_test(test_fails_wins_over_incomplete_and_reasons_keep_order),
        cmocka_unit_test(test_every_failing_reason_in_order),
        cmocka_unit_test(test_rates_round_half_up_to_four_decimals),
        cmocka_unit_test(test_counties_sorted_by_code_with_header),
        cmocka_unit_test(test_incidence_threshold_is_a_parameter),
        cmocka_unit_test(test_af_k_outside_zero_one_is_an_error),
        cmocka_unit_test(test_af_two_of_six_dimensions_is_poor_at_k_one_third),
        cmocka_unit_test(test_af_absent_dimension_renormalises_weights),
        cmocka_unit_test(test_summary_counts_every_level_and_fail_codes_once_per_household),
        cmocka_unit_test(test_outputs_are_owner_only),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
