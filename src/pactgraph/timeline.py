"""The timeline of the Pact: everything dated in the graph, in order, for the Union or one
Member State.

What counts as an entry is in the named query ``timeline`` (events, the stages of national
measures, the documents with a known sender, addressee or author, and the dates on which acts
were adopted, entered into force and apply); this module checks the options, runs the query
and returns typed entries. An entry of the Union as a whole (a Council meeting, an act that
applies) is on the timeline of every Member State.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from .catalog import load_catalog
from .store import GraphStore
from .targets import resolve_member_state


@dataclass(frozen=True)
class TimelineEntry:
    """One dated thing: when, what kind, what, the resource, and the Member State it concerns."""

    date: date
    end: date | None
    kind: str
    label: str
    item: str
    member_state: str | None  # the EU code (NL, EL); None for the Union as a whole

    def as_json(self) -> dict[str, Any]:
        return {"date": self.date.isoformat(), "endDate": self.end.isoformat() if self.end else None,
                "kind": self.kind, "label": self.label, "item": self.item, "memberState": self.member_state}


@dataclass(frozen=True)
class Timeline:
    """The entries of a timeline in date order, with the options that selected them."""

    member_state: str | None
    start: date | None
    end: date | None
    entries: tuple[TimelineEntry, ...]

    def as_json(self) -> dict[str, Any]:
        return {"memberState": self.member_state,
                "from": self.start.isoformat() if self.start else None,
                "to": self.end.isoformat() if self.end else None,
                "entries": [entry.as_json() for entry in self.entries]}


def timeline(graph: GraphStore, queries_dir: Path, *, member_state: str | None = None,
             start: date | None = None, end: date | None = None) -> Timeline:
    """The timeline, for one Member State (by ISO, EU or alpha-3 code) and a period if given.

    Raises ValueError when the Member State code is unknown or the period ends before it starts.
    """
    if start is not None and end is not None and end < start:
        raise ValueError(f"the period ends ({end}) before it starts ({start})")
    code = resolve_member_state(graph, member_state).eu_code if member_state else None
    params = {name: value for name, value in (("memberState", code),
                                               ("from", start.isoformat() if start else None),
                                               ("to", end.isoformat() if end else None)) if value is not None}
    query = load_catalog(queries_dir)["timeline"]
    entries = []
    for row in graph.query(query.render(params)):
        end_date, country = row["endDate"], row["country"]
        entries.append(TimelineEntry(date.fromisoformat(row["date"].value),
                                     date.fromisoformat(end_date.value) if end_date is not None else None,
                                     row["kind"].value, row["label"].value, row["item"].value,
                                     country.value if country is not None else None))
    return Timeline(code, start, end, tuple(entries))
