/* engine.c — one run, from the pipeline's configuration to committed outputs.
 *
 * Flow: load every stage (main thread, before anything else runs), declare
 * and validate parameters, read and map the header, check that every column a
 * stage needs is there, open the stage instances and the output files, then
 * stream: records → household blocks → structural checks → either rejects or
 * the stages in pipeline order → verdict → households/findings rows. */
#define _POSIX_C_SOURCE 200809L
#include "engine.h"
#include "block.h"
#include "csv.h"
#include "household.h"
#include "output.h"
#include "params.h"
#include "plugin.h"
#include "schema.h"
#include "values.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#ifndef TUOPIN_PKGDATADIR
#define TUOPIN_PKGDATADIR "/usr/local/share/tuopin"
#endif
#ifndef TUOPIN_SRCDIR
#define TUOPIN_SRCDIR ""
#endif

#define READ_BUFSIZE (4u << 20)
#define MAX_RECORD (64u << 20)       /* one record, quoted line breaks included */
#define MAX_BLOCK_BYTES (256u << 20) /* one household's rows */
#define MAX_BLOCK_ROWS 100000u       /* members of one household */

struct engine;

typedef struct stage_inst {
    const stage_spec *spec;
    plugin plug;
    const tp_stage *desc;
    void *state;
    int opened;
    struct engine *eng;
} stage_inst;

typedef struct engine {
    const run_config *cfg;
    int year, as_y, as_m, as_d;
    stage_inst *st;
    size_t nst;
    int income_stage;
    params prm;
    schema_map map;
    FILE *in;
    const char *in_name;
    long long in_size;
    csv_reader *rd;
    out_file out_hh, out_findings, out_rejects;
    block blk;
    idset seen;
    hh_eval ev;
    engine_totals tot;
    int progress;
    time_t started, last_progress;
    char *err;
    size_t errlen;
} engine;

/* ---- small helpers ---------------------------------------------------------- */

static int fail(engine *g, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(g->err, g->errlen, fmt, ap);
    va_end(ap);
    return -1;
}

int engine_quarter(const char *q, int *year, int *month, int *day)
{
    static const int md[4][2] = { {3, 31}, {6, 30}, {9, 30}, {12, 31} };
    int i, y = 0;
    if (!q || strlen(q) != 6 || (q[4] != 'Q' && q[4] != 'q') || q[5] < '1' || q[5] > '4')
        return -1;
    for (i = 0; i < 4; i++) {
        if (q[i] < '0' || q[i] > '9') return -1;
        y = y * 10 + (q[i] - '0');
    }
    if (y < 1) return -1;
    *year = y;
    *month = md[q[5] - '1'][0];
    *day = md[q[5] - '1'][1];
    return 0;
}

char *engine_data_file(const char *name)
{
    const char *dir = getenv("TUOPIN_DATA_DIR");
    char buf[4096];
    if (!dir || !*dir) dir = plugin_uninstalled() && TUOPIN_SRCDIR[0] ? TUOPIN_SRCDIR "/data"
                                                                     : TUOPIN_PKGDATADIR;
    snprintf(buf, sizeof buf, "%s/%s", dir, name);
    return strdup(buf);
}

/* ---- the host function table ------------------------------------------------ */

static int host_finding(const tp_household *hh, tp_severity sev, const char *code,
                        size_t member, const tp_finding_args *args)
{
    return hh_add_finding((hh_eval *)(uintptr_t)hh->host_data, sev, code, member, NULL, args);
}

static int host_param(void *ctx, const char *name, int64_t *value)
{
    return params_get(&((stage_inst *)ctx)->eng->prm, name, value);
}

static void host_as_of(void *ctx, int *y, int *m, int *d)
{
    engine *g = ((stage_inst *)ctx)->eng;
    *y = g->as_y; *m = g->as_m; *d = g->as_d;
}

static int host_column(void *ctx, const char *name)
{
    return schema_find(&((stage_inst *)ctx)->eng->map, name);
}

static const char *host_field(const tp_household *hh, size_t member, int col)
{
    const hh_eval *e = hh->host_data;
    if (member >= hh->n_members) return "";
    return block_field(e->blk, member, col);
}

static void host_log(void *ctx, const char *msg)
{
    stage_inst *s = ctx;
    if (!s->eng->cfg->quiet) fprintf(stderr, "tuopin: %s: %s\n", s->desc->name, msg);
}

static int host_finding_text(const tp_household *hh, tp_severity sev, const char *code,
                             size_t member, const char *detail)
{
    return hh_add_finding((hh_eval *)(uintptr_t)hh->host_data, sev, code, member,
                          detail ? detail : "", NULL);
}

