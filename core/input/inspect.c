/* inspect.c — `tuopin inspect FILE [--encoding E] [--mapping M]`: reads the
 * start of an export through the same record source as a run (so what it
 * shows is what the run will see) and reports on it.  No personal data
 * beyond what is needed reaches the screen: IDs, names, phone and account
 * numbers and addresses are masked. */
#define _POSIX_C_SOURCE 200809L
#include "inspect.h"
#include "cmdline.h"
#include "block.h"
#include "csv.h"
#include "decode.h"
#include "mapping.h"
#include "pipeline.h"
#include "schema.h"
#include "source.h"
#include "suggest.h"
#include "values.h"
#include "i18n.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define GUESS_BYTES (1u << 20)
#define SAMPLES 3
#define BAD_EXAMPLES 5
#define DEFAULT_ROWS 1000
#define STRAY_SHOWN 10              /* stray-quote lines listed by line number */

typedef enum { MASK_NONE, MASK_ID, MASK_NAME, MASK_PHONE, MASK_ACCOUNT, MASK_ADDRESS } mask_kind;

static mask_kind mask_of(const char *column, int canon)
{
    static const struct { const char *part; mask_kind k; } parts[] = {
        { "证件号", MASK_ID }, { "身份证", MASK_ID }, { "证号", MASK_ID },
        { "姓名", MASK_NAME }, { "户主", MASK_NAME },
        { "电话", MASK_PHONE }, { "手机", MASK_PHONE }, { "联系方式", MASK_PHONE },
        { "账号", MASK_ACCOUNT }, { "卡号", MASK_ACCOUNT }, { "账户", MASK_ACCOUNT },
        { "住址", MASK_ADDRESS }, { "地址", MASK_ADDRESS },
        { "phone", MASK_PHONE }, { "mobile", MASK_PHONE }, { "account", MASK_ACCOUNT },
        { "address", MASK_ADDRESS }, { "id_card", MASK_ID }, { "idcard", MASK_ID },
    };
    size_t i;
    if (canon == COL_PERSON_ID) return MASK_ID;
    if (canon == COL_NAME) return MASK_NAME;
    if (canon >= 0) return MASK_NONE;
    for (i = 0; i < sizeof parts / sizeof parts[0]; i++)
        if (strstr(column, parts[i].part)) return parts[i].k;
    return MASK_NONE;
}

/* Length in bytes of the UTF-8 character at s (1 for a bad byte). */
static size_t u8len(const char *s)
{
    unsigned char c = (unsigned char)*s;
    size_t k = c < 0x80 ? 1 : c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1, i;
    for (i = 1; i < k; i++)
        if (((unsigned char)s[i] & 0xC0) != 0x80) return 1;
    return k;
}

/* Keeps the first `head` and last `tail` characters, * for the others. */
static void keep_ends(const char *v, size_t head, size_t tail, char *out, size_t outlen)
{
    size_t nchars = 0, i, o = 0, c = 0;
    for (i = 0; v[i]; i += u8len(v + i)) nchars++;
    if (nchars <= head + tail) {          /* too short to show any of it safely */
        head = nchars > 1 ? 1 : 0;
        tail = 0;
    }
    for (i = 0; v[i] && o + 5 < outlen; c++) {
        size_t k = u8len(v + i);
        if (c < head || c >= nchars - tail) {
            memcpy(out + o, v + i, k);
            o += k;
        } else {
            out[o++] = '*';
        }
        i += k;
    }
    out[o] = '\0';
}

/* What a value looks like, whatever its column is called (issue 18 item 6):
 * a resident ID (18 characters with a valid check digit and date, or 15
 * digits) or a Chinese name (2 to 4 Han characters, a middle dot allowed
 * between them).  Short Chinese words look like names too: masked all the
 * same, since a name cannot be told from a word by its bytes. */
