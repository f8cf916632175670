"""Ingest of plain-text files: the sample articles, front matter, and hostile input."""

from __future__ import annotations

import codecs
import hashlib
import os
import shutil
import unicodedata
from pathlib import Path

import polars as pl
import pytest

from orchestration import schemas
from orchestration.ingest import files, read_documents, scan_source

SEEDS = Path(__file__).resolve().parents[2] / "seeds"
SAMPLE_000 = "000_8241f55313080e07.txt"
SAMPLE_002 = "002_e20579983ca48371.txt"

ARTICLE = (
    "Президент России Владимир Путин провёл телефонный разговор с президентом Казахстана "
    "Касым-Жомартом Токаевым.\nСтороны обсудили вопросы двустороннего сотрудничества.\n"
)


def copy_samples(destination: Path) -> Path:
    destination.mkdir(parents=True, exist_ok=True)
    for sample in (SAMPLE_000, SAMPLE_002):
        shutil.copyfile(SEEDS / sample, destination / sample)  # copyfile: not the read-only mode
    return destination


def body_of(result, source_name: str) -> str:
    return result.documents.filter(pl.col("source_name") == source_name)["body"].item()


def reasons(result) -> dict[str, str]:
    return dict(zip(result.errors["source_name"], result.errors["reason"], strict=True))


@pytest.fixture
def samples(tmp_path: Path) -> Path:
    return copy_samples(tmp_path / "source")


# --- The sample articles -------------------------------------------------------------------


def test_samples_become_two_documents_with_the_contract_schema(samples: Path):
    result = read_documents(samples)
    assert result.errors.is_empty()
    assert result.documents["source_name"].to_list() == [SAMPLE_000, SAMPLE_002]
    assert result.documents.schema == pl.Schema(schemas.DOCUMENTS)
    assert result.errors.schema == pl.Schema(schemas.INGEST_ERRORS)
    assert result.documents["source_line"].is_null().all()
    assert result.documents["language"].to_list() == ["ru", "ru"]
    assert result.documents["char_count"].to_list() == result.documents["body"].str.len_chars().to_list()
    for name in (SAMPLE_000, SAMPLE_002):
        raw = result.documents.filter(pl.col("source_name") == name)["raw_text"].item()
        assert raw == (samples / name).read_text(encoding="utf-8")


def test_teaser_block_and_everything_after_it_is_stripped(samples: Path):
    body = body_of(read_documents(samples), SAMPLE_000)
    raw = (samples / SAMPLE_000).read_text(encoding="utf-8")
    assert "Похожие статьи" in raw
    assert "Похожие статьи" not in body
    # Every line from the teaser heading on is gone; the article's last line is the end.
    teaser_lines = [line for line in raw.split("Похожие статьи", 1)[1].splitlines() if line.strip()]
    assert teaser_lines, "the sample has teasers after the heading"
    assert not any(line in body for line in teaser_lines)
    assert body.endswith("Главное из и после встречи Трампа и Путина на Аляске публиковали здесь.")
    assert body.startswith("За последнюю неделю с небольшим Владимир Путин")


def test_footnotes_stay_and_footer_blurbs_go(samples: Path):
    body = body_of(read_documents(samples), SAMPLE_002)
    for number in (1, 2, 3):
        assert f"[{number}] " in body
    assert "Электронный ресурс: http://www.kremlin.ru/supplement/6401" in body
    assert "Мнение автора может не совпадать" not in body
    assert "Читайте другие материалы" not in body
    assert "Подписывайтесь" not in body
    assert "13:01 04.12.2025" not in body  # the trailing timestamp line
    assert body.endswith("http://www.kremlin.ru/events/president/news/78556")
    assert "4,0 млрд. долларов" in body


def test_published_at_comes_from_the_dateline_only(samples: Path):
    documents = read_documents(samples).documents
    dates = dict(zip(documents["source_name"], documents["published_at"], strict=True))
    sources = dict(zip(documents["source_name"], documents["published_at_source"], strict=True))
    assert str(dates[SAMPLE_002]) == "2025-12-04"
    assert sources[SAMPLE_002] == "body"
    # Sample 000 mentions dates in its story and its teasers, but has no dateline.
    assert dates[SAMPLE_000] is None
    assert sources[SAMPLE_000] is None


def test_outlet_is_found_in_the_samples_own_words(samples: Path):
    documents = read_documents(samples).documents
    outlets = dict(zip(documents["source_name"], documents["outlet"], strict=True))
    assert outlets[SAMPLE_002] == "Международная жизнь"
    assert outlets[SAMPLE_000] == "POLITIK Центральная Азия"
    assert documents["title"].is_null().all()  # no metadata: no guessed title


