#!/usr/bin/env bash
# Trains the gallery's models one after another, each resumable: run it again and it continues where it
# stopped (finished runs are skipped, a run with a checkpoint goes on with --resume). The recipes below are
# the exact commands recorded with each shipped model (docs/models.md); gallery/ship.sh copies a finished
# run into gallery/.
#
#   gallery/train-gallery.sh            start (or continue) the queue in the background; returns at once
#   gallery/train-gallery.sh status     one line per run: done (accuracy), running (last epoch), pending
#   gallery/train-gallery.sh --fg       run the queue in the foreground (what the background job runs)
#   gallery/train-gallery.sh run NAME   train one run in the foreground, e.g. beside the queue on the second
#                                       core (the queue skips a run another process is training)
#
# Where things go (all outside the work tree, so rebuilding or switching branches does not disturb a run):
#   GALLERY_JAR   the jar that trains          default /work/gallery/bin/glassbox.jar (a copy of cli/target/glassbox.jar)
#   GALLERY_RUNS  one folder per run: model, checkpoint, train.log, command   default /work/gallery/runs
#   GLASSBOX_DATA the data sets (mnist/, cifar-10-binary.tar.gz)   default /work/shared/datasets
#                 (Fashion-MNIST is found in /usr/share/datasets/fashion-mnist from Debian's dataset-fashion-mnist)
# Runs are niced (nice -n 10; see GALLERY_GROUP_NICE below) and use 2 threads; the thread count is part of the recipe, since results are
# bit-identical only for the same thread count.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
JAR="${GALLERY_JAR:-/work/gallery/bin/glassbox.jar}"
RUNS="${GALLERY_RUNS:-/work/gallery/runs}"
export GLASSBOX_DATA="${GLASSBOX_DATA:-/work/shared/datasets}"
JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
[ -x "$JAVA_HOME/bin/java" ] || JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64

# name | train arguments (besides --out, --checkpoint, --resume, which the queue adds). Quick ones first.
RECIPES=(
  "linear-mnist|--model linear --dataset mnist --epochs 20 --optimizer sgd --lr 0.002 --weight-decay 0.01 --threads 2 --seed 1"
  "linear-fashion|--model linear --dataset fashion --epochs 20 --optimizer sgd --lr 0.002 --weight-decay 0.01 --threads 2 --seed 1"
  "linear-cifar10|--model linear --dataset cifar10 --epochs 20 --optimizer sgd --lr 0.002 --weight-decay 0.1 --no-augment --threads 2 --seed 1"
  "mlp-mnist|--model mlp --dataset mnist --hidden 256 --epochs 15 --weight-decay 5e-4 --threads 2 --seed 1"
  "mlp-fashion|--model mlp --dataset fashion --hidden 256 --epochs 15 --weight-decay 5e-4 --threads 2 --seed 1"
  "lenet5-mnist|--model lenet5 --dataset mnist --epochs 15 --weight-decay 5e-4 --threads 2 --seed 1"
  "lenet5-fashion|--model lenet5 --dataset fashion --epochs 15 --weight-decay 5e-4 --threads 2 --seed 1"
  "lenet5-cifar10|--model lenet5 --dataset cifar10 --epochs 30 --weight-decay 5e-4 --augment --threads 2 --seed 1"
  "alexnet-cifar10|--model alexnet --dataset cifar10 --epochs 30 --weight-decay 5e-4 --augment --threads 1 --seed 1"
  "smallvgg-cifar10|--model smallvgg --batch-norm --dropout 0.3 --dataset cifar10 --epochs 40 --weight-decay 5e-4 --augment --threads 2 --seed 1"
  "resnet20-cifar10|--model resnet20 --dataset cifar10 --epochs 120 --weight-decay 5e-4 --augment --threads 2 --seed 1"
)

java_cmd() {
  echo "$JAVA_HOME/bin/java --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -XX:+UseParallelGC -Xmx3g -Xmn16m -jar $JAR"
}

status() {
  for r in "${RECIPES[@]}"; do
    local name="${r%%|*}" dir="$RUNS/${r%%|*}"
    if [ -f "$dir/done" ]; then
      echo "$name: done, $(cat "$dir/done")"
    elif [ -f "$dir/train.log" ]; then
      local last; last="$(grep -a '^epoch [0-9]*/[0-9]*  train' "$dir/train.log" | tail -1 | cut -c1-110 || true)"
      echo "$name: started, last finished epoch: ${last:-none yet}"
    else
      echo "$name: pending"
    fi
  done
}

