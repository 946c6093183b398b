/* stream.c — the parallel streaming engine.
 *
 * The main thread reads records, groups them into household blocks and packs
 * blocks into chunks.  Worker threads move each chunk through four phases:
 *
 *   build    (parallel)          structural checks of each block alone, and
 *                                typed views of the households
 *   ordered  (serial, in order)  HOUSEHOLD_SPLIT (it remembers every id) and
 *                                the stages that declared TP_STAGE_ORDERED
 *   check    (parallel)          every other stage, verdicts, output rows,
 *                                the households' village quality facts
 *   write    (serial, in order)  the rows go to the files
 *
 * Serial phases take chunks strictly by sequence number, so the outputs are
 * byte-identical whatever the number of threads.  Memory is bounded by the
 * chunk pool: (2 × jobs + 2) chunks of at most CHUNK_HOUSEHOLDS households. */
#define _POSIX_C_SOURCE 200809L
#include "engine_int.h"
#include "i18n.h"
#include "format.h"
#include "source.h"
#include "fail.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define CHUNK_HOUSEHOLDS 512
#define CHUNK_BYTES (2u << 20)
#define WRITEBACK_BYTES (32u << 20)

/* ---- chunk phases (run on a worker, outside the lock) ---------------------- */

/* The members' roster values (standard §8), in two steps.  roster_keys
 * works out one household's keys right after hh_build, while its members'
 * IDs are still in the cache (worked out for the whole chunk after it was
 * built, each ID was a cache miss again: 0.2-0.3 s of CPU at 1,000,000
 * households); it needs no index, so it runs before the rosters are read.
 * roster_lookup then asks for the chunk's slots RPREFETCH at a time, one
 * right after the other, a batch ahead of the reads, so that the index's
 * cache and TLB misses overlap instead of following each other (a request
 * with other work between it and the next waits for its own page walk).
 * The index is read-only then: no lock.  RETURN 0, or -1 out of memory. */
#define RPREFETCH 32
static int roster_keys(engine *g, chunk *c, size_t i, size_t *nk)
{
    hh_eval *e = &c->ev[i];
    size_t m, n = e->view.n_members;
    if (*nk + n > c->kcap) {
        size_t cap = c->kcap ? 2 * c->kcap : 4096;
        rid_key *k;
        while (cap < *nk + n) cap *= 2;
        if (!(k = realloc(c->keys, cap * sizeof *k))) return -1;
        c->keys = k;
        c->kcap = cap;
    }
    if (n > e->rcap) {
        uint64_t *nr = realloc(e->roster, n * sizeof *nr);
        if (!nr) return -1;
        e->roster = nr;
        e->rcap = n;
    }
    for (m = 0; m < n; m++) {
        rid_key *k = &c->keys[*nk + m];
        if (!roster_member_key(g->rosters, e->view.members[m].person_id, k)) {
            e->roster[m] = RV_BAD_ID;
            k->a = k->b = 0;                    /* asked for, never read */
            continue;
        }
        e->roster[m] = 0;
    }
    *nk += n;
    return 0;
}

static void roster_lookup(engine *g, chunk *c, size_t total)
{
    const roster_set *rs = g->rosters;
    size_t i, m, j, k;
    /* The first batch asked for here, each next one while the one before
     * it is read. */
    for (j = 0; j < RPREFETCH && j < total; j++) rix_prefetch(rs->ix, c->keys[j]);
    for (i = k = 0; i < c->n; i++) {
        hh_eval *e = &c->ev[i];
        if (c->verdict[i].code) continue;
        for (m = 0; m < e->view.n_members; m++, k++) {
            if (k % RPREFETCH == 0)
                for (j = k + RPREFETCH; j < k + 2 * RPREFETCH && j < total; j++)
                    rix_prefetch(rs->ix, c->keys[j]);
            if (!(e->roster[m] & RV_BAD_ID)) e->roster[m] = rix_get(rs->ix, c->keys[k]);
        }
    }
}

static int phase_build(engine *g, chunk *c)
{
    size_t i, nk = 0;
    for (i = 0; i < c->n; i++) {
        block_check_local(&c->blk[i], &g->map, &c->verdict[i]);
        /* Built before the split check, which may still reject it (rare). */
        if (c->verdict[i].code) continue;
        if (hh_build(&c->ev[i], &c->blk[i], &g->map, g->as_y, g->as_m, g->as_d) < 0
            || (g->rosters && roster_keys(g, c, i, &nk) < 0))
            return engine_fail(g, _("out of memory"));
    }
    if (g->rosters) {
        if (engine_wait_rosters(g) < 0) return -1;
        roster_lookup(g, c, nk);
    }
    return 0;
}

