/* test_field.c — standard §9: the two-stage design (villages within
 * counties, households within village and domain), its weights, the
 * reproducible draw, and the ratio estimate with its linearised variance
 * (values worked by hand from §9.2's formula). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "field_design.h"
#include "field_ratio.h"
#include <tuopin/stage.h>

/* ---- the generator ---------------------------------------------------------- */

static void test_splitmix64_reference_outputs(void **state)
{
    /* SplitMix64 from state 0: the published first outputs. */
    fd_rng r = { 0 };
    (void)state;
    assert_true(fd_rng_next(&r) == 0xe220a8397b1dcdafULL);
    assert_true(fd_rng_next(&r) == 0x6e789e6aa1b965f4ULL);
    assert_true(fd_rng_next(&r) == 0x06c45d188009454fULL);
}

static void test_below_stays_in_range_and_hits_every_value(void **state)
{
    fd_rng r;
    int seen[7] = { 0 }, i;
    (void)state;
    fd_rng_init(&r, 42, "x");
    for (i = 0; i < 700; i++) {
        uint64_t v = fd_rng_below(&r, 7);
        assert_true(v < 7);
        seen[v]++;
    }
    for (i = 0; i < 7; i++) assert_true(seen[i] > 0);
    assert_true(fd_rng_below(&r, 1) == 0);
}

static void test_shuffle_prefix_is_a_sample_without_replacement(void **state)
{
    uint32_t v[20], cnt[20] = { 0 };
    fd_rng r;
    int i;
    (void)state;
    for (i = 0; i < 20; i++) v[i] = (uint32_t)i;
    fd_rng_init(&r, 9, "y");
    fd_shuffle_prefix(&r, v, 20, 0, 6);
    fd_shuffle_prefix(&r, v, 20, 6, 9);     /* reserves: the permutation continued */
    for (i = 0; i < 20; i++) cnt[v[i]]++;
    for (i = 0; i < 20; i++) assert_int_equal(cnt[i], 1);
}

/* ---- the design ------------------------------------------------------------- */

/* county 110101: 10 villages of 3 registered + 12 general households;
 * county 110102: one village, 25 registered and no general household;
 * county 110103: 4 villages of 2 registered + 1 general. */
static fd_household *make_frame(size_t *n)
{
    fd_household *h = calloc(400, sizeof *h);
    static char ids[400][16];
    size_t k = 0;
    int v, i;
    for (v = 1; v <= 10; v++)
        for (i = 0; i < 15; i++, k++) {
            snprintf(ids[k], sizeof ids[k], "A%02d-%02d", v, i);
            h[k].id = ids[k];
            snprintf(h[k].region, sizeof h[k].region, "110101001%03d", v);
            h[k].status = i < 3 ? (i == 0 ? TP_STATUS_POOR : TP_STATUS_EXITED) : TP_STATUS_GENERAL;
            h[k].members = 1 + (uint32_t)(i % 4);
        }
    for (i = 0; i < 25; i++, k++) {
        snprintf(ids[k], sizeof ids[k], "B-%02d", i);
        h[k].id = ids[k];
        snprintf(h[k].region, sizeof h[k].region, "110102001001");
        h[k].status = TP_STATUS_EXITED;
        h[k].members = 2;
    }
    for (v = 1; v <= 4; v++)
        for (i = 0; i < 3; i++, k++) {
            snprintf(ids[k], sizeof ids[k], "C%d-%d", v, i);
            h[k].id = ids[k];
            snprintf(h[k].region, sizeof h[k].region, "110103002%03d", v);
            h[k].status = i < 2 ? TP_STATUS_POOR : TP_STATUS_GENERAL;
            h[k].members = 3;
        }
    *n = k;
    return h;
}

static void draw(fd_frame *f, fd_design *d, const fd_household *h, size_t n, uint64_t seed)
{
    fd_params p;
    fd_params_default(&p);
    p.seed = seed;
    assert_int_equal(fd_frame_set(f, h, n), 0);
    assert_int_equal(fd_draw(f, &p, d), 0);
}

