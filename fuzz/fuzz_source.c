/* fuzz_source.c — record sources (core/input/source.c with decode.c, jsonl.c and
 * mapping.c): arbitrary bytes as an input file read as CSV or JSON Lines,
 * UTF-8 or GB18030, with or without the shipped mapping of the national
 * system's export and skip_rows = "auto".  The first byte picks the
 * combination; the rest is the file.  Beyond "no crash":
 *
 *   - the same records, and the same error, whatever the read size: the
 *     file is read 1 MiB, 1, 2, 3 and 61 bytes at a time (characters and
 *     records split across reads);
 *   - every record well formed: fields (at least one, in CSV) NUL-terminated,
 *     raw bytes within the record limit, line numbers never decreasing;
 *   - an error is one line;
 *   - the input's fingerprint covers every byte: source_offset equals the
 *     file's size after a complete read. */
#define _POSIX_C_SOURCE 200809L
#include "sbuf.h"
#include "source.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define CHECK(cond) do { if (!(cond)) { \
    fprintf(stderr, "fuzz_source: invariant broken at %s:%d: %s\n", __FILE__, __LINE__, #cond); \
    abort(); } } while (0)

static char dir[256], csv_path[300], jsonl_path[300];

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    const char *t = getenv("TMPDIR");
    (void)argc; (void)argv;
    snprintf(dir, sizeof dir, "%s/tuopin-fuzz-source-XXXXXX", t && *t ? t : "/tmp");
    if (!mkdtemp(dir)) abort();
    snprintf(csv_path, sizeof csv_path, "%s/in.csv", dir);
    snprintf(jsonl_path, sizeof jsonl_path, "%s/in.jsonl", dir);
    return 0;
}

static void put_u64(sbuf *b, unsigned long long v) { sb_put(b, (const char *)&v, sizeof v); }

/* Every record, serialized into out; the error message (or "") into err. */
static void read_all(const run_config *cfg, size_t bufsize, size_t size, sbuf *out,
                     char *err, size_t errlen)
{
    char msg[1024] = "";
    source *s = source_open_sized(cfg, bufsize, msg, sizeof msg);
    csv_record rec;
    long last = 0;
    size_t i;
    int rc;
    err[0] = '\0';
    if (!s) {
        CHECK(msg[0] && !strchr(msg, '\n'));
        snprintf(err, errlen, "open: %s", msg);
        return;
    }
    while ((rc = source_next(s, &rec)) == 1) {
        CHECK(rec.nfields >= 1 || !strcmp(cfg->format, "jsonl"));  /* {} has no field */
        CHECK(rec.line >= last && rec.line > 0);   /* JSON Lines: members share a line */
        last = rec.line;
        CHECK(rec.raw_len <= (64u << 20));
        put_u64(out, (unsigned long long)rec.line);
        put_u64(out, rec.nfields);
        put_u64(out, (unsigned long long)(rec.unterminated | rec.bad_encoding << 2));
        for (i = 0; i < rec.nfields; i++) {
            CHECK(rec.fields[i].p[rec.fields[i].n] == '\0');
            put_u64(out, rec.fields[i].n);
            sb_put(out, rec.fields[i].p, rec.fields[i].n);
        }
    }
    if (rc < 0) {
        const char *e = source_error(s);
        CHECK(e && e[0] && !strchr(e, '\n'));
        snprintf(err, errlen, "%s", e);
    } else if (strcmp(source_format(s), "postgresql")) {
        CHECK(source_offset(s) == size);
    }
    CHECK(!out->oom);
    source_close(s);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const size_t sizes[] = { 1 << 20, 1, 2, 3, 61 };
    run_config cfg;
    unsigned mode;
    const char *path;
    FILE *f;
    sbuf first = { 0 };
    char err0[1200], err[1200];
    size_t i;
    if (!dir[0]) LLVMFuzzerInitialize(NULL, NULL);
    if (size < 1 || size > 65536) return 0;
    mode = data[0];
    data++;
    size--;
    memset(&cfg, 0, sizeof cfg);
    path = mode & 2 ? jsonl_path : csv_path;
    cfg.input = (char *)path;
    cfg.format = (char *)(mode & 2 ? "jsonl" : "csv");
    cfg.encoding = (char *)(mode & 1 ? "gb18030" : "utf-8");
    if (mode & 4) cfg.mapping = (char *)"national-system";
    if (mode & 8) {
        cfg.has_skip_rows = 1;
        cfg.skip_rows = PIPELINE_SKIP_AUTO;
    }
    cfg.quiet = 1;
    f = fopen(path, "wb");
    CHECK(f != NULL);
    if (size) CHECK(fwrite(data, 1, size, f) == size);
    CHECK(fclose(f) == 0);
    read_all(&cfg, sizes[0], size, &first, err0, sizeof err0);
    for (i = 1; i < sizeof sizes / sizeof sizes[0]; i++) {
        sbuf other = { 0 };
        read_all(&cfg, sizes[i], size, &other, err, sizeof err);
        CHECK(!strcmp(err, err0));
        CHECK(other.n == first.n && (first.n == 0 || !memcmp(other.p, first.p, first.n)));
        sb_free(&other);
    }
    sb_free(&first);
    return 0;
}
