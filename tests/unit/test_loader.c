/* test_loader.c — loading stage plugins (core/stages/plugin.h): a good stage, and
 * the refusals the README promises, each with a message naming the file:
 * another ABI version, another descriptor size, no entry symbol, no check
 * function, a missing file, a symbolic link, a world-writable folder.
 *
 * The fixtures are built as modules in tests/fixtures/ and found through the
 * abs_top_builddir environment variable that `make check` sets. */
#define _POSIX_C_SOURCE 200809L
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "plugin.h"
#include "testhost.h"

static char builddir[4096];
static char tmpdir[4096];

/* Path of fixture NAME.so. */
static void fixture(char *buf, size_t len, const char *name)
{
    snprintf(buf, len, "%s/tests/fixtures/.libs/%s.so", builddir, name);
}

static void copy_file(const char *from, const char *to)
{
    char buf[8192];
    ssize_t n;
    int in = open(from, O_RDONLY), out;
    assert_true(in >= 0);
    out = open(to, O_WRONLY | O_CREAT | O_TRUNC, 0755);
    assert_true(out >= 0);
    while ((n = read(in, buf, sizeof buf)) > 0) assert_int_equal(write(out, buf, (size_t)n), n);
    close(in);
    close(out);
}

static int refused(const char *path, const char *expect_name, char *err, size_t errlen)
{
    plugin p;
    int rc = plugin_load_path(path, expect_name, &p, err, errlen);
    if (rc == 0) plugin_unload(&p);
    return rc != 0;
}

static void test_good_stage_loads(void **state)
{
    char path[4200], err[1024] = "";
    plugin p;
    (void)state;
    fixture(path, sizeof path, "good_stage");
    if (plugin_load_path(path, "good_stage", &p, err, sizeof err) != 0)
        fail_msg("good_stage refused: %s", err);
    assert_non_null(p.desc);
    assert_int_equal(p.desc->abi_version, TP_ABI_VERSION);
    assert_int_equal(p.desc->struct_size, sizeof(tp_stage));
    assert_string_equal(p.desc->name, "good_stage");
    assert_string_equal(p.desc->version, "1.2.3");
    assert_non_null(p.desc->check);
    assert_int_equal(p.abi, 2);
    assert_int_equal(p.desc->params.n, 1);
    assert_int_equal(p.desc->params.size, sizeof(tp_param_decl));
    assert_string_equal(p.desc->params.items[0].name, "good_threshold");
    assert_string_equal(p.desc->params.items[0].description_zh, "测试用的参数");
    assert_null(p.desc->params.items[1].name); /* the host's copy is NULL-terminated too */
    assert_int_equal(p.desc->codes.n, 1);
    assert_string_equal(p.desc->codes.items[0].code, "GOOD_STAGE_SEEN");
    assert_int_equal(p.desc->dimension, TP_DIM_WATER);
    assert_int_equal(p.desc->role, TP_ROLE_CHECK);
    assert_int_equal(*(int *)p.desc->user, 42);
    assert_string_equal(p.desc->columns[0], "household_id");
    assert_string_equal(p.path, path);
    plugin_unload(&p);
    assert_null(p.handle);
    assert_null(p.desc);
}

static void test_good_stage_loads_without_expected_name(void **state)
{
    char path[4200], err[1024] = "";
    plugin p;
    (void)state;
    fixture(path, sizeof path, "good_stage");
    assert_int_equal(plugin_load_path(path, NULL, &p, err, sizeof err), 0);
    assert_string_equal(p.desc->name, "good_stage");
    plugin_unload(&p);
}

static void test_stage_calling_itself_another_name_is_refused(void **state)
{
    char path[4200], err[1024] = "";
    (void)state;
    fixture(path, sizeof path, "good_stage");
    assert_true(refused(path, "income", err, sizeof err));
    assert_non_null(strstr(err, path));
    assert_non_null(strstr(err, "good_stage"));
}

