"""Named queries: one ``.rq`` file a question, with a header the catalogue reads.

Header lines (comments at the top of the file)::

    # title: Obligations that depend on a target
    # description: Every obligation that depends on the target, directly or transitively.
    # param: target iri = https://w3id.org/pactgraph/id/it-system/eurodac -- what they depend on

A query can also be a preset of another, fixing some of its parameters::

    # uses: obligations-depending-on
    # with: target = https://w3id.org/pactgraph/id/it-system/eurodac

Parameters are bound by a ``VALUES`` block of RDF terms serialized by Oxigraph, placed at
the start of the query's WHERE clause so it binds before any property path, grouping or
aggregate; the user's text is never pasted into the query. (Oxigraph's substitutions need
every parameter in the SELECT projection, and a trailing VALUES clause joins only after
aggregation.)
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, Callable, Mapping

from pyoxigraph import Literal, NamedNode, Variable

from .vocab import XSD

_HEADER = re.compile(r"^#\s*(?P<key>[a-z]+)\s*:\s*(?P<value>.*?)\s*$")
_PARAM = re.compile(r"^(?P<name>[A-Za-z_][A-Za-z0-9_]*)\s+(?P<type>[a-zA-Z]+)"
                    r"(?:\s*=\s*(?P<default>\S+))?(?:\s+--\s+(?P<doc>.*))?$")
_WITH = re.compile(r"^(?P<name>[A-Za-z_][A-Za-z0-9_]*)\s*=\s*(?P<value>\S+)$")
_IRI = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:[^\s<>\"{}|\\^`]+$")
_CELEX = re.compile(r"^[0-9CE][0-9]{4}[A-Z]{1,2}[0-9]{4}(R\([0-9]{2}\))?$")


class CatalogError(Exception):
    """A named query file is malformed."""


class UnknownQueryError(KeyError):
    """No named query has that name."""


class QueryParameterError(ValueError):
    """A parameter value is missing, unknown or of the wrong type."""

    def __init__(self, name: str, value: str | None, reason: str):
        self.name, self.value, self.reason = name, value, reason
        shown = "" if value is None else f" {value!r}"
        super().__init__(f"parameter '{name}'{shown}: {reason}")


def _iri(value: str) -> NamedNode:
    if not _IRI.match(value):
        raise ValueError("expected an absolute IRI such as https://w3id.org/pactgraph/id/it-system/eurodac")
    return NamedNode(value)


def _date(value: str) -> Literal:
    try:
        return Literal(date.fromisoformat(value).isoformat(), datatype=NamedNode(XSD + "date"))
    except ValueError:
        raise ValueError("expected a date YYYY-MM-DD") from None


def _integer(value: str) -> Literal:
    if not re.fullmatch(r"[+-]?[0-9]+", value):
        raise ValueError("expected a whole number")
    return Literal(str(int(value)), datatype=NamedNode(XSD + "integer"))


def _year(value: str) -> Literal:
    if not re.fullmatch(r"[0-9]{4}", value):
        raise ValueError("expected a year YYYY")
    return Literal(value, datatype=NamedNode(XSD + "gYear"))


def _celex(value: str) -> Literal:
    if not _CELEX.match(value):
        raise ValueError("expected a CELEX number such as 32024R1358")
    return Literal(value)


def _code(value: str) -> Literal:
    if not re.fullmatch(r"[A-Za-z]{2,3}", value):
        raise ValueError("expected a two- or three-letter country code such as NL, EL, GR or NLD")
    return Literal(value.upper())


def _string(value: str) -> Literal:
    return Literal(value)


#: Parameter types: name -> converter from text to an RDF term (raises ValueError).
PARAMETER_TYPES: dict[str, Callable[[str], Any]] = {
    "iri": _iri, "date": _date, "integer": _integer, "year": _year,
    "celex": _celex, "country": _code, "string": _string,
}


@dataclass(frozen=True)
class Parameter:
    name: str
    type: str
    default: str | None = None
    description: str = ""

    def bind(self, value: str) -> Any:
        try:
            return PARAMETER_TYPES[self.type](value)
        except ValueError as error:
            raise QueryParameterError(self.name, value, str(error)) from None


@dataclass(frozen=True)
class NamedQuery:
    name: str
    title: str
    description: str
    text: str
    all_parameters: tuple[Parameter, ...] = ()
    fixed: Mapping[str, str] = field(default_factory=dict)

    @property
    def parameters(self) -> tuple[Parameter, ...]:
        """The parameters a user may set (a preset's fixed ones are not among them)."""
        return tuple(p for p in self.all_parameters if p.name not in self.fixed)

    def bindings(self, given: Mapping[str, str]) -> dict[Variable, Any]:
        """Substitutions for the given parameter values, defaults and fixed values filled in.

        Raises QueryParameterError for an unknown parameter or a value of the wrong type.
        """
        settable = {p.name for p in self.parameters}
        for name in given:
            if name not in settable:
                raise QueryParameterError(name, given[name], f"not a parameter of '{self.name}' "
                                          f"(it takes: {', '.join(sorted(settable)) or 'none'})")
        values = {**{p.name: p.default for p in self.all_parameters if p.default is not None}, **given, **self.fixed}
        return {Variable(p.name): p.bind(values[p.name]) for p in self.all_parameters if p.name in values}

    def render(self, given: Mapping[str, str]) -> str:
        """The query text with the parameters bound; a parameter without value stays unbound."""
        return bind_values(self.text, self.bindings(given))


_WHERE = re.compile(r"\bWHERE\s*\{", re.IGNORECASE)
_SERVICE = re.compile(r"\bSERVICE\s+(?:SILENT\s+)?<[^>]*>\s*\{", re.IGNORECASE)


def bind_values(text: str, bindings: Mapping[Variable, Any]) -> str:
    """Insert ``VALUES (?a ?b) { (term term) }`` as the first pattern of the WHERE clause, and of
    every SERVICE block: Oxigraph sends a SERVICE pattern to the remote endpoint without the
    local bindings, so the parameters must travel inside it."""
    if not bindings:
        return text
    masked = _mask_comment_lines(text)
    where = _WHERE.search(masked)
    if where is None:
        raise CatalogError("a query with parameters needs a 'WHERE {' clause to bind them in")
    names = " ".join(str(v) for v in bindings)
    terms = " ".join(str(t) for t in bindings.values())
    block = f"\n  VALUES ({names}) {{ ({terms}) }}"
    for end in sorted([m.end() for m in _SERVICE.finditer(masked)] + [where.end()], reverse=True):
        text = text[:end] + block + text[end:]
    return text


def _mask_comment_lines(text: str) -> str:
    """The text with whole-line comments blanked (same length), so a header cannot match."""
    return re.sub(r"(?m)^[ \t]*#.*$", lambda m: " " * len(m.group(0)), text)


def load_catalog(queries_dir: Path) -> dict[str, NamedQuery]:
    """All named queries of a folder, by name (the file name without ``.rq``).

    Raises CatalogError naming the file and the line it cannot read.
    """
    parsed = {path.stem: _parse(path) for path in sorted(queries_dir.glob("*.rq"))}
    catalog: dict[str, NamedQuery] = {}
    for name, (header, text) in parsed.items():
        title, description = _one(name, header, "title"), _one(name, header, "description")
        uses = header.get("uses")
        if not uses:
            catalog[name] = NamedQuery(name, title, description, text, _params(name, header))
            continue
        base = uses[0]
        if base not in parsed or parsed[base][0].get("uses"):
            raise CatalogError(f"{name}.rq uses '{base}', which is not a plain named query")
        base_header, base_text = parsed[base]
        base_params = _params(base, base_header)
        fixed = dict(_with(name, line) for line in header.get("with", []))
        unknown = set(fixed) - {p.name for p in base_params}
        if unknown:
            raise CatalogError(f"{name}.rq fixes unknown parameter(s) {sorted(unknown)} of '{base}'")
        for param in base_params:
            if param.name in fixed:
                try:
                    param.bind(fixed[param.name])
                except QueryParameterError as error:
                    raise CatalogError(f"{name}.rq: {error}") from None
        catalog[name] = NamedQuery(name, title, description, base_text, base_params, fixed)
    return catalog


def _parse(path: Path) -> tuple[dict[str, list[str]], str]:
    text = path.read_text(encoding="utf-8")
    header: dict[str, list[str]] = {}
    for line in text.splitlines():
        if not line.startswith("#"):
            if line.strip():
                break
            continue
        match = _HEADER.match(line)
        if match:
            header.setdefault(match["key"], []).append(match["value"])
    return header, text


def _one(name: str, header: dict[str, list[str]], key: str) -> str:
    values = header.get(key)
    if not values:
        raise CatalogError(f"{name}.rq has no '# {key}:' line")
    return " ".join(values)


def _params(name: str, header: dict[str, list[str]]) -> tuple[Parameter, ...]:
    params = []
    for line in header.get("param", []):
        match = _PARAM.match(line)
        if not match or match["type"] not in PARAMETER_TYPES:
            raise CatalogError(f"{name}.rq: cannot read '# param: {line}'; expected "
                               f"'NAME TYPE [= DEFAULT] [-- description]' with TYPE one of {sorted(PARAMETER_TYPES)}")
        param = Parameter(match["name"], match["type"], match["default"], match["doc"] or "")
        if param.default is not None:
            try:
                param.bind(param.default)
            except QueryParameterError as error:
                raise CatalogError(f"{name}.rq: default of {error}") from None
        params.append(param)
    return tuple(params)


def _with(name: str, line: str) -> tuple[str, str]:
    match = _WITH.match(line)
    if not match:
        raise CatalogError(f"{name}.rq: cannot read '# with: {line}'; expected 'NAME = VALUE'")
    return match["name"], match["value"]


def get_query(catalog: Mapping[str, NamedQuery], name: str) -> NamedQuery:
    try:
        return catalog[name]
    except KeyError:
        raise UnknownQueryError(f"no named query '{name}'; known: {', '.join(sorted(catalog))}") from None
