/* output.h — output files written whole or not at all: each is written under
 * a temporary name in the output folder, created mode 0600 (the outputs hold
 * personal data), and renamed to its final name only when complete. */
#ifndef TUOPIN_OUTPUT_H
#define TUOPIN_OUTPUT_H

#include <stdio.h>

typedef struct out_file {
    char *final_path, *tmp_path;   /* owned */
    FILE *f;                       /* buffered stream to write to */
    char *buf;                     /* owned stdio buffer */
} out_file;

/* NAME: out_open
 * DESCRIPTION: creates dir/.name.tmp-PID for writing.
 * RETURN: 0, or -1 with a message naming the file in err. */
int out_open(out_file *o, const char *dir, const char *name, char *err, size_t errlen);

/* NAME: out_commit
 * DESCRIPTION: flushes, syncs and renames the file to its final name.
 * RETURN: 0, or -1 (the temporary file is removed) with a message. */
int out_commit(out_file *o, char *err, size_t errlen);

/* Removes the temporary file; safe on a file never opened or committed. */
void out_abort(out_file *o);

/* Creates dir (and its parents) when missing, mode 0700.  RETURN 0 or -1. */
int out_mkdir(const char *dir, char *err, size_t errlen);

#endif
