/* split.c — `tuopin split INPUT --by province|city|county --out DIR`: cuts a
 * quarter into shard files by region, each household whole and in input
 * order, for shard runs on several machines and an exact `tuopin merge`.
 *
 * The split reads the input once, with the engine's reader and its
 * structural checks (csv.c, block.c) in input order, so it knows every
 * verdict of standard §1 that a single run would give, HOUSEHOLD_SPLIT across
 * shards included.  Rejected blocks never go to a shard: the split writes
 * them to rejects.csv and rejects.bin itself, with their original line
 * numbers, exactly as a single run would.  Sound households go to the shard of
 * their region prefix; its order file records the input line each started on,
 * which is all the merge needs to restore input order.
 *
 * Resident IDs: a shard's run sees only its shard, so it cannot report an ID
 * that an earlier household of another shard had.  The split tracks every ID
 * (pidmap.h) and, before such a household, writes a ghost (shard.h) into its
 * shard that makes the shard's own identity stage report the duplicate, with
 * the wording and order a single run gives.  No ID is written anywhere but in
 * copies of the input's own rows. */
#define _POSIX_C_SOURCE 200809L
#include "block.h"
#include "cmdline.h"
#include "format.h"
#include "output.h"
#include "pidmap.h"
#include "pipeline.h"
#include "sbuf.h"
#include "schema.h"
#include "sha256.h"
#include "shard.h"
#include "source.h"
#include "split.h"
#include "i18n.h"
#include "fail.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#define SPLIT_FILE_BUF (64u << 10)

/* A file written under a temporary name and renamed when complete, that can
 * be closed ("parked") and reopened while the split goes on, so that a
 * county-level split of a whole nation stays within the open-file limit. */
typedef struct sfile {
    char *tmp, *final;   /* owned */
    FILE *f;             /* NULL while parked */
    char *buf;           /* owned while open */
    dev_t dev;           /* the file this split made: a parked file is */
    ino_t ino;           /* reopened only when it is still that file, */
    off_t size;          /* with the bytes written to it (issue 18 item 4) */
} sfile;

/* One shard being written. */
typedef struct shard_out {
    char code[13];
    char name[64];                 /* LEVEL-CODE.csv */
    sfile csv, order;
    sha256_ctx sha;
    unsigned long long households, rows, ghosts, ghost_rows;
    unsigned long long last_use;   /* for choosing which shard to park */
} shard_out;

typedef struct splitter {
    const char *in_name;
    const char *dir;
    const char *level;
    int digits;
    source *src;
    schema_map map;
    textset seen;                  /* household ids (HOUSEHOLD_SPLIT) */
    pidmap ids;                    /* resident IDs (cross-shard ID_DUPLICATE) */
    int *shard_of;                 /* region prefix → shard index + 1 */
    shard_out *sh;
    size_t nsh, shcap, nopen, max_open;
    unsigned long long clock;
    unsigned long long nghosts;    /* ghosts written, all shards */
    char *header;                  /* the header record with its line break */
    size_t header_len;
    out_file rej_csv, rej_bin;
    sbuf row;                      /* reused for rejects and ghosts */
    size_t *flagged;               /* rows of the current block to copy into a ghost */
    size_t flagged_cap;
    shard_manifest man;
    char *err;
    size_t errlen;
} splitter;

#define fail(s, ...) fail_msg((s)->err, (s)->errlen, __VA_ARGS__)

/* ---- files that can be parked ---------------------------------------------------- */

static char *join(const char *dir, const char *a, const char *b, const char *c)
{
    size_t n = strlen(dir) + strlen(a) + strlen(b) + strlen(c) + 2;
    char *p = malloc(n);
    if (p) snprintf(p, n, "%s/%s%s%s", dir, a, b, c);
    return p;
}

