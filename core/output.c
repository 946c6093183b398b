/* output.c — atomic, owner-only output files. */
#define _GNU_SOURCE /* sync_file_range */
#include "output.h"
#include "i18n.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define OUT_BUFSIZE (1u << 20)

static char *join(const char *dir, const char *prefix, const char *name, const char *suffix)
{
    size_t n = strlen(dir) + strlen(prefix) + strlen(name) + strlen(suffix) + 2;
    char *p = malloc(n);
    if (p) snprintf(p, n, "%s/%s%s%s", dir, prefix, name, suffix);
    return p;
}

/* Removes dir/.NAME.tmp-PID files left by runs that were killed (their
 * process is gone): they hold personal data nobody would find or delete.
 * Temporaries of a live process, another run writing here now, are kept. */
static void sweep_stale(const char *dir, const char *name)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    size_t nl = strlen(name);
    if (!d) return;
    while ((e = readdir(d))) {
        const char *p = e->d_name;
        char *end;
        long pid;
        if (p[0] != '.' || strncmp(p + 1, name, nl) || strncmp(p + 1 + nl, ".tmp-", 5)) continue;
        p += 1 + nl + 5;
        pid = strtol(p, &end, 10);
        if (end == p || *end || pid <= 0 || pid == (long)getpid()) continue;
        if (kill((pid_t)pid, 0) == 0 || errno != ESRCH) continue;
        {
            char *path = join(dir, "", e->d_name, "");
            if (path) unlink(path);
            free(path);
        }
    }
    closedir(d);
}

int out_open(out_file *o, const char *dir, const char *name, char *err, size_t errlen)
{
    char suffix[32];
    int fd;
    memset(o, 0, sizeof *o);
    snprintf(suffix, sizeof suffix, ".tmp-%ld", (long)getpid());
    o->final_path = join(dir, "", name, "");
    o->tmp_path = join(dir, ".", name, suffix);
    o->buf = malloc(OUT_BUFSIZE);
    if (!o->final_path || !o->tmp_path || !o->buf) {
        snprintf(err, errlen, _("out of memory"));
        out_abort(o);
        return -1;
    }
    unlink(o->tmp_path); /* a leftover of a killed run with the same pid */
    sweep_stale(dir, name);
    fd = open(o->tmp_path, O_WRONLY | O_CREAT | O_EXCL | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0 || !(o->f = fdopen(fd, "w"))) {
        snprintf(err, errlen, _("%s: cannot create: %s"), o->final_path, strerror(errno));
        if (fd >= 0) close(fd);
        out_abort(o);
        return -1;
    }
    setvbuf(o->f, o->buf, _IOFBF, OUT_BUFSIZE);
    return 0;
}

int out_close(out_file *o, char *err, size_t errlen)
{
    int bad, saved;
    if (!o->f) return 0;
    errno = 0;
    bad = fflush(o->f) != 0 || ferror(o->f) || fsync(fileno(o->f)) != 0 || o->early_errno;
    saved = o->early_errno ? o->early_errno : errno ? errno : EIO;
    if (fclose(o->f) != 0 && !bad) { bad = 1; saved = errno; }
    o->f = NULL;
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
    (void)sync_file_range(fileno(o->f), 0, 0, SYNC_FILE_RANGE_WRITE);
#endif
}

void out_sync_early(out_file *o)
{
    if (flush_early(o) < 0) return;
    errno = 0;
    if (fsync(fileno(o->f)) != 0 && !o->early_errno) o->early_errno = errno ? errno : EIO;
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

int out_commit_all(out_file *const *v, size_t n, char *err, size_t errlen)
{
    size_t i, done;
    for (i = 0; i < n; i++)
        if (out_close(v[i], err, errlen) < 0) goto abort;
    /* Every file is complete and on disk; only renames are left, and a
     * failed one takes back those before it. */
    for (done = 0; done < n; done++) {
        if (rename(v[done]->tmp_path, v[done]->final_path) != 0) {
            snprintf(err, errlen, _("%s: cannot write: %s"), v[done]->final_path, strerror(errno));
            for (i = 0; i < done; i++) unlink(v[i]->final_path);
            goto abort;
        }
    }
    for (i = 0; i < n; i++) {
        free(v[i]->final_path);
        free(v[i]->tmp_path);
        free(v[i]->buf);
        memset(v[i], 0, sizeof *v[i]);
    }
    return 0;
abort:
    for (i = 0; i < n; i++) out_abort(v[i]);
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
