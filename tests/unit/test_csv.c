/* test_csv.c — the CSV reader (core/read/csv.h) against every rule of standard §1.
 *
 * Each test states a rule and the records the standard gives for a small
 * input.  Every input is read with read-buffer sizes 4, 7, 64 and 1 MiB and
 * with a byte source that hands out 1, 2, 5 or all bytes per call, so that
 * each rule is also checked across every buffer boundary.
 *
 * Records are compared in a written-out form:
 *   "LINE: [field] [field] ..." plus " UNTERMINATED" (a quote runs to the end
 *   of the input) or " STRAY" (a stray quote's line, standard §1), and
 *   " BAD_ENCODING" (not UTF-8) and " NUL_BOM" (a NUL byte or a byte-order
 *   mark)
 * with LF, CR, TAB and NUL inside a field shown as \n, \r, \t and \0.
 * EXPECT_H reads as the engine does after the header: the first record's
 * field count is the header's, against which stray quotes are found. */
#define _POSIX_C_SOURCE 200809L
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csv.h"

/* ---- an in-memory byte source ------------------------------------------- */

typedef struct memsrc {
    const char *p;
    size_t n, pos, chunk;
    int fail_at;          /* >0: return -1 once pos reaches this offset */
} memsrc;

static long mem_read(void *ctx, char *buf, size_t len)
{
    memsrc *m = ctx;
    size_t k = m->n - m->pos;
    if (m->fail_at > 0 && m->pos >= (size_t)m->fail_at) {
        errno = EIO;
        return -1;
    }
    if (k > len) k = len;
    if (k > m->chunk) k = m->chunk;
    memcpy(buf, m->p + m->pos, k);
    m->pos += k;
    return (long)k;
}

static const size_t bufsizes[] = { 4, 7, 64, 1u << 20 };
static const size_t chunks[] = { 1, 2, 5, (size_t)-1 };
#define NELEM(a) (sizeof (a) / sizeof (a)[0])

/* ---- records written out --------------------------------------------------- */

typedef struct sbuf { char *p; size_t n, cap; } sbuf;

static void sb_putc(sbuf *s, char c)
{
    if (s->n + 2 > s->cap) {
        s->cap = s->cap ? 2 * s->cap : 256;
        s->p = realloc(s->p, s->cap);
        assert_non_null(s->p);
    }
    s->p[s->n++] = c;
    s->p[s->n] = '\0';
}

static void sb_puts(sbuf *s, const char *t) { while (*t) sb_putc(s, *t++); }

static void sb_init(sbuf *s)
{
    s->cap = 256;
    s->n = 0;
    s->p = malloc(s->cap);
    assert_non_null(s->p);
    s->p[0] = '\0';
}

static void sb_escaped(sbuf *s, const char *p, size_t n)
{
    size_t i;
    for (i = 0; i < n; i++) {
        if (p[i] == '\n') sb_puts(s, "\\n");
        else if (p[i] == '\r') sb_puts(s, "\\r");
        else if (p[i] == '\t') sb_puts(s, "\\t");
        else if (p[i] == '\0') sb_puts(s, "\\0");
        else sb_putc(s, p[i]);
    }
}

static void sb_record(sbuf *s, const csv_record *r, int with_raw)
{
    char num[32];
    size_t i;
    snprintf(num, sizeof num, "%ld:", r->line);
    sb_puts(s, num);
    for (i = 0; i < r->nfields; i++) {
        sb_puts(s, " [");
        sb_escaped(s, r->fields[i].p, r->fields[i].n);
        sb_putc(s, ']');
        if (r->fields[i].p[r->fields[i].n] != '\0') sb_puts(s, "(not NUL-terminated)");
    }
    if (r->unterminated == CSV_UNTERM_STRAY) sb_puts(s, " STRAY");
    else if (r->unterminated) sb_puts(s, " UNTERMINATED");
    if (r->bad_encoding & CSV_TEXT_INVALID) sb_puts(s, " BAD_ENCODING");
    if (r->bad_encoding & CSV_TEXT_NUL_BOM) sb_puts(s, " NUL_BOM");
    if (with_raw) {
        sb_puts(s, " raw=");
        sb_escaped(s, r->raw, r->raw_len);
    }
}

#define HEADER 2    /* read_all: the first record is the header */

/* Reads all of input with the given sizes; every record written out, one a
 * line.  RETURN: the text (caller frees). */
static char *read_all(const char *input, size_t len, size_t bufsize, size_t chunk, int with_raw)
{
    memsrc m = { input, len, 0, chunk, 0 };
    csv_reader *r = csv_open(mem_read, &m, bufsize, 64u << 20);
    csv_record rec;
    sbuf s;
    int rc, first = 1;
    assert_non_null(r);
    sb_init(&s);
    while ((rc = csv_next(r, &rec)) == 1) {
        if (first && (with_raw & HEADER)) csv_set_header_fields(r, rec.nfields);
        first = 0;
        sb_record(&s, &rec, with_raw & 1);
        sb_putc(&s, '\n');
    }
    assert_int_equal(rc, 0);
    assert_int_equal(csv_offset(r), len);
    csv_close(r);
    return s.p;
}

static void check_all_sizes(const char *input, size_t len, const char *const *want, int with_raw)
{
    sbuf exp;
    size_t i, j;
    sb_init(&exp);
    for (; *want; want++) {
        sb_puts(&exp, *want);
        sb_putc(&exp, '\n');
    }
    for (i = 0; i < NELEM(bufsizes); i++) {
        for (j = 0; j < NELEM(chunks); j++) {
            char *got = read_all(input, len, bufsizes[i], chunks[j], with_raw);
            if (strcmp(got, exp.p) != 0) {
                print_error("read-buffer size %zu, source chunk %zu:\n--- want\n%s--- got\n%s",
                            bufsizes[i], chunks[j], exp.p, got);
                free(got);
                free(exp.p);
                fail();
            }
            free(got);
        }
    }
    free(exp.p);
}

/* EXPECT(input, "1: [a]", ...): the input gives exactly these records. */
#define EXPECT(input, ...) \
    check_all_sizes(input, sizeof(input) - 1, (const char *const[]){ __VA_ARGS__, NULL }, 0)
#define EXPECT_RAW(input, ...) \
    check_all_sizes(input, sizeof(input) - 1, (const char *const[]){ __VA_ARGS__, NULL }, 1)
#define EXPECT_H(input, ...) \
    check_all_sizes(input, sizeof(input) - 1, (const char *const[]){ __VA_ARGS__, NULL }, HEADER)
#define EXPECT_H_RAW(input, ...) \
    check_all_sizes(input, sizeof(input) - 1, (const char *const[]){ __VA_ARGS__, NULL }, HEADER | 1)
