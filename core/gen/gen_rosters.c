/* gen_rosters.c — `tuopin gen --rosters DIR`: the five department rosters
 * (standard §8) of a generated quarter, for trying and benchmarking stage
 * rosters.  The quarter file just written is read back with the registry's
 * CSV reader, and each person gets roster rows that mostly agree with the
 * registry, with disagreements planted at fixed rates:
 *
 *   hukou    0.3 % deceased and 0.3 % moved out on or before the as-of date,
 *            0.1 % deceased after it (no finding)
 *   medical  of members the registry calls insured, 1 % missing from the
 *            roster and 1 % insured no
 *   school   of members with a school status other than not_in_school, 2 %
 *            enrolled no and 2 % off the roll
 *   housing  the head's row; 1.5 % rated D and not fixed whatever the registry
 *            says (unsafe houses the registry calls safe)
 *   assets   0.5 % vehicle, 0.2 % commercial housing, 0.1 % business, 0.05 %
 *            public payroll
 *
 * IDs are spelled the ways §8.1 normalises (lower-case x, spaces around,
 * full-width digits, 15 digits) now and then, value words in English and
 * Chinese, and about one row in 500 of each file is bad (an ID that fails
 * the check, a value that is none of the kind's, a duplicate, a wrong field
 * count).  Every choice is a hash of the seed and the row: the same quarter
 * and seed give the same bytes. */
#define _POSIX_C_SOURCE 200809L
#include "gen_int.h"
#include "csv.h"
#include "i18n.h"
#include "output.h"
#include "schema.h"
#include "values.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { R_HUKOU, R_MEDICAL, R_SCHOOL, R_HOUSING, R_ASSETS, R_N };
static const char *const names[R_N] = { "hukou.csv", "medical.csv", "school.csv", "housing.csv", "assets.csv" };
static const char *const headers[R_N] = {
    "person_id,hukou_status,event_date,source_office\n",
    "source_office,person_id,insured\n",
    "person_id,enrolled\n",
    "person_id,housing_rating,housing_fixed\n",
    "person_id,asset\n",
};

static uint64_t mix64(uint64_t x)
{
    x += 0x9E3779B97F4A7C15ull;
    x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
    x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
    return x ^ (x >> 31);
}

/* A draw in [0, 1000000) for (row, purpose). */
static unsigned draw(uint64_t seed, uint64_t row, unsigned purpose)
{
    return (unsigned)(mix64(seed ^ mix64(row * 16 + purpose)) % 1000000u);
}

/* The ID as a roster might spell it. */
static void spell(FILE *f, const char *id, unsigned u)
{
    size_t n = strlen(id);
    if (n == 18 && u % 97 == 0) {            /* 15-digit form of an ID born 19xx */
        if (id[6] == '1' && id[7] == '9' && id[17] != 'X') {
            fprintf(f, "%.6s%.9s", id, id + 8);
            return;
        }
    }
    if (u % 89 == 1 && n == 18) {            /* full-width first two digits */
        fprintf(f, "\xef\xbc%c\xef\xbc%c%s", (char)(0x90 + id[0] - '0'), (char)(0x90 + id[1] - '0'), id + 2);
        return;
    }
    if (u % 83 == 2) {                       /* spaces around (quoted to keep them) */
        fprintf(f, "\"  %s \"", id);
        return;
    }
    if (n == 18 && id[17] == 'X' && u % 3 == 0) {
        fprintf(f, "%.17sx", id);            /* lower-case x */
        return;
    }
    fputs(id, f);
}

typedef struct gr {
    FILE *f[R_N];
    unsigned long long rows[R_N], bad[R_N];
    unsigned long long planted_uninsured, planted_off_roll, planted_unsafe, planted_deceased,
                       planted_moved, planted_assets;
} gr;

/* About one row in 500 of each file: a bad one after the row just written
 * for id (dup: that row's value, for an exact duplicate of assets). */
