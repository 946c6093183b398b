/* housing.c — the `housing` stage (standard §3.5): safe housing.  Ratings A
 * and B pass; C and D (危房) pass only when renovation or relocation is done. */
#include <tuopin/stage.h>

#include "i18n.h"

#include <stdint.h>

static const char *const housing_columns[] = { "housing_rating", "housing_fixed", NULL };

static int housing_open(const tp_host *host, void *ctx, void **state, char *err, size_t errlen)
{
    (void)ctx; (void)err; (void)errlen;
    *state = (void *)(uintptr_t)host; /* stateless: the instance is the host table */
    return 0;
}

static int housing_check(void *state, const tp_household *hh)
{
    const tp_host *host = state;
    tp_finding_args a = { "housing_rating", 0, 0 };
    tp_yesno fixed = hh->housing_fixed;
    if (hh->housing_rating.state == TP_MISSING) {
        host->finding(hh, TP_FAIL, "MISSING_VALUE", 0, &a);
        return 0;
    }
    if (hh->housing_rating.state == TP_BAD) {
        host->finding(hh, TP_FAIL, "BAD_VALUE", 0, &a);
        return 0;
    }
    if (hh->housing_rating.value == 'A' || hh->housing_rating.value == 'B') return 0;
    a.column = "housing_fixed";
    if (fixed.state == TP_MISSING)
        host->finding(hh, TP_FAIL, "MISSING_VALUE", 0, &a);
    else if (fixed.state == TP_BAD)
        host->finding(hh, TP_FAIL, "BAD_VALUE", 0, &a);
    else if (!fixed.value) {
        a.column = NULL;
        a.a = hh->housing_rating.value;
        host->finding(hh, TP_FAIL, "HOUSING_UNSAFE", 0, &a);
    }
    return 0;
}

static const tp_stage housing_stage = {
    TP_ABI_VERSION, sizeof(tp_stage),
    "housing", "1.0", N_("safe housing (standard 3.5)"),
    0, NULL, housing_columns, housing_open, housing_check, NULL, NULL
};

TP_STAGE_DEFINE(housing_stage)
