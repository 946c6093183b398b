/* test_output.c — direct writes: out_direct's streams (households.csv,
 * findings.csv, rejects.csv) and the SQLite VFS of results.sqlite hold
 * exactly what was written, whatever the sizes and the mix of direct and
 * ordinary writes; CSV files begin with the byte-order mark, once, direct
 * or not, and only they (the first test, which then turns the mark off for
 * the others' exact bytes). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "csv.h"
#include "output.h"
#include "sbuf.h"
#include "sqlite_direct.h"

/* A folder of its own in the current one (the build tree: a disk's file
 * system where the tests run on one; elsewhere the ordinary path is tested). */
static char dir[64];

static int setup(void **state)
{
    (void)state;
    snprintf(dir, sizeof dir, "test_output.XXXXXX");
    return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
    char cmd[128];
    (void)state;
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    return system(cmd) == 0 ? 0 : -1;
}

/* Byte i of the test content. */
static unsigned char byte_at(size_t i, unsigned seed)
{
    uint32_t x = (uint32_t)i * 2654435761u ^ seed;
    x ^= x >> 15;
    x *= 2246822519u;
    return (unsigned char)(x >> 24);
}

static void file_is(const char *path, size_t n, unsigned seed)
{
    FILE *f = fopen(path, "rb");
    size_t i = 0;
    int c;
    assert_non_null(f);
    while ((c = getc(f)) != EOF) {
        if (i >= n) fail_msg("%s: longer than the %zu bytes written", path, n);
        if ((unsigned char)c != byte_at(i, seed))
            fail_msg("%s: byte %zu is %02x, %02x was written", path, i, c, byte_at(i, seed));
        i++;
    }
    fclose(f);
    if (i != n) fail_msg("%s: %zu bytes, %zu were written", path, i, n);
}

/* Writes n bytes through out_open (+ out_direct when direct) in uneven
 * pieces, with early flushes among them, and commits the file. */
static void write_file(const char *name, size_t n, unsigned seed, int direct, int *engaged)
{
    out_file o;
    char err[256], path[128];
    unsigned char *buf = malloc(70000);
    size_t done = 0, piece = 1;
    int k = 0;
    assert_non_null(buf);
    assert_int_equal(out_open(&o, dir, name, err, sizeof err), 0);
    if (direct) out_direct(&o);
    *engaged = o.ds != NULL;
    while (done < n) {
        size_t m = piece < n - done ? piece : n - done, i;
        for (i = 0; i < m; i++) buf[i] = byte_at(done + i, seed);
        assert_int_equal(fwrite(buf, 1, m, o.f), m);
        done += m;
        piece = piece * 7 % 69997 + 1;
        if (++k % 5 == 0) out_writeback(&o);
        if (k % 11 == 0) out_sync_early(&o);
    }
    assert_int_equal(out_commit(&o, err, sizeof err), 0);
    free(buf);
    snprintf(path, sizeof path, "%s/%s", dir, name);
    file_is(path, n, seed);
}

static int disk_takes_direct(void)
{
    char path[128];
    FILE *f;
    int r;
    snprintf(path, sizeof path, "%s/probe", dir);
    f = fopen(path, "w");
    assert_non_null(f);
    r = out_direct_wanted(fileno(f));
    fclose(f);
    unlink(path);
    return r;
}

static void test_direct_streams_hold_what_was_written(void **state)
{
    static const size_t sizes[] = { 0, 1, 4095, 4096, 4097, (1u << 20) - 1, 1u << 20,
                                     (1u << 20) + 1, 3 * (1u << 20) + 17, 5 * (1u << 20) };
    size_t i;
    int wanted = disk_takes_direct(), engaged;
    (void)state;
    for (i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        char name[32];
        snprintf(name, sizeof name, "d%zu.csv", i);
        write_file(name, sizes[i], (unsigned)i + 1, 1, &engaged);
        assert_int_equal(engaged, wanted);
    }
    if (!wanted) print_message("(this folder's file system takes no direct writes: the ordinary path was tested)\n");
}

