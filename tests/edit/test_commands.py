"""The editing commands end to end: what changes on disk (exactly those lines), what the index
says right after, dry runs, confirmation, refusals, git hints."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import Result, post_text, write

from postctl.cli import edit as edit_cli

Run = Callable[..., Result]


def changed_lines(before: str, after: str) -> list[tuple[str, str]]:
    a, b = before.splitlines(keepends=True), after.splitlines(keepends=True)
    assert len(a) == len(b), "the number of lines changed"
    return [(x, y) for x, y in zip(a, b, strict=True) if x != y]


def indexed_tags(blog: Path) -> dict[str, int]:
    """Tag slug → posts, as the index holds them (read without syncing it)."""
    with sqlite3.connect(blog / ".postctl/index.db") as conn:
        return dict(conn.execute("SELECT slug, posts FROM tags").fetchall())


@pytest.fixture
def three(blog: Path) -> dict[str, Path]:
    posts = {
        "a": write(blog / "articles/a.md", post_text("Alpha", tags=("redis", "caching"))),
        "b": write(blog / "articles/b.md", post_text("Beta", tags=("Redis",), category="Ops")),
        "c": write(
            blog / "articles/c.md",
            "---\r\ntitle: Gamma\r\ndate: 2025-03-04\r\ncategory: Performance\r\n"
            "tags:\r\n  - python  # the language\r\n  - redis\r\n---\r\nBody\r\n",
        ),
    }
    return posts


def texts(posts: dict[str, Path]) -> dict[str, str]:
    return {k: p.read_bytes().decode() for k, p in posts.items()}


# --------------------------------------------------------------------------- tags


def test_tags_rename_changes_one_line_per_post_and_the_index(
    three: dict[str, Path], run: Run, blog: Path
) -> None:
    before = texts(three)
    res = run("tags", "rename", "redis", "valkey", "--yes")
    assert res.exit_code == 0, res.stderr
    assert res.stdout == ""
    assert "edited 3 files" in res.stderr
    after = texts(three)
    assert changed_lines(before["a"], after["a"]) == [
        ('tags: ["redis", "caching"]\n', 'tags: ["valkey", "caching"]\n')
    ]
    assert changed_lines(before["b"], after["b"]) == [('tags: ["Redis"]\n', 'tags: ["valkey"]\n')]
    assert changed_lines(before["c"], after["c"]) == [("  - redis\r\n", "  - valkey\r\n")]
    assert indexed_tags(blog) == {"valkey": 3, "caching": 1, "python": 1}
    assert run("list", "-t", "valkey", "-f", "paths").stdout.splitlines() == [
        "articles/c.md",
        "articles/a.md",
        "articles/b.md",
    ]


def test_tags_merge_and_rm(three: dict[str, Path], run: Run, blog: Path) -> None:
    before = texts(three)
    assert run("tags", "merge", "caching", "python", "--into", "redis", "--yes").exit_code == 0
    after = texts(three)
    # a: [redis, caching] → caching merges into the redis it has already
    assert changed_lines(before["a"], after["a"]) == [
        ('tags: ["redis", "caching"]\n', 'tags: ["redis"]\n')
    ]
    assert after["b"] == before["b"]
    assert after["c"] == before["c"].replace("  - python  # the language\r\n", "")
    assert indexed_tags(blog) == {"redis": 3}
    assert run("tags", "rm", "REDIS", "--yes").exit_code == 0
    assert "tags: []\n" in three["a"].read_text()
    assert "tags: []\r\n" in three["c"].read_bytes().decode()
    assert indexed_tags(blog) == {}


def test_unknown_tag_suggests_the_closest(three: dict[str, Path], run: Run) -> None:
    res = run("tags", "rename", "rediss", "x", "--yes")
    assert res.exit_code == 1
    assert res.stderr == 'postctl: error: no tag "rediss"; did you mean "redis"?\n'


def test_categories_rename_string_and_list(three: dict[str, Path], run: Run, blog: Path) -> None:
    write(blog / "articles/d.md", "---\ntitle: D\ncategories: [performance, ops]\n---\nx\n")
    before = texts(three)
    res = run("categories", "rename", "Performance", "Speed", "--yes")
    assert res.exit_code == 0, res.stderr
    after = texts(three)
    assert changed_lines(before["a"], after["a"]) == [
        ('category: "Performance"\n', 'category: "Speed"\n')
    ]
    assert changed_lines(before["c"], after["c"]) == [
        ("category: Performance\r\n", "category: Speed\r\n")
    ]
    assert "categories: [Speed, ops]\n" in (blog / "articles/d.md").read_text()
    cats = json.loads(run("categories", "--all", "-f", "json").stdout)
    assert {c["slug"]: c["posts"] for c in cats} == {"speed": 3, "ops": 2}


def test_taxonomy_for_any_list_key(blog: Path, run: Run) -> None:
    p = write(blog / "articles/a.md", "---\ntitle: A\nseries: [go, rust]\n---\nx\n")
    write(blog / "articles/b.md", "+++\ntitle = 'B'\n[taxonomies]\nseries = ['go']\n+++\nx\n")
    assert run("taxonomy", "rename", "series", "go", "golang", "--yes").exit_code == 0
    assert p.read_text() == "---\ntitle: A\nseries: [golang, rust]\n---\nx\n"
    assert "series = ['golang']" in (blog / "articles/b.md").read_text()
    res = run("taxonomy", "rm", "series", "nope", "--yes")
    assert res.exit_code == 1 and 'no series "nope"' in res.stderr


# --------------------------------------------------------------------------- dry run, prompts


def test_dry_run_prints_a_diff_git_applies_and_writes_nothing(
    three: dict[str, Path], run: Run, blog: Path
) -> None:
    before = texts(three)
    res = run("tags", "rename", "redis", "valkey", "--dry-run")
    assert res.exit_code == 0
    assert texts(three) == before
    assert res.stderr == "would edit 3 files (-3 +3 lines); nothing written (--dry-run)\n"
    assert '-tags: ["redis", "caching"]\n+tags: ["valkey", "caching"]\n' in res.stdout
    assert res.stdout.startswith("diff --git a/articles/a.md b/articles/a.md\n--- a/articles/a.md")
    # CliRunner's text output turns CRLF into LF: take the bytes from a real process.
    cmd = [sys.executable, "-m", "postctl", "tags", "rename", "redis", "valkey", "--dry-run"]
    diff = subprocess.run(cmd, cwd=blog, capture_output=True, check=True).stdout
    assert b"-  - redis\r\n+  - valkey\r\n" in diff
    subprocess.run(["git", "init", "-q"], cwd=blog, check=True)
    subprocess.run(["git", "apply", "--check", "-"], cwd=blog, input=diff, check=True)


def test_many_files_without_a_terminal_need_yes(three: dict[str, Path], run: Run) -> None:
    before = texts(three)
    res = run("tags", "rename", "redis", "valkey")
    assert res.exit_code == 2
    assert res.stderr == (
        "postctl: error: this edit changes 3 files (-3 +3 lines); add --yes to write them, "
        "or --dry-run to see the diff\n"
    )
    assert texts(three) == before
    # one file needs no --yes
    assert run("tags", "rename", "caching", "cache").exit_code == 0


def test_a_terminal_is_asked_first(
    three: dict[str, Path], run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(edit_cli, "interactive", lambda: True)
    before = texts(three)
    res = run("tags", "rename", "redis", "valkey", input="n\n")
    assert res.exit_code == 1
    assert "  articles/a.md  -1 +1\n" in res.stderr
    assert "Edit 3 files (-3 +3 lines)? [y/N]" in res.stderr
    assert texts(three) == before
    res = run("tags", "rename", "redis", "valkey", input="y\n")
    assert res.exit_code == 0
    assert "valkey" in three["b"].read_text()


# --------------------------------------------------------------------------- set / unset


def test_set_types_values_like_the_key_has_them(blog: Path, run: Run) -> None:
    a = write(blog / "articles/a.md", post_text("A", extra="weight: 3\nfeatured: false\n"))
    b = write(blog / "articles/b.md", post_text("B"))
    res = run("set", "weight=7", "featured=yes", "title=no", "--category", "performance", "--yes")
    assert res.exit_code == 0, res.stderr
    assert "weight: 7\nfeatured: true\n" in a.read_text()
    assert 'title: "no"\n' in a.read_text()  # quoted as it was: a string, not a boolean
    assert b.read_text().endswith("weight: 7\nfeatured: true\n---\nSome words of prose here.\n")
    rows = json.loads(run("list", "-w", "weight=7", "-f", "json").stdout)
    assert sorted(r["path"] for r in rows) == ["articles/a.md", "articles/b.md"]
    assert all(r["extra"]["featured"] is True for r in rows)
    res = run("set", "weight=heavy", "articles/a.md")
    assert res.exit_code == 2
    assert "weight is a whole number in the other posts" in res.stderr
    res = run("set", "date=soon", "articles/a.md")
    assert res.exit_code == 2 and "not a date" in res.stderr


def test_set_needs_a_selection_and_unset_removes_every_line(blog: Path, run: Run) -> None:
    a = write(
        blog / "articles/a.md",
        "---\ntitle: A\nauthors:\n  - ann  # first\n  - bob\ndate: 2025-01-01\n---\nBody\n",
    )
    res = run("set", "x=1")
    assert res.exit_code == 2 and "say which posts" in res.stderr
    assert run("unset", "authors", "articles/a.md").exit_code == 0
    assert a.read_text() == "---\ntitle: A\ndate: 2025-01-01\n---\nBody\n"


# --------------------------------------------------------------------------- publish


def test_publish_and_unpublish_the_draft_flag(blog: Path, run: Run) -> None:
    p = write(blog / "articles/a.md", post_text("A", date="2020-01-01", extra="draft: true\n"))
    res = run("publish", "a")
    assert res.exit_code == 0, res.stderr
    text = p.read_text()
    assert "draft: false\n" in text
    assert "date: 2020-01-01\n" not in text
    assert json.loads(run("list", "-f", "json").stdout)[0]["path"] == "articles/a.md"
    res = run("publish", "a")
    assert res.exit_code == 1 and "is published already" in res.stderr
    assert run("unpublish", "a").exit_code == 0
    assert "draft: true\n" in p.read_text()
    assert run("list", "-f", "paths").stdout == ""
    res = run("publish", "a", "--keep-date", "--dry-run")
    assert "-draft: true\n+draft: false\n" in res.stdout
    assert "date:" not in "".join(
        line for line in res.stdout.splitlines(keepends=True) if line[:1] in "+-"
    )


def test_unpublish_adds_draft_where_there_is_no_flag(blog: Path, run: Run) -> None:
    p = write(blog / "articles/a.md", post_text("A"))
    assert run("unpublish", "articles/a.md").exit_code == 0
    assert p.read_text().endswith('tags: ["redis"]\ndraft: true\n---\nSome words of prose here.\n')


def test_jekyll_draft_moves_to_posts_with_a_date(blog: Path, run: Run) -> None:
    write(blog / "_config.yml", "title: x\n")
    write(blog / "_drafts/my-post.md", "---\ntitle: Mine\nlayout: post\n---\nHello\n")
    res = run("--content", ".", "publish", "my-post")
    assert res.exit_code == 0, res.stderr
    assert not (blog / "_drafts/my-post.md").exists()
    (moved,) = (blog / "_posts").iterdir()
    day = moved.name[:10]
    assert moved.name == f"{day}-my-post.md"
    text = moved.read_text()
    assert text.startswith(f"---\ntitle: Mine\nlayout: post\ndate: {day} ")
    assert text.endswith("---\nHello\n")
    paths = run("--content", ".", "list", "-f", "paths").stdout.splitlines()
    assert paths == [f"_posts/{moved.name}"]
    assert run("--content", ".", "unpublish", "my-post").exit_code == 0
    assert (blog / "_drafts/my-post.md").read_text() == text
    assert list((blog / "_posts").iterdir()) == []


# --------------------------------------------------------------------------- mv


def test_mv_renames_file_slug_and_links(blog: Path, run: Run) -> None:
    write(blog / "articles/old-name.md", post_text("Old", extra='slug: "old-name"\n'))
    other = write(
        blog / "articles/sub/other.md",
        post_text("Other", body="See [it](../old-name.md#part) and [again](../old-name.md).\n"),
    )
    res = run("mv", "old-name", "new-name", "--yes")
    assert res.exit_code == 0, res.stderr
    assert not (blog / "articles/old-name.md").exists()
    assert 'slug: "new-name"\n' in (blog / "articles/new-name.md").read_text()
    assert "See [it](../new-name.md#part) and [again](../new-name.md).\n" in other.read_text()
    check = run("check", "--rule", "broken-link")
    assert check.exit_code == 0, check.stdout
    assert run("list", "-f", "paths", "-w", "slug=new-name").stdout == "articles/new-name.md\n"


def test_mv_in_hugo_adds_an_alias_and_rewrites_refs(blog: Path, run: Run) -> None:
    write(blog / "hugo.toml", "baseURL = 'https://x.org/'\n")
    write(blog / "content/posts/old.md", "+++\ntitle = 'Old'\naliases = ['/x/']\n+++\nBody\n")
    other = write(
        blog / "content/posts/b.md",
        '+++\ntitle = "B"\n+++\nSee {{< ref "old.md" >}} and {{< relref "posts/old" >}}.\n',
    )
    res = run("mv", "old", "shiny", "--yes")
    assert res.exit_code == 0, res.stderr
    text = (blog / "content/posts/shiny.md").read_text()
    assert text == "+++\ntitle = 'Old'\naliases = ['/x/', '/posts/old/']\n+++\nBody\n"
    assert 'See {{< ref "shiny.md" >}} and {{< relref "posts/shiny" >}}.' in other.read_text()


def test_mv_refuses_a_taken_slug(blog: Path, run: Run) -> None:
    write(blog / "articles/a.md", post_text("A"))
    write(blog / "articles/b.md", post_text("B"))
    res = run("mv", "a", "b")
    assert res.exit_code == 2 and 'the slug "b" is taken by articles/b.md' in res.stderr
    res = run("mv", "a", "../../etc")
    assert res.exit_code == 2 and "is not a slug" in res.stderr


# --------------------------------------------------------------------------- safety


def test_never_through_a_symlink_out_of_the_folder(blog: Path, run: Run, tmp_path: Path) -> None:
    outside = write(tmp_path.parent / f"{tmp_path.name}-outside.md", post_text("Out"))
    before = outside.read_bytes()
    os.symlink(outside, blog / "articles/link.md")
    write(blog / "articles/a.md", post_text("A"))
    res = run("set", "x=1", str(outside))
    assert res.exit_code == 2
    assert "outside the content folder" in res.stderr
    assert outside.read_bytes() == before


def test_a_file_changed_after_indexing_is_refused(
    blog: Path, run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    from postctl.edit import ops

    p = write(blog / "articles/a.md", post_text("A"))
    q = write(blog / "articles/b.md", post_text("B"))
    real_load = ops.Workspace.load

    def load_after_someone_saved(self: ops.Workspace, rel: str) -> ops.Doc | None:
        if rel == "a.md":
            p.write_text(p.read_text() + "edited meanwhile\n")
        return real_load(self, rel)

    monkeypatch.setattr(ops.Workspace, "load", load_after_someone_saved)
    res = run("tags", "rename", "redis", "cache", "--yes")
    assert res.exit_code == 1
    assert "articles/a.md: changed since it was indexed; not edited" in res.stderr
    assert p.read_text().endswith("edited meanwhile\n") and "redis" in p.read_text()
    assert '"cache"' in q.read_text()


def test_a_failure_half_way_says_what_was_done(
    three: dict[str, Path], run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    from postctl.edit import atomic

    real = atomic.commit
    calls: list[str] = []

    def full_disk(staged: atomic.Staged) -> None:
        calls.append(staged.path)
        if len(calls) == 2:
            raise OSError(28, "No space left on device")
        real(staged)

    monkeypatch.setattr(atomic, "commit", full_disk)
    before = texts(three)
    res = run("tags", "rename", "redis", "valkey", "--yes")
    assert res.exit_code == 1
    assert "postctl: warning: articles/b.md: No space left on device\n" in res.stderr
    assert "not edited: articles/c.md" in res.stderr
    assert "edited 1 file: articles/a.md" in res.stderr
    after = texts(three)
    assert "valkey" in after["a"]
    assert after["b"] == before["b"] and after["c"] == before["c"]
    assert sorted(p.name for p in three["a"].parent.iterdir()) == ["a.md", "b.md", "c.md"]


def test_git_summary_and_uncommitted_warning(three: dict[str, Path], run: Run, blog: Path) -> None:
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@t"]
    subprocess.run([*git, "init", "-q"], cwd=blog, check=True)
    subprocess.run([*git, "add", "articles"], cwd=blog, check=True)
    subprocess.run([*git, "commit", "-qm", "x"], cwd=blog, check=True)
    three["b"].write_text(three["b"].read_text() + "more\n")
    write(blog / "articles/new.md", post_text("New", tags=("redis",)))
    res = run("tags", "rename", "redis", "valkey", "--yes")
    assert res.exit_code == 0
    assert "review with: git diff\n" in res.stderr
    assert (
        "postctl: warning: articles/b.md had uncommitted changes before this edit; "
        "git diff shows both\n"
    ) in res.stderr
    assert "postctl: warning: articles/new.md is not in git: git diff cannot show this edit\n" in (
        res.stderr
    )
    assert "articles/a.md had uncommitted" not in res.stderr
    assert "warning: articles/c.md" not in res.stderr  # committed and clean: no warning


# --------------------------------------------------------------------------- atomic


CRASH = """
import os, signal, sys
from postctl.edit import atomic
os.replace = lambda *a: os.kill(os.getpid(), signal.SIGKILL)
path = sys.argv[1]
data = open(path, "rb").read()
atomic.replace(path, b"new text", atomic.digest(data))
"""


def test_a_kill_between_write_and_rename_leaves_the_original(tmp_path: Path) -> None:
    post = write(tmp_path / "a.md", "---\ntitle: A\n---\nold\n")
    os.chmod(post, 0o640)
    proc = subprocess.run([sys.executable, "-c", CRASH, str(post)], check=False)
    assert proc.returncode == -9
    assert post.read_text() == "---\ntitle: A\n---\nold\n"
    leftovers = [p.name for p in tmp_path.iterdir() if p.name != "a.md"]
    assert len(leftovers) == 1 and leftovers[0].startswith(".a.md.")  # a dot file: not indexed
    assert (tmp_path / leftovers[0]).read_bytes() == b"new text"


def test_atomic_replace_keeps_the_mode_and_refuses_a_changed_file(tmp_path: Path) -> None:
    from postctl.edit import atomic

    post = write(tmp_path / "a.md", "old\n")
    os.chmod(post, 0o640)
    atomic.replace(str(post), b"new\n", atomic.digest(b"old\n"))
    assert post.read_bytes() == b"new\n"
    assert post.stat().st_mode & 0o777 == 0o640
    with pytest.raises(atomic.Changed):
        atomic.replace(str(post), b"newer\n", atomic.digest(b"old\n"))
    assert post.read_bytes() == b"new\n"
    assert [p.name for p in tmp_path.iterdir()] == ["a.md"]
    write(tmp_path / "b.md", "taken\n")
    with pytest.raises(Exception, match="exists already"):
        atomic.replace(str(post), b"x", atomic.digest(b"new\n"), str(tmp_path / "b.md"))
    assert (tmp_path / "b.md").read_text() == "taken\n" and post.read_bytes() == b"new\n"


# --------------------------------------------------------------------------- check --fix


def test_check_fix_quotes_traps_unifies_tags_and_dates_from_names(blog: Path, run: Run) -> None:
    trap = write(
        blog / "articles/2024-05-06-trap.md",
        "---\ntitle: no\ntime: 12:30\ntags: [on, Redis]  # keep\n---\nBody\n",
    )
    write(blog / "articles/a.md", post_text("A", tags=("redis",)))
    write(blog / "articles/b.md", post_text("B", tags=("redis",)))
    only_dates = run(
        "check", "--fix", "--dry-run", "--ignore", "yaml-trap", "--ignore", "tag-spelling"
    )
    changes = [ln for ln in only_dates.stdout.splitlines() if ln[:1] in "+-" and ln[1:3] != ln[:2]]
    assert changes == ["+date: 2024-05-06"]  # the traps and the spelling are left alone
    res = run("check", "--fix", "--yes")
    assert trap.read_text() == (
        '---\ntitle: "no"\ntime: "12:30"\ntags: ["on", redis]  # keep\ndate: 2024-05-06\n'
        "---\nBody\n"
    )
    assert "edited 1 file: articles/2024-05-06-trap.md" in res.stderr
    assert "yaml-trap" not in res.stdout and "tag-spelling" not in res.stdout
    again = run("check", "--fix", "--dry-run")
    assert again.stdout == "" and "nothing to change" in again.stderr


def test_check_fix_slugs_moves_the_post(blog: Path, run: Run) -> None:
    write(blog / "articles/My_Post.md", post_text("Mine"))
    other = write(blog / "articles/b.md", post_text("B", body="See [it](My_Post.md).\n"))
    res = run("check", "--fix", "--fix-slugs", "--yes")
    assert res.exit_code == 0, res.stdout + res.stderr
    assert (blog / "articles/my-post.md").exists()
    assert "See [it](my-post.md).\n" in other.read_text()
    assert "slug" not in run("check").stdout


def test_spelling_findings_print_their_fix(blog: Path, run: Run) -> None:
    write(blog / "articles/a.md", post_text("A", tags=("Redis",)))
    write(blog / "articles/b.md", post_text("B", tags=("redis",)))
    write(blog / "articles/c.md", post_text("C", tags=("redis",)))
    write(blog / "articles/d.md", post_text("D", category="Perfomance"))
    res = run("check")
    assert res.stderr.splitlines() == [  # in the order of the findings (a.md, then d.md)
        "to fix 1 finding: postctl tags rename Redis redis",
        "to fix 1 finding: postctl categories rename Perfomance Performance",
    ]
    diags = json.loads(run("check", "-f", "json").stdout)["diagnostics"]
    assert {d["rule"]: d.get("fix") for d in diags if "spelling" in d["rule"]} == {
        "category-spelling": "postctl categories rename Perfomance Performance",
        "tag-spelling": "postctl tags rename Redis redis",
    }
    # and running the printed commands clears them
    assert run("categories", "rename", "Perfomance", "Performance").exit_code == 0
    assert run("tags", "rename", "Redis", "redis", "--yes").exit_code == 0
    assert "spelling" not in run("check").stdout


# --------------------------------------------------------------------------- dialects


def test_mv_of_a_bundle_renames_its_folder(blog: Path, run: Run) -> None:
    write(blog / "hugo.toml", "baseURL = 'https://x.org/'\n")
    write(blog / "content/posts/trip/index.md", "---\ntitle: Trip\n---\n![pic](pic.png)\n")
    write(blog / "content/posts/trip/pic.png", "")
    other = write(
        blog / "content/posts/b.md",
        '---\ntitle: B\n---\n[t](trip/) [i](trip/index.md) [p](trip/pic.png) {{< ref "trip" >}}\n',
    )
    res = run("mv", "content/posts/trip", "journey", "--yes")
    assert res.exit_code == 0, res.stderr
    assert "edited 2 files: content/posts/journey/index.md, content/posts/b.md" in res.stderr
    assert sorted(p.name for p in (blog / "content/posts/journey").iterdir()) == [
        "index.md",
        "pic.png",
    ]
    assert not (blog / "content/posts/trip").exists()
    assert (blog / "content/posts/journey/index.md").read_text() == (
        "---\ntitle: Trip\naliases: [/posts/trip/]\n---\n![pic](pic.png)\n"
    )
    assert other.read_text().endswith(
        '[t](journey/) [i](journey/index.md) [p](trip/pic.png) {{< ref "journey" >}}\n'
    )
    assert run("check", "--rule", "broken-link").exit_code == 1  # trip/pic.png moved too


def test_zola_taxonomies_and_internal_links(blog: Path, run: Run) -> None:
    write(blog / "config.toml", "base_url = 'https://x.org'\n")
    a = write(
        blog / "content/blog/a.md",
        '+++\ntitle = "A"\n\n[taxonomies]\ntags = ["rust", "Go"]  # two\n+++\nBody\n',
    )
    b = write(blog / "content/blog/b.md", '+++\ntitle = "B"\n+++\nSee [a](@/blog/a.md#top).\n')
    assert run("tags", "rename", "go", "golang").exit_code == 0
    assert a.read_text() == (
        '+++\ntitle = "A"\n\n[taxonomies]\ntags = ["rust", "golang"]  # two\n+++\nBody\n'
    )
    assert run("mv", "a", "alpha", "--yes").exit_code == 0
    assert b.read_text() == '+++\ntitle = "B"\n+++\nSee [a](@/blog/alpha.md#top).\n'
    assert (blog / "content/blog/alpha.md").read_text() == (
        '+++\ntitle = "A"\naliases = ["/blog/a/"]\n\n[taxonomies]\ntags = ["rust", "golang"]'
        "  # two\n+++\nBody\n"
    )


def test_json_front_matter_edits(blog: Path, run: Run) -> None:
    p = write(blog / "articles/a.md", '{\n  "title": "A",\n  "tags": ["x", "y"]\n}\nBody\n')
    assert run("set", "draft=true", "a").exit_code == 0
    assert run("tags", "rm", "x").exit_code == 0
    assert p.read_text() == '{\n  "title": "A",\n  "tags": ["y"],\n  "draft": true\n}\nBody\n'


def test_hostile_names_are_inert_in_messages(blog: Path, run: Run) -> None:
    write(blog / "articles/a\x1b[31mred.md", post_text("A", tags=("x",)))
    write(blog / "articles/b.md", post_text("B", tags=("x",)))
    res = run("tags", "rename", "x", "y\x1b[2J", "--yes")
    assert res.exit_code == 2 and "control characters" in res.stderr
    res = run("tags", "rename", "x", "y", "--yes")
    assert res.exit_code == 0
    assert "\x1b" not in res.stderr and "a\\x1b[31mred.md" in res.stderr


def test_renaming_a_category_of_the_shipped_articles(blog: Path, run: Run) -> None:
    import shutil

    from conftest import ROOT

    shutil.rmtree(blog / "articles")
    shutil.copytree(ROOT / "articles", blog / "articles")
    before = {p.name: p.read_bytes() for p in (blog / "articles").iterdir()}
    res = run("categories", "rename", "Performance", "Speed", "--yes")
    assert res.exit_code == 0, res.stderr
    after = {p.name: p.read_bytes() for p in (blog / "articles").iterdir()}
    assert after.keys() == before.keys()
    for name, old in before.items():
        pairs = changed_lines(old.decode(), after[name].decode())
        assert pairs == [('category: "Performance"\n', 'category: "Speed"\n')], name
    # on a terminal, the table with its header (#18: piped, one tab-separated line per row)
    shown = run("categories", env={"TTY_COMPATIBLE": "1", "PAGER": ""}).stdout
    assert shown.split()[:4] == ["Category", "Posts", "Speed", "17"]
    assert run("categories").stdout == "Speed\t17\n"


def test_set_a_date_is_written_as_each_format_reads_dates(blog: Path, run: Run) -> None:
    y = write(blog / "articles/y.md", "---\ntitle: Y\ndate: 2020-01-01\n---\nx\n")
    t = write(blog / "articles/t.md", "+++\ntitle = 'T'\ndate = 2020-01-01\n+++\nx\n")
    j = write(blog / "articles/j.md", '{\n  "title": "J",\n  "date": "2020-01-01"\n}\nx\n')
    res = run(
        "set", "date=2025-06-10 09:30:00 +0200", "articles/y.md", "articles/t.md", "j", "--yes"
    )
    assert res.exit_code == 0, res.stderr
    assert "date: 2025-06-10 09:30:00 +0200\n" in y.read_text()
    assert "date = 2025-06-10T09:30:00+02:00\n" in t.read_text()
    assert '"date": "2025-06-10 09:30:00 +0200"\n' in j.read_text()
    dates = {r["path"]: r["date"] for r in json.loads(run("list", "-f", "json").stdout)}
    assert set(dates.values()) == {"2025-06-10T09:30:00+02:00"}


def test_never_a_file_that_is_not_an_indexed_post(blog: Path, run: Run) -> None:
    notes = write(blog / "articles/notes.txt", "---\ntitle: x\n---\n")
    broken = write(blog / "articles/broken.md", "---\ntitle: [unclosed\n---\nx\n")
    outside = write(blog / "elsewhere/c.md", post_text("C"))
    before = {p: p.read_bytes() for p in (notes, broken, outside)}
    for target in ("articles/notes.txt", "articles/broken.md", "elsewhere/c.md"):
        res = run("set", "x=1", target)
        assert res.exit_code in (1, 2), target
        assert res.stderr.splitlines()[-1].startswith(f"postctl: error: {target}: "), res.stderr
    assert {p: p.read_bytes() for p in before} == before


KILL_MID_EDIT = """
import os, signal, sys
calls = []
real = os.replace
def replace(*args):
    calls.append(args)
    if len(calls) == 2:
        os.kill(os.getpid(), signal.SIGKILL)
    return real(*args)
