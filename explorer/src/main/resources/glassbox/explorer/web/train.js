// Live training in the page (ConvNetJS's MNIST demo, with the engine's training statistics): starts a training
// through /api/train, polls its progress about twice a second and draws the loss and accuracy curves, the
// gradient norms, the update:parameter ratios, the dead ReLUs, the diagnoses and the first layer's weights.
// Every number comes from the run file the engine's StatsRecorder writes (the server follows it); nothing is
// computed here but colours. Charts: uPlot from its WebJar (offline).

import uPlot from "/webjars/uplot/1.6.30/dist/uPlot.esm.js";

const $ = (id) => document.getElementById(id);
const css = document.createElement("link");
css.rel = "stylesheet"; css.href = "/webjars/uplot/1.6.30/dist/uPlot.min.css";
document.head.append(css);

const POLL_MS = 500;
const COLOURS = ["#1d3557", "#e63946", "#2a9d8f", "#f4a261", "#7b2cbf", "#588157", "#bc6c25", "#0096c7", "#6d597a", "#9d0208"];
const live = { name: null, gen: 0, points: [], status: null, charts: {}, timer: null, kernelsStep: -1, announced: null, busy: false };

async function call(path, body) {
  const res = await fetch(path, body === undefined ? {} : {
    method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body),
  });
  const json = await res.json();
  if (!res.ok) throw new Error(json.error || res.statusText);
  return json;
}

const sci = (v) => (v === null || v === undefined || Number.isNaN(v) ? "-" : Math.abs(v) >= 0.01 && Math.abs(v) < 1000 ? v.toFixed(3) : v.toExponential(1));

// ---- the form ----
async function loadOptions() {
  const o = await call("/api/train/options");
  const arch = $("train-arch"), ds = $("train-dataset");
  arch.innerHTML = "";
  for (const a of o.architectures) arch.append(new Option(o.small.includes(a) ? a : `${a} (larger: best with cifar10)`, a));
  arch.value = o.defaults.arch;
  ds.innerHTML = "";
  for (const d of o.datasets) {
    const opt = new Option(`${d.name}: ${d.title}` + (d.available ? "" : ` (${d.note})`), d.name);
    opt.disabled = !d.available;
    ds.append(opt);
  }
  ds.value = o.defaults.dataset;
  $("train-epochs").value = o.defaults.epochs; $("train-epochs").max = o.maxEpochs;
  $("train-lr").value = o.defaults.lr;
  $("train-batch").value = o.defaults.batch; $("train-batch").max = o.maxBatch;
  $("train-runs").textContent = o.runs;
}

function fillForm(r) {
  $("train-arch").value = r.arch; $("train-dataset").value = r.dataset; $("train-epochs").value = r.epochs;
  $("train-lr").value = r.lr; $("train-batch").value = r.batch; $("train-limit").value = r.limit > 0 ? r.limit : "";
}

function request() {
  const body = { arch: $("train-arch").value, dataset: $("train-dataset").value, epochs: $("train-epochs").value,
    lr: $("train-lr").value, batch: $("train-batch").value };
  if ($("train-limit").value !== "") body.limit = $("train-limit").value;
  return body;
}

$("train-start").onclick = async () => {
  $("train-error").textContent = "";
  try {
    const s = await call("/api/train", request());
    reset(s);
    show(s);
    poll();
  } catch (e) {
    $("train-error").textContent = e.message;
  }
};

$("train-stop").onclick = async () => {
  try {
    show(await call("/api/train/stop", {}));
  } catch (e) {
    $("train-error").textContent = e.message;
  }
};

// ---- following a training ----
function reset(s) {
  live.name = s.name; live.gen = -1; live.points = []; live.kernelsStep = -1;
  for (const c of Object.values(live.charts)) c.destroy();
  live.charts = {};
  $("train-kernels").innerHTML = "";
}

async function poll() {
  clearTimeout(live.timer);
  if (live.busy) return;
  live.busy = true;
  let s;
  try {
    s = await call(`/api/train?since=${live.points.length}&gen=${Math.max(0, live.gen)}`);
  } catch (e) {
    $("train-error").textContent = e.message;
    live.timer = setTimeout(poll, 4 * POLL_MS);
    return;
  } finally {
    live.busy = false;
  }
  if (s.state === "idle") return;
  if (s.name !== live.name) { reset(s); fillForm(s.request); } // e.g. a training already running when the page loads
  if (s.generation !== live.gen || s.from === 0) live.points = [];
  live.gen = s.generation;
  live.points.push(...s.points);
  show(s);
  if (s.state === "running" || s.state === "loading") live.timer = setTimeout(poll, POLL_MS);
}

