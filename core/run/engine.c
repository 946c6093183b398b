/* engine.c — one run, from the pipeline's configuration to committed outputs.
 *
 * Flow: load every stage (main thread, before anything else runs), declare
 * and validate parameters, read and map the header, check that every column a
 * stage needs is there, open the stage instances and the output files, then
 * stream: records → household blocks → structural checks → either rejects or
 * the stages in pipeline order → verdict → households/findings rows. */
#define _XOPEN_SOURCE 700
#include "engine_int.h"
#include "agg_internal.h"
#include "i18n.h"
#include "host_sets.h"
#include "config.h" /* PACKAGE_VERSION */
#include "format.h"
#include "lua_stage.h"
#include "paths.h"
#include "rnames.h"
#include "source.h"
#include "values.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* ---- small helpers ---------------------------------------------------------- */

#define fail engine_fail

size_t engine_default_jobs(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n > 0 ? (size_t)n : 1;
}

/* ---- the host function table ------------------------------------------------ */

/* Every function takes the one context handle: a stage instance's
 * (ev NULL) or a household's under the stage now running (owner is the
 * stage_inst either way). */

static stage_inst *inst_of(tp_ctx *ctx) { return ctx->owner; }

static int host_param(tp_ctx *ctx, const char *name, int64_t *value)
{
    return params_get(&inst_of(ctx)->eng->prm, name, value);
}

static void host_as_of(tp_ctx *ctx, int *y, int *m, int *d)
{
    engine *g = inst_of(ctx)->eng;
    *y = g->as_y; *m = g->as_m; *d = g->as_d;
}

static int host_column(tp_ctx *ctx, const char *name)
{
    return schema_find(&inst_of(ctx)->eng->map, name);
}

static void host_log(tp_ctx *ctx, const char *msg)
{
    stage_inst *s = inst_of(ctx);
    if (!s->eng->cfg->quiet) fprintf(stderr, _("tuopin: %s: %s\n"), s->desc->name, msg);
}

static unsigned host_rosters(tp_ctx *ctx)
{
    engine *g = inst_of(ctx)->eng;
    return g->rosters ? g->rosters->kinds : 0;
}

const tp_host engine_host_table = {
    .struct_size = sizeof(tp_host), .abi_version = TP_ABI_VERSION,
    .param = host_param, .as_of = host_as_of, .column = host_column, .log = host_log,
    .rosters = host_rosters,
    HH_CTX_FUNCTIONS, HOST_SET_FUNCTIONS
};

/* Opens one instance of stage s.  RETURN 0, or -1 with msg set. */
int engine_open_stage(stage_inst *s, void **state, char *msg, size_t msglen)
{
    const tp_stage *d = s->desc;
    *state = NULL;
    if (!d->open) return 0;
    return d->open(s->self, d->user, &engine_host_table, &s->ctx, state, msg, msglen);
}

/* ---- set-up -------------------------------------------------------------------- */

