/* test_block.c — household blocks and the structural checks of standard §1:
 * grouping by consecutive household_id, the reject codes and their order of
 * precedence, and HOUSEHOLD_SPLIT across evaluated and rejected blocks.
 *
 * Each test feeds a small CSV through the reader, groups it the way the
 * engine does (core/model/block.h) and compares every row's outcome, written as
 * "LINE,HOUSEHOLD_ID,CODE" with CODE "ok" for a row of an evaluated block. */
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
#include "idset.h"
#include "schema.h"

typedef struct memsrc { const char *p; size_t n, pos; } memsrc;

static long mem_read(void *ctx, char *buf, size_t len)
{
    memsrc *m = ctx;
    size_t k = m->n - m->pos;
    if (k > len) k = len;
    memcpy(buf, m->p + m->pos, k);
    m->pos += k;
    return (long)k;
}

typedef struct outcome {
    char *text;          /* one "LINE,ID,CODE" a line; owned */
    size_t len, cap;
    int columns[64];     /* blk_verdict.column of each rejected block, in order */
    size_t ncolumns;
} outcome;

static void out_append(outcome *o, const char *s)
{
    size_t n = strlen(s);
    if (o->len + n + 1 > o->cap) {
        o->cap = 2 * (o->len + n + 1);
        o->text = realloc(o->text, o->cap);
        assert_non_null(o->text);
    }
    memcpy(o->text + o->len, s, n + 1);
    o->len += n;
}

static void flush_block(block *b, const schema_map *m, textset *seen, outcome *o)
{
    blk_verdict v;
    size_t r;
    assert_int_equal(block_classify(b, m, seen, &v), 0);
    for (r = 0; r < b->nrows; r++) {
        char line[256];
        const char *code = v.code ? b->rows[r].code : "ok";
        assert_non_null(code);
        snprintf(line, sizeof line, "%ld,%s,%s\n", b->rows[r].line, block_hid(b), code);
        out_append(o, line);
    }
    if (v.code && !strcmp(v.code, "HOUSEHOLD_INCONSISTENT") && o->ncolumns < 64)
        o->columns[o->ncolumns++] = v.column;
}

/* Runs the structural checks over csv (header first).  o->text is
 * allocated; free it with free(o->text). */
static void run(const char *csv, size_t len, outcome *o)
{
    memsrc src = { csv, len, 0 };
    csv_reader *rd = csv_open(mem_read, &src, 64, 1u << 20);
    csv_record rec;
    schema_map map;
    block b;
    textset seen;
    const char *names[64];
    size_t lens[64], i;
    char err[256];
    const char *why;

    memset(o, 0, sizeof *o);
    out_append(o, "");
    assert_non_null(rd);
    assert_int_equal(csv_next(rd, &rec), 1);
    assert_true(rec.nfields <= 64);
    for (i = 0; i < rec.nfields; i++) { names[i] = rec.fields[i].p; lens[i] = rec.fields[i].n; }
    assert_int_equal(schema_map_header(&map, names, lens, rec.nfields, err, sizeof err), 0);
    csv_set_header_fields(rd, rec.nfields);     /* as the source does: stray quotes */
    block_init(&b, 0, 0);
    textset_init(&seen);
    while (csv_next(rd, &rec) == 1) {
        if (b.nrows && !block_same(&b, &rec, &map)) {
            flush_block(&b, &map, &seen, o);
            block_reset(&b);
        }
        assert_int_equal(block_add(&b, &rec, &map, &why), 0);
    }
    if (b.nrows) flush_block(&b, &map, &seen, o);
    block_free(&b);
    textset_free(&seen);
    schema_map_free(&map);
    csv_close(rd);
}

static void expect_rows(const char *csv, size_t len, const char *const *want, outcome *o)
{
    outcome exp;
    memset(&exp, 0, sizeof exp);
    out_append(&exp, "");
    run(csv, len, o);
    for (; *want; want++) {
        out_append(&exp, *want);
        out_append(&exp, "\n");
    }
    if (strcmp(exp.text, o->text) != 0) {
        print_error("--- want\n%s--- got\n%s", exp.text, o->text);
        free(exp.text);
        fail();
    }
    free(exp.text);
}

#define EXPECT(csv, ...) do { outcome o_; \
    expect_rows(csv, sizeof(csv) - 1, (const char *const[]){ __VA_ARGS__, NULL }, &o_); \
    free(o_.text); } while (0)
#define EXPECT_O(o, csv, ...) \
    expect_rows(csv, sizeof(csv) - 1, (const char *const[]){ __VA_ARGS__, NULL }, &(o))

/* Seven columns: four household-level, two person-level, one extra. */
#define HDR "household_id,region_code,status,wage_income,person_id,name,note\n"
#define ROW(id, region, status) id "," region "," status ",100,p,n,x\n"
#define OK1(id) ROW(id, "110101001001", "poor")

/* ---- raw text of rows kept once ----------------------------------------------- */

/* The engine keeps a plain row once, as its fields (join_raw), and makes its
 * raw text again for rejects.csv: it must be the line as read, whatever the
 * row holds — and rows that are not plain keep theirs as read. */
