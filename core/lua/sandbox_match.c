/* sandbox_match.c — string.find, match, gmatch and gsub for the sandbox,
 * with Lua 5.4's pattern semantics and a step count charged to the call's
 * instruction budget; and string.rep refusing results over the memory cap.
 *
 * Why: Lua's own matcher backtracks inside C, where no count hook runs, so
 * string.find(string.rep("a", 40), string.rep("a*", 40) .. "b") would hang a
 * run past any budget.  This matcher is a fresh implementation of the same
 * algorithm (the reference manual, §6.4.1) that counts every step; the unit
 * tests compare it with the real string library on many patterns. */
#include "sandbox.h"
#include "i18n.h"

#include <ctype.h>
#include <lauxlib.h>
#include <string.h>

#define ESC '%'
#define SPECIALS "^$*+?.([%-"
#define MAX_DEPTH 200            /* recursion of the matcher, as Lua's */
#define MAX_CAPTURES 32           /* as Lua's LUA_MAXCAPTURES */
#define CAP_OPEN (-1)
#define CAP_POS (-2)
#define CHARGE_EVERY 1024

typedef struct mstate {
    const char *src, *src_end, *pat_end;
    lua_State *L;
    int depth;                   /* calls left before "pattern too complex" */
    int level;                   /* captures open or closed */
    long long steps;
    struct { const char *init; ptrdiff_t len; } cap[MAX_CAPTURES];
} mstate;

static void step(mstate *ms)
{
    if (++ms->steps >= CHARGE_EVERY) {
        long long n = ms->steps;
        ms->steps = 0;
        sbx_charge(ms->L, n);
    }
}

static int uc(char c) { return (unsigned char)c; }

/* The end of the single-character class starting at p. */
static const char *class_end(mstate *ms, const char *p)
{
    switch (*p++) {
    case ESC:
        if (p == ms->pat_end) luaL_error(ms->L, _("malformed pattern (ends with '%%')"));
        return p + 1;
    case '[': {
        const char *start = p;
        if (*p == '^') p++;
        do {
            if (p == ms->pat_end) luaL_error(ms->L, _("malformed pattern (missing ']')"));
            if (*(p++) == ESC && p < ms->pat_end) p++;
        } while (*p != ']');
        /* a set is read again at every character it is tried on */
        ms->steps += (long long)((p - start) / SBX_BYTES_PER_STEP);
        return p + 1;
    }
    default:
        return p;
    }
}

static int class_match(int c, int cl)
{
    int r;
    switch (tolower(cl)) {
    case 'a': r = isalpha(c); break;
    case 'c': r = iscntrl(c); break;
    case 'd': r = isdigit(c); break;
    case 'g': r = isgraph(c); break;
    case 'l': r = islower(c); break;
    case 'p': r = ispunct(c); break;
    case 's': r = isspace(c); break;
    case 'u': r = isupper(c); break;
    case 'w': r = isalnum(c); break;
    case 'x': r = isxdigit(c); break;
    default: return cl == c;
    }
    if (isupper(cl)) r = !r;
    return r != 0;
}

/* [set]: p at '[', end at its ']'. */
static int set_match(int c, const char *p, const char *end)
{
    int yes = 1;
    if (*(p + 1) == '^') {
        yes = 0;
        p++;
    }
    while (++p < end) {
        if (*p == ESC) {
            p++;
            if (class_match(c, uc(*p))) return yes;
        } else if (*(p + 1) == '-' && p + 2 < end) {
            p += 2;
            if (uc(*(p - 2)) <= c && c <= uc(*p)) return yes;
        } else if (uc(*p) == c) {
            return yes;
        }
    }
    return !yes;
}

static int single_match(mstate *ms, const char *s, const char *p, const char *ep)
{
    int c;
    if (s >= ms->src_end) return 0;
    c = uc(*s);
    switch (*p) {
    case '.': return 1;
    case ESC: return class_match(c, uc(*(p + 1)));
    case '[': return set_match(c, p, ep - 1);
    default: return uc(*p) == c;
    }
}

static const char *do_match(mstate *ms, const char *s, const char *p);

