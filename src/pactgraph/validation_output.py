"""A validation report for people (text, table) and for programs (JSON, Turtle)."""

from __future__ import annotations

import json
from enum import Enum
from itertools import groupby

from rich.table import Table

from .reasoning import ConsistencyCheck
from .results import show
from .validation import ValidationReport
from pyoxigraph import NamedNode


class ReportFormat(str, Enum):
    text = "text"
    table = "table"
    turtle = "turtle"
    json = "json"


def _short(iri: str | None) -> str:
    return "" if not iri else show(NamedNode(iri)) if "://" in iri else iri


def report_text(report: ValidationReport, ontology: ConsistencyCheck | None = None) -> str:
    """Results grouped by severity and shape, each with focus, path, value, message and source rows."""
    lines = []
    if ontology is not None:
        lines.append(f"ontology: {ontology.message} ({ontology.reasoner})")
    verdict = "conforms" if report.conforms else "does not conform"
    lines.append(f"graph {verdict}: {len(report.violations)} violation(s), {len(report.warnings)} warning(s); "
                 f"{report.shapes} shapes in {report.seconds:.2f} s")
    for (severity, shape), group in groupby(report.results, key=lambda r: (r.severity, r.source_shape)):
        group = list(group)
        lines.append("")
        lines.append(f"{severity} {_short(shape)} ({len(group)})")
        for result in group:
            lines.append(f"  {_short(result.focus)}"
                         + (f"  path {_short(result.path)}" if result.path else "")
                         + (f"  value {_short(result.value)}" if result.value is not None else ""))
            lines.append(f"    {result.message}")
            for row in result.source_rows:
                file, _, line = row.partition("#row=")
                lines.append(f"    from {file}, row {line}")
    return "\n".join(lines) + "\n"


def report_table(report: ValidationReport) -> Table:
    table = Table("severity", "shape", "focus", "path", "value", "message", "source rows",
                  caption=f"{len(report.violations)} violation(s), {len(report.warnings)} warning(s)")
    for r in report.results:
        table.add_row(r.severity, _short(r.source_shape), _short(r.focus), _short(r.path), _short(r.value),
                      r.message, ", ".join(r.source_rows))
    return table


def report_json(report: ValidationReport, ontology: ConsistencyCheck | None = None) -> str:
    body = {
        "conforms": report.conforms,
        "violations": len(report.violations),
        "warnings": len(report.warnings),
        "shapes": report.shapes,
        "seconds": round(report.seconds, 3),
        "results": [
            {"severity": r.severity, "sourceShape": r.source_shape, "sourceConstraintComponent": r.constraint,
             "focusNode": r.focus, "resultPath": r.path, "value": r.value, "message": r.message,
             "sourceRows": list(r.source_rows)}
            for r in report.results
        ],
    }
    if ontology is not None:
        body["ontology"] = {"reasoner": ontology.reasoner, "consistent": ontology.consistent, "message": ontology.message}
    return json.dumps(body, indent=2, ensure_ascii=False) + "\n"


def report_turtle(report: ValidationReport) -> str:
    """The W3C sh:ValidationReport graph as pySHACL made it."""
    return report.graph.serialize(format="turtle")