static void maybe_bad(gr *g, int k, const char *id, const char *dup, uint64_t seed, uint64_t row)
{
    static const char *const tail[R_N] = { ",active,,gen", ",yes", ",yes", ",A,yes", ",public_payroll" };
    static const char *const badtail[R_N] = { ",gone,,gen", ",maybe", ",perhaps", ",E,yes", ",yacht" };
    const char *pre = k == R_MEDICAL ? "gen," : "";
    unsigned u = draw(seed, row, 10 + (unsigned)k);
    if (u >= 2000) return;
    g->bad[k]++;
    switch (u % 4) {
    case 0:                                  /* an ID that fails the check */
        fprintf(g->f[k], "%s%.17s%c%s\n", pre, id, id[17] == '0' ? '1' : '0', tail[k]);
        break;
    case 1:                                  /* a value of no kind */
        fprintf(g->f[k], "%s%s%s\n", pre, id, badtail[k]);
        break;
    case 2:                                  /* a duplicate of the accepted row */
        if (k == R_ASSETS) fprintf(g->f[k], "%s,%s\n", id, dup);
        else fprintf(g->f[k], "%s%s%s\n", pre, id, tail[k]);
        break;
    default:                                 /* a field too many */
        fprintf(g->f[k], "%s%s%s,extra\n", pre, id, tail[k]);
        break;
    }
}

