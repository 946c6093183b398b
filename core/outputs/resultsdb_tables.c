/* resultsdb_tables.c — the end-of-run tables of results.sqlite: the run
 * record, parameters, stages, and the region tables computed by the
 * aggregation (regions, failures, the AF view, counties).  A few thousand to
 * a few hundred thousand rows, written once by rdb_finish. */
#define _POSIX_C_SOURCE 200809L
#include "resultsdb_tables.h"
#include "agg_internal.h"
#include "agg_partial.h"
#include "i18n.h"
#include "rcount.h"
#include "roster.h"
#include "fail.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

typedef unsigned __int128 u128;

/* The connection and the first error. */
typedef struct tctx {
    sqlite3 *db;
    const char *file;
    char *err;
    size_t errlen;
} tctx;

#define tfail(d, what) fail_db((d)->db, (d)->file, what, (d)->err, (d)->errlen)

static int step(tctx *d, sqlite3_stmt *s, const char *what)
{
    int rc = sqlite3_step(s);
    sqlite3_reset(s);
    sqlite3_clear_bindings(s);
    return rc == SQLITE_DONE ? 0 : tfail(d, what);
}

/* Finalizes the statements (NULL: none).  RETURN rc. */
static int done(sqlite3_stmt *s, sqlite3_stmt *t, int rc)
{
    sqlite3_finalize(s);
    sqlite3_finalize(t);
    return rc;
}

static void bind_text(sqlite3_stmt *s, int i, const char *t)
{
    sqlite3_bind_text(s, i, t, -1, SQLITE_STATIC);
}

static const char schema_end[] =
    "CREATE TABLE run("
    " tuopin_version TEXT, pipeline TEXT, quarter TEXT, as_of TEXT, input_path TEXT,"
    " input_bytes INTEGER, input_sha256 TEXT, started TEXT, finished TEXT,"
    " rows_read INTEGER, rows_evaluated INTEGER, rows_rejected INTEGER, households INTEGER,"
    " blocks_rejected INTEGER, script_errors INTEGER, has_satisfied INTEGER,"
    " income_line_origin TEXT, standard TEXT);"
    "CREATE TABLE params(name TEXT PRIMARY KEY, value TEXT);"
    "CREATE TABLE stages(position INTEGER PRIMARY KEY, name TEXT, version TEXT);"
    /* what each stage declared (plugin ABI v2): its role in the verdict
     * ('check', 'income': decides missed and unverified, 'rosters') and its
     * dimension of standard §6 (NULL: none), so that merge and the quarter
     * comparisons follow the declarations, not the stages' names */
    "CREATE TABLE stage_roles(position INTEGER PRIMARY KEY, role TEXT NOT NULL, dimension TEXT);"
    /* every parameter the stages used, with where its value came from, and
     * how the input was read: what `tuopin explain` shows (docs/explain.md) */
    "CREATE TABLE param_origins(stage TEXT, name TEXT, value TEXT, origin TEXT, source TEXT,"
    " PRIMARY KEY(stage, name));"
    "CREATE TABLE input_settings(key TEXT PRIMARY KEY, value TEXT);"
    "CREATE TABLE regions("
    " level TEXT NOT NULL, code TEXT NOT NULL, households INTEGER, persons INTEGER,"
    " households_poor INTEGER, households_exited INTEGER, households_general INTEGER,"
    " persons_poor INTEGER, persons_exited INTEGER, persons_general INTEGER,"
    " households_can_exit INTEGER, households_remains_poor INTEGER, households_exit_confirmed INTEGER,"
    " households_wrongly_exited INTEGER, households_missed INTEGER, households_unverified INTEGER,"
    " households_not_poor INTEGER,"
    " persons_can_exit INTEGER, persons_remains_poor INTEGER, persons_exit_confirmed INTEGER,"
    " persons_wrongly_exited INTEGER, persons_missed INTEGER, persons_unverified INTEGER,"
    " persons_not_poor INTEGER, households_exit_ready INTEGER, poor_after INTEGER,"
    " incidence REAL, wrong_exit_rate REAL, missed_rate REAL,"
    " satisfied_yes INTEGER, satisfied_no INTEGER, satisfaction REAL,"
    " PRIMARY KEY(level, code));"
    "CREATE TABLE stage_failures(level TEXT, code TEXT, stage TEXT, households INTEGER);"
    "CREATE TABLE failures(level TEXT, code TEXT, stage TEXT, finding_code TEXT,"
    " households INTEGER, persons INTEGER, findings INTEGER);"
    "CREATE TABLE af(level TEXT, code TEXT, persons INTEGER, poor_persons INTEGER,"
    " score_sum INTEGER, weight_sum INTEGER, H REAL, A REAL, M0 REAL, PRIMARY KEY(level, code));"
    "CREATE TABLE af_dimensions(level TEXT, code TEXT, dimension TEXT, weight INTEGER,"
    " deprived_persons INTEGER, censored_persons INTEGER, censored_ratio REAL, contribution REAL);"
    "CREATE TABLE counties(county_code TEXT PRIMARY KEY, western INTEGER, persons INTEGER,"
    " poor_after INTEGER, exited_persons INTEGER, wrongly_exited_persons INTEGER,"
    " general_persons INTEGER, missed_persons INTEGER, satisfied_yes INTEGER,"
    " satisfied_answered INTEGER, incidence REAL, wrong_exit_rate REAL, missed_rate REAL,"
    " satisfaction REAL, decision TEXT, reasons TEXT);"
    /* department rosters (standard §8): rosters.csv, the households whose
     * verdict a roster changed, roster_rejects.csv; empty without rosters */
    "CREATE TABLE rosters(county_code TEXT, kind TEXT, persons INTEGER, matched INTEGER,"
    " unmatched INTEGER, findings INTEGER, PRIMARY KEY(county_code, kind));"
    "CREATE TABLE roster_verdicts(county_code TEXT PRIMARY KEY, households_changed INTEGER,"
    " persons_changed INTEGER);"
    "CREATE TABLE roster_rejects(kind TEXT, file TEXT, line INTEGER, code TEXT, detail TEXT);";