static int host_has(const tp_household *hh, const char *code)
{
    return hh_has((const hh_eval *)hh->host_data, code);
}

static const tp_host host_table = {
    sizeof(tp_host), TP_ABI_VERSION,
    host_finding, host_param, host_as_of, host_column, host_field, host_log,
    host_finding_text, host_has
};

/* ---- set-up -------------------------------------------------------------------- */

static int load_stages(engine *g)
{
    const run_config *c = g->cfg;
    size_t i;
    g->income_stage = -1;
    g->st = calloc(c->nstages ? c->nstages : 1, sizeof *g->st);
    if (!g->st) return fail(g, "out of memory");
    for (i = 0; i < c->nstages; i++) {
        stage_inst *s = &g->st[i];
        char msg[512];
        s->spec = &c->stages[i];
        s->eng = g;
        g->nst = i + 1;
        if (s->spec->script)
            return fail(g, "%s: Lua rule-script stages are not available in this build yet",
                        s->spec->script);
        if (plugin_load(s->spec->name, &s->plug, msg, sizeof msg) < 0)
            return fail(g, "%s: %s", c->pipeline_path ? c->pipeline_path : "pipeline", msg);
        s->desc = s->plug.desc;
        if (!strcmp(s->desc->name, "income") && g->income_stage < 0) g->income_stage = (int)i;
        if (params_declare(&g->prm, s->desc->params, s->desc->name, msg, sizeof msg) < 0)
            return fail(g, "%s", msg);
    }
    return 0;
}

static int set_params(engine *g)
{
    char msg[1024];
    char *lines = engine_data_file("national-lines.csv");
    int rc;
    if (!lines) return fail(g, "out of memory");
    if (params_apply(&g->prm, &g->cfg->params, msg, sizeof msg) < 0) {
        free(lines);
        return fail(g, "%s", msg);
    }
    rc = params_finish(&g->prm, g->year, lines, g->cfg->quiet, msg, sizeof msg);
    free(lines);
    if (rc < 0) return fail(g, "%s", msg);
    return 0;
}

static int read_header(engine *g)
{
    csv_record rec;
    const char **names;
    size_t *lens, i;
    char msg[512];
    int rc;
    static const schema_col required[] = { COL_HOUSEHOLD_ID, COL_REGION_CODE, COL_STATUS };

    for (;;) {
        rc = csv_next(g->rd, &rec);
        if (rc < 0) return fail(g, "%s: %s", g->in_name, csv_error(g->rd));
        if (rc == 0) return fail(g, "%s: no header: the input is empty", g->in_name);
        /* Records of blank fields only before the header are skipped too. */
        for (i = 0; i < rec.nfields && rec.fields[i].n == 0; i++) ;
        if (i < rec.nfields) break;
        g->tot.rows_read += 0;
    }
    if (rec.unterminated)
        return fail(g, "%s:%ld: the header has a quoted field that never ends", g->in_name, rec.line);
    if (rec.bad_encoding)
        return fail(g, "%s:%ld: the header is not valid UTF-8", g->in_name, rec.line);
    names = malloc(rec.nfields * sizeof *names);
    lens = malloc(rec.nfields * sizeof *lens);
    if (!names || !lens) { free(names); free(lens); return fail(g, "out of memory"); }
    for (i = 0; i < rec.nfields; i++) { names[i] = rec.fields[i].p; lens[i] = rec.fields[i].n; }
    rc = schema_map_header(&g->map, names, lens, rec.nfields, msg, sizeof msg);
    free(names);
    free(lens);
    if (rc < 0) return fail(g, "%s:%ld: %s", g->in_name, rec.line, msg);

    for (i = 0; i < sizeof required / sizeof required[0]; i++)
        if (g->map.pos[required[i]] < 0)
            return fail(g, "%s: the header lacks column %s (%s), which every run needs",
                        g->in_name, schema_columns[required[i]].name, schema_columns[required[i]].zh);
    for (i = 0; i < g->nst; i++) {
        const char *const *col = g->st[i].desc->columns;
        for (; col && *col; col++)
            if (schema_find(&g->map, *col) < 0)
                return fail(g, "%s: the header lacks column %s, which stage %s needs",
                            g->in_name, *col, g->st[i].desc->name);
    }
    return 0;
}

static int open_stages(engine *g)
{
    size_t i;
    for (i = 0; i < g->nst; i++) {
        stage_inst *s = &g->st[i];
        char msg[512] = "";
        if (s->desc->open) {
            if (s->desc->open(&host_table, s, &s->state, msg, sizeof msg) < 0)
                return fail(g, "stage %s: %s", s->desc->name, msg[0] ? msg : "cannot start");
        }
        s->opened = 1;
    }
    return 0;
}