int gen_rosters(const char *quarter_csv, const char *dir, uint64_t seed, int ay, int am, int ad)
{
    out_file o[R_N];
    FILE *in = fopen(quarter_csv, "rb");
    csv_reader *r = NULL;
    csv_record rec;
    int pos[COL_COUNT], k, rc = GEN_IO, first = 1;
    char err[1024];
    gr g;
    uint64_t row = 0;
    memset(o, 0, sizeof o);
    memset(&g, 0, sizeof g);
    if (!in) {
        fprintf(stderr, _("tuopin gen: %s: cannot open: %s\n"), quarter_csv, strerror(errno));
        return GEN_IO;
    }
    if (out_mkdir(dir, err, sizeof err) < 0) goto fail_msg;
    for (k = 0; k < R_N; k++) {
        if (out_open_plain(&o[k], dir, names[k], err, sizeof err) < 0) goto fail_msg;
        g.f[k] = o[k].f;
        fputs(headers[k], g.f[k]);
    }
    if (!(r = csv_open(csv_read_file, in, 1u << 20, 64u << 20))) {
        snprintf(err, sizeof err, _("out of memory"));
        goto fail_msg;
    }
    for (k = 0; k < COL_COUNT; k++) pos[k] = -1;
    while ((k = csv_next(r, &rec)) == 1) {
        const char *id, *rel, *school, *ins, *rating, *fixed;
        tp_date birth;
        unsigned u;
        size_t i;
        if (first) {
            for (i = 0; i < rec.nfields; i++) {
                int c = schema_lookup(rec.fields[i].p);
                if (c >= 0 && pos[c] < 0) pos[c] = (int)i;
            }
            first = 0;
            continue;
        }
#define F(c) (pos[c] >= 0 && (size_t)pos[c] < rec.nfields ? rec.fields[pos[c]].p : "")
        id = F(COL_PERSON_ID);
        row++;
        if (!val_person_id(id, &birth)) continue;   /* the registry's own faults: no roster row */
        rel = F(COL_RELATION);
        school = F(COL_SCHOOL_STATUS);
        ins = F(COL_MEDICAL_INSURED);
        rating = F(COL_HOUSING_RATING);
        fixed = F(COL_HOUSING_FIXED);
#undef F
        /* hukou */
        u = draw(seed, row, 0);
        spell(g.f[R_HUKOU], id, u);
        if (u < 3000) {
            fprintf(g.f[R_HUKOU], ",%s,%04d-%02d-%02d,gen\n", u % 2 ? "deceased" : "死亡", ay,
                    1 + (int)(u % (unsigned)am), 1 + (int)(u % 28));
            g.planted_deceased++;
        } else if (u < 6000) {
            fprintf(g.f[R_HUKOU], ",%s,%04d%02d%02d,gen\n", u % 2 ? "moved_out" : "迁出", ay,
                    1 + (int)(u % (unsigned)am), 1 + (int)(u % 28));
            g.planted_moved++;
        } else if (u < 7000) {
            fprintf(g.f[R_HUKOU], ",deceased,%04d-01-15,gen\n", ay + 1);
        } else {
            fprintf(g.f[R_HUKOU], ",%s,,gen\n", u % 3 ? "active" : "在册");
        }
        g.rows[R_HUKOU]++;
        maybe_bad(&g, R_HUKOU, id, NULL, seed, row);

        /* medical */
        u = draw(seed, row, 1);
        {
            tp_yesno y = val_yesno(ins);
            int yes = y.state == TP_OK && y.value;
            if (yes && u < 10000) {
                g.planted_uninsured++;             /* off the roster */
            } else {
                int says = yes && u >= 20000;
                if (yes && !says) g.planted_uninsured++;
                fputs("gen,", g.f[R_MEDICAL]);
                spell(g.f[R_MEDICAL], id, u);
                fprintf(g.f[R_MEDICAL], ",%s\n", says ? (u % 3 == 0 ? "是" : u % 3 == 1 ? "yes" : "1")
                                                      : (u % 2 ? "否" : "no"));
                g.rows[R_MEDICAL]++;
                maybe_bad(&g, R_MEDICAL, id, NULL, seed, row);
            }
        }

        /* school: members the registry has at some school */
        u = draw(seed, row, 2);
        {
            tp_school sc = val_school(school);
            if (sc.state == TP_OK && val_school_covered(sc.value)) {
                if (u < 20000) {
                    g.planted_off_roll++;
                } else {
                    spell(g.f[R_SCHOOL], id, u);
                    fprintf(g.f[R_SCHOOL], ",%s\n", u < 40000 ? "no" : u % 2 ? "yes" : "是");
                    g.planted_off_roll += u < 40000;
                    g.rows[R_SCHOOL]++;
                    maybe_bad(&g, R_SCHOOL, id, NULL, seed, row);
                }
            }
        }

        /* housing: the head's row */
        u = draw(seed, row, 3);
        if (!strcmp(rel, "head") || !strcmp(rel, "户主")) {
            tp_rating rt = val_rating(rating);
            spell(g.f[R_HOUSING], id, u);
            if (u < 15000 || rt.state != TP_OK) {
                fprintf(g.f[R_HOUSING], ",D%s,\n", u % 2 ? "级" : "");
                g.planted_unsafe += u < 15000;
            } else {
                fprintf(g.f[R_HOUSING], ",%c,", rt.value);
                csv_write_field(g.f[R_HOUSING], fixed, strlen(fixed));
                fputc('\n', g.f[R_HOUSING]);
            }
            g.rows[R_HOUSING]++;
            maybe_bad(&g, R_HOUSING, id, NULL, seed, row);
        }

        /* assets */
        u = draw(seed, row, 4);
        if (u < 8500) {
            static const char *const a[4] = { "vehicle", "商品房", "business", "财政供养" };
            int which = u < 5000 ? 0 : u < 7000 ? 1 : u < 8000 ? 2 : 3;
            spell(g.f[R_ASSETS], id, u);
            fprintf(g.f[R_ASSETS], ",%s\n", a[which]);
            g.rows[R_ASSETS]++;
            g.planted_assets++;
            if (u % 5 == 0 && which != 1) {         /* a second asset of the same person */
                fprintf(g.f[R_ASSETS], "%s,commercial_housing\n", id);
                g.rows[R_ASSETS]++;
                g.planted_assets++;
            }
            maybe_bad(&g, R_ASSETS, id, a[which], seed, row);
        }
    }
    if (k < 0) {
        snprintf(err, sizeof err, "%s: %s", quarter_csv, csv_error(r));
        goto fail_msg;
    }
    for (k = 0; k < R_N; k++)
        if (out_commit(&o[k], err, sizeof err) < 0) goto fail_msg;
    (void)ad;
    fprintf(stderr, _("tuopin gen: rosters in %s: %llu hukou, %llu medical, %llu school, %llu housing, "
                      "%llu assets rows (%llu bad); planted: %llu deceased, %llu moved out, %llu not insured, "
                      "%llu off the school roll, %llu unsafe houses, %llu assets\n"),
            dir, g.rows[R_HUKOU], g.rows[R_MEDICAL], g.rows[R_SCHOOL], g.rows[R_HOUSING], g.rows[R_ASSETS],
            g.bad[0] + g.bad[1] + g.bad[2] + g.bad[3] + g.bad[4], g.planted_deceased, g.planted_moved,
            g.planted_uninsured, g.planted_off_roll, g.planted_unsafe, g.planted_assets);
    rc = GEN_OK;
    goto out;
fail_msg:
    fprintf(stderr, _("tuopin gen: %s\n"), err);
out:
    for (k = 0; k < R_N; k++) out_abort(&o[k]);
    if (r) csv_close(r);
    fclose(in);
    return rc;
}
