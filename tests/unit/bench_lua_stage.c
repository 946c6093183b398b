/* bench_lua_stage.c — the per-household cost of a rule script: one
 * instance checks the same household of three over and over through the
 * test host, as a run's worker does through the engine (one protected call
 * per household on the reused handle).  A benchmark, not a test: built by
 * `make check`, run by hand:
 *
 *     tests/unit/bench_lua_stage [CALLS] [SCRIPT...]
 *
 * Without scripts it measures a script that does nothing, one that reads
 * the usual fields, and scripts/provinces/example_income.lua (found through
 * $abs_top_srcdir, else the current folder). */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "lua_stage.h"
#include "testhost.h"

static const char *const trivial =
    "return { name = 'trivial', check = function(hh, params) end }\n";

static const char *const reads =
    "return { name = 'reads', columns = { 'stable_job' }, check = function(hh, params)\n"
    "  local pc, st = hh.income_pc, hh.status\n"
    "  local n = 0\n"
    "  for i, m in hh:members() do\n"
    "    if m.age and m.age >= 16 and m.stable_job == '是' then n = n + 1 end\n"
    "  end\n"
    "  if pc and pc < 1 then hh:warn('NEVER', '') end\n"
    "end }\n";

static char *write_tmp(const char *name, const char *text)
{
    char *path = malloc(256);
    FILE *f;
    snprintf(path, 256, "/tmp/tuopin-bench-%ld-%s.lua", (long)getpid(), name);
    f = fopen(path, "w");
    if (!f) { perror(path); exit(1); }
    fputs(text, f);
    fclose(f);
    return path;
}

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

static void bench(const char *path, long calls)
{
    stage_spec spec;
    lua_stage *ls;
    const tp_stage *d;
    const char *const *col;
    th_case *c = th_new(2020, 12, 31);
    void *st = NULL;
    char err[1024];
    double t0, t;
    long i;

    memset(&spec, 0, sizeof spec);
    spec.script = (char *)path;
    if (lua_stage_load(&spec, NULL, &ls, err, sizeof err) < 0) {
        fprintf(stderr, "%s\n", err);
        exit(1);
    }
    d = lua_stage_desc(ls);
    th_set(c, "status", "poor");
    th_set(c, "wage_income", "15000");
    th_set(c, "transfer_income", "1200.50");
    for (i = 0; i < 3; i++) th_add_member(c);
    th_set_member(c, 0, "birth_date", "1960-01-01");
    th_set_member(c, 1, "birth_date", "1985-05-05");
    th_set_member(c, 1, "stable_job", "是");
    th_set_member(c, 2, "birth_date", "2012-09-09");
    for (col = d->columns; col && *col; col++) th_add_column(c, *col);
    if (th_build(c) < 0 || th_open(c, d, &st, err, sizeof err) < 0) {
        fprintf(stderr, "%s: %s\n", path, th_error(c)[0] ? th_error(c) : err);
        exit(1);
    }
    t0 = now();
    for (i = 0; i < calls; i++) {
        if (d->check(st, th_view(c)) < 0) {
            fprintf(stderr, "%s: check failed\n", path);
            exit(1);
        }
        th_clear_findings(c);
    }
    t = now() - t0;
    printf("%-16s %ld households in %.3f s: %.0f households/s, %.0f ns each, %llu script errors\n",
           d->name, calls, t, (double)calls / t, t * 1e9 / (double)calls,
           lua_stage_error_count(ls));
    d->close(st);
    lua_stage_free(ls);
    th_free(c);
}

int main(int argc, char **argv)
{
    long calls = argc > 1 ? atol(argv[1]) : 1000000;
    int i;
    if (calls <= 0) {
        fprintf(stderr, "usage: bench_lua_stage [CALLS] [SCRIPT...]\n");
        return 2;
    }
    if (argc > 2) {
        for (i = 2; i < argc; i++) bench(argv[i], calls);
    } else {
        const char *src = getenv("abs_top_srcdir");
        char example[1024];
        char *a = write_tmp("trivial", trivial), *b = write_tmp("reads", reads);
        bench(a, calls);
        bench(b, calls);
        snprintf(example, sizeof example, "%s/scripts/provinces/example_income.lua", src ? src : ".");
        bench(example, calls);
        remove(a);
        remove(b);
        free(a);
        free(b);
    }
    return 0;
}
