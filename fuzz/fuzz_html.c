/* fuzz_html.c — markup from data never reaches report.html as markup
 * (issue 18 item 3).  The input's lines are the texts a run's data and
 * configuration put in the report: stage names and versions, finding codes
 * and their descriptions, parameter names and values, the pipeline's and the
 * input's file names, where the income line came from, what is below the
 * standard.  Beyond "no crash":
 *
 *   - html_esc of every line leaves no < > " ' and no & but one that begins
 *     &lt; &gt; &amp; &quot; &#39;, and reading those back gives the line;
 *   - report.html (agg_write_html) written with those texts has no element
 *     but the ones it has with plain texts (collected once at the start), no
 *     "<script" in any case, and no line holding < or > verbatim unless the
 *     plain report holds that text itself (a line "<td" is part of "<td>").
 *
 * The regions are fixed (a region code that is not twelve digits never
 * reaches the aggregation: docs/safety.md), and so is a finding code that is
 * not [A-Z][A-Z0-9_]* (refused when a stage or script gives it). */
#define _POSIX_C_SOURCE 200809L
#include "agg_internal.h"
#include "aggregate.h"
#include "html.h"
#include "household.h"
#include "output.h"
#include "region_outputs.h"
#include "runmeta.h"

#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define CHECK(cond) do { if (!(cond)) { \
    fprintf(stderr, "fuzz_html: invariant broken at %s:%d: %s\n", __FILE__, __LINE__, #cond); \
    abort(); } } while (0)

#define NLINES 16
#define NST 2

static char dir[256];
static char *plain;          /* report.html with plain texts */
static char tags[64][16];    /* the element names it has */
static size_t ntags;

/* ---- html_esc ------------------------------------------------------------ */

static void check_esc(const char *s)
{
    static const char *const refs[] = { "&lt;", "&gt;", "&amp;", "&quot;", "&#39;" };
    static const char chars[] = "<>&\"'";
    char *buf = NULL, *back, *p, *q;
    size_t len = 0, k;
    FILE *f = open_memstream(&buf, &len);
    CHECK(f != NULL);
    html_esc(f, s);
    CHECK(fclose(f) == 0);
    back = malloc(len + 1);
    CHECK(back != NULL);
    for (p = buf, q = back; *p; ) {
        CHECK(*p != '<' && *p != '>' && *p != '"' && *p != '\'');
        if (*p != '&') {
            *q++ = *p++;
            continue;
        }
        for (k = 0; k < 5 && strncmp(p, refs[k], strlen(refs[k])); k++) {}
        CHECK(k < 5);
        *q++ = chars[k];
        p += strlen(refs[k]);
    }
    *q = '\0';
    CHECK(!strcmp(back, s));
    free(back);
    free(buf);
}

/* ---- report.html ----------------------------------------------------------- */

/* Reads the whole file.  RETURN its text (malloc'd). */
static char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    char *s;
    long n;
    CHECK(f != NULL);
    CHECK(fseek(f, 0, SEEK_END) == 0);
    n = ftell(f);
    CHECK(n >= 0);
    rewind(f);
    s = malloc((size_t)n + 1);
    CHECK(s != NULL);
    CHECK(fread(s, 1, (size_t)n, f) == (size_t)n);
    s[n] = '\0';
    fclose(f);
    return s;
}

/* report.html for the texts l[0..NLINES).  RETURN its text, or NULL when
 * the aggregation refuses them (not an error). */
