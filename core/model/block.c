/* block.c — household blocks and the structural checks of standard §1. */
#include "block.h"
#include "i18n.h"
#include "values.h"
#include "sbuf.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

void block_init(block *b, size_t max_bytes, size_t max_rows)
{
    memset(b, 0, sizeof *b);
    b->max_bytes = max_bytes;
    b->max_rows = max_rows;
}

void block_free(block *b)
{
    MEM_RELEASE(b, b->kbuf, b->arena, b->fields, b->rows);
}

void block_reset(block *b)
{
    b->alen = b->nf = b->nrows = 0;
    b->hid_off = b->hid_len = 0;
    b->line_shift = 0;
}

const char *block_record_hid(const csv_record *rec, const schema_map *m, size_t *len)
{
    int pos = m->pos[COL_HOUSEHOLD_ID];
    if (pos < 0 || (size_t)pos >= rec->nfields) {
        *len = 0;
        return "";
    }
    *len = rec->fields[pos].n;
    return rec->fields[pos].p;
}

/* A record holding a NUL byte or a byte-order mark: its household id for
 * grouping is read without them (standard §1, ROW_ENCODING), made in the
 * block's scratch buffer.  RETURN: 0, or -1 out of memory. */
static int clean_hid(block *b, const char **h, size_t *n)
{
    if (*n + 1 > b->kcap) {
        size_t ncap = *n + 1 > 2 * b->kcap ? *n + 1 : 2 * b->kcap;
        char *nb = realloc(b->kbuf, ncap);
        if (!nb) return -1;
        b->kbuf = nb;
        b->kcap = ncap;
    }
    *n = csv_key_clean(*h, *n, b->kbuf);
    *h = b->kbuf;
    return 0;
}

int block_same(block *b, const csv_record *rec, const schema_map *m)
{
    size_t n;
    const char *h = block_record_hid(rec, m, &n);
    if (b->nrows == 0) return 0;
    /* Out of memory for the cleaned id: the row starts a block of its own,
     * which its ROW_ENCODING rejects anyway. */
    if ((rec->bad_encoding & CSV_TEXT_NUL_BOM) && clean_hid(b, &h, &n) < 0) return 0;
    return n == b->hid_len && !memcmp(h, b->arena + b->hid_off, n);
}

static size_t put(block *b, const char *s, size_t n)
{
    size_t off = b->alen;
    memcpy(b->arena + off, s, n);
    b->arena[off + n] = '\0';
    b->alen += n + 1;
    return off;
}

/* Whether the record's fields lie in increasing order in one buffer, close
 * together (as csv.c lays them out: each followed by its NUL), so that one
 * copy of the span [*lo, *hi) carries them all. */
static int one_span(const csv_record *rec, size_t text, const char **lo, const char **hi)
{
    size_t i;
    const char *end;
    if (rec->nfields == 0) return 0;
    *lo = rec->fields[0].p;
    end = *lo;
    for (i = 0; i < rec->nfields; i++) {
        if (rec->fields[i].p < end) return 0;
        end = rec->fields[i].p + rec->fields[i].n + 1;
    }
    *hi = end;
    /* trimmed blanks leave gaps; anything much wider is not one buffer */
    return (size_t)(*hi - *lo) <= 2 * text + 4096;
}

