"""The SQLite index: schema, store, scan, sync, the worker pool."""
