/* jsonl.c — how fast JSON Lines can be read: tuopin's reader
 * (core/read/jsonl.c) against jansson, on the same file from the page cache.
 *
 *   ours     jsonl_next over the file: one record per member, the header's
 *            column order, the raw CSV form of each record (what a run gets)
 *   jansson  each line through json_loadb(JSON_REJECT_DUPLICATES) and every
 *            value visited (strings read, numbers and nested values as text
 *            through json_dumps, which is all jansson offers: it keeps no
 *            number text), then json_decref: less work than ours, as no
 *            record is built
 *
 * Build from a configured tree (bench/README.md, "JSON Lines"):
 *   cc -O2 -Icore/base -Icore/read bench/jsonl.c build/core/.libs/libtuopincore.a \
 *      $(pkg-config --cflags --libs jansson nettle lua5.4 sqlite3 xlsxwriter libpq) -lltdl -lm -lpthread
 * (libjansson-dev is needed for this comparison only, not by tuopin; drop libpq
 * when tuopin was configured without it).
 * Run: jsonl FILE.jsonl ours|jansson — prints the seconds, records or values,
 * and bytes seen. */
#include "jsonl.h"

#include <fcntl.h>
#include <jansson.h>
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
    if (argc != 3 || (strcmp(argv[2], "ours") && strcmp(argv[2], "jansson"))) {
        fprintf(stderr, "usage: jsonl FILE.jsonl ours|jansson\n");
        return 2;
    }
    if ((fd = open(argv[1], O_RDONLY)) < 0) {
        perror(argv[1]);
        return 1;
    }
    t = now();
    rc = strcmp(argv[2], "ours") ? with_jansson(fd) : with_ours(fd);
    printf("%s %.3f s, %llu %s, %llu bytes\n", argv[2], now() - t, nvalues,
           strcmp(argv[2], "ours") ? "values" : "records", nbytes);
    close(fd);
    return rc;
}
