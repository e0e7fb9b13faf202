"""The diff an edit shows is found without splitting whole posts into lines, and is the same as
the diff over every line of both texts."""

from __future__ import annotations

import random

import pytest

from postctl.edit.ops import _diff, _text_diff

PIECES = [
    "title: A\n",
    "tags:\n",
    "  - redis\n",
    "\r\n",
    "line\r\n",
    "lone\rreturn\n",
    "sep\u2028arator\n",
    "\n",
    "x",
    "café ✓\n",
    "- item\n",
    "",
]


def every_line(old: str, new: str) -> list[str]:
    return _diff(old.splitlines(keepends=True), new.splitlines(keepends=True), "a/-", "b/-")


def texts(rng: random.Random) -> tuple[str, str]:
    old = [rng.choice(PIECES) for _ in range(rng.randint(0, 30))]
    new = list(old)
    for _ in range(rng.randint(0, 3)):
        at = rng.randint(0, len(new))
        op = rng.choice(("insert", "delete", "replace", "append char"))
        if op == "insert" or not new:
            new.insert(at, rng.choice(PIECES))
        elif op == "delete":
            del new[min(at, len(new) - 1)]
        elif op == "replace":
            new[min(at, len(new) - 1)] = rng.choice(PIECES)
        else:
            new[min(at, len(new) - 1)] += rng.choice("ab\n\r")
    return "".join(old), "".join(new)


@pytest.mark.parametrize("seed", range(40))
def test_the_diff_of_the_changed_region_is_the_diff_of_every_line(seed: int) -> None:
    rng = random.Random(seed)
    for _ in range(50):
        old, new = texts(rng)
        assert _text_diff(old, new, "a/-", "b/-") == every_line(old, new), (old, new)


def test_a_change_deep_in_a_long_post_is_numbered_from_the_file_s_start() -> None:
    old = "---\ntitle: T\n---\n" + "".join(f"line {i}\n" for i in range(1, 200))
    new = old.replace("line 150\n", "line 150, changed\n")
    diff = _text_diff(old, new, "a/-", "b/-")
    assert diff == every_line(old, new)
    assert diff[2] == "@@ -150,7 +150,7 @@\n"
    assert diff[3:] == [
        " line 147\n",
        " line 148\n",
        " line 149\n",
        "-line 150\n",
        "+line 150, changed\n",
        " line 151\n",
        " line 152\n",
        " line 153\n",
    ]
    assert _text_diff(old, old, "a/-", "b/-") == []