static void test_direct_off_when_the_environment_says_so(void **state)
{
    int engaged;
    (void)state;
    setenv("TUOPIN_DIRECT_IO", "0", 1);
    write_file("env.csv", (1u << 20) + 5, 99, 1, &engaged);
    unsetenv("TUOPIN_DIRECT_IO");
    assert_false(engaged);
}

static void test_direct_refused_once_something_is_written(void **state)
{
    out_file o;
    char err[256], path[128];
    size_t i;
    (void)state;
    assert_int_equal(out_open(&o, dir, "late.csv", err, sizeof err), 0);
    for (i = 0; i < 10; i++) putc(byte_at(i, 7), o.f);
    out_direct(&o);
    assert_null(o.ds);
    for (; i < 10000; i++) putc(byte_at(i, 7), o.f);
    assert_int_equal(out_commit(&o, err, sizeof err), 0);
    snprintf(path, sizeof path, "%s/late.csv", dir);
    file_is(path, 10000, 7);
}

/* ---- the byte-order mark of CSV outputs (issue 17.9) --------------------------------- */

/* Writes n pattern bytes to NAME (out_open_csv when as_csv, else out_open;
 * out_direct when direct) and returns whether the file begins with the mark,
 * checking that the pattern follows it exactly. */
static int marked(const char *name, int as_csv, int direct, size_t n)
{
    out_file o;
    char err[256], path[128];
    unsigned char head[3];
    size_t i, got = 0;
    int c, bom;
    FILE *f;
    if (as_csv) assert_int_equal(out_open_csv(&o, dir, name, err, sizeof err), 0);
    else assert_int_equal(out_open(&o, dir, name, err, sizeof err), 0);
    if (direct) out_direct(&o);
    for (i = 0; i < n; i++) putc(byte_at(i, 5), o.f);
    assert_int_equal(out_commit(&o, err, sizeof err), 0);
    snprintf(path, sizeof path, "%s/%s", dir, name);
    f = fopen(path, "rb");
    assert_non_null(f);
    bom = fread(head, 1, 3, f) == 3 && !memcmp(head, "\xEF\xBB\xBF", 3);
    if (!bom) rewind(f);
    while ((c = getc(f)) != EOF) {
        if (got >= n || (unsigned char)c != byte_at(got, 5))
            fail_msg("%s: byte %zu after the mark is not what was written", path, got);
        got++;
    }
    fclose(f);
    if (got != n) fail_msg("%s: %zu bytes after the mark, %zu written", path, got, n);
    unlink(path);
    return bom;
}

static void test_csv_outputs_begin_with_the_byte_order_mark(void **state)
{
    static const size_t sizes[] = { 0, 1, 4093, 4096, (1u << 20) + 7 };
    size_t i;
    int direct;
    (void)state;
    out_csv_bom_set(1, OUT_BOM_CMDLINE);
    assert_int_equal(out_csv_bom(), 1);
    for (direct = 0; direct < 2; direct++)
        for (i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
            assert_true(marked("m.csv", 0, direct, sizes[i]));
            assert_true(marked("M.CSV", 0, direct, sizes[i]));
            assert_false(marked("m.html", 0, direct, sizes[i]));
            assert_false(marked("results.sqlite", 0, direct, sizes[i]));
            assert_false(marked("csv", 0, direct, sizes[i]));
            assert_true(marked("hashed.txt", 1, direct, sizes[i]));
        }
    /* weaker origins do not undo a stronger one; the same or a stronger does */
    out_csv_bom_set(0, OUT_BOM_ENV);
    out_csv_bom_set(0, OUT_BOM_PIPELINE);
    assert_int_equal(out_csv_bom(), 1);
    out_csv_bom_set(0, OUT_BOM_CMDLINE);
    assert_int_equal(out_csv_bom(), 0);
    assert_false(marked("n.csv", 0, 1, 5000));
    assert_false(marked("n.txt", 1, 0, 10));
    out_csv_bom_set(1, OUT_BOM_PIPELINE);
    assert_int_equal(out_csv_bom(), 0);
    /* on, and still none for an input of later runs (split's, gen's files) */
    out_csv_bom_set(1, OUT_BOM_CMDLINE);
    {
        out_file o;
        char err[256], path[128];
        FILE *f;
        assert_int_equal(out_open_plain(&o, dir, "shard.csv", err, sizeof err), 0);
        fputs("a,b\n", o.f);
        assert_int_equal(out_commit(&o, err, sizeof err), 0);
        snprintf(path, sizeof path, "%s/shard.csv", dir);
        assert_non_null(f = fopen(path, "rb"));
        assert_int_equal(getc(f), 'a');
        fclose(f);
        unlink(path);
    }
    out_csv_bom_set(0, OUT_BOM_CMDLINE);   /* the other tests write exact bytes */
    assert_int_equal(out_csv_bom_parse("yes"), 1);
    assert_int_equal(out_csv_bom_parse("NO"), 0);
    assert_int_equal(out_csv_bom_parse("1"), 1);
    assert_int_equal(out_csv_bom_parse("off"), 0);
    assert_int_equal(out_csv_bom_parse("True"), 1);
    assert_int_equal(out_csv_bom_parse(""), -1);
    assert_int_equal(out_csv_bom_parse("maybe"), -1);
    assert_int_equal(out_csv_bom_parse(NULL), -1);
}

