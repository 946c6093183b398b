/* test_history.c — the history store: a run folder (a results.sqlite made
 * by hand, and its input file for transfer incomes) is read into a quarter,
 * added to a history, listed, replaced whole when added again, and read
 * back; an input file that changed since the run is refused. */
#define _POSIX_C_SOURCE 200809L
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "history.h"
#include "household.h"
#include "sha256.h"
#include "tmpdir_fixture.h"

#define dir tmpdir_path   /* the test's folder (tmpdir_fixture) */

static const char input_csv[] =
    "household_id,region_code,status,wage_income,transfer_income,person_id\n"
    "H1,510000001001,exited,9000,1200.50,x\n"
    "H1,510000001001,exited,9000,1200.50,y\n"
    "H2,510000001001,poor,100,,z\n"
    "H3,110000001001,poor,100,abc,z\n";

static void sha_of(const char *s, char hex[65])
{
    sha256_ctx c;
    sha256_init(&c);
    sha256_update(&c, strlen(s), (const uint8_t *)s);
    sha256_final_hex(&c, hex);
}

/* A run folder: results.sqlite for `quarter`, with H1 exited (one fail in
 * medical), H2 poor, H3 poor with an unknown income, rejected id R1; the
 * input file, recorded with its SHA-256. */
static void make_run(const char *run, const char *quarter, int64_t h1_net)
{
    char path[512], sql[4096], hex[65], input[512];
    sqlite3 *db;
    FILE *f;
    mkdir(run, 0700);
    snprintf(input, sizeof input, "%s/input.csv", run);
    f = fopen(input, "w");
    fputs(input_csv, f);
    fclose(f);
    sha_of(input_csv, hex);
    snprintf(path, sizeof path, "%s/results.sqlite", run);
    unlink(path);
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    snprintf(sql, sizeof sql,
             "CREATE TABLE run(tuopin_version, pipeline, quarter, as_of, input_path, input_bytes, input_sha256,"
             " started, finished, rows_read, rows_evaluated, rows_rejected, households, blocks_rejected,"
             " script_errors, has_satisfied);"
             "INSERT INTO run VALUES('0.1','p.lua','%s','','%s',0,'%s','','',4,3,1,3,1,0,0);"
             "CREATE TABLE params(name, value);"
             "INSERT INTO params VALUES('income_line','4000');"
             "CREATE TABLE households(id INTEGER PRIMARY KEY, household_id, region_code, status, members,"
             " net_income_cents, income_pc_cents, exit_ready, assessment, satisfied);"
             "INSERT INTO households VALUES(1,'H1','510000001001','exited',2,%lld,0,0,'wrongly_exited',NULL);"
             "INSERT INTO households VALUES(2,'H2','510000001001','poor',1,10000,10000,0,'remains_poor',NULL);"
             "INSERT INTO households VALUES(3,'H3','110000001001','poor',1,NULL,NULL,0,'remains_poor',NULL);"
             "CREATE TABLE findings(household, seq, stage, severity, code, member, detail);"
             "INSERT INTO findings VALUES(1,1,'medical','fail','MEDICAL_UNINSURED',1,'');"
             "INSERT INTO findings VALUES(1,2,'identity','warn','ID_INVALID',1,'');"
             "INSERT INTO findings VALUES(2,1,'income','fail','INCOME_BELOW_LINE',NULL,'');"
             "INSERT INTO findings VALUES(3,1,'income','fail','BAD_VALUE',NULL,'');"
             "CREATE TABLE rejects(line, household_id, code, detail, raw);"
             "INSERT INTO rejects VALUES(9,'R1','BAD_REGION','','');",
             quarter, input, hex, (long long)h1_net);
    assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);
}

static int setup(void **state)
{
    (void)state;
    return tmpdir_setup("test_history");
}

static int teardown(void **state)
{
    (void)state;
    return tmpdir_teardown();
}