static int open_outputs(engine *g)
{
    const char *dir = g->cfg->out_dir;
    char msg[1024];
    if (out_mkdir(dir, msg, sizeof msg) < 0) return fail(g, "%s", msg);
    if (out_open(&g->out_hh, dir, "households.csv", msg, sizeof msg) < 0
        || out_open(&g->out_findings, dir, "findings.csv", msg, sizeof msg) < 0
        || out_open(&g->out_rejects, dir, "rejects.csv", msg, sizeof msg) < 0)
        return fail(g, "%s", msg);
    fputs("household_id,region_code,status,members,income_pc,exit_ready,assessment,fails,warnings\n",
          g->out_hh.f);
    fputs("household_id,stage,severity,code,member,detail\n", g->out_findings.f);
    fputs("line,household_id,code,detail,raw\n", g->out_rejects.f);
    return 0;
}

/* ---- per block ------------------------------------------------------------------- */

static void put_str(FILE *f, const char *s) { csv_write_field(f, s, strlen(s)); }

/* The raw record, with bytes that are not UTF-8 written as \xNN so that
 * rejects.csv stays valid UTF-8. */
static void put_raw(FILE *f, const char *s, size_t n, int bad_encoding)
{
    char *tmp;
    size_t i, j = 0;
    if (!bad_encoding) { csv_write_field(f, s, n); return; }
    tmp = malloc(4 * n + 1);
    if (!tmp) { csv_write_field(f, s, n); return; }
    for (i = 0; i < n; ) {
        size_t k;
        for (k = 1; k <= 4 && i + k <= n; k++)
            if (csv_utf8_valid(s + i, k)) break;
        if (k <= 4 && i + k <= n && ((unsigned char)s[i] < 0x80 || k > 1)) {
            memcpy(tmp + j, s + i, k); j += k; i += k;
        } else {
            j += (size_t)sprintf(tmp + j, "\\x%02X", (unsigned char)s[i]);
            i++;
        }
    }
    csv_write_field(f, tmp, j);
    free(tmp);
}

static void reject_detail(const engine *g, const blk_row *row, const blk_verdict *v,
                          char *buf, size_t len)
{
    const char *code = row->code;
    if (!strcmp(code, "ROW_UNTERMINATED_QUOTE"))
        snprintf(buf, len, "引号字段直到文件末尾仍未结束 / a quoted field runs to the end of the file");
    else if (!strcmp(code, "ROW_ENCODING"))
        snprintf(buf, len, "该行含有无效的 UTF-8 字节 / the record is not valid UTF-8");
    else if (!strcmp(code, "ROW_FIELD_COUNT"))
        snprintf(buf, len, "该行有 %zu 个字段，表头有 %zu 个 / %zu fields, the header has %zu",
                 row->nfields, g->map.ncols, row->nfields, g->map.ncols);
    else if (!strcmp(code, "HOUSEHOLD_INCOMPLETE"))
        snprintf(buf, len, "同户其他行有结构错误 / another row of the household is faulty");
    else if (!strcmp(code, "BAD_HOUSEHOLD_ID"))
        snprintf(buf, len, "户编号为空 / household_id is blank");
    else if (!strcmp(code, "HOUSEHOLD_SPLIT"))
        snprintf(buf, len, "户编号已在前面的户块中出现，该户的行不连续 / the id already belongs to an earlier block");
    else if (!strcmp(code, "BAD_REGION"))
        snprintf(buf, len, "行政区划代码无效 / region_code is not a valid 12-digit code");
    else if (!strcmp(code, "BAD_STATUS"))
        snprintf(buf, len, "户类型无效 / status is not poor, exited or general");
    else if (!strcmp(code, "HOUSEHOLD_INCONSISTENT"))
        snprintf(buf, len, "户级字段%s（%s）在同户各行中不一致 / household column %s differs between rows",
                 schema_columns[v->column].zh, schema_columns[v->column].name,
                 schema_columns[v->column].name);
    else
        snprintf(buf, len, "%s", code);
}

static void write_rejects(engine *g, const blk_verdict *v)
{
    FILE *f = g->out_rejects.f;
    size_t r;
    char detail[512];
    for (r = 0; r < g->blk.nrows; r++) {
        const blk_row *row = &g->blk.rows[r];
        reject_detail(g, row, v, detail, sizeof detail);
        fprintf(f, "%ld,", row->line);
        put_str(f, block_hid(&g->blk));
        fprintf(f, ",%s,", row->code);
        put_str(f, detail);
        putc(',', f);
        put_raw(f, g->blk.arena + row->raw_off, row->raw_len, row->bad_encoding);
        putc('\n', f);
    }
    g->tot.rows_rejected += g->blk.nrows;
    g->tot.blocks_rejected++;
}

