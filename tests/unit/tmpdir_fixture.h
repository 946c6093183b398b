/* tmpdir_fixture.h — a unit test's temporary folder (test_engine, test_shard,
 * test_history): made by the group setup under $TMPDIR (or /tmp), removed
 * with all it holds by the group teardown, files put into it and read back. */
#ifndef TUOPIN_TMPDIR_FIXTURE_H
#define TUOPIN_TMPDIR_FIXTURE_H

#include <stddef.h>

/* The folder, valid between tmpdir_setup and tmpdir_teardown. */
extern char tmpdir_path[256];

/* Makes TMPDIR/NAME.XXXXXX.  RETURN 0, or -1 (for cmocka's group setup). */
int tmpdir_setup(const char *name);

/* Removes the folder and everything in it.  RETURN 0 or -1. */
int tmpdir_teardown(void);

/* Writes text as the file name in the folder (asserts it worked). */
void tmpdir_put(const char *name, const char *text);

/* The file sub/name of the folder, NUL-ended (malloc'd), *n its size; NULL
 * when it is missing. */
char *tmpdir_slurp(const char *sub, const char *name, size_t *n);

#endif
