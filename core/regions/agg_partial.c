/* agg_partial.c — village counts in and out of results.sqlite (agg_partial.h).
 *
 * partial_villages has one column per counter of agg_region, named after
 * the summary's columns; partial_stage_failures and partial_failures hold the
 * per-stage and per-(stage, code) counters, only where they are not zero. */
#define _POSIX_C_SOURCE 200809L
#include "agg_partial.h"
#include "agg_internal.h"
#include "i18n.h"
#include "fail.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* 1 (village) + 3 + 3 + 7 + 7 + 1 + 2 + 2 + 6 + 6 */
#define NCOUNTERS (AGG_NSTATUS * 2 + AGG_NASSESS * 2 + 5 + AGG_NDIMS * 2)

static const char *const status_names[AGG_NSTATUS] = { "poor", "exited", "general" };

/* The counters of a region in column order, as pointers. */
static void counters(agg_region *r, uint64_t **c)
{
    int k, n = 0;
    for (k = 0; k < AGG_NSTATUS; k++) c[n++] = &r->hh_status[k];
    for (k = 0; k < AGG_NSTATUS; k++) c[n++] = &r->persons_status[k];
    for (k = 0; k < AGG_NASSESS; k++) c[n++] = &r->hh_assess[k];
    for (k = 0; k < AGG_NASSESS; k++) c[n++] = &r->persons_assess[k];
    c[n++] = &r->hh_ready;
    c[n++] = &r->sat_yes;
    c[n++] = &r->sat_no;
    c[n++] = &r->af_poor;
    c[n++] = &r->af_score;
    for (k = 0; k < AGG_NDIMS; k++) c[n++] = &r->af_dep[k];
    for (k = 0; k < AGG_NDIMS; k++) c[n++] = &r->af_cens[k];
}

/* "name1,name2,…" of the counters, with " INTEGER NOT NULL" when typed. */
static void column_list(char *buf, size_t len, int typed)
{
    const char *ty = typed ? " INTEGER NOT NULL" : "";
    size_t n = 0;
    int k;
#define ADD(...) n += (size_t)snprintf(buf + n, n < len ? len - n : 0, __VA_ARGS__)
    for (k = 0; k < AGG_NSTATUS; k++) ADD(",households_%s%s", status_names[k], ty);
    for (k = 0; k < AGG_NSTATUS; k++) ADD(",persons_%s%s", status_names[k], ty);
    for (k = 0; k < AGG_NASSESS; k++) ADD(",households_%s%s", hh_assessment_name((hh_assessment)k), ty);
    for (k = 0; k < AGG_NASSESS; k++) ADD(",persons_%s%s", hh_assessment_name((hh_assessment)k), ty);
    ADD(",households_exit_ready%s,satisfied_yes%s,satisfied_no%s,af_poor_persons%s,af_score_sum%s",
        ty, ty, ty, ty, ty);
    for (k = 0; k < AGG_NDIMS; k++) ADD(",af_deprived_%s%s", agg_dim_names[k], ty);
    for (k = 0; k < AGG_NDIMS; k++) ADD(",af_censored_%s%s", agg_dim_names[k], ty);
#undef ADD
}

static int quality_write(sqlite3 *db, const char *file, const agg *a, const size_t *order,
                         char *err, size_t errlen);