#define EXPECT_NONE(input) \
    check_all_sizes(input, sizeof(input) - 1, (const char *const[]){ NULL }, 0)

/* ---- line breaks ------------------------------------------------------------ */

/* tuopin explain seeks back to a record: csv_record_offset gives where each
 * record began (a BOM, empty lines, CRLF and a quoted line break before it),
 * and csv_set_position there reads that record again, with its line. */
static void test_record_offset_reads_the_record_again(void **state)
{
    static const char in[] = "\xEF\xBB\xBF" "a,b\r\n\n1,\"x\ny\"\r\n\r\n2,z\n3,w";
    static const size_t want_off[] = { 3, 9, 20, 24 };
    static const long want_line[] = { 1, 3, 6, 7 };
    unsigned long long off[4];
    long line[4];
    char first[4][16];
    memsrc m = { in, sizeof in - 1, 0, 5, 0 };
    csv_reader *r = csv_open(mem_read, &m, 8, 1u << 20);
    csv_record rec;
    int i;
    (void)state;
    for (i = 0; i < 4; i++) {
        assert_int_equal(csv_next(r, &rec), 1);
        off[i] = csv_record_offset(r);
        line[i] = rec.line;
        snprintf(first[i], sizeof first[i], "%s", rec.fields[0].p);
        assert_int_equal(off[i], want_off[i]);
        assert_int_equal(line[i], want_line[i]);
    }
    for (i = 3; i >= 0; i--) {
        m.pos = (size_t)off[i];
        csv_set_position(r, off[i], line[i]);
        assert_int_equal(csv_next(r, &rec), 1);
        assert_int_equal(rec.line, line[i]);
        assert_string_equal(rec.fields[0].p, first[i]);
        assert_int_equal(csv_record_offset(r), off[i]);
    }
    assert_string_equal(rec.fields[1].p, "b");
    csv_close(r);
}

static void test_lf_ends_a_record(void **state)
{
    (void)state;
    EXPECT("a,b\nc,d\n", "1: [a] [b]", "2: [c] [d]");
}

static void test_crlf_ends_a_record(void **state)
{
    (void)state;
    EXPECT("a,b\r\nc,d\r\n", "1: [a] [b]", "2: [c] [d]");
}

static void test_lf_and_crlf_mixed_in_one_file(void **state)
{
    (void)state;
    EXPECT("a\r\nb\nc\r\nd\n", "1: [a]", "2: [b]", "3: [c]", "4: [d]");
}

static void test_last_record_without_final_newline(void **state)
{
    (void)state;
    EXPECT("a,b\nc,d", "1: [a] [b]", "2: [c] [d]");
    EXPECT("a,b\r\nc,d", "1: [a] [b]", "2: [c] [d]");
    EXPECT("a\n\"x,y\"", "1: [a]", "2: [x,y]");
    EXPECT("a\nb,", "1: [a]", "2: [b] []");
    EXPECT("only", "1: [only]");
}

static void test_empty_input_has_no_records(void **state)
{
    (void)state;
    EXPECT_NONE("");
    EXPECT_NONE("\n");
    EXPECT_NONE("\r\n\r\n\n");
}

/* ---- byte-order mark -------------------------------------------------------- */

static void test_utf8_bom_is_skipped(void **state)
{
    (void)state;
    EXPECT("\xEF\xBB\xBFhousehold_id,x\nH1,2\n", "1: [household_id] [x]", "2: [H1] [2]");
    EXPECT("\xEF\xBB\xBF\"q\",x\r\n", "1: [q] [x]");
}

static void test_bom_then_empty_line_counts_the_line(void **state)
{
    (void)state;
    EXPECT("\xEF\xBB\xBF\na\n", "2: [a]");
}

static void test_bom_is_skipped_only_at_the_start_of_input(void **state)
{
    (void)state;
    /* The same bytes later stay in the text, and the record holds a
     * byte-order mark other than the file's first: ROW_ENCODING. */
    EXPECT("a\n\xEF\xBB\xBF" "b\n", "1: [a]", "2: [\xEF\xBB\xBF" "b] NUL_BOM");
    EXPECT("\xEF\xBB\xBF\xEF\xBB\xBF" "a\n", "1: [\xEF\xBB\xBF" "a] NUL_BOM");
}

static void test_input_of_only_a_bom_has_no_records(void **state)
{
    (void)state;
    EXPECT_NONE("\xEF\xBB\xBF");
    EXPECT_NONE("\xEF\xBB\xBF\r\n");
}

/* ---- trimming and empty fields ---------------------------------------------- */

static void test_fields_trimmed_of_spaces_and_tabs(void **state)
{
    (void)state;
    EXPECT("  a  ,\tb\t, \t c \t \n", "1: [a] [b] [c]");
    EXPECT("a  \r\n", "1: [a]");
}

static void test_inner_spaces_and_tabs_kept(void **state)
{
    (void)state;
    EXPECT(" a b\tc ,x\n", "1: [a b\\tc] [x]");
}

static void test_only_spaces_and_tabs_trimmed(void **state)
{
    (void)state;
    /* U+3000 (ideographic space) is not an ASCII space or tab. */
    EXPECT("\xE3\x80\x80" "a\xE3\x80\x80\n", "1: [\xE3\x80\x80" "a\xE3\x80\x80]");
}

static void test_empty_fields_kept(void **state)
{
    (void)state;
    EXPECT("a,,b\n", "1: [a] [] [b]");
    EXPECT("a,\n", "1: [a] []");
    EXPECT(",\n", "1: [] []");
    EXPECT(",,\r\n", "1: [] [] []");
    EXPECT("a, ,b\n", "1: [a] [] [b]");
}

/* ---- quoting ------------------------------------------------------------------ */

static void test_quoted_field_holds_commas(void **state)
{
    (void)state;
    EXPECT("\"a,b\",c\n", "1: [a,b] [c]");
    EXPECT("x,\"note, with comma\"\n", "1: [x] [note, with comma]");
}

static void test_doubled_quote_stands_for_one_quote(void **state)
{
    (void)state;
    EXPECT("\"say \"\"hi\"\"\",x\n", "1: [say \"hi\"] [x]");
    EXPECT("\"\"\"\"\n", "1: [\"]");
    EXPECT("\"a\"\"\"\n", "1: [a\"]");
}

static void test_quoted_empty_field(void **state)
{
    (void)state;
    EXPECT("\"\",x\n", "1: [] [x]");
    EXPECT("x,\"\"\n", "1: [x] []");
}

static void test_quoted_field_holds_lf(void **state)
{
    (void)state;
    EXPECT("\"line1\nline2\",x\nnext,y\n", "1: [line1\\nline2] [x]", "3: [next] [y]");
}

