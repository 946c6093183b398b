/* roster.c — department rosters into the roster index (standard §8.1).
 *
 * Each file is read by the registry's own source (source.h), so a roster
 * gets exactly the registry's encodings, BOM, quoting, trimming, empty-line
 * and mapping rules.  A row is rejected with the first of: a structural
 * fault of §1, ROSTER_BAD_ID, ROSTER_BAD_VALUE (naming the column),
 * ROSTER_DUPLICATE (the first accepted row stands). */
#define _POSIX_C_SOURCE 200809L
#include "roster.h"
#include "csv.h"
#include "i18n.h"
#include "sbuf.h"
#include "schema.h"
#include "source.h"
#include "values.h"

#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define ROSTER_BUFSIZE (256u << 10)

static const char *const kind_names[TP_ROSTER_KINDS] = {
    "hukou", "medical", "school", "housing", "assets"
};

const char roster_rejects_header[] = "kind,file,line,code,detail\n";

const char *roster_kind_name(tp_roster_kind k)
{
    return (unsigned)k < TP_ROSTER_KINDS ? kind_names[k] : "?";
}

int roster_kind_parse(const char *name)
{
    int k;
    for (k = 0; k < TP_ROSTER_KINDS; k++)
        if (!strcmp(name, kind_names[k])) return k;
    return -1;
}

/* The columns each kind needs (standard §8.1's table), person_id first. */
enum { RC_PERSON_ID, RC_HUKOU_STATUS, RC_EVENT_DATE, RC_INSURED, RC_ENROLLED, RC_RATING,
       RC_FIXED, RC_ASSET, RC_COUNT };
static const char *const rc_names[RC_COUNT] = {
    "person_id", "hukou_status", "event_date", "insured", "enrolled", "housing_rating",
    "housing_fixed", "asset"
};
static const int kind_cols[TP_ROSTER_KINDS][4] = {
    { RC_PERSON_ID, RC_HUKOU_STATUS, RC_EVENT_DATE, -1 },
    { RC_PERSON_ID, RC_INSURED, -1, -1 },
    { RC_PERSON_ID, RC_ENROLLED, -1, -1 },
    { RC_PERSON_ID, RC_RATING, RC_FIXED, -1 },
    { RC_PERSON_ID, RC_ASSET, -1, -1 },
};

/* Whether header name (length n) is roster column c: its name in any ASCII
 * case, or the registry's Chinese name of a column the registry has too. */
static int is_col(const char *name, size_t n, int c)
{
    int s;
    if (val_eq_ci(name, n, rc_names[c])) return 1;
    s = schema_lookup(rc_names[c]);
    return s >= 0 && n == strlen(schema_columns[s].zh) && !memcmp(name, schema_columns[s].zh, n);
}

/* Value words (any ASCII case), with their Chinese forms. */
static int word_in(const char *v, const char *const *words)
{
    size_t n = strlen(v);
    int i;
    for (i = 0; words[i]; i++)
        if (val_eq_ci(v, n, words[i])) return 1;
    return 0;
}

static int parse_hukou(const char *v)
{
    static const char *const active[] = { "active", "正常", "在册", NULL };
    static const char *const deceased[] = { "deceased", "死亡", NULL };
    static const char *const moved[] = { "moved_out", "迁出", NULL };
    if (word_in(v, active)) return TP_HUKOU_ACTIVE;
    if (word_in(v, deceased)) return TP_HUKOU_DECEASED;
    if (word_in(v, moved)) return TP_HUKOU_MOVED_OUT;
    return -1;
}

static int parse_asset(const char *v)
{
    static const char *const w[4][3] = {
        { "vehicle", "车辆", NULL }, { "commercial_housing", "商品房", NULL },
        { "business", "工商注册", NULL }, { "public_payroll", "财政供养", NULL }
    };
    int a;
    for (a = 0; a < 4; a++)
        if (word_in(v, w[a])) return a;
    return -1;
}

