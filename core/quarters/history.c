/* history.c — the history database (history.sqlite): quarters of runs kept
 * by region set and quarter, each replaced whole in one transaction, and
 * the `tuopin history` command.  The file is a store updated in place
 * rather than an output rewritten whole: SQLite's transaction is what makes
 * an update all-or-nothing; the file is created owner-only (0600), and
 * SQLite gives its journal the same mode. */
#define _POSIX_C_SOURCE 200809L
#include "history.h"
#include "resultsdb.h"
#include "cmdline.h"
#include "household.h"
#include "progress.h"
#include "sbuf.h"
#include "values.h"
#include "i18n.h"
#include "fail.h"

#include <errno.h>
#include <fcntl.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define HIST_FORMAT "1"
#define HIST_ROWS 32      /* households per INSERT */
#define HIST_COLS 12

static const char hist_schema[] =
    "CREATE TABLE IF NOT EXISTS history_meta(key TEXT PRIMARY KEY, value TEXT);"
    "INSERT OR IGNORE INTO history_meta VALUES('format', '" HIST_FORMAT "');"
    "CREATE TABLE IF NOT EXISTS quarters("
    " id INTEGER PRIMARY KEY,"
    " regions TEXT NOT NULL,"              /* region set: provinces joined by + or a name */
    " quarter TEXT NOT NULL,"              /* YYYYQn */
    " added TEXT NOT NULL,"                /* UTC, ISO 8601 */
    " run_dir TEXT, pipeline TEXT, input_path TEXT, input_sha256 TEXT,"
    " tuopin_version TEXT, run_finished TEXT,"
    " income_line_cents INTEGER,"          /* the run's income_line; NULL unknown */
    " households INTEGER NOT NULL, rejected INTEGER NOT NULL,"
    " has_transfers INTEGER NOT NULL,"     /* transfer_cents were read from the input */
    " UNIQUE(regions, quarter));"
    "CREATE TABLE IF NOT EXISTS households("
    " quarter_id INTEGER NOT NULL,"        /* quarters.id */
    " seq INTEGER NOT NULL,"               /* the run's order from 1; rejected ids last */
    " household_id TEXT NOT NULL,"
    " region_code TEXT,"                   /* NULL for a rejected household */
    " state TEXT NOT NULL,"                /* evaluated | rejected */
    " status TEXT, members INTEGER,"
    " net_income_cents INTEGER,"           /* NULL when an income component was bad */
    " transfer_cents INTEGER,"             /* NULL when unknown */
    " exit_ready INTEGER, assessment TEXT,"
    " failed_dims INTEGER,"                /* bits: 1 income 2 food_clothing 4 education 8 medical
                                              16 housing 32 water 64 any other stage */
    " PRIMARY KEY(quarter_id, seq)) WITHOUT ROWID;"
    /* one household's neighbourhood without reading the quarter (explain's
     * history signals: its town and the household itself).  Created by
     * every history add, so a history written before they existed gets
     * them at its next add; until then readers scan (hist_load_quarter_near). */
    "CREATE INDEX IF NOT EXISTS households_region ON households(quarter_id, region_code);"
    "CREATE INDEX IF NOT EXISTS households_hid ON households(quarter_id, household_id);";

const char *hist_default_path(void)
{
    const char *e = getenv("TUOPIN_HISTORY");
    return e && *e ? e : "history.sqlite";
}

/* Opens (create: creating, mode 0600, when missing) a history database and
 * checks its format.  RETURN the connection, or NULL with err. */
