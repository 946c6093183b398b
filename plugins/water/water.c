/* water.c — the `water` stage (standard §3.6): safe drinking water. */
#include <tuopin/stage.h>

#include "i18n.h"

#include <stdint.h>

static const char *const water_columns[] = { "water_safe", NULL };

static int water_open(const tp_host *host, void *ctx, void **state, char *err, size_t errlen)
{
    (void)ctx; (void)err; (void)errlen;
    *state = (void *)(uintptr_t)host; /* stateless: the instance is the host table */
    return 0;
}

static int water_check(void *state, const tp_household *hh)
{
    const tp_host *host = state;
    tp_finding_args a = { "water_safe", 0, 0 };
    if (hh->water_safe.state == TP_MISSING)
        host->finding(hh, TP_FAIL, "MISSING_VALUE", 0, &a);
    else if (hh->water_safe.state == TP_BAD)
        host->finding(hh, TP_FAIL, "BAD_VALUE", 0, &a);
    else if (!hh->water_safe.value)
        host->finding(hh, TP_FAIL, "WATER_UNSAFE", 0, NULL);
    return 0;
}

static const tp_stage water_stage = {
    TP_ABI_VERSION, sizeof(tp_stage),
    "water", "1.0", N_("safe drinking water (standard 3.6)"),
    0, NULL, water_columns, water_open, water_check, NULL, NULL
};

TP_STAGE_DEFINE(water_stage)
