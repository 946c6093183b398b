/* host_sets.h — the set functions of the host table (tp_host's set_new …
 * hash): the core's ID sets (core/base/idset.h) lent to stages, so that a
 * stage that remembers what it saw (identity) needs no copy of them.  Both
 * host tables (the run's and the test host's) name them with
 * HOST_SET_FUNCTIONS. */
#ifndef TUOPIN_HOST_SETS_H
#define TUOPIN_HOST_SETS_H

#include <tuopin/stage.h>

tp_set *host_set_new(int wide);
void host_set_free(tp_set *set);
int host_set_add_in(tp_set *set, uint64_t part, uint64_t a, uint64_t b);
int host_set_locate(tp_set *set, uint64_t part, uint64_t a, uint64_t b, tp_set_loc *loc);
int host_set_add_at(tp_set *set, const tp_set_loc *loc, uint64_t a, uint64_t b);
uint64_t host_hash(const void *p, size_t n, uint64_t seed);

#define HOST_SET_FUNCTIONS \
    .set_new = host_set_new, .set_free = host_set_free, .set_add_in = host_set_add_in, \
    .set_locate = host_set_locate, .set_add_at = host_set_add_at, .hash = host_hash

#endif
