/* plugin.h — finding and loading C stage plugins with libltdl: by name only,
 * from the build tree when tuopin runs uninstalled, else from the installed
 * plugin folder, then from TUOPIN_PLUGIN_PATH; regular files in folders that
 * are not world-writable; ABI version, type-size fingerprint and descriptor
 * size checked first.  Stages built for ABI 1 are adapted (plugin_v1.c).
 * Load from the main thread before any worker starts. */
#ifndef TUOPIN_PLUGIN_H
#define TUOPIN_PLUGIN_H

#include <stddef.h>
#include <tuopin/stage.h>

typedef struct plugin {
    void *handle;          /* lt_dlhandle */
    const tp_stage *desc;  /* valid while loaded (points to copy) */
    tp_stage copy;         /* the stage's descriptor as ABI 2, fields it lacks 0 / NULL;
                            * params and codes point to the host-size copies below */
    tp_param_decl *params; /* owned: the declared parameters at the host's element size,
                            * NULL-terminated (params_declare reads them so) */
    tp_code_decl *codes;   /* owned: the declared codes at the host's element size */
    const tp_stage *raw;   /* ABI 2: the descriptor the stage returned (its open()'s self) */
    int abi;               /* the ABI the stage was built for: 1 or 2 */
    char *path;            /* owned */
} plugin;

/* Initialises libltdl; RETURN 0 or -1. Call once. */
int plugin_system_init(void);
void plugin_system_exit(void);

/* NAME: plugin_load
 * DESCRIPTION: finds NAME.so in the plugin folders and loads it.
 * RETURN: 0, or -1 with a one-line message naming the stage or file. */
int plugin_load(const char *name, plugin *out, char *err, size_t errlen);

/* Loads the shared object at path (absolute); same checks.  RETURN 0 or -1. */
int plugin_load_path(const char *path, const char *expect_name, plugin *out,
                     char *err, size_t errlen);

void plugin_unload(plugin *p);

/* NAME: plugin_each
 * DESCRIPTION: calls fn for every stage file found in the plugin folders, in
 *   folder order then name order; a name found twice is reported once (the
 *   first).  Failures to load are passed with desc NULL and the message. */
void plugin_each(void (*fn)(void *ctx, const char *name, const plugin *p, const char *error),
                 void *ctx);

#endif
