/* xlsx.c — an .xlsx workbook as cells (xlsx.h): the parts are streamed out
 * of the ZIP container (libzip) into expat.  Element names are matched by
 * their local name, so parts written with a namespace prefix ("x:c") read
 * the same.  A document type declaration is refused (no entity tricks); a
 * part larger than XLSX_PART_MAX once inflated is refused (no ZIP bomb). */
#define _POSIX_C_SOURCE 200809L
#include "xlsx.h"
#include "i18n.h"
#include "sbuf.h"

#include <expat.h>
#include <zip.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define XLSX_PART_MAX ((zip_uint64_t)1 << 30)

typedef struct xsheet { char *name, *rid, *part; } xsheet;

struct xlsx_book {
    zip_t *za;
    char *path;
    xsheet *sheets;
    size_t nsheets;
    char **ss;          /* shared strings */
    size_t nss, capss;
};

static const char *local(const XML_Char *n)
{
    const char *c = strrchr(n, ':');
    return c ? c + 1 : n;
}

static const char *attr(const XML_Char **a, const char *name)
{
    for (; a && a[0]; a += 2)
        if (!strcmp(local(a[0]), name)) return a[1];
    return NULL;
}

/* ST_Xstring escapes: _xHHHH_ is the character U+HHHH (control characters
 * written by Excel and libxlsxwriter).  Decoded in place (never longer). */
static void unescape(char *s)
{
    char *r = s, *w = s;
    while (*r) {
        unsigned v = 0;
        int k, ok = r[0] == '_' && r[1] == 'x';
        for (k = 2; ok && k < 6; k++) {
            char c = r[k];
            ok = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
            if (ok) v = v * 16 + (unsigned)(c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10);
        }
        if (ok && r[6] == '_' && (v < 0xD800 || v > 0xDFFF) && v) {
            if (v < 0x80) *w++ = (char)v;
            else if (v < 0x800) {
                *w++ = (char)(0xC0 | (v >> 6));
                *w++ = (char)(0x80 | (v & 0x3F));
            } else {
                *w++ = (char)(0xE0 | (v >> 12));
                *w++ = (char)(0x80 | ((v >> 6) & 0x3F));
                *w++ = (char)(0x80 | (v & 0x3F));
            }
            r += 7;
        } else
            *w++ = *r++;
    }
    *w = '\0';
}

/* ---- streaming a part through expat ------------------------------------------------ */

typedef struct pctx {
    XML_Parser p;
    int failed;
    char err[512];
} pctx;

static void XMLCALL no_doctype(void *ud, const XML_Char *name, const XML_Char *sys, const XML_Char *pub, int has)
{
    pctx *c = ud;
    (void)name; (void)sys; (void)pub; (void)has;
    if (!c->failed) {
        c->failed = 1;
        snprintf(c->err, sizeof c->err, _("a document type declaration (not allowed in a workbook)"));
    }
    XML_StopParser(c->p, XML_FALSE);
}

static void fail(pctx *c, const char *msg)
{
    if (!c->failed) {
        c->failed = 1;
        snprintf(c->err, sizeof c->err, "%s", msg);
    }
    XML_StopParser(c->p, XML_FALSE);
}

/* Parses part `name`; ctx must start with a pctx.  RETURN 1 done, 0 no such
 * part, -1 error (message in err). */
static int parse_part(xlsx_book *b, const char *name, pctx *ctx, XML_StartElementHandler st,
                      XML_EndElementHandler en, XML_CharacterDataHandler ch, char *err, size_t errlen)
{
    zip_file_t *zf;
    char *buf;
    zip_int64_t got;
    zip_uint64_t total = 0;
    int rc = -1;

    if (zip_name_locate(b->za, name, 0) < 0) return 0;
    if (!(zf = zip_fopen(b->za, name, 0))) {
        snprintf(err, errlen, _("%s: %s: %s"), b->path, name, zip_strerror(b->za));
        return -1;
    }
    if (!(ctx->p = XML_ParserCreate("UTF-8")) || !(buf = malloc(65536))) {
        if (ctx->p) XML_ParserFree(ctx->p);
        ctx->p = NULL;
        zip_fclose(zf);
        snprintf(err, errlen, _("out of memory"));
        return -1;
    }
    XML_SetUserData(ctx->p, ctx);
    XML_SetElementHandler(ctx->p, st, en);
    if (ch) XML_SetCharacterDataHandler(ctx->p, ch);
    XML_SetStartDoctypeDeclHandler(ctx->p, no_doctype);
    for (;;) {
        got = zip_fread(zf, buf, 65536);
        if (got < 0) {
            snprintf(err, errlen, _("%s: %s: %s"), b->path, name, zip_file_strerror(zf));
            goto out;
        }
        total += (zip_uint64_t)got;
        if (total > XLSX_PART_MAX) {
            snprintf(err, errlen, _("%s: %s: larger than 1 GiB once inflated: not a field workbook"), b->path, name);
            goto out;
        }
        if (XML_Parse(ctx->p, buf, (int)got, got == 0) == XML_STATUS_ERROR || ctx->failed) {
            if (ctx->failed)
                snprintf(err, errlen, _("%s: %s: %s"), b->path, name, ctx->err);
            else
                snprintf(err, errlen, _("%s: %s: line %lu: %s"), b->path, name,
                         (unsigned long)XML_GetCurrentLineNumber(ctx->p), XML_ErrorString(XML_GetErrorCode(ctx->p)));
            goto out;
        }
        if (got == 0) break;
    }
    rc = 1;
out:
    XML_ParserFree(ctx->p);
    ctx->p = NULL;
    free(buf);
    zip_fclose(zf);
    return rc;
}