/* Binds x / y rounded to 4 decimals (as in the CSV files), NULL when undefined. */
static void bind_rate(sqlite3_stmt *s, int i, u128 x, u128 y)
{
    int64_t v = agg_rate_e4(x, y);
    if (v >= 0) sqlite3_bind_double(s, i, (double)v / 10000.0);
}

static void bind_u64(sqlite3_stmt *s, int i, uint64_t v) { sqlite3_bind_int64(s, i, (sqlite3_int64)v); }

static void iso_time(time_t t, char *buf, size_t n)
{
    struct tm tmv;
    if (!t) { buf[0] = '\0'; return; }
    gmtime_r(&t, &tmv);
    strftime(buf, n, "%Y-%m-%dT%H:%M:%SZ", &tmv);
}

static int prep(tctx *d, const char *sql, sqlite3_stmt **s)
{
    if (sqlite3_prepare_v2(d->db, sql, -1, s, NULL) != SQLITE_OK) return tfail(d, _("cannot prepare"));
    return 0;
}

static int write_run(tctx *d, const run_meta *m)
{
    sqlite3_stmt *s = NULL;
    char t1[32], t2[32], b[1200];
    size_t i;
    if (!m) return 0;
    if (prep(d, "INSERT INTO run VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", &s) < 0) return -1;
    iso_time(m->started, t1, sizeof t1);
    iso_time(m->finished, t2, sizeof t2);
    bind_text(s, 1, m->tuopin_version);
    bind_text(s, 2, m->pipeline_path);
    bind_text(s, 3, m->quarter);
    bind_text(s, 4, m->as_of);
    bind_text(s, 5, m->input_path);
    bind_u64(s, 6, m->input_bytes);
    bind_text(s, 7, m->input_sha256);
    bind_text(s, 8, t1);
    bind_text(s, 9, t2);
    bind_u64(s, 10, m->rows_read);
    bind_u64(s, 11, m->rows_evaluated);
    bind_u64(s, 12, m->rows_rejected);
    bind_u64(s, 13, m->households);
    bind_u64(s, 14, m->blocks_rejected);
    bind_u64(s, 15, m->script_errors);
    sqlite3_bind_int(s, 16, m->has_satisfied);
    /* standard: "national", or what a --below-standard run put below it */
    bind_text(s, 17, m->income_line_origin);
    if (m->below_standard && m->below_standard[0]) {
        snprintf(b, sizeof b, "NOT the national standard: %s", m->below_standard);
        bind_text(s, 18, b);
    } else {
        bind_text(s, 18, "national");
    }
    if (step(d, s, _("cannot store the run")) < 0) goto bad;
    sqlite3_finalize(s);
    if (prep(d, "INSERT OR REPLACE INTO params VALUES(?,?)", &s) < 0) return -1;
    for (i = 0; i < m->nparams; i++) {
        bind_text(s, 1, m->param_names[i]);
        bind_text(s, 2, m->param_values[i]);
        if (step(d, s, _("cannot store a parameter")) < 0) goto bad;
    }
    sqlite3_finalize(s);
    if (prep(d, "INSERT OR REPLACE INTO param_origins VALUES(?,?,?,?,?)", &s) < 0) return -1;
    for (i = 0; m->param_origins && i < m->nparams; i++) {
        bind_text(s, 1, m->param_owners ? m->param_owners[i] : NULL);
        bind_text(s, 2, m->param_names[i]);
        bind_text(s, 3, m->param_values[i]);
        bind_text(s, 4, m->param_origins[i]);
        if (!strcmp(m->param_origins[i], "national table")) bind_text(s, 5, m->income_line_row);
        if (step(d, s, _("cannot store a parameter")) < 0) goto bad;
    }
    for (i = 0; i < m->nscript_params; i++) {
        bind_text(s, 1, m->sp_stage[i]);
        bind_text(s, 2, m->sp_name[i]);
        bind_text(s, 3, m->sp_value[i]);
        bind_text(s, 4, m->sp_origin[i]);
        if (step(d, s, _("cannot store a parameter")) < 0) goto bad;
    }
    for (i = 0; i < m->ncopied_origins; i++) {
        bind_text(s, 1, m->co_stage[i]);
        bind_text(s, 2, m->co_name[i]);
        bind_text(s, 3, m->co_value[i]);
        bind_text(s, 4, m->co_origin[i]);
        bind_text(s, 5, m->co_source[i]);
        if (step(d, s, _("cannot store a parameter")) < 0) goto bad;
    }
    sqlite3_finalize(s);
    s = NULL;
    /* a merged run: where each shard's input is, for tuopin explain */
    if (m->nshards) {
        if (sqlite3_exec(d->db, "CREATE TABLE shard_inputs(code TEXT PRIMARY KEY, path TEXT NOT NULL,"
                         " sha256 TEXT NOT NULL)", NULL, NULL, NULL) != SQLITE_OK)
            return tfail(d, _("cannot store the run"));
        if (prep(d, "INSERT INTO shard_inputs VALUES(?,?,?)", &s) < 0) return -1;
        for (i = 0; i < m->nshards; i++) {
            bind_text(s, 1, m->shard_codes[i]);
            bind_text(s, 2, m->shard_paths[i]);
            bind_text(s, 3, m->shard_shas[i]);
            if (step(d, s, _("cannot store the run")) < 0) goto bad;
        }
        sqlite3_finalize(s);
    }
    if (prep(d, "INSERT INTO input_settings VALUES(?,?)", &s) < 0) return -1;
    {
        char skip[16];
        const char *kv[][2] = {
            { "format", m->input_format }, { "encoding", m->input_encoding },
            { "mapping", m->input_mapping }, { "skip_rows", skip },
            { "realpath", m->input_realpath }, { "seekable", m->input_seekable ? "1" : "0" },
            { "national_line_row", m->income_line_row }, { "history", m->history },
            /* the language of the details in findings and rejects (explain) */
            { "lang", i18n_chinese() ? "zh" : "en" }
        };
        snprintf(skip, sizeof skip, "%d", m->input_skip_rows);
        for (i = 0; m->input_format && i < sizeof kv / sizeof kv[0]; i++) {
            if (!kv[i][1]) continue;
            bind_text(s, 1, kv[i][0]);
            bind_text(s, 2, kv[i][1]);
            if (step(d, s, _("cannot store the run")) < 0) goto bad;
        }
    }
    sqlite3_finalize(s);
    if (prep(d, "INSERT INTO stages VALUES(?,?,?)", &s) < 0) return -1;
    for (i = 0; i < m->nstages; i++) {
        sqlite3_bind_int64(s, 1, (sqlite3_int64)i + 1);
        bind_text(s, 2, m->stage_names[i]);
        if (m->stage_versions) bind_text(s, 3, m->stage_versions[i]);
        if (step(d, s, _("cannot store a stage")) < 0) goto bad;
    }
    return done(s, NULL, 0);
bad:
    return done(s, NULL, -1);
}

