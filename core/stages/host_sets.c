/* host_sets.c — tp_set is the core's idset (host_sets.h). */
#include "host_sets.h"
#include "idset.h"
#include "hash.h"

#include <stdlib.h>

struct tp_set { idset s; };

_Static_assert(TP_SET_PARTS == IDSET_PARTS, "a stage's parts are the set's");

tp_set *host_set_new(int wide)
{
    tp_set *t = malloc(sizeof *t);
    if (t) idset_init(&t->s, wide);
    return t;
}

void host_set_free(tp_set *t)
{
    if (!t) return;
    idset_free(&t->s);
    free(t);
}

int host_set_add_in(tp_set *t, uint64_t part, uint64_t a, uint64_t b)
{
    return idset_add_in(&t->s, part, a, b);
}

int host_set_locate(tp_set *t, uint64_t part, uint64_t a, uint64_t b, tp_set_loc *loc)
{
    idset_loc l;
    if (idset_locate(&t->s, part, a, b, &l) < 0) return -1;
    loc->part = l.part;
    loc->h = l.h;
    return 0;
}

int host_set_add_at(tp_set *t, const tp_set_loc *loc, uint64_t a, uint64_t b)
{
    idset_loc l = { loc->part, loc->h };
    return idset_add_at(&t->s, &l, a, b);
}

uint64_t host_hash(const void *p, size_t n, uint64_t seed)
{
    return hash_bytes(p, n, seed);
}
