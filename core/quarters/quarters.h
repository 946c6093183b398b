/* quarters.h — the households of several quarters side by side, the data
 * that compare, signals and monitoring read: one record per household and
 * quarter, households joined across quarters by household_id (each gets a
 * small number, its uid), villages interned.  Money is integer cents;
 * every comparison with a line is exact (see qd_pc_below and friends).
 * Filled by the loaders of history.h; tests build sets by hand. */
#ifndef TUOPIN_QUARTERS_H
#define TUOPIN_QUARTERS_H

#include <stddef.h>
#include <stdint.h>

#include "hash.h"

/* A household's presence in a quarter. */
enum { QD_ABSENT = 0, QD_PRESENT = 1, QD_REJECTED = 2 };

/* qd_rec.flags */
enum { QD_NET = 1,        /* net is known (every income component valid) */
       QD_TRANSFER = 2,   /* transfer is known (read from the run's input) */
       QD_READY = 4 };    /* exit-ready: no stage failed it */

/* Failed dimensions, bits of qd_rec.fails: the stage of that name failed the
 * household (any fail code); QD_DIM_OTHER for any other stage (scripts). */
enum { QD_DIM_INCOME, QD_DIM_FOOD_CLOTHING, QD_DIM_EDUCATION, QD_DIM_MEDICAL,
       QD_DIM_HOUSING, QD_DIM_WATER, QD_DIM_OTHER, QD_NDIMS };
extern const char *const qd_dim_names[QD_NDIMS];

/* Bit of a stage name (QD_DIM_OTHER for names that are not dimensions). */
unsigned qd_dim_bit(const char *stage);

/* One household in one quarter.  A record of a household that is not in the
 * quarter reads as all zeros (QD_ABSENT). */
typedef struct qd_rec {
    int64_t net;          /* cents per year, whole household, when QD_NET */
    int64_t transfer;     /* cents per year, when QD_TRANSFER */
    uint32_t village;     /* index into the set's villages (QD_PRESENT only) */
    uint32_t members;     /* member rows, >= 1 when present */
    uint8_t state;        /* QD_ABSENT, QD_PRESENT, QD_REJECTED */
    uint8_t status;       /* tp_status */
    uint8_t assessment;   /* hh_assessment */
    uint8_t flags;        /* QD_NET | QD_TRANSFER | QD_READY */
    uint8_t fails;        /* 1 << QD_DIM_* */
} qd_rec;

typedef struct qd_quarter {
    char label[8];        /* YYYYQn */
    int ord;              /* year * 4 + n - 1: consecutive quarters differ by 1 */
    int64_t line;         /* the poverty line the run used, cents; 0 unknown */
    char line_origin[96]; /* where the run's line came from (run table), "" unknown */
    int below_standard;   /* the run was not the national standard (--below-standard) */
    int has_transfers;    /* transfers were read for this quarter */
    char *source;         /* owned: the run folder or "FILE (history)" */
    qd_rec *r;            /* owned, indexed by uid; uids >= cap are absent */
    size_t cap;
    uint32_t *order;      /* owned: uids in the quarter's order (input order;
                             rejected households after the evaluated ones) */
    size_t norder, order_cap;
    unsigned long long households, rejected;
    int tag;              /* the caller's mark (compare: which argument) */
} qd_quarter;

typedef struct qd_set {
    /* household ids by uid (strings in the arena) */
    const char **ids; size_t nids, ids_cap;
    htab hids;                             /* uids by id */
    /* villages: 12-digit region codes by index */
    char (*villages)[13]; size_t nvillages, villages_cap;
    htab hvillages;                        /* village indexes by code */
    /* quarters, sorted by ord */
    qd_quarter *q; size_t nq;
    struct qd_arena *arena;
    /* Quarters list their households in much the same order, so the uid
     * after the last one looked up is tried before the hash table (and the
     * last village before the village table): loading is then sequential
     * memory access instead of a cache miss per row. */
    uint32_t hint;
    uint32_t last_village;
} qd_set;

void qd_init(qd_set *s);
void qd_free(qd_set *s);

/* Parses YYYYQn (Q or q) into *ord (year * 4 + n - 1).  RETURN 0 or -1. */
int qd_parse_quarter(const char *s, int *ord);
/* Writes the label of ord into buf (>= 8 bytes). */
void qd_quarter_label(int ord, char *buf);

/* NAME: qd_add_quarter
 * DESCRIPTION: a new empty quarter in its place by ord (quarter pointers and
 *   indexes taken before are invalidated).  Two quarters may have the same
 *   label (two runs of one quarter): the new one goes after.
 * RETURN: its index, -1 out of memory, -2 when label is not YYYYQn. */
int qd_add_quarter(qd_set *s, const char *label, const char *source);

/* The uid of a household id, adding it when new.  RETURN 0 or -1 (memory). */
int qd_uid(qd_set *s, const char *id, size_t len, uint32_t *uid);
/* The uid of a household id, or -1 when unknown. */
int64_t qd_find(const qd_set *s, const char *id, size_t len);
/* qd_find, trying the uid after the last one looked up first. */
int64_t qd_lookup(qd_set *s, const char *id, size_t len);

/* The index of a 12-character region code, added when new.  RETURN 0, -1
 * out of memory, -2 when code is not a valid region code (block_region_valid). */
int qd_village(qd_set *s, const char *code, size_t len, uint32_t *vid);

/* NAME: qd_put
 * DESCRIPTION: the record of uid in quarter qi, created (zeroed, appended to
 *   the quarter's order) when absent so far.
 * RETURN: the record (valid until the next qd_put on that quarter), or NULL
 *   out of memory. */
qd_rec *qd_put(qd_set *s, int qi, uint32_t uid);

/* The record of uid in quarter q (a zero record when absent). */
const qd_rec *qd_get(const qd_quarter *q, uint32_t uid);

/* ---- exact comparisons (integer arithmetic, 128-bit products) ---------- */

/* Per-capita income net / members compared with a line of num / den cents
 * per person (den > 0): RETURN -1, 0 or 1 as net/members <, =, > num/den.
 * The record must have QD_NET. */
int qd_pc_cmp(const qd_rec *r, int64_t num, int64_t den);

/* net / members < line (cents).  Requires QD_NET. */
int qd_pc_below(const qd_rec *r, int64_t line);

/* Whether the per-capita income fell by at least share_e6 / 10^6 of its
 * earlier value (which must be positive) from a to b.  Requires QD_NET on
 * both; 0 when a's per-capita income is not positive. */
int qd_pc_fell_by(const qd_rec *a, const qd_rec *b, int64_t share_e6);

/* Per-capita income rounded half away from zero, in cents (display only). */
int64_t qd_pc_cents(const qd_rec *r);

#endif
