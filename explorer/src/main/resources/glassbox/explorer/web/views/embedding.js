// t-SNE / PCA view: a 2-D map of one layer's features of the first test images, coloured by true class
// (GET /api/models/{id}/embedding, viz.embedding.Embedding with its Separation numbers). Hovering a point shows
// its image with label and prediction; clicking a class in the legend highlights it; clicking a point loads it.

import * as echarts from "/webjars/echarts/5.3.1/dist/echarts.esm.min.js";
import { api, job, frame, control, chart, bytes, imageCanvas, loadAsCurrent, CLASS_COLOURS, pct, fmt } from "./common.js";

export const id = "embedding", title = "t-SNE / PCA";

export async function render({ model, body, alive }) {
  const f = frame(body, `Each dot is one test image, placed by the features the network computes for it at one layer
    (by default the one before the last, where the classifier reads them), squeezed into two dimensions; colour is the
    true class. t-SNE keeps near neighbours near (distances between clusters mean little), PCA is the flat shadow with
    the most spread. Well-trained features form one island per class; a dot inside another colour's island is an image
    the network finds alike to that class: hover it to see which.`);
  const method = control(f.controls, "method", `<select class="method"><option value="tsne">t-SNE</option><option value="pca">PCA</option></select>`);
  const layer = control(f.controls, "layer", `<select class="layer-pick"></select>`);
  layer.append(new Option("penultimate (default)", ""));
  layer.append(new Option("pixels (no network)", "pixels"));
  for (const l of model.layers) layer.append(new Option(l.name, l.name));
  const images = control(f.controls, "test images", `<input type="number" min="100" placeholder="1000" class="images">`);
  const go = document.createElement("button");
  go.textContent = "Compute";
  f.controls.append(go);
  const fail = (e) => { f.status.innerHTML = `<span class="error"></span>`; f.status.firstChild.textContent = e.message; };
  go.onclick = () => run().catch(fail);
  method.onchange = () => run().catch(fail);
  layer.onchange = () => run().catch(fail);

  async function run() {
    f.content.innerHTML = "";
    const q = new URLSearchParams({ method: method.value });
    if (layer.value) q.set("layer", layer.value);
    if (images.value) q.set("images", images.value);
    const r = await job(`/api/models/${model.id}/embedding?${q}`, f.status, alive);
    if (!r) return;
    const e = r.embedding;
    images.value = e.points;
    // The images of every point, for the hover box: the route gives at most 2,000 at a time.
    const parts = [];
    for (let from = 0; from < e.points; from += 2000) {
      parts.push(await api(`/api/models/${model.id}/thumbnails?from=${from}&count=${Math.min(2000, e.points - from)}`));
    }
    if (!alive()) return;
    const decoded = parts.map((p) => bytes(p.pixels));
    const px = new Uint8Array(decoded.reduce((n, b) => n + b.length, 0));
    let at = 0;
    for (const b of decoded) { px.set(b, at); at += b.length; }
    draw(r, { shape: parts[0].shape, px });
    f.cli(`./glassbox embed --model ${model.id} --method ${e.method} --layer ${e.layer} --limit ${e.points}`);
  }

  function draw(r, th) {
    const e = r.embedding, names = e.classNames, px = th.px, per = th.shape[0] * th.shape[1] * th.shape[2];
    f.content.innerHTML = `<div class="embed-row"><div class="embed-chart"></div><div class="embed-side">
      <p class="muted">Click a class to highlight it:</p><div class="legend"></div><div class="hover"><p class="muted">Hover a dot to see its image.</p></div></div></div>
      <p class="caption"></p>`;
    const series = names.map((name, k) => ({
      name, type: "scatter", symbolSize: 6, itemStyle: { color: CLASS_COLOURS[k % 10], opacity: 0.8 },
      emphasis: { scale: 2 }, data: [],
    }));
    e.coordinates.forEach(([x, y], i) => series[e.labels[i]].data.push([x, y, i]));
    const c = chart(echarts, f.content.querySelector(".embed-chart"), "embedding", 520, {
      title: { text: `${e.method === "tsne" ? "t-SNE" : "PCA"} of ${e.layer} (${e.dims} features), ${e.points} test images`,
        left: "center", textStyle: { fontSize: 14 } },
      grid: { left: 40, right: 20, top: 40, bottom: 30 },
      xAxis: { type: "value", scale: true, splitLine: { show: false }, axisLine: { onZero: false }, name: e.method === "pca" ? "PC 1" : "" },
      yAxis: { type: "value", scale: true, splitLine: { show: false }, axisLine: { onZero: false }, name: e.method === "pca" ? "PC 2" : "" },
      tooltip: { show: false }, legend: { show: false }, series,
    });
    c.glassboxPredicted = r.predicted; // for tests and screenshots: which dots are mistakes
    const hover = f.content.querySelector(".hover");
    c.on("mouseover", (p) => {
      const i = p.data[2], label = e.labels[i], pred = r.predicted[i];
      hover.innerHTML = "";
      hover.dataset.index = String(i);
      const cv = imageCanvas(px, i * per, th.shape, Math.max(2, Math.floor(112 / th.shape[1])));
      cv.className = "hover-image";
      hover.append(cv);
      const t = document.createElement("p");
      t.textContent = `test image ${i}: ${names[label]}, predicted ${names[pred]}` + (label === pred ? "" : " (wrong)");
      if (label !== pred) t.className = "error";
      hover.append(t);
      hover.insertAdjacentHTML("beforeend", `<p class="muted">click the dot to load it</p>`);
    });
    c.on("click", (p) => loadAsCurrent(p.data[2]));
    const legend = f.content.querySelector(".legend");
    let chosen = -1;
    names.forEach((name, k) => {
      const b = document.createElement("button");
      b.className = "class-key";
      b.dataset.class = String(k);
      b.innerHTML = `<span class="swatch"></span><span></span>`;
      b.firstChild.style.background = CLASS_COLOURS[k % 10];
      b.lastChild.textContent = name;
      b.title = "click to highlight this class; again to show all";
      b.onclick = () => {
        chosen = chosen === k ? -1 : k;
        legend.querySelectorAll("button").forEach((x) => x.classList.toggle("chosen", Number(x.dataset.class) === chosen));
        legend.dataset.highlighted = chosen < 0 ? "" : String(chosen);
        c.setOption({ series: series.map((s, j) => ({ itemStyle: { opacity: chosen < 0 || chosen === j ? 0.85 : 0.06 },
          z: chosen === j ? 10 : 2 })) });
      };
      legend.append(b);
    });
    const sep = (s) => `k-NN accuracy ${pct(s.knnAccuracy)} (k = ${s.k}), silhouette ${fmt(s.silhouette)}`;
    f.content.querySelector(".caption").textContent = `How well the classes separate - in the ${e.dims} features: ${sep(e.inFeatures)}; ` +
      `in this map: ${sep(e.inMap)}. k-NN accuracy: each image classified by its 5 nearest others; silhouette: 1 when ` +
      `classes are tight and far apart, 0 when they overlap. ` + (e.method === "tsne" ? `Final KL divergence ${fmt(e.kl)}; ` +
      `first reduced by PCA to 50 components keeping ${pct(e.explained[0])} of the variance.`
        : `The two axes keep ${pct(e.explained[0] + (e.explained[1] || 0))} of the variance.`) + ` Data: ${r.dataset}.`;
  }
  await run();
}
