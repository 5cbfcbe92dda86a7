"""The completeness report as a terminal table, JSON, CSV (the gap list), an HTML page with a
heat map (Member States x building blocks) and the gap list, or the heat map as PNG."""

from __future__ import annotations

import csv
import io
import json
from enum import Enum
from html import escape

from rich.table import Table

from .completeness import NO_BLOCK, CompletenessReport


class CompletenessFormat(str, Enum):
    table = "table"
    json = "json"
    csv = "csv"
    html = "html"
    png = "png"


def _block_name(report: CompletenessReport, block: int) -> str:
    return "no building block" if block == NO_BLOCK else f"{block}. {report.blocks.get(block, '')}"


def completeness_table(report: CompletenessReport) -> Table:
    blocks = _columns(report)
    table = Table("MS", *(str(b) if b else "–" for b in blocks), "gaps",
                  caption="covered/needed per building block (– = no building block); no data = no national measure in the graph")
    for state in report.member_states:
        if not state.has_data:
            table.add_row(state.code, *(["no data"] + [""] * (len(blocks) - 1) if blocks else []), "")
            continue
        cells = state.cells()
        table.add_row(state.code,
                      *(f"{cells[b].covered}/{cells[b].needed}" if b in cells else "" for b in blocks), str(len(state.gaps)))
    return table


def _columns(report: CompletenessReport) -> list[int]:
    used = {b for s in report.member_states for b in s.cells()}
    return sorted(set(report.blocks) | used)


def completeness_json(report: CompletenessReport) -> str:
    body = {
        "buildingBlocks": {str(k): v for k, v in sorted(report.blocks.items())},
        "memberStates": [
            {
                "code": s.code, "name": s.name, "hasData": s.has_data,
                "blocks": {str(b): {"needed": c.needed, "covered": c.covered} for b, c in s.cells().items()},
                "gaps": [{"obligation": g.obligation, "provision": g.provision, "label": g.label,
                          "buildingBlock": g.block or None, "due": g.due, "measures": list(g.measures), "gap": g.gap}
                         for g in s.gaps],
            }
            for s in report.member_states
        ],
    }
    return json.dumps(body, indent=2, ensure_ascii=False) + "\n"


def completeness_csv(report: CompletenessReport) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["member_state", "building_block", "obligation", "provision", "due", "measures", "gap"])
    for state in report.member_states:
        if not state.has_data:
            writer.writerow([state.code, "", "", "", "", "", "no data"])
        for g in state.gaps:
            writer.writerow([state.code, g.block or "", g.obligation, g.provision, g.due, " ".join(g.measures), g.gap])
    return buffer.getvalue()


def _colour(share: float | None) -> str:
    if share is None:
        return "#eeeeee"
    red, green = int(220 * (1 - share) + 40 * share), int(60 * (1 - share) + 170 * share)
    return f"rgb({red},{green},70)"


def completeness_html(report: CompletenessReport) -> str:
    blocks = _columns(report)
    head = "".join(f"<th title='{escape(_block_name(report, b))}'>{b or '–'}</th>" for b in blocks)
    rows = []
    for state in report.member_states:
        cells = state.cells()
        if not state.has_data:
            tds = f"<td class='nodata' colspan='{len(blocks)}'>no data</td>"
        else:
            tds = "".join(
                f"<td style='background:{_colour(cells[b].share)}' title='{escape(_block_name(report, b))}'>"
                f"{cells[b].covered}/{cells[b].needed}</td>" if b in cells else "<td></td>" for b in blocks)
        rows.append(f"<tr><th scope='row'>{escape(state.code)} {escape(state.name)}</th>{tds}</tr>")
    gaps = []
    for state in report.member_states:
        for g in state.gaps:
            gaps.append(f"<tr><td>{escape(state.code)}</td><td>{escape(_block_name(report, g.block))}</td>"
                        f"<td><a href='{escape(g.obligation)}'>{escape(g.provision)}</a> {escape(g.label)}</td>"
                        f"<td>{escape(g.due)}</td><td>{escape(g.gap)}</td></tr>")
    legend = "".join(f"<li>{b}. {escape(n)}</li>" for b, n in sorted(report.blocks.items()))
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Implementation completeness</title>
<style>body{{font-family:system-ui,sans-serif;margin:2em}}table{{border-collapse:collapse}}
td,th{{border:1px solid #ccc;padding:.3em .6em;text-align:center}}td.nodata{{color:#777;background:#eee}}
table.gaps td{{text-align:left}}</style></head><body>
<h1>Implementation completeness</h1>
<p>Obligations that need a national measure, covered by a complete measure, per Member State and building
block of the Common Implementation Plan. "no data": no national measure of that Member State is in the graph.</p>
<table class="heatmap"><thead><tr><th>Member State</th>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>
<ol class="blocks">{legend}</ol>
<h2>Gaps</h2>
<table class="gaps"><thead><tr><th>Member State</th><th>Building block</th><th>Obligation</th><th>Due</th><th>Gap</th></tr></thead>
<tbody>{''.join(gaps)}</tbody></table>
</body></html>
"""


def completeness_png(report: CompletenessReport) -> bytes:
    """The heat map as a PNG picture (grey: no data; red to green: share covered)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import numpy as np

    blocks = _columns(report)
    grid = np.full((len(report.member_states), len(blocks)), np.nan)
    for i, state in enumerate(report.member_states):
        cells = state.cells()
        for j, block in enumerate(blocks):
            if block in cells and cells[block].share is not None:
                grid[i, j] = cells[block].share
    figure, axes = plt.subplots(figsize=(1.2 + 0.6 * len(blocks), 0.8 + 0.3 * len(report.member_states)))
    colours = matplotlib.colormaps["RdYlGn"].with_extremes(bad="#dddddd")
    image = axes.imshow(np.ma.masked_invalid(grid), cmap=colours, vmin=0, vmax=1, aspect="auto")
    axes.set_xticks(range(len(blocks)), [str(b) if b else "–" for b in blocks])
    axes.set_yticks(range(len(report.member_states)),
                    [s.code + ("" if s.has_data else " (no data)") for s in report.member_states])
    axes.set_xlabel("building block")
    figure.colorbar(image, ax=axes, label="share of obligations covered")
    buffer = io.BytesIO()
    figure.tight_layout()
    figure.savefig(buffer, format="png", dpi=110)
    plt.close(figure)
    return buffer.getvalue()
