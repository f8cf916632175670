"""Generate the case forms of Russian aliases once, so that mentions are matched as literals.

Dictionary words (countries, adjectives, organisations) are inflected with pymorphy3; personal
names, which the dictionary mostly lacks or misreads ("Токаев" as a plural of "токай"), follow
the regular declension of Russian surnames and given names by their ending.
"""

from __future__ import annotations

import functools
import re

CASES = ("nomn", "gent", "datv", "accs", "ablt", "loct")
# Particles inside foreign names that never decline ("Лула да Силва", "фон дер Ляйен").
NAME_PARTICLES = {"да", "де", "дер", "фон", "ван", "ди", "дель", "ла", "ле", "бин", "аль", "эль", "ибн", "оглы", "кызы"}
VOWELS = "аеёиоуыэюя"
# Cities open wire copy in capitals ("ASTANA, Nov 12 (Reuters)", "МОСКВА, 12 ноября. /ТАСС/.")
DATELINE_KINDS = {"capital", "place"}


@functools.cache
def _morph():
    import pymorphy3  # imported lazily: building the analyser takes a second

    return pymorphy3.MorphAnalyzer()


def _match_case(template: str, word: str) -> str:
    """Give `word` the capitalisation of `template` (all caps, Title or lower)."""
    if template.isupper() and len(template) > 1:
        return word.upper()
    if template[:1].isupper():
        return word[:1].upper() + word[1:]
    return word


def name_word_forms(word: str) -> set[str]:
    """Case forms of one word of a personal name, by its ending (masculine and feminine)."""
    if "-" in word:  # "Касым-Жомарт": only the last part declines in practice, but both do in some media
        head, _, tail = word.rpartition("-")
        return {f"{head}-{form}" for form in name_word_forms(tail)} | {
            f"{a}-{b}" for a, b in zip(_ordered_forms(head), _ordered_forms(tail))
        }
    return set(_ordered_forms(word))


def _ordered_forms(word: str) -> list[str]:
    """Forms in case order nomn, gent, datv, accs, ablt, loct (for zipping hyphenated parts)."""
    low = word.lower()
    if low in NAME_PARTICLES or len(low) < 2 or not re.fullmatch(r"[а-яё]+", low):
        return [word] * 6
    stem = word
    if re.search(r"(ов|ев|ёв|ин|ын)$", low):
        forms = [stem, stem + "а", stem + "у", stem + "а", stem + "ым", stem + "е"]
    elif re.search(r"(ова|ева|ёва|ина|ына)$", low):
        base = stem[:-1]
        forms = [stem, base + "ой", base + "ой", base + "у", base + "ой", base + "ой"]
    elif re.search(r"(ский|цкий|ской)$", low):
        base = stem[:-2]
        forms = [stem, base + "ого", base + "ому", base + "ого", base + "им", base + "ом"]
    elif re.search(r"(ская|цкая)$", low):
        base = stem[:-2]
        forms = [stem, base + "ой", base + "ой", base + "ую", base + "ой", base + "ой"]
    elif low.endswith(("их", "ых")) or low[-1] in "оеёиуыэю":
        forms = [stem] * 6
    elif low.endswith("ия"):
        base = stem[:-1]
        forms = [stem, base + "и", base + "и", base + "ю", base + "ей", base + "и"]
    elif low.endswith("я"):
        base = stem[:-1]
        forms = [stem, base + "и", base + "е", base + "ю", base + "ей", base + "е"]
    elif low.endswith("а"):
        base = stem[:-1]
        soft = base[-1:].lower() in "гкхжшчщц"
        forms = [stem, base + ("и" if soft else "ы"), base + "е", base + "у", base + ("ей" if soft else "ой"), base + "е"]
    elif low.endswith(("й", "ь")):
        base = stem[:-1]
        forms = [stem, base + "я", base + "ю", base + "я", base + "ем", base + "е"]
    else:  # consonant
        hush = low[-1] in "жшчщц"
        forms = [stem, stem + "а", stem + "у", stem + "а", stem + ("ем" if hush else "ом"), stem + "е"]
    return forms


def person_name_forms(name: str) -> set[str]:
    """Forms of a full name: every word declined ("Касым-Жомарта Токаева"), or only the last
    ("Ким Чен Ына", "Си Цзиньпина"): both are generated, the wrong one never matches."""
    words = name.split()
    per_word = [_ordered_forms(w) if "-" not in w else None for w in words]
    forms: set[str] = {name}
    for case_index in range(6):
        all_declined = []
        for word, word_forms in zip(words, per_word):
            if word_forms is None:
                head, _, tail = word.rpartition("-")
                all_declined.append(f"{head}-{_ordered_forms(tail)[case_index]}")
            else:
                all_declined.append(word_forms[case_index])
        forms.add(" ".join(all_declined))
        forms.add(" ".join(words[:-1] + [all_declined[-1]]))
    if len(words) == 1:
        forms |= name_word_forms(name)
    return forms


