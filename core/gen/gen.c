/*
 * gen.c - `tuopin gen`: writes a synthetic, deterministic registry quarter.
 *
 * Purpose: realistic test and benchmark input for tuopin, in the column set
 * of the poverty-exit standard (standard §1): one CSV row per person
 * (UTF-8, LF, no BOM), rows of a household contiguous, household-level fields
 * repeated on every row, plus two extra columns `stable_job` (是/否) and
 * `village_note` (free text, sometimes quoted because it holds a comma or a
 * quote).
 *
 * What the data looks like:
 * - households H0000000001, H0000000002, ... in order, grouped in runs of
 *   1-24 households per village; 40 real county codes in 10 provinces (13 34
 *   41 45 51 52 53 61 62 65: western and non-western), towns 001-020,
 *   villages 001-030;
 * - status mostly in the canonical spelling, sometimes in a Chinese alias;
 *   the profile (--profile) sets the mix and the counties' quality:
 *   realistic (the default) about 1% poor, 70% exited, 29% general, no
 *   planted faults, counties of fixed numbers of each quality and three
 *   western counties whose export holds no general households (so that
 *   counties meet, fail and are incomplete side by side); stress about 35%
 *   poor, 40% exited, 25% general, 1.5% faults, qualities drawn (every
 *   county fails);
 * - 1-7 members (mostly 2-5), one head; relations, ages and school status
 *   consistent with each other at the quarter's last day (the as-of date);
 * - per-capita net income clustered around the year's poverty line
 *   (standard §7; 4000 yuan for 2020 and, for want of a table value, for
 *   later years): bands below, near (within 10%), above and well above the
 *   line, some households exactly on it and a few with a net loss; some
 *   transfer-dependent households; declared_income_pc the exact quotient
 *   rounded half away from zero, sometimes off by more than 1 yuan or blank;
 * - every county has a fixed "quality" (good, medium, bad, or model in the
 *   realistic profile; from the seed and the profile) that scales how often its households fail a check, so
 *   county verdicts differ;
 * - resident IDs per GB 11643 with a correct ISO 7064 MOD 11-2 check
 *   character, unique in the file (apart from planted duplicates): county
 *   code of the household's region, birth date, sequence odd for men;
 * - planted value faults in --faults percent of households (bad money,
 *   negative income, impossible date, bad yes/no, bad ID check character,
 *   duplicated ID, blank medical_insured, birth date differing from the ID,
 *   blank school status, bad housing rating) and, in two thirds as many
 *   households, zero or two heads. Never structural faults: every row has
 *   every field and household fields are identical on all rows.
 *
 * Determinism: everything derives from the seed through splitmix64 and
 * xoshiro256**, with integer arithmetic only. Each household draws from its
 * own stream (seed, index), and planted faults from a separate stream, so
 * the file for N households is a prefix of the file for N + M households,
 * and changing --faults changes only the planted cells and head relations.
 *
 * Performance: one output buffer of a few MiB, no allocation per row; all
 * memory is allocated once in gen_main.
 */
#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L
#endif

#include "gen.h"
#include "gen_int.h"
#include "cmdline.h"
#include "i18n.h"
#include "params.h"
#include "paths.h"
#include "quarters.h"
#include "schema.h"
#include "values.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* ------------------------------------------------------------------------ */
/* Limits and fixed tables                                                  */
/* ------------------------------------------------------------------------ */

#define GEN_MAX_HOUSEHOLDS 100000000ULL /* ~40 GB of CSV */
#define MAX_MEMBERS GEN_MAX_MEMBERS
#define MAX_AGE 100
#define RING_SIZE GEN_RING_SIZE
#define OUT_BUF_SIZE GEN_OUT_BUF_SIZE
#define ROW_MAX GEN_ROW_MAX
#define HH_MAX GEN_HH_MAX

/* County quality: scales the failure probabilities of its households.
 * Q_MODEL (a model county, 示范县) only in the realistic profile. */
enum { Q_GOOD = 0, Q_MEDIUM = 1, Q_BAD = 2, Q_MODEL = 3, NQUALITY };

/* Failure-probability multiplier per quality, per mille. */
static const uint32_t QUALITY_MULT[NQUALITY] = {150, 1000, 2500, 50};

/* A county: its 6-digit code (real codes) and how many towns it has. */
typedef struct {
    const char *code;
    const char *name; /* for the reader of this table only */
    int towns;        /* 1..20 */
} county_t;

static const county_t COUNTIES[] = {
    {"130722", "河北 张家口 张北县", 18},
    {"130725", "河北 张家口 尚义县", 14},
    {"130731", "河北 张家口 涿鹿县", 17},
    {"130732", "河北 张家口 赤城县", 18},
    {"130925", "河北 沧州 盐山县", 12},
    {"340828", "安徽 安庆 岳西县", 20},
    {"341522", "安徽 六安 霍邱县", 20},
    {"341523", "安徽 六安 舒城县", 16},
    {"341621", "安徽 亳州 涡阳县", 20},
    {"410324", "河南 洛阳 栾川县", 14},
    {"410526", "河南 安阳 滑县", 20},
    {"411422", "河南 商丘 睢县", 16},
    {"411523", "河南 信阳 新县", 15},
    {"450329", "广西 桂林 资源县", 7},
    {"451027", "广西 百色 凌云县", 8},
    {"451031", "广西 百色 隆林各族自治县", 16},
    {"451226", "广西 河池 环江毛南族自治县", 12},
    {"511923", "四川 巴中 平昌县", 20},
    {"513228", "四川 阿坝 黑水县", 17},
    {"513431", "四川 凉山 昭觉县", 20},
    {"513432", "四川 凉山 喜德县", 20},
    {"520324", "贵州 遵义 正安县", 19},
    {"520424", "贵州 安顺 关岭布依族苗族自治县", 13},
    {"522327", "贵州 黔西南 册亨县", 14},
    {"522631", "贵州 黔东南 黄平县", 11},
    {"530629", "云南 昭通 威信县", 10},
    {"530824", "云南 普洱 景谷傣族彝族自治县", 10},
    {"532530", "云南 红河 金平苗族瑶族傣族自治县", 13},
    {"533323", "云南 怒江 福贡县", 7},
    {"610724", "陕西 汉中 西乡县", 17},
    {"610728", "陕西 汉中 镇巴县", 20},
    {"610826", "陕西 榆林 绥德县", 15},
    {"611025", "陕西 商洛 镇安县", 15},
    {"620423", "甘肃 白银 景泰县", 11},
    {"621125", "甘肃 定西 漳县", 13},
    {"621126", "甘肃 定西 岷县", 18},
    {"621221", "甘肃 陇南 成县", 17},
    {"622927", "甘肃 临夏 积石山县", 17},
    {"653221", "新疆 和田 墨玉县", 16},
    {"653223", "新疆 和田 皮山县", 16},
};
#define NCOUNTIES ((int)(sizeof COUNTIES / sizeof COUNTIES[0]))
_Static_assert(NCOUNTIES == GEN_NCOUNTIES, "gen_int.h: GEN_NCOUNTIES");

/*
 * The income distribution is centred on the year's national poverty line
 * (standard §7), read from the table the runs use (data/national-lines.csv,
 * params_line_for_year) by load_lines; a year after the table's last takes
 * the last year's line.  The column names are the schema's (schema_columns,
 * core/model), the ID check character val_id_check_char, ages val_age,
 * quarters val_quarter and qd_quarter_label.
 */
#define LINE_FIRST_YEAR 2011
#define LINE_LAST_YEAR 2099
static int64_t line_cents_of[LINE_LAST_YEAR - LINE_FIRST_YEAR + 1];
static int lines_loaded;
static int lines_last_year;   /* the table's last year */

/* Common surnames, most frequent first (the picker favours the front). */
static const char *const SURNAMES[] = {
    "王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙",
    "马", "朱", "胡", "郭", "何", "高", "林", "罗", "郑", "梁", "谢", "宋",
    "唐", "许", "韩", "冯", "邓", "曹", "彭", "曾", "肖", "田", "董", "袁",
    "潘", "于", "蒋", "蔡", "余", "杜", "叶", "程", "苏", "魏", "吕", "丁",
    "任", "沈", "姚", "卢", "姜", "崔", "钟", "谭", "陆", "汪", "范", "金",
    "石", "廖", "贾", "夏", "韦", "付", "方", "白", "邹", "孟", "熊", "秦",
    "邱", "江", "尹", "薛", "闫", "段", "雷", "侯", "龙", "史", "陶", "黎",
    "贺", "顾", "毛", "郝", "龚", "邵", "万", "钱", "严", "覃", "武", "戴",
    "莫", "孔", "向", "汤",
};
#define NSURNAMES ((uint32_t)(sizeof SURNAMES / sizeof SURNAMES[0]))

static const char *const GIVEN_M[] = {
    "伟", "强", "磊", "军", "勇", "杰", "涛", "明", "超", "平", "刚", "华",
    "建", "国", "志", "文", "斌", "波", "辉", "林", "鹏", "亮", "海", "飞",
    "成", "东", "春", "福", "贵", "生", "永", "宝", "德", "金", "树", "光",
    "兴", "龙", "荣", "山", "才", "发", "忠", "洪", "庆", "学", "友", "新",
};
static const char *const GIVEN_F[] = {
    "芳", "娜", "敏", "静", "丽", "艳", "娟", "霞", "秀", "英", "桂", "兰",
    "玲", "梅", "琴", "凤", "红", "燕", "萍", "婷", "雪", "慧", "莉", "琳",
    "珍", "花", "芬", "翠", "云", "美", "巧", "月", "菊", "莲", "秋", "爱",
    "玉", "香", "娥", "彩",
};
#define NGIVEN_M ((uint32_t)(sizeof GIVEN_M / sizeof GIVEN_M[0]))
#define NGIVEN_F ((uint32_t)(sizeof GIVEN_F / sizeof GIVEN_F[0]))

