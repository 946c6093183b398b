/* aggregate.c — counts per region at every level in one pass, the county
 * exit decision of standard §5 and the Alkire–Foster view of §6.  The files
 * that show them are written by core/outputs (region_outputs.c,
 * report_html.c, report_xlsx.c) from the same tables.
 *
 * Exactness: every threshold comparison is x / y ≥ t  ⇔  x × 10^6 ≥ t × y
 * in 128-bit integers; displayed rates are rounded half up to 4 decimals by
 * integer division.  No floating point decides anything here. */
#include "agg_internal.h"
#include "rnames.h"
#include "params.h"
#include "i18n.h"
#include "hash.h"
#include "sbuf.h"

#include <stdlib.h>
#include <string.h>

const char *const agg_level_names[AGG_NLEVELS] = {
    "national", "province", "city", "county", "town", "village"
};
const char *const agg_level_zh[AGG_NLEVELS] = { "全国", "省", "市", "县", "乡镇", "村" };
const int agg_level_digits[AGG_NLEVELS] = { 0, 2, 4, 6, 9, 12 };
const char *const agg_dim_names[AGG_NDIMS] = {
    "income", "food_clothing", "education", "medical", "housing", "water"
};
const char *const agg_dim_zh[AGG_NDIMS] = { "收入", "吃穿", "义务教育", "基本医疗", "住房安全", "饮水安全" };
const char *const agg_reason_names[AGG_NREASONS] = {
    "INCIDENCE_HIGH", "WRONG_EXIT_HIGH", "MISSED_HIGH", "SATISFACTION_LOW",
    "NO_EXITED_SAMPLE", "NO_GENERAL_SAMPLE"
};
const char *const agg_reason_zh[AGG_NREASONS] = {
    "贫困发生率超标", "错退率超标", "漏评率超标", "群众认可度不足", "无脱贫户样本", "无一般户样本"
};
const char *const agg_decision_names[3] = { "meets", "fails", "incomplete" };
const char *const agg_decision_zh[3] = { "达到退出标准", "未达到退出标准", "样本不全" };
const char *const agg_status_zh[AGG_NSTATUS] = { "贫困户", "脱贫户", "一般户" };
const char *const agg_assess_zh[AGG_NASSESS] = {
    "可以脱贫", "仍未脱贫", "确认脱贫", "错退", "漏评", "无法核实", "非贫困"
};

/* Defaults are the standard's (§5, §6).  k is a fraction of two whole
 * numbers because its default, 1/3, has no exact decimal form; weights are
 * whole numbers, renormalised over the dimensions present. */
/* A rate threshold between 0 and 1, and the weight of an AF dimension. */
#define RATE_PARAM(n, def, desc) \
    { .name = (n), .type = TP_PARAM_RATIO, .default_value = (def), .min = "0", .max = "1", .description = (desc) }
#define AF_WEIGHT(dim, desc) \
    { .name = "af_weight_" dim, .type = TP_PARAM_INT, .default_value = "1", .min = "0", .max = "1000", .description = (desc) }

const tp_param_decl agg_param_decls[] = {
    RATE_PARAM("incidence_max", "0.02",
               "county fails when incidence (poor after assessment / persons) is at least this (non-western)"),
    RATE_PARAM("incidence_max_western", "0.03", "the same for western provinces (15 45 50 51 52 53 54 61 62 63 64 65)"),
    RATE_PARAM("wrong_exit_max", "0.02",
               "county fails when persons wrongly exited / persons in exited households is at least this"),
    RATE_PARAM("missed_max", "0.02", "county fails when persons missed / persons in general households is at least this"),
    RATE_PARAM("satisfaction_min", "0.90", "county fails when households satisfied / households answering is below this"),
    { .name = "af_k_num", .type = TP_PARAM_INT, .default_value = "1", .min = "1", .max = "1000000",
      .description = "Alkire-Foster cut-off k = af_k_num / af_k_den of the weighted deprivation share" },
    { .name = "af_k_den", .type = TP_PARAM_INT, .default_value = "3", .min = "1", .max = "1000000", .description = "see af_k_num" },
    AF_WEIGHT("income", "Alkire-Foster weight of income"), AF_WEIGHT("food_clothing", "weight of food_clothing"),
    AF_WEIGHT("education", "weight of education"), AF_WEIGHT("medical", "weight of medical"),
    AF_WEIGHT("housing", "weight of housing"), AF_WEIGHT("water", "weight of water"),
    { .name = NULL }
};

