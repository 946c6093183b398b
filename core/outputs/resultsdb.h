/* resultsdb.h — results.sqlite: the whole run in one SQLite database (run,
 * parameters, stages, households, findings, rejects, regions, counties),
 * written with prepared statements in large transactions, under a temporary
 * name and renamed when complete, mode 0600.  Called from one thread, in
 * input order.  Later work (history, comparing quarters) reads it. */
#ifndef TUOPIN_RESULTSDB_H
#define TUOPIN_RESULTSDB_H

#include <stddef.h>
#include <sqlite3.h>
#include "aggregate.h"
#include "output.h"
#include "household.h"
#include "runmeta.h"

typedef struct rdb rdb;

/* RETURN: the database being written, or NULL with err. */
rdb *rdb_open(const char *out_dir, char *err, size_t errlen);

/* One evaluated household with its findings.  stage_names by index.
 * RETURN 0 or -1. */
int rdb_household(rdb *db, const hh_eval *e, hh_assessment assessment, int exit_ready,
                  const char *const *stage_names);

/* A household and its findings as stored rows, for writing a database from
 * another run's rows (tuopin merge) rather than from an evaluation. */
typedef struct rdb_finding_row {
    const char *stage, *code, *detail;
    int fail;                    /* severity fail (1) or warn (0) */
    long long member;            /* 1-based, 0 for the household */
} rdb_finding_row;

typedef struct rdb_household_row {
    const char *household_id, *region_code;
    tp_status status;
    long long members;
    int income_ok;               /* net is known (no bad income component) */
    long long net;               /* cents */
    int exit_ready;
    hh_assessment assessment;
    int satisfied;               /* 1 yes, 0 no, -1 blank, bad or no column */
    long long pos_offset, pos_line; /* where it begins in its input (input_positions);
                                       line 0: not recorded */
} rdb_household_row;

/* NAME: rdb_household_stored
 * DESCRIPTION: like rdb_household, from stored rows: the household gets the
 *   next id, its findings seq 1..nf in the order given.
 * RETURN: 0 or -1 (rdb_error). */
int rdb_household_stored(rdb *db, const rdb_household_row *h, const rdb_finding_row *f, size_t nf);

/* One rejected row.  RETURN 0 or -1. */
int rdb_reject(rdb *db, long line, const char *household_id, const char *code,
               const char *detail, const char *raw, size_t raw_len);

/* NAME: rdb_finish
 * DESCRIPTION: writes the run record, regions and counties (from a), commits
 *   and renames the file to results.sqlite.  Frees db in every case.
 * RETURN: 0, or -1 with err (the temporary file is removed). */
int rdb_finish(rdb *db, const run_meta *meta, const agg *a, char *err, size_t errlen);

/* NAME: rdb_drain
 * DESCRIPTION: stores what the database thread still has and stops it, so
 *   that the process has no thread of this module (before a fork).
 *   rdb_finish_pending does it too when it has not been done.
 * RETURN: 0, or -1 with the error in err when storing failed. */
int rdb_drain(rdb *db, char *err, size_t errlen);

/* NAME: rdb_finish_pending
 * DESCRIPTION: rdb_finish without the rename: the database is complete and
 *   closed under its temporary name.  Then rdb_commit (or rdb_abort) it.
 * RETURN: 0, or -1 with err (the temporary file is removed; still call
 *   rdb_abort to free db). */
int rdb_finish_pending(rdb *db, const run_meta *meta, const agg *a, char *err, size_t errlen);

/* Renames a finished database to results.sqlite and frees db in every case.
 * RETURN: 0, or -1 with err. */
int rdb_commit(rdb *db, char *err, size_t errlen);

/* The database's output file, for committing it with the run's other
 * outputs (out_commit_all) after rdb_finish_pending; rdb_abort still frees
 * db afterwards. */
out_file *rdb_file(rdb *db);

/* The message of the first failure of rdb_household or rdb_reject (naming
 * the file and SQLite's reason); "" when none.  Owned by db. */
const char *rdb_error(const rdb *db);

/* Removes the temporary file and frees db (on a failed run). */
void rdb_abort(rdb *db);

/* NAME: rdb_open_run
 * DESCRIPTION: opens the results.sqlite of the run folder run_dir to read
 *   (compare, history, sample, estimate).  *file gets its path (malloc'd)
 *   and *db the connection; the caller frees and closes both, also after
 *   a failure (either may be NULL).
 * RETURN: 0, or -1 with err: out of memory, no results.sqlite there (not a
 *   folder written by tuopin run), or SQLite's reason it cannot be opened. */
int rdb_open_run(const char *run_dir, sqlite3 **db, char **file, char *err, size_t errlen);

/* NAME: rdb_prepare_rows
 * DESCRIPTION: prepares "INSERT INTO table VALUES(?,…),(?,…)…" on db: rows
 *   groups of cols parameters (several rows a statement: 40% less CPU than
 *   one at a time).  Used by results.sqlite and by history add.
 * RETURN: 0, or -1 (out of memory, or SQLite's error on db). */
int rdb_prepare_rows(sqlite3 *db, const char *table, int cols, int rows, sqlite3_stmt **s);

#endif
