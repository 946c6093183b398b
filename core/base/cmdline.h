/* cmdline.h — the options of one tuopin command, parsed with getopt_long the
 * same way for every command: `--opt V` and `--opt=V` (and a unique prefix of
 * a long name), short options where a command has them, operands anywhere
 * among the options (in order), `--` ending the options.  The generic
 * mistakes are worded once, here, for every command:
 *
 *   tuopin CMD: unknown option --x
 *   tuopin CMD: option --out needs a value
 *   tuopin CMD: option --quiet takes no value
 *   Try 'tuopin help CMD' for more information.
 *
 * A command's own usage errors go through cmdline_usage_error, so that they
 * read the same way.  The table of commands is core/cli/commands.c. */
#ifndef TUOPIN_CMDLINE_H
#define TUOPIN_CMDLINE_H

#include <getopt.h>

/* What cmdline_next returns besides an option's val. */
enum {
    CMDLINE_END = -1,      /* no more arguments */
    CMDLINE_OPERAND = 1,   /* an operand, in c->arg */
    CMDLINE_ERROR = 0x100  /* a usage error, already reported: exit 2 */
};

typedef struct cmdline {
    const char *cmd;               /* the command as the user typed it: "compare", "history add" */
    int argc;
    char **argv;                   /* argv[0] is the command's name */
    const struct option *longopts; /* ends with a zeroed entry */
    char shortopts[64];            /* "-:" and the command's short options */
    const char *arg;               /* the value of the option returned, or the operand */
    int done;                      /* after `--`: the rest are operands */
} cmdline;

/* Entries of a command's option table (struct option): one that takes a
 * value, one that takes none, and --help followed by the table's end, which
 * every table closes with. */
#define CMDLINE_VALUE(name, val) { (name), required_argument, NULL, (val) }
#define CMDLINE_FLAG(name, val) { (name), no_argument, NULL, (val) }
#define CMDLINE_HELP_END CMDLINE_FLAG("help", 'h'), { NULL, 0, NULL, 0 }

/* --csv-bom=yes|no, in the table of every command that writes CSV files:
 * cmdline_next takes it itself (out_csv_bom_set, output.h) and goes on to
 * the next argument; a value other than yes or no is a usage error.  Its
 * lines of --help are cmdline_csv_bom_help(). */
#define CMDLINE_CSV_BOM_VAL 0x7b0b
#define CMDLINE_CSV_BOM CMDLINE_VALUE("csv-bom", CMDLINE_CSV_BOM_VAL)
/* The --help lines of --csv-bom, translated. */
const char *cmdline_csv_bom_help(void);

/* NAME: cmdline_init
 * DESCRIPTION: starts parsing argv[1..argc-1] of command cmd.  shortopts as
 *   for getopt ("hq"), NULL for none; longopts as for getopt_long.  Every
 *   command should have { "help", no_argument, NULL, 'h' }. */
void cmdline_init(cmdline *c, const char *cmd, int argc, char **argv,
                  const char *shortopts, const struct option *longopts);

/* NAME: cmdline_next
 * DESCRIPTION: the next option (its val; its value, if any, in c->arg), or
 *   CMDLINE_OPERAND (the operand in c->arg), or CMDLINE_END, or
 *   CMDLINE_ERROR after printing the mistake and the hint on stderr. */
int cmdline_next(cmdline *c);

/* NAME: cmdline_usage_error
 * DESCRIPTION: prints "tuopin CMD: " and the formatted (already translated)
 *   message, then "Try 'tuopin help CMD' for more information.", on stderr.
 * RETURN: 2, the exit status of a usage error. */
int cmdline_usage_error(const cmdline *c, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* NAME: cmdline_operand
 * DESCRIPTION: for a command that takes one operand: stores c->arg in *slot
 *   when *slot is still NULL, else reports "unexpected argument ARG".
 * RETURN: 0, or 2 (the usage error, reported). */
int cmdline_operand(const cmdline *c, const char **slot);

/* The hint alone ("Try 'tuopin help CMD' …"), for cmd (NULL: plain
 * 'tuopin --help').  RETURN: 2. */
int cmdline_hint(const char *cmd);

#endif
