/* test_rosters.c — department rosters (standard §8): the normalised ID of
 * §8.1 in every spelling, roster rows rejected with each code and in the
 * order of precedence, fatal roster errors, every finding of stage
 * `rosters` (§8.2) with its boundaries, and matching on keyed hashes
 * (§8.3).  Rosters are read from files by roster_load, as a run reads them;
 * the stage runs through the stage harness, which matches members the
 * engine's way. */
#define _POSIX_C_SOURCE 200809L
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "stage_harness.h"
#include "pipeline.h"
#include "rindex.h"
#include "roster.h"

/* Valid IDs (check characters worked out by hand from §3.7), born: */
#define KID8   "11010120120515001X"   /* 2012-05-15: 8 at 2020-09-30 */
#define AGE6   "110101201409300024"   /* 2014-09-30: 6 on the as-of date */
#define AGE5   "110101201410010032"   /* 2014-10-01: 5 */
#define AGE15  "110101200410010046"   /* 2004-10-01: 15 */
#define AGE16  "110101200409300054"   /* 2004-09-30: 16 on the as-of date */
#define ADULT  "110101197501010063"
#define HEAD   "110101197001010083"
#define OLD18  "110101198001011232"   /* OLD15 made 18 digits */
#define OLD15  "110101800101123"

static char dir[64];
static int nfiles;
static run_config cfg;
static roster_set *rs;
static char *rejects;          /* roster_rejects rows of the last load */
static char err[1024];

static int group_setup(void **state)
{
    (void)state;
    snprintf(dir, sizeof dir, "/tmp/test_rosters.XXXXXX");
    if (!mkdtemp(dir)) return -1;
    return sh_setup("rosters");
}

static int group_teardown(void **state)
{
    char cmd[128];
    (void)state;
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0) return -1;
    sh_teardown();
    return 0;
}

static void unload(void)
{
    sh_set_rosters(NULL);
    roster_free(rs);
    rs = NULL;
    run_config_free(&cfg);
    memset(&cfg, 0, sizeof cfg);
    free(rejects);
    rejects = NULL;
}

static int test_setup(void **state)
{
    sh_reset(state);
    memset(&cfg, 0, sizeof cfg);
    return 0;
}

static int test_teardown(void **state)
{
    (void)state;
    unload();
    return 0;
}

/* Writes text into a new file of the test folder.  RETURN its path (static). */
static const char *put_file(const char *text, size_t n)
{
    static char path[128];
    FILE *f;
    snprintf(path, sizeof path, "%s/f%d.csv", dir, nfiles++);
    f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(text, 1, n, f), n);
    assert_int_equal(fclose(f), 0);
    return path;
}

static void add(const char *kind, const char *text)
{
    assert_int_equal(run_config_add_roster(&cfg, kind, put_file(text, strlen(text)), NULL, NULL), 0);
}

/* Loads the rosters added so far.  RETURN 0, or -1 with err. */
static int try_load(void)
{
    size_t len = 0;
    FILE *f;
    free(rejects);              /* a test may load more than once */
    rejects = NULL;
    f = open_memstream(&rejects, &len);
    assert_non_null(f);
    cfg.quiet = 1;
    rs = roster_load(&cfg, f, err, sizeof err);
    assert_int_equal(fclose(f), 0);
    if (rs) sh_set_rosters(rs);
    return rs ? 0 : -1;
}

static void load(void)
{
    if (try_load() < 0) fail_msg("roster_load: %s", err);
}

/* The rejects as "kind line CODE" lines. */
static const char *reject_codes(void)
{
    static char out[4096];
    char *p = rejects, *q;
    size_t n = 0;
    out[0] = '\0';
    while (p && *p) {
        char kind[16], file[256], code[64];
        long line;
        q = strchr(p, '\n');
        assert_non_null(q);
        assert_int_equal(sscanf(p, "%15[^,],%255[^,],%ld,%63[^,],", kind, file, &line, code), 4);
        n += (size_t)snprintf(out + n, sizeof out - n, "%s %ld %s\n", kind, line, code);
        p = q + 1;
    }
    return out;
}

/* ---- the normalised ID (§8.1) ------------------------------------------------- */