static sqlite3 *hist_open(const char *path, int create, char *err, size_t errlen)
{
    sqlite3 *db = NULL;
    sqlite3_stmt *s = NULL;
    struct stat st;
    int ok = 0;
    if (stat(path, &st) != 0) {
        int fd;
        if (!create) {
            snprintf(err, errlen, _("%s: no such history (add a run with tuopin history add RUN_DIR)"), path);
            return NULL;
        }
        fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
        if (fd < 0 && errno != EEXIST) {
            snprintf(err, errlen, _("%s: cannot create: %s"), path, strerror(errno));
            return NULL;
        }
        if (fd >= 0) close(fd);
    } else if (!S_ISREG(st.st_mode)) {
        snprintf(err, errlen, _("%s: not a regular file"), path);
        return NULL;
    }
    if (sqlite3_open_v2(path, &db, (create ? SQLITE_OPEN_READWRITE : SQLITE_OPEN_READONLY) | SQLITE_OPEN_NOMUTEX,
                        NULL) != SQLITE_OK) {
        fail_db(db, path, _("cannot open"), err, errlen);
        sqlite3_close(db);
        return NULL;
    }
    sqlite3_busy_timeout(db, 30000); /* another history add commits first */
    /* temp_store: the statement journal of each 32-row INSERT (the index
     * pages it touches that the transaction had already changed) kept in
     * memory, not written to a temporary file: 924,000 writes of a page for
     * 1,000,000 households added otherwise (bench/README.md, "With a history") */
    if (create && sqlite3_exec(db, "PRAGMA cache_size=-65536; PRAGMA temp_store=MEMORY;", NULL, NULL, NULL)
                      != SQLITE_OK)
        goto bad;
    if (create && sqlite3_exec(db, hist_schema, NULL, NULL, NULL) != SQLITE_OK) goto bad;
    if (sqlite3_prepare_v2(db, "SELECT value FROM history_meta WHERE key='format'", -1, &s, NULL) == SQLITE_OK
        && sqlite3_step(s) == SQLITE_ROW && sqlite3_column_text(s, 0)
        && !strcmp((const char *)sqlite3_column_text(s, 0), HIST_FORMAT))
        ok = 1;
    sqlite3_finalize(s);
    if (!ok) {
        snprintf(err, errlen, _("%s: not a tuopin history (or one of another format)"), path);
        sqlite3_close(db);
        return NULL;
    }
    return db;
bad:
    fail_db(db, path, _("not a tuopin history"), err, errlen);
    sqlite3_close(db);
    return NULL;
}

static void bind_row(sqlite3_stmt *st, int c, const qd_set *s, long long qid, long long seq,
                     uint32_t uid, const qd_rec *r)
{
    sqlite3_bind_int64(st, c + 1, qid);
    sqlite3_bind_int64(st, c + 2, seq);
    sqlite3_bind_text(st, c + 3, s->ids[uid], -1, SQLITE_STATIC);
    if (r->state != QD_PRESENT) {
        int k;
        sqlite3_bind_null(st, c + 4);
        sqlite3_bind_text(st, c + 5, "rejected", -1, SQLITE_STATIC);
        for (k = 6; k <= HIST_COLS; k++) sqlite3_bind_null(st, c + k);
        return;
    }
    sqlite3_bind_text(st, c + 4, s->villages[r->village], 12, SQLITE_STATIC);
    sqlite3_bind_text(st, c + 5, "evaluated", -1, SQLITE_STATIC);
    sqlite3_bind_text(st, c + 6, val_status_name((tp_status)r->status), -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, c + 7, r->members);
    if (r->flags & QD_NET) sqlite3_bind_int64(st, c + 8, r->net);
    else sqlite3_bind_null(st, c + 8);
    if (r->flags & QD_TRANSFER) sqlite3_bind_int64(st, c + 9, r->transfer);
    else sqlite3_bind_null(st, c + 9);
    sqlite3_bind_int(st, c + 10, (r->flags & QD_READY) != 0);
    sqlite3_bind_text(st, c + 11, hh_assessment_name((hh_assessment)r->assessment), -1, SQLITE_STATIC);
    sqlite3_bind_int(st, c + 12, r->fails);
}

static void iso_now(char *buf, size_t n)
{
    time_t t = time(NULL);
    struct tm tmv;
    gmtime_r(&t, &tmv);
    strftime(buf, n, "%Y-%m-%dT%H:%M:%SZ", &tmv);
}

