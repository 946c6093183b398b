/* test_lua_stage.c — rule scripts as stages (core/stages/lua_stage.c), driven
 * through the test host (core/stages/testhost.c) the way `tuopin test` drives them:
 * the household handle's typed fields, members and ages, fail/warn/has, the
 * read-only and expiring handle, parameters and their precedence, script
 * errors (runtime, budget, memory, every sandbox escape) that cost one
 * household a SCRIPT_ERROR while the next one still runs, strict mode, and
 * the `tuopin test` command itself.
 *
 * Most checks are written in Lua inside the script (assert), and the test
 * then requires the script to have run without a SCRIPT_ERROR. */
#define _POSIX_C_SOURCE 200809L
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lua_stage.h"
#include "pipeline.h"
#include "script_test.h"
#include "testhost.h"

static char dir[] = "/tmp/tuopin-test-lua-stageXXXXXX";
static int nscripts;

/* ---- helpers -------------------------------------------------------------------- */

/* Writes text to a new script file; RETURN its path (static storage, one
 * of a ring of 8). */
static const char *script_file(const char *text)
{
    static char paths[8][256];
    char *p = paths[nscripts % 8];
    FILE *f;
    snprintf(p, 256, "%s/script%d.lua", dir, nscripts++);
    f = fopen(p, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
    return p;
}

/* Loads script text with stage params (key, value, ..., NULL) and cfg. */
static int load_with(const char *text, const char *const *stage_params, const run_config *cfg,
                     lua_stage **ls, char *err, size_t errlen)
{
    stage_spec spec;
    int i, rc;
    memset(&spec, 0, sizeof spec);
    spec.script = (char *)script_file(text);
    for (i = 0; stage_params && stage_params[i]; i += 2)
        assert_int_equal(kv_set(&spec.params, stage_params[i], stage_params[i + 1], "test"), 0);
    rc = lua_stage_load(&spec, cfg, ls, err, errlen);
    kv_free(&spec.params);
    return rc;
}

static lua_stage *load(const char *text)
{
    lua_stage *ls = NULL;
    char err[1024];
    if (load_with(text, NULL, NULL, &ls, err, sizeof err) < 0) fail_msg("load failed: %s", err);
    return ls;
}

/* A household of two at 2020-12-31 (quarter 2020Q4); built by the caller
 * after any th_set. */
static th_case *household(void)
{
    th_case *c = th_new(2020, 12, 31);
    assert_non_null(c);
    assert_int_equal(th_add_member(c), 0);
    assert_int_equal(th_add_member(c), 1);
    return c;
}

static void build(th_case *c, const lua_stage *ls)
{
    const char *const *col;
    for (col = lua_stage_desc(ls)->columns; col && *col; col++)
        assert_int_equal(th_add_column(c, *col), 0);
    if (th_build(c) < 0) fail_msg("th_build: %s", th_error(c));
}

static void *open_on(const lua_stage *ls, th_case *c)
{
    void *st = NULL;
    char err[1024];
    if (th_open(c, lua_stage_desc(ls), &st, err, sizeof err) < 0)
        fail_msg("open failed: %s", err);
    return st;
}

/* The findings as "warn CODE 2 detail" lines. */
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
        o += (size_t)snprintf(buf + o, sizeof buf - o, "%s %s %zu %s\n",
                              sev == TP_FAIL ? "fail" : "warn", code, m, detail);
    }
    return buf;
}

/* Runs a script once on c (built here) and requires it to finish with
 * exactly the finding "warn OK". */
static void passes(const char *text, th_case *c)
{
    lua_stage *ls = load(text);
    void *st;
    build(c, ls);
    st = open_on(ls, c);
    assert_int_equal(lua_stage_desc(ls)->check(st, th_view(c)), 0);
    if (th_nfindings(c) != 1 || strncmp(findings(c), "warn OK 0", 9))
        fail_msg("expected only \"warn OK\", got:\n%s", findings(c));
    lua_stage_desc(ls)->close(st);
    lua_stage_free(ls);
    th_free(c);
}

/* Wraps a check body into a script. */
#define SCRIPT(cols, body) \
    "return { name = 't', columns = " cols ", check = function(hh, params)\n" body \
    "\nhh:warn('OK', '') end }\n"

/* ---- the household handle ------------------------------------------------------------ */

static void test_household_columns_are_typed(void **state)
{
    th_case *c = household();
    (void)state;
    th_set(c, "household_id", " H-7 ");
    th_set(c, "status", "已脱贫");
    th_set(c, "region_code", "330102001001");
    th_set(c, "wage_income", "1000.50");
    th_set(c, "operating_income", "");
    th_set(c, "operating_cost", "20");
    th_set(c, "property_income", "12,000");
    th_set(c, "transfer_income", "300");
    th_set(c, "人均纯收入", "-3.5");
    th_set(c, "food_clothing_secure", "是");
    th_set(c, "housing_rating", "c级");
    th_set(c, "housing_fixed", "n");
    th_set(c, "water_safe", "TRUE");
    th_set(c, "satisfied", "maybe");
    passes(SCRIPT("{}",
        "assert(hh.household_id == 'H-7')\n"
        "assert(hh.region_code == '330102001001')\n"
        "assert(hh.status == 'exited')\n"
        "assert(hh.wage_income == 1000.5 and math.type(hh.wage_income) == 'float')\n"
        "assert(hh.operating_income == nil, 'blank money is nil')\n"
        "assert(hh.operating_cost == 20 and math.type(hh.operating_cost) == 'integer')\n"
        "assert(hh.property_income == nil, 'bad money is nil')\n"
        "assert(hh.transfer_income == 300)\n"
        "assert(hh.declared_income_pc == -3.5)\n"
        "assert(hh.food_clothing_secure == true)\n"
        "assert(hh.housing_rating == 'C')\n"
        "assert(hh.housing_fixed == false)\n"
        "assert(hh.water_safe == true and hh.WATER_SAFE == true and hh['饮水安全'] == true)\n"
        "assert(hh.satisfied == nil, 'bad yes/no is nil')\n"
        "assert(hh.size == 2 and math.type(hh.size) == 'integer')\n"
        "assert(hh.income_pc == nil, 'a bad component: no income_pc')"), c);
}

