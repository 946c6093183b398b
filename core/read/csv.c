/* csv.c — streaming CSV records under the exact quoting rules of standard §1.
 *
 * The reader keeps unconsumed input in one buffer.  A record is parsed from
 * its first byte; when the buffer ends before the record does, the buffer is
 * compacted or grown, refilled, and the record parsed again from its start.
 * Records are short, so the rare re-parse costs less than keeping state. */
#include "csv.h"
#include "i18n.h"
#include "sbuf.h"

#include <errno.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Field text never takes more than twice the record's bytes (each byte once,
 * plus a NUL per field); the slack covers the 16-byte stores of the fast
 * path past the end of the last field. */
#define FBUF_SLACK 64

struct csv_reader {
    csv_read_fn src;
    void *ctx;
    char *buf;           /* unconsumed input is buf[start, end) */
    size_t cap, start, end;
    int eof, bom_checked;
    long line;           /* physical line number of buf[start] */
    unsigned long long consumed;
    unsigned long long rec_offset; /* consumed when the last record began */
    char *fbuf;          /* unquoted field text of the current record */
    size_t fcap;
    csv_field *fields;
    size_t fields_cap;
    size_t max_record;   /* bytes of one record, its line break not counted */
    size_t max_fields;   /* fields of one record */
    size_t header_fields;/* the header's fields (stray quotes); 0 before it */
    int open_line;       /* the last byte consumed was not a line feed */
    char err[256];
};

long csv_read_file(void *fp, char *buf, size_t len)
{
    size_t n = fread(buf, 1, len, (FILE *)fp);
    if (n == 0 && ferror((FILE *)fp)) return -1;
    return (long)n;
}

csv_reader *csv_open(csv_read_fn src, void *ctx, size_t bufsize, size_t max_record)
{
    csv_reader *r = calloc(1, sizeof *r);
    if (!r) return NULL;
    if (bufsize < 4) bufsize = 4;
    r->src = src;
    r->ctx = ctx;
    r->cap = bufsize;
    r->buf = malloc(r->cap);
    r->fcap = 2 * r->cap + FBUF_SLACK;
    r->fbuf = malloc(r->fcap);
    r->fields_cap = 64;
    r->fields = malloc(r->fields_cap * sizeof *r->fields);
    r->max_record = max_record;
    r->max_fields = CSV_MAX_FIELDS;
    r->line = 1;
    if (!r->buf || !r->fbuf || !r->fields) {
        csv_close(r);
        return NULL;
    }
    return r;
}

void csv_close(csv_reader *r)
{
    if (!r) return;
    free(r->buf);
    free(r->fbuf);
    free(r->fields);
    free(r);
}

void csv_set_max_fields(csv_reader *r, size_t max_fields) { r->max_fields = max_fields; }
void csv_set_header_fields(csv_reader *r, size_t n) { r->header_fields = n; }

unsigned long long csv_lines(const csv_reader *r)
{
    return (unsigned long long)(r->line - 1) + (r->open_line ? 1u : 0u);
}

const char *csv_error(const csv_reader *r) { return r->err; }
unsigned long long csv_offset(const csv_reader *r) { return r->consumed; }
unsigned long long csv_record_offset(const csv_reader *r) { return r->rec_offset; }

void csv_set_position(csv_reader *r, unsigned long long offset, long line)
{
    r->start = r->end = 0;
    r->eof = 0;
    r->bom_checked = 1;
    r->consumed = r->rec_offset = offset;
    r->line = line;
    r->open_line = 0;
}

/* Reads more input, compacting and growing the buffer as needed.
 * RETURN: 0, or -1 on a read error or a record over the limit. */
