/* field_ratio.h — the ratio estimates of standard §9.2 and their standard
 * errors by linearisation, villages as primary units, with the stage-1
 * finite population correction (the ultimate-cluster variance): what R's
 * survey package gives for svyratio under svydesign(ids = ~village,
 * strata = ~county, fpc = ~M, weights = ~w).  One county (stratum) at a
 * time. */
#ifndef TUOPIN_FIELD_RATIO_H
#define TUOPIN_FIELD_RATIO_H

#include <stddef.h>
#include <stdint.h>

/* One sampled household of the county: its village (0 … m-1), its weight
 * and its numerator and denominator values.  A household outside the
 * measure's domain, or without field data, has y = x = 0: it adds nothing
 * to the sums, yet its village stays a primary unit of the design. */
/* The psu of a unit of a village taken with certainty (--certainty): a
 * stratum of its own with M = m = 1, which adds to the ratio's sums and
 * nothing to its variance (fpc 1 − 1/1 = 0). */
#define FR_CERTAIN UINT32_MAX

typedef struct fr_unit {
    uint32_t psu;
    long double w, y, x;
} fr_unit;

typedef struct fr_result {
    int defined;          /* 0 when Σ w·x = 0 (nothing in the domain) */
    long double r, se, lo, hi;
    long double Y, X;     /* Σ w·y, Σ w·x */
} fr_result;

/* The z of a 95 % interval, as standard §9.2 writes it. */
#define FR_Z95 1.959964L

/* NAME: fr_ratio
 * DESCRIPTION: R = Σ w·y / Σ w·x over the n units of one county with m
 *   villages sampled of M; z_i = w_i (y_i − R x_i) / X summed per village
 *   to z_j; var(R) = (1 − m/M) · m/(m − 1) · Σ_j (z_j − z̄)²; a county
 *   with m = 1 (or m = M) contributes 0.  zsum must have room for m values
 *   (scratch).  Interval: R ± FR_Z95 · SE.
 * RETURN: 0, or -1 when a unit's psu is not below m. */
int fr_ratio(const fr_unit *u, size_t n, uint32_t m, uint32_t M, long double *zsum, fr_result *out);

#endif
