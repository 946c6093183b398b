/* plugin_v1.c — stages built for ABI 1 (tuopin 0.1 and 0.2) under ABI 2.
 *
 * ABI 1's descriptor ends at close (0.1) or check_batch (0.2; its
 * host table gained the roster functions at its end), its open()
 * takes neither its descriptor nor a user pointer, its host functions take
 * either the household view or an untyped context, and its parameters are a
 * NULL-terminated array of a smaller tp_param_decl.  The household view and
 * the member rows are laid out alike in both ABIs (ABI 2 only appends
 * member_size, and its ctx sits where ABI 1 had host_data), so check() and
 * check_batch() are called as they are; open() goes through a shim that hands
 * the stage the ABI 1 host table below, whose functions find the ABI 2 table
 * through the context (struct tp_ctx's host).
 *
 * ABI 1 stages declared no role, dimension or finding texts: the core then
 * knew the national stages by name.  An ABI 1 stage named like one keeps
 * that role and dimension here (and only here); its findings are worded by
 * code alone until it is rebuilt (docs/plugins.md). */
#include "plugin_v1.h"
#include "household.h"
#include "i18n.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- ABI 1's declarations, as tuopin 0.2's header had them -------------- */

typedef struct v1_param_decl {
    const char *name;
    tp_param_type type;
    const char *default_value;
    const char *min, *max;
    const char *description;
} v1_param_decl;

typedef struct v1_host {
    size_t struct_size;
    int abi_version;
    int (*finding)(const tp_household *hh, tp_severity sev, const char *code,
                   size_t member, const tp_finding_args *args);
    int (*param)(void *host_ctx, const char *name, int64_t *value);
    void (*as_of)(void *host_ctx, int *year, int *month, int *day);
    int (*column)(void *host_ctx, const char *name);
    const char *(*field)(const tp_household *hh, size_t member, int col);
    void (*log)(void *host_ctx, const char *message);
    int (*finding_text)(const tp_household *hh, tp_severity sev, const char *code,
                        size_t member, const char *detail);
    int (*has)(const tp_household *hh, const char *code);
    /* the roster functions (standard §8) */
    unsigned (*rosters)(void *host_ctx);
    int (*roster)(const tp_household *hh, size_t member, tp_roster_kind kind, tp_roster_row *row);
} v1_host;

typedef struct v1_stage {
    int abi_version;
    size_t struct_size;
    const char *name;
    const char *version;
    const char *description;
    unsigned flags;
    const v1_param_decl *params;
    const char *const *columns;
    int (*open)(const v1_host *host, void *host_ctx, void **state, char *err, size_t errlen);
    int (*check)(void *state, const tp_household *hh);
    void (*close)(void *state);
    int (*check_batch)(void *state, const tp_household *const *hhs, size_t n); /* 0.2 */
} v1_stage;

/* ---- the ABI 1 host table: every call forwarded through the context ----- */

static tp_ctx *ctx_of(const tp_household *hh) { return hh->ctx; }

static int v1_finding(const tp_household *hh, tp_severity sev, const char *code,
                      size_t member, const tp_finding_args *args)
{
    tp_ctx *c = ctx_of(hh);
    return c->host->finding(c, sev, code, member, args);
}

static int v1_param(void *host_ctx, const char *name, int64_t *value)
{
    tp_ctx *c = host_ctx;
    return c->host->param(c, name, value);
}

static void v1_as_of(void *host_ctx, int *y, int *m, int *d)
{
    tp_ctx *c = host_ctx;
    c->host->as_of(c, y, m, d);
}

static int v1_column(void *host_ctx, const char *name)
{
    tp_ctx *c = host_ctx;
    return c->host->column(c, name);
}

static const char *v1_field(const tp_household *hh, size_t member, int col)
{
    tp_ctx *c = ctx_of(hh);
    return c->host->field(c, member, col);
}

static void v1_log(void *host_ctx, const char *message)
{
    tp_ctx *c = host_ctx;
    c->host->log(c, message);
}

static int v1_finding_text(const tp_household *hh, tp_severity sev, const char *code,
                           size_t member, const char *detail)
{
    tp_ctx *c = ctx_of(hh);
    return c->host->finding_text(c, sev, code, member, detail);
}

static int v1_has(const tp_household *hh, const char *code)
{
    tp_ctx *c = ctx_of(hh);
    return c->host->has(c, code);
}

