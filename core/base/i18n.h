/* i18n.h — the language of messages.  Every user-facing message and finding
 * detail goes through gettext: English in the source, zh_CN from the
 * catalogue (po/zh_CN.po).  Finding codes never change with the language. */
#ifndef TUOPIN_I18N_H
#define TUOPIN_I18N_H

#include <libintl.h>

#define _(s) gettext(s)
#define N_(s) (s)

/* NAME: i18n_init
 * DESCRIPTION: picks the language: `lang` ("zh" or "en", from --lang), else
 *   TUOPIN_LANG, else the locale (LC_ALL, LC_MESSAGES, LANG: "en…" gives
 *   English); Chinese otherwise, the registry's own language.  Binds the
 *   catalogue from the build tree when tuopin runs uninstalled.  Whoever
 *   keeps translated texts (msg_forget in core/model) drops them after it.
 * RETURN: 0, or -1 when lang is neither zh nor en. */
int i18n_init(const char *lang);

/* Whether messages are in Chinese. */
int i18n_chinese(void);

#endif
