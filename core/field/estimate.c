/* estimate.c — `tuopin estimate SAMPLE_DIR --field FILE --out DIR`: checks
 * that the sample folder is what its run, seed and parameters give (a
 * folder of another run, or an edited sample.csv, is refused), assesses the
 * field rows with the run's pipeline (a run of the engine into DIR/field-run),
 * matches the field households to the sample (reserves standing in for
 * sampled households that could not be visited; anything else NOT_SAMPLED),
 * and writes the estimates of standard §9.2 (estimate_out.c). */
#define _DEFAULT_SOURCE
#include "cmdline.h"
#include "field.h"
#include "field_design.h"
#include "field_estimate.h"
#include "field_sample.h"
#include "field_sheet.h"
#include "csv.h"
#include "engine.h"
#include "household.h"
#include "i18n.h"
#include "output.h"
#include "pipeline.h"
#include "sbuf.h"
#include "schema.h"
#include "source.h"
#include "values.h"

#include <dirent.h>
#include <limits.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

static void usage(FILE *f)
{
    fputs(_("Usage: tuopin estimate SAMPLE_DIR --field FILE... --out DIR [--pipeline P]\n"
            "                       [--encoding E] [--format F] [--mapping M] [--quiet]\n"
            "Assess the field teams' rows of a sample with the run's pipeline and estimate,\n"
            "per county, the wrong-exit rate, the missed rate, the incidence, satisfaction\n"
            "and the paper-exit rate with standard errors and 95 percent intervals (standard §9.2).\n"
            "\n"
            "  --field FILE           the field rows (CSV or JSON Lines, like any input), or\n"
            "                         the filled field workbooks (field-COUNTY.xlsx: give\n"
            "                         --field once per workbook, or a folder of them)\n"
            "  --out DIR              output folder (field_households.csv, estimates.csv,\n"
            "                         field_counties.csv, agreement.csv, estimates.html,\n"
            "                         field_rejects.csv, and field-run/: the field rows' run)\n"
            "  --pipeline P           assess with P instead of the run's pipeline\n"
            "  --encoding E           the field file's encoding: utf-8 (default) or gb18030\n"
            "  --format F             csv or jsonl (default: from the name)\n"
            "  --mapping M            a column mapping for the field file\n"
            "  --quiet                no closing line\n"
            "  -h, --help             show this help and exit\n"), f);
    fputs(cmdline_csv_bom_help(), f);
}

/* ---- the field workbooks ------------------------------------------------------------------ */

typedef struct books { char **v; size_t n, cap; } books;

static int ends_xlsx(const char *p)
{
    size_t n = strlen(p);
    return n >= 5 && !strcasecmp(p + n - 5, ".xlsx");
}

static int books_add(books *b, const char *path)
{
    if (mem_grow((void **)&b->v, &b->cap, b->n + 1, sizeof *b->v) < 0) return -1;
    if (!(b->v[b->n] = strdup(path))) return -1;
    b->n++;
    return 0;
}

