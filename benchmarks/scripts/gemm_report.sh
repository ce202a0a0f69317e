#!/usr/bin/env bash
# GEMM GFLOP/s of Glassbox (JMH GemmBench) next to numpy's BLAS, in one run on the same machine.
#   benchmarks/scripts/gemm_report.sh [threads=2] [extra JMH options, e.g. -wi 2 -i 3]
# numpy runs before and after the JMH run, so that load from elsewhere on the machine shows up as a
# difference between the two numpy columns. Needs: the shaded jar (mvn -pl benchmarks -am package -DskipTests),
# python3 with numpy linked to OpenBLAS (check np.show_config(); Debian: apt-get install libopenblas0-pthread).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
THREADS="${1:-2}"; shift || true
JAVA="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/java"
PY=(env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE OPENBLAS_NUM_THREADS="$THREADS" OMP_NUM_THREADS="$THREADS" /usr/bin/python3)
OUT="$(mktemp -d)"
SIZES="128 256 512 1024 2048"
"${PY[@]}" "$ROOT/benchmarks/scripts/sgemm_numpy.py" $SIZES > "$OUT/numpy-before.txt"
"$JAVA" -jar "$ROOT/benchmarks/target/benchmarks.jar" 'GemmBench.simdLarge' -p threads="$THREADS" \
    -rf json -rff "$OUT/jmh.json" "$@" > "$OUT/jmh.log" 2>&1 || { tail -30 "$OUT/jmh.log"; exit 1; }
"${PY[@]}" "$ROOT/benchmarks/scripts/sgemm_numpy.py" $SIZES > "$OUT/numpy-after.txt"
"$JAVA" -version 2>&1 | head -1
head -1 "$OUT/numpy-before.txt"
echo "threads=$THREADS  GFLOP/s. glassbox: best and mean JMH iteration; numpy: best of 5 timings before and after the JMH run"
python3 - "$OUT" <<'PY'
import json, sys
out = sys.argv[1]
def numpy(name):
    rows = {}
    for line in open(f"{out}/{name}").read().splitlines()[2:]:
        n, best, med = line.split()
        rows[int(n)] = float(best)
    return rows
before, after = numpy("numpy-before.txt"), numpy("numpy-after.txt")
print(f"{'n':>6} {'glassbox best':>14} {'glassbox mean':>14} {'numpy before':>13} {'numpy after':>12} {'best/best':>10}")
for r in json.load(open(f"{out}/jmh.json")):
    n = int(r["params"]["n"])
    flop = 2.0 * n ** 3
    m = r["primaryMetric"]
    iters = [t for fork in m["rawData"] for t in fork]      # us per call, one value per iteration
    best, mean = flop / (min(iters) * 1e-6) / 1e9, flop / (m["score"] * 1e-6) / 1e9
    peer = max(before[n], after[n])
    print(f"{n:>6} {best:>14.1f} {mean:>14.1f} {before[n]:>13.1f} {after[n]:>12.1f} {best / peer:>10.2f}")
PY
echo "(raw results in $OUT)"
