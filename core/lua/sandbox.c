/* sandbox.c — Lua states for untrusted text.
 *
 * Three limits, and why each holds against a hostile script:
 *
 * Instructions.  A count hook charges the per-call budget every HOOK_EVERY
 * instructions.  A script can wrap an endless loop in pcall and swallow the
 * "budget exceeded" error, so once a limit has fired the hook is re-armed to
 * run at every instruction and raise again: control comes back to the host at
 * the first instruction after any pcall, and sbx_pcall reports the overrun
 * whatever the script did with the error.  Coroutines (a thread has its own
 * hook) and __gc finalizers (Lua runs them with hooks off) are not offered,
 * xpcall's handler is skipped during an overrun (it would run inside the
 * hook, with hooks off), and the string matchers that can backtrack for
 * ever inside C are replaced by counted ones (sandbox_match.c).
 *
 * Memory.  The allocator counts every byte of the state.  While a protected
 * call runs, passing the cap arms the hook; at the next instruction the hook
 * runs a full collection and, if the state is still over the cap, raises
 * "memory limit exceeded" with the script's line.  One operation cannot take
 * the state past 1.5 × the cap: such a request is refused (Lua then raises
 * its own out-of-memory error, which counts as the overrun unless Lua's
 * emergency collection lets the retry succeed).  Outside protected calls the
 * host's own small pushes are never refused, because a refusal there would
 * reach Lua's panic function and abort the process.
 *
 * CPU time.  The budget counts instructions, but one instruction can do
 * much work out of the hook's sight: `s < t` and `s == t` on strings of
 * megabytes, `..`, a C function called once.  The C functions a script can
 * reach that do work in proportion to their input charge it to the budget
 * before (or as) they do it (sandbox_match.c); for the operators, each
 * protected call also has a CPU-time limit (SBX_CPU_MS_MIN, or the time of
 * its budget at SBX_INSTR_PER_MS).  A per-thread timer on the thread's CPU
 * clock sends a signal when it runs out; the handler only sets a flag and
 * re-arms the count hook at 1 (lua_sethook is safe in a signal handler),
 * so the hook raises at the next instruction.  One call therefore costs at
 * most its limit plus one instruction's work, which the memory cap bounds
 * (comparing two strings of the cap's size: milliseconds).  Where no such
 * timer exists, the hook reads the thread's CPU clock instead.
 *
 * Shared tables.  Every script runs in its own state, so no table is shared
 * between scripts; the string metatable, which every string of a state
 * shares, is locked against getmetatable. */
#define _GNU_SOURCE
#include "sandbox.h"
#include "i18n.h"

#include <errno.h>
#include <lauxlib.h>
#include <lualib.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#if defined(__linux__)
#include <sys/syscall.h>
#endif

/* HAProxy measured a hook every ~1000 instructions as free; so do we. */
#define HOOK_EVERY 1000

static void hook(lua_State *L, lua_Debug *ar);

/* ---- the CPU-time limit ------------------------------------------------------ */

#if defined(__linux__) && defined(SIGEV_THREAD_ID) && defined(CLOCK_THREAD_CPUTIME_ID)
#define SBX_TIMER 1
#endif

/* The limits of the protected call running on this thread, for the signal
 * handler; NULL between calls. */
static _Thread_local sbx_limits *volatile t_cur;

#ifdef SBX_TIMER
static _Thread_local timer_t t_timer;
static _Thread_local int t_timer_state;    /* 0 not tried, 1 made, -1 failed */
static pthread_once_t sig_once = PTHREAD_ONCE_INIT;
static pthread_key_t timer_key;
static int sig_ok;

static void on_timer(int sig, siginfo_t *si, void *uc)
{
    sbx_limits *l = t_cur;
    int e = errno;
    (void)sig;
    (void)si;
    (void)uc;
    if (l && l->in_call) {
        l->time_up = 1;
        lua_sethook(l->L, hook, LUA_MASKCOUNT, 1);
    }
    errno = e;
}

static void timer_gone(void *v)
{
    timer_delete((timer_t)v);
}

static void sig_setup(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_timer;
    sa.sa_flags = SA_SIGINFO | SA_RESTART;
    sigemptyset(&sa.sa_mask);
    if (pthread_key_create(&timer_key, timer_gone) != 0) return;
    sig_ok = sigaction(SIGRTMIN + 5, &sa, NULL) == 0;
}

/* This thread's timer on its own CPU clock, made on first use. */
static int thread_timer(void)
{
    if (t_timer_state == 0) {
        struct sigevent sev;
        pthread_once(&sig_once, sig_setup);
        t_timer_state = -1;
        if (sig_ok) {
            memset(&sev, 0, sizeof sev);
            sev.sigev_notify = SIGEV_THREAD_ID;
            sev.sigev_signo = SIGRTMIN + 5;
#ifdef sigev_notify_thread_id
            sev.sigev_notify_thread_id = (pid_t)syscall(SYS_gettid);
#else
            sev._sigev_un._tid = (pid_t)syscall(SYS_gettid);
#endif
            if (timer_create(CLOCK_THREAD_CPUTIME_ID, &sev, &t_timer) == 0) {
                t_timer_state = 1;
                if (pthread_setspecific(timer_key, (void *)t_timer) != 0) {
                    timer_delete(t_timer);
                    t_timer_state = -1;
                }
            }
        }
    }
    return t_timer_state == 1;
}

