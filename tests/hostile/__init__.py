"""End-to-end tests over a generated hostile blog folder, and fault tests (issue 9)."""
