"""Tests of postctl.edit."""