static void timer_set(long long ms)
{
    struct itimerspec its;
    memset(&its, 0, sizeof its);
    its.it_value.tv_sec = (time_t)(ms / 1000);
    its.it_value.tv_nsec = (long)(ms % 1000) * 1000000L;
    timer_settime(t_timer, 0, &its, NULL);
}
#endif

static long long cpu_now_ms(void)
{
    struct timespec ts;
#ifdef CLOCK_THREAD_CPUTIME_ID
    if (clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts) == 0)
        return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
#endif
    (void)ts;
    return (long long)(clock() / (CLOCKS_PER_SEC / 1000));
}

/* Starts the CPU limit of a call of l on this thread; *saved gets what an
 * enclosing call (a script running a script: tuopin test) had. */
static void time_start(sbx_limits *l, sbx_limits **saved, int *armed)
{
    *saved = t_cur;
    *armed = 0;
    l->time_up = 0;
    l->cpu_start = 0;
    if (l->cpu_ms <= 0) return;
    l->cpu_start = cpu_now_ms();
    t_cur = l;
#ifdef SBX_TIMER
    if (!*saved && thread_timer()) {
        timer_set(l->cpu_ms);
        *armed = 1;
    }
#endif
}

static void time_stop(sbx_limits *l, sbx_limits *saved, int armed)
{
    if (l->cpu_ms <= 0) return;
#ifdef SBX_TIMER
    if (armed) timer_set(0);
#else
    (void)armed;
#endif
    t_cur = saved;
    /* An enclosing call's time went by too. */
    if (saved && l->time_up) {
        saved->time_up = 1;
        lua_sethook(saved->L, hook, LUA_MASKCOUNT, 1);
    }
}

static void arm(sbx_limits *l, int count)
{
    if (!l->L) return;
    lua_sethook(l->L, hook, LUA_MASKCOUNT, count);
    l->hook_count = count;
}

/* The hook when no limit is pending: every HOOK_EVERY instructions when
 * there is a budget, off otherwise. */
static void disarm(sbx_limits *l)
{
    if (!l->L) return;
    if (l->budget_per_call > 0) {
        lua_sethook(l->L, hook, LUA_MASKCOUNT, HOOK_EVERY);
        l->hook_count = HOOK_EVERY;
    } else {
        lua_sethook(l->L, NULL, 0, 0);
        l->hook_count = 0;
    }
}

static void *sbx_alloc(void *ud, void *ptr, size_t osize, size_t nsize)
{
    sbx_limits *l = ud;
    size_t old = ptr ? osize : 0;
    void *np;
    if (nsize == 0) {
        free(ptr);
        l->mem_used -= old;
        return NULL;
    }
    if (l->mem_cap && l->in_call && nsize > old) {
        size_t hard = l->mem_cap + l->mem_cap / 2;
        /* Lua answers a refusal with an emergency collection and then asks
         * again for exactly the same block; when that retry succeeds the
         * state was never over the limit. */
        int retry = l->fail_pending && ptr == l->fail_ptr && osize == l->fail_osize
                    && nsize == l->fail_nsize;
        l->fail_pending = 0;
        if (l->mem_used + (nsize - old) > hard) {
            if (!retry) l->fail_prev_tripped = l->tripped;
            l->fail_pending = 1;
            l->fail_ptr = ptr;
            l->fail_osize = osize;
            l->fail_nsize = nsize;
            l->tripped = 2;
            arm(l, 1);
            return NULL;
        }
        np = realloc(ptr, nsize);
        if (!np) return NULL;
        l->mem_used += nsize - old;
        if (retry) l->tripped = l->fail_prev_tripped;
        if (l->mem_used > l->mem_cap && !l->mem_check && !l->tripped) {
            l->mem_check = 1;
            arm(l, 1);
        }
        return np;
    }
    np = realloc(ptr, nsize);
    if (np) l->mem_used = l->mem_used - old + nsize;
    return np;
}

sbx_limits *sbx_get_limits(lua_State *L)
{
    void *ud;
    lua_getallocf(L, &ud);
    return ud;
}

/* Records "chunk:line: " of the first frame at or above `level` that runs
 * Lua code with line information. */
static void set_where(lua_State *L, sbx_limits *l, int level)
{
    lua_Debug ar;
    for (; lua_getstack(L, level, &ar); level++) {
        if (lua_getinfo(L, "Sl", &ar) && ar.currentline > 0) {
            snprintf(l->where, sizeof l->where, "%s:%d: ", ar.short_src, ar.currentline);
            return;
        }
    }
}

/* The overrun message.  Lua raises its own out-of-memory error without
 * running any handler, so a memory overrun may have no exact line: it then
 * names the line where the hook last saw the script. */
