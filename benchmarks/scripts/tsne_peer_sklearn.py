#!/usr/bin/env python3
"""scikit-learn's Barnes-Hut t-SNE on the MNIST test images, the peer of `./glassbox embed --method tsne`.

Same task as Glassbox: the 10,000 test images as pixels / 255, PCA to 50 dimensions, then
TSNE(perplexity=30, n_iter=1000, init="pca", learning_rate="auto", method="barnes_hut", angle=0.5, n_jobs=2),
and the leave-one-out 5-NN accuracy of the map (ties to the smallest class, as Glassbox's Separation).
Prints one JSON line: seconds (PCA + t-SNE, data loading excluded), knn5, kl.
Usage: tsne_peer_sklearn.py MNIST_DIR [LIMIT] [THREADS]
"""
import gzip
import json
import os
import sys
import time

import numpy as np


def load(dirname, limit):
    with gzip.open(os.path.join(dirname, "t10k-images-idx3-ubyte.gz")) as f:
        x = np.frombuffer(f.read(), np.uint8, offset=16).reshape(-1, 784)
    with gzip.open(os.path.join(dirname, "t10k-labels-idx1-ubyte.gz")) as f:
        y = np.frombuffer(f.read(), np.uint8, offset=8)
    return x[:limit].astype(np.float32) / 255.0, y[:limit].astype(np.int64)


def knn_accuracy(emb, labels, k=5):
    from sklearn.neighbors import NearestNeighbors
    nn = NearestNeighbors(n_neighbors=k + 1).fit(emb)
    _, idx = nn.kneighbors(emb)
    correct = 0
    for i in range(len(labels)):
        nb = [j for j in idx[i] if j != i][:k]
        votes = np.bincount(labels[nb], minlength=10)
        correct += int(votes.argmax() == labels[i])
    return correct / len(labels)


def main():
    dirname = sys.argv[1]
    limit = int(sys.argv[2]) if len(sys.argv) > 2 else 10000
    threads = int(sys.argv[3]) if len(sys.argv) > 3 else 2
    from sklearn.decomposition import PCA
    from sklearn.manifold import TSNE
    x, y = load(dirname, limit)
    t0 = time.perf_counter()
    x50 = PCA(n_components=50, random_state=1).fit_transform(x)
    tsne = TSNE(n_components=2, perplexity=30, n_iter=1000, init="pca", learning_rate="auto",
                method="barnes_hut", angle=0.5, n_jobs=threads, random_state=1)
    emb = tsne.fit_transform(x50)
    secs = time.perf_counter() - t0
    print(json.dumps({"peer": "scikit-learn", "version": __import__("sklearn").__version__, "seconds": round(secs, 3),
                      "knn5": knn_accuracy(emb, y), "kl": float(tsne.kl_divergence_), "points": int(limit)}))


if __name__ == "__main__":
    main()
