/* plugin.c — libltdl loading of stage plugins. */
#define _DEFAULT_SOURCE
#include "plugin.h"
#include "household.h" /* hh_code_valid */
#include "i18n.h"
#include "plugin_v1.h"
#include "paths.h"

#include <dirent.h>
#include <errno.h>
#include <ltdl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#ifndef TUOPIN_PLUGINDIR
#define TUOPIN_PLUGINDIR "/usr/local/lib/tuopin/plugins"
#endif
#ifndef TUOPIN_BUILDDIR
#define TUOPIN_BUILDDIR ""
#endif

int plugin_system_init(void) { return lt_dlinit() == 0 ? 0 : -1; }
void plugin_system_exit(void) { lt_dlexit(); }

static int name_ok(const char *name)
{
    const char *p = name;
    if (!*p) return 0;
    for (; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '_' || *p == '-'))
            return 0;
    return 1;
}

/* Candidate paths for a stage, in search order; the caller frees them. */
static size_t candidates(const char *name, char **out, size_t max)
{
    size_t n = 0;
    const char *env = getenv("TUOPIN_PLUGIN_PATH");
    char buf[4096];
    if (paths_uninstalled() && n < max) {
        snprintf(buf, sizeof buf, "%s/plugins/%s/.libs/%s.so", TUOPIN_BUILDDIR, name, name);
        out[n++] = strdup(buf);
    } else if (n < max) {
        snprintf(buf, sizeof buf, "%s/%s.so", TUOPIN_PLUGINDIR, name);
        out[n++] = strdup(buf);
    }
    if (env) {
        const char *s = env;
        while (*s && n < max) {
            size_t len = strcspn(s, ":");
            if (len > 0 && s[0] == '/') {
                snprintf(buf, sizeof buf, "%.*s/%s.so", (int)len, s, name);
                out[n++] = strdup(buf);
            }
            s += len;
            if (*s == ':') s++;
        }
    }
    return n;
}

static int safe_file(const char *path, char *err, size_t errlen)
{
    struct stat st;
    char dir[4096];
    char *slash;
    if (lstat(path, &st) != 0) {
        snprintf(err, errlen, "%s: %s", path, strerror(errno));
        return -1;
    }
    if (!S_ISREG(st.st_mode)) {
        snprintf(err, errlen, _("%s: not a regular file (symbolic links are refused)"), path);
        return -1;
    }
    snprintf(dir, sizeof dir, "%s", path);
    slash = strrchr(dir, '/');
    if (slash) {
        *slash = '\0';
        if (stat(dir[0] ? dir : "/", &st) == 0 && (st.st_mode & S_IWOTH)) {
            snprintf(err, errlen, _("%s: folder is world-writable; refusing to load stages from it"),
                     dir);
            return -1;
        }
    }
    return 0;
}

/* The smallest ABI 2 descriptor: every field up to close. */
#define STAGE_SIZE_MIN (offsetof(tp_stage, close) + sizeof(void (*)(void *)))

/* Copies n elements of `size` bytes from items into a zeroed array of n + 1
 * elements of `host` bytes (the last one all zero): the host reads only
 * what the stage's elements have.  RETURN the array, or NULL. */
static void *host_array(const void *items, size_t n, size_t size, size_t host)
{
    char *a = calloc(n + 1, host);
    size_t i;
    if (!a) return NULL;
    for (i = 0; i < n; i++)
        memcpy(a + i * host, (const char *)items + i * size, size < host ? size : host);
    return a;
}

/* Checks an ABI 2 descriptor and copies it, and its arrays, at the host's
 * sizes into out.  RETURN 0, or -1 with a message naming path. */