static int write_regions(tctx *d, const agg *a, const size_t *order)
{
    sqlite3_stmt *s = NULL;
    size_t i;
    int k, c;
    if (prep(d, "INSERT INTO regions VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", &s) < 0)
        return -1;
    for (i = 0; i < a->nr; i++) {
        const agg_region *r = &a->r[order[i]];
        agg_county cy;
        agg_county_eval(a, r, &cy);
        c = 1;
        bind_text(s, c++, agg_level_names[r->level]);
        bind_text(s, c++, r->code);
        bind_u64(s, c++, agg_households(r));
        bind_u64(s, c++, cy.persons);
        for (k = 0; k < AGG_NSTATUS; k++) bind_u64(s, c++, r->hh_status[k]);
        for (k = 0; k < AGG_NSTATUS; k++) bind_u64(s, c++, r->persons_status[k]);
        for (k = 0; k < AGG_NASSESS; k++) bind_u64(s, c++, r->hh_assess[k]);
        for (k = 0; k < AGG_NASSESS; k++) bind_u64(s, c++, r->persons_assess[k]);
        bind_u64(s, c++, r->hh_ready);
        bind_u64(s, c++, cy.poor_after);
        bind_rate(s, c++, cy.poor_after, cy.persons);
        bind_rate(s, c++, cy.wrongly_exited, cy.exited);
        bind_rate(s, c++, cy.missed, cy.general);
        if (a->has_satisfied) {
            bind_u64(s, c, r->sat_yes);
            bind_u64(s, c + 1, r->sat_no);
            bind_rate(s, c + 2, cy.sat_yes, cy.sat_answered);
        }
        if (step(d, s, _("cannot store a region")) < 0) goto bad;
    }
    return done(s, NULL, 0);
bad:
    return done(s, NULL, -1);
}

