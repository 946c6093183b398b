/* explain.c — `tuopin explain RUN_DIR HOUSEHOLD_ID`: why one household got
 * its verdict.  Reads the run's record (results.sqlite: the run, the
 * parameters with their origins, the household's findings, where it starts
 * in the input), checks that the input is still the one the run read
 * (SHA-256), seeks to the household and re-reads its rows with the run's
 * reader and mapping, and shows the fields, the stages with their rules and
 * parameters, the exact income arithmetic of standard §3.1, the assessment
 * of §4 and what would make the household pass.  Text, JSON (docs/explain.md
 * field by field) or a one-page HTML household card (明白卡).
 *
 * The words of the card are chosen here in both languages (as report.html
 * does): the card is a document, not a message; the errors go through the
 * catalogue. */
#define _POSIX_C_SOURCE 200809L
#include "explain.h"
#include "block.h"
#include "cmdline.h"
#include "csv.h"
#include "hhsignals.h"
#include "household.h"
#include "html.h"
#include "i18n.h"
#include "messages.h"
#include "schema.h"
#include "sha256.h"
#include "source.h"
#include "values.h"

#include <errno.h>
#include <inttypes.h>
#include <sqlite3.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef __int128 i128;

enum { FMT_TEXT, FMT_JSON, FMT_HTML };

typedef struct ex_param { char *stage, *name, *value, *origin, *source; } ex_param;
typedef struct ex_finding { char *stage, *code, *detail; int fail; long long member; } ex_finding;
typedef struct ex_reject { long long line; char *code, *detail, *raw; } ex_reject;
typedef struct ex_field {
    int member;                  /* 0: the household's (its first row), else 1-based */
    int col;                     /* canonical column, or -1 for an extra column */
    char *name;                  /* the column as the header names it */
    char *raw, *mapped;          /* as the input had it / after the mapping */
    char parsed[200];            /* the value the checks use, in words */
} ex_field;

typedef struct ex {
    int zh, reveal, fmt;
    const char *dir, *hid;
    sqlite3 *db;
    /* the run */
    char *quarter, *as_of, *input, *sha, *pipeline, *standard, *realpath;
    char *format, *encoding, *mapping, *skip_rows, *seekable;
    char *history;               /* the history the run joined (input_settings), or NULL */
    char *run_lang;              /* the language of the run's details ("zh", "en"), or NULL */
    const char *history_opt;     /* --history FILE */
    int hs_state;                /* -1: no history; else hs_result.state */
    hs_result hs;
    char hs_note[1024];           /* a history that could not be read: why */
    /* the household */
    long long id, members, line, offset;
    int64_t net;                 /* cents */
    int has_net, ready, has_pos;
    char *region, *status, *assessment;
    ex_param *p; size_t np;
    ex_finding *f; size_t nf;
    char **stages; size_t nst;
    ex_reject *rj; size_t nrj;
    ex_field *fl; size_t nfl;
    /* the income arithmetic (standard §3.1), when the income stage ran */
    int income_ran, income_ok;
    int64_t comp[5];
    int comp_state[5];
    int64_t line_c, tol_c, margin_m, share_m;
    int declared_ok;
    int64_t declared_c;
    char line_origin[300];
} ex;

#define T(en, zhs) (x->zh ? (zhs) : (en))

/* Frees what x owns (every text is strdup'd; free(NULL) is a no-op). */
static void ex_free(ex *x)
{
    size_t i;
    char **own[] = { &x->quarter, &x->as_of, &x->input, &x->sha, &x->pipeline, &x->standard,
                     &x->realpath, &x->format, &x->encoding, &x->mapping, &x->skip_rows,
                     &x->seekable, &x->history, &x->run_lang, &x->region, &x->status, &x->assessment };
    for (i = 0; i < sizeof own / sizeof own[0]; i++) free(*own[i]);
    for (i = 0; i < x->np; i++) {
        free(x->p[i].stage); free(x->p[i].name); free(x->p[i].value);
        free(x->p[i].origin); free(x->p[i].source);
    }
    free(x->p);
    for (i = 0; i < x->nf; i++) { free(x->f[i].stage); free(x->f[i].code); free(x->f[i].detail); }
    free(x->f);
    for (i = 0; i < x->nst; i++) free(x->stages[i]);
    free(x->stages);
    for (i = 0; i < x->nrj; i++) { free(x->rj[i].code); free(x->rj[i].detail); free(x->rj[i].raw); }
    free(x->rj);
    for (i = 0; i < x->nfl; i++) { free(x->fl[i].name); free(x->fl[i].raw); free(x->fl[i].mapped); }
    free(x->fl);
    hs_result_free(&x->hs);
}

static char *dupz(const unsigned char *s) { return strdup(s ? (const char *)s : ""); }

/* Whether the run wrote its details (findings, rejects: quoted as they are)
 * in the other language than this explanation's. */
static int other_lang(const ex *x)
{
    return x->run_lang && strcmp(x->run_lang, x->zh ? "zh" : "en");
}