static void test_run_folder_is_read_with_transfers(void **state)
{
    char run[300], err[1024];
    qd_set s;
    qd_run_info info;
    qd_load_opts o = { .input = NULL, .no_input = 0, .quiet = 1, .who = "test" };
    const qd_rec *r;
    int qi;
    (void)state;
    snprintf(run, sizeof run, "%s/run1", dir);
    make_run(run, "2020Q3", 1800000);
    qd_init(&s);
    assert_int_equal(qd_load_run(&s, run, &o, &qi, &info, err, sizeof err), 0);
    assert_string_equal(info.quarter, "2020Q3");
    assert_string_equal(info.regions, "11+51");
    assert_int_equal(info.line, 400000);
    assert_int_equal(s.q[qi].households, 3);
    assert_int_equal(s.q[qi].rejected, 1);
    assert_true(s.q[qi].has_transfers);
    r = qd_get(&s.q[qi], (uint32_t)qd_find(&s, "H1", 2));
    assert_int_equal(r->state, QD_PRESENT);
    assert_int_equal(r->status, TP_STATUS_EXITED);
    assert_int_equal(r->assessment, HH_WRONGLY_EXITED);
    assert_int_equal(r->net, 1800000);
    assert_int_equal(r->transfer, 120050);
    assert_int_equal(r->fails, 1u << QD_DIM_MEDICAL);
    r = qd_get(&s.q[qi], (uint32_t)qd_find(&s, "H2", 2));
    assert_true(r->flags & QD_TRANSFER);           /* blank transfer counts as 0 */
    assert_int_equal(r->transfer, 0);
    r = qd_get(&s.q[qi], (uint32_t)qd_find(&s, "H3", 2));
    assert_false(r->flags & QD_NET);
    assert_false(r->flags & QD_TRANSFER);          /* a bad value stays unknown */
    r = qd_get(&s.q[qi], (uint32_t)qd_find(&s, "R1", 2));
    assert_int_equal(r->state, QD_REJECTED);
    qd_run_info_free(&info);
    qd_free(&s);
}

static void test_changed_input_is_refused(void **state)
{
    char run[300], err[1024], input[400];
    qd_set s;
    qd_run_info info;
    qd_load_opts o = { .input = NULL, .no_input = 0, .quiet = 1, .who = "test" };
    FILE *f;
    int qi;
    (void)state;
    snprintf(run, sizeof run, "%s/run2", dir);
    make_run(run, "2020Q3", 1800000);
    snprintf(input, sizeof input, "%s/input.csv", run);
    f = fopen(input, "a");
    fputs("H4,510000001001,poor,1,1,q\n", f);
    fclose(f);
    qd_init(&s);
    assert_int_equal(qd_load_run(&s, run, &o, &qi, &info, err, sizeof err), -1);
    assert_non_null(strstr(err, "changed since the run"));
    qd_run_info_free(&info);
    qd_free(&s);
    /* without the input: transfers unknown, no error */
    o.no_input = 1;
    qd_init(&s);
    assert_int_equal(qd_load_run(&s, run, &o, &qi, &info, err, sizeof err), 0);
    assert_false(s.q[qi].has_transfers);
    qd_run_info_free(&info);
    qd_free(&s);
}

static void test_not_a_run_folder(void **state)
{
    char err[1024];
    qd_set s;
    qd_run_info info;
    qd_load_opts o = { .input = NULL, .no_input = 1, .quiet = 1, .who = "test" };
    int qi;
    (void)state;
    qd_init(&s);
    assert_int_equal(qd_load_run(&s, dir, &o, &qi, &info, err, sizeof err), -1);
    assert_non_null(strstr(err, "no results.sqlite"));
    qd_run_info_free(&info);
    qd_free(&s);
}

/* Adds run (quarter, H1's net) to the history; RETURN 0 or -1. */
static int add(const char *hist, const char *quarter, int64_t h1_net, const char *regions)
{
    char run[300], err[1024];
    qd_set s;
    qd_run_info info;
    qd_load_opts o = { .input = NULL, .no_input = 0, .quiet = 1, .who = "test" };
    int qi, rc;
    snprintf(run, sizeof run, "%s/run-%s", dir, quarter);
    make_run(run, quarter, h1_net);
    qd_init(&s);
    rc = qd_load_run(&s, run, &o, &qi, &info, err, sizeof err);
    if (rc == 0) rc = hist_add_run(hist, &s, qi, &info, regions, 1, err, sizeof err);
    qd_run_info_free(&info);
    qd_free(&s);
    return rc;
}

