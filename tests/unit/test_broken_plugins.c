/* test_broken_plugins.c — deliberately broken stage plugins, and names that
 * try to reach outside the plugin folders.  Each is refused with a message
 * naming the file (or the name), and none crashes the loader: a descriptor
 * without a name, one claiming a terabyte of size, an entry returning NULL,
 * parameters of an unknown type or with a default that is not a number;
 * stage names with a slash, "..", upper case, or empty; TUOPIN_PLUGIN_PATH
 * entries that are relative.  (test_loader.c has the well-formed refusals:
 * ABI version, smaller size, no symbol, no check, symbolic link,
 * world-writable folder.)  A plugin whose check() crashes is out of scope:
 * stages are trusted code, loaded only from folders the operator chose. */
#define _POSIX_C_SOURCE 200809L
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "params.h"
#include "plugin.h"

static char builddir[4096];

static void fixture(char *buf, size_t len, const char *name)
{
    snprintf(buf, len, "%s/tests/fixtures/.libs/%s.so", builddir, name);
}

/* Loads fixture NAME; asserts it is refused with a message naming the file. */
static void assert_refused(const char *name, const char *why)
{
    char path[4200], err[1024] = "";
    plugin p;
    fixture(path, sizeof path, name);
    if (plugin_load_path(path, NULL, &p, err, sizeof err) == 0) {
        plugin_unload(&p);
        fail_msg("%s was loaded", name);
    }
    if (!strstr(err, path)) fail_msg("%s: the message does not name the file: %s", name, err);
    if (why && !strstr(err, why)) fail_msg("%s: the message does not say \"%s\": %s", name, why, err);
    assert_null(p.handle);
    assert_null(p.desc);
}

static void test_descriptor_without_a_name_is_refused(void **state)
{
    (void)state;
    assert_refused("null_name_stage", NULL);
}

static void test_descriptor_claiming_a_huge_size_is_refused(void **state)
{
    (void)state;
    assert_refused("huge_size_stage", "1099511627776");
}

static void test_entry_returning_null_is_refused(void **state)
{
    (void)state;
    assert_refused("null_entry_stage", NULL);
}

static void test_parameter_of_unknown_type_is_refused(void **state)
{
    (void)state;
    assert_refused("bad_param_stage", "bad_param_type");
}

/* ABI 2: built for other type sizes (TP_ABI_SIZES differs) is refused. */
static void test_other_type_size_fingerprint_is_refused(void **state)
{
    (void)state;
    assert_refused("bad_fingerprint_stage", "fingerprint");
}

/* ABI 2: a declared finding code not of the form [A-Z][A-Z0-9_]* is refused,
 * naming the code. */
static void test_malformed_finding_code_is_refused(void **state)
{
    (void)state;
    assert_refused("bad_code_stage", "lower_case");
}

/* Names are letters, digits, _ and -: nothing that could leave the folder. */
static void test_stage_names_with_path_tricks_are_refused(void **state)
{
    static const char *const names[] = {
        "../good_stage", "a/b", "/tmp/good_stage", "..", ".", "", "Good_stage",
        "good_stage.so", "good stage", "good_stage\n", "..%2fgood_stage", NULL
    };
    size_t i;
    (void)state;
    for (i = 0; names[i]; i++) {
        char err[1024] = "";
        plugin p;
        if (plugin_load(names[i], &p, err, sizeof err) == 0) {
            plugin_unload(&p);
            fail_msg("stage name \"%s\" was loaded", names[i]);
        }
        if (!strstr(err, "stage")) fail_msg("\"%s\": unclear message: %s", names[i], err);
    }
}

/* A relative folder in TUOPIN_PLUGIN_PATH is never searched: it would make
 * what loads depend on the folder a run starts in. */
static void test_relative_plugin_path_entries_are_ignored(void **state)
{
    char dir[4200], err[1024] = "";
    plugin p;
    (void)state;
    snprintf(dir, sizeof dir, "%s/tests/fixtures/.libs", builddir);
    assert_int_equal(chdir(dir), 0);
    setenv("TUOPIN_PLUGIN_PATH", ".:./:tests/fixtures/.libs", 1);
    if (plugin_load("good_stage", &p, err, sizeof err) == 0) {
        plugin_unload(&p);
        fail_msg("good_stage was found through a relative TUOPIN_PLUGIN_PATH");
    }
    assert_non_null(strstr(err, "good_stage"));
    /* The same folder given absolutely is searched. */
    setenv("TUOPIN_PLUGIN_PATH", dir, 1);
    if (plugin_load("good_stage", &p, err, sizeof err) != 0)
        fail_msg("good_stage not found in an absolute TUOPIN_PLUGIN_PATH: %s", err);
    plugin_unload(&p);
    unsetenv("TUOPIN_PLUGIN_PATH");
}

/* A default that is not a number is caught when the run's parameters are
 * filled in, with a message naming the parameter. */
static void test_default_that_is_not_a_number_stops_the_run(void **state)
{
    static const tp_param_decl decls[] = {
        { .name = "bad_param_default", .type = TP_PARAM_INT, .default_value = "many", .min = "0", .max = "10", .description = "" },
        { .name = NULL }
    };
    params prm;
    char err[1024] = "";
    (void)state;
    params_init(&prm);
    assert_int_equal(params_declare(&prm, decls, "bad_param_stage", err, sizeof err), 0);
    assert_int_equal(params_finish(&prm, 2020, "/nonexistent", err, sizeof err), -1);
    assert_non_null(strstr(err, "bad_param_default"));
    params_free(&prm);
}

static int setup(void **state)
{
    const char *b = getenv("abs_top_builddir");
    (void)state;
    if (!b || !*b) {
        fprintf(stderr, "test_broken_plugins: abs_top_builddir is not set (run through make check)\n");
        return -1;
    }
    snprintf(builddir, sizeof builddir, "%s", b);
    return plugin_system_init();
}

static int teardown(void **state)
{
    (void)state;
    plugin_system_exit();
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_descriptor_without_a_name_is_refused),
        cmocka_unit_test(test_descriptor_claiming_a_huge_size_is_refused),
        cmocka_unit_test(test_entry_returning_null_is_refused),
        cmocka_unit_test(test_parameter_of_unknown_type_is_refused),
        cmocka_unit_test(test_other_type_size_fingerprint_is_refused),
        cmocka_unit_test(test_malformed_finding_code_is_refused),
        cmocka_unit_test(test_stage_names_with_path_tricks_are_refused),
        cmocka_unit_test(test_relative_plugin_path_entries_are_ignored),
        cmocka_unit_test(test_default_that_is_not_a_number_stops_the_run),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
