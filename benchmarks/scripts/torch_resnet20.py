"""Zoo.resnet20's basic block in PyTorch, shared by the peer scripts that build resnet20 as modules
(explain_peer_pytorch.py, train_peer_pytorch.py). A dev tool, never needed by the build or the tests."""
import torch.nn as nn
import torch.nn.functional as F


class Block(nn.Module):
    """conv3x3-bn-relu-conv3x3-bn, plus the input (or its 1x1 projection with batch norm where the shape changes),
    then relu. `relu` may be another rule (explain_peer_pytorch.py's guided backprop)."""

    def __init__(self, cin, cout, stride, relu=F.relu):
        super().__init__()
        self.relu = relu
        self.conv1 = nn.Conv2d(cin, cout, 3, stride, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(cout)
        self.conv2 = nn.Conv2d(cout, cout, 3, 1, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(cout)
        self.proj = None
        if stride != 1 or cin != cout:
            self.proj = nn.Sequential(nn.Conv2d(cin, cout, 1, stride, bias=False), nn.BatchNorm2d(cout))

    def forward(self, x):
        h = self.bn2(self.conv2(self.relu(self.bn1(self.conv1(x)))))
        return self.relu(h + (x if self.proj is None else self.proj(x)))
