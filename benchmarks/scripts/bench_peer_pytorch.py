#!/usr/bin/env python3
"""Peer figures for `./glassbox bench --compare`: the same whole-network workloads in PyTorch (CPU).

    /usr/bin/python3 benchmarks/scripts/bench_peer_pytorch.py [--quick] [--only WORKLOAD] [workload ...]
    /usr/bin/python3 benchmarks/scripts/bench_peer_pytorch.py --serve [--quick]   # names on stdin, one a line

Workloads are named like Glassbox's: `lenet5-train-1t` (training step: forward, cross-entropy, backward,
SGD momentum 0.9 update; batch 64), `smallvgg-infer-2t` (eval forward under no_grad; batch 256), ...
The networks are those of train_peer_pytorch.py (imported, not copied); the data is random, in memory, like
glassbox.bench.Step. Timing: warm-up, then timed repeats of a few steps each; the median rate is printed as
`RESULT <workload> <images/s>`, which BenchCommand parses. With --serve it stays up and measures each
workload name it reads on stdin, so Glassbox and PyTorch can take turns on the same workload (back to back,
under the same load). With --only it runs one workload for longer and
also prints `PEAK_RSS_KB <VmHWM>` (peak resident memory of this process, from /proc/self/status).
A dev tool: never needed by the build or the tests.
"""
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import torch  # noqa: E402
import torch.nn.functional as F  # noqa: E402
from train_peer_pytorch import lenet5, smallvgg  # noqa: E402

SHAPES = {"lenet5": (1, 28, 28), "smallvgg": (3, 32, 32)}
ALL = [f"{a}-{m}-{t}t" for t in (1, 2) for a in ("lenet5", "smallvgg") for m in ("train", "infer")]


def workload(name):
    arch, mode, threads = name.split("-")
    c, h, w = SHAPES[arch]
    batch = 64 if mode == "train" else 256
    torch.manual_seed(1)
    model = (lenet5 if arch == "lenet5" else smallvgg)(c, h)
    x = torch.randn(batch, c, h, w)
    y = torch.randint(0, 10, (batch,))
    if mode == "train":
        opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
        model.train()

        def step():
            opt.zero_grad()
            F.cross_entropy(model(x), y).backward()
            opt.step()
    else:
        model.eval()

        def step():
            with torch.no_grad():
                model(x)
    return int(threads[:-1]), batch, step


def rate(step, batch, warmup_s, repeats, repeat_s):
    t_end = time.perf_counter() + warmup_s
    step()
    while time.perf_counter() < t_end:
        step()
    t0 = time.perf_counter()
    step()
    per_step = max(time.perf_counter() - t0, 1e-6)
    k = max(1, int(repeat_s / per_step))
    rates = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        for _ in range(k):
            step()
        rates.append(k * batch / (time.perf_counter() - t0))
    rates.sort()
    return rates[len(rates) // 2]


def peak_rss_kb():
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    return -1


def main():
    args = sys.argv[1:]
    quick = "--quick" in args
    only = args[args.index("--only") + 1] if "--only" in args else None
    names = [only] if only else [a for a in args if not a.startswith("--") and a in ALL] or ALL
    warmup_s, repeats, repeat_s = (0.5, 3, 0.3) if quick else (1.0, 5, 0.4)
    if only:
        warmup_s, repeats, repeat_s = 3.0, 5, 2.0
    print(f"torch {torch.__version__}, oneDNN {torch.backends.mkldnn.is_available()}", flush=True)
    if "--serve" in args:
        for line in sys.stdin:
            name = line.strip()
            if name not in ALL:
                print(f"ERROR unknown workload {name}", flush=True)
                continue
            threads, batch, step = workload(name)
            torch.set_num_threads(threads)
            print(f"RESULT {name} {rate(step, batch, warmup_s, repeats, repeat_s):.1f}", flush=True)
        return
    for name in names:
        threads, batch, step = workload(name)
        torch.set_num_threads(threads)
        print(f"RESULT {name} {rate(step, batch, warmup_s, repeats, repeat_s):.1f}", flush=True)
    if only:
        print(f"PEAK_RSS_KB {peak_rss_kb()}", flush=True)


if __name__ == "__main__":
    main()
