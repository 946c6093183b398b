/* field_sheet.h — the field teams' workbooks (field-COUNTY.xlsx): the
 * sampled households' registry rows to confirm or correct on site, with
 * drop-down lists, IDs and names masked, and the reserves per village.
 * The registry rows come from the run's input file, checked against the
 * run's SHA-256 of it. */
#ifndef TUOPIN_FIELD_SHEET_H
#define TUOPIN_FIELD_SHEET_H

#include <stddef.h>
#include "field_design.h"
#include "output.h"
#include "pipeline.h"
#include "schema.h"

/* The registry rows of the selected households: for each person row, the
 * canonical columns' values as they may be shown (masked), one after the
 * other, each NUL-terminated, in text. */
typedef struct fs_rows {
    char *text; size_t ntext, captext;     /* owned */
    struct fs_row { uint32_t unit; size_t off; } *row;   /* owned; unit: see fs_collect */
    size_t nrows, caprows;
    int have[COL_COUNT];                   /* the input had the column */
    int read;                              /* the input was read */
} fs_rows;

/* NAME: fs_collect
 * DESCRIPTION: reads the input cfg describes (the run's) and keeps the rows
 *   of the first block of each selected household: unit u < d->nunits is
 *   d->units[u], else d->reserves[u - d->nunits].  The input's SHA-256 must
 *   be want_sha (when non-empty).
 * RETURN: 0, or -1 with a message naming the file. */
int fs_collect(const run_config *cfg, const char *want_sha, const fd_frame *f, const fd_design *d,
               fs_rows *rows, char *err, size_t errlen);
void fs_rows_free(fs_rows *rows);

/* NAME: fs_write_county
 * DESCRIPTION: writes county ci's workbook into o (opened by out_open; its
 *   temporary file is rewritten by libxlsxwriter).  info: name/value pairs
 *   for the about sheet (seed, frame SHA-256, parameters).
 * RETURN: 0, or -1 with a message naming the file. */
int fs_write_county(out_file *o, const fd_frame *f, const fd_design *d, size_t ci, const fs_rows *rows,
                    const char *const *info, size_t ninfo, char *err, size_t errlen);

#endif
