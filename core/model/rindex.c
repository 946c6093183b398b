/* rindex.c — normalised IDs, keyed hashes (nettle's HMAC-SHA256) and the
 * roster index.
 *
 * The index is an open-addressing table with linear probing, grown only
 * while the rosters are read.  A slot is the key (one 64-bit word for a
 * plain ID, two for a keyed hash) and the person's packed value; a value
 * of 0 marks an empty slot (a stored person always has a kind's bit).  At
 * most two thirds full, a plain index costs at most 24 bytes per person. */
#define _POSIX_C_SOURCE 200809L
#include "rindex.h"
#include "i18n.h"
#include "values.h"

#include <errno.h>
#include <nettle/hmac.h>
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

/* ---- the table ------------------------------------------------------------------- */

struct roster_index {
    uint64_t *slot;      /* cap slots of `words` words: key word(s), then value */
    size_t cap, n;       /* cap a power of two (0 before the first add) */
    int words;           /* 2 plain, 3 hashed */
};

roster_index *rix_new(int hashed)
{
    roster_index *x = calloc(1, sizeof *x);
    if (x) x->words = hashed ? 3 : 2;
    return x;
}

void rix_free(roster_index *x)
{
    if (!x) return;
    free(x->slot);
    free(x);
}

int rix_hashed(const roster_index *x) { return x->words == 3; }
size_t rix_count(const roster_index *x) { return x->n; }
size_t rix_bytes(const roster_index *x) { return x->cap * (size_t)x->words * sizeof(uint64_t); }

static size_t home(const roster_index *x, rid_key k)
{
    /* Fibonacci hashing; a keyed hash's bits are random already. */
    uint64_t h = (k.a ^ k.b * 0xC2B2AE3D27D4EB4Full) * 0x9E3779B97F4A7C15ull;
    return (size_t)(h >> 20) & (x->cap - 1);
}

/* The slot of k, or the empty slot where it would go. */
static uint64_t *find(const roster_index *x, rid_key k)
{
    size_t i = home(x, k);
    for (;;) {
        uint64_t *s = x->slot + i * (size_t)x->words;
        if (s[x->words - 1] == 0) return s;
        if (s[0] == k.a && (x->words == 2 || s[1] == k.b)) return s;
        i = (i + 1) & (x->cap - 1);
    }
}

static int grow(roster_index *x)
{
    size_t ncap = x->cap ? 2 * x->cap : 1024, i, w = (size_t)x->words;
    uint64_t *old = x->slot;
    size_t ocap = x->cap;
    x->slot = calloc(ncap, w * sizeof *x->slot);
    if (!x->slot) { x->slot = old; return -1; }
    x->cap = ncap;
    for (i = 0; i < ocap; i++) {
        uint64_t *s = old + i * w, *d;
        rid_key k;
        if (s[w - 1] == 0) continue;
        k.a = s[0];
        k.b = w == 3 ? s[1] : 0;
        d = find(x, k);
        memcpy(d, s, w * sizeof *s);
    }
    free(old);
    return 0;
}

int rix_add(roster_index *x, rid_key k, tp_roster_kind kind, uint64_t v)
{
    uint64_t *s, cur;
    int w = x->words;
    if ((x->n + 1) * 3 > x->cap * 2 && grow(x) < 0) return -1;
    s = find(x, k);
    cur = s[w - 1];
    if (cur == 0) {
        s[0] = k.a;
        if (w == 3) s[1] = k.b;
        s[w - 1] = v;
        x->n++;
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

uint64_t rix_get(const roster_index *x, rid_key k)
{
    if (x->cap == 0) return 0;
    return find(x, k)[x->words - 1];
}

void rix_prefetch(const roster_index *x, rid_key k)
{
    if (x->cap) __builtin_prefetch(x->slot + home(x, k) * (size_t)x->words);
}
