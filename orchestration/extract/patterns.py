"""Every extraction pattern in one place, Russian and English side by side.

Patterns are Rust regular expressions (polars): linear time, no look-around, no backrefs.
Each carries a comment with an example it matches.
"""

from __future__ import annotations

W = r"[\w\-]"  # a word character, hyphen included ("российско-киргизские")

# A Unicode `\b` makes the regex engine leave its fast automaton on Cyrillic text (ten to a
# hundred times slower). Patterns that are only tested (`contains`) or read through a capture
# group spell their word boundaries as a non-word character or the text's edge instead: the
# same rows match, on the fast engine. Patterns whose match span matters (located with
# `text.locate`: triggers, dates, amounts, metric keywords) keep `\b`.
WORD_START = r"(?:^|\W)"
# The letters of the corpus's languages (Russian, English, Latin-1 names, Kazakh), digits and "_":
# a `\w` the regex engine's fast automaton can hold under `(?i)`, where the Unicode one makes
# it fall back to a slow search; written without brackets to go inside a class.
LETTER_CLASS = "0-9A-Za-zÀ-ÖØ-öø-ÿА-ЯЁа-яёӘәҒғҚқҢңӨөҰұҮүҺһІі_"
LETTER = f"[{LETTER_CLASS}]"


def with_letters(pattern: str) -> str:
    """`pattern` with `\w` and `\W` spelled as LETTER (measured on a cue like "(?i)… (?:[\w-]+\s+)?$"
    over 2,800 trigger contexts: 0.79 s against 0.004 s, the same rows matched)."""
    return (
        pattern.replace(r"[^\w-]", f"[^{LETTER_CLASS}-]")
        .replace(r"[\w-]", f"[{LETTER_CLASS}-]")
        .replace(r"\W", f"[^{LETTER_CLASS}]")
        .replace(r"\w", LETTER)
    )
WORD_END = r"(?:\W|$)"


def words(alternatives: str) -> str:
    """Case-insensitive: any of `alternatives` (a regex alternation) as whole words."""
    return with_letters(rf"(?i){WORD_START}(?:{alternatives}){WORD_END}")


MONTHS_RU = {
    "январ": 1, "феврал": 2, "март": 3, "апрел": 4, "ма": 5, "июн": 6,
    "июл": 7, "август": 8, "сентябр": 9, "октябр": 10, "ноябр": 11, "декабр": 12,
}  # fmt: skip
MONTHS_EN = {
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7,
    "august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "sept": 9,
    "oct": 10, "nov": 11, "dec": 12,
}  # fmt: skip
# "августа" (genitive: "7 августа"), "августе" (prepositional: "в августе"), "август"
MONTH_RU = r"(?:января|февраля|марта|апреля|мая|июня|июля|августа|сентября|октября|ноября|декабря)"
MONTH_RU_NOM = r"(?:январь|февраль|март|апрель|май|июнь|июль|август|сентябрь|октябрь|ноябрь|декабрь)"
MONTH_RU_PREP = r"(?:январе|феврале|марте|апреле|мае|июне|июле|августе|сентябре|октябре|ноябре|декабре)"
MONTH_EN = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December"
    r"|Jan\.?|Feb\.?|Mar\.?|Apr\.?|Jun\.?|Jul\.?|Aug\.?|Sept?\.?|Oct\.?|Nov\.?|Dec\.?)"
)
DASH = r"\s*[-–—]\s*"
YEAR = r"(?:19|20)\d{2}"

