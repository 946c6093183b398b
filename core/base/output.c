/* output.c — atomic, owner-only output files. */
#define _GNU_SOURCE /* sync_file_range */
#include "output.h"
#include "i18n.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdio_ext.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <sys/xattr.h>
#include <unistd.h>

#define OUT_BUFSIZE (1u << 20)

/* Direct output (out_direct) goes out a mebibyte at a time. */
#define DIRECT_ALIGN OUT_DIRECT_ALIGN
#define DIRECT_BUF (1u << 20)

struct out_direct_sink {
    int fd;          /* a duplicate of the file's descriptor, O_DIRECT while direct */
    int direct;
    int failed;      /* errno of the first failed write, or 0 */
    char *blk;       /* DIRECT_BUF bytes, DIRECT_ALIGN-aligned */
    size_t n;        /* bytes waiting in blk */
    off_t off;       /* the file offset of blk[0] */
};

static char *join(const char *dir, const char *prefix, const char *name, const char *suffix)
{
    size_t n = strlen(dir) + strlen(prefix) + strlen(name) + strlen(suffix) + 2;
    char *p = malloc(n);
    if (p) snprintf(p, n, "%s/%s%s%s", dir, prefix, name, suffix);
    return p;
}

/* The hidden folder of out_stage: while set, out_open makes the files asked
 * for in stg.dir there. */
static struct {
    char *dir;                /* the output folder as out_stage was given it */
    char *real;               /* its real path */
    char *path;               /* PARENT/.BASE.tuopin-PID */
    const char *const *names; /* every output name a run can write */
} stg;

/* Calls gone(DIR/ENTRY, arg) for each entry .BASE TAG PID of dir (TAG:
 * ".tmp-", ".tuopin-") whose process is gone; own: whether this process
 * counts as gone. */
static void sweep_gone(const char *dir, const char *base, const char *tag, int own,
                       void (*gone)(const char *path, const void *arg), const void *arg)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    size_t bl = strlen(base), tl = strlen(tag);
    if (!d) return;
    while ((e = readdir(d))) {
        const char *p = e->d_name;
        char *end, *path;
        long pid;
        if (p[0] != '.' || strncmp(p + 1, base, bl) || strncmp(p + 1 + bl, tag, tl)) continue;
        p += 1 + bl + tl;
        pid = strtol(p, &end, 10);
        if (end == p || *end || pid <= 0) continue;
        if (pid == (long)getpid() ? !own : (kill((pid_t)pid, 0) == 0 || errno != ESRCH)) continue;
        if ((path = join(dir, "", e->d_name, ""))) gone(path, arg);
        free(path);
    }
    closedir(d);
}

static void unlink_path(const char *path, const void *arg)
{
    (void)arg;
    unlink(path);
}

/* Removes dir/.NAME.tmp-PID files left by runs that were killed (their
 * process is gone): they hold personal data nobody would find or delete.
 * Temporaries of a live process, another run writing here now, are kept. */
static void sweep_stale(const char *dir, const char *name)
{
    sweep_gone(dir, name, ".tmp-", 0, unlink_path, NULL);
}

static int open_file(out_file *o, const char *dir, const char *name, int csv, char *err, size_t errlen)
{
    char suffix[32];
    int fd;
    memset(o, 0, sizeof *o);
    snprintf(suffix, sizeof suffix, ".tmp-%ld", (long)getpid());
    o->final_path = join(dir, "", name, "");
    o->staged = stg.path && !strcmp(dir, stg.dir);
    o->tmp_path = join(o->staged ? stg.path : dir, ".", name, suffix);
    o->buf = malloc(OUT_BUFSIZE);
    if (!o->final_path || !o->tmp_path || !o->buf) {
        snprintf(err, errlen, _("out of memory"));
        out_abort(o);
        return -1;
    }
    unlink(o->tmp_path); /* a leftover of a killed run with the same pid */
    sweep_stale(dir, name);
    {
        /* and the previous outputs a killed commit kept (out_commit_all) */
        char prev[300];
        snprintf(prev, sizeof prev, "%s.prev", name);
        sweep_stale(dir, prev);
    }
    fd = open(o->tmp_path, O_WRONLY | O_CREAT | O_EXCL | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0 || !(o->f = fdopen(fd, "w"))) {
        snprintf(err, errlen, _("%s: cannot create: %s"), o->final_path, strerror(errno));
        if (fd >= 0) close(fd);
        out_abort(o);
        return -1;
    }
    setvbuf(o->f, o->buf, _IOFBF, OUT_BUFSIZE);
    if (csv && out_csv_bom()) {
        fputs(OUT_UTF8_BOM, o->f);   /* in the buffer: out_direct may still take the file */
        o->bom = 1;
    }
    return 0;
}

