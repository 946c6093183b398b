/* rnames.c — region names: the shipped provinces' table and a user's table
 * over it, read with the registry's CSV reader (BOM, quoting, trimming), held
 * in one htab by code. */
#define _POSIX_C_SOURCE 200809L
#include "rnames.h"
#include "csv.h"
#include "hash.h"
#include "i18n.h"
#include "paths.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define RN_SEED 0x726e616d6573ULL
#define RN_MAX_RECORD 4096
#define RN_MAX_NAME 200          /* bytes of a name: about 66 Chinese characters */

typedef struct rn_entry {
    char code[13];
    char *name, *name_en;        /* owned; name_en may be NULL */
} rn_entry;

struct rnames {
    rn_entry *e;
    size_t n, cap;
    htab t;
};

void rnames_free(rnames *n)
{
    size_t i;
    if (!n) return;
    for (i = 0; i < n->n; i++) {
        free(n->e[i].name);
        free(n->e[i].name_en);
    }
    free(n->e);
    htab_free(&n->t);
    free(n);
}

static long find(const rnames *n, const char *code)
{
    htab_iter it;
    size_t pos;
    for (htab_probe(&n->t, hash_str(code, RN_SEED), &it); htab_next(&n->t, &it, &pos);)
        if (!strcmp(n->e[pos].code, code)) return (long)pos;
    return -1;
}

const char *rnames_get(const rnames *n, const char *code, int en)
{
    long i;
    if (!n || !code || !code[0] || (i = find(n, code)) < 0) return NULL;
    return en && n->e[i].name_en ? n->e[i].name_en : n->e[i].name;
}

static int valid_code(const char *s)
{
    size_t k, l = strlen(s);
    if (l != 2 && l != 4 && l != 6 && l != 9 && l != 12) return 0;
    for (k = 0; k < l; k++)
        if (s[k] < '0' || s[k] > '9') return 0;
    return 1;
}

/* A name fit to show: not blank, not too long, no line break. */
static int valid_name(const char *s, size_t l)
{
    return l > 0 && l <= RN_MAX_NAME && !memchr(s, '\n', l) && !memchr(s, '\r', l);
}

/* Sets code's names (a later table replaces an earlier one's; the same
 * table may not give a code twice: first_new is where this table began). */
static int put(rnames *n, const char *code, const char *name, const char *name_en, size_t first_new)
{
    long i = find(n, code);
    char *a = strdup(name), *b = name_en && name_en[0] ? strdup(name_en) : NULL;
    if (!a || (name_en && name_en[0] && !b)) {
        free(a);
        free(b);
        return -1;
    }
    if (i >= 0 && (size_t)i >= first_new) {
        free(a);
        free(b);
        return 1;
    }
    if (i < 0) {
        if (n->n == n->cap) {
            size_t cap = n->cap ? n->cap * 2 : 64;
            rn_entry *e = realloc(n->e, cap * sizeof *e);
            if (!e) goto oom;
            n->e = e;
            n->cap = cap;
        }
        if (htab_add(&n->t, hash_str(code, RN_SEED), n->n) < 0) goto oom;
        i = (long)n->n++;
        snprintf(n->e[i].code, sizeof n->e[i].code, "%s", code);
    } else {
        free(n->e[i].name);
        free(n->e[i].name_en);
        /* replaced: counts as this table's from now on */
    }
    n->e[i].name = a;
    n->e[i].name_en = b;
    return 0;
oom:
    free(a);
    free(b);
    return -1;
}

