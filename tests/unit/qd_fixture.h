/* qd_fixture.h — builds small quarter sets by hand for the compare,
 * signals and monitoring tests: quarters with a poverty line, households
 * with a status, assessment, income and transfer.  Included by one test
 * program each (static inline functions). */
#ifndef TUOPIN_QD_FIXTURE_H
#define TUOPIN_QD_FIXTURE_H

#include <string.h>
#include "household.h"
#include "quarters.h"

#define YUAN(y) ((int64_t)(y) * 100)
#define NO_TRANSFER (-1)

/* A quarter with the run's poverty line (cents) and transfers known. */
static inline int fx_quarter(qd_set *s, const char *label, int64_t line)
{
    int q = qd_add_quarter(s, label, "test");
    s->q[q].line = line;
    s->q[q].has_transfers = 1;
    return q;
}

/* A household present in quarter q.  net in cents per year for the whole
 * household; transfer NO_TRANSFER for unknown. */
static inline qd_rec *fx_hh(qd_set *s, int q, const char *id, const char *village, tp_status st,
                     hh_assessment a, unsigned members, int64_t net, int64_t transfer)
{
    uint32_t uid, vid;
    qd_rec *r;
    qd_uid(s, id, strlen(id), &uid);
    qd_village(s, village, strlen(village), &vid);
    r = qd_put(s, q, uid);
    r->state = QD_PRESENT;
    r->status = (uint8_t)st;
    r->assessment = (uint8_t)a;
    r->members = members;
    r->net = net;
    r->flags = QD_NET | (a == HH_CAN_EXIT || a == HH_EXIT_CONFIRMED || a == HH_NOT_POOR ? QD_READY : 0);
    if (transfer != NO_TRANSFER) {
        r->transfer = transfer;
        r->flags |= QD_TRANSFER;
    }
    r->village = vid;
    s->q[q].households++;
    return r;
}

static inline void fx_rejected(qd_set *s, int q, const char *id)
{
    uint32_t uid;
    qd_uid(s, id, strlen(id), &uid);
    qd_put(s, q, uid)->state = QD_REJECTED;
}

static inline uint32_t fx_uid(const qd_set *s, const char *id) { return (uint32_t)qd_find(s, id, strlen(id)); }

/* A bare record (for the transition and monitoring rules). */
static inline qd_rec fx_rec(tp_status st, hh_assessment a, unsigned members, int64_t net)
{
    qd_rec r;
    memset(&r, 0, sizeof r);
    r.state = QD_PRESENT;
    r.status = (uint8_t)st;
    r.assessment = (uint8_t)a;
    r.members = members;
    r.net = net;
    r.flags = QD_NET;
    return r;
}

#endif