static mask_kind mask_by_content(const char *v)
{
    size_t n = strlen(v), i, han = 0;
    if (n == 18 && val_person_id(v, NULL)) return MASK_ID;
    if (n == 15) {
        for (i = 0; i < 15 && v[i] >= '0' && v[i] <= '9'; i++) {}
        if (i == 15) return MASK_ID;
    }
    for (i = 0; i < n; ) {
        const unsigned char *u = (const unsigned char *)v + i;
        if (u[0] >= 0xE4 && u[0] <= 0xE9 && i + 2 < n && (u[1] & 0xC0) == 0x80 && (u[2] & 0xC0) == 0x80) {
            unsigned cp = ((u[0] & 0x0Fu) << 12) | ((u[1] & 0x3Fu) << 6) | (u[2] & 0x3Fu);
            if (cp < 0x4E00 || cp > 0x9FFF) return MASK_NONE;
            han++;
            i += 3;
        } else if (u[0] == 0xC2 && i + 1 < n && u[1] == 0xB7 && han > 0) {   /* · */
            i += 2;
        } else {
            return MASK_NONE;
        }
    }
    return han >= 2 && han <= 4 ? MASK_NAME : MASK_NONE;
}

static char *mask_as(mask_kind kind, const char *value, char *out, size_t outlen)
{
    size_t k;
    if (!*value) {
        out[0] = '\0';
        return out;
    }
    switch (kind) {
    case MASK_ID: keep_ends(value, 6, 4, out, outlen); break;
    case MASK_PHONE: keep_ends(value, 3, 4, out, outlen); break;
    case MASK_ACCOUNT: keep_ends(value, 4, 4, out, outlen); break;
    case MASK_NAME:
        /* The surname (the first character) and ＊. */
        k = u8len(value);
        snprintf(out, outlen, "%.*s\xEF\xBC\x8A", (int)k, value);
        break;
    case MASK_ADDRESS: {
        size_t i = 0, c;
        for (c = 0; c < 6 && value[i]; c++) i += u8len(value + i);
        snprintf(out, outlen, "%.*s%s", (int)i, value, value[i] ? "\xEF\xBC\x8A\xEF\xBC\x8A" : "");
        break;
    }
    default:
        snprintf(out, outlen, "%s", value);
    }
    return out;
}

char *inspect_mask(const char *column, int canon, const char *value, char *out, size_t outlen)
{
    mask_kind k = mask_of(column, canon);
    if (k == MASK_NONE && canon < 0) k = mask_by_content(value);
    return mask_as(k, value, out, outlen);
}

/* ---- what the standard accepts ----------------------------------------------- */

/* Whether a non-blank value of canonical column c is one the standard reads. */
static int value_ok(int c, const char *v)
{
    tp_status st;
    switch (c) {
    case COL_REGION_CODE: return block_region_valid(v);
    case COL_STATUS: return val_status(v, &st) == 0;
    case COL_WAGE_INCOME: case COL_OPERATING_INCOME: case COL_OPERATING_COST:
    case COL_PROPERTY_INCOME: case COL_TRANSFER_INCOME:
        return val_money(v, 1).state == TP_OK;
    case COL_DECLARED_INCOME_PC: return val_money(v, 0).state == TP_OK;
    case COL_FOOD_CLOTHING_SECURE: case COL_HOUSING_FIXED: case COL_WATER_SAFE:
    case COL_SATISFIED: case COL_MEDICAL_INSURED:
        return val_yesno(v).state == TP_OK;
    case COL_HOUSING_RATING: return val_rating(v).state == TP_OK;
    case COL_PERSON_ID: return val_person_id(v, NULL);
    case COL_BIRTH_DATE: return val_date(v).state == TP_OK;
    case COL_SCHOOL_STATUS: return val_school(v).state == TP_OK;
    default: return 1;
    }
}

/* Which stages of the national pipeline need a column (docs/decisions.md). */
static const char *needed_by(int c)
{
    switch (c) {
    case COL_HOUSEHOLD_ID: case COL_REGION_CODE: case COL_STATUS: return _("every run");
    case COL_WAGE_INCOME: case COL_OPERATING_INCOME: case COL_OPERATING_COST:
    case COL_PROPERTY_INCOME: case COL_TRANSFER_INCOME: return _("stage income");
    case COL_FOOD_CLOTHING_SECURE: return _("stage food_clothing");
    case COL_SCHOOL_STATUS: return _("stage education");
    case COL_MEDICAL_INSURED: return _("stage medical");
    case COL_HOUSING_RATING: case COL_HOUSING_FIXED: return _("stage housing");
    case COL_WATER_SAFE: return _("stage water");
    case COL_PERSON_ID: case COL_RELATION: return _("stage identity");
    case COL_BIRTH_DATE: return _("optional: ages come from person_id when it is absent");
    case COL_DECLARED_INCOME_PC: return _("optional: the income mismatch check");
    case COL_SATISFIED: return _("optional: the counties' satisfaction rate");
    default: return _("optional");
    }
}

