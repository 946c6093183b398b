/* sandbox.c — Lua states for untrusted text.
 *
 * Why the hook keeps firing: a script can wrap an endless loop in pcall and
 * swallow the "budget exceeded" error.  Once the budget is spent the hook is
 * re-armed to fire every instruction and raise again, so control comes back
 * to the host at the first instruction after any pcall; sbx_pcall then
 * reports the overrun whatever the script did with the error. */
#include "sandbox.h"

#include <lauxlib.h>
#include <lualib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define HOOK_EVERY 1000

typedef struct sbx_state {
    sbx_limits lim;
} sbx_state;

static void *sbx_alloc(void *ud, void *ptr, size_t osize, size_t nsize)
{
    sbx_limits *l = ud;
    if (ptr == NULL) osize = 0;
    if (nsize == 0) {
        free(ptr);
        l->mem_used -= osize;
        return NULL;
    }
    if (l->mem_cap && nsize > osize && l->mem_used + (nsize - osize) > l->mem_cap) {
        l->tripped = 2;
        return NULL;
    }
    ptr = realloc(ptr, nsize);
    if (ptr) l->mem_used += nsize - osize;
    return ptr;
}

sbx_limits *sbx_get_limits(lua_State *L)
{
    void *ud;
    lua_getallocf(L, &ud);
    return ud;
}

static void hook(lua_State *L, lua_Debug *ar)
{
    sbx_limits *l = sbx_get_limits(L);
    (void)ar;
    l->budget -= HOOK_EVERY;
    if (l->budget <= 0) {
        l->tripped = 1;
        lua_sethook(L, hook, LUA_MASKCOUNT, 1);
        luaL_error(L, "instruction budget exceeded");
    }
}

static int blocked(lua_State *L)
{
    return luaL_error(L, "%s is not available in the tuopin sandbox",
                      lua_tostring(L, lua_upvalueindex(1)));
}

static void block_name(lua_State *L, int table, const char *label, const char *field)
{
    lua_pushstring(L, label);
    lua_pushcclosure(L, blocked, 1);
    lua_setfield(L, table < 0 ? table - 1 : table, field);
}

static void open_lib(lua_State *L, const char *name, lua_CFunction f)
{
    luaL_requiref(L, name, f, 1);
    lua_pop(L, 1);
}

lua_State *sbx_new(size_t mem_cap, long long instr_budget, int with_libs)
{
    sbx_state *s = calloc(1, sizeof *s);
    lua_State *L;
    if (!s) return NULL;
    s->lim.mem_cap = mem_cap;
    s->lim.budget_per_call = instr_budget;
    s->lim.budget = instr_budget;
    L = lua_newstate(sbx_alloc, &s->lim);
    if (!L) {
        free(s);
        return NULL;
    }
    if (with_libs) {
        static const char *const base_blocked[] = {
            "load", "loadfile", "dofile", "require", "collectgarbage", "print", NULL
        };
        int i;
        open_lib(L, LUA_GNAME, luaopen_base);
        open_lib(L, LUA_STRLIBNAME, luaopen_string);
        open_lib(L, LUA_TABLIBNAME, luaopen_table);
        open_lib(L, LUA_MATHLIBNAME, luaopen_math);
        open_lib(L, LUA_UTF8LIBNAME, luaopen_utf8);
        lua_pushglobaltable(L);
        for (i = 0; base_blocked[i]; i++) block_name(L, -1, base_blocked[i], base_blocked[i]);
        block_name(L, -1, "io", "io");
        block_name(L, -1, "os", "os");
        block_name(L, -1, "package", "package");
        block_name(L, -1, "debug", "debug");
        lua_getfield(L, -1, "string");
        block_name(L, -1, "string.dump", "dump");
        lua_pop(L, 2);
    }
    if (instr_budget > 0) lua_sethook(L, hook, LUA_MASKCOUNT, HOOK_EVERY);
    return L;
}

void sbx_close(lua_State *L)
{
    sbx_limits *l;
    if (!L) return;
    l = sbx_get_limits(L);
    lua_close(L);
    free(l); /* sbx_limits is the first member of sbx_state */
}

int sbx_loadfile(lua_State *L, const char *path)
{
    return luaL_loadfilex(L, path, "t");
}

int sbx_pcall(lua_State *L, int nargs, int nresults)
{
    sbx_limits *l = sbx_get_limits(L);
    int rc;
    l->budget = l->budget_per_call;
    l->tripped = 0;
    if (l->budget_per_call > 0) lua_sethook(L, hook, LUA_MASKCOUNT, HOOK_EVERY);
    rc = lua_pcall(L, nargs, nresults, 0);
    if (l->budget_per_call > 0) lua_sethook(L, hook, LUA_MASKCOUNT, HOOK_EVERY);
    if (l->tripped) {
        if (rc == LUA_OK) lua_pop(L, nresults < 0 ? 0 : nresults);
        else lua_pop(L, 1);
        lua_pushstring(L, l->tripped == 1 ? "instruction budget exceeded"
                                          : "memory limit exceeded");
        l->tripped = 0;
        return LUA_ERRRUN;
    }
    return rc;
}