static int fail_msg(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int fail_msg(const char *fmt, ...)
{
    va_list ap;
    fputs("tuopin: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    return -1;
}

static void usage(FILE *f)
{
    fputs(_("Usage: tuopin explain RUN_DIR HOUSEHOLD_ID [--format text|json|html] [--history FILE]\n"
            "                      [--reveal-ids]\n"
            "Explain one household's verdict in a run: each field as the input had it, as\n"
            "the mapping made it and as the checks read it; each stage's rule, the\n"
            "parameters it used and where each came from; the exact income arithmetic; the\n"
            "findings; how the assessment follows; what the household lacks to pass; and,\n"
            "when the run joined a history, its signals across quarters and monitoring.\n"
            "A rejected household: its rejected rows and why.  The run's input is checked\n"
            "first (SHA-256): a changed input is an error.  See docs/explain.md.\n"
            "\n"
            "  --format F      text (default), json, or html (a one-page household card,\n"
            "                  明白卡, for printing on A4)\n"
            "  --history FILE  the history to read the signals from (default: the one the\n"
            "                  run joined, output { history = FILE })\n"
            "  --reveal-ids    show resident IDs and names in full (masked by default)\n"
            "  --lang zh|en    the language of the explanation\n"), f);
}

/* ---- the run's record ------------------------------------------------------- */

static int q_prepare(ex *x, const char *sql, sqlite3_stmt **s)
{
    if (sqlite3_prepare_v2(x->db, sql, -1, s, NULL) == SQLITE_OK) return 0;
    return fail_msg(_("%s/results.sqlite: %s (was the run made by an older tuopin? run it again)"),
                    x->dir, sqlite3_errmsg(x->db));
}

static char *setting(ex *x, const char *key)
{
    sqlite3_stmt *s;
    char *v = NULL;
    if (sqlite3_prepare_v2(x->db, "SELECT value FROM input_settings WHERE key=?", -1, &s, NULL) != SQLITE_OK)
        return NULL;
    sqlite3_bind_text(s, 1, key, -1, SQLITE_STATIC);
    if (sqlite3_step(s) == SQLITE_ROW) v = dupz(sqlite3_column_text(s, 0));
    sqlite3_finalize(s);
    return v;
}

static int load_run(ex *x)
{
    sqlite3_stmt *s;
    char path[4096];
    snprintf(path, sizeof path, "%s/results.sqlite", x->dir);
    if (sqlite3_open_v2(path, &x->db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK)
        return fail_msg(_("%s: cannot open: %s"), path, x->db ? sqlite3_errmsg(x->db) : strerror(errno));
    if (q_prepare(x, "SELECT quarter, as_of, input_path, input_sha256, pipeline, standard FROM run", &s) < 0)
        return -1;
    if (sqlite3_step(s) != SQLITE_ROW) {
        sqlite3_finalize(s);
        return fail_msg(_("%s: the run record is missing"), path);
    }
    x->quarter = dupz(sqlite3_column_text(s, 0));
    x->as_of = dupz(sqlite3_column_text(s, 1));
    x->input = dupz(sqlite3_column_text(s, 2));
    x->sha = dupz(sqlite3_column_text(s, 3));
    x->pipeline = dupz(sqlite3_column_text(s, 4));
    x->standard = dupz(sqlite3_column_text(s, 5));
    sqlite3_finalize(s);
    x->realpath = setting(x, "realpath");
    x->format = setting(x, "format");
    x->encoding = setting(x, "encoding");
    x->mapping = setting(x, "mapping");
    x->skip_rows = setting(x, "skip_rows");
    x->seekable = setting(x, "seekable");
    x->history = setting(x, "history");
    x->run_lang = setting(x, "lang");
    if (!x->format)
        return fail_msg(_("%s: the run does not record how its input was read (a merged run, or one "
                          "made by an older tuopin): run it again to explain its households"), path);
    /* stages, parameters */
    if (q_prepare(x, "SELECT name FROM stages ORDER BY position", &s) < 0) return -1;
    while (sqlite3_step(s) == SQLITE_ROW) {
        char **n = realloc(x->stages, (x->nst + 1) * sizeof *n);
        if (!n) { sqlite3_finalize(s); return fail_msg(_("out of memory")); }
        x->stages = n;
        x->stages[x->nst++] = dupz(sqlite3_column_text(s, 0));
    }
    sqlite3_finalize(s);
    if (q_prepare(x, "SELECT stage, name, value, origin, source FROM param_origins", &s) < 0) return -1;
    while (sqlite3_step(s) == SQLITE_ROW) {
        ex_param *n = realloc(x->p, (x->np + 1) * sizeof *n);
        if (!n) { sqlite3_finalize(s); return fail_msg(_("out of memory")); }
        x->p = n;
        n = &x->p[x->np++];
        n->stage = dupz(sqlite3_column_text(s, 0));
        n->name = dupz(sqlite3_column_text(s, 1));
        n->value = dupz(sqlite3_column_text(s, 2));
        n->origin = dupz(sqlite3_column_text(s, 3));
        n->source = sqlite3_column_type(s, 4) == SQLITE_NULL ? NULL : dupz(sqlite3_column_text(s, 4));
    }
    sqlite3_finalize(s);
    return 0;
}

static const ex_param *param(const ex *x, const char *stage, const char *name)
{
    size_t i;
    for (i = 0; i < x->np; i++)
        if ((!stage || !strcmp(x->p[i].stage, stage)) && !strcmp(x->p[i].name, name)) return &x->p[i];
    return NULL;
}

/* The household's row, findings and input position; or its rejected rows.
 * RETURN 1 evaluated, 2 rejected, -1 not in the run. */
static int load_household(ex *x)
{
    sqlite3_stmt *s;
    int found = 0;
    if (q_prepare(x, "SELECT id, region_code, status, members, net_income_cents, exit_ready, assessment"
                     " FROM households WHERE household_id=?", &s) < 0)
        return -1;
    sqlite3_bind_text(s, 1, x->hid, -1, SQLITE_STATIC);
    if (sqlite3_step(s) == SQLITE_ROW) {
        found = 1;
        x->id = sqlite3_column_int64(s, 0);
        x->region = dupz(sqlite3_column_text(s, 1));
        x->status = dupz(sqlite3_column_text(s, 2));
        x->members = sqlite3_column_int64(s, 3);
        x->has_net = sqlite3_column_type(s, 4) != SQLITE_NULL;
        x->net = sqlite3_column_int64(s, 4);
        x->ready = sqlite3_column_int(s, 5);
        x->assessment = dupz(sqlite3_column_text(s, 6));
    }
    sqlite3_finalize(s);
    if (found) {
        if (q_prepare(x, "SELECT stage, severity, code, member, detail FROM findings WHERE household=?"
                         " ORDER BY seq", &s) < 0)
            return -1;
        sqlite3_bind_int64(s, 1, x->id);
        while (sqlite3_step(s) == SQLITE_ROW) {
            ex_finding *n = realloc(x->f, (x->nf + 1) * sizeof *n);
            if (!n) { sqlite3_finalize(s); return fail_msg(_("out of memory")); }
            x->f = n;
            n = &x->f[x->nf++];
            n->stage = dupz(sqlite3_column_text(s, 0));
            n->fail = !strcmp((const char *)sqlite3_column_text(s, 1), "fail");
            n->code = dupz(sqlite3_column_text(s, 2));
            n->member = sqlite3_column_int64(s, 3);
            n->detail = dupz(sqlite3_column_text(s, 4));
        }
        sqlite3_finalize(s);
        if (q_prepare(x, "SELECT byte_offset, line FROM input_positions WHERE household=?", &s) < 0)
            return -1;
        sqlite3_bind_int64(s, 1, x->id);
        if (sqlite3_step(s) == SQLITE_ROW) {
            x->has_pos = 1;
            x->offset = sqlite3_column_int64(s, 0);
            x->line = sqlite3_column_int64(s, 1);
        }
        sqlite3_finalize(s);
        return 1;
    }
    if (q_prepare(x, "SELECT line, code, detail, raw FROM rejects WHERE household_id=? ORDER BY line", &s) < 0)
        return -1;
    sqlite3_bind_text(s, 1, x->hid, -1, SQLITE_STATIC);
    while (sqlite3_step(s) == SQLITE_ROW) {
        ex_reject *n = realloc(x->rj, (x->nrj + 1) * sizeof *n);
        if (!n) { sqlite3_finalize(s); return fail_msg(_("out of memory")); }
        x->rj = n;
        n = &x->rj[x->nrj++];
        n->line = sqlite3_column_int64(s, 0);
        n->code = dupz(sqlite3_column_text(s, 1));
        n->detail = dupz(sqlite3_column_text(s, 2));
        n->raw = malloc((size_t)sqlite3_column_bytes(s, 3) + 1);
        if (!n->raw) { sqlite3_finalize(s); return fail_msg(_("out of memory")); }
        memcpy(n->raw, sqlite3_column_blob(s, 3), (size_t)sqlite3_column_bytes(s, 3));
        n->raw[sqlite3_column_bytes(s, 3)] = '\0';
        if (!x->reveal) msg_mask_id_runs(n->raw);
    }
    sqlite3_finalize(s);
    return x->nrj ? 2 : -1;
}

/* ---- the input ---------------------------------------------------------------- */

static const char *input_file(const ex *x)
{
    return x->realpath && x->realpath[0] ? x->realpath : x->input;
}

/* A merged run (tuopin merge): the household was read from the input of
 * the shard whose region prefix its village has; explain reads that file,
 * checked against the shard's SHA-256.  RETURN 0 (also for a run that is
 * not merged) or -1. */
static int shard_input(ex *x)
{
    sqlite3_stmt *s;
    char *name;
    int found = 0;
    if (sqlite3_prepare_v2(x->db, "SELECT path, sha256, code FROM shard_inputs"
                                  " WHERE substr(?1, 1, length(code)) = code", -1, &s, NULL) != SQLITE_OK)
        return 0;   /* not a merged run */
    sqlite3_bind_text(s, 1, x->region ? x->region : "", -1, SQLITE_STATIC);
    if (sqlite3_step(s) == SQLITE_ROW) {
        found = 1;
        free(x->realpath);
        free(x->sha);
        x->realpath = dupz(sqlite3_column_text(s, 0));
        x->sha = dupz(sqlite3_column_text(s, 1));
        name = malloc(strlen(x->realpath) + strlen(x->input) + 200);
        if (name)
            sprintf(name, x->zh ? "%s（由 %s 拆分出的分片 %s）" : "%s (shard %s of the split of %s)", x->realpath,
                    x->zh ? x->input : (const char *)sqlite3_column_text(s, 2),
                    x->zh ? (const char *)sqlite3_column_text(s, 2) : x->input);
        free(x->input);
        x->input = name;
    }
    sqlite3_finalize(s);
    if (!found) return fail_msg(_("%s: a merged run without the shard input of household %s"), x->dir, x->hid);
    if (!x->input || !x->realpath || !x->sha) return fail_msg(_("out of memory"));
    return 0;
}

/* The input still is what the run read: its SHA-256 is the recorded one. */
static int check_input(ex *x)
{
    const char *path = input_file(x);
    FILE *f;
    struct sha256_ctx c;
    static unsigned char buf[1 << 20];
    size_t n;
    char hex[65];
    if (!strcmp(x->format, "postgresql"))
        return fail_msg(_("%s: the run read a PostgreSQL query; explain re-reads input files only"),
                        x->dir);
    if (!strcmp(x->input, "-"))
        return fail_msg(_("%s: the run read standard input, which cannot be read again"), x->dir);
    if (!(f = fopen(path, "rb"))) return fail_msg(_("%s: cannot open: %s"), path, strerror(errno));
    sha256_init(&c);
    while ((n = fread(buf, 1, sizeof buf, f)) > 0) sha256_update(&c, n, buf);
    if (ferror(f)) {
        fclose(f);
        return fail_msg(_("%s: read error: %s"), path, strerror(errno));
    }
    fclose(f);
    sha256_final_hex(&c, hex);
    if (strcmp(hex, x->sha))
        return fail_msg(_("%s: the input has changed since the run (its SHA-256 is %.12s…, the run read "
                          "%.12s…): explain cannot say why a verdict follows from other data; run the "
                          "quarter again"), path, hex, x->sha);
    return 0;
}

static void mask_into(const ex *x, int col, const char *s, char *out, size_t n)
{
    if (x->reveal || col < 0 || (col != COL_PERSON_ID && col != COL_NAME && col != COL_BIRTH_DATE)) {
        snprintf(out, n, "%s", s);
    } else if (col == COL_BIRTH_DATE) {
        /* beside a masked ID an exact birth date would give back the ID's
         * masked birth digits (docs/safety.md): its first four characters
         * (the year in every spelling tuopin reads), the rest as * */
        size_t k = strlen(s), i;
        for (i = 0; i < k && i + 1 < n; i++) out[i] = i < 4 ? s[i] : '*';
        out[i] = '\0';
    } else if (col == COL_PERSON_ID) {
        msg_mask_id(s, out, n);
    } else if (!*s) {
        out[0] = '\0';
    } else {
        /* a name: its first character, then ** */
        size_t k = 1;
        while (s[k] && ((unsigned char)s[k] & 0xC0) == 0x80) k++;
        snprintf(out, n, "%.*s**", (int)k, s);
    }
}

static void money_text(const ex *x, tp_money m, int blank_zero, char *b, size_t n)
{
    char c[40];
    if (m.state == TP_MISSING) {
        snprintf(b, n, "%s", blank_zero ? T("blank: counts as 0.00 yuan", "空白，按 0.00 元计")
                                        : T("blank (missing)", "空白（缺失）"));
        return;
    }
    if (m.state == TP_BAD) {
        snprintf(b, n, "%s", T("bad value", "无效值"));
        return;
    }
    val_format_cents(m.cents, c);
    snprintf(b, n, x->zh ? "%s 元（%" PRId64 " 分）" : "%s yuan (%" PRId64 " cents)", c, m.cents);
}

static void yesno_text(const ex *x, tp_yesno y, char *b, size_t n)
{
    snprintf(b, n, "%s", y.state == TP_MISSING ? T("blank (missing)", "空白（缺失）")
                       : y.state == TP_BAD ? T("bad value", "无效值")
                       : y.value ? T("yes", "是") : T("no", "否"));
}

/* The parsed value of canonical column col of member m (0-based; the
 * household's fields for household-level columns), in words. */
static void parsed_text(const ex *x, const tp_household *h, int col, size_t m, char *b, size_t n)
{
    const tp_member *p = tp_member_at(h, m);
    char t[64];
    switch (col) {
    case COL_HOUSEHOLD_ID: snprintf(b, n, "%s", h->household_id); break;
    case COL_REGION_CODE:
        snprintf(b, n, x->zh ? "省 %.2s 市 %.2s 县 %.2s 乡 %.3s 村 %.3s" : "province %.2s city %.2s county %.2s town %.3s village %.3s",
                 h->region_code, h->region_code + 2, h->region_code + 4, h->region_code + 6, h->region_code + 9);
        break;
    case COL_STATUS: snprintf(b, n, "%s", val_status_name(h->status)); break;
    case COL_WAGE_INCOME: money_text(x, h->wage_income, 1, b, n); break;
    case COL_OPERATING_INCOME: money_text(x, h->operating_income, 1, b, n); break;
    case COL_OPERATING_COST: money_text(x, h->operating_cost, 1, b, n); break;
    case COL_PROPERTY_INCOME: money_text(x, h->property_income, 1, b, n); break;
    case COL_TRANSFER_INCOME: money_text(x, h->transfer_income, 1, b, n); break;
    case COL_DECLARED_INCOME_PC: money_text(x, h->declared_income_pc, 0, b, n); break;
    case COL_FOOD_CLOTHING_SECURE: yesno_text(x, h->food_clothing_secure, b, n); break;
    case COL_HOUSING_FIXED: yesno_text(x, h->housing_fixed, b, n); break;
    case COL_WATER_SAFE: yesno_text(x, h->water_safe, b, n); break;
    case COL_SATISFIED: yesno_text(x, h->satisfied, b, n); break;
    case COL_HOUSING_RATING:
        if (h->housing_rating.state == TP_OK)
            snprintf(b, n, x->zh ? "%c 级（%s）" : "%c (%s)", h->housing_rating.value,
                     h->housing_rating.value <= 'B' ? T("safe", "安全") : T("unsafe house", "危房"));
        else
            snprintf(b, n, "%s", h->housing_rating.state == TP_MISSING ? T("blank (missing)", "空白（缺失）")
                                                                       : T("bad value", "无效值"));
        break;
    case COL_PERSON_ID:
        snprintf(b, n, "%s", p->id_valid ? T("a valid resident ID (GB 11643)", "有效的公民身份号码（GB 11643）")
                                         : T("not a valid resident ID", "不是有效的公民身份号码"));
        break;
    case COL_NAME: mask_into(x, COL_NAME, p->name, b, n); break;
    case COL_RELATION:
        snprintf(b, n, "%s", p->is_head ? T("head of household", "户主") : T("not the head", "非户主"));
        break;
    case COL_BIRTH_DATE:
        if (p->birth_date.state == TP_OK && !x->reveal) {
            /* masked: the year only, and no exact age (docs/safety.md) */
            snprintf(b, n, x->zh ? "%04d-**-**；确切年龄不显示（--reveal-ids 显示）"
                                 : "%04d-**-**; exact age withheld (--reveal-ids shows it)",
                     p->birth_date.year);
            break;
        }
        if (p->birth_date.state == TP_OK)
            snprintf(t, sizeof t, "%04d-%02d-%02d", p->birth_date.year, p->birth_date.month, p->birth_date.day);
        else
            snprintf(t, sizeof t, "%s", p->birth_date.state == TP_MISSING ? T("blank", "空白") : T("bad value", "无效值"));
        if (p->age_known) {
            if (x->zh) snprintf(b, n, "%s；%s 时 %d 周岁", t, x->as_of, p->age);
            else snprintf(b, n, "%s; age %d on %s", t, p->age, x->as_of);
        } else {
            snprintf(b, n, x->zh ? "%s；年龄无法确定" : "%s; age unknown", t);
        }
        break;
    case COL_SCHOOL_STATUS:
        if (p->school.state == TP_OK)
            snprintf(b, n, "%s (%s)", val_school_name(p->school.value),
                     val_school_covered(p->school.value) ? T("covered", "属于在学/受教育") : T("not covered", "不属于在学"));
        else
            snprintf(b, n, "%s", p->school.state == TP_MISSING ? T("blank (missing)", "空白（缺失）") : T("bad value", "无效值"));
        break;
    case COL_MEDICAL_INSURED: yesno_text(x, p->medical_insured, b, n); break;
    default: b[0] = '\0';
    }
}

static int add_field(ex *x, int member, int col, const char *name, const char *raw, const char *mapped,
                     const tp_household *h)
{
    ex_field *n;
    char buf[512];
    n = realloc(x->fl, (x->nfl + 1) * sizeof *n);
    if (!n) return fail_msg(_("out of memory"));
    x->fl = n;
    n = &x->fl[x->nfl++];
    memset(n, 0, sizeof *n);
    n->member = member;
    n->col = col;
    n->name = strdup(name);
    mask_into(x, col, raw, buf, sizeof buf);
    n->raw = strdup(buf);
    mask_into(x, col, mapped, buf, sizeof buf);
    n->mapped = strdup(buf);
    if (!n->raw || !n->mapped || !n->name) return fail_msg(_("out of memory"));
    if (col >= 0) parsed_text(x, h, col, member ? (size_t)member - 1 : 0, n->parsed, sizeof n->parsed);
    else snprintf(n->parsed, sizeof n->parsed, "%s", T("(extra column: read by rule scripts as text)",
                                                       "（扩展列：规则脚本按文本读取）"));
    return 0;
}

/* Re-reads the household's rows: the header, then a seek to its first
 * record (or, where the input cannot seek, reading on to its line). */
static int reread(ex *x)
{
    run_config cfg;
    source *src;
    csv_record rec;
    schema_map map;
    block b;
    hh_eval e;
    char err[1024], **raw = NULL;
    size_t nraw = 0, i, r;
    int rc = -1, y, mo, d, got;
    const char *path = input_file(x);

    memset(&cfg, 0, sizeof cfg);
    memset(&map, 0, sizeof map);
    cfg.input = (char *)path;
    cfg.format = x->format;
    cfg.encoding = x->encoding;
    cfg.mapping = x->mapping;
    cfg.quiet = 1;
    if (x->skip_rows && strcmp(x->skip_rows, "0")) {
        cfg.has_skip_rows = 1;
        cfg.skip_rows = atoi(x->skip_rows);
    }
    block_init(&b, BLOCK_MAX_BYTES, BLOCK_MAX_ROWS);
    hh_init(&e);
    if (!(src = source_open(&cfg, err, sizeof err))) {
        fail_msg("%s", err);
        goto out;
    }
    for (;;) {
        got = source_next(src, &rec);
        if (got <= 0) {
            fail_msg(_("%s: no header"), path);
            goto out;
        }
        for (i = 0; i < rec.nfields && rec.fields[i].n == 0; i++) ;
        if (i < rec.nfields) break;
    }
    if (schema_map_fields(&map, rec.fields, rec.nfields, err, sizeof err) < 0) {
        fail_msg("%s: %s", path, err);
        goto out;
    }
    if (!x->has_pos) {
        fail_msg(_("%s: the run does not record where household %s starts in its input"), x->dir, x->hid);
        goto out;
    }
    if (source_seek(src, (unsigned long long)x->offset, (long)x->line) < 0) {
        fail_msg("%s", source_error(src));
        goto out;
    }
    for (;;) {
        got = source_next(src, &rec);
        if (got < 0) { fail_msg("%s: %s", path, source_error(src)); goto out; }
        if (got == 0 || rec.line >= x->line) break;
    }
    while (got == 1) {
        const char *why;
        char **nr;
        if (b.nrows && !block_same(&b, &rec, &map)) break;
        if (!b.nrows) {
            size_t len;
            const char *h = block_record_hid(&rec, &map, &len);
            if (rec.line != x->line || len != strlen(x->hid) || memcmp(h, x->hid, len)) {
                fail_msg(_("%s:%lld: household %s is not where the run found it"), path, x->line, x->hid);
                goto out;
            }
        }
        if (block_add(&b, &rec, &map, &why) < 0) { fail_msg("%s:%ld: %s", path, rec.line, why); goto out; }
        nr = realloc(raw, (nraw + rec.nfields + 1) * sizeof *raw);
        if (!nr) { fail_msg(_("out of memory")); goto out; }
        raw = nr;
        {
            const csv_field *u = source_unmapped(src);
            for (i = 0; i < rec.nfields; i++) {
                raw[nraw + i] = strndup(u ? u[i].p : rec.fields[i].p, u ? u[i].n : rec.fields[i].n);
                if (!raw[nraw + i]) { fail_msg(_("out of memory")); goto out; }
            }
            for (; i < map.ncols; i++) raw[nraw + i] = NULL;
            nraw += rec.nfields > map.ncols ? rec.nfields : map.ncols;
        }
        got = source_next(src, &rec);
        if (got < 0) { fail_msg("%s: %s", path, source_error(src)); goto out; }
    }
    if (!b.nrows || (long long)b.nrows != x->members) {
        fail_msg(_("%s:%lld: household %s is not where the run found it"), path, x->line, x->hid);
        goto out;
    }
    val_quarter(x->quarter, &y, &mo, &d);
    if (hh_build(&e, &b, &map, y, mo, d) < 0) { fail_msg(_("out of memory")); goto out; }
    /* the fields: household-level columns from the first row, then each
     * member's own; extra columns per member */
    {
        size_t off = 0, width;
        for (r = 0; r < b.nrows; r++) {
            width = b.rows[r].nfields > map.ncols ? b.rows[r].nfields : map.ncols;
            for (i = 0; i < map.ncols; i++) {
                int col = map.canon[i];
                const char *mapped = block_field(&b, r, (int)i), *rw = raw[off + i] ? raw[off + i] : "";
                if (col >= 0 && schema_columns[col].household_level && r > 0) continue;
                if (add_field(x, col >= 0 && schema_columns[col].household_level ? 0 : (int)r + 1, col,
                              map.names[i], rw, mapped, &e.view) < 0)
                    goto out;
            }
            off += width;
        }
    }
    /* the income arithmetic */
    {
        const tp_money *m[5] = { &e.view.wage_income, &e.view.operating_income, &e.view.operating_cost,
                                 &e.view.property_income, &e.view.transfer_income };
        for (i = 0; i < 5; i++) {
            x->comp_state[i] = m[i]->state;
            x->comp[i] = m[i]->state == TP_OK ? m[i]->cents : 0;
        }
        x->income_ok = e.income_ok;
        x->declared_ok = e.view.declared_income_pc.state == TP_OK;
        x->declared_c = e.view.declared_income_pc.cents;
        if (e.income_ok && x->has_net && e.net != x->net) {
            fail_msg(_("%s:%lld: household %s re-reads to a net income other than the run's"), path, x->line,
                     x->hid);
            goto out;
        }
        x->net = e.income_ok ? e.net : 0;
    }
    rc = 0;
out:
    for (i = 0; i < nraw; i++) free(raw[i]);
    free(raw);
    hh_free(&e);
    block_free(&b);
    schema_map_free(&map);
    source_close(src);
    return rc;
}

/* ---- the household's history signals ---------------------------------------------- */

/* The history: --history, else the one the run joined.  A recorded history
 * that cannot be read is a note in the explanation (the verdict's
 * explanation stands without it); a --history that cannot be read is an
 * error.  RETURN 0 or -1. */
static int load_history(ex *x)
{
    const char *path = x->history_opt ? x->history_opt : x->history;
    char err[1024];
    x->hs_state = -1;
    if (!path || !path[0]) return 0;
    if (hs_household(path, x->quarter, x->sha, x->hid, x->region, &x->hs, err, sizeof err) < 0) {
        if (x->history_opt) return fail_msg("%s", err);
        snprintf(x->hs_note, sizeof x->hs_note, "%s", err);
        return 0;
    }
    x->hs_state = x->hs.state;
    return 0;
}

static const char *history_file(const ex *x) { return x->history_opt ? x->history_opt : x->history; }

/* The one line that says which history was read and against what, or why
 * there are no signals. */
static void history_line(const ex *x, char *b, size_t n)
{
    const hs_result *r = &x->hs;
    if (!history_file(x) || !history_file(x)[0])
        snprintf(b, n, "%s", T("none: the run was made without a history (output { history = FILE }; "
                               "explain --history FILE reads one)",
                               "无：本次运行未使用历史库（流水线 output { history = FILE }；"
                               "explain --history FILE 可指定历史库）"));
    else if (x->hs_note[0])
        snprintf(b, n, x->zh ? "历史库 %s 无法读取：%s" : "the history %s cannot be read: %s", history_file(x),
                 x->hs_note);
    else if (r->state == HS_NO_QUARTER)
        snprintf(b, n, x->zh ? "历史库 %s 中没有 %s 季度" : "the history %s holds no quarter %s", history_file(x), r->cur);
    else if (r->state == HS_OTHER_RUN)
        snprintf(b, n, x->zh ? "历史库 %s 中的 %s 季度来自另一份输入（SHA-256 不同）：不是这次运行的信号"
                             : "the history %s holds quarter %s from another input (another SHA-256): its signals "
                               "are not this run's", history_file(x), r->cur);
    else if (r->state == HS_NO_PREVIOUS)
        snprintf(b, n, x->zh ? "历史库 %s（区划集 %s）中没有 %s 之前的季度：无可比较"
                             : "the history %s (region set %s) holds no quarter before %s: nothing to compare",
                 history_file(x), r->regions, r->cur);
    else if (r->state == HS_NOT_IN_HISTORY)
        snprintf(b, n, x->zh ? "历史库 %s 的 %s 季度中没有该户" : "the history %s has no household %s in %s",
                 history_file(x), x->hid, r->cur);
    else
        snprintf(b, n, x->zh ? "历史库 %s，区划集 %s，%s → %s（读取 %s；转移性收入%s）；比较规则与默认参数同 tuopin compare"
                             : "history %s, region set %s, %s -> %s (quarters read %s; transfer incomes %s); "
                               "the rules and default parameters of tuopin compare",
                 history_file(x), r->regions, r->prev, r->cur, r->read,
                 r->transfers_known ? T("known", "已知") : T("unknown: TRANSFER_SHIFT not evaluated",
                                                          "未知：不评估 TRANSFER_SHIFT"));
}

/* A signal in words: its name (both languages in English), its quarters,
 * its side and the other households, then the evidence. */
static void signal_head(const ex *x, const hs_signal *g, char *b, size_t n)
{
    const char *side = "";
    if (g->code == SIG_TRANSFER_SHIFT)
        side = g->role ? T("; this household is the donor, the recipient ", "；本户为转出方，转入方 ")
                       : T("; this household is the recipient, the donor ", "；本户为转入方，转出方 ");
    else if (g->others[0])
        side = T("; with the households ", "；同列各户 ");
    if (x->zh)
        snprintf(b, n, "%s %s（%s）%s%s", sig_table[g->code].code, sig_table[g->code].zh, g->quarters, side, g->others);
    else
        snprintf(b, n, "%s %s, %s (%s)%s%s", sig_table[g->code].code, sig_table[g->code].en, sig_table[g->code].zh,
                 g->quarters, side, g->others);
}

/* The monitoring line: category and reasons, or not listed. */
static void monitor_text(const ex *x, char *b, size_t n)
{
    const hs_result *r = &x->hs;
    if (r->mon == MON_NONE)
        snprintf(b, n, x->zh ? "不在监测名单（监测线每人 %s 元：%s；贫困户不列入）"
                             : "not on the monitoring list (monitoring line %s yuan per person: %s; poor households "
                               "are not listed)", r->mon_line, x->zh ? r->mon_basis_zh : r->mon_basis);
    else
        snprintf(b, n, x->zh ? "%s %s：%s（监测线每人 %s 元：%s）" : "%s (%s): %s (monitoring line %s yuan per person: %s)",
                 mon_names[r->mon], mon_names_zh[r->mon], r->mon_reasons, r->mon_line,
                 x->zh ? r->mon_basis_zh : r->mon_basis);
}

/* ---- what follows from it ---------------------------------------------------- */

static int64_t param_amount(const ex *x, const char *name, int scale, const char *fallback)
{
    const ex_param *p = param(x, NULL, name);
    int64_t v = 0;
    if (val_decimal(p ? p->value : fallback, scale, &v) < 0) val_decimal(fallback, scale, &v);
    return v;
}

static void income_params(ex *x)
{
    size_t i;
    for (i = 0; i < x->nst; i++)
        if (!strcmp(x->stages[i], "income")) x->income_ran = 1;
    x->line_c = param_amount(x, "income_line", 2, "0");
    x->tol_c = param_amount(x, "income_tolerance", 2, "1.00");
    x->margin_m = param_amount(x, "near_line_margin", 6, "0.10");
    x->share_m = param_amount(x, "transfer_share_max", 6, "0.50");
}

/* A parameter's origin in words. */
static void origin_words(const ex *x, const ex_param *p, char *b, size_t n)
{
    const char *o = p->origin;
    if (!strcmp(o, "default"))
        snprintf(b, n, x->zh ? "环节 %s 的默认值" : "the default of stage %s", p->stage);
    else if (!strcmp(o, "national table"))
        snprintf(b, n, x->zh ? "国家贫困标准表（data/national-lines.csv）的这一行：%s"
                             : "the table of national lines (data/national-lines.csv), row %s",
                 p->source ? p->source : "?");
    else if (!strcmp(o, "pipeline params"))
        snprintf(b, n, x->zh ? "流水线文件 %s 的 params {}" : "the pipeline file %s, params {}", x->pipeline);
    else if (!strcmp(o, "pipeline"))
        snprintf(b, n, x->zh ? "流水线文件 %s 中该脚本的 stage { params = ... }"
                             : "the pipeline file %s, the script's stage { params = ... }", x->pipeline);
    else if (!strcmp(o, "--param"))
        snprintf(b, n, x->zh ? "命令行 --param" : "the command line, --param");
    else if (!strcmp(o, "script"))
        snprintf(b, n, x->zh ? "规则脚本 %s 的 params 默认值" : "the rule script %s's params defaults", p->stage);
    else if (!strncmp(o, "script ", 7))
        snprintf(b, n, x->zh ? "规则脚本 %s 的 income_line（收入环节的标准线提高到省定标准，标准 §7）"
                             : "rule script %s's income_line (the income stage's line is raised to the "
                               "province's, standard §7)", o + 7);
    else
        snprintf(b, n, "%s", o);
}

static const char *rule_words(const ex *x, const char *stage)
{
    static const struct { const char *name, *en, *zh; } r[] = {
        { "identity", "Data quality (standard 3.7), warnings only: each person_id must be a valid resident ID "
                      "whose birth digits agree with birth_date, no ID twice, exactly one head.",
                      "数据质量（标准 3.7），只给警告：证件号码须为有效的公民身份号码，出生日期与之相符，不重复，且户主恰好一人。" },
        { "income", "Income (standard 3.1): net = wage + operating - operating cost + property + transfer; "
                    "the household fails when net < line x members (the exact quotient, never rounded).",
                    "收入（标准 3.1）：纯收入 = 工资性 + 生产经营性 - 生产经营性支出 + 财产性 + 转移性；"
                    "纯收入 < 标准线 × 人数时不达标（按精确商比较，不四舍五入）。" },
        { "food_clothing", "Food and clothing (standard 3.2): food_clothing_secure must be yes.",
                           "吃穿不愁（标准 3.2）：吃穿不愁须为是。" },
        { "education", "Compulsory schooling (standard 3.3): every member of school age must have a school "
                       "status that counts as covered.",
                       "义务教育有保障（标准 3.3）：义务教育年龄段的成员须在学（在校状况属于在学/受教育）。" },
        { "medical", "Basic medical cover (standard 3.4): every member must be insured.",
                     "基本医疗有保障（标准 3.4）：每名成员须参加基本医疗保险。" },
        { "housing", "Safe housing (standard 3.5): rating A or B, or C/D with the house renovated or the "
                     "family relocated.",
                     "住房安全有保障（标准 3.5）：A 级或 B 级；C、D 级须已完成危房改造或搬迁。" },
        { "water", "Safe drinking water (standard 3.6): water_safe must be yes.",
                   "饮水安全（标准 3.6）：饮水安全须为是。" },
        { "rosters", "Department rosters (standard 8): the registry is compared with the departments' rosters.",
                     "部门比对（标准 8）：登记数据与各部门名册比对。" },
    };
    size_t i;
    for (i = 0; i < sizeof r / sizeof r[0]; i++)
        if (!strcmp(r[i].name, stage)) return x->zh ? r[i].zh : r[i].en;
    return x->zh ? "省定规则脚本（Lua）：其参数与发现项如下。" : "A provincial rule script (Lua): its parameters and findings below.";
}

static const char *assessment_words(const ex *x)
{
    const char *a = x->assessment;
    if (!strcmp(a, "can_exit")) return T("poor and exit-ready: can exit", "贫困户，达到退出标准：可以退出");
    if (!strcmp(a, "remains_poor")) return T("poor and not exit-ready: remains poor", "贫困户，未达到退出标准：仍为贫困户");
    if (!strcmp(a, "exit_confirmed")) return T("exited and exit-ready: the exit is confirmed", "已脱贫，达到标准：退出属实");
    if (!strcmp(a, "wrongly_exited")) return T("exited but not exit-ready: wrongly exited (错退)", "已脱贫但未达到标准：错退");
    if (!strcmp(a, "missed")) return T("general, but the income stage failed it with INCOME_BELOW_LINE: missed (漏评)",
                                       "一般户，但收入环节判定 INCOME_BELOW_LINE：漏评");
    if (!strcmp(a, "unverified")) return T("general, and the income could not be checked: unverified",
                                           "一般户，收入无法核实：待核实");
    return T("general and not below the line: not poor", "一般户，收入不低于标准：非贫困");
}

/* cents as yuan text */
static void yuan(int64_t c, char *b) { val_format_cents(c, b); }

/* net / n as exact text: whole cents and the remainder as a fraction of a cent. */
static void quotient_text(const ex *x, int64_t net, int64_t n, char *b, size_t len)
{
    int64_t q = net / n, r = net % n;
    char t[40];
    if (r < 0) { q--; r += n; }
    yuan(q, t);
    if (!r) snprintf(b, len, x->zh ? "%s 元（除尽）" : "%s yuan (exact)", t);
    else snprintf(b, len, x->zh ? "%s 元又 %" PRId64 "/%" PRId64 " 分" : "%s yuan and %" PRId64 "/%" PRId64 " cent",
                  t, r, n);
}

/* ---- output ----------------------------------------------------------------------- */

static void json_str(FILE *f, const char *s)
{
    fputc('"', f);
    for (; s && *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\') fprintf(f, "\\%c", c);
        else if (c == '\n') fputs("\\n", f);
        else if (c == '\r') fputs("\\r", f);
        else if (c == '\t') fputs("\\t", f);
        else if (c < 0x20) fprintf(f, "\\u%04x", c);
        else if (c < 0x80) fputc(c, f);
        else {
            /* a rejected row's raw text may not be UTF-8 (ROW_ENCODING): JSON
             * must be, so a byte outside a valid sequence becomes U+FFFD */
            size_t len = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : c >= 0xc0 ? 2 : 1;
            if (len > 1 && strnlen(s, len) == len && csv_utf8_valid(s, len)) {
                fwrite(s, 1, len, f);
                s += len - 1;
            } else {
                fputs("\\ufffd", f);
            }
        }
    }
    fputc('"', f);
}

/* One line of the explanation in every format: text lines, HTML rows, and
 * (for the sections JSON does not structure itself) JSON strings. */
typedef struct out {
    ex *x;
    FILE *f;
} out;

static const char *col_label(const ex *x, const ex_field *fl)
{
    if (fl->col < 0) return fl->name;
    return x->zh ? schema_columns[fl->col].zh : schema_columns[fl->col].name;
}

/* The facts of the income stage as (label, value) lines; n of them. */
typedef struct fact { char label[200], value[400]; } fact;

static size_t income_facts(ex *x, fact *fa, size_t cap)
{
    size_t k = 0, i;
    char a[40], b[40], c[60];
    static const char *names[5] = { "wage_income", "operating_income", "operating_cost", "property_income",
                                     "transfer_income" };
    int64_t n = x->members;
    i128 ln = (i128)x->line_c * n;
    if (!x->income_ok) {
        snprintf(fa[k].label, sizeof fa[k].label, "%s", T("net income", "纯收入"));
        snprintf(fa[k].value, sizeof fa[k].value, "%s",
                 T("not computed: an income component is a bad value (BAD_VALUE)", "无法计算：有收入项为无效值（BAD_VALUE）"));
        return 1;
    }
    for (i = 0; i < 5 && k < cap; i++, k++) {
        yuan(x->comp[i], a);
        snprintf(fa[k].label, sizeof fa[k].label, "%s", x->zh ? schema_columns[COL_WAGE_INCOME + i].zh : names[i]);
        snprintf(fa[k].value, sizeof fa[k].value, x->zh ? "%s 元（%" PRId64 " 分）%s" : "%s yuan (%" PRId64 " cents)%s", a,
                 x->comp[i], x->comp_state[i] == TP_MISSING ? T(", blank", "，空白") : "");
    }
    yuan(x->net, a);
    snprintf(fa[k].label, sizeof fa[k].label, "%s", T("net income = wage + operating - cost + property + transfer",
                                                      "纯收入 = 工资性 + 生产经营性 - 生产经营性支出 + 财产性 + 转移性"));
    snprintf(fa[k++].value, sizeof fa[k].value, x->zh ? "%s 元（%" PRId64 " 分）" : "%s yuan (%" PRId64 " cents)", a, x->net);
    snprintf(fa[k].label, sizeof fa[k].label, "%s", T("members (n)", "人数（n）"));
    snprintf(fa[k++].value, sizeof fa[k].value, "%lld", x->members);
    yuan(x->line_c, a);
    yuan((int64_t)ln, b);
    snprintf(fa[k].label, sizeof fa[k].label, "%s", T("line x members", "标准线 × 人数"));
    snprintf(fa[k++].value, sizeof fa[k].value, x->zh ? "%s × %lld = %s 元（%" PRId64 " 分）" : "%s x %lld = %s yuan (%" PRId64 " cents)",
             a, x->members, b, (int64_t)ln);
    quotient_text(x, x->net, n, c, sizeof c);
    snprintf(fa[k].label, sizeof fa[k].label, "%s", T("income_pc = net / n", "人均纯收入 = 纯收入 ÷ 人数"));
    snprintf(fa[k++].value, sizeof fa[k].value, "%s", c);
    snprintf(fa[k].label, sizeof fa[k].label, "%s", T("net compared with line x members", "纯收入与标准线 × 人数比较"));
    if ((i128)x->net < ln) {
        yuan((int64_t)(ln - x->net), a);
        snprintf(fa[k++].value, sizeof fa[k].value, x->zh ? "%" PRId64 " < %" PRId64 "：低于标准线，差 %s 元（全户）"
                                                          : "%" PRId64 " < %" PRId64 ": below the line by %s yuan (household)",
                 x->net, (int64_t)ln, a);
    } else {
        snprintf(fa[k++].value, sizeof fa[k].value, x->zh ? "%" PRId64 " ≥ %" PRId64 "：不低于标准线" : "%" PRId64 " >= %" PRId64 ": not below the line",
                 x->net, (int64_t)ln);
        /* near the line: net x 10^6 < line x n x (10^6 + margin) */
        {
            i128 lhs = (i128)x->net * 1000000, rhs = ln * (1000000 + x->margin_m);
            snprintf(fa[k].label, sizeof fa[k].label, "%s", T("near the line: net x 10^6 < line x n x (10^6 + margin)",
                                                              "接近标准线：纯收入 × 10^6 < 标准线 × 人数 × (10^6 + 幅度)"));
            snprintf(fa[k++].value, sizeof fa[k].value, "%s", lhs < rhs ? T("yes: INCOME_NEAR_LINE", "是：INCOME_NEAR_LINE")
                                                                      : T("no", "否"));
        }
    }
    if (x->net > 0) {
        i128 lhs = (i128)x->comp[4] * 1000000, rhs = (i128)x->share_m * x->net;
        snprintf(fa[k].label, sizeof fa[k].label, "%s", T("transfer share: transfer x 10^6 > share x net",
                                                          "转移性收入占比：转移性 × 10^6 > 上限 × 纯收入"));
        snprintf(fa[k++].value, sizeof fa[k].value, "%s", lhs > rhs ? T("yes: INCOME_TRANSFER_DEPENDENT", "是：INCOME_TRANSFER_DEPENDENT")
                                                                  : T("no", "否"));
    }
    if (x->declared_ok) {
        i128 d = (i128)x->declared_c * n - x->net;
        if (d < 0) d = -d;
        yuan(x->declared_c, a);
        snprintf(fa[k].label, sizeof fa[k].label, "%s", T("declared: |declared x n - net| > tolerance x n",
                                                          "申报人均：|申报 × 人数 - 纯收入| > 容差 × 人数"));
        snprintf(fa[k++].value, sizeof fa[k].value, x->zh ? "申报 %s 元：%s" : "declared %s yuan: %s", a,
                 d > (i128)x->tol_c * n ? T("yes: INCOME_MISMATCH", "是：INCOME_MISMATCH") : T("no", "否"));
    }
    return k;
}

/* What the household lacks to pass, one line each. */
static size_t to_pass(ex *x, fact *fa, size_t cap)
{
    size_t k = 0, i;
    char a[40], b[40];
    i128 ln = (i128)x->line_c * x->members;
    if (x->ready && k < cap) {
        snprintf(fa[k].label, sizeof fa[k].label, "%s", T("verdict", "结论"));
        snprintf(fa[k++].value, sizeof fa[k].value, "%s", T("no stage failed the household: it meets the standard",
                                                            "没有环节判定不达标：达到标准"));
    }
    if (x->income_ran && x->income_ok && (i128)x->net < ln && k < cap) {
        int64_t total = (int64_t)(ln - x->net), pp = (total + x->members - 1) / x->members;
        yuan(pp, a);
        yuan(total, b);
        snprintf(fa[k].label, sizeof fa[k].label, "%s", T("income", "收入"));
        snprintf(fa[k++].value, sizeof fa[k].value,
                 x->zh ? "每人还差 %s 元（向上取到分），全户共差 %s 元，才达到标准线"
                       : "%s yuan per person short of the line (rounded up to the cent), %s yuan for the household",
                 a, b);
    }
    for (i = 0; i < x->nf && k < cap; i++) {
        const ex_finding *f = &x->f[i];
        if (!f->fail || (!strcmp(f->stage, "income") && !strcmp(f->code, "INCOME_BELOW_LINE"))) continue;
        snprintf(fa[k].label, sizeof fa[k].label, "%s %s", f->stage, f->code);
        if (f->member)
            snprintf(fa[k++].value, sizeof fa[k].value, x->zh ? "第 %lld 名成员：%s" : "member %lld: %s", f->member, f->detail);
        else
            snprintf(fa[k++].value, sizeof fa[k].value, "%s", f->detail);
    }
    return k;
}

static void stage_params_of(const ex *x, const char *stage, const ex_param **v, size_t *n)
{
    size_t i;
    *n = 0;
    for (i = 0; i < x->np; i++)
        if (!strcmp(x->p[i].stage, stage)) v[(*n)++] = &x->p[i];
}

/* ---- text ---- */

static void put_text(ex *x, FILE *f, int rejected)
{
    size_t i, j, n;
    fact fa[32];
    char o[2048], tmp[64];
    fprintf(f, x->zh ? "户 %s — %s 季度（截至 %s），运行目录 %s\n" : "Household %s — quarter %s (as of %s), run %s\n",
            x->hid, x->quarter, x->as_of, x->dir);
    /* the input and where the household is in it on one line: the line a
     * merged run's explanation differs in (it names the shard's input) */
    fprintf(f, x->zh ? "输入 %s（SHA-256 %.16s…，与运行时一致）" : "Input %s (SHA-256 %.16s…, as the run read it)",
            x->input, x->sha);
    if (!rejected) {
        fprintf(f, x->zh ? "；该户从第 %lld 行开始" : "; the household starts on line %lld", x->line);
        if (x->seekable && !strcmp(x->seekable, "1")) fprintf(f, x->zh ? "（第 %lld 字节）" : " (byte %lld)", x->offset);
    }
    fputc('\n', f);
    if (other_lang(x))
        fprintf(f, "%s\n", T("The details of findings and rejected rows are quoted as the run wrote them, in Chinese "
                             "(tuopin run --lang en writes them in English).",
                             "问题说明和拒收说明按运行时写出的原文引用，为英文（tuopin run --lang zh 则写成中文）。"));
    if (strcmp(x->standard, "national")) fprintf(f, "%s: %s\n", T("Standard", "标准"), x->standard);
    if (rejected) {
        fprintf(f, "\n%s\n", T("REJECTED: the household was not evaluated; its rows went to rejects.csv:",
                                "已拒收：该户未参加评估，其各行写入 rejects.csv："));
        for (i = 0; i < x->nrj; i++)
            fprintf(f, x->zh ? "  第 %lld 行  %s  %s\n      原文：%s\n" : "  line %lld  %s  %s\n      raw: %s\n",
                    x->rj[i].line, x->rj[i].code, x->rj[i].detail, x->rj[i].raw);
        fprintf(f, "\n%s\n", T("To be evaluated, every row of the household must be sound (standard 1, "
                              "structural errors): correct the rows above and run the quarter again.",
                              "须每一行都无结构错误才参加评估（标准第 1 节“结构错误”）：改正上述各行后重新运行。"));
        return;
    }
    fprintf(f, x->zh ? "区划 %s，户类型 %s，%lld 人\n" : "Region %s, status %s, %lld members\n", x->region, x->status,
            x->members);
    fprintf(f, "\n%s\n", T("FIELDS (raw text -> mapped value -> parsed value)", "字段（原文 → 映射后 → 解析结果）"));
    for (i = 0; i < x->nfl; i++) {
        const ex_field *fl = &x->fl[i];
        if (fl->member && (i == 0 || x->fl[i - 1].member != fl->member))
            fprintf(f, x->zh ? "  第 %d 名成员\n" : "  member %d\n", fl->member);
        fprintf(f, "  %s%s: \"%s\" -> \"%s\" -> %s\n", fl->member ? "  " : "", col_label(x, fl), fl->raw,
                fl->mapped, fl->parsed);
    }
    fprintf(f, "\n%s\n", T("STAGES", "检查环节"));
    for (i = 0; i < x->nst; i++) {
        const ex_param *pv[64];
        stage_params_of(x, x->stages[i], pv, &n);
        fprintf(f, "%zu. %s — %s\n", i + 1, x->stages[i], rule_words(x, x->stages[i]));
        for (j = 0; j < n && j < 64; j++) {
            origin_words(x, pv[j], o, sizeof o);
            fprintf(f, x->zh ? "     参数 %s = %s，来自%s\n" : "     parameter %s = %s, from %s\n", pv[j]->name,
                    pv[j]->value, o);
        }
        if (!strcmp(x->stages[i], "income")) {
            size_t nfa = income_facts(x, fa, sizeof fa / sizeof fa[0]);
            for (j = 0; j < nfa; j++) fprintf(f, "     %s: %s\n", fa[j].label, fa[j].value);
        }
        for (j = 0; j < x->nf; j++) {
            const ex_finding *fd = &x->f[j];
            if (strcmp(fd->stage, x->stages[i])) continue;
            if (fd->member) snprintf(tmp, sizeof tmp, x->zh ? "（第 %lld 名成员）" : " (member %lld)", fd->member);
            else tmp[0] = '\0';
            fprintf(f, "     %s %s%s: %s\n", fd->fail ? "FAIL" : "WARN", fd->code, tmp, fd->detail);
        }
        for (j = 0, n = 0; j < x->nf; j++) n += !strcmp(x->f[j].stage, x->stages[i]);
        if (!n) fprintf(f, "     %s\n", T("no finding: passed", "无发现项：通过"));
    }
    fprintf(f, "\n%s\n  %s: %s\n", T("ASSESSMENT (standard 4)", "评估结论（标准第 4 节）"), x->assessment, assessment_words(x));
    fprintf(f, x->zh ? "  达到退出标准（没有环节判定不达标）：%s\n" : "  exit-ready (no stage recorded a fail): %s\n",
            x->ready ? T("yes", "是") : T("no", "否"));
    fprintf(f, "\n%s\n", T("TO PASS", "达标还差什么"));
    n = to_pass(x, fa, sizeof fa / sizeof fa[0]);
    for (i = 0; i < n; i++) fprintf(f, "  %s: %s\n", fa[i].label, fa[i].value);
    fprintf(f, "\n%s\n", T("HISTORY SIGNALS (docs/history.md)", "历史信号（docs/history.md）"));
    history_line(x, o, sizeof o);
    fprintf(f, "  %s\n", o);
    if (x->hs_state == HS_OK) {
        for (i = 0; i < x->hs.nsig; i++) {
            signal_head(x, &x->hs.sig[i], o, sizeof o);
            fprintf(f, "  %s\n      %s\n", o, x->zh ? x->hs.sig[i].evidence_zh : x->hs.sig[i].evidence);
        }
        if (!x->hs.nsig) fprintf(f, "  %s\n", T("no pattern signal", "无异常模式信号"));
        monitor_text(x, o, sizeof o);
        fprintf(f, "  %s%s\n", T("monitoring: ", "动态监测："), o);
    }
}

/* ---- JSON ---- */

static void json_kv(FILE *f, const char *k, const char *v, int comma)
{
    json_str(f, k);
    fputc(':', f);
    if (v) json_str(f, v);
    else fputs("null", f);
    if (comma) fputc(',', f);
}

static void put_json(ex *x, FILE *f, int rejected)
{
    size_t i, j, n;
    fact fa[32];
    char o[2048];
    fputs("{\"run\":{", f);
    json_kv(f, "dir", x->dir, 1);
    json_kv(f, "quarter", x->quarter, 1);
    json_kv(f, "as_of", x->as_of, 1);
    json_kv(f, "pipeline", x->pipeline, 1);
    json_kv(f, "input", x->input, 1);
    json_kv(f, "input_sha256", x->sha, 1);
    json_kv(f, "standard", x->standard, x->run_lang != NULL);
    if (x->run_lang) json_kv(f, "details_lang", x->run_lang, 0);
    fputs("},\"household\":{", f);
    json_kv(f, "household_id", x->hid, 1);
    fprintf(f, "\"evaluated\":%s", rejected ? "false" : "true");
    if (rejected) {
        fputs("},\"rejected_rows\":[", f);
        for (i = 0; i < x->nrj; i++) {
            fprintf(f, "%s{\"line\":%lld,", i ? "," : "", x->rj[i].line);
            json_kv(f, "code", x->rj[i].code, 1);
            json_kv(f, "detail", x->rj[i].detail, 1);
            json_kv(f, "raw", x->rj[i].raw, 0);
            fputc('}', f);
        }
        fputs("]}\n", f);
        return;
    }
    fputc(',', f);
    json_kv(f, "region_code", x->region, 1);
    json_kv(f, "status", x->status, 1);
    fprintf(f, "\"members\":%lld,\"line\":%lld,\"byte_offset\":", x->members, x->line);
    if (x->seekable && !strcmp(x->seekable, "1")) fprintf(f, "%lld", x->offset);
    else fputs("null", f);
    fputs("},\"fields\":[", f);
    for (i = 0; i < x->nfl; i++) {
        const ex_field *fl = &x->fl[i];
        fprintf(f, "%s{\"member\":%d,", i ? "," : "", fl->member);
        json_kv(f, "column", fl->col >= 0 ? schema_columns[fl->col].name : fl->name, 1);
        json_kv(f, "header", fl->name, 1);
        json_kv(f, "raw", fl->raw, 1);
        json_kv(f, "mapped", fl->mapped, 1);
        json_kv(f, "parsed", fl->parsed, 0);
        fputc('}', f);
    }
    fputs("],\"stages\":[", f);
    for (i = 0; i < x->nst; i++) {
        const ex_param *pv[64];
        stage_params_of(x, x->stages[i], pv, &n);
        fprintf(f, "%s{\"position\":%zu,", i ? "," : "", i + 1);
        json_kv(f, "name", x->stages[i], 1);
        json_kv(f, "rule", rule_words(x, x->stages[i]), 1);
        fputs("\"params\":[", f);
        for (j = 0; j < n && j < 64; j++) {
            origin_words(x, pv[j], o, sizeof o);
            fputs(j ? ",{" : "{", f);
            json_kv(f, "name", pv[j]->name, 1);
            json_kv(f, "value", pv[j]->value, 1);
            json_kv(f, "origin", pv[j]->origin, 1);
            json_kv(f, "source", pv[j]->source, 1);
            json_kv(f, "origin_text", o, 0);
            fputc('}', f);
        }
        fputs("],\"findings\":[", f);
        for (j = 0, n = 0; j < x->nf; j++) {
            const ex_finding *fd = &x->f[j];
            if (strcmp(fd->stage, x->stages[i])) continue;
            fputs(n++ ? ",{" : "{", f);
            json_kv(f, "severity", fd->fail ? "fail" : "warn", 1);
            json_kv(f, "code", fd->code, 1);
            fprintf(f, "\"member\":%lld,", fd->member);
            json_kv(f, "detail", fd->detail, 0);
            fputc('}', f);
        }
        fputs("]}", f);
    }
    fputs("],\"income\":", f);
    if (!x->income_ran) {
        fputs("null", f);
    } else {
        i128 ln = (i128)x->line_c * x->members;
        fprintf(f, "{\"computed\":%s,\"line_cents\":%" PRId64 ",\"members\":%lld,\"line_times_members_cents\":%" PRId64,
                x->income_ok ? "true" : "false", x->line_c, x->members, (int64_t)ln);
        if (x->income_ok) {
            int64_t q = x->net / x->members, r = x->net % x->members;
            if (r < 0) { q--; r += x->members; }
            fprintf(f, ",\"wage_cents\":%" PRId64 ",\"operating_cents\":%" PRId64 ",\"operating_cost_cents\":%" PRId64
                       ",\"property_cents\":%" PRId64 ",\"transfer_cents\":%" PRId64 ",\"net_cents\":%" PRId64
                       ",\"income_pc_cents_floor\":%" PRId64 ",\"income_pc_remainder\":%" PRId64
                       ",\"below_line\":%s,\"short_cents\":%" PRId64 ",\"short_per_person_cents\":%" PRId64,
                    x->comp[0], x->comp[1], x->comp[2], x->comp[3], x->comp[4], x->net, q, r,
                    (i128)x->net < ln ? "true" : "false", (i128)x->net < ln ? (int64_t)(ln - x->net) : 0,
                    (i128)x->net < ln ? (int64_t)((ln - x->net + x->members - 1) / x->members) : 0);
        }
        fputc('}', f);
    }
    fputs(",\"assessment\":{", f);
    json_kv(f, "code", x->assessment, 1);
    fprintf(f, "\"exit_ready\":%s,", x->ready ? "true" : "false");
    json_kv(f, "text", assessment_words(x), 0);
    fputs("},\"to_pass\":[", f);
    n = to_pass(x, fa, sizeof fa / sizeof fa[0]);
    for (i = 0; i < n; i++) {
        fputs(i ? ",{" : "{", f);
        json_kv(f, "what", fa[i].label, 1);
        json_kv(f, "text", fa[i].value, 0);
        fputc('}', f);
    }
    fputs("],\"history\":{", f);
    {
        static const char *const states[] = { "ok", "no_quarter", "other_run", "no_previous", "not_in_history" };
        const hs_result *r = &x->hs;
        history_line(x, o, sizeof o);
        json_kv(f, "file", history_file(x), 1);
        json_kv(f, "state", x->hs_note[0] ? "unreadable" : x->hs_state < 0 ? "none" : states[x->hs_state], 1);
        json_kv(f, "text", o, 1);
        json_kv(f, "regions", x->hs_state >= 0 && r->regions[0] ? r->regions : NULL, 1);
        json_kv(f, "previous", x->hs_state == HS_OK ? r->prev : NULL, 1);
        json_kv(f, "current", x->hs_state >= 0 ? r->cur : NULL, 1);
        json_kv(f, "quarters_read", x->hs_state == HS_OK ? r->read : NULL, 1);
        fprintf(f, "\"transfers_known\":%s,\"signals\":[", x->hs_state == HS_OK && r->transfers_known ? "true" : "false");
        for (i = 0; x->hs_state == HS_OK && i < r->nsig; i++) {
            const hs_signal *g = &r->sig[i];
            fputs(i ? ",{" : "{", f);
            json_kv(f, "code", sig_table[g->code].code, 1);
            json_kv(f, "words", sig_table[g->code].en, 1);
            json_kv(f, "words_zh", sig_table[g->code].zh, 1);
            json_kv(f, "quarters", g->quarters, 1);
            json_kv(f, "role", g->code == SIG_TRANSFER_SHIFT ? (g->role ? "donor" : "recipient") : "household", 1);
            json_kv(f, "other_households", g->others, 1);
            json_kv(f, "evidence", g->evidence, 1);
            json_kv(f, "evidence_zh", g->evidence_zh, 0);
            fputc('}', f);
        }
        fputs("],\"monitoring\":", f);
        if (x->hs_state != HS_OK) {
            fputs("null", f);
        } else {
            fputc('{', f);
            json_kv(f, "category", r->mon == MON_NONE ? NULL : mon_names[r->mon], 1);
            json_kv(f, "category_zh", r->mon == MON_NONE ? NULL : mon_names_zh[r->mon], 1);
            json_kv(f, "reasons", r->mon == MON_NONE ? "" : r->mon_reasons, 1);
            json_kv(f, "monitor_line", r->mon_line, 1);
            json_kv(f, "basis", r->mon_basis, 1);
            json_kv(f, "basis_zh", r->mon_basis_zh, 0);
            fputc('}', f);
        }
    }
    fputs("}}\n", f);
}

/* ---- HTML: the household card ---- */

static void h(FILE *f, const char *s) { html_esc(f, s); }

/* A field in a cell: the raw text (and the mapped value when the mapping
 * changed it), then the parsed value in grey. */
static void html_cell(const ex *x, FILE *f, const ex_field *fl)
{
    fputs("<code>", f);
    h(f, fl->raw[0] ? fl->raw : "\xe2\x80\x94");
    fputs("</code>", f);
    if (strcmp(fl->raw, fl->mapped)) {
        fputs(" → <code>", f);
        h(f, fl->mapped);
        fputs("</code>", f);
    }
    /* short where the card is narrow: a masked birth date's parsed value
     * is its year again (the heading says so), an ID's its validity */
    if (fl->col == COL_BIRTH_DATE && !x->reveal) return;
    if (fl->col >= 0 && strcmp(fl->parsed, fl->mapped)) {
        fputs(" <span class=\"p\">", f);
        if (fl->col == COL_PERSON_ID)
            h(f, strstr(fl->parsed, T("not ", "不是")) ? T("not a valid ID", "无效号码") : T("valid ID", "有效号码"));
        else
            h(f, fl->parsed);
        fputs("</span>", f);
    }
}

static void put_html(ex *x, FILE *f, int rejected)
{
    size_t i, j, n;
    fact fa[32];
    char o[2048];
    fprintf(f, "<!DOCTYPE html>\n<html lang=\"%s\"><head><meta charset=\"utf-8\"><title>", x->zh ? "zh" : "en");
    fputs(T("Household card ", "明白卡 "), f);
    h(f, x->hid);
    fputs("</title>\n<style>\n"
          "@page{size:A4;margin:10mm}\n"
          "body{font:8pt/1.25 \"Noto Sans CJK SC\",\"Noto Sans\",sans-serif;margin:0;color:#111}\n"
          "h1{font-size:13pt;margin:0 0 2pt}h2{font-size:9.5pt;margin:5pt 0 2pt;border-bottom:1px solid #444}\n"
          "table{border-collapse:collapse;width:100%}td,th{border:1px solid #bbb;padding:0 3pt;vertical-align:top;text-align:left}\n"
          "th{background:#eee}.fail{color:#a00;font-weight:bold}.warn{color:#850}.ok{color:#060;font-weight:bold}\n"
          ".meta{color:#444}.small{font-size:7pt}.p{color:#555}code{font:inherit;background:#f4f4f4}\n"
          "</style></head><body>\n<h1>", f);
    fputs(T("Household card (明白卡) ", "明白卡 "), f);
    h(f, x->hid);
    fputs("</h1>\n<p class=\"meta\">", f);
    fprintf(f, x->zh ? "%s 季度（截至 %s）· 输入 " : "quarter %s (as of %s) · input ", x->quarter, x->as_of);
    h(f, x->input);
    fprintf(f, " · SHA-256 %.16s… · ", x->sha);
    h(f, x->standard);
    fputs("</p>\n", f);
    if (other_lang(x))
        fprintf(f, "<p class=\"meta small\">%s</p>\n",
                T("The details of findings and rejected rows are quoted as the run wrote them, in Chinese "
                  "(tuopin run --lang en writes them in English).",
                  "问题说明和拒收说明按运行时写出的原文引用，为英文（tuopin run --lang zh 则写成中文）。"));
    if (rejected) {
        fputs("<h2>", f);
        fputs(T("Rejected: not evaluated", "已拒收：未参加评估"), f);
        fputs("</h2><table><tr><th>", f);
        fputs(T("line</th><th>code</th><th>why</th><th>raw</th></tr>", "行</th><th>代码</th><th>原因</th><th>原文</th></tr>"), f);
        for (i = 0; i < x->nrj; i++) {
            fprintf(f, "<tr><td>%lld</td><td>", x->rj[i].line);
            h(f, x->rj[i].code);
            fputs("</td><td>", f);
            h(f, x->rj[i].detail);
            fputs("</td><td class=\"small\">", f);
            h(f, x->rj[i].raw);
            fputs("</td></tr>\n", f);
        }
        fputs("</table></body></html>\n", f);
        return;
    }
    fputs("<h2>", f);
    fputs(T("Verdict", "结论"), f);
    fprintf(f, "</h2><p><span class=\"%s\">", x->ready ? "ok" : "fail");
    h(f, x->assessment);
    fputs("</span> — ", f);
    h(f, assessment_words(x));
    fprintf(f, x->zh ? "。区划 %s，%lld 人，输入第 %lld 行起。</p>\n" : ". Region %s, %lld members, from line %lld of the input.</p>\n",
            x->region, x->members, x->line);
    fputs("<h2>", f);
    fputs(T("To pass", "达标还差什么"), f);
    fputs("</h2><ul>", f);
    n = to_pass(x, fa, sizeof fa / sizeof fa[0]);
    for (i = 0; i < n; i++) {
        fputs("<li><b>", f);
        h(f, fa[i].label);
        fputs("</b>: ", f);
        h(f, fa[i].value);
        fputs("</li>", f);
    }
    fputs("</ul>\n<h2>", f);
    fputs(T("Income (standard 3.1), exact", "收入（标准 3.1），精确计算"), f);
    fputs("</h2><table>", f);
    if (x->income_ran) {
        n = income_facts(x, fa, sizeof fa / sizeof fa[0]);
        for (i = 0; i < n; i++) {
            fputs("<tr><td>", f);
            h(f, fa[i].label);
            fputs("</td><td>", f);
            h(f, fa[i].value);
            fputs("</td></tr>", f);
        }
    }
    fputs("</table>\n<h2>", f);
    fputs(T("Stages: rule, parameters (origin), findings", "检查环节：规则、参数（来源）、发现项"), f);
    fputs("</h2><table>", f);
    for (i = 0; i < x->nst; i++) {
        const ex_param *pv[64];
        stage_params_of(x, x->stages[i], pv, &n);
        fprintf(f, "<tr><td><b>%zu. ", i + 1);
        h(f, x->stages[i]);
        fputs("</b></td><td>", f);
        h(f, rule_words(x, x->stages[i]));
        /* the parameters run on in one paragraph, ';' between them */
        for (j = 0; j < n && j < 64; j++) {
            origin_words(x, pv[j], o, sizeof o);
            fputs(j ? "; " : "<br><span class=\"small\">", f);
            h(f, pv[j]->name);
            fputs(" = ", f);
            h(f, pv[j]->value);
            fputs(" ← ", f);
            h(f, o);
        }
        if (n) fputs("</span>", f);
        for (j = 0, n = 0; j < x->nf; j++) {
            const ex_finding *fd = &x->f[j];
            if (strcmp(fd->stage, x->stages[i])) continue;
            n++;
            fprintf(f, "<br><span class=\"%s\">%s ", fd->fail ? "fail" : "warn", fd->fail ? "FAIL" : "WARN");
            h(f, fd->code);
            if (fd->member) fprintf(f, x->zh ? "（第 %lld 名成员）" : " (member %lld)", fd->member);
            fputs("</span>: ", f);
            h(f, fd->detail);
        }
        if (!n) {
            /* on the rule's line: the card stays one page */
            fputs(" <span class=\"ok\">", f);
            fputs(T("passed", "通过"), f);
            fputs("</span>", f);
        }
        fputs("</td></tr>\n", f);
    }
    fputs("</table>\n<h2>", f);
    fputs(T("History signals", "历史信号"), f);
    fputs("</h2><p class=\"small\">", f);
    history_line(x, o, sizeof o);
    h(f, o);
    if (x->hs_state == HS_OK) {
        for (i = 0; i < x->hs.nsig; i++) {
            signal_head(x, &x->hs.sig[i], o, sizeof o);
            fputs("<br><span class=\"fail\">", f);
            h(f, o);
            fputs("</span>: ", f);
            h(f, x->zh ? x->hs.sig[i].evidence_zh : x->hs.sig[i].evidence);
        }
        if (!x->hs.nsig) {
            fputs("<br>", f);
            fputs(T("no pattern signal", "无异常模式信号"), f);
        }
        monitor_text(x, o, sizeof o);
        fputs("<br>", f);
        fputs(T("monitoring: ", "动态监测："), f);
        h(f, o);
    }
    fputs("</p>\n<h2>", f);
    fputs(T("Fields: raw text (→ mapped) → parsed value", "字段：原文（→ 映射后）→ 解析结果"), f);
    if (!x->reveal)
        fputs(T(" (IDs and names masked; birth dates: the year only, no exact age)",
                "（证件号码和姓名已隐去部分；出生日期只显示年份，不显示确切年龄）"), f);
    fputs("</h2><table class=\"small\">", f);
    /* the household's fields, two to a row */
    for (i = 0, n = 0; i < x->nfl; i++) {
        const ex_field *fl = &x->fl[i];
        if (fl->member) continue;
        fputs(n % 2 ? "" : "<tr>", f);
        fputs("<th>", f);
        h(f, col_label(x, fl));
        fputs("</th><td>", f);
        html_cell(x, f, fl);
        fputs(n % 2 ? "</td></tr>\n" : "</td>", f);
        n++;
    }
    if (n % 2) fputs("<td></td><td></td></tr>\n", f);
    fputs("</table>\n<table class=\"small\" style=\"margin-top:3pt\"><tr><th>#</th>", f);
    /* the members: one row each, one column per person-level column */
    for (i = 0; i < x->nfl; i++)
        if (x->fl[i].member == 1) {
            fputs("<th>", f);
            h(f, col_label(x, &x->fl[i]));
            fputs("</th>", f);
        }
    fputs("</tr>", f);
    for (i = 0, j = 0; i < x->nfl; i++) {
        const ex_field *fl = &x->fl[i];
        if (!fl->member) continue;
        if ((int)j != fl->member) {
            fprintf(f, "%s<tr><td>%d</td>", j ? "</tr>\n" : "", fl->member);
            j = (size_t)fl->member;
        }
        fputs("<td>", f);
        html_cell(x, f, fl);
        fputs("</td>", f);
    }
    if (j) fputs("</tr>\n", f);
    fputs("</table></body></html>\n", f);
}

/* ---- the command ------------------------------------------------------------------- */

int explain_main(int argc, char **argv)
{
    ex x;
    int o, rc = 1, kind, merged;
    cmdline cl;
    static const struct option options[] = {
        { "format", required_argument, NULL, 'f' },
        { "history", required_argument, NULL, 'H' },
        { "reveal-ids", no_argument, NULL, 'r' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 }
    };
    memset(&x, 0, sizeof x);
    x.zh = i18n_chinese();
    x.hs_state = -1;
    cmdline_init(&cl, "explain", argc, argv, "h", options);
    while ((o = cmdline_next(&cl)) != CMDLINE_END) {
        switch (o) {
        case 'h': usage(stdout); return 0;
        case 'r': x.reveal = 1; break;
        case 'H': x.history_opt = cl.arg; break;
        case 'f':
            if (!strcmp(cl.arg, "text")) x.fmt = FMT_TEXT;
            else if (!strcmp(cl.arg, "json")) x.fmt = FMT_JSON;
            else if (!strcmp(cl.arg, "html")) x.fmt = FMT_HTML;
            else return cmdline_usage_error(&cl, _("--format %s: give text, json or html"), cl.arg);
            break;
        case CMDLINE_OPERAND:
            if (!x.dir) x.dir = cl.arg;
            else if (!x.hid) x.hid = cl.arg;
            else return cmdline_usage_error(&cl, _("unexpected argument %s"), cl.arg);
            break;
        default: return 2;
        }
    }
    if (!x.dir || !x.hid) return cmdline_usage_error(&cl, _("give a RUN_DIR and a HOUSEHOLD_ID"));
    if (load_run(&x) < 0) goto out;
    merged = sqlite3_table_column_metadata(x.db, NULL, "shard_inputs", "path", NULL, NULL, NULL, NULL, NULL)
             == SQLITE_OK;
    if (!merged && check_input(&x) < 0) goto out;
    kind = load_household(&x);
    if (kind < 0) {
        fail_msg(_("%s: household %s is in neither the evaluated nor the rejected households of this run"),
                 x.dir, x.hid);
        goto out;
    }
    /* a merged run: the input checked is the household's shard's */
    if (merged && ((kind == 1 && shard_input(&x) < 0) || check_input(&x) < 0)) goto out;
    if (kind == 1) {
        income_params(&x);
        if (reread(&x) < 0 || load_history(&x) < 0) goto out;
    }
    if (x.fmt == FMT_JSON) put_json(&x, stdout, kind == 2);
    else if (x.fmt == FMT_HTML) put_html(&x, stdout, kind == 2);
    else put_text(&x, stdout, kind == 2);
    if (fflush(stdout) != 0 || ferror(stdout)) {
        fail_msg(_("standard output: write error"));
        goto out;
    }
    rc = 0;
out:
    sqlite3_close(x.db);
    ex_free(&x);
    return rc;
}
