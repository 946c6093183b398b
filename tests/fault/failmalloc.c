/* failmalloc.c — an LD_PRELOAD shim that makes one allocation fail, the way
 * SQLite's and Lua's own tests do, to prove that every allocation failure in
 * tuopin surfaces as a clear error (or is absorbed) and never as a crash or
 * a half-written output.
 *
 *   FAILMALLOC_N=N         the N-th allocation (malloc, calloc, realloc,
 *                          posix_memalign, aligned_alloc, memalign, strdup's
 *                          malloc…) counted from program start returns NULL
 *   FAILMALLOC_PERSIST=1   every allocation from the N-th on fails
 *   FAILMALLOC_COUNT=FILE  writes the number of allocations made to FILE at
 *                          exit (to size the loop over N)
 *
 * Counting starts when the shim's constructor runs, before main.  The count
 * lives in shared memory, so a child process (report.xlsx is written by
 * one) counts on with its parent: N runs over the allocations of both, and
 * the total written at exit includes the child's.  The real
 * allocator is glibc's, reached through its __libc_* entry points (dlsym
 * would itself allocate).  realloc(p, 0) and free are never failed.
 *
 * One exemption: allocations made while the program is inside gettext are
 * never failed.  glibc's gettext crashes when malloc fails while it sets up
 * the conversion of a catalogue (__gconv_open dereferences a NULL step
 * table: a glibc bug, not tuopin's), so the shim wraps the gettext family
 * and lets their allocations through. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <locale.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

extern void *__libc_malloc(size_t);
extern void *__libc_calloc(size_t, size_t);
extern void *__libc_realloc(void *, size_t);
extern void *__libc_memalign(size_t, size_t);

extern char *__dcgettext(const char *, const char *, int);

static atomic_ulong own_count, *count = &own_count;
static __thread int in_gettext;
static unsigned long fail_at;      /* 0: never */
static int persist, active;
static const char *count_file;

static unsigned long env_ulong(const char *name)
{
    const char *v = getenv(name);
    return v ? strtoul(v, NULL, 10) : 0;
}

static void write_count(void)
{
    char buf[32];
    int fd, n;
    if (!count_file) return;
    fd = open(count_file, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    if (fd < 0) return;
    n = snprintf(buf, sizeof buf, "%lu\n", (unsigned long)atomic_load(count));
    if (write(fd, buf, (size_t)n) < 0) { /* nothing to do */ }
    close(fd);
}

__attribute__((constructor)) static void failmalloc_init(void)
{
    fail_at = env_ulong("FAILMALLOC_N");
    persist = env_ulong("FAILMALLOC_PERSIST") != 0;
    void *shared = mmap(NULL, sizeof *count, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (shared != MAP_FAILED) {
        count = shared;
        atomic_store(count, 0);
    }
    count_file = getenv("FAILMALLOC_COUNT");
    if (count_file) atexit(write_count);
    active = 1;
}

/* Whether this allocation is the one (or one of those) to fail. */
static int should_fail(void)
{
    unsigned long n;
    if (!active || in_gettext) return 0;
    n = atomic_fetch_add(count, 1) + 1;
    if (!fail_at) return 0;
    return persist ? n >= fail_at : n == fail_at;
}

void *malloc(size_t n)
{
    if (should_fail()) { errno = ENOMEM; return NULL; }
    return __libc_malloc(n);
}

void *calloc(size_t a, size_t b)
{
    if (should_fail()) { errno = ENOMEM; return NULL; }
    return __libc_calloc(a, b);
}

void *realloc(void *p, size_t n)
{
    if (n && should_fail()) { errno = ENOMEM; return NULL; }
    return __libc_realloc(p, n);
}

void *memalign(size_t align, size_t n)
{
    if (should_fail()) { errno = ENOMEM; return NULL; }
    return __libc_memalign(align, n);
}

void *aligned_alloc(size_t align, size_t n)
{
    return memalign(align, n);
}

int posix_memalign(void **out, size_t align, size_t n)
{
    void *p;
    if (should_fail()) return ENOMEM;
    p = __libc_memalign(align, n);
    if (!p) return ENOMEM;
    *out = p;
    return 0;
}

/* ---- the gettext family: allocations inside are let through ---------------- */

char *dcgettext(const char *domain, const char *msgid, int category)
{
    char *r;
    in_gettext++;
    r = __dcgettext(domain, msgid, category);
    in_gettext--;
    return r;
}

char *dgettext(const char *domain, const char *msgid)
{
    return dcgettext(domain, msgid, LC_MESSAGES);
}

char *gettext(const char *msgid)
{
    return dcgettext(NULL, msgid, LC_MESSAGES);
}