static void test_income_pc_is_the_exact_quotient(void **state)
{
    th_case *c = household();
    (void)state;
    th_add_member(c);
    th_set(c, "wage_income", "10000");
    th_set(c, "operating_income", "0.01");
    passes(SCRIPT("{}",
        "assert(hh.income_pc == 10000.01 / 3, hh.income_pc)\n"
        "assert(math.type(hh.income_pc) == 'float')\n"
        "assert(hh.income_pc > 3333.33 and hh.income_pc < 3333.34)"), c);

    c = household();
    passes(SCRIPT("{}", "assert(hh.income_pc == 0.0, 'all blank: zero')"), c);

    c = household();
    th_set(c, "operating_income", "100");
    th_set(c, "operating_cost", "300.50");
    passes(SCRIPT("{}", "assert(hh.income_pc == -100.25, 'a loss gives a negative figure')"), c);

    c = household();
    th_set(c, "wage_income", "-5");
    passes(SCRIPT("{}", "assert(hh.income_pc == nil and hh.wage_income == nil, "
                        "'a negative component is bad')"), c);

    c = household();
    th_set(c, "wage_income", "9200");
    passes(SCRIPT("{}", "assert(hh.income_pc == 4600 and not (hh.income_pc < 4600), "
                        "'exactly at a line compares equal')"), c);
}

static void test_members_are_typed_with_ages(void **state)
{
    th_case *c = th_new(2020, 12, 31);
    (void)state;
    th_add_member(c);
    th_add_member(c);
    th_add_member(c);
    th_add_member(c);
    th_add_member(c);
    /* 1: birthday on the as-of date counts. */
    th_set_member(c, 0, "relation", "户主");
    th_set_member(c, 0, "birth_date", "2004/12/31");
    th_set_member(c, 0, "school_status", "辍学");
    th_set_member(c, 0, "medical_insured", "1");
    th_set_member(c, 0, "name", "张三");
    /* 2: one day short of 16; no relation. */
    th_set_member(c, 1, "birth_date", "20050101");
    th_set_member(c, 1, "medical_insured", "否");
    /* 3: blank birth date: the age comes from the resident ID (2004-01-01). */
    th_set_member(c, 2, "person_id", "330102200401010017");
    th_set_member(c, 2, "relation", "son");
    th_set_member(c, 2, "school_status", "高中");
    /* 4: a birth date that is not a date: no fall-back to the ID. */
    th_set_member(c, 3, "person_id", "330102200401010017");
    th_set_member(c, 3, "birth_date", "2020-02-30");
    th_set_member(c, 3, "school_status", "university");
    /* 5: born after the as-of date. */
    th_set_member(c, 4, "birth_date", "2021-03-01");
    passes(SCRIPT("{}",
        "local seen = {}\n"
        "for i, m in hh:members() do seen[#seen + 1] = i end\n"
        "assert(#seen == 5 and seen[5] == 5)\n"
        "local m = {} for i, x in hh:members() do m[i] = x end\n"
        "assert(m[1].age == 16 and math.type(m[1].age) == 'integer')\n"
        "assert(m[1].relation == 'head' and m[1].name == '张三')\n"
        "assert(m[1].birth_date == '2004-12-31')\n"
        "assert(m[1].school_status == 'dropout' and m[1].medical_insured == true)\n"
        "assert(m[1].person_id == nil, 'blank text is nil')\n"
        "assert(m[2].age == 15 and m[2].relation == nil and m[2].medical_insured == false)\n"
        "assert(m[3].age == 16 and m[3].birth_date == nil and m[3].relation == 'son')\n"
        "assert(m[3].person_id == '330102200401010017' and m[3].school_status == 'senior')\n"
        "assert(m[4].age == nil and m[4].birth_date == nil and m[4].school_status == nil)\n"
        "assert(m[5].age == -1)\n"
        "assert(m[1].status == nil and m[1].fail == nil and m[1].size == nil, "
        "'household fields are not on members')\n"
        "assert(hh.age == nil and hh.person_id == nil, 'person fields are not on the household')"), c);
}

static void test_extra_columns_are_trimmed_text(void **state)
{
    th_case *c = household();
    (void)state;
    th_set(c, "village_note", "  因病  ");
    th_set_member(c, 0, "stable_job", " 是 ");
    th_set_member(c, 1, "stable_job", "");
    th_set_member(c, 1, "village_note", "突发");
    passes(SCRIPT("{ 'stable_job' }",
        "assert(hh.stable_job == '是', 'the household reads its first row')\n"
        "local ok, e = pcall(function() return hh.village_note end)\n"
        "assert(not ok and e:find(\"unknown field 'village_note': the input has this column\", 1, true), e)\n"
        "local m = {} for i, x in hh:members() do m[i] = x end\n"
        "assert(m[1].stable_job == '是' and m[2].stable_job == nil)\n"
        "assert(not pcall(function() return m[2].village_note end))\n"
        "ok, e = pcall(function() return hh.stable_jb end)\n"
        "assert(not ok and e:find(\"unknown field 'stable_jb' (did you mean 'stable_job'?)\", 1, true), e)\n"
        "ok, e = pcall(function() return m[1].stable_jb end)\n"
        "assert(not ok and e:find(\"did you mean 'stable_job'\", 1, true), e)\n"
        "ok, e = pcall(function() return m[1].ag end)\n"
        "assert(not ok and e:find(\"did you mean 'age'\", 1, true), e)\n"
        "assert(not pcall(function() return hh.no_such_column end))\n"
        "assert(not pcall(function() return m[1].no_such_column end))\n"
        "assert(not pcall(function() return hh[1] end) and not pcall(function() return hh[true] end))\n"
        "assert(hh.age == nil and m[1].status == nil, 'a known field of the other level reads nil')"), c);
}

