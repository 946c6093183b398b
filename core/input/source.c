/* source.c — record sources: bytes (a file or standard input, fingerprinted
 * as read, converted from GB18030 when asked) → records (CSV, JSON Lines, or
 * PostgreSQL rows) → the mapping (title rows, column names, values).
 *
 * The mapping is applied here, not in the engine, so that every check of
 * the standard sees canonical records whatever the input looked like.  A
 * mapped value replaces the field's pointer (the mapping owns the text);
 * the record's raw bytes stay as they were read, for rejects.csv. */
#define _POSIX_C_SOURCE 200809L
#include "source.h"
#include "decode.h"
#include "jsonl.h"
#include "mapping.h"
#include "pgsource.h"
#include "schema.h"
#include "sha256.h"
#include "i18n.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#define READ_BUFSIZE (4u << 20)
#define MAX_RECORD (64u << 20)       /* one record, quoted line breaks included */
#define GB_CHECKS 200                /* bad UTF-8 records tried as GB18030, at most */
#define AUTO_SKIP_MAX 20             /* skip_rows = "auto": records tried as the header */

#if PIPELINE_SKIP_AUTO != MAP_SKIP_AUTO
#error "skip_rows = auto has two values"
#endif

typedef enum { FMT_CSV, FMT_JSONL, FMT_PG } src_format;

struct source {
    /* bytes */
    FILE *f;
    int own_f;
    char *name;
    long long size;
    sha256_ctx sha;
    unsigned long long bytes;
    decoder *dec;                    /* NULL for UTF-8 */
    const char *encoding;            /* "utf-8" or "gb18030" */

    /* records */
    src_format fmt;
    csv_reader *csv;
    jsonl_reader *jl;
    pgsrc *pg;

    /* the header and the mapping */
    mapping *map;
    int skip_rows, skipped, header_seen;
    char **hnames;                   /* the header as written */
    const char **renamed;            /* per column: new name (owned by map) or NULL */
    const map_values **vt;           /* per column: value table or NULL */
    unsigned char *has_values;
    size_t ncols, nvt;               /* columns; columns with a value table */
    csv_field *fields;               /* the handed-out record's fields */
    size_t fcap;
    const csv_field *unmapped;       /* the record's fields before the mapping */

    /* UTF-8 that is not */
    unsigned long long bad_utf8, bad_utf8_gb, checked;
    long first_bad_line;
    int quiet;
    int no_sha;                      /* source_no_fingerprint */

    char err[1024];
};

/* Reads from the file and feeds the fingerprint. */
static long read_hashed(void *ctx, char *buf, size_t len)
{
    source *s = ctx;
    size_t n = fread(buf, 1, len, s->f);
    if (n == 0 && ferror(s->f)) return -1;
    if (!s->no_sha) sha256_update(&s->sha, n, (const uint8_t *)buf);
    s->bytes += n;
    return (long)n;
}

static int ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), k = strlen(suffix);
    return n >= k && !strcasecmp(s + n - k, suffix);
}

/* A connection URI given as a file (--input postgresql://u:pw@host/db): its
 * password is never echoed.  Writes the URI with the password as *** into
 * out; RETURN 1 when path is a URI (SCHEME://...), else 0. */
static int conn_uri_masked(const char *path, char *out, size_t n)
{
    const char *p = path, *rest, *at, *colon, *slash;
    while ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') || *p == '+'
           || *p == '-' || *p == '.')
        p++;
    if (p == path || strncmp(p, "://", 3)) return 0;
    rest = p + 3;
    slash = strchr(rest, '/');
    at = strrchr(rest, '@');
    if (at && slash && at > slash) at = NULL;
    colon = at ? memchr(rest, ':', (size_t)(at - rest)) : NULL;
    if (colon) snprintf(out, n, "%.*s***%s", (int)(colon + 1 - path), path, at);
    else snprintf(out, n, "%s", path);
    return 1;
}

