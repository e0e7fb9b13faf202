"""Views: terminal (the only rich importer) and machine formats (no rich)."""