# Date expressions: (kind, pattern). Kinds decide how the groups are read (see dates.py).
DATE_PATTERNS: list[tuple[str, str]] = [
    # "7–12 августа 2025 года", "8-10 октября"
    ("day_range", rf"\b(?P<d1>\d{{1,2}}){DASH}(?P<d2>\d{{1,2}})\s+(?P<mon>{MONTH_RU})(?:\s+(?P<y>{YEAR}))?"),
    # "30 сентября – 2 октября 2025 года"
    ("day_month_range", rf"\b(?P<d1>\d{{1,2}})\s+(?P<mon1>{MONTH_RU}){DASH}(?P<d2>\d{{1,2}})\s+(?P<mon>{MONTH_RU})(?:\s+(?P<y>{YEAR}))?"),
    # "11 ноября", "15 августа 2025 г."
    ("day", rf"\b(?P<d1>\d{{1,2}})\s+(?P<mon>{MONTH_RU})(?:\s+(?P<y>{YEAR}))?"),
    # "09.10.2025"
    ("numeric", rf"\b(?P<d1>\d{{1,2}})\.(?P<mn>\d{{2}})\.(?P<y>{YEAR})\b"),
    # "November 6, 2025", "Nov. 6-7"
    ("en_month_day", rf"\b(?P<mon>{MONTH_EN})\s+(?P<d1>\d{{1,2}})(?:{DASH}(?P<d2>\d{{1,2}}))?(?:st|nd|rd|th)?(?:,?\s+(?P<y>{YEAR}))?\b"),
    # "6 November 2025", "6-7 November"
    ("en_day_month", rf"\b(?P<d1>\d{{1,2}})(?:{DASH}(?P<d2>\d{{1,2}}))?\s+(?P<mon>{MONTH_EN})(?:,?\s+(?P<y>{YEAR}))?\b"),
    # "в январе – сентябре", "за январь – июль 2025 года" (a period)
    ("month_range", rf"(?i)\b(?:в|за)\s+(?P<mon1>{MONTH_RU_PREP}|{MONTH_RU_NOM}){DASH}(?P<mon>{MONTH_RU_PREP}|{MONTH_RU_NOM})(?:\s+(?P<y>{YEAR}))?"),
    # "in January-September 2025", "January–July"
    ("month_range", rf"\b(?:(?:in|In|for|For|over|during)\s+)?(?P<mon1>{MONTH_EN}){DASH}(?P<mon>{MONTH_EN})(?:,?\s+(?P<y>{YEAR}))?\b"),
    # "в феврале 2022 года", "в марте", "в ноябре прошлого года"
    ("month", rf"(?i)\bв\s+(?P<mon>{MONTH_RU_PREP})(?:\s+(?P<y>{YEAR})|\s+(?P<rel>прошлого|позапрошлого|этого|текущего|следующего)\s+года)?"),
    # "in January", "in March 2023", "in November last year"
    ("en_month", rf"\b(?:in|In|since|by)\s+(?P<mon>{MONTH_EN})(?:\s+(?P<y>{YEAR})|\s+(?P<rel>last|this|next)\s+year)?\b"),
    # "the first seven months of 2023", "за семь месяцев 2025 года"
    ("months_of_year", rf"(?i)\b(?:first|за|в первые)\s+(?P<n>\w+)\s+(?:months|месяц\w*)\s+(?:of\s+)?(?P<y>{YEAR})"),
    # "в 2024 году", "по итогам 2024 года", "за 2024 год", "in 2024"
    # "к 2030 году", "by 2030": a target year
    ("year", rf"(?i)\b(?:в|во|по итогам|за|к|до|in|during|for|by|until)\s+(?P<y>{YEAR})\s*(?:году|года|год|г\.|\b)"),
    # "в прошлом году", "по итогам прошлого года", "last year", "в этом году"
    ("relative_year", r"(?i)\b(?P<rel>в прошлом году|по итогам прошлого года|за прошлый год|в прошлом году|last year|в этом году|в текущем году|this year|в позапрошлом году)"),
    # "накануне", "в тот же вечер", "the day before", "месяцем ранее"
    ("relative_day", r"(?i)\b(?P<rel>накануне|вчера|сегодня|в тот же (?:день|вечер)|на следующий день|днем ранее|днём ранее|месяцем ранее|месяц назад|неделей ранее|неделю назад|the day before|the previous day|yesterday|today|the same day|the next day|earlier in the day|later in the day|earlier that day|later that day|ранее в тот же день|a month earlier|a week earlier|last week|last month)\b"),
    # "met Friday", "on Tuesday", "в понедельник": the last such day up to the article's date
    ("weekday", r"\b(?:(?:on|On)\s+)?(?P<wd>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b|(?i)\bв(?:о)?\s+(?P<wd2>понедельник|вторник|среду|четверг|пятницу|субботу|воскресенье)\b"),
]

