"""Questions asked of the index: filters, listing, search, stats, readability, check."""
