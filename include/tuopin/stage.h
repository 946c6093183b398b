/* tuopin/stage.h — the public plugin API of tuopin (脱贫评估流水线), ABI 2.
 *
 * A stage is a shared object that exports exactly one symbol, TP_STAGE_ENTRY,
 * returning a tp_stage descriptor.  The host hands every call a read-only view
 * of one household (typed fields, members with ages) and a host function
 * table; stages reach the host only through that table, never through host
 * symbols, and include no header but this one.  Build a stage outside the
 * tree with
 *
 *     cc -shared -fPIC -o mystage.so mystage.c $(pkg-config --cflags --libs tuopin)
 *
 * and run it with TUOPIN_PLUGIN_PATH=/its/folder (examples/plugin/ is a
 * complete one; docs/plugins.md is the guide).
 *
 * What a stage declares instead of the core knowing it by name:
 *   - its role in the verdict (.role: TP_ROLE_INCOME decides missed and
 *     unverified, standard §4);
 *   - its Alkire–Foster dimension (.dimension, standard §6);
 *   - its finding codes with English and Chinese texts (.codes), which the
 *     host words in the run's language.
 *
 * ABI rules (docs/decisions.md, "Plugin ABI 2"):
 *   - TP_STAGE_HEAD fills the descriptor's first three fields: the ABI
 *     version, a fingerprint of the basic type sizes (as Lua's
 *     luaL_checkversion_ does) and the descriptor's own size.  The host refuses
 *     another version or fingerprint, and a size smaller than ABI 2's first
 *     descriptor; fields a smaller descriptor lacks read as 0 / NULL.
 *   - Every struct the host or the stage hands over in arrays carries its
 *     element size (tp_household.member_size, tp_list.size), so structs only
 *     ever grow at the end and old binaries keep working.  Index members with
 *     tp_member_at(), never hh->members[i].
 *   - Stages built for ABI 1 (tuopin 0.1 and 0.2) still load; the host adapts
 *     them (docs/plugins.md, "ABI 1 stages").
 */
#ifndef TUOPIN_STAGE_H
#define TUOPIN_STAGE_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Bumped whenever a struct below changes incompatibly. */
#define TP_ABI_VERSION 2

/* The sizes of the basic types the ABI rests on, folded into one number:
 * a stage built for another data model (32-bit pointers, say) is refused
 * instead of misread. */
#define TP_ABI_SIZES ((unsigned)(sizeof(void *) * 0x1000u + sizeof(size_t) * 0x100u \
                                 + sizeof(int64_t) * 0x10u + sizeof(int)))

/* Name of the one symbol a stage exports (see TP_STAGE_DEFINE). */
#define TP_STAGE_ENTRY "tuopin_stage_entry"

/* ---- values ------------------------------------------------------------ */

/* State of any parsed field: blank, parsed, or present but not a valid value. */
typedef enum { TP_MISSING = 0, TP_OK = 1, TP_BAD = 2 } tp_state;

/* Money in integer cents (1 yuan = 100). */
typedef struct { tp_state state; int64_t cents; } tp_money;
/* yes/no; value is 1 for yes, 0 for no. */
typedef struct { tp_state state; int value; } tp_yesno;
/* A Gregorian date. */
typedef struct { tp_state state; int year, month, day; } tp_date;

typedef enum { TP_STATUS_POOR = 0, TP_STATUS_EXITED = 1, TP_STATUS_GENERAL = 2 } tp_status;

/* Housing rating: value is 'A'..'D' when state is TP_OK. */
typedef struct { tp_state state; char value; } tp_rating;

/* School status (standard §3.3), canonical codes. */
typedef enum {
    TP_SCHOOL_PRESCHOOL = 0, TP_SCHOOL_PRIMARY, TP_SCHOOL_JUNIOR, TP_SCHOOL_SENIOR,
    TP_SCHOOL_VOCATIONAL, TP_SCHOOL_COLLEGE, TP_SCHOOL_HOME_SCHOOLING, TP_SCHOOL_EXEMPT,
    TP_SCHOOL_DROPOUT, TP_SCHOOL_NOT_ENROLLED, TP_SCHOOL_NOT_IN_SCHOOL
} tp_school_code;
typedef struct { tp_state state; tp_school_code value; } tp_school;

/* ---- the context handle -------------------------------------------------- */

/* The one handle a stage passes back to the host: open() receives its
 * instance's, and during check() every household view carries its own
 * (hh->ctx), which also names the instance.  Opaque; host-owned. */
typedef struct tp_ctx tp_ctx;

/* One person row of a household. Strings are trimmed, NUL-terminated, owned
 * by the host and valid only during the stage call that received them. */
