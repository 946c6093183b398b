/* resultsdb.c — results.sqlite: households, findings and rejects streamed in
 * through prepared statements inside one transaction, then the run record,
 * parameters, stages, regions, failures, the AF view and counties at the end.
 *
 * Speed: SQLite costs about a microsecond per row, as much as the rest of
 * the engine's serial writer.  So rdb_household and rdb_reject only copy the
 * row into a batch (a few hundred bytes, no allocation once the two batches
 * have grown), and a database thread of this module stores full batches
 * while the caller fills the other one.  Memory: two batches of about
 * RDB_BATCH_BYTES.
 *
 * Safety: the database is a temporary file made by out_open (mode 0600) that
 * nobody else sees until out_commit renames it, so the rollback journal and
 * fsyncs are switched off while it is written (a crash leaves only the
 * temporary file, which a later run removes or overwrites). */
#define _POSIX_C_SOURCE 200809L
#include "resultsdb.h"
#include "resultsdb_tables.h"
#include "agg_internal.h"
#include "csv.h"
#include "output.h"
#include "sqlite_direct.h"
#include "sbuf.h"
#include "values.h"
#include "i18n.h"
#include "fail.h"

#include <pthread.h>
#include <sqlite3.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/stat.h>

#define RDB_BATCH_BYTES (1u << 20)
#define RDB_ROWS 32      /* rows per INSERT: 40% less CPU than one at a time */
#define HH_COLS 10
#define F_COLS 7
#define P_COLS 3

/* Rows waiting to be stored, encoded back to back (see put_* / get_*). */
typedef sbuf rdb_batch;

struct rdb {
    out_file o;
    sqlite3 *db;
    sqlite3_stmt *ins_hh, *ins_f, *ins_rej;   /* one row */
    sqlite3_stmt *ins_hh_n, *ins_f_n;         /* RDB_ROWS rows */
    sqlite3_stmt *ins_p, *ins_p_n;            /* input_positions: one, RDB_ROWS */
    sqlite3_int64 next_id;           /* households stored so far (database thread) */

    /* hand-off between the caller and the database thread, under mu */
    pthread_mutex_t mu;
    pthread_cond_t cv;
    pthread_t thread;
    int thread_started;
    rdb_batch batch[2];
    int filling;                     /* batch the caller appends to (caller only) */
    int queued;                      /* batch handed to the thread, or -1 */
    int stop;
    int failed;
    char err[512];                   /* written before failed is set */
};

static const char schema_stream[] =
    "PRAGMA journal_mode=OFF;"
    "PRAGMA synchronous=OFF;"
    "PRAGMA locking_mode=EXCLUSIVE;"
    "PRAGMA temp_store=MEMORY;"
    "PRAGMA cache_size=-8192;"          /* appends in key order: a small cache does */
    "PRAGMA mmap_size=0;"               /* no mapped reads next to direct writes */
    "PRAGMA foreign_keys=OFF;"
    "CREATE TABLE households("
    " id INTEGER PRIMARY KEY,"            /* input order, from 1 */
    " household_id TEXT NOT NULL,"
    " region_code TEXT NOT NULL,"
    " status TEXT NOT NULL,"
    " members INTEGER NOT NULL,"
    " net_income_cents INTEGER,"          /* NULL when an income component is bad */
    " income_pc_cents INTEGER,"           /* rounded half away from zero; NULL as in households.csv */
    " exit_ready INTEGER NOT NULL,"
    " assessment TEXT NOT NULL,"
    " satisfied INTEGER);"                /* 1 yes, 0 no, NULL blank, bad or no column */
    "CREATE TABLE findings("
    " household INTEGER NOT NULL REFERENCES households(id),"
    " seq INTEGER NOT NULL,"              /* order within the household, from 1 */
    " stage TEXT NOT NULL, severity TEXT NOT NULL, code TEXT NOT NULL,"
    " member INTEGER, detail TEXT NOT NULL,"
    " PRIMARY KEY(household, seq)) WITHOUT ROWID;"
    "CREATE TABLE rejects("
    " line INTEGER NOT NULL, household_id TEXT NOT NULL, code TEXT NOT NULL,"
    " detail TEXT NOT NULL, raw);"        /* TEXT, or BLOB when not valid UTF-8 */
    /* where each household's first record begins in the input, for
     * `tuopin explain` (docs/explain.md); empty in merged runs */
    "CREATE TABLE input_positions("
    " household INTEGER PRIMARY KEY,"     /* households.id */
    " byte_offset INTEGER NOT NULL,"      /* of the bytes read (the file's, for UTF-8 CSV) */
    " line INTEGER NOT NULL);"            /* physical line, from 1 */
    "BEGIN;";

