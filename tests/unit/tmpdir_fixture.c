/* tmpdir_fixture.c — a unit test's temporary folder (tmpdir_fixture.h). */
#define _POSIX_C_SOURCE 200809L
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tmpdir_fixture.h"

char tmpdir_path[256];

int tmpdir_setup(const char *name)
{
    snprintf(tmpdir_path, sizeof tmpdir_path, "%s/%s.XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp", name);
    return mkdtemp(tmpdir_path) ? 0 : -1;
}

int tmpdir_teardown(void)
{
    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir_path);
    return system(cmd) == 0 ? 0 : -1;
}

void tmpdir_put(const char *name, const char *text)
{
    char p[512];
    FILE *f;
    snprintf(p, sizeof p, "%s/%s", tmpdir_path, name);
    f = fopen(p, "w");
    assert_non_null(f);
    fputs(text, f);
    assert_int_equal(fclose(f), 0);
}

char *tmpdir_slurp(const char *sub, const char *name, size_t *n)
{
    char p[512], *s;
    FILE *f;
    long len;
    snprintf(p, sizeof p, "%s/%s/%s", tmpdir_path, sub, name);
    if (!(f = fopen(p, "rb"))) return NULL;
    fseek(f, 0, SEEK_END);
    len = ftell(f);
    rewind(f);
    s = malloc((size_t)len + 1);
    assert_non_null(s);
    assert_int_equal(fread(s, 1, (size_t)len, f), (size_t)len);
    s[len] = '\0';
    fclose(f);
    *n = (size_t)len;
    return s;
}
