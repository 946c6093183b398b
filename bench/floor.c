/* floor.c — how long the outputs a run must write take on their own, with no
 * reading, checking or formatting at all: the lower bound those outputs put
 * under any implementation of tuopin run on this machine.
 *
 *   floor DATA RUN_DIR SCRATCH_DIR
 *
 * DATA is the input a tuopin run read and RUN_DIR that run's output folder.
 * Each part is done the cheapest way the library allows, on one thread, with
 * everything it needs already in memory before its clock starts:
 *
 *   sha256    the input's SHA-256 (the run record's fingerprint, issue 5),
 *             read in 1 MiB pieces through tuopin's SHA-256 (nettle, with the
 *             CPU's SHA extensions when it has them);
 *   fields    finding where every field of the input ends (commas, line
 *             feeds and quotes located sixteen bytes at a time, a count of
 *             fields kept), the least any reader of the CSV must do: the
 *             input read in 1 MiB pieces, no field looked at;
 *   ids       the duplicate-ID check (standard 3.7): every well-formed
 *             resident ID of the input (taken out of the rows beforehand)
 *             turned into a 64-bit key and looked up in, and added to, one
 *             open-addressing set; tuopin's set is cheaper per ID only in
 *             what this leaves out (nothing);
 *   database  every table of RUN_DIR/results.sqlite (households, findings,
 *             rejects, regions, counties, ...), rows loaded into memory
 *             first, written again into a new database made with the same
 *             CREATE TABLE statements and the settings tuopin uses (64 KiB
 *             pages, no journal, no sync), one transaction, 32 rows per
 *             INSERT (as tuopin), on a connection without SQLite's locking;
 *   workbook  the first 22 columns of RUN_DIR/summary.csv (every region,
 *             already split into cells) written as one sheet with
 *             libxlsxwriter, numbers as numbers, no formats: tuopin's
 *             report.xlsx has a regions sheet of that size (columns A-V, a
 *             row per region) and four small sheets besides;
 *   write     households.csv and findings.csv (already formatted, in memory)
 *             written in 1 MiB pieces and fsync'ed.
 *
 * Prints one line per part: name, CPU seconds (user + system of this
 * process), wall seconds; then the sum.  Exit 0, or 1 with a message. */
#define _GNU_SOURCE
#include "sha256.h"

#include <emmintrin.h>
#include <errno.h>
#include <fcntl.h>
#include <sqlite3.h>
#include <xlsxwriter.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static void die(const char *what, const char *why)
{
    fprintf(stderr, "floor: %s: %s\n", what, why);
    exit(1);
}

static double sys_now(void)
{
    struct rusage u;
    getrusage(RUSAGE_SELF, &u);
    return (double)u.ru_stime.tv_sec + u.ru_stime.tv_usec / 1e6;
}

static double cpu_now(void)
{
    struct rusage u;
    getrusage(RUSAGE_SELF, &u);
    return (double)u.ru_utime.tv_sec + u.ru_utime.tv_usec / 1e6
         + (double)u.ru_stime.tv_sec + u.ru_stime.tv_usec / 1e6;
}

static double wall_now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + t.tv_nsec / 1e9;
}

static double total_cpu, total_wall, t_cpu, t_wall, t_sys;

static void start(void) { t_cpu = cpu_now(); t_sys = sys_now(); t_wall = wall_now(); }

static void stop(const char *name)
{
    double c = cpu_now() - t_cpu, w = wall_now() - t_wall, s = sys_now() - t_sys;
    total_cpu += c;
    total_wall += w;
    printf("%-9s %6.2f %6.2f %6.2f\n", name, c, s, w);
    fflush(stdout);
}

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    char *p = NULL;
    size_t cap = 0, n = 0, r;
    if (!f) die(path, strerror(errno));
    do {
        if (n == cap) {
            cap = cap ? 2 * cap : 1 << 20;
            if (!(p = realloc(p, cap))) die(path, "out of memory");
        }
        r = fread(p + n, 1, cap - n, f);
        n += r;
    } while (r > 0);
    if (ferror(f)) die(path, strerror(errno));
    fclose(f);
    if (!(p = realloc(p, n + 1))) die(path, "out of memory");
    p[n] = '\0';
    *len = n;
    return p;
}