static const char *balance(mstate *ms, const char *s, const char *p)
{
    int open, close, depth = 1;
    if (p >= ms->pat_end - 1)
        luaL_error(ms->L, _("malformed pattern (missing arguments to '%%b')"));
    if (s >= ms->src_end || *s != *p) return NULL;
    open = *p;
    close = *(p + 1);
    while (++s < ms->src_end) {
        step(ms);
        if (*s == close) {
            if (--depth == 0) return s + 1;
        } else if (*s == open) {
            depth++;
        }
    }
    return NULL;
}

static const char *expand_max(mstate *ms, const char *s, const char *p, const char *ep)
{
    ptrdiff_t i = 0;
    while (single_match(ms, s + i, p, ep)) {
        step(ms);
        i++;
    }
    for (; i >= 0; i--) {
        const char *r = do_match(ms, s + i, ep + 1);
        if (r) return r;
    }
    return NULL;
}

static const char *expand_min(mstate *ms, const char *s, const char *p, const char *ep)
{
    for (;;) {
        const char *r = do_match(ms, s, ep + 1);
        if (r) return r;
        if (!single_match(ms, s, p, ep)) return NULL;
        s++;
    }
}

static const char *capture_open(mstate *ms, const char *s, const char *p, ptrdiff_t what)
{
    const char *r;
    if (ms->level >= MAX_CAPTURES) luaL_error(ms->L, _("too many captures"));
    ms->cap[ms->level].init = s;
    ms->cap[ms->level].len = what;
    ms->level++;
    if (!(r = do_match(ms, s, p))) ms->level--;
    return r;
}

static const char *capture_close(mstate *ms, const char *s, const char *p)
{
    int l;
    const char *r;
    for (l = ms->level - 1; l >= 0; l--)
        if (ms->cap[l].len == CAP_OPEN) break;
    if (l < 0) luaL_error(ms->L, _("invalid pattern capture"));
    ms->cap[l].len = s - ms->cap[l].init;
    if (!(r = do_match(ms, s, p))) ms->cap[l].len = CAP_OPEN;
    return r;
}

static int capture_index(mstate *ms, int c)
{
    int l = c - '1';
    if (l < 0 || l >= ms->level || ms->cap[l].len == CAP_OPEN)
        luaL_error(ms->L, _("invalid capture index %%%d"), l + 1);
    return l;
}

static const char *back_ref(mstate *ms, const char *s, int c)
{
    int l = capture_index(ms, c);
    ptrdiff_t len = ms->cap[l].len;
    if (len > 0) {
        ms->steps += (long long)(len / SBX_BYTES_PER_STEP);
        step(ms);
    }
    if (len >= 0 && ms->src_end - s >= len && !memcmp(ms->cap[l].init, s, (size_t)len))
        return s + len;
    return NULL;
}

static const char *do_match(mstate *ms, const char *s, const char *p)
{
    if (ms->depth-- == 0) luaL_error(ms->L, _("pattern too complex"));
again:
    step(ms);
    if (p != ms->pat_end) {
        switch (*p) {
        case '(':
            if (*(p + 1) == ')') s = capture_open(ms, s, p + 2, CAP_POS);
            else s = capture_open(ms, s, p + 1, CAP_OPEN);
            break;
        case ')':
            s = capture_close(ms, s, p + 1);
            break;
        case '$':
            if (p + 1 != ms->pat_end) goto single;
            s = s == ms->src_end ? s : NULL;
            break;
        case ESC:
            switch (*(p + 1)) {
            case 'b':
                s = balance(ms, s, p + 2);
                if (s) {
                    p += 4;
                    goto again;
                }
                break;
            case 'f': {
                const char *ep;
                int prev;
                p += 2;
                if (*p != '[') luaL_error(ms->L, _("missing '[' after '%%f' in pattern"));
                ep = class_end(ms, p);
                prev = s == ms->src ? '\0' : uc(*(s - 1));
                /* At the end, the character "after" is the terminating NUL,
                 * as in Lua. */
                if (!set_match(prev, p, ep - 1)
                    && set_match(s < ms->src_end ? uc(*s) : '\0', p, ep - 1)) {
                    p = ep;
                    goto again;
                }
                s = NULL;
                break;
            }
            case '0': case '1': case '2': case '3': case '4':
            case '5': case '6': case '7': case '8': case '9':
                s = back_ref(ms, s, uc(*(p + 1)));
                if (s) {
                    p += 2;
                    goto again;
                }
                break;
            default:
                goto single;
            }
            break;
        default:
        single: {
            const char *ep = class_end(ms, p);
            int next = ep < ms->pat_end ? *ep : '\0';
            if (!single_match(ms, s, p, ep)) {
                if (next == '*' || next == '?' || next == '-') {
                    p = ep + 1;
                    goto again;
                }
                s = NULL;
            } else {
                switch (next) {
                case '?': {
                    const char *r = do_match(ms, s + 1, ep + 1);
                    if (r) s = r;
                    else {
                        p = ep + 1;
                        goto again;
                    }
                    break;
                }
                case '+': s = expand_max(ms, s + 1, p, ep); break;
                case '*': s = expand_max(ms, s, p, ep); break;
                case '-': s = expand_min(ms, s, p, ep); break;
                default:
                    s++;
                    p = ep;
                    goto again;
                }
            }
            break;
        }
        }
    }
    ms->depth++;
    return s;
}

