/* mapping.h — mapping files: Lua data (evaluated in the sandbox, like
 * pipelines) that say which source columns are which canonical columns,
 * how source values translate to canonical ones, and how many title rows
 * sit above the header.  The record source applies a mapping so that the
 * engine only ever sees canonical records. */
#ifndef TUOPIN_MAPPING_H
#define TUOPIN_MAPPING_H

#include <stddef.h>

typedef struct mapping mapping;
typedef struct map_values map_values;

/* NAME: map_load
 * DESCRIPTION: reads a mapping file.  `spec` is a path, or the name of a
 *   shipped mapping ("national-system": no '/' and no ".lua"), looked up in
 *   the data folder (mappings/NAME.lua).  The file is evaluated with no
 *   libraries, a memory cap and an instruction budget; it may set the
 *   globals skip_rows, columns and values (or return a table with them) and
 *   must hold only strings, numbers and tables.
 * RETURN: the mapping (free with map_free), or NULL with a one-line message
 *   naming the file, line or entry in err. */
mapping *map_load(const char *spec, char *err, size_t errlen);
void map_free(mapping *m);

/* The file the mapping came from. */
const char *map_path(const mapping *m);

/* skip_rows of the file: a number of records, MAP_SKIP_AUTO ("auto": skip
 * records until one has at least two column names that the standard or the
 * mapping knows), or -1 when the file does not say. */
#define MAP_SKIP_AUTO (-2)
int map_skip_rows(const mapping *m);

/* Whether name (length n) is a source name of one of the mapping's columns. */
int map_is_source(const mapping *m, const char *name, size_t n);

/* NAME: map_bind
 * DESCRIPTION: applies the mapping to a header of n names (trimmed, as
 *   written).  For each target column, the first of its source names found
 *   in the header is renamed to the target — unless the header already has
 *   a column that is the target under its canonical or Chinese name (that
 *   column wins; the source stays an extra column).  Then each column (under
 *   its final name) gets its value table, if the mapping has one.
 *   renamed[i] is set to the target name (owned by the mapping) or NULL;
 *   values[i] to the value table or NULL.
 * RETURN: the number of renamed columns. */
size_t map_bind(const mapping *m, const char *const *names, const size_t *lens, size_t n,
                const char **renamed, const map_values **values);

/* NAME: map_value
 * DESCRIPTION: the canonical value for source value s (length n, trimmed)
 *   in a column's value table.
 * RETURN: the mapped value (NUL-terminated, owned by the mapping), or NULL
 *   when the table does not list s (the value then passes unchanged). */
const char *map_value(const map_values *vt, const char *s, size_t n, size_t *outlen);

/* The mapping's column entries (for `tuopin inspect`): entry i's target
 * and its source names, entries in byte order of their targets, sources in
 * the order the file lists them. */
size_t map_ncolumns(const mapping *m);
const char *map_column_target(const mapping *m, size_t i);
size_t map_column_sources(const mapping *m, size_t i, const char *const **sources);

/* The column name a value table is for, as the mapping file wrote it. */
const char *map_values_column(const map_values *vt);

#endif