function show(s) {
  live.status = s;
  const running = s.state === "running" || s.state === "loading";
  $("train-start").disabled = running;
  $("train-stop").disabled = !running;
  const st = $("train-status");
  st.dataset.state = s.state;
  const pct = s.totalSteps ? ` (${(100 * s.step / s.totalSteps).toFixed(0)}%)` : "";
  st.textContent = s.state === "loading" ? `loading ${s.request.dataset}...`
    : `${s.state}: ${s.request.arch} on ${s.request.dataset}, epoch ${s.epoch} of ${s.request.epochs}, ` +
      `step ${s.step} of ${s.totalSteps}${pct}, ${Math.round(s.imagesPerSecond)} images/s, ${s.seconds.toFixed(0)} s` +
      (running ? "" : ` \u2014 ${s.message}`);
  $("train-cli").textContent = `${s.cli.train}\n${s.cli.viz}` + (s.state === "stopped" ? `\n# continue it:\n${s.cli.resume}` : "");
  document.querySelectorAll(".train-cli-viz").forEach((e) => { e.textContent = s.cli.viz; });
  if (s.points !== undefined) {
    drawCharts(s);
    showDiagnoses(s);
    if (s.kernelsStep !== live.kernelsStep) loadKernels(s);
  }
  if (s.modelId && live.announced !== s.modelId) {
    live.announced = s.modelId;
    document.dispatchEvent(new CustomEvent("glassbox:models", { detail: { select: null } }));
    const b = $("train-explore");
    b.hidden = false;
    b.textContent = `Explore ${s.modelId}`;
    b.onclick = () => {
      document.dispatchEvent(new CustomEvent("glassbox:models", { detail: { select: s.modelId } }));
      window.scrollTo({ top: 0, behavior: "smooth" });
    };
  }
}

// ---- charts ----
// Aligned columns for uPlot: the stats points' steps, with the epoch ends (test values) merged in.
function columns(s, perPoint, perEpoch) {
  const rows = new Map();
  for (const p of live.points) rows.set(p.step, { p });
  for (const e of s.epochs) rows.set(e.step, { ...(rows.get(e.step) || {}), e });
  const steps = [...rows.keys()].sort((a, b) => a - b);
  const cols = [steps];
  const n = perPoint.length;
  for (let k = 0; k < n; k++) cols.push(steps.map((x) => { const r = rows.get(x); return r.p ? clean(perPoint[k](r.p)) : null; }));
  for (const f of perEpoch) cols.push(steps.map((x) => { const r = rows.get(x); return r.e ? clean(f(r.e)) : null; }));
  return cols;
}

const clean = (v) => (v === null || v === undefined || !Number.isFinite(v) ? null : v);
const positive = (v) => (v === null || v === undefined || !(v > 0) ? null : v);

// Red dashed lines where a diagnosed problem started, on every chart.
function diagnosisMarks(u) {
  const s = live.status;
  if (!s || !s.diagnoses) return;
  const ctx = u.ctx;
  ctx.save();
  ctx.strokeStyle = "#d00000"; ctx.setLineDash([6, 4]); ctx.lineWidth = 1.5;
  for (const d of s.diagnoses) {
    const x = u.valToPos(d.step, "x", true);
    if (x < u.bbox.left || x > u.bbox.left + u.bbox.width) continue;
    ctx.beginPath(); ctx.moveTo(x, u.bbox.top); ctx.lineTo(x, u.bbox.top + u.bbox.height); ctx.stroke();
  }
  ctx.restore();
}

// The healthy band of the update:parameter ratio, 1e-4 to 1e-2, shaded.
function healthyBand(u) {
  const ctx = u.ctx;
  const top = u.valToPos(1e-2, "y", true), bottom = u.valToPos(1e-4, "y", true);
  ctx.save();
  ctx.fillStyle = "rgba(42, 157, 143, 0.13)";
  ctx.fillRect(u.bbox.left, top, u.bbox.width, bottom - top);
  ctx.restore();
}