/* ---- captures ------------------------------------------------------------- */

/* Capture i (the whole match s..e when there are none); a position capture
 * is pushed as an integer and returns CAP_POS. */
static ptrdiff_t get_capture(mstate *ms, int i, const char *s, const char *e, const char **out)
{
    if (i >= ms->level) {
        if (i != 0) luaL_error(ms->L, _("invalid capture index %%%d"), i + 1);
        *out = s;
        return e - s;
    }
    *out = ms->cap[i].init;
    if (ms->cap[i].len == CAP_OPEN) luaL_error(ms->L, _("unfinished capture"));
    if (ms->cap[i].len == CAP_POS)
        lua_pushinteger(ms->L, (lua_Integer)(ms->cap[i].init - ms->src) + 1);
    return ms->cap[i].len;
}

static void push_capture(mstate *ms, int i, const char *s, const char *e)
{
    const char *c;
    ptrdiff_t n = get_capture(ms, i, s, e, &c);
    if (n != CAP_POS) lua_pushlstring(ms->L, c, (size_t)n);
}

static int push_captures(mstate *ms, const char *s, const char *e)
{
    int i, n = (ms->level == 0 && s) ? 1 : ms->level;
    luaL_checkstack(ms->L, n, _("too many captures"));
    for (i = 0; i < n; i++) push_capture(ms, i, s, e);
    return n;
}

static void prepare(mstate *ms, lua_State *L, const char *s, size_t ls, const char *p, size_t lp)
{
    ms->L = L;
    ms->src = s;
    ms->src_end = s + ls;
    ms->pat_end = p + lp;
    ms->steps = 0;
}

static void restart(mstate *ms)
{
    ms->level = 0;
    ms->depth = MAX_DEPTH;
}

/* ---- the library functions ----------------------------------------------- */

static size_t start_index(lua_Integer pos, size_t len)
{
    if (pos > 0) return (size_t)pos;
    if (pos == 0) return 1;
    if (pos < -(lua_Integer)len) return 1;
    return len + (size_t)pos + 1;
}

static int has_specials(const char *p, size_t l)
{
    size_t i;
    for (i = 0; i < l; i++)
        if (p[i] && strchr(SPECIALS, p[i])) return 1;
    return 0;
}

/* Plain search, counting the bytes compared. */
static const char *plain_find(mstate *ms, const char *s, size_t ls, const char *p, size_t lp)
{
    const char *end;
    if (lp == 0) return s;
    if (lp > ls) return NULL;
    end = s + (ls - lp) + 1;
    while (s < end) {
        const char *q = memchr(s, *p, (size_t)(end - s));
        size_t k = 1;
        if (!q) {
            ms->steps += (long long)((end - s) / SBX_BYTES_PER_STEP);
            step(ms);
            return NULL;
        }
        while (k < lp && q[k] == p[k]) k++;
        ms->steps += (long long)((size_t)(q - s) / SBX_BYTES_PER_STEP) + (long long)(k >> 4);
        step(ms);
        if (k == lp) return q;
        s = q + 1;
    }
    return NULL;
}