/* A descriptor of tuopin 0.1's size (ABI 1, no check_batch) loads, and the
 * field it lacks reads as NULL: the host copies what the stage has, no more. */
static void test_descriptor_of_the_0_1_size_loads(void **state)
{
    char path[4200], err[1024] = "";
    plugin p;
    (void)state;
    fixture(path, sizeof path, "old_stage");
    if (plugin_load_path(path, "old_stage", &p, err, sizeof err) != 0)
        fail_msg("old_stage refused: %s", err);
    assert_int_equal(p.abi, 1);
    assert_string_equal(p.desc->version, "0.1");
    assert_int_equal(p.desc->flags, TP_STAGE_ORDERED);
    assert_non_null(p.desc->check);
    assert_null(p.desc->check_batch);
    assert_null(p.desc->open);
    assert_int_equal(p.desc->params.n, 0);
    assert_int_equal(p.desc->check(NULL, NULL), 0);
    plugin_unload(&p);
}

/* A stage built for ABI 1 (tuopin 0.2's header) loads: its parameter
 * declared at the host's element size, its open() reached through the
 * adapter and its parameter asked through the ABI 1 host table (the test
 * host declares none, so open() fails as it should). */
static void test_abi_1_stage_loads_and_opens(void **state)
{
    char path[4200], err[1024] = "";
    plugin p;
    th_case *c = th_new(2020, 9, 30);
    void *st = NULL;
    (void)state;
    fixture(path, sizeof path, "v1_stage");
    if (plugin_load_path(path, "v1_stage", &p, err, sizeof err) != 0)
        fail_msg("v1_stage refused: %s", err);
    assert_int_equal(p.abi, 1);
    assert_int_equal(p.desc->params.n, 1);
    assert_string_equal(p.desc->params.items[0].name, "v1_limit");
    assert_string_equal(p.desc->params.items[0].default_value, "2");
    assert_null(p.desc->params.items[0].description_zh);
    assert_null(p.desc->params.items[1].name);
    assert_int_equal(p.desc->dimension, TP_DIM_NONE);
    /* the test host declares no parameters: open() must fail cleanly */
    assert_non_null(c);
    assert_int_equal(th_set(c, "household_id", "H1"), 0);
    assert_int_equal(th_set(c, "region_code", "110101001001"), 0);
    assert_int_equal(th_set(c, "status", "poor"), 0);
    assert_true(th_add_member(c) >= 0);
    assert_int_equal(th_build(c), 0);
    assert_int_equal(th_open(c, p.desc, &st, err, sizeof err), -1);
    assert_null(st);
    /* tests/e2e/external_stage.sh runs it through a whole run */
    plugin_unload(&p);
    th_free(c);
}

static void test_wrong_abi_version_is_refused_naming_the_file(void **state)
{
    char path[4200], err[1024] = "";
    (void)state;
    fixture(path, sizeof path, "bad_abi_stage");
    assert_true(refused(path, "bad_abi_stage", err, sizeof err));
    assert_non_null(strstr(err, path));
    assert_non_null(strstr(err, "ABI"));
}

static void test_wrong_descriptor_size_is_refused_naming_the_file(void **state)
{
    char path[4200], err[1024] = "";
    (void)state;
    fixture(path, sizeof path, "bad_size_stage");
    assert_true(refused(path, "bad_size_stage", err, sizeof err));
    assert_non_null(strstr(err, path));
    assert_non_null(strstr(err, "size"));
}

static void test_missing_entry_symbol_is_refused_naming_the_file(void **state)
{
    char path[4200], err[1024] = "";
    (void)state;
    fixture(path, sizeof path, "no_symbol_stage");
    assert_true(refused(path, NULL, err, sizeof err));
    assert_non_null(strstr(err, path));
    assert_non_null(strstr(err, TP_STAGE_ENTRY));
}

static void test_descriptor_without_check_is_refused(void **state)
{
    char path[4200], err[1024] = "";
    (void)state;
    fixture(path, sizeof path, "no_check_stage");
    assert_true(refused(path, NULL, err, sizeof err));
    assert_non_null(strstr(err, path));
}