static void push_overrun(lua_State *L, const sbx_limits *l)
{
    const char *what = l->tripped == 1 ? _("instruction budget exceeded")
                       : l->tripped == 3 ? _("CPU time budget exceeded") : _("memory limit exceeded");
    char limit[96];
    if (l->tripped == 1)
        snprintf(limit, sizeof limit, _("limit %lld instructions per call"), l->budget_per_call);
    else if (l->tripped == 3)
        snprintf(limit, sizeof limit, _("limit %lld ms of CPU per call"), l->cpu_ms);
    else
        snprintf(limit, sizeof limit, _("limit %lld MiB per script"), (long long)(l->mem_cap >> 20));
    if (l->where[0])
        lua_pushfstring(L, "%s%s (%s)", l->where, what, limit);
    else if (l->last_line > 0)
        lua_pushfstring(L, _("%s: %s near line %d (%s)"), l->last_src, what, l->last_line, limit);
    else
        lua_pushfstring(L, "%s (%s)", what, limit);
}

static void hook(lua_State *L, lua_Debug *ar)
{
    sbx_limits *l = sbx_get_limits(L);
    if (!l->in_call) return;
    if (!l->tripped && lua_getinfo(L, l->last_src[0] ? "l" : "Sl", ar) && ar->currentline > 0) {
        l->last_line = ar->currentline;
        if (!l->last_src[0]) snprintf(l->last_src, sizeof l->last_src, "%s", ar->short_src);
    }
    if (!l->tripped && l->mem_check) {
        l->mem_check = 0;
        if (l->mem_used > l->mem_cap) lua_gc(L, LUA_GCCOLLECT);
        if (l->mem_used > l->mem_cap) l->tripped = 2;
    }
    if (!l->tripped && l->budget_per_call > 0) {
        l->budget -= l->hook_count;
        if (l->budget <= 0) l->tripped = 1;
    }
    if (!l->tripped && l->cpu_ms > 0) {
#ifndef SBX_TIMER
        if (cpu_now_ms() - l->cpu_start >= l->cpu_ms) l->time_up = 1;
#endif
        if (l->time_up) l->tripped = 3;
    }
    if (l->tripped) {
        /* In a count hook, level 0 is the interrupted Lua function. */
        if (!l->where[0]) set_where(L, l, 0);
        arm(l, 1);
        push_overrun(L, l);
        lua_error(L);
    }
    if (l->hook_count != HOOK_EVERY) disarm(l);
}

int sbx_overrun(lua_State *L, int kind)
{
    sbx_limits *l = sbx_get_limits(L);
    if (!l->tripped) l->tripped = kind;
    /* Level 1: the Lua code that called the C function. */
    if (!l->where[0]) set_where(L, l, 1);
    arm(l, 1);
    push_overrun(L, l);
    return lua_error(L);
}

void sbx_charge(lua_State *L, long long steps)
{
    sbx_limits *l = sbx_get_limits(L);
    if (!l->in_call) return;
    if (l->time_up && l->cpu_ms > 0) sbx_overrun(L, 3);
    if (l->budget_per_call <= 0) return;
    l->budget -= steps;
    if (l->budget > 0 && !l->tripped) return;
    sbx_overrun(L, 1);
}

/* ---- the stubs of everything the sandbox does not offer ------------------- */

static int blocked(lua_State *L)
{
    return luaL_error(L, _("%s is not available in the tuopin sandbox"),
                      lua_tostring(L, lua_upvalueindex(1)));
}

/* io.open and friends: "io.open is not available ...". */
static int blocked_member(lua_State *L)
{
    const char *lib = lua_tostring(L, lua_upvalueindex(1));
    if (lua_type(L, 2) == LUA_TSTRING)
        return luaL_error(L, _("%s.%s is not available in the tuopin sandbox"), lib,
                          lua_tostring(L, 2));
    return luaL_error(L, _("%s is not available in the tuopin sandbox"), lib);
}

static void block_name(lua_State *L, int table, const char *label, const char *field)
{
    table = lua_absindex(L, table);
    lua_pushstring(L, label);
    lua_pushcclosure(L, blocked, 1);
    lua_setfield(L, table, field);
}

/* A whole library: a table whose every use raises the error naming it. */
static void block_lib(lua_State *L, int table, const char *name)
{
    static const luaL_Reg meta[] = {
        { "__index", blocked_member }, { "__newindex", blocked_member }, { "__call", blocked }, { NULL, NULL }
    };
    table = lua_absindex(L, table);
    lua_newtable(L);
    lua_newtable(L);
    lua_pushstring(L, name);      /* each metamethod's upvalue 1 */
    luaL_setfuncs(L, meta, 1);
    lua_pushboolean(L, 0);
    lua_setfield(L, -2, "__metatable");
    lua_setmetatable(L, -2);
    lua_setfield(L, table, name);
}

/* setmetatable as in the base library, refusing metatables with __gc:
 * finalizers run with hooks off, where no budget can stop them. */