static void test_fail_and_warn_record_findings(void **state)
{
    lua_stage *ls = load("return { name = 'p', check = function(hh)\n"
                         "  hh:fail('P_FAIL', '低于标准 / below')\n"
                         "  hh:warn('P_WARN', 'on member two', 2)\n"
                         "  for i, m in hh:members() do if i == 1 then hh:warn('P_MEMBER', 42, m) end end\n"
                         "  hh:warn('P_NO_DETAIL')\n"
                         "end }\n");
    th_case *c = household();
    void *st;
    (void)state;
    build(c, ls);
    st = open_on(ls, c);
    assert_int_equal(lua_stage_desc(ls)->check(st, th_view(c)), 0);
    assert_string_equal(findings(c), "fail P_FAIL 0 低于标准 / below\n"
                                      "warn P_WARN 2 on member two\n"
                                      "warn P_MEMBER 1 42\n"
                                      "warn P_NO_DETAIL 0 \n");
    lua_stage_desc(ls)->close(st);
    lua_stage_free(ls);
    th_free(c);
}

/* Runs body on a fresh household; requires SCRIPT_ERROR with want in it. */
static void script_error(const char *body, const char *want)
{
    char text[2048];
    lua_stage *ls;
    th_case *c = household();
    void *st;
    snprintf(text, sizeof text, "return { name = 'e', check = function(hh, params)\n%s\nend }\n", body);
    ls = load(text);
    build(c, ls);
    st = open_on(ls, c);
    assert_int_equal(lua_stage_desc(ls)->check(st, th_view(c)), 0);
    if (!strstr(findings(c), "fail SCRIPT_ERROR 0 ") || !strstr(findings(c), want))
        fail_msg("%s\n  expected SCRIPT_ERROR with \"%s\", got:\n%s", body, want, findings(c));
    assert_int_equal(lua_stage_error_count(ls), 1);
    lua_stage_desc(ls)->close(st);
    lua_stage_free(ls);
    th_free(c);
}

static void test_finding_codes_must_be_well_formed(void **state)
{
    (void)state;
    script_error("hh:fail('bad code', 'x')", "hh:fail: bad finding code \"bad code\"");
    script_error("hh:warn('A-B', 'x')", "bad finding code \"A-B\"");
    script_error("hh:warn('', 'x')", "bad finding code \"\"");
    script_error("hh:fail('_X', 'x')", "bad finding code");
    script_error("hh:fail(12, 'x')", "hh:fail: the code must be a string");
    script_error("return hh:has('lower')", "hh:has: bad finding code \"lower\"");
}

static void test_member_must_be_in_the_household(void **state)
{
    (void)state;
    script_error("hh:warn('X', 'd', 3)", "hh:warn: member 3 is not in this household (1 to 2)");
    script_error("hh:warn('X', 'd', 0)", "member 0 is not in this household");
    script_error("hh:warn('X', 'd', 1.5)", "the member must be a whole number");
    script_error("hh:warn('X', 'd', 'one')", "the member must be an index or a member");
    script_error("hh:warn('X', {}, 1)", "the detail must be a string");
}

static void test_methods_need_the_household(void **state)
{
    (void)state;
    script_error("hh.fail('X', 'd')", "hh:fail: call it with a colon");
    script_error("for i, m in hh:members() do m.fail = 1 end", "member handles are read-only");
    script_error("local f = hh.warn for i, m in hh:members() do f(m, 'X', 'd') end",
                 "hh:warn: call it on the household, not on a member");
}

static void test_has_sees_earlier_stages_and_this_one(void **state)
{
    lua_stage *ls = load(SCRIPT("{}",
        "assert(hh:has('INCOME_BELOW_LINE') == true)\n"
        "assert(hh:has('WATER_UNSAFE') == false)\n"
        "hh:fail('MINE', 'x')\n"
        "assert(hh:has('MINE') == true)"));
    th_case *c = household();
    void *st;
    (void)state;
    build(c, ls);
    assert_int_equal(th_prior(c, TP_FAIL, "INCOME_BELOW_LINE"), 0);
    st = open_on(ls, c);
    assert_int_equal(lua_stage_desc(ls)->check(st, th_view(c)), 0);
    assert_string_equal(findings(c), "fail MINE 0 x\nwarn OK 0 \n");
    lua_stage_desc(ls)->close(st);
    lua_stage_free(ls);
    th_free(c);
}

static void test_handle_is_read_only(void **state)
{
    (void)state;
    script_error("hh.status = 'exited'", ".lua:2: the household handle is read-only (hh.status)");
    script_error("hh.new_field = 1", "the household handle is read-only (hh.new_field)");
    script_error("for i, m in hh:members() do m.age = 30 end", "member handles are read-only (m.age)");
    script_error("rawset(hh, 'status', 'x')", "bad argument #1 to 'rawset' (table expected");
    script_error("setmetatable(hh, {})", "bad argument #1 to 'setmetatable' (table expected");
    script_error("assert(getmetatable(hh) == false) error('locked')", "locked");
}

/* Three households through one instance: the first keeps its handles, the
 * second uses them, the third runs normally. */
static void test_handle_kept_past_its_call_is_refused(void **state)
{
    static const char *const uses[] = {
        "return kept.household_id", "return kept_m.age", "kept:fail('X', 'late')",
        "return kept:has('X')", "for i, m in kept:members() do end", "return next_member(kept, 0)",
        "return tostring(kept)", NULL
    };
    int u;
    (void)state;
    for (u = 0; uses[u]; u++) {
        char text[1024];
        lua_stage *ls;
        th_case *c = household();
        void *st;
        int n;
        snprintf(text, sizeof text,
                 "local calls = 0\n"
                 "local kept, next_member, kept_m\n"
                 "return { name = 'k', check = function(hh)\n"
                 "  calls = calls + 1\n"
                 "  if calls == 1 then kept = hh next_member = hh:members()\n"
                 "    for i, m in hh:members() do kept_m = m end\n"
                 "  elseif calls == 2 then %s\n"
                 "  else assert(hh.size == 2) hh:warn('OK', '') end\n"
                 "end }\n", uses[u]);
        ls = load(text);
        build(c, ls);
        st = open_on(ls, c);
        for (n = 0; n < 3; n++) assert_int_equal(lua_stage_desc(ls)->check(st, th_view(c)), 0);
        if (!strstr(findings(c), "household handle used outside the check call it was given to")
            || !strstr(findings(c), "warn OK 0"))
            fail_msg("%s:\n%s", uses[u], findings(c));
        assert_int_equal(lua_stage_error_count(ls), 1);
        lua_stage_desc(ls)->close(st);
        lua_stage_free(ls);
        th_free(c);
    }
}

