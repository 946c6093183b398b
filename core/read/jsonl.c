/* jsonl.c — JSON Lines records: a line reader, a small JSON parser (RFC
 * 8259, strict), and the expansion of a household line into one record per
 * member in the header's column order. */
#include "jsonl.h"
#include "i18n.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_DEPTH 64        /* nesting of values kept as JSON text */

typedef struct jpair {
    size_t koff, klen;      /* key, in the arena */
    size_t voff, vlen;      /* value text, in the arena (NUL-terminated) */
    long col;               /* header column, or -1 */
} jpair;

typedef struct plist { jpair *p; size_t n, cap; } plist;

struct jsonl_reader {
    csv_read_fn src;
    void *ctx;
    char *buf;              /* unread input is buf[start, end) */
    size_t cap, start, end, scan, readsize, max_line;
    int eof, bom_checked;
    long next_line;         /* physical number of the line at buf[start] */

    /* the current line */
    const char *ltxt;
    size_t llen;
    long lline;
    int malformed, badenc, has_members, pending;
    size_t next_member;

    char *arena;            /* decoded text of the current line */
    size_t alen, acap;
    plist hh;               /* the household's pairs */
    plist mp;               /* every member's pairs, one after the other */
    size_t *mstart;         /* member i: mp.p[mstart[i], mstart[i + 1]) */
    size_t nm, mcap;

    /* the header */
    int header_sent;
    char **hnames;
    size_t *hlens, nh, hcap;
    long *htab;             /* open addressing over hnames; -1 empty */
    size_t htcap;

    /* the record handed out */
    csv_field *fields;
    size_t fcap;
    long *colsrc;           /* per header column: arena offset of its value, or -1 */
    size_t *collen;
    char *raw;
    size_t rlen, rcap;
    char err[512];
};

/* ---- small buffers ---------------------------------------------------------- */

static int grow(void **p, size_t *cap, size_t need, size_t elem)
{
    size_t ncap = *cap ? *cap : 16;
    void *np;
    if (need <= *cap) return 0;
    while (ncap < need) ncap *= 2;
    np = realloc(*p, ncap * elem);
    if (!np) return -1;
    *p = np;
    *cap = ncap;
    return 0;
}

static int arena_put(jsonl_reader *r, const char *s, size_t n)
{
    if (grow((void **)&r->arena, &r->acap, r->alen + n + 1, 1) < 0) return -1;
    memcpy(r->arena + r->alen, s, n);
    r->alen += n;
    return 0;
}

static int raw_put(jsonl_reader *r, const char *s, size_t n)
{
    if (grow((void **)&r->raw, &r->rcap, r->rlen + n + 1, 1) < 0) return -1;
    memcpy(r->raw + r->rlen, s, n);
    r->rlen += n;
    r->raw[r->rlen] = '\0';
    return 0;
}

/* Appends one field to raw in CSV form (quoted when needed). */
static int raw_field(jsonl_reader *r, const char *s, size_t n, int first)
{
    size_t i;
    int quote = n > 0 && (s[0] == ' ' || s[0] == '\t' || s[n - 1] == ' ' || s[n - 1] == '\t');
    if (!first && raw_put(r, ",", 1) < 0) return -1;
    for (i = 0; i < n && !quote; i++)
        if (s[i] == ',' || s[i] == '\n' || s[i] == '\r' || s[i] == '"') quote = 1;
    if (!quote) return raw_put(r, s, n);
    if (raw_put(r, "\"", 1) < 0) return -1;
    for (i = 0; i < n; i++) {
        if (s[i] == '"' && raw_put(r, "\"", 1) < 0) return -1;
        if (raw_put(r, s + i, 1) < 0) return -1;
    }
    return raw_put(r, "\"", 1);
}

static uint64_t hash(const char *s, size_t n)
{
    uint64_t h = 1469598103934665603ULL;
    size_t i;
    for (i = 0; i < n; i++) h = (h ^ (unsigned char)s[i]) * 1099511628211ULL;
    return h;
}

static long header_find(const jsonl_reader *r, const char *k, size_t n)
{
    size_t i;
    if (!r->htcap) return -1;
    for (i = hash(k, n) & (r->htcap - 1); r->htab[i] >= 0; i = (i + 1) & (r->htcap - 1)) {
        long c = r->htab[i];
        if (r->hlens[c] == n && !memcmp(r->hnames[c], k, n)) return c;
    }
    return -1;
}