static int open_file(source *s, const run_config *cfg, size_t bufsize, char *err, size_t errlen)
{
    struct stat st;
    csv_read_fn rd = read_hashed;
    void *rctx = s;
    const char *fmt = cfg->format;
    if (fmt && !strcasecmp(fmt, "csv")) s->fmt = FMT_CSV;
    else if (fmt && (!strcasecmp(fmt, "jsonl") || !strcasecmp(fmt, "ndjson")
                     || !strcasecmp(fmt, "json-lines")))
        s->fmt = FMT_JSONL;
    else if (fmt) {
        snprintf(err, errlen, _("input format \"%s\" is not known (csv or jsonl)"), fmt);
        return -1;
    } else {
        s->fmt = ends_with(cfg->input, ".jsonl") || ends_with(cfg->input, ".ndjson") ? FMT_JSONL
                                                                                      : FMT_CSV;
    }
    if (!strcmp(cfg->input, "-")) {
        s->f = stdin;
        s->name = strdup("(standard input)");
    } else {
        s->f = fopen(cfg->input, "rb");
        s->own_f = 1;
        s->name = strdup(cfg->input);
        if (!s->f) {
            snprintf(err, errlen, _("%s: cannot open: %s"), cfg->input, strerror(errno));
            return -1;
        }
    }
    if (!s->name) {
        snprintf(err, errlen, _("out of memory"));
        return -1;
    }
    if (fstat(fileno(s->f), &st) == 0 && S_ISREG(st.st_mode)) s->size = (long long)st.st_size;
    if (strcmp(s->encoding, "utf-8")) {
        char msg[256];
        s->dec = dec_open(s->encoding, read_hashed, s, bufsize, msg, sizeof msg);
        if (!s->dec) {
            snprintf(err, errlen, "%s: %s", s->name, msg);
            return -1;
        }
        rd = dec_read;
        rctx = s->dec;
    }
    if (s->fmt == FMT_JSONL) s->jl = jsonl_open(rd, rctx, bufsize, MAX_RECORD);
    else s->csv = csv_open(rd, rctx, bufsize, MAX_RECORD);
    if (!s->jl && !s->csv) {
        snprintf(err, errlen, _("out of memory"));
        return -1;
    }
    return 0;
}

source *source_open_sized(const run_config *cfg, size_t bufsize, char *err, size_t errlen)
{
    source *s = calloc(1, sizeof *s);
    if (!s) {
        snprintf(err, errlen, _("out of memory"));
        return NULL;
    }
    s->size = -1;
    s->quiet = cfg->quiet;
    sha256_init(&s->sha);
    s->encoding = dec_encoding_name(cfg->encoding);
    if (!s->encoding) {
        snprintf(err, errlen, _("encoding \"%s\" is not supported (utf-8 or gb18030; GBK and "
                 "GB2312 are read as GB18030)"), cfg->encoding);
        free(s);
        return NULL;
    }
    if (cfg->mapping) {
        char msg[900];
        s->map = map_load(cfg->mapping, msg, sizeof msg);
        if (!s->map) {
            snprintf(err, errlen, "%s", msg);
            source_close(s);
            return NULL;
        }
        if (map_skip_rows(s->map) > 0 || map_skip_rows(s->map) == MAP_SKIP_AUTO)
            s->skip_rows = map_skip_rows(s->map);
    }
    if (cfg->has_skip_rows) s->skip_rows = cfg->skip_rows;
    if (cfg->pg_conninfo && (!cfg->input || !strcmp(cfg->input, PIPELINE_PG_INPUT))) {
        s->fmt = FMT_PG;
        s->encoding = "utf-8";       /* the server converts */
        if (!cfg->pg_query) {
            snprintf(err, errlen, _("postgresql: no query (input { postgres = ..., query = ... })"));
            source_close(s);
            return NULL;
        }
        s->pg = pgsrc_open(cfg->pg_conninfo, cfg->pg_query, err, errlen);
        if (!s->pg || !(s->name = strdup(pgsrc_name(s->pg)))) {
            if (s->pg) snprintf(err, errlen, _("out of memory"));
            source_close(s);
            return NULL;
        }
        return s;
    }
    if (!cfg->input) {
        snprintf(err, errlen, _("no input: give input { path = ... } or --input"));
        source_close(s);
        return NULL;
    }
    {
        char shown[512];
        if (conn_uri_masked(cfg->input, shown, sizeof shown)) {
            snprintf(err, errlen, _("%s: a connection string is not an input file: give input { postgres = "
                     "\"...\", query = \"...\" } in the pipeline"), shown);
            source_close(s);
            return NULL;
        }
    }
    if (open_file(s, cfg, bufsize, err, errlen) < 0) {
        source_close(s);
        return NULL;
    }
    return s;
}