static int load_stages(engine *g)
{
    const run_config *c = g->cfg;
    size_t i, j;
    int scripts = 0;
    g->income_stage = -1;
    g->rosters_stage = -1;
    g->st = calloc(c->nstages ? c->nstages : 1, sizeof *g->st);
    g->stage_names = calloc(c->nstages ? c->nstages : 1, sizeof *g->stage_names);
    g->stage_dims = calloc(c->nstages ? c->nstages : 1, sizeof *g->stage_dims);
    if (!g->st || !g->stage_names || !g->stage_dims) return fail(g, _("out of memory"));
    for (i = 0; i < c->nstages; i++) {
        stage_inst *s = &g->st[i];
        char msg[512];
        s->spec = &c->stages[i];
        s->eng = g;
        s->ctx.host = &engine_host_table;
        s->ctx.owner = s;
        g->nst = i + 1;
        if (s->spec->script) {
            lua_stage *ls;
            if (lua_stage_load(s->spec, c, &ls, msg, sizeof msg) < 0) return fail(g, "%s", msg);
            s->script = ls;
            s->desc = s->self = lua_stage_desc(ls);
            /* the sandbox's limits are run-wide parameters, declared once */
            if (!scripts++ && params_declare(&g->prm, lua_stage_param_decls, "rule scripts",
                                             msg, sizeof msg) < 0)
                return fail(g, "%s", msg);
        } else {
            if (plugin_load(s->spec->name, &s->plug, msg, sizeof msg) < 0)
                return fail(g, "%s: %s", c->pipeline_path ? c->pipeline_path : "pipeline", msg);
            s->desc = s->plug.desc;
            s->self = s->plug.abi == 2 ? s->plug.raw : s->desc;
        }
        s->ctx.stage = s->desc;
        s->ordered = (s->desc->flags & TP_STAGE_ORDERED) != 0;
        g->any_ordered |= s->ordered;
        g->stage_names[i] = s->desc->name;
        /* A stage named twice would run twice and give the same findings
         * and columns twice over (issue 18.9): refused, naming both places. */
        for (j = 0; j < i; j++)
            if (!strcmp(g->stage_names[j], s->desc->name))
                return fail(g, _("stage %s appears twice in the pipeline (stages %d and %d): each "
                                 "stage runs once, and two rule scripts need different names"),
                            s->desc->name, (int)j + 1, (int)i + 1);
        /* standard §4: the first stage declaring the income role decides
         * missed and unverified; §6: the stages declaring a dimension make it */
        if (s->desc->role == TP_ROLE_INCOME && g->income_stage < 0) g->income_stage = (int)i;
        /* standard §8: the stage comparing the department rosters */
        if (s->desc->role == TP_ROLE_ROSTERS && g->rosters_stage < 0) g->rosters_stage = (int)i;
        g->stage_dims[i] = (int)s->desc->dimension - 1;   /* TP_DIM_NONE: -1 */
        if (params_declare(&g->prm, s->desc->params.items, s->desc->name, msg, sizeof msg) < 0)
            return fail(g, "%s", msg);
    }
    /* Every --param NAME.KEY must name a rule script of the pipeline. */
    for (i = 0; i < c->script_params.n; i++) {
        const char *key = c->script_params.items[i].key, *dot = strchr(key, '.');
        int found = 0;
        for (j = 0; j < g->nst && !found; j++)
            found = g->st[j].script && !strncmp(key, g->st[j].desc->name, (size_t)(dot - key))
                    && g->st[j].desc->name[dot - key] == '\0';
        if (!found)
            return fail(g, _("--param %s: no rule script of this pipeline is named %.*s"),
                        key, (int)(dot - key), key);
    }
    {
        char msg[512];
        /* The county thresholds and the multidimensional view's weights. */
        if (params_declare(&g->prm, agg_param_decls, "counties", msg, sizeof msg) < 0)
            return fail(g, "%s", msg);
    }
    return 0;
}

static int set_params(engine *g)
{
    char msg[1024];
    char *lines = paths_data_file("national-lines.csv");
    int rc;
    if (!lines) return fail(g, _("out of memory"));
    if (params_apply(&g->prm, &g->cfg->params, msg, sizeof msg) < 0) {
        free(lines);
        return fail(g, "%s", msg);
    }
    /* An unverified national line's notice is printed even with --quiet:
     * it says what the verdicts rest on. */
    rc = params_finish(&g->prm, g->year, lines, msg, sizeof msg);
    free(lines);
    if (rc < 0) return fail(g, "%s", msg);
    return 0;
}

/* One parameter below the national standard: refused, or with
 * --below-standard noted for every output. */
static int below(engine *g, const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (!g->cfg->below_standard) {
        g->refused = 1;
        return fail(g, _("%s: provinces may raise the national standard, never lower it "
                         "(--below-standard allows it for research)"), msg);
    }
    if (g->below[0]) {
        size_t n = strlen(g->below);
        snprintf(g->below + n, sizeof g->below - n, "; %s", msg);
    } else {
        snprintf(g->below, sizeof g->below, "%s", msg);
    }
    return 0;
}

/* standard §7: provinces raise the line and tighten the county thresholds,
 * never loosen them.  income_line below the year's national line, or a
 * county threshold looser than the standard's (its declared default), is
 * refused unless --below-standard; a rule script's income_line raises the
 * line the income stage uses (docs/scripts.md §4). */
