/* sample.c — `tuopin sample RUN_DIR --out DIR`: draws the §9.1 sample over
 * a run's evaluated households and writes sample.csv, reserve.csv,
 * design.csv, sample_info.csv (what re-draws it: the run, the frame's
 * SHA-256, the seed, the parameters, the generator) and one field workbook
 * per county.  All files are written whole or not at all. */
#define _DEFAULT_SOURCE
#include "config.h" /* PACKAGE_VERSION */
#include "cmdline.h"
#include "field.h"
#include "field_design.h"
#include "field_sample.h"
#include "field_sheet.h"
#include "i18n.h"
#include "output.h"
#include "pipeline.h"
#include "sbuf.h"
#include "sha256.h"
#include "values.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static void usage(FILE *f)
{
    fputs(_("Usage: tuopin sample RUN_DIR --out DIR [--seed S] [--param NAME=VALUE]...\n"
            "                     [--input FILE] [--encoding E] [--mapping M] [--quiet]\n"
            "Draw the field verification sample of standard §9.1 over a run's evaluated\n"
            "households: villages within each county, then households of each domain\n"
            "(registered, general) within each drawn village.\n"
            "\n"
            "  --out DIR              the sample folder (sample.csv, reserve.csv, design.csv,\n"
            "                         sample_info.csv, field-COUNTY.xlsx)\n"
            "  --seed S               the seed, a whole number 0-18446744073709551615 (default 1)\n"
            "  --param villages_per_county=N     villages drawn per county (default 6)\n"
            "  --param households_per_domain=N   households drawn per village and domain\n"
            "                                    (default 10)\n"
            "  --param reserve_per_domain=N      reserves listed per village and domain\n"
            "                                    (default 3)\n"
            "  --input FILE           the run's input, when not where the run read it (for\n"
            "                         the field sheets; checked against the run's SHA-256)\n"
            "  --encoding E, --mapping M   how to read it (default: as the run's pipeline)\n"
            "  --quiet                no closing line\n"
            "  -h, --help             show this help and exit\n"), f);
    fputs(_("  --certainty quality:K  take the K highest-ranked villages of each county in the\n"
            "                         run's quality.csv with certainty (own strata), and draw\n"
            "                         villages_per_county from the others (docs/quality.md)\n"), f);
    fputs(cmdline_csv_bom_help(), f);
}

int fsm_parse_u64(const char *s, uint64_t *out)
{
    uint64_t v = 0;
    if (!*s) return -1;
    for (; *s; s++) {
        if (*s < '0' || *s > '9' || v > (UINT64_MAX - (uint64_t)(*s - '0')) / 10) return -1;
        v = v * 10 + (uint64_t)(*s - '0');
    }
    *out = v;
    return 0;
}

int fsm_set_param(fd_params *p, const char *kv, char *err, size_t errlen)
{
    const char *eq = strchr(kv, '=');
    uint64_t v;
    uint32_t *dst;
    size_t n = eq ? (size_t)(eq - kv) : 0;
    if (!eq) {
        snprintf(err, errlen, _("--param: expected NAME=VALUE, got \"%s\""), kv);
        return -1;
    }
    if (n == 19 && !strncmp(kv, "villages_per_county", n)) dst = &p->villages_per_county;
    else if (n == 21 && !strncmp(kv, "households_per_domain", n)) dst = &p->households_per_domain;
    else if (n == 18 && !strncmp(kv, "reserve_per_domain", n)) dst = &p->reserve_per_domain;
    else {
        snprintf(err, errlen, _("--param: unknown parameter \"%.*s\" (villages_per_county, "
                 "households_per_domain, reserve_per_domain)"), (int)n, kv);
        return -1;
    }
    if (fsm_parse_u64(eq + 1, &v) < 0 || v > 100000 || (v == 0 && dst != &p->reserve_per_domain)) {
        snprintf(err, errlen, _("--param %.*s: \"%s\" is not a whole number from %d to 100000"), (int)n, kv,
                 eq + 1, dst == &p->reserve_per_domain ? 0 : 1);
        return -1;
    }
    *dst = (uint32_t)v;
    return 0;
}

static void sha_of(const char *p, size_t n, char hex[65])
{
    sha256_ctx c;
    sha256_init(&c);
    sha256_update(&c, n, (const uint8_t *)p);
    sha256_final_hex(&c, hex);
}

