/* agg_internal.h — the aggregation's tables as the writers of its outputs
 * (core/outputs: region_outputs.c, report_html.c, report_xlsx.c,
 * resultsdb_tables.c) and the merge of partial counts (agg_partial.c) read
 * them.  Not a public interface: the engine uses aggregate.h only. */
#ifndef TUOPIN_AGG_INTERNAL_H
#define TUOPIN_AGG_INTERNAL_H

#include <stddef.h>
#include <stdint.h>
#include "aggregate.h"
#include "output.h"
#include "hash.h"

/* Region levels: the whole run, then the prefixes of region_code. */
enum { AGG_NATIONAL, AGG_PROVINCE, AGG_CITY, AGG_COUNTY, AGG_TOWN, AGG_VILLAGE, AGG_NLEVELS };
#define AGG_NSTATUS 3   /* tp_status */
#define AGG_NASSESS 7   /* hh_assessment */
#define AGG_NDIMS 6     /* dimensions of standard §6, in agg_dim_names order */

/* County reasons (standard §5), as bits in the standard's order. */
enum {
    AGG_R_INCIDENCE_HIGH = 1u << 0, AGG_R_WRONG_EXIT_HIGH = 1u << 1,
    AGG_R_MISSED_HIGH = 1u << 2, AGG_R_SATISFACTION_LOW = 1u << 3,
    AGG_R_NO_EXITED_SAMPLE = 1u << 4, AGG_R_NO_GENERAL_SAMPLE = 1u << 5
};
#define AGG_NREASONS 6
enum { AGG_MEETS, AGG_FAILS, AGG_INCOMPLETE };

extern const char *const agg_level_names[AGG_NLEVELS];   /* "national", "province", … */
extern const char *const agg_level_zh[AGG_NLEVELS];      /* 全国, 省, … */
extern const int agg_level_digits[AGG_NLEVELS];          /* 0, 2, 4, 6, 9, 12 */
extern const char *const agg_dim_names[AGG_NDIMS];       /* income … water */
extern const char *const agg_dim_zh[AGG_NDIMS];
extern const char *const agg_reason_names[AGG_NREASONS];
extern const char *const agg_reason_zh[AGG_NREASONS];
extern const char *const agg_decision_names[3];          /* meets, fails, incomplete */
extern const char *const agg_decision_zh[3];
extern const char *const agg_status_zh[AGG_NSTATUS];
extern const char *const agg_assess_zh[AGG_NASSESS];

/* Village data-quality and fabrication signals (docs/quality.md), counted
 * for villages only, in input order (agg_add), and scored after the run
 * (agg_quality_finish).  The copied-incomes test keeps, per village, the
 * 64-bit fingerprints of the distinct non-zero income tuples seen: at most
 * AGG_Q_SLOTS_MAX slots of 8 bytes (64 KiB) a village, whatever its size. */
#define AGG_NQSIG 6     /* missing_bad, copied, round, bunching, exited_near, cv */
#define AGG_Q_SLOTS_MAX 8192u
typedef struct agg_quality {
    uint64_t hh;                     /* evaluated households */
    uint64_t missing_bad;            /* with a MISSING_VALUE or BAD_VALUE finding */
    uint64_t copied;                 /* non-zero income tuple shared with another household */
    uint64_t amounts, round_amounts; /* non-zero valid components; of them multiples of 100 yuan */
    uint64_t near_below, near_above; /* income_pc in [0.95 L, L) and in [L, 1.05 L) */
    uint64_t exited, exited_near;    /* exited households with valid income; in [L, 1.05 L) */
    uint64_t inc_n;                  /* households with valid income (the CV's) */
    __int128 inc_sum;                /* Σ income_pc in whole cents (truncated) */
    unsigned __int128 inc_sq;        /* Σ of their squares */
    uint64_t *tup;                   /* owned: fingerprint table, tcap slots (0 = empty) */
    uint32_t tcap, tn;
    int capped;                      /* the table was full: later new tuples not stored */
    /* after agg_quality_finish */
    unsigned defined;                /* bit s: signal s has a value */
    double val[AGG_NQSIG], z[AGG_NQSIG];
    double score;
    uint32_t rank, county_villages;
} agg_quality;

extern const char *const agg_qsig_names[AGG_NQSIG];   /* missing_bad, copied, … */
extern const char *const agg_qsig_codes[AGG_NQSIG];   /* MISSING_BAD, COPIED_INCOMES, … */
extern const char *const agg_qsig_en[AGG_NQSIG];      /* words for the reports */
extern const char *const agg_qsig_zh[AGG_NQSIG];
#define AGG_Q_REASON_Z 2.0   /* an oriented z-score this high is a reason */