static int sfile_create(splitter *s, sfile *f, const char *name)
{
    char suffix[32];
    struct stat st;
    int fd;
    snprintf(suffix, sizeof suffix, ".tmp-%ld", (long)getpid());
    f->final = join(s->dir, "", name, "");
    f->tmp = join(s->dir, ".", name, suffix);
    f->buf = malloc(SPLIT_FILE_BUF);
    if (!f->final || !f->tmp || !f->buf) return fail(s, _("out of memory"));
    unlink(f->tmp);
    fd = open(f->tmp, O_WRONLY | O_CREAT | O_EXCL | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (fd < 0 || fstat(fd, &st) != 0 || !(f->f = fdopen(fd, "w"))) {
        if (fd >= 0) close(fd);
        return fail(s, _("%s: cannot create: %s"), f->final, strerror(errno));
    }
    f->dev = st.st_dev;
    f->ino = st.st_ino;
    f->size = 0;
    setvbuf(f->f, f->buf, _IOFBF, SPLIT_FILE_BUF);
    return 0;
}

static int sfile_park(splitter *s, sfile *f)
{
    int bad;
    struct stat st;
    if (!f->f) return 0;
    bad = fflush(f->f) != 0 || ferror(f->f) || fstat(fileno(f->f), &st) != 0;
    if (!bad) f->size = st.st_size;
    if (fclose(f->f) != 0) bad = 1;
    f->f = NULL;
    free(f->buf);
    f->buf = NULL;
    return bad ? fail(s, _("%s: cannot write: %s"), f->final, strerror(errno)) : 0;
}

static int sfile_resume(splitter *s, sfile *f)
{
    struct stat st;
    int fd;
    if (f->f) return 0;
    if (!(f->buf = malloc(SPLIT_FILE_BUF))) return fail(s, _("out of memory"));
    /* Never by a path alone: no O_CREAT (a deleted temporary is an error, not
     * a new empty file), no symbolic link, and only the very file this split
     * made, as long as it was left. */
    fd = open(f->tmp, O_WRONLY | O_APPEND | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0) return fail(s, _("%s: cannot reopen: %s"), f->final, strerror(errno));
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_dev != f->dev || st.st_ino != f->ino
        || st.st_size != f->size || fchmod(fd, 0600) != 0 || !(f->f = fdopen(fd, "ab"))) {
        close(fd);
        return fail(s, _("%s: its temporary file was replaced or changed while the split was running"),
                    f->final);
    }
    setvbuf(f->f, f->buf, _IOFBF, SPLIT_FILE_BUF);
    return 0;
}

static int sfile_commit(splitter *s, sfile *f)
{
    int bad;
    struct stat a, b;
    if (sfile_resume(s, f) < 0) return -1;
    bad = fflush(f->f) != 0 || ferror(f->f) || fsync(fileno(f->f)) != 0 || fstat(fileno(f->f), &a) != 0;
    if (fclose(f->f) != 0) bad = 1;
    f->f = NULL;
    /* the name still holds the file written (not a link put in its place) */
    if (!bad && (lstat(f->tmp, &b) != 0 || !S_ISREG(b.st_mode) || a.st_dev != b.st_dev || a.st_ino != b.st_ino))
        return fail(s, _("%s: its temporary file was replaced or changed while the split was running"), f->final);
    if (!bad && rename(f->tmp, f->final) != 0) bad = 1;
    if (bad) return fail(s, _("%s: cannot write: %s"), f->final, strerror(errno));
    free(f->tmp);
    f->tmp = NULL;
    return 0;
}

static void sfile_abort(sfile *f)
{
    if (f->f) fclose(f->f);
    if (f->tmp) unlink(f->tmp);
    free(f->tmp);
    free(f->final);
    free(f->buf);
    memset(f, 0, sizeof *f);
}

static void sfile_free(sfile *f)
{
    free(f->tmp);
    free(f->final);
    free(f->buf);
    memset(f, 0, sizeof *f);
}

/* ---- shards ----------------------------------------------------------------------------- */

/* Makes shard k writable, parking the least recently used one when too many
 * are open. */
static int shard_open(splitter *s, size_t k)
{
    shard_out *o = &s->sh[k];
    o->last_use = ++s->clock;
    if (o->csv.f) return 0;
    if (s->nopen >= s->max_open) {
        size_t i, lru = (size_t)-1;
        for (i = 0; i < s->nsh; i++)
            if (s->sh[i].csv.f && (lru == (size_t)-1 || s->sh[i].last_use < s->sh[lru].last_use)) lru = i;
        if (lru != (size_t)-1) {
            if (sfile_park(s, &s->sh[lru].csv) < 0 || sfile_park(s, &s->sh[lru].order) < 0) return -1;
            s->nopen--;
        }
    }
    if (sfile_resume(s, &o->csv) < 0 || sfile_resume(s, &o->order) < 0) return -1;
    s->nopen++;
    return 0;
}

