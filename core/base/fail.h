/* fail.h — the core's error helpers.  Each words the cause of a failure into
 * the caller's buffer and returns -1, so that `return fail_msg(...)` both
 * reports and ends a function.  Modules with an error buffer in a struct
 * wrap them in a one-line macro (see split.c). */
#ifndef TUOPIN_FAIL_H
#define TUOPIN_FAIL_H

#include <stdarg.h>
#include <stddef.h>
#include <sqlite3.h>

/* The message from fmt into err[errlen].  RETURN -1. */
int fail_msg(char *err, size_t errlen, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
int fail_vmsg(char *err, size_t errlen, const char *fmt, va_list ap) __attribute__((format(printf, 3, 0)));

/* "FILE: WHAT: SQLite's reason" into err[errlen] (db NULL: the database could
 * not be opened).  RETURN -1. */
int fail_db(sqlite3 *db, const char *file, const char *what, char *err, size_t errlen);

#endif
