/* field_estimate.h — what `tuopin estimate` knows once the field rows are
 * assessed and matched to the sample: per sampled household its field
 * household (or none), per county the five estimates of standard §9.2 and
 * the decision.  Filled by estimate.c, written by estimate_out.c. */
#ifndef TUOPIN_FIELD_ESTIMATE_H
#define TUOPIN_FIELD_ESTIMATE_H

#include <stddef.h>
#include <stdint.h>
#include "field_design.h"
#include "field_ratio.h"
#include "output.h"

/* The measures of estimates.csv, in its order. */
enum { FE_WRONG_EXIT, FE_MISSED, FE_INCIDENCE, FE_SATISFACTION, FE_PAPER_EXIT, FE_NMEASURES };
extern const char *const fe_measure_names[FE_NMEASURES];

/* A household of the field file that the field run evaluated. */
typedef struct fe_field {
    char *id;                 /* owned */
    char *line;               /* owned: its households.csv row, no line break */
    char region[13];
    uint8_t status, assessment;
    int8_t satisfied;         /* 1, 0, -1 no answer */
    uint32_t members;
    int64_t unit;             /* the sampled household it stands for (index in d.units), or -1 */
} fe_field;

/* What became of a sampled household. */
enum { FE_FOUND, FE_MISSING, FE_REPLACED };
enum { FE_MEMBERS_CHANGED = 1, FE_COUNTY_CHANGED = 2 };

typedef struct fe_unit {
    uint8_t state;            /* FE_FOUND: field (the household or its reserve); else none */
    uint8_t flags;
    int64_t field;            /* index in fe.fields, or -1 */
    uint32_t hh;              /* the frame household whose registry record applies:
                                 the sampled one, or the reserve in its place */
    long double w;            /* (M·N)/(m·n) */
} fe_unit;

typedef struct fe_county {
    fr_result r[FE_NMEASURES];
    size_t households[FE_NMEASURES];   /* found households in each measure's denominator */
    size_t sampled, found, replaced, missing, flagged;
    int western;
    char decision[16];
    char reasons[128];
    int clear;                /* confidence: every interval on one side of its threshold */
} fe_county;

typedef struct fe_state {
    const fd_frame *f;
    const fd_design *d;
    fe_field *fields; size_t nfields;
    fe_unit *units;           /* parallel to d->units */
    fe_county *counties;      /* parallel to d->counties */
    size_t not_sampled, field_rejected_rows;
    int has_satisfied;        /* the field file has the satisfied column */
    const char *sample_dir, *field_path;
} fe_state;

/* NAME: fe_compute
 * DESCRIPTION: the estimates, decisions and confidence of every county.
 * RETURN: 0, or -1 out of memory. */
int fe_compute(fe_state *s);

/* The (y, x) of measure k for sampled household u (0, 0 when missing or
 * outside the measure's domain). */
void fe_values(const fe_state *s, size_t u, int k, long double *y, long double *x);

/* NAME: fe_write_outputs
 * DESCRIPTION: field_households.csv, estimates.csv, field_counties.csv,
 *   agreement.csv and estimates.html, opened in dir as files[0 … 4] (the
 *   caller commits or aborts them).
 * RETURN: 0, or -1 with a message. */
int fe_write_outputs(const fe_state *s, const char *dir, out_file files[5], char *err, size_t errlen);

/* Writes estimates.html into f. */
void fe_write_html(const fe_state *s, FILE *f);

/* A long double with 15 significant digits, "" when !defined. */
void fe_num(char *buf, size_t len, long double v, int defined);

#endif
