/* lua_stage.c — rule scripts as stages: loading the script and resolving
 * its parameters, the tp_stage descriptor, and one sandboxed Lua state per
 * instance with one protected call per household.  The household handle the
 * script sees is in lua_handle.c. */
#define _POSIX_C_SOURCE 200809L
#include "lua_stage.h"
#include "i18n.h"
#include "lua_handle.h"
#include "messages.h"
#include "sandbox.h"
#include "schema.h"
#include "suggest.h"
#include "values.h"

#include <lauxlib.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A script failing on each of its first RUNAWAY_AFTER households stops the
 * run (docs/scripts.md), naming its most common error among RUNAWAY_KINDS
 * kinds. */
#define RUNAWAY_AFTER 100
#define RUNAWAY_KINDS 8

typedef struct ls_override {
    char *key;
    int type;                /* LUA_TNUMBER, LUA_TSTRING or LUA_TBOOLEAN */
    int is_int;
    lua_Integer i;
    lua_Number d;
    char *s;
} ls_override;

struct lua_stage {
    tp_stage desc;
    char *path;              /* as given */
    char *chunkname;         /* base name, for messages of running instances */
    char *name, *version, *description;
    char **columns;          /* NULL-terminated, owned */
    size_t ncolumns;
    ls_override *ov;         /* resolved overrides of the defaults, owned */
    size_t nov;
    lua_stage_param *pl;     /* every parameter as resolved, sorted by name, owned */
    size_t npl;
    size_t mem_cap;
    long long budget;
    int strict;
    char line[64];           /* its income_line as text (standard §7), or "" */
    int keep_going;
    _Atomic unsigned long long errors;
    _Atomic unsigned long long ok;     /* households checked without error */
    pthread_mutex_t mu;                /* guards the error tally below */
    struct { char msg[200]; unsigned n; } tally[RUNAWAY_KINDS];
    int ntally;
    _Atomic int stopped;
};

/* One instance: a Lua state used by one thread at a time.  Its stack holds
 * [1] the check function and [2] the read-only params between calls.  The
 * handle's state comes first: the Lua state's extra space points to it. */
typedef struct ls_inst {
    lh_call call;
    lua_stage *ls;
    lua_State *L;
    int year, month, day;
} ls_inst;

/* The extra space points to in->call, the first member: that is in. */
#define INST(L) (*(ls_inst **)lua_getextraspace(L))

const tp_param_decl lua_stage_param_decls[] = {
    { .name = "script_memory_mb", .type = TP_PARAM_INT, .default_value = "64", .min = "1",
      .max = "16384", .description = "memory cap of each rule-script Lua state, in MiB" },
    { .name = "script_instructions", .type = TP_PARAM_INT, .default_value = "1000000",
      .min = "1000", .max = "1000000000000",
      .description = "instruction budget of one rule-script call (one household)" },
    { .name = NULL }
};

/* ---- small helpers ------------------------------------------------------ */

static const char *base_name(const char *path)
{
    const char *s = strrchr(path, '/');
    return s ? s + 1 : path;
}

/* A Lua error message about the script file, with the chunk name replaced
 * by the path the user gave ("example.lua:3: x" → "scripts/example.lua:3: x"). */
static void frame_lua(char *msg, size_t len);

static void script_message(const lua_stage *ls, const char *msg, char *err, size_t errlen)
{
    size_t n = strlen(ls->chunkname);
    if (!msg) msg = _("(error object is not a string)");
    if (!strncmp(msg, ls->chunkname, n) && msg[n] == ':')
        snprintf(err, errlen, "%s%s", ls->path, msg + n);
    else if (!strncmp(msg, ls->path, strlen(ls->path)))
        snprintf(err, errlen, "%s", msg);
    else
        snprintf(err, errlen, "%s: %s", ls->path, msg);
    frame_lua(err, errlen);
    /* error("a\nb") at load time must not break the one-line rule. */
    for (; *err; err++)
        if (*err == '\n' || *err == '\r') *err = ' ';
}

/* Lua's own error messages are English: in Chinese runs they are framed
 * as such ("Lua 错误（原文）：…"), so that no half-English line reaches the
 * user unexplained.  Messages of tuopin's own (translated) are left alone;
 * a message in pure ASCII is taken as Lua's. */
