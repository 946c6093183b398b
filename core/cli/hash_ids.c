/* hash_ids.c — `tuopin hash-ids --id-key FILE INPUT --column person_id`.
 *
 * Reads INPUT with the registry's reader (encoding, BOM, quoting, trimming)
 * and writes it again as UTF-8 CSV with the named column replaced by the
 * lower-case hex HMAC-SHA256 of each normalised ID under the key (standard
 * §8.3), the other fields unchanged.  An ID that does not normalise to a
 * valid one is written blank (the roster row is then rejected with
 * ROSTER_BAD_ID, as the plain ID would have been); the lines are listed on
 * standard error, without the IDs. */
#define _POSIX_C_SOURCE 200809L
#include "hash_ids.h"
#include "cmdline.h"
#include "csv.h"
#include "i18n.h"
#include "output.h"
#include "rindex.h"
#include "source.h"
#include "values.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void usage(FILE *f)
{
    fputs(_("Usage: tuopin hash-ids --id-key FILE INPUT --column NAME [--out FILE]\n"
            "                       [--encoding utf-8|gb18030]\n"
            "Write a copy of a roster with the column's resident IDs replaced by the\n"
            "lower-case hex HMAC-SHA256 of each normalised ID under the key file's bytes\n"
            "(standard 8.3), for a department to send instead of the IDs.\n"
            "\n"
            "  --id-key FILE   the key both sides hold\n"
            "  --column NAME   the ID column (e.g. person_id), matched without case\n"
            "  --out FILE      where to write (default: standard output)\n"
            "  --encoding E    the input's encoding (default utf-8)\n"), f);
    fputs(_("  (a copy written to standard output gets no byte-order mark)\n"), f);
    fputs(cmdline_csv_bom_help(), f);
}

static void put_row(FILE *out, const csv_record *rec, size_t col, const char *id)
{
    size_t i;
    for (i = 0; i < rec->nfields; i++) {
        if (i) fputc(',', out);
        if (i == col && id) fputs(id, out);
        else csv_write_field(out, rec->fields[i].p, rec->fields[i].n);
    }
    fputc('\n', out);
}

int hash_ids_main(int argc, char **argv)
{
    const char *key = NULL, *input = NULL, *column = NULL, *outp = NULL, *enc = NULL;
    run_config rc;
    source *src = NULL;
    rid_hmac *h = NULL;
    out_file of;
    FILE *out = stdout;
    csv_record rec;
    char err[1024];
    size_t col = 0, i;
    unsigned long long rows = 0, blank = 0;
    int r, status = 1, have_header = 0, o;
    cmdline cl;
    static const struct option hash_ids_options[] = {
        CMDLINE_VALUE("id-key", 'k'), CMDLINE_VALUE("column", 'c'), CMDLINE_VALUE("out", 'o'),
        CMDLINE_VALUE("encoding", 'e'), CMDLINE_CSV_BOM, CMDLINE_HELP_END
    };

    memset(&of, 0, sizeof of);
    cmdline_init(&cl, "hash-ids", argc, argv, "h", hash_ids_options);
    while ((o = cmdline_next(&cl)) != CMDLINE_END) {
        switch (o) {
        case 'h': usage(stdout); return 0;
        case 'k': key = cl.arg; break;
        case 'c': column = cl.arg; break;
        case 'o': outp = cl.arg; break;
        case 'e': enc = cl.arg; break;
        case CMDLINE_OPERAND:
            if (cmdline_operand(&cl, &input)) return 2;
            break;
        default: return 2;
        }
    }
    if (!key || !input || !column)
        return cmdline_usage_error(&cl, _("give --id-key FILE, an INPUT and --column NAME"));
    if (!(h = rid_hmac_load(key, err, sizeof err))) {
        fprintf(stderr, _("tuopin: %s\n"), err);
        return 1;
    }
    memset(&rc, 0, sizeof rc);
    rc.input = (char *)input;
    rc.encoding = (char *)enc;
    rc.format = (char *)"csv";
    rc.quiet = 1;
    if (!(src = source_open(&rc, err, sizeof err))) {
        fprintf(stderr, _("tuopin: %s\n"), err);
        goto out;
    }
    if (outp) {
        char *dir = strdup(outp), *slash;
        const char *name;
        if (!dir) { fprintf(stderr, _("tuopin: out of memory\n")); goto out; }
        slash = strrchr(dir, '/');
        name = slash ? slash + 1 : outp;
        if (slash) *slash = '\0';
        r = out_open_csv(&of, slash ? (dir[0] ? dir : "/") : ".", name, err, sizeof err);
        free(dir);
        if (r < 0) { fprintf(stderr, _("tuopin: %s\n"), err); goto out; }
        out = of.f;
    }
    while ((r = source_next(src, &rec)) == 1) {
        if (!have_header) {
            for (i = 0; i < rec.nfields && rec.fields[i].n == 0; i++) ;
            if (i == rec.nfields) continue;
            for (col = 0; col < rec.nfields; col++)
                if (val_eq_ci(rec.fields[col].p, rec.fields[col].n, column)) break;
            if (col == rec.nfields) {
                fprintf(stderr, _("tuopin: %s: the header has no column %s\n"), source_name(src), column);
                goto out;
            }
            have_header = 1;
            put_row(out, &rec, (size_t)-1, NULL);
            continue;
        }
        rows++;
        if (col < rec.nfields) {
            char norm[RID_LEN + 1], hex[65];
            if (rid_normalise(rec.fields[col].p, rec.fields[col].n, norm)) {
                rid_hmac_hex(h, norm, RID_LEN, hex);
                put_row(out, &rec, col, hex);
            } else {
                blank++;
                fprintf(stderr, _("tuopin: %s:%ld: column %s is not a valid resident ID; written blank\n"),
                        source_name(src), rec.line, column);
                put_row(out, &rec, col, "");
            }
        } else {
            put_row(out, &rec, (size_t)-1, NULL);
        }
    }
    if (r < 0) {
        fprintf(stderr, _("tuopin: %s: %s\n"), source_name(src), source_error(src));
        goto out;
    }
    if (!have_header) {
        fprintf(stderr, _("tuopin: %s: no header: the file is empty\n"), source_name(src));
        goto out;
    }
    if (outp) {
        if (out_commit(&of, err, sizeof err) < 0) { fprintf(stderr, _("tuopin: %s\n"), err); goto out; }
    } else if (fflush(stdout) != 0 || ferror(stdout)) {
        fprintf(stderr, _("tuopin: write error on standard output\n"));
        goto out;
    }
    fprintf(stderr, _("tuopin: %llu rows, %llu IDs hashed, %llu not valid (written blank)\n"),
            rows, rows - blank, blank);
    status = 0;
out:
    if (outp) out_abort(&of);
    source_close(src);
    rid_hmac_free(h);
    return status;
}
