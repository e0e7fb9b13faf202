"""Tests of postctl.parse."""
