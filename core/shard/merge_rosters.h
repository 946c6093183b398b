/* merge_rosters.h — tuopin merge's share of department rosters (standard
 * §8): every shard run loads the same rosters, so their roster_rejects.csv
 * must be the same file, copied once; rosters.csv and the households whose
 * verdict a roster changed are counts per county, added over the runs (the
 * ghosts' county left out).  Internal to merge.c. */
#ifndef TUOPIN_MERGE_ROSTERS_H
#define TUOPIN_MERGE_ROSTERS_H

#include <sqlite3.h>
#include <stddef.h>
#include "aggregate.h"
#include "output.h"
#include "rcount.h"
#include "roster.h"

typedef struct merge_rosters {
    int present;             /* the runs had rosters */
    rcount *rc;              /* owned */
    roster_set rs;           /* only its rejects are used; owned */
    char **files;            /* the rejects' file names; owned */
    size_t nfiles;
    char *rejects;           /* the first run's roster_rejects.csv; owned */
    size_t rejects_len;
    out_file o_rosters, o_rejects;
} merge_rosters;

/* NAME: mr_load
 * DESCRIPTION: reads the roster outputs of the n runs in dirs (with their
 *   open results.sqlite in dbs).  Runs without rosters.csv: nothing to do
 *   (present 0) — unless some run has it, which is an error.  ghost_county:
 *   the county code of the split's ghosts, whose counts are dropped.
 * RETURN: 0, or -1 with a message naming the folder in err. */
int mr_load(merge_rosters *s, char *const *dirs, sqlite3 *const *dbs, const char *const *db_paths,
            size_t n, const char *ghost_county, char *err, size_t errlen);

/* NAME: mr_write
 * DESCRIPTION: writes rosters.csv and roster_rejects.csv under temporary
 *   names in out_dir and hands the counts to a (agg_set_rosters), for the
 *   reports and results.sqlite.  Nothing when not present.
 * RETURN: 0, or -1 with err. */
int mr_write(merge_rosters *s, agg *a, const char *out_dir, char *err, size_t errlen);

/* Renames the two files (after mr_write).  RETURN 0 or -1 with err. */
int mr_commit(merge_rosters *s, char *err, size_t errlen);

/* Removes any temporary file and frees s. */
void mr_free(merge_rosters *s);

#endif