/* ---- workbook.xml and its relationships --------------------------------------------------- */

typedef struct wctx { pctx pc; xlsx_book *b; size_t cap; } wctx;

static void XMLCALL wb_start(void *ud, const XML_Char *n, const XML_Char **a)
{
    wctx *c = ud;
    xlsx_book *b = c->b;
    const char *name, *rid;
    if (strcmp(local(n), "sheet")) return;
    name = attr(a, "name");
    rid = attr(a, "id");
    if (!name || !rid) {
        fail(&c->pc, _("a sheet without a name or a relationship"));
        return;
    }
    if (mem_grow((void **)&b->sheets, &c->cap, b->nsheets + 1, sizeof *b->sheets) < 0) {
        fail(&c->pc, _("out of memory"));
        return;
    }
    memset(&b->sheets[b->nsheets], 0, sizeof *b->sheets);
    b->nsheets++;
    if (!(b->sheets[b->nsheets - 1].name = strdup(name)) || !(b->sheets[b->nsheets - 1].rid = strdup(rid)))
        fail(&c->pc, _("out of memory"));
}

static void XMLCALL nothing_end(void *ud, const XML_Char *n)
{
    (void)ud;
    (void)n;
}

typedef struct rctx { pctx pc; xlsx_book *b; char *ss_part; } rctx;

static char *part_path(const char *target)
{
    char *p;
    if (target[0] == '/') return strdup(target + 1);
    if (!(p = malloc(strlen(target) + 4))) return NULL;
    strcpy(p, "xl/");
    strcat(p, target);
    return p;
}

static void XMLCALL rel_start(void *ud, const XML_Char *n, const XML_Char **a)
{
    rctx *c = ud;
    const char *id, *target, *type;
    size_t i, tl;
    if (strcmp(local(n), "Relationship")) return;
    id = attr(a, "Id");
    target = attr(a, "Target");
    type = attr(a, "Type");
    if (!id || !target) return;
    tl = type ? strlen(type) : 0;
    if (tl >= 14 && !strcmp(type + tl - 14, "/sharedStrings") && !c->ss_part) {
        if (!(c->ss_part = part_path(target))) fail(&c->pc, _("out of memory"));
        return;
    }
    for (i = 0; i < c->b->nsheets; i++)
        if (!strcmp(c->b->sheets[i].rid, id) && !c->b->sheets[i].part
            && !(c->b->sheets[i].part = part_path(target)))
            fail(&c->pc, _("out of memory"));
}

/* ---- shared strings ------------------------------------------------------------------------- */

typedef struct sctx {
    pctx pc;
    xlsx_book *b;
    sbuf t;
    int in_si, in_t, in_rph;
} sctx;

static void XMLCALL ss_start(void *ud, const XML_Char *n, const XML_Char **a)
{
    sctx *c = ud;
    const char *l = local(n);
    (void)a;
    if (!strcmp(l, "si")) {
        c->in_si = 1;
        c->t.n = 0;
    } else if (!strcmp(l, "rPh")) c->in_rph = 1;
    else if (!strcmp(l, "t") && c->in_si && !c->in_rph) c->in_t = 1;
}