static int adopt_v2(const tp_stage *d, const char *path, plugin *out, char *err, size_t errlen)
{
    const tp_stage *raw = d;
    size_t i;
    if (d->struct_size < STAGE_SIZE_MIN || d->struct_size > 65536) {
        snprintf(err, errlen, _("%s: stage descriptor size %zu does not match %zu; rebuild the stage"),
                 path, d->struct_size, sizeof(tp_stage));
        return -1;
    }
    memset(&out->copy, 0, sizeof out->copy);
    memcpy(&out->copy, d, d->struct_size < sizeof(tp_stage) ? d->struct_size : sizeof(tp_stage));
    d = &out->copy;
    if (!d->name || !d->version || !d->check) {
        snprintf(err, errlen, _("%s: stage descriptor lacks a name, version or check function"), path);
        return -1;
    }
    if ((d->params.n && (!d->params.items || d->params.size < offsetof(tp_param_decl, description)))
        || (d->codes.n && (!d->codes.items || d->codes.size < offsetof(tp_code_decl, flags)))
        || d->params.n > 4096 || d->codes.n > 4096) {
        snprintf(err, errlen, _("%s: stage descriptor has a malformed parameter or code list; "
                                "rebuild the stage"), path);
        return -1;
    }
    if ((unsigned)d->role > TP_ROLE_ROSTERS || (unsigned)d->dimension > TP_DIM_WATER) {
        snprintf(err, errlen, _("%s: stage declares an unknown role %d or dimension %d; rebuild the stage"),
                 path, (int)d->role, (int)d->dimension);
        return -1;
    }
    out->params = host_array(d->params.items, d->params.n, d->params.size, sizeof *out->params);
    out->codes = host_array(d->codes.items, d->codes.n, d->codes.size, sizeof *out->codes);
    if (!out->params || !out->codes) {
        snprintf(err, errlen, _("out of memory"));
        return -1;
    }
    for (i = 0; i < d->params.n; i++)
        if (!out->params[i].name || (out->params[i].type != TP_PARAM_INT
                                     && out->params[i].type != TP_PARAM_MONEY
                                     && out->params[i].type != TP_PARAM_RATIO)) {
            snprintf(err, errlen, "%s: parameter %s has an unknown type %d; rebuild the stage",
                     path, out->params[i].name ? out->params[i].name : "(no name)",
                     (int)out->params[i].type);
            return -1;
        }
    for (i = 0; i < d->codes.n; i++)
        if (!hh_code_valid(out->codes[i].code) || !out->codes[i].en) {
            snprintf(err, errlen, _("%s: finding code %s is not of the form [A-Z][A-Z0-9_]* "
                                    "or has no English text"), path,
                     out->codes[i].code ? out->codes[i].code : "(none)");
            return -1;
        }
    out->copy.params.items = out->params;
    out->copy.params.size = sizeof *out->params;
    out->copy.codes.items = out->codes;
    out->copy.codes.size = sizeof *out->codes;
    out->raw = raw;
    out->abi = 2;
    return 0;
}

int plugin_load_path(const char *path, const char *expect_name, plugin *out,
                     char *err, size_t errlen)
{
    lt_dladvise adv;
    lt_dlhandle h;
    tp_stage_entry_fn entry;
    const tp_stage *d;
    int rc;
    memset(out, 0, sizeof *out);
    if (safe_file(path, err, errlen) < 0) return -1;
    if (lt_dladvise_init(&adv) || lt_dladvise_local(&adv)) {
        snprintf(err, errlen, "%s: %s", path, lt_dlerror());
        return -1;
    }
    h = lt_dlopenadvise(path, adv);
    lt_dladvise_destroy(&adv);
    if (!h) {
        snprintf(err, errlen, _("%s: cannot load: %s"), path, lt_dlerror());
        return -1;
    }
    entry = (tp_stage_entry_fn)(uintptr_t)lt_dlsym(h, TP_STAGE_ENTRY);
    if (!entry) {
        snprintf(err, errlen, _("%s: not a tuopin stage (no %s symbol)"), path, TP_STAGE_ENTRY);
        lt_dlclose(h);
        return -1;
    }
    d = entry();
    if (d && d->abi_version == 1) {
        rc = plugin_adapt_v1(d, path, out, err, errlen);
    } else if (!d || d->abi_version != TP_ABI_VERSION) {
        snprintf(err, errlen, _("%s: built for stage ABI %d, this tuopin has ABI %d; rebuild the stage"),
                 path, d ? d->abi_version : -1, TP_ABI_VERSION);
        rc = -1;
    } else if (d->abi_sizes != TP_ABI_SIZES) {
        snprintf(err, errlen, _("%s: built for other type sizes (fingerprint %#x, this tuopin has %#x); "
                                "rebuild the stage"), path, d->abi_sizes, TP_ABI_SIZES);
        rc = -1;
    } else {
        rc = adopt_v2(d, path, out, err, errlen);
    }
    if (rc == 0 && expect_name && strcmp(out->copy.name, expect_name)) {
        snprintf(err, errlen, _("%s: calls itself \"%s\", expected \"%s\""), path, out->copy.name,
                 expect_name);
        rc = -1;
    }
    if (rc < 0) {
        free(out->params);
        free(out->codes);
        memset(out, 0, sizeof *out);
        lt_dlclose(h);
        return -1;
    }
    out->handle = h;
    if (!(out->copy.flags & TP_STAGE_ORDERED)) out->copy.check_batch = NULL;
    out->desc = &out->copy;
    out->path = strdup(path);
    return 0;
}