/* Hands the text built in b to *p (n bytes in *n) and empties b for the next.
 * RETURN 0, or -1 when b ran out of memory. */
static int take(sbuf *b, char **p, size_t *n)
{
    int oom = b->oom;
    *p = b->p;
    *n = b->n;
    memset(b, 0, sizeof *b);
    return oom ? -1 : 0;
}

int fsm_texts(const fd_frame *f, const fd_design *d, const char *run_dir, fsm_texts_t *t)
{
    sbuf b;
    size_t i;
    char line[256];
    memset(t, 0, sizeof *t);
    if (fd_sample_csv(f, d, &t->sample, &t->nsample) < 0) return -1;
    sha_of(t->sample, t->nsample, t->sample_sha);

    memset(&b, 0, sizeof b);
    sb_str(&b, "household_id,county_code,village_code,domain,rank\n");
    for (i = 0; i < d->nreserves; i++) {
        const fd_unit *u = &d->reserves[i];
        const fd_village *v = &d->villages[u->village];
        sb_csv_str(&b, f->h[u->hh].id);
        snprintf(line, sizeof line, ",%.6s,%s,%s,%u\n", v->code, v->code, fd_domain_names[u->domain],
                 (unsigned)u->rank);
        sb_str(&b, line);
    }
    if (take(&b, &t->reserve, &t->nreserve) < 0) return -1;

    /* with --certainty, two more columns: the stratum and why the village
     * is in it (a certainty village is a stratum of its own: M = m = 1) */
    sb_str(&b, d->p.certainty_k ? "county_code,village_code,M,m,sampled,N_registered,n_registered,N_general,"
                                  "n_general,stratum,certainty\n"
                                : "county_code,village_code,M,m,sampled,N_registered,n_registered,N_general,n_general\n");
    for (i = 0; i < d->nvillages; i++) {
        const fd_village *v = &d->villages[i];
        const fd_county *c = &d->counties[v->county];
        int cert = v->certain_rank > 0;
        snprintf(line, sizeof line, "%s,%s,%u,%u,%s,%u,%u,%u,%u", c->code, v->code, cert ? 1u : (unsigned)c->M,
                 cert ? 1u : (unsigned)c->m, v->sampled ? "yes" : "no", (unsigned)v->N[0], (unsigned)v->n[0],
                 (unsigned)v->N[1], (unsigned)v->n[1]);
        sb_str(&b, line);
        if (d->p.certainty_k) {
            if (cert) snprintf(line, sizeof line, ",%s,quality rank %u of the county (--certainty quality:%u)\n",
                               v->code, (unsigned)v->certain_rank, (unsigned)d->p.certainty_k);
            else snprintf(line, sizeof line, ",%s,\n", c->code);
            sb_str(&b, line);
        } else {
            sb_chr(&b, '\n');
        }
    }
    if (take(&b, &t->design, &t->ndesign) < 0) return -1;

    sb_str(&b, "name,value\n");
#define KV(k, v) do { sb_str(&b, k ","); sb_csv_str(&b, v); sb_chr(&b, '\n'); } while (0)
    KV("tuopin_version", PACKAGE_VERSION);
    KV("run_dir", run_dir);
    KV("quarter", f->quarter);
    KV("input_sha256", f->input_sha256);
    KV("frame_sha256", f->sha256);
    snprintf(line, sizeof line, "%zu", f->n);
    KV("frame_households", line);
    snprintf(line, sizeof line, "%llu", (unsigned long long)d->p.seed);
    KV("seed", line);
    snprintf(line, sizeof line, "%u", (unsigned)d->p.villages_per_county);
    KV("villages_per_county", line);
    snprintf(line, sizeof line, "%u", (unsigned)d->p.households_per_domain);
    KV("households_per_domain", line);
    snprintf(line, sizeof line, "%u", (unsigned)d->p.reserve_per_domain);
    KV("reserve_per_domain", line);
    if (d->p.certainty_k) {
        snprintf(line, sizeof line, "quality:%u", (unsigned)d->p.certainty_k);
        KV("certainty", line);
    }
    KV("generator", "splitmix64; stream seed XOR fnv1a64(label); uniform by rejection; partial Fisher-Yates");
    KV("sample_sha256", t->sample_sha);
#undef KV
    return take(&b, &t->info, &t->ninfo);
}