source *source_open(const run_config *cfg, char *err, size_t errlen)
{
    return source_open_sized(cfg, READ_BUFSIZE, err, errlen);
}

/* ---- the header --------------------------------------------------------------- */

static int all_blank(const csv_record *rec)
{
    size_t i;
    for (i = 0; i < rec->nfields; i++)
        if (rec->fields[i].n) return 0;
    return 1;
}

/* skip_rows = "auto": a record with two names the standard or the mapping
 * knows is the header; so is a record that cannot be read in the encoding
 * (then take_header says why). */
static int looks_like_header(const source *s, const csv_record *rec)
{
    size_t i, known = 0;
    if (rec->bad_encoding) return 1;
    for (i = 0; i < rec->nfields && known < 2; i++)
        if (schema_lookup(rec->fields[i].p) >= 0
            || (s->map && map_is_source(s->map, rec->fields[i].p, rec->fields[i].n)))
            known++;
    return known >= 2;
}

static int ensure_fields(source *s, size_t n)
{
    csv_field *nf;
    size_t ncap = s->fcap ? s->fcap : 64;
    if (n <= s->fcap) return 0;
    while (ncap < n) ncap *= 2;
    nf = realloc(s->fields, ncap * sizeof *nf);
    if (!nf) return -1;
    s->fields = nf;
    s->fcap = ncap;
    return 0;
}

/* Why a header that is not UTF-8 cannot be read, and what to do. */
static void header_not_utf8(source *s, const csv_record *rec)
{
    int gb = dec_gb18030_valid(rec->raw, rec->raw_len);
    if (gb == 1)
        snprintf(s->err, sizeof s->err, _("line %ld: the header is not valid UTF-8, but it reads as "
                 "GB18030 (an Excel or GBK export?): run with --encoding gb18030, or give "
                 "encoding = \"gb18030\" in input {}"),
                 rec->line);
    else
        snprintf(s->err, sizeof s->err, _("line %ld: the header is neither valid UTF-8 nor GB18030: "
                 "check the file's encoding (`tuopin inspect FILE` guesses it)"), rec->line);
}

static int take_header(source *s, csv_record *rec)
{
    const char **names;
    size_t *lens, i;
    if (rec->bad_encoding) {
        if (!(rec->bad_encoding & CSV_TEXT_INVALID))
            snprintf(s->err, sizeof s->err, _("line %ld: the header holds a NUL byte or a byte-order "
                     "mark (U+FEFF) that is not the file's first bytes: remove it"), rec->line);
        else if (s->dec)
            snprintf(s->err, sizeof s->err, _("line %ld: the header has bytes that are not valid "
                     "GB18030 (is the file UTF-8? then leave out --encoding gb18030)"), rec->line);
        else
            header_not_utf8(s, rec);
        return -1;
    }
    s->ncols = rec->nfields;
    s->hnames = calloc(s->ncols + 1, sizeof *s->hnames);
    s->renamed = calloc(s->ncols + 1, sizeof *s->renamed);
    s->vt = calloc(s->ncols + 1, sizeof *s->vt);
    s->has_values = calloc(s->ncols + 1, 1);
    names = calloc(s->ncols + 1, sizeof *names);
    lens = calloc(s->ncols + 1, sizeof *lens);
    if (!s->hnames || !s->renamed || !s->vt || !s->has_values || !names || !lens
        || ensure_fields(s, s->ncols + 1) < 0) {
        free(names);
        free(lens);
        snprintf(s->err, sizeof s->err, _("out of memory"));
        return -1;
    }
    for (i = 0; i < s->ncols; i++) {
        s->hnames[i] = strdup(rec->fields[i].p);
        if (!s->hnames[i]) {
            free(names);
            free(lens);
            snprintf(s->err, sizeof s->err, _("out of memory"));
            return -1;
        }
        names[i] = rec->fields[i].p;
        lens[i] = rec->fields[i].n;
    }
    if (s->map) {
        map_bind(s->map, names, lens, s->ncols, s->renamed, s->vt);
        for (i = 0; i < s->ncols; i++) {
            s->has_values[i] = s->vt[i] != NULL;
            if (s->vt[i]) s->nvt++;
        }
        /* The engine sees the new names. */
        memcpy(s->fields, rec->fields, s->ncols * sizeof *s->fields);
        for (i = 0; i < s->ncols; i++) {
            if (!s->renamed[i]) continue;
            s->fields[i].p = s->renamed[i];
            s->fields[i].n = strlen(s->renamed[i]);
        }
        rec->fields = s->fields;
        rec->plain = 0;
    }
    free(names);
    free(lens);
    s->header_seen = 1;
    /* From here on a record over several lines is checked for a stray
     * quote against the header's number of fields (standard §1). */
    if (s->csv) csv_set_header_fields(s->csv, rec->nfields);
    return 0;
}

