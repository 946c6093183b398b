/* main.c — the `tuopin` command: argument parsing and dispatch to run,
 * plugins and gen.  Errors reach the user as one line naming what is at
 * fault; exit status 0 for a completed run, 1 for a fatal error, 2 for a
 * usage error. */
#define _POSIX_C_SOURCE 200809L
#include "config.h" /* PACKAGE_VERSION: AC_INIT in configure.ac, the one version number */
#include "compare.h"
#include "engine.h"
#include "field.h"
#include "i18n.h"
#include "gen.h"
#include "hash_ids.h"
#include "inspect.h"
#include "history.h"
#include "merge.h"
#include "split.h"
#include "pipeline.h"
#include "plugin.h"
#include "script_test.h"
#include "values.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void usage(FILE *f)
{
    fputs(_("Usage: tuopin COMMAND [OPTION]...\n"
          "Assess a quarter of poverty-registry data (建档立卡) against the exit standard.\n"
          "\n"
          "Commands:\n"
          "  run PIPELINE [--input FILE] [--quarter YYYYQn] [--out DIR] [--jobs N]\n"
          "               [--param NAME=VALUE]... [--encoding utf-8|gb18030] [--format csv|jsonl]\n"
          "               [--mapping M] [--strict] [--reveal-ids] [--quiet]\n"
          "               [--roster KIND=FILE]... [--id-key FILE]\n"
          "                         run a pipeline file (a Lua description of the stages)\n"
          "  test SCRIPT [CASES]    run a rule script's test cases\n"
          "  plugins                list the stages found, with versions and parameters\n"
          "  gen --households N [--seed S] [--quarter YYYYQn] [--out FILE]\n"
          "                         write a synthetic quarter for trying tuopin\n"
          "  inspect FILE [--encoding E] [--mapping M]\n"
          "                         show an export's header, encoding, columns and values\n"
          "  history add RUN_DIR [--history FILE] | history list [--history FILE]\n"
          "                         keep quarters of runs in a history database\n"
          "  compare PREVIOUS CURRENT --out DIR [--history FILE] [--param NAME=VALUE]...\n"
          "                         compare two quarters: transitions, signals, monitoring\n"
          "  split INPUT --by province|city|county --out DIR\n"
          "                         cut a quarter into shards by region, for runs on\n"
          "                         several machines (see docs/sharding.md)\n"
          "  merge RUN_DIR... --out DIR [--split DIR]\n"
          "                         combine the shard runs into one run's outputs\n"
          "  sample RUN_DIR --out DIR [--seed S] [--param NAME=N]...\n"
          "                         draw the field verification sample and field sheets\n"
          "  estimate SAMPLE_DIR --field FILE --out DIR\n"
          "                         assess the field rows, estimate each county's rates\n"
          "  hash-ids --id-key FILE INPUT --column person_id [--out FILE]\n"
          "                         a copy of a roster with its IDs replaced by their keyed\n"
          "                         hashes, for a department to send (standard 8.3)\n"
          "\n"
          "Options of run:\n"
          "  --input FILE           input CSV (- for standard input); overrides the pipeline\n"
          "  --quarter YYYYQn       the quarter assessed; its last day is the as-of date\n"
          "  --out DIR              output folder\n"
          "  --encoding E           the input's encoding: utf-8 (default) or gb18030\n"
          "  --format F             the input's format: csv or jsonl (default: from the name)\n"
          "  --mapping M            a column mapping: a file, or the name of a shipped one\n"
          "                         (national-system); overrides the pipeline\n"
          "  --param NAME=VALUE     set a parameter of the C stages (NAME.KEY=VALUE: of script NAME)\n"
          "  --jobs N               worker threads (default: the number of cores)\n"
          "  --quiet                no progress or closing line on standard error (a notice\n"
          "                         that the year's national line is unverified still is)\n"
          "  --strict               stop at the first rule-script error\n"
          "  --reveal-ids           findings.csv shows resident IDs in full (default: masked)\n"
          "  --roster KIND=FILE     a department roster (hukou, medical, school, housing,\n"
          "                         assets) for stage rosters; repeatable, a kind may repeat\n"
          "  --id-key FILE          the rosters hold keyed hashes of IDs under this key\n"
          "\n"
          "  --lang zh|en           language of messages and finding details (default: the\n"
          "                         locale's if English, else Chinese)\n"
          "  -h, --help             show this help and exit\n"
          "  -V, --version          show the version and exit\n"
          "\n"
          "Exit status: 0 when the run completed (rejected rows included), 1 on a fatal\n"
          "error (one line on standard error names the file, line or parameter), 2 on a\n"
          "usage error.\n"), f);
}

