/* suggest.h — "did you mean": the closest of a set of known names to a
 * misspelt one, by edit distance. */
#ifndef TUOPIN_SUGGEST_H
#define TUOPIN_SUGGEST_H

#include <stddef.h>

/* NAME: sg_distance
 * DESCRIPTION: the Levenshtein distance between a and b (UTF-8, by code
 *   point, so that 工资收入 is one from 工资性收入; a byte that starts no
 *   character counts as one; ASCII letters compared without case), counted
 *   up to cap: anything further apart answers cap + 1.  Names longer than
 *   128 code points answer cap + 1. */
size_t sg_distance(const char *a, const char *b, size_t cap);

/* The length of s in code points, as sg_distance counts them (at most 129). */
size_t sg_length(const char *s);

/* NAME: sg_close_enough
 * DESCRIPTION: the largest distance at which a known name is offered for a
 *   word of `len` code points (sg_length): 1 up to 4, 2 up to 8, else 3 (a longer reach
 *   offers unrelated names). */
size_t sg_close_enough(size_t len);

/* NAME: sg_better
 * DESCRIPTION: one step of picking the suggestion for `word` among
 *   candidates seen one at a time: returns cand when it is close enough to
 *   word and closer than *best_d (or as close and before `best` in byte
 *   order, so that the answer does not depend on the order candidates come
 *   in), updating *best_d; else returns best.  Start with best = NULL and
 *   *best_d = (size_t)-1.  A candidate equal to word is never offered. */
const char *sg_better(const char *word, const char *cand, const char *best, size_t *best_d);

#endif
