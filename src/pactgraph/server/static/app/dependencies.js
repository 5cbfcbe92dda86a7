// The dependency view: what depends on a target (above it) and what it depends on (below it),
// drawn with cytoscape.js in layers by number of steps, from GET /api/deps; the impact of a
// delay from GET /api/impact. Labels, kinds and the stated pg:dependsOn edges between the
// nodes drawn come from SPARQL.

import {
  ApiError, candidateList, compact, el, fetchJSON, fillMemberStates, formatDate, labelsOf, localName, pageData,
  resourceHref, say, select,
} from "./common.js";

const COLOURS = { target: "#0b2e6b", up: "#c8651b", down: "#1b7f79" };
const KINDS = {
  [`${pageData.queryPrefixes.pg}Obligation`]: { name: "obligation", shape: "ellipse" },
  [`${pageData.queryPrefixes.pg}ITSystem`]: { name: "IT system", shape: "round-rectangle" },
  [`${pageData.queryPrefixes.pg}Procedure`]: { name: "procedure", shape: "diamond" },
};
const GAP_X = 104;
const GAP_Y = 58;
const PER_ROW = 14;

const form = document.getElementById("target-form");
const targetInput = document.getElementById("target");
const depthInput = document.getElementById("depth");
const message = document.getElementById("message");
const container = document.getElementById("graph");
const panel = document.getElementById("node-info");
const lists = document.getElementById("lists");
const impactForm = document.getElementById("impact-form");
const impactResult = document.getElementById("impact-result");
const impactMemberState = document.getElementById("impact-member-state");

/** What is drawn: the resolved target and every node with its side, steps, path and details. */
let view = null;
const graph = window.cytoscape({
  container,
  minZoom: 0.15,
  maxZoom: 3,
  boxSelectionEnabled: false,
  style: [
    {
      selector: "node",
      style: {
        "background-color": "data(colour)", shape: "data(shape)", width: 18, height: 18, label: "data(short)",
        "font-size": 12, color: "#1d2430", "text-valign": "bottom", "text-margin-y": 3, "text-wrap": "ellipsis",
        "text-max-width": "100px", "min-zoomed-font-size": 5, "text-background-color": "#ffffff",
        "text-background-opacity": 0.75, "text-background-padding": "1px",
      },
    },
    { selector: "node.target", style: { width: 34, height: 34, "font-size": 13, "font-weight": "bold" } },
    { selector: "node:selected", style: { "border-width": 4, "border-color": "#ffcc00" } },
    { selector: "node.faded", style: { opacity: 0.3 } },
    {
      selector: "edge",
      style: {
        width: 1.1, "line-color": "#c3cad6", "target-arrow-color": "#c3cad6", "target-arrow-shape": "triangle",
        "arrow-scale": 0.7, "curve-style": "bezier", opacity: 0.9,
      },
    },
    { selector: "edge.faded", style: { opacity: 0.15 } },
    { selector: "edge.path", style: { width: 2.6, "line-color": "#0b2e6b", "target-arrow-color": "#0b2e6b", "z-index": 10 } },
  ],
});
window.pactgraph = { graph };

async function load(target, depth, { push = true } = {}) {
  targetInput.value = target;
  depthInput.value = depth || "";
  if (push) {
    const query = new URLSearchParams({ target });
    if (depth) query.set("depth", depth);
    history.pushState({ target, depth }, "", `?${query}`);
  }
  say(message, `Walking the dependencies of ${target}…`, "loading");
  const steps = depth ? `&depth=${encodeURIComponent(depth)}` : "";
  let up;
  let down;
  try {
    [up, down] = await Promise.all(["up", "down"].map((direction) =>
      fetchJSON(`/api/deps?target=${encodeURIComponent(target)}&direction=${direction}${steps}`)));
  } catch (error) {
    showProblem(error);
    return;
  }
  const nodes = new Map([[up.target, { iri: up.target, side: "target", steps: 0, path: [up.target] }]]);
  for (const [walk, side] of [[up, "up"], [down, "down"]]) {
    for (const reached of walk.reached) {
      if (!nodes.has(reached.iri)) nodes.set(reached.iri, { iri: reached.iri, side, steps: reached.depth, path: reached.path });
    }
  }
  const iris = [...nodes.keys()];
  let details;
  let edges;
  try {
    [details, edges] = await Promise.all([describe(iris), statedEdges(iris)]);
  } catch (error) {
    showProblem(error);
    return;
  }
  for (const node of nodes.values()) Object.assign(node, details.get(node.iri) || { label: localName(node.iri) });
  view = { target: up.target, nodes, edges, cycles: [...up.cycles, ...down.cycles] };
  draw();
  list();
  const upCount = up.reached.length;
  const downCount = down.reached.length;
  say(message, [el("strong", {}, nodes.get(up.target).label), ` — ${upCount} depend${upCount === 1 ? "s" : ""} on it, `
    + `it depends on ${downCount}.`, view.cycles.length ? ` ${view.cycles.length} cycle(s) found and reported, not followed.` : "",
  " ", el("a", { href: resourceHref(up.target) }, "Open its page")]);
  await impact();
}

