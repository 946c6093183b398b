/* messages.h — the one place where finding details and reject details are
 * worded, keyed by code, so that catalogues in other languages can follow. */
#ifndef TUOPIN_MESSAGES_H
#define TUOPIN_MESSAGES_H

#include <stddef.h>
#include <tuopin/stage.h>

/* NAME: msg_finding
 * DESCRIPTION: writes the detail of a finding into buf (NUL-terminated,
 *   truncated to len).  member is 1-based or 0.  args may be NULL.  Codes
 *   without a catalogue entry get a generic sentence naming the code. */
void msg_finding(char *buf, size_t len, const char *code, size_t member,
                 const tp_finding_args *args);

/* Like msg_finding, naming the member also by person_id (already masked
 * or, with --reveal-ids, in full; NULL or "" for none). */
void msg_finding_id(char *buf, size_t len, const char *code, size_t member,
                    const char *person_id, const tp_finding_args *args);

/* Masks a resident ID for reports: the first 6 and last 4 characters kept
 * (the county and the check digits), the birth date hidden; "****" when too
 * short or not ASCII.  out needs at least 64 bytes for any 50-character ID. */
/* Forgets the translated formats (i18n_init calls it when it sets the
 * language). */
void msg_forget(void);

/* NAME: msg_format_two
 * DESCRIPTION: snprintf(buf, len, fmt, a, b) without snprintf's cost, for the
 *   income details (the most frequent by far): a format, as translated too,
 *   of text, %s, %1$s, %2$s and %% only.  A format with any other conversion
 *   goes to snprintf; a third %s prints nothing.  The result is cut, and
 *   NUL-terminated, at len - 1 bytes, as snprintf's. */
void msg_format_two(char *buf, size_t len, const char *fmt, const char *a, const char *b);

void msg_mask_id(const char *id, char *out, size_t outlen);

/* The Chinese name of a canonical or extra column for messages. */
const char *msg_column_label(const char *column);

#endif
