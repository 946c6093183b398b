/* hash.h — the core's one hash function and its one hash table.
 *
 * hash_bytes is a seeded 64-bit hash of a byte string, eight bytes a step,
 * each step finished by hash_mix (the splitmix64 finaliser); two seeds give a
 * 128-bit key whose collisions are negligible (about 1e-24 for 30 million
 * keys).  Both are inline: the ID sets are also compiled into the identity
 * plugin, which may use no host symbols.
 *
 * htab is an open-addressing index (linear probing, at most half full) of
 * entries that the caller keeps in its own array, in the order it added
 * them; nothing that is written ever depends on the table's order.  A slot
 * holds the entry's position + 1 and 32 bits of its hash, so growing needs
 * nothing from the caller and a probe compares keys only where the hashes
 * agree.  Lookups are an inline loop over the candidates:
 *
 *     htab_iter it;
 *     size_t pos;
 *     for (htab_probe(&t, h, &it); htab_next(&t, &it, &pos);)
 *         if (same_key(&entries[pos], key)) return pos;
 *     ... add the entry at position n of the array, then htab_add(&t, h, n)
 *
 * The ID sets (idset.h, pidmap.h) are tables of their own, built on
 * hash_bytes and hash_mix: see the comments there for the measurements that
 * keep them apart. */
#ifndef TUOPIN_HASH_H
#define TUOPIN_HASH_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* splitmix64's finaliser: every input bit moves every output bit. */
static inline uint64_t hash_mix(uint64_t x)
{
    x ^= x >> 30; x *= 0xbf58476d1ce4e5b9ULL;
    x ^= x >> 27; x *= 0x94d049bb133111ebULL;
    x ^= x >> 31;
    return x;
}

/* A 64-bit hash of [p, p+n) with a seed; never 0. */
static inline uint64_t hash_bytes(const void *p, size_t n, uint64_t seed)
{
    const unsigned char *c = p;
    uint64_t h = seed ^ (n * 0x9e3779b97f4a7c15ULL);
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        uint64_t w;
        memcpy(&w, c + i, 8);
        h = hash_mix(h ^ w) + 0x632be59bd9b4e019ULL;
    }
    if (i < n) {
        uint64_t w = 0;
        memcpy(&w, c + i, n - i);
        h = hash_mix(h ^ w ^ ((uint64_t)(n - i) << 56));
    }
    h = hash_mix(h ^ seed);
    return h ? h : 1;
}

/* The hash of a NUL-terminated text. */
static inline uint64_t hash_str(const char *s, uint64_t seed) { return hash_bytes(s, strlen(s), seed); }

typedef struct htab {
    uint64_t *slot;   /* owned: hash << 32 | (position + 1); 0 empty; cap a power of two */
    size_t cap, n;
} htab;

typedef struct htab_iter {
    size_t i;         /* the next slot to look at */
    uint32_t h;
} htab_iter;

/* An empty table is all zero; htab_free makes it so again. */
void htab_free(htab *t);

/* NAME: htab_add
 * DESCRIPTION: records that the entry at position pos (< 2^32 - 1) of the
 *   caller's array has hash h.  The caller has made sure it is not there yet.
 * RETURN: 0, or -1 out of memory (the table is unchanged). */
int htab_add(htab *t, uint64_t h, size_t pos);

/* Starts a lookup of hash h. */
static inline void htab_probe(const htab *t, uint64_t h, htab_iter *it)
{
    it->h = (uint32_t)h;
    it->i = t->cap ? (size_t)it->h & (t->cap - 1) : 0;
}

/* NAME: htab_next
 * DESCRIPTION: the next entry whose hash matches the probe's, into *pos.
 * RETURN: 1 with *pos, 0 when there are no more. */
static inline int htab_next(const htab *t, htab_iter *it, size_t *pos)
{
    if (!t->cap) return 0;
    for (;;) {
        uint64_t s = t->slot[it->i];
        if (!s) return 0;
        it->i = (it->i + 1) & (t->cap - 1);
        if ((uint32_t)(s >> 32) == it->h) {
            *pos = (size_t)(uint32_t)s - 1;
            return 1;
        }
    }
}

/* Bytes held (for the closing account). */
static inline size_t htab_bytes(const htab *t) { return t->cap * sizeof *t->slot; }

#endif
