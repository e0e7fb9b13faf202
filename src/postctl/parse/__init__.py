"""Reading files: front matter, dates, names and slugs, reading time, links, and where each
front-matter key sits in the text (spans, for edits). Pure: no SQLite."""
