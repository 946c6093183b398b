/* test_resultsdb.c — results.sqlite: households, findings and rejects stream
 * in, the run record, regions and counties are written at the end, and the
 * file appears under its final name, owner-only, only when complete. */
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
#include <sys/stat.h>
#include <unistd.h>

#include "aggregate.h"
#include "resultsdb.h"

static const char *const stages[] = { "income", "medical" };

static void cleanup_dir(const char *dir)
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
}

static size_t entries(const char *dir)
{
    DIR *d = opendir(dir);
    struct dirent *de;
    size_t n = 0;
    while (d && (de = readdir(d)))
        n += !(de->d_name[0] == '.' && (!de->d_name[1] || de->d_name[1] == '.'));
    if (d) closedir(d);
    return n;
}

static void household(hh_eval *e, const char *id, const char *region, tp_status st, size_t members,
                      int64_t net, int fail_medical)
{
    memset(&e->view, 0, sizeof e->view);
    e->view.household_id = id;
    e->view.region_code = region;
    e->view.status = st;
    e->view.n_members = members;
    e->view.satisfied.state = TP_OK;
    e->view.satisfied.value = 1;
    e->income_ok = 1;
    e->net = net;
    e->nf = 0;
    e->tlen = 0;
    if (fail_medical) {
        e->cur_stage = 1;
        assert_int_equal(hh_add_finding(e, TP_FAIL, "MEDICAL_UNINSURED", 2, "第2人未参加基本医疗保险", NULL), 0);
    }
}

static long long query_int(sqlite3 *db, const char *sql)
{
    sqlite3_stmt *s;
    long long v;
    assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &s, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(s), SQLITE_ROW);
    v = sqlite3_column_int64(s, 0);
    sqlite3_finalize(s);
    return v;
}

static char *query_text(sqlite3 *db, const char *sql)
{
    sqlite3_stmt *s;
    char *v;
    assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &s, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(s), SQLITE_ROW);
    v = strdup(sqlite3_column_text(s, 0) ? (const char *)sqlite3_column_text(s, 0) : "(null)");
    sqlite3_finalize(s);
    return v;
}

static void expect_text(sqlite3 *db, const char *sql, const char *want)
{
    char *got = query_text(db, sql);
    assert_string_equal(got, want);
    free(got);
}

