/* test_limits.c — the input limits that keep memory bounded (docs/safety.md):
 * the longest record (max_record), the most fields in one record
 * (CSV_MAX_FIELDS), the most rows and bytes in one household block
 * (BLOCK_MAX_ROWS, BLOCK_MAX_BYTES).  Each is hit exactly, with an error
 * that names the line, and is the same whatever the read buffer size. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "block.h"
#include "csv.h"
#include "schema.h"

typedef struct memsrc { const char *p; size_t n, off; } memsrc;

static long mem_read(void *ctx, char *buf, size_t len)
{
    memsrc *m = ctx;
    size_t k = m->n - m->off < len ? m->n - m->off : len;
    memcpy(buf, m->p + m->off, k);
    m->off += k;
    return (long)k;
}

/* Reads every record of text; RETURN the number read, or -(1 + number read)
 * on an error, whose message is copied to err. */
static long read_all(const char *text, size_t n, size_t bufsize, size_t max_record,
                     char *err, size_t errlen)
{
    memsrc m = { text, n, 0 };
    csv_reader *r = csv_open(mem_read, &m, bufsize, max_record);
    csv_record rec;
    long k = 0;
    int rc;
    assert_non_null(r);
    while ((rc = csv_next(r, &rec)) == 1) k++;
    if (rc < 0) {
        snprintf(err, errlen, "%s", csv_error(r));
        k = -(k + 1);
    }
    csv_close(r);
    return k;
}

/* "ok\n" then a record of `len` bytes of 'x', ended by `eol`. */
static char *long_record(size_t len, const char *eol, size_t *n)
{
    size_t el = strlen(eol);
    char *s = malloc(3 + len + el + 1);
    assert_non_null(s);
    memcpy(s, "ok\n", 3);
    memset(s + 3, 'x', len);
    memcpy(s + 3 + len, eol, el + 1);
    *n = 3 + len + el;
    return s;
}

static void test_record_of_exactly_max_record_bytes_is_read(void **state)
{
    static const char *const eols[] = { "\n", "\r\n", "" };
    static const size_t bufs[] = { 4, 5, 64, 100, 101, 102, 1 << 20 };
    size_t e, b, n;
    char err[256];
    (void)state;
    for (e = 0; e < 3; e++) {
        char *s = long_record(100, eols[e], &n);
        for (b = 0; b < sizeof bufs / sizeof bufs[0]; b++)
            assert_int_equal(read_all(s, n, bufs[b], 100, err, sizeof err), 2);
        free(s);
    }
}

static void test_record_one_byte_over_max_record_names_its_line(void **state)
{
    static const char *const eols[] = { "\n", "\r\n", "" };
    static const size_t bufs[] = { 4, 5, 64, 100, 101, 102, 103, 1 << 20 };
    size_t e, b, n;
    (void)state;
    for (e = 0; e < 3; e++) {
        char *s = long_record(101, eols[e], &n);
        for (b = 0; b < sizeof bufs / sizeof bufs[0]; b++) {
            char err[256] = "";
            assert_int_equal(read_all(s, n, bufs[b], 100, err, sizeof err), -2);
            if (!strstr(err, "line 2")) fail_msg("buffer %zu: message does not name line 2: %s", bufs[b], err);
            assert_non_null(strstr(err, "100 bytes"));
        }
        free(s);
    }
}

/* n fields: "a,a,...,a\n" after a one-field first line. */
static char *many_fields(size_t nf, size_t *n)
{
    char *s = malloc(3 + 2 * nf + 1);
    size_t i;
    assert_non_null(s);
    memcpy(s, "ok\n", 3);
    for (i = 0; i < nf; i++) {
        s[3 + 2 * i] = 'a';
        s[3 + 2 * i + 1] = i + 1 < nf ? ',' : '\n';
    }
    s[3 + 2 * nf] = '\0';
    *n = 3 + 2 * nf;
    return s;
}

