/* jsonl_yajl.c — tuopin's JSON Lines reader with its parser swapped for
 * yajl's callback parser (libyajl-dev, pkg-config yajl), to measure whether a
 * Debian JSON library reads JSON Lines as fast (bench/README.md, "JSON
 * Lines: yajl").  Not a file of tuopin: it is appended to a copy of
 * core/read/jsonl.c whose parse_line is renamed, so that the line reading,
 * the header and the records built are tuopin's own and only the parsing
 * differs:
 *
 *   sed 's/^static int parse_line(jsonl_reader \*r)$/static int parse_line(jsonl_reader *r);\nstatic int parse_line_own(jsonl_reader *r)/' \
 *       core/read/jsonl.c | cat - bench/jsonl_yajl.c >jsonl_y.c
 *   cc -O2 -Icore/base -Icore/read -include build/config.h -c jsonl_y.c
 *   cc -O2 -Icore/base -Icore/read bench/jsonl.c jsonl_y.o build/core/.libs/libtuopincore.a \
 *      $(pkg-config --cflags --libs jansson yajl nettle lua5.4 sqlite3 xlsxwriter libpq) \
 *      -lltdl -lm -lpthread -o jsonl-bench-y
 *   ./jsonl-bench-y q.jsonl ours
 *
 * The callbacks fill the reader's pairs and members as its own parser does
 * (numbers as their text through yajl_number, nested values as their text
 * through yajl_get_bytes_consumed, keys and strings trimmed, repeated keys
 * and the members' shape checked).  What it does not keep: the error words
 * and columns of the first line, and a lone surrogate as ROW_ENCODING (yajl
 * writes "?" or the surrogate's bytes); the generated quarter has neither,
 * and gives the same records and bytes as tuopin's reader. */
#include <yajl/yajl_parse.h>
typedef struct yx {
    jsonl_reader *r;
    yajl_handle h;
    const char *line;
    int depth;              /* 1 inside the household, 2 in members, 3 in a member */
    int expect_members;     /* the key was members: an array must come */
    int in_members;
    plist *cur;             /* where pairs go */
    size_t koff, klen;
    size_t nest_from;       /* a nested value's first byte */
    int nest;               /* depth inside a nested value (0: none) */
    size_t from_hh, from_mp;
    const char *why;
    int oom;
} yx;

static int yx_bad(yx *x, const char *why) { if (!x->why) x->why = why; return 0; }

static int yx_put(yx *x, const char *s, size_t n, size_t *off)
{
    jsonl_reader *r = x->r;
    if (grow((void **)&r->arena, &r->acap, r->alen + n + 1, 1) < 0) { x->oom = 1; return 0; }
    *off = r->alen;
    memcpy(r->arena + r->alen, s, n);
    r->alen += n;
    r->arena[r->alen++] = '\0';
    return 1;
}

static int yx_pair(yx *x, const char *s, size_t n, int trim)
{
    size_t off;
    jp p;
    if (trim) {
        while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t')) n--;
        while (n > 0 && (s[0] == ' ' || s[0] == '\t')) { s++; n--; }
    }
    if (!yx_put(x, s, n, &off)) return 0;
    memset(&p, 0, sizeof p);
    p.r = x->r;
    if (push_pair(&p, x->cur, x->koff, x->klen, off, n) < 0) { x->oom = 1; return 0; }
    return 1;
}

static int yx_scalar(yx *x, const char *s, size_t n, int trim)
{
    if (x->nest) return 1;
    if (x->expect_members) return yx_bad(x, "members is not an array");
    if (x->depth == 2) return yx_bad(x, "a member is not a JSON object");
    if (x->depth == 0) return yx_bad(x, "the line is not a JSON object");
    return yx_pair(x, s, n, trim);
}

static int yx_null(void *c) { return yx_scalar(c, "", 0, 0); }
static int yx_bool(void *c, int b) { return b ? yx_scalar(c, "true", 4, 0) : yx_scalar(c, "false", 5, 0); }
static int yx_number(void *c, const char *s, size_t n) { return yx_scalar(c, s, n, 0); }
static int yx_string(void *c, const unsigned char *s, size_t n) { return yx_scalar(c, (const char *)s, n, 1); }