/* Reads one table into n.  RETURN 0, or -1 with err. */
static int load_file(rnames *n, const char *path, char *err, size_t errlen)
{
    FILE *f = fopen(path, "rb");
    csv_reader *r;
    csv_record rec;
    int rc, ci = -1, ni = -1, ei = -1, header = 1, ret = -1;
    size_t k, first_new = n->n;
    /* entries of this table replacing shipped ones: tracked by a mark */
    unsigned char *mine = NULL;
    if (!f) {
        snprintf(err, errlen, _("%s: cannot open: %s"), path, strerror(errno));
        return -1;
    }
    if (!(r = csv_open(csv_read_file, f, 16384, RN_MAX_RECORD))) {
        fclose(f);
        snprintf(err, errlen, _("out of memory"));
        return -1;
    }
    if (!(mine = calloc(n->n ? n->n : 1, 1))) goto oom;
    while ((rc = csv_next(r, &rec)) == 1) {
        const char *code, *name, *en = NULL;
        if (rec.bad_encoding || rec.unterminated) {
            snprintf(err, errlen, _("%s:%ld: not UTF-8 text, or a quote that is not closed"), path, rec.line);
            goto out;
        }
        if (header) {
            for (k = 0; k < rec.nfields; k++) {
                if (!strcmp(rec.fields[k].p, "code")) ci = (int)k;
                else if (!strcmp(rec.fields[k].p, "name")) ni = (int)k;
                else if (!strcmp(rec.fields[k].p, "name_en")) ei = (int)k;
            }
            if (ci < 0 || ni < 0) {
                snprintf(err, errlen, _("%s:%ld: the header has no column %s (a region-names table has the "
                                        "columns code,name and may have name_en)"),
                         path, rec.line, ci < 0 ? "code" : "name");
                goto out;
            }
            header = 0;
            continue;
        }
        if ((size_t)ci >= rec.nfields || (size_t)ni >= rec.nfields) {
            snprintf(err, errlen, _("%s:%ld: %zu fields, the header has more"), path, rec.line, rec.nfields);
            goto out;
        }
        code = rec.fields[ci].p;
        name = rec.fields[ni].p;
        if (ei >= 0 && (size_t)ei < rec.nfields) en = rec.fields[ei].p;
        if (!valid_code(code)) {
            snprintf(err, errlen, _("%s:%ld: column code: \"%s\" is not a region code (2, 4, 6, 9 or 12 digits)"),
                     path, rec.line, code);
            goto out;
        }
        if (!valid_name(name, rec.fields[ni].n)) {
            snprintf(err, errlen, _("%s:%ld: column name: the name of %s is blank or longer than %d bytes"),
                     path, rec.line, code, RN_MAX_NAME);
            goto out;
        }
        if (en && en[0] && !valid_name(en, strlen(en))) {
            snprintf(err, errlen, _("%s:%ld: column name_en: the name of %s is longer than %d bytes"),
                     path, rec.line, code, RN_MAX_NAME);
            goto out;
        }
        {
            long i = find(n, code);
            if (i >= 0 && (size_t)i < first_new && mine[i]) {
                snprintf(err, errlen, _("%s:%ld: region %s appears twice"), path, rec.line, code);
                goto out;
            }
            rc = put(n, code, name, en, first_new);
            if (rc < 0) goto oom;
            if (rc > 0) {
                snprintf(err, errlen, _("%s:%ld: region %s appears twice"), path, rec.line, code);
                goto out;
            }
            if (i >= 0 && (size_t)i < first_new) mine[i] = 1;
        }
    }
    if (rc < 0) {
        snprintf(err, errlen, "%s: %s", path, csv_error(r));
        goto out;
    }
    if (header) {
        snprintf(err, errlen, _("%s: no header: the file is empty"), path);
        goto out;
    }
    ret = 0;
    goto out;
oom:
    snprintf(err, errlen, _("out of memory"));
out:
    free(mine);
    csv_close(r);
    fclose(f);
    return ret;
}

rnames *rnames_load(const char *file, char *err, size_t errlen)
{
    rnames *n = calloc(1, sizeof *n);
    char *shipped = paths_data_file("regions.csv");
    if (!n || !shipped) {
        free(shipped);
        rnames_free(n);
        snprintf(err, errlen, _("out of memory"));
        return NULL;
    }
    /* an installation without the shipped table shows codes only */
    if ((access(shipped, F_OK) == 0 && load_file(n, shipped, err, errlen) < 0)
        || (file && load_file(n, file, err, errlen) < 0)) {
        free(shipped);
        rnames_free(n);
        return NULL;
    }
    free(shipped);
    return n;
}
