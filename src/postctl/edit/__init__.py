"""Writing files: the scaffold of a new post, and format-preserving edits of existing ones.

- :mod:`.scaffold` — ``new``: slug, template, a write that never replaces a file.
- :mod:`.splice` — one key's lines changed in the front matter's text, nothing else.
- :mod:`.atomic` — temporary file beside the post, flushed, renamed over it; hash re-checked.
- :mod:`.ops` — the pipeline every editing command shares: load, plan, diff, write, git.
- :mod:`.terms` (tags, categories, taxonomies), :mod:`.values` (``set``), :mod:`.publish`,
  :mod:`.move` (``mv``), :mod:`.fix` (``check --fix``) — what each command changes.
- :mod:`.conventions` — the one seam to the generator's conventions (aliases, drafts folders).
"""
