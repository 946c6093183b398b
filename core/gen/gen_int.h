/* gen_int.h — the generator's records and helpers shared by gen.c (one
 * quarter) and gen_quarters.c (`tuopin gen --quarters N`: consecutive
 * quarters of one population with planted patterns).  Not a public
 * interface. */
#ifndef TUOPIN_GEN_INT_H
#define TUOPIN_GEN_INT_H

#include <stdint.h>
#include <stdio.h>

#define GEN_MAX_MEMBERS 7
#define GEN_RING_SIZE 64                  /* earlier IDs kept for duplicates */
#define GEN_OUT_BUF_SIZE (4u << 20)       /* output buffer */
#define GEN_ROW_MAX 2048                  /* bound on one formatted row */
#define GEN_HH_MAX (GEN_MAX_MEMBERS * GEN_ROW_MAX) /* bound on one household's rows */
#define GEN_NCOUNTIES 40

/* Exit statuses of gen_main. */
enum { GEN_OK = 0, GEN_IO = 1, GEN_USAGE = 2 };

/* Household status. */
enum { ST_POOR = 0, ST_EXITED = 1, ST_GENERAL = 2 };

/* xoshiro256** state. */
typedef struct {
    uint64_t s[4];
} rng_t;

/* Buffered writer: data is collected in buf and written in large chunks. */
typedef struct {
    FILE *fp;
    char *buf;
    size_t len;
    size_t cap;
    int err; /* errno of the first failed write, 0 while all is well */
} out_t;

typedef struct {
    int male;
    int age;            /* exact age at the as-of date */
    int by, bm, bd;     /* birth date (the one in the ID) */
    const char *given;  /* given name (Uyghur names: reused by children) */
    char id[19];
    char name[48];
    char birth[24];
    const char *relation;
    const char *school;
    const char *medical;
    const char *job;
} person_t;

/* Indices of the household's money fields. */
enum { M_WAGE, M_OPINC, M_OPCOST, M_PROPERTY, M_TRANSFER, M_DECLARED, NMONEY };

typedef struct {
    char hid[16];
    char region[16];
    const char *status;
    char money[NMONEY][24];
    const char *food;
    const char *rating;
    const char *fixed;
    const char *water;
    const char *satisfied;
    const char *note;
    int n;
    int faulted;        /* a value fault was planted (--faults) */
    person_t p[GEN_MAX_MEMBERS];
} household_t;

/* --profile: realistic (the default: counties that meet, fail and are
 * incomplete side by side) or stress (every county fails; tests and bench/). */
enum { GEN_PROFILE_STRESS = 0, GEN_PROFILE_REALISTIC = 1 };

#define GEN_FAB_MAX 80       /* --fabricated: at most 2 villages in each of the 40 counties */

typedef struct {
    /* options */
    uint64_t households;
    uint64_t seed;
    int year, quarter;
    const char *out_path;
    int chinese_header;
    uint32_t fault_ppm;
    uint32_t mix[3];
    int profile;             /* --profile: GEN_PROFILE_REALISTIC (default) or _STRESS */
    int quarters;            /* --quarters N (0: one quarter) */
    uint32_t plant_ppm;      /* --plant PCT, per pattern */
    const char *rosters_dir; /* --rosters DIR: department rosters of the quarter */
    int fab_n;               /* --fabricated N: villages with made-up incomes */
    const char *fab_list;    /* --fabricated-list FILE, or NULL */
    int fab[GEN_FAB_MAX][3]; /* their county index, town, village */

    /* derived from the options */
    int ay, am, ad;          /* as-of date */
    int32_t asof;            /* as-of date, days */
    int32_t base_day;        /* earliest possible birth date, days */
    int32_t ndays;           /* asof - base_day + 1 */
    int64_t line_cents;      /* poverty line of the year, cents */
    int quality[GEN_NCOUNTIES];
    uint32_t cmix[GEN_NCOUNTIES][3]; /* each county's P:E:G weights (the profile's) */

    /* ID sequence numbers handed out per (county, birth day, sex) */
    uint16_t *slots;

    /* village runs */
    rng_t layout;
    int run_left, county, town, village;

    /* valid IDs of earlier households, source of planted duplicates */
    char ring[GEN_RING_SIZE][19];
    uint64_t ring_count;
} gen_t;

/* ---- gen.c, for gen_quarters.c ------------------------------------------------ */

