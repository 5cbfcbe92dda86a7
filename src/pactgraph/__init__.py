"""pactgraph: a knowledge graph of the EU Pact on Migration and Asylum."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("pactgraph")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0"
