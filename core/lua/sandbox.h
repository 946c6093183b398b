/* sandbox.h — Lua 5.4 states for untrusted files (pipelines, rule scripts,
 * mappings, test cases): a memory cap enforced by the allocator, an
 * instruction budget enforced by a count hook that pcall inside the script
 * cannot swallow, text chunks only (no bytecode), and a curated set of
 * libraries. */
#ifndef TUOPIN_SANDBOX_H
#define TUOPIN_SANDBOX_H

#include <stddef.h>
#include <lua.h>

/* Defaults for rule scripts (the run parameters script_memory_mb and
 * script_instructions override them). */
#define SBX_DEFAULT_MEM_CAP ((size_t)64 << 20)
#define SBX_DEFAULT_BUDGET 1000000LL

/* The CPU time one protected call may take: the time its instruction
 * budget takes at SBX_INSTR_PER_MS instructions a millisecond (about five
 * times slower than a plain loop measured on the project's machine), and
 * never less than SBX_CPU_MS_MIN.  It is a safety net for work the budget
 * cannot see (comparing or joining long strings is one instruction, and so
 * is a call to a C function); an ordinary script meets its instruction
 * budget long before it.  Enforced by a per-thread CPU-time timer whose
 * signal makes the hook run at the next instruction (sandbox.c). */
#define SBX_CPU_MS_MIN 1000LL
#define SBX_INSTR_PER_MS 10000LL

/* The state's accounting.  Owned by the state (freed by sbx_close); read it
 * with sbx_get_limits.  Fields after `tripped` are the sandbox's own. */
typedef struct sbx_limits {
    size_t mem_used, mem_cap;      /* bytes; cap 0 = none */
    long long budget;              /* instructions left in the current call */
    long long budget_per_call;
    int tripped;                   /* 1 budget, 2 memory, 3 CPU time: set when a limit fired */

    lua_State *L;                  /* the main thread */
    int in_call;                   /* inside sbx_pcall / sbx_loadfile: cap enforced */
    int mem_check;                 /* the soft cap was passed: check at next hook */
    int hook_count;                /* the count the hook is armed with now */
    const void *fail_ptr;          /* the last refused request, to recognise */
    size_t fail_osize, fail_nsize; /*   Lua's retry after an emergency GC */
    int fail_pending, fail_prev_tripped;
    char where[128];               /* "chunk:line: " of the first overrun, or "" */
    long long cpu_ms;              /* CPU time of one call, ms (0 = no limit) */
    volatile int time_up;          /* set by the CPU timer's signal during a call */
    long long cpu_start;           /* the thread's CPU clock at the call's start, ms */
    int last_line;                 /* where the hook last saw the script, or 0 */
    char last_src[64];
} sbx_limits;

/* NAME: sbx_new
 * DESCRIPTION: a new state whose allocator enforces mem_cap bytes (0 = no
 *   cap) and whose hook enforces instr_budget instructions per sbx_pcall
 *   (0 = none).  With with_libs the state opens only the safe libraries:
 *   base without load, loadfile, dofile, require, collectgarbage and print,
 *   whose setmetatable refuses __gc, whose xpcall skips the handler
 *   during an overrun and whose pairs visits keys in a fixed order
 *   (booleans, numbers, strings in byte order, others), whose next, rawget
 *   and rawlen see the contents of read-only tables (sbx_freeze) and whose
 *   rawset refuses them, and whose tostring prints no address ("table");
 *   string without dump, with counted matchers and a format refusing %p
 *   and printing no address; table;
 *   math without random and randomseed; utf8.  io, os, package, debug, coroutine
 *   and every removed function are stubs raising an error that names them.
 *   The string metatable is locked (getmetatable("") is false).
 * RETURN: the state (close with sbx_close), or NULL out of memory. */
lua_State *sbx_new(size_t mem_cap, long long instr_budget, int with_libs);
void sbx_close(lua_State *L);
sbx_limits *sbx_get_limits(lua_State *L);

/* NAME: sbx_loadfile
 * DESCRIPTION: loads a text chunk from path (bytecode refused), leaving the
 *   function on the stack.  Error messages name the chunk "path:line:".
 * RETURN: LUA_OK, or an error status with the message on the stack. */
int sbx_loadfile(lua_State *L, const char *path);

/* NAME: sbx_loadfile_as
 * DESCRIPTION: like sbx_loadfile, with the chunk named `chunkname` in
 *   messages (e.g. the file's base name: "example.lua:12: ...").  A UTF-8
 *   byte-order mark and a first line starting with '#' are skipped.
 * RETURN: LUA_OK, or an error status with the message on the stack. */
