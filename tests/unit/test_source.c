/* test_source.c — the record sources (core/input/source.h) and what they are
 * built from: GB18030 decoding (core/read/decode.h), mapping files
 * (core/input/mapping.h), JSON Lines (core/read/jsonl.h) and the PostgreSQL query check
 * (core/read/pgsource.h).
 *
 * Inputs are written to temporary files and read back through source_open_sized
 * with read sizes from 1 byte up, so that every multi-byte character and
 * every record is also split across reads.  Records are compared in a
 * written-out form: "LINE: [field] [field] ..." plus " BAD_ENCODING" /
 * " UNTERMINATED", one record per line. */
#define _POSIX_C_SOURCE 200809L
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <iconv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "decode.h"
#include "jsonl.h"
#include "mapping.h"
#include "pgsource.h"
#include "pipeline.h"
#include "sha256.h"
#include "source.h"

#define NELEM(a) (sizeof (a) / sizeof (a)[0])

static const size_t sizes[] = { 1, 2, 3, 5, 7, 13, 64, 4096, 1u << 20 };

/* ---- helpers ------------------------------------------------------------------- */

static char tmpdir[256];

static int setup_dir(void **state)
{
    (void)state;
    snprintf(tmpdir, sizeof tmpdir, "%s/tuopin-source.XXXXXX",
             getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
    return mkdtemp(tmpdir) ? 0 : -1;
}

static int teardown_dir(void **state)
{
    char cmd[400];
    (void)state;
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
    return system(cmd) == 0 ? 0 : -1;
}

/* Writes n bytes to a file in tmpdir; returns its path (kept to the end). */
static const char *put_file(const char *name, const char *data, size_t n)
{
    static char paths[64][512];
    static size_t next;
    char *path = paths[next++ % 64];
    FILE *f;
    snprintf(path, 512, "%s/%s", tmpdir, name);
    f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(data, 1, n, f), n);
    fclose(f);
    return path;
}

/* UTF-8 text converted to GB18030 (malloc'd; *n its length). */
static char *to_gb(const char *utf8, size_t *n)
{
    iconv_t cd = iconv_open("GB18030", "UTF-8");
    size_t il = strlen(utf8), ol = 4 * il + 16;
    char *out = malloc(ol), *ip = (char *)utf8, *op = out;
    assert_true(cd != (iconv_t)-1);
    assert_true(iconv(cd, &ip, &il, &op, &ol) != (size_t)-1);
    iconv_close(cd);
    *n = (size_t)(op - out);
    return out;
}

typedef struct text { char *p; size_t n, cap; } text;

static void tx_put(text *t, const char *s, size_t n)
{
    if (t->n + n + 1 > t->cap) {
        t->cap = 2 * (t->n + n + 1) + 64;
        t->p = realloc(t->p, t->cap);
    }
    memcpy(t->p + t->n, s, n);
    t->n += n;
    t->p[t->n] = '\0';
}

static void tx_puts(text *t, const char *s) { tx_put(t, s, strlen(s)); }

static void tx_rec(text *t, const csv_record *r)
{
    char buf[64];
    size_t i;
    snprintf(buf, sizeof buf, "%ld:", r->line);
    tx_puts(t, buf);
    for (i = 0; i < r->nfields; i++) {
        size_t k;
        tx_puts(t, " [");
        for (k = 0; k < r->fields[i].n; k++) {      /* a NUL byte shown as \0 */
            if (r->fields[i].p[k] == '\0') tx_puts(t, "\\0");
            else tx_put(t, r->fields[i].p + k, 1);
        }
        tx_puts(t, "]");
    }
    if (r->bad_encoding) tx_puts(t, " BAD_ENCODING");
    if (r->unterminated) tx_puts(t, " UNTERMINATED");
    tx_puts(t, "\n");
}

/* Every record of cfg's input read with the given size, written out; on an
 * error the text ends with "ERROR: message". */
static char *read_all(const run_config *cfg, size_t size)
{
    char err[1024];
    text t = { NULL, 0, 0 };
    csv_record r;
    int rc;
    source *s = source_open_sized(cfg, size, err, sizeof err);
    tx_puts(&t, "");
    if (!s) {
        tx_puts(&t, "ERROR: ");
        tx_puts(&t, err);
        return t.p;
    }
    while ((rc = source_next(s, &r)) == 1) tx_rec(&t, &r);
    if (rc < 0) {
        tx_puts(&t, "ERROR: ");
        tx_puts(&t, source_error(s));
    }
    source_close(s);
    return t.p;
}