void gen_rng_init(rng_t *r, uint64_t seed, uint64_t stream, uint64_t index);
uint32_t gen_rng_below(rng_t *r, uint32_t n);
int gen_rng_range(rng_t *r, int lo, int hi);
int gen_rng_chance(rng_t *r, uint32_t ppm);

/* Fills the settings derived from the options (as-of date of g->year and
 * g->quarter, line, county qualities, layout stream). */
void gen_derive(gen_t *g);
/* The national line of a year in cents, as the generator centres incomes. */
int64_t gen_line_cents(int year);
/* Reads the national lines of 2011..2099 for gen_line_cents from the table
 * the runs use (data/national-lines.csv).  RETURN GEN_OK, or GEN_IO after a
 * message on standard error. */
int gen_load_lines(void);
/* After a quarter of `year` was written: when the table has no line for
 * that year (a run would refuse it), says on standard error how to give one. */
void gen_note_line(int year, int quarter);
/* County c's code (6 digits) and number of towns. */
const char *gen_county_code(int c);
int gen_county_towns(int c);

/* Builds household `index` (0-based) into h.  RETURN 0 or -1 (ID space). */
int gen_household(gen_t *g, uint64_t index, household_t *h);

void gen_fmt_money(char *buf, int64_t cents, int whole);
void gen_emit_header(out_t *o, int chinese);
/* Appends h's rows; reserves room first. */
void gen_emit_household(out_t *o, const household_t *h);
void gen_out_flush(out_t *o);

/* Opens PATH for writing under a temporary name (see gen.c); *tmp receives
 * the temporary name.  RETURN the stream or NULL (reported). */
FILE *gen_open_output(const char *path, char **tmp);
/* Completes (or, with err != 0, abandons) an output.  RETURN GEN_OK or GEN_IO. */
int gen_close_output(FILE *fp, const char *path, char *tmp, int err);

/* gen_quarters.c: `tuopin gen --quarters N` with g's options parsed.
 * RETURN the exit status. */
int gen_quarters_main(gen_t *g);

/* ---- gen_fabricated.c: villages whose incomes were made up (docs/quality.md) ---- */

/* Villages (1-based) of town `town` of county c, as the generator lays them out. */
int gen_villages_in(int c, int town);
/* The slot of village v of town t (both 1-based) of county c in an array
 * of GEN_VILLAGE_SLOTS counters. */
#define GEN_VILLAGE_SLOTS (GEN_NCOUNTIES * 20 * 30)
#define GEN_VILLAGE_SLOT(c, t, v) (((c) * 20 + (t) - 1) * 30 + (v) - 1)
/* Adds to counts[GEN_VILLAGE_SLOT(...)] the households each village gets
 * in a quarter of g->households households (g derived, nothing drawn yet):
 * the village runs of next_region, drawn from a copy of the layout stream. */
void gen_layout_counts(const gen_t *g, uint32_t *counts);
/* Chooses g->fab_n distinct villages, at most 2 a county, from the seed,
 * among the villages that get at least 10 households of the quarter.
 * RETURN GEN_OK, GEN_USAGE when too few villages qualify or GEN_IO (both
 * reported). */
int gen_fab_pick(gen_t *g);
/* Whether the household being made (g->county, g->town, g->village) is in one. */
int gen_fab_is(const gen_t *g);
/* Overwrites h's five incomes and declared_income_pc with the village's
 * made-up figures: one tuple per member count, net just above the line
 * (in [L·n, 1.05·L·n)), every amount a whole multiple of 100 yuan. */
void gen_fab_income(const gen_t *g, household_t *h);
/* Writes the chosen villages' codes, one a line, to g->fab_list (when set).
 * RETURN GEN_OK or GEN_IO (reported). */
int gen_fab_write_list(const gen_t *g);

/* NAME: gen_rosters
 * DESCRIPTION: writes the five department rosters (standard §8) of the
 *   quarter in the file `quarter_csv` into dir (hukou.csv, medical.csv,
 *   school.csv, housing.csv, assets.csv), with planted disagreements and
 *   bad rows (gen_rosters.c).  Same inputs, same bytes.
 * RETURN: GEN_OK, or GEN_IO after reporting the error. */
int gen_rosters(const char *quarter_csv, const char *dir, uint64_t seed, int ay, int am, int ad);

#endif
