/* stage_harness.c — the test host of stage_harness.h: a host function table
 * that captures findings, a parameter table with the standard's defaults, and
 * the engine's own reading path (csv → blocks → structural checks → hh_build)
 * over CSV text held in memory. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "stage_harness.h"

#include "block.h"
#include "host_sets.h"
#include "csv.h"
#include "household.h"
#include "idset.h"
#include "messages.h"
#include "plugin.h"
#include "roster.h"
#include "schema.h"

#define MAX_FINDINGS 512
#define MAX_MEMBERS 512
#define LINE_LEN 160

/* ---- state of the harness ------------------------------------------------- */

static plugin loaded;
static char loaded_name[64];

/* The national defaults of the standard (standard §3, §7), written here by
 * hand so that a stage declaring other defaults is caught by its tests. */
typedef struct param_entry { const char *name; int64_t standard, value; } param_entry;
static param_entry params[] = {
    { "income_line", 400000, 0 },        /* cents: 4000.00 (the 2020 line) */
    { "income_tolerance", 100, 0 },      /* cents: 1.00 */
    { "near_line_margin", 100000, 0 },   /* millionths: 0.10 */
    { "transfer_share_max", 500000, 0 }, /* millionths: 0.50 */
    { "school_age_min", 6, 0 },
    { "school_age_max", 15, 0 },
};
#define N_PARAMS (sizeof params / sizeof params[0])

static int as_of_y = 2020, as_of_m = 9, as_of_d = 30;

static char lines[MAX_FINDINGS][LINE_LEN];
static char codes[MAX_FINDINGS][64];
static size_t nlines;
static char all_text[MAX_FINDINGS * LINE_LEN];
static size_t nhouseholds;

typedef struct age_entry { char hid[32]; size_t member; int known, age; } age_entry;
static age_entry ages[MAX_MEMBERS];
static size_t nages;

/* A problem seen inside a host callback; reported after check() returns so
 * that no cmocka jump crosses the stage's frames. */
static char host_error[512];

/* The household being checked (for has()). */
static size_t hh_first_line;

/* The block of the household being checked (for field()). */
static const schema_map *cur_map;

/* ---- the host table ----------------------------------------------------------- */

static void add_line(const char *hid, const char *sev, const char *code, size_t member,
                     const char *column)
{
    char mem[32] = "";
    if (nlines == MAX_FINDINGS) {
        snprintf(host_error, sizeof host_error, "more than %d findings", MAX_FINDINGS);
        return;
    }
    if (member) snprintf(mem, sizeof mem, " m%zu", member);
    snprintf(lines[nlines], LINE_LEN, "%s %s %s%s%s%s", hid, sev, code, mem,
             column ? " " : "", column ? column : "");
    snprintf(codes[nlines], sizeof codes[0], "%s", code);
    nlines++;
}

/* The loaded stage's declaration of code, or NULL. */
static const tp_code_decl *declared(const char *code)
{
    size_t i;
    for (i = 0; i < loaded.desc->codes.n; i++)
        if (!strcmp(loaded.desc->codes.items[i].code, code)) return &loaded.desc->codes.items[i];
    return NULL;
}

static int h_finding(tp_ctx *ctx, tp_severity sev, const char *code, size_t member,
                     const tp_finding_args *args)
{
    const tp_household *hh;
    const char *column = NULL;
    if (!ctx->ev) {
        snprintf(host_error, sizeof host_error, "finding %s outside a check", code ? code : "(null)");
        return -1;
    }
    hh = &ctx->ev->view;
    if (!hh_code_valid(code)) {
        snprintf(host_error, sizeof host_error, "malformed finding code \"%s\"", code ? code : "(null)");
        return -1;
    }
    if (member > hh->n_members) {
        snprintf(host_error, sizeof host_error, "%s: member %zu of a household of %zu",
                 code, member, hh->n_members);
        return -1;
    }
    if (sev != TP_WARN && sev != TP_FAIL) {
        snprintf(host_error, sizeof host_error, "%s: severity %d", code, (int)sev);
        return -1;
    }
    if (!strcmp(code, "MISSING_VALUE") || !strcmp(code, "BAD_VALUE")) {
        /* Standard §3: "the detail names the column". */
        char detail[512];
        if (!args || !args->column) {
            snprintf(host_error, sizeof host_error, "%s without a column", code);
            return -1;
        }
        msg_finding(detail, sizeof detail, &loaded.desc->codes, code, member, args);
        if (!strstr(detail, args->column)) {
            snprintf(host_error, sizeof host_error, "%s detail \"%.300s\" does not name column %.60s",
                     code, detail, args->column);
            return -1;
        }
        column = args->column;
    } else if (strncmp(code, "ROSTER_", 7)) {
        /* Every other code is the stage's own: declared, in both languages
         * (the roster comparisons' ROSTER_* codes are worded by the host,
         * whose roster index encodes their arguments). */
        const tp_code_decl *d = declared(code);
        if (!d || !d->en || !d->zh) {
            snprintf(host_error, sizeof host_error, "%s is not declared with English and Chinese texts",
                     code);
            return -1;
        }
    }
    add_line(hh->household_id, sev == TP_FAIL ? "fail" : "warn", code, member, column);
    return 0;
}

