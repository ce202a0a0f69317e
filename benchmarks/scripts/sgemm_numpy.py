#!/usr/bin/env python3
"""Peer figure for GemmBench: float32 matrix multiply GFLOP/s in numpy (whatever BLAS it links).

Run it with the same thread count as the JMH run, e.g.
    env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE OPENBLAS_NUM_THREADS=2 /usr/bin/python3 benchmarks/scripts/sgemm_numpy.py
Prints one line per size: n, best and median GFLOP/s over repeats (2*n^3 flops per product).
With --cpu-time, rates are per CPU-second of the process (time.process_time) instead of per wall-clock second:
on a shared machine that shows what one core does whatever the load (peer of glassbox.bench.GemmPerCore;
use OPENBLAS_NUM_THREADS=1 then).
It leaves out everything but square C = A @ B; check `np.show_config()` that the BLAS is OpenBLAS,
not the reference BLAS (which is ~50x slower).
"""
import sys
import time

import numpy as np


def blas_name():
    try:
        from threadpoolctl import threadpool_info  # optional
        return ", ".join(f"{i['internal_api']} {i.get('version')} threads={i['num_threads']}" for i in threadpool_info())
    except Exception:
        return "see np.show_config()"


def main():
    args = sys.argv[1:]
    cpu_time = "--cpu-time" in args
    clock = time.process_time if cpu_time else time.perf_counter
    sizes = [int(s) for s in args if s != "--cpu-time"] or [16, 32, 64, 128, 256, 512, 1024, 2048]
    rng = np.random.default_rng(0)
    print(f"numpy {np.__version__}, BLAS: {blas_name()}")
    unit = "GFLOP/CPU-s" if cpu_time else "GFLOP/s"
    print(f"{'n':>6} {'best ' + unit:>16} {'median ' + unit:>18}")
    for n in sizes:
        a = rng.standard_normal((n, n), dtype=np.float32)
        b = rng.standard_normal((n, n), dtype=np.float32)
        c = np.empty((n, n), dtype=np.float32)
        flops = 2.0 * n ** 3
        reps = max(3, min(2000, int(2e9 / flops)))  # about 2 GFLOP of work per timing
        np.matmul(a, b, out=c)  # warm-up
        rates = []
        for _ in range(5):
            t0 = clock()
            for _ in range(reps):
                np.matmul(a, b, out=c)
            dt = clock() - t0
            rates.append(flops * reps / dt / 1e9)
        rates.sort()
        print(f"{n:>6} {rates[-1]:>16.1f} {rates[len(rates) // 2]:>18.1f}")


if __name__ == "__main__":
    main()