static int shard_write(splitter *s, shard_out *o, const char *p, size_t n)
{
    if (n && fwrite(p, 1, n, o->csv.f) != n)
        return fail(s, _("%s: cannot write: %s"), o->csv.final, strerror(errno));
    sha256_update(&o->sha, n, (const uint8_t *)p);
    return 0;
}

/* A record's bytes and its line break.  The break is CRLF when the record
 * ends with a CR (kept as part of its last field), else LF. */
static int shard_record(splitter *s, shard_out *o, const char *raw, size_t n)
{
    int cr = n > 0 && raw[n - 1] == '\r';
    if (shard_write(s, o, raw, n) < 0) return -1;
    return shard_write(s, o, cr ? "\r\n" : "\n", cr ? 2 : 1);
}

/* The shard of a region prefix, created (file opened, header written) when new. */
static int shard_for(splitter *s, const char *region, size_t *k)
{
    int i, num = 0;
    shard_out *o;
    char *order;
    for (i = 0; i < s->digits; i++) num = num * 10 + (region[i] - '0');
    if (s->shard_of[num]) {
        *k = (size_t)s->shard_of[num] - 1;
        return shard_open(s, *k);
    }
    if (s->nsh >= PIDMAP_MAX_SHARDS) return fail(s, _("too many shards"));
    if (mem_grow((void **)&s->sh, &s->shcap, s->nsh + 1, sizeof *s->sh) < 0) return fail(s, _("out of memory"));
    o = &s->sh[s->nsh];
    memset(o, 0, sizeof *o);
    memcpy(o->code, region, (size_t)s->digits);
    o->code[s->digits] = '\0';
    snprintf(o->name, sizeof o->name, "%s-%s.csv", s->level, o->code);
    sha256_init(&o->sha);
    s->nsh++;
    s->shard_of[num] = (int)s->nsh;
    *k = s->nsh - 1;
    if (!(order = shard_order_name(o->name))) return fail(s, _("out of memory"));
    i = sfile_create(s, &o->csv, o->name) < 0 || sfile_create(s, &o->order, order) < 0 ? -1 : 0;
    free(order);
    if (i < 0) return -1;
    s->nopen++;
    o->last_use = ++s->clock;
    if (s->nopen > s->max_open) {
        /* park the least recently used other shard */
        size_t j, lru = (size_t)-1;
        for (j = 0; j + 1 < s->nsh; j++)
            if (s->sh[j].csv.f && (lru == (size_t)-1 || s->sh[j].last_use < s->sh[lru].last_use)) lru = j;
        if (lru != (size_t)-1) {
            if (sfile_park(s, &s->sh[lru].csv) < 0 || sfile_park(s, &s->sh[lru].order) < 0) return -1;
            s->nopen--;
        }
    }
    return shard_write(s, o, s->header, s->header_len);
}

/* ---- blocks ------------------------------------------------------------------------------- */

static int reject_block(splitter *s, block *b, const blk_verdict *v)
{
    size_t r;
    char detail[512];
    s->row.n = 0;
    fmt_rejects(&s->row, b, v, s->map.ncols);
    if (s->row.oom) return fail(s, _("out of memory"));
    if (fwrite(s->row.p, 1, s->row.n, s->rej_csv.f) != s->row.n)
        return fail(s, _("%s: cannot write: %s"), s->rej_csv.final_path, strerror(errno));
    for (r = 0; r < b->nrows; r++) {
        const blk_row *row = &b->rows[r];
        fmt_reject_detail(detail, sizeof detail, b, r, v, s->map.ncols);
        if (shard_reject_put(s->rej_bin.f, row->line, block_hid(b), row->code, detail,
                             b->arena + row->raw_off, row->raw_len) < 0)
            return fail(s, _("%s: cannot write: %s"), s->rej_bin.final_path, strerror(errno));
    }
    s->man.rows_rejected += b->nrows;
    s->man.blocks_rejected++;
    return 0;
}

