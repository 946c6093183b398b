/* field_read.c — the filled field workbooks (field-COUNTY.xlsx, written by
 * field_sheet.c) back into a field file: each workbook is checked to be a
 * sheet of this sample (its about sheet names a county of the sample, the
 * sample's seed and the frame's SHA-256), its households sheet's header to
 * be the one written, and its drop-down columns to hold values the
 * standard reads; then its rows are written as CSV, which `tuopin estimate`
 * reads like any field file (the same source, mapping and row pipeline).
 * Errors name the file, the sheet and the cell. */
#define _POSIX_C_SOURCE 200809L
#include "field_sheet.h"
#include "csv.h"
#include "i18n.h"
#include "values.h"
#include "xlsx.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Values outside a drop-down list named one by one on standard error; the rest counted. */
#define FS_WARN_MAX 10

static int blank(const char *s)
{
    for (; *s; s++)
        if (*s != ' ' && *s != '\t' && *s != '\r' && *s != '\n') return 0;
    return 1;
}

/* Whether v is a value of the drop-down list, or one the standard's reader of
 * the column takes (the registry's own spellings: yes, 1, poor, A级 …). */
static int list_ok(size_t col, const char *v, const char *const *list)
{
    size_t n;
    const char *t = val_trim(v, strlen(v), &n);
    char buf[256];
    tp_status st;
    for (; *list; list++)
        if (strlen(*list) == n && !memcmp(*list, t, n)) return 1;
    if (n >= sizeof buf) return 0;
    memcpy(buf, t, n);
    buf[n] = '\0';
    switch ((int)col - FS_XN) {
    case COL_STATUS: return val_status(buf, &st) == 0;
    case COL_HOUSING_RATING: return val_rating(buf).state == TP_OK;
    case COL_SCHOOL_STATUS: return val_school(buf).state == TP_OK;
    default: return val_yesno(buf).state == TP_OK;
    }
}

/* An Excel serial date (1900 system, with its 29 February 1900) as
 * YYYY-MM-DD.  RETURN 0, or -1 when not a whole day from 1900 to 9999. */
static int serial_date(const char *plain, char *out, size_t len)
{
    char *end;
    long s = strtol(plain, &end, 10), z, era, doe, yoe, y, doy, mp, d, m;
    if (*end || s < 1 || s > 2958465 || s == 60) return -1;
    /* days since 1970-01-01: serial 25569 is 1970-01-01 */
    z = s - 25569 + (s < 60 ? 1 : 0) + 719468;
    era = (z >= 0 ? z : z - 146096) / 146097;
    doe = z - era * 146097;
    yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    y = yoe + era * 400;
    doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    mp = (5 * doy + 2) / 153;
    d = doy - (153 * mp + 2) / 5 + 1;
    m = mp < 10 ? mp + 3 : mp - 9;
    snprintf(out, len, "%04d-%02d-%02d", (int)(y + (m <= 2)) % 10000, (int)m % 100, (int)d % 100);
    return 0;
}

/* The text a cell stands for, as a team's spreadsheet would save it as CSV. */
static int cell_text(const xlsx_cell *c, size_t col, char *buf, size_t len, const char **v)
{
    switch (c->type) {
    case XLSX_STRING: *v = c->text; return 0;
    case XLSX_BOOL: *v = strcmp(c->text, "0") ? "TRUE" : "FALSE"; return 0;
    case XLSX_ERROR: return -1;
    case XLSX_NUMBER:
        if (xlsx_number_plain(c->text, buf, len) < 0) return -1;
        /* a date typed into the birth-date column: a serial day number
         * (eight digits stay YYYYMMDD) */
        if ((int)col - FS_XN == COL_BIRTH_DATE && strlen(buf) != 8 && !strchr(buf, '.')) {
            char d[32];
            if (serial_date(buf, d, sizeof d) == 0) snprintf(buf, len, "%s", d);
        }
        *v = buf;
        return 0;
    }
    return -1;
}

typedef struct about { char county[16], seed[32], frame[80]; } about;