static void write_all(const char *path, const char *p, size_t n)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    if (fd < 0) die(path, strerror(errno));
    while (n) {
        ssize_t w = write(fd, p, n < (1u << 20) ? n : (1u << 20));
        if (w < 0) {
            if (errno == EINTR) continue;
            die(path, strerror(errno));
        }
        p += w;
        n -= (size_t)w;
    }
    if (fsync(fd) < 0 || close(fd) < 0) die(path, strerror(errno));
}

/* A table's rows, every cell as SQLite gave it. */
typedef struct cell { int type; sqlite3_int64 i; double d; char *t; int n; } cell;
typedef struct table { char *name, *sql; int ncol; size_t nrow; cell *cells; } table;

/* Rows per INSERT statement, as tuopin's database writer does (fewer steps
 * through SQLite's virtual machine than one row at a time). */
#define ROWS 32

static void load(sqlite3 *db, const char *name, table *t)
{
    sqlite3_stmt *s;
    char q[256];
    size_t cap = 0;
    int c;
    memset(t, 0, sizeof *t);
    t->name = strdup(name);
    if (sqlite3_prepare_v2(db, "SELECT sql FROM sqlite_master WHERE type='table' AND name=?1", -1, &s, NULL)
        != SQLITE_OK)
        die(name, sqlite3_errmsg(db));
    sqlite3_bind_text(s, 1, name, -1, SQLITE_STATIC);
    if (sqlite3_step(s) != SQLITE_ROW) die(name, "no such table in the run's results.sqlite");
    t->sql = strdup((const char *)sqlite3_column_text(s, 0));
    sqlite3_finalize(s);
    snprintf(q, sizeof q, "SELECT * FROM %s", name);
    if (sqlite3_prepare_v2(db, q, -1, &s, NULL) != SQLITE_OK) die(name, sqlite3_errmsg(db));
    t->ncol = sqlite3_column_count(s);
    while (sqlite3_step(s) == SQLITE_ROW) {
        if ((t->nrow + 1) * (size_t)t->ncol > cap) {
            cap = cap ? 2 * cap : 1024;
            if (!(t->cells = realloc(t->cells, cap * sizeof *t->cells))) die(name, "out of memory");
        }
        for (c = 0; c < t->ncol; c++) {
            cell *e = &t->cells[t->nrow * (size_t)t->ncol + (size_t)c];
            e->type = sqlite3_column_type(s, c);
            if (e->type == SQLITE_INTEGER) e->i = sqlite3_column_int64(s, c);
            else if (e->type == SQLITE_FLOAT) e->d = sqlite3_column_double(s, c);
            else if (e->type == SQLITE_TEXT || e->type == SQLITE_BLOB) {
                const void *v = e->type == SQLITE_TEXT ? (const void *)sqlite3_column_text(s, c)
                                                       : sqlite3_column_blob(s, c);
                e->n = sqlite3_column_bytes(s, c);
                if (!(e->t = malloc((size_t)e->n + 1))) die(name, "out of memory");
                if (e->n) memcpy(e->t, v, (size_t)e->n);
                e->t[e->n] = '\0';
            }
        }
        t->nrow++;
    }
    sqlite3_finalize(s);
}

/* "INSERT INTO name VALUES(?,...),..." for rows rows. */
static sqlite3_stmt *prepare_insert(sqlite3 *db, const table *t, int rows)
{
    sqlite3_stmt *s;
    size_t cap = 64 + (size_t)rows * (size_t)t->ncol * 3, len;
    char *q = malloc(cap);
    int r, c;
    if (!q) die(t->name, "out of memory");
    len = (size_t)snprintf(q, cap, "INSERT INTO %s VALUES", t->name);
    for (r = 0; r < rows; r++) {
        q[len++] = r ? ',' : ' ';
        q[len++] = '(';
        for (c = 0; c < t->ncol; c++) {
            if (c) q[len++] = ',';
            q[len++] = '?';
        }
        q[len++] = ')';
    }
    q[len] = '\0';
    if (sqlite3_prepare_v2(db, q, -1, &s, NULL) != SQLITE_OK) die(q, sqlite3_errmsg(db));
    free(q);
    return s;
}