int hist_add_run(const char *path, const qd_set *s, int qi, const qd_run_info *info,
                 const char *regions, int quiet, char *err, size_t errlen)
{
    const qd_quarter *q = &s->q[qi];
    sqlite3 *db;
    sqlite3_stmt *del = NULL, *insq = NULL, *one = NULL, *many = NULL;
    char now[32];
    long long qid, replaced = 0;
    size_t i;
    int n, rc = -1;
    (void)quiet;

    if (!regions) regions = info->regions;
    if (!(db = hist_open(path, 1, err, errlen))) return -1;
    iso_now(now, sizeof now);
    if (sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK) {
        fail_db(db, path, _("cannot start a transaction"), err, errlen);
        goto out;
    }
    if (sqlite3_prepare_v2(db, "SELECT id FROM quarters WHERE regions=?1 AND quarter=?2", -1, &del, NULL) != SQLITE_OK)
        goto dberr;
    sqlite3_bind_text(del, 1, regions, -1, SQLITE_STATIC);
    sqlite3_bind_text(del, 2, q->label, -1, SQLITE_STATIC);
    if (sqlite3_step(del) == SQLITE_ROW) replaced = sqlite3_column_int64(del, 0);
    sqlite3_finalize(del);
    del = NULL;
    if (replaced) {
        if (sqlite3_prepare_v2(db, "DELETE FROM households WHERE quarter_id=?1", -1, &del, NULL) != SQLITE_OK)
            goto dberr;
        sqlite3_bind_int64(del, 1, replaced);
        if (sqlite3_step(del) != SQLITE_DONE) goto dberr;
        sqlite3_finalize(del);
        if (sqlite3_prepare_v2(db, "DELETE FROM quarters WHERE id=?1", -1, &del, NULL) != SQLITE_OK) goto dberr;
        sqlite3_bind_int64(del, 1, replaced);
        if (sqlite3_step(del) != SQLITE_DONE) goto dberr;
    }
    if (sqlite3_prepare_v2(db, "INSERT INTO quarters(regions, quarter, added, run_dir, pipeline, input_path,"
                           " input_sha256, tuopin_version, run_finished, income_line_cents, households,"
                           " rejected, has_transfers) VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?)", -1, &insq, NULL)
        != SQLITE_OK)
        goto dberr;
    sqlite3_bind_text(insq, 1, regions, -1, SQLITE_STATIC);
    sqlite3_bind_text(insq, 2, q->label, -1, SQLITE_STATIC);
    sqlite3_bind_text(insq, 3, now, -1, SQLITE_STATIC);
    sqlite3_bind_text(insq, 4, q->source, -1, SQLITE_STATIC);
    sqlite3_bind_text(insq, 5, info->pipeline, -1, SQLITE_STATIC);
    sqlite3_bind_text(insq, 6, info->input_used ? info->input_used : info->input_path, -1, SQLITE_STATIC);
    sqlite3_bind_text(insq, 7, info->input_sha256, -1, SQLITE_STATIC);
    sqlite3_bind_text(insq, 8, info->tuopin_version, -1, SQLITE_STATIC);
    sqlite3_bind_text(insq, 9, info->finished, -1, SQLITE_STATIC);
    if (q->line) sqlite3_bind_int64(insq, 10, q->line);
    sqlite3_bind_int64(insq, 11, (sqlite3_int64)q->households);
    sqlite3_bind_int64(insq, 12, (sqlite3_int64)q->rejected);
    sqlite3_bind_int(insq, 13, q->has_transfers);
    if (sqlite3_step(insq) != SQLITE_DONE) goto dberr;
    qid = sqlite3_last_insert_rowid(db);
    if (rdb_prepare_rows(db, "households", HIST_COLS, 1, &one) < 0
        || rdb_prepare_rows(db, "households", HIST_COLS, HIST_ROWS, &many) < 0) goto dberr;
    for (i = 0, n = 0; i < q->norder; i++) {
        uint32_t uid = q->order[i];
        const qd_rec *r = qd_get(q, uid);
        int full = q->norder - (i - (size_t)n) >= HIST_ROWS;
        if (full) {
            bind_row(many, n * HIST_COLS, s, qid, (long long)i + 1, uid, r);
            if (++n == HIST_ROWS) {
                if (sqlite3_step(many) != SQLITE_DONE) goto dberr;
                sqlite3_reset(many);
                n = 0;
            }
        } else {
            bind_row(one, 0, s, qid, (long long)i + 1, uid, r);
            if (sqlite3_step(one) != SQLITE_DONE) goto dberr;
            sqlite3_reset(one);
            sqlite3_clear_bindings(one);
        }
    }
    if (sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) goto dberr;
    if (!quiet)
        fprintf(stderr, _("tuopin: history: %s %s of region set %s in %s (%llu households, %llu rejected, "
                "transfers %s)\n"), replaced ? _("replaced") : _("added"), q->label, regions, path,
                q->households, q->rejected, q->has_transfers ? _("known") : _("unknown"));
    rc = 0;
    goto out;
dberr:
    fail_db(db, path, _("cannot store the quarter"), err, errlen);
    sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
out:
    sqlite3_finalize(del);
    sqlite3_finalize(insq);
    sqlite3_finalize(one);
    sqlite3_finalize(many);
    sqlite3_close(db);
    return rc;
}

