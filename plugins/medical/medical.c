/* medical.c — the `medical` stage (standard §3.4): every member insured by
 * basic medical insurance. */
#include <tuopin/stage.h>

#include "i18n.h"

#include <stdint.h>

static const char *const medical_columns[] = { "medical_insured", NULL };

static int medical_open(const tp_host *host, void *ctx, void **state, char *err, size_t errlen)
{
    (void)ctx; (void)err; (void)errlen;
    *state = (void *)(uintptr_t)host; /* stateless: the instance is the host table */
    return 0;
}

static int medical_check(void *state, const tp_household *hh)
{
    const tp_host *host = state;
    tp_finding_args a = { "medical_insured", 0, 0 };
    size_t i;
    for (i = 0; i < hh->n_members; i++) {
        tp_yesno v = hh->members[i].medical_insured;
        if (v.state == TP_MISSING)
            host->finding(hh, TP_FAIL, "MISSING_VALUE", i + 1, &a);
        else if (v.state == TP_BAD)
            host->finding(hh, TP_FAIL, "BAD_VALUE", i + 1, &a);
        else if (!v.value)
            host->finding(hh, TP_FAIL, "MEDICAL_UNINSURED", i + 1, NULL);
    }
    return 0;
}

static const tp_stage medical_stage = {
    TP_ABI_VERSION, sizeof(tp_stage),
    "medical", "1.0", N_("basic medical insurance for every member (standard 3.4)"),
    0, NULL, medical_columns, medical_open, medical_check, NULL, NULL
};

TP_STAGE_DEFINE(medical_stage)
