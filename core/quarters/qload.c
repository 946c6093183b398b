/* qload.c — a run folder into a quarters set: the households, failed
 * dimensions and rejected ids of its results.sqlite, and the transfer
 * incomes of the input file the run read (results.sqlite does not hold
 * income components), checked against the run's SHA-256 of that file, or,
 * for the run just made, the transfers it kept. */
#define _POSIX_C_SOURCE 200809L
#include "aggregate.h"
#include "history.h"
#include "household.h"
#include "progress.h"
#include "resultsdb.h"
#include "schema.h"
#include "source.h"
#include "values.h"
#include "i18n.h"
#include "fail.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

void qd_run_info_free(qd_run_info *i)
{
    free(i->pipeline);
    free(i->input_path);
    free(i->input_used);
    memset(i, 0, sizeof *i);
}

static char *col_dup(sqlite3_stmt *s, int i)
{
    const unsigned char *t = sqlite3_column_text(s, i);
    return t ? strdup((const char *)t) : NULL;
}

static void col_copy(sqlite3_stmt *s, int i, char *dst, size_t n)
{
    const unsigned char *t = sqlite3_column_text(s, i);
    snprintf(dst, n, "%s", t ? (const char *)t : "");
}

/* The assessment named t, or -1. */
static int assessment_of(const char *t)
{
    int i;
    for (i = HH_CAN_EXIT; i <= HH_NOT_POOR; i++)
        if (!strcmp(t, hh_assessment_name((hh_assessment)i))) return i;
    return -1;
}

static int read_run_record(sqlite3 *db, const char *file, qd_run_info *info, char *err, size_t errlen)
{
    sqlite3_stmt *s = NULL;
    int rc;
    if (sqlite3_prepare_v2(db, "SELECT quarter, input_path, input_sha256, tuopin_version, pipeline,"
                           " finished, households FROM run", -1, &s, NULL) != SQLITE_OK)
        return fail_db(db, file, _("not a tuopin results database (no run record)"), err, errlen);
    rc = sqlite3_step(s);
    if (rc != SQLITE_ROW) {
        sqlite3_finalize(s);
        snprintf(err, errlen, _("%s: the run record is empty (an unfinished run?)"), file);
        return -1;
    }
    col_copy(s, 0, info->quarter, sizeof info->quarter);
    info->input_path = col_dup(s, 1);
    col_copy(s, 2, info->input_sha256, sizeof info->input_sha256);
    col_copy(s, 3, info->tuopin_version, sizeof info->tuopin_version);
    info->pipeline = col_dup(s, 4);
    col_copy(s, 5, info->finished, sizeof info->finished);
    info->households = (unsigned long long)sqlite3_column_int64(s, 6);
    sqlite3_finalize(s);
    if (sqlite3_prepare_v2(db, "SELECT value FROM params WHERE name='income_line'", -1, &s, NULL) == SQLITE_OK) {
        if (sqlite3_step(s) == SQLITE_ROW && sqlite3_column_text(s, 0)) {
            int64_t v;
            if (val_decimal((const char *)sqlite3_column_text(s, 0), 2, &v) == 0 && v > 0) info->line = v;
        }
        sqlite3_finalize(s);
    }
    /* standard §7: where the line came from; absent in older runs */
    if (sqlite3_prepare_v2(db, "SELECT income_line_origin, standard FROM run", -1, &s, NULL) == SQLITE_OK) {
        if (sqlite3_step(s) == SQLITE_ROW) {
            col_copy(s, 0, info->line_origin, sizeof info->line_origin);
            info->below_standard = sqlite3_column_text(s, 1)
                && strcmp((const char *)sqlite3_column_text(s, 1), "national") != 0;
        }
        sqlite3_finalize(s);
    }
    return 0;
}

/* The dimension bit of each stage of the run, as the stage declared it
 * (results.sqlite's stage_roles): a third party's stage declaring the
 * income dimension fails the household's income like the national one. */