static int str_cmp(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

/* A --field argument: a workbook, or a folder whose field-*.xlsx are taken
 * in name order.  RETURN 0, or -1 with a message. */
static int books_arg(books *b, const char *arg, char *err, size_t errlen)
{
    struct stat st;
    DIR *dir;
    struct dirent *e;
    size_t first = b->n;
    if (stat(arg, &st) != 0 || !S_ISDIR(st.st_mode)) {
        if (books_add(b, arg) < 0) goto oom;
        return 0;
    }
    if (!(dir = opendir(arg))) {
        snprintf(err, errlen, _("%s: cannot read the folder"), arg);
        return -1;
    }
    while ((e = readdir(dir))) {
        char path[PATH_MAX];
        if (strncmp(e->d_name, "field-", 6) || !ends_xlsx(e->d_name)) continue;
        if ((size_t)snprintf(path, sizeof path, "%s/%s", arg, e->d_name) >= sizeof path || books_add(b, path) < 0) {
            closedir(dir);
            goto oom;
        }
    }
    closedir(dir);
    if (b->n == first) {
        snprintf(err, errlen, _("%s: no field workbook (field-*.xlsx) in the folder"), arg);
        return -1;
    }
    qsort(b->v + first, b->n - first, sizeof *b->v, str_cmp);
    return 0;
oom:
    snprintf(err, errlen, _("out of memory"));
    return -1;
}

static void books_free(books *b)
{
    size_t i;
    for (i = 0; i < b->n; i++) free(b->v[i]);
    free(b->v);
    memset(b, 0, sizeof *b);
}

/* ---- the sample folder ------------------------------------------------------------- */

typedef struct sample_info {
    char run_dir[PATH_MAX];
    char frame_sha[65], sample_sha[65];
    fd_params p;
} sample_info;

static char *slurp(const char *path, size_t *n)
{
    FILE *f = fopen(path, "rb");
    char *p = NULL;
    size_t cap = 0, len = 0, got;
    if (!f) return NULL;
    do {
        if (cap - len < 65536) {
            char *np = realloc(p, cap + 65536 + 1);
            if (!np) {
                free(p);
                fclose(f);
                return NULL;
            }
            p = np;
            cap += 65536;
        }
        got = fread(p + len, 1, cap - len, f);
        len += got;
    } while (got > 0);
    fclose(f);
    if (len >= 3 && !memcmp(p, OUT_UTF8_BOM, 3)) {   /* CSV outputs begin with it (output.h) */
        memmove(p, p + 3, len - 3);
        len -= 3;
    }
    p[len] = '\0';
    *n = len;
    return p;
}

/* sample_info.csv: name,value lines; a value may be quoted (doubled quotes). */
static int read_info(const char *dir, sample_info *si, char *err, size_t errlen)
{
    char path[PATH_MAX + 32], *text, *line, *save = NULL;
    size_t n;
    int have = 0;
    memset(si, 0, sizeof *si);
    fd_params_default(&si->p);
    snprintf(path, sizeof path, "%s/sample_info.csv", dir);
    if (!(text = slurp(path, &n))) {
        snprintf(err, errlen, _("%s: no sample_info.csv here: not a folder written by tuopin sample"), dir);
        return -1;
    }
    for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        char *comma = strchr(line, ','), *v, *w;
        uint64_t x;
        if (!comma) continue;
        *comma = '\0';
        v = comma + 1;
        if (*v == '"') {   /* unquote in place */
            char *r = v + 1;
            for (w = v; *r; r++) {
                if (*r == '"' && r[1] == '"') *w++ = *r++;
                else if (*r == '"') break;
                else *w++ = *r;
            }
            *w = '\0';
        }
        if (!strcmp(line, "run_dir")) { snprintf(si->run_dir, sizeof si->run_dir, "%s", v); have |= 1; }
        else if (!strcmp(line, "frame_sha256")) { snprintf(si->frame_sha, sizeof si->frame_sha, "%s", v); have |= 2; }
        else if (!strcmp(line, "sample_sha256")) { snprintf(si->sample_sha, sizeof si->sample_sha, "%s", v); have |= 4; }
        else if (!strcmp(line, "seed") && fsm_parse_u64(v, &x) == 0) { si->p.seed = x; have |= 8; }
        else if (!strcmp(line, "villages_per_county") && fsm_parse_u64(v, &x) == 0 && x && x <= 100000)
            si->p.villages_per_county = (uint32_t)x;
        else if (!strcmp(line, "households_per_domain") && fsm_parse_u64(v, &x) == 0 && x && x <= 100000)
            si->p.households_per_domain = (uint32_t)x;
        else if (!strcmp(line, "reserve_per_domain") && fsm_parse_u64(v, &x) == 0 && x <= 100000)
            si->p.reserve_per_domain = (uint32_t)x;
        else if (!strcmp(line, "certainty") && !strncmp(v, "quality:", 8) && fsm_parse_u64(v + 8, &x) == 0
                 && x && x <= 100000)
            si->p.certainty_k = (uint32_t)x;
    }
    free(text);
    if (have != 15) {
        snprintf(err, errlen, _("%s: sample_info.csv lacks the run, the frame's SHA-256, the seed or the "
                 "sample's SHA-256"), path);
        return -1;
    }
    return 0;
}