static int check_standard(engine *g)
{
    static const struct { const char *name; int upper; } thr[] = {
        { "incidence_max", 1 }, { "incidence_max_western", 1 }, { "wrong_exit_max", 1 },
        { "missed_max", 1 }, { "satisfaction_min", 0 }
    };
    param_entry *line = (param_entry *)params_find(&g->prm, "income_line");
    char *lines = paths_data_file("national-lines.csv");
    char source[512], msg[512], nat_text[32], v_text[32];
    int64_t nat = 0, v;
    int verified, have_nat = 0;
    size_t i;
    if (!lines) return fail(g, _("out of memory"));
    have_nat = params_line_for_year(lines, g->year, &nat, &verified, source, sizeof source,
                                    msg, sizeof msg) == 1;
    free(lines);
    val_format_cents(nat, nat_text);
    if (line && have_nat && line->value < nat) {
        char o[128];
        val_format_cents(line->value, v_text);
        params_origin_text(line->origin, o, sizeof o);
        if (below(g, _("parameter income_line = %s (%s) is below the national line of %d, %s yuan"),
                  v_text, o, g->year, nat_text) < 0)
            return -1;
    }
    for (i = 0; i < g->nst; i++) {
        const char *t = g->st[i].script ? lua_stage_income_line(g->st[i].script) : NULL;
        tp_param_decl d;
        if (!t) continue;
        memset(&d, 0, sizeof d);
        d.name = "income_line";
        d.type = TP_PARAM_MONEY;
        if (params_parse(&d, t, &v, msg, sizeof msg) < 0)
            return fail(g, "%s: %s", lua_stage_path(g->st[i].script), msg);
        val_format_cents(v, v_text);
        if (have_nat && v < nat) {
            if (below(g, _("parameter income_line = %s (rule script %s) is below the national line of "
                           "%d, %s yuan"), v_text, g->st[i].desc->name, g->year, nat_text) < 0)
                return -1;
            continue;   /* it never lowers the line of the income stage */
        }
        if (line && v > line->value) {
            line->value = v;
            snprintf(line->text, sizeof line->text, "%s", v_text);
            snprintf(line->origin, sizeof line->origin, "script %s", g->st[i].desc->name);
        }
    }
    for (i = 0; i < sizeof thr / sizeof thr[0]; i++) {
        const param_entry *e = params_find(&g->prm, thr[i].name);
        int64_t std;
        if (!e || !e->decl->default_value
            || params_parse(e->decl, e->decl->default_value, &std, msg, sizeof msg) < 0)
            continue;
        if (thr[i].upper ? e->value > std : e->value < std) {
            char o[128];
            params_origin_text(e->origin, o, sizeof o);
            if (below(g, thr[i].upper
                      ? _("parameter %s = %s (%s) is looser than the national standard's %s (a county "
                          "fails at or above it)")
                      : _("parameter %s = %s (%s) is looser than the national standard's %s (a county "
                          "fails below it)"),
                      thr[i].name, e->text, o, e->decl->default_value) < 0)
                return -1;
        }
    }
    if (g->below[0])
        fprintf(stderr, _("tuopin: warning: NOT THE NATIONAL STANDARD (--below-standard): %s\n"), g->below);
    return 0;
}

static int read_header(engine *g)
{
    csv_record rec;
    size_t i;
    char msg[1024];
    static const schema_col required[] = { COL_HOUSEHOLD_ID, COL_REGION_CODE, COL_STATUS };

    if (source_read_header(g->src, g->in_name, &rec, msg, sizeof msg) < 0) return fail(g, "%s", msg);
    if (schema_map_fields(&g->map, rec.fields, rec.nfields, msg, sizeof msg) < 0) return fail(g, "%s:%ld: %s", g->in_name, rec.line, msg);

    for (i = 0; i < sizeof required / sizeof required[0]; i++)
        if (g->map.pos[required[i]] < 0)
            return fail(g, _("%s: the header lacks column %s (%s), which every run needs"),
                        g->in_name, schema_columns[required[i]].name, schema_columns[required[i]].zh);
    for (i = 0; i < g->nst; i++) {
        const char *const *col = g->st[i].desc->columns;
        for (; col && *col; col++)
            if (schema_find(&g->map, *col) < 0) {
                /* the standard's columns also by their Chinese name (issue 17.9) */
                int c = schema_lookup(*col);
                if (c >= 0)
                    return fail(g, _("%s: the header lacks column %s (%s), which stage %s needs"),
                                g->in_name, *col, schema_columns[c].zh, g->st[i].desc->name);
                return fail(g, _("%s: the header lacks column %s, which stage %s needs"),
                            g->in_name, *col, g->st[i].desc->name);
            }
    }
    return 0;
}

/* The rosters and the ID key are checked before anything is read: a roster
 * without the stage that compares it, or a key without rosters, would be
 * silently ignored otherwise. */
static int check_rosters(engine *g)
{
    const run_config *c = g->cfg;
    size_t i;
    for (i = 0; i < c->nrosters; i++)
        if (roster_kind_parse(c->rosters[i].kind) < 0)
            return fail(g, _("roster %s: unknown kind (the kinds are hukou, medical, school, "
                             "housing and assets)"), c->rosters[i].kind);
    if (c->nrosters && g->rosters_stage < 0)
        return fail(g, _("rosters are given, but the pipeline has no stage \"rosters\" to compare "
                         "them with the registry (add stage \"rosters\")"));
    if (c->id_key && !c->nrosters)
        return fail(g, _("an ID key is given (id_key / --id-key), but no roster"));
    if (!c->nrosters && g->rosters_stage >= 0)
        return fail(g, _("stage rosters: no roster is given (roster { kind = ..., path = ... } in "
                         "the pipeline, or --roster KIND=FILE)"));
    return 0;
}

/* The rows of the rosters, on their own thread. */
static void *rosters_main(void *arg)
{
    engine *g = arg;
    char msg[1024];
    int rc = roster_read(g->rosters, g->out_rrejects.f, msg, sizeof msg);
    pthread_mutex_lock(&g->rmu);
    g->rrc = rc;
    if (rc < 0) snprintf(g->rerr, sizeof g->rerr, "%s", msg);
    __atomic_store_n(&g->rdone, 1, __ATOMIC_RELEASE);
    pthread_cond_broadcast(&g->rcv);
    pthread_mutex_unlock(&g->rmu);
    return NULL;
}

