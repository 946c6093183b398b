/* script_test.c — `tuopin test`: each case of a cases file is a household
 * (built by testhost.c exactly as the engine builds one), the parameters
 * for the script, the codes earlier stages gave, and the findings expected.
 * The script runs through the same lua_stage code as in a run. */
#define _POSIX_C_SOURCE 200809L
#include "script_test.h"
#include "cmdline.h"
#include "values.h"
#include "lua_stage.h"
#include "pipeline.h"
#include "sandbox.h"
#include "suggest.h"
#include "testhost.h"
#include "i18n.h"

#include <lauxlib.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CASES_MEM_CAP ((size_t)64 << 20)
#define CASES_BUDGET 100000000LL
#define DEFAULT_QUARTER "2020Q4"

/* A list of strings, owned. */
typedef struct strlist { char **s; size_t n; } strlist;

/* An expected finding. */
typedef struct want_finding { tp_severity sev; char *code; size_t member; } want_finding;

typedef struct tcase {
    char *name;
    char *quarter;
    kv_list params;
    th_case *hh;
    strlist has;
    int has_fails, has_warns;        /* the lists were given */
    strlist fails, warns;
    want_finding *findings;          /* NULL unless given */
    size_t nfindings;
    int findings_given;
    char *error;                     /* expected SCRIPT_ERROR text, or NULL */
} tcase;

static void strlist_free(strlist *l)
{
    size_t i;
    for (i = 0; i < l->n; i++) free(l->s[i]);
    free(l->s);
    memset(l, 0, sizeof *l);
}

static void tcase_free(tcase *t)
{
    size_t i;
    free(t->name);
    free(t->quarter);
    kv_free(&t->params);
    th_free(t->hh);
    strlist_free(&t->has);
    strlist_free(&t->fails);
    strlist_free(&t->warns);
    for (i = 0; i < t->nfindings; i++) free(t->findings[i].code);
    free(t->findings);
    free(t->error);
    memset(t, 0, sizeof *t);
}

/* ---- reading a case (protected: errors are Lua errors) ---------------------- */

/* A value as the text a CSV field or a pipeline parameter would hold. */
static const char *value_text(lua_State *L, int idx, const char *what, char *buf, size_t len)
{
    switch (lua_type(L, idx)) {
    case LUA_TSTRING: return lua_tostring(L, idx);
    case LUA_TNUMBER:
        if (lua_isinteger(L, idx)) snprintf(buf, len, "%lld", (long long)lua_tointeger(L, idx));
        else snprintf(buf, len, "%.14g", (double)lua_tonumber(L, idx));
        return buf;
    case LUA_TBOOLEAN:
        return lua_toboolean(L, idx) ? "yes" : "no";
    default:
        sbx_raise(L, _("%s: expected a string, number or boolean, got %s"), what, luaL_typename(L, idx));
        return NULL;
    }
}

/* Tables are read in sbx_sorted_keys' order, not next()'s (which differs
 * from one state to the next): a case file with two faults gets the same
 * message every time. */
static void check_keys(lua_State *L, int idx, const char *what, const char *const *allowed)
{
    lua_Integer nk, ki;
    int kt, bad = 0;
    luaL_Buffer b;
    idx = lua_absindex(L, idx);
    nk = sbx_sorted_keys(L, idx);
    kt = lua_gettop(L);
    luaL_buffinit(L, &b);
    /* every unknown field is named, each with the closest allowed one */
    for (ki = 1; ki <= nk; ki++) {
        const char *k, *best = NULL;
        size_t best_d = (size_t)-1;
        char item[300];
        int i, ok = 0;
        lua_rawgeti(L, kt, ki);
        k = lua_type(L, -1) == LUA_TSTRING ? lua_tostring(L, -1) : NULL;
        for (i = 0; k && allowed[i]; i++) {
            if (!strcmp(k, allowed[i])) ok = 1;
            best = sg_better(k, allowed[i], best, &best_d);
        }
        if (!k) snprintf(item, sizeof item, "%s", _("(not a name)"));
        else if (best) snprintf(item, sizeof item, _("'%.200s' (did you mean '%s'?)"), k, best);
        else snprintf(item, sizeof item, "'%.200s'", k);
        lua_pop(L, 1);
        if (ok) continue;
        if (bad++) luaL_addstring(&b, _(", "));
        luaL_addstring(&b, item);
    }
    luaL_pushresult(&b);
    if (bad > 1) sbx_raise(L, _("unknown fields %s (%s)"), lua_tostring(L, -1), what);
    if (bad) sbx_raise(L, _("unknown field %s (%s)"), lua_tostring(L, -1), what);
    lua_pop(L, 2);
}