static void test_raw_text_made_again_is_the_line_as_read(void **state)
{
    static const char *const lines[] = {
        "household_id,region_code,status,wage_income,person_id,name,note",
        "H1,110101001001,poor,100,p,\xE5\xBC\xA0\xE4\xB8\x89,x",   /* plain, UTF-8 */
        "H1,110101001001,poor,100,p,n,",                               /* empty last field */
        "H1,,poor,,p,n,x,extra,fields,and,more,of,them,to,pass,sixteen",  /* too many fields */
        "H2,110101001001,poor,100,p,a\rb,x",                           /* a lone CR */
        "H2,110101001001,poor,100 ,p,n,x",                             /* a trimmed blank */
        "H2,110101001001,\"poor\",100,p,n,x",                          /* quoted */
        "H3,110101001001,poor,100,p,n,\xFF\xFE",                        /* not UTF-8 */
        ",,,,,,",                                                      /* only commas */
        "H4,110101001001,poor,100,p,n,x",                              /* the last, CRLF */
    };
    char input[1024];
    size_t n = 0, i, r, k = 1;
    memsrc src;
    csv_reader *rd;
    csv_record rec;
    block b;
    const char *why;
    (void)state;
    for (i = 0; i < sizeof lines / sizeof *lines; i++) {
        memcpy(input + n, lines[i], strlen(lines[i]));
        n += strlen(lines[i]);
        if (i + 1 == sizeof lines / sizeof *lines) input[n++] = '\r';
        input[n++] = '\n';
    }
    src.p = input; src.n = n; src.pos = 0;
    rd = csv_open(mem_read, &src, 1u << 16, 1u << 20);
    assert_non_null(rd);
    assert_int_equal(csv_next(rd, &rec), 1);                      /* the header */
    block_init(&b, 0, 0);
    b.join_raw = 1;
    while (csv_next(rd, &rec) == 1) {
        schema_map m;
        memset(&m, 0, sizeof m);
        for (i = 0; i < COL_COUNT; i++) m.pos[i] = -1;
        m.pos[COL_HOUSEHOLD_ID] = 0;
        assert_int_equal(block_add(&b, &rec, &m, &why), 0);
    }
    assert_int_equal(b.nrows, sizeof lines / sizeof *lines - 1);
    /* at least the plain rows were kept once */
    assert_true(b.rows[0].raw_joined && b.rows[1].raw_joined && b.rows[2].raw_joined);
    assert_false(b.rows[4].raw_joined || b.rows[5].raw_joined);
    assert_int_equal(block_materialize_raw(&b), 0);
    for (r = 0; r < b.nrows; r++, k++) {
        const blk_row *row = &b.rows[r];
        assert_false(row->raw_joined);
        assert_int_equal(row->raw_len, strlen(lines[k]));
        assert_memory_equal(b.arena + row->raw_off, lines[k], row->raw_len);
    }
    /* the fields are still where they were */
    assert_string_equal(block_field(&b, 0, 5), "\xE5\xBC\xA0\xE4\xB8\x89");
    assert_string_equal(block_field(&b, 3, 5), "a\rb");
    assert_string_equal(block_field(&b, 4, 3), "100");
    assert_string_equal(block_field(&b, 5, 2), "poor");
    block_free(&b);
    csv_close(rd);
}

/* ---- sound blocks ------------------------------------------------------------ */

static void test_sound_block_is_evaluated(void **state)
{
    (void)state;
    EXPECT(HDR OK1("H1") OK1("H1") OK1("H2"), "2,H1,ok", "3,H1,ok", "4,H2,ok");
}

static void test_empty_line_inside_a_household_does_not_split_it(void **state)
{
    (void)state;
    EXPECT(HDR OK1("H1") "\n\r\n" OK1("H1"), "2,H1,ok", "5,H1,ok");
}

static void test_household_id_compared_after_trimming(void **state)
{
    (void)state;
    EXPECT(HDR OK1("H1") OK1("  H1\t") OK1("\"H1\""), "2,H1,ok", "3,H1,ok", "4,H1,ok");
}

static void test_different_id_text_is_a_different_block(void **state)
{
    (void)state;
    EXPECT(HDR OK1("H1") OK1("h1"), "2,H1,ok", "3,h1,ok");
}

/* ---- row-level codes ----------------------------------------------------------- */

static void test_row_field_count_too_many_fields(void **state)
{
    (void)state;
    EXPECT(HDR OK1("H1") "H1,110101001001,poor,100,p,n,x,EXTRA\n" OK1("H1") OK1("H2"),
           "2,H1,HOUSEHOLD_INCOMPLETE", "3,H1,ROW_FIELD_COUNT", "4,H1,HOUSEHOLD_INCOMPLETE",
           "5,H2,ok");
}

static void test_row_field_count_too_few_fields(void **state)
{
    (void)state;
    EXPECT(HDR "H1,110101001001,poor,100,p,n\n" OK1("H1"),
           "2,H1,ROW_FIELD_COUNT", "3,H1,HOUSEHOLD_INCOMPLETE");
}