# Trains one recipe (continuing its checkpoint), unless another process is training it (a lock per run).
train_one() {
  local r="$1" name="${1%%|*}" args="${1#*|}" dir="$RUNS/${1%%|*}"
  [ -f "$dir/done" ] && return 0
  mkdir -p "$dir"
  exec 8>"$dir/.lock"
  if ! flock -n 8; then echo "train-gallery: $name is being trained by another process; skipped" >&2; exec 8>&-; return 0; fi
  local model="$dir/$name.gbx" ckpt="$dir/$name.gbx.ckpt" resume=""
  echo "./glassbox train $args --out $name.gbx" > "$dir/command"
  [ -f "$ckpt" ] && resume="--resume"
  echo "=== $(date -u '+%Y-%m-%d %H:%M:%S UTC') $name: train $args $resume" >> "$dir/train.log"
  local t0; t0="$(date +%s)"
  # shellcheck disable=SC2046,SC2086
  if nice -n 10 $(java_cmd) train $args --offline --out "$model" --checkpoint "$ckpt" $resume < /dev/null >> "$dir/train.log" 2>&1; then
    local acc; acc="$(grep -a '^test accuracy:' "$dir/train.log" | tail -1 | sed 's/^test accuracy: //' || true)"
    # training time: the sum of the per-epoch times (the last line of each epoch), test evaluation excluded
    local secs; secs="$(grep -a '^epoch [0-9]*/[0-9]*  train' "$dir/train.log" \
      | awk '{split($2, e, "/"); for (i = 1; i <= NF; i++) if ($i == "s" ) t[e[1]] = $(i - 1)} END {s = 0; for (k in t) s += t[k]; printf "%.0f", s}' || true)"
    echo "test accuracy $acc, training time $secs s (sum of epoch times)" > "$dir/done"
    echo "=== $(date -u '+%Y-%m-%d %H:%M:%S UTC') $name: finished after $(( $(date +%s) - t0 )) s wall clock" >> "$dir/train.log"
  else
    echo "=== $(date -u '+%Y-%m-%d %H:%M:%S UTC') $name: train exited with an error; rerun the queue to retry" >> "$dir/train.log"
  fi
  exec 8>&-
}

run_queue() {
  mkdir -p "$RUNS"
  exec 9>"$RUNS/.queue.lock"
  if ! flock -n 9; then echo "train-gallery: a queue is already running (lock $RUNS/.queue.lock)" >&2; exit 1; fi
  echo $$ > "$RUNS/queue.pid"
  # Note: with the kernel's autogroup scheduling on (/proc/sys/kernel/sched_autogroup_enabled), setsid makes
  # this queue its own scheduling group and nice only ranks processes inside it; the group competes with
  # other sessions at their own group nice. GALLERY_GROUP_NICE=10 lowers the whole group (about 4x slower
  # training on a busy machine).
  if [ -n "${GALLERY_GROUP_NICE:-}" ] && [ -w /proc/self/autogroup ]; then echo "$GALLERY_GROUP_NICE" > /proc/self/autogroup || true; fi
  [ -f "$JAR" ] || { echo "train-gallery: no jar at $JAR (copy cli/target/glassbox.jar there)" >&2; exit 1; }
  for r in "${RECIPES[@]}"; do train_one "$r"; done
  rm -f "$RUNS/queue.pid"
}

# One named run in the foreground, beside a running queue (which skips it while it trains).
run_named() {
  [ -f "$JAR" ] || { echo "train-gallery: no jar at $JAR (copy cli/target/glassbox.jar there)" >&2; exit 1; }
  for r in "${RECIPES[@]}"; do
    if [ "${r%%|*}" = "$1" ]; then mkdir -p "$RUNS"; train_one "$r"; return; fi
  done
  echo "train-gallery: no recipe named $1" >&2; exit 2
}

main() {
  case "${1:-}" in
    status) status ;;
    --fg) run_queue ;;
    run) [ -n "${2:-}" ] || { echo "usage: $0 run NAME" >&2; exit 2; }; run_named "$2" ;;
    "")
      mkdir -p "$RUNS"
      setsid nohup "$HERE/train-gallery.sh" --fg >> "$RUNS/queue.log" 2>&1 < /dev/null &
      echo "train-gallery: queue started in the background (pid $!); logs in $RUNS/<name>/train.log; '$0 status' to follow"
      ;;
    *) echo "usage: $0 [status|--fg|run NAME]" >&2; exit 2 ;;
  esac
}

# One line, read whole before it runs: editing this file while a queue runs does not disturb that queue.
main "$@"; exit $?