static void cfg_file(run_config *c, const char *path, const char *enc)
{
    memset(c, 0, sizeof *c);
    c->input = (char *)path;
    c->encoding = (char *)enc;
    c->quiet = 1;
}

/* Reads the input at every size and checks each gives `want`. */
static void expect_all_sizes(const run_config *cfg, const char *want)
{
    size_t i;
    for (i = 0; i < NELEM(sizes); i++) {
        char *got = read_all(cfg, sizes[i]);
        if (strcmp(got, want)) {
            print_error("read size %zu:\n--- want\n%s--- got\n%s\n", sizes[i], want, got);
            free(got);
            fail();
        }
        free(got);
    }
}

/* ---- GB18030 --------------------------------------------------------------------- */

/* Chinese, a four-byte GB18030 character (𠀀 U+20000, 𪚥 U+2A6A5), a quoted
 * field with a comma and a line break, CRLF and an empty line. */
static const char *const quarter_utf8 =
    "户编号,姓名,备注\r\n"
    "H1,𠀀明,\"住 3 组,\r\n靠河\"\r\n"
    "\r\n"
    "H1,王𪚥,非在校生\r\n"
    "H2,李梅,\"说\"\"好\"\"\"\r\n";

static void test_gb18030_reads_as_its_utf8_at_every_read_size(void **state)
{
    run_config u, g;
    size_t n;
    char *gb = to_gb(quarter_utf8, &n), *want;
    char upath[512];
    (void)state;
    snprintf(upath, sizeof upath, "%s", put_file("q.csv", quarter_utf8, strlen(quarter_utf8)));
    cfg_file(&u, upath, NULL);
    want = read_all(&u, 1u << 20);
    assert_string_equal(want,
        "1: [户编号] [姓名] [备注]\n"
        "2: [H1] [𠀀明] [住 3 组,\r\n靠河]\n"
        "5: [H1] [王𪚥] [非在校生]\n"
        "6: [H2] [李梅] [说\"好\"]\n");
    cfg_file(&g, put_file("q.gb", gb, n), "gb18030");
    expect_all_sizes(&g, want);
    free(want);
    free(gb);
}

static void test_gb18030_encoding_names(void **state)
{
    (void)state;
    assert_string_equal(dec_encoding_name("GB18030"), "gb18030");
    assert_string_equal(dec_encoding_name("gbk"), "gb18030");
    assert_string_equal(dec_encoding_name("GB2312"), "gb18030");
    assert_string_equal(dec_encoding_name("cp936"), "gb18030");
    assert_string_equal(dec_encoding_name("UTF-8"), "utf-8");
    assert_string_equal(dec_encoding_name("utf8"), "utf-8");
    assert_string_equal(dec_encoding_name(NULL), "utf-8");
    assert_null(dec_encoding_name("latin1"));
    assert_null(dec_encoding_name("big5"));
}

/* A byte source handing out `chunk` bytes per call. */
typedef struct memsrc { const char *p; size_t n, pos, chunk; } memsrc;

static long mem_read(void *ctx, char *buf, size_t len)
{
    memsrc *m = ctx;
    size_t k = m->n - m->pos;
    if (k > len) k = len;
    if (k > m->chunk) k = m->chunk;
    memcpy(buf, m->p + m->pos, k);
    m->pos += k;
    return (long)k;
}

/* The decoder alone, with 1-byte reads and every output size from 1. */
static void test_gb18030_characters_split_across_reads_and_outputs(void **state)
{
    const char *u = "a𠀀b中,文\n€𪚥";
    size_t n, outlen;
    char *gb = to_gb(u, &n);
    (void)state;
    for (outlen = 1; outlen <= 40; outlen++) {
        size_t chunk;
        for (chunk = 1; chunk <= 5; chunk++) {
            memsrc m = { gb, n, 0, chunk };
            char err[256], out[128];
            size_t got = 0;
            long k;
            decoder *d = dec_open("gb18030", mem_read, &m, chunk, err, sizeof err);
            assert_non_null(d);
            while ((k = dec_read(d, out + got, outlen < sizeof out - got ? outlen : sizeof out - got)) > 0)
                got += (size_t)k;
            assert_int_equal(k, 0);
            assert_int_equal(got, strlen(u));
            assert_memory_equal(out, u, got);
            assert_int_equal(dec_bad_bytes(d), 0);
            dec_close(d);
        }
    }
    free(gb);
}

