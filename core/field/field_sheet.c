/* field_sheet.c — the field teams' workbooks.  One sheet lists the sampled
 * households' person rows as the registry has them, under the standard's
 * Chinese column names, so that the sheet, corrected on site and saved as
 * CSV, is a field file `tuopin estimate` reads like any input; one lists
 * the reserves; one says what the sample is.  Resident IDs and names are
 * masked as in every report; a blank birth date is filled from the ID
 * before it is masked, so that ages stay known. */
#define _POSIX_C_SOURCE 200809L
#include "field_sheet.h"
#include "i18n.h"
#include "inspect.h"
#include "sbuf.h"
#include "source.h"
#include "values.h"

#include <xlsxwriter.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void fs_rows_free(fs_rows *r)
{
    free(r->text);
    free(r->row);
    memset(r, 0, sizeof *r);
}

static int put_text(fs_rows *r, const char *s)
{
    size_t n = strlen(s) + 1;
    if (r->ntext + n > r->captext) {
        size_t nc = r->captext ? 2 * r->captext : 65536;
        char *p;
        while (nc < r->ntext + n) nc *= 2;
        if (!(p = realloc(r->text, nc))) return -1;
        r->text = p;
        r->captext = nc;
    }
    memcpy(r->text + r->ntext, s, n);
    r->ntext += n;
    return 0;
}

typedef struct id_ref { const char *id; uint32_t unit; } id_ref;

static int ref_cmp(const void *a, const void *b)
{
    return strcmp(((const id_ref *)a)->id, ((const id_ref *)b)->id);
}

/* The value shown for canonical column c: IDs and names masked, yes/no and
 * status in the Chinese words of the drop-down lists, a blank birth date
 * taken from the ID. */
static void shown(int c, const char *v, const char *pid, char *out, size_t len)
{
    tp_status st;
    if (c == COL_BIRTH_DATE && !*v && strlen(pid) == 18) {
        int k, ok = 1;
        for (k = 6; k < 14; k++) ok &= pid[k] >= '0' && pid[k] <= '9';
        if (ok) {
            snprintf(out, len, "%.4s-%.2s-%.2s", pid + 6, pid + 10, pid + 12);
            return;
        }
    }
    switch (c) {
    case COL_PERSON_ID: case COL_NAME:
        inspect_mask(schema_columns[c].name, c, v, out, len);
        return;
    case COL_STATUS:
        if (val_status(v, &st) == 0) {
            snprintf(out, len, "%s", st == TP_STATUS_POOR ? "贫困户" : st == TP_STATUS_EXITED ? "已脱贫" : "一般户");
            return;
        }
        break;
    case COL_FOOD_CLOTHING_SECURE: case COL_HOUSING_FIXED: case COL_WATER_SAFE:
    case COL_SATISFIED: case COL_MEDICAL_INSURED: {
        tp_yesno y = val_yesno(v);
        if (y.state == TP_OK) {
            snprintf(out, len, "%s", y.value ? "是" : "否");
            return;
        }
        break;
    }
    default:
        break;
    }
    snprintf(out, len, "%s", v);
}

