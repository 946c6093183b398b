/* cmdline.c — getopt_long for every tuopin command, with one wording of the
 * generic mistakes. */
#define _GNU_SOURCE
#include "cmdline.h"
#include "i18n.h"
#include "output.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void cmdline_init(cmdline *c, const char *cmd, int argc, char **argv,
                  const char *shortopts, const struct option *longopts)
{
    memset(c, 0, sizeof *c);
    c->cmd = cmd;
    c->argc = argc;
    c->argv = argv;
    c->longopts = longopts;
    /* '-': operands come back in order (as 1); ':': a missing value comes
     * back as ':', told apart from an unknown option. */
    snprintf(c->shortopts, sizeof c->shortopts, "-:%s", shortopts ? shortopts : "");
    optind = 0;   /* glibc: start afresh (a test may parse several times) */
    opterr = 0;
}

int cmdline_hint(const char *cmd)
{
    if (cmd) {
        size_t n = strcspn(cmd, " ");
        char word[64];
        snprintf(word, sizeof word, "%.*s", (int)(n < sizeof word ? n : sizeof word - 1), cmd);
        fprintf(stderr, _("Try 'tuopin help %s' for more information.\n"), word);
    } else {
        fprintf(stderr, _("Try 'tuopin --help' for more information.\n"));
    }
    return 2;
}

int cmdline_usage_error(const cmdline *c, const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, _("tuopin %s: "), c->cmd);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    return cmdline_hint(c->cmd);
}

int cmdline_operand(const cmdline *c, const char **slot)
{
    if (*slot) return cmdline_usage_error(c, _("unexpected argument %s"), c->arg);
    *slot = c->arg;
    return 0;
}

int cmdline_next(cmdline *c)
{
    int r, last;
    if (c->done) {
        if (optind >= c->argc) return CMDLINE_END;
        c->arg = c->argv[optind++];
        return CMDLINE_OPERAND;
    }
    c->arg = NULL;
    r = getopt_long(c->argc, c->argv, c->shortopts, c->longopts, NULL);
    last = optind - 1;   /* the argument that held the option */
    if (r == -1) {
        /* `--`, or the end: what follows `--` is operands. */
        c->done = 1;
        return cmdline_next(c);
    }
    if (r == 1) {
        c->arg = optarg;
        return CMDLINE_OPERAND;
    }
    if (r == ':') {
        if (optopt && !(last >= 1 && !strncmp(c->argv[last], "--", 2)))
            cmdline_usage_error(c, _("option -%c needs a value"), optopt);
        else
            cmdline_usage_error(c, _("option %s needs a value"), c->argv[last]);
        return CMDLINE_ERROR;
    }
    if (r == '?') {
        const char *a = last >= 1 && last < c->argc ? c->argv[last] : "";
        if (!strncmp(a, "--", 2) && strchr(a, '=') && optopt) {
            cmdline_usage_error(c, _("option %.*s takes no value"), (int)(strchr(a, '=') - a), a);
        } else if (optopt && strncmp(a, "--", 2)) {
            cmdline_usage_error(c, _("unknown option -%c"), optopt);
        } else {
            cmdline_usage_error(c, _("unknown option %s"), a);
        }
        return CMDLINE_ERROR;
    }
    if (r == CMDLINE_CSV_BOM_VAL) {
        int v = out_csv_bom_parse(optarg);
        if (v < 0) {
            cmdline_usage_error(c, _("option --csv-bom takes yes or no, not \"%s\""), optarg);
            return CMDLINE_ERROR;
        }
        out_csv_bom_set(v, OUT_BOM_CMDLINE);
        return cmdline_next(c);
    }
    c->arg = optarg;
    return r;
}

const char *cmdline_csv_bom_help(void)
{
    return _("  --csv-bom=yes|no       whether CSV files begin with the UTF-8 byte-order mark,\n"
             "                         which Excel needs to read them as UTF-8 (default: yes;\n"
             "                         TUOPIN_CSV_BOM=no in the environment for none)\n");
}