/* The rows one kind's thread reads, and what it found. */
typedef struct kind_load {
    roster_set *rs;
    tp_roster_kind kind;
    roster_reject *rej;                /* this kind's rejected rows, in order */
    size_t nrej, rejcap;
    int rc;
    char err[1024];
} kind_load;

/* One rejected row, kept for roster_rejects.csv and results.sqlite.
 * RETURN 0 or -1 (out of memory). */
static int put_reject(kind_load *kl, const char *file, long line, const char *code, const char *detail)
{
    roster_reject *r;
    if (mem_grow((void **)&kl->rej, &kl->rejcap, kl->nrej + 1, sizeof *kl->rej) < 0) return -1;
    r = &kl->rej[kl->nrej];
    r->kind = kl->kind;
    r->file = file;
    r->line = line;
    r->code = code;
    if (!(r->detail = strdup(detail))) return -1;
    kl->nrej++;
    return 0;
}

static void write_reject(FILE *out, const roster_reject *r)
{
    fprintf(out, "%s,", kind_names[r->kind]);
    csv_write_text(out, r->file, strlen(r->file));
    fprintf(out, ",%ld,%s,", r->line, r->code);
    csv_write_text(out, r->detail, strlen(r->detail));
    fputc('\n', out);
}

/* A value for a detail: at most 40 bytes, cut at a character. */
static void clip(const char *v, char *buf, size_t len)
{
    size_t n = strlen(v);
    if (n >= len) {
        n = len - 1;
        while (n > 0 && ((unsigned char)v[n] & 0xC0) == 0x80) n--;
    }
    memcpy(buf, v, n);
    buf[n] = '\0';
}

/* Checks one record's values for its kind.  RETURN the packed value, or 0
 * with *bad_col set to the first column at fault and *why to what. */
static uint64_t row_value(tp_roster_kind kind, const char *const *f, int *bad_col, int *missing)
{
    *missing = 0;
    switch (kind) {
    case TP_ROSTER_HUKOU: {
        int st = parse_hukou(f[RC_HUKOU_STATUS]);
        tp_date d = { TP_MISSING, 0, 0, 0 };
        if (st < 0) {
            *bad_col = RC_HUKOU_STATUS;
            *missing = f[RC_HUKOU_STATUS][0] == '\0';
            return 0;
        }
        if (st != TP_HUKOU_ACTIVE) {        /* ignored for active */
            d = val_date(f[RC_EVENT_DATE]);
            if (d.state != TP_OK) {
                *bad_col = RC_EVENT_DATE;
                *missing = d.state == TP_MISSING;
                return 0;
            }
        }
        return rv_hukou((tp_hukou_status)st, d);
    }
    case TP_ROSTER_MEDICAL:
    case TP_ROSTER_SCHOOL: {
        int c = kind == TP_ROSTER_MEDICAL ? RC_INSURED : RC_ENROLLED;
        tp_yesno y = val_yesno(f[c]);
        if (y.state != TP_OK) {
            *bad_col = c;
            *missing = y.state == TP_MISSING;
            return 0;
        }
        return kind == TP_ROSTER_MEDICAL ? rv_medical(y.value) : rv_school(y.value);
    }
    case TP_ROSTER_HOUSING: {
        tp_rating r = val_rating(f[RC_RATING]);
        tp_yesno y = val_yesno(f[RC_FIXED]);   /* blank allowed */
        if (r.state != TP_OK) {
            *bad_col = RC_RATING;
            *missing = r.state == TP_MISSING;
            return 0;
        }
        if (y.state == TP_BAD) {
            *bad_col = RC_FIXED;
            return 0;
        }
        return rv_housing(r.value, y);
    }
    case TP_ROSTER_ASSETS: {
        int a = parse_asset(f[RC_ASSET]);
        if (a < 0) {
            *bad_col = RC_ASSET;
            *missing = f[RC_ASSET][0] == '\0';
            return 0;
        }
        return rv_asset((tp_asset)a);
    }
    default:
        return 0;
    }
}

/* An open roster file, its header read and its columns found. */
struct roster_file {
    const roster_spec *sp;
    tp_roster_kind kind;
    source *src;
    const char *name;
    int pos[RC_COUNT];
    size_t ncols;
    size_t rows_guess;                 /* estimate_rows */
};

