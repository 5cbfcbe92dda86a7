"""The HTTP face of pactgraph: a FastAPI app over the same library the CLI uses."""