static void frame_lua(char *msg, size_t len)
{
    static const char pre[] = "Lua 错误（原文）：";
    const char *p;
    char *at = msg;
    size_t n;
    /* only when tuopin's own messages are Chinese (the catalogue is bound):
     * then a message in pure ASCII is Lua's */
    if (!i18n_chinese() || !msg[0] || !strcmp(_("out of memory"), "out of memory")) return;
    for (p = msg; *p; p++)
        if ((unsigned char)*p >= 0x80) return;
    /* after "file:line: ", so that the message still starts with the file */
    for (p = msg; *p; p++)
        if (p[0] == ':' && p[1] >= '0' && p[1] <= '9') {
            const char *q = p + 1;
            while (*q >= '0' && *q <= '9') q++;
            if (q[0] == ':' && q[1] == ' ') { at = (char *)q + 2; break; }
        }
    n = strlen(at);
    if ((size_t)(at - msg) + n + sizeof pre > len) {
        if ((size_t)(at - msg) + sizeof pre >= len) return;
        n = len - (size_t)(at - msg) - sizeof pre;
    }
    memmove(at + sizeof pre - 1, at, n);
    memcpy(at, pre, sizeof pre - 1);
    at[n + sizeof pre - 1] = '\0';
}

static const char *error_text(lua_State *L, int idx)
{
    int t = lua_type(L, idx);
    if (t == LUA_TSTRING || t == LUA_TNUMBER) return lua_tostring(L, idx);
    return NULL;
}

/* ---- loading ----------------------------------------------------------------- */

typedef struct load_ctx {
    lua_stage *ls;
    const stage_spec *spec;
    const run_config *cfg;
} load_ctx;

static int name_valid(const char *s)
{
    static const char *const national[] = {
        "identity", "income", "food_clothing", "education", "medical", "housing", "water", NULL
    };
    size_t n = strlen(s), i;
    if (n == 0 || n > 64) return 0;
    for (i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c <= ' ' || c == 0x7F || c == '.' || c == ',' || c == '"' || c == ';' || c == '=')
            return 0;
    }
    for (i = 0; national[i]; i++)
        if (!strcmp(s, national[i])) return 0;
    return 1;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Pushes the declared keys of the defaults table at idx, sorted and joined
 * by ", ", for messages. */
static void push_declared(lua_State *L, int idx)
{
    luaL_Buffer b;
    const char **names;
    int n = 0, i, t;
    lua_newtable(L);
    t = lua_gettop(L);
    lua_pushnil(L);
    while (lua_next(L, idx)) {
        lua_pop(L, 1);
        if (lua_type(L, -1) == LUA_TSTRING) {
            lua_pushvalue(L, -1);
            lua_rawseti(L, t, ++n);
        }
    }
    if (n == 0) {
        lua_pushstring(L, _("no parameters"));
        lua_replace(L, t);
        return;
    }
    names = lua_newuserdatauv(L, (size_t)n * sizeof *names, 0);
    for (i = 0; i < n; i++) {
        lua_rawgeti(L, t, i + 1);
        names[i] = lua_tostring(L, -1);   /* kept alive by the table at t */
        lua_pop(L, 1);
    }
    qsort(names, (size_t)n, sizeof *names, cmp_str);
    luaL_buffinit(L, &b);
    for (i = 0; i < n; i++) {
        if (i) luaL_addstring(&b, ", ");
        luaL_addstring(&b, names[i]);
    }
    luaL_pushresult(&b);
    lua_replace(L, t);
    lua_settop(L, t);
}

static void set_override(lua_State *L, lua_stage *ls, const char *key, const ls_override *v)
{
    size_t i;
    ls_override *o = NULL;
    for (i = 0; i < ls->nov; i++)
        if (!strcmp(ls->ov[i].key, key)) o = &ls->ov[i];
    if (!o) {
        ls_override *n = realloc(ls->ov, (ls->nov + 1) * sizeof *n);
        if (!n) sbx_raise(L, _("out of memory"));
        ls->ov = n;
        o = &ls->ov[ls->nov];
        memset(o, 0, sizeof *o);
        o->key = sbx_strdup(L, key);
        ls->nov++;
    }
    free(o->s);
    o->s = NULL;
    o->type = v->type;
    o->is_int = v->is_int;
    o->i = v->i;
    o->d = v->d;
    if (v->s) o->s = sbx_strdup(L, v->s);
}

/* Applies one override given as text, typed like the default in the
 * defaults table at pidx.  where: "stage params" or "--param NAME.KEY". */