static int read_about(xlsx_book *b, const char *path, size_t si, about *a, char *err, size_t errlen)
{
    xlsx_sheet sh;
    size_t i, j;
    memset(a, 0, sizeof *a);
    if (xlsx_read_sheet(b, si, &sh, err, errlen) < 0) return -1;
    for (i = 0; i < sh.ncells; i++) {
        const xlsx_cell *c = &sh.cells[i];
        char *dst = NULL;
        size_t dl = 0;
        if (c->col != 0 || c->type != XLSX_STRING) continue;
        if (!strcmp(c->text, FS_ABOUT_COUNTY)) { dst = a->county; dl = sizeof a->county; }
        else if (!strcmp(c->text, FS_ABOUT_SEED)) { dst = a->seed; dl = sizeof a->seed; }
        else if (!strcmp(c->text, FS_ABOUT_FRAME)) { dst = a->frame; dl = sizeof a->frame; }
        if (!dst) continue;
        for (j = i + 1; j < sh.ncells && sh.cells[j].row == c->row; j++)
            if (sh.cells[j].col == 1) {
                snprintf(dst, dl, "%s", sh.cells[j].text);
                break;
            }
    }
    xlsx_sheet_free(&sh);
    if (!a->county[0] || !a->seed[0] || !a->frame[0]) {
        snprintf(err, errlen, _("%s, sheet %zu (%s): no county, seed or frame SHA-256: not a field workbook written "
                 "by tuopin sample"), path, si + 1, FS_SHEET_ABOUT);
        return -1;
    }
    return 0;
}