/* Words the first error (file, what, SQLite's reason) into d->err.
 * RETURN -1.  Setting d->failed is left to the caller (under mu while the
 * database thread runs). */
static int rdb_fail(rdb *d, const char *what)
{
    if (!d->err[0])
        fail_db(d->db, d->o.final_path ? d->o.final_path : "results.sqlite", what, d->err, sizeof d->err);
    return -1;
}

/* RETURN: SQLite's status of closing the connection. */
static int close_db(rdb *d)
{
    int rc = SQLITE_OK;
    sqlite3_finalize(d->ins_hh);
    sqlite3_finalize(d->ins_f);
    sqlite3_finalize(d->ins_rej);
    sqlite3_finalize(d->ins_hh_n);
    sqlite3_finalize(d->ins_f_n);
    sqlite3_finalize(d->ins_p);
    sqlite3_finalize(d->ins_p_n);
    d->ins_hh = d->ins_f = d->ins_rej = d->ins_hh_n = d->ins_f_n = d->ins_p = d->ins_p_n = NULL;
    if (d->db && (rc = sqlite3_close(d->db)) != SQLITE_OK)
        sqlite3_close_v2(d->db); /* frees it once whatever holds it is gone */
    d->db = NULL;
    return rc;
}

static int step(rdb *d, sqlite3_stmt *s, const char *what)
{
    int rc = sqlite3_step(s);
    sqlite3_reset(s);
    sqlite3_clear_bindings(s);
    return rc == SQLITE_DONE ? 0 : rdb_fail(d, what);
}

/* step for statements whose every parameter is bound each time. */
static int step_bound(rdb *d, sqlite3_stmt *s, const char *what)
{
    int rc = sqlite3_step(s);
    sqlite3_reset(s);
    return rc == SQLITE_DONE ? 0 : rdb_fail(d, what);
}

static void bind_text(sqlite3_stmt *s, int i, const char *t)
{
    sqlite3_bind_text(s, i, t, -1, SQLITE_STATIC);
}

/* ---- batch encoding --------------------------------------------------------------- */

static void put_raw(rdb_batch *b, const void *p, size_t n) { memcpy(b->p + b->n, p, n); b->n += n; }
static void put_u8(rdb_batch *b, unsigned v) { b->p[b->n++] = (char)(unsigned char)v; }
static void put_i64(rdb_batch *b, int64_t v) { put_raw(b, &v, sizeof v); }
static void put_str(rdb_batch *b, const char *s, size_t n)
{
    uint32_t len = (uint32_t)n;
    put_raw(b, &len, sizeof len);
    put_raw(b, s, n);
}

/* A household's fixed part: 'H', where it begins in the input (offset and
 * line, line 0 when not known), its id and region, status, members, net
 * income (NULL: not known), exit readiness, assessment, satisfaction (0, 1,
 * 2 unknown) and the number of findings that follow. */
static void put_household(rdb_batch *b, int64_t offset, int64_t line, const char *hid, size_t hid_len,
                          const char *reg, size_t reg_len,
                          unsigned status, int64_t members, const int64_t *net, int ready,
                          unsigned assessment, unsigned satisfied, uint32_t nf)
{
    put_u8(b, 'H');
    put_i64(b, offset);
    put_i64(b, line);
    put_str(b, hid, hid_len);
    put_str(b, reg, reg_len);
    put_u8(b, status);
    put_i64(b, members);
    put_u8(b, net != NULL);
    put_i64(b, net ? *net : 0);
    put_u8(b, ready != 0);
    put_u8(b, assessment);
    put_u8(b, satisfied);
    put_raw(b, &nf, sizeof nf);
}

/* Room for more bytes in the batch.  RETURN 0, or -1 with d->err. */
static int reserve(rdb *d, rdb_batch *b, size_t more)
{
    if (sb_grow(b, more) == 0) return 0;
    if (!d->err[0]) snprintf(d->err, sizeof d->err, _("out of memory"));
    return -1;
}

typedef struct cursor { const unsigned char *p; } cursor;

