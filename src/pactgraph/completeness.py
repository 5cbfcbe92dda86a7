"""Completeness of national implementation: per Member State and building block, which
obligations that need a national measure have one, and what is missing.

The rules are in the named query ``implementation-gaps``; this module runs it for each
Member State and counts. A Member State with no measure in the graph has *no data*: it is
reported as such, never as complete.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from .catalog import load_catalog
from .store import GraphStore
from .targets import resolve_member_state

NO_BLOCK = 0


@dataclass(frozen=True)
class ObligationStatus:
    """One obligation for one Member State: the best measure it has, or the gap."""

    obligation: str
    provision: str
    label: str
    block: int
    due: str
    measures: tuple[str, ...]
    gap: str  # "" when a measure covers it completely


@dataclass(frozen=True)
class Cell:
    needed: int = 0
    covered: int = 0

    @property
    def share(self) -> float | None:
        return None if self.needed == 0 else self.covered / self.needed


@dataclass(frozen=True)
class MemberStateCompleteness:
    code: str
    name: str
    has_data: bool
    obligations: tuple[ObligationStatus, ...] = ()

    @property
    def gaps(self) -> tuple[ObligationStatus, ...]:
        return tuple(o for o in self.obligations if o.gap)

    def cells(self) -> dict[int, Cell]:
        counts: dict[int, list[int]] = defaultdict(lambda: [0, 0])
        for status in self.obligations:
            counts[status.block][0] += 1
            counts[status.block][1] += 0 if status.gap else 1
        return {block: Cell(*values) for block, values in sorted(counts.items())}


@dataclass(frozen=True)
class CompletenessReport:
    blocks: dict[int, str]
    member_states: tuple[MemberStateCompleteness, ...] = field(default_factory=tuple)


_GAP_ORDER = ["", "date after the obligation applies", "no date", "no responsible organisation", "no measure"]


def completeness(graph: GraphStore, queries_dir: Path, member_state: str | None = None) -> CompletenessReport:
    """The completeness of every Member State (or of one, by any of its codes).

    Raises ValueError for a code no Member State has.
    """
    query = load_catalog(queries_dir)["implementation-gaps"]
    blocks = {int(r["n"].value): r["label"].value for r in graph.query(
        "SELECT ?n ?label WHERE { ?b a pg:BuildingBlock ; pg:blockNumber ?n ; rdfs:label ?label FILTER(lang(?label)='en') }")}
    only = "" if member_state is None else f"FILTER (?ms = <{resolve_member_state(graph, member_state).iri}>)"
    states = list(graph.query(f"""SELECT ?ms ?code ?eu ?name WHERE {{ ?ms a pg:MemberState ; skos:notation ?code ;
        pg:euCountryCode ?eu ; rdfs:label ?name FILTER(lang(?name)='en') {only} }} ORDER BY ?eu"""))
    # The named query answers nothing for a Member State without measures, but only after about half a
    # second of work each: ask it only for those that have one.
    with_measures = {r["ms"].value for r in graph.query(
        "SELECT DISTINCT ?ms WHERE { ?m pg:memberState ?ms ; a/rdfs:subClassOf* pg:NationalMeasure }")}
    result = []
    for state in states:
        rows = list(graph.query(query.render({"memberState": state["code"].value}))) \
            if state["ms"].value in with_measures else []
        result.append(MemberStateCompleteness(state["eu"].value, state["name"].value, bool(rows), _by_obligation(rows)))
    return CompletenessReport(blocks, tuple(result))


def _by_obligation(rows: list) -> tuple[ObligationStatus, ...]:
    grouped: dict[str, list] = defaultdict(list)
    for row in rows:
        grouped[row["obligation"].value].append(row)
    statuses = []
    for obligation, group in grouped.items():
        first = group[0]
        best = min((r["gap"].value for r in group), key=_GAP_ORDER.index)
        measures = tuple(sorted({r["measure"].value for r in group if r["measure"] is not None}))
        block = int(first["blockNumber"].value) if first["blockNumber"] is not None else NO_BLOCK
        statuses.append(ObligationStatus(obligation, first["provision"].value, first["label"].value, block,
                                         first["due"].value, measures, best))
    return tuple(sorted(statuses, key=lambda s: (s.block, s.obligation)))
