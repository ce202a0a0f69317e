#!/usr/bin/python3
"""Writes the PyTorch reference fixtures that TorchAgreementTest holds the Glassbox engine to.

A dev tool, not part of the build or the tests: the fixtures it writes are committed, and the Java tests
only read them. Run it with Debian's PyTorch (apt-get install -y python3-torch); it writes next to itself,
into engine/src/test/resources/torch/, and the same bytes every time:

    /usr/bin/python3 engine/src/test/python/make_torch_fixtures.py

It builds four small networks with seeded random weights (torch.manual_seed), names every layer and
parameter exactly as the Java test does, and for one training step on a small labelled batch records the
input, labels, weights, every layer's output, the logits, the mean softmax cross-entropy loss, the gradient
of that loss with respect to every parameter and to the input, batch-norm running statistics after the
step, and the logits of an eval-mode forward that uses those updated statistics:

    lenet5   1x28x28, conv5x5 pad 2, ReLU, maxpool 2, conv5x5, ReLU, maxpool 2, flatten, fc 400-120-84-10
    vgg_bn   3x16x16, [conv3x3 (no bias), batch norm, ReLU] x2, maxpool 2, conv3x3 + BN + ReLU,
             avgpool 2, flatten, fc 256->10; batch norm in training mode (batch statistics)
    resblock 3x9x9, a ResNet basic block (He et al. 2016, "Deep Residual Learning for Image Recognition")
             with a projection shortcut: conv3x3 stride 2 + BN + ReLU + conv3x3 + BN, plus conv1x1 stride 2
             + BN, summed, ReLU; global average pool, fc 8->10. Odd sizes (9 -> 5) test the borders.
    misc     2x9x9, conv3x3 + LeakyReLU(0.1), overlapping maxpool 3/2, conv3x3 + Tanh, overlapping
             avgpool 3/1, flatten, fc + Sigmoid, fc 12->5

Batch-norm scales, shifts and starting running statistics are random too, so the test sees them used and
updated. Convolutions followed by batch norm have no bias: its exact gradient is zero, so any rounding
noise would be an infinite relative error. The residual block's own output (act.res1) is the sum, before
the ReLU, which is a separate layer as in Glassbox.

The reference numbers are computed in float64 from the float32 weights and input (so they are the exact
answer for those float32 values, up to float64 rounding) and then stored as float32. The same step is also
run in float32 PyTorch; its distance to the float64 reference is printed as a yardstick for the Java error.

Fixture format (one file per network, <name>.bin, all integers and floats little-endian):

    magic    4 bytes  "GBFX"
    version  int32    1
    count    int32    number of tensors
    count times:
      nameLen  int32, then nameLen bytes of UTF-8 name
      rank     int32, then rank int32 dimensions (rank 0 = a scalar, one value)
      data     float32 x product(dimensions), row-major (NCHW for images)

Tensor names:
    input, labels (class indices stored as floats), loss (rank 0), logits, eval.logits
    <param> initial value of a parameter or buffer, e.g. conv1.weight, bn1.running_mean, res1.conv1.weight
    grad.<param>   dL/d(param);   grad.input   dL/d(input)
    act.<layer>    the layer's output in the training forward, e.g. act.conv1, act.res1.bn2
    after.<buffer> batch-norm running statistic after the training forward, e.g. after.bn1.running_var

    routes_wide    3x16x16, batch 8: conv3x3 3-32, 32-32 (Winograd), 1x1 32-32, stride-2 32-64 into 8x8,
                   64-64 at 8x8, ReLUs, global average pool, fc 64->10
    routes_narrow  8x20x20, batch 8: conv5x5 8-16 pad 2, maxpool, conv5x5 16-16 into 6x6 (wide im2col rows),
                   conv3x3 16-16, stride-2 16-16 into 3x3, fc 144->10
The two routes_ networks are at the zoo's real widths and batch 8, so that TorchRoutesTest (which runs them
with the kept-im2col threshold at its default and at 0) reaches every route of ConvPlan, each held to PyTorch.

Leaves out: optimizer steps (the engine's optimizers have their own tests) and anything bigger than needed:
the four small fixtures stay under 1 MB, the two routes_ fixtures a few MB.
"""

