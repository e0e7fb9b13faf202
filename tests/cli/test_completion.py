"""Shell completion of values from the index, through Click's completion protocol: the shell
sets ``_POSTCTL_COMPLETE`` and ``COMP_WORDS``/``COMP_CWORD`` and reads one value a line."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import post_text, write
from typer.testing import CliRunner

from postctl.cli import app


def complete(words: str, instruction: str = "bash_complete") -> list[str]:
    """What bash would offer for the last word of ``words`` (a trailing space: a new word)."""
    cword = len(words.split()) - (0 if words.endswith(" ") else 1)
    env = {"_POSTCTL_COMPLETE": instruction, "COMP_WORDS": words, "COMP_CWORD": str(cword)}
    res = CliRunner().invoke(app, [], env=env, prog_name="postctl")
    assert res.exit_code == 0, res.output
    return [line for line in res.stdout.splitlines() if line]


@pytest.fixture
def site(blog: Path) -> Path:
    write(
        blog / "articles/cache-stampede.md",
        post_text(title="Cache stampede", category="Performance", tags=("redis", "caching")),
    )
    write(
        blog / "articles/kafka-lag.md",
        post_text(
            title="Kafka lag",
            category="Performance",
            tags=("kafka",),
            extra="series: war-stories\n",
        ),
    )
    write(
        blog / "articles/pgbouncer.md",
        post_text(title="PgBouncer", category="Postgres", tags=("redis", "pooling")),
    )
    return blog


def test_categories_and_tags(site: Path) -> None:
    assert complete("postctl list --category ") == ["performance", "postgres"]
    assert complete("postctl list -c postg") == ["postgres"]
    assert complete("postctl list --tag re") == ["redis"]
    assert complete("postctl stats --tag ") == ["redis", "caching", "kafka", "pooling"]


def test_show_completes_slugs(site: Path) -> None:
    assert complete("postctl show ") == ["cache-stampede", "kafka-lag", "pgbouncer"]
    assert complete("postctl show ka") == ["kafka-lag"]
    assert complete("postctl reading-time pg") == ["pgbouncer"]


def test_sort_keys_include_front_matter_keys(site: Path) -> None:
    keys = complete("postctl list --sort ")
    assert keys[:7] == ["date", "title", "words", "reading-time", "updated", "slug", "path"]
    assert "series" in keys
    assert complete("postctl list -s rea") == ["reading-time"]


def test_where_keys_and_values(site: Path) -> None:
    assert complete("postctl list --where ser") == ["series"]
    assert "reading-time" in complete("postctl list --where rea")
    assert complete("postctl list --where category=p") == [
        "category=performance",
        "category=postgres",
    ]
    assert complete("postctl list -w series=") == ["series=war-stories"]
    assert complete("postctl list -w draft=t") == ["draft=true"]


def test_global_options_after_the_subcommand_are_used(site: Path) -> None:
    write(site / "_posts/x.md", post_text(title="Elsewhere", category="Elsewhere"))
    assert complete("postctl list --content _posts --category ") == ["elsewhere"]
    assert complete("postctl --content _posts list --category ") == ["elsewhere"]


def test_typer_style_instruction_too(site: Path) -> None:
    assert complete("postctl show ka", "complete_bash") == ["kafka-lag"]


def test_no_index_and_no_content_complete_nothing_and_write_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    assert complete("postctl list --category ") == []
    assert list(tmp_path.iterdir()) == []