static int find_aux(lua_State *L, int find)
{
    size_t ls, lp;
    const char *s = luaL_checklstring(L, 1, &ls);
    const char *p = luaL_checklstring(L, 2, &lp);
    size_t init = start_index(luaL_optinteger(L, 3, 1), ls) - 1;
    mstate ms;
    sbx_charge(L, 1 + (long long)(lp / SBX_BYTES_PER_STEP));
    if (init > ls) {
        luaL_pushfail(L);
        return 1;
    }
    prepare(&ms, L, s, ls, p, lp);
    if (find && (lua_toboolean(L, 4) || !has_specials(p, lp))) {
        const char *q = plain_find(&ms, s + init, ls - init, p, lp);
        if (q) {
            lua_pushinteger(L, (lua_Integer)(q - s) + 1);
            lua_pushinteger(L, (lua_Integer)(q - s + (ptrdiff_t)lp));
            return 2;
        }
    } else {
        const char *s1 = s + init;
        int anchor = *p == '^';
        if (anchor) {
            p++;
            lp--;
            ms.pat_end = p + lp;
        }
        do {
            const char *e;
            restart(&ms);
            if ((e = do_match(&ms, s1, p)) != NULL) {
                if (find) {
                    lua_pushinteger(L, (lua_Integer)(s1 - s) + 1);
                    lua_pushinteger(L, (lua_Integer)(e - s));
                    return push_captures(&ms, NULL, NULL) + 2;
                }
                return push_captures(&ms, s1, e);
            }
        } while (s1++ < ms.src_end && !anchor);
    }
    luaL_pushfail(L);
    return 1;
}

static int s_find(lua_State *L) { return find_aux(L, 1); }
static int s_match(lua_State *L) { return find_aux(L, 0); }

typedef struct gmatch_state {
    const char *next, *pat, *last;
    mstate ms;
} gmatch_state;

static int gmatch_step(lua_State *L)
{
    gmatch_state *g = lua_touserdata(L, lua_upvalueindex(3));
    const char *s;
    g->ms.L = L;
    for (s = g->next; s <= g->ms.src_end; s++) {
        const char *e;
        restart(&g->ms);
        if ((e = do_match(&g->ms, s, g->pat)) != NULL && e != g->last) {
            g->next = g->last = e;
            return push_captures(&g->ms, s, e);
        }
    }
    return 0;
}

static int s_gmatch(lua_State *L)
{
    size_t ls, lp;
    const char *s = luaL_checklstring(L, 1, &ls);
    const char *p = luaL_checklstring(L, 2, &lp);
    size_t init = start_index(luaL_optinteger(L, 3, 1), ls) - 1;
    gmatch_state *g;
    sbx_charge(L, 1 + (long long)(lp / SBX_BYTES_PER_STEP));
    lua_settop(L, 2);   /* the strings stay alive as upvalues */
    g = lua_newuserdatauv(L, sizeof *g, 0);
    if (init > ls) init = ls + 1;
    prepare(&g->ms, L, s, ls, p, lp);
    g->next = s + init;
    g->pat = p;
    g->last = NULL;
    lua_pushcclosure(L, gmatch_step, 3);
    return 1;
}

static void add_string(mstate *ms, luaL_Buffer *b, const char *s, const char *e)
{
    size_t l;
    lua_State *L = ms->L;
    const char *r = lua_tolstring(L, 3, &l), *p;
    while ((p = memchr(r, ESC, l)) != NULL) {
        luaL_addlstring(b, r, (size_t)(p - r));
        p++;
        if (*p == ESC) {
            luaL_addchar(b, *p);
        } else if (*p == '0') {
            luaL_addlstring(b, s, (size_t)(e - s));
        } else if (isdigit(uc(*p))) {
            const char *c;
            ptrdiff_t n = get_capture(ms, *p - '1', s, e, &c);
            if (n == CAP_POS) luaL_addvalue(b);
            else luaL_addlstring(b, c, (size_t)n);
        } else {
            luaL_error(L, _("invalid use of '%c' in replacement string"), ESC);
        }
        l -= (size_t)(p + 1 - r);
        r = p + 1;
    }
    luaL_addlstring(b, r, l);
}

static int add_value(mstate *ms, luaL_Buffer *b, const char *s, const char *e, int tr)
{
    lua_State *L = ms->L;
    switch (tr) {
    case LUA_TFUNCTION: {
        int n;
        lua_pushvalue(L, 3);
        n = push_captures(ms, s, e);
        lua_call(L, n, 1);
        break;
    }
    case LUA_TTABLE:
        push_capture(ms, 0, s, e);
        lua_gettable(L, 3);
        break;
    default:
        add_string(ms, b, s, e);
        return 1;
    }
    if (!lua_toboolean(L, -1)) {
        lua_pop(L, 1);
        luaL_addlstring(b, s, (size_t)(e - s));
        return 0;
    }
    if (!lua_isstring(L, -1))
        return luaL_error(L, _("invalid replacement value (a %s)"), luaL_typename(L, -1));
    luaL_addvalue(b);
    return 1;
}