static void XMLCALL ss_end(void *ud, const XML_Char *n)
{
    sctx *c = ud;
    xlsx_book *b = c->b;
    const char *l = local(n);
    if (!strcmp(l, "t")) c->in_t = 0;
    else if (!strcmp(l, "rPh")) c->in_rph = 0;
    else if (!strcmp(l, "si") && c->in_si) {
        char *s;
        c->in_si = 0;
        if (mem_grow((void **)&b->ss, &b->capss, b->nss + 1, sizeof *b->ss) < 0) {
            fail(&c->pc, _("out of memory"));
            return;
        }
        if (c->t.oom || !(s = malloc(c->t.n + 1))) {
            fail(&c->pc, _("out of memory"));
            return;
        }
        if (c->t.n) memcpy(s, c->t.p, c->t.n);
        s[c->t.n] = '\0';
        unescape(s);
        b->ss[b->nss++] = s;
    }
}

static void XMLCALL ss_chars(void *ud, const XML_Char *s, int len)
{
    sctx *c = ud;
    if (c->in_t) sb_put(&c->t, s, (size_t)len);
}

/* ---- opening ---------------------------------------------------------------------------------- */

xlsx_book *xlsx_open(const char *path, char *err, size_t errlen)
{
    xlsx_book *b = calloc(1, sizeof *b);
    int zerr = 0, r;
    size_t i;
    wctx w;
    rctx rc;
    sctx sc;

    memset(&rc, 0, sizeof rc);
    memset(&sc, 0, sizeof sc);
    if (!b || !(b->path = strdup(path))) {
        free(b);
        snprintf(err, errlen, _("out of memory"));
        return NULL;
    }
    if (!(b->za = zip_open(path, ZIP_RDONLY, &zerr))) {
        zip_error_t ze;
        zip_error_init_with_code(&ze, zerr);
        snprintf(err, errlen, _("%s: not an Excel workbook (.xlsx): %s"), path, zip_error_strerror(&ze));
        zip_error_fini(&ze);
        goto fail;
    }
    memset(&w, 0, sizeof w);
    w.b = b;
    if ((r = parse_part(b, "xl/workbook.xml", &w.pc, wb_start, nothing_end, NULL, err, errlen)) <= 0) {
        if (r == 0) snprintf(err, errlen, _("%s: not an Excel workbook (.xlsx): no xl/workbook.xml"), path);
        goto fail;
    }
    rc.b = b;
    if (parse_part(b, "xl/_rels/workbook.xml.rels", &rc.pc, rel_start, nothing_end, NULL, err, errlen) < 0) goto fail;
    for (i = 0; i < b->nsheets; i++)
        if (!b->sheets[i].part) {
            snprintf(err, errlen, _("%s: sheet %zu (%s) has no part in the workbook"), path, i + 1, b->sheets[i].name);
            goto fail;
        }
    sc.b = b;
    if (parse_part(b, rc.ss_part ? rc.ss_part : "xl/sharedStrings.xml", &sc.pc, ss_start, ss_end, ss_chars, err,
                   errlen) < 0)
        goto fail;
    free(rc.ss_part);
    sb_free(&sc.t);
    return b;
fail:
    free(rc.ss_part);
    sb_free(&sc.t);
    xlsx_close(b);
    return NULL;
}

void xlsx_close(xlsx_book *b)
{
    size_t i;
    if (!b) return;
    if (b->za) zip_discard(b->za);
    for (i = 0; i < b->nsheets; i++) {
        free(b->sheets[i].name);
        free(b->sheets[i].rid);
        free(b->sheets[i].part);
    }
    for (i = 0; i < b->nss; i++) free(b->ss[i]);
    free(b->ss);
    free(b->sheets);
    free(b->path);
    free(b);
}

size_t xlsx_nsheets(const xlsx_book *b) { return b->nsheets; }

const char *xlsx_sheet_name(const xlsx_book *b, size_t i) { return i < b->nsheets ? b->sheets[i].name : NULL; }

/* ---- a sheet ------------------------------------------------------------------------------------ */

typedef struct cctx {
    pctx pc;
    xlsx_book *b;
    xlsx_sheet *out;
    size_t cap;
    uint32_t row, col;       /* current row, last cell's column + 1 */
    char type[16];
    int in_c, in_v, in_is, in_t, in_rph, have_v, have_is;
    sbuf v, is;
} cctx;

void xlsx_cell_ref(uint32_t row, uint32_t col, char *buf, size_t len)
{
    char letters[8];
    int n = 0, k;
    uint32_t c = col + 1;
    while (c && n < 7) {
        letters[n++] = (char)('A' + (c - 1) % 26);
        c = (c - 1) / 26;
    }
    for (k = 0; k < n / 2; k++) {
        char t = letters[k];
        letters[k] = letters[n - 1 - k];
        letters[n - 1 - k] = t;
    }
    letters[n] = '\0';
    snprintf(buf, len, "%s%lu", letters, (unsigned long)row);
}

