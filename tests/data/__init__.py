"""Test data taken from public sources (each file says where every item came from)."""
