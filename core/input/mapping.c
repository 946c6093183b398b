/* mapping.c — mapping files (Lua data, sandboxed) and their application to
 * a header and to field values. */
#define _POSIX_C_SOURCE 200809L
#include "mapping.h"
#include "paths.h"
#include "sandbox.h"
#include "sbuf.h"
#include "schema.h"
#include "i18n.h"
#include "hash.h"

#include <lauxlib.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAP_MEM_CAP (16u << 20)
#define MAP_BUDGET 10000000LL

typedef struct map_col {
    char *target;         /* as written in the file */
    int canon;            /* canonical column of the target, or -1 (an extra name) */
    char **sources;       /* in the file's order */
    size_t nsources;
} map_col;

typedef struct map_slot { char *from, *to; size_t flen, tlen; } map_slot;

struct map_values {
    char *column;         /* as written in the file */
    int canon;            /* canonical column, or -1 */
    map_slot *slots;      /* owned: the pairs, in the file's order */
    size_t n, cap;
    htab index;           /* slots by from */
};

struct mapping {
    char *path;
    int skip_rows;        /* -1: not given */
    map_col *cols;
    size_t ncols;
    map_values *vals;
    size_t nvals;
};

void map_free(mapping *m)
{
    size_t i, j;
    if (!m) return;
    for (i = 0; i < m->ncols; i++) {
        free(m->cols[i].target);
        for (j = 0; j < m->cols[i].nsources; j++) free(m->cols[i].sources[j]);
        free(m->cols[i].sources);
    }
    for (i = 0; i < m->nvals; i++) {
        for (j = 0; j < m->vals[i].n; j++) {
            free(m->vals[i].slots[j].from);
            free(m->vals[i].slots[j].to);
        }
        free(m->vals[i].slots);
        htab_free(&m->vals[i].index);
        free(m->vals[i].column);
    }
    free(m->cols);
    free(m->vals);
    free(m->path);
    free(m);
}

const char *map_path(const mapping *m) { return m->path; }
int map_skip_rows(const mapping *m) { return m->skip_rows; }
const char *map_values_column(const map_values *vt) { return vt->column; }
size_t map_ncolumns(const mapping *m) { return m->ncols; }

int map_is_source(const mapping *m, const char *name, size_t n)
{
    size_t c, k;
    for (c = 0; c < m->ncols; c++)
        for (k = 0; k < m->cols[c].nsources; k++)
            if (strlen(m->cols[c].sources[k]) == n && !memcmp(m->cols[c].sources[k], name, n))
                return 1;
    return 0;
}
const char *map_column_target(const mapping *m, size_t i) { return m->cols[i].target; }

size_t map_column_sources(const mapping *m, size_t i, const char *const **sources)
{
    *sources = (const char *const *)m->cols[i].sources;
    return m->cols[i].nsources;
}

/* ---- reading the file ------------------------------------------------------ */

/* Errors inside the reader are raised as Lua errors, so that the sandbox
 * cleans up; the mapping under construction is freed by the caller. */

static char *dup_lua(lua_State *L, int idx)
{
    size_t n;
    const char *s = lua_tolstring(L, idx, &n);
    char *d;
    /* Names and values are C strings from here on: a NUL inside would cut
     * them short. */
    if (memchr(s, '\0', n)) luaL_error(L, _("a column name or value contains a NUL byte (\\0)"));
    d = malloc(n + 1);
    if (!d) luaL_error(L, _("out of memory"));
    memcpy(d, s, n);
    d[n] = '\0';
    return d;
}

/* A string, or a number written as Lua prints it (1 → "1"). */
static int is_text(lua_State *L, int idx)
{
    return lua_type(L, idx) == LUA_TSTRING || lua_type(L, idx) == LUA_TNUMBER;
}

static const char *text_of(lua_State *L, int idx)
{
    if (lua_type(L, idx) == LUA_TNUMBER) {
        /* Convert a copy: lua_tostring on a key would confuse lua_next. */
        lua_pushvalue(L, idx);
        lua_tostring(L, -1);
        lua_replace(L, idx);
    }
    return lua_tostring(L, idx);
}

static void add_source(lua_State *L, map_col *c, int idx, const char *target)
{
    char **ns;
    if (!is_text(L, idx))
        luaL_error(L, _("columns.%s: expected a column name or a list of names, got %s"),
                   target, luaL_typename(L, idx));
    ns = realloc(c->sources, (c->nsources + 1) * sizeof *ns);
    if (!ns) luaL_error(L, _("out of memory"));
    c->sources = ns;
    text_of(L, idx);
    c->sources[c->nsources++] = dup_lua(L, idx);
}

