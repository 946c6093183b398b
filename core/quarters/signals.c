/* signals.c — the six pattern signals (docs/history.md, "Signals"). */
#define _POSIX_C_SOURCE 200809L
#include "signals.h"
#include "household.h"
#include "sbuf.h"
#include "values.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef __int128 i128;

const sig_info sig_table[SIG_N] = {
    { "RETURN_TO_POVERTY", "脱贫后返贫", "return to poverty after exit" },
    { "RISE_AND_FALL", "退出季度收入冲高后回落",
      "income rose past the line in the exit quarter and fell back after" },
    { "TRANSFER_SHIFT", "转移性收入在户间游走（游走式脱贫）",
      "transfer income moved between households of one village" },
    { "RUSH_EXIT", "当年识别当年退出（突击式脱贫）", "registered and exited in the same year" },
    { "NEAR_LINE_EXIT", "退出季度收入刚过线（算账式脱贫）",
      "exit income just above the line (income counted to the line)" },
    { "QUOTA_EXITS", "按比例整数退出（指标式脱贫）",
      "villages of one town exit the same round share of their poor (exit quotas)" }
};

static void sig_row_free(sig_row *r)
{
    free(r->uids);
    free(r->evidence);
    free(r->evidence_zh);
}

void sig_list_free(sig_list *l)
{
    size_t i;
    for (i = 0; i < l->n; i++) sig_row_free(&l->r[i]);
    free(l->r);
    memset(l, 0, sizeof *l);
}

static int add_row(sig_list *l, sig_code code, uint32_t village, const uint32_t *uids, size_t n,
                   int qf, int ql, const char *en, const char *zh)
{
    sig_row *r;
    if (mem_grow((void **)&l->r, &l->cap, l->n + 1, sizeof *l->r) < 0) return -1;
    r = &l->r[l->n];
    memset(r, 0, sizeof *r);
    r->code = code;
    r->village = village;
    r->q_first = qf;
    r->q_last = ql;
    if (!(r->uids = malloc((n ? n : 1) * sizeof *r->uids)) || !(r->evidence = strdup(en))
        || !(r->evidence_zh = strdup(zh))) {
        sig_row_free(r);
        return -1;
    }
    memcpy(r->uids, uids, n * sizeof *uids);
    r->nuids = n;
    l->n++;
    return 1;
}

static const qd_rec *rec(const sig_ctx *c, int q, uint32_t uid) { return qd_get(&c->s->q[q], uid); }
static const char *lab(const sig_ctx *c, int q) { return c->s->q[q].label; }

static int present(const qd_rec *r) { return r->state == QD_PRESENT; }
static int exited(const qd_rec *r) { return r->state == QD_PRESENT && r->status == TP_STATUS_EXITED; }
/* Income known and the quarter's line known. */
static int measurable(const sig_ctx *c, int q, const qd_rec *r)
{
    return present(r) && (r->flags & QD_NET) && c->line[q] > 0;
}
static int below(const sig_ctx *c, int q, const qd_rec *r) { return qd_pc_below(r, c->line[q]); }

/* Per-capita income for display (rounded half away from zero). */
static void pc_text(const qd_rec *r, char *buf)
{
    if (r->flags & QD_NET) val_format_cents(qd_pc_cents(r), buf);
    else snprintf(buf, 32, "unknown");
}

static void dims_text(unsigned fails, char *buf, size_t n)
{
    int d;
    buf[0] = '\0';
    for (d = 0; d < QD_NDIMS; d++)
        if (fails & (1u << d)) {
            size_t k = strlen(buf);
            snprintf(buf + k, n - k, "%s%s", k ? ";" : "", qd_dim_names[d]);
        }
    if (!buf[0]) snprintf(buf, n, "none");
}

/* The latest exit (a quarter j <= upto where the household is exited and
 * was present and not exited at j-1) while it stayed exited through upto.
 * RETURN j, or -1. */
static int exit_quarter(const sig_ctx *c, uint32_t uid, int upto)
{
    int j;
    for (j = upto; j >= 1; j--) {
        const qd_rec *r = rec(c, j, uid), *b = rec(c, j - 1, uid);
        if (!exited(r)) return -1;
        if (present(b) && b->status != TP_STATUS_EXITED) return j;
    }
    return -1;
}

