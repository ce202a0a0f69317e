#!/usr/bin/env bash
# Side by side, interleaved: Barnes-Hut t-SNE of the MNIST test images (Glassbox vs scikit-learn) and PGD
# (L-inf, eps 8/255, 10 steps) on resnet20 over CIFAR-10 test images (Glassbox vs PyTorch, same weights).
# Each round runs the four jobs one after another; the table gives every run and the medians.
#
# Usage: benchmarks/scripts/robust_compare.sh RESNET20.gbx [ROUNDS] [PGD_IMAGES] [TSNE_IMAGES]   (0 images: skip that job)
# Needs $GLASSBOX_DATA (or /work/shared/datasets) holding mnist/ and cifar-10-binary.tar.gz, and
# /usr/bin/python3 with python3-sklearn and python3-torch. Both sides use 2 threads.
set -euo pipefail
cd "$(dirname "$0")/../.."
MODEL=${1:?resnet20 model file}
ROUNDS=${2:-2}
PGD_N=${3:-10000}
TSNE_N=${4:-10000}
DATA=${GLASSBOX_DATA:-/work/shared/datasets}
export GLASSBOX_DATA=$DATA
OUT=$(mktemp -d)
./glassbox --version >/dev/null # build once, outside the timings
for r in $(seq 1 "$ROUNDS"); do
  gt="- -" st="- -" gp=- tp=-
  if [ "$TSNE_N" -gt 0 ]; then
  gt=$(./glassbox embed --dataset mnist --method tsne --limit "$TSNE_N" --threads 2 --out "$OUT/tsne" 2>/dev/null \
       | sed -n 's/.*map in \([0-9.]*\) s;.*accuracy: map \([0-9.]*\),.*/\1 \2/p')
  st=$(/usr/bin/python3 benchmarks/scripts/tsne_peer_sklearn.py "$DATA/mnist" "$TSNE_N" 2 | python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["seconds"], d["knn5"])')
  fi
  if [ "$PGD_N" -gt 0 ]; then
  gp=$(./glassbox robustness --model "$MODEL" --dataset cifar10 --attack pgd --epsilon 8/255 --steps 10 --limit "$PGD_N" --gallery 0 --threads 2 --out "$OUT/pgd" 2>/dev/null \
       | awk '/^  [0-9.]+ s$/ {print $1}')
  tp=$(/usr/bin/python3 benchmarks/scripts/pgd_peer_pytorch.py "$MODEL" "$DATA/cifar-10-binary.tar.gz" "$PGD_N" 0.0313725490196 10 2 | python3 -c 'import json,sys; print(json.load(sys.stdin)["seconds"])')
  fi
  echo "round $r  tsne: glassbox ${gt% *} s (5-NN ${gt#* })  sklearn ${st% *} s (5-NN ${st#* })   pgd: glassbox $gp s  pytorch $tp s   load $(cut -d' ' -f1-3 /proc/loadavg)"
done
rm -rf "$OUT"
