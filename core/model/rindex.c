/* rindex.c — normalised IDs, keyed hashes (nettle's HMAC-SHA256) and the
 * roster index.
 *
 * The index is open-addressing tables with linear probing (RIX_PARTS of
 * them, each with a lock, so that the kinds load at once), grown only while
 * the rosters are read.  A slot is the key (one 64-bit word for a plain ID,
 * two for a keyed hash) and the person's packed value; a value of 0 marks
 * an empty slot (a stored person always has a kind's bit).  Each part is
 * kept at most two thirds full (a growing part between one third and two
 * thirds; one sized by rix_reserve about five eighths at the estimate). */
#define _POSIX_C_SOURCE 200809L
#define _DEFAULT_SOURCE            /* MAP_ANONYMOUS, MADV_HUGEPAGE */
#include "rindex.h"
#include "i18n.h"
#include "values.h"

#include <errno.h>
#include <nettle/hmac.h>
#include <pthread.h>
#include <sys/mman.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- normalised IDs ------------------------------------------------------------ */

int rid_normalise(const char *s, size_t n, char out[RID_LEN + 1])
{
    size_t i, k = 0;
    tp_date birth;
    while (n && (*s == ' ' || *s == '\t')) { s++; n--; }
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t')) n--;
    for (i = 0; i < n;) {
        unsigned char c = (unsigned char)s[i];
        char a;
        if (k >= RID_LEN) return 0;
        if (c == 0xEF && i + 2 < n && (unsigned char)s[i + 1] == 0xBC
            && (unsigned char)s[i + 2] >= 0x90 && (unsigned char)s[i + 2] <= 0x99) {
            a = (char)('0' + ((unsigned char)s[i + 2] - 0x90));   /* ０ … ９ */
            i += 3;
        } else if (c == 0xEF && i + 2 < n && (unsigned char)s[i + 1] == 0xBC
                   && (unsigned char)s[i + 2] == 0xB8) {
            a = 'X';                                               /* Ｘ */
            i += 3;
        } else {
            a = c == 'x' ? 'X' : (char)c;
            i++;
        }
        out[k++] = a;
    }
    out[k] = '\0';
    if (k == 15) {
        char d17[18];
        for (i = 0; i < 15; i++)
            if (out[i] < '0' || out[i] > '9') return 0;
        memcpy(d17, out, 6);
        d17[6] = '1';
        d17[7] = '9';
        memcpy(d17 + 8, out + 6, 9);
        d17[17] = '\0';
        memcpy(out, d17, 17);
        out[17] = val_id_check_char(d17);
        out[18] = '\0';
        k = 18;
    }
    return k == RID_LEN && val_person_id(out, &birth);
}

rid_key rid_plain_key(const char *norm)
{
    rid_key k = { 0, 0 };
    int i;
    for (i = 0; i < 17; i++) k.a = k.a * 10 + (uint64_t)(norm[i] - '0');
    k.a += 1;
    return k;
}

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define RID_SWAR 1
/* Whether the 8 bytes of x are all ASCII digits (bytes in 0x30-0x39). */
static int swar_digits(uint64_t x)
{
    return (x & 0xF0F0F0F0F0F0F0F0ull) == 0x3030303030303030ull
           && ((x + 0x0606060606060606ull) & 0xF0F0F0F0F0F0F0F0ull) == 0x3030303030303030ull;
}

/* Four 16-bit weights, the first for the lowest lane's byte: a
 * multiplier whose product's top lane is the lanes' weighted sum. */
#define SWAR_W(a, b, c, d) ((uint64_t)(a) << 48 | (uint64_t)(b) << 32 | (uint64_t)(c) << 16 | (uint64_t)(d))

/* The number the 8 ASCII digits of x spell, the first byte the highest digit. */
static uint64_t swar_value(uint64_t x)
{
    x = (x & 0x0F0F0F0F0F0F0F0Full) * 2561 >> 8;
    x = (x & 0x00FF00FF00FF00FFull) * 6553601 >> 16;
    return (x & 0x0000FFFF0000FFFFull) * 42949672960001ull >> 32;
}
#else
#define RID_SWAR 0
#endif