static int h_finding_text(tp_ctx *ctx, tp_severity sev, const char *code, size_t member,
                          const char *detail)
{
    (void)detail;
    return h_finding(ctx, sev, code, member, NULL);
}

/* Only the parameters the loaded stage declares exist for it, as in the
 * real host. */
static int h_param(tp_ctx *ctx, const char *name, int64_t *value)
{
    const tp_param_decl *d;
    size_t i;
    (void)ctx;
    for (d = loaded.desc->params.items; d && d->name; d++) {
        if (strcmp(d->name, name)) continue;
        for (i = 0; i < N_PARAMS; i++) {
            if (!strcmp(params[i].name, name)) {
                *value = params[i].value;
                return 0;
            }
        }
        snprintf(host_error, sizeof host_error, "the harness has no value for parameter %s", name);
        return -1;
    }
    return -1;
}

static void h_as_of(tp_ctx *ctx, int *y, int *m, int *d)
{
    (void)ctx;
    *y = as_of_y; *m = as_of_m; *d = as_of_d;
}

static int h_column(tp_ctx *ctx, const char *name)
{
    (void)ctx;
    return cur_map ? schema_find(cur_map, name) : -1;
}

static const char *h_field(tp_ctx *ctx, size_t member, int col)
{
    const hh_eval *e = ctx->ev;
    if (!e) {
        snprintf(host_error, sizeof host_error, "field() outside a check");
        return "";
    }
    if (member >= e->view.n_members) {
        snprintf(host_error, sizeof host_error, "field(): member %zu of %zu", member,
                 e->view.n_members);
        return "";
    }
    return block_field(e->blk, member, col);
}

static void h_log(tp_ctx *ctx, const char *msg) { (void)ctx; (void)msg; }

static int h_chinese(tp_ctx *ctx)
{
    (void)ctx;
    return 0;
}

static int h_has(tp_ctx *ctx, const char *code)
{
    size_t i;
    (void)ctx;
    for (i = hh_first_line; i < nlines; i++)
        if (!strcmp(codes[i], code)) return 1;
    return 0;
}

/* The rosters of sh_set_rosters, matched the engine's way. */
static const roster_set *rosters;

static unsigned h_rosters(tp_ctx *ctx)
{
    (void)ctx;
    return rosters ? rosters->kinds : 0;
}

static int h_roster(tp_ctx *ctx, size_t member, tp_roster_kind kind, tp_roster_row *row)
{
    return ctx->ev ? hh_roster(ctx->ev, member, kind, row) : -1;
}

void sh_set_rosters(const roster_set *rs) { rosters = rs; }

static const tp_host host = {
    .struct_size = sizeof(tp_host), .abi_version = TP_ABI_VERSION,
    .finding = h_finding, .param = h_param, .as_of = h_as_of, .column = h_column,
    .field = h_field, .log = h_log, .finding_text = h_finding_text, .has = h_has,
    .chinese = h_chinese, .rosters = h_rosters, .roster = h_roster,
    HOST_SET_FUNCTIONS
};

/* The instances' context (the harness keeps its state in globals). */
static tp_ctx open_ctx = { .host = &host };

/* Opens an instance of the loaded stage.  RETURN what its open() returned. */
static int open_stage(void **st, char *err, size_t errlen)
{
    const tp_stage *d = loaded.desc;
    *st = NULL;
    open_ctx.stage = d;
    if (!d->open) return 0;
    return d->open(loaded.abi == 2 ? loaded.raw : d, d->user, &host, &open_ctx, st, err, errlen);
}

/* ---- set-up ------------------------------------------------------------------------ */

int sh_setup(const char *name)
{
    const char *b = getenv("abs_top_builddir");
    char path[4200], err[1024];
    if (!b || !*b) {
        fprintf(stderr, "stage harness: abs_top_builddir is not set (run through make check)\n");
        return -1;
    }
    if (plugin_system_init() < 0) {
        fprintf(stderr, "stage harness: libltdl did not initialise\n");
        return -1;
    }
    snprintf(path, sizeof path, "%s/plugins/%s/.libs/%s.so", b, name, name);
    if (plugin_load_path(path, name, &loaded, err, sizeof err) < 0) {
        fprintf(stderr, "stage harness: %s\n", err);
        plugin_system_exit();
        return -1;
    }
    snprintf(loaded_name, sizeof loaded_name, "%s", name);
    sh_reset(NULL);
    return 0;
}