static int csv_name(const char *name)
{
    size_t n = strlen(name);
    return n > 4 && !strcasecmp(name + n - 4, ".csv");
}

int out_open(out_file *o, const char *dir, const char *name, char *err, size_t errlen)
{
    return open_file(o, dir, name, csv_name(name), err, errlen);
}

int out_open_csv(out_file *o, const char *dir, const char *name, char *err, size_t errlen)
{
    return open_file(o, dir, name, 1, err, errlen);
}

int out_open_plain(out_file *o, const char *dir, const char *name, char *err, size_t errlen)
{
    return open_file(o, dir, name, 0, err, errlen);
}

static struct { int on, origin, env_read; } bom_cfg = { 1, OUT_BOM_DEFAULT, 0 };

int out_csv_bom_parse(const char *s)
{
    static const char *const yes[] = { "yes", "1", "true", "on", NULL }, *const no[] = { "no", "0", "false", "off", NULL };
    int i;
    if (!s) return -1;
    for (i = 0; yes[i]; i++)
        if (!strcasecmp(s, yes[i])) return 1;
    for (i = 0; no[i]; i++)
        if (!strcasecmp(s, no[i])) return 0;
    return -1;
}

void out_csv_bom_set(int on, int origin)
{
    if (origin < bom_cfg.origin) return;
    bom_cfg.on = on ? 1 : 0;
    bom_cfg.origin = origin;
}

int out_csv_bom_env(char *err, size_t errlen)
{
    const char *e = getenv(OUT_BOM_ENV_NAME);
    int v;
    bom_cfg.env_read = 1;
    if (!e) return 0;
    if ((v = out_csv_bom_parse(e)) < 0) {
        snprintf(err, errlen, _("%s=%s: say yes or no (whether CSV outputs begin with the UTF-8 byte-order mark)"),
                 OUT_BOM_ENV_NAME, e);
        return -1;
    }
    out_csv_bom_set(v, OUT_BOM_ENV);
    return 0;
}

int out_csv_bom(void)
{
    if (!bom_cfg.env_read) {
        char err[256];
        (void)out_csv_bom_env(err, sizeof err);   /* a bad value: main has said so already */
    }
    return bom_cfg.on;
}


/* Writes blk[0, n) at off.  Under O_DIRECT n is a multiple of DIRECT_ALIGN;
 * when the file system refuses direct writes after all (EINVAL), or a write
 * stops short of a block boundary, the rest goes through the page cache.
 * RETURN 0, or -1 with errno. */
static int ds_put(struct out_direct_sink *ds, size_t n)
{
    size_t done = 0;
    while (done < n) {
        ssize_t w = pwrite(ds->fd, ds->blk + done, n - done, ds->off + (off_t)done);
        if (w < 0 && errno == EINTR) continue;
        if ((w < 0 && errno == EINVAL && ds->direct) || (w > 0 && ds->direct && (done + (size_t)w) % DIRECT_ALIGN)) {
            int fl = fcntl(ds->fd, F_GETFL);
            if (fl < 0 || fcntl(ds->fd, F_SETFL, fl & ~O_DIRECT) != 0) return -1;
            ds->direct = 0;
            if (w < 0) continue; /* again, through the page cache */
        }
        if (w < 0) return -1;
        if (w == 0) {
            errno = ENOSPC;
            return -1;
        }
        done += (size_t)w;
    }
    return 0;
}