int hist_quarters(const char *path, hist_quarter **out, char *err, size_t errlen)
{
    sqlite3 *db = hist_open(path, 0, err, errlen);
    sqlite3_stmt *s = NULL;
    hist_quarter *v = NULL;
    size_t n = 0, cap = 0;
    int step;
    *out = NULL;
    if (!db) return -1;
    if (sqlite3_prepare_v2(db, "SELECT id, regions, quarter, households, rejected, has_transfers,"
                           " income_line_cents, input_sha256 FROM quarters ORDER BY regions, quarter", -1, &s, NULL) != SQLITE_OK) {
        fail_db(db, path, _("cannot read the quarters"), err, errlen);
        sqlite3_close(db);
        return -1;
    }
    while ((step = sqlite3_step(s)) == SQLITE_ROW) {
        hist_quarter *h;
        if (mem_grow((void **)&v, &cap, n + 1, sizeof *v) < 0) {
            snprintf(err, errlen, _("out of memory"));
            goto bad;
        }
        h = &v[n++];
        memset(h, 0, sizeof *h);
        h->id = sqlite3_column_int64(s, 0);
        snprintf(h->regions, sizeof h->regions, "%s", (const char *)sqlite3_column_text(s, 1));
        snprintf(h->quarter, sizeof h->quarter, "%s", (const char *)sqlite3_column_text(s, 2));
        h->households = (unsigned long long)sqlite3_column_int64(s, 3);
        h->rejected = (unsigned long long)sqlite3_column_int64(s, 4);
        h->has_transfers = sqlite3_column_int(s, 5);
        h->line = sqlite3_column_int64(s, 6);
        if (sqlite3_column_text(s, 7))
            snprintf(h->input_sha256, sizeof h->input_sha256, "%s", (const char *)sqlite3_column_text(s, 7));
    }
    if (step != SQLITE_DONE) {
        fail_db(db, path, _("cannot read the quarters"), err, errlen);
        goto bad;
    }
    sqlite3_finalize(s);
    sqlite3_close(db);
    *out = v;
    return (int)n;
bad:
    free(v);
    sqlite3_finalize(s);
    sqlite3_close(db);
    return -1;
}

int hist_load_quarter(qd_set *s, const char *path, const hist_quarter *hq, int quiet,
                      int *qi, char *err, size_t errlen)
{
    return hist_load_quarter_near(s, path, hq, NULL, NULL, quiet, qi, err, errlen);
}

#define HIST_LOAD_COLS "household_id, region_code, state, status, members, net_income_cents, transfer_cents," \
                       " exit_ready, assessment, failed_dims"

/* RETURN 1 when the history has the indexes of one household's
 * neighbourhood (hist_schema), 0 when it was written before them, -1 on an
 * error. */
static int hist_indexed(sqlite3 *db)
{
    sqlite3_stmt *st = NULL;
    int rc = -1;
    if (sqlite3_prepare_v2(db, "SELECT count(*) FROM sqlite_master WHERE type='index' AND tbl_name='households'"
                           " AND name IN ('households_region', 'households_hid')", -1, &st, NULL) == SQLITE_OK
        && sqlite3_step(st) == SQLITE_ROW)
        rc = sqlite3_column_int(st, 0) == 2;
    sqlite3_finalize(st);
    return rc;
}