static void test_quoted_field_holds_crlf(void **state)
{
    (void)state;
    EXPECT("\"a\r\nb\",c\r\nd\r\n", "1: [a\\r\\nb] [c]", "3: [d]");
}

static void test_empty_line_inside_quoted_field_is_kept(void **state)
{
    (void)state;
    /* Only empty lines between records are skipped; inside quotes they are text. */
    EXPECT("\"a\n\nb\",c\nd\n", "1: [a\\n\\nb] [c]", "4: [d]");
    EXPECT("\"a\r\n\r\nb\"\r\nd\r\n", "1: [a\\r\\n\\r\\nb]", "4: [d]");
}

static void test_quoted_field_keeps_text_after_closing_quote(void **state)
{
    (void)state;
    EXPECT("\"ab\"cd,x\n", "1: [abcd] [x]");
    EXPECT("\"a,b\"c d\n", "1: [a,bc d]");
}

static void test_text_after_closing_quote_is_trimmed(void **state)
{
    (void)state;
    EXPECT("\"ab\"   ,x\n", "1: [ab] [x]");
    EXPECT("\"ab\" cd \t,x\n", "1: [ab cd] [x]");
    EXPECT("\"ab\"  \r\n", "1: [ab]");
}

static void test_quote_after_closing_quote_is_ordinary(void **state)
{
    (void)state;
    /* The field ends at the first lone quote; what follows up to the comma is
     * kept, quotes included. */
    EXPECT("\"a\"b\"c\",x\n", "1: [ab\"c\"] [x]");
    EXPECT("\"a\"\",\"b\n", "1: [a\",b]");
}

static void test_field_is_quoted_when_first_nonblank_char_is_quote(void **state)
{
    (void)state;
    EXPECT("  \"a,b\"  ,c\n", "1: [a,b] [c]");
    EXPECT("\t\"x,y\",z\n", "1: [x,y] [z]");
}

static void test_quoted_text_is_trimmed_after_unquoting(void **state)
{
    (void)state;
    EXPECT("\" a \",\"\tb\t\"\n", "1: [a] [b]");
    EXPECT("\"  \"\n", "1: []");
}

static void test_quote_inside_unquoted_field_is_ordinary(void **state)
{
    (void)state;
    EXPECT("ab\"c,d\n", "1: [ab\"c] [d]");
    EXPECT("5\" pipe,x\n", "1: [5\" pipe] [x]");
    EXPECT("a\"\n", "1: [a\"]");
}

static void test_quote_inside_unquoted_field_does_not_start_quoting(void **state)
{
    (void)state;
    /* The comma and the line break still end the field. */
    EXPECT("a\"b,c\"d\ne\n", "1: [a\"b] [c\"d]", "2: [e]");
}

/* ---- carriage returns -------------------------------------------------------- */

static void test_lone_cr_is_ordinary(void **state)
{
    (void)state;
    EXPECT("a\rb,c\n", "1: [a\\rb] [c]");
    EXPECT("x\n\ry\n", "1: [x]", "2: [\\ry]");
}

static void test_lone_cr_before_crlf_is_ordinary(void **state)
{
    (void)state;
    EXPECT("a\r\r\nb\n", "1: [a\\r]", "2: [b]");
    EXPECT("x\n\r\r\ny\n", "1: [x]", "2: [\\r]", "3: [y]");
}

static void test_lone_cr_at_end_of_input_is_ordinary(void **state)
{
    (void)state;
    EXPECT("a,b\r", "1: [a] [b\\r]");
}

static void test_lone_cr_is_not_a_line_break(void **state)
{
    (void)state;
    EXPECT("a\rb\nc\n", "1: [a\\rb]", "2: [c]");
    EXPECT("\"a\rb\",c\nd\n", "1: [a\\rb] [c]", "2: [d]");
}

/* ---- empty lines and blank lines --------------------------------------------- */

static void test_empty_lines_are_skipped(void **state)
{
    (void)state;
    EXPECT("a\n\n\nb\n", "1: [a]", "4: [b]");
}

static void test_empty_crlf_lines_are_skipped(void **state)
{
    (void)state;
    EXPECT("a\r\n\r\n\r\nb\r\n", "1: [a]", "4: [b]");
    EXPECT("a\n\r\n\nb", "1: [a]", "4: [b]");
}

static void test_empty_lines_before_the_first_record_are_skipped(void **state)
{
    (void)state;
    EXPECT("\n\r\n\nh\n", "4: [h]");
}

static void test_empty_lines_at_the_end_are_skipped(void **state)
{
    (void)state;
    EXPECT("a\n\n\r\n\n", "1: [a]");
}

static void test_line_of_only_spaces_is_one_blank_field(void **state)
{
    (void)state;
    EXPECT("a\n   \nb\n", "1: [a]", "2: []", "3: [b]");
    EXPECT("a\r\n \t \r\nb\r\n", "1: [a]", "2: []", "3: [b]");
    EXPECT("a\n  ", "1: [a]", "2: []");
}

/* ---- physical line numbers ----------------------------------------------------- */

static void test_line_number_is_where_the_record_starts(void **state)
{
    (void)state;
    EXPECT("h,x\n\"a\nb\nc\",1\nnext,2\n\"p\r\nq\",3\r\n\r\nlast,4\n",
           "1: [h] [x]", "2: [a\\nb\\nc] [1]", "5: [next] [2]", "6: [p\\r\\nq] [3]",
           "9: [last] [4]");
}

static void test_line_numbers_after_several_multiline_fields_in_one_record(void **state)
{
    (void)state;
    EXPECT("\"1\n2\",\"3\n4\n5\",x\ny\n", "1: [1\\n2] [3\\n4\\n5] [x]", "5: [y]");
}

/* ---- unterminated quotes ------------------------------------------------------------ */

static void test_unterminated_quote_runs_to_end_of_file(void **state)
{
    (void)state;
    /* The quoted field swallows the rest of the input: one last record. */
    EXPECT("a,b\n\"xyz,1\nc,d\n", "1: [a] [b]", "2: [xyz,1\\nc,d\\n] UNTERMINATED");
}

static void test_unterminated_quote_in_a_later_field(void **state)
{
    (void)state;
    EXPECT("h1,h2,h3\nA,\"bc", "1: [h1] [h2] [h3]", "2: [A] [bc] UNTERMINATED");
}

static void test_unterminated_quote_after_doubled_quotes(void **state)
{
    (void)state;
    /* "" is one quote, not the end of the field. */
    EXPECT("\"a\"\"", "1: [a\"] UNTERMINATED");
}

static void test_closed_quote_at_end_of_input_is_terminated(void **state)
{
    (void)state;
    EXPECT("\"a\"", "1: [a]");
    EXPECT("\"\"", "1: []");
}


