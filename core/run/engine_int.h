/* engine_int.h — the engine's internal state, shared by engine.c (set-up,
 * stages, parameters, outputs) and stream.c (the parallel streaming of
 * households through the stages).  Not part of any public interface. */
#ifndef TUOPIN_ENGINE_INT_H
#define TUOPIN_ENGINE_INT_H

#include <pthread.h>
#include <stdio.h>
#include <time.h>

#include "aggregate.h"
#include "block.h"
#include "csv.h"
#include "engine.h"
#include "household.h"
#include "output.h"
#include "params.h"
#include "plugin.h"
#include "rcount.h"
#include "roster.h"
#include "region_outputs.h"
#include "resultsdb.h"
#include "sbuf.h"
#include "schema.h"

struct engine;

/* One stage of the pipeline.  Stages without TP_STAGE_ORDERED get one
 * instance per worker (worker.state[i]); ordered ones have one instance
 * (shared_state), called only from the serial ordered phase. */
typedef struct stage_inst {
    const stage_spec *spec;
    plugin plug;                 /* for C stages */
    void *script;                /* lua_stage*, for rule scripts */
    const tp_stage *desc;        /* as the host reads it (a plugin's: the loader's copy) */
    const tp_stage *self;        /* as the stage made it: handed to its open() */
    tp_ctx ctx;                  /* the instances' context */
    int ordered;
    void *shared_state;
    int shared_open;
    struct engine *eng;
} stage_inst;

/* A run of consecutive household blocks, the unit of parallel work.  Chunks
 * are pooled and reused; their buffers keep their size. */
typedef enum {
    CH_FREE, CH_FILLING, CH_FILLED, CH_BUILDING, CH_BUILT, CH_ORDERING, CH_ORDERED,
    CH_CHECKING, CH_CHECKED, CH_WRITING
} chunk_state;

typedef struct chunk {
    chunk_state state;
    unsigned long long seq;      /* input order */
    size_t n, cap;               /* blocks in use / allocated */
    size_t bytes;                /* arena bytes of its blocks */
    block *blk;                  /* owned, cap of them */
    blk_verdict *verdict;
    hh_eval *ev;
    hh_assessment *assessment;
    unsigned char *ready;
    agg_qfacts *qf;              /* per household: quality facts (runs with the signals) */
    rc_facts *rf;                /* per household: rosters.csv's counts (runs with rosters) */
    const tp_household **batch;  /* cap of them: the sound households, for check_batch */
    sbuf out_hh, out_fd, out_rj;
    rid_key *keys; size_t kcap;  /* the members' roster keys (runs with rosters) */
} chunk;

typedef struct worker {
    struct engine *g;
    pthread_t thread;
    void **state;                /* per stage: this worker's instance */
    unsigned char *opened;
} worker;

typedef struct engine {
    const run_config *cfg;
    int year, as_y, as_m, as_d;
    char as_of[16];
    stage_inst *st;
    size_t nst;
    const char **stage_names;    /* owned array, borrowed strings */
    int *stage_dims;             /* owned: per stage, its AF dimension (agg_dim_names) or -1 */
    int income_stage;
    int any_ordered;
    params prm;
    schema_map map;
    struct source *src;
    const char *in_name;         /* borrowed from src */
    FILE *order_f;               /* a shard's order file (tuopin split), or NULL */
    long long in_size;           /* -1 when unknown */
    out_file out_hh, out_findings, out_rejects;
    agg *agg;                    /* counties, summary, AF view, reports */
    int quality;                 /* agg counts the village signals (agg_quality_on) */
    struct rnames *names;        /* the regions' names the outputs show (rnames.h) */
    agg_pending agg_out;         /* their files, complete but not yet renamed */
    rdb *rdb;                    /* results.sqlite */
    time_t run_started;
    textset seen;                /* household ids seen (HOUSEHOLD_SPLIT) */
    roster_set *rosters;         /* department rosters (standard §8), or NULL */
    rcount *rcount;              /* rosters.csv's counts, with rosters */
    int rosters_stage;           /* index of stage rosters, or -1 */
    out_file out_rosters, out_rrejects;
    /* The rosters' rows are read on a thread of their own while the
     * registry streams; a chunk waits for them (engine_wait_rosters) only
     * when its households are built. */
    pthread_t rthread;
    int rthread_started, rjoined;
    int rdone, rrc;              /* under rmu; rdone also read atomically */
    pthread_mutex_t rmu;
    pthread_cond_t rcv;
    char rerr[1024];
    engine_totals tot;
    engine_kept *keep;           /* borrowed: what the command keeps, or NULL */
    char below[1024];            /* --below-standard: what is below the standard, or "" */
    int refused;                 /* the run was refused as below the standard */

    /* streaming */
    pthread_mutex_t mu;
    pthread_cond_t cv;
    chunk *pool;
    size_t npool;
    worker *workers;
    size_t nworkers;
    unsigned long long next_fill, next_ordered, next_write;
    size_t unsynced;             /* bytes written since the last out_writeback */
    int done_reading, aborted;

    int progress;
    time_t started, last_progress;
    char *err;
    size_t errlen;
} engine;

extern const tp_host engine_host_table;

/* NAME: engine_open_stage
 * DESCRIPTION: opens one instance of stage s (its open(), if any).
 * RETURN: 0 with *state, or -1 with a message in msg. */
int engine_open_stage(stage_inst *s, void **state, char *msg, size_t msglen);

/* Records the first fatal error (thread-safe) and stops the run. */
int engine_fail(engine *g, const char *fmt, ...);

/* NAME: engine_shard_line
 * DESCRIPTION: for the first record of each household in input order (on
 *   line `line` of the input): what to add to the household's line numbers
 *   to name the lines of the whole input when the input is a shard that
 *   `tuopin split` wrote (its order file gives each household's first line;
 *   the rows of a household keep their lines relative to it).  0 for any
 *   other input and for a ghost. */
long engine_shard_line(engine *g, long line);

/* Waits until the rosters' rows are read.  RETURN 0, or -1 (the engine's
 * error set to the load's) when they could not be. */
int engine_wait_rosters(engine *g);

/* NAME: stream_run
 * DESCRIPTION: reads every record after the header, groups blocks, applies
 *   the structural checks, evaluates households on the worker threads and
 *   writes the three outputs in input order.
 * RETURN: 0, or -1 with the engine's error set. */
int stream_run(engine *g, size_t jobs);

#endif
