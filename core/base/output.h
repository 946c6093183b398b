/* output.h — output files written whole or not at all: each is written under
 * a temporary name in the output folder, created mode 0600 (the outputs hold
 * personal data), and renamed to its final name only when complete. */
#ifndef TUOPIN_OUTPUT_H
#define TUOPIN_OUTPUT_H

#include <stdio.h>

struct out_direct_sink;

typedef struct out_file {
    char *final_path, *tmp_path;   /* owned */
    FILE *f;                       /* buffered stream to write to */
    char *buf;                     /* owned stdio buffer */
    int early_errno;               /* why an early flush failed (out_close says) */
    struct out_direct_sink *ds;    /* set by out_direct; owned by f's cookie */
    int staged;                    /* written in out_stage's hidden folder */
    int bom;                       /* began with the UTF-8 byte-order mark */
} out_file;

/* NAME: out_open
 * DESCRIPTION: creates dir/.name.tmp-PID for writing, and removes the
 *   dir/.name.tmp-PID files of processes that no longer exist (runs that
 *   were killed).
 * RETURN: 0, or -1 with a message naming the file in err. */
int out_open(out_file *o, const char *dir, const char *name, char *err, size_t errlen);

/* NAME: out_open_csv
 * DESCRIPTION: out_open for a CSV file whatever its name (out_open knows a
 *   CSV by its name's ".csv"): the file begins with the UTF-8 byte-order
 *   mark when out_csv_bom says so.
 * RETURN: as out_open. */
int out_open_csv(out_file *o, const char *dir, const char *name, char *err, size_t errlen);

/* NAME: out_open_plain
 * DESCRIPTION: out_open for a file that is an input of later runs, never
 *   with the byte-order mark whatever its name: split's shard rejects,
 *   gen's quarters, rosters and field rows (docs/outputs.md).
 * RETURN: as out_open. */
int out_open_plain(out_file *o, const char *dir, const char *name, char *err, size_t errlen);

/* The UTF-8 byte-order mark (EF BB BF) at the start of every CSV output
 * file, so that Excel (Chinese Windows in particular) reads it as UTF-8
 * rather than the system's code page (docs/outputs.md).  out_open writes it
 * for a name ending in ".csv" (any case) and out_open_csv for any name, when
 * out_csv_bom() is 1 (out_open_plain never); nothing is written to
 * standard output through here.
 * Who decides, weakest first: the default (yes), the environment
 * (TUOPIN_CSV_BOM=no|yes), the pipeline (output { csv_bom = false }), the
 * command line (--csv-bom=no|yes, cmdline.h).  A setting takes the place
 * of one from the same or a weaker origin only. */
enum { OUT_BOM_DEFAULT, OUT_BOM_ENV, OUT_BOM_PIPELINE, OUT_BOM_CMDLINE };
#define OUT_BOM_ENV_NAME "TUOPIN_CSV_BOM"
#define OUT_UTF8_BOM "\xEF\xBB\xBF"
void out_csv_bom_set(int on, int origin);
/* RETURN: 1 when CSV outputs begin with the byte-order mark, else 0. */
int out_csv_bom(void);
/* "yes", "no" (also 1/0, true/false, on/off; any case).  RETURN 1, 0, or -1
 * for anything else. */
int out_csv_bom_parse(const char *s);
/* Checks TUOPIN_CSV_BOM once, at the start.  RETURN 0, or -1 with a message
 * naming the variable and its value (the variable is unset or one of
 * out_csv_bom_parse's words otherwise). */
int out_csv_bom_env(char *err, size_t errlen);

/* NAME: out_direct
 * DESCRIPTION: for a large file written as a stream through o->f, called
 *   before anything is written to it: its bytes go to the disk from one
 *   reused aligned buffer (O_DIRECT) instead of through fresh page-cache
 *   pages, whose first touch costs CPU time in the kernel (on a virtual
 *   machine, a lot: bench/README.md).  o->f becomes a stream of tuopin's
 *   own (fileno(o->f) is then -1).  When the file system takes no O_DIRECT,
 *   or anything here fails, the file is written as before: out_direct is an
 *   optimisation, never a reason for a run to fail.  Only where
 *   out_direct_wanted says so.  Not for files another library writes by
 *   name (results.sqlite has sqlite_direct.h; report.xlsx is small). */
void out_direct(out_file *o);

/* Direct writes go in whole blocks of this many bytes, at offsets and from
 * memory aligned to it: any device's logical block size. */
