/* kv.h — an ordered list of (key, value, origin) strings: the parameters
 * given in a pipeline file and with --param.  A later equal key replaces the
 * earlier one in place. */
#ifndef TUOPIN_KV_H
#define TUOPIN_KV_H

#include <stddef.h>

typedef struct kv { char *key, *value, *origin; } kv;

typedef struct kv_list { kv *items; size_t n, cap; } kv_list;

/* Adds (key, value) replacing an earlier equal key.  origin names where it
 * came from, for error messages.  RETURN 0 or -1 (out of memory). */
int kv_set(kv_list *l, const char *key, const char *value, const char *origin);
const kv *kv_get(const kv_list *l, const char *key);
void kv_free(kv_list *l);

#endif