/* ---- exact arithmetic ------------------------------------------------------ */

typedef unsigned __int128 u128;

int64_t agg_rate_e4(u128 x, u128 y)
{
    if (y == 0) return -1;
    /* round half up: floor((2 × 10^4 × x + y) / 2y) */
    return (int64_t)((x * 20000u + y) / (2 * y));
}

void agg_fmt_rate(u128 x, u128 y, char *buf)
{
    int64_t v = agg_rate_e4(x, y);
    if (v < 0) { buf[0] = '\0'; return; }
    snprintf(buf, 32, "%lld.%04lld", (long long)(v / 10000), (long long)(v % 10000));
}

int agg_ratio_ge(uint64_t x, uint64_t y, int64_t t)
{
    return (u128)x * 1000000u >= (u128)(uint64_t)t * y;
}

int agg_is_western(const char *code)
{
    static const char *const west[] = { "15", "45", "50", "51", "52", "53", "54",
                                        "61", "62", "63", "64", "65" };
    size_t i;
    if (!code[0] || !code[1]) return 0;
    for (i = 0; i < sizeof west / sizeof west[0]; i++)
        if (code[0] == west[i][0] && code[1] == west[i][1]) return 1;
    return 0;
}

uint64_t agg_persons(const agg_region *r)
{
    return r->persons_status[0] + r->persons_status[1] + r->persons_status[2];
}

uint64_t agg_households(const agg_region *r)
{
    return r->hh_status[0] + r->hh_status[1] + r->hh_status[2];
}

uint64_t agg_poor_after(const agg_region *r)
{
    return r->persons_assess[HH_REMAINS_POOR] + r->persons_assess[HH_WRONGLY_EXITED]
         + r->persons_assess[HH_MISSED];
}

const agg_region *agg_next_county(const agg *a, const size_t *order, size_t *i, agg_county *c)
{
    while (*i < a->nr) {
        const agg_region *r = &a->r[order[(*i)++]];
        if (r->level != AGG_COUNTY) continue;
        agg_county_eval(a, r, c);
        return r;
    }
    return NULL;
}

void agg_county_eval(const agg *a, const agg_region *r, agg_county *c)
{
    memset(c, 0, sizeof *c);
    c->r = r;
    c->western = agg_is_western(r->code);
    c->persons = agg_persons(r);
    c->poor_after = agg_poor_after(r);
    c->exited = r->persons_status[TP_STATUS_EXITED];
    c->wrongly_exited = r->persons_assess[HH_WRONGLY_EXITED];
    c->general = r->persons_status[TP_STATUS_GENERAL];
    c->missed = r->persons_assess[HH_MISSED];
    if (a->has_satisfied) {
        c->sat_yes = r->sat_yes;
        c->sat_answered = r->sat_yes + r->sat_no;
    }
    if (c->persons && agg_ratio_ge(c->poor_after, c->persons,
                                   c->western ? a->incidence_max_western : a->incidence_max))
        c->reasons |= AGG_R_INCIDENCE_HIGH;
    if (c->exited && agg_ratio_ge(c->wrongly_exited, c->exited, a->wrong_exit_max))
        c->reasons |= AGG_R_WRONG_EXIT_HIGH;
    if (c->general && agg_ratio_ge(c->missed, c->general, a->missed_max))
        c->reasons |= AGG_R_MISSED_HIGH;
    /* satisfaction < min  ⇔  not (yes / answered ≥ min) */
    if (c->sat_answered && !agg_ratio_ge(c->sat_yes, c->sat_answered, a->satisfaction_min))
        c->reasons |= AGG_R_SATISFACTION_LOW;
    if (!c->exited) c->reasons |= AGG_R_NO_EXITED_SAMPLE;
    if (!c->general) c->reasons |= AGG_R_NO_GENERAL_SAMPLE;
    c->decision = (c->reasons & 0x0Fu) ? AGG_FAILS : (c->reasons & 0x30u) ? AGG_INCOMPLETE : AGG_MEETS;
}

/* Persons-weighted AF ratios.  With W the sum of the present weights and a
 * poor person's score s (the weight of the dimensions she is deprived in):
 * H = q / n, A = Σs / (q W), M0 = Σs / (n W), contribution of d =
 * w_d × censored_d / Σs. */
void agg_af_h(const agg *a, const agg_region *r, u128 *x, u128 *y)
{
    *x = r->af_poor;
    *y = a->wsum ? agg_persons(r) : 0;
}