static int safe_setmetatable(lua_State *L)
{
    int t = lua_type(L, 2);
    luaL_checktype(L, 1, LUA_TTABLE);
    luaL_argexpected(L, t == LUA_TNIL || t == LUA_TTABLE, 2, "nil or table");
    if (t == LUA_TTABLE) {
        lua_pushliteral(L, "__gc");
        if (lua_rawget(L, 2) != LUA_TNIL)
            return luaL_error(L, _("__gc metamethods are not available in the tuopin sandbox"));
        lua_pop(L, 1);
    }
    if (luaL_getmetafield(L, 1, "__metatable") != LUA_TNIL)
        return luaL_error(L, _("cannot change a protected metatable"));
    lua_settop(L, 2);
    lua_setmetatable(L, 1);
    return 1;
}

/* The message handler xpcall installs: the script's handler, except while
 * a limit has fired.  The hook raises its error from inside the hook, where
 * Lua runs the handler with hooks off: a looping handler would never be
 * stopped.  During an overrun the error goes through untouched instead. */
static int xpcall_handler(lua_State *L)
{
    if (sbx_get_limits(L)->tripped) return 1;
    lua_pushvalue(L, lua_upvalueindex(1));
    lua_insert(L, 1);
    lua_call(L, lua_gettop(L) - 1, 1);
    return 1;
}

/* xpcall as in the base library, with the handler wrapped. */
static int safe_xpcall(lua_State *L)
{
    int n = lua_gettop(L);
    luaL_checktype(L, 2, LUA_TFUNCTION);
    lua_pushvalue(L, 2);
    lua_pushcclosure(L, xpcall_handler, 1);
    lua_replace(L, 2);
    lua_pushboolean(L, 1);
    lua_pushvalue(L, 1);
    lua_rotate(L, 3, 2);
    if (lua_pcall(L, n - 2, LUA_MULTRET, 2) != LUA_OK) {
        lua_pushboolean(L, 0);
        lua_pushvalue(L, -2);
        return 2;
    }
    return lua_gettop(L) - 2;
}

/* ---- pairs in a fixed order ------------------------------------------------- */

/* Why: Lua 5.4 seeds its string hash with addresses, so next() visits the
 * string keys of a table in an order that differs from one state to the
 * next, and from run to run.  A script that adds findings, or builds a
 * detail, in pairs() order would give different outputs each run and with
 * each --jobs.  This pairs visits booleans (false first), then numbers in
 * ascending order, then strings in byte order, then any other key in next()
 * order; __pairs is honoured as by the base library.  The sort is charged
 * to the instruction budget and its key list to the memory cap. */
typedef struct okey { int cat; lua_Integer i; lua_Number n; const char *s; size_t len; int pos; } okey;

static int okey_cmp(const void *pa, const void *pb)
{
    const okey *a = pa, *b = pb;
    int c;
    if (a->cat != b->cat) return a->cat < b->cat ? -1 : 1;
    switch (a->cat) {
    case 0: return a->i < b->i ? -1 : a->i > b->i;
    case 1:
        if (a->s && b->s) return a->i < b->i ? -1 : a->i > b->i;   /* both integers */
        return a->n < b->n ? -1 : a->n > b->n;
    case 2:
        c = memcmp(a->s, b->s, a->len < b->len ? a->len : b->len);
        if (c) return c;
        return a->len < b->len ? -1 : a->len > b->len;
    default: return a->pos < b->pos ? -1 : a->pos > b->pos;
    }
}

/* The iterator: upvalues are the table, the ordered keys and the position. */
static int ordered_next(lua_State *L)
{
    lua_Integer k = lua_tointeger(L, lua_upvalueindex(3));
    for (;;) {
        k++;
        if (lua_rawgeti(L, lua_upvalueindex(2), k) == LUA_TNIL) return 0;
        lua_pushvalue(L, -1);
        if (lua_rawget(L, lua_upvalueindex(1)) != LUA_TNIL) break;
        lua_pop(L, 2);                 /* a key cleared during the loop */
    }
    lua_pushinteger(L, k);
    lua_replace(L, lua_upvalueindex(3));
    return 2;
}

int sbx_known_keys(lua_State *L, int idx, const char *const *allowed)
{
    lua_Integer nk = sbx_sorted_keys(L, idx), ki;
    int kt = lua_gettop(L);
    for (ki = 1; ki <= nk; ki++) {
        int i, ok = 0;
        lua_rawgeti(L, kt, ki);
        if (lua_type(L, -1) == LUA_TSTRING)
            for (i = 0; allowed[i]; i++)
                if (!strcmp(lua_tostring(L, -1), allowed[i])) ok = 1;
        if (!ok) return 0;
        lua_pop(L, 1);
    }
    lua_pop(L, 1);
    return 1;
}

