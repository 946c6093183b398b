/* source.h — where records come from.  The engine reads records (the header
 * first) from a source and never knows the input's format: a CSV file or
 * standard input, JSON Lines, or a PostgreSQL query; UTF-8 or GB18030
 * (converted as it is read); with a mapping file applied (title rows
 * skipped, source columns renamed to canonical ones, source values
 * translated), so that the records are canonical.  The source also
 * fingerprints what it reads (SHA-256 of the input's bytes) for the run
 * record. */
#ifndef TUOPIN_SOURCE_H
#define TUOPIN_SOURCE_H

#include "csv.h"
#include "pipeline.h"

typedef struct source source;

/* NAME: source_open
 * DESCRIPTION: opens the input that cfg describes: cfg->input ("-" for
 *   standard input) in cfg->format (or by its extension: .jsonl and
 *   .ndjson are JSON Lines, anything else CSV) and cfg->encoding; or the
 *   PostgreSQL query cfg->pg_query on cfg->pg_conninfo when cfg->input is
 *   PIPELINE_PG_INPUT (or NULL).  cfg->mapping and cfg->skip_rows apply to
 *   every format.
 * RETURN: the source (close with source_close), or NULL with a one-line
 *   message naming the input, the mapping file or the option at fault. */
source *source_open(const run_config *cfg, char *err, size_t errlen);

/* As source_open, reading bufsize bytes at a time (tests use tiny sizes to
 * split characters and records across reads). */
source *source_open_sized(const run_config *cfg, size_t bufsize, char *err, size_t errlen);

/* NAME: source_next
 * DESCRIPTION: the next record; the first with a non-blank field (after
 *   skip_rows records) is the header, renamed by the mapping; the later
 *   ones carry mapped values.  The record's memory is valid until the next
 *   call.  A header that is not valid UTF-8 is an error that says whether
 *   the bytes read as GB18030; at the end, when records were not valid
 *   UTF-8 but read as GB18030, a notice on standard error (unless quiet)
 *   suggests --encoding gb18030.
 * RETURN: 1 with a record, 0 at the end, -1 on error (source_error). */
int source_next(source *s, csv_record *rec);

/* NAME: source_read_header
 * DESCRIPTION: reads the header record into rec: the first record with a
 *   field that is not blank (records of blank fields only before it are
 *   skipped).  name is the input's name for the messages.
 * RETURN: 0, or -1 with err: a read error, no header (an empty input), a
 *   quoted field that never ends or bytes that are not UTF-8 in it. */
int source_read_header(source *s, const char *name, csv_record *rec, char *err, size_t errlen);

const char *source_error(const source *s);
/* The input's name for messages ("(standard input)" for -). */
const char *source_name(const source *s);
/* The input's size in bytes when known (a regular file), else -1. */
long long source_size(const source *s);
/* Bytes of input read so far. */
unsigned long long source_offset(const source *s);
/* Where the last record returned began: a byte offset into the input as
 * read (for a UTF-8 CSV file, the file's own offset); 0 for other formats.
 * The engine records it for each household (`tuopin explain`). */
unsigned long long source_record_offset(const source *s);

/* Whether source_seek can move in this input: a UTF-8 CSV file (GB18030
 * offsets are of the converted text, JSON Lines and PostgreSQL have none). */
int source_seekable(const source *s);

/* NAME: source_seek
 * DESCRIPTION: after the header: moves to a record start that
 *   source_record_offset gave (`line` its physical line), so that the next
 *   source_next reads that record.  The fingerprint no longer covers what
 *   is read.
 * RETURN: 0 moved, 1 when the input cannot seek (read on instead), -1 on
 *   an error (source_error). */
int source_seek(source *s, unsigned long long offset, long line);

/* Physical lines of a CSV or JSON Lines input read so far (the header,
 * title rows, empty lines and quoted line breaks included); 0 for a
 * PostgreSQL source. */
unsigned long long source_lines(const source *s);
/* SHA-256 of every byte read so far, as 64 hex digits; call at the end.
 * For a file, of its raw bytes (before any conversion); for PostgreSQL, of
 * the rows as CSV lines (header first, each line ending in LF). */
void source_sha256(source *s, char hex[65]);
/* From here on the bytes read are not fingerprinted (a reader that never
 * asks for source_sha256: department rosters); source_sha256 is then of the
 * bytes read before. */
void source_no_fingerprint(source *s);
void source_close(source *s);

/* ---- for `tuopin inspect` ------------------------------------------------ */

/* "utf-8" or "gb18030". */
const char *source_encoding(const source *s);
/* "csv", "jsonl" or "postgresql". */
const char *source_format(const source *s);
/* The mapping file in use, or NULL. */
const char *source_mapping_path(const source *s);
/* Records dropped by skip_rows before the header. */
int source_skipped(const source *s);
/* The last record's fields as the input had them, before the mapping
 * translated values (as many as the record has; valid until the next call). */
const csv_field *source_unmapped(const source *s);
/* Bytes that were not valid GB18030 (each became one 0xFF byte). */
unsigned long long source_bad_bytes(const source *s);

/* NAME: source_header
 * DESCRIPTION: after the header was returned: its columns as written in
 *   the input (names[i]), the mapping's new name for each (renamed[i], NULL
 *   when it kept its name) and whether the mapping translates its values
 *   (has_values[i]).  Owned by the source.
 * RETURN: the number of columns (0 before the header). */
size_t source_header(const source *s, const char *const **names,
                     const char *const **renamed, const unsigned char **has_values);

#endif