static unsigned v1_rosters(void *host_ctx)
{
    tp_ctx *c = host_ctx;
    return c->host->rosters(c);
}

static int v1_roster(const tp_household *hh, size_t member, tp_roster_kind kind, tp_roster_row *row)
{
    tp_ctx *c = ctx_of(hh);
    return c->host->roster(c, member, kind, row);
}

static const v1_host v1_table = {
    .struct_size = sizeof(v1_host), .abi_version = 1,
    .finding = v1_finding, .param = v1_param, .as_of = v1_as_of, .column = v1_column,
    .field = v1_field, .log = v1_log, .finding_text = v1_finding_text, .has = v1_has,
    .rosters = v1_rosters, .roster = v1_roster
};

static int v1_open(const tp_stage *self, void *user, const tp_host *host, tp_ctx *ctx,
                   void **state, char *err, size_t errlen)
{
    const v1_stage *d = user;
    (void)self; (void)host;
    return d->open(&v1_table, ctx, state, err, errlen);
}

/* ---- adapting the descriptor ---------------------------------------------- */

/* What the core knew by name before stages declared it. */
static void legacy_role(tp_stage *s)
{
    static const char *const dims[] = {
        "income", "food_clothing", "education", "medical", "housing", "water"
    };
    size_t i;
    for (i = 0; i < sizeof dims / sizeof dims[0]; i++)
        if (!strcmp(s->name, dims[i])) s->dimension = (tp_dimension)(TP_DIM_INCOME + i);
    if (!strcmp(s->name, "income")) s->role = TP_ROLE_INCOME;
    if (!strcmp(s->name, "rosters")) s->role = TP_ROLE_ROSTERS;
}

int plugin_adapt_v1(const void *raw, const char *path, plugin *out, char *err, size_t errlen)
{
    const v1_stage *d = raw;
    v1_stage v;
    size_t n = 0, i;
    /* 0.1's descriptor ends at close, 0.2's at check_batch. */
    if (d->struct_size != sizeof(v1_stage) && d->struct_size != offsetof(v1_stage, check_batch)) {
        snprintf(err, errlen, _("%s: stage descriptor size %zu does not match %zu; rebuild the stage"),
                 path, d->struct_size, sizeof(tp_stage));
        return -1;
    }
    memset(&v, 0, sizeof v);
    memcpy(&v, d, d->struct_size);
    if (!v.name || !v.version || !v.check) {
        snprintf(err, errlen, _("%s: stage descriptor lacks a name, version or check function"), path);
        return -1;
    }
    for (; v.params && v.params[n].name; n++)
        if (v.params[n].type != TP_PARAM_INT && v.params[n].type != TP_PARAM_MONEY
            && v.params[n].type != TP_PARAM_RATIO) {
            snprintf(err, errlen, "%s: parameter %s has an unknown type %d; rebuild the stage",
                     path, v.params[n].name, (int)v.params[n].type);
            return -1;
        }
    out->params = calloc(n + 1, sizeof *out->params);
    if (!out->params) {
        snprintf(err, errlen, _("out of memory"));
        return -1;
    }
    for (i = 0; i < n; i++) {
        out->params[i].name = v.params[i].name;
        out->params[i].type = v.params[i].type;
        out->params[i].default_value = v.params[i].default_value;
        out->params[i].min = v.params[i].min;
        out->params[i].max = v.params[i].max;
        out->params[i].description = v.params[i].description;
    }
    memset(&out->copy, 0, sizeof out->copy);
    out->copy.abi_version = 1;
    out->copy.abi_sizes = TP_ABI_SIZES;
    out->copy.struct_size = d->struct_size;
    out->copy.name = v.name;
    out->copy.version = v.version;
    out->copy.description = v.description;
    out->copy.flags = v.flags;
    out->copy.params.items = out->params;
    out->copy.params.n = n;
    out->copy.params.size = sizeof *out->params;
    out->copy.columns = v.columns;
    out->copy.user = (void *)(uintptr_t)d;
    out->copy.open = v.open ? v1_open : NULL;
    out->copy.check = v.check;
    out->copy.check_batch = v.check_batch;
    out->copy.close = v.close;
    legacy_role(&out->copy);
    out->abi = 1;
    return 0;
}
