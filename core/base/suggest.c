/* suggest.c — "did you mean" by edit distance (suggest.h). */
#include "suggest.h"

#include <string.h>

#define SG_MAX 128

static unsigned fold(unsigned c)
{
    return c >= 'A' && c <= 'Z' ? c + 32 : c;
}

/* The code points of UTF-8 s (a byte that starts no character counts as
 * one), at most SG_MAX: the count, or SG_MAX + 1 when longer. */
static size_t points(const char *s, unsigned *cp)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t n = 0, k, i;
    while (*u) {
        unsigned c = *u;
        k = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
        for (i = 1; i < k; i++)
            if ((u[i] & 0xC0) != 0x80) break;
        if (i < k) k = 1;
        if (k > 1) {
            c &= 0x3Fu >> (k - 1);
            for (i = 1; i < k; i++) c = c << 6 | (u[i] & 0x3Fu);
        }
        if (n == SG_MAX) return SG_MAX + 1;
        cp[n++] = c;
        u += k;
    }
    return n;
}

size_t sg_distance(const char *a, const char *b, size_t cap)
{
    unsigned ca[SG_MAX], cb[SG_MAX];
    size_t na = points(a, ca), nb = points(b, cb), i, j;
    size_t row[SG_MAX + 1];
    if (na > SG_MAX || nb > SG_MAX) return cap + 1;
    if ((na > nb ? na - nb : nb - na) > cap) return cap + 1;
    for (j = 0; j <= nb; j++) row[j] = j;
    for (i = 1; i <= na; i++) {
        size_t diag = row[0], low;
        row[0] = i;
        low = row[0];
        for (j = 1; j <= nb; j++) {
            size_t up = row[j], best = diag + (fold(ca[i - 1]) != fold(cb[j - 1]));
            if (up + 1 < best) best = up + 1;
            if (row[j - 1] + 1 < best) best = row[j - 1] + 1;
            row[j] = best;
            diag = up;
            if (best < low) low = best;
        }
        if (low > cap) return cap + 1;
    }
    return row[nb] > cap ? cap + 1 : row[nb];
}

size_t sg_length(const char *s)
{
    unsigned cp[SG_MAX];
    return points(s, cp);
}

size_t sg_close_enough(size_t len)
{
    return len <= 4 ? 1 : len <= 8 ? 2 : 3;
}

const char *sg_better(const char *word, const char *cand, const char *best, size_t *best_d)
{
    size_t d;
    if (!cand || !strcmp(word, cand)) return best;
    d = sg_distance(word, cand, sg_close_enough(sg_length(word)));
    if (d > sg_close_enough(sg_length(word))) return best;
    if (!best || d < *best_d || (d == *best_d && strcmp(cand, best) < 0)) {
        *best_d = d;
        return cand;
    }
    return best;
}
