"""Readers and writers at the edges: problem/solution JSON (the CLI contract) and Chao's TOP files."""