/* A list of finding codes at idx (absent: given = 0). */
static void read_codes(lua_State *L, int idx, const char *what, strlist *out, int *given)
{
    size_t i, n;
    if (lua_isnil(L, idx)) return;
    if (given) *given = 1;
    if (lua_type(L, idx) == LUA_TSTRING) {
        lua_newtable(L);
        lua_pushvalue(L, idx);
        lua_rawseti(L, -2, 1);
        lua_replace(L, idx);
    }
    luaL_checktype(L, idx, LUA_TTABLE);
    n = (size_t)luaL_len(L, idx);
    out->s = calloc(n ? n : 1, sizeof *out->s);
    if (!out->s) sbx_raise(L, _("out of memory"));
    for (i = 0; i < n; i++) {
        if (lua_geti(L, idx, (lua_Integer)i + 1) != LUA_TSTRING)
            sbx_raise(L, _("%s[%d]: expected a finding code"), what, (int)i + 1);
        out->s[i] = sbx_strdup(L, lua_tostring(L, -1));
        out->n = i + 1;
        lua_pop(L, 1);
    }
}

static void read_row(lua_State *L, int idx, th_case *hh, long member)
{
    lua_Integer nk, ki;
    int kt;
    idx = lua_absindex(L, idx);
    nk = sbx_sorted_keys(L, idx);
    kt = lua_gettop(L);
    for (ki = 1; ki <= nk; ki++) {
        char buf[64], what[160];
        const char *col, *v;
        int rc;
        sbx_sorted_entry(L, kt, ki, idx);
        if (lua_type(L, -2) != LUA_TSTRING) sbx_raise(L, _("household: keys must be column names"));
        col = lua_tostring(L, -2);
        if (member < 0 && !strcmp(col, "members")) {
            lua_pop(L, 2);
            continue;
        }
        if (member < 0) snprintf(what, sizeof what, "household.%s", col);
        else snprintf(what, sizeof what, "members[%ld].%s", member + 1, col);
        v = value_text(L, -1, what, buf, sizeof buf);
        rc = member < 0 ? th_set(hh, col, v) : th_set_member(hh, (size_t)member, col, v);
        if (rc < 0) sbx_raise(L, "%s: %s", what, th_error(hh));
        lua_pop(L, 2);
    }
    lua_pop(L, 1);
}

