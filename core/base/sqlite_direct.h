/* sqlite_direct.h — a SQLite VFS that writes a database's pages straight to
 * the disk (O_DIRECT).
 *
 * results.sqlite is written once, from start to end, and read back by
 * nobody during the run: its pages gain nothing from the page cache, and on a
 * virtual machine the first touch of every fresh page-cache page costs CPU
 * time in the kernel (a quarter of the database thread's time at 10 million
 * households; bench/README.md).  This VFS is the default one with a single
 * difference: a write of whole 4 KiB blocks at a 4 KiB-aligned offset of the
 * main database file goes through a second descriptor opened with O_DIRECT,
 * from an aligned copy of the page.  Everything else — reads, other writes,
 * sync, size, locks, journals — is the default VFS's.  When the file system
 * refuses O_DIRECT, or a direct write fails, the write is made again the
 * ordinary way and the file is written the ordinary way from then on, so
 * errors (a full disk) are reported by SQLite as always.  Only on the file
 * systems out_direct_wanted (output.h) names, and not with
 * TUOPIN_DIRECT_IO=0.  Linux buffered and
 * direct I/O on one file stay coherent; the caller keeps memory-mapped I/O
 * off (PRAGMA mmap_size=0). */
#ifndef TUOPIN_SQLITE_DIRECT_H
#define TUOPIN_SQLITE_DIRECT_H

/* The VFS's name for sqlite3_open_v2. */
#define SQLITE_DIRECT_VFS "tuopin-direct"

/* Registers the VFS (once; thread-safe).  RETURN 0, or -1 when SQLite
 * refused it (then open databases with the default VFS). */
int sqlite_direct_register(void);

/* How many writes went to the disk directly so far (for tests). */
unsigned long sqlite_direct_writes(void);

#endif