static void store(sqlite3 *db, const table *t)
{
    sqlite3_stmt *one, *many;
    size_t r = 0;
    if (sqlite3_exec(db, t->sql, NULL, NULL, NULL) != SQLITE_OK) die(t->sql, sqlite3_errmsg(db));
    one = prepare_insert(db, t, 1);
    many = prepare_insert(db, t, ROWS);
    while (r < t->nrow) {
        sqlite3_stmt *s = t->nrow - r >= ROWS ? many : one;
        int k, rows = s == many ? ROWS : 1, c;
        for (k = 0; k < rows; k++, r++) {
            for (c = 0; c < t->ncol; c++) {
                const cell *e = &t->cells[r * (size_t)t->ncol + (size_t)c];
                int i = k * t->ncol + c + 1;
                switch (e->type) {
                case SQLITE_INTEGER: sqlite3_bind_int64(s, i, e->i); break;
                case SQLITE_FLOAT: sqlite3_bind_double(s, i, e->d); break;
                case SQLITE_TEXT: sqlite3_bind_text(s, i, e->t, e->n, SQLITE_STATIC); break;
                case SQLITE_BLOB: sqlite3_bind_blob(s, i, e->t, e->n, SQLITE_STATIC); break;
                default: sqlite3_bind_null(s, i);
                }
            }
        }
        if (sqlite3_step(s) != SQLITE_DONE) die(t->name, sqlite3_errmsg(db));
        sqlite3_reset(s);
    }
    sqlite3_finalize(one);
    sqlite3_finalize(many);
}

/* Ends of fields in p[0, n): commas and line feeds, and quotes (which a
 * reader must see to know whether a comma counts).  Matches are counted in
 * sixteen byte counters, summed every 255 steps before they overflow. */
static size_t field_ends(const char *p, size_t n, size_t *quotes)
{
    const __m128i comma = _mm_set1_epi8(','), lf = _mm_set1_epi8('\n'), dq = _mm_set1_epi8('"');
    const __m128i zero = _mm_setzero_si128();
    size_t i = 0, ends = 0;
    while (i + 16 <= n) {
        __m128i acc = zero, qacc = zero;
        int k;
        for (k = 0; k < 255 && i + 16 <= n; k++, i += 16) {
            __m128i v = _mm_loadu_si128((const __m128i *)(p + i));
            acc = _mm_sub_epi8(acc, _mm_or_si128(_mm_cmpeq_epi8(v, comma), _mm_cmpeq_epi8(v, lf)));
            qacc = _mm_sub_epi8(qacc, _mm_cmpeq_epi8(v, dq));
        }
        acc = _mm_sad_epu8(acc, zero);
        qacc = _mm_sad_epu8(qacc, zero);
        ends += (size_t)_mm_cvtsi128_si64(acc) + (size_t)_mm_cvtsi128_si64(_mm_unpackhi_epi64(acc, acc));
        *quotes += (size_t)_mm_cvtsi128_si64(qacc) + (size_t)_mm_cvtsi128_si64(_mm_unpackhi_epi64(qacc, qacc));
    }
    for (; i < n; i++) {
        ends += p[i] == ',' || p[i] == '\n';
        *quotes += p[i] == '"';
    }
    return ends;
}

/* The person_id field of every record of the CSV text p[0, n) after the
 * header (quotes as RFC 4180; a record's line breaks inside quotes kept),
 * copied as 18-byte texts into *ids.  RETURN how many. */
static size_t person_ids(const char *p, size_t n, char (**ids)[18])
{
    size_t i = 0, cap = 0, k = 0, col = 0, want = (size_t)-1, fstart = 0;
    int quoted = 0, header = 1;
    *ids = NULL;
    for (i = 0; i <= n; i++) {
        char c = i < n ? p[i] : '\n';
        if (quoted) {
            if (c == '"') quoted = 0;
            continue;
        }
        if (c == '"') { quoted = 1; continue; }
        if (c != ',' && c != '\n') continue;
        if (header && i - fstart == 9 && !memcmp(p + fstart, "person_id", 9)) want = col;
        else if (!header && col == want && i - fstart == 18) {
            if (k == cap) {
                cap = cap ? 2 * cap : 1 << 20;
                if (!(*ids = realloc(*ids, cap * sizeof **ids))) die("ids", "out of memory");
            }
            memcpy((*ids)[k++], p + fstart, 18);
        }
        col++;
        fstart = i + 1;
        if (c == '\n') {
            col = 0;
            header = 0;
        }
    }
    return k;
}

