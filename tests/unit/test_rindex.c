/* test_rindex.c — the roster index (core/model/rindex.c, standard §8):
 * rows added in batches (rix_add_batch, the loader's path) give the same
 * index and the same duplicates as rows added one at a time (rix_add); a
 * reserved index is sized to its people (not rounded up to a power of
 * two) and does not grow while they are added; the 18-character ID's key
 * and check agree with rid_normalise. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "rindex.h"
#include "values.h"

/* A row of the test: a person (a pool of 1,500, so that rows repeat) and
 * a value of its kind. */
static rid_key person(unsigned i)
{
    rid_key k;
    k.a = 110105194912310000ull + (uint64_t)(i % 1500) * 7919u + 1;
    k.b = 0;
    return k;
}

static uint64_t value(tp_roster_kind kind, unsigned i)
{
    return kind == TP_ROSTER_ASSETS ? rv_asset((tp_asset)(i / 3 % 4)) : rv_medical((int)(i & 1));
}

static void test_batches_equal_single_adds(void **st)
{
    static const tp_roster_kind kinds[] = { TP_ROSTER_MEDICAL, TP_ROSTER_ASSETS };
    /* batch sizes, also above the batch's internal limit (256) */
    static const size_t sizes[] = { 1, 37, 128, 300, 1000 };
    enum { ROWS = 5000 };
    rid_key *k = malloc(ROWS * sizeof *k);
    uint64_t *v = malloc(ROWS * sizeof *v);
    int *res = malloc(ROWS * sizeof *res), *one = malloc(ROWS * sizeof *one);
    size_t s, c, i, dups;
    (void)st;
    assert_non_null(k);
    assert_non_null(v);
    assert_non_null(res);
    assert_non_null(one);
    for (s = 0; s < sizeof sizes / sizeof *sizes; s++) {
        roster_index *a = rix_new(0), *b = rix_new(0);
        assert_non_null(a);
        assert_non_null(b);
        dups = 0;
        for (c = 0; c < 2; c++) {
            for (i = 0; i < ROWS; i++) {
                k[i] = person((unsigned)(i * 13 + c));
                v[i] = value(kinds[c], (unsigned)i);
                one[i] = rix_add(a, k[i], kinds[c], v[i]);
                dups += one[i] == 0;
            }
            for (i = 0; i < ROWS; i += sizes[s])
                assert_int_equal(rix_add_batch(b, k + i, v + i, ROWS - i < sizes[s] ? ROWS - i : sizes[s],
                                               kinds[c], res + i), 0);
            for (i = 0; i < ROWS; i++) assert_int_equal(res[i], one[i]);
        }
        assert_true(dups > 0);                 /* the rows do repeat */
        assert_int_equal(rix_count(a), rix_count(b));
        assert_int_equal(rix_count(a), 1500);
        for (i = 0; i < 1500; i++) {
            assert_true(rix_get(a, person((unsigned)i)) != 0);
            assert_true(rix_get(a, person((unsigned)i)) == rix_get(b, person((unsigned)i)));
        }
        rix_free(a);
        rix_free(b);
    }
    free(k);
    free(v);
    free(res);
    free(one);
}

static void test_reserved_index_fits_its_people(void **st)
{
    /* the persons of the 1,000,000-household benchmark quarter's rosters */
    roster_index *x = rix_new(0);
    size_t bytes;
    (void)st;
    assert_non_null(x);
    assert_int_equal(rix_reserve(x, 3266139), 0);
    bytes = rix_bytes(x);
    /* at most two thirds full with 16-byte slots, and no more than 5/8
     * full plus the rounding: not the 128 MiB of the next power of two */
    assert_true(bytes >= (size_t)3266139 * 16 * 3 / 2);
    assert_true(bytes <= (size_t)90 << 20);
    rix_free(x);
}

