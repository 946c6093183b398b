/* shard.c — the manifest of a split folder and its rejects.bin (shard.h). */
#define _POSIX_C_SOURCE 200809L
#include "shard.h"
#include "output.h"
#include "i18n.h"
#include "sbuf.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define MANIFEST_MAGIC "tuopin-split"
#define MANIFEST_VERSION 1
#define REJECTS_MAGIC "tuopin-rejects 1\n"

shard_entry *shard_manifest_add(shard_manifest *m, const char *code, const char *file)
{
    shard_entry *e;
    if (mem_grow((void **)&m->s, &m->cap, m->n + 1, sizeof *m->s) < 0) return NULL;
    e = &m->s[m->n];
    memset(e, 0, sizeof *e);
    snprintf(e->code, sizeof e->code, "%s", code);
    if (!(e->file = strdup(file))) return NULL;
    m->n++;
    return e;
}

void shard_manifest_free(shard_manifest *m)
{
    size_t i;
    for (i = 0; i < m->n; i++) free(m->s[i].file);
    free(m->s);
    free(m->input_path);
    memset(m, 0, sizeof *m);
}

char *shard_order_name(const char *csv)
{
    size_t n = strlen(csv);
    char *p = malloc(n + 7);
    if (!p) return NULL;
    if (n > 4 && !strcmp(csv + n - 4, ".csv")) n -= 4;
    memcpy(p, csv, n);
    strcpy(p + n, ".order");
    return p;
}

/* A path on one manifest line: backslash, tab, CR and LF escaped. */
static void put_escaped(FILE *f, const char *s)
{
    for (; *s; s++) {
        switch (*s) {
        case '\\': fputs("\\\\", f); break;
        case '\t': fputs("\\t", f); break;
        case '\n': fputs("\\n", f); break;
        case '\r': fputs("\\r", f); break;
        default: putc(*s, f);
        }
    }
}

static void unescape(char *s)
{
    char *d = s;
    for (; *s; s++) {
        if (*s == '\\' && s[1]) {
            s++;
            *d++ = *s == 't' ? '\t' : *s == 'n' ? '\n' : *s == 'r' ? '\r' : *s;
        } else {
            *d++ = *s;
        }
    }
    *d = '\0';
}

int shard_manifest_write(const char *dir, const shard_manifest *m, char *err, size_t errlen)
{
    out_file o, l;
    size_t i;
    if (out_open(&o, dir, SHARD_MANIFEST, err, errlen) < 0) return -1;
    if (out_open(&l, dir, SHARD_LIST, err, errlen) < 0) {
        out_abort(&o);
        return -1;
    }
    fprintf(o.f, "%s\t%d\ninput\t", MANIFEST_MAGIC, MANIFEST_VERSION);
    put_escaped(o.f, m->input_path ? m->input_path : "");
    fprintf(o.f, "\ninput_bytes\t%llu\ninput_sha256\t%s\nby\t%s\n"
            "rows_read\t%llu\nrows_evaluated\t%llu\nrows_rejected\t%llu\nblocks_rejected\t%llu\n"
            "households\t%llu\ncross_shard_duplicates\t%llu\n",
            m->input_bytes, m->input_sha256, m->by, m->rows_read, m->rows_evaluated,
            m->rows_rejected, m->blocks_rejected, m->households, m->cross_duplicates);
    fputs("#shard\tcode\tfile\thouseholds\trows\tghosts\tghost_rows\tsha256\n", o.f);
    for (i = 0; i < m->n; i++) {
        const shard_entry *e = &m->s[i];
        fprintf(o.f, "shard\t%s\t%s\t%llu\t%llu\t%llu\t%llu\t%s\n", e->code, e->file,
                e->households, e->rows, e->ghosts, e->ghost_rows, e->sha256);
        fprintf(l.f, "%s\n", e->file);
    }
    if (out_commit(&o, err, errlen) < 0) {
        out_abort(&l);
        return -1;
    }
    return out_commit(&l, err, errlen);
}

static int parse_u64(const char *s, unsigned long long *v)
{
    char *end;
    if (!*s || *s < '0' || *s > '9') return -1;
    errno = 0;
    *v = strtoull(s, &end, 10);
    return errno || *end ? -1 : 0;
}

static int is_sha(const char *s)
{
    size_t i;
    for (i = 0; i < 64; i++)
        if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f'))) return 0;
    return s[64] == '\0';
}