/* ---- records -------------------------------------------------------------------- */

static int next_raw(source *s, csv_record *rec)
{
    int rc;
    rec->plain = 0;
    switch (s->fmt) {
    case FMT_PG:
        rc = pgsrc_next(s->pg, rec);
        if (rc < 0) snprintf(s->err, sizeof s->err, "%s", pgsrc_error(s->pg));
        if (rc == 1) {
            /* The fingerprint of a query's result: its rows as CSV lines. */
            if (!s->no_sha) {
                sha256_update(&s->sha, rec->raw_len, (const uint8_t *)rec->raw);
                sha256_update(&s->sha, 1, (const uint8_t *)"\n");
            }
            s->bytes += rec->raw_len + 1;
        }
        return rc;
    case FMT_JSONL:
        rc = jsonl_next(s->jl, rec);
        if (rc < 0) snprintf(s->err, sizeof s->err, "%s", jsonl_error(s->jl));
        return rc;
    default:
        rc = csv_next(s->csv, rec);
        if (rc < 0) snprintf(s->err, sizeof s->err, "%s", csv_error(s->csv));
        return rc;
    }
}

static void notice_not_utf8(source *s)
{
    if (s->quiet || !s->bad_utf8_gb) return;
    fprintf(stderr, s->bad_utf8 == 1
                ? _("tuopin: %s: %llu record is not valid UTF-8 (rejected as ROW_ENCODING, the "
                    "first on line %ld), and %s as GB18030: if the file is a GB18030/GBK export (Excel), "
                    "run with --encoding gb18030\n")
                : _("tuopin: %s: %llu records are not valid UTF-8 (rejected as ROW_ENCODING, the "
                    "first on line %ld), and %s as GB18030: if the file is a GB18030/GBK export (Excel), "
                    "run with --encoding gb18030\n"),
            s->name, s->bad_utf8, s->first_bad_line,
            s->bad_utf8_gb == s->checked ? (s->checked == 1 ? _("it reads") : _("they read"))
                                         : _("some read"));
}

int source_next(source *s, csv_record *rec)
{
    for (;;) {
        int rc = next_raw(s, rec);
        if (rc == 0 && s->header_seen) notice_not_utf8(s);
        if (rc <= 0) return rc;
        if (!s->header_seen) {
            if (s->skip_rows == MAP_SKIP_AUTO) {
                if (all_blank(rec)) return 1;
                if (!looks_like_header(s, rec)) {
                    if (++s->skipped > AUTO_SKIP_MAX) {
                        snprintf(s->err, sizeof s->err, _("no header in the first %d records: none "
                                 "has two column names that the standard or the mapping knows "
                                 "(skip_rows = \"auto\")"), AUTO_SKIP_MAX);
                        return -1;
                    }
                    continue;
                }
            } else if (s->skipped < s->skip_rows) {
                s->skipped++;
                continue;
            }
            /* Records of blank fields before the header: the engine skips them. */
            if (all_blank(rec)) return 1;
            return take_header(s, rec) < 0 ? -1 : 1;
        }
        if ((rec->bad_encoding & CSV_TEXT_INVALID) && !s->dec && s->fmt == FMT_CSV) {
            if (!s->bad_utf8++) s->first_bad_line = rec->line;
            if (s->checked < GB_CHECKS) {
                s->checked++;
                if (dec_gb18030_valid(rec->raw, rec->raw_len) == 1) s->bad_utf8_gb++;
            }
        }
        s->unmapped = rec->fields;
        if (s->nvt) {
            size_t i, n = rec->nfields < s->ncols ? rec->nfields : s->ncols;
            if (ensure_fields(s, rec->nfields) < 0) {
                snprintf(s->err, sizeof s->err, _("out of memory"));
                return -1;
            }
            if (rec->nfields) memcpy(s->fields, rec->fields, rec->nfields * sizeof *s->fields);
            for (i = 0; i < n; i++) {
                size_t len;
                const char *v;
                if (!s->vt[i]) continue;
                v = map_value(s->vt[i], s->fields[i].p, s->fields[i].n, &len);
                if (v) {
                    s->fields[i].p = v;
                    s->fields[i].n = len;
                }
            }
            rec->fields = s->fields;
            rec->plain = 0;
        }
        return 1;
    }
}

