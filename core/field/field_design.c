/* field_design.c — the frame, the random numbers and the two-stage draw of
 * standard §9.1, with exact weights.
 *
 * Why the frame is sorted: the households table of a run is in input order,
 * and the same data may come in another order (a re-export, a merge of
 * shards).  The draw works on the frame sorted by region code and household
 * id (bytes), so it depends only on which households there are, never on
 * their order or on how many threads the run used. */
#define _POSIX_C_SOURCE 200809L
#include "field_design.h"
#include "household.h"
#include "i18n.h"
#include "output.h"
#include "fail.h"
#include "resultsdb.h"
#include "sbuf.h"
#include "sha256.h"
#include "values.h"

#include <errno.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

const char *const fd_domain_names[FD_NDOMAINS] = { "registered", "general" };

/* ---- random numbers ------------------------------------------------------------ */

static uint64_t fnv1a64(const char *s)
{
    uint64_t h = 0xcbf29ce484222325ULL;
    for (; *s; s++) {
        h ^= (unsigned char)*s;
        h *= 0x100000001b3ULL;
    }
    return h;
}

void fd_rng_init(fd_rng *r, uint64_t seed, const char *label)
{
    r->s = seed ^ fnv1a64(label);
}

uint64_t fd_rng_next(fd_rng *r)
{
    uint64_t z = (r->s += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

uint64_t fd_rng_below(fd_rng *r, uint64_t k)
{
    /* 2^64 mod k, computed without 128-bit arithmetic: (2^64 - k) mod k. */
    uint64_t floor = (0 - k) % k, x;
    do x = fd_rng_next(r); while (x < floor);
    return x % k;
}

void fd_shuffle_prefix(fd_rng *r, uint32_t *v, size_t n, size_t from, size_t k)
{
    size_t i;
    if (k > n) k = n;
    for (i = from; i < k; i++) {
        size_t j = i + (size_t)fd_rng_below(r, (uint64_t)(n - i));
        uint32_t t = v[i];
        v[i] = v[j];
        v[j] = t;
    }
}

/* ---- the frame --------------------------------------------------------------- */

struct fd_arena {
    struct fd_arena *next;
    size_t used, cap;
    char data[];
};

static char *arena_dup(fd_frame *f, const char *s, size_t n)
{
    struct fd_arena *a = f->arena;
    char *p;
    if (!a || a->cap - a->used < n + 1) {
        size_t cap = n + 1 > (1u << 20) ? n + 1 : (1u << 20);
        if (!(a = malloc(sizeof *a + cap))) return NULL;
        a->next = f->arena;
        a->used = 0;
        a->cap = cap;
        f->arena = a;
    }
    p = a->data + a->used;
    memcpy(p, s, n);
    p[n] = '\0';
    a->used += n + 1;
    return p;
}

static int hh_cmp(const void *pa, const void *pb)
{
    const fd_household *a = pa, *b = pb;
    int c = memcmp(a->region, b->region, 12);
    return c ? c : strcmp(a->id, b->id);
}

/* The frame's fingerprint: SHA-256 of one line per household in frame
 * order, "region_code,household_id,status,members,assessment\n". */
static void frame_sha(fd_frame *f)
{
    sha256_ctx c;
    char num[24];
    size_t i;
    sha256_init(&c);
    for (i = 0; i < f->n; i++) {
        const fd_household *h = &f->h[i];
        const char *st = val_status_name((tp_status)h->status);
        const char *as = hh_assessment_name((hh_assessment)h->assessment);
        sha256_update(&c, 12, (const uint8_t *)h->region);
        sha256_update(&c, 1, (const uint8_t *)",");
        sha256_update(&c, strlen(h->id), (const uint8_t *)h->id);
        sha256_update(&c, 1, (const uint8_t *)",");
        sha256_update(&c, strlen(st), (const uint8_t *)st);
        snprintf(num, sizeof num, ",%u,", (unsigned)h->members);
        sha256_update(&c, strlen(num), (const uint8_t *)num);
        sha256_update(&c, strlen(as), (const uint8_t *)as);
        sha256_update(&c, 1, (const uint8_t *)"\n");
    }
    sha256_final_hex(&c, f->sha256);
}

static int finish_frame(fd_frame *f)
{
    size_t i;
    if (f->n > 1) qsort(f->h, f->n, sizeof *f->h, hh_cmp);
    for (i = 0; i < f->n; i++)
        f->h[i].domain = f->h[i].status == TP_STATUS_GENERAL ? FD_GENERAL : FD_REGISTERED;
    frame_sha(f);
    return 0;
}

static void default_thresholds(fd_frame *f)
{
    f->incidence_max = 20000;
    f->incidence_max_western = 30000;
    f->wrong_exit_max = 20000;
    f->missed_max = 20000;
    f->satisfaction_min = 900000;
}

int fd_frame_set(fd_frame *f, const fd_household *h, size_t n)
{
    size_t i;
    memset(f, 0, sizeof *f);
    default_thresholds(f);
    if (!(f->h = malloc((n ? n : 1) * sizeof *f->h))) return -1;
    for (i = 0; i < n; i++) {
        f->h[i] = h[i];
        if (!(f->h[i].id = arena_dup(f, h[i].id, strlen(h[i].id)))) return -1;
    }
    f->n = n;
    return finish_frame(f);
}

void fd_frame_free(fd_frame *f)
{
    size_t i;
    while (f->arena) {
        struct fd_arena *a = f->arena;
        f->arena = a->next;
        free(a);
    }
    for (i = 0; i < f->nparams; i++) {
        free(f->param_names[i]);
        free(f->param_values[i]);
    }
    free(f->param_names);
    free(f->param_values);
    free(f->h);
    free(f->pipeline);
    free(f->input_path);
    memset(f, 0, sizeof *f);
}

static int assessment_of(const char *t)
{
    int i;
    for (i = HH_CAN_EXIT; i <= HH_NOT_POOR; i++)
        if (!strcmp(t, hh_assessment_name((hh_assessment)i))) return i;
    return -1;
}

int fd_household_row(sqlite3_stmt *s, fd_household *h)
{
    const char *id = (const char *)sqlite3_column_text(s, 0);
    const char *reg = (const char *)sqlite3_column_text(s, 1);
    const char *stt = (const char *)sqlite3_column_text(s, 2);
    const char *as = (const char *)sqlite3_column_text(s, 4);
    tp_status status;
    int a;
    memset(h, 0, sizeof *h);
    if (!id || !reg || !stt || !as || strlen(reg) != 12 || val_status(stt, &status) < 0
        || (a = assessment_of(as)) < 0)
        return -1;
    h->id = id;
    memcpy(h->region, reg, 13);
    h->status = (uint8_t)status;
    h->assessment = (uint8_t)a;
    h->members = (uint32_t)sqlite3_column_int64(s, 3);
    h->satisfied = (int8_t)(sqlite3_column_type(s, 5) == SQLITE_NULL ? -1 : sqlite3_column_int(s, 5) != 0);
    return 0;
}

static char *col_dup(sqlite3_stmt *s, int i)
{
    const unsigned char *t = sqlite3_column_text(s, i);
    return t ? strdup((const char *)t) : NULL;
}

static int read_params(fd_frame *f, sqlite3 *db)
{
    sqlite3_stmt *s = NULL;
    size_t cap = 0;
    if (sqlite3_prepare_v2(db, "SELECT name, value FROM params ORDER BY name", -1, &s, NULL) != SQLITE_OK)
        return 0;                          /* an old database: defaults */
    while (sqlite3_step(s) == SQLITE_ROW) {
        const char *name = (const char *)sqlite3_column_text(s, 0);
        const char *value = (const char *)sqlite3_column_text(s, 1);
        int64_t v;
        if (!name || !value) continue;
        if (f->nparams == cap) {
            size_t nc = cap ? 2 * cap : 32;
            char **a = realloc(f->param_names, nc * sizeof *a), **b;
            if (!a) goto oom;
            f->param_names = a;
            if (!(b = realloc(f->param_values, nc * sizeof *b))) goto oom;
            f->param_values = b;
            cap = nc;
        }
        if (!(f->param_names[f->nparams] = strdup(name))) goto oom;
        if (!(f->param_values[f->nparams] = strdup(value))) {
            free(f->param_names[f->nparams]);
            goto oom;
        }
        f->nparams++;
        if (val_decimal(value, 6, &v) < 0) continue;
        if (!strcmp(name, "incidence_max")) f->incidence_max = v;
        else if (!strcmp(name, "incidence_max_western")) f->incidence_max_western = v;
        else if (!strcmp(name, "wrong_exit_max")) f->wrong_exit_max = v;
        else if (!strcmp(name, "missed_max")) f->missed_max = v;
        else if (!strcmp(name, "satisfaction_min")) f->satisfaction_min = v;
    }
    sqlite3_finalize(s);
    return 0;
oom:
    sqlite3_finalize(s);
    return -1;
}

int fd_frame_load(fd_frame *f, const char *run_dir, char *err, size_t errlen)
{
    sqlite3 *db = NULL;
    sqlite3_stmt *s = NULL;
    char *file = NULL;
    size_t cap = 0;
    int rc = -1, step;

    memset(f, 0, sizeof *f);
    default_thresholds(f);
    if (rdb_open_run(run_dir, &db, &file, err, errlen) < 0) goto out;
    if (sqlite3_prepare_v2(db, "SELECT quarter, input_path, input_sha256, pipeline FROM run", -1, &s, NULL)
        != SQLITE_OK) {
        fail_db(db, file, _("not a tuopin results database (no run record)"), err, errlen);
        goto out;
    }
    if (sqlite3_step(s) != SQLITE_ROW) {
        snprintf(err, errlen, _("%s: the run record is empty (an unfinished run?)"), file);
        goto out;
    }
    snprintf(f->quarter, sizeof f->quarter, "%s",
             sqlite3_column_text(s, 0) ? (const char *)sqlite3_column_text(s, 0) : "");
    f->input_path = col_dup(s, 1);
    snprintf(f->input_sha256, sizeof f->input_sha256, "%s",
             sqlite3_column_text(s, 2) ? (const char *)sqlite3_column_text(s, 2) : "");
    f->pipeline = col_dup(s, 3);
    sqlite3_finalize(s);
    s = NULL;
    if (read_params(f, db) < 0) goto oom;
    if (sqlite3_prepare_v2(db, FD_HOUSEHOLDS_SELECT, -1, &s, NULL) != SQLITE_OK) {
        fail_db(db, file, _("cannot read households"), err, errlen);
        goto out;
    }
    while ((step = sqlite3_step(s)) == SQLITE_ROW) {
        fd_household row;
        if (fd_household_row(s, &row) < 0) {
            snprintf(err, errlen, _("%s: household %zu: unreadable row"), file, f->n + 1);
            goto out;
        }
        if (mem_grow((void **)&f->h, &cap, f->n + 1, sizeof *f->h) < 0) goto oom;
        if (!(row.id = arena_dup(f, row.id, (size_t)sqlite3_column_bytes(s, 0)))) goto oom;
        f->h[f->n++] = row;
    }
    if (step != SQLITE_DONE) {
        fail_db(db, file, _("cannot read households"), err, errlen);
        goto out;
    }
    finish_frame(f);
    rc = 0;
    goto out;
oom:
    snprintf(err, errlen, _("out of memory"));
out:
    sqlite3_finalize(s);
    if (db) sqlite3_close(db);
    free(file);
    if (rc < 0) fd_frame_free(f);
    return rc;
}

/* ---- the design ------------------------------------------------------------------ */

void fd_params_default(fd_params *p)
{
    memset(p, 0, sizeof *p);
    p->seed = 1;
    p->villages_per_county = 6;
    p->households_per_domain = 10;
    p->reserve_per_domain = 3;
}

void fd_design_free(fd_design *d)
{
    MEM_RELEASE(d, d->counties, d->villages, d->units, d->reserves);
}

/* Within a village the frame is sorted by id, so frame index order is id
 * order. */
static int unit_cmp(const void *pa, const void *pb)
{
    const fd_unit *a = pa, *b = pb;
    if (a->village != b->village) return a->village < b->village ? -1 : 1;
    if (a->domain != b->domain) return a->domain < b->domain ? -1 : 1;
    if (a->rank != b->rank) return a->rank < b->rank ? -1 : 1;
    return a->hh < b->hh ? -1 : a->hh > b->hh;
}

static int certain_cmp(const void *key, const void *e)
{
    return strcmp((const char *)key, ((const fd_certain *)e)->code);
}

static int certain_sort(const void *a, const void *b)
{
    return strcmp(((const fd_certain *)a)->code, ((const fd_certain *)b)->code);
}

int fd_certainty_load(fd_params *p, const char *run_dir, char *err, size_t errlen)
{
    char path[4096], line[4096];
    FILE *fp;
    int cv = -1, cr = -1;
    size_t cap = 0, lineno = 0;
    p->certain = NULL;
    p->ncertain = 0;
    if (!p->certainty_k) return 0;
    snprintf(path, sizeof path, "%s/quality.csv", run_dir);
    if (!(fp = fopen(path, "r"))) {
        snprintf(err, errlen, _("%s: cannot read the village ranks for --certainty quality:K: %s (a run of "
                                "this tuopin writes it)"), path, strerror(errno));
        return -1;
    }
    while (fgets(line, sizeof line, fp)) {
        char *f, *next;
        int col = 0;
        const char *code = NULL, *rank = NULL;
        lineno++;
        line[strcspn(line, "\r\n")] = '\0';
        if (lineno == 1 && !memcmp(line, OUT_UTF8_BOM, 3))   /* quality.csv begins with it (output.h) */
            memmove(line, line + 3, strlen(line + 3) + 1);
        /* fields split at every comma, empty ones kept (no field of the two
         * read is quoted) */
        for (f = line; f; f = next, col++) {
            if ((next = strchr(f, ','))) *next++ = '\0';
            if (lineno == 1) {
                if (!strcmp(f, "village_code")) cv = col;
                if (!strcmp(f, "rank")) cr = col;
            } else if (col == cv) {
                code = f;
            } else if (col == cr) {
                rank = f;
            }
        }
        if (lineno == 1) {
            if (cv < 0 || cr < 0) break;
            continue;
        }
        if (!code || !rank || strlen(code) != 12 || strspn(rank, "0123456789") != strlen(rank) || !rank[0]) {
            snprintf(err, errlen, _("%s:%zu: not a village row of quality.csv"), path, lineno);
            fclose(fp);
            free(p->certain);
            p->certain = NULL;
            p->ncertain = 0;
            return -1;
        }
        if (strtoul(rank, NULL, 10) > p->certainty_k) continue;
        if (mem_grow((void **)&p->certain, &cap, p->ncertain + 1, sizeof *p->certain) < 0) {
            snprintf(err, errlen, _("out of memory"));
            fclose(fp);
            free(p->certain);
            p->certain = NULL;
            p->ncertain = 0;
            return -1;
        }
        memcpy(p->certain[p->ncertain].code, code, 13);
        p->certain[p->ncertain++].rank = (uint32_t)strtoul(rank, NULL, 10);
    }
    fclose(fp);
    if (cv < 0 || cr < 0) {
        snprintf(err, errlen, _("%s: no village_code and rank columns: not a quality.csv"), path);
        free(p->certain);
        p->certain = NULL;
        p->ncertain = 0;
        return -1;
    }
    if (p->ncertain > 1) qsort(p->certain, p->ncertain, sizeof *p->certain, certain_sort);
    return 0;
}

static int push_unit(fd_unit **v, size_t *n, size_t *cap, fd_unit u)
{
    if (mem_grow((void **)v, cap, *n + 1, sizeof **v) < 0) return -1;
    (*v)[(*n)++] = u;
    return 0;
}

int fd_draw(const fd_frame *f, const fd_params *p, fd_design *d)
{
    size_t i, j, vcap = 0, ccap = 0, ucap = 0, rcap = 0, maxv = 0, maxh = 0;
    uint32_t *idx = NULL;
    char label[64];
    fd_rng r;

    memset(d, 0, sizeof *d);
    d->p = *p;
    /* villages and counties: runs of equal prefixes in the sorted frame */
    for (i = 0; i < f->n; i = j) {
        fd_village *v;
        for (j = i; j < f->n && !memcmp(f->h[j].region, f->h[i].region, 12); j++)
            ;
        if (mem_grow((void **)&d->villages, &vcap, d->nvillages + 1, sizeof *d->villages) < 0) goto oom;
        v = &d->villages[d->nvillages];
        memset(v, 0, sizeof *v);
        memcpy(v->code, f->h[i].region, 12);
        v->first = i;
        v->count = j - i;
        if (j - i > maxh) maxh = j - i;
        for (size_t k = i; k < j; k++) v->N[f->h[k].domain]++;
        if (!d->ncounties || memcmp(d->counties[d->ncounties - 1].code, v->code, 6)) {
            fd_county *c;
            if (mem_grow((void **)&d->counties, &ccap, d->ncounties + 1, sizeof *d->counties) < 0) goto oom;
            c = &d->counties[d->ncounties++];
            memset(c, 0, sizeof *c);
            memcpy(c->code, v->code, 6);
            c->first_village = d->nvillages;
        }
        v->county = (uint32_t)(d->ncounties - 1);
        d->counties[d->ncounties - 1].nvillages++;
        d->counties[d->ncounties - 1].M++;
        d->nvillages++;
    }
    for (i = 0; i < d->ncounties; i++)
        if (d->counties[i].nvillages > maxv) maxv = d->counties[i].nvillages;
    if (!(idx = malloc(((maxv > maxh ? maxv : maxh) + 1) * sizeof *idx))) goto oom;

    for (i = 0; i < d->ncounties; i++) {
        fd_county *c = &d->counties[i];
        size_t k, nv = 0, m;
        /* Certainty villages: their own strata, all taken. */
        for (k = 0; k < c->nvillages; k++) {
            fd_village *v = &d->villages[c->first_village + k];
            const fd_certain *ce = p->ncertain ? bsearch(v->code, p->certain, p->ncertain, sizeof *p->certain,
                                                         certain_cmp) : NULL;
            if (ce) {
                v->certain_rank = ce->rank;
                v->sampled = 1;
                c->certain++;
            } else {
                idx[nv++] = (uint32_t)k;
            }
        }
        c->M = (uint32_t)nv;
        m = c->M < p->villages_per_county ? c->M : p->villages_per_county;
        /* Stage 1: the other villages in code order, m of them drawn. */
        snprintf(label, sizeof label, "villages:%s", c->code);
        fd_rng_init(&r, p->seed, label);
        fd_shuffle_prefix(&r, idx, nv, 0, m);
        for (k = 0; k < m; k++) d->villages[c->first_village + idx[k]].sampled = 1;
        c->m = (uint32_t)m;
    }
    for (i = 0; i < d->nvillages; i++) {
        fd_village *v = &d->villages[i];
        int dom;
        if (!v->sampled) continue;
        for (dom = 0; dom < FD_NDOMAINS; dom++) {
            size_t k, cnt = 0, n;
            for (k = v->first; k < v->first + v->count; k++)
                if (f->h[k].domain == dom) idx[cnt++] = (uint32_t)k;
            n = cnt < p->households_per_domain ? cnt : p->households_per_domain;
            v->n[dom] = (uint32_t)n;
            /* Stage 2: the domain's households in id order, n drawn, then
             * the reserves as the same permutation continued. */
            snprintf(label, sizeof label, "households:%s:%s", v->code, fd_domain_names[dom]);
            fd_rng_init(&r, p->seed, label);
            fd_shuffle_prefix(&r, idx, cnt, 0, n);
            fd_shuffle_prefix(&r, idx, cnt, n, n + p->reserve_per_domain);
            for (k = 0; k < cnt && k < n + p->reserve_per_domain; k++) {
                fd_unit u;
                u.hh = idx[k];
                u.village = (uint32_t)i;
                u.domain = (uint8_t)dom;
                u.rank = k < n ? 0 : (uint32_t)(k - n + 1);
                if (k < n ? push_unit(&d->units, &d->nunits, &ucap, u) < 0
                          : push_unit(&d->reserves, &d->nreserves, &rcap, u) < 0)
                    goto oom;
            }
        }
    }
    if (d->nunits > 1) qsort(d->units, d->nunits, sizeof *d->units, unit_cmp);
    if (d->nreserves > 1) qsort(d->reserves, d->nreserves, sizeof *d->reserves, unit_cmp);
    free(idx);
    return 0;
oom:
    free(idx);
    fd_design_free(d);
    return -1;
}

static uint64_t gcd64(uint64_t a, uint64_t b)
{
    while (b) {
        uint64_t t = a % b;
        a = b;
        b = t;
    }
    return a;
}

int fd_weight(const fd_design *d, const fd_unit *u, uint64_t *num, uint64_t *den)
{
    const fd_village *v = &d->villages[u->village];
    const fd_county *c = &d->counties[v->county];
    uint64_t a = c->M, b = c->m, x = v->N[u->domain], y = v->n[u->domain], g;
    if (v->certain_rank) a = b = 1;   /* its own stratum, inclusion probability 1 */
    if (!b || !y) return -1;
    g = gcd64(a, b); a /= g; b /= g;
    g = gcd64(x, y); x /= g; y /= g;
    g = gcd64(a, y); a /= g; y /= g;
    g = gcd64(x, b); x /= g; b /= g;
    *num = a * x;      /* villages and households fit in 32 bits: no overflow */
    *den = b * y;
    return 0;
}

void fd_format_fraction(uint64_t num, uint64_t den, char *buf, size_t len)
{
    /* 12 decimals: q = floor((num * 10^12 * 2 + den) / (2 den)), in 128 bits */
    unsigned __int128 q = ((unsigned __int128)num * 1000000000000ULL * 2 + den) / ((unsigned __int128)den * 2);
    uint64_t ip = (uint64_t)(q / 1000000000000ULL), fp = (uint64_t)(q % 1000000000000ULL);
    char frac[16];
    int k;
    snprintf(frac, sizeof frac, "%012llu", (unsigned long long)fp);
    for (k = 11; k >= 0 && frac[k] == '0'; k--) frac[k] = '\0';
    if (frac[0]) snprintf(buf, len, "%llu.%s", (unsigned long long)ip, frac);
    else snprintf(buf, len, "%llu", (unsigned long long)ip);
}

int fd_sample_csv(const fd_frame *f, const fd_design *d, char **out, size_t *len)
{
    sbuf b;
    size_t i;
    memset(&b, 0, sizeof b);
    sb_str(&b, "household_id,county_code,village_code,domain,M,m,N,n,weight\n");
    for (i = 0; i < d->nunits; i++) {
        const fd_unit *u = &d->units[i];
        const fd_village *v = &d->villages[u->village];
        const fd_county *c = &d->counties[v->county];
        uint64_t num, den;
        char w[48], row[160];
        if (fd_weight(d, u, &num, &den) < 0) continue;
        fd_format_fraction(num, den, w, sizeof w);
        sb_csv_str(&b, f->h[u->hh].id);
        snprintf(row, sizeof row, ",%s,%s,%s,%u,%u,%u,%u,%s\n", c->code, v->code, fd_domain_names[u->domain],
                 v->certain_rank ? 1u : (unsigned)c->M, v->certain_rank ? 1u : (unsigned)c->m,
                 (unsigned)v->N[u->domain], (unsigned)v->n[u->domain], w);
        sb_str(&b, row);
    }
    sb_chr(&b, '\0');                 /* a C string too (the length excludes it) */
    if (b.oom) {
        sb_free(&b);
        return -1;
    }
    *out = b.p;
    *len = b.n - 1;
    return 0;
}
