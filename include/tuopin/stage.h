/* tuopin/stage.h — the public plugin API of tuopin (脱贫评估流水线).
 *
 * A stage is a shared object that exports exactly one symbol, TP_STAGE_ENTRY,
 * returning a tp_stage descriptor.  The host hands every call a read-only view
 * of one household (typed fields, members with ages) and a host function
 * table; stages reach the host only through that table, never through host
 * symbols.  Build a stage outside the tree with `pkg-config --cflags tuopin`.
 *
 * ABI rules: the descriptor starts with the ABI version and its own size and
 * only grows at the end; the household view likewise.  A stage built for a
 * different TP_ABI_VERSION is refused at load time.
 */
#ifndef TUOPIN_STAGE_H
#define TUOPIN_STAGE_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Bumped whenever a struct below changes incompatibly. */
#define TP_ABI_VERSION 1

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

/* The read-only view of one household that every stage call receives. */
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
    const tp_member *members;
    const void *host_data;       /* opaque; pass back to host functions */
} tp_household;

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
    const char *description;
} tp_param_decl;

/* ---- findings ----------------------------------------------------------- */

typedef enum { TP_WARN = 0, TP_FAIL = 1 } tp_severity;

/* Arguments for a finding's detail.  The detail text itself comes from the
 * host's message catalogue, keyed by code, so that it can be translated;
 * `column` names the field at fault, `a` and `b` are amounts in cents (or
 * plain numbers for codes whose catalogue entry says so). */
typedef struct tp_finding_args {
    const char *column;
    int64_t a, b;
} tp_finding_args;

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

typedef struct tp_host {
    size_t struct_size;
    int abi_version;

    /* NAME: finding
     * DESCRIPTION: records a finding for the household being checked.
     *   member is the 1-based member index, or 0 for the household.
     *   args may be NULL.  code must match [A-Z][A-Z0-9_]*.
     * RETURN: 0, or -1 when the code is malformed (nothing recorded). */
    int (*finding)(const tp_household *hh, tp_severity sev, const char *code,
                   size_t member, const tp_finding_args *args);

    /* NAME: param
     * DESCRIPTION: the validated value of a declared parameter, in the unit
     *   of its type (whole number, cents, millionths).  Call from open().
     * RETURN: 0, or -1 when no parameter of that name is declared. */
    int (*param)(void *host_ctx, const char *name, int64_t *value);

    /* NAME: as_of
     * DESCRIPTION: the assessment's as-of date (standard §2). */
    void (*as_of)(void *host_ctx, int *year, int *month, int *day);

    /* NAME: column
     * DESCRIPTION: index of an input column by canonical or header name,
     *   for use with field().  Call from open().
     * RETURN: the index, or -1 when the input has no such column. */
    int (*column)(void *host_ctx, const char *name);

    /* NAME: field
     * DESCRIPTION: the trimmed text of column `col` on member row `member`
     *   (0-based), "" when blank.  Valid during the check call only. */
    const char *(*field)(const tp_household *hh, size_t member, int col);

    /* NAME: log
     * DESCRIPTION: writes a one-line notice to the run's log.  Never pass
     *   personal data (names, ID numbers). */
    void (*log)(void *host_ctx, const char *message);

    /* NAME: finding_text
     * DESCRIPTION: like finding, with the detail given as text (for stages
     *   whose messages are their own, e.g. rule scripts).  The text is copied.
     * RETURN: 0, or -1 when the code is malformed or member out of range. */
    int (*finding_text)(const tp_household *hh, tp_severity sev, const char *code,
                        size_t member, const char *detail);

    /* NAME: has
     * DESCRIPTION: whether an earlier stage (or this one) gave the household
     *   a finding with this code.
     * RETURN: 1 or 0. */
    int (*has)(const tp_household *hh, const char *code);

    /* ---- added in tuopin 0.2 (standard §8); a stage that calls them checks
     * host->struct_size >= TP_HOST_SIZE_ROSTERS first ---- */

    /* NAME: rosters
     * DESCRIPTION: the roster kinds the run was given, as bits (1u << kind).
     *   Call from open(). */
    unsigned (*rosters)(void *host_ctx);

    /* NAME: roster
     * DESCRIPTION: the row of roster `kind` for member `member` (0-based),
     *   matched by the member's normalised ID (or its keyed hash, standard
     *   §8.3).  The roster index is built before the run and read-only
     *   during it, so any thread may call this.
     * RETURN: 1 with *row filled, 0 when the roster has no row for the
     *   member, -1 when the run was not given that kind (or member is out of
     *   range), -2 when the member's normalised ID is not valid (standard
     *   §8.2: no roster finding of any kind). */
    int (*roster)(const tp_household *hh, size_t member, tp_roster_kind kind, tp_roster_row *row);
} tp_host;

/* The size of a host table that has the roster functions. */
#define TP_HOST_SIZE_ROSTERS (offsetof(tp_host, roster) + sizeof(void (*)(void)))

/* ---- the stage descriptor ------------------------------------------------ */

/* Flags a stage declares. */
enum {
    /* check() must see households one at a time in input order, because it
     * keeps state across households (identity's set of IDs seen).  The host
     * then never calls it concurrently and always in input order. */
    TP_STAGE_ORDERED = 1u << 0
};

typedef struct tp_stage {
    int abi_version;             /* TP_ABI_VERSION the stage was built with */
    size_t struct_size;          /* sizeof(tp_stage) it was built with */
    const char *name;
    const char *version;
    const char *description;
    unsigned flags;              /* TP_STAGE_* */
    const tp_param_decl *params; /* terminated by an entry with name NULL */
    const char *const *columns;  /* canonical columns it needs; NULL-terminated */

    /* NAME: open
     * DESCRIPTION: prepares one instance; reads its parameters through
     *   host->param().  *state receives the instance (may stay NULL).  On
     *   error writes a one-line message into err (errlen bytes).
     * RETURN: 0, or -1 on error. */
    int (*open)(const tp_host *host, void *host_ctx, void **state,
                char *err, size_t errlen);

    /* NAME: check
     * DESCRIPTION: checks one household and reports findings through
     *   host->finding().  May run on several threads at once with different
     *   states, unless TP_STAGE_ORDERED.
     * RETURN: 0, or -1 on an internal error (the run stops). */
    int (*check)(void *state, const tp_household *hh);

    /* NAME: close
     * DESCRIPTION: frees the instance. */
    void (*close)(void *state);

    /* ---- added in tuopin 0.2 (descriptors without it are still loaded: the
     * host reads struct_size and treats the missing fields as NULL) ---- */

    /* NAME: check_batch (optional, TP_STAGE_ORDERED stages only)
     * DESCRIPTION: checks hhs[0..n) in input order, exactly as n calls of
     *   check() would (same findings, same order).  The host calls it instead
     *   of check() with the sound households of one chunk (a few hundred), so
     *   that a stage keeping a run-wide table can ask for the table memory of
     *   the next households while it checks the current one (identity
     *   prefetches its ID set).  NULL: the host calls check().
     * RETURN: 0, or -1 on an internal error (the run stops). */
    int (*check_batch)(void *state, const tp_household *const *hhs, size_t n);
} tp_stage;

/* The size of a descriptor built before check_batch existed; the host
 * accepts it as well as sizeof(tp_stage). */
#define TP_STAGE_SIZE_0_1 (offsetof(tp_stage, check_batch))

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
