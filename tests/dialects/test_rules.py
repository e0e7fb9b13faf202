"""The dialect rules one by one: detection, co-authors, dates from names and paths."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from postctl.errors import ConfigError
from postctl.parse.dialects import detect, find_site, load_site, people
from postctl.parse.dialects.reading import lenient_date
from postctl.parse.post import parse_text


@pytest.mark.parametrize(
    ("files", "expected"),
    [
        ({"_config.yml": "title: x\n"}, "jekyll"),
        ({"hugo.toml": ""}, "hugo"),
        ({"hugo.yaml": ""}, "hugo"),
        ({"config/_default/hugo.toml": "", "content/a.md": ""}, "hugo"),
        ({"config.toml": 'baseURL = "x"\n', "content/a.md": ""}, "hugo"),
        ({"config.toml": 'base_url = "x"\n'}, "zola"),
        ({"zola.toml": 'base_url = "x"\n'}, "zola"),
        ({"eleventy.config.js": ""}, "eleventy"),
        ({".eleventy.js": ""}, "eleventy"),
        ({"astro.config.mjs": ""}, "astro"),
        ({"config.toml": 'baseURL = "x"\n'}, None),  # no content/: not taken for Hugo's
        ({"articles/a.md": ""}, None),
    ],
)
def test_detect(tmp_path: Path, files: dict[str, str], expected: str | None) -> None:
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text)
    found = detect(tmp_path)
    assert (found.name if found else None) == expected


def test_find_site_walks_up_but_not_out_of_the_repository(tmp_path: Path) -> None:
    (tmp_path / "hugo.toml").write_text("")
    repo = tmp_path / "repo"
    (repo / ".git").mkdir(parents=True)
    (repo / "content" / "posts").mkdir(parents=True)
    assert find_site(repo / "content" / "posts") is None  # the site root is outside the repo
    (repo / "hugo.toml").write_text("")
    assert find_site(repo / "content" / "posts") == repo


def test_config_names_the_dialect(tmp_path: Path) -> None:
    (tmp_path / "_config.yml").write_text("")
    assert load_site(tmp_path, "plain").name == "plain"
    with pytest.raises(ConfigError, match='unknown dialect "gatsby"'):
        load_site(tmp_path, "gatsby")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("Ana Lopez and Tim Cheung", ["Ana Lopez", "Tim Cheung"]),
        ("Ana Lopez, Tim Cheung & Bo Li", ["Ana Lopez", "Tim Cheung", "Bo Li"]),
        ("Cheung, Tim", ["Cheung, Tim"]),  # "last, first": one person
        ("Rock and Roll", ["Rock and Roll"]),  # one-word parts: not a list of people
        (["Ana", {"name": "Bo Li"}], ["Ana", "Bo Li"]),
        (None, []),
    ],
)
def test_co_authors_split_only_where_clear(value: object, expected: list[str]) -> None:
    assert people(value) == expected


def test_ruby_time_parse_reads_a_date_amid_words() -> None:
    when = lenient_date("2023-01-29 18:30:22 2023 -0800")
    assert when == dt.datetime(2023, 1, 29, 18, 30, 22, tzinfo=dt.timezone(dt.timedelta(hours=-8)))
    assert lenient_date("soon") is None


def test_day_00_in_a_file_name_is_the_month() -> None:
    post = parse_text("2018-04-00-kubernetes-news.md", "---\ntitle: x\n---\n")
    assert (post.slug, post.date) == ("kubernetes-news", "2018-04-01")


def test_milliseconds_are_kept_and_offsets_become_instants() -> None:
    post = parse_text("a.md", "---\ndate: 2018-04-19T19:45:15.250+05:30\n---\n")
    assert post.date == "2018-04-19T19:45:15.250+05:30"
    assert post.date_key == "2018-04-19T14:15:15.250000Z"
    assert parse_text("b.md", "---\ndate: 2018-04-19\n---\n").date_key == "2018-04-19"


def test_a_bundle_is_named_after_its_folder() -> None:
    assert parse_text("posts/my-trip/index.md", "---\ntitle: x\n---\n").slug == "my-trip"


def test_publish_and_unpublish_paths_for_the_edit_commands(tmp_path: Path) -> None:
    from postctl.parse.dialects import published_path, unpublished_path

    (tmp_path / "_config.yml").write_text("")
    jekyll = load_site(tmp_path)
    day = dt.date(2024, 2, 3)
    assert published_path(jekyll, "_drafts/my-post.md", day) == "_posts/2024-02-03-my-post.md"
    assert published_path(jekyll, "news/_drafts/x.markdown", day) == (
        "news/_posts/2024-02-03-x.markdown"
    )
    assert (
        unpublished_path(jekyll, "news/_posts/2024-02-03-x.markdown") == "news/_drafts/x.markdown"
    )
    hugo_root = tmp_path / "h"
    hugo_root.mkdir()
    (hugo_root / "hugo.toml").write_text("")
    hugo = load_site(hugo_root)
    assert published_path(hugo, "posts/a.md", day) == "posts/a.md"
    assert unpublished_path(hugo, "posts/a.md") == "posts/a.md"
