/* water.c — the `water` stage (standard §3.6): safe drinking water. */
#include <tuopin/stage.h>

#include <stdint.h>

static const char *const water_columns[] = { "water_safe", NULL };

static int water_open(const tp_stage *self, void *user, const tp_host *host, tp_ctx *ctx,
                    void **state, char *err, size_t errlen)
{
    (void)self; (void)user; (void)ctx; (void)err; (void)errlen;
    *state = (void *)(uintptr_t)host; /* stateless: the instance is the host table */
    return 0;
}

static int water_check(void *state, const tp_household *hh)
{
    const tp_host *host = state;
    tp_finding_args a = { "water_safe", 0, 0 };
    if (hh->water_safe.state == TP_MISSING)
        host->finding(hh->ctx, TP_FAIL, "MISSING_VALUE", 0, &a);
    else if (hh->water_safe.state == TP_BAD)
        host->finding(hh->ctx, TP_FAIL, "BAD_VALUE", 0, &a);
    else if (!hh->water_safe.value)
        host->finding(hh->ctx, TP_FAIL, "WATER_UNSAFE", 0, NULL);
    return 0;
}

static const tp_code_decl water_codes[] = {
    { .code = "WATER_UNSAFE", .en = "drinking water is not safe",
      .zh = "饮水安全未达标" }
};

static const tp_stage water_stage = {
    TP_STAGE_HEAD,
    .name = "water",
    .version = "1.0",
    .description = "safe drinking water (standard 3.6)",
    .description_zh = "饮水安全有保障（标准 3.6）",
    .dimension = TP_DIM_WATER,
    .codes = TP_LIST(water_codes),
    .columns = water_columns,
    .open = water_open,
    .check = water_check
};

TP_STAGE_DEFINE(water_stage)
