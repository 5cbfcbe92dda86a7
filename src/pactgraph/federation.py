"""SERVICE calls to other SPARQL endpoints: which a query makes, which are allowed, and where
an endpoint is really reached (tests point the Publications Office's Cellar at a local server).

A query may call out only to endpoints on the allowlist, so the graph's endpoint cannot be
turned against other hosts. The allowlist holds the Cellar endpoint by default.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Mapping

from .sparql_text import mask

CELLAR_SPARQL = "https://publications.europa.eu/webapi/rdf/sparql"

#: The SERVICE keyword (not part of a name such as ``?service`` or ``ex:service``) and its
#: target, read in the masked text: whitespace may be absent (``SERVICE<iri>``) and comments
#: are blanked. Whatever follows that is not an IRI is taken whole, so that it is refused.
_SERVICE = re.compile(r"(?<![\w:?$-])SERVICE\b(?:\s*SILENT\b)?\s*(?P<target><[^>]*>|[^\s{]*)", re.IGNORECASE)


class ServiceNotAllowedError(PermissionError):
    """The query calls an endpoint that is not on the allowlist."""


def _targets(text: str) -> list[tuple[str, int, int]]:
    """Each SERVICE target as written in ``text`` (an IRI with its brackets, a variable or a
    prefixed name), with its offsets. The text is read with its strings, comments and the
    inside of IRIs blanked (``sparql_text.mask``), so that a quote inside an IRI or a comment
    between the keyword and its target cannot hide a call."""
    return [(text[m.start("target"):m.end("target")], m.start("target"), m.end("target"))
            for m in _SERVICE.finditer(mask(text))]


def services(text: str) -> list[str]:
    """The endpoints a query calls: IRIs without brackets; a variable or prefixed name as written."""
    return [target.strip("<>") for target, _, _ in _targets(text)]


@dataclass(frozen=True)
class ServicePolicy:
    """Which endpoints a query may call, and where each is reached."""

    allowlist: frozenset[str] = frozenset({CELLAR_SPARQL})
    redirects: Mapping[str, str] = field(default_factory=dict)

    def apply(self, text: str) -> str:
        """The query, checked against the allowlist and with its SERVICE IRIs redirected.

        Raises ServiceNotAllowedError naming the endpoint that is not allowed.
        """
        pieces, last = [], 0
        for target, start, end in _targets(text):
            iri = target[1:-1] if target.startswith("<") and target.endswith(">") else None
            if iri is None or iri not in self.allowlist:
                allowed = ", ".join(sorted(self.allowlist)) or "none"
                raise ServiceNotAllowedError(f"SERVICE {target} is not allowed; endpoints allowed: {allowed}")
            if iri in self.redirects:
                pieces += [text[last:start], f"<{self.redirects[iri]}>"]
                last = end
        return "".join(pieces) + text[last:]