static void apply_override(lua_State *L, lua_stage *ls, int pidx, const char *key,
                           const char *text, const char *where)
{
    ls_override v;
    size_t tlen;
    const char *t = val_trim(text, strlen(text), &tlen);
    int dt;
    memset(&v, 0, sizeof v);
    lua_pushstring(L, key);
    dt = lua_rawget(L, pidx);
    lua_pop(L, 1);
    if (dt == LUA_TNIL) {
        push_declared(L, pidx);
        sbx_raise(L, _("unknown parameter %s (in %s): the script declares %s"), key, where,
              lua_tostring(L, -1));
    }
    lua_pushlstring(L, t, tlen);
    t = lua_tostring(L, -1);
    v.type = dt;
    switch (dt) {
    case LUA_TNUMBER:
        if (tlen == 0 || lua_stringtonumber(L, t) == 0)
            sbx_raise(L, _("parameter %s (in %s): \"%s\" is not a number"), key, where, t);
        v.is_int = lua_isinteger(L, -1);
        if (v.is_int) v.i = lua_tointeger(L, -1);
        else v.d = lua_tonumber(L, -1);
        lua_pop(L, 1);
        break;
    case LUA_TSTRING:
        v.s = (char *)text;
        break;
    case LUA_TBOOLEAN: {
        tp_yesno y = val_yesno(t);
        if (y.state != TP_OK) {
            if (!strcmp(t, "true") || !strcmp(t, "false")) y.value = t[0] == 't';
            else sbx_raise(L, _("parameter %s (in %s): \"%s\" is not true or false"), key, where, t);
        }
        v.i = y.value;
        break;
    }
    default:
        sbx_raise(L, _("parameter %s (in %s) cannot be set: its default is a %s"), key, where,
              lua_typename(L, dt));
    }
    set_override(L, ls, key, &v);
    lua_pop(L, 1);
}

/* Refuses keys of the script's table (at 1) other than the six it may
 * have: a misspelt `colums` or `paramz` would otherwise be ignored, and the
 * column never checked or the defaults never set.  Every unknown key is
 * named, in sbx_sorted_keys' order, each with the closest known key. */
static void check_table_keys(lua_State *L)
{
    static const char *const known[] = {
        "name", "version", "description", "params", "columns", "check", NULL
    };
    lua_Integer nk = sbx_sorted_keys(L, 1), ki;
    int kt = lua_gettop(L), bad = 0, i;
    luaL_Buffer b;
    luaL_buffinit(L, &b);
    for (ki = 1; ki <= nk; ki++) {
        const char *k, *best = NULL;
        size_t best_d = (size_t)-1;
        char item[300];
        int ok = 0;
        lua_rawgeti(L, kt, ki);
        k = lua_type(L, -1) == LUA_TSTRING ? lua_tostring(L, -1) : NULL;
        for (i = 0; k && known[i]; i++) {
            if (!strcmp(k, known[i])) ok = 1;
            best = sg_better(k, known[i], best, &best_d);
        }
        if (!ok) {
            if (!k) snprintf(item, sizeof item, "%s", _("a key that is not a name"));
            else if (best) snprintf(item, sizeof item, _("'%.200s' (did you mean '%s'?)"), k, best);
            else snprintf(item, sizeof item, "'%.200s'", k);
            lua_pop(L, 1);
            if (bad++) luaL_addstring(&b, _(", "));
            luaL_addstring(&b, item);
        } else {
            lua_pop(L, 1);
        }
    }
    if (bad) {
        luaL_pushresult(&b);
        sbx_raise(L, _("unknown key in the script's table: %s (the keys are name, version, description, "
                       "params, columns and check)"), lua_tostring(L, -1));
    }
    luaL_pushresult(&b);
    lua_pop(L, 2);
}

/* Protected: the resolved parameters (defaults table at pidx, overrides in
 * ls->ov) into ls->pl, each with the value as text and where it came from,
 * for the run record (`tuopin explain` shows them). */