int source_read_header(source *s, const char *name, csv_record *rec, char *err, size_t errlen)
{
    size_t i;
    int rc;
    for (;;) {
        rc = source_next(s, rec);
        if (rc < 0) {
            snprintf(err, errlen, "%s: %s", name, source_error(s));
            return -1;
        }
        if (rc == 0) {
            snprintf(err, errlen, _("%s: no header: the input is empty"), name);
            return -1;
        }
        for (i = 0; i < rec->nfields && rec->fields[i].n == 0; i++) ;
        if (i < rec->nfields) break;
    }
    if (rec->unterminated) {
        snprintf(err, errlen, _("%s:%ld: the header has a quoted field that never ends"), name, rec->line);
        return -1;
    }
    if (rec->bad_encoding) {
        snprintf(err, errlen, _("%s:%ld: the header is not valid UTF-8"), name, rec->line);
        return -1;
    }
    return 0;
}

/* ---- the rest ------------------------------------------------------------------- */

const char *source_error(const source *s) { return s->err; }
const char *source_name(const source *s) { return s->name; }
long long source_size(const source *s) { return s->size; }
unsigned long long source_offset(const source *s) { return s->bytes; }
unsigned long long source_record_offset(const source *s)
{
    return s->csv ? csv_record_offset(s->csv) : 0;
}

int source_seekable(const source *s)
{
    return s->csv && !s->dec && s->own_f && s->size >= 0;
}

int source_seek(source *s, unsigned long long offset, long line)
{
    if (!source_seekable(s) || offset > (unsigned long long)s->size) return 1;
    if (fseeko(s->f, (off_t)offset, SEEK_SET) != 0) {
        snprintf(s->err, sizeof s->err, _("%s: cannot seek: %s"), s->name, strerror(errno));
        return -1;
    }
    csv_set_position(s->csv, offset, line);
    return 0;
}

unsigned long long source_lines(const source *s)
{
    return s->csv ? csv_lines(s->csv) : s->jl ? jsonl_lines(s->jl) : 0;
}
const char *source_encoding(const source *s) { return s->encoding; }
const char *source_format(const source *s)
{
    return s->fmt == FMT_PG ? "postgresql" : s->fmt == FMT_JSONL ? "jsonl" : "csv";
}
const char *source_mapping_path(const source *s) { return s->map ? map_path(s->map) : NULL; }
int source_skipped(const source *s) { return s->skipped; }
const csv_field *source_unmapped(const source *s) { return s->unmapped; }
unsigned long long source_bad_bytes(const source *s) { return s->dec ? dec_bad_bytes(s->dec) : 0; }

size_t source_header(const source *s, const char *const **names,
                     const char *const **renamed, const unsigned char **has_values)
{
    if (!s->header_seen) return 0;
    *names = (const char *const *)s->hnames;
    *renamed = s->renamed;
    *has_values = s->has_values;
    return s->ncols;
}

void source_sha256(source *s, char hex[65])
{
    sha256_ctx copy = s->sha;
    sha256_final_hex(&copy, hex);
}

void source_no_fingerprint(source *s) { s->no_sha = 1; }

void source_close(source *s)
{
    size_t i;
    if (!s) return;
    if (s->csv) csv_close(s->csv);
    if (s->jl) jsonl_close(s->jl);
    if (s->pg) pgsrc_close(s->pg);
    dec_close(s->dec);
    if (s->f && s->own_f) fclose(s->f);
    map_free(s->map);
    if (s->hnames)
        for (i = 0; i < s->ncols; i++) free(s->hnames[i]);
    free(s->hnames);
    free(s->renamed);
    free(s->vt);
    free(s->has_values);
    free(s->fields);
    free(s->name);
    free(s);
}
