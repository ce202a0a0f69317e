// Robustness view: accuracy under FGSM and PGD-10 over epsilon, and under noise, blur and rotation over severity
// (GET /api/models/{id}/robustness, computed in the background by viz.robustness.AttackCurves/CorruptionCurves).

import * as echarts from "/webjars/echarts/5.3.1/dist/echarts.esm.min.js";
import { job, frame, control, chart, fmt } from "./common.js";

export const id = "robustness", title = "Robustness";

const short = (v) => (v > 0 && v < 0.1 && Math.abs(v * 255 - Math.round(v * 255)) < 1e-3 ? `${Math.round(v * 255)}/255` : fmt(v).replace(/0+$/, "").replace(/\.$/, ""));

export async function render({ model, body, alive }) {
  const f = frame(body, `How accuracy falls as the test images are changed a little more at each step. Left: gradient
    attacks that move every pixel by at most epsilon (pixel units 0..1) in the direction that raises the loss most,
    FGSM in one step, PGD in ten; a small epsilon that breaks most predictions shows how fragile the network is. Right:
    ordinary damage (noise, blur, rotation) at severities 0 to 5, which should hurt far less than an attack of similar size.`);
  const images = control(f.controls, "test images", `<input type="number" min="16" placeholder="256" class="images">`);
  const go = document.createElement("button");
  go.textContent = "Compute";
  f.controls.append(go);
  const run = async () => {
    f.content.innerHTML = "";
    const q = images.value ? `?images=${images.value}` : ""; // empty: the server's default, 256
    const r = await job(`/api/models/${model.id}/robustness${q}`, f.status, alive);
    if (!r) return;
    images.value = r.images;
    draw(r);
    f.cli(`./glassbox robustness --model ${model.id} --attack fgsm --limit ${r.images}\n` +
      `./glassbox robustness --model ${model.id} --attack pgd --limit ${r.images}\n` +
      `./glassbox robustness --model ${model.id} --corruption noise,blur,rotate --limit ${r.images}`);
  };
  go.onclick = () => run().catch((e) => { f.status.innerHTML = `<span class="error"></span>`; f.status.firstChild.textContent = e.message; });
  function draw(r) {
    const row = document.createElement("div");
    row.className = "charts";
    f.content.append(row);
    const left = document.createElement("div"), right = document.createElement("div");
    row.append(left, right);
    const eps = r.attacks[0].levels;
    chart(echarts, left, "robustness-attacks", 360, {
      title: { text: `Accuracy under attack (${r.images} test images)`, left: "center", textStyle: { fontSize: 14 } },
      tooltip: { trigger: "axis", formatter: (ps) => `epsilon ${short(ps[0].value[0])}<br>` +
        ps.map((p) => `${p.marker} ${p.seriesName}: ${p.value[1].toFixed(1)}%`).join("<br>") },
      legend: { bottom: 0 },
      grid: { left: 55, right: 30, top: 40, bottom: 70 },
      xAxis: { type: "value", name: "epsilon (L-inf, pixel units 0..1)", nameLocation: "middle", nameGap: 28, min: 0, max: eps[eps.length - 1],
        axisLabel: { formatter: short } },
      yAxis: { type: "value", name: "accuracy %", min: 0, max: 100 },
      series: r.attacks.map((c) => ({ name: c.name, type: "line", symbolSize: 7, data: c.accuracy.map((a, i) => [eps[i], 100 * a]) })),
    });
    chart(echarts, right, "robustness-corruptions", 360, {
      title: { text: "Accuracy under corruptions", left: "center", textStyle: { fontSize: 14 } },
      tooltip: { trigger: "axis", valueFormatter: (v) => `${v.toFixed(1)}%` },
      legend: { bottom: 0 },
      grid: { left: 55, right: 20, top: 40, bottom: 70 },
      xAxis: { type: "category", name: "severity (0 = clean)", nameLocation: "middle", nameGap: 28, data: [0, 1, 2, 3, 4, 5] },
      yAxis: { type: "value", name: "accuracy %", min: 0, max: 100 },
      series: r.corruptions.map((c) => ({ name: `${c.name} [${c.levels.map(short).join(", ")}]`, type: "line", symbolSize: 7,
        data: c.accuracy.map((a) => 100 * a) })),
    });
    const pgd = r.attacks[1];
    const half = pgd.accuracy.findIndex((a) => a < pgd.cleanAccuracy / 2);
    f.content.insertAdjacentHTML("beforeend", `<p class="caption"></p>`);
    f.content.lastElementChild.textContent = `Clean accuracy ${(100 * pgd.cleanAccuracy).toFixed(1)}% on the first ${r.images} ` +
      `test images (${r.dataset}). ` + (half > 0 ? `PGD-10 halves it by epsilon ${short(eps[half])}.` : "PGD-10 does not halve it within these radii.") +
      ` The legend gives each corruption's parameter at severities 0..5 (noise sigma, blur sigma in pixels, degrees).`;
  }
  await run();
}
