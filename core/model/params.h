/* params.h — the run's parameters: declared by stages (type, default,
 * bounds), set by the pipeline and by --param, validated with errors that
 * name the parameter, and the dated table of national poverty lines
 * (standard §7) that gives income_line its default. */
#ifndef TUOPIN_PARAMS_H
#define TUOPIN_PARAMS_H

#include <stdint.h>
#include "kv.h"
#include <tuopin/stage.h>

typedef struct param_entry {
    const tp_param_decl *decl;   /* borrowed from the declaring stage */
    const char *owner;           /* the first stage that declared it */
    int set;
    int64_t value;
    char text[64];               /* the value as given, for the run record */
    char origin[96];             /* where the value came from: "pipeline params",
                                    "--param", "national table", "default", or
                                    "script NAME" (a rule script raised it) */
} param_entry;

typedef struct params {
    param_entry *e;   /* owned */
    size_t n, cap;
} params;

void params_init(params *p);
void params_free(params *p);

/* NAME: params_declare
 * DESCRIPTION: declares the parameters of a stage.  A name declared again by
 *   another stage must have the same type.
 * RETURN: 0, or -1 with a message. */
int params_declare(params *p, const tp_param_decl *decls, const char *owner,
                   char *err, size_t errlen);

/* NAME: params_apply
 * DESCRIPTION: sets parameters from a list (pipeline params, then --param);
 *   an unknown name or a value of the wrong type or out of range is an error
 *   naming the parameter and where it was given.
 * RETURN: 0 or -1. */
int params_apply(params *p, const kv_list *values, char *err, size_t errlen);

/* NAME: params_finish
 * DESCRIPTION: fills defaults; income_line, when declared and not set, comes
 *   from the lines table for `year` (found in data_dir).  A year outside the
 *   table is an error; an unverified value prints a notice on standard
 *   error, whatever the options (standard: "print a notice when a run uses
 *   an unverified value").
 * RETURN: 0 or -1. */
int params_finish(params *p, int year, const char *lines_file, char *err, size_t errlen);

/* An entry's origin in words of the user's language ("--param" stays). */
void params_origin_text(const char *origin, char *buf, size_t n);

/* The value of a parameter; RETURN 0, or -1 when not declared. */
int params_get(const params *p, const char *name, int64_t *value);
const param_entry *params_find(const params *p, const char *name);

/* Parses text for a declaration (type and bounds).  RETURN 0 or -1 + err. */
int params_parse(const tp_param_decl *d, const char *text, int64_t *value,
                 char *err, size_t errlen);

/* NAME: params_line_for_year
 * DESCRIPTION: looks up the national line of `year` in the table file
 *   (CSV: year,line,source,note); *verified is 0 when the note says
 *   "unverified".
 * RETURN: 1 found, 0 not in the table, -1 file error (message in err). */
int params_line_for_year(const char *lines_file, int year, int64_t *cents,
                         int *verified, char *source, size_t srclen,
                         char *err, size_t errlen);

/* NAME: params_line_row
 * DESCRIPTION: the row of `year` in the table file as it is written, with
 *   where it is: "FILE:N: year,line,source,note" (the run records it).
 * RETURN: 1 found, 0 not in the table, -1 the file cannot be read. */
int params_line_row(const char *lines_file, int year, char *buf, size_t n);

#endif
