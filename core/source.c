/* source.c — record sources: CSV over a file or standard input, hashed as
 * it is read. */
#define _POSIX_C_SOURCE 200809L
#include "source.h"
#include "sha256.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define READ_BUFSIZE (4u << 20)
#define MAX_RECORD (64u << 20)       /* one record, quoted line breaks included */

struct source {
    FILE *f;
    int own_f;
    char *name;
    long long size;
    sha256_ctx sha;
    unsigned long long bytes;
    csv_reader *csv;
    char err[512];
};

/* Reads from the file and feeds the fingerprint. */
static long read_hashed(void *ctx, char *buf, size_t len)
{
    source *s = ctx;
    size_t n = fread(buf, 1, len, s->f);
    if (n == 0 && ferror(s->f)) return -1;
    sha256_update(&s->sha, buf, n);
    s->bytes += n;
    return (long)n;
}

source *source_open(const run_config *cfg, char *err, size_t errlen)
{
    source *s = calloc(1, sizeof *s);
    struct stat st;
    if (!s) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    s->size = -1;
    sha256_init(&s->sha);
    if (cfg->encoding && strcmp(cfg->encoding, "utf-8") && strcmp(cfg->encoding, "utf8")
        && strcmp(cfg->encoding, "UTF-8")) {
        snprintf(err, errlen, "encoding \"%s\" is not supported by this build (utf-8 only)",
                 cfg->encoding);
        free(s);
        return NULL;
    }
    if (!strcmp(cfg->input, "-")) {
        s->f = stdin;
        s->name = strdup("(standard input)");
    } else {
        s->f = fopen(cfg->input, "rb");
        s->own_f = 1;
        s->name = strdup(cfg->input);
        if (!s->f) {
            snprintf(err, errlen, "%s: cannot open: %s", cfg->input, strerror(errno));
            source_close(s);
            return NULL;
        }
    }
    if (fstat(fileno(s->f), &st) == 0 && S_ISREG(st.st_mode)) s->size = (long long)st.st_size;
    s->csv = csv_open(read_hashed, s, READ_BUFSIZE, MAX_RECORD);
    if (!s->name || !s->csv) {
        snprintf(err, errlen, "out of memory");
        source_close(s);
        return NULL;
    }
    return s;
}

int source_next(source *s, csv_record *rec)
{
    int rc = csv_next(s->csv, rec);
    if (rc < 0) snprintf(s->err, sizeof s->err, "%s", csv_error(s->csv));
    return rc;
}

const char *source_error(const source *s) { return s->err; }
const char *source_name(const source *s) { return s->name; }
long long source_size(const source *s) { return s->size; }
unsigned long long source_offset(const source *s) { return s->csv ? csv_offset(s->csv) : 0; }

void source_sha256(source *s, char hex[65])
{
    sha256_ctx copy = s->sha;
    sha256_final_hex(&copy, hex);
}

void source_close(source *s)
{
    if (!s) return;
    if (s->csv) csv_close(s->csv);
    if (s->f && s->own_f) fclose(s->f);
    free(s->name);
    free(s);
}
