"""check is quiet on a healthy site of each generator and speaks its link syntax; new writes
the file the generator publishes."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import Result, write

Run = Callable[..., Result]


def diagnostics(res: Result) -> list[str]:
    return [line.split(": ", 1)[1] for line in res.stdout.splitlines()[:-1]]


def test_hugo_check_reports_only_the_broken_ref(site_copy: Callable[[str], Path], run: Run) -> None:
    site_copy("hugo")
    res = run("check")
    assert res.exit_code == 1
    lines = res.stdout.splitlines()
    errors = [x for x in lines if " error " in x]
    assert errors == [
        'content/posts/links.md:5:79: error broken-link ref "nowhere.md" names no file in the site'
    ]
    # dots and capitals are fine in Hugo URLs; _index.md is not a post: nothing about them
    assert not any("slug" in x or "_index" in x for x in lines)
    assert run("check", "content/posts/_index.md", "content/posts/bundle/notes.md").exit_code == 0


def test_jekyll_check_reads_post_url_and_keeps_dotted_slugs(
    site_copy: Callable[[str], Path], run: Run
) -> None:
    site_copy("jekyll")
    res = run("check")
    errors = [x for x in res.stdout.splitlines() if " error " in x]
    # a draft needs no date (Jekyll dates it when it is published); a date in the file name
    # counts; no front matter means no title
    assert errors == [
        "_posts/2014-01-01-dotted-v1.0.0.md:7:13: error broken-link post_url "
        '"2099-01-01-missing" names no file in the site',
        "_posts/2015-02-03-bad-date.md:3:1: error type date: '2023-01-29 18:30:22 2023 -0800' "
        "is not a date (use YYYY-MM-DD)",
        "_posts/2019-05-05-no-front-matter.md:1:1: error required no front matter "
        "(required: title)",
    ]


def test_zola_check_resolves_at_links(site_copy: Callable[[str], Path], run: Run) -> None:
    site_copy("zola")
    errors = [x for x in run("check").stdout.splitlines() if " error " in x]
    assert errors == [
        'content/blog/2024-11-26-dated-by-name.md:12:61: error broken-link @/ "blog/nowhere.md" '
        "names no file in the site"
    ]


def test_plain_folder_keeps_postctl_strict_defaults(blog: Path, run: Run) -> None:
    write(blog / "articles" / "a.md", "---\ntitle: A\n---\nBody.\n")
    res = run("check")
    assert sorted(d.split(" ", 2)[2] for d in diagnostics(res)) == [
        'missing required field "category"',
        'missing required field "date"',
        'missing required field "description"',
    ]


def test_new_jekyll_post_and_draft(site_copy: Callable[[str], Path], run: Run) -> None:
    site = site_copy("jekyll")
    res = run("new", "Hello World", "-c", "release", "--date", "2024-02-03")
    assert (res.exit_code, res.stdout) == (0, "_posts/2024-02-03-hello-world.md\n"), res.stderr
    text = (site / "_posts/2024-02-03-hello-world.md").read_text()
    assert text.startswith('---\nlayout: "post"\ntitle: "Hello World"\ndate: 2024-02-03\n')
    draft = run("new", "Later", "--draft")
    assert draft.stdout == "_drafts/later.md\n"
    assert "date:" not in (site / "_drafts/later.md").read_text()
    checked = run("check", "_posts/2024-02-03-hello-world.md", "_drafts/later.md")
    assert checked.exit_code == 0, checked.stdout
    listed = run("list", "--all", "-f", "paths").stdout.split()
    assert {"_posts/2024-02-03-hello-world.md", "_drafts/later.md"} <= set(listed)


@pytest.mark.parametrize("q", ['"', "'"])
def test_new_quotes_the_date_as_most_posts_do(
    site_copy: Callable[[str], Path], run: Run, q: str
) -> None:
    site = site_copy("jekyll")
    for day in (4, 5, 6):
        post = site / f"_posts/2019-03-0{day}-quoted-{day}.md"
        post.write_text(f"---\ntitle: Q{day}\ndate: {q}2019-03-0{day} 10:00:00{q}\n---\n")
    res = run("new", "Hello World", "--date", "2024-02-03")
    assert res.exit_code == 0, res.stderr
    text = (site / "_posts/2024-02-03-hello-world.md").read_text()
    assert f"\ndate: {q}2024-02-03{q}\n" in text
    assert run("check", "_posts/2024-02-03-hello-world.md").exit_code == 0
    listed = json.loads(run("show", "_posts/2024-02-03-hello-world.md", "-f", "json").stdout)
    assert listed["date"] == "2024-02-03"
    # the fixture's own posts are bare: with one quoted post fewer than bare ones, bare wins
    for day in (5, 6):
        (site / f"_posts/2019-03-0{day}-quoted-{day}.md").unlink()
    run("new", "Bare", "--date", "2024-02-04")
    assert "\ndate: 2024-02-04\n" in (site / "_posts/2024-02-04-bare.md").read_text()


def test_new_hugo_fills_the_archetype(site_copy: Callable[[str], Path], run: Run) -> None:
    site = site_copy("hugo")
    res = run("new", "My New Post", "--section", "posts", "-t", "redis", "--date", "2024-02-03")
    assert res.stdout == "content/posts/my-new-post.md\n", res.stderr
    assert (site / "content/posts/my-new-post.md").read_text() == (
        "---\ndate: '2024-02-03T00:00:00+05:30'\ndraft: true\ntitle: 'My New Post'\n"
        'tags: ["redis"]\n---\n'
    )
    bundle = run("new", "Bundled", "--section", "posts", "--bundle", "--dry-run", "--print-path")
    assert bundle.stdout == "content/posts/bundled/index.md\n"
    taken = run("new", "Urlled", "--section", "special", "--slug", "place", "--dry-run")
    assert taken.exit_code == 1
    assert 'already has the URL "/special/place/"' in taken.stderr


def test_new_hugo_refuses_what_it_cannot_fill_in(
    site_copy: Callable[[str], Path], run: Run
) -> None:
    site = site_copy("hugo")
    write(site / "archetypes" / "posts.md", "---\ntitle: '{{ .Site.Title }}'\n---\n")
    res = run("new", "X", "--section", "posts")
    assert res.exit_code == 2
    assert res.stderr.startswith(
        "postctl: error: archetypes/posts.md:2: .Site.Title in {{ .Site.Title }} is beyond what "
        "postctl fills in"
    )
    assert not (site / "content/posts/x.md").exists()


def test_new_zola_writes_declared_taxonomies_in_toml(
    site_copy: Callable[[str], Path], run: Run
) -> None:
    site = site_copy("zola")
    res = run("new", "Fresh", "--section", "blog", "-c", "Release", "-t", "rust", "-d", "D.")
    assert res.stdout == "content/blog/fresh.md\n", res.stderr
    text = (site / "content/blog/fresh.md").read_text()
    head = text.split("+++")[1]
    assert "[taxonomies]\n" in head
    assert 'categories = ["Release"]\ntags = ["rust"]\n' in head
    assert head.index("[taxonomies]") > head.index("title =")


@pytest.mark.parametrize("dialect", ["hugo", "zola"])
def test_new_in_category_folders(
    dialect: str, site_copy: Callable[[str], Path], run: Run, tmp_path: Path
) -> None:
    site = site_copy(dialect)
    root = site / "content"
    for i, cat in enumerate(["release", "release", "guides"]):
        fm = (
            f'+++\ntitle = "{cat}{i}"\n[taxonomies]\ncategories = ["{cat}"]\n+++\n'
            if dialect == "zola"
            else f"---\ntitle: {cat}{i}\ncategories: [{cat}]\n---\n"
        )
        write(root / cat / f"p{i}.md", fm)
    for p in root.glob("posts/*.md"):
        p.unlink()
    res = run("new", "Next one", "-c", "release", "--dry-run", "--print-path")
    assert res.stdout == "content/release/next-one.md\n", res.stderr


def test_new_on_a_plain_folder_is_unchanged(blog: Path, run: Run) -> None:
    today = dt.date.today().isoformat()
    res = run("new", "Plain", "-c", "Ops")
    assert res.stdout == "articles/plain.md\n"
    assert (
        (blog / "articles/plain.md").read_text().startswith(f'---\ntitle: "Plain"\ndate: {today}\n')
    )
    assert run("new", "X", "--section", "a").exit_code == 2
