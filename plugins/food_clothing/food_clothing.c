/* food_clothing.c — the `food_clothing` stage (standard §3.2): no worry about
 * food and clothing (吃穿不愁). */
#include <tuopin/stage.h>

#include "i18n.h"

#include <stdint.h>

static const char *const fc_columns[] = { "food_clothing_secure", NULL };

static int fc_open(const tp_host *host, void *ctx, void **state, char *err, size_t errlen)
{
    (void)ctx; (void)err; (void)errlen;
    *state = (void *)(uintptr_t)host; /* stateless: the instance is the host table */
    return 0;
}

static int fc_check(void *state, const tp_household *hh)
{
    const tp_host *host = state;
    tp_finding_args a = { "food_clothing_secure", 0, 0 };
    if (hh->food_clothing_secure.state == TP_MISSING)
        host->finding(hh, TP_FAIL, "MISSING_VALUE", 0, &a);
    else if (hh->food_clothing_secure.state == TP_BAD)
        host->finding(hh, TP_FAIL, "BAD_VALUE", 0, &a);
    else if (!hh->food_clothing_secure.value)
        host->finding(hh, TP_FAIL, "FOOD_CLOTHING_INSECURE", 0, NULL);
    return 0;
}

static const tp_stage fc_stage = {
    TP_ABI_VERSION, sizeof(tp_stage),
    "food_clothing", "1.0", N_("no worry about food and clothing (standard 3.2)"),
    0, NULL, fc_columns, fc_open, fc_check, NULL, NULL
};

TP_STAGE_DEFINE(fc_stage)
