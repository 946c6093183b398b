/* gen_field.c — `tuopin gen --field SAMPLE_DIR --registry FILE --out FILE`:
 * the rows field teams would send back for a sample (standard §9.2), made
 * from the registry's rows of the sampled households with differences
 * planted, so that a demo and the tests have field data to estimate from.
 *
 * Each sampled household draws its fate from its own SplitMix64 stream
 * (label "field:ID", the --seed), so the file depends only on the seed,
 * the sample and the registry:
 *   - with probability PCT% each, independently: income re-counted below
 *     the line (every income component 0, transfers 1,000 yuan a year for
 *     the household: below any year's line per person),
 *     water not safe, housing rated D and not fixed, a member more (the last
 *     member's row again, relation other), and the answer "no" to the
 *     satisfaction question (else "yes");
 *   - 3% of the sampled households are not visited: their rows are left
 *     out, and for every other one of them the first reserve of its village
 *     and domain is visited instead;
 *   - the first household of the registry that is neither sampled nor a
 *     reserve is added (estimate rejects it as NOT_SAMPLED).
 * Registry order is kept.  The output is written whole or not at all. */
#define _POSIX_C_SOURCE 200809L
#include "gen.h"
#include "cmdline.h"
#include "csv.h"
#include "field_design.h"
#include "i18n.h"
#include "output.h"
#include "pipeline.h"
#include "sbuf.h"
#include "schema.h"
#include "source.h"

#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { F_SAMPLED = 1, F_RESERVE = 2 };
enum { P_INCOME = 1, P_WATER = 2, P_HOUSING = 4, P_MEMBER = 8, P_UNHAPPY = 16, P_AWAY = 32, P_VISIT = 64 };

typedef struct gf_hh { char *id; char village[13]; char domain[12]; unsigned rank; unsigned kind, plant; } gf_hh;

static int hh_cmp(const void *a, const void *b)
{
    return strcmp(((const gf_hh *)a)->id, ((const gf_hh *)b)->id);
}

/* Reads a sample folder's CSV (sample.csv or reserve.csv) into v. */
static int read_list(const char *dir, const char *name, unsigned kind, gf_hh **v, size_t *n, size_t *cap,
                     char *err, size_t errlen)
{
    char path[PATH_MAX + 32];
    FILE *fp;
    csv_reader *r;
    csv_record rec;
    int step, first = 1;
    snprintf(path, sizeof path, "%s/%s", dir, name);
    if (!(fp = fopen(path, "rb")) || !(r = csv_open(csv_read_file, fp, 65536, 1 << 20))) {
        if (fp) fclose(fp);
        snprintf(err, errlen, _("%s: cannot read the file"), path);
        return -1;
    }
    while ((step = csv_next(r, &rec)) > 0) {
        gf_hh *h;
        if (first) { first = 0; continue; }
        if (rec.nfields < 5) continue;
        if (mem_grow((void **)v, cap, *n + 1, sizeof **v) < 0) goto oom;
        h = &(*v)[*n];
        memset(h, 0, sizeof *h);
        if (!(h->id = strdup(rec.fields[0].p))) goto oom;
        (*n)++;
        snprintf(h->village, sizeof h->village, "%s", rec.fields[2].p);
        snprintf(h->domain, sizeof h->domain, "%s", rec.fields[3].p);
        h->kind = kind;
        h->rank = kind == F_RESERVE ? (unsigned)atoi(rec.fields[4].p) : 0;
    }
    csv_close(r);
    fclose(fp);
    if (step < 0) {
        snprintf(err, errlen, _("%s: cannot read the file"), path);
        return -1;
    }
    return 0;
oom:
    csv_close(r);
    fclose(fp);
    snprintf(err, errlen, _("out of memory"));
    return -1;
}

static int chance(fd_rng *r, unsigned ppm)
{
    return fd_rng_below(r, 1000000) < ppm;
}