static int yx_key(void *c, const unsigned char *s, size_t n)
{
    yx *x = c;
    const char *k = (const char *)s;
    if (x->nest) return 1;
    while (n > 0 && (k[n - 1] == ' ' || k[n - 1] == '\t')) n--;
    while (n > 0 && (k[0] == ' ' || k[0] == '\t')) { k++; n--; }
    if (x->depth == 1 && n == 7 && !memcmp(k, "members", 7)) {
        if (x->r->has_members) return yx_bad(x, "members is given twice");
        x->r->has_members = 1;
        x->expect_members = 1;
        return 1;
    }
    x->klen = n;
    return yx_put(x, k, n, &x->koff);
}

static int yx_open(yx *x, int map)
{
    jsonl_reader *r = x->r;
    if (x->nest) { x->nest++; return 1; }
    if (x->expect_members) {
        if (map) return yx_bad(x, "members is not an array");
        x->expect_members = 0;
        x->in_members = 1;
        x->depth = 2;
        return 1;
    }
    if (x->depth == 0) {
        if (!map) return yx_bad(x, "the line is not a JSON object");
        x->depth = 1;
        x->cur = &r->hh;
        return 1;
    }
    if (x->depth == 2) {
        if (!map) return yx_bad(x, "a member is not a JSON object");
        if (grow((void **)&r->mstart, &r->mcap, r->nm + 2, sizeof *r->mstart) < 0) { x->oom = 1; return 0; }
        r->mstart[r->nm++] = r->mp.n;
        x->depth = 3;
        x->cur = &r->mp;
        x->from_mp = r->mp.n;
        return 1;
    }
    /* a nested value: its text */
    x->nest = 1;
    x->nest_from = yajl_get_bytes_consumed(x->h) - 1;
    return 1;
}

static int yx_close(yx *x)
{
    jsonl_reader *r = x->r;
    if (x->nest) {
        if (--x->nest == 0) {
            size_t to = yajl_get_bytes_consumed(x->h);
            return yx_pair(x, x->line + x->nest_from, to - x->nest_from, 0);
        }
        return 1;
    }
    if (x->depth == 3) {
        if (repeats(r, &r->mp, x->from_mp)) return yx_bad(x, "a key is repeated");
        x->depth = 2;
        x->cur = &r->hh;
        return 1;
    }
    if (x->depth == 2) {
        r->mstart[r->nm] = r->mp.n;
        if (r->nm == 0) return yx_bad(x, "members is empty");
        x->depth = 1;
        return 1;
    }
    if (repeats(r, &r->hh, 0)) return yx_bad(x, "a key is repeated");
    x->depth = 0;
    return 1;
}

static int yx_smap(void *c) { return yx_open(c, 1); }
static int yx_sarr(void *c) { return yx_open(c, 0); }
static int yx_end(void *c) { return yx_close(c); }

static const yajl_callbacks yx_cb = {
    yx_null, yx_bool, NULL, NULL, yx_number, yx_string, yx_smap, yx_key, yx_end, yx_sarr, yx_end
};

static int parse_line(jsonl_reader *r)
{
    yx x;
    size_t m;
    yajl_status st;
    memset(&x, 0, sizeof x);
    x.r = r;
    x.line = r->ltxt;
    r->alen = 0;
    r->hh.n = r->mp.n = 0;
    r->nm = 0;
    r->has_members = 0;
    r->malformed = 0;
    r->badenc = !csv_utf8_valid(r->ltxt, r->llen);
    x.h = yajl_alloc(&yx_cb, NULL, &x);
    if (!x.h) return -1;
    yajl_config(x.h, yajl_dont_validate_strings, 1);
    st = yajl_parse(x.h, (const unsigned char *)r->ltxt, r->llen);
    if (st == yajl_status_ok) st = yajl_complete_parse(x.h);
    if (st != yajl_status_ok && !x.why) x.why = "syntax error";
    yajl_free(x.h);
    if (x.oom) return -1;
    if (x.why) {
        r->malformed = 1;
        snprintf(r->err, sizeof r->err, "line %ld: %s", r->lline, x.why);
        return 0;
    }
    if (!r->has_members) {
        if (grow((void **)&r->mstart, &r->mcap, 2, sizeof *r->mstart) < 0) return -1;
        r->mstart[0] = r->mstart[1] = 0;
        r->nm = 1;
    }
    for (m = 0; m < r->hh.n; m++)
        r->hh.p[m].col = header_find(r, r->arena + r->hh.p[m].koff, r->hh.p[m].klen);
    for (m = 0; m < r->mp.n; m++)
        r->mp.p[m].col = header_find(r, r->arena + r->mp.p[m].koff, r->mp.p[m].klen);
    (void)parse_line_own;   /* the reader's own parser, renamed: not used here */
    return 0;
}

