"""SERVICE calls to other SPARQL endpoints: which a query makes, which are allowed, and where
an endpoint is really reached (tests point the Publications Office's Cellar at a local server).

A query may call out only to endpoints on the allowlist, so the graph's endpoint cannot be
turned against other hosts. The allowlist holds the Cellar endpoint by default.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Mapping

CELLAR_SPARQL = "https://publications.europa.eu/webapi/rdf/sparql"

_STRINGS = re.compile(r'"""(?:[^"\\]|\\.|"(?!""))*"""|\'\'\'(?:[^\'\\]|\\.|\'(?!\'\'))*\'\'\'|"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\'')
_COMMENTS = re.compile(r"(?m)^[ \t]*#.*$")
_SERVICE = re.compile(r"\bSERVICE\s+(?:SILENT\s+)?(?P<target><[^>]*>|[?$][A-Za-z_][A-Za-z0-9_]*|[A-Za-z0-9_.-]*:[A-Za-z0-9_.-]*)",
                      re.IGNORECASE)


class ServiceNotAllowedError(PermissionError):
    """The query calls an endpoint that is not on the allowlist."""


def _mask(text: str) -> str:
    """The query with strings and whole-line comments blanked, offsets kept."""
    blank = lambda m: " " * len(m.group(0))  # noqa: E731
    return _COMMENTS.sub(blank, _STRINGS.sub(blank, text))


def services(text: str) -> list[str]:
    """The endpoints a query calls: IRIs without brackets; a variable or prefixed name as written."""
    return [m["target"].strip("<>") for m in _SERVICE.finditer(_mask(text))]


@dataclass(frozen=True)
class ServicePolicy:
    """Which endpoints a query may call, and where each is reached."""

    allowlist: frozenset[str] = frozenset({CELLAR_SPARQL})
    redirects: Mapping[str, str] = field(default_factory=dict)

    def apply(self, text: str) -> str:
        """The query, checked against the allowlist and with its SERVICE IRIs redirected.

        Raises ServiceNotAllowedError naming the endpoint that is not allowed.
        """
        masked = _mask(text)
        pieces, last = [], 0
        for match in _SERVICE.finditer(masked):
            target = match["target"]
            iri = target[1:-1] if target.startswith("<") else None
            if iri is None or iri not in self.allowlist:
                allowed = ", ".join(sorted(self.allowlist)) or "none"
                raise ServiceNotAllowedError(f"SERVICE {target} is not allowed; endpoints allowed: {allowed}")
            if iri in self.redirects:
                start = match.start("target")
                pieces += [text[last:start], f"<{self.redirects[iri]}>"]
                last = match.end("target")
        return "".join(pieces) + text[last:]