static int write_failures(tctx *d, const agg *a, const size_t *order, const size_t *corder)
{
    sqlite3_stmt *s = NULL, *t = NULL;
    size_t i, j;
    if (prep(d, "INSERT INTO failures VALUES(?,?,?,?,?,?,?)", &s) < 0
        || prep(d, "INSERT INTO stage_failures VALUES(?,?,?,?)", &t) < 0)
        goto bad;
    for (i = 0; i < a->nr; i++) {
        const agg_region *r = &a->r[order[i]];
        for (j = 0; j < a->nstages; j++) {
            if (!r->stage_failed[j]) continue;
            bind_text(t, 1, agg_level_names[r->level]);
            bind_text(t, 2, r->code);
            bind_text(t, 3, a->stage_names[j]);
            bind_u64(t, 4, r->stage_failed[j]);
            if (step(d, t, _("cannot store failures")) < 0) goto bad;
        }
        for (j = 0; j < a->ncodes; j++) {
            const agg_code *c = &a->codes[corder[j]];
            const agg_fail *fl;
            if (corder[j] >= r->nfails || !r->fails[corder[j]].households) continue;
            fl = &r->fails[corder[j]];
            bind_text(s, 1, agg_level_names[r->level]);
            bind_text(s, 2, r->code);
            bind_text(s, 3, c->stage >= 0 && (size_t)c->stage < a->nstages ? a->stage_names[c->stage] : "");
            bind_text(s, 4, c->code);
            bind_u64(s, 5, fl->households);
            bind_u64(s, 6, fl->persons);
            bind_u64(s, 7, fl->findings);
            if (step(d, s, _("cannot store failures")) < 0) goto bad;
        }
    }
    return done(s, t, 0);
bad:
    return done(s, t, -1);
}