void agg_af_a(const agg *a, const agg_region *r, u128 *x, u128 *y)
{
    *x = r->af_score;
    *y = (u128)r->af_poor * (uint64_t)a->wsum;
}

void agg_af_m0(const agg *a, const agg_region *r, u128 *x, u128 *y)
{
    *x = r->af_score;
    *y = (u128)agg_persons(r) * (uint64_t)a->wsum;
}

void agg_af_contrib(const agg *a, const agg_region *r, int d, u128 *x, u128 *y)
{
    *x = (u128)r->af_cens[d] * (uint64_t)a->weight[d];
    *y = a->dim_present[d] ? r->af_score : 0;
}

const agg_region *agg_national(const agg *a) { return &a->r[0]; }

/* ---- regions and codes ------------------------------------------------------- */

/* The index of the region with the first `digits` digits of code at `level`,
 * created when new.  RETURN 0, or -1 out of memory. */
static int region_at(agg *a, const char *code, int level, size_t *idx)
{
    int digits = agg_level_digits[level], i;
    uint64_t num = 0, key, h;
    htab_iter it;
    agg_region *r;
    for (i = 0; i < digits; i++) num = num * 10 + (uint64_t)(code[i] - '0');
    key = num * 8 + (uint64_t)level;
    h = hash_mix(key);
    for (htab_probe(&a->rhash, h, &it); htab_next(&a->rhash, &it, idx);)
        if (a->r[*idx].key == key) return 0;
    if (mem_grow((void **)&a->r, &a->rcap, a->nr + 1, sizeof *a->r) < 0) return -1;
    r = &a->r[a->nr];
    memset(r, 0, sizeof *r);
    r->key = key;
    r->level = (unsigned char)level;
    memcpy(r->code, code, (size_t)digits);
    r->code[digits] = '\0';
    r->stage_failed = calloc(a->nstages ? a->nstages : 1, sizeof *r->stage_failed);
    if (!r->stage_failed || htab_add(&a->rhash, h, a->nr) < 0) {
        free(r->stage_failed);
        return -1;
    }
    *idx = a->nr++;
    return 0;
}

/* The index of (stage, code), added when new.  RETURN 0 or -1. */
static int code_index(agg *a, int stage, const char *code, size_t *idx)
{
    uint64_t h = hash_str(code, (uint64_t)stage);
    htab_iter it;
    agg_code *c;
    for (htab_probe(&a->chash, h, &it); htab_next(&a->chash, &it, idx);) {
        c = &a->codes[*idx];
        if (c->stage == stage && !strcmp(c->code, code)) return 0;
    }
    if (a->ncodes == a->ccap) {
        size_t ncap = a->ccap ? 2 * a->ccap : 32;
        agg_code *nc = realloc(a->codes, ncap * sizeof *nc);
        uint64_t *nm;
        if (!nc) return -1;
        a->codes = nc;
        nm = realloc(a->code_mark, ncap * sizeof *nm);
        if (!nm) return -1;
        memset(nm + a->ccap, 0, (ncap - a->ccap) * sizeof *nm);
        a->code_mark = nm;
        a->ccap = ncap;
    }
    c = &a->codes[a->ncodes];
    c->stage = stage;
    if (!(c->code = strdup(code))) return -1;
    if (htab_add(&a->chash, h, a->ncodes) < 0) {
        free(c->code);
        return -1;
    }
    *idx = a->ncodes++;
    return 0;
}

/* The exported forms for loading partial counts (agg_partial.c). */
int agg_village_at(agg *a, const char *code, size_t *idx)
{
    int i;
    if (a->rolled_up) return -1;
    for (i = 0; i < 12; i++)
        if (code[i] < '0' || code[i] > '9') return -1;
    if (code[12] != '\0') return -1;
    return region_at(a, code, AGG_VILLAGE, idx);
}

/* The region's counters of code ci, its table grown (zeroed) to the codes
 * known.  RETURN NULL out of memory. */
static agg_fail *fail_slot(const agg *a, agg_region *r, size_t ci)
{
    if (ci >= r->nfails) {
        agg_fail *nf = realloc(r->fails, a->ccap * sizeof *nf);
        if (!nf) return NULL;
        memset(nf + r->nfails, 0, (a->ccap - r->nfails) * sizeof *nf);
        r->fails = nf;
        r->nfails = a->ccap;
    }
    return &r->fails[ci];
}