/* Writes one record with the household's planted changes. */
static void put_row(FILE *o, const csv_record *rec, const schema_map *map, unsigned plant, int extra)
{
    size_t i;
    for (i = 0; i < rec->nfields; i++) {
        int c = map->canon[i];
        const char *v = rec->fields[i].p;
        if (i) fputc(',', o);
        if ((plant & P_INCOME) && (c == COL_WAGE_INCOME || c == COL_OPERATING_INCOME || c == COL_OPERATING_COST
                                   || c == COL_PROPERTY_INCOME))
            v = "0";
        else if ((plant & P_INCOME) && c == COL_TRANSFER_INCOME) v = "1000";
        else if ((plant & P_INCOME) && c == COL_DECLARED_INCOME_PC) v = "";
        else if ((plant & P_WATER) && c == COL_WATER_SAFE) v = "no";
        else if ((plant & P_HOUSING) && c == COL_HOUSING_RATING) v = "D";
        else if ((plant & P_HOUSING) && c == COL_HOUSING_FIXED) v = "no";
        else if (c == COL_SATISFIED) v = (plant & P_UNHAPPY) ? "no" : "yes";
        else if (extra && c == COL_RELATION) v = "other";
        else if (extra && (c == COL_PERSON_ID || c == COL_NAME)) v = "";
        csv_write_field(o, v, strlen(v));
    }
    fputc('\n', o);
}

static void usage(FILE *f)
{
    fputs(_("Usage: tuopin gen --field SAMPLE_DIR --registry FILE --out FILE [--seed S] [--plant PCT]\n"
            "Write the rows field teams would send back for a sample: the sampled\n"
            "households' registry rows with differences planted (docs/field.md).\n"), f);
}