int agg_partial_write(sqlite3 *db, const char *file, const agg *a, char *err, size_t errlen)
{
    char cols[4096], sql[8192];
    sqlite3_stmt *v = NULL, *st = NULL, *fl = NULL;
    size_t *order = NULL, *corder = NULL, i, j;
    int k, rc = -1;
    column_list(cols, sizeof cols, 1);
    snprintf(sql, sizeof sql,
             "CREATE TABLE partial_villages(village TEXT PRIMARY KEY%s);"
             "CREATE TABLE partial_stage_failures(village TEXT NOT NULL, stage INTEGER NOT NULL,"
             " households INTEGER NOT NULL, PRIMARY KEY(village, stage));"
             "CREATE TABLE partial_failures(village TEXT NOT NULL, stage INTEGER NOT NULL,"
             " code TEXT NOT NULL, households INTEGER NOT NULL, persons INTEGER NOT NULL,"
             " findings INTEGER NOT NULL, PRIMARY KEY(village, stage, code));", cols);
    if (sqlite3_exec(db, sql, NULL, NULL, NULL) != SQLITE_OK)
        return fail_db(db, file, _("cannot create the partial counts"), err, errlen);
    {
        size_t n = (size_t)snprintf(sql, sizeof sql, "INSERT INTO partial_villages VALUES(?");
        for (k = 0; k < NCOUNTERS; k++) n += (size_t)snprintf(sql + n, sizeof sql - n, ",?");
        snprintf(sql + n, sizeof sql - n, ")");
    }
    if (sqlite3_prepare_v2(db, sql, -1, &v, NULL) != SQLITE_OK
        || sqlite3_prepare_v2(db, "INSERT INTO partial_stage_failures VALUES(?,?,?)", -1, &st, NULL) != SQLITE_OK
        || sqlite3_prepare_v2(db, "INSERT INTO partial_failures VALUES(?,?,?,?,?,?)", -1, &fl, NULL) != SQLITE_OK) {
        fail_db(db, file, _("cannot prepare"), err, errlen);
        goto out;
    }
    /* in the order of the codes, not of their first occurrence, so that
     * every run that counted the same writes the same rows */
    if (!(order = agg_sorted(a)) || !(corder = agg_codes_sorted(a))) {
        snprintf(err, errlen, _("out of memory"));
        goto out;
    }
    for (i = 0; i < a->nr; i++) {
        agg_region *r = &a->r[order[i]];
        uint64_t *c[NCOUNTERS];
        if (r->level != AGG_VILLAGE) continue;
        counters(r, c);
        sqlite3_bind_text(v, 1, r->code, -1, SQLITE_STATIC);
        for (k = 0; k < NCOUNTERS; k++) sqlite3_bind_int64(v, k + 2, (sqlite3_int64)*c[k]);
        if (sqlite3_step(v) != SQLITE_DONE) { fail_db(db, file, _("cannot store partial counts"), err, errlen); goto out; }
        sqlite3_reset(v);
        for (j = 0; j < a->nstages; j++) {
            if (!r->stage_failed[j]) continue;
            sqlite3_bind_text(st, 1, r->code, -1, SQLITE_STATIC);
            sqlite3_bind_int64(st, 2, (sqlite3_int64)j + 1);
            sqlite3_bind_int64(st, 3, (sqlite3_int64)r->stage_failed[j]);
            if (sqlite3_step(st) != SQLITE_DONE) { fail_db(db, file, _("cannot store partial counts"), err, errlen); goto out; }
            sqlite3_reset(st);
        }
        for (j = 0; j < a->ncodes; j++) {
            size_t ci = corder[j];
            const agg_fail *f;
            if (ci >= r->nfails) continue;
            f = &r->fails[ci];
            if (!f->households && !f->findings) continue;
            sqlite3_bind_text(fl, 1, r->code, -1, SQLITE_STATIC);
            sqlite3_bind_int64(fl, 2, (sqlite3_int64)a->codes[ci].stage + 1);
            sqlite3_bind_text(fl, 3, a->codes[ci].code, -1, SQLITE_STATIC);
            sqlite3_bind_int64(fl, 4, (sqlite3_int64)f->households);
            sqlite3_bind_int64(fl, 5, (sqlite3_int64)f->persons);
            sqlite3_bind_int64(fl, 6, (sqlite3_int64)f->findings);
            if (sqlite3_step(fl) != SQLITE_DONE) { fail_db(db, file, _("cannot store partial counts"), err, errlen); goto out; }
            sqlite3_reset(fl);
        }
    }
    if (quality_write(db, file, a, order, err, errlen) < 0) goto out;
    rc = 0;
out:
    free(order);
    free(corder);
    sqlite3_finalize(v);
    sqlite3_finalize(st);
    sqlite3_finalize(fl);
    return rc;
}

/* ---- the village quality signals' counters (docs/quality.md) ---------------
 * One row per village of the shard.  A village lies wholly in one shard
 * (split cuts by region), so its copied count — which needs the income
 * tuples, not kept — is exact; the sums of income_pc are 128-bit, kept as
 * decimal text. */
#define QCOLS "households,missing_bad,copied,amounts,round_amounts,near_below,near_above," \
              "exited,exited_near,income_n"
#define NQCOLS 10

static void q_counters(agg_quality *q, uint64_t **c)
{
    c[0] = &q->hh; c[1] = &q->missing_bad; c[2] = &q->copied; c[3] = &q->amounts;
    c[4] = &q->round_amounts; c[5] = &q->near_below; c[6] = &q->near_above;
    c[7] = &q->exited; c[8] = &q->exited_near; c[9] = &q->inc_n;
}

static void u128_text(unsigned __int128 v, int neg, char *buf)
{
    char t[48];
    int n = 0, i = 0;
    do { t[n++] = (char)('0' + (int)(v % 10)); v /= 10; } while (v);
    if (neg) buf[i++] = '-';
    while (n) buf[i++] = t[--n];
    buf[i] = '\0';
}

/* RETURN 0, or -1 when s is not a decimal integer that fits. */
static int text_u128(const char *s, unsigned __int128 *v, int *neg)
{
    unsigned __int128 x = 0;
    *neg = s && *s == '-';
    if (!s) return -1;
    if (*neg) s++;
    if (!*s) return -1;
    for (; *s; s++) {
        if (*s < '0' || *s > '9' || x > (~(unsigned __int128)0 - 9) / 10) return -1;
        x = x * 10 + (unsigned)(*s - '0');
    }
    *v = x;
    return 0;
}