static int fill(csv_reader *r)
{
    long got;
    if (r->start > 0) {
        memmove(r->buf, r->buf + r->start, r->end - r->start);
        r->end -= r->start;
        r->start = 0;
    }
    if (r->end == r->cap) {
        size_t ncap = r->cap * 2;
        char *nb, *nf;
        /* The record in the full buffer is unfinished, so it is at least
         * end - 1 bytes long (a CR may wait for its LF): over the limit when
         * that passes it.  The buffer grows to at most max_record + 2 bytes,
         * a whole record and its CR LF, so the limit is the same whatever
         * the initial buffer size. */
        if (r->end > r->max_record + 1) {
            snprintf(r->err, sizeof r->err,
                     _("line %ld: record longer than %zu bytes"), r->line, r->max_record);
            return -1;
        }
        if (ncap > r->max_record + 2) ncap = r->max_record + 2;
        nb = realloc(r->buf, ncap);
        if (!nb) { snprintf(r->err, sizeof r->err, _("out of memory")); return -1; }
        r->buf = nb;
        nf = realloc(r->fbuf, 2 * ncap + FBUF_SLACK);
        if (!nf) { snprintf(r->err, sizeof r->err, _("out of memory")); return -1; }
        r->fbuf = nf;
        r->fcap = 2 * ncap + FBUF_SLACK;
        r->cap = ncap;
    }
    got = r->src(r->ctx, r->buf + r->end, r->cap - r->end);
    if (got < 0) {
        snprintf(r->err, sizeof r->err, _("read error: %s"), strerror(errno));
        return -1;
    }
    if (got == 0) r->eof = 1;
    r->end += (size_t)got;
    return 0;
}

/* Cuts the blanks and tabs at both ends of [*from, to), which then ends
 * with a NUL.  RETURN: the length left. */
static size_t trim(char **from, char *to)
{
    char *f = *from;
    while (to > f && (to[-1] == ' ' || to[-1] == '\t')) to--;
    while (f < to && (*f == ' ' || *f == '\t')) f++;
    *to = '\0';
    *from = f;
    return (size_t)(to - f);
}

static int push_field(csv_reader *r, size_t *nf, char *from, char *to)
{
    size_t n = trim(&from, to);
    if (*nf >= r->max_fields) return -2;
    if (*nf == r->fields_cap) {
        csv_field *nfs = realloc(r->fields, 2 * r->fields_cap * sizeof *nfs);
        if (!nfs) return -1;
        r->fields = nfs;
        r->fields_cap *= 2;
    }
    r->fields[*nf].p = from;
    r->fields[*nf].n = n;
    (*nf)++;
    return 0;
}

#if defined(__SSE2__)
/* The common record, parsed sixteen bytes at a time: no quote before its
 * line feed, which is in the buffer.  The record is copied to fbuf at the
 * same offsets, each delimiter overwritten by its field's NUL.  Anything
 * else — a quote, the buffer's end, a full field table — is left to parse
 * below, which then starts from the same state.
 * RETURN: 1 parsed, 0 not this kind of record (nothing changed). */
