// Sanity check view: cascading randomization of the weights, top layer first (Adebayo et al. 2018), with each
// method's similarity to its trained-model map after every step (GET /api/models/{id}/sanity, viz.gradients.SanityCheck).

import * as echarts from "/webjars/echarts/5.3.1/dist/echarts.esm.min.js";
import { job, frame, control, chart, mapCanvas, hot, fmt } from "./common.js";

export const id = "sanity", title = "Sanity check";

export async function render({ model, body, alive }) {
  const f = frame(body, `Does an explanation explain the network, or just the picture? The weights are replaced by random
    ones layer by layer, from the output back to the input, and every method is run again on the same images. A method
    that depends on what the network learned must change (its similarity to the trained map falls towards 0); one that
    stays alike (flagged) is mostly an edge detector. Similarity: Spearman rank correlation of |map|, and SSIM.`);
  const images = control(f.controls, "test images", `<input type="number" min="1" max="16" placeholder="4" class="images">`);
  const go = document.createElement("button");
  go.textContent = "Compute";
  f.controls.append(go);
  const fail = (e) => { f.status.innerHTML = `<span class="error"></span>`; f.status.firstChild.textContent = e.message; };
  go.onclick = () => run().catch(fail);

  async function run() {
    f.content.innerHTML = "";
    const v = await job(`/api/models/${model.id}/sanity${images.value ? `?images=${images.value}` : ""}`, f.status, alive);
    if (!v) return;
    const r = v.result;
    images.value = r.images;
    draw(v, r);
    f.cli(`./glassbox explain sanity --model ${model.id} --images ${r.images}`);
  }

  function draw(v, r) {
    const row = document.createElement("div");
    row.className = "charts";
    f.content.append(row);
    const a = document.createElement("div"), b = document.createElement("div");
    row.append(a, b);
    const axis = { type: "category", data: r.randomized, axisLabel: { rotate: 40, fontSize: 10 }, name: "randomized down to", nameLocation: "middle", nameGap: 58 };
    const opts = (title, values) => ({
      title: { text: title, left: "center", textStyle: { fontSize: 14 } },
      tooltip: { trigger: "axis", valueFormatter: (x) => (x === null ? "n/a" : x.toFixed(3)) },
      legend: { bottom: 0 }, grid: { left: 50, right: 15, top: 40, bottom: 130 },
      xAxis: axis, yAxis: { type: "value", min: (x) => Math.min(-0.2, Math.floor(10 * x.min) / 10), max: 1 },
      series: r.methods.map((m, i) => ({ name: m, type: "line", symbolSize: 6, data: values[i],
        lineStyle: { width: r.flagged[i] ? 3.5 : 1.5 } })),
    });
    chart(echarts, a, "sanity-spearman", 420, opts(`Spearman of |map| with the trained model's (${r.images} images)`, r.spearman));
    chart(echarts, b, "sanity-ssim", 420, opts("SSIM with the trained model's map", r.ssim));
    const flagged = r.methods.filter((m, i) => r.flagged[i]);
    f.content.insertAdjacentHTML("beforeend", `<p class="caption"></p>`);
    f.content.lastElementChild.textContent = flagged.length
      ? `Flagged (Spearman still >= ${r.threshold} with every layer random): ${flagged.join(", ")}.`
      : `No method flagged: every one changes once the weights are random (Spearman below ${r.threshold} at the end).`;
    // The maps of the first image, one row per method, one column per step; each |map| scaled to its own max.
    const grid = document.createElement("table");
    grid.className = "sanity-maps";
    const head = document.createElement("tr");
    head.innerHTML = "<th></th>";
    r.randomized.forEach((s) => { const th = document.createElement("th"); th.textContent = s; head.append(th); });
    grid.append(head);
    r.methods.forEach((m, i) => {
      const tr = document.createElement("tr");
      const th = document.createElement("th");
      th.textContent = m + (r.flagged[i] ? " (flagged)" : "");
      tr.append(th);
      r.maps[i].forEach((map) => {
        const td = document.createElement("td");
        let mx = 0;
        for (const x of map) mx = Math.max(mx, Math.abs(x));
        td.append(mapCanvas(map, 0, r.width, r.height, Math.max(1, Math.floor(56 / r.width)), (x) => hot(mx > 0 ? Math.abs(x) / mx : 0)));
        tr.append(td);
      });
      grid.append(tr);
    });
    f.content.insertAdjacentHTML("beforeend", `<h3>The maps of test image ${v.images[0]} at each step</h3><p class="muted">|map|,
      each scaled to its own largest value (black 0, white largest): look for the maps that keep the digit's shape while
      the network underneath is random.</p>`);
    f.content.append(grid);
    f.content.insertAdjacentHTML("beforeend", `<p class="muted">Each image is explained for its predicted class; Integrated
      Gradients uses 16 steps here. Largest similarity: ${fmt(1)} (the trained map against itself).</p>`);
  }
  await run();
}
