/* elderly.c — an example stage built outside tuopin's tree: it warns
 * ELDERLY_ONLY when every member of a household is at least `elderly_age`
 * years old at the as-of date (a household of old people alone, which
 * monitoring follows closely), and fails MISSING_VALUE when no member's age
 * is known.  Copy this folder to start a stage of your own; docs/plugins.md
 * walks through it and <tuopin/stage.h> documents every field.
 *
 *     make                                  # needs an installed tuopin.pc
 *     mkdir -m 700 ~/stages && cp elderly.so ~/stages/
 *     TUOPIN_PLUGIN_PATH=$HOME/stages tuopin plugins
 *
 * and in a pipeline: stage "elderly". */
#include <tuopin/stage.h>

#include <stdlib.h>

typedef struct elderly_state {
    const tp_host *host;     /* kept from open(): check() reports through it */
    int64_t age;             /* the elderly_age parameter */
} elderly_state;

/* Parameters: validated by tuopin from the pipeline's params {} and
 * --param elderly_age=N, within the bounds given here. */
static const tp_param_decl elderly_params[] = {
    { .name = "elderly_age", .type = TP_PARAM_INT, .default_value = "65", .min = "50",
      .max = "120", .description = "age from which a member counts as elderly",
      .description_zh = "视为老年人的年龄下限" }
};

/* The finding codes it reports, with their texts in English and Chinese:
 * tuopin words the detail in the run's language (--lang). */
static const tp_code_decl elderly_codes[] = {
    { .code = "ELDERLY_ONLY", .en = "all {a.int} members are {b.int} or older",
      .zh = "全部{a.int}名成员年满{b.int}岁" }
};

static int elderly_open(const tp_stage *self, void *user, const tp_host *host, tp_ctx *ctx,
                        void **state, char *err, size_t errlen)
{
    elderly_state *s = calloc(1, sizeof *s);
    (void)self; (void)user; (void)err; (void)errlen;
    if (!s) return -1;
    s->host = host;
    if (host->param(ctx, "elderly_age", &s->age) < 0) {
        free(s);
        return -1;
    }
    *state = s;
    return 0;
}

static int elderly_check(void *state, const tp_household *hh)
{
    const elderly_state *s = state;
    size_t i, known = 0, old = 0;
    for (i = 0; i < hh->n_members; i++) {
        const tp_member *m = tp_member_at(hh, i);   /* never hh->members[i] */
        if (!m->age_known) continue;
        known++;
        old += m->age >= s->age;
    }
    if (known == 0) {
        tp_finding_args a = { .column = "birth_date" };
        return s->host->finding(hh->ctx, TP_FAIL, "MISSING_VALUE", 0, &a);
    }
    if (known == hh->n_members && old == known) {
        tp_finding_args a = { .a = (int64_t)known, .b = s->age };
        return s->host->finding(hh->ctx, TP_WARN, "ELDERLY_ONLY", 0, &a);
    }
    return 0;
}

static void elderly_close(void *state) { free(state); }

static const tp_stage elderly_stage = {
    TP_STAGE_HEAD,
    .name = "elderly",                /* the file is elderly.so */
    .version = "1.0",
    .description = "households of elderly members only",
    .description_zh = "仅有老年成员的户",
    .params = TP_LIST(elderly_params),
    .codes = TP_LIST(elderly_codes),
    .open = elderly_open,
    .check = elderly_check,
    .close = elderly_close
};

TP_STAGE_DEFINE(elderly_stage)