/* The folder's file must be the re-drawn text exactly. */
static int check_file(const char *dir, const char *name, const char *want, size_t nwant, const sample_info *si,
                      char *err, size_t errlen)
{
    char path[PATH_MAX + 32], *have;
    size_t n, i, line = 1;
    snprintf(path, sizeof path, "%s/%s", dir, name);
    if (!(have = slurp(path, &n))) {
        snprintf(err, errlen, _("%s: cannot read the file"), path);
        return -1;
    }
    for (i = 0; i < n && i < nwant && have[i] == want[i]; i++)
        if (have[i] == '\n') line++;
    free(have);
    if (i == n && n == nwant) return 0;
    snprintf(err, errlen, _("%s: line %zu is not what the design gives (seed %llu, the run's frame): the file was "
             "modified after the draw (weights not matching the design); draw the sample again with tuopin sample"),
             path, line, (unsigned long long)si->p.seed);
    return -1;
}

/* ---- the field run ----------------------------------------------------------------------- */

typedef struct id_ix { const char *id; int64_t i; } id_ix;

static int ix_cmp(const void *a, const void *b)
{
    return strcmp(((const id_ix *)a)->id, ((const id_ix *)b)->id);
}

static int64_t ix_find(const id_ix *v, size_t n, const char *id)
{
    id_ix key, *hit;
    key.id = id;
    hit = bsearch(&key, v, n, sizeof *v, ix_cmp);
    return hit ? hit->i : -1;
}

/* The evaluated households of the field run, with their households.csv rows. */
static int read_field_run(fe_state *s, const char *run, char *err, size_t errlen)
{
    char path[PATH_MAX + 64];
    sqlite3 *db = NULL;
    sqlite3_stmt *st = NULL;
    size_t cap = 0, i;
    id_ix *ix = NULL;
    FILE *fp = NULL;
    csv_reader *r = NULL;
    csv_record rec;
    int rc = -1, step;

    snprintf(path, sizeof path, "%s/results.sqlite", run);
    if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) goto dberr;
    if (sqlite3_prepare_v2(db, "SELECT has_satisfied FROM run", -1, &st, NULL) != SQLITE_OK) goto dberr;
    if (sqlite3_step(st) == SQLITE_ROW) s->has_satisfied = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    if (sqlite3_prepare_v2(db, "SELECT count(*) FROM rejects", -1, &st, NULL) != SQLITE_OK) goto dberr;
    if (sqlite3_step(st) == SQLITE_ROW) s->field_rejected_rows = (size_t)sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    if (sqlite3_prepare_v2(db, FD_HOUSEHOLDS_SELECT " ORDER BY id", -1, &st, NULL) != SQLITE_OK) goto dberr;
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        fd_household row;
        fe_field *h;
        if (fd_household_row(st, &row) < 0) {
            snprintf(err, errlen, _("%s: household %zu: unreadable row"), path, s->nfields + 1);
            goto out;
        }
        if (mem_grow((void **)&s->fields, &cap, s->nfields + 1, sizeof *s->fields) < 0) goto oom;
        h = &s->fields[s->nfields];
        memset(h, 0, sizeof *h);
        h->unit = -1;
        if (!(h->id = strdup(row.id))) goto oom;
        s->nfields++;
        memcpy(h->region, row.region, sizeof h->region);
        h->status = row.status;
        h->assessment = row.assessment;
        h->members = row.members;
        h->satisfied = row.satisfied;
    }
    if (step != SQLITE_DONE) goto dberr;
    sqlite3_finalize(st);
    st = NULL;

    /* households.csv rows, by id */
    if (!(ix = malloc((s->nfields ? s->nfields : 1) * sizeof *ix))) goto oom;
    for (i = 0; i < s->nfields; i++) {
        ix[i].id = s->fields[i].id;
        ix[i].i = (int64_t)i;
    }
    if (s->nfields > 1) qsort(ix, s->nfields, sizeof *ix, ix_cmp);
    snprintf(path, sizeof path, "%s/households.csv", run);
    if (!(fp = fopen(path, "rb")) || !(r = csv_open(csv_read_file, fp, 65536, 1 << 20))) {
        snprintf(err, errlen, _("%s: cannot read the file"), path);
        goto out;
    }
    if (csv_next(r, &rec) <= 0) {
        snprintf(err, errlen, _("%s: cannot read the file"), path);
        goto out;
    }
    while ((step = csv_next(r, &rec)) > 0) {
        int64_t k;
        if (!rec.nfields || (k = ix_find(ix, s->nfields, rec.fields[0].p)) < 0) continue;
        free(s->fields[k].line);
        if (!(s->fields[k].line = malloc(rec.raw_len + 1))) goto oom;
        memcpy(s->fields[k].line, rec.raw, rec.raw_len);
        s->fields[k].line[rec.raw_len] = '\0';
    }
    if (step < 0) {
        snprintf(err, errlen, "%.1024s: %s", path, csv_error(r));
        goto out;
    }
    rc = 0;
    goto out;
