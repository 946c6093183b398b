/* split.h — `tuopin split`: a quarter cut into shard files by region for
 * runs on several machines (see shard.h for the folder it writes). */
#ifndef TUOPIN_SPLIT_H
#define TUOPIN_SPLIT_H

/* NAME: split_main
 * DESCRIPTION: runs `tuopin split INPUT --by province|city|county --out DIR`;
 *   argv[0] is "split".
 * RETURN: the exit status: 0 done, 1 fatal error (one line on standard
 *   error naming the file, line or option), 2 usage error. */
int split_main(int argc, char **argv);

#endif