void sh_teardown(void)
{
    plugin_unload(&loaded);
    plugin_system_exit();
}

const tp_stage *sh_stage(void) { return loaded.desc; }

int sh_reset(void **state)
{
    size_t i;
    (void)state;
    for (i = 0; i < N_PARAMS; i++) params[i].value = params[i].standard;
    as_of_y = 2020; as_of_m = 9; as_of_d = 30;
    nlines = 0;
    nages = 0;
    nhouseholds = 0;
    host_error[0] = '\0';
    return 0;
}

void sh_set_as_of(int year, int month, int day)
{
    as_of_y = year; as_of_m = month; as_of_d = day;
}

static param_entry *param_entry_of(const char *name)
{
    size_t i;
    for (i = 0; i < N_PARAMS; i++)
        if (!strcmp(params[i].name, name)) return &params[i];
    fail_msg("the harness has no parameter %s", name);
    return NULL;
}

void sh_set_param(const char *name, int64_t value) { param_entry_of(name)->value = value; }

int64_t sh_param_value(const char *name) { return param_entry_of(name)->value; }

int sh_open(char *err, size_t errlen)
{
    void *st = NULL;
    err[0] = '\0';
    host_error[0] = '\0';
    if (open_stage(&st, err, errlen) != 0) return -1;
    if (loaded.desc->close) loaded.desc->close(st);
    if (host_error[0]) fail_msg("%s open: %s", loaded_name, host_error);
    return 0;
}

/* ---- running households -------------------------------------------------------------- */

typedef struct memsrc { const char *p; size_t n, pos; } memsrc;

static long mem_read(void *ctx, char *buf, size_t len)
{
    memsrc *m = ctx;
    size_t k = m->n - m->pos;
    if (k > len) k = len;
    memcpy(buf, m->p + m->pos, k);
    m->pos += k;
    return (long)k;
}

/* Classifies the block, builds the household and runs the stage on it. */
static void run_block(block *b, const schema_map *map, textset *seen, hh_eval *e, void *st)
{
    blk_verdict v;
    size_t r;
    int rc;
    assert_int_equal(block_classify(b, map, seen, &v), 0);
    if (v.code) {
        const char *code = v.row_fault ? b->rows[0].code : v.code;
        size_t i;
        /* a row-level fault: name the faulty row's own code */
        for (i = 0; v.row_fault && i < b->nrows; i++)
            if (strcmp(b->rows[i].code, "HOUSEHOLD_INCOMPLETE")) code = b->rows[i].code;
        add_line(block_hid(b), "rejected", code, 0, NULL);
        return;
    }
    assert_int_equal(hh_build(e, b, map, as_of_y, as_of_m, as_of_d), 0);
    e->roster_kinds = rosters ? rosters->kinds : 0;
    if (rosters) {
        if (e->view.n_members > e->rcap) {
            free(e->roster);
            e->roster = malloc(e->view.n_members * sizeof *e->roster);
            assert_non_null(e->roster);
            e->rcap = e->view.n_members;
        }
        for (r = 0; r < e->view.n_members; r++)
            e->roster[r] = roster_member_value(rosters, tp_member_at(&e->view, r)->person_id);
    }
    nhouseholds++;
    for (r = 0; r < e->view.n_members; r++) {
        age_entry *a;
        if (nages == MAX_MEMBERS) fail_msg("more than %d members in one run", MAX_MEMBERS);
        a = &ages[nages++];
        snprintf(a->hid, sizeof a->hid, "%s", e->view.household_id);
        a->member = r + 1;
        a->known = tp_member_at(&e->view, r)->age_known;
        a->age = tp_member_at(&e->view, r)->age;
    }
    hh_first_line = nlines;
    hh_enter(e, 0, NULL, loaded.desc);
    rc = loaded.desc->check(st, &e->view);
    if (host_error[0]) fail_msg("%s check of %s: %s", loaded_name, block_hid(b), host_error);
    if (rc != 0) fail_msg("%s check of %s returned %d", loaded_name, block_hid(b), rc);
}

