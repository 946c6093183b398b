/* test_sha256.c — the input fingerprint (nettle's SHA-256 and our hex text)
 * against the FIPS 180-4 example vectors, and the same digest whatever the
 * sizes of the pieces the input arrives in. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "sha256.h"

static void digest(const char *s, size_t n, char hex[65])
{
    sha256_ctx c;
    sha256_init(&c);
    sha256_update(&c, n, (const uint8_t *)s);
    sha256_final_hex(&c, hex);
}

static void test_final_hex_starts_again(void **state)
{
    sha256_ctx c;
    char hex[65];
    (void)state;
    sha256_init(&c);
    sha256_update(&c, 3, (const uint8_t *)"xyz");
    sha256_final_hex(&c, hex);
    sha256_final_hex(&c, hex);   /* nothing read since: the empty message */
    assert_string_equal(hex, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

static void test_abc(void **state)
{
    char hex[65];
    (void)state;
    digest("abc", 3, hex);
    assert_string_equal(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

static void test_448_bit_message(void **state)
{
    static const char m[] = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
    char hex[65];
    (void)state;
    digest(m, strlen(m), hex);
    assert_string_equal(hex, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

static void test_empty_message(void **state)
{
    char hex[65];
    (void)state;
    digest("", 0, hex);
    assert_string_equal(hex, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

static void test_million_a_in_uneven_pieces(void **state)
{
    static char buf[1024]; /* pieces are at most 1009 bytes */
    sha256_ctx c;
    char hex[65];
    size_t done = 0, piece = 1;
    (void)state;
    memset(buf, 'a', sizeof buf);
    sha256_init(&c);
    while (done < 1000000) {
        size_t n = piece;
        if (n > 1000000 - done) n = 1000000 - done;
        sha256_update(&c, n, (const uint8_t *)buf);
        done += n;
        piece = piece % 997 + 13; /* sizes that straddle block boundaries */
    }
    sha256_final_hex(&c, hex);
    assert_string_equal(hex, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

static void test_padding_boundaries_55_56_64(void **state)
{
    /* lengths at which the length field does or does not fit the last block */
    static const struct { size_t n; const char *hex; } v[] = {
        { 55, "9f4390f8d30c2dd92ec9f095b65e2b9ae9b0a925a5258e241c9f1e910f734318" },
        { 56, "b35439a4ac6f0948b6d6f9e3c6af0f5f590ce20f1bde7090ef7970686ec6738a" },
        { 64, "ffe054fe7ae0cb6dc65c3af9b61d5209f439851db43d0ba5997337df154668eb" },
    };
    char buf[64], hex[65];
    size_t i;
    (void)state;
    memset(buf, 'a', sizeof buf);
    for (i = 0; i < sizeof v / sizeof v[0]; i++) {
        digest(buf, v[i].n, hex);
        assert_string_equal(hex, v[i].hex);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_abc),
        cmocka_unit_test(test_448_bit_message),
        cmocka_unit_test(test_empty_message),
        cmocka_unit_test(test_million_a_in_uneven_pieces),
        cmocka_unit_test(test_padding_boundaries_55_56_64),
        cmocka_unit_test(test_final_hex_starts_again),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