static void test_history_holds_quarters_by_region_set(void **state)
{
    char hist[300], err[1024];
    hist_quarter *v;
    struct stat st;
    int n;
    (void)state;
    snprintf(hist, sizeof hist, "%s/h1.sqlite", dir);
    assert_int_equal(add(hist, "2020Q4", 1800000, NULL), 0);
    assert_int_equal(add(hist, "2020Q3", 1800000, NULL), 0);
    assert_int_equal(add(hist, "2020Q3", 1800000, "west"), 0);
    assert_int_equal(stat(hist, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);
    n = hist_quarters(hist, &v, err, sizeof err);
    assert_int_equal(n, 3);
    assert_string_equal(v[0].regions, "11+51");
    assert_string_equal(v[0].quarter, "2020Q3");
    assert_string_equal(v[1].quarter, "2020Q4");
    assert_string_equal(v[2].regions, "west");
    assert_int_equal(v[0].households, 3);
    assert_int_equal(v[0].rejected, 1);
    assert_true(v[0].has_transfers);
    assert_int_equal(v[0].line, 400000);
    free(v);
}

static void test_adding_a_quarter_again_replaces_it(void **state)
{
    char hist[300], err[1024];
    hist_quarter *v;
    qd_set s;
    int n, qi;
    (void)state;
    snprintf(hist, sizeof hist, "%s/h2.sqlite", dir);
    assert_int_equal(add(hist, "2020Q3", 1800000, NULL), 0);
    assert_int_equal(add(hist, "2020Q3", 2500000, NULL), 0);
    n = hist_quarters(hist, &v, err, sizeof err);
    assert_int_equal(n, 1);
    qd_init(&s);
    assert_int_equal(hist_load_quarter(&s, hist, &v[0], 1, &qi, err, sizeof err), 0);
    assert_int_equal(s.q[qi].households, 3);
    assert_int_equal(s.q[qi].rejected, 1);
    assert_int_equal(qd_get(&s.q[qi], (uint32_t)qd_find(&s, "H1", 2))->net, 2500000);
    assert_int_equal(qd_get(&s.q[qi], (uint32_t)qd_find(&s, "H1", 2))->transfer, 120050);
    assert_int_equal(qd_get(&s.q[qi], (uint32_t)qd_find(&s, "H1", 2))->fails, 1u << QD_DIM_MEDICAL);
    assert_int_equal(qd_get(&s.q[qi], (uint32_t)qd_find(&s, "R1", 2))->state, QD_REJECTED);
    assert_false(qd_get(&s.q[qi], (uint32_t)qd_find(&s, "H3", 2))->flags & QD_NET);
    qd_free(&s);
    free(v);
}

/* Failed dimensions follow what each stage declared (stage_roles), not
 * its name: a third party's stage "earnings" declaring the income
 * dimension fails the income dimension; a stage called income that
 * declares none (a rule script) is another stage. */
static void test_failed_dimensions_follow_the_declared_dimension(void **state)
{
    char run[300], path[400], err[1024];
    qd_set s;
    qd_run_info info;
    qd_load_opts o = { .input = NULL, .no_input = 1, .quiet = 1, .who = "test", .kept = NULL };
    sqlite3 *db;
    int qi;
    (void)state;
    snprintf(run, sizeof run, "%s/run-roles", dir);
    make_run(run, "2020Q3", 1800000);
    snprintf(path, sizeof path, "%s/results.sqlite", run);
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db,
        "CREATE TABLE stages(position INTEGER PRIMARY KEY, name TEXT, version TEXT);"
        "INSERT INTO stages VALUES(1,'medical','1.0'),(2,'earnings','1.0'),(3,'income','1.0');"
        "CREATE TABLE stage_roles(position INTEGER PRIMARY KEY, role TEXT NOT NULL, dimension TEXT);"
        "INSERT INTO stage_roles VALUES(1,'check','medical'),(2,'income','income'),(3,'check',NULL);"
        "UPDATE findings SET stage='earnings' WHERE household=2;", NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);
    qd_init(&s);
    assert_int_equal(qd_load_run(&s, run, &o, &qi, &info, err, sizeof err), 0);
    assert_int_equal(qd_get(&s.q[qi], (uint32_t)qd_find(&s, "H1", 2))->fails, 1u << QD_DIM_MEDICAL);
    assert_int_equal(qd_get(&s.q[qi], (uint32_t)qd_find(&s, "H2", 2))->fails, 1u << QD_DIM_INCOME);
    assert_int_equal(qd_get(&s.q[qi], (uint32_t)qd_find(&s, "H3", 2))->fails, 1u << QD_DIM_OTHER);
    qd_run_info_free(&info);
    qd_free(&s);
}

