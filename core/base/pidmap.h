/* pidmap.h — resident IDs seen so far, each with the shard where it first
 * appeared, for `tuopin split`: it tells which members of a household repeat
 * an ID that an earlier household of another shard had, and that no earlier
 * household of their own shard had (the shard's run cannot see that
 * duplicate; standard §3.7 ID_DUPLICATE is over the whole run).
 *
 * Memory: a well-formed ID (17 digits and a digit or X) is held exactly in
 * 60 bits, its shard in 16: 10 bytes a slot, 50–75 % full, so 13–20 bytes per
 * distinct ID.  Other non-blank texts are kept as 128-bit hashes (rare).  IDs
 * seen in more than one shard (rarer still) are also kept as (ID, shard)
 * pairs.  Not thread-safe. */
#ifndef TUOPIN_PIDMAP_H
#define TUOPIN_PIDMAP_H

#include <stddef.h>
#include <stdint.h>

#define PIDMAP_PARTS 64
#define PIDMAP_MAX_SHARDS 65534u   /* shard numbers 0 .. PIDMAP_MAX_SHARDS - 1 */

typedef struct pidmap_part {
    uint64_t *keys;     /* owned; 1 or 2 words a slot, all zero = empty */
    uint16_t *shard;    /* owned; first shard, or PIDMAP_MULTI */
    size_t cap, n;
} pidmap_part;

typedef struct pidmap_table {
    pidmap_part part[PIDMAP_PARTS];
    int wide;
} pidmap_table;

typedef struct pidmap {
    pidmap_table exact;   /* well-formed IDs */
    pidmap_table other;   /* other texts, hashed */
    pidmap_table multi;   /* (ID, shard) pairs of IDs seen in several shards */
} pidmap;

void pidmap_init(pidmap *m);
void pidmap_free(pidmap *m);

/* NAME: pidmap_visit
 * DESCRIPTION: records that person_id (trimmed, non-blank; x and X alike, as
 *   the identity stage compares them) occurs in a household of shard `shard`
 *   (< PIDMAP_MAX_SHARDS), in input order.
 * RETURN: 1 when the ID occurred before in another shard and never before in
 *   this one (a duplicate only the whole run sees), 0 otherwise (new, or
 *   already seen in this shard, which the shard's own run reports), -1 out of
 *   memory. */
int pidmap_visit(pidmap *m, const char *person_id, size_t n, unsigned shard);

/* Starts loading the memory that pidmap_visit of this ID will read, so that
 * the IDs of a household are looked up together rather than one cache miss
 * after another.  Changes nothing. */
void pidmap_prefetch(const pidmap *m, const char *person_id, size_t n);

/* Bytes held (for the closing account and tests). */
size_t pidmap_bytes(const pidmap *m);

#endif
