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

/* ---- the households sheet's layout (written here, read by field_read.c) ---- */

#define FS_SHEET_HOUSEHOLDS "样本户 households"
#define FS_SHEET_RESERVE "替补 reserve"
#define FS_SHEET_ABOUT "说明 about"
/* Columns: FS_XN before the standard's (drawn village, domain, reserve
 * order), the standard's COL_COUNT under their Chinese names, the notes. */
#define FS_XN 3
#define FS_NCOLS (FS_XN + COL_COUNT + 1)
/* The header of column col (0-based), or NULL past the last. */
const char *fs_head(size_t col);
/* The drop-down list of column col (NULL-terminated), or NULL for none. */
const char *const *fs_list(size_t col);
/* The about sheet's labels (column A) of the county, the seed and the frame. */
#define FS_ABOUT_COUNTY "县 county"
#define FS_ABOUT_SEED "种子 seed"
#define FS_ABOUT_FRAME "抽样框 SHA-256 frame"

/* NAME: fs_read_books
 * DESCRIPTION: the filled field workbooks paths[0..n-1] (one per county of
 *   the sample d of frame frame_sha and seed) as one CSV field file on out:
 *   a header (出处 source, then the households sheet's own header) and,
 *   for each non-blank row of each workbook's households sheet, the row's
 *   source ("FILE, sheet 1, row N") and its cells as text.  A workbook
 *   that is not a field sheet of this sample, an edited header, an error
 *   value, or a county given twice is an error naming the file, the sheet
 *   and the cell.  A value outside a drop-down list that the standard does
 *   not read either is written as it is (the field run reports it, as for
 *   a CSV file) and named, with its cell, in a warning on standard error.
 * RETURN: the number of rows written, or -1 with a message in err. */
long fs_read_books(const char *const *paths, size_t n, const fd_design *d, const char *frame_sha, uint64_t seed,
                   FILE *out, char *err, size_t errlen);

#endif
