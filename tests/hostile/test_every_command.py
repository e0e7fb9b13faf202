"""Every command, as a real subprocess, over the hostile folder: nothing crashes, hangs, is lost or
is written to, and every bad file is named once with its reason."""

from __future__ import annotations

import csv
import io
import json
import re
from collections import Counter

from hostile.conftest import Proc, Runner, listing, sha256_files
from hostile.tree import CHECK_FINDINGS, DRAFTS, LATIN1_FILE, Tree, parse_reason, shown, skip_lines


def assert_clean_stderr(proc: Proc, tree: Tree, allowed: tuple[str, ...] = ()) -> None:
    """One line per message, each a postctl message; a bad file is named at most once."""
    expected_skips = skip_lines(tree)
    lines = proc.lines()
    for line in lines:
        assert line.startswith("postctl: ") or line in allowed, (proc.args, line)
        if line.startswith("postctl: warning: skipped "):
            assert line in expected_skips, (proc.args, line)
    repeated = [line for line, n in Counter(lines).items() if n > 1]
    assert not repeated, (proc.args, repeated)


def records_paths(records: list[dict[str, object]]) -> set[str]:
    return {str(r["path"]) for r in records}


def test_every_command_over_the_hostile_folder(hostile: Tree, postctl: Runner) -> None:
    tree = hostile
    before_files = sha256_files(tree.files())
    before_listing = listing(tree.root)
    published = {shown(rel) for rel in tree.published}
    everything = {shown(rel) for rel in tree.good}
    drafts = {shown(rel) for rel in DRAFTS}
    ran: list[Proc] = []

    def run(*args: str, code: int, script: bool = False, stdin: str | None = None) -> Proc:
        proc = postctl(*args, script=script, stdin=stdin)
        assert proc.code == code, (args, proc.code, proc.stderr[-2000:])
        ran.append(proc)
        return proc

    # -- index: every bad entry named once with its reason, every good post indexed
    first = run("index", code=0, script=True)
    summary = re.compile(
        r"^\+(\d+) ~0 -0  (\d+) posts indexed, (\d+) skipped \(\.postctl/index\.db, [\d.]+s\)\n$"
    )
    m = summary.match(first.stdout)
    assert m, first.stdout
    assert [int(g) for g in m.groups()] == [tree.found_files, len(tree.good), len(tree.bad)]
    assert Counter(first.lines()) == skip_lines(tree)

    again = run("index", code=0)
    assert again.stdout.startswith(f"+0 ~0 -0  {len(tree.good)} posts indexed, {len(tree.bad)} ")
    assert Counter(again.lines()) == skip_lines(tree)

    report = json.loads(run("index", "--format", "json", code=0).stdout)
    assert report["posts"] == len(tree.good)
    assert (report["added"], report["modified"], report["removed"]) == ([], [], [])
    skipped = report["skipped"]
    assert len(skipped) == len({s["path"] for s in skipped})  # each once
    assert {s["path"]: (s["line"], s["column"], s["reason"]) for s in skipped} == {
        rel: parse_reason(reason) for rel, reason in tree.bad.items()
    }
    strict = run("index", "--strict", code=1)
    assert strict.stdout.startswith("+0 ~0 -0")

    # -- list, in every format
    cards = run("list", code=0)
    for rel in tree.published:
        assert tree.good[rel] in cards.stdout, rel
    table = run("list", "--format", "table", code=0)
    for rel in tree.published:
        assert tree.good[rel] in table.stdout, rel
    records = json.loads(run("list", "--format", "json", code=0).stdout)
    assert records_paths(records) == published
    assert {r["path"]: r["title"] for r in records} == {
        shown(rel): title for rel, title in tree.published.items()
    }
    jsonl = run("list", "--format", "jsonl", code=0).stdout.splitlines()
    assert [json.loads(line) for line in jsonl] == records
    rows = list(csv.DictReader(io.StringIO(run("list", "--format", "csv", code=0).stdout)))
    assert [r["path"] for r in rows] == [r["path"] for r in records]
    paths = run("list", "--format", "paths", code=0).stdout
    assert paths == "".join(f"{r['path']}\n" for r in records)
    nul = run("list", "-0", code=0).stdout
    assert nul == "".join(f"{r['path']}\0" for r in records)
    every = json.loads(run("list", "--all", "--format", "json", code=0).stdout)
    assert records_paths(every) == everything
    only_drafts = json.loads(run("list", "--drafts", "--format", "json", code=0).stdout)
    assert records_paths(only_drafts) == drafts

    # -- categories and tags
    in_performance = sum("Performance" in r["categories"] for r in records)
    assert "Performance" in run("categories", code=0).stdout
    assert json.loads(run("categories", "--format", "json", code=0).stdout) == [
        {"name": "Performance", "slug": "performance", "posts": in_performance}
    ]
    tagged = sum("hostile" in r["tags"] for r in records)
    assert "hostile" in run("tags", code=0).stdout
    tags = run("tags", "--format", "csv", code=0).stdout
    assert tags == f"name,slug,posts\nhostile,hostile,{tagged}\n"

    # -- stats, show, reading-time
    assert "posts" in run("stats", code=0).stdout
    stats = json.loads(run("stats", "--format", "json", code=0).stdout)
    counts = (stats["posts"], stats["published"], stats["drafts"])
    assert counts == (len(published), len(published), len(drafts))  # drafts: "in all"
    assert "Plain YAML" in run("show", "good-yaml", "--no-pager", code=0).stdout
    shown_post = json.loads(run("show", "good-yaml", "--format", "json", code=0).stdout)
    assert shown_post["title"] == "Plain YAML"
    assert "Connection pools" in shown_post["body"]
    bad_show = run("show", "articles/latin1.md", code=2)
    assert bad_show.lines()[-1] == (
        "postctl: error: articles/latin1.md: not indexed: not UTF-8 text (byte 0xe9); "
        "save the file as UTF-8"
    )
    run("show", "no-such-post", code=1)
    latin1_arg = run("show", shown(LATIN1_FILE), code=2)  # a name from the shell, not UTF-8
    assert latin1_arg.lines() == [
        'postctl: error: the argument "articles/caf\\xe9.md" is not valid UTF-8 text'
    ]
    times = json.loads(run("reading-time", "--format", "json", code=0).stdout)
    assert {t["name"] for t in times} == published
    assert all(t["minutes"] >= 1 for t in times)
    # piped: one tab-separated line per post (the table's header is tested on a terminal in
    # tests/query/test_stats.py)
    piped = [line.split("\t") for line in run("reading-time", code=0).stdout.splitlines()]
    escaped = {p.replace("\t", "\\t").replace("\n", "\\n") for p in published}
    assert {row[0] for row in piped} == escaped  # a control character in a name: an escape
    assert {len(row) for row in piped} == {7}
    stdin = json.loads(
        run("reading-time", "-", "--format", "json", code=0, stdin="Two words.").stdout
    )
    assert (stdin[0]["words"], stdin[0]["minutes"]) == (2, 1)

    # -- check: a parse error for each bad entry, the known findings for the odd good posts
    report_json = json.loads(run("check", "--format", "json", code=1).stdout)
    diags = report_json["diagnostics"]
    parse = {d["path"]: d for d in diags if d["rule"] == "parse"}
    assert len(parse) == len([d for d in diags if d["rule"] == "parse"])
    assert {p: (d["line"], d["column"], d["message"]) for p, d in parse.items()} == {
        shown(rel): _check_location(reason) for rel, reason in tree.bad.items()
    }
    others = {(d["path"], d["rule"]) for d in diags if d["rule"] != "parse"}
    assert others == {(shown(rel), rule) for rel, rule in CHECK_FINDINGS}
    assert report_json["checked"] == len(tree.good) + len(tree.bad)
    text = run("check", code=1).stdout.splitlines()
    assert len(text) == len(diags) + 1
    checked = len(tree.good) + len(tree.bad)
    assert (
        text[-1] == f"{report_json['errors']} errors in {_files(diags)} files ({checked} checked)"
    )
    github = run("check", "--format", "github", code=1)
    assert len(github.stdout.splitlines()) == len(diags)
    assert all(line.startswith("::error ") for line in github.stdout.splitlines())

    # -- search
    assert "Plain YAML" in run("search", "pools", code=0).stdout
    hits = json.loads(run("search", "pools", "--format", "json", "--limit", "100", code=0).stdout)
    assert records_paths(hits) == published

    # -- new: a hostile title lands inside the folder, is indexed at once, and never overwrites
    created = run(
        "new", "Hostile ../../etc/passwd", "-c", "performance", "-t", "hostile",
        "--date", "2025-01-02", code=0,
    )  # fmt: skip
    assert created.stdout == "articles/hostile-etc-passwd.md\n"
    new_post = tree.content / "hostile-etc-passwd.md"
    assert new_post.is_file()
    assert run("check", "articles/hostile-etc-passwd.md", code=0).stdout.endswith(
        "1 file checked, no problems\n"
    )
    made = {"articles/hostile-etc-passwd.md"}
    for title, path in (
        ("🚀🔥", "articles/post-2025-01-03.md"),
        ("CON", "articles/con-post.md"),
        ("性能优化", "articles/xing-neng-you-hua.md"),
    ):
        out = run("new", title, "-c", "Performance", "--date", "2025-01-03", code=0).stdout
        assert out == path + "\n"
        made.add(path)
    clash = run("new", "Hostile ../../etc/passwd", "-c", "Performance", code=1)
    assert clash.lines()[-1].startswith("postctl: error: articles/hostile-etc-passwd.md ")
    run("new", "  ", code=2)
    after_new = json.loads(run("list", "--format", "json", code=0).stdout)
    assert records_paths(after_new) == published | made

    # -- nothing hung (the runner's timeout), nothing crashed, nothing else was written
    for proc in ran:
        allowed = (github.lines()[-1],) if proc is github else ()
        assert_clean_stderr(proc, tree, allowed)
    assert sha256_files(list(before_files)) == before_files
    assert listing(tree.root) == before_listing | made


def _check_location(suffix: str) -> tuple[int, int, str]:
    line, col, reason = parse_reason(suffix)
    return (line or 1, col or 1, reason)


def _files(diags: list[dict[str, object]]) -> int:
    return len({d["path"] for d in diags})