/* Bytes invalid in GB18030 make that record ROW_ENCODING, no other; the line
 * numbers stay right, also when the bad byte stands just before a line break
 * (the break is never swallowed) or before a comma or a quote. */
static void test_gb18030_invalid_bytes_flag_only_their_record(void **state)
{
    static const char data[] =
        "h,v\n"
        "1,ok\n"
        "2,\x80\n"                   /* 0x80 is not a GB18030 byte */
        "3,\x81\n"                   /* a lead byte before LF */
        "4,\xd6\xd0\n"               /* 中 */
        "5,\x81,x\n"                 /* a lead byte before a comma */
        "6,\"\x81\"\"q\"\n"          /* ... before a quote */
        "7,\x84\x31\xa5\x30\n"       /* a four-byte form outside the mapped range */
        "8,\xff\xfe\n"
        "9,\x81\x30\x81,z\n"          /* a four-byte form cut short before a comma */
        "10,end\n";
    run_config c;
    (void)state;
    cfg_file(&c, put_file("bad.gb", data, sizeof data - 1), "gb18030");
    expect_all_sizes(&c,
        "1: [h] [v]\n"
        "2: [1] [ok]\n"
        "3: [2] [\xff] BAD_ENCODING\n"
        "4: [3] [\xff] BAD_ENCODING\n"
        "5: [4] [中]\n"
        "6: [5] [\xff] [x] BAD_ENCODING\n"
        "7: [6] [\xff\"q] BAD_ENCODING\n"
        "8: [7] [\xff" "1\xff" "0] BAD_ENCODING\n"
        "9: [8] [\xff\xff] BAD_ENCODING\n"
        "10: [9] [\xff" "0\xff] [z] BAD_ENCODING\n"
        "11: [10] [end]\n");
}

static void test_gb18030_character_cut_off_at_end_of_file(void **state)
{
    static const char a[] = "h,v\n1,\xd6\xd0\n2,\xd6";         /* 中 then half of 中 */
    static const char b[] = "h,v\n1,x\n2,\x95\x32\x82";         /* three bytes of 𠀀 */
    run_config c;
    (void)state;
    cfg_file(&c, put_file("cut1.gb", a, sizeof a - 1), "gb18030");
    expect_all_sizes(&c, "1: [h] [v]\n2: [1] [中]\n3: [2] [\xff] BAD_ENCODING\n");
    cfg_file(&c, put_file("cut2.gb", b, sizeof b - 1), "gb18030");
    expect_all_sizes(&c, "1: [h] [v]\n2: [1] [x]\n3: [2] [\xff" "2\xff] BAD_ENCODING\n");
}

static void test_gb18030_byte_order_mark_is_dropped(void **state)
{
    static const char data[] = "\x84\x31\x95\x33" "h,v\n1,\xd6\xd0\n";
    run_config c;
    (void)state;
    cfg_file(&c, put_file("bom.gb", data, sizeof data - 1), "gb18030");
    expect_all_sizes(&c, "1: [h] [v]\n2: [1] [中]\n");
}

/* The run record's fingerprint is of the file's bytes, not of the UTF-8. */
static void test_gb18030_fingerprint_is_of_the_raw_bytes(void **state)
{
    size_t n;
    char *gb = to_gb(quarter_utf8, &n), hex[65], want[65], err[256];
    run_config c;
    csv_record r;
    sha256_ctx h;
    source *s;
    (void)state;
    cfg_file(&c, put_file("fp.gb", gb, n), "gb18030");
    s = source_open_sized(&c, 5, err, sizeof err);
    assert_non_null(s);
    while (source_next(s, &r) == 1) ;
    source_sha256(s, hex);
    assert_int_equal(source_offset(s), n);
    source_close(s);
    sha256_init(&h);
    sha256_update(&h, n, (const uint8_t *)gb);
    sha256_final_hex(&h, want);
    assert_string_equal(hex, want);
    free(gb);
}

