/* idset.c — open-addressing sets with linear probing.
 *
 * Why not the core's htab (hash.h): these sets hold every household and
 * resident ID of a run, 8 or 16 bytes a key stored in the slot itself, cut
 * into parts that keep a region's keys in a few cache-resident tables, with a
 * prefetch of the slot an insert will touch (idset_locate) issued a few
 * households ahead.  bench/README.md measures what each of these bought
 * (parts, huge pages, no calloc, the prefetch); an index of positions into
 * another array would add a second random access per key.  The hashing is
 * the core's: hash_mix and hash_bytes. */
#include "idset.h"
#include "hash.h"

#include <stdlib.h>
#include <string.h>
#ifdef __linux__
#include <sys/mman.h>
#endif

void idset_init(idset *s, int wide)
{
    memset(s, 0, sizeof *s);
    s->wide = wide;
    s->last_idx = (size_t)-1;
}

void idset_free(idset *s)
{
    size_t i;
    for (i = 0; i < s->nsh; i++) free(s->sh[i].slots);
    free(s->sh);
    free(s->pkey);
    free(s->pidx);
    idset_init(s, s->wide);
}

size_t idset_bytes(const idset *s)
{
    size_t i, total = s->shcap * sizeof *s->sh + s->pcap * (sizeof *s->pkey + sizeof *s->pidx);
    for (i = 0; i < s->nsh; i++) total += s->sh[i].cap * (s->wide ? 16 : 8);
    return total;
}

/* The key's hash, never 0. */
static uint64_t key_hash(uint64_t a, uint64_t b)
{
    return hash_mix(a ^ (b * 0x9e3779b97f4a7c15ULL)) | 1;
}

/* Home slot in a table of cap slots: the hash's low 58 bits scaled onto
 * [0, cap) (idset_add takes the part from its top 6 bits). */
static size_t home(uint64_t h, size_t cap)
{
    return (size_t)(((unsigned __int128)(h << 6) * cap) >> 64);
}

/* A zeroed table of n slots of w words.  Not calloc: its fresh pages would
 * be mapped to the shared zero page on the first probe (a read) and copied
 * on the first insert (a write), each copy flushing the other threads' TLBs
 * (an inter-processor interrupt per page, 4 % of a run's time).  Writing the
 * zeros first maps every page once, writable.  memset is called through a
 * volatile pointer: compilers turn malloc followed by memset(0) back into
 * calloc. */
static void *(*volatile zero_fill)(void *, int, size_t) = memset;

/* Tables of 2 MiB and more sit in huge pages where the system gives them
 * (Linux transparent huge pages, asked for with madvise): a probe lands
 * anywhere in the table, and with 4 KiB pages nearly every probe of a large
 * table also missed the TLB. */
#define HUGE_PAGE ((size_t)2 << 20)

static uint64_t *slots_alloc(size_t n, size_t w)
{
    uint64_t *p;
    size_t bytes;
    if (n > SIZE_MAX / 8 / w) return NULL;
    bytes = n * 8 * w;
    if (bytes >= HUGE_PAGE && bytes % HUGE_PAGE == 0) {
        p = aligned_alloc(HUGE_PAGE, bytes);
#if defined(__linux__) && defined(MADV_HUGEPAGE)
        if (p) (void)madvise(p, bytes, MADV_HUGEPAGE);
#endif
    } else {
        p = malloc(bytes);
    }
    if (p) zero_fill(p, 0, bytes);
    return p;
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

/* The index of a part (created when new), or (size_t)-1 out of memory. */
static size_t part_index(idset *s, uint64_t part)
{
    uint64_t k = part + 1 ? part + 1 : 1; /* 0 marks an empty map slot */
    size_t i;
    if (s->last_idx != (size_t)-1 && s->last_key == k) return s->last_idx;
    if ((s->nsh + 1) * 2 > s->pcap) {      /* the map: at most half full */
        size_t ncap = s->pcap ? 2 * s->pcap : 64, j;
        uint64_t *nk = calloc(ncap, sizeof *nk);
        uint32_t *ni = malloc(ncap * sizeof *ni);
        if (!nk || !ni || s->nsh >= UINT32_MAX) {
            free(nk);
            free(ni);
            return (size_t)-1;
        }
        for (j = 0; j < s->pcap; j++) {
            size_t h;
            if (!s->pkey[j]) continue;
            for (h = home(hash_mix(s->pkey[j]), ncap); nk[h]; h = h + 1 == ncap ? 0 : h + 1) {}
            nk[h] = s->pkey[j];
            ni[h] = s->pidx[j];
        }
        free(s->pkey);
        free(s->pidx);
        s->pkey = nk;
        s->pidx = ni;
        s->pcap = ncap;
    }
    for (i = home(hash_mix(k), s->pcap); s->pkey[i]; i = i + 1 == s->pcap ? 0 : i + 1)
        if (s->pkey[i] == k) goto found;
    if (s->nsh == s->shcap) {
        size_t ncap = s->shcap ? 2 * s->shcap : 64;
        idset_shard *ns = realloc(s->sh, ncap * sizeof *ns);
        if (!ns) return (size_t)-1;
        s->sh = ns;
        s->shcap = ncap;
    }
    memset(&s->sh[s->nsh], 0, sizeof s->sh[s->nsh]);
    s->pkey[i] = k;
    s->pidx[i] = (uint32_t)s->nsh++;
found:
    s->last_key = k;
    s->last_idx = s->pidx[i];
    return s->last_idx;
}

int idset_locate(idset *s, uint64_t part, uint64_t a, uint64_t b, idset_loc *loc)
{
    const idset_shard *sh;
    if (!s->wide) b = 0;
    loc->h = key_hash(a, b);
    if ((loc->part = part_index(s, part)) == (size_t)-1) return -1;
    sh = &s->sh[loc->part];
    if (sh->cap) __builtin_prefetch(sh->slots + home(loc->h, sh->cap) * (s->wide ? 2 : 1));
    return 0;
}

int idset_add_in(idset *s, uint64_t part, uint64_t a, uint64_t b)
{
    idset_loc loc;
    if (idset_locate(s, part, a, b, &loc) < 0) return -1;
    return idset_add_at(s, &loc, a, b);
}

int idset_add_at(idset *s, const idset_loc *loc, uint64_t a, uint64_t b)
{
    uint64_t h = loc->h;
    idset_shard *sh;
    int r;
    if (!s->wide) b = 0;
    sh = &s->sh[loc->part];
    if ((sh->n + 1) * 4 > sh->cap * 3) {
        size_t ncap = sh->cap ? 2 * sh->cap : 4, i, w = s->wide ? 2 : 1;
        uint64_t *ns = slots_alloc(ncap, w);
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

int idset_add(idset *s, uint64_t a, uint64_t b)
{
    return idset_add_in(s, key_hash(a, s->wide ? b : 0) >> 58, a, b);
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
    /* Part: the text without its last three characters (the serial number
     * of ids like H0000015338 or 5308240100200001), folded onto 4096 parts:
     * ids given out in order, region by region, land in a few small tables. */
    uint64_t part = hash_bytes(s, n > 3 ? n - 3 : 0, 0x74756f70696e0003ULL) & (IDSET_PARTS - 1);
    if (idset_exact_key(s, n, &k)) return idset_add_in(&t->exact, part, k, 0);
    return idset_add_in(&t->other, part, hash_bytes(s, n, 0x74756f70696e0001ULL),
                        hash_bytes(s, n, 0x74756f70696e0002ULL));
}

size_t textset_bytes(const textset *t) { return idset_bytes(&t->exact) + idset_bytes(&t->other); }