import copy
import pathlib
import struct
import sys

import torch
import torch.nn as nn
import torch.nn.functional as F

OUT = pathlib.Path(__file__).resolve().parents[1] / "resources" / "torch"
MAGIC = b"GBFX"
VERSION = 1


# ---------------------------------------------------------------- networks as named layer lists

class Residual(nn.Module):
    """out = main(x) + shortcut(x); children keep their own full names, like Glassbox's Residual."""

    def __init__(self, main, shortcut):
        super().__init__()
        self.main = main            # list of (name, module)
        self.shortcut = shortcut    # list of (name, module)
        for n, m in main + shortcut:
            self.add_module(n.replace(".", "_"), m)

    def run(self, x, acts):
        h = x
        for n, m in self.main:
            h = m(h)
            acts[n] = h
        s = x
        for n, m in self.shortcut:
            s = m(s)
            acts[n] = s
        return h + s


class GlobalAvgPool(nn.Module):
    """[N, C, H, W] -> [N, C], the mean of each plane, like Glassbox's GlobalAvgPool (no flatten needed)."""

    def forward(self, x):
        return x.mean(dim=(2, 3))


def lenet5():
    return [
        ("conv1", nn.Conv2d(1, 6, 5, padding=2)), ("relu1", nn.ReLU()), ("pool1", nn.MaxPool2d(2, 2)),
        ("conv2", nn.Conv2d(6, 16, 5)), ("relu2", nn.ReLU()), ("pool2", nn.MaxPool2d(2, 2)),
        ("flatten", nn.Flatten()),
        ("fc1", nn.Linear(400, 120)), ("relu3", nn.ReLU()),
        ("fc2", nn.Linear(120, 84)), ("relu4", nn.ReLU()),
        ("fc3", nn.Linear(84, 10)),
    ]


def vgg_bn():
    # No conv bias before batch norm: BN's shift makes it redundant (its exact gradient is zero).
    return [
        ("conv1", nn.Conv2d(3, 8, 3, padding=1, bias=False)), ("bn1", nn.BatchNorm2d(8)), ("relu1", nn.ReLU()),
        ("conv2", nn.Conv2d(8, 8, 3, padding=1, bias=False)), ("bn2", nn.BatchNorm2d(8)), ("relu2", nn.ReLU()),
        ("pool1", nn.MaxPool2d(2, 2)),
        ("conv3", nn.Conv2d(8, 16, 3, padding=1, bias=False)), ("bn3", nn.BatchNorm2d(16)), ("relu3", nn.ReLU()),
        ("pool2", nn.AvgPool2d(2, 2)),
        ("flatten", nn.Flatten()),
        ("fc", nn.Linear(256, 10)),
    ]


def resblock():
    main = [
        ("res1.conv1", nn.Conv2d(3, 8, 3, stride=2, padding=1, bias=False)), ("res1.bn1", nn.BatchNorm2d(8)),
        ("res1.relu1", nn.ReLU()),
        ("res1.conv2", nn.Conv2d(8, 8, 3, padding=1, bias=False)), ("res1.bn2", nn.BatchNorm2d(8)),
    ]
    shortcut = [
        ("res1.proj", nn.Conv2d(3, 8, 1, stride=2, bias=False)), ("res1.proj_bn", nn.BatchNorm2d(8)),
    ]
    return [
        ("res1", Residual(main, shortcut)), ("relu", nn.ReLU()),
        ("gap", GlobalAvgPool()),
        ("fc", nn.Linear(8, 10)),
    ]


