/* test_lua_escapes.c — more of the known ways out of a Lua host, beyond
 * those of test_sandbox.c and test_lua_stage.c (io, os, package.loadlib,
 * require, debug, load, bytecode, string.dump, endless loops, string.rep,
 * table growth, gsub, __tostring recursion, the string metatable,
 * coroutines, __gc, backtracking patterns).  Each is tried by a rule script
 * running as a stage, one household per attempt: it must end in
 * SCRIPT_ERROR with a clear message, and the next household of the same
 * instance must run normally.
 *
 * The attempts follow the Lua-host CVEs of Redis and the habits of sandbox
 * escapes: raw access to the read-only household handle and its metatable,
 * stripping a metatable, results and strings too large for the C side
 * (table.unpack, table.concat, string.rep with a separator, string.format
 * widths), the C stack (gsub calling gsub, __index and __concat chains),
 * host memory grown through the household API (findings with huge details,
 * or very many of them), and the 5.1 names that no longer exist. */
#define _POSIX_C_SOURCE 200809L
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lua_stage.h"
#include "pipeline.h"
#include "testhost.h"

static char dir[] = "/tmp/tuopin-test-lua-escapesXXXXXX";

static lua_stage *load_script(const char *text, const run_config *cfg)
{
    char path[256], err[1024];
    stage_spec spec;
    lua_stage *ls = NULL;
    FILE *f;
    snprintf(path, sizeof path, "%s/escapes.lua", dir);
    f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
    memset(&spec, 0, sizeof spec);
    spec.script = path;
    if (lua_stage_load(&spec, cfg, &ls, err, sizeof err) < 0) fail_msg("load failed: %s", err);
    return ls;
}

static th_case *household(const lua_stage *ls, const char *mode)
{
    const char *const *col;
    th_case *c = th_new(2020, 12, 31);
    assert_non_null(c);
    assert_int_equal(th_add_member(c), 0);
    assert_int_equal(th_add_member(c), 1);
    for (col = lua_stage_desc(ls)->columns; col && *col; col++)
        assert_int_equal(th_add_column(c, *col), 0);
    if (mode) th_set(c, "mode", mode);
    if (th_build(c) < 0) fail_msg("th_build: %s", th_error(c));
    return c;
}

static const char *findings(const th_case *c)
{
    static char buf[8192];
    size_t i, o = 0;
    buf[0] = '\0';
    for (i = 0; i < th_nfindings(c) && o < sizeof buf; i++) {
        tp_severity sev;
        const char *code, *detail;
        size_t m;
        th_finding(c, i, &sev, &code, &m, &detail);
        o += (size_t)snprintf(buf + o, sizeof buf - o, "%s %s %zu %.200s\n",
                              sev == TP_FAIL ? "fail" : "warn", code, m, detail);
    }
    return buf;
}

/* The detail of the household's SCRIPT_ERROR (member 0, fail), or NULL. */
static const char *script_error(const th_case *c)
{
    size_t i;
    for (i = 0; i < th_nfindings(c); i++) {
        tp_severity sev;
        const char *code, *detail;
        size_t m;
        th_finding(c, i, &sev, &code, &m, &detail);
        if (sev == TP_FAIL && !strcmp(code, "SCRIPT_ERROR") && m == 0) return detail;
    }
    return NULL;
}

/* Each attempt: a mode, the Lua code it runs, and a piece of the message
 * its SCRIPT_ERROR must carry. */
