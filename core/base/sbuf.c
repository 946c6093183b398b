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

void sb_csv(sbuf *b, const char *s, size_t n)
{
    size_t i;
    if (!csv_needs_quotes(s, n)) {
        sb_put(b, s, n);
        return;
    }
    if (b->n + 2 * n + 2 > b->cap && sb_grow(b, 2 * n + 2) < 0) return;
    b->p[b->n++] = '"';
    for (i = 0; i < n; i++) {
        if (s[i] == '"') b->p[b->n++] = '"';
        b->p[b->n++] = s[i];
    }
    b->p[b->n++] = '"';
}

void sb_csv_str(sbuf *b, const char *s) { sb_csv(b, s, strlen(s)); }

int csv_text_guarded(const char *s, size_t n)
{
    return n > 0 && (s[0] == '=' || s[0] == '+' || s[0] == '-' || s[0] == '@' || s[0] == '\t' || s[0] == '\r'
                     || s[0] == '\'');
}

void sb_csv_text(sbuf *b, const char *s, size_t n)
{
    size_t i;
    int quote;
    if (!csv_text_guarded(s, n)) {
        sb_csv(b, s, n);
        return;
    }
    quote = s[n - 1] == ' ' || s[n - 1] == '\t';
    for (i = 0; i < n && !quote; i++)
        if (s[i] == ',' || s[i] == '\n' || s[i] == '\r' || s[i] == '"') quote = 1;
    if (b->n + 2 * n + 3 > b->cap && sb_grow(b, 2 * n + 3) < 0) return;
    if (quote) b->p[b->n++] = '"';
    b->p[b->n++] = '\'';
    for (i = 0; i < n; i++) {
        if (quote && s[i] == '"') b->p[b->n++] = '"';
        b->p[b->n++] = s[i];
    }
    if (quote) b->p[b->n++] = '"';
}

void sb_csv_text_str(sbuf *b, const char *s) { sb_csv_text(b, s, strlen(s)); }

const char *csv_text_value(const char *s) { return s[0] == '\'' ? s + 1 : s; }
