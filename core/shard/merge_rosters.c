/* merge_rosters.c — rosters.csv, roster_rejects.csv and the roster tables of
 * tuopin merge (merge_rosters.h). */
#define _POSIX_C_SOURCE 200809L
#include "merge_rosters.h"
#include "csv.h"
#include "i18n.h"
#include "output.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define READ_BUF (1u << 16)
#define MAX_RECORD (1u << 20)

/* The whole file at path into *buf.  RETURN 1, 0 when it does not exist,
 * -1 on another error (err set). */
static int slurp(const char *path, char **buf, size_t *len, char *err, size_t errlen)
{
    FILE *f = fopen(path, "rb");
    size_t cap = 1 << 16, n = 0, got;
    char *b;
    if (!f) {
        if (errno == ENOENT) return 0;
        snprintf(err, errlen, _("%s: cannot open: %s"), path, strerror(errno));
        return -1;
    }
    b = malloc(cap);
    while (b && (got = fread(b + n, 1, cap - n, f)) > 0) {
        n += got;
        if (n == cap) {
            char *nb = realloc(b, cap * 2);
            if (!nb) { free(b); b = NULL; break; }
            b = nb;
            cap *= 2;
        }
    }
    if (!b || ferror(f)) {
        snprintf(err, errlen, b ? _("%s: cannot read: %s") : _("out of memory"), path, strerror(errno));
        free(b);
        fclose(f);
        return -1;
    }
    fclose(f);
    if (n >= 3 && !memcmp(b, OUT_UTF8_BOM, 3)) {   /* CSV outputs begin with it (output.h) */
        memmove(b, b + 3, n - 3);
        n -= 3;
    }
    *buf = b;
    *len = n;
    return 1;
}

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

static int parse_u64(const char *s, uint64_t *v)
{
    char *end;
    if (!*s || *s == '-') return -1;
    errno = 0;
    *v = strtoull(s, &end, 10);
    return *end || errno ? -1 : 0;
}

/* The kinds (bits 1u << kind) that have rows in a run's rosters.csv: the
 * kinds that run was given (every run of a merge was given the same). */
static unsigned kinds_in(const char *text, size_t len)
{
    unsigned kinds = 0;
    const char *p = memchr(text, '\n', len), *end = text + len;
    while (p && ++p < end) {
        const char *comma = memchr(p, ',', (size_t)(end - p)), *nl;
        char name[32];
        int kind;
        if (!comma) break;
        nl = memchr(comma + 1, ',', (size_t)(end - comma - 1));
        if (nl && (size_t)(nl - comma - 1) < sizeof name) {
            memcpy(name, comma + 1, (size_t)(nl - comma - 1));
            name[nl - comma - 1] = '\0';
            if ((kind = roster_kind_parse(name)) >= 0) kinds |= 1u << kind;
        }
        p = memchr(comma, '\n', (size_t)(end - comma));
    }
    return kinds;
}

/* One run's rosters.csv added to s->rc.  RETURN 0 or -1. */
static int add_counts(merge_rosters *s, const char *path, const char *text, size_t len,
                      const char *ghost, char *err, size_t errlen)
{
    memsrc src = { text, len, 0 };
    csv_reader *r = csv_open(mem_read, &src, READ_BUF, MAX_RECORD);
    csv_record rec;
    int rc, first = 1, ok = -1;
    unsigned given = kinds_in(text, len);
    if (!r) { snprintf(err, errlen, _("out of memory")); return -1; }
    while ((rc = csv_next(r, &rec)) == 1) {
        uint64_t persons, matched, unmatched, findings;
        int kind;
        if (first) {
            first = 0;
            if (rec.raw_len + 1 != strlen(rc_header) || memcmp(rec.raw, rc_header, rec.raw_len)) goto bad;
            continue;
        }
        if (rec.nfields != 6 || (kind = roster_kind_parse(rec.fields[1].p)) < 0
            || parse_u64(rec.fields[2].p, &persons) < 0 || parse_u64(rec.fields[3].p, &matched) < 0
            || parse_u64(rec.fields[4].p, &unmatched) < 0 || parse_u64(rec.fields[5].p, &findings) < 0
            || matched + unmatched != persons)
            goto bad;
        if (!strncmp(rec.fields[0].p, ghost, 6)) continue;
        if (rc_add_counts(s->rc, rec.fields[0].p, kind, given, persons, matched, findings) < 0) goto bad;
    }
    if (rc == 0 && !first) ok = 0;
    else goto bad;
    csv_close(r);
    return ok;
bad:
    snprintf(err, errlen, _("%s: not the rosters.csv of a tuopin run"), path);
    csv_close(r);
    return -1;
}