int block_add(block *b, const csv_record *rec, const schema_map *m, const char **why)
{
    size_t text = 0, need, i, hid_len = 0;
    const char *lo = NULL, *hi = NULL, *hid = NULL;
    int span, joined = b->join_raw && rec->plain;
    blk_row *row;
    /* The message is looked up on failure only: gettext takes a lock, and
     * this runs for every input row on the reader's thread. */
    if (rec->plain) {           /* csv.h: the fields are the raw text's bytes */
        lo = rec->fields[0].p;
        hi = lo + rec->raw_len + 1;
        span = 1;
    } else {
        for (i = 0; i < rec->nfields; i++) text += rec->fields[i].n + 1;
        span = one_span(rec, text, &lo, &hi);
    }
    /* The raw copy counts against the limit even when a plain row's is not
     * made: the same rows fit whatever join_raw is. */
    need = rec->raw_len + 1 + (span ? (size_t)(hi - lo) : text);
    /* The first row's id without NUL bytes and byte-order marks, copied
     * apart, when it had any. */
    if (b->nrows == 0 && (rec->bad_encoding & CSV_TEXT_NUL_BOM)) {
        hid = block_record_hid(rec, m, &hid_len);
        if (clean_hid(b, &hid, &hid_len) < 0) { *why = _("out of memory"); return -1; }
        need += hid_len + 1;
    }
    if (b->max_rows && b->nrows >= b->max_rows) { *why = _("too many rows in one household"); return -1; }
    if ((b->max_bytes && b->alen + need > b->max_bytes) || b->alen + need > UINT32_MAX) {
        *why = _("household block too large");
        return -1;
    }
    if (mem_grow((void **)&b->arena, &b->acap, b->alen + need, 1) < 0
        || mem_grow((void **)&b->fields, &b->fcap, b->nf + rec->nfields, sizeof *b->fields) < 0
        || mem_grow((void **)&b->rows, &b->rcap, b->nrows + 1, sizeof *b->rows) < 0) {
        *why = _("out of memory");
        return -1;
    }
    row = &b->rows[b->nrows++];
    row->line = rec->line;
    row->nfields = rec->nfields;
    row->field0 = b->nf;
    row->unterminated = (unsigned char)rec->unterminated;
    row->bad_encoding = (unsigned char)rec->bad_encoding;
    row->code = NULL;
    row->raw_len = rec->raw_len;
    row->raw_joined = (unsigned char)joined;
    row->tight = (unsigned char)(rec->plain != 0);
    /* A joined row's raw text is its fields' copy with commas for the NULs,
     * made again only if the row is rejected (block_materialize_raw). */
    if (!joined) row->raw_off = put(b, rec->raw, rec->raw_len);
    if (span) {
        size_t base = b->alen;
        memcpy(b->arena + base, lo, (size_t)(hi - lo));
        b->alen += (size_t)(hi - lo);
        for (i = 0; i < rec->nfields; i++) {
            b->fields[b->nf].len = (uint32_t)rec->fields[i].n;
            b->fields[b->nf].off = (uint32_t)(base + (size_t)(rec->fields[i].p - lo));
            b->nf++;
        }
        if (joined) row->raw_off = base;
    } else {
        for (i = 0; i < rec->nfields; i++) {
            b->fields[b->nf].len = (uint32_t)rec->fields[i].n;
            b->fields[b->nf].off = (uint32_t)put(b, rec->fields[i].p, rec->fields[i].n);
            b->nf++;
        }
    }
    if (b->nrows == 1) {
        int pos = m->pos[COL_HOUSEHOLD_ID];
        if (hid) {
            b->hid_len = hid_len;
            b->hid_off = put(b, hid, hid_len);
        } else if (pos >= 0 && (size_t)pos < rec->nfields) {
            b->hid_off = b->fields[row->field0 + pos].off;
            b->hid_len = b->fields[row->field0 + pos].len;
        } else {
            b->hid_off = row->raw_off + row->raw_len; /* the NUL ending the row's copy */
            b->hid_len = 0;
        }
    }
    return 0;
}

int block_materialize_raw(block *b)
{
    size_t r, extra = 0;
    for (r = 0; r < b->nrows; r++)
        if (b->rows[r].raw_joined) extra += b->rows[r].raw_len + 1;
    if (!extra) return 0;
    if (mem_grow((void **)&b->arena, &b->acap, b->alen + extra, 1) < 0) return -1;
    for (r = 0; r < b->nrows; r++) {
        blk_row *row = &b->rows[r];
        size_t f, off;
        if (!row->raw_joined) continue;
        off = b->alen;
        memcpy(b->arena + off, b->arena + row->raw_off, row->raw_len + 1);
        for (f = 0; f + 1 < row->nfields; f++) {
            const blk_span *sp = &b->fields[row->field0 + f];
            b->arena[off + (sp->off - row->raw_off) + sp->len] = ',';
        }
        b->alen += row->raw_len + 1;
        row->raw_off = off;
        row->raw_joined = 0;
    }
    return 0;
}

const char *block_hid(const block *b) { return b->arena + b->hid_off; }

int block_region_valid(const char *s)
{
    static const int ranges[][2] = {
        {11, 15}, {21, 23}, {31, 37}, {41, 46}, {50, 54}, {61, 65}
    };
    int i, p;
    for (i = 0; i < 12; i++)
        if (s[i] < '0' || s[i] > '9') return 0;
    if (s[12] != '\0') return 0;
    p = (s[0] - '0') * 10 + (s[1] - '0');
    for (i = 0; i < 6; i++)
        if (p >= ranges[i][0] && p <= ranges[i][1]) return 1;
    return 0;
}

/* Whether n bytes at a and b are equal: household-level fields are short and
 * compared for every member, so without a call to memcmp for each.  Reads
 * only [a, a+n) and [b, b+n). */
static int same_bytes(const char *a, const char *b, size_t n)
{
    uint64_t x, y;
    size_t i;
    if (n < 8) {
        for (i = 0; i < n; i++)
            if (a[i] != b[i]) return 0;
        return 1;
    }
    for (i = 0; i + 8 < n; i += 8) {
        memcpy(&x, a + i, 8);
        memcpy(&y, b + i, 8);
        if (x != y) return 0;
    }
    memcpy(&x, a + n - 8, 8);     /* the last eight, overlapping */
    memcpy(&y, b + n - 8, 8);
    return x == y;
}

/* Whether every row's household-level fields are those of the first row,
 * found cheaply: when the rows are tight, the text from the first to the
 * last household-level column is compared at once (equal text means equal
 * fields; columns in between are compared too, so a difference there only
 * sends the block to the column-by-column comparison).  0: not known. */
