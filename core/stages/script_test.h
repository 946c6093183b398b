/* script_test.h — `tuopin test SCRIPT [CASES]`: runs a rule script against
 * test cases written as Lua data and reports each case and a closing
 * "N passed, M failed" line.  The case format is in docs/scripts.md. */
#ifndef TUOPIN_SCRIPT_TEST_H
#define TUOPIN_SCRIPT_TEST_H

/* NAME: script_test_main
 * DESCRIPTION: the `test` command; argv[0] is "test".  CASES defaults to
 *   SCRIPT with its ".lua" replaced by "_test.lua".
 * RETURN: the exit status: 0 when every case passed, 1 when one failed or
 *   the cases could not be read, 2 on a usage error. */
int script_test_main(int argc, char **argv);

#endif
