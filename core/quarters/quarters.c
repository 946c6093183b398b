/* quarters.c — households of several quarters joined by household_id. */
#include "quarters.h"
#include "block.h"
#include "sbuf.h"
#include "values.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef __int128 i128;

const char *const qd_dim_names[QD_NDIMS] = {
    "income", "food_clothing", "education", "medical", "housing", "water", "other"
};

unsigned qd_dim_bit(const char *stage)
{
    int i;
    for (i = 0; i < QD_DIM_OTHER; i++)
        if (!strcmp(stage, qd_dim_names[i])) return 1u << i;
    return 1u << QD_DIM_OTHER;
}

/* Household ids live in large chunks, freed together. */
#define ARENA_CHUNK (1u << 20)
typedef struct qd_arena {
    struct qd_arena *next;
    size_t used, cap;
    char data[];
} qd_arena;

static char *arena_copy(qd_set *s, const char *p, size_t n)
{
    qd_arena *a = s->arena;
    char *out;
    if (!a || a->used + n + 1 > a->cap) {
        size_t cap = n + 1 > ARENA_CHUNK ? n + 1 : ARENA_CHUNK;
        qd_arena *na = malloc(sizeof *na + cap);
        if (!na) return NULL;
        na->next = a;
        na->used = 0;
        na->cap = cap;
        s->arena = a = na;
    }
    out = a->data + a->used;
    memcpy(out, p, n);
    out[n] = '\0';
    a->used += n + 1;
    return out;
}

void qd_init(qd_set *s) { memset(s, 0, sizeof *s); }

void qd_free(qd_set *s)
{
    size_t i;
    qd_arena *a = s->arena;
    while (a) {
        qd_arena *n = a->next;
        free(a);
        a = n;
    }
    for (i = 0; i < s->nq; i++) {
        free(s->q[i].source);
        free(s->q[i].r);
        free(s->q[i].order);
    }
    free(s->q);
    free(s->ids);
    htab_free(&s->hids);
    free(s->villages);
    htab_free(&s->hvillages);
    memset(s, 0, sizeof *s);
}

int qd_parse_quarter(const char *s, int *ord)
{
    int y = 0, i;
    if (strlen(s) != 6 || (s[4] != 'Q' && s[4] != 'q') || s[5] < '1' || s[5] > '4') return -1;
    for (i = 0; i < 4; i++) {
        if (s[i] < '0' || s[i] > '9') return -1;
        y = y * 10 + (s[i] - '0');
    }
    if (y < 1000) return -1;
    *ord = y * 4 + (s[5] - '1');
    return 0;
}

void qd_quarter_label(int ord, char *buf)
{
    int y = ord / 4, n = ord % 4 + 1;
    buf[0] = (char)('0' + y / 1000 % 10);
    buf[1] = (char)('0' + y / 100 % 10);
    buf[2] = (char)('0' + y / 10 % 10);
    buf[3] = (char)('0' + y % 10);
    buf[4] = 'Q';
    buf[5] = (char)('0' + n);
    buf[6] = '\0';
}

int qd_add_quarter(qd_set *s, const char *label, const char *source)
{
    qd_quarter *nq, q;
    size_t at;
    int ord = 0;
    memset(&q, 0, sizeof q);
    /* only YYYYQn: the label reaches compare.html and file names */
    if (!label || qd_parse_quarter(label, &ord) < 0) return -2;
    qd_quarter_label(ord, q.label);
    q.ord = ord;
    if (!(q.source = strdup(source ? source : ""))) return -1;
    if (!(nq = realloc(s->q, (s->nq + 1) * sizeof *nq))) {
        free(q.source);
        return -1;
    }
    s->q = nq;
    for (at = s->nq; at > 0 && s->q[at - 1].ord > ord; at--) {}
    memmove(&s->q[at + 1], &s->q[at], (s->nq - at) * sizeof *nq);
    s->q[at] = q;
    s->nq++;
    return (int)at;
}

#define ID_SEED 0x7164736574000001ULL
#define VILLAGE_SEED 0x7164736574000002ULL

int64_t qd_find(const qd_set *s, const char *id, size_t len)
{
    htab_iter it;
    size_t u;
    for (htab_probe(&s->hids, hash_bytes(id, len, ID_SEED), &it); htab_next(&s->hids, &it, &u);)
        if (!strncmp(s->ids[u], id, len) && s->ids[u][len] == '\0') return (int64_t)u;
    return -1;
}

