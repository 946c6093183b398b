/* external_stage.c — a third party's stage, built outside the tree against
 * the installed <tuopin/stage.h> only (tests/e2e/external_stage.sh).  It
 * fails households with at least `ext_min_members` members. */
#include <tuopin/stage.h>

#include <stdlib.h>

typedef struct ext_state { const tp_host *host; int64_t min_members; } ext_state;

static const tp_param_decl ext_params[] = {
    { "ext_min_members", TP_PARAM_INT, "3", "1", "100", "members from which a household is big" },
    { NULL, 0, NULL, NULL, NULL, NULL }
};

static const char *const ext_columns[] = { "household_id", NULL };

static int ext_open(const tp_host *host, void *ctx, void **state, char *err, size_t errlen)
{
    ext_state *s = calloc(1, sizeof *s);
    (void)err; (void)errlen;
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
    if ((int64_t)hh->n_members >= s->min_members)
        return s->host->finding(hh, TP_FAIL, "EXT_BIG_HOUSEHOLD", 0, NULL);
    return 0;
}

static void ext_close(void *state) { free(state); }

static const tp_stage ext_stage = {
    TP_ABI_VERSION, sizeof(tp_stage),
    "ext_check", "0.1", "an out-of-tree stage for the tests",
    0, ext_params, ext_columns,
    ext_open, ext_check, ext_close, NULL
};

TP_STAGE_DEFINE(ext_stage)
