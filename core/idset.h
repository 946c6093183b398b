/* idset.h — compact open-addressing sets of 64-bit and 128-bit keys, used for
 * run-wide "seen before" checks (household ids, person ids).  8 or 16 bytes a
 * slot, 50–75 % full (growth by half).  Not thread-safe: the owner serialises access.
 * This file is also compiled into stage plugins that need a set; it uses no
 * host symbols. */
#ifndef TUOPIN_IDSET_H
#define TUOPIN_IDSET_H

#include <stddef.h>
#include <stdint.h>

#define IDSET_SHARDS 64

/* The set is cut into shards by hash so that growing one shard at a time
 * keeps the transient cost of a rehash to 1/64 of the set. */
typedef struct idset_shard {
    uint64_t *slots;   /* owned; 0 marks an empty slot (pairs when wide) */
    size_t cap, n;
} idset_shard;

typedef struct idset {
    idset_shard sh[IDSET_SHARDS];
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

/* Bytes held by the set (for the closing account). */
size_t idset_bytes(const idset *s);

/* A 64-bit hash of [p, p+n) with a seed; two seeds give a 128-bit key whose
 * collisions are negligible (about 1e-24 for 30 million keys). */
uint64_t idset_hash(const void *p, size_t n, uint64_t seed);

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