/* ---- script errors ------------------------------------------------------------------ */

static void test_runtime_error_costs_one_household(void **state)
{
    lua_stage *ls = load("local n = 0\n"
                         "return { name = 'r', check = function(hh)\n"
                         "  n = n + 1\n"
                         "  if n % 2 == 0 then local x = nil; return x.field end\n"
                         "  hh:warn('OK', '')\n"
                         "end }\n");
    th_case *c = household();
    void *st;
    int i;
    (void)state;
    build(c, ls);
    st = open_on(ls, c);
    for (i = 0; i < 6; i++) assert_int_equal(lua_stage_desc(ls)->check(st, th_view(c)), 0);
    assert_int_equal(lua_stage_error_count(ls), 3);
    assert_non_null(strstr(findings(c), "fail SCRIPT_ERROR 0 script"));
    assert_non_null(strstr(findings(c), ".lua:4: attempt to index a nil value (local 'x')"));
    lua_stage_desc(ls)->close(st);
    lua_stage_free(ls);
    th_free(c);
}

static void test_error_objects_that_are_not_text(void **state)
{
    (void)state;
    script_error("error({ code = 1 })", "error object is not a string");
    script_error("error(setmetatable({}, { __tostring = function() while true do end end }))",
                 "error object is not a string");
    script_error("error('plain', 0)", "plain");
}

static void test_strict_mode_stops_at_the_first_error(void **state)
{
    run_config cfg;
    lua_stage *ls = NULL;
    th_case *c = household();
    char err[512];
    void *st;
    (void)state;
    memset(&cfg, 0, sizeof cfg);
    cfg.strict = 1;
    assert_int_equal(load_with("return { name = 's', check = function(hh) error('boom') end }",
                               NULL, &cfg, &ls, err, sizeof err), 0);
    build(c, ls);
    st = open_on(ls, c);
    assert_int_equal(lua_stage_desc(ls)->check(st, th_view(c)), -1);
    assert_non_null(strstr(th_log(c), "boom"));
    assert_int_equal(lua_stage_error_count(ls), 1);
    lua_stage_desc(ls)->close(st);
    lua_stage_free(ls);
    th_free(c);
}

/* One instance, one household per escape: each ends in SCRIPT_ERROR with
 * a clear message, and a normal household runs right after it. */
static void test_sandbox_escapes_cost_one_household_each(void **state)
{
    static const char *const escapes[][2] = {
        { "io", "io.open is not available in the tuopin sandbox" },
        { "os", "os.execute is not available in the tuopin sandbox" },
        { "package", "package.loadlib is not available in the tuopin sandbox" },
        { "require", "require is not available in the tuopin sandbox" },
        { "debug", "debug.getinfo is not available in the tuopin sandbox" },
        { "load", "load is not available in the tuopin sandbox" },
        { "bytecode", "load is not available in the tuopin sandbox" },
        { "dump", "string.dump is not available in the tuopin sandbox" },
        { "loop", "instruction budget exceeded" },
        { "pcall_loop", "instruction budget exceeded" },
        { "rep", "memory limit exceeded" },
        { "pcall_rep", "memory limit exceeded" },
        { "table", "memory limit exceeded" },
        { "gsub", "memory limit exceeded" },
        { "recursion", "stack overflow" },
        { "strmeta", "attempt to index a boolean value" },
        { "coroutine", "coroutine.wrap is not available in the tuopin sandbox" },
        { "gc", "__gc metamethods are not available in the tuopin sandbox" },
        { "pattern", "instruction budget exceeded" },
        { "params", "params are read-only (params.limit)" },
        { "handle", "the household handle is read-only" },
    };
    lua_stage *ls;
    void *st;
    th_case *c;
    size_t i;
    run_config cfg;
    char err[512];
    (void)state;
    memset(&cfg, 0, sizeof cfg);
    /* A smaller budget and cap keep the test quick. */
    kv_set(&cfg.params, "script_instructions", "2000000", "test");
    kv_set(&cfg.params, "script_memory_mb", "16", "test");
    assert_int_equal(load_with(
        "local escape = {\n"
        "  io = function() io.open('/etc/passwd') end,\n"
        "  os = function() os.execute('true') end,\n"
        "  package = function() package.loadlib('libc.so.6', 'system') end,\n"
        "  require = function() require('io') end,\n"
        "  debug = function() debug.getinfo(1) end,\n"
        "  load = function() load('return 1') end,\n"
        "  bytecode = function() load('\\27Lua\\84\\0') end,\n"
        "  dump = function() string.dump(print) end,\n"
        "  loop = function() while true do end end,\n"
        "  pcall_loop = function() while true do pcall(function() while true do end end) end end,\n"
        "  rep = function() return string.rep('x', 1 << 30) end,\n"
        "  pcall_rep = function() pcall(string.rep, 'x', 1 << 30) return 1 end,\n"
        "  table = function() local grow = {} for i = 1, 1e9 do grow[i] = i end end,\n"
        "  gsub = function() return (('x'):rep(1 << 20)):gsub('.', ('y'):rep(64)) end,\n"
        "  recursion = function() local function f() return tostring(setmetatable({}, { __tostring = f })) end return f() end,\n"
        "  strmeta = function() getmetatable('').__index.upper = nil end,\n"
        "  coroutine = function() coroutine.wrap(function() end)() end,\n"
        "  gc = function() setmetatable({}, { __gc = function() while true do end end }) end,\n"
        "  pattern = function() return ('a'):rep(40):find(('a*'):rep(40) .. 'b') end,\n"
        "  params = function(hh, params) params.limit = 0 end,\n"
        "  handle = function(hh) hh.status = 'exited' end,\n"
        "}\n"
        "return { name = 'x', params = { limit = 1 }, columns = { 'mode' },\n"
        "  check = function(hh, params)\n"
        "    local f = escape[hh.mode]\n"
        "    if f then f(hh, params) end\n"
        "    assert(('abc'):upper() == 'ABC' and params.limit == 1 and grow == nil)\n"
        "    hh:warn('OK', hh.mode or 'normal')\n"
        "  end }\n", NULL, &cfg, &ls, err, sizeof err), 0);
    for (i = 0; i < sizeof escapes / sizeof escapes[0]; i++) {
        int k;
        for (k = 0; k < 2; k++) {
            c = household();
            if (k == 0) th_set(c, "mode", escapes[i][0]);
            build(c, ls);
            st = open_on(ls, c);
            assert_int_equal(lua_stage_desc(ls)->check(st, th_view(c)), 0);
            if (k == 0 && (!strstr(findings(c), "fail SCRIPT_ERROR 0 ")
                           || !strstr(findings(c), escapes[i][1])))
                fail_msg("escape %s: expected \"%s\", got:\n%s", escapes[i][0], escapes[i][1],
                         findings(c));
            if (k == 1 && strcmp(findings(c), "warn OK 0 normal\n"))
                fail_msg("after escape %s the next household got:\n%s", escapes[i][0], findings(c));
            lua_stage_desc(ls)->close(st);
            th_free(c);
        }
    }
    assert_int_equal(lua_stage_error_count(ls), sizeof escapes / sizeof escapes[0]);
    lua_stage_free(ls);
    kv_free(&cfg.params);
}

