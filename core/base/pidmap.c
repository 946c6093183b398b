/* pidmap.c — resident IDs with the shard of their first occurrence: open
 * addressing with linear probing, cut into 64 parts by hash so that growing
 * one part (by half) costs at most 1/64 of the map at a time.
 *
 * Why not the core's htab (hash.h): `tuopin split` keeps every resident ID
 * of the input here, 10 bytes a slot with the key in the slot (13–20 bytes
 * an ID), and prefetches a household's slots before visiting them; an index
 * of positions into another array would double the memory and add a random
 * access per ID.  The hashing is the core's: hash_mix and hash_bytes. */
#include "pidmap.h"
#include "hash.h"

#include <stdlib.h>
#include <string.h>

#define PIDMAP_MULTI 0xFFFFu

static void table_init(pidmap_table *t, int wide)
{
    memset(t, 0, sizeof *t);
    t->wide = wide;
}

static void table_free(pidmap_table *t)
{
    size_t i;
    for (i = 0; i < PIDMAP_PARTS; i++) {
        free(t->part[i].keys);
        free(t->part[i].shard);
    }
    table_init(t, t->wide);
}

void pidmap_init(pidmap *m)
{
    table_init(&m->exact, 0);
    table_init(&m->other, 1);
    table_init(&m->multi, 1);
}

void pidmap_free(pidmap *m)
{
    table_free(&m->exact);
    table_free(&m->other);
    table_free(&m->multi);
}

static size_t table_bytes(const pidmap_table *t)
{
    size_t i, n = 0;
    for (i = 0; i < PIDMAP_PARTS; i++)
        n += t->part[i].cap * ((t->wide ? 16 : 8) + sizeof(uint16_t));
    return n;
}

size_t pidmap_bytes(const pidmap *m)
{
    return table_bytes(&m->exact) + table_bytes(&m->other) + table_bytes(&m->multi);
}

static uint64_t key_hash(uint64_t a, uint64_t b)
{
    return hash_mix(a ^ (b * 0x9e3779b97f4a7c15ULL));
}

/* Home slot: the low 58 bits of the hash scaled onto [0, cap) (capacities
 * grow by half, so they are not powers of two); the top 6 bits chose the part. */
static size_t home(uint64_t h, size_t cap)
{
    return (size_t)(((unsigned __int128)(h << 6) * cap) >> 64);
}

/* The slot of (a, b) in part p: its own when present (*found = 1), else the
 * empty slot where it belongs. */
static size_t probe(const pidmap_part *p, int wide, uint64_t h, uint64_t a, uint64_t b, int *found)
{
    size_t i = home(h, p->cap);
    for (;;) {
        const uint64_t *e = wide ? p->keys + 2 * i : p->keys + i;
        if (e[0] == a && (!wide || e[1] == b)) { *found = 1; return i; }
        if (e[0] == 0 && (!wide || e[1] == 0)) { *found = 0; return i; }
        if (++i == p->cap) i = 0;
    }
}

static int grow(pidmap_part *p, int wide)
{
    size_t ncap = p->cap ? p->cap + p->cap / 2 : 64, i, w = wide ? 2 : 1;
    pidmap_part np;
    memset(&np, 0, sizeof np);
    np.cap = ncap;
    np.n = p->n;
    np.keys = calloc(ncap, 8 * w);
    np.shard = malloc(ncap * sizeof *np.shard);
    if (!np.keys || !np.shard) {
        free(np.keys);
        free(np.shard);
        return -1;
    }
    for (i = 0; i < p->cap; i++) {
        const uint64_t *e = p->keys + i * w;
        uint64_t b = wide ? e[1] : 0;
        size_t s;
        int found;
        if (e[0] == 0 && b == 0) continue;
        s = probe(&np, wide, key_hash(e[0], b), e[0], b, &found);
        np.keys[s * w] = e[0];
        if (wide) np.keys[s * w + 1] = b;
        np.shard[s] = p->shard[i];
    }
    free(p->keys);
    free(p->shard);
    *p = np;
    return 0;
}

/* Finds (a, b) in t, inserting it with value v when absent.  *value gets the
 * value held before (or v).  RETURN 1 inserted, 0 present, -1 out of memory. */
