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
#include "params.h"
#include "runmeta.h"

typedef struct agg agg;

/* The parameters this module declares (county thresholds, AF weights and k),
 * with the standard's defaults; the engine declares them with owner
 * "counties".  Terminated by a NULL name. */
extern const tp_param_decl agg_param_decls[];

/* NAME: agg_new
 * DESCRIPTION: a new aggregation; reads its parameters from p (validated).
 *   stage_names lists the pipeline's stages in order (a dimension of §6 is
 *   the stage of the same name).
 * RETURN: the aggregation (free with agg_free), or NULL with err. */
agg *agg_new(const params *p, int has_satisfied, const char *const *stage_names,
             size_t nstages, char *err, size_t errlen);

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

#endif