/* A ghost (shard.h) holding copies of the flagged rows of b. */
static int write_ghost(splitter *s, shard_out *o, const block *b, size_t nflagged)
{
    char id[64];
    size_t i, c;
    int hid = s->map.pos[COL_HOUSEHOLD_ID], reg = s->map.pos[COL_REGION_CODE];
    snprintf(id, sizeof id, "%s%llu", SHARD_GHOST_PREFIX, ++s->nghosts);
    s->row.n = 0;
    for (i = 0; i < nflagged; i++) {
        for (c = 0; c < s->map.ncols; c++) {
            if (c) sb_chr(&s->row, ',');
            if ((int)c == hid) sb_str(&s->row, id);
            else if ((int)c == reg) sb_str(&s->row, SHARD_GHOST_REGION);
            else sb_csv_str(&s->row, block_field(b, s->flagged[i], (int)c));
        }
        sb_chr(&s->row, '\n');
    }
    if (s->row.oom) return fail(s, _("out of memory"));
    if (shard_write(s, o, s->row.p, s->row.n) < 0) return -1;
    if (fputs("g\n", o->order.f) < 0) return fail(s, _("%s: cannot write"), o->order.final);
    o->ghosts++;
    o->ghost_rows += nflagged;
    return 0;
}

static int keep_block(splitter *s, block *b)
{
    const char *region = block_field(b, 0, s->map.pos[COL_REGION_CODE]);
    int pid = s->map.pos[COL_PERSON_ID];
    size_t k = 0, r, nflagged = 0;
    shard_out *o;
    if (!strcmp(region, SHARD_GHOST_REGION))
        return fail(s, _("%s:%ld: region_code %s is reserved by tuopin split for its own use"),
                    s->in_name, b->rows[0].line, region);
    if (shard_for(s, region, &k) < 0) return -1;
    o = &s->sh[k];
    if (pid >= 0) {
        if (b->nrows > s->flagged_cap) {
            size_t *nf = realloc(s->flagged, b->nrows * sizeof *nf);
            if (!nf) return fail(s, _("out of memory"));
            s->flagged = nf;
            s->flagged_cap = b->nrows;
        }
        /* every member's slot first: the lookups then overlap in memory */
        for (r = 0; r < b->nrows; r++) {
            const char *id = block_field(b, r, pid);
            if (id[0]) pidmap_prefetch(&s->ids, id, strlen(id));
        }
        for (r = 0; r < b->nrows; r++) {
            const char *id = block_field(b, r, pid);
            int x;
            if (!id[0]) continue;
            if ((x = pidmap_visit(&s->ids, id, strlen(id), (unsigned)k)) < 0)
                return fail(s, _("out of memory"));
            if (x) s->flagged[nflagged++] = r;
        }
        if (nflagged) {
            if (write_ghost(s, o, b, nflagged) < 0) return -1;
            s->man.cross_duplicates += nflagged;
        }
    }
    for (r = 0; r < b->nrows; r++)
        if (shard_record(s, o, b->arena + b->rows[r].raw_off, b->rows[r].raw_len) < 0) return -1;
    if (fprintf(o->order.f, "%ld\n", b->rows[0].line) < 0)
        return fail(s, _("%s: cannot write"), o->order.final);
    o->households++;
    o->rows += b->nrows;
    s->man.households++;
    s->man.rows_evaluated += b->nrows;
    return 0;
}

static int end_block(splitter *s, block *b)
{
    blk_verdict v;
    if (block_check_local(b, &s->map, &v) < 0 || block_check_split(b, &s->seen, &v) < 0)
        return fail(s, _("out of memory"));
    return v.code ? reject_block(s, b, &v) : keep_block(s, b);
}

/* ---- the header, as the engine reads it (engine.c, read_header) --------------------- */

static int read_header(splitter *s)
{
    csv_record rec;
    size_t i;
    char msg[1024];
    int cr;
    static const schema_col required[] = { COL_HOUSEHOLD_ID, COL_REGION_CODE, COL_STATUS };
    if (source_read_header(s->src, s->in_name, &rec, msg, sizeof msg) < 0) return fail(s, "%s", msg);
    cr = rec.raw_len > 0 && rec.raw[rec.raw_len - 1] == '\r';
    s->header_len = rec.raw_len + (cr ? 2 : 1);
    if (!(s->header = malloc(s->header_len))) return fail(s, _("out of memory"));
    memcpy(s->header, rec.raw, rec.raw_len);
    memcpy(s->header + rec.raw_len, cr ? "\r\n" : "\n", cr ? 2 : 1);
    if (schema_map_fields(&s->map, rec.fields, rec.nfields, msg, sizeof msg) < 0) return fail(s, _("%s:%ld: %s"), s->in_name, rec.line, msg);
    for (i = 0; i < sizeof required / sizeof required[0]; i++)
        if (s->map.pos[required[i]] < 0)
            return fail(s, _("%s: the header lacks column %s (%s), which every run needs"), s->in_name,
                        schema_columns[required[i]].name, schema_columns[required[i]].zh);
    return 0;
}

