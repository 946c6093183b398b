/* pgsource.c — PostgreSQL rows as records, through libpq in single-row
 * mode; and the check that a query orders its rows. */
#define _POSIX_C_SOURCE 200809L
#include "config.h"
#include "pgsource.h"
#include "i18n.h"
#include "sbuf.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ---- ORDER BY at the top level ------------------------------------------------ */

static int word_is(const char *w, size_t n, const char *lit)
{
    return strlen(lit) == n && !strncasecmp(w, lit, n);
}

/* The index just past the quoted text opening at q[i] (' or "): its quote
 * doubled stands for itself, and with esc a backslash escapes the next byte
 * (E'...'). */
static size_t skip_quoted(const char *q, size_t n, size_t i, int esc)
{
    char quote = q[i++];
    while (i < n) {
        if (esc && q[i] == '\\' && i + 1 < n) { i += 2; continue; }
        if (q[i] == quote) {
            if (q[i + 1] == quote) { i += 2; continue; }
            break;
        }
        i++;
    }
    return i + 1;
}

int pgsrc_query_ordered(const char *q)
{
    size_t i = 0, n = strlen(q), pw = 0, pwlen = 0;
    int depth = 0, found = 0;
    while (i < n) {
        unsigned char c = (unsigned char)q[i];
        if (c == '-' && q[i + 1] == '-') {                 /* -- comment */
            while (i < n && q[i] != '\n') i++;
        } else if (c == '/' && q[i + 1] == '*') {          /* nested block comments */
            int d = 1;
            i += 2;
            while (i < n && d > 0) {
                if (q[i] == '/' && q[i + 1] == '*') { d++; i += 2; }
                else if (q[i] == '*' && q[i + 1] == '/') { d--; i += 2; }
                else i++;
            }
        } else if (c == '\'') {                            /* 'literal', E'lit\'eral' */
            i = skip_quoted(q, n, i, i > 0 && (q[i - 1] == 'E' || q[i - 1] == 'e'));
            pwlen = 0;
        } else if (c == '"') {                             /* "quoted name" */
            i = skip_quoted(q, n, i, 0);
            pwlen = 0;
        } else if (c == '$' && (i == 0 || !(isalnum((unsigned char)q[i - 1]) || q[i - 1] == '_'))
                   && !isdigit((unsigned char)q[i + 1])) {  /* $tag$ ... $tag$ */
            size_t t = i + 1, tl;
            const char *end;
            char tag[128];
            while (t < n && (isalnum((unsigned char)q[t]) || q[t] == '_')) t++;
            if (t >= n || q[t] != '$' || t - i + 1 >= sizeof tag) { i++; continue; }
            tl = t - i + 1;
            memcpy(tag, q + i, tl);
            tag[tl] = '\0';
            end = strstr(q + t + 1, tag);
            i = end ? (size_t)(end - q) + tl : n;
            pwlen = 0;
        } else if (c == '(') {
            depth++;
            i++;
            pwlen = 0;
        } else if (c == ')') {
            if (depth > 0) depth--;
            i++;
            pwlen = 0;
        } else if (isalnum(c) || c == '_' || c >= 0x80) {
            size_t w = i;
            while (i < n && (isalnum((unsigned char)q[i]) || q[i] == '_' || (unsigned char)q[i] >= 0x80)) i++;
            if (depth == 0 && pwlen && word_is(q + pw, pwlen, "order") && word_is(q + w, i - w, "by"))
                found = 1;
            pw = w;
            pwlen = i - w;
        } else if (isspace(c)) {
            i++;
        } else {
            i++;
            pwlen = 0;
        }
    }
    return found;
}

#ifdef HAVE_LIBPQ
#include <libpq-fe.h>

#define BOOLOID 16

struct pgsrc {
    PGconn *conn;
    PGresult *res;        /* the current result */
    int row_pending;      /* res holds a row not handed out yet */
    int header_sent, done;
    long row;
    int ncols;
    unsigned char *isbool;
    const char **texts;   /* per column: the current row's text and length */
    size_t *lens;
    char *name;
    char *arena;          /* the record's field texts */
    size_t acap;
    csv_field *fields;
    sbuf raw;             /* the record as a CSV line */
    char err[512];
};

