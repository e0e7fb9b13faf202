"""Tests of postctl.cli."""
