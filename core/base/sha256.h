/* sha256.h — SHA-256 for fingerprinting the input file while it is read, so
 * that a run record names exactly the bytes it assessed.  The hashing is
 * nettle's (sha256_init, sha256_update(ctx, length, data); it picks the
 * CPU's SHA extensions itself); this header adds the digest as hex text. */
#ifndef TUOPIN_SHA256_H
#define TUOPIN_SHA256_H

#include <nettle/sha2.h>

typedef struct sha256_ctx sha256_ctx;

/* Writes the digest of what c has read as 64 lowercase hex digits and a NUL
 * into hex, and starts c again (as nettle's sha256_digest does). */
void sha256_final_hex(sha256_ctx *c, char hex[65]);

#endif
