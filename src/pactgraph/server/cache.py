"""Answers of the published graph, kept and validated by ETag.

A published build never changes, so the same query over it always gets the same answer: the
answer can be kept, and its ETag can be known before the query runs. The tag names the build
and a digest of everything the answer depends on (query text, dataset, format, row cap), so a
client's ``If-None-Match`` gets 304 without the query being run at all, and a new build (served
after a restart) changes every tag.

Not everything is kept: answers of the scratch store (it changes), queries that call a remote
``SERVICE`` (the remote side may change) or a function whose value differs per call (``NOW``,
``RAND``, ``UUID``, ``STRUUID``, ``BNODE``). Tags are weak (``W/``): the same answer may travel
gzipped or not.

The cache is bounded by the bytes of the bodies it holds and forgets the least recently used
answer first; an answer larger than a tenth of the bound is never kept.
"""

from __future__ import annotations

import hashlib
import re
import threading
from collections import OrderedDict
from dataclasses import dataclass

from .jobs import Answer, Dataset

#: Words that make a query's answer differ between runs over the same graph.
UNSTABLE = re.compile(r"\b(SERVICE|NOW|RAND|UUID|STRUUID|BNODE)\b", re.IGNORECASE)


def is_stable(text: str) -> bool:
    """Whether the query's answer depends on the graph alone (conservatively: a word in a
    literal or comment counts too, which only costs a cache miss)."""
    return UNSTABLE.search(text) is None


@dataclass(frozen=True)
class CacheKey:
    """Everything an answer depends on besides the graph."""

    text: str
    dataset: Dataset | None
    result_media: str | None
    graph_media: str | None
    max_rows: int

    def digest(self) -> str:
        parts = [self.text, repr(self.dataset), self.result_media or "", self.graph_media or "", str(self.max_rows)]
        return hashlib.blake2b("\x00".join(parts).encode("utf-8"), digest_size=16).hexdigest()


def matches(if_none_match: str | None, tag: str) -> bool:
    """Weak comparison of ``If-None-Match`` with ``tag`` (RFC 9110, 13.1.2)."""
    if not if_none_match:
        return False
    wanted = tag.removeprefix("W/")
    return any(given.strip() == "*" or given.strip().removeprefix("W/") == wanted
               for given in if_none_match.split(","))


class AnswerCache:
    """Answers by request digest for one build; thread-safe."""

    def __init__(self, build: str, max_bytes: int):
        self.build = build
        self.max_bytes = max_bytes
        self._answers: OrderedDict[str, Answer] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()

    def tag(self, digest: str) -> str:
        return f'W/"{self.build}-{digest}"'

    def get(self, digest: str) -> Answer | None:
        with self._lock:
            answer = self._answers.get(digest)
            if answer is not None:
                self._answers.move_to_end(digest)
            return answer

    def put(self, digest: str, answer: Answer) -> None:
        size = len(answer.body)
        if size > self.max_bytes // 10:
            return
        with self._lock:
            if digest in self._answers:
                return
            self._answers[digest] = answer
            self._bytes += size
            while self._bytes > self.max_bytes:
                _, dropped = self._answers.popitem(last=False)
                self._bytes -= len(dropped.body)

    def __len__(self) -> int:
        return len(self._answers)