/** Labels, kinds and, for obligations, provision, act and date, of the nodes. */
async function describe(iris) {
  const rows = await select(`SELECT ?s ?label ?type ?provision ?act ?applies WHERE {
  VALUES ?s { ${iris.map((iri) => `<${iri}>`).join(" ")} }
  OPTIONAL { ?s rdfs:label ?label FILTER (lang(?label) = "en" || lang(?label) = "") }
  OPTIONAL { VALUES ?type { pg:Obligation pg:ITSystem pg:Procedure } ?s a ?type }
  OPTIONAL { ?s pg:provision ?provision }
  OPTIONAL { ?s pg:imposedByAct/skos:altLabel ?act FILTER (lang(?act) = "en") }
  OPTIONAL { ?s pg:appliesFrom ?applies }
}`);
  const details = new Map();
  for (const row of rows) {
    if (details.has(row.s)) continue;
    details.set(row.s, { label: row.label || localName(row.s), type: row.type, provision: row.provision, act: row.act, applies: row.applies });
  }
  return details;
}

/** The pg:dependsOn links stated between the nodes (not the inferred closure). */
async function statedEdges(iris) {
  const values = iris.map((iri) => `<${iri}>`).join(" ");
  const rows = await select(`SELECT DISTINCT ?a ?b WHERE {
  VALUES ?a { ${values} }
  GRAPH <${pageData.dataGraph}> { ?a pg:dependsOn ?b }
  FILTER (?b IN (${iris.map((iri) => `<${iri}>`).join(", ")}))
}`);
  return rows.map((row) => [row.a, row.b]);
}

function shortName(node) {
  const kind = KINDS[node.type]?.name;
  return kind === "obligation" || !node.label ? localName(node.iri) : node.label;
}

/** Draw the layers: dependents above the target, what it depends on below, rows wrapped. */
function draw() {
  const { nodes, edges, target } = view;
  const neighbours = new Map([...nodes.keys()].map((iri) => [iri, []]));
  for (const [a, b] of edges) {
    neighbours.get(a).push(b);
    neighbours.get(b).push(a);
  }
  const levels = new Map();
  for (const node of nodes.values()) {
    const level = node.side === "up" ? -node.steps : node.steps;
    if (!levels.has(level)) levels.set(level, []);
    levels.get(level).push(node);
  }
  const x = new Map([[target, 0]]);
  const positions = new Map([[target, { x: 0, y: 0 }]]);
  for (const sign of [-1, 1]) {
    let y = 0;
    for (let level = sign; levels.has(level); level += sign) {
      const layer = levels.get(level);
      const centre = (node) => {
        const placed = neighbours.get(node.iri).filter((iri) => x.has(iri)).map((iri) => x.get(iri));
        return placed.length ? placed.reduce((a, b) => a + b, 0) / placed.length : 0;
      };
      layer.sort((a, b) => centre(a) - centre(b) || shortName(a).localeCompare(shortName(b)));
      const rows = Math.ceil(layer.length / PER_ROW);
      y += sign * GAP_Y * (level === sign ? 1.4 : 1.2);
      layer.forEach((node, index) => {
        const row = Math.floor(index / PER_ROW);
        const inRow = Math.min(PER_ROW, layer.length - row * PER_ROW);
        const column = index - row * PER_ROW;
        const px = (column - (inRow - 1) / 2) * GAP_X + (row % 2 ? GAP_X / 4 : 0);
        const py = y + sign * row * GAP_Y * 0.85;
        positions.set(node.iri, { x: px, y: py });
        x.set(node.iri, px);
      });
      y += sign * (rows - 1) * GAP_Y * 0.85;
    }
  }
  graph.elements().remove();
  graph.add([...nodes.values()].map((node) => ({
    group: "nodes",
    data: {
      id: node.iri, short: shortName(node), colour: COLOURS[node.side], shape: KINDS[node.type]?.shape || "hexagon",
    },
    classes: node.side === "target" ? "target" : node.side,
    position: positions.get(node.iri),
  })));
  graph.add(edges.map(([a, b]) => ({ group: "edges", data: { id: `${a} ${b}`, source: a, target: b } })));
  graph.layout({ name: "preset", fit: true, padding: 30 }).run();
  container.dataset.nodes = String(graph.nodes().length);
  container.dataset.target = target;
  showNode(null);
}

