/* test_engine.c — the run engine (core/run) called directly: every row read
 * ends in an evaluated household or in rejects.csv (standard §1), the same
 * outputs byte for byte whatever the number of worker threads, a fatal error
 * commits no output, and the engine leaves histories to the command
 * (output { history } is carried out by `tuopin run`, not by engine_run). */
#define _POSIX_C_SOURCE 200809L
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "engine.h"
#include "tmpdir_fixture.h"
#include "i18n.h"
#include "pipeline.h"
#include "plugin.h"

/* Lines 2–3 H1 (exited, 10000 yuan of wages for 2: 5000 a head), line 4
 * H2 (poor, 1000), line 5 H3 (status 待定: BAD_STATUS, rejected), line 6 H4
 * (general, 8000). */
static const char *const QUARTER_CSV =
    "household_id,region_code,status,wage_income,operating_income,operating_cost,"
    "property_income,transfer_income\n"
    "H1,110101001001,exited,10000,0,0,0,0\n"
    "H1,110101001001,exited,10000,0,0,0,0\n"
    "H2,110101001001,poor,1000,0,0,0,0\n"
    "H3,110101001002,待定,1000,0,0,0,0\n"
    "H4,110101001002,general,8000,0,0,0,0\n";

/* the test's folder (tmpdir_fixture) */
#define dir tmpdir_path
#define put tmpdir_put
#define slurp tmpdir_slurp

static int lines(const char *s)
{
    int k = 0;
    for (; *s; s++) k += *s == '\n';
    return k;
}

static int setup(void **state)
{
    (void)state;
    if (tmpdir_setup("test_engine") < 0) return -1;
    put("in.csv", QUARTER_CSV);
    put("p.lua", "quarter \"2020Q4\"\ninput { path = \"in.csv\" }\nparams { income_line = 4000 }\n"
                 "stage \"income\"\noutput { dir = \"out\", history = \"h.sqlite\" }\n");
    put("noquarter.lua", "input { path = \"in.csv\" }\nparams { income_line = 4000 }\n"
                         "stage \"income\"\noutput { dir = \"none\" }\n");
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    return tmpdir_teardown();
}

static int run(const char *pipeline, const char *out, int jobs, engine_totals *t,
               char *err, size_t errlen)
{
    run_config cfg;
    char p[512], o[512];
    int rc;
    memset(&cfg, 0, sizeof cfg);
    snprintf(p, sizeof p, "%s/%s", dir, pipeline);
    if (pipeline_load(p, &cfg, err, errlen) < 0) return -2;
    if (out) {
        snprintf(o, sizeof o, "%s/%s", dir, out);
        free(cfg.out_dir);
        cfg.out_dir = strdup(o);
        assert_non_null(cfg.out_dir);
    }
    cfg.quiet = 1;
    cfg.jobs = jobs;
    rc = engine_run(&cfg, t, err, errlen);
    run_config_free(&cfg);
    return rc;
}

static void test_every_row_is_evaluated_or_rejected(void **state)
{
    engine_totals t;
    char err[2048], *hh, *rj;
    size_t n;
    (void)state;
    memset(&t, 0, sizeof t);
    assert_int_equal(run("p.lua", "out1", 1, &t, err, sizeof err), 0);
    assert_int_equal(t.rows_read, 5);
    assert_int_equal(t.rows_rejected, 1);
    assert_int_equal(t.rows_evaluated, 4);
    assert_int_equal(t.rows_read, t.rows_evaluated + t.rows_rejected);
    assert_int_equal(t.households, 3);
    assert_int_equal(t.blocks_rejected, 1);
    hh = slurp("out1", "households.csv", &n);
    assert_non_null(hh);
    assert_int_equal(lines(hh), 1 + 3);
    assert_non_null(strstr(hh, "\nH1,"));
    assert_non_null(strstr(hh, "\nH2,"));
    assert_non_null(strstr(hh, "\nH4,"));
    assert_null(strstr(hh, "\nH3,"));
    rj = slurp("out1", "rejects.csv", &n);
    assert_non_null(rj);
    assert_int_equal(lines(rj), 1 + 1);
    assert_non_null(strstr(rj, "\n5,H3,BAD_STATUS"));
    free(hh);
    free(rj);
}

static void test_outputs_are_the_same_for_one_and_two_workers(void **state)
{
    static const char *const files[] = {
        "households.csv", "findings.csv", "rejects.csv", "counties.csv", "summary.csv", "af.csv"
    };
    engine_totals t1, t2;
    char err[2048];
    size_t i, n1, n2;
    (void)state;
    assert_int_equal(run("p.lua", "j1", 1, &t1, err, sizeof err), 0);
    assert_int_equal(run("p.lua", "j2", 2, &t2, err, sizeof err), 0);
    assert_memory_equal(&t1, &t2, sizeof t1);
    for (i = 0; i < sizeof files / sizeof files[0]; i++) {
        char *a = slurp("j1", files[i], &n1), *b = slurp("j2", files[i], &n2);
        assert_non_null(a);
        assert_non_null(b);
        assert_int_equal(n1, n2);
        assert_memory_equal(a, b, n1);
        free(a);
        free(b);
    }
}

static void test_a_fatal_error_commits_nothing(void **state)
{
    engine_totals t;
    char err[2048], p[512];
    (void)state;
    assert_int_equal(run("noquarter.lua", NULL, 1, &t, err, sizeof err), -1);
    assert_non_null(strstr(err, "quarter"));
    snprintf(p, sizeof p, "%s/none/households.csv", dir);
    assert_int_not_equal(access(p, F_OK), 0);
}

static void test_the_engine_leaves_the_history_to_the_command(void **state)
{
    engine_totals t;
    char err[2048], p[512];
    (void)state;
    /* p.lua declares output { history = "h.sqlite" }: engine_run commits
     * the run and nothing else (tuopin run then calls history_after_run) */
    assert_int_equal(run("p.lua", "out3", 1, &t, err, sizeof err), 0);
    snprintf(p, sizeof p, "%s/h.sqlite", dir);
    assert_int_not_equal(access(p, F_OK), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_row_is_evaluated_or_rejected),
        cmocka_unit_test(test_outputs_are_the_same_for_one_and_two_workers),
        cmocka_unit_test(test_a_fatal_error_commits_nothing),
        cmocka_unit_test(test_the_engine_leaves_the_history_to_the_command),
    };
    int rc;
    if (i18n_init("en") < 0 || plugin_system_init() < 0) return 1;
    rc = cmocka_run_group_tests(tests, setup, teardown);
    plugin_system_exit();
    return rc;
}
