// The completeness heat map from GET /api/completeness: a row a Member State, a column a
// building block, each cell coloured by the share of obligations covered and linking to the
// list of its gaps below.

import { el, fillMemberStates, formatDate, localName, resourceHref, say } from "./common.js";

const form = document.getElementById("filter");
const chooser = document.getElementById("member-state");
const message = document.getElementById("message");
const heatmap = document.getElementById("heatmap");
const blocksList = document.getElementById("blocks");
const gapsSection = document.getElementById("gaps");
const csvLink = document.getElementById("download-csv");

/** Red (nothing covered) through yellow to green (all covered). */
function colour(share) {
  return `hsl(${Math.round(share * 120)} ${share === 1 ? 55 : 70}% ${share === 1 ? 78 : 80}%)`;
}

function blockName(blocks, number) {
  return number === "0" ? "no building block" : `${number}. ${blocks[number] || ""}`;
}

async function load(memberState) {
  const query = memberState ? `?memberState=${encodeURIComponent(memberState)}` : "";
  csvLink.href = `/api/completeness${query ? `${query}&` : "?"}format=csv`;
  say(message, memberState ? `Computing the report for ${memberState}…`
    : "Computing the report for every Member State (this takes a few seconds)…", "loading");
  heatmap.replaceChildren();
  gapsSection.replaceChildren();
  let report;
  try {
    const response = await fetch(`/api/completeness${query}`, { headers: { Accept: "application/json" } });
    report = await response.json();
    if (!response.ok) throw new Error(report.detail || `the server answered ${response.status}`);
  } catch (error) {
    say(message, error.message, "error");
    return;
  }
  say(message, "");
  render(report);
}

function render(report) {
  const blocks = report.buildingBlocks;
  const used = new Set(report.memberStates.flatMap((s) => Object.keys(s.blocks)));
  const columns = [...new Set([...Object.keys(blocks), ...used])].sort((a, b) => (Number(a) || 99) - (Number(b) || 99));
  const head = el("tr", {}, el("th", { scope: "col" }, "Member State"),
    columns.map((b) => el("th", { scope: "col", title: blockName(blocks, b) }, b === "0" ? "–" : b)),
    el("th", { scope: "col", title: "Obligations without a complete national measure" }, "Gaps"));
  const rows = report.memberStates.map((state) => {
    const name = el("th", { scope: "row" }, el("strong", {}, state.code), " ", state.name);
    if (!state.hasData) {
      return el("tr", { class: "nodata" }, name, el("td", { class: "nodata", colspan: columns.length }, "no data"), el("td", {}, ""));
    }
    const cells = columns.map((b) => {
      const cell = state.blocks[b];
      if (!cell) return el("td", {}, "");
      const share = cell.covered / cell.needed;
      const title = `${blockName(blocks, b)}: ${cell.covered} of ${cell.needed} obligations covered (${Math.round(share * 100)}%)`;
      return el("td", { style: `background:${colour(share)}` },
        el("a", { href: `#gaps-${state.code}-${b}`, title }, `${cell.covered}/${cell.needed}`));
    });
    return el("tr", {}, name, cells, el("td", { class: "total" }, String(state.gaps.length)));
  });
  heatmap.replaceChildren(
    el("table", { class: "heatmap" }, el("thead", {}, head), el("tbody", {}, rows)),
    el("div", { class: "scale" }, "covered:", el("span", {}, "0%"), el("span", { class: "bar" }), el("span", {}, "100%"),
      el("span", { class: "nodata" }), "no national measure in the graph"),
  );
  blocksList.replaceChildren(el("h2", {}, "Building blocks"),
    el("ol", { class: "blocks" }, Object.entries(blocks).map(([n, name]) => el("li", { value: n }, name))));
  renderGaps(report, blocks);
  if (location.hash) document.getElementById(location.hash.slice(1))?.scrollIntoView();
}

function renderGaps(report, blocks) {
  const parts = [el("h2", {}, "Gaps")];
  const withGaps = report.memberStates.filter((s) => s.gaps.length);
  if (!withGaps.length) parts.push(el("p", { class: "muted" }, "No gaps among the Member States with data."));
  for (const state of withGaps) {
    parts.push(el("h3", { id: `gaps-${state.code}` }, `${state.code} ${state.name}: ${state.gaps.length} gap${state.gaps.length === 1 ? "" : "s"}`));
    const byBlock = new Map();
    for (const gap of state.gaps) {
      const key = String(gap.buildingBlock ?? 0);
      if (!byBlock.has(key)) byBlock.set(key, []);
      byBlock.get(key).push(gap);
    }
    for (const [block, gaps] of [...byBlock].sort((a, b) => (Number(a[0]) || 99) - (Number(b[0]) || 99))) {
      parts.push(el("section", { class: "gap-block", id: `gaps-${state.code}-${block}` },
        el("h4", {}, blockName(blocks, block)),
        el("table", {},
          el("thead", {}, el("tr", {}, ["Provision", "Obligation", "Due", "Gap", "National measures"].map((h) => el("th", { scope: "col" }, h)))),
          el("tbody", {}, gaps.map((gap) => el("tr", {},
            el("td", {}, el("code", {}, gap.provision)),
            el("td", {}, el("a", { href: resourceHref(gap.obligation) }, gap.label)),
            el("td", {}, formatDate(gap.due, { day: "numeric", month: "short", year: "numeric" })),
            el("td", {}, el("span", { class: gap.gap.startsWith("date after") ? "gap late" : "gap" }, gap.gap)),
            el("td", {}, gap.measures.map((m, i) => [i ? ", " : "", el("a", { href: resourceHref(m) }, localName(m))]))))))));
    }
  }
  gapsSection.replaceChildren(...parts);
}

form.addEventListener("submit", (event) => {
  event.preventDefault();
  const memberState = chooser.value;
  history.pushState({ memberState }, "", memberState ? `?memberState=${encodeURIComponent(memberState)}` : location.pathname);
  shown = location.search;
  load(memberState);
});
let shown = location.search;
window.addEventListener("popstate", () => {
  if (location.search === shown) return; // a link to a list of gaps in this page, not another report
  shown = location.search;
  const memberState = new URLSearchParams(location.search).get("memberState") || "";
  chooser.value = memberState;
  load(memberState);
});

const chosen = new URLSearchParams(location.search).get("memberState") || "";
fillMemberStates(chooser, chosen).catch(() => {});
load(chosen);
