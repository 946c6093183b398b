/* field_design.h — the sample of standard §9.1: the frame (a run's evaluated
 * households), the deterministic random numbers, the two-stage draw
 * (villages within counties, households within village and domain) and the
 * exact weights.  Same frame, parameters and seed: the same sample, on any
 * machine (docs/field.md, "The draw"). */
#ifndef TUOPIN_FIELD_DESIGN_H
#define TUOPIN_FIELD_DESIGN_H

#include <stddef.h>
#include <stdint.h>

/* Domains of §9.1: registered (status poor or exited) and general. */
enum { FD_REGISTERED = 0, FD_GENERAL = 1, FD_NDOMAINS = 2 };
extern const char *const fd_domain_names[FD_NDOMAINS];

/* ---- random numbers ---------------------------------------------------------- */

/* SplitMix64 (Steele, Lea, Flood 2014): one 64-bit word of state. */
typedef struct fd_rng { uint64_t s; } fd_rng;

/* The stream of one draw: state = seed XOR FNV-1a-64(label).  Each county's
 * and each village's draw has its own label, so a unit's draw does not
 * depend on the other units in the frame. */
void fd_rng_init(fd_rng *r, uint64_t seed, const char *label);
uint64_t fd_rng_next(fd_rng *r);
/* A uniform integer in [0, k), k >= 1, by rejection (no modulo bias):
 * words below 2^64 mod k are drawn again, the rest give word mod k. */
uint64_t fd_rng_below(fd_rng *r, uint64_t k);

/* NAME: fd_shuffle_prefix
 * DESCRIPTION: partial Fisher–Yates: for i = 0 … k-1, swaps v[i] with
 *   v[i + fd_rng_below(r, n - i)].  Afterwards v[0 … k-1] is a simple
 *   random sample without replacement of the n items, in draw order; a
 *   later call with a larger k continues the same permutation. */
void fd_shuffle_prefix(fd_rng *r, uint32_t *v, size_t n, size_t from, size_t k);

/* ---- the frame ---------------------------------------------------------------- */

typedef struct fd_household {
    const char *id;        /* household_id, in the frame's arena */
    char region[13];       /* 12 digits */
    uint8_t status;        /* tp_status */
    uint8_t assessment;    /* hh_assessment */
    uint8_t domain;        /* FD_REGISTERED, FD_GENERAL */
    int8_t satisfied;      /* 1, 0, -1 no answer */
    uint32_t members;
} fd_household;

/* The households of a run's results.sqlite, in the columns fd_household_row
 * reads (append " ORDER BY ..." as needed). */
#define FD_HOUSEHOLDS_SELECT \
    "SELECT household_id, region_code, status, members, assessment, satisfied FROM households"

/* NAME: fd_household_row
 * DESCRIPTION: h from the current row of a statement of FD_HOUSEHOLDS_SELECT;
 *   h->id points into the row (valid until the next step), domain is 0.
 * RETURN: 0, or -1: an unreadable row (a NULL, a region code not 12 bytes,
 *   an unknown status or assessment). */
struct sqlite3_stmt;
int fd_household_row(struct sqlite3_stmt *s, fd_household *h);

typedef struct fd_frame {
    fd_household *h;       /* owned, sorted by region code then id (bytes) */
    size_t n;
    struct fd_arena *arena;
    char sha256[65];       /* of the frame text (docs/field.md) */
    /* the run record */
    char quarter[16];
    char input_sha256[65];
    char *pipeline, *input_path;   /* owned, may be NULL */
    /* §5's thresholds in force in the run, millionths */
    int64_t incidence_max, incidence_max_western, wrong_exit_max, missed_max, satisfaction_min;
    /* every parameter of the run, for re-assessing field rows */
    char **param_names, **param_values;
    size_t nparams;
} fd_frame;

/* NAME: fd_frame_load
 * DESCRIPTION: the evaluated households of the run in run_dir (its
 *   results.sqlite), sorted, with the frame's SHA-256 and the run record.
 * RETURN: 0, or -1 with a one-line message naming the file. */