static int run_stage(engine *g, chunk *c, size_t i, size_t s, void *state)
{
    hh_eval *e = &c->ev[i];
    hh_enter(e, (int)s, &g->st[s], g->st[s].desc);
    if (g->st[s].desc->check(state, &e->view) < 0)
        return engine_fail(g, _("%s:%ld: stage %s stopped the run at household %s"), g->in_name,
                           c->blk[i].rows[0].line, g->st[s].desc->name, e->view.household_id);
    return 0;
}

static int phase_ordered(engine *g, chunk *c)
{
    size_t i, s, n = 0, first = 0;
    for (i = 0; i < c->n; i++)
        if (block_check_split(&c->blk[i], &g->seen, &c->verdict[i]) < 0)
            return engine_fail(g, _("out of memory"));
    if (!g->any_ordered) return 0;
    /* Stage by stage: a household's findings keep the stages' order. */
    for (s = 0; s < g->nst; s++) {
        if (!g->st[s].ordered) continue;
        if (!g->st[s].desc->check_batch) {
            for (i = 0; i < c->n; i++)
                if (!c->verdict[i].code && run_stage(g, c, i, s, g->st[s].shared_state) < 0) return -1;
            continue;
        }
        for (i = n = 0; i < c->n; i++) {
            if (c->verdict[i].code) continue;
            if (!n) first = i;
            hh_enter(&c->ev[i], (int)s, &g->st[s], g->st[s].desc);
            c->batch[n++] = &c->ev[i].view;
        }
        if (n && g->st[s].desc->check_batch(g->st[s].shared_state, c->batch, n) < 0)
            return engine_fail(g, _("%s:%ld: stage %s stopped the run at household %s"), g->in_name,
                               c->blk[first].rows[0].line, g->st[s].desc->name,
                               c->ev[first].view.household_id);
    }
    return 0;
}

static int phase_check(engine *g, worker *w, chunk *c)
{
    size_t i, s;
    int ready;
    c->out_hh.n = c->out_fd.n = c->out_rj.n = 0;
    for (i = 0; i < c->n; i++) {
        hh_eval *e = &c->ev[i];
        if (c->verdict[i].code) {
            if (block_materialize_raw(&c->blk[i]) < 0) return engine_fail(g, _("out of memory"));
            fmt_rejects(&c->out_rj, &c->blk[i], &c->verdict[i], g->map.ncols);
            continue;
        }
        for (s = 0; s < g->nst; s++)
            if (!g->st[s].ordered && run_stage(g, c, i, s, w->state[s]) < 0) return -1;
        if (e->oom) return engine_fail(g, _("out of memory while recording findings"));
        c->assessment[i] = hh_verdict(e, g->income_stage, &ready);
        c->ready[i] = (unsigned char)ready;
        if (g->quality) agg_quality_facts(g->agg, e, &c->qf[i]);
        /* rosters.csv's counts, while the household is in the cache (in
         * the writer they were cache misses: 0.15 s of CPU at 1,000,000). */
        if (g->rcount) rc_facts_of(e, g->rosters_stage, &c->rf[i]);
        fmt_household(&c->out_hh, &c->out_fd, e, c->assessment[i], ready, g->income_stage,
                      g->stage_names, g->nst);
    }
    if (c->out_hh.oom || c->out_fd.oom || c->out_rj.oom) return engine_fail(g, _("out of memory"));
    return 0;
}

/* Writes n bytes (none is fine: p may then be NULL).  RETURN 0 or -1. */
static int put(const char *p, size_t n, FILE *f)
{
    return n == 0 || fwrite(p, 1, n, f) == n ? 0 : -1;
}

/* Appends the household's transfer income to what the command keeps.
 * RETURN 0, or -1 out of memory. */
static int engine_keep_household(engine_kept *k, const hh_eval *e)
{
    const tp_money *m = &e->view.transfer_income;
    if (k->n == k->cap) {
        size_t ncap = k->cap ? 2 * k->cap : 1024;
        int64_t *nt = realloc(k->transfer, ncap * sizeof *nt);
        if (!nt) return -1;
        k->transfer = nt;
        k->cap = ncap;
    }
    k->transfer[k->n++] = m->state == TP_OK ? m->cents : m->state == TP_MISSING ? 0 : ENGINE_TRANSFER_BAD;
    return 0;
}