def test_document_id_is_the_hash_of_the_normalised_body_and_stable(tmp_path: Path):
    first = read_documents(copy_samples(tmp_path / "a")).documents
    second = read_documents(copy_samples(tmp_path / "b" / "nested")).documents
    assert first["document_id"].to_list() == second["document_id"].to_list()
    for body, document_id in zip(first["body"], first["document_id"], strict=True):
        normalised = unicodedata.normalize("NFC", body.replace("\r\n", "\n")).strip()
        assert document_id == hashlib.sha256(normalised.encode("utf-8")).hexdigest()[:16]
    assert first["document_id"].n_unique() == 2


def test_crlf_and_decomposed_letters_give_the_same_document_id(tmp_path: Path):
    source = tmp_path / "source"
    source.mkdir()
    composed = ARTICLE.replace("Путин", "Путин й")
    (source / "a.txt").write_text(composed, encoding="utf-8")
    decomposed = unicodedata.normalize("NFD", composed).replace("\n", "\r\n")
    (source / "b.txt").write_bytes(decomposed.encode("utf-8"))
    result = read_documents(source)
    assert result.documents.height == 1
    assert result.duplicates["source_name"].to_list() == ["b.txt"]
    assert result.duplicates["duplicate_of"].to_list() == ["a.txt"]


# --- scan_source ---------------------------------------------------------------------------


def test_scan_source_fingerprints_candidates_only(tmp_path: Path):
    source = copy_samples(tmp_path / "source")
    (source / "notes.md").write_text("not an article")
    (source / ".hidden.txt").write_text(ARTICLE)
    (source / "sub").mkdir()
    (source / "sub" / "bulk.jsonl").write_text('{"text": "Текст"}\n')
    scanned = scan_source(source)
    assert scanned.schema == pl.Schema(schemas.SOURCE_FILES)
    assert scanned["source_name"].to_list() == [SAMPLE_000, SAMPLE_002, "sub/bulk.jsonl"]
    for name, size, digest in scanned.iter_rows():
        data = (source / name).read_bytes()
        assert size == len(data)
        assert digest == hashlib.sha256(data).hexdigest()


def test_changed_file_changes_its_fingerprint(samples: Path):
    before = dict(scan_source(samples).select("source_name", "fingerprint").iter_rows())
    with open(samples / SAMPLE_000, "a", encoding="utf-8") as handle:
        handle.write("\nДобавленная строка.")
    after = dict(scan_source(samples).select("source_name", "fingerprint").iter_rows())
    assert before[SAMPLE_000] != after[SAMPLE_000]
    assert before[SAMPLE_002] == after[SAMPLE_002]


# --- Front matter --------------------------------------------------------------------------


def test_front_matter_wins_over_what_is_inferred(tmp_path: Path):
    source = tmp_path / "source"
    source.mkdir()
    text = (
        "---\n"
        "title: Путин и Токаев\n"
        "url: https://www.example.kz/news/2025/12/01/a\n"
        "outlet: Казинформ\n"
        "published_at: 2025-11-30\n"
        "language: RU\n"
        "extra: ignored\n"
        "---\n" + ARTICLE + "Читайте другие материалы журнала «Другой журнал».\n13:01 04.12.2025\n"
    )
    (source / "fm.txt").write_text(text, encoding="utf-8")
    result = read_documents(source)
    row = result.documents.row(0, named=True)
    assert result.errors.is_empty()
    assert row["title"] == "Путин и Токаев"
    assert row["url"] == "https://www.example.kz/news/2025/12/01/a"
    assert row["outlet"] == "Казинформ"  # not the URL host, not the footer
    assert str(row["published_at"]) == "2025-11-30"  # not the URL's date, not the dateline
    assert row["published_at_source"] == "front_matter"
    assert row["language"] == "ru"
    assert row["raw_text"] == text
    assert not row["body"].startswith("---")
    assert "title:" not in row["body"]
    assert row["body"].startswith("Президент России")


def test_url_in_front_matter_gives_outlet_and_date_when_nothing_else_does(tmp_path: Path):
    source = tmp_path / "source"
    source.mkdir()
    (source / "fm.txt").write_text(
        "---\nurl: https://amp.ng.ru/?p=http://www.ng.ru/world/2018-03-14/7_x.html\n---\n" + ARTICLE,
        encoding="utf-8",
    )
    row = read_documents(source).documents.row(0, named=True)
    assert row["outlet"] == "ng.ru"
    assert str(row["published_at"]) == "2018-03-14"
    assert row["published_at_source"] == "url"


@pytest.mark.parametrize(
    "front_matter",
    [
        "---\ntitle: [unclosed\n---\n",
        "---\ntitle: a: b: c\n  bad indent\n---\n",
        "---\n- just\n- a list\n---\n",
        "---\ntitle: never closed\n",
    ],
)
def test_broken_front_matter_is_an_error_for_that_file(tmp_path: Path, front_matter: str):
    source = copy_samples(tmp_path / "source")
    (source / "broken.txt").write_text(front_matter + ARTICLE, encoding="utf-8")
    result = read_documents(source)
    assert "front matter" in reasons(result)["broken.txt"]
    assert result.documents.height == 2  # the samples still load