static void test_row_too_short_for_the_id_has_a_blank_id(void **state)
{
    (void)state;
    /* household_id is the third column; a two-field row has none, so it is a
     * block of its own with a blank id, and the H1 after it is a new block
     * whose id was already seen. */
    EXPECT("region_code,status,household_id,name\n"
           "110101001001,poor,H1,a\n"
           "110101001001,poor\n"
           "110101001001,poor,H1,b\n"
           "110101001001,poor,H2,c\n",
           "2,H1,ok", "3,,ROW_FIELD_COUNT", "4,H1,HOUSEHOLD_SPLIT", "5,H2,ok");
}

static void test_row_unterminated_quote(void **state)
{
    (void)state;
    /* The open quote runs to the end of the file (no later line has the
     * header's seven fields); the record also has the wrong number of
     * fields, but the quote comes first. */
    EXPECT(HDR OK1("H1") OK1("H2") "H2,110101001001,poor,\"100,p,n,x\nH3,1\n",
           "2,H1,ok", "3,H2,HOUSEHOLD_INCOMPLETE", "4,H2,ROW_UNTERMINATED_QUOTE");
}

/* ---- stray quotes (standard §1) ------------------------------------------------ */

static void test_stray_quote_swallowing_text_of_a_wrong_field_count(void **state)
{
    (void)state;
    /* A quote typed into H2's name would run to the quote in H4's note:
     * one record of the wrong field count.  H3's line has the header's
     * seven fields, so only H2's line is rejected; its id comes from the
     * line split at every comma. */
    EXPECT(HDR OK1("H1") OK1("H2") "H2,110101001001,poor,100,p,\"n,x\n"
           OK1("H3") "H4,110101001001,poor,100,p,n,\"x\",y\n" OK1("H5"),
           "2,H1,ok", "3,H2,HOUSEHOLD_INCOMPLETE", "4,H2,ROW_UNTERMINATED_QUOTE",
           "5,H3,ok", "6,H4,ROW_FIELD_COUNT", "7,H5,ok");
}

static void test_stray_quote_swallowing_text_of_the_header_field_count(void **state)
{
    (void)state;
    /* Without the rule H2's name would swallow H3 and H4 up to the quote
     * in H4's note and the record would have exactly seven fields: H3 and
     * H4 would vanish with no reject at all. */
    EXPECT(HDR OK1("H1") "H2,110101001001,poor,100,p,\"n,x\n"
           OK1("H3") "H4,110101001001,poor,100,p,n\",x\n" OK1("H5"),
           "2,H1,ok", "3,H2,ROW_UNTERMINATED_QUOTE", "4,H3,ok", "5,H4,ok", "6,H5,ok");
}

static void test_stray_quote_line_precedes_encoding(void **state)
{
    (void)state;
    /* The stray line also holds a NUL byte in its id: ROW_UNTERMINATED_QUOTE
     * comes first, and the id for grouping is read without the NUL. */
    EXPECT(HDR OK1("H1") "H\0" "1,110101001001,poor,100,p,\"n,x\n" OK1("H1") OK1("H2"),
           "2,H1,HOUSEHOLD_INCOMPLETE", "3,H1,ROW_UNTERMINATED_QUOTE", "4,H1,HOUSEHOLD_INCOMPLETE",
           "5,H2,ok");
}

/* ---- NUL bytes, byte-order marks and control characters -------------------------- */

static void test_nul_in_household_id_joins_its_household(void **state)
{
    (void)state;
    /* Read without the NUL, the id is H1: one block, not two look-alikes;
     * the row is ROW_ENCODING, its household's others HOUSEHOLD_INCOMPLETE,
     * and no HOUSEHOLD_SPLIT for the H1 row after it. */
    EXPECT(HDR OK1("H1") "H1\0,110101001001,poor,100,p,n,x\n" OK1("H1") OK1("H2"),
           "2,H1,HOUSEHOLD_INCOMPLETE", "3,H1,ROW_ENCODING", "4,H1,HOUSEHOLD_INCOMPLETE",
           "5,H2,ok");
}

static void test_bom_at_the_start_of_a_data_line_joins_its_household(void **state)
{
    (void)state;
    EXPECT(HDR OK1("H1") "\xEF\xBB\xBF" OK1("H1") OK1("H2"),
           "2,H1,HOUSEHOLD_INCOMPLETE", "3,H1,ROW_ENCODING", "4,H2,ok");
    /* the first row of a block: the block's id is the id read without it */
    EXPECT(HDR "\xEF\xBB\xBF \"H3\" ,110101001001,poor,100,p,n,x\n" OK1("H4"),
           "2,\"H3\",ROW_ENCODING", "3,H4,ok");
    EXPECT(HDR "\xEF\xBB\xBF" OK1("H5") OK1("H5"),
           "2,H5,ROW_ENCODING", "3,H5,HOUSEHOLD_INCOMPLETE");
}

static void test_nul_elsewhere_in_the_row_is_row_encoding(void **state)
{
    (void)state;
    EXPECT(HDR OK1("H1") "H1,110101001001,poor,100,p,n\0,x\n",
           "2,H1,HOUSEHOLD_INCOMPLETE", "3,H1,ROW_ENCODING");
}