/* The rejects of roster_rejects.csv into s->rs, for the reports and the
 * database.  RETURN 0 or -1. */
static int parse_rejects(merge_rosters *s, const char *path, char *err, size_t errlen)
{
    static const char *const codes[] = { "ROW_UNTERMINATED_QUOTE", "ROW_ENCODING", "ROW_FIELD_COUNT",
                                         "ROSTER_BAD_ID", "ROSTER_BAD_VALUE", "ROSTER_DUPLICATE", NULL };
    memsrc src = { s->rejects, s->rejects_len, 0 };
    csv_reader *r = csv_open(mem_read, &src, READ_BUF, MAX_RECORD);
    csv_record rec;
    int rc, first = 1;
    if (!r) { snprintf(err, errlen, _("out of memory")); return -1; }
    while ((rc = csv_next(r, &rec)) == 1) {
        roster_reject *j;
        int kind, c;
        char *end;
        if (first) {
            first = 0;
            if (rec.raw_len + 1 != strlen(roster_rejects_header)
                || memcmp(rec.raw, roster_rejects_header, rec.raw_len))
                goto bad;
            continue;
        }
        if (rec.nfields != 5 || (kind = roster_kind_parse(rec.fields[0].p)) < 0) goto bad;
        for (c = 0; codes[c] && strcmp(codes[c], rec.fields[3].p); c++) ;
        if (!codes[c]) goto bad;
        if (s->rs.nrej == s->rs.rejcap) {
            size_t ncap = s->rs.rejcap ? 2 * s->rs.rejcap : 64;
            roster_reject *nr = realloc(s->rs.rej, ncap * sizeof *nr);
            char **nf = realloc(s->files, ncap * sizeof *nf);
            if (nr) s->rs.rej = nr;
            if (nf) s->files = nf;
            if (!nr || !nf) goto oom;
            s->rs.rejcap = ncap;
        }
        j = &s->rs.rej[s->rs.nrej];
        j->kind = (tp_roster_kind)kind;
        j->code = codes[c];
        j->line = strtol(rec.fields[2].p, &end, 10);
        if (*end || j->line < 1) goto bad;
        if (!(s->files[s->nfiles] = strdup(rec.fields[1].p))) goto oom;
        j->file = s->files[s->nfiles++];
        if (!(j->detail = strdup(rec.fields[4].p))) goto oom;
        s->rs.nrej++;
    }
    csv_close(r);
    if (rc != 0 || first) {
        snprintf(err, errlen, _("%s: not the roster_rejects.csv of a tuopin run"), path);
        return -1;
    }
    return 0;
bad:
    snprintf(err, errlen, _("%s: not the roster_rejects.csv of a tuopin run"), path);
    csv_close(r);
    return -1;
oom:
    snprintf(err, errlen, _("out of memory"));
    csv_close(r);
    return -1;
}