static int header_add(jsonl_reader *r, const char *k, size_t n)
{
    size_t i;
    if (header_find(r, k, n) >= 0) return 0;
    if (grow((void **)&r->hnames, &r->hcap, r->nh + 1, sizeof *r->hnames) < 0) return -1;
    r->hlens = realloc(r->hlens, r->hcap * sizeof *r->hlens);
    if (!r->hlens || !(r->hnames[r->nh] = malloc(n + 1))) return -1;
    memcpy(r->hnames[r->nh], k, n);
    r->hnames[r->nh][n] = '\0';
    r->hlens[r->nh] = n;
    r->nh++;
    if (2 * r->nh > r->htcap) {
        size_t ncap = r->htcap ? 2 * r->htcap : 64, c;
        long *nt = malloc(ncap * sizeof *nt);
        if (!nt) return -1;
        for (i = 0; i < ncap; i++) nt[i] = -1;
        free(r->htab);
        r->htab = nt;
        r->htcap = ncap;
        for (c = 0; c < r->nh; c++) {
            for (i = hash(r->hnames[c], r->hlens[c]) & (ncap - 1); nt[i] >= 0; i = (i + 1) & (ncap - 1)) ;
            nt[i] = (long)c;
        }
    } else {
        for (i = hash(k, n) & (r->htcap - 1); r->htab[i] >= 0; i = (i + 1) & (r->htcap - 1)) ;
        r->htab[i] = (long)(r->nh - 1);
    }
    return 0;
}

/* ---- the parser --------------------------------------------------------------- */

typedef struct jp {
    jsonl_reader *r;
    const unsigned char *t;
    size_t n, i;
    const char *why;        /* the first syntax error */
    int oom;
} jp;

static int bad(jp *p, const char *why)
{
    if (!p->why) p->why = why;
    return -1;
}

static void ws(jp *p)
{
    while (p->i < p->n && (p->t[p->i] == ' ' || p->t[p->i] == '\t' || p->t[p->i] == '\r'
                           || p->t[p->i] == '\n'))
        p->i++;
}

static int hex4(jp *p, unsigned *v)
{
    size_t k;
    *v = 0;
    if (p->n - p->i < 4) return bad(p, _("a \\u escape needs four hex digits"));
    for (k = 0; k < 4; k++) {
        unsigned c = p->t[p->i + k];
        *v <<= 4;
        if (c >= '0' && c <= '9') *v |= c - '0';
        else if (c >= 'a' && c <= 'f') *v |= c - 'a' + 10;
        else if (c >= 'A' && c <= 'F') *v |= c - 'A' + 10;
        else return bad(p, _("a \\u escape needs four hex digits"));
    }
    p->i += 4;
    return 0;
}

static int put_utf8(jp *p, unsigned c)
{
    char b[4];
    size_t n;
    if (c < 0x80) { b[0] = (char)c; n = 1; }
    else if (c < 0x800) { b[0] = (char)(0xC0 | c >> 6); b[1] = (char)(0x80 | (c & 0x3F)); n = 2; }
    else if (c < 0x10000) {
        b[0] = (char)(0xE0 | c >> 12); b[1] = (char)(0x80 | ((c >> 6) & 0x3F));
        b[2] = (char)(0x80 | (c & 0x3F)); n = 3;
    } else {
        b[0] = (char)(0xF0 | c >> 18); b[1] = (char)(0x80 | ((c >> 12) & 0x3F));
        b[2] = (char)(0x80 | ((c >> 6) & 0x3F)); b[3] = (char)(0x80 | (c & 0x3F)); n = 4;
    }
    if (arena_put(p->r, b, n) < 0) { p->oom = 1; return -1; }
    return 0;
}

/* A string at p->i (a '"'), unescaped into the arena.  With trim, spaces and
 * tabs around it are dropped (fields are trimmed as in a CSV file). */
