/* kv.c — an ordered list of (key, value, origin) strings. */
#define _POSIX_C_SOURCE 200809L
#include "kv.h"
#include "sbuf.h"

#include <stdlib.h>
#include <string.h>

int kv_set(kv_list *l, const char *key, const char *value, const char *origin)
{
    size_t i;
    char *v = strdup(value), *o = strdup(origin ? origin : "");
    if (!v || !o) { free(v); free(o); return -1; }
    for (i = 0; i < l->n; i++) {
        if (!strcmp(l->items[i].key, key)) {
            free(l->items[i].value);
            free(l->items[i].origin);
            l->items[i].value = v;
            l->items[i].origin = o;
            return 0;
        }
    }
    if (mem_grow((void **)&l->items, &l->cap, l->n + 1, sizeof *l->items) < 0) { free(v); free(o); return -1; }
    l->items[l->n].key = strdup(key);
    if (!l->items[l->n].key) { free(v); free(o); return -1; }
    l->items[l->n].value = v;
    l->items[l->n].origin = o;
    l->n++;
    return 0;
}

const kv *kv_get(const kv_list *l, const char *key)
{
    size_t i;
    for (i = 0; i < l->n; i++)
        if (!strcmp(l->items[i].key, key)) return &l->items[i];
    return NULL;
}

void kv_free(kv_list *l)
{
    size_t i;
    for (i = 0; i < l->n; i++) {
        free(l->items[i].key);
        free(l->items[i].value);
        free(l->items[i].origin);
    }
    free(l->items);
    memset(l, 0, sizeof *l);
}