static void test_control_character_in_household_id(void **state)
{
    (void)state;
    EXPECT(HDR OK1("H\x01" "1"), "2,H\x01" "1,BAD_HOUSEHOLD_ID");
    EXPECT(HDR OK1("H\t1"), "2,H\t1,BAD_HOUSEHOLD_ID");
    EXPECT(HDR OK1("H1\x7F"), "2,H1\x7F,BAD_HOUSEHOLD_ID");
    EXPECT(HDR OK1("H1\xC2\x85"), "2,H1\xC2\x85,BAD_HOUSEHOLD_ID");         /* U+0085 */
    EXPECT(HDR OK1("H1\xC2\x9F"), "2,H1\xC2\x9F,BAD_HOUSEHOLD_ID");         /* U+009F */
    EXPECT("region_code,status,household_id,name\n110101001001,poor,\"H\n1\",a\n",
           "2,H\n1,BAD_HOUSEHOLD_ID");
    /* U+00A0 and U+FEFF's neighbours are no control characters */
    EXPECT(HDR OK1("H1\xC2\xA0"), "2,H1\xC2\xA0,ok");
    EXPECT(HDR OK1("H1\xEF\xBB\xBE"), "2,H1\xEF\xBB\xBE,ok");
}

static void test_control_character_id_precedes_split(void **state)
{
    (void)state;
    /* The second H\x01 block is BAD_HOUSEHOLD_ID, not HOUSEHOLD_SPLIT. */
    EXPECT(HDR OK1("H\x01") OK1("H2") OK1("H\x01"),
           "2,H\x01,BAD_HOUSEHOLD_ID", "3,H2,ok", "4,H\x01,BAD_HOUSEHOLD_ID");
}

static void test_block_hid_has_control(void **state)
{
    (void)state;
    assert_false(block_hid_has_control("H1", 2));
    assert_false(block_hid_has_control("\xE4\xB8\xAD", 3));
    assert_true(block_hid_has_control("H\0", 2));
    assert_true(block_hid_has_control("\x1F", 1));
    assert_false(block_hid_has_control(" ", 1));
    assert_true(block_hid_has_control("\xC2\x80", 2));
    assert_false(block_hid_has_control("\xC2", 1));
    assert_true(block_hid_has_control("a\xEF\xBB\xBF", 4));
}

static void test_row_unterminated_quote_precedes_encoding(void **state)
{
    (void)state;
    EXPECT(HDR OK1("H1") "H1,110101001001,poor,100,p,\"\xFF,x\n",
           "2,H1,HOUSEHOLD_INCOMPLETE", "3,H1,ROW_UNTERMINATED_QUOTE");
}

static void test_row_encoding(void **state)
{
    (void)state;
    EXPECT(HDR OK1("H1") "H1,110101001001,poor,100,p,\xD5\xC5\xC8\xFD,x\n" OK1("H2"),
           "2,H1,HOUSEHOLD_INCOMPLETE", "3,H1,ROW_ENCODING", "4,H2,ok");
}

static void test_row_encoding_precedes_field_count(void **state)
{
    (void)state;
    EXPECT(HDR "H1,110101001001,poor,100,p,\xFF,x,extra\n" OK1("H1"),
           "2,H1,ROW_ENCODING", "3,H1,HOUSEHOLD_INCOMPLETE");
}

static void test_each_faulty_row_gets_its_own_code(void **state)
{
    (void)state;
    EXPECT(HDR "H1,110101001001,poor,100,p,\xFF,x\n"
               "H1,110101001001,poor,100,p,n\n"
               OK1("H1"),
           "2,H1,ROW_ENCODING", "3,H1,ROW_FIELD_COUNT", "4,H1,HOUSEHOLD_INCOMPLETE");
}

static void test_row_codes_precede_block_codes(void **state)
{
    (void)state;
    /* bad region and status on the first row, but a row is faulty */
    EXPECT(HDR ROW("H1", "100101001001", "bogus") "H1,100101001001,bogus,1,p\n",
           "2,H1,HOUSEHOLD_INCOMPLETE", "3,H1,ROW_FIELD_COUNT");
    /* a blank id, and a row with too many fields */
    EXPECT(HDR ROW("", "110101001001", "poor") ",110101001001,poor,100,p,n,x,y\n",
           "2,,HOUSEHOLD_INCOMPLETE", "3,,ROW_FIELD_COUNT");
    /* an id seen before, and a row with too few fields */
    EXPECT(HDR OK1("H1") OK1("H2") "H1,110101001001,poor,100\n",
           "2,H1,ok", "3,H2,ok", "4,H1,ROW_FIELD_COUNT");
}

/* ---- BAD_HOUSEHOLD_ID -------------------------------------------------------------- */

static void test_bad_household_id_blank(void **state)
{
    (void)state;
    EXPECT(HDR OK1("H1") OK1("") OK1("   ") OK1("H2"),
           "2,H1,ok", "3,,BAD_HOUSEHOLD_ID", "4,,BAD_HOUSEHOLD_ID", "5,H2,ok");
}

