#!/usr/bin/env bash
# Copies finished gallery runs into this folder: the model file, its training log, and a row of index.tsv
# (name, file, dataset, test accuracy, training seconds, SHA-256, the exact command). Rerunning replaces a
# model's row.
#
#   gallery/ship.sh lenet5-mnist linear-cifar10 ...     ship these runs (each must be done)
#   gallery/ship.sh --all                               ship every finished run
# GALLERY_RUNS as in train-gallery.sh (default /work/gallery/runs).
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
RUNS="${GALLERY_RUNS:-/work/gallery/runs}"
INDEX="$HERE/index.tsv"
HEADER="$(printf 'name\tfile\tdataset\ttest_accuracy\ttrain_seconds\tsha256\tcommand')"

names=("$@")
if [ "${1:-}" = "--all" ]; then
  names=()
  for d in "$RUNS"/*/; do [ -f "$d/done" ] && names+=("$(basename "$d")"); done
fi
[ "${#names[@]}" -gt 0 ] || { echo "usage: $0 NAME... | --all" >&2; exit 2; }
[ -f "$INDEX" ] || echo "$HEADER" > "$INDEX"

for name in "${names[@]}"; do
  dir="$RUNS/$name"
  [ -f "$dir/done" ] || { echo "ship: $name is not finished (no $dir/done)" >&2; exit 1; }
  cp "$dir/$name.gbx" "$HERE/$name.gbx"
  chmod 644 "$HERE/$name.gbx"
  cp "$dir/train.log" "$HERE/$name.log"
  command="$(cat "$dir/command")"
  dataset="$(sed -n 's/.*--dataset \([^ ]*\).*/\1/p' "$dir/command")"
  acc="$(sed -n 's/^test accuracy \([0-9.]*\)%.*/\1/p' "$dir/done")"
  secs="$(sed -n 's/.*training time \([0-9]*\) s.*/\1/p' "$dir/done")"
  sha="$(sha256sum "$HERE/$name.gbx" | cut -d' ' -f1)"
  row="$(printf '%s\t%s\t%s\t%s\t%s\t%s\t%s' "$name" "$name.gbx" "$dataset" "$acc" "$secs" "$sha" "$command")"
  { head -1 "$INDEX"; tail -n +2 "$INDEX" | awk -F'\t' -v n="$name" '$1 != n'; echo "$row"; } > "$INDEX.tmp"
  mv "$INDEX.tmp" "$INDEX"
  echo "shipped $name: $acc% test accuracy, $secs s, sha256 $sha"
done
