/* messages.c — the wording of finding details.  Stages pass a code, a member
 * index and a few arguments; the words live here only, in English, and reach
 * the user through gettext (po/zh_CN.po has the Chinese). */
#include "messages.h"
#include "i18n.h"
#include "schema.h"
#include "values.h"

#include <stdio.h>
#include <string.h>

const char *msg_column_label(const char *column)
{
    int c;
    if (!column) return "";
    c = schema_lookup(column);
    if (c < 0) return column;
    return i18n_chinese() ? schema_columns[c].zh : schema_columns[c].en;
}

void msg_mask_id(const char *id, char *out, size_t outlen)
{
    size_t n = strlen(id), i;
    int ascii = 1;
    for (i = 0; i < n; i++)
        if ((unsigned char)id[i] >= 0x80 || (unsigned char)id[i] < 0x20) ascii = 0;
    if (n == 0) {
        snprintf(out, outlen, "%s", "");
    } else if (!ascii || n <= 10) {
        snprintf(out, outlen, "****");       /* too short to show any part of */
    } else {
        snprintf(out, outlen, "%.6s%.*s%s", id, (int)(n - 10), "****************************************",
                 id + n - 4);
    }
}

void msg_finding(char *buf, size_t len, const char *code, size_t member,
                 const tp_finding_args *args)
{
    msg_finding_id(buf, len, code, member, NULL, args);
}

/* Finding details are formatted for every finding of every household, on
 * the workers: each format is looked up in the catalogue once (gettext takes
 * a lock) and kept here; msg_forget drops them when the language changes.
 * Two workers may both fill a slot, with the same pointer. */
#define NFORMATS 32
static const char *cache[NFORMATS];

void msg_forget(void)
{
    size_t i;
    for (i = 0; i < NFORMATS; i++) __atomic_store_n(&cache[i], NULL, __ATOMIC_RELEASE);
}

static const char *tr(size_t i, const char *msgid) __attribute__((format_arg(2)));
static const char *tr(size_t i, const char *msgid)
{
    const char *t = __atomic_load_n(&cache[i], __ATOMIC_ACQUIRE);
    if (!t) {
        t = gettext(msgid);
        __atomic_store_n(&cache[i], t, __ATOMIC_RELEASE);
    }
    return t;
}

void msg_format_two(char *buf, size_t len, const char *fmt, const char *a, const char *b)
{
    const char *arg[2] = { a, b }, *p, *t;
    size_t n = 0;
    int next = 0;
    if (len == 0) return;
    for (p = fmt; *p; p++) {
        if (*p != '%') continue;
        if (p[1] == '%' || p[1] == 's') { p++; continue; }
        if ((p[1] == '1' || p[1] == '2') && p[2] == '$' && p[3] == 's') { p += 3; continue; }
        snprintf(buf, len, fmt, a, b);    /* a conversion this does not know */
        return;
    }
    for (p = fmt; *p; p++) {
        t = NULL;
        if (*p == '%') {
            if (p[1] == '%') { p++; t = "%"; }
            else if (p[1] == 's') { p++; t = next < 2 ? arg[next++] : ""; }
            else { t = arg[p[1] - '1']; p += 3; }
        }
        if (!t) {
            if (n + 1 < len) buf[n++] = *p;
            continue;
        }
        for (; *t; t++)
            if (n + 1 < len) buf[n++] = *t;
    }
    buf[n] = '\0';
}

/* The words of a registry's yes/no claim (1 yes, 0 no, -1 blank, -2 invalid). */
static const char *claim_word(int64_t c)
{
    return c == 1 ? _("yes") : c == 0 ? _("no") : c == -1 ? _("blank") : _("invalid");
}

static const char *school_claim(int64_t c)
{
    return c >= 0 ? val_school_name((tp_school_code)c) : c == -1 ? _("blank") : _("invalid");
}

static const char *asset_word(int64_t a)
{
    switch (a) {
    case TP_ASSET_VEHICLE: return _("a vehicle");
    case TP_ASSET_COMMERCIAL_HOUSING: return _("commercial housing");
    case TP_ASSET_BUSINESS: return _("a registered business");
    default: return _("a public payroll post");
    }
}

/* Department roster findings (standard §8.2): what the roster says against
 * what the registry claims.  RETURN 1 when code is one of them. */
