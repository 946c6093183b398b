/* monitor.h — the dynamic monitoring list (防止返贫动态监测, standard §7):
 * exited and general households under the monitoring line, each in one of
 * the three categories with the reasons.  Rules in docs/history.md. */
#ifndef TUOPIN_MONITOR_H
#define TUOPIN_MONITOR_H

#include <stddef.h>
#include <stdint.h>
#include "quarters.h"

typedef enum {
    MON_NONE = -1,
    MON_SUDDEN = 0,     /* 突发严重困难户: sudden severe hardship */
    MON_UNSTABLE = 1,   /* 脱贫不稳定户: exited, not yet stable */
    MON_EDGE = 2,       /* 边缘易致贫户: general, at the edge of poverty */
    MON_N = 3
} mon_category;

extern const char *const mon_names[MON_N];
extern const char *const mon_names_zh[MON_N];

/* The monitoring line per person as an exact fraction num / den cents
 * (1.5 x 4000.00 yuan is 400000 x 1500000 / 1000000). */
typedef struct mon_rule {
    int64_t line_num, line_den;   /* monitoring line */
    int64_t poverty_line;         /* cents; 0 unknown (no BELOW_POVERTY_LINE reason) */
    int64_t sudden_drop;          /* millionths: a fall of at least this share of the
                                     previous per-capita income is sudden */
} mon_rule;

/* NAME: mon_classify
 * DESCRIPTION: the category of household record cur (current quarter),
 *   with prev its record in the previous quarter (may be absent), and the
 *   reasons, codes joined by ';', into reasons.
 * RETURN: the category, or MON_NONE when the household is not monitored. */
mon_category mon_classify(const qd_rec *prev, const qd_rec *cur, const mon_rule *r,
                          char *reasons, size_t n);

#endif