dberr:
    snprintf(err, errlen, "%.1024s: %s", path, db ? sqlite3_errmsg(db) : _("cannot open"));
    goto out;
oom:
    snprintf(err, errlen, _("out of memory"));
out:
    if (r) csv_close(r);
    if (fp) fclose(fp);
    free(ix);
    sqlite3_finalize(st);
    if (db) sqlite3_close(db);
    return rc;
}

/* Field households onto sampled ones: a sampled household's own rows, else
 * the reserves of its village and domain in their order. */
static int match(fe_state *s, unsigned char *not_sampled)
{
    const fd_design *d = s->d;
    const fd_frame *f = s->f;
    id_ix *ix = NULL;
    size_t i, j;
    int64_t *reserve_field = NULL;

    if (!(ix = malloc((s->nfields ? s->nfields : 1) * sizeof *ix))
        || !(reserve_field = malloc((d->nreserves ? d->nreserves : 1) * sizeof *reserve_field))) {
        free(ix);
        return -1;
    }
    for (i = 0; i < s->nfields; i++) {
        ix[i].id = s->fields[i].id;
        ix[i].i = (int64_t)i;
        not_sampled[i] = 1;
    }
    if (s->nfields > 1) qsort(ix, s->nfields, sizeof *ix, ix_cmp);
    for (i = 0; i < d->nunits; i++) {
        const fd_unit *u = &d->units[i];
        const fd_household *h = &f->h[u->hh];
        int64_t k = ix_find(ix, s->nfields, h->id);
        uint64_t num, den;
        fe_unit *e = &s->units[i];
        fd_weight(d, u, &num, &den);
        e->w = (long double)num / (long double)den;
        e->field = k;
        e->hh = u->hh;
        e->state = k >= 0 ? FE_FOUND : FE_MISSING;
        if (k >= 0) {
            not_sampled[k] = 0;
            s->fields[k].unit = (int64_t)i;
        }
    }
    for (i = 0; i < d->nreserves; i++) reserve_field[i] = ix_find(ix, s->nfields, f->h[d->reserves[i].hh].id);
    /* reserves are sorted by village, domain, rank; units by village, domain, id */
    for (i = 0, j = 0; i < d->nunits; i++) {
        const fd_unit *u = &d->units[i];
        fe_unit *e = &s->units[i];
        if (e->state != FE_MISSING) continue;
        while (j < d->nreserves && (d->reserves[j].village < u->village
               || (d->reserves[j].village == u->village && d->reserves[j].domain < u->domain)))
            j++;
        while (j < d->nreserves && d->reserves[j].village == u->village && d->reserves[j].domain == u->domain
               && reserve_field[j] < 0)
            j++;
        if (j < d->nreserves && d->reserves[j].village == u->village && d->reserves[j].domain == u->domain) {
            int64_t k = reserve_field[j];
            e->hh = d->reserves[j++].hh;
            e->field = k;
            e->state = FE_REPLACED;
            not_sampled[k] = 0;
            s->fields[k].unit = (int64_t)i;
        }
    }
    for (i = 0; i < d->nunits; i++) {
        fe_unit *e = &s->units[i];
        const fd_household *h = &f->h[e->hh];     /* the sampled household, or its reserve */
        if (e->field < 0) continue;
        if (s->fields[e->field].members != h->members) e->flags |= FE_MEMBERS_CHANGED;
        if (memcmp(s->fields[e->field].region, h->region, 6)) e->flags |= FE_COUNTY_CHANGED;
    }
    for (i = 0; i < s->nfields; i++) s->not_sampled += not_sampled[i];
    free(ix);
    free(reserve_field);
    return 0;
}

