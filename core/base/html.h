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

/* A header cell: its class (NULL: none) and both languages. */
typedef struct html_col { const char *cls, *zh, *en; } html_col;

/* <th class="CLS">…</th> (html_tr inside) for each of the n columns. */
void html_head(FILE *f, const html_col *cols, size_t n);

#endif
