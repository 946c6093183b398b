/* idset.h — compact open-addressing sets of 64-bit and 128-bit keys, used for
 * run-wide "seen before" checks (household ids, person ids).  8 or 16 bytes a
 * slot, 37–75 % full (parts grow by doubling).  Not thread-safe: the owner serialises access.
 * This file is also compiled into stage plugins that need a set; it uses no
 * host symbols. */
#ifndef TUOPIN_IDSET_H
#define TUOPIN_IDSET_H

#include <stddef.h>
#include <stdint.h>

#include "hash.h"   /* hash_bytes: the key of a text */

/* A set is cut into parts, each a small open-addressing table of its own
 * that grows by doubling.  idset_add spreads keys over 64 parts by hash
 * (so a rehash moves 1/64 of the set at a time); idset_add_in lets the
 * caller choose the part from something keys that arrive together share —
 * the area code of resident IDs, the stem of household ids — so that a run
 * sorted by region inserts into a few tables that stay in the cache instead
 * of missing it on every key. */
#define IDSET_SHARDS 64

/* Parts the callers of idset_add_in fold their part keys onto, which bounds
 * the per-part overhead (about 70 bytes a part) whatever the keys are. */
#define IDSET_PARTS 4096

typedef struct idset_shard {
    uint64_t *slots;   /* owned; 0 marks an empty slot (pairs when wide) */
    size_t cap, n;
} idset_shard;

typedef struct idset {
    idset_shard *sh;   /* owned: the parts */
    size_t nsh, shcap;
    uint64_t *pkey;    /* owned: part keys (0 = empty) → index in pidx */
    uint32_t *pidx;
    size_t pcap;
    uint64_t last_key; /* the part used last, looked up without the map */
    size_t last_idx;
    size_t n;
    int wide;          /* keys are 128-bit */
} idset;

void idset_init(idset *s, int wide);
void idset_free(idset *s);

/* NAME: idset_add
 * DESCRIPTION: adds key (a, b); b is ignored for a 64-bit set.  The key must
 *   not be all zero.
 * RETURN: 1 when newly added, 0 when already present, -1 out of memory. */
int idset_add(idset *s, uint64_t a, uint64_t b);

/* NAME: idset_add_in
 * DESCRIPTION: as idset_add, in the part named by part (any value): a key
 *   must always be added with the same part, which must therefore be a
 *   function of the key.  Sets filled with idset_add and idset_add_in must
 *   not be mixed.
 * RETURN: 1 when newly added, 0 when already present, -1 out of memory. */
int idset_add_in(idset *s, uint64_t part, uint64_t a, uint64_t b);

/* Where a key goes: its part (an index, stable while the set lives) and
 * its hash, worked out once for a prefetch and the insert that follows. */
typedef struct idset_loc { size_t part; uint64_t h; } idset_loc;

/* NAME: idset_locate
 * DESCRIPTION: fills *loc for key (a, b) in part (as idset_add_in) and asks
 *   the cache for the slot the insert will look at first.
 * RETURN: 0, or -1 out of memory (a new part could not be made). */
int idset_locate(idset *s, uint64_t part, uint64_t a, uint64_t b, idset_loc *loc);

/* NAME: idset_add_at
 * DESCRIPTION: idset_add_in with the location idset_locate gave for the same
 *   key (other keys may have been added in between).
 * RETURN: 1 when newly added, 0 when already present, -1 out of memory. */
int idset_add_at(idset *s, const idset_loc *loc, uint64_t a, uint64_t b);


/* Bytes held by the set (for the closing account). */
size_t idset_bytes(const idset *s);

/* NAME: idset_exact_key
 * DESCRIPTION: encodes a text of 1–12 characters from [0-9A-Z_-] exactly
 *   (and never as 0) into *key.
 * RETURN: 1 when encoded, 0 when the text is not of that form. */
int idset_exact_key(const char *s, size_t n, uint64_t *key);

/* A set of texts: exactly encoded when short (idset_exact_key, 8 bytes a
 * slot), else as a 128-bit hash. */
typedef struct textset { idset exact, other; } textset;
void textset_init(textset *t);
void textset_free(textset *t);
/* RETURN: 1 newly added, 0 already present, -1 out of memory. */
int textset_add(textset *t, const char *s, size_t n);
size_t textset_bytes(const textset *t);

#endif