int rid_id_key(const char *s, size_t n, rid_key *k)
{
    char norm[RID_LEN + 1];
    const char *p = s;
    size_t m = n;
    while (m && (*p == ' ' || *p == '\t')) { p++; m--; }
    while (m && (p[m - 1] == ' ' || p[m - 1] == '\t')) m--;
    if (m == RID_LEN) {
        /* 17 ASCII digits and a digit, X or x: what rid_normalise and
         * val_person_id would check, on the text as it is. */
        /* The weights and check characters of val_id_check_char, summed
         * in the same pass as the key's digits. */
        static const unsigned w[17] = { 7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2 };
        static const char map[11] = { '1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2' };
        uint64_t a = 0;
        unsigned sum = 0;
        int i, y = 0, mo, d;
        char c = p[17] == 'x' ? 'X' : p[17];
#if RID_SWAR
        /* The 17 digits as two words of 8 and one: the digits checked and
         * their value worked out 8 at a time (the loop below is a chain of
         * 17 multiply-adds, a fifth of the rosters' loading CPU), the check
         * sum's products independent of each other. */
        uint64_t x0, x1;
        memcpy(&x0, p, 8);
        memcpy(&x1, p + 8, 8);
        if (swar_digits(x0) && swar_digits(x1) && (unsigned)((unsigned char)p[16] - '0') <= 9) {
            const uint64_t lo = 0x00FF00FF00FF00FFull;
            uint64_t d0 = x0 - 0x3030303030303030ull, d1 = x1 - 0x3030303030303030ull;
            unsigned d16 = (unsigned)(p[16] - '0');
            a = (swar_value(x0) * 100000000u + swar_value(x1)) * 10 + d16;
            /* The check sum: each word's even and odd digits as four 16-bit
             * lanes, times the weights w[] in reverse order, sum in the top
             * lane (no lane exceeds 4 · 9 · 10). */
            sum = (unsigned)(((d0 & lo) * SWAR_W(7, 10, 8, 2)) >> 48)
                  + (unsigned)(((d0 >> 8 & lo) * SWAR_W(9, 5, 4, 1)) >> 48)
                  + (unsigned)(((d1 & lo) * SWAR_W(6, 7, 10, 8)) >> 48)
                  + (unsigned)(((d1 >> 8 & lo) * SWAR_W(3, 9, 5, 4)) >> 48) + d16 * w[16];
            i = 17;
        } else {
            i = 0;
        }
#else
        for (i = 0; i < 17; i++) {
            unsigned v = (unsigned)((unsigned char)p[i] - '0');
            if (v > 9) break;
            a = a * 10 + v;
            sum += v * w[i];
        }
#endif
        if (i == 17 && ((c >= '0' && c <= '9') || c == 'X')) {
            if (map[sum % 11] != c) return 0;
            for (i = 6; i < 10; i++) y = y * 10 + (p[i] - '0');
            mo = (p[10] - '0') * 10 + (p[11] - '0');
            d = (p[12] - '0') * 10 + (p[13] - '0');
            if (!val_date_real(y, mo, d)) return 0;
            k->a = a + 1;
            k->b = 0;
            return 1;
        }
    }
    if (!rid_normalise(s, n, norm)) return 0;
    *k = rid_plain_key(norm);
    return 1;
}

/* ---- keyed hashes ------------------------------------------------------------------ */

struct rid_hmac { struct hmac_sha256_ctx ctx; };

rid_hmac *rid_hmac_new(const unsigned char *key, size_t n)
{
    rid_hmac *h = malloc(sizeof *h);
    if (!h) return NULL;
    hmac_sha256_set_key(&h->ctx, n, key);
    return h;
}