/* Protected: argument 1 the case table, upvalue 1 the tcase to fill. */
static int read_case(lua_State *L)
{
    static const char *const case_keys[] = {
        "name", "quarter", "params", "household", "has", "expect", NULL
    };
    static const char *const expect_keys[] = { "fails", "warns", "findings", "error", NULL };
    tcase *t = lua_touserdata(L, lua_upvalueindex(1));
    int y, m, d, top;
    size_t i, n;

    if (!lua_istable(L, 1)) return sbx_raise(L, _("a case must be a table"));
    if (lua_getfield(L, 1, "name") != LUA_TNIL) {
        if (lua_type(L, -1) != LUA_TSTRING) return sbx_raise(L, _("name must be a string"));
        t->name = sbx_strdup(L, lua_tostring(L, -1));
    }
    lua_pop(L, 1);
    check_keys(L, 1, _("a case has name, quarter, params, household, has and expect"), case_keys);
    if (lua_getfield(L, 1, "quarter") != LUA_TNIL) {
        if (lua_type(L, -1) != LUA_TSTRING) return sbx_raise(L, _("quarter must be a string like \"2020Q4\""));
        t->quarter = sbx_strdup(L, lua_tostring(L, -1));
    } else {
        t->quarter = sbx_strdup(L, DEFAULT_QUARTER);
    }
    lua_pop(L, 1);
    if (val_quarter(t->quarter, &y, &m, &d) < 0)
        return sbx_raise(L, _("quarter \"%s\" is not of the form YYYYQn"), t->quarter);

    if (lua_getfield(L, 1, "params") != LUA_TNIL) {
        top = lua_gettop(L);
        luaL_checktype(L, top, LUA_TTABLE);
        {
        lua_Integer nk = sbx_sorted_keys(L, top), ki;
        int kt = lua_gettop(L);
        for (ki = 1; ki <= nk; ki++) {
            char buf[64], what[160];
            const char *k;
            sbx_sorted_entry(L, kt, ki, top);
            if (lua_type(L, -2) != LUA_TSTRING) return sbx_raise(L, _("params: keys must be names"));
            k = lua_tostring(L, -2);
            snprintf(what, sizeof what, "params.%s", k);
            if (lua_type(L, -1) == LUA_TBOOLEAN) {
                if (kv_set(&t->params, k, lua_toboolean(L, -1) ? "true" : "false", "case") < 0)
                    return sbx_raise(L, _("out of memory"));
            } else if (kv_set(&t->params, k, value_text(L, -1, what, buf, sizeof buf), "case") < 0) {
                return sbx_raise(L, _("out of memory"));
            }
            lua_pop(L, 2);
        }
        lua_pop(L, 1);
        }
    }
    lua_pop(L, 1);

    t->hh = th_new(y, m, d);
    if (!t->hh) return sbx_raise(L, _("out of memory"));
    if (lua_getfield(L, 1, "household") != LUA_TTABLE)
        return sbx_raise(L, _("household must be a table of columns with members = { ... }"));
    top = lua_gettop(L);
    read_row(L, top, t->hh, -1);
    if (lua_getfield(L, top, "members") != LUA_TTABLE)
        return sbx_raise(L, _("household.members must be a list of members (at least one)"));
    n = (size_t)luaL_len(L, -1);
    if (n == 0) return sbx_raise(L, _("household.members is empty: a household has at least one member"));
    for (i = 0; i < n; i++) {
        long mi;
        if (lua_geti(L, -1, (lua_Integer)i + 1) != LUA_TTABLE)
            return sbx_raise(L, _("members[%d] must be a table of columns"), (int)i + 1);
        mi = th_add_member(t->hh);
        if (mi < 0) return sbx_raise(L, "%s", th_error(t->hh));
        read_row(L, lua_gettop(L), t->hh, mi);
        lua_pop(L, 1);
    }
    lua_pop(L, 2);

    lua_getfield(L, 1, "has");
    read_codes(L, lua_gettop(L), "has", &t->has, NULL);
    lua_pop(L, 1);

    if (lua_getfield(L, 1, "expect") != LUA_TNIL) {
        top = lua_gettop(L);
        luaL_checktype(L, top, LUA_TTABLE);
        check_keys(L, top, _("expect has fails, warns, findings and error"), expect_keys);
        lua_getfield(L, top, "fails");
        read_codes(L, lua_gettop(L), "expect.fails", &t->fails, &t->has_fails);
        lua_pop(L, 1);
        lua_getfield(L, top, "warns");
        read_codes(L, lua_gettop(L), "expect.warns", &t->warns, &t->has_warns);
        lua_pop(L, 1);
        if (lua_getfield(L, top, "error") != LUA_TNIL) {
            if (lua_type(L, -1) != LUA_TSTRING) return sbx_raise(L, _("expect.error must be a string"));
            t->error = sbx_strdup(L, lua_tostring(L, -1));
        }
        lua_pop(L, 1);
        if (lua_getfield(L, top, "findings") != LUA_TNIL) {
            int fi = lua_gettop(L);
            luaL_checktype(L, fi, LUA_TTABLE);
            t->findings_given = 1;
            n = (size_t)luaL_len(L, fi);
            t->findings = calloc(n ? n : 1, sizeof *t->findings);
            if (!t->findings) return sbx_raise(L, _("out of memory"));
            for (i = 0; i < n; i++) {
                want_finding *w = &t->findings[i];
                const char *sev;
                if (lua_geti(L, fi, (lua_Integer)i + 1) != LUA_TTABLE)
                    return sbx_raise(L, _("expect.findings[%d]: expected { \"fail\" or \"warn\", CODE [, member] }"),
                                 (int)i + 1);
                lua_geti(L, -1, 1);
                lua_geti(L, -2, 2);
                lua_geti(L, -3, 3);
                sev = lua_tostring(L, -3);
                if (!sev || (strcmp(sev, "fail") && strcmp(sev, "warn")) || lua_type(L, -2) != LUA_TSTRING
                    || !(lua_isnil(L, -1) || lua_isinteger(L, -1)))
                    return sbx_raise(L, _("expect.findings[%d]: expected { \"fail\" or \"warn\", CODE [, member] }"),
                                 (int)i + 1);
                w->sev = !strcmp(sev, "fail") ? TP_FAIL : TP_WARN;
                w->code = sbx_strdup(L, lua_tostring(L, -2));
                w->member = lua_isnil(L, -1) ? 0 : (size_t)lua_tointeger(L, -1);
                t->nfindings = i + 1;
                lua_pop(L, 4);
            }
        }
        lua_pop(L, 1);
    }
    lua_pop(L, 1);
    return 0;
}

