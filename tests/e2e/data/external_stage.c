/* external_stage.c — a third party's stage, built outside the tree against
 * the installed <tuopin/stage.h> only (tests/e2e/external_stage.sh).  It
 * fails households with at least `ext_min_members` members, words its
 * finding in English and Chinese, and declares itself the water dimension of
 * the Alkire–Foster view (standard §6): a third party's stage can be one. */
#include <tuopin/stage.h>

#include <stdlib.h>

typedef struct ext_state { const tp_host *host; int64_t min_members; } ext_state;

static const tp_param_decl ext_params[] = {
    { .name = "ext_min_members", .type = TP_PARAM_INT, .default_value = "3", .min = "1", .max = "100",
      .description = "members from which a household is big", .description_zh = "大户的最少人数" }
};

static const tp_code_decl ext_codes[] = {
    { .code = "EXT_BIG_HOUSEHOLD", .en = "{a.int} members, at least {b.int}",
      .zh = "{a.int}名成员，不少于{b.int}名" }
};

static const char *const ext_columns[] = { "household_id", NULL };

static int ext_open(const tp_stage *self, void *user, const tp_host *host, tp_ctx *ctx,
                    void **state, char *err, size_t errlen)
{
    ext_state *s = calloc(1, sizeof *s);
    (void)self; (void)user; (void)err; (void)errlen;
    if (!s) return -1;
    s->host = host;
    if (host->param(ctx, "ext_min_members", &s->min_members) < 0) {
        free(s);
        return -1;
    }
    *state = s;
    return 0;
}

static int ext_check(void *state, const tp_household *hh)
{
    const ext_state *s = state;
    tp_finding_args a = { .a = (int64_t)hh->n_members, .b = s->min_members };
    if ((int64_t)hh->n_members >= s->min_members)
        return s->host->finding(hh->ctx, TP_FAIL, "EXT_BIG_HOUSEHOLD", 0, &a);
    return 0;
}

static void ext_close(void *state) { free(state); }

static const tp_stage ext_stage = {
    TP_STAGE_HEAD,
    .name = "ext_check",
    .version = "0.1",
    .description = "an out-of-tree stage for the tests",
    .dimension = TP_DIM_WATER,
    .params = TP_LIST(ext_params),
    .codes = TP_LIST(ext_codes),
    .columns = ext_columns,
    .open = ext_open,
    .check = ext_check,
    .close = ext_close
};

TP_STAGE_DEFINE(ext_stage)