lua_Integer sbx_sorted_keys(lua_State *L, int idx)
{
    okey *keys;
    lua_Integer n = 0, i;
    int all, ud, out;
    idx = lua_absindex(L, idx);
    lua_newtable(L);                                       /* all: keys in next() order */
    all = lua_gettop(L);
    lua_pushnil(L);
    while (lua_next(L, idx)) {
        lua_pop(L, 1);
        lua_pushvalue(L, -1);
        lua_rawseti(L, all, ++n);
    }
    sbx_charge(L, n * 4 + 8);
    keys = lua_newuserdatauv(L, (size_t)(n ? n : 1) * sizeof *keys, 0);
    ud = lua_gettop(L);
    for (i = 1; i <= n; i++) {
        okey *o = &keys[i - 1];
        int t = lua_rawgeti(L, all, i);
        memset(o, 0, sizeof *o);
        o->pos = (int)i;
        if (t == LUA_TBOOLEAN) { o->cat = 0; o->i = lua_toboolean(L, -1); }
        else if (t == LUA_TNUMBER) {
            o->cat = 1;
            o->n = lua_tonumber(L, -1);
            if (lua_isinteger(L, -1)) { o->i = lua_tointeger(L, -1); o->s = ""; }
        } else if (t == LUA_TSTRING) { o->cat = 2; o->s = lua_tolstring(L, -1, &o->len); }
        else o->cat = 3;
        lua_pop(L, 1);                 /* the string stays alive in table all */
    }
    if (n > 1) {
        /* n log n comparisons, charged before they run */
        lua_Integer lg = 1;
        while (((lua_Integer)1 << lg) < n && lg < 62) lg++;
        sbx_charge(L, n * lg);
        qsort(keys, (size_t)n, sizeof *keys, okey_cmp);
    }
    lua_createtable(L, (int)(n < 1000000 ? n : 1000000), 0);   /* out: keys in order */
    out = lua_gettop(L);
    for (i = 1; i <= n; i++) {
        lua_rawgeti(L, all, keys[i - 1].pos);
        lua_rawseti(L, out, i);
    }
    lua_replace(L, all);               /* the ordered keys where all was */
    lua_settop(L, all);
    (void)ud;
    return n;
}

int sbx_sorted_entry(lua_State *L, int keys, lua_Integer i, int t)
{
    keys = lua_absindex(L, keys);
    t = lua_absindex(L, t);
    lua_rawgeti(L, keys, i);
    lua_pushvalue(L, -1);
    return lua_rawget(L, t);
}

static void push_ordered_iter(lua_State *L, int t, int shown);

static int ordered_pairs(lua_State *L)
{
    if (luaL_getmetafield(L, 1, "__pairs") != LUA_TNIL) {
        lua_pushvalue(L, 1);
        lua_call(L, 1, 3);
        return 3;
    }
    luaL_checktype(L, 1, LUA_TTABLE);
    lua_settop(L, 1);
    push_ordered_iter(L, 1, 1);
    return 3;
}

/* ---- read-only tables ------------------------------------------------------ */

/* Why: a rule script runs in one Lua state per worker thread, each seeing
 * part of the households; state kept between households (a counter in a
 * global, a table the script fills) makes the outputs depend on --jobs and
 * on which thread got which chunk.  After the script is loaded, its globals
 * and every table reachable from them, and the params, are frozen in place:
 * the contents move to a hidden table, the table itself stays (so every
 * reference to it still works) with a protected metatable reading through
 * to the hidden one and refusing writes.  next, rawget, rawlen and pairs
 * see the hidden contents; rawset refuses. */
static const char frozen_key = 'f';   /* registry: frozen table -> hidden table */

/* Pushes the hidden table of the frozen table at idx and returns 1, or
 * returns 0 (nothing pushed) when the value is not a frozen table. */
static int frozen_hidden(lua_State *L, int idx)
{
    idx = lua_absindex(L, idx);
    if (lua_type(L, idx) != LUA_TTABLE) return 0;
    if (lua_rawgetp(L, LUA_REGISTRYINDEX, &frozen_key) != LUA_TTABLE) {
        lua_pop(L, 1);
        return 0;
    }
    lua_pushvalue(L, idx);
    if (lua_rawget(L, -2) != LUA_TTABLE) {
        lua_pop(L, 2);
        return 0;
    }
    lua_remove(L, -2);
    return 1;
}

/* __newindex of a frozen table; upvalue 1: its kind (SBX_FROZEN_*). */
static int frozen_newindex(lua_State *L)
{
    int t = lua_type(L, 2);
    const char *k = t == LUA_TSTRING || t == LUA_TNUMBER ? lua_tostring(L, 2) : "?";
    switch ((int)lua_tointeger(L, lua_upvalueindex(1))) {
    case SBX_FROZEN_GLOBALS:
        return luaL_error(L, _("global variable %s cannot be set once the script is loaded: keep no "
                               "state between households (use local variables inside check)"), k);
    case SBX_FROZEN_PARAMS:
        return luaL_error(L, _("params are read-only (params.%s)"), k);
    default:
        return luaL_error(L, _("this table is read-only once the script is loaded (it is reachable "
                               "from the script's globals or params): keep no state between "
                               "households (key %s)"), k);
    }
}

static int frozen_len(lua_State *L)
{
    lua_pushinteger(L, (lua_Integer)lua_rawlen(L, lua_upvalueindex(1)));
    return 1;
}

/* Pushes the ordered iteration of the table at t as pairs returns it,
 * showing the table at shown as pairs' second value. */
static void push_ordered_iter(lua_State *L, int t, int shown)
{
    t = lua_absindex(L, t);
    shown = lua_absindex(L, shown);
    sbx_sorted_keys(L, t);
    lua_pushvalue(L, t);
    lua_insert(L, -2);
    lua_pushinteger(L, 0);
    lua_pushcclosure(L, ordered_next, 3);
    lua_pushvalue(L, shown);
    lua_pushnil(L);
}

