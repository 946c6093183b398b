/* sqlite_direct.c — the default VFS with direct writes of whole blocks to the
 * main database file (see sqlite_direct.h). */
#define _GNU_SOURCE /* O_DIRECT */
#include "sqlite_direct.h"
#include "output.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define DIRECT_ALIGN OUT_DIRECT_ALIGN

typedef struct dfile {
    sqlite3_file base;     /* pMethods = &dmethods */
    sqlite3_file *real;    /* the default VFS's file, right after this struct */
    int fd;                /* O_DIRECT descriptor of the main database, or -1 */
    char *bounce;          /* DIRECT_ALIGN-aligned copy of a page */
    size_t bcap;
} dfile;

/* The size of dfile rounded up so that the real file after it is aligned. */
#define DFILE_SIZE ((sizeof(dfile) + 15) / 16 * 16)

static sqlite3_vfs dvfs;
static sqlite3_vfs *real_vfs;
static pthread_once_t once = PTHREAD_ONCE_INIT;
static int registered = -1;
static unsigned long direct_writes; /* for tests: writes made directly */

#define REAL(f) (((dfile *)(f))->real)

static void stop_direct(dfile *d)
{
    if (d->fd >= 0) close(d->fd);
    d->fd = -1;
}

static int d_close(sqlite3_file *f)
{
    dfile *d = (dfile *)f;
    int rc = d->real->pMethods ? d->real->pMethods->xClose(d->real) : SQLITE_OK;
    stop_direct(d);
    free(d->bounce);
    d->bounce = NULL;
    d->bcap = 0;
    return rc;
}

static int d_read(sqlite3_file *f, void *p, int amt, sqlite3_int64 off)
{
    return REAL(f)->pMethods->xRead(REAL(f), p, amt, off);
}

/* Writes p[0, amt) at off through the O_DIRECT descriptor.  RETURN 1 when
 * done, 0 when it could not be (direct writing is then off for good). */
static int write_direct(dfile *d, const void *p, size_t amt, off_t off)
{
    size_t done = 0;
    if (amt > d->bcap) {
        free(d->bounce);
        d->bcap = 0;
        if (posix_memalign((void **)&d->bounce, DIRECT_ALIGN, amt) != 0) {
            d->bounce = NULL;
            stop_direct(d);
            return 0;
        }
        d->bcap = amt;
    }
    memcpy(d->bounce, p, amt);
    while (done < amt) {
        ssize_t w = pwrite(d->fd, d->bounce + done, amt - done, off + (off_t)done);
        if (w < 0 && errno == EINTR) continue;
        if (w <= 0 || (done + (size_t)w) % DIRECT_ALIGN) {
            stop_direct(d);
            return 0;
        }
        done += (size_t)w;
    }
    return 1;
}

static int d_write(sqlite3_file *f, const void *p, int amt, sqlite3_int64 off)
{
    dfile *d = (dfile *)f;
    if (d->fd >= 0 && amt > 0 && amt % DIRECT_ALIGN == 0 && off % DIRECT_ALIGN == 0
        && write_direct(d, p, (size_t)amt, (off_t)off)) {
        __atomic_fetch_add(&direct_writes, 1, __ATOMIC_RELAXED);
        return SQLITE_OK;
    }
    /* Not a whole block, or the direct write failed (part of it may be on
     * disk): the whole write again, the ordinary way. */
    return d->real->pMethods->xWrite(d->real, p, amt, off);
}

static int d_truncate(sqlite3_file *f, sqlite3_int64 size)
{
    return REAL(f)->pMethods->xTruncate(REAL(f), size);
}

static int d_sync(sqlite3_file *f, int flags)
{
    return REAL(f)->pMethods->xSync(REAL(f), flags);
}

static int d_file_size(sqlite3_file *f, sqlite3_int64 *size)
{
    return REAL(f)->pMethods->xFileSize(REAL(f), size);
}

static int d_lock(sqlite3_file *f, int lock)
{
    return REAL(f)->pMethods->xLock(REAL(f), lock);
}

static int d_unlock(sqlite3_file *f, int lock)
{
    return REAL(f)->pMethods->xUnlock(REAL(f), lock);
}

static int d_check_reserved(sqlite3_file *f, int *out)
{
    return REAL(f)->pMethods->xCheckReservedLock(REAL(f), out);
}

static int d_file_control(sqlite3_file *f, int op, void *arg)
{
    return REAL(f)->pMethods->xFileControl(REAL(f), op, arg);
}

static int d_sector_size(sqlite3_file *f)
{
    return REAL(f)->pMethods->xSectorSize(REAL(f));
}

static int d_device_characteristics(sqlite3_file *f)
{
    return REAL(f)->pMethods->xDeviceCharacteristics(REAL(f));
}

static int d_shm_map(sqlite3_file *f, int region, int size, int extend, void volatile **p)
{
    const sqlite3_io_methods *m = REAL(f)->pMethods;
    return m->iVersion >= 2 && m->xShmMap ? m->xShmMap(REAL(f), region, size, extend, p) : SQLITE_IOERR;
}

static int d_shm_lock(sqlite3_file *f, int offset, int n, int flags)
{
    const sqlite3_io_methods *m = REAL(f)->pMethods;
    return m->iVersion >= 2 && m->xShmLock ? m->xShmLock(REAL(f), offset, n, flags) : SQLITE_IOERR;
}

static void d_shm_barrier(sqlite3_file *f)
{
    const sqlite3_io_methods *m = REAL(f)->pMethods;
    if (m->iVersion >= 2 && m->xShmBarrier) m->xShmBarrier(REAL(f));
}

