/* lua_handle.c — the household handle of rule scripts.
 *
 * A script sees `hh` and each member `m` as light userdata whose value packs
 * a generation number and a member index (0 for the household), with one
 * metatable for all of them (light userdata share a per-state metatable).
 * Reading a field goes through __index, which looks the key up in a table
 * of field ids and pushes just that value: nothing is allocated per
 * household or member.  The generation changes on every call, so a handle
 * kept from an earlier call is recognised and refused instead of showing
 * another household's data. */
#include "lua_handle.h"
#include "i18n.h"
#include "roster.h"
#include "schema.h"
#include "suggest.h"
#include "values.h"

#include <lauxlib.h>
#include <stdio.h>
#include <string.h>

/* Field ids: 0..COL_COUNT-1 are the canonical columns; then these. */
enum {
    F_SIZE = COL_COUNT, F_INCOME_PC, F_AGE, F_FAIL, F_WARN, F_HAS, F_MEMBERS, F_ROSTER,
    F_NONE = -1,
    F_EXTRA = 1024          /* F_EXTRA + header index: an extra column */
};

/* Handle layout: member index in the low bits, generation above. */
#define MEMBER_BITS 24
#define MEMBER_MASK (((uintptr_t)1 << MEMBER_BITS) - 1)
#define GEN_MASK (UINTPTR_MAX >> MEMBER_BITS)

#define LH(L) (*(lh_call **)lua_getextraspace(L))

