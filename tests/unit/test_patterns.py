"""`patterns.with_letters`: a cue spelled with an explicit letter class matches what it matched
with the Unicode `\\w` (the rewrite is for speed only) on the letters of the corpus's languages."""

import re

import polars as pl
import pytest

from orchestration.extract.patterns import COUNTERPART_BEFORE, with_letters

SAMPLES = [
    "встречи с президентом ",
    "talks with the leaders of ",
    "переговоры с Қасым-Жомарт ",  # Kazakh letters are letters
    "a meeting with José Raúl ",  # Latin-1 letters too
    "встреча, ",
    "с ",
    "",
]


@pytest.mark.parametrize(
    "pattern",
    [r"(?i)(?:^|\W)(?:с|со|with)\s+(?:[\w-]+\s+){0,3}$", r"(?i)^\s*(?:,|и)\s*(?:[\w-]+\s+){0,2}$", r"(?i)(?:^|[^\w-])к\w*\s+$"],
)
def test_with_letters_matches_the_same_rows_as_unicode_word_characters(pattern):
    rewritten = with_letters(pattern)
    assert r"\w" not in rewritten and r"\W" not in rewritten
    column = pl.Series(SAMPLES + [s.upper() for s in SAMPLES])
    assert column.str.contains(rewritten).to_list() == column.str.contains(pattern).to_list()
    # and as Python's own engine reads the original
    assert column.str.contains(rewritten).to_list() == [bool(re.search(pattern, s)) for s in column]


def test_a_cue_with_letters_still_needs_a_whole_word():
    assert re.search(COUNTERPART_BEFORE, "переговоры с Қасым-Жомарт ")
    assert not re.search(COUNTERPART_BEFORE, "переговорыс ")
