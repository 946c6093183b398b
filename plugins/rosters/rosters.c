/* rosters.c — the `rosters` stage (standard §8.2): each household's claims
 * against the department rosters the run was given (hukou, medical
 * insurance, school rolls, housing appraisals, assets), person by person by
 * normalised resident ID.  The host matches the IDs and holds the index; the
 * stage reads each member's rows through host->roster().
 *
 * A member whose normalised ID is not valid gets no roster finding of any
 * kind (identity already warns), and a kind the run was not given is not
 * checked.  Findings come kind by kind in the standard's table order, member
 * by member. */
#include <tuopin/stage.h>

#include <stdio.h>
#include <stdlib.h>

typedef struct rosters_state {
    const tp_host *host;
    unsigned kinds;
    int64_t age_min, age_max;
    int y, m, d;
} rosters_state;

static const tp_param_decl rosters_params[] = {
    { .name = "school_age_min", .type = TP_PARAM_INT, .default_value = "6", .min = "0", .max = "30",
      .description = "youngest age of compulsory schooling", .description_zh = "义务教育的最小年龄" },
    { .name = "school_age_max", .type = TP_PARAM_INT, .default_value = "15", .min = "0", .max = "30",
      .description = "oldest age of compulsory schooling", .description_zh = "义务教育的最大年龄" }
};

/* school_status and birth_date are optional (blank: no exemption; ages from
 * the IDs), as for the education stage. */
static const char *const rosters_columns[] = { "person_id", "relation", NULL };

static int rosters_open(const tp_stage *self, void *user, const tp_host *host, tp_ctx *ctx,
                        void **state, char *err, size_t errlen)
{
    rosters_state *s;
    (void)self; (void)user;
    s = calloc(1, sizeof *s);
    if (!s) return -1;
    s->host = host;
    s->kinds = host->rosters(ctx);
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
    host->as_of(ctx, &s->y, &s->m, &s->d);
    *state = s;
    return 0;
}

static void rosters_close(void *state)
{
    free(state);
}

/* The registry's yes/no as a detail argument: 1 yes, 0 no, -1 blank, -2 invalid. */
static int64_t claim(tp_yesno v)
{
    return v.state == TP_OK ? v.value : v.state == TP_MISSING ? -1 : -2;
}

/* An event on or before the as-of date. */
static int by_as_of(const rosters_state *s, tp_date e)
{
    if (e.state != TP_OK) return 0;
    if (e.year != s->y) return e.year < s->y;
    if (e.month != s->m) return e.month < s->m;
    return e.day <= s->d;
}

static int school_age(const rosters_state *s, const tp_member *m)
{
    return m->age_known && m->age >= s->age_min && m->age <= s->age_max;
}

static int rosters_check(void *state, const tp_household *hh)
{
    const rosters_state *s = state;
    const tp_host *host = s->host;
    tp_roster_row row;
    size_t i;
    int r;

    if (s->kinds & 1u << TP_ROSTER_HUKOU)
        for (i = 0; i < hh->n_members; i++) {
            tp_finding_args a = { "hukou", 0, 0 };
            if (host->roster(hh->ctx, i, TP_ROSTER_HUKOU, &row) != 1
                || row.hukou_status == TP_HUKOU_ACTIVE || !by_as_of(s, row.event_date))
                continue;
            a.a = (int64_t)row.event_date.year * 10000 + row.event_date.month * 100 + row.event_date.day;
            host->finding(hh->ctx, TP_WARN, row.hukou_status == TP_HUKOU_DECEASED ? "ROSTER_DECEASED"
                                                                             : "ROSTER_MOVED_OUT",
                          i + 1, &a);
        }

    if (s->kinds & 1u << TP_ROSTER_MEDICAL)
        for (i = 0; i < hh->n_members; i++) {
            tp_finding_args a = { "medical", 0, 0 };
            r = host->roster(hh->ctx, i, TP_ROSTER_MEDICAL, &row);
            if (r < 0 || (r == 1 && row.insured.value)) continue;
            a.a = r == 1 ? 0 : -1;     /* insured no / no row */
            a.b = claim(tp_member_at(hh, i)->medical_insured);
            host->finding(hh->ctx, TP_FAIL, "ROSTER_UNINSURED", i + 1, &a);
        }

    if (s->kinds & 1u << TP_ROSTER_SCHOOL)
        for (i = 0; i < hh->n_members; i++) {
            const tp_member *m = tp_member_at(hh, i);
            tp_finding_args a = { "school", 0, 0 };
            int exempt;
            if (!school_age(s, m)) continue;
            r = host->roster(hh->ctx, i, TP_ROSTER_SCHOOL, &row);
            if (r < 0 || (r == 1 && row.enrolled.value)) continue;
            exempt = m->school.state == TP_OK && (m->school.value == TP_SCHOOL_HOME_SCHOOLING
                                                  || m->school.value == TP_SCHOOL_EXEMPT);
            a.a = m->age;
            a.b = m->school.state == TP_OK ? (int64_t)m->school.value : m->school.state == TP_MISSING ? -1 : -2;
            if (r == 1 && !exempt) host->finding(hh->ctx, TP_FAIL, "ROSTER_NOT_ENROLLED", i + 1, &a);
            else if (r == 0) host->finding(hh->ctx, TP_WARN, "ROSTER_SCHOOL_ABSENT", i + 1, &a);
        }

    if (s->kinds & 1u << TP_ROSTER_HOUSING)
        for (i = 0; i < hh->n_members; i++) {
            tp_finding_args a = { "housing", 0, 0 };
            if (!tp_member_at(hh, i)->is_head) continue;
            /* the first head only; none: no finding */
            if (host->roster(hh->ctx, i, TP_ROSTER_HOUSING, &row) == 1
                && (row.housing_rating.value == 'C' || row.housing_rating.value == 'D')
                && !(row.housing_fixed.state == TP_OK && row.housing_fixed.value)) {
                a.a = row.housing_rating.value + (claim(row.housing_fixed) + 2) * 256;
                a.b = (hh->housing_rating.state == TP_OK ? hh->housing_rating.value : 0)
                      + (claim(hh->housing_fixed) + 2) * 256;
                host->finding(hh->ctx, TP_FAIL, "ROSTER_HOUSING_UNSAFE", 0, &a);
            }
            break;
        }

    if (s->kinds & 1u << TP_ROSTER_ASSETS)
        for (i = 0; i < hh->n_members; i++) {
            size_t k;
            if (host->roster(hh->ctx, i, TP_ROSTER_ASSETS, &row) != 1) continue;
            for (k = 0; k < row.n_assets; k++) {
                tp_finding_args a = { "assets", 0, 0 };
                a.a = row.assets[k];
                a.b = hh->status;
                host->finding(hh->ctx, TP_WARN, "ROSTER_ASSETS", i + 1, &a);
            }
        }
    return 0;
}

/* Its ROSTER_* findings carry roster values the host encodes (dates,
 * claims, ratings), so the host words them; it declares the rosters role
 * (standard §8: rosters.csv counts its findings). */
static const tp_stage rosters_stage = {
    TP_STAGE_HEAD,
    .name = "rosters",
    .version = "1.0",
    .description = "the registry against the department rosters: hukou, insurance, school, "
                   "housing, assets (standard 8.2)",
    .description_zh = "建档立卡与部门名单比对：户籍、医保、学籍、住房、财产（标准 8.2）",
    .role = TP_ROLE_ROSTERS,
    .params = TP_LIST(rosters_params),
    .columns = rosters_columns,
    .open = rosters_open,
    .check = rosters_check,
    .close = rosters_close
};

TP_STAGE_DEFINE(rosters_stage)