/* ---- stray quotes (standard §1) ----------------------------------------------------- */

static void test_stray_quote_whose_swallowed_text_gives_a_wrong_field_count(void **state)
{
    (void)state;
    /* Without the rule: one record [1] [A,x\n2,B,y\n3,C] [z] [w] of four
     * fields.  Line 3 read on its own has the header's three: the quote on
     * line 2 is a stray; line 2 alone is the record, split at every comma. */
    EXPECT_H("h,i,j\n1,\"A,x\n2,B,y\n3,C\",z,w\n",
             "1: [h] [i] [j]", "2: [1] [\"A] [x] STRAY", "3: [2] [B] [y]", "4: [3] [C\"] [z] [w]");
}

static void test_stray_quote_whose_swallowed_text_gives_the_header_field_count(void **state)
{
    (void)state;
    /* Without the rule: [1] [A,x\n2,B,y\n3,C] [z], three fields, no fault
     * at all — households 2 and 3 would vanish into household 1's field. */
    EXPECT_H("h,i,j\n1,\"A,x\n2,B,y\n3,C\",z\n",
             "1: [h] [i] [j]", "2: [1] [\"A] [x] STRAY", "3: [2] [B] [y]", "4: [3] [C\"] [z]");
}

static void test_stray_quote_raw_is_its_first_line(void **state)
{
    (void)state;
    EXPECT_H_RAW("h,i,j\r\n1, \"A ,x\r\n2,B,y\r\n",
                 "1: [h] [i] [j] raw=h,i,j", "2: [1] [\"A] [x] STRAY raw=1, \"A ,x",
                 "3: [2] [B] [y] raw=2,B,y");
}

static void test_legitimate_line_break_in_a_quoted_field_is_kept(void **state)
{
    (void)state;
    /* Line 3, "more\",x", has two fields on its own, not the header's three. */
    EXPECT_H("h,i,j\n1,\"note\nmore\",x\n2,b,c\n", "1: [h] [i] [j]",
             "2: [1] [note\\nmore] [x]", "4: [2] [b] [c]");
    /* several lines, none with three fields, CR LF inside */
    EXPECT_H("h,i,j\n1,\"a\r\nb\n\nc,d,e,f\",x\n", "1: [h] [i] [j]",
             "2: [1] [a\\r\\nb\\n\\nc,d,e,f] [x]");
}

static void test_line_break_in_a_first_field_reads_as_a_stray(void **state)
{
    (void)state;
    /* The rule as written: a quoted field that is the record's first and
     * breaks its line leaves the record's other fields — all but one — on
     * the last line, which then has the header's number of fields when the
     * header has... one more than that.  Here three: "y\",1,2". */
    EXPECT_H("h,i,j\n\"x\ny\",1,2\n", "1: [h] [i] [j]", "2: [\"x] STRAY", "3: [y\"] [1] [2]");
}

static void test_later_line_fields_are_counted_with_quotes(void **state)
{
    (void)state;
    /* Line 3 read on its own as a record is [2] [B,C]: two fields, not the
     * header's three (split at every comma it would be three).  So the
     * quote on line 2 is no stray, and the record is [1] [A\n2,B] [C"] —
     * the rule as written, which looks at field counts only. */
    EXPECT_H("h,i,j\n1,\"A\n2,\"B,C\"\n3,D,E\n",
             "1: [h] [i] [j]", "2: [1] [A\\n2,B] [C\"]", "4: [3] [D] [E]");
}

static void test_recovery_restarts_at_a_line_that_opens_a_quote(void **state)
{
    (void)state;
    /* Line 2's quote closes at line 3's, so line 3 — [2] [B] on its own,
     * the header's two fields — is inside the record: a stray.  Reading
     * starts again at line 3, whose own quote swallows line 4; line 4 on
     * its own has two fields: a stray again. */
    EXPECT_H("a,b\n1,\"A\n2,\"B\nC\",y\n",
             "1: [a] [b]", "2: [1] [\"A] STRAY", "3: [2] [\"B] STRAY", "4: [C\"] [y]");
}

static void test_stray_quote_open_to_the_end_of_the_file(void **state)
{
    (void)state;
    /* No quote closes it, but line 3 has the header's fields: a stray. */
    EXPECT_H("h,i,j\n1,\"A,x\n2,B,y", "1: [h] [i] [j]", "2: [1] [\"A] [x] STRAY", "3: [2] [B] [y]");
    /* No later line has three fields: the quote runs to the end of the file. */
    EXPECT_H("h,i,j\n1,\"A,x\n2,B\n\n", "1: [h] [i] [j]", "2: [1] [A,x\\n2,B\\n\\n] UNTERMINATED");
}

static void test_stray_quote_skips_empty_lines_after_it(void **state)
{
    (void)state;
    EXPECT_H("h,i,j\n1,\"A,x\n\n\r\n2,B,y\n3,C,z\n",
             "1: [h] [i] [j]", "2: [1] [\"A] [x] STRAY", "5: [2] [B] [y]", "6: [3] [C] [z]");
}

static void test_no_stray_check_before_the_header(void **state)
{
    (void)state;
    /* EXPECT (no header given): a record over several lines stays one. */
    EXPECT("h,i,j\n1,\"A,x\n2,B,y\n3,C\",z\n", "1: [h] [i] [j]", "2: [1] [A,x\\n2,B,y\\n3,C] [z]");
}

static void test_stray_quote_found_within_the_record_limit(void **state)
{
    /* The quote swallows far more than max_record bytes; line 3 is within
     * them, so the stray is found — with every buffer size, before the
     * reader gives up on the record's length. */
    static char input[8192];
    size_t i, n = 0, b;
    (void)state;
    n += (size_t)sprintf(input + n, "h,i,j\n1,\"A,x\n2,B,y\n");
    for (i = 0; n + 16 < sizeof input; i++) n += (size_t)sprintf(input + n, "%zu,C,z\n", i);
    for (b = 0; b < NELEM(bufsizes); b++) {
        memsrc m = { input, n, 0, 5, 0 };
        csv_reader *r = csv_open(mem_read, &m, bufsizes[b], 64);
        csv_record rec;
        size_t k = 0;
        int rc;
        assert_non_null(r);
        while ((rc = csv_next(r, &rec)) == 1) {
            if (k == 0) csv_set_header_fields(r, rec.nfields);
            if (k == 1) {
                assert_int_equal(rec.unterminated, CSV_UNTERM_STRAY);
                assert_int_equal(rec.line, 2);
            } else {
                assert_int_equal(rec.unterminated, 0);
                assert_int_equal(rec.nfields, 3);
            }
            k++;
        }
        assert_int_equal(rc, 0);
        assert_int_equal(k, 3 + i);
        csv_close(r);
    }
}

