#!/bin/sh
# tools/slurm/submit.sh — submits a sharded tuopin run to Slurm: the split
# (unless the split folder exists already), a job array of shard runs that
# waits for it, and the merge, which waits for every shard (afterok).  Prints
# one line per job: "split JOBID", "shards JOBID", "merge JOBID".
#
# usage:
#   tools/slurm/submit.sh --pipeline FILE --work DIR --input FILE --by LEVEL [--tasks N]
#                         [OPTIONS] [-- RUN_OPTIONS...]
#   tools/slurm/submit.sh --pipeline FILE --work DIR --split DIR [--tasks N]
#                         [OPTIONS] [-- RUN_OPTIONS...]
#
#   --input FILE, --by LEVEL  the quarter, split by province, city or county
#                             by a first job into WORK/split
#   --split DIR               a split folder written before (tuopin split)
#   --tasks N                 array tasks (default: one per shard when the
#                             split is there, else 8; at most 1000); each
#                             task runs every N-th shard
#   --cpus C                  CPUs per array task, given to tuopin run --jobs
#                             (default 2)
#   --out DIR                 the merged outputs (default WORK/merged)
#   --tuopin PATH             the tuopin program (default: tuopin on PATH)
#   -- RUN_OPTIONS            given to every `tuopin run` (--quarter, --param…)
#
# Shard runs go to WORK/runs/<shard>/, job logs to WORK/logs/.  Partition,
# account, time limit and the like come from sbatch's own environment
# variables (SBATCH_PARTITION, SBATCH_ACCOUNT, SBATCH_TIMELIMIT, …).
set -eu

here=$(cd "$(dirname "$0")" && pwd)
die() { echo "submit.sh: $*" >&2; exit 2; }
abs() { realpath -ms -- "$1"; }   # absolute, symbolic links kept

pipeline= work= input= by= split= tasks= cpus=2 out= bin=
while [ $# -gt 0 ]; do
    case $1 in
    --pipeline) pipeline=$2; shift 2 ;;
    --work) work=$2; shift 2 ;;
    --input) input=$2; shift 2 ;;
    --by) by=$2; shift 2 ;;
    --split) split=$2; shift 2 ;;
    --tasks) tasks=$2; shift 2 ;;
    --cpus) cpus=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    --tuopin) bin=$2; shift 2 ;;
    --) shift; break ;;
    -h|--help) sed -n '2,/^set -eu/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown option $1 (see --help)" ;;
    esac
done
[ -n "$pipeline" ] && [ -n "$work" ] || die "give --pipeline and --work"
[ -n "$split" ] || { [ -n "$input" ] && [ -n "$by" ]; } || die "give --input and --by, or --split"
command -v sbatch >/dev/null || die "sbatch not found: is this a Slurm submit host?"

work=$(abs "$work")
mkdir -p "$work/logs" "$work/runs"
TUOPIN_PIPELINE=$(abs "$pipeline")
TUOPIN_RUNS=$work/runs
TUOPIN_OUT=$(abs "${out:-$work/merged}")
TUOPIN_BIN=${bin:+$(abs "$bin")}
TUOPIN_BIN=${TUOPIN_BIN:-$(command -v tuopin || echo tuopin)}
TUOPIN_RUN_ARGS="$*"
export TUOPIN_PIPELINE TUOPIN_RUNS TUOPIN_OUT TUOPIN_BIN TUOPIN_RUN_ARGS

after=
if [ -n "$split" ]; then
    TUOPIN_SPLIT=$(abs "$split")
    [ -f "$TUOPIN_SPLIT/shards.txt" ] || die "$split: no shards.txt (not a split folder)"
    n=$(wc -l <"$TUOPIN_SPLIT/shards.txt")
    [ "$n" -gt 0 ] || die "$split: the split has no shard"
    tasks=${tasks:-$n}
    export TUOPIN_SPLIT
else
    TUOPIN_SPLIT=$work/split
    TUOPIN_INPUT=$(abs "$input")
    TUOPIN_BY=$by
    export TUOPIN_SPLIT TUOPIN_INPUT TUOPIN_BY
    id=$(sbatch --parsable --export=ALL --chdir="$work" -o "$work/logs/split-%j.log" \
        "$here/split.sbatch")
    id=${id%%;*}
    echo "split $id"
    after="--dependency=afterok:$id"
    tasks=${tasks:-8}
fi
[ "$tasks" -ge 1 ] 2>/dev/null || die "--tasks: expected a number of tasks"
[ "$tasks" -le 1000 ] || tasks=1000   # Slurm's default MaxArraySize is 1001

# shellcheck disable=SC2086
id=$(sbatch --parsable --export=ALL --chdir="$work" $after --array="0-$((tasks - 1))" \
    --cpus-per-task="$cpus" -o "$work/logs/shards-%A_%a.log" "$here/shards.sbatch")
id=${id%%;*}
echo "shards $id"
id=$(sbatch --parsable --export=ALL --chdir="$work" --dependency="afterok:$id" \
    -o "$work/logs/merge-%j.log" "$here/merge.sbatch")
id=${id%%;*}
echo "merge $id"
