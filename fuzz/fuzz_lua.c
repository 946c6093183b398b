/* fuzz_lua.c — the Lua household API (core/stages/lua_stage.c, core/stages/lua_handle.c,
 * core/lua/sandbox.c): arbitrary bytes as a rule script, and as the household
 * it checks.  The input is a script, optionally followed by a line
 * "--DATA--" and lines "COLUMN=VALUE" (the whole household) or
 * "N:COLUMN=VALUE" (member N, from 0).  Beyond "no crash":
 *
 *   - a script that does not load is refused with a message of one line;
 *   - check() never stops the run (not strict): whatever the script does,
 *     the household ends with its findings or a SCRIPT_ERROR;
 *   - every finding is well formed: a code [A-Z][A-Z0-9_]*, a member within
 *     the household, a detail no longer than the handle allows, no more
 *     findings than LH_FINDINGS_MAX (plus the SCRIPT_ERROR);
 *   - the findings one household holds are bounded (issue 18 item 1): every
 *     code at most LH_CODE_MAX bytes, every detail at most LH_DETAIL_MAX, and
 *     their codes and details together at most LH_HH_BYTES_MAX bytes, plus
 *     the one SCRIPT_ERROR that says what was cut;
 *   - the same script on the same household in a fresh instance (a new Lua
 *     state, with its own string hash seed) gives the same findings; they
 *     are compared as a set, their text exactly (pairs() must visit keys in
 *     the same order in every state).
 * The instruction budget and memory cap are set low to keep executions fast. */
#define _POSIX_C_SOURCE 200809L
#include "lua_handle.h"
#include "lua_stage.h"
#include "pipeline.h"
#include "testhost.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define CHECK(cond) do { if (!(cond)) { \
    fprintf(stderr, "fuzz_lua: invariant broken at %s:%d: %s\n", __FILE__, __LINE__, #cond); \
    abort(); } } while (0)

static char dir[256], path[300];
static run_config cfg;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    const char *t = getenv("TMPDIR");
    (void)argc; (void)argv;
    snprintf(dir, sizeof dir, "%s/tuopin-fuzz-lua-XXXXXX", t && *t ? t : "/tmp");
    if (!mkdtemp(dir)) abort();
    snprintf(path, sizeof path, "%s/rule.lua", dir);
    memset(&cfg, 0, sizeof cfg);
    kv_set(&cfg.params, "script_instructions", "200000", "fuzz");
    kv_set(&cfg.params, "script_memory_mb", "8", "fuzz");
    return 0;
}

