/* aggregate.h — from evaluated households to regions and decisions: counts
 * per region at every level (province 2, city 4, county 6, town 9, village 12
 * digits of region_code), the county exit decision (standard §5) and the
 * Alkire–Foster view (standard §6).  One pass, memory bounded by the number
 * of regions.  Called from one thread, in input order.  It only counts and
 * decides: the files that show the counts (counties.csv, summary.csv, af.csv,
 * report.html, report.xlsx) are written by core/outputs (region_outputs.h). */
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
 *   stage_names lists the pipeline's stages in order; stage_dims gives each
 *   one's dimension of §6 (an index of agg_dim_names, or -1), as the stages
 *   declared it.  stage_dims NULL: a stage is the dimension of the same name
 *   (for merge, whose shard records name the stages only).
 * RETURN: the aggregation (free with agg_free), or NULL with err. */
agg *agg_new(const params *p, int has_satisfied, const char *const *stage_names,
             const int *stage_dims, size_t nstages, char *err, size_t errlen);

/* The index in agg_dim_names of the dimension called name (as results.sqlite's
 * stage_roles records it), or -1. */
int agg_dim_index(const char *name);

/* NAME: agg_add
 * DESCRIPTION: counts one evaluated household (its view, findings and
 *   verdict).  No allocation unless the household opens a new region.
 * RETURN: 0, or -1 out of memory. */
int agg_add(agg *a, const hh_eval *e, hh_assessment assessment, int exit_ready);

void agg_free(agg *a);

/* NAME: agg_enable_quality
 * DESCRIPTION: counts the village data-quality signals (docs/quality.md)
 *   from the next agg_add on, and writes quality.csv with the other
 *   outputs.  line_cents: the income line the income stage uses, or -1
 *   when the run has none (the signals on the line are then empty). */
void agg_enable_quality(agg *a, int64_t line_cents);

/* One household's share of the village quality signals (docs/quality.md),
 * worked out where the household is evaluated (any thread, in parallel) so
 * that counting it on the serial path is a few additions and one probe of
 * the village's fingerprint table. */
#define AGG_QF_MISSING_BAD 1u   /* a MISSING_VALUE or BAD_VALUE finding */
#define AGG_QF_VALID       2u   /* valid income and at least one member */
#define AGG_QF_ABOVE       4u   /* income_pc in [L, 1.05 L) */
#define AGG_QF_BELOW       8u   /* income_pc in [0.95 L, L) */
#define AGG_QF_EXITED     16u   /* status exited (counted with VALID and a line) */
typedef struct agg_qfacts {
    uint64_t fp;                /* fingerprint of the five components; 0: not all valid or all 0 */
    int64_t income_pc;          /* cents, truncated toward zero (AGG_QF_VALID) */
    unsigned char flags;        /* AGG_QF_* */
    unsigned char amounts;      /* valid non-zero components (0..5) */
    unsigned char round_amounts; /* of them whole multiples of 100 yuan */
} agg_qfacts;

/* Whether agg_enable_quality was called. */
int agg_quality_on(const agg *a);

/* NAME: agg_quality_facts
 * DESCRIPTION: fills *qf from the evaluated household e.  Reads only what
 *   agg_enable_quality set: may run on any thread while another counts. */
void agg_quality_facts(const agg *a, const hh_eval *e, agg_qfacts *qf);

/* NAME: agg_add_facts
 * DESCRIPTION: agg_add with the household's quality facts already worked
 *   out by agg_quality_facts (qf NULL: worked out here).  The counts are
 *   the same either way.
 * RETURN: 0, or -1 out of memory. */
int agg_add_facts(agg *a, const hh_eval *e, hh_assessment assessment, int exit_ready,
                  const agg_qfacts *qf);

struct rcount;
struct roster_set;
/* NAME: agg_set_rosters
 * DESCRIPTION: the department rosters' counts (sorted by rc_sorted) and the
 *   rosters with their rejected rows, for the reports and results.sqlite
 *   (standard §8).  Borrowed: they must outlive the writing.  NULL: none. */
void agg_set_rosters(agg *a, const struct rcount *rc, const struct roster_set *rs);

struct rnames;
/* NAME: agg_set_names
 * DESCRIPTION: the regions' names (rnames.h) the outputs show beside the
 *   codes.  Borrowed: they must outlive the writing.  NULL: codes only. */
void agg_set_names(agg *a, const struct rnames *names);

#endif