int fs_collect(const run_config *cfg, const char *want_sha, const fd_frame *f, const fd_design *d,
               fs_rows *rows, char *err, size_t errlen)
{
    source *src;
    csv_record rec;
    schema_map map;
    size_t i, nref = d->nunits + d->nreserves;
    id_ref *refs = NULL;
    unsigned char *state = NULL;     /* per unit: 0 unseen, 1 reading, 2 done */
    char msg[512], sha[65], val[512], prev[256] = "";
    long cur = -1;
    int rc = -1, step, c;

    memset(rows, 0, sizeof *rows);
    memset(&map, 0, sizeof map);
    if (!(src = source_open(cfg, msg, sizeof msg))) {
        snprintf(err, errlen, "%s", msg);
        return -1;
    }
    if (!(refs = malloc((nref ? nref : 1) * sizeof *refs)) || !(state = calloc(nref ? nref : 1, 1))) goto oom;
    for (i = 0; i < nref; i++) {
        const fd_unit *u = i < d->nunits ? &d->units[i] : &d->reserves[i - d->nunits];
        refs[i].id = f->h[u->hh].id;
        refs[i].unit = (uint32_t)i;
    }
    if (nref > 1) qsort(refs, nref, sizeof *refs, ref_cmp);
    if ((step = source_next(src, &rec)) <= 0) {
        snprintf(err, errlen, "%s: %s", source_name(src), step < 0 ? source_error(src) : _("no header: the file is empty"));
        goto out;
    }
    if (schema_map_fields(&map, rec.fields, rec.nfields, msg, sizeof msg) < 0) {
        snprintf(err, errlen, "%s: %s", source_name(src), msg);
        goto out;
    }
    for (c = 0; c < COL_COUNT; c++) rows->have[c] = map.pos[c] >= 0;
    while ((step = source_next(src, &rec)) > 0) {
        const csv_field *hid;
        if (rec.nfields != map.ncols || rec.unterminated || rec.bad_encoding || map.pos[COL_HOUSEHOLD_ID] < 0)
            continue;
        hid = &rec.fields[map.pos[COL_HOUSEHOLD_ID]];
        if (hid->n >= sizeof prev) continue;
        if (strcmp(prev, hid->p)) {
            id_ref key, *hit;
            if (cur >= 0) state[cur] = 2;
            cur = -1;
            memcpy(prev, hid->p, hid->n + 1);
            key.id = prev;
            hit = bsearch(&key, refs, nref, sizeof *refs, ref_cmp);
            if (hit && state[hit->unit] == 0) {
                cur = hit->unit;
                state[cur] = 1;
            }
        }
        if (cur < 0) continue;
        if (mem_grow((void **)&rows->row, &rows->caprows, rows->nrows + 1, sizeof *rows->row) < 0) goto oom;
        rows->row[rows->nrows].unit = (uint32_t)cur;
        rows->row[rows->nrows].off = rows->ntext;
        rows->nrows++;
        for (c = 0; c < COL_COUNT; c++) {
            const char *v = map.pos[c] >= 0 ? rec.fields[map.pos[c]].p : "";
            const char *pid = map.pos[COL_PERSON_ID] >= 0 ? rec.fields[map.pos[COL_PERSON_ID]].p : "";
            /* satisfaction is asked anew on site */
            shown(c, c == COL_SATISFIED ? "" : v, pid, val, sizeof val);
            if (put_text(rows, val) < 0) goto oom;
        }
    }
    if (step < 0) {
        snprintf(err, errlen, "%s: %s", source_name(src), source_error(src));
        goto out;
    }
    source_sha256(src, sha);
    if (want_sha && want_sha[0] && strcmp(sha, want_sha)) {
        snprintf(err, errlen, _("%s: the file changed since the run (its SHA-256 differs from the run's record); "
                 "give the file the run read with --input"), source_name(src));
        goto out;
    }
    rows->read = 1;
    rc = 0;
    goto out;
oom:
    snprintf(err, errlen, _("out of memory"));
out:
    if (rc < 0) fs_rows_free(rows);
    free(refs);
    free(state);
    schema_map_free(&map);
    source_close(src);
    return rc;
}

/* ---- the workbook ----------------------------------------------------------------- */

typedef struct wb {
    lxw_workbook *wb;
    lxw_format *head, *text, *wrap;
} wb;

static const char *const yes_no[] = { "是", "否", NULL };
static const char *const ratings[] = { "A", "B", "C", "D", NULL };
static const char *const statuses[] = { "贫困户", "已脱贫", "一般户", NULL };
static const char *const schools[] = { "学前教育", "小学", "初中", "高中", "中职", "大专", "本科", "送教上门",
                                 "免学", "辍学", "未入学", "非在校生", NULL };

static void list_validation(lxw_worksheet *ws, lxw_row_t last, lxw_col_t col, const char *const *list)
{
    lxw_data_validation dv;
    memset(&dv, 0, sizeof dv);
    dv.validate = LXW_VALIDATION_TYPE_LIST;
    dv.value_list = (char **)(uintptr_t)list;
    dv.show_error = LXW_VALIDATION_ON;
    dv.error_type = LXW_VALIDATION_ERROR_TYPE_WARNING;
    worksheet_data_validation_range(ws, 1, col, last, col, &dv);
}

/* Extra columns before the standard's: where the household was drawn. */
enum { X_VILLAGE, X_DOMAIN, X_RANK, X_N };
_Static_assert(X_N == FS_XN, "the households sheet's extra columns");
static const char *const x_head[X_N] = { "抽样村", "抽样类别", "替补顺序" };
static const char notes_head[] = "核查备注";

const char *fs_head(size_t col)
{
    if (col < X_N) return x_head[col];
    if (col < X_N + COL_COUNT) return schema_columns[col - X_N].zh;
    return col == X_N + COL_COUNT ? notes_head : NULL;
}

