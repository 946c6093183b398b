/* region_outputs.h — the files that show a run's regions: counties.csv,
 * summary.csv, af.csv (written here), report.html (report_html.c) and
 * report.xlsx (report_xlsx.c, in a child process), all from one aggregation
 * (core/regions), each written whole under a temporary name and renamed only
 * when all are complete (output.h). */
#ifndef TUOPIN_REGION_OUTPUTS_H
#define TUOPIN_REGION_OUTPUTS_H

#include <stddef.h>
#include "aggregate.h"
#include "output.h"
#include "runmeta.h"

/* NAME: agg_write
 * DESCRIPTION: writes counties.csv, summary.csv, af.csv, report.html,
 *   report.xlsx and (when the aggregation counts the village signals,
 *   agg_enable_quality) quality.csv into out_dir, each atomically (output.h).
 * RETURN: 0, or -1 with err naming the file. */
int agg_write(agg *a, const char *out_dir, const run_meta *meta, char *err, size_t errlen);

/* The five outputs of agg_write, written but not yet under their final
 * names, so that a run can rename every output only once all are complete
 * (nothing under a final name when any output fails). */
#define AGG_NOUTPUTS 6       /* at most: quality.csv only in runs that count it */
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

/* ---- the reports, for region_outputs.c and the tests ---------------------- */

/* Writers of the reports (report_html.c, report_xlsx.c) into a file opened
 * with out_open and not yet committed; order and corder from agg_sorted and
 * agg_codes_sorted.  RETURN 0, or -1 with err naming the file. */
int agg_write_html(const agg *a, out_file *o, const run_meta *meta, const size_t *order,
                   const size_t *corder, char *err, size_t errlen);
/* report.xlsx in a child process: started, then waited for (its error, if
 * any, in err); agg_write_xlsx does both. */
typedef struct xlsx_child { int pid, fd; } xlsx_child;
int agg_start_xlsx(const agg *a, out_file *o, const run_meta *meta, const size_t *order,
                   const size_t *corder, xlsx_child *c, char *err, size_t errlen);
int agg_wait_xlsx(xlsx_child *c, const out_file *o, char *err, size_t errlen);
int agg_write_xlsx(const agg *a, out_file *o, const run_meta *meta, const size_t *order,
                   const size_t *corder, char *err, size_t errlen);

#endif