/* ---- title lines and misspelt names (issue 17.9) ------------------------------ */

#define TITLE_SCAN 20               /* records looked at for title lines */

/* Title lines above the header, in a file read without a mapping or
 * --skip-rows: the records before the first one that has at least two names
 * of the standard (as skip_rows = "auto" finds it), else the leading records
 * of one or two non-blank fields before the first of three or more.  Fills
 * lines[] (at most TITLE_SCAN) and returns how many records to skip, 0 for
 * none; *header_line is the line the header seems to be on. */
static int find_titles(run_config *cfg, long *lines, long *header_line)
{
    char err[1024];
    source *s = source_open(cfg, err, sizeof err);
    csv_record rec;
    size_t nonempty[TITLE_SCAN + 1];
    long at[TITLE_SCAN + 1];
    int n = 0, k = -1, i;
    if (!s) return 0;
    while (n <= TITLE_SCAN && source_next(s, &rec) == 1) {
        size_t f, known = 0;
        nonempty[n] = 0;
        at[n] = rec.line;
        for (f = 0; f < rec.nfields; f++) {
            if (!rec.fields[f].n) continue;
            nonempty[n]++;
            if (!rec.bad_encoding && schema_lookup(rec.fields[f].p) >= 0) known++;
        }
        if (known >= 2 && k < 0) k = n;
        n++;
        if (k >= 0) break;
    }
    source_close(s);
    if (k < 0) {
        for (k = 0; k < n && nonempty[k] <= 2; k++) ;
        if (k == n) k = 0;
    }
    for (i = 0; i < k; i++) lines[i] = at[i];
    if (k > 0) *header_line = at[k];
    return k;
}

/* The standard's column a name not its own is closest to, by its English
 * or its Chinese name (code points), or -1. */
static int did_you_mean(const char *name)
{
    const char *best = NULL;
    size_t d = (size_t)-1;
    int c, found = -1;
    for (c = 0; c < COL_COUNT; c++) {
        const char *b = sg_better(name, schema_columns[c].name, best, &d);
        b = sg_better(name, schema_columns[c].zh, b, &d);
        if (b != best) found = c;
        best = b;
    }
    return found;
}

/* ---- collecting ------------------------------------------------------------------ */

typedef struct seen { char *v; unsigned long n; } seen;

typedef struct colstat {
    const char *orig, *final;        /* names: as written; after the mapping */
    int canon;
    seen sample[SAMPLES];
    size_t nsample;
    seen bad[BAD_EXAMPLES];
    size_t nbad_kinds;
    unsigned long nbad, nblank;
} colstat;

static void remember(seen *arr, size_t *n, size_t max, const char *v, int count)
{
    size_t i;
    for (i = 0; i < *n; i++)
        if (!strcmp(arr[i].v, v)) {
            if (count) arr[i].n++;
            return;
        }
    if (*n < max && (arr[*n].v = strdup(v))) arr[(*n)++].n = 1;
}

/* The encoding of the first bytes: "utf-8", "gb18030" or NULL (neither). */
static const char *guess_encoding(const char *path, char *why, size_t whylen)
{
    FILE *f = fopen(path, "rb");
    char *buf;
    size_t n, cut;
    const char *enc = NULL;
    if (!f) {
        snprintf(why, whylen, _("cannot open"));
        return NULL;
    }
    buf = malloc(GUESS_BYTES);
    if (!buf) {
        fclose(f);
        snprintf(why, whylen, _("out of memory"));
        return NULL;
    }
    n = fread(buf, 1, GUESS_BYTES, f);
    /* Whole lines only: the last one may be cut in a character. */
    cut = n;
    if (n == GUESS_BYTES) {
        while (cut > 0 && buf[cut - 1] != '\n') cut--;
        if (cut == 0) cut = n;
    }
    fclose(f);
    if (csv_utf8_valid(buf, cut)) {
        enc = "utf-8";
        snprintf(why, whylen, _("the first %zu bytes are valid UTF-8"), cut);
    } else if (dec_gb18030_valid(buf, cut) == 1) {
        enc = "gb18030";
        snprintf(why, whylen, _("not valid UTF-8, but the first %zu bytes are valid GB18030 "
                 "(GBK/Excel export)"), cut);
    } else {
        snprintf(why, whylen, _("the first %zu bytes are neither valid UTF-8 nor valid GB18030"), cut);
    }
    free(buf);
    return enc;
}

