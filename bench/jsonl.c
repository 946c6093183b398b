/* jsonl.c — how fast JSON Lines can be read: tuopin's reader
 * (core/read/jsonl.c) against jansson and yajl, on the same file from the
 * page cache.
 *
 *   ours     jsonl_next over the file: one record per member, the header's
 *            column order, the raw CSV form of each record (what a run gets)
 *   jansson  each line through json_loadb(JSON_REJECT_DUPLICATES) and every
 *            value visited (strings read, numbers and nested values as text
 *            through json_dumps, which is all jansson offers: it keeps no
 *            number text), then json_decref: less work than ours, as no
 *            record is built
 *   yajl     each line through a yajl handle of its own, the callbacks
 *            copying keys and values (numbers as text) into an arena: no
 *            record built either (bench/jsonl_yajl.c puts yajl under the
 *            reader itself, for the whole comparison)
 *   yajl-stream  the whole file through one yajl handle
 *
 * Build from a configured tree (bench/README.md, "JSON Lines"):
 *   cc -O2 -Icore/base -Icore/read bench/jsonl.c build/core/.libs/libtuopincore.a \
 *      $(pkg-config --cflags --libs jansson yajl nettle lua5.4 sqlite3 xlsxwriter libpq) -lltdl -lm -lpthread
 * (libjansson-dev and libyajl-dev are needed for this comparison only, not by tuopin; drop libpq
 * when tuopin was configured without it).
 * Run: jsonl FILE.jsonl ours|jansson|yajl|yajl-stream — prints the seconds, records or values,
 * and bytes seen. */
#include "jsonl.h"

#include <fcntl.h>
#include <jansson.h>
#include <yajl/yajl_parse.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static long src_read(void *ctx, char *buf, size_t len) { return (long)read(*(int *)ctx, buf, len); }

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static unsigned long long nvalues, nbytes;

static void visit(json_t *v)
{
    const char *k;
    json_t *e;
    size_t i;
    char *text;
    nvalues++;
    switch (json_typeof(v)) {
    case JSON_STRING: nbytes += json_string_length(v); break;
    case JSON_NULL: break;
    case JSON_OBJECT:
        json_object_foreach(v, k, e) {
            nbytes += strlen(k);
            visit(e);
        }
        break;
    case JSON_ARRAY:
        json_array_foreach(v, i, e) visit(e);
        break;
    default:   /* numbers, true, false: their text */
        text = json_dumps(v, JSON_ENCODE_ANY | JSON_COMPACT);
        if (text) nbytes += strlen(text);
        free(text);
    }
}

static int with_jansson(int fd)
{
    size_t cap = 1 << 20, start = 0, end = 0;
    char *buf = malloc(cap);
    unsigned long long bad = 0;
    int eof = 0;
    if (!buf) return 1;
    for (;;) {
        char *nl = memchr(buf + start, '\n', end - start);
        if (!nl && !eof) {
            long got;
            memmove(buf, buf + start, end - start);
            end -= start;
            start = 0;
            if (end == cap && !(buf = realloc(buf, cap *= 2))) return 1;
            got = read(fd, buf + end, cap - end);
            if (got < 0) return 1;
            if (got == 0) eof = 1;
            end += (size_t)got;
            continue;
        }
        if (!nl && start == end) break;
        {
            size_t e = nl ? (size_t)(nl - buf) : end;
            json_error_t err;
            json_t *v = json_loadb(buf + start, e - start, JSON_REJECT_DUPLICATES, &err);
            if (v) {
                visit(v);
                json_decref(v);
            } else {
                bad++;
            }
            start = nl ? e + 1 : e;
        }
    }
    free(buf);
    fprintf(stderr, "malformed lines: %llu\n", bad);
    return 0;
}


/* ---- yajl: its callback parser, no tree --------------------------------------
 * Each line through its own handle (yajl 2 has no reset, and a stream of
 * values stops at the first error: a line's error must not end the file),
 * the callbacks copying every key and value into an arena of pairs (numbers
 * as their text through yajl_number), as tuopin's reader does before it
 * builds the records; the records themselves are not built, so this is a
 * lower bound of a reader on yajl.  "yajl-stream" parses the whole file
 * with one handle (yajl_allow_multiple_values): faster, but no reader can
 * use it, as one malformed line would end the file. */
typedef struct ypair { size_t koff, klen, voff, vlen; } ypair;
typedef struct yctx {
    char *arena;
    size_t alen, acap;
    ypair *p;
    size_t np, pcap;
    size_t key_off, key_len;
    int depth;
} yctx;

static int y_put(yctx *y, const void *s, size_t n, size_t *off)
{
    if (y->alen + n + 1 > y->acap) {
        while (y->alen + n + 1 > y->acap) y->acap = y->acap ? 2 * y->acap : 4096;
        if (!(y->arena = realloc(y->arena, y->acap))) return 0;
    }
    *off = y->alen;
    memcpy(y->arena + y->alen, s, n);
    y->alen += n;
    y->arena[y->alen++] = '\0';
    return 1;
}

