"""Tests of postctl.query."""
