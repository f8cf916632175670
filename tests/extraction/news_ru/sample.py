"""Draw the real-news development set once (kept for the record; rerunning gives the same set).

    .venv/bin/python tests/extraction/news_ru/sample.py > tests/extraction/news_ru/manifest.yaml

From the distinct articles of ../shared/corpus/news-ru (the first line of each body; the corpus
repeats some), 40 are drawn at random among those whose text holds a diplomatic trigger word
(the plain word list below, not the extractor's rules) and 20 at random among all the rest.
Those two draws hold few events (sport "встречи" match the word list too), so a third draw
adds 60 articles at random among those that hold at least three strong diplomatic phrases
("переговоры с", "визит в", "телефонный разговор", "саммит", "подписали"): the articles an
analyst of this tool reads. Those three hold few economic figures (8 in the test split), so a
fourth draw adds 40 articles at random among those that name an amount in billions or millions
beside a trade or investment word at least twice. Each draw is split by its own fixed seed into dev (read freely
while writing rules) and test (scored, its misses never read), 40 % test.
"""

from __future__ import annotations

import gzip
import json
import random
import re
import sys

import yaml

from devset import CORPUS_DIR  # beside this file

SEED = 20261207
N_TRIGGER, N_RANDOM, N_DENSE, N_ECONOMIC = 40, 20, 60, 40
DENSE_MIN_HITS = 3
ECONOMIC_MIN_HITS = 2
TEST_SHARE = 0.4
# Diplomatic trigger words, deliberately broad (stems of visit, talks, summit, phone call,
# meeting, signed, and their English forms).
TRIGGER_WORDS = re.compile(
    r"визит|переговор|саммит|телефонн\w* разговор|встрет|встреч|подписа|"
    r"\bvisit|\btalks\b|summit|phone call|\bmet\b|\bsigned\b",
    re.IGNORECASE,
)
STRONG_PHRASES = re.compile(
    r"телефонн\w+\s+разговор|переговор\w*\s+с\b|визит\w*\s+в\b|встретил\w*\s+с\b|саммит\w*|подписал\w*|"
    r"phone call|talks with|visit to|summit",
    re.IGNORECASE,
)
# An amount beside a trade or investment word, either order, within a few words.
ECONOMIC_PHRASES = re.compile(
    r"(?:товарооборот|торгов|экспорт|импорт|инвестиц|кредит|trade|invest)\w*(?:\W+\w+){0,6}?\W+\d+(?:[.,]\d+)?\s*(?:млрд|млн|billion|million)"
    r"|\d+(?:[.,]\d+)?\s*(?:млрд|млн|billion|million)\w*\.?(?:\W+\w+){0,4}?\W+(?:инвестиц|кредит|экспорт|импорт|investment|loan)",
    re.IGNORECASE,
)


def distinct_articles() -> list[dict]:
    seen: set[str] = set()
    articles = []
    for path in sorted(CORPUS_DIR.glob("*.jsonl.gz")):
        with gzip.open(path, "rt", encoding="utf-8") as handle:
            for number, line in enumerate(handle):
                record = json.loads(line)
                body = (record.get("content") or record.get("text") or "").strip()
                if not body or body in seen:
                    continue
                seen.add(body)
                text = f"{record.get('title') or ''}\n{body}"
                articles.append({"url": record["url"], "corpus_file": path.name, "line": number,
                                 "has_trigger": bool(TRIGGER_WORDS.search(text)),
                                 "strong_hits": len(STRONG_PHRASES.findall(text)),
                                 "economic_hits": len(ECONOMIC_PHRASES.findall(text))})
    return articles


def draw() -> list[dict]:
    rng = random.Random(SEED)
    articles = distinct_articles()
    with_trigger = [a for a in articles if a["has_trigger"]]
    drawn = [dict(a, drawn_as="trigger") for a in rng.sample(with_trigger, N_TRIGGER)]
    taken = {a["url"] for a in drawn}
    rest = [a for a in articles if a["url"] not in taken]
    drawn += [dict(a, drawn_as="random") for a in rng.sample(rest, N_RANDOM)]
    split_rng = random.Random(SEED + 1)
    for kind in ("trigger", "random"):
        _split(split_rng, [a for a in drawn if a["drawn_as"] == kind])
    # the third draw has its own generators, so the first two stay as they were drawn
    taken = {a["url"] for a in drawn}
    dense = [a for a in articles if a["strong_hits"] >= DENSE_MIN_HITS and a["url"] not in taken]
    dense_drawn = [dict(a, drawn_as="dense") for a in random.Random(SEED + 2).sample(dense, N_DENSE)]
    _split(random.Random(SEED + 3), dense_drawn)
    drawn += dense_drawn
    # the fourth likewise
    taken = {a["url"] for a in drawn}
    economic = [a for a in articles if a["economic_hits"] >= ECONOMIC_MIN_HITS and a["url"] not in taken]
    economic_drawn = [dict(a, drawn_as="economic") for a in random.Random(SEED + 4).sample(economic, N_ECONOMIC)]
    _split(random.Random(SEED + 5), economic_drawn)
    drawn += economic_drawn
    return [{k: a[k] for k in ("url", "corpus_file", "line", "drawn_as", "split")} for a in drawn]


def _split(rng: random.Random, group: list[dict]) -> None:
    test = {a["url"] for a in rng.sample(group, round(len(group) * TEST_SHARE))}
    for article in group:
        article["split"] = "test" if article["url"] in test else "dev"


if __name__ == "__main__":
    header = "# Drawn by tests/extraction/news_ru/sample.py (seed %d); do not edit by hand.\n" % SEED
    sys.stdout.write(header + yaml.safe_dump({"articles": draw()}, allow_unicode=True, sort_keys=False))
