#!/bin/sh
# slurm.sh — a sharded run on a real Slurm cluster of one node, started here:
# munged with a key made for the test, slurmctld and slurmd with a minimal
# slurm.conf in the test's temporary folder (ports chosen free, nothing of
# the machine's own Slurm or munge touched).  tools/slurm/submit.sh submits
#   A. the split as a job, a 3-task array over the 10 province shards of a
#      quarter with planted faults and cross-shard duplicate IDs, the merge;
#   B. an existing province split, one array task per shard, the merge;
# the test waits for the merge jobs (bounded) and compares their outputs with
# the single-machine run of the same quarter (same_run.py: byte for byte, the
# run's timestamps aside).
#
# Every daemon it started, and every job process under them, is ended by the
# exit trap, whatever happens.  Skips (77) only where Slurm or munge cannot
# be started here, saying why.
#
# make check sets $TUOPIN, $abs_top_srcdir and $abs_top_builddir.

. "$(dirname "$0")/lib.sh"
need_python

skip() {
    echo "SKIP: $*" >&2
    exit 77
}

for c in munged munge slurmctld slurmd sbatch scontrol squeue scancel sinfo; do
    command -v "$c" >/dev/null 2>&1 || skip "$c is not installed (Debian packages slurm-wlm and munge)"
done

CL="$tmp/cluster"
CONF="$CL/slurm.conf"
pids=

# Ends every process this test started, each by its process id: the jobs
# first (scancel), then the daemons, then whatever still carries this
# cluster's SLURM_CONF in its environment (job scripts, slurmstepd).
cleanup() {
    trap - EXIT HUP INT TERM
    if [ -n "$pids" ]; then
        ids=$(SLURM_CONF="$CONF" squeue -h -t PD,R,CG,S -o %A 2>/dev/null | sort -u)
        if [ -n "$ids" ]; then
            # shellcheck disable=SC2086
            SLURM_CONF="$CONF" scancel $ids 2>/dev/null
            i=0
            while [ $i -lt 20 ] && [ -n "$(SLURM_CONF="$CONF" squeue -h -t PD,R,CG,S 2>/dev/null)" ]; do
                sleep 0.5
                i=$((i + 1))
            done
        fi
    fi
    for p in $pids; do kill "$p" 2>/dev/null; done
    for p in $pids; do
        i=0
        while kill -0 "$p" 2>/dev/null && [ $i -lt 40 ]; do
            sleep 0.25
            i=$((i + 1))
        done
        kill -9 "$p" 2>/dev/null
    done
    for p in $(grep -l -a -F "SLURM_CONF=$CONF" /proc/[0-9]*/environ 2>/dev/null | cut -d/ -f3); do
        [ "$p" != $$ ] && kill -9 "$p" 2>/dev/null
    done
    rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 1' HUP INT TERM

mkdir -p "$CL/state" "$CL/spool" "$CL/log" "$CL/munge" || exit 99
chmod 700 "$CL/munge"
dd if=/dev/urandom of="$CL/munge/munge.key" bs=1024 count=1 2>/dev/null || exit 99
chmod 400 "$CL/munge/munge.key"
SOCK="$CL/munge/munge.socket"

# ---- munge --------------------------------------------------------------------------------------
munged -F -f --key-file="$CL/munge/munge.key" --socket="$SOCK" --pid-file="$CL/munge/munged.pid" \
    --log-file="$CL/munge/munged.log" --seed-file="$CL/munge/munged.seed" >"$CL/log/munged.out" 2>&1 &
pids="$!"
i=0
until munge -S "$SOCK" -n </dev/null 2>/dev/null | unmunge -S "$SOCK" >/dev/null 2>&1; do
    i=$((i + 1))
    if [ $i -gt 40 ] || ! kill -0 "$pids" 2>/dev/null; then
        tail -5 "$CL/log/munged.out" "$CL/munge/munged.log" >&2 2>/dev/null
        skip "munged cannot start here"
    fi
    sleep 0.25
done

# ---- slurmctld and slurmd -------------------------------------------------------------------------
ports=$(python3 -c '
import socket
s = [socket.socket() for _ in range(2)]
for x in s: x.bind(("127.0.0.1", 0))
print(" ".join(str(x.getsockname()[1]) for x in s))') || exit 99
set -- $ports
node=$(hostname -s 2>/dev/null || hostname)
user=$(id -un)
cat >"$CONF" <<EOF
ClusterName=tuopintest
SlurmctldHost=$node(127.0.0.1)
SlurmctldPort=$1
SlurmdPort=$2
SlurmUser=$user
SlurmdUser=$user
AuthType=auth/munge
AuthInfo=socket=$SOCK
CredType=cred/munge
StateSaveLocation=$CL/state
SlurmdSpoolDir=$CL/spool
SlurmctldPidFile=$CL/slurmctld.pid
SlurmdPidFile=$CL/slurmd.pid
SlurmctldLogFile=$CL/log/slurmctld.log
SlurmdLogFile=$CL/log/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
MpiDefault=none
ReturnToService=2
MinJobAge=600
PlugStackConfig=/dev/null
NodeName=$node NodeAddr=127.0.0.1 CPUs=$(nproc 2>/dev/null || echo 2) State=UNKNOWN
PartitionName=tuopin Nodes=ALL Default=YES MaxTime=INFINITE State=UP
EOF
SLURM_CONF=$CONF
export SLURM_CONF
slurmctld -D -i -f "$CONF" >"$CL/log/slurmctld.out" 2>&1 &
pids="$pids $!"
slurmd -D -N "$node" -f "$CONF" >"$CL/log/slurmd.out" 2>&1 &
pids="$pids $!"
i=0
until [ "$(sinfo -h -N -o %T 2>/dev/null)" = idle ]; do
    i=$((i + 1))
    if [ $i -gt 120 ]; then
        tail -5 "$CL/log/slurmctld.out" "$CL/log/slurmd.out" "$CL/log/slurmctld.log" \
            "$CL/log/slurmd.log" >&2 2>/dev/null
        skip "slurmctld and slurmd cannot start here (node state: $(sinfo -h -N -o %T 2>&1))"
    fi
    sleep 0.25
done

# ---- the quarters and the single-machine runs ------------------------------------------------------
# the path as submit.sh records it (absolute, normalised), so that the run
# records compare equal
PIPELINE=$(realpath -ms "$abs_top_srcdir/examples/national.lua") || exit 99
SUBMIT="$abs_top_srcdir/tools/slurm/submit.sh"
QUARTER=2020Q4
cd "$tmp" || exit 99
"$TUOPIN" gen --profile stress --households 2000 --seed 5 --quarter "$QUARTER" --out clean.csv || exit 99
python3 "$E2E/plant_faults.py" clean.csv faulty.csv >/dev/null || exit 99
for q in clean faulty; do
    "$TUOPIN" run "$PIPELINE" --input "$tmp/$q.csv" --quarter "$QUARTER" --out "single-$q" --quiet \
        || fail "the single run of $q.csv failed"
done

# waits (bounded) for job $1 and says whether it COMPLETED
wait_job() {
    i=0
    while [ $i -lt 600 ]; do
        state=$(scontrol show job "$1" -o 2>/dev/null | sed -n 's/.*JobState=\([A-Z_]*\).*/\1/p')
        reason=$(scontrol show job "$1" -o 2>/dev/null | sed -n 's/.*Reason=\([A-Za-z_]*\).*/\1/p')
        case $state in
        COMPLETED) return 0 ;;
        FAILED|CANCELLED|TIMEOUT|NODE_FAIL|OUT_OF_MEMORY|BOOT_FAIL|DEADLINE) return 1 ;;
        esac
        [ "$reason" = DependencyNeverSatisfied ] && return 1
        sleep 0.5
        i=$((i + 1))
    done
    echo "job $1 still $state (reason: ${reason:-none}) after 300 s" >&2
    scontrol show job "$1" >&2 2>/dev/null
    sinfo -N -l >&2 2>/dev/null
    return 1
}