/* About how many rows the file at path has: its size times the lines in
 * its first 64 KiB over their bytes (a whole small file is counted).  For
 * sizing the index only (rix_reserve): 0 when it cannot tell. */
static size_t estimate_rows(const char *path)
{
    char buf[64u << 10];
    struct stat st;
    ssize_t n;
    size_t lines = 0, i;
    int fd;
    if (!strcmp(path, "-") || (fd = open(path, O_RDONLY)) < 0) return 0;
    if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || (n = read(fd, buf, sizeof buf)) <= 0) {
        close(fd);
        return 0;
    }
    close(fd);
    for (i = 0; i < (size_t)n; i++) lines += buf[i] == '\n';
    if (!lines) return 0;
    if ((size_t)n < sizeof buf) return lines;
    return (size_t)((double)lines * (double)st.st_size / (double)n);
}

/* Opens one roster file and reads its header.  RETURN 0, or -1 with err. */
static int open_file(roster_file *rf, const run_config *cfg, char *err, size_t errlen)
{
    run_config rc;
    csv_record rec;
    int r, c;
    size_t i;
    tp_roster_kind kind = rf->kind;
    const char *name;
    char msg[1024];

    memset(&rc, 0, sizeof rc);
    rc.input = rf->sp->path;
    rc.encoding = rf->sp->encoding;
    rc.mapping = rf->sp->mapping;
    rc.quiet = cfg->quiet;
    /* Five files are open at once, each read straight through by its own
     * thread: a smaller buffer than the registry's will do. */
    rf->src = source_open_sized(&rc, ROSTER_BUFSIZE, msg, sizeof msg);
    if (!rf->src) {
        snprintf(err, errlen, _("roster %s: %s"), kind_names[kind], msg);
        return -1;
    }
    /* Nothing asks for a roster's SHA-256 (the run record fingerprints
     * the registry): 224 MB of rosters cost 0.15-0.2 s of CPU to hash. */
    source_no_fingerprint(rf->src);
    name = rf->name = source_name(rf->src);
    for (c = 0; c < RC_COUNT; c++) rf->pos[c] = -1;

    /* The header: the first record with a non-blank field. */
    for (;;) {
        r = source_next(rf->src, &rec);
        if (r < 0) {
            snprintf(err, errlen, _("roster %s: %s: %s"), kind_names[kind], name, source_error(rf->src));
            return -1;
        }
        if (r == 0) {
            snprintf(err, errlen, _("roster %s: %s: no header: the file is empty"), kind_names[kind], name);
            return -1;
        }
        for (i = 0; i < rec.nfields && rec.fields[i].n == 0; i++) ;
        if (i < rec.nfields) break;
    }
    if (rec.unterminated || rec.bad_encoding) {
        snprintf(err, errlen, rec.unterminated ? _("roster %s: %s:%ld: the header has a quoted field that never ends")
                                               : _("roster %s: %s:%ld: the header is not valid in the file's encoding"),
                 kind_names[kind], name, rec.line);
        return -1;
    }
    rf->ncols = rec.nfields;
    for (i = 0; i < rf->ncols; i++)
        for (c = 0; c < RC_COUNT; c++)
            if (rf->pos[c] < 0 && is_col(rec.fields[i].p, rec.fields[i].n, c)) rf->pos[c] = (int)i;
    for (i = 0; i < 4 && kind_cols[kind][i] >= 0; i++)
        if (rf->pos[kind_cols[kind][i]] < 0) {
            snprintf(err, errlen, _("roster %s: %s: the header lacks column %s, which a %s roster needs"),
                     kind_names[kind], name, rc_names[kind_cols[kind][i]], kind_names[kind]);
            return -1;
        }
    return 0;
}

/* Accepted rows wait in a batch of PENDING before they go into the index:
 * the batch's slots are asked for one right after the other, then the rows
 * are added, so that the index's cache and TLB misses overlap instead of
 * following each other.  (Asking for each slot as its row was parsed, with
 * a row's parsing between two requests, cost 40 % more CPU for the whole
 * load: each request then waited for its own page walk.) */