static int d_shm_unmap(sqlite3_file *f, int del)
{
    const sqlite3_io_methods *m = REAL(f)->pMethods;
    return m->iVersion >= 2 && m->xShmUnmap ? m->xShmUnmap(REAL(f), del) : SQLITE_OK;
}

static int d_fetch(sqlite3_file *f, sqlite3_int64 off, int amt, void **pp)
{
    const sqlite3_io_methods *m = REAL(f)->pMethods;
    if (m->iVersion >= 3 && m->xFetch) return m->xFetch(REAL(f), off, amt, pp);
    *pp = NULL;
    return SQLITE_OK;
}

static int d_unfetch(sqlite3_file *f, sqlite3_int64 off, void *p)
{
    const sqlite3_io_methods *m = REAL(f)->pMethods;
    return m->iVersion >= 3 && m->xUnfetch ? m->xUnfetch(REAL(f), off, p) : SQLITE_OK;
}

static const sqlite3_io_methods dmethods = {
    3, d_close, d_read, d_write, d_truncate, d_sync, d_file_size, d_lock, d_unlock,
    d_check_reserved, d_file_control, d_sector_size, d_device_characteristics,
    d_shm_map, d_shm_lock, d_shm_barrier, d_shm_unmap, d_fetch, d_unfetch
};

static int d_open(sqlite3_vfs *vfs, sqlite3_filename name, sqlite3_file *f, int flags, int *out_flags)
{
    dfile *d = (dfile *)f;
    int rc;
    (void)vfs;
    memset(d, 0, sizeof *d);
    d->fd = -1;
    d->real = (sqlite3_file *)((char *)f + DFILE_SIZE);
    rc = real_vfs->xOpen(real_vfs, name, d->real, flags, out_flags);
    /* SQLite calls xClose whenever pMethods is set, even after a failure. */
    d->base.pMethods = d->real->pMethods ? &dmethods : NULL;
    if (rc == SQLITE_OK && name && (flags & SQLITE_OPEN_MAIN_DB)) {
        d->fd = open(name, O_WRONLY | O_DIRECT | O_CLOEXEC);
        if (d->fd >= 0 && !out_direct_wanted(d->fd)) stop_direct(d);
    }
    return rc;
}

/* The rest is the default VFS's, called with its own object. */
static int v_delete(sqlite3_vfs *v, const char *name, int sync_dir)
{
    (void)v;
    return real_vfs->xDelete(real_vfs, name, sync_dir);
}

static int v_access(sqlite3_vfs *v, const char *name, int flags, int *out)
{
    (void)v;
    return real_vfs->xAccess(real_vfs, name, flags, out);
}

static int v_full_pathname(sqlite3_vfs *v, const char *name, int n, char *out)
{
    (void)v;
    return real_vfs->xFullPathname(real_vfs, name, n, out);
}

static void *v_dl_open(sqlite3_vfs *v, const char *name)
{
    (void)v;
    return real_vfs->xDlOpen(real_vfs, name);
}

static void v_dl_error(sqlite3_vfs *v, int n, char *msg)
{
    (void)v;
    real_vfs->xDlError(real_vfs, n, msg);
}

static void (*v_dl_sym(sqlite3_vfs *v, void *h, const char *sym))(void)
{
    (void)v;
    return real_vfs->xDlSym(real_vfs, h, sym);
}

static void v_dl_close(sqlite3_vfs *v, void *h)
{
    (void)v;
    real_vfs->xDlClose(real_vfs, h);
}

static int v_randomness(sqlite3_vfs *v, int n, char *out)
{
    (void)v;
    return real_vfs->xRandomness(real_vfs, n, out);
}

static int v_sleep(sqlite3_vfs *v, int us)
{
    (void)v;
    return real_vfs->xSleep(real_vfs, us);
}

static int v_current_time(sqlite3_vfs *v, double *t)
{
    (void)v;
    return real_vfs->xCurrentTime(real_vfs, t);
}

static int v_get_last_error(sqlite3_vfs *v, int n, char *msg)
{
    (void)v;
    return real_vfs->xGetLastError ? real_vfs->xGetLastError(real_vfs, n, msg) : 0;
}

static int v_current_time_int64(sqlite3_vfs *v, sqlite3_int64 *t)
{
    (void)v;
    return real_vfs->xCurrentTimeInt64(real_vfs, t);
}

static void do_register(void)
{
    real_vfs = sqlite3_vfs_find(NULL);
    if (!real_vfs || real_vfs->iVersion < 2) return;
    memset(&dvfs, 0, sizeof dvfs);
    dvfs.iVersion = 2;
    dvfs.szOsFile = (int)DFILE_SIZE + real_vfs->szOsFile;
    dvfs.mxPathname = real_vfs->mxPathname;
    dvfs.zName = SQLITE_DIRECT_VFS;
    dvfs.xOpen = d_open;
    dvfs.xDelete = v_delete;
    dvfs.xAccess = v_access;
    dvfs.xFullPathname = v_full_pathname;
    dvfs.xDlOpen = v_dl_open;
    dvfs.xDlError = v_dl_error;
    dvfs.xDlSym = v_dl_sym;
    dvfs.xDlClose = v_dl_close;
    dvfs.xRandomness = v_randomness;
    dvfs.xSleep = v_sleep;
    dvfs.xCurrentTime = v_current_time;
    dvfs.xGetLastError = v_get_last_error;
    dvfs.xCurrentTimeInt64 = v_current_time_int64;
    registered = sqlite3_vfs_register(&dvfs, 0) == SQLITE_OK ? 0 : -1;
}

unsigned long sqlite_direct_writes(void)
{
    return __atomic_load_n(&direct_writes, __ATOMIC_RELAXED);
}

int sqlite_direct_register(void)
{
    pthread_once(&once, do_register);
    return registered;
}