static void test_stage1_draws_villages_per_county_or_all(void **state)
{
    size_t n, i, sampled = 0;
    fd_household *h = make_frame(&n);
    fd_frame f;
    fd_design d;
    (void)state;
    draw(&f, &d, h, n, 1);
    assert_int_equal(d.ncounties, 3);
    assert_int_equal(d.counties[0].M, 10);
    assert_int_equal(d.counties[0].m, 6);     /* default villages_per_county */
    assert_int_equal(d.counties[1].M, 1);
    assert_int_equal(d.counties[1].m, 1);     /* all M when M is smaller */
    assert_int_equal(d.counties[2].M, 4);
    assert_int_equal(d.counties[2].m, 4);
    for (i = 0; i < d.counties[0].nvillages; i++) sampled += (size_t)d.villages[i].sampled;
    assert_int_equal(sampled, 6);
    fd_design_free(&d);
    fd_frame_free(&f);
    free(h);
}

static void test_stage2_draws_households_per_domain_or_all(void **state)
{
    size_t n, i;
    fd_household *h = make_frame(&n);
    fd_frame f;
    fd_design d;
    (void)state;
    draw(&f, &d, h, n, 1);
    for (i = 0; i < d.nvillages; i++) {
        const fd_village *v = &d.villages[i];
        if (!v->sampled) {
            assert_int_equal(v->n[0] + v->n[1], 0);
            continue;
        }
        assert_int_equal(v->n[FD_REGISTERED], v->N[FD_REGISTERED] < 10 ? v->N[FD_REGISTERED] : 10);
        assert_int_equal(v->n[FD_GENERAL], v->N[FD_GENERAL] < 10 ? v->N[FD_GENERAL] : 10);
    }
    /* 6 × (3 + 10) + (10 + 0) + 4 × (2 + 1) */
    assert_int_equal(d.nunits, 6 * 13 + 10 + 4 * 3);
    /* the village without general households: an empty domain, no unit */
    for (i = 0; i < d.nunits; i++)
        if (!memcmp(f.h[d.units[i].hh].region, "110102", 6)) assert_int_equal(d.units[i].domain, FD_REGISTERED);
    fd_design_free(&d);
    fd_frame_free(&f);
    free(h);
}

static void test_weight_is_M_over_m_times_N_over_n(void **state)
{
    size_t n, i;
    fd_household *h = make_frame(&n);
    fd_frame f;
    fd_design d;
    uint64_t num, den;
    char buf[48];
    int checked = 0;
    (void)state;
    draw(&f, &d, h, n, 5);
    for (i = 0; i < d.nunits; i++) {
        const fd_unit *u = &d.units[i];
        const char *reg = f.h[u->hh].region;
        assert_int_equal(fd_weight(&d, u, &num, &den), 0);
        if (!memcmp(reg, "110101", 6) && u->domain == FD_GENERAL) {
            /* (10 / 6) × (12 / 10) = 2 */
            assert_true(num == 2 && den == 1);
            checked |= 1;
        } else if (!memcmp(reg, "110101", 6)) {
            /* (10 / 6) × (3 / 3) = 5/3 */
            assert_true(num == 5 && den == 3);
            fd_format_fraction(num, den, buf, sizeof buf);
            assert_string_equal(buf, "1.666666666667");
            checked |= 2;
        } else if (!memcmp(reg, "110102", 6)) {
            /* (1 / 1) × (25 / 10) */
            assert_true(num == 5 && den == 2);
            fd_format_fraction(num, den, buf, sizeof buf);
            assert_string_equal(buf, "2.5");
            checked |= 4;
        } else {
            assert_true(num == 1 && den == 1);   /* everything taken */
            fd_format_fraction(num, den, buf, sizeof buf);
            assert_string_equal(buf, "1");
            checked |= 8;
        }
    }
    assert_int_equal(checked, 15);
    fd_design_free(&d);
    fd_frame_free(&f);
    free(h);
}