/* Uyghur given names (Xinjiang, province 65), written "name·father". */
static const char *const UY_M[] = {
    "买买提", "艾力", "阿不都", "吐尔逊", "艾合买提", "热合曼", "努尔",
    "亚森", "阿卜杜拉", "依明", "卡德尔", "麦麦提",
};
static const char *const UY_F[] = {
    "阿依古丽", "古丽", "帕提古丽", "热依拉", "阿米娜", "祖丽胡玛尔",
    "再努尔", "阿孜古丽", "努尔古丽", "玛依拉",
};
#define NUY_M ((uint32_t)(sizeof UY_M / sizeof UY_M[0]))
#define NUY_F ((uint32_t)(sizeof UY_F / sizeof UY_F[0]))

/* Village notes; the first entries are blank on purpose (most are). */
static const char *const NOTES[] = {
    "山区",
    "深度贫困村",
    "易地扶贫搬迁安置点",
    "因病致贫",
    "因残致贫",
    "因学致贫",
    "缺劳力",
    "缺技术",
    "五保户",
    "低保户",
    "因病, 已签约家庭医生",
    "2019年搬迁入住, 旧房已拆除",
    "产业帮扶: 养殖, 种植",
    "驻村工作队走访3次, 情况稳定",
    "村干部注: \"重点关注\"",
    "公益岗位\"护林员\"",
};
#define NNOTES ((uint32_t)(sizeof NOTES / sizeof NOTES[0]))

/* ------------------------------------------------------------------------ */
/* Pseudo-random numbers                                                    */
/* ------------------------------------------------------------------------ */

/* Streams: independent sequences derived from the same seed. */
enum { STREAM_HOUSEHOLD = 1, STREAM_FAULT = 2, STREAM_LAYOUT = 3,
       STREAM_COUNTY = 4,     /* gen_fabricated.c uses 5 */
       STREAM_PROFILE = 6 };  /* the realistic profile's county roles */

