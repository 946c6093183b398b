/* values.h — parsing of the value forms of standard §1 (yes/no, money, dates,
 * status, ratings, school status) and of decimal parameters.  Pure functions,
 * no locale, no allocation: safe on the hot path and on any thread. */
#ifndef TUOPIN_VALUES_H
#define TUOPIN_VALUES_H

#include <stddef.h>
#include <stdint.h>
#include <tuopin/stage.h>

/* ASCII case-insensitive equality of s (length n) with NUL-terminated lit. */
int val_eq_ci(const char *s, size_t n, const char *lit);

/* yes/no: `yes y true 1 是` / `no n false 0 否`; blank is TP_MISSING. */
tp_yesno val_yesno(const char *s);

/* Money `-?[0-9]+(\.[0-9]{1,2})?` into cents.  Values beyond 15 integer digits
 * are TP_BAD (no registry figure comes near them).  When nonneg is set, a
 * negative value is TP_BAD (`-0` is zero).  Blank is TP_MISSING. */
tp_money val_money(const char *s, int nonneg);

/* Dates YYYY-MM-DD, YYYY/M/D, YYYYMMDD; must be a real Gregorian date. */
tp_date val_date(const char *s);
int val_date_real(int y, int m, int d);

/* Status: poor/贫困户/未脱贫, exited/已脱贫/脱贫户, general/一般户/非贫困户.
 * RETURN: 0 and *st, or -1 when not an accepted value. */
int val_status(const char *s, tp_status *st);
const char *val_status_name(tp_status st);

/* Housing rating A–D, also `A级`. */
tp_rating val_rating(const char *s);

/* School status with its aliases (standard §3.3). */
tp_school val_school(const char *s);
/* Whether a school code counts as covered by compulsory education. */
int val_school_covered(tp_school_code c);
const char *val_school_name(tp_school_code c);

/* GB 11643 resident ID: 17 digits + digit or X/x with a correct
 * ISO 7064 MOD 11-2 check character and a real date in digits 7–14.
 * RETURN: 1 when valid (and *birth filled), else 0. */
int val_person_id(const char *s, tp_date *birth);
/* The check character for the first 17 digits (which must be digits). */
char val_id_check_char(const char *digits17);

/* Parses YYYYQn into the year and the quarter's last day.  RETURN 0 or -1. */
int val_quarter(const char *q, int *year, int *month, int *day);

/* Age in whole years at the as-of date (standard §2). */
int val_age(tp_date birth, int y, int m, int d);

/* Decimal text with at most `scale` decimals into an integer scaled by
 * 10^scale (e.g. scale 2: cents).  Accepts an optional leading '-'.
 * RETURN: 0, or -1 when not such a number or out of range. */
int val_decimal(const char *s, int scale, int64_t *out);

/* Formats cents as yuan with 2 decimals into buf (at least 32 bytes). */
void val_format_cents(int64_t cents, char *buf);

/* Per-capita cents net/n rounded half away from zero. */
int64_t val_div_round(int64_t net, int64_t n);

/* Trims ASCII spaces and tabs; returns the new start, sets *len. */
const char *val_trim(const char *s, size_t n, size_t *len);

#endif