static int phase_write(engine *g, chunk *c)
{
    size_t i;
    if (put(c->out_hh.p, c->out_hh.n, g->out_hh.f) < 0
        || put(c->out_fd.p, c->out_fd.n, g->out_findings.f) < 0
        || put(c->out_rj.p, c->out_rj.n, g->out_rejects.f) < 0)
        return engine_fail(g, _("%s: write error: %s"), g->cfg->out_dir, strerror(errno));
    /* Write-back starts as the run goes, not all at the closing fsync. */
    g->unsynced += c->out_hh.n + c->out_fd.n + c->out_rj.n;
    if (g->unsynced >= WRITEBACK_BYTES) {
        out_writeback(&g->out_hh);
        out_writeback(&g->out_findings);
        g->unsynced = 0;
    }
    for (i = 0; i < c->n; i++) {
        const block *b = &c->blk[i];
        if (c->verdict[i].code) {
            size_t r;
            char detail[512];
            for (r = 0; r < b->nrows; r++) {
                const blk_row *row = &b->rows[r];
                fmt_reject_detail(detail, sizeof detail, b, r, &c->verdict[i], g->map.ncols);
                if (rdb_reject(g->rdb, row->line, block_hid(b), row->code, detail,
                               b->arena + row->raw_off, row->raw_len) < 0)
                    return engine_fail(g, "%s", rdb_error(g->rdb));
            }
            g->tot.rows_rejected += b->nrows;
            g->tot.blocks_rejected++;
        } else {
            if (agg_add_facts(g->agg, &c->ev[i], c->assessment[i], c->ready[i], g->quality ? &c->qf[i] : NULL) < 0
                || (g->rcount && rc_add_facts(g->rcount, c->ev[i].view.region_code, &c->rf[i]) < 0))
                return engine_fail(g, _("out of memory"));
            if (rdb_household(g->rdb, &c->ev[i], c->assessment[i], c->ready[i], g->stage_names) < 0)
                return engine_fail(g, "%s", rdb_error(g->rdb));
            if (g->keep && engine_keep_household(g->keep, &c->ev[i]) < 0)
                return engine_fail(g, _("out of memory"));
            g->tot.rows_evaluated += b->nrows;
            g->tot.households++;
        }
    }
    return 0;
}

/* ---- workers ------------------------------------------------------------------- */

static chunk *find(engine *g, chunk_state st, int by_seq, unsigned long long seq)
{
    size_t i;
    for (i = 0; i < g->npool; i++)
        if (g->pool[i].state == st && (!by_seq || g->pool[i].seq == seq)) return &g->pool[i];
    return NULL;
}

static void *worker_main(void *arg)
{
    worker *w = arg;
    engine *g = w->g;
    pthread_mutex_lock(&g->mu);
    for (;;) {
        chunk *c;
        int rc;
        chunk_state next;
        if (g->aborted) break;
        if ((c = find(g, CH_CHECKED, 1, g->next_write))) {
            c->state = CH_WRITING;
            pthread_mutex_unlock(&g->mu);
            rc = phase_write(g, c);
            pthread_mutex_lock(&g->mu);
            c->state = CH_FREE;
            g->next_write++;
        } else if ((c = find(g, CH_BUILT, 1, g->next_ordered))) {
            c->state = CH_ORDERING;
            pthread_mutex_unlock(&g->mu);
            rc = phase_ordered(g, c);
            pthread_mutex_lock(&g->mu);
            c->state = CH_ORDERED;
            g->next_ordered++;
        } else if ((c = find(g, CH_ORDERED, 0, 0)) || (c = find(g, CH_FILLED, 0, 0))) {
            int checking = c->state == CH_ORDERED;
            c->state = checking ? CH_CHECKING : CH_BUILDING;
            next = checking ? CH_CHECKED : CH_BUILT;
            pthread_mutex_unlock(&g->mu);
            rc = checking ? phase_check(g, w, c) : phase_build(g, c);
            pthread_mutex_lock(&g->mu);
            c->state = next;
        } else {
            if (g->done_reading && g->next_write == g->next_fill) break;
            pthread_cond_wait(&g->cv, &g->mu);
            continue;
        }
        if (rc < 0) g->aborted = 1;
        pthread_cond_broadcast(&g->cv);
    }
    pthread_cond_broadcast(&g->cv);
    pthread_mutex_unlock(&g->mu);
    return NULL;
}

