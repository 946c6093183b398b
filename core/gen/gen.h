/*
 * gen.h - the `tuopin gen` command: a deterministic generator of synthetic
 * registry (建档立卡) quarters for testing and benchmarking tuopin.
 *
 * The generator is self-contained (libc/POSIX only) and keeps no mutable
 * global state, so it can be linked into the tuopin binary as one more
 * sub-command. See gen.c for the data it produces.
 */
#ifndef TUOPIN_GEN_H
#define TUOPIN_GEN_H

/*
 * Runs `tuopin gen`. argv[0] is the sub-command name ("gen"); the remaining
 * argc - 1 entries are its options:
 *
 *   --households N      number of households to write (required, 0..100000000)
 *   --seed S            PRNG seed, unsigned 64-bit decimal (default 1)
 *   --quarter YYYYQn    assessed quarter (default 2020Q4, years 2011..2099)
 *   --out FILE          output file, "-" = standard output (default "-")
 *   --chinese-header    use the Chinese column names of standard §1
 *   --faults PCT        percent of households given one planted value fault
 *                       (default 1.5; 0 gives clean data)
 *   --mix P:E:G         relative weights of poor, exited and general
 *                       households (default 35:40:25)
 *   --quarters N        N consecutive quarters (2..12) of one population from
 *                       --quarter on, to PREFIX-YYYYQn.csv (--out PREFIX),
 *                       with patterns planted for the comparison of the last
 *                       two and their households in PREFIX-truth.csv
 *                       (gen_quarters.c, docs/history.md)
 *   --plant PCT         with --quarters: percent of eligible households given
 *                       each pattern (default 1)
 *   --help              print the usage on standard output
 *
 * Options also accept the "--name=value" form. The same options always give
 * the same bytes. A regular output file is written under a temporary name in
 * the same directory (mode 0600) and renamed into place only when complete.
 *
 * Returns a process exit status: 0 on success, 2 on a usage error, 1 on an
 * I/O error. Errors are reported on stderr as one line "tuopin gen: ...".
 * Never calls exit().
 */
int gen_main(int argc, char **argv);

/* `tuopin gen --field SAMPLE_DIR --registry FILE --out FILE [--seed S]
 * [--plant PCT]`: the rows field teams would return for a sample, with
 * differences planted (gen_field.c, docs/field.md).  gen_main passes any
 * command line with --field here.  RETURN the exit status as gen_main's. */
int gen_field_main(int argc, char **argv);

#endif /* TUOPIN_GEN_H */
