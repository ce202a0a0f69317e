#!/usr/bin/env python3
"""Peer of glassbox.bench.PgdCompare: one PGD step on resnet20 in PyTorch, timed per batch.

Loads the same .gbx file as the Glassbox side (rebuilt by pgd_peer_pytorch.py, eval mode, parameters frozen
so autograd computes the input gradient only), then answers requests on stdin, one per line:
    THREADS REPS      ->  RESULT THREADS <median ms of one step> <median ms of one forward> <median CPU ms of a step>
(the CPU time of the calling thread: the whole work with one thread, less sensitive to a loaded machine)
A step is what each of PGD's iterations does: normalize, forward, cross-entropy, input gradient, signed step
and projection. Kept alive between requests so that Glassbox and PyTorch can take turns in one run.
Usage: pgd_step_peer_pytorch.py MODEL.gbx [BATCH]      (a dev tool, never needed by the build or the tests)
"""
import os
import sys
import time

import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pgd_peer_pytorch import load_resnet20  # noqa: E402


def main():
    model_path = sys.argv[1]
    batch = int(sys.argv[2]) if len(sys.argv) > 2 else 256
    net, shape, mean_t, std_t = load_resnet20(model_path)
    gen = torch.Generator().manual_seed(1)
    p0 = torch.rand((batch, *shape), generator=gen)
    y = torch.randint(0, 10, (batch,), generator=gen)
    eps = 8 / 255
    alpha = 2.5 * eps / 10

    def step(p):
        p.requires_grad_(True)
        loss = F.cross_entropy(net((p - mean_t) / std_t), y)
        g, = torch.autograd.grad(loss, p)
        with torch.no_grad():
            p = p + alpha * g.sign()
            return torch.min(torch.max(p, p0 - eps), p0 + eps).clamp(0, 1)

    def forward(p):
        with torch.no_grad():
            return net((p - mean_t) / std_t)

    for line in sys.stdin:
        f = line.split()
        if len(f) != 2:
            continue
        threads, reps = int(f[0]), int(f[1])
        torch.set_num_threads(threads)
        p = p0.clone()
        for _ in range(2):
            p = step(p)  # warm-up
        ms, fw, cpu = [], [], []
        for _ in range(reps):
            c0, t0 = time.thread_time(), time.perf_counter()
            p = step(p)
            ms.append((time.perf_counter() - t0) * 1e3)
            cpu.append((time.thread_time() - c0) * 1e3)
            t0 = time.perf_counter()
            forward(p)
            fw.append((time.perf_counter() - t0) * 1e3)
        ms.sort()
        fw.sort()
        cpu.sort()
        print("RESULT %d %.2f %.2f %.2f" % (threads, ms[reps // 2], fw[reps // 2], cpu[reps // 2]), flush=True)


if __name__ == "__main__":
    main()