/* One workbook's households sheet onto out.  RETURN rows written, or -1. */
static long read_book(const char *path, const fd_design *d, const char *frame_sha, uint64_t seed,
                      const char *const *county_of, size_t *ci_out, FILE *out, size_t *nwarn, char *err,
                      size_t errlen)
{
    xlsx_book *b;
    xlsx_sheet sh;
    about a;
    size_t i, k, si_about = (size_t)-1, ci;
    const char *vals[FS_NCOLS];
    char *num = NULL, ref[24], seedtxt[32];
    long rows = 0;
    int have_sheet = 0;

    memset(&sh, 0, sizeof sh);
    if (!(b = xlsx_open(path, err, errlen))) return -1;
    if (xlsx_nsheets(b) == 0 || strcmp(xlsx_sheet_name(b, 0), FS_SHEET_HOUSEHOLDS)) {
        snprintf(err, errlen, _("%s: sheet 1 is %s, not %s: not a field workbook written by tuopin sample"), path,
                 xlsx_nsheets(b) ? xlsx_sheet_name(b, 0) : "-", FS_SHEET_HOUSEHOLDS);
        goto fail;
    }
    for (i = 0; i < xlsx_nsheets(b); i++)
        if (!strcmp(xlsx_sheet_name(b, i), FS_SHEET_ABOUT)) si_about = i;
    if (si_about == (size_t)-1) {
        snprintf(err, errlen, _("%s: no sheet %s: not a field workbook written by tuopin sample"), path, FS_SHEET_ABOUT);
        goto fail;
    }
    if (read_about(b, path, si_about, &a, err, errlen) < 0) goto fail;
    snprintf(seedtxt, sizeof seedtxt, "%llu", (unsigned long long)seed);
    if (strcmp(a.frame, frame_sha) || strcmp(a.seed, seedtxt)) {
        snprintf(err, errlen, _("%s: the workbook is of another sample (seed %s, frame SHA-256 %.12s…; this sample: "
                 "seed %s, frame SHA-256 %.12s…)"), path, a.seed, a.frame, seedtxt, frame_sha);
        goto fail;
    }
    for (ci = 0; ci < d->ncounties && strcmp(d->counties[ci].code, a.county); ci++)
        ;
    if (ci == d->ncounties) {
        snprintf(err, errlen, _("%s: county %s is not in the sample"), path, a.county);
        goto fail;
    }
    if (county_of[ci]) {
        snprintf(err, errlen, _("%s: county %s was given already in %s"), path, a.county, county_of[ci]);
        goto fail;
    }
    *ci_out = ci;
    if (xlsx_read_sheet(b, 0, &sh, err, errlen) < 0) goto fail;
    have_sheet = 1;
    if (!(num = malloc(FS_NCOLS * 64))) goto oom;
    /* the header, as written */
    for (i = 0, k = 0; k < FS_NCOLS; k++) {
        const char *have = "";
        while (i < sh.ncells && sh.cells[i].row == 1 && sh.cells[i].col < k) i++;
        if (i < sh.ncells && sh.cells[i].row == 1 && sh.cells[i].col == k) have = sh.cells[i].text;
        if (strcmp(have, fs_head(k))) {
            xlsx_cell_ref(1, (uint32_t)k, ref, sizeof ref);
            snprintf(err, errlen, _("%s, sheet 1, cell %s: the header reads “%s”, the sheet was written with “%s”: "
                     "an edited header is not read (restore it)"), path, ref, have, fs_head(k));
            goto fail;
        }
    }
    for (i = 0; i < sh.ncells && sh.cells[i].row == 1; i++)
        if (sh.cells[i].col >= FS_NCOLS && !blank(sh.cells[i].text)) {
            xlsx_cell_ref(1, sh.cells[i].col, ref, sizeof ref);
            snprintf(err, errlen, _("%s, sheet 1, cell %s: a column the sheet was not written with"), path, ref);
            goto fail;
        }
    /* the rows */
    while (i < sh.ncells) {
        uint32_t row = sh.cells[i].row;
        int any = 0;
        for (k = 0; k < FS_NCOLS; k++) vals[k] = "";
        for (; i < sh.ncells && sh.cells[i].row == row; i++) {
            const xlsx_cell *c = &sh.cells[i];
            const char *v;
            const char *const *list;
            xlsx_cell_ref(row, c->col, ref, sizeof ref);
            if (c->col >= FS_NCOLS) {
                if (blank(c->text)) continue;
                snprintf(err, errlen, _("%s, sheet 1, cell %s: a value beyond the sheet's columns (the last is %s, "
                         "“%s”)"), path, ref, fs_head(FS_NCOLS - 1), fs_head(FS_NCOLS - 1));
                goto fail;
            }
            if (cell_text(c, c->col, num + 64 * c->col, 64, &v) < 0) {
                snprintf(err, errlen, _("%s, sheet 1, cell %s: “%.40s” is not a value (an error value or an "
                         "unreadable number)"), path, ref, c->text);
                goto fail;
            }
            if (!blank(v) && (list = fs_list(c->col)) && !list_ok(c->col, v, list) && ++*nwarn <= FS_WARN_MAX) {
                char opts[256];
                size_t o = 0;
                for (; *list && o < sizeof opts - 1; list++)
                    o += (size_t)snprintf(opts + o, sizeof opts - o, "%s%s", o ? ", " : "", *list);
                fprintf(stderr, _("tuopin estimate: warning: %s, sheet 1, cell %s: “%.80s” is not a value of the "
                        "column's drop-down list (%s) nor one the standard reads; the row is read as written (the "
                        "field run reports the value)\n"), path, ref, v, opts);
            }
            vals[c->col] = v;
            any |= !blank(v);
        }
        if (!any) continue;
        {
            char src[64 + 4096];
            snprintf(src, sizeof src, "%s, sheet 1, row %lu", path, (unsigned long)row);
            csv_write_field(out, src, strlen(src));
        }
        for (k = 0; k < FS_NCOLS; k++) {
            fputc(',', out);
            csv_write_field(out, vals[k], strlen(vals[k]));
        }
        fputc('\n', out);
        rows++;
    }
    free(num);
    xlsx_sheet_free(&sh);
    xlsx_close(b);
    return rows;
oom:
    snprintf(err, errlen, _("out of memory"));
fail:
    free(num);
    if (have_sheet) xlsx_sheet_free(&sh);
    xlsx_close(b);
    return -1;
}

long fs_read_books(const char *const *paths, size_t n, const fd_design *d, const char *frame_sha, uint64_t seed,
                   FILE *out, char *err, size_t errlen)
{
    const char **county_of = calloc(d->ncounties ? d->ncounties : 1, sizeof *county_of);
    size_t i, k, ci, nwarn = 0;
    long total = 0, r;
    if (!county_of) {
        snprintf(err, errlen, _("out of memory"));
        return -1;
    }
    fputs("出处 source", out);
    for (k = 0; k < FS_NCOLS; k++) {
        fputc(',', out);
        csv_write_field(out, fs_head(k), strlen(fs_head(k)));
    }
    fputc('\n', out);
    for (i = 0; i < n; i++) {
        if ((r = read_book(paths[i], d, frame_sha, seed, county_of, &ci, out, &nwarn, err, errlen)) < 0) {
            total = -1;
            break;
        }
        county_of[ci] = paths[i];
        total += r;
    }
    if (total >= 0 && nwarn > FS_WARN_MAX)
        fprintf(stderr, _("tuopin estimate: warning: %zu more values outside the drop-down lists\n"),
                nwarn - FS_WARN_MAX);
    free((void *)county_of);
    return total;
}
