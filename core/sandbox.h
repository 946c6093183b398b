/* sandbox.h — Lua 5.4 states for untrusted files (pipelines, rule scripts,
 * mappings): a memory cap enforced by the allocator, an instruction budget
 * enforced by a count hook that pcall inside the script cannot swallow, text
 * chunks only (no bytecode), and a curated set of libraries. */
#ifndef TUOPIN_SANDBOX_H
#define TUOPIN_SANDBOX_H

#include <stddef.h>
#include <lua.h>

typedef struct sbx_limits {
    size_t mem_used, mem_cap;      /* bytes; cap 0 = none */
    long long budget;              /* instructions left in the current call */
    long long budget_per_call;
    int tripped;                   /* 1 budget, 2 memory: set when a limit fired */
} sbx_limits;

/* NAME: sbx_new
 * DESCRIPTION: a new state whose allocator enforces mem_cap bytes and whose
 *   hook enforces instr_budget per sbx_pcall (0 = none).  The state opens
 *   only the safe libraries (base without load/loadfile/dofile/require/
 *   collectgarbage/print, string without dump, table, math, utf8) when
 *   with_libs is set; blocked names raise an error naming them.
 * RETURN: the state (close with sbx_close), or NULL. */
lua_State *sbx_new(size_t mem_cap, long long instr_budget, int with_libs);
void sbx_close(lua_State *L);
sbx_limits *sbx_get_limits(lua_State *L);

/* NAME: sbx_loadfile
 * DESCRIPTION: loads a text chunk from path (bytecode refused), leaving the
 *   function on the stack.
 * RETURN: LUA_OK, or an error status with the message on the stack. */
int sbx_loadfile(lua_State *L, const char *path);

/* NAME: sbx_pcall
 * DESCRIPTION: lua_pcall with the budget reset to the per-call value.  A
 *   budget or memory overrun is reported as an error "instruction budget
 *   exceeded" / "memory limit exceeded" even if the script caught it.
 * RETURN: LUA_OK or an error status with the message on the stack. */
int sbx_pcall(lua_State *L, int nargs, int nresults);

#endif