int engine_wait_rosters(engine *g)
{
    int rc;
    if (__atomic_load_n(&g->rdone, __ATOMIC_ACQUIRE) && g->rrc == 0) return 0;
    pthread_mutex_lock(&g->rmu);
    while (!g->rdone) pthread_cond_wait(&g->rcv, &g->rmu);
    rc = g->rrc;
    pthread_mutex_unlock(&g->rmu);
    return rc < 0 ? engine_fail(g, "%s", g->rerr) : 0;
}

/* Opens the rosters and checks their headers (every fatal error of a
 * roster's file but a read error in its rows comes here, before any
 * household), then starts reading their rows into the index (the rejected
 * rows into roster_rejects.csv) while the registry streams. */
static int load_rosters(engine *g)
{
    char msg[1024];
    if (!g->cfg->nrosters) return 0;
    if (out_open(&g->out_rrejects, g->cfg->out_dir, "roster_rejects.csv", msg, sizeof msg) < 0
        || out_open(&g->out_rosters, g->cfg->out_dir, "rosters.csv", msg, sizeof msg) < 0)
        return fail(g, "%s", msg);
    fputs(roster_rejects_header, g->out_rrejects.f);
    g->rosters = roster_open(g->cfg, msg, sizeof msg);
    if (!g->rosters) return fail(g, "%s", msg);
    g->rcount = rc_new(g->rosters->kinds);
    if (!g->rcount) return fail(g, _("out of memory"));
    if (pthread_create(&g->rthread, NULL, rosters_main, g) == 0) g->rthread_started = 1;
    else rosters_main(g);
    return 0;
}

/* Waits for the rosters' rows (asked to stop when the run failed).
 * RETURN 0, or -1 when the run or the load failed. */
static int join_rosters(engine *g, int failed)
{
    int k;
    if (!g->rosters || g->rjoined) return failed ? -1 : 0;
    if (g->rthread_started) {
        if (failed) roster_stop(g->rosters);
        pthread_join(g->rthread, NULL);
    }
    g->rjoined = 1;
    if (failed) return -1;
    if (g->rrc < 0) return fail(g, "%s", g->rerr);
    if (!g->cfg->quiet)
        for (k = 0; k < TP_ROSTER_KINDS; k++) {
            if (!(g->rosters->kinds & 1u << k)) continue;
            fprintf(stderr, _("tuopin: roster %s: %llu rows read, %llu accepted, %llu rejected\n"),
                    roster_kind_name((tp_roster_kind)k), g->rosters->rows[k],
                    g->rosters->rows[k] - g->rosters->rejected[k], g->rosters->rejected[k]);
        }
    return 0;
}

/* Opens the single instance of each ordered stage; the others are opened
 * once per worker by stream_run. */
static int open_ordered_stages(engine *g)
{
    size_t i;
    for (i = 0; i < g->nst; i++) {
        stage_inst *s = &g->st[i];
        char msg[512] = "";
        if (!s->ordered) continue;
        if (engine_open_stage(s, &s->shared_state, msg, sizeof msg) < 0)
            return fail(g, _("stage %s: %s"), s->desc->name, msg[0] ? msg : "cannot start");
        s->shared_open = 1;
    }
    return 0;
}

/* Every output a run writes into its folder (out_stage). */
static const char *const run_outputs[] = {
    "households.csv", "findings.csv", "rejects.csv", "rosters.csv", "roster_rejects.csv", "counties.csv",
    "summary.csv", "af.csv", "report.html", "report.xlsx", "results.sqlite", "quality.csv", NULL
};

