/* fuzz_pipeline.c — pipeline files (core/lua/pipeline.c): arbitrary bytes as a
 * pipeline, loaded from a temporary file as `tuopin run` loads one, in the
 * sandbox that offers only the five pipeline words.  Beyond "no crash":
 *
 *   - a refusal comes with a message of one line (it is what `tuopin run`
 *     prints, and a run says one line when it fails), naming the file;
 *   - an accepted pipeline is a well-formed run_config: every string set is
 *     NUL-terminated text, every stage is a name or a script, paths are
 *     resolved against the pipeline's folder;
 *   - loading the same file twice gives the same outcome (no state leaks
 *     from one sandbox to the next). */
#define _POSIX_C_SOURCE 200809L
#include "pipeline.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define CHECK(cond) do { if (!(cond)) { \
    fprintf(stderr, "fuzz_pipeline: invariant broken at %s:%d: %s\n", __FILE__, __LINE__, #cond); \
    abort(); } } while (0)

static char dir[256], path[300];

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    const char *t = getenv("TMPDIR");
    (void)argc; (void)argv;
    snprintf(dir, sizeof dir, "%s/tuopin-fuzz-pipeline-XXXXXX", t && *t ? t : "/tmp");
    if (!mkdtemp(dir)) abort();
    snprintf(path, sizeof path, "%s/p.lua", dir);
    return 0;
}

static void check_resolved(const char *s)
{
    if (!s) return;
    CHECK(strlen(s) < (1u << 20));
    /* Relative paths come back prefixed with the pipeline's folder. */
    CHECK(s[0] == '/' || !strcmp(s, "-"));
}

static void check_list(const kv_list *l)
{
    size_t i;
    CHECK(l->n <= l->cap);
    for (i = 0; i < l->n; i++) CHECK(l->items[i].key && l->items[i].value && l->items[i].origin);
}

/* 0 accepted, 1 refused; *sig summarises the outcome for the second load. */
static int load(char *err, size_t errlen, unsigned long *sig)
{
    run_config cfg;
    size_t i;
    int rc;
    memset(&cfg, 0, sizeof cfg);
    err[0] = '\0';
    rc = pipeline_load(path, &cfg, err, errlen);
    *sig = 0;
    if (rc < 0) {
        CHECK(err[0] != '\0');
        CHECK(strchr(err, '\n') == NULL);   /* one line */
        CHECK(strstr(err, "p.lua") != NULL); /* names the file */
        run_config_free(&cfg);
        return 1;
    }
    CHECK(rc == 0);
    CHECK(cfg.pipeline_path && !strcmp(cfg.pipeline_path, path));
    check_resolved(cfg.input);
    check_resolved(cfg.out_dir);
    check_list(&cfg.params);
    check_list(&cfg.script_params);
    for (i = 0; i < cfg.nstages; i++) {
        const stage_spec *s = &cfg.stages[i];
        CHECK((s->name != NULL) != (s->script != NULL));
        check_resolved(s->script);
        check_list(&s->params);
    }
    *sig = cfg.nstages * 131 + cfg.params.n * 7 + (cfg.quarter ? strlen(cfg.quarter) : 0);
    run_config_free(&cfg);
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
