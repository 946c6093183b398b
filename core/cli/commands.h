/* commands.h — the table of tuopin's commands.  Adding a command is one row
 * in commands.c and its `int NAME_main(int argc, char **argv)` in its own
 * file (argv[0] is the command's name; options parsed with cmdline.h, which
 * gives --opt V, --opt=V, --help and the common wording of usage errors). */
#ifndef TUOPIN_COMMANDS_H
#define TUOPIN_COMMANDS_H

#include <stdio.h>

enum {
    CMD_PLUGINS = 1   /* the command loads stage plugins: libltdl is set up around it */
};

typedef struct command {
    const char *name;                    /* as typed: "run" */
    int (*main)(int argc, char **argv);  /* exit status: 0, 1 fatal, 2 usage */
    const char *synopsis;                /* N_(): the arguments, for tuopin --help */
    const char *summary;                 /* N_(): one line on what it does */
    int flags;                           /* CMD_* */
} command;

extern const command commands[];         /* ends with a NULL name */

/* The command of that name, or NULL. */
const command *command_find(const char *name);

/* The overall usage (tuopin --help): the commands, the common options. */
void commands_usage(FILE *f);

/* The commands' mains that live in core/cli. */
int run_main(int argc, char **argv);
int plugins_main(int argc, char **argv);

#endif