int pgsrc_available(void) { return 1; }

/* The first line of a libpq message. */
/* The server's message, first line only, quiet about people: a quoted value
 * that is not a plain identifier (a column or table name) becomes "…", and a
 * run of 6 or more digits or Xs (an ID number outside quotes) becomes ***:
 * PostgreSQL quotes the offending value ("invalid input syntax for type
 * integer: \"张三\"").  Issue 18 item 6. */
static void first_line(char *dst, size_t len, const char *msg)
{
    size_t n = strcspn(msg ? msg : "", "\n"), i = 0, o = 0;
    if (!len) return;
    while (i < n && o + 8 < len) {
        char c = msg[i];
        if (c == '"') {
            size_t j = i + 1, k;
            int ident = j < n && ((msg[j] >= 'a' && msg[j] <= 'z') || (msg[j] >= 'A' && msg[j] <= 'Z') || msg[j] == '_');
            while (j < n && msg[j] != '"') j++;
            for (k = i + 1; k < j && ident; k++)
                ident = (msg[k] >= 'a' && msg[k] <= 'z') || (msg[k] >= 'A' && msg[k] <= 'Z') || msg[k] == '_'
                        || (msg[k] >= '0' && msg[k] <= '9') || msg[k] == '.';
            if (ident && j < n) {
                size_t w = j + 1 - i;
                if (o + w >= len) break;
                memcpy(dst + o, msg + i, w);
                o += w;
            } else {
                memcpy(dst + o, "\"\xe2\x80\xa6\"", 5);   /* "…" */
                o += 5;
            }
            i = j < n ? j + 1 : n;
        } else if (c >= '0' && c <= '9') {
            size_t j = i;
            while (j < n && ((msg[j] >= '0' && msg[j] <= '9') || msg[j] == 'X' || msg[j] == 'x')) j++;
            if (j - i >= 6) {
                memcpy(dst + o, "***", 3);
                o += 3;
            } else {
                if (o + (j - i) >= len) break;
                memcpy(dst + o, msg + i, j - i);
                o += j - i;
            }
            i = j;
        } else {
            dst[o++] = c;
            i++;
        }
    }
    dst[o] = '\0';
}

static char *safe_name(const char *conninfo)
{
    PQconninfoOption *o = PQconninfoParse(conninfo, NULL), *x;
    char buf[512];
    size_t n;
    n = (size_t)snprintf(buf, sizeof buf, "postgresql");
    if (o) {
        int first = 1;
        for (x = o; x->keyword; x++) {
            if (!x->val || !*x->val) continue;
            if (strcmp(x->keyword, "dbname") && strcmp(x->keyword, "host")
                && strcmp(x->keyword, "port") && strcmp(x->keyword, "user"))
                continue;
            if (n < sizeof buf)
                n += (size_t)snprintf(buf + n, sizeof buf - n, "%s%s=%s", first ? " (" : " ",
                                      x->keyword, x->val);
            first = 0;
        }
        if (!first && n < sizeof buf) snprintf(buf + n, sizeof buf - n, ")");
        PQconninfoFree(o);
    }
    return strdup(buf);
}

static int run(pgsrc *p, const char *sql, char *err, size_t errlen)
{
    PGresult *r = PQexec(p->conn, sql);
    int ok = r && PQresultStatus(r) == PGRES_COMMAND_OK;
    if (!ok) {
        char line[400];
        first_line(line, sizeof line, PQerrorMessage(p->conn));
        snprintf(err, errlen, "%s: %s: %s", p->name, sql, line);
    }
    PQclear(r);
    return ok ? 0 : -1;
}

