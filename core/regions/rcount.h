/* rcount.h — the counts of rosters.csv (standard §8.2): per county and
 * roster kind, the evaluated persons, those whose normalised ID has a row
 * in that kind's roster, those without, and the findings of that kind.
 * Called from one thread, in input order; memory bounded by the counties. */
#ifndef TUOPIN_RCOUNT_H
#define TUOPIN_RCOUNT_H

#include <stdint.h>
#include <stdio.h>
#include "household.h"

/* The counts of one county. */
typedef struct rc_county {
    char code[7];
    uint64_t persons;
    uint64_t matched[TP_ROSTER_KINDS], findings[TP_ROSTER_KINDS];
    /* households whose verdict a roster changed: stage rosters failed them
     * and no other stage did (without the rosters they were exit-ready),
     * and their persons */
    uint64_t changed, changed_persons;
} rc_county;

typedef struct rcount rcount;

/* The roster kind whose findings code is (ROSTER_UNINSURED → medical …),
 * or -1 for any other code. */
int rc_code_kind(const char *code);

/* A new count for the kinds given (bits 1u << kind).  NULL: out of memory. */
rcount *rc_new(unsigned kinds);
void rc_free(rcount *r);

/* One household's share of the counts (rc_facts_of), worked out on any
 * thread while the household is still in the cache, added in input order
 * (rc_add_facts). */
typedef struct rc_facts {
    uint32_t persons;
    uint32_t matched[TP_ROSTER_KINDS], findings[TP_ROSTER_KINDS];
    unsigned char changed;
} rc_facts;

/* NAME: rc_facts_of
 * DESCRIPTION: one evaluated household's share: its members' roster values
 *   (e->roster) and the findings the stage at index `stage` (rosters) gave.
 *   Reads e only: any thread. */
void rc_facts_of(const hh_eval *e, int stage, rc_facts *f);

/* NAME: rc_add_facts
 * DESCRIPTION: adds a household's share to its county (region_code's first
 *   6 characters).
 * RETURN: 0, or -1 out of memory. */
int rc_add_facts(rcount *r, const char *region_code, const rc_facts *f);

/* NAME: rc_add
 * DESCRIPTION: counts one evaluated household (rc_facts_of, then
 *   rc_add_facts).
 * RETURN: 0, or -1 out of memory. */
int rc_add(rcount *r, const hh_eval *e, int stage);

/* NAME: rc_add_counts
 * DESCRIPTION: adds one row of another run's rosters.csv (tuopin merge):
 *   its persons once per county (on the lowest kind of kinds_given, the
 *   kinds that run's file has rows for) and the kind's matched and
 *   findings; the kind becomes one of r's kinds.
 * RETURN: 0, or -1 out of memory or a code that is not 6 characters. */
int rc_add_counts(rcount *r, const char *code, int kind, unsigned kinds_given, uint64_t persons,
                  uint64_t matched, uint64_t findings);
/* Adds a county's households whose verdict a roster changed, and their
 * persons (tuopin merge).  RETURN 0 or -1 as rc_add_counts. */
int rc_add_changed(rcount *r, const char *code, uint64_t households, uint64_t persons);

/* The counties in code order (owned by r; valid until the next rc_add). */
const rc_county *rc_sorted(rcount *r, size_t *n);
/* The same once rc_sorted has been called (for readers holding r const). */
const rc_county *rc_counties(const rcount *r, size_t *n);
/* NAME: rc_changed_first
 * DESCRIPTION: the counties' indices (into rc_counties) with those where a
 *   roster changed most verdicts first (households changed, descending),
 *   then by code: the order of the reports' roster section.
 * RETURN: an array of n indices (free it), or NULL out of memory. */
size_t *rc_changed_first(const rcount *r, size_t *n);

/* The standard's name of a kind ("hukou" …). */
const char *rc_kind_name(int kind);
unsigned rc_kinds(const rcount *r);

/* The header of rosters.csv and its rows (county, then kind in the
 * standard's order; only the kinds given).  RETURN 0, or -1 on a write error. */
extern const char rc_header[];
int rc_write(rcount *r, FILE *f);

#endif
