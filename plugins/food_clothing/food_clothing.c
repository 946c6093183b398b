/* food_clothing.c — the `food_clothing` stage (standard §3.2): no worry about
 * food and clothing (吃穿不愁). */
#include <tuopin/stage.h>

#include <stdint.h>

static const char *const fc_columns[] = { "food_clothing_secure", NULL };

static int fc_open(const tp_stage *self, void *user, const tp_host *host, tp_ctx *ctx,
                    void **state, char *err, size_t errlen)
{
    (void)self; (void)user; (void)ctx; (void)err; (void)errlen;
    *state = (void *)(uintptr_t)host; /* stateless: the instance is the host table */
    return 0;
}

static int fc_check(void *state, const tp_household *hh)
{
    const tp_host *host = state;
    tp_finding_args a = { "food_clothing_secure", 0, 0 };
    if (hh->food_clothing_secure.state == TP_MISSING)
        host->finding(hh->ctx, TP_FAIL, "MISSING_VALUE", 0, &a);
    else if (hh->food_clothing_secure.state == TP_BAD)
        host->finding(hh->ctx, TP_FAIL, "BAD_VALUE", 0, &a);
    else if (!hh->food_clothing_secure.value)
        host->finding(hh->ctx, TP_FAIL, "FOOD_CLOTHING_INSECURE", 0, NULL);
    return 0;
}

static const tp_code_decl fc_codes[] = {
    { .code = "FOOD_CLOTHING_INSECURE", .en = "food and clothing are not secure",
      .zh = "吃穿不愁未达标" }
};

static const tp_stage fc_stage = {
    TP_STAGE_HEAD,
    .name = "food_clothing",
    .version = "1.0",
    .description = "no worry about food and clothing (standard 3.2)",
    .description_zh = "不愁吃、不愁穿（标准 3.2）",
    .dimension = TP_DIM_FOOD_CLOTHING,
    .codes = TP_LIST(fc_codes),
    .columns = fc_columns,
    .open = fc_open,
    .check = fc_check
};

TP_STAGE_DEFINE(fc_stage)
