/* test_columns.c — docs/columns.md's table of the standard's columns is the
 * schema table of core/model/schema.c (issue 17.9): one row per column, in
 * its order, with its Chinese name, level, type, who needs it and the values
 * the standard accepts, so the docs cannot drift from what tuopin reads.
 * On a difference the test prints the table as it should be. */
#define _POSIX_C_SOURCE 200809L
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "schema.h"

static void row(char *buf, size_t len, int c)
{
    const schema_def *d = &schema_columns[c];
    snprintf(buf, len, "| `%s` | %s | %s | %s | %s | %s |", d->name, d->zh,
             d->household_level ? "household" : "person", d->type, d->need, d->values);
}

static void test_docs_table_is_the_schema(void **state)
{
    const char *src = getenv("abs_top_srcdir");
    char path[1024], line[2048], want[2048];
    FILE *f;
    int c = 0, bad = 0;
    (void)state;
    if (!src) skip();
    snprintf(path, sizeof path, "%s/docs/columns.md", src);
    f = fopen(path, "r");
    assert_non_null(f);
    while (fgets(line, sizeof line, f)) {
        line[strcspn(line, "\n")] = '\0';
        if (strncmp(line, "| `", 3)) continue;        /* the table's rows only */
        if (c < COL_COUNT) row(want, sizeof want, c);
        if (c >= COL_COUNT || strcmp(line, want)) {
            print_error("docs/columns.md row %d:\n  %s\nshould be\n  %s\n", c + 1, line,
                        c < COL_COUNT ? want : "(no row: the standard has no more columns)");
            bad = 1;
        }
        c++;
    }
    fclose(f);
    if (bad || c != COL_COUNT) {
        print_error("the table should be:\n");
        for (c = 0; c < COL_COUNT; c++) {
            row(want, sizeof want, c);
            print_error("%s\n", want);
        }
    }
    assert_int_equal(bad, 0);
    assert_int_equal(c, COL_COUNT);
}

/* Every Chinese name is read as its column (the header may use either). */
static void test_chinese_names_map(void **state)
{
    int c;
    (void)state;
    for (c = 0; c < COL_COUNT; c++) {
        assert_int_equal(schema_lookup(schema_columns[c].zh), c);
        assert_int_equal(schema_lookup(schema_columns[c].name), c);
        assert_non_null(schema_columns[c].type);
        assert_non_null(schema_columns[c].need);
        assert_non_null(schema_columns[c].values);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_docs_table_is_the_schema),
        cmocka_unit_test(test_chinese_names_map),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
