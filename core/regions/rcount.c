/* rcount.c — rosters.csv's counts per county and roster kind. */
#include "rcount.h"
#include "rindex.h"
#include "sbuf.h"

#include <stdlib.h>
#include <string.h>

static const char *const kind_names[TP_ROSTER_KINDS] = {
    "hukou", "medical", "school", "housing", "assets"
};

struct rcount {
    unsigned kinds;
    rc_county *c;          /* unsorted until rc_sorted */
    size_t n, cap;
    size_t last;           /* the county of the previous household */
    int sorted;
};

const char rc_header[] = "county_code,kind,persons,matched,unmatched,findings\n";

int rc_code_kind(const char *code)
{
    if (strncmp(code, "ROSTER_", 7)) return -1;
    code += 7;
    if (!strcmp(code, "UNINSURED")) return TP_ROSTER_MEDICAL;
    if (!strcmp(code, "NOT_ENROLLED") || !strcmp(code, "SCHOOL_ABSENT")) return TP_ROSTER_SCHOOL;
    if (!strcmp(code, "HOUSING_UNSAFE")) return TP_ROSTER_HOUSING;
    if (!strcmp(code, "DECEASED") || !strcmp(code, "MOVED_OUT")) return TP_ROSTER_HUKOU;
    if (!strcmp(code, "ASSETS")) return TP_ROSTER_ASSETS;
    return -1;
}

rcount *rc_new(unsigned kinds)
{
    rcount *r = calloc(1, sizeof *r);
    if (r) r->kinds = kinds;
    return r;
}

void rc_free(rcount *r)
{
    if (!r) return;
    free(r->c);
    free(r);
}

unsigned rc_kinds(const rcount *r) { return r->kinds; }

/* The county of code (6 characters), created when new.  Counties are few
 * and a run sorted by region meets each in one stretch: a linear search
 * behind a one-entry cache. */
static rc_county *county(rcount *r, const char *code)
{
    size_t i;
    if (r->n && r->last < r->n && !memcmp(r->c[r->last].code, code, 6)) return &r->c[r->last];
    for (i = 0; i < r->n; i++)
        if (!memcmp(r->c[i].code, code, 6)) break;
    if (i == r->n) {
        if (mem_grow((void **)&r->c, &r->cap, r->n + 1, sizeof *r->c) < 0) return NULL;
        memset(&r->c[i], 0, sizeof r->c[i]);
        memcpy(r->c[i].code, code, 6);
        r->n++;
        r->sorted = 0;
    }
    r->last = i;
    return &r->c[i];
}

void rc_facts_of(const hh_eval *e, int stage, rc_facts *f)
{
    size_t i;
    int k, roster_fail = 0, other_fail = 0;
    memset(f, 0, sizeof *f);
    f->persons = (uint32_t)e->view.n_members;
    for (i = 0; i < e->view.n_members; i++) {
        uint64_t v = e->roster ? e->roster[i] : RV_BAD_ID;
        if (v & RV_BAD_ID) continue;
        for (k = 0; k < TP_ROSTER_KINDS; k++) f->matched[k] += (v >> k) & 1;
    }
    for (i = 0; i < e->nf; i++) {
        if (e->f[i].sev == TP_FAIL) {
            if (e->f[i].stage == stage) roster_fail = 1;
            else other_fail = 1;
        }
        if (e->f[i].stage != stage) continue;
        k = rc_code_kind(hh_finding_code(e, &e->f[i]));
        if (k >= 0) f->findings[k]++;
    }
    f->changed = roster_fail && !other_fail;
}

int rc_add_facts(rcount *r, const char *region_code, const rc_facts *f)
{
    rc_county *c = county(r, region_code);
    int k;
    if (!c) return -1;
    c->persons += f->persons;
    for (k = 0; k < TP_ROSTER_KINDS; k++) {
        c->matched[k] += f->matched[k];
        c->findings[k] += f->findings[k];
    }
    if (f->changed) {
        c->changed++;
        c->changed_persons += f->persons;
    }
    return 0;
}

int rc_add(rcount *r, const hh_eval *e, int stage)
{
    rc_facts f;
    rc_facts_of(e, stage, &f);
    return rc_add_facts(r, e->view.region_code, &f);
}

int rc_add_counts(rcount *r, const char *code, int kind, unsigned kinds_given, uint64_t persons,
                  uint64_t matched, uint64_t findings)
{
    rc_county *c;
    if (strlen(code) != 6 || kind < 0 || kind >= TP_ROSTER_KINDS || !(c = county(r, code))) return -1;
    /* every kind's row repeats the county's persons: count them once, on
     * the first kind the run was given */
    if (!(kinds_given & ((1u << kind) - 1))) c->persons += persons;
    r->kinds |= 1u << kind;
    c->matched[kind] += matched;
    c->findings[kind] += findings;
    return 0;
}

int rc_add_changed(rcount *r, const char *code, uint64_t households, uint64_t persons)
{
    rc_county *c;
    if (strlen(code) != 6 || !(c = county(r, code))) return -1;
    c->changed += households;
    c->changed_persons += persons;
    return 0;
}

static int cmp_county(const void *a, const void *b)
{
    return memcmp(((const rc_county *)a)->code, ((const rc_county *)b)->code, 6);
}

const rc_county *rc_sorted(rcount *r, size_t *n)
{
    if (!r->sorted && r->n) qsort(r->c, r->n, sizeof *r->c, cmp_county);
    r->sorted = 1;
    r->last = 0;
    *n = r->n;
    return r->c;
}

const rc_county *rc_counties(const rcount *r, size_t *n)
{
    *n = r->n;
    return r->c;
}

/* qsort has no context argument; the reports are written by one thread. */
static const rc_county *sort_base;

static int cmp_changed(const void *a, const void *b)
{
    const rc_county *x = &sort_base[*(const size_t *)a], *y = &sort_base[*(const size_t *)b];
    if (x->changed != y->changed) return x->changed > y->changed ? -1 : 1;
    return memcmp(x->code, y->code, 6);
}

size_t *rc_changed_first(const rcount *r, size_t *n)
{
    size_t i, *idx = malloc((r->n ? r->n : 1) * sizeof *idx);
    *n = r->n;
    if (!idx) return NULL;
    for (i = 0; i < r->n; i++) idx[i] = i;
    sort_base = r->c;
    qsort(idx, r->n, sizeof *idx, cmp_changed);
    return idx;
}

const char *rc_kind_name(int kind)
{
    return kind >= 0 && kind < TP_ROSTER_KINDS ? kind_names[kind] : "?";
}

int rc_write(rcount *r, FILE *f)
{
    size_t n, i;
    const rc_county *c = rc_sorted(r, &n);
    int k;
    fputs(rc_header, f);
    for (i = 0; i < n; i++)
        for (k = 0; k < TP_ROSTER_KINDS; k++) {
            if (!(r->kinds & 1u << k)) continue;
            fprintf(f, "%s,%s,%llu,%llu,%llu,%llu\n", c[i].code, kind_names[k],
                    (unsigned long long)c[i].persons, (unsigned long long)c[i].matched[k],
                    (unsigned long long)(c[i].persons - c[i].matched[k]),
                    (unsigned long long)c[i].findings[k]);
        }
    return ferror(f) ? -1 : 0;
}