/* ---- results.sqlite's VFS ------------------------------------------------------------ */

static void exec_ok(sqlite3 *db, const char *sql)
{
    char *msg = NULL;
    if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK) fail_msg("%s: %s", sql, msg ? msg : "?");
}

/* Row k's blob: its length and bytes; after the update, other bytes. */
static int blob_len(int k) { return k * 37 % 3001; }

static void fill_blob(unsigned char *b, int k, unsigned seed)
{
    int i;
    for (i = 0; i < blob_len(k); i++) b[i] = byte_at((size_t)i, (unsigned)k * 31u + seed);
}

/* Runs sql (?1 the key, ?2 the blob) for keys first, first + step, ... n. */
static void put_rows(sqlite3 *db, const char *sql, int first, int step, int n, unsigned seed)
{
    sqlite3_stmt *s;
    unsigned char blob[3001];
    int k;
    assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &s, NULL), SQLITE_OK);
    for (k = first; k <= n; k += step) {
        fill_blob(blob, k, seed);
        sqlite3_bind_int(s, 1, k);
        sqlite3_bind_blob(s, 2, blob, blob_len(k), SQLITE_TRANSIENT);
        assert_int_equal(sqlite3_step(s), SQLITE_DONE);
        sqlite3_reset(s);
    }
    sqlite3_finalize(s);
}

/* Writes a database through the VFS: rows in key order, then every tenth
 * row rewritten (pages written directly are read back and written again),
 * then checks it through the default VFS. */
static void database_round_trip(int page_size, int direct)
{
    sqlite3 *db;
    sqlite3_stmt *s;
    char path[128], sql[128];
    unsigned char blob[3001];
    int k, n = 20000, rows = 0;
    unsigned long before = sqlite_direct_writes();
    snprintf(path, sizeof path, "%s/db%d.sqlite", dir, page_size);
    unlink(path);
    assert_int_equal(sqlite_direct_register(), 0);
    assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, SQLITE_DIRECT_VFS),
                     SQLITE_OK);
    snprintf(sql, sizeof sql, "PRAGMA page_size=%d;", page_size);
    exec_ok(db, sql);
    exec_ok(db, "PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF; PRAGMA mmap_size=0;"
                "PRAGMA cache_size=-256; CREATE TABLE t(k INTEGER PRIMARY KEY, v BLOB); BEGIN;");
    put_rows(db, "INSERT INTO t VALUES(?1, ?2)", 1, 1, n, 1);
    put_rows(db, "UPDATE t SET v = ?2 WHERE k = ?1", 10, 10, n, 2);
    exec_ok(db, "COMMIT;");
    assert_int_equal(sqlite3_close(db), SQLITE_OK);
    /* pages of 64 KiB went to the disk directly where it takes them; 512-byte
     * pages never can */
    if (direct) assert_true(sqlite_direct_writes() - before > 100);
    else assert_true(sqlite_direct_writes() == before);

    assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &s, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(s), SQLITE_ROW);
    assert_string_equal((const char *)sqlite3_column_text(s, 0), "ok");
    sqlite3_finalize(s);
    assert_int_equal(sqlite3_prepare_v2(db, "SELECT k, v FROM t ORDER BY k", -1, &s, NULL), SQLITE_OK);
    while (sqlite3_step(s) == SQLITE_ROW) {
        k = sqlite3_column_int(s, 0);
        assert_int_equal(k, rows + 1);
        fill_blob(blob, k, k % 10 == 0 ? 2 : 1);
        assert_int_equal(sqlite3_column_bytes(s, 1), blob_len(k));
        if (blob_len(k) && memcmp(sqlite3_column_blob(s, 1), blob, (size_t)blob_len(k)) != 0)
            fail_msg("page size %d: row %d does not hold what was written", page_size, k);
        rows++;
    }
    sqlite3_finalize(s);
    assert_int_equal(rows, n);
    sqlite3_close(db);
}