/* field_rejects.csv: the field run's rejected rows, then every row of a
 * household that is not in the sample (NOT_SAMPLED), read again from the
 * field file for its line numbers and raw text. */
static int write_rejects(fe_state *s, const run_config *cfg, const char *field_run, const unsigned char *not_sampled,
                         out_file *o, char *err, size_t errlen)
{
    char path[PATH_MAX + 64], msg[512];
    id_ix *ix = NULL;
    size_t i, nix = 0;
    source *src = NULL;
    csv_record rec;
    schema_map map;
    FILE *fp;
    int rc = -1, step, pid;

    memset(&map, 0, sizeof map);
    fputs("line,household_id,code,detail,raw\n", o->f);
    snprintf(path, sizeof path, "%s/rejects.csv", field_run);
    if ((fp = fopen(path, "rb"))) {
        char buf[65536];
        size_t n;
        int first = 1;
        while (fgets(buf, sizeof buf, fp)) {     /* its header skipped */
            n = strlen(buf);
            if (!first) fwrite(buf, 1, n, o->f);
            if (n && buf[n - 1] == '\n') first = 0;
        }
        fclose(fp);
    }
    if (!s->not_sampled) return 0;
    if (!(ix = malloc(s->nfields * sizeof *ix))) goto oom;
    for (i = 0; i < s->nfields; i++)
        if (not_sampled[i]) {
            ix[nix].id = s->fields[i].id;
            ix[nix++].i = (int64_t)i;
        }
    if (nix > 1) qsort(ix, nix, sizeof *ix, ix_cmp);
    if (!(src = source_open(cfg, msg, sizeof msg))) {
        snprintf(err, errlen, "%s", msg);
        goto out;
    }
    if (source_next(src, &rec) <= 0) goto readerr;
    {
        const char **names = malloc(rec.nfields * sizeof *names);
        size_t *lens = malloc(rec.nfields * sizeof *lens);
        int mr;
        if (!names || !lens) {
            free(names);
            free(lens);
            goto oom;
        }
        for (i = 0; i < rec.nfields; i++) {
            names[i] = rec.fields[i].p;
            lens[i] = rec.fields[i].n;
        }
        mr = schema_map_header(&map, names, lens, rec.nfields, msg, sizeof msg);
        free(names);
        free(lens);
        if (mr < 0) {
            snprintf(err, errlen, "%s: %s", source_name(src), msg);
            goto out;
        }
    }
    pid = map.pos[COL_HOUSEHOLD_ID];
    while ((step = source_next(src, &rec)) > 0) {
        char line[32];
        if (pid < 0 || (size_t)pid >= rec.nfields || ix_find(ix, nix, rec.fields[pid].p) < 0) continue;
        snprintf(line, sizeof line, "%ld,", rec.line);
        fputs(line, o->f);
        csv_write_field(o->f, rec.fields[pid].p, rec.fields[pid].n);
        fputs(",NOT_SAMPLED,", o->f);
        csv_write_field(o->f, _("the household is not in the sample, nor a reserve needed in its place"),
                        strlen(_("the household is not in the sample, nor a reserve needed in its place")));
        fputc(',', o->f);
        csv_write_field(o->f, rec.raw, rec.raw_len);
        fputc('\n', o->f);
    }
    if (step < 0) goto readerr;
    rc = 0;
    goto out;
readerr:
    snprintf(err, errlen, "%s: %s", source_name(src), source_error(src));
    goto out;
oom:
    snprintf(err, errlen, _("out of memory"));
out:
    schema_map_free(&map);
    if (src) source_close(src);
    free(ix);
    return rc;
}

