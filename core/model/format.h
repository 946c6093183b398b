/* format.h — the rows of households.csv, findings.csv and rejects.csv, as
 * docs/outputs.md words them, formatted into buffers so that
 * worker threads do the formatting and the writer only copies bytes. */
#ifndef TUOPIN_FORMAT_H
#define TUOPIN_FORMAT_H

#include "block.h"
#include "household.h"
#include "sbuf.h"

extern const char fmt_households_header[], fmt_findings_header[], fmt_rejects_header[];

/* NAME: fmt_household
 * DESCRIPTION: appends the household's row to hh and its findings to fd, in
 *   stage order then order of occurrence.  income_stage is the pipeline index
 *   of `income` or -1 (then income_pc is blank). */
void fmt_household(sbuf *hh, sbuf *fd, const hh_eval *e, hh_assessment a, int exit_ready,
                   int income_stage, const char *const *stage_names, size_t nstages);

/* NAME: fmt_rejects
 * DESCRIPTION: appends one rejects.csv row per row of a rejected block, with
 *   a bilingual detail; bytes that are not UTF-8 in the raw record are
 *   written as \xNN so that the file stays valid UTF-8. */
void fmt_rejects(sbuf *rj, const block *b, const blk_verdict *v, size_t header_fields);

/* The detail of row r's reject code (for the results database as well).
 * HOUSEHOLD_INCOMPLETE names the household's faulty line and its code. */
void fmt_reject_detail(char *buf, size_t len, const block *b, size_t r, const blk_verdict *v,
                       size_t header_fields);

#endif
