"""The one seam between edits and dialects: which generator, and what that means for an edit."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import write

from postctl.config import load_settings
from postctl.edit.conventions import conventions


@pytest.mark.parametrize(
    ("config", "text", "name", "alias"),
    [
        ("_config.yml", "title: x\n", "jekyll", "redirect_from"),
        ("hugo.toml", "baseURL = 'https://x.org/'\n", "hugo", "aliases"),
        ("config.toml", "baseURL = 'https://x.org/'\n", "hugo", "aliases"),
        ("config.toml", "base_url = 'https://x.org'\n", "zola", "aliases"),
        ("zola.toml", "base_url = 'https://x.org'\n", "zola", "aliases"),
        ("eleventy.config.js", "export default {}\n", "eleventy", None),
        ("astro.config.mjs", "export default {}\n", "astro", None),
    ],
)
def test_the_site_config_names_the_generator(
    blog: Path, config: str, text: str, name: str, alias: str | None
) -> None:
    write(blog / config, text)
    (blog / "content").mkdir()  # Hugo's legacy config.toml names a site beside its content/
    conv = conventions(load_settings())
    assert (conv.name, conv.alias_key) == (name, alias)
    assert conv.drafts_folder == (name == "jekyll")
    assert conv.taxonomy_table == (name == "zola")


def test_a_bare_folder_is_plain(blog: Path) -> None:
    conv = conventions(load_settings())
    assert (conv.name, conv.alias_key, conv.drafts_folder) == ("plain", None, False)


def test_the_dialect_named_in_postctl_toml_wins(blog: Path) -> None:
    write(blog / "postctl.toml", 'dialect = "jekyll"\ncontent = "."\n')
    conv = conventions(load_settings())
    assert (conv.name, conv.alias_key, conv.drafts_folder, conv.site) == (
        "jekyll",
        "redirect_from",
        True,
        blog,
    )