# --- Hostile input -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (ARTICLE.encode("cp1251"), "not UTF-8"),
        (b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4, "PNG"),
        (ARTICLE.encode("utf-8").replace(b" ", b"\x00", 3), "NUL"),
        (b"", "empty"),
        (b" \n\t\r\n   \n", "whitespace"),
        (b"%PDF-1.7\n" + ARTICLE.encode("utf-8"), "PDF"),
    ],
    ids=["cp1251", "png", "nul-bytes", "empty", "whitespace-only", "pdf"],
)
def test_unreadable_text_is_an_error_and_the_rest_goes_on(tmp_path: Path, data: bytes, expected: str):
    source = copy_samples(tmp_path / "source")
    (source / "bad.txt").write_bytes(data)
    result = read_documents(source)
    assert expected in reasons(result)["bad.txt"]
    assert result.errors["source_line"].is_null().all()
    assert result.documents["source_name"].to_list() == [SAMPLE_000, SAMPLE_002]


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-16", "utf-16-be", "utf-32"])
def test_byte_order_marks_are_decoded(tmp_path: Path, encoding: str):
    source = tmp_path / "source"
    source.mkdir()
    (source / "plain.txt").write_text(ARTICLE, encoding="utf-8")
    data = ARTICLE.encode(encoding)
    if encoding == "utf-16-be":
        data = codecs.BOM_UTF16_BE + data
    (source / "bom.txt").write_bytes(data)
    result = read_documents(source)
    assert result.errors.is_empty()
    # Same text, same document: the second copy is a duplicate of the first.
    assert result.documents.height == 1
    assert result.duplicates["source_name"].to_list() == ["plain.txt"]
    assert not result.documents["raw_text"].item().startswith("\ufeff")


def test_utf16_with_broken_bytes_is_an_error(tmp_path: Path):
    source = tmp_path / "source"
    source.mkdir()
    (source / "bad16.txt").write_bytes(codecs.BOM_UTF16_LE + "абв".encode("utf-16-le") + b"\x00\xd8")
    assert "UTF-16" in reasons(read_documents(source))["bad16.txt"]


def test_oversize_text_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    source = copy_samples(tmp_path / "source")
    monkeypatch.setattr(files, "MAX_FILE_BYTES", 10_000)  # sample 000 is 6.8 kB, 002 is 24 kB
    result = read_documents(source)
    assert "too large" in reasons(result)[SAMPLE_002]
    assert result.documents["source_name"].to_list() == [SAMPLE_000]


def test_symlink_outside_the_source_is_refused_and_never_read(tmp_path: Path):
    source = copy_samples(tmp_path / "source")
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_text(ARTICLE, encoding="utf-8")
    (source / "link.txt").symlink_to(outside / "secret.txt")
    (source / "linked_folder").symlink_to(outside, target_is_directory=True)
    (source / "inside.txt").symlink_to(source / SAMPLE_000)
    (source / "dangling.txt").symlink_to(source / "missing.txt")
    (source / "photo.jpg").symlink_to(outside / "secret.txt")  # unknown extension: ignored
    result = read_documents(source)
    found = reasons(result)
    assert "outside the source folder" in found["link.txt"]
    assert "outside the source folder" in found["linked_folder"]
    assert "broken symbolic link" in found["dangling.txt"]
    assert "photo.jpg" not in found
    assert ARTICLE.strip() not in "".join(result.documents["raw_text"])
    # A link inside the folder is read (and here is a duplicate of the file it points to).
    assert result.duplicates["source_name"].to_list() == ["inside.txt"]
    # Never read: the link's fingerprint is not that of the content it points to.
    scanned = scan_source(source).filter(pl.col("source_name") == "link.txt").row(0, named=True)
    assert scanned["size_bytes"] is None
    assert scanned["fingerprint"] != hashlib.sha256(ARTICLE.encode()).hexdigest()