typedef struct stage_bits {
    char **names;
    unsigned *bits;
    size_t n;
    int recorded;                /* 0: a run before stage_roles: by name */
} stage_bits;

static void stage_bits_free(stage_bits *b)
{
    size_t i;
    for (i = 0; i < b->n; i++) free(b->names[i]);
    free(b->names);
    free(b->bits);
    memset(b, 0, sizeof *b);
}

/* RETURN 0, or -1 with a message. */
static int stage_dim_bits(sqlite3 *db, const char *file, stage_bits *b, char *err, size_t errlen)
{
    sqlite3_stmt *st = NULL;
    size_t cap = 0;
    int step;
    /* absent in runs before the table: the stages' names then say it */
    if (sqlite3_prepare_v2(db, "SELECT s.name, r.dimension FROM stages s JOIN stage_roles r"
                           " ON r.position = s.position ORDER BY s.position", -1, &st, NULL) != SQLITE_OK)
        return 0;
    b->recorded = 1;
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        const char *name = (const char *)sqlite3_column_text(st, 0);
        int d = agg_dim_index((const char *)sqlite3_column_text(st, 1));
        if (!name) continue;
        if (b->n == cap) {
            size_t ncap = cap ? 2 * cap : 16;
            char **nn = realloc(b->names, ncap * sizeof *nn);
            unsigned *nb;
            if (nn) b->names = nn;
            if (!nn || !(nb = realloc(b->bits, ncap * sizeof *nb))) goto oom;
            b->bits = nb;
            cap = ncap;
        }
        if (!(b->names[b->n] = strdup(name))) goto oom;
        /* agg_dim_names and QD_DIM_* list the dimensions in one order */
        b->bits[b->n++] = d >= 0 ? 1u << d : 1u << QD_DIM_OTHER;
    }
    if (step != SQLITE_DONE) {
        fail_db(db, file, _("cannot read findings"), err, errlen);
        sqlite3_finalize(st);
        return -1;
    }
    sqlite3_finalize(st);
    return 0;
oom:
    sqlite3_finalize(st);
    snprintf(err, errlen, _("out of memory"));
    return -1;
}

static unsigned stage_bit(const stage_bits *b, const char *stage)
{
    size_t i;
    if (!b->recorded) return qd_dim_bit(stage);
    for (i = 0; i < b->n; i++)
        if (!strcmp(b->names[i], stage)) return b->bits[i];
    return 1u << QD_DIM_OTHER;
}

/* Households, then failed dimensions, then rejected ids.  hid_uid maps the
 * database's households.id (input order from 1) to uids. */