/* A GB18030 header read as UTF-8: the error says to use --encoding gb18030. */
static void test_utf8_input_with_a_gb18030_header_suggests_the_encoding(void **state)
{
    size_t n;
    char *gb = to_gb("户编号,行政区划代码,户类型\nH1,110101001001,贫困户\n", &n), *got;
    run_config c;
    (void)state;
    cfg_file(&c, put_file("hdr.gb", gb, n), NULL);
    got = read_all(&c, 4096);
    assert_non_null(strstr(got, "ERROR: line 1: the header is not valid UTF-8"));
    assert_non_null(strstr(got, "--encoding gb18030"));
    free(got);
    free(gb);
}

static void test_gb18030_header_with_invalid_bytes_is_an_error(void **state)
{
    static const char data[] = "h\x80,v\n1,2\n";
    run_config c;
    char *got;
    (void)state;
    cfg_file(&c, put_file("hdr2.gb", data, sizeof data - 1), "gb18030");
    got = read_all(&c, 4096);
    assert_non_null(strstr(got, "ERROR: line 1: the header has bytes that are not valid GB18030"));
    free(got);
}

static void test_unknown_encoding_is_refused(void **state)
{
    run_config c;
    char *got;
    (void)state;
    cfg_file(&c, put_file("x.csv", "a\n", 2), "latin1");
    got = read_all(&c, 4096);
    assert_non_null(strstr(got, "ERROR: encoding \"latin1\" is not supported"));
    free(got);
}

/* ---- mapping files ------------------------------------------------------------------ */

static const char *put_mapping(const char *name, const char *lua)
{
    return put_file(name, lua, strlen(lua));
}

static const char *const system_map =
    "skip_rows = 1\n"
    "columns = {\n"
    "  status = { \"脱贫属性\", \"户脱贫属性\" },\n"
    "  medical_insured = \"是否参加城乡居民基本医疗保险\",\n"
    "  person_id = { \"身份证号\" },\n"
    "  stable_job = \"是否有稳定就业\",\n"
    "}\n"
    "values = {\n"
    "  status = { [\"返贫\"] = \"poor\" },\n"
    "  [\"在校生状况\"] = { [\"七年级\"] = \"junior\", [\"1\"] = 1 },\n"
    "  stable_job = { [\"有\"] = \"是\" },\n"
    "}\n";

static void test_mapping_renames_columns_and_translates_listed_values(void **state)
{
    static const char data[] =
        "2020年第四季度,,,,,,\n"
        "户编号,脱贫属性,是否参加城乡居民基本医疗保险,证件号码,身份证号,在校生状况,是否有稳定就业\n"
        "H1,返贫,是,1,2,七年级,有\n"
        "H1,返贫,否,3,4,初一,无\n"
        "H2,已脱贫,x,5,6,1\n";
    run_config c;
    (void)state;
    cfg_file(&c, put_file("sys.csv", data, sizeof data - 1), NULL);
    c.mapping = (char *)put_mapping("sys.lua", system_map);
    /* 证件号码 is the standard's own name: it stays person_id and 身份证号 an
     * extra column; unlisted values (初一, 无, x) pass unchanged. */
    expect_all_sizes(&c,
        "2: [户编号] [status] [medical_insured] [证件号码] [身份证号] [在校生状况] [stable_job]\n"
        "3: [H1] [poor] [是] [1] [2] [junior] [是]\n"
        "4: [H1] [poor] [否] [3] [4] [初一] [无]\n"
        "5: [H2] [已脱贫] [x] [5] [6] [1]\n");
}

static void test_mapping_skip_rows_auto_finds_the_header(void **state)
{
    static const char data[] =
        "某某县建档立卡户信息\n"
        "导出时间：2021-01-05,,\n"
        "\n"
        ",,\n"
        "户编号,脱贫属性,备注\n"
        "H1,返贫,x\n";
    run_config c;
    (void)state;
    cfg_file(&c, put_file("auto.csv", data, sizeof data - 1), NULL);
    c.mapping = (char *)put_mapping("auto.lua", "skip_rows = 'auto'\n"
                                    "columns = { status = '脱贫属性' }\n");
    /* The record of blank fields is handed on: the engine skips it. */
    expect_all_sizes(&c,
        "4: [] [] []\n"
        "5: [户编号] [status] [备注]\n"
        "6: [H1] [返贫] [x]\n");
    /* input { skip_rows = N } overrides the mapping's. */
    c.has_skip_rows = 1;
    c.skip_rows = 3;
    expect_all_sizes(&c,
        "5: [户编号] [status] [备注]\n"
        "6: [H1] [返贫] [x]\n");
}