rid_hmac *rid_hmac_load(const char *path, char *err, size_t errlen)
{
    FILE *f = fopen(path, "rb");
    unsigned char buf[4096];
    size_t n;
    rid_hmac *h;
    if (!f) {
        snprintf(err, errlen, _("%s: cannot read the ID key file: %s"), path, strerror(errno));
        return NULL;
    }
    n = fread(buf, 1, sizeof buf, f);
    if (ferror(f)) {
        snprintf(err, errlen, _("%s: cannot read the ID key file: %s"), path, strerror(errno));
        fclose(f);
        return NULL;
    }
    if (n == sizeof buf && fgetc(f) != EOF) {
        snprintf(err, errlen, _("%s: the ID key file is larger than %zu bytes"), path, sizeof buf);
        fclose(f);
        return NULL;
    }
    fclose(f);
    if (n == 0) {
        snprintf(err, errlen, _("%s: the ID key file is empty"), path);
        return NULL;
    }
    h = rid_hmac_new(buf, n);
    memset(buf, 0, sizeof buf);
    if (!h) snprintf(err, errlen, _("out of memory"));
    return h;
}

void rid_hmac_free(rid_hmac *h)
{
    if (h) memset(h, 0, sizeof *h);
    free(h);
}

void rid_hmac_digest(const rid_hmac *h, const char *msg, size_t n, unsigned char out[32])
{
    /* A copy of the keyed state per message: h stays read-only, so the
     * workers hash at once without a lock. */
    struct hmac_sha256_ctx c = h->ctx;
    hmac_sha256_update(&c, n, (const uint8_t *)msg);
    hmac_sha256_digest(&c, SHA256_DIGEST_SIZE, out);
}

void rid_hmac_hex(const rid_hmac *h, const char *msg, size_t n, char out[65])
{
    static const char hex[] = "0123456789abcdef";
    unsigned char d[32];
    int i;
    rid_hmac_digest(h, msg, n, d);
    for (i = 0; i < 32; i++) {
        out[2 * i] = hex[d[i] >> 4];
        out[2 * i + 1] = hex[d[i] & 15];
    }
    out[64] = '\0';
}