static int open_outputs(engine *g)
{
    const char *dir = g->cfg->out_dir;
    char msg[1024];
    /* the outputs are written in a hidden folder beside dir, swapped in at
     * the end in one step (out_commit_all) */
    if (out_mkdir(dir, msg, sizeof msg) < 0 || out_lock(dir, msg, sizeof msg) < 0
        || out_stage(dir, run_outputs, msg, sizeof msg) < 0)
        return fail(g, "%s", msg);
    if (out_open(&g->out_hh, dir, "households.csv", msg, sizeof msg) < 0
        || out_open(&g->out_findings, dir, "findings.csv", msg, sizeof msg) < 0
        || out_open(&g->out_rejects, dir, "rejects.csv", msg, sizeof msg) < 0)
        return fail(g, "%s", msg);
    /* households, findings and rejects are streamed: straight to the disk */
    out_direct(&g->out_hh);
    out_direct(&g->out_findings);
    out_direct(&g->out_rejects);
    fputs(fmt_households_header, g->out_hh.f);
    fputs(fmt_findings_header, g->out_findings.f);
    fputs(fmt_rejects_header, g->out_rejects.f);
    g->agg = agg_new(&g->prm, g->map.pos[COL_SATISFIED] >= 0, g->stage_names, g->stage_dims, g->nst,
                     msg, sizeof msg);
    if (!g->agg) return fail(g, "%s", msg);
    {
        /* the line the income stage uses, raised by scripts (check_standard) */
        const param_entry *le = params_find(&g->prm, "income_line");
        const char *qe = getenv("TUOPIN_QUALITY");
        /* TUOPIN_QUALITY=0: without the signals, to measure their cost (bench/run) */
        if (!qe || strcmp(qe, "0") != 0) agg_enable_quality(g->agg, le ? le->value : -1);
        g->quality = agg_quality_on(g->agg);
    }
    if (!(g->names = rnames_load(g->cfg->region_names, msg, sizeof msg))) return fail(g, "%s", msg);
    agg_set_names(g->agg, g->names);
    g->rdb = rdb_open(dir, msg, sizeof msg);
    if (!g->rdb) return fail(g, "%s", msg);
    return 0;
}

/* The aggregate outputs and the database, complete under temporary names. */
/* rdb_finish_pending on a thread of its own. */
typedef struct rdb_job {
    rdb *d;
    const run_meta *m;
    const agg *a;
    out_file *sync[3];           /* complete outputs this thread syncs after */
    int rc, threaded;
    pthread_t thread;
    char err[1024];
} rdb_job;

static void *rdb_job_main(void *arg)
{
    rdb_job *j = arg;
    size_t i;
    j->rc = rdb_finish_pending(j->d, j->m, j->a, j->err, sizeof j->err);
    /* While report.xlsx's child works, this thread has nothing else to do:
     * the closing fsyncs of the largest files happen here instead of after. */
    if (j->rc == 0) {
        out_sync_early(rdb_file(j->d));
        for (i = 0; i < sizeof j->sync / sizeof *j->sync; i++)
            if (j->sync[i]) out_sync_early(j->sync[i]);
    }
    return NULL;
}

/* agg_write_pending_then's after_fork: the database's thread starts. */
static void start_rdb_job(void *arg)
{
    rdb_job *j = arg;
    j->threaded = pthread_create(&j->thread, NULL, rdb_job_main, j) == 0;
}