/* Also the key straight from the text (rid_id_key, its own path for 18
 * ASCII characters): the key of the normalised ID, or none. */
static void expect_norm(const char *in, const char *want)
{
    char out[RID_LEN + 1];
    rid_key k = { 7, 7 }, w;
    if (!want) {
        assert_int_equal(rid_normalise(in, strlen(in), out), 0);
        assert_int_equal(rid_id_key(in, strlen(in), &k), 0);
        return;
    }
    assert_int_equal(rid_normalise(in, strlen(in), out), 1);
    assert_string_equal(out, want);
    w = rid_plain_key(want);
    assert_int_equal(rid_id_key(in, strlen(in), &k), 1);
    assert_true(k.a == w.a && k.b == 0);
}

static void test_id_eighteen_digits_stay_as_they_are(void **state)
{
    (void)state;
    expect_norm(ADULT, ADULT);
    expect_norm(KID8, KID8);
}

static void test_id_lower_case_x_is_made_upper_case(void **state)
{
    (void)state;
    expect_norm("11010120120515001x", KID8);
}

static void test_id_full_width_digits_and_x_are_made_ascii(void **state)
{
    (void)state;
    /* １１０１０１２０１２０５１５００１Ｘ */
    expect_norm("\xef\xbc\x91\xef\xbc\x91\xef\xbc\x90\xef\xbc\x91\xef\xbc\x90\xef\xbc\x91"
                "\xef\xbc\x92\xef\xbc\x90\xef\xbc\x91\xef\xbc\x92\xef\xbc\x90\xef\xbc\x95"
                "\xef\xbc\x91\xef\xbc\x95\xef\xbc\x90\xef\xbc\x90\xef\xbc\x91\xef\xbc\xb8", KID8);
    /* full-width digits mixed with ASCII ones */
    expect_norm("110101201205150\xef\xbc\x90\xef\xbc\x91X", KID8);
}

static void test_id_fifteen_digits_become_eighteen(void **state)
{
    (void)state;
    expect_norm(OLD15, OLD18);
    expect_norm("11010180010112X", NULL);   /* a 15-character ID is all digits */
    expect_norm("110101801301123", NULL);   /* month 13: not a real date once made 18 */
}

static void test_id_spaces_and_tabs_around_are_trimmed_inside_not(void **state)
{
    (void)state;
    expect_norm("  " ADULT "\t ", ADULT);
    expect_norm("110101 197501010063", NULL);
}

static void test_id_that_fails_the_check_of_3_7_is_not_valid(void **state)
{
    (void)state;
    expect_norm("110101197501010064", NULL);   /* wrong check character */
    expect_norm("110101197502300061", NULL);   /* 30 February */
    expect_norm("11010119750101006X", NULL);   /* X where the check is a digit */
    expect_norm("110101197501010O63", NULL);   /* a letter O among the digits */
    expect_norm("11010119750101006", NULL);    /* 17 characters */
    expect_norm("1101011975010100631", NULL);  /* 19 */
    expect_norm("", NULL);
}

/* ---- roster rows rejected (§8.1) --------------------------------------------------- */

static void test_reject_each_code_with_its_line(void **state)
{
    (void)state;
    add("medical",
        "person_id,insured\n"
        ADULT ",yes\n"                       /* 2 accepted */
        "110101197501010064,yes\n"           /* 3 bad check character */
        HEAD ",maybe\n"                      /* 4 not a yes/no */
        KID8 ",\n"                           /* 5 blank: missing */
        ADULT ",no\n"                        /* 6 the same ID again */
        AGE6 ",yes,extra\n"                  /* 7 three fields */
        "\n"                                 /*   an empty line is skipped */
        AGE5 ",yes\n");                      /* 9 accepted */
    load();
    assert_string_equal(reject_codes(),
                        "medical 3 ROSTER_BAD_ID\n"
                        "medical 4 ROSTER_BAD_VALUE\n"
                        "medical 5 ROSTER_BAD_VALUE\n"
                        "medical 6 ROSTER_DUPLICATE\n"
                        "medical 7 ROW_FIELD_COUNT\n");
    assert_int_equal(rs->rows[TP_ROSTER_MEDICAL], 7);
    assert_int_equal(rs->rejected[TP_ROSTER_MEDICAL], 5);
    /* the first row stands: ADULT insured yes */
    assert_int_equal(roster_member_value(rs, ADULT) & RV_HAS(TP_ROSTER_MEDICAL), RV_HAS(TP_ROSTER_MEDICAL));
    {
        tp_roster_row row;
        assert_int_equal(rv_row(roster_member_value(rs, ADULT), TP_ROSTER_MEDICAL, &row), 1);
        assert_int_equal(row.insured.value, 1);
    }
}

