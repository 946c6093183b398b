/* signals.h — the pattern signals evaluators hunt across quarters: return
 * to poverty after exit (返贫), an income that rises past the line in the
 * exit quarter and falls back after, transfer income moved between
 * households of one village (游走式), registration and exit in the same year
 * (突击式), an exit income just above the line (算账式), and a town whose
 * villages exit the same round share of their poor (指标式).  Each rule and
 * its thresholds are in docs/history.md; all comparisons are exact. */
#ifndef TUOPIN_SIGNALS_H
#define TUOPIN_SIGNALS_H

#include <stddef.h>
#include <stdint.h>
#include "compare.h"
#include "quarters.h"

typedef enum {
    SIG_RETURN_TO_POVERTY, SIG_RISE_AND_FALL, SIG_TRANSFER_SHIFT, SIG_RUSH_EXIT,
    SIG_NEAR_LINE_EXIT, SIG_QUOTA_EXITS, SIG_N
} sig_code;

/* Each signal's code (as in the outputs), its Chinese name and its English
 * words, in sig_code order. */
typedef struct sig_info {
    const char *code, *zh, *en;
} sig_info;
extern const sig_info sig_table[SIG_N];

/* One signal: a code, the households involved (the first is the one the
 * signal is about; a transfer shift lists recipient then donor), the
 * village, the quarters its evidence spans and the evidence in words. */
typedef struct sig_row {
    sig_code code;
    uint32_t village;
    uint32_t *uids;          /* owned */
    size_t nuids;
    int q_first, q_last;     /* quarter indexes in the set */
    char *evidence;          /* owned, English, exact figures */
    char *evidence_zh;       /* owned, Chinese */
} sig_row;

typedef struct sig_list { sig_row *r; size_t n, cap; } sig_list;

void sig_list_free(sig_list *l);

/* What the rules look at: the set, the two quarters compared (indexes in
 * s->q; the others are context), the parameters and each quarter's poverty
 * line (cents; 0 unknown: rules needing it skip that quarter). */
typedef struct sig_ctx {
    const qd_set *s;
    int prev, cur;
    const cmp_params *p;
    const int64_t *line;     /* one per quarter of s */
} sig_ctx;

/* Per-household rules: each adds at most one row for household uid.
 * RETURN 1 added, 0 not, -1 out of memory. */
int sig_return_to_poverty(const sig_ctx *c, uint32_t uid, sig_list *out);
int sig_rise_and_fall(const sig_ctx *c, uint32_t uid, sig_list *out);
int sig_rush_exit(const sig_ctx *c, uint32_t uid, sig_list *out);
int sig_near_line_exit(const sig_ctx *c, uint32_t uid, sig_list *out);

/* Village rules over the whole set.  RETURN rows added, or -1. */
int sig_transfer_shift(const sig_ctx *c, sig_list *out);
int sig_quota_exits(const sig_ctx *c, sig_list *out);

/* NAME: sig_run
 * DESCRIPTION: every rule, rows ordered by code, then by the current
 *   quarter's household order (village rules: by village code).
 * RETURN: 0, or -1 out of memory. */
int sig_run(const sig_ctx *c, sig_list *out);

#endif
