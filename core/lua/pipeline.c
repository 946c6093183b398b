/* pipeline.c — pipeline files: Lua that describes a run, evaluated in a
 * sandbox whose only globals are the pipeline words. */
#define _POSIX_C_SOURCE 200809L
#include "pipeline.h"
#include "i18n.h"
#include "output.h"
#include "paths.h"
#include "sandbox.h"

#include <lauxlib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define PIPELINE_MEM_CAP (8u << 20)
#define PIPELINE_BUDGET 10000000LL

void run_config_free(run_config *cfg)
{
    size_t i;
    free(cfg->pipeline_path);
    free(cfg->quarter);
    free(cfg->input);
    free(cfg->encoding);
    free(cfg->format);
    free(cfg->mapping);
    free(cfg->pg_conninfo);
    free(cfg->pg_query);
    free(cfg->out_dir);
    free(cfg->history);
    free(cfg->region_names);
    free(cfg->id_key);
    for (i = 0; i < cfg->nrosters; i++) {
        free(cfg->rosters[i].kind);
        free(cfg->rosters[i].path);
        free(cfg->rosters[i].encoding);
        free(cfg->rosters[i].mapping);
    }
    free(cfg->rosters);
    kv_free(&cfg->params);
    kv_free(&cfg->script_params);
    for (i = 0; i < cfg->nstages; i++) {
        free(cfg->stages[i].name);
        free(cfg->stages[i].script);
        kv_free(&cfg->stages[i].params);
    }
    free(cfg->stages);
    memset(cfg, 0, sizeof *cfg);
}

static char *dup_or_null(const char *s, int *bad)
{
    char *d;
    if (!s) return NULL;
    d = strdup(s);
    if (!d) *bad = 1;
    return d;
}

int run_config_add_roster(run_config *cfg, const char *kind, const char *path,
                          const char *encoding, const char *mapping)
{
    roster_spec *nr = realloc(cfg->rosters, (cfg->nrosters + 1) * sizeof *nr), *r;
    int bad = 0;
    if (!nr) return -1;
    cfg->rosters = nr;
    r = &cfg->rosters[cfg->nrosters];
    r->kind = dup_or_null(kind, &bad);
    r->path = dup_or_null(path, &bad);
    r->encoding = dup_or_null(encoding, &bad);
    r->mapping = dup_or_null(mapping, &bad);
    cfg->nrosters++;   /* counted even when a copy failed: run_config_free frees the rest */
    return bad ? -1 : 0;
}

char *pipeline_resolve(const char *base_file, const char *rel)
{
    const char *slash;
    char *out;
    size_t dl;
    if (rel[0] == '/' || !strcmp(rel, "-") || !(slash = strrchr(base_file, '/')))
        return strdup(rel);
    dl = (size_t)(slash - base_file);
    out = malloc(dl + strlen(rel) + 2);
    if (out) {
        memcpy(out, base_file, dl);
        out[dl] = '/';
        strcpy(out + dl + 1, rel);
    }
    return out;
}

static int is_file(const char *p)
{
    struct stat st;
    return stat(p, &st) == 0 && S_ISREG(st.st_mode);
}

char *pipeline_find(const char *arg, int *found)
{
    size_t n = strlen(arg);
    int ext = n > 4 && !strcmp(arg + n - 4, ".lua");
    char name[420], *p;
    *found = 1;
    if (is_file(arg) || strchr(arg, '/') || !n || n > 400) {
        *found = is_file(arg);
        return strdup(arg);
    }
    snprintf(name, sizeof name, "%s%s", arg, ext ? "" : ".lua");
    if (is_file(name)) return strdup(name);
    /* the pipelines installed with tuopin ($(pkgdatadir)/pipelines) */
    {
        char rel[440];
        snprintf(rel, sizeof rel, "pipelines/%s", name);
        if (!(p = paths_data_file(rel))) return NULL;
        if (is_file(p)) return p;
        free(p);
    }
    *found = 0;
    return strdup(arg);
}

char *pipeline_dir(void)
{
    return paths_data_file("pipelines");
}

/* ---- the pipeline words ---------------------------------------------------- */

static run_config *cfg_of(lua_State *L)
{
    return lua_touserdata(L, lua_upvalueindex(1));
}

static void set_str(lua_State *L, char **dst, const char *v)
{
    char *s = strdup(v);
    if (!s) luaL_error(L, _("out of memory"));
    free(*dst);
    *dst = s;
}

static void set_path(lua_State *L, char **dst, const char *v)
{
    char *s = pipeline_resolve(cfg_of(L)->pipeline_path, v);
    if (!s) luaL_error(L, _("out of memory"));
    free(*dst);
    *dst = s;
}

