/* hhsignals.h — one household's history signals: the pattern signals of
 * signals.h that involve it and its monitoring category (monitor.h), for the
 * quarter of one run, from a history that holds that run.  What `tuopin
 * explain` shows (docs/explain.md); the rules are compare's, with its
 * default parameters (docs/history.md). */
#ifndef TUOPIN_HHSIGNALS_H
#define TUOPIN_HHSIGNALS_H

#include <stddef.h>
#include <stdint.h>
#include "monitor.h"
#include "signals.h"

/* hs_result.state */
enum {
    HS_OK,            /* compared with the quarter before */
    HS_NO_QUARTER,    /* the history holds no quarter of the run's */
    HS_OTHER_RUN,     /* it holds the quarter, from another input (SHA-256) */
    HS_NO_PREVIOUS,   /* it holds the run's quarter and none before it */
    HS_NOT_IN_HISTORY /* the household is not in the history's quarter */
};

typedef struct hs_signal {
    sig_code code;
    char quarters[96];           /* the quarters of the evidence, joined by ';' */
    char *evidence, *evidence_zh;/* owned: the exact figures, as signals.csv */
    char *others;                /* owned: the other households involved, ';' */
    int role;                    /* 0: the signal is about this household; 1: it is
                                    the other side (a TRANSFER_SHIFT donor) */
} hs_signal;

typedef struct hs_result {
    int state;
    char regions[160];           /* the region set the run is filed under */
    char prev[8], cur[8];        /* PREVIOUS and CURRENT */
    char read[160];              /* the quarters read, joined by ';' */
    int transfers_known;         /* both quarters have transfer incomes */
    hs_signal *sig;
    size_t nsig;
    int mon;                     /* mon_category, or MON_NONE */
    char mon_reasons[256];       /* codes joined by ';' */
    char mon_line[32];           /* the monitoring line per person, yuan (rounded to the cent) */
    char mon_basis[256], mon_basis_zh[256];
} hs_result;

void hs_result_free(hs_result *r);

/* NAME: hs_household
 * DESCRIPTION: the history signals of household `hid` (in village `region`,
 *   12 digits) of the run of `quarter` whose input had SHA-256 `sha`: loads
 *   from history `hist` the run's quarter, the one before it and the
 *   lookback quarters (only the household's town: bounded time and memory),
 *   runs every signal rule and the monitoring rule with compare's defaults,
 *   and keeps what involves the household.
 * RETURN: 0 with *r filled (r->state says what was found), or -1 with a
 *   message naming the file. */
int hs_household(const char *hist, const char *quarter, const char *sha, const char *hid, const char *region,
                 hs_result *r, char *err, size_t errlen);

#endif