#define PENDING 128
typedef struct pending { rid_key key[PENDING]; uint64_t val[PENDING]; long line[PENDING]; } pending;

/* Adds the batch to the index in order (each part's lock taken once for
 * the batch: rix_add_batch); a duplicate is rejected (its line is in
 * order: the batch is added before any other reject).  RETURN 0 or -1 (out
 * of memory, kl->err set). */
static int flush(kind_load *kl, roster_file *rf, pending *pb, size_t *np, unsigned long long *rejected)
{
    int res[PENDING];
    size_t i;
    if (!*np) return 0;
    for (i = 0; i < *np; i++) rix_prefetch(kl->rs->ix, pb->key[i]);
    if (rix_add_batch(kl->rs->ix, pb->key, pb->val, *np, rf->kind, res) < 0) goto oom;
    for (i = 0; i < *np; i++)
        if (res[i] == 0) {
            (*rejected)++;
            if (put_reject(kl, rf->sp->path, pb->line[i], "ROSTER_DUPLICATE",
                           rf->kind == TP_ROSTER_ASSETS
                               ? _("person_id: an earlier row of this roster has the same person and asset")
                               : _("person_id: an earlier row of this roster has the same person")) < 0)
                goto oom;
        }
    *np = 0;
    return 0;
oom:
    snprintf(kl->err, sizeof kl->err, _("out of memory"));
    return -1;
}

/* Reads the rows of one open roster file into the index.  RETURN 0, or -1
 * with kl->err. */
static int read_rows(kind_load *kl, roster_file *rf)
{
    pending pb;
    size_t np = 0;
    roster_set *rs = kl->rs;
    tp_roster_kind kind = rf->kind;
    const int *pos = rf->pos;
    csv_record rec;
    int r, c;
    unsigned long long rows = 0, rejected = 0;

    while ((r = source_next(rf->src, &rec)) == 1) {
        const char *f[RC_COUNT];
        const char *code = NULL;
        char detail[512], v[48];
        rid_key key;
        uint64_t val = 0;
        if ((++rows & 4095) == 0 && __atomic_load_n(&rs->stop, __ATOMIC_RELAXED)) {
            kl->err[0] = '\0';      /* the run failed already, with its own error */
            return -1;
        }
        if (rec.unterminated) {
            code = "ROW_UNTERMINATED_QUOTE";
            snprintf(detail, sizeof detail, _("a quoted field never ends"));
        } else if (rec.bad_encoding) {
            code = "ROW_ENCODING";
            snprintf(detail, sizeof detail, _("the row's bytes are not valid in the file's encoding"));
        } else if (rec.nfields != rf->ncols) {
            code = "ROW_FIELD_COUNT";
            snprintf(detail, sizeof detail, _("the row has %zu fields, the header %zu"), rec.nfields, rf->ncols);
        }
        if (!code) {
            size_t idn = rec.fields[pos[RC_PERSON_ID]].n;
            for (c = 0; c < RC_COUNT; c++) f[c] = pos[c] >= 0 ? rec.fields[pos[c]].p : "";
            if (rs->hmac ? !rid_hex_key(f[RC_PERSON_ID], idn, &key)
                         : !rid_id_key(f[RC_PERSON_ID], idn, &key)) {
                code = "ROSTER_BAD_ID";
                snprintf(detail, sizeof detail,
                         rs->hmac ? _("person_id: not a keyed hash (64 hex digits), as the ID key requires")
                                  : f[RC_PERSON_ID][0] ? _("person_id: not a valid resident ID (standard 3.7)")
                                                       : _("person_id: blank"));
            }
        }
        if (!code) {
            int bad_col = 0, missing = 0;
            val = row_value(kind, f, &bad_col, &missing);
            if (!val) {
                code = "ROSTER_BAD_VALUE";
                clip(f[bad_col], v, sizeof v);
                if (missing)
                    snprintf(detail, sizeof detail, _("%s: missing"), rc_names[bad_col]);
                else
                    snprintf(detail, sizeof detail, _("%s: \"%s\" is not a value of the %s roster"),
                             rc_names[bad_col], v, kind_names[kind]);
            }
        }
        if (!code) {
            pb.key[np] = key;
            pb.val[np] = val;
            pb.line[np] = rec.line;
            if (++np == PENDING && flush(kl, rf, &pb, &np, &rejected) < 0) return -1;
            continue;
        }
        /* The rows before it first, so that the rejects keep their order. */
        if (flush(kl, rf, &pb, &np, &rejected) < 0) return -1;
        rejected++;
        if (put_reject(kl, rf->sp->path, rec.line, code, detail) < 0) {
            snprintf(kl->err, sizeof kl->err, _("out of memory"));
            return -1;
        }
    }
    if (flush(kl, rf, &pb, &np, &rejected) < 0) return -1;
    rs->rows[kind] += rows;
    rs->rejected[kind] += rejected;
    if (r < 0) {
        snprintf(kl->err, sizeof kl->err, _("roster %s: %s: %s"), kind_names[kind], rf->name,
                 source_error(rf->src));
        return -1;
    }
    return 0;
}

