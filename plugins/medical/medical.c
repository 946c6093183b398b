/* medical.c — the `medical` stage (standard §3.4): every member insured by
 * basic medical insurance. */
#include <tuopin/stage.h>

#include <stdint.h>

static const char *const medical_columns[] = { "medical_insured", NULL };

static int medical_open(const tp_stage *self, void *user, const tp_host *host, tp_ctx *ctx,
                    void **state, char *err, size_t errlen)
{
    (void)self; (void)user; (void)ctx; (void)err; (void)errlen;
    *state = (void *)(uintptr_t)host; /* stateless: the instance is the host table */
    return 0;
}

static int medical_check(void *state, const tp_household *hh)
{
    const tp_host *host = state;
    tp_finding_args a = { "medical_insured", 0, 0 };
    size_t i;
    for (i = 0; i < hh->n_members; i++) {
        tp_yesno v = tp_member_at(hh, i)->medical_insured;
        if (v.state == TP_MISSING)
            host->finding(hh->ctx, TP_FAIL, "MISSING_VALUE", i + 1, &a);
        else if (v.state == TP_BAD)
            host->finding(hh->ctx, TP_FAIL, "BAD_VALUE", i + 1, &a);
        else if (!v.value)
            host->finding(hh->ctx, TP_FAIL, "MEDICAL_UNINSURED", i + 1, NULL);
    }
    return 0;
}

static const tp_code_decl medical_codes[] = {
    { .code = "MEDICAL_UNINSURED", .en = "{who}not insured by basic medical insurance",
      .zh = "{who}未参加基本医疗保险" }
};

static const tp_stage medical_stage = {
    TP_STAGE_HEAD,
    .name = "medical",
    .version = "1.0",
    .description = "basic medical insurance for every member (standard 3.4)",
    .description_zh = "每名成员基本医疗有保障（标准 3.4）",
    .dimension = TP_DIM_MEDICAL,
    .codes = TP_LIST(medical_codes),
    .columns = medical_columns,
    .open = medical_open,
    .check = medical_check
};

TP_STAGE_DEFINE(medical_stage)
