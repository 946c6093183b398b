/* hhsignals.c — one household's history signals (hhsignals.h). */
#define _POSIX_C_SOURCE 200809L
#include "hhsignals.h"
#include "compare.h"
#include "history.h"
#include "i18n.h"
#include "fail.h"
#include "values.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void hs_signal_free(hs_signal *g)
{
    free(g->evidence);
    free(g->evidence_zh);
    free(g->others);
}

void hs_result_free(hs_result *r)
{
    size_t i;
    for (i = 0; i < r->nsig; i++) hs_signal_free(&r->sig[i]);
    free(r->sig);
    r->sig = NULL;
    r->nsig = 0;
}

/* Keeps row g of the signals when it involves uid.  RETURN 0 or -1. */
static int keep(hs_result *r, const qd_set *s, const sig_row *g, uint32_t uid)
{
    size_t i, k, len = 1;
    hs_signal *n;
    int at = -1, q;
    for (i = 0; i < g->nuids; i++)
        if (g->uids[i] == uid && at < 0) at = (int)i;
        else len += strlen(s->ids[g->uids[i]]) + 1;
    if (at < 0) return 0;
    if (!(n = realloc(r->sig, (r->nsig + 1) * sizeof *n))) return -1;
    r->sig = n;
    n = &r->sig[r->nsig];
    memset(n, 0, sizeof *n);
    n->code = g->code;
    n->role = at > 0 && g->code == SIG_TRANSFER_SHIFT;
    for (q = g->q_first; q <= g->q_last; q++) {
        k = strlen(n->quarters);
        snprintf(n->quarters + k, sizeof n->quarters - k, "%s%s", k ? ";" : "", s->q[q].label);
    }
    n->evidence = strdup(g->evidence);
    n->evidence_zh = strdup(g->evidence_zh);
    n->others = calloc(1, len);
    if (!n->evidence || !n->evidence_zh || !n->others) {
        hs_signal_free(n);
        return -1;
    }
    for (i = 0; i < g->nuids; i++) {
        if (g->uids[i] == uid) continue;
        if (n->others[0]) strcat(n->others, ";");
        strcat(n->others, s->ids[g->uids[i]]);
    }
    r->nsig++;
    return 0;
}

int hs_household(const char *hist, const char *quarter, const char *sha, const char *hid, const char *region,
                 hs_result *r, char *err, size_t errlen)
{
    hist_quarter *hq = NULL;
    int nhq, i, cur_ord, prev_ord = -1, lo, qi, rc = -1, me = -1;
    char town[10];
    qd_set s;
    cmp_params p;
    sig_list out;
    int64_t *line = NULL, uid;

    memset(r, 0, sizeof *r);
    memset(&out, 0, sizeof out);
    r->mon = MON_NONE;
    qd_init(&s);
    cmp_params_default(&p);
    if (qd_parse_quarter(quarter, &cur_ord) < 0)
        return fail_msg(err, errlen, _("the run's quarter \"%s\" is not YYYYQn"), quarter);
    if ((nhq = hist_quarters(hist, &hq, err, errlen)) < 0) return -1;
    /* the run's quarter: the entry from the run's own input */
    for (i = 0; i < nhq; i++) {
        if (strcmp(hq[i].quarter, quarter)) continue;
        if (!strcmp(hq[i].input_sha256, sha)) { me = i; break; }
        r->state = HS_OTHER_RUN;
        if (!r->regions[0]) snprintf(r->regions, sizeof r->regions, "%s", hq[i].regions);
    }
    snprintf(r->cur, sizeof r->cur, "%s", quarter);
    if (me < 0) {
        if (r->state != HS_OTHER_RUN) r->state = HS_NO_QUARTER;
        rc = 0;
        goto out;
    }
    snprintf(r->regions, sizeof r->regions, "%s", hq[me].regions);
    for (i = 0; i < nhq; i++) {
        int ord;
        if (strcmp(hq[i].regions, hq[me].regions) || qd_parse_quarter(hq[i].quarter, &ord) < 0) continue;
        if (ord < cur_ord && ord > prev_ord) prev_ord = ord;
    }
    if (prev_ord < 0) {
        r->state = HS_NO_PREVIOUS;
        rc = 0;
        goto out;
    }
    lo = cur_ord - (int)p.lookback;
    if (prev_ord < lo) lo = prev_ord;
    snprintf(town, sizeof town, "%.9s", region);
    for (i = 0; i < nhq; i++) {
        int ord;
        if (strcmp(hq[i].regions, hq[me].regions) || qd_parse_quarter(hq[i].quarter, &ord) < 0) continue;
        if (ord < lo || ord > cur_ord) continue;
        if (hist_load_quarter_near(&s, hist, &hq[i], town, hid, 1, &qi, err, errlen) < 0) goto out;
    }
    {
        sig_ctx c;
        int ip = -1, ic = -1;
        const qd_rec *ra, *rb;
        for (i = 0; i < (int)s.nq; i++) {
            size_t k = strlen(r->read);
            snprintf(r->read + k, sizeof r->read - k, "%s%s", k ? ";" : "", s.q[i].label);
            if (s.q[i].ord == prev_ord) ip = i;
            if (s.q[i].ord == cur_ord) ic = i;
        }
        snprintf(r->prev, sizeof r->prev, "%s", s.q[ip].label);
        r->transfers_known = s.q[ip].has_transfers && s.q[ic].has_transfers;
        uid = qd_find(&s, hid, strlen(hid));
        if (uid < 0 || qd_get(&s.q[ic], (uint32_t)uid)->state != QD_PRESENT) {
            r->state = HS_NOT_IN_HISTORY;
            rc = 0;
            goto out;
        }
        if (!(line = calloc(s.nq, sizeof *line))) goto oom;
        for (i = 0; i < (int)s.nq; i++) line[i] = s.q[i].line;
        c.s = &s;
        c.prev = ip;
        c.cur = ic;
        c.p = &p;
        c.line = line;
        /* every rule, in signals.csv's order: the household's own, and the
         * village and town rules over the town loaded */
        if (sig_return_to_poverty(&c, (uint32_t)uid, &out) < 0 || sig_rise_and_fall(&c, (uint32_t)uid, &out) < 0
            || sig_transfer_shift(&c, &out) < 0 || sig_rush_exit(&c, (uint32_t)uid, &out) < 0
            || sig_near_line_exit(&c, (uint32_t)uid, &out) < 0 || sig_quota_exits(&c, &out) < 0)
            goto oom;
        for (i = 0; i < (int)out.n; i++)
            if (keep(r, &s, &out.r[i], (uint32_t)uid) < 0) goto oom;
        {
            mon_rule m;
            if (cmp_monitor_rule(&p, s.q[ic].label, line[ic], &m, r->mon_basis, r->mon_basis_zh,
                                 sizeof r->mon_basis, err, errlen) < 0)
                goto out;
            ra = qd_get(&s.q[ip], (uint32_t)uid);
            rb = qd_get(&s.q[ic], (uint32_t)uid);
            r->mon = mon_classify(ra, rb, &m, r->mon_reasons, sizeof r->mon_reasons);
            val_format_cents(val_div_round(m.line_num, m.line_den), r->mon_line);
        }
    }
    r->state = HS_OK;
    rc = 0;
    goto out;
oom:
    snprintf(err, errlen, _("out of memory"));
out:
    if (rc < 0) hs_result_free(r);
    sig_list_free(&out);
    free(line);
    qd_free(&s);
    free(hq);
    return rc;
}