static void test_bad_household_id_precedes_region_and_status(void **state)
{
    (void)state;
    EXPECT(HDR ROW("", "99", "bogus"), "2,,BAD_HOUSEHOLD_ID");
}

static void test_blank_ids_are_never_a_split(void **state)
{
    (void)state;
    EXPECT(HDR OK1("") OK1("H1") OK1(""), "2,,BAD_HOUSEHOLD_ID", "3,H1,ok", "4,,BAD_HOUSEHOLD_ID");
}

/* ---- HOUSEHOLD_SPLIT ------------------------------------------------------------------ */

static void test_household_split_after_evaluated_block(void **state)
{
    (void)state;
    EXPECT(HDR OK1("H1") OK1("H1") OK1("H2") OK1("H1") OK1("H1"),
           "2,H1,ok", "3,H1,ok", "4,H2,ok", "5,H1,HOUSEHOLD_SPLIT", "6,H1,HOUSEHOLD_SPLIT");
}

static void test_household_split_after_rejected_block(void **state)
{
    (void)state;
    EXPECT(HDR ROW("H1", "100101001001", "poor") OK1("H2") OK1("H1"),
           "2,H1,BAD_REGION", "3,H2,ok", "4,H1,HOUSEHOLD_SPLIT");
}

static void test_household_split_after_row_rejected_block(void **state)
{
    (void)state;
    EXPECT(HDR "H1,110101001001,poor\n" OK1("H2") OK1("H1"),
           "2,H1,ROW_FIELD_COUNT", "3,H2,ok", "4,H1,HOUSEHOLD_SPLIT");
}

static void test_household_split_every_later_block(void **state)
{
    (void)state;
    EXPECT(HDR OK1("H1") OK1("H2") OK1("H1") OK1("H3") OK1("H1"),
           "2,H1,ok", "3,H2,ok", "4,H1,HOUSEHOLD_SPLIT", "5,H3,ok", "6,H1,HOUSEHOLD_SPLIT");
}

static void test_household_split_precedes_region_and_status(void **state)
{
    (void)state;
    EXPECT(HDR OK1("H1") OK1("H2") ROW("H1", "100101001001", "bogus"),
           "2,H1,ok", "3,H2,ok", "4,H1,HOUSEHOLD_SPLIT");
}

static void test_household_split_only_for_the_same_id_text(void **state)
{
    (void)state;
    /* Ids that a careless short-text encoding could confuse: leading zeros,
     * lengths 12 and 13, case, the punctuation a registry uses. */
    EXPECT(HDR OK1("1") OK1("01") OK1("001") OK1("10") OK1("0") OK1("00") OK1("_") OK1("-")
               OK1("A") OK1("a") OK1("A0") OK1("ZZZZZZZZZZZZ") OK1("ZZZZZZZZZZZZZ")
               OK1("ZZZZZZZZZZZZZZ") OK1("户1") OK1("01"),
           "2,1,ok", "3,01,ok", "4,001,ok", "5,10,ok", "6,0,ok", "7,00,ok", "8,_,ok", "9,-,ok",
           "10,A,ok", "11,a,ok", "12,A0,ok", "13,ZZZZZZZZZZZZ,ok", "14,ZZZZZZZZZZZZZ,ok",
           "15,ZZZZZZZZZZZZZZ,ok", "16,户1,ok", "17,01,HOUSEHOLD_SPLIT");
}

/* Thousands of distinct ids (the set grows many times), then each of a few
 * earlier ones again. */
static void test_household_split_detected_among_many_ids(void **state)
{
    static const char hdr[] = HDR;
    size_t cap = 200000, n = 0, i;
    char *csv = malloc(cap);
    outcome *o = malloc(sizeof *o);
    (void)state;
    assert_non_null(csv);
    assert_non_null(o);
    n += (size_t)snprintf(csv + n, cap - n, "%s", hdr);
    for (i = 0; i < 5000; i++)
        n += (size_t)snprintf(csv + n, cap - n, "H%06zu,110101001001,poor,100,p,n,x\n", i);
    n += (size_t)snprintf(csv + n, cap - n, "H000000,110101001001,poor,100,p,n,x\n"
                          "H004999,110101001001,poor,100,p,n,x\n"
                          "H002500,110101001001,poor,100,p,n,x\n"
                          "H005000,110101001001,poor,100,p,n,x\n");
    run(csv, n, o);
    {
        /* lines 2..5001 hold the distinct ids, all sound */
        static const char tail[] = "5001,H004999,ok\n"
            "5002,H000000,HOUSEHOLD_SPLIT\n5003,H004999,HOUSEHOLD_SPLIT\n"
            "5004,H002500,HOUSEHOLD_SPLIT\n5005,H005000,ok\n";
        size_t tl = sizeof tail - 1;
        assert_true(o->len > tl);
        assert_string_equal(o->text + o->len - tl, tail);
        /* the first split is the one in the tail */
        assert_true(strstr(o->text, "HOUSEHOLD_SPLIT") > o->text + o->len - tl);
    }
    free(o->text);
    free(csv);
    free(o);
}

/* ---- BAD_REGION -------------------------------------------------------------------------- */