static unsigned get_u8(cursor *c) { return *c->p++; }
static int64_t get_i64(cursor *c) { int64_t v; memcpy(&v, c->p, sizeof v); c->p += sizeof v; return v; }
static const char *get_str(cursor *c, int *len)
{
    uint32_t n;
    const char *s;
    memcpy(&n, c->p, sizeof n);
    s = (const char *)c->p + sizeof n;
    c->p += sizeof n + n;
    *len = (int)n;
    return s;
}

/* A household or finding decoded from a batch; text points into it. */
typedef struct hh_row {
    sqlite3_int64 id, members, net;
    const char *hid, *region;
    int hid_len, region_len;
    unsigned status, income_ok, ready, assessment, satisfied;
} hh_row;

typedef struct p_row {
    sqlite3_int64 household, offset, line;
} p_row;

typedef struct f_row {
    sqlite3_int64 household, seq, member;
    const char *stage, *code, *detail;
    int stage_len, code_len, detail_len;
    unsigned fail;
} f_row;

static void bind_hh(sqlite3_stmt *s, int c, const hh_row *r)
{
    sqlite3_bind_int64(s, c + 1, r->id);
    sqlite3_bind_text(s, c + 2, r->hid, r->hid_len, SQLITE_STATIC);
    sqlite3_bind_text(s, c + 3, r->region, r->region_len, SQLITE_STATIC);
    bind_text(s, c + 4, val_status_name((tp_status)r->status));
    sqlite3_bind_int64(s, c + 5, r->members);
    if (r->income_ok) {
        sqlite3_bind_int64(s, c + 6, r->net);
        sqlite3_bind_int64(s, c + 7, val_div_round(r->net, r->members));
    } else {
        sqlite3_bind_null(s, c + 6);
        sqlite3_bind_null(s, c + 7);
    }
    sqlite3_bind_int(s, c + 8, (int)r->ready);
    bind_text(s, c + 9, hh_assessment_name((hh_assessment)r->assessment));
    if (r->satisfied < 2) sqlite3_bind_int(s, c + 10, (int)r->satisfied);
    else sqlite3_bind_null(s, c + 10);
}

static void bind_f(sqlite3_stmt *s, int c, const f_row *r)
{
    sqlite3_bind_int64(s, c + 1, r->household);
    sqlite3_bind_int64(s, c + 2, r->seq);
    sqlite3_bind_text(s, c + 3, r->stage, r->stage_len, SQLITE_STATIC);
    bind_text(s, c + 4, r->fail ? "fail" : "warn");
    sqlite3_bind_text(s, c + 5, r->code, r->code_len, SQLITE_STATIC);
    if (r->member) sqlite3_bind_int64(s, c + 6, r->member);
    else sqlite3_bind_null(s, c + 6);
    sqlite3_bind_text(s, c + 7, r->detail, r->detail_len, SQLITE_STATIC);
}

static void bind_p(sqlite3_stmt *s, int c, const p_row *r)
{
    sqlite3_bind_int64(s, c + 1, r->household);
    sqlite3_bind_int64(s, c + 2, r->offset);
    sqlite3_bind_int64(s, c + 3, r->line);
}

/* How one table's rows are stored: a statement for RDB_ROWS rows at once
 * and one for a single row, and what a failure of each is called. */
typedef struct row_kind {
    void (*bind)(sqlite3_stmt *s, int c, const void *row);
    size_t size, cols;
    const char *what_many, *what_one;
} row_kind;

static void bind_hh_row(sqlite3_stmt *s, int c, const void *row) { bind_hh(s, c, row); }
static void bind_f_row(sqlite3_stmt *s, int c, const void *row) { bind_f(s, c, row); }
static void bind_p_row(sqlite3_stmt *s, int c, const void *row) { bind_p(s, c, row); }

/* Inserts the n rows held: RDB_ROWS at once, fewer one by one. */
static int flush(rdb *d, const row_kind *k, sqlite3_stmt *many, sqlite3_stmt *one, const void *rows, int n)
{
    const char *p = rows;
    int i;
    if (n == RDB_ROWS) {
        for (i = 0; i < n; i++) k->bind(many, i * (int)k->cols, p + (size_t)i * k->size);
        return step_bound(d, many, k->what_many);
    }
    for (i = 0; i < n; i++) {
        k->bind(one, 0, p + (size_t)i * k->size);
        if (step_bound(d, one, k->what_one) < 0) return -1;
    }
    return 0;
}

