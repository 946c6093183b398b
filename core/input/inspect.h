/* inspect.h — `tuopin inspect FILE`: what a data clerk runs first on an
 * export.  It prints the header it finds, the encoding it guesses, which
 * columns map to the standard's and which are extra or missing, a few
 * (masked) sample values per column and the values the standard would not
 * accept. */
#ifndef TUOPIN_INSPECT_H
#define TUOPIN_INSPECT_H

#include <stddef.h>

/* NAME: inspect_main
 * DESCRIPTION: the `inspect` command; argv[0] is "inspect".
 * RETURN: the exit status: 0, 1 when the file cannot be read, 2 on a usage
 *   error. */
int inspect_main(int argc, char **argv);

/* NAME: inspect_mask
 * DESCRIPTION: writes into out (at least 4 × n + 8 bytes) the value as it
 *   may be shown for a column named `column` (as written, or canonical):
 *   resident IDs keep their first 6 and last 4 characters, names their
 *   first character followed by ＊, phone numbers their first 3 and last 4
 *   digits, account and card numbers their first 4 and last 4, addresses
 *   their first 6 characters; other columns are shown as they are.
 * RETURN: out. */
char *inspect_mask(const char *column, int canon, const char *value, char *out, size_t outlen);

#endif
