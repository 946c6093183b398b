/* identity.c — the `identity` stage (standard §3.7): data-quality warnings on
 * resident IDs (check character, birth date, duplicates across the whole run
 * in input order) and the number of heads of household.
 *
 * ID_DUPLICATE needs every ID seen so far, so the stage declares
 * TP_STAGE_ORDERED: the host calls it from one thread, in input order.  The
 * set stays near 8–16 bytes per distinct ID: a well-formed ID (17 digits and
 * a digit or X) is encoded exactly in 64 bits; anything else is kept as a
 * 128-bit hash in a second set (rare, and collisions there are negligible).
 * Both sets are the host's (tp_host's set functions): the stage keeps none
 * of its own. */
#include <tuopin/stage.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A well-formed ID whose key and place prefetch worked out, for check_one
 * to take in the same order (matched by the ID's address). */
typedef struct pending_id {
    const char *id;
    uint64_t key;
    tp_set_loc loc;
} pending_id;

typedef struct identity_state {
    const tp_host *host;
    tp_set *exact; /* well-formed IDs, exactly encoded */
    tp_set *other; /* any other non-blank text, hashed */
    pending_id *q; /* prefetched IDs not yet checked: q[qh, qt) */
    size_t qh, qt, qcap;
} identity_state;

static const char *const identity_columns[] = { "person_id", "relation", NULL };

static int identity_open(const tp_stage *self, void *user, const tp_host *host, tp_ctx *ctx,
                         void **state, char *err, size_t errlen)
{
    identity_state *s;
    (void)self; (void)user;
    if (host->struct_size < TP_HOST_SIZE_SETS) {
        snprintf(err, errlen, host->chinese(ctx)
                 ? "identity 环节需要 tuopin 0.2 或更高版本（主程序的集合函数）"
                 : "the identity stage needs tuopin 0.2 or later (the host's set functions)");
        return -1;
    }
    if (!(s = calloc(1, sizeof *s))) return -1;
    s->host = host;
    s->exact = host->set_new(0);
    s->other = host->set_new(1);
    if (!s->exact || !s->other) {
        host->set_free(s->exact);
        host->set_free(s->other);
        free(s);
        return -1;
    }
    *state = s;
    return 0;
}

static void identity_close(void *state)
{
    identity_state *s = state;
    if (!s) return;
    s->host->set_free(s->exact);
    s->host->set_free(s->other);
    free(s->q);
    free(s);
}

/* The exact key of a well-formed ID (17 digits and a digit, X or x) and its
 * part, the area code (the first six digits), which the members of a
 * village mostly share, so that a run sorted by region inserts into a table
 * that stays in the cache.  RETURN 1, or 0 when the ID is not of that form. */
static int id_key(const char *id, uint64_t *key, uint64_t *area)
{
    size_t i;
    uint64_t k = 0;
    for (i = 0; i < 17; i++)
        if (id[i] < '0' || id[i] > '9') return 0;
    if (!((id[17] >= '0' && id[17] <= '9') || id[17] == 'X' || id[17] == 'x') || id[18] != '\0')
        return 0;
    for (i = 0; i < 6; i++) k = k * 10 + (uint64_t)(id[i] - '0');
    *area = k % TP_SET_PARTS;
    for (; i < 17; i++) k = k * 10 + (uint64_t)(id[i] - '0');
    *key = k * 11 + (uint64_t)(id[17] >= '0' && id[17] <= '9' ? id[17] - '0' : 10) + 1;
    return 1;
}

/* Adds a non-blank ID (x and X alike) to the run's sets.
 * RETURN: 1 new, 0 seen before, -1 out of memory. */
static int remember(identity_state *s, const char *id)
{
    size_t n, i;
    uint64_t key, area;
    char buf[256];
    if (s->qh < s->qt && s->q[s->qh].id == id) {
        const pending_id *p = &s->q[s->qh++];
        return s->host->set_add_at(s->exact, &p->loc, p->key, 0);
    }
    if (id_key(id, &key, &area)) return s->host->set_add_in(s->exact, area, key, 0);
    n = strlen(id);
    if (n < sizeof buf) {
        for (i = 0; i < n; i++) buf[i] = id[i] == 'x' ? 'X' : id[i];
        id = buf;
    } /* longer texts are hashed as written */
    return s->host->set_add_in(s->other, s->host->hash(id, n < 6 ? n : 6, 0x6964656e74697479ULL) % TP_SET_PARTS,
                               s->host->hash(id, n, 0x6964656e74697479ULL),
                               s->host->hash(id, n, 0x6475706c69636174ULL));
}

/* Works out the household's well-formed IDs' keys and asks the cache for
 * their slots; check_one then takes them in order.  Without room in the
 * queue an ID is simply left for check_one to work out. */
static void prefetch(identity_state *s, const tp_household *hh)
{
    size_t i;
    for (i = 0; i < hh->n_members; i++) {
        const char *id = tp_member_at(hh, i)->person_id;
        pending_id *p;
        uint64_t area;
        if (id[0] == '\0') continue;
        if (s->qt == s->qcap) {
            size_t ncap = s->qcap ? 2 * s->qcap : 256;
            pending_id *nq;
            if (s->qh > 0) {               /* slide the live part down first */
                memmove(s->q, s->q + s->qh, (s->qt - s->qh) * sizeof *s->q);
                s->qt -= s->qh;
                s->qh = 0;
            }
            if (s->qt == s->qcap) {
                nq = realloc(s->q, ncap * sizeof *nq);
                if (!nq) return;
                s->q = nq;
                s->qcap = ncap;
            }
        }
        p = &s->q[s->qt];
        if (!id_key(id, &p->key, &area) || s->host->set_locate(s->exact, area, p->key, 0, &p->loc) < 0)
            continue;
        p->id = id;
        s->qt++;
    }
}

static int check_one(identity_state *s, const tp_household *hh)
{
    const tp_host *host = s->host;
    size_t i;
    int64_t heads = 0;
    for (i = 0; i < hh->n_members; i++) {
        const tp_member *m = tp_member_at(hh, i);
        tp_finding_args a = { "person_id", 0, 0 };
        heads += m->is_head;
        if (!m->id_valid) {
            a.a = m->person_id[0] == '\0';
            host->finding(hh->ctx, TP_WARN, "ID_INVALID", i + 1, &a);
        } else if (m->birth_date.state == TP_OK
                   && (m->birth_date.year != m->id_birth.year
                       || m->birth_date.month != m->id_birth.month
                       || m->birth_date.day != m->id_birth.day)) {
            a.column = "birth_date";
            host->finding(hh->ctx, TP_WARN, "ID_BIRTH_MISMATCH", i + 1, &a);
        }
        if (m->person_id[0] != '\0') {
            int r = remember(s, m->person_id);
            if (r < 0) return -1;
            if (r == 0) host->finding(hh->ctx, TP_WARN, "ID_DUPLICATE", i + 1, &a);
        }
    }
    if (heads != 1) {
        tp_finding_args a = { "relation", heads, 0 };
        host->finding(hh->ctx, TP_WARN, "HEAD_COUNT", 0, &a);
    }
    return 0;
}

static int identity_check(void *state, const tp_household *hh)
{
    /* The set is far larger than the cache: ask for every member's slot
     * first, so that the misses overlap instead of following each other. */
    identity_state *s = state;
    s->qh = s->qt = 0;
    prefetch(s, hh);
    return check_one(s, hh);
}

/* Households this far ahead have their slots asked for while the current
 * one is checked: about a dozen IDs in flight. */
#define AHEAD 4
/* Households further ahead have their ID texts fetched into the cache first:
 * the block's memory was last touched when the household was built, often
 * on the other core, and reading an ID to work out its key otherwise waits
 * for it. */
#define TEXT_AHEAD 12

static void prefetch_text(const tp_household *hh)
{
    size_t i;
    for (i = 0; i < hh->n_members; i++) __builtin_prefetch(tp_member_at(hh, i)->person_id);
}

static int identity_check_batch(void *state, const tp_household *const *hhs, size_t n)
{
    size_t i;
    identity_state *s = state;
    s->qh = s->qt = 0;
    for (i = 0; i < n && i < TEXT_AHEAD; i++) prefetch_text(hhs[i]);
    for (i = 0; i < n && i < AHEAD; i++) prefetch(state, hhs[i]);
    for (i = 0; i < n; i++) {
        if (i + TEXT_AHEAD < n) prefetch_text(hhs[i + TEXT_AHEAD]);
        if (i + AHEAD < n) prefetch(state, hhs[i + AHEAD]);
        if (check_one(state, hhs[i]) < 0) return -1;
    }
    return 0;
}

/* ID_INVALID has two wordings: a = 1 when the ID is blank. */
static const tp_code_decl identity_codes[] = {
    { .code = "ID_INVALID", .flags = TP_CODE_WHEN_A, .a = 1,
      .en = "{who}the ID number is blank", .zh = "{who}证件号码为空" },
    { .code = "ID_INVALID",
      .en = "{who}the ID number is invalid (check character or birth date)",
      .zh = "{who}证件号码无效（校验码或出生日期不符）" },
    { .code = "ID_BIRTH_MISMATCH",
      .en = "{who}the date of birth differs from the one in the ID number",
      .zh = "{who}出生日期与证件号码中的出生日期不一致" },
    { .code = "ID_DUPLICATE",
      .en = "{who}the ID number already appeared for an earlier member",
      .zh = "{who}证件号码已在此前的成员中出现" },
    { .code = "HEAD_COUNT",
      .en = "the household has {a.int} heads, not exactly one",
      .zh = "户主人数为{a.int}，应为1" }
};

static const tp_stage identity_stage = {
    TP_STAGE_HEAD,
    .name = "identity",
    .version = "1.0",
    .description = "resident IDs, duplicates and heads of household (standard 3.7; warnings only)",
    .description_zh = "身份证号、重复人员与户主人数（标准 3.7；只给警告）",
    .title_zh = "身份信息",
    .flags = TP_STAGE_ORDERED,
    .codes = TP_LIST(identity_codes),
    .columns = identity_columns,
    .open = identity_open,
    .check = identity_check,
    .check_batch = identity_check_batch,
    .close = identity_close
};

TP_STAGE_DEFINE(identity_stage)