static int parse_string(jp *p, size_t *off, size_t *len, int trim)
{
    jsonl_reader *r = p->r;
    size_t start;
    p->i++;
    start = r->alen;
    for (;;) {
        size_t run = p->i;
        unsigned char c;
        while (run < p->n && p->t[run] != '"' && p->t[run] != '\\' && p->t[run] >= 0x20) run++;
        if (run > p->i && arena_put(r, (const char *)p->t + p->i, run - p->i) < 0) {
            p->oom = 1;
            return -1;
        }
        p->i = run;
        if (p->i >= p->n) return bad(p, _("a string that never ends"));
        c = p->t[p->i];
        if (c == '"') { p->i++; break; }
        if (c < 0x20) return bad(p, _("a control character inside a string"));
        /* an escape */
        if (++p->i >= p->n) return bad(p, _("a string that never ends"));
        c = p->t[p->i++];
        switch (c) {
        case '"': case '\\': case '/':
            if (arena_put(r, (const char *)&c, 1) < 0) { p->oom = 1; return -1; }
            break;
        case 'b': c = '\b'; goto one;
        case 'f': c = '\f'; goto one;
        case 'n': c = '\n'; goto one;
        case 'r': c = '\r'; goto one;
        case 't': c = '\t';
        one:
            if (arena_put(r, (const char *)&c, 1) < 0) { p->oom = 1; return -1; }
            break;
        case 'u': {
            unsigned v, lo;
            if (hex4(p, &v) < 0) return -1;
            if (v >= 0xD800 && v <= 0xDBFF && p->n - p->i >= 6 && p->t[p->i] == '\\'
                && p->t[p->i + 1] == 'u') {
                size_t save = p->i;
                p->i += 2;
                if (hex4(p, &lo) < 0) return -1;
                if (lo >= 0xDC00 && lo <= 0xDFFF) {
                    v = 0x10000 + ((v - 0xD800) << 10) + (lo - 0xDC00);
                } else {
                    p->i = save;   /* a lone high surrogate; the next escape stands alone */
                }
            }
            if (v == 0) {
                /* A NUL byte: the record is ROW_ENCODING, and its
                 * household id is read without it (standard §1). */
                if (arena_put(r, "", 1) < 0) { p->oom = 1; return -1; }
            } else if (v >= 0xD800 && v <= 0xDFFF) {
                /* Not a character we can carry: keep bytes that are not
                 * UTF-8 in its place, so that the record is ROW_ENCODING. */
                r->badenc = 1;
                if (arena_put(r, "\xC0\x80", 2) < 0) { p->oom = 1; return -1; }
            } else if (put_utf8(p, v) < 0) {
                return -1;
            }
            break;
        }
        default:
            return bad(p, _("an unknown escape in a string"));
        }
    }
    *off = start;
    *len = r->alen - start;
    if (trim) {
        while (*len > 0 && (r->arena[*off + *len - 1] == ' ' || r->arena[*off + *len - 1] == '\t'))
            (*len)--;
        while (*len > 0 && (r->arena[*off] == ' ' || r->arena[*off] == '\t')) {
            (*off)++;
            (*len)--;
        }
    }
    if (arena_put(r, "", 0) < 0) { p->oom = 1; return -1; }
    r->arena[r->alen++] = '\0';
    r->arena[*off + *len] = '\0';
    return 0;
}

static int parse_number(jp *p)
{
    const unsigned char *t = p->t;
    size_t i = p->i;
    if (i < p->n && t[i] == '-') i++;
    if (i >= p->n || t[i] < '0' || t[i] > '9') return bad(p, _("a malformed number"));
    if (t[i] == '0') i++;
    else while (i < p->n && t[i] >= '0' && t[i] <= '9') i++;
    if (i < p->n && t[i] == '.') {
        i++;
        if (i >= p->n || t[i] < '0' || t[i] > '9') return bad(p, _("a malformed number"));
        while (i < p->n && t[i] >= '0' && t[i] <= '9') i++;
    }
    if (i < p->n && (t[i] == 'e' || t[i] == 'E')) {
        i++;
        if (i < p->n && (t[i] == '+' || t[i] == '-')) i++;
        if (i >= p->n || t[i] < '0' || t[i] > '9') return bad(p, _("a malformed number"));
        while (i < p->n && t[i] >= '0' && t[i] <= '9') i++;
    }
    p->i = i;
    return 0;
}

static int literal(jp *p, const char *w)
{
    size_t n = strlen(w);
    if (p->n - p->i < n || memcmp(p->t + p->i, w, n)) return bad(p, _("an unexpected character"));
    p->i += n;
    return 0;
}