typedef struct tp_member {
    const char *person_id;   /* "" when blank */
    const char *name;
    const char *relation;
    int is_head;             /* relation is head / 户主 (any ASCII case) */
    tp_date birth_date;      /* the birth_date column as written */
    tp_date id_birth;        /* the date inside person_id; TP_OK only for a valid ID */
    int id_valid;            /* person_id passes the GB 11643 check (standard §3.7) */
    int age_known;           /* age could be determined (standard §2) */
    int age;                 /* whole years at the as-of date; may be negative */
    tp_school school;
    const char *school_text; /* the school_status text as written */
    tp_yesno medical_insured;
} tp_member;

/* The read-only view of one household that every check receives. */
typedef struct tp_household {
    size_t struct_size;          /* sizeof(tp_household) of the host */
    const char *household_id;
    const char *region_code;     /* 12 validated digits */
    tp_status status;
    tp_money wage_income, operating_income, operating_cost, property_income,
             transfer_income;    /* TP_MISSING when blank (counts as 0); negatives TP_BAD */
    tp_money declared_income_pc; /* may be negative; TP_MISSING when blank */
    tp_yesno food_clothing_secure, housing_fixed, water_safe, satisfied;
    tp_rating housing_rating;
    size_t n_members;            /* >= 1 */
    const tp_member *members;    /* n_members of them, member_size apart */
    tp_ctx *ctx;                 /* this household under this stage: pass to the host */
    size_t member_size;          /* sizeof(tp_member) of the host */
} tp_household;

/* NAME: tp_member_at
 * DESCRIPTION: member i (0-based, below hh->n_members) of a household, stepped
 *   by the host's member size, so that a stage keeps working when tp_member
 *   grows. */
static inline const tp_member *tp_member_at(const tp_household *hh, size_t i)
{
    return (const tp_member *)(const void *)((const char *)hh->members + i * hh->member_size);
}

/* ---- counted arrays --------------------------------------------------------- */

/* Arrays in a descriptor are counted and carry their element size: the host
 * steps by .size and reads no more of an element than it has.  Fill them with
 * TP_LIST(array). */
#define TP_LIST(a) { (a), sizeof(a) / sizeof((a)[0]), sizeof((a)[0]) }

/* ---- parameters --------------------------------------------------------- */

typedef enum {
    TP_PARAM_INT = 1,    /* whole number */
    TP_PARAM_MONEY = 2,  /* yuan with at most 2 decimals, read as cents */
    TP_PARAM_RATIO = 3   /* decimal with at most 6 decimals, read as millionths */
} tp_param_type;

/* A declared parameter.  Defaults and bounds are decimal text ("0.10"); a
 * NULL default means the host must supply it (income_line comes from the
 * dated table of national lines). */
typedef struct tp_param_decl {
    const char *name;
    tp_param_type type;
    const char *default_value;
    const char *min, *max;       /* inclusive bounds, NULL for none */
    const char *description;     /* English */
    const char *description_zh;  /* Chinese; NULL: the English one */
} tp_param_decl;

typedef struct tp_param_list { const tp_param_decl *items; size_t n, size; } tp_param_list;

/* ---- findings ----------------------------------------------------------- */

typedef enum { TP_WARN = 0, TP_FAIL = 1 } tp_severity;

/* Arguments for a finding's detail, which the host words from the text the
 * stage declared for the code (tp_code_decl): `column` names the field at
 * fault, `a` and `b` are amounts in cents or plain numbers. */
typedef struct tp_finding_args {
    const char *column;
    int64_t a, b;
} tp_finding_args;

/* The text of a finding code, in English and Chinese.  A text is plain
 * words with these fields, replaced when the finding is recorded:
 *   {who}           "member 2 (110101********1234): " for a member's
 *                   finding, "" for the household's (the ID masked)
 *   {column}        args->column as written; {column.label} its name in the
 *                   run's language
 *   {a.yuan} {b.yuan}   args->a / args->b as yuan with 2 decimals
 *   {a.int} {b.int}     args->a / args->b as whole numbers
 *   {a.char}        args->a as one character
 *   {b.school}      args->b as a school-status name (tp_school_code)
 *   {{ and }}       literal braces
 * Declarations are tried in order; one with TP_CODE_WHEN_A applies only
 * when args->a equals .a (a second wording for the same code).  A finding
 * whose code the stage did not declare is worded "{who}CODE", except the
 * host's own MISSING_VALUE and BAD_VALUE (a column missing or invalid). */
enum { TP_CODE_WHEN_A = 1u << 0 };