/* ---- comparing --------------------------------------------------------------- */

static int in_list(const strlist *l, const char *s)
{
    size_t i;
    for (i = 0; i < l->n; i++)
        if (!strcmp(l->s[i], s)) return 1;
    return 0;
}

/* Appends "{A, B}" of the distinct codes of one severity the script gave. */
static void actual_codes(const th_case *hh, tp_severity sev, char *buf, size_t len)
{
    size_t i, j, o = 0;
    o += (size_t)snprintf(buf, len, "{");
    for (i = 0; i < th_nfindings(hh) && o < len; i++) {
        tp_severity s;
        const char *code;
        int dup = 0;
        th_finding(hh, i, &s, &code, NULL, NULL);
        if (s != sev) continue;
        for (j = 0; j < i && !dup; j++) {
            tp_severity s2;
            const char *c2;
            th_finding(hh, j, &s2, &c2, NULL, NULL);
            dup = s2 == sev && !strcmp(c2, code);
        }
        if (dup) continue;
        o += (size_t)snprintf(buf + o, len - o, "%s%s", o > 1 ? ", " : "", code);
    }
    if (o < len) snprintf(buf + o, len - o, "}");
}

static void list_text(const strlist *l, char *buf, size_t len)
{
    size_t i, o = 0;
    o += (size_t)snprintf(buf, len, "{");
    for (i = 0; i < l->n && o < len; i++)
        o += (size_t)snprintf(buf + o, len - o, "%s%s", i ? ", " : "", l->s[i]);
    if (o < len) snprintf(buf + o, len - o, "}");
}

/* Whether the distinct codes of severity sev equal the expected set. */
static int same_codes(const th_case *hh, tp_severity sev, const strlist *want)
{
    size_t i;
    for (i = 0; i < th_nfindings(hh); i++) {
        tp_severity s;
        const char *code;
        th_finding(hh, i, &s, &code, NULL, NULL);
        if (s == sev && !in_list(want, code)) return 0;
    }
    for (i = 0; i < want->n; i++) {
        size_t j;
        int found = 0;
        for (j = 0; j < th_nfindings(hh) && !found; j++) {
            tp_severity s;
            const char *code;
            th_finding(hh, j, &s, &code, NULL, NULL);
            found = s == sev && !strcmp(code, want->s[i]);
        }
        if (!found) return 0;
    }
    return 1;
}

/* Exact comparison of (severity, code, member), order aside. */
static int same_findings(const tcase *t, char *why, size_t len)
{
    size_t n = th_nfindings(t->hh), i, j;
    unsigned char *used;
    if (n != t->nfindings) {
        snprintf(why, len, _("expected %zu findings, got %zu"), t->nfindings, n);
        return 0;
    }
    used = calloc(n ? n : 1, 1);
    if (!used) { snprintf(why, len, _("out of memory")); return 0; }
    for (i = 0; i < t->nfindings; i++) {
        const want_finding *w = &t->findings[i];
        int found = 0;
        for (j = 0; j < n && !found; j++) {
            tp_severity s;
            const char *code;
            size_t m;
            th_finding(t->hh, j, &s, &code, &m, NULL);
            if (!used[j] && s == w->sev && m == w->member && !strcmp(code, w->code)) {
                used[j] = 1;
                found = 1;
            }
        }
        if (!found) {
            if (w->member)
                snprintf(why, len, _("expected finding %s %s on member %zu, not given"),
                         w->sev == TP_FAIL ? "fail" : "warn", w->code, w->member);
            else
                snprintf(why, len, _("expected finding %s %s on the household, not given"),
                         w->sev == TP_FAIL ? "fail" : "warn", w->code);
            free(used);
            return 0;
        }
    }
    free(used);
    return 1;
}