static void read_columns(lua_State *L, mapping *m, int idx)
{
    size_t i, j, k, l;
    lua_Integer nk, ki;
    int kt;
    if (lua_type(L, idx) != LUA_TTABLE)
        luaL_error(L, _("columns: expected a table { target = \"source\" | { \"source\", ... } }"));
    /* Keys in byte order (sbx_sorted_keys), not next()'s, which differs
     * from one state to the next: which error a file gets, and the order of
     * its entries, must not. */
    nk = sbx_sorted_keys(L, idx);
    kt = lua_gettop(L);
    for (ki = 1; ki <= nk; ki++) {
        map_col *nc, *c;
        const char *target;
        sbx_sorted_entry(L, kt, ki, idx);
        if (lua_type(L, -2) != LUA_TSTRING)
            luaL_error(L, _("columns: keys must be column names (the target of each entry)"));
        target = lua_tostring(L, -2);
        nc = realloc(m->cols, (m->ncols + 1) * sizeof *nc);
        if (!nc) luaL_error(L, _("out of memory"));
        m->cols = nc;
        c = &m->cols[m->ncols++];
        memset(c, 0, sizeof *c);
        c->target = dup_lua(L, -2);
        c->canon = schema_lookup(c->target);
        if (lua_type(L, -1) == LUA_TTABLE) {
            lua_Integer n = (lua_Integer)luaL_len(L, -1), x;
            if (n == 0) luaL_error(L, _("columns.%s: the list of source names is empty"), target);
            for (x = 1; x <= n; x++) {
                lua_geti(L, -1, x);
                add_source(L, c, lua_gettop(L), target);
                lua_pop(L, 1);
            }
        } else {
            add_source(L, c, lua_gettop(L), target);
        }
        lua_pop(L, 2);
    }
    lua_pop(L, 1);
    /* Two targets that are the same column, or one source for two targets,
     * would make the result depend on the table's order: refuse them. */
    for (i = 0; i < m->ncols; i++) {
        for (j = i + 1; j < m->ncols; j++) {
            if ((m->cols[i].canon >= 0 && m->cols[i].canon == m->cols[j].canon)
                || !strcmp(m->cols[i].target, m->cols[j].target))
                luaL_error(L, _("columns: %s and %s are the same column"), m->cols[i].target,
                           m->cols[j].target);
            for (k = 0; k < m->cols[i].nsources; k++)
                for (l = 0; l < m->cols[j].nsources; l++)
                    if (!strcmp(m->cols[i].sources[k], m->cols[j].sources[l]))
                        luaL_error(L, _("columns: source column \"%s\" is given for both %s and %s"),
                                   m->cols[i].sources[k], m->cols[i].target, m->cols[j].target);
        }
    }
}

static void vt_put(lua_State *L, map_values *vt, const char *from, size_t flen,
                   const char *to, size_t tlen)
{
    size_t i;
    uint64_t h;
    htab_iter it;
    map_slot *e;
    if (memchr(from, '\0', flen) || memchr(to, '\0', tlen))
        luaL_error(L, _("values.%s: a value contains a NUL byte (\\0)"), vt->column);
    h = hash_bytes(from, flen, 0);
    for (htab_probe(&vt->index, h, &it); htab_next(&vt->index, &it, &i);)
        if (vt->slots[i].flen == flen && !memcmp(vt->slots[i].from, from, flen))
            luaL_error(L, _("values.%s: \"%s\" is listed twice"), vt->column, from);
    if (mem_grow((void **)&vt->slots, &vt->cap, vt->n + 1, sizeof *vt->slots) < 0) luaL_error(L, _("out of memory"));
    e = &vt->slots[vt->n];
    memset(e, 0, sizeof *e);
    vt->n++;           /* counted now: map_free frees what is there */
    e->from = malloc(flen + 1);
    e->to = malloc(tlen + 1);
    if (!e->from || !e->to || htab_add(&vt->index, h, vt->n - 1) < 0)
        luaL_error(L, _("out of memory"));
    memcpy(e->from, from, flen);
    e->from[flen] = '\0';
    memcpy(e->to, to, tlen);
    e->to[tlen] = '\0';
    e->flen = flen;
    e->tlen = tlen;
}