typedef struct tp_code_decl {
    const char *code;            /* [A-Z][A-Z0-9_]* */
    const char *en;
    const char *zh;              /* NULL: the English text */
    unsigned flags;              /* TP_CODE_* */
    int64_t a;                   /* with TP_CODE_WHEN_A */
} tp_code_decl;

typedef struct tp_code_list { const tp_code_decl *items; size_t n, size; } tp_code_list;

/* ---- department rosters (standard §8) ------------------------------------ */

/* Roster kinds, in the standard's table order. */
typedef enum {
    TP_ROSTER_HUKOU = 0, TP_ROSTER_MEDICAL, TP_ROSTER_SCHOOL, TP_ROSTER_HOUSING,
    TP_ROSTER_ASSETS, TP_ROSTER_KINDS
} tp_roster_kind;

typedef enum { TP_HUKOU_ACTIVE = 0, TP_HUKOU_DECEASED, TP_HUKOU_MOVED_OUT } tp_hukou_status;

typedef enum {
    TP_ASSET_VEHICLE = 0, TP_ASSET_COMMERCIAL_HOUSING, TP_ASSET_BUSINESS, TP_ASSET_PUBLIC_PAYROLL
} tp_asset;

/* A member's accepted row of one roster kind; only the kind's fields are
 * set.  For assets, the member's rows in roster order (one per asset). */
typedef struct tp_roster_row {
    tp_roster_kind kind;
    tp_hukou_status hukou_status;  /* hukou */
    tp_date event_date;            /* hukou: TP_OK for deceased and moved_out */
    tp_yesno insured;              /* medical */
    tp_yesno enrolled;             /* school */
    tp_rating housing_rating;      /* housing (the head's ID) */
    tp_yesno housing_fixed;        /* housing: TP_MISSING when blank */
    size_t n_assets;               /* assets: 1 to 4 */
    tp_asset assets[4];
} tp_roster_row;

/* ---- host function table -------------------------------------------------- */

/* A set of keys the host keeps for a stage (set_new) and where a key goes
 * in it (set_locate), worked out once for a prefetch and the insert after. */
typedef struct tp_set tp_set;
typedef struct tp_set_loc { size_t part; uint64_t h; } tp_set_loc;