#define OUT_DIRECT_ALIGN 4096u

/* Whether O_DIRECT is worth trying for fd's file: it is on a local disk's
 * file system (ext4, XFS, Btrfs; not a network, FUSE, overlay or memory file
 * system, where direct writes can be far slower or refused) and the
 * environment does not say TUOPIN_DIRECT_IO=0. */
int out_direct_wanted(int fd);

/* NAME: out_commit
 * DESCRIPTION: flushes, syncs and renames the file to its final name.
 * RETURN: 0, or -1 (the temporary file is removed) with a message. */
int out_commit(out_file *o, char *err, size_t errlen);

/* NAME: out_close
 * DESCRIPTION: flushes, syncs and closes the file, still under its temporary
 *   name (out_commit or out_commit_all then renames it).
 * RETURN: 0, or -1 (the temporary file is removed) with a message. */
int out_close(out_file *o, char *err, size_t errlen);

/* NAME: out_commit_all
 * DESCRIPTION: the files of one run, all or nothing: closes every one, then
 *   puts them under their final names.  When every file was opened in
 *   out_stage's hidden folder, they appear in one step: each is renamed to
 *   its name in the hidden folder, whatever else the output folder holds is
 *   hard-linked beside them, and one renameat2(RENAME_EXCHANGE) swaps the
 *   two folders; the old one (under the hidden name now) loses the previous
 *   outputs and the links and is removed.  Otherwise (or when the exchange
 *   is not supported) each is renamed into the folder in turn, the previous
 *   outputs kept as hard links until all are in place.  When anything fails,
 *   every temporary file is removed and the previous outputs are left or put
 *   back, so a failed run leaves none of its outputs under a final name.
 * RETURN: 0, or -1 with a message naming the file. */
int out_commit_all(out_file *const *v, size_t n, char *err, size_t errlen);

/* NAME: out_writeback
 * DESCRIPTION: flushes the stream and asks the system to start writing the
 *   file's pages to disk now (Linux), so that out_close's fsync at the end
 *   of the run finds little left to wait for.  A hint: errors are left for
 *   out_close to report. */
void out_writeback(out_file *o);

/* Flushes and syncs the file now, on the calling thread (a thread that is
 * otherwise waiting), without closing it; errors are left for out_close. */
void out_sync_early(out_file *o);

/* Removes the temporary file; safe on a file never opened or committed. */
void out_abort(out_file *o);

/* NAME: out_stage
 * DESCRIPTION: called with out_lock held on dir, before its outputs are
 *   opened: makes the hidden sibling folder PARENT/.BASE.tuopin-PID (0700)
 *   in which out_open then makes the files it is asked for in dir, so that
 *   out_commit_all can swap them in at once.  names (NULL-terminated) are
 *   every output name a run can write there: a hidden sibling left by a
 *   killed run loses those, its temporaries and its links to dir's files
 *   (nothing else) and goes.  Not staged (out_commit_all then renames one
 *   by one; not an error) when dir is the root, the working directory or
 *   one of its parents, a mount point, has extended attributes (an ACL)
 *   other than an SELinux label, or its parent takes no new folder.
 * RETURN: 1 staged, 0 not staged, -1 (out of memory) with a message. */
int out_stage(const char *dir, const char *const *names, char *err, size_t errlen);
/* Removes the hidden folder (when its files were not committed) and forgets
 * it.  Safe when out_stage was never called. */
void out_unstage(void);

/* Creates dir (and its parents) when missing, mode 0700.  RETURN 0 or -1. */
int out_mkdir(const char *dir, char *err, size_t errlen);

/* NAME: out_lock
 * DESCRIPTION: keeps other runs out of dir while this one writes there: an
 *   exclusive flock on dir/.tuopin.lock (0600, no symbolic link), which holds
 *   this run's pid and start time.  One lock per process; out_unlock removes
 *   the file and lets go (a killed run's lock goes with its process).
 * RETURN: 0, or -1 with an error naming the run that holds the folder. */
int out_lock(const char *dir, char *err, size_t errlen);
void out_unlock(void);
/* In a child forked while the lock is held: closes the child's copy of the
 * lock's descriptor, so that the lock ends with the run that took it (a
 * flock lock lasts while any copy of its descriptor is open: a child still
 * writing after its parent was killed would keep the folder locked). */
void out_lock_forget(void);

#endif