static int roster_detail(char *buf, size_t len, const char *code, const char *who,
                         int64_t va, int64_t vb)
{
    char date[16], rating[8];
    if (!strcmp(code, "ROSTER_UNINSURED")) {
        snprintf(buf, len, va < 0 ? tr(18, N_("%sthe medical insurance roster has no row for the member "
                                              "(registry: medical_insured %s)"))
                                  : tr(19, N_("%sthe medical insurance roster says insured no "
                                              "(registry: medical_insured %s)")),
                 who, claim_word(vb));
    } else if (!strcmp(code, "ROSTER_NOT_ENROLLED")) {
        snprintf(buf, len, tr(20, N_("%saged %lld, the school roster says enrolled no "
                                     "(registry: school status %s)")),
                 who, (long long)va, school_claim(vb));
    } else if (!strcmp(code, "ROSTER_SCHOOL_ABSENT")) {
        snprintf(buf, len, tr(21, N_("%saged %lld, not on the school roster "
                                     "(registry: school status %s)")),
                 who, (long long)va, school_claim(vb));
    } else if (!strcmp(code, "ROSTER_HOUSING_UNSAFE")) {
        if (vb % 256 >= 'A' && vb % 256 <= 'D') snprintf(rating, sizeof rating, "%c", (char)(vb % 256));
        else snprintf(rating, sizeof rating, "%s", vb / 256 - 2 == -2 ? _("invalid") : _("blank"));
        snprintf(buf, len, tr(22, N_("the housing roster rates the head's house %c with housing_fixed %s "
                                     "(registry: rating %s, housing_fixed %s)")),
                 (char)(va % 256), claim_word(va / 256 - 2), rating, claim_word(vb / 256 - 2));
    } else if (!strcmp(code, "ROSTER_DECEASED") || !strcmp(code, "ROSTER_MOVED_OUT")) {
        snprintf(date, sizeof date, "%04d-%02d-%02d", (int)(va / 10000 % 10000), (int)(va / 100 % 100),
                 (int)(va % 100));
        snprintf(buf, len, code[7] == 'D' ? tr(23, N_("%sthe hukou roster records the member as deceased "
                                                      "on %s (registry: a living member)"))
                                          : tr(24, N_("%sthe hukou roster records the member as moved out "
                                                      "on %s (registry: a member of the household)")),
                 who, date);
    } else if (!strcmp(code, "ROSTER_ASSETS")) {
        snprintf(buf, len, tr(25, N_("%sthe assets roster records %s (registry status: %s)")),
                 who, asset_word(va), val_status_name((tp_status)vb));
    } else {
        return 0;
    }
    return 1;
}

void msg_finding_id(char *buf, size_t len, const char *code, size_t member,
                    const char *person_id, const tp_finding_args *args)
{
    char who[128] = "", a[32], b[32];
    const char *col = args && args->column ? args->column : "";
    int64_t va = args ? args->a : 0, vb = args ? args->b : 0;
    /* TRANSLATORS: the member a finding is about, before what is wrong. */
    if (member && person_id && person_id[0])
        snprintf(who, sizeof who, tr(0, N_("member %zu (%s): ")), member, person_id);
    else if (member)
        snprintf(who, sizeof who, tr(1, N_("member %zu: ")), member);
    val_format_cents(va, a);
    val_format_cents(vb, b);

    if (!strcmp(code, "MISSING_VALUE"))
        snprintf(buf, len, tr(2, N_("%s%s (%s) is missing")), who, msg_column_label(col), col);
    else if (!strcmp(code, "BAD_VALUE"))
        snprintf(buf, len, tr(3, N_("%s%s (%s) has an invalid value")), who, msg_column_label(col), col);
    else if (!strcmp(code, "INCOME_BELOW_LINE"))
        msg_format_two(buf, len, tr(4, N_("per-capita net income %s yuan is below the line of %s yuan")), a, b);
    else if (!strcmp(code, "INCOME_MISMATCH"))
        msg_format_two(buf, len, tr(5, N_("declared per-capita income %s yuan differs from the computed %s yuan")),
                a, b);
    else if (!strcmp(code, "INCOME_NEAR_LINE"))
        msg_format_two(buf, len, tr(6, N_("per-capita net income %s yuan is only just above the line of %s yuan")),
                a, b);
    else if (!strcmp(code, "INCOME_TRANSFER_DEPENDENT"))
        msg_format_two(buf, len, tr(7, N_("transfer income %s yuan is too large a share of net income %s yuan")),
                a, b);
    else if (!strcmp(code, "FOOD_CLOTHING_INSECURE"))
        snprintf(buf, len, tr(8, N_("food and clothing are not secure")));
    else if (!strcmp(code, "SCHOOL_DROPOUT"))
        snprintf(buf, len, tr(9, N_("%saged %lld, of compulsory-school age but not in school (school status: %s)")),
                 who, (long long)va, val_school_name((tp_school_code)vb));
    else if (!strcmp(code, "MEDICAL_UNINSURED"))
        snprintf(buf, len, tr(10, N_("%snot insured by basic medical insurance")), who);
    else if (!strcmp(code, "HOUSING_UNSAFE"))
        snprintf(buf, len, tr(11, N_("housing rated %c (unsafe) and not renovated or relocated")), (char)va);
    else if (!strcmp(code, "WATER_UNSAFE"))
        snprintf(buf, len, tr(12, N_("drinking water is not safe")));
    else if (!strcmp(code, "ID_INVALID"))
        snprintf(buf, len, va ? tr(13, N_("%sthe ID number is blank"))
                              : tr(14, N_("%sthe ID number is invalid (check character or birth date)")), who);
    else if (!strcmp(code, "ID_BIRTH_MISMATCH"))
        snprintf(buf, len, tr(15, N_("%sthe date of birth differs from the one in the ID number")), who);
    else if (!strcmp(code, "ID_DUPLICATE"))
        snprintf(buf, len, tr(16, N_("%sthe ID number already appeared for an earlier member")), who);
    else if (!strcmp(code, "HEAD_COUNT"))
        snprintf(buf, len, tr(17, N_("the household has %lld heads, not exactly one")), (long long)va);
    else if (!strncmp(code, "ROSTER_", 7) && roster_detail(buf, len, code, who, va, vb))
        ;
    else
        snprintf(buf, len, "%s%s", who, code);
}
