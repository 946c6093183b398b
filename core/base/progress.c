/* progress.c — the progress line of history and compare. */
#define _POSIX_C_SOURCE 200809L
#include "progress.h"
#include "i18n.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

void progress_begin(progress *p, int enabled, const char *what, const char *unit,
                    unsigned long long total)
{
    memset(p, 0, sizeof *p);
    p->on = enabled && isatty(2);
    snprintf(p->what, sizeof p->what, "%s", what);
    p->unit = unit;
    p->total = total;
    p->started = p->last = time(NULL);
}

/* Thousands separators: 1234567 -> "1,234,567". */
static void commas(unsigned long long v, char *buf)
{
    char tmp[32];
    int n = 0, i = 0, g = 0;
    do {
        if (g && g % 3 == 0) tmp[n++] = ',';
        tmp[n++] = (char)('0' + v % 10);
        v /= 10;
        g++;
    } while (v);
    while (n) buf[i++] = tmp[--n];
    buf[i] = '\0';
}

static void draw(progress *p, time_t now)
{
    double secs = difftime(now, p->started);
    char rows[32], rate[32];
    commas(p->rows, rows);
    commas(secs > 0 ? (unsigned long long)((double)p->rows / secs) : p->rows, rate);
    if (p->total) {
        double frac = (double)p->done / (double)p->total;
        if (frac > 1) frac = 1;
        fputc('\r', stderr);
        fprintf(stderr, _("tuopin: %s: %s rows, %s rows/s, %.0f%% of %s, %.0f s, about %.0f s left"),
                p->what, rows, rate, 100.0 * frac, p->unit, secs,
                frac > 0.01 ? secs / frac - secs : 0.0);
        fputs("   ", stderr);
    } else {
        fputc('\r', stderr);
        fprintf(stderr, _("tuopin: %s: %s rows, %s rows/s, %.0f s"), p->what, rows, rate, secs);
        fputs("   ", stderr);
    }
    p->drawn = 1;
}

void progress_row(progress *p, unsigned long long done)
{
    time_t now;
    p->rows++;
    p->done = done;
    if (!p->on || (++p->tick & 4095u)) return;
    now = time(NULL);
    if (now == p->last) return;
    p->last = now;
    draw(p, now);
}

void progress_end(progress *p)
{
    if (p->on && p->drawn) {
        draw(p, time(NULL));
        fputs("\n", stderr);
    }
    p->on = 0;
}
