#!/usr/bin/env bash
# Cost of recording training statistics: trains the same run with --stats off and --stats on (at the given
# interval, default 20 = the default for full MNIST and CIFAR-10 epochs), alternating, and prints each run's
# training throughput (images/s of the epoch, test evaluation excluded) and the medians. On a shared machine a
# single run's noise is larger than the effect, so runs take turns and the medians are compared.
#   benchmarks/scripts/stats_overhead.sh MODEL DATASET LIMIT PAIRS [EVERY]
#   e.g. benchmarks/scripts/stats_overhead.sh lenet5 mnist 12800 5
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
MODEL=$1 DATASET=$2 LIMIT=$3 PAIRS=$4 EVERY=${5:-20}
DATA=${GLASSBOX_DATA:-/work/shared/datasets}
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
"$ROOT/glassbox" --version >/dev/null        # builds the jar if sources changed
cp "$ROOT/cli/target/glassbox.jar" "$TMP/"   # then runs a copy: later edits cannot rebuild it mid-measurement
JAVA="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/java"
run() { # $1 = on|off; prints images/s
  "$JAVA" --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -XX:+UseParallelGC -Xmx8g -Xmn16m \
      -jar "$TMP/glassbox.jar" train --model "$MODEL" --dataset "$DATASET" --data "$DATA" --epochs 1 --limit "$LIMIT" \
      --stats "$1" --stats-every "$EVERY" --threads 2 --out "$TMP/m.gbx" 2>/dev/null \
    | sed -n 's/^epoch 1\/1 .* \([0-9.]*\) img\/s$/\1/p'
}
off=() on=()
for i in $(seq "$PAIRS"); do
  if (( i % 2 )); then a=off b=on; else a=on b=off; fi   # alternate which goes first
  for mode in $a $b; do
    v=$(run $mode)
    echo "pair $i stats $mode: $v img/s"
    if [ $mode = on ]; then on+=("$v"); else off+=("$v"); fi
  done
done
median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
mo=$(median "${off[@]}") mn=$(median "${on[@]}")
echo "median stats off: $mo img/s, stats on (every $EVERY): $mn img/s, cost $(awk -v a="$mo" -v b="$mn" 'BEGIN {printf "%.1f%%", 100*(a-b)/a}')"
echo "run file: $(ls -l "$TMP"/m.run.jsonl 2>/dev/null | awk '{print $5}') bytes"
