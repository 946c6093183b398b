/* rnames.h — the names of regions (issue 17.8): officials read 张北县, not
 * 130722.  The provinces' names ship with tuopin (data/regions.csv, codes
 * 11-65, Chinese and pinyin); a region-names table (--region-names FILE, or
 * output { region_names = "FILE" }) adds the names of any region level and
 * replaces a shipped one.  The reports and counties.csv show a name beside a
 * code when the table has one; codes stay the key everywhere. */
#ifndef TUOPIN_RNAMES_H
#define TUOPIN_RNAMES_H

#include <stddef.h>

typedef struct rnames rnames;

/* NAME: rnames_load
 * DESCRIPTION: the shipped provinces' names, then the table in file (NULL:
 *   none) over them.  A table is UTF-8 CSV (a BOM allowed) with a header
 *   naming the columns code and name, and optionally name_en; a code is 2,
 *   4, 6, 9 or 12 digits, a name is not blank, a code appears once.
 * RETURN: the names (free with rnames_free), or NULL with err naming the
 *   file, line and column at fault (or out of memory). */
rnames *rnames_load(const char *file, char *err, size_t errlen);

/* NAME: rnames_get
 * DESCRIPTION: the name of the region with code (digits only): its name, or
 *   for en its name_en when the table gave one (else its name).
 * RETURN: the name (owned by n), or NULL when unknown (n NULL too). */
const char *rnames_get(const rnames *n, const char *code, int en);

/* Frees the names (NULL allowed). */
void rnames_free(rnames *n);

#endif