static ssize_t ds_write(void *cookie, const char *p, size_t len)
{
    struct out_direct_sink *ds = cookie;
    size_t left = len;
    if (ds->failed) {
        errno = ds->failed;
        return -1;
    }
    while (left) {
        size_t k = DIRECT_BUF - ds->n < left ? DIRECT_BUF - ds->n : left;
        memcpy(ds->blk + ds->n, p, k);
        ds->n += k;
        p += k;
        left -= k;
        if (ds->n == DIRECT_BUF) {
            if (ds_put(ds, DIRECT_BUF) < 0) {
                ds->failed = errno ? errno : EIO;
                return -1;
            }
            ds->off += DIRECT_BUF;
            ds->n = 0;
        }
    }
    return (ssize_t)len;
}

static int ds_close(void *cookie)
{
    struct out_direct_sink *ds = cookie;
    int r = close(ds->fd);
    free(ds->blk);
    free(ds);
    return r;
}

/* The last partial block: written padded with zeros to a block boundary (as
 * O_DIRECT wants), then the file cut back to its length.  RETURN 0 or -1. */
static int ds_finish(struct out_direct_sink *ds)
{
    size_t n = ds->n, padded = (n + DIRECT_ALIGN - 1) / DIRECT_ALIGN * DIRECT_ALIGN;
    if (ds->failed) {
        errno = ds->failed;
        return -1;
    }
    if (n == 0) return 0;
    memset(ds->blk + n, 0, padded - n);
    if (ds_put(ds, padded) < 0 || ftruncate(ds->fd, ds->off + (off_t)n) != 0) {
        ds->failed = errno ? errno : EIO;
        return -1;
    }
    ds->off += (off_t)n;
    ds->n = 0;
    return 0;
}

void out_direct(out_file *o)
{
    static const cookie_io_functions_t io = { NULL, ds_write, NULL, ds_close };
    struct out_direct_sink *ds;
    FILE *f;
    int fl;
    if (!o->f || o->ds || ftell(o->f) != (o->bom ? 3 : 0) || !out_direct_wanted(fileno(o->f))) return;
    if (!(ds = calloc(1, sizeof *ds))) return;
    if (posix_memalign((void **)&ds->blk, DIRECT_ALIGN, DIRECT_BUF) != 0) {
        free(ds);
        return;
    }
    ds->fd = fcntl(fileno(o->f), F_DUPFD_CLOEXEC, 0);
    if (ds->fd < 0 || !(f = fopencookie(ds, "w", io))) {
        if (ds->fd >= 0) close(ds->fd);
        free(ds->blk);
        free(ds);
        return;
    }
    fl = fcntl(ds->fd, F_GETFL);
    if (fl < 0 || fcntl(ds->fd, F_SETFL, fl | O_DIRECT) != 0) {
        fclose(f);  /* the file system takes no O_DIRECT: the stream stays */
        return;
    }
    ds->direct = 1;
    __fpurge(o->f); /* the byte-order mark, still in the buffer, goes to f instead */
    fclose(o->f);   /* nothing written yet; its descriptor's duplicate goes on */
    setvbuf(f, o->buf, _IOFBF, OUT_BUFSIZE);
    if (o->bom) fputs(OUT_UTF8_BOM, f);
    o->f = f;
    o->ds = ds;
}

int out_direct_wanted(int fd)
{
    const char *e = getenv("TUOPIN_DIRECT_IO");
    struct statfs sf;
    if (e && !strcmp(e, "0")) return 0;
    if (fstatfs(fd, &sf) != 0) return 0;
    switch ((unsigned long)sf.f_type) {
    case 0xEF53UL:     /* ext2, ext3, ext4 */
    case 0x58465342UL: /* XFS */
    case 0x9123683EUL: /* Btrfs */
        return 1;
    default:           /* network, FUSE, overlay, tmpfs: the page cache */
        return 0;
    }
}

/* The descriptor behind o->f. */
static int out_fd(const out_file *o)
{
    return o->ds ? o->ds->fd : fileno(o->f);
}