static int parse_plain(csv_reader *r, csv_record *rec)
{
    const char *b = r->buf + r->start;
    char *q = r->fbuf;
    size_t avail = r->end - r->start, i, fs = 0, nf = 0, rec_end, hi = (size_t)-1, k;
    const __m128i comma = _mm_set1_epi8(','), lf = _mm_set1_epi8('\n'), quote = _mm_set1_epi8('"');
    const __m128i space = _mm_set1_epi8(' '), tab = _mm_set1_epi8('\t'), zero = _mm_setzero_si128();
    unsigned blanks = 0;
    int plain = 1;
    for (i = 0;; i += 16) {
        __m128i v;
        unsigned mq, ml, md, mh, below;
        if (avail - i < 16) return 0;
        v = _mm_loadu_si128((const __m128i *)(const void *)(b + i));
        _mm_storeu_si128((__m128i *)(void *)(q + i), v);
        mq = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, quote));
        ml = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, lf));
        md = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, comma));
        /* bytes csv_text_check must see: not ASCII, or NUL */
        mh = (unsigned)_mm_movemask_epi8(_mm_or_si128(v, _mm_cmpeq_epi8(v, zero)));
        below = ml ? (ml & -ml) - 1 : 0xFFFFu;   /* bytes before the line feed */
        if (mq & below) return 0;
        blanks |= (unsigned)_mm_movemask_epi8(_mm_or_si128(_mm_cmpeq_epi8(v, space),
                                                           _mm_cmpeq_epi8(v, tab))) & below;
        if (hi == (size_t)-1 && (mh & below)) hi = i + (size_t)__builtin_ctz(mh & below);
        md &= below;
        /* Room for this block's fields (16 at most) and the last one; the
         * exact count only near the limit (a POPCNT is not in every x86-64). */
        if (nf + 17 > r->fields_cap) {
            csv_field *nfs = realloc(r->fields, 2 * r->fields_cap * sizeof *nfs);
            if (!nfs) return 0;
            r->fields = nfs;
            r->fields_cap *= 2;
        }
        if (nf + 17 > r->max_fields) {
            unsigned m = md;
            size_t c = 0;
            for (; m; m &= m - 1) c++;
            if (nf + c + 1 > r->max_fields) return 0;
        }
        while (md) {
            size_t pos = i + (size_t)__builtin_ctz(md);
            md &= md - 1;
            q[pos] = '\0';
            r->fields[nf].p = q + fs;
            r->fields[nf].n = pos - fs;
            nf++;
            fs = pos + 1;
        }
        if (ml) {
            rec_end = i + (size_t)__builtin_ctz(ml);
            break;
        }
    }
    if (rec_end > 0 && b[rec_end - 1] == '\r') rec_end--;
    if (rec_end < fs) return 0;               /* the CR right after a comma */
    q[rec_end] = '\0';
    r->fields[nf].p = q + fs;
    r->fields[nf].n = rec_end - fs;
    nf++;
    /* A blank or tab somewhere: the fields that begin or end with one are
     * trimmed in place, as push_field's. */
    for (k = 0; blanks && k < nf; k++) {
        char *from = q + (r->fields[k].p - q), *to = from + r->fields[k].n;
        if (from == to || !(*from == ' ' || *from == '\t' || to[-1] == ' ' || to[-1] == '\t')) continue;
        plain = 0;
        r->fields[k].n = trim(&from, to);
        r->fields[k].p = from;
    }
    rec->line = r->line;
    rec->nfields = nf;
    rec->fields = r->fields;
    rec->raw = b;
    rec->raw_len = rec_end;
    rec->unterminated = 0;
    rec->plain = plain;
    if (hi == (size_t)-1 || hi >= rec_end) rec->bad_encoding = 0;
    else rec->bad_encoding = csv_text_check(b + hi, rec_end - hi);
    i = rec_end + (b[rec_end] == '\r' ? 2 : 1);
    r->open_line = 0;
    r->consumed += i;
    r->start += i;
    r->line++;
    return 1;
}
#endif

size_t csv_line_fields(const char *p, size_t n)
{
    size_t i = 0, nf = 1;
    if (n == 0) return 0;
    for (;;) {
        while (i < n && (p[i] == ' ' || p[i] == '\t')) i++;
        if (i < n && p[i] == '"') {
            for (i++; i < n; i++) {
                if (p[i] != '"') continue;
                if (i + 1 < n && p[i + 1] == '"') { i++; continue; }
                i++;
                break;
            }
        }
        while (i < n && p[i] != ',') i++;
        if (i == n) return nf;
        i++;
        nf++;
    }
}

#define NO_STRAY ((size_t)-1)

/* Stray quotes (standard §1): the record starting at buf[s0] runs over more
 * than one physical line; each of its lines after the first is read on its
 * own, and one with exactly the header's number of fields makes the
 * record's opening quote a stray.  Only lines whose line feed lies before
 * lim are looked at — and the last line, ending at lim, when `final` (the
 * record ends there) — and only those ending within max_record bytes of s0,
 * the part of a record that every buffer size sees before the reader gives
 * up on its length.
 * RETURN: the offset of the line feed that ends the first line when the
 * quote is a stray, else NO_STRAY. */