/* The same instance goes on after overruns; after a memory overrun it
 * starts from a fresh state, so what filled the old one is gone. */
static void test_instance_recovers_after_overruns(void **state)
{
    static const char *const modes[] = { "", "hog", "", "loop", "", "" };
    lua_stage *ls;
    th_case *first = NULL;
    void *st = NULL;
    run_config cfg;
    char err[512], all[4096] = "";
    size_t i;
    (void)state;
    memset(&cfg, 0, sizeof cfg);
    kv_set(&cfg.params, "script_memory_mb", "8", "test");
    /* a budget the hog's string.rep calls (charged by the byte) stay within,
     * so that it is the memory cap that stops them */
    kv_set(&cfg.params, "script_instructions", "1000000", "test");
    assert_int_equal(load_with(
        "return { name = 'o', columns = { 'mode' }, check = function(hh)\n"
        "  if hh.mode == 'hog' then local hog = {} for i = 1, 20 do hog[i] = ('x'):rep(1 << 20) .. i end end\n"
        "  if hh.mode == 'loop' then while true do end end\n"
        "  hh:warn('OK', hog == nil and 'clean' or 'dirty')\n"
        "end }\n", NULL, &cfg, &ls, err, sizeof err), 0);
    for (i = 0; i < sizeof modes / sizeof modes[0]; i++) {
        th_case *c = household();
        th_set(c, "mode", modes[i]);
        build(c, ls);
        if (!st) st = open_on(ls, c);
        assert_int_equal(lua_stage_desc(ls)->check(st, th_view(c)), 0);
        strncat(all, findings(c), sizeof all - strlen(all) - 1);
        if (!first) first = c;   /* the instance's host context */
        else th_free(c);
    }
    assert_int_equal(lua_stage_error_count(ls), 2);
    if (!strstr(all, ".lua:2: memory limit exceeded (limit 8 MiB per script)")
        || !strstr(all, ".lua:3: instruction budget exceeded (limit 1000000 instructions per call)")
        || strstr(all, "dirty"))
        fail_msg("%s", all);
    lua_stage_desc(ls)->close(st);
    lua_stage_free(ls);
    th_free(first);
    kv_free(&cfg.params);
}

/* ---- parameters ---------------------------------------------------------------------- */

/* One instruction of string.rep, format, upper, lower, reverse or
 * table.concat can write megabytes: their output is charged to the budget
 * by the byte (SBX_BYTES_PER_STEP), so a loop of them stops within the
 * budget like any other loop (a fuzzed script ran for minutes before). */
static void test_string_functions_are_charged_by_the_byte(void **state)
{
    static const char *const calls[] = {
        "local s = ('x'):rep(1 << 20)",
        "local s = string.format('%s', big)",
        "local s = big:upper()",
        "local s = string.lower(big)",
        "local s = big:reverse()",
        "local s = table.concat({ big, big })",
    };
    size_t i;
    (void)state;
    for (i = 0; i < sizeof calls / sizeof calls[0]; i++) {
        run_config cfg;
        lua_stage *ls;
        th_case *c;
        void *st;
        char err[512], src[512];
        memset(&cfg, 0, sizeof cfg);
        kv_set(&cfg.params, "script_instructions", "1000000", "test");
        /* 100 calls of 1 MiB: 6.5 million steps at 16 bytes a step, far
         * over the budget though the loop itself is a few hundred instructions */
        snprintf(src, sizeof src,
                 "big = ('y'):rep(1 << 19) .. ('y'):rep(1 << 19)\n"
                 "return { name = 'c', check = function(hh)\n"
                 "  for i = 1, 100 do %s end\n"
                 "  hh:warn('DONE', 'all made')\n"
                 "end }\n", calls[i]);
        if (load_with(src, NULL, &cfg, &ls, err, sizeof err) != 0) fail_msg("%s: %s", calls[i], err);
        c = household();
        build(c, ls);
        st = open_on(ls, c);
        assert_int_equal(lua_stage_desc(ls)->check(st, th_view(c)), 0);
        if (!strstr(findings(c), "instruction budget exceeded (limit 1000000 instructions per call)")
            || strstr(findings(c), "DONE"))
            fail_msg("%s: %s", calls[i], findings(c));
        lua_stage_desc(ls)->close(st);
        lua_stage_free(ls);
        th_free(c);
        kv_free(&cfg.params);
    }
}

static void test_params_defaults_and_run_values(void **state)
{
    (void)state;
    passes("return { name = 'p', params = { line = 4500, ratio = 0.5, on = true, label = 'x',\n"
           "  villages = { 'a', 'b' } },\n"
           "  check = function(hh, params)\n"
           "    assert(params.line == 4500 and math.type(params.line) == 'integer')\n"
           "    assert(params.ratio == 0.5 and params.on == true and params.label == 'x')\n"
           "    assert(params.villages[2] == 'b')\n"
           "    assert(params.year == 2020 and params.as_of == '2020-12-31')\n"
           "    assert(params.quarter == '2020Q4')\n"
           "    local keys = {} for k in pairs(params) do keys[#keys + 1] = k end\n"
           "    table.sort(keys) assert(table.concat(keys, ',') == "
           "'as_of,label,line,on,quarter,ratio,villages,year', table.concat(keys, ','))\n"
           "    hh:warn('OK', '') end }\n", household());
}

