/* sbuf.h — the core's growable buffers: sbuf, bytes (output rows, raw CSV
 * lines, encoded batches), and mem_grow, for arrays of any element.  Both
 * double and never shrink, so a buffer reused across rows or chunks stops
 * allocating once warm.  An sbuf's out of memory is sticky (oom). */
#ifndef TUOPIN_SBUF_H
#define TUOPIN_SBUF_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

typedef struct sbuf {
    char *p;          /* owned */
    size_t n, cap;
    int oom;
} sbuf;

void sb_free(sbuf *b);

/* NAME: mem_grow
 * DESCRIPTION: makes the array *p of *cap elements of elem bytes hold at
 *   least need elements (doubling, from 16).
 * RETURN: 0, or -1 out of memory (*p and *cap unchanged). */
int mem_grow_slow(void **p, size_t *cap, size_t need, size_t elem);
static inline int mem_grow(void **p, size_t *cap, size_t need, size_t elem)
{
    return need <= *cap ? 0 : mem_grow_slow(p, cap, need, elem);
}

/* NAME: MEM_RELEASE
 * DESCRIPTION: the end of a struct *s that owns arrays: frees each pointer
 *   given (NULL is fine), then zeroes *s.  MEM_RELEASE(b, b->rows, b->text). */
void mem_release(void *s, size_t size, void *const *owned, size_t n);
#define MEM_RELEASE(s, ...)                                                                   \
    mem_release((s), sizeof *(s), (void *const[]){ __VA_ARGS__ },                             \
                sizeof((void *const[]){ __VA_ARGS__ }) / sizeof(void *))

/* Makes room for more bytes (the slow path of the inline functions below).
 * RETURN: 0, or -1 out of memory (oom set). */
int sb_grow(sbuf *b, size_t more);

/* Inline: output rows are built of many short pieces. */
static inline void sb_put(sbuf *b, const char *s, size_t n)
{
    if (b->n + n > b->cap && sb_grow(b, n) < 0) return;
    if (n) memcpy(b->p + b->n, s, n);
    b->n += n;
}

static inline void sb_str(sbuf *b, const char *s) { sb_put(b, s, strlen(s)); }

static inline void sb_chr(sbuf *b, char c)
{
    if (b->n + 1 > b->cap && sb_grow(b, 1) < 0) return;
    b->p[b->n++] = c;
}
/* The contents as a C string: a NUL after the last byte, not counted in n.
 * RETURN b->p, or NULL out of memory. */
static inline const char *sb_cstr(sbuf *b)
{
    if (b->n + 1 > b->cap && sb_grow(b, 1) < 0) return NULL;
    b->p[b->n] = '\0';
    return b->oom ? NULL : b->p;
}

void sb_u64(sbuf *b, unsigned long long v);
/* Whether s must be quoted as a CSV field: it holds , " CR or LF, or starts
 * or ends with a space or tab (which a reader would trim). */
static inline int csv_needs_quotes(const char *s, size_t n)
{
    size_t i;
    if (n > 0 && (s[0] == ' ' || s[0] == '\t' || s[n - 1] == ' ' || s[n - 1] == '\t')) return 1;
    for (i = 0; i < n; i++)
        if (s[i] == ',' || s[i] == '\n' || s[i] == '\r' || s[i] == '"') return 1;
    return 0;
}

/* NAME: csv_cell_form
 * DESCRIPTION: the one rule of how a CSV cell is written, for sbufs
 *   (sb_csv, sb_csv_text) and files (csv_write_field, csv_write_text) alike:
 *   CSV_GUARD when text (guard set) would open as a formula (csv_text_guarded:
 *   it gets one ' in front), CSV_QUOTE when the cell must be quoted (a
 *   guarded cell no longer starts with its own space or tab, so only its
 *   end and , " CR LF count; otherwise csv_needs_quotes).
 * RETURN: 0, CSV_QUOTE, CSV_GUARD or both. */
enum { CSV_QUOTE = 1, CSV_GUARD = 2 };
int csv_cell_form(const char *s, size_t n, int guard);

/* s as one CSV field: quoted when csv_needs_quotes says so. */
void sb_csv(sbuf *b, const char *s, size_t n);
void sb_csv_str(sbuf *b, const char *s);
/* Free text (ids, names, details, stage names, raw rows) as one CSV field
 * that no spreadsheet opens as a formula: a cell beginning with = + - @ TAB
 * CR or ' gets one ' in front (issue 18 item 8; docs/outputs.md).  A reader
 * gets the text back by dropping one leading ' (csv_text_value). */
int csv_text_guarded(const char *s, size_t n);
void sb_csv_text(sbuf *b, const char *s, size_t n);
void sb_csv_text_str(sbuf *b, const char *s);
/* The text of a guarded cell's value: s without its one leading '. */
const char *csv_text_value(const char *s);

#endif
