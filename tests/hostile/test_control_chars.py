r"""Control characters from posts and file names never reach the terminal (issue #15, item 2).

A title that clears the screen (``\e[2J``), plants a hyperlink (OSC 8) and writes the clipboard
(OSC 52), in YAML, TOML, JSON, a body and a file name: every view and every plain output shows it
as visible escapes; JSON and CSV keep the data exact.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any, ClassVar

import pytest
from conftest import write

from postctl.render import terminal
from postctl.render.inert import inert, inert_data

ESC = "\x1b"
EVIL = (
    f"Evil {ESC}[2J {ESC}]8;;http://evil.example/{ESC}\\click{ESC}]8;;{ESC}\\ "
    f"{ESC}]52;c;ZWNobyBwd25lZA==\x07"
)
# The same in YAML's double-quoted escapes.
EVIL_YAML = r"Evil \e[2J \e]8;;http://evil.example/\e\\click\e]8;;\e\\ \e]52;c;ZWNobyBwd25lZA==\a"
# Any raw control character but tab and newline, C1 included (\x9b is the one-byte CSI).
RAW_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def hostile_blog(blog: Path) -> None:
    write(
        blog / "articles/yaml.md",
        f'---\ntitle: "{EVIL_YAML}"\ndate: 2025-01-02\ncategory: "Ops\\e[31m"\n'
        f'description: "Desc \\x9b31m C1"\ntags: ["t\\e]52;c;eA==\\a", "pools"]\n'
        f'author: "A\\e[5m"\nmood: "x\\e[2J"\n---\n'
        f"Pools {ESC}[2J in the body {ESC}]52;c;eA==\x07 pools.\n",
    )
    write(
        blog / "articles/toml.md",
        '+++\ntitle = "TOML \\u001b]52;c;eA==\\u0007 pools"\ndate = 2025-01-03\n'
        'category = "Ops"\ndescription = "d"\ntags = ["pools"]\n+++\nPools here.\n',
    )
    write(
        blog / "articles/json.md",
        '{"title": "JSON \\u001b[2J pools", "date": "2025-01-04", "category": "Ops",'
        ' "description": "d", "tags": ["pools"]}\nPools there.\n',
    )
    write(
        blog / f"articles/name{ESC}]52;c;eA=={ESC}\\.md",
        '---\ntitle: "Named"\ndate: 2025-01-05\ncategory: Ops\ndescription: d\n'
        "tags: [pools]\n---\nPools.\n",
    )
    write(blog / f"articles/bad{ESC}[2J.md", "---\ntitle: x\nbad: [unclosed\n---\n")


COMMANDS = [
    ("index",),
    ("list",),
    ("list", "--format", "table"),
    ("categories",),
    ("tags",),
    ("stats",),
    ("show", "yaml", "--no-pager"),
    ("show", "toml", "--no-pager"),
    ("search", "pools"),
    ("check",),
    ("check", "--format", "github"),
    ("reading-time",),
    ("list", "--category", f"nope{ESC}[2J"),
]


@pytest.mark.parametrize("args", COMMANDS, ids=lambda a: " ".join(a)[:30])
def test_plain_output_carries_no_control_character(
    blog: Path, run: Callable[..., Any], args: tuple[str, ...]
) -> None:
    hostile_blog(blog)
    res = run(*args)
    assert res.exit_code in (0, 1), res.stderr
    for stream in (res.stdout, res.stderr):
        assert not RAW_CONTROL.search(stream), (args, stream)
    if args[0] in ("list", "show", "search") and len(args) < 3:
        assert "\\x1b" in res.stdout  # shown, not dropped


def test_warnings_and_errors_are_one_inert_line(blog: Path, run: Callable[..., Any]) -> None:
    hostile_blog(blog)
    res = run("index")
    skipped = [line for line in res.stderr.splitlines() if "skipped" in line]
    assert skipped == [
        "postctl: warning: skipped articles/bad\\x1b[2J.md:4:1: "
        "invalid YAML front matter: did not find expected ',' or ']'"
    ]
    err = run("show", f"no{ESC}]52;c;eA==\x07such")
    assert err.exit_code == 1
    assert "\\x1b]52;c;eA==\\x07" in err.stderr and not RAW_CONTROL.search(err.stderr)


def test_machine_formats_keep_the_data_exact(blog: Path, run: Callable[..., Any]) -> None:
    hostile_blog(blog)
    records = json.loads(run("list", "--format", "json").stdout)
    assert {r["title"] for r in records} >= {EVIL, "TOML \x1b]52;c;eA==\x07 pools"}
    rows = list(csv.DictReader(io.StringIO(run("list", "--format", "csv").stdout)))
    assert EVIL in {r["title"] for r in rows}
    named = f"articles/name{ESC}]52;c;eA=={ESC}\\.md"
    assert named in run("list", "--format", "paths", "-0").stdout.split("\0")
    assert named in run("list", "--format", "paths").stdout.splitlines()  # piped: exact
    shown = json.loads(run("show", "yaml", "--format", "json").stdout)
    assert shown["extra"]["mood"] == "x\x1b[2J"
    assert "\x1b[2J in the body" in shown["body"]


def test_inert_shows_every_control_character_as_an_escape() -> None:
    assert inert(EVIL) == (
        "Evil \\x1b[2J \\x1b]8;;http://evil.example/\\x1b\\click\\x1b]8;;\\x1b\\ "
        "\\x1b]52;c;ZWNobyBwd25lZA==\\x07"
    )
    assert inert("a\tb\nc\rd\x9be\x7f") == "a\\tb\\nc\\rd\\x9be\\x7f"
    assert inert("a\tb\nc\x00", layout=True) == "a\tb\nc\\x00"
    # a diff of a CRLF file keeps its line ends; a lone CR is still shown
    assert inert("-a\r\n+b\rc\x1b\n", layout=True, crlf=True) == "-a\r\n+b\\rc\\x1b\n"
    assert inert("a\r\n", layout=True) == "a\\r\n"
    assert inert("caf\udce9.md") == "caf\\xe9.md"  # an undecodable byte of a file name
    text = "plain text, no copy"
    assert inert(text) is text
    assert inert_data({"t": ["\x1b", ("\x07",)], "n": 3}) == {"t": ["\\x1b", ("\\x07",)], "n": 3}


def test_paths_on_a_terminal_are_inert() -> None:
    from postctl.render.machine import write_paths

    class Tty(io.StringIO):
        def isatty(self) -> bool:
            return True

    out = Tty()
    write_paths([f"a{ESC}]52;c;eA==\x07.md"], out=out)
    assert out.getvalue() == "a\\x1b]52;c;eA==\\x07.md\n"


def _terminal() -> tuple[Any, io.StringIO]:
    from rich.console import Console

    out = io.StringIO()
    con = Console(file=out, force_terminal=True, color_system="truecolor", width=100)
    return con, out


def _payloads_absent(text: str) -> None:
    """rich writes its own ESC sequences for styles and links; the post's must not appear."""
    assert "\x1b[2J" not in text
    assert "\x1b]52" not in text
    links = re.findall("\x1b\\]8;[^;\x1b]*;([^\x1b]*)", text)
    assert all(url == "" or url.startswith("file:///") for url in links), links
    assert "\x07" not in text and "\x9b" not in text