static char *sample_text(const fd_household *h, size_t n, uint64_t seed)
{
    fd_frame f;
    fd_design d;
    char *t;
    size_t len;
    draw(&f, &d, h, n, seed);
    assert_int_equal(fd_sample_csv(&f, &d, &t, &len), 0);
    fd_design_free(&d);
    fd_frame_free(&f);
    return t;
}

static void test_same_seed_same_sample_whatever_the_frame_order(void **state)
{
    size_t n, i;
    fd_household *h = make_frame(&n), t;
    char *a, *b, *c;
    (void)state;
    a = sample_text(h, n, 11);
    for (i = 0; i + 1 < n; i += 2) {     /* another input order */
        t = h[i];
        h[i] = h[n - 1 - i];
        h[n - 1 - i] = t;
    }
    b = sample_text(h, n, 11);
    c = sample_text(h, n, 12);
    assert_string_equal(a, b);
    assert_true(strcmp(a, c) != 0);      /* another seed, another sample */
    free(a);
    free(b);
    free(c);
    free(h);
}

static void test_a_county_draw_ignores_other_counties(void **state)
{
    size_t n, i, k = 0;
    fd_household *h = make_frame(&n);
    char *a, *b, *line, *save = NULL;
    (void)state;
    a = sample_text(h, n, 3);
    /* county 110103 alone: its lines are the same */
    for (i = 0; i < n; i++)
        if (!memcmp(h[i].region, "110103", 6)) h[k++] = h[i];
    b = sample_text(h, k, 3);
    for (line = strtok_r(b, "\n", &save); line; line = strtok_r(NULL, "\n", &save))
        if (!strstr(a, line)) fail_msg("not in the whole frame's sample: %s\n%s", line, a);
    free(a);
    free(b);
    free(h);
}

static void test_fraction_rounds_half_up_at_12_decimals(void **state)
{
    char buf[48];
    (void)state;
    fd_format_fraction(2, 3, buf, sizeof buf);
    assert_string_equal(buf, "0.666666666667");
    fd_format_fraction(13, 10, buf, sizeof buf);
    assert_string_equal(buf, "1.3");
    fd_format_fraction(1, 1024, buf, sizeof buf);
    assert_string_equal(buf, "0.0009765625");
    fd_format_fraction(7, 1, buf, sizeof buf);
    assert_string_equal(buf, "7");
}

/* ---- the estimate and its variance ------------------------------------------ */

static void test_ratio_variance_with_stage1_fpc(void **state)
{
    /* m = 3 of M = 6 villages.  Y = 2·1 + 2·0 + 4·1 = 6, X = 2·2 + 2·1 + 4·1 = 10,
     * R = 0.6; z = 2(1 − 1.2)/10, 2(0 − 0.6)/10, 4(1 − 0.6)/10 = −0.04, −0.12,
     * 0.16 (mean 0); Σ(z − z̄)² = 0.0416; var = (1 − 3/6)·(3/2)·0.0416 = 0.0312. */
    fr_unit u[] = { { 0, 2, 1, 2 }, { 1, 2, 0, 1 }, { 2, 4, 1, 1 } };
    long double z[3];
    fr_result r;
    (void)state;
    assert_int_equal(fr_ratio(u, 3, 3, 6, z, &r), 0);
    assert_true(r.defined);
    assert_true(fabsl(r.r - 0.6L) < 1e-15L);
    assert_true(fabsl(r.se - sqrtl(0.0312L)) < 1e-15L);
    assert_true(fabsl(r.lo - (0.6L - 1.959964L * sqrtl(0.0312L))) < 1e-15L);
    assert_true(fabsl(r.hi - (0.6L + 1.959964L * sqrtl(0.0312L))) < 1e-15L);
}