def test_refused_entries_keep_their_fingerprint_until_they_change(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """A refused file looks unchanged while it is (so its error is not re-landed at every
    refresh), and looks changed once it is fixed, re-pointed or made readable."""
    source = copy_samples(tmp_path / "source")
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_text(ARTICLE, encoding="utf-8")
    (source / "link.txt").symlink_to(outside / "secret.txt")
    (source / "dangling.txt").symlink_to(source / "missing.txt")
    os.mkfifo(source / "pipe.txt")

    def prints() -> dict[str, str]:
        return dict(scan_source(source).select("source_name", "fingerprint").iter_rows())

    first = prints()
    assert all(first.values()) and len(set(first.values())) == len(first)
    (outside / "secret.txt").write_text(ARTICLE + "changed\n", encoding="utf-8")
    assert prints() == first  # the outside content is never looked at

    (source / "missing.txt").write_text(ARTICLE, encoding="utf-8")  # the dangling link now resolves
    (source / "link.txt").unlink()
    (source / "link.txt").symlink_to(outside)  # re-pointed, still outside
    second = prints()
    assert second["dangling.txt"] == hashlib.sha256(ARTICLE.encode()).hexdigest()
    assert second["link.txt"] != first["link.txt"]
    assert second["pipe.txt"] == first["pipe.txt"]

    # A file that cannot be read at all (as root, simulated): stable, then changed by a chmod.
    real_open = open

    def deny_sample(path, *args, **kwargs):
        if Path(path).name == SAMPLE_000:
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr(files, "open", deny_sample, raising=False)
    denied = prints()[SAMPLE_000]
    assert denied != second[SAMPLE_000] and prints()[SAMPLE_000] == denied
    (source / SAMPLE_000).chmod(0o600)
    assert prints()[SAMPLE_000] != denied


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files whatever their mode")
def test_unreadable_permissions_are_an_error(tmp_path: Path):
    source = copy_samples(tmp_path / "source")
    (source / SAMPLE_000).chmod(0)
    result = read_documents(source)
    assert "permission denied" in reasons(result)[SAMPLE_000]
    assert result.documents["source_name"].to_list() == [SAMPLE_002]


def test_read_failure_is_an_error_even_for_root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    source = copy_samples(tmp_path / "source")
    real_open = open

    def deny_sample(path, *args, **kwargs):
        if Path(path).name == SAMPLE_000:
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr(files, "open", deny_sample, raising=False)
    result = read_documents(source)
    assert reasons(result)[SAMPLE_000] == "cannot read file: permission denied"
    assert result.documents["source_name"].to_list() == [SAMPLE_002]


def test_special_file_is_an_error_not_a_hang(tmp_path: Path):
    source = tmp_path / "source"
    source.mkdir()
    os.mkfifo(source / "pipe.txt")
    assert "not a regular file" in reasons(read_documents(source))["pipe.txt"]


def test_names_with_spaces_quotes_and_cyrillic(tmp_path: Path):
    source = tmp_path / "source"
    names = [
        "my article.txt",
        'it\'s "quoted".txt',
        "Статья №1 (копия).txt",
        "папка с пробелом/вложенная статья.txt",
    ]
    for i, name in enumerate(names):
        (source / name).parent.mkdir(parents=True, exist_ok=True)
        (source / name).write_text(f"{ARTICLE}Абзац {i}.\n", encoding="utf-8")
    result = read_documents(source)
    assert result.errors.is_empty()
    assert sorted(result.documents["source_name"].to_list()) == sorted(names)
    assert result.documents["source_name"].to_list() == sorted(names)  # source order
    assert scan_source(source)["source_name"].to_list() == sorted(names)
    only = read_documents(source, [names[3], names[1]])
    assert only.documents["source_name"].to_list() == sorted([names[1], names[3]])


def test_walk_is_recursive_sorted_and_ignores_unknown_files(tmp_path: Path):
    source = tmp_path / "source"
    for name in ["b/2.txt", "a.txt", "b/1.txt", "a/z.txt", "c/d/e.txt"]:
        (source / name).parent.mkdir(parents=True, exist_ok=True)
        (source / name).write_text(f"{ARTICLE}{name}\n", encoding="utf-8")
    (source / "image.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    (source / "readme.md").write_text("# notes")
    result = read_documents(source)
    assert result.errors.is_empty()
    assert result.documents["source_name"].to_list() == [
        "a.txt",
        "a/z.txt",
        "b/1.txt",
        "b/2.txt",
        "c/d/e.txt",
    ]
    again = read_documents(source)
    assert again.documents.equals(result.documents)


def test_requested_names_that_are_missing_or_escape_are_errors(samples: Path):
    (samples / "notes.md").write_text("not an article")
    result = read_documents(samples, [SAMPLE_002, "gone.txt", "../etc/passwd", "notes.md"])
    found = reasons(result)
    assert "not found" in found["gone.txt"]
    assert "not a path inside the source folder" in found["../etc/passwd"]
    assert "unsupported file type" in found["notes.md"]
    assert result.documents["source_name"].to_list() == [SAMPLE_002]


def test_empty_folder_gives_empty_frames(tmp_path: Path):
    result = read_documents(tmp_path)
    assert result.documents.is_empty() and result.errors.is_empty()
    assert result.documents.schema == pl.Schema(schemas.DOCUMENTS)
    assert scan_source(tmp_path).is_empty()