/* Any value, checked and skipped (its text stays in the line). */
static int skip_value(jp *p, int depth)
{
    size_t off, len, save;
    if (depth > MAX_DEPTH) return bad(p, _("values nested too deeply"));
    ws(p);
    if (p->i >= p->n) return bad(p, _("a value is missing"));
    switch (p->t[p->i]) {
    case '"':
        save = p->r->alen;
        if (parse_string(p, &off, &len, 0) < 0) return -1;
        p->r->alen = save;
        return 0;
    case '{': case '[': {
        int obj = p->t[p->i] == '{';
        char close = obj ? '}' : ']';
        p->i++;
        ws(p);
        if (p->i < p->n && p->t[p->i] == close) { p->i++; return 0; }
        for (;;) {
            if (obj) {
                ws(p);
                if (p->i >= p->n || p->t[p->i] != '"') return bad(p, _("expected a key in quotes"));
                save = p->r->alen;
                if (parse_string(p, &off, &len, 0) < 0) return -1;
                p->r->alen = save;
                ws(p);
                if (p->i >= p->n || p->t[p->i] != ':') return bad(p, _("expected ':' after a key"));
                p->i++;
            }
            if (skip_value(p, depth + 1) < 0) return -1;
            ws(p);
            if (p->i < p->n && p->t[p->i] == ',') { p->i++; continue; }
            if (p->i < p->n && p->t[p->i] == close) { p->i++; return 0; }
            return bad(p, obj ? _("expected ',' or '}'") : _("expected ',' or ']'"));
        }
    }
    case 't': return literal(p, "true");
    case 'f': return literal(p, "false");
    case 'n': return literal(p, "null");
    default: return parse_number(p);
    }
}

/* A field's value as text in the arena. */
static int parse_field(jp *p, size_t *off, size_t *len)
{
    jsonl_reader *r = p->r;
    size_t from;
    ws(p);
    if (p->i >= p->n) return bad(p, _("a value is missing"));
    if (p->t[p->i] == '"') return parse_string(p, off, len, 1);
    from = p->i;
    if (skip_value(p, 1) < 0) return -1;
    /* null is blank; numbers, true, false and nested values are their text. */
    *off = r->alen;
    if (p->i - from == 4 && !memcmp(p->t + from, "null", 4)) {
        *len = 0;
    } else {
        *len = p->i - from;
        if (arena_put(r, (const char *)p->t + from, *len) < 0) { p->oom = 1; return -1; }
    }
    if (arena_put(r, "", 0) < 0) { p->oom = 1; return -1; }
    r->arena[r->alen++] = '\0';
    return 0;
}

static int push_pair(jp *p, plist *l, size_t koff, size_t klen, size_t voff, size_t vlen)
{
    if (grow((void **)&l->p, &l->cap, l->n + 1, sizeof *l->p) < 0) { p->oom = 1; return -1; }
    l->p[l->n].koff = koff;
    l->p[l->n].klen = klen;
    l->p[l->n].voff = voff;
    l->p[l->n].vlen = vlen;
    l->p[l->n].col = -1;
    l->n++;
    return 0;
}

/* Whether pairs [from, l->n) repeat a key. */
static int repeats(const jsonl_reader *r, const plist *l, size_t from)
{
    size_t i, j;
    for (i = from; i < l->n; i++)
        for (j = i + 1; j < l->n; j++)
            if (l->p[i].klen == l->p[j].klen
                && !memcmp(r->arena + l->p[i].koff, r->arena + l->p[j].koff, l->p[i].klen))
                return 1;
    return 0;
}