/* __pairs of a frozen table: the hidden contents, in the fixed order. */
static int frozen_pairs(lua_State *L)
{
    push_ordered_iter(L, lua_upvalueindex(1), 1);
    return 3;
}

/* Freezes the table at the top of the stack (kind for its messages), and
 * queues its table values in the worklist at w. */
static void freeze_one(lua_State *L, int map, int w, lua_Integer *nw, int kind)
{
    static const luaL_Reg frozen_meta[] = { { "__len", frozen_len }, { "__pairs", frozen_pairs }, { NULL, NULL } };
    int t = lua_gettop(L), h, n = 0, i;
    lua_pushvalue(L, t);
    if (lua_rawget(L, map) != LUA_TNIL || lua_getmetatable(L, t)) {
        /* frozen already, or has a metatable of its own (left as it is) */
        lua_settop(L, t - 1);
        return;
    }
    lua_pop(L, 1);
    lua_newtable(L);                                   /* h: the contents */
    h = lua_gettop(L);
    lua_newtable(L);                                   /* the keys, to clear */
    lua_pushnil(L);
    while (lua_next(L, t)) {
        if (lua_type(L, -1) == LUA_TTABLE) {
            lua_pushvalue(L, -1);
            lua_rawseti(L, w, ++*nw);
        }
        lua_pushvalue(L, -2);
        lua_insert(L, -2);
        lua_rawset(L, h);
        lua_pushvalue(L, -1);
        lua_rawseti(L, h + 1, ++n);
    }
    for (i = 1; i <= n; i++) {
        lua_rawgeti(L, h + 1, i);
        lua_pushnil(L);
        lua_rawset(L, t);
    }
    lua_pop(L, 1);
    lua_createtable(L, 0, 5);
    lua_pushvalue(L, h);
    lua_setfield(L, -2, "__index");
    lua_pushinteger(L, kind);
    lua_pushcclosure(L, frozen_newindex, 1);
    lua_setfield(L, -2, "__newindex");
    lua_pushvalue(L, h);          /* upvalue 1 of __len and __pairs */
    luaL_setfuncs(L, frozen_meta, 1);
    lua_pushboolean(L, 0);
    lua_setfield(L, -2, "__metatable");
    lua_setmetatable(L, t);
    lua_pushvalue(L, t);
    lua_pushvalue(L, h);
    lua_rawset(L, map);
    lua_settop(L, t - 1);
}

void sbx_freeze(lua_State *L, int idx, int kind)
{
    lua_Integer nw = 0, i;
    int map, w;
    idx = lua_absindex(L, idx);
    if (lua_rawgetp(L, LUA_REGISTRYINDEX, &frozen_key) != LUA_TTABLE) {
        lua_pop(L, 1);
        lua_newtable(L);
        lua_pushvalue(L, -1);
        lua_rawsetp(L, LUA_REGISTRYINDEX, &frozen_key);
    }
    map = lua_gettop(L);
    lua_newtable(L);
    w = lua_gettop(L);
    lua_pushvalue(L, idx);
    freeze_one(L, map, w, &nw, kind);
    for (i = 1; i <= nw; i++) {                        /* the worklist grows as it goes */
        lua_rawgeti(L, w, i);
        freeze_one(L, map, w, &nw, kind == SBX_FROZEN_PARAMS ? SBX_FROZEN_PARAMS : SBX_FROZEN_TABLE);
    }
    lua_settop(L, map - 1);
}

/* next, rawget and rawlen see a frozen table's contents; rawset refuses. */
static int safe_next(lua_State *L)
{
    luaL_checktype(L, 1, LUA_TTABLE);
    lua_settop(L, 2);
    if (frozen_hidden(L, 1)) lua_replace(L, 1);
    if (lua_next(L, 1)) return 2;
    lua_pushnil(L);
    return 1;
}

static int safe_rawget(lua_State *L)
{
    luaL_checktype(L, 1, LUA_TTABLE);
    luaL_checkany(L, 2);
    lua_settop(L, 2);
    if (frozen_hidden(L, 1)) lua_replace(L, 1);
    lua_rawget(L, 1);
    return 1;
}

static int safe_rawlen(lua_State *L)
{
    int t = lua_type(L, 1);
    luaL_argexpected(L, t == LUA_TTABLE || t == LUA_TSTRING, 1, "table or string");
    if (frozen_hidden(L, 1)) lua_replace(L, 1);
    lua_pushinteger(L, (lua_Integer)lua_rawlen(L, 1));
    return 1;
}

static int safe_rawset(lua_State *L)
{
    luaL_checktype(L, 1, LUA_TTABLE);
    luaL_checkany(L, 2);
    luaL_checkany(L, 3);
    if (frozen_hidden(L, 1))
        return luaL_error(L, _("rawset cannot change a read-only table (params, or the script's "
                               "globals once it is loaded)"));
    lua_settop(L, 3);
    lua_rawset(L, 1);
    return 1;
}

/* ---- no addresses ------------------------------------------------------------ */

