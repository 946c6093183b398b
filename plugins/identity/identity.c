/* identity.c — the `identity` stage (standard §3.7): data-quality warnings on
 * resident IDs (check character, birth date, duplicates across the whole run
 * in input order) and the number of heads of household.
 *
 * ID_DUPLICATE needs every ID seen so far, so the stage declares
 * TP_STAGE_ORDERED: the host calls it from one thread, in input order.  The
 * set stays near 8–16 bytes per distinct ID: a well-formed ID (17 digits and
 * a digit or X) is encoded exactly in 64 bits; anything else is kept as a
 * 128-bit hash in a second set (rare, and collisions there are negligible). */
#include <tuopin/stage.h>

#include "i18n.h"

#include <stdlib.h>
#include <string.h>

#include "idset.h"

typedef struct identity_state {
    const tp_host *host;
    idset exact;   /* well-formed IDs, exactly encoded */
    idset other;   /* any other non-blank text, hashed */
} identity_state;

static const char *const identity_columns[] = { "person_id", "relation", NULL };

static int identity_open(const tp_host *host, void *ctx, void **state, char *err, size_t errlen)
{
    identity_state *s = calloc(1, sizeof *s);
    (void)ctx; (void)err; (void)errlen;
    if (!s) return -1;
    s->host = host;
    idset_init(&s->exact, 0);
    idset_init(&s->other, 1);
    *state = s;
    return 0;
}

static void identity_close(void *state)
{
    identity_state *s = state;
    if (!s) return;
    idset_free(&s->exact);
    idset_free(&s->other);
    free(s);
}

/* Adds a non-blank ID (x and X alike) to the run's sets.
 * RETURN: 1 new, 0 seen before, -1 out of memory. */
static int remember(identity_state *s, const char *id, int prefetch_only)
{
    size_t n = strlen(id), i;
    uint64_t key = 0;
    char buf[256];
    int shaped = n == 18;
    for (i = 0; i < 17 && shaped; i++) shaped = id[i] >= '0' && id[i] <= '9';
    if (shaped) shaped = (id[17] >= '0' && id[17] <= '9') || id[17] == 'X' || id[17] == 'x';
    if (shaped) {
        uint64_t area;
        for (i = 0; i < 6; i++) key = key * 10 + (uint64_t)(id[i] - '0');
        /* Part: the area code (the first six digits), which the members of
         * a village mostly share, so that a run sorted by region inserts
         * into a table that stays in the cache. */
        area = key % IDSET_PARTS;
        for (; i < 17; i++) key = key * 10 + (uint64_t)(id[i] - '0');
        key = key * 11 + (uint64_t)(id[17] >= '0' && id[17] <= '9' ? id[17] - '0' : 10) + 1;
        if (prefetch_only) {
            idset_prefetch_in(&s->exact, area, key, 0);
            return 1;
        }
        return idset_add_in(&s->exact, area, key, 0);
    }
    if (prefetch_only) return 1;
    if (n < sizeof buf) {
        for (i = 0; i < n; i++) buf[i] = id[i] == 'x' ? 'X' : id[i];
        id = buf;
    } /* longer texts are hashed as written */
    return idset_add_in(&s->other, idset_hash(id, n < 6 ? n : 6, 0x6964656e74697479ULL) % IDSET_PARTS,
                        idset_hash(id, n, 0x6964656e74697479ULL),
                        idset_hash(id, n, 0x6475706c69636174ULL));
}

/* Asks the cache for the set's slots of the household's IDs. */
static void prefetch(identity_state *s, const tp_household *hh)
{
    size_t i;
    for (i = 0; i < hh->n_members; i++)
        if (hh->members[i].person_id[0] != '\0') remember(s, hh->members[i].person_id, 1);
}

static int check_one(identity_state *s, const tp_household *hh)
{
    const tp_host *host = s->host;
    size_t i;
    int64_t heads = 0;
    for (i = 0; i < hh->n_members; i++) {
        const tp_member *m = &hh->members[i];
        tp_finding_args a = { "person_id", 0, 0 };
        heads += m->is_head;
        if (!m->id_valid) {
            a.a = m->person_id[0] == '\0';
            host->finding(hh, TP_WARN, "ID_INVALID", i + 1, &a);
        } else if (m->birth_date.state == TP_OK
                   && (m->birth_date.year != m->id_birth.year
                       || m->birth_date.month != m->id_birth.month
                       || m->birth_date.day != m->id_birth.day)) {
            a.column = "birth_date";
            host->finding(hh, TP_WARN, "ID_BIRTH_MISMATCH", i + 1, &a);
        }
        if (m->person_id[0] != '\0') {
            int r = remember(s, m->person_id, 0);
            if (r < 0) return -1;
            if (r == 0) host->finding(hh, TP_WARN, "ID_DUPLICATE", i + 1, &a);
        }
    }
    if (heads != 1) {
        tp_finding_args a = { "relation", heads, 0 };
        host->finding(hh, TP_WARN, "HEAD_COUNT", 0, &a);
    }
    return 0;
}

static int identity_check(void *state, const tp_household *hh)
{
    /* The set is far larger than the cache: ask for every member's slot
     * first, so that the misses overlap instead of following each other. */
    prefetch(state, hh);
    return check_one(state, hh);
}

/* Households this far ahead have their slots asked for while the current
 * one is checked: about a dozen IDs in flight. */
#define AHEAD 4

static int identity_check_batch(void *state, const tp_household *const *hhs, size_t n)
{
    size_t i;
    for (i = 0; i < n && i < AHEAD; i++) prefetch(state, hhs[i]);
    for (i = 0; i < n; i++) {
        if (i + AHEAD < n) prefetch(state, hhs[i + AHEAD]);
        if (check_one(state, hhs[i]) < 0) return -1;
    }
    return 0;
}

static const tp_stage identity_stage = {
    TP_ABI_VERSION, sizeof(tp_stage),
    "identity", "1.0", N_("resident IDs, duplicates and heads of household (standard 3.7; warnings only)"),
    TP_STAGE_ORDERED, NULL, identity_columns, identity_open, identity_check, identity_close,
    identity_check_batch
};

TP_STAGE_DEFINE(identity_stage)