int sig_return_to_poverty(const sig_ctx *c, uint32_t uid, sig_list *out)
{
    const qd_rec *a = rec(c, c->prev, uid), *b = rec(c, c->cur, uid);
    char en[768], zh[768], pa[32], pb[32], line[32], dims[128], since[96] = "", since_zh[96] = "";
    int e, qf = c->prev;
    if (!present(a) || !present(b) || a->assessment != HH_EXIT_CONFIRMED
        || (b->assessment != HH_WRONGLY_EXITED && b->assessment != HH_REMAINS_POOR))
        return 0;
    pc_text(a, pa);
    pc_text(b, pb);
    dims_text(b->fails, dims, sizeof dims);
    if (c->line[c->cur] > 0) val_format_cents(c->line[c->cur], line);
    else snprintf(line, sizeof line, "unknown");
    if ((e = exit_quarter(c, uid, c->prev)) >= 0) {
        snprintf(since, sizeof since, "; exit recorded in %s", lab(c, e));
        snprintf(since_zh, sizeof since_zh, "；%s 标注脱贫", lab(c, e));
        qf = e - 1;
    }
    snprintf(en, sizeof en, "exit_confirmed in %s, %s in %s; failed: %s; income per capita %s -> %s "
             "(line %s)%s", lab(c, c->prev), hh_assessment_name((hh_assessment)b->assessment),
             lab(c, c->cur), dims, pa, pb, line, since);
    snprintf(zh, sizeof zh, "%s 核实脱贫，%s 评估为%s；未通过：%s；人均纯收入 %s → %s 元（标准 %s 元）%s",
             lab(c, c->prev), lab(c, c->cur), b->assessment == HH_WRONGLY_EXITED ? "错退" : "未脱贫",
             dims, pa, pb, line, since_zh);
    return add_row(out, SIG_RETURN_TO_POVERTY, b->village, &uid, 1, qf, c->cur, en, zh);
}

int sig_rise_and_fall(const sig_ctx *c, uint32_t uid, sig_list *out)
{
    const qd_rec *b = rec(c, c->cur, uid), *r, *pre;
    char en[768], zh[768], p0[32], p1[32], p2[32], line[32];
    int j;
    if (!measurable(c, c->cur, b) || !below(c, c->cur, b)) return 0;
    /* walk back over the exited quarters at or above the line */
    for (j = c->cur - 1; j >= 1; j--) {
        r = rec(c, j, uid);
        if (!exited(r) || !measurable(c, j, r) || below(c, j, r)) return 0;
        pre = rec(c, j - 1, uid);
        if (present(pre) && pre->status != TP_STATUS_EXITED) break;
    }
    if (j < 1) return 0;
    /* j is the exit quarter: below the line just before it, and recent */
    if (!measurable(c, j - 1, pre) || !below(c, j - 1, pre)) return 0;
    if (c->s->q[c->cur].ord - c->s->q[j].ord > c->p->rise_fall_max) return 0;
    r = rec(c, j, uid);
    pc_text(pre, p0);
    pc_text(r, p1);
    pc_text(b, p2);
    val_format_cents(c->line[c->cur], line);
    snprintf(en, sizeof en, "income per capita %s (%s, %s) -> %s (%s, exited) -> %s (%s); line %s",
             p0, lab(c, j - 1), val_status_name((tp_status)pre->status), p1, lab(c, j), p2,
             lab(c, c->cur), line);
    snprintf(zh, sizeof zh, "人均纯收入 %s 元（%s）→ %s 元（%s 退出）→ %s 元（%s）；标准 %s 元",
             p0, lab(c, j - 1), p1, lab(c, j), p2, lab(c, c->cur), line);
    return add_row(out, SIG_RISE_AND_FALL, b->village, &uid, 1, j - 1, c->cur, en, zh);
}

/* Whether quarter q counts as "earlier in the same year" as the current one. */
static int same_period(const sig_ctx *c, int q)
{
    int oc = c->s->q[c->cur].ord, oq = c->s->q[q].ord;
    if (oq >= oc) return 0;
    if (c->p->rush_window > 0) return oc - oq <= c->p->rush_window;
    return oq / 4 == oc / 4;
}