def test_terminal_views_with_colour_and_links_show_escapes() -> None:
    rec = {
        "path": f"articles/evil{ESC}]8;;http://evil.example/{ESC}\\.md",
        "title": EVIL,
        "slug": "evil",
        "description": "d\x9b31m",
        "date": "2025-01-02",
        "updated": None,
        "reading_minutes": 1,
        "draft": False,
        "categories": [f"Ops{ESC}[31m"],
        "tags": [f"t{ESC}]52;c;eA==\x07"],
        "author": f"A{ESC}[5m",
        "extra": {f"k{ESC}[2J": f"v{ESC}[2J", "n": [f"{ESC}]52;c;eA==\x07"]},
    }
    metrics = {
        "words": 1,
        "code_lines": 0,
        "images": 0,
        "flesch_reading_ease": 1.0,
        "flesch_kincaid_grade": 1.0,
        "automated_readability_index": 1.0,
    }
    views: list[Callable[[Any], None]] = [
        lambda con: terminal.cards(con, f"H{ESC}[2J", "s", [rec]),
        lambda con: terminal.posts_table(con, [rec]),
        lambda con: terminal.names_table(con, "Tag", [{"name": rec["tags"][0], "posts": 1}]),
        lambda con: terminal.show_post(con, rec, metrics, f"# T{ESC}[2J\n\nBody {ESC}]52;c;x\x07"),
        lambda con: terminal.reading_times(con, [{**metrics, "name": rec["path"], "minutes": 1,
                                                  "seconds": 1.0, "cjk_chars": 0}]),
    ]  # fmt: skip
    for view in views:
        con, out = _terminal()
        view(con)
        _payloads_absent(out.getvalue())
        assert "\\x1b" in out.getvalue()


def test_search_snippets_and_links_on_a_terminal() -> None:
    from postctl.query.search import HIT_END, HIT_START

    class Hit:
        record: ClassVar[dict[str, Any]] = {
            "path": f"articles/a{ESC}]8;;http://evil.example/{ESC}\\.md",
            "title": EVIL,
            "slug": "a",
            "date": None,
            "reading_minutes": 1,
        }
        snippet = f"x {HIT_START}pools{ESC}[2J{HIT_END} y {ESC}]52;c;eA==\x07"
        score = 1.0

    con, out = _terminal()
    terminal.search_results(con, f"pools{ESC}[2J", [Hit()])
    text = out.getvalue()
    _payloads_absent(text)
    assert "pools\\x1b[2J" in text
    # The link rich writes for the title is the file's URI, its control bytes percent-encoded.
    assert "%1B%5D8%3B%3Bhttp%3A/evil.example/%1B%5C.md" in text


def test_stats_view_on_a_terminal() -> None:
    from postctl.query import stats  # noqa: F401 - the view's data shape comes from compute()

    data = {
        "posts": 1,
        "published": 1,
        "drafts": 0,
        "words": {"total": 1, "average": 1, "median": 1},
        "reading_minutes": {"total": 1, "average": 1.0, "wpm": 238},
        "categories": [{"name": f"Ops{ESC}[2J", "posts": 1}],
        "tags": [{"name": f"t{ESC}]52;c;eA==\x07", "posts": 1}],
        "cadence": {"by": "year", "periods": [{"period": "2025", "posts": 1}]},
        "longest": [{"title": EVIL, "words": 1}],
        "shortest": [{"title": EVIL, "words": 1}],
        "readability": {},
    }
    con, out = _terminal()
    terminal.stats_view(con, data)
    _payloads_absent(out.getvalue())
    assert "\\x1b" in out.getvalue()


def test_new_lists_categories_inert(blog: Path, run: Callable[..., Any], monkeypatch: Any) -> None:
    from postctl.cli import new

    hostile_blog(blog)
    monkeypatch.setattr(new, "_interactive", lambda: True)
    res = run("new", "A post", "--date", "2025-02-01", input="1\n")
    assert res.exit_code == 0, res.stderr
    assert "Ops\\x1b[31m" in res.stderr
    assert not RAW_CONTROL.search(res.stderr)