/* The run just made hands its kept transfers (engine_run_keep) to the
 * history: they are taken in households.id order and the input is not read
 * (here it is gone). */
static void test_kept_transfers_replace_the_second_read(void **state)
{
    char run[300], path[400], err[1024];
    int64_t t[3] = { 111, ENGINE_TRANSFER_BAD, 0 };
    engine_kept kept = { t, 3, 3 };
    qd_set s;
    qd_run_info info;
    qd_load_opts o = { .input = NULL, .no_input = 0, .quiet = 1, .who = "test", .kept = &kept };
    const qd_rec *r;
    int qi;
    (void)state;
    snprintf(run, sizeof run, "%s/run-kept", dir);
    make_run(run, "2020Q3", 1800000);
    snprintf(path, sizeof path, "%s/input.csv", run);
    assert_int_equal(unlink(path), 0);
    qd_init(&s);
    assert_int_equal(qd_load_run(&s, run, &o, &qi, &info, err, sizeof err), 0);
    assert_true(s.q[qi].has_transfers);
    r = qd_get(&s.q[qi], (uint32_t)qd_find(&s, "H1", 2));
    assert_true(r->flags & QD_TRANSFER);
    assert_int_equal(r->transfer, 111);
    assert_false(qd_get(&s.q[qi], (uint32_t)qd_find(&s, "H2", 2))->flags & QD_TRANSFER);
    r = qd_get(&s.q[qi], (uint32_t)qd_find(&s, "H3", 2));
    assert_true(r->flags & QD_TRANSFER);
    assert_int_equal(r->transfer, 0);
    qd_run_info_free(&info);
    qd_free(&s);
}

/* The number of the history's indexes of one household's neighbourhood. */
static int near_indexes(const char *hist)
{
    sqlite3 *db;
    sqlite3_stmt *st;
    int n = -1;
    assert_int_equal(sqlite3_open(hist, &db), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(db, "SELECT count(*) FROM sqlite_master WHERE type='index'"
                                        " AND name IN ('households_region', 'households_hid')", -1, &st, NULL),
                     SQLITE_OK);
    if (sqlite3_step(st) == SQLITE_ROW) n = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    sqlite3_close(db);
    return n;
}

static void exec_sql(const char *hist, const char *sql)
{
    sqlite3 *db;
    assert_int_equal(sqlite3_open(hist, &db), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);
}

/* Loads v's quarter near town with hid; the ids kept, in the order kept,
 * ';' between them, into out; *rejected the rejected count. */
static void near_ids(const char *hist, const hist_quarter *v, const char *town, const char *hid, char *out,
                     size_t n, unsigned long long *rejected)
{
    char err[1024];
    qd_set s;
    size_t i;
    int qi;
    qd_init(&s);
    assert_int_equal(hist_load_quarter_near(&s, hist, v, town, hid, 1, &qi, err, sizeof err), 0);
    out[0] = '\0';
    for (i = 0; i < s.nids; i++) {
        size_t k = strlen(out);
        snprintf(out + k, n - k, "%s%s", k ? ";" : "", s.ids[i]);
    }
    *rejected = s.q[qi].rejected;
    qd_free(&s);
}

