/* values.c — the value forms of standard §1, parsed without locale or
 * allocation.  Every function here is pure. */
#include "values.h"

#include <string.h>

static int lower(int c) { return (c >= 'A' && c <= 'Z') ? c + 32 : c; }

int val_eq_ci(const char *s, size_t n, const char *lit)
{
    size_t i;
    for (i = 0; i < n; i++) {
        if (lit[i] == '\0' || lower((unsigned char)s[i]) != lower((unsigned char)lit[i]))
            return 0;
    }
    return lit[n] == '\0';
}

/* ASCII case-insensitive equality of two NUL-terminated strings. */
static int eq(const char *s, const char *lit)
{
    for (; *lit; s++, lit++)
        if (lower((unsigned char)*s) != lower((unsigned char)*lit)) return 0;
    return *s == '\0';
}

tp_yesno val_yesno(const char *s)
{
    tp_yesno r = { TP_MISSING, 0 };
    if (*s == '\0') return r;
    r.state = TP_OK;
    if (eq(s, "yes") || eq(s, "y") || eq(s, "true") || eq(s, "1") || eq(s, "是")) {
        r.value = 1;
    } else if (eq(s, "no") || eq(s, "n") || eq(s, "false") || eq(s, "0") || eq(s, "否")) {
        r.value = 0;
    } else {
        r.state = TP_BAD;
    }
    return r;
}

tp_money val_money(const char *s, int nonneg)
{
    tp_money r = { TP_MISSING, 0 };
    const char *p = s;
    int neg = 0, any = 0, sig = 0;
    int64_t v = 0;
    if (*s == '\0') return r;
    r.state = TP_BAD;
    if (*p == '-') { neg = 1; p++; }
    for (; *p >= '0' && *p <= '9'; p++) {
        any = 1;
        if (sig || *p != '0') {
            if (++sig > 15) return r; /* beyond any registry figure; int64-safe */
            v = v * 10 + (*p - '0');
        }
    }
    if (!any) return r;
    v *= 100;
    if (*p == '.') {
        p++;
        if (*p < '0' || *p > '9') return r;
        v += (*p++ - '0') * 10;
        if (*p >= '0' && *p <= '9') v += *p++ - '0';
    }
    if (*p != '\0') return r;
    if (neg && v != 0 && nonneg) return r;
    r.state = TP_OK;
    r.cents = neg ? -v : v;
    return r;
}

int val_date_real(int y, int m, int d)
{
    static const int mdays[12] = {31,28,31,30,31,30,31,31,30,31,30,31};
    int md;
    if (y < 1 || m < 1 || m > 12 || d < 1) return 0;
    md = mdays[m - 1];
    if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0)) md = 29;
    return d <= md;
}

static int digits_n(const char *p, int n, int *out)
{
    int v = 0, i;
    for (i = 0; i < n; i++) {
        if (p[i] < '0' || p[i] > '9') return 0;
        v = v * 10 + (p[i] - '0');
    }
    *out = v;
    return 1;
}

tp_date val_date(const char *s)
{
    tp_date r = { TP_MISSING, 0, 0, 0 };
    size_t n = strlen(s);
    int y = 0, m = 0, d = 0;
    if (n == 0) return r;
    r.state = TP_BAD;
    if (n == 8 && digits_n(s, 4, &y) && digits_n(s + 4, 2, &m) && digits_n(s + 6, 2, &d)) {
        /* YYYYMMDD */
    } else if (n == 10 && s[4] == '-' && s[7] == '-' && digits_n(s, 4, &y)
               && digits_n(s + 5, 2, &m) && digits_n(s + 8, 2, &d)) {
        /* YYYY-MM-DD */
    } else if (n >= 8 && n <= 10 && s[4] == '/' && digits_n(s, 4, &y)) {
        /* YYYY/M/D with one- or two-digit month and day */
        const char *p = s + 5, *slash = strchr(p, '/');
        size_t ml, dl;
        if (!slash) return r;
        ml = (size_t)(slash - p);
        dl = n - 5 - ml - 1;
        if (ml < 1 || ml > 2 || dl < 1 || dl > 2) return r;
        if (!digits_n(p, (int)ml, &m) || !digits_n(slash + 1, (int)dl, &d)) return r;
    } else {
        return r;
    }
    if (!val_date_real(y, m, d)) return r;
    r.state = TP_OK;
    r.year = y; r.month = m; r.day = d;
    return r;
}