static void region(const char *code, int valid)
{
    if (block_region_valid(code) != valid)
        fail_msg("region \"%s\" should be %s", code, valid ? "valid" : "invalid");
}

static void test_region_province_ranges_at_their_bounds(void **state)
{
    (void)state;
    region("100101001001", 0);
    region("110101001001", 1); region("150101001001", 1); region("160101001001", 0);
    region("200101001001", 0);
    region("210101001001", 1); region("230101001001", 1); region("240101001001", 0);
    region("300101001001", 0);
    region("310101001001", 1); region("370101001001", 1); region("380101001001", 0);
    region("400101001001", 0);
    region("410101001001", 1); region("460101001001", 1); region("470101001001", 0);
    region("490101001001", 0);
    region("500101001001", 1); region("540101001001", 1); region("550101001001", 0);
    region("600101001001", 0);
    region("610101001001", 1); region("650101001001", 1); region("660101001001", 0);
    region("000000000000", 0); region("710101001001", 0); region("810101001001", 0);
    region("990101001001", 0);
}

static void test_region_must_be_twelve_ascii_digits(void **state)
{
    (void)state;
    region("11010100100", 0);            /* 11 digits */
    region("1101010010011", 0);          /* 13 digits */
    region("11010100100a", 0);
    region("110101 01001", 0);
    region("", 0);
    region("11010100100１", 0);          /* a fullwidth digit */
    region("-11010100100", 0);
}

static void test_bad_region_rejects_every_row(void **state)
{
    (void)state;
    EXPECT(HDR ROW("H1", "100101001001", "poor") ROW("H1", "100101001001", "poor") OK1("H2"),
           "2,H1,BAD_REGION", "3,H1,BAD_REGION", "4,H2,ok");
    EXPECT(HDR ROW("H1", "160101001001", "poor") ROW("H2", "650101001001", "poor")
               ROW("H3", "660101001001", "poor") ROW("H4", "", "poor")
               ROW("H5", "11010100100", "poor"),
           "2,H1,BAD_REGION", "3,H2,ok", "4,H3,BAD_REGION", "5,H4,BAD_REGION",
           "6,H5,BAD_REGION");
}

static void test_bad_region_precedes_bad_status(void **state)
{
    (void)state;
    EXPECT(HDR ROW("H1", "100101001001", "bogus"), "2,H1,BAD_REGION");
}

static void test_region_of_later_rows_differing_is_inconsistent(void **state)
{
    outcome o;
    (void)state;
    /* Only the first row's region is checked; a later row that differs makes
     * the household inconsistent. */
    EXPECT_O(o, HDR OK1("H1") ROW("H1", "100101001001", "poor"),
             "2,H1,HOUSEHOLD_INCONSISTENT", "3,H1,HOUSEHOLD_INCONSISTENT");
    assert_int_equal(o.ncolumns, 1);
    assert_int_equal(o.columns[0], COL_REGION_CODE);
    free(o.text);
}

/* ---- BAD_STATUS -------------------------------------------------------------------------- */

static void test_bad_status(void **state)
{
    (void)state;
    EXPECT(HDR ROW("H1", "110101001001", "bogus") ROW("H1", "110101001001", "bogus")
               ROW("H2", "110101001001", "")
               ROW("H3", "110101001001", "贫困户") ROW("H4", "110101001001", "EXITED")
               ROW("H5", "110101001001", "非贫困户") ROW("H6", "110101001001", "脱贫"),
           "2,H1,BAD_STATUS", "3,H1,BAD_STATUS", "4,H2,BAD_STATUS", "5,H3,ok", "6,H4,ok",
           "7,H5,ok", "8,H6,BAD_STATUS");
}

static void test_bad_status_precedes_inconsistent(void **state)
{
    (void)state;
    EXPECT(HDR ROW("H1", "110101001001", "bogus") ROW("H1", "110101001001", "poor"),
           "2,H1,BAD_STATUS", "3,H1,BAD_STATUS");
}

/* ---- HOUSEHOLD_INCONSISTENT --------------------------------------------------------------- */

static void test_inconsistent_names_the_column(void **state)
{
    outcome o;
    (void)state;
    EXPECT_O(o, HDR OK1("H1") "H1,110101001001,poor,200,p,n,x\n" OK1("H2"),
             "2,H1,HOUSEHOLD_INCONSISTENT", "3,H1,HOUSEHOLD_INCONSISTENT", "4,H2,ok");
    assert_int_equal(o.ncolumns, 1);
    assert_int_equal(o.columns[0], COL_WAGE_INCOME);
    free(o.text);
}

/* Long values differing in one byte anywhere (first, middle, last of 8, 9, 16
 * and 17 bytes) are inconsistent; the same long values are not. */
