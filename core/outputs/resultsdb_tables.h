/* resultsdb_tables.h — the end-of-run tables of results.sqlite (run,
 * params, stages, regions, stage_failures, failures, af, af_dimensions,
 * counties), for resultsdb.c.  Not a public interface. */
#ifndef TUOPIN_RESULTSDB_TABLES_H
#define TUOPIN_RESULTSDB_TABLES_H

#include <sqlite3.h>
#include <stddef.h>
#include "aggregate.h"
#include "runmeta.h"

/* NAME: rdb_write_tables
 * DESCRIPTION: creates and fills the end-of-run tables inside the open
 *   transaction of db.  meta and a may be NULL (their tables stay empty).
 *   Completes a's totals (agg_rollup) when agg_write has not.
 * RETURN: 0, or -1 with err naming file and SQLite's reason. */
int rdb_write_tables(sqlite3 *db, const char *file, const run_meta *meta, const agg *a,
                     char *err, size_t errlen);

#endif
