/* cmd_run.c — `tuopin run PIPELINE [OPTION]...`: reads the pipeline file,
 * lets the options override it, runs the engine and then, when the pipeline
 * names a history, adds the committed run to it. */
#define _POSIX_C_SOURCE 200809L
#include "cmdline.h"
#include "commands.h"
#include "engine.h"
#include "history.h"
#include "i18n.h"
#include "pipeline.h"
#include "values.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void run_usage(FILE *f)
{
    fputs(_("Usage: tuopin run PIPELINE [OPTION]...\n"
            "Run a pipeline file (a Lua description of the stages) over a quarter's input.\n"
            "\n"
            "  --input FILE           input CSV (- for standard input); overrides the pipeline\n"
            "  --quarter YYYYQn       the quarter assessed; its last day is the as-of date\n"
            "  --out DIR              output folder\n"
            "  --encoding E           the input's encoding: utf-8 (default) or gb18030\n"
            "  --format F             the input's format: csv or jsonl (default: from the name)\n"
            "  --mapping M            a column mapping: a file, or the name of a shipped one\n"
            "                         (national-system); overrides the pipeline\n"
            "  --param NAME=VALUE     set a parameter of the C stages (NAME.KEY=VALUE: of script NAME)\n"
            "  --jobs N               worker threads (default: the number of cores)\n"
            "  -q, --quiet            no progress or closing line on standard error (a notice\n"
            "                         that the year's national line is unverified still is)\n"
            "  --strict               stop at the first rule-script error\n"
            "  --keep-going           run on when a rule script fails on each of its first 100\n"
            "                         households (by default the run stops there)\n"
            "  --reveal-ids           findings.csv shows resident IDs in full (default: masked)\n"
            "  --below-standard       allow an income_line or county threshold below the national\n"
            "                         standard (research only; every output then says so)\n"
            "  --roster KIND=FILE     a department roster (hukou, medical, school, housing,\n"
            "                         assets) for stage rosters; repeatable, a kind may repeat\n"
            "  --id-key FILE          the rosters hold keyed hashes of IDs under this key\n"
            "  --region-names FILE    the regions' names (CSV: code,name[,name_en]), shown beside\n"
            "                         the codes; the provinces' names are shipped\n"), f);
    fputs(cmdline_csv_bom_help(), f);
    fputs(_("  -h, --help             show this help and exit\n"
            "\n"
            "Exit status: 0 when the run completed (rejected rows included), 1 on a fatal\n"
            "error (one line on standard error names the file, line or parameter), 2 on a\n"
            "usage error or a parameter below the national standard.\n"), f);
}

enum { O_INPUT = 0x200, O_QUARTER, O_OUT, O_ENCODING, O_FORMAT, O_MAPPING, O_JOBS, O_PARAM,
       O_STRICT, O_REVEAL_IDS, O_ROSTER, O_ID_KEY, O_BELOW, O_KEEP_GOING, O_REGION_NAMES };

static const struct option run_options[] = {
    CMDLINE_VALUE("input", O_INPUT), CMDLINE_VALUE("quarter", O_QUARTER), CMDLINE_VALUE("out", O_OUT),
    CMDLINE_VALUE("encoding", O_ENCODING), CMDLINE_VALUE("format", O_FORMAT),
    CMDLINE_VALUE("mapping", O_MAPPING), CMDLINE_VALUE("jobs", O_JOBS), CMDLINE_VALUE("param", O_PARAM),
    CMDLINE_FLAG("quiet", 'q'), CMDLINE_FLAG("strict", O_STRICT), CMDLINE_FLAG("keep-going", O_KEEP_GOING),
    CMDLINE_FLAG("reveal-ids", O_REVEAL_IDS), CMDLINE_FLAG("below-standard", O_BELOW),
    CMDLINE_VALUE("roster", O_ROSTER), CMDLINE_VALUE("id-key", O_ID_KEY),
    CMDLINE_VALUE("region-names", O_REGION_NAMES), CMDLINE_CSV_BOM, CMDLINE_HELP_END
};

static int replace(char **dst, const char *v)
{
    char *s = strdup(v);
    if (!s) return -1;
    free(*dst);
    *dst = s;
    return 0;
}