static void test_line_fields_of_a_line_on_its_own(void **state)
{
    (void)state;
    assert_int_equal(csv_line_fields("", 0), 0);
    assert_int_equal(csv_line_fields("   ", 3), 1);
    assert_int_equal(csv_line_fields("a,b,c", 5), 3);
    assert_int_equal(csv_line_fields("a,\"b,c\",d", 9), 3);
    assert_int_equal(csv_line_fields("a, \"b,\"\"c\" x,d", 14), 3);
    assert_int_equal(csv_line_fields("a,\"b,c", 6), 2);     /* open to the line's end */
    assert_int_equal(csv_line_fields("a,b\"c,d", 7), 3);    /* a quote inside: ordinary */
    assert_int_equal(csv_line_fields("a,b,\r", 5), 3);      /* a lone CR is text */
}

static size_t lines_of(const char *input, size_t len, size_t header)
{
    memsrc m = { input, len, 0, (size_t)-1, 0 };
    csv_reader *r = csv_open(mem_read, &m, 7, 1024);
    csv_record rec;
    unsigned long long n;
    int first = 1;
    assert_non_null(r);
    while (csv_next(r, &rec) == 1) {
        if (first && header) csv_set_header_fields(r, rec.nfields);
        first = 0;
    }
    n = csv_lines(r);
    csv_close(r);
    return (size_t)n;
}
#define LINES(input, header) lines_of(input, sizeof(input) - 1, header)

static void test_physical_lines_are_counted(void **state)
{
    (void)state;
    assert_int_equal(LINES("", 0), 0);
    assert_int_equal(LINES("a", 0), 1);
    assert_int_equal(LINES("a\n", 0), 1);
    assert_int_equal(LINES("a\r\nb", 0), 2);
    assert_int_equal(LINES("a\n\n\r\nb\n", 0), 4);
    assert_int_equal(LINES("a\n\"x\ny\"\n", 0), 3);
    assert_int_equal(LINES("a\n\"x\ny\n", 0), 3);                     /* open to the end */
    assert_int_equal(LINES("h,i\n1,\"A\n2,B\n3,C", 1), 4);            /* a stray */
    assert_int_equal(LINES("\xEF\xBB\xBF" "a\nb\n", 0), 2);
}

/* ---- NUL bytes and byte-order marks (standard §1, ROW_ENCODING) ---------------------- */

static void test_nul_byte_is_flagged(void **state)
{
    (void)state;
    EXPECT("a,b\n1,x\0y\n2,z\n", "1: [a] [b]", "2: [1] [x\\0y] NUL_BOM", "3: [2] [z]");
    /* in a quoted field, and in a record long enough for the vector path */
    EXPECT("a,b\n1,\"x\0\"\n", "1: [a] [b]", "2: [1] [x\\0] NUL_BOM");
    EXPECT("household,0123456789abcdef\0,0123456789abcdef\n",
           "1: [household] [0123456789abcdef\\0] [0123456789abcdef] NUL_BOM");
    EXPECT("\0\n", "1: [\\0] NUL_BOM");
    /* with bytes that are not UTF-8 too */
    EXPECT("\xFF\0\n", "1: [\xFF\\0] BAD_ENCODING NUL_BOM");
}

static void test_bom_inside_a_line_is_flagged(void **state)
{
    (void)state;
    EXPECT("a,b\nH1\xEF\xBB\xBF,x\n", "1: [a] [b]", "2: [H1\xEF\xBB\xBF] [x] NUL_BOM");
    /* the start of a second file pasted under the first, in a long record */
    EXPECT("a,b\n\xEF\xBB\xBF" "household_id_and_more,0123456789abcdef\n",
           "1: [a] [b]", "2: [\xEF\xBB\xBF" "household_id_and_more] [0123456789abcdef] NUL_BOM");
    /* U+FEFF's neighbours are text */
    EXPECT("\xEF\xBB\xBE,\xEF\xBF\xBF\n", "1: [\xEF\xBB\xBE] [\xEF\xBF\xBF]");
}

static void test_key_read_without_nul_and_bom(void **state)
{
    char out[32];
    (void)state;
    assert_int_equal(csv_key_clean("H\0" "1", 3, out), 2);
    assert_string_equal(out, "H1");
    assert_int_equal(csv_key_clean("\xEF\xBB\xBF" "H1", 5, out), 2);
    assert_string_equal(out, "H1");
    assert_int_equal(csv_key_clean("\xEF\xBB\xBF H1 \0", 8, out), 2);   /* then trimmed */
    assert_string_equal(out, "H1");
    assert_int_equal(csv_key_clean("\xEF\xBB", 2, out), 2);              /* not a BOM */
    assert_int_equal(csv_key_clean("\0\0", 2, out), 0);
}

static void test_text_check_vector_matches_the_scalar_one(void **state)
{
    static const char *const pieces[] = { "a", ",", "\xE4\xB8\xAD", "\xEF\xBB\xBF", "\xEF\xBB",
                                          "\xBB\xBF", "\xEF", "\xBF", "\x80", "\xF5", "", "\xEF\xBF\xBF" };
    unsigned long long x = 0x9E3779B97F4A7C15ULL;
    char buf[128];
    size_t at, i;
    int k;
    (void)state;
    /* a NUL or a BOM at every offset around the 16-byte blocks */
    for (at = 0; at < 40; at++) {
        size_t len;
        for (len = at + 3; len < 48; len++) {
            memset(buf, 'a', sizeof buf);
            memcpy(buf + at, "\xEF\xBB\xBF", 3);
            assert_int_equal(csv_text_check(buf, len), CSV_TEXT_NUL_BOM);
            memset(buf, 'a', sizeof buf);
            buf[at] = '\0';
            assert_int_equal(csv_text_check(buf, len), CSV_TEXT_NUL_BOM);
            buf[at] = 'a';
            assert_int_equal(csv_text_check(buf, len), 0);
        }
    }
    /* random text of the pieces (a NUL is piece 10, one byte) */
    for (k = 0; k < 200000; k++) {
        size_t n = 0, want;
        x ^= x << 13; x ^= x >> 7; x ^= x << 17;
        want = 16 + (size_t)(x % 65);
        while (n < want) {
            size_t p, len;
            x ^= x << 13; x ^= x >> 7; x ^= x << 17;
            p = (size_t)((x >> 8) % NELEM(pieces));
            /* pieces other than a, comma and a Chinese character one time in ten */
            if (p > 2 && x % 10) p = (size_t)((x >> 16) % 3);
            len = p == 10 ? 1 : strlen(pieces[p]);
            if (n + len > sizeof buf) break;
            for (i = 0; i < len; i++) buf[n + i] = pieces[p][i];
            n += len;
        }
        assert_int_equal(csv_text_check(buf, n), csv_text_check_scalar(buf, n));
    }
}