/* ---- the whole split ---------------------------------------------------------------------- */

static int cmp_shard(const void *x, const void *y)
{
    return strcmp(((const shard_out *)x)->code, ((const shard_out *)y)->code);
}

static int finish(splitter *s)
{
    size_t i;
    unsigned long long g;
    char id[64];
    /* A ghost id that the input also uses would meet it in a shard. */
    for (g = 1; g <= s->nghosts; g++) {
        int r;
        snprintf(id, sizeof id, "%s%llu", SHARD_GHOST_PREFIX, g);
        if ((r = textset_add(&s->seen, id, strlen(id))) < 0) return fail(s, _("out of memory"));
        if (r == 0)
            return fail(s, _("%s: the input has a household with id %s, which tuopin split reserves "
                        "for its own use; rename it"), s->in_name, id);
    }
    s->man.input_bytes = source_offset(s->src);
    source_sha256(s->src, s->man.input_sha256);
    qsort(s->sh, s->nsh, sizeof *s->sh, cmp_shard);
    for (i = 0; i < s->nsh; i++) {
        shard_out *o = &s->sh[i];
        shard_entry *e;
        sha256_ctx copy = o->sha;
        if (sfile_commit(s, &o->csv) < 0 || sfile_commit(s, &o->order) < 0) return -1;
        if (!(e = shard_manifest_add(&s->man, o->code, o->name))) return fail(s, _("out of memory"));
        e->households = o->households;
        e->rows = o->rows;
        e->ghosts = o->ghosts;
        e->ghost_rows = o->ghost_rows;
        sha256_final_hex(&copy, e->sha256);
    }
    if (out_commit(&s->rej_csv, s->err, s->errlen) < 0 || out_commit(&s->rej_bin, s->err, s->errlen) < 0)
        return -1;
    return shard_manifest_write(s->dir, &s->man, s->err, s->errlen);
}

static int split_run(splitter *s, const char *input)
{
    run_config cfg;
    csv_record rec;
    block b;
    const char *why;
    int rc;
    memset(&cfg, 0, sizeof cfg);
    cfg.input = (char *)(uintptr_t)input;
    if (!(s->src = source_open(&cfg, s->err, s->errlen))) return -1;
    s->in_name = source_name(s->src);
    if (!(s->man.input_path = strdup(input))) return fail(s, _("out of memory"));
    if (read_header(s) < 0) return -1;
    if (!(s->shard_of = calloc(s->digits == 2 ? 100 : s->digits == 4 ? 10000 : 1000000, sizeof *s->shard_of)))
        return fail(s, _("out of memory"));
    if (out_mkdir(s->dir, s->err, s->errlen) < 0
        || out_open_plain(&s->rej_csv, s->dir, SHARD_REJECTS_CSV, s->err, s->errlen) < 0
        || out_open(&s->rej_bin, s->dir, SHARD_REJECTS_BIN, s->err, s->errlen) < 0)
        return -1;
    fputs(fmt_rejects_header, s->rej_csv.f);
    if (shard_reject_begin(s->rej_bin.f) < 0) return fail(s, _("%s: cannot write"), s->rej_bin.final_path);

    /* The engine's limits on a block (stream.c), so that what a run refuses
     * the split refuses too. */
    block_init(&b, 256u << 20, 100000);
    while ((rc = source_next(s->src, &rec)) == 1) {
        s->man.rows_read++;
        if (b.nrows && !block_same(&b, &rec, &s->map)) {
            if (end_block(s, &b) < 0) goto bad;
            block_reset(&b);
        }
        if (block_add(&b, &rec, &s->map, &why) < 0) {
            fail(s, _("%s:%ld: %s"), s->in_name, rec.line, why);
            goto bad;
        }
    }
    if (rc < 0) {
        fail(s, "%s: %s", s->in_name, source_error(s->src));
        goto bad;
    }
    if (b.nrows && end_block(s, &b) < 0) goto bad;
    block_free(&b);
    return finish(s);
bad:
    block_free(&b);
    return -1;
}

