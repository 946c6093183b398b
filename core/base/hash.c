/* hash.c — the index table of hash.h: growing it. */
#include "hash.h"

#include <stdlib.h>

void htab_free(htab *t)
{
    free(t->slot);
    memset(t, 0, sizeof *t);
}

static void put(uint64_t *slot, size_t cap, uint64_t s)
{
    size_t i = (size_t)(uint32_t)(s >> 32) & (cap - 1);
    while (slot[i]) i = (i + 1) & (cap - 1);
    slot[i] = s;
}

int htab_add(htab *t, uint64_t h, size_t pos)
{
    if (pos >= UINT32_MAX) return -1;
    if (2 * (t->n + 1) > t->cap) {
        size_t ncap = t->cap ? 2 * t->cap : 64, i;
        uint64_t *ns;
        if (ncap > SIZE_MAX / sizeof *ns) return -1;
        if (!(ns = calloc(ncap, sizeof *ns))) return -1;
        for (i = 0; i < t->cap; i++)
            if (t->slot[i]) put(ns, ncap, t->slot[i]);
        free(t->slot);
        t->slot = ns;
        t->cap = ncap;
    }
    put(t->slot, t->cap, (uint64_t)(uint32_t)h << 32 | (uint64_t)(pos + 1));
    t->n++;
    return 0;
}
