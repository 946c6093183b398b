/* compare.h — comparing two quarters household by household: the named
 * transitions of docs/history.md, the transition matrix per county, the
 * parameters of compare, signals and monitoring, and the `tuopin compare`
 * command.  See docs/history.md for every rule and its reasoning. */
#ifndef TUOPIN_COMPARE_H
#define TUOPIN_COMPARE_H

#include <stdint.h>
#include <stdio.h>
#include "monitor.h"
#include "quarters.h"
#include <tuopin/stage.h>

/* Named transitions, in order of precedence: a household gets the first
 * that applies (docs/history.md, "Transitions"). */
typedef enum {
    CMP_REJECTED,            /* rows rejected in either quarter: nothing to compare */
    CMP_NEW,                 /* not in the previous quarter */
    CMP_VANISHED,            /* not in the current quarter */
    CMP_EXIT_UNREGISTERED,   /* general -> exited: exited without being registered poor */
    CMP_SKIPPED_CHECKS,      /* poor and remains_poor -> exited: exit without passing the checks */
    CMP_RETURN_TO_POVERTY,   /* exit_confirmed -> wrongly_exited or remains_poor (返贫) */
    CMP_EXIT_REVOKED,        /* exited -> poor, otherwise */
    CMP_EXITED,              /* can_exit -> exited */
    CMP_BECAME_EXIT_READY,   /* remains_poor -> can_exit */
    CMP_FELL_BACK,           /* can_exit -> remains_poor */
    CMP_REGISTERED,          /* general -> poor (新识别) */
    CMP_DEREGISTERED,        /* poor or exited -> general */
    CMP_NOW_MEETS,           /* wrongly_exited -> exit_confirmed */
    CMP_NEWLY_MISSED,        /* not_poor or unverified -> missed */
    CMP_UNCHANGED,           /* the same assessment */
    CMP_OTHER,               /* any other change */
    CMP_NTRANS
} cmp_transition;

extern const char *const cmp_transition_names[CMP_NTRANS];
extern const char *const cmp_transition_zh[CMP_NTRANS];

/* NAME: cmp_classify
 * DESCRIPTION: the named transition of a household from record a (previous
 *   quarter) to record b (current quarter); either may be absent or
 *   rejected, not both absent. */
cmp_transition cmp_classify(const qd_rec *a, const qd_rec *b);

/* Matrix states: the seven assessments (hh_assessment order), then
 * rejected and absent. */
#define CMP_ST_REJECTED 7
#define CMP_ST_ABSENT 8
#define CMP_NSTATES 9
extern const char *const cmp_state_names[CMP_NSTATES];
int cmp_state(const qd_rec *r);

/* ---- parameters -------------------------------------------------------------- */

/* The parameters of compare, with their defaults (docs/history.md).
 * Money in cents, ratios in millionths. */
typedef struct cmp_params {
    int64_t income_line;          /* 0: each quarter's run's own line */
    int64_t lookback;             /* lookback_quarters */
    int64_t rise_fall_max;        /* rise_fall_max_quarters */
    int64_t near_band;            /* near_exit_band */
    int64_t rush_window;          /* rush_window_quarters; 0: the calendar year */
    int64_t shift_min;            /* shift_min */
    int64_t shift_tol;            /* shift_tolerance */
    int64_t quota_min_poor, quota_step, quota_min_villages, quota_min_fraction;
    int64_t monitor_factor;       /* monitor_factor */
    int64_t monitor_line;         /* monitor_line; 0: factor x the year's line */
    int64_t sudden_drop;          /* sudden_drop */
} cmp_params;

extern const tp_param_decl cmp_param_decls[];

/* The defaults of cmp_param_decls into p. */
void cmp_params_default(cmp_params *p);

/* NAME: cmp_monitor_rule
 * DESCRIPTION: the monitoring rule of quarter `quarter` (YYYYQn) under p:
 *   monitor_line, else monitor_factor x the national line of its year from
 *   data/national-lines.csv, else x cur_line (the run's income_line, cents);
 *   poverty_line is cur_line.  The basis in words into basis / basis_zh (bn
 *   bytes each).
 * RETURN: 0, or -1 with err. */
int cmp_monitor_rule(const cmp_params *p, const char *quarter, int64_t cur_line, mon_rule *mon,
                     char *basis, char *basis_zh, size_t bn, char *err, size_t errlen);

/* `tuopin compare …`; argv[0] is "compare".  RETURN the exit status. */
int compare_main(int argc, char **argv);

#endif