static void test_reject_detail_names_the_column(void **state)
{
    (void)state;
    add("medical", "person_id,insured\n" HEAD ",maybe\n");
    load();
    assert_non_null(strstr(rejects, "insured"));
    assert_null(strstr(rejects, HEAD));     /* no ID in the detail */
}

static void test_reject_precedence_structure_then_id_then_value_then_duplicate(void **state)
{
    (void)state;
    add("school",
        "person_id,enrolled\n"
        "bad-id,maybe,extra\n"               /* 2 field count before the ID */
        "bad-id,maybe\n"                     /* 3 ID before the value */
        KID8 ",maybe\n"                      /* 4 value; not accepted */
        KID8 ",no\n"                         /* 5 accepted: 4 was rejected */
        KID8 ",maybe\n"                      /* 6 value before duplicate */
        KID8 ",yes\n"                        /* 7 duplicate */
        "\"" KID8 ",yes\n");                 /* 8 a quote that never ends */
    load();
    assert_string_equal(reject_codes(),
                        "school 2 ROW_FIELD_COUNT\n"
                        "school 3 ROSTER_BAD_ID\n"
                        "school 4 ROSTER_BAD_VALUE\n"
                        "school 6 ROSTER_BAD_VALUE\n"
                        "school 7 ROSTER_DUPLICATE\n"
                        "school 8 ROW_UNTERMINATED_QUOTE\n");
}

static void test_reject_bytes_not_valid_in_the_encoding(void **state)
{
    static const char text[] = "person_id,insured\n" ADULT ",y\xff" "es\n" HEAD ",yes\n";
    (void)state;
    assert_int_equal(run_config_add_roster(&cfg, "medical", put_file(text, sizeof text - 1), NULL, NULL), 0);
    load();
    assert_string_equal(reject_codes(), "medical 2 ROW_ENCODING\n");
}

static void test_header_any_case_any_order_extra_columns_ignored(void **state)
{
    (void)state;
    add("medical", "\xef\xbb\xbf" "Source,INSURED,Person_ID\r\nX," "是" "," ADULT "\r\n");
    load();
    assert_string_equal(reject_codes(), "");
    assert_true(roster_member_value(rs, ADULT) & RV_HAS(TP_ROSTER_MEDICAL));
}

static void test_duplicate_across_files_of_one_kind(void **state)
{
    (void)state;
    add("medical", "person_id,insured\n" ADULT ",yes\n");
    add("medical", "person_id,insured\n" "110101197501010063" ",no\n");
    load();
    assert_int_equal(strstr(reject_codes(), "medical 2 ROSTER_DUPLICATE") != NULL, 1);
}

static void test_hukou_values(void **state)
{
    (void)state;
    add("hukou",
        "person_id,hukou_status,event_date\n"
        ADULT ",死亡,2020-05-01\n"           /* 2 accepted */
        HEAD ",deceased,\n"                  /* 3 date required */
        KID8 ",Moved_Out,2020/13/1\n"        /* 4 not a real date */
        AGE6 ",ACTIVE,whenever\n"            /* 5 active: date ignored */
        AGE5 ",gone,2020-01-01\n"            /* 6 not a status */
        AGE15 ",在册,\n"                      /* 7 accepted */
        AGE16 ",迁出,20200101\n");           /* 8 accepted */
    load();
    assert_string_equal(reject_codes(),
                        "hukou 3 ROSTER_BAD_VALUE\n"
                        "hukou 4 ROSTER_BAD_VALUE\n"
                        "hukou 6 ROSTER_BAD_VALUE\n");
    assert_non_null(strstr(rejects, "event_date"));
    assert_non_null(strstr(rejects, "hukou_status"));
}

