/* schema.h — the canonical columns of standard §1, their Chinese names and
 * levels, and the mapping of an input header onto them. */
#ifndef TUOPIN_SCHEMA_H
#define TUOPIN_SCHEMA_H

#include <stddef.h>
#include "csv.h"

typedef enum {
    COL_HOUSEHOLD_ID, COL_REGION_CODE, COL_STATUS,
    COL_WAGE_INCOME, COL_OPERATING_INCOME, COL_OPERATING_COST, COL_PROPERTY_INCOME,
    COL_TRANSFER_INCOME, COL_DECLARED_INCOME_PC,
    COL_FOOD_CLOTHING_SECURE, COL_HOUSING_RATING, COL_HOUSING_FIXED, COL_WATER_SAFE,
    COL_SATISFIED,
    COL_PERSON_ID, COL_NAME, COL_RELATION, COL_BIRTH_DATE, COL_SCHOOL_STATUS,
    COL_MEDICAL_INSURED,
    COL_COUNT
} schema_col;

typedef struct schema_def {
    const char *name;      /* canonical */
    const char *zh;        /* Chinese header name */
    int household_level;
    const char *en;        /* English label for messages */
    /* For docs/columns.md (tests/unit/test_columns checks that the table
     * there is this one): the kind of value, who needs the column, and the
     * values the standard accepts (§1, §3.3). */
    const char *type, *need, *values;
} schema_def;

extern const schema_def schema_columns[COL_COUNT];

/* The input header, mapped. */
typedef struct schema_map {
    size_t ncols;          /* fields in the header */
    char **names;          /* header names as written (trimmed); owned */
    int pos[COL_COUNT];    /* header index of each canonical column, or -1 */
    int *canon;            /* per header index: canonical column or -1 (extra) */
} schema_map;

/* NAME: schema_map_header
 * DESCRIPTION: maps header names (canonical or Chinese, ASCII case ignored
 *   for canonical) onto canonical columns.  A column named twice is an error.
 * RETURN: 0, or -1 with a message in err. */
int schema_map_header(schema_map *m, const char *const *names, const size_t *lens,
                      size_t n, char *err, size_t errlen);
/* The same over the fields of a header record. */
int schema_map_fields(schema_map *m, const csv_field *fields, size_t n, char *err, size_t errlen);
void schema_map_free(schema_map *m);

/* Canonical column by canonical or Chinese name, or -1. */
int schema_lookup(const char *name);

/* Header index of a column by canonical, Chinese or literal header name, or -1. */
int schema_find(const schema_map *m, const char *name);

#endif