static int flush_hh(rdb *d, const hh_row *rows, int n)
{
    const row_kind k = { bind_hh_row, sizeof *rows, HH_COLS, _("cannot store households"),
                         _("cannot store a household") };
    return flush(d, &k, d->ins_hh_n, d->ins_hh, rows, n);
}

static int flush_f(rdb *d, const f_row *rows, int n)
{
    const row_kind k = { bind_f_row, sizeof *rows, F_COLS, _("cannot store findings"),
                         _("cannot store a finding") };
    return flush(d, &k, d->ins_f_n, d->ins_f, rows, n);
}

static int flush_p(rdb *d, const p_row *rows, int n)
{
    const row_kind k = { bind_p_row, sizeof *rows, P_COLS, _("cannot store input positions"),
                         _("cannot store an input position") };
    return flush(d, &k, d->ins_p_n, d->ins_p, rows, n);
}

/* Stores one batch (database thread).  RETURN 0 or -1 with d->err. */
static int store_batch(rdb *d, const rdb_batch *b)
{
    hh_row hr[RDB_ROWS];
    f_row fr[RDB_ROWS];
    p_row pr[RDB_ROWS];
    int nh = 0, nf = 0, np = 0, len;
    cursor c;
    const unsigned char *end = (const unsigned char *)b->p + b->n;
    const char *t;
    c.p = (const unsigned char *)b->p;
    while (c.p < end) {
        if (get_u8(&c) == 'H') {
            hh_row *r = &hr[nh];
            uint32_t n, i;
            int64_t off, line;
            r->id = ++d->next_id;
            off = get_i64(&c);
            line = get_i64(&c);
            if (line > 0) {
                pr[np].household = r->id;
                pr[np].offset = off;
                pr[np].line = line;
                if (++np == RDB_ROWS) {
                    if (flush_p(d, pr, np) < 0) return -1;
                    np = 0;
                }
            }
            r->hid = get_str(&c, &r->hid_len);
            r->region = get_str(&c, &r->region_len);
            r->status = get_u8(&c);
            r->members = get_i64(&c);
            r->income_ok = get_u8(&c);
            r->net = get_i64(&c);
            r->ready = get_u8(&c);
            r->assessment = get_u8(&c);
            r->satisfied = get_u8(&c);
            if (++nh == RDB_ROWS) {
                if (flush_hh(d, hr, nh) < 0) return -1;
                nh = 0;
            }
            memcpy(&n, c.p, sizeof n);
            c.p += sizeof n;
            for (i = 0; i < n; i++) {
                f_row *f = &fr[nf];
                f->household = d->next_id;
                f->seq = i + 1;
                f->stage = get_str(&c, &f->stage_len);
                f->fail = get_u8(&c);
                f->code = get_str(&c, &f->code_len);
                f->member = get_i64(&c);
                f->detail = get_str(&c, &f->detail_len);
                if (++nf == RDB_ROWS) {
                    if (flush_f(d, fr, nf) < 0) return -1;
                    nf = 0;
                }
            }
        } else {
            sqlite3_stmt *s = d->ins_rej;
            sqlite3_bind_int64(s, 1, get_i64(&c));
            t = get_str(&c, &len); sqlite3_bind_text(s, 2, t, len, SQLITE_STATIC);
            t = get_str(&c, &len); sqlite3_bind_text(s, 3, t, len, SQLITE_STATIC);
            t = get_str(&c, &len); sqlite3_bind_text(s, 4, t, len, SQLITE_STATIC);
            t = get_str(&c, &len);
            if (csv_utf8_valid(t, (size_t)len)) sqlite3_bind_text(s, 5, t, len, SQLITE_STATIC);
            else sqlite3_bind_blob(s, 5, t, len, SQLITE_STATIC);
            if (step(d, s, _("cannot store a rejected row")) < 0) return -1;
        }
    }
    /* the rows point into this batch: store them before it is reused */
    if (flush_hh(d, hr, nh) < 0 || flush_f(d, fr, nf) < 0 || flush_p(d, pr, np) < 0) return -1;
    return 0;
}

