/* idset.c — open-addressing sets with linear probing. */
#include "idset.h"

#include <stdlib.h>
#include <string.h>

static uint64_t mix(uint64_t x)
{
    x ^= x >> 30; x *= 0xbf58476d1ce4e5b9ULL;
    x ^= x >> 27; x *= 0x94d049bb133111ebULL;
    x ^= x >> 31;
    return x;
}

void idset_init(idset *s, int wide)
{
    memset(s, 0, sizeof *s);
    s->wide = wide;
}

void idset_free(idset *s)
{
    size_t i;
    for (i = 0; i < IDSET_SHARDS; i++) free(s->sh[i].slots);
    idset_init(s, s->wide);
}

size_t idset_bytes(const idset *s)
{
    size_t i, total = 0;
    for (i = 0; i < IDSET_SHARDS; i++) total += s->sh[i].cap * (s->wide ? 16 : 8);
    return total;
}

/* The key's hash: its top 6 bits choose the shard, the rest the slot. */
static uint64_t key_hash(uint64_t a, uint64_t b)
{
    return mix(a ^ (b * 0x9e3779b97f4a7c15ULL));
}

/* Home slot in a shard of cap slots: the low 58 bits scaled onto [0, cap)
 * (capacities grow by half, so they are not powers of two). */
static size_t home(uint64_t h, size_t cap)
{
    return (size_t)(((unsigned __int128)(h << 6) * cap) >> 64);
}

static int insert(uint64_t *slots, size_t cap, int wide, uint64_t h, uint64_t a, uint64_t b)
{
    size_t i = home(h, cap);
    for (;;) {
        uint64_t *e = wide ? slots + 2 * i : slots + i;
        if (e[0] == 0 && (!wide || e[1] == 0)) {
            e[0] = a;
            if (wide) e[1] = b;
            return 1;
        }
        if (e[0] == a && (!wide || e[1] == b)) return 0;
        if (++i == cap) i = 0;
    }
}

int idset_add(idset *s, uint64_t a, uint64_t b)
{
    uint64_t h;
    idset_shard *sh;
    int r;
    if (!s->wide) b = 0;
    h = key_hash(a, b);
    sh = &s->sh[h >> 58];
    if ((sh->n + 1) * 4 > sh->cap * 3) {
        size_t ncap = sh->cap ? sh->cap + sh->cap / 2 : 64, i, w = s->wide ? 2 : 1;
        uint64_t *ns = calloc(ncap, 8 * w);
        if (!ns) return -1;
        for (i = 0; i < sh->cap; i++) {
            uint64_t *e = sh->slots + i * w;
            if (e[0] || (s->wide && e[1]))
                insert(ns, ncap, s->wide, key_hash(e[0], s->wide ? e[1] : 0), e[0],
                       s->wide ? e[1] : 0);
        }
        free(sh->slots);
        sh->slots = ns;
        sh->cap = ncap;
    }
    r = insert(sh->slots, sh->cap, s->wide, h, a, b);
    sh->n += (size_t)r;
    s->n += (size_t)r;
    return r;
}

uint64_t idset_hash(const void *p, size_t n, uint64_t seed)
{
    const unsigned char *c = p;
    uint64_t h = seed ^ (n * 0x9e3779b97f4a7c15ULL);
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        uint64_t w;
        memcpy(&w, c + i, 8);
        h = mix(h ^ w) + 0x632be59bd9b4e019ULL;
    }
    if (i < n) {
        uint64_t w = 0;
        memcpy(&w, c + i, n - i);
        h = mix(h ^ w ^ ((uint64_t)(n - i) << 56));
    }
    h = mix(h ^ seed);
    return h ? h : 1;
}

/* Bijective base 39 over [0-9A-Z_-]: digit values 1..38, so texts of
 * different lengths never meet, and 39^12 < 2^64. */
static int sym(unsigned char c)
{
    if (c >= '0' && c <= '9') return c - '0' + 1;
    if (c >= 'A' && c <= 'Z') return c - 'A' + 11;
    if (c == '_') return 37;
    if (c == '-') return 38;
    return 0;
}

int idset_exact_key(const char *s, size_t n, uint64_t *key)
{
    uint64_t k = 0;
    size_t i;
    if (n == 0 || n > 12) return 0;
    for (i = 0; i < n; i++) {
        int v = sym((unsigned char)s[i]);
        if (!v) return 0;
        k = k * 39 + (uint64_t)v;
    }
    *key = k;
    return 1;
}

void textset_init(textset *t)
{
    idset_init(&t->exact, 0);
    idset_init(&t->other, 1);
}

void textset_free(textset *t)
{
    idset_free(&t->exact);
    idset_free(&t->other);
}

int textset_add(textset *t, const char *s, size_t n)
{
    uint64_t k;
    if (idset_exact_key(s, n, &k)) return idset_add(&t->exact, k, 0);
    return idset_add(&t->other, idset_hash(s, n, 0x74756f70696e0001ULL),
                     idset_hash(s, n, 0x74756f70696e0002ULL));
}

size_t textset_bytes(const textset *t) { return idset_bytes(&t->exact) + idset_bytes(&t->other); }
