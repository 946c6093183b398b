/* field.h — the field verification commands of standard §9: `tuopin sample`
 * (the design, the sample and the field sheets) and `tuopin estimate` (the
 * field rows assessed, and the design-based estimates).  See docs/field.md. */
#ifndef TUOPIN_FIELD_H
#define TUOPIN_FIELD_H

/* `tuopin sample RUN_DIR --out DIR …`; argv[0] is "sample".  RETURN the
 * exit status: 0, 1 fatal (one line on stderr), 2 usage. */
int sample_main(int argc, char **argv);

/* `tuopin estimate SAMPLE_DIR --field FILE --out DIR …`; argv[0] is
 * "estimate".  RETURN the exit status as sample_main's. */
int estimate_main(int argc, char **argv);

#endif
