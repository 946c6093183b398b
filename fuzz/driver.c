/* driver.c — a plain main for the fuzz harnesses, so that they also build
 * with gcc (no libFuzzer) and replay a corpus: every file named on the
 * command line, and every file in every folder named, goes once through
 * LLVMFuzzerTestOneInput.  A harness that finds a broken invariant aborts,
 * so a clean exit means every input passed. */
#define _DEFAULT_SOURCE
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv) __attribute__((weak));

static unsigned long replayed;

static int run_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    unsigned char *buf = NULL;
    size_t n = 0, cap = 0, got;
    if (!f) {
        fprintf(stderr, "fuzz driver: %s: cannot open\n", path);
        return -1;
    }
    do {
        if (n == cap) {
            unsigned char *nb;
            cap = cap ? 2 * cap : 65536;
            nb = realloc(buf, cap);
            if (!nb) { free(buf); fclose(f); return -1; }
            buf = nb;
        }
        got = fread(buf + n, 1, cap - n, f);
        n += got;
    } while (got > 0);
    fclose(f);
    /* A copy of exactly n bytes, as libFuzzer gives: reading past the end
     * is then caught by the sanitizers. */
    {
        unsigned char *exact = malloc(n ? n : 1);
        if (!exact) { free(buf); return -1; }
        if (n) memcpy(exact, buf, n);
        free(buf);
        LLVMFuzzerTestOneInput(exact, n);
        free(exact);
    }
    replayed++;
    return 0;
}

static int cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int run_path(const char *path)
{
    struct stat st;
    DIR *d;
    struct dirent *e;
    char **names = NULL;
    size_t n = 0, cap = 0, i;
    int rc = 0;
    if (stat(path, &st) != 0) {
        fprintf(stderr, "fuzz driver: %s: not found\n", path);
        return -1;
    }
    if (!S_ISDIR(st.st_mode)) return run_file(path);
    if (!(d = opendir(path))) return -1;
    while ((e = readdir(d))) {
        char *full;
        if (e->d_name[0] == '.') continue;
        full = malloc(strlen(path) + strlen(e->d_name) + 2);
        if (!full) break;
        sprintf(full, "%s/%s", path, e->d_name);
        if (n == cap) {
            char **nn = realloc(names, (cap = cap ? 2 * cap : 64) * sizeof *names);
            if (!nn) { free(full); break; }
            names = nn;
        }
        names[n++] = full;
    }
    closedir(d);
    if (n) qsort(names, n, sizeof *names, cmp);
    for (i = 0; i < n; i++) {
        if (stat(names[i], &st) == 0 && S_ISREG(st.st_mode) && run_file(names[i]) < 0) rc = -1;
        free(names[i]);
    }
    free(names);
    return rc;
}

int main(int argc, char **argv)
{
    int i, rc = 0;
    if (LLVMFuzzerInitialize) LLVMFuzzerInitialize(&argc, &argv);
    if (argc < 2) {
        fprintf(stderr, "usage: %s FILE|FOLDER...  (replays each input once)\n", argv[0]);
        return 2;
    }
    for (i = 1; i < argc; i++)
        if (argv[i][0] != '-' && run_path(argv[i]) < 0) rc = 1;
    printf("%s: %lu inputs replayed, every invariant held\n", argv[0], replayed);
    return rc;
}