int out_close(out_file *o, char *err, size_t errlen)
{
    int bad, saved;
    if (!o->f) return 0;
    errno = 0;
    bad = fflush(o->f) != 0 || ferror(o->f) || (o->ds && ds_finish(o->ds) != 0)
          || fsync(out_fd(o)) != 0 || o->early_errno;
    saved = o->early_errno ? o->early_errno : errno ? errno : EIO;
    if (fclose(o->f) != 0 && !bad) { bad = 1; saved = errno; }
    o->f = NULL;
    o->ds = NULL; /* freed by the stream's close */
    if (bad) {
        snprintf(err, errlen, _("%s: cannot write: %s"), o->final_path, strerror(saved));
        out_abort(o);
        return -1;
    }
    return 0;
}

/* Flushes o's stream; a failure's reason is kept for out_close. */
static int flush_early(out_file *o)
{
    if (!o->f) return -1;
    errno = 0;
    if (fflush(o->f) == 0) return 0;
    if (!o->early_errno) o->early_errno = errno ? errno : EIO;
    return -1;
}

void out_writeback(out_file *o)
{
    if (flush_early(o) < 0) return;
#if defined(__linux__) && defined(SYNC_FILE_RANGE_WRITE)
    if (!o->ds || !o->ds->direct) (void)sync_file_range(out_fd(o), 0, 0, SYNC_FILE_RANGE_WRITE);
#endif
}

void out_sync_early(out_file *o)
{
    if (flush_early(o) < 0) return;
    errno = 0;
    if (fsync(out_fd(o)) != 0 && !o->early_errno) o->early_errno = errno ? errno : EIO;
}

int out_commit(out_file *o, char *err, size_t errlen)
{
    if (out_close(o, err, errlen) < 0) return -1;
    if (rename(o->tmp_path, o->final_path) != 0) {
        snprintf(err, errlen, _("%s: cannot write: %s"), o->final_path, strerror(errno));
        out_abort(o);
        return -1;
    }
    free(o->final_path);
    free(o->tmp_path);
    free(o->buf);
    memset(o, 0, sizeof *o);
    return 0;
}

/* dir/.NAME.prev.tmp-PID for dir/NAME: where the previous output under NAME
 * is kept (a hard link) while a commit renames the new ones into place. */
static char *prev_path(const char *final)
{
    const char *slash = strrchr(final, '/');
    size_t d = slash ? (size_t)(slash - final) : 0, n = strlen(final) + 48;
    char *p = malloc(n);
    if (p) snprintf(p, n, "%.*s%s.%s.prev.tmp-%ld", (int)d, final, slash ? "/" : "", slash ? slash + 1 : final,
                    (long)getpid());
    return p;
}

/* The fault hook of tests/fault/commit.sh: TUOPIN_FAULT_COMMIT=K kills the
 * process (SIGKILL) at step K of a commit, TUOPIN_FAULT_COMMIT=fail:K makes
 * step K fail as an I/O error would.  Steps (docs/safety.md): 1 every file
 * closed, 2 the first renamed in the hidden folder, 3 all renamed there, 4
 * the output folder's other files linked in, 5 the folders exchanged, 6 the
 * first previous output removed; 11, 12, ... after each rename of a commit
 * that renames one by one. */
static int commit_step(int k)
{
    const char *e = getenv("TUOPIN_FAULT_COMMIT");
    int fail = 0;
    if (!e) return 0;
    if (!strncmp(e, "fail:", 5)) {
        fail = 1;
        e += 5;
    }
    if (atoi(e) != k) return 0;
    if (!fail) raise(SIGKILL);
    errno = EIO;
    return -1;
}

static const char *base_name(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash ? slash + 1 : path;
}

/* Whether name is one of the outputs of v or of names. */
static int output_name(const char *name, out_file *const *v, size_t n, const char *const *names)
{
    size_t i;
    for (i = 0; i < n; i++)
        if (v[i]->final_path && !strcmp(name, base_name(v[i]->final_path))) return 1;
    for (; names && *names; names++)
        if (!strcmp(name, *names)) return 1;
    return 0;
}

/* Empties and removes a hidden folder of out_stage's: its entries that are
 * outputs (v, names), temporaries (.NAME.tmp-...) or links to the file under
 * the same name in real (the output folder) go; anything else (a folder, a
 * file someone put there) stays, and so does the folder then.  step: the
 * fault hook's step after the first removal, or 0. */