def _best_parse(word: str):
    parses = _morph().parse(word)
    for p in parses:  # prefer a reading in the nominative, as aliases are written
        if "nomn" in p.tag and p.tag.POS in {"NOUN", "ADJF", "PRTF"}:
            return p
    return parses[0]


def adjective_forms(adjective: str) -> set[str]:
    """Every full form of an adjective: genders, numbers, cases ("российский" -> "российскими")."""
    parse = _best_parse(adjective)
    if parse.tag.POS not in {"ADJF", "PRTF"}:
        return {adjective}
    forms = {_match_case(adjective, f.word) for f in parse.lexeme if f.tag.POS in {"ADJF", "PRTF"}}
    return forms | {adjective}


def compound_prefixes(adjective: str) -> set[str]:
    """The first part of compound adjectives: "российский" -> "российско" (российско-киргизские),
    "американский" -> "американо" (американо-китайские)."""
    low = adjective.lower()
    match = re.fullmatch(r"(.+?)(ский|цкий|ской|ный|ий|ый)", low)
    if not match:
        return set()
    stem, suffix = match.groups()
    prefixes = {stem + ("ско" if suffix in {"ский", "ской"} else "цко" if suffix == "цкий" else "но" if suffix == "ный" else "о")}
    if suffix in {"ский", "ской"} and stem.endswith("ан"):
        prefixes.add(stem + "о")  # американо-, африкано-
    return {_match_case(adjective, p) for p in prefixes}


def phrase_forms(phrase: str) -> set[str]:
    """Case forms of a noun phrase: adjectives before the head noun agree with it, the head
    declines, words after it stay ("Республика Казахстан" -> "Республики Казахстан",
    "Белый дом" -> "Белого дома", "Соединённые Штаты Америки" -> "Соединённых Штатов Америки")."""
    words = phrase.split()
    if not words or not any(re.search("[а-яё]", w.lower()) for w in words):
        return {phrase}
    parses = [_best_parse(w.rpartition("-")[2] or w) for w in words]
    head = next((i for i, p in enumerate(parses) if p.tag.POS == "NOUN"), None)
    if head is None:
        head = len(words) - 1
    if "Fixd" in parses[head].tag or words[head].isupper():
        return {phrase}  # indeclinable: США, ООН, Кот-д'Ивуар
    number = "plur" if "plur" in parses[head].tag else "sing"
    forms = {phrase}
    for case in CASES:
        out = []
        for i, (word, parse) in enumerate(zip(words, parses)):
            if i > head or (i < head and parse.tag.POS not in {"ADJF", "PRTF"}):
                out.append(word)
                continue
            grammemes = {case, number}
            if i < head and number == "sing" and parses[head].tag.gender:
                grammemes.add(parses[head].tag.gender)
            if case == "accs" and i < head and "anim" not in parses[head].tag:
                grammemes.add("inan")
            # animacy only tells masculine and plural accusatives apart ("Китайскую Народную Республику")
            inflected = parse.inflect(grammemes) or parse.inflect(grammemes - {"inan"})
            if inflected is None:
                out.append(word)
                continue
            head_part, dash, _ = word.rpartition("-")
            new = _match_case(word.rpartition("-")[2], inflected.word)
            out.append(f"{head_part}{dash}{new}" if dash else new)
        forms.add(" ".join(out))
    return forms


def russian_forms(alias: str, entity_type: str, kind: str) -> set[str]:
    """All forms of one Russian alias, as they may appear in running text."""
    if kind == "form":
        forms = {alias}
    elif entity_type == "actor":
        forms = person_name_forms(alias)
    elif kind == "adjective":
        forms = adjective_forms(alias) | compound_prefixes(alias)
    else:
        forms = phrase_forms(alias)
        if kind in {"capital", "place"} and len(alias.split()) == 1:
            # pymorphy guesses foreign place names poorly ("Эр-Рияд" as a plural, "Сиань" as
            # feminine): the regular declension by ending adds "Эр-Рияде", "Сиане"
            forms |= name_word_forms(alias)
    if kind in DATELINE_KINDS and len(alias.split()) <= 2:
        forms.add(alias.upper())  # a wire dateline: "МОСКВА, 12 ноября. /ТАСС/."
    # Media write "е" for "ё" as often as not; and a lowercase alias starts sentences too.
    forms |= {f.replace("ё", "е").replace("Ё", "Е") for f in forms}
    forms |= {f[:1].upper() + f[1:] for f in forms if f[:1].islower()}
    return forms


def english_forms(alias: str, entity_type: str, kind: str) -> set[str]:
    forms = {alias, alias + "'s", alias + "\u2019s"}
    if alias[:1].islower():
        forms.add(alias[:1].upper() + alias[1:])
    if kind in DATELINE_KINDS:
        forms.add(alias.upper())  # a wire dateline: "ASTANA, Nov 12 (Reuters)"
    return forms