/* ---- the reader ------------------------------------------------------------------- */

static int chunk_alloc(chunk *c, int reveal_ids, unsigned roster_kinds)
{
    size_t i;
    c->cap = CHUNK_HOUSEHOLDS;
    c->blk = calloc(c->cap, sizeof *c->blk);
    c->verdict = calloc(c->cap, sizeof *c->verdict);
    c->ev = calloc(c->cap, sizeof *c->ev);
    c->assessment = calloc(c->cap, sizeof *c->assessment);
    c->ready = calloc(c->cap, 1);
    c->qf = calloc(c->cap, sizeof *c->qf);
    c->rf = calloc(c->cap, sizeof *c->rf);
    c->batch = calloc(c->cap, sizeof *c->batch);
    if (!c->blk || !c->verdict || !c->ev || !c->assessment || !c->ready || !c->qf || !c->rf || !c->batch)
        return -1;
    for (i = 0; i < c->cap; i++) {
        block_init(&c->blk[i], BLOCK_MAX_BYTES, BLOCK_MAX_ROWS);
        c->blk[i].join_raw = 1;
        hh_init(&c->ev[i]);
        hh_set_host(&c->ev[i], &engine_host_table);
        c->ev[i].reveal_ids = reveal_ids;
        c->ev[i].roster_kinds = roster_kinds;
    }
    return 0;
}

static void chunk_free(chunk *c)
{
    size_t i;
    if (c->blk)
        for (i = 0; i < c->cap; i++) block_free(&c->blk[i]);
    if (c->ev)
        for (i = 0; i < c->cap; i++) hh_free(&c->ev[i]);
    free(c->blk);
    free(c->verdict);
    free(c->ev);
    free(c->assessment);
    free(c->ready);
    free(c->qf);
    free(c->rf);
    free(c->batch);
    free(c->keys);
    sb_free(&c->out_hh);
    sb_free(&c->out_fd);
    sb_free(&c->out_rj);
}

/* Waits for a free chunk and starts filling it.  NULL when the run aborted. */
static chunk *take_free(engine *g)
{
    chunk *c = NULL;
    pthread_mutex_lock(&g->mu);
    while (!g->aborted && !(c = find(g, CH_FREE, 0, 0))) pthread_cond_wait(&g->cv, &g->mu);
    if (c) {
        c->state = CH_FILLING;
        c->seq = g->next_fill++;
        c->n = 0;
        c->bytes = 0;
    }
    pthread_mutex_unlock(&g->mu);
    if (c) block_reset(&c->blk[0]);
    return c;
}

static void submit(engine *g, chunk *c)
{
    pthread_mutex_lock(&g->mu);
    c->state = CH_FILLED;
    pthread_cond_broadcast(&g->cv);
    pthread_mutex_unlock(&g->mu);
}

static void progress(engine *g, int final)
{
    time_t now = time(NULL);
    double secs;
    if (!g->progress || (!final && now == g->last_progress)) return;
    g->last_progress = now;
    secs = difftime(now, g->started);
    if (g->in_size > 0) {
        double frac = (double)source_offset(g->src) / (double)g->in_size;
        fputc('\r', stderr);
        fprintf(stderr, _("tuopin: %llu rows, %.0f%%, %.0f s, about %.0f s left   "),
                g->tot.rows_read, 100.0 * frac, secs,
                frac > 0.01 ? secs / frac - secs : 0.0);
    } else {
        fputc('\r', stderr);
        fprintf(stderr, _("tuopin: %llu rows, %.0f s   "), g->tot.rows_read, secs);
    }
    if (final) fputs("\n", stderr);
}

/* Closes the current block of chunk c and moves to the next slot. */
static int close_block(engine *g, chunk **cp)
{
    chunk *c = *cp;
    c->bytes += c->blk[c->n].alen;
    c->n++;
    if (c->n == c->cap || c->bytes >= CHUNK_BYTES) {
        submit(g, c);
        if (!(*cp = take_free(g))) return -1;
    } else {
        block_reset(&c->blk[c->n]);
    }
    return 0;
}