const char *const *fs_list(size_t col)
{
    switch ((int)col - X_N) {
    case COL_STATUS: return statuses;
    case COL_FOOD_CLOTHING_SECURE: case COL_HOUSING_FIXED: case COL_WATER_SAFE: case COL_SATISFIED:
    case COL_MEDICAL_INSURED: return yes_no;
    case COL_HOUSING_RATING: return ratings;
    case COL_SCHOOL_STATUS: return schools;
    default: return NULL;
    }
}

static const char *domain_zh(int dom) { return dom == FD_REGISTERED ? "建档立卡户" : "一般户"; }

/* One sheet of households: the sampled (reserve 0) or the reserves. */
static void sheet_households(wb *x, const char *title, int reserve, const fd_frame *f, const fd_design *d,
                             size_t ci, const fs_rows *rows, const uint32_t *first, const uint32_t *count)
{
    lxw_worksheet *ws = workbook_add_worksheet(x->wb, title);
    const fd_county *c = &d->counties[ci];
    size_t i, k, nunits = reserve ? d->nreserves : d->nunits;
    lxw_row_t r = 1;
    int col;

    worksheet_freeze_panes(ws, 1, X_N + 1);
    for (col = 0; col < X_N; col++) worksheet_write_string(ws, 0, (lxw_col_t)col, x_head[col], x->head);
    for (col = 0; col < COL_COUNT; col++)
        worksheet_write_string(ws, 0, (lxw_col_t)(X_N + col), schema_columns[col].zh, x->head);
    worksheet_write_string(ws, 0, X_N + COL_COUNT, notes_head, x->head);
    worksheet_set_column(ws, 0, X_N + COL_COUNT, 13, x->text);
    for (i = 0; i < nunits; i++) {
        const fd_unit *u = reserve ? &d->reserves[i] : &d->units[i];
        const fd_village *v = &d->villages[u->village];
        const fd_household *h = &f->h[u->hh];
        uint32_t unit = (uint32_t)(reserve ? d->nunits + i : i);
        if (v->county != ci) continue;
        if (rows->read && count[unit]) {
            for (k = first[unit]; k < first[unit] + count[unit]; k++) {
                const char *t = rows->text + rows->row[k].off;
                worksheet_write_string(ws, r, X_VILLAGE, v->code, x->text);
                worksheet_write_string(ws, r, X_DOMAIN, domain_zh(u->domain), NULL);
                if (reserve) worksheet_write_number(ws, r, X_RANK, u->rank, NULL);
                for (col = 0; col < COL_COUNT; col++) {
                    if (*t) worksheet_write_string(ws, r, (lxw_col_t)(X_N + col), t, x->text);
                    t += strlen(t) + 1;
                }
                r++;
            }
        } else {
            /* the registry's rows were not read: the household alone */
            char st[16];
            worksheet_write_string(ws, r, X_VILLAGE, v->code, x->text);
            worksheet_write_string(ws, r, X_DOMAIN, domain_zh(u->domain), NULL);
            if (reserve) worksheet_write_number(ws, r, X_RANK, u->rank, NULL);
            worksheet_write_string(ws, r, X_N + COL_HOUSEHOLD_ID, h->id, x->text);
            worksheet_write_string(ws, r, X_N + COL_REGION_CODE, h->region, x->text);
            shown(COL_STATUS, val_status_name((tp_status)h->status), "", st, sizeof st);
            worksheet_write_string(ws, r, X_N + COL_STATUS, st, NULL);
            r++;
        }
    }
    (void)c;
    /* room for members found on site */
    {
        lxw_row_t last = r + 200;
        list_validation(ws, last, X_N + COL_STATUS, statuses);
        list_validation(ws, last, X_N + COL_FOOD_CLOTHING_SECURE, yes_no);
        list_validation(ws, last, X_N + COL_HOUSING_RATING, ratings);
        list_validation(ws, last, X_N + COL_HOUSING_FIXED, yes_no);
        list_validation(ws, last, X_N + COL_WATER_SAFE, yes_no);
        list_validation(ws, last, X_N + COL_SATISFIED, yes_no);
        list_validation(ws, last, X_N + COL_SCHOOL_STATUS, schools);
        list_validation(ws, last, X_N + COL_MEDICAL_INSURED, yes_no);
    }
}

