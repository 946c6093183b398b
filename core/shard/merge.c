/* merge.c — `tuopin merge RUN_DIR... --out DIR [--split DIR]`: the outputs of
 * the shard runs of one split, combined into exactly the outputs a single run
 * of the whole quarter gives (run timestamps aside).
 *
 *   households.csv, findings.csv   rows copied byte for byte from the shard
 *                                  runs, in input order: a k-way merge on the
 *                                  input line where each household started
 *                                  (the shards' order files); ghosts dropped
 *   rejects.csv                    the split's, which a single run's equals
 *   counties, summary, af,         recomputed through the run's own writers
 *   report.html, report.xlsx       (aggregate.c) from the villages' partial
 *                                  counts of every run, added
 *   results.sqlite                 households and findings from the runs'
 *                                  databases in input order, rejects from the
 *                                  split, the end tables from the added counts;
 *                                  for tuopin explain, each household's position
 *                                  in its shard's input, the shard runs' parameter
 *                                  origins and input settings, and shard_inputs
 *   rosters.csv, roster_rejects.csv  department rosters (merge_rosters.c):
 *                                  counts per county added, the rejects (the
 *                                  same in every run) copied once
 *
 * Every run must come from the same tuopin, quarter, stages and parameters,
 * every shard of the split must have exactly one run (matched by the SHA-256
 * of its input), and every count must agree; anything else is an error naming
 * the folder at fault, and nothing is written under a final name. */
#define _DEFAULT_SOURCE
#define _POSIX_C_SOURCE 200809L
#include "agg_partial.h"
#include "cmdline.h"
#include "aggregate.h"
#include "rnames.h"
#include "csv.h"
#include "format.h"
#include "merge.h"
#include "merge_rosters.h"
#include "output.h"
#include "params.h"
#include "plugin.h"
#include "region_outputs.h"
#include "resultsdb.h"
#include "runmeta.h"
#include "sbuf.h"
#include "shard.h"
#include "values.h"
#include "i18n.h"
#include "fail.h"

#include <errno.h>
#include <sqlite3.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define READ_BUF (1u << 20)
#define MAX_RECORD (64u << 20)

/* One shard run being read. */
typedef struct run_in {
    const char *dir;
    char path[4096];                   /* its results.sqlite, for messages */
    sqlite3 *db;
    char *version, *pipeline, *quarter, *as_of, *input_path, *input_sha, *started;
    char *line_origin, *standard;    /* owned, NULL in records of older runs */
    unsigned long long rows_evaluated, rows_rejected, households, script_errors;
    int has_satisfied;
    size_t nstages, nparams;
    char **stage_names, **stage_versions;   /* owned */
    int *stage_roles, *stage_dims;          /* owned: what each stage declared (tp_role;
                                               index of agg_dim_names or -1); stage_dims
                                               NULL in records of older runs */
    char **param_names, **param_values;     /* owned */
    const shard_entry *shard;

    FILE *hh_f, *fd_f, *order_f;
    csv_reader *hh_csv, *fd_csv;
    sqlite3_stmt *q_hh, *q_f;
    int f_row;                         /* q_f holds a row not yet taken */
    unsigned long long next_line;      /* input line of the next household */
    unsigned long long ghost_script_errors;
    int done;
} run_in;

typedef struct merger {
    run_in *run;
    size_t nrun;
    const char *out_dir;
    const char *region_names;    /* --region-names FILE, or NULL */
    rnames *names;               /* the regions' names in the outputs (rnames.h) */
    shard_manifest man;
    char split_dir[4096];
    agg *agg;
    params prm;
    out_file o_hh, o_fd, o_rj;
    agg_pending agg_out;
    rdb *rdb;
    merge_rosters mr;                  /* department rosters, when the runs had them */
    sbuf arena;                        /* a household's finding texts */
    rdb_finding_row *frows;
    size_t *foff;                      /* stage, code, detail offsets in arena */
    size_t fcap;
    size_t *heap, nheap;
    unsigned long long households, rows;
    char *err;
    size_t errlen;
} merger;

#define fail(s, ...) fail_msg((s)->err, (s)->errlen, __VA_ARGS__)

static char *dup_col(sqlite3_stmt *s, int i)
{
    const unsigned char *t = sqlite3_column_text(s, i);
    return strdup(t ? (const char *)t : "");
}

/* ---- the runs' records ------------------------------------------------------------- */