static void test_record_with_max_fields_is_read(void **state)
{
    size_t n;
    char err[256];
    char *s = many_fields(CSV_MAX_FIELDS, &n);
    (void)state;
    assert_int_equal(read_all(s, n, 4, 1 << 20, err, sizeof err), 2);
    assert_int_equal(read_all(s, n, 1 << 16, 1 << 20, err, sizeof err), 2);
    free(s);
}

static void test_record_with_one_field_too_many_names_its_line(void **state)
{
    size_t n;
    char err[256] = "", want[64];
    char *s = many_fields(CSV_MAX_FIELDS + 1, &n);
    (void)state;
    assert_int_equal(read_all(s, n, 4, 1 << 20, err, sizeof err), -2);
    assert_non_null(strstr(err, "line 2"));
    snprintf(want, sizeof want, "%d fields", CSV_MAX_FIELDS);
    assert_non_null(strstr(err, want));
    assert_int_equal(read_all(s, n, 1 << 16, 1 << 20, err, sizeof err), -2);
    assert_non_null(strstr(err, "line 2"));
    free(s);
}

/* ---- household blocks ------------------------------------------------------------------ */

static void map_header(schema_map *m)
{
    static const char *const names[] = { "household_id", "region_code", "status" };
    static const size_t lens[] = { 12, 11, 6 };
    char err[256];
    memset(m, 0, sizeof *m);
    assert_int_equal(schema_map_header(m, names, lens, 3, err, sizeof err), 0);
}

/* A record laid out as csv.c lays one out: the fields in one buffer, each
 * followed by its NUL (block_add relies on it). */
static csv_record record(csv_field *f, const char *raw)
{
    static const char text[] = "H1\0" "110101001001\0" "poor";
    csv_record rec;
    memset(&rec, 0, sizeof rec);
    f[0].p = text; f[0].n = 2;
    f[1].p = text + 3; f[1].n = 12;
    f[2].p = text + 16; f[2].n = 4;
    rec.line = 7;
    rec.nfields = 3;
    rec.fields = f;
    rec.raw = raw;
    rec.raw_len = strlen(raw);
    return rec;
}

static void test_block_of_max_rows_and_one_more(void **state)
{
    schema_map m;
    block b;
    csv_field f[3];
    csv_record rec;
    const char *why = NULL;
    size_t i;
    (void)state;
    map_header(&m);
    rec = record(f, "H1,110101001001,poor");
    block_init(&b, 0, 5);
    for (i = 0; i < 5; i++) assert_int_equal(block_add(&b, &rec, &m, &why), 0);
    assert_int_equal(block_add(&b, &rec, &m, &why), -1);
    assert_non_null(strstr(why, "rows"));
    block_free(&b);
    schema_map_free(&m);
}

static void test_block_over_max_bytes_is_refused(void **state)
{
    schema_map m;
    block b;
    csv_field f[3];
    csv_record rec;
    const char *why = NULL;
    size_t i, added = 0;
    (void)state;
    map_header(&m);
    rec = record(f, "H1,110101001001,poor");
    block_init(&b, 200, 0);
    for (i = 0; i < 100 && block_add(&b, &rec, &m, &why) == 0; i++) added++;
    assert_true(added >= 1 && added < 100);
    assert_true(b.alen <= 200);
    assert_non_null(strstr(why, "large"));
    block_free(&b);
    schema_map_free(&m);
}

/* The engine's limits are the documented ones. */
static void test_engine_limits_are_the_documented_constants(void **state)
{
    (void)state;
    assert_int_equal(CSV_MAX_FIELDS, 10000);
    assert_int_equal(BLOCK_MAX_ROWS, 100000);
    assert_true(BLOCK_MAX_BYTES == (size_t)256 << 20);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_record_of_exactly_max_record_bytes_is_read),
        cmocka_unit_test(test_record_one_byte_over_max_record_names_its_line),
        cmocka_unit_test(test_record_with_max_fields_is_read),
        cmocka_unit_test(test_record_with_one_field_too_many_names_its_line),
        cmocka_unit_test(test_block_of_max_rows_and_one_more),
        cmocka_unit_test(test_block_over_max_bytes_is_refused),
        cmocka_unit_test(test_engine_limits_are_the_documented_constants),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
