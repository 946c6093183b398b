/* housing.c — the `housing` stage (standard §3.5): safe housing.  Ratings A
 * and B pass; C and D (危房) pass only when renovation or relocation is done. */
#include <tuopin/stage.h>

#include <stdint.h>

static const char *const housing_columns[] = { "housing_rating", "housing_fixed", NULL };

static int housing_open(const tp_stage *self, void *user, const tp_host *host, tp_ctx *ctx,
                    void **state, char *err, size_t errlen)
{
    (void)self; (void)user; (void)ctx; (void)err; (void)errlen;
    *state = (void *)(uintptr_t)host; /* stateless: the instance is the host table */
    return 0;
}

static int housing_check(void *state, const tp_household *hh)
{
    const tp_host *host = state;
    tp_finding_args a = { "housing_rating", 0, 0 };
    tp_yesno fixed = hh->housing_fixed;
    if (hh->housing_rating.state == TP_MISSING) {
        host->finding(hh->ctx, TP_FAIL, "MISSING_VALUE", 0, &a);
        return 0;
    }
    if (hh->housing_rating.state == TP_BAD) {
        host->finding(hh->ctx, TP_FAIL, "BAD_VALUE", 0, &a);
        return 0;
    }
    if (hh->housing_rating.value == 'A' || hh->housing_rating.value == 'B') return 0;
    a.column = "housing_fixed";
    if (fixed.state == TP_MISSING)
        host->finding(hh->ctx, TP_FAIL, "MISSING_VALUE", 0, &a);
    else if (fixed.state == TP_BAD)
        host->finding(hh->ctx, TP_FAIL, "BAD_VALUE", 0, &a);
    else if (!fixed.value) {
        a.column = NULL;
        a.a = hh->housing_rating.value;
        host->finding(hh->ctx, TP_FAIL, "HOUSING_UNSAFE", 0, &a);
    }
    return 0;
}

static const tp_code_decl housing_codes[] = {
    { .code = "HOUSING_UNSAFE", .en = "housing rated {a.char} (unsafe) and not renovated or relocated",
      .zh = "住房安全等级为{a.char}级（危房），危房改造或搬迁未完成" }
};

static const tp_stage housing_stage = {
    TP_STAGE_HEAD,
    .name = "housing",
    .version = "1.0",
    .description = "safe housing (standard 3.5)",
    .description_zh = "住房安全有保障（标准 3.5）",
    .dimension = TP_DIM_HOUSING,
    .codes = TP_LIST(housing_codes),
    .columns = housing_columns,
    .open = housing_open,
    .check = housing_check
};

TP_STAGE_DEFINE(housing_stage)
