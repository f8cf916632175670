"""Ingest of JSON Lines bulk files (`.jsonl`, `.jsonl.gz`): batching and per-line errors."""

from __future__ import annotations

import gzip
import json
import random
from pathlib import Path

import polars as pl
import pytest

from orchestration import schemas
from orchestration.ingest import bulk, read_documents, scan_source

WORDS = (
    "Президент провёл переговоры с коллегой визит соглашение подписали инвестиции "
    "товарооборот вырос Казахстан Узбекистан Россия Китай США саммит министр"
).split()


def article(i: int, rng: random.Random | None = None) -> str:
    """A distinct article; with `rng`, a long incompressible one (so gzip cuts land mid-file)."""
    if rng is None:
        return f"Статья номер {i}. Президент провёл переговоры с коллегой, сообщает пресс-служба."
    return f"Статья номер {i}. " + " ".join(rng.choice(WORDS) + str(rng.randrange(10**6)) for _ in range(300))


def jsonl(records: list) -> bytes:
    return "".join(
        (r if isinstance(r, str) else json.dumps(r, ensure_ascii=False)) + "\n" for r in records
    ).encode()


def mixed_lines() -> tuple[bytes, dict[int, str]]:
    """Good records with broken ones among them; returns (file bytes, {line: reason part})."""
    lines = [
        json.dumps(
            {"text": article(1), "title": "Первая", "url": "https://www.ng.ru/world/2018-03-14/1.html"},
            ensure_ascii=False,
        ),
        json.dumps(
            {"content": article(2), "published_at": "2017-05-06T10:00:00Z", "keywords": ["a"]},
            ensure_ascii=False,
        ),
        '{"text": "unterminated',
        "",
        "   ",
        json.dumps({"text": "", "content": article(6), "outlet": "НГ", "language": "ru"}, ensure_ascii=False),
        json.dumps({"title": "no text at all"}),
        "[1, 2, 3]",
        json.dumps({"text": "   "}),
        json.dumps({"text": article(10), "summary": "ignored"}, ensure_ascii=False),
    ]
    data = ("\n".join(lines) + "\n").encode("utf-8")
    data += b'{"text": "\xff\xfe broken utf-8"}\n'  # line 11
    data += json.dumps({"text": article(12)}, ensure_ascii=False).encode() + b"\n"
    broken = {3: "invalid JSON", 7: "no text", 8: "not an object", 9: "no text", 11: "not UTF-8"}
    return data, broken


def errors_by_line(result, source_name: str) -> dict[int | None, str]:
    errors = result.errors.filter(pl.col("source_name") == source_name)
    return dict(zip(errors["source_line"], errors["reason"], strict=True))


@pytest.mark.parametrize("compressed", [False, True], ids=["jsonl", "jsonl.gz"])
def test_broken_lines_are_errors_and_the_good_lines_load(tmp_path: Path, compressed: bool):
    data, broken = mixed_lines()
    name = "bulk.jsonl.gz" if compressed else "bulk.jsonl"
    (tmp_path / name).write_bytes(gzip.compress(data) if compressed else data)
    result = read_documents(tmp_path)
    found = errors_by_line(result, name)
    assert set(found) == set(broken)
    for line, part in broken.items():
        assert part in found[line], (line, found[line])
    documents = result.documents
    assert documents.schema == pl.Schema(schemas.DOCUMENTS)
    assert documents["source_line"].to_list() == [1, 2, 6, 10, 12]
    assert documents["source_name"].unique().to_list() == [name]
    first = documents.row(0, named=True)
    assert first["title"] == "Первая"
    assert first["outlet"] == "ng.ru"
    assert str(first["published_at"]) == "2018-03-14" and first["published_at_source"] == "url"
    second = documents.row(1, named=True)
    assert second["body"].startswith("Статья номер 2.")  # from `content`
    assert str(second["published_at"]) == "2017-05-06" and second["published_at_source"] == "record"
    third = documents.row(2, named=True)
    assert third["body"].startswith("Статья номер 6.")  # blank `text` falls back to `content`
    assert third["outlet"] == "НГ"
    assert third["raw_text"] == article(6)


def test_gz_and_plain_files_give_the_same_documents(tmp_path: Path):
    data, _ = mixed_lines()
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    (tmp_path / "a" / "x.jsonl").write_bytes(data)
    (tmp_path / "b" / "x.jsonl.gz").write_bytes(gzip.compress(data))
    plain = read_documents(tmp_path / "a").documents.drop("source_name")
    packed = read_documents(tmp_path / "b").documents.drop("source_name")
    assert plain.equals(packed)


