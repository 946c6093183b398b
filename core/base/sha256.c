/* sha256.c — the SHA-256 digest as hex text (sha256.h), on nettle. */
#include "sha256.h"

void sha256_final_hex(sha256_ctx *c, char hex[65])
{
    static const char digits[] = "0123456789abcdef";
    uint8_t d[SHA256_DIGEST_SIZE];
    size_t i;
    sha256_digest(c, sizeof d, d);
    for (i = 0; i < sizeof d; i++) {
        hex[2 * i] = digits[d[i] >> 4];
        hex[2 * i + 1] = digits[d[i] & 15];
    }
    hex[64] = '\0';
}