static void clear_dir(const char *path, const char *real, out_file *const *v, size_t n,
                      const char *const *names, int step)
{
    DIR *d;
    struct dirent *e;
    if (!step && rmdir(path) == 0) return;   /* empty: no allocation (out of memory) */
    if (!(d = opendir(path))) return;
    while ((e = readdir(d))) {
        struct stat a, b;
        char p[PATH_MAX], q[PATH_MAX];
        int drop;
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..")) continue;
        if ((size_t)snprintf(p, sizeof p, "%s/%s", path, e->d_name) >= sizeof p) continue;
        if (lstat(p, &a) != 0 || S_ISDIR(a.st_mode)) continue;
        drop = output_name(e->d_name, v, n, names) || (e->d_name[0] == '.' && strstr(e->d_name, ".tmp-"));
        if (!drop && (size_t)snprintf(q, sizeof q, "%s/%s", real, e->d_name) < sizeof q)
            drop = lstat(q, &b) == 0 && a.st_dev == b.st_dev && a.st_ino == b.st_ino;
        if (drop && unlink(p) == 0 && step) {
            (void)commit_step(step);
            step = 0;
        }
    }
    closedir(d);
    rmdir(path);
}

static void fsync_dir(const char *path)
{
    int fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) return;
    (void)fsync(fd);
    close(fd);
}

static void stage_forget(void)
{
    free(stg.dir);
    free(stg.real);
    free(stg.path);
    memset(&stg, 0, sizeof stg);
}

/* The one-step commit of files closed in the hidden folder (out_commit_all).
 * RETURN 0 committed; 1 to be renamed one by one instead (each v[i]->tmp_path
 * is then its file in the hidden folder); -1 failed, with a message. */
static int commit_swap(out_file *const *v, size_t n, char *err, size_t errlen)
{
    size_t i;
    DIR *d;
    struct dirent *e;
    struct stat a, b;
    int fb = 0;
    for (i = 0; i < n; i++) {
        char *p = join(stg.path, "", base_name(v[i]->final_path), "");
        if (!p) {
            snprintf(err, errlen, _("out of memory"));
            return -1;
        }
        if (rename(v[i]->tmp_path, p) != 0 || commit_step(i == 0 ? 2 : 0) < 0) {
            snprintf(err, errlen, _("%s: cannot write: %s"), v[i]->final_path, strerror(errno));
            free(p);
            return -1;
        }
        free(v[i]->tmp_path);
        v[i]->tmp_path = p;
    }
    if (commit_step(3) < 0) {
        snprintf(err, errlen, _("%s: cannot write: %s"), stg.dir, strerror(errno));
        return -1;
    }
    /* Whatever else the folder holds comes along, as hard links (a folder in
     * it cannot: then the files are renamed one by one). */
    if (!(d = opendir(stg.real))) {
        snprintf(err, errlen, _("%s: cannot read: %s"), stg.dir, strerror(errno));
        return -1;
    }
    while (!fb && (e = readdir(d))) {
        char *p, *q = NULL;
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..")) continue;
        if (!(p = join(stg.real, "", e->d_name, "")) || !(q = join(stg.path, "", e->d_name, ""))) {
            snprintf(err, errlen, _("out of memory"));
            fb = -1;
        } else if (lstat(p, &a) != 0) {
            /* gone meanwhile */
        } else if (output_name(e->d_name, v, n, NULL)) {
            if (S_ISDIR(a.st_mode)) {   /* as rename would: the commit fails */
                for (i = 0; i + 1 < n && strcmp(e->d_name, base_name(v[i]->final_path)); i++) {}
                snprintf(err, errlen, _("%s: cannot write: %s"), v[i]->final_path, strerror(EISDIR));
                fb = -1;
            }
        } else if (S_ISDIR(a.st_mode) || linkat(AT_FDCWD, p, AT_FDCWD, q, 0) != 0) {
            fb = 1;
        }
        free(p);
        free(q);
    }
    closedir(d);
    if (fb < 0) return -1;
    if (fb) return 1;
    if (commit_step(4) < 0) {
        snprintf(err, errlen, _("%s: cannot write: %s"), stg.dir, strerror(errno));
        return -1;
    }
    /* The new folder takes the old one's owner, group and mode. */
    if (stat(stg.real, &a) != 0 || stat(stg.path, &b) != 0) return 1;
    if ((a.st_uid != b.st_uid || a.st_gid != b.st_gid) && chown(stg.path, a.st_uid, a.st_gid) != 0) return 1;
    if (chmod(stg.path, a.st_mode & 07777) != 0 || stat(stg.path, &b) != 0 || b.st_uid != a.st_uid
        || b.st_gid != a.st_gid || (b.st_mode & 07777) != (a.st_mode & 07777))
        return 1;
    fsync_dir(stg.path);
#ifdef RENAME_EXCHANGE
    if (renameat2(AT_FDCWD, stg.path, AT_FDCWD, stg.real, RENAME_EXCHANGE) != 0) {
        if (errno == EINVAL || errno == ENOSYS || errno == EXDEV || errno == EBUSY || errno == ENOTSUP
            || errno == EPERM)
            return 1;
        snprintf(err, errlen, _("%s: cannot write: %s"), stg.dir, strerror(errno));
        return -1;
    }
#else
    return 1;
#endif
    /* Done: the folder holds every new output.  The old one, now under the
     * hidden name, loses the previous outputs and the links, and goes. */
    {
        char *slash = strrchr(stg.real, '/');
        if (slash) {
            *slash = '\0';
            fsync_dir(slash == stg.real ? "/" : stg.real);
            *slash = '/';
        }
    }
    (void)commit_step(5);
    for (i = 0; i < n; i++) {
        free(v[i]->tmp_path);
        v[i]->tmp_path = NULL;   /* committed: nothing for out_abort to remove */
    }
    clear_dir(stg.path, stg.real, v, n, stg.names, 6);
    stage_forget();
    return 0;
}