static void list_params(lua_State *L, load_ctx *c, int pidx)
{
    lua_stage *ls = c->ls;
    lua_Integer nk = sbx_sorted_keys(L, pidx), ki;
    int kt = lua_gettop(L);
    size_t nl = strlen(ls->name), i;
    ls->pl = calloc((size_t)nk + 1, sizeof *ls->pl);
    if (!ls->pl) sbx_raise(L, _("out of memory"));
    for (ki = 1; ki <= nk; ki++) {
        lua_stage_param *p = &ls->pl[ls->npl];
        const ls_override *o = NULL;
        const char *k;
        char buf[64];
        int vt = sbx_sorted_entry(L, kt, ki, pidx);
        k = lua_tostring(L, -2);
        p->name = sbx_strdup(L, k);
        ls->npl++;
        for (i = 0; i < ls->nov; i++)
            if (!strcmp(ls->ov[i].key, k)) o = &ls->ov[i];
        p->origin = "script";
        for (i = 0; i < c->spec->params.n; i++)
            if (!strcmp(c->spec->params.items[i].key, k)) p->origin = "pipeline";
        if (c->cfg)
            for (i = 0; i < c->cfg->script_params.n; i++) {
                const char *key = c->cfg->script_params.items[i].key;
                if (!strncmp(key, ls->name, nl) && key[nl] == '.' && !strcmp(key + nl + 1, k))
                    p->origin = "--param";
            }
        if (o) vt = o->type;
        if (vt == LUA_TNUMBER && (o ? o->is_int : lua_isinteger(L, -1)))
            snprintf(buf, sizeof buf, "%lld", (long long)(o ? o->i : lua_tointeger(L, -1)));
        else if (vt == LUA_TNUMBER)
            snprintf(buf, sizeof buf, "%.15g", (double)(o ? o->d : lua_tonumber(L, -1)));
        else if (vt == LUA_TBOOLEAN)
            snprintf(buf, sizeof buf, "%s", (o ? o->i : lua_toboolean(L, -1)) ? "true" : "false");
        else if (vt == LUA_TTABLE)
            snprintf(buf, sizeof buf, "%s", "(table)");
        else
            buf[0] = '\0';
        p->value = sbx_strdup(L, vt == LUA_TSTRING ? (o ? o->s : lua_tostring(L, -1)) : buf);
        lua_pop(L, 2);
    }
    lua_settop(L, kt - 1);
}