static const char *const attempts[][3] = {
    { "rawset_handle", "rawset(hh, 'status', 'exited')", "rawset" },
    { "rawget_handle", "return rawget(hh, 'status')", "rawget" },
    { "strip_handle_meta", "setmetatable(hh, nil)", "setmetatable" },
    { "handle_meta", "getmetatable(hh).__index = function() return 'exited' end",
      "attempt to index" },
    { "member_meta", "for i, m in hh:members() do getmetatable(m).__index = nil end",
      "attempt to index" },
    { "protected_meta", "local t = setmetatable({}, { __metatable = false }) setmetatable(t, {})",
      "cannot change a protected metatable" },
    { "unpack", "return table.unpack({}, 1, 1e8)", "too many results to unpack" },
    { "concat", "local t = {} for i = 1, 64 do t[i] = ('x'):rep(1 << 20) end return table.concat(t)",
      "memory limit exceeded" },
    { "rep_sep", "return ('x'):rep(1 << 26, ('y'):rep(64))", "memory limit exceeded" },
    { "rep_huge", "return ('x'):rep(1 << 62)", "memory limit exceeded" },
    { "format_width", "return string.format('%0999999999d', 1)", "invalid conversion" },
    { "gsub_in_gsub", "local function f(s) return (s:gsub('.', f)) end return f('ab')",
      "stack overflow" },
    { "index_chain", "local t = {} setmetatable(t, { __index = t }) return t.x",
      "'__index' chain too long" },
    { "concat_chain", "local m = {} m.__concat = function(a, b) return a .. b end "
      "local t = setmetatable({}, m) return t .. 'x'", "stack overflow" },
    { "deep_recursion", "local function f(n) return f(n + 1) + 1 end return f(1)",
      "stack overflow|memory limit exceeded" },
    { "many_findings", "for i = 1, 1e8 do hh:warn('W') end",
      "more than 10000 findings for one household" },
    { "big_findings", "local d = ('x'):rep(1 << 20) for i = 1, 1e8 do hh:warn('W', d) end",
      "the findings of one household pass 65536 bytes" },
    { "long_code", "for i = 1, 1e4 do hh:warn(('A'):rep(1e6), 'd') end",
      "a finding code is at most 64 characters" },
    { "setfenv", "setfenv(1, {})", "setfenv" },
    { "loadstring", "loadstring('return 1')", "loadstring" },
    { "collectgarbage", "collectgarbage('stop')", "collectgarbage is not available" },
    { "print", "print('leak')", "print is not available" },
    { "sethook", "debug.sethook(function() end, '', 1)", "debug.sethook is not available" },
    { "getregistry", "return debug.getregistry()", "debug.getregistry is not available" },
    { "string_meta_index", "local s = getmetatable('') s.__index = { upper = os }",
      "attempt to index" },
    { "string_gsub_meta", "local m = getmetatable('') return m and m.__index",
      "SENTINEL_NO_ERROR" },
};

/* Whether got holds one of the '|'-separated alternatives of want. */
static int holds(const char *got, const char *want)
{
    char buf[256], *save = NULL, *alt;
    snprintf(buf, sizeof buf, "%s", want);
    if (!buf[0]) return 1;
    for (alt = strtok_r(buf, "|", &save); alt; alt = strtok_r(NULL, "|", &save))
        if (strstr(got, alt)) return 1;
    return 0;
}

