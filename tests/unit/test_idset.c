/* test_idset.c — the "seen before" sets (idset.h) against a plain reference:
 * every key added once is new and every repeat is not, across the growth of
 * parts, in hash-chosen and caller-chosen parts, for 64- and 128-bit keys;
 * textset's exact and hashed texts; a prefetch never changes an answer. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "idset.h"

static uint64_t rng = 0x243f6a8885a308d3ULL;
static uint64_t next(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

/* Keys drawn from a small range, so that about half the draws repeat. */
#define DRAWS 200000
#define RANGE 100000

/* The key of draw k: a never 0; b only in a wide set. */
static uint64_t key_a(uint64_t k) { return k + 1; }
static uint64_t key_b(uint64_t k, int wide) { return wide ? (k * 7919) ^ 0x5555 : 0; }

/* Checks idset's answer r for draw k against the draws so far.
 * RETURN: 1 when k is new. */
static int answered(unsigned char *seen, uint64_t k, int r)
{
    int fresh = !seen[k];
    assert_int_equal(r, fresh);
    seen[k] = 1;
    return fresh;
}

/* mode 0: idset_add; 1: idset_locate, then idset_add_at one draw later (as
 * identity does, the set growing in between); 2: idset_add_in, few parts. */
static void run_set(int wide, int mode)
{
    idset s;
    idset_loc loc, pending_loc;
    unsigned char *seen = calloc(RANGE, 1);
    size_t i, fresh = 0;
    uint64_t pending = 0;
    int have_pending = 0;
    assert_non_null(seen);
    idset_init(&s, wide);
    for (i = 0; i < DRAWS; i++) {
        uint64_t k = next() % RANGE, a = key_a(k), b = key_b(k, wide);
        /* parts a function of the key: a stem (k / 1000) or few parts */
        uint64_t part = mode == 1 ? k / 1000 : k % 3;
        if (mode == 0) {
            fresh += (size_t)answered(seen, k, idset_add(&s, a, b));
        } else if (mode == 2) {
            fresh += (size_t)answered(seen, k, idset_add_in(&s, part, a, b));
        } else {
            assert_int_equal(idset_locate(&s, part, a, b, &loc), 0);
            if (have_pending)
                fresh += (size_t)answered(seen, pending, idset_add_at(&s, &pending_loc, key_a(pending),
                                                                      key_b(pending, wide)));
            pending = k;
            pending_loc = loc;
            have_pending = 1;
        }
    }
    if (have_pending)
        fresh += (size_t)answered(seen, pending, idset_add_at(&s, &pending_loc, key_a(pending),
                                                              key_b(pending, wide)));
    assert_int_equal(s.n, fresh);
    assert_true(fresh > RANGE / 2 && fresh < RANGE);
    assert_true(idset_bytes(&s) >= fresh * (wide ? 16 : 8));
    idset_free(&s);
    assert_int_equal(s.n, 0);
    free(seen);
}

static void test_narrow_hashed_parts(void **st) { (void)st; run_set(0, 0); }
static void test_narrow_stem_parts(void **st) { (void)st; run_set(0, 1); }
static void test_narrow_few_parts(void **st) { (void)st; run_set(0, 2); }
static void test_wide_hashed_parts(void **st) { (void)st; run_set(1, 0); }
static void test_wide_stem_parts(void **st) { (void)st; run_set(1, 1); }

/* One part grown far past 2 MiB (its tables then come from huge pages where
 * the system has them): every key new once, seen after, through every
 * growth; keys never added stay new. */
static void large_part(int wide, size_t n)
{
    idset s;
    size_t i;
    idset_init(&s, wide);
    for (i = 0; i < n; i++)
        assert_int_equal(idset_add_in(&s, 7, key_a(i * 3), key_b(i * 3, wide)), 1);
    for (i = 0; i < n; i++)
        assert_int_equal(idset_add_in(&s, 7, key_a(i * 3), key_b(i * 3, wide)), 0);
    assert_int_equal(s.n, n);
    assert_true(idset_bytes(&s) >= ((size_t)2 << 20));
    for (i = 0; i < 1000; i++)
        assert_int_equal(idset_add_in(&s, 7, key_a(i * 3 + 1), key_b(i * 3 + 1, wide)), 1);
    assert_int_equal(s.n, n + 1000);
    idset_free(&s);
}

static void test_large_narrow_part(void **st) { (void)st; large_part(0, 600000); }
static void test_large_wide_part(void **st) { (void)st; large_part(1, 300000); }

/* A key whose high half alone differs is another key in a wide set. */
static void test_wide_keys_differ_in_either_half(void **st)
{
    idset s;
    (void)st;
    idset_init(&s, 1);
    assert_int_equal(idset_add(&s, 1, 2), 1);
    assert_int_equal(idset_add(&s, 1, 3), 1);
    assert_int_equal(idset_add(&s, 2, 2), 1);
    assert_int_equal(idset_add(&s, 1, 2), 0);
    assert_int_equal(s.n, 3);
    idset_free(&s);
}

static void test_textset(void **st)
{
    textset t;
    char buf[64];
    int i;
    (void)st;
    textset_init(&t);
    /* exact (≤ 12 of [0-9A-Z_-]) and hashed texts, including ones that
     * differ only in their last characters, and the empty text */
    for (i = 0; i < 5000; i++) {
        snprintf(buf, sizeof buf, "H%010d", i);
        assert_int_equal(textset_add(&t, buf, strlen(buf)), 1);
        snprintf(buf, sizeof buf, "5308240100200%06d", i);
        assert_int_equal(textset_add(&t, buf, strlen(buf)), 1);
        snprintf(buf, sizeof buf, "h%d", i);  /* lower case: hashed */
        assert_int_equal(textset_add(&t, buf, strlen(buf)), 1);
    }
    for (i = 0; i < 5000; i += 7) {
        snprintf(buf, sizeof buf, "H%010d", i);
        assert_int_equal(textset_add(&t, buf, strlen(buf)), 0);
        snprintf(buf, sizeof buf, "5308240100200%06d", i);
        assert_int_equal(textset_add(&t, buf, strlen(buf)), 0);
        snprintf(buf, sizeof buf, "h%d", i);
        assert_int_equal(textset_add(&t, buf, strlen(buf)), 0);
    }
    assert_int_equal(textset_add(&t, "H1", 2), 1);
    assert_int_equal(textset_add(&t, "H1 ", 3), 1);  /* another text */
    assert_int_equal(textset_add(&t, "", 0), 1);
    assert_int_equal(textset_add(&t, "", 0), 0);
    assert_true(textset_bytes(&t) > 0);
    textset_free(&t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_narrow_hashed_parts),
        cmocka_unit_test(test_narrow_stem_parts),
        cmocka_unit_test(test_narrow_few_parts),
        cmocka_unit_test(test_wide_hashed_parts),
        cmocka_unit_test(test_wide_stem_parts),
        cmocka_unit_test(test_large_narrow_part),
        cmocka_unit_test(test_large_wide_part),
        cmocka_unit_test(test_wide_keys_differ_in_either_half),
        cmocka_unit_test(test_textset),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