static size_t stray_scan(const csv_reader *r, size_t s0, size_t lim, int final)
{
    const char *b = r->buf, *nl = memchr(b + s0, '\n', lim - s0);
    size_t first, ls;
    if (!nl) return NO_STRAY;
    first = (size_t)(nl - b);
    for (ls = first + 1; ls <= lim; ) {
        size_t le, n;
        nl = ls < lim ? memchr(b + ls, '\n', lim - ls) : NULL;
        if (nl) le = (size_t)(nl - b);
        else if (final && ls < lim) le = lim;
        else break;
        if (le - s0 > r->max_record) break;
        n = le - ls;
        if (nl && n > 0 && b[le - 1] == '\r') n--;     /* a CR LF line break */
        if (csv_line_fields(b + ls, n) == r->header_fields) return first;
        ls = le + 1;
    }
    return NO_STRAY;
}

/* The record at buf[start] is a stray quote's first line, which ends at the
 * line feed at nl: that line alone, split at every comma (quotes are
 * ordinary characters), becomes the record; reading goes on at the next
 * physical line.  RETURN: as parse. */
static int stray_record(csv_reader *r, csv_record *rec, size_t nl)
{
    const char *b = r->buf + r->start;
    size_t len = nl - r->start, i, from = 0, nf = 0;
    char *q = r->fbuf;
    int rc;
    if (len > 0 && b[len - 1] == '\r') len--;
    memcpy(q, b, len);
    for (i = 0; i <= len; i++) {
        if (i < len && q[i] != ',') continue;
        if ((rc = push_field(r, &nf, q + from, q + i)) < 0) return rc;
        from = i + 1;
    }
    rec->line = r->line;
    rec->nfields = nf;
    rec->fields = r->fields;
    rec->raw = b;
    rec->raw_len = len;
    rec->unterminated = CSV_UNTERM_STRAY;
    rec->plain = 0;
    rec->bad_encoding = csv_text_check(b, len);
    r->consumed += nl + 1 - r->start;
    r->start = nl + 1;
    r->line++;
    r->open_line = 0;
    return 1;
}

/* Parses one record at buf[start].
 * RETURN: 1 complete, 0 when more input is needed, -1 out of memory, -2 more
 * fields than max_fields. */
static int parse(csv_reader *r, csv_record *rec)
{
    const char *b = r->buf;
    size_t s = r->start, end = r->end, rec_end;
    long line = r->line;
    char *q = r->fbuf, *fstart;
    size_t nf = 0;
    int eof = r->eof, unterminated = 0, rc;

#if defined(__SSE2__)
    if (parse_plain(r, rec)) return 1;
#endif
    for (;;) {
        fstart = q;
        while (s < end && (b[s] == ' ' || b[s] == '\t')) s++;
        if (s == end && !eof) goto more;
        if (s < end && b[s] == '"') {
            s++;
            for (;;) {
                if (s == end) {
                    if (!eof) goto more;
                    unterminated = 1;
                    break;
                }
                if (b[s] == '"') {
                    if (s + 1 == end && !eof) goto more;
                    if (s + 1 < end && b[s + 1] == '"') { *q++ = '"'; s += 2; continue; }
                    s++;
                    break;
                }
                if (b[s] == '\n') line++;
                *q++ = b[s++];
            }
        }
        /* Unquoted text, or what follows a closing quote, up to , or a break.
         * Sixteen bytes at a time: find the first , LF or CR, copy the lot
         * (fbuf has slack for the overshoot), and let the byte loop below
         * decide what the delimiter means. */
#if defined(__SSE2__)
        while (end - s >= 16) {
            __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(b + s));
            int m = _mm_movemask_epi8(_mm_or_si128(
                _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8(',')),
                             _mm_cmpeq_epi8(v, _mm_set1_epi8('\n'))),
                _mm_cmpeq_epi8(v, _mm_set1_epi8('\r'))));
            _mm_storeu_si128((__m128i *)(void *)q, v);
            if (m) {
                int k = __builtin_ctz((unsigned)m);
                q += k;
                s += (size_t)k;
                break;
            }
            q += 16;
            s += 16;
        }
