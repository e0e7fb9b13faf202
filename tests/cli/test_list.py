"""`postctl list`, `categories` and `tags`: exact output for each format, filters and misses."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import Result, bump_mtime, post_text, write

Run = Callable[..., Result]


@pytest.fixture
def small_blog(blog: Path) -> Path:
    write(
        blog / "articles/pooling.md",
        post_text(
            "Connection Pooling",
            "2025-12-19",
            tags=("postgresql", "latency"),
            description="Why a pool in front of PostgreSQL keeps it alive under load.",
            body="word " * 500,
        ),
    )
    write(
        blog / "articles/sharding.md",
        post_text(
            "Database Sharding",
            "2025-12-19",
            tags=("postgresql",),
            description="Splitting one big table across machines.",
            body="word " * 240,
            extra="series: scale\nlevel: 3\n",
        ),
    )
    write(
        blog / "articles/stampede.md",
        post_text(
            "Cache Stampede",
            "2026-02-10",
            tags=("redis", "latency"),
            description="One expiring key, four thousand queries.",
            body="word " * 100,
            extra="level: 5\n",
        ),
    )
    write(
        blog / "articles/cafe.md",
        post_text(
            "Café Ops",
            "2024-05-01",
            category="Opérations",
            tags=("Redis",),
            description="Accents in category names.",
        ),
    )
    write(
        blog / "articles/draft.md",
        post_text("Unfinished", "2026-03-01", extra="draft: true\n"),
    )
    return blog


CARDS = """\
Performance
3 articles on Performance.

Cache Stampede
One expiring key, four thousand queries.
February 10, 2026 · 1 min read

Connection Pooling
Why a pool in front of PostgreSQL keeps it alive under load.
December 19, 2025 · 3 min read

