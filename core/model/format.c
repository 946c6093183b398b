/* format.c — output rows for households.csv, findings.csv, rejects.csv. */
#include "format.h"
#include "i18n.h"
#include "messages.h"
#include "schema.h"
#include "values.h"

#include <stdio.h>
#include <string.h>

const char fmt_households_header[] =
    "household_id,region_code,status,members,income_pc,exit_ready,assessment,fails,warnings\n";
const char fmt_findings_header[] = "household_id,stage,severity,code,member,detail\n";
const char fmt_rejects_header[] = "line,household_id,code,detail,raw\n";

/* Codes of one severity, each once, in stage order then first occurrence. */
static void put_codes(sbuf *b, const hh_eval *e, tp_severity sev, size_t nstages)
{
    size_t s, i, j;
    int first = 1;
    for (s = 0; s < nstages; s++) {
        for (i = 0; i < e->nf; i++) {
            const hh_finding *f = &e->f[i];
            const char *code;
            int dup = 0;
            if (f->sev != sev || (size_t)f->stage != s) continue;
            code = hh_finding_code(e, f);
            /* earlier stages, then earlier findings of this stage */
            for (j = 0; j < e->nf && !dup; j++) {
                const hh_finding *g = &e->f[j];
                if (g->sev == sev && ((size_t)g->stage < s || ((size_t)g->stage == s && j < i)))
                    dup = !strcmp(hh_finding_code(e, g), code);
            }
            if (dup) continue;
            if (!first) sb_chr(b, ';');
            sb_str(b, code);
            first = 0;
        }
    }
}

void fmt_household(sbuf *hh, sbuf *fd, const hh_eval *e, hh_assessment a, int exit_ready,
                   int income_stage, const char *const *stage_names, size_t nstages)
{
    const tp_household *h = &e->view;
    size_t s, i;
    char pc[32];

    sb_csv_text_str(hh, h->household_id);
    sb_chr(hh, ',');
    sb_str(hh, h->region_code);
    sb_chr(hh, ',');
    sb_str(hh, val_status_name(h->status));
    sb_chr(hh, ',');
    sb_u64(hh, h->n_members);
    sb_chr(hh, ',');
    if (income_stage >= 0 && e->income_ok) {
        val_format_cents(val_div_round(e->net, (int64_t)h->n_members), pc);
        sb_str(hh, pc);
    }
    sb_str(hh, exit_ready ? ",yes," : ",no,");
    sb_str(hh, hh_assessment_name(a));
    sb_chr(hh, ',');
    put_codes(hh, e, TP_FAIL, nstages);
    sb_chr(hh, ',');
    put_codes(hh, e, TP_WARN, nstages);
    sb_chr(hh, '\n');

    for (s = 0; s < nstages; s++) {
        for (i = 0; i < e->nf; i++) {
            const hh_finding *f = &e->f[i];
            if ((size_t)f->stage != s) continue;
            sb_csv_text_str(fd, h->household_id);
            sb_chr(fd, ',');
            sb_csv_text_str(fd, stage_names[s]);
            sb_str(fd, f->sev == TP_FAIL ? ",fail," : ",warn,");
            sb_csv_text_str(fd, hh_finding_code(e, f));
            sb_chr(fd, ',');
            if (f->member) sb_u64(fd, f->member);
            sb_chr(fd, ',');
            sb_csv_text_str(fd, hh_finding_detail(e, f));
            sb_chr(fd, '\n');
        }
    }
}

/* The household's faulty rows, for its other rows' HOUSEHOLD_INCOMPLETE: the
 * first of them (by line), and how many there are. */
static const blk_row *first_faulty(const block *b, size_t *n)
{
    const blk_row *first = NULL;
    size_t r;
    *n = 0;
    for (r = 0; r < b->nrows; r++) {
        const blk_row *x = &b->rows[r];
        if (!x->code || !strcmp(x->code, "HOUSEHOLD_INCOMPLETE")) continue;
        if (!first || x->line < first->line) first = x;
        ++*n;
    }
    return first;
}