static void test_each_escape_costs_one_household(void **state)
{
    char script[16384];
    size_t i, o;
    int bad = 0;
    run_config cfg;
    lua_stage *ls;
    void *st = NULL;
    th_case *first = NULL;
    (void)state;
    memset(&cfg, 0, sizeof cfg);
    kv_set(&cfg.params, "script_instructions", "2000000", "test");
    kv_set(&cfg.params, "script_memory_mb", "16", "test");
    o = (size_t)snprintf(script, sizeof script, "local attempt = {\n");
    for (i = 0; i < sizeof attempts / sizeof attempts[0]; i++)
        o += (size_t)snprintf(script + o, sizeof script - o, "  %s = function(hh) %s end,\n",
                              attempts[i][0], attempts[i][1]);
    snprintf(script + o, sizeof script - o,
             "}\n"
             "return { name = 'escapes', columns = { 'mode' },\n"
             "  check = function(hh)\n"
             "    local f = attempt[hh.mode]\n"
             "    if f then f(hh) end\n"
             "    assert(('abc'):upper() == 'ABC' and hh.status == 'poor')\n"
             "    hh:warn('OK', hh.mode or 'normal')\n"
             "  end }\n");
    ls = load_script(script, &cfg);
    for (i = 0; i < sizeof attempts / sizeof attempts[0]; i++) {
        int k;
        for (k = 0; k < 2; k++) {
            th_case *c = household(ls, k == 0 ? attempts[i][0] : NULL);
            const char *got;
            if (!first) {
                char err[512];
                if (th_open(c, lua_stage_desc(ls), &st, err, sizeof err) < 0)
                    fail_msg("open failed: %s", err);
            }
            assert_int_equal(lua_stage_desc(ls)->check(st, th_view(c)), 0);
            got = findings(c);
            if (k == 0 && !strcmp(attempts[i][2], "SENTINEL_NO_ERROR")) {
                /* Not an error, but nothing to reach either. */
                if (!strstr(got, "warn OK 0 string_gsub_meta"))
                    fail_msg("%s: got\n%s", attempts[i][0], got);
            } else if (k == 0 && (!script_error(c) || !holds(script_error(c), attempts[i][2]))) {
                print_error("attempt %s: expected SCRIPT_ERROR with \"%s\", got %s; findings:\n%.2000s",
                            attempts[i][0], attempts[i][2],
                            script_error(c) ? script_error(c) : "none", got);
                bad++;
            }
            if (k == 1 && strcmp(got, "warn OK 0 normal\n")) {
                print_error("after attempt %s the next household got:\n%s", attempts[i][0], got);
                bad++;
            }
            if (!first) first = c;
            else th_free(c);
        }
    }
    lua_stage_desc(ls)->close(st);
    lua_stage_free(ls);
    th_free(first);
    kv_free(&cfg.params);
    assert_int_equal(bad, 0);
}

/* pairs() visits keys in a fixed order (booleans, numbers ascending, strings
 * in byte order), the same in every instance: Lua's own order over string
 * keys changes from one state to the next, and outputs must not. */
static void test_pairs_order_is_the_same_in_every_instance(void **state)
{
    static const char script[] =
        "return { name = 'order', check = function(hh)\n"
        "  local t, seen = { zeta = 1, alpha = 2, [3] = 'x', [-1.5] = 'y', [true] = 1,\n"
        "                     mu = 3, beta = 4, [10] = 'z', ['Beta'] = 5 }, {}\n"
        "  for k in pairs(t) do seen[#seen + 1] = tostring(k) end\n"
        "  local cleared = { a = 1, b = 2, c = 3 }\n"
        "  for k in pairs(cleared) do cleared.b = nil seen[#seen + 1] = k end\n"
        "  hh:warn('ORDER', table.concat(seen, ','))\n"
        "end }\n";
    char first[512] = "";
    int k;
    (void)state;
    for (k = 0; k < 4; k++) {
        lua_stage *ls = load_script(script, NULL);
        th_case *c = household(ls, NULL);
        void *st = NULL;
        char err[256];
        if (th_open(c, lua_stage_desc(ls), &st, err, sizeof err) < 0)
            fail_msg("open failed: %s", err);
        assert_int_equal(lua_stage_desc(ls)->check(st, th_view(c)), 0);
        if (k == 0) {
            snprintf(first, sizeof first, "%s", findings(c));
            assert_string_equal(first,
                "warn ORDER 0 true,-1.5,3,10,Beta,alpha,beta,mu,zeta,a,c\n");
        } else {
            assert_string_equal(findings(c), first);
        }
        lua_stage_desc(ls)->close(st);
        lua_stage_free(ls);
        th_free(c);
    }
}

static int setup(void **state)
{
    (void)state;
    return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
    char path[300];
    (void)state;
    snprintf(path, sizeof path, "%s/escapes.lua", dir);
    unlink(path);
    rmdir(dir);
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_each_escape_costs_one_household),
        cmocka_unit_test(test_pairs_order_is_the_same_in_every_instance),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