int plugin_load(const char *name, plugin *out, char *err, size_t errlen)
{
    char *cand[16];
    size_t n, i;
    int rc = -1, found = 0;
    if (!name_ok(name)) {
        snprintf(err, errlen, _("stage \"%s\": a stage name is letters a-z, digits, _ and -"), name);
        return -1;
    }
    n = candidates(name, cand, 16);
    for (i = 0; i < n; i++) {
        struct stat st;
        if (found) continue;
        if (!cand[i]) {
            snprintf(err, errlen, "stage \"%s\": out of memory", name);
            found = 1;
            continue;
        }
        if (lstat(cand[i], &st) != 0) continue;
        found = 1;
        rc = plugin_load_path(cand[i], name, out, err, errlen);
    }
    if (!found)
        snprintf(err, errlen, _("unknown stage \"%s\": no %s.so in %s%s%s"), name, name,
                 paths_uninstalled() ? TUOPIN_BUILDDIR "/plugins" : TUOPIN_PLUGINDIR,
                 getenv("TUOPIN_PLUGIN_PATH") ? " or TUOPIN_PLUGIN_PATH=" : "",
                 getenv("TUOPIN_PLUGIN_PATH") ? getenv("TUOPIN_PLUGIN_PATH") : "");
    for (i = 0; i < n; i++) free(cand[i]);
    return rc;
}

void plugin_unload(plugin *p)
{
    if (p->handle) lt_dlclose((lt_dlhandle)p->handle);
    free(p->params);
    free(p->codes);
    free(p->path);
    memset(p, 0, sizeof *p);
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void list_dir(const char *dir, int build_tree, char ***names, size_t *n, size_t *cap)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    if (!d) return;
    while ((e = readdir(d))) {
        char name[256];
        size_t len = strlen(e->d_name);
        if (e->d_name[0] == '.') continue;
        if (build_tree) {
            char probe[4096];
            struct stat st;
            snprintf(probe, sizeof probe, "%s/%s/.libs/%s.so", dir, e->d_name, e->d_name);
            if (stat(probe, &st) != 0) continue;
            snprintf(name, sizeof name, "%s", e->d_name);
        } else {
            if (len < 4 || strcmp(e->d_name + len - 3, ".so")) continue;
            snprintf(name, sizeof name, "%.*s", (int)(len - 3), e->d_name);
        }
        if (!name_ok(name)) continue;
        if (*n == *cap) {
            *cap = *cap ? 2 * *cap : 16;
            *names = realloc(*names, *cap * sizeof **names);
        }
        (*names)[(*n)++] = strdup(name);
    }
    closedir(d);
}

void plugin_each(void (*fn)(void *ctx, const char *name, const plugin *p, const char *error),
                 void *ctx)
{
    char **names = NULL;
    size_t n = 0, cap = 0, i;
    const char *env = getenv("TUOPIN_PLUGIN_PATH");
    if (paths_uninstalled()) list_dir(TUOPIN_BUILDDIR "/plugins", 1, &names, &n, &cap);
    else list_dir(TUOPIN_PLUGINDIR, 0, &names, &n, &cap);
    if (env) {
        char *copy = strdup(env), *s, *save = NULL;
        for (s = strtok_r(copy, ":", &save); s; s = strtok_r(NULL, ":", &save))
            if (s[0] == '/') list_dir(s, 0, &names, &n, &cap);
        free(copy);
    }
    if (n) qsort(names, n, sizeof *names, cmp_str);
    for (i = 0; i < n; i++) {
        plugin p;
        char err[512];
        if (i > 0 && !strcmp(names[i], names[i - 1])) continue;
        if (plugin_load(names[i], &p, err, sizeof err) == 0) {
            fn(ctx, names[i], &p, NULL);
            plugin_unload(&p);
        } else {
            fn(ctx, names[i], NULL, err);
        }
    }
    for (i = 0; i < n; i++) free(names[i]);
    free(names);
}