static void cleanup(splitter *s, int failed)
{
    size_t i;
    for (i = 0; i < s->nsh; i++) {
        if (failed) {
            sfile_abort(&s->sh[i].csv);
            sfile_abort(&s->sh[i].order);
        } else {
            sfile_free(&s->sh[i].csv);
            sfile_free(&s->sh[i].order);
        }
    }
    out_abort(&s->rej_csv);
    out_abort(&s->rej_bin);
    free(s->sh);
    free(s->shard_of);
    free(s->header);
    free(s->flagged);
    sb_free(&s->row);
    textset_free(&s->seen);
    pidmap_free(&s->ids);
    schema_map_free(&s->map);
    source_close(s->src);
    shard_manifest_free(&s->man);
}

static void split_usage(FILE *f)
{
    fputs(_("Usage: tuopin split INPUT --by province|city|county --out DIR [--quiet]\n"
          "Cut a quarter into shard files by region, each household whole and in input\n"
          "order, for `tuopin run` on several machines and `tuopin merge` of their outputs.\n"
          "\n"
          "  --by LEVEL     province (2 digits of region_code), city (4) or county (6)\n"
          "  --out DIR      the split folder: LEVEL-CODE.csv and .order per shard,\n"
          "                 shards.txt, manifest.tsv, rejects.csv and rejects.bin\n"
          "  --quiet        no closing line on standard error\n"
          "\n"
          "Rows that a run would reject are kept in DIR/rejects.csv with their line\n"
          "numbers; they go to no shard.  See docs/sharding.md.\n"), f);
}

static unsigned open_limit(void)
{
    struct rlimit rl;
    rlim_t n = 1024;
    if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY) n = rl.rlim_cur;
    /* two files a shard, and room for the rest of the program */
    n = n > 96 ? (n - 64) / 2 : 16;
    return n > 256 ? 256 : (unsigned)n;
}

int split_main(int argc, char **argv)
{
    splitter s;
    const char *input = NULL, *by = NULL, *out = NULL;
    char err[2048];
    int quiet = 0, rc, o;
    cmdline cl;
    static const struct option split_options[] = {
        CMDLINE_VALUE("by", 'b'), CMDLINE_VALUE("out", 'o'), CMDLINE_FLAG("quiet", 'q'), CMDLINE_HELP_END
    };
    cmdline_init(&cl, "split", argc, argv, "hq", split_options);
    while ((o = cmdline_next(&cl)) != CMDLINE_END) {
        switch (o) {
        case 'h':
            split_usage(stdout);
            return 0;
        case 'q': quiet = 1; break;
        case 'b': by = cl.arg; break;
        case 'o': out = cl.arg; break;
        case CMDLINE_OPERAND:
            if (cmdline_operand(&cl, &input)) return 2;
            break;
        default: return 2;
        }
    }
    if (!input || !by || !out) return cmdline_usage_error(&cl, _("give INPUT, --by and --out"));
    memset(&s, 0, sizeof s);
    if (!strcmp(by, "province")) s.digits = 2;
    else if (!strcmp(by, "city")) s.digits = 4;
    else if (!strcmp(by, "county")) s.digits = 6;
    else return cmdline_usage_error(&cl, _("--by %s: expected province, city or county"), by);
    s.level = by;
    s.dir = out;
    s.err = err;
    s.errlen = sizeof err;
    s.max_open = open_limit();
    snprintf(s.man.by, sizeof s.man.by, "%s", by);
    textset_init(&s.seen);
    pidmap_init(&s.ids);
    err[0] = '\0';
    rc = split_run(&s, input);
    if (rc < 0) {
        fprintf(stderr, _("tuopin: %s\n"), err[0] ? err : _("split failed"));
    } else if (!quiet) {
        fprintf(stderr, _("tuopin: split %llu rows of %s into %zu %s shards in %s: %llu households "
                "(%llu rows) in shards, %llu rows rejected, %llu resident IDs repeat one of "
                "another shard\n"),
                s.man.rows_read, s.in_name, s.nsh, by, out, s.man.households, s.man.rows_evaluated,
                s.man.rows_rejected, s.man.cross_duplicates);
    }
    cleanup(&s, rc < 0);
    return rc < 0 ? 1 : 0;
}