static void usage(FILE *f)
{
    fputs(_("Usage: tuopin inspect FILE [--encoding utf-8|gb18030] [--mapping MAPPING]\n"
          "                      [--format csv|jsonl] [--skip-rows N] [--rows N]\n"
          "Show what tuopin finds in an export: the header (after skip_rows), the encoding\n"
          "it guesses, which columns are the standard's (directly or through the mapping),\n"
          "which are extra and which are missing, a few sample values per column (IDs,\n"
          "names, phone numbers and addresses masked) and the values the standard would\n"
          "not accept, in the first N records (default 1000).\n"
          "MAPPING is a mapping file or the name of a shipped one (national-system).\n"), f);
}

static int parse_count(const char *opt, const char *v, long max, long *out)
{
    char *end;
    long x = strtol(v, &end, 10);
    if (!*v || *end || x < 0 || x > max) {
        fprintf(stderr, _("tuopin: inspect: %s: \"%s\" is not a number (0-%ld)\n"), opt, v, max);
        return -1;
    }
    *out = x;
    return 0;
}

/* How a column's values are masked: by its name, else by its content — an
 * extra column any of whose samples looks like an ID or a name is masked
 * whole (issue 18 item 6). */
static mask_kind column_mask(const colstat *c)
{
    mask_kind k = mask_of(c->orig, c->canon), v;
    size_t i;
    if (k != MASK_NONE || c->canon >= 0) return k;
    if (mask_by_content(c->orig) == MASK_ID) k = MASK_ID;   /* no header: the "name" is an ID */
    for (i = 0; i < c->nsample; i++)
        if ((v = mask_by_content(c->sample[i].v)) == MASK_ID || (v == MASK_NAME && k == MASK_NONE)) k = v;
    return k;
}

static void print_seen(const seen *arr, size_t n, const colstat *c, int counts)
{
    size_t i;
    mask_kind k = column_mask(c);
    for (i = 0; i < n; i++) {
        char m[512];
        mask_as(k, arr[i].v, m, sizeof m);
        printf("%s\"%s\"", i ? ", " : "", m);
        if (counts) printf(" ×%lu", arr[i].n);
    }
}

