"""Dependency and impact analysis over the asserted ``pg:dependsOn`` edges.

Walking the asserted edges (not the materialised closure) keeps the path of every hit, so a
user sees *why* an obligation depends on Eurodac; a cycle is reported, never looped on.
"""

from __future__ import annotations

import re
from collections import defaultdict, deque
from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import Enum

from .store import GraphStore
from .vocab import DATA_GRAPH


class Direction(str, Enum):
    up = "up"  # what depends on the target
    down = "down"  # what the target depends on


@dataclass(frozen=True)
class Reached:
    """A node reached from the target, with the shortest path to it (target first)."""

    iri: str
    depth: int
    path: tuple[str, ...]


@dataclass(frozen=True)
class DependencyWalk:
    target: str
    direction: Direction
    reached: tuple[Reached, ...]
    cycles: tuple[tuple[str, ...], ...] = ()


def dependency_edges(graph: GraphStore) -> list[tuple[str, str]]:
    """Every asserted (dependent, dependency) pair."""
    rows = graph.query(f"SELECT ?a ?b WHERE {{ GRAPH <{DATA_GRAPH.value}> {{ ?a pg:dependsOn ?b }} }}")
    return [(r["a"].value, r["b"].value) for r in rows]


def walk(graph: GraphStore, target: str, direction: Direction = Direction.up, depth: int | None = None) -> DependencyWalk:
    """Breadth-first from the target along dependsOn (down) or against it (up)."""
    neighbours: dict[str, list[str]] = defaultdict(list)
    for dependent, dependency in dependency_edges(graph):
        if direction is Direction.down:
            neighbours[dependent].append(dependency)
        else:
            neighbours[dependency].append(dependent)
    reached: dict[str, Reached] = {}
    cycles: list[tuple[str, ...]] = []
    queue: deque[tuple[str, tuple[str, ...]]] = deque([(target, (target,))])
    while queue:
        node, path = queue.popleft()
        if depth is not None and len(path) - 1 >= depth:
            continue
        for nxt in sorted(neighbours[node]):
            if nxt in path:
                cycles.append(path[path.index(nxt):] + (nxt,))
                continue
            if nxt not in reached:
                reached[nxt] = Reached(nxt, len(path), path + (nxt,))
                queue.append((nxt, path + (nxt,)))
    return DependencyWalk(target, direction, tuple(sorted(reached.values(), key=lambda r: (r.depth, r.iri))),
                          tuple(dict.fromkeys(cycles)))


@dataclass(frozen=True)
class Hit:
    """An obligation that cannot be met in time because the target is late."""

    obligation: str
    label: str
    due: date
    late_by_days: int
    path: tuple[str, ...]
    procedure: str | None = None
    building_block: str | None = None
    measures: tuple[str, ...] = ()


@dataclass(frozen=True)
class Impact:
    target: str
    expected: date
    ready: date
    hits: tuple[Hit, ...]
    member_state: str | None = None
    cycles: tuple[tuple[str, ...], ...] = field(default_factory=tuple)


def expected_date(graph: GraphStore, target: str) -> date | None:
    """When the target was due: its deadline or date of application, or for an IT system the date
    of application of the act establishing it."""
    rows = list(graph.query(f"""SELECT ?d WHERE {{
        {{ <{target}> pg:deadline ?d }} UNION {{ <{target}> pg:appliesFrom ?d }}
        UNION {{ <{target}> pg:establishedBy/eli:date_applicability ?d }}
        UNION {{ <{target}> pg:governedBy/eli:date_applicability ?d }} }} ORDER BY ?d LIMIT 1"""))
    return date.fromisoformat(rows[0]["d"].value) if rows else None


