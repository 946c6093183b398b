/* testhost.h — one synthetic household and a tp_host over it, for running
 * a stage without an input file: `tuopin test` builds each case's household
 * here, and the unit tests drive rule scripts through it.  The household is
 * made the way the engine makes one (a header, one block of rows, hh_build
 * with the values.h parsers and ages at the as-of date), so a script sees
 * exactly the typed values a run would give it. */
#ifndef TUOPIN_TESTHOST_H
#define TUOPIN_TESTHOST_H

#include <stddef.h>
#include <tuopin/stage.h>

typedef struct th_case th_case;

/* NAME: th_new
 * DESCRIPTION: an empty household assessed at the as-of date y-m-d.  Until
 *   set, household_id is "T1", region_code "110101001001", status "poor".
 * RETURN: the case (free with th_free), or NULL out of memory. */
th_case *th_new(int y, int m, int d);
void th_free(th_case *c);

/* NAME: th_set
 * DESCRIPTION: sets a column for the whole household: a household column,
 *   or an extra column's value on every row that does not set its own.
 *   Canonical columns may be named in any accepted spelling (water_safe,
 *   饮水安全).  The value is trimmed like a CSV field.  Before th_build only.
 * RETURN: 0, or -1 with a message in th_error() (a person column, or after
 *   th_build, or out of memory). */
int th_set(th_case *c, const char *column, const char *value);

/* NAME: th_add_member
 * DESCRIPTION: adds a member row.
 * RETURN: its 0-based index, or -1 (out of memory, or after th_build). */
long th_add_member(th_case *c);

/* NAME: th_set_member
 * DESCRIPTION: sets a person column or an extra column on one member row.
 * RETURN: 0, or -1 with a message in th_error() (a household column, a
 *   member that does not exist, or after th_build). */
int th_set_member(th_case *c, size_t member, const char *column, const char *value);

/* Makes sure the header has a column (blank unless set).  RETURN 0 or -1. */
int th_add_column(th_case *c, const char *name);

/* NAME: th_prior
 * DESCRIPTION: a finding an earlier stage gave the household (hh:has sees
 *   it; th_finding does not list it).  Call after th_build.
 * RETURN: 0, or -1 for a malformed code. */
int th_prior(th_case *c, tp_severity sev, const char *code);

/* NAME: th_build
 * DESCRIPTION: builds the household view.  A household the engine would
 *   reject (blank id, bad region or status, no member) is an error naming
 *   the reject code.
 * RETURN: 0, or -1 with a message in th_error(). */
int th_build(th_case *c);

const char *th_error(const th_case *c);

/* The view handed to check(); valid after th_build until th_free. */
const tp_household *th_view(const th_case *c);

/* The host table and the context to pass to a stage's open(). */
const tp_host *th_host(void);
tp_ctx *th_ctx(th_case *c);

/* NAME: th_open
 * DESCRIPTION: opens an instance of the stage desc on the case (its open()
 *   with the test host), and makes desc the stage whose declared codes word
 *   the findings.
 * RETURN: what open() returned (0 when it has none), *state its instance. */
int th_open(th_case *c, const tp_stage *desc, void **state, char *err, size_t errlen);

/* Findings the stage under test gave, in order. */
size_t th_nfindings(const th_case *c);
void th_finding(const th_case *c, size_t i, tp_severity *sev, const char **code,
                size_t *member, const char **detail);

/* Forgets the stage's findings (priors stay), to check again. */
void th_clear_findings(th_case *c);

/* The last line the stage logged through host->log, or "". */
const char *th_log(const th_case *c);

#endif