int sig_rush_exit(const sig_ctx *c, uint32_t uid, sig_list *out)
{
    const qd_rec *a = rec(c, c->prev, uid), *b = rec(c, c->cur, uid), *r = NULL;
    char en[768], zh[768], reg[96] = "", reg_zh[96] = "";
    int j, w = -1, k;
    if (!exited(b) || exited(a) || a->state == QD_REJECTED) return 0;
    for (j = 0; j < c->cur; j++) {
        if (!same_period(c, j)) continue;
        r = rec(c, j, uid);
        if (r->state == QD_ABSENT || (present(r) && r->status == TP_STATUS_GENERAL)) {
            w = j;
            break;
        }
    }
    if (w < 0) return 0;
    for (k = w + 1; k < c->cur; k++)
        if (present(rec(c, k, uid)) && rec(c, k, uid)->status == TP_STATUS_POOR) {
            snprintf(reg, sizeof reg, "; poor in %s", lab(c, k));
            snprintf(reg_zh, sizeof reg_zh, "，%s 为贫困户", lab(c, k));
            break;
        }
    snprintf(en, sizeof en, "%s in %s%s; exited in %s, the same %s", r->state == QD_ABSENT
             ? "not in the registry" : "general (not registered)", lab(c, w), reg, lab(c, c->cur),
             c->p->rush_window > 0 ? "window" : "year");
    snprintf(zh, sizeof zh, "%s%s%s；%s 已脱贫，%s", lab(c, w), r->state == QD_ABSENT ? "不在建档立卡名单中"
             : "为一般户（未建档立卡）", reg_zh, lab(c, c->cur),
             c->p->rush_window > 0 ? "间隔不超过规定季度数" : "识别与退出在同一年");
    return add_row(out, SIG_RUSH_EXIT, b->village, &uid, 1, w, c->cur, en, zh);
}

int sig_near_line_exit(const sig_ctx *c, uint32_t uid, sig_list *out)
{
    const qd_rec *a = rec(c, c->prev, uid), *b = rec(c, c->cur, uid);
    char en[768], zh[768], pa[32], pb[32], la[32], lo[32], hi[32];
    int64_t line = c->line[c->cur];
    if (!exited(b) || !present(a) || a->status == TP_STATUS_EXITED) return 0;
    if (!measurable(c, c->prev, a) || !measurable(c, c->cur, b) || !below(c, c->prev, a)) return 0;
    /* line <= pc < line * (1 + band), exactly */
    if (qd_pc_cmp(b, line, 1) < 0 || qd_pc_cmp(b, line * (1000000 + c->p->near_band), 1000000) >= 0) return 0;
    pc_text(a, pa);
    pc_text(b, pb);
    val_format_cents(c->line[c->prev], la);
    val_format_cents(line, lo);
    val_format_cents(val_div_round(line * (1000000 + c->p->near_band), 1000000), hi);
    snprintf(en, sizeof en, "income per capita %s (%s, %s, line %s) -> %s (%s, exited): in the near-line "
             "band %s to %s", pa, lab(c, c->prev), val_status_name((tp_status)a->status), la, pb,
             lab(c, c->cur), lo, hi);
    snprintf(zh, sizeof zh, "人均纯收入 %s 元（%s，低于标准 %s 元）→ %s 元（%s 退出），刚过线：在 %s–%s 元之间",
             pa, lab(c, c->prev), la, pb, lab(c, c->cur), lo, hi);
    return add_row(out, SIG_NEAR_LINE_EXIT, b->village, &uid, 1, c->prev, c->cur, en, zh);
}

/* ---- transfers moved between households of a village ---------------------------- */

typedef struct shift {
    uint32_t village, uid;
    size_t order;          /* position in the current quarter */
    int64_t amount;        /* cents, > 0 */
    int used;
} shift;

/* A recipient and a donor whose amounts match: indexes and the gap. */
typedef struct cand {
    size_t r, d;
    int64_t gap;
} cand;

static int by_gap(const void *x, const void *y)
{
    const cand *a = x, *b = y;
    if (a->gap != b->gap) return a->gap < b->gap ? -1 : 1;
    if (a->r != b->r) return a->r < b->r ? -1 : 1;
    return a->d < b->d ? -1 : a->d > b->d;
}

static int by_order(const void *x, const void *y)
{
    const shift *a = x, *b = y;
    return a->order < b->order ? -1 : a->order > b->order;
}

static int by_village(const void *x, const void *y)
{
    const shift *a = x, *b = y;
    if (a->village != b->village) return a->village < b->village ? -1 : 1;
    return a->order < b->order ? -1 : a->order > b->order;
}