show_logs() {
    for f in "$1"/logs/*; do
        echo "--- $f" >&2
        tail -5 "$f" >&2
    done
}

# ---- A: split job, 3 array tasks over 10 shards, merge ------------------------------------------------
"$SUBMIT" --pipeline "$PIPELINE" --work A --input "$tmp/faulty.csv" --by province --tasks 3 --cpus 1 \
    --tuopin "$TUOPIN" -- --quarter "$QUARTER" >A.jobs 2>A.err || { cat A.err >&2; fail "A: submit.sh failed"; }
# ---- B: an existing province split, one task per shard, merge ----------------------------------------
"$TUOPIN" split "$tmp/clean.csv" --by province --out B-split --quiet || fail "B: tuopin split failed"
"$SUBMIT" --pipeline "$PIPELINE" --work B --split B-split --cpus 1 --tuopin "$TUOPIN" \
    -- --quarter "$QUARTER" >B.jobs 2>B.err || { cat B.err >&2; fail "B: submit.sh failed"; }

for run in A B; do
    merge=$(sed -n 's/^merge //p' $run.jobs)
    if [ -z "$merge" ]; then
        fail "$run: no merge job"
    elif ! wait_job "$merge"; then
        fail "$run: the merge job $merge did not complete"
        show_logs $run
    fi
done
[ "$(grep -c . B-split/shards.txt)" -eq "$(ls B/logs/shards-* 2>/dev/null | wc -l)" ] \
    || fail "B: not one array task per shard"
[ "$(ls A/logs/shards-* 2>/dev/null | wc -l)" -eq 3 ] || fail "A: not 3 array tasks"
grep -q "done in" A/logs/shards-* || fail "A: the array tasks ran no shard"
[ -d A/merged ] && { python3 "$E2E/same_run.py" single-faulty A/merged \
    || fail "A: the merged Slurm run differs from the single run"; }
[ -d B/merged ] && { python3 "$E2E/same_run.py" single-clean B/merged \
    || fail "B: the merged Slurm run differs from the single run"; }

finish