typedef struct tp_host {
    size_t struct_size;          /* grows at the end; check it before calling a newer function */
    int abi_version;

    /* NAME: finding
     * DESCRIPTION: records a finding for the household of ctx (hh->ctx,
     *   during check).  member is the 1-based member index, or 0 for the
     *   household.  args may be NULL.  code must match [A-Z][A-Z0-9_]*.
     * RETURN: 0, or -1 when the code is malformed, member out of range or
     *   ctx not a household's (nothing recorded). */
    int (*finding)(tp_ctx *ctx, tp_severity sev, const char *code, size_t member,
                   const tp_finding_args *args);

    /* NAME: finding_text
     * DESCRIPTION: like finding, with the detail given as text (for stages
     *   whose messages are their own, e.g. rule scripts).  The text is copied.
     * RETURN: 0, or -1 as finding. */
    int (*finding_text)(tp_ctx *ctx, tp_severity sev, const char *code, size_t member,
                        const char *detail);

    /* NAME: has
     * DESCRIPTION: whether an earlier stage (or this one) gave the household
     *   of ctx a finding with this code.
     * RETURN: 1 or 0. */
    int (*has)(tp_ctx *ctx, const char *code);

    /* NAME: param
     * DESCRIPTION: the validated value of a declared parameter, in the unit
     *   of its type (whole number, cents, millionths).
     * RETURN: 0, or -1 when no parameter of that name is declared. */
    int (*param)(tp_ctx *ctx, const char *name, int64_t *value);

    /* NAME: as_of
     * DESCRIPTION: the assessment's as-of date (standard §2). */
    void (*as_of)(tp_ctx *ctx, int *year, int *month, int *day);

    /* NAME: column
     * DESCRIPTION: index of an input column by canonical or header name,
     *   for use with field().
     * RETURN: the index, or -1 when the input has no such column. */
    int (*column)(tp_ctx *ctx, const char *name);

    /* NAME: field
     * DESCRIPTION: the trimmed text of column `col` on member row `member`
     *   (0-based) of the household of ctx, "" when blank or out of range.
     *   Valid during the check call only. */
    const char *(*field)(tp_ctx *ctx, size_t member, int col);

    /* NAME: log
     * DESCRIPTION: writes a one-line notice to the run's log, prefixed by the
     *   stage's name.  Never pass personal data (names, ID numbers). */
    void (*log)(tp_ctx *ctx, const char *message);

    /* NAME: chinese
     * DESCRIPTION: whether the run speaks Chinese (--lang zh), for a stage's
     *   own messages (open()'s errors, log lines).
     * RETURN: 1 or 0. */
    int (*chinese)(tp_ctx *ctx);

    /* NAME: rosters
     * DESCRIPTION: the department roster kinds the run was given (standard
     *   §8), as bits (1u << kind). */
    unsigned (*rosters)(tp_ctx *ctx);

    /* NAME: roster
     * DESCRIPTION: the row of roster `kind` for member `member` (0-based) of
     *   the household of ctx, matched by the member's normalised ID (or its
     *   keyed hash, standard §8.3).  The roster index is built before the run
     *   and read-only during it, so any thread may call this.
     * RETURN: 1 with *row filled, 0 when the roster has no row for the
     *   member, -1 when the run was not given that kind (or member is out of
     *   range, or ctx is not a household's), -2 when the member's normalised
     *   ID is not valid (standard §8.2: no roster finding of any kind). */
    int (*roster)(tp_ctx *ctx, size_t member, tp_roster_kind kind, tp_roster_row *row);

    /* ---- sets of keys (added in tuopin 0.2: check struct_size against
     * TP_HOST_SIZE_SETS before calling them) ----------------------------- */

    /* NAME: set_new
     * DESCRIPTION: a set of 64-bit keys (wide 0) or 128-bit keys (wide 1),
     *   the host's own (tuopin's sets of household and resident IDs): 8 or
     *   16 bytes a key, cut into parts that the caller names from something
     *   keys arriving together share (the area code of resident IDs), so
     *   that a run sorted by region inserts into tables that stay in the
     *   cache.  Not thread-safe: one stage instance (TP_STAGE_ORDERED) uses it.
     * RETURN: the set, or NULL out of memory.  Free it with set_free. */
    tp_set *(*set_new)(int wide);

    /* NAME: set_free
     * DESCRIPTION: frees a set of set_new (NULL: nothing). */
    void (*set_free)(tp_set *set);

    /* NAME: set_add_in
     * DESCRIPTION: adds key (a, b) (b ignored unless wide; never all zero)
     *   in the part named by part (any value, a function of the key).
     * RETURN: 1 when newly added, 0 when already present, -1 out of memory. */
    int (*set_add_in)(tp_set *set, uint64_t part, uint64_t a, uint64_t b);

    /* NAME: set_locate
     * DESCRIPTION: fills *loc for key (a, b) in part and asks the cache for
     *   the slot set_add_at will look at first (a prefetch some keys ahead).
     * RETURN: 0, or -1 out of memory. */
    int (*set_locate)(tp_set *set, uint64_t part, uint64_t a, uint64_t b, tp_set_loc *loc);

    /* NAME: set_add_at
     * DESCRIPTION: set_add_in with the location set_locate gave for the same
     *   key (other keys may have been added in between).
     * RETURN: 1 when newly added, 0 when already present, -1 out of memory. */
    int (*set_add_at)(tp_set *set, const tp_set_loc *loc, uint64_t a, uint64_t b);

    /* NAME: hash
     * DESCRIPTION: a 64-bit hash of [p, p+n) with a seed; two seeds give a
     *   128-bit key whose collisions are negligible. */
    uint64_t (*hash)(const void *p, size_t n, uint64_t seed);
} tp_host;

/* Host tables with the set functions are at least this long. */
#define TP_HOST_SIZE_SETS (offsetof(tp_host, hash) + sizeof(void (*)(void)))

/* Parts a stage folds its part keys onto (set_add_in, set_locate). */
#define TP_SET_PARTS 4096

/* Every ABI 2 host table has the roster functions; ABI 1 stages of tuopin
 * 0.2 checked struct_size against this before calling them. */
#define TP_HOST_SIZE_ROSTERS (offsetof(tp_host, roster) + sizeof(void (*)(void)))

/* ---- the stage descriptor ------------------------------------------------ */

/* Flags a stage declares. */
enum {
    /* check() must see households one at a time in input order, because it
     * keeps state across households (identity's set of IDs seen).  The host
     * then never calls it concurrently and always in input order. */
    TP_STAGE_ORDERED = 1u << 0
};

/* A stage's part in the run beyond its findings.  Every stage's fail
 * findings keep a household from exit readiness (standard §4); besides:
 *   TP_ROLE_INCOME   its findings alone decide whether a general household
 *                    was missed and whether a verdict is unverified (no
 *                    income stage, or its findings say the income cannot be
 *                    computed; standard §4);
 *   TP_ROLE_ROSTERS  it compares the department rosters (standard §8): a
 *                    run given rosters needs one, and rosters.csv counts its
 *                    findings.
 * The first stage of the pipeline with a role has it. */