/* Protected: reads the script's table (argument 1) into the lua_stage. */
static int meta_read(lua_State *L)
{
    load_ctx *c = lua_touserdata(L, lua_upvalueindex(1));
    lua_stage *ls = c->ls;
    int t, pidx;
    size_t i, n;

    if (!lua_istable(L, 1))
        return sbx_raise(L, _("the script must return a table (name, check, ...), not %s"),
                     luaL_typename(L, 1));
    check_table_keys(L);
    if (lua_getfield(L, 1, "name") != LUA_TSTRING)
        return sbx_raise(L, _("the returned table needs name = \"...\" (a string)"));
    if (!name_valid(lua_tostring(L, -1)))
        return sbx_raise(L, _("name \"%s\" is not allowed: 1 to 64 bytes without spaces, dots, commas, "
                     "quotes, ';' or '=', and not the name of a national stage"), lua_tostring(L, -1));
    ls->name = sbx_strdup(L, lua_tostring(L, -1));
    lua_pop(L, 1);

    t = lua_getfield(L, 1, "version");
    if (t != LUA_TNIL && t != LUA_TSTRING && t != LUA_TNUMBER)
        return sbx_raise(L, _("version must be a string"));
    ls->version = sbx_strdup(L, t == LUA_TNIL ? "" : lua_tostring(L, -1));
    lua_pop(L, 1);
    t = lua_getfield(L, 1, "description");
    if (t != LUA_TNIL && t != LUA_TSTRING)
        return sbx_raise(L, _("description must be a string"));
    if (t == LUA_TSTRING) ls->description = sbx_strdup(L, lua_tostring(L, -1));
    lua_pop(L, 1);

    if (lua_getfield(L, 1, "check") != LUA_TFUNCTION)
        return sbx_raise(L, _("check must be a function(hh, params), not %s"), luaL_typename(L, -1));
    lua_pop(L, 1);

    t = lua_getfield(L, 1, "columns");
    n = 0;
    if (t == LUA_TTABLE) n = (size_t)luaL_len(L, -1);
    else if (t != LUA_TNIL) return sbx_raise(L, _("columns must be a list of column names"));
    ls->columns = calloc(n + 1, sizeof *ls->columns);
    if (!ls->columns) return sbx_raise(L, _("out of memory"));
    for (i = 0; i < n; i++) {
        if (lua_geti(L, -1, (lua_Integer)i + 1) != LUA_TSTRING || !lua_tostring(L, -1)[0])
            return sbx_raise(L, _("columns[%d] must be a column name"), (int)i + 1);
        ls->columns[i] = sbx_strdup(L, lua_tostring(L, -1));
        ls->ncolumns = i + 1;
        lua_pop(L, 1);
    }
    lua_pop(L, 1);

    t = lua_getfield(L, 1, "params");
    if (t == LUA_TNIL) {
        lua_pop(L, 1);
        lua_newtable(L);
    } else if (t != LUA_TTABLE) {
        return sbx_raise(L, _("params must be a table of defaults"));
    }
    pidx = lua_gettop(L);
    {
        /* In sbx_sorted_keys' order, so that a script with two faults is
         * refused with the same message every time. */
        lua_Integer nk = sbx_sorted_keys(L, pidx), ki;
        int kt = lua_gettop(L);
        for (ki = 1; ki <= nk; ki++) {
            const char *k;
            int vt;
            vt = sbx_sorted_entry(L, kt, ki, pidx);
            if (lua_type(L, -2) != LUA_TSTRING) return sbx_raise(L, _("params: keys must be names"));
            k = lua_tostring(L, -2);
            if (!strcmp(k, "year") || !strcmp(k, "as_of") || !strcmp(k, "quarter"))
                return sbx_raise(L, _("params.%s is set by tuopin (year, as_of and quarter are reserved)"), k);
            if (vt != LUA_TNUMBER && vt != LUA_TSTRING && vt != LUA_TBOOLEAN && vt != LUA_TTABLE)
                return sbx_raise(L, _("params.%s: a default must be a number, string, boolean or table"), k);
            lua_pop(L, 2);
        }
        lua_pop(L, 1);
    }

    for (i = 0; i < c->spec->params.n; i++)
        apply_override(L, ls, pidx, c->spec->params.items[i].key, c->spec->params.items[i].value,
                       _("the stage's params"));
    if (c->cfg) {
        size_t nl = strlen(ls->name);
        for (i = 0; i < c->cfg->script_params.n; i++) {
            const kv *p = &c->cfg->script_params.items[i];
            char where[160];
            if (strncmp(p->key, ls->name, nl) || p->key[nl] != '.') continue;
            snprintf(where, sizeof where, "--param %s", p->key);
            apply_override(L, ls, pidx, p->key + nl + 1, p->value, where);
        }
    }
    list_params(L, c, pidx);
    /* A parameter income_line is the province's line: the engine raises the
     * income stage's line to it (standard §7, docs/scripts.md §4). */
    lua_pushstring(L, "income_line");
    t = lua_rawget(L, pidx);
    if (t != LUA_TNIL) {
        const ls_override *o = NULL;
        for (i = 0; i < ls->nov; i++)
            if (!strcmp(ls->ov[i].key, "income_line")) o = &ls->ov[i];
        if (o && o->type == LUA_TNUMBER && o->is_int)
            snprintf(ls->line, sizeof ls->line, "%lld", (long long)o->i);
        else if (o && o->type == LUA_TNUMBER)
            snprintf(ls->line, sizeof ls->line, "%.15g", (double)o->d);
        else if (o && o->type == LUA_TSTRING)
            snprintf(ls->line, sizeof ls->line, "%s", o->s);
        else if (t == LUA_TNUMBER && lua_isinteger(L, -1))
            snprintf(ls->line, sizeof ls->line, "%lld", (long long)lua_tointeger(L, -1));
        else if (t == LUA_TNUMBER)
            snprintf(ls->line, sizeof ls->line, "%.15g", (double)lua_tonumber(L, -1));
        else if (t == LUA_TSTRING)
            snprintf(ls->line, sizeof ls->line, "%s", lua_tostring(L, -1));
        else
            return sbx_raise(L, _("params.income_line is the province's poverty line: it must be an "
                              "amount in yuan, not a %s"), lua_typename(L, t));
    }
    lua_pop(L, 1);
    return 0;
}

/* ---- instances ------------------------------------------------------------ */

/* Protected: from the script's table (argument 1), leaves check and the
 * read-only params; installs the handle. */