static int code_valid(const char *code)
{
    const char *p = code;
    if (!(*p >= 'A' && *p <= 'Z')) return 0;
    for (p++; *p; p++)
        if (!((*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') || *p == '_')) return 0;
    return 1;
}

const char *lh_clip(const char *s, char *buf)
{
    size_t n = strlen(s), len = n;
    char note[96];
    int k;
    if (n <= LH_DETAIL_MAX) return s;
    n = LH_DETAIL_MAX - 96;
    while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80) n--;
    k = snprintf(note, sizeof note, _(" [%zu more bytes cut]"), len - n);
    if (k < 0 || (size_t)k >= sizeof note) k = 0;
    memcpy(buf, s, n);
    memcpy(buf + n, note, (size_t)k);
    buf[n + (size_t)k] = '\0';
    return buf;
}

/* The length of the valid UTF-8 character at p (RFC 3629: no overlong
 * forms, no surrogates, nothing past U+10FFFF), or 0. */
static size_t utf8_char_len(const unsigned char *p)
{
    if (p[0] < 0x80) return 1;
    if (p[0] >= 0xC2 && p[0] <= 0xDF) return (p[1] & 0xC0) == 0x80 ? 2 : 0;
    if (p[0] >= 0xE0 && p[0] <= 0xEF) {
        if ((p[1] & 0xC0) != 0x80 || (p[2] & 0xC0) != 0x80) return 0;
        if (p[0] == 0xE0 && p[1] < 0xA0) return 0;
        if (p[0] == 0xED && p[1] > 0x9F) return 0;
        return 3;
    }
    if (p[0] >= 0xF0 && p[0] <= 0xF4) {
        if ((p[1] & 0xC0) != 0x80 || (p[2] & 0xC0) != 0x80 || (p[3] & 0xC0) != 0x80) return 0;
        if (p[0] == 0xF0 && p[1] < 0x90) return 0;
        if (p[0] == 0xF4 && p[1] > 0x8F) return 0;
        return 4;
    }
    return 0;
}

const char *lh_utf8(const char *s, char *buf)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t o = 0, n;
    for (; *p; p += n) {
        n = utf8_char_len(p);
        if (n == 0) break;
    }
    if (!*p) return s;                       /* valid: as it is */
    for (p = (const unsigned char *)s; *p; p += n) {
        n = utf8_char_len(p);
        if (n == 0) {
            if (o + 3 > LH_DETAIL_MAX) break;
            memcpy(buf + o, "\xEF\xBF\xBD", 3);   /* U+FFFD for each byte that is not UTF-8 */
            o += 3;
            n = 1;
        } else {
            if (o + n > LH_DETAIL_MAX) break;
            memcpy(buf + o, p, n);
            o += n;
        }
    }
    buf[o] = '\0';
    return buf;
}


static void *make_handle(uintptr_t gen, size_t member)
{
    return (void *)((gen << MEMBER_BITS) | (uintptr_t)member);
}

/* The household of a live handle at idx; *member gets 0 for the household
 * or the 1-based member index.  Raises on anything else. */
static const tp_household *check_handle(lua_State *L, lh_call *in, int idx, size_t *member)
{
    uintptr_t v;
    if (lua_type(L, idx) != LUA_TLIGHTUSERDATA) {
        luaL_error(L, _("expected a household handle, got %s"), luaL_typename(L, idx));
        return NULL;
    }
    v = (uintptr_t)lua_touserdata(L, idx);
    if (!in->in_call || (v >> MEMBER_BITS) != in->gen) {
        luaL_error(L, _("household handle used outside the check call it was given to "
                      "(keep the values you need, not hh or m)"));
        return NULL;
    }
    *member = (size_t)(v & MEMBER_MASK);
    return in->hh;
}

static void push_money(lua_State *L, tp_money m)
{
    if (m.state != TP_OK) lua_pushnil(L);
    else if (m.cents % 100 == 0) lua_pushinteger(L, (lua_Integer)(m.cents / 100));
    else lua_pushnumber(L, (lua_Number)m.cents / 100.0);
}

static void push_yesno(lua_State *L, tp_yesno y)
{
    if (y.state != TP_OK) lua_pushnil(L);
    else lua_pushboolean(L, y.value);
}

static void push_text(lua_State *L, const char *s)
{
    if (!s || !*s) lua_pushnil(L);
    else lua_pushstring(L, s);
}

/* The exact net / n as a float: net in cents and 100·n are exact doubles,
 * so the one division rounds once. */
static void push_income_pc(lua_State *L, const tp_household *h)
{
    const tp_money *c[5];
    int64_t net = 0;
    int i;
    c[0] = &h->wage_income; c[1] = &h->operating_income; c[2] = &h->operating_cost;
    c[3] = &h->property_income; c[4] = &h->transfer_income;
    for (i = 0; i < 5; i++) {
        if (c[i]->state == TP_BAD) { lua_pushnil(L); return; }
        if (c[i]->state == TP_OK) net += i == 2 ? -c[i]->cents : c[i]->cents;
    }
    lua_pushnumber(L, (lua_Number)net / ((lua_Number)h->n_members * 100.0));
}

static int hh_fail(lua_State *L);
static int hh_warn(lua_State *L);
static int hh_has(lua_State *L);
static int hh_members(lua_State *L);
static int m_roster(lua_State *L);

static void push_household_field(lua_State *L, const tp_household *h, int id)
{
    switch (id) {
    case COL_HOUSEHOLD_ID: push_text(L, h->household_id); break;
    case COL_REGION_CODE: push_text(L, h->region_code); break;
    case COL_STATUS: lua_pushstring(L, val_status_name(h->status)); break;
    case COL_WAGE_INCOME: push_money(L, h->wage_income); break;
    case COL_OPERATING_INCOME: push_money(L, h->operating_income); break;
    case COL_OPERATING_COST: push_money(L, h->operating_cost); break;
    case COL_PROPERTY_INCOME: push_money(L, h->property_income); break;
    case COL_TRANSFER_INCOME: push_money(L, h->transfer_income); break;
    case COL_DECLARED_INCOME_PC: push_money(L, h->declared_income_pc); break;
    case COL_FOOD_CLOTHING_SECURE: push_yesno(L, h->food_clothing_secure); break;
    case COL_HOUSING_FIXED: push_yesno(L, h->housing_fixed); break;
    case COL_WATER_SAFE: push_yesno(L, h->water_safe); break;
    case COL_SATISFIED: push_yesno(L, h->satisfied); break;
    case COL_HOUSING_RATING:
        if (h->housing_rating.state != TP_OK) lua_pushnil(L);
        else lua_pushlstring(L, &h->housing_rating.value, 1);
        break;
    case F_SIZE: lua_pushinteger(L, (lua_Integer)h->n_members); break;
    case F_INCOME_PC: push_income_pc(L, h); break;
    case F_FAIL: lua_pushcfunction(L, hh_fail); break;
    case F_WARN: lua_pushcfunction(L, hh_warn); break;
    case F_HAS: lua_pushcfunction(L, hh_has); break;
    case F_MEMBERS: lua_pushcfunction(L, hh_members); break;
    default: lua_pushnil(L); break;   /* person columns, age */
    }
}

static void push_member_field(lua_State *L, const tp_member *m, int id)
{
    char buf[16];
    switch (id) {
    case COL_PERSON_ID: push_text(L, m->person_id); break;
    case COL_NAME: push_text(L, m->name); break;
    case COL_RELATION:
        if (m->is_head) lua_pushliteral(L, "head");
        else push_text(L, m->relation);
        break;
    case COL_BIRTH_DATE:
        if (m->birth_date.state != TP_OK) { lua_pushnil(L); break; }
        snprintf(buf, sizeof buf, "%04d-%02d-%02d", m->birth_date.year % 10000,
                 m->birth_date.month % 100, m->birth_date.day % 100);
        lua_pushstring(L, buf);
        break;
    case COL_SCHOOL_STATUS:
        if (m->school.state != TP_OK) lua_pushnil(L);
        else lua_pushstring(L, val_school_name(m->school.value));
        break;
    case COL_MEDICAL_INSURED: push_yesno(L, m->medical_insured); break;
    case F_AGE:
        if (m->age_known) lua_pushinteger(L, m->age);
        else lua_pushnil(L);
        break;
    case F_ROSTER: lua_pushcfunction(L, m_roster); break;
    default: lua_pushnil(L); break;   /* household columns, methods */
    }
}

/* The id of a key not yet in the key table: a canonical column in another
 * spelling (any ASCII case), else none (an error when read).  Cached. */
static int resolve_key(lua_State *L, int keys)
{
    const char *k = lua_tostring(L, 2);
    int id = schema_lookup(k);
    if (id < 0) id = F_NONE;
    lua_pushvalue(L, 2);
    lua_pushinteger(L, id);
    lua_rawset(L, keys);
    return id;
}

/* Whether field id can be read on the household (member 0) or a member. */
static int id_on_level(int id, size_t member)
{
    if (id >= F_EXTRA) return 1;
    if (id >= 0 && id < COL_COUNT) return schema_columns[id].household_level == (member == 0);
    if (member == 0)
        return id == F_SIZE || id == F_INCOME_PC || id == F_FAIL || id == F_WARN || id == F_HAS
               || id == F_MEMBERS;
    return id == F_AGE || id == F_ROSTER;
}

/* Raises the error of reading the unknown field at 2: a field that is
 * neither a column of the standard, a column the script declares, nor a
 * method would otherwise read nil and pass or fail households silently
 * (docs/scripts.md §3).  Offers the closest name of the handle's level. */
static int unknown_field(lua_State *L, lh_call *in, size_t member)
{
    const char *k = lua_tostring(L, 2), *best = NULL;
    size_t best_d = (size_t)-1;
    lua_pushnil(L);
    while (lua_next(L, lua_upvalueindex(1))) {
        if (lua_type(L, -2) == LUA_TSTRING && lua_isinteger(L, -1)
            && id_on_level((int)lua_tointeger(L, -1), member))
            best = sg_better(k, lua_tostring(L, -2), best, &best_d);   /* kept by the key table */
        lua_pop(L, 1);
    }
    if (best) return luaL_error(L, _("unknown field '%s' (did you mean '%s'?)"), k, best);
    if (in->host->column(in->host_ctx, k) >= 0)
        return luaL_error(L, _("unknown field '%s': the input has this column, but the script does not "
                               "list it in columns = { ... }"), k);
    return luaL_error(L, _("unknown field '%s' (not a column of the standard, a column listed in the "
                           "script's columns, or a method)"), k);
}

/* __index of every handle; upvalue 1: the key table (name → field id). */
static int hh_index(lua_State *L)
{
    lh_call *in = LH(L);
    size_t m;
    const tp_household *h = check_handle(L, in, 1, &m);
    int id;
    if (lua_type(L, 2) != LUA_TSTRING)
        return luaL_error(L, _("fields are read by name (hh.income_pc, m.age)"));
    lua_pushvalue(L, 2);
    if (lua_rawget(L, lua_upvalueindex(1)) == LUA_TNUMBER) id = (int)lua_tointeger(L, -1);
    else id = resolve_key(L, lua_upvalueindex(1));
    lua_pop(L, 1);
    if (id >= F_EXTRA) {
        push_text(L, in->host->field(h->ctx, m ? m - 1 : 0, id - F_EXTRA));
    } else if (id == F_NONE) {
        return unknown_field(L, in, m);
    } else if (m == 0) {
        push_household_field(L, h, id);
    } else {
        push_member_field(L, &h->members[m - 1], id);
    }
    return 1;
}

static int hh_newindex(lua_State *L)
{
    lh_call *in = LH(L);
    size_t m;
    const char *k = lua_type(L, 2) == LUA_TSTRING ? lua_tostring(L, 2) : "?";
    check_handle(L, in, 1, &m);
    if (m == 0) return luaL_error(L, _("the household handle is read-only (hh.%s)"), k);
    return luaL_error(L, _("member handles are read-only (m.%s)"), k);
}

static int hh_tostring(lua_State *L)
{
    lh_call *in = LH(L);
    size_t m;
    const tp_household *h = check_handle(L, in, 1, &m);
    if (m == 0) lua_pushfstring(L, _("household %s"), h->household_id);
    else lua_pushfstring(L, _("member %d of household %s"), (int)m, h->household_id);
    return 1;
}

/* The household of a method's self, which must be the household handle. */
static const tp_household *method_self(lua_State *L, lh_call *in, const char *what)
{
    size_t m;
    const tp_household *h;
    if (lua_type(L, 1) != LUA_TLIGHTUSERDATA) {
        luaL_error(L, _("hh:%s: call it with a colon, as hh:%s(...)"), what, what);
        return NULL;
    }
    h = check_handle(L, in, 1, &m);
    if (m != 0) luaL_error(L, _("hh:%s: call it on the household, not on a member"), what);
    return h;
}

static const char *check_code(lua_State *L, int idx, const char *what)
{
    const char *code;
    if (lua_type(L, idx) != LUA_TSTRING)
        luaL_error(L, _("hh:%s: the code must be a string, got %s"), what, luaL_typename(L, idx));
    if (lua_rawlen(L, idx) > LH_CODE_MAX)
        luaL_error(L, _("hh:%s: a finding code is at most %d characters (this one has %d)"), what,
                   LH_CODE_MAX, (int)(lua_rawlen(L, idx) > 1000000000 ? 1000000000 : lua_rawlen(L, idx)));
    code = lua_tostring(L, idx);
    if (!code_valid(code))
        luaL_error(L, _("hh:%s: bad finding code \"%s\" (codes match [A-Z][A-Z0-9_]*)"), what, code);
    return code;
}

static int add_finding(lua_State *L, tp_severity sev, const char *what)
{
    lh_call *in = LH(L);
    const tp_household *h = method_self(L, in, what);
    const char *code = check_code(L, 2, what), *detail = "";
    char buf[LH_DETAIL_MAX + 1], ubuf[LH_DETAIL_MAX + 1];
    size_t member = 0;
    int t = lua_type(L, 3);
    if (t == LUA_TSTRING || t == LUA_TNUMBER) detail = lua_tostring(L, 3);
    else if (t != LUA_TNIL && t != LUA_TNONE)
        return luaL_error(L, _("hh:%s: the detail must be a string, got %s"), what, luaL_typename(L, 3));
    t = lua_type(L, 4);
    if (t == LUA_TNUMBER) {
        lua_Integer i;
        if (!lua_isinteger(L, 4)) {
            lua_Number d = lua_tonumber(L, 4);
            if (!(d >= 1 && d <= (lua_Number)h->n_members) || (lua_Number)(lua_Integer)d != d)
                return luaL_error(L, _("hh:%s: the member must be a whole number from 1 to %I"),
                                  what, (lua_Integer)h->n_members);
            i = (lua_Integer)d;
        } else {
            i = lua_tointeger(L, 4);
        }
        if (i < 1 || (lua_Unsigned)i > h->n_members)
            return luaL_error(L, _("hh:%s: member %I is not in this household (1 to %I)"), what, i,
                              (lua_Integer)h->n_members);
        member = (size_t)i;
    } else if (t == LUA_TLIGHTUSERDATA) {
        check_handle(L, in, 4, &member);
    } else if (t != LUA_TNIL && t != LUA_TNONE) {
        return luaL_error(L, _("hh:%s: the member must be an index or a member, got %s"), what,
                          luaL_typename(L, 4));
    }
    if (++in->nfindings > LH_FINDINGS_MAX)
        return luaL_error(L, _("hh:%s: more than %d findings for one household"), what, LH_FINDINGS_MAX);
    detail = lh_utf8(lh_clip(detail, buf), ubuf);
    in->nbytes += strlen(code) + strlen(detail);
    if (in->nbytes > LH_HH_BYTES_MAX)
        return luaL_error(L, _("hh:%s: the findings of one household pass %d bytes: %d kept, "
                               "this one and any later ones cut"),
                          what, LH_HH_BYTES_MAX, (int)in->nfindings - 1);
    if (in->host->finding_text(h->ctx, sev, code, member, detail) < 0)
        return luaL_error(L, _("hh:%s: finding %s was refused"), what, code);
    return 0;
}

static int hh_fail(lua_State *L) { return add_finding(L, TP_FAIL, "fail"); }
static int hh_warn(lua_State *L) { return add_finding(L, TP_WARN, "warn"); }

static int hh_has(lua_State *L)
{
    lh_call *in = LH(L);
    const tp_household *h = method_self(L, in, "has");
    const char *code = check_code(L, 2, "has");
    lua_pushboolean(L, in->host->has(h->ctx, code));
    return 1;
}

static int hh_members_next(lua_State *L)
{
    lh_call *in = LH(L);
    size_t m;
    const tp_household *h = check_handle(L, in, 1, &m);
    lua_Integer i = luaL_checkinteger(L, 2) + 1;
    if (m != 0 || i < 1 || (lua_Unsigned)i > h->n_members) return 0;
    lua_pushinteger(L, i);
    lua_pushlightuserdata(L, make_handle(in->gen, (size_t)i));
    return 2;
}

static int hh_members(lua_State *L)
{
    lh_call *in = LH(L);
    method_self(L, in, "members");
    lua_pushcfunction(L, hh_members_next);
    lua_pushvalue(L, 1);
    lua_pushinteger(L, 0);
    return 3;
}

/* m:roster(kind): the member's row of a department roster (standard §8) as
 * a table, or nil when the roster has no row for the member or the
 * member's normalised ID is not valid.  A kind the run was not given is an
 * error: nil would read as "not on the roster" for everyone. */
static int m_roster(lua_State *L)
{
    static const char *const hukou[] = { "active", "deceased", "moved_out" };
    static const char *const assets[] = { "vehicle", "commercial_housing", "business", "public_payroll" };
    lh_call *in = LH(L);
    size_t m, i;
    const tp_household *h;
    const char *kind;
    tp_roster_row row;
    char buf[16];
    int k, r;
    if (lua_type(L, 1) != LUA_TLIGHTUSERDATA)
        return luaL_error(L, _("m:roster: call it with a colon, as m:roster(\"medical\")"));
    h = check_handle(L, in, 1, &m);
    if (m == 0) return luaL_error(L, _("m:roster: call it on a member, not on the household"));
    kind = luaL_checkstring(L, 2);
    k = roster_kind_parse(kind);
    if (k < 0)
        return luaL_error(L, _("m:roster: unknown kind %s (hukou, medical, school, housing, assets)"), kind);
    r = in->host->roster(h->ctx, m - 1, (tp_roster_kind)k, &row);
    if (r == -1) return luaL_error(L, _("m:roster: the run was given no %s roster"), kind);
    if (r != 1) {
        lua_pushnil(L);
        return 1;
    }
    lua_createtable(L, 0, 3);
    lua_pushstring(L, kind);
    lua_setfield(L, -2, "kind");
    switch (row.kind) {
    case TP_ROSTER_HUKOU:
        lua_pushstring(L, hukou[row.hukou_status]);
        lua_setfield(L, -2, "hukou_status");
        if (row.event_date.state == TP_OK) {
            snprintf(buf, sizeof buf, "%04d-%02d-%02d", row.event_date.year % 10000,
                     row.event_date.month % 100, row.event_date.day % 100);
            lua_pushstring(L, buf);
            lua_setfield(L, -2, "event_date");
        }
        break;
    case TP_ROSTER_MEDICAL:
        lua_pushboolean(L, row.insured.value);
        lua_setfield(L, -2, "insured");
        break;
    case TP_ROSTER_SCHOOL:
        lua_pushboolean(L, row.enrolled.value);
        lua_setfield(L, -2, "enrolled");
        break;
    case TP_ROSTER_HOUSING:
        lua_pushlstring(L, &row.housing_rating.value, 1);
        lua_setfield(L, -2, "housing_rating");
        if (row.housing_fixed.state == TP_OK) {
            lua_pushboolean(L, row.housing_fixed.value);
            lua_setfield(L, -2, "housing_fixed");
        }
        break;
    default:
        lua_createtable(L, (int)row.n_assets, 0);
        for (i = 0; i < row.n_assets; i++) {
            lua_pushstring(L, assets[row.assets[i] & 3]);
            lua_rawseti(L, -2, (lua_Integer)i + 1);
        }
        lua_setfield(L, -2, "assets");
        break;
    }
    return 1;
}

/* ---- installing and calling ---------------------------------------------- */

static void keys_add(lua_State *L, const char *name, int id)
{
    lua_pushinteger(L, id);
    lua_setfield(L, -2, name);
}

void lh_attach(lua_State *L, lh_call *c)
{
    LH(L) = c;
}

void lh_install(lua_State *L, const char *const *columns)
{
    lh_call *in = LH(L);
    int c;
    /* The key table: canonical names (and their Chinese names), the
     * household's extras and methods, and the declared extra columns. */
    lua_newtable(L);
    for (c = 0; c < COL_COUNT; c++) {
        keys_add(L, schema_columns[c].name, c);
        keys_add(L, schema_columns[c].zh, c);
    }
    keys_add(L, "size", F_SIZE);
    keys_add(L, "income_pc", F_INCOME_PC);
    keys_add(L, "age", F_AGE);
    keys_add(L, "fail", F_FAIL);
    keys_add(L, "warn", F_WARN);
    keys_add(L, "has", F_HAS);
    keys_add(L, "members", F_MEMBERS);
    keys_add(L, "roster", F_ROSTER);
    for (; columns && *columns; columns++) {
        int col;
        if (schema_lookup(*columns) >= 0) continue;
        col = in->host->column(in->host_ctx, *columns);
        if (col < 0) {
            lua_pushfstring(L, _("the input has no column %s, which the script needs"), *columns);
            lua_error(L);
        }
        keys_add(L, *columns, F_EXTRA + col);
    }

    lua_pushlightuserdata(L, NULL);
    lua_newtable(L);
    lua_pushvalue(L, -3);
    lua_pushcclosure(L, hh_index, 1);
    lua_setfield(L, -2, "__index");
    lua_pushcfunction(L, hh_newindex);
    lua_setfield(L, -2, "__newindex");
    lua_pushcfunction(L, hh_tostring);
    lua_setfield(L, -2, "__tostring");
    lua_pushboolean(L, 0);
    lua_setfield(L, -2, "__metatable");
    lua_setmetatable(L, -2);
    lua_pop(L, 2);
}

void *lh_begin(lh_call *c, const tp_household *hh)
{
    c->gen = (c->gen + 1) & GEN_MASK;
    c->hh = hh;
    c->in_call = 1;
    c->nfindings = 0;
    c->nbytes = 0;
    return make_handle(c->gen, 0);
}

void lh_end(lh_call *c)
{
    c->in_call = 0;
    c->hh = NULL;
}