static int code_ok(const char *s)
{
    if (!(*s >= 'A' && *s <= 'Z')) return 0;
    for (s++; *s; s++)
        if (!((*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') || *s == '_')) return 0;
    return 1;
}

/* A household from the data lines (defaults first). */
static th_case *make_case(const lua_stage *ls, const char *data)
{
    static const char *const defaults[][2] = {
        { "wage_income", "5000" }, { "transfer_income", "1200.50" }, { "food_clothing_secure", "yes" },
        { "housing_rating", "C" }, { "housing_fixed", "no" }, { "water_safe", "是" },
        { "satisfied", "" }, { "declared_income_pc", "-12.3" }, { "note", "村委会核实" },
    };
    const char *const *col;
    th_case *c = th_new(2020, 12, 31);
    size_t i;
    if (!c) return NULL;
    th_add_member(c);
    th_add_member(c);
    th_set_member(c, 0, "person_id", "11010519491231002X");
    th_set_member(c, 0, "relation", "head");
    th_set_member(c, 1, "birth_date", "2012/2/29");
    th_set_member(c, 1, "school_status", "primary");
    for (i = 0; i < sizeof defaults / sizeof defaults[0]; i++) th_set(c, defaults[i][0], defaults[i][1]);
    for (col = lua_stage_desc(ls)->columns; col && *col; col++) th_add_column(c, *col);
    while (data && *data) {
        const char *nl = strchr(data, '\n');
        size_t n = nl ? (size_t)(nl - data) : strlen(data);
        char line[512], *eq, *colon;
        if (n < sizeof line) {
            memcpy(line, data, n);
            line[n] = '\0';
            if ((eq = strchr(line, '='))) {
                *eq = '\0';
                colon = strchr(line, ':');
                if (colon && colon < eq) {
                    *colon = '\0';
                    th_add_member(c);
                    th_set_member(c, (size_t)strtoul(line, NULL, 10) % 4, colon + 1, eq + 1);
                } else {
                    th_set(c, line, eq + 1);
                }
            }
        }
        data += n + (nl ? 1 : 0);
    }
    if (th_build(c) < 0) {
        th_free(c);
        return NULL;
    }
    return c;
}

static int sort_cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Runs the stage once on a fresh instance; the findings, one per line,
 * sorted, into out. */
static void run_once(const lua_stage *ls, const char *data, char **out, size_t *outlen,
                     int *built)
{
    th_case *c = make_case(ls, data);
    void *st = NULL;
    char err[1024];
    size_t i, n, nmem, hh_bytes = 0;
    char **lines;
    *out = NULL;
    *outlen = 0;
    *built = c != NULL;
    if (!c) return;
    if (th_open(c, lua_stage_desc(ls), &st, err, sizeof err) < 0) {
        CHECK(err[0] != '\0');
        th_free(c);
        *built = 0;
        return;
    }
    CHECK(lua_stage_desc(ls)->check(st, th_view(c)) == 0);
    nmem = th_view(c)->n_members;
    n = th_nfindings(c);
    CHECK(n <= LH_FINDINGS_MAX + 1);
    lines = calloc(n ? n : 1, sizeof *lines);
    CHECK(lines != NULL);
    for (i = 0; i < n; i++) {
        tp_severity sev;
        const char *code, *detail;
        size_t m, len;
        th_finding(c, i, &sev, &code, &m, &detail);
        CHECK(code_ok(code));
        CHECK(m <= nmem);
        CHECK(strlen(code) <= LH_CODE_MAX);
        CHECK(strlen(detail) <= LH_DETAIL_MAX);
        hh_bytes += strlen(code) + strlen(detail);
        len = strlen(code) + strlen(detail) + 32;
        lines[i] = malloc(len);
        CHECK(lines[i] != NULL);
        snprintf(lines[i], len, "%d %s %zu %s", (int)sev, code, m, detail);
    }
    CHECK(hh_bytes <= LH_HH_BYTES_MAX + strlen("SCRIPT_ERROR") + LH_DETAIL_MAX);
    qsort(lines, n, sizeof *lines, sort_cmp);
    {
        size_t total = 1;
        for (i = 0; i < n; i++) total += strlen(lines[i]) + 1;
        *out = malloc(total);
        CHECK(*out != NULL);
    }
    for (i = 0; i < n; i++) {
        size_t len = strlen(lines[i]);
        memcpy(*out + *outlen, lines[i], len);
        (*out)[*outlen + len] = '\n';
        *outlen += len + 1;
        free(lines[i]);
    }
    free(lines);
    lua_stage_desc(ls)->close(st);
    th_free(c);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text, *sep, err[2048];
    const char *hhdata = NULL;
    stage_spec spec;
    lua_stage *ls = NULL;
    FILE *f;
    if (!dir[0]) LLVMFuzzerInitialize(NULL, NULL);
    if (size > 16384) return 0;
    text = malloc(size + 1);
    CHECK(text != NULL);
    memcpy(text, data, size);
    text[size] = '\0';
    if ((sep = strstr(text, "\n--DATA--\n"))) {
        *sep = '\0';
        hhdata = sep + 10;
    }
    f = fopen(path, "wb");
    CHECK(f != NULL);
    fputs(text, f);
    CHECK(fclose(f) == 0);
    memset(&spec, 0, sizeof spec);
    spec.script = path;
    err[0] = '\0';
    if (lua_stage_load(&spec, &cfg, &ls, err, sizeof err) < 0) {
        CHECK(err[0] != '\0');
        CHECK(strchr(err, '\n') == NULL);   /* one line, as `tuopin run` prints it */
    } else {
        char *a, *b;
        size_t na, nb;
        int ba, bb;
        run_once(ls, hhdata, &a, &na, &ba);
        run_once(ls, hhdata, &b, &nb, &bb);
        CHECK(ba == bb);
        CHECK(na == nb && (na == 0 || !memcmp(a, b, na)));
        free(a);
        free(b);
        lua_stage_free(ls);
    }
    free(text);
    return 0;
}