typedef enum { TP_ROLE_CHECK = 0, TP_ROLE_INCOME = 1, TP_ROLE_ROSTERS = 2 } tp_role;

/* The dimension of the Alkire–Foster view (standard §6) a stage's fail
 * findings deprive a household's members in; af_weight_NAME weighs it (NAME
 * as in the enum, lower case).  Several stages may declare one dimension:
 * a fail finding of any of them deprives. */
typedef enum {
    TP_DIM_NONE = 0, TP_DIM_INCOME, TP_DIM_FOOD_CLOTHING, TP_DIM_EDUCATION,
    TP_DIM_MEDICAL, TP_DIM_HOUSING, TP_DIM_WATER
} tp_dimension;

typedef struct tp_stage tp_stage;

struct tp_stage {
    int abi_version;             /* TP_ABI_VERSION the stage was built with */
    unsigned abi_sizes;          /* TP_ABI_SIZES it was built with */
    size_t struct_size;          /* sizeof(tp_stage) it was built with */
    const char *name;            /* [a-z0-9_-]+, the file's name without .so */
    const char *version;
    const char *description;     /* English, one line */
    const char *description_zh;  /* Chinese; NULL: the English one */
    unsigned flags;              /* TP_STAGE_* */
    tp_role role;
    tp_dimension dimension;
    tp_param_list params;        /* TP_LIST(decls), or {0} for none */
    tp_code_list codes;          /* TP_LIST(decls) of the codes it reports */
    const char *const *columns;  /* canonical columns it needs; NULL-terminated, or NULL */
    void *user;                  /* anything; handed to open() */

    /* NAME: open
     * DESCRIPTION: prepares one instance; reads its parameters through
     *   host->param(ctx, ...).  self is this descriptor (as the stage returned
     *   it, so several stages can share one open) and user is self->user.
     *   *state receives the instance (may stay NULL).  ctx stays valid for the
     *   instance's life.  On error writes a one-line message into err
     *   (errlen bytes).
     * RETURN: 0, or -1 on error. */
    int (*open)(const tp_stage *self, void *user, const tp_host *host, tp_ctx *ctx,
                void **state, char *err, size_t errlen);

    /* NAME: check
     * DESCRIPTION: checks one household and reports findings through
     *   host->finding(hh->ctx, ...).  May run on several threads at once with
     *   different states, unless TP_STAGE_ORDERED.
     * RETURN: 0, or -1 on an internal error (the run stops). */
    int (*check)(void *state, const tp_household *hh);

    /* NAME: check_batch (optional, TP_STAGE_ORDERED stages only)
     * DESCRIPTION: checks hhs[0..n) in input order, exactly as n calls of
     *   check() would (same findings, same order).  The host calls it instead
     *   of check() with the sound households of one chunk (a few hundred), so
     *   that a stage keeping a run-wide table can ask for the table memory of
     *   the next households while it checks the current one (identity
     *   prefetches its ID set).  NULL: the host calls check().
     * RETURN: 0, or -1 on an internal error (the run stops). */
    int (*check_batch)(void *state, const tp_household *const *hhs, size_t n);

    /* NAME: close
     * DESCRIPTION: frees the instance (NULL: nothing to free). */
    void (*close)(void *state);

    /* The stage's label in report.html (the stage list, the chart of
     * failures and the failure table), so that the core needs no stage's
     * name to word it.  Added in tuopin 0.2.0, at the end: a stage built
     * with a shorter descriptor (struct_size) reads NULL. */
    const char *title;           /* English; NULL: .name */
    const char *title_zh;        /* Chinese; NULL: its dimension's Chinese name, else
                                    .title, else .name */
};

/* The descriptor's first three fields, for a designated initialiser:
 *   static const tp_stage my_stage = { TP_STAGE_HEAD, .name = "my", ... }; */
#define TP_STAGE_HEAD \
    .abi_version = TP_ABI_VERSION, .abi_sizes = TP_ABI_SIZES, .struct_size = sizeof(tp_stage)

/* The entry symbol's type. */
typedef const tp_stage *(*tp_stage_entry_fn)(void);

/* Defines the entry symbol for descriptor `desc`. */
#define TP_STAGE_DEFINE(desc) \
    const tp_stage *tuopin_stage_entry(void); \
    const tp_stage *tuopin_stage_entry(void) { return &(desc); }

#ifdef __cplusplus
}
#endif
#endif /* TUOPIN_STAGE_H */