int rdb_prepare_rows(sqlite3 *db, const char *table, int cols, int rows, sqlite3_stmt **s)
{
    size_t cap = strlen(table) + 32 + (size_t)rows * ((size_t)cols * 2 + 3);
    char *sql = malloc(cap);
    size_t n;
    int r, c, rc;
    *s = NULL;
    if (!sql) return -1;
    n = (size_t)snprintf(sql, cap, "INSERT INTO %s VALUES", table);
    for (r = 0; r < rows; r++) {
        sql[n++] = r ? ',' : ' ';
        sql[n++] = '(';
        for (c = 0; c < cols; c++) {
            if (c) sql[n++] = ',';
            sql[n++] = '?';
        }
        sql[n++] = ')';
    }
    sql[n] = '\0';
    rc = sqlite3_prepare_v2(db, sql, -1, s, NULL) == SQLITE_OK ? 0 : -1;
    free(sql);
    return rc;
}

/* ---- the database thread ------------------------------------------------------------ */

static void *db_main(void *arg)
{
    rdb *d = arg;
    pthread_mutex_lock(&d->mu);
    for (;;) {
        int q, skip, rc = 0;
        while (d->queued < 0 && !d->stop) pthread_cond_wait(&d->cv, &d->mu);
        if (d->queued < 0) break;
        q = d->queued;
        skip = d->failed;
        pthread_mutex_unlock(&d->mu);
        if (!skip) rc = store_batch(d, &d->batch[q]);
        pthread_mutex_lock(&d->mu);
        if (rc < 0) d->failed = 1;
        d->queued = -1;
        pthread_cond_broadcast(&d->cv);
    }
    pthread_mutex_unlock(&d->mu);
    return NULL;
}

/* Hands the batch being filled to the thread (waiting while it still
 * stores the other one) and starts filling the other.  RETURN 0, or -1 when
 * the thread has failed. */
static int hand_off(rdb *d)
{
    int failed;
    pthread_mutex_lock(&d->mu);
    while (d->queued >= 0 && !d->failed) pthread_cond_wait(&d->cv, &d->mu);
    failed = d->failed;
    if (!failed) {
        d->queued = d->filling;
        d->filling ^= 1;
        pthread_cond_broadcast(&d->cv);
    }
    pthread_mutex_unlock(&d->mu);
    d->batch[d->filling].n = 0;
    return failed ? -1 : 0;
}

/* Stores what is left (unless abandoning) and ends the thread.
 * RETURN 0, or -1 when anything failed. */
static int stop_thread(rdb *d, int abandon)
{
    if (!d->thread_started) return d->failed ? -1 : 0;
    if (!abandon && d->batch[d->filling].n) hand_off(d);
    pthread_mutex_lock(&d->mu);
    if (abandon) d->failed = 1;
    d->stop = 1;
    pthread_cond_broadcast(&d->cv);
    pthread_mutex_unlock(&d->mu);
    pthread_join(d->thread, NULL);
    d->thread_started = 0;
    return d->failed ? -1 : 0;
}

/* ---- the caller's side --------------------------------------------------------------- */

rdb *rdb_open(const char *out_dir, char *err, size_t errlen)
{
    rdb *d = calloc(1, sizeof *d);
    if (!d) { snprintf(err, errlen, _("out of memory")); return NULL; }
    pthread_mutex_init(&d->mu, NULL);
    pthread_cond_init(&d->cv, NULL);
    d->queued = -1;
    if (out_open(&d->o, out_dir, "results.sqlite", err, errlen) < 0) {
        rdb_abort(d);
        return NULL;
    }
    /* NOMUTEX: the connection is used by one thread at a time (the database
     * thread, then the caller after joining it), so SQLite need not lock it
     * on every bind and step. */
    /* The pages go to the disk directly (sqlite_direct.h), or, where the
     * VFS cannot be had, through the page cache as SQLite does by default. */
    if (sqlite3_open_v2(d->o.tmp_path, &d->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX,
                        sqlite_direct_register() == 0 ? SQLITE_DIRECT_VFS : NULL) != SQLITE_OK
        || sqlite3_exec(d->db, "PRAGMA page_size=65536;", NULL, NULL, NULL) != SQLITE_OK
        || sqlite3_exec(d->db, schema_stream, NULL, NULL, NULL) != SQLITE_OK
        || rdb_prepare_rows(d->db, "households", HH_COLS, 1, &d->ins_hh) < 0
        || rdb_prepare_rows(d->db, "households", HH_COLS, RDB_ROWS, &d->ins_hh_n) < 0
        || rdb_prepare_rows(d->db, "findings", F_COLS, 1, &d->ins_f) < 0
        || rdb_prepare_rows(d->db, "findings", F_COLS, RDB_ROWS, &d->ins_f_n) < 0
        || rdb_prepare_rows(d->db, "input_positions", P_COLS, 1, &d->ins_p) < 0
        || rdb_prepare_rows(d->db, "input_positions", P_COLS, RDB_ROWS, &d->ins_p_n) < 0
        || sqlite3_prepare_v2(d->db, "INSERT INTO rejects VALUES(?,?,?,?,?)", -1, &d->ins_rej, NULL) != SQLITE_OK) {
        rdb_fail(d, _("cannot create"));
        snprintf(err, errlen, "%s", d->err);
        rdb_abort(d);
        return NULL;
    }
    if (sb_grow(&d->batch[0], RDB_BATCH_BYTES + 65536) < 0
        || sb_grow(&d->batch[1], RDB_BATCH_BYTES + 65536) < 0) {
        snprintf(err, errlen, _("out of memory"));
        rdb_abort(d);
        return NULL;
    }
    if (pthread_create(&d->thread, NULL, db_main, d) != 0) {
        snprintf(err, errlen, _("%s: cannot start the database thread"), d->o.final_path);
        rdb_abort(d);
        return NULL;
    }
    d->thread_started = 1;
    return d;
}

