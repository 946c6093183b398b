/* test_agg_partial.c — the aggregation's partial counts (agg_partial.h):
 * the village counts of several runs, stored in results.sqlite and added
 * back, give exactly the counties, summaries and AF view of one run over all
 * their households — however the households were shared out, a village split
 * between runs included — because the figures are ratios of added counts,
 * never averages of the runs' rates.
 *
 * Households are hand-built hh_eval values (as in test_aggregate.c), drawn
 * from a fixed pseudo-random sequence so that every counter is exercised:
 * every status and assessment, satisfaction answers, members of 1–6, fail
 * findings of several stages and codes (a code per member counts each
 * finding).  The whole run and the merged runs write their files with
 * agg_write into two folders, compared byte for byte. */
#define _POSIX_C_SOURCE 200809L
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "agg_partial.h"
#include "aggregate.h"
#include "region_outputs.h"

static const char *const stages[] = {
    "identity", "income", "food_clothing", "education", "medical", "housing", "water"
};
#define NST (sizeof stages / sizeof stages[0])

static const char *const villages[] = {
    "130722001001", "130722001002", "130722014003", "130725002001", "520424012011",
    "520424012012", "522327001001", "650101001001"
};
#define NVIL (sizeof villages / sizeof villages[0])

/* fail codes by stage index (identity only warns) */
static const char *const fail_codes[NST][3] = {
    { NULL }, { "INCOME_BELOW_LINE", "BAD_VALUE", NULL }, { "FOOD_CLOTHING_INSECURE", NULL },
    { "SCHOOL_DROPOUT", "MISSING_VALUE", NULL }, { "MEDICAL_UNINSURED", NULL },
    { "HOUSING_UNSAFE", NULL }, { "WATER_UNSAFE", "MISSING_VALUE", NULL }
};

static uint64_t rng = 88172645463325252ULL;