static int want_arg(int argc, char **argv, int *i, const char *opt, const char **val)
{
    size_t n = strlen(opt);
    if (!strcmp(argv[*i], opt)) {
        if (*i + 1 >= argc) {
            fprintf(stderr, _("tuopin: option %s needs a value\n"), opt);
            return -1;
        }
        *val = argv[++*i];
        return 1;
    }
    if (!strncmp(argv[*i], opt, n) && argv[*i][n] == '=') {
        *val = argv[*i] + n + 1;
        return 1;
    }
    return 0;
}

static int replace(char **dst, const char *v)
{
    char *s = strdup(v);
    if (!s) return -1;
    free(*dst);
    *dst = s;
    return 0;
}

static int cmd_run(int argc, char **argv)
{
    run_config cfg;
    engine_totals tot;
    char err[2048];
    const char *pipeline = NULL, *v;
    const char *o_input = NULL, *o_quarter = NULL, *o_out = NULL, *o_enc = NULL;
    const char *o_fmt = NULL, *o_map = NULL, *o_key = NULL;
    kv_list cli, rosters;
    int i, r, quiet = 0, strict = 0, jobs = 0, reveal_ids = 0;

    memset(&cfg, 0, sizeof cfg);
    memset(&cli, 0, sizeof cli);
    memset(&rosters, 0, sizeof rosters);
    for (i = 1; i < argc; i++) {
        if ((r = want_arg(argc, argv, &i, "--input", &o_input)) ||
            (r = want_arg(argc, argv, &i, "--quarter", &o_quarter)) ||
            (r = want_arg(argc, argv, &i, "--out", &o_out)) ||
            (r = want_arg(argc, argv, &i, "--encoding", &o_enc)) ||
            (r = want_arg(argc, argv, &i, "--format", &o_fmt)) ||
            (r = want_arg(argc, argv, &i, "--mapping", &o_map)) ||
            (r = want_arg(argc, argv, &i, "--id-key", &o_key))) {
            if (r < 0) goto usage_error;
        } else if ((r = want_arg(argc, argv, &i, "--roster", &v))) {
            const char *eq;
            char key[32];
            if (r < 0) goto usage_error;
            eq = strchr(v, '=');
            if (!eq || eq == v || eq[1] == '\0' || (size_t)(eq - v) >= sizeof key) {
                fprintf(stderr, _("tuopin: --roster: expected KIND=FILE, got \"%s\"\n"), v);
                goto usage_error;
            }
            /* kept in order (a kind may repeat): the key is the position */
            snprintf(key, sizeof key, "%zu", rosters.n);
            if (kv_set(&rosters, key, v, "--roster") < 0) goto oom;
        } else if ((r = want_arg(argc, argv, &i, "--jobs", &v))) {
            int64_t j;
            if (r < 0) goto usage_error;
            if (val_decimal(v, 0, &j) < 0 || j < 1 || j > 1024) {
                fprintf(stderr, _("tuopin: --jobs: \"%s\" is not a number of threads (1-1024)\n"), v);
                goto usage_error;
            }
            jobs = (int)j;
        } else if ((r = want_arg(argc, argv, &i, "--param", &v))) {
            const char *eq;
            char key[256];
            if (r < 0) goto usage_error;
            eq = strchr(v, '=');
            if (!eq || eq == v || (size_t)(eq - v) >= sizeof key) {
                fprintf(stderr, _("tuopin: --param: expected NAME=VALUE, got \"%s\"\n"), v);
                goto usage_error;
            }
            snprintf(key, sizeof key, "%.*s", (int)(eq - v), v);
            if (kv_set(&cli, key, eq + 1, "--param") < 0) goto oom;
        } else if (!strcmp(argv[i], "--quiet") || !strcmp(argv[i], "-q")) {
            quiet = 1;
        } else if (!strcmp(argv[i], "--strict")) {
            strict = 1;
        } else if (!strcmp(argv[i], "--reveal-ids")) {
            reveal_ids = 1;
        } else if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
            usage(stdout);
            kv_free(&cli);
            kv_free(&rosters);
            return 0;
        } else if (argv[i][0] == '-' && argv[i][1] != '\0') {
            fprintf(stderr, _("tuopin: unknown option %s\n"), argv[i]);
            goto usage_error;
        } else if (!pipeline) {
            pipeline = argv[i];
        } else {
            fprintf(stderr, _("tuopin: unexpected argument %s\n"), argv[i]);
            goto usage_error;
        }
    }
    if (!pipeline) {
        fprintf(stderr, _("tuopin: run: which pipeline? (tuopin run PIPELINE)\n"));
        goto usage_error;
    }
    if (pipeline_load(pipeline, &cfg, err, sizeof err) < 0) {
        fprintf(stderr, _("tuopin: %s\n"), err);
        run_config_free(&cfg);
        kv_free(&cli);
        kv_free(&rosters);
        return 1;
    }
    if ((o_input && replace(&cfg.input, o_input) < 0) ||
        (o_quarter && replace(&cfg.quarter, o_quarter) < 0) ||
        (o_out && replace(&cfg.out_dir, o_out) < 0) ||
        (o_enc && replace(&cfg.encoding, o_enc) < 0) ||
        (o_fmt && replace(&cfg.format, o_fmt) < 0) ||
        (o_map && replace(&cfg.mapping, o_map) < 0) ||
        (o_key && replace(&cfg.id_key, o_key) < 0))
        goto oom;
    for (i = 0; (size_t)i < rosters.n; i++) {
        const char *kv = rosters.items[i].value, *eq = strchr(kv, '=');
        char kind[32];
        snprintf(kind, sizeof kind, "%.*s", (int)(eq - kv), kv);
        if (run_config_add_roster(&cfg, kind, eq + 1, NULL, NULL) < 0) goto oom;
    }
    kv_free(&rosters);
    for (i = 0; (size_t)i < cli.n; i++) {
        kv_list *dst = strchr(cli.items[i].key, '.') ? &cfg.script_params : &cfg.params;
        if (kv_set(dst, cli.items[i].key, cli.items[i].value, "--param") < 0) goto oom;
    }
    kv_free(&cli);
    cfg.quiet = quiet;
    cfg.strict = strict;
    cfg.jobs = jobs;
    cfg.reveal_ids = reveal_ids;
    r = engine_run(&cfg, &tot, err, sizeof err);
    if (r < 0) fprintf(stderr, _("tuopin: %s\n"), err);
    run_config_free(&cfg);
    return r < 0 ? 1 : 0;

