/* csv.h — the streaming CSV record reader of standard §1: RFC 4180 quoting
 * with the standard's exact rules, LF or CRLF, optional UTF-8 BOM, trimming,
 * empty lines skipped, physical line numbers.  One record at a time from a
 * reused buffer; no allocation per record once the buffers have grown. */
#ifndef TUOPIN_CSV_H
#define TUOPIN_CSV_H

#include <stddef.h>
#include <stdio.h>

typedef struct csv_field { const char *p; size_t n; } csv_field;

typedef struct csv_record {
    long line;              /* physical line where the record starts (1-based) */
    size_t nfields;
    const csv_field *fields;/* unquoted, trimmed; each NUL-terminated */
    const char *raw;        /* the record's bytes without its line break */
    size_t raw_len;
    int unterminated;       /* CSV_UNTERM_EOF: a quoted field ran to the end of the
                               input; CSV_UNTERM_STRAY: the record is the first
                               line of a stray quote (standard §1): raw is that
                               line, its fields the line split at every comma */
    int bad_encoding;       /* CSV_TEXT_* bits: the record's bytes are not valid
                               UTF-8, or hold a NUL byte or a byte-order mark */
    int plain;              /* no quote, no trimmed blank: the fields lie one after
                               the other from fields[0].p, each followed by its NUL,
                               and raw is their text joined by commas */
} csv_record;

/* csv_record.unterminated */
#define CSV_UNTERM_EOF 1
#define CSV_UNTERM_STRAY 2

/* csv_record.bad_encoding and csv_text_check: what is wrong with the bytes */
#define CSV_TEXT_INVALID 1      /* not valid UTF-8 */
#define CSV_TEXT_NUL_BOM 2      /* a NUL byte or a byte-order mark (U+FEFF) */

typedef struct csv_reader csv_reader;

/* Fields one record may have (csv_set_max_fields changes it): a registry
 * export has a few dozen columns; the bound keeps a line of commas from
 * costing 16 bytes of field table per byte of input. */
#define CSV_MAX_FIELDS 10000

/* Byte source: returns bytes read (0 at end), or -1 on error with errno. */
typedef long (*csv_read_fn)(void *ctx, char *buf, size_t len);

/* NAME: csv_open
 * DESCRIPTION: a reader over `src`; bufsize is the initial read buffer size
 *   (it grows for records longer than it).  max_record bounds one record's
 *   bytes (its line break not counted), CSV_MAX_FIELDS its fields; records
 *   and errors are the same whatever bufsize is.
 * RETURN: the reader (owned by the caller, free with csv_close), or NULL. */
csv_reader *csv_open(csv_read_fn src, void *ctx, size_t bufsize, size_t max_record);

/* NAME: csv_next
 * DESCRIPTION: reads the next record (empty lines skipped).  The record's
 *   memory is valid until the next call.
 * RETURN: 1 with a record, 0 at end of input, -1 on error (message in
 *   csv_error(), naming the line: a read error, a record over the size
 *   limit or with too many fields). */
int csv_next(csv_reader *r, csv_record *rec);

/* Sets the largest number of fields of one record (default CSV_MAX_FIELDS). */
void csv_set_max_fields(csv_reader *r, size_t max_fields);

/* NAME: csv_set_header_fields
 * DESCRIPTION: the header's number of fields, once the header is read; from
 *   then on a record over several physical lines is checked for a stray
 *   quote (standard §1): when one of its lines after the first, read on its
 *   own as a record, has exactly n fields, only the first line is returned
 *   (unterminated = CSV_UNTERM_STRAY) and reading starts again at the next
 *   physical line.  Only lines ending within max_record bytes of the
 *   record's start are looked at, so that the outcome does not depend on
 *   the buffer size.  0 (the default) turns the check off. */
void csv_set_header_fields(csv_reader *r, size_t n);

/* Physical lines read so far: line breaks, and a last line without one. */
unsigned long long csv_lines(const csv_reader *r);

const char *csv_error(const csv_reader *r);
/* Bytes consumed so far (for progress). */
unsigned long long csv_offset(const csv_reader *r);

/* The byte offset, in the bytes the reader was given, at which the last
 * record returned began (`tuopin explain` seeks back to it). */
unsigned long long csv_record_offset(const csv_reader *r);

/* NAME: csv_set_position
 * DESCRIPTION: after the caller moved the byte source to `offset` (the
 *   start of a record csv_record_offset gave, whose physical line is
 *   `line`), drops what the reader holds so that the next record is read
 *   from there, numbered from that line.  The byte-order mark check is
 *   over: it belongs to the start of the input. */
void csv_set_position(csv_reader *r, unsigned long long offset, long line);
void csv_close(csv_reader *r);

/* Whether [p, p+n) is valid UTF-8 (no overlongs, surrogates or > U+10FFFF). */
int csv_utf8_valid(const char *p, size_t n);
/* The same, a byte at a time (the reference the vector version is tested against). */
int csv_utf8_valid_scalar(const char *p, size_t n);

/* NAME: csv_text_check
 * DESCRIPTION: what ROW_ENCODING looks for in a record's bytes.
 * RETURN: 0 for valid UTF-8 without NUL bytes or U+FEFF, else CSV_TEXT_*
 *   bits: CSV_TEXT_INVALID, and CSV_TEXT_NUL_BOM for a NUL byte or the
 *   bytes EF BB BF anywhere. */
int csv_text_check(const char *p, size_t n);
/* The same, a byte at a time (the reference the vector version is tested
 * against). */
int csv_text_check_scalar(const char *p, size_t n);

/* NAME: csv_line_fields
 * DESCRIPTION: the number of fields of [p, p+n) read on its own as one
 *   record under standard §1's quoting (a quote still open at the end
 *   closes there); 0 for an empty line. */
size_t csv_line_fields(const char *p, size_t n);

/* NAME: csv_key_clean
 * DESCRIPTION: a household id "read without" NUL bytes and byte-order marks
 *   (standard §1, ROW_ENCODING): [p, p+n) without them, then trimmed of
 *   spaces and tabs, into out (room for n + 1 bytes, NUL-terminated).
 * RETURN: its length. */
size_t csv_key_clean(const char *p, size_t n, char *out);

/* A csv_read_fn over a FILE*. */
long csv_read_file(void *fp, char *buf, size_t len);

/* Writes s as one CSV field (quoted when it holds , " CR LF or leading or
 * trailing spaces/tabs) into f. */
void csv_write_field(FILE *f, const char *s, size_t n);
/* csv_write_field for free text: guarded against formulas (sb_csv_text). */
void csv_write_text(FILE *f, const char *s, size_t n);

#endif