int hist_load_quarter_near(qd_set *s, const char *path, const hist_quarter *hq, const char *town,
                           const char *hid_also, int quiet, int *qi, char *err, size_t errlen)
{
    sqlite3 *db = hist_open(path, 0, err, errlen);
    sqlite3_stmt *st = NULL;
    char src[4200], what[96], town_hi[16];
    progress pg;
    int q, step, rc = -1, indexed = 0;
    memset(&pg, 0, sizeof pg);
    if (!db) return -1;
    snprintf(src, sizeof src, "%s (history)", path);
    if ((q = qd_add_quarter(s, hq->quarter, src)) == -2) {
        snprintf(err, errlen, _("%s: a quarter is not of the form YYYYQn"), path);
        goto out;
    }
    if (q < 0) goto oom;
    s->q[q].line = hq->line;
    s->q[q].has_transfers = hq->has_transfers;
    snprintf(what, sizeof what, _("loading %s"), hq->quarter);
    progress_begin(&pg, !quiet, what, _("households"), hq->households + hq->rejected);
    if (town && (indexed = hist_indexed(db)) < 0) {
        fail_db(db, path, _("cannot read households"), err, errlen);
        goto out;
    }
    /* With the indexes: the town's rows (a range of region codes: those
     * from the town's code up to the code with its last digit one higher)
     * and the household's, 1,600 rows of a 1,000,000-household quarter
     * (INDEXED BY: without statistics the planner prefers the primary key
     * for ORDER BY seq, a scan of the quarter); without the indexes (a
     * history written before them): one scan of the quarter.  The same
     * rows in the same order either way. */
    if (sqlite3_prepare_v2(db, !town ? "SELECT " HIST_LOAD_COLS " FROM households WHERE quarter_id=?1 ORDER BY seq"
                               : indexed ? "SELECT " HIST_LOAD_COLS ", seq FROM households INDEXED BY households_region"
                                           " WHERE quarter_id=?1 AND region_code>=?2 AND region_code<?4 AND substr(region_code, 1, 9)=?2"
                                           " UNION SELECT " HIST_LOAD_COLS ", seq FROM households INDEXED BY households_hid"
                                           " WHERE quarter_id=?1 AND household_id=?3 ORDER BY seq"
                                         : "SELECT " HIST_LOAD_COLS " FROM households WHERE quarter_id=?1"
                                           " AND (substr(region_code, 1, 9)=?2 OR household_id=?3) ORDER BY seq",
                           -1, &st, NULL) != SQLITE_OK) {
        fail_db(db, path, _("cannot read households"), err, errlen);
        goto out;
    }
    sqlite3_bind_int64(st, 1, hq->id);
    if (town) {
        size_t tl = strlen(town);
        snprintf(town_hi, sizeof town_hi, "%s", town);
        if (tl && tl < sizeof town_hi) town_hi[tl - 1]++; /* digits: '9' + 1 is ':' */
        sqlite3_bind_text(st, 2, town, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 3, hid_also ? hid_also : "", -1, SQLITE_STATIC);
        if (indexed) sqlite3_bind_text(st, 4, town_hi, -1, SQLITE_STATIC);
    }
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        const char *hid = (const char *)sqlite3_column_text(st, 0);
        const char *state = (const char *)sqlite3_column_text(st, 2);
        uint32_t uid, vid;
        qd_rec *r;
        progress_row(&pg, pg.rows + 1);
        if (!hid || !state) continue;
        if (qd_uid(s, hid, (size_t)sqlite3_column_bytes(st, 0), &uid) < 0 || !(r = qd_put(s, q, uid))) goto oom;
        if (strcmp(state, "evaluated")) {
            if (r->state == QD_ABSENT) {
                r->state = QD_REJECTED;
                s->q[q].rejected++;
            }
            continue;
        }
        {
            const char *reg = (const char *)sqlite3_column_text(st, 1);
            const char *stt = (const char *)sqlite3_column_text(st, 3);
            const char *as = (const char *)sqlite3_column_text(st, 8);
            tp_status status;
            int a = -1, k;
            if (as)
                for (k = HH_CAN_EXIT; k <= HH_NOT_POOR; k++)
                    if (!strcmp(as, hh_assessment_name((hh_assessment)k))) a = k;
            if (!reg || !stt || val_status(stt, &status) < 0 || a < 0) {
                snprintf(err, errlen, _("%s: %s, household %s: unreadable row"), path, hq->quarter, hid);
                goto out;
            }
            if ((k = qd_village(s, reg, (size_t)sqlite3_column_bytes(st, 1), &vid)) == -2) {
                snprintf(err, errlen, _("%s: %s, household %s: region_code is not a region code"), path, hq->quarter,
                         hid);
                goto out;
            }
            if (k < 0) goto oom;
            r->state = QD_PRESENT;
            r->village = vid;
            r->status = (uint8_t)status;
            r->assessment = (uint8_t)a;
            r->members = (uint32_t)sqlite3_column_int64(st, 4);
            if (!r->members) r->members = 1;
            r->flags = 0;
            if (sqlite3_column_type(st, 5) != SQLITE_NULL) {
                r->net = sqlite3_column_int64(st, 5);
                r->flags |= QD_NET;
            }
            if (sqlite3_column_type(st, 6) != SQLITE_NULL) {
                r->transfer = sqlite3_column_int64(st, 6);
                r->flags |= QD_TRANSFER;
            }
            if (sqlite3_column_int(st, 7)) r->flags |= QD_READY;
            r->fails = (uint8_t)sqlite3_column_int(st, 9);
            s->q[q].households++;
        }
    }
    if (step != SQLITE_DONE) {
        fail_db(db, path, _("cannot read households"), err, errlen);
        goto out;
    }
    *qi = q;
    rc = 0;
    goto out;