usage_error:
    fprintf(stderr, _("Try 'tuopin --help' for more information.\n"));
    run_config_free(&cfg);
    kv_free(&cli);
    kv_free(&rosters);
    return 2;
oom:
    fprintf(stderr, _("tuopin: out of memory\n"));
    run_config_free(&cfg);
    kv_free(&cli);
    kv_free(&rosters);
    return 1;
}

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

static int cmd_plugins(int argc, char **argv)
{
    if (argc > 1 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
        printf(_("Usage: tuopin plugins\nList the stage plugins found, with versions and parameters.\n"));
        return 0;
    }
    plugin_each(print_stage, NULL);
    return 0;
}

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

int main(int argc, char **argv)
{
    int rc;
    const char *lang = take_lang(&argc, argv);
    if (i18n_init(lang) < 0) {
        fprintf(stderr, "tuopin: --lang: \"%s\" is not zh or en\n", lang);
        return 2;
    }
    if (argc < 2) {
        usage(stderr);
        return 2;
    }
    if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
        usage(stdout);
        return 0;
    }
    if (!strcmp(argv[1], "--version") || !strcmp(argv[1], "-V")) {
        printf(_("tuopin %s (stage ABI %d)\n"), PACKAGE_VERSION, TP_ABI_VERSION);
        return 0;
    }
    if (!strcmp(argv[1], "gen")) return gen_main(argc - 1, argv + 1);
    if (!strcmp(argv[1], "inspect")) return inspect_main(argc - 1, argv + 1);
    if (!strcmp(argv[1], "history")) return history_main(argc - 1, argv + 1);
    if (!strcmp(argv[1], "compare")) return compare_main(argc - 1, argv + 1);
    if (!strcmp(argv[1], "split")) return split_main(argc - 1, argv + 1);
    if (!strcmp(argv[1], "merge")) return merge_main(argc - 1, argv + 1);
    if (!strcmp(argv[1], "test")) return script_test_main(argc - 1, argv + 1);
    if (!strcmp(argv[1], "sample")) return sample_main(argc - 1, argv + 1);
    if (!strcmp(argv[1], "hash-ids")) return hash_ids_main(argc - 1, argv + 1);
    if (plugin_system_init() < 0) {
        fprintf(stderr, _("tuopin: cannot initialise libltdl\n"));
        return 1;
    }
    if (!strcmp(argv[1], "run")) rc = cmd_run(argc - 1, argv + 1);
    else if (!strcmp(argv[1], "plugins")) rc = cmd_plugins(argc - 1, argv + 1);
    else if (!strcmp(argv[1], "estimate")) rc = estimate_main(argc - 1, argv + 1);
    else {
        fprintf(stderr, _("tuopin: unknown command %s\nTry 'tuopin --help' for more information.\n"),
                argv[1]);
        rc = 2;
    }
    plugin_system_exit();
    return rc;
}
