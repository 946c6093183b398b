/* plugin_v1.h — loading stages built for ABI 1 (tuopin 0.1 and 0.2): their
 * descriptor becomes an ABI 2 one whose open() hands them the ABI 1 host
 * table.  Used by plugin.c only. */
#ifndef TUOPIN_PLUGIN_V1_H
#define TUOPIN_PLUGIN_V1_H

#include <stddef.h>
#include "plugin.h"

/* NAME: plugin_adapt_v1
 * DESCRIPTION: fills out->copy, out->params and out->abi from raw, the ABI 1
 *   descriptor a stage's entry returned (abi_version already read as 1).
 * RETURN: 0, or -1 with a one-line message naming path. */
int plugin_adapt_v1(const void *raw, const char *path, plugin *out, char *err, size_t errlen);

#endif
