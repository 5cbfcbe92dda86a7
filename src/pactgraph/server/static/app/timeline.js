// The timeline from GET /api/timeline: entries grouped by year and month, a marker for today,
// and buttons that show or hide each family of entries (acts, events, national measures,
// documents).

import { el, fillMemberStates, formatDate, resourceHref, say } from "./common.js";

const form = document.getElementById("filter");
const chooser = document.getElementById("member-state");
const fromInput = document.getElementById("from");
const toInput = document.getElementById("to");
const message = document.getElementById("message");
const kindsBox = document.getElementById("kinds");
const list = document.getElementById("timeline");

const MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
  "November", "December"];
const hidden = new Set();

const CATEGORIES = { act: "acts", event: "events", national: "national measures", document: "documents", other: "other" };

/** The family of a kind of entry, which gives its colour and its filter button. */
function category(kind) {
  if (/^act /.test(kind)) return "act";
  if (/^stage of a national measure|submission by a Member State/.test(kind)) return "national";
  if (/meeting|deadline|incident/i.test(kind)) return "event";
  if (/letter|question|report|research|document/i.test(kind)) return "document";
  return "other";
}

function filters() {
  const params = new URLSearchParams();
  if (chooser.value) params.set("memberState", chooser.value);
  if (fromInput.value) params.set("from", fromInput.value);
  if (toInput.value) params.set("to", toInput.value);
  return params;
}

async function load() {
  const params = filters();
  say(message, "Reading the timeline…", "loading");
  let body;
  try {
    const response = await fetch(`/api/timeline?${params}`, { headers: { Accept: "application/json" } });
    body = await response.json();
    if (!response.ok) throw new Error(typeof body.detail === "string" ? body.detail : `the server answered ${response.status}`);
  } catch (error) {
    say(message, error.message, "error");
    list.replaceChildren();
    return;
  }
  const scope = body.memberState ? `the Union and ${body.memberState}` : "the Union and all Member States";
  const period = body.from || body.to ? `, ${body.from ? `from ${formatDate(body.from)}` : ""}${body.from && body.to ? " " : ""}${body.to ? `to ${formatDate(body.to)}` : ""}` : "";
  say(message, `${body.entries.length} dated entr${body.entries.length === 1 ? "y" : "ies"} for ${scope}${period}.`);
  renderKinds(body.entries);
  render(body.entries);
}

function renderKinds(entries) {
  const kinds = new Map();
  for (const entry of entries) {
    const family = category(entry.kind);
    if (!kinds.has(family)) kinds.set(family, new Set());
    kinds.get(family).add(entry.kind);
  }
  const count = (family) => entries.filter((entry) => category(entry.kind) === family).length;
  kindsBox.replaceChildren(...Object.keys(CATEGORIES).filter((family) => kinds.has(family)).map((family) => el("button", {
    type: "button", class: `cat-${family}`, "aria-pressed": String(!hidden.has(family)), title: [...kinds.get(family)].join("; "),
    onclick: (event) => {
      if (hidden.has(family)) hidden.delete(family);
      else hidden.add(family);
      event.currentTarget.setAttribute("aria-pressed", String(!hidden.has(family)));
      for (const item of list.querySelectorAll("li.entry")) item.hidden = hidden.has(item.dataset.family);
    },
  }, el("span", { class: "dot" }), `${CATEGORIES[family]} (${count(family)})`)));
}

function render(entries) {
  const today = new Date().toISOString().slice(0, 10);
  let todayShown = false;
  const years = new Map();
  for (const entry of entries) {
    const [year, month] = entry.date.split("-");
    if (!years.has(year)) years.set(year, new Map());
    const months = years.get(year);
    if (!months.has(month)) months.set(month, []);
    months.get(month).push(entry);
  }
  const todayMarker = () => el("li", { class: "today" }, `Today, ${formatDate(today)}`);
  const sections = [];
  for (const [year, months] of years) {
    const monthSections = [];
    for (const [month, items] of months) {
      const entriesHtml = [];
      for (const entry of items) {
        if (!todayShown && entry.date > today) {
          entriesHtml.push(todayMarker());
          todayShown = true;
        }
        entriesHtml.push(entryItem(entry));
      }
      monthSections.push(el("section", { class: "month" }, el("h3", {}, MONTHS[Number(month) - 1]), el("ol", {}, entriesHtml)));
    }
    sections.push(el("section", { class: "year", id: `year-${year}` }, el("h2", {}, year), monthSections));
  }
  if (!entries.length) sections.push(el("p", { class: "muted" }, "Nothing dated in this period."));
  else if (!todayShown && today > entries[entries.length - 1].date && (!toInput.value || toInput.value >= today)) {
    sections.push(el("ol", { class: "after" }, todayMarker()));
  }
  list.replaceChildren(...sections);
}

function entryItem(entry) {
  const when = entry.endDate && entry.endDate !== entry.date
    ? `${formatDate(entry.date, { day: "numeric", month: "short" })} – ${formatDate(entry.endDate, { day: "numeric", month: "short" })}`
    : formatDate(entry.date, { day: "numeric", month: "short" });
  const family = category(entry.kind);
  return el("li", { class: `entry cat-${family}`, dataset: { family }, hidden: hidden.has(family) },
    el("time", { datetime: entry.date }, when),
    el("span", { class: "kind" }, entry.kind),
    entry.memberState ? el("span", { class: "ms", title: "Member State" }, entry.memberState) : null,
    el("a", { class: "what", href: resourceHref(entry.item) }, entry.label));
}

form.addEventListener("submit", (event) => {
  event.preventDefault();
  const params = filters();
  history.pushState(null, "", params.toString() ? `?${params}` : location.pathname);
  shown = location.search;
  load();
});
let shown = location.search;
window.addEventListener("popstate", () => {
  if (location.search === shown) return; // only the fragment changed
  shown = location.search;
  readUrl();
  load();
});

function readUrl() {
  const query = new URLSearchParams(location.search);
  chooser.value = (query.get("memberState") || "").toUpperCase();
  fromInput.value = query.get("from") || "";
  toInput.value = query.get("to") || "";
}

const initial = new URLSearchParams(location.search);
fromInput.value = initial.get("from") || "";
toInput.value = initial.get("to") || "";
fillMemberStates(chooser, initial.get("memberState")).catch(() => {}).finally(load);
