"""A bare folder of Markdown posts (the shipped ``articles/``): every Markdown file is a post,
``dir/index.md`` is named after its folder, a ``YYYY-MM-DD-`` file-name prefix dates a post
that has no ``date``. ``check`` asks for postctl's own fields: a blog without a generator has
nothing else to say what a post needs."""

from __future__ import annotations

from postctl.parse.dialects.base import Dialect

DIALECT = Dialect(
    name="plain",
    required=("title", "date", "description", "category"),
    quiet_rules=(),
)