int64_t qd_lookup(qd_set *s, const char *id, size_t len)
{
    int64_t f;
    if (s->hint < s->nids && !strncmp(s->ids[s->hint], id, len) && s->ids[s->hint][len] == '\0')
        f = s->hint;
    else
        f = qd_find(s, id, len);
    if (f >= 0) s->hint = (uint32_t)f + 1;
    return f;
}

int qd_uid(qd_set *s, const char *id, size_t len, uint32_t *uid)
{
    int64_t f = qd_lookup(s, id, len);
    char *copy;
    if (f >= 0) {
        *uid = (uint32_t)f;
        return 0;
    }
    if (mem_grow((void **)&s->ids, &s->ids_cap, s->nids + 1, sizeof *s->ids) < 0) return -1;
    if (s->nids >= UINT32_MAX - 1 || !(copy = arena_copy(s, id, len))
        || htab_add(&s->hids, hash_bytes(id, len, ID_SEED), s->nids) < 0)
        return -1;
    s->ids[s->nids] = copy;
    *uid = (uint32_t)s->nids++;
    s->hint = *uid + 1;
    return 0;
}

int qd_village(qd_set *s, const char *code, size_t len, uint32_t *vid)
{
    uint64_t h;
    htab_iter it;
    size_t j;
    char key[13];
    /* only a valid region code: it reaches compare.html and the CSV files */
    if (len != 12) return -2;
    memset(key, 0, sizeof key);
    memcpy(key, code, 12);
    if (!block_region_valid(key)) return -2;
    if (s->last_village < s->nvillages && !memcmp(s->villages[s->last_village], key, 13)) {
        *vid = s->last_village;
        return 0;
    }
    h = hash_bytes(key, 12, VILLAGE_SEED);
    for (htab_probe(&s->hvillages, h, &it); htab_next(&s->hvillages, &it, &j);)
        if (!memcmp(s->villages[j], key, 13)) {
            *vid = s->last_village = (uint32_t)j;
            return 0;
        }
    if (mem_grow((void **)&s->villages, &s->villages_cap, s->nvillages + 1, sizeof *s->villages) < 0) return -1;
    if (htab_add(&s->hvillages, h, s->nvillages) < 0) return -1;
    memcpy(s->villages[s->nvillages], key, 13);
    *vid = s->last_village = (uint32_t)s->nvillages++;
    return 0;
}

qd_rec *qd_put(qd_set *s, int qi, uint32_t uid)
{
    qd_quarter *q = &s->q[qi];
    if (uid >= q->cap) {
        size_t ncap = q->cap ? q->cap : 1024;
        qd_rec *nr;
        while (ncap <= uid) ncap *= 2;
        if (!(nr = realloc(q->r, ncap * sizeof *nr))) return NULL;
        memset(nr + q->cap, 0, (ncap - q->cap) * sizeof *nr);
        q->r = nr;
        q->cap = ncap;
    }
    if (q->r[uid].state == QD_ABSENT) {
        if (mem_grow((void **)&q->order, &q->order_cap, q->norder + 1, sizeof *q->order) < 0) return NULL;
        q->order[q->norder++] = uid;
    }
    return &q->r[uid];
}

const qd_rec *qd_get(const qd_quarter *q, uint32_t uid)
{
    static const qd_rec absent;
    return uid < q->cap ? &q->r[uid] : &absent;
}

int qd_pc_cmp(const qd_rec *r, int64_t num, int64_t den)
{
    i128 a = (i128)r->net * den, b = (i128)num * (i128)(r->members ? r->members : 1);
    return a < b ? -1 : a > b;
}

int qd_pc_below(const qd_rec *r, int64_t line)
{
    return qd_pc_cmp(r, line, 1) < 0;
}

int qd_pc_fell_by(const qd_rec *a, const qd_rec *b, int64_t share_e6)
{
    /* (pa - pb) / pa >= s  <=>  (na*mb - nb*ma) * 10^6 >= s * na * mb, with
     * pa = na/ma > 0 and pb = nb/mb (all multiplied by ma*mb > 0). */
    i128 ma = a->members ? a->members : 1, mb = b->members ? b->members : 1;
    if (a->net <= 0) return 0;
    return ((i128)a->net * mb - (i128)b->net * ma) * 1000000 >= (i128)share_e6 * a->net * mb;
}

int64_t qd_pc_cents(const qd_rec *r)
{
    return val_div_round(r->net, r->members ? r->members : 1);
}