static void test_params_quarter_follows_the_as_of_date(void **state)
{
    th_case *c = th_new(2019, 6, 30);
    (void)state;
    th_add_member(c);
    passes(SCRIPT("{}", "assert(params.quarter == '2019Q2' and params.as_of == '2019-06-30' "
                        "and params.year == 2019)"), c);
}

static void test_params_precedence(void **state)
{
    static const char *const stage_params[] = { "line", "4600", "label", "stage", "on", "否", NULL };
    run_config cfg;
    lua_stage *ls = NULL;
    th_case *c = household();
    char err[512];
    void *st;
    (void)state;
    memset(&cfg, 0, sizeof cfg);
    /* --param p.line beats the stage's params; q.line belongs to another script. */
    kv_set(&cfg.script_params, "p.line", "4700.5", "--param");
    kv_set(&cfg.script_params, "q.line", "1", "--param");
    kv_set(&cfg.params, "line", "1", "pipeline params");
    assert_int_equal(load_with(
        "return { name = 'p', params = { line = 4500, ratio = 0.5, label = 'default', on = true },\n"
        "  check = function(hh, params)\n"
        "    assert(params.line == 4700.5 and math.type(params.line) == 'float', params.line)\n"
        "    assert(params.ratio == 0.5, 'not overridden: the default')\n"
        "    assert(params.label == 'stage' and params.on == false)\n"
        "    hh:warn('OK', '') end }\n", stage_params, &cfg, &ls, err, sizeof err), 0);
    build(c, ls);
    st = open_on(ls, c);
    assert_int_equal(lua_stage_desc(ls)->check(st, th_view(c)), 0);
    assert_string_equal(findings(c), "warn OK 0 \n");
    lua_stage_desc(ls)->close(st);
    lua_stage_free(ls);
    th_free(c);
    kv_free(&cfg.script_params);
    kv_free(&cfg.params);
}

static void test_params_text_becomes_the_defaults_type(void **state)
{
    static const char *const sp[] = { "n", " 4600 ", "f", "2", "b", "true", "s", " keep ", NULL };
    lua_stage *ls = NULL;
    th_case *c = household();
    char err[512];
    void *st;
    (void)state;
    assert_int_equal(load_with(
        "return { name = 't', params = { n = 1, f = 0.5, b = false, s = '' },\n"
        "  check = function(hh, params)\n"
        "    assert(params.n == 4600 and math.type(params.n) == 'integer', 'integers stay integers')\n"
        "    assert(params.f == 2 and math.type(params.f) == 'integer', 'whole text is an integer')\n"
        "    assert(params.b == true and params.s == ' keep ')\n"
        "    hh:warn('OK', '') end }\n", sp, NULL, &ls, err, sizeof err), 0);
    build(c, ls);
    st = open_on(ls, c);
    assert_int_equal(lua_stage_desc(ls)->check(st, th_view(c)), 0);
    assert_string_equal(findings(c), "warn OK 0 \n");
    lua_stage_desc(ls)->close(st);
    lua_stage_free(ls);
    th_free(c);
}

static void load_fails(const char *text, const char *const *sp, const run_config *cfg,
                       const char *want)
{
    lua_stage *ls = NULL;
    char err[1024];
    if (load_with(text, sp, cfg, &ls, err, sizeof err) == 0) {
        lua_stage_free(ls);
        fail_msg("loaded, expected an error with \"%s\":\n%s", want, text);
    }
    if (!strstr(err, want)) fail_msg("error \"%s\"\n  expected to contain \"%s\"", err, want);
    if (strncmp(err, dir, strlen(dir))) fail_msg("error \"%s\" does not start with the file", err);
}

static void test_params_errors_name_the_parameter(void **state)
{
    static const char *const undeclared[] = { "lin", "4600", NULL };
    static const char *const not_number[] = { "line", "4,600", NULL };
    static const char *const not_bool[] = { "on", "maybe", NULL };
    static const char *const table_param[] = { "list", "a", NULL };
    run_config cfg;
    const char *script = "return { name = 'p', params = { line = 4500, on = true, list = {} },\n"
                         "  check = function() end }\n";
    (void)state;
    load_fails(script, undeclared, NULL,
               "unknown parameter lin (in the stage's params): the script declares line, list, on");
    load_fails(script, not_number, NULL, "parameter line (in the stage's params): \"4,600\" is not a number");
    load_fails(script, not_bool, NULL, "parameter on (in the stage's params): \"maybe\" is not true or false");
    load_fails(script, table_param, NULL, "parameter list (in the stage's params) cannot be set: its default is a table");
    memset(&cfg, 0, sizeof cfg);
    kv_set(&cfg.script_params, "p.lines", "1", "--param");
    load_fails(script, NULL, &cfg, "unknown parameter lines (in --param p.lines)");
    kv_free(&cfg.script_params);
    load_fails("return { name = 'p', params = { year = 2020 }, check = function() end }", NULL, NULL,
               "params.year is set by tuopin");
    load_fails("return { name = 'p', params = { f = print }, check = function() end }", NULL, NULL,
               "params.f: a default must be a number, string, boolean or table");
    memset(&cfg, 0, sizeof cfg);
    kv_set(&cfg.params, "script_memory_mb", "0", "pipeline params");
    {
        lua_stage *ls = NULL;
        char err[512];
        assert_int_equal(load_with(script, NULL, &cfg, &ls, err, sizeof err), -1);
        assert_non_null(strstr(err, "parameter script_memory_mb (in pipeline params)"));
    }
    kv_free(&cfg.params);
}

