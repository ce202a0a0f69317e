// The explorer's views beyond one image, as tabs of one card (#views-panel): kernels, compare architectures,
// robustness, confusion matrix, t-SNE/PCA, sanity check, class model; plus the top-activating patches in
// the channel detail. Each view module exports {id, title, render(view)}; a view is drawn when its tab is
// opened, for the model picked at the top of the page, and again when another model is picked.

import { $, api } from "./common.js";
import * as kernels from "./kernels.js";
import * as compare from "./compare.js";
import * as robustness from "./robustness.js";
import * as confusion from "./confusion.js";
import * as embedding from "./embedding.js";
import * as sanity from "./sanity.js";
import * as classModel from "./classmodel.js";
import "./patches.js";

const VIEWS = [kernels, compare, robustness, confusion, embedding, sanity, classModel];
const css = document.createElement("link");
css.rel = "stylesheet"; css.href = "/views/views.css";
document.head.append(css);

let models = null, active = null, generation = 0, shown = null;

function build() {
  const panel = $("views-panel");
  panel.innerHTML = `<h2>More views of the model</h2><nav class="tabs" role="tablist"></nav><div id="view-body"></div>`;
  const nav = panel.querySelector("nav");
  for (const v of VIEWS) {
    const b = document.createElement("button");
    b.textContent = v.title;
    b.dataset.view = v.id;
    b.setAttribute("role", "tab");
    b.onclick = () => open(v);
    nav.append(b);
  }
}

async function open(v) {
  active = v;
  document.querySelectorAll("#views-panel nav button").forEach((b) => b.classList.toggle("active", b.dataset.view === v.id));
  const body = $("view-body");
  body.innerHTML = "";
  body.dataset.view = v.id;
  const id = $("model").value;
  shown = id;
  if (!id) return;
  if (!models || !models.find((m) => m.id === id)) models = await api("/api/models"); // a model trained live is new
  const model = models.find((m) => m.id === id);
  const mine = ++generation;
  try {
    await v.render({ model, models, body, alive: () => mine === generation });
  } catch (e) {
    if (mine !== generation) return;
    const p = document.createElement("p");
    p.className = "error";
    p.textContent = e.message;
    body.append(p);
  }
}

build();
// Another model picked at the top: the open view follows it. The page also switches models without a change
// event (a model trained live joins the list: "glassbox:models"), so the picker is watched as well.
$("model").addEventListener("change", () => { if (active) open(active); });
document.addEventListener("glassbox:models", () => { models = null; });
setInterval(() => { if (active && $("model").value && $("model").value !== shown) open(active); }, 500);

// A link such as /#view=embedding&model=lenet5-mnist opens that view (for the lecture notes and screenshots).
const wanted = new URLSearchParams(location.hash.slice(1));
if (wanted.get("view")) {
  const v = VIEWS.find((x) => x.id === wanted.get("view"));
  const start = () => {
    const sel = $("model");
    if (!sel.options.length) { setTimeout(start, 100); return; }
    if (wanted.get("model") && sel.value !== wanted.get("model") && [...sel.options].some((o) => o.value === wanted.get("model"))) {
      sel.value = wanted.get("model");
      sel.dispatchEvent(new Event("change"));
    }
    if (v) open(v).then(() => $("views-panel").scrollIntoView());
  };
  start();
}