static int inst_setup(lua_State *L)
{
    ls_inst *in = INST(L);
    const lua_stage *ls = in->ls;
    char buf[32];
    size_t i;

    if (!lua_istable(L, 1)) return sbx_raise(L, _("the script no longer returns a table"));
    if (lua_getfield(L, 1, "name") != LUA_TSTRING || strcmp(lua_tostring(L, -1), ls->name))
        return sbx_raise(L, _("the script changed since the run started (its name is no longer %s)"),
                     ls->name);
    lua_pop(L, 1);
    if (lua_getfield(L, 1, "check") != LUA_TFUNCTION)                 /* 2 */
        return sbx_raise(L, _("check must be a function(hh, params)"));

    lua_newtable(L);                                                   /* 3: params */
    if (lua_getfield(L, 1, "params") == LUA_TTABLE) {
        lua_pushnil(L);
        while (lua_next(L, 4)) {
            lua_pushvalue(L, -2);
            lua_insert(L, -2);
            lua_rawset(L, 3);
        }
    }
    lua_pop(L, 1);
    for (i = 0; i < ls->nov; i++) {
        const ls_override *o = &ls->ov[i];
        lua_pushstring(L, o->key);
        if (o->type == LUA_TNUMBER && o->is_int) lua_pushinteger(L, o->i);
        else if (o->type == LUA_TNUMBER) lua_pushnumber(L, o->d);
        else if (o->type == LUA_TBOOLEAN) lua_pushboolean(L, (int)o->i);
        else lua_pushstring(L, o->s);
        lua_rawset(L, 3);
    }
    lua_pushinteger(L, in->year);
    lua_setfield(L, 3, "year");
    snprintf(buf, sizeof buf, "%04d-%02d-%02d", in->year % 10000, in->month % 100, in->day % 100);
    lua_pushstring(L, buf);
    lua_setfield(L, 3, "as_of");
    snprintf(buf, sizeof buf, "%04dQ%d", in->year % 10000, (in->month + 2) / 3);
    lua_pushstring(L, buf);
    lua_setfield(L, 3, "quarter");

    /* Read-only, nested tables too; then the script's globals and every
     * table reachable from them (docs/scripts.md §6): nothing a household
     * could leave behind for the next one. */
    sbx_freeze(L, 3, SBX_FROZEN_PARAMS);
    lua_pushvalue(L, 3);                                               /* 4: params */

    lh_install(L, (const char *const *)ls->columns);
    lua_pushglobaltable(L);
    sbx_freeze(L, -1, SBX_FROZEN_GLOBALS);
    lua_pop(L, 1);

    lua_pushvalue(L, 2);
    lua_pushvalue(L, 4);
    return 2;
}

static void inst_stop(ls_inst *in)
{
    sbx_close(in->L);
    in->L = NULL;
}

/* Makes the instance's state: runs the script, leaves [check, params]. */
static int inst_start(ls_inst *in, char *err, size_t errlen)
{
    const lua_stage *ls = in->ls;
    lua_State *L = sbx_new(ls->mem_cap, ls->budget, 1);
    int rc;
    if (!L) {
        snprintf(err, errlen, _("%s: out of memory"), ls->path);
        return -1;
    }
    lh_attach(L, &in->call);
    in->L = L;
    rc = sbx_loadfile_as(L, ls->path, ls->chunkname);
    if (rc == LUA_OK) rc = sbx_pcall(L, 0, 1);
    if (rc == LUA_OK) {
        lua_pushcfunction(L, inst_setup);
        lua_insert(L, -2);
        rc = sbx_pcall(L, 1, 2);
    }
    if (rc != LUA_OK) {
        script_message(ls, error_text(L, -1), err, errlen);
        inst_stop(in);
        return -1;
    }
    return 0;
}

/* open(): the script is the descriptor's user pointer. */
static int ls_open(const tp_stage *self, void *user, const tp_host *host, tp_ctx *host_ctx,
                   void **state, char *err, size_t errlen)
{
    lua_stage *ls = user;
    ls_inst *in;
    (void)self;
    in = calloc(1, sizeof *in);
    if (!in) {
        snprintf(err, errlen, _("out of memory"));
        return -1;
    }
    in->ls = ls;
    in->call.host = host;
    in->call.host_ctx = host_ctx;
    host->as_of(host_ctx, &in->year, &in->month, &in->day);
    if (inst_start(in, err, errlen) < 0) {
        free(in);
        return -1;
    }
    *state = in;
    return 0;
}

static void ls_close(void *state)
{
    ls_inst *in = state;
    if (!in) return;
    inst_stop(in);
    free(in);
}

/* Counts one household's script error; true when the script has failed on
 * each of its first RUNAWAY_AFTER households (none succeeded), after saying
 * so on the log once: the run stops unless --keep-going.  With several
 * jobs, the first households are the first to finish. */
