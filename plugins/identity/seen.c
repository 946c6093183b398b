/* seen.c — the identity stage's own set of the IDs seen in a run: open
 * addressing with linear probing, cut into parts (see seen.h).  The stage
 * carries it so that it builds from this folder and <tuopin/stage.h> alone;
 * tuopin's core has the same design for its own sets (core/base/seen.c). */
#include "seen.h"

#include <stdlib.h>
#include <string.h>
#ifdef __linux__
#include <sys/mman.h>
#endif

static uint64_t mix(uint64_t x)
{
    x ^= x >> 30; x *= 0xbf58476d1ce4e5b9ULL;
    x ^= x >> 27; x *= 0x94d049bb133111ebULL;
    x ^= x >> 31;
    return x;
}

void seen_init(seen *s, int wide)
{
    memset(s, 0, sizeof *s);
    s->wide = wide;
    s->last_idx = (size_t)-1;
}

void seen_free(seen *s)
{
    size_t i;
    for (i = 0; i < s->nsh; i++) free(s->sh[i].slots);
    free(s->sh);
    free(s->pkey);
    free(s->pidx);
    seen_init(s, s->wide);
}

/* The key's hash, never 0. */
static uint64_t key_hash(uint64_t a, uint64_t b)
{
    return mix(a ^ (b * 0x9e3779b97f4a7c15ULL)) | 1;
}

/* Home slot in a table of cap slots: the hash's low 58 bits scaled onto
 * [0, cap). */
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
static size_t part_index(seen *s, uint64_t part)
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
            for (h = home(mix(s->pkey[j]), ncap); nk[h]; h = h + 1 == ncap ? 0 : h + 1) {}
            nk[h] = s->pkey[j];
            ni[h] = s->pidx[j];
        }
        free(s->pkey);
        free(s->pidx);
        s->pkey = nk;
        s->pidx = ni;
        s->pcap = ncap;
    }
    for (i = home(mix(k), s->pcap); s->pkey[i]; i = i + 1 == s->pcap ? 0 : i + 1)
        if (s->pkey[i] == k) goto found;
    if (s->nsh == s->shcap) {
        size_t ncap = s->shcap ? 2 * s->shcap : 64;
        seen_part *ns = realloc(s->sh, ncap * sizeof *ns);
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

int seen_locate(seen *s, uint64_t part, uint64_t a, uint64_t b, seen_loc *loc)
{
    const seen_part *sh;
    if (!s->wide) b = 0;
    loc->h = key_hash(a, b);
    if ((loc->part = part_index(s, part)) == (size_t)-1) return -1;
    sh = &s->sh[loc->part];
    if (sh->cap) __builtin_prefetch(sh->slots + home(loc->h, sh->cap) * (s->wide ? 2 : 1));
    return 0;
}

int seen_add_in(seen *s, uint64_t part, uint64_t a, uint64_t b)
{
    seen_loc loc;
    if (seen_locate(s, part, a, b, &loc) < 0) return -1;
    return seen_add_at(s, &loc, a, b);
}

int seen_add_at(seen *s, const seen_loc *loc, uint64_t a, uint64_t b)
{
    uint64_t h = loc->h;
    seen_part *sh;
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

uint64_t seen_hash(const void *p, size_t n, uint64_t seed)
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
