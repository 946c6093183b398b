/* household.h — one household under evaluation: the typed read-only view the
 * stages see (built from a sound block), the findings they add, and the
 * verdict of standard §4.  One hh_eval is reused for every household a
 * thread evaluates; nothing is allocated per household once it has grown. */
#ifndef TUOPIN_HOUSEHOLD_H
#define TUOPIN_HOUSEHOLD_H

#include <stdio.h>
#include "block.h"
#include <tuopin/stage.h>

typedef struct hh_finding {
    int stage;                 /* index in the pipeline */
    tp_severity sev;
    const char *code;          /* unused (NULL): codes live in text[] */
    size_t code_off;           /* into text[] */
    size_t member;             /* 1-based, 0 for the household */
    size_t detail_off;         /* into text[] */
} hh_finding;

typedef enum {
    HH_CAN_EXIT, HH_REMAINS_POOR, HH_EXIT_CONFIRMED, HH_WRONGLY_EXITED,
    HH_MISSED, HH_UNVERIFIED, HH_NOT_POOR
} hh_assessment;

const char *hh_assessment_name(hh_assessment a);

/* The host's side of the stages' one context handle (tuopin/stage.h): an
 * instance's (ev NULL) or a household's under the stage now running.  The
 * engine and the test host fill it; ABI 1 stages' calls reach the host
 * table through it. */
struct tp_ctx {
    const tp_host *host;       /* the table that serves it */
    void *owner;               /* the host's: the engine's stage, the test host's case */
    struct hh_eval *ev;        /* the household, during a check; NULL at open */
    const tp_stage *stage;     /* the stage running: its declared codes word the findings */
};

typedef struct hh_eval {
    tp_household view;
    tp_ctx ctx;                              /* view.ctx points here */
    tp_member *members; size_t mcap;         /* owned */
    const block *blk;
    const schema_map *map;
    int income_ok;                           /* all income components valid */
    int64_t net;                             /* cents, when income_ok */
    hh_finding *f; size_t nf, fcap;          /* owned */
    char *text; size_t tlen, tcap;           /* owned: details and dynamic codes */
    int cur_stage;
    int oom;                                 /* a finding could not be stored */
    int reveal_ids;                          /* details show IDs in full (--reveal-ids) */
    /* Department rosters (standard §8), when the run has them: each
     * member's packed roster value (rindex.h), filled by the engine after
     * hh_build; NULL otherwise. */
    uint64_t *roster; size_t rcap;           /* owned */
    unsigned roster_kinds;                   /* kinds the run was given (bits) */
} hh_eval;

/* NAME: hh_roster
 * DESCRIPTION: member's (0-based) row of roster kind (the host's `roster`).
 * RETURN: as tp_host.roster: 1 row, 0 none, -1 kind not given, -2 the
 *   member's normalised ID is not valid. */
int hh_roster(const hh_eval *e, size_t member, tp_roster_kind kind, tp_roster_row *row);

/* Starts an empty evaluation whose context is served by host. */
void hh_init(hh_eval *e);
void hh_set_host(hh_eval *e, const tp_host *host);

/* Makes stage `index` of the pipeline (owner: the host's record of it,
 * desc: its descriptor) the one whose findings are recorded next. */
static inline void hh_enter(hh_eval *e, int index, void *owner, const tp_stage *desc)
{
    e->cur_stage = index;
    e->ctx.owner = owner;
    e->ctx.stage = desc;
}
void hh_free(hh_eval *e);

/* NAME: hh_build
 * DESCRIPTION: parses a sound block into the typed view, with ages at the
 *   as-of date (standard §2).  The view points into the block.
 * RETURN: 0, or -1 out of memory. */
int hh_build(hh_eval *e, const block *b, const schema_map *m, int y, int mo, int d);

/* Records a finding (the host's `finding` function ends here).  detail NULL
 * means: word it from the catalogue with args.
 * RETURN: 0, or -1 for a malformed code. */
int hh_add_finding(hh_eval *e, tp_severity sev, const char *code, size_t member,
                   const char *detail, const tp_finding_args *args);

const char *hh_finding_code(const hh_eval *e, const hh_finding *f);
const char *hh_finding_detail(const hh_eval *e, const hh_finding *f);

/* Whether code is of the form [A-Z][A-Z0-9_]*. */
int hh_code_valid(const char *code);

/* NAME: hh_verdict
 * DESCRIPTION: exit-readiness and assessment (standard §4).  income_stage is
 *   the pipeline index of the `income` stage, or -1 when it did not run. */
hh_assessment hh_verdict(const hh_eval *e, int income_stage, int *exit_ready);

/* Whether an earlier finding of the household carries code. */
int hh_has(const hh_eval *e, const char *code);

/* The host functions (tuopin/stage.h) that depend on the household under a
 * context alone, the same for the engine's host table and the test host's:
 * finding, finding_text, has, field, chinese and roster.  At open (no
 * household) they do nothing: -1, 0, "" as the table documents. */
int hh_ctx_finding(tp_ctx *ctx, tp_severity sev, const char *code, size_t member,
                   const tp_finding_args *args);
int hh_ctx_finding_text(tp_ctx *ctx, tp_severity sev, const char *code, size_t member,
                        const char *detail);
int hh_ctx_has(tp_ctx *ctx, const char *code);
const char *hh_ctx_field(tp_ctx *ctx, size_t member, int col);
int hh_ctx_chinese(tp_ctx *ctx);
int hh_ctx_roster(tp_ctx *ctx, size_t member, tp_roster_kind kind, tp_roster_row *row);

/* The designated initialisers of a tp_host for the functions above. */
#define HH_CTX_FUNCTIONS \
    .finding = hh_ctx_finding, .finding_text = hh_ctx_finding_text, .has = hh_ctx_has, \
    .field = hh_ctx_field, .chinese = hh_ctx_chinese, .roster = hh_ctx_roster

#endif