static void test_housing_values(void **state)
{
    (void)state;
    add("housing",
        "person_id,housing_rating,housing_fixed\n"
        ADULT ",D级,\n"                      /* 2 accepted, fixed blank */
        HEAD ",E,yes\n"                      /* 3 not a rating */
        KID8 ",c,done?\n"                    /* 4 fixed not yes/no */
        AGE6 ",,no\n");                      /* 5 rating missing */
    load();
    assert_string_equal(reject_codes(),
                        "housing 3 ROSTER_BAD_VALUE\n"
                        "housing 4 ROSTER_BAD_VALUE\n"
                        "housing 5 ROSTER_BAD_VALUE\n");
    assert_non_null(strstr(rejects, "housing_fixed"));
}

static void test_assets_repeat_an_id_with_different_assets(void **state)
{
    tp_roster_row row;
    (void)state;
    add("assets",
        "person_id,asset\n"
        ADULT ",vehicle\n"
        ADULT ",商品房\n"
        ADULT ",车辆\n"                       /* 4 vehicle again */
        ADULT ",yacht\n"                     /* 5 not an asset */
        ADULT ",Business\n");
    load();
    assert_string_equal(reject_codes(), "assets 4 ROSTER_DUPLICATE\nassets 5 ROSTER_BAD_VALUE\n");
    assert_int_equal(rv_row(roster_member_value(rs, ADULT), TP_ROSTER_ASSETS, &row), 1);
    assert_int_equal(row.n_assets, 3);
    assert_int_equal(row.assets[0], TP_ASSET_VEHICLE);
    assert_int_equal(row.assets[1], TP_ASSET_COMMERCIAL_HOUSING);
    assert_int_equal(row.assets[2], TP_ASSET_BUSINESS);
}

/* ---- fatal errors ----------------------------------------------------------------------- */

static void test_fatal_missing_column_names_it(void **state)
{
    (void)state;
    add("housing", "person_id,housing_rating\n" ADULT ",A\n");
    assert_int_equal(try_load(), -1);
    assert_non_null(strstr(err, "housing_fixed"));
}

static void test_fatal_unknown_kind(void **state)
{
    (void)state;
    add("pension", "person_id,x\n");
    assert_int_equal(try_load(), -1);
    assert_non_null(strstr(err, "pension"));
}

static void test_fatal_unreadable_file(void **state)
{
    (void)state;
    assert_int_equal(run_config_add_roster(&cfg, "medical", "/nonexistent/m.csv", NULL, NULL), 0);
    assert_int_equal(try_load(), -1);
    assert_non_null(strstr(err, "/nonexistent/m.csv"));
}

static void test_fatal_key_file_missing_or_empty(void **state)
{
    (void)state;
    add("medical", "person_id,insured\n");
    cfg.id_key = strdup("/nonexistent/key");
    assert_int_equal(try_load(), -1);
    assert_non_null(strstr(err, "/nonexistent/key"));
    free(cfg.id_key);
    cfg.id_key = strdup(put_file("", 0));
    assert_int_equal(try_load(), -1);
    assert_non_null(strstr(err, "empty"));
}

/* ---- stage rosters (§8.2) ---------------------------------------------------------------- */

#define COLS SH_COLS "person_id,relation,school_status,medical_insured,housing_rating,housing_fixed\n"
#define ROW(hid, id, rel) SH_ROW(hid) id "," rel ","

static void test_uninsured_without_row_or_insured_no(void **state)
{
    (void)state;
    add("medical", "person_id,insured\n" HEAD ",yes\n" ADULT ",no\n");
    load();
    sh_run(COLS
           ROW("H1", HEAD, "head") ",yes,A,\n"
           ROW("H1", ADULT, "spouse") ",yes,A,\n"
           ROW("H1", KID8, "child") ",yes,A,\n"
           ROW("H1", "110101197501010064", "child") ",yes,A,\n");  /* invalid: nothing */
    sh_expect("H1 fail ROSTER_UNINSURED m2\n"
              "H1 fail ROSTER_UNINSURED m3\n");
}