def test_small_batches_give_the_same_result(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    data, broken = mixed_lines()
    records = [{"text": article(1000 + i)} for i in range(200)]
    data = data + jsonl(records[:100]) + b"{oops\n" + jsonl(records[100:])
    (tmp_path / "many.jsonl.gz").write_bytes(gzip.compress(data))
    whole = read_documents(tmp_path)
    monkeypatch.setattr(bulk, "BATCH_BYTES", 300)  # a few lines per batch
    monkeypatch.setattr(bulk, "READ_BYTES", 64)
    batched = read_documents(tmp_path)
    assert batched.documents.equals(whole.documents)
    assert batched.errors.equals(whole.errors)
    assert batched.documents.height == 5 + 200
    found = errors_by_line(batched, "many.jsonl.gz")
    # The mixed lines are 1-12, the records 13-112 and 114-213: "{oops" is line 113.
    assert set(found) == {*broken, 113}
    assert "invalid JSON" in found[113]
    assert batched.documents["source_line"].to_list()[-1] == 213


def test_truncated_gzip_keeps_the_lines_before_the_cut(tmp_path: Path):
    rng = random.Random(7)
    records = [{"text": article(i, rng)} for i in range(400)]
    packed = gzip.compress(jsonl(records))
    (tmp_path / "cut.jsonl.gz").write_bytes(packed[: len(packed) * 6 // 10])
    result = read_documents(tmp_path)
    found = errors_by_line(result, "cut.jsonl.gz")
    assert len(found) == 1
    ((line, reason),) = found.items()
    assert "truncated" in reason
    loaded = result.documents["source_line"].to_list()
    assert 100 < len(loaded) < 400
    assert loaded == list(range(1, len(loaded) + 1))  # every line before the cut
    assert line == len(loaded) + 1  # the partial line is the error
    assert result.documents["body"].to_list() == [r["text"] for r in records[: len(loaded)]]


def test_corrupt_or_fake_gzip_is_an_error(tmp_path: Path):
    packed = bytearray(gzip.compress(jsonl([{"text": article(i, random.Random(i))} for i in range(50)])))
    packed[len(packed) // 2 : len(packed) // 2 + 64] = bytes(64)
    (tmp_path / "corrupt.jsonl.gz").write_bytes(bytes(packed))
    (tmp_path / "fake.jsonl.gz").write_bytes(jsonl([{"text": article(1)}]))
    (tmp_path / "empty.jsonl.gz").write_bytes(b"")
    (tmp_path / "empty.jsonl").write_bytes(b"\n\n")
    result = read_documents(tmp_path)
    assert any(
        "corrupt gzip" in r or "truncated" in r for r in errors_by_line(result, "corrupt.jsonl.gz").values()
    )
    assert "not a gzip file" in errors_by_line(result, "fake.jsonl.gz")[None]
    assert "empty" in errors_by_line(result, "empty.jsonl.gz")[None]
    assert "empty" in errors_by_line(result, "empty.jsonl")[None]


def test_concatenated_gzip_members_are_read(tmp_path: Path):
    first = gzip.compress(jsonl([{"text": article(1)}, {"text": article(2)}]))
    second = gzip.compress(jsonl([{"text": article(3)}]))
    (tmp_path / "multi.jsonl.gz").write_bytes(first + second)
    result = read_documents(tmp_path)
    assert result.errors.is_empty()
    assert result.documents["source_line"].to_list() == [1, 2, 3]


def test_article_over_the_limit_is_an_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(bulk, "MAX_ARTICLE_BYTES", 1000)
    records = [{"text": article(1)}, {"text": "Слово " * 500}, {"text": article(3)}]
    (tmp_path / "big.jsonl").write_bytes(jsonl(records))
    result = read_documents(tmp_path)
    assert "too large" in errors_by_line(result, "big.jsonl")[2]
    assert result.documents["source_line"].to_list() == [1, 3]


def test_overlong_line_is_skipped_without_buffering(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(bulk, "BATCH_BYTES", 256)
    monkeypatch.setattr(bulk, "READ_BYTES", 128)
    monkeypatch.setattr(bulk, "MAX_LINE_BYTES", 1024)
    records = [{"text": article(1)}, {"text": "x" * 5000}, {"text": article(3)}]
    (tmp_path / "long.jsonl").write_bytes(jsonl(records))
    result = read_documents(tmp_path)
    assert "longer than" in errors_by_line(result, "long.jsonl")[2]
    assert result.documents["source_line"].to_list() == [1, 3]


def test_bom_and_crlf_and_missing_final_newline(tmp_path: Path):
    data = b"\xef\xbb\xbf" + jsonl([{"text": article(1)}, {"text": article(2)}]).replace(b"\n", b"\r\n")
    (tmp_path / "win.jsonl").write_bytes(data + json.dumps({"text": article(3)}).encode())
    result = read_documents(tmp_path)
    assert result.errors.is_empty()
    assert result.documents["source_line"].to_list() == [1, 2, 3]


def test_duplicate_articles_are_kept_once_in_source_order(tmp_path: Path):
    (tmp_path / "a.jsonl").write_bytes(
        jsonl([{"text": article(1)}, {"text": article(2)}, {"text": article(1)}])
    )
    (tmp_path / "b.txt").write_text(article(2), encoding="utf-8")
    result = read_documents(tmp_path)
    assert result.documents.select("source_name", "source_line").rows() == [("a.jsonl", 1), ("a.jsonl", 2)]
    assert result.duplicates.select(
        "source_name", "source_line", "duplicate_of", "duplicate_of_line"
    ).rows() == [
        ("a.jsonl", 3, "a.jsonl", 1),
        ("b.txt", None, "a.jsonl", 2),
    ]


def test_scan_source_fingerprints_bulk_files(tmp_path: Path):
    packed = gzip.compress(jsonl([{"text": article(i)} for i in range(10)]))
    (tmp_path / "x.jsonl.gz").write_bytes(packed)
    row = scan_source(tmp_path).row(0, named=True)
    assert row["size_bytes"] == len(packed)
    assert len(row["fingerprint"]) == 64


def test_unrecognised_language_field_falls_back_to_the_guess(tmp_path: Path):
    records = [
        {"text": article(1), "language": "Russian"},
        {"text": "The President held talks in the Kremlin.", "language": "EN-gb"},
        {"text": article(3), "language": "  "},
    ]
    (tmp_path / "lang.jsonl").write_bytes(jsonl(records))
    assert read_documents(tmp_path).documents["language"].to_list() == ["ru", "en", "ru"]
