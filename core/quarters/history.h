/* history.h — quarters on record: reading a run folder (its results.sqlite,
 * and the transfer incomes from the input file the run read) into a
 * quarters set, the history database that keeps quarters by region set, and
 * the `tuopin history` command.  See docs/history.md. */
#ifndef TUOPIN_HISTORY_H
#define TUOPIN_HISTORY_H

#include <stddef.h>
#include "engine.h"
#include "pipeline.h"
#include "quarters.h"

/* What a run folder says about its run. */
typedef struct qd_run_info {
    char quarter[16];            /* YYYYQn as recorded */
    char regions[160];           /* region set: province codes, sorted, joined by '+' */
    char tuopin_version[32];
    char input_sha256[65];
    char finished[32];
    char *pipeline, *input_path; /* owned; may be NULL */
    char *input_used;            /* owned: the file transfers were read from, or NULL */
    int64_t line;                /* income_line of the run, cents; 0 unknown */
    char line_origin[96];        /* where the run's line came from, "" unknown */
    int below_standard;          /* the run was below the national standard */
    unsigned long long households, rejected;
    int has_transfers;
} qd_run_info;

void qd_run_info_free(qd_run_info *i);

typedef struct qd_load_opts {
    const char *input;           /* the run's input file, instead of the recorded path */
    int no_input;                /* do not read the input (transfers unknown) */
    int quiet;                   /* no progress line, no notices */
    const char *who;             /* prefix of notices ("history add") */
    const engine_kept *kept;     /* transfers the run kept (in its households' order):
                                    the input is then not read */
} qd_load_opts;

/* NAME: qd_load_run
 * DESCRIPTION: adds the run in run_dir (its results.sqlite) to s as a new
 *   quarter: every evaluated household with its status, members, net income,
 *   exit-readiness, assessment and failed dimensions, and every rejected
 *   household id.  Transfer incomes come from the run's input file (the
 *   recorded path, or o->input), checked against the recorded SHA-256; a
 *   missing input gives a notice and unknown transfers, a changed one is an
 *   error.  With o->kept (the run just made), they come from it instead and
 *   no input is read.
 * RETURN: 0 with *qi (the quarter's index) and info filled, or -1 with a
 *   one-line message naming the file. */
int qd_load_run(qd_set *s, const char *run_dir, const qd_load_opts *o, int *qi,
                qd_run_info *info, char *err, size_t errlen);

/* ---- the history database -------------------------------------------------- */

/* The history file used when none is given: $TUOPIN_HISTORY, else
 * history.sqlite in the current folder.  Static storage. */
const char *hist_default_path(void);

typedef struct hist_quarter {
    long long id;
    char regions[160];
    char quarter[16];
    unsigned long long households, rejected;
    int has_transfers;
    int64_t line;
    char input_sha256[65];       /* of the run's input, "" unknown */
} hist_quarter;

/* NAME: hist_add_run
 * DESCRIPTION: adds quarter qi of s (loaded by qd_load_run, described by
 *   info) to the history file `path` (created, mode 0600, when missing)
 *   under region set `regions` (NULL: info->regions).  An earlier entry for
 *   the same region set and quarter is replaced in the same transaction: a
 *   reader sees the old quarter or the new one, never a mix.
 * RETURN: 0, or -1 with a message naming the file. */
int hist_add_run(const char *path, const qd_set *s, int qi, const qd_run_info *info,
                 const char *regions, int quiet, char *err, size_t errlen);

/* NAME: hist_quarters
 * DESCRIPTION: the quarters a history holds, sorted by region set and
 *   quarter.  *out is malloc'd (free it).
 * RETURN: the number of quarters, or -1 with a message. */
int hist_quarters(const char *path, hist_quarter **out, char *err, size_t errlen);

/* NAME: hist_load_quarter
 * DESCRIPTION: adds history quarter `hq` (from hist_quarters) to s.
 * RETURN: 0 with *qi, or -1 with a message. */
int hist_load_quarter(qd_set *s, const char *path, const hist_quarter *hq, int quiet,
                      int *qi, char *err, size_t errlen);

/* NAME: hist_load_quarter_near
 * DESCRIPTION: hist_load_quarter, keeping only the households of one town
 *   (`town`: its 9-digit code; NULL: all) and household `hid_also` wherever
 *   it is: what the signals of one household need (every rule looks at
 *   the household, its village or its town).  Counts are of what was kept.
 * RETURN: 0 with *qi, or -1 with a message. */
int hist_load_quarter_near(qd_set *s, const char *path, const hist_quarter *hq, const char *town,
                           const char *hid_also, int quiet, int *qi, char *err, size_t errlen);

/* NAME: history_after_run
 * DESCRIPTION: what `tuopin run` does after a successful run: when the
 *   pipeline's output declared a history (output { history = "FILE" }), adds
 *   the run folder cfg->out_dir to it, with the transfers the run kept
 *   (engine_run_keep), or, when kept is NULL, reading them from cfg->input.
 *   Does nothing when no history was declared.
 * RETURN: 0, or -1 with a one-line message naming the file. */
int history_after_run(const run_config *cfg, const engine_kept *kept, char *err, size_t errlen);

/* `tuopin history add|list …`; argv[0] is "history".  RETURN the exit
 * status: 0, 1 fatal (one line on stderr), 2 usage. */
int history_main(int argc, char **argv);

#endif