static int runaway(lua_stage *ls, const char *msg, ls_inst *in)
{
    unsigned long long e = atomic_fetch_add(&ls->errors, 1) + 1;
    int i, best = 0, stop;
    char line[LH_DETAIL_MAX + 400];
    if (ls->keep_going || atomic_load(&ls->ok) > 0) return 0;
    if (atomic_load(&ls->stopped)) return 1;
    if (e > RUNAWAY_AFTER) return 0;
    pthread_mutex_lock(&ls->mu);
    for (i = 0; i < ls->ntally; i++)
        if (!strncmp(ls->tally[i].msg, msg, sizeof ls->tally[i].msg - 1)) break;
    if (i < ls->ntally) ls->tally[i].n++;
    else if (ls->ntally < RUNAWAY_KINDS) {
        snprintf(ls->tally[i].msg, sizeof ls->tally[i].msg, "%.199s", msg);
        ls->tally[i].n = 1;
        ls->ntally++;
    }
    for (i = 1; i < ls->ntally; i++)
        if (ls->tally[i].n > ls->tally[best].n) best = i;
    stop = e == RUNAWAY_AFTER && atomic_load(&ls->ok) == 0;
    if (stop) {
        atomic_store(&ls->stopped, 1);
        snprintf(line, sizeof line,
                 _("rule script %s failed on each of its first %d households; the run stops "
                   "(most common error, %u times: %s). Fix the script, or run with --keep-going"),
                 ls->path, RUNAWAY_AFTER, ls->tally[best].n, ls->tally[best].msg);
    }
    pthread_mutex_unlock(&ls->mu);
    if (stop) in->call.host->log(in->call.host_ctx, line);
    return stop;
}

static int ls_check(void *state, const tp_household *hh)
{
    ls_inst *in = state;
    lua_stage *ls = in->ls;
    lua_State *L = in->L;
    const tp_host *host = in->call.host;
    char buf[LH_DETAIL_MAX + 1], msg[LH_DETAIL_MAX + 64];
    const char *text;
    int rc;

    if (hh->n_members > LH_MEMBER_MAX) {
        snprintf(msg, sizeof msg, _("household has too many members for rule scripts"));
        goto script_error;
    }
    lua_pushvalue(L, 1);
    lua_pushlightuserdata(L, lh_begin(&in->call, hh));
    lua_pushvalue(L, 2);
    rc = sbx_pcall(L, 2, 0);
    lh_end(&in->call);
    if (rc == LUA_OK) {
        atomic_fetch_add(&ls->ok, 1);
        return 0;
    }

    text = error_text(L, -1);
    snprintf(msg, sizeof msg, "%s", text ? text : _("error object is not a string"));
    msg_mask_id_runs(msg);   /* a script's message may quote a resident ID */
    frame_lua(msg, sizeof msg);
    lua_settop(L, 2);
    if (sbx_get_limits(L)->tripped == 2) {
        /* After a memory overrun the state may hold whatever filled it: the
         * next household starts from a fresh one. */
        char err[512];
        inst_stop(in);
        if (inst_start(in, err, sizeof err) < 0) {
            host->log(in->call.host_ctx, err);
            return -1;
        }
    }
script_error:
    if (runaway(ls, msg, in)) return -1;
    if (ls->strict) {
        char line[LH_DETAIL_MAX + 128];
        snprintf(line, sizeof line, _("script error (strict mode stops the run): %s"), msg);
        host->log(in->call.host_ctx, line);
        return -1;
    }
    {
        char ubuf[LH_DETAIL_MAX + 1];
        if (host->finding_text(hh->ctx, TP_FAIL, "SCRIPT_ERROR", 0, lh_utf8(lh_clip(msg, buf), ubuf)) < 0)
            return -1;
    }
    return 0;
}

/* ---- the public functions ------------------------------------------------------ */

/* A run-wide limit from cfg->params (text), within [lo, hi]. */
static int run_limit(const run_config *cfg, const char *name, long long lo, long long hi,
                     long long *out, char *err, size_t errlen)
{
    const kv *p = cfg ? kv_get(&cfg->params, name) : NULL;
    int64_t v;
    if (!p) return 0;
    if (val_decimal(p->value, 0, &v) < 0 || v < lo || v > hi) {
        snprintf(err, errlen, _("parameter %s (in %s): \"%s\" is not a whole number from %lld to %lld"),
                 name, p->origin && p->origin[0] ? p->origin : "params", p->value, lo, hi);
        return -1;
    }
    *out = v;
    return 0;
}