oom:
    snprintf(err, errlen, _("out of memory"));
out:
    progress_end(&pg);
    sqlite3_finalize(st);
    sqlite3_close(db);
    return rc;
}

/* ---- the command ------------------------------------------------------------- */

static const char *const history_usage =
    N_("Usage: tuopin history add RUN_DIR [--history FILE] [--regions NAME] [--input FILE | --no-input] [--quiet]\n"
    "       tuopin history list [--history FILE]\n"
    "Keep quarters of runs in a history database, by region set and quarter.\n"
    "\n"
    "  add RUN_DIR      add the run written in RUN_DIR (its results.sqlite); the same\n"
    "                   region set and quarter added again replaces the earlier one\n"
    "  list             the quarters the history holds\n"
    "  --history FILE   the history database (default: $TUOPIN_HISTORY, else\n"
    "                   history.sqlite in the current folder)\n"
    "  --regions NAME   the region set to file the run under (default: the\n"
    "                   run's province codes, sorted, joined by +)\n"
    "  --input FILE     the input file the run read, for transfer incomes (default:\n"
    "                   the path recorded in results.sqlite); checked by SHA-256\n"
    "  --no-input       do not read the input: transfer incomes unknown\n"
    "  --quiet          no progress line or closing line\n");

static int regions_name_ok(const char *r)
{
    size_t n = strlen(r), i;
    if (n == 0 || n >= sizeof ((hist_quarter *)0)->regions) return 0;
    for (i = 0; i < n; i++)
        if ((unsigned char)r[i] < 0x20 || r[i] == 0x7f) return 0;
    return 1;
}

static int cmd_add(const char *run_dir, const char *hist, const char *regions, const char *input,
                   int no_input, int quiet)
{
    qd_set s;
    qd_run_info info;
    qd_load_opts o;
    char err[2048];
    int qi, rc = 1;
    qd_init(&s);
    memset(&o, 0, sizeof o);
    o.input = input;
    o.no_input = no_input;
    o.quiet = quiet;
    o.who = "history add";
    if (qd_load_run(&s, run_dir, &o, &qi, &info, err, sizeof err) == 0
        && hist_add_run(hist, &s, qi, &info, regions, quiet, err, sizeof err) == 0)
        rc = 0;
    else
        fprintf(stderr, _("tuopin: history add: %s\n"), err);
    qd_run_info_free(&info);
    qd_free(&s);
    return rc;
}