int agg_fail_at(agg *a, size_t idx, int stage, const char *code, agg_fail **fl)
{
    size_t ci;
    agg_region *r;
    if (code_index(a, stage, code, &ci) < 0) return -1;
    r = &a->r[idx];
    return (*fl = fail_slot(a, r, ci)) ? 0 : -1;
}

/* ---- the module's interface ---------------------------------------------------- */

static int64_t param_or_default(const params *p, const char *name)
{
    const tp_param_decl *d;
    int64_t v = 0;
    char err[128];
    if (p && params_get(p, name, &v) == 0) return v;
    for (d = agg_param_decls; d->name; d++)
        if (!strcmp(d->name, name)) params_parse(d, d->default_value, &v, err, sizeof err);
    return v;
}

int agg_dim_index(const char *name)
{
    int d;
    for (d = 0; name && d < AGG_NDIMS; d++)
        if (!strcmp(name, agg_dim_names[d])) return d;
    return -1;
}

agg *agg_new(const params *p, int has_satisfied, const char *const *stage_names,
             const int *stage_dims, size_t nstages, char *err, size_t errlen)
{
    agg *a = calloc(1, sizeof *a);
    size_t i, idx;
    int d;
    char name[64];
    if (!a) goto oom;
    a->incidence_max = param_or_default(p, "incidence_max");
    a->incidence_max_western = param_or_default(p, "incidence_max_western");
    a->wrong_exit_max = param_or_default(p, "wrong_exit_max");
    a->missed_max = param_or_default(p, "missed_max");
    a->satisfaction_min = param_or_default(p, "satisfaction_min");
    a->k_num = param_or_default(p, "af_k_num");
    a->k_den = param_or_default(p, "af_k_den");
    if (a->k_den <= 0 || a->k_num <= 0 || a->k_num > a->k_den) {
        snprintf(err, errlen, _("parameters af_k_num / af_k_den: the cut-off k = %lld/%lld must be in (0, 1]"),
                 (long long)a->k_num, (long long)a->k_den);
        agg_free(a);
        return NULL;
    }
    for (d = 0; d < AGG_NDIMS; d++) {
        snprintf(name, sizeof name, "af_weight_%s", agg_dim_names[d]);
        a->weight[d] = param_or_default(p, name);
    }
    a->has_satisfied = has_satisfied;
    a->nstages = nstages;
    a->stage_names = calloc(nstages ? nstages : 1, sizeof *a->stage_names);
    a->stage_dim = calloc(nstages ? nstages : 1, sizeof *a->stage_dim);
    if (!a->stage_names || !a->stage_dim) goto oom;
    for (i = 0; i < nstages; i++) {
        if (!(a->stage_names[i] = strdup(stage_names[i]))) goto oom;
        a->stage_dim[i] = -1;
        if (stage_dims) {
            if (stage_dims[i] >= 0 && stage_dims[i] < AGG_NDIMS) a->stage_dim[i] = stage_dims[i];
        } else {
            for (d = 0; d < AGG_NDIMS; d++)
                if (!strcmp(stage_names[i], agg_dim_names[d])) a->stage_dim[i] = d;
        }
        if (a->stage_dim[i] >= 0) a->dim_present[a->stage_dim[i]] = 1;
    }
    for (d = 0; d < AGG_NDIMS; d++)
        if (a->dim_present[d]) a->wsum += a->weight[d];
    if (region_at(a, "", AGG_NATIONAL, &idx) < 0) goto oom;
    return a;
oom:
    snprintf(err, errlen, _("out of memory"));
    agg_free(a);
    return NULL;
}

/* Counting happens at village level only; agg_rollup sums villages into
 * the levels above once, at the end, which keeps agg_add (on the engine's
 * serial writer path) to one region per household. */
int agg_add(agg *a, const hh_eval *e, hh_assessment as, int exit_ready)
{
    return agg_add_facts(a, e, as, exit_ready, NULL);
}