/* Why: tostring({}) and string.format("%p") give a memory address, which
 * differs from run to run (and tells where the process's memory lies).  A
 * table, function, userdata or thread without __tostring prints as its type
 * name alone ("table"); %p is refused. */
static void push_neutral(lua_State *L, int idx)
{
    int t = lua_type(L, idx);
    if ((t == LUA_TTABLE || t == LUA_TFUNCTION || t == LUA_TUSERDATA || t == LUA_TTHREAD
         || t == LUA_TLIGHTUSERDATA)
        && luaL_getmetafield(L, idx, "__tostring") == LUA_TNIL) {
        lua_pushstring(L, lua_typename(L, t));
        return;
    }
    if (t == LUA_TTABLE || t == LUA_TFUNCTION || t == LUA_TUSERDATA || t == LUA_TTHREAD
        || t == LUA_TLIGHTUSERDATA)
        lua_pop(L, 1);                                 /* the __tostring found */
    luaL_tolstring(L, idx, NULL);
}

static int safe_tostring(lua_State *L)
{
    luaL_checkany(L, 1);
    push_neutral(L, 1);
    return 1;
}

/* string.format: upvalue 1 the format it wraps. */
static int safe_format(lua_State *L)
{
    size_t len;
    const char *f = luaL_checklstring(L, 1, &len), *e = f + len;
    int arg = 1, top = lua_gettop(L);
    while (f < e) {
        if (*f++ != '%') continue;
        if (f < e && *f == '%') { f++; continue; }
        arg++;
        while (f < e && strchr("-+ #0123456789.", *f)) f++;
        if (f >= e) break;
        if (*f == 'p')
            return luaL_error(L, _("string.format: %%p is not available in the tuopin sandbox "
                                   "(addresses differ from run to run)"));
        if (*f == 's' && arg <= top) {
            push_neutral(L, arg);
            lua_replace(L, arg);
        }
        f++;
    }
    lua_pushvalue(L, lua_upvalueindex(1));
    lua_insert(L, 1);
    lua_call(L, top, 1);
    return 1;
}

static void open_lib(lua_State *L, const char *name, lua_CFunction f)
{
    luaL_requiref(L, name, f, 1);
    lua_pop(L, 1);
}

static void open_safe_libs(lua_State *L)
{
    static const char *const base_blocked[] = {
        "load", "loadfile", "dofile", "require", "collectgarbage", "print", NULL
    };
    static const char *const libs_blocked[] = {
        "io", "os", "package", "debug", "coroutine", NULL
    };
    /* the base functions replaced by safe ones, set in this order */
    static const luaL_Reg safe_base[] = {
        { "setmetatable", safe_setmetatable }, { "xpcall", safe_xpcall }, { "pairs", ordered_pairs },
        { "next", safe_next }, { "rawget", safe_rawget }, { "rawlen", safe_rawlen },
        { "rawset", safe_rawset }, { "tostring", safe_tostring }, { NULL, NULL }
    };
    int i;
    open_lib(L, LUA_GNAME, luaopen_base);
    open_lib(L, LUA_STRLIBNAME, luaopen_string);
    open_lib(L, LUA_TABLIBNAME, luaopen_table);
    open_lib(L, LUA_MATHLIBNAME, luaopen_math);
    open_lib(L, LUA_UTF8LIBNAME, luaopen_utf8);
    lua_pushglobaltable(L);
    for (i = 0; base_blocked[i]; i++) block_name(L, -1, base_blocked[i], base_blocked[i]);
    for (i = 0; libs_blocked[i]; i++) block_lib(L, -1, libs_blocked[i]);
    luaL_setfuncs(L, safe_base, 0);

    lua_getfield(L, -1, LUA_STRLIBNAME);
    block_name(L, -1, "string.dump", "dump");
    sbx_open_match(L);
    lua_getfield(L, -1, "format");
    lua_pushcclosure(L, safe_format, 1);
    lua_setfield(L, -2, "format");
    lua_pop(L, 1);
    if (lua_getfield(L, -1, LUA_TABLIBNAME) == LUA_TTABLE) sbx_wrap_table(L);
    lua_pop(L, 1);
    if (lua_getfield(L, -1, LUA_UTF8LIBNAME) == LUA_TTABLE) {
        static const char *const u[] = { "char", "codepoint", "len", "offset", NULL };
        int k;
        for (k = 0; u[k]; k++) sbx_wrap_precharged(L, u[k]);
    }
    lua_pop(L, 1);

    /* Verdicts must not depend on chance: the same data gives the same
     * findings on every run, whatever the number of jobs. */
    lua_getfield(L, -1, LUA_MATHLIBNAME);
    block_name(L, -1, "math.random", "random");
    block_name(L, -1, "math.randomseed", "randomseed");
    lua_pop(L, 1);
    lua_pop(L, 1);

    /* getmetatable("") answers false; the metatable itself stays reachable
     * only through the string methods. */
    lua_pushliteral(L, "");
    if (lua_getmetatable(L, -1)) {
        lua_pushboolean(L, 0);
        lua_setfield(L, -2, "__metatable");
        lua_pop(L, 1);
    }
    lua_pop(L, 1);
}