/* An ID's 64-bit key: 17 digits and the check character, never 0. */
static uint64_t id_key(const char *d)
{
    uint64_t k = 0;
    size_t j;
    for (j = 0; j < 17; j++) k = k * 10 + (uint64_t)(d[j] - '0');
    return k * 11 + (uint64_t)(d[17] == 'X' || d[17] == 'x' ? 10 : d[17] - '0') + 1;
}

#define AHEAD 16

/* The resident IDs as 64-bit keys in an open-addressing set, each key's
 * slot asked of the memory AHEAD IDs before it is used.  RETURN how many
 * were seen before. */
static size_t id_set(char (*ids)[18], size_t n)
{
    size_t cap = 1, i, dup = 0, mask;
    uint64_t *t, key[AHEAD];
    size_t slot[AHEAD];
    while (cap < 2 * n) cap <<= 1;
    mask = cap - 1;
    if (!(t = calloc(cap, sizeof *t))) die("ids", "out of memory");
    for (i = 0; i < n + AHEAD; i++) {
        if (i >= AHEAD) {                 /* the ID asked for AHEAD steps ago */
            size_t r = i % AHEAD, j;
            uint64_t k = key[r];
            for (j = slot[r]; t[j] && t[j] != k; j = (j + 1) & mask) {}
            if (t[j]) dup++;
            else t[j] = k;
        }
        if (i < n) {
            size_t r = i % AHEAD;
            key[r] = id_key(ids[i]);
            slot[r] = (size_t)((key[r] * 0x9e3779b97f4a7c15ULL) >> 32) & mask;
            __builtin_prefetch(t + slot[r], 1);
        }
    }
    free(t);
    return dup;
}

/* Columns of report.xlsx's regions sheet. */
#define WORKBOOK_COLS 22

/* The cells of a CSV file without quotes (summary.csv), row by row, each
 * NUL-terminated in place; *ncols from the first line, short rows padded
 * with empty cells. */
static char **split_cells(char *p, size_t n, size_t *ncell, size_t *ncols)
{
    char **v = NULL;
    size_t cap = 0, k = 0, col = 0, i, start = 0;
    *ncols = 0;
    for (i = 0; i <= n; i++) {
        if (i < n && p[i] != ',' && p[i] != '\n') continue;
        if (k == cap) {
            cap = cap ? 2 * cap : 4096;
            if (!(v = realloc(v, cap * sizeof *v))) die("summary.csv", "out of memory");
        }
        if (i == n && start == n && col == 0) break;  /* after the last line feed */
        v[k++] = p + start;
        col++;
        if (i == n || p[i] == '\n') {
            if (!*ncols) *ncols = col;
            if (col != *ncols) die("summary.csv", "rows of different lengths");
            col = 0;
        }
        if (i < n) p[i] = '\0';
        start = i + 1;
    }
    *ncell = k;
    return v;
}