static int y_value(yctx *y, const void *s, size_t n)
{
    size_t off;
    if (!y_put(y, s, n, &off)) return 0;
    if (y->np == y->pcap) {
        y->pcap = y->pcap ? 2 * y->pcap : 64;
        if (!(y->p = realloc(y->p, y->pcap * sizeof *y->p))) return 0;
    }
    y->p[y->np].koff = y->key_off;
    y->p[y->np].klen = y->key_len;
    y->p[y->np].voff = off;
    y->p[y->np].vlen = n;
    y->np++;
    nvalues++;
    nbytes += n + y->key_len;
    return 1;
}

static int y_null(void *c) { return y_value(c, "", 0); }
static int y_bool(void *c, int b) { return b ? y_value(c, "true", 4) : y_value(c, "false", 5); }
static int y_number(void *c, const char *s, size_t n) { return y_value(c, s, n); }
static int y_string(void *c, const unsigned char *s, size_t n) { return y_value(c, s, n); }
static int y_key(void *c, const unsigned char *s, size_t n)
{
    yctx *y = c;
    y->key_len = n;
    return y_put(y, s, n, &y->key_off);
}
static int y_start(void *c) { ((yctx *)c)->depth++; return 1; }
static int y_end(void *c) { ((yctx *)c)->depth--; return 1; }

static const yajl_callbacks ycb = {
    y_null, y_bool, NULL, NULL, y_number, y_string, y_start, y_key, y_end, y_start, y_end
};

static int with_yajl(int fd, int stream)
{
    size_t cap = 1 << 20, start = 0, end = 0;
    char *buf = malloc(cap);
    unsigned long long bad = 0;
    int eof = 0;
    yctx y;
    yajl_handle h = NULL;
    memset(&y, 0, sizeof y);
    if (!buf) return 1;
    if (stream) {
        h = yajl_alloc(&ycb, NULL, &y);
        yajl_config(h, yajl_allow_multiple_values, 1);
        for (;;) {
            long got = read(fd, buf, cap);
            if (got <= 0) break;
            y.alen = y.np = 0;
            if (yajl_parse(h, (unsigned char *)buf, (size_t)got) != yajl_status_ok) { bad++; break; }
        }
        if (yajl_complete_parse(h) != yajl_status_ok) bad++;
        yajl_free(h);
    } else for (;;) {
        char *nl = memchr(buf + start, '\n', end - start);
        if (!nl && !eof) {
            long got;
            memmove(buf, buf + start, end - start);
            end -= start;
            start = 0;
            if (end == cap && !(buf = realloc(buf, cap *= 2))) return 1;
            got = read(fd, buf + end, cap - end);
            if (got < 0) return 1;
            if (got == 0) eof = 1;
            end += (size_t)got;
            continue;
        }
        if (!nl && start == end) break;
        {
            size_t e = nl ? (size_t)(nl - buf) : end;
            y.alen = y.np = 0;
            y.depth = 0;
            h = yajl_alloc(&ycb, NULL, &y);
            if (yajl_parse(h, (unsigned char *)buf + start, e - start) != yajl_status_ok
                || yajl_complete_parse(h) != yajl_status_ok)
                bad++;
            yajl_free(h);
            start = nl ? e + 1 : e;
        }
    }
    free(buf);
    free(y.arena);
    free(y.p);
    fprintf(stderr, "malformed lines: %llu\n", bad);
    return 0;
}

static int with_ours(int fd)
{
    jsonl_reader *r = jsonl_open(src_read, &fd, 1 << 20, 64 << 20);
    csv_record rec;
    int rc;
    if (!r) return 1;
    while ((rc = jsonl_next(r, &rec)) > 0) {
        nvalues++;
        nbytes += rec.raw_len;
    }
    if (rc < 0) fprintf(stderr, "%s\n", jsonl_error(r));
    jsonl_close(r);
    return rc < 0;
}

int main(int argc, char **argv)
{
    int fd, rc;
    double t;
    if (argc != 3 || (strcmp(argv[2], "ours") && strcmp(argv[2], "jansson") && strcmp(argv[2], "yajl")
                      && strcmp(argv[2], "yajl-stream"))) {
        fprintf(stderr, "usage: jsonl FILE.jsonl ours|jansson|yajl|yajl-stream\n");
        return 2;
    }
    if ((fd = open(argv[1], O_RDONLY)) < 0) {
        perror(argv[1]);
        return 1;
    }
    t = now();
    if (!strcmp(argv[2], "ours")) rc = with_ours(fd);
    else if (!strcmp(argv[2], "jansson")) rc = with_jansson(fd);
    else rc = with_yajl(fd, !strcmp(argv[2], "yajl-stream"));
    printf("%s %.3f s, %llu %s, %llu bytes\n", argv[2], now() - t, nvalues,
           strcmp(argv[2], "ours") ? "values" : "records", nbytes);
    close(fd);
    return rc;
}