int fd_frame_load(fd_frame *f, const char *run_dir, char *err, size_t errlen);

/* A frame from households given by the caller (tests); ids are copied.
 * RETURN 0 or -1 (memory). */
int fd_frame_set(fd_frame *f, const fd_household *h, size_t n);
void fd_frame_free(fd_frame *f);

/* ---- the design ---------------------------------------------------------------- */

typedef struct fd_params {
    uint64_t seed;
    uint32_t villages_per_county;    /* default 6 */
    uint32_t households_per_domain;  /* default 10 */
    uint32_t reserve_per_domain;     /* reserves listed per village and domain, default 3 */
    /* --certainty quality:K: the K highest-ranked villages of each county by
     * the run's quality.csv (docs/quality.md) are taken with certainty, each
     * its own stratum; the county's other villages form the stratum that
     * stage 1 draws from.  certain: their codes and ranks, sorted by code
     * (fd_certainty_load; owned by the caller, shared by copies). */
    uint32_t certainty_k;            /* 0: none */
    struct fd_certain *certain;
    size_t ncertain;
} fd_params;

typedef struct fd_certain { char code[13]; uint32_t rank; } fd_certain;

/* NAME: fd_certainty_load
 * DESCRIPTION: the villages of rank 1 … p->certainty_k in run_dir's
 *   quality.csv into p->certain (malloc'd; free it with free()).
 * RETURN: 0, or -1 with a message naming the file. */
int fd_certainty_load(fd_params *p, const char *run_dir, char *err, size_t errlen);

void fd_params_default(fd_params *p);

typedef struct fd_county {
    char code[7];
    uint32_t M, m;                   /* villages with households; sampled (both without
                                      * the villages taken with certainty) */
    uint32_t certain;                /* villages taken with certainty */
    size_t first_village, nvillages; /* in fd_design.villages */
} fd_county;

typedef struct fd_village {
    char code[13];
    uint32_t county;                 /* index */
    int sampled;
    uint32_t certain_rank;           /* taken with certainty: its quality rank; else 0 */
    uint32_t N[FD_NDOMAINS], n[FD_NDOMAINS];
    size_t first, count;             /* households in the frame (sorted) */
} fd_village;

/* One selected household: sampled (rank 0) or a reserve (rank 1, 2, … in
 * the order of use). */
typedef struct fd_unit {
    uint32_t hh;                     /* index in the frame */
    uint32_t village;                /* index in fd_design.villages */
    uint8_t domain;
    uint32_t rank;
} fd_unit;

typedef struct fd_design {
    fd_params p;
    fd_county *counties; size_t ncounties;     /* sorted by code */
    fd_village *villages; size_t nvillages;    /* sorted by code */
    fd_unit *units; size_t nunits;             /* sampled, by village, domain, id */
    fd_unit *reserves; size_t nreserves;       /* by village, domain, rank */
} fd_design;

/* NAME: fd_draw
 * DESCRIPTION: the §9.1 design over frame f with parameters p.
 * RETURN: 0, or -1 out of memory. */
int fd_draw(const fd_frame *f, const fd_params *p, fd_design *d);
void fd_design_free(fd_design *d);

/* The weight of a unit as an exact fraction num/den = (M·N)/(m·n),
 * reduced.  RETURN 0, or -1 when the unit's n is 0 (cannot happen for a
 * sampled unit). */
int fd_weight(const fd_design *d, const fd_unit *u, uint64_t *num, uint64_t *den);

/* Writes num/den as a decimal rounded half up to 12 decimals, trailing
 * zeros (and a bare point) removed: exact when the fraction has 12 decimals
 * or fewer.  buf needs 48 bytes. */
void fd_format_fraction(uint64_t num, uint64_t den, char *buf, size_t len);

/* The sample.csv text of d (header included) into *out (malloc'd, *len
 * bytes, NUL-terminated).  RETURN 0 or -1 (memory). */
int fd_sample_csv(const fd_frame *f, const fd_design *d, char **out, size_t *len);

#endif