/* |a - b| <= tol * max(a, b), exactly (tol in millionths). */
static int amounts_match(int64_t a, int64_t b, int64_t tol)
{
    int64_t d = a > b ? a - b : b - a, m = a > b ? a : b;
    return (i128)d * 1000000 <= (i128)tol * m;
}

int sig_transfer_shift(const sig_ctx *c, sig_list *out)
{
    const qd_quarter *qc = &c->s->q[c->cur];
    shift *rcp = NULL, *don = NULL;
    cand *pairs = NULL;
    size_t nr = 0, nd = 0, i, j, k, pcap = 0;
    int added = 0;
    if (!c->s->q[c->prev].has_transfers || !qc->has_transfers || c->line[c->prev] <= 0 || c->line[c->cur] <= 0)
        return 0;
    if (!(rcp = malloc((qc->norder + 1) * sizeof *rcp)) || !(don = malloc((qc->norder + 1) * sizeof *don)))
        goto oom;
    for (i = 0; i < qc->norder; i++) {
        uint32_t uid = qc->order[i];
        const qd_rec *a = rec(c, c->prev, uid), *b = rec(c, c->cur, uid);
        int64_t d;
        if (!present(a) || !present(b) || a->village != b->village) continue;
        if (!(a->flags & QD_TRANSFER) || !(b->flags & QD_TRANSFER)) continue;
        d = b->transfer - a->transfer;
        if (d >= c->p->shift_min) {
            /* a recipient: below the line before, at or above it now, and
             * below it without the increase */
            qd_rec without = *b;
            if (!measurable(c, c->prev, a) || !measurable(c, c->cur, b)) continue;
            without.net = b->net - d;
            if (!below(c, c->prev, a) || below(c, c->cur, b) || !below(c, c->cur, &without)) continue;
            rcp[nr].village = b->village;
            rcp[nr].uid = uid;
            rcp[nr].order = i;
            rcp[nr].amount = d;
            rcp[nr++].used = 0;
        } else if (-d >= c->p->shift_min) {
            don[nd].village = b->village;
            don[nd].uid = uid;
            don[nd].order = i;
            don[nd].amount = -d;
            don[nd++].used = 0;
        }
    }
    if (!nr || !nd) goto done;
    qsort(rcp, nr, sizeof *rcp, by_village);
    qsort(don, nd, sizeof *don, by_village);
    /* per village, the candidate pairs within tolerance, closest amounts
     * first: a pair that matches exactly is never broken up by a looser
     * one that happens to come first */
    for (i = 0, j = 0; i < nr; i = k) {
        size_t r_end, d0, d_end, np = 0, x, y;
        for (k = i; k < nr && rcp[k].village == rcp[i].village; k++) {}
        r_end = k;
        while (j < nd && don[j].village < rcp[i].village) j++;
        for (d0 = j, d_end = j; d_end < nd && don[d_end].village == rcp[i].village; d_end++) {}
        if (d0 == d_end) continue;
        if ((r_end - i) * (d_end - d0) > pcap) {
            size_t ncap = (r_end - i) * (d_end - d0);
            cand *nc = realloc(pairs, ncap * sizeof *nc);
            if (!nc) goto oom;
            pairs = nc;
            pcap = ncap;
        }
        for (x = i; x < r_end; x++)
            for (y = d0; y < d_end; y++) {
                int64_t dd = don[y].amount - rcp[x].amount;
                if (!amounts_match(don[y].amount, rcp[x].amount, c->p->shift_tol)) continue;
                pairs[np].gap = dd < 0 ? -dd : dd;
                pairs[np].r = x;
                pairs[np++].d = y;
            }
        qsort(pairs, np, sizeof *pairs, by_gap);
        for (x = 0; x < np; x++) {
            if (rcp[pairs[x].r].used || don[pairs[x].d].used) continue;
            don[pairs[x].d].used = 1;
            rcp[pairs[x].r].used = (int)pairs[x].d + 1;   /* the donor matched, + 1 */
        }
    }
    /* rows in the recipients' order in the current quarter */
    qsort(rcp, nr, sizeof *rcp, by_order);
    for (i = 0; i < nr; i++) {
        const shift *d;
        const qd_rec *ra, *rb;
        uint32_t pair[2];
        char en[768], zh[768], up[32], down[32], pa[32], pb[32], line[32];
        if (!rcp[i].used) continue;
        d = &don[rcp[i].used - 1];
        ra = rec(c, c->prev, rcp[i].uid);
        rb = rec(c, c->cur, rcp[i].uid);
        pair[0] = rcp[i].uid;
        pair[1] = d->uid;
        val_format_cents(rcp[i].amount, up);
        val_format_cents(d->amount, down);
        pc_text(ra, pa);
        pc_text(rb, pb);
        val_format_cents(c->line[c->cur], line);
        snprintf(en, sizeof en, "transfer income +%s to %s (income per capita %s -> %s, line %s; below "
                 "the line without the increase) and -%s from %s, same village, %s -> %s",
                 up, c->s->ids[pair[0]], pa, pb, line, down, c->s->ids[pair[1]], lab(c, c->prev),
                 lab(c, c->cur));
        snprintf(zh, sizeof zh, "%s 转移性收入增加 %s 元（人均纯收入 %s → %s 元，标准 %s 元；不计增加部分仍低于标准），"
                 "同村 %s 减少 %s 元（%s → %s）", c->s->ids[pair[0]], up, pa, pb, line,
                 c->s->ids[pair[1]], down, lab(c, c->prev), lab(c, c->cur));
        if (add_row(out, SIG_TRANSFER_SHIFT, rcp[i].village, pair, 2, c->prev, c->cur, en, zh) < 0) goto oom;
        added++;
    }
done:
    free(rcp);
    free(don);
    free(pairs);
    return added;
oom:
    free(rcp);
    free(don);
    free(pairs);
    return -1;
}