def misc():
    return [
        ("conv1", nn.Conv2d(2, 4, 3, padding=1)), ("lrelu1", nn.LeakyReLU(0.1)), ("pool1", nn.MaxPool2d(3, 2)),
        ("conv2", nn.Conv2d(4, 4, 3, padding=1)), ("tanh1", nn.Tanh()), ("pool2", nn.AvgPool2d(3, 1)),
        ("flatten", nn.Flatten()),
        ("fc1", nn.Linear(16, 12)), ("sigmoid1", nn.Sigmoid()),
        ("fc2", nn.Linear(12, 5)),
    ]


def routes_wide():
    """The zoo's real widths (32 and 64 channels): between them, with routes_narrow, these layers take every
    route of Glassbox's ConvPlan (TorchRoutesTest checks that none is missed)."""
    return [
        ("conv1", nn.Conv2d(3, 32, 3, padding=1)), ("relu1", nn.ReLU()),               # im2col; implicit / kept dW
        ("conv2", nn.Conv2d(32, 32, 3, padding=1)), ("relu2", nn.ReLU()),              # Winograd, all three passes
        ("conv3", nn.Conv2d(32, 32, 1)), ("relu3", nn.ReLU()),                         # 1x1: pointwise
        ("conv4", nn.Conv2d(32, 64, 3, stride=2, padding=1)), ("relu4", nn.ReLU()),    # 8x8: grouped, transposed dW
        ("conv5", nn.Conv2d(64, 64, 3, padding=1)), ("relu5", nn.ReLU()),              # Winograd at 8x8
        ("gap", GlobalAvgPool()),
        ("fc", nn.Linear(64, 10)),
    ]


def routes_narrow():
    """16 channels, small planes: wide im2col rows, grouped images, the untransposed weight gradient."""
    return [
        ("conv1", nn.Conv2d(8, 16, 5, padding=2)), ("relu1", nn.ReLU()), ("pool1", nn.MaxPool2d(2, 2)),  # im2col, 20x20
        ("conv2", nn.Conv2d(16, 16, 5)), ("relu2", nn.ReLU()),                         # 6x6: wide rows
        ("conv3", nn.Conv2d(16, 16, 3, padding=1)), ("relu3", nn.ReLU()),              # Winograd + wide-row dW
        ("conv4", nn.Conv2d(16, 16, 3, stride=2, padding=1)), ("relu4", nn.ReLU()),    # 3x3 plane: grouped
        ("flatten", nn.Flatten()),
        ("fc", nn.Linear(144, 10)),
    ]


# name, builder, input shape per sample, batch, classes, seed
NETWORKS = [
    ("lenet5", lenet5, (1, 28, 28), 2, 10, 1),
    ("vgg_bn", vgg_bn, (3, 16, 16), 2, 10, 2),
    ("resblock", resblock, (3, 9, 9), 4, 10, 3),
    ("misc", misc, (2, 9, 9), 3, 5, 4),
    ("routes_wide", routes_wide, (3, 16, 16), 8, 10, 5),
    ("routes_narrow", routes_narrow, (8, 20, 20), 8, 10, 6),
]


def leaves(net):
    """(name, module) of every non-composite layer, children of residual blocks included."""
    for n, m in net:
        if isinstance(m, Residual):
            yield from m.main
            yield from m.shortcut
        else:
            yield n, m


def state(net):
    """Parameters and buffers by Glassbox name (num_batches_tracked is PyTorch bookkeeping, left out)."""
    s = {}
    for n, m in leaves(net):
        for p, t in m.named_parameters(recurse=False):
            s[f"{n}.{p}"] = t
        for b, t in m.named_buffers(recurse=False):
            if b != "num_batches_tracked":
                s[f"{n}.{b}"] = t
    return s


def randomize_batch_norm(net, gen):
    """Non-trivial BN scale/shift and running statistics, so the test sees them used and updated."""
    with torch.no_grad():
        for _, m in leaves(net):
            if isinstance(m, (nn.BatchNorm1d, nn.BatchNorm2d)):
                c = m.num_features
                m.weight.copy_(0.5 + torch.rand(c, generator=gen))
                m.bias.copy_(0.1 * torch.randn(c, generator=gen))
                m.running_mean.copy_(0.1 * torch.randn(c, generator=gen))
                m.running_var.copy_(0.5 + torch.rand(c, generator=gen))


