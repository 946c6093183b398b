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