int val_status(const char *s, tp_status *st)
{
    if (eq(s, "poor") || !strcmp(s, "贫困户") || !strcmp(s, "未脱贫")) *st = TP_STATUS_POOR;
    else if (eq(s, "exited") || !strcmp(s, "已脱贫") || !strcmp(s, "脱贫户")) *st = TP_STATUS_EXITED;
    else if (eq(s, "general") || !strcmp(s, "一般户") || !strcmp(s, "非贫困户")) *st = TP_STATUS_GENERAL;
    else return -1;
    return 0;
}

const char *val_status_name(tp_status st)
{
    switch (st) {
    case TP_STATUS_POOR: return "poor";
    case TP_STATUS_EXITED: return "exited";
    default: return "general";
    }
}

tp_rating val_rating(const char *s)
{
    tp_rating r = { TP_MISSING, 0 };
    size_t n = strlen(s);
    int c;
    if (n == 0) return r;
    r.state = TP_BAD;
    c = s[0] >= 'a' && s[0] <= 'z' ? s[0] - 32 : s[0];
    if (c < 'A' || c > 'D') return r;
    if (n == 1 || (n == 4 && !strcmp(s + 1, "级"))) {
        r.state = TP_OK;
        r.value = (char)c;
    }
    return r;
}

static const struct { const char *names[4]; tp_school_code code; int covered; } school_table[] = {
    { { "preschool", "学前教育", NULL, NULL }, TP_SCHOOL_PRESCHOOL, 1 },
    { { "primary", "小学", NULL, NULL }, TP_SCHOOL_PRIMARY, 1 },
    { { "junior", "初中", NULL, NULL }, TP_SCHOOL_JUNIOR, 1 },
    { { "senior", "高中", NULL, NULL }, TP_SCHOOL_SENIOR, 1 },
    { { "vocational", "中职", "技工", NULL }, TP_SCHOOL_VOCATIONAL, 1 },
    { { "college", "大专", "本科", NULL }, TP_SCHOOL_COLLEGE, 1 },
    { { "home_schooling", "送教上门", NULL, NULL }, TP_SCHOOL_HOME_SCHOOLING, 1 },
    { { "exempt", "免学", NULL, NULL }, TP_SCHOOL_EXEMPT, 1 },
    { { "dropout", "辍学", NULL, NULL }, TP_SCHOOL_DROPOUT, 0 },
    { { "not_enrolled", "未入学", "失学", NULL }, TP_SCHOOL_NOT_ENROLLED, 0 },
    { { "not_in_school", "非在校生", NULL, NULL }, TP_SCHOOL_NOT_IN_SCHOOL, 0 },
};
#define N_SCHOOL (sizeof school_table / sizeof school_table[0])

tp_school val_school(const char *s)
{
    tp_school r = { TP_MISSING, TP_SCHOOL_PRESCHOOL };
    size_t i, j, n = strlen(s);
    if (n == 0) return r;
    r.state = TP_BAD;
    for (i = 0; i < N_SCHOOL; i++) {
        for (j = 0; j < 4 && school_table[i].names[j]; j++) {
            const char *name = school_table[i].names[j];
            /* ASCII names match in any case; Chinese ones byte for byte.
             * Comparing the first byte first skips most names cheaply. */
            if (lower((unsigned char)s[0]) != lower((unsigned char)name[0])) continue;
            if (val_eq_ci(s, n, name)) {
                r.state = TP_OK;
                r.value = school_table[i].code;
                return r;
            }
        }
    }
    return r;
}

int val_school_covered(tp_school_code c)
{
    size_t i;
    for (i = 0; i < N_SCHOOL; i++)
        if (school_table[i].code == c) return school_table[i].covered;
    return 0;
}

const char *val_school_name(tp_school_code c)
{
    size_t i;
    for (i = 0; i < N_SCHOOL; i++)
        if (school_table[i].code == c) return school_table[i].names[0];
    return "?";
}

