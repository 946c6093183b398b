/* testhost.c — a synthetic household built like the engine builds one, and
 * the host functions over it (see testhost.h). */
#define _POSIX_C_SOURCE 200809L
#include "testhost.h"
#include "host_sets.h"
#include "block.h"
#include "household.h"
#include "sbuf.h"
#include "schema.h"
#include "values.h"
#include "i18n.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct th_value {
    long member;          /* -1: the household's value */
    size_t col;
    char *text;           /* trimmed, owned */
} th_value;

struct th_case {
    int y, m, d;
    char **cols;          /* header: the canonical columns, then extras; owned */
    size_t ncols, ccap;
    th_value *v;          /* owned */
    size_t nv, vcap;
    size_t nmembers;
    int built;
    schema_map map;
    block blk;
    hh_eval ev;
    tp_ctx ctx;           /* the instances' context */
    const tp_stage *stage; /* the stage opened last (th_open): its codes word the findings */
    size_t prior_nf, prior_tlen;
    char err[256];
    char log[512];
};

static const tp_host host_table;

static int oom(th_case *c)
{
    snprintf(c->err, sizeof c->err, _("out of memory"));
    return -1;
}

th_case *th_new(int y, int m, int d)
{
    th_case *c = calloc(1, sizeof *c);
    size_t i;
    if (!c) return NULL;
    c->y = y;
    c->m = m;
    c->d = d;
    block_init(&c->blk, 0, 0);
    hh_init(&c->ev);
    hh_set_host(&c->ev, &host_table);
    hh_enter(&c->ev, 1, c, NULL);
    c->ctx.host = &host_table;
    c->ctx.owner = c;
    for (i = 0; i < COL_COUNT; i++) {
        if (th_add_column(c, schema_columns[i].name) < 0) {
            th_free(c);
            return NULL;
        }
    }
    return c;
}

void th_free(th_case *c)
{
    size_t i;
    if (!c) return;
    for (i = 0; i < c->ncols; i++) free(c->cols[i]);
    free(c->cols);
    for (i = 0; i < c->nv; i++) free(c->v[i].text);
    free(c->v);
    if (c->built) schema_map_free(&c->map);
    block_free(&c->blk);
    hh_free(&c->ev);
    free(c);
}

/* The header index of a column: canonical columns by any spelling. */
static long find_col(const th_case *c, const char *name)
{
    int canon = schema_lookup(name);
    size_t i;
    if (canon >= 0) return canon;
    for (i = COL_COUNT; i < c->ncols; i++)
        if (!strcmp(c->cols[i], name)) return (long)i;
    return -1;
}

int th_add_column(th_case *c, const char *name)
{
    char *s;
    if (c->built) {
        snprintf(c->err, sizeof c->err, _("the household is already built"));
        return -1;
    }
    if (c->ncols >= COL_COUNT && find_col(c, name) >= 0) return 0;
    if (!name[0]) {
        snprintf(c->err, sizeof c->err, _("a column needs a name"));
        return -1;
    }
    if (mem_grow((void **)&c->cols, &c->ccap, c->ncols + 1, sizeof *c->cols) < 0) return oom(c);
    if (!(s = strdup(name))) return oom(c);
    c->cols[c->ncols++] = s;
    return 0;
}

static int put_value(th_case *c, long member, const char *column, const char *value)
{
    long col;
    size_t i, n;
    const char *t;
    char *s;
    if (c->built) {
        snprintf(c->err, sizeof c->err, _("the household is already built"));
        return -1;
    }
    if (th_add_column(c, column) < 0) return -1;
    col = find_col(c, column);
    if (col < COL_COUNT) {
        if (member < 0 && !schema_columns[col].household_level) {
            snprintf(c->err, sizeof c->err, _("%s is a person column: give it on each member"),
                     schema_columns[col].name);
            return -1;
        }
        if (member >= 0 && schema_columns[col].household_level) {
            snprintf(c->err, sizeof c->err, _("%s is a household column: give it on the household"),
                     schema_columns[col].name);
            return -1;
        }
    }
    t = val_trim(value, strlen(value), &n);
    if (!(s = malloc(n + 1))) return oom(c);
    memcpy(s, t, n);
    s[n] = '\0';
    for (i = 0; i < c->nv; i++) {
        if (c->v[i].member == member && c->v[i].col == (size_t)col) {
            free(c->v[i].text);
            c->v[i].text = s;
            return 0;
        }
    }
    if (mem_grow((void **)&c->v, &c->vcap, c->nv + 1, sizeof *c->v) < 0) { free(s); return oom(c); }
    c->v[c->nv].member = member;
    c->v[c->nv].col = (size_t)col;
    c->v[c->nv].text = s;
    c->nv++;
    return 0;
}

int th_set(th_case *c, const char *column, const char *value)
{
    return put_value(c, -1, column, value);
}

long th_add_member(th_case *c)
{
    if (c->built) {
        snprintf(c->err, sizeof c->err, _("the household is already built"));
        return -1;
    }
    return (long)c->nmembers++;
}

int th_set_member(th_case *c, size_t member, const char *column, const char *value)
{
    if (member >= c->nmembers) {
        snprintf(c->err, sizeof c->err, _("member %zu does not exist"), member + 1);
        return -1;
    }
    return put_value(c, (long)member, column, value);
}

/* The text of a cell: the member's own value, else the household's. */
static const char *cell(const th_case *c, size_t member, size_t col)
{
    const char *hv = NULL;
    size_t i;
    for (i = 0; i < c->nv; i++) {
        if (c->v[i].col != col) continue;
        if (c->v[i].member == (long)member) return c->v[i].text;
        if (c->v[i].member < 0) hv = c->v[i].text;
    }
    if (hv) return hv;
    switch (col) {
    case COL_HOUSEHOLD_ID: return "T1";
    case COL_REGION_CODE: return "110101001001";
    case COL_STATUS: return "poor";
    default: return "";
    }
}