static void test_mapping_skip_rows_auto_gives_up_after_twenty_records(void **state)
{
    text t = { NULL, 0, 0 };
    run_config c;
    char *got;
    int i;
    (void)state;
    for (i = 0; i < 25; i++) tx_puts(&t, "标题,,\n");
    tx_puts(&t, "household_id,region_code,status\n");
    cfg_file(&c, put_file("noheader.csv", t.p, t.n), NULL);
    c.has_skip_rows = 1;
    c.skip_rows = PIPELINE_SKIP_AUTO;
    got = read_all(&c, 4096);
    assert_string_equal(got, "ERROR: no header in the first 20 records: none has two column names "
                        "that the standard or the mapping knows (skip_rows = \"auto\")");
    free(got);
    free(t.p);
}

static void expect_map_error(const char *lua, const char *part)
{
    char err[1024];
    mapping *m = map_load(put_mapping("bad.lua", lua), err, sizeof err);
    if (m || !strstr(err, part)) {
        print_error("mapping:\n%s\nwant an error with \"%s\", got \"%s\"\n", lua, part,
                    m ? "(loaded)" : err);
        map_free(m);
        fail();
    }
}

static void test_mapping_file_mistakes_are_errors_naming_them(void **state)
{
    char err[1024];
    (void)state;
    expect_map_error("columns = { status = function() end }", "columns.status: expected a column name");
    expect_map_error("colums = {}", "unknown entry colums");
    expect_map_error("columns = { status = 'a', ['户类型'] = 'b' }", "are the same column");
    expect_map_error("columns = { status = 'a', relation = { 'b', 'a' } }",
                     "source column \"a\" is given for both");
    expect_map_error("columns = { status = {} }", "columns.status: the list of source names is empty");
    expect_map_error("skip_rows = -1", "skip_rows: expected a whole number");
    expect_map_error("skip_rows = 'some'", "skip_rows: expected a whole number");
    expect_map_error("values = { status = { [1] = 'poor' } }", "source values must be strings");
    expect_map_error("values = { status = { a = {} } }", "values.status[\"a\"]: expected a string");
    expect_map_error("values = { status = 'poor' }", "values.status: expected a table");
    expect_map_error("columns = {", "bad.lua:1:");
    expect_map_error("while true do end", "instruction budget");
    expect_map_error("os.exit(1)", "bad.lua:1:");
    assert_null(map_load("/nonexistent/map.lua", err, sizeof err));
    assert_non_null(strstr(err, "/nonexistent/map.lua"));
}

/* A mapping may return its table instead of setting globals. */
static void test_mapping_may_return_a_table(void **state)
{
    char err[1024];
    const char *names[] = { "a", "b" };
    size_t lens[] = { 1, 1 };
    const char *renamed[2];
    const map_values *vt[2];
    mapping *m = map_load(put_mapping("ret.lua", "return { columns = { status = 'b' }, skip_rows = 2 }"),
                          err, sizeof err);
    (void)state;
    assert_non_null(m);
    assert_int_equal(map_skip_rows(m), 2);
    assert_int_equal(map_bind(m, names, lens, 2, renamed, vt), 1);
    assert_null(renamed[0]);
    assert_string_equal(renamed[1], "status");
    map_free(m);
}

/* The shipped mapping loads by name and covers the system's value lists. */
static void test_shipped_national_system_mapping(void **state)
{
    char err[1024], dir[600];
    const char *src = getenv("abs_top_srcdir");
    mapping *m;
    const char *names[] = { "户编号", "脱贫属性", "在校生状况", "是否参加城乡居民基本医疗保险", "危房级别" };
    size_t lens[5], i, vl;
    const char *renamed[5];
    const map_values *vt[5];
    (void)state;
    if (!src) skip();
    snprintf(dir, sizeof dir, "%s/data", src);
    setenv("TUOPIN_DATA_DIR", dir, 1);
    m = map_load("national-system", err, sizeof err);
    if (!m) print_error("%s\n", err);
    assert_non_null(m);
    assert_int_equal(map_skip_rows(m), MAP_SKIP_AUTO);
    for (i = 0; i < 5; i++) lens[i] = strlen(names[i]);
    map_bind(m, names, lens, 5, renamed, vt);
    assert_null(renamed[0]);
    assert_string_equal(renamed[1], "status");
    assert_string_equal(renamed[3], "medical_insured");
    assert_string_equal(renamed[4], "housing_rating");
    assert_string_equal(map_value(vt[2], "八年级", strlen("八年级"), &vl), "junior");
    assert_string_equal(map_value(vt[2], "大专及以上", strlen("大专及以上"), &vl), "college");
    assert_null(map_value(vt[2], "非在校生", strlen("非在校生"), &vl));
    assert_string_equal(map_value(vt[1], "返贫", strlen("返贫"), &vl), "poor");
    assert_string_equal(map_value(vt[3], "未参加", strlen("未参加"), &vl), "no");
    map_free(m);
    unsetenv("TUOPIN_DATA_DIR");
}