/* ---- encoding ------------------------------------------------------------------------- */

static void test_invalid_utf8_is_flagged(void **state)
{
    (void)state;
    EXPECT("a,\xFF\nb\n", "1: [a] [\xFF] BAD_ENCODING", "2: [b]");
}

static void test_invalid_utf8_forms_are_flagged(void **state)
{
    (void)state;
    /* overlong '/', a UTF-16 surrogate, above U+10FFFF, a truncated
     * sequence, a lone continuation byte, GB18030 bytes of 是 */
    EXPECT("\xC0\xAF\n", "1: [\xC0\xAF] BAD_ENCODING");
    EXPECT("\xE0\x80\xAF\n", "1: [\xE0\x80\xAF] BAD_ENCODING");
    EXPECT("\xED\xA0\x80\n", "1: [\xED\xA0\x80] BAD_ENCODING");
    EXPECT("\xF4\x90\x80\x80\n", "1: [\xF4\x90\x80\x80] BAD_ENCODING");
    EXPECT("\xE6\x98,x\n", "1: [\xE6\x98] [x] BAD_ENCODING");
    EXPECT("\x80\n", "1: [\x80] BAD_ENCODING");
    EXPECT("\xCA\xC7\n", "1: [\xCA\xC7] BAD_ENCODING");
}

static void test_sequence_cut_by_a_line_break_is_invalid_on_both_lines(void **state)
{
    (void)state;
    EXPECT("\xE6\n\x98\xAF\n", "1: [\xE6] BAD_ENCODING", "2: [\x98\xAF] BAD_ENCODING");
}

static void test_valid_utf8_is_not_flagged(void **state)
{
    (void)state;
    EXPECT("户编号,是,\xF0\x9F\x98\x80\n", "1: [户编号] [是] [\xF0\x9F\x98\x80]");
}

static void test_invalid_utf8_inside_quoted_field_is_flagged(void **state)
{
    (void)state;
    EXPECT("\"a\n\xFF\",b\nc\n", "1: [a\\n\xFF] [b] BAD_ENCODING", "3: [c]");
}

static void test_utf8_validity_function(void **state)
{
    (void)state;
    assert_true(csv_utf8_valid("", 0));
    assert_true(csv_utf8_valid("abc", 3));
    assert_true(csv_utf8_valid("\xC2\x80", 2));               /* U+0080 */
    assert_true(csv_utf8_valid("\xEF\xBF\xBF", 3));           /* U+FFFF */
    assert_true(csv_utf8_valid("\xED\x9F\xBF", 3));           /* U+D7FF */
    assert_true(csv_utf8_valid("\xF4\x8F\xBF\xBF", 4));       /* U+10FFFF */
    assert_false(csv_utf8_valid("\xC1\xBF", 2));              /* overlong */
    assert_false(csv_utf8_valid("\xE0\x9F\xBF", 3));          /* overlong */
    assert_false(csv_utf8_valid("\xF0\x8F\xBF\xBF", 4));      /* overlong */
    assert_false(csv_utf8_valid("\xED\xBF\xBF", 3));          /* surrogate */
    assert_false(csv_utf8_valid("\xF5\x80\x80\x80", 4));
    assert_false(csv_utf8_valid("\xE6\x98", 2));              /* truncated */
    assert_false(csv_utf8_valid("\xE6\x98\x2F", 3));          /* bad continuation */
    assert_false(csv_utf8_valid("\xFE", 1));
}

/* The same cases at positions where the vector validator (16 bytes a
 * block) sees them whole, across a block boundary and at the very end. */
static void check_in_text(const unsigned char *seq, size_t n, int expect)
{
    static const size_t at[] = { 0, 1, 13, 14, 15, 16, 29 };
    size_t k;
    for (k = 0; k < sizeof at / sizeof *at; k++) {
        unsigned char buf[64];
        size_t len;
        memset(buf, 'a', sizeof buf);
        memcpy(buf + at[k], seq, n);
        len = at[k] + n + (k % 2 ? 0 : 5);   /* followed by text, or last */
        if (len < 16) len = 16;
        if (csv_utf8_valid((const char *)buf, len) != expect) {
            size_t i;
            fprintf(stderr, "at %zu, len %zu, expected %d:", at[k], len, expect);
            for (i = 0; i < n; i++) fprintf(stderr, " %02X", seq[i]);
            fprintf(stderr, "\n");
            fail();
        }
    }
}

static void test_utf8_vector_validator_matches_the_scalar_one(void **state)
{
    static const unsigned char edge[] = { 0x00, 0x41, 0x7F, 0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF,
                                          0xC0, 0xC1, 0xC2, 0xDF, 0xE0, 0xED, 0xEF, 0xF0, 0xF4,
                                          0xF5, 0xFF };
    unsigned char seq[4];
    unsigned a, b, c, d;
    unsigned long long x = 88172645463325252ULL;
    int i;
    (void)state;
    /* every sequence of one, two and three bytes */
    for (a = 0; a < 256; a++) {
        seq[0] = (unsigned char)a;
        check_in_text(seq, 1, csv_utf8_valid_scalar((const char *)seq, 1));
        for (b = 0; b < 256; b++) {
            seq[1] = (unsigned char)b;
            check_in_text(seq, 2, csv_utf8_valid_scalar((const char *)seq, 2));
            if (a < 0xC0) continue;      /* three bytes: every lead byte's third byte */
            for (c = 0; c < 256; c++) {
                seq[2] = (unsigned char)c;
                check_in_text(seq, 3, csv_utf8_valid_scalar((const char *)seq, 3));
            }
        }
    }
    /* four bytes: every lead from F0 with every second byte, the rest at the edges */
    for (a = 0xF0; a < 256; a++)
        for (b = 0; b < 256; b++)
            for (c = 0; c < sizeof edge; c++)
                for (d = 0; d < sizeof edge; d++) {
                    seq[0] = (unsigned char)a; seq[1] = (unsigned char)b;
                    seq[2] = edge[c]; seq[3] = edge[d];
                    check_in_text(seq, 4, csv_utf8_valid_scalar((const char *)seq, 4));
                }
    /* random text of valid characters with the odd bad byte, 16 to 80 bytes */
    for (i = 0; i < 200000; i++) {
        static const char *const pieces[] = { "a", ",", "\xC2\x80", "\xDF\xBF", "\xE4\xB8\xAD",
                                              "\xED\x9F\xBF", "\xEF\xBF\xBF", "\xF0\x90\x80\x80",
                                              "\xF4\x8F\xBF\xBF", "\x80", "\xE4\xB8", "\xF5",
                                              "\xED\xA0\x80", "\xC0\xAF" };
        char buf[128];
        size_t n = 0, want;
        x ^= x << 13; x ^= x >> 7; x ^= x << 17;
        want = 16 + (size_t)(x % 65);
        while (n < want) {
            const char *p;
            x ^= x << 13; x ^= x >> 7; x ^= x << 17;
            /* bad pieces (the last five) one time in twenty */
            p = pieces[x % 20 == 0 ? 9 + (x >> 8) % 5 : (x >> 8) % 9];
            if (n + strlen(p) > sizeof buf) break;
            memcpy(buf + n, p, strlen(p));
            n += strlen(p);
        }
        assert_int_equal(csv_utf8_valid(buf, n), csv_utf8_valid_scalar(buf, n));
    }
}