static uint64_t next(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

/* Builds household number k (the same k gives the same household). */
static void build(hh_eval *e, uint64_t seed, const char **region)
{
    size_t s, members;
    rng = seed * 0x9e3779b97f4a7c15ULL + 1;
    next();
    memset(&e->view, 0, sizeof e->view);
    e->view.struct_size = sizeof e->view;
    e->view.household_id = "H";
    *region = villages[next() % NVIL];
    e->view.region_code = *region;
    e->view.status = (tp_status)(next() % 3);
    members = 1 + next() % 6;
    e->view.n_members = members;
    switch (next() % 4) {
    case 0: e->view.satisfied.state = TP_MISSING; break;
    case 1: e->view.satisfied.state = TP_OK; e->view.satisfied.value = 0; break;
    default: e->view.satisfied.state = TP_OK; e->view.satisfied.value = 1; break;
    }
    e->nf = 0;
    e->tlen = 0;
    e->oom = 0;
    for (s = 1; s < NST; s++) {
        int c;
        if (next() % 5) continue;
        e->cur_stage = (int)s;
        for (c = 0; fail_codes[s][c]; c++)
            if (next() % 2) {
                size_t m, times = members > 1 ? 1 + next() % 2 : 1;   /* sometimes per member */
                for (m = 0; m < times; m++)
                    assert_int_equal(hh_add_finding(e, TP_FAIL, fail_codes[s][c], m + 1, "", NULL), 0);
            }
    }
}

/* The assessment of §4 for the household's status and fails. */
static hh_assessment verdict(const hh_eval *e, int *ready)
{
    *ready = e->nf == 0;
    switch (e->view.status) {
    case TP_STATUS_POOR: return *ready ? HH_CAN_EXIT : HH_REMAINS_POOR;
    case TP_STATUS_EXITED: return *ready ? HH_EXIT_CONFIRMED : HH_WRONGLY_EXITED;
    default:
        if (!e->nf || e->f[0].stage != 1) return HH_NOT_POOR;
        return e->view.n_members % 2 ? HH_MISSED : HH_UNVERIFIED;
    }
}

static agg *new_agg(void)
{
    char err[256];
    agg *a = agg_new(NULL, 1, stages, NULL, NST, err, sizeof err);
    if (!a) fail_msg("agg_new: %s", err);
    return a;
}

static void add(agg *a, hh_eval *e, uint64_t k)
{
    const char *region;
    int ready;
    hh_assessment as;
    build(e, k, &region);
    as = verdict(e, &ready);
    assert_int_equal(agg_add(a, e, as, ready), 0);
}

/* Stores a's partial counts in a new in-memory database. */
static sqlite3 *store(agg *a)
{
    sqlite3 *db;
    char err[512];
    assert_int_equal(sqlite3_open(":memory:", &db), SQLITE_OK);
    if (agg_partial_write(db, ":memory:", a, err, sizeof err) < 0) fail_msg("%s", err);
    return db;
}

static void load(agg *into, sqlite3 *db, const char *skip)
{
    char err[512];
    if (agg_partial_load(db, ":memory:", into, skip, err, sizeof err) < 0) fail_msg("%s", err);
}

static char *tmpdir(void)
{
    char *d = strdup("/tmp/test_agg_partial.XXXXXX");
    assert_non_null(d);
    assert_non_null(mkdtemp(d));
    return d;
}

static void rmtree(char *dir)
{
    DIR *d = opendir(dir);
    struct dirent *de;
    char path[512];
    while (d && (de = readdir(d))) {
        if (de->d_name[0] == '.' && (!de->d_name[1] || de->d_name[1] == '.')) continue;
        snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
        unlink(path);
    }
    if (d) closedir(d);
    rmdir(dir);
    free(dir);
}

static char *slurp(const char *dir, const char *name)
{
    char path[512];
    FILE *f;
    long n;
    char *buf;
    snprintf(path, sizeof path, "%s/%s", dir, name);
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
    return buf;
}

/* Writes both aggregations and compares their files byte for byte. */
static void expect_same_outputs(agg *whole, agg *merged)
{
    static const char *const files[] = { "counties.csv", "summary.csv", "af.csv", "report.html" };
    char *d1 = tmpdir(), *d2 = tmpdir(), err[512];
    size_t i;
    if (agg_write(whole, d1, NULL, err, sizeof err) < 0) fail_msg("%s", err);
    if (agg_write(merged, d2, NULL, err, sizeof err) < 0) fail_msg("%s", err);
    for (i = 0; i < sizeof files / sizeof files[0]; i++) {
        char *a = slurp(d1, files[i]), *b = slurp(d2, files[i]);
        if (strcmp(a, b)) fail_msg("%s differs between the whole run and the merged runs", files[i]);
        free(a);
        free(b);
    }
    rmtree(d1);
    rmtree(d2);
}

/* ---- tests ------------------------------------------------------------------------ */

static void test_merged_counts_equal_one_run_over_all_households(void **state)
{
    enum { N = 3000, PARTS = 3 };
    agg *whole = new_agg(), *part[PARTS], *merged = new_agg();
    sqlite3 *db[PARTS];
    hh_eval e;
    uint64_t k;
    int p;
    (void)state;
    hh_init(&e);
    for (p = 0; p < PARTS; p++) part[p] = new_agg();
    /* shared out by number, so every village has households in every part */
    for (k = 0; k < N; k++) {
        add(whole, &e, k);
        add(part[k % PARTS], &e, k);
    }
    for (p = 0; p < PARTS; p++) {
        db[p] = store(part[p]);
        load(merged, db[p], NULL);
    }
    expect_same_outputs(whole, merged);
    for (p = 0; p < PARTS; p++) {
        sqlite3_close(db[p]);
        agg_free(part[p]);
    }
    agg_free(whole);
    agg_free(merged);
    hh_free(&e);
}

static void test_merged_rates_are_ratios_of_summed_counts_not_means_of_rates(void **state)
{
    agg *a = new_agg(), *b = new_agg(), *merged = new_agg();
    sqlite3 *da, *dbb;
    hh_eval e;
    char *d = tmpdir(), err[512], *all, *line;
    int i;
    (void)state;
    hh_init(&e);
    memset(&e.view, 0, sizeof e.view);
    e.view.struct_size = sizeof e.view;
    e.view.household_id = "H";
    e.view.n_members = 1;
    e.view.satisfied.state = TP_MISSING;
    /* run a: 10 persons of county 130722, 1 poor after; run b: 90, none */
    e.view.region_code = "130722001001";
    e.view.status = TP_STATUS_POOR;
    assert_int_equal(agg_add(a, &e, HH_REMAINS_POOR, 0), 0);
    for (i = 0; i < 9; i++) assert_int_equal(agg_add(a, &e, HH_CAN_EXIT, 1), 0);
    e.view.region_code = "130722001002";
    for (i = 0; i < 90; i++) assert_int_equal(agg_add(b, &e, HH_CAN_EXIT, 1), 0);
    da = store(a);
    dbb = store(b);
    load(merged, da, NULL);
    load(merged, dbb, NULL);
    if (agg_write(merged, d, NULL, err, sizeof err) < 0) fail_msg("%s", err);
    all = slurp(d, "counties.csv");
    line = strstr(all, "\n130722,");
    assert_non_null(line);
    /* 1 / 100 = 1.00 % meets; the mean of 10 % and 0 % would be 5 % */
    assert_true(!strncmp(line + 1, "130722,no,100,1,0.0100,", 23));
    free(all);
    rmtree(d);
    sqlite3_close(da);
    sqlite3_close(dbb);
    agg_free(a);
    agg_free(b);
    agg_free(merged);
    hh_free(&e);
}

static void test_partial_counts_do_not_depend_on_household_order(void **state)
{
    enum { N = 500 };
    agg *fwd = new_agg(), *rev = new_agg();
    sqlite3 *d1, *d2;
    sqlite3_stmt *s1, *s2;
    hh_eval e;
    uint64_t k;
    int rows = 0;
    (void)state;
    hh_init(&e);
    for (k = 0; k < N; k++) add(fwd, &e, k);
    for (k = N; k-- > 0;) add(rev, &e, k);
    d1 = store(fwd);
    d2 = store(rev);
    /* the rows in storage order, every table */
    assert_int_equal(sqlite3_prepare_v2(d1, "SELECT * FROM partial_failures ORDER BY rowid", -1, &s1, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(d2, "SELECT * FROM partial_failures ORDER BY rowid", -1, &s2, NULL), SQLITE_OK);
    for (;;) {
        int r1 = sqlite3_step(s1), r2 = sqlite3_step(s2), c;
        assert_int_equal(r1, r2);
        if (r1 != SQLITE_ROW) break;
        rows++;
        for (c = 0; c < 6; c++)
            assert_string_equal((const char *)sqlite3_column_text(s1, c), (const char *)sqlite3_column_text(s2, c));
    }
    assert_true(rows > 10);
    sqlite3_finalize(s1);
    sqlite3_finalize(s2);
    sqlite3_close(d1);
    sqlite3_close(d2);
    agg_free(fwd);
    agg_free(rev);
    hh_free(&e);
}

/* Household k with the five income components drawn from a few amounts
 * (so that tuples repeat and some are whole hundreds of yuan), one in
 * eleven of them a bad value, and a MISSING_VALUE finding now and then. */
static void build_income(hh_eval *e, uint64_t k)
{
    static const int64_t amt[] = { 0, 120000, 350000, 123456, 400000, 98765 };
    tp_money *comp[5] = { &e->view.wage_income, &e->view.operating_income, &e->view.operating_cost,
                          &e->view.property_income, &e->view.transfer_income };
    const char *region;
    int c;
    build(e, k, &region);
    e->income_ok = 1;
    e->net = 0;
    for (c = 0; c < 5; c++) {
        uint64_t r = next();
        comp[c]->state = r % 11 == 0 ? TP_BAD : r % 7 == 0 ? TP_MISSING : TP_OK;
        comp[c]->cents = comp[c]->state == TP_OK ? amt[(r >> 8) % 6] : 0;
        if (comp[c]->state == TP_BAD) e->income_ok = 0;
        e->net += c == 2 ? -comp[c]->cents : comp[c]->cents;
    }
    if (!e->income_ok) e->net = 0;
    if (next() % 9 == 0) {
        e->cur_stage = 0;
        assert_int_equal(hh_add_finding(e, TP_WARN, "MISSING_VALUE", 0, "", NULL), 0);
    }
}

/* The engine works out each household's quality facts in its parallel
 * check phase (agg_quality_facts, many households before any is counted)
 * and counts them later (agg_add_facts): the village counters must be
 * those agg_add gives household by household. */
static void test_quality_facts_worked_out_apart_count_as_agg_add(void **state)
{
    enum { N = 3000, BATCH = 64 };
    agg *one = new_agg(), *two = new_agg();
    hh_eval e1, eb[BATCH];
    agg_qfacts qf[BATCH];
    hh_assessment as[BATCH];
    int ready[BATCH], rows = 0;
    uint64_t k, i, copied = 0, rounds = 0, above = 0, missing = 0;
    sqlite3 *d1, *d2;
    sqlite3_stmt *s1, *s2;
    (void)state;
    agg_enable_quality(one, 400000);
    agg_enable_quality(two, 400000);
    hh_init(&e1);
    for (i = 0; i < BATCH; i++) hh_init(&eb[i]);
    for (k = 0; k < N; k++) {
        int r;
        hh_assessment a;
        build_income(&e1, k);
        a = verdict(&e1, &r);
        assert_int_equal(agg_add(one, &e1, a, r), 0);
    }
    for (k = 0; k < N; k += BATCH) {
        for (i = 0; i < BATCH && k + i < N; i++) {
            build_income(&eb[i], k + i);
            as[i] = verdict(&eb[i], &ready[i]);
            agg_quality_facts(two, &eb[i], &qf[i]);
            above += (qf[i].flags & AGG_QF_ABOVE) != 0;
        }
        for (i = 0; i < BATCH && k + i < N; i++)
            assert_int_equal(agg_add_facts(two, &eb[i], as[i], ready[i], &qf[i]), 0);
    }
    d1 = store(one);
    d2 = store(two);
    assert_int_equal(sqlite3_prepare_v2(d1, "SELECT * FROM partial_quality ORDER BY rowid", -1, &s1, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(d2, "SELECT * FROM partial_quality ORDER BY rowid", -1, &s2, NULL), SQLITE_OK);
    for (;;) {
        int r1 = sqlite3_step(s1), r2 = sqlite3_step(s2), c;
        assert_int_equal(r1, r2);
        if (r1 != SQLITE_ROW) break;
        rows++;
        assert_int_equal(sqlite3_column_count(s1), 13);
        for (c = 0; c < 13; c++)
            assert_string_equal((const char *)sqlite3_column_text(s1, c), (const char *)sqlite3_column_text(s2, c));
        missing += (uint64_t)sqlite3_column_int64(s1, 2);
        copied += (uint64_t)sqlite3_column_int64(s1, 3);
        rounds += (uint64_t)sqlite3_column_int64(s1, 5);
    }
    /* every village, and every counter exercised */
    assert_int_equal(rows, NVIL);
    assert_true(copied > 0 && rounds > 0 && above > 0 && missing > 0);
    sqlite3_finalize(s1);
    sqlite3_finalize(s2);
    sqlite3_close(d1);
    sqlite3_close(d2);
    agg_free(one);
    agg_free(two);
    hh_free(&e1);
    for (i = 0; i < BATCH; i++) hh_free(&eb[i]);
}

static void test_load_leaves_out_the_skipped_village(void **state)
{
    agg *a = new_agg(), *with = new_agg(), *without = new_agg(), *whole = new_agg();
    sqlite3 *db;
    hh_eval e;
    uint64_t k;
    (void)state;
    hh_init(&e);
    for (k = 0; k < 200; k++) {
        add(a, &e, k);
        add(whole, &e, k);
    }
    /* a ghost household in village 119999999999 (shard.h) */
    e.view.region_code = "119999999999";
    assert_int_equal(agg_add(a, &e, HH_CAN_EXIT, 1), 0);
    db = store(a);
    load(with, db, NULL);
    load(without, db, "119999999999");
    expect_same_outputs(whole, without);
    sqlite3_close(db);
    agg_free(a);
    agg_free(with);
    agg_free(without);
    agg_free(whole);
    hh_free(&e);
}

static void test_load_refuses_counts_of_another_pipeline(void **state)
{
    static const char *const two[] = { "identity", "income" };
    agg *a = new_agg(), *other;
    sqlite3 *db;
    hh_eval e;
    char err[512];
    uint64_t k;
    (void)state;
    hh_init(&e);
    for (k = 0; k < 300; k++) add(a, &e, k);
    db = store(a);
    other = agg_new(NULL, 1, two, NULL, 2, err, sizeof err);
    assert_non_null(other);
    /* failures of stage 3 and later cannot be counts of a 2-stage pipeline */
    assert_int_equal(agg_partial_load(db, "x.sqlite", other, NULL, err, sizeof err), -1);
    assert_non_null(strstr(err, "x.sqlite"));
    sqlite3_close(db);
    agg_free(a);
    agg_free(other);
    hh_free(&e);
}

static void test_load_without_partial_tables_is_an_error(void **state)
{
    agg *a = new_agg();
    sqlite3 *db;
    char err[512];
    (void)state;
    assert_int_equal(sqlite3_open(":memory:", &db), SQLITE_OK);
    assert_int_equal(agg_partial_load(db, "old.sqlite", a, NULL, err, sizeof err), -1);
    assert_non_null(strstr(err, "old.sqlite"));
    sqlite3_close(db);
    agg_free(a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_merged_counts_equal_one_run_over_all_households),
        cmocka_unit_test(test_merged_rates_are_ratios_of_summed_counts_not_means_of_rates),
        cmocka_unit_test(test_partial_counts_do_not_depend_on_household_order),
        cmocka_unit_test(test_quality_facts_worked_out_apart_count_as_agg_add),
        cmocka_unit_test(test_load_leaves_out_the_skipped_village),
        cmocka_unit_test(test_load_refuses_counts_of_another_pipeline),
        cmocka_unit_test(test_load_without_partial_tables_is_an_error),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
