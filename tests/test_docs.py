"""The README stays true: every command is documented, and every shown output is real.

A block written as

    <!-- output: postctl list --category performance -->
    ```text
    ...
    ```

is checked against what the command prints now (over the shipped ``articles/``, 100 columns, no
colour). Run ``POSTCTL_UPDATE_DOCS=1 pytest tests/test_docs.py`` to rewrite the blocks after a
deliberate change, then read the diff.
"""

from __future__ import annotations

import os
import re
import shlex
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from postctl.cli import app

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
BLOCK = re.compile(r"<!-- output: (postctl [^>]*?) -->\n```text\n(.*?)```\n", re.DOTALL)


def _run(command: str, db: Path) -> str:
    args = shlex.split(command)[1:]
    runner = CliRunner()
    env = {"COLUMNS": "100", "NO_COLOR": "1", "TERM": "dumb", "POSTCTL_DB": str(db)}
    cwd = os.getcwd()
    os.chdir(ROOT)
    try:
        res = runner.invoke(app, args, env=env, catch_exceptions=False)
    finally:
        os.chdir(cwd)
    return res.stdout


def test_readme_opens_with_the_two_commands() -> None:
    text = README.read_text()
    head = text[:1500]
    assert "pip install -e . && postctl list --category performance" in head
    assert "pip install -e '.[test]' && pytest" in head
    assert (ROOT / ".ci/run").read_text().count("pip install -e '.[test]' && pytest") == 1


def test_every_command_is_documented() -> None:
    text = README.read_text()
    group = typer.main.get_command(app)
    names = sorted(group.commands)  # type: ignore[attr-defined]
    missing = [n for n in names if f"postctl {n}" not in text]
    assert missing == []


def test_outputs_shown_in_the_readme_are_real(tmp_path: Path) -> None:
    text = README.read_text()
    blocks = BLOCK.findall(text)
    assert blocks, "the README shows no command output"
    db = tmp_path / "index.db"
    if os.environ.get("POSTCTL_UPDATE_DOCS"):
        new = BLOCK.sub(
            lambda m: f"<!-- output: {m.group(1)} -->\n```text\n{_run(m.group(1), db)}```\n", text
        )
        README.write_text(new)
        pytest.skip("README outputs rewritten")
    for command, shown in blocks:
        assert _run(command, db) == shown, command