static void sheet_about(wb *x, const fd_frame *f, const fd_design *d, size_t ci, const char *const *info,
                        size_t ninfo)
{
    lxw_worksheet *ws = workbook_add_worksheet(x->wb, FS_SHEET_ABOUT);
    const fd_county *c = &d->counties[ci];
    lxw_row_t r = 0;
    size_t i;
    char num[32];
    (void)f;
    worksheet_set_column(ws, 0, 0, 28, NULL);
    worksheet_set_column(ws, 1, 1, 90, x->wrap);
    worksheet_write_string(ws, r, 0, FS_ABOUT_COUNTY, x->head);
    worksheet_write_string(ws, r++, 1, c->code, x->text);
    snprintf(num, sizeof num, "%u / %u", (unsigned)c->m, (unsigned)c->M);
    worksheet_write_string(ws, r, 0, "抽中村/村数 villages drawn", x->head);
    worksheet_write_string(ws, r++, 1, num, NULL);
    for (i = 0; i + 1 < 2 * ninfo; i += 2) {
        worksheet_write_string(ws, r, 0, info[i], x->head);
        worksheet_write_string(ws, r++, 1, info[i + 1], x->text);
    }
    r++;
    worksheet_write_string(ws, r++, 1,
        "请逐户核实“样本户”表中的每一行：按实地情况更正各列（收入、住房、饮水、在校、医保等），"
        "新增或减少的家庭成员请增删行，同户各行的户级列须一致；“群众认可”一列当场询问后填写“是”或“否”。"
        "无法走访的样本户，按“替补”表中同村同类别的替补顺序依次替换，并将替补户的行复制到“样本户”表。"
        "填完后将本工作簿（或另存为 CSV 的“样本户”表，UTF-8 或 GB18030）交 tuopin estimate 读取；请勿改动表头。", NULL);
    worksheet_write_string(ws, r++, 1,
        "Check every row of the households sheet on site: correct any column to what you find (incomes, "
        "housing, water, schooling, insurance…), add or delete rows for members found or gone, keep the "
        "household columns equal on a household's rows, and ask the satisfaction question anew (是/否). "
        "A sampled household that cannot be visited is replaced by the reserves of the same village and "
        "category, in their order: copy the reserve's rows into the households sheet. Give this workbook "
        "(or the households sheet saved as CSV, UTF-8 or GB18030) to tuopin estimate; do not edit the header.",
        NULL);
    worksheet_write_string(ws, r++, 1,
        "证件号码和姓名已遮蔽；出生日期为空时已按证件号码填写。 IDs and names are masked; a blank birth "
        "date was filled from the ID.", NULL);
}

int fs_write_county(out_file *o, const fd_frame *f, const fd_design *d, size_t ci, const fs_rows *rows,
                    const char *const *info, size_t ninfo, char *err, size_t errlen)
{
    lxw_workbook_options opt;
    size_t nref = d->nunits + d->nreserves, k;
    uint32_t *first = NULL, *count = NULL;
    lxw_error le;
    wb x;

    if (!(first = calloc(nref ? nref : 1, sizeof *first)) || !(count = calloc(nref ? nref : 1, sizeof *count))) {
        free(first);
        snprintf(err, errlen, _("out of memory"));
        return -1;
    }
    for (k = rows->nrows; k-- > 0;) {
        first[rows->row[k].unit] = (uint32_t)k;
        count[rows->row[k].unit]++;
    }
    memset(&opt, 0, sizeof opt);
    memset(&x, 0, sizeof x);
    /* out_open made the owner-only temporary file; libxlsxwriter rewrites it
     * in place (same inode, same mode 0600) and the caller renames it. */
    x.wb = workbook_new_opt(o->tmp_path, &opt);
    if (!x.wb) {
        free(first);
        free(count);
        snprintf(err, errlen, _("%s: cannot start the workbook"), o->final_path);
        return -1;
    }
    x.head = workbook_add_format(x.wb);
    format_set_bold(x.head);
    format_set_bg_color(x.head, 0xEEEEEE);
    x.text = workbook_add_format(x.wb);
    format_set_num_format(x.text, "@");
    x.wrap = workbook_add_format(x.wb);
    format_set_text_wrap(x.wrap);
    sheet_households(&x, FS_SHEET_HOUSEHOLDS, 0, f, d, ci, rows, first, count);
    sheet_households(&x, FS_SHEET_RESERVE, 1, f, d, ci, rows, first, count);
    sheet_about(&x, f, d, ci, info, ninfo);
    le = workbook_close(x.wb);
    free(first);
    free(count);
    if (le != LXW_NO_ERROR) {
        snprintf(err, errlen, _("%s: cannot write: %s"), o->final_path, lxw_strerror(le));
        return -1;
    }
    return 0;
}
