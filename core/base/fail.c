/* fail.c — the error helpers (fail.h). */
#include "fail.h"
#include "i18n.h"

#include <stdio.h>

int fail_vmsg(char *err, size_t errlen, const char *fmt, va_list ap)
{
    vsnprintf(err, errlen, fmt, ap);
    return -1;
}

int fail_msg(char *err, size_t errlen, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fail_vmsg(err, errlen, fmt, ap);
    va_end(ap);
    return -1;
}

int fail_db(sqlite3 *db, const char *file, const char *what, char *err, size_t errlen)
{
    return fail_msg(err, errlen, "%s: %s: %s", file, what, db ? sqlite3_errmsg(db) : _("cannot open"));
}