int gen_field_main(int argc, char **argv)
{
    static const struct option opts[] = {
        CMDLINE_VALUE("field", 'f'), CMDLINE_VALUE("registry", 'r'), CMDLINE_VALUE("out", 'o'),
        CMDLINE_VALUE("seed", 's'), CMDLINE_VALUE("plant", 'p'), CMDLINE_VALUE("encoding", 'e'),
        CMDLINE_HELP_END
    };
    const char *sdir = NULL, *reg = NULL, *outp = NULL, *enc = NULL;
    char err[2048], prev[256] = "", label[300];
    unsigned long long seed = 1;
    unsigned ppm = 100000, cur_plant = 0;
    gf_hh *v = NULL, *cur = NULL;
    size_t n = 0, cap = 0, i, nres = 0;
    run_config cfg;
    source *src = NULL;
    csv_record rec;
    schema_map map;
    out_file o;
    sbuf last;
    int c, rc = 1, step, pid, added = 0, in_extra = 0, opened = 0;
    const char **names = NULL;
    size_t *lens = NULL;

    memset(&cfg, 0, sizeof cfg);
    memset(&map, 0, sizeof map);
    memset(&o, 0, sizeof o);
    memset(&last, 0, sizeof last);
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        char *end;
        switch (c) {
        case 'f': sdir = optarg; break;
        case 'r': reg = optarg; break;
        case 'o': outp = optarg; break;
        case 'e': enc = optarg; break;
        case 's':
            seed = strtoull(optarg, &end, 10);
            if (!*optarg || *end) goto usage_error;
            break;
        case 'p': {
            double p = strtod(optarg, &end);
            if (!*optarg || *end || p < 0 || p > 100) goto usage_error;
            ppm = (unsigned)(p * 10000 + 0.5);
            break;
        }
        case 'h': usage(stdout); return 0;
        default: goto usage_error;
        }
    }
    if (!sdir || !reg || !outp || optind != argc) goto usage_error;
    if (read_list(sdir, "sample.csv", F_SAMPLED, &v, &n, &cap, err, sizeof err) < 0) goto fatal;
    if (read_list(sdir, "reserve.csv", F_RESERVE, &v, &n, &cap, err, sizeof err) < 0) goto fatal;
    /* fates: sampled households first (the draw of each is its own) */
    for (i = 0; i < n; i++) {
        fd_rng r;
        gf_hh *h = &v[i];
        if (h->kind != F_SAMPLED) continue;
        snprintf(label, sizeof label, "field:%s", h->id);
        fd_rng_init(&r, seed, label);
        h->plant |= chance(&r, ppm) ? P_INCOME : 0;
        h->plant |= chance(&r, ppm) ? P_WATER : 0;
        h->plant |= chance(&r, ppm) ? P_HOUSING : 0;
        h->plant |= chance(&r, ppm / 4) ? P_MEMBER : 0;
        h->plant |= chance(&r, ppm) ? P_UNHAPPY : 0;
        h->plant |= chance(&r, 30000) ? P_AWAY : 0;
    }
    /* every other household not visited: its first reserve visited instead */
    for (i = 0; i < n; i++) {
        size_t j;
        if (v[i].kind != F_SAMPLED || !(v[i].plant & P_AWAY) || (nres++ % 2)) continue;
        for (j = 0; j < n; j++)
            if (v[j].kind == F_RESERVE && v[j].rank == 1 && !strcmp(v[j].village, v[i].village)
                && !strcmp(v[j].domain, v[i].domain) && !(v[j].plant & P_VISIT)) {
                v[j].plant |= P_VISIT;
                break;
            }
    }
    qsort(v, n, sizeof *v, hh_cmp);

    cfg.input = (char *)(uintptr_t)reg;
    cfg.encoding = (char *)(uintptr_t)enc;
    cfg.quiet = 1;
    if (!(src = source_open(&cfg, err, sizeof err))) goto fatal;
    if ((step = source_next(src, &rec)) <= 0) {
        snprintf(err, sizeof err, "%s: %s", reg, step < 0 ? source_error(src) : _("no header: the file is empty"));
        goto fatal;
    }
    if (!(names = malloc(rec.nfields * sizeof *names)) || !(lens = malloc(rec.nfields * sizeof *lens))) goto oom;
    for (i = 0; i < rec.nfields; i++) {
        names[i] = rec.fields[i].p;
        lens[i] = rec.fields[i].n;
    }
    if (schema_map_header(&map, names, lens, rec.nfields, err, sizeof err) < 0) goto fatal;
    if ((pid = map.pos[COL_HOUSEHOLD_ID]) < 0) {
        snprintf(err, sizeof err, _("%s: no household_id column"), reg);
        goto fatal;
    }
    {
        const char *slash = strrchr(outp, '/');
        char dir[PATH_MAX];
        snprintf(dir, sizeof dir, "%.*s", slash ? (int)(slash - outp) : 1, slash ? outp : ".");
        if (slash && slash == outp) snprintf(dir, sizeof dir, "/");
        if (out_open_plain(&o, dir, slash ? slash + 1 : outp, err, sizeof err) < 0) goto fatal;
    }
    opened = 1;
    for (i = 0; i < rec.nfields; i++) {
        if (i) fputc(',', o.f);
        csv_write_field(o.f, rec.fields[i].p, rec.fields[i].n);
    }
    fputc('\n', o.f);
    while ((step = source_next(src, &rec)) > 0) {
        const csv_field *hid;
        if (rec.nfields != map.ncols) continue;
        hid = &rec.fields[pid];
        if (hid->n >= sizeof prev) continue;
        if (strcmp(prev, hid->p)) {
            gf_hh key, *h;
            if (cur && (cur_plant & P_MEMBER) && last.n) fwrite(last.p, 1, last.n, o.f);
            memcpy(prev, hid->p, hid->n + 1);
            key.id = prev;
            h = bsearch(&key, v, n, sizeof *v, hh_cmp);
            cur = NULL;
            in_extra = 0;
            if (h && ((h->kind == F_SAMPLED && !(h->plant & P_AWAY)) || (h->plant & P_VISIT))) {
                cur = h;
                h->plant &= ~(unsigned)P_VISIT;   /* the first block only */
                cur_plant = h->plant;
            } else if (!h && !added) {
                added = 1;                          /* the one household not sampled */
                in_extra = 1;
                cur_plant = 0;
            }
        }
        if (!cur && !in_extra) continue;
        put_row(o.f, &rec, &map, cur_plant, 0);
        if (cur && (cur_plant & P_MEMBER)) {
            FILE *mf;
            char *buf = NULL;
            size_t blen = 0;
            if (!(mf = open_memstream(&buf, &blen))) goto oom;
            put_row(mf, &rec, &map, cur_plant, 1);
            fclose(mf);
            last.n = 0;
            sb_put(&last, buf, blen);
            free(buf);
            if (last.oom) goto oom;
        }
    }
    if (cur && (cur_plant & P_MEMBER) && last.n) fwrite(last.p, 1, last.n, o.f);
    if (step < 0) {
        snprintf(err, sizeof err, "%s: %s", reg, source_error(src));
        goto fatal;
    }
    if (out_commit(&o, err, sizeof err) < 0) {
        opened = 0;
        goto fatal;
    }
    opened = 0;
    rc = 0;
    goto out;
usage_error:
    usage(stderr);
    rc = 2;
    goto out;
oom:
    snprintf(err, sizeof err, _("out of memory"));
fatal:
    fprintf(stderr, "tuopin gen: %s\n", err);
    rc = 1;
out:
    if (opened) out_abort(&o);
    if (src) source_close(src);
    schema_map_free(&map);
    free(names);
    free(lens);
    sb_free(&last);
    for (i = 0; i < n; i++) free(v[i].id);
    free(v);
    return rc;
}