const char *rdb_error(const rdb *db) { return db->err[0] ? db->err : ""; }

/* RETURN 0, or -1 with d->err when the batch cannot grow or the thread failed. */
static int added(rdb *d)
{
    if (d->batch[d->filling].n < RDB_BATCH_BYTES) return 0;
    if (hand_off(d) < 0) return -1;
    return 0;
}

int rdb_household(rdb *d, const hh_eval *e, hh_assessment as, int exit_ready,
                  const char *const *stage_names)
{
    const tp_household *h = &e->view;
    rdb_batch *b = &d->batch[d->filling];
    size_t i, need, hid = strlen(h->household_id), reg = strlen(h->region_code);
    uint32_t nf = (uint32_t)e->nf;
    need = 1 + 2 * 8 + 2 * 4 + hid + reg + 1 + 8 + 1 + 8 + 1 + 1 + 1 + 4;
    for (i = 0; i < e->nf; i++) {
        const hh_finding *f = &e->f[i];
        need += 3 * 4 + 1 + 8 + strlen(f->stage >= 0 ? stage_names[f->stage] : "")
              + strlen(hh_finding_code(e, f)) + strlen(hh_finding_detail(e, f));
    }
    if (reserve(d, b, need) < 0) return -1;
    put_household(b, e->blk ? (int64_t)e->blk->offset : 0, e->blk && e->blk->nrows ? (int64_t)e->blk->rows[0].line : 0,
                  h->household_id, hid, h->region_code, reg, (unsigned)h->status, (int64_t)h->n_members,
                  e->income_ok ? &e->net : NULL, exit_ready != 0, (unsigned)as,
                  h->satisfied.state == TP_OK ? (unsigned)(h->satisfied.value != 0) : 2u, nf);
    for (i = 0; i < e->nf; i++) {
        const hh_finding *f = &e->f[i];
        const char *st = f->stage >= 0 ? stage_names[f->stage] : "", *code = hh_finding_code(e, f),
                   *detail = hh_finding_detail(e, f);
        put_str(b, st, strlen(st));
        put_u8(b, f->sev == TP_FAIL);
        put_str(b, code, strlen(code));
        put_i64(b, (int64_t)f->member);
        put_str(b, detail, strlen(detail));
    }
    return added(d);
}

int rdb_household_stored(rdb *d, const rdb_household_row *h, const rdb_finding_row *f, size_t nf)
{
    rdb_batch *b = &d->batch[d->filling];
    size_t i, need, hid = strlen(h->household_id), reg = strlen(h->region_code);
    uint32_t n = (uint32_t)nf;
    int64_t net;
    /* The same encoding as rdb_household. */
    need = 1 + 2 * 8 + 2 * 4 + hid + reg + 1 + 8 + 1 + 8 + 1 + 1 + 1 + 4;
    for (i = 0; i < nf; i++)
        need += 3 * 4 + 1 + 8 + strlen(f[i].stage) + strlen(f[i].code) + strlen(f[i].detail);
    if (reserve(d, b, need) < 0) return -1;
    net = (int64_t)h->net;
    put_household(b, (int64_t)h->pos_offset, (int64_t)h->pos_line, h->household_id, hid, h->region_code, reg, (unsigned)h->status, (int64_t)h->members,
                  h->income_ok ? &net : NULL, h->exit_ready != 0, (unsigned)h->assessment,
                  h->satisfied == 0 || h->satisfied == 1 ? (unsigned)h->satisfied : 2u, n);
    for (i = 0; i < nf; i++) {
        put_str(b, f[i].stage, strlen(f[i].stage));
        put_u8(b, f[i].fail != 0);
        put_str(b, f[i].code, strlen(f[i].code));
        put_i64(b, (int64_t)f[i].member);
        put_str(b, f[i].detail, strlen(f[i].detail));
    }
    return added(d);
}