WEEKDAYS = {
    "monday": 1, "tuesday": 2, "wednesday": 3, "thursday": 4, "friday": 5, "saturday": 6, "sunday": 7,
    "понедельник": 1, "вторник": 2, "среду": 3, "четверг": 4, "пятницу": 5, "субботу": 6, "воскресенье": 7,
}  # fmt: skip
# What precedes a dateline's date: the city in capitals ("ASTANA, Dec 3 (Reuters)", "МОСКВА, 12 ноября.")
DATELINE_BEFORE = r"^[A-ZА-ЯЁ][A-ZА-ЯЁ'’. -]{2,},\s*$"
RELATIVE_DAYS = {
    "накануне": -1, "вчера": -1, "the day before": -1, "the previous day": -1, "yesterday": -1,
    "днем ранее": -1, "днём ранее": -1, "сегодня": 0, "today": 0, "в тот же день": 0,
    "в тот же вечер": 0, "the same day": 0, "earlier in the day": 0, "later in the day": 0,
    "earlier that day": 0, "later that day": 0, "ранее в тот же день": 0, "на следующий день": 1, "the next day": 1,
    "неделей ранее": -7, "неделю назад": -7, "a week earlier": -7, "last week": -7,
    "месяцем ранее": -30, "месяц назад": -30, "a month earlier": -30, "last month": -30,
}  # fmt: skip
RELATIVE_YEARS = {
    "в прошлом году": -1, "по итогам прошлого года": -1, "за прошлый год": -1, "last year": -1,
    "в позапрошлом году": -2, "в этом году": 0, "в текущем году": 0, "this year": 0,
    # the year after a month: "в ноябре прошлого года", "in November last year"
    "прошлого": -1, "позапрошлого": -2, "этого": 0, "текущего": 0, "следующего": 1,
    "last": -1, "this": 0, "next": 1,
}  # fmt: skip

# Event triggers are rule tables per language: event_rules.py.

# A sentence that continues the previous one's event by naming the other parties:
# "Среди собеседников — Рамафоза, Токаев, ...", "Among them were ..."
CONTINUATION = words(r"среди\s+(?:собеседников|них)|собеседник\w*\s+(?:стали|были)|в\s+их\s+числе|among\s+them|among\s+(?:the\s+)?interlocutors")

# Modality and exclusion cues around a trigger are rule tables per language: cue_rules.py.

