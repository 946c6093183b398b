/* field_ratio.c — standard §9.2's ratio estimate and its linearised
 * variance for one county.
 *
 * Why long double: the weights are exact fractions (M·N)/(m·n) of small
 * whole numbers, and every sum here is of at most a county's sampled
 * households.  An 80-bit long double carries 64 bits of mantissa, so each
 * weight, product and sum is within a relative 2^-63 of the exact value and
 * a county's estimate within about n·2^-63 — below 1e-15 for any county,
 * far under the 10 significant digits printed.  Exact rationals would need
 * denominators up to the product of every village's n (unbounded), for no
 * digit that is printed. */
#include "field_ratio.h"

#include <math.h>
#include <string.h>

int fr_ratio(const fr_unit *u, size_t n, uint32_t m, uint32_t M, long double *zsum, fr_result *out)
{
    long double Y = 0, X = 0, R, mean = 0, ss = 0, var;
    size_t i;
    uint32_t j;

    memset(out, 0, sizeof *out);
    for (i = 0; i < n; i++) {
        if (u[i].psu >= m && u[i].psu != FR_CERTAIN) return -1;
        Y += u[i].w * u[i].y;
        X += u[i].w * u[i].x;
    }
    out->Y = Y;
    out->X = X;
    if (X == 0) return 0;
    R = Y / X;
    out->defined = 1;
    out->r = R;
    if (m > 1 && m < M) {
        for (j = 0; j < m; j++) zsum[j] = 0;
        for (i = 0; i < n; i++)
            if (u[i].psu != FR_CERTAIN) zsum[u[i].psu] += u[i].w * (u[i].y - R * u[i].x) / X;
        for (j = 0; j < m; j++) mean += zsum[j];
        mean /= m;
        for (j = 0; j < m; j++) ss += (zsum[j] - mean) * (zsum[j] - mean);
        var = (1.0L - (long double)m / (long double)M) * ((long double)m / (long double)(m - 1)) * ss;
        out->se = sqrtl(var);
    }
    out->lo = R - FR_Z95 * out->se;
    out->hi = R + FR_Z95 * out->se;
    return 0;
}
