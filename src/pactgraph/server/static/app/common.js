// What every page's script needs: the page data, a small DOM builder, IRIs shown short and
// linked to their resource page, and requests whose errors read as sentences.
// Text from the graph is only ever put into the page as text nodes, never as HTML.

export const pageData = JSON.parse(document.getElementById("page-data").textContent);

/** An element with attributes (on* as listeners, null skipped) and children (strings become text). */
export function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (name.startsWith("on") && typeof value === "function") node.addEventListener(name.slice(2), value);
    else if (name === "dataset") Object.assign(node.dataset, value);
    else node.setAttribute(name, value === true ? "" : String(value));
  }
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

/** `pg:Obligation` for an IRI in a known namespace, else the IRI itself. */
export function compact(iri) {
  let best = null;
  for (const [name, space] of Object.entries(pageData.prefixes)) {
    if (iri.startsWith(space) && (!best || space.length > best[1].length)) best = [name, space];
  }
  return best ? `${best[0]}:${iri.slice(best[1].length)}` : iri;
}

/** The last path segment of an IRI: `ammr-41-1`, `eurodac`. */
export function localName(iri) {
  return iri.replace(/[#/]+$/, "").split(/[#/]/).pop();
}

export function hasResourcePage(iri) {
  return pageData.resourceSpaces.some((space) => iri.startsWith(space))
    && !pageData.notResourceSpaces.some((space) => iri.startsWith(space));
}

export function resourceHref(iri) {
  return "/resource?" + new URLSearchParams({ iri });
}

/** A link to the IRI's resource page when the graph has one, else out of the graph. */
export function iriLink(iri, text) {
  const shown = text || compact(iri);
  if (hasResourcePage(iri)) return el("a", { href: resourceHref(iri), title: iri }, shown);
  if (/^https?:\/\//.test(iri)) return el("a", { href: iri, class: "external", rel: "noopener", title: iri }, shown);
  return el("code", {}, shown);
}

/** An error from the server, with its status and the message it gave. */
export class ApiError extends Error {
  constructor(status, message, body = null) {
    super(message);
    this.status = status;
    this.body = body;
  }
}

/** The server's message of a failed response: `detail` of a JSON body, or the text. */
export async function readError(response) {
  const text = await response.text();
  let body = null;
  try {
    body = JSON.parse(text);
  } catch {
    body = null;
  }
  const message = (body && typeof body.detail === "string" ? body.detail : text).trim()
    || `${response.status} ${response.statusText}`;
  return new ApiError(response.status, message, body);
}

/** GET (or fetch with options) JSON; throws ApiError with the server's message. */
export async function fetchJSON(url, options = {}) {
  let response;
  try {
    response = await fetch(url, { ...options, headers: { Accept: "application/json", ...(options.headers || {}) } });
  } catch (error) {
    throw new ApiError(0, "The server cannot be reached. Is pactgraph serve still running?");
  }
  if (!response.ok) throw await readError(response);
  return response.json();
}

/** The bindings of a SELECT query, each a map of variable to plain value. */
export async function select(query) {
  const body = await fetchJSON("/sparql", {
    method: "POST",
    headers: { "Content-Type": "application/sparql-query", Accept: "application/sparql-results+json" },
    body: query,
  });
  return body.results.bindings.map((row) => Object.fromEntries(Object.entries(row).map(([k, v]) => [k, v.value])));
}

let memberStatesOnce = null;

/** The Member States, by EU code, with their English names (asked once a page). */
export function memberStates() {
  memberStatesOnce ??= select(`SELECT ?code ?name WHERE {
  ?ms a pg:MemberState ; pg:euCountryCode ?code ; rdfs:label ?name FILTER (lang(?name) = "en")
} ORDER BY ?code`);
  return memberStatesOnce;
}

/** Fill a <select> with the Member States, keeping its first option and selecting `chosen`. */
export async function fillMemberStates(selectElement, chosen) {
  const states = await memberStates();
  for (const { code, name } of states) selectElement.append(el("option", { value: code }, `${code} ${name}`));
  if (chosen) selectElement.value = chosen.toUpperCase();
}

/** Show a message (kind: "", "error" or "loading") in a status element; empty text clears it. */
export function say(element, text, kind = "") {
  element.className = `message ${kind}`.trim();
  element.replaceChildren(...(text ? [text].flat() : []));
}

/** Candidates of an unknown or ambiguous target as buttons that pick one. */
export function candidateList(candidates, pick) {
  return el("ul", { class: "candidates" }, candidates.map(({ iri, label }) =>
    el("li", {}, el("button", { type: "button", onclick: () => pick(iri) }, label), " ", el("code", { class: "small" }, compact(iri)))));
}

export function formatDate(isoDate, options = { day: "numeric", month: "long", year: "numeric" }) {
  const [year, month, day] = isoDate.split("-").map(Number);
  return new Date(Date.UTC(year, month - 1, day)).toLocaleDateString("en-GB", { ...options, timeZone: "UTC" });
}

/** English (or untagged) labels of IRIs, as a Map; IRIs without one are left out. */
export async function labelsOf(iris) {
  const unique = [...new Set(iris)].filter((iri) => /^[^\s<>"{}|\\^`]+$/.test(iri));
  if (!unique.length) return new Map();
  const rows = await select(`SELECT ?s ?label WHERE {
  VALUES ?s { ${unique.map((iri) => `<${iri}>`).join(" ")} }
  ?s rdfs:label ?label FILTER (lang(?label) = "en" || lang(?label) = "")
}`);
  return new Map(rows.map((row) => [row.s, row.label]));
}