static void test_missing_file_is_refused_naming_the_file(void **state)
{
    char path[4200], err[1024] = "";
    (void)state;
    fixture(path, sizeof path, "no_such_stage");
    assert_true(refused(path, NULL, err, sizeof err));
    assert_non_null(strstr(err, path));
}

static void test_symbolic_link_is_refused(void **state)
{
    char target[4200], link[4200], err[1024] = "";
    (void)state;
    fixture(target, sizeof target, "good_stage");
    snprintf(link, sizeof link, "%s/linked_stage.so", tmpdir);
    unlink(link);
    assert_int_equal(symlink(target, link), 0);
    assert_true(refused(link, NULL, err, sizeof err));
    assert_non_null(strstr(err, link));
    unlink(link);
}

static void test_folder_is_not_a_stage(void **state)
{
    char err[1024] = "";
    (void)state;
    assert_true(refused(tmpdir, NULL, err, sizeof err));
    assert_non_null(strstr(err, tmpdir));
}

static void test_copy_in_a_private_folder_loads(void **state)
{
    char from[4200], to[4200], err[1024] = "";
    plugin p;
    (void)state;
    fixture(from, sizeof from, "good_stage");
    snprintf(to, sizeof to, "%s/good_stage.so", tmpdir);
    copy_file(from, to);
    if (plugin_load_path(to, "good_stage", &p, err, sizeof err) != 0)
        fail_msg("copy refused: %s", err);
    plugin_unload(&p);
    unlink(to);
}

static void test_stage_in_a_world_writable_folder_is_refused(void **state)
{
    char from[4200], dir[4200], to[4300], err[1024] = "";
    (void)state;
    fixture(from, sizeof from, "good_stage");
    snprintf(dir, sizeof dir, "%s/open", tmpdir);
    assert_int_equal(mkdir(dir, 0700), 0);
    assert_int_equal(chmod(dir, 0777), 0);
    snprintf(to, sizeof to, "%s/good_stage.so", dir);
    copy_file(from, to);
    assert_true(refused(to, NULL, err, sizeof err));
    assert_non_null(strstr(err, dir));
    unlink(to);
    rmdir(dir);
}

static int setup(void **state)
{
    const char *b = getenv("abs_top_builddir");
    const char *t = getenv("TMPDIR");
    (void)state;
    if (!b || !*b) {
        fprintf(stderr, "test_loader: abs_top_builddir is not set (run through make check)\n");
        return -1;
    }
    snprintf(builddir, sizeof builddir, "%s", b);
    snprintf(tmpdir, sizeof tmpdir, "%s/tuopin-loader-XXXXXX", t && *t ? t : "/tmp");
    if (!mkdtemp(tmpdir)) return -1;
    return plugin_system_init();
}

static int teardown(void **state)
{
    (void)state;
    plugin_system_exit();
    rmdir(tmpdir);
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_good_stage_loads),
        cmocka_unit_test(test_good_stage_loads_without_expected_name),
        cmocka_unit_test(test_stage_calling_itself_another_name_is_refused),
        cmocka_unit_test(test_descriptor_of_the_0_1_size_loads),
        cmocka_unit_test(test_abi_1_stage_loads_and_opens),
        cmocka_unit_test(test_wrong_abi_version_is_refused_naming_the_file),
        cmocka_unit_test(test_wrong_descriptor_size_is_refused_naming_the_file),
        cmocka_unit_test(test_missing_entry_symbol_is_refused_naming_the_file),
        cmocka_unit_test(test_descriptor_without_check_is_refused),
        cmocka_unit_test(test_missing_file_is_refused_naming_the_file),
        cmocka_unit_test(test_symbolic_link_is_refused),
        cmocka_unit_test(test_folder_is_not_a_stage),
        cmocka_unit_test(test_copy_in_a_private_folder_loads),
        cmocka_unit_test(test_stage_in_a_world_writable_folder_is_refused),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