/* ---- JSON Lines ------------------------------------------------------------------------ */

static void cfg_jsonl(run_config *c, const char *name, const char *data)
{
    cfg_file(c, put_file(name, data, strlen(data)), NULL);
}

static void test_jsonl_one_record_per_member_with_household_fields(void **state)
{
    run_config c;
    (void)state;
    cfg_jsonl(&c, "a.jsonl",
        "{\"household_id\":\"H1\",\"status\":\"poor\",\"wage_income\":1200.50,"
        "\"members\":[{\"name\":\"张三\",\"relation\":\"head\"},{\"name\":\"李四\",\"age_note\":\"x\"}]}\n"
        "{\"household_id\":\"H2\",\"status\":\"exited\",\"members\":[{\"name\":\"王五\",\"status\":\"poor\"}]}\n");
    /* The header: the first line's household keys, then its members' keys in
     * order of first appearance; a member's own key wins (H2's status). */
    expect_all_sizes(&c,
        "1: [household_id] [status] [wage_income] [name] [relation] [age_note]\n"
        "1: [H1] [poor] [1200.50] [张三] [head] []\n"
        "1: [H1] [poor] [1200.50] [李四] [] [x]\n"
        "2: [H2] [poor] [] [王五] [] []\n");
}

static void test_jsonl_values_null_numbers_booleans_nested_trimmed(void **state)
{
    run_config c;
    (void)state;
    cfg_jsonl(&c, "v.jsonl",
        "{\"a\":null,\"b\":-0.5e3,\"c\":true,\"d\":false,\"e\":{\"x\":[1, 2]},\"f\":\"  t\\tx \\t\","
        "\"g\":\"\",\"h\":0}\n");
    expect_all_sizes(&c,
        "1: [a] [b] [c] [d] [e] [f] [g] [h]\n"
        "1: [] [-0.5e3] [true] [false] [{\"x\":[1, 2]}] [t\tx] [] [0]\n");
}

static void test_jsonl_string_escapes_and_surrogate_pairs(void **state)
{
    run_config c;
    (void)state;
    cfg_jsonl(&c, "e.jsonl",
        "{\"k\\u0041\":\"\\u5f20\\u4e09 \\ud840\\udc00 \\\"q\\\" \\\\ \\/ \\n\\r\\b\\f\","
        "\"z\":\"\\u00e9\\u20ac\"}\n");
    expect_all_sizes(&c, "1: [kA] [z]\n1: [张三 𠀀 \"q\" \\ / \n\r\b\f] [é€]\n");
}

/* A \u escape that is no character cannot be carried: ROW_ENCODING. */
static void test_jsonl_lone_surrogate_or_nul_is_row_encoding(void **state)
{
    run_config c;
    (void)state;
    cfg_jsonl(&c, "s.jsonl",
        "{\"a\":\"ok\"}\n"
        "{\"a\":\"\\ud800x\"}\n"
        "{\"a\":\"\\udc00\"}\n"
        "{\"a\":\"\\u0000\"}\n"
        "{\"a\":\"\xff\"}\n");
    expect_all_sizes(&c,
        "1: [a]\n1: [ok]\n"
        "2: [\xc0\x80x] BAD_ENCODING\n"
        "3: [\xc0\x80] BAD_ENCODING\n"
        "4: [\\0] BAD_ENCODING\n"
        "5: [\xff] BAD_ENCODING\n");
}

/* A line that is not a household object gives one record with no fields
 * (ROW_FIELD_COUNT in the engine) with the line's number; the lines around
 * it are unaffected. */