/* One kind's files, in the order given (a thread of its own). */
static void *kind_main(void *arg)
{
    kind_load *kl = arg;
    roster_set *rs = kl->rs;
    size_t i;
    kl->rc = 0;
    for (i = 0; i < rs->nfiles && kl->rc == 0; i++)
        if (rs->files[i].kind == kl->kind) {
            kl->rc = read_rows(kl, &rs->files[i]);
            source_close(rs->files[i].src);
            rs->files[i].src = NULL;
            if (kl->rc < 0) __atomic_store_n(&rs->stop, 1, __ATOMIC_RELAXED);
        }
    return NULL;
}

roster_set *roster_open(const run_config *cfg, char *err, size_t errlen)
{
    roster_set *rs = calloc(1, sizeof *rs);
    size_t i, n = 0;
    int k;
    if (!rs) {
        snprintf(err, errlen, _("out of memory"));
        return NULL;
    }
    for (i = 0; i < cfg->nrosters; i++) {
        k = roster_kind_parse(cfg->rosters[i].kind);
        if (k < 0) {
            snprintf(err, errlen, _("roster %s: unknown kind (the kinds are hukou, medical, school, "
                                    "housing and assets)"), cfg->rosters[i].kind);
            goto fail;
        }
        rs->kinds |= 1u << k;
    }
    if (cfg->id_key && !(rs->hmac = rid_hmac_load(cfg->id_key, err, errlen))) goto fail;
    rs->ix = rix_new(rs->hmac != NULL);
    if (!rs->ix || (cfg->nrosters && !(rs->files = calloc(cfg->nrosters, sizeof *rs->files)))) {
        snprintf(err, errlen, _("out of memory"));
        goto fail;
    }
    /* Kind by kind, each kind's files in the order given: the first file
     * that cannot be read or lacks a column is the error. */
    for (k = 0; k < TP_ROSTER_KINDS; k++)
        for (i = 0; i < cfg->nrosters; i++)
            if (roster_kind_parse(cfg->rosters[i].kind) == k) {
                roster_file *rf = &rs->files[n++];
                rs->nfiles = n;
                rf->sp = &cfg->rosters[i];
                rf->kind = (tp_roster_kind)k;
                if (open_file(rf, cfg, err, errlen) < 0) goto fail;
                rf->rows_guess = estimate_rows(rf->sp->path);
            }
    /* The index sized at once for the people the rosters hold: at least as
     * many as the rows of the largest kind but assets (a person has one row
     * of a kind; assets may repeat), and seldom more.  Without the room
     * (out of memory) the tables grow as the rows come. */
    {
        size_t rows[TP_ROSTER_KINDS] = { 0 }, persons = 0;
        for (i = 0; i < rs->nfiles; i++) rows[rs->files[i].kind] += rs->files[i].rows_guess;
        for (k = 0; k < TP_ROSTER_KINDS; k++)
            if (k != TP_ROSTER_ASSETS && rows[k] > persons) persons = rows[k];
        (void)rix_reserve(rs->ix, persons);
    }
    return rs;
fail:
    roster_free(rs);
    return NULL;
}

