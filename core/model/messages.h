/* messages.h — where finding details are worded: from the texts each stage
 * declares for its codes (tuopin/stage.h, tp_code_decl) in the run's
 * language, and the host's own MISSING_VALUE and BAD_VALUE. */
#ifndef TUOPIN_MESSAGES_H
#define TUOPIN_MESSAGES_H

#include <stddef.h>
#include <tuopin/stage.h>

/* NAME: msg_finding
 * DESCRIPTION: writes the detail of a finding into buf (NUL-terminated,
 *   truncated to len): from the text the stage declared for the code in
 *   codes (NULL: none) in the run's language, else the host's own wording of
 *   MISSING_VALUE and BAD_VALUE, else the member and the code.  member is
 *   1-based or 0.  args may be NULL. */
void msg_finding(char *buf, size_t len, const tp_code_list *codes, const char *code,
                 size_t member, const tp_finding_args *args);

/* Like msg_finding, naming the member also by person_id (already masked
 * or, with --reveal-ids, in full; NULL or "" for none). */
void msg_finding_id(char *buf, size_t len, const tp_code_list *codes, const char *code,
                    size_t member, const char *person_id, const tp_finding_args *args);

/* NAME: msg_format_text
 * DESCRIPTION: words a declared finding text (tp_code_decl's fields {who},
 *   {column}, {column.label}, {a.yuan}, {b.yuan}, {a.int}, {b.int},
 *   {a.char}, {b.school}, {{, }}) into buf, cut at len - 1 bytes.  An
 *   unknown {field} is kept as written. */
void msg_format_text(char *buf, size_t len, const char *text, const char *who,
                     const tp_finding_args *args);

/* Forgets the translated formats (the command calls it after i18n_init
 * sets the language). */
void msg_forget(void);

/* Masks a resident ID for reports: the first 6 and last 4 characters kept
 * (the county and the check digits), the birth date hidden; "****" when too
 * short or not ASCII.  out needs at least 64 bytes for any 50-character ID. */
void msg_mask_id(const char *id, char *out, size_t outlen);

/* Masks, in place, every run of 15 or more digits (an X allowed last) in a
 * free text, as msg_mask_id would: a script's error message quoting a
 * resident ID keeps its first 6 and last 4 characters only (issue 18 item 6). */
void msg_mask_id_runs(char *s);

/* NAME: msg_finding_where
 * DESCRIPTION: appends to the detail in buf (issue 17.9) the input line of
 *   the row at fault and, unless value is NULL, the value read there: cut to
 *   MSG_VALUE_SHOWN bytes (then …), control characters as spaces, runs of
 *   15 or more digits masked as msg_mask_id_runs does.  Nothing when line
 *   is not positive. */
#define MSG_VALUE_SHOWN 40
void msg_finding_where(char *buf, size_t len, long line, const char *value);

/* The Chinese name of a canonical or extra column for messages. */
const char *msg_column_label(const char *column);

#endif