static int write_af(tctx *d, const agg *a, const size_t *order)
{
    sqlite3_stmt *s = NULL, *t = NULL;
    size_t i;
    int dm;
    u128 x, y;
    if (prep(d, "INSERT INTO af VALUES(?,?,?,?,?,?,?,?,?)", &s) < 0
        || prep(d, "INSERT INTO af_dimensions VALUES(?,?,?,?,?,?,?,?)", &t) < 0)
        goto bad;
    for (i = 0; i < a->nr; i++) {
        const agg_region *r = &a->r[order[i]];
        bind_text(s, 1, agg_level_names[r->level]);
        bind_text(s, 2, r->code);
        bind_u64(s, 3, agg_persons(r));
        bind_u64(s, 4, r->af_poor);
        bind_u64(s, 5, r->af_score);
        sqlite3_bind_int64(s, 6, a->wsum);
        agg_af_h(a, r, &x, &y); bind_rate(s, 7, x, y);
        agg_af_a(a, r, &x, &y); bind_rate(s, 8, x, y);
        agg_af_m0(a, r, &x, &y); bind_rate(s, 9, x, y);
        if (step(d, s, _("cannot store the AF view")) < 0) goto bad;
        for (dm = 0; dm < AGG_NDIMS; dm++) {
            if (!a->dim_present[dm]) continue;
            bind_text(t, 1, agg_level_names[r->level]);
            bind_text(t, 2, r->code);
            bind_text(t, 3, agg_dim_names[dm]);
            sqlite3_bind_int64(t, 4, a->weight[dm]);
            bind_u64(t, 5, r->af_dep[dm]);
            bind_u64(t, 6, r->af_cens[dm]);
            if (a->wsum) bind_rate(t, 7, r->af_cens[dm], agg_persons(r));
            agg_af_contrib(a, r, dm, &x, &y); bind_rate(t, 8, x, y);
            if (step(d, t, _("cannot store the AF view")) < 0) goto bad;
        }
    }
    return done(s, t, 0);
bad:
    return done(s, t, -1);
}

static int write_counties(tctx *d, const agg *a, const size_t *order)
{
    sqlite3_stmt *s = NULL;
    size_t i;
    const agg_region *r;
    agg_county c;
    if (prep(d, "INSERT INTO counties VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", &s) < 0) return -1;
    for (i = 0; (r = agg_next_county(a, order, &i, &c));) {
        char reasons[256];
        agg_reasons_text(c.reasons, agg_reason_names, ";", reasons, sizeof reasons);
        bind_text(s, 1, r->code);
        sqlite3_bind_int(s, 2, c.western);
        bind_u64(s, 3, c.persons);
        bind_u64(s, 4, c.poor_after);
        bind_u64(s, 5, c.exited);
        bind_u64(s, 6, c.wrongly_exited);
        bind_u64(s, 7, c.general);
        bind_u64(s, 8, c.missed);
        if (a->has_satisfied) {
            bind_u64(s, 9, c.sat_yes);
            bind_u64(s, 10, c.sat_answered);
        }
        bind_rate(s, 11, c.poor_after, c.persons);
        bind_rate(s, 12, c.wrongly_exited, c.exited);
        bind_rate(s, 13, c.missed, c.general);
        bind_rate(s, 14, c.sat_yes, c.sat_answered);
        bind_text(s, 15, agg_decision_names[c.decision]);
        sqlite3_bind_text(s, 16, reasons, -1, SQLITE_TRANSIENT);
        if (step(d, s, _("cannot store a county")) < 0) goto bad;
    }
    return done(s, NULL, 0);
bad:
    return done(s, NULL, -1);
}