Database Sharding
Splitting one big table across machines.
December 19, 2025 · 2 min read
"""


def test_cards_for_a_category(small_blog: Path, run: Run) -> None:
    res = run("list", "--category", "performance")
    assert res.exit_code == 0, res.stderr
    assert res.stdout == CARDS
    assert res.stderr == ""


def test_category_match_ignores_case_and_accents(small_blog: Path, run: Run) -> None:
    res = run("list", "--category", "operations", "--format", "paths")
    assert res.stdout == "articles/cafe.md\n"
    res = run("list", "-c", "OPÉRATIONS", "-f", "paths")
    assert res.stdout == "articles/cafe.md\n"


def test_wraps_descriptions_to_the_width(small_blog: Path, run: Run) -> None:
    res = run("list", "-c", "performance", "--limit", "2", env={"COLUMNS": "30"})
    assert res.stdout.splitlines()[:9] == [
        "Performance",
        "Showing 2 of 3 articles on",
        "Performance.",
        "",
        "Cache Stampede",
        "One expiring key, four",
        "thousand queries.",
        "February 10, 2026 · 1 min read",
        "",
    ]


ON_A_TERMINAL = {"TTY_COMPATIBLE": "1"}  # rich's convention: draw as on a terminal


def test_table_format(small_blog: Path, run: Run) -> None:
    res = run("list", "--format", "table", env=ON_A_TERMINAL)
    assert res.stdout.splitlines() == [
        "Date        Title               Categories   Tags                 Min",
        "2026-02-10  Cache Stampede      Performance  redis, latency         1",
        "2025-12-19  Connection Pooling  Performance  postgresql, latency    3",
        "2025-12-19  Database Sharding   Performance  postgresql             2",
        "2024-05-01  Café Ops            Opérations   Redis                  1",
    ]
    # piped: one tab-separated line per row, no header, as gh prints
    res = run("list", "--format", "table")
    assert res.stdout.splitlines() == [
        "2026-02-10\tCache Stampede\tPerformance\tredis, latency\t1",
        "2025-12-19\tConnection Pooling\tPerformance\tpostgresql, latency\t3",
        "2025-12-19\tDatabase Sharding\tPerformance\tpostgresql\t2",
        "2024-05-01\tCafé Ops\tOpérations\tRedis\t1",
    ]


def test_json_format_has_the_documented_fields(small_blog: Path, run: Run) -> None:
    res = run("list", "-c", "performance", "--sort", "title", "-f", "json")
    data = json.loads(res.stdout)
    assert [d["title"] for d in data] == [
        "Cache Stampede",
        "Connection Pooling",
        "Database Sharding",
    ]
    assert data[2] == {
        "path": "articles/sharding.md",
        "slug": "sharding",
        "title": "Database Sharding",
        "date": "2025-12-19",
        "updated": None,
        "description": "Splitting one big table across machines.",
        "categories": ["Performance"],
        "tags": ["postgresql"],
        "draft": False,
        "author": None,
        "words": 240,
        "reading_minutes": 2,
        "extra": {"series": "scale", "level": 3},
    }


def test_jsonl_csv_and_paths(small_blog: Path, run: Run) -> None:
    res = run("list", "-t", "redis", "-f", "jsonl")
    lines = res.stdout.splitlines()
    assert [json.loads(x)["slug"] for x in lines] == ["stampede", "cafe"]
    res = run("list", "-t", "redis", "-f", "csv")
    assert res.stdout.splitlines() == [
        "path,slug,title,date,updated,description,categories,tags,draft,author,words,"
        "reading_minutes,extra",
        "articles/stampede.md,stampede,Cache Stampede,2026-02-10,,"
        'One expiring key, four thousand queries.,"[""Performance""]",'
        '"[""redis"", ""latency""]",false,,100,1,"{""level"": 5}"'.replace(
            "One expiring key, four thousand queries.", '"One expiring key, four thousand queries."'
        ),
        "articles/cafe.md,cafe,Café Ops,2024-05-01,,Accents in category names.,"
        '"[""Opérations""]","[""Redis""]",false,,5,1,{}',
    ]
    res = run("list", "-t", "redis", "-f", "paths", "-0")
    assert res.stdout == "articles/stampede.md\0articles/cafe.md\0"


def test_piped_output_has_no_ansi(small_blog: Path, run: Run) -> None:
    res = run("list", env={"NO_COLOR": "", "TERM": "xterm-256color"})
    assert "\x1b[" not in res.stdout


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--tag", "postgresql", "--tag", "latency"], ["pooling"]),
        (["--where", "series=scale"], ["sharding"]),
        (["--where", "series!=scale"], ["stampede", "pooling", "cafe"]),
        (["--where", "level>3"], ["stampede"]),
        (["--where", "level<=3"], ["sharding"]),
        (["--where", "level"], ["stampede", "sharding"]),
        (["--where", "words>200"], ["pooling", "sharding"]),
        (["--where", "date<2025-01-01"], ["cafe"]),
        (["--where", "tags=latency"], ["stampede", "pooling"]),
        (["--since", "2025-12-19"], ["stampede", "pooling", "sharding"]),
        (["--until", "2025-12-19"], ["pooling", "sharding", "cafe"]),
        (["--since", "2025-01-01", "--until", "2025-12-31"], ["pooling", "sharding"]),
        (["--drafts"], ["draft"]),
        (["--all", "--limit", "2"], ["draft", "stampede"]),
        (["--sort", "words"], ["cafe", "stampede", "sharding", "pooling"]),
        (["--sort", "-reading-time"], ["pooling", "sharding", "stampede", "cafe"]),
        (["--sort", "title"], ["stampede", "cafe", "pooling", "sharding"]),
        (["--sort", "-level"], ["stampede", "sharding", "cafe", "pooling"]),
        (["--sort", "date"], ["cafe", "pooling", "sharding", "stampede"]),
    ],
)
def test_filters_and_sorts(
    small_blog: Path, run: Run, args: list[str], expected: list[str]
) -> None:
    res = run("list", *args, "-f", "jsonl")
    assert res.exit_code == 0, res.stderr
    assert [json.loads(x)["slug"] for x in res.stdout.splitlines()] == expected


def test_unknown_category_suggests_the_closest(small_blog: Path, run: Run) -> None:
    res = run("list", "--category", "perfomance")
    assert res.exit_code == 1
    assert res.stdout == ""
    assert res.stderr == 'postctl: error: no category "perfomance"; did you mean "performance"?\n'


def test_unknown_tag(small_blog: Path, run: Run) -> None:
    res = run("list", "--tag", "rediss")
    assert res.exit_code == 1
    assert res.stderr == 'postctl: error: no tag "rediss"; did you mean "redis"?\n'
    res = run("list", "--tag", "kubernetes")
    assert res.stderr == 'postctl: error: no tag "kubernetes"\n'


def test_valid_filter_with_nothing_says_so(small_blog: Path, run: Run) -> None:
    res = run("list", "--category", "performance", "--since", "2030-01-01")
    assert res.exit_code == 0
    assert res.stdout == ""
    assert res.stderr == (
        "postctl: warning: no posts match: no articles on Performance, since 2030-01-01.\n"
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--since", "yesterday"], "--since 'yesterday': not a date (use YYYY-MM-DD)"),
        (
            ["--where", "=x"],
            "--where '=x': expected KEY=VALUE, KEY!=VALUE, KEY<VALUE, KEY>VALUE or KEY",
        ),
        (["--drafts", "--all"], "--drafts and --all exclude each other"),
        (["-0", "-f", "json"], "-0/--null goes with --format paths"),
    ],
)
def test_usage_errors(small_blog: Path, run: Run, args: list[str], message: str) -> None:
    res = run("list", *args)
    assert res.exit_code == 2
    assert res.stderr == f"postctl: error: {message}\n"


def test_listing_sees_an_edit_made_a_moment_ago(small_blog: Path, run: Run) -> None:
    run("list")
    path = small_blog / "articles/stampede.md"
    write(path, path.read_text().replace("Cache Stampede", "Thundering Herd"))
    bump_mtime(path)
    res = run("list", "-c", "performance", "-f", "paths", "--sort", "title")
    assert res.stdout.splitlines()[-1] == "articles/stampede.md"


def test_categories_and_tags(small_blog: Path, run: Run) -> None:
    res = run("categories", env=ON_A_TERMINAL)
    assert res.stdout.splitlines() == [
        "Category     Posts",
        "Performance      3",
        "Opérations       1",
    ]
    assert run("categories").stdout == "Performance\t3\nOpérations\t1\n"
    res = run("tags", "-f", "csv")
    assert res.stdout.splitlines() == [
        "name,slug,posts",
        "latency,latency,2",
        "postgresql,postgresql,2",
        "redis,redis,2",  # the spelling most posts use, drafts included
    ]
    res = run("tags", "-c", "performance", "-f", "json")
    assert json.loads(res.stdout)[0] == {"name": "latency", "slug": "latency", "posts": 2}


def test_index_command_reports_changes_and_skips(small_blog: Path, run: Run) -> None:
    write(small_blog / "articles/broken.md", "---\ntitle: x\n")
    res = run("index")
    assert res.exit_code == 0
    assert res.stdout.startswith("+6 ~0 -0  5 posts indexed, 1 skipped (.postctl/index.db, ")
    assert res.stderr == (
        "postctl: warning: skipped articles/broken.md:1:1: "
        "front matter opened with '---' is never closed\n"
    )
    res = run("index", "--strict")
    assert res.exit_code == 1
    assert res.stdout.startswith("+0 ~0 -0  5 posts indexed, 1 skipped")
    res = run("index", "--rebuild", "-f", "json")
    data = json.loads(res.stdout)
    assert (len(data["added"]), data["posts"], data["skipped"][0]["line"]) == (6, 5, 1)


def test_version_and_missing_content_folder(blog: Path, run: Run) -> None:
    res = run("--version")
    assert res.stdout.startswith("postctl ")
    res = run("--content", "nope", "list")
    assert res.exit_code == 2
    assert res.stderr.startswith("postctl: error: ")
    assert "nope: content folder not found" in res.stderr


def test_a_reader_that_goes_away_is_not_an_error(blog: Path) -> None:
    import subprocess
    import sys

    for i in range(400):
        write(blog / f"articles/p{i:03}.md", post_text(f"Post {i:03}", description="x " * 100))
    subprocess.run(
        [sys.executable, "-m", "postctl", "index"], cwd=blog, check=True, capture_output=True
    )
    proc = subprocess.Popen(
        [sys.executable, "-m", "postctl", "list", "--format", "json"],
        cwd=blog,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.read(100)
    proc.stdout.close()  # like `postctl list | head -c 100`
    err = proc.stderr.read()
    assert proc.wait(timeout=60) == 0
    assert err == b""


def test_typos_in_sort_and_where_keys_get_did_you_mean(blog: Path, run: Run) -> None:
    write(blog / "articles/a.md", post_text(extra="series: caching\n"))
    res = run("list", "-s", "wordz")
    assert res.exit_code == 2
    assert (
        res.stderr
        == 'postctl: error: --sort wordz: no post has the key "wordz"; did you mean "words"?\n'
    )
    res = run("list", "--where", "serie=caching")
    assert res.exit_code == 2
    assert '--where serie: no post has the key "serie"; did you mean "series"?' in res.stderr
    assert run("list", "--where", "series=caching", "-f", "paths").stdout == "articles/a.md\n"
    assert run("stats", "--where", "readingtime>3").exit_code == 2


def test_computed_fields_filter_under_their_sort_names(blog: Path, run: Run) -> None:
    write(blog / "articles/short.md", post_text(title="Short", body="word " * 100))
    write(blog / "articles/long.md", post_text(title="Long", body="word " * 2400))  # 11 min
    res = run("list", "--where", "reading-time>10", "-f", "paths")
    assert res.stdout == "articles/long.md\n"
    assert run("list", "-w", "reading-time<=1", "-f", "paths").stdout == "articles/short.md\n"
    assert run("list", "-w", "reading_minutes=11", "-f", "paths").stdout == "articles/long.md\n"
    res = run("list", "-w", "reading-time>soon")
    assert res.exit_code == 2
    assert "reading-time is compared with a number of minutes" in res.stderr


def test_text_sorts_ignore_case(blog: Path, run: Run) -> None:
    for slug, author in (("a", "zoe"), ("b", "Adam"), ("c", "bob")):
        write(blog / f"articles/{slug}.md", post_text(title=slug, extra=f"author: {author}\n"))
    assert run("list", "-s", "author", "-f", "paths").stdout.split() == [
        "articles/b.md",
        "articles/c.md",
        "articles/a.md",
    ]
    assert run("list", "-s", "-Author", "-f", "paths").stdout.split()[0] == "articles/a.md"