# Between a planned trigger and a later one in the sentence, a verb in the past makes the later
# one a fact: "посетит Китай для участия в саммите" (planned) vs "…, где подписал" (occurred).
PAST_VERB = words(r"\w+(?:ли|ла|лся|лась|лись)|signed|met|held|hosted|received|visited|was|were|had")
# Who can pay a visit for a state: a leader, an official, a delegation, the speaker or the text's
# protagonist ("он", "мы"). Soldiers, tourists, fans, scientists or a tanker that "прибыли в Сирию"
# or "посетили Южную Корею" make no visit (a named leader or official is an actor mention: also enough).
STATE_VISITOR = words(
    r"президент\w*|премьер\w*|министр\w*|глав(?:а|ы|е|у|ой)|лидер\w*|канцлер\w*|корол\w*|принц\w*|эмир\w*|шейх\w*|"
    r"госсекретар\w*|генсек\w*|генеральн\w+\s+секретар\w*|делегаци\w*|посол\w*|посл(?:а|у|ом)|спецпосланник\w*|"
    r"спецпредставител\w*|представител\w*|председател\w*|вице-\w+|советник\w*|руководител\w*|наследн\w*|султан\w*|"
    r"спикер\w*|парламентари\w*|депутат\w*|сенатор\w*|конгрессмен\w*|губернатор\w*|мэр\w*|"
    r"я|мы|он|она|они|мой|моего|моим|наш\w*|его|её|"
    r"president|prime\s+minister|premier|minister|secretary|chancellor|king|prince|emir|sheikh|leader|delegation|"
    r"envoy|ambassador|chairman|speaker|senator|he|she|they|we|i"
)
# "двухдневного визита", "a three-day state visit"
DURATION = rf"(?i){WORD_START}(двух|трех|трёх|четырех|четырёх|пяти|two|three|four|five|2|3|4|5)[\s-]*(?:дневн\w*|day){WORD_END}"
DURATION_DAYS = {"двух": 2, "трех": 3, "трёх": 3, "четырех": 4, "четырёх": 4, "пяти": 5,
                 "two": 2, "three": 3, "four": 4, "five": 5, "2": 2, "3": 3, "4": 4, "5": 5}  # fmt: skip

# "государственного визита" -> state
VISIT_LEVEL = rf"(?i){WORD_START}(?P<level>государственн|официальн|рабоч|state|official|working)\w*\s+(?:визит|visit)"
VISIT_LEVELS = {"государственн": "state", "официальн": "official", "рабоч": "working",
                "state": "state", "official": "official", "working": "working"}  # fmt: skip

# Where a new clause begins: "…принимал Путина, а 2 сентября…", "; the next day…"
CLAUSE_BREAK = (
    r"(?i);|,\s*(?:но|тогда\s+как|затем|после\s+чего|поскольку|так\s+как|while|whereas|and\s+then|then|because)\s"
    # "а" and "as", but not "а также" or "as well as"
    r"|,\s*а\s+(?:[^т\s]|т[^а])|,\s*as\s+(?:[^w\s]|w[^e])"
    # who said it is not a party: ", сообщили в Кремле", ", according to"
    r"|,\s*(?:сообщ\w+|переда[её]т|говорится|заявил\w*|according\s+to)\s"
    # what is said is a clause of its own: "Трамп во время визита в Сеул заявил, что режим КНДР …",
    # "said that North Korea …" (its countries are no party to the visit)
    r"|,\s*что\s|\s(?:said|says|stated|noted|stressed|warned)\s+that\s"
)
# The source of a statement is not a party to what it reports: ", the Kremlin said", "сообщили в Кремле"
SOURCE_BEFORE = r"(?i),\s*(?:the\s+)?$"  # with SOURCE_AFTER: ", the Kremlin said"
# "сообщили в пресс-службе Кремля", "говорится в сообщении МИД", "according to the Kremlin". Not the
# speaker: "«…», — заявил глава грузинского оборонного ведомства, комментируя итоги своего визита в
# США" (Georgia is a party of its minister's visit).
SOURCE_NAMED_AFTER = with_letters(
    r"(?i)(?:(?:сообщ\w+|заявил\w*)\s+(?:в|во)|говорится\s+в\s+\w+|переда[её]т|according\s+to)\s+(?:the\s+)?(?:[\w-]+\s+){0,2}$"
)
SOURCE_AFTER = with_letters(rf"(?i)^\s*(?:['’]s\s+)?(?:[\w-]+\s+){{0,3}}?(?:said|says|reported|reports|announced|told|сообщил\w*|заявил\w*){WORD_END}")

# A country's companies, banks, producers or investors make no diplomatic event (a figure keeps
# them: "китайские инвесторы вложили"): "польская компания PGNiG подписала", "с турецкой компанией
# Aselsan", "греческая DEPA", "испанской «Барселоны»", "Китайские производители". Not: "российская
# сторона", "американская администрация", "китайский лидер".
BUSINESS_AFTER = (
    r"^\s*(?:(?i:нефтегазов|энергетическ|государственн|частн|крупнейш|оборонн|нефтян|газов|атомн|автомобильн)\w*\s+)?"
    r"(?:(?i:компани|корпораци|концерн|фирм|холдинг|производител|инвестор|бизнесмен|предприяти|клуб|банк)\w*|[«\"]|[A-Z][A-Za-z])"
)