static char *report(char *const *l)
{
    static const char *const regions[] = { "330102001001", "341523001002", "530102001001" };
    const char *stages[NST] = { l[0], l[1] }, *versions[NST] = { l[2], l[3] };
    const char *pn[2] = { "income_line", l[4] }, *pv[2] = { "4000.00", l[5] };
    tp_code_decl decl[2];
    tp_code_list cl[NST], *clp[NST];
    char err[1024], hid[32];
    hh_eval e;
    agg *a;
    run_meta m;
    out_file o;
    size_t *order, *corder, i;
    char *text;
    int k;
    memset(decl, 0, sizeof decl);
    /* a code that is not [A-Z][A-Z0-9_]* is refused before any report */
    const char *code = hh_code_valid(l[6]) ? l[6] : "CODE_A";
    decl[0].code = code;
    decl[0].en = l[7];
    decl[0].zh = l[8];
    decl[1].code = "SECOND";
    decl[1].en = l[9];
    decl[1].zh = l[9];
    for (i = 0; i < NST; i++) {
        cl[i].items = decl;
        cl[i].n = 2;
        cl[i].size = sizeof decl[0];
        clp[i] = &cl[i];
    }
    if (!(a = agg_new(NULL, 1, stages, NULL, NST, err, sizeof err))) return NULL;
    hh_init(&e);
    for (k = 0; k < 12; k++) {
        snprintf(hid, sizeof hid, "H%d", k);
        memset(&e.view, 0, sizeof e.view);
        e.view.household_id = hid;
        e.view.region_code = regions[k % 3];
        e.view.status = k % 3 == 0 ? TP_STATUS_EXITED : k % 3 == 1 ? TP_STATUS_POOR : TP_STATUS_GENERAL;
        e.view.n_members = 3;
        e.view.satisfied.state = TP_OK;
        e.view.satisfied.value = 1;
        e.income_ok = 1;
        e.net = 500000 * 3;
        e.nf = 0;
        e.tlen = 0;
        e.cur_stage = k % NST;
        if (k % 2) {
            CHECK(hh_add_finding(&e, TP_FAIL, code, 1, l[10], NULL) == 0);
            CHECK(hh_add_finding(&e, TP_WARN, "SECOND", 0, l[11], NULL) == 0);
        }
        CHECK(agg_add(a, &e, k % 2 ? HH_WRONGLY_EXITED : HH_EXIT_CONFIRMED, !(k % 2)) == 0);
    }
    memset(&m, 0, sizeof m);
    m.tuopin_version = "fuzz";
    m.pipeline_path = l[12];
    m.quarter = "2020Q3";
    m.as_of = "2020-09-30";
    m.input_path = l[13];
    m.input_bytes = 1;
    memset(m.input_sha256, '0', 64);
    m.nstages = NST;
    m.stage_names = stages;
    m.stage_versions = versions;
    m.stage_codes = (const tp_code_list *const *)clp;
    m.nparams = 2;
    m.param_names = pn;
    m.param_values = pv;
    m.started = 1600000000;
    m.finished = 1600000001;
    m.rows_read = m.rows_evaluated = 36;
    m.households = 12;
    m.has_satisfied = 1;
    m.income_ran = 1;
    m.income_line = l[5];
    m.income_line_origin = l[14];
    m.below_standard = l[15];
    order = agg_sorted(a);
    corder = agg_codes_sorted(a);
    CHECK(order && corder);
    CHECK(out_open(&o, dir, "report.html", err, sizeof err) == 0);
    CHECK(agg_write_html(a, &o, &m, order, corder, err, sizeof err) == 0);
    CHECK(out_close(&o, err, sizeof err) == 0);
    text = slurp(o.tmp_path);
    out_abort(&o);
    free(order);
    free(corder);
    agg_free(a);
    hh_free(&e);
    return text;
}

/* Calls f(name) for the name of every element (<name or </name) of s. */
static void each_tag(const char *s, void (*f)(const char *name, size_t n))
{
    const char *p;
    for (p = strchr(s, '<'); p; p = strchr(p + 1, '<')) {
        const char *q = p + 1 + (p[1] == '/' || p[1] == '!');
        size_t n = 0;
        while (isalnum((unsigned char)q[n]) || q[n] == '-') n++;
        f(q, n);
    }
}

static void add_tag(const char *name, size_t n)
{
    size_t i;
    for (i = 0; i < ntags; i++)
        if (strlen(tags[i]) == n && !strncmp(tags[i], name, n)) return;
    CHECK(ntags < 64 && n < sizeof tags[0]);
    memcpy(tags[ntags], name, n);
    tags[ntags++][n] = '\0';
}

static void known_tag(const char *name, size_t n)
{
    size_t i;
    for (i = 0; i < ntags; i++)
        if (strlen(tags[i]) == n && !strncmp(tags[i], name, n)) return;
    fprintf(stderr, "fuzz_html: an element <%.*s> the plain report does not have\n", (int)n, name);
    CHECK(!"an element from data");
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    static char *const l[NLINES] = {
        "stagea", "stageb", "1.0", "2.0", "param", "4100.00", "CODE_A", "words", "字词", "more",
        "detail", "detail two", "national.lua", "/data/in.csv", "--param", "below"
    };
    const char *t = getenv("TMPDIR");
    (void)argc; (void)argv;
    snprintf(dir, sizeof dir, "%s/tuopin-fuzz-html-XXXXXX", t && *t ? t : "/tmp");
    if (!mkdtemp(dir)) abort();
    plain = report(l);
    CHECK(plain != NULL);
    each_tag(plain, add_tag);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text, *l[NLINES], *p, *out, *low;
    size_t i;
    if (!dir[0]) LLVMFuzzerInitialize(NULL, NULL);
    if (size > 8192) return 0;
    text = malloc(size + 1);
    CHECK(text != NULL);
    memcpy(text, data, size);
    text[size] = '\0';
    /* lines; the missing ones empty (a NUL ends the last) */
    for (i = 0, p = text; i < NLINES; i++) {
        char *nl = p ? strchr(p, '\n') : NULL;
        l[i] = p ? p : "";
        if (nl) *nl = '\0';
        p = nl ? nl + 1 : NULL;
    }
    for (i = 0; i < NLINES; i++) check_esc(l[i]);
    if ((out = report(l))) {
        each_tag(out, known_tag);
        low = strdup(out);
        CHECK(low != NULL);
        for (p = low; *p; p++) *p = (char)tolower((unsigned char)*p);
        CHECK(!strstr(low, "<script"));
        free(low);
        for (i = 0; i < NLINES; i++)
            if (strpbrk(l[i], "<>") && !strstr(plain, l[i])) CHECK(!strstr(out, l[i]));
        free(out);
    }
    free(text);
    return 0;
}
