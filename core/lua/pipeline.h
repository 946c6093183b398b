/* pipeline.h — reading a pipeline file: a Lua file evaluated in a sandbox
 * that offers only the pipeline words (quarter, input, params, stage,
 * output).  The result is a run_config the engine executes. */
#ifndef TUOPIN_PIPELINE_H
#define TUOPIN_PIPELINE_H

#include <stddef.h>

#include "kv.h"

typedef struct stage_spec {
    char *name;      /* C stage name, or NULL for a script */
    char *script;    /* script path (resolved), or NULL */
    kv_list params;  /* a script's params from its stage {} entry */
} stage_spec;

/* A department roster file (standard §8): roster { kind = …, path = … }
 * or --roster KIND=FILE. */
typedef struct roster_spec {
    char *kind;      /* as given; checked by the run */
    char *path;      /* resolved */
    char *encoding;  /* or NULL: utf-8 */
    char *mapping;   /* resolved path or a shipped mapping's name, or NULL */
} roster_spec;

/* cfg->input of a PostgreSQL input (input { postgres = …, query = … }); an
 * --input FILE given on the command line replaces it. */
#define PIPELINE_PG_INPUT "postgresql"
/* skip_rows = "auto": drop records until one looks like a header. */
#define PIPELINE_SKIP_AUTO (-2)

typedef struct run_config {
    char *pipeline_path;
    char *quarter;
    char *input;      /* resolved path, or "-", or PIPELINE_PG_INPUT */
    char *encoding;
    char *format;     /* "csv", "jsonl", or NULL: by the input's extension */
    char *mapping;    /* mapping file (resolved) or a shipped mapping's name */
    char *pg_conninfo;/* PostgreSQL input: libpq conninfo and query */
    char *pg_query;
    int skip_rows;    /* records above the header to drop, or PIPELINE_SKIP_AUTO,
                         when has_skip_rows */
    int has_skip_rows;
    char *out_dir;
    kv_list params;   /* pipeline-wide params {} then plain --param */
    kv_list script_params; /* --param NAME.KEY=VALUE */
    stage_spec *stages;
    size_t nstages;
    int quiet, strict, jobs;
    int keep_going;   /* --keep-going: no stop for a script failing on its first households */
    int reveal_ids;   /* findings show resident IDs in full */
    int below_standard; /* --below-standard: a line or threshold below the
                           national standard is allowed, and every output says so */
    char *history;    /* output { history = "FILE" }: resolved path, or NULL */
    char *region_names; /* output { region_names = "FILE" } / --region-names: the
                           regions' names (rnames.h), resolved path, or NULL */
    roster_spec *rosters; /* in the order given */
    size_t nrosters;
    char *id_key;     /* id_key "FILE" / --id-key: resolved path, or NULL */
} run_config;

/* Adds a roster to cfg (copies of the strings; encoding and mapping may be
 * NULL).  RETURN 0 or -1 (out of memory). */
int run_config_add_roster(run_config *cfg, const char *kind, const char *path,
                          const char *encoding, const char *mapping);

/* NAME: pipeline_load
 * DESCRIPTION: evaluates the pipeline file into cfg (zeroed by the caller).
 *   path is a file, or a bare name found by pipeline_find (`tuopin run
 *   national`); cfg->pipeline_path is the file found.
 * RETURN: 0, or -1 with a one-line message naming the file and line (for a
 *   name found nowhere, the places looked in). */
int pipeline_load(const char *path, run_config *cfg, char *err, size_t errlen);

void run_config_free(run_config *cfg);

/* NAME: pipeline_find
 * DESCRIPTION: the file a pipeline argument names: arg itself when it is a
 *   file or holds a '/'; for a bare name (national, national.lua), NAME.lua
 *   in the current folder, then in the pipelines installed with tuopin
 *   (pipeline_dir).  *found says whether a file was found.
 * RETURN: a new string (arg itself when nothing was found), or NULL (out of
 *   memory). */
char *pipeline_find(const char *arg, int *found);

/* The folder of the pipelines installed with tuopin: $(pkgdatadir)/pipelines,
 * or the source tree's data/pipelines when uninstalled (paths.h).  Owned by
 * the caller; NULL when out of memory. */
char *pipeline_dir(void);

/* Resolves rel against the folder of base_file (absolute rel unchanged).
 * RETURN: a new string, or NULL. */
char *pipeline_resolve(const char *base_file, const char *rel);

#endif
