/* runmeta.h — what is known about a run as a whole, for the results
 * database and the reports: where the input came from, the parameters in
 * force, the stages and the totals.  Filled by the engine; read-only for the
 * writers of summaries, reports and the database. */
#ifndef TUOPIN_RUNMETA_H
#define TUOPIN_RUNMETA_H

#include <stddef.h>
#include <time.h>
#include <tuopin/stage.h>

typedef struct run_meta {
    const char *tuopin_version;
    const char *pipeline_path;
    const char *quarter;             /* YYYYQn */
    const char *as_of;               /* YYYY-MM-DD */
    const char *input_path;          /* "-" for standard input */
    unsigned long long input_bytes;
    char input_sha256[65];           /* lowercase hex */
    size_t nstages;
    const char *const *stage_names;  /* pipeline order */
    const char *const *stage_versions;
    const tp_code_list *const *stage_codes; /* per stage, the codes it declared
                                               (their descriptions), or NULL */
    const char *const *stage_titles;    /* per stage, the English title it declared
                                           (tp_stage.title), or NULL */
    const char *const *stage_titles_zh; /* the Chinese one (tp_stage.title_zh), or NULL */
    const int *stage_roles;          /* per stage, the tp_role it declared, or NULL
                                        (every stage TP_ROLE_CHECK) */
    size_t nparams;
    const char *const *param_names;  /* every parameter in force */
    const char *const *param_values; /* as text */
    const char *const *param_origins;/* params.h's origin of each, or NULL */
    const char *const *param_owners; /* the stage that declared each, or NULL */
    const char *income_line_row;     /* the national-lines table's row for the
                                        year ("FILE:N: year,line,source,note"), or NULL */
    size_t nscript_params;           /* rule scripts' parameters as resolved */
    const char *const *sp_stage, *const *sp_name, *const *sp_value, *const *sp_origin;
    const char *input_format, *input_encoding, *input_mapping; /* as read */
    const char *input_realpath;      /* the input's absolute path, or NULL */
    /* tuopin merge: the shard runs' param_origins rows as they are (stage,
     * name, value, origin, source; instead of param_origins/owners), and
     * the split's shard inputs (region prefix, absolute path, SHA-256) */
    size_t ncopied_origins;
    const char *const *co_stage, *const *co_name, *const *co_value, *const *co_origin, *const *co_source;
    size_t nshards;
    const char *const *shard_codes, *const *shard_paths, *const *shard_shas;
    const char *history;             /* the history the run joins (output { history }),
                                        absolute, or NULL */
    int input_skip_rows;             /* -1 auto, 0 none */
    int input_seekable;              /* input_positions' offsets are the file's */
    time_t started, finished;
    unsigned long long rows_read, rows_evaluated, rows_rejected;
    unsigned long long households, blocks_rejected, script_errors;
    int has_satisfied;               /* the input has the satisfied column */
    int income_ran;                  /* a stage with the income role ran (standard §4) */
    const char *income_line;         /* the line the income stage used, yuan, or NULL */
    const char *income_line_origin;  /* where it came from: "national table",
                                        "pipeline params", "--param", "script NAME" */
    const char *below_standard;      /* --below-standard: what is below the national
                                        standard (NULL or "": the national standard) */
} run_meta;

#endif