static int finish_outputs(engine *g)
{
    char msg[1024];
    run_meta m;
    const char **versions = calloc(g->nst ? g->nst : 1, sizeof *versions);
    const char **pn = calloc(g->prm.n ? g->prm.n : 1, sizeof *pn);
    const char **pv = calloc(g->prm.n ? g->prm.n : 1, sizeof *pv);
    const char **po = calloc(g->prm.n ? g->prm.n : 1, sizeof *po);
    const char **pw = calloc(g->prm.n ? g->prm.n : 1, sizeof *pw);
    const char **sp[4] = { NULL, NULL, NULL, NULL };
    size_t nsp = 0, k;
    char *lines = paths_data_file("national-lines.csv"), line_row[1200], *real = NULL, *hist = NULL;
    const tp_code_list **codes = calloc(g->nst ? g->nst : 1, sizeof *codes);
    int *roles = calloc(g->nst ? g->nst : 1, sizeof *roles);
    const char **titles = calloc(g->nst ? 2 * g->nst : 1, sizeof *titles); /* English, then Chinese */
    size_t i;
    int rc = -1;
    for (i = 0; i < g->nst; i++)
        if (g->st[i].script) {
            const lua_stage_param *lp;
            nsp += lua_stage_params(g->st[i].script, &lp);
        }
    for (k = 0; k < 4; k++) sp[k] = calloc(nsp ? nsp : 1, sizeof *sp[k]);
    if (!versions || !pn || !pv || !po || !pw || !codes || !roles || !titles || !sp[0] || !sp[1] || !sp[2] || !sp[3] || !lines) {
        fail(g, _("out of memory"));
        goto out;
    }
    for (i = 0, nsp = 0; i < g->nst; i++)
        if (g->st[i].script) {
            const lua_stage_param *lp;
            size_t np = lua_stage_params(g->st[i].script, &lp);
            for (k = 0; k < np; k++, nsp++) {
                sp[0][nsp] = g->st[i].desc->name;
                sp[1][nsp] = lp[k].name;
                sp[2][nsp] = lp[k].value;
                sp[3][nsp] = lp[k].origin;
            }
        }
    for (i = 0; i < g->nst; i++) versions[i] = g->st[i].desc->version;
    for (i = 0; i < g->nst; i++) roles[i] = (int)g->st[i].desc->role;
    for (i = 0; i < g->nst; i++) codes[i] = &g->st[i].desc->codes;
    for (i = 0; i < g->nst; i++) titles[i] = g->st[i].desc->title;
    for (i = 0; i < g->nst; i++) titles[g->nst + i] = g->st[i].desc->title_zh;
    for (i = 0; i < g->prm.n; i++) {
        pn[i] = g->prm.e[i].decl->name;
        pv[i] = g->prm.e[i].text;
        po[i] = g->prm.e[i].origin;
        pw[i] = g->prm.e[i].owner;
    }
    memset(&m, 0, sizeof m);
    m.tuopin_version = PACKAGE_VERSION;
    m.pipeline_path = g->cfg->pipeline_path;
    m.quarter = g->cfg->quarter;
    m.as_of = g->as_of;
    m.input_path = g->cfg->input;
    m.input_bytes = source_offset(g->src);
    source_sha256(g->src, m.input_sha256);
    m.nstages = g->nst;
    m.stage_names = g->stage_names;
    m.income_ran = g->income_stage >= 0;
    m.stage_versions = versions;
    m.stage_codes = codes;
    m.stage_roles = roles;
    m.stage_titles = titles;
    m.stage_titles_zh = titles + g->nst;
    m.nparams = g->prm.n;
    m.param_names = pn;
    m.param_values = pv;
    m.param_origins = po;
    m.param_owners = pw;
    m.nscript_params = nsp;
    m.sp_stage = sp[0];
    m.sp_name = sp[1];
    m.sp_value = sp[2];
    m.sp_origin = sp[3];
    if (params_line_row(lines, g->year, line_row, sizeof line_row) == 1) m.income_line_row = line_row;
    m.input_format = source_format(g->src);
    m.input_encoding = source_encoding(g->src);
    m.input_mapping = source_mapping_path(g->src);
    m.input_skip_rows = g->cfg->has_skip_rows ? g->cfg->skip_rows : 0;
    m.input_seekable = source_seekable(g->src);
    if (g->cfg->input && strcmp(g->cfg->input, "-")) real = realpath(g->cfg->input, NULL);
    m.input_realpath = real;
    /* the history the run joins after it commits: absolute, so that
     * explain finds it from anywhere */
    if (g->cfg->history && g->cfg->history[0]) {
        char cwd[4096];
        if (g->cfg->history[0] == '/' || !getcwd(cwd, sizeof cwd)) {
            hist = strdup(g->cfg->history);
        } else if ((hist = malloc(strlen(cwd) + strlen(g->cfg->history) + 2))) {
            sprintf(hist, "%s/%s", cwd, g->cfg->history);
        }
        m.history = hist;
    }
    m.started = g->run_started;
    m.finished = time(NULL);
    m.rows_read = g->tot.rows_read;
    m.rows_evaluated = g->tot.rows_evaluated;
    m.rows_rejected = g->tot.rows_rejected;
    m.households = g->tot.households;
    m.blocks_rejected = g->tot.blocks_rejected;
    m.script_errors = g->tot.script_errors;
    m.has_satisfied = g->map.pos[COL_SATISFIED] >= 0;
    {
        const param_entry *le = params_find(&g->prm, "income_line");
        if (le) { m.income_line = le->text; m.income_line_origin = le->origin; }
        m.below_standard = g->below[0] ? g->below : NULL;
    }
    /* The database is finished on a thread of its own while this one writes
     * the region reports: both only read the counts, rolled up first.  The
     * thread starts only once report.xlsx's child process is forked. */
    if (agg_rollup(g->agg) < 0) { fail(g, _("out of memory")); goto out; }
    if (g->rcount) {
        size_t nc;
        rc_sorted(g->rcount, &nc);
        agg_set_rosters(g->agg, g->rcount, g->rosters);
    }
    /* No other thread may run when report.xlsx's child is forked: one that
     * holds a library's lock at that moment (gettext's, malloc's in a
     * library that does not guard fork) leaves the child waiting forever. */
    if (rdb_drain(g->rdb, msg, sizeof msg) < 0) { fail(g, "%s", msg); goto out; }
    /* The stream's files are complete: their write-back starts now. */
    out_writeback(&g->out_hh);
    out_writeback(&g->out_findings);
    out_writeback(&g->out_rejects);
    {
        rdb_job job;
        int arc;
        memset(&job, 0, sizeof job);
        job.d = g->rdb;
        job.m = &m;
        job.a = g->agg;
        job.sync[0] = &g->out_hh;
        job.sync[1] = &g->out_findings;
        job.sync[2] = &g->out_rejects;
        job.rc = -1;
        arc = agg_write_pending_then(g->agg, g->cfg->out_dir, &m, &g->agg_out, start_rdb_job, &job,
                                     msg, sizeof msg);
        if (job.threaded) pthread_join(job.thread, NULL);
        else rdb_job_main(&job);
        if (arc < 0 || job.rc < 0) {
            fail(g, "%s", arc < 0 ? msg : job.err);
            goto out;
        }
    }
    rc = 0;
out:
    free(versions);
    free(codes);
    free(roles);
    free(titles);
    free(pn);
    free(pv);
    free(po);
    free(pw);
    for (k = 0; k < 4; k++) free(sp[k]);
    free(lines);
    free(real);
    free(hist);
    return rc;
}

