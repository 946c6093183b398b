/* merge.h — `tuopin merge`: the outputs of the shard runs of one split
 * combined into those of a single run of the whole quarter. */
#ifndef TUOPIN_MERGE_H
#define TUOPIN_MERGE_H

/* NAME: merge_main
 * DESCRIPTION: runs `tuopin merge RUN_DIR... --out DIR [--split DIR]`;
 *   argv[0] is "merge".
 * RETURN: the exit status: 0 done, 1 fatal error (one line on standard
 *   error naming the folder or file at fault), 2 usage error. */
int merge_main(int argc, char **argv);

#endif
