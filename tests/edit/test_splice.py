"""Format-preserving edits: only the lines of the edited key change, byte for byte.

The property, over every parser fixture and over generated front matter: parse → edit one key →
the text before the key's first line and after its last line is identical, the key reads back
as the new value, and every other key reads back as before.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from postctl.edit import splice
from postctl.edit.ops import Doc
from postctl.parse.spans import line_end, line_start

FIXTURES = Path(__file__).resolve().parent.parent / "parse" / "fixtures" / "parse"
POSTS = sorted(p for p in FIXTURES.iterdir() if not p.name.endswith(".json") and p.is_file())
POSTS = [p for p in POSTS if not p.name.startswith(".")]
ARTICLES = sorted((Path(__file__).resolve().parents[2] / "articles").glob("*.md"))
POSTS += ARTICLES  # and the shipped posts


def read(path: Path) -> Doc | None:
    data = path.read_bytes()
    try:
        return Doc.read(path.name, str(path), data)
    except Exception:  # noqa: BLE001 - fixtures the parser refuses are not edited
        return None


def only_lines_changed(old: str, new: str, start: int, end: int) -> None:
    """``new`` equals ``old`` outside the lines of old[start:end]."""
    start, end = line_start(old, start), line_end(old, max(end - 1, start))
    assert new[:start] == old[:start]
    tail = old[end:]
    assert new.endswith(tail)
    assert len(new) - len(tail) >= start


NEW_VALUES: list[Any] = ["A new value: with a colon", "no", ["x y", "z"], True, 42]


@pytest.mark.parametrize("path", POSTS, ids=lambda p: p.name)
def test_every_fixture_every_key_set_and_unset(path: Path) -> None:
    doc = read(path)
    if doc is None or doc.fmt == "none":
        pytest.skip("no front matter to edit")
    assert doc is not None
    before = doc.meta()
    for key in doc.lay.top:
        if key in doc.lay.duplicates or doc.lay.entries[key].kind == "map":
            continue
        entry = doc.lay.entries[key]
        for value in NEW_VALUES:
            if doc.fmt == "toml" and value is None:
                continue
            new = splice.set_value(doc.text, doc.lay, key, value)
            only_lines_changed(doc.text, new, entry.start, entry.end)
            again = Doc.read(doc.rel, doc.path, (doc.bom + new).encode())
            assert again.meta()[key] == value
            assert {k: v for k, v in again.meta().items() if k != key} == {
                k: v for k, v in before.items() if k != key
            }
            assert new.count("\r\n") >= doc.text.count("\r\n") - entry.end + entry.start
        gone = splice.unset(doc.text, doc.lay, key)
        if doc.fmt != "json":
            assert gone == doc.text[: entry.start] + doc.text[entry.end :]
        after = Doc.read(doc.rel, doc.path, gone.encode()).meta()
        assert key not in after
        assert after == {k: v for k, v in before.items() if k != key}


@pytest.mark.parametrize("path", POSTS, ids=lambda p: p.name)
def test_every_fixture_a_new_key_is_one_added_line(path: Path) -> None:
    doc = read(path)
    if doc is None or doc.fmt == "none":
        pytest.skip("no front matter to edit")
    assert doc is not None
    new = splice.set_value(doc.text, doc.lay, "postctl_new", "hello world")
    old_lines = doc.text.splitlines(keepends=True)
    new_lines = new.splitlines(keepends=True)
    if doc.fmt == "json":
        assert len(new_lines) - len(old_lines) in (0, 1)
    else:
        assert len(new_lines) == len(old_lines) + 1
        extra = [line for line in new_lines if line not in old_lines]
        assert extra and "hello world" in extra[0]
        assert extra[0].endswith(doc.lay.newline)
    meta = Doc.read(doc.rel, doc.path, new.encode()).meta()
    assert meta["postctl_new"] == "hello world"


def test_bom_and_crlf_survive(tmp_path: Path) -> None:
    data = '\ufeff---\r\ntitle: "A"\r\ntags: [a, b]\r\n---\r\nBody\r\n'.encode()
    doc = Doc.read("x.md", "x.md", data)
    doc.set("title", "B")
    doc.edit_items("tags", ["a", None], ["c"])
    assert doc.new_bytes == '\ufeff---\r\ntitle: "B"\r\ntags: [a, c]\r\n---\r\nBody\r\n'.encode()


def test_block_list_items_keep_their_own_quoting_and_comments() -> None:
    text = "---\ntags:\n  - 'one'   # first\n  - two\n  - \"three\"\nnext: 1\n---\n"
    doc = Doc.read("x.md", "x.md", text.encode())
    doc.edit_items("tags", ["one", "deux", None])
    assert doc.text == "---\ntags:\n  - 'one'   # first\n  - deux\nnext: 1\n---\n"
    doc.edit_items("tags", ["one", "deux"], ["no"])
    assert doc.text == "---\ntags:\n  - 'one'   # first\n  - deux\n  - 'no'\nnext: 1\n---\n"


def test_a_yaml_trap_is_quoted_when_written() -> None:
    doc = Doc.read("x.md", "x.md", b"---\ntitle: x\n---\n")
    doc.set("title", "no")
    doc.set("time", "12:30")
    assert doc.meta() == {"title": "no", "time": "12:30"}


def test_toml_table_key_and_new_keys_before_the_first_table() -> None:
    text = '+++\ntitle = "A" # keep\n[taxonomies]\ntags = ["a", \'b\']\n+++\nbody\n'
    doc = Doc.read("x.md", "x.md", text.encode())
    doc.edit_items("taxonomies.tags", ["a", "c"])
    doc.set("draft", False)
    assert doc.text == (
        '+++\ntitle = "A" # keep\ndraft = false\n[taxonomies]\ntags = ["a", \'c\']\n+++\nbody\n'
    )


def test_json_members() -> None:
    text = '{\n  "title": "A",\n  "tags": ["a", "b"]\n}\nbody\n'
    doc = Doc.read("x.md", "x.md", text.encode())
    doc.set("draft", True)
    doc.unset("title")
    assert doc.text == '{\n  "tags": ["a", "b"],\n  "draft": true\n}\nbody\n'


def test_a_duplicated_key_is_not_edited() -> None:
    doc = Doc.read("x.md", "x.md", b"---\ntitle: a\ntitle: b\n---\n")
    with pytest.raises(splice.EditError, match="set twice"):
        doc.set("title", "c")


# --------------------------------------------------------------------------- generated

WORD = st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=1, max_size=8).filter(
    lambda w: yaml.safe_load(w) == w  # not null, yes, no, on...: words YAML reads as words
)
KEYS = st.lists(WORD, min_size=1, max_size=6, unique=True)


@st.composite
def front_matter(draw: Any) -> tuple[str, list[str]]:
    """Front matter in many styles: quoting, flow and block lists, comments, blank lines."""
    keys = [f"k{k}" for k in draw(KEYS)]
    nl = draw(st.sampled_from(["\n", "\r\n"]))
    lines = ["---"]
    for key in keys:
        if draw(st.booleans()):
            lines.append(draw(st.sampled_from(["", "# a comment", "   "])))
        kind = draw(st.sampled_from(["plain", "dq", "sq", "flow", "block", "date", "int", "bool"]))
        word = draw(WORD)
        if kind == "plain":
            lines.append(f"{key}: {word} words")
        elif kind == "dq":
            lines.append(f'{key}: "{word}: quoted"  # note')
        elif kind == "sq":
            lines.append(f"{key}:   '{word}'")
        elif kind == "flow":
            lines.append(f"{key}: [{word}, '{word}2', \"{word}3\"]")
        elif kind == "block":
            indent = draw(st.sampled_from(["", "  ", "    "]))
            lines.append(f"{key}:")
            lines += [f"{indent}- {word}", f"{indent}- '{word}2'  # c"]
        elif kind == "date":
            lines.append(f"{key}: 2024-0{draw(st.integers(1, 9))}-1{draw(st.integers(0, 9))}")
        elif kind == "int":
            lines.append(f"{key}: {draw(st.integers(1, 9999))}")
        else:
            lines.append(f"{key}: {draw(st.sampled_from(['true', 'false']))}")
    lines += ["---", "Body with **text**.", ""]
    text = nl.join(lines)
    if draw(st.booleans()):
        text = "\ufeff" + text
    return text, keys


VALUES = st.one_of(
    st.text(min_size=1, max_size=20).filter(lambda s: s.isprintable() and s.strip() == s),
    st.lists(WORD, min_size=0, max_size=3),
    st.booleans(),
    st.integers(-1000, 1000),
    st.dates(dt.date(1990, 1, 1), dt.date(2100, 1, 1)),
)


@settings(max_examples=150, deadline=None)
@given(front_matter(), st.data())
def test_generated_front_matter_edit_one_key(fm: tuple[str, list[str]], data: Any) -> None:
    text, keys = fm
    doc = Doc.read("x.md", "x.md", text.encode())
    before = doc.meta()
    key = data.draw(st.sampled_from(keys))
    value = data.draw(VALUES)
    entry = doc.lay.entries[key]
    new = splice.set_value(doc.text, doc.lay, key, value)
    only_lines_changed(doc.text, new, entry.start, entry.end)
    again = Doc.read("x.md", "x.md", (doc.bom + new).encode())
    assert again.meta()[key] == value
    assert {k: v for k, v in again.meta().items() if k != key} == {
        k: v for k, v in before.items() if k != key
    }
    assert again.bom == doc.bom
    gone = splice.unset(doc.text, doc.lay, key)
    assert gone == doc.text[: entry.start] + doc.text[entry.end :]


@settings(max_examples=100, deadline=None)
@given(front_matter(), st.data())
def test_generated_list_items_rename_one_line(fm: tuple[str, list[str]], data: Any) -> None:
    text, keys = fm
    doc = Doc.read("x.md", "x.md", text.encode())
    lists = [k for k in keys if doc.items(k)]
    if not lists:
        return
    key = data.draw(st.sampled_from(lists))
    items = doc.items(key)
    assert items is not None
    i = data.draw(st.integers(0, len(items) - 1))
    new_name = data.draw(st.sampled_from(["renamed", "no", "two words", "a: b"]))
    wanted: list[str | None] = list(items)
    wanted[i] = new_name
    old_lines = doc.text.splitlines(keepends=True)
    doc.edit_items(key, wanted)
    new_lines = doc.text.splitlines(keepends=True)
    assert len(new_lines) == len(old_lines)
    assert sum(a != b for a, b in zip(old_lines, new_lines, strict=True)) == 1
    assert doc.value(key) == wanted


@st.composite
def toml_front_matter(draw: Any) -> tuple[str, list[str]]:
    """TOML front matter: basic and literal strings, one-line and multi-line arrays with
    comments, numbers, booleans, dates, blank and comment lines, and a [table] at the end."""
    keys = [f"k{k}" for k in draw(KEYS)]
    table = [f"t{k}" for k in draw(st.lists(WORD, max_size=2, unique=True))]
    nl = draw(st.sampled_from(["\n", "\r\n"]))
    lines = ["+++"]

    def value(name: str) -> list[str]:
        kind = draw(st.sampled_from(["dq", "sq", "flow", "multi", "int", "bool", "date"]))
        word = draw(WORD)
        if kind == "dq":
            return [f'{name} = "{word} # not a comment"  # a comment']
        if kind == "sq":
            return [f"{name} = '{word}'"]
        if kind == "flow":
            return [f"{name} = [\"{word}\", '{word}2']"]
        if kind == "multi":
            return [f"{name} = [", f'  "{word}",  # first', f'  "{word}2",', "]"]
        if kind == "int":
            return [f"{name} = {draw(st.integers(0, 99999))}"]
        if kind == "bool":
            return [f"{name} = {draw(st.sampled_from(['true', 'false']))}"]
        return [f"{name} = 2024-0{draw(st.integers(1, 9))}-1{draw(st.integers(0, 9))}"]

    for key in keys:
        if draw(st.booleans()):
            lines.append(draw(st.sampled_from(["", "# note"])))
        lines += value(key)
    if table:
        lines.append("[extra]")
        for key in table:
            lines += value(key)
    lines += ["+++", "Body", ""]
    return nl.join(lines), keys + [f"extra.{k}" for k in table]


TOML_VALUES = st.one_of(
    st.text(min_size=1, max_size=20).filter(lambda s: s.isprintable() and s.strip() == s),
    st.lists(WORD, min_size=0, max_size=3),
    st.booleans(),
    st.integers(-1000, 1000),
    st.dates(dt.date(1990, 1, 1), dt.date(2100, 1, 1)),
)


@settings(max_examples=80, deadline=None)
@given(toml_front_matter(), st.data())
def test_generated_toml_edit_one_key(fm: tuple[str, list[str]], data: Any) -> None:
    text, keys = fm
    doc = Doc.read("x.md", "x.md", text.encode())
    before = doc.meta()
    key = data.draw(st.sampled_from(keys))
    value = data.draw(TOML_VALUES)
    entry = doc.lay.entries[key]
    new = splice.set_value(doc.text, doc.lay, key, value)
    only_lines_changed(doc.text, new, entry.start, entry.end)
    after = Doc.read("x.md", "x.md", new.encode()).meta()
    table, _, name = key.rpartition(".")
    got = after[table][name] if table else after[key]
    assert got == value
    if table:
        assert {k: v for k, v in after.items() if k != table} == {
            k: v for k, v in before.items() if k != table
        }
    else:
        assert {k: v for k, v in after.items() if k != key} == {
            k: v for k, v in before.items() if k != key
        }
    gone = splice.unset(doc.text, doc.lay, key)
    assert gone == doc.text[: entry.start] + doc.text[entry.end :]