static int s_gsub(lua_State *L)
{
    size_t ls, lp;
    const char *src = luaL_checklstring(L, 1, &ls);
    const char *p = luaL_checklstring(L, 2, &lp);
    const char *last = NULL;
    int tr = lua_type(L, 3);
    lua_Integer max = luaL_optinteger(L, 4, (lua_Integer)ls + 1), n = 0;
    int anchor = *p == '^', changed = 0;
    mstate ms;
    luaL_Buffer b;
    luaL_argexpected(L, tr == LUA_TNUMBER || tr == LUA_TSTRING || tr == LUA_TFUNCTION
                     || tr == LUA_TTABLE, 3, "string/function/table");
    luaL_buffinit(L, &b);
    if (anchor) {
        p++;
        lp--;
    }
    sbx_charge(L, 1 + (long long)(lp / SBX_BYTES_PER_STEP));
    prepare(&ms, L, src, ls, p, lp);
    while (n < max) {
        const char *e;
        size_t before = luaL_bufflen(&b);
        restart(&ms);
        if ((e = do_match(&ms, src, p)) != NULL && e != last) {
            n++;
            changed = add_value(&ms, &b, src, e, tr) | changed;
            src = last = e;
            /* the replacement's bytes: a short match may write megabytes */
            ms.steps += (long long)((luaL_bufflen(&b) - before) / SBX_BYTES_PER_STEP);
        } else if (src < ms.src_end) {
            luaL_addchar(&b, *src++);
        } else {
            break;
        }
        if (anchor) break;
    }
    sbx_charge(L, ms.steps);
    ms.steps = 0;
    if (!changed) {
        lua_pushvalue(L, 1);
    } else {
        luaL_addlstring(&b, src, (size_t)(ms.src_end - src));
        luaL_pushresult(&b);
    }
    lua_pushinteger(L, n);
    return 2;
}

/* string.rep refusing, with the script's line, a result over the memory
 * cap (upvalue 1: the library's string.rep). */
static int s_rep(lua_State *L)
{
    size_t l, lsep = 0;
    sbx_limits *lim = sbx_get_limits(L);
    lua_Integer n;
    luaL_checklstring(L, 1, &l);
    n = luaL_checkinteger(L, 2);
    luaL_optlstring(L, 3, "", &lsep);
    if (lim->mem_cap && lim->in_call && n > 0
        && ((double)l + (double)lsep) * (double)n > (double)lim->mem_cap)
        return sbx_overrun(L, 2);
    /* The bytes it writes are charged to the instruction budget (one step
     * per SBX_BYTES_PER_STEP), before it writes them: one instruction could
     * otherwise copy megabytes, and a loop of them run for minutes. */
    if (n > 0) sbx_charge(L, (long long)(((double)l + (double)lsep) * (double)n / SBX_BYTES_PER_STEP));
    lua_pushvalue(L, lua_upvalueindex(1));
    lua_insert(L, 1);
    lua_call(L, lua_gettop(L) - 1, 1);
    return 1;
}

/* A library function whose result string is charged to the instruction
 * budget by its length once made (upvalue 1: the function): string.format,
 * upper, lower, reverse and table.concat can each write as much as their
 * arguments hold. */
static int s_charged(lua_State *L)
{
    int n = lua_gettop(L), r, i;
    lua_pushvalue(L, lua_upvalueindex(1));
    lua_insert(L, 1);
    lua_call(L, n, LUA_MULTRET);
    r = lua_gettop(L);
    for (i = 1; i <= r; i++)
        if (lua_type(L, i) == LUA_TSTRING) sbx_charge(L, (long long)(lua_rawlen(L, i) / SBX_BYTES_PER_STEP));
    return r;
}

/* Replaces function `name` of the table on top of the stack by `wrapper`
 * with the function as its upvalue 1 (not a function: left as it is). */
static void wrap(lua_State *L, const char *name, lua_CFunction wrapper)
{
    if (lua_getfield(L, -1, name) != LUA_TFUNCTION) {
        lua_pop(L, 1);
        return;
    }
    lua_pushcclosure(L, wrapper, 1);
    lua_setfield(L, -2, name);
}

