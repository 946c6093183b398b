/* agg_partial.h — the aggregation's partial counts: every counter of every
 * village (households and persons by status and assessment, exit-ready,
 * satisfaction answers, the AF sums, failures by stage and by (stage, code)),
 * stored in results.sqlite so that `tuopin merge` can add the runs of several
 * shards and recompute every region, county and AF figure exactly — sums of
 * counts, never averages of rates.  Every level above the village is a sum of
 * villages (agg_rollup), so the villages are all a merge needs. */
#ifndef TUOPIN_AGG_PARTIAL_H
#define TUOPIN_AGG_PARTIAL_H

#include <sqlite3.h>
#include <stddef.h>
#include "aggregate.h"

/* NAME: agg_partial_write
 * DESCRIPTION: creates the tables partial_villages, partial_stage_failures
 *   and partial_failures in db (inside the caller's transaction) and fills
 *   them with a's village counts.  Stages are given by pipeline position
 *   from 1.  file names the database in errors.
 * RETURN: 0, or -1 with err. */
int agg_partial_write(sqlite3 *db, const char *file, const agg *a, char *err, size_t errlen);

/* NAME: agg_partial_load
 * DESCRIPTION: adds the partial counts stored in db to a (which must not be
 *   rolled up yet, and must have the same stages, in the same order, as the
 *   run that wrote them).  A village whose code equals skip_village (may be
 *   NULL) is left out.
 * RETURN: 0, or -1 with err naming the file. */
int agg_partial_load(sqlite3 *db, const char *file, agg *a, const char *skip_village,
                     char *err, size_t errlen);

#endif