void fsm_texts_free(fsm_texts_t *t)
{
    MEM_RELEASE(t, t->sample, t->reserve, t->design, t->info);
}

static int write_text(out_file *o, const char *dir, const char *name, const char *p, size_t n,
                      char *err, size_t errlen)
{
    if (out_open(o, dir, name, err, errlen) < 0) return -1;
    fwrite(p, 1, n, o->f);
    return 0;
}

int sample_main(int argc, char **argv)
{
    static const struct option opts[] = {
        CMDLINE_VALUE("out", 'o'), CMDLINE_VALUE("seed", 's'), CMDLINE_VALUE("param", 'p'),
        CMDLINE_VALUE("input", 'i'), CMDLINE_VALUE("encoding", 'e'), CMDLINE_VALUE("mapping", 'm'),
        CMDLINE_VALUE("certainty", 'c'), CMDLINE_FLAG("quiet", 'q'), CMDLINE_CSV_BOM, CMDLINE_HELP_END
    };
    const char *out = NULL, *o_input = NULL, *o_enc = NULL, *o_map = NULL, *run_dir = NULL;
    cmdline cl;
    char err[2048], run_abs[PATH_MAX];
    fd_params p;
    fd_frame f;
    fd_design d;
    fs_rows rows;
    fsm_texts_t t;
    run_config cfg;
    out_file *files = NULL;
    out_file **fp = NULL;
    size_t nfiles = 0, i;
    int c, quiet = 0, rc = 1, have_frame = 0, have_design = 0;
    const char *info[10];

    fd_params_default(&p);
    memset(&rows, 0, sizeof rows);
    memset(&t, 0, sizeof t);
    memset(&cfg, 0, sizeof cfg);
    cmdline_init(&cl, "sample", argc, argv, "hq", opts);
    while ((c = cmdline_next(&cl)) != CMDLINE_END) {
        const char *optarg = cl.arg;
        switch (c) {
        case 'o': out = optarg; break;
        case 'i': o_input = optarg; break;
        case 'e': o_enc = optarg; break;
        case 'm': o_map = optarg; break;
        case CMDLINE_OPERAND:
            if (cmdline_operand(&cl, &run_dir)) return 2;
            break;
        case CMDLINE_ERROR: return 2;
        case 'q': quiet = 1; break;
        case 'h': usage(stdout); return 0;
        case 's':
            if (fsm_parse_u64(optarg, &p.seed) < 0) {
                fprintf(stderr, _("tuopin sample: --seed: \"%s\" is not a whole number 0-18446744073709551615\n"),
                        optarg);
                goto usage_error;
            }
            break;
        case 'c': {
            uint64_t k;
            if (strncmp(optarg, "quality:", 8) || fsm_parse_u64(optarg + 8, &k) < 0 || k < 1 || k > 100000) {
                fprintf(stderr, _("tuopin sample: --certainty: \"%s\" is not quality:K with K a whole number "
                                  "from 1 to 100000\n"), optarg);
                goto usage_error;
            }
            p.certainty_k = (uint32_t)k;
            break;
        }
        case 'p':
            if (fsm_set_param(&p, optarg, err, sizeof err) < 0) {
                fprintf(stderr, "tuopin sample: %s\n", err);
                goto usage_error;
            }
            break;
        default: return 2;
        }
    }
    if (!run_dir || !out) {
        fprintf(stderr, _("tuopin sample: expected one RUN_DIR and --out DIR\n"));
        goto usage_error;
    }
    if (!realpath(run_dir, run_abs)) snprintf(run_abs, sizeof run_abs, "%s", run_dir);
    if (fd_frame_load(&f, run_dir, err, sizeof err) < 0) goto fatal;
    have_frame = 1;
    if (fd_certainty_load(&p, run_dir, err, sizeof err) < 0) goto fatal;
    if (fd_draw(&f, &p, &d) < 0) goto oom;
    have_design = 1;

    /* the registry rows for the sheets: the run's input, read as its pipeline said */
    if (f.pipeline && f.pipeline[0]) {
        struct stat st;
        if (stat(f.pipeline, &st) == 0 && pipeline_load(f.pipeline, &cfg, err, sizeof err) < 0) {
            run_config_free(&cfg);
            memset(&cfg, 0, sizeof cfg);
        }
    }
    free(cfg.input);
    cfg.input = strdup(o_input ? o_input : f.input_path ? f.input_path : "-");
    if (o_enc) { free(cfg.encoding); cfg.encoding = strdup(o_enc); }
    if (o_map) { free(cfg.mapping); cfg.mapping = strdup(o_map); }
    if (!cfg.input || (o_enc && !cfg.encoding) || (o_map && !cfg.mapping)) goto oom;
    cfg.quiet = 1;
    if (!strcmp(cfg.input, "-") || !strcmp(cfg.input, PIPELINE_PG_INPUT)) {
        if (!quiet)
            fprintf(stderr, _("tuopin sample: notice: the run did not read a file: the field sheets list the "
                              "households without their registry rows (give --input FILE)\n"));
    } else if (fs_collect(&cfg, f.input_sha256, &f, &d, &rows, err, sizeof err) < 0) {
        goto fatal;
    }

    if (fsm_texts(&f, &d, run_abs, &t) < 0) goto oom;
    if (out_mkdir(out, err, sizeof err) < 0) goto fatal;
    if (!(files = calloc(4 + d.ncounties, sizeof *files)) || !(fp = calloc(4 + d.ncounties, sizeof *fp)))
        goto oom;
    for (i = 0; i < 4 + d.ncounties; i++) fp[i] = &files[i];
    if (write_text(&files[nfiles++], out, "sample.csv", t.sample, t.nsample, err, sizeof err) < 0
        || write_text(&files[nfiles++], out, "reserve.csv", t.reserve, t.nreserve, err, sizeof err) < 0
        || write_text(&files[nfiles++], out, "design.csv", t.design, t.ndesign, err, sizeof err) < 0
        || write_text(&files[nfiles++], out, "sample_info.csv", t.info, t.ninfo, err, sizeof err) < 0)
        goto fatal_files;
    {
        char seed[24], vpc[16], hpd[16];
        snprintf(seed, sizeof seed, "%llu", (unsigned long long)p.seed);
        snprintf(vpc, sizeof vpc, "%u", (unsigned)p.villages_per_county);
        snprintf(hpd, sizeof hpd, "%u", (unsigned)p.households_per_domain);
        info[0] = FS_ABOUT_SEED; info[1] = seed;
        info[2] = FS_ABOUT_FRAME; info[3] = f.sha256;
        info[4] = "每县抽村数 villages_per_county"; info[5] = vpc;
        info[6] = "每村每类抽户数 households_per_domain"; info[7] = hpd;
        info[8] = "季度 quarter"; info[9] = f.quarter;
        for (i = 0; i < d.ncounties; i++) {
            char name[64];
            snprintf(name, sizeof name, "field-%s.xlsx", d.counties[i].code);
            if (out_open(&files[nfiles++], out, name, err, sizeof err) < 0
                || fs_write_county(&files[nfiles - 1], &f, &d, i, &rows, info, 5, err, sizeof err) < 0)
                goto fatal_files;
        }
    }
    if (out_commit_all(fp, nfiles, err, sizeof err) < 0) {
        nfiles = 0;
        goto fatal;
    }
    if (!quiet)
        fprintf(stderr, _("tuopin sample: %zu households in %zu counties drawn (seed %llu) from %zu; written to %s\n"),
                d.nunits, d.ncounties, (unsigned long long)p.seed, f.n, out);
    rc = 0;
    nfiles = 0;
    goto out;
fatal_files:
    for (i = 0; i < nfiles; i++) out_abort(&files[i]);
    nfiles = 0;
    goto fatal;
oom:
    snprintf(err, sizeof err, _("out of memory"));
fatal:
    fprintf(stderr, "tuopin sample: %s\n", err);
    rc = 1;
    goto out;
usage_error:
    return cmdline_hint("sample");
out:
    free(files);
    free(fp);
    fs_rows_free(&rows);
    fsm_texts_free(&t);
    run_config_free(&cfg);
    if (have_design) fd_design_free(&d);
    if (have_frame) fd_frame_free(&f);
    free(p.certain);
    return rc;
}