/* splitmix64 step: advances *x and returns a well-mixed 64-bit value. */
static uint64_t splitmix64(uint64_t *x)
{
    uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

/* Seeds *r for stream `stream`, item `index` of `seed`: equal arguments give
 * equal sequences, different ones unrelated sequences. */
static void rng_init(rng_t *r, uint64_t seed, uint64_t stream, uint64_t index)
{
    uint64_t x = seed;
    uint64_t h = splitmix64(&x);
    x = h ^ (stream * 0xd1342543de82ef95ULL);
    h = splitmix64(&x);
    x = h + index * 0x2545f4914f6cdd1dULL;
    for (int i = 0; i < 4; i++)
        r->s[i] = splitmix64(&x);
    if ((r->s[0] | r->s[1] | r->s[2] | r->s[3]) == 0)
        r->s[0] = 1; /* xoshiro's one forbidden state */
}

static uint64_t rotl64(uint64_t x, int k)
{
    return (x << k) | (x >> (64 - k));
}

/* Next 64 random bits (xoshiro256**). */
static uint64_t rng_next(rng_t *r)
{
    uint64_t *s = r->s;
    const uint64_t result = rotl64(s[1] * 5, 7) * 9;
    const uint64_t t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl64(s[3], 45);
    return result;
}

/* Uniform integer in [0, n) for n >= 1 (multiply-shift; bias < n / 2^32). */
static uint32_t rng_below(rng_t *r, uint32_t n)
{
    return (uint32_t)(((rng_next(r) >> 32) * (uint64_t)n) >> 32);
}

/* Uniform integer in [lo, hi], lo <= hi. */
static int rng_range(rng_t *r, int lo, int hi)
{
    return lo + (int)rng_below(r, (uint32_t)(hi - lo) + 1u);
}

/* True with probability ppm / 1,000,000. */
static int rng_chance(rng_t *r, uint32_t ppm)
{
    return rng_below(r, 1000000u) < ppm;
}

/* Index in [0, n) drawn with the given non-negative weights (sum > 0). */
static int rng_pick(rng_t *r, const uint32_t *w, int n)
{
    uint32_t total = 0;
    for (int i = 0; i < n; i++)
        total += w[i];
    uint32_t x = rng_below(r, total);
    for (int i = 0; i < n; i++) {
        if (x < w[i])
            return i;
        x -= w[i];
    }
    return n - 1;
}

/* Element of a string table; `n` its length. */
static const char *rng_str(rng_t *r, const char *const *tab, uint32_t n)
{
    return tab[rng_below(r, n)];
}

/* ------------------------------------------------------------------------ */
/* Dates                                                                    */
/* ------------------------------------------------------------------------ */

/* Days since 1970-01-01 of the proleptic Gregorian date y-m-d (valid). */
static int32_t days_from_civil(int y, int m, int d)
{
    y -= m <= 2;
    const int era = (y >= 0 ? y : y - 399) / 400;
    const int yoe = y - era * 400;
    const int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return (int32_t)(era * 146097 + doe - 719468);
}

/* Inverse of days_from_civil. */
static void civil_from_days(int32_t z, int *y, int *m, int *d)
{
    z += 719468;
    const int32_t era = (z >= 0 ? z : z - 146096) / 146097;
    const int32_t doe = z - era * 146097;
    const int32_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const int32_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const int32_t mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = (int)(yoe + era * 400) + (*m <= 2);
}

/* ------------------------------------------------------------------------ */
/* Small formatting helpers (no locale, no allocation)                      */
/* ------------------------------------------------------------------------ */

/* Writes the decimal digits of v at p; returns the end. */
static char *put_u64(char *p, uint64_t v)
{
    char tmp[24];
    int n = 0;
    do {
        tmp[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    while (n)
        *p++ = tmp[--n];
    return p;
}

/* Writes v as exactly `width` digits (zero-padded, v < 10^width). */
static char *put_fixed(char *p, uint64_t v, int width)
{
    for (int i = width - 1; i >= 0; i--) {
        p[i] = (char)('0' + v % 10);
        v /= 10;
    }
    return p + width;
}

/* Formats cents as yuan into buf (>= 24 bytes), NUL-terminated: "-12.30",
 * or "-12" when `whole` and the amount has no cents. */
static void fmt_money(char *buf, int64_t cents, int whole)
{
    char *p = buf;
    uint64_t a;
    if (cents < 0) {
        *p++ = '-';
        a = (uint64_t)(-(cents + 1)) + 1u;
    } else {
        a = (uint64_t)cents;
    }
    p = put_u64(p, a / 100);
    if (!(whole && a % 100 == 0)) {
        *p++ = '.';
        p = put_fixed(p, a % 100, 2);
    }
    *p = '\0';
}

/* Appends s at p as one CSV field, quoted (quotes doubled) only when it holds
 * a comma, quote, line break, or leading/trailing space or tab. */
static char *put_csv(char *p, const char *s)
{
    size_t n = strlen(s);
    int quote = n > 0 && (s[0] == ' ' || s[0] == '\t' || s[n - 1] == ' ' ||
                          s[n - 1] == '\t');
    for (size_t i = 0; i < n && !quote; i++)
        if (s[i] == ',' || s[i] == '"' || s[i] == '\n' || s[i] == '\r')
            quote = 1;
    if (!quote) {
        memcpy(p, s, n);
        return p + n;
    }
    *p++ = '"';
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '"')
            *p++ = '"';
        *p++ = s[i];
    }
    *p++ = '"';
    return p;
}

/* Copies s into dst of size `cap` (truncating, always NUL-terminated). */
static void set_text(char *dst, size_t cap, const char *s)
{
    size_t n = strlen(s);
    if (n >= cap)
        n = cap - 1;
    memcpy(dst, s, n);
    dst[n] = '\0';
}

/* ------------------------------------------------------------------------ */
/* Resident identity numbers (GB 11643)                                     */
/* ------------------------------------------------------------------------ */

/* ------------------------------------------------------------------------ */
/* Output                                                                   */
/* ------------------------------------------------------------------------ */

/* Writes the buffered bytes; after a failure, discards further output and
 * keeps the first errno in o->err. */
static void out_flush(out_t *o)
{
    if (o->len && !o->err) {
        errno = 0;
        if (fwrite(o->buf, 1, o->len, o->fp) != o->len)
            o->err = errno ? errno : EIO;
    }
    o->len = 0;
}

/* Room for at least `need` more bytes at o->buf + o->len. */
static void out_reserve(out_t *o, size_t need)
{
    if (o->len + need > o->cap)
        out_flush(o);
}

/* ------------------------------------------------------------------------ */
/* Generator state and records                                              */
/* ------------------------------------------------------------------------ */

/* ------------------------------------------------------------------------ */
/* Households                                                               */
/* ------------------------------------------------------------------------ */

/* Number of villages (10..30) of town `town` (1-based) in county c: a fixed
 * function of the two, so a village code always means the same village. */
static int villages_in(int c, int town)
{
    uint64_t x = (uint64_t)c * 131u + (uint64_t)town;
    return 10 + (int)(splitmix64(&x) % 21u);
}

int gen_villages_in(int c, int town) { return villages_in(c, town); }

void gen_layout_counts(const gen_t *g, uint32_t *counts)
{
    rng_t r = g->layout;  /* a copy: the same runs next_region will give */
    uint64_t left = g->households;
    while (left) {
        int c = (int)rng_below(&r, (uint32_t)NCOUNTIES);
        int t = rng_range(&r, 1, COUNTIES[c].towns);
        int v = rng_range(&r, 1, villages_in(c, t));
        uint64_t run = (uint64_t)rng_range(&r, 1, 24);
        uint32_t *n = &counts[GEN_VILLAGE_SLOT(c, t, v)];
        if (run > left)
            run = left;
        left -= run;
        *n = *n > UINT32_MAX - run ? UINT32_MAX : *n + (uint32_t)run;
    }
}

/* Chooses the household's county, town and village: households come in runs
 * of 1..24 from the same village. */
static void next_region(gen_t *g, household_t *h)
{
    if (g->run_left == 0) {
        g->county = (int)rng_below(&g->layout, (uint32_t)NCOUNTIES);
        g->town = rng_range(&g->layout, 1, COUNTIES[g->county].towns);
        g->village = rng_range(&g->layout, 1, villages_in(g->county, g->town));
        g->run_left = rng_range(&g->layout, 1, 24);
    }
    g->run_left--;
    char *p = h->region;
    memcpy(p, COUNTIES[g->county].code, 6);
    p = put_fixed(p + 6, (uint64_t)g->town, 3);
    p = put_fixed(p, (uint64_t)g->village, 3);
    *p = '\0';
}

/* Probability `base` ppm scaled by the county quality multiplier. */
static uint32_t scaled(const gen_t *g, int county, uint32_t base)
{
    uint64_t v = (uint64_t)base * QUALITY_MULT[g->quality[county]] / 1000u;
    return v > 1000000u ? 1000000u : (uint32_t)v;
}

/* A yes/no value in one of the accepted spellings, mostly "yes"/"no". */
static const char *yes_no(rng_t *r, int yes)
{
    static const char *const Y[] = {"yes", "是", "Y", "1", "YES", "y", "true"};
    static const char *const N[] = {"no", "否", "N", "0", "NO", "n", "false"};
    static const uint32_t W[] = {880, 50, 20, 20, 10, 10, 10};
    int i = rng_pick(r, W, 7);
    return yes ? Y[i] : N[i];
}

/* The status text of status `st`, mostly canonical. */
static const char *status_text(rng_t *r, int st)
{
    static const char *const T[3][4] = {
        {"poor", "贫困户", "未脱贫", "Poor"},
        {"exited", "已脱贫", "脱贫户", "Exited"},
        {"general", "一般户", "非贫困户", "General"},
    };
    static const uint32_t W[] = {940, 30, 15, 15};
    return T[st][rng_pick(r, W, 4)];
}

/*
 * Gives person p a birth date making them `age` at the as-of date and a
 * unique ID of county c. When all 500 sequence numbers of that (day, sex)
 * are taken, the nearest day with a free number is used instead (the age is
 * then recomputed). Returns 0, or -1 when the ID space is exhausted (not
 * reachable below GEN_MAX_HOUSEHOLDS).
 */
static int make_person(gen_t *g, rng_t *r, int c, person_t *p, int male, int age)
{
    if (age < 0)
        age = 0;
    if (age > MAX_AGE)
        age = MAX_AGE;
    /* birth dates giving this age: (asof - (age+1) years, asof - age years] */
    int32_t hi = days_from_civil(g->ay - age, g->am, g->ad);
    int32_t lo = days_from_civil(g->ay - age - 1, g->am, g->ad) + 1;
    int32_t day = lo + (int32_t)rng_below(r, (uint32_t)(hi - lo + 1));
    uint32_t cap = male ? 500u : 499u;
    size_t base = ((size_t)c * (size_t)g->ndays) * 2u + (male ? 1u : 0u);
    int32_t found = 0;
    int ok = 0;
    for (int32_t delta = 0; delta < g->ndays && !ok; delta++) {
        int32_t cand[2] = {day + delta, day - delta};
        for (int k = 0; k < (delta ? 2 : 1) && !ok; k++) {
            if (cand[k] < g->base_day || cand[k] > g->asof)
                continue;
            size_t slot = base + (size_t)(cand[k] - g->base_day) * 2u;
            if (g->slots[slot] < cap) {
                found = cand[k];
                ok = 1;
            }
        }
    }
    if (!ok)
        return -1;
    size_t slot = base + (size_t)(found - g->base_day) * 2u;
    uint32_t k = g->slots[slot]++;
    /* a permutation of the k-th number within the day, so sequence numbers
     * look scattered but never repeat */
    uint32_t off = (uint32_t)(slot * 2654435761u % cap);
    uint32_t idx = (k * 7u + off) % cap;
    uint32_t seq = male ? 2u * idx + 1u : 2u * idx + 2u;

    p->male = male;
    civil_from_days(found, &p->by, &p->bm, &p->bd);
    {
        tp_date birth = { TP_OK, p->by, p->bm, p->bd };
        p->age = val_age(birth, g->ay, g->am, g->ad);
    }
    char *q = p->id;
    memcpy(q, COUNTIES[c].code, 6);
    q = put_fixed(q + 6, (uint64_t)p->by, 4);
    q = put_fixed(q, (uint64_t)p->bm, 2);
    q = put_fixed(q, (uint64_t)p->bd, 2);
    q = put_fixed(q, seq, 3);
    *q++ = val_id_check_char(p->id);
    *q = '\0';
    return 0;
}

/* Writes birth date y-m-d into buf in format f: 0 YYYY-MM-DD, 1 YYYY/M/D,
 * 2 YYYYMMDD. The numbers are written as given (they may be impossible). */
static void fmt_date(char *buf, int f, int y, int m, int d)
{
    char *p = buf;
    if (f == 1) {
        p = put_u64(p, (uint64_t)y);
        *p++ = '/';
        p = put_u64(p, (uint64_t)m);
        *p++ = '/';
        p = put_u64(p, (uint64_t)d);
    } else {
        p = put_fixed(p, (uint64_t)y, 4);
        if (f == 0)
            *p++ = '-';
        p = put_fixed(p, (uint64_t)m, 2);
        if (f == 0)
            *p++ = '-';
        p = put_fixed(p, (uint64_t)d, 2);
    }
    *p = '\0';
}

/* The birth_date text: usually the ID's date in one of the three formats,
 * sometimes blank (the ID then gives the date). */
static void birth_text(rng_t *r, person_t *p)
{
    static const uint32_t W[] = {620, 130, 150, 100};
    int f = rng_pick(r, W, 4);
    if (f == 3)
        p->birth[0] = '\0';
    else
        fmt_date(p->birth, f, p->by, p->bm, p->bd);
}

/* A school status plausible for `age`; school-age children (6..15) are
 * uncovered (dropout etc.) with probability drop_ppm. */
static const char *school_for(rng_t *r, int age, uint32_t drop_ppm)
{
    if (age >= 6 && age <= 15) {
        if (rng_chance(r, drop_ppm)) {
            static const char *const U[] = {"dropout", "辍学", "not_enrolled",
                                            "未入学", "失学", "not_in_school"};
            static const uint32_t W[] = {40, 20, 15, 10, 5, 10};
            return U[rng_pick(r, W, 6)];
        }
        if (rng_chance(r, 3000)) {
            static const char *const E[] = {"home_schooling", "送教上门", "exempt", "免学"};
            return E[rng_below(r, 4)];
        }
    }
    if (age < 3)
        return rng_chance(r, 900000) ? "" : "preschool";
    if (age <= 5) {
        static const char *const T[] = {"preschool", "学前教育", ""};
        static const uint32_t W[] = {60, 10, 30};
        return T[rng_pick(r, W, 3)];
    }
    if (age == 6) {
        static const char *const T[] = {"primary", "preschool", "小学", "学前教育"};
        static const uint32_t W[] = {65, 22, 8, 5};
        return T[rng_pick(r, W, 4)];
    }
    if (age <= 11)
        return rng_chance(r, 850000) ? "primary" : "小学";
    if (age <= 14)
        return rng_chance(r, 850000) ? "junior" : "初中";
    if (age == 15) {
        static const char *const T[] = {"junior", "senior", "高中", "vocational", "中职", "初中"};
        static const uint32_t W[] = {45, 32, 5, 8, 5, 5};
        return T[rng_pick(r, W, 6)];
    }
    if (age <= 18) {
        static const char *const T[] = {"senior", "vocational", "中职", "技工", "高中",
                                        "not_in_school", "非在校生"};
        static const uint32_t W[] = {42, 18, 4, 2, 4, 25, 5};
        return T[rng_pick(r, W, 7)];
    }
    if (age <= 22) {
        static const char *const T[] = {"college", "大专", "本科", "vocational",
                                        "not_in_school", "非在校生", ""};
        static const uint32_t W[] = {28, 6, 5, 5, 40, 6, 10};
        return T[rng_pick(r, W, 7)];
    }
    {
        static const char *const T[] = {"not_in_school", "非在校生", ""};
        static const uint32_t W[] = {50, 20, 30};
        return T[rng_pick(r, W, 3)];
    }
}

/* Gives p a name: surname (family's, or a random one) and given name; in
 * Xinjiang counties mostly a Uyghur name "given·father". */
static void name_person(rng_t *r, person_t *p, const char *surname, int uyghur,
                        const char *father)
{
    if (uyghur) {
        p->given = p->male ? rng_str(r, UY_M, NUY_M) : rng_str(r, UY_F, NUY_F);
        if (!father)
            father = rng_str(r, UY_M, NUY_M);
        snprintf(p->name, sizeof p->name, "%s·%s", p->given, father);
        return;
    }
    const char *const *tab = p->male ? GIVEN_M : GIVEN_F;
    uint32_t n = p->male ? NGIVEN_M : NGIVEN_F;
    p->given = "";
    if (rng_chance(r, 380000))
        snprintf(p->name, sizeof p->name, "%s%s", surname, rng_str(r, tab, n));
    else
        snprintf(p->name, sizeof p->name, "%s%s%s", surname, rng_str(r, tab, n),
                 rng_str(r, tab, n));
}

/* A surname, skewed towards the common ones. */
static const char *pick_surname(rng_t *r)
{
    return SURNAMES[rng_below(r, rng_below(r, NSURNAMES) + 1u)];
}

/* Member kinds while composing a household, in the order they are listed. */
enum { K_HEAD, K_SPOUSE, K_CHILD, K_GRANDCHILD, K_PARENT };

/*
 * Composes the members of household h (size, relations, ages, names, IDs,
 * birth dates, school, insurance, job) for status st in county c.
 * Returns 0, or -1 when the ID space is exhausted.
 */
static int make_members(gen_t *g, rng_t *r, household_t *h, int st, int c)
{
    static const uint32_t SIZE_W[MAX_MEMBERS] = {100, 220, 270, 220, 120, 50, 20};
    static const uint32_t HEAD_AGE_W[7] = {5, 12, 22, 25, 20, 12, 4}; /* 20s..80s */
    int n = rng_pick(r, SIZE_W, MAX_MEMBERS) + 1;
    int uyghur = COUNTIES[c].code[0] == '6' && COUNTIES[c].code[1] == '5' &&
                 rng_chance(r, 850000);
    int kind[MAX_MEMBERS], male[MAX_MEMBERS], age[MAX_MEMBERS];

    /* head */
    int head_age;
    do {
        int dec = rng_pick(r, HEAD_AGE_W, 7);
        head_age = 20 + dec * 10 + rng_range(r, 0, 9);
        if (n == 1 && head_age < 40)
            head_age += 30; /* people living alone are mostly old */
    } while (head_age < 20 + 2 * (n > 3 ? n - 3 : 0));
    if (head_age > 95)
        head_age = 95;
    kind[0] = K_HEAD;
    male[0] = rng_chance(r, n == 1 ? 550000 : 830000);
    age[0] = head_age;
    int k = 1;

    /* spouse */
    int young_parent = head_age;
    if (n >= 2 && rng_chance(r, head_age < 75 ? 880000 : 600000)) {
        kind[k] = K_SPOUSE;
        male[k] = !male[0];
        int a = male[0] ? head_age - rng_range(r, -2, 6) : head_age + rng_range(r, -2, 6);
        if (a < 19)
            a = 19;
        if (a > 98)
            a = 98;
        age[k] = a;
        if (a < young_parent)
            young_parent = a;
        k++;
    }

    /* parents of the head */
    int left = n - k;
    if (left >= 1 && head_age <= 62 && rng_chance(r, left >= 2 ? 300000 : 120000)) {
        int np = (left >= 3 && rng_chance(r, 400000)) ? 2 : 1;
        int mother = head_age + rng_range(r, 20, 36);
        if (mother <= MAX_AGE - 4) {
            for (int j = 0; j < np; j++) {
                kind[k] = K_PARENT;
                male[k] = np == 2 ? j == 0 : rng_chance(r, 350000);
                age[k] = male[k] ? mother + rng_range(r, 0, 4) : mother;
                k++;
            }
        }
    }

    /* grandchildren, then children */
    left = n - k;
    int grand = 0;
    if (young_parent >= 52 && left >= 2 && rng_chance(r, 450000))
        grand = rng_range(r, 1, left - 1);
    for (int j = 0; j < left; j++) {
        kind[k] = j < grand ? K_GRANDCHILD : K_CHILD;
        male[k] = rng_chance(r, 520000);
        if (kind[k] == K_GRANDCHILD) {
            int top = young_parent - 42;
            age[k] = rng_range(r, 0, top > 25 ? 25 : top);
        } else {
            int top = young_parent - 18;
            int bottom = young_parent - 42;
            if (bottom < 0)
                bottom = 0;
            age[k] = rng_range(r, bottom, top);
        }
        k++;
    }
    h->n = n;

    /* list them as a register does: head, spouse, children and grandchildren
     * eldest first, then parents (insertion sort, stable) */
    for (int a = 1; a < n; a++) {
        int kk = kind[a], mm = male[a], aa = age[a], b = a;
        while (b > 1 && (kind[b - 1] > kk || (kind[b - 1] == kk && age[b - 1] < aa))) {
            kind[b] = kind[b - 1];
            male[b] = male[b - 1];
            age[b] = age[b - 1];
            b--;
        }
        kind[b] = kk;
        male[b] = mm;
        age[b] = aa;
    }

    /* names, IDs and person fields */
    const char *family = pick_surname(r); /* the family's surname */
    const char *father_given = NULL;
    uint32_t drop_ppm = scaled(g, c, st == ST_POOR ? 30000 : 6000);
    uint32_t unins_ppm = scaled(g, c, st == ST_POOR ? 15000 : st == ST_EXITED ? 3000 : 10000);
    for (int j = 0; j < n; j++) {
        person_t *p = &h->p[j];
        if (make_person(g, r, c, p, male[j], age[j]) != 0)
            return -1;
        const char *sur = family;
        const char *fg = NULL;
        switch (kind[j]) {
        case K_HEAD:
            if (!male[j])
                family = sur = pick_surname(r);
            break;
        case K_SPOUSE:
            sur = pick_surname(r);
            if (male[j])
                family = sur; /* children take the father's surname */
            break;
        case K_PARENT:
            if (!male[j] || !male[0])
                sur = pick_surname(r);
            break;
        default:
            if (!rng_chance(r, 960000))
                sur = pick_surname(r);
            fg = father_given;
            break;
        }
        name_person(r, p, sur, uyghur, fg);
        if ((kind[j] == K_HEAD || kind[j] == K_SPOUSE) && male[j])
            father_given = uyghur ? p->given : NULL;

        switch (kind[j]) {
        case K_HEAD:
            p->relation = rng_chance(r, 940000) ? "head" : rng_chance(r, 800000) ? "户主" : "Head";
            break;
        case K_SPOUSE:
            p->relation = rng_chance(r, 900000) ? "spouse" : "配偶";
            break;
        case K_PARENT:
            p->relation = rng_chance(r, 700000) ? "parent" : male[j] ? "之父" : "之母";
            break;
        case K_CHILD:
            p->relation = rng_chance(r, 600000) ? "child" : male[j] ? "之子" : "之女";
            break;
        default:
            p->relation = rng_chance(r, 600000) ? "grandchild" : male[j] ? "之孙子" : "之孙女";
            break;
        }
        birth_text(r, p);
        p->school = school_for(r, p->age, drop_ppm);
        p->medical = yes_no(r, !rng_chance(r, unins_ppm));
        if (p->age >= 16 && p->age <= 60) {
            static const char *const J[] = {"是", "否", ""};
            static const uint32_t W[] = {45, 40, 15};
            p->job = J[rng_pick(r, W, 3)];
        } else {
            p->job = rng_chance(r, 850000) ? "" : "否";
        }
    }
    return 0;
}

/* Income bands of per-capita net income. */
enum { B_BELOW, B_NEAR, B_ABOVE, B_WELL, B_EXACT, B_LOSS, NBANDS };

/* Band weights (per mille) by status and county quality. */
static const uint32_t BAND_W[3][NQUALITY][NBANDS] = {
    /* poor */
    {{250, 250, 330, 150, 10, 10}, {420, 250, 220, 90, 10, 10}, {560, 230, 140, 50, 10, 10},
     {250, 250, 330, 150, 10, 10}},
    /* exited */
    {{4, 300, 420, 266, 10, 0}, {20, 300, 410, 260, 10, 0}, {70, 300, 380, 240, 10, 0},
     {1, 300, 423, 266, 10, 0}},
    /* general */
    {{8, 60, 250, 672, 5, 5}, {20, 80, 250, 640, 5, 5}, {50, 100, 250, 590, 5, 5},
     {2, 60, 250, 683, 5, 0}},
};

/* Rounds cents down to whole yuan. */
static int64_t floor_yuan(int64_t c)
{
    return c - c % 100;
}

/*
 * Fills the money fields of h (n members, status st, county c): picks a
 * per-capita band, a net income in it, splits the net exactly into the five
 * components (all >= 0; net = wage + operating - cost + property + transfer)
 * and writes declared_income_pc = net / n rounded half away from zero,
 * sometimes off by more than 1 yuan, sometimes blank.
 */
static void make_income(gen_t *g, rng_t *r, household_t *h, int st, int c)
{
    const int64_t L = g->line_cents;
    const int n = h->n;
    int band = rng_pick(r, BAND_W[st][g->quality[c]], NBANDS);
    int whole = rng_chance(r, 150000); /* incomes recorded in whole yuan */
    int64_t pc = 0, net;
    switch (band) {
    case B_BELOW: pc = L * rng_range(r, 450, 999) / 1000; break;
    case B_NEAR: pc = L * rng_range(r, 1000, 1099) / 1000; break;
    case B_ABOVE: pc = L * rng_range(r, 1100, 1799) / 1000; break;
    case B_WELL: pc = L * rng_range(r, 1800, 5000) / 1000; break;
    default: break;
    }
    if (band == B_EXACT) {
        net = L * n;
    } else if (band == B_LOSS) {
        net = -(int64_t)rng_range(r, 50, 1500) * 100 * n - rng_range(r, 0, 99);
    } else {
        /* stay inside the band: pc + (L/1000 - 1) cents never crosses
         * the next band's lower bound */
        pc += rng_below(r, (uint32_t)(L / 1000));
        net = pc * n + rng_below(r, (uint32_t)n);
    }
    if (whole)
        net = net >= 0 ? floor_yuan(net) : -floor_yuan(-net);

    int64_t wage, opinc, opcost, prop, transfer;
    if (net <= 0) {
        wage = (int64_t)rng_range(r, 0, 2000) * 100;
        transfer = (int64_t)rng_range(r, 0, 1500) * 100;
        prop = 0;
        opinc = (int64_t)rng_range(r, 0, 5000) * 100 + rng_range(r, 0, 99);
        if (whole)
            opinc = floor_yuan(opinc);
        opcost = opinc + wage + transfer - net;
    } else {
        int elderly = 1;
        for (int j = 0; j < n; j++)
            if (h->p[j].age < 60)
                elderly = 0;
        uint32_t dep_ppm = elderly ? 650000 : st == ST_GENERAL ? 60000 : 220000;
        int tshare;
        if (rng_chance(r, dep_ppm))
            tshare = rng_range(r, 510, 900);
        else if (st == ST_GENERAL)
            tshare = rng_chance(r, 350000) ? 0 : rng_range(r, 1, 200);
        else
            tshare = rng_range(r, 30, 450);
        int pshare = rng_chance(r, 550000) ? 0 : rng_range(r, 1, 30);
        transfer = net * tshare / 1000;
        prop = net * pshare / 1000;
        int64_t rest = net - transfer - prop;
        int oshare = rng_chance(r, 300000) ? 0 : rng_range(r, 100, 800);
        int64_t opnet = rest * oshare / 1000;
        opcost = opnet * rng_range(r, 250, 1500) / 1000;
        opinc = opnet + opcost;
        if (whole) {
            transfer = floor_yuan(transfer);
            prop = floor_yuan(prop);
            opinc = floor_yuan(opinc);
            opcost = floor_yuan(opcost);
        }
        wage = net - transfer - prop - opinc + opcost;
        if (wage < 0) { /* rounding left wage below zero: raise the cost */
            opcost -= wage;
            wage = 0;
        }
    }

    fmt_money(h->money[M_WAGE], wage, whole);
    fmt_money(h->money[M_OPINC], opinc, whole);
    fmt_money(h->money[M_OPCOST], opcost, whole);
    fmt_money(h->money[M_TRANSFER], transfer, whole);
    if (prop == 0 && rng_chance(r, 500000))
        h->money[M_PROPERTY][0] = '\0'; /* blank counts as 0 */
    else
        fmt_money(h->money[M_PROPERTY], prop, whole);

    /* declared: net / n rounded half away from zero */
    int64_t q = net / n, rem = net % n;
    if (2 * (rem < 0 ? -rem : rem) >= n)
        q += net < 0 ? -1 : 1;
    uint32_t x = rng_below(r, 1000);
    if (x < 30) {
        int64_t off = rng_range(r, 101, 50000);
        q += rng_below(r, 2) ? off : -off;
        fmt_money(h->money[M_DECLARED], q, whole);
    } else if (x < 50) {
        h->money[M_DECLARED][0] = '\0';
    } else {
        fmt_money(h->money[M_DECLARED], q, whole);
    }
}

/* Fills the household-level yes/no, rating, satisfaction and note fields. */
static void make_conditions(gen_t *g, rng_t *r, household_t *h, int st, int c)
{
    static const uint32_t FOOD_NO[3] = {25000, 3000, 2000};
    static const uint32_t WATER_NO[3] = {30000, 5000, 8000};
    static const uint32_t RATING_W[3][4] = {
        {400, 380, 150, 70}, {560, 400, 30, 10}, {600, 350, 35, 15}};
    static const uint32_t FIXED_YES[3] = {500000, 900000, 400000};
    static const uint32_t SAT_W[NQUALITY][4] = {/* yes, no, blank, 不清楚 */
                                         {960, 25, 10, 5},
                                         {910, 55, 25, 10},
                                         {830, 110, 45, 15},
                                         {960, 25, 10, 5}};

    h->food = yes_no(r, !rng_chance(r, scaled(g, c, FOOD_NO[st])));
    h->water = yes_no(r, !rng_chance(r, scaled(g, c, WATER_NO[st])));

    int rating = rng_pick(r, RATING_W[st], 4);
    static const char *const RT[4][3] = {
        {"A", "A级", "a"}, {"B", "B级", "b"}, {"C", "C级", "c"}, {"D", "D级", "d"}};
    static const uint32_t RW[3] = {900, 80, 20};
    h->rating = RT[rating][rng_pick(r, RW, 3)];
    if (rating >= 2) {
        uint32_t unfixed = 1000000u - FIXED_YES[st];
        h->fixed = yes_no(r, !rng_chance(r, scaled(g, c, unfixed)));
    } else {
        uint32_t x = rng_below(r, 100);
        h->fixed = x < 60 ? "" : yes_no(r, x >= 88);
    }

    int s = rng_pick(r, SAT_W[g->quality[c]], 4);
    h->satisfied = s == 0 ? yes_no(r, 1) : s == 1 ? yes_no(r, 0) : s == 2 ? "" : "不清楚";
    h->note = rng_chance(r, 700000) ? "" : rng_str(r, NOTES, NNOTES);
}

/* Index of a random member of h. */
static int any_member(rng_t *r, const household_t *h)
{
    return (int)rng_below(r, (uint32_t)h->n);
}

/*
 * Plants one value fault in h, drawn from fr. Household-level faults are
 * stored in the household record, so they repeat identically on every row.
 */
static void plant_fault(gen_t *g, rng_t *fr, household_t *h)
{
    enum { F_MONEY, F_NEGATIVE, F_DATE, F_YESNO, F_CHECK, F_DUP, F_MEDICAL,
           F_MISMATCH, F_SCHOOL, F_RATING, NFAULTS };
    static const uint32_t W[NFAULTS] = {14, 12, 12, 12, 10, 10, 10, 8, 6, 6};
    int f = rng_pick(fr, W, NFAULTS);
    if (f == F_DUP && g->ring_count == 0)
        f = F_CHECK;
    if (f == F_SCHOOL) {
        int any = 0;
        for (int j = 0; j < h->n; j++)
            any |= h->p[j].age >= 6 && h->p[j].age <= 15;
        if (!any)
            f = F_MEDICAL;
    }
    person_t *p = &h->p[any_member(fr, h)];
    switch (f) {
    case F_MONEY: {
        static const char *const BAD[] = {"12.345", "abc", "1,234.00", "3000元",
                                          "不详", "１２００", "12.3.4", "--5"};
        set_text(h->money[rng_below(fr, NMONEY)], 24, rng_str(fr, BAD, 8));
        break;
    }
    case F_NEGATIVE: {
        char *m = h->money[rng_below(fr, 5)];
        m[0] = '-';
        fmt_money(m + 1, (int64_t)rng_range(fr, 1, 500000), 0);
        break;
    }
    case F_DATE: {
        /* {format, month, day}: dates that do not exist */
        static const int BAD[5][3] = {{0, 2, 30}, {0, 13, 1}, {1, 4, 31}, {2, 6, 31}, {0, 0, 15}};
        if (rng_chance(fr, 100000)) {
            set_text(p->birth, sizeof p->birth, "不详");
        } else {
            const int *b = BAD[rng_below(fr, 5)];
            fmt_date(p->birth, b[0], p->by, b[1], b[2]);
        }
        break;
    }
    case F_YESNO: {
        static const char *const BAD[] = {"maybe", "不确定", "待核实", "?", "yes/no", "有"};
        const char *v = rng_str(fr, BAD, 6);
        switch (rng_below(fr, 4)) {
        case 0: h->food = v; break;
        case 1: h->water = v; break;
        case 2: h->fixed = v; break;
        default: p->medical = v; break;
        }
        break;
    }
    case F_CHECK: {
        static const char C[] = "0123456789X";
        char good = p->id[17];
        char bad;
        do
            bad = C[rng_below(fr, 11)];
        while (bad == good);
        p->id[17] = bad;
        break;
    }
    case F_DUP:
        memcpy(p->id, g->ring[rng_below(fr, g->ring_count < RING_SIZE ? (uint32_t)g->ring_count
                                                                       : RING_SIZE)],
               19);
        break;
    case F_MEDICAL:
        p->medical = "";
        break;
    case F_MISMATCH: {
        int32_t d = days_from_civil(p->by, p->bm, p->bd) - rng_range(fr, 1, 400);
        int y, m, dd;
        civil_from_days(d, &y, &m, &dd);
        fmt_date(p->birth, (int)rng_below(fr, 3), y, m, dd);
        break;
    }
    case F_SCHOOL:
        for (int j = 0; j < h->n; j++)
            if (h->p[j].age >= 6 && h->p[j].age <= 15) {
                h->p[j].school = "";
                break;
            }
        break;
    default: {
        static const char *const BAD[] = {"E", "", "危房", "5"};
        h->rating = rng_str(fr, BAD, 4);
        break;
    }
    }
}

/* Gives h zero heads (head's relation blank or 本人) or two (a second member
 * called head); one-person households always get zero. */
static void plant_head_anomaly(rng_t *fr, household_t *h)
{
    if (h->n >= 2 && rng_chance(fr, 500000)) {
        static const char *const H[] = {"head", "户主", "HEAD"};
        h->p[1 + rng_below(fr, (uint32_t)h->n - 1u)].relation = rng_str(fr, H, 3);
    } else {
        h->p[0].relation = rng_chance(fr, 500000) ? "" : "本人";
    }
}

/* Builds household `index` (0-based) into h. Returns 0 or -1 (ID space). */
static int make_household(gen_t *g, uint64_t index, household_t *h)
{
    rng_t r, fr;
    rng_init(&r, g->seed, STREAM_HOUSEHOLD, index);
    rng_init(&fr, g->seed, STREAM_FAULT, index);
    h->faulted = 0;

    h->hid[0] = 'H';
    *put_fixed(h->hid + 1, index + 1, 10) = '\0';
    next_region(g, h);
    int c = g->county;
    int st = rng_pick(&r, g->cmix[c], 3);
    h->status = status_text(&r, st);
    if (make_members(g, &r, h, st, c) != 0)
        return -1;
    make_income(g, &r, h, st, c);
    if (g->fab_n && gen_fab_is(g))
        gen_fab_income(g, h);
    make_conditions(g, &r, h, st, c);

    char first_id[19];
    memcpy(first_id, h->p[0].id, 19);
    if (rng_chance(&fr, g->fault_ppm)) {
        plant_fault(g, &fr, h);
        h->faulted = 1;
    }
    if (rng_chance(&fr, g->fault_ppm * 2u / 3u))
        plant_head_anomaly(&fr, h);
    /* the head's ID, if it was written unchanged, may be duplicated later */
    if (memcmp(first_id, h->p[0].id, 19) == 0) {
        memcpy(g->ring[g->ring_count % RING_SIZE], first_id, 19);
        g->ring_count++;
    }
    return 0;
}

/* Appends the rows of h to the output buffer (room for HH_MAX bytes must
 * have been reserved). */
static void emit_household(out_t *o, const household_t *h)
{
    char prefix[ROW_MAX], suffix[256];
    char *p = prefix;
    p = put_csv(p, h->hid);
    *p++ = ',';
    p = put_csv(p, h->region);
    *p++ = ',';
    p = put_csv(p, h->status);
    for (int i = 0; i < NMONEY; i++) {
        *p++ = ',';
        p = put_csv(p, h->money[i]);
    }
    const char *yn[5] = {h->food, h->rating, h->fixed, h->water, h->satisfied};
    for (int i = 0; i < 5; i++) {
        *p++ = ',';
        p = put_csv(p, yn[i]);
    }
    *p++ = ',';
    size_t plen = (size_t)(p - prefix);
    p = suffix;
    *p++ = ',';
    p = put_csv(p, h->note);
    *p++ = '\n';
    size_t slen = (size_t)(p - suffix);

    for (int j = 0; j < h->n; j++) {
        const person_t *m = &h->p[j];
        char *q = o->buf + o->len;
        memcpy(q, prefix, plen);
        q += plen;
        q = put_csv(q, m->id);
        *q++ = ',';
        q = put_csv(q, m->name);
        *q++ = ',';
        q = put_csv(q, m->relation);
        *q++ = ',';
        q = put_csv(q, m->birth);
        *q++ = ',';
        q = put_csv(q, m->school);
        *q++ = ',';
        q = put_csv(q, m->medical);
        *q++ = ',';
        q = put_csv(q, m->job);
        memcpy(q, suffix, slen);
        q += slen;
        o->len = (size_t)(q - o->buf);
    }
}

/* Appends the header line. */
static void emit_header(out_t *o, int chinese)
{
    char *q = o->buf + o->len;
    for (int i = 0; i < COL_COUNT; i++) {
        q = put_csv(q, chinese ? schema_columns[i].zh : schema_columns[i].name);
        *q++ = ',';
    }
    q = put_csv(q, "stable_job");
    *q++ = ',';
    q = put_csv(q, "village_note");
    *q++ = '\n';
    o->len = (size_t)(q - o->buf);
}

/* ------------------------------------------------------------------------ */
/* Command line                                                             */
/* ------------------------------------------------------------------------ */

static const char *const USAGE =
    N_("usage: tuopin gen --households N [--seed S] [--quarter YYYYQn] [--out FILE]\n"
    "                  [--chinese-header] [--profile realistic|stress]\n"
    "                  [--faults PCT] [--mix P:E:G]\n"
    "       tuopin gen --quarters N --households N --out PREFIX [--quarter YYYYQn]\n"
    "                  [--plant PCT] [--seed S] ...\n"
    "\n"
    "Writes a synthetic registry quarter: one CSV row per person (UTF-8, LF),\n"
    "the columns of the standard plus stable_job and village_note.\n"
    "\n"
    "  --households N    households to generate, 0..100000000 (required)\n"
    "  --seed S          random seed, 0..18446744073709551615 (default 1)\n"
    "  --quarter YYYYQn  assessed quarter, 2011Q1..2099Q4 (default 2020Q4);\n"
    "                    ages are taken at its last day, incomes centre on\n"
    "                    that year's poverty line (4000 from 2020 on)\n"
    "  --out FILE        output file, - for standard output (default -);\n"
    "                    written under a temporary name, then renamed\n"
    "  --chinese-header  Chinese column names for the standard's columns\n"
    "  --profile P       realistic (default): few poor households, no planted\n"
    "                    faults, counties that meet, fail and are incomplete\n"
    "                    (three western counties without general households);\n"
    "                    stress: many poor households and planted faults,\n"
    "                    every county fails (the data of the tests and bench/)\n"
    "  --faults PCT      percent of households with one planted value fault\n"
    "                    (default 0, stress 1.5; two thirds as many get 0 or\n"
    "                    2 heads)\n"
    "  --mix P:E:G       relative weights of poor, exited and general\n"
    "                    households (default 1:70:29, stress 35:40:25)\n"
    "  --quarters N      write N consecutive quarters (2..12) of one population,\n"
    "                    from --quarter on, to PREFIX-YYYYQn.csv, with patterns\n"
    "                    planted for the last two and their households listed in\n"
    "                    PREFIX-truth.csv (see docs/history.md)\n"
    "  --plant PCT       with --quarters: percent of eligible households given\n"
    "                    each planted pattern (default 1)\n"
    "  --rosters DIR     also write the quarter's five department rosters into DIR,\n"
    "                    with planted disagreements and bad rows (docs/rosters.md)\n"
    "  --fabricated N    make up the incomes of N villages (0..80, at most 2 a\n"
    "                    county): copied, round, just above the line\n"
    "  --fabricated-list FILE  write those villages' codes to FILE\n"
    "  --help            show this help\n"
    "\n"
    "The same options always produce the same bytes.\n");

/* Parses a non-empty unsigned decimal with no sign into *v; 0 or -1. */
static int parse_u64(const char *s, uint64_t *v)
{
    uint64_t x = 0;
    if (!*s)
        return -1;
    for (; *s; s++) {
        if (*s < '0' || *s > '9')
            return -1;
        unsigned d = (unsigned)(*s - '0');
        if (x > (UINT64_MAX - d) / 10)
            return -1;
        x = x * 10 + d;
    }
    *v = x;
    return 0;
}

/* Parses a percentage "D[.DDDD]" in [0, 100] into parts per million. */
static int parse_pct(const char *s, uint32_t *ppm)
{
    uint64_t whole = 0, frac = 0;
    int nd = 0, nf = 0;
    for (; *s >= '0' && *s <= '9'; s++, nd++) {
        whole = whole * 10 + (uint64_t)(*s - '0');
        if (whole > 100)
            return -1;
    }
    if (*s == '.') {
        for (s++; *s >= '0' && *s <= '9'; s++, nf++) {
            if (nf >= 4)
                return -1;
            frac = frac * 10 + (uint64_t)(*s - '0');
        }
        if (nf == 0)
            return -1;
    }
    if (*s || nd == 0)
        return -1;
    for (int i = nf; i < 4; i++)
        frac *= 10;
    uint64_t v = whole * 10000 + frac;
    if (v > 1000000)
        return -1;
    *ppm = (uint32_t)v;
    return 0;
}

/* Parses "P:E:G" (or "P,E,G"), three weights 0..1000000 not all zero. */
static int parse_mix(const char *s, uint32_t mix[3])
{
    for (int i = 0; i < 3; i++) {
        uint64_t v = 0;
        int nd = 0;
        for (; *s >= '0' && *s <= '9'; s++, nd++) {
            v = v * 10 + (uint64_t)(*s - '0');
            if (v > 1000000)
                return -1;
        }
        if (nd == 0)
            return -1;
        mix[i] = (uint32_t)v;
        if (i < 2) {
            if (*s != ':' && *s != ',')
                return -1;
            s++;
        }
    }
    if (*s || mix[0] + mix[1] + mix[2] == 0)
        return -1;
    return 0;
}

/* Parses "YYYYQn" (Q or q, qd_parse_quarter) with year 2011..2099. */
static int parse_quarter(const char *s, int *year, int *q)
{
    int ord;
    if (qd_parse_quarter(s, &ord) < 0 || ord / 4 < LINE_FIRST_YEAR || ord / 4 > LINE_LAST_YEAR)
        return -1;
    *year = ord / 4;
    *q = ord % 4 + 1;
    return 0;
}

/* Reports a usage error and returns GEN_USAGE. */
static int usage_error(const char *what, const char *arg)
{
    if (arg)
        fprintf(stderr, _("tuopin gen: %s: '%s' (see tuopin gen --help)\n"), what, arg);
    else
        fprintf(stderr, _("tuopin gen: %s (see tuopin gen --help)\n"), what);
    return GEN_USAGE;
}

/*
 * Parses the options into g. Returns -1 when all is well, GEN_OK when --help
 * was handled, GEN_USAGE after reporting a usage error.
 */
static int parse_args(gen_t *g, int argc, char **argv)
{
    static const struct option gen_options[] = {
        CMDLINE_VALUE("households", 'n'), CMDLINE_VALUE("seed", 's'), CMDLINE_VALUE("quarter", 'q'),
        CMDLINE_VALUE("out", 'o'), CMDLINE_VALUE("faults", 'f'), CMDLINE_VALUE("mix", 'm'),
        CMDLINE_VALUE("quarters", 'Q'), CMDLINE_VALUE("plant", 'p'), CMDLINE_VALUE("rosters", 'R'),
        CMDLINE_VALUE("fabricated", 'F'), CMDLINE_VALUE("fabricated-list", 'L'),
        CMDLINE_VALUE("profile", 'P'),
        CMDLINE_FLAG("chinese-header", 'c'), CMDLINE_HELP_END
    };
    int have_households = 0, have_mix = 0, have_faults = 0, o;
    cmdline cl;
    cmdline_init(&cl, "gen", argc, argv, "h", gen_options);
    while ((o = cmdline_next(&cl)) != CMDLINE_END) {
        const char *val = cl.arg;
        if (o == 'h') {
            fputs(_(USAGE), stdout);
            fflush(stdout);
            return GEN_OK;
        }
        if (o == 'c') {
            g->chinese_header = 1;
            continue;
        }
        if (o == CMDLINE_OPERAND)
            return cmdline_usage_error(&cl, _("unexpected argument %s"), val);
        if (o == CMDLINE_ERROR)
            return GEN_USAGE;
        if (o == 'n') {
            uint64_t v;
            if (parse_u64(val, &v) != 0 || v > GEN_MAX_HOUSEHOLDS)
                return usage_error(_("--households must be a whole number 0..100000000"), val);
            g->households = v;
            have_households = 1;
        } else if (o == 's') {
            if (parse_u64(val, &g->seed) != 0)
                return usage_error(_("--seed must be a whole number 0..18446744073709551615"), val);
        } else if (o == 'q') {
            if (parse_quarter(val, &g->year, &g->quarter) != 0)
                return usage_error(_("--quarter must be YYYYQn, years 2011..2099"), val);
        } else if (o == 'o') {
            if (!*val)
                return usage_error(_("--out must name a file or -"), val);
            g->out_path = val;
        } else if (o == 'R') {
            if (!*val)
                return usage_error(_("--rosters must name a folder"), val);
            g->rosters_dir = val;
        } else if (o == 'Q') {
            uint64_t v;
            if (parse_u64(val, &v) != 0 || v < 2 || v > 12)
                return usage_error(_("--quarters must be a whole number 2..12"), val);
            g->quarters = (int)v;
        } else if (o == 'p') {
            if (parse_pct(val, &g->plant_ppm) != 0 || g->plant_ppm > 100000)
                return usage_error(_("--plant must be a percentage 0..10 (up to 4 decimals)"), val);
        } else if (o == 'F') {
            uint64_t v;
            if (parse_u64(val, &v) != 0 || v > GEN_FAB_MAX)
                return usage_error(_("--fabricated must be a whole number 0..80"), val);
            g->fab_n = (int)v;
        } else if (o == 'L') {
            if (!*val)
                return usage_error(_("--fabricated-list must name a file"), val);
            g->fab_list = val;
        } else if (o == 'P') {
            if (!strcmp(val, "realistic"))
                g->profile = GEN_PROFILE_REALISTIC;
            else if (!strcmp(val, "stress"))
                g->profile = GEN_PROFILE_STRESS;
            else
                return usage_error(_("--profile must be realistic or stress"), val);
        } else if (o == 'f') {
            if (parse_pct(val, &g->fault_ppm) != 0)
                return usage_error(_("--faults must be a percentage 0..100 (up to 4 decimals)"), val);
            have_faults = 1;
        } else {
            if (parse_mix(val, g->mix) != 0)
                return usage_error(_("--mix must be three weights P:E:G, not all 0"), val);
            have_mix = 1;
        }
    }
    /* the profile's mix and faults, unless given */
    if (!have_faults)
        g->fault_ppm = g->profile == GEN_PROFILE_STRESS ? 15000 : 0;
    if (!have_mix) {
        static const uint32_t MIX[2][3] = {{35, 40, 25}, {1, 70, 29}};
        memcpy(g->mix, MIX[g->profile == GEN_PROFILE_STRESS ? 0 : 1], sizeof g->mix);
    }
    if (!have_households)
        return usage_error(_("--households N is required"), NULL);
    if (g->quarters && strcmp(g->out_path, "-") == 0)
        return usage_error(_("--quarters needs --out PREFIX (files PREFIX-YYYYQn.csv)"), NULL);
    if (g->quarters && g->fab_n)
        return usage_error(_("--fabricated is for one quarter, not with --quarters"), NULL);
    if (g->rosters_dir && (g->quarters || strcmp(g->out_path, "-") == 0))
        return usage_error(_("--rosters needs --out FILE (one quarter): the rosters are of that file"), NULL);
    return -1;
}

/* ------------------------------------------------------------------------ */
/* Entry point                                                              */
/* ------------------------------------------------------------------------ */

/* Opens the destination. For a regular (or not yet existing) file, creates a
 * temporary file "DIR/.NAME.tmp-XXXXXX" (mode 0600) and stores its malloc'd
 * name in *tmp; for "-" uses stdout; for an existing non-regular file (a
 * device or pipe) opens it directly. Returns the stream, or NULL after
 * reporting the error. */
static FILE *open_output(const char *path, char **tmp)
{
    *tmp = NULL;
    if (strcmp(path, "-") == 0)
        return stdout;
    struct stat st;
    if (stat(path, &st) == 0) {
        if (S_ISDIR(st.st_mode)) {
            fprintf(stderr, _("tuopin gen: cannot write %s: %s\n"), path, strerror(EISDIR));
            return NULL;
        }
        if (!S_ISREG(st.st_mode)) {
            FILE *fp = fopen(path, "w");
            if (!fp)
                fprintf(stderr, _("tuopin gen: cannot open %s: %s\n"), path, strerror(errno));
            return fp;
        }
    }
    const char *slash = strrchr(path, '/');
    size_t dirlen = slash ? (size_t)(slash - path) + 1 : 0;
    const char *base = slash ? slash + 1 : path;
    size_t len = strlen(path) + 32;
    char *name = malloc(len);
    if (!name) {
        fprintf(stderr, _("tuopin gen: out of memory\n"));
        return NULL;
    }
    snprintf(name, len, "%.*s.%s.tmp-XXXXXX", (int)dirlen, path, base);
    int fd = mkstemp(name);
    if (fd < 0) {
        fprintf(stderr, _("tuopin gen: cannot create a temporary file for %s: %s\n"), path,
                strerror(errno));
        free(name);
        return NULL;
    }
    (void)fchmod(fd, 0600);
    FILE *fp = fdopen(fd, "w");
    if (!fp) {
        fprintf(stderr, _("tuopin gen: cannot open %s: %s\n"), name, strerror(errno));
        close(fd);
        unlink(name);
        free(name);
        return NULL;
    }
    *tmp = name;
    return fp;
}

/* Completes the output: flushes, syncs and closes a file and renames a
 * temporary into place (or removes it when anything failed). `err` is the
 * errno of an earlier write failure, or 0. Returns GEN_OK or GEN_IO. */
static int close_output(FILE *fp, const char *path, char *tmp, int err)
{
    if (fp == stdout) {
        if (!err && fflush(stdout) != 0)
            err = errno ? errno : EIO;
        if (!err && ferror(stdout))
            err = EIO;
        if (err) {
            fprintf(stderr, _("tuopin gen: cannot write standard output: %s\n"), strerror(err));
            return GEN_IO;
        }
        return GEN_OK;
    }
    if (!err && fflush(fp) != 0)
        err = errno ? errno : EIO;
    if (!err && tmp && fsync(fileno(fp)) != 0)
        err = errno;
    if (fclose(fp) != 0 && !err)
        err = errno ? errno : EIO;
    if (!err && tmp && rename(tmp, path) != 0)
        err = errno;
    if (err) {
        fprintf(stderr, _("tuopin gen: cannot write %s: %s\n"), path, strerror(err));
        if (tmp)
            unlink(tmp);
        free(tmp);
        return GEN_IO;
    }
    free(tmp);
    return GEN_OK;
}

int gen_main(int argc, char **argv)
{
    gen_t *g;
    for (int i = 1; i < argc; i++)
        if (!strcmp(argv[i], "--field") || !strncmp(argv[i], "--field=", 8)) return gen_field_main(argc, argv);
    g = calloc(1, sizeof *g);
    if (!g) {
        fprintf(stderr, _("tuopin gen: out of memory\n"));
        return GEN_IO;
    }
    g->seed = 1;
    g->year = 2020;
    g->quarter = 4;
    g->out_path = "-";
    g->profile = GEN_PROFILE_REALISTIC;
    int rc;
    g->plant_ppm = 10000;
    rc = parse_args(g, argc, argv);
    if (rc < 0 && gen_load_lines() != GEN_OK)
        rc = GEN_IO;
    if (rc >= 0) {
        free(g);
        return rc;
    }
    if (g->quarters) {
        rc = gen_quarters_main(g);
        free(g);
        return rc;
    }
    gen_derive(g);
    if ((rc = gen_fab_pick(g)) != GEN_OK) {
        free(g);
        return rc;
    }

    g->slots = calloc((size_t)NCOUNTIES * (size_t)g->ndays * 2u, sizeof *g->slots);
    household_t *h = malloc(sizeof *h);
    out_t o = {NULL, malloc(OUT_BUF_SIZE), 0, OUT_BUF_SIZE, 0};
    if (!g->slots || !h || !o.buf) {
        fprintf(stderr, _("tuopin gen: out of memory\n"));
        free(g->slots);
        free(h);
        free(o.buf);
        free(g);
        return GEN_IO;
    }

    char *tmp = NULL;
    o.fp = open_output(g->out_path, &tmp);
    if (!o.fp) {
        rc = GEN_IO;
    } else {
        emit_header(&o, g->chinese_header);
        for (uint64_t i = 0; i < g->households && !o.err; i++) {
            if (make_household(g, i, h) != 0) {
                fprintf(stderr, _("tuopin gen: resident ID numbers exhausted\n"));
                rc = GEN_IO;
                o.err = EOVERFLOW;
                break;
            }
            out_reserve(&o, HH_MAX);
            emit_household(&o, h);
        }
        out_flush(&o);
        if (rc == GEN_IO) {
            /* already reported: drop a temporary file, keep stdout as is */
            if (o.fp != stdout)
                fclose(o.fp);
            if (tmp)
                unlink(tmp);
            free(tmp);
        } else {
            rc = close_output(o.fp, g->out_path, tmp, o.err);
            if (rc == GEN_OK)
                rc = gen_fab_write_list(g);
            if (rc == GEN_OK && g->rosters_dir)
                rc = gen_rosters(g->out_path, g->rosters_dir, g->seed, g->ay, g->am, g->ad);
            if (rc == GEN_OK)
                gen_note_line(g->year, g->quarter);
        }
    }
    free(o.buf);
    free(h);
    free(g->slots);
    free(g);
    return rc;
}

/* ------------------------------------------------------------------------ */
/* For gen_quarters.c (gen_int.h)                                           */
/* ------------------------------------------------------------------------ */

/* Western counties (standard §5: province 15, 45, 50..54, 61..65). */
static int western(int c)
{
    int p = (COUNTIES[c].code[0] - '0') * 10 + (COUNTIES[c].code[1] - '0');
    return p == 15 || p == 45 || (p >= 50 && p <= 54) || (p >= 61 && p <= 65);
}

/*
 * The realistic profile's counties, from the seed: in a shuffled order of
 * the 40 counties, the first REGISTRY_ONLY western ones are model counties
 * whose export holds no general households (the mix's G weight 0: the
 * missed rate has no denominator, so they are incomplete), then MODEL more
 * model counties, MEDIUM medium and the rest bad.  A model county's
 * households fail a check a third as often as a good one's and almost
 * never fall below the line, so that it meets with room to spare (a good
 * county's rates sit near the 2% limits).  Fixed numbers rather than
 * draws, so that every seed gives counties that meet (model), fail (bad)
 * and are incomplete.  Western ones for the registry-only counties: their
 * incidence limit (3%) leaves room for the poor households' share of
 * persons, which grows without the general ones.
 */
static void realistic_counties(gen_t *g)
{
    enum { REGISTRY_ONLY = 3, MODEL = 17, MEDIUM = 12 };
    int order[NCOUNTIES], only = 0, k = 0;
    rng_t pr;
    rng_init(&pr, g->seed, STREAM_PROFILE, 0);
    for (int c = 0; c < NCOUNTIES; c++)
        order[c] = c;
    for (int i = NCOUNTIES - 1; i > 0; i--) {
        int j = (int)rng_below(&pr, (uint32_t)i + 1u), t = order[i];
        order[i] = order[j];
        order[j] = t;
    }
    for (int i = 0; i < NCOUNTIES; i++) {
        int c = order[i];
        memcpy(g->cmix[c], g->mix, sizeof g->mix);
        if (only < REGISTRY_ONLY && western(c)) {
            g->cmix[c][ST_GENERAL] = 0;
            if (g->cmix[c][ST_POOR] + g->cmix[c][ST_EXITED] == 0)
                memcpy(g->cmix[c], g->mix, sizeof g->mix); /* --mix 0:0:G: keep it */
            g->quality[c] = Q_MODEL;
            only++;
            continue;
        }
        g->quality[c] = k < MODEL ? Q_MODEL : k < MODEL + MEDIUM ? Q_MEDIUM : Q_BAD;
        k++;
    }
}

void gen_derive(gen_t *g)
{
    char label[8];
    /* the as-of date: the quarter's last day */
    qd_quarter_label(g->year * 4 + g->quarter - 1, label);
    val_quarter(label, &g->ay, &g->am, &g->ad);
    g->asof = days_from_civil(g->ay, g->am, g->ad);
    g->base_day = days_from_civil(g->ay - MAX_AGE - 2, 1, 1);
    g->ndays = g->asof - g->base_day + 1;
    g->line_cents = gen_line_cents(g->year);
    if (g->profile == GEN_PROFILE_STRESS) {
        rng_t cr;
        static const uint32_t QW[3] = {40, 40, 20};
        rng_init(&cr, g->seed, STREAM_COUNTY, 0);
        for (int c = 0; c < NCOUNTIES; c++) {
            g->quality[c] = rng_pick(&cr, QW, 3);
            memcpy(g->cmix[c], g->mix, sizeof g->mix);
        }
    } else {
        realistic_counties(g);
    }
    rng_init(&g->layout, g->seed, STREAM_LAYOUT, 0);
}

int64_t gen_line_cents(int year)
{
    int li = year - LINE_FIRST_YEAR;
    if (li < 0)
        li = 0;
    if (li > LINE_LAST_YEAR - LINE_FIRST_YEAR)
        li = LINE_LAST_YEAR - LINE_FIRST_YEAR;
    return line_cents_of[li];
}

int gen_load_lines(void)
{
    char *file, err[512], src[512];
    int64_t last = 0;
    if (lines_loaded)
        return GEN_OK;
    if (!(file = paths_data_file("national-lines.csv"))) {
        fprintf(stderr, _("tuopin gen: out of memory\n"));
        return GEN_IO;
    }
    for (int y = LINE_FIRST_YEAR; y <= LINE_LAST_YEAR; y++) {
        int64_t cents;
        int verified;
        int r = params_line_for_year(file, y, &cents, &verified, src, sizeof src, err, sizeof err);
        if (r == 0 && y == LINE_FIRST_YEAR)
            snprintf(err, sizeof err, _("the table of national lines (%s) has no value for %d"), file, y);
        if (r < 0 || (r == 0 && y == LINE_FIRST_YEAR)) {
            fprintf(stderr, _("tuopin gen: %s\n"), err);
            free(file);
            return GEN_IO;
        }
        if (r == 1) {
            last = cents;
            lines_last_year = y;
        }
        line_cents_of[y - LINE_FIRST_YEAR] = last;
    }
    free(file);
    lines_loaded = 1;
    return GEN_OK;
}

void gen_note_line(int year, int quarter)
{
    char label[8], yuan[32];
    if (year <= lines_last_year)
        return;
    qd_quarter_label(year * 4 + quarter - 1, label);
    val_format_cents(gen_line_cents(year), yuan);
    fprintf(stderr, _("tuopin gen: note: the table of national lines has no value for %d; run %s with its line "
                      "given: params { income_line = %s } in the pipeline or --param income_line=%s\n"),
            year, label, yuan, yuan);
}

void gen_rng_init(rng_t *r, uint64_t seed, uint64_t stream, uint64_t index)
{
    rng_init(r, seed, stream, index);
}

uint32_t gen_rng_below(rng_t *r, uint32_t n) { return rng_below(r, n); }
int gen_rng_range(rng_t *r, int lo, int hi) { return rng_range(r, lo, hi); }
int gen_rng_chance(rng_t *r, uint32_t ppm) { return rng_chance(r, ppm); }
const char *gen_county_code(int c) { return COUNTIES[c].code; }
int gen_county_towns(int c) { return COUNTIES[c].towns; }
int gen_household(gen_t *g, uint64_t index, household_t *h) { return make_household(g, index, h); }
void gen_fmt_money(char *buf, int64_t cents, int whole) { fmt_money(buf, cents, whole); }
void gen_emit_header(out_t *o, int chinese) { emit_header(o, chinese); }
void gen_out_flush(out_t *o) { out_flush(o); }

void gen_emit_household(out_t *o, const household_t *h)
{
    out_reserve(o, HH_MAX);
    emit_household(o, h);
}

FILE *gen_open_output(const char *path, char **tmp) { return open_output(path, tmp); }

int gen_close_output(FILE *fp, const char *path, char *tmp, int err)
{
    return close_output(fp, path, tmp, err);
}
