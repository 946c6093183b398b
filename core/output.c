/* output.c — atomic, owner-only output files. */
#define _POSIX_C_SOURCE 200809L
#include "output.h"
#include "i18n.h"

#include <errno.h>
#include <fcntl.h>
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

int out_commit(out_file *o, char *err, size_t errlen)
{
    int bad = fflush(o->f) != 0 || ferror(o->f) || fsync(fileno(o->f)) != 0;
    int saved = errno;
    if (fclose(o->f) != 0 && !bad) { bad = 1; saved = errno; }
    o->f = NULL;
    if (!bad && rename(o->tmp_path, o->final_path) != 0) { bad = 1; saved = errno; }
    if (bad) {
        snprintf(err, errlen, _("%s: cannot write: %s"), o->final_path, strerror(saved));
        out_abort(o);
        return -1;
    }
    free(o->final_path);
    free(o->tmp_path);
    free(o->buf);
    memset(o, 0, sizeof *o);
    return 0;
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
