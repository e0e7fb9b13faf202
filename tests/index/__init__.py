"""Tests of postctl.index."""