int run_main(int argc, char **argv)
{
    run_config cfg;
    engine_totals tot;
    engine_kept kept;
    cmdline cl;
    char err[2048];
    const char *pipeline = NULL, *v;
    const char *o_input = NULL, *o_quarter = NULL, *o_out = NULL, *o_enc = NULL;
    const char *o_fmt = NULL, *o_map = NULL, *o_key = NULL, *o_names = NULL;
    kv_list cli, rosters;
    int i, r, quiet = 0, strict = 0, keep_going = 0, jobs = 0, reveal_ids = 0, below = 0, o;

    memset(&cfg, 0, sizeof cfg);
    memset(&cli, 0, sizeof cli);
    memset(&rosters, 0, sizeof rosters);
    cmdline_init(&cl, "run", argc, argv, "hq", run_options);
    while ((o = cmdline_next(&cl)) != CMDLINE_END) {
        v = cl.arg;
        switch (o) {
        case O_INPUT: o_input = v; break;
        case O_QUARTER: o_quarter = v; break;
        case O_OUT: o_out = v; break;
        case O_ENCODING: o_enc = v; break;
        case O_FORMAT: o_fmt = v; break;
        case O_MAPPING: o_map = v; break;
        case O_ID_KEY: o_key = v; break;
        case O_REGION_NAMES: o_names = v; break;
        case O_ROSTER: {
            const char *eq = strchr(v, '=');
            char key[32];
            if (!eq || eq == v || eq[1] == '\0' || (size_t)(eq - v) >= sizeof key) {
                cmdline_usage_error(&cl, _("--roster: expected KIND=FILE, got \"%s\""), v);
                goto usage_error;
            }
            /* kept in order (a kind may repeat): the key is the position */
            snprintf(key, sizeof key, "%zu", rosters.n);
            if (kv_set(&rosters, key, v, "--roster") < 0) goto oom;
            break;
        }
        case O_JOBS: {
            int64_t j;
            /* 64: docs/decisions.md (each job holds chunks and one Lua
             * state per script; past the cores it only costs memory). */
            if (val_decimal(v, 0, &j) < 0 || j < 1 || j > 64) {
                cmdline_usage_error(&cl, _("--jobs: \"%s\" is not a number of threads (1-64)"), v);
                goto usage_error;
            }
            jobs = (int)j;
            break;
        }
        case O_PARAM: {
            const char *eq = strchr(v, '=');
            char key[256];
            if (!eq || eq == v || (size_t)(eq - v) >= sizeof key) {
                cmdline_usage_error(&cl, _("--param: expected NAME=VALUE, got \"%s\""), v);
                goto usage_error;
            }
            snprintf(key, sizeof key, "%.*s", (int)(eq - v), v);
            if (kv_set(&cli, key, eq + 1, "--param") < 0) goto oom;
            break;
        }
        case 'q': quiet = 1; break;
        case O_STRICT: strict = 1; break;
        case O_KEEP_GOING: keep_going = 1; break;
        case O_REVEAL_IDS: reveal_ids = 1; break;
        case O_BELOW: below = 1; break;
        case 'h':
            run_usage(stdout);
            kv_free(&cli);
            kv_free(&rosters);
            return 0;
        case CMDLINE_OPERAND:
            if (cmdline_operand(&cl, &pipeline)) goto usage_error;
            break;
        default:
            goto usage_error;
        }
    }
    if (!pipeline) {
        cmdline_usage_error(&cl, _("which pipeline? (tuopin run PIPELINE)"));
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
        (o_key && replace(&cfg.id_key, o_key) < 0) ||
        (o_names && replace(&cfg.region_names, o_names) < 0))
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
    cfg.keep_going = keep_going;
    cfg.jobs = jobs;
    cfg.reveal_ids = reveal_ids;
    cfg.below_standard = below;
    /* With a history, the run keeps the transfer incomes the history
     * needs, so that the input is not read a second time. */
    memset(&kept, 0, sizeof kept);
    r = engine_run_keep(&cfg, cfg.history && cfg.history[0] ? &kept : NULL, &tot, err, sizeof err);
    /* A parameter below the national standard is refused like a usage
     * error: the run never started. */
    if (r == -2) {
        fprintf(stderr, _("tuopin: %s\n"), err);
        engine_kept_free(&kept);
        run_config_free(&cfg);
        return 2;
    }
    /* output { history = "FILE" }: the committed run joins the history. */
    if (r == 0) r = history_after_run(&cfg, &kept, err, sizeof err);
    engine_kept_free(&kept);
    if (r < 0) fprintf(stderr, _("tuopin: %s\n"), err);
    run_config_free(&cfg);
    return r < 0 ? 1 : 0;

usage_error:
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