# A summit of two names its two sides by its own words: "саммит Украина — ЕС", "саммита Путина и
# Трампа", "российско-американского саммита", "the US-Russia summit". Not: "саммит прошёл в Минске",
# "на саммите НАТО" (one body), "Австрийском всемирном саммите".
SUMMIT_OF_TWO_AFTER = (
    r"^\w*\s+«?[A-ZА-ЯЁ][\w.’'-]*(?:\s+[A-ZА-ЯЁ][\w.’'-]*)?»?\s*(?:[—–-]|\sи\s|\sand\s)\s*«?[A-ZА-ЯЁ]"
)
SUMMIT_OF_TWO_BEFORE = (
    r"(?:[а-яё]+-[а-яё]+(?:ий|ый|ого|ому|ом|ая|ой|ую|ие|ых|ым|ими)|[A-Z][\w.]*\s*[-–—]\s*[A-Z][\w.]*)\s+$"
)

# A country's press, journalists or experts are a source, not a party: "французская газета Le
# Monde полагает, что …", "по сообщениям британских СМИ", "на встрече с китайскими журналистами",
# "СМИ Японии сообщили". Not: "Японское агентство по международному сотрудничеству" (a state
# body: no "агентство" here), "министр иностранных дел Японии".
PRESS_AFTER = with_letters(
    r"(?i)^\s*(?:газет\w*|издани[еяюй]\w*|информагентств\w*|телеканал\w*|СМИ|журнал\w*|таблоид\w*|радиостанци\w*|"
    r"пресс(?:а|ы|е|у|ой)|блогер\w*|эксперт\w*|аналитик\w*|политолог\w*|источник\w*|"
    r"newspapers?|outlets?|broadcasters?|media|press|tabloids?|journalists?|experts?|analysts?|sources?)(?:\W|$)"
)
PRESS_BEFORE = with_letters(
    r"(?i)(?:^|\W)(?:газет\w*|издани[еяюй]\w*|СМИ|пресс(?:а|ы|е|у|ой)|журналист\w*|эксперт\w*|media|press)\s+$"
)

# Words that point back to parties named before: "По итогам переговоров, президенты подписали"
ANAPHORA = words(
    r"президент\w*|лидер\w*|сторон\w*|глав\w*\s+государств|по\s+итогам|в\s+ходе|двусторонн\w*|"
    r"the\s+(?:\w+\s+)?(?:leaders|presidents|sides|heads\s+of\s+state)|both\s+sides|bilateral"
)

# Words for numbers, declined: "семь", "семи", "двух", "десяти", "seven".
NUMBER_WORDS: dict[str, float] = {
    "один": 1.0, "одна": 1, "одно": 1, "одного": 1, "одной": 1, "два": 2, "две": 2, "двух": 2, "двум": 2,
    "двумя": 2, "три": 3, "трех": 3, "трёх": 3, "трем": 3, "тремя": 3, "четыре": 4, "четырех": 4,
    "четырёх": 4, "пять": 5, "пяти": 5, "шесть": 6, "шести": 6, "семь": 7, "семи": 7, "восемь": 8,
    "восьми": 8, "девять": 9, "девяти": 9, "десять": 10, "десяти": 10, "одиннадцать": 11,
    "одиннадцати": 11, "двенадцать": 12, "двенадцати": 12, "тринадцать": 13, "тринадцати": 13,
    "четырнадцать": 14, "четырнадцати": 14, "пятнадцать": 15, "пятнадцати": 15, "шестнадцать": 16,
    "шестнадцати": 16, "семнадцать": 17, "семнадцати": 17, "восемнадцать": 18, "восемнадцати": 18,
    "девятнадцать": 19, "девятнадцати": 19, "двадцать": 20, "двадцати": 20, "тридцать": 30,
    "тридцати": 30, "сорок": 40, "сорока": 40, "пятьдесят": 50, "пятидесяти": 50, "сто": 100, "ста": 100,
    "полтора": 1.5, "полутора": 1.5, "десятка": 10, "десятков": 10, "дюжины": 12,
    "one": 1.0, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
    "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30,
    "forty": 40, "fifty": 50, "hundred": 100, "dozen": 12,
}  # fmt: skip
NUMBER_WORD = "|".join(sorted(NUMBER_WORDS, key=len, reverse=True))