int agg_add_facts(agg *a, const hh_eval *e, hh_assessment as, int exit_ready, const agg_qfacts *qf)
{
    const tp_household *h = &e->view;
    uint64_t persons = h->n_members, score = 0;
    unsigned dep = 0, stage_hit_small = 0;
    size_t idx, i;
    agg_region *r;
    int poor, d;

    if (a->rolled_up) return -1;
    /* Households of one village come in runs: reuse the last lookup. */
    if (a->last_valid && !memcmp(a->last_code, h->region_code, 12)) {
        idx = a->last_idx;
    } else {
        if (region_at(a, h->region_code, AGG_VILLAGE, &idx) < 0) return -1;
        memcpy(a->last_code, h->region_code, 12);
        a->last_idx = idx;
        a->last_valid = 1;
    }
    r = &a->r[idx];
    if (a->quality) {
        agg_qfacts own;
        if (!qf) {
            agg_quality_facts(a, e, &own);
            qf = &own;
        }
        if (agg_quality_add(a, &r->q, qf) < 0) return -1;
    }

    a->serial++;
    for (i = 0; i < e->nf; i++) {
        const hh_finding *f = &e->f[i];
        size_t ci;
        agg_fail *fl;
        if (f->sev != TP_FAIL) continue;
        if (code_index(a, f->stage, hh_finding_code(e, f), &ci) < 0) return -1;
        if (!(fl = fail_slot(a, r, ci))) return -1;
        fl->findings++;
        if (a->code_mark[ci] != a->serial) {   /* first fail of this code in the household */
            a->code_mark[ci] = a->serial;
            fl->households++;
            fl->persons += persons;
        }
        if (f->stage >= 0 && (size_t)f->stage < a->nstages) {
            /* households failed by the stage: once per household */
            int seen = 0;
            size_t j;
            if (f->stage < 32) {
                seen = (stage_hit_small >> f->stage) & 1u;
                stage_hit_small |= 1u << f->stage;
            } else {
                for (j = 0; j < i && !seen; j++)
                    seen = e->f[j].sev == TP_FAIL && e->f[j].stage == f->stage;
            }
            if (!seen) r->stage_failed[f->stage]++;
            d = a->stage_dim[f->stage];
            if (d >= 0) dep |= 1u << d;
        }
    }
    for (d = 0; d < AGG_NDIMS; d++)
        if (dep & (1u << d)) score += (uint64_t)a->weight[d];
    /* poor ⇔ score / W ≥ k_num / k_den ⇔ score × k_den ≥ k_num × W, and some
     * deprivation (k > 0 makes that automatic unless W is 0). */
    poor = a->wsum > 0 && score > 0
           && (u128)score * (uint64_t)a->k_den >= (u128)(uint64_t)a->k_num * (uint64_t)a->wsum;

    r->hh_status[h->status]++;
    r->persons_status[h->status] += persons;
    r->hh_assess[as]++;
    r->persons_assess[as] += persons;
    if (exit_ready) r->hh_ready++;
    if (a->has_satisfied && h->satisfied.state == TP_OK) {
        if (h->satisfied.value) r->sat_yes++;
        else r->sat_no++;
    }
    for (d = 0; d < AGG_NDIMS; d++)
        if (dep & (1u << d)) {
            r->af_dep[d] += persons;
            if (poor) r->af_cens[d] += persons;
        }
    if (poor) {
        r->af_poor += persons;
        r->af_score += persons * score;
    }
    return 0;
}

/* dst += src, every counter.  RETURN 0, or -1 out of memory. */
static int region_addto(const agg *a, agg_region *dst, const agg_region *src)
{
    size_t i;
    int k;
    for (k = 0; k < AGG_NSTATUS; k++) {
        dst->hh_status[k] += src->hh_status[k];
        dst->persons_status[k] += src->persons_status[k];
    }
    for (k = 0; k < AGG_NASSESS; k++) {
        dst->hh_assess[k] += src->hh_assess[k];
        dst->persons_assess[k] += src->persons_assess[k];
    }
    dst->hh_ready += src->hh_ready;
    dst->sat_yes += src->sat_yes;
    dst->sat_no += src->sat_no;
    dst->af_poor += src->af_poor;
    dst->af_score += src->af_score;
    for (k = 0; k < AGG_NDIMS; k++) {
        dst->af_dep[k] += src->af_dep[k];
        dst->af_cens[k] += src->af_cens[k];
    }
    for (i = 0; i < a->nstages; i++) dst->stage_failed[i] += src->stage_failed[i];
    if (src->nfails > dst->nfails) {
        agg_fail *nf = realloc(dst->fails, src->nfails * sizeof *nf);
        if (!nf) return -1;
        memset(nf + dst->nfails, 0, (src->nfails - dst->nfails) * sizeof *nf);
        dst->fails = nf;
        dst->nfails = src->nfails;
    }
    for (i = 0; i < src->nfails; i++) {
        dst->fails[i].households += src->fails[i].households;
        dst->fails[i].persons += src->fails[i].persons;
        dst->fails[i].findings += src->fails[i].findings;
    }
    return 0;
}