static void test_ratio_villages_summed_before_the_variance(void **state)
{
    /* Two households in village 0 are one primary unit: z_0 = −0.04 + 0 */
    fr_unit u[] = { { 0, 2, 1, 2 }, { 0, 2, 0, 0 }, { 1, 2, 0, 1 }, { 2, 4, 1, 1 } };
    long double z[3];
    fr_result r;
    (void)state;
    assert_int_equal(fr_ratio(u, 4, 3, 6, z, &r), 0);
    assert_true(fabsl(r.se - sqrtl(0.0312L)) < 1e-15L);
}

static void test_ratio_village_without_domain_households_counts_as_zero(void **state)
{
    /* m = 3 of M = 4, village 2 has nothing in the domain: Y = 2, X = 6,
     * R = 1/3; z_0 = 2(1 − 2/3)/6 = 1/9, z_1 = 2(0 − 1/3)/6 = −1/9, z_2 = 0;
     * mean 0; Σ = 2/81; var = (1 − 3/4)(3/2)(2/81) = 1/108. */
    fr_unit u[] = { { 0, 2, 1, 2 }, { 1, 2, 0, 1 }, { 2, 4, 0, 0 } };
    long double z[3];
    fr_result r;
    (void)state;
    assert_int_equal(fr_ratio(u, 3, 3, 4, z, &r), 0);
    assert_true(fabsl(r.r - 1.0L / 3) < 1e-15L);
    assert_true(fabsl(r.se - sqrtl(1.0L / 108)) < 1e-15L);
}

static void test_ratio_single_village_contributes_zero(void **state)
{
    fr_unit u[] = { { 0, 2, 1, 2 }, { 0, 3, 0, 1 } };
    long double z[1];
    fr_result r;
    (void)state;
    assert_int_equal(fr_ratio(u, 2, 1, 5, z, &r), 0);    /* m = 1 < M */
    assert_true(r.defined);
    assert_true(r.se == 0);
    assert_true(r.lo == r.r && r.hi == r.r);
}

static void test_ratio_all_villages_taken_contributes_zero(void **state)
{
    fr_unit u[] = { { 0, 1, 1, 2 }, { 1, 1, 0, 1 } };
    long double z[2];
    fr_result r;
    (void)state;
    assert_int_equal(fr_ratio(u, 2, 2, 2, z, &r), 0);    /* m = M: fpc 0 */
    assert_true(fabsl(r.r - 1.0L / 3) < 1e-15L);
    assert_true(r.se == 0);
}

static void test_ratio_empty_domain_is_undefined(void **state)
{
    fr_unit u[] = { { 0, 1, 0, 0 }, { 1, 1, 0, 0 } };
    long double z[2];
    fr_result r;
    (void)state;
    assert_int_equal(fr_ratio(u, 2, 2, 4, z, &r), 0);
    assert_false(r.defined);
    assert_int_equal(fr_ratio(u, 2, 1, 4, z, &r), -1);    /* a psu beyond m */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_splitmix64_reference_outputs),
        cmocka_unit_test(test_below_stays_in_range_and_hits_every_value),
        cmocka_unit_test(test_shuffle_prefix_is_a_sample_without_replacement),
        cmocka_unit_test(test_stage1_draws_villages_per_county_or_all),
        cmocka_unit_test(test_stage2_draws_households_per_domain_or_all),
        cmocka_unit_test(test_weight_is_M_over_m_times_N_over_n),
        cmocka_unit_test(test_same_seed_same_sample_whatever_the_frame_order),
        cmocka_unit_test(test_a_county_draw_ignores_other_counties),
        cmocka_unit_test(test_fraction_rounds_half_up_at_12_decimals),
        cmocka_unit_test(test_ratio_variance_with_stage1_fpc),
        cmocka_unit_test(test_ratio_villages_summed_before_the_variance),
        cmocka_unit_test(test_ratio_village_without_domain_households_counts_as_zero),
        cmocka_unit_test(test_ratio_single_village_contributes_zero),
        cmocka_unit_test(test_ratio_all_villages_taken_contributes_zero),
        cmocka_unit_test(test_ratio_empty_domain_is_undefined),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