static void test_load_errors_name_the_file_and_line(void **state)
{
    (void)state;
    load_fails("return { check = function() end }", NULL, NULL, "the returned table needs name");
    load_fails("return { name = 'a.b', check = function() end }", NULL, NULL, "name \"a.b\" is not allowed");
    load_fails("return { name = 'income', check = function() end }", NULL, NULL,
               "name \"income\" is not allowed");
    load_fails("return { name = 'n' }", NULL, NULL, "check must be a function(hh, params), not nil");
    load_fails("return { name = 'n', columns = { 1 }, check = function() end }", NULL, NULL,
               "columns[1] must be a column name");
    load_fails("return 42", NULL, NULL, "the script must return a table (name, check, ...), not number");
    load_fails("return {\n  name = 'n',\n  check = function( end }", NULL, NULL, ".lua:3: ");
    load_fails("local x = nil\nreturn x.y", NULL, NULL, ".lua:2: attempt to index a nil value");
    load_fails("while true do end", NULL, NULL, "instruction budget exceeded");
    load_fails("os.exit(1)", NULL, NULL, "os.exit is not available in the tuopin sandbox");
    {
        stage_spec spec;
        lua_stage *ls = NULL;
        char err[512], path[300];
        memset(&spec, 0, sizeof spec);
        snprintf(path, sizeof path, "%s/missing.lua", dir);
        spec.script = path;
        assert_int_equal(lua_stage_load(&spec, NULL, &ls, err, sizeof err), -1);
        assert_non_null(strstr(err, "cannot open"));
        assert_non_null(strstr(err, "missing.lua"));
    }
}

static void test_precompiled_script_is_refused(void **state)
{
    (void)state;
    load_fails("\033Lua\x54\x00\x19\x93\r\n\x1a\n", NULL, NULL, "binary chunk");
}

static void test_descriptor(void **state)
{
    lua_stage *ls = load("return { name = '浙江-income', version = 3, description = 'd',\n"
                         "  columns = { 'stable_job', 'water_safe' }, check = function() end }");
    const tp_stage *d = lua_stage_desc(ls);
    (void)state;
    assert_int_equal(d->abi_version, TP_ABI_VERSION);
    assert_int_equal(d->struct_size, sizeof(tp_stage));
    assert_string_equal(d->name, "浙江-income");
    assert_string_equal(d->version, "3");
    assert_string_equal(d->description, "d");
    assert_int_equal(d->params.n, 0);
    assert_int_equal(d->codes.n, 0);
    assert_int_equal(d->role, TP_ROLE_CHECK);
    assert_int_equal(d->dimension, TP_DIM_NONE);
    assert_ptr_equal(d->user, ls);
    assert_int_equal(d->flags, 0);
    assert_string_equal(d->columns[0], "stable_job");
    assert_string_equal(d->columns[1], "water_safe");
    assert_null(d->columns[2]);
    assert_non_null(d->open);
    assert_non_null(d->check);
    assert_non_null(d->close);
    lua_stage_free(ls);
}

static void test_declared_column_missing_at_open(void **state)
{
    lua_stage *ls = load("return { name = 'c', columns = { 'stable_job' }, check = function() end }");
    th_case *c = household();
    void *st = NULL;
    char err[512];
    (void)state;
    assert_int_equal(th_build(c), 0);   /* without the script's column */
    assert_int_equal(th_open(c, lua_stage_desc(ls), &st, err, sizeof err), -1);
    assert_non_null(strstr(err, "the input has no column stable_job, which the script needs"));
    lua_stage_free(ls);
    th_free(c);
}

static void test_instances_do_not_share_state(void **state)
{
    /* A local of the script is the instance's own (globals are read-only
     * once it is loaded: test_globals_are_read_only). */
    lua_stage *ls = load("local count = 0\n"
                         "return { name = 'i', check = function(hh)\n"
                         "  count = count + 1\n"
                         "  pcall(function() string.upper = function() return 'changed' end end)\n"
                         "  hh:warn('N' .. count, ('x'):upper())\n"
                         "end }\n");
    th_case *c = household();
    void *a, *b;
    (void)state;
    build(c, ls);
    a = open_on(ls, c);
    b = open_on(ls, c);
    assert_int_equal(lua_stage_desc(ls)->check(a, th_view(c)), 0);
    assert_int_equal(lua_stage_desc(ls)->check(a, th_view(c)), 0);
    assert_int_equal(lua_stage_desc(ls)->check(b, th_view(c)), 0);
    assert_string_equal(findings(c), "warn N1 0 X\nwarn N2 0 X\nwarn N1 0 X\n");
    lua_stage_desc(ls)->close(a);
    lua_stage_desc(ls)->close(b);
    lua_stage_free(ls);
    th_free(c);
}

/* A run used to be capped at 64 scripts (one open() trampoline each); open()
 * now finds its script through the descriptor's user pointer: 100 scripts
 * loaded at once each open and check as themselves. */
#define MANY_SCRIPTS 100
static void test_100_scripts_at_once_each_checks_as_itself(void **state)
{
    lua_stage *ls[MANY_SCRIPTS];
    void *st[MANY_SCRIPTS];
    char text[256], want[64];
    th_case *c = household();
    int i;
    (void)state;
    for (i = 0; i < MANY_SCRIPTS; i++) {
        snprintf(text, sizeof text, "return { name = 's%d', check = function(hh) hh:warn('S%d', '') end }",
                 i, i);
        ls[i] = load(text);
        assert_ptr_equal(lua_stage_desc(ls[i])->user, ls[i]);
    }
    assert_int_equal(th_build(c), 0);
    for (i = 0; i < MANY_SCRIPTS; i++) st[i] = open_on(ls[i], c);
    for (i = MANY_SCRIPTS - 1; i >= 0; i--) {
        th_clear_findings(c);
        assert_int_equal(lua_stage_desc(ls[i])->check(st[i], th_view(c)), 0);
        snprintf(want, sizeof want, "warn S%d 0 \n", i);
        assert_string_equal(findings(c), want);
    }
    for (i = 0; i < MANY_SCRIPTS; i++) {
        lua_stage_desc(ls[i])->close(st[i]);
        lua_stage_free(ls[i]);
    }
    th_free(c);
}

/* ---- tuopin test ------------------------------------------------------------------ */