static int cmd_list(const char *hist)
{
    hist_quarter *v;
    char err[2048], line[32];
    int n = hist_quarters(hist, &v, err, sizeof err), i;
    if (n < 0) {
        fprintf(stderr, _("tuopin: history list: %s\n"), err);
        return 1;
    }
    printf("# %s: %d quarter%s\n", hist, n, n == 1 ? "" : "s");
    printf("%-32s %-7s %11s %9s %-9s %s\n", "region_set", "quarter", "households", "rejected", "transfers",
           "income_line");
    for (i = 0; i < n; i++) {
        if (v[i].line) val_format_cents(v[i].line, line);
        else snprintf(line, sizeof line, _("unknown"));
        printf("%-32s %-7s %11llu %9llu %-9s %s\n", v[i].regions, v[i].quarter, v[i].households,
               v[i].rejected, v[i].has_transfers ? _("known") : _("unknown"), line);
    }
    free(v);
    return 0;
}

int history_main(int argc, char **argv)
{
    static const struct option add_options[] = {
        CMDLINE_VALUE("history", 'H'), CMDLINE_VALUE("regions", 'r'), CMDLINE_VALUE("input", 'i'),
        CMDLINE_FLAG("no-input", 'n'), CMDLINE_FLAG("quiet", 'q'), CMDLINE_HELP_END
    };
    static const struct option list_options[] = {
        CMDLINE_VALUE("history", 'H'), CMDLINE_FLAG("quiet", 'q'), CMDLINE_HELP_END
    };
    const char *hist = NULL, *regions = NULL, *input = NULL, *run_dir = NULL;
    int quiet = 0, no_input = 0, add, o;
    cmdline cl;
    if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
        fputs(_(history_usage), argc < 2 ? stderr : stdout);
        return argc < 2 ? 2 : 0;
    }
    if (strcmp(argv[1], "add") && strcmp(argv[1], "list")) {
        fprintf(stderr, _("tuopin history: unknown action %s (add or list)\n"), argv[1]);
        return cmdline_hint("history");
    }
    add = !strcmp(argv[1], "add");
    cmdline_init(&cl, add ? "history add" : "history list", argc - 1, argv + 1, "hq",
                 add ? add_options : list_options);
    while ((o = cmdline_next(&cl)) != CMDLINE_END) {
        switch (o) {
        case 'H': hist = cl.arg; break;
        case 'r':
            if (!regions_name_ok(cl.arg))
                return cmdline_usage_error(&cl, _("--regions: \"%s\" is not a region set name "
                                                  "(1-159 bytes, no control characters)"), cl.arg);
            regions = cl.arg;
            break;
        case 'i': input = cl.arg; break;
        case 'n': no_input = 1; break;
        case 'q': quiet = 1; break;
        case 'h':
            fputs(_(history_usage), stdout);
            return 0;
        case CMDLINE_OPERAND:
            if (add && !run_dir) {
                run_dir = cl.arg;
                break;
            }
            return cmdline_usage_error(&cl, _("unexpected argument %s"), cl.arg);
        default: return 2;
        }
    }
    if (input && no_input)
        return cmdline_usage_error(&cl, _("--input and --no-input exclude each other"));
    if (!hist) hist = hist_default_path();
    if (!add) return cmd_list(hist);
    if (!run_dir) return cmdline_usage_error(&cl, _("which run? (tuopin history add RUN_DIR)"));
    return cmd_add(run_dir, hist, regions, input, no_input, quiet);
}

int history_after_run(const run_config *cfg, const engine_kept *kept, char *err, size_t errlen)
{
    qd_set s;
    qd_run_info info;
    qd_load_opts o;
    int qi, rc = -1;
    if (!cfg->history || !cfg->history[0]) return 0;
    qd_init(&s);
    memset(&o, 0, sizeof o);
    memset(&info, 0, sizeof info);
    o.input = cfg->input;
    o.quiet = cfg->quiet;
    o.who = "history";
    o.kept = kept;
    if (qd_load_run(&s, cfg->out_dir ? cfg->out_dir : ".", &o, &qi, &info, err, errlen) == 0
        && hist_add_run(cfg->history, &s, qi, &info, NULL, cfg->quiet, err, errlen) == 0)
        rc = 0;
    qd_run_info_free(&info);
    qd_free(&s);
    return rc;
}
