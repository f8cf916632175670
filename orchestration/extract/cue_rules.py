"""Cues around an event trigger as data, one table per language: modality and exclusion.

A trigger ("визит", "переговоры", "signed") says what kind of event a sentence names; the
words around it say whether it happened. Each cue here has a stable id, its language (a
Russian cue reads Russian documents only, an English one English documents), its role
(`modality`: it sets the trigger's modality to `value`; `exclusion`: `not_an_event` drops the
trigger, `generic` marks a summary and `adjunct` a recalled frame, neither of which makes an
event), the window it reads (`before`/`after` the trigger, `width` characters, the `trigger`'s
own words, or the whole `sentence`), the event types
it applies to (all when empty), its pattern (a Rust regex), and examples it must match and
counter-examples it must not, each written as the window's own text, from the shapes of real
news. tests/unit/test_cue_rules.py runs every cue on its examples.

A trigger's modality is the first of MODALITY_ORDER whose cues match (`negated` before
`planned`: "не будет совершать визит"); `prospective` becomes `planned` and does not carry
over to the next triggers of the sentence (events.find_triggers).
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from orchestration.extract.patterns import WORD_START, with_letters, words


@dataclass(frozen=True)
class Cue:
    rule_id: str
    language: str  # 'ru' or 'en': the documents it reads
    role: str  # 'modality' or 'exclusion'
    value: str  # the modality it sets, or what it marks: 'generic', 'adjunct'
    window: str  # 'before' or 'after' the trigger, the 'trigger' itself, or the whole 'sentence'
    width: int  # characters of the window read (before/after)
    pattern: str
    examples: tuple[str, ...]
    counter_examples: tuple[str, ...]
    event_types: tuple[str, ...] = ()  # the trigger types it applies to; all when empty


MODALITY_ORDER = ("negated", "planned", "prospective", "hypothetical")

# Planned: a future or intention word in the few words before the trigger, then no full stop.
_RU_PLANNED_WORDS = (
    r"планиру\w+|намерен\w*|собира\w+|ожида\w+|предстоящ\w+|предстоит|будущ\w+|готов\w*\s+к|"
    r"приблизил\w*\s+к|договорил\w*\s+о|состоится|пройд[её]т|подготовк\w*\s+к|пригласил\w*|приглашени\w*|"
    r"намеча\w+|начн(?:ет|ут|ёт)|станет|будет|будут|запланирован\w*|совершит|совершат|проведет|проведут|следующ\w+|"
    r"проведёт|завершат|завершит|в\s+следующ\w+\s+(?:месяц\w*|недел\w*|году)|в\s+ближайш\w+|"
    r"примет\s+участие|примут\s+участие|долж(?:ен|на|но|ны)\s+состояться"
)
_EN_PLANNED_WORDS = (
    r"will|would\s+(?:travel|visit|go|fly|attend|hold|meet|sign|pay)|plans?\s+to|planned|upcoming|expected|intends?\s+to|"
    r"scheduled|invit\w+|is\s+due\s+to|are\s+due\s+to|next\s+(?:week|month|year)|later\s+this\s+(?:week|month|year)|"
    r"preparations?\s+for|ahead\s+of|will\s+take\s+part|is\s+to\s+(?:attend|visit|meet|hold)"
)
# after the trigger, also across a relative clause: "к саммиту ШОС, который пройдет в июле"
_RU_PLANNED_AFTER_WORDS = (
    r"состоится|состоятся|пройд[её]т|пройдут|запланирован\w*|ожидается|намечен\w*|встретится|встретятся|проведет|"
    r"проведёт|проведут|подпишет|подпишут|обсудит|обсудят|примет\s+участие|примут\s+участие|посетит|посетят|"
    r"отправится|прибудет|совершит"
)
_EN_PLANNED_AFTER_WORDS = r"next\s+(?:week|month|year)|will\s+(?:take\s+place|be\s+held)|is\s+(?:scheduled|expected|due)|are\s+(?:scheduled|expected|due)"

MODALITY_CUES: tuple[Cue, ...] = (
    Cue(
        "cue.negated.before.ru", "ru", "modality", "negated", "before", 60,
        with_letters(r"(?i)\b(?:не\s+состоял\w*|не\s+будет|не\s+подписал\w*|отмен\w+|отложен\w*|отказал\w*\s+от)\b[^.]{0,25}$"),
        ("Встреча не состоялась, и ", "Москва отказалась от "),
        ("Встреча состоялась в Кремле, ",),
    ),
    Cue(
        "cue.negated.before.en", "en", "modality", "negated", "before", 60,
        with_letters(r"(?i)\b(?:not|cancel\w*|postpon\w+)\b[^.]{0,25}$"),
        ("The leaders did not hold ", "Washington cancelled the "),
        ("The leaders held the ",),
    ),
    Cue(
        "cue.planned.before.ru", "ru", "modality", "planned", "before", 60,
        with_letters(rf"(?i)\b(?:{_RU_PLANNED_WORDS})\b[^.]{{0,50}}$"),
        ("В четверг планируется ", "Президент примет участие в ", "18 сентября должна состояться "),
        ("Президент принял участие в ",),
    ),
    Cue(
        "cue.planned.before.en", "en", "modality", "planned", "before", 60,
        # a headline's infinitive is its future: "Putin To Pay Official Visit To Kyrgyzstan"
        with_letters(rf"(?i)\b(?:{_EN_PLANNED_WORDS})\b[^.]{{0,50}}$|(?-i:\bTo\s+(?:Pay|Make|Hold|Visit|Attend|Host|Sign|Meet)\b)[^.]{{0,20}}$"),
        ("The president will pay a state ", "Putin To Pay Official ", "ahead of the "),
        ("The president paid a state ",),
    ),
    Cue(
        "cue.planned.after.ru", "ru", "modality", "planned", "after", 70,
        with_letters(rf"(?i)^(?:[^.]{{0,59}}[^\w.])?(?:{_RU_PLANNED_AFTER_WORDS})"),
        (" ШОС, который пройдет в июле", " Путина и Макрона пройдут в Версале"),
        (" ШОС, который прошёл в июле",),
    ),
    Cue(
        "cue.planned.after.en", "en", "modality", "planned", "after", 70,
        with_letters(rf"(?i)^(?:[^.]{{0,59}}[^\w.])?(?:{_EN_PLANNED_AFTER_WORDS})"),
        (" in Astana will take place on Friday", " is scheduled for next month"),
        (" took place on Friday",),
    ),
    # A future copula of the trigger's own clause (no comma between). Not: "По итогам встречи,
    # отмечается, что санкции будут …" (the future is another clause's).
    Cue(
        "cue.planned.future_copula.ru", "ru", "modality", "planned", "after", 70,
        with_letters(r"(?i)^(?:[^.,;:!?]{0,50}\s)?(?:станет|станут|будет|будут|должн(?:о|а|ы|ен)\s+(?:стать|пройти|состояться|будет))\b"),
        (" Путина и Абэ будут сложными", " президентов должны стать экономические отношения", " Трампа станет нефть"),
        (", отмечается в заявлении, что санкции будут продлены",),
    ),
    Cue(
        "cue.planned.future_copula.en", "en", "modality", "planned", "after", 70,
        with_letters(r"(?i)^(?:[^.,;:!?]{0,50}\s)?will\s+(?:be|focus|centre|center|address|cover|include)\b"),
        (" will focus on trade", " in Geneva will be difficult"),
        (", officials said, will be studied",),
    ),
    # A prospective noun phrase names a coming event without a verb: "в преддверии визита Трампа";
    # a purpose too: "прибывают в Южную Корею для встречи с …", "arrived for talks".
    Cue(
        "cue.prospective.before.ru", "ru", "modality", "prospective", "before", 60,
        r"(?i)(?:^|[^\w-])(?:в\s+преддверии|для|ради|с\s+целью)\s+(?:[\w-]+\s+)?$",
        ("Южная Корея объявила о санкциях в преддверии ", "прибыл в Сеул для "),
        ("прибыл в Сеул после ",),
    ),
    Cue(
        "cue.prospective.before.en", "en", "modality", "prospective", "before", 60,
        r"(?i)(?:^|[^\w-])for\s+(?:[\w-]+\s+)?$",
        ("The minister arrived in Beijing for ", "arrived for bilateral "),
        ("The minister arrived in Beijing after ",),
    ),
    Cue(
        "cue.hypothetical.before.ru", "ru", "modality", "hypothetical", "before", 60,
        with_letters(r"(?i)\b(?:возможн\w*|если|мог(?:ут|ли|ла|ло)?\s+бы|может|могут)\b[^.]{0,30}$"),
        ("Стороны обсудили возможную ", "Лидеры могли бы провести "),
        ("Лидеры провели ",),
    ),
    Cue(
        "cue.hypothetical.before.en", "en", "modality", "hypothetical", "before", 60,
        with_letters(r"(?i)\b(?:would|could|might|if)\b[^.]{0,30}$"),
        ("The two leaders could hold ", "if the "),
        ("The two leaders held ",),
    ),
)

EXCLUSION_CUES: tuple[Cue, ...] = (
    # Vague periods make a trigger a summary, not an event: "с которыми он встречался за последние
    # несколько месяцев", "regularly".
    Cue(
        "cue.generic.vague_period.ru", "ru", "exclusion", "generic", "sentence", 0,
        with_letters(
            rf"(?i){WORD_START}(?:за\s+последн\w+\s+(?:несколько\s+)?(?:месяц|лет|год|недел|время)\w*|регулярно|неоднократно|"
            r"в\s+последнее\s+время)(?:\W|$)"
        ),
        ("Лидеры регулярно проводят встречи.", "Он встречался с ними за последние несколько месяцев."),
        ("Лидеры провели встречу в Астане.",),
    ),
    Cue(
        "cue.generic.vague_period.en", "en", "exclusion", "generic", "sentence", 0,
        with_letters(rf"(?i){WORD_START}(?:regularly|repeatedly)(?:\W|$)"),
        ("The leaders regularly hold talks.", "They have repeatedly met."),
        ("The leaders held talks on Friday.",),
    ),
    # Talks that go on, not an event that happened: "ведутся переговоры об организации…"
    Cue(
        "cue.generic.ongoing.ru", "ru", "exclusion", "generic", "before", 30,
        with_letters(rf"(?i){WORD_START}(?:ведут\w*|вед[её]т\w*|продолжа\w+|идут|идет|ид[её]т)\s+$"),
        ("Сейчас ведутся ", "стороны продолжают "),
        ("Вчера прошли ",),
    ),
    Cue(
        "cue.generic.ongoing.en", "en", "exclusion", "generic", "before", 30,
        with_letters(rf"(?i){WORD_START}(?:are\s+(?:holding|conducting)|ongoing|continuing)\s+$"),
        ("The sides are holding ", "amid ongoing "),
        ("The sides held ",),
    ),
    # Talks named, not held: "сесть за стол переговоров", "астанинский формат переговоров", "о провале
    # переговоров", "о необходимости переговоров", "начать переговоры". Not: "в ходе переговоров",
    # "по итогам переговоров", "раунд переговоров" (talks that took place).
    Cue(
        "cue.generic.nominal_talks.ru", "ru", "exclusion", "generic", "before", 40,
        with_letters(
            r"(?i)(?:^|[^\w-])(?:стол\w*|формат\w*|процесс\w*|провал\w*|срыв\w*|необходимост\w*|возобновлени\w*|"
            r"готовност\w*|начать|к|предмет\w*|участник\w*|субъект\w*|посредник\w*|перспектив\w*)\s+(?:[\w-]+\s+)?$"
        ),
        ("готов сесть за стол ", "астанинский формат ", "заявил о необходимости "),
        ("По итогам ", "В ходе "),
        event_types=("talks",),
    ),
    # A trigger in a temporal adjunct recalls an event as the frame of another: "спустя две недели
    # после визита Трампа в Эр-Рияд", "during his visit to". Past the lead and with no date of its
    # own, the text does not report it (events._with_parties_and_dates). Not: "По итогам переговоров".
    Cue(
        "cue.adjunct.temporal.ru", "ru", "exclusion", "adjunct", "before", 40,
        with_letters(
            r"(?i)(?:^|[^\w-])(?:в\s+ходе|во\s+время|после|до|перед|накануне|спустя|в\s+рамках|на\s+полях)\s+(?:[\w-]+\s+){0,2}$"
        ),
        ("спустя две недели после ", "Ещё до ", "во время моего "),
        ("По итогам ",),
    ),
    Cue(
        "cue.adjunct.temporal.en", "en", "exclusion", "adjunct", "before", 40,
        with_letters(r"(?i)(?:^|[^\w-])(?:during|after|before|prior\s+to|on\s+the\s+sidelines\s+of)\s+(?:[\w-]+\s+){0,2}$"),
        ("during his ", "on the sidelines of the "),
        ("following the ",),
    ),
)

# Words that make a trigger no diplomatic event at all.
NOT_AN_EVENT_CUES: tuple[Cue, ...] = (
    # "принял" that is not a reception: "принял участие", "принял решение", "принял закон"
    Cue(
        "cue.not_an_event.not_a_reception.ru", "ru", "exclusion", "not_an_event", "trigger", 0,
        r"(?i)^принял\w*\s+(?:(?:также|тоже|же)\s+)?(?:участи|решени|закон|мер|постановлени|указ|резолюци|заявлени|к\s|на\s|во\s|в\s|"
        r"присяг|поздравлени|отставк|предложени|программ|бюджет|документ|стратеги|концепци|поправк|эстафет|"
        r"вызов|бой|удар|командовани|руководств|гражданств|ислам|христианств|"
        r"больш|более|меньш|много|около|свыше|почти|порядка|тысяч|сотн|десятк|миллион|рекордн)",
        ("принял участие", "принял решение"),
        ("принял президента",),
        event_types=("meeting",),
    ),
    # A meeting in sport is a match, not diplomacy: "Центральная встреча дня состоялась в Лиссабоне,
    # где Португалия в очной дуэли …", "встреча … с участием Марии Шараповой" (a tennis match).
    # Not: "встреча лидеров на полях саммита", "встреча министров обороны".
    Cue(
        "cue.not_an_event.sport.ru", "ru", "exclusion", "not_an_event", "sentence", 0,
        words(
            r"матч\w*|турнир\w*|чемпионат\w*|сборн(?:ая|ой|ую|ые|ых)|болельщик\w*|теннис\w*|футбол\w*|хокке\w*|"
            r"тайм\w*|гол(?:а|ов|ом)?|счёт\w*\s+\d|сч[её]том|плей-офф|полуфинал\w*|четвертьфинал\w*|финал\w*\s+(?:турнира|чемпионата|кубка)|"
            r"кубк\w*|спортсмен\w*|теннисист\w*|футболист\w*|хоккеист\w*|дуэл\w*|соперни\w*\s+по"
        ),
        ("Центральная встреча дня завершилась со счётом 2:1.", "Встреча сборных прошла в Лиссабоне."),
        ("Встреча министров обороны прошла в Лиссабоне.",),
        event_types=("meeting",),
    ),
    Cue(
        "cue.not_an_event.sport.en", "en", "exclusion", "not_an_event", "sentence", 0,
        words(r"match|tournament|championship|football|soccer|hockey|tennis|goal|play-?off|semi-?final|quarter-?final"),
        ("The meeting of the two teams ended in a goal.", "a tennis meeting at the tournament"),
        ("The meeting of the two ministers ended.",),
        event_types=("meeting",),
    ),
    # A signature that is not an agreement between states: "подписал указ", "signed an executive order"
    Cue(
        "cue.not_an_event.decree.ru", "ru", "exclusion", "not_an_event", "after", 70,
        r"(?i)^\s*(?:[\w-]+\s+){0,2}?(?:указ|закон|постановлени|распоряжени|приказ|обращени|петици|письм)",
        (" указ о назначении", " федеральный закон"),
        (" соглашение о сотрудничестве",),
        event_types=("agreement_signing",),
    ),
    Cue(
        "cue.not_an_event.decree.en", "en", "exclusion", "not_an_event", "after", 70,
        r"(?i)^\s*(?:[\w-]+\s+){0,2}?(?:decree|law|bill|executive\s+order|order|petition|letter)",
        (" an executive order", " the bill"),
        (" a cooperation agreement",),
        event_types=("agreement_signing",),
    ),
)

CUE_RULES: tuple[Cue, ...] = MODALITY_CUES + EXCLUSION_CUES + NOT_AN_EVENT_CUES


def cue_window(cue: Cue, before: pl.Expr, after: pl.Expr) -> pl.Expr:
    """The text a cue reads: `before` and `after` are the trigger's 60 and 70 characters."""
    if cue.window == "sentence":
        return pl.col("sentence")
    if cue.window == "trigger":
        return pl.col("match")
    if cue.window == "before":
        return before if cue.width >= 60 else before.str.slice(-cue.width)
    return after if cue.width >= 70 else after.str.slice(0, cue.width)


def any_cue(cues: tuple[Cue, ...], before: pl.Expr, after: pl.Expr) -> pl.Expr:
    """True where a cue of the trigger's document language matches its window."""
    hits = []
    for cue in cues:
        hit = (pl.col("language") == cue.language) & cue_window(cue, before, after).str.contains(cue.pattern)
        if cue.event_types:
            hit = hit & pl.col("event_type").is_in(cue.event_types)
        hits.append(hit)
    return pl.any_horizontal(hits) if hits else pl.lit(False)


def cues_of(role: str, value: str) -> tuple[Cue, ...]:
    return tuple(cue for cue in CUE_RULES if cue.role == role and cue.value == value)