/* An object's pairs into l; top: the household object, with members. */
static int parse_object(jp *p, plist *l, int top)
{
    jsonl_reader *r = p->r;
    size_t from = l->n;
    ws(p);
    if (p->i >= p->n || p->t[p->i] != '{')
        return bad(p, top ? _("the line is not a JSON object") : _("a member is not a JSON object"));
    p->i++;
    ws(p);
    if (p->i < p->n && p->t[p->i] == '}') {
        p->i++;
        return 0;
    }
    for (;;) {
        size_t koff, klen, voff, vlen;
        ws(p);
        if (p->i >= p->n || p->t[p->i] != '"') return bad(p, _("expected a key in quotes"));
        if (parse_string(p, &koff, &klen, 1) < 0) return -1;
        ws(p);
        if (p->i >= p->n || p->t[p->i] != ':') return bad(p, _("expected ':' after a key"));
        p->i++;
        if (top && klen == 7 && !memcmp(r->arena + koff, "members", 7)) {
            if (r->has_members) return bad(p, _("members is given twice"));
            r->has_members = 1;
            ws(p);
            if (p->i >= p->n || p->t[p->i] != '[') return bad(p, _("members is not an array"));
            p->i++;
            ws(p);
            if (p->i < p->n && p->t[p->i] == ']') {
                p->i++;
            } else {
                for (;;) {
                    if (grow((void **)&r->mstart, &r->mcap, r->nm + 2, sizeof *r->mstart) < 0) {
                        p->oom = 1;
                        return -1;
                    }
                    r->mstart[r->nm++] = r->mp.n;
                    if (parse_object(p, &r->mp, 0) < 0) return -1;
                    ws(p);
                    if (p->i < p->n && p->t[p->i] == ',') { p->i++; continue; }
                    if (p->i < p->n && p->t[p->i] == ']') { p->i++; break; }
                    return bad(p, _("expected ',' or ']' in members"));
                }
                r->mstart[r->nm] = r->mp.n;
            }
            if (r->nm == 0) return bad(p, _("members is empty"));
        } else {
            if (parse_field(p, &voff, &vlen) < 0) return -1;
            if (push_pair(p, l, koff, klen, voff, vlen) < 0) return -1;
        }
        ws(p);
        if (p->i < p->n && p->t[p->i] == ',') { p->i++; continue; }
        if (p->i < p->n && p->t[p->i] == '}') { p->i++; break; }
        return bad(p, _("expected ',' or '}'"));
    }
    if (repeats(r, l, from)) return bad(p, _("a key is repeated"));
    return 0;
}

/* Parses the current line.  RETURN 0 (r->malformed tells), -1 out of memory. */
static int parse_line(jsonl_reader *r)
{
    jp p;
    size_t m;
    memset(&p, 0, sizeof p);
    p.r = r;
    p.t = (const unsigned char *)r->ltxt;
    p.n = r->llen;
    r->alen = 0;
    r->hh.n = r->mp.n = 0;
    r->nm = 0;
    r->has_members = 0;
    r->malformed = 0;
    r->badenc = !csv_utf8_valid(r->ltxt, r->llen);
    if (parse_object(&p, &r->hh, 1) == 0) {
        ws(&p);
        if (p.i < p.n) bad(&p, _("text after the object"));
    }
    if (p.oom) return -1;
    if (p.why) {
        r->malformed = 1;
        snprintf(r->err, sizeof r->err, _("line %ld, column %zu: %s"), r->lline, p.i + 1, p.why);
        return 0;
    }
    /* A line without members is one row; give it one empty member. */
    if (!r->has_members) {
        if (grow((void **)&r->mstart, &r->mcap, 2, sizeof *r->mstart) < 0) return -1;
        r->mstart[0] = r->mstart[1] = 0;
        r->nm = 1;
    }
    for (m = 0; m < r->hh.n; m++)
        r->hh.p[m].col = header_find(r, r->arena + r->hh.p[m].koff, r->hh.p[m].klen);
    for (m = 0; m < r->mp.n; m++)
        r->mp.p[m].col = header_find(r, r->arena + r->mp.p[m].koff, r->mp.p[m].klen);
    return 0;
}

/* ---- lines ---------------------------------------------------------------------- */

