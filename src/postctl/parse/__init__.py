"""Reading files: front matter, dates, names and slugs, reading time, links. Pure: no SQLite."""
