/* main.c — the `tuopin` program: the options every command takes (--lang,
 * anywhere), --help and --version, `tuopin help COMMAND`, and dispatch
 * through the table of commands (commands.c).  Errors reach the user as one
 * line naming what is at fault; exit status 0 when the command completed, 1
 * for a fatal error, 2 for a usage error. */
#define _POSIX_C_SOURCE 200809L
#include "config.h" /* PACKAGE_VERSION: AC_INIT in configure.ac, the one version number */
#include "cmdline.h"
#include "commands.h"
#include "i18n.h"
#include "output.h"
#include "messages.h"
#include "plugin.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Takes --lang X / --lang=X out of argv, wherever it is.
 * RETURN: the language given, or NULL. */
static const char *take_lang(int *argc, char **argv)
{
    const char *lang = NULL;
    int i, j = 1;
    for (i = 1; i < *argc; i++) {
        if (!strcmp(argv[i], "--lang") && i + 1 < *argc) {
            lang = argv[++i];
        } else if (!strncmp(argv[i], "--lang=", 7)) {
            lang = argv[i] + 7;
        } else {
            argv[j++] = argv[i];
        }
    }
    argv[j] = NULL;
    *argc = j;
    return lang;
}

static int dispatch(const command *c, int argc, char **argv)
{
    int rc;
    if (!(c->flags & CMD_PLUGINS)) return c->main(argc, argv);
    if (plugin_system_init() < 0) {
        fprintf(stderr, _("tuopin: cannot initialise libltdl\n"));
        return 1;
    }
    rc = c->main(argc, argv);
    plugin_system_exit();
    return rc;
}

static int unknown(const char *name)
{
    fprintf(stderr, _("tuopin: unknown command %s\n"), name);
    return cmdline_hint(NULL);
}

int main(int argc, char **argv)
{
    const command *c;
    const char *lang = take_lang(&argc, argv);
    if (i18n_init(lang) < 0) {
        fprintf(stderr, "tuopin: --lang: \"%s\" is not zh or en\n", lang);
        return 2;
    }
    msg_forget();
    {
        char err[512];
        if (out_csv_bom_env(err, sizeof err) < 0) {
            fprintf(stderr, _("tuopin: %s\n"), err);
            return 2;
        }
    }
    if (argc < 2) {
        commands_usage(stderr);
        return 2;
    }
    if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
        commands_usage(stdout);
        return 0;
    }
    if (!strcmp(argv[1], "--version") || !strcmp(argv[1], "-V")) {
        printf(_("tuopin %s (stage ABI %d)\n"), PACKAGE_VERSION, TP_ABI_VERSION);
        return 0;
    }
    if (!strcmp(argv[1], "help")) {
        /* tuopin help [COMMAND]: the command's own --help */
        char *hv[3];
        if (argc < 3) {
            commands_usage(stdout);
            return 0;
        }
        if (!(c = command_find(argv[2]))) return unknown(argv[2]);
        hv[0] = argv[2];
        hv[1] = (char *)"--help";
        hv[2] = NULL;
        return dispatch(c, 2, hv);
    }
    if (!(c = command_find(argv[1]))) return unknown(argv[1]);
    return dispatch(c, argc - 1, argv + 1);
}
