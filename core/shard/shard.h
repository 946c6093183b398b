/* shard.h — the folder `tuopin split` writes and `tuopin merge` reads: the
 * manifest (the whole input's fingerprint and totals, one line per shard),
 * per shard its input file and its order file, and the rows the split itself
 * rejected.  See docs/sharding.md for the layout and why it is so.
 *
 *   manifest.tsv        this module (shard_manifest_*)
 *   shards.txt          the shard input files, one a line (for job arrays)
 *   LEVEL-CODE.csv      a shard's input: the header, then whole households
 *   LEVEL-CODE.order    one line per household of the shard file, in its
 *                       order: the input line where it started, or "g" for
 *                       a ghost (below)
 *   rejects.csv         rejects.csv of the whole input, as a run writes it
 *   rejects.bin         the same rows for results.sqlite (shard_reject_*)
 *
 * A ghost is a household the split adds to a shard just before a household
 * one of whose members repeats a resident ID first seen in another shard: it
 * holds copies of those members' rows under a reserved household id and
 * village code, so that the shard's own identity stage reports ID_DUPLICATE
 * exactly as a single run would.  The merge drops ghosts and their village. */
#ifndef TUOPIN_SHARD_H
#define TUOPIN_SHARD_H

#include <stddef.h>
#include <stdio.h>

#define SHARD_MANIFEST "manifest.tsv"
#define SHARD_LIST "shards.txt"
#define SHARD_REJECTS_CSV "rejects.csv"
#define SHARD_REJECTS_BIN "rejects.bin"
/* The village of ghosts (a valid code no real village has: town 999,
 * village 999 of an unused city of Beijing) and the prefix of their ids. */
#define SHARD_GHOST_REGION "119999999999"
#define SHARD_GHOST_PREFIX "~tuopin-ghost-"

typedef struct shard_entry {
    char code[13];                   /* region prefix of the shard */
    char *file;                      /* shard input, a name inside the folder; owned */
    unsigned long long households;   /* real households (ghosts not counted) */
    unsigned long long rows;         /* their rows */
    unsigned long long ghosts, ghost_rows;
    char sha256[65];                 /* of the shard input file */
} shard_entry;

typedef struct shard_manifest {
    char *input_path;                /* as given to tuopin split; owned */
    unsigned long long input_bytes;
    char input_sha256[65];
    char by[16];                     /* province, city or county */
    unsigned long long rows_read, rows_evaluated, rows_rejected, blocks_rejected;
    unsigned long long households, cross_duplicates;
    shard_entry *s;                  /* owned, n of them, sorted by code */
    size_t n, cap;
} shard_manifest;

/* Appends a shard entry (file copied).  RETURN the entry, or NULL out of memory. */
shard_entry *shard_manifest_add(shard_manifest *m, const char *code, const char *file);

/* NAME: shard_manifest_write
 * DESCRIPTION: writes dir/manifest.tsv and dir/shards.txt atomically (mode
 *   0600).
 * RETURN: 0, or -1 with err naming the file. */
int shard_manifest_write(const char *dir, const shard_manifest *m, char *err, size_t errlen);

/* NAME: shard_manifest_read
 * DESCRIPTION: reads dir/manifest.tsv into m (zeroed by the caller).
 * RETURN: 0, or -1 with err naming the file and line. */
int shard_manifest_read(const char *dir, shard_manifest *m, char *err, size_t errlen);

void shard_manifest_free(shard_manifest *m);

/* The name of a shard's order file for its input file name (".csv" becomes
 * ".order").  Owned by the caller; NULL out of memory. */
char *shard_order_name(const char *csv_name);

/* One rejected row as stored in rejects.bin.  Text points into buffers the
 * reader owns, valid until the next read. */
typedef struct shard_reject {
    long line;
    const char *household_id, *code, *detail, *raw;
    size_t raw_len;
} shard_reject;

/* Writes the header of rejects.bin.  RETURN 0 or -1 (stdio error). */
int shard_reject_begin(FILE *f);
/* Appends one row.  RETURN 0 or -1. */
int shard_reject_put(FILE *f, long line, const char *household_id, const char *code,
                     const char *detail, const char *raw, size_t raw_len);

typedef struct shard_reject_reader {
    FILE *f;          /* borrowed */
    char *buf;        /* owned */
    size_t cap;
    int checked;
} shard_reject_reader;

/* NAME: shard_reject_next
 * DESCRIPTION: the next row of rejects.bin (free r->buf at the end).
 * RETURN: 1 with a row, 0 at the end, -1 for a file that is not rejects.bin
 *   or is cut short. */
int shard_reject_next(shard_reject_reader *r, shard_reject *out);

#endif