# "16 документов", "семь документов", "более двух десятков документов", "15 cooperation documents"
DOCUMENT_COUNT = (
    rf"(?i){WORD_START}(?P<num>\d{{1,3}}|{NUMBER_WORD})\s+(?P<tens>десят\w+\s+)?(?:[\w-]+\s+){{0,2}}?"
    rf"(?:документ\w*|соглашени\w*|меморандум\w*|договор(?:ов|а){WORD_END}|documents?|agreements?|memorand\w*|deals)"
)

# Scales and currencies carry no word boundaries: MONEY is located with `whole_words`
# (see text.locate), which keeps the fast regex engine ("сомнения" is not "сом"). The amount
# patterns spell `\w` as LETTER (`with_letters`) for the same reason.
SCALE = (
    r"тыс\.|тысяч\w*|млн\.?|миллион\w*|млрд\.?|миллиард\w*|трлн\.?|триллион\w*|"
    r"thousand|million|billion|trillion|bn|mln|tn"
)
SCALES = {"тыс": 1e3, "тысяч": 1e3, "млн": 1e6, "миллион": 1e6, "млрд": 1e9, "миллиард": 1e9,
          "трлн": 1e12, "триллион": 1e12, "thousand": 1e3, "million": 1e6, "billion": 1e9,
          "trillion": 1e12, "bn": 1e9, "mln": 1e6, "tn": 1e12}  # fmt: skip
CURRENCY = (  # a longer word before its prefix ("euros" before "eur"): matches are whole words
    r"долл\.|доллар\w*|usd|евро|euros?|eur|€|руб\.|рубл\w*|roubles?|rubles?|rub|юан\w*|cny|тенге|kzt|"
    r"сомони|сом(?:ов|а)?|сум(?:ов|а)?|манат\w*|dollars?|yuan|renminbi|tenge|soms?|"
    r"\$|₽|¥|£|фунт\w*\s+стерлинг\w*|pounds?|иен\w*|yen|рупи\w*|rupees?"
)
CURRENCIES = [  # (pattern on the lowercased currency word, ISO code)
    (r"^(?:долл|доллар|usd|dollar|\$)", "USD"), (r"^(?:евро|eur|euro|€)", "EUR"),
    (r"^(?:руб|rub|roubl|rubl|₽)", "RUB"), (r"^(?:юан|cny|yuan|renminbi|¥)", "CNY"),
    (r"^(?:тенге|kzt|tenge)", "KZT"), (r"^(?:сом\b|сома|сомов|som)", "KGS"), (r"^(?:сумов|сума|сум\b)", "UZS"),
    (r"^сомони", "TJS"), (r"^манат", "TMT"), (r"^(?:фунт|pound|£)", "GBP"), (r"^(?:иен|yen)", "JPY"),
    (r"^(?:рупи|rupee)", "INR"),
]  # fmt: skip