static void test_jsonl_malformed_lines_give_one_empty_record_each(void **state)
{
    run_config c;
    (void)state;
    cfg_jsonl(&c, "m.jsonl",
        "{\"household_id\":\"H1\",\"members\":[{\"name\":\"a\"}]}\n"
        "{\"household_id\":\"H2\",\"members\":[{\"name\":\"b\"}]\n"          /* no closing brace */
        "{\"household_id\":\"H3\",\"household_id\":\"H4\"}\n"                 /* a repeated key */
        "{\"household_id\":\"H5\",\"members\":{\"name\":\"c\"}}\n"            /* members not an array */
        "{\"household_id\":\"H6\",\"members\":[]}\n"                          /* no members */
        "{\"household_id\":\"H7\",\"members\":[\"x\"]}\n"                     /* a member not an object */
        "[1,2]\n"
        "{\"household_id\":\"H8\"} x\n"                                       /* text after it */
        "{\"household_id\":\"H9\",\"name\":\"d\\q\"}\n"                       /* a bad escape */
        "{\"household_id\":01}\n"                                             /* a bad number */
        "{\"household_id\":\"H10\",\"members\":[{\"name\":\"e\"}]}\n");
    expect_all_sizes(&c,
        "1: [household_id] [name]\n"
        "1: [H1] [a]\n"
        "2:\n3:\n4:\n5:\n6:\n7:\n8:\n9:\n10:\n"
        "11: [H10] [e]\n");
}

/* Keys the first line does not have are extra fields: ROW_FIELD_COUNT. */
static void test_jsonl_key_missing_from_first_line_gives_an_extra_field(void **state)
{
    run_config c;
    (void)state;
    cfg_jsonl(&c, "k.jsonl",
        "{\"household_id\":\"H1\",\"members\":[{\"name\":\"a\"}]}\n"
        "{\"household_id\":\"H2\",\"phone\":\"1\",\"members\":[{\"name\":\"b\",\"age\":3}]}\n");
    expect_all_sizes(&c,
        "1: [household_id] [name]\n"
        "1: [H1] [a]\n"
        "2: [H2] [b] [1] [3]\n");
}

static void test_jsonl_line_without_members_is_one_row(void **state)
{
    run_config c;
    (void)state;
    cfg_jsonl(&c, "r.jsonl",
        "{\"household_id\":\"H1\",\"name\":\"a\"}\n"
        "{\"household_id\":\"H1\",\"name\":\"b\"}\n");
    expect_all_sizes(&c, "1: [household_id] [name]\n1: [H1] [a]\n2: [H1] [b]\n");
}

static void test_jsonl_bom_crlf_and_blank_lines(void **state)
{
    run_config c;
    (void)state;
    cfg_jsonl(&c, "b.jsonl",
        "\xEF\xBB\xBF{\"a\":\"1\"}\r\n"
        "\r\n"
        "   \t\n"
        "{\"a\":\"2\"}");
    expect_all_sizes(&c, "1: [a]\n1: [1]\n4: [2]\n");
}

static void test_jsonl_first_line_must_be_a_household(void **state)
{
    run_config c;
    char *got;
    (void)state;
    cfg_jsonl(&c, "f.jsonl", "\n{\"a\":1,}\n{\"a\":2}\n");
    got = read_all(&c, 4096);
    assert_string_equal(got, "ERROR: line 2, column 8: expected a key in quotes "
                        "(the first line gives the columns)");
    free(got);
}

/* JSON Lines in GB18030, and a format given instead of the extension. */
static void test_jsonl_in_gb18030_with_format_given(void **state)
{
    size_t n;
    char *gb = to_gb("{\"户编号\":\"H1\",\"members\":[{\"姓名\":\"𠀀明\"}]}\n", &n);
    run_config c;
    (void)state;
    cfg_file(&c, put_file("g.txt", gb, n), "gb18030");
    c.format = "jsonl";
    expect_all_sizes(&c, "1: [户编号] [姓名]\n1: [H1] [𠀀明]\n");
    c.format = "xml";
    {
        char *got = read_all(&c, 64);
        assert_string_equal(got, "ERROR: input format \"xml\" is not known (csv or jsonl)");
        free(got);
    }
    free(gb);
}

/* ---- PostgreSQL --------------------------------------------------------------------------- */

