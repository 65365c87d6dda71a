"""The tests: unit/ per code package, e2e/ with real servers, data/ for the knowledge base and held-out sets,
support/ for the harness they share (tests/README.md has the map)."""
