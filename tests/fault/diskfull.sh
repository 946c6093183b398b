#!/bin/sh
# diskfull.sh — write failures: the disk fills up while a run writes its
# outputs.  Two ways:
#   - a file-size limit (RLIMIT_FSIZE, with SIGXFSZ ignored, so that a write
#     past the limit fails with EFBIG exactly like a full disk fails with
#     ENOSPC), swept from 0 bytes to more than the largest output, so that
#     every output file (CSV, SQLite, HTML, the workbook) fails in turn at
#     every stage of its writing;
#   - a real full disk: a small tmpfs as the output folder, when this
#     machine lets the test mount one (root); skipped otherwise.
# A failed run must exit 1 with one line on standard error naming a file,
# and leave nothing in its output folder; a run that fits must succeed with
# the same outputs as an unlimited one.  Never a signal, never a partial file.
. "$abs_top_srcdir/tests/e2e/lib.sh"
need_python

pipeline="$abs_top_srcdir/examples/national.lua"
input="$abs_top_srcdir/tests/e2e/data/national.csv"

python3 - "$TUOPIN" "$pipeline" "$input" "$tmp" <<'PY' || fail "file-size limit sweep"
import os, resource, shutil, signal, subprocess, sys

tuopin, pipeline, inp, tmp = sys.argv[1:5]
CSVS = ["households.csv", "findings.csv", "rejects.csv", "counties.csv", "summary.csv", "af.csv"]

def run(out, limit):
    def pre():
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        if limit is not None:
            resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
    p = subprocess.run([tuopin, "run", pipeline, "--input", inp, "--quarter", "2021Q2",
                        "--out", out, "--jobs", "2", "--quiet"],
                       stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, preexec_fn=pre)
    return p.returncode, p.stderr.decode("utf-8", "replace")

ref = os.path.join(tmp, "ref")
st, err = run(ref, None)
if st != 0:
    print("FAIL: unlimited run failed:", err)
    sys.exit(1)
sizes = sorted(os.path.getsize(os.path.join(ref, f)) for f in os.listdir(ref))
largest = sizes[-1]
limits = {0, 1, 512, 4096, 65536, largest, largest + 4096}
for s in sizes:
    for d in (-4097, -1, 0, 1, 4096):
        if s + d >= 0:
            limits.add(s + d)
for k in range(0, largest, max(1, largest // 60)):
    limits.add(k)

bad = 0
for limit in sorted(limits):
    out = os.path.join(tmp, "o%d" % limit)
    st, err = run(out, limit)
    left = sorted(os.listdir(out)) if os.path.isdir(out) else []
    lines = err.count("\n")
    if st == 0:
        for f in CSVS:
            with open(os.path.join(ref, f), "rb") as a, open(os.path.join(out, f), "rb") as b:
                if a.read() != b.read():
                    print("FAIL: limit %d: succeeded but %s differs" % (limit, f)); bad += 1
        if limit < largest and any(os.path.getsize(os.path.join(out, f)) > limit for f in left):
            print("FAIL: limit %d: succeeded with a file over the limit" % limit); bad += 1
    elif st == 1:
        if lines != 1:
            print("FAIL: limit %d: %d lines on standard error: %r" % (limit, lines, err[:400])); bad += 1
        if left:
            print("FAIL: limit %d: the failed run left %s" % (limit, left)); bad += 1
    else:
        print("FAIL: limit %d: exit status %d: %r" % (limit, st, err[:400])); bad += 1
    if limit < largest and st == 0:
        print("FAIL: limit %d below the largest output (%d) but the run succeeded" % (limit, largest)); bad += 1
    if limit >= largest + 4096 and st != 0:
        print("FAIL: limit %d above every output but the run failed: %r" % (limit, err[:400])); bad += 1
    shutil.rmtree(out, ignore_errors=True)
print("diskfull: %d file-size limits from 0 to %d bytes" % (len(limits), max(limits)), file=sys.stderr)
sys.exit(1 if bad else 0)
PY

# A real full disk, when a tmpfs can be mounted here.
mnt="$tmp/mnt"
mkdir -p "$mnt"
if [ "$(id -u)" = 0 ] && mount -t tmpfs -o size=64k tmpfs "$mnt" 2>/dev/null; then
    umount "$mnt"
    "$TUOPIN" run "$pipeline" --input "$input" --quarter 2021Q2 --out "$tmp/tref" --quiet \
        || fail "undisturbed run failed"
    for size in 16k 64k 128k 256k 512k 1m; do
        mount -t tmpfs -o size=$size,mode=0700 tmpfs "$mnt" || { fail "mount tmpfs $size"; continue; }
        "$TUOPIN" run "$pipeline" --input "$input" --quarter 2021Q2 --out "$mnt/out" --quiet \
            2>"$tmp/full.err"
        st=$?
        if [ "$st" -eq 0 ]; then
            for f in households.csv findings.csv rejects.csv counties.csv summary.csv af.csv; do
                cmp -s "$mnt/out/$f" "$tmp/tref/$f" || fail "tmpfs $size: $f differs from an undisturbed run's"
            done
        elif [ "$st" -eq 1 ]; then
            [ "$(wc -l <"$tmp/full.err")" -eq 1 ] || fail "tmpfs $size: not one line: $(cat "$tmp/full.err")"
            left=$(ls -A "$mnt/out" 2>/dev/null | tr '\n' ' ')
            [ -z "$left" ] || fail "tmpfs $size: the failed run left $left"
            grep -q 'No space\|full\|空间' "$tmp/full.err" || fail "tmpfs $size: the message does not say the disk is full: $(cat "$tmp/full.err")"
        else
            fail "tmpfs $size: exit status $st: $(cat "$tmp/full.err")"
        fi
        umount "$mnt"
    done
else
    echo "note: cannot mount a tmpfs here; the file-size limits stand in for a full disk" >&2
fi
finish
