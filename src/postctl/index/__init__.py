"""The SQLite index: schema (every table, one version), store (open, transactions, Index), scan
(find and parse posts), sync (write what changed), dberrors (what an sqlite3 error means),
workers (the process pool)."""
