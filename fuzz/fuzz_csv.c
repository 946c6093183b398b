/* fuzz_csv.c — the CSV reader and the structural checks under arbitrary
 * bytes.  Beyond "no crash", every input must satisfy:
 *
 *   1. the same records (or the same error, on the same line) whatever the
 *      read buffer size: the input is read with tiny and large buffers,
 *      with the stray-quote check on (the first record's field count as
 *      the header's, standard §1), so that a stray is found the same way
 *      whether the swallowed lines arrive at once or a byte at a time;
 *   2. every record within the limits: raw bytes ≤ max_record, fields ≤
 *      max_fields, fields NUL-terminated, line numbers increasing; a stray
 *      quote's record is one line (no line feed in its raw text), its fields
 *      are that line split at every comma;
 *   3. every row accounted for: after the header, the records go through the
 *      engine's block path (block_same / block_add / block_classify /
 *      hh_build), and rows read = rows in evaluated households + rows
 *      rejected, with one rejects.csv row per rejected row;
 *   4. the outputs parse back as valid CSV: households.csv and rejects.csv,
 *      as fmt_household and fmt_rejects write them, read back with the same
 *      reader give one record per row with the documented field count,
 *      nothing unterminated, valid UTF-8, and rejects.csv's raw column gives
 *      back the record (for records that are valid UTF-8).
 *
 * Limits are set small (max_record, max_fields, block rows and bytes) so
 * that the fuzzer reaches them. */
#include "block.h"
#include "csv.h"
#include "format.h"
#include "household.h"
#include "idset.h"
#include "sbuf.h"
#include "schema.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_RECORD 4096
#define MAX_FIELDS 64
#define MAX_BLOCK_ROWS 40
#define MAX_BLOCK_BYTES 16384

#define CHECK(cond) do { if (!(cond)) { \
    fprintf(stderr, "fuzz_csv: invariant broken at %s:%d: %s\n", __FILE__, __LINE__, #cond); \
    abort(); } } while (0)

typedef struct memsrc { const uint8_t *p; size_t n, off, chunk; } memsrc;

/* Gives at most `chunk` bytes per call, to vary how reads split records. */
static long mem_read(void *ctx, char *buf, size_t len)
{
    memsrc *m = ctx;
    size_t k = m->n - m->off;
    if (k > len) k = len;
    if (m->chunk && k > m->chunk) k = m->chunk;
    if (k) memcpy(buf, m->p + m->off, k);
    m->off += k;
    return (long)k;
}

static csv_reader *open_mem(memsrc *m, const uint8_t *p, size_t n, size_t bufsize,
                            size_t chunk, size_t max_record)
{
    csv_reader *r;
    m->p = p;
    m->n = n;
    m->off = 0;
    m->chunk = chunk;
    r = csv_open(mem_read, m, bufsize, max_record);
    CHECK(r != NULL);
    csv_set_max_fields(r, MAX_FIELDS);
    return r;
}

static void put_u64(sbuf *b, unsigned long long v)
{
    sb_put(b, (const char *)&v, sizeof v);
}

/* The line an error message names ("line N: ..."), or -1. */
static long error_line(const char *msg)
{
    const char *p = strstr(msg, "line ");
    return p ? strtol(p + 5, NULL, 10) : -1;
}

/* Every record of the input, serialized, plus the error line (or 0). */
static void read_all(const uint8_t *data, size_t size, size_t bufsize, size_t chunk,
                     sbuf *out, long *err_line)
{
    memsrc m;
    csv_reader *r = open_mem(&m, data, size, bufsize, chunk, MAX_RECORD);
    csv_record rec;
    long last_line = 0;
    int rc, header = 0;
    size_t i;
    while ((rc = csv_next(r, &rec)) == 1) {
        CHECK(rec.line > last_line);
        last_line = rec.line;
        CHECK(rec.raw_len <= MAX_RECORD);
        CHECK(rec.nfields >= 1 && rec.nfields <= MAX_FIELDS);
        if (!header) {
            csv_set_header_fields(r, rec.nfields);
            header = 1;
        }
        if (rec.unterminated == CSV_UNTERM_STRAY) {
            size_t commas = 0;
            CHECK(!memchr(rec.raw, '\n', rec.raw_len));
            for (i = 0; i < rec.raw_len; i++) commas += rec.raw[i] == ',';
            CHECK(rec.nfields == commas + 1);
        }
        put_u64(out, (unsigned long long)rec.line);
        put_u64(out, rec.nfields);
        put_u64(out, (unsigned long long)(rec.unterminated | rec.bad_encoding << 2));
        for (i = 0; i < rec.nfields; i++) {
            CHECK(rec.fields[i].p[rec.fields[i].n] == '\0');
            put_u64(out, rec.fields[i].n);
            sb_put(out, rec.fields[i].p, rec.fields[i].n);
        }
        put_u64(out, rec.raw_len);
        sb_put(out, rec.raw, rec.raw_len);
    }
    *err_line = 0;
    if (rc < 0) {
        *err_line = error_line(csv_error(r));
        CHECK(*err_line > 0);            /* every reader error names its line */
    }
    CHECK(!out->oom);
    csv_close(r);
}