pgsrc *pgsrc_open(const char *conninfo, const char *query, char *err, size_t errlen)
{
    pgsrc *p;
    char line[400];
    ExecStatusType st;
    if (!pgsrc_query_ordered(query)) {
        snprintf(err, errlen, _("the PostgreSQL query has no ORDER BY: the rows of one household "
                 "must come together, so end it with ORDER BY the household id (and the member "
                 "order)"));
        return NULL;
    }
    p = calloc(1, sizeof *p);
    if (!p || !(p->name = safe_name(conninfo))) {
        free(p);
        snprintf(err, errlen, _("out of memory"));
        return NULL;
    }
    p->conn = PQconnectdb(conninfo);
    if (!p->conn || PQstatus(p->conn) != CONNECTION_OK) {
        first_line(line, sizeof line, p->conn ? PQerrorMessage(p->conn) : _("out of memory"));
        snprintf(err, errlen, _("%s: cannot connect: %s"), p->name, line);
        pgsrc_close(p);
        return NULL;
    }
    if (PQsetClientEncoding(p->conn, "UTF8") != 0) {
        snprintf(err, errlen, _("%s: the server cannot send UTF-8"), p->name);
        pgsrc_close(p);
        return NULL;
    }
    /* Read-only: a query can read the registry, never change it.  The
     * extended protocol of PQsendQueryParams takes one statement only. */
    if (run(p, "BEGIN TRANSACTION READ ONLY", err, errlen) < 0
        || run(p, "SET LOCAL DateStyle = 'ISO, YMD'", err, errlen) < 0) {
        pgsrc_close(p);
        return NULL;
    }
    if (!PQsendQueryParams(p->conn, query, 0, NULL, NULL, NULL, NULL, 0)
        || !PQsetSingleRowMode(p->conn)) {
        first_line(line, sizeof line, PQerrorMessage(p->conn));
        snprintf(err, errlen, _("%s: the query cannot be sent: %s"), p->name, line);
        pgsrc_close(p);
        return NULL;
    }
    /* The first result tells the columns (or the query's error). */
    p->res = PQgetResult(p->conn);
    st = p->res ? PQresultStatus(p->res) : PGRES_FATAL_ERROR;
    if (st != PGRES_SINGLE_TUPLE && st != PGRES_TUPLES_OK) {
        first_line(line, sizeof line, p->res ? PQresultErrorMessage(p->res) : PQerrorMessage(p->conn));
        snprintf(err, errlen, _("%s: the query failed: %s"), p->name,
                 st == PGRES_COMMAND_OK ? "it returns no rows (is it a SELECT?)" : line);
        pgsrc_close(p);
        return NULL;
    }
    p->row_pending = st == PGRES_SINGLE_TUPLE;
    p->ncols = PQnfields(p->res);
    p->isbool = calloc((size_t)p->ncols + 1, 1);
    p->fields = calloc((size_t)p->ncols + 1, sizeof *p->fields);
    p->texts = calloc((size_t)p->ncols + 1, sizeof *p->texts);
    p->lens = calloc((size_t)p->ncols + 1, sizeof *p->lens);
    if (!p->isbool || !p->fields || !p->texts || !p->lens) {
        snprintf(err, errlen, _("out of memory"));
        pgsrc_close(p);
        return NULL;
    }
    {
        int c;
        for (c = 0; c < p->ncols; c++) p->isbool[c] = PQftype(p->res, c) == BOOLOID;
    }
    return p;
}

const char *pgsrc_error(const pgsrc *p) { return p->err; }
const char *pgsrc_name(const pgsrc *p) { return p->name; }

void pgsrc_close(pgsrc *p)
{
    if (!p) return;
    PQclear(p->res);
    /* Closing the connection ends the read-only transaction. */
    if (p->conn) PQfinish(p->conn);
    free(p->isbool);
    free(p->texts);
    free(p->lens);
    free(p->fields);
    free(p->arena);
    sb_free(&p->raw);
    free(p->name);
    free(p);
}