int th_build(th_case *c)
{
    size_t *lens, r, i;
    csv_field *fields;
    const char *why;
    tp_status st;
    int rc = -1;

    if (c->built) return 0;
    if (c->nmembers == 0) {
        snprintf(c->err, sizeof c->err, _("the household has no member"));
        return -1;
    }
    lens = malloc(c->ncols * sizeof *lens);
    fields = malloc(c->ncols * sizeof *fields);
    if (!lens || !fields) { free(lens); free(fields); return oom(c); }
    for (i = 0; i < c->ncols; i++) lens[i] = strlen(c->cols[i]);
    if (schema_map_header(&c->map, (const char *const *)c->cols, lens, c->ncols, c->err,
                          sizeof c->err) < 0) {
        schema_map_free(&c->map);
        goto out;
    }
    c->built = 1;
    for (r = 0; r < c->nmembers; r++) {
        csv_record rec;
        memset(&rec, 0, sizeof rec);
        for (i = 0; i < c->ncols; i++) {
            fields[i].p = cell(c, r, i);
            fields[i].n = strlen(fields[i].p);
        }
        rec.line = (long)r + 2;
        rec.nfields = c->ncols;
        rec.fields = fields;
        rec.raw = "";
        if (block_add(&c->blk, &rec, &c->map, &why) < 0) {
            snprintf(c->err, sizeof c->err, "%s", why);
            goto out;
        }
    }
    /* The structural checks a sound household passes (standard §1). */
    if (!block_hid(&c->blk)[0]) {
        snprintf(c->err, sizeof c->err, _("the engine would reject it: BAD_HOUSEHOLD_ID (household_id is blank)"));
        goto out;
    }
    if (!block_region_valid(block_field(&c->blk, 0, COL_REGION_CODE))) {
        snprintf(c->err, sizeof c->err, _("the engine would reject it: BAD_REGION (region_code \"%s\")"),
                 block_field(&c->blk, 0, COL_REGION_CODE));
        goto out;
    }
    if (val_status(block_field(&c->blk, 0, COL_STATUS), &st) < 0) {
        snprintf(c->err, sizeof c->err, _("the engine would reject it: BAD_STATUS (status \"%s\")"),
                 block_field(&c->blk, 0, COL_STATUS));
        goto out;
    }
    if (hh_build(&c->ev, &c->blk, &c->map, c->y, c->m, c->d) < 0) {
        oom(c);
        goto out;
    }
    hh_enter(&c->ev, 1, c, c->stage);
    rc = 0;
out:
    free(lens);
    free(fields);
    return rc;
}

const char *th_error(const th_case *c) { return c->err; }

const tp_household *th_view(const th_case *c) { return &c->ev.view; }

int th_prior(th_case *c, tp_severity sev, const char *code)
{
    int rc;
    hh_enter(&c->ev, 0, c, NULL);
    rc = hh_add_finding(&c->ev, sev, code, 0, _("(given by an earlier stage)"), NULL);
    hh_enter(&c->ev, 1, c, c->stage);
    c->prior_nf = c->ev.nf;
    c->prior_tlen = c->ev.tlen;
    return rc;
}

size_t th_nfindings(const th_case *c) { return c->ev.nf - c->prior_nf; }

void th_finding(const th_case *c, size_t i, tp_severity *sev, const char **code,
                size_t *member, const char **detail)
{
    const hh_finding *f = &c->ev.f[c->prior_nf + i];
    if (sev) *sev = f->sev;
    if (code) *code = hh_finding_code(&c->ev, f);
    if (member) *member = f->member;
    if (detail) *detail = hh_finding_detail(&c->ev, f);
}

void th_clear_findings(th_case *c)
{
    c->ev.nf = c->prior_nf;
    c->ev.tlen = c->prior_tlen;
}

const char *th_log(const th_case *c) { return c->log; }

tp_ctx *th_ctx(th_case *c) { return &c->ctx; }

int th_open(th_case *c, const tp_stage *desc, void **state, char *err, size_t errlen)
{
    c->stage = desc;
    c->ctx.stage = desc;
    hh_enter(&c->ev, 1, c, desc);
    *state = NULL;
    if (!desc->open) return 0;
    return desc->open(desc, desc->user, &host_table, &c->ctx, state, err, errlen);
}

/* ---- the host functions ------------------------------------------------ */

static th_case *case_of(tp_ctx *ctx) { return ctx->owner; }

static int t_param(tp_ctx *ctx, const char *name, int64_t *value)
{
    (void)ctx; (void)name; (void)value;
    return -1;
}

static void t_as_of(tp_ctx *ctx, int *y, int *m, int *d)
{
    th_case *c = case_of(ctx);
    *y = c->y; *m = c->m; *d = c->d;
}

static int t_column(tp_ctx *ctx, const char *name)
{
    th_case *c = case_of(ctx);
    if (!c->built) return -1;
    return schema_find(&c->map, name);
}

static void t_log(tp_ctx *ctx, const char *message)
{
    th_case *c = case_of(ctx);
    snprintf(c->log, sizeof c->log, "%s", message);
}

/* Test cases have no department rosters: no kind is given. */
static unsigned t_rosters(tp_ctx *ctx)
{
    (void)ctx;
    return 0;
}

static const tp_host host_table = {
    .struct_size = sizeof(tp_host), .abi_version = TP_ABI_VERSION,
    .param = t_param, .as_of = t_as_of, .column = t_column, .log = t_log,
    .rosters = t_rosters,
    HH_CTX_FUNCTIONS, HOST_SET_FUNCTIONS
};

const tp_host *th_host(void) { return &host_table; }