/* RETURN: 1 with a line in ltxt/llen/lline, 0 at the end, -1 on error. */
static int read_line(jsonl_reader *r)
{
    for (;;) {
        char *nl = memchr(r->buf + r->scan, '\n', r->end - r->scan);
        if (!r->bom_checked && (r->end - r->start >= 3 || r->eof)) {
            r->bom_checked = 1;
            if (r->end - r->start >= 3 && !memcmp(r->buf + r->start, "\xEF\xBB\xBF", 3))
                r->start += 3;
            /* Scan again from the start: a line break read before the BOM
             * could be decided (reads of 1 or 2 bytes) lies behind scan. */
            r->scan = r->start;
            continue;
        }
        if (r->bom_checked && (nl || (r->eof && r->start < r->end))) {
            size_t e = nl ? (size_t)(nl - r->buf) : r->end, k;
            r->ltxt = r->buf + r->start;
            r->llen = e - r->start;
            r->lline = r->next_line++;
            r->start = r->scan = nl ? e + 1 : e;
            while (r->llen > 0 && r->ltxt[r->llen - 1] == '\r') r->llen--;
            for (k = 0; k < r->llen && (r->ltxt[k] == ' ' || r->ltxt[k] == '\t' || r->ltxt[k] == '\r'); k++) ;
            if (k == r->llen) continue;   /* an empty line */
            return 1;
        }
        if (r->eof) return 0;
        r->scan = r->end;
        if (r->start > 0) {
            memmove(r->buf, r->buf + r->start, r->end - r->start);
            r->end -= r->start;
            r->scan -= r->start;
            r->start = 0;
        }
        if (r->end == r->cap) {
            char *nb;
            if (r->cap >= r->max_line) {
                snprintf(r->err, sizeof r->err, _("line %ld: longer than %zu bytes"), r->next_line,
                         r->max_line);
                return -1;
            }
            nb = realloc(r->buf, 2 * r->cap);
            if (!nb) { snprintf(r->err, sizeof r->err, _("out of memory")); return -1; }
            r->buf = nb;
            r->cap *= 2;
        }
        {
            size_t want = r->cap - r->end < r->readsize ? r->cap - r->end : r->readsize;
            long got = r->src(r->ctx, r->buf + r->end, want);
            if (got < 0) {
                snprintf(r->err, sizeof r->err, _("read error: %s"), strerror(errno));
                return -1;
            }
            if (got == 0) r->eof = 1;
            r->end += (size_t)got;
        }
    }
}

/* ---- records -------------------------------------------------------------------- */

jsonl_reader *jsonl_open(csv_read_fn src, void *ctx, size_t bufsize, size_t max_line)
{
    jsonl_reader *r = calloc(1, sizeof *r);
    if (!r) return NULL;
    if (bufsize < 1) bufsize = 1;
    r->src = src;
    r->ctx = ctx;
    r->readsize = bufsize;
    r->cap = bufsize < 4096 ? 4096 : bufsize;
    r->buf = malloc(r->cap);
    r->max_line = max_line;
    r->next_line = 1;
    if (!r->buf) {
        jsonl_close(r);
        return NULL;
    }
    return r;
}

void jsonl_close(jsonl_reader *r)
{
    size_t i;
    if (!r) return;
    for (i = 0; i < r->nh; i++) free(r->hnames[i]);
    free(r->hnames);
    free(r->hlens);
    free(r->htab);
    free(r->buf);
    free(r->arena);
    free(r->hh.p);
    free(r->mp.p);
    free(r->mstart);
    free(r->fields);
    free(r->colsrc);
    free(r->collen);
    free(r->raw);
    free(r);
}

const char *jsonl_error(const jsonl_reader *r) { return r->err; }
unsigned long long jsonl_lines(const jsonl_reader *r) { return (unsigned long long)(r->next_line - 1); }

static int make_header(jsonl_reader *r)
{
    size_t i;
    for (i = 0; i < r->hh.n; i++)
        if (header_add(r, r->arena + r->hh.p[i].koff, r->hh.p[i].klen) < 0) return -1;
    for (i = 0; i < r->mp.n; i++)
        if (header_add(r, r->arena + r->mp.p[i].koff, r->mp.p[i].klen) < 0) return -1;
    for (i = 0; i < r->hh.n; i++)
        r->hh.p[i].col = header_find(r, r->arena + r->hh.p[i].koff, r->hh.p[i].klen);
    for (i = 0; i < r->mp.n; i++)
        r->mp.p[i].col = header_find(r, r->arena + r->mp.p[i].koff, r->mp.p[i].klen);
    r->colsrc = malloc((r->nh ? r->nh : 1) * sizeof *r->colsrc);
    r->collen = malloc((r->nh ? r->nh : 1) * sizeof *r->collen);
    return r->colsrc && r->collen ? 0 : -1;
}

static int set_field(jsonl_reader *r, size_t i, const char *p, size_t n)
{
    if (grow((void **)&r->fields, &r->fcap, i + 1, sizeof *r->fields) < 0) return -1;
    r->fields[i].p = p;
    r->fields[i].n = n;
    return 0;
}