/* "D17" → row 17, col 3.  RETURN 0 or -1. */
static int parse_ref(const char *s, uint32_t *row, uint32_t *col)
{
    uint64_t c = 0, r = 0;
    const char *p = s;
    while (*p >= 'A' && *p <= 'Z' && c < 20000) c = c * 26 + (uint64_t)(*p++ - 'A' + 1);
    if (p == s || c > 16384) return -1;
    if (*p < '1' || *p > '9') return -1;
    while (*p >= '0' && *p <= '9' && r < 2000000) r = r * 10 + (uint64_t)(*p++ - '0');
    if (*p || r > 1048576) return -1;
    *row = (uint32_t)r;
    *col = (uint32_t)(c - 1);
    return 0;
}

static void XMLCALL sh_start(void *ud, const XML_Char *n, const XML_Char **a)
{
    cctx *c = ud;
    const char *l = local(n);
    if (!strcmp(l, "row")) {
        const char *r = attr(a, "r");
        unsigned long v;
        char *end;
        if (r) {
            v = strtoul(r, &end, 10);
            if (*end || !v || v > 1048576) {
                fail(&c->pc, _("a row with an unreadable number"));
                return;
            }
            c->row = (uint32_t)v;
        } else
            c->row++;
        c->col = 0;
    } else if (!strcmp(l, "c")) {
        const char *r = attr(a, "r"), *t = attr(a, "t");
        uint32_t row, col;
        if (r) {
            if (parse_ref(r, &row, &col) < 0 || row != c->row) {
                char m[128];
                snprintf(m, sizeof m, _("row %lu: a cell with an unreadable reference"), (unsigned long)c->row);
                fail(&c->pc, m);
                return;
            }
            c->col = col;
        }
        snprintf(c->type, sizeof c->type, "%s", t ? t : "n");
        c->in_c = 1;
        c->have_v = c->have_is = 0;
        c->v.n = c->is.n = 0;
    } else if (c->in_c && !strcmp(l, "v")) {
        c->in_v = 1;
        c->have_v = 1;
    } else if (c->in_c && !strcmp(l, "is")) {
        c->in_is = 1;
        c->have_is = 1;
    } else if (c->in_is && !strcmp(l, "rPh")) c->in_rph = 1;
    else if (c->in_is && !c->in_rph && !strcmp(l, "t")) c->in_t = 1;
}

static void XMLCALL sh_chars(void *ud, const XML_Char *s, int len)
{
    cctx *c = ud;
    if (c->in_v) sb_put(&c->v, s, (size_t)len);
    else if (c->in_t) sb_put(&c->is, s, (size_t)len);
}

static void XMLCALL sh_end(void *ud, const XML_Char *n)
{
    cctx *c = ud;
    const char *l = local(n);
    xlsx_cell cell;
    char ref[24], m[160];
    sbuf *src;

    if (!strcmp(l, "v")) c->in_v = 0;
    else if (!strcmp(l, "t")) c->in_t = 0;
    else if (!strcmp(l, "rPh")) c->in_rph = 0;
    else if (!strcmp(l, "is")) c->in_is = 0;
    if (strcmp(l, "c") || !c->in_c) return;
    c->in_c = 0;
    xlsx_cell_ref(c->row, c->col, ref, sizeof ref);
    cell.row = c->row;
    cell.col = c->col++;
    if (c->v.oom || c->is.oom) {
        fail(&c->pc, _("out of memory"));
        return;
    }
    if (!strcmp(c->type, "inlineStr")) {
        if (!c->have_is) return;
        src = &c->is;
        cell.type = XLSX_STRING;
    } else {
        if (!c->have_v) return;     /* a formatted cell without a value */
        src = &c->v;
        cell.type = !strcmp(c->type, "s") || !strcmp(c->type, "str") ? XLSX_STRING
                  : !strcmp(c->type, "b") ? XLSX_BOOL : !strcmp(c->type, "e") ? XLSX_ERROR : XLSX_NUMBER;
        if (strcmp(c->type, "s") && strcmp(c->type, "str") && strcmp(c->type, "b") && strcmp(c->type, "e")
            && strcmp(c->type, "n") && strcmp(c->type, "d")) {
            snprintf(m, sizeof m, _("cell %s: unknown cell type %s"), ref, c->type);
            fail(&c->pc, m);
            return;
        }
    }
    if (!strcmp(c->type, "s")) {
        char *end;
        unsigned long k;
        sb_chr(&c->v, '\0');
        k = strtoul(c->v.p, &end, 10);
        if (c->v.oom || end == c->v.p || *end || k >= c->b->nss) {
            snprintf(m, sizeof m, _("cell %s: a shared string that the workbook does not have"), ref);
            fail(&c->pc, m);
            return;
        }
        cell.text = strdup(c->b->ss[k]);
    } else {
        if (!(cell.text = malloc(src->n + 1))) {
            fail(&c->pc, _("out of memory"));
            return;
        }
        if (src->n) memcpy(cell.text, src->p, src->n);
        cell.text[src->n] = '\0';
        if (cell.type == XLSX_STRING) unescape(cell.text);
    }
    if (!cell.text) {
        fail(&c->pc, _("out of memory"));
        return;
    }
    if (mem_grow((void **)&c->out->cells, &c->cap, c->out->ncells + 1, sizeof *c->out->cells) < 0) {
        free(cell.text);
        fail(&c->pc, _("out of memory"));
        return;
    }
    c->out->cells[c->out->ncells++] = cell;
}

