/* paths.c — where tuopin's own files are, installed or in the build tree. */
#define _POSIX_C_SOURCE 200809L
#include "paths.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifndef TUOPIN_PKGDATADIR
#define TUOPIN_PKGDATADIR "/usr/local/share/tuopin"
#endif
#ifndef TUOPIN_LOCALEDIR
#define TUOPIN_LOCALEDIR "/usr/local/share/locale"
#endif
#ifndef TUOPIN_SRCDIR
#define TUOPIN_SRCDIR ""
#endif
#ifndef TUOPIN_BUILDDIR
#define TUOPIN_BUILDDIR ""
#endif

int paths_uninstalled(void)
{
    static int cached = -1;
    char exe[4096];
    ssize_t n;
    size_t bl = strlen(TUOPIN_BUILDDIR);
    if (cached >= 0) return cached;
    n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    cached = 0;
    if (n > 0 && bl > 0) {
        exe[n] = '\0';
        cached = !strncmp(exe, TUOPIN_BUILDDIR, bl) && exe[bl] == '/';
    }
    return cached;
}

char *paths_data_file(const char *name)
{
    const char *dir = getenv("TUOPIN_DATA_DIR");
    char buf[4096];
    if (!dir || !*dir) dir = paths_uninstalled() && TUOPIN_SRCDIR[0] != '\0' ? TUOPIN_SRCDIR "/data"
                                                                    : TUOPIN_PKGDATADIR;
    snprintf(buf, sizeof buf, "%s/%s", dir, name);
    return strdup(buf);
}

const char *paths_locale_dir(void)
{
    return paths_uninstalled() && TUOPIN_BUILDDIR[0] != '\0' ? TUOPIN_BUILDDIR "/po/locale"
                                                             : TUOPIN_LOCALEDIR;
}
