/* test_pidmap.c — the resident IDs tuopin split tracks (pidmap.h): an ID is
 * a cross-shard duplicate exactly when an earlier household of another shard
 * had it and no earlier household of its own shard did, with IDs compared as
 * the identity stage compares them (standard §3.7: x and X alike). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "pidmap.h"

static int visit(pidmap *m, const char *id, unsigned shard)
{
    int r = pidmap_visit(m, id, strlen(id), shard);
    assert_true(r >= 0);
    return r;
}

static void test_first_occurrence_is_no_duplicate(void **state)
{
    pidmap m;
    (void)state;
    pidmap_init(&m);
    assert_int_equal(visit(&m, "110101199003077777", 0), 0);
    pidmap_free(&m);
}

static void test_repeat_in_the_same_shard_is_left_to_the_shard_run(void **state)
{
    pidmap m;
    (void)state;
    pidmap_init(&m);
    visit(&m, "110101199003077777", 3);
    assert_int_equal(visit(&m, "110101199003077777", 3), 0);
    pidmap_free(&m);
}

static void test_repeat_in_another_shard_is_a_cross_shard_duplicate_once(void **state)
{
    pidmap m;
    (void)state;
    pidmap_init(&m);
    visit(&m, "110101199003077777", 0);
    assert_int_equal(visit(&m, "110101199003077777", 1), 1);
    /* shard 1 has it now: its own run reports the next one */
    assert_int_equal(visit(&m, "110101199003077777", 1), 0);
    /* a third shard: once more */
    assert_int_equal(visit(&m, "110101199003077777", 2), 1);
    assert_int_equal(visit(&m, "110101199003077777", 2), 0);
    /* and the first shard had it all along */
    assert_int_equal(visit(&m, "110101199003077777", 0), 0);
    assert_int_equal(visit(&m, "110101199003077777", 1), 0);
    pidmap_free(&m);
}

static void test_check_character_x_and_X_are_one_id(void **state)
{
    pidmap m;
    (void)state;
    pidmap_init(&m);
    visit(&m, "11010119900307777X", 0);
    assert_int_equal(visit(&m, "11010119900307777x", 1), 1);
    pidmap_free(&m);
}

static void test_other_texts_compare_with_x_as_X(void **state)
{
    pidmap m;
    (void)state;
    pidmap_init(&m);
    visit(&m, "A-x-7", 0);
    assert_int_equal(visit(&m, "A-X-7", 1), 1);
    assert_int_equal(visit(&m, "a-X-7", 1), 0);   /* only x is folded */
    assert_int_equal(visit(&m, "11010119900307777", 1), 0);   /* 17 characters: another text */
    pidmap_free(&m);
}

static void test_texts_of_256_bytes_or_more_compare_as_written(void **state)
{
    pidmap m;
    char a[300], b[300];
    (void)state;
    memset(a, 'x', 299);
    a[299] = '\0';
    memcpy(b, a, sizeof b);
    b[0] = 'X';
    pidmap_init(&m);
    visit(&m, a, 0);
    assert_int_equal(visit(&m, b, 1), 0);
    assert_int_equal(visit(&m, a, 1), 1);
    pidmap_free(&m);
}

static void test_many_ids_grow_and_stay_near_sixteen_bytes_each(void **state)
{
    enum { N = 200000 };
    pidmap m;
    char id[32];
    int i, dups = 0;
    (void)state;
    pidmap_init(&m);
    for (i = 0; i < N; i++) {
        snprintf(id, sizeof id, "1101011990%07d%c", i, i % 11 == 10 ? 'X' : (char)('0' + i % 10));
        assert_int_equal(visit(&m, id, (unsigned)(i % 7)), 0);
    }
    /* 10-byte slots, 50-75 % full */
    assert_true(pidmap_bytes(&m) <= (size_t)N * 21);
    for (i = 0; i < N; i++) {
        snprintf(id, sizeof id, "1101011990%07d%c", i, i % 11 == 10 ? 'x' : (char)('0' + i % 10));
        dups += visit(&m, id, (unsigned)((i + 1) % 7));
    }
    assert_int_equal(dups, N);
    pidmap_free(&m);
}

static void test_shard_numbers_up_to_the_limit(void **state)
{
    pidmap m;
    (void)state;
    pidmap_init(&m);
    visit(&m, "110101199003077777", PIDMAP_MAX_SHARDS - 1);
    assert_int_equal(visit(&m, "110101199003077777", 0), 1);
    assert_int_equal(pidmap_visit(&m, "1", 1, PIDMAP_MAX_SHARDS), -1);
    pidmap_free(&m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_first_occurrence_is_no_duplicate),
        cmocka_unit_test(test_repeat_in_the_same_shard_is_left_to_the_shard_run),
        cmocka_unit_test(test_repeat_in_another_shard_is_a_cross_shard_duplicate_once),
        cmocka_unit_test(test_check_character_x_and_X_are_one_id),
        cmocka_unit_test(test_other_texts_compare_with_x_as_X),
        cmocka_unit_test(test_texts_of_256_bytes_or_more_compare_as_written),
        cmocka_unit_test(test_many_ids_grow_and_stay_near_sixteen_bytes_each),
        cmocka_unit_test(test_shard_numbers_up_to_the_limit),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
