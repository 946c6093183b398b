/* block.h — grouping of records into household blocks (consecutive equal
 * household_id) and the structural checks of standard §1, in their order of
 * precedence.  A block owns copies of its rows in one reused arena. */
#ifndef TUOPIN_BLOCK_H
#define TUOPIN_BLOCK_H

#include <stddef.h>
#include <stdint.h>
#include "csv.h"
#include "idset.h"
#include "schema.h"

typedef struct blk_row {
    long line;
    size_t nfields, field0;     /* fields are block.fields[field0 .. field0+nfields) */
    size_t raw_off, raw_len;
    unsigned char unterminated, bad_encoding;
    unsigned char raw_joined;   /* raw not copied: it is the fields joined by
                                   commas (block_materialize_raw makes it) */
    unsigned char tight;        /* the fields lie one after the other in the
                                   arena, each followed by its NUL only */
    const char *code;           /* set by block_classify for rejected blocks */
} blk_row;

/* A field in the arena.  32 bits: a block's arena stays under 4 GiB
 * (block_add refuses more), and the span table, written for every field of
 * every row, is half the memory traffic it would be with size_t. */
typedef struct blk_span { uint32_t off, len; } blk_span;

typedef struct block {
    char *arena;  size_t alen, acap;   /* owned */
    blk_span *fields; size_t nf, fcap; /* owned */
    blk_row *rows; size_t nrows, rcap; /* owned */
    size_t hid_off, hid_len;           /* the block's household_id text */
    unsigned long long offset;         /* where its first record began in the
                                          input (source_record_offset) */
    long line_shift;                   /* added to rows[].line to name the
                                          line of the whole input when the
                                          input is a shard (tuopin split) */
    size_t max_bytes, max_rows;        /* limits; 0 = none */
    int join_raw;                      /* a plain record's raw text is not
                                          copied (block_materialize_raw) */
    char *kbuf; size_t kcap;           /* owned: a household id read without
                                          NUL bytes and byte-order marks */
} block;

/* The engine's limits on one household block (block_init): rows (members,
 * rejected rows included) and bytes of its copies.  Past either, the run
 * stops with an error naming the line, instead of growing without bound. */
#define BLOCK_MAX_ROWS 100000
#define BLOCK_MAX_BYTES ((size_t)256 << 20)

void block_init(block *b, size_t max_bytes, size_t max_rows);
void block_free(block *b);
void block_reset(block *b);

/* The household_id of a record: the field at the header's position, or ""
 * (with *len 0) when the record is too short.  (For grouping, block_same
 * and block_add read it without NUL bytes and byte-order marks when the
 * record holds any: standard §1, ROW_ENCODING.) */
const char *block_record_hid(const csv_record *rec, const schema_map *m, size_t *len);

/* Whether rec belongs to the current (non-empty) block: its household id,
 * read without NUL bytes and byte-order marks, is the block's. */
int block_same(block *b, const csv_record *rec, const schema_map *m);

/* NAME: block_add
 * DESCRIPTION: copies rec into the block.
 * RETURN: 0, or -1 (out of memory, or a limit passed: *why says which). */
int block_add(block *b, const csv_record *rec, const schema_map *m, const char **why);

/* NAME: block_materialize_raw
 * DESCRIPTION: gives every row whose raw text was not copied (join_raw) its
 *   raw text, rows[r].raw_off then naming it.  Moves the arena: pointers
 *   from block_field and block_hid taken before are no longer valid.
 * RETURN: 0, or -1 out of memory. */
int block_materialize_raw(block *b);

/* Text of column index col on row r ("" when absent or col < 0).  Inline:
 * building a household reads every field of every row through it. */
static inline const char *block_field(const block *b, size_t r, int col)
{
    const blk_row *row = &b->rows[r];
    if (col < 0 || (size_t)col >= row->nfields) return "";
    return b->arena + b->fields[row->field0 + (size_t)col].off;
}
const char *block_hid(const block *b);

/* The outcome of the structural checks. */
typedef struct blk_verdict {
    const char *code;   /* NULL: sound; BLOCK_ROW_FAULT: row-level codes in rows[].code;
                           else the block's code (also in every rows[].code) */
    int column;         /* HOUSEHOLD_INCONSISTENT: the canonical column at fault;
                           BAD_HOUSEHOLD_ID: COL_HOUSEHOLD_ID when the id holds a
                           control character, -1 when it is blank */
    int row_fault;      /* rows carry their own codes (row-level faults) */
} blk_verdict;

/* The verdict code of a block whose rows carry their own codes. */
#define BLOCK_ROW_FAULT "ROW"

/* NAME: block_check_local
 * DESCRIPTION: the structural checks of standard §1 that need only the block
 *   itself: row faults (rows get their own code, the others
 *   HOUSEHOLD_INCOMPLETE), BAD_HOUSEHOLD_ID, BAD_REGION, BAD_STATUS,
 *   HOUSEHOLD_INCONSISTENT.  Thread-safe. */
int block_check_local(block *b, const schema_map *m, blk_verdict *v);

/* NAME: block_check_split
 * DESCRIPTION: records the block's id in `seen` and, when an earlier block
 *   had it, makes the verdict HOUSEHOLD_SPLIT (which takes precedence over
 *   the local codes other than row faults and a blank id).  Must be called
 *   for every block in input order, after block_check_local.
 * RETURN: 0, or -1 when `seen` ran out of memory. */
int block_check_split(block *b, textset *seen, blk_verdict *v);

/* Both checks in order (single-threaded use and tests). */
int block_classify(block *b, const schema_map *m, textset *seen, blk_verdict *v);

/* Whether a household id holds a control character (U+0000–U+001F,
 * U+007F–U+009F) or a byte-order mark (U+FEFF): BAD_HOUSEHOLD_ID. */
int block_hid_has_control(const char *s, size_t n);

/* Whether a region code is 12 ASCII digits with a valid province prefix. */
int block_region_valid(const char *s);

#endif
