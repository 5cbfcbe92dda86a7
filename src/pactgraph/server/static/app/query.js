// The query page: a SPARQL editor (CodeMirror), the named queries as examples with their
// parameters, results as a table (or Turtle), downloads, and a link that reopens the query.
//
// A named query's text comes from the server with its parameters bound
// (GET /api/queries/{name}/text), so the editor always shows exactly what runs; every query
// runs through POST /sparql.

import { ApiError, compact, el, fetchJSON, iriLink, pageData, readError } from "./common.js";

const RESULTS = "application/sparql-results+json";
const GRAPH = "text/turtle";
const SHOWN_ROWS = 1000;
/** Datatypes a value shows by itself: named in its tooltip only, not beside it. */
const OBVIOUS_TYPES = new Set(["xsd:date", "xsd:dateTime", "xsd:integer", "xsd:decimal", "xsd:boolean", "xsd:gYear"]);

const form = document.getElementById("query-form");
const textarea = document.getElementById("query");
const results = document.getElementById("results");
const exampleBox = document.getElementById("example");
const shareBox = document.getElementById("share-box");
const shareLink = document.getElementById("share-link");
const downloadTable = document.getElementById("download-table");
const downloadJson = document.getElementById("download-json");

const editor = window.CodeMirror.fromTextArea(textarea, {
  mode: "application/sparql-query",
  lineNumbers: true,
  matchBrackets: true,
  indentUnit: 2,
  lineWrapping: false,
  extraKeys: { "Ctrl-Enter": () => run(), "Cmd-Enter": () => run() },
});

/** The named query open in the editor: its name, parameter values and text as the server gave it. */
let example = null;
/** What the last run answered: "solutions", "boolean" or "graph". */
let lastKind = null;
let catalogue = null;

async function loadCatalogue() {
  catalogue ??= fetchJSON("/api/queries").then((list) => new Map(list.map((q) => [q.name, q])));
  return catalogue;
}

/** Open a named query: its description, inputs for its parameters, its text in the editor. */
async function openExample(name, values = {}) {
  const queries = await loadCatalogue();
  const info = queries.get(name);
  if (!info) {
    showError(new ApiError(404, `There is no named query '${name}'.`));
    return false;
  }
  for (const item of document.querySelectorAll("#examples li")) {
    item.classList.toggle("active", item.querySelector("a")?.dataset.example === name);
  }
  const inputs = info.parameters.map((p) => parameterInput(p, values[p.name]));
  const paramForm = el("form", { class: "params", onsubmit: (event) => { event.preventDefault(); applyParameters(true); } },
    inputs, inputs.length ? el("button", { type: "submit" }, "Run with these values") : null);
  exampleBox.replaceChildren(
    el("h2", {}, info.title),
    el("p", {}, info.description),
    paramForm,
    el("div", { id: "param-error" }),
  );
  exampleBox.hidden = false;
  results.replaceChildren();
  setDownloads(null);
  example = { name, info, values: { ...values }, text: null };
  return applyParameters(false);
}

function parameterInput(parameter, value) {
  const type = { date: "date", integer: "number", year: "number" }[parameter.type] || "text";
  const input = el("input", {
    name: parameter.name, type, value: value ?? parameter.default ?? "",
    placeholder: parameter.default ?? (parameter.type === "iri" ? "an IRI" : parameter.type),
    onchange: () => applyParameters(false),
  });
  return el("label", {}, `${parameter.name} (${parameter.type})`, input,
    parameter.description ? el("span", { class: "doc" }, parameter.description) : null);
}

/** Ask the server for the example's text with the parameters in the inputs; run it if asked. */
async function applyParameters(andRun) {
  if (!example) return false;
  const values = {};
  for (const input of exampleBox.querySelectorAll(".params input")) {
    if (input.value.trim() !== "") values[input.name] = input.value.trim();
  }
  const problem = document.getElementById("param-error");
  problem.replaceChildren();
  const url = `/api/queries/${encodeURIComponent(example.name)}/text?` + new URLSearchParams(values);
  const response = await fetch(url, { headers: { Accept: "application/sparql-query" } });
  if (!response.ok) {
    const error = await readError(response);
    problem.replaceChildren(el("div", { class: "error" }, error.message));
    return false;
  }
  example.values = values;
  example.text = withPrefixes(await response.text());
  editor.setValue(example.text);
  if (andRun) await run();
  return true;
}

/** The text with PREFIX lines for the project's prefixes it uses (the server knows them, other
 * endpoints do not), after its leading comment block. */