static int replace_str(char **dst, const char *v)
{
    char *p = v ? strdup(v) : NULL;
    if (v && !p) return -1;
    free(*dst);
    *dst = p;
    return 0;
}

int estimate_main(int argc, char **argv)
{
    static const struct option opts[] = {
        CMDLINE_VALUE("field", 'f'), CMDLINE_VALUE("out", 'o'), CMDLINE_VALUE("pipeline", 'P'),
        CMDLINE_VALUE("encoding", 'e'), CMDLINE_VALUE("format", 'F'), CMDLINE_VALUE("mapping", 'm'),
        CMDLINE_FLAG("quiet", 'q'), CMDLINE_CSV_BOM, CMDLINE_HELP_END
    };
    const char *field = NULL, *out = NULL, *o_pipe = NULL, *o_enc = NULL, *o_fmt = NULL, *o_map = NULL;
    const char *sdir = NULL;
    books bk;
    size_t nfield_args = 0, xlsx_args = 0;
    char *rows_text = NULL, rows_path[PATH_MAX + 32];
    size_t rows_len = 0;
    cmdline cl;
    char err[2048], field_run[PATH_MAX];
    sample_info si;
    fd_frame f;
    fd_design d;
    fsm_texts_t t;
    run_config cfg;
    engine_totals tot;
    fe_state s;
    out_file files[6];
    out_file *fp[6];
    unsigned char *not_sampled = NULL;
    size_t i;
    int c, quiet = 0, rc = 1, have_frame = 0, have_design = 0, opened = 0;

    memset(&t, 0, sizeof t);
    memset(&cfg, 0, sizeof cfg);
    memset(&si, 0, sizeof si);
    memset(&s, 0, sizeof s);
    memset(files, 0, sizeof files);
    memset(&bk, 0, sizeof bk);
    cmdline_init(&cl, "estimate", argc, argv, "hq", opts);
    while ((c = cmdline_next(&cl)) != CMDLINE_END) {
        const char *optarg = cl.arg;
        switch (c) {
        case CMDLINE_OPERAND:
            if (cmdline_operand(&cl, &sdir)) return 2;
            break;
        case CMDLINE_ERROR: return 2;
        case 'f': {
            struct stat stf;
            field = optarg;
            nfield_args++;
            if (ends_xlsx(optarg) || (stat(optarg, &stf) == 0 && S_ISDIR(stf.st_mode))) xlsx_args++;
            if (books_add(&bk, optarg) < 0) goto oom;
            break;
        }
        case 'o': out = optarg; break;
        case 'P': o_pipe = optarg; break;
        case 'e': o_enc = optarg; break;
        case 'F': o_fmt = optarg; break;
        case 'm': o_map = optarg; break;
        case 'q': quiet = 1; break;
        case 'h': usage(stdout); return 0;
        default: return 2;
        }
    }
    if (!sdir || !field || !out) {
        fprintf(stderr, _("tuopin estimate: expected one SAMPLE_DIR, --field FILE and --out DIR\n"));
        goto usage_error;
    }
    if (xlsx_args && xlsx_args != nfield_args) {
        fprintf(stderr, _("tuopin estimate: --field: give one CSV or JSON Lines file, or field workbooks (.xlsx) and "
                          "folders of them, not both\n"));
        goto usage_error;
    }
    if (!xlsx_args && nfield_args > 1) {
        fprintf(stderr, _("tuopin estimate: --field: one CSV or JSON Lines file (several are for workbooks, .xlsx)\n"));
        goto usage_error;
    }
    if (xlsx_args && (o_enc || (o_fmt && strcasecmp(o_fmt, "xlsx")))) {
        fprintf(stderr, _("tuopin estimate: --encoding and --format are for a CSV or JSON Lines field file, not for "
                          "workbooks\n"));
        goto usage_error;
    }
    if (xlsx_args) {     /* the workbooks' list: folders opened */
        books args = bk;
        memset(&bk, 0, sizeof bk);
        for (i = 0; i < args.n; i++)
            if (books_arg(&bk, args.v[i], err, sizeof err) < 0) {
                books_free(&args);
                goto fatal;
            }
        books_free(&args);
    }
    if (read_info(sdir, &si, err, sizeof err) < 0) goto fatal;
    if (fd_frame_load(&f, si.run_dir, err, sizeof err) < 0) goto fatal;
    have_frame = 1;
    if (strcmp(f.sha256, si.frame_sha)) {
        snprintf(err, sizeof err, _("%s: the sample was drawn from another run: the households of %s are not the "
                 "frame the sample records (frame SHA-256 %.12s…, now %.12s…)"), sdir, si.run_dir, si.frame_sha,
                 f.sha256);
        goto fatal;
    }
    if (fd_certainty_load(&si.p, si.run_dir, err, sizeof err) < 0) goto fatal;
    if (fd_draw(&f, &si.p, &d) < 0) goto oom;
    have_design = 1;
    if (fsm_texts(&f, &d, si.run_dir, &t) < 0) goto oom;
    if (check_file(sdir, "sample.csv", t.sample, t.nsample, &si, err, sizeof err) < 0
        || check_file(sdir, "reserve.csv", t.reserve, t.nreserve, &si, err, sizeof err) < 0)
        goto fatal;

    /* the workbooks' rows, as a CSV field file (written once the checks passed) */
    if (xlsx_args) {
        FILE *ms = open_memstream(&rows_text, &rows_len);
        long nrows;
        if (!ms) goto oom;
        nrows = fs_read_books((const char *const *)bk.v, bk.n, &d, f.sha256, si.p.seed, ms, err, sizeof err);
        if (fclose(ms) != 0 && nrows >= 0) goto oom;
        if (nrows < 0) goto fatal;
    }

    /* the field rows, through the run's pipeline (or --pipeline) */
    {
        const char *pl = o_pipe ? o_pipe : f.pipeline;
        struct stat stb;
        if (!pl || !pl[0] || stat(pl, &stb) != 0) {
            snprintf(err, sizeof err, _("%s: the run's pipeline %s is not here: give --pipeline P"), si.run_dir,
                     pl && pl[0] ? pl : "?");
            goto fatal;
        }
        if (pipeline_load(pl, &cfg, err, sizeof err) < 0) goto fatal;
    }
    if (!o_pipe)
        for (i = 0; i < f.nparams; i++)
            if (!strchr(f.param_names[i], '.')
                && kv_set(&cfg.params, f.param_names[i], f.param_values[i], "the run's parameters") < 0)
                goto oom;
    if (out_mkdir(out, err, sizeof err) < 0) goto fatal;
    if ((size_t)snprintf(field_run, sizeof field_run, "%s/field-run", out) >= sizeof field_run) {
        snprintf(err, sizeof err, _("%s: the folder's name is too long"), out);
        goto fatal;
    }
    if (xlsx_args) {
        out_file ro;
        memset(&ro, 0, sizeof ro);
        if (out_open(&ro, out, "field-rows.csv", err, sizeof err) < 0) goto fatal;
        snprintf(rows_path, sizeof rows_path, "%s", ro.final_path);
        if (fwrite(rows_text, 1, rows_len, ro.f) != rows_len) {
            out_abort(&ro);
            snprintf(err, sizeof err, _("%s: cannot write"), rows_path);
            goto fatal;
        }
        if (out_commit(&ro, err, sizeof err) < 0) goto fatal;
        field = rows_path;
        o_fmt = "csv";
    }
    if (replace_str(&cfg.input, field) < 0 || replace_str(&cfg.encoding, o_enc) < 0
        || replace_str(&cfg.format, o_fmt) < 0 || replace_str(&cfg.mapping, o_map) < 0
        || replace_str(&cfg.out_dir, field_run) < 0 || replace_str(&cfg.quarter, f.quarter) < 0
        || replace_str(&cfg.history, NULL) < 0 || replace_str(&cfg.pg_conninfo, NULL) < 0
        || replace_str(&cfg.pg_query, NULL) < 0)
        goto oom;
    cfg.has_skip_rows = 0;
    cfg.quiet = 1;
    cfg.jobs = 1;
    if (engine_run(&cfg, &tot, err, sizeof err) < 0) goto fatal;

    s.f = &f;
    s.d = &d;
    s.sample_dir = sdir;
    s.field_path = field;
    if (read_field_run(&s, field_run, err, sizeof err) < 0) goto fatal;
    if (!(s.units = calloc(d.nunits ? d.nunits : 1, sizeof *s.units))
        || !(s.counties = calloc(d.ncounties ? d.ncounties : 1, sizeof *s.counties))
        || !(not_sampled = calloc(s.nfields ? s.nfields : 1, 1)))
        goto oom;
    if (match(&s, not_sampled) < 0 || fe_compute(&s) < 0) goto oom;

    if (fe_write_outputs(&s, out, files, err, sizeof err) < 0) goto fatal_files;
    opened = 5;
    if (out_open(&files[5], out, "field_rejects.csv", err, sizeof err) < 0) goto fatal_files;
    opened = 6;
    if (write_rejects(&s, &cfg, field_run, not_sampled, &files[5], err, sizeof err) < 0) goto fatal_files;
    for (i = 0; i < 6; i++) fp[i] = &files[i];
    if (out_commit_all(fp, 6, err, sizeof err) < 0) {
        opened = 0;
        goto fatal;
    }
    if (!quiet) {
        size_t found = 0, missing = 0;
        for (i = 0; i < d.ncounties; i++) {
            found += s.counties[i].found + s.counties[i].replaced;
            missing += s.counties[i].missing;
        }
        fprintf(stderr, _("tuopin estimate: %zu of %zu sampled households found (%zu missing), %zu not sampled; "
                          "%zu counties estimated; written to %s\n"),
                found, d.nunits, missing, s.not_sampled, d.ncounties, out);
    }
    rc = 0;
    goto out;
fatal_files:
    for (i = 0; i < 6; i++) out_abort(&files[i]);
    goto fatal;
oom:
    snprintf(err, sizeof err, _("out of memory"));
fatal:
    fprintf(stderr, "tuopin estimate: %s\n", err);
    rc = 1;
    goto out;
usage_error:
    return cmdline_hint("estimate");
out:
    (void)opened;
    for (i = 0; i < s.nfields; i++) {
        free(s.fields[i].id);
        free(s.fields[i].line);
    }
    free(s.fields);
    free(s.units);
    free(s.counties);
    free(not_sampled);
    free(rows_text);
    books_free(&bk);
    fsm_texts_free(&t);
    run_config_free(&cfg);
    if (have_design) fd_design_free(&d);
    if (have_frame) fd_frame_free(&f);
    free(si.p.certain);
    return rc;
}