graph.on("tap", "node", (event) => showNode(event.target.id()));
graph.on("tap", (event) => {
  if (event.target === graph) showNode(null);
});
graph.on("dbltap", "node", (event) => load(event.target.id(), depthInput.value));
graph.on("mouseover", "node", (event) => {
  container.title = view.nodes.get(event.target.id())?.label || "";
});
graph.on("mouseout", "node", () => {
  container.title = "";
});

/** The panel for one node, and its path to the target highlighted; null clears both. */
function showNode(iri) {
  graph.elements().removeClass("faded path");
  if (!iri) {
    panel.replaceChildren(el("p", { class: "muted" }, "Click a node to see what it is; double-click to centre the view on it."));
    return;
  }
  const node = view.nodes.get(iri);
  const path = node.path;
  const onPath = new Set(path);
  graph.nodes().forEach((n) => { if (!onPath.has(n.id())) n.addClass("faded"); });
  graph.edges().forEach((e) => {
    const [a, b] = [e.source().id(), e.target().id()];
    const i = path.indexOf(a);
    const j = path.indexOf(b);
    if (i >= 0 && j >= 0 && Math.abs(i - j) === 1) e.addClass("path");
    else e.addClass("faded");
  });
  graph.$id(iri).select();
  const targetLabel = view.nodes.get(view.target).label;
  const kind = KINDS[node.type]?.name || "resource";
  const facts = [kind, node.act && node.provision ? `${node.act}, Art. ${node.provision}` : null,
    node.applies ? `applies from ${formatDate(node.applies)}` : null].filter(Boolean).join(" · ");
  const relation = node.side === "target" ? "The target of this view."
    : node.side === "up" ? `Depends on ${targetLabel} in ${node.steps} step${node.steps === 1 ? "" : "s"}:`
      : `${targetLabel} depends on it in ${node.steps} step${node.steps === 1 ? "" : "s"}:`;
  const chain = node.side === "up" ? [...path].reverse() : path;
  panel.replaceChildren(
    el("h3", {}, node.label),
    el("p", { class: "muted small" }, facts),
    el("p", { class: "small" }, el("code", {}, compact(iri))),
    el("p", {}, relation),
    node.side === "target" ? null : el("ol", { class: "path" }, chain.map((step) =>
      el("li", {}, view.nodes.get(step)?.label || localName(step)))),
    el("div", { class: "buttons" },
      el("a", { class: "button", href: resourceHref(iri) }, "Open its page"),
      node.side === "target" ? null : el("button", { type: "button", onclick: () => load(iri, depthInput.value) }, "Centre the view here")),
  );
}

