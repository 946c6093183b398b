/* sbuf.h — a growable byte buffer for formatting output rows off the
 * writer's thread.  Reused across chunks: it grows, never shrinks, so the
 * hot path stops allocating once warm.  Out of memory is sticky (oom). */
#ifndef TUOPIN_SBUF_H
#define TUOPIN_SBUF_H

#include <stddef.h>
#include <stdint.h>

typedef struct sbuf {
    char *p;          /* owned */
    size_t n, cap;
    int oom;
} sbuf;

void sb_free(sbuf *b);
void sb_put(sbuf *b, const char *s, size_t n);
void sb_str(sbuf *b, const char *s);
void sb_chr(sbuf *b, char c);
void sb_u64(sbuf *b, unsigned long long v);
/* s as one CSV field: quoted when it holds , " CR LF or edge spaces/tabs. */
void sb_csv(sbuf *b, const char *s, size_t n);
void sb_csv_str(sbuf *b, const char *s);

#endif