static void test_reserved_index_does_not_grow(void **st)
{
    enum { N = 200000 };
    roster_index *x = rix_new(0);
    size_t bytes, i;
    (void)st;
    assert_non_null(x);
    assert_int_equal(rix_reserve(x, N), 0);
    bytes = rix_bytes(x);
    for (i = 0; i < N; i++) {
        rid_key k = { 3 * (uint64_t)i + 1, 0 };
        assert_int_equal(rix_add(x, k, TP_ROSTER_SCHOOL, rv_school((int)(i & 1))), 1);
    }
    assert_int_equal(rix_bytes(x), bytes);
    assert_int_equal(rix_count(x), N);
    for (i = 0; i < N; i++) {
        rid_key k = { 3 * (uint64_t)i + 1, 0 }, absent = { 3 * (uint64_t)i + 2, 0 };
        assert_true(rix_get(x, k) == rv_school((int)(i & 1)));
        assert_true(rix_get(x, absent) == 0);
    }
    rix_free(x);
}

static unsigned rnd(unsigned *seed)
{
    *seed = *seed * 1103515245u + 12345u;
    return *seed >> 8;
}

/* rid_id_key's answer on id is rid_normalise's, and its key the plain key
 * of the normalised ID.  RETURN whether the ID is valid. */
static int key_as_normalised(const char *id)
{
    char norm[RID_LEN + 1];
    rid_key k1, k2;
    int r1 = rid_id_key(id, RID_LEN, &k1), r2 = rid_normalise(id, RID_LEN, norm);
    assert_int_equal(r1, r2);
    if (r1) {
        k2 = rid_plain_key(norm);
        assert_true(k1.a == k2.a && k1.b == k2.b);
    }
    return r1;
}

static void test_id_key_agrees_with_normalise(void **st)
{
    unsigned seed = 12345;
    int i, good = 0, bad = 0;
    (void)st;
    for (i = 0; i < 20000; i++) {
        char id[RID_LEN + 1];
        int j;
        /* a real birth date mostly, now and then not (month 13, day 31) */
        unsigned area = 110000 + rnd(&seed) % 800000, y = 1900 + rnd(&seed) % 120,
                 m = 1 + rnd(&seed) % 13, d = 1 + rnd(&seed) % 31, n = rnd(&seed) % 1000;
        snprintf(id, sizeof id, "%06u%04u%02u%02u%03u", area, y, m, d, n);
        id[17] = val_id_check_char(id);
        if (i % 3 == 0) id[17] = id[17] == '0' ? '1' : '0';         /* a wrong check character */
        else if (i % 7 == 0 && id[17] == 'X') id[17] = 'x';
        id[18] = '\0';
        if (key_as_normalised(id)) good++;
        else bad++;
        for (j = 0; j < 17; j++) assert_true(id[j] >= '0' && id[j] <= '9');
    }
    assert_true(good > 1000);
    assert_true(bad > 1000);
}

/* rid_id_key reads the 17 digits 8 at a time: a byte next to the digits
 * ('/', ':', a space, the bytes of a full-width digit) at any position
 * still takes the path of rid_normalise, with its answer. */
static void test_id_key_non_digits_anywhere(void **st)
{
    static const char odd[] = { '/', ':', ' ', 'x', 'X', (char)0xEF, (char)0xBC, (char)0x90, '\0', 'a' };
    static const char base[] = "11010519491231002X";
    int pos, o, good = 0;
    (void)st;
    for (pos = 0; pos < RID_LEN; pos++)
        for (o = 0; o < (int)sizeof odd; o++) {
            char id[RID_LEN + 1];
            memcpy(id, base, sizeof base);
            id[pos] = odd[o];
            good += key_as_normalised(id);
        }
    /* the unchanged ID (x at the end) and the ones the check character allows */
    assert_true(good >= 1);
    {
        rid_key k;
        assert_int_equal(rid_id_key(base, RID_LEN, &k), 1);
        assert_true(k.a == 11010519491231002ull + 1);
        assert_int_equal(rid_id_key("  11010519491231002x ", 21, &k), 1);
        assert_true(k.a == 11010519491231002ull + 1);
        assert_int_equal(rid_id_key("11010519491231003X", RID_LEN, &k), 0);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_batches_equal_single_adds),
        cmocka_unit_test(test_reserved_index_fits_its_people),
        cmocka_unit_test(test_reserved_index_does_not_grow),
        cmocka_unit_test(test_id_key_agrees_with_normalise),
        cmocka_unit_test(test_id_key_non_digits_anywhere),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
