#!/usr/bin/env python3
"""Turns a JMH JSON result file (java -jar benchmarks.jar -rf json -rff out.json ...) into GFLOP/s tables.

GemmBench: 2 n^3 flops per call. ConvBench: 2 * batch * cout * hout * wout * cin * k * k flops per call
(the same for all three kernels). Prints the time per call as JMH measured it next to the rate.
"""
import json
import sys

# ConvBench layers: (cin, h, w, cout, k, stride, pad), batch 64 (keep in sync with ConvBench.LAYERS)
LAYERS = {
    "lenet.conv1": (1, 28, 28, 6, 5, 1, 2),
    "lenet.conv2": (6, 14, 14, 16, 5, 1, 0),
    "vgg.conv1": (3, 32, 32, 32, 3, 1, 1),
    "vgg.conv2": (32, 32, 32, 32, 3, 1, 1),
    "vgg.conv3": (32, 16, 16, 64, 3, 1, 1),
    "vgg.conv4": (64, 16, 16, 64, 3, 1, 1),
}
BATCH = 64
TO_SECONDS = {"s/op": 1.0, "ms/op": 1e-3, "us/op": 1e-6, "ns/op": 1e-9}


def conv_flops(layer):
    cin, h, w, cout, k, stride, pad = LAYERS[layer]
    ho = (h + 2 * pad - k) // stride + 1
    wo = (w + 2 * pad - k) // stride + 1
    return 2.0 * BATCH * cout * ho * wo * cin * k * k


def main(path):
    rows = json.load(open(path))
    gemm, conv = [], []
    for r in rows:
        name = r["benchmark"].split(".")[-2:]
        p = r.get("params", {})
        m = r["primaryMetric"]
        sec = m["score"] * TO_SECONDS[m["scoreUnit"]]
        if name[0] == "GemmBench":
            n = int(p["n"])
            gemm.append((name[1], n, p.get("threads"), m["score"], m["scoreUnit"], 2.0 * n ** 3 / sec / 1e9))
        elif name[0] == "ConvBench":
            conv.append((p["layer"], name[1], p.get("threads"), sec * 1e3, conv_flops(p["layer"]) / sec / 1e9))
    if gemm:
        print(f"{'GemmBench':<12} {'n':>5} {'threads':>7} {'time':>16} {'GFLOP/s':>9}")
        for b, n, t, s, u, g in sorted(gemm, key=lambda x: (x[0], x[1])):
            print(f"{b:<12} {n:>5} {t:>7} {s:>12.2f} {u:<5} {g:>8.1f}")
    if conv:
        print(f"{'ConvBench (batch 64)':<26} {'kernel':<15} {'threads':>7} {'ms/call':>9} {'GFLOP/s':>8}")
        for layer, b, t, ms, g in sorted(conv, key=lambda x: (list(LAYERS).index(x[0]), x[1])):
            print(f"{layer:<26} {b:<15} {t:>7} {ms:>9.2f} {g:>8.1f}")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "jmh-result.json")
