/* sha256.h — SHA-256 (FIPS 180-4) for fingerprinting the input file while it
 * is read, so that a run record names exactly the bytes it assessed. */
#ifndef TUOPIN_SHA256_H
#define TUOPIN_SHA256_H

#include <stddef.h>
#include <stdint.h>

typedef struct sha256_ctx {
    uint32_t h[8];
    uint64_t len;
    unsigned char buf[64];
    size_t nbuf;
} sha256_ctx;

void sha256_init(sha256_ctx *c);
void sha256_update(sha256_ctx *c, const void *data, size_t n);
/* Writes 64 lowercase hex digits and a NUL into hex. */
void sha256_final_hex(sha256_ctx *c, char hex[65]);

/* Chooses the CPU's SHA extensions (on, the default when present) or the
 * portable code (off; for tests).  RETURN: 1 when the extensions are used. */
int sha256_set_hw(int on);

#endif
