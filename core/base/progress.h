/* progress.h — the one-line progress report of long history and compare
 * work on standard error: what is being done, rows so far, rate, share done
 * (of bytes or of households) and time left.  Shown only when standard error
 * is a terminal and the command is not --quiet; redrawn at most once a
 * second, so calling progress_add on every row costs a compare. */
#ifndef TUOPIN_PROGRESS_H
#define TUOPIN_PROGRESS_H

#include <time.h>

typedef struct progress {
    int on;                    /* drawing at all */
    int drawn;                 /* a line is on the screen */
    char what[96];             /* "loading 2020Q3" */
    const char *unit;          /* "households", "bytes" */
    unsigned long long total;  /* 0 when unknown */
    unsigned long long done;   /* in units of total */
    unsigned long long rows;
    unsigned long long tick;
    time_t started, last;
} progress;

/* NAME: progress_begin
 * DESCRIPTION: starts a line for `what` (copied); enabled only when `enabled`
 *   and standard error is a terminal.  total 0: no percentage. */
void progress_begin(progress *p, int enabled, const char *what, const char *unit,
                    unsigned long long total);

/* One more row; done is the position in units of total (rows when the unit
 * is rows).  Cheap: the clock is read every 4096 calls. */
void progress_row(progress *p, unsigned long long done);

/* Ends the line (a final draw and a line break when anything was drawn). */
void progress_end(progress *p);

#endif
