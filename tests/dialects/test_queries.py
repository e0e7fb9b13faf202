"""What the dialects let a query say: instants, contains, nested keys, authors, ambiguity."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from conftest import Result

Run = Callable[..., Result]


def paths(res: Result) -> list[str]:
    assert res.exit_code == 0, res.stderr
    return res.stdout.split()


def test_newest_first_is_by_instant_not_by_text(site_copy: Callable[[str], Path], run: Run) -> None:
    site_copy("hugo")
    got = paths(run("list", "--since", "2018-04-19", "--until", "2018-04-19", "-f", "paths"))
    # 16:07+01:00 (15:07Z) is after 20:00 in Asia/Kolkata (14:30Z), after 19:45+05:30 (14:15Z)
    assert got == ["content/posts/second.md", "content/posts/naive.md", "content/posts/first.md"]
    later = paths(run("list", "-w", "date>2018-04-19T14:20:00Z", "-f", "paths", "-s", "date"))
    assert later[:2] == ["content/posts/naive.md", "content/posts/second.md"]


def test_contains_matches_each_author_and_list_item(
    site_copy: Callable[[str], Path], run: Run
) -> None:
    site_copy("hugo")
    assert paths(run("list", "-w", "author=Tim Cheung", "-f", "paths")) == [
        "content/posts/first.md"
    ]
    assert paths(run("list", "-w", "author~=cheung", "-f", "paths")) == ["content/posts/first.md"]
    assert paths(run("list", "-w", "author~=nobody", "-f", "paths")) == []
    assert paths(run("list", "-w", "tags~=red", "-f", "paths")) == [
        "content/posts/second.md",
        "content/posts/first.md",
    ]
    assert paths(run("list", "-w", "title~=CAM", "-f", "paths")) == ["content/posts/CamelCase.md"]


def test_nested_keys_and_a_front_matter_path(site_copy: Callable[[str], Path], run: Run) -> None:
    site_copy("zola")
    for cond in ("extra.release=true", "release=true"):
        assert paths(run("list", "--all", "-w", cond, "-f", "paths")) == [
            "content/blog/2024-11-26-dated-by-name.md"
        ], cond
    assert paths(run("list", "--all", "-w", "taxonomies.tags~=rus", "-f", "paths")) == [
        "content/blog/2024-11-26-dated-by-name.md"
    ]
    # the front-matter key `path` is the post's, not the file's; `file` is the file's
    assert paths(run("list", "--all", "-w", "path~=notes-page", "-f", "paths")) == [
        "content/notes/index.md"
    ]
    assert paths(run("list", "--all", "-w", "file=notes/index.md", "-f", "paths")) == [
        "content/notes/index.md"
    ]
    sorted_by = paths(run("list", "--all", "-s", "-extra.release", "-f", "paths"))
    assert sorted_by[0] == "content/blog/2024-11-26-dated-by-name.md"


def test_a_slug_shared_by_several_posts_asks_for_a_path(
    site_copy: Callable[[str], Path], run: Run
) -> None:
    site_copy("hugo")
    res = run("show", "first")
    assert res.exit_code == 2
    assert res.stderr == (
        'postctl: error: "first" names 2 posts; give one of their paths: '
        "content/about/first.md, content/posts/first.md\n"
    )
    shown = run("show", "content/posts/first.md", "-f", "json")
    assert json.loads(shown.stdout)["title"] == "First"
    by_url = run("show", "/about/first/", "-f", "json")
    assert json.loads(by_url.stdout)["title"] == "About first"


def test_contains_needs_no_value_and_lists_refuse_order(
    site_copy: Callable[[str], Path], run: Run
) -> None:
    site_copy("hugo")
    res = run("list", "-w", "tags<b")
    assert res.exit_code == 2
    assert "tags takes = or != only, or ~= (contains)" in res.stderr
