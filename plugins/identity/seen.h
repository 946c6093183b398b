/* seen.h — the identity stage's set of the resident IDs seen in a run
 * (64-bit exact keys, or 128-bit hashes of other texts).  8 or 16 bytes a
 * slot, 37–75 % full.  The set is cut into parts, each a small
 * open-addressing table of its own that grows by doubling; the caller names
 * the part from something keys that arrive together share — the area code
 * of resident IDs — so that a run sorted by region inserts into a few tables
 * that stay in the cache instead of missing it on every key.  Not
 * thread-safe (the stage is TP_STAGE_ORDERED). */
#ifndef TUOPIN_IDENTITY_SEEN_H
#define TUOPIN_IDENTITY_SEEN_H

#include <stddef.h>
#include <stdint.h>

/* Parts the caller folds its part keys onto, which bounds the per-part
 * overhead (about 70 bytes a part) whatever the keys are. */
#define SEEN_PARTS 4096

typedef struct seen_part {
    uint64_t *slots;   /* owned; 0 marks an empty slot (pairs when wide) */
    size_t cap, n;
} seen_part;

typedef struct seen {
    seen_part *sh;     /* owned: the parts */
    size_t nsh, shcap;
    uint64_t *pkey;    /* owned: part keys (0 = empty) → index in pidx */
    uint32_t *pidx;
    size_t pcap;
    uint64_t last_key; /* the part used last, looked up without the map */
    size_t last_idx;
    size_t n;
    int wide;          /* keys are 128-bit */
} seen;

void seen_init(seen *s, int wide);
void seen_free(seen *s);

/* NAME: seen_add_in
 * DESCRIPTION: adds key (a, b) (b ignored unless wide; never all zero) in
 *   the part named by part (any value, a function of the key).
 * RETURN: 1 when newly added, 0 when already present, -1 out of memory. */
int seen_add_in(seen *s, uint64_t part, uint64_t a, uint64_t b);

/* Where a key goes: its part (an index, stable while the set lives) and
 * its hash, worked out once for a prefetch and the insert that follows. */
typedef struct seen_loc { size_t part; uint64_t h; } seen_loc;

/* NAME: seen_locate
 * DESCRIPTION: fills *loc for key (a, b) in part and asks the cache for the
 *   slot the insert will look at first.
 * RETURN: 0, or -1 out of memory (a new part could not be made). */
int seen_locate(seen *s, uint64_t part, uint64_t a, uint64_t b, seen_loc *loc);

/* NAME: seen_add_at
 * DESCRIPTION: seen_add_in with the location seen_locate gave for the same
 *   key (other keys may have been added in between).
 * RETURN: 1 when newly added, 0 when already present, -1 out of memory. */
int seen_add_at(seen *s, const seen_loc *loc, uint64_t a, uint64_t b);

/* A 64-bit hash of [p, p+n) with a seed; two seeds give a 128-bit key whose
 * collisions are negligible (about 1e-24 for 30 million keys). */
uint64_t seen_hash(const void *p, size_t n, uint64_t seed);

#endif
