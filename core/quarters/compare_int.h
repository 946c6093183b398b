/* compare_int.h — what compare.c hands to the writer of compare.html.  Not
 * part of any public interface. */
#ifndef TUOPIN_COMPARE_INT_H
#define TUOPIN_COMPARE_INT_H

#include <stdio.h>
#include "compare.h"
#include "monitor.h"
#include "params.h"
#include "signals.h"

typedef struct cmp_report {
    const qd_set *s;
    int prev, cur;                       /* quarter indexes in s */
    const cmp_params *p;
    const params *prm;                   /* every parameter in force, for the record */
    const int64_t *line;                 /* per quarter of s, cents (0 unknown) */
    unsigned long long households;       /* in either quarter */
    unsigned long long trans[CMP_NTRANS];
    /* per county (6 digits; index 0 is the whole comparison, code "") */
    size_t ncounties;
    char (*county)[7];
    unsigned long long (*matrix)[CMP_NSTATES][CMP_NSTATES];
    unsigned long long (*ctrans)[CMP_NTRANS];
    unsigned long long (*cmon)[MON_N];
    const sig_list *sig;
    unsigned long long sig_count[SIG_N];
    const char *sig_note[SIG_N];         /* why a rule could not run, or NULL */
    const char *sig_note_zh[SIG_N];      /* the same in Chinese */
    unsigned long long mon[MON_N];
    int64_t mon_num, mon_den;            /* the monitoring line, num / den cents */
    const char *mon_basis;               /* how the monitoring line was set */
    const char *mon_basis_zh;            /* the same in Chinese */
    const struct rnames *names;          /* counties' names beside their codes, or NULL */
} cmp_report;

/* NAME: cmp_write_html
 * DESCRIPTION: compare.html: counts, the matrix, signals (codes, regions,
 *   household ids and quarters; no incomes, no names) and monitoring counts.
 * RETURN: 0, or -1 on a write error (the caller checks the stream). */
int cmp_write_html(FILE *f, const cmp_report *r);

#endif
