/* education.c — the `education` stage (standard §3.3): every member of
 * compulsory-school age is covered by education; any member whose age cannot
 * be determined fails the stage. */
#include <tuopin/stage.h>

#include <stdio.h>
#include <stdlib.h>

typedef struct edu_state {
    const tp_host *host;
    int64_t age_min, age_max;
} edu_state;

static const tp_param_decl edu_params[] = {
    { .name = "school_age_min", .type = TP_PARAM_INT, .default_value = "6", .min = "0", .max = "30",
      .description = "youngest age of compulsory schooling", .description_zh = "义务教育的最小年龄" },
    { .name = "school_age_max", .type = TP_PARAM_INT, .default_value = "15", .min = "0", .max = "30",
      .description = "oldest age of compulsory schooling", .description_zh = "义务教育的最大年龄" }
};

/* The detail names the band, never the age: beside the member's masked ID an
 * exact age would narrow the hidden birth date to a year (issue 18 item 6;
 * docs/decisions.md). */
static const tp_code_decl edu_codes[] = {
    { .code = "SCHOOL_DROPOUT",
      .en = "{who}of compulsory-school age but not in school (school status: {b.school})",
      .zh = "{who}处于义务教育年龄但未在校（在校生状况：{b.school}）" }
};

/* birth_date is optional: without it, ages come from the resident IDs. */
static const char *const edu_columns[] = { "school_status", NULL };

static int edu_open(const tp_stage *self, void *user, const tp_host *host, tp_ctx *ctx,
                    void **state, char *err, size_t errlen)
{
    edu_state *s = calloc(1, sizeof *s);
    (void)self; (void)user;
    if (!s) return -1;
    s->host = host;
    if (host->param(ctx, "school_age_min", &s->age_min) < 0
        || host->param(ctx, "school_age_max", &s->age_max) < 0) {
        free(s);
        return -1;
    }
    if (s->age_min > s->age_max) {
        snprintf(err, errlen, host->chinese(ctx)
                 ? "参数 school_age_min（%lld）大于 school_age_max（%lld）"
                 : "parameter school_age_min (%lld) is above school_age_max (%lld)",
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
        const tp_member *m = tp_member_at(hh, i);
        tp_finding_args a = { "birth_date", 0, 0 };
        if (!m->age_known) {
            s->host->finding(hh->ctx, TP_FAIL, m->birth_date.state == TP_BAD ? "BAD_VALUE"
                                                                        : "MISSING_VALUE",
                             i + 1, &a);
            continue;
        }
        if (m->age < s->age_min || m->age > s->age_max) continue;
        a.column = "school_status";
        if (m->school.state == TP_MISSING)
            s->host->finding(hh->ctx, TP_FAIL, "MISSING_VALUE", i + 1, &a);
        else if (m->school.state == TP_BAD)
            s->host->finding(hh->ctx, TP_FAIL, "BAD_VALUE", i + 1, &a);
        else if (!covered(m->school.value)) {
            a.a = m->age;
            a.b = m->school.value;
            s->host->finding(hh->ctx, TP_FAIL, "SCHOOL_DROPOUT", i + 1, &a);
        }
    }
    return 0;
}

static void edu_close(void *state) { free(state); }

static const tp_stage edu_stage = {
    TP_STAGE_HEAD,
    .name = "education",
    .version = "1.0",
    .description = "compulsory education for school-age members (standard 3.3)",
    .description_zh = "适龄成员义务教育有保障（标准 3.3）",
    .dimension = TP_DIM_EDUCATION,
    .params = TP_LIST(edu_params),
    .codes = TP_LIST(edu_codes),
    .columns = edu_columns,
    .open = edu_open,
    .check = edu_check,
    .close = edu_close
};

TP_STAGE_DEFINE(edu_stage)