function list() {
  const { nodes, target } = view;
  const label = nodes.get(target).label;
  const column = (side, title) => {
    const members = [...nodes.values()].filter((n) => n.side === side).sort((a, b) => a.steps - b.steps || a.label.localeCompare(b.label));
    return el("details", { class: "list", open: members.length <= 25 }, el("summary", {}, `${title} (${members.length})`),
      members.length ? el("ol", {}, members.map((n) => el("li", {},
        el("a", { href: resourceHref(n.iri) }, n.label), el("span", { class: "depth" }, `${localName(n.iri)} · ${n.steps} step${n.steps === 1 ? "" : "s"}`))))
        : el("p", { class: "muted" }, "Nothing."));
  };
  lists.replaceChildren(column("up", `What depends on ${label}`), column("down", `What ${label} depends on`));
}

/** The impact of the delay in the form: the obligations hit, and by how many days. */
async function impact() {
  if (!view) return;
  const params = new URLSearchParams({ target: view.target, delay: document.getElementById("delay").value.trim() || "30d" });
  if (impactMemberState.value) params.set("memberState", impactMemberState.value);
  impactResult.replaceChildren(el("p", { class: "message loading" }, "Computing the impact…"));
  let body;
  try {
    body = await fetchJSON(`/api/impact?${params}`);
  } catch (error) {
    impactResult.replaceChildren(el("p", { class: "message error" }, error.message));
    return;
  }
  const names = await labelsOf(body.hits.flatMap((h) => [h.buildingBlock, ...h.measures].filter(Boolean))).catch(() => new Map());
  const summary = el("p", {}, `Expected on ${formatDate(body.expected)}; ready on ${formatDate(body.ready)}: `,
    el("strong", {}, `${body.hits.length} obligation${body.hits.length === 1 ? "" : "s"}`), " cannot be met in time.");
  if (!body.hits.length) {
    impactResult.replaceChildren(summary);
    return;
  }
  const link = (iri) => el("a", { href: resourceHref(iri) }, names.get(iri) || localName(iri));
  impactResult.replaceChildren(summary, el("div", { class: "table-wrap" }, el("table", {},
    el("thead", {}, el("tr", {}, ["Obligation", "Due", "Days hit", "Building block", "National measures"].map((h) => el("th", { scope: "col" }, h)))),
    el("tbody", {}, body.hits.map((hit) => el("tr", {},
      el("td", {}, el("a", { href: resourceHref(hit.obligation) }, hit.label), el("span", { class: "depth" }, localName(hit.obligation))),
      el("td", {}, formatDate(hit.due)),
      el("td", { class: "days" }, `${hit.daysHit} days`),
      el("td", {}, hit.buildingBlock ? link(hit.buildingBlock) : ""),
      el("td", {}, hit.measures.length ? hit.measures.map((m, i) => [i ? ", " : "", link(m)]) : el("span", { class: "muted" }, "none"))))))));
}

function showProblem(error) {
  if (error instanceof ApiError && error.body && Array.isArray(error.body.candidates) && error.body.candidates.length) {
    say(message, [error.status === 409 ? "More than one thing answers to that name; pick one:" : "Nothing answers to that name exactly. Near:",
      candidateList(error.body.candidates, (iri) => load(iri, depthInput.value))], "error");
  } else {
    say(message, error.message, "error");
  }
}

async function fillTargets() {
  const rows = await select(`SELECT ?s ?label WHERE {
  VALUES ?type { pg:ITSystem pg:Procedure pg:Obligation }
  ?s a ?type ; rdfs:label ?label FILTER (lang(?label) = "en")
} ORDER BY DESC(?type) ?label`);
  document.getElementById("target-names").replaceChildren(...rows.map((row) => el("option", { value: localName(row.s) }, row.label)));
}

form.addEventListener("submit", (event) => {
  event.preventDefault();
  load(targetInput.value.trim(), depthInput.value);
});
impactForm.addEventListener("submit", (event) => {
  event.preventDefault();
  impact();
});
window.addEventListener("popstate", (event) => {
  const query = new URLSearchParams(location.search);
  if (view && (query.get("target") || "eurodac") === targetInput.value && (query.get("depth") || "") === depthInput.value) return;
  load(event.state?.target || query.get("target") || "eurodac", event.state?.depth || query.get("depth") || "", { push: false });
});

const query = new URLSearchParams(location.search);
fillTargets().catch(() => {});
fillMemberStates(impactMemberState, query.get("memberState")).catch(() => {});
load(query.get("target") || "eurodac", query.get("depth") || "", { push: false });
