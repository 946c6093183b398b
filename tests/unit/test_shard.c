/* test_shard.c — split and merge (core/shard) called through their
 * commands' mains and the engine: a quarter of two counties split by county,
 * each shard run on its own, and the runs merged, gives the households,
 * findings, rejects, counties, summary and af files of one run of the whole
 * quarter byte for byte (docs/sharding.md); a merge that lacks a shard's run
 * is refused and writes nothing. */
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
#include "i18n.h"
#include "merge.h"
#include "pipeline.h"
#include "plugin.h"
#include "split.h"
#include "tmpdir_fixture.h"

/* Two counties (110101, 110102), a household rejected in each (BAD_STATUS,
 * a blank household_id), a county with a poor household under the line. */
static const char *const QUARTER_CSV =
    "household_id,region_code,status,wage_income,operating_income,operating_cost,"
    "property_income,transfer_income\n"
    "A1,110101001001,exited,10000,0,0,0,0\n"
    "A1,110101001001,exited,10000,0,0,0,0\n"
    "A2,110101001001,poor,1000,0,0,0,0\n"
    "A3,110101002001,待定,1000,0,0,0,0\n"
    "B1,110102001001,general,8000,0,0,0,0\n"
    "B2,110102001001,exited,3000,0,0,0,0\n"
    "B2,110102001001,exited,3000,0,0,0,0\n"
    ",110102001001,poor,1,0,0,0,0\n"
    "B3,110102003001,poor,2000,500,100,0,0\n";

/* the test's folder (tmpdir_fixture) */
#define dir tmpdir_path
#define put tmpdir_put
#define slurp tmpdir_slurp

static int setup(void **state)
{
    (void)state;
    if (tmpdir_setup("test_shard") < 0) return -1;
    put("in.csv", QUARTER_CSV);
    put("p.lua", "quarter \"2020Q4\"\ninput { path = \"in.csv\" }\nparams { income_line = 4000 }\n"
                 "stage \"income\"\noutput { dir = \"whole\" }\n");
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    return tmpdir_teardown();
}

/* Runs p.lua with input and output folder under dir (NULL: as written). */
static void run(const char *input, const char *out)
{
    run_config cfg;
    engine_totals t;
    char p[512], err[2048];
    memset(&cfg, 0, sizeof cfg);
    snprintf(p, sizeof p, "%s/p.lua", dir);
    assert_int_equal(pipeline_load(p, &cfg, err, sizeof err), 0);
    if (input) {
        free(cfg.input);
        snprintf(p, sizeof p, "%s/%s", dir, input);
        cfg.input = strdup(p);
    }
    if (out) {
        free(cfg.out_dir);
        snprintf(p, sizeof p, "%s/%s", dir, out);
        cfg.out_dir = strdup(p);
    }
    cfg.quiet = 1;
    cfg.jobs = 2;
    if (engine_run(&cfg, &t, err, sizeof err) < 0) fail_msg("run %s: %s", input ? input : "", err);
    run_config_free(&cfg);
}

static int split_merge(int with_both_runs, const char *merged)
{
    char in[512], sp[512], r1[512], r2[512], out[512];
    char *sargv[] = { (char *)"split", in, (char *)"--by=county", (char *)"--out", sp,
                      (char *)"--quiet", NULL };
    char *margv[] = { (char *)"merge", r1, r2, (char *)"--out", out, (char *)"--split", sp,
                      (char *)"--quiet", NULL };
    snprintf(in, sizeof in, "%s/in.csv", dir);
    snprintf(sp, sizeof sp, "%s/split", dir);
    snprintf(r1, sizeof r1, "%s/run-110101", dir);
    snprintf(r2, sizeof r2, "%s/run-110102", dir);
    snprintf(out, sizeof out, "%s/%s", dir, merged);
    if (access(sp, F_OK) != 0) {
        assert_int_equal(split_main(6, sargv), 0);
        run("split/county-110101.csv", "run-110101");
        run("split/county-110102.csv", "run-110102");
    }
    if (with_both_runs) return merge_main(8, margv);
    margv[2] = (char *)"--out";   /* only the first shard's run */
    margv[3] = out;
    margv[4] = (char *)"--split";
    margv[5] = sp;
    margv[6] = (char *)"--quiet";
    margv[7] = NULL;
    return merge_main(7, margv);
}

static void test_merged_shards_are_the_whole_run(void **state)
{
    static const char *const files[] = {
        "households.csv", "findings.csv", "rejects.csv", "counties.csv", "summary.csv", "af.csv"
    };
    size_t i, n1, n2;
    (void)state;
    run(NULL, NULL);
    assert_int_equal(split_merge(1, "merged"), 0);
    for (i = 0; i < sizeof files / sizeof files[0]; i++) {
        char *a = slurp("whole", files[i], &n1), *b = slurp("merged", files[i], &n2);
        assert_non_null(a);
        if (!b) fail_msg("merge wrote no %s", files[i]);
        if (n1 != n2 || memcmp(a, b, n1)) fail_msg("%s: the merge differs from the whole run", files[i]);
        free(a);
        free(b);
    }
}

static void test_a_missing_shard_run_writes_nothing(void **state)
{
    char p[512];
    (void)state;
    assert_int_equal(split_merge(0, "partial"), 1);
    snprintf(p, sizeof p, "%s/partial/households.csv", dir);
    assert_int_not_equal(access(p, F_OK), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_merged_shards_are_the_whole_run),
        cmocka_unit_test(test_a_missing_shard_run_writes_nothing),
    };
    int rc;
    if (i18n_init("en") < 0 || plugin_system_init() < 0) return 1;
    rc = cmocka_run_group_tests(tests, setup, teardown);
    plugin_system_exit();
    return rc;
}
