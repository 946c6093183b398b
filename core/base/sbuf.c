/* sbuf.c — growable output buffers. */
#include "sbuf.h"

#include <stdlib.h>
#include <stdint.h>
#include <string.h>

void sb_free(sbuf *b)
{
    free(b->p);
    memset(b, 0, sizeof *b);
}

int mem_grow_slow(void **p, size_t *cap, size_t need, size_t elem)
{
    size_t ncap = *cap ? *cap : 16;
    void *np;
    if (need <= *cap) return 0;
    while (ncap < need) {
        if (ncap > SIZE_MAX / 2) return -1;
        ncap *= 2;
    }
    if (elem && ncap > SIZE_MAX / elem) return -1;
    np = realloc(*p, ncap * elem);
    if (!np) return -1;
    *p = np;
    *cap = ncap;
    return 0;
}

void mem_release(void *s, size_t size, void *const *owned, size_t n)
{
    size_t i;
    for (i = 0; i < n; i++) free(owned[i]);
    memset(s, 0, size);
}

int sb_grow(sbuf *b, size_t more)
{
    size_t ncap;
    char *np;
    if (b->n + more <= b->cap) return 0;
    ncap = b->cap ? b->cap : 4096;
    while (ncap < b->n + more) ncap *= 2;
    np = realloc(b->p, ncap);
    if (!np) { b->oom = 1; return -1; }
    b->p = np;
    b->cap = ncap;
    return 0;
}


void sb_u64(sbuf *b, unsigned long long v)
{
    char tmp[24];
    int i = 24;
    do { tmp[--i] = (char)('0' + v % 10); v /= 10; } while (v);
    sb_put(b, tmp + i, (size_t)(24 - i));
}

/* s as a cell of the given csv_cell_form. */
static void sb_cell(sbuf *b, const char *s, size_t n, int form)
{
    size_t i;
    if (!form) {
        sb_put(b, s, n);
        return;
    }
    if (b->n + 2 * n + 3 > b->cap && sb_grow(b, 2 * n + 3) < 0) return;
    if (form & CSV_QUOTE) b->p[b->n++] = '"';
    if (form & CSV_GUARD) b->p[b->n++] = '\'';
    for (i = 0; i < n; i++) {
        if ((form & CSV_QUOTE) && s[i] == '"') b->p[b->n++] = '"';
        b->p[b->n++] = s[i];
    }
    if (form & CSV_QUOTE) b->p[b->n++] = '"';
}

void sb_csv(sbuf *b, const char *s, size_t n)
{
    if (!csv_needs_quotes(s, n)) sb_put(b, s, n);   /* the common case, without the call */
    else sb_cell(b, s, n, CSV_QUOTE);
}

void sb_csv_str(sbuf *b, const char *s) { sb_csv(b, s, strlen(s)); }

int csv_text_guarded(const char *s, size_t n)
{
    return n > 0 && (s[0] == '=' || s[0] == '+' || s[0] == '-' || s[0] == '@' || s[0] == '\t' || s[0] == '\r'
                     || s[0] == '\'');
}

int csv_cell_form(const char *s, size_t n, int guard)
{
    size_t i;
    if (!guard || !csv_text_guarded(s, n)) return csv_needs_quotes(s, n) ? CSV_QUOTE : 0;
    if (s[n - 1] == ' ' || s[n - 1] == '\t') return CSV_GUARD | CSV_QUOTE;
    for (i = 0; i < n; i++)
        if (s[i] == ',' || s[i] == '\n' || s[i] == '\r' || s[i] == '"') return CSV_GUARD | CSV_QUOTE;
    return CSV_GUARD;
}

void sb_csv_text(sbuf *b, const char *s, size_t n) { sb_cell(b, s, n, csv_cell_form(s, n, 1)); }

void sb_csv_text_str(sbuf *b, const char *s) { sb_csv_text(b, s, strlen(s)); }

const char *csv_text_value(const char *s) { return s[0] == '\'' ? s + 1 : s; }