static void test_every_id_spelling_matches(void **state)
{
    (void)state;
    /* the roster spells each ID another way than the registry */
    add("medical", "person_id,insured\n"
        "11010120120515001x,yes\n"
        " " OLD15 " ,yes\n"
        "\xef\xbc\x91" "10101197001010083,yes\n");
    load();
    sh_run(COLS
           ROW("H1", HEAD, "head") ",yes,A,\n"
           ROW("H1", KID8, "child") ",yes,A,\n"
           ROW("H1", OLD18, "child") ",yes,A,\n");
    sh_expect("");
    /* and the registry's own spellings are normalised too */
    sh_run(COLS
           ROW("H2", "110101800101123", "head") ",yes,A,\n"
           ROW("H2", "11010120120515001x", "child") ",yes,A,\n");
    sh_expect("");
}

static void test_school_age_boundaries(void **state)
{
    (void)state;
    add("school", "person_id,enrolled\n"
        AGE6 ",no\n" AGE5 ",no\n" AGE15 ",no\n" AGE16 ",no\n" KID8 ",yes\n");
    load();
    sh_run(COLS
           ROW("H1", HEAD, "head") ",yes,A,\n"
           ROW("H1", AGE6, "child") "primary,yes,A,\n"
           ROW("H1", AGE5, "child") "preschool,yes,A,\n"
           ROW("H1", AGE15, "child") "junior,yes,A,\n"
           ROW("H1", AGE16, "child") "senior,yes,A,\n"
           ROW("H1", KID8, "child") "primary,yes,A,\n");
    /* HEAD is an adult: not school age, no row needed */
    sh_expect("H1 fail ROSTER_NOT_ENROLLED m2\n"
              "H1 fail ROSTER_NOT_ENROLLED m4\n");
}

static void test_school_home_schooling_and_exempt_are_not_failed(void **state)
{
    (void)state;
    add("school", "person_id,enrolled\n" AGE6 ",no\n" KID8 ",no\n" AGE15 ",no\n");
    load();
    sh_run(COLS
           ROW("H1", AGE6, "child") "送教上门,yes,A,\n"
           ROW("H1", KID8, "child") "exempt,yes,A,\n"
           ROW("H1", AGE15, "child") "dropout,yes,A,\n");
    sh_expect("H1 fail ROSTER_NOT_ENROLLED m3");
}

static void test_school_absent_warns_for_school_age_without_row(void **state)
{
    (void)state;
    add("school", "person_id,enrolled\n" ADULT ",yes\n");
    load();
    sh_run(COLS
           ROW("H1", AGE6, "child") "primary,yes,A,\n"
           ROW("H1", AGE5, "child") "preschool,yes,A,\n"
           ROW("H1", KID8, "child") "exempt,yes,A,\n"
           ROW("H1", AGE16, "child") "senior,yes,A,\n");
    /* docs/decisions.md: "such a member" is a member of school age, exempt or not */
    sh_expect("H1 warn ROSTER_SCHOOL_ABSENT m1\n"
              "H1 warn ROSTER_SCHOOL_ABSENT m3\n");
}

static void test_school_unknown_age_is_not_school_age(void **state)
{
    (void)state;
    add("school", "person_id,enrolled\n" KID8 ",no\n");
    load();
    sh_run(SH_COLS "person_id,relation,birth_date,school_status\n"
           SH_ROW("H1") KID8 ",child,2012-02-30,primary\n");
    sh_expect("");
}

