// Class model view: the image that gradient ascent on the input makes for one class (Simonyan et al. 2014),
// with the snapshots on the way and the class score per step (GET /api/models/{id}/class-model, viz.gradients.ClassModel).

import * as echarts from "/webjars/echarts/5.3.1/dist/echarts.esm.min.js";
import { $, job, frame, control, chart, bytes, imageCanvas, fmt } from "./common.js";

export const id = "class-model", title = "Class model";

export async function render({ model, body, alive }) {
  const f = frame(body, `What the network would most like to see for a class: starting from faint noise, the input image
    is changed step by step to raise that class's score, with small shifts, blur and clipping so that it stays
    picture-like. On MNIST the strokes of the digit appear where the class expects ink; an image that looks like nothing
    yet scores 100% shows that the network keys on patterns, not on whole objects.`);
  const cls = control(f.controls, "class", `<select class="class-pick"></select>`);
  model.classNames.forEach((n, k) => cls.append(new Option(`${k}: ${n}`, String(k))));
  const predicted = $("prediction").dataset.predicted; // start with the class predicted for the current image
  if (predicted && Number(predicted) < model.classNames.length) cls.value = predicted;
  const fail = (e) => { f.status.innerHTML = `<span class="error"></span>`; f.status.firstChild.textContent = e.message; };
  cls.onchange = () => run().catch(fail);

  async function run() {
    f.content.innerHTML = "";
    const k = cls.value;
    const r = await job(`/api/models/${model.id}/class-model?class=${k}`, f.status, alive);
    if (!r || cls.value !== k) return;
    const row = document.createElement("div");
    row.className = "class-model";
    f.content.append(row);
    const fig = document.createElement("figure");
    const big = imageCanvas(bytes(r.pixels), 0, r.shape, Math.max(2, Math.floor(224 / r.shape[1])));
    big.className = "class-model-image";
    fig.append(big);
    fig.insertAdjacentHTML("beforeend", `<figcaption></figcaption>`);
    fig.lastChild.textContent = `${r.target}: score ${fmt(r.finalScore)}, probability ${(100 * r.probability).toFixed(1)}%`;
    row.append(fig);
    const steps = document.createElement("div");
    steps.className = "snapshots";
    for (const s of r.snapshots) {
      const sf = document.createElement("figure");
      sf.append(imageCanvas(bytes(s.pixels), 0, r.shape, Math.max(1, Math.floor(84 / r.shape[1]))));
      sf.insertAdjacentHTML("beforeend", `<figcaption>step ${s.step}</figcaption>`);
      steps.append(sf);
    }
    row.append(steps);
    const side = document.createElement("div");
    side.className = "class-model-chart";
    row.append(side);
    chart(echarts, side, "class-model-score", 260, {
      title: { text: "class score (logit) at each step", left: "center", textStyle: { fontSize: 13 } },
      tooltip: { trigger: "axis" }, grid: { left: 50, right: 15, top: 35, bottom: 35 },
      xAxis: { type: "category", data: r.scores.map((_, i) => i + 1), name: "step", nameLocation: "middle", nameGap: 22 },
      yAxis: { type: "value", scale: true }, series: [{ type: "line", showSymbol: false, data: r.scores }],
    });
    const s = r.settings;
    f.content.insertAdjacentHTML("beforeend", `<p class="muted"></p>`);
    f.content.lastElementChild.textContent = `${s.steps} steps of size ${s.lr} (normalized gradient), L2 decay ${s.l2Decay}, ` +
      `jitter ${s.jitter} px, blur sigma ${s.blurSigma} every ${s.blurEvery} steps, pixels below the ${s.clipNormPercentile}th ` +
      `percentile of norm and contribution set to the mean colour: the CLI's defaults.`;
    f.cli(`./glassbox explain class-model --model ${model.id} --class ${r.cls}`);
  }
  await run();
}