/* Writes the codes of one severity, each once, in stage order then first
 * occurrence (findings are recorded in that order). */
static void put_codes(FILE *f, const hh_eval *e, tp_severity sev)
{
    size_t i, j;
    int first = 1;
    for (i = 0; i < e->nf; i++) {
        const char *code = hh_finding_code(e, &e->f[i]);
        int dup = 0;
        if (e->f[i].sev != sev) continue;
        for (j = 0; j < i && !dup; j++)
            dup = e->f[j].sev == sev && !strcmp(hh_finding_code(e, &e->f[j]), code);
        if (dup) continue;
        if (!first) putc(';', f);
        fputs(code, f);
        first = 0;
    }
}

static int evaluate(engine *g)
{
    hh_eval *e = &g->ev;
    const tp_household *h = &e->view;
    FILE *f = g->out_hh.f;
    size_t i;
    int ready;
    hh_assessment a;
    char pc[32];

    if (hh_build(e, &g->blk, &g->map, g->as_y, g->as_m, g->as_d) < 0)
        return fail(g, "out of memory");
    for (i = 0; i < g->nst; i++) {
        e->cur_stage = (int)i;
        if (g->st[i].desc->check(g->st[i].state, h) < 0)
            return fail(g, "%s:%ld: stage %s failed on household %s", g->in_name,
                        g->blk.rows[0].line, g->st[i].desc->name, h->household_id);
    }
    if (e->oom) return fail(g, "out of memory while recording findings");
    a = hh_verdict(e, g->income_stage, &ready);

    put_str(f, h->household_id);
    fprintf(f, ",%s,%s,%zu,", h->region_code, val_status_name(h->status), h->n_members);
    if (g->income_stage >= 0 && e->income_ok) {
        val_format_cents(val_div_round(e->net, (int64_t)h->n_members), pc);
        fputs(pc, f);
    }
    fprintf(f, ",%s,%s,", ready ? "yes" : "no", hh_assessment_name(a));
    put_codes(f, e, TP_FAIL);
    putc(',', f);
    put_codes(f, e, TP_WARN);
    putc('\n', f);

    for (i = 0; i < e->nf; i++) {
        const hh_finding *fd = &e->f[i];
        FILE *o = g->out_findings.f;
        put_str(o, h->household_id);
        putc(',', o);
        put_str(o, g->st[fd->stage].desc->name);
        fprintf(o, ",%s,%s,", fd->sev == TP_FAIL ? "fail" : "warn", hh_finding_code(e, fd));
        if (fd->member) fprintf(o, "%zu", fd->member);
        putc(',', o);
        put_str(o, hh_finding_detail(e, fd));
        putc('\n', o);
    }
    g->tot.households++;
    g->tot.rows_evaluated += h->n_members;
    return 0;
}

static int process_block(engine *g)
{
    blk_verdict v;
    if (block_classify(&g->blk, &g->map, &g->seen, &v) < 0) return fail(g, "out of memory");
    if (v.code) {
        write_rejects(g, &v);
        return 0;
    }
    return evaluate(g);
}

static void progress(engine *g, int final)
{
    time_t now = time(NULL);
    double secs;
    if (!g->progress || (!final && now == g->last_progress)) return;
    g->last_progress = now;
    secs = difftime(now, g->started);
    if (g->in_size > 0)
        fprintf(stderr, "\r%llu rows, %.0f%%, %.0f s ",
                g->tot.rows_read, 100.0 * (double)csv_offset(g->rd) / (double)g->in_size, secs);
    else
        fprintf(stderr, "\r%llu rows, %.0f s ", g->tot.rows_read, secs);
    if (final) fputs("\n", stderr);
}

static int stream(engine *g)
{
    csv_record rec;
    int rc;
    const char *why;
    while ((rc = csv_next(g->rd, &rec)) == 1) {
        g->tot.rows_read++;
        if (g->blk.nrows && !block_same(&g->blk, &rec, &g->map)) {
            if (process_block(g) < 0) return -1;
            block_reset(&g->blk);
        }
        if (block_add(&g->blk, &rec, &g->map, &why) < 0)
            return fail(g, "%s:%ld: %s", g->in_name, rec.line, why);
        if ((g->tot.rows_read & 0xFFFF) == 0) progress(g, 0);
    }
    if (rc < 0) return fail(g, "%s: %s", g->in_name, csv_error(g->rd));
    if (g->blk.nrows && process_block(g) < 0) return -1;
    progress(g, 1);
    return 0;
}

