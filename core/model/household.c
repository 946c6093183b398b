/* household.c — typed view of a household, its findings and its verdict. */
#include "household.h"
#include "i18n.h"
#include "messages.h"
#include "rindex.h"
#include "sbuf.h"
#include "values.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const assessment_names[] = {
    "can_exit", "remains_poor", "exit_confirmed", "wrongly_exited",
    "missed", "unverified", "not_poor"
};

const char *hh_assessment_name(hh_assessment a) { return assessment_names[a]; }

void hh_init(hh_eval *e)
{
    memset(e, 0, sizeof *e);
    e->ctx.ev = e;
}

void hh_set_host(hh_eval *e, const tp_host *host) { e->ctx.host = host; }

void hh_free(hh_eval *e)
{
    MEM_RELEASE(e, e->members, e->f, e->text, e->roster);
}

static const char *fld(const hh_eval *e, size_t r, schema_col c)
{
    return block_field(e->blk, r, e->map->pos[c]);
}

int hh_build(hh_eval *e, const block *b, const schema_map *m, int y, int mo, int d)
{
    tp_household *h = &e->view;
    size_t r, n = b->nrows;
    tp_money *comp[5];
    int i;

    e->blk = b;
    e->map = m;
    e->nf = 0;
    e->tlen = 0;
    e->oom = 0;
    e->cur_stage = -1;
    if (n > e->mcap) {
        tp_member *nm = realloc(e->members, n * sizeof *nm);
        if (!nm) return -1;
        e->members = nm;
        e->mcap = n;
    }
    memset(h, 0, sizeof *h);
    h->struct_size = sizeof *h;
    h->ctx = &e->ctx;
    h->member_size = sizeof(tp_member);
    h->household_id = block_hid(b);
    h->region_code = fld(e, 0, COL_REGION_CODE);
    val_status(fld(e, 0, COL_STATUS), &h->status);
    h->wage_income = val_money(fld(e, 0, COL_WAGE_INCOME), 1);
    h->operating_income = val_money(fld(e, 0, COL_OPERATING_INCOME), 1);
    h->operating_cost = val_money(fld(e, 0, COL_OPERATING_COST), 1);
    h->property_income = val_money(fld(e, 0, COL_PROPERTY_INCOME), 1);
    h->transfer_income = val_money(fld(e, 0, COL_TRANSFER_INCOME), 1);
    h->declared_income_pc = val_money(fld(e, 0, COL_DECLARED_INCOME_PC), 0);
    h->food_clothing_secure = val_yesno(fld(e, 0, COL_FOOD_CLOTHING_SECURE));
    h->housing_fixed = val_yesno(fld(e, 0, COL_HOUSING_FIXED));
    h->water_safe = val_yesno(fld(e, 0, COL_WATER_SAFE));
    h->satisfied = val_yesno(fld(e, 0, COL_SATISFIED));
    h->housing_rating = val_rating(fld(e, 0, COL_HOUSING_RATING));

    /* net = wage + operating − cost + property + transfer; blank counts 0. */
    comp[0] = &h->wage_income; comp[1] = &h->operating_income;
    comp[2] = &h->operating_cost; comp[3] = &h->property_income;
    comp[4] = &h->transfer_income;
    e->income_ok = 1;
    e->net = 0;
    for (i = 0; i < 5; i++) {
        if (comp[i]->state == TP_BAD) e->income_ok = 0;
        else if (comp[i]->state == TP_OK) e->net += i == 2 ? -comp[i]->cents : comp[i]->cents;
    }

    for (r = 0; r < n; r++) {
        tp_member *p = &e->members[r];
        const char *bd;
        memset(p, 0, sizeof *p);
        p->person_id = fld(e, r, COL_PERSON_ID);
        p->name = fld(e, r, COL_NAME);
        p->relation = fld(e, r, COL_RELATION);
        p->is_head = ((p->relation[0] | 32) == 'h' && (p->relation[1] | 32) == 'e'
                      && (p->relation[2] | 32) == 'a' && (p->relation[3] | 32) == 'd'
                      && p->relation[4] == '\0')
                     || !strcmp(p->relation, "户主");
        bd = fld(e, r, COL_BIRTH_DATE);
        p->birth_date = val_date(bd);
        p->id_valid = val_person_id(p->person_id, &p->id_birth);
        if (p->birth_date.state == TP_OK) {
            p->age_known = 1;
            p->age = val_age(p->birth_date, y, mo, d);
        } else if (p->birth_date.state == TP_MISSING && p->id_valid) {
            p->age_known = 1;
            p->age = val_age(p->id_birth, y, mo, d);
        }
        p->school_text = fld(e, r, COL_SCHOOL_STATUS);
        p->school = val_school(p->school_text);
        p->medical_insured = val_yesno(fld(e, r, COL_MEDICAL_INSURED));
    }
    h->n_members = n;
    h->members = e->members;
    return 0;
}