static int read_households(qd_set *s, int qi, sqlite3 *db, const char *file, const qd_load_opts *o,
                           qd_run_info *info, char *err, size_t errlen)
{
    sqlite3_stmt *st = NULL;
    uint32_t *hid_uid = NULL;
    size_t nmap = (size_t)info->households + 1, i;
    unsigned char prov[100];
    stage_bits sb;
    progress pg;
    char what[96];
    int rc = -1, step;

    memset(prov, 0, sizeof prov);
    memset(&sb, 0, sizeof sb);
    if (!(hid_uid = calloc(nmap, sizeof *hid_uid))) goto oom;
    snprintf(what, sizeof what, _("reading %s households"), info->quarter);
    progress_begin(&pg, !o->quiet, what, _("households"), info->households);
    if (sqlite3_prepare_v2(db, "SELECT id, household_id, region_code, status, members, net_income_cents,"
                           " exit_ready, assessment FROM households ORDER BY id", -1, &st, NULL) != SQLITE_OK) {
        fail_db(db, file, _("cannot read households"), err, errlen);
        goto out;
    }
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        sqlite3_int64 id = sqlite3_column_int64(st, 0);
        const char *hid = (const char *)sqlite3_column_text(st, 1);
        const char *reg = (const char *)sqlite3_column_text(st, 2);
        const char *stt = (const char *)sqlite3_column_text(st, 3);
        const char *as = (const char *)sqlite3_column_text(st, 7);
        uint32_t uid, vid;
        tp_status status;
        int a;
        qd_rec *r;
        if (!hid || !reg || !stt || !as || val_status(stt, &status) < 0 || (a = assessment_of(as)) < 0) {
            snprintf(err, errlen, _("%s: household %lld: unreadable row"), file, (long long)id);
            goto out;
        }
        if ((a = qd_village(s, reg, (size_t)sqlite3_column_bytes(st, 2), &vid)) == -2) {
            snprintf(err, errlen, _("%s: household %lld: region_code is not a region code"), file, (long long)id);
            goto out;
        }
        if (a < 0 || qd_uid(s, hid, (size_t)sqlite3_column_bytes(st, 1), &uid) < 0 || !(r = qd_put(s, qi, uid)))
            goto oom;
        a = assessment_of(as);
        if (r->state == QD_PRESENT) {
            snprintf(err, errlen, _("%s: household %s appears twice"), file, hid);
            goto out;
        }
        r->state = QD_PRESENT;
        r->village = vid;
        r->status = (uint8_t)status;
        r->assessment = (uint8_t)a;
        r->members = (uint32_t)sqlite3_column_int64(st, 4);
        if (!r->members) r->members = 1;
        if (sqlite3_column_type(st, 5) != SQLITE_NULL) {
            r->net = sqlite3_column_int64(st, 5);
            r->flags |= QD_NET;
        }
        if (sqlite3_column_int(st, 6)) r->flags |= QD_READY;
        /* the transfers the run kept: households.id is the input order */
        if (o->kept && id > 0 && (size_t)id <= o->kept->n && o->kept->transfer[id - 1] != ENGINE_TRANSFER_BAD) {
            r->transfer = o->kept->transfer[id - 1];
            r->flags |= QD_TRANSFER;
        }
        if (reg[0] >= '0' && reg[0] <= '9' && reg[1] >= '0' && reg[1] <= '9')
            prov[(reg[0] - '0') * 10 + (reg[1] - '0')] = 1;
        if (id > 0 && (size_t)id < nmap) hid_uid[id] = uid + 1;
        s->q[qi].households++;
        progress_row(&pg, s->q[qi].households);
    }
    progress_end(&pg);
    if (step != SQLITE_DONE) { fail_db(db, file, _("cannot read households"), err, errlen); goto out; }
    sqlite3_finalize(st);
    st = NULL;

    if (stage_dim_bits(db, file, &sb, err, errlen) < 0) goto out;
    if (sqlite3_prepare_v2(db, "SELECT household, stage FROM findings WHERE severity='fail'", -1, &st, NULL)
        != SQLITE_OK) {
        fail_db(db, file, _("cannot read findings"), err, errlen);
        goto out;
    }
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        sqlite3_int64 h = sqlite3_column_int64(st, 0);
        const char *stage = (const char *)sqlite3_column_text(st, 1);
        if (h > 0 && (size_t)h < nmap && hid_uid[h] && stage)
            s->q[qi].r[hid_uid[h] - 1].fails |= (uint8_t)stage_bit(&sb, stage);
    }
    if (step != SQLITE_DONE) { fail_db(db, file, _("cannot read findings"), err, errlen); goto out; }
    sqlite3_finalize(st);
    st = NULL;

    if (sqlite3_prepare_v2(db, "SELECT DISTINCT household_id FROM rejects WHERE household_id <> ''", -1, &st, NULL)
        != SQLITE_OK) {
        fail_db(db, file, _("cannot read rejects"), err, errlen);
        goto out;
    }
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        const char *hid = (const char *)sqlite3_column_text(st, 0);
        uint32_t uid;
        qd_rec *r;
        if (!hid || sqlite3_column_type(st, 0) != SQLITE_TEXT) continue;
        if (qd_uid(s, hid, (size_t)sqlite3_column_bytes(st, 0), &uid) < 0 || !(r = qd_put(s, qi, uid))) goto oom;
        if (r->state == QD_ABSENT) {
            r->state = QD_REJECTED;
            s->q[qi].rejected++;
        }
    }
    if (step != SQLITE_DONE) { fail_db(db, file, _("cannot read rejects"), err, errlen); goto out; }

    info->regions[0] = '\0';
    for (i = 0; i < 100; i++)
        if (prov[i]) {
            size_t n = strlen(info->regions);
            snprintf(info->regions + n, sizeof info->regions - n, "%s%02u", n ? "+" : "", (unsigned)i);
        }
    if (!info->regions[0]) snprintf(info->regions, sizeof info->regions, "none");
    info->rejected = s->q[qi].rejected;
    rc = 0;
    goto out;