def step(net, x, labels):
    """One training forward + backward; returns every recorded tensor by name."""
    out = {}
    for n, m in leaves(net):
        m.train()
    x = x.clone().requires_grad_(True)
    acts = {}
    h = x
    for n, m in net:
        h = m.run(h, acts) if isinstance(m, Residual) else m(h)
        acts[n] = h
    for t in acts.values():
        t.retain_grad()
    loss = F.cross_entropy(h, labels)  # mean over the batch of -log softmax(logits)[label]
    params = {k: t for k, t in state(net).items() if t.requires_grad}
    for t in params.values():
        t.grad = None
    loss.backward()
    out["logits"] = h
    out["loss"] = loss
    out["grad.input"] = x.grad
    for k, t in params.items():
        out["grad." + k] = t.grad
    for k, t in acts.items():
        out["act." + k] = t
    for k, t in state(net).items():
        if "running" in k:
            out["after." + k] = t
    # Eval mode: the running statistics just updated replace the batch statistics.
    with torch.no_grad():
        for _, m in leaves(net):
            m.eval()
        h = x.detach()
        scratch = {}
        for n, m in net:
            h = m.run(h, scratch) if isinstance(m, Residual) else m(h)
        out["eval.logits"] = h
    return {k: v.detach() for k, v in out.items()}


def relative_error(a, ref, floor=1e-6):
    """max |a - ref| / max(max |ref|, floor): the same definition TorchAgreementTest uses."""
    a, ref = a.double(), ref.double()
    scale = max(ref.abs().max().item() if ref.numel() else 0.0, floor)
    return (a - ref).abs().max().item() / scale


def build(name, builder, shape, batch, classes, seed):
    torch.manual_seed(seed)
    gen = torch.Generator().manual_seed(seed)
    net = builder()
    randomize_batch_norm(net, gen)
    x = torch.randn((batch,) + shape, generator=gen)
    labels = torch.randint(0, classes, (batch,), generator=gen)

    tensors = {"input": x, "labels": labels.float()}
    for k, t in state(net).items():
        tensors[k] = t.detach().clone()

    net64 = copy.deepcopy(net)
    for _, m in leaves(net64):
        m.double()
    ref = step(net64, x.double(), labels)
    f32 = step(net, x, labels)

    worst = max(((relative_error(f32[k], ref[k]), k) for k in ref), key=lambda e: e[0])
    print(f"{name:9s} {sum(t.numel() for t in state(net).values()):6d} weights; "
          f"loss {ref['loss'].item():.6f}; torch float32 vs float64: max relative error "
          f"{worst[0]:.2e} ({worst[1]})")
    for k, t in ref.items():
        tensors[k] = t.float()
    return tensors


def write(path, tensors):
    with open(path, "wb") as f:
        f.write(MAGIC)
        f.write(struct.pack("<ii", VERSION, len(tensors)))
        for name, t in tensors.items():
            b = name.encode("utf-8")
            t = t.detach().to(torch.float32).contiguous()
            f.write(struct.pack("<i", len(b)))
            f.write(b)
            f.write(struct.pack("<i", t.dim()))
            f.write(struct.pack(f"<{t.dim()}i", *t.shape))
            f.write(t.numpy().astype("<f4").tobytes())


def main():
    torch.set_num_threads(1)  # deterministic summation order
    OUT.mkdir(parents=True, exist_ok=True)
    total = 0
    for spec in NETWORKS:
        tensors = build(*spec)
        path = OUT / f"{spec[0]}.bin"
        write(path, tensors)
        total += path.stat().st_size
    print(f"wrote {len(NETWORKS)} fixtures to {OUT}, {total / 1024:.0f} KiB")
    if total > 8_000_000:
        sys.exit("fixtures exceed 8 MB: make the networks or batches smaller")


if __name__ == "__main__":
    main()
