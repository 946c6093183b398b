#!/usr/bin/env python3
"""quarters_eval.py TRUTH SIGNALS TRANSITIONS MAX_FP

Checks tuopin compare's signals.csv against the ground truth written by
`tuopin gen --quarters`: every planted household must be in a signal of its
pattern; prints per pattern what was found and the false-positive rate (the
share of households not planted with any pattern that are in some signal).
Exit 0 when nothing planted was missed and the rate is at most MAX_FP
(a fraction, e.g. 0.005), else 1."""
import csv
import sys


def main():
    truth, signals, transitions, max_fp = sys.argv[1], sys.argv[2], sys.argv[3], float(sys.argv[4])
    planted = {}
    with open(truth, newline='', encoding='utf-8-sig') as f:
        for r in csv.DictReader(f):
            planted.setdefault(r['pattern'], set()).add(r['household_id'])
    found = {}
    with open(signals, newline='', encoding='utf-8-sig') as f:
        for r in csv.DictReader(f):
            found.setdefault(r['code'], set()).update(r['household_ids'].split(';'))
    with open(transitions, newline='', encoding='utf-8-sig') as f:
        households = {r['household_id'] for r in csv.DictReader(f)}
    all_planted = set().union(*planted.values()) if planted else set()
    flagged = set().union(*found.values()) if found else set()
    bad = 0
    for pattern in sorted(planted):
        ids = planted[pattern]
        missed = sorted(ids - found.get(pattern, set()))
        print('%-18s planted %6d  found %6d%s' % (pattern, len(ids), len(ids) - len(missed),
              ('  MISSED: ' + ' '.join(missed[:10])) if missed else ''))
        bad += len(missed)
    unplanted = households - all_planted
    fp = flagged & unplanted
    rate = len(fp) / len(unplanted) if unplanted else 0.0
    print('false positives: %d of %d unplanted households = %.4f%% (bound %.4f%%)'
          % (len(fp), len(unplanted), 100 * rate, 100 * max_fp))
    for code in sorted(found):
        extra = sorted(found[code] & unplanted)
        if extra:
            print('  %s on unplanted households: %d, e.g. %s' % (code, len(extra), ' '.join(extra[:5])))
    if not planted:
        print('nothing was planted')
        bad += 1
    if rate > max_fp:
        print('FAIL: the false-positive rate is above the bound')
        bad += 1
    return 1 if bad else 0


if __name__ == '__main__':
    sys.exit(main())