int rdb_reject(rdb *d, long line, const char *household_id, const char *code,
               const char *detail, const char *raw, size_t raw_len)
{
    rdb_batch *b = &d->batch[d->filling];
    size_t hl, cl, dl;
    household_id = household_id ? household_id : "";
    detail = detail ? detail : "";
    hl = strlen(household_id);
    cl = strlen(code);
    dl = strlen(detail);
    if (reserve(d, b, 1 + 8 + 4 * 4 + hl + cl + dl + raw_len) < 0) return -1;
    put_u8(b, 'R');
    put_i64(b, line);
    put_str(b, household_id, hl);
    put_str(b, code, cl);
    put_str(b, detail, dl);
    put_str(b, raw, raw_len);
    return added(d);
}

int rdb_drain(rdb *d, char *err, size_t errlen)
{
    if (stop_thread(d, 0) < 0) {
        snprintf(err, errlen, "%s", d->err);
        return -1;
    }
    return 0;
}

int rdb_finish_pending(rdb *d, const run_meta *m, const agg *a, char *err, size_t errlen)
{
    int rc = -1;
    if (stop_thread(d, 0) < 0) goto out;
    if (m) {
        /* households.csv leaves income_pc blank when the income stage did not run */
        if (!m->income_ran
            && sqlite3_exec(d->db, "UPDATE households SET income_pc_cents=NULL;", NULL, NULL, NULL) != SQLITE_OK) {
            rdb_fail(d, _("cannot update"));
            goto out;
        }
    }
    if (rdb_write_tables(d->db, d->o.final_path, m, a, d->err, sizeof d->err) < 0) {
        d->failed = 1;
        goto out;
    }
    if (sqlite3_exec(d->db, "COMMIT;", NULL, NULL, NULL) != SQLITE_OK) {
        rdb_fail(d, _("cannot commit"));
        goto out;
    }
    if (close_db(d) != SQLITE_OK) {
        snprintf(d->err, sizeof d->err, _("%s: cannot close the database"), d->o.final_path);
        d->failed = 1;
        goto out;
    }
    rc = 0;
out:
    if (rc < 0) {
        snprintf(err, errlen, "%s", d->err);
        close_db(d);
        out_abort(&d->o);
    }
    return rc;
}

out_file *rdb_file(rdb *d) { return &d->o; }

int rdb_commit(rdb *d, char *err, size_t errlen)
{
    int rc = out_commit(&d->o, err, errlen);
    rdb_abort(d);
    return rc;
}

int rdb_finish(rdb *d, const run_meta *m, const agg *a, char *err, size_t errlen)
{
    if (rdb_finish_pending(d, m, a, err, errlen) < 0) {
        rdb_abort(d);
        return -1;
    }
    return rdb_commit(d, err, errlen);
}

void rdb_abort(rdb *d)
{
    if (!d) return;
    stop_thread(d, 1);
    close_db(d);
    out_abort(&d->o);
    sb_free(&d->batch[0]);
    sb_free(&d->batch[1]);
    pthread_mutex_destroy(&d->mu);
    pthread_cond_destroy(&d->cv);
    free(d);
}

int rdb_open_run(const char *run_dir, sqlite3 **db, char **file, char *err, size_t errlen)
{
    size_t n = strlen(run_dir) + sizeof "/results.sqlite";
    struct stat st;
    *db = NULL;
    if (!(*file = malloc(n))) return fail_msg(err, errlen, _("out of memory"));
    snprintf(*file, n, "%s/results.sqlite", run_dir);
    if (stat(*file, &st) != 0 || !S_ISREG(st.st_mode))
        return fail_msg(err, errlen, _("%s: no results.sqlite here: not a folder written by tuopin run"), run_dir);
    if (sqlite3_open_v2(*file, db, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK)
        return fail_db(*db, *file, _("cannot open"), err, errlen);
    return 0;
}