oom:
    snprintf(err, errlen, _("out of memory"));
out:
    progress_end(&pg);
    sqlite3_finalize(st);
    free(hid_uid);
    stage_bits_free(&sb);
    return rc;
}

static void notice(const qd_load_opts *o, const char *fmt, const char *a, const char *b)
{
    if (o->quiet) return;
    fprintf(stderr, _("tuopin: %s: notice: "), o->who ? o->who : "compare");
    fprintf(stderr, fmt, a, b);
    fputc('\n', stderr);
}

/* Transfer incomes of the quarter's households from the input file: the
 * first row of the first block of each household id (the block the run
 * evaluated; a later block with the same id was rejected as split).
 * RETURN 1 read, 0 not available (notice given), -1 error. */
static int read_transfers(qd_set *s, int qi, const char *path, const char *want_sha,
                          const qd_load_opts *o, char *err, size_t errlen)
{
    run_config cfg;
    source *src;
    csv_record rec;
    schema_map map;
    size_t i;
    unsigned char *seen = NULL;
    char prev[256] = "", sha[65], msg[512], what[96];
    int rc = -1, step, have_prev = 0, pid, ptr;
    progress pg;
    struct stat stb;

    memset(&cfg, 0, sizeof cfg);
    memset(&map, 0, sizeof map);
    memset(&pg, 0, sizeof pg);
    if (stat(path, &stb) != 0 || !S_ISREG(stb.st_mode)) {
        notice(o, _("%s: the run's input file is not here: transfer incomes unknown for %s (give --input FILE)"),
               path, s->q[qi].label);
        return 0;
    }
    cfg.input = (char *)(uintptr_t)path;
    if (!(src = source_open(&cfg, msg, sizeof msg))) {
        snprintf(err, errlen, "%s", msg);
        return -1;
    }
    if ((step = source_next(src, &rec)) <= 0) {
        snprintf(err, errlen, "%s: %s", path, step < 0 ? source_error(src) : _("no header: the file is empty"));
        goto out;
    }
    if (schema_map_fields(&map, rec.fields, rec.nfields, msg, sizeof msg) < 0) {
        snprintf(err, errlen, "%s: %s", path, msg);
        goto out;
    }
    pid = map.pos[COL_HOUSEHOLD_ID];
    ptr = map.pos[COL_TRANSFER_INCOME];
    if (pid < 0 || ptr < 0) {
        notice(o, _("%s: no %s column: transfer incomes unknown"), path,
               pid < 0 ? "household_id" : "transfer_income");
        rc = 0;
        goto out;
    }
    if (!(seen = calloc(s->nids / 8 + 1, 1))) goto oom;
    snprintf(what, sizeof what, _("reading %s transfers"), s->q[qi].label);
    progress_begin(&pg, !o->quiet, what, _("bytes"), source_size(src) > 0 ? (unsigned long long)source_size(src) : 0);
    while ((step = source_next(src, &rec)) > 0) {
        const csv_field *f;
        int64_t uid;
        progress_row(&pg, source_offset(src));
        if (rec.nfields != map.ncols || rec.unterminated || rec.bad_encoding) continue;
        f = &rec.fields[pid];
        if (have_prev && f->n < sizeof prev && !memcmp(prev, f->p, f->n) && prev[f->n] == '\0') continue;
        have_prev = f->n < sizeof prev;
        if (have_prev) {
            memcpy(prev, f->p, f->n);
            prev[f->n] = '\0';
        }
        if ((uid = qd_lookup(s, f->p, f->n)) < 0 || (size_t)uid >= s->nids) continue;
        if (seen[uid / 8] & (1u << (uid % 8))) continue;
        seen[uid / 8] |= (unsigned char)(1u << (uid % 8));
        if ((size_t)uid < s->q[qi].cap && s->q[qi].r[uid].state == QD_PRESENT) {
            tp_money m = val_money(rec.fields[ptr].p, 1);
            qd_rec *r = &s->q[qi].r[uid];
            if (m.state == TP_OK) r->transfer = m.cents;
            else if (m.state == TP_MISSING) r->transfer = 0;   /* blank counts as 0 */
            if (m.state != TP_BAD) r->flags |= QD_TRANSFER;
        }
    }
    progress_end(&pg);
    if (step < 0) {
        snprintf(err, errlen, "%s: %s", path, source_error(src));
        goto out;
    }
    source_sha256(src, sha);
    if (want_sha && want_sha[0] && strcmp(sha, want_sha)) {
        snprintf(err, errlen, _("%s: the file changed since the run (its SHA-256 differs from the run's record); "
                 "give the file the run read with --input, or --no-input"), path);
        goto out;
    }
    rc = 1;
    goto out;
oom:
    snprintf(err, errlen, _("out of memory"));
out:
    if (rc < 0) {
        /* transfers of a file that is not the run's are not kept */
        for (i = 0; i < s->q[qi].cap; i++) s->q[qi].r[i].flags &= (uint8_t)~QD_TRANSFER;
    }
    progress_end(&pg);
    free(seen);
    schema_map_free(&map);
    source_close(src);
    return rc;
}

