"""The README and docs/*.md stay true: every command is documented, every shown output is real,
every link between them leads somewhere, and the README stays short.

A block written as

    <!-- output: postctl list --category performance -->
    ```text
    ...
    ```

is checked against what the command prints now (over the shipped ``articles/``, 100 columns, no
colour), in the README and in every ``docs/*.md``; ``<!-- terminal: postctl ... -->`` blocks the
same, drawn as on a terminal (``TTY_COMPATIBLE=1``, no pager). Run ``POSTCTL_UPDATE_DOCS=1 pytest
tests/test_docs.py`` to rewrite the blocks after a deliberate change, then read the diff.
"""

from __future__ import annotations

import os
import re
import shlex
import sqlite3
from pathlib import Path

import click
import pytest
import typer
from typer.testing import CliRunner

from postctl.cli import app

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
DOCS = sorted((ROOT / "docs").glob("*.md"))
PAGES = [README, *DOCS]
BLOCK = re.compile(r"<!-- (output|terminal): (postctl [^>]*?) -->\n```text\n(.*?)```\n", re.DOTALL)
LINK = re.compile(r"\]\(([^)\s]+)\)")
README_MAX_BYTES = 10 * 1024


def _run(command: str, db: Path, kind: str = "output") -> str:
    args = shlex.split(command)[1:]
    runner = CliRunner()
    env = {"COLUMNS": "100", "NO_COLOR": "1", "TERM": "dumb", "POSTCTL_DB": str(db)}
    if kind == "terminal":  # (rich draws a dumb terminal 80 columns wide: xterm, no colour)
        env.update({"TTY_COMPATIBLE": "1", "POSTCTL_PAGER": "", "TERM": "xterm"})
        args.append("--no-color")
    cwd = os.getcwd()
    os.chdir(ROOT)
    try:
        res = runner.invoke(app, args, env=env, catch_exceptions=False)
    finally:
        os.chdir(cwd)
    if kind == "terminal":  # a terminal shows no trailing spaces; a document should not hold them
        return "".join(line.rstrip() + "\n" for line in res.stdout.splitlines())
    return res.stdout


def test_readme_opens_with_the_two_commands() -> None:
    text = README.read_text()
    head = text[:1500]
    assert "pip install -e . && postctl list --category performance" in head
    assert "pip install -e '.[test]' && pytest" in head
    assert (ROOT / ".ci/run").read_text().count("pip install -e '.[test]' && pytest") == 1


def command_names() -> list[str]:
    """Every command of the app, loading the lazily registered ones (cli.COMMAND_HOME)."""
    group = typer.main.get_command(app)
    with click.Context(group) as ctx:
        names = sorted(group.list_commands(ctx))  # type: ignore[attr-defined]
    assert len(names) > 5
    return names


def test_every_command_is_documented() -> None:
    text = README.read_text()
    names = command_names()
    missing = [n for n in names if f"postctl {n}" not in text]
    assert missing == []


def test_every_command_has_its_section_in_docs() -> None:
    text = (ROOT / "docs/commands.md").read_text()
    headings = re.findall(r"^## `postctl ([a-z-]+)", text, re.M)
    headings += re.findall(r"^## `postctl [a-z-]+` and `postctl ([a-z-]+)`", text, re.M)
    assert sorted(set(headings)) == command_names()


def test_the_readme_is_short_and_links_every_document() -> None:
    text = README.read_text()
    assert len(text.encode("utf-8")) <= README_MAX_BYTES
    linked = {target.split("#")[0] for target in LINK.findall(text)}
    assert {f"docs/{doc.name}" for doc in DOCS} <= linked


def _anchors(text: str) -> set[str]:
    """GitHub's heading anchors: lower case, punctuation dropped, spaces to hyphens."""
    headings = []
    fenced = False
    for line in text.splitlines():
        if line.startswith("```"):
            fenced = not fenced
        elif not fenced and line.startswith("#"):
            headings.append(line.lstrip("#").strip())
    return {re.sub(r"[^\w\- ]", "", h.lower()).replace(" ", "-") for h in headings}


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_links_lead_to_files_and_headings_that_exist(page: Path) -> None:
    prose = re.sub(r"^```.*?^```$", "", page.read_text(), flags=re.M | re.S)
    prose = re.sub(r"`[^`\n]*`", "", prose)  # `[t](x)` in a code span is an example
    for target in LINK.findall(prose):
        if "://" in target or target.startswith("mailto:"):
            continue
        path, _, anchor = target.partition("#")
        dest = (page.parent / path).resolve() if path else page
        assert dest.exists(), f"{page.name}: {target}"
        if anchor and dest.suffix == ".md":
            assert anchor in _anchors(dest.read_text()), f"{page.name}: {target}"


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_outputs_shown_are_real(page: Path, tmp_path: Path) -> None:
    text = page.read_text()
    blocks = BLOCK.findall(text)
    if page == README:
        assert blocks, "the README shows no command output"
    db = tmp_path / "index.db"
    if os.environ.get("POSTCTL_UPDATE_DOCS"):
        new = BLOCK.sub(
            lambda m: (
                f"<!-- {m.group(1)}: {m.group(2)} -->\n```text\n"
                f"{_run(m.group(2), db, m.group(1))}```\n"
            ),
            text,
        )
        page.write_text(new)
        pytest.skip(f"{page.name}: outputs rewritten")
    for kind, command, shown in blocks:
        assert _run(command, db, kind) == shown, f"{page.name}: {command}"


def test_docs_show_real_output() -> None:
    """The reference pages with command output carry checked blocks, not pasted text."""
    for name in ("commands.md", "check.md"):
        assert BLOCK.search((ROOT / "docs" / name).read_text()), name


def test_the_index_page_names_every_table_view_and_column(tmp_path: Path) -> None:
    """docs/index.md describes the schema a user opens with sqlite3: every table and view, and
    every column of every table (the FTS5 table's own shadow tables aside)."""
    db = tmp_path / "index.db"
    _run("postctl search pool --limit 1", db)  # fills every table, the full-text ones too
    _run("postctl check", db)
    _run("postctl stats --format json", db)
    text = (ROOT / "docs/index.md").read_text()
    conn = sqlite3.connect(db)
    try:
        names = [
            name
            for (name,) in conn.execute(
                "SELECT name FROM sqlite_master WHERE type IN ('table', 'view') "
                "AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'post_text_fts_%'"
            )
        ]
        assert names
        for name in names:
            assert f"`{name}`" in text, name
            for column in (row[1] for row in conn.execute(f'PRAGMA table_info("{name}")')):
                assert f"`{column}`" in text or name.endswith("_fts"), (name, column)
    finally:
        conn.close()