#endif
        while (s < end) {
            char c = b[s];
            if (c == ',' || c == '\n') break;
            if (c == '\r') {
                if (s + 1 == end && !eof) goto more;
                if (s + 1 < end && b[s + 1] == '\n') break;
            }
            *q++ = c;
            s++;
        }
        if (s == end && !eof) goto more;
        if ((rc = push_field(r, &nf, fstart, q)) < 0) {
            /* Too many fields: a stray quote on the lines passed so far
             * would have been found by a smaller buffer before reaching
             * here, so look for one first. */
            if (rc == -2 && r->header_fields && line > r->line) {
                size_t nl = stray_scan(r, r->start, s, 0);
                if (nl != NO_STRAY) return stray_record(r, rec, nl);
            }
            return rc;
        }
        q++; /* past the NUL */
        if (s == end) { rec_end = s; break; }
        if (b[s] == ',') { s++; continue; }
        rec_end = s;
        s += b[s] == '\r' ? 2 : 1;
        line++;
        break;
    }
    /* line counts the line breaks passed: more than one line here means a
     * quoted field held a line break. */
    if (r->header_fields && line - r->line > (s > rec_end ? 1 : 0)) {
        size_t nl = stray_scan(r, r->start, rec_end, 1);
        if (nl != NO_STRAY) return stray_record(r, rec, nl);
    }
    rec->line = r->line;
    rec->nfields = nf;
    rec->fields = r->fields;
    rec->raw = b + r->start;
    rec->raw_len = rec_end - r->start;
    rec->unterminated = unterminated ? CSV_UNTERM_EOF : 0;
    rec->plain = 0;
    rec->bad_encoding = csv_text_check(rec->raw, rec->raw_len);
    r->consumed += s - r->start;
    r->start = s;
    r->line = line;
    r->open_line = b[s - 1] != '\n';
    return 1;
more:
    /* Every line feed passed so far is inside the record: its complete
     * lines can already show a stray quote, before the rest is read. */
    if (r->header_fields && line > r->line) {
        size_t nl = stray_scan(r, r->start, end, 0);
        if (nl != NO_STRAY) return stray_record(r, rec, nl);
    }
    return 0;
}

int csv_next(csv_reader *r, csv_record *rec)
{
    for (;;) {
        size_t avail = r->end - r->start;
        if (!r->bom_checked) {
            if (avail < 3 && !r->eof) {
                if (fill(r) < 0) return -1;
                continue;
            }
            r->bom_checked = 1;
            if (avail >= 3 && !memcmp(r->buf + r->start, "\xEF\xBB\xBF", 3)) {
                r->start += 3;
                r->consumed += 3;
            }
            continue;
        }
        if (avail == 0) {
            if (r->eof) return 0;
            if (fill(r) < 0) return -1;
            continue;
        }
        /* Empty lines: nothing at all between two line breaks. */
        if (r->buf[r->start] == '\n') {
            r->start++; r->consumed++; r->line++;
            r->open_line = 0;
            continue;
        }
        if (r->buf[r->start] == '\r') {
            if (avail == 1 && !r->eof) {
                if (fill(r) < 0) return -1;
                continue;
            }
            if (avail >= 2 && r->buf[r->start + 1] == '\n') {
                r->start += 2; r->consumed += 2; r->line++;
                r->open_line = 0;
                continue;
            }
        }
        r->rec_offset = r->consumed;
        switch (parse(r, rec)) {
        case 1:
            if (rec->raw_len > r->max_record) {
                snprintf(r->err, sizeof r->err,
                         _("line %ld: record longer than %zu bytes"), rec->line, r->max_record);
                return -1;
            }
            return 1;
        case -2:
            snprintf(r->err, sizeof r->err,
                     _("line %ld: record has more than %zu fields"), r->line, r->max_fields);
            return -1;
        case -1: snprintf(r->err, sizeof r->err, _("out of memory")); return -1;
        default:
            if (fill(r) < 0) return -1;
        }
    }
}

#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>
#include <tmmintrin.h>
#define UTF8_SIMD 1