static void test_housing_unsafe_for_the_head_only(void **state)
{
    (void)state;
    add("housing", "person_id,housing_rating,housing_fixed\n"
        HEAD ",C,no\n" ADULT ",D级,\n" KID8 ",D,yes\n" AGE6 ",B,no\n" AGE15 ",D,\n");
    load();
    sh_run(COLS
           ROW("H1", HEAD, "head") ",yes,A,yes\n"           /* C, not fixed */
           ROW("H2", ADULT, "户主") ",yes,A,yes\n"           /* D, blank */
           ROW("H3", KID8, "head") ",yes,A,yes\n"           /* D, fixed */
           ROW("H4", AGE6, "head") ",yes,A,yes\n"           /* B */
           ROW("H5", AGE5, "head") ",yes,A,yes\n"           /* no housing row */
           ROW("H5", AGE15, "child") ",yes,A,yes\n"         /* a non-head's row */
           ROW("H6", AGE15, "child") ",yes,A,yes\n"         /* no head at all */
           ROW("H7", AGE16, "head") ",yes,A,yes\n"          /* the first head counts */
           ROW("H7", HEAD, "head") ",yes,A,yes\n");
    sh_expect("H1 fail ROSTER_HOUSING_UNSAFE\n"
              "H2 fail ROSTER_HOUSING_UNSAFE\n");
}

static void test_hukou_events_before_on_and_after_the_as_of_date(void **state)
{
    (void)state;
    add("hukou", "person_id,hukou_status,event_date\n"
        HEAD ",deceased,2020-09-29\n"
        ADULT ",deceased,2020-09-30\n"
        KID8 ",deceased,2020-10-01\n"
        AGE6 ",moved_out,2020/9/30\n"
        AGE5 ",moved_out,20201001\n"
        AGE15 ",active,\n"
        AGE16 ",迁出,2019-01-01\n");
    load();
    sh_run(COLS
           ROW("H1", HEAD, "head") ",yes,A,\n"
           ROW("H1", ADULT, "spouse") ",yes,A,\n"
           ROW("H1", KID8, "child") ",yes,A,\n"
           ROW("H1", AGE6, "child") ",yes,A,\n"
           ROW("H1", AGE5, "child") ",yes,A,\n"
           ROW("H1", AGE15, "child") ",yes,A,\n"
           ROW("H1", AGE16, "child") ",yes,A,\n"
           ROW("H1", OLD18, "child") ",yes,A,\n");          /* no hukou row: nothing */
    sh_expect("H1 warn ROSTER_DECEASED m1\n"
              "H1 warn ROSTER_DECEASED m2\n"
              "H1 warn ROSTER_MOVED_OUT m4\n"
              "H1 warn ROSTER_MOVED_OUT m7\n");
}

static void test_assets_one_warning_per_row(void **state)
{
    (void)state;
    add("assets", "person_id,asset\n"
        HEAD ",vehicle\n" HEAD ",public_payroll\n" KID8 ",工商注册\n");
    load();
    sh_run(COLS
           ROW("H1", HEAD, "head") ",yes,A,\n"
           ROW("H1", KID8, "child") "primary,yes,A,\n"
           ROW("H1", ADULT, "spouse") ",yes,A,\n");
    sh_expect("H1 warn ROSTER_ASSETS m1\n"
              "H1 warn ROSTER_ASSETS m1\n"
              "H1 warn ROSTER_ASSETS m2\n");
}

static void test_only_the_kinds_given_are_checked(void **state)
{
    (void)state;
    add("assets", "person_id,asset\n" HEAD ",vehicle\n");
    load();
    /* no medical, school, housing or hukou roster: nobody is uninsured */
    sh_run(COLS ROW("H1", HEAD, "head") ",no,D,no\n" ROW("H1", KID8, "child") "dropout,no,D,no\n");
    sh_expect("H1 warn ROSTER_ASSETS m1");
}

static void test_invalid_registry_id_gets_no_finding_of_any_kind(void **state)
{
    (void)state;
    add("medical", "person_id,insured\n");
    add("school", "person_id,enrolled\n");
    add("housing", "person_id,housing_rating,housing_fixed\n");
    load();
    sh_run(COLS ROW("H1", "", "head") "primary,yes,D,\n"
                ROW("H1", "110101201205150010", "child") "primary,yes,D,\n");
    sh_expect("");
}

/* ---- keyed hashes (§8.3) --------------------------------------------------------------------- */

