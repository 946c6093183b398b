/* monitor.c — the monitoring categories of standard §7. */
#include "monitor.h"

#include <stdio.h>
#include <string.h>
#include <tuopin/stage.h>

const char *const mon_names[MON_N] = { "sudden_hardship", "unstable_exited", "edge_of_poverty" };
const char *const mon_names_zh[MON_N] = { "突发严重困难户", "脱贫不稳定户", "边缘易致贫户" };

static void add(char *buf, size_t n, const char *code)
{
    size_t k = strlen(buf);
    snprintf(buf + k, n - k, "%s%s", k ? ";" : "", code);
}

mon_category mon_classify(const qd_rec *prev, const qd_rec *cur, const mon_rule *r,
                          char *reasons, size_t n)
{
    /* the checks of 两不愁三保障: a new failure of one is a sudden hardship */
    static const struct { int dim; const char *code; } checks[] = {
        { QD_DIM_FOOD_CLOTHING, "NEW_FAIL_FOOD_CLOTHING" }, { QD_DIM_EDUCATION, "NEW_FAIL_EDUCATION" },
        { QD_DIM_MEDICAL, "NEW_FAIL_MEDICAL" }, { QD_DIM_HOUSING, "NEW_FAIL_HOUSING" },
        { QD_DIM_WATER, "NEW_FAIL_WATER" }
    };
    int sudden = 0, prev_ok = prev && prev->state == QD_PRESENT;
    size_t i;
    reasons[0] = '\0';
    if (cur->state != QD_PRESENT || cur->status == TP_STATUS_POOR) return MON_NONE;
    if (!(cur->flags & QD_NET)) {
        /* missing data never passes: an unknown income is monitored */
        add(reasons, n, "INCOME_UNKNOWN");
    } else {
        if (qd_pc_cmp(cur, r->line_num, r->line_den) >= 0) return MON_NONE;
        if (r->poverty_line > 0 && qd_pc_below(cur, r->poverty_line)) add(reasons, n, "BELOW_POVERTY_LINE");
        else add(reasons, n, "BELOW_MONITOR_LINE");
        if (prev_ok && (prev->flags & QD_NET) && qd_pc_fell_by(prev, cur, r->sudden_drop)) {
            add(reasons, n, "INCOME_DROP");
            sudden = 1;
        }
    }
    if (prev_ok)
        for (i = 0; i < sizeof checks / sizeof checks[0]; i++) {
            unsigned bit = 1u << checks[i].dim;
            if ((cur->fails & bit) && !(prev->fails & bit)) {
                add(reasons, n, checks[i].code);
                sudden = 1;
            }
        }
    if (sudden) return MON_SUDDEN;
    return cur->status == TP_STATUS_EXITED ? MON_UNSTABLE : MON_EDGE;
}
