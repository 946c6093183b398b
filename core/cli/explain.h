/* explain.h — `tuopin explain RUN_DIR HOUSEHOLD_ID`: one household's verdict
 * explained from the run's record and its re-read input rows
 * (docs/explain.md). */
#ifndef TUOPIN_EXPLAIN_H
#define TUOPIN_EXPLAIN_H

/* The command's main: exit status 0, 1 fatal (a changed input, a household
 * not in the run), 2 usage. */
int explain_main(int argc, char **argv);

#endif