static int table_get_or_put(pidmap_table *t, uint64_t a, uint64_t b, uint16_t v, uint16_t **value)
{
    uint64_t h;
    pidmap_part *p;
    size_t s, w = t->wide ? 2 : 1;
    int found;
    if (!t->wide) b = 0;
    h = key_hash(a, b);
    p = &t->part[h >> 58];
    if ((p->n + 1) * 4 > p->cap * 3 && grow(p, t->wide) < 0) return -1;
    s = probe(p, t->wide, h, a, b, &found);
    *value = &p->shard[s];
    if (found) return 0;
    p->keys[s * w] = a;
    if (t->wide) p->keys[s * w + 1] = b;
    p->shard[s] = v;
    p->n++;
    return 1;
}

/* The ID's key, compared as the identity stage compares IDs (plugins/
 * identity/identity.c, remember()): a well-formed ID exactly, x and X alike;
 * any other text of fewer than 256 bytes with x read as X; longer texts as
 * written.  RETURN 1 for an exact key in *a, 0 for a 128-bit hash in (a, b). */
static int id_key(const char *id, size_t n, uint64_t *a, uint64_t *b)
{
    char buf[256];
    size_t i;
    int shaped = n == 18;
    for (i = 0; i < 17 && shaped; i++) shaped = id[i] >= '0' && id[i] <= '9';
    if (shaped) shaped = (id[17] >= '0' && id[17] <= '9') || id[17] == 'X' || id[17] == 'x';
    if (shaped) {
        uint64_t k = 0;
        for (i = 0; i < 17; i++) k = k * 10 + (uint64_t)(id[i] - '0');
        *a = k * 11 + (uint64_t)(id[17] >= '0' && id[17] <= '9' ? id[17] - '0' : 10) + 1;
        *b = 0;
        return 1;
    }
    if (n < sizeof buf) {
        for (i = 0; i < n; i++) buf[i] = id[i] == 'x' ? 'X' : id[i];
        id = buf;
    }
    *a = hash_bytes(id, n, 0x7069646d61700001ULL);
    *b = hash_bytes(id, n, 0x7069646d61700002ULL);
    return 0;
}

void pidmap_prefetch(const pidmap *m, const char *id, size_t n)
{
    uint64_t a, b, h;
    int exact = id_key(id, n, &a, &b);
    const pidmap_table *t = exact ? &m->exact : &m->other;
    const pidmap_part *p;
    size_t i;
    h = key_hash(a, t->wide ? b : 0);
    p = &t->part[h >> 58];
    if (!p->cap) return;
    i = home(h, p->cap);
    __builtin_prefetch(t->wide ? p->keys + 2 * i : p->keys + i, 1);
    __builtin_prefetch(p->shard + i, 1);
}

int pidmap_visit(pidmap *m, const char *id, size_t n, unsigned shard)
{
    uint64_t a, b, ma, mb;
    uint16_t *first, *dummy;
    int exact = id_key(id, n, &a, &b), r;
    pidmap_table *t = exact ? &m->exact : &m->other;
    if (shard >= PIDMAP_MAX_SHARDS) return -1;
    r = table_get_or_put(t, a, b, (uint16_t)shard, &first);
    if (r != 0) return r < 0 ? -1 : 0;          /* first occurrence anywhere */
    if (*first == shard) return 0;              /* first seen in this shard */
    /* (ID, shard) pairs of IDs met in several shards.  The pair's key mixes
     * the shard into the ID's key; exact and hashed IDs are kept apart by
     * the top bit. */
    ma = exact ? a : (a | (1ULL << 63));
    mb = (exact ? 0 : hash_mix(b)) ^ (0x9e3779b97f4a7c15ULL * ((uint64_t)shard + 1));
    if (*first != PIDMAP_MULTI) {
        uint64_t fb = (exact ? 0 : hash_mix(b)) ^ (0x9e3779b97f4a7c15ULL * ((uint64_t)*first + 1));
        *first = PIDMAP_MULTI;                  /* before the table may move */
        if (table_get_or_put(&m->multi, ma, fb, 0, &dummy) < 0) return -1;
    }
    r = table_get_or_put(&m->multi, ma, mb, 0, &dummy);
    return r < 0 ? -1 : r;                      /* new pair: not seen in this shard */
}