def impact(graph: GraphStore, target: str, *, delay: timedelta | None = None, until: date | None = None,
           member_state: str | None = None, expected: date | None = None) -> Impact:
    """What is hit, and by how much, if ``target`` comes ``delay`` late (or only ``until``).

    ``member_state`` (a country IRI) limits the national measures shown to that Member State's.

    An obligation due on D that depends on the target cannot be met before the target is ready
    on R; it is hit when D < R, late by R - max(D, expected date of the target).
    """
    expected = expected or expected_date(graph, target)
    if expected is None:
        raise ValueError(f"<{target}> has no date to measure a delay from; give --until a date instead of --delay")
    ready = until if until is not None else expected + (delay or timedelta(0))
    walked = walk(graph, target, Direction.up)
    details = _obligation_details(graph, [r.iri for r in walked.reached], member_state)
    hits = []
    for reached in walked.reached:
        info = details.get(reached.iri)
        if info is None:
            continue
        due = date.fromisoformat(info["due"])
        if due < ready:
            late = (ready - max(due, expected)).days
            hits.append(Hit(reached.iri, info["label"], due, late, reached.path, info.get("procedure"),
                            info.get("block"), tuple(sorted(info.get("measures", ())))))
    hits.sort(key=lambda h: (h.due, h.obligation))
    return Impact(target, expected, ready, tuple(hits), member_state, walked.cycles)


def _obligation_details(graph: GraphStore, iris: list[str], member_state: str | None) -> dict[str, dict]:
    if not iris:
        return {}
    values = " ".join(f"<{iri}>" for iri in iris)
    measure_filter = "" if member_state is None else f"; pg:memberState <{member_state}>"
    rows = graph.query(f"""SELECT ?o ?label ?due ?procedure ?block ?measure WHERE {{
        VALUES ?o {{ {values} }}
        ?o a pg:Obligation ; rdfs:label ?label ; pg:appliesFrom ?applies .
        OPTIONAL {{ ?o pg:deadline ?deadline }}
        BIND (COALESCE(?deadline, ?applies) AS ?due)
        OPTIONAL {{ ?o pg:concernsProcedure ?procedure }}
        OPTIONAL {{ ?o pg:inBuildingBlock ?block }}
        OPTIONAL {{ ?measure pg:implementsObligation ?o {measure_filter} }} }}""")
    details: dict[str, dict] = {}
    for row in rows:
        entry = details.setdefault(row["o"].value, {"label": row["label"].value, "due": row["due"].value, "measures": set()})
        if row["procedure"] is not None:
            entry["procedure"] = row["procedure"].value
        if row["block"] is not None:
            entry["block"] = row["block"].value
        if row["measure"] is not None:
            entry["measures"].add(row["measure"].value)
    return details


def parse_delay(text: str) -> timedelta:
    """How late: ``30d``, ``6w``, or an ISO 8601 duration in days or weeks (``P30D``, ``P6W``).

    Raises ValueError saying what is expected.
    """
    match = re.fullmatch(r"P?(\d+)([DdWw])", text.strip())
    if not match:
        raise ValueError(f"delay {text!r}: expected a number of days or weeks such as 30d, 6w or P30D")
    amount = int(match.group(1))
    return timedelta(days=amount * (7 if match.group(2).lower() == "w" else 1))


def walk_json(result: DependencyWalk) -> dict:
    """A walk as JSON, the same for the command line and the API."""
    return {"target": result.target, "direction": result.direction.value,
            "reached": [{"iri": r.iri, "depth": r.depth, "path": list(r.path)} for r in result.reached],
            "cycles": [list(c) for c in result.cycles]}


def impact_json(result: Impact) -> dict:
    """An impact as JSON, the same for the command line and the API."""
    return {"target": result.target, "expected": result.expected.isoformat(), "ready": result.ready.isoformat(),
            "memberState": result.member_state,
            "hits": [{"obligation": h.obligation, "label": h.label, "due": h.due.isoformat(), "daysHit": h.late_by_days,
                      "procedure": h.procedure, "buildingBlock": h.building_block, "measures": list(h.measures),
                      "path": list(h.path)} for h in result.hits],
            "cycles": [list(c) for c in result.cycles]}

