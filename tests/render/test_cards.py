"""The piped card page: the fast path for lines that fit wraps as textwrap does, and the page
is what wrapping the wholly inert records draws."""

from __future__ import annotations

import textwrap
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from postctl.render.inert import inert, inert_data
from postctl.render.terminal import fits, meta_line, plain_cards

ODD = ["", " ", "a", " a", "b ", "a  b", "a\tb", "x\ny", "\x0bv", "f\x0c", "c\rr", "\xa0", "a\xa0"]
TEXT = st.one_of(
    st.sampled_from(ODD),
    st.text(alphabet=st.sampled_from(list("ab -\t\n\r\x0b\x0c\x1b\x9b\xa0\u2028é漢")), max_size=40),
)


@settings(max_examples=400, deadline=None)
@given(TEXT, st.integers(min_value=1, max_value=30))
def test_a_line_that_fits_is_what_textwrap_makes_of_it(text: str, width: int) -> None:
    wrapped = textwrap.TextWrapper(width=width, break_on_hyphens=False).wrap(text)
    if fits(text, width):
        assert wrapped == [text]


def test_fits_says_yes_to_a_plain_title_and_no_to_an_overlong_one() -> None:
    assert fits("A plain title", 20)
    assert not fits("A plain title", 5)
    assert not fits(" padded", 20)
    assert not fits("", 20)


def before(width: int, heading: str, summary: str, records: list[dict[str, Any]]) -> str:
    """The page as drawn before: every record made inert whole, every line through textwrap."""
    heading, summary, records = inert(heading), inert(summary), inert_data(records)
    wrap = textwrap.TextWrapper(width=width, break_on_hyphens=False).wrap
    lines = [*wrap(heading), *wrap(summary)]
    for rec in records:
        lines += ["", *wrap(rec["title"] or rec["slug"])]
        if rec.get("description"):
            lines += wrap(rec["description"])
        lines.append(meta_line(rec))
    return "\n".join(lines) + "\n"


RECORD = st.fixed_dictionaries(
    {
        "title": TEXT,
        "slug": st.sampled_from(["s", "a\x1bb"]),
        "description": st.one_of(st.none(), TEXT),
        "date": st.one_of(
            st.none(), st.sampled_from(["2024-02-03", "2024-0\x1b-03", "\x1b]52", "x"])
        ),
        "reading_minutes": st.integers(min_value=0, max_value=99),
        "draft": st.booleans(),
        "tags": st.lists(TEXT, max_size=2),
    }
)


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=1, max_value=40), TEXT, TEXT, st.lists(RECORD, max_size=4))
def test_the_page_is_what_it_was(
    width: int, heading: str, summary: str, records: list[Any]
) -> None:
    assert plain_cards(width, heading, summary, records) == before(width, heading, summary, records)
