/* engine.h — one assessment run: loads the stages, maps the header, streams
 * the input block by block through the structural checks and the stages, and
 * writes the outputs atomically. */
#ifndef TUOPIN_ENGINE_H
#define TUOPIN_ENGINE_H

#include <stddef.h>
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

/* The default number of worker threads: the number of cores online. */
size_t engine_default_jobs(void);

#endif
