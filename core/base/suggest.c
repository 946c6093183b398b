/* suggest.c — "did you mean" by edit distance (suggest.h). */
#include "suggest.h"

#include <string.h>

#define SG_MAX 128

static unsigned char fold(unsigned char c)
{
    return c >= 'A' && c <= 'Z' ? (unsigned char)(c + 32) : c;
}

size_t sg_distance(const char *a, const char *b, size_t cap)
{
    size_t na = strlen(a), nb = strlen(b), i, j;
    size_t row[SG_MAX + 1];
    if (na > SG_MAX || nb > SG_MAX) return cap + 1;
    if ((na > nb ? na - nb : nb - na) > cap) return cap + 1;
    for (j = 0; j <= nb; j++) row[j] = j;
    for (i = 1; i <= na; i++) {
        size_t diag = row[0], low;
        row[0] = i;
        low = row[0];
        for (j = 1; j <= nb; j++) {
            size_t up = row[j], best = diag + (fold((unsigned char)a[i - 1]) != fold((unsigned char)b[j - 1]));
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

size_t sg_close_enough(size_t len)
{
    return len <= 4 ? 1 : len <= 8 ? 2 : 3;
}

const char *sg_better(const char *word, const char *cand, const char *best, size_t *best_d)
{
    size_t d;
    if (!cand || !strcmp(word, cand)) return best;
    d = sg_distance(word, cand, sg_close_enough(strlen(word)));
    if (d > sg_close_enough(strlen(word))) return best;
    if (!best || d < *best_d || (d == *best_d && strcmp(cand, best) < 0)) {
        *best_d = d;
        return cand;
    }
    return best;
}