int hh_code_valid(const char *code)
{
    const char *p = code;
    if (!code || !(*p >= 'A' && *p <= 'Z')) return 0;
    for (p++; *p; p++)
        if (!((*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') || *p == '_')) return 0;
    return 1;
}

static size_t put_text(hh_eval *e, const char *s)
{
    size_t n = strlen(s) + 1, off;
    if (e->tlen + n > e->tcap) {
        size_t ncap = e->tcap ? e->tcap : 512;
        char *nt;
        while (ncap < e->tlen + n) ncap *= 2;
        nt = realloc(e->text, ncap);
        if (!nt) { e->oom = 1; return (size_t)-1; }
        e->text = nt;
        e->tcap = ncap;
    }
    off = e->tlen;
    memcpy(e->text + off, s, n);
    e->tlen += n;
    return off;
}

/* A BAD_VALUE or ID_INVALID detail names the input line of the member's row
 * (the household's first row for a household column) and, for BAD_VALUE,
 * the value read; never a name, and an ID only masked (issue 17.9).  The
 * ID of ID_INVALID is already in the detail, beside the member. */
static void where(const hh_eval *e, const char *code, size_t member, const tp_finding_args *args,
                  char *buf, size_t len)
{
    size_t r = member ? member - 1 : 0;
    const char *col = args ? args->column : NULL, *v = NULL;
    char id[128];
    long line;
    int c, k;
    if (!e->blk || !e->map || r >= e->blk->nrows) return;
    line = e->blk->rows[r].line + e->blk->line_shift;
    if (!strcmp(code, "ID_INVALID")) {
        msg_finding_where(buf, len, line, NULL);
        return;
    }
    if (strcmp(code, "BAD_VALUE")) return;
    if (col && (k = schema_find(e->map, col)) >= 0) {
        c = e->map->canon[k];
        v = block_field(e->blk, r, k);
        if (c == COL_NAME) {
            v = NULL;
        } else if (c == COL_PERSON_ID && !e->reveal_ids) {
            msg_mask_id(v, id, sizeof id);
            v = id;
        }
    }
    msg_finding_where(buf, len, line, v);
}

int hh_add_finding(hh_eval *e, tp_severity sev, const char *code, size_t member,
                   const char *detail, const tp_finding_args *args)
{
    hh_finding *f;
    char buf[512];
    if (!hh_code_valid(code) || member > e->view.n_members) return -1;
    if (mem_grow((void **)&e->f, &e->fcap, e->nf + 1, sizeof *e->f) < 0) { e->oom = 1; return 0; }
    f = &e->f[e->nf];
    f->stage = e->cur_stage;
    f->sev = sev;
    /* Codes are copied: a script's code string does not outlive its call. */
    f->code = NULL;
    f->code_off = put_text(e, code);
    f->member = member;
    if (!detail) {
        char id[128] = "";
        if (member && e->view.members) {
            const char *pid = e->view.members[member - 1].person_id;
            if (e->reveal_ids) snprintf(id, sizeof id, "%s", pid);
            else msg_mask_id(pid, id, sizeof id);
        }
        msg_finding_id(buf, sizeof buf, e->ctx.stage ? &e->ctx.stage->codes : NULL, code, member,
                       id, args);
        where(e, code, member, args, buf, sizeof buf);
        detail = buf;
    }
    f->detail_off = put_text(e, detail);
    if (f->code_off == (size_t)-1 || f->detail_off == (size_t)-1) return 0;
    e->nf++;
    return 0;
}

const char *hh_finding_code(const hh_eval *e, const hh_finding *f)
{
    return e->text + f->code_off;
}

const char *hh_finding_detail(const hh_eval *e, const hh_finding *f)
{
    return e->text + f->detail_off;
}

int hh_has(const hh_eval *e, const char *code)
{
    size_t i;
    /* Only stages up to the current one count, whatever order they ran in
     * (stages that need input order run before the others). */
    for (i = 0; i < e->nf; i++)
        if (e->f[i].stage <= e->cur_stage && !strcmp(hh_finding_code(e, &e->f[i]), code))
            return 1;
    return 0;
}

int hh_ctx_finding(tp_ctx *ctx, tp_severity sev, const char *code, size_t member,
                   const tp_finding_args *args)
{
    if (!ctx->ev) return -1;
    return hh_add_finding(ctx->ev, sev, code, member, NULL, args);
}

int hh_ctx_finding_text(tp_ctx *ctx, tp_severity sev, const char *code, size_t member,
                        const char *detail)
{
    if (!ctx->ev) return -1;
    return hh_add_finding(ctx->ev, sev, code, member, detail ? detail : "", NULL);
}

int hh_ctx_has(tp_ctx *ctx, const char *code)
{
    return ctx->ev ? hh_has(ctx->ev, code) : 0;
}

const char *hh_ctx_field(tp_ctx *ctx, size_t member, int col)
{
    const hh_eval *e = ctx->ev;
    if (!e || member >= e->view.n_members) return "";
    return block_field(e->blk, member, col);
}

int hh_ctx_chinese(tp_ctx *ctx)
{
    (void)ctx;
    return i18n_chinese();
}

int hh_ctx_roster(tp_ctx *ctx, size_t member, tp_roster_kind kind, tp_roster_row *row)
{
    return ctx->ev ? hh_roster(ctx->ev, member, kind, row) : -1;
}

hh_assessment hh_verdict(const hh_eval *e, int income_stage, int *exit_ready)
{
    size_t i;
    int below = 0, income_bad = 0;
    *exit_ready = 1;
    for (i = 0; i < e->nf; i++) {
        const hh_finding *f = &e->f[i];
        const char *code;
        if (f->sev != TP_FAIL) continue;
        *exit_ready = 0;
        if (f->stage != income_stage || income_stage < 0) continue;
        code = hh_finding_code(e, f);
        if (!strcmp(code, "INCOME_BELOW_LINE")) below = 1;
        else if (!strcmp(code, "BAD_VALUE")) income_bad = 1;
    }
    switch (e->view.status) {
    case TP_STATUS_POOR: return *exit_ready ? HH_CAN_EXIT : HH_REMAINS_POOR;
    case TP_STATUS_EXITED: return *exit_ready ? HH_EXIT_CONFIRMED : HH_WRONGLY_EXITED;
    default:
        if (below) return HH_MISSED;
        if (income_bad || income_stage < 0) return HH_UNVERIFIED;
        return HH_NOT_POOR;
    }
}

int hh_roster(const hh_eval *e, size_t member, tp_roster_kind kind, tp_roster_row *row)
{
    uint64_t v;
    if ((unsigned)kind >= TP_ROSTER_KINDS || !(e->roster_kinds & 1u << kind) || !e->roster
        || member >= e->view.n_members)
        return -1;
    v = e->roster[member];
    if (v & RV_BAD_ID) return -2;
    return rv_row(v, kind, row);
}