static void test_database_direct_pages(void **state)
{
    (void)state;
    database_round_trip(65536, disk_takes_direct()); /* whole blocks: written directly */
}

static void test_database_small_pages(void **state)
{
    (void)state;
    database_round_trip(512, 0);   /* part blocks: the ordinary way */
}

static void test_database_direct_off_when_the_environment_says_so(void **state)
{
    (void)state;
    setenv("TUOPIN_DIRECT_IO", "0", 1);
    database_round_trip(65536, 0);
    unsetenv("TUOPIN_DIRECT_IO");
}

/* A cell written to a file (csv_write_field, or csv_write_text when text)
 * and to an sbuf (sb_csv, sb_csv_text): both must give exactly want. */
static void cell_is(const char *s, int text, const char *want)
{
    char buf[256] = "";
    sbuf b = { 0 };
    FILE *f = fmemopen(buf, sizeof buf, "w");
    assert_non_null(f);
    if (text) csv_write_text(f, s, strlen(s));
    else csv_write_field(f, s, strlen(s));
    fclose(f);
    assert_string_equal(buf, want);
    if (text) sb_csv_text_str(&b, s);
    else sb_csv_str(&b, s);
    assert_string_equal(sb_cstr(&b), want);
    sb_free(&b);
}

/* docs/outputs.md: a cell is quoted when it holds , " CR or LF or starts or
 * ends with a space or tab; free text starting with = + - @ TAB CR or '
 * gets one ' in front, and is then quoted only for its end or , " CR LF. */
static void test_cells_are_written_by_one_rule(void **state)
{
    /* { cell, written as a plain field, written as text } */
    static const char *const cases[][3] = {
        { "plain", "plain", "plain" }, { "", "", "" }, { "a,b", "\"a,b\"", "\"a,b\"" },
        { "say \"hi\"", "\"say \"\"hi\"\"\"", "\"say \"\"hi\"\"\"" }, { " lead", "\" lead\"", "\" lead\"" },
        { "trail\t", "\"trail\t\"", "\"trail\t\"" }, { "=1+1", "=1+1", "'=1+1" }, { "-5", "-5", "'-5" },
        { "+86", "+86", "'+86" }, { "@SUM(A1)", "@SUM(A1)", "'@SUM(A1)" }, { "'quoted", "'quoted", "''quoted" },
        /* a leading TAB: quoted as a field, guarded (and not quoted) as text */
        { "\tx", "\"\tx\"", "'\tx" }, { "\rx", "\"\rx\"", "\"'\rx\"" }, { "=a,b", "\"=a,b\"", "\"'=a,b\"" },
        { "=say \"x\"", "\"=say \"\"x\"\"\"", "\"'=say \"\"x\"\"\"" }, { "-x ", "\"-x \"", "\"'-x \"" },
    };
    size_t i;
    (void)state;
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        cell_is(cases[i][0], 0, cases[i][1]);
        cell_is(cases[i][0], 1, cases[i][2]);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_csv_outputs_begin_with_the_byte_order_mark),
        cmocka_unit_test(test_cells_are_written_by_one_rule),
        cmocka_unit_test(test_direct_streams_hold_what_was_written),
        cmocka_unit_test(test_direct_off_when_the_environment_says_so),
        cmocka_unit_test(test_direct_refused_once_something_is_written),
        cmocka_unit_test(test_database_direct_pages),
        cmocka_unit_test(test_database_small_pages),
        cmocka_unit_test(test_database_direct_off_when_the_environment_says_so),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