/* ---- raw record text -------------------------------------------------------------------- */

static void test_raw_is_the_record_without_its_line_break(void **state)
{
    (void)state;
    EXPECT_RAW("a, \"b\" \r\n\"c\nd\",e\nf",
               "1: [a] [b] raw=a, \"b\" ",
               "2: [c\\nd] [e] raw=\"c\\nd\",e",
               "4: [f] raw=f");
}

/* ---- buffer sizes ------------------------------------------------------------------------- */

static void test_record_longer_than_the_read_buffer(void **state)
{
    char input[1200], want[1200];
    size_t i;
    (void)state;
    for (i = 0; i < 1000; i++) input[i] = (char)('a' + i % 26);
    memcpy(input + 1000, ",\"x\ny\"\nz\n", 10);
    memcpy(want, "1: [", 4);
    memcpy(want + 4, input, 1000);
    memcpy(want + 1004, "] [x\\ny]", 9);
    check_all_sizes(input, 1009, (const char *const[]){ want, "3: [z]", NULL }, 0);
}

/* One input with every rule at once; the records are the same for every
 * read-buffer size (and equal to what the rules give). */
static void test_read_buffer_sizes_give_identical_records(void **state)
{
    (void)state;
    EXPECT("\xEF\xBB\xBF户编号, name ,note\r\n"
           "\r\n"
           "H1,\"张三\",\"say \"\"hi\"\"\"\r\n"
           "H1, 李四 ,\"line1\r\nline2\"\r\n"
           "\n"
           "H2,\"a\"b c ,x\"y\n"
           "   \n"
           "H3,a\rb,\"p,q\"\n"
           "H4,\xFF,\"\"\n"
           "H5,\t\"t\"\t,end",
           "1: [户编号] [name] [note]",
           "3: [H1] [张三] [say \"hi\"]",
           "4: [H1] [李四] [line1\\r\\nline2]",
           "7: [H2] [ab c] [x\"y]",
           "8: []",
           "9: [H3] [a\\rb] [p,q]",
           "10: [H4] [\xFF] [] BAD_ENCODING",
           "11: [H5] [t] [end]");
}

/* Long rows take the sixteen-bytes-at-a-time path when the read buffer holds
 * them and the byte-at-a-time one when it does not: random rows of the
 * kinds of bytes that matter to either (commas, blanks, CR, quotes, UTF-8
 * and bytes that are not, empty lines) must give the same records, raw text
 * included, whatever the sizes. */
static void test_long_random_rows_read_the_same_whatever_the_buffer(void **state)
{
    static const char *const pieces[] = { "a", "bc", "1234.50", ",", ",", ",", " ", "\t", "\r",
                                          "\xE4\xB8\xAD", "\xE6\x98\xAF", "\xFF", "\"", "\r\n",
                                          "\n", "\n\n", "  ,", ", ", "xxxxxxxxxxxxxxxxxxxx" };
    unsigned long long x = 0x9E3779B97F4A7C15ULL;
    int t;
    (void)state;
    for (t = 0; t < 300; t++) {
        char input[4096];
        size_t n = 0, i, j;
        char *want;
        int quotes = t % 3 == 0;   /* most inputs without a quote, as registry exports */
        while (n < sizeof input - 32) {
            const char *p;
            x ^= x << 13; x ^= x >> 7; x ^= x << 17;
            p = pieces[x % (sizeof pieces / sizeof *pieces)];
            if (!quotes && strchr(p, '"')) continue;
            if (*p == '\n' || !strcmp(p, "\r\n")) {
                x ^= x << 13; x ^= x >> 7; x ^= x << 17;
                if (x % 4) continue;   /* rows of a few dozen pieces */
            }
            memcpy(input + n, p, strlen(p));
            n += strlen(p);
        }
        want = read_all(input, n, 1u << 20, (size_t)-1, 1);
        for (i = 0; i < NELEM(bufsizes); i++)
            for (j = 0; j < NELEM(chunks); j++) {
                char *got = read_all(input, n, bufsizes[i], chunks[j], 1);
                if (strcmp(got, want) != 0) {
                    print_error("input %d, read-buffer size %zu, source chunk %zu:\n--- want\n%s--- got\n%s",
                                t, bufsizes[i], chunks[j], want, got);
                    free(got);
                    free(want);
                    fail();
                }
                free(got);
            }
        free(want);
    }
}

/* ---- errors ---------------------------------------------------------------------------------- */

static void test_record_over_the_size_limit_is_an_error(void **state)
{
    static const char input[] = "ok\n0123456789012345678901234567890123456789\n";
    memsrc m = { input, sizeof input - 1, 0, (size_t)-1, 0 };
    csv_reader *r = csv_open(mem_read, &m, 4, 16);
    csv_record rec;
    (void)state;
    assert_non_null(r);
    assert_int_equal(csv_next(r, &rec), 1);
    assert_int_equal(csv_next(r, &rec), -1);
    assert_non_null(strstr(csv_error(r), "line 2"));    /* names the line */
    csv_close(r);
}

static void test_read_error_is_reported(void **state)
{
    static const char input[] = "a,b\nc,d\ne,f\n";
    memsrc m = { input, sizeof input - 1, 0, 4, 4 };
    csv_reader *r = csv_open(mem_read, &m, 4, 1024);
    csv_record rec;
    int rc;
    (void)state;
    assert_non_null(r);
    while ((rc = csv_next(r, &rec)) == 1) ;
    assert_int_equal(rc, -1);
    assert_true(strlen(csv_error(r)) > 0);
    csv_close(r);
}

/* ---- writing fields ---------------------------------------------------------------------------- */

/* csv_write_field output read back by the reader gives the field again.
 * (Leading and trailing spaces cannot come back: the reader trims every
 * field after unquoting, as the standard says.) */