# A money amount: "4,0 млрд. долларов", "$8,5 млрд.", "30$ млрд", "1,5 млрд юаней",
# "превысил 27 млрд." (currency carried over), "26 billion yuan", "$8.5 billion".
# Located with whole_words, and only in sentences where a number touches a currency or a scale
# (MONEY_CANDIDATES).
DIGITS = r"\d+(?:[ \u00a0\u202f]\d{3})*(?:[.,]\d+)?"
MONEY = with_letters(
    rf"(?i)(?:(?P<sym>[$€£¥₽])\s?)?(?P<num>{DIGITS})\s?(?P<sym2>[$€£¥₽])?\s*(?P<scale>{SCALE})?"
    rf"\s*(?P<cur>{CURRENCY})?"
)
# In words, only with a scale: "около десяти миллиардов долларов", "полтора млрд". (Number words
# are in every other word's insides, "ста" in "государства": searching for them alone is slow.)
MONEY_IN_WORDS = with_letters(rf"(?i)(?P<num>{NUMBER_WORD})\s+(?P<scale>{SCALE})\s*(?P<cur>{CURRENCY})?")
# Sentences where a number touches a currency or a scale: only there can MONEY find an amount
# that is kept (one with a unit or a scale); most numbers in the news are neither.
MONEY_CANDIDATES = rf"(?i)[$€£¥₽]\s?\d|\d\s?[$€£¥₽]|\d\s*(?:{SCALE}|{CURRENCY})"
# "13,6 процента", "17%", "5 percent" (located with whole_words)
PERCENT = with_letters(rf"(?i)(?P<num>\d+(?:[.,]\d+)?|(?:{NUMBER_WORD}))\s*(?P<pct>%|процент\w*|percent|per\s+cent|п\.\s?п\.)")

# Qualifiers just before a number: "почти 2,0 млрд", "превысил 27 млрд.", "more than 3,000"
QUALIFIER = with_letters(
    rf"(?i){WORD_START}(?P<q>"
    r"почти|около|порядка|примерно|приблизительно|ориентировочно|свыше|более|больше|"
    r"не\s+менее|не\s+более|не\s+превы\w*|менее|меньше|превысил\w*|превыша\w*|превышающ\w*|достиг\w*\s+более|"
    r"almost|nearly|about|around|approximately|some|roughly|more\s+than|over|exceeding|exceeded|exceeds?|"
    r"above|less\s+than|under|up\s+to)\s+(?:[\w-]+\s+){0,1}$"
)
QUALIFIERS = [  # (pattern on the lowercased qualifier, value)
    (r"^не\s+менее", "more_than"), (r"^не\s+более", "less_than"), (r"^не\s+превы", "less_than"),
    (r"^(?:почти|около|порядка|примерно|приблизительно|ориентировочно|almost|nearly|about|around|approximately|some|roughly)", "approx"),
    (r"^(?:свыше|более|больше|превы|достиг\w*\s+более|more|over|exceed|above)", "more_than"),
    (r"^(?:менее|меньше|less|under|up\s+to)", "less_than"),
]  # fmt: skip

# Which term governs a figure (trade, investment, loan, deal; or a price, budget, …): the rule
# tables of orchestration/extract/figure_rules.py.
NATIONAL_CURRENCY = (
    r"(?i)национальн\w*\s+валют|national\s+currenc|нацвалют|"
    r"(?:расчет|расчёт|платеж|платёж|settlement|payment)\w*\s+(?:в|in)\s+(?:рубл|юан|тенге|сом|сум|roubl|rubl|yuan|tenge)"
)
GROWTH = words(r"рост\w*|вырос\w*|увелич\w*|прибав\w*|снизил\w*|сократил\w*|упал\w*|grew|grow\w*|increas\w*|rose|up\s+by|declin\w*|fell")
TRADE = words(r"товарооборот\w*|товарообмен\w*|торгов\w*|экспорт\w*|импорт\w*|trade|exports?|imports?")
# Accumulated, not per period: "общий объем накопленных российских инвестиций", "уже превысили"
STOCK = words(r"накоплен\w*|общий\s+объем|общий\s+объём|совокупн\w*|всего|уже|за\s+годы|за\s+все|accumulated|cumulative|total|stock")
# An investor country before the keyword, a destination after: "российские инвестиции в Казахстан"
INTO = rf"(?i){WORD_START}(?:в|во|into|in|to)\s*$"
# The recipient after a giving verb: "предоставит Узбекистану кредит", "поставить Индии", "extended loans to"
RECIPIENT_BEFORE = r"(?i)(?:предостав\w*|выдел\w*|переда\w*|постав\w*|прода\w*|provide\w*|extend\w*|suppl\w*|sell\w*|sold)\s*$"
# A figure for a region, not a pair: "товарооборот Китая со странами региона", "trade with the region"
REGION = (
    rf"(?i){WORD_START}(?:регион\w*|Центральн\w+\s+Ази\w*|ЦА{WORD_END}|пяти\s+(?:стран|республик|государств)\w*|"
    rf"the\s+region{WORD_END}|Central\s+Asia\w*|five\s+(?:Central\s+Asian\s+)?(?:states|nations|republics|countries))"
)