/* UTF-8 validation sixteen bytes at a time: the lookup algorithm of Keiser
 * and Lemire ("Validating UTF-8 in less than one instruction per byte",
 * 2021).  Each byte is classified by three table lookups — the high and low
 * nibbles of the byte before it and the high nibble of the byte itself —
 * whose intersection names the error the pair would be; bytes that must be
 * the second or third continuation of a 3- or 4-byte sequence are checked
 * against the byte two or three back.  The last block is padded with
 * spaces, so a sequence cut short at the end is an error like any other.
 * Beside the errors, a second mask collects the bytes that ROW_ENCODING also
 * looks for (standard §1): NUL bytes, and EF, the lead byte of a
 * byte-order mark (EF BB BF) but also of other characters (U+F000–U+FFFF:
 * the fullwidth punctuation of Chinese text); text with an EF is then
 * looked through for the whole mark, a byte at a time.
 * tests/unit/test_csv.c compares it with csv_utf8_valid_scalar on every
 * 1-, 2- and 3-byte sequence, the 4-byte ones and random text. */
enum {
    U8_TOO_SHORT = 1 << 0, U8_TOO_LONG = 1 << 1, U8_OVERLONG_3 = 1 << 2, U8_TOO_LARGE = 1 << 3,
    U8_SURROGATE = 1 << 4, U8_OVERLONG_2 = 1 << 5, U8_TOO_LARGE_1000 = 1 << 6,
    U8_OVERLONG_4 = 1 << 6, U8_TWO_CONTS = 1 << 7,
    U8_CARRY = U8_TOO_SHORT | U8_TOO_LONG | U8_TWO_CONTS
};
#define U8B(x) ((char)(unsigned char)(x))

static int nul_or_bom(const char *s, size_t n);