static void roundtrip(const char *field)
{
    char buf[256];
    FILE *f = fmemopen(buf, sizeof buf, "w");
    memsrc m = { buf, 0, 0, (size_t)-1, 0 };
    csv_reader *r;
    csv_record rec;
    assert_non_null(f);
    csv_write_field(f, field, strlen(field));
    fputs(",end\n", f);
    fclose(f);
    m.n = strlen(buf);
    r = csv_open(mem_read, &m, 64, 1024);
    assert_non_null(r);
    assert_int_equal(csv_next(r, &rec), 1);
    assert_int_equal(rec.nfields, 2);
    assert_int_equal(rec.fields[0].n, strlen(field));
    assert_memory_equal(rec.fields[0].p, field, strlen(field));
    assert_string_equal(rec.fields[1].p, "end");
    csv_close(r);
}

static void test_written_fields_read_back_unchanged(void **state)
{
    (void)state;
    roundtrip("plain");
    roundtrip("");
    roundtrip("a,b");
    roundtrip("say \"hi\"");
    roundtrip("\"");
    roundtrip("line1\nline2");
    roundtrip("a\r\nb");
    roundtrip("a\rb");
    roundtrip("说明，带逗号");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_lf_ends_a_record),
        cmocka_unit_test(test_crlf_ends_a_record),
        cmocka_unit_test(test_lf_and_crlf_mixed_in_one_file),
        cmocka_unit_test(test_last_record_without_final_newline),
        cmocka_unit_test(test_empty_input_has_no_records),
        cmocka_unit_test(test_utf8_bom_is_skipped),
        cmocka_unit_test(test_bom_then_empty_line_counts_the_line),
        cmocka_unit_test(test_bom_is_skipped_only_at_the_start_of_input),
        cmocka_unit_test(test_input_of_only_a_bom_has_no_records),
        cmocka_unit_test(test_fields_trimmed_of_spaces_and_tabs),
        cmocka_unit_test(test_inner_spaces_and_tabs_kept),
        cmocka_unit_test(test_only_spaces_and_tabs_trimmed),
        cmocka_unit_test(test_empty_fields_kept),
        cmocka_unit_test(test_quoted_field_holds_commas),
        cmocka_unit_test(test_doubled_quote_stands_for_one_quote),
        cmocka_unit_test(test_quoted_empty_field),
        cmocka_unit_test(test_quoted_field_holds_lf),
        cmocka_unit_test(test_quoted_field_holds_crlf),
        cmocka_unit_test(test_record_offset_reads_the_record_again),
        cmocka_unit_test(test_empty_line_inside_quoted_field_is_kept),
        cmocka_unit_test(test_quoted_field_keeps_text_after_closing_quote),
        cmocka_unit_test(test_text_after_closing_quote_is_trimmed),
        cmocka_unit_test(test_quote_after_closing_quote_is_ordinary),
        cmocka_unit_test(test_field_is_quoted_when_first_nonblank_char_is_quote),
        cmocka_unit_test(test_quoted_text_is_trimmed_after_unquoting),
        cmocka_unit_test(test_quote_inside_unquoted_field_is_ordinary),
        cmocka_unit_test(test_quote_inside_unquoted_field_does_not_start_quoting),
        cmocka_unit_test(test_lone_cr_is_ordinary),
        cmocka_unit_test(test_lone_cr_before_crlf_is_ordinary),
        cmocka_unit_test(test_lone_cr_at_end_of_input_is_ordinary),
        cmocka_unit_test(test_lone_cr_is_not_a_line_break),
        cmocka_unit_test(test_empty_lines_are_skipped),
        cmocka_unit_test(test_empty_crlf_lines_are_skipped),
        cmocka_unit_test(test_empty_lines_before_the_first_record_are_skipped),
        cmocka_unit_test(test_empty_lines_at_the_end_are_skipped),
        cmocka_unit_test(test_line_of_only_spaces_is_one_blank_field),
        cmocka_unit_test(test_line_number_is_where_the_record_starts),
        cmocka_unit_test(test_line_numbers_after_several_multiline_fields_in_one_record),
        cmocka_unit_test(test_unterminated_quote_runs_to_end_of_file),
        cmocka_unit_test(test_unterminated_quote_in_a_later_field),
        cmocka_unit_test(test_unterminated_quote_after_doubled_quotes),
        cmocka_unit_test(test_stray_quote_whose_swallowed_text_gives_a_wrong_field_count),
        cmocka_unit_test(test_stray_quote_whose_swallowed_text_gives_the_header_field_count),
        cmocka_unit_test(test_stray_quote_raw_is_its_first_line),
        cmocka_unit_test(test_legitimate_line_break_in_a_quoted_field_is_kept),
        cmocka_unit_test(test_line_break_in_a_first_field_reads_as_a_stray),
        cmocka_unit_test(test_later_line_fields_are_counted_with_quotes),
        cmocka_unit_test(test_recovery_restarts_at_a_line_that_opens_a_quote),
        cmocka_unit_test(test_stray_quote_open_to_the_end_of_the_file),
        cmocka_unit_test(test_stray_quote_skips_empty_lines_after_it),
        cmocka_unit_test(test_no_stray_check_before_the_header),
        cmocka_unit_test(test_stray_quote_found_within_the_record_limit),
        cmocka_unit_test(test_line_fields_of_a_line_on_its_own),
        cmocka_unit_test(test_physical_lines_are_counted),
        cmocka_unit_test(test_nul_byte_is_flagged),
        cmocka_unit_test(test_bom_inside_a_line_is_flagged),
        cmocka_unit_test(test_key_read_without_nul_and_bom),
        cmocka_unit_test(test_text_check_vector_matches_the_scalar_one),
        cmocka_unit_test(test_closed_quote_at_end_of_input_is_terminated),
        cmocka_unit_test(test_invalid_utf8_is_flagged),
        cmocka_unit_test(test_invalid_utf8_forms_are_flagged),
        cmocka_unit_test(test_sequence_cut_by_a_line_break_is_invalid_on_both_lines),
        cmocka_unit_test(test_valid_utf8_is_not_flagged),
        cmocka_unit_test(test_invalid_utf8_inside_quoted_field_is_flagged),
        cmocka_unit_test(test_utf8_validity_function),
        cmocka_unit_test(test_utf8_vector_validator_matches_the_scalar_one),
        cmocka_unit_test(test_raw_is_the_record_without_its_line_break),
        cmocka_unit_test(test_record_longer_than_the_read_buffer),
        cmocka_unit_test(test_read_buffer_sizes_give_identical_records),
        cmocka_unit_test(test_long_random_rows_read_the_same_whatever_the_buffer),
        cmocka_unit_test(test_record_over_the_size_limit_is_an_error),
        cmocka_unit_test(test_read_error_is_reported),
        cmocka_unit_test(test_written_fields_read_back_unchanged),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