static int read_run_record(merger *m, run_in *r)
{
    sqlite3_stmt *s = NULL;
    size_t i;
    int rc = -1;
    snprintf(r->path, sizeof r->path, "%s/results.sqlite", r->dir);
    /* NOMUTEX: one thread reads each connection */
    if (sqlite3_open_v2(r->path, &r->db, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK) {
        fail(m, _("%s: cannot open: %s (is %s the output folder of a tuopin run?)"), r->path,
             r->db ? sqlite3_errmsg(r->db) : _("out of memory"), r->dir);
        return -1;
    }
    if (sqlite3_prepare_v2(r->db, "SELECT tuopin_version, pipeline, quarter, as_of, input_path,"
                           " input_sha256, started, rows_evaluated, rows_rejected, households,"
                           " script_errors, has_satisfied FROM run", -1, &s, NULL) != SQLITE_OK
        || sqlite3_step(s) != SQLITE_ROW) {
        fail(m, _("%s: no run record: %s"), r->path, sqlite3_errmsg(r->db));
        goto out;
    }
    r->version = dup_col(s, 0);
    r->pipeline = dup_col(s, 1);
    r->quarter = dup_col(s, 2);
    r->as_of = dup_col(s, 3);
    r->input_path = dup_col(s, 4);
    r->input_sha = dup_col(s, 5);
    r->started = dup_col(s, 6);
    r->rows_evaluated = (unsigned long long)sqlite3_column_int64(s, 7);
    r->rows_rejected = (unsigned long long)sqlite3_column_int64(s, 8);
    r->households = (unsigned long long)sqlite3_column_int64(s, 9);
    r->script_errors = (unsigned long long)sqlite3_column_int64(s, 10);
    r->has_satisfied = sqlite3_column_int(s, 11);
    sqlite3_finalize(s);
    s = NULL;
    if (!r->version || !r->pipeline || !r->quarter || !r->as_of || !r->input_path || !r->input_sha
        || !r->started)
        return fail(m, _("out of memory"));
    /* the line's origin and the standard (standard §7), absent in older runs */
    if (sqlite3_prepare_v2(r->db, "SELECT income_line_origin, standard FROM run", -1, &s, NULL) == SQLITE_OK
        && sqlite3_step(s) == SQLITE_ROW) {
        if (sqlite3_column_type(s, 0) != SQLITE_NULL && !(r->line_origin = dup_col(s, 0)))
            { sqlite3_finalize(s); return fail(m, _("out of memory")); }
        if (sqlite3_column_type(s, 1) != SQLITE_NULL && !(r->standard = dup_col(s, 1)))
            { sqlite3_finalize(s); return fail(m, _("out of memory")); }
    }
    sqlite3_finalize(s);
    s = NULL;

    /* stages in pipeline order, parameters in the order the run declared them */
    for (i = 0; i < 2; i++) {
        const char *sql = i == 0 ? "SELECT name, version FROM stages ORDER BY position"
                                 : "SELECT name, value FROM params ORDER BY rowid";
        size_t *n = i == 0 ? &r->nstages : &r->nparams, cap = 0;
        char ***a = i == 0 ? &r->stage_names : &r->param_names;
        char ***b = i == 0 ? &r->stage_versions : &r->param_values;
        int step;
        if (sqlite3_prepare_v2(r->db, sql, -1, &s, NULL) != SQLITE_OK) {
            fail(m, "%s: %s", r->path, sqlite3_errmsg(r->db));
            goto out;
        }
        while ((step = sqlite3_step(s)) == SQLITE_ROW) {
            if (*n == cap) {
                char **na, **nb;
                cap = cap ? 2 * cap : 16;
                na = realloc(*a, cap * sizeof *na);
                if (na) *a = na;
                nb = realloc(*b, cap * sizeof *nb);
                if (nb) *b = nb;
                if (!na || !nb) { fail(m, _("out of memory")); goto out; }
            }
            (*a)[*n] = dup_col(s, 0);
            (*b)[*n] = dup_col(s, 1);
            (*n)++;
            if (!(*a)[*n - 1] || !(*b)[*n - 1]) { fail(m, _("out of memory")); goto out; }
        }
        if (step != SQLITE_DONE) { fail(m, "%s: %s", r->path, sqlite3_errmsg(r->db)); goto out; }
        sqlite3_finalize(s);
        s = NULL;
    }
    /* What the stages declared: their role in the verdict and their
     * dimension (stage_roles).  Records of runs before that table name
     * only the stages: there the stage called income has the income role
     * and a stage its namesake dimension, as plugin ABI v1 had it. */
    if (!(r->stage_roles = calloc(r->nstages ? r->nstages : 1, sizeof *r->stage_roles)))
        { fail(m, _("out of memory")); goto out; }
    if (sqlite3_prepare_v2(r->db, "SELECT position, role, dimension FROM stage_roles", -1, &s, NULL) == SQLITE_OK) {
        int step;
        if (!(r->stage_dims = malloc((r->nstages ? r->nstages : 1) * sizeof *r->stage_dims)))
            { fail(m, _("out of memory")); goto out; }
        for (i = 0; i < r->nstages; i++) r->stage_dims[i] = -1;
        while ((step = sqlite3_step(s)) == SQLITE_ROW) {
            sqlite3_int64 pos = sqlite3_column_int64(s, 0);
            const char *role = (const char *)sqlite3_column_text(s, 1);
            if (pos < 1 || (size_t)pos > r->nstages) continue;
            r->stage_roles[pos - 1] = !role ? TP_ROLE_CHECK : !strcmp(role, "income") ? TP_ROLE_INCOME
                                      : !strcmp(role, "rosters") ? TP_ROLE_ROSTERS : TP_ROLE_CHECK;
            r->stage_dims[pos - 1] = agg_dim_index((const char *)sqlite3_column_text(s, 2));
        }
        if (step != SQLITE_DONE) { fail(m, "%s: %s", r->path, sqlite3_errmsg(r->db)); goto out; }
    } else {
        for (i = 0; i < r->nstages; i++)
            r->stage_roles[i] = !strcmp(r->stage_names[i], "income") ? TP_ROLE_INCOME
                                : !strcmp(r->stage_names[i], "rosters") ? TP_ROLE_ROSTERS : TP_ROLE_CHECK;
    }
    sqlite3_finalize(s);
    s = NULL;
    rc = 0;
out:
    sqlite3_finalize(s);
    return rc;
}

static int same_list(size_t n1, char **a1, char **b1, size_t n2, char **a2, char **b2)
{
    size_t i;
    if (n1 != n2) return 0;
    for (i = 0; i < n1; i++)
        if (strcmp(a1[i], a2[i]) || strcmp(b1[i], b2[i])) return 0;
    return 1;
}

/* Every run must be of the same tuopin, pipeline, quarter, stages and
 * parameters as the first. */
/* Whether two runs of the same stages recorded the same roles and dimensions. */
static int same_roles(const run_in *a, const run_in *b)
{
    size_t n = a->nstages * sizeof(int);
    if (memcmp(a->stage_roles, b->stage_roles, n)) return 0;
    if (!a->stage_dims || !b->stage_dims) return !a->stage_dims && !b->stage_dims;
    return !memcmp(a->stage_dims, b->stage_dims, n);
}

static int check_alike(merger *m)
{
    const run_in *a = &m->run[0];
    size_t i;
    for (i = 1; i < m->nrun; i++) {
        const run_in *b = &m->run[i];
        const char *what = strcmp(a->version, b->version) ? _("tuopin version")
                         : strcmp(a->quarter, b->quarter) || strcmp(a->as_of, b->as_of) ? _("quarter")
                         : !same_list(a->nstages, a->stage_names, a->stage_versions,
                                      b->nstages, b->stage_names, b->stage_versions)
                           || !same_roles(a, b) ? _("stages")
                         : !same_list(a->nparams, a->param_names, a->param_values,
                                      b->nparams, b->param_names, b->param_values) ? _("parameters")
                         : a->has_satisfied != b->has_satisfied ? _("header (satisfied column)") : NULL;
        if (what)
            return fail(m, _("%s: its run differs from that in %s in its %s; the shards of one "
                        "merge must be run with one tuopin, pipeline and parameters"), b->dir, a->dir, what);
    }
    return 0;
}

/* The split folder: --split, else the folder of the first run's input. */
static int find_split(merger *m, const char *given)
{
    if (given) {
        snprintf(m->split_dir, sizeof m->split_dir, "%s", given);
    } else {
        const char *in = m->run[0].input_path, *slash = strrchr(in, '/');
        if (!slash) snprintf(m->split_dir, sizeof m->split_dir, ".");
        else if (slash == in) snprintf(m->split_dir, sizeof m->split_dir, "/");
        else snprintf(m->split_dir, sizeof m->split_dir, "%.*s", (int)(slash - in), in);
    }
    if (shard_manifest_read(m->split_dir, &m->man, m->err, m->errlen) < 0) {
        if (!given) {
            size_t n = strlen(m->err);
            snprintf(m->err + n, m->errlen - n, _(" (give the split folder with --split DIR)"));
        }
        return -1;
    }
    return 0;
}

/* Each run to its shard by the SHA-256 of its input; every shard once. */
static int match_shards(merger *m)
{
    size_t i, j;
    if (m->man.n == 0)
        return fail(m, _("%s: the split put no household in any shard (every row was rejected); "
                    "run the input as one job"), m->split_dir);
    for (i = 0; i < m->nrun; i++) {
        run_in *r = &m->run[i];
        for (j = 0; j < m->man.n && strcmp(m->man.s[j].sha256, r->input_sha); j++) ;
        if (j == m->man.n)
            return fail(m, _("%s: its input %s is not a shard of the split in %s (SHA-256 %s)"),
                        r->dir, r->input_path, m->split_dir, r->input_sha);
        r->shard = &m->man.s[j];
        for (j = 0; j < i; j++)
            if (m->run[j].shard == r->shard)
                return fail(m, _("%s and %s are runs of the same shard %s"), m->run[j].dir, r->dir,
                            r->shard->file);
        if (r->rows_rejected)
            return fail(m, _("%s: the run of shard %s rejected %llu rows; a shard holds only sound "
                        "households (was the shard file changed?)"), r->dir, r->shard->file, r->rows_rejected);
        if (r->households != r->shard->households + r->shard->ghosts
            || r->rows_evaluated != r->shard->rows + r->shard->ghost_rows)
            return fail(m, _("%s: %llu households in %llu rows, but shard %s has %llu in %llu"),
                        r->dir, r->households, r->rows_evaluated, r->shard->file,
                        r->shard->households + r->shard->ghosts, r->shard->rows + r->shard->ghost_rows);
    }
    for (j = 0; j < m->man.n; j++) {
        for (i = 0; i < m->nrun && m->run[i].shard != &m->man.s[j]; i++) ;
        if (i == m->nrun)
            return fail(m, _("shard %s (%s %s) of %s has no run among the folders given"),
                        m->man.s[j].file, m->man.by, m->man.s[j].code, m->split_dir);
    }
    if (m->man.rows_read != m->man.rows_evaluated + m->man.rows_rejected)
        return fail(m, _("%s/%s: rows do not add up"), m->split_dir, SHARD_MANIFEST);
    return 0;
}

/* ---- the aggregation from the partial counts ------------------------------------------------- */

static int build_agg(merger *m)
{
    const run_in *r0 = &m->run[0];
    kv_list kv;
    const tp_param_decl *d;
    size_t i;
    char msg[1024];
    int rc = -1;
    memset(&kv, 0, sizeof kv);
    params_init(&m->prm);
    if (params_declare(&m->prm, agg_param_decls, "counties", msg, sizeof msg) < 0)
        return fail(m, "%s", msg);
    for (i = 0; i < r0->nparams; i++)
        for (d = agg_param_decls; d->name; d++)
            if (!strcmp(d->name, r0->param_names[i])
                && kv_set(&kv, r0->param_names[i], r0->param_values[i], r0->path) < 0) {
                fail(m, _("out of memory"));
                goto out;
            }
    if (params_apply(&m->prm, &kv, msg, sizeof msg) < 0
        || params_finish(&m->prm, 0, "", msg, sizeof msg) < 0) {
        fail(m, "%s", msg);
        goto out;
    }
    m->agg = agg_new(&m->prm, r0->has_satisfied, (const char *const *)r0->stage_names, r0->stage_dims, r0->nstages,
                     msg, sizeof msg);
    if (!m->agg) {
        fail(m, "%s", msg);
        goto out;
    }
    if (!(m->names = rnames_load(m->region_names, msg, sizeof msg))) {
        fail(m, "%s", msg);
        goto out;
    }
    agg_set_names(m->agg, m->names);
    for (i = 0; i < m->nrun; i++)
        if (agg_partial_load(m->run[i].db, m->run[i].path, m->agg, SHARD_GHOST_REGION, m->err, m->errlen) < 0)
            goto out;
    rc = 0;
out:
    kv_free(&kv);
    return rc;
}

/* ---- reading the households of a run, in its order -------------------------------------- */

static int open_csv(merger *m, run_in *r, const char *name, FILE **f, csv_reader **c, const char *header)
{
    char path[4096];
    csv_record rec;
    size_t hl = strlen(header) - 1;   /* without its LF */
    snprintf(path, sizeof path, "%s/%s", r->dir, name);
    if (!(*f = fopen(path, "rb"))) return fail(m, _("%s: cannot open: %s"), path, strerror(errno));
    if (!(*c = csv_open(csv_read_file, *f, READ_BUF, MAX_RECORD))) return fail(m, _("out of memory"));
    if (csv_next(*c, &rec) != 1 || rec.raw_len != hl || memcmp(rec.raw, header, hl))
        return fail(m, _("%s: not the %s of a tuopin run of this version (header differs)"), path, name);
    return 0;
}

static int open_run(merger *m, run_in *r)
{
    char path[sizeof m->split_dir + 512];
    char *order = shard_order_name(r->shard->file);
    if (!order) return fail(m, _("out of memory"));
    snprintf(path, sizeof path, "%s/%s", m->split_dir, order);
    free(order);
    if (!(r->order_f = fopen(path, "r"))) return fail(m, _("%s: cannot open: %s"), path, strerror(errno));
    if (open_csv(m, r, "households.csv", &r->hh_f, &r->hh_csv, fmt_households_header) < 0
        || open_csv(m, r, "findings.csv", &r->fd_f, &r->fd_csv, fmt_findings_header) < 0)
        return -1;
    if (sqlite3_prepare_v2(r->db, "SELECT h.id, h.household_id, h.region_code, h.status, h.members,"
                           " h.net_income_cents, h.exit_ready, h.assessment, h.satisfied, p.byte_offset, p.line"
                           " FROM households h LEFT JOIN input_positions p ON p.household = h.id"
                           " ORDER BY h.id", -1, &r->q_hh, NULL) != SQLITE_OK
        || sqlite3_prepare_v2(r->db, "SELECT household, stage, severity, code, member, detail"
                              " FROM findings ORDER BY household, seq", -1, &r->q_f, NULL) != SQLITE_OK)
        return fail(m, "%s: %s", r->path, sqlite3_errmsg(r->db));
    r->f_row = sqlite3_step(r->q_f) == SQLITE_ROW;
    return 0;
}

/* The next entry of the order file: 1 with *line (0 for a ghost), 0 at the
 * end, -1 when malformed. */
static int next_order(run_in *r, unsigned long long *line)
{
    int c, any = 0;
    unsigned long long v = 0;
    c = getc_unlocked(r->order_f);
    if (c == EOF) return 0;
    if (c == 'g') {
        c = getc_unlocked(r->order_f);
        *line = 0;
        return c == '\n' ? 1 : -1;
    }
    for (; c >= '0' && c <= '9'; c = getc_unlocked(r->order_f)) {
        v = v * 10 + (unsigned long long)(c - '0');
        any = 1;
    }
    if (!any || c != '\n' || v == 0) return -1;
    *line = v;
    return 1;
}

static int put(merger *m, out_file *o, const char *p, size_t n)
{
    if ((n && fwrite(p, 1, n, o->f) != n) || putc('\n', o->f) == EOF)
        return fail(m, _("%s: cannot write: %s"), o->final_path, strerror(errno));
    return 0;
}

static int lookup_assessment(const char *s, hh_assessment *a)
{
    int k;
    for (k = 0; k <= HH_NOT_POOR; k++)
        if (!strcmp(hh_assessment_name((hh_assessment)k), s)) { *a = (hh_assessment)k; return 0; }
    return -1;
}

/* Takes the next household of run r from households.csv, findings.csv and
 * results.sqlite, checking that the three agree; writes it to the outputs
 * when emit (a ghost is only read past). */
static int take(merger *m, run_in *r, int emit)
{
    csv_record rec;
    rdb_household_row h;
    const char *hid, *status, *assess;
    sqlite3_int64 id;
    size_t nf = 0, i;
    int rc;
    char hid_csv[4096];

    if ((rc = csv_next(r->hh_csv, &rec)) != 1 || sqlite3_step(r->q_hh) != SQLITE_ROW)
        return fail(m, _("%s: households.csv or results.sqlite ends before the shard's order file"),
                    r->dir);
    if (rec.nfields < 1 || rec.fields[0].n >= sizeof hid_csv)
        return fail(m, _("%s/households.csv:%ld: not a households row"), r->dir, rec.line);
    memcpy(hid_csv, rec.fields[0].p, rec.fields[0].n + 1);
    id = sqlite3_column_int64(r->q_hh, 0);
    hid = (const char *)sqlite3_column_text(r->q_hh, 1);
    if (!hid || strcmp(hid, csv_text_value(hid_csv)))   /* the cell may be guarded (sb_csv_text) */
        return fail(m, _("%s: households.csv and results.sqlite disagree at household %s"), r->dir, hid_csv);
    if (emit && put(m, &m->o_hh, rec.raw, rec.raw_len) < 0) return -1;

    /* findings of this household: the database's rows give their number;
     * their texts go to the arena, as offsets until it stops moving */
    m->arena.n = 0;
    while (r->f_row && sqlite3_column_int64(r->q_f, 0) == id) {
        static const int cols[3] = { 1, 3, 5 };   /* stage, code, detail */
        const char *sev = (const char *)sqlite3_column_text(r->q_f, 2);
        size_t k;
        if (nf == m->fcap) {
            size_t ncap = m->fcap ? 2 * m->fcap : 64;
            rdb_finding_row *nr = realloc(m->frows, ncap * sizeof *nr);
            size_t *no = realloc(m->foff, 3 * ncap * sizeof *no);
            if (nr) m->frows = nr;
            if (no) m->foff = no;
            if (!nr || !no) return fail(m, _("out of memory"));
            m->fcap = ncap;
        }
        for (k = 0; k < 3; k++) {
            const char *x = (const char *)sqlite3_column_text(r->q_f, cols[k]);
            if (!x) x = "";
            m->foff[3 * nf + k] = m->arena.n;
            sb_put(&m->arena, x, strlen(x) + 1);
        }
        m->frows[nf].fail = sev && !strcmp(sev, "fail");
        m->frows[nf].member = sqlite3_column_type(r->q_f, 4) == SQLITE_NULL ? 0
                            : sqlite3_column_int64(r->q_f, 4);
        nf++;
        r->f_row = sqlite3_step(r->q_f) == SQLITE_ROW;
    }
    if (m->arena.oom) return fail(m, _("out of memory"));
    for (i = 0; i < nf; i++) {
        rdb_finding_row *f = &m->frows[i];
        f->stage = m->arena.p + m->foff[3 * i];
        f->code = m->arena.p + m->foff[3 * i + 1];
        f->detail = m->arena.p + m->foff[3 * i + 2];
        if (csv_next(r->fd_csv, &rec) != 1 || rec.nfields < 1 || strcmp(rec.fields[0].p, hid_csv))
            return fail(m, _("%s: findings.csv and results.sqlite disagree at household %s"), r->dir, hid_csv);
        if (emit && put(m, &m->o_fd, rec.raw, rec.raw_len) < 0) return -1;
        /* a run counts one script error per SCRIPT_ERROR finding (a failed
         * call of a script on a household); a ghost's are not the quarter's */
        if (!emit && !strcmp(f->code, "SCRIPT_ERROR")) r->ghost_script_errors++;
    }
    if (!emit) {
        const char *reg = (const char *)sqlite3_column_text(r->q_hh, 2);
        if (strncmp(hid, SHARD_GHOST_PREFIX, strlen(SHARD_GHOST_PREFIX)) || !reg
            || strcmp(reg, SHARD_GHOST_REGION))
            return fail(m, _("%s: household %s stands where the shard's order file has a ghost"), r->dir, hid);
        return 0;
    }
    memset(&h, 0, sizeof h);
    h.household_id = hid;
    h.region_code = (const char *)sqlite3_column_text(r->q_hh, 2);
    status = (const char *)sqlite3_column_text(r->q_hh, 3);
    h.members = sqlite3_column_int64(r->q_hh, 4);
    h.income_ok = sqlite3_column_type(r->q_hh, 5) != SQLITE_NULL;
    h.net = h.income_ok ? sqlite3_column_int64(r->q_hh, 5) : 0;
    h.exit_ready = sqlite3_column_int(r->q_hh, 6);
    assess = (const char *)sqlite3_column_text(r->q_hh, 7);
    h.satisfied = sqlite3_column_type(r->q_hh, 8) == SQLITE_NULL ? -1 : sqlite3_column_int(r->q_hh, 8);
    /* where it begins in the shard's input: explain reads it there */
    h.pos_offset = sqlite3_column_int64(r->q_hh, 9);
    h.pos_line = sqlite3_column_int64(r->q_hh, 10);
    if (!h.region_code || !status || !assess || val_status(status, &h.status) < 0
        || lookup_assessment(assess, &h.assessment) < 0)
        return fail(m, _("%s: household %s: unreadable row in results.sqlite"), r->path, hid);
    if (rdb_household_stored(m->rdb, &h, m->frows, nf) < 0) return fail(m, "%s", rdb_error(m->rdb));
    m->households++;
    m->rows += (unsigned long long)h.members;
    return 0;
}

/* Moves run r to its next real household, reading past ghosts.  Sets done
 * at the end (after checking that its files end too). */
static int advance(merger *m, run_in *r)
{
    for (;;) {
        unsigned long long line;
        csv_record rec;
        int rc = next_order(r, &line);
        if (rc < 0) return fail(m, _("%s: malformed order file of shard %s"), m->split_dir, r->shard->file);
        if (rc == 0) {
            if (csv_next(r->hh_csv, &rec) != 0 || csv_next(r->fd_csv, &rec) != 0
                || sqlite3_step(r->q_hh) != SQLITE_DONE || r->f_row)
                return fail(m, _("%s: more households than shard %s has"), r->dir, r->shard->file);
            r->done = 1;
            return 0;
        }
        if (line) {
            r->next_line = line;
            return 0;
        }
        if (take(m, r, 0) < 0) return -1;
    }
}

/* A binary heap of run indices on next_line (input lines are unique). */
static int heap_less(const merger *m, size_t a, size_t b)
{
    return m->run[m->heap[a]].next_line < m->run[m->heap[b]].next_line;
}

static void heap_swap(merger *m, size_t a, size_t b)
{
    size_t t = m->heap[a];
    m->heap[a] = m->heap[b];
    m->heap[b] = t;
}

static void heap_down(merger *m, size_t i)
{
    for (;;) {
        size_t l = 2 * i + 1, r = l + 1, s = i;
        if (l < m->nheap && heap_less(m, l, s)) s = l;
        if (r < m->nheap && heap_less(m, r, s)) s = r;
        if (s == i) return;
        heap_swap(m, i, s);
        i = s;
    }
}

static int merge_households(merger *m)
{
    size_t i;
    if (!(m->heap = malloc(m->nrun * sizeof *m->heap))) return fail(m, _("out of memory"));
    for (i = 0; i < m->nrun; i++) {
        if (open_run(m, &m->run[i]) < 0 || advance(m, &m->run[i]) < 0) return -1;
        if (!m->run[i].done) m->heap[m->nheap++] = i;
    }
    for (i = m->nheap; i-- > 0;) heap_down(m, i);
    while (m->nheap) {
        run_in *r = &m->run[m->heap[0]];
        if (take(m, r, 1) < 0 || advance(m, r) < 0) return -1;
        if (r->done) m->heap[0] = m->heap[--m->nheap];
        heap_down(m, 0);
    }
    if (m->households != m->man.households || m->rows != m->man.rows_evaluated)
        return fail(m, _("merged %llu households in %llu rows, the split has %llu in %llu"),
                    m->households, m->rows, m->man.households, m->man.rows_evaluated);
    return 0;
}

/* ---- the split's rejects ---------------------------------------------------------------------- */

static int merge_rejects(merger *m)
{
    char path[sizeof m->split_dir + 64], buf[65536];
    shard_reject_reader rr;
    shard_reject rj;
    unsigned long long n = 0;
    FILE *f;
    size_t got;
    int rc;
    snprintf(path, sizeof path, "%s/%s", m->split_dir, SHARD_REJECTS_CSV);
    if (!(f = fopen(path, "rb"))) return fail(m, _("%s: cannot open: %s"), path, strerror(errno));
    /* merge's own file has its byte-order mark already (output.h): a split
     * of an older tuopin may have written one too */
    if ((got = fread(buf, 1, 3, f)) > 0 && !(got == 3 && !memcmp(buf, OUT_UTF8_BOM, 3))
        && fwrite(buf, 1, got, m->o_rj.f) != got) {
        fclose(f);
        return fail(m, _("%s: cannot write: %s"), m->o_rj.final_path, strerror(errno));
    }
    while ((got = fread(buf, 1, sizeof buf, f)) > 0)
        if (fwrite(buf, 1, got, m->o_rj.f) != got) {
            fclose(f);
            return fail(m, _("%s: cannot write: %s"), m->o_rj.final_path, strerror(errno));
        }
    rc = ferror(f);
    fclose(f);
    if (rc) return fail(m, _("%s: read error"), path);

    snprintf(path, sizeof path, "%s/%s", m->split_dir, SHARD_REJECTS_BIN);
    if (!(f = fopen(path, "rb"))) return fail(m, _("%s: cannot open: %s"), path, strerror(errno));
    memset(&rr, 0, sizeof rr);
    rr.f = f;
    while ((rc = shard_reject_next(&rr, &rj)) == 1) {
        n++;
        if (rdb_reject(m->rdb, rj.line, rj.household_id, rj.code, rj.detail, rj.raw, rj.raw_len) < 0) {
            rc = -2;
            break;
        }
    }
    free(rr.buf);
    fclose(f);
    if (rc == -2) return fail(m, "%s", rdb_error(m->rdb));
    if (rc < 0 || n != m->man.rows_rejected) return fail(m, _("%s: unreadable or incomplete"), path);
    return 0;
}

/* ---- the whole merge --------------------------------------------------------------------------- */

static time_t parse_iso(const char *s)
{
    struct tm t;
    memset(&t, 0, sizeof t);
    if (sscanf(s, "%4d-%2d-%2dT%2d:%2d:%2dZ", &t.tm_year, &t.tm_mon, &t.tm_mday, &t.tm_hour,
               &t.tm_min, &t.tm_sec) != 6)
        return 0;
    t.tm_year -= 1900;
    t.tm_mon -= 1;
    return timegm(&t);
}

/* What explain needs of the merged run, from the first shard run (the
 * runs agree on stages and parameters) and the split: the parameters'
 * origins, how the inputs were read, and each shard's input file. */
typedef struct own_input {
    char **col[5];               /* param_origins: stage, name, value, origin, source */
    size_t n;
    char *set[6];                /* format, encoding, mapping, skip_rows, seekable, national_line_row */
    char **codes, **paths, **shas;
    size_t nshards;
} own_input;

static void own_input_free(own_input *o)
{
    size_t i, k;
    for (k = 0; k < 5; k++) {
        for (i = 0; i < o->n && o->col[k]; i++) free(o->col[k][i]);
        free(o->col[k]);
    }
    for (k = 0; k < 6; k++) free(o->set[k]);
    for (i = 0; i < o->nshards; i++) {
        free(o->paths[i]);
        if (o->codes) free(o->codes[i]);
    }
    free(o->codes);
    free(o->paths);
    free(o->shas);
}

static int own_input_load(merger *m, own_input *o, run_meta *meta)
{
    static const char *const keys[6] = { "format", "encoding", "mapping", "skip_rows", "seekable",
                                         "national_line_row" };
    const run_in *r0 = &m->run[0];
    sqlite3_stmt *s = NULL;
    size_t i, k;
    memset(o, 0, sizeof *o);
    if (sqlite3_prepare_v2(r0->db, "SELECT count(*) FROM param_origins", -1, &s, NULL) != SQLITE_OK
        || sqlite3_step(s) != SQLITE_ROW)
        goto db;
    o->n = (size_t)sqlite3_column_int64(s, 0);
    sqlite3_finalize(s);
    s = NULL;
    for (k = 0; k < 5; k++)
        if (!(o->col[k] = calloc(o->n ? o->n : 1, sizeof *o->col[k]))) goto oom;
    if (sqlite3_prepare_v2(r0->db, "SELECT stage, name, value, origin, source FROM param_origins", -1, &s, NULL)
        != SQLITE_OK)
        goto db;
    for (i = 0; i < o->n && sqlite3_step(s) == SQLITE_ROW; i++)
        for (k = 0; k < 5; k++)
            if (sqlite3_column_type(s, (int)k) != SQLITE_NULL
                && !(o->col[k][i] = strdup((const char *)sqlite3_column_text(s, (int)k))))
                goto oom;
    sqlite3_finalize(s);
    s = NULL;
    if (sqlite3_prepare_v2(r0->db, "SELECT value FROM input_settings WHERE key=?", -1, &s, NULL) != SQLITE_OK)
        goto db;
    for (k = 0; k < 6; k++) {
        sqlite3_bind_text(s, 1, keys[k], -1, SQLITE_STATIC);
        if (sqlite3_step(s) == SQLITE_ROW && sqlite3_column_text(s, 0)
            && !(o->set[k] = strdup((const char *)sqlite3_column_text(s, 0))))
            goto oom;
        sqlite3_reset(s);
    }
    sqlite3_finalize(s);
    s = NULL;
    o->nshards = m->man.n;
    if (!(o->codes = calloc(o->nshards + 1, sizeof *o->codes)) || !(o->paths = calloc(o->nshards + 1, sizeof *o->paths))
        || !(o->shas = calloc(o->nshards + 1, sizeof *o->shas)))
        goto oom;
    for (i = 0; i < o->nshards; i++) {
        char p[sizeof m->split_dir + 512];
        snprintf(p, sizeof p, "%s/%s", m->split_dir, m->man.s[i].file);
        o->codes[i] = strdup(m->man.s[i].code);
        o->shas[i] = m->man.s[i].sha256;
        if (!o->codes[i] || !(o->paths[i] = realpath(p, NULL))) o->paths[i] = strdup(p);
        if (!o->codes[i] || !o->paths[i]) goto oom;
    }
    meta->ncopied_origins = o->n;
    meta->co_stage = (const char *const *)o->col[0];
    meta->co_name = (const char *const *)o->col[1];
    meta->co_value = (const char *const *)o->col[2];
    meta->co_origin = (const char *const *)o->col[3];
    meta->co_source = (const char *const *)o->col[4];
    meta->input_format = o->set[0];
    meta->input_encoding = o->set[1];
    meta->input_mapping = o->set[2];
    meta->input_skip_rows = o->set[3] ? atoi(o->set[3]) : 0;
    meta->input_seekable = o->set[4] && !strcmp(o->set[4], "1");
    meta->income_line_row = o->set[5];
    meta->nshards = o->nshards;
    meta->shard_codes = (const char *const *)o->codes;
    meta->shard_paths = (const char *const *)o->paths;
    meta->shard_shas = (const char *const *)o->shas;
    return 0;
db:
    sqlite3_finalize(s);
    return fail(m, "%s: %s", r0->path, sqlite3_errmsg(r0->db));
oom:
    sqlite3_finalize(s);
    return fail(m, _("out of memory"));
}

static int finish_outputs(merger *m)
{
    own_input own;
    const run_in *r0 = &m->run[0];
    run_meta meta;
    char msg[1024];
    size_t i;
    plugin *plugs;
    const tp_code_list **codes;
    const char **titles;
    int rc;
    time_t started = 0;
    memset(&meta, 0, sizeof meta);
    if (own_input_load(m, &own, &meta) < 0) {
        own_input_free(&own);
        return -1;
    }
    for (i = 0; i < m->nrun; i++) {
        time_t t = parse_iso(m->run[i].started);
        if (t && (!started || t < started)) started = t;
        meta.script_errors += m->run[i].script_errors - m->run[i].ghost_script_errors;
    }
    meta.tuopin_version = r0->version;
    meta.pipeline_path = r0->pipeline;
    meta.quarter = r0->quarter;
    meta.as_of = r0->as_of;
    meta.input_path = m->man.input_path;
    meta.input_bytes = m->man.input_bytes;
    memcpy(meta.input_sha256, m->man.input_sha256, sizeof meta.input_sha256);
    meta.nstages = r0->nstages;
    meta.stage_names = (const char *const *)r0->stage_names;
    meta.stage_versions = (const char *const *)r0->stage_versions;
    meta.nparams = r0->nparams;
    meta.param_names = (const char *const *)r0->param_names;
    meta.param_values = (const char *const *)r0->param_values;
    meta.started = started ? started : time(NULL);
    meta.finished = time(NULL);
    meta.rows_read = m->man.rows_read;
    meta.rows_evaluated = m->man.rows_evaluated;
    meta.rows_rejected = m->man.rows_rejected;
    meta.households = m->man.households;
    meta.blocks_rejected = m->man.blocks_rejected;
    meta.has_satisfied = r0->has_satisfied;
    /* standard §4: a stage declaring the income role ran (as the shards
     * recorded it in stage_roles) */
    meta.stage_roles = r0->stage_roles;
    for (i = 0; i < meta.nstages; i++) meta.income_ran |= r0->stage_roles[i] == TP_ROLE_INCOME;
    for (i = 0; i < meta.nparams; i++)
        if (!strcmp(meta.param_names[i], "income_line")) meta.income_line = meta.param_values[i];
    /* The codes' descriptions for report.html, as the single run has them:
     * from the stages found by name (rule scripts declare none). */
    plugs = calloc(meta.nstages ? meta.nstages : 1, sizeof *plugs);
    codes = calloc(meta.nstages ? meta.nstages : 1, sizeof *codes);
    titles = calloc(meta.nstages ? 2 * meta.nstages : 1, sizeof *titles); /* English, then Chinese */
    if (!plugs || !codes || !titles) {
        free(plugs);
        free(codes);
        free(titles);
        own_input_free(&own);
        return fail(m, _("out of memory"));
    }
    for (i = 0; i < meta.nstages; i++)
        if (plugin_load(meta.stage_names[i], &plugs[i], msg, sizeof msg) == 0) {
            codes[i] = &plugs[i].desc->codes;
            titles[i] = plugs[i].desc->title;
            titles[meta.nstages + i] = plugs[i].desc->title_zh;
        }
    meta.stage_codes = codes;
    meta.stage_titles = titles;
    meta.stage_titles_zh = titles + meta.nstages;
    meta.income_line_origin = r0->line_origin;
    {
        static const char pre[] = "NOT the national standard: ";
        if (r0->standard && !strncmp(r0->standard, pre, sizeof pre - 1))
            meta.below_standard = r0->standard + sizeof pre - 1;
    }
    /* The database's thread stops before agg_write_pending forks the
     * workbook's writer, as in a run (rdb_drain: no thread inside malloc or
     * holding a lock at the fork). */
    rc = mr_write(&m->mr, m->agg, m->out_dir, msg, sizeof msg) < 0
         || rdb_drain(m->rdb, msg, sizeof msg) < 0
         || agg_write_pending(m->agg, m->out_dir, &meta, &m->agg_out, msg, sizeof msg) < 0
         || rdb_finish_pending(m->rdb, &meta, m->agg, msg, sizeof msg) < 0;
    for (i = 0; i < meta.nstages; i++)
        if (codes[i]) plugin_unload(&plugs[i]);
    free(plugs);
    free(codes);
    free(titles);
    own_input_free(&own);
    if (rc) return fail(m, "%s", msg);
    if (out_commit(&m->o_hh, msg, sizeof msg) < 0 || out_commit(&m->o_fd, msg, sizeof msg) < 0
        || out_commit(&m->o_rj, msg, sizeof msg) < 0 || mr_commit(&m->mr, msg, sizeof msg) < 0
        || agg_commit_pending(&m->agg_out, msg, sizeof msg) < 0)
        return fail(m, "%s", msg);
    {
        rdb *db = m->rdb;
        m->rdb = NULL;   /* rdb_commit frees it in every case */
        if (rdb_commit(db, msg, sizeof msg) < 0) return fail(m, "%s", msg);
    }
    return 0;
}

static int merge_run(merger *m, char **dirs, const char *split)
{
    char msg[1024];
    size_t i;
    for (i = 0; i < m->nrun; i++) {
        m->run[i].dir = dirs[i];
        if (read_run_record(m, &m->run[i]) < 0) return -1;
    }
    if (check_alike(m) < 0 || find_split(m, split) < 0 || match_shards(m) < 0 || build_agg(m) < 0)
        return -1;
    {
        char **rd = malloc(m->nrun * sizeof *rd);
        sqlite3 **dbs = malloc(m->nrun * sizeof *dbs);
        const char **paths = malloc(m->nrun * sizeof *paths);
        char ghost[7];
        int rc = -1;
        snprintf(ghost, sizeof ghost, "%.6s", SHARD_GHOST_REGION);
        if (rd && dbs && paths) {
            for (i = 0; i < m->nrun; i++) {
                rd[i] = (char *)(uintptr_t)m->run[i].dir;
                dbs[i] = m->run[i].db;
                paths[i] = m->run[i].path;
            }
            rc = mr_load(&m->mr, rd, dbs, paths, m->nrun, ghost, m->err, m->errlen);
        } else {
            fail(m, _("out of memory"));
        }
        free(rd);
        free(dbs);
        free(paths);
        if (rc < 0) return -1;
    }
    if (out_mkdir(m->out_dir, msg, sizeof msg) < 0 || out_open(&m->o_hh, m->out_dir, "households.csv", msg, sizeof msg) < 0
        || out_open(&m->o_fd, m->out_dir, "findings.csv", msg, sizeof msg) < 0
        || out_open(&m->o_rj, m->out_dir, "rejects.csv", msg, sizeof msg) < 0
        || !(m->rdb = rdb_open(m->out_dir, msg, sizeof msg)))
        return fail(m, "%s", msg);
    fputs(fmt_households_header, m->o_hh.f);
    fputs(fmt_findings_header, m->o_fd.f);
    if (merge_households(m) < 0 || merge_rejects(m) < 0) return -1;
    return finish_outputs(m);
}

static void free_run(run_in *r)
{
    size_t i;
    free(r->version); free(r->pipeline); free(r->quarter); free(r->as_of);
    free(r->input_path); free(r->input_sha); free(r->started);
    free(r->line_origin); free(r->standard);
    for (i = 0; i < r->nstages; i++) { free(r->stage_names[i]); free(r->stage_versions[i]); }
    for (i = 0; i < r->nparams; i++) { free(r->param_names[i]); free(r->param_values[i]); }
    free(r->stage_names); free(r->stage_versions); free(r->param_names); free(r->param_values);
    free(r->stage_roles); free(r->stage_dims);
    sqlite3_finalize(r->q_hh);
    sqlite3_finalize(r->q_f);
    if (r->db) sqlite3_close(r->db);
    if (r->hh_csv) csv_close(r->hh_csv);
    if (r->fd_csv) csv_close(r->fd_csv);
    if (r->hh_f) fclose(r->hh_f);
    if (r->fd_f) fclose(r->fd_f);
    if (r->order_f) fclose(r->order_f);
}

static void merge_usage(FILE *f)
{
    fputs(_("Usage: tuopin merge RUN_DIR... --out DIR [--split SPLIT_DIR] [--region-names FILE] [--quiet]\n"
          "Combine the outputs of the shard runs of one `tuopin split` into the outputs a\n"
          "single run of the whole quarter gives: households.csv, findings.csv and\n"
          "rejects.csv in input order, counties, summaries, the AF view, the reports and\n"
          "results.sqlite recomputed from the runs' partial counts.\n"
          "\n"
          "  --out DIR          the merged output folder\n"
          "  --split SPLIT_DIR  the split folder (default: the folder of the first run's\n"
          "                     input, as its results.sqlite records it)\n"
          "  --region-names FILE  the regions' names (CSV: code,name[,name_en]), as the\n"
          "                     shard runs' --region-names\n"
          "  --quiet            no closing line on standard error\n"), f);
    fputs(cmdline_csv_bom_help(), f);
    fputs(_("\n"
          "Every shard of the split needs exactly one run; runs are matched to shards by\n"
          "the SHA-256 of their input.  See docs/sharding.md.\n"), f);
}

int merge_main(int argc, char **argv)
{
    merger m;
    char err[2048];
    const char *out = NULL, *split = NULL, *names = NULL;
    char **dirs;
    size_t ndirs = 0, i;
    int quiet = 0, rc, o;
    cmdline cl;
    static const struct option merge_options[] = {
        CMDLINE_VALUE("out", 'o'), CMDLINE_VALUE("split", 's'), CMDLINE_FLAG("quiet", 'q'),
        CMDLINE_VALUE("region-names", 'R'), CMDLINE_CSV_BOM, CMDLINE_HELP_END
    };
    if (!(dirs = calloc((size_t)argc, sizeof *dirs))) {
        fprintf(stderr, _("tuopin: out of memory\n"));
        return 1;
    }
    cmdline_init(&cl, "merge", argc, argv, "hq", merge_options);
    while ((o = cmdline_next(&cl)) != CMDLINE_END) {
        switch (o) {
        case 'h':
            merge_usage(stdout);
            free(dirs);
            return 0;
        case 'q': quiet = 1; break;
        case 'o': out = cl.arg; break;
        case 's': split = cl.arg; break;
        case 'R': names = cl.arg; break;
        case CMDLINE_OPERAND: dirs[ndirs++] = (char *)cl.arg; break;
        default: free(dirs); return 2;
        }
    }
    if (!ndirs || !out) {
        free(dirs);
        return cmdline_usage_error(&cl, _("give the run folders and --out"));
    }
    memset(&m, 0, sizeof m);
    m.out_dir = out;
    m.region_names = names;
    m.nrun = ndirs;
    m.err = err;
    m.errlen = sizeof err;
    err[0] = '\0';
    params_init(&m.prm);
    if (!(m.run = calloc(ndirs, sizeof *m.run))) {
        free(dirs);
        fprintf(stderr, _("tuopin: out of memory\n"));
        return 1;
    }
    rc = merge_run(&m, dirs, split);
    if (rc < 0) {
        fprintf(stderr, _("tuopin: %s\n"), err[0] ? err : _("merge failed"));
    } else if (!quiet) {
        fprintf(stderr, _("tuopin: merged %zu shard runs of %s: %llu rows read = %llu rows in %llu "
                "evaluated households + %llu rows rejected; %llu resident IDs repeat one first seen "
                "in another shard (ID_DUPLICATE); outputs in %s\n"),
                m.nrun, m.man.input_path, m.man.rows_read, m.man.rows_evaluated, m.man.households,
                m.man.rows_rejected, m.man.cross_duplicates, out);
    }
    out_abort(&m.o_hh);
    out_abort(&m.o_fd);
    out_abort(&m.o_rj);
    agg_abort_pending(&m.agg_out);
    rdb_abort(m.rdb);
    mr_free(&m.mr);
    agg_free(m.agg);
    rnames_free(m.names);
    params_free(&m.prm);
    for (i = 0; i < m.nrun; i++) free_run(&m.run[i]);
    free(m.run);
    free(m.heap);
    free(m.frows);
    free(m.foff);
    sb_free(&m.arena);
    shard_manifest_free(&m.man);
    free(dirs);
    return rc < 0 ? 1 : 0;
}
