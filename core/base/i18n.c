/* i18n.c — choosing the language and binding the message catalogue.
 *
 * Why LANGUAGE and C.UTF-8: gettext ignores LANGUAGE when the locale is
 * plain "C", and a machine need not have zh_CN.UTF-8 generated.  The
 * built-in C.UTF-8 locale is not "C", so with LANGUAGE=zh_CN the catalogue is
 * used on any Debian machine, and LC_CTYPE in UTF-8 keeps the Chinese text
 * from being transliterated. */
#define _POSIX_C_SOURCE 200809L
#include "i18n.h"
#include "paths.h"

#include <locale.h>
#include <stdlib.h>
#include <string.h>

static int chinese = 1;

int i18n_chinese(void) { return chinese; }

static const char *env(const char *name)
{
    const char *v = getenv(name);
    return v && *v ? v : NULL;
}

int i18n_init(const char *lang)
{
    const char *l = lang ? lang : env("TUOPIN_LANG");
    if (l) {
        if (!strncmp(l, "zh", 2)) chinese = 1;
        else if (!strncmp(l, "en", 2)) chinese = 0;
        else if (lang) return -1;
    } else {
        const char *loc = env("LC_ALL");
        if (!loc) loc = env("LC_MESSAGES");
        if (!loc) loc = env("LANG");
        chinese = !(loc && !strncmp(loc, "en", 2));
    }
    if (!setlocale(LC_CTYPE, "C.UTF-8")) setlocale(LC_CTYPE, "C.utf8");
    if (!setlocale(LC_MESSAGES, "C.UTF-8")) setlocale(LC_MESSAGES, "C.utf8");
    setenv("LANGUAGE", chinese ? "zh_CN" : "en", 1);
    bindtextdomain("tuopin", paths_locale_dir());
    bind_textdomain_codeset("tuopin", "UTF-8");
    textdomain("tuopin");
    return 0;
}