__attribute__((target("ssse3")))
static int utf8_check_ssse3(const unsigned char *p, size_t n)
{
    const __m128i hi1 = _mm_setr_epi8(
        U8B(U8_TOO_LONG), U8B(U8_TOO_LONG), U8B(U8_TOO_LONG), U8B(U8_TOO_LONG),
        U8B(U8_TOO_LONG), U8B(U8_TOO_LONG), U8B(U8_TOO_LONG), U8B(U8_TOO_LONG),
        U8B(U8_TWO_CONTS), U8B(U8_TWO_CONTS), U8B(U8_TWO_CONTS), U8B(U8_TWO_CONTS),
        U8B(U8_TOO_SHORT | U8_OVERLONG_2), U8B(U8_TOO_SHORT),
        U8B(U8_TOO_SHORT | U8_OVERLONG_3 | U8_SURROGATE),
        U8B(U8_TOO_SHORT | U8_TOO_LARGE | U8_TOO_LARGE_1000 | U8_OVERLONG_4));
    const __m128i lo1 = _mm_setr_epi8(
        U8B(U8_CARRY | U8_OVERLONG_3 | U8_OVERLONG_2 | U8_OVERLONG_4), U8B(U8_CARRY | U8_OVERLONG_2),
        U8B(U8_CARRY), U8B(U8_CARRY), U8B(U8_CARRY | U8_TOO_LARGE),
        U8B(U8_CARRY | U8_TOO_LARGE | U8_TOO_LARGE_1000), U8B(U8_CARRY | U8_TOO_LARGE | U8_TOO_LARGE_1000),
        U8B(U8_CARRY | U8_TOO_LARGE | U8_TOO_LARGE_1000), U8B(U8_CARRY | U8_TOO_LARGE | U8_TOO_LARGE_1000),
        U8B(U8_CARRY | U8_TOO_LARGE | U8_TOO_LARGE_1000), U8B(U8_CARRY | U8_TOO_LARGE | U8_TOO_LARGE_1000),
        U8B(U8_CARRY | U8_TOO_LARGE | U8_TOO_LARGE_1000), U8B(U8_CARRY | U8_TOO_LARGE | U8_TOO_LARGE_1000),
        U8B(U8_CARRY | U8_TOO_LARGE | U8_TOO_LARGE_1000 | U8_SURROGATE),
        U8B(U8_CARRY | U8_TOO_LARGE | U8_TOO_LARGE_1000), U8B(U8_CARRY | U8_TOO_LARGE | U8_TOO_LARGE_1000));
    const __m128i hi2 = _mm_setr_epi8(
        U8B(U8_TOO_SHORT), U8B(U8_TOO_SHORT), U8B(U8_TOO_SHORT), U8B(U8_TOO_SHORT),
        U8B(U8_TOO_SHORT), U8B(U8_TOO_SHORT), U8B(U8_TOO_SHORT), U8B(U8_TOO_SHORT),
        U8B(U8_TOO_LONG | U8_OVERLONG_2 | U8_TWO_CONTS | U8_OVERLONG_3 | U8_TOO_LARGE_1000 | U8_OVERLONG_4),
        U8B(U8_TOO_LONG | U8_OVERLONG_2 | U8_TWO_CONTS | U8_OVERLONG_3 | U8_TOO_LARGE),
        U8B(U8_TOO_LONG | U8_OVERLONG_2 | U8_TWO_CONTS | U8_SURROGATE | U8_TOO_LARGE),
        U8B(U8_TOO_LONG | U8_OVERLONG_2 | U8_TWO_CONTS | U8_SURROGATE | U8_TOO_LARGE),
        U8B(U8_TOO_SHORT), U8B(U8_TOO_SHORT), U8B(U8_TOO_SHORT), U8B(U8_TOO_SHORT));
    const __m128i nib = _mm_set1_epi8(0x0F), b80 = _mm_set1_epi8(U8B(0x80));
    const __m128i third = _mm_set1_epi8(0xE0 - 0x80), fourth = _mm_set1_epi8(0xF0 - 0x80);
    const __m128i zero = _mm_setzero_si128(), ef = _mm_set1_epi8(U8B(0xEF));
    __m128i prev = _mm_setzero_si128(), err = _mm_setzero_si128(), odd = _mm_setzero_si128();
    size_t i = 0;
    for (;;) {
        __m128i in, prev1, prev2, sc, must23;
        int last = n - i < 16;
        if (last) {
            unsigned char pad[16];
            memset(pad, ' ', sizeof pad);
            memcpy(pad, p + i, n - i);
            in = _mm_loadu_si128((const __m128i *)(const void *)pad);
        } else {
            in = _mm_loadu_si128((const __m128i *)(const void *)(p + i));
        }
        prev1 = _mm_alignr_epi8(in, prev, 15);
        prev2 = _mm_alignr_epi8(in, prev, 14);
        odd = _mm_or_si128(odd, _mm_or_si128(_mm_cmpeq_epi8(in, zero), _mm_cmpeq_epi8(in, ef)));
        sc = _mm_and_si128(
            _mm_and_si128(_mm_shuffle_epi8(hi1, _mm_and_si128(_mm_srli_epi16(prev1, 4), nib)),
                          _mm_shuffle_epi8(lo1, _mm_and_si128(prev1, nib))),
            _mm_shuffle_epi8(hi2, _mm_and_si128(_mm_srli_epi16(in, 4), nib)));
        must23 = _mm_or_si128(_mm_subs_epu8(prev2, third),
                              _mm_subs_epu8(_mm_alignr_epi8(in, prev, 13), fourth));
        err = _mm_or_si128(err, _mm_xor_si128(_mm_and_si128(must23, b80), sc));
        if (last) break;
        prev = in;
        i += 16;
    }
    return (_mm_movemask_epi8(_mm_cmpeq_epi8(err, zero)) == 0xFFFF ? 0 : CSV_TEXT_INVALID)
         | (_mm_movemask_epi8(odd) && nul_or_bom((const char *)p, n) ? CSV_TEXT_NUL_BOM : 0);
}

/* -1 not decided yet; every thread decides the same. */
static int have_ssse3 = -1;

static int ssse3(void)
{
    if (have_ssse3 < 0) {
        unsigned a, b, c, d;
        have_ssse3 = __get_cpuid(1, &a, &b, &c, &d) && (c & (1u << 9));
    }
    return have_ssse3;
}
#endif

int csv_utf8_valid(const char *s, size_t n)
{
#ifdef UTF8_SIMD
    /* The scalar loop below skips ASCII eight bytes at a time; text with
     * any other character goes faster in blocks. */
    if (n >= 16 && ssse3()) return !(utf8_check_ssse3((const unsigned char *)s, n) & CSV_TEXT_INVALID);
#endif
    return csv_utf8_valid_scalar(s, n);
}