/* ---- villages exiting a round share of their poor ------------------------------- */

typedef struct vquota {
    uint32_t village;
    uint64_t poor, exits;
    int64_t share;         /* e6; -1 when not a round share */
    uint64_t hit, town_n;  /* villages of its town with this share / eligible */
    size_t first, n;       /* its exited households in uids[] */
} vquota;

/* The set whose village codes qsort's comparators read (qsort has no
 * context argument; compare runs on one thread). */
static const qd_set *sort_set;

static int by_town_share(const void *x, const void *y)
{
    const vquota *a = x, *b = y;
    int t = memcmp(sort_set->villages[a->village], sort_set->villages[b->village], 9);
    if (t) return t;
    if (a->share != b->share) return a->share < b->share ? -1 : 1;
    return strcmp(sort_set->villages[a->village], sort_set->villages[b->village]);
}

static int by_code(const void *x, const void *y)
{
    const vquota *a = x, *b = y;
    return strcmp(sort_set->villages[a->village], sort_set->villages[b->village]);
}

int sig_quota_exits(const sig_ctx *c, sig_list *out)
{
    const qd_set *s = c->s;
    const qd_quarter *qp = &s->q[c->prev];
    uint64_t *poor = NULL, *exits = NULL;
    vquota *v = NULL, *flag = NULL;
    uint32_t *uids = NULL, *slot = NULL;
    size_t nv = 0, nflag = 0, nu = 0, i, j, k;
    int added = 0;
    if (!(poor = calloc(s->nvillages + 1, sizeof *poor)) || !(exits = calloc(s->nvillages + 1, sizeof *exits))
        || !(v = malloc((s->nvillages + 1) * sizeof *v)) || !(flag = malloc((s->nvillages + 1) * sizeof *flag))
        || !(slot = calloc(s->nvillages + 1, sizeof *slot)))
        goto oom;
    for (i = 0; i < qp->norder; i++) {
        uint32_t uid = qp->order[i];
        const qd_rec *a = rec(c, c->prev, uid), *b = rec(c, c->cur, uid);
        if (!present(a) || a->status != TP_STATUS_POOR) continue;
        poor[a->village]++;
        if (exited(b)) exits[a->village]++;
    }
    for (i = 0; i < s->nvillages; i++) {
        uint64_t p = poor[i], e = exits[i];
        if (p == 0 || p < (uint64_t)c->p->quota_min_poor) continue;
        memset(&v[nv], 0, sizeof *v);
        v[nv].village = (uint32_t)i;
        v[nv].poor = p;
        v[nv].exits = e;
        /* a round share: 0 < e < p and e / p a whole multiple of the step */
        v[nv].share = e > 0 && e < p && c->p->quota_step > 0
                      && ((i128)e * 1000000) % ((i128)c->p->quota_step * (i128)p) == 0
                      ? (int64_t)((i128)e * 1000000 / (i128)p) : -1;
        nv++;
    }
    sort_set = s;
    qsort(v, nv, sizeof *v, by_town_share);
    /* per town (9 digits): its eligible villages, and runs of one share */
    for (i = 0; i < nv; i = j) {
        for (j = i; j < nv && !memcmp(s->villages[v[j].village], s->villages[v[i].village], 9); j++) {}
        for (k = i; k < j;) {
            size_t m = k, x;
            while (m < j && v[m].share == v[k].share) m++;
            if (v[k].share >= 0 && (int64_t)(m - k) >= c->p->quota_min_villages
                && (i128)(m - k) * 1000000 >= (i128)c->p->quota_min_fraction * (i128)(j - i))
                for (x = k; x < m; x++) {
                    flag[nflag] = v[x];
                    flag[nflag].hit = m - k;
                    flag[nflag].town_n = j - i;
                    nflag++;
                }
            k = m;
        }
    }
    qsort(flag, nflag, sizeof *flag, by_code);
    /* the exited households of each flagged village, in the previous order */
    for (i = 0; i < nflag; i++) {
        flag[i].first = nu;
        nu += flag[i].exits;
        slot[flag[i].village] = (uint32_t)i + 1;
    }
    if (!(uids = malloc((nu + 1) * sizeof *uids))) goto oom;
    for (i = 0; i < qp->norder && nflag; i++) {
        uint32_t uid = qp->order[i];
        const qd_rec *a = rec(c, c->prev, uid);
        vquota *f;
        if (!present(a) || a->status != TP_STATUS_POOR || !slot[a->village] || !exited(rec(c, c->cur, uid)))
            continue;
        f = &flag[slot[a->village] - 1];
        uids[f->first + f->n++] = uid;
    }
    for (i = 0; i < nflag; i++) {
        char en[768], zh[768], share[32], town[10];
        int64_t sh = flag[i].share;
        snprintf(share, sizeof share, "%lld.%02lld%%", (long long)(sh / 10000), (long long)(sh / 100 % 100));
        memcpy(town, s->villages[flag[i].village], 9);
        town[9] = '\0';
        snprintf(en, sizeof en, "%llu of %llu poor households exited (%s), %s -> %s; %llu of the %llu villages "
                 "of town %s with at least %lld poor households exited exactly %s of their poor",
                 (unsigned long long)flag[i].exits, (unsigned long long)flag[i].poor, share, lab(c, c->prev),
                 lab(c, c->cur), (unsigned long long)flag[i].hit, (unsigned long long)flag[i].town_n, town,
                 (long long)c->p->quota_min_poor, share);
        snprintf(zh, sizeof zh, "%llu 户贫困户中退出 %llu 户（%s），%s → %s；乡镇 %s 贫困户不少于 %lld 户的 %llu 个村中，"
                 "%llu 个村恰好退出 %s", (unsigned long long)flag[i].poor, (unsigned long long)flag[i].exits,
                 share, lab(c, c->prev), lab(c, c->cur), town, (long long)c->p->quota_min_poor,
                 (unsigned long long)flag[i].town_n, (unsigned long long)flag[i].hit, share);
        if (add_row(out, SIG_QUOTA_EXITS, flag[i].village, uids + flag[i].first, flag[i].n, c->prev, c->cur,
                    en, zh) < 0)
            goto oom;
        added++;
    }
    goto done;
oom:
    added = -1;
done:
    free(poor);
    free(exits);
    free(v);
    free(flag);
    free(uids);
    free(slot);
    return added;
}

int sig_run(const sig_ctx *c, sig_list *out)
{
    const qd_quarter *qc = &c->s->q[c->cur];
    int (*const per[])(const sig_ctx *, uint32_t, sig_list *) = {
        sig_return_to_poverty, sig_rise_and_fall, NULL, sig_rush_exit, sig_near_line_exit, NULL
    };
    int code;
    size_t i;
    for (code = 0; code < SIG_N; code++) {
        if (code == SIG_TRANSFER_SHIFT) {
            if (sig_transfer_shift(c, out) < 0) return -1;
        } else if (code == SIG_QUOTA_EXITS) {
            if (sig_quota_exits(c, out) < 0) return -1;
        } else {
            for (i = 0; i < qc->norder; i++)
                if (per[code](c, qc->order[i], out) < 0) return -1;
        }
    }
    return 0;
}
