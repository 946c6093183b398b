/* fuzz_mapping.c — mapping files (core/input/mapping.c): arbitrary bytes as a
 * mapping file, loaded as `input { mapping = "FILE" }` loads one, in the
 * sandbox.  Beyond "no crash":
 *
 *   - a refusal comes with a message of one line naming the file;
 *   - an accepted mapping is well formed: skip_rows is a count, "auto" or
 *     unset; every column entry has a target and NUL-terminated sources;
 *     binding it to a header made of its own source names renames only to
 *     its targets, each renamed column once, and every value table gives
 *     NUL-terminated values of the length it says;
 *   - loading the same file twice gives the same outcome (no state leaks
 *     from one sandbox to the next). */
#define _POSIX_C_SOURCE 200809L
#include "mapping.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define CHECK(cond) do { if (!(cond)) { \
    fprintf(stderr, "fuzz_mapping: invariant broken at %s:%d: %s\n", __FILE__, __LINE__, #cond); \
    abort(); } } while (0)

#define MAX_HEADER 64

static char dir[256], path[300];

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    const char *t = getenv("TMPDIR");
    (void)argc; (void)argv;
    snprintf(dir, sizeof dir, "%s/tuopin-fuzz-mapping-XXXXXX", t && *t ? t : "/tmp");
    if (!mkdtemp(dir)) abort();
    snprintf(path, sizeof path, "%s/m.lua", dir);
    return 0;
}

/* Whether name is one of the mapping's targets. */
static int is_target(const mapping *m, const char *name)
{
    size_t i;
    for (i = 0; i < map_ncolumns(m); i++)
        if (!strcmp(map_column_target(m, i), name)) return 1;
    return 0;
}

/* 0 accepted, 1 refused; *sig summarises the outcome for the second load. */
static int load(char *err, size_t errlen, unsigned long *sig)
{
    mapping *m;
    const char *names[MAX_HEADER], *renamed[MAX_HEADER];
    const map_values *values[MAX_HEADER];
    size_t lens[MAX_HEADER], n = 0, i, j, nrenamed, count;
    int skip;
    err[0] = '\0';
    *sig = 0;
    m = map_load(path, err, errlen);
    if (!m) {
        CHECK(err[0] != '\0');
        CHECK(strchr(err, '\n') == NULL);    /* one line */
        CHECK(strstr(err, "m.lua") != NULL); /* names the file */
        return 1;
    }
    CHECK(!strcmp(map_path(m), path));
    skip = map_skip_rows(m);
    CHECK(skip >= 0 || skip == -1 || skip == MAP_SKIP_AUTO);
    /* a header of the mapping's own source names (the first of each entry's) */
    for (i = 0; i < map_ncolumns(m); i++) {
        const char *const *src;
        size_t ns = map_column_sources(m, i, &src);
        CHECK(map_column_target(m, i) != NULL);
        for (j = 0; j < ns; j++) CHECK(src[j] != NULL && strlen(src[j]) < (1u << 20));
        if (ns && n < MAX_HEADER) {
            CHECK(map_is_source(m, src[0], strlen(src[0])));
            names[n] = src[0];
            lens[n] = strlen(src[0]);
            n++;
        }
    }
    nrenamed = map_bind(m, names, lens, n, renamed, values);
    count = 0;
    for (i = 0; i < n; i++) {
        if (renamed[i]) {
            count++;
            CHECK(is_target(m, renamed[i]));
            for (j = 0; j < i; j++) CHECK(!renamed[j] || strcmp(renamed[j], renamed[i]));
        }
        if (values[i]) {
            static const char *const probes[] = { "", "1", "是", "否", "yes", "A", "01" };
            size_t k, len;
            CHECK(map_values_column(values[i]) != NULL);
            for (k = 0; k < sizeof probes / sizeof probes[0]; k++) {
                const char *v = map_value(values[i], probes[k], strlen(probes[k]), &len);
                if (v) CHECK(strlen(v) == len);
            }
        }
    }
    CHECK(count == nrenamed);
    *sig = map_ncolumns(m) * 131 + nrenamed * 7 + (unsigned long)(skip + 3);
    map_free(m);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    FILE *f;
    char err1[1024], err2[1024];
    unsigned long s1, s2;
    int r1, r2;
    if (!dir[0]) LLVMFuzzerInitialize(NULL, NULL);
    if (size > 65536) return 0;
    f = fopen(path, "wb");
    CHECK(f != NULL);
    if (size) CHECK(fwrite(data, 1, size, f) == size);
    CHECK(fclose(f) == 0);
    r1 = load(err1, sizeof err1, &s1);
    r2 = load(err2, sizeof err2, &s2);
    CHECK(r1 == r2 && s1 == s2);
    if (r1) CHECK(!strcmp(err1, err2));
    return 0;
}