static void read_values(lua_State *L, mapping *m, int idx)
{
    size_t i, j;
    lua_Integer nk, ki;
    int kt;
    if (lua_type(L, idx) != LUA_TTABLE)
        luaL_error(L, _("values: expected a table { column = { [\"source value\"] = \"value\" } }"));
    nk = sbx_sorted_keys(L, idx);
    kt = lua_gettop(L);
    for (ki = 1; ki <= nk; ki++) {
        map_values *nv, *vt;
        int t;
        lua_Integer nv2, vi;
        int vk;
        sbx_sorted_entry(L, kt, ki, idx);
        t = lua_gettop(L);
        if (lua_type(L, -2) != LUA_TSTRING)
            luaL_error(L, _("values: keys must be column names"));
        nv = realloc(m->vals, (m->nvals + 1) * sizeof *nv);
        if (!nv) luaL_error(L, _("out of memory"));
        m->vals = nv;
        vt = &m->vals[m->nvals++];
        memset(vt, 0, sizeof *vt);
        vt->column = dup_lua(L, -2);
        vt->canon = schema_lookup(vt->column);
        if (lua_type(L, t) != LUA_TTABLE)
            luaL_error(L, _("values.%s: expected a table of [\"source value\"] = \"value\""), vt->column);
        nv2 = sbx_sorted_keys(L, t);
        vk = lua_gettop(L);
        for (vi = 1; vi <= nv2; vi++) {
            size_t fl, tl;
            const char *from, *to;
            sbx_sorted_entry(L, vk, vi, t);
            if (lua_type(L, -2) != LUA_TSTRING)
                luaL_error(L, _("values.%s: source values must be strings (write [\"1\"], not [1])"),
                           vt->column);
            if (!is_text(L, -1))
                luaL_error(L, _("values.%s[\"%s\"]: expected a string, got %s"), vt->column,
                           lua_tostring(L, -2), luaL_typename(L, -1));
            text_of(L, lua_gettop(L));
            from = lua_tolstring(L, -2, &fl);
            to = lua_tolstring(L, -1, &tl);
            vt_put(L, vt, from, fl, to, tl);
            lua_pop(L, 2);
        }
        lua_pop(L, 3);   /* the value keys, the table, its key */
    }
    lua_pop(L, 1);
    for (i = 0; i < m->nvals; i++)
        for (j = i + 1; j < m->nvals; j++)
            if ((m->vals[i].canon >= 0 && m->vals[i].canon == m->vals[j].canon)
                || !strcmp(m->vals[i].column, m->vals[j].column))
                luaL_error(L, _("values: %s and %s are the same column"), m->vals[i].column,
                           m->vals[j].column);
}

/* Runs on the sandboxed state with the result table at index 1. */
static int read_mapping(lua_State *L)
{
    mapping *m = lua_touserdata(L, lua_upvalueindex(1));
    static const char *const known[] = { "skip_rows", "columns", "values", NULL };
    int t = 1;
    /* The first unknown entry in sbx_sorted_keys' order is the one named. */
    if (!sbx_known_keys(L, t, known))
        luaL_error(L, _("unknown entry %s (a mapping has skip_rows, columns and values)"),
                   lua_type(L, -1) == LUA_TSTRING ? lua_tostring(L, -1) : "(not a name)");
    if (lua_getfield(L, t, "skip_rows") != LUA_TNIL) {
        if (lua_type(L, -1) == LUA_TSTRING && !strcmp(lua_tostring(L, -1), "auto"))
            m->skip_rows = MAP_SKIP_AUTO;
        else if (!lua_isinteger(L, -1) || lua_tointeger(L, -1) < 0 || lua_tointeger(L, -1) > 1000)
            luaL_error(L, _("skip_rows: expected a whole number of rows (0-1000) or \"auto\""));
        else
            m->skip_rows = (int)lua_tointeger(L, -1);
    }
    lua_pop(L, 1);
    if (lua_getfield(L, t, "columns") != LUA_TNIL) read_columns(L, m, lua_gettop(L));
    lua_pop(L, 1);
    if (lua_getfield(L, t, "values") != LUA_TNIL) read_values(L, m, lua_gettop(L));
    lua_pop(L, 1);
    return 0;
}

static char *resolve_spec(const char *spec)
{
    size_t n = strlen(spec);
    char name[256];
    if (strchr(spec, '/') || (n > 4 && !strcmp(spec + n - 4, ".lua")) || n + 16 > sizeof name)
        return strdup(spec);
    snprintf(name, sizeof name, "mappings/%s.lua", spec);
    return paths_data_file(name);
}

