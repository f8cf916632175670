"""Body cleaning, datelines, outlet and language: the column-wide rules on small texts."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest

from orchestration.ingest import dates
from orchestration.ingest.boilerplate import clean_bodies
from orchestration.ingest.language import guess_language
from orchestration.ingest.outlet import infer_outlet, url_host

PROSE = "Президент России провёл переговоры с президентом Казахстана в Кремле."
MORE = "Стороны подписали восемь документов о сотрудничестве в энергетике."


def clean(*texts: str) -> list[dict]:
    frame = pl.DataFrame({"row_id": list(range(len(texts))), "article_text": list(texts)})
    return clean_bodies(frame).sort("row_id").to_dicts()


def body(text: str) -> str:
    return clean(text)[0]["body"]


def dateline(text: str) -> dt.date | None:
    return clean(text)[0]["dateline_date"]


# --- Teasers -------------------------------------------------------------------------------


def test_inline_teaser_block_goes_and_the_story_goes_on():
    text = (
        f"{PROSE}\n Также по теме \n Общий зачёт: россияне взяли серебро \n"
        " На Олимпийских играх завершился командный турнир. Российские спортсмены заняли... \n"
        f"{MORE}\nДолгожданная бронза\n{PROSE}"
    )
    assert body(text) == f"{PROSE}\n{MORE}\nДолгожданная бронза\n{PROSE}"


def test_teaser_heading_at_the_end_takes_everything_after_it():
    text = (
        f"{PROSE}\n{MORE}\nRelated articles\nA headline\nAnother one with a sentence.\n"
        "Even prose paragraphs after it go, as teaser blocks run to the end.\n13:01 04.12.2025"
    )
    assert body(text) == f"{PROSE}\n{MORE}"
    assert dateline(text) is None  # never a date from a teaser block


def test_read_also_line_and_heading_without_items():
    text = f"{PROSE}\nЧитайте также: Путин провёл переговоры с Токаевым\n{MORE}\nЧитайте также:\n{PROSE}"
    assert body(text) == f"{PROSE}\n{MORE}\n{PROSE}"


def test_teaser_heading_words_inside_prose_are_kept():
    text = f"Похожие статьи появлялись и раньше, отметил эксперт.\n{PROSE}\nЧитайте также письма президента."
    assert body(text) == text


# --- Blurbs, credits, embeds, code ---------------------------------------------------------


@pytest.mark.parametrize(
    "blurb",
    [
        "Подписывайтесь на наш Telegram – канал: https://t.me/interaffairs",
        "Мнение автора может не совпадать с позицией редакции",
        "The views expressed in this article are those of the author.",
        "Читайте другие материалы журнала «Международная жизнь» на нашем канале Яндекс.Дзен.",
        "Subscribe to our newsletter",
        "Поделиться",
        "Facebook Twitter Telegram",
        "Фото: пресс-служба Кремля",
        "© Sergei Karpukhin",
        "На страницу галереи",
        "pic.twitter.com/2pPPQUGIp2",
        'jwplayer("js-mediaplayer").setup({ advertising: (function() {',
        "body{min-height:500px}.playbuzz{z-index: 2147483647}",
        "// title: " + "x" * 400,
    ],
)
def test_blurb_lines_go(blurb: str):
    assert body(f"{PROSE}\n{blurb}\n{MORE}") == f"{PROSE}\n{MORE}"


def test_rt_telegram_blurb_broken_over_lines_goes():
    text = (
        f"{PROSE}\n Подписывайтесь на наш \nTelegram\n, чтобы быть в курсе самых важных новостей. "
        "Для этого достаточно иметь Telegram на любом устройстве, пройти по \nссылке\n и нажать кнопку Join. "
    )
    assert body(text) == PROSE


def test_photo_caption_and_credit_go():
    caption = " Соперники россиян Кристин Скаслиен и Магнус Недреготтен "
    text = f"{PROSE}\n{caption}\n globallookpress.com \n © Jung Yeon-Je \n{MORE}"
    assert body(text) == f"{PROSE}\n{MORE}"


def test_agency_name_inside_a_sentence_stays():
    # A link broken onto its own line is part of the sentence, not a photo credit.
    text = f"{PROSE}\nКак утверждают журналисты, компания \nTwitter\n применяет особый метод. {MORE}"
    assert (
        body(text) == f"{PROSE}\nКак утверждают журналисты, компания Twitter применяет особый метод. {MORE}"
    )
    quoted = "«Их позиция (Стокгольмского арбитража. — \nRT\n) по ключевым вопросам оказалась следующей»."
    assert (
        body(quoted)
        == "«Их позиция (Стокгольмского арбитража. — RT ) по ключевым вопросам оказалась следующей»."
    )


def test_tweet_embed_attribution_and_date_go_the_tweet_text_stays():
    tweet = "The poor dears at the BBC are melting down!"
    text = f"{PROSE}\n{tweet}\n— David Vance (@DVATW) \nJanuary 16, 2017\n{MORE}"
    assert body(text) == f"{PROSE}\nThe poor dears at the BBC are melting down!\n{MORE}"
    assert dateline(text) is None


# --- Whitespace ----------------------------------------------------------------------------


def test_whitespace_is_normalised_and_nothing_else_changes():
    text = f"  \r\n{PROSE}   \r\n\r\n\r\n\r\n{MORE}\u00a0и\u00a0ещё.\t\n\n\n"
    assert body(text) == f"{PROSE}\n\n{MORE} и ещё."


def test_soft_line_breaks_become_spaces_of_the_same_length():
    text = "Владимир Путин провёл переговоры с \nДональдом Трампом\n, сообщает пресс-служба.\nНовый абзац."
    cleaned = body(text)
    assert (
        cleaned
        == "Владимир Путин провёл переговоры с Дональдом Трампом , сообщает пресс-служба.\nНовый абзац."
    )
    headed = f"Нервный полуфинал\n{PROSE}\n«Томагавки» наготове \n{MORE}"
    assert body(headed) == f"Нервный полуфинал\n{PROSE}\n«Томагавки» наготове\n{MORE}"


def test_footnotes_are_kept():
    notes = (
        "[1] Документы, подписанные в ходе визита 09.10.2025 года. Электронный ресурс: http://www.kremlin.ru/supplement/6401\n"
        "[2] Недра, атом и космос 12.11.2025 года. Электронный ресурс: https://ria.ru/20251112/kazakhstan.html"
    )
    assert body(f"{PROSE}\n{notes}") == f"{PROSE}\n{notes}"
    assert dateline(f"{PROSE}\n{notes}") is None


def test_text_of_nothing_but_boilerplate_cleans_to_empty():
    rows = clean("На страницу галереи\n© RT", f"{PROSE}")
    assert rows[0]["body"] == "" and rows[1]["body"] == PROSE


# --- Datelines -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("stamp", "expected"),
    [
        ("13:01 04.12.2025 •", dt.date(2025, 12, 4)),
        ("04.12.2025", dt.date(2025, 12, 4)),
        ("14:43, 27 October 2025", dt.date(2025, 10, 27)),
        ("27 октября 2025, 14:43", dt.date(2025, 10, 27)),
        ("2025-12-04", dt.date(2025, 12, 4)),
        ("Опубликовано: 2025-12-04T13:01:00Z", dt.date(2025, 12, 4)),
        ("October 27, 2025", dt.date(2025, 10, 27)),
        ("1 мая 2024 г.", dt.date(2024, 5, 1)),
    ],
)
def test_timestamp_line_at_the_end_or_start_is_the_dateline(stamp: str, expected: dt.date):
    at_end = f"{PROSE}\n{MORE}\n\n{stamp}\n\n"
    assert dateline(at_end) == expected
    assert body(at_end) == f"{PROSE}\n{MORE}"
    at_start = f"{stamp}\n{PROSE}\n{MORE}"
    assert dateline(at_start) == expected
    assert body(at_start) == f"{PROSE}\n{MORE}"


def test_end_dateline_is_preferred_over_start():
    assert dateline(f"01.01.2024\n{PROSE}\n02.02.2024") == dt.date(2024, 2, 2)


def test_newswire_opening_is_a_dateline():
    text = f"МОСКВА, 4 декабря 2025 — РИА Новости. {PROSE}\n{MORE}"
    assert dateline(text) == dt.date(2025, 12, 4)
    assert body(text) == text  # the opening is part of the story


def test_dates_mentioned_in_the_story_are_not_a_dateline():
    text = f"11 ноября 2025 года президент России принял в Кремле коллегу.\n{PROSE}\nВизит прошёл 25.11.2025."
    assert dateline(text) is None


def test_impossible_dates_are_null():
    frame = pl.DataFrame({"t": ["31.02.2025", "2025-13-01", "32 мая 2024", "27 октября 2025"]})
    parsed = frame.select(parsed=dates.first_date(pl.col("t")))["parsed"].to_list()
    assert parsed == [None, None, None, dt.date(2025, 10, 27)]


def test_url_dates():
    urls = [
        "http://www.ng.ru/ng_politics/2017-04-18/11_6976_apple.html",
        "https://ria.ru/20251112/kazakhstan-2054564250.html",
        "https://example.org/2017/04/18/story",
        "https://russian.rt.com/world/article/455367-ssha-turciya",
        None,
    ]
    parsed = pl.DataFrame({"u": urls}).select(parsed=dates.url_date(pl.col("u")))["parsed"].to_list()
    assert parsed == [dt.date(2017, 4, 18), dt.date(2025, 11, 12), dt.date(2017, 4, 18), None, None]


# --- Outlet and language -------------------------------------------------------------------


def test_outlet_from_url_host_and_from_the_text():
    frame = pl.DataFrame(
        {
            "url": [
                "https://www.kremlin.ru/events/1",
                "https://russian.rt.comhttps://russian.rt.com/ussr/article/1",
                "https://amp.ng.ru/?p=http://www.ng.ru/world/2018-03-14/1.html",
                None,
                None,
                None,
            ],
            "text": [
                PROSE,
                PROSE,
                PROSE,
                f"{PROSE}\nЧитайте другие материалы журнала «Международная жизнь» на нашем канале.",
                f"{PROSE} POLITIK Центральная Азия опросил экспертов о визите.",
                f"{PROSE} Владимир Путин опросил экспертов.",
            ],
        }
    )
    outlets = frame.select(outlet=infer_outlet(pl.col("url"), pl.col("text")))["outlet"].to_list()
    assert outlets == [
        "kremlin.ru",
        "russian.rt.com",
        "ng.ru",
        "Международная жизнь",
        "POLITIK Центральная Азия",
        None,
    ]
    assert pl.select(host=url_host(pl.lit("not a url")))["host"].item() is None


def test_language_by_script():
    frame = pl.DataFrame(
        {
            "body": [
                PROSE,
                "The President held talks in the Kremlin.",
                "Путин met Trump in Alaska on 15 August.",
                "12 345",
                "",
            ]
        }
    )
    assert frame.select(language=guess_language(pl.col("body")))["language"].to_list() == [
        "ru",
        "en",
        "en",
        None,
        None,
    ]