int inspect_main(int argc, char **argv)
{
    run_config cfg;
    const char *file = NULL, *enc = NULL, *fmt = NULL, *map = NULL, *guess;
    long rows = DEFAULT_ROWS, skip = -1;
    char err[2048], why[256];
    source *s;
    csv_record rec;
    colstat *cols = NULL;
    const char *const *names, *const *renamed;
    const unsigned char *has_values;
    size_t ncols = 0, i;
    int header_is_data = 0;
    unsigned long nrec = 0, nbadenc = 0, ncount = 0, nunterm = 0, nstray = 0;
    long header_line = 0, first_count_line = 0, stray_lines[STRAY_SHOWN];
    long title_lines[TITLE_SCAN + 1], title_header = 0;
    int ntitles = 0;
    size_t first_rec_fields = 0;
    int rc, status = 0, o;
    mapping *mp = NULL;
    cmdline cl;
    static const struct option inspect_options[] = {
        CMDLINE_VALUE("encoding", 'e'), CMDLINE_VALUE("format", 'f'), CMDLINE_VALUE("mapping", 'm'),
        CMDLINE_VALUE("rows", 'r'), CMDLINE_VALUE("skip-rows", 's'), CMDLINE_HELP_END
    };

    cmdline_init(&cl, "inspect", argc, argv, "h", inspect_options);
    while ((o = cmdline_next(&cl)) != CMDLINE_END) {
        switch (o) {
        case 'h': usage(stdout); return 0;
        case 'e': enc = cl.arg; break;
        case 'f': fmt = cl.arg; break;
        case 'm': map = cl.arg; break;
        case 'r':
            if (parse_count("--rows", cl.arg, 100000000L, &rows) < 0) goto usage_error;
            break;
        case 's':
            if (parse_count("--skip-rows", cl.arg, 1000, &skip) < 0) goto usage_error;
            break;
        case CMDLINE_OPERAND:
            if (cmdline_operand(&cl, &file)) return 2;
            break;
        default: return 2;
        }
    }
    if (!file) {
        fprintf(stderr, _("tuopin: inspect: which file? (tuopin inspect FILE)\n"));
        goto usage_error;
    }
    if (!strcmp(file, "-")) {
        fprintf(stderr, _("tuopin: inspect: give a file, not standard input\n"));
        goto usage_error;
    }
    if (enc && !dec_encoding_name(enc)) {
        fprintf(stderr, _("tuopin: inspect: encoding \"%s\" is not supported (utf-8 or gb18030)\n"), enc);
        goto usage_error;
    }

    guess = guess_encoding(file, why, sizeof why);
    if (!strcmp(why, _("cannot open"))) {
        fprintf(stderr, _("tuopin: %s: cannot open\n"), file);
        return 1;
    }
    memset(&cfg, 0, sizeof cfg);
    cfg.input = (char *)file;
    cfg.encoding = (char *)(enc ? enc : guess ? guess : "utf-8");
    cfg.format = (char *)fmt;
    cfg.mapping = (char *)map;
    cfg.quiet = 1;
    if (skip >= 0) {
        cfg.skip_rows = (int)skip;
        cfg.has_skip_rows = 1;
    }
    printf(_("File:      %s\n"), file);
    printf(_("Encoding:  guessed %s: %s\n"), guess ? guess : _("unknown"), why);
    if (enc) printf(_("           reading it as %s (--encoding)\n"), dec_encoding_name(enc));
    else if (!guess) printf(_("           reading it as utf-8: records that are not will be ROW_ENCODING\n"));
    if (map) {
        mp = map_load(map, err, sizeof err);
        if (!mp) {
            fprintf(stderr, _("tuopin: %s\n"), err);
            return 1;
        }
    }
    /* without a mapping or --skip-rows, title lines would be read as the
     * header: find them first, to say so */
    if (!map && skip < 0) ntitles = find_titles(&cfg, title_lines, &title_header);
    s = source_open(&cfg, err, sizeof err);
    if (!s) {
        fprintf(stderr, _("tuopin: %s\n"), err);
        map_free(mp);
        return 1;
    }
    printf(_("Format:    %s\n"), source_format(s));
    if (source_mapping_path(s)) printf(_("Mapping:   %s\n"), source_mapping_path(s));

    /* The header. */
    for (;;) {
        size_t k;
        rc = source_next(s, &rec);
        if (rc <= 0) break;
        for (k = 0; k < rec.nfields && !rec.fields[k].n; k++) ;
        if (k < rec.nfields) break;
    }
    if (source_skipped(s)) printf(_("Skipped:   %d record%s above the header (skip_rows)\n"),
                                  source_skipped(s), source_skipped(s) == 1 ? "" : "s");
    if (rc <= 0) {
        if (rc < 0) fprintf(stderr, _("tuopin: %s: %s\n"), source_name(s), source_error(s));
        else fprintf(stderr, _("tuopin: %s: no header: the input is empty\n"), source_name(s));
        source_close(s);
        map_free(mp);
        return 1;
    }
    header_line = rec.line;
    ncols = source_header(s, &names, &renamed, &has_values);
    cols = calloc(ncols + 1, sizeof *cols);
    if (!cols) {
        fprintf(stderr, _("tuopin: out of memory\n"));
        source_close(s);
        map_free(mp);
        return 1;
    }
    for (i = 0; i < ncols; i++) {
        cols[i].orig = names[i];
        cols[i].final = renamed[i] ? renamed[i] : names[i];
        cols[i].canon = schema_lookup(cols[i].final);
    }

    /* The records. */
    while ((long)nrec < rows && (rc = source_next(s, &rec)) == 1) {
        nrec++;
        if (nrec == 1) first_rec_fields = rec.nfields;
        if (rec.bad_encoding) nbadenc++;
        if (rec.unterminated == CSV_UNTERM_STRAY) {
            if (nstray < STRAY_SHOWN) stray_lines[nstray] = rec.line;
            nstray++;
        } else if (rec.unterminated) {
            nunterm++;
        }
        if (!rec.unterminated && rec.nfields != ncols && !ncount++) first_count_line = rec.line;
        if (rec.bad_encoding || rec.unterminated) continue;
        for (i = 0; i < ncols && i < rec.nfields; i++) {
            colstat *c = &cols[i];
            const char *v = rec.fields[i].p, *u = source_unmapped(s)[i].p;
            char shown[600];
            if (!*v) {
                c->nblank++;
                continue;
            }
            /* As the file has it, and what the mapping made of it. */
            if (strcmp(u, v)) snprintf(shown, sizeof shown, "%s → %s", u, v);
            else snprintf(shown, sizeof shown, "%s", v);
            remember(c->sample, &c->nsample, SAMPLES, shown, 0);
            if (c->canon >= 0 && !value_ok(c->canon, v)) {
                c->nbad++;
                remember(c->bad, &c->nbad_kinds, BAD_EXAMPLES, v, 1);
            }
        }
    }
    if (rc < 0) {
        fprintf(stderr, _("tuopin: %s: %s\n"), source_name(s), source_error(s));
        status = 1;
    }

    printf(_("Header:    line %ld, %zu columns\n"), header_line, ncols);
    printf(_("Records:   %lu read"), nrec);
    if (source_lines(s)) printf(_(" from %llu lines"), source_lines(s));
    if ((long)nrec == rows) printf(_(" (the first %ld; --rows N for more)"), rows);
    printf(_("; %lu not valid in the encoding or holding a NUL byte or a byte-order mark "
             "(ROW_ENCODING), %lu with a field count other than the header's%s"),
           nbadenc, ncount, ncount ? "" : "");
    if (ncount) printf(_(" (first on line %ld)"), first_count_line);
    if (nunterm) printf(_(", %lu with a quote that never ends"), nunterm);
    printf("\n");
    /* Stray quotes (standard §1): where they are, so that they can be
     * fixed in the file before the run rejects those households. */
    if (nstray) {
        unsigned long k;
        printf(_("Stray quotes: %lu line%s with a quote left open by mistake (each such line alone "
                 "is rejected as ROW_UNTERMINATED_QUOTE, reading goes on at the next line); lines:"),
               nstray, nstray == 1 ? "" : "s");
        for (k = 0; k < nstray && k < STRAY_SHOWN; k++) printf(k ? ", %ld" : " %ld", stray_lines[k]);
        if (nstray > STRAY_SHOWN) printf(_(", … (the first %d)"), STRAY_SHOWN);
        printf("\n");
    }
    if (source_bad_bytes(s)) printf(_("           %llu bytes were not valid GB18030\n"), source_bad_bytes(s));
    if (ntitles > 0) {
        int k;
        printf(_("Title lines: %d record%s above the header look%s like a title, not column names (line%s"),
               ntitles, ntitles == 1 ? "" : "s", ntitles == 1 ? "s" : "", ntitles == 1 ? "" : "s");
        for (k = 0; k < ntitles; k++) printf(k ? ", %ld" : " %ld", title_lines[k]);
        printf(_("); the header seems to be line %ld. Skip them: --skip-rows %d here, skip_rows = %d "
                 "(or \"auto\") in input { } or a mapping.\n"), title_header, ntitles, ntitles);
    }

    /* a header with a cell that is an ID is a row of data (a headerless file,
     * a wrong skip_rows): its cells that look like IDs or names are masked */
    for (i = 0; i < ncols; i++)
        if (cols[i].canon < 0 && mask_by_content(cols[i].orig) == MASK_ID) header_is_data = 1;
    printf(_("\nColumns (the file's name → what tuopin reads; samples, masked where personal):\n"));
    for (i = 0; i < ncols; i++) {
        colstat *c = &cols[i];
        {
            /* a header cell that looks like an ID or a name is data (no header,
             * or a wrong skip_rows): shown masked */
            char m[512];
            mask_as(c->canon >= 0 || !header_is_data ? MASK_NONE : mask_by_content(c->orig), c->orig, m, sizeof m);
            printf("%3zu  %s", i + 1, c->orig[0] ? m : _("(blank name)"));
        }
        if (c->canon >= 0) {
            if (renamed[i]) printf(_("  → %s (mapped)"), schema_columns[c->canon].name);
            else if (strcmp(c->orig, schema_columns[c->canon].name))
                printf("  = %s", schema_columns[c->canon].name);
        } else if (renamed[i]) {
            printf(_("  → %s (extra column)"), renamed[i]);
        } else {
            int near = c->orig[0] && !header_is_data ? did_you_mean(c->orig) : -1;
            printf(_("  (extra column: not one of the standard's; kept for rule scripts)"));
            if (near >= 0)
                printf(_(" did you mean %s (%s)?"), schema_columns[near].name, schema_columns[near].zh);
        }
        if (has_values[i]) printf(_(" [values mapped]"));
        printf("\n       ");
        if (c->nsample) print_seen(c->sample, c->nsample, c, 0);
        else printf(_("(blank in every record read)"));
        if (c->nblank && c->nsample) printf(_("; blank in %lu"), c->nblank);
        printf("\n");
    }

    {
        int any = 0;
        printf(_("\nStandard columns not found:\n"));
        for (i = 0; i < COL_COUNT; i++) {
            size_t k;
            int found = 0;
            for (k = 0; k < ncols; k++)
                if (cols[k].canon == (int)i) found = 1;
            if (found) continue;
            any = 1;
            printf("  %s (%s): %s\n", schema_columns[i].name, schema_columns[i].zh, needed_by((int)i));
        }
        if (!any) printf(_("  none\n"));
    }

    {
        int any = 0;
        printf(_("\nValues the standard does not accept (they will give BAD_VALUE, BAD_STATUS or "
               "BAD_REGION; map them in the mapping's values):\n"));
        for (i = 0; i < ncols; i++) {
            colstat *c = &cols[i];
            if (!c->nbad) continue;
            any = 1;
            printf(_("  %s (%s): %lu value%s"), schema_columns[c->canon].name, c->orig, c->nbad,
                   c->nbad == 1 ? "" : "s");
            printf(": ");
            print_seen(c->bad, c->nbad_kinds, c, 1);
            printf("\n");
        }
        if (!any) printf(_("  none in the records read\n"));
    }

    if (mp) {
        size_t e, any = 0;
        for (e = 0; e < map_ncolumns(mp); e++) {
            const char *t = map_column_target(mp, e);
            int tc = schema_lookup(t), found = 0;
            for (i = 0; i < ncols; i++)
                if ((tc >= 0 && cols[i].canon == tc) || !strcmp(cols[i].final, t)) found = 1;
            if (found) continue;
            if (!any++) printf(_("\nMapping entries with no column in this file:\n"));
            {
                const char *const *src;
                size_t k, ns = map_column_sources(mp, e, &src);
                printf("  %s ←", t);
                for (k = 0; k < ns; k++) printf(" %s%s", src[k], k + 1 < ns ? "," : "");
                printf("\n");
            }
        }
    }

    /* A title line above the header looks like a header with one name. */
    {
        size_t named = 0;
        for (i = 0; i < ncols; i++)
            if (cols[i].orig[0]) named++;
        if (nrec && named <= 2 && first_rec_fields > 2 * named + 1 && !ntitles)
            printf(_("\nThe header on line %ld has %zu named column%s but the next record has %zu "
                   "fields: is it a title line? Try --skip-rows %d (skip_rows in the mapping or "
                   "input {}).\n"),
                   header_line, named, named == 1 ? "" : "s", first_rec_fields,
                   source_skipped(s) + 1);
    }

    printf(_("\nIn a pipeline: input { path = \"%s\""), file);
    if (strcmp(source_encoding(s), "utf-8")) printf(_(", encoding = \"%s\""), source_encoding(s));
    if (map) printf(_(", mapping = \"%s\""), map);
    if (skip >= 0) printf(_(", skip_rows = %ld"), skip);
    printf(" }\n");

    for (i = 0; i < ncols; i++) {
        size_t k;
        for (k = 0; k < cols[i].nsample; k++) free(cols[i].sample[k].v);
        for (k = 0; k < cols[i].nbad_kinds; k++) free(cols[i].bad[k].v);
    }
    free(cols);
    source_close(s);
    map_free(mp);
    return status;

usage_error:
    return cmdline_hint("inspect");
}