function withPrefixes(text) {
  const declared = new Set([...text.matchAll(/^\s*PREFIX\s+([A-Za-z][\w-]*)?:/gim)].map((m) => m[1] || ""));
  const used = Object.entries(pageData.queryPrefixes)
    .filter(([name]) => !declared.has(name) && new RegExp(`(^|[\\s(/^|,;{])${name}:`, "m").test(stripComments(text)));
  if (!used.length) return text;
  const lines = text.split("\n");
  let head = 0;
  while (head < lines.length && /^\s*#/.test(lines[head])) head += 1;
  const block = used.map(([name, iri]) => `PREFIX ${name}: <${iri}>`);
  return [...lines.slice(0, head), ...block, ...lines.slice(head)].join("\n");
}

function stripComments(text) {
  return text.split("\n").filter((line) => !/^\s*#/.test(line)).join("\n");
}

/** Run the editor's query; show the table, the boolean, or the Turtle; remember it in the URL. */
async function run() {
  const query = editor.getValue();
  clearMark();
  rememberInUrl(query);
  results.replaceChildren(el("p", { class: "message loading" }, "Running the query…"));
  setDownloads(null);
  const started = performance.now();
  let response;
  try {
    response = await fetch("/sparql", {
      method: "POST",
      headers: { "Content-Type": "application/sparql-query", Accept: `${RESULTS}, ${GRAPH};q=0.9` },
      body: query,
    });
  } catch {
    showError(new ApiError(0, "The server cannot be reached. Is pactgraph serve still running?"));
    return;
  }
  if (!response.ok) {
    showError(await readError(response));
    return;
  }
  const seconds = ((performance.now() - started) / 1000).toFixed(2);
  const cut = response.headers.get("X-SPARQL-MaxRows");
  const type = (response.headers.get("Content-Type") || "").split(";")[0].trim();
  if (type === GRAPH) {
    const text = await response.text();
    const triples = text.split("\n").filter((line) => /\s\.\s*$/.test(line)).length;
    results.replaceChildren(meta("Graph", `Turtle, ${text.length.toLocaleString("en")} characters`, seconds, cut),
      el("pre", { class: "graph-result" }, text || "# (no triples)"));
    setDownloads("graph");
    return triples;
  }
  const body = await response.json();
  if ("boolean" in body) {
    results.replaceChildren(meta("Answer", "", seconds, cut), el("p", { class: "boolean" }, body.boolean ? "true" : "false"));
    setDownloads("boolean");
    return;
  }
  renderTable(body, seconds, cut);
  setDownloads("solutions");
}

function meta(title, detail, seconds, cut) {
  return el("div", { class: "result-meta" }, el("strong", {}, title), detail ? el("span", {}, detail) : null,
    el("span", { class: "muted" }, `${seconds} s`),
    cut ? el("span", { class: "error" }, `The result was cut at ${cut} rows (the server's limit). Narrow the query.`) : null);
}

function renderTable(body, seconds, cut) {
  const vars = body.head.vars;
  const rows = body.results.bindings;
  const count = `${rows.length.toLocaleString("en")} row${rows.length === 1 ? "" : "s"}`;
  const head = el("tr", {}, el("th", { class: "n", scope: "col" }, "#"), vars.map((v) => el("th", { scope: "col" }, v)));
  const shown = rows.slice(0, SHOWN_ROWS).map((row, i) =>
    el("tr", {}, el("td", { class: "n" }, i + 1), vars.map((v) => el("td", {}, row[v] ? term(row[v]) : null))));
  const note = rows.length > SHOWN_ROWS
    ? el("p", { class: "muted" }, `The first ${SHOWN_ROWS} rows are shown; download the result for all of them.`) : null;
  results.replaceChildren(...[meta("Results", count, seconds, cut),
    rows.length ? el("div", { class: "table-wrap" }, el("table", { class: "results" }, el("thead", {}, head), el("tbody", {}, shown)))
      : el("p", { class: "message" }, "No rows: nothing in the graph matches the query."),
    note].filter(Boolean));
}

/** One RDF term of SPARQL JSON results as page content. */
function term(value) {
  if (value.type === "uri") return iriLink(value.value);
  if (value.type === "bnode") return el("code", {}, `_:${value.value}`);
  if (value.type === "triple") {
    const { subject, predicate, object } = value.value;
    return el("span", {}, "<< ", term(subject), " ", term(predicate), " ", term(object), " >>");
  }
  const datatype = value.datatype ? compact(value.datatype) : null;
  const parts = [el("span", { class: "literal", title: datatype }, value.value)];
  if (value["xml:lang"]) parts.push(el("span", { class: "lang", title: "language" }, value["xml:lang"]));
  else if (datatype && !OBVIOUS_TYPES.has(datatype)) parts.push(el("span", { class: "datatype" }, datatype));
  return parts;
}

let markedLine = null;

/** Mark the line a syntax error names ("error at 4:7"), and put the cursor there. */
function markError(message) {
  const found = /\b(\d+):(\d+)\b/.exec(message);
  if (!found) return;
  const line = Number(found[1]) - 1;
  if (line < 0 || line >= editor.lineCount()) return;
  markedLine = editor.addLineClass(line, "background", "error-line");
  editor.setCursor({ line, ch: Math.max(0, Number(found[2]) - 1) });
}

function clearMark() {
  if (markedLine !== null) editor.removeLineClass(markedLine, "background", "error-line");
  markedLine = null;
}

function showError(error) {
  if (error.status === 400) markError(error.message);
  const title = error.status === 400 ? "The query has a mistake"
    : error.status === 503 ? "The server stopped the query"
      : error.status ? `The server answered ${error.status}` : "No answer";
  results.replaceChildren(el("div", { class: "error", role: "alert" }, el("strong", {}, title), el("pre", {}, error.message)));
  setDownloads(null);
}

function setDownloads(kind) {
  lastKind = kind;
  downloadTable.disabled = downloadJson.disabled = !kind;
  downloadTable.textContent = kind === "graph" ? "Download Turtle" : "Download CSV";
  downloadJson.textContent = kind === "graph" ? "Download JSON-LD" : "Download JSON";
  downloadTable.hidden = kind === "boolean";
}

const FORMATS = {
  table: { solutions: ["text/csv", "csv"], graph: ["text/turtle", "ttl"] },
  json: { solutions: [RESULTS, "json"], boolean: [RESULTS, "json"], graph: ["application/ld+json", "jsonld"] },
};

/** Ask the server again in the chosen format and save the answer as a file. */
async function download(which) {
  const [accept, extension] = FORMATS[which][lastKind] || [];
  if (!accept) return;
  const response = await fetch("/sparql", {
    method: "POST", headers: { "Content-Type": "application/sparql-query", Accept: accept }, body: editor.getValue(),
  });
  if (!response.ok) {
    showError(await readError(response));
    return;
  }
  const blob = await response.blob();
  const url = URL.createObjectURL(blob);
  const link = el("a", { href: url, download: `${isExample() ? example.name : "query"}.${extension}` });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}

function isExample() {
  return example !== null && example.text === editor.getValue();
}

/** The address of the query: ?example=NAME&param=value for an unchanged named query, else #query=TEXT. */
function shareUrl(query) {
  const url = new URL(location.pathname, location.origin);
  if (isExample()) url.search = new URLSearchParams({ example: example.name, ...example.values }).toString();
  else url.hash = new URLSearchParams({ query }).toString();
  return url.toString();
}

function rememberInUrl(query) {
  history.replaceState(null, "", shareUrl(query));
}

async function share() {
  const link = shareUrl(editor.getValue());
  shareLink.value = link;
  shareBox.hidden = false;
  shareLink.select();
  try {
    await navigator.clipboard.writeText(link);
    shareBox.querySelector("label").firstChild.textContent = "Link copied: ";
  } catch {
    shareBox.querySelector("label").firstChild.textContent = "Link to this query: ";
  }
}

form.addEventListener("submit", (event) => {
  event.preventDefault();
  run();
});
document.getElementById("share").addEventListener("click", share);
downloadTable.addEventListener("click", () => download("table"));
downloadJson.addEventListener("click", () => download("json"));
document.getElementById("examples").addEventListener("click", async (event) => {
  const link = event.target.closest("a[data-example]");
  if (!link) return;
  event.preventDefault();
  if (await openExample(link.dataset.example)) {
    history.replaceState(null, "", shareUrl(editor.getValue()));
    exampleBox.scrollIntoView({ behavior: "smooth", block: "nearest" });
  }
});

/** Reopen what the address names: #query= or ?query= (a text), or ?example= (a named query). */
async function start() {
  const hash = new URLSearchParams(location.hash.slice(1));
  const search = new URLSearchParams(location.search);
  const text = hash.get("query") ?? search.get("query");
  if (text !== null) {
    editor.setValue(text);
    await run();
    return;
  }
  const name = search.get("example");
  if (name) {
    search.delete("example");
    if (await openExample(name, Object.fromEntries(search))) await run();
  }
}

window.pactgraph = { editor, run, openExample };
start();