/* ---- parse-back of the outputs ---------------------------------------------------- */

static const char *trim(const char *s, size_t n, size_t *len)
{
    while (n && (*s == ' ' || *s == '\t')) { s++; n--; }
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t')) n--;
    *len = n;
    return s;
}

/* Reads an output file back: `rows` records of `nfields` fields after the
 * header; with `raws`, field 5 of record k must equal raws[k] (trimmed). */
static void parse_back(const sbuf *file, size_t rows, size_t nfields, const sbuf *raws)
{
    memsrc m;
    csv_reader *r = open_mem(&m, (const uint8_t *)file->p, file->n, 4096, 0, (size_t)1 << 30);
    csv_record rec;
    size_t k = 0, roff = 0;
    int rc;
    csv_set_max_fields(r, 1000);
    CHECK(csv_next(r, &rec) == 1);      /* the header */
    CHECK(rec.nfields == nfields);
    while ((rc = csv_next(r, &rec)) == 1) {
        CHECK(!rec.unterminated);
        CHECK(!rec.bad_encoding);
        CHECK(rec.nfields == nfields);
        if (raws) {
            uint64_t len;
            size_t tl, fl;
            const char *want;
            CHECK(roff + sizeof len <= raws->n);
            memcpy(&len, raws->p + roff, sizeof len);
            roff += sizeof len;
            if (len != UINT64_MAX) {
                const char *got = rec.fields[4].p;
                size_t gn = rec.fields[4].n;
                /* a raw text that could open as a formula is written with one '
                 * in front (sb_csv_text, docs/outputs.md) */
                if (csv_text_guarded(raws->p + roff, (size_t)len)) {
                    CHECK(gn >= 1 && got[0] == '\'');
                    got++;
                    gn--;
                }
                want = trim(raws->p + roff, (size_t)len, &tl);
                roff += (size_t)len;
                (void)trim(got, gn, &fl);
                CHECK(tl == fl && !memcmp(want, trim(got, gn, &fl), tl));
            }
        }
        k++;
    }
    CHECK(rc == 0);
    CHECK(k == rows);
    csv_close(r);
}

/* ---- the block path ------------------------------------------------------------------ */

typedef struct totals {
    size_t read, evaluated, rejected, households;
} totals;

static void finish_block(block *b, const schema_map *map, textset *seen, hh_eval *ev,
                         sbuf *hh, sbuf *fd, sbuf *rj, sbuf *raws, totals *t)
{
    blk_verdict v;
    size_t r;
    if (!b->nrows) return;
    CHECK(block_classify(b, map, seen, &v) == 0);
    if (v.code) {
        for (r = 0; r < b->nrows; r++) {
            const blk_row *row = &b->rows[r];
            uint64_t len = row->bad_encoding ? UINT64_MAX : row->raw_len;
            CHECK(row->code != NULL);
            sb_put(raws, (const char *)&len, sizeof len);
            if (!row->bad_encoding) sb_put(raws, b->arena + row->raw_off, row->raw_len);
        }
        fmt_rejects(rj, b, &v, map->ncols);
        t->rejected += b->nrows;
    } else {
        static const char *const no_stages[1] = { NULL };
        hh_assessment a;
        int ready;
        for (r = 0; r < b->nrows; r++) CHECK(b->rows[r].nfields == map->ncols);
        CHECK(hh_build(ev, b, map, 2020, 9, 30) == 0);
        CHECK(ev->view.n_members == b->nrows);
        a = hh_verdict(ev, -1, &ready);
        fmt_household(hh, fd, ev, a, ready, -1, no_stages, 0);
        t->evaluated += b->nrows;
        t->households++;
    }
    block_reset(b);
}