int shard_manifest_read(const char *dir, shard_manifest *m, char *err, size_t errlen)
{
    char path[4096], *line = NULL;
    size_t cap = 0;
    ssize_t len;
    FILE *f;
    int lineno = 0, rc = -1, version = 0;
    snprintf(path, sizeof path, "%s/%s", dir, SHARD_MANIFEST);
    if (!(f = fopen(path, "r"))) {
        snprintf(err, errlen, _("%s: cannot open: %s (is %s a folder written by tuopin split?)"),
                 path, strerror(errno), dir);
        return -1;
    }
    while ((len = getline(&line, &cap, f)) >= 0) {
        char *fld[9];
        int nf = 0;
        char *s = line;
        lineno++;
        if (len > 0 && line[len - 1] == '\n') line[--len] = '\0';
        if (line[0] == '#' || line[0] == '\0') continue;
        while (nf < 9) {
            char *t = strchr(s, '\t');
            fld[nf++] = s;
            if (!t) break;
            *t = '\0';
            s = t + 1;
        }
        if (lineno == 1) {
            if (nf != 2 || strcmp(fld[0], MANIFEST_MAGIC)) goto bad;
            version = atoi(fld[1]);
            if (version != MANIFEST_VERSION) {
                snprintf(err, errlen, _("%s: version %d of the split format; this tuopin reads version %d"),
                         path, version, MANIFEST_VERSION);
                goto out;
            }
            continue;
        }
        if (!strcmp(fld[0], "shard")) {
            shard_entry *e;
            if (nf != 8 || strlen(fld[1]) > 12 || !fld[2][0] || strchr(fld[2], '/')
                || !is_sha(fld[7]))
                goto bad;
            if (!(e = shard_manifest_add(m, fld[1], fld[2]))) goto oom;
            if (parse_u64(fld[3], &e->households) < 0 || parse_u64(fld[4], &e->rows) < 0
                || parse_u64(fld[5], &e->ghosts) < 0 || parse_u64(fld[6], &e->ghost_rows) < 0)
                goto bad;
            memcpy(e->sha256, fld[7], 65);
            continue;
        }
        if (nf != 2) goto bad;
        if (!strcmp(fld[0], "input")) {
            unescape(fld[1]);
            free(m->input_path);
            if (!(m->input_path = strdup(fld[1]))) goto oom;
        } else if (!strcmp(fld[0], "input_sha256")) {
            if (!is_sha(fld[1])) goto bad;
            memcpy(m->input_sha256, fld[1], 65);
        } else if (!strcmp(fld[0], "by")) {
            snprintf(m->by, sizeof m->by, "%s", fld[1]);
        } else {
            static const char *const names[] = {
                "input_bytes", "rows_read", "rows_evaluated", "rows_rejected", "blocks_rejected",
                "households", "cross_shard_duplicates"
            };
            unsigned long long *dst[7];
            size_t i;
            dst[0] = &m->input_bytes; dst[1] = &m->rows_read; dst[2] = &m->rows_evaluated;
            dst[3] = &m->rows_rejected; dst[4] = &m->blocks_rejected; dst[5] = &m->households;
            dst[6] = &m->cross_duplicates;
            for (i = 0; i < 7 && strcmp(fld[0], names[i]); i++) ;
            if (i == 7 || parse_u64(fld[1], dst[i]) < 0) goto bad;
        }
    }
    if (ferror(f)) {
        snprintf(err, errlen, _("%s: read error"), path);
        goto out;
    }
    if (!version || !m->input_path || !m->input_sha256[0]) {
        snprintf(err, errlen, _("%s: incomplete manifest (written by an interrupted split?)"), path);
        goto out;
    }
    rc = 0;
    goto out;
bad:
    snprintf(err, errlen, _("%s:%d: not a line of a tuopin split manifest"), path, lineno);
    goto out;
oom:
    snprintf(err, errlen, _("out of memory"));
out:
    free(line);
    fclose(f);
    if (rc < 0) shard_manifest_free(m);
    return rc;
}

/* ---- rejects.bin: little-endian lengths, then bytes ------------------------------ */

static int put_u64(FILE *f, uint64_t v)
{
    unsigned char b[8];
    int i;
    for (i = 0; i < 8; i++) b[i] = (unsigned char)(v >> (8 * i));
    return fwrite(b, 1, 8, f) == 8 ? 0 : -1;
}

static int put_bytes(FILE *f, const char *s, size_t n)
{
    if (put_u64(f, n) < 0) return -1;
    return n == 0 || fwrite(s, 1, n, f) == n ? 0 : -1;
}

int shard_reject_begin(FILE *f)
{
    return fputs(REJECTS_MAGIC, f) < 0 ? -1 : 0;
}

int shard_reject_put(FILE *f, long line, const char *hid, const char *code, const char *detail,
                     const char *raw, size_t raw_len)
{
    if (put_u64(f, (uint64_t)line) < 0 || put_bytes(f, hid, strlen(hid)) < 0
        || put_bytes(f, code, strlen(code)) < 0 || put_bytes(f, detail, strlen(detail)) < 0
        || put_bytes(f, raw, raw_len) < 0)
        return -1;
    return 0;
}

static int get_u64(FILE *f, uint64_t *v, int first)
{
    unsigned char b[8];
    size_t n = fread(b, 1, 8, f);
    int i;
    if (n == 0 && first && !ferror(f)) return 0;
    if (n != 8) return -1;
    *v = 0;
    for (i = 7; i >= 0; i--) *v = (*v << 8) | b[i];
    return 1;
}

int shard_reject_next(shard_reject_reader *r, shard_reject *out)
{
    uint64_t line, len[4];
    size_t off[4], total = 0, i;
    int rc;
    if (!r->checked) {
        char magic[sizeof REJECTS_MAGIC];
        if (fread(magic, 1, sizeof REJECTS_MAGIC - 1, r->f) != sizeof REJECTS_MAGIC - 1
            || memcmp(magic, REJECTS_MAGIC, sizeof REJECTS_MAGIC - 1))
            return -1;
        r->checked = 1;
    }
    if ((rc = get_u64(r->f, &line, 1)) <= 0) return rc;
    /* Four length-prefixed texts, each read behind the previous one and
     * NUL-terminated. */
    for (i = 0; i < 4; i++) {
        if (get_u64(r->f, &len[i], 0) < 0 || len[i] > (1u << 30)) return -1;
        off[i] = total;
        if (total + len[i] + 1 > r->cap) {
            size_t ncap = r->cap ? r->cap : 4096;
            char *nb;
            while (ncap < total + len[i] + 1) ncap *= 2;
            if (!(nb = realloc(r->buf, ncap))) return -1;
            r->buf = nb;
            r->cap = ncap;
        }
        if (len[i] && fread(r->buf + total, 1, len[i], r->f) != len[i]) return -1;
        total += len[i];
        r->buf[total++] = '\0';
    }
    out->line = (long)line;
    out->household_id = r->buf + off[0];
    out->code = r->buf + off[1];
    out->detail = r->buf + off[2];
    out->raw = r->buf + off[3];
    out->raw_len = len[3];
    return 1;
}