int mr_load(merge_rosters *s, char *const *dirs, sqlite3 *const *dbs, const char *const *db_paths,
            size_t n, const char *ghost_county, char *err, size_t errlen)
{
    size_t i;
    char path[4096];
    memset(s, 0, sizeof *s);
    for (i = 0; i < n; i++) {
        char *text = NULL;
        size_t len = 0;
        int r;
        sqlite3_stmt *q = NULL;
        snprintf(path, sizeof path, "%s/rosters.csv", dirs[i]);
        r = slurp(path, &text, &len, err, errlen);
        if (r < 0) return -1;
        if (i > 0 && r != s->present) {
            snprintf(err, errlen, r ? _("%s: this run had department rosters, %s did not")
                                    : _("%s: this run had no department rosters, %s did"),
                     dirs[i], dirs[0]);
            free(text);
            return -1;
        }
        s->present = r;
        if (!r) continue;
        if (!s->rc && !(s->rc = rc_new(0))) {
            free(text);
            snprintf(err, errlen, _("out of memory"));
            return -1;
        }
        r = add_counts(s, path, text, len, ghost_county, err, errlen);
        free(text);
        if (r < 0) return -1;

        /* every run was given the same rosters: the same rejects */
        snprintf(path, sizeof path, "%s/roster_rejects.csv", dirs[i]);
        r = slurp(path, &text, &len, err, errlen);
        if (r < 0) return -1;
        if (r == 0) {
            snprintf(err, errlen, _("%s: cannot open: %s"), path, strerror(ENOENT));
            return -1;
        }
        if (i == 0) {
            s->rejects = text;
            s->rejects_len = len;
        } else {
            int same = len == s->rejects_len && !memcmp(text, s->rejects, len);
            free(text);
            if (!same) {
                snprintf(err, errlen, _("%s: its roster_rejects.csv differs from that of %s: every shard "
                                        "run must be given the same rosters (docs/sharding.md)"),
                         dirs[i], dirs[0]);
                return -1;
            }
        }

        /* the households whose verdict a roster changed */
        if (sqlite3_prepare_v2(dbs[i], "SELECT county_code, households_changed, persons_changed"
                               " FROM roster_verdicts", -1, &q, NULL) != SQLITE_OK) {
            snprintf(err, errlen, "%s: %s", db_paths[i], sqlite3_errmsg(dbs[i]));
            return -1;
        }
        while ((r = sqlite3_step(q)) == SQLITE_ROW) {
            const char *code = (const char *)sqlite3_column_text(q, 0);
            if (!code || !strncmp(code, ghost_county, 6)) continue;
            if (rc_add_changed(s->rc, code, (uint64_t)sqlite3_column_int64(q, 1),
                               (uint64_t)sqlite3_column_int64(q, 2)) < 0) {
                r = SQLITE_ERROR;
                break;
            }
        }
        sqlite3_finalize(q);
        if (r != SQLITE_DONE) {
            snprintf(err, errlen, _("%s: cannot read its roster_verdicts"), db_paths[i]);
            return -1;
        }
    }
    if (s->present) {
        snprintf(path, sizeof path, "%s/roster_rejects.csv", dirs[0]);
        if (parse_rejects(s, path, err, errlen) < 0) return -1;
    }
    return 0;
}

int mr_write(merge_rosters *s, agg *a, const char *out_dir, char *err, size_t errlen)
{
    size_t n;
    if (!s->present) return 0;
    if (out_open(&s->o_rosters, out_dir, "rosters.csv", err, errlen) < 0
        || out_open(&s->o_rejects, out_dir, "roster_rejects.csv", err, errlen) < 0)
        return -1;
    if (rc_write(s->rc, s->o_rosters.f) < 0
        || fwrite(s->rejects, 1, s->rejects_len, s->o_rejects.f) != s->rejects_len) {
        snprintf(err, errlen, _("%s: cannot write: %s"), out_dir, strerror(errno));
        return -1;
    }
    rc_sorted(s->rc, &n);
    agg_set_rosters(a, s->rc, &s->rs);
    return 0;
}

int mr_commit(merge_rosters *s, char *err, size_t errlen)
{
    if (!s->present) return 0;
    if (out_commit(&s->o_rosters, err, errlen) < 0 || out_commit(&s->o_rejects, err, errlen) < 0) return -1;
    return 0;
}

void mr_free(merge_rosters *s)
{
    size_t i;
    out_abort(&s->o_rosters);
    out_abort(&s->o_rejects);
    rc_free(s->rc);
    for (i = 0; i < s->rs.nrej; i++) free(s->rs.rej[i].detail);
    free(s->rs.rej);
    for (i = 0; i < s->nfiles; i++) free(s->files[i]);
    free(s->files);
    free(s->rejects);
    memset(s, 0, sizeof *s);
}