/* The detail of the first SCRIPT_ERROR, or NULL. */
static const char *script_error(const th_case *hh)
{
    size_t i;
    for (i = 0; i < th_nfindings(hh); i++) {
        const char *code, *detail;
        th_finding(hh, i, NULL, &code, NULL, &detail);
        if (!strcmp(code, "SCRIPT_ERROR")) return detail;
    }
    return NULL;
}

/* ---- running ------------------------------------------------------------------- */

/* Runs one read case; RETURN 1 passed, 0 failed (why says why). */
static int run_case(const char *script, tcase *t, char *why, size_t len)
{
    stage_spec spec;
    run_config cfg;
    lua_stage *ls = NULL;
    const tp_stage *desc;
    void *state = NULL;
    char err[1024], want[512], got[512];
    const char *const *col;
    const char *se;
    size_t i;
    int ok = 0;
    strlist fails_default = { NULL, 0 };

    memset(&spec, 0, sizeof spec);
    memset(&cfg, 0, sizeof cfg);
    spec.script = (char *)script;
    spec.params = t->params;
    if (lua_stage_load(&spec, &cfg, &ls, err, sizeof err) < 0) {
        snprintf(why, len, "%s", err);
        return 0;
    }
    desc = lua_stage_desc(ls);
    for (col = desc->columns; col && *col; col++) {
        if (th_add_column(t->hh, *col) < 0) {
            snprintf(why, len, "%s", th_error(t->hh));
            goto out;
        }
    }
    if (th_build(t->hh) < 0) {
        snprintf(why, len, _("bad household: %s"), th_error(t->hh));
        goto out;
    }
    for (i = 0; i < t->has.n; i++) {
        if (th_prior(t->hh, TP_FAIL, t->has.s[i]) < 0) {
            snprintf(why, len, _("has: \"%s\" is not a finding code"), t->has.s[i]);
            goto out;
        }
    }
    if (th_open(t->hh, desc, &state, err, sizeof err) < 0) {
        snprintf(why, len, "%s", err);
        goto out;
    }
    if (desc->check(state, th_view(t->hh)) < 0) {
        snprintf(why, len, _("check failed: %s"), th_log(t->hh));
        goto out;
    }

    se = script_error(t->hh);
    if (t->error) {
        if (!se) {
            snprintf(why, len, _("expected a script error containing \"%s\", the script ran"), t->error);
            goto out;
        }
        if (!strstr(se, t->error)) {
            snprintf(why, len, _("expected a script error containing \"%s\", got: %s"), t->error, se);
            goto out;
        }
        if (!t->has_fails) {
            static char *script_error_code[] = { "SCRIPT_ERROR" };
            fails_default.s = script_error_code;
            fails_default.n = 1;
        }
    }
    /* a case that lists its findings and leaves fails or warns out is checked
     * by the findings alone (docs/scripts.md) */
    if ((t->has_fails || !t->findings_given || t->error)
        && !same_codes(t->hh, TP_FAIL, t->has_fails ? &t->fails : &fails_default)) {
        list_text(t->has_fails ? &t->fails : &fails_default, want, sizeof want);
        actual_codes(t->hh, TP_FAIL, got, sizeof got);
        if (se && !t->error)
            snprintf(why, len, _("expected fails %s, got %s (SCRIPT_ERROR: %s)"), want, got, se);
        else
            snprintf(why, len, _("expected fails %s, got %s"), want, got);
        goto out;
    }
    if ((t->has_warns || !t->findings_given) && !same_codes(t->hh, TP_WARN, &t->warns)) {
        list_text(&t->warns, want, sizeof want);
        actual_codes(t->hh, TP_WARN, got, sizeof got);
        snprintf(why, len, _("expected warns %s, got %s"), want, got);
        goto out;
    }
    if (t->findings_given && !same_findings(t, why, len)) goto out;
    ok = 1;
out:
    if (state) desc->close(state);
    lua_stage_free(ls);
    return ok;
}

static char *default_cases(const char *script)
{
    size_t n = strlen(script);
    char *s = malloc(n + 16);
    if (!s) return NULL;
    if (n > 4 && !strcmp(script + n - 4, ".lua")) {
        memcpy(s, script, n - 4);
        strcpy(s + n - 4, "_test.lua");
    } else {
        memcpy(s, script, n);
        strcpy(s + n, "_test.lua");
    }
    return s;
}

