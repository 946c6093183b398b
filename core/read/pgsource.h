/* pgsource.h — PostgreSQL input through libpq: a query's result streamed
 * row by row (single-row mode, so memory stays flat whatever the table's
 * size), its column names as the header, each row as a record.  Built only
 * when configure found libpq; otherwise pgsrc_open says so. */
#ifndef TUOPIN_PGSOURCE_H
#define TUOPIN_PGSOURCE_H

#include <stddef.h>
#include "csv.h"

typedef struct pgsrc pgsrc;

/* Whether this build has PostgreSQL support. */
int pgsrc_available(void);

/* NAME: pgsrc_query_ordered
 * DESCRIPTION: whether the query has an ORDER BY at its top level (outside
 *   parentheses, string literals, quoted names and comments), which the
 *   input needs so that the rows of a household come together.
 * RETURN: 1 or 0. */
int pgsrc_query_ordered(const char *query);

/* NAME: pgsrc_open
 * DESCRIPTION: connects (conninfo as libpq takes it: "host=… dbname=…" or
 *   a postgresql:// URI), starts a read-only transaction with UTF-8 client
 *   encoding and ISO dates, and sends the query (one statement).
 * RETURN: the source (close with pgsrc_close), or NULL with a one-line
 *   message in err (the server's first line; a query without ORDER BY). */
pgsrc *pgsrc_open(const char *conninfo, const char *query, char *err, size_t errlen);

/* NAME: pgsrc_next
 * DESCRIPTION: the header (column names), then one record per row: NULL
 *   is blank, booleans are "true"/"false", everything else the server's
 *   text form, trimmed of spaces and tabs.  line is the row number + 1 (the
 *   header is line 1); raw is the row as a CSV line.  Valid until the next
 *   call.
 * RETURN: 1, 0 at the end, -1 with pgsrc_error. */
int pgsrc_next(pgsrc *p, csv_record *rec);

const char *pgsrc_error(const pgsrc *p);
/* "postgresql (dbname=… host=…)" without the password, for messages. */
const char *pgsrc_name(const pgsrc *p);
void pgsrc_close(pgsrc *p);

#endif
