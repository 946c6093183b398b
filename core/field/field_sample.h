/* field_sample.h — the texts of a sample folder (sample.csv, reserve.csv,
 * design.csv, sample_info.csv), made the same way by `tuopin sample` and by
 * `tuopin estimate` when it re-draws the sample to check a folder. */
#ifndef TUOPIN_FIELD_SAMPLE_H
#define TUOPIN_FIELD_SAMPLE_H

#include <stddef.h>
#include <stdint.h>
#include "field_design.h"

typedef struct fsm_texts_t {
    char *sample, *reserve, *design, *info;    /* owned */
    size_t nsample, nreserve, ndesign, ninfo;
    char sample_sha[65];
} fsm_texts_t;

/* The four texts of design d over frame f drawn from the run in run_dir.
 * RETURN 0 or -1 (memory). */
int fsm_texts(const fd_frame *f, const fd_design *d, const char *run_dir, fsm_texts_t *t);
void fsm_texts_free(fsm_texts_t *t);

/* A whole number 0 … 2^64-1 in decimal.  RETURN 0 or -1. */
int fsm_parse_u64(const char *s, uint64_t *out);

/* Sets one of villages_per_county, households_per_domain,
 * reserve_per_domain from "NAME=VALUE".  RETURN 0, or -1 with a message. */
int fsm_set_param(fd_params *p, const char *kv, char *err, size_t errlen);

#endif