int roster_read(roster_set *rs, FILE *rejects, char *err, size_t errlen)
{
    kind_load kl[TP_ROSTER_KINDS];
    pthread_t th[TP_ROSTER_KINDS];
    int started[TP_ROSTER_KINDS] = { 0 }, k, rc = 0;
    size_t i, total = 0;

    memset(kl, 0, sizeof kl);
    for (k = 0; k < TP_ROSTER_KINDS; k++) {
        kl[k].rs = rs;
        kl[k].kind = (tp_roster_kind)k;
        if (!(rs->kinds & 1u << k)) continue;
        /* A kind whose thread cannot start is read on this one, after. */
        started[k] = pthread_create(&th[k], NULL, kind_main, &kl[k]) == 0;
    }
    for (k = 0; k < TP_ROSTER_KINDS; k++) {
        if (!(rs->kinds & 1u << k)) continue;
        if (started[k]) pthread_join(th[k], NULL);
        else kind_main(&kl[k]);
    }
    /* What a serial read would have said: the first kind's error, the
     * rejected rows kind by kind. */
    for (k = 0; k < TP_ROSTER_KINDS; k++) {
        if (kl[k].rc < 0 && !rc) {
            snprintf(err, errlen, "%s", kl[k].err);
            rc = -1;
        }
        total += kl[k].nrej;
    }
    if (!rc && total) {
        roster_reject *all = malloc(total * sizeof *all);
        if (!all) {
            snprintf(err, errlen, _("out of memory"));
            rc = -1;
        } else {
            rs->rej = all;
            rs->rejcap = total;
            for (k = 0; k < TP_ROSTER_KINDS; k++) {
                if (kl[k].nrej) memcpy(all + rs->nrej, kl[k].rej, kl[k].nrej * sizeof *all);
                rs->nrej += kl[k].nrej;
                kl[k].nrej = 0;
            }
        }
    }
    for (k = 0; k < TP_ROSTER_KINDS; k++) {
        for (i = 0; i < kl[k].nrej; i++) free(kl[k].rej[i].detail);
        free(kl[k].rej);
    }
    if (!rc && rejects)
        for (i = 0; i < rs->nrej; i++) write_reject(rejects, &rs->rej[i]);
    return rc;
}

roster_set *roster_load(const run_config *cfg, FILE *rejects, char *err, size_t errlen)
{
    roster_set *rs = roster_open(cfg, err, errlen);
    if (rs && roster_read(rs, rejects, err, errlen) < 0) {
        roster_free(rs);
        return NULL;
    }
    return rs;
}

void roster_stop(roster_set *rs)
{
    if (rs) __atomic_store_n(&rs->stop, 1, __ATOMIC_RELAXED);
}

void roster_free(roster_set *rs)
{
    size_t i;
    if (!rs) return;
    for (i = 0; i < rs->nfiles; i++) source_close(rs->files[i].src);
    free(rs->files);
    for (i = 0; i < rs->nrej; i++) free(rs->rej[i].detail);
    free(rs->rej);
    rix_free(rs->ix);
    rid_hmac_free(rs->hmac);
    free(rs);
}

int roster_member_key(const roster_set *rs, const char *person_id, rid_key *k)
{
    char norm[RID_LEN + 1];
    unsigned char d[32];
    if (!rs->hmac) return rid_id_key(person_id, strlen(person_id), k);
    if (!rid_normalise(person_id, strlen(person_id), norm)) return 0;
    rid_hmac_digest(rs->hmac, norm, RID_LEN, d);
    *k = rid_digest_key(d);
    return 1;
}

uint64_t roster_member_value(const roster_set *rs, const char *person_id)
{
    rid_key k;
    if (!roster_member_key(rs, person_id, &k)) return RV_BAD_ID;
    return rix_get(rs->ix, k);
}
