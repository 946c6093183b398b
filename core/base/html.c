/* html.c — the HTML escaper and two-language spans (html.h). */
#include "html.h"

void html_esc(FILE *f, const char *s)
{
    for (; s && *s; s++) {
        switch (*s) {
        case '<': fputs("&lt;", f); break;
        case '>': fputs("&gt;", f); break;
        case '&': fputs("&amp;", f); break;
        case '"': fputs("&quot;", f); break;
        case '\'': fputs("&#39;", f); break;
        default: putc(*s, f);
        }
    }
}

void html_tr(FILE *f, const char *zh, const char *en)
{
    fputs("<span class=\"zh\">", f);
    html_esc(f, zh);
    fputs("</span><span class=\"en\">", f);
    html_esc(f, en);
    fputs("</span>", f);
}

void html_tag(FILE *f, const char *open, const char *zh, const char *en, const char *close)
{
    fputs(open, f);
    html_tr(f, zh, en);
    fputs(close, f);
}

void html_head(FILE *f, const html_col *cols, size_t n)
{
    size_t i;
    for (i = 0; i < n; i++) {
        if (cols[i].cls) fprintf(f, "<th class=\"%s\">", cols[i].cls);
        else fputs("<th>", f);
        html_tr(f, cols[i].zh, cols[i].en);
        fputs("</th>", f);
    }
}

void html_table_head(FILE *f, const char *open, const html_col *cols, size_t n, const char *close)
{
    fputs(open, f);
    html_head(f, cols, n);
    fputs(close, f);
}
