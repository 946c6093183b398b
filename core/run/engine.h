/* engine.h — one assessment run: loads the stages, maps the header, streams
 * the input block by block through the structural checks and the stages, and
 * writes the outputs atomically. */
#ifndef TUOPIN_ENGINE_H
#define TUOPIN_ENGINE_H

#include <stddef.h>
#include <stdint.h>
#include "pipeline.h"

/* Run totals, for the closing line and for tests. */
typedef struct engine_totals {
    unsigned long long rows_read, rows_evaluated, rows_rejected;
    unsigned long long households, blocks_rejected, script_errors;
} engine_totals;

/* NAME: engine_run
 * DESCRIPTION: executes cfg.  Progress and the closing line go to stderr
 *   unless cfg->quiet.
 * RETURN: 0 when the run completed (rejected rows included), or -1 with a
 *   one-line message naming the file, line, column, stage or parameter. */
int engine_run(const run_config *cfg, engine_totals *totals, char *err, size_t errlen);

/* What a run keeps for the command after it (a history), so that nothing
 * reads the input a second time: the transfer income of every evaluated
 * household, in input order (results.sqlite's households.id − 1).  A blank
 * amount is 0 (as in the net income), one that is not an amount
 * ENGINE_TRANSFER_BAD. */
#define ENGINE_TRANSFER_BAD INT64_MIN
typedef struct engine_kept {
    int64_t *transfer;           /* owned, n of them (cents) */
    size_t n, cap;
} engine_kept;

/* NAME: engine_run_keep
 * DESCRIPTION: engine_run, also filling *keep (emptied first; free it with
 *   engine_kept_free, also after a failed run).
 * RETURN: as engine_run. */
int engine_run_keep(const run_config *cfg, engine_kept *keep, engine_totals *totals, char *err,
                    size_t errlen);

void engine_kept_free(engine_kept *keep);

/* The default number of worker threads: the number of cores online. */
size_t engine_default_jobs(void);

#endif
