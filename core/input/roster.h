/* roster.h — reading department rosters (standard §8.1) into the roster
 * index: each file through the registry's own reader (source.h: encoding,
 * BOM, quoting, mapping files), its header matched without case and in any
 * order, every row either accepted into the index or written to
 * roster_rejects.csv with its code. */
#ifndef TUOPIN_ROSTER_H
#define TUOPIN_ROSTER_H

#include <stdio.h>
#include "pipeline.h"
#include "rindex.h"

/* A rejected roster row, kept for results.sqlite. */
typedef struct roster_reject {
    tp_roster_kind kind;
    const char *file;                  /* the roster's path (the run config's) */
    long line;
    const char *code;                  /* static */
    char *detail;                      /* owned */
} roster_reject;

typedef struct roster_file roster_file;

typedef struct roster_set {
    roster_index *ix;                        /* owned */
    rid_hmac *hmac;                    /* owned; NULL: rosters hold plain IDs */
    unsigned kinds;                    /* bits (1u << kind) of the kinds given */
    unsigned long long rows[TP_ROSTER_KINDS], rejected[TP_ROSTER_KINDS];
    roster_reject *rej;                /* every rejected row, in file order; owned */
    size_t nrej, rejcap;
    roster_file *files;                /* open until read (roster_read); owned */
    size_t nfiles;
    int stop;                          /* roster_stop (atomic) */
} roster_set;

/* The kind's name in the standard ("hukou" …), and back (exact, lower
 * case).  RETURN of roster_kind_parse: the kind, or -1 when unknown. */
const char *roster_kind_name(tp_roster_kind k);
int roster_kind_parse(const char *name);

/* The header of roster_rejects.csv. */
extern const char roster_rejects_header[];

/* NAME: roster_load
 * DESCRIPTION: reads every roster of cfg (cfg->rosters, with cfg->id_key
 *   when set) kind by kind in the standard's order, each kind's files in the
 *   order given, and writes each rejected row to `rejects` (CSV rows of
 *   roster_rejects.csv, no header).  quiet: no notices on standard error.
 * RETURN: the set (free with roster_free), or NULL with a one-line message
 *   naming the file (cannot be read, lacks a required column, unknown kind,
 *   key file missing or empty) in err. */
roster_set *roster_load(const run_config *cfg, FILE *rejects, char *err, size_t errlen);

/* roster_load in two steps, so that a run can read the rows while it reads
 * the registry.
 * roster_open: the kinds, the key and each file's header: every fatal error
 *   of roster_load but one in the rows (a read error, out of memory).
 * roster_read: every row, each kind on a thread of its own, then the
 *   rejected rows to `rejects` kind by kind, files in order, lines in order:
 *   the same index, rows and bytes as one thread reading them in that order.
 *   RETURN 0, or -1 with err (the first kind's error, as a serial read).
 * roster_stop: asks a roster_read under way (on another thread) to stop
 *   soon, with an error. */
roster_set *roster_open(const run_config *cfg, char *err, size_t errlen);
int roster_read(roster_set *rs, FILE *rejects, char *err, size_t errlen);
void roster_stop(roster_set *rs);
void roster_free(roster_set *rs);

/* NAME: roster_member_key
 * DESCRIPTION: the index key of a registry member's person_id: its
 *   normalised ID, or that ID's keyed hash when the set has a key.
 * RETURN: 1 with *k, 0 when the normalised ID is not valid. */
int roster_member_key(const roster_set *rs, const char *person_id, rid_key *k);

/* The member's packed value (rindex.h): RV_BAD_ID for an invalid ID, 0
 * when no roster has a row for the member. */
uint64_t roster_member_value(const roster_set *rs, const char *person_id);

#endif