rid_key rid_digest_key(const unsigned char d[32])
{
    rid_key k = { 0, 0 };
    int i;
    for (i = 0; i < 8; i++) {
        k.a = k.a << 8 | d[i];
        k.b = k.b << 8 | d[8 + i];
    }
    return k;
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

int rid_hex_key(const char *s, size_t n, rid_key *k)
{
    unsigned char d[32];
    size_t i;
    while (n && (*s == ' ' || *s == '\t')) { s++; n--; }
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t')) n--;
    if (n != 64) return 0;
    for (i = 0; i < 32; i++) {
        int hi = hexval(s[2 * i]), lo = hexval(s[2 * i + 1]);
        if (hi < 0 || lo < 0) return 0;
        d[i] = (unsigned char)(hi << 4 | lo);
    }
    *k = rid_digest_key(d);
    return 1;
}

/* ---- packed values ------------------------------------------------------------------ *
 *
 * bits 0-4   a row of kind k (RV_HAS)
 * bits 5-6   hukou status;  bits 7-29 its event date as (y·16 + m)·32 + d, 0 none
 * bit  30    medical insured;  bit 31 school enrolled
 * bits 32-33 housing rating A-D;  bits 34-35 housing_fixed: 0 blank, 1 yes, 2 no
 * bits 36-38 assets: how many;  bits 40-47 which, 2 bits each in roster order;
 * bits 48-51 assets present (for duplicates) */

#define HUKOU_SHIFT 5
#define DATE_SHIFT 7
#define DATE_MASK ((1ull << 23) - 1)
#define INSURED_BIT (1ull << 30)
#define ENROLLED_BIT (1ull << 31)
#define RATING_SHIFT 32
#define FIXED_SHIFT 34
#define NASSET_SHIFT 36
#define ASSET_SHIFT 40
#define AMASK_SHIFT 48

uint64_t rv_hukou(tp_hukou_status st, tp_date event)
{
    uint64_t v = RV_HAS(TP_ROSTER_HUKOU) | (uint64_t)st << HUKOU_SHIFT;
    if (st != TP_HUKOU_ACTIVE && event.state == TP_OK && event.year >= 0 && event.year < 16384)
        v |= ((((uint64_t)event.year * 16 + (uint64_t)event.month) * 32 + (uint64_t)event.day) & DATE_MASK)
             << DATE_SHIFT;
    return v;
}

uint64_t rv_medical(int insured) { return RV_HAS(TP_ROSTER_MEDICAL) | (insured ? INSURED_BIT : 0); }
uint64_t rv_school(int enrolled) { return RV_HAS(TP_ROSTER_SCHOOL) | (enrolled ? ENROLLED_BIT : 0); }

uint64_t rv_housing(char rating, tp_yesno fixed)
{
    uint64_t f = fixed.state != TP_OK ? 0 : fixed.value ? 1 : 2;
    return RV_HAS(TP_ROSTER_HOUSING) | (uint64_t)(rating - 'A') << RATING_SHIFT | f << FIXED_SHIFT;
}

uint64_t rv_asset(tp_asset a)
{
    return RV_HAS(TP_ROSTER_ASSETS) | 1ull << NASSET_SHIFT | (uint64_t)a << ASSET_SHIFT
           | 1ull << (AMASK_SHIFT + a);
}

int rv_row(uint64_t v, tp_roster_kind kind, tp_roster_row *row)
{
    size_t i;
    memset(row, 0, sizeof *row);
    row->kind = kind;
    if ((unsigned)kind >= TP_ROSTER_KINDS || (v & RV_BAD_ID) || !(v & RV_HAS(kind))) return 0;
    switch (kind) {
    case TP_ROSTER_HUKOU: {
        uint64_t d = v >> DATE_SHIFT & DATE_MASK;
        row->hukou_status = (tp_hukou_status)(v >> HUKOU_SHIFT & 3);
        if (d) {
            row->event_date.state = TP_OK;
            row->event_date.day = (int)(d % 32);
            row->event_date.month = (int)(d / 32 % 16);
            row->event_date.year = (int)(d / 512);
        }
        break;
    }
    case TP_ROSTER_MEDICAL:
        row->insured.state = TP_OK;
        row->insured.value = (v & INSURED_BIT) != 0;
        break;
    case TP_ROSTER_SCHOOL:
        row->enrolled.state = TP_OK;
        row->enrolled.value = (v & ENROLLED_BIT) != 0;
        break;
    case TP_ROSTER_HOUSING:
        row->housing_rating.state = TP_OK;
        row->housing_rating.value = (char)('A' + (v >> RATING_SHIFT & 3));
        if (v >> FIXED_SHIFT & 3) {
            row->housing_fixed.state = TP_OK;
            row->housing_fixed.value = (v >> FIXED_SHIFT & 3) == 1;
        }
        break;
    case TP_ROSTER_ASSETS:
        row->n_assets = (size_t)(v >> NASSET_SHIFT & 7);
        for (i = 0; i < row->n_assets; i++)
            row->assets[i] = (tp_asset)(v >> (ASSET_SHIFT + 2 * i) & 3);
        break;
    default:
        return 0;
    }
    return 1;
}

/* ---- the table ------------------------------------------------------------------- *
 *
 * RIX_PARTS tables, each with its own lock, the top bits of a key's hash
 * choosing the part: the rosters' kinds are read on threads of their own,
 * and each thread adds its rows to the one index at once.  A part grows on
 * its own (so the whole grows in steps of a part, not by doubling).  Which
 * slot of its part a person lands in depends on the order the threads got
 * the lock, but what a key finds never does: each kind's rows are added by
 * one thread in file order, and the kinds touch different bits of a value. */

#define RIX_PARTS 16
#define PART_SHIFT 60               /* 64 - log2(RIX_PARTS) */
#define HUGE_BYTES ((size_t)2 << 20)
#define RIX_BATCH_MAX 256           /* rix_add_batch: rows sorted at once */

/* A part's table (read by every lookup and, without the lock, by
 * rix_prefetch) apart from its lock and count (written by every add): the
 * two must not share a cache line. */
typedef struct rix_table {
    uint64_t *slot;      /* cap slots of `words` words: key word(s), then value */
    size_t cap;          /* 0 before the first add; 256 · 2^n, or as rix_reserve sized it */
} rix_table;

typedef struct rix_lock {
    pthread_mutex_t mu;
    size_t n;
    char pad[64 - (sizeof(pthread_mutex_t) + sizeof(size_t)) % 64];
} rix_lock;

struct roster_index {
    rix_table t[RIX_PARTS];
    rix_lock l[RIX_PARTS];
    int words;           /* 2 plain, 3 hashed */
};

/* A zeroed table of `bytes`; from 2 MiB on, in huge pages where the system
 * gives them (a lookup is a random access: fewer TLB misses). */
static uint64_t *table_alloc(size_t bytes)
{
    size_t len;
    char *p, *a;
    if (bytes < HUGE_BYTES) return calloc(1, bytes);
    len = (bytes + HUGE_BYTES - 1) & ~(HUGE_BYTES - 1);
    p = mmap(NULL, len + HUGE_BYTES, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED) return NULL;
    a = (char *)(((uintptr_t)p + HUGE_BYTES - 1) & ~(uintptr_t)(HUGE_BYTES - 1));
    if (a > p) munmap(p, (size_t)(a - p));
    if (a + len < p + len + HUGE_BYTES) munmap(a + len, (size_t)(p + len + HUGE_BYTES - (a + len)));
#ifdef MADV_HUGEPAGE
    madvise(a, len, MADV_HUGEPAGE);
#endif
    return (uint64_t *)(void *)a;
}

static void table_free(uint64_t *slot, size_t bytes)
{
    if (!slot) return;
    if (bytes < HUGE_BYTES) free(slot);
    else munmap(slot, (bytes + HUGE_BYTES - 1) & ~(HUGE_BYTES - 1));
}

roster_index *rix_new(int hashed)
{
    roster_index *x = calloc(1, sizeof *x);
    int i;
    if (!x) return NULL;
    x->words = hashed ? 3 : 2;
    for (i = 0; i < RIX_PARTS; i++) pthread_mutex_init(&x->l[i].mu, NULL);
    return x;
}

void rix_free(roster_index *x)
{
    int i;
    if (!x) return;
    for (i = 0; i < RIX_PARTS; i++) {
        table_free(x->t[i].slot, x->t[i].cap * (size_t)x->words * sizeof(uint64_t));
        pthread_mutex_destroy(&x->l[i].mu);
    }
    free(x);
}

int rix_hashed(const roster_index *x) { return x->words == 3; }

/* The slot of hash h in a table of cap slots: bits 28-59 of h scaled to
 * [0, cap) (a multiply, not a mask: a part's capacity need not be a power
 * of two, so that a reserved table is sized to its people, not rounded up
 * to the next power: at 1,000,000 households 85 MiB instead of 128). */
static size_t slot_of(uint64_t h, size_t cap)
{
    return (size_t)(((h >> 28 & 0xFFFFFFFFull) * (uint64_t)cap) >> 32);
}

int rix_reserve(roster_index *x, size_t persons)
{
    /* The parts' shares differ by a few hundredths at most (the hash is
     * uniform): a little more than a sixteenth each. */
    size_t per = persons / RIX_PARTS + persons / RIX_PARTS / 64 + 16, w = (size_t)x->words;
    /* 5/8 full at the estimate: room for a sixteenth more people than it
     * says before a part grows (at two thirds).  An estimate too low only
     * makes the parts grow as they would have. */
    size_t cap = per / 5 * 8 + 8;
    uint64_t *slot[RIX_PARTS];
    int i;
    for (i = 0; i < RIX_PARTS; i++)
        if (x->t[i].cap) return 0;           /* not empty: leave it */
    if (cap <= 256) return 0;
    for (i = 0; i < RIX_PARTS; i++)
        if (!(slot[i] = table_alloc(cap * w * sizeof(uint64_t)))) {
            while (i-- > 0) table_free(slot[i], cap * w * sizeof(uint64_t));
            return -1;
        }
    for (i = 0; i < RIX_PARTS; i++) {
        x->t[i].slot = slot[i];
        x->t[i].cap = cap;
    }
    return 0;
}

size_t rix_count(const roster_index *x)
{
    size_t n = 0;
    int i;
    for (i = 0; i < RIX_PARTS; i++) n += x->l[i].n;
    return n;
}

size_t rix_bytes(const roster_index *x)
{
    size_t n = 0;
    int i;
    for (i = 0; i < RIX_PARTS; i++) n += x->t[i].cap * (size_t)x->words * sizeof(uint64_t);
    return n;
}

static uint64_t hash(rid_key k)
{
    /* Fibonacci hashing; a keyed hash's bits are random already. */
    return (k.a ^ k.b * 0xC2B2AE3D27D4EB4Full) * 0x9E3779B97F4A7C15ull;
}

/* The slot of k (hash h) in table p, or the empty slot where it would go. */
static uint64_t *find(const rix_table *p, int words, rid_key k, uint64_t h)
{
    size_t i = slot_of(h, p->cap);
    for (;;) {
        uint64_t *s = p->slot + i * (size_t)words;
        if (s[words - 1] == 0) return s;
        if (s[0] == k.a && (words == 2 || s[1] == k.b)) return s;
        if (++i == p->cap) i = 0;
    }
}

static int grow(rix_table *p, int words)
{
    size_t ncap = p->cap ? 2 * p->cap : 256, i, w = (size_t)words;
    uint64_t *old = p->slot;
    size_t ocap = p->cap;
    rix_table nt;
    nt.cap = ncap;
    nt.slot = table_alloc(ncap * w * sizeof *nt.slot);
    if (!nt.slot) return -1;
    for (i = 0; i < ocap; i++) {
        uint64_t *s = old + i * w, *d;
        rid_key k;
        if (i + 8 < ocap) {       /* the slot of the 8th next, asked for early */
            const uint64_t *t = old + (i + 8) * w;
            rid_key kt;
            kt.a = t[0];
            kt.b = w == 3 ? t[1] : 0;
            __builtin_prefetch(nt.slot + slot_of(hash(kt), ncap) * w, 1);
        }
        if (s[w - 1] == 0) continue;
        k.a = s[0];
        k.b = w == 3 ? s[1] : 0;
        d = find(&nt, words, k, hash(k));
        memcpy(d, s, w * sizeof *s);
    }
    /* Atomic stores: rix_prefetch reads these without the lock. */
    __atomic_store_n(&p->slot, nt.slot, __ATOMIC_RELAXED);
    __atomic_store_n(&p->cap, ncap, __ATOMIC_RELAXED);
    table_free(old, ocap * w * sizeof *old);
    return 0;
}

static int add_locked(rix_table *p, size_t *count, int w, rid_key k, uint64_t h, tp_roster_kind kind,
                      uint64_t v)
{
    uint64_t *s, cur;
    if ((*count + 1) * 3 > p->cap * 2 && grow(p, w) < 0) return -1;
    s = find(p, w, k, h);
    cur = s[w - 1];
    if (cur == 0) {
        s[0] = k.a;
        if (w == 3) s[1] = k.b;
        s[w - 1] = v;
        (*count)++;
        return 1;
    }
    if (kind == TP_ROSTER_ASSETS && (cur & RV_HAS(TP_ROSTER_ASSETS))) {
        uint64_t a = v >> ASSET_SHIFT & 3, n = cur >> NASSET_SHIFT & 7;
        if (cur >> (AMASK_SHIFT + a) & 1) return 0;
        cur &= ~(7ull << NASSET_SHIFT);
        cur |= (n + 1) << NASSET_SHIFT | a << (ASSET_SHIFT + 2 * n) | 1ull << (AMASK_SHIFT + a);
        s[w - 1] = cur;
        return 1;
    }
    if (cur & RV_HAS(kind)) return 0;
    s[w - 1] = cur | v;
    return 1;
}

int rix_add(roster_index *x, rid_key k, tp_roster_kind kind, uint64_t v)
{
    uint64_t h = hash(k);
    size_t i = (size_t)(h >> PART_SHIFT);
    int r;
    pthread_mutex_lock(&x->l[i].mu);
    r = add_locked(&x->t[i], &x->l[i].n, x->words, k, h, kind, v);
    pthread_mutex_unlock(&x->l[i].mu);
    return r;
}

int rix_add_batch(roster_index *x, const rid_key *k, const uint64_t *v, size_t n, tp_roster_kind kind,
                  int *res)
{
    /* The rows sorted by part (counting sort, stable): each part's lock
     * once per batch, not once per row. */
    uint64_t h[RIX_BATCH_MAX];
    unsigned char part[RIX_BATCH_MAX];
    size_t cnt[RIX_PARTS + 1], order[RIX_BATCH_MAX], i, j, at;
    int p, rc = 0;
    if (n > RIX_BATCH_MAX) {
        for (i = 0; i < n; i += RIX_BATCH_MAX)
            if (rix_add_batch(x, k + i, v + i, n - i < RIX_BATCH_MAX ? n - i : RIX_BATCH_MAX, kind,
                              res + i) < 0)
                return -1;
        return 0;
    }
    memset(cnt, 0, sizeof cnt);
    for (i = 0; i < n; i++) {
        h[i] = hash(k[i]);
        part[i] = (unsigned char)(h[i] >> PART_SHIFT);
        cnt[part[i] + 1]++;
    }
    for (p = 0; p < RIX_PARTS; p++) cnt[p + 1] += cnt[p];
    for (i = 0; i < n; i++) order[cnt[part[i]]++] = i;
    /* cnt[p] is now where part p ends */
    for (p = 0, at = 0; p < RIX_PARTS; p++) {
        if (at == cnt[p]) continue;
        pthread_mutex_lock(&x->l[p].mu);
        for (; at < cnt[p]; at++) {
            j = order[at];
            res[j] = add_locked(&x->t[p], &x->l[p].n, x->words, k[j], h[j], kind, v[j]);
            if (res[j] < 0) {
                rc = -1;
                break;
            }
        }
        pthread_mutex_unlock(&x->l[p].mu);
        if (rc < 0) return -1;
    }
    return 0;
}

uint64_t rix_get(const roster_index *x, rid_key k)
{
    uint64_t h = hash(k);
    const rix_table *p = &x->t[h >> PART_SHIFT];
    if (p->cap == 0) return 0;
    return find(p, x->words, k, h)[x->words - 1];
}

void rix_prefetch(const roster_index *x, rid_key k)
{
    /* Also while the index is built, with other threads adding: the part's
     * table is read without its lock (atomically), and a table that grows
     * meanwhile only makes the hint a useless one. */
    uint64_t h = hash(k);
    const rix_table *p = &x->t[h >> PART_SHIFT];
    size_t cap = __atomic_load_n(&p->cap, __ATOMIC_RELAXED);
    uint64_t *slot = __atomic_load_n(&p->slot, __ATOMIC_RELAXED);
    if (cap && slot) {
        const uint64_t *s = slot + slot_of(h, cap) * (size_t)x->words;
        __builtin_prefetch(s);
        __builtin_prefetch(s + 8);
    }
}
