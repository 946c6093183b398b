/* aggregate.h — from evaluated households to regions and decisions: counts
 * per region at every level (province 2, city 4, county 6, town 9, village 12
 * digits of region_code), the county exit decision (standard §5) and the
 * Alkire–Foster view (standard §6).  One pass, memory bounded by the number
 * of regions.  Writes counties.csv, summary.csv (and af.csv), report.html
 * and report.xlsx.  Called from one thread, in input order. */
#ifndef TUOPIN_AGGREGATE_H
#define TUOPIN_AGGREGATE_H

#include <stddef.h>
#include "household.h"
#include "output.h"
#include "params.h"
#include "runmeta.h"

typedef struct agg agg;

/* The parameters this module declares (county thresholds, AF weights and k),
 * with the standard's defaults; the engine declares them with owner
 * "counties".  Terminated by a NULL name. */
extern const tp_param_decl agg_param_decls[];

/* NAME: agg_new
 * DESCRIPTION: a new aggregation; reads its parameters from p (validated).
 *   stage_names lists the pipeline's stages in order; stage_dims gives each
 *   one's dimension of §6 (an index of agg_dim_names, or -1), as the stages
 *   declared it.  stage_dims NULL: a stage is the dimension of the same name
 *   (for merge, whose shard records name the stages only).
 * RETURN: the aggregation (free with agg_free), or NULL with err. */
agg *agg_new(const params *p, int has_satisfied, const char *const *stage_names,
             const int *stage_dims, size_t nstages, char *err, size_t errlen);

/* NAME: agg_add
 * DESCRIPTION: counts one evaluated household (its view, findings and
 *   verdict).  No allocation unless the household opens a new region.
 * RETURN: 0, or -1 out of memory. */
int agg_add(agg *a, const hh_eval *e, hh_assessment assessment, int exit_ready);

/* NAME: agg_write
 * DESCRIPTION: writes counties.csv, summary.csv, af.csv, report.html and
 *   report.xlsx into out_dir, each atomically (output.h).
 * RETURN: 0, or -1 with err naming the file. */
int agg_write(agg *a, const char *out_dir, const run_meta *meta, char *err, size_t errlen);

void agg_free(agg *a);

struct rcount;
struct roster_set;
/* NAME: agg_set_rosters
 * DESCRIPTION: the department rosters' counts (sorted by rc_sorted) and the
 *   rosters with their rejected rows, for the reports and results.sqlite
 *   (standard §8).  Borrowed: they must outlive the writing.  NULL: none. */
void agg_set_rosters(agg *a, const struct rcount *rc, const struct roster_set *rs);

/* The five outputs of agg_write, written but not yet under their final
 * names, so that a run can rename every output only once all are complete
 * (nothing under a final name when any output fails). */
#define AGG_NOUTPUTS 5
typedef struct agg_pending {
    out_file f[AGG_NOUTPUTS];
    size_t n;                 /* files written */
} agg_pending;

/* NAME: agg_write_pending
 * DESCRIPTION: writes counties.csv, summary.csv, af.csv, report.html and
 *   report.xlsx under temporary names in out_dir (output.h), complete and
 *   flushed; renames nothing.  meta may be NULL (reports then omit the run
 *   record).  agg_write is agg_write_pending then agg_commit_pending.
 * RETURN: 0 (commit or abort p later), or -1 with err naming the file (the
 *   temporary files are removed). */
int agg_write_pending(agg *a, const char *out_dir, const run_meta *meta, agg_pending *p,
                      char *err, size_t errlen);

/* Renames every pending file to its final name.  RETURN 0, or -1 with err
 * (the files not yet renamed are removed). */
int agg_commit_pending(agg_pending *p, char *err, size_t errlen);

/* NAME: agg_write_pending_then
 * DESCRIPTION: agg_write_pending, calling after_fork(ctx) (when not NULL)
 *   once report.xlsx's child process has been started, and not at all when
 *   it could not be.  A caller that wants another thread to work meanwhile
 *   starts it there: a fork while another thread may hold a library's lock
 *   (gettext's, for one) leaves the child waiting on it forever.
 * RETURN: as agg_write_pending. */
int agg_write_pending_then(agg *a, const char *out_dir, const run_meta *meta, agg_pending *p,
                           void (*after_fork)(void *), void *ctx, char *err, size_t errlen);

/* Removes the pending files (safe after a failed agg_write_pending). */
void agg_abort_pending(agg_pending *p);

#endif