static void usage(FILE *f)
{
    fputs("Usage: tuopin test SCRIPT [CASES]\n"
          "Runs a Lua rule script against its test cases and reports each case.\n"
          "用法：tuopin test 脚本 [用例文件]  用测试用例检验规则脚本。\n"
          "\n"
          "CASES defaults to SCRIPT with .lua replaced by _test.lua\n"
          "(scripts/provinces/example.lua -> scripts/provinces/example_test.lua).\n"
          "The case format is described in docs/scripts.md.\n"
          "\n"
          "Exit status: 0 when every case passed, 1 when a case failed or the\n"
          "cases could not be read, 2 on a usage error.\n", f);
}

int script_test_main(int argc, char **argv)
{
    const char *script = NULL, *cases_arg = NULL;
    char *cases;
    lua_State *L;
    int o, rc, passed = 0, failed = 0;
    lua_Integer n, k;
    cmdline cl;
    static const struct option test_options[] = {
        CMDLINE_HELP_END
    };

    cmdline_init(&cl, "test", argc, argv, "h", test_options);
    while ((o = cmdline_next(&cl)) != CMDLINE_END) {
        if (o == 'h') {
            usage(stdout);
            return 0;
        }
        if (o != CMDLINE_OPERAND) return 2;
        if (!script) script = cl.arg;
        else if (!cases_arg) cases_arg = cl.arg;
        else return cmdline_usage_error(&cl, _("too many arguments (SCRIPT [CASES])"));
    }
    if (!script) {
        usage(stderr);
        return 2;
    }
    {
        /* The script is loaded once before the cases: a script that will not
         * load (or does not exist) is one error naming it, not one failed
         * case each, nor a complaint about its cases file. */
        stage_spec spec;
        run_config cfg;
        lua_stage *ls = NULL;
        char err[1024];
        memset(&spec, 0, sizeof spec);
        memset(&cfg, 0, sizeof cfg);
        spec.script = (char *)script;
        if (lua_stage_load(&spec, &cfg, &ls, err, sizeof err) < 0) {
            fprintf(stderr, _("tuopin test: %s\n"), err);
            return 1;
        }
        lua_stage_free(ls);
    }
    cases = cases_arg ? strdup(cases_arg) : default_cases(script);
    L = cases ? sbx_new(CASES_MEM_CAP, CASES_BUDGET, 1) : NULL;
    if (!L) {
        fprintf(stderr, _("tuopin test: out of memory\n"));
        free(cases);
        return 1;
    }
    rc = sbx_loadfile(L, cases);
    if (rc == LUA_OK) rc = sbx_pcall(L, 0, 1);
    if (rc == LUA_OK && !lua_istable(L, -1)) {
        lua_pushfstring(L, _("%s: the cases file must return a list of cases"), cases);
        rc = LUA_ERRRUN;
    }
    if (rc != LUA_OK) {
        const char *msg = lua_tostring(L, -1);
        fprintf(stderr, _("tuopin test: %s\n"), msg ? msg : _("cannot read the cases"));
        sbx_close(L);
        free(cases);
        return 1;
    }
    n = (lua_Integer)lua_rawlen(L, -1);
    if (n == 0) {
        fprintf(stderr, _("tuopin test: %s: no cases\n"), cases);
        sbx_close(L);
        free(cases);
        return 1;
    }
    for (k = 1; k <= n; k++) {
        tcase t;
        char why[2048], label[64];
        int ok;
        memset(&t, 0, sizeof t);
        lua_pushlightuserdata(L, &t);
        lua_pushcclosure(L, read_case, 1);
        lua_rawgeti(L, -2, k);
        rc = sbx_pcall(L, 1, 0);
        snprintf(label, sizeof label, _("case %lld"), (long long)k);
        if (rc != LUA_OK) {
            const char *msg = lua_tostring(L, -1);
            snprintf(why, sizeof why, _("bad case: %s"), msg ? msg : "error");
            lua_pop(L, 1);
            ok = 0;
        } else {
            ok = run_case(script, &t, why, sizeof why);
        }
        if (ok) {
            printf("PASS  %s\n", t.name ? t.name : label);
            passed++;
        } else {
            printf("FAIL  %s: %s\n", t.name ? t.name : label, why);
            failed++;
        }
        tcase_free(&t);
    }
    printf("%d passed, %d failed\n", passed, failed);
    sbx_close(L);
    free(cases);
    return failed ? 1 : 0;
}