void sh_run(const char *csv)
{
    memsrc src = { csv, strlen(csv), 0 };
    csv_reader *rd = csv_open(mem_read, &src, 64, 1u << 20);
    csv_record rec;
    schema_map map;
    block b;
    textset seen;
    hh_eval e;
    const char *names[64];
    size_t lens[64], i;
    char err[512];
    const char *why = NULL;
    void *st = NULL;

    nlines = 0;
    nages = 0;
    nhouseholds = 0;
    host_error[0] = '\0';
    assert_non_null(rd);
    assert_int_equal(csv_next(rd, &rec), 1);
    assert_true(rec.nfields <= 64);
    for (i = 0; i < rec.nfields; i++) { names[i] = rec.fields[i].p; lens[i] = rec.fields[i].n; }
    if (schema_map_header(&map, names, lens, rec.nfields, err, sizeof err) != 0)
        fail_msg("test header: %s", err);
    cur_map = &map;
    if (open_stage(&st, err, sizeof err) != 0)
        fail_msg("%s open failed: %s", loaded_name, err);
    if (host_error[0]) fail_msg("%s open: %s", loaded_name, host_error);
    block_init(&b, 0, 0);
    textset_init(&seen);
    hh_init(&e);
    hh_set_host(&e, &host);
    while (csv_next(rd, &rec) == 1) {
        if (b.nrows && !block_same(&b, &rec, &map)) {
            run_block(&b, &map, &seen, &e, st);
            block_reset(&b);
        }
        if (block_add(&b, &rec, &map, &why) != 0) fail_msg("block_add: %s", why ? why : "?");
    }
    if (b.nrows) run_block(&b, &map, &seen, &e, st);
    if (loaded.desc->close) loaded.desc->close(st);
    hh_free(&e);
    textset_free(&seen);
    block_free(&b);
    cur_map = NULL;
    schema_map_free(&map);
    csv_close(rd);
}

const char *sh_findings(void)
{
    size_t i;
    all_text[0] = '\0';
    for (i = 0; i < nlines; i++) {
        strcat(all_text, lines[i]);
        strcat(all_text, "\n");
    }
    return all_text;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

void sh_expect_at(const char *expected, const char *file, int line)
{
    static char buf[MAX_FINDINGS * LINE_LEN];
    const char *want[MAX_FINDINGS], *got[MAX_FINDINGS];
    size_t nwant = 0, i;
    char *p, *save = NULL;
    int same;

    snprintf(buf, sizeof buf, "%s", expected);
    for (p = strtok_r(buf, "\n", &save); p; p = strtok_r(NULL, "\n", &save)) {
        if (nwant == MAX_FINDINGS) fail_msg("%s:%d: too many expected lines", file, line);
        want[nwant++] = p;
    }
    for (i = 0; i < nlines; i++) got[i] = lines[i];
    qsort(want, nwant, sizeof want[0], cmp_str);
    qsort(got, nlines, sizeof got[0], cmp_str);
    same = nwant == nlines;
    for (i = 0; same && i < nwant; i++) same = !strcmp(want[i], got[i]);
    if (!same) {
        size_t n = strlen(expected);
        print_error("%s:%d: findings differ\n--- expected\n%s%s--- got\n%s", file, line,
                    expected, n && expected[n - 1] != '\n' ? "\n" : "", sh_findings());
        fail_msg("%s:%d: findings differ from the standard's", file, line);
    }
}

void sh_run_each(const char *cols, const char *row, const char *const *values, size_t n)
{
    static char csv[MAX_FINDINGS * LINE_LEN];
    size_t i, len;
    const char *pct = strstr(row, "%s");
    if (!pct) fail_msg("sh_run_each: row \"%s\" has no %%s", row);
    len = (size_t)snprintf(csv, sizeof csv, SH_COLS "%s\n", cols);
    for (i = 0; i < n && len < sizeof csv; i++)
        len += (size_t)snprintf(csv + len, sizeof csv - len, "S%zu,110101001001,poor,%.*s%s%s\n",
                                i + 1, (int)(pct - row), row, values[i], pct + 2);
    if (len >= sizeof csv) fail_msg("sh_run_each: too much input");
    sh_run(csv);
    if (sh_households() != n) {
        print_error("%s", sh_findings());
        fail_msg("sh_run_each: %zu of %zu households evaluated", sh_households(), n);
    }
}

void sh_expect_each_at(size_t n, const char *what, const char *file, int line)
{
    static char want[MAX_FINDINGS * LINE_LEN];
    size_t i, len = 0;
    want[0] = '\0';
    for (i = 0; i < n && len < sizeof want; i++)
        len += (size_t)snprintf(want + len, sizeof want - len, "S%zu %s\n", i + 1, what);
    sh_expect_at(want, file, line);
}

size_t sh_nfindings(void) { return nlines; }

size_t sh_count(const char *code)
{
    size_t i, n = 0;
    for (i = 0; i < nlines; i++)
        if (!strcmp(codes[i], code)) n++;
    return n;
}

size_t sh_households(void) { return nhouseholds; }

int sh_age(const char *hid, size_t member, int *age)
{
    size_t i;
    for (i = 0; i < nages; i++) {
        if (!strcmp(ages[i].hid, hid) && ages[i].member == member) {
            *age = ages[i].age;
            return ages[i].known;
        }
    }
    fail_msg("no member %zu of household %s in the last run", member, hid);
    return 0;
}