int out_commit_all(out_file *const *v, size_t n, char *err, size_t errlen)
{
    size_t i, done;
    char **prev = NULL;
    unsigned char *had = NULL;
    int staged = n > 0 && stg.path;
    for (i = 0; i < n; i++)
        if (out_close(v[i], err, errlen) < 0) goto abort;
        else if (!v[i]->staged) staged = 0;
    if (commit_step(1) < 0) {
        snprintf(err, errlen, _("%s: cannot write: %s"), n ? v[0]->final_path : "", strerror(errno));
        goto abort;
    }
    if (staged) {
        err[0] = '\0';
        switch (commit_swap(v, n, err, errlen)) {
        case 0: goto done;
        case 1: break;      /* one by one, from the hidden folder */
        default: goto abort;
        }
    }
    prev = calloc(n ? n : 1, sizeof *prev);
    had = calloc(n ? n : 1, 1);
    if (!prev || !had) {
        snprintf(err, errlen, _("out of memory"));
        goto abort;
    }
    /* The previous run's outputs stay reachable (hard links) until every new
     * one is in place: a failed rename puts them back, so a failed commit
     * never deletes good outputs (issue 18 item 5). */
    for (i = 0; i < n; i++) {
        if (!(prev[i] = prev_path(v[i]->final_path))) {
            snprintf(err, errlen, _("out of memory"));
            goto undo_links;
        }
        unlink(prev[i]);
        /* no previous file (ENOENT), or a file system without hard links: then
         * a failed commit removes this output as before */
        if (link(v[i]->final_path, prev[i]) == 0) had[i] = 1;
    }
    /* Every file is complete and on disk; only renames are left, and a
     * failed one takes back those before it. */
    for (done = 0; done < n; done++) {
        if (rename(v[done]->tmp_path, v[done]->final_path) != 0 || commit_step(11 + (int)done) < 0) {
            int e = errno;
            if (access(v[done]->tmp_path, F_OK) != 0) {   /* renamed, then the fault hook */
                rename(v[done]->final_path, v[done]->tmp_path);
                if (had[done]) rename(prev[done], v[done]->final_path);
                had[done] = 0;
            }
            snprintf(err, errlen, _("%s: cannot write: %s"), v[done]->final_path, strerror(e));
            for (i = 0; i < done; i++) {
                if (had[i]) rename(prev[i], v[i]->final_path);
                else unlink(v[i]->final_path);
                had[i] = 0;
            }
            goto undo_links;
        }
    }
    for (i = 0; i < n; i++) {
        if (had[i]) unlink(prev[i]);
        free(prev[i]);
    }
    free(prev);
    free(had);
done:
    if (stg.path) {
        clear_dir(stg.path, stg.real, v, n, stg.names, 0);
        stage_forget();
    }
    for (i = 0; i < n; i++) {
        free(v[i]->final_path);
        free(v[i]->tmp_path);
        free(v[i]->buf);
        memset(v[i], 0, sizeof *v[i]);
    }
    return 0;
undo_links:
    for (i = 0; i < n; i++)
        if (prev && prev[i] && had && had[i]) unlink(prev[i]);
abort:
    for (i = 0; prev && i < n; i++) free(prev[i]);
    free(prev);
    free(had);
    for (i = 0; i < n; i++) out_abort(v[i]);
    if (stg.path) {
        clear_dir(stg.path, stg.real, v, n, stg.names, 0);
        stage_forget();
    }
    return -1;
}