/* A parameter value as text: numbers without float noise (0.1 → "0.1"). */
static const char *value_text(lua_State *L, int idx, const char *name, char *buf, size_t len)
{
    if (lua_isinteger(L, idx)) {
        snprintf(buf, len, "%lld", (long long)lua_tointeger(L, idx));
        return buf;
    }
    if (lua_type(L, idx) == LUA_TNUMBER) {
        snprintf(buf, len, "%.14g", (double)lua_tonumber(L, idx));
        return buf;
    }
    if (lua_type(L, idx) == LUA_TSTRING) return lua_tostring(L, idx);
    luaL_error(L, _("parameter %s: expected a number or a string, got %s"),
               name, luaL_typename(L, idx));
    return NULL;
}

static int cmp_name(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The parameters in byte order of their names: Lua visits a table's keys in
 * an order that differs from one state to the next, and which wrong value
 * or unknown name an error reports must not. */
static void read_params(lua_State *L, int idx, kv_list *dst, const char *origin)
{
    const char **names;
    size_t n = 0, i;
    luaL_checktype(L, idx, LUA_TTABLE);
    idx = lua_absindex(L, idx);
    lua_pushnil(L);
    while (lua_next(L, idx)) {
        if (lua_type(L, -2) != LUA_TSTRING)
            luaL_error(L, _("params: keys must be parameter names"));
        lua_pop(L, 1);
        n++;
    }
    /* The names point into the table's keys, which stay alive meanwhile. */
    names = lua_newuserdatauv(L, (n ? n : 1) * sizeof *names, 0);
    n = 0;
    lua_pushnil(L);
    while (lua_next(L, idx)) {
        lua_pop(L, 1);
        names[n++] = lua_tostring(L, -1);
    }
    qsort(names, n, sizeof *names, cmp_name);
    for (i = 0; i < n; i++) {
        char buf[64];
        const char *v;
        lua_getfield(L, idx, names[i]);
        v = value_text(L, -1, names[i], buf, sizeof buf);
        if (kv_set(dst, names[i], v, origin) < 0) luaL_error(L, _("out of memory"));
        lua_pop(L, 1);
    }
    lua_pop(L, 1);
}

static int w_quarter(lua_State *L)
{
    set_str(L, &cfg_of(L)->quarter, luaL_checkstring(L, 1));
    return 0;
}

/* An unknown field is an error naming the first one in byte order: Lua
 * visits a table's keys in an order that differs from one state to the
 * next, and the message must not. */
static void check_keys(lua_State *L, int idx, const char *word, const char *const *allowed)
{
    char bad[128] = "";
    int not_a_name = 0;
    lua_pushnil(L);
    while (lua_next(L, idx)) {
        int i, ok = 0;
        if (lua_type(L, -2) == LUA_TSTRING)
            for (i = 0; allowed[i]; i++)
                if (!strcmp(lua_tostring(L, -2), allowed[i])) ok = 1;
        if (!ok && lua_type(L, -2) != LUA_TSTRING)
            not_a_name = 1;
        else if (!ok && (!bad[0] || strcmp(lua_tostring(L, -2), bad) < 0))
            snprintf(bad, sizeof bad, "%s", lua_tostring(L, -2));
        lua_pop(L, 1);
    }
    if (bad[0] || not_a_name)
        luaL_error(L, _("%s: unknown field %s"), word, bad[0] ? bad : "(not a name)");
}

static int w_input(lua_State *L)
{
    static const char *const keys[] = { "path", "encoding", "format", "mapping", "skip_rows",
                                        "postgres", "query", NULL };
    run_config *c = cfg_of(L);
    int has_path, has_pg;
    luaL_checktype(L, 1, LUA_TTABLE);
    check_keys(L, 1, "input", keys);
    has_path = lua_getfield(L, 1, "path") != LUA_TNIL;
    if (has_path) set_path(L, &c->input, luaL_checkstring(L, -1));
    lua_pop(L, 1);
    if (lua_getfield(L, 1, "encoding") != LUA_TNIL) set_str(L, &c->encoding, luaL_checkstring(L, -1));
    lua_pop(L, 1);
    if (lua_getfield(L, 1, "format") != LUA_TNIL) set_str(L, &c->format, luaL_checkstring(L, -1));
    lua_pop(L, 1);
    if (lua_getfield(L, 1, "mapping") != LUA_TNIL) {
        /* A path (relative to the pipeline), or the name of a shipped mapping. */
        const char *m = luaL_checkstring(L, -1);
        size_t n = strlen(m);
        if (strchr(m, '/') || (n > 4 && !strcmp(m + n - 4, ".lua"))) set_path(L, &c->mapping, m);
        else set_str(L, &c->mapping, m);
    }
    lua_pop(L, 1);
    if (lua_getfield(L, 1, "skip_rows") != LUA_TNIL) {
        if (lua_type(L, -1) == LUA_TSTRING && !strcmp(lua_tostring(L, -1), "auto"))
            c->skip_rows = PIPELINE_SKIP_AUTO;
        else if (!lua_isinteger(L, -1) || lua_tointeger(L, -1) < 0 || lua_tointeger(L, -1) > 1000)
            return luaL_error(L, _("input: skip_rows must be a whole number of rows (0-1000) or \"auto\""));
        else
            c->skip_rows = (int)lua_tointeger(L, -1);
        c->has_skip_rows = 1;
    }
    lua_pop(L, 1);
    has_pg = lua_getfield(L, 1, "postgres") != LUA_TNIL;
    if (has_pg) set_str(L, &c->pg_conninfo, luaL_checkstring(L, -1));
    lua_pop(L, 1);
    if (lua_getfield(L, 1, "query") != LUA_TNIL) {
        if (!has_pg) return luaL_error(L, _("input: query goes with postgres = \"conninfo\""));
        set_str(L, &c->pg_query, luaL_checkstring(L, -1));
    }
    lua_pop(L, 1);
    if (has_pg) {
        if (has_path) return luaL_error(L, _("input: give either path or postgres, not both"));
        if (!c->pg_query)
            return luaL_error(L, _("input: postgres needs query = \"SELECT ... ORDER BY ...\""));
        set_str(L, &c->input, PIPELINE_PG_INPUT);
    }
    return 0;
}

/* roster { kind = "medical", path = "…", encoding = …, mapping = … }:
 * one file of a department roster (standard §8); a kind may repeat. */
static int w_roster(lua_State *L)
{
    static const char *const keys[] = { "kind", "path", "encoding", "mapping", NULL };
    run_config *c = cfg_of(L);
    char *path, *mapping = NULL;
    const char *kind, *rel, *enc = NULL, *m = NULL;
    int rc;
    luaL_checktype(L, 1, LUA_TTABLE);
    check_keys(L, 1, "roster", keys);
    /* Everything that can raise comes first: nothing allocated here leaks. */
    if (lua_getfield(L, 1, "kind") != LUA_TSTRING)
        return luaL_error(L, _("roster: expected kind = \"hukou\" | \"medical\" | \"school\" | "
                               "\"housing\" | \"assets\""));
    kind = lua_tostring(L, -1);
    if (lua_getfield(L, 1, "path") != LUA_TSTRING)
        return luaL_error(L, _("roster: expected path = \"FILE\""));
    rel = lua_tostring(L, -1);
    if (lua_getfield(L, 1, "encoding") != LUA_TNIL) enc = luaL_checkstring(L, -1);
    if (lua_getfield(L, 1, "mapping") != LUA_TNIL) m = luaL_checkstring(L, -1);
    path = pipeline_resolve(c->pipeline_path, rel);
    if (m) {
        /* A path (relative to the pipeline), or the name of a shipped mapping. */
        size_t n = strlen(m);
        mapping = strchr(m, '/') || (n > 4 && !strcmp(m + n - 4, ".lua"))
                  ? pipeline_resolve(c->pipeline_path, m) : strdup(m);
    }
    rc = !path || (m && !mapping) ? -1 : run_config_add_roster(c, kind, path, enc, mapping);
    free(path);
    free(mapping);
    if (rc < 0) return luaL_error(L, _("out of memory"));
    return 0;
}

/* id_key "FILE": rosters carry keyed hashes of IDs (standard §8.3). */
static int w_id_key(lua_State *L)
{
    set_path(L, &cfg_of(L)->id_key, luaL_checkstring(L, 1));
    return 0;
}

static int w_params(lua_State *L)
{
    read_params(L, 1, &cfg_of(L)->params, "pipeline params");
    return 0;
}

static int w_output(lua_State *L)
{
    static const char *const keys[] = { "dir", "history", "region_names", "csv_bom", NULL };
    run_config *c = cfg_of(L);
    luaL_checktype(L, 1, LUA_TTABLE);
    check_keys(L, 1, "output", keys);
    if (lua_getfield(L, 1, "dir") != LUA_TNIL) set_path(L, &c->out_dir, luaL_checkstring(L, -1));
    lua_pop(L, 1);
    /* the history database the run is added to afterwards (history_after_run) */
    if (lua_getfield(L, 1, "history") != LUA_TNIL) set_path(L, &c->history, luaL_checkstring(L, -1));
    lua_pop(L, 1);
    /* the regions' names shown beside the codes (rnames.h) */
    if (lua_getfield(L, 1, "region_names") != LUA_TNIL)
        set_path(L, &c->region_names, luaL_checkstring(L, -1));
    lua_pop(L, 1);
    /* whether the CSV outputs begin with the UTF-8 byte-order mark (output.h):
     * above the environment, below --csv-bom */
    switch (lua_getfield(L, 1, "csv_bom")) {
    case LUA_TNIL: break;
    case LUA_TBOOLEAN: out_csv_bom_set(lua_toboolean(L, -1), OUT_BOM_PIPELINE); break;
    default: return luaL_error(L, _("output: csv_bom is true or false"));
    }
    lua_pop(L, 1);
    return 0;
}

static int w_stage(lua_State *L)
{
    static const char *const keys[] = { "script", "params", NULL };
    run_config *c = cfg_of(L);
    stage_spec *ns = realloc(c->stages, (c->nstages + 1) * sizeof *ns), *s;
    if (!ns) return luaL_error(L, _("out of memory"));
    c->stages = ns;
    s = &c->stages[c->nstages];
    memset(s, 0, sizeof *s);
    if (lua_type(L, 1) == LUA_TSTRING) {
        set_str(L, &s->name, lua_tostring(L, 1));
        c->nstages++;
        return 0;
    }
    luaL_checktype(L, 1, LUA_TTABLE);
    check_keys(L, 1, "stage", keys);
    c->nstages++; /* counted now so that run_config_free frees what follows */
    if (lua_getfield(L, 1, "script") != LUA_TSTRING)
        return luaL_error(L, _("stage: expected a stage name or { script = \"...\" }"));
    set_path(L, &s->script, lua_tostring(L, -1));
    lua_pop(L, 1);
    if (lua_getfield(L, 1, "params") != LUA_TNIL) read_params(L, lua_gettop(L), &s->params, "stage params");
    lua_pop(L, 1);
    return 0;
}

static const struct { const char *name; lua_CFunction f; } words[] = {
    { "quarter", w_quarter }, { "input", w_input }, { "params", w_params },
    { "stage", w_stage }, { "output", w_output }, { "roster", w_roster }, { "id_key", w_id_key }
};

/* Called protected with (cfg, chunk): makes the chunk's only upvalue, _ENV,
 * a table holding just the words.  Protected because an allocation that
 * fails outside a protected call would abort the process. */
static int set_words(lua_State *L)
{
    size_t i;
    lua_newtable(L);
    for (i = 0; i < sizeof words / sizeof words[0]; i++) {
        lua_pushvalue(L, 1);
        lua_pushcclosure(L, words[i].f, 1);
        lua_setfield(L, -2, words[i].name);
    }
    lua_setupvalue(L, 2, 1);
    return 0;
}

static int pipeline_load_file(const char *path, run_config *cfg, char *err, size_t errlen);

int pipeline_load(const char *arg, run_config *cfg, char *err, size_t errlen)
{
    int rc, found;
    char *path = pipeline_find(arg, &found);
    if (!path) {
        snprintf(err, errlen, _("out of memory"));
        return -1;
    }
    if (!found && !strchr(arg, '/')) {
        /* a bare name: say where it was looked for */
        char *dir = pipeline_dir();
        size_t n = strlen(arg);
        snprintf(err, errlen, _("%s: no such pipeline: not a file, and no %s%s here or in %s"), arg, arg,
                 n > 4 && !strcmp(arg + n - 4, ".lua") ? "" : ".lua", dir ? dir : "?");
        free(dir);
        free(path);
        return -1;
    }
    rc = pipeline_load_file(path, cfg, err, errlen);
    free(path);
    return rc;
}

static int pipeline_load_file(const char *path, run_config *cfg, char *err, size_t errlen)
{
    lua_State *L = sbx_new(PIPELINE_MEM_CAP, PIPELINE_BUDGET, 0);
    int rc;
    if (!L) {
        snprintf(err, errlen, _("%s: out of memory"), path);
        return -1;
    }
    cfg->pipeline_path = strdup(path);
    if (!cfg->pipeline_path) {
        sbx_close(L);
        snprintf(err, errlen, _("out of memory"));
        return -1;
    }
    rc = sbx_loadfile(L, path);
    if (rc == LUA_OK) {
        lua_pushcfunction(L, set_words);
        lua_pushlightuserdata(L, cfg);
        lua_pushvalue(L, -3);
        rc = lua_pcall(L, 2, 0, 0);
    }
    if (rc == LUA_OK) rc = sbx_pcall(L, 0, 0);
    if (rc != LUA_OK) {
        const char *msg = lua_tostring(L, -1);
        /* Lua names the chunk "path:line:"; a load error for a missing file
         * says "cannot open path". */
        if (msg && !strncmp(msg, path, strlen(path)))
            snprintf(err, errlen, "%s", msg);
        else
            snprintf(err, errlen, "%s: %s", path, msg ? msg : "error");
        /* error("a\nb") in a pipeline must not break the one-line rule. */
        {
            char *c;
            for (c = err; *c; c++)
                if (*c == '\n' || *c == '\r') *c = ' ';
        }
        sbx_close(L);
        return -1;
    }
    sbx_close(L);
    return 0;
}