/* explain's history signals read one town and one household (issue 21):
 * the history has indexes for that (tuopin history add creates them, also
 * in a history written before them), the town is the 9-digit prefix (a
 * household of the next town, 510000002, is not read; 510000001999 is),
 * the household is read wherever it is; a history without the indexes
 * gives the same rows by scanning. */
static void test_one_households_neighbourhood(void **state)
{
    char hist[300], err[1024], got[256];
    hist_quarter *v;
    unsigned long long rej;
    int pass;
    (void)state;
    snprintf(hist, sizeof hist, "%s/h4.sqlite", dir);
    assert_int_equal(add(hist, "2020Q3", 1800000, NULL), 0);
    assert_int_equal(near_indexes(hist), 2);
    exec_sql(hist, "INSERT INTO households VALUES(1,10,'H4','510000002001','evaluated','poor',1,100,0,0,"
                   "'remains_poor',1);"
                   "INSERT INTO households VALUES(1,11,'H5','510000001999','evaluated','poor',1,100,0,0,"
                   "'remains_poor',1);");
    assert_int_equal(hist_quarters(hist, &v, err, sizeof err), 1);
    for (pass = 0; pass < 2; pass++) {   /* with the indexes, then as a history written before them */
        near_ids(hist, &v[0], "510000001", "H3", got, sizeof got, &rej);
        assert_string_equal(got, "H1;H2;H3;H5");
        assert_int_equal(rej, 0);
        near_ids(hist, &v[0], "110000001", "R1", got, sizeof got, &rej);
        assert_string_equal(got, "H3;R1");
        assert_int_equal(rej, 1);
        near_ids(hist, &v[0], "510000002", "", got, sizeof got, &rej);
        assert_string_equal(got, "H4");
        if (!pass) exec_sql(hist, "DROP INDEX households_region; DROP INDEX households_hid;");
    }
    assert_int_equal(near_indexes(hist), 0);
    assert_int_equal(add(hist, "2020Q4", 1800000, NULL), 0);   /* the next add creates them */
    assert_int_equal(near_indexes(hist), 2);
    free(v);
}

static void test_missing_history_is_an_error(void **state)
{
    char hist[300], err[1024];
    hist_quarter *v;
    (void)state;
    snprintf(hist, sizeof hist, "%s/none.sqlite", dir);
    assert_int_equal(hist_quarters(hist, &v, err, sizeof err), -1);
    assert_non_null(strstr(err, "none.sqlite"));
}

static void test_pipeline_hook_adds_the_run(void **state)
{
    char hist[300], run[300], err[1024];
    run_config cfg;
    hist_quarter *v;
    (void)state;
    memset(&cfg, 0, sizeof cfg);
    snprintf(hist, sizeof hist, "%s/h3.sqlite", dir);
    snprintf(run, sizeof run, "%s/run-hook", dir);
    make_run(run, "2021Q1", 1800000);
    cfg.out_dir = run;
    cfg.quiet = 1;
    assert_int_equal(history_after_run(&cfg, NULL, err, sizeof err), 0);   /* no history declared */
    cfg.history = hist;
    assert_int_equal(history_after_run(&cfg, NULL, err, sizeof err), 0);
    assert_int_equal(hist_quarters(hist, &v, err, sizeof err), 1);
    assert_string_equal(v[0].quarter, "2021Q1");
    free(v);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_run_folder_is_read_with_transfers),
        cmocka_unit_test(test_changed_input_is_refused),
        cmocka_unit_test(test_not_a_run_folder),
        cmocka_unit_test(test_history_holds_quarters_by_region_set),
        cmocka_unit_test(test_adding_a_quarter_again_replaces_it),
        cmocka_unit_test(test_missing_history_is_an_error),
        cmocka_unit_test(test_failed_dimensions_follow_the_declared_dimension),
        cmocka_unit_test(test_kept_transfers_replace_the_second_read),
        cmocka_unit_test(test_pipeline_hook_adds_the_run),
        cmocka_unit_test(test_one_households_neighbourhood),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