const logRange = (lo, hi) => (u, min, max) => {
  const a = Math.min(lo, min ?? lo), b = Math.max(hi, max ?? hi);
  return [10 ** Math.floor(Math.log10(a)), 10 ** Math.ceil(Math.log10(b))];
};

// Log axes: a tick and a grid line at each power of ten only, labelled 1e-3 rather than rounded to 0.
// Over a wide range (a broken run), every second or third power, so that about six lines remain.
const powersOfTen = (u, axis, min, max) => {
  const lo = Math.ceil(Math.log10(min) - 1e-9), hi = Math.floor(Math.log10(max) + 1e-9);
  const every = Math.max(1, Math.ceil((hi - lo + 1) / 7));
  const out = [];
  for (let e = hi; e >= lo; e -= every) out.unshift(10 ** e);
  return out;
};
const powerLabels = (u, splits) => splits.map((v) => (!(v > 0) ? "" : v >= 0.01 && v <= 100 ? String(+v.toPrecision(2)) : `1e${Math.round(Math.log10(v))}`));

function makeChart(id, title, series, opts = {}) {
  const box = $(id);
  box.innerHTML = "";
  const width = Math.max(320, Math.min(560, box.clientWidth || 460));
  const log = opts.y && opts.y.distr === 3;
  const yAxis = { label: opts.yLabel || "", size: 62, ...(log ? { splits: powersOfTen, values: powerLabels } : {}) };
  return new uPlot({
    title, width, height: 230,
    scales: { x: { time: false }, y: opts.y || {} },
    axes: [{ label: "step" }, yAxis],
    series: [{ label: "step" }, ...series],
    legend: { live: true },
    cursor: { drag: { x: false, y: false } },
    hooks: { drawClear: opts.band ? [healthyBand] : [], draw: [diagnosisMarks] },
  }, [[], ...series.map(() => [])], box);
}

function line(label, colour, extra = {}) {
  return { label, stroke: colour, width: 1.6, spanGaps: true, value: (u, v) => sci(v), ...extra };
}

function epochDots(label, colour) {
  return line(label, colour, { width: 0, points: { show: true, size: 8, fill: colour } });
}

function ensureCharts(s) {
  if (live.charts.loss) return;
  live.charts.loss = makeChart("train-loss", "Loss (cross-entropy, log)", [line("train", COLOURS[0]), epochDots("test (epoch end)", COLOURS[1])],
    { y: { distr: 3, range: logRange(0.1, 1) }, yLabel: "loss" });
  live.charts.accuracy = makeChart("train-accuracy", "Accuracy", [line("train", COLOURS[0]), epochDots("test (epoch end)", COLOURS[1])],
    { y: { range: [0, 1] }, yLabel: "share correct" });
  live.charts.grads = makeChart("train-grads", "Gradient norm of each layer's weights (log)",
    s.weights.map((w, k) => line(w, COLOURS[k % COLOURS.length])), { y: { distr: 3, range: logRange(1e-4, 1) }, yLabel: "||dL/dW||" });
  live.charts.ratios = makeChart("train-ratios", "Update : parameter ratio (log), healthy band shaded",
    s.weights.map((w, k) => line(w, COLOURS[k % COLOURS.length])), { y: { distr: 3, range: logRange(1e-5, 1e-1) }, yLabel: "||dW|| / ||W||", band: true });
  live.charts.dead = makeChart("train-dead", s.units.length ? "Dead ReLU units (share zero for a whole batch)" : "Dead ReLU units (this network has no ReLU)",
    s.units.map((w, k) => line(w, COLOURS[k % COLOURS.length])), { y: { range: [0, 1] }, yLabel: "share dead" });
}