int agg_rollup(agg *a)
{
    size_t nvillages = a->nr, v, up;
    int l;
    if (a->rolled_up) return 0;
    /* Regions created below are never villages, so indices < nvillages
     * that are villages are exactly the ones counted. */
    for (v = 0; v < nvillages; v++) {
        if (a->r[v].level != AGG_VILLAGE) continue;
        for (l = AGG_NATIONAL; l < AGG_VILLAGE; l++) {
            char code[13];
            memcpy(code, a->r[v].code, 13);   /* a->r may move in region_at */
            if (region_at(a, code, l, &up) < 0) return -1;
            if (region_addto(a, &a->r[up], &a->r[v]) < 0) return -1;
        }
    }
    a->rolled_up = 1;
    return 0;
}

void agg_set_rosters(agg *a, const struct rcount *rc, const struct roster_set *rs)
{
    a->rosters = rc;
    a->roster_set = rs;
}

void agg_set_names(agg *a, const struct rnames *names)
{
    a->names = names;
}

const char *agg_region_name(const agg *a, const agg_region *r, int en)
{
    if (r->level == AGG_NATIONAL) {
        const agg_region *only = agg_only_province(a);
        return only ? rnames_get(a->names, only->code, en) : NULL;
    }
    return rnames_get(a->names, r->code, en);
}

const agg_region *agg_only_province(const agg *a)
{
    const agg_region *one = NULL;
    size_t i;
    for (i = 0; i < a->nr; i++)
        if (a->r[i].level == AGG_PROVINCE) {
            if (one) return NULL;
            one = &a->r[i];
        }
    return one;
}

void agg_free(agg *a)
{
    size_t i;
    if (!a) return;
    for (i = 0; i < a->nr; i++) {
        free(a->r[i].stage_failed);
        free(a->r[i].fails);
        free(a->r[i].q.tup);
    }
    free(a->r);
    htab_free(&a->rhash);
    for (i = 0; i < a->ncodes; i++) free(a->codes[i].code);
    free(a->codes);
    htab_free(&a->chash);
    free(a->code_mark);
    if (a->stage_names)
        for (i = 0; i < a->nstages; i++) free(a->stage_names[i]);
    free(a->stage_names);
    free(a->stage_dim);
    free(a->q_order);
    free(a);
}

/* ---- sorting ------------------------------------------------------------------------ */

static const agg *sort_agg; /* qsort has no context argument; agg_write is single-threaded */

static int cmp_region(const void *x, const void *y)
{
    const agg_region *p = &sort_agg->r[*(const size_t *)x], *q = &sort_agg->r[*(const size_t *)y];
    if (p->level != q->level) return p->level < q->level ? -1 : 1;
    return strcmp(p->code, q->code);
}

static int cmp_code(const void *x, const void *y)
{
    const agg_code *p = &sort_agg->codes[*(const size_t *)x], *q = &sort_agg->codes[*(const size_t *)y];
    if (p->stage != q->stage) return p->stage < q->stage ? -1 : 1;
    return strcmp(p->code, q->code);
}

void agg_reasons_text(unsigned reasons, const char *const *names, const char *sep, char *buf, size_t n)
{
    size_t len = 0;
    int k;
    buf[0] = '\0';
    for (k = 0; k < AGG_NREASONS; k++)
        if (reasons & (1u << k)) {
            int w = snprintf(buf + len, n - len, "%s%s", len ? sep : "", names[k]);
            if (w < 0 || (size_t)w >= n - len) return;
            len += (size_t)w;
        }
}

/* 0 .. n-1 sorted by cmp (which reads sort_agg).  RETURN owned, or NULL. */
static size_t *sorted(const agg *a, size_t n, int (*cmp)(const void *, const void *))
{
    size_t *o = malloc((n ? n : 1) * sizeof *o), i;
    if (!o) return NULL;
    for (i = 0; i < n; i++) o[i] = i;
    sort_agg = a;
    qsort(o, n, sizeof *o, cmp);
    return o;
}

size_t *agg_sorted(const agg *a) { return sorted(a, a->nr, cmp_region); }
size_t *agg_codes_sorted(const agg *a) { return sorted(a, a->ncodes, cmp_code); }