/* Failures of one (stage, code) in one region. */
typedef struct agg_fail {
    uint64_t households;   /* households with at least one such fail */
    uint64_t persons;      /* their members */
    uint64_t findings;     /* fail findings (a code per member counts each) */
} agg_fail;

/* The counts of one region.  persons and households are the sums over the
 * status arrays. */
typedef struct agg_region {
    uint64_t key;                    /* numeric code × 8 + level */
    char code[13];                   /* "" for the national row */
    unsigned char level;
    uint64_t hh_status[AGG_NSTATUS], persons_status[AGG_NSTATUS];
    uint64_t hh_assess[AGG_NASSESS], persons_assess[AGG_NASSESS];
    uint64_t hh_ready;               /* exit-ready households */
    uint64_t sat_yes, sat_no;        /* households answering yes / no */
    uint64_t af_poor;                /* persons in multidimensionally poor households */
    uint64_t af_score;               /* Σ over those persons of their deprived weight */
    uint64_t af_dep[AGG_NDIMS];      /* persons deprived in d (uncensored) */
    uint64_t af_cens[AGG_NDIMS];     /* persons poor and deprived in d (censored) */
    uint64_t *stage_failed;          /* [nstages] households failed by the stage; owned */
    agg_fail *fails;                 /* [nfails] by code index; owned, grows */
    size_t nfails;
    agg_quality q;                   /* villages, in runs with quality signals */
} agg_region;

/* A (stage, code) pair that failed some household. */
typedef struct agg_code {
    int stage;
    char *code;        /* owned */
} agg_code;

struct agg {
    /* parameters, in millionths for ratios */
    int64_t incidence_max, incidence_max_western, wrong_exit_max, missed_max, satisfaction_min;
    int64_t k_num, k_den;
    int64_t weight[AGG_NDIMS];       /* as given */
    int dim_present[AGG_NDIMS];      /* the dimension's stage is in the pipeline */
    int64_t wsum;                    /* Σ weights of present dimensions (renormalising) */
    int has_satisfied;

    size_t nstages;
    char **stage_names;              /* owned copies */
    int *stage_dim;                  /* dimension of each stage, or -1 */

    agg_region *r; size_t nr, rcap;  /* owned */
    htab rhash;                      /* regions by key */

    agg_code *codes; size_t ncodes, ccap;
    htab chash;                      /* codes by (stage, code) */
    uint64_t *code_mark;             /* [ccap] serial of the last household counted */
    uint64_t serial;

    char last_code[13];              /* region cache for runs of one village */
    size_t last_idx;
    int last_valid;
    int rolled_up;                   /* villages summed into every level above */

    int quality;                     /* count the village signals (agg_enable_quality) */
    int64_t q_line;                  /* income line in cents, or -1 (no income stage) */
    int q_done;                      /* agg_quality_finish ran */
    size_t *q_order, q_norder;       /* owned: villages in quality.csv's order, after it */

    const struct rcount *rosters;    /* department rosters' counts, or NULL (borrowed) */
    const struct roster_set *roster_set; /* the rosters and their rejects (borrowed) */
    const struct rnames *names;      /* the regions' names, or NULL (borrowed) */
};

/* The county figures and decision of standard §5. */
typedef struct agg_county {
    const agg_region *r;
    int western;
    uint64_t persons, poor_after;
    uint64_t exited, wrongly_exited;   /* persons */
    uint64_t general, missed;          /* persons */
    uint64_t sat_yes, sat_answered;    /* households */
    unsigned reasons;                  /* AGG_R_* */
    int decision;                      /* AGG_MEETS … */
} agg_county;

/* Figures of any region as the county rule reads them (decision included,
 * with the county thresholds; meaningful for counties). */
void agg_county_eval(const agg *a, const agg_region *r, agg_county *c);

/* The next county in order from position *i on, evaluated into c, with *i
 * moved past it; NULL after the last.  Loop: for (i = 0; (r = agg_next_county(a, order, &i, &c));) */
const agg_region *agg_next_county(const agg *a, const size_t *order, size_t *i, agg_county *c);

/* The reasons of a county decision (AGG_NREASONS bits) as names joined with
 * sep, from names (agg_reason_names or agg_reason_zh) into buf[n]; "" when
 * there are none. */
void agg_reasons_text(unsigned reasons, const char *const *names, const char *sep, char *buf, size_t n);