static int read_all(engine *g)
{
    csv_record rec;
    const char *why;
    chunk *c = take_free(g);
    int rc;
    if (!c) return -1;
    while ((rc = source_next(g->src, &rec)) == 1) {
        block *b = &c->blk[c->n];
        g->tot.rows_read++;
        if (b->nrows && !block_same(b, &rec, &g->map)) {
            if (close_block(g, &c) < 0) return -1;
            b = &c->blk[c->n];
        }
        if (!b->nrows) {
            b->offset = source_record_offset(g->src);
            b->line_shift = engine_shard_line(g, rec.line);
        }
        if (block_add(b, &rec, &g->map, &why) < 0)
            return engine_fail(g, "%s:%ld: %s", g->in_name, rec.line, why);
        if ((g->tot.rows_read & 0x3FFF) == 0) {
            progress(g, 0);
            if (g->aborted) return -1;
        }
    }
    if (rc < 0) return engine_fail(g, "%s: %s", g->in_name, source_error(g->src));
    if (c->blk[c->n].nrows) c->n++;
    if (c->n) {
        submit(g, c);
    } else {
        pthread_mutex_lock(&g->mu);
        c->state = CH_FREE;
        g->next_fill--;
        pthread_mutex_unlock(&g->mu);
    }
    progress(g, 1);
    return 0;
}

int engine_fail(engine *g, const char *fmt, ...)
{
    va_list ap;
    pthread_mutex_lock(&g->mu);
    if (!g->aborted || !g->err[0]) {
        va_start(ap, fmt);
        fail_vmsg(g->err, g->errlen, fmt, ap);
        va_end(ap);
    }
    g->aborted = 1;
    pthread_cond_broadcast(&g->cv);
    pthread_mutex_unlock(&g->mu);
    return -1;
}

static int open_worker(engine *g, worker *w)
{
    size_t s;
    w->g = g;
    w->state = calloc(g->nst ? g->nst : 1, sizeof *w->state);
    w->opened = calloc(g->nst ? g->nst : 1, 1);
    if (!w->state || !w->opened) return engine_fail(g, _("out of memory"));
    for (s = 0; s < g->nst; s++) {
        stage_inst *si = &g->st[s];
        char msg[512] = "";
        if (si->ordered) continue;
        if (engine_open_stage(si, &w->state[s], msg, sizeof msg) < 0)
            return engine_fail(g, _("stage %s: %s"), si->desc->name, msg[0] ? msg : "cannot start");
        w->opened[s] = 1;
    }
    return 0;
}

static void close_worker(engine *g, worker *w)
{
    size_t s;
    for (s = 0; s < g->nst && w->opened; s++)
        if (w->opened[s] && g->st[s].desc->close) g->st[s].desc->close(w->state[s]);
    free(w->state);
    free(w->opened);
}

int stream_run(engine *g, size_t jobs)
{
    size_t i, started = 0;
    int rc = 0;

    if (jobs < 1) jobs = 1;
    g->npool = 2 * jobs + 2;
    g->pool = calloc(g->npool, sizeof *g->pool);
    g->workers = calloc(jobs, sizeof *g->workers);
    if (!g->pool || !g->workers) return engine_fail(g, _("out of memory"));
    for (i = 0; i < g->npool; i++)
        if (chunk_alloc(&g->pool[i], g->cfg->reveal_ids, g->rosters ? g->rosters->kinds : 0) < 0) { rc = engine_fail(g, _("out of memory")); goto out; }
    /* Instances are opened here, on the main thread, before any worker runs. */
    g->nworkers = jobs;
    for (i = 0; i < jobs; i++)
        if (open_worker(g, &g->workers[i]) < 0) { rc = -1; goto out; }
    for (i = 0; i < jobs; i++, started++)
        if (pthread_create(&g->workers[i].thread, NULL, worker_main, &g->workers[i]) != 0) {
            rc = engine_fail(g, _("cannot start worker threads"));
            break;
        }
    g->progress = !g->cfg->quiet && isatty(2);
    g->started = time(NULL);
    if (rc == 0 && read_all(g) < 0) rc = -1;
    pthread_mutex_lock(&g->mu);
    g->done_reading = 1;
    pthread_cond_broadcast(&g->cv);
    pthread_mutex_unlock(&g->mu);
    for (i = 0; i < started; i++) pthread_join(g->workers[i].thread, NULL);
    if (g->aborted) rc = -1;
out:
    for (i = 0; i < g->nworkers; i++) close_worker(g, &g->workers[i]);
    for (i = 0; i < g->npool; i++) chunk_free(&g->pool[i]);
    free(g->pool);
    free(g->workers);
    g->pool = NULL;
    g->workers = NULL;
    return rc;
}