int main(int argc, char **argv)
{
    char path[4096], hex[65];
    table t[64];
    sqlite3 *db;
    sqlite3_stmt *names;
    lxw_workbook *wb;
    lxw_worksheet *ws;
    char *sum, **cells;
    size_t nt = 0, rows = 0, nsum, ncell, ncols, written = 0, ninput, nid, dups;
    char *input, (*ids)[18];
    sha256_ctx sc;
    char *buf, *hh, *fi;
    size_t nhh, nfi, i, ends = 0, quotes = 0;
    ssize_t n;
    int fd;

    if (argc != 4) {
        fprintf(stderr, "usage: floor DATA RUN_DIR SCRATCH_DIR\n");
        return 2;
    }
    if (mkdir(argv[3], 0700) < 0 && errno != EEXIST) die(argv[3], strerror(errno));

    /* sha256 */
    if (!(buf = malloc(1 << 20))) die("buffer", "out of memory");
    if ((fd = open(argv[1], O_RDONLY)) < 0) die(argv[1], strerror(errno));
    start();
    sha256_init(&sc);
    while ((n = read(fd, buf, 1 << 20)) > 0) sha256_update(&sc, (size_t)n, (const uint8_t *)buf);
    if (n < 0) die(argv[1], strerror(errno));
    sha256_final_hex(&sc, hex);
    stop("sha256");
    if (lseek(fd, 0, SEEK_SET) < 0) die(argv[1], strerror(errno));
    start();
    while ((n = read(fd, buf, 1 << 20)) > 0) ends += field_ends(buf, (size_t)n, &quotes);
    if (n < 0) die(argv[1], strerror(errno));
    stop("fields");
    close(fd);

    /* ids */
    input = slurp(argv[1], &ninput);
    nid = person_ids(input, ninput, &ids);
    free(input);
    start();
    dups = id_set(ids, nid);
    stop("ids");
    free(ids);

    /* database */
    snprintf(path, sizeof path, "%s/results.sqlite", argv[2]);
    if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) die(path, sqlite3_errmsg(db));
    if (sqlite3_prepare_v2(db, "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%' ORDER BY rowid",
                           -1, &names, NULL) != SQLITE_OK)
        die(path, sqlite3_errmsg(db));
    while (sqlite3_step(names) == SQLITE_ROW) {
        if (nt == sizeof t / sizeof t[0]) die(path, "too many tables");
        load(db, (const char *)sqlite3_column_text(names, 0), &t[nt++]);
    }
    sqlite3_finalize(names);
    sqlite3_close(db);
    snprintf(path, sizeof path, "%s/results.sqlite", argv[3]);
    unlink(path);
    start();
    if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK
        || sqlite3_exec(db,
                        "PRAGMA page_size=65536; PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF;"
                        "PRAGMA locking_mode=EXCLUSIVE; PRAGMA cache_size=-8192; BEGIN;",
                        NULL, NULL, NULL) != SQLITE_OK)
        die(path, sqlite3_errmsg(db));
    for (i = 0; i < nt; i++) {
        store(db, &t[i]);
        rows += t[i].nrow;
    }
    if (sqlite3_exec(db, "COMMIT;", NULL, NULL, NULL) != SQLITE_OK) die(path, sqlite3_errmsg(db));
    if (sqlite3_close(db) != SQLITE_OK) die(path, "cannot close");
    stop("database");

    /* workbook */
    snprintf(path, sizeof path, "%s/summary.csv", argv[2]);
    sum = slurp(path, &nsum);
    cells = split_cells(sum, nsum, &ncell, &ncols);
    snprintf(path, sizeof path, "%s/report.xlsx", argv[3]);
    start();
    if (!(wb = workbook_new(path)) || !(ws = workbook_add_worksheet(wb, "regions"))) die(path, "cannot create");
    for (i = 0; i < ncell; i++) {
        const char *c = cells[i];
        lxw_row_t r = (lxw_row_t)(i / ncols);
        lxw_col_t k = (lxw_col_t)(i % ncols);
        char *end;
        double v;
        if (!*c || k >= WORKBOOK_COLS) continue;
        v = strtod(c, &end);
        written++;
        if (*end == '\0' && r > 0) worksheet_write_number(ws, r, k, v, NULL);
        else worksheet_write_string(ws, r, k, c, NULL);
    }
    if (workbook_close(wb) != LXW_NO_ERROR) die(path, "cannot write");
    stop("workbook");

    /* write */
    snprintf(path, sizeof path, "%s/households.csv", argv[2]);
    hh = slurp(path, &nhh);
    snprintf(path, sizeof path, "%s/findings.csv", argv[2]);
    fi = slurp(path, &nfi);
    start();
    snprintf(path, sizeof path, "%s/households.csv", argv[3]);
    write_all(path, hh, nhh);
    snprintf(path, sizeof path, "%s/findings.csv", argv[3]);
    write_all(path, fi, nfi);
    stop("write");

    printf("%-9s %6.2f %6.2f\n", "sum", total_cpu, total_wall);
    fprintf(stderr, "floor: %zu field ends (%zu quotes) in the input; %zu resident IDs, %zu seen before; %zu rows in %zu tables in the database; "
            "%zu cells in the workbook; %zu + %zu bytes written\n",
            ends, quotes, nid, dups, rows, nt, written, nhh, nfi);
    return 0;
}