static int same_household_columns(const block *b, const schema_map *m)
{
    int c, lo = -1, hi = -1;
    size_t r;
    const blk_span *f0, *fl;
    const char *text0;
    size_t len0;
    if (b->nrows < 2) return 1;
    for (c = 0; c < COL_COUNT; c++) {
        int pos = m->pos[c];
        if (!schema_columns[c].household_level || pos < 0) continue;
        if (lo < 0 || pos < lo) lo = pos;
        if (pos > hi) hi = pos;
    }
    if (lo < 0) return 1;
    if (!b->rows[0].tight) return 0;
    f0 = &b->fields[b->rows[0].field0 + (size_t)lo];
    fl = &b->fields[b->rows[0].field0 + (size_t)hi];
    text0 = b->arena + f0->off;
    len0 = (size_t)fl->off + fl->len - f0->off;
    for (r = 1; r < b->nrows; r++) {
        const blk_row *row = &b->rows[r];
        const blk_span *g0 = &b->fields[row->field0 + (size_t)lo];
        const blk_span *gl = &b->fields[row->field0 + (size_t)hi];
        if (!row->tight || (size_t)gl->off + gl->len - g0->off != len0
            || memcmp(b->arena + g0->off, text0, len0) != 0)
            return 0;
    }
    return 1;
}

int block_hid_has_control(const char *s, size_t n)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i;
    for (i = 0; i < n; i++) {
        if (p[i] < 0x20 || p[i] == 0x7F) return 1;
        if (p[i] == 0xC2 && i + 1 < n && p[i + 1] >= 0x80 && p[i + 1] <= 0x9F) return 1;
        if (p[i] == 0xEF && i + 2 < n && p[i + 1] == 0xBB && p[i + 2] == 0xBF) return 1;
    }
    return 0;
}

static void reject_all(block *b, const char *code)
{
    size_t r;
    for (r = 0; r < b->nrows; r++) b->rows[r].code = code;
}

int block_check_local(block *b, const schema_map *m, blk_verdict *v)
{
    size_t r;
    int row_fault = 0, c;
    tp_status st;
    v->code = NULL;
    v->column = -1;
    v->row_fault = 0;
    for (r = 0; r < b->nrows; r++) {
        blk_row *row = &b->rows[r];
        row->code = row->unterminated ? "ROW_UNTERMINATED_QUOTE"
                  : row->bad_encoding ? "ROW_ENCODING"
                  : row->nfields != m->ncols ? "ROW_FIELD_COUNT" : NULL;
        if (row->code) row_fault = 1;
    }
    if (row_fault) {
        for (r = 0; r < b->nrows; r++)
            if (!b->rows[r].code) b->rows[r].code = "HOUSEHOLD_INCOMPLETE";
        v->code = BLOCK_ROW_FAULT;
        v->row_fault = 1;
        return 0;
    }
    if (b->hid_len == 0) v->code = "BAD_HOUSEHOLD_ID";
    else if (block_hid_has_control(block_hid(b), b->hid_len)) {
        v->code = "BAD_HOUSEHOLD_ID";
        v->column = COL_HOUSEHOLD_ID;
    }
    else if (!block_region_valid(block_field(b, 0, m->pos[COL_REGION_CODE])))
        v->code = "BAD_REGION";
    else if (val_status(block_field(b, 0, m->pos[COL_STATUS]), &st) < 0)
        v->code = "BAD_STATUS";
    else if (!same_household_columns(b, m)) {
        for (c = 0; c < COL_COUNT && !v->code; c++) {
            int pos = m->pos[c];
            const blk_span *f0;
            if (!schema_columns[c].household_level || pos < 0) continue;
            f0 = &b->fields[b->rows[0].field0 + (size_t)pos];
            for (r = 1; r < b->nrows; r++) {
                const blk_span *fr = &b->fields[b->rows[r].field0 + (size_t)pos];
                if (fr->len != f0->len || !same_bytes(b->arena + fr->off, b->arena + f0->off, f0->len)) {
                    v->code = "HOUSEHOLD_INCONSISTENT";
                    v->column = c;
                    break;
                }
            }
        }
    }
    if (v->code) reject_all(b, v->code);
    return 0;
}

int block_check_split(block *b, textset *seen, blk_verdict *v)
{
    int fresh;
    /* Every non-blank block id is remembered, whatever becomes of the block. */
    if (b->hid_len == 0) return 0;
    fresh = textset_add(seen, block_hid(b), b->hid_len);
    if (fresh < 0) return -1;
    /* Row faults and BAD_HOUSEHOLD_ID come first in precedence (a blank
     * id cannot be here, one with a control character can). */
    if (!fresh && !v->row_fault && !(v->code && !strcmp(v->code, "BAD_HOUSEHOLD_ID"))) {
        v->code = "HOUSEHOLD_SPLIT";
        v->column = -1;
        reject_all(b, v->code);
    }
    return 0;
}

int block_classify(block *b, const schema_map *m, textset *seen, blk_verdict *v)
{
    if (block_check_local(b, m, v) < 0) return -1;
    return block_check_split(b, seen, v);
}