os.replace = replace
from postctl.cli import main
sys.argv = ["postctl", "tags", "rename", "redis", "valkey", "--yes"]
main()
"""


def test_a_kill_in_the_middle_of_an_edit_leaves_each_file_old_or_new(
    three: dict[str, Path], blog: Path, run: Run
) -> None:
    before = texts(three)
    proc = subprocess.run([sys.executable, "-c", KILL_MID_EDIT], cwd=blog, check=False)
    assert proc.returncode == -9
    after = texts(three)
    new = [k for k in after if after[k] != before[k]]
    assert new == ["a"]  # the first rename happened, the second was killed before it
    assert "valkey" in after["a"] and after["b"] == before["b"] and after["c"] == before["c"]
    leftovers = sorted(p.name for p in (blog / "articles").iterdir() if p.name.startswith("."))
    assert leftovers and all(n.endswith(".postctl~") for n in leftovers)
    # the next command sees the files as they are: the edit can simply be run again; a
    # temporary file an hour old is a leftover, and goes
    for name in leftovers:
        os.utime(blog / "articles" / name, (1, 1))
    res = run("tags", "rename", "redis", "valkey", "--yes")
    assert res.exit_code == 0
    assert f"removed {len(leftovers)} temporary file" in res.stderr
    assert not [p for p in (blog / "articles").iterdir() if p.name.endswith(".postctl~")]
    assert all("valkey" in t for t in texts(three).values())
    assert run("tags", "-f", "csv").stdout.splitlines()[1:2] == ["valkey,valkey,3"]


def test_sweep_takes_only_old_temporaries(tmp_path: Path) -> None:
    from postctl.edit import atomic

    old = write(tmp_path / ".a.md.x1.postctl~", "old")
    fresh = write(tmp_path / ".a.md.x2.postctl~", "fresh")  # another edit may be renaming it
    post = write(tmp_path / "a.md", "post")
    other = write(tmp_path / ".notes.postctl~.bak", "not ours")
    os.utime(old, (1000, 1000))
    os.utime(fresh, (1000 + 60, 1000 + 60))  # a minute younger: under an hour old
    gone = atomic.sweep([str(tmp_path)], now=1000 + atomic.STALE_SECONDS + 1)
    assert gone == [str(old)]
    assert fresh.exists() and post.exists() and other.exists()