static void test_inconsistent_long_values(void **state)
{
    static const char *const pairs[][2] = {
        { "12345678", "02345678" }, { "12345678", "12345679" },
        { "123456789", "123456780" }, { "123456789", "123406789" },
        { "1234567890123456", "1234567890123457" }, { "1234567890123456", "1234567895123456" },
        { "12345678901234567", "12345678901234568" }, { "12345678901234567", "12345678 01234567" },
    };
    size_t i;
    char csv[512];
    outcome o;
    (void)state;
    for (i = 0; i < sizeof pairs / sizeof pairs[0]; i++) {
        snprintf(csv, sizeof csv, HDR "H1,110101001001,poor,%s,p,n,x\nH1,110101001001,poor,%s,p,n,x\n",
                 pairs[i][0], pairs[i][1]);
        expect_rows(csv, strlen(csv), (const char *const[]){ "2,H1,HOUSEHOLD_INCONSISTENT",
                    "3,H1,HOUSEHOLD_INCONSISTENT", NULL }, &o);
        assert_int_equal(o.columns[0], COL_WAGE_INCOME);
        free(o.text);
        snprintf(csv, sizeof csv, HDR "H1,110101001001,poor,%s,p,n,x\nH1,110101001001,poor,%s,p,n,x\n",
                 pairs[i][1], pairs[i][1]);
        expect_rows(csv, strlen(csv), (const char *const[]){ "2,H1,ok", "3,H1,ok", NULL }, &o);
        free(o.text);
    }
}

static void test_inconsistent_compares_text_not_value(void **state)
{
    outcome o;
    (void)state;
    /* 100 and 100.00 are the same amount but not the same text */
    EXPECT_O(o, HDR OK1("H1") "H1,110101001001,poor,100.00,p,n,x\n",
             "2,H1,HOUSEHOLD_INCONSISTENT", "3,H1,HOUSEHOLD_INCONSISTENT");
    assert_int_equal(o.columns[0], COL_WAGE_INCOME);
    free(o.text);
    /* a status alias is the same status but not the same text */
    EXPECT_O(o, HDR OK1("H1") ROW("H1", "110101001001", "贫困户"),
             "2,H1,HOUSEHOLD_INCONSISTENT", "3,H1,HOUSEHOLD_INCONSISTENT");
    assert_int_equal(o.columns[0], COL_STATUS);
    free(o.text);
    EXPECT_O(o, HDR OK1("H1") ROW("H1", "110101001001", "POOR"),
             "2,H1,HOUSEHOLD_INCONSISTENT", "3,H1,HOUSEHOLD_INCONSISTENT");
    assert_int_equal(o.columns[0], COL_STATUS);
    free(o.text);
}

static void test_inconsistent_compares_text_after_trimming(void **state)
{
    (void)state;
    EXPECT(HDR OK1("H1") "H1, 110101001001 ,\tpoor\t,\" 100 \",p,n,x\n", "2,H1,ok", "3,H1,ok");
}

static void test_person_and_extra_columns_may_differ(void **state)
{
    (void)state;
    EXPECT(HDR "H1,110101001001,poor,100,p1,n1,x1\n" "H1,110101001001,poor,100,p2,n2,x2\n",
           "2,H1,ok", "3,H1,ok");
}

/* Every household-level column of the standard's table is compared, and no
 * person-level one is. */
static void test_every_household_level_column_is_compared(void **state)
{
    static const char *const value[COL_COUNT][2] = {
        [COL_HOUSEHOLD_ID] = { "H1", "H1" },
        [COL_REGION_CODE] = { "110101001001", "110101001002" },
        [COL_STATUS] = { "poor", "exited" },
        [COL_WAGE_INCOME] = { "1", "2" }, [COL_OPERATING_INCOME] = { "1", "2" },
        [COL_OPERATING_COST] = { "1", "2" }, [COL_PROPERTY_INCOME] = { "1", "2" },
        [COL_TRANSFER_INCOME] = { "1", "2" }, [COL_DECLARED_INCOME_PC] = { "1", "2" },
        [COL_FOOD_CLOTHING_SECURE] = { "yes", "no" }, [COL_HOUSING_RATING] = { "A", "B" },
        [COL_HOUSING_FIXED] = { "yes", "no" }, [COL_WATER_SAFE] = { "yes", "no" },
        [COL_SATISFIED] = { "yes", "no" },
        [COL_PERSON_ID] = { "110105194912310011", "11010519491231002X" },
        [COL_NAME] = { "甲", "乙" }, [COL_RELATION] = { "head", "child" },
        [COL_BIRTH_DATE] = { "1949-12-31", "2010-01-01" },
        [COL_SCHOOL_STATUS] = { "", "primary" }, [COL_MEDICAL_INSURED] = { "yes", "no" },
    };
    int diff;
    (void)state;
    for (diff = 1; diff < COL_COUNT; diff++) {
        char csv[2048];
        size_t n = 0;
        int c, r;
        outcome o;
        for (c = 0; c < COL_COUNT; c++)
            n += (size_t)snprintf(csv + n, sizeof csv - n, "%s%s", c ? "," : "",
                                  schema_columns[c].name);
        n += (size_t)snprintf(csv + n, sizeof csv - n, "\n");
        for (r = 0; r < 2; r++) {
            for (c = 0; c < COL_COUNT; c++)
                n += (size_t)snprintf(csv + n, sizeof csv - n, "%s%s", c ? "," : "",
                                      value[c][r && c == diff]);
            n += (size_t)snprintf(csv + n, sizeof csv - n, "\n");
        }
        run(csv, n, &o);
        if (schema_columns[diff].household_level) {
            if (strcmp(o.text, "2,H1,HOUSEHOLD_INCONSISTENT\n3,H1,HOUSEHOLD_INCONSISTENT\n")
                || o.ncolumns != 1 || o.columns[0] != diff)
                fail_msg("column %s differing: got\n%s", schema_columns[diff].name, o.text);
        } else if (strcmp(o.text, "2,H1,ok\n3,H1,ok\n")) {
            fail_msg("person-level column %s differing: got\n%s", schema_columns[diff].name, o.text);
        }
        free(o.text);
    }
}

