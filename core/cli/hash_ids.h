/* hash_ids.h — `tuopin hash-ids`: a copy of a roster whose ID column holds
 * keyed hashes instead of IDs (standard §8.3), for a department to run
 * before it sends a file. */
#ifndef TUOPIN_HASH_IDS_H
#define TUOPIN_HASH_IDS_H

/* The command's main (argv[0] is "hash-ids").  RETURN the exit status:
 * 0 done, 1 a fatal error, 2 a usage error. */
int hash_ids_main(int argc, char **argv);

#endif
