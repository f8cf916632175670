"""Byte offsets in the text primitives: slicing a body by UTF-8 byte offsets gives the same text
as slicing it by characters (1- to 4-byte characters), and sentences keep exact character
offsets into the body."""

from __future__ import annotations

import polars as pl

from orchestration.extract.text import MAX_SENTENCE_CHARS, chars_before, locate, sentences, slice_bytes

# ASCII, Cyrillic (2 bytes), a dash and guillemets (3 bytes), an emoji (4 bytes)
MIXED = "Mr. Путин — «визит» 😀😀 в г. Астана. Ж😀ж—a. Б"


def byte_offset(text: str, char_offset: int) -> int:
    return len(text[:char_offset].encode())


def test_chars_before_equals_a_character_slice_at_every_position():
    positions = list(range(len(MIXED) + 1))
    frame = pl.DataFrame({"text": [MIXED] * len(positions), "byte_end": [byte_offset(MIXED, p) for p in positions]})
    for count in (1, 6):
        got = frame.select(chars_before("text", pl.col("byte_end"), count)).to_series().to_list()
        assert got == [MIXED[max(p - count, 0) : p] for p in positions]


def test_slice_bytes_equals_a_character_slice():
    spans = [(start, stop) for start in range(0, len(MIXED), 3) for stop in range(start, len(MIXED) + 1, 5)]
    frame = pl.DataFrame(
        {
            "text": [MIXED] * len(spans),
            "start": [byte_offset(MIXED, a) for a, _ in spans],
            "stop": [byte_offset(MIXED, b) for _, b in spans],
        }
    )
    got = frame.select(slice_bytes("text", pl.col("start"), pl.col("stop"))).to_series().to_list()
    assert got == [MIXED[a:b] for a, b in spans]


def test_locate_gives_byte_offsets_of_each_match():
    frame = pl.LazyFrame({"id": ["a", "b"], "text": [MIXED, "😀 визит, визит"]})
    found = locate(frame, "text", ["id", "text"], pattern="визит", byte_offsets=True).collect()
    assert found.height == 3
    for text, start, end, byte_start, byte_end in found.select("text", "match_start", "match_end", "match_byte_start", "match_byte_end").rows():
        assert (byte_start, byte_end) == (byte_offset(text, start), byte_offset(text, end))


def test_sentences_keep_character_offsets_into_a_multibyte_body():
    run_on = "Ж" * (MAX_SENTENCE_CHARS + 100)  # no full stop: cut into two pieces
    body = f"{MIXED} Вторая фраза!\n\n{run_on}\nВ. Путин прибыл. «Итоги» — 😀."
    documents = pl.LazyFrame({"document_id": ["d"], "body": [body]})
    out = sentences(documents).collect()
    assert [body[a:b] for a, b in out.select("char_start", "char_end").rows()] == out["sentence"].to_list()
    assert out["sentence"].to_list() == [
        "Mr. Путин — «визит» 😀😀 в г. Астана.",  # no cut after "Mr." nor "г."
        "Ж😀ж—a.",
        "Б Вторая фраза!",
        "Ж" * MAX_SENTENCE_CHARS,
        "Ж" * 100,
        "В. Путин прибыл.",  # an initial is no sentence end
        "«Итоги» — 😀.",
    ]
    assert out["paragraph_index"].to_list() == [0, 0, 0, 1, 1, 2, 2]
