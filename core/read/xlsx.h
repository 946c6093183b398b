/* xlsx.h — reading an Office Open XML workbook (.xlsx) as cells: the ZIP
 * container through libzip, the SpreadsheetML parts through expat.  Shared
 * strings (rich text runs joined, phonetic runs left out), inline strings,
 * formula string results, numbers (their text as stored), booleans and
 * error values.  Like the other readers it knows nothing of what a column
 * means. */
#ifndef TUOPIN_XLSX_H
#define TUOPIN_XLSX_H

#include <stddef.h>
#include <stdint.h>

typedef struct xlsx_book xlsx_book;

typedef enum { XLSX_STRING = 's', XLSX_NUMBER = 'n', XLSX_BOOL = 'b', XLSX_ERROR = 'e' } xlsx_type;

typedef struct xlsx_cell {
    uint32_t row;       /* 1-based, as in "D17" */
    uint32_t col;       /* 0-based: A is 0 */
    xlsx_type type;
    char *text;         /* UTF-8; a number's text as stored ("3500.5", "1.2E+3"); "1"/"0" for a boolean */
} xlsx_cell;

typedef struct xlsx_sheet {
    xlsx_cell *cells;   /* in the order of the sheet (rows, then columns); cells without a value left out */
    size_t ncells;
} xlsx_sheet;

/* NAME: xlsx_open
 * DESCRIPTION: opens the workbook at path and reads its list of sheets and
 *   its shared strings.
 * RETURN: the workbook, or NULL with a message naming the file in err. */
xlsx_book *xlsx_open(const char *path, char *err, size_t errlen);
void xlsx_close(xlsx_book *b);

/* The sheets in the workbook's order, and their names (UTF-8). */
size_t xlsx_nsheets(const xlsx_book *b);
const char *xlsx_sheet_name(const xlsx_book *b, size_t i);

/* NAME: xlsx_read_sheet
 * DESCRIPTION: the cells of sheet i (0-based).
 * RETURN: 0, or -1 with a message naming the file and the sheet in err. */
int xlsx_read_sheet(xlsx_book *b, size_t i, xlsx_sheet *out, char *err, size_t errlen);
void xlsx_sheet_free(xlsx_sheet *s);

/* A cell's reference, e.g. (17, 3) → "D17" (buf at least 24 bytes). */
void xlsx_cell_ref(uint32_t row, uint32_t col, char *buf, size_t len);

/* A number's stored text as plain decimal notation, exactly: "1.5E+3" →
 * "1500", "2.5E-2" → "0.025", "-0" → "0", "3500.50" → "3500.5".  RETURN 0, or -1
 * when the text is not a number. */
int xlsx_number_plain(const char *s, char *out, size_t len);

#endif