static int quality_write(sqlite3 *db, const char *file, const agg *a, const size_t *order,
                         char *err, size_t errlen)
{
    sqlite3_stmt *v = NULL;
    size_t i;
    int k, rc = -1;
    char sql[512];
    if (!a->quality) return 0;
    snprintf(sql, sizeof sql, "CREATE TABLE partial_quality_line(income_line INTEGER NOT NULL);"
             "INSERT INTO partial_quality_line VALUES(%lld);"
             "CREATE TABLE partial_quality(village TEXT PRIMARY KEY," QCOLS ",income_sum TEXT NOT NULL,"
             "income_squares TEXT NOT NULL);", (long long)a->q_line);
    if (sqlite3_exec(db, sql, NULL, NULL, NULL) != SQLITE_OK)
        return fail_db(db, file, _("cannot create the partial counts"), err, errlen);
    if (sqlite3_prepare_v2(db, "INSERT INTO partial_quality VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?)", -1, &v, NULL)
        != SQLITE_OK) {
        fail_db(db, file, _("cannot prepare"), err, errlen);
        goto out;
    }
    for (i = 0; i < a->nr; i++) {
        agg_region *r = &a->r[order[i]];
        uint64_t *c[NQCOLS];
        char sum[64], sq[64];
        if (r->level != AGG_VILLAGE) continue;
        q_counters(&r->q, c);
        sqlite3_bind_text(v, 1, r->code, -1, SQLITE_STATIC);
        for (k = 0; k < NQCOLS; k++) sqlite3_bind_int64(v, k + 2, (sqlite3_int64)*c[k]);
        u128_text(r->q.inc_sum < 0 ? (unsigned __int128)-r->q.inc_sum : (unsigned __int128)r->q.inc_sum,
                  r->q.inc_sum < 0, sum);
        u128_text(r->q.inc_sq, 0, sq);
        sqlite3_bind_text(v, NQCOLS + 2, sum, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(v, NQCOLS + 3, sq, -1, SQLITE_TRANSIENT);
        if (sqlite3_step(v) != SQLITE_DONE) { fail_db(db, file, _("cannot store partial counts"), err, errlen); goto out; }
        sqlite3_reset(v);
    }
    rc = 0;
out:
    sqlite3_finalize(v);
    return rc;
}

/* Adds the quality counters, when the run that wrote db counted them.
 * RETURN 0, or -1 (err set; bad marks values out of range). */
/* Finalizes *s and prepares sql in its place.  RETURN 0, or -1 with
 * "FILE: WHAT: SQLite's reason" in err. */
static int prepare_next(sqlite3 *db, const char *file, const char *sql, sqlite3_stmt **s, const char *what,
                        char *err, size_t errlen)
{
    sqlite3_finalize(*s);
    *s = NULL;
    if (sqlite3_prepare_v2(db, sql, -1, s, NULL) == SQLITE_OK) return 0;
    return fail_db(db, file, what, err, errlen);
}

static int quality_load(sqlite3 *db, const char *file, agg *a, const char *skip, int *bad,
                        char *err, size_t errlen)
{
    sqlite3_stmt *s = NULL;
    int k, step, rc = -1;
    *bad = 0;
    if (sqlite3_prepare_v2(db, "SELECT income_line FROM partial_quality_line", -1, &s, NULL) != SQLITE_OK)
        return 0;   /* written without the signals */
    if (sqlite3_step(s) == SQLITE_ROW) {
        sqlite3_int64 line = sqlite3_column_int64(s, 0);
        if (a->quality && a->q_line != line) { *bad = 1; goto out; }
        agg_enable_quality(a, line);
    }
    if (prepare_next(db, file, "SELECT village," QCOLS ",income_sum,income_squares FROM partial_quality"
                     " ORDER BY village", &s, _("cannot read partial counts"), err, errlen) < 0)
        goto out;
    while ((step = sqlite3_step(s)) == SQLITE_ROW) {
        const char *code = (const char *)sqlite3_column_text(s, 0);
        uint64_t *c[NQCOLS];
        unsigned __int128 sum, sq;
        int neg, neg2;
        size_t idx;
        if (!code) { *bad = 1; goto out; }
        if (skip && !strcmp(code, skip)) continue;
        if (agg_village_at(a, code, &idx) < 0
            || text_u128((const char *)sqlite3_column_text(s, NQCOLS + 1), &sum, &neg) < 0
            || text_u128((const char *)sqlite3_column_text(s, NQCOLS + 2), &sq, &neg2) < 0 || neg2) {
            *bad = 1;
            goto out;
        }
        q_counters(&a->r[idx].q, c);
        for (k = 0; k < NQCOLS; k++) {
            sqlite3_int64 x = sqlite3_column_int64(s, k + 1);
            if (x < 0) { *bad = 1; goto out; }
            *c[k] += (uint64_t)x;
        }
        a->r[idx].q.inc_sum += neg ? -(__int128)sum : (__int128)sum;
        a->r[idx].q.inc_sq += sq;
    }
    if (step != SQLITE_DONE) { fail_db(db, file, _("cannot read partial counts"), err, errlen); goto out; }
    rc = 0;
out:
    sqlite3_finalize(s);
    return rc;
}

int agg_partial_load(sqlite3 *db, const char *file, agg *a, const char *skip, char *err, size_t errlen)
{
    int qbad = 0;
    char cols[4096], sql[8192];
    sqlite3_stmt *s = NULL;
    int k, rc = -1, step;
    column_list(cols, sizeof cols, 0);
    snprintf(sql, sizeof sql, "SELECT village%s FROM partial_villages ORDER BY village", cols);
    if (prepare_next(db, file, sql, &s, _("no partial counts (written by a tuopin without tuopin merge?)"),
                     err, errlen) < 0)
        goto out;
    while ((step = sqlite3_step(s)) == SQLITE_ROW) {
        const char *code = (const char *)sqlite3_column_text(s, 0);
        uint64_t *c[NCOUNTERS];
        size_t idx;
        if (!code) goto bad;
        if (skip && !strcmp(code, skip)) continue;
        if (agg_village_at(a, code, &idx) < 0) goto bad;
        counters(&a->r[idx], c);
        for (k = 0; k < NCOUNTERS; k++) {
            sqlite3_int64 x = sqlite3_column_int64(s, k + 1);
            if (x < 0) goto bad;
            *c[k] += (uint64_t)x;
        }
    }
    if (step != SQLITE_DONE) { fail_db(db, file, _("cannot read partial counts"), err, errlen); goto out; }
    if (prepare_next(db, file, "SELECT village, stage, households FROM partial_stage_failures"
                     " ORDER BY village, stage", &s, _("cannot read partial counts"), err, errlen) < 0)
        goto out;
    while ((step = sqlite3_step(s)) == SQLITE_ROW) {
        const char *code = (const char *)sqlite3_column_text(s, 0);
        sqlite3_int64 stage = sqlite3_column_int64(s, 1), n = sqlite3_column_int64(s, 2);
        size_t idx;
        if (!code) goto bad;
        if (skip && !strcmp(code, skip)) continue;
        if (stage < 1 || (size_t)stage > a->nstages || n < 0 || agg_village_at(a, code, &idx) < 0) goto bad;
        a->r[idx].stage_failed[stage - 1] += (uint64_t)n;
    }
    if (step != SQLITE_DONE) { fail_db(db, file, _("cannot read partial counts"), err, errlen); goto out; }
    if (prepare_next(db, file, "SELECT village, stage, code, households, persons, findings"
                     " FROM partial_failures ORDER BY village, stage, code", &s, _("cannot read partial counts"),
                     err, errlen) < 0)
        goto out;
    while ((step = sqlite3_step(s)) == SQLITE_ROW) {
        const char *code = (const char *)sqlite3_column_text(s, 0);
        const char *fc = (const char *)sqlite3_column_text(s, 2);
        sqlite3_int64 stage = sqlite3_column_int64(s, 1);
        sqlite3_int64 h = sqlite3_column_int64(s, 3), p = sqlite3_column_int64(s, 4),
                      f = sqlite3_column_int64(s, 5);
        size_t idx;
        agg_fail *fl;
        if (!code || !fc) goto bad;
        if (skip && !strcmp(code, skip)) continue;
        if (stage < 0 || (size_t)stage > a->nstages || h < 0 || p < 0 || f < 0
            || agg_village_at(a, code, &idx) < 0)
            goto bad;
        if (agg_fail_at(a, idx, (int)stage - 1, fc, &fl) < 0) {
            snprintf(err, errlen, _("out of memory"));
            goto out;
        }
        fl->households += (uint64_t)h;
        fl->persons += (uint64_t)p;
        fl->findings += (uint64_t)f;
    }
    if (step != SQLITE_DONE) { fail_db(db, file, _("cannot read partial counts"), err, errlen); goto out; }
    sqlite3_finalize(s);
    s = NULL;
    if (quality_load(db, file, a, skip, &qbad, err, errlen) < 0) {
        if (qbad) goto bad;
        goto out;
    }
    rc = 0;
    goto out;
bad:
    snprintf(err, errlen, _("%s: partial counts out of range or of another pipeline (stages differ?)"), file);
out:
    sqlite3_finalize(s);
    return rc;
}