void fmt_reject_detail(char *buf, size_t len, const block *b, size_t r, const blk_verdict *v,
                       size_t header_fields)
{
    const blk_row *row = &b->rows[r], *bad;
    const char *code = row->code;
    size_t nbad;
    if (!strcmp(code, "ROW_UNTERMINATED_QUOTE") && row->unterminated == CSV_UNTERM_STRAY)
        snprintf(buf, len, _("stray quote: a quote opened on this line is not closed on it, and a "
                             "later line reads as a whole row; this line alone is rejected"));
    else if (!strcmp(code, "ROW_UNTERMINATED_QUOTE"))
        snprintf(buf, len, _("a quoted field runs to the end of the file"));
    else if (!strcmp(code, "ROW_ENCODING") && !(row->bad_encoding & CSV_TEXT_INVALID))
        snprintf(buf, len, _("the record holds a NUL byte or a byte-order mark"));
    else if (!strcmp(code, "ROW_ENCODING"))
        snprintf(buf, len, _("the record's bytes are not valid in the input's encoding"));
    else if (!strcmp(code, "ROW_FIELD_COUNT"))
        snprintf(buf, len, _("the record has %zu fields, the header %zu"),
                 row->nfields, header_fields);
    else if (!strcmp(code, "HOUSEHOLD_INCOMPLETE") && (bad = first_faulty(b, &nbad)) && nbad > 1)
        /* the line at fault, not another row's reason (issue 17.9) */
        snprintf(buf, len, _("household rejected: line %ld is faulty (%s), and %zu more of its lines"),
                 bad->line, bad->code, nbad - 1);
    else if (!strcmp(code, "HOUSEHOLD_INCOMPLETE") && bad)
        snprintf(buf, len, _("household rejected: line %ld is faulty (%s)"), bad->line, bad->code);
    else if (!strcmp(code, "HOUSEHOLD_INCOMPLETE"))
        snprintf(buf, len, _("another row of the household is faulty"));
    else if (!strcmp(code, "BAD_HOUSEHOLD_ID") && v->column == COL_HOUSEHOLD_ID)
        snprintf(buf, len, _("household_id holds a control character or a byte-order mark"));
    else if (!strcmp(code, "BAD_HOUSEHOLD_ID"))
        snprintf(buf, len, _("household_id is blank"));
    else if (!strcmp(code, "HOUSEHOLD_SPLIT"))
        snprintf(buf, len, _("the household id already belongs to an earlier block: the household's rows are not together"));
    else if (!strcmp(code, "BAD_REGION"))
        snprintf(buf, len, _("region_code is not a valid 12-digit code"));
    else if (!strcmp(code, "BAD_STATUS"))
        snprintf(buf, len, _("status is not poor, exited or general"));
    else if (!strcmp(code, "HOUSEHOLD_INCONSISTENT") && v->column >= 0)
        snprintf(buf, len, _("household column %s (%s) differs between the household's rows"),
                 msg_column_label(schema_columns[v->column].name), schema_columns[v->column].name);
    else
        snprintf(buf, len, "%s", code);
}

/* The raw record with invalid UTF-8 bytes, NUL bytes and byte-order marks
 * escaped as \xNN. */
static void put_raw(sbuf *b, const char *s, size_t n, int bad_encoding)
{
    sbuf tmp = { NULL, 0, 0, 0 };
    size_t i;
    if (!bad_encoding) {
        sb_csv_text(b, s, n);
        return;
    }
    for (i = 0; i < n; ) {
        size_t k = 1;
        unsigned char c = (unsigned char)s[i];
        if (c == 0) {
            k = 0;
        } else if (c >= 0x80) {
            k = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : 2;
            if (i + k > n || !csv_utf8_valid(s + i, k)) k = 0;
            else if (k == 3 && !memcmp(s + i, "\xEF\xBB\xBF", 3)) {
                sb_put(&tmp, "\\xEF\\xBB\\xBF", 12);
                i += 3;
                continue;
            }
        }
        if (k) {
            sb_put(&tmp, s + i, k);
            i += k;
        } else {
            char esc[5];
            snprintf(esc, sizeof esc, "\\x%02X", c);
            sb_put(&tmp, esc, 4);
            i++;
        }
    }
    sb_csv_text(b, tmp.p ? tmp.p : "", tmp.n);
    sb_free(&tmp);
}

void fmt_rejects(sbuf *rj, const block *b, const blk_verdict *v, size_t header_fields)
{
    size_t r;
    char detail[512];
    for (r = 0; r < b->nrows; r++) {
        const blk_row *row = &b->rows[r];
        fmt_reject_detail(detail, sizeof detail, b, r, v, header_fields);
        sb_u64(rj, (unsigned long long)row->line);
        sb_chr(rj, ',');
        /* The id of a ROW_ENCODING block may hold the bad bytes too. */
        put_raw(rj, block_hid(b), strlen(block_hid(b)), !csv_utf8_valid(block_hid(b), strlen(block_hid(b))));
        sb_chr(rj, ',');
        sb_str(rj, row->code);
        sb_chr(rj, ',');
        sb_csv_text_str(rj, detail);
        sb_chr(rj, ',');
        put_raw(rj, b->arena + row->raw_off, row->raw_len, row->bad_encoding);
        sb_chr(rj, '\n');
    }
}
