/* cmd_plugins.c — `tuopin plugins`: the stages found, with their versions,
 * columns and parameters. */
#include "cmdline.h"
#include "commands.h"
#include "i18n.h"
#include "plugin.h"

#include <stdio.h>

/* A stage's text in the run's language: the Chinese one when the stage
 * declared it, else the English through the catalogue (tuopin's own words,
 * and ABI 1 stages'), else as written. */
static const char *stage_text(const char *en, const char *zh)
{
    if (!en || !*en) return "";
    if (zh && *zh && i18n_chinese()) return zh;
    return _(en);
}

static void print_stage(void *ctx, const char *name, const plugin *p, const char *error)
{
    const tp_param_decl *d;
    const char *const *c;
    size_t i;
    (void)ctx;
    if (!p) {
        printf(_("%-16s (cannot load: %s)\n"), name, error);
        return;
    }
    printf("%-16s %-8s %s%s\n", p->desc->name, p->desc->version,
           stage_text(p->desc->description, p->desc->description_zh),
           (p->desc->flags & TP_STAGE_ORDERED) ? _(" [input order]") : "");
    printf(_("    file: %s\n"), p->path);
    if (p->desc->columns && p->desc->columns[0]) {
        printf(_("    columns:"));
        for (c = p->desc->columns; *c; c++) printf(" %s", *c);
        printf("\n");
    }
    for (i = 0, d = p->desc->params.items; i < p->desc->params.n; i++, d++)
        printf(_("    param %-20s %-6s default %-8s %s\n"), d->name,
               d->type == TP_PARAM_INT ? "int" : d->type == TP_PARAM_MONEY ? "yuan" : "ratio",
               d->default_value ? d->default_value : "(table)",
               stage_text(d->description, d->description_zh));
}

int plugins_main(int argc, char **argv)
{
    static const struct option opts[] = {
        CMDLINE_HELP_END
    };
    cmdline cl;
    int o;
    cmdline_init(&cl, "plugins", argc, argv, "h", opts);
    while ((o = cmdline_next(&cl)) != CMDLINE_END) {
        if (o == 'h') {
            printf(_("Usage: tuopin plugins\nList the stage plugins found, with versions and parameters.\n"));
            return 0;
        }
        if (o == CMDLINE_OPERAND) return cmdline_usage_error(&cl, _("unexpected argument %s"), cl.arg);
        return 2;
    }
    plugin_each(print_stage, NULL);
    return 0;
}