static void test_household_level_columns_are_those_of_the_standard(void **state)
{
    int c;
    (void)state;
    for (c = 0; c < COL_COUNT; c++) {
        int want = c < COL_PERSON_ID;   /* household_id … satisfied */
        if (schema_columns[c].household_level != want)
            fail_msg("column %s: household level should be %d", schema_columns[c].name, want);
    }
}

static void test_chinese_header_names_map_to_the_same_columns(void **state)
{
    outcome o;
    (void)state;
    EXPECT_O(o, "户编号,行政区划代码,户类型,工资性收入,姓名\n"
                "H1,110101001001,贫困户,100,甲\n"
                "H1,110101001001,贫困户,200,乙\n"
                "H2,100101001001,贫困户,100,丙\n",
             "2,H1,HOUSEHOLD_INCONSISTENT", "3,H1,HOUSEHOLD_INCONSISTENT", "4,H2,BAD_REGION");
    assert_int_equal(o.columns[0], COL_WAGE_INCOME);
    free(o.text);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_raw_text_made_again_is_the_line_as_read),
        cmocka_unit_test(test_sound_block_is_evaluated),
        cmocka_unit_test(test_empty_line_inside_a_household_does_not_split_it),
        cmocka_unit_test(test_household_id_compared_after_trimming),
        cmocka_unit_test(test_different_id_text_is_a_different_block),
        cmocka_unit_test(test_row_field_count_too_many_fields),
        cmocka_unit_test(test_row_field_count_too_few_fields),
        cmocka_unit_test(test_row_too_short_for_the_id_has_a_blank_id),
        cmocka_unit_test(test_row_unterminated_quote),
        cmocka_unit_test(test_stray_quote_swallowing_text_of_a_wrong_field_count),
        cmocka_unit_test(test_stray_quote_swallowing_text_of_the_header_field_count),
        cmocka_unit_test(test_stray_quote_line_precedes_encoding),
        cmocka_unit_test(test_nul_in_household_id_joins_its_household),
        cmocka_unit_test(test_bom_at_the_start_of_a_data_line_joins_its_household),
        cmocka_unit_test(test_nul_elsewhere_in_the_row_is_row_encoding),
        cmocka_unit_test(test_control_character_in_household_id),
        cmocka_unit_test(test_control_character_id_precedes_split),
        cmocka_unit_test(test_block_hid_has_control),
        cmocka_unit_test(test_row_unterminated_quote_precedes_encoding),
        cmocka_unit_test(test_row_encoding),
        cmocka_unit_test(test_row_encoding_precedes_field_count),
        cmocka_unit_test(test_each_faulty_row_gets_its_own_code),
        cmocka_unit_test(test_row_codes_precede_block_codes),
        cmocka_unit_test(test_bad_household_id_blank),
        cmocka_unit_test(test_bad_household_id_precedes_region_and_status),
        cmocka_unit_test(test_blank_ids_are_never_a_split),
        cmocka_unit_test(test_household_split_after_evaluated_block),
        cmocka_unit_test(test_household_split_after_rejected_block),
        cmocka_unit_test(test_household_split_after_row_rejected_block),
        cmocka_unit_test(test_household_split_every_later_block),
        cmocka_unit_test(test_household_split_precedes_region_and_status),
        cmocka_unit_test(test_household_split_only_for_the_same_id_text),
        cmocka_unit_test(test_household_split_detected_among_many_ids),
        cmocka_unit_test(test_region_province_ranges_at_their_bounds),
        cmocka_unit_test(test_region_must_be_twelve_ascii_digits),
        cmocka_unit_test(test_bad_region_rejects_every_row),
        cmocka_unit_test(test_bad_region_precedes_bad_status),
        cmocka_unit_test(test_region_of_later_rows_differing_is_inconsistent),
        cmocka_unit_test(test_bad_status),
        cmocka_unit_test(test_bad_status_precedes_inconsistent),
        cmocka_unit_test(test_inconsistent_names_the_column),
        cmocka_unit_test(test_inconsistent_compares_text_not_value),
        cmocka_unit_test(test_inconsistent_long_values),
        cmocka_unit_test(test_inconsistent_compares_text_after_trimming),
        cmocka_unit_test(test_person_and_extra_columns_may_differ),
        cmocka_unit_test(test_every_household_level_column_is_compared),
        cmocka_unit_test(test_household_level_columns_are_those_of_the_standard),
        cmocka_unit_test(test_chinese_header_names_map_to_the_same_columns),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