mapping *map_load(const char *spec, char *err, size_t errlen)
{
    mapping *m = calloc(1, sizeof *m);
    lua_State *L = NULL;
    int rc;
    if (!m || !(m->path = resolve_spec(spec))) {
        snprintf(err, errlen, _("out of memory"));
        free(m);
        return NULL;
    }
    m->skip_rows = -1;
    L = sbx_new(MAP_MEM_CAP, MAP_BUDGET, 0);
    if (!L) {
        snprintf(err, errlen, _("%s: out of memory"), m->path);
        map_free(m);
        return NULL;
    }
    rc = sbx_loadfile(L, m->path);
    if (rc == LUA_OK) {
        /* The chunk's _ENV is an empty table: the file's globals land there. */
        lua_newtable(L);
        lua_pushvalue(L, -1);
        lua_setupvalue(L, -3, 1);
        lua_insert(L, -2);                         /* env, chunk */
        rc = sbx_pcall(L, 0, 1);
        if (rc == LUA_OK) {
            /* A returned table wins over globals. */
            if (lua_type(L, -1) != LUA_TTABLE) lua_pop(L, 1);
            else lua_remove(L, -2);
            lua_pushlightuserdata(L, m);
            lua_pushcclosure(L, read_mapping, 1);
            lua_insert(L, -2);
            rc = sbx_pcall(L, 1, 0);
        }
    }
    if (rc != LUA_OK) {
        const char *msg = lua_tostring(L, -1);
        if (msg && !strncmp(msg, m->path, strlen(m->path)))
            snprintf(err, errlen, "%s", msg);
        else if (msg && !strncmp(msg, "cannot open", 11))
            snprintf(err, errlen, _("mapping %s: %s"), spec, msg);
        else
            snprintf(err, errlen, "%s: %s", m->path, msg ? msg : "error");
        sbx_close(L);
        map_free(m);
        return NULL;
    }
    sbx_close(L);
    return m;
}

/* ---- applying it ----------------------------------------------------------- */

size_t map_bind(const mapping *m, const char *const *names, const size_t *lens, size_t n,
                const char **renamed, const map_values **values)
{
    size_t i, c, s, count = 0;
    char buf[512];
    for (i = 0; i < n; i++) {
        renamed[i] = NULL;
        values[i] = NULL;
    }
    for (c = 0; c < m->ncols; c++) {
        const map_col *mc = &m->cols[c];
        int taken = 0;
        /* A column already named as the target (canonical or Chinese) wins. */
        if (mc->canon >= 0) {
            for (i = 0; i < n && !taken; i++) {
                if (renamed[i] || lens[i] >= sizeof buf) continue;
                memcpy(buf, names[i], lens[i]);
                buf[lens[i]] = '\0';
                taken = schema_lookup(buf) == mc->canon;
            }
        }
        for (s = 0; s < mc->nsources && !taken; s++) {
            size_t sl = strlen(mc->sources[s]);
            for (i = 0; i < n; i++) {
                if (renamed[i] || lens[i] != sl || memcmp(names[i], mc->sources[s], sl)) continue;
                renamed[i] = mc->target;
                taken = 1;
                count++;
                break;
            }
        }
    }
    for (i = 0; i < n; i++) {
        const char *name = renamed[i];
        int canon;
        size_t v;
        if (!name) {
            if (lens[i] >= sizeof buf) continue;
            memcpy(buf, names[i], lens[i]);
            buf[lens[i]] = '\0';
            name = buf;
        }
        canon = schema_lookup(name);
        for (v = 0; v < m->nvals; v++) {
            const map_values *vt = &m->vals[v];
            if ((canon >= 0 && vt->canon == canon) || (canon < 0 && !strcmp(vt->column, name))) {
                values[i] = vt;
                break;
            }
        }
    }
    return count;
}

const char *map_value(const map_values *vt, const char *s, size_t n, size_t *outlen)
{
    size_t i;
    htab_iter it;
    for (htab_probe(&vt->index, hash_bytes(s, n, 0), &it); htab_next(&vt->index, &it, &i);) {
        if (vt->slots[i].flen == n && !memcmp(vt->slots[i].from, s, n)) {
            if (outlen) *outlen = vt->slots[i].tlen;
            return vt->slots[i].to;
        }
    }
    return NULL;
}
