/* source.h — where records come from.  The engine reads records (the header
 * first) from a source and never knows the input's format: today a CSV file
 * or standard input, UTF-8; the source also fingerprints the bytes it reads
 * (SHA-256) for the run record. */
#ifndef TUOPIN_SOURCE_H
#define TUOPIN_SOURCE_H

#include "csv.h"
#include "pipeline.h"

typedef struct source source;

/* NAME: source_open
 * DESCRIPTION: opens the input that cfg describes (cfg->input, "-" for
 *   standard input; cfg->encoding).
 * RETURN: the source (close with source_close), or NULL with a one-line
 *   message naming the input in err. */
source *source_open(const run_config *cfg, char *err, size_t errlen);

/* NAME: source_next
 * DESCRIPTION: the next record; the first is the header.  The record's
 *   memory is valid until the next call.
 * RETURN: 1 with a record, 0 at the end, -1 on error (source_error). */
int source_next(source *s, csv_record *rec);

const char *source_error(const source *s);
/* The input's name for messages ("(standard input)" for -). */
const char *source_name(const source *s);
/* The input's size in bytes when known (a regular file), else -1. */
long long source_size(const source *s);
/* Bytes consumed so far. */
unsigned long long source_offset(const source *s);
/* SHA-256 of every byte read so far, as 64 hex digits; call at the end. */
void source_sha256(source *s, char hex[65]);
void source_close(source *s);

#endif