static int header_record(jsonl_reader *r, csv_record *rec)
{
    size_t i;
    r->rlen = 0;
    if (raw_put(r, "", 0) < 0) return -1;
    for (i = 0; i < r->nh; i++)
        if (set_field(r, i, r->hnames[i], r->hlens[i]) < 0
            || raw_field(r, r->hnames[i], r->hlens[i], i == 0) < 0)
            return -1;
    memset(rec, 0, sizeof *rec);
    rec->line = r->lline;
    rec->nfields = r->nh;
    rec->fields = r->fields;
    rec->raw = r->raw;
    rec->raw_len = r->rlen;
    rec->bad_encoding = csv_text_check(r->raw, r->rlen);
    return 0;
}

/* The record of member m of the current line. */
static int member_record(jsonl_reader *r, size_t m, csv_record *rec)
{
    size_t i, nf = r->nh;
    const plist *lists[2] = { &r->hh, &r->mp };
    size_t from[2] = { 0, r->mstart[m] }, to[2] = { r->hh.n, r->mstart[m + 1] };
    int l;
    for (i = 0; i < r->nh; i++) r->colsrc[i] = -1;
    /* Household pairs first, then the member's own, which win. */
    for (l = 0; l < 2; l++)
        for (i = from[l]; i < to[l]; i++) {
            const jpair *p = &lists[l]->p[i];
            if (p->col >= 0) {
                r->colsrc[p->col] = (long)p->voff;
                r->collen[p->col] = p->vlen;
            }
        }
    for (i = 0; i < r->nh; i++) {
        const char *v = r->colsrc[i] >= 0 ? r->arena + r->colsrc[i] : "";
        if (set_field(r, i, v, r->colsrc[i] >= 0 ? r->collen[i] : 0) < 0) return -1;
    }
    /* Keys the header does not have: the record gets more fields than it. */
    for (l = 0; l < 2; l++)
        for (i = from[l]; i < to[l]; i++) {
            const jpair *p = &lists[l]->p[i];
            if (p->col < 0 && set_field(r, nf++, r->arena + p->voff, p->vlen) < 0) return -1;
        }
    r->rlen = 0;
    if (raw_put(r, "", 0) < 0) return -1;
    for (i = 0; i < nf; i++)
        if (raw_field(r, r->fields[i].p, r->fields[i].n, i == 0) < 0) return -1;
    memset(rec, 0, sizeof *rec);
    rec->line = r->lline;
    rec->nfields = nf;
    rec->fields = r->fields;
    rec->raw = r->raw;
    rec->raw_len = r->rlen;
    /* The line's bytes, and the member's values as unescaped: a NUL byte
     * or a byte-order mark in them (standard §1). */
    rec->bad_encoding = (r->badenc ? CSV_TEXT_INVALID : 0) | csv_text_check(r->raw, r->rlen);
    return 0;
}

int jsonl_next(jsonl_reader *r, csv_record *rec)
{
    int rc;
    if (!r->header_sent) {
        rc = read_line(r);
        if (rc <= 0) return rc;
        if (parse_line(r) < 0) goto oom;
        if (r->malformed) {
            /* The first line gives the columns: it must be well formed. */
            size_t n = strlen(r->err);
            snprintf(r->err + n, sizeof r->err - n, _(" (the first line gives the columns)"));
            return -1;
        }
        if (make_header(r) < 0 || header_record(r, rec) < 0) goto oom;
        r->header_sent = 1;
        r->pending = 1;
        r->next_member = 0;
        return 1;
    }
    while (!r->pending || r->next_member >= r->nm) {
        r->pending = 0;
        rc = read_line(r);
        if (rc <= 0) return rc;
        if (parse_line(r) < 0) goto oom;
        if (r->malformed) {
            memset(rec, 0, sizeof *rec);
            rec->line = r->lline;
            rec->nfields = 0;
            rec->fields = r->fields;
            rec->raw = r->ltxt;
            rec->raw_len = r->llen;
            rec->bad_encoding = csv_text_check(r->ltxt, r->llen);
            r->err[0] = '\0';
            return 1;
        }
        r->pending = 1;
        r->next_member = 0;
    }
    if (member_record(r, r->next_member++, rec) < 0) goto oom;
    return 1;
oom:
    snprintf(r->err, sizeof r->err, _("out of memory"));
    return -1;
}