static void run_blocks(const uint8_t *data, size_t size)
{
    memsrc m;
    csv_reader *r = open_mem(&m, data, size, 64, 0, MAX_RECORD);
    csv_record rec;
    schema_map map;
    textset seen;
    block b;
    hh_eval ev;
    sbuf hh = { 0 }, fd = { 0 }, rj = { 0 }, raws = { 0 };
    totals t = { 0, 0, 0, 0 };
    char err[256];
    int rc, stopped = 0;
    size_t i;

    /* The header: the first record with a non-blank field, as the engine. */
    for (;;) {
        if (csv_next(r, &rec) != 1) { csv_close(r); return; }
        for (i = 0; i < rec.nfields && rec.fields[i].n == 0; i++) ;
        if (i < rec.nfields) break;
    }
    if (rec.unterminated || rec.bad_encoding) { csv_close(r); return; }
    csv_set_header_fields(r, rec.nfields);
    {
        const char *names[MAX_FIELDS];
        size_t lens[MAX_FIELDS];
        for (i = 0; i < rec.nfields; i++) { names[i] = rec.fields[i].p; lens[i] = rec.fields[i].n; }
        memset(&map, 0, sizeof map);
        if (schema_map_header(&map, names, lens, rec.nfields, err, sizeof err) < 0) {
            CHECK(err[0] != '\0');
            schema_map_free(&map);
            csv_close(r);
            return;
        }
    }
    if (map.pos[COL_HOUSEHOLD_ID] < 0 || map.pos[COL_REGION_CODE] < 0 || map.pos[COL_STATUS] < 0) {
        schema_map_free(&map);
        csv_close(r);
        return;
    }
    textset_init(&seen);
    block_init(&b, MAX_BLOCK_BYTES, MAX_BLOCK_ROWS);
    hh_init(&ev);
    sb_str(&hh, fmt_households_header);
    sb_str(&fd, fmt_findings_header);
    sb_str(&rj, fmt_rejects_header);

    while ((rc = csv_next(r, &rec)) == 1) {
        const char *why;
        t.read++;
        if (b.nrows && !block_same(&b, &rec, &map))
            finish_block(&b, &map, &seen, &ev, &hh, &fd, &rj, &raws, &t);
        if (block_add(&b, &rec, &map, &why) < 0) {
            /* A limit: the engine stops the run here, naming the line. */
            CHECK(why && why[0]);
            stopped = 1;
            break;
        }
    }
    if (rc < 0) stopped = 1;             /* a reader limit: the run stops too */
    if (!stopped) {
        finish_block(&b, &map, &seen, &ev, &hh, &fd, &rj, &raws, &t);
        /* Every row read is in an evaluated household or rejected. */
        CHECK(t.read == t.evaluated + t.rejected);
        CHECK(!hh.oom && !fd.oom && !rj.oom && !raws.oom);
        parse_back(&hh, t.households, 9, NULL);
        parse_back(&fd, 0, 6, NULL);
        parse_back(&rj, t.rejected, 5, &raws);
    }
    sb_free(&hh);
    sb_free(&fd);
    sb_free(&rj);
    sb_free(&raws);
    hh_free(&ev);
    block_free(&b);
    textset_free(&seen);
    schema_map_free(&map);
    csv_close(r);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* Buffer sizes: the smallest the reader takes, odd small ones, and one
     * larger than any input here; plus reads that trickle a byte or three. */
    static const struct { size_t bufsize, chunk; } runs[] = {
        { 1 << 20, 0 }, { 4, 0 }, { 7, 3 }, { 61, 1 }, { 4096, 0 }
    };
    sbuf first = { 0 };
    long first_err = 0;
    size_t i;
    if (size > (1u << 20)) return 0;
    read_all(data, size, runs[0].bufsize, runs[0].chunk, &first, &first_err);
    for (i = 1; i < sizeof runs / sizeof runs[0]; i++) {
        sbuf other = { 0 };
        long err = 0;
        read_all(data, size, runs[i].bufsize, runs[i].chunk, &other, &err);
        CHECK(err == first_err);
        CHECK(other.n == first.n && (first.n == 0 || !memcmp(other.p, first.p, first.n)));
        sb_free(&other);
    }
    sb_free(&first);
    run_blocks(data, size);
    return 0;
}