# Footnotes cite sources ("[1] Документы, подписанные ..."): what they name is told in the body.
CITATION = r"^\[\d+\]"

# Sentence boundaries: ". В", "». По", ".[1] Как", and every line break.
SENTENCE_BREAK = r"(?P<end>[.!?…]+[»\"”’)\]]*(?:\[\d+\])*)(?P<space>[ \t\u00a0]+)[«\"“(\[—–\-]?[А-ЯЁA-Z0-9]|(?P<newline>\n+)"
# A full stop after these is not a sentence end: "В. Путин", "г. Москва", "Mr. Trump".
ABBREVIATION_BEFORE = r"(?:^|[^\w])(?:[А-ЯЁA-Z]|г|гг|им|ст|ул|пр|см|тыс|т\.е|т\.д|т\.п|др|проф|акад|Mr|Mrs|Ms|Dr|St|Jr|U\.S|vs|No)$"
# "по Украине" names a topic, not a party; "в Афганистане" after "ситуации" likewise.
TOPIC_BEFORE = with_letters(
    rf"(?i){WORD_START}(?:по|о|об|про|on|about|over|"
    r"(?:ситуаци|кризис|конфликт|войн|урегулировани|перемири|мир|прекращени\w*\s+огня|"
    r"war|conflict|crisis|ceasefire|cease-fire|peace|settlement|situation)\w*\s+(?:в|во|на|вокруг|in|around))\s*$"
)
# Whose visit it is: "visit by Chinese President", "визит президента Казахстана"
VISITOR_BEFORE = with_letters(rf"(?i)(?:{WORD_START}(?:by|of)|президент\w*|премьер\w*|глав\w*|лидер\w*|министр\w*|председател\w*|president|leader|minister)\s+$")
# "встречи с Дональдом Трампом", "с лидерами Таджикистана", "talks with the leaders of": a counterpart
COUNTERPART_BEFORE = with_letters(rf"(?i){WORD_START}(?:с|со|with)\s+(?:[\w-]+\s+){{0,3}}$")
# Between two coordinated mentions: "Египта, королём Бахрейна", "Казахстана и Киргизии", "Egypt and the emir of Qatar"
COORDINATED_GAP = with_letters(r"(?i)^\s*(?:,|и|а\s+также|and|as\s+well\s+as)\s*(?:(?:the\s+)?[\w-]+\s+(?:of\s+)?){0,2}$")
# Locating prepositions: "в Москву", "в Кремле", "на Аляске", "in Washington", "to Astana"
LOCATION_BEFORE = with_letters(
    rf"(?i){WORD_START}(?:в|во|на|in|to|at|(?:city|town|capital|resort|port)\s+of|город\w*|столиц\w*)\s*$"
    # a dateline: "TIANJIN, China, Sept 1 (Reuters)", "SAMARKAND, Uzbekistan (AP)"
    r"|(?-i:^[A-ZА-ЯЁ][A-ZА-ЯЁ'’. -]{2,},\s*$)"
    # the dateline's city itself opens the text: nothing before it
    r"|^$"
)
