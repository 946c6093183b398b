/* education.c — the `education` stage (standard §3.3): every member of
 * compulsory-school age is covered by education; any member whose age cannot
 * be determined fails the stage. */
#include <tuopin/stage.h>

#include <stdio.h>
#include <stdlib.h>
#include "i18n.h"

typedef struct edu_state {
    const tp_host *host;
    int64_t age_min, age_max;
} edu_state;

static const tp_param_decl edu_params[] = {
    { "school_age_min", TP_PARAM_INT, "6", "0", "30", N_("youngest age of compulsory schooling") },
    { "school_age_max", TP_PARAM_INT, "15", "0", "30", N_("oldest age of compulsory schooling") },
    { NULL, 0, NULL, NULL, NULL, NULL }
};

/* birth_date is optional: without it, ages come from the resident IDs. */
static const char *const edu_columns[] = { "school_status", NULL };

static int edu_open(const tp_host *host, void *ctx, void **state, char *err, size_t errlen)
{
    edu_state *s = calloc(1, sizeof *s);
    if (!s) return -1;
    s->host = host;
    if (host->param(ctx, "school_age_min", &s->age_min) < 0
        || host->param(ctx, "school_age_max", &s->age_max) < 0) {
        free(s);
        return -1;
    }
    if (s->age_min > s->age_max) {
        snprintf(err, errlen, _("parameter school_age_min (%lld) is above school_age_max (%lld)"),
                 (long long)s->age_min, (long long)s->age_max);
        free(s);
        return -1;
    }
    *state = s;
    return 0;
}

/* The school-status codes that count as covered (standard §3.3). */
static int covered(tp_school_code c)
{
    return c != TP_SCHOOL_DROPOUT && c != TP_SCHOOL_NOT_ENROLLED && c != TP_SCHOOL_NOT_IN_SCHOOL;
}

static int edu_check(void *state, const tp_household *hh)
{
    const edu_state *s = state;
    size_t i;
    for (i = 0; i < hh->n_members; i++) {
        const tp_member *m = &hh->members[i];
        tp_finding_args a = { "birth_date", 0, 0 };
        if (!m->age_known) {
            s->host->finding(hh, TP_FAIL, m->birth_date.state == TP_BAD ? "BAD_VALUE"
                                                                        : "MISSING_VALUE",
                             i + 1, &a);
            continue;
        }
        if (m->age < s->age_min || m->age > s->age_max) continue;
        a.column = "school_status";
        if (m->school.state == TP_MISSING)
            s->host->finding(hh, TP_FAIL, "MISSING_VALUE", i + 1, &a);
        else if (m->school.state == TP_BAD)
            s->host->finding(hh, TP_FAIL, "BAD_VALUE", i + 1, &a);
        else if (!covered(m->school.value)) {
            a.a = m->age;
            a.b = m->school.value;
            s->host->finding(hh, TP_FAIL, "SCHOOL_DROPOUT", i + 1, &a);
        }
    }
    return 0;
}

static void edu_close(void *state) { free(state); }

static const tp_stage edu_stage = {
    TP_ABI_VERSION, sizeof(tp_stage),
    "education", "1.0", N_("compulsory education for school-age members (standard 3.3)"),
    0, edu_params, edu_columns, edu_open, edu_check, edu_close, NULL
};

TP_STAGE_DEFINE(edu_stage)