int csv_text_check(const char *s, size_t n)
{
#ifdef UTF8_SIMD
    if (n >= 16 && ssse3()) return utf8_check_ssse3((const unsigned char *)s, n);
#endif
    return csv_text_check_scalar(s, n);
}

/* Whether [s, s+n) holds a NUL byte or the bytes EF BB BF. */
static int nul_or_bom(const char *s, size_t n)
{
    const char *e = s + n, *p;
    if (memchr(s, '\0', n)) return 1;
    for (p = s; (p = memchr(p, '\xEF', (size_t)(e - p))) != NULL; p++)
        if (e - p >= 3 && p[1] == '\xBB' && p[2] == '\xBF') return 1;
    return 0;
}

int csv_text_check_scalar(const char *s, size_t n)
{
    return (csv_utf8_valid_scalar(s, n) ? 0 : CSV_TEXT_INVALID) | (nul_or_bom(s, n) ? CSV_TEXT_NUL_BOM : 0);
}

size_t csv_key_clean(const char *p, size_t n, char *out)
{
    size_t i, k = 0, from = 0;
    for (i = 0; i < n; i++) {
        if (p[i] == '\0') continue;
        if (p[i] == '\xEF' && i + 2 < n && p[i + 1] == '\xBB' && p[i + 2] == '\xBF') {
            i += 2;
            continue;
        }
        out[k++] = p[i];
    }
    while (k > 0 && (out[k - 1] == ' ' || out[k - 1] == '\t')) k--;
    while (from < k && (out[from] == ' ' || out[from] == '\t')) from++;
    memmove(out, out + from, k - from);
    out[k - from] = '\0';
    return k - from;
}

int csv_utf8_valid_scalar(const char *s, size_t n)
{
    const unsigned char *p = (const unsigned char *)s, *e = p + n;
    while (p < e) {
        unsigned c;
        /* ASCII runs eight bytes at a time. */
        while (e - p >= 8) {
            uint64_t w;
            memcpy(&w, p, 8);
            if (w & 0x8080808080808080ULL) break;
            p += 8;
        }
        if (p == e) break;
        c = *p;
        if (c < 0x80) { p++; continue; }
        if (c >= 0xC2 && c <= 0xDF) {
            if (e - p < 2 || (p[1] & 0xC0) != 0x80) return 0;
            p += 2;
        } else if (c >= 0xE0 && c <= 0xEF) {
            if (e - p < 3 || (p[1] & 0xC0) != 0x80 || (p[2] & 0xC0) != 0x80) return 0;
            if (c == 0xE0 && p[1] < 0xA0) return 0;   /* overlong */
            if (c == 0xED && p[1] > 0x9F) return 0;   /* surrogates */
            p += 3;
        } else if (c >= 0xF0 && c <= 0xF4) {
            if (e - p < 4 || (p[1] & 0xC0) != 0x80 || (p[2] & 0xC0) != 0x80
                || (p[3] & 0xC0) != 0x80) return 0;
            if (c == 0xF0 && p[1] < 0x90) return 0;
            if (c == 0xF4 && p[1] > 0x8F) return 0;
            p += 4;
        } else {
            return 0;
        }
    }
    return 1;
}

/* s as a cell of the given csv_cell_form (core/base/sbuf.h): the quotes
 * doubled by writing up to and including each one, then one more. */
static void put_cell(FILE *f, const char *s, size_t n, int form)
{
    const char *q;
    if (form & CSV_QUOTE) putc('"', f);
    if (form & CSV_GUARD) putc('\'', f);
    if (form & CSV_QUOTE)
        while ((q = memchr(s, '"', n))) {
            size_t k = (size_t)(q - s) + 1;
            fwrite(s, 1, k, f);
            putc('"', f);
            s += k;
            n -= k;
        }
    fwrite(s, 1, n, f);
    if (form & CSV_QUOTE) putc('"', f);
}

void csv_write_field(FILE *f, const char *s, size_t n) { put_cell(f, s, n, csv_cell_form(s, n, 0)); }

void csv_write_text(FILE *f, const char *s, size_t n) { put_cell(f, s, n, csv_cell_form(s, n, 1)); }
