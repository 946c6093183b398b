/* paths.h — where tuopin's own files are: the build tree's when the running
 * binary is the uninstalled one there (make check, a developer's shell), the
 * installed folders otherwise.  The folders come from the build
 * (TUOPIN_BUILDDIR, TUOPIN_SRCDIR, TUOPIN_PKGDATADIR, TUOPIN_LOCALEDIR). */
#ifndef TUOPIN_PATHS_H
#define TUOPIN_PATHS_H

/* Whether the running binary is the uninstalled one in the build tree. */
int paths_uninstalled(void);

/* Path of a shipped data file (national-lines.csv …): TUOPIN_DATA_DIR, the
 * source tree when uninstalled, else the installed data folder.  Owned by the
 * caller; NULL when out of memory. */
char *paths_data_file(const char *name);

/* The folder of the message catalogues: the build tree's po/locale when
 * uninstalled, else the installed locale folder. */
const char *paths_locale_dir(void);

#endif