/* Runs script_test_main with stdout captured into out. */
static int run_test_command(int argc, const char **argv, char *out, size_t len)
{
    char path[300];
    int saved, fd, rc;
    FILE *f;
    size_t n;
    fflush(stdout);
    snprintf(path, sizeof path, "%s/stdout.txt", dir);
    fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    assert_true(fd >= 0);
    saved = dup(1);
    dup2(fd, 1);
    close(fd);
    rc = script_test_main(argc, (char **)argv);
    fflush(stdout);
    dup2(saved, 1);
    close(saved);
    f = fopen(path, "r");
    n = fread(out, 1, len - 1, f);
    out[n] = '\0';
    fclose(f);
    return rc;
}

static void test_shipped_scripts_pass_their_cases(void **state)
{
    const char *src = getenv("abs_top_srcdir");
    char script[1024], out[8192];
    const char *argv[2] = { "test", script };
    (void)state;
    if (!src) src = ".";
    snprintf(script, sizeof script, "%s/scripts/provinces/example_income.lua", src);
    if (run_test_command(2, argv, out, sizeof out) != 0) fail_msg("%s", out);
    assert_non_null(strstr(out, " passed, 0 failed\n"));
    snprintf(script, sizeof script, "%s/scripts/provinces/followup_visits.lua", src);
    if (run_test_command(2, argv, out, sizeof out) != 0) fail_msg("%s", out);
    assert_non_null(strstr(out, " passed, 0 failed\n"));
}

static void test_test_command_reports_each_case(void **state)
{
    char cases[300], out[8192];
    const char *script = script_file("return { name = 'tc', params = { line = 100 },\n"
                                     "  check = function(hh, p)\n"
                                     "    if hh.wage_income < p.line then hh:fail('LOW', 'low') end\n"
                                     "  end }\n");
    const char *argv[3] = { "test", script, cases };
    FILE *f;
    (void)state;
    snprintf(cases, sizeof cases, "%s/cases.lua", dir);
    f = fopen(cases, "w");
    assert_non_null(f);
    fputs("return {\n"
          "  { name = 'low fails', household = { wage_income = 50, members = { {} } },\n"
          "    expect = { fails = { 'LOW' } } },\n"
          "  { name = 'a wrong expectation', household = { wage_income = 50, members = { {} } } },\n"
          "  { name = 'param', params = { line = 10 }, household = { wage_income = 50, members = { {} } } },\n"
          "  { name = 'error', household = { members = { {} } }, expect = { error = 'compare' } },\n"
          "  { name = 'typo', household = { members = { {} } }, expected = {} },\n"
          "  { name = 'rejected', household = { status = 'rich', members = { {} } } },\n"
          "}\n", f);
    fclose(f);
    assert_int_equal(run_test_command(3, argv, out, sizeof out), 1);
    assert_non_null(strstr(out, "PASS  low fails\n"));
    assert_non_null(strstr(out, "FAIL  a wrong expectation: expected fails {}, got {LOW}\n"));
    assert_non_null(strstr(out, "PASS  param\n"));
    assert_non_null(strstr(out, "PASS  error\n"));
    assert_non_null(strstr(out, "FAIL  typo: bad case: unknown field 'expected' (did you mean 'expect'?) (a case has name, quarter"));
    assert_non_null(strstr(out, "FAIL  rejected: bad household: the engine would reject it: BAD_STATUS"));
    assert_non_null(strstr(out, "\n3 passed, 3 failed\n"));
}

static void test_test_command_usage_errors(void **state)
{
    char out[4096];
    const char *none[1] = { "test" };
    const char *opt[3] = { "test", "--frobnicate", "x.lua" };
    const char *many[4] = { "test", "a.lua", "b.lua", "c.lua" };
    (void)state;
    assert_int_equal(run_test_command(1, none, out, sizeof out), 2);
    assert_int_equal(run_test_command(3, opt, out, sizeof out), 2);
    assert_int_equal(run_test_command(4, many, out, sizeof out), 2);
}

/* ---- set-up ---------------------------------------------------------------------- */

static int setup(void **state)
{
    (void)state;
    return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
    char cmd[400];
    (void)state;
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    return system(cmd) == 0 ? 0 : -1;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_household_columns_are_typed),
        cmocka_unit_test(test_income_pc_is_the_exact_quotient),
        cmocka_unit_test(test_members_are_typed_with_ages),
        cmocka_unit_test(test_extra_columns_are_trimmed_text),
        cmocka_unit_test(test_fail_and_warn_record_findings),
        cmocka_unit_test(test_finding_codes_must_be_well_formed),
        cmocka_unit_test(test_member_must_be_in_the_household),
        cmocka_unit_test(test_methods_need_the_household),
        cmocka_unit_test(test_has_sees_earlier_stages_and_this_one),
        cmocka_unit_test(test_handle_is_read_only),
        cmocka_unit_test(test_handle_kept_past_its_call_is_refused),
        cmocka_unit_test(test_runtime_error_costs_one_household),
        cmocka_unit_test(test_error_objects_that_are_not_text),
        cmocka_unit_test(test_strict_mode_stops_at_the_first_error),
        cmocka_unit_test(test_sandbox_escapes_cost_one_household_each),
        cmocka_unit_test(test_instance_recovers_after_overruns),
        cmocka_unit_test(test_string_functions_are_charged_by_the_byte),
        cmocka_unit_test(test_params_defaults_and_run_values),
        cmocka_unit_test(test_params_quarter_follows_the_as_of_date),
        cmocka_unit_test(test_params_precedence),
        cmocka_unit_test(test_params_text_becomes_the_defaults_type),
        cmocka_unit_test(test_params_errors_name_the_parameter),
        cmocka_unit_test(test_load_errors_name_the_file_and_line),
        cmocka_unit_test(test_precompiled_script_is_refused),
        cmocka_unit_test(test_descriptor),
        cmocka_unit_test(test_declared_column_missing_at_open),
        cmocka_unit_test(test_instances_do_not_share_state),
        cmocka_unit_test(test_100_scripts_at_once_each_checks_as_itself),
        cmocka_unit_test(test_shipped_scripts_pass_their_cases),
        cmocka_unit_test(test_test_command_reports_each_case),
        cmocka_unit_test(test_test_command_usage_errors),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
