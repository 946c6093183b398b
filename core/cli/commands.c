/* commands.c — the table of tuopin's commands, and the overall usage made
 * from it. */
#include "commands.h"
#include "compare.h"
#include "explain.h"
#include "field.h"
#include "hash_ids.h"
#include "gen.h"
#include "history.h"
#include "i18n.h"
#include "inspect.h"
#include "merge.h"
#include "script_test.h"
#include "split.h"

#include <string.h>

const command commands[] = {
    { "run", run_main,
      N_("PIPELINE [--input FILE] [--quarter YYYYQn] [--out DIR] [OPTION]..."),
      N_("run a pipeline file (a Lua description of the stages)"), CMD_PLUGINS },
    { "test", script_test_main, N_("SCRIPT [CASES]"),
      N_("run a rule script's test cases"), 0 },
    { "plugins", plugins_main, "",
      N_("list the stages found, with versions and parameters"), CMD_PLUGINS },
    { "gen", gen_main, N_("--households N [--seed S] [--quarter YYYYQn] [--out FILE]"),
      N_("write a synthetic quarter for trying tuopin"), 0 },
    { "inspect", inspect_main, N_("FILE [--encoding E] [--mapping M]"),
      N_("show an export's header, encoding, columns and values"), 0 },
    { "history", history_main, N_("add RUN_DIR [--history FILE] | list [--history FILE]"),
      N_("keep quarters of runs in a history database"), 0 },
    { "compare", compare_main, N_("PREVIOUS CURRENT --out DIR [--history FILE] [--param NAME=VALUE]..."),
      N_("compare two quarters: transitions, signals, monitoring"), 0 },
    { "split", split_main, N_("INPUT --by province|city|county --out DIR"),
      N_("cut a quarter into shards by region, for runs on several machines (docs/sharding.md)"), 0 },
    { "merge", merge_main, N_("RUN_DIR... --out DIR [--split DIR]"),
      N_("combine the shard runs into one run's outputs"), CMD_PLUGINS },
    { "sample", sample_main, N_("RUN_DIR --out DIR [--seed S] [--param NAME=N]..."),
      N_("draw the field verification sample and field sheets"), 0 },
    { "estimate", estimate_main, N_("SAMPLE_DIR --field FILE --out DIR"),
      N_("assess the field rows, estimate each county's rates"), CMD_PLUGINS },
    { "hash-ids", hash_ids_main, N_("--id-key FILE INPUT --column person_id [--out FILE]"),
      N_("a copy of a roster with its IDs replaced by their keyed hashes, for a department to send (standard §8.3)"), 0 },
    { "explain", explain_main, N_("RUN_DIR HOUSEHOLD_ID [--format text|json|html] [--reveal-ids]"),
      N_("explain one household's verdict: fields, rules, parameters and their origins, what it lacks"), 0 },
    { NULL, NULL, NULL, NULL, 0 }
};

const command *command_find(const char *name)
{
    const command *c;
    for (c = commands; c->name; c++)
        if (!strcmp(c->name, name)) return c;
    return NULL;
}

void commands_usage(FILE *f)
{
    const command *c;
    fputs(_("Usage: tuopin COMMAND [OPTION]...\n"
            "Assess a quarter of poverty-registry data (建档立卡) against the exit standard.\n"
            "\n"
            "Commands:\n"), f);
    for (c = commands; c->name; c++) {
        fprintf(f, "  %s%s%s\n", c->name, *c->synopsis ? " " : "", *c->synopsis ? _(c->synopsis) : "");
        fprintf(f, "      %s\n", _(c->summary));
    }
    fputs(_("\n"
            "Every command has --help; 'tuopin help COMMAND' says the same.  Options take\n"
            "their value as --opt VALUE or --opt=VALUE.\n"
            "\n"
            "  --lang zh|en           language of messages and finding details (default: the\n"
            "                         locale's if English, else Chinese); any command takes it\n"
            "  -h, --help             show this help and exit\n"
            "  -V, --version          show the version and exit\n"
            "\n"
            "Exit status: 0 when the command completed (a run with rejected rows included),\n"
            "1 on a fatal error (one line on standard error names the file, line or\n"
            "parameter), 2 on a usage error.\n"), f);
}
