/* agg_fixture.c — writes counties.csv, summary.csv, af.csv, report.html,
 * report.xlsx and results.sqlite for a fixed, hand-built set of evaluated
 * households into the folder given as argument, without the engine, so that
 * the report tests (tests/e2e/report_html.sh, report_xlsx.sh) can check the
 * documents on their own.  Household ids, names and person ids are planted
 * with a marker ("PERSONAL") that must never reach the reports. */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aggregate.h"
#include "region_outputs.h"
#include "resultsdb.h"

static const char *const stages[] = {
    "identity", "income", "food_clothing", "education", "medical", "housing", "water"
};
#define NST 7

typedef struct spec {
    const char *region;
    tp_status st;
    size_t members;
    hh_assessment as;
    int sat;              /* -1 blank, 0 no, 1 yes */
    const char *fails;    /* "stage:CODE stage:CODE" */
    int count;
} spec;

/* One county per decision: meets, fails for each reason, incomplete. */
static const spec households[] = {
    /* 330102 meets */
    { "330102001001", TP_STATUS_EXITED, 3, HH_EXIT_CONFIRMED, 1, "", 40 },
    { "330102001002", TP_STATUS_GENERAL, 4, HH_NOT_POOR, 1, "", 20 },
    { "330102002001", TP_STATUS_POOR, 2, HH_CAN_EXIT, 1, "identity:ID_INVALID", 10 },
    /* 341523 fails: incidence and wrong exits */
    { "341523001001", TP_STATUS_EXITED, 3, HH_WRONGLY_EXITED, 1, "income:INCOME_BELOW_LINE water:WATER_UNSAFE", 4 },
    { "341523001001", TP_STATUS_EXITED, 3, HH_EXIT_CONFIRMED, 1, "", 30 },
    { "341523001002", TP_STATUS_GENERAL, 2, HH_NOT_POOR, 1, "", 20 },
    /* 410526 fails: missed */
    { "410526001001", TP_STATUS_GENERAL, 2, HH_MISSED, 1, "income:INCOME_BELOW_LINE", 2 },
    { "410526001001", TP_STATUS_GENERAL, 2, HH_NOT_POOR, 1, "", 60 },
    { "410526001002", TP_STATUS_EXITED, 3, HH_EXIT_CONFIRMED, 1, "", 50 },
    /* 522631 fails: satisfaction (western) */
    { "522631001001", TP_STATUS_EXITED, 4, HH_EXIT_CONFIRMED, 0, "", 10 },
    { "522631001001", TP_STATUS_EXITED, 4, HH_EXIT_CONFIRMED, 1, "", 20 },
    { "522631001002", TP_STATUS_GENERAL, 3, HH_NOT_POOR, 1, "", 10 },
    /* 530102 fails: incidence (western) with education and medical failures */
    { "530102001001", TP_STATUS_POOR, 5, HH_REMAINS_POOR, 1,
      "education:SCHOOL_DROPOUT medical:MEDICAL_UNINSURED housing:HOUSING_UNSAFE", 6 },
    { "530102001001", TP_STATUS_EXITED, 3, HH_EXIT_CONFIRMED, 1, "", 30 },
    { "530102001002", TP_STATUS_GENERAL, 3, HH_NOT_POOR, -1, "", 30 },
    /* 450102 incomplete: no general households */
    { "450102001001", TP_STATUS_EXITED, 3, HH_EXIT_CONFIRMED, 1, "", 25 },
    { "450102001001", TP_STATUS_POOR, 2, HH_CAN_EXIT, 1, "", 5 },
    /* 612324 incomplete: no exited households */
    { "612324001001", TP_STATUS_GENERAL, 3, HH_NOT_POOR, 1, "", 25 },
    { "612324001001", TP_STATUS_GENERAL, 3, HH_UNVERIFIED, 1, "income:BAD_VALUE", 2 },
};