void out_abort(out_file *o)
{
    if (o->f) fclose(o->f);
    if (o->tmp_path) unlink(o->tmp_path);
    free(o->final_path);
    free(o->tmp_path);
    free(o->buf);
    memset(o, 0, sizeof *o);
}

int out_mkdir(const char *dir, char *err, size_t errlen)
{
    char *p = strdup(dir), *s;
    struct stat st;
    if (!p) { snprintf(err, errlen, _("out of memory")); return -1; }
    for (s = p + 1; ; s++) {
        if (*s == '/' || *s == '\0') {
            char c = *s;
            *s = '\0';
            if (mkdir(p, 0700) != 0 && errno != EEXIST) {
                snprintf(err, errlen, _("%s: cannot create folder: %s"), p, strerror(errno));
                free(p);
                return -1;
            }
            *s = c;
            if (c == '\0') break;
        }
    }
    free(p);
    if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
        snprintf(err, errlen, _("%s: not a folder"), dir);
        return -1;
    }
    return 0;
}

/* What clear_dir needs of a stage folder left by a run that is gone. */
typedef struct stale_stage {
    const char *real;
    const char *const *names;
} stale_stage;

static void clear_stage(const char *path, const void *arg)
{
    const stale_stage *st = arg;
    clear_dir(path, st->real, NULL, 0, st->names, 0);
}

/* Removes the hidden folders PARENT/.BASE.tuopin-PID of runs into real whose
 * process is gone (killed while writing or committing): see clear_dir. */
static void sweep_stages(const char *parent, const char *base, const char *real, const char *const *names)
{
    stale_stage st = { real, names };
    sweep_gone(parent, base, ".tuopin-", 1, clear_stage, &st);
}

int out_stage(const char *dir, const char *const *names, char *err, size_t errlen)
{
    char real[PATH_MAX], cwd[PATH_MAX], xa[1024], *slash, *parent = NULL, *path = NULL;
    struct stat a, b;
    size_t rl;
    ssize_t k, i;
    if (stg.path) return 1;
    if (!realpath(dir, real) || (rl = strlen(real)) <= 1 || !(slash = strrchr(real, '/'))) return 0;
    /* the working directory (or one of its parents) stays where it is */
    if (getcwd(cwd, sizeof cwd) && !strncmp(cwd, real, rl) && (cwd[rl] == '\0' || cwd[rl] == '/')) return 0;
    parent = slash == real ? strdup("/") : strndup(real, (size_t)(slash - real));
    if (!parent) goto oom;
    /* a mount point cannot be exchanged; an ACL would not come along */
    if (stat(real, &a) != 0 || stat(parent, &b) != 0 || !S_ISDIR(a.st_mode) || a.st_dev != b.st_dev) goto no;
    k = listxattr(real, xa, sizeof xa);
    if (k < 0 && errno != ENOTSUP && errno != ENOSYS) goto no;
    for (i = 0; i < k; i += (ssize_t)strlen(xa + i) + 1)
        if (strcmp(xa + i, "security.selinux")) goto no;
    sweep_stages(parent, slash + 1, real, names);
    {
        char suffix[32];
        snprintf(suffix, sizeof suffix, ".tuopin-%ld", (long)getpid());
        if (!(path = join(parent, ".", slash + 1, suffix))) goto oom;
    }
    if (mkdir(path, 0700) != 0) goto no;
    if (!(stg.dir = strdup(dir)) || !(stg.real = strdup(real))) {
        rmdir(path);
        stage_forget();
        goto oom;
    }
    stg.path = path;
    stg.names = names;
    free(parent);
    return 1;
oom:
    snprintf(err, errlen, _("out of memory"));
    free(parent);
    free(path);
    return -1;
no:
    free(parent);
    free(path);
    return 0;
}