function drawCharts(s) {
  if (!s.weights || !s.weights.length) return;
  ensureCharts(s);
  const W = s.weights.length, U = s.units.length;
  live.charts.loss.setData(columns(s, [(p) => positive(p.loss)], [(e) => positive(e.testLoss)]));
  live.charts.accuracy.setData(columns(s, [(p) => p.accuracy], [(e) => e.testAccuracy]));
  live.charts.grads.setData(columns(s, [...Array(W).keys()].map((k) => (p) => positive(p.gradNorm[k])), []));
  live.charts.ratios.setData(columns(s, [...Array(W).keys()].map((k) => (p) => positive(p.ratio[k])), []));
  live.charts.dead.setData(columns(s, [...Array(U).keys()].map((k) => (p) => p.dead[k]), []));
  $("train-loss").dataset.points = String(live.points.length);
  $("train-loss").dataset.epochs = String(s.epochs.length);
  const last = live.points[live.points.length - 1];
  if (last) {
    $("train-last").textContent = `last record: step ${last.step}, learning rate ${sci(last.lr)}, ` +
      `train loss ${last.loss.toFixed(4)}, train accuracy ${(100 * last.accuracy).toFixed(1)}%` +
      (s.epochs.length ? `; test accuracy after epoch ${s.epochs.length}: ${(100 * s.epochs[s.epochs.length - 1].testAccuracy).toFixed(2)}%` : "") +
      ` (a stats record every ${s.statsEvery} steps)`;
  }
}

function showDiagnoses(s) {
  const box = $("train-diagnoses");
  box.dataset.count = String(s.diagnoses.length);
  box.innerHTML = "";
  if (!s.diagnoses.length) {
    const p = document.createElement("p");
    p.className = "train-none";
    p.textContent = s.step > 0 ? `none so far (step ${s.step})` : "none yet";
    box.append(p);
    return;
  }
  for (const d of s.diagnoses) {
    const p = document.createElement("p");
    p.className = "train-diagnosis";
    const b = document.createElement("b");
    b.textContent = `${d.problem}${d.subject ? " in " + d.subject : ""} since step ${d.step}`;
    p.append(b, ` (seen at step ${d.seenAt}): ${d.message}`);
    box.append(p);
  }
}

// ---- the first layer's weights ----
async function loadKernels(s) {
  live.kernelsStep = s.kernelsStep;
  let k;
  try {
    k = await call("/api/train/kernels");
  } catch (e) {
    return; // none yet
  }
  const box = $("train-kernels");
  const q = Uint8Array.from(atob(k.data), (c) => c.charCodeAt(0));
  const [n, c, h, w] = k.shape;
  const scale = Math.max(2, Math.min(14, Math.floor(96 / Math.max(h, w))));
  const grid = document.createElement("div");
  grid.className = "train-kernel-grid";
  for (let u = 0; u < n; u++) {
    const cv = document.createElement("canvas");
    cv.width = w; cv.height = h;
    cv.style.width = `${w * scale}px`; cv.style.height = `${h * scale}px`;
    cv.title = `${k.layer} ${k.kind === "Linear" ? "unit" : "channel"} ${u}`;
    const ctx = cv.getContext("2d");
    const img = ctx.createImageData(w, h);
    const base = u * c * h * w;
    for (let i = 0; i < h * w; i++) {
      let rgb;
      if (c === 3) { // colour kernels: each channel's weight as that colour, grey is zero
        rgb = [q[base + i], q[base + h * w + i], q[base + 2 * h * w + i]];
      } else { // blue negative, white zero, red positive
        const t = (q[base + i] - 127.5) / 127.5;
        rgb = t >= 0 ? [255, Math.round(255 * (1 - t)), Math.round(255 * (1 - t))] : [Math.round(255 * (1 + t)), Math.round(255 * (1 + t)), 255];
      }
      img.data.set([...rgb, 255], 4 * i);
    }
    ctx.putImageData(img, 0, 0);
    grid.append(cv);
  }
  box.innerHTML = "";
  box.append(grid);
  box.dataset.step = String(k.step);
  const what = k.kind === "Linear" ? `${n} rows of ${k.layer} as ${w}x${h} templates` : `${n} kernels of ${k.layer}, ${h}x${w}` + (c === 3 ? " (RGB)" : "");
  const clipped = k.scale < k.absMax ? `; the 0.5% largest |w| (up to ${sci(k.absMax)}) are clipped to full colour` : "";
  $("train-kernels-caption").textContent = `${what} at step ${k.step}; ` + (c === 3
    ? `grey is 0, full colour \u00b1${sci(k.scale)} (one scale for all${clipped})`
    : `blue \u2212${sci(k.scale)}, white 0, red +${sci(k.scale)} (one scale for all${clipped})`);
}

loadOptions().then(poll).catch((e) => { $("train-error").textContent = e.message; });