/* Fields from texts (with their lengths) into the arena, trimmed. */
static int make_record(pgsrc *p, const char *const *texts, const size_t *lens, long line,
                       csv_record *rec)
{
    size_t need = 0, off = 0;
    int c;
    for (c = 0; c < p->ncols; c++) need += lens[c] + 1;
    if (mem_grow((void **)&p->arena, &p->acap, need + 1, 1) < 0) return -1;
    for (c = 0; c < p->ncols; c++) {
        const char *s = texts[c];
        size_t n = lens[c];
        while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t')) n--;
        while (n > 0 && (*s == ' ' || *s == '\t')) { s++; n--; }
        memcpy(p->arena + off, s, n);
        p->arena[off + n] = '\0';
        p->fields[c].p = p->arena + off;
        p->fields[c].n = n;
        off += n + 1;
    }
    p->raw.n = 0;
    for (c = 0; c < p->ncols; c++) {
        if (c) sb_chr(&p->raw, ',');
        sb_csv(&p->raw, p->fields[c].p, p->fields[c].n);
    }
    if (!sb_cstr(&p->raw)) return -1;
    memset(rec, 0, sizeof *rec);
    rec->line = line;
    rec->nfields = (size_t)p->ncols;
    rec->fields = p->fields;
    rec->raw = p->raw.p;
    rec->raw_len = p->raw.n;
    rec->bad_encoding = csv_text_check(p->raw.p, p->raw.n);
    return 0;
}

static int row_record(pgsrc *p, csv_record *rec)
{
    int c;
    for (c = 0; c < p->ncols; c++) {
        if (PQgetisnull(p->res, 0, c)) {
            p->texts[c] = "";
            p->lens[c] = 0;
        } else if (p->isbool[c]) {
            int yes = PQgetvalue(p->res, 0, c)[0] == 't';
            p->texts[c] = yes ? "true" : "false";
            p->lens[c] = yes ? 4 : 5;
        } else {
            p->texts[c] = PQgetvalue(p->res, 0, c);
            p->lens[c] = (size_t)PQgetlength(p->res, 0, c);
        }
    }
    p->row++;
    return make_record(p, p->texts, p->lens, p->row + 1, rec);
}

int pgsrc_next(pgsrc *p, csv_record *rec)
{
    if (!p->header_sent) {
        int c;
        for (c = 0; c < p->ncols; c++) {
            p->texts[c] = PQfname(p->res, c);
            p->lens[c] = strlen(p->texts[c]);
        }
        if (make_record(p, p->texts, p->lens, 1, rec) < 0) {
            snprintf(p->err, sizeof p->err, _("out of memory"));
            return -1;
        }
        p->header_sent = 1;
        return 1;
    }
    for (;;) {
        ExecStatusType st;
        if (p->row_pending) {
            p->row_pending = 0;
            if (row_record(p, rec) < 0) { snprintf(p->err, sizeof p->err, _("out of memory")); return -1; }
            return 1;
        }
        if (p->done) return 0;
        PQclear(p->res);
        p->res = PQgetResult(p->conn);
        if (!p->res) {
            p->done = 1;
            return 0;
        }
        st = PQresultStatus(p->res);
        if (st == PGRES_SINGLE_TUPLE) {
            p->row_pending = 1;
        } else if (st != PGRES_TUPLES_OK) {
            char line[400];
            first_line(line, sizeof line, PQresultErrorMessage(p->res));
            snprintf(p->err, sizeof p->err, _("row %ld: %s"), p->row + 1, line);
            return -1;
        }
    }
}

#else /* no libpq */

struct pgsrc { int unused; };

int pgsrc_available(void) { return 0; }

pgsrc *pgsrc_open(const char *conninfo, const char *query, char *err, size_t errlen)
{
    (void)conninfo;
    (void)query;
    snprintf(err, errlen, _("this tuopin was built without PostgreSQL support: install libpq "
             "(Debian: libpq-dev) and run configure again"));
    return NULL;
}

int pgsrc_next(pgsrc *p, csv_record *rec)
{
    (void)p;
    (void)rec;
    return -1;
}

const char *pgsrc_error(const pgsrc *p) { (void)p; return _("no PostgreSQL support"); }
const char *pgsrc_name(const pgsrc *p) { (void)p; return "postgresql"; }
void pgsrc_close(pgsrc *p) { (void)p; }

#endif