static int commit_outputs(engine *g)
{
    char msg[1024];
    if (out_commit(&g->out_hh, msg, sizeof msg) < 0
        || out_commit(&g->out_findings, msg, sizeof msg) < 0
        || out_commit(&g->out_rejects, msg, sizeof msg) < 0)
        return fail(g, "%s", msg);
    return 0;
}

static void cleanup(engine *g)
{
    size_t i;
    out_abort(&g->out_hh);
    out_abort(&g->out_findings);
    out_abort(&g->out_rejects);
    for (i = 0; i < g->nst; i++) {
        stage_inst *s = &g->st[i];
        if (s->opened && s->desc->close) s->desc->close(s->state);
        plugin_unload(&s->plug);
    }
    free(g->st);
    params_free(&g->prm);
    schema_map_free(&g->map);
    if (g->rd) csv_close(g->rd);
    if (g->in && g->in != stdin) fclose(g->in);
    block_free(&g->blk);
    idset_free(&g->seen);
    hh_free(&g->ev);
}

int engine_run(const run_config *cfg, engine_totals *totals, char *err, size_t errlen)
{
    engine g;
    int rc = -1;
    struct stat st;

    memset(&g, 0, sizeof g);
    g.cfg = cfg;
    g.err = err;
    g.errlen = errlen;
    block_init(&g.blk, MAX_BLOCK_BYTES, MAX_BLOCK_ROWS);
    idset_init(&g.seen, 1);
    hh_init(&g.ev);
    params_init(&g.prm);

    if (!cfg->quarter) { fail(&g, "no quarter: give quarter \"YYYYQn\" in the pipeline or --quarter"); goto out; }
    if (engine_quarter(cfg->quarter, &g.year, &g.as_m, &g.as_d) < 0) {
        fail(&g, "quarter \"%s\" is not of the form YYYYQn (n = 1..4)", cfg->quarter);
        goto out;
    }
    g.as_y = g.year;
    if (!cfg->input) { fail(&g, "no input: give input { path = ... } in the pipeline or --input"); goto out; }
    if (!cfg->out_dir) { fail(&g, "no output folder: give output { dir = ... } in the pipeline or --out"); goto out; }
    if (cfg->encoding && strcmp(cfg->encoding, "utf-8") && strcmp(cfg->encoding, "utf8")
        && strcmp(cfg->encoding, "UTF-8")) {
        fail(&g, "encoding \"%s\" is not supported by this build (utf-8 only)", cfg->encoding);
        goto out;
    }
    if (load_stages(&g) < 0 || set_params(&g) < 0) goto out;

    g.in_name = cfg->input;
    if (!strcmp(cfg->input, "-")) {
        g.in = stdin;
        g.in_name = "(standard input)";
    } else if (!(g.in = fopen(cfg->input, "rb"))) {
        fail(&g, "%s: cannot open: %s", cfg->input, strerror(errno));
        goto out;
    }
    if (fstat(fileno(g.in), &st) == 0 && S_ISREG(st.st_mode)) g.in_size = (long long)st.st_size;
    g.rd = csv_open(csv_read_file, g.in, READ_BUFSIZE, MAX_RECORD);
    if (!g.rd) { fail(&g, "out of memory"); goto out; }
    if (read_header(&g) < 0 || open_stages(&g) < 0 || open_outputs(&g) < 0) goto out;

    g.progress = !cfg->quiet && isatty(2);
    g.started = time(NULL);
    if (stream(&g) < 0 || commit_outputs(&g) < 0) goto out;
    if (g.tot.rows_read != g.tot.rows_evaluated + g.tot.rows_rejected) {
        fail(&g, "internal error: rows read %llu != evaluated %llu + rejected %llu",
             g.tot.rows_read, g.tot.rows_evaluated, g.tot.rows_rejected);
        goto out;
    }
    if (!cfg->quiet)
        fprintf(stderr, "tuopin: %llu rows read = %llu rows in %llu evaluated households + %llu rows "
                "rejected; outputs in %s\n"
                "tuopin: 读取 %llu 行 = 已评估 %llu 户 %llu 行 + 拒收 %llu 行；结果在 %s\n",
                g.tot.rows_read, g.tot.rows_evaluated, g.tot.households, g.tot.rows_rejected,
                cfg->out_dir, g.tot.rows_read, g.tot.households, g.tot.rows_evaluated,
                g.tot.rows_rejected, cfg->out_dir);
    if (totals) *totals = g.tot;
    rc = 0;
out:
    cleanup(&g);
    return rc;
}