void sbx_wrap_charged(lua_State *L, const char *name) { wrap(L, name, s_charged); }

/* A library function charged before it runs by the strings it is given
 * (it may read all of them: utf8.len, string.byte, sub, pack...) and the
 * numbers it is given as counts or widths where it builds that much
 * (string.pack's "c20000000" is a short format, charged by its result),
 * and after by the strings and values it returns (upvalue 1: the
 * function). */
static int s_precharged(lua_State *L)
{
    int n = lua_gettop(L), r, i;
    long long in = 1;
    for (i = 1; i <= n; i++)
        if (lua_type(L, i) == LUA_TSTRING) in += (long long)(lua_rawlen(L, i) / SBX_BYTES_PER_STEP);
    sbx_charge(L, in);
    lua_pushvalue(L, lua_upvalueindex(1));
    lua_insert(L, 1);
    lua_call(L, n, LUA_MULTRET);
    r = lua_gettop(L);
    in = r;
    for (i = 1; i <= r; i++)
        if (lua_type(L, i) == LUA_TSTRING) in += (long long)(lua_rawlen(L, i) / SBX_BYTES_PER_STEP);
    sbx_charge(L, in);
    return r;
}

void sbx_wrap_precharged(lua_State *L, const char *name) { wrap(L, name, s_precharged); }

/* table.unpack charged by the values it pushes, before it pushes them
 * (upvalue 1: the library's). */
static int t_unpack(lua_State *L)
{
    lua_Integer i = luaL_optinteger(L, 2, 1);
    lua_Integer e = lua_isnoneornil(L, 3) ? luaL_len(L, 1) : luaL_checkinteger(L, 3);
    /* More than Lua's stack can take is refused by the library itself
     * ("too many results to unpack"), before any work. */
    if (i <= e && (lua_Unsigned)e - (lua_Unsigned)i < 1000000)
        sbx_charge(L, (long long)((lua_Unsigned)e - (lua_Unsigned)i) + 1);
    lua_pushvalue(L, lua_upvalueindex(1));
    lua_insert(L, 1);
    lua_call(L, lua_gettop(L) - 1, LUA_MULTRET);
    return lua_gettop(L);
}

/* table.sort charged n log n comparisons, each by the length of the
 * strings it compares (upvalue 1: the library's). */
static int t_sort(lua_State *L)
{
    lua_Integer n, i, lg = 1;
    long long bytes = 0;
    luaL_checktype(L, 1, LUA_TTABLE);
    n = (lua_Integer)lua_rawlen(L, 1);
    sbx_charge(L, 1 + n);
    for (i = 1; i <= n; i++) {
        if (lua_rawgeti(L, 1, i) == LUA_TSTRING) bytes += (long long)lua_rawlen(L, -1);
        lua_pop(L, 1);
    }
    while (((lua_Integer)1 << lg) < n && lg < 62) lg++;
    if (n > 1) sbx_charge(L, n * lg + bytes / SBX_BYTES_PER_STEP * lg);
    lua_pushvalue(L, lua_upvalueindex(1));
    lua_insert(L, 1);
    lua_call(L, lua_gettop(L) - 1, 0);
    return 0;
}

void sbx_wrap_table(lua_State *L)
{
    wrap(L, "unpack", t_unpack);
    wrap(L, "sort", t_sort);
    sbx_wrap_charged(L, "concat");
    sbx_wrap_precharged(L, "insert");
    sbx_wrap_precharged(L, "remove");
    sbx_wrap_precharged(L, "move");
}

void sbx_open_match(lua_State *L)
{
    static const luaL_Reg fns[] = {
        { "find", s_find }, { "match", s_match }, { "gmatch", s_gmatch }, { "gsub", s_gsub },
        { NULL, NULL }
    };
    luaL_setfuncs(L, fns, 0);
    lua_getfield(L, -1, "rep");
    lua_pushcclosure(L, s_rep, 1);
    lua_setfield(L, -2, "rep");
    {
        /* Every other function of the string library that reads or writes
         * in proportion to its strings. */
        static const char *const pre[] = {
            "format", "upper", "lower", "reverse", "sub", "byte", "char", "pack", "unpack",
            "packsize", NULL
        };
        int i;
        for (i = 0; pre[i]; i++) sbx_wrap_precharged(L, pre[i]);
    }
}