/* All or nothing: a failure here leaves none of the run's outputs under a
 * final name (out_commit_all). */
static int commit_outputs(engine *g)
{
    char msg[1024];
    out_file *v[5 + AGG_NOUTPUTS + 1];
    size_t n = 0, i;
    if (g->rosters) {
        if (rc_write(g->rcount, g->out_rosters.f) < 0)
            return fail(g, _("%s: write error"), g->out_rosters.tmp_path);
        v[n++] = &g->out_rosters;
        v[n++] = &g->out_rrejects;
    }
    v[n++] = &g->out_hh;
    v[n++] = &g->out_findings;
    v[n++] = &g->out_rejects;
    for (i = 0; i < g->agg_out.n; i++) v[n++] = &g->agg_out.f[i];
    v[n++] = rdb_file(g->rdb);
    g->agg_out.n = 0;
    if (out_commit_all(v, n, msg, sizeof msg) < 0) return fail(g, "%s", msg);
    return 0;
}

/* Whether the manifest at `path` is a split's (first line "tuopin-split\t")
 * and lists `file` as one of its shards (a line "shard\tCODE\tFILE\t..."). */
static int split_lists_shard(const char *path, const char *file)
{
    FILE *f = fopen(path, "r");
    char *line = NULL;
    size_t cap = 0, n = strlen(file);
    ssize_t len;
    int first = 1, found = 0;
    if (!f) return 0;
    while (!found && (len = getline(&line, &cap, f)) > 0) {
        if (first) {
            first = 0;
            if (strncmp(line, "tuopin-split\t", 13)) break;
        } else if (!strncmp(line, "shard\t", 6)) {
            const char *tab = strchr(line + 6, '\t');
            found = tab && !strncmp(tab + 1, file, n) && tab[1 + n] == '\t';
        }
    }
    free(line);
    fclose(f);
    return found;
}

/* A shard of `tuopin split` (DIR/LEVEL-CODE.csv, listed as a shard in the
 * DIR/manifest.tsv beside it, shard.h): its order file DIR/LEVEL-CODE.order,
 * so that finding details name the line of the whole input, as a single run
 * does (issue 17.9).  Any other input has no order file. */
static void open_shard_order(engine *g)
{
    const char *in = g->cfg->input, *slash;
    size_t n = in ? strlen(in) : 0, dir;
    char *p;
    if (n < 5 || strcmp(in + n - 4, ".csv")) return;
    slash = strrchr(in, '/');
    dir = slash ? (size_t)(slash - in) + 1 : 0;
    if (!(p = malloc(n + 16))) return;
    memcpy(p, in, dir);
    strcpy(p + dir, "manifest.tsv");
    if (split_lists_shard(p, in + dir)) {
        memcpy(p, in, n - 4);
        strcpy(p + n - 4, ".order");
        g->order_f = fopen(p, "r");
    }
    free(p);
}

long engine_shard_line(engine *g, long line)
{
    long v = 0;
    int c;
    if (!g->order_f) return 0;
    c = getc(g->order_f);
    if (c == 'g') {
        while (c != '\n' && c != EOF) c = getc(g->order_f);
        return 0;
    }
    for (; c >= '0' && c <= '9'; c = getc(g->order_f))
        if (v < 100000000000L) v = v * 10 + (c - '0');
    while (c != '\n' && c != EOF) c = getc(g->order_f);
    return v > 0 ? v - line : 0;
}

static void cleanup(engine *g)
{
    size_t i;
    if (g->order_f) fclose(g->order_f);
    out_unlock();
    out_abort(&g->out_hh);
    out_abort(&g->out_findings);
    out_abort(&g->out_rejects);
    out_abort(&g->out_rosters);
    out_abort(&g->out_rrejects);
    join_rosters(g, 1);
    roster_free(g->rosters);
    rc_free(g->rcount);
    agg_abort_pending(&g->agg_out);
    agg_free(g->agg);
    rnames_free(g->names);
    rdb_abort(g->rdb);
    out_unstage();
    for (i = 0; i < g->nst; i++) {
        stage_inst *s = &g->st[i];
        if (s->shared_open && s->desc->close) s->desc->close(s->shared_state);
        plugin_unload(&s->plug);
        if (s->script) lua_stage_free(s->script);
    }
    free(g->st);
    free(g->stage_names);
    free(g->stage_dims);
    params_free(&g->prm);
    schema_map_free(&g->map);
    source_close(g->src);
    textset_free(&g->seen);
    pthread_mutex_destroy(&g->mu);
    pthread_cond_destroy(&g->cv);
    pthread_mutex_destroy(&g->rmu);
    pthread_cond_destroy(&g->rcv);
}