char val_id_check_char(const char *d)
{
    static const int w[17] = {7,9,10,5,8,4,2,1,6,3,7,9,10,5,8,4,2};
    static const char map[11] = {'1','0','X','9','8','7','6','5','4','3','2'};
    int i, sum = 0;
    for (i = 0; i < 17; i++) sum += (d[i] - '0') * w[i];
    return map[sum % 11];
}

int val_person_id(const char *s, tp_date *birth)
{
    int i, y = 0, m = 0, d = 0;
    char c;
    for (i = 0; i < 17; i++)
        if (s[i] < '0' || s[i] > '9') return 0;
    c = s[17];
    if (c == 'x') c = 'X';
    if (!((c >= '0' && c <= '9') || c == 'X') || s[18] != '\0') return 0;
    if (val_id_check_char(s) != c) return 0;
    digits_n(s + 6, 4, &y); digits_n(s + 10, 2, &m); digits_n(s + 12, 2, &d);
    if (!val_date_real(y, m, d)) return 0;
    if (birth) {
        birth->state = TP_OK;
        birth->year = y; birth->month = m; birth->day = d;
    }
    return 1;
}

int val_age(tp_date b, int y, int m, int d)
{
    int age = y - b.year;
    /* A birthday on the as-of date counts; 29 Feb births turn a year older on
     * 1 March in common years, which this month/day comparison gives. */
    if (m < b.month || (m == b.month && d < b.day)) age--;
    return age;
}

int val_decimal(const char *s, int scale, int64_t *out)
{
    const char *p = s;
    int neg = 0, nd = 0, fd = 0;
    int64_t v = 0;
    if (*p == '-') { neg = 1; p++; } else if (*p == '+') p++;
    while (*p >= '0' && *p <= '9') {
        if (v > (INT64_MAX / 10 - 10) / 1000000) return -1;
        v = v * 10 + (*p++ - '0');
        nd++;
    }
    if (*p == '.') {
        p++;
        while (*p >= '0' && *p <= '9') {
            if (fd >= scale) {
                if (*p != '0') return -1; /* more precision than the type holds */
            } else {
                v = v * 10 + (*p - '0');
                fd++;
            }
            p++;
            nd++;
        }
    }
    if (nd == 0 || *p != '\0') return -1;
    for (; fd < scale; fd++) v *= 10;
    *out = neg ? -v : v;
    return 0;
}

void val_format_cents(int64_t cents, char *buf)
{
    uint64_t a = cents < 0 ? (uint64_t)0 - (uint64_t)cents : (uint64_t)cents;
    char tmp[32];
    int n = 0, i = 0;
    tmp[n++] = (char)('0' + a % 10); a /= 10;
    tmp[n++] = (char)('0' + a % 10); a /= 10;
    tmp[n++] = '.';
    do { tmp[n++] = (char)('0' + a % 10); a /= 10; } while (a);
    if (cents < 0) buf[i++] = '-';
    while (n) buf[i++] = tmp[--n];
    buf[i] = '\0';
}

int64_t val_div_round(int64_t net, int64_t n)
{
    int64_t q = net / n, r = net % n;
    if (r < 0) r = -r;
    if (2 * r >= n) q += net < 0 ? -1 : 1;
    return q;
}

const char *val_trim(const char *s, size_t n, size_t *len)
{
    while (n && (*s == ' ' || *s == '\t')) { s++; n--; }
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t')) n--;
    *len = n;
    return s;
}

int val_quarter(const char *q, int *year, int *month, int *day)
{
    static const int md[4][2] = { {3, 31}, {6, 30}, {9, 30}, {12, 31} };
    int i, y = 0;
    if (!q || strlen(q) != 6 || (q[4] != 'Q' && q[4] != 'q') || q[5] < '1' || q[5] > '4')
        return -1;
    for (i = 0; i < 4; i++) {
        if (q[i] < '0' || q[i] > '9') return -1;
        y = y * 10 + (q[i] - '0');
    }
    if (y < 1) return -1;
    *year = y;
    *month = md[q[5] - '1'][0];
    *day = md[q[5] - '1'][1];
    return 0;
}