int main(int argc, char **argv)
{
    static const char *const pn[] = { "income_line", "incidence_max" };
    static const char *const pv[] = { "4000.00", "0.02" };
    static const char *const sv[] = { "1", "1", "1", "1", "1", "1", "1" };
    char err[1024], hid[64];
    hh_eval e;
    agg *a;
    rdb *db;
    run_meta m;
    size_t i;
    int k;
    unsigned long long n = 0, rows = 0;

    if (argc != 2) {
        fprintf(stderr, "usage: agg_fixture OUT_DIR\n");
        return 2;
    }
    hh_init(&e);
    a = agg_new(NULL, 1, stages, NULL, NST, err, sizeof err);
    db = a ? rdb_open(argv[1], err, sizeof err) : NULL;
    if (!a || !db) { fprintf(stderr, "agg_fixture: %s\n", err); return 1; }
    for (i = 0; i < sizeof households / sizeof households[0]; i++) {
        const spec *s = &households[i];
        for (k = 0; k < s->count; k++) {
            char fails[256], *tok, *save = NULL;
            snprintf(hid, sizeof hid, "PERSONAL-H%06llu", ++n);
            memset(&e.view, 0, sizeof e.view);
            e.view.household_id = hid;
            e.view.region_code = s->region;
            e.view.status = s->st;
            e.view.n_members = s->members;
            e.view.satisfied.state = s->sat < 0 ? TP_MISSING : TP_OK;
            e.view.satisfied.value = s->sat == 1;
            e.income_ok = 1;
            e.net = 500000 * (int64_t)s->members;
            e.nf = 0;
            e.tlen = 0;
            snprintf(fails, sizeof fails, "%s", s->fails);
            for (tok = strtok_r(fails, " ", &save); tok; tok = strtok_r(NULL, " ", &save)) {
                char *colon = strchr(tok, ':');
                size_t st;
                *colon = '\0';
                for (st = 0; st < NST && strcmp(stages[st], tok); st++) ;
                e.cur_stage = (int)st;
                hh_add_finding(&e, !strcmp(tok, "identity") ? TP_WARN : TP_FAIL, colon + 1, 1,
                               "PERSONAL detail 张三", NULL);
            }
            rows += s->members;
            if (agg_add(a, &e, s->as, s->as == HH_CAN_EXIT || s->as == HH_EXIT_CONFIRMED
                                      || s->as == HH_NOT_POOR) < 0
                || rdb_household(db, &e, s->as, 1, stages) < 0) {
                fprintf(stderr, "agg_fixture: cannot add a household\n");
                return 1;
            }
        }
    }
    rdb_reject(db, 2, "PERSONAL-REJECT", "ROW_FIELD_COUNT", "PERSONAL", "PERSONAL,张三", strlen("PERSONAL,张三"));

    memset(&m, 0, sizeof m);
    m.tuopin_version = "fixture";
    m.pipeline_path = "national.lua";
    m.quarter = "2020Q3";
    m.as_of = "2020-09-30";
    m.input_path = "/data/fixture.csv";
    m.input_bytes = 1;
    strcpy(m.input_sha256, "0000000000000000000000000000000000000000000000000000000000000000");
    m.nstages = NST;
    m.stage_names = stages;
    m.income_ran = 1;
    m.stage_versions = sv;
    m.nparams = 2;
    m.param_names = pn;
    m.param_values = pv;
    m.started = 1600000000;
    m.finished = 1600000001;
    m.rows_read = rows + 1;
    m.rows_evaluated = rows;
    m.rows_rejected = 1;
    m.households = n;
    m.blocks_rejected = 1;
    m.has_satisfied = 1;
    /* The database's thread stopped before agg_write forks the workbook's
     * writer, as a run does (rdb_drain): a thread inside malloc at the fork
     * leaves the child an allocator lock no one releases (the sanitizers'
     * allocator has no fork handler; it hung report_xlsx.sh once). */
    if (rdb_drain(db, err, sizeof err) < 0 || agg_write(a, argv[1], &m, err, sizeof err) < 0
        || rdb_finish(db, &m, a, err, sizeof err) < 0) {
        fprintf(stderr, "agg_fixture: %s\n", err);
        return 1;
    }
    agg_free(a);
    hh_free(&e);
    return 0;
}