static void test_keyed_hash_matches_as_the_plain_ids_do(void **state)
{
    static const char key[] = "a key both sides hold\n";
    char kf[128];
    rid_hmac *h;
    char hex[3][65], text[1024];
    const char *hh = COLS
        ROW("H1", HEAD, "head") ",yes,A,\n"
        ROW("H1", "11010120120515001x", "child") ",yes,A,\n"   /* lower-case x in the registry */
        ROW("H1", OLD15, "child") ",yes,A,\n";
    char plain[4096];
    (void)state;
    /* plain */
    add("medical", "person_id,insured\n" HEAD ",yes\n" KID8 ",no\n");
    load();
    sh_run(hh);
    snprintf(plain, sizeof plain, "%s", sh_findings());
    sh_expect("H1 fail ROSTER_UNINSURED m2\nH1 fail ROSTER_UNINSURED m3\n");
    unload();
    memset(&cfg, 0, sizeof cfg);

    /* the same roster hashed (upper-case hex is accepted too) */
    snprintf(kf, sizeof kf, "%s", put_file(key, sizeof key - 1));
    h = rid_hmac_new((const unsigned char *)key, sizeof key - 1);
    assert_non_null(h);
    rid_hmac_hex(h, HEAD, RID_LEN, hex[0]);
    rid_hmac_hex(h, KID8, RID_LEN, hex[1]);
    rid_hmac_hex(h, ADULT, RID_LEN, hex[2]);
    rid_hmac_free(h);
    hex[2][0] = hex[2][0] >= 'a' ? (char)(hex[2][0] - 32) : hex[2][0];
    snprintf(text, sizeof text, "person_id,insured\n%s,yes\n%s,no\n%s,yes\n" ADULT ",yes\n%.63s,yes\n",
             hex[0], hex[1], hex[2], hex[0]);
    add("medical", text);
    cfg.id_key = strdup(kf);
    load();
    /* a plain ID and 63 hex digits are not keyed hashes */
    assert_string_equal(reject_codes(), "medical 5 ROSTER_BAD_ID\nmedical 6 ROSTER_BAD_ID\n");
    sh_run(hh);
    assert_string_equal(sh_findings(), plain);
}

static void test_hmac_is_rfc_4231_hmac_sha256(void **state)
{
    /* RFC 4231, test case 2 */
    rid_hmac *h = rid_hmac_new((const unsigned char *)"Jefe", 4);
    char hex[65];
    (void)state;
    rid_hmac_hex(h, "what do ya want for nothing?", 28, hex);
    rid_hmac_free(h);
    assert_string_equal(hex, "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
}

#define T(f) cmocka_unit_test_setup_teardown(f, test_setup, test_teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_id_eighteen_digits_stay_as_they_are),
        T(test_id_lower_case_x_is_made_upper_case),
        T(test_id_full_width_digits_and_x_are_made_ascii),
        T(test_id_fifteen_digits_become_eighteen),
        T(test_id_spaces_and_tabs_around_are_trimmed_inside_not),
        T(test_id_that_fails_the_check_of_3_7_is_not_valid),
        T(test_reject_each_code_with_its_line),
        T(test_reject_detail_names_the_column),
        T(test_reject_precedence_structure_then_id_then_value_then_duplicate),
        T(test_reject_bytes_not_valid_in_the_encoding),
        T(test_header_any_case_any_order_extra_columns_ignored),
        T(test_duplicate_across_files_of_one_kind),
        T(test_hukou_values),
        T(test_housing_values),
        T(test_assets_repeat_an_id_with_different_assets),
        T(test_fatal_missing_column_names_it),
        T(test_fatal_unknown_kind),
        T(test_fatal_unreadable_file),
        T(test_fatal_key_file_missing_or_empty),
        T(test_uninsured_without_row_or_insured_no),
        T(test_every_id_spelling_matches),
        T(test_school_age_boundaries),
        T(test_school_home_schooling_and_exempt_are_not_failed),
        T(test_school_absent_warns_for_school_age_without_row),
        T(test_school_unknown_age_is_not_school_age),
        T(test_housing_unsafe_for_the_head_only),
        T(test_hukou_events_before_on_and_after_the_as_of_date),
        T(test_assets_one_warning_per_row),
        T(test_only_the_kinds_given_are_checked),
        T(test_invalid_registry_id_gets_no_finding_of_any_kind),
        T(test_keyed_hash_matches_as_the_plain_ids_do),
        T(test_hmac_is_rfc_4231_hmac_sha256),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
