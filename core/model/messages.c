/* messages.c — the wording of finding details.  Stages pass a code, a member
 * index and a few arguments; the words are the texts the stage declared for
 * the code, in English or Chinese, or for the host's own codes and the
 * member prefix, tuopin's catalogue (gettext; po/zh_CN.po has the Chinese). */
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

void msg_mask_id_runs(char *s)
{
    size_t i = 0, j, k;
    while (s[i]) {
        if (s[i] < '0' || s[i] > '9') {
            i++;
            continue;
        }
        for (j = i; s[j] >= '0' && s[j] <= '9'; j++) {}
        if (s[j] == 'X' || s[j] == 'x') j++;
        if (j - i >= 15)
            for (k = i + 6; k + 4 < j; k++) s[k] = '*';
        i = j;
    }
}

void msg_finding(char *buf, size_t len, const tp_code_list *codes, const char *code,
                 size_t member, const tp_finding_args *args)
{
    msg_finding_id(buf, len, codes, code, member, NULL, args);
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

/* The declaration of code in codes that applies to args, or NULL. */
static const tp_code_decl *declared(const tp_code_list *codes, const char *code,
                                    const tp_finding_args *args)
{
    size_t i;
    const char *p;
    if (!codes || !codes->items) return NULL;
    for (i = 0, p = (const char *)codes->items; i < codes->n; i++, p += codes->size) {
        const tp_code_decl *d = (const tp_code_decl *)(const void *)p;
        if (!d->code || strcmp(d->code, code)) continue;
        if ((d->flags & TP_CODE_WHEN_A) && (args ? args->a : 0) != d->a) continue;
        return d;
    }
    return NULL;
}

/* Appends s to buf[*n], cut at len - 1 bytes. */
static void put(char *buf, size_t len, size_t *n, const char *s)
{
    for (; *s; s++)
        if (*n + 1 < len) buf[(*n)++] = *s;
}

void msg_format_text(char *buf, size_t len, const char *text, const char *who,
                     const tp_finding_args *args)
{
    size_t n = 0;
    const char *p, *col = args && args->column ? args->column : "";
    int64_t va = args ? args->a : 0, vb = args ? args->b : 0;
    char num[32];
    if (len == 0) return;
    for (p = text; *p; p++) {
        const char *end;
        size_t k;
        if ((*p == '{' && p[1] == '{') || (*p == '}' && p[1] == '}')) {
            if (n + 1 < len) buf[n++] = *p;
            p++;
            continue;
        }
        if (*p != '{' || !(end = strchr(p, '}'))) {
            if (n + 1 < len) buf[n++] = *p;
            continue;
        }
        k = (size_t)(end - p - 1);
#define IS(lit) (k == sizeof(lit) - 1 && !memcmp(p + 1, lit, k))
        if (IS("who")) put(buf, len, &n, who);
        else if (IS("column")) put(buf, len, &n, col);
        else if (IS("column.label")) put(buf, len, &n, msg_column_label(col));
        else if (IS("a.yuan")) { val_format_cents(va, num); put(buf, len, &n, num); }
        else if (IS("b.yuan")) { val_format_cents(vb, num); put(buf, len, &n, num); }
        else if (IS("a.int")) { snprintf(num, sizeof num, "%lld", (long long)va); put(buf, len, &n, num); }
        else if (IS("b.int")) { snprintf(num, sizeof num, "%lld", (long long)vb); put(buf, len, &n, num); }
        else if (IS("a.char")) { num[0] = (char)va; num[1] = '\0'; put(buf, len, &n, num); }
        else if (IS("b.school")) put(buf, len, &n, val_school_name((tp_school_code)vb));
        else { /* not a field: kept as written */
            size_t i;
            for (i = 0; i <= k + 1; i++)
                if (n + 1 < len) buf[n++] = p[i];
        }
#undef IS
        p = end;
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
        snprintf(buf, len, tr(20, N_("%sof compulsory-school age, the school roster says enrolled no "
                                     "(registry: school status %s)")),
                 who, school_claim(vb));
    } else if (!strcmp(code, "ROSTER_SCHOOL_ABSENT")) {
        snprintf(buf, len, tr(21, N_("%sof compulsory-school age, not on the school roster "
                                     "(registry: school status %s)")),
                 who, school_claim(vb));
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

void msg_finding_id(char *buf, size_t len, const tp_code_list *codes, const char *code,
                    size_t member, const char *person_id, const tp_finding_args *args)
{
    char who[128] = "";
    const char *col = args && args->column ? args->column : "";
    int64_t va = args ? args->a : 0, vb = args ? args->b : 0;
    const tp_code_decl *d = declared(codes, code, args);
    /* TRANSLATORS: the member a finding is about, before what is wrong. */
    if (member && person_id && person_id[0])
        snprintf(who, sizeof who, tr(0, N_("member %zu (%s): ")), member, person_id);
    else if (member)
        snprintf(who, sizeof who, tr(1, N_("member %zu: ")), member);

    if (d)
        msg_format_text(buf, len, i18n_chinese() && d->zh ? d->zh : d->en ? d->en : code, who, args);
    else if (!strcmp(code, "MISSING_VALUE"))
        snprintf(buf, len, tr(2, N_("%s%s (%s) is missing")), who, msg_column_label(col), col);
    else if (!strcmp(code, "BAD_VALUE"))
        snprintf(buf, len, tr(3, N_("%s%s (%s) has an invalid value")), who, msg_column_label(col), col);
    else if (!strncmp(code, "ROSTER_", 7) && roster_detail(buf, len, code, who, va, vb))
        ;
    else
        snprintf(buf, len, "%s%s", who, code);
}

void msg_finding_where(char *buf, size_t len, long line, const char *value)
{
    size_t n = strlen(buf), i, o = 0;
    char v[MSG_VALUE_SHOWN + 8];
    if (line <= 0 || n + 1 >= len) return;
    if (!value) {
        /* TRANSLATORS: after a finding's detail: the input line of the row. */
        snprintf(buf + n, len - n, tr(26, N_(" (line %ld)")), line);
        return;
    }
    /* At most MSG_VALUE_SHOWN bytes, cut between characters; control
     * characters (a quoted line break) as spaces. */
    for (i = 0; value[i] && o < MSG_VALUE_SHOWN; ) {
        unsigned char c = (unsigned char)value[i];
        size_t k = c < 0x80 ? 1 : c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : 2, j;
        if (o + k > MSG_VALUE_SHOWN) break;
        for (j = 0; j < k && value[i + j]; j++) v[o + j] = (c < 0x20 || c == 0x7F) ? ' ' : value[i + j];
        if (j < k) break;
        o += k;
        i += k;
    }
    if (value[i]) {
        memcpy(v + o, "\xE2\x80\xA6", 3);   /* … */
        o += 3;
    }
    v[o] = '\0';
    msg_mask_id_runs(v);
    /* TRANSLATORS: after a finding's detail: the input line and the value read. */
    snprintf(buf + n, len - n, tr(27, N_(" (line %ld, value \"%s\")")), line, v);
}