/* Whether province code (first two digits of code) is western (standard §5). */
int agg_is_western(const char *code);

/* Sums the villages into their towns, counties, cities, provinces and the
 * national row (agg_add counts villages only).  Idempotent; agg_add must not
 * be called afterwards.  RETURN 0, or -1 out of memory. */
int agg_rollup(agg *a);

/* NAME: agg_village_at
 * DESCRIPTION: the index of the village with 12-digit code, created (all
 *   counts zero) when new; for adding partial counts (agg_partial.c) before
 *   agg_rollup.
 * RETURN: 0, or -1 (out of memory, not 12 digits, or already rolled up). */
int agg_village_at(agg *a, const char *code, size_t *idx);

/* NAME: agg_fail_at
 * DESCRIPTION: the failure counters of (stage index, fail code) in region
 *   idx, created (zero) when new.  The pointer is valid until the next call.
 * RETURN: 0, or -1 out of memory. */
int agg_fail_at(agg *a, size_t idx, int stage, const char *code, agg_fail **fl);

/* Indices of all regions sorted by level, then code.  Owned by the caller
 * (free); NULL when out of memory. */
size_t *agg_sorted(const agg *a);

/* Indices of the codes sorted by stage, then code.  Owned by the caller. */
size_t *agg_codes_sorted(const agg *a);

uint64_t agg_persons(const agg_region *r);
uint64_t agg_households(const agg_region *r);
uint64_t agg_poor_after(const agg_region *r);

/* x / y rounded half up to 4 decimals, in ten-thousandths; -1 when y is 0. */
int64_t agg_rate_e4(unsigned __int128 x, unsigned __int128 y);
/* The same as text ("0.1266"), "" when undefined; buf of 32 bytes. */
void agg_fmt_rate(unsigned __int128 x, unsigned __int128 y, char *buf);
/* x / y ≥ t millionths, exactly (y > 0). */
int agg_ratio_ge(uint64_t x, uint64_t y, int64_t t_millionths);

/* The Alkire–Foster ratios of a region (standard §6), as x / y pairs:
 * H, A, M0, censored headcount ratio and contribution of dimension d. */
void agg_af_h(const agg *a, const agg_region *r, unsigned __int128 *x, unsigned __int128 *y);
void agg_af_a(const agg *a, const agg_region *r, unsigned __int128 *x, unsigned __int128 *y);
void agg_af_m0(const agg *a, const agg_region *r, unsigned __int128 *x, unsigned __int128 *y);
void agg_af_contrib(const agg *a, const agg_region *r, int d,
                    unsigned __int128 *x, unsigned __int128 *y);

/* The village signals of one household (from agg_add). RETURN 0, or -1
 * out of memory. */
int agg_quality_add(agg *a, agg_quality *q, const agg_qfacts *f);

/* NAME: agg_quality_finish
 * DESCRIPTION: the village signals' values, z-scores against the villages
 *   of their county, combined scores and ranks (docs/quality.md), in a
 *   fixed order (villages by code).  Idempotent; frees the fingerprint
 *   tables.  No-op unless quality is enabled.
 * RETURN: 0, or -1 out of memory. */
int agg_quality_finish(agg *a);

/* Village indices (a->r) in quality.csv's order: county, then rank.  *n
 * gets their number.  Owned by the caller; NULL out of memory. */
size_t *agg_quality_order(const agg *a, size_t *n);

/* The signals of village q whose oriented z-score reaches AGG_Q_REASON_Z,
 * strongest first, or, when none does, the strongest one above 0; as
 * names[s] joined with sep (with " (z 3.1)" after each when with_z), into
 * buf[n]; "" when no signal is above its county's mean. */
void agg_quality_reasons(const agg_quality *q, const char *const *names, const char *sep,
                         int with_z, char *buf, size_t n);
/* NAME: agg_region_name
 * DESCRIPTION: the name shown beside r's code (rnames_get: Chinese, or for en
 *   the English one when known).  The whole run's row has the name of its
 *   province when the run covers exactly one, else none: its label is then
 *   全国 / All (agg_national_label).
 * RETURN: the name, or NULL when unknown. */
const char *agg_region_name(const agg *a, const agg_region *r, int en);

/* The one province the run covers, or NULL when it covers several (or
 * none): '全国' only for a run of more than one province (issue 17.8). */
const agg_region *agg_only_province(const agg *a);

/* The region of the whole run (always present, index 0). */
const agg_region *agg_national(const agg *a);

#endif