static void test_postgres_query_must_order_at_top_level(void **state)
{
    char err[512];
    (void)state;
    assert_true(pgsrc_query_ordered("SELECT * FROM q ORDER BY household_id"));
    assert_true(pgsrc_query_ordered("select * from q order\n  by 1, seq"));
    assert_true(pgsrc_query_ordered("SELECT * FROM q /* c */ ORDER /* x */ BY hid -- end"));
    assert_true(pgsrc_query_ordered("SELECT a FROM (SELECT a FROM t) s UNION SELECT 1 ORDER BY 1"));
    assert_false(pgsrc_query_ordered("SELECT * FROM q"));
    assert_false(pgsrc_query_ordered("SELECT * FROM (SELECT * FROM q ORDER BY hid) s"));
    assert_false(pgsrc_query_ordered("SELECT row_number() OVER (ORDER BY hid) FROM q"));
    assert_false(pgsrc_query_ordered("SELECT 'ORDER BY x' FROM q"));
    assert_false(pgsrc_query_ordered("SELECT \"ORDER BY\" FROM q"));
    assert_false(pgsrc_query_ordered("SELECT * FROM q -- ORDER BY hid"));
    assert_false(pgsrc_query_ordered("SELECT $$ ORDER BY $$ FROM q"));
    assert_false(pgsrc_query_ordered("SELECT $t$ ) ORDER BY $t$ FROM q"));
    assert_false(pgsrc_query_ordered("SELECT E'\\' ORDER BY x' FROM q"));
    assert_false(pgsrc_query_ordered("SELECT border, byline FROM q"));
    assert_null(pgsrc_open("dbname=none", "SELECT * FROM q", err, sizeof err));
    assert_non_null(strstr(err, "has no ORDER BY"));
}

static void test_postgres_input_without_a_query_is_an_error(void **state)
{
    run_config c;
    char *got;
    (void)state;
    memset(&c, 0, sizeof c);
    c.input = PIPELINE_PG_INPUT;
    c.pg_conninfo = "dbname=none";
    got = read_all(&c, 64);
    assert_non_null(strstr(got, "ERROR: postgresql: no query"));
    free(got);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_gb18030_reads_as_its_utf8_at_every_read_size),
        cmocka_unit_test(test_gb18030_encoding_names),
        cmocka_unit_test(test_gb18030_characters_split_across_reads_and_outputs),
        cmocka_unit_test(test_gb18030_invalid_bytes_flag_only_their_record),
        cmocka_unit_test(test_gb18030_character_cut_off_at_end_of_file),
        cmocka_unit_test(test_gb18030_byte_order_mark_is_dropped),
        cmocka_unit_test(test_gb18030_fingerprint_is_of_the_raw_bytes),
        cmocka_unit_test(test_utf8_input_with_a_gb18030_header_suggests_the_encoding),
        cmocka_unit_test(test_gb18030_header_with_invalid_bytes_is_an_error),
        cmocka_unit_test(test_unknown_encoding_is_refused),
        cmocka_unit_test(test_mapping_renames_columns_and_translates_listed_values),
        cmocka_unit_test(test_mapping_skip_rows_auto_finds_the_header),
        cmocka_unit_test(test_mapping_skip_rows_auto_gives_up_after_twenty_records),
        cmocka_unit_test(test_mapping_file_mistakes_are_errors_naming_them),
        cmocka_unit_test(test_mapping_may_return_a_table),
        cmocka_unit_test(test_shipped_national_system_mapping),
        cmocka_unit_test(test_jsonl_one_record_per_member_with_household_fields),
        cmocka_unit_test(test_jsonl_values_null_numbers_booleans_nested_trimmed),
        cmocka_unit_test(test_jsonl_string_escapes_and_surrogate_pairs),
        cmocka_unit_test(test_jsonl_lone_surrogate_or_nul_is_row_encoding),
        cmocka_unit_test(test_jsonl_malformed_lines_give_one_empty_record_each),
        cmocka_unit_test(test_jsonl_key_missing_from_first_line_gives_an_extra_field),
        cmocka_unit_test(test_jsonl_line_without_members_is_one_row),
        cmocka_unit_test(test_jsonl_bom_crlf_and_blank_lines),
        cmocka_unit_test(test_jsonl_first_line_must_be_a_household),
        cmocka_unit_test(test_jsonl_in_gb18030_with_format_given),
        cmocka_unit_test(test_postgres_query_must_order_at_top_level),
        cmocka_unit_test(test_postgres_input_without_a_query_is_an_error),
    };
    return cmocka_run_group_tests_name("source", tests, setup_dir, teardown_dir);
}
