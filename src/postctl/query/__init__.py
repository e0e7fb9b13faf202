"""Questions asked of the index: filters, listing, search, stats, reading time, readability,
check (rules and runner)."""
