/* lua_stage.h — a Lua rule script as an ordinary stage.  Loading runs the
 * script once in a sandbox to read its name, version, parameters and extra
 * columns, and builds a tp_stage descriptor the engine uses like a plugin's:
 * each open() makes a fresh sandboxed Lua state (one per worker thread), and
 * check() makes one protected call per household on a reused, read-only
 * household handle whose fields are pushed only when the script reads them.
 * The script API is documented in docs/scripts.md. */
#ifndef TUOPIN_LUA_STAGE_H
#define TUOPIN_LUA_STAGE_H

#include <stddef.h>
#include "pipeline.h"
#include <tuopin/stage.h>

typedef struct lua_stage lua_stage;

/* Run-wide parameters of rule scripts, read from cfg->params by
 * lua_stage_load: script_memory_mb (memory cap of each Lua state, default
 * 64) and script_instructions (instruction budget of one call, default
 * 10000000).  The engine declares them (params_declare with this table, owner
 * "rule scripts") when a pipeline has a script stage, so that the pipeline's
 * params {} and --param accept and validate them. */
extern const tp_param_decl lua_stage_param_decls[];

/* NAME: lua_stage_load
 * DESCRIPTION: loads the rule script spec->script (spec->params: its stage {}
 *   params) for the run cfg: runs it once in a sandbox, checks the table it
 *   returns (name, check; optional version, description, params, columns),
 *   and resolves its parameters — the script's defaults, overridden by
 *   spec->params, overridden by cfg->script_params entries "NAME.KEY" —
 *   converting text to the default's type.  An override of an undeclared key
 *   or a value of the wrong type is an error naming it.  cfg->strict makes a
 *   script error stop the run (check returns -1).
 * RETURN: 0 with *out (free with lua_stage_free), or -1 with a one-line
 *   message naming the script file in err. */
int lua_stage_load(const stage_spec *spec, const run_config *cfg, lua_stage **out,
                   char *err, size_t errlen);

/* NAME: lua_stage_desc
 * DESCRIPTION: the stage descriptor (owned by ls, valid until
 *   lua_stage_free): name = the script's name, columns = its extra columns,
 *   no params (script parameters are resolved by lua_stage_load), user = ls
 *   (its open() finds the script there, so any number of scripts can be
 *   loaded).  Its open() may run on several threads at once; each instance
 *   is used by one thread at a time. */
const tp_stage *lua_stage_desc(const lua_stage *ls);

/* NAME: lua_stage_error_count
 * DESCRIPTION: households that got SCRIPT_ERROR from this script so far,
 *   over all its instances (runtime errors, budget and memory overruns).
 *   Safe to call while instances run. */
unsigned long long lua_stage_error_count(const lua_stage *ls);

/* NAME: lua_stage_income_line
 * DESCRIPTION: the script's parameter income_line, resolved (defaults, the
 *   stage's params, --param NAME.income_line), as text; the engine raises
 *   the income stage's line to it (never lowers it: standard §7).
 * RETURN: the text, or NULL when the script has no income_line. */
const char *lua_stage_income_line(const lua_stage *ls);

/* One of a script's parameters as the run resolved it. */
typedef struct lua_stage_param {
    char *name, *value;      /* value as text: 4600, 0.5, true, a string, (table) */
    const char *origin;      /* "script" (its default), "pipeline" (its stage {}
                                params) or "--param" (NAME.KEY) */
} lua_stage_param;

/* The script's parameters, sorted by name (owned by ls).  RETURN: how many. */
size_t lua_stage_params(const lua_stage *ls, const lua_stage_param **out);

/* The script's file, as given to lua_stage_load. */
const char *lua_stage_path(const lua_stage *ls);

/* NAME: lua_stage_free
 * DESCRIPTION: frees the stage.  Every instance must be closed before. */
void lua_stage_free(lua_stage *ls);

#endif