int xlsx_read_sheet(xlsx_book *b, size_t i, xlsx_sheet *out, char *err, size_t errlen)
{
    cctx c;
    char msg[1024];
    int r;
    memset(out, 0, sizeof *out);
    if (i >= b->nsheets) {
        snprintf(err, errlen, _("%s: no sheet %zu"), b->path, i + 1);
        return -1;
    }
    memset(&c, 0, sizeof c);
    c.b = b;
    c.out = out;
    r = parse_part(b, b->sheets[i].part, &c.pc, sh_start, sh_end, sh_chars, msg, sizeof msg);
    sb_free(&c.v);
    sb_free(&c.is);
    if (r <= 0) {
        if (r == 0) snprintf(err, errlen, _("%s, sheet %zu: its part %s is missing"), b->path, i + 1, b->sheets[i].part);
        else snprintf(err, errlen, _("%s, sheet %zu: %s"), b->path, i + 1, msg);
        xlsx_sheet_free(out);
        return -1;
    }
    return 0;
}

void xlsx_sheet_free(xlsx_sheet *s)
{
    size_t i;
    for (i = 0; i < s->ncells; i++) free(s->cells[i].text);
    free(s->cells);
    memset(s, 0, sizeof *s);
}

/* ---- numbers ------------------------------------------------------------------------------------- */

int xlsx_number_plain(const char *s, char *out, size_t len)
{
    char digits[64];
    size_t nd = 0, k, o = 0;
    long point = 0, e = 0;
    int neg = 0, seen = 0, has_exp = 0, dot = 0;
    const char *p = s;

    if (*p == '-' || *p == '+') neg = *p++ == '-';
    for (; (*p >= '0' && *p <= '9') || (*p == '.' && !dot); p++) {
        if (*p == '.') {
            dot = 1;
            continue;
        }
        seen = 1;
        if (nd == 0 && *p == '0') {     /* leading zeros */
            if (dot) point--;
            continue;
        }
        if (nd >= sizeof digits - 1) return -1;
        digits[nd++] = *p;
        if (!dot) point++;
    }
    if (!seen) return -1;
    if (*p == 'E' || *p == 'e') {
        char *end;
        has_exp = 1;
        p++;
        e = strtol(p, &end, 10);
        if (end == p || *end || e > 300 || e < -300) return -1;
        p = end;
    }
    if (*p) return -1;
    while (nd && digits[nd - 1] == '0' && (has_exp || dot)) nd--;   /* trailing fraction zeros: */
    (void)has_exp;
    point += e;
    if (nd == 0) {
        snprintf(out, len, "0");
        return len > 1 ? 0 : -1;
    }
    /* digits d1 d2 … with the decimal point after `point` of them */
#define PUT(ch) do { if (o + 1 >= len) return -1; out[o++] = (ch); } while (0)
    if (neg) PUT('-');
    if (point <= 0) {
        PUT('0');
        PUT('.');
        for (k = 0; k < (size_t)(-point); k++) PUT('0');
        for (k = 0; k < nd; k++) PUT(digits[k]);
    } else {
        for (k = 0; k < (size_t)point; k++) PUT(k < nd ? digits[k] : '0');
        if ((size_t)point < nd) {
            PUT('.');
            for (k = (size_t)point; k < nd; k++) PUT(digits[k]);
        }
    }
#undef PUT
    out[o] = '\0';
    return 0;
}