lua_State *sbx_new(size_t mem_cap, long long instr_budget, int with_libs)
{
    sbx_limits *l = calloc(1, sizeof *l);
    lua_State *L;
    if (!l) return NULL;
    l->mem_cap = mem_cap;
    l->budget_per_call = instr_budget > 0 ? instr_budget : 0;
    l->budget = l->budget_per_call;
    l->cpu_ms = SBX_CPU_MS_MIN;
    if (l->budget_per_call / SBX_INSTR_PER_MS > l->cpu_ms) l->cpu_ms = l->budget_per_call / SBX_INSTR_PER_MS;
    L = lua_newstate(sbx_alloc, l);
    if (!L) {
        free(l);
        return NULL;
    }
    l->L = L;
    if (with_libs) open_safe_libs(L);
    disarm(l);
    return L;
}

void sbx_close(lua_State *L)
{
    sbx_limits *l;
    if (!L) return;
    l = sbx_get_limits(L);
    lua_close(L);
    free(l);
}

/* ---- loading -------------------------------------------------------------- */

typedef struct file_reader {
    FILE *f;
    char buf[8192];
    const char *pre;       /* bytes to give before the file's (a kept '\n') */
    size_t npre;
} file_reader;

static const char *read_chunk(lua_State *L, void *ud, size_t *size)
{
    file_reader *r = ud;
    (void)L;
    if (r->npre) {
        *size = r->npre;
        r->npre = 0;
        return r->pre;
    }
    *size = fread(r->buf, 1, sizeof r->buf, r->f);
    return *size ? r->buf : NULL;
}

int sbx_loadfile_as(lua_State *L, const char *path, const char *chunkname)
{
    sbx_limits *l = sbx_get_limits(L);
    file_reader r;
    int c, rc;
    memset(&r, 0, sizeof r);
    r.f = fopen(path, "rb");
    if (!r.f) {
        lua_pushfstring(L, _("cannot open %s"), path);
        return LUA_ERRFILE;
    }
    /* A UTF-8 byte-order mark, then a first line starting with '#', are
     * skipped as by the lua command (the line break is kept, so line
     * numbers stay right). */
    c = getc(r.f);
    if (c == 0xEF) {
        if (getc(r.f) != 0xBB || getc(r.f) != 0xBF) rewind(r.f);
        c = getc(r.f);
    }
    if (c == '#') {
        while ((c = getc(r.f)) != EOF && c != '\n') ;
        if (c == '\n') { r.pre = "\n"; r.npre = 1; }
    } else if (c != EOF) {
        ungetc(c, r.f);
    }
    lua_pushfstring(L, "@%s", chunkname);
    l->in_call++;
    /* Mode "t": a precompiled chunk ("\27Lua...") is refused. */
    rc = lua_load(L, read_chunk, &r, lua_tostring(L, -1), "t");
    l->in_call--;
    lua_remove(L, -2);
    if (ferror(r.f) && rc == LUA_OK) {
        lua_pop(L, 1);
        lua_pushfstring(L, _("cannot read %s"), path);
        rc = LUA_ERRFILE;
    }
    fclose(r.f);
    return rc;
}

int sbx_loadfile(lua_State *L, const char *path)
{
    return sbx_loadfile_as(L, path, path);
}

/* ---- calling ---------------------------------------------------------------- */

/* Message handler: an error raised while a limit has fired (Lua's own
 * "not enough memory" from a buffer, for instance) gets the script line. */
static int msgh(lua_State *L)
{
    sbx_limits *l = sbx_get_limits(L);
    if (l->tripped && !l->where[0]) set_where(L, l, 1);
    return 1;
}

int sbx_pcall(lua_State *L, int nargs, int nresults)
{
    sbx_limits *l = sbx_get_limits(L), *saved;
    int base = lua_gettop(L) - nargs; /* the function */
    int rc, armed;
    /* A state well into its cap collects before the call, from here: the
     * stack slots above the top still hold what earlier calls left there,
     * and a collection run by the hook during the call would have to keep
     * them (they lie inside the running function's frame). */
    if (l->mem_cap && l->mem_used > l->mem_cap / 4 * 3) lua_gc(L, LUA_GCCOLLECT);
    l->budget = l->budget_per_call;
    l->tripped = 0;
    l->mem_check = 0;
    l->fail_pending = 0;
    l->where[0] = '\0';
    l->last_line = 0;
    l->last_src[0] = '\0';
    disarm(l);
    lua_pushcfunction(L, msgh);
    lua_insert(L, base);
    l->in_call++;
    time_start(l, &saved, &armed);
    rc = lua_pcall(L, nargs, nresults, base);
    time_stop(l, saved, armed);
    l->in_call--;
    lua_remove(L, base);
    disarm(l);
    if (l->tripped) {
        lua_settop(L, base - 1);
        push_overrun(L, l);
        return LUA_ERRRUN;
    }
    return rc;
}

int sbx_raise(lua_State *L, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    lua_pushvfstring(L, fmt, ap);
    va_end(ap);
    return lua_error(L);
}

char *sbx_strdup(lua_State *L, const char *s)
{
    char *d = strdup(s);
    if (!d) sbx_raise(L, _("out of memory"));
    return d;
}
