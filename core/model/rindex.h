/* rindex.h — what department rosters (standard §8) share with the run: the
 * normalised resident ID, the key a person is matched by (the ID itself, or
 * its keyed hash of §8.3), and the roster index, one table keyed by person
 * that packs the person's accepted rows of all five kinds into one 64-bit
 * value.  The index is built while the rosters are read (one thread per
 * kind, each adding under the lock of the index's part) and read-only once
 * they are, so every worker reads it without a lock. */
#ifndef TUOPIN_RINDEX_H
#define TUOPIN_RINDEX_H

#include <stddef.h>
#include <stdint.h>
#include <tuopin/stage.h>

#define RID_LEN 18

/* NAME: rid_normalise
 * DESCRIPTION: the normalised ID of s (length n) into out (RID_LEN + 1
 *   bytes): trimmed of ASCII spaces and tabs; full-width digits and 'Ｘ'
 *   made ASCII; 'x' made 'X'; a 15-digit ID made 18 digits ("19" after
 *   digit 6, the check character of §3.7 appended).
 * RETURN: 1 when the result passes the check of §3.7, else 0. */
int rid_normalise(const char *s, size_t n, char out[RID_LEN + 1]);

/* The key of a person in the index: for a plain ID its 17 digits as a
 * number plus one (the check character follows from them), b = 0; for a
 * keyed hash the hash's first 128 bits (HMAC-SHA256-128, RFC 4868's
 * truncation: a collision needs about 2^64 people). */
typedef struct rid_key { uint64_t a, b; } rid_key;

/* The key of a valid normalised ID. */
rid_key rid_plain_key(const char *norm);

/* NAME: rid_id_key
 * DESCRIPTION: rid_normalise and rid_plain_key in one: the key of the
 *   normalised ID of s (length n), without building the normalised text
 *   when s is already 18 ASCII characters (the usual spelling).
 * RETURN: 1 with *k, 0 when the normalised ID is not valid (as
 *   rid_normalise). */
int rid_id_key(const char *s, size_t n, rid_key *k);

/* A key for HMAC-SHA256 (standard §8.3), with its inner and outer states
 * worked out once.  Read-only after rid_hmac_new: any thread may hash. */
typedef struct rid_hmac rid_hmac;

/* NAME: rid_hmac_load
 * DESCRIPTION: reads the key file at path (its bytes as they are).
 * RETURN: the key (free with rid_hmac_free), or NULL with a one-line message
 *   naming the file (missing, unreadable or empty). */
rid_hmac *rid_hmac_load(const char *path, char *err, size_t errlen);
rid_hmac *rid_hmac_new(const unsigned char *key, size_t n);
void rid_hmac_free(rid_hmac *h);

/* The HMAC-SHA256 of the n bytes at msg under h, into out (32 bytes). */
void rid_hmac_digest(const rid_hmac *h, const char *msg, size_t n, unsigned char out[32]);
/* The same as 64 lower-case hex digits and a NUL. */
void rid_hmac_hex(const rid_hmac *h, const char *msg, size_t n, char out[65]);
/* The index key of a digest. */
rid_key rid_digest_key(const unsigned char d[32]);

/* NAME: rid_hex_key
 * DESCRIPTION: the index key of a roster ID under a keyed hash: s (length
 *   n, trimmed here) must be 64 hex digits (either case).
 * RETURN: 1 with *k, 0 when s is not 64 hex digits. */
int rid_hex_key(const char *s, size_t n, rid_key *k);

/* ---- the packed value of one person --------------------------------------- */

/* Bit k (tp_roster_kind): the person has a row of that kind. */
#define RV_HAS(k) (1ull << (k))
/* Set in a member's looked-up value when the member's normalised ID is not
 * valid (never stored in the index). */
#define RV_BAD_ID (1ull << 63)

uint64_t rv_hukou(tp_hukou_status st, tp_date event);
uint64_t rv_medical(int insured);
uint64_t rv_school(int enrolled);
/* rating 'A'..'D'; fixed: TP_MISSING (blank), else the yes/no value. */
uint64_t rv_housing(char rating, tp_yesno fixed);
uint64_t rv_asset(tp_asset a);

/* NAME: rv_row
 * DESCRIPTION: unpacks a person's row of one kind.
 * RETURN: 1 with *row, 0 when v has no row of that kind. */
int rv_row(uint64_t v, tp_roster_kind kind, tp_roster_row *row);

/* ---- the index ------------------------------------------------------------------ */

typedef struct roster_index roster_index;

/* A new, empty index; hashed: keys are keyed hashes (128 bits), else plain
 * IDs (64 bits: 16 bytes a slot).  RETURN NULL when out of memory. */
roster_index *rix_new(int hashed);
void rix_free(roster_index *x);
int rix_hashed(const roster_index *x);

/* NAME: rix_reserve
 * DESCRIPTION: sizes the empty index for about `persons` people before the
 *   first add, so that its tables need not grow while the rosters are read
 *   (each growth writes every slot again and zeroes new memory).  An
 *   estimate: more people than that only make the tables grow as they
 *   would have; what a key finds never depends on it.
 * RETURN: 0, or -1 when out of memory (the index is then as it was). */
int rix_reserve(roster_index *x, size_t persons);

/* NAME: rix_add
 * DESCRIPTION: adds one accepted row (v from an rv_* function of its kind)
 *   for key k.  Only while building; threads may add at once, but all the
 *   rows of one kind must come from one thread, in order (the first row of
 *   a person stands, and assets keep their order).
 * RETURN: 1 added; 0 a duplicate (the person already has a row of that
 *   kind — for assets, of that asset), nothing changed; -1 out of memory. */
int rix_add(roster_index *x, rid_key k, tp_roster_kind kind, uint64_t v);

/* NAME: rix_add_batch
 * DESCRIPTION: rix_add of n rows of one kind (keys k, values v), in order,
 *   taking each part's lock once for all the batch's rows in that part
 *   (a row's part follows from its key, so the rows of one person keep
 *   their order).  The same index and results as n calls of rix_add.
 * RETURN: 0 with res[i] rix_add's 1 or 0 for row i, or -1 out of memory
 *   (the rows before the failing one of its part are added). */
int rix_add_batch(roster_index *x, const rid_key *k, const uint64_t *v, size_t n, tp_roster_kind kind,
                  int *res);
/* The person's packed value, 0 when the index has no row for k. */
uint64_t rix_get(const roster_index *x, rid_key k);
/* Asks the cache for k's slot (lookups of a chunk, and the rows of a roster
 * being added, overlap their misses).  Safe while other threads add. */
void rix_prefetch(const roster_index *x, rid_key k);

/* People in the index, and the bytes its table takes. */
size_t rix_count(const roster_index *x);
size_t rix_bytes(const roster_index *x);

#endif