static void test_whole_run_is_stored_and_queryable(void **state)
{
    char dir[] = "/tmp/test_resultsdb.XXXXXX", err[512], path[600];
    static const char *const pn[] = { "income_line", "incidence_max" };
    static const char *const pv[] = { "4000.00", "0.02" };
    static const char *const sv[] = { "1.0", "1.0" };
    hh_eval e;
    agg *a;
    rdb *db;
    run_meta m;
    sqlite3 *q;
    struct stat st;
    (void)state;
    assert_non_null(mkdtemp(dir));
    hh_init(&e);
    a = agg_new(NULL, 1, stages, NULL, 2, err, sizeof err);
    assert_non_null(a);
    db = rdb_open(dir, err, sizeof err);
    assert_non_null(db);

    household(&e, "H1", "330102001001", TP_STATUS_EXITED, 3, 1200001, 1);
    assert_int_equal(agg_add(a, &e, HH_WRONGLY_EXITED, 0), 0);
    assert_int_equal(rdb_household(db, &e, HH_WRONGLY_EXITED, 0, stages), 0);
    household(&e, "H2", "330102001002", TP_STATUS_GENERAL, 2, 1000000, 0);
    assert_int_equal(agg_add(a, &e, HH_NOT_POOR, 1), 0);
    assert_int_equal(rdb_household(db, &e, HH_NOT_POOR, 1, stages), 0);
    assert_int_equal(rdb_reject(db, 7, "H3", "ROW_FIELD_COUNT", "3 fields", "H3,a,b", 6), 0);
    assert_int_equal(rdb_reject(db, 8, "H3", "ROW_ENCODING", "bad", "H3,\xff", 4), 0);
    /* nothing under the final name while the run goes on */
    snprintf(path, sizeof path, "%s/results.sqlite", dir);
    assert_int_not_equal(access(path, F_OK), 0);

    memset(&m, 0, sizeof m);
    m.tuopin_version = "fixture";
    m.pipeline_path = "examples/national.lua";
    m.quarter = "2020Q3";
    m.as_of = "2020-09-30";
    m.input_path = "quarter.csv";
    m.input_bytes = 1234;
    strcpy(m.input_sha256, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    m.nstages = 2;
    m.stage_names = stages;
    m.income_ran = 1;
    m.stage_versions = sv;
    m.nparams = 2;
    m.param_names = pn;
    m.param_values = pv;
    m.started = 1600000000;
    m.finished = 1600000060;
    m.rows_read = 7; m.rows_evaluated = 5; m.rows_rejected = 2; m.households = 2; m.blocks_rejected = 1;
    m.has_satisfied = 1;
    assert_int_equal(rdb_finish(db, &m, a, err, sizeof err), 0);

    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);
    assert_int_equal(entries(dir), 1);  /* no temporary file left */

    assert_int_equal(sqlite3_open_v2(path, &q, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    assert_int_equal(query_int(q, "SELECT count(*) FROM households"), 2);
    assert_int_equal(query_int(q, "SELECT income_pc_cents FROM households WHERE household_id='H1'"), 400000);
    expect_text(q, "SELECT assessment FROM households WHERE id=1", "wrongly_exited");
    expect_text(q, "SELECT f.code || '/' || f.stage || '/' || f.member FROM findings f "
                   "JOIN households h ON h.id = f.household WHERE h.household_id='H1'",
                "MEDICAL_UNINSURED/medical/2");
    assert_int_equal(query_int(q, "SELECT count(*) FROM rejects"), 2);
    expect_text(q, "SELECT typeof(raw) FROM rejects WHERE line=8", "blob");
    expect_text(q, "SELECT raw FROM rejects WHERE line=7", "H3,a,b");
    expect_text(q, "SELECT input_sha256 || ' ' || started || ' ' || rows_read FROM run",
                "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad 2020-09-13T12:26:40Z 7");
    expect_text(q, "SELECT value FROM params WHERE name='income_line'", "4000.00");
    expect_text(q, "SELECT name || ' ' || version FROM stages WHERE position=2", "medical 1.0");
    expect_text(q, "SELECT decision || ' ' || reasons FROM counties WHERE county_code='330102'",
                "fails INCIDENCE_HIGH;WRONG_EXIT_HIGH");
    assert_int_equal(query_int(q, "SELECT persons FROM regions WHERE level='national'"), 5);
    assert_int_equal(query_int(q, "SELECT count(*) FROM regions"), 7);
    assert_int_equal(query_int(q, "SELECT households FROM failures WHERE level='county' "
                                  "AND finding_code='MEDICAL_UNINSURED'"), 1);
    sqlite3_close(q);
    agg_free(a);
    hh_free(&e);
    cleanup_dir(dir);
}

static void test_abort_leaves_nothing(void **state)
{
    char dir[] = "/tmp/test_resultsdb.XXXXXX", err[256];
    rdb *db;
    (void)state;
    assert_non_null(mkdtemp(dir));
    db = rdb_open(dir, err, sizeof err);
    assert_non_null(db);
    assert_int_equal(rdb_reject(db, 2, "", "BAD_HOUSEHOLD_ID", "", ",x", 2), 0);
    rdb_abort(db);
    assert_int_equal(entries(dir), 0);
    cleanup_dir(dir);
}

static void test_unwritable_folder_names_the_file(void **state)
{
    char err[512];
    (void)state;
    assert_null(rdb_open("/nonexistent-folder", err, sizeof err));
    assert_non_null(strstr(err, "results.sqlite"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_whole_run_is_stored_and_queryable),
        cmocka_unit_test(test_abort_leaves_nothing),
        cmocka_unit_test(test_unwritable_folder_names_the_file),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
