"""Saved web pages in the source folder: main text and metadata, and the pages refused.

Real files in a temporary source folder, read by the real ingest (trafilatura, htmldate).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from local_site import BOILERPLATE, EN_ARTICLE, MB, RU_ARTICLE

from orchestration.fetch.pages import fetch_header
from orchestration.ingest import read_documents, scan_source
from orchestration.ingest.html import MAX_HTML_BYTES

ARTICLE_PARAGRAPH = (
    "<p>Президент Узбекистана Шавкат Мирзиёев провёл переговоры с Председателем КНР Си Цзиньпином. "
    "Стороны обсудили расширение торгово-экономического сотрудничества и реализацию совместных "
    "инвестиционных проектов в энергетике, транспорте и сельском хозяйстве. По итогам встречи "
    "подписаны двенадцать документов о сотрудничестве.</p>"
)


def write(folder: Path, name: str, content: str | bytes) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, str):
        content = content.encode("utf-8")
    path.write_bytes(content)
    return path


def read_one(folder: Path):
    result = read_documents(folder)
    return result.documents.to_dicts(), dict(zip(result.errors["source_name"], result.errors["reason"], strict=True))


def test_russian_page_gives_main_text_and_metadata(tmp_path: Path):
    write(tmp_path, "steppe/putin-tokaev.html", RU_ARTICLE)
    documents, errors = read_one(tmp_path)
    assert errors == {}
    [document] = documents
    assert document["title"] == "Путин провёл телефонный разговор с Токаевым"
    assert document["outlet"] == "Новости Степи"
    assert document["language"] == "ru"
    assert str(document["published_at"]) == "2025-08-12"
    assert document["published_at_source"] == "html_metadata"
    assert document["url"] == "https://steppe.example/politics/2025/08/12/putin-tokaev-call"
    assert "провёл телефонный разговор с Президентом\nКазахстана" not in document["body"]  # reflowed
    assert "Касым-Жомартом Токаевым" in document["body"]
    for sentence in BOILERPLATE.values():
        assert sentence not in document["body"]
    # the raw HTML is kept for a better extractor to re-read
    assert document["raw_text"] == RU_ARTICLE
    assert "<aside" in document["raw_text"]


def test_english_page_date_from_metadata_outlet_from_site_name(tmp_path: Path):
    write(tmp_path, "akorda.htm", EN_ARTICLE)
    [document], errors = read_one(tmp_path)
    assert errors == {}
    assert (document["language"], document["outlet"], str(document["published_at"])) == ("en", "Akorda Daily", "2025-11-20")
    assert document["body"].startswith("ASTANA, 20 November 2025")  # the title line is the title
    assert "Share on Facebook" not in document["body"] and "cookies" not in document["body"]


def page_with(head: str, paragraphs: str = ARTICLE_PARAGRAPH * 2) -> str:
    return f"<html><head>{head}</head><body><article><h1>Переговоры в Пекине</h1>{paragraphs}</article></body></html>"


def test_date_falls_back_to_the_url_then_the_body(tmp_path: Path):
    write(tmp_path, "a.html", page_with('<link rel="canonical" href="https://news.example/2024/03/05/talks.html">'))
    dateline = ARTICLE_PARAGRAPH.replace("<p>", "<p>ПЕКИН, 7 мая 2023 — ", 1)
    write(tmp_path, "b.html", page_with("<title>Переговоры</title>", dateline + ARTICLE_PARAGRAPH))
    documents = {d["source_name"]: d for d in read_one(tmp_path)[0]}
    assert str(documents["a.html"]["published_at"]) == "2024-03-05"
    assert documents["a.html"]["outlet"] == "news.example"  # no site name: the host
    assert str(documents["b.html"]["published_at"]) == "2023-05-07"
    assert documents["b.html"]["published_at_source"] == "body"  # the ingest's dateline rule


def test_fetch_header_fills_what_the_page_does_not_say(tmp_path: Path):
    header = fetch_header(
        {"url": "https://kun.example/news/2025/10/01/talks", "title": "Переговоры -- в Пекине", "published_at": "2025-10-01"}
    )
    write(tmp_path, "web/kun.example/2025-10-01-talks.html", header + "\n" + page_with(""))
    [document], errors = read_one(tmp_path)
    assert errors == {}
    assert document["url"] == "https://kun.example/news/2025/10/01/talks"
    assert document["outlet"] == "kun.example"
    assert str(document["published_at"]) == "2025-10-01"  # the URL's date, read by htmldate
    assert "--" in header and "<!--" in document["raw_text"]


def test_page_in_windows_1251_is_decoded_by_its_meta_charset(tmp_path: Path):
    html = page_with('<meta charset="windows-1251"><title>Переговоры</title>')
    write(tmp_path, "cp1251.html", html.encode("cp1251"))
    [document], errors = read_one(tmp_path)
    assert errors == {}
    assert "Шавкат Мирзиёев" in document["body"]


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        (
            "gallery.html",
            "<html><head><title>Фотогалерея</title></head><body><h1>Фото</h1>"
            + "".join(f'<figure><img src="/{i}.jpg"><figcaption>Фото {i}</figcaption></figure>' for i in range(20))
            + "</body></html>",
            "photo gallery",
        ),
        (
            "index.html",
            "<html><head><title>Новости</title></head><body><ul>"
            + "".join(f'<li><a href="/n{i}">Заголовок новости {i} о переговорах президентов</a></li>' for i in range(40))
            + "</ul></body></html>",
            "index or list page",
        ),
        (
            "404.html",
            "<html><head><title>Страница не найдена</title></head><body><h1>Ошибка 404</h1>"
            + ARTICLE_PARAGRAPH.replace("Президент", "Возможно, президент")
            + "</body></html>",
            "error page",
        ),
        ("empty-body.html", "<html><head><title>Новость</title></head><body></body></html>", "0 characters of main text"),
        ("blank.html", "   \n", "empty file"),
    ],
)
def test_pages_that_are_not_articles_are_quarantined_with_a_reason(tmp_path: Path, name, content, reason):
    write(tmp_path, name, content)
    write(tmp_path, "good.html", RU_ARTICLE)
    documents, errors = read_one(tmp_path)
    assert [d["source_name"] for d in documents] == ["good.html"]  # the others go on
    assert reason in errors[name]


def test_a_30_mb_page_is_refused_unread(tmp_path: Path):
    with open(tmp_path / "huge.html", "wb") as handle:
        handle.truncate(30 * MB)
    assert MAX_HTML_BYTES < 30 * MB
    _, errors = read_one(tmp_path)
    assert errors["huge.html"].startswith("file too large: 31,457,280 bytes")


def test_fetch_state_and_temporary_files_are_not_candidates(tmp_path: Path):
    write(tmp_path, "web/.fetch-state.json", '{"version": 1, "feeds": {}, "errors": []}')
    write(tmp_path, "web/.fetch.lock", "")
    write(tmp_path, "web/host/.2025-01-01-a.html.123.tmp", RU_ARTICLE)
    write(tmp_path, "web/host/2025-01-01-a.html", RU_ARTICLE)
    assert scan_source(tmp_path)["source_name"].to_list() == ["web/host/2025-01-01-a.html"]


def test_a_headline_with_error_words_is_still_an_article(tmp_path: Path):
    write(tmp_path, "a.html", page_with("<title>Evidence not found — Steppe News</title>").replace("Переговоры в Пекине", "Evidence not found"))
    write(tmp_path, "b.html", page_with("<title>500 million dollars for Tashkent | Kun</title>", ARTICLE_PARAGRAPH.replace("двенадцать", "пятнадцать") * 2))
    documents, errors = read_one(tmp_path)
    assert errors == {}
    assert len(documents) == 2