void out_unstage(void)
{
    if (!stg.path) return;
    clear_dir(stg.path, stg.real, NULL, 0, stg.names, 0);
    stage_forget();
}

static int lock_fd = -1;
static char *lock_path;

int out_lock(const char *dir, char *err, size_t errlen)
{
    int tries;
    if (lock_fd >= 0) return 0;
    if (!(lock_path = join(dir, ".", "tuopin.lock", ""))) {
        snprintf(err, errlen, _("out of memory"));
        return -1;
    }
    for (tries = 0; tries < 3; tries++) {
        struct stat a, b;
        int fd = open(lock_path, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600);
        if (fd < 0) {
            snprintf(err, errlen, _("%s: cannot create: %s"), lock_path, strerror(errno));
            break;
        }
        if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
            char who[128];
            ssize_t k = errno == EWOULDBLOCK ? pread(fd, who, sizeof who - 1, 0) : -1;
            who[k > 0 ? k : 0] = '\0';
            who[strcspn(who, "\n")] = '\0';
            long pid = 0;
            int at = 0;
            if (k > 0 && sscanf(who, "%ld %n", &pid, &at) == 1 && pid > 0 && at > 0)
                snprintf(err, errlen, _("%s: another tuopin run is writing into this folder (pid %ld, started %s)"),
                         dir, pid, who + at);
            else
                snprintf(err, errlen, _("%s: another tuopin run is writing into this folder"), dir);
            close(fd);
            break;
        }
        /* the file locked must still be the one under the name (a run that
         * finished removes it) */
        if (fstat(fd, &a) != 0 || stat(lock_path, &b) != 0 || a.st_ino != b.st_ino || a.st_dev != b.st_dev) {
            close(fd);
            continue;
        }
        {
            char line[128], when[40];
            time_t now = time(NULL);
            struct tm tmv;
            int n;
            gmtime_r(&now, &tmv);
            strftime(when, sizeof when, "%Y-%m-%d %H:%M:%S UTC", &tmv);
            n = snprintf(line, sizeof line, "%ld %s\n", (long)getpid(), when);
            if (fchmod(fd, 0600) != 0 || ftruncate(fd, 0) != 0 || pwrite(fd, line, (size_t)n, 0) != n) {
                snprintf(err, errlen, _("%s: cannot write: %s"), lock_path, strerror(errno ? errno : ENOSPC));
                unlink(lock_path);   /* held by this run: a failed run leaves nothing */
                close(fd);
                break;
            }
        }
        lock_fd = fd;
        return 0;
    }
    if (tries == 3) snprintf(err, errlen, _("%s: another tuopin run is writing into this folder"), dir);
    free(lock_path);
    lock_path = NULL;
    return -1;
}

void out_lock_forget(void)
{
    if (lock_fd < 0) return;
    close(lock_fd);   /* not flock(LOCK_UN): that would free the parent's lock too */
    lock_fd = -1;
}

void out_unlock(void)
{
    if (lock_fd < 0) return;
    unlink(lock_path);
    close(lock_fd);
    lock_fd = -1;
    free(lock_path);
    lock_path = NULL;
}

