/* stage_harness.h — a test host for stage plugins: loads a real stage from
 * the build tree, builds households from CSV text the way the engine does
 * (csv reader, blocks, structural checks, hh_build with ages at the as-of
 * date) and captures every finding the stage reports, so that a test reads
 * like rows of input and the findings the standard gives for them.
 *
 * Use from cmocka tests only: failures are reported with cmocka's fail_msg. */
#ifndef TUOPIN_TEST_STAGE_HARNESS_H
#define TUOPIN_TEST_STAGE_HARNESS_H

#include <stddef.h>
#include <stdint.h>
#include <tuopin/stage.h>

/* The three columns every input has, and a row's values for them (a valid
 * region code, status poor), so that a test reads
 *     SH_COLS "water_safe\n"
 *     SH_ROW("H1") "no\n"                                              */
#define SH_COLS "household_id,region_code,status,"
#define SH_ROW(hid) hid ",110101001001,poor,"

/* NAME: sh_setup
 * DESCRIPTION: initialises libltdl and loads
 *   $abs_top_builddir/plugins/NAME/.libs/NAME.so.  For a cmocka group setup.
 * RETURN: 0, or -1 with a message on standard error. */
int sh_setup(const char *name);
void sh_teardown(void);

/* The loaded stage's descriptor. */
const tp_stage *sh_stage(void);

/* NAME: sh_reset
 * DESCRIPTION: parameters back to the national defaults of the standard
 *   (hand-written in the harness, not read from the stage) and the as-of date
 *   back to 2020-09-30 (quarter 2020Q3).  For a cmocka per-test setup. */
int sh_reset(void **state);

/* The as-of date handed to hh_build and to host->as_of(). */
void sh_set_as_of(int year, int month, int day);

/* Sets a parameter in the unit of its type (whole number, cents,
 * millionths).  Only parameters the stage declares are visible to it. */
void sh_set_param(const char *name, int64_t value);

/* The harness's value of a parameter (the standard's default unless set). */
int64_t sh_param_value(const char *name);

/* NAME: sh_open
 * DESCRIPTION: opens an instance with the current parameters.
 * RETURN: 0 (instance closed again), or -1 with the stage's message in err. */
int sh_open(char *err, size_t errlen);

/* NAME: sh_run
 * DESCRIPTION: reads csv (header first), groups rows into households and
 *   runs the stage over every sound household in input order with one
 *   instance (so state across households, as identity keeps, is exercised).
 *   A block rejected by the structural checks is not evaluated; it shows up
 *   in the findings as "ID rejected CODE".  Fails the test on any error:
 *   open or check failing, a malformed code, a member index out of range, or
 *   a MISSING_VALUE/BAD_VALUE whose worded detail does not name its column. */
void sh_run(const char *csv);

/* NAME: sh_findings
 * DESCRIPTION: the findings of the last run, one line each:
 *   "HID SEV CODE [mN] [COLUMN]" — mN only for a member finding, COLUMN
 *   only for MISSING_VALUE and BAD_VALUE (the only codes for which the
 *   standard fixes the column).  Owned by the harness. */
const char *sh_findings(void);

/* NAME: sh_expect_at
 * DESCRIPTION: compares the findings of the last run with `expected` (the
 *   same line format, lines separated by '\n') as multisets of lines: the
 *   standard fixes which findings a household gets, not the order a stage
 *   reports them in.  "" expects none.  Fails the test naming `where`. */
void sh_expect_at(const char *expected, const char *file, int line);
#define sh_expect(expected) sh_expect_at((expected), __FILE__, __LINE__)

/* NAME: sh_run_each
 * DESCRIPTION: runs one household per value: households S1, S2, … with
 *   columns SH_COLS + `cols` and one row each, SH_ROW + `row` with the
 *   value put in place of its "%s".  Fails the test unless every household
 *   was evaluated. */
void sh_run_each(const char *cols, const char *row, const char *const *values, size_t n);

/* Expects exactly the finding `what` (e.g. "fail WATER_UNSAFE") once for
 * each of the n households of sh_run_each, and nothing else. */
void sh_expect_each_at(size_t n, const char *what, const char *file, int line);
#define sh_expect_each(n, what) sh_expect_each_at((n), (what), __FILE__, __LINE__)

/* Number of findings of the last run, and of one code. */
size_t sh_nfindings(void);
size_t sh_count(const char *code);

/* Number of households evaluated in the last run. */
size_t sh_households(void);

/* NAME: sh_age
 * DESCRIPTION: the age hh_build gave member `member` (1-based) of the
 *   household `hid` in the last run.
 * RETURN: 1 with *age when known, 0 when unknown; fails the test when there
 *   is no such member. */
int sh_age(const char *hid, size_t member, int *age);

/* NAME: sh_set_rosters
 * DESCRIPTION: the department rosters (roster.h) the next runs match their
 *   members against, as the engine does; NULL for none (the default).  The
 *   set stays the caller's. */
struct roster_set;
void sh_set_rosters(const struct roster_set *rs);

#endif