int sbx_loadfile_as(lua_State *L, const char *path, const char *chunkname);

/* NAME: sbx_pcall
 * DESCRIPTION: lua_pcall with the budget reset to the per-call value and
 *   the memory cap enforced.  A budget or memory overrun is reported as an
 *   error "chunk:line: instruction budget exceeded (...)" / "chunk:line:
 *   memory limit exceeded (...)" even if the script caught it.
 *   The limits' `tripped` tells which limit fired until the next call.
 * RETURN: LUA_OK or an error status with the message on the stack. */
int sbx_pcall(lua_State *L, int nargs, int nresults);

/* Installs the step-counted string matchers (find, match, gmatch, gsub)
 * into the string table at the top of the stack (sandbox_match.c). */
void sbx_open_match(lua_State *L);

/* Charges `steps` units of work done inside a C function (pattern
 * matching) to the budget of L's call; raises "instruction budget exceeded"
 * when it is spent. */
void sbx_charge(lua_State *L, long long steps);

/* Bytes that string functions written in C (rep, format, upper, lower,
 * reverse, table.concat, pattern matching) may write per step of the
 * instruction budget. */
#define SBX_BYTES_PER_STEP 16

/* Replaces the function `name` of the table on top of the stack by one
 * that charges the strings it returns, SBX_BYTES_PER_STEP bytes a step. */
void sbx_wrap_charged(lua_State *L, const char *name);

/* Replaces the function `name` of the table on top of the stack by one
 * that charges the strings it is given before it runs and the values it
 * returns after, SBX_BYTES_PER_STEP bytes a step. */
void sbx_wrap_precharged(lua_State *L, const char *name);

/* Charges table.unpack and table.sort (of the table library on top of the
 * stack) before they run, and wraps concat, insert, remove and move. */
void sbx_wrap_table(lua_State *L);

/* NAME: sbx_sorted_keys
 * DESCRIPTION: pushes a sequence of the keys of the table at idx in a fixed
 *   order — booleans (false first), numbers ascending, strings in byte
 *   order, then other keys — rather than next()'s, which differs from one
 *   state to the next (the string hash is seeded per state).  What a
 *   table's contents make the host do or say must not depend on that.
 *   The sort is charged to the instruction budget.
 * RETURN: the number of keys. */
lua_Integer sbx_sorted_keys(lua_State *L, int idx);

/* NAME: sbx_known_keys
 * DESCRIPTION: whether every key of the table at idx is a string in allowed
 *   (NULL-terminated), looked at in sbx_sorted_keys' order.
 * RETURN: 1 (the stack as it was), or 0 with the first other key on top of
 *   the stack (above the sequence of keys), for the caller's error. */
int sbx_known_keys(lua_State *L, int idx, const char *const *allowed);

/* Pushes key i of the sequence at keys (from sbx_sorted_keys), then its
 * value in the table at t (raw): the pair next() would have pushed.
 * RETURN: the value's type. */
int sbx_sorted_entry(lua_State *L, int keys, lua_Integer i, int t);

/* Kinds of read-only table, for the message a write gets. */
#define SBX_FROZEN_TABLE 0
#define SBX_FROZEN_GLOBALS 1
#define SBX_FROZEN_PARAMS 2

/* NAME: sbx_freeze
 * DESCRIPTION: makes the table at idx, and every table reachable from it
 *   through its values (tables with a metatable of their own aside), read-
 *   only in place: its contents move to a hidden table read through a
 *   protected metatable (__index, __len, __pairs in the fixed order) whose
 *   __newindex raises the message of `kind` (nested tables get the plain
 *   message, params' nested tables the params one).  The sandbox's next,
 *   rawget and rawlen see the hidden contents; its rawset refuses.  Used on
 *   a rule script's globals once it is loaded and on its params. */
void sbx_freeze(lua_State *L, int idx, int kind);

/* Raises the overrun error of kind 1 (budget), 2 (memory) or 3 (CPU time) from a C
 * function called by the script, and makes it stick for the call. */
int sbx_overrun(lua_State *L, int kind);

/* The Lua error helpers of the host's readers (pipeline, mapping and case
 * files, stage declarations): sbx_raise raises the formatted message as it
 * is (no position prefixed); sbx_strdup copies s or raises "out of memory".
 * Neither returns. */
int sbx_raise(lua_State *L, const char *fmt, ...);
char *sbx_strdup(lua_State *L, const char *s);

#endif