void engine_kept_free(engine_kept *keep)
{
    if (!keep) return;
    free(keep->transfer);
    memset(keep, 0, sizeof *keep);
}

int engine_run(const run_config *cfg, engine_totals *totals, char *err, size_t errlen)
{
    return engine_run_keep(cfg, NULL, totals, err, errlen);
}

int engine_run_keep(const run_config *cfg, engine_kept *keep, engine_totals *totals, char *err,
                    size_t errlen)
{
    engine g;
    int rc = -1;
    size_t i;

    memset(&g, 0, sizeof g);
    if (keep) keep->n = 0;
    g.keep = keep;
    g.cfg = cfg;
    g.err = err;
    g.errlen = errlen;
    textset_init(&g.seen);
    params_init(&g.prm);
    pthread_mutex_init(&g.mu, NULL);
    pthread_cond_init(&g.cv, NULL);
    pthread_mutex_init(&g.rmu, NULL);
    pthread_cond_init(&g.rcv, NULL);

    if (!cfg->quarter) { fail(&g, _("no quarter: give quarter \"YYYYQn\" in the pipeline or --quarter")); goto out; }
    if (val_quarter(cfg->quarter, &g.year, &g.as_m, &g.as_d) < 0) {
        fail(&g, _("quarter \"%s\" is not of the form YYYYQn (n = 1..4)"), cfg->quarter);
        goto out;
    }
    g.as_y = g.year;
    snprintf(g.as_of, sizeof g.as_of, "%04d-%02d-%02d", g.as_y, g.as_m, g.as_d);
    if (!cfg->input) { fail(&g, _("no input: give input { path = ... } in the pipeline or --input")); goto out; }
    if (!cfg->out_dir) { fail(&g, _("no output folder: give output { dir = ... } in the pipeline or --out")); goto out; }
    if (load_stages(&g) < 0 || set_params(&g) < 0 || check_standard(&g) < 0
        || check_rosters(&g) < 0)
        goto out;

    g.run_started = time(NULL);
    if (!(g.src = source_open(cfg, err, errlen))) goto out;
    g.in_name = source_name(g.src);
    g.in_size = source_size(g.src);
    open_shard_order(&g);
    if (read_header(&g) < 0 || open_outputs(&g) < 0 || load_rosters(&g) < 0
        || open_ordered_stages(&g) < 0)
        goto out;
    if (join_rosters(&g, stream_run(&g, cfg->jobs > 0 ? (size_t)cfg->jobs : engine_default_jobs()) < 0) < 0)
        goto out;
    for (i = 0; i < g.nst; i++)
        if (g.st[i].script) g.tot.script_errors += lua_stage_error_count(g.st[i].script);
    if (finish_outputs(&g) < 0 || commit_outputs(&g) < 0)
        goto out;
    if (g.tot.rows_read != g.tot.rows_evaluated + g.tot.rows_rejected) {
        fail(&g, _("internal error: rows read %llu != evaluated %llu + rejected %llu"),
             g.tot.rows_read, g.tot.rows_evaluated, g.tot.rows_rejected);
        goto out;
    }
    /* Rows are records; the physical lines (header, empty lines and quoted
     * line breaks included) are counted too, so that a quote that swallowed
     * lines shows as a gap between the two. */
    if (!cfg->quiet && source_lines(g.src))
        fprintf(stderr, _("tuopin: %llu rows read = %llu rows in %llu evaluated households + "
                          "%llu rows rejected (%llu lines of input); outputs in %s\n"),
                g.tot.rows_read, g.tot.rows_evaluated, g.tot.households, g.tot.rows_rejected,
                source_lines(g.src), cfg->out_dir);
    else if (!cfg->quiet)
        fprintf(stderr, _("tuopin: %llu rows read = %llu rows in %llu evaluated households + "
                          "%llu rows rejected; outputs in %s\n"),
                g.tot.rows_read, g.tot.rows_evaluated, g.tot.households, g.tot.rows_rejected,
                cfg->out_dir);
    if (!cfg->quiet && g.tot.script_errors)
        fprintf(stderr, _("tuopin: %llu households got SCRIPT_ERROR from rule scripts (see findings.csv)\n"),
                g.tot.script_errors);
    if (g.below[0])
        fprintf(stderr, _("tuopin: warning: these results are NOT the national standard: %s\n"), g.below);
    if (totals) *totals = g.tot;
    rc = 0;
out:
    if (rc < 0 && g.refused) rc = -2;
    cleanup(&g);
    return rc;
}