static int write_rosters(tctx *d, const agg *a)
{
    sqlite3_stmt *s = NULL, *v = NULL, *j = NULL;
    const rc_county *c;
    size_t n, i;
    int k, rc = -1;
    if (!a->rosters) return 0;
    c = rc_counties(a->rosters, &n);
    if (prep(d, "INSERT INTO rosters VALUES(?,?,?,?,?,?)", &s) < 0
        || prep(d, "INSERT INTO roster_verdicts VALUES(?,?,?)", &v) < 0
        || prep(d, "INSERT INTO roster_rejects VALUES(?,?,?,?,?)", &j) < 0)
        goto bad;
    for (i = 0; i < n; i++) {
        for (k = 0; k < TP_ROSTER_KINDS; k++) {
            bind_text(s, 1, c[i].code);
            bind_text(s, 2, rc_kind_name(k));
            bind_u64(s, 3, c[i].persons);
            bind_u64(s, 4, c[i].matched[k]);
            bind_u64(s, 5, c[i].persons - c[i].matched[k]);
            bind_u64(s, 6, c[i].findings[k]);
            if (step(d, s, _("cannot store a roster count")) < 0) goto bad;
        }
        bind_text(v, 1, c[i].code);
        bind_u64(v, 2, c[i].changed);
        bind_u64(v, 3, c[i].changed_persons);
        if (step(d, v, _("cannot store a roster count")) < 0) goto bad;
    }
    for (i = 0; a->roster_set && i < a->roster_set->nrej; i++) {
        const roster_reject *r = &a->roster_set->rej[i];
        bind_text(j, 1, roster_kind_name(r->kind));
        bind_text(j, 2, r->file);
        sqlite3_bind_int64(j, 3, r->line);
        bind_text(j, 4, r->code);
        bind_text(j, 5, r->detail);
        if (step(d, j, _("cannot store a roster reject")) < 0) goto bad;
    }
    rc = 0;
bad:
    sqlite3_finalize(v);
    return done(s, j, rc);
}

/* stage_roles: each stage's declared role, and its dimension as the
 * aggregation has it. */
static int write_stage_roles(tctx *d, const run_meta *m, const agg *a)
{
    static const char *const roles[] = { "check", "income", "rosters" };
    sqlite3_stmt *s = NULL;
    size_t i;
    if (!m) return 0;
    if (prep(d, "INSERT INTO stage_roles VALUES(?,?,?)", &s) < 0) return -1;
    for (i = 0; i < m->nstages; i++) {
        int role = m->stage_roles ? m->stage_roles[i] : TP_ROLE_CHECK;
        int dim = a && i < a->nstages ? a->stage_dim[i] : -1;
        sqlite3_bind_int64(s, 1, (sqlite3_int64)i + 1);
        bind_text(s, 2, role >= 0 && role <= TP_ROLE_ROSTERS ? roles[role] : "check");
        if (dim >= 0 && dim < AGG_NDIMS) bind_text(s, 3, agg_dim_names[dim]);
        else sqlite3_bind_null(s, 3);
        if (step(d, s, _("cannot store a stage")) < 0) return done(s, NULL, -1);
    }
    return done(s, NULL, 0);
}

int rdb_write_tables(sqlite3 *db, const char *file, const run_meta *m, const agg *a,
                     char *err, size_t errlen)
{
    tctx d;
    size_t *order = NULL, *corder = NULL;
    int rc = -1;
    d.db = db;
    d.file = file;
    d.err = err;
    d.errlen = errlen;
    if (sqlite3_exec(db, schema_end, NULL, NULL, NULL) != SQLITE_OK) { tfail(&d, _("cannot create")); goto out; }
    if (write_run(&d, m) < 0 || write_stage_roles(&d, m, a) < 0) goto out;
    if (a) {
        /* The totals above village level are completed on first use
         * (normally agg_write has done it already). */
        if (agg_rollup((agg *)(uintptr_t)a) < 0 || !(order = agg_sorted(a)) || !(corder = agg_codes_sorted(a))) {
            snprintf(err, errlen, _("out of memory"));
            goto out;
        }
        if (write_regions(&d, a, order) < 0 || write_failures(&d, a, order, corder) < 0
            || write_af(&d, a, order) < 0 || write_counties(&d, a, order) < 0
            || write_rosters(&d, a) < 0
            || agg_partial_write(db, file, a, err, errlen) < 0)   /* for tuopin merge */
            goto out;
    }
    rc = 0;
out:
    free(order);
    free(corder);
    return rc;
}