int qd_load_run(qd_set *s, const char *run_dir, const qd_load_opts *o, int *qi,
                qd_run_info *info, char *err, size_t errlen)
{
    char *file = NULL;
    sqlite3 *db = NULL;
    int rc = -1, q;

    memset(info, 0, sizeof *info);
    if (rdb_open_run(run_dir, &db, &file, err, errlen) < 0) goto out;
    if (read_run_record(db, file, info, err, errlen) < 0) goto out;
    if ((q = qd_add_quarter(s, info->quarter, run_dir)) < 0) {
        if (q == -2) snprintf(err, errlen, _("%s: the run record's quarter is not of the form YYYYQn"), file);
        else snprintf(err, errlen, _("out of memory"));
        goto out;
    }
    s->q[q].line = info->line;
    snprintf(s->q[q].line_origin, sizeof s->q[q].line_origin, "%s", info->line_origin);
    s->q[q].below_standard = info->below_standard;
    if (read_households(s, q, db, file, o, info, err, errlen) < 0) goto out;
    if (o->kept) {
        /* the run just made kept its transfers: the input is not read again */
        s->q[q].has_transfers = info->has_transfers = 1;
        if (o->input && !(info->input_used = strdup(o->input))) {
            snprintf(err, errlen, _("out of memory"));
            goto out;
        }
    } else if (!o->no_input) {
        const char *in = o->input ? o->input : info->input_path;
        int t;
        if (!in || !in[0] || !strcmp(in, "-")) {
            notice(o, _("%s: the run read standard input: transfer incomes unknown for %s (give --input FILE)"),
                   run_dir, info->quarter);
        } else {
            if ((t = read_transfers(s, q, in, info->input_sha256, o, err, errlen)) < 0) goto out;
            if (t == 1) {
                s->q[q].has_transfers = info->has_transfers = 1;
                info->input_used = strdup(in);
            }
        }
    }
    *qi = q;
    rc = 0;
out:
    if (db) sqlite3_close(db);
    free(file);
    return rc;
}
