#!/usr/bin/python3
"""Peer figures for glassbox.bench.ExplainCompare: gradient explanations of one CIFAR-10-sized image on
resnet20 in PyTorch (CPU, autograd), the same computations Glassbox times.

    /usr/bin/python3 benchmarks/scripts/explain_peer_pytorch.py [--threads T] [--quick]

Workloads (one 3x32x32 image, random weights, eval mode, the gradient of one logit):
    saliency          one forward + backward to the input
    guided-backprop   the same with ReLU backward replaced by a guided rule (custom autograd Function)
    gradcam           forward + backward, keeping the last block's output and its gradient; cam upsampled
    smoothgrad-50     50 noisy copies: batched (one batch of 50) and serial (50 batch-1 passes)
    ig-50             51 path points (trapezoid): batched and serial
Parameter gradients are off (requires_grad_(False) on every weight), as in Glassbox's explanations.
Prints `RESULT <workload> <median ms>` per workload (with one thread also `RESULT <workload>-cpu <ms>`,
the thread's CPU time). A dev tool, never needed by the build or the tests.
"""
import os
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from torch_resnet20 import Block  # noqa: E402


class ResNet20(nn.Module):
    def __init__(self):
        super().__init__()
        self.rule = "standard"
        relu = lambda h: self.act(h)  # noqa: E731
        self.conv1 = nn.Conv2d(3, 16, 3, 1, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(16)
        blocks, cin = [], 16
        for stage, w in enumerate((16, 32, 64)):
            for b in range(3):
                blocks.append(Block(cin, w, 2 if stage > 0 and b == 0 else 1, relu))
                cin = w
        self.blocks = nn.ModuleList(blocks)
        self.fc = nn.Linear(64, 10)
        self.features = None

    def act(self, h):
        return GuidedRelu.apply(h) if self.rule == "guided" else F.relu(h)

    def forward(self, x):
        h = self.act(self.bn1(self.conv1(x)))
        for b in self.blocks:
            h = b(h)
        self.features = h
        return self.fc(h.mean(dim=(2, 3)))


class GuidedRelu(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return x.clamp(min=0)

    @staticmethod
    def backward(ctx, dy):
        (x,) = ctx.saved_tensors
        return dy * ((dy > 0) & (x > 0))


def input_grad(net, x, cls=3):
    x = x.clone().requires_grad_(True)
    net(x)[:, cls].sum().backward()
    return x.grad


def main():
    threads = int(sys.argv[sys.argv.index("--threads") + 1]) if "--threads" in sys.argv else 2
    quick = "--quick" in sys.argv
    torch.set_num_threads(threads)
    torch.manual_seed(1)
    net = ResNet20().eval()
    for p in net.parameters():
        p.requires_grad_(False)
    x = torch.randn(1, 3, 32, 32)
    noise = 0.15 * 4 * torch.randn(50, 3, 32, 32)
    alphas = torch.linspace(0, 1, 51).view(-1, 1, 1, 1)
    base = torch.zeros_like(x)

    def saliency():
        input_grad(net, x)

    def guided():
        net.rule = "guided"
        input_grad(net, x)
        net.rule = "standard"

    def gradcam():
        xr = x.clone().requires_grad_(True)
        out = net(xr)
        a = net.features
        a.retain_grad()
        out[0, 3].backward()
        cam = F.relu((a.grad.mean(dim=(2, 3), keepdim=True) * a).sum(1, keepdim=True))
        F.interpolate(cam, size=(32, 32), mode="bilinear", align_corners=False)

    def smooth_batched():
        input_grad(net, x + noise).mean(0)

    def smooth_serial():
        for i in range(50):
            input_grad(net, x + noise[i:i + 1])

    def ig_batched():
        input_grad(net, base + alphas * (x - base))

    def ig_serial():
        for i in range(51):
            input_grad(net, base + alphas[i:i + 1] * (x - base))

    work = [("saliency", saliency), ("guided-backprop", guided), ("gradcam", gradcam),
            ("smoothgrad-50-batched", smooth_batched), ("smoothgrad-50-serial", smooth_serial),
            ("ig-50-batched", ig_batched), ("ig-50-serial", ig_serial)]
    for name, f in work:
        serial = name.endswith("serial")  # 50 passes per call: fewer repeats
        for _ in range(1 if quick or serial else 5):
            f()
        times, cpu = [], []
        for _ in range(3 if quick or serial else 15):
            c, t = time.thread_time(), time.perf_counter()
            f()
            times.append(1000 * (time.perf_counter() - t))
            cpu.append(1000 * (time.thread_time() - c))
        times.sort()
        cpu.sort()
        print(f"RESULT {name} {times[len(times) // 2]:.3f}", flush=True)
        if threads == 1:  # CPU time of this thread: less sensitive to a loaded machine
            print(f"RESULT {name}-cpu {cpu[len(cpu) // 2]:.3f}", flush=True)


if __name__ == "__main__":
    main()