int lua_stage_load(const stage_spec *spec, const run_config *cfg, lua_stage **out,
                   char *err, size_t errlen)
{
    lua_stage *ls;
    lua_State *L;
    load_ctx ctx;
    long long mem_mb = (long long)(SBX_DEFAULT_MEM_CAP >> 20), budget = SBX_DEFAULT_BUDGET;
    int rc;

    *out = NULL;
    if (!spec || !spec->script) {
        snprintf(err, errlen, _("not a rule-script stage"));
        return -1;
    }
    if (run_limit(cfg, "script_memory_mb", 1, 16384, &mem_mb, err, errlen) < 0
        || run_limit(cfg, "script_instructions", 1000, 1000000000000LL, &budget, err, errlen) < 0)
        return -1;
    ls = calloc(1, sizeof *ls);
    if (!ls) {
        snprintf(err, errlen, _("out of memory"));
        return -1;
    }
    atomic_init(&ls->errors, 0);
    atomic_init(&ls->ok, 0);
    atomic_init(&ls->stopped, 0);
    pthread_mutex_init(&ls->mu, NULL);
    ls->path = strdup(spec->script);
    ls->chunkname = strdup(base_name(spec->script));
    if (!ls->path || !ls->chunkname) {
        snprintf(err, errlen, _("out of memory"));
        lua_stage_free(ls);
        return -1;
    }
    ls->mem_cap = (size_t)mem_mb << 20;
    ls->budget = budget;
    ls->strict = cfg ? cfg->strict : 0;
    ls->keep_going = cfg ? cfg->keep_going : 0;

    L = sbx_new(ls->mem_cap, ls->budget, 1);
    if (!L) {
        snprintf(err, errlen, _("out of memory"));
        lua_stage_free(ls);
        return -1;
    }
    ctx.ls = ls;
    ctx.spec = spec;
    ctx.cfg = cfg;
    rc = sbx_loadfile_as(L, ls->path, ls->chunkname);
    if (rc == LUA_OK) rc = sbx_pcall(L, 0, 1);
    if (rc == LUA_OK) {
        lua_pushlightuserdata(L, &ctx);
        lua_pushcclosure(L, meta_read, 1);
        lua_insert(L, -2);
        rc = sbx_pcall(L, 1, 0);
    }
    if (rc != LUA_OK) {
        script_message(ls, error_text(L, -1), err, errlen);
        sbx_close(L);
        lua_stage_free(ls);
        return -1;
    }
    sbx_close(L);

    {
        const tp_stage d = {
            TP_STAGE_HEAD,
            .name = ls->name,
            .version = ls->version,
            .description = ls->description ? ls->description : "Lua rule script",
            .columns = (const char *const *)ls->columns,
            .user = ls,
            .open = ls_open,
            .check = ls_check,
            .close = ls_close
        };
        ls->desc = d;
    }
    *out = ls;
    return 0;
}

const tp_stage *lua_stage_desc(const lua_stage *ls) { return &ls->desc; }

size_t lua_stage_params(const lua_stage *ls, const lua_stage_param **out)
{
    *out = ls->pl;
    return ls->npl;
}

const char *lua_stage_path(const lua_stage *ls) { return ls->path; }

const char *lua_stage_income_line(const lua_stage *ls) { return ls->line[0] ? ls->line : NULL; }

unsigned long long lua_stage_error_count(const lua_stage *ls)
{
    return atomic_load(&((lua_stage *)ls)->errors);
}

void lua_stage_free(lua_stage *ls)
{
    size_t i;
    if (!ls) return;
    free(ls->path);
    free(ls->chunkname);
    free(ls->name);
    free(ls->version);
    free(ls->description);
    if (ls->columns)
        for (i = 0; ls->columns[i]; i++) free(ls->columns[i]);
    free(ls->columns);
    for (i = 0; i < ls->nov; i++) {
        free(ls->ov[i].key);
        free(ls->ov[i].s);
    }
    free(ls->ov);
    for (i = 0; i < ls->npl; i++) {
        free(ls->pl[i].name);
        free(ls->pl[i].value);
    }
    free(ls->pl);
    pthread_mutex_destroy(&ls->mu);
    free(ls);
}
