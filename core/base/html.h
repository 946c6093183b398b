/* html.h — writing HTML text: the one escaper, and the two-language spans
 * that report.html and compare.html show one of (CSS hides the other). */
#ifndef TUOPIN_HTML_H
#define TUOPIN_HTML_H

#include <stddef.h>
#include <stdio.h>

/* s (may be NULL: nothing) with < > & " ' as character references. */
void html_esc(FILE *f, const char *s);

/* <span class="zh">zh</span><span class="en">en</span>, both escaped. */
void html_tr(FILE *f, const char *zh, const char *en);

/* open, html_tr(zh, en), close: a heading, a note or a cell in both
 * languages (open and close are markup, written as they are). */
void html_tag(FILE *f, const char *open, const char *zh, const char *en, const char *close);

/* A header cell: its class (NULL: none) and both languages. */
typedef struct html_col { const char *cls, *zh, *en; } html_col;

/* A static array of html_col and its length, as the two arguments. */
#define HTML_COLS(cols) (cols), sizeof (cols) / sizeof (cols)[0]

/* <th class="CLS">…</th> (html_tr inside) for each of the n columns. */
void html_head(FILE *f, const html_col *cols, size_t n);

/* open, html_head(cols, n), close: a table's opening and its header row. */
void html_table_head(FILE *f, const char *open, const html_col *cols, size_t n, const char *close);

#endif
