/* jsonl.h — JSON Lines input: one household per line, an object with the
 * household's fields and `members`, an array of objects with each member's
 * fields.  The reader turns each line into one record per member (household
 * fields repeated, a member's own field winning), in the column order of a
 * header taken from the first line, so the engine sees what it would see in
 * a CSV file.  Its own small JSON parser: strings with every escape (\u
 * with surrogate pairs), numbers kept as their text. */
#ifndef TUOPIN_JSONL_H
#define TUOPIN_JSONL_H

#include <stddef.h>
#include "csv.h"

typedef struct jsonl_reader jsonl_reader;

/* NAME: jsonl_open
 * DESCRIPTION: a reader over src (UTF-8 bytes), reading bufsize bytes at a
 *   time; one line may be at most max_line bytes.
 * RETURN: the reader (free with jsonl_close), or NULL out of memory. */
jsonl_reader *jsonl_open(csv_read_fn src, void *ctx, size_t bufsize, size_t max_line);

/* NAME: jsonl_next
 * DESCRIPTION: the next record, like csv_next; the first is the header
 *   (the keys of the first non-empty line: the household's in order, then
 *   the members' in order of first appearance), with that line's number.
 *   Every record of a line carries the line's number.  Records are built
 *   as follows:
 *   - absent keys and null are blank; true/false are "true"/"false";
 *     numbers are their text; strings are unescaped and trimmed of spaces
 *     and tabs; nested objects and arrays (other than members) are their
 *     JSON text;
 *   - a line whose object has no `members` key is one row by itself;
 *   - a line that is not a JSON object of that shape (a syntax error, a
 *     repeated key, members not an array of objects, an empty members
 *     array) gives one record with no fields, the line as raw: the engine
 *     rejects it as ROW_FIELD_COUNT;
 *   - a key that the first line does not have is appended after the
 *     header's fields: the record has too many fields (ROW_FIELD_COUNT);
 *   - bytes that are not UTF-8, or a \u escape that is not a character
 *     (a lone surrogate), a NUL byte (\u0000) or a byte-order mark
 *     (U+FEFF) in a value set bad_encoding (ROW_ENCODING); the household
 *     id is then read without NULs and byte-order marks for grouping.
 *   raw is the record as a CSV line (or the line itself when malformed).
 *   The memory is valid until the next call.
 * RETURN: 1 with a record, 0 at the end, -1 on a fatal error (jsonl_error:
 *   a read error, a line over the limit, or a first line that gives no
 *   header). */
int jsonl_next(jsonl_reader *r, csv_record *rec);

const char *jsonl_error(const jsonl_reader *r);
/* Lines read so far, empty ones included. */
unsigned long long jsonl_lines(const jsonl_reader *r);
void jsonl_close(jsonl_reader *r);

#endif
