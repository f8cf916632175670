"""Event trigger rules as data, one table per language.

Each rule has a stable id (every row it makes carries it as `rule_id`, so its precision on real
news is a query: `marts.rule_quality`), its language (a Russian rule reads Russian documents
only, an English one English documents), its role, its pattern (a Rust regex, as everywhere in
`patterns.py`), and examples it must match and counter-examples it must not, in the shape of
real news sentences. tests/unit/test_event_rules.py runs every rule on its own examples.

Roles: `event` (a trigger that makes an event), `planned` (one whose own form is future:
"посетит", "will sign"), `series` (a plural that only types a following enumeration: "серия
звонков ... Среди собеседников — ..."). The modality and exclusion cues that act around a
trigger are rule tables of the same shape in `cue_rules.py`; role cues read by the entity
mentions (topic, source, press, business, place, counterpart) stay in `patterns.py`.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Rule:
    rule_id: str
    language: str  # 'ru' or 'en': the documents it reads
    event_type: str
    role: str  # 'event', 'planned' or 'series'
    pattern: str
    examples: tuple[str, ...]
    counter_examples: tuple[str, ...]


RU_TRIGGERS: tuple[Rule, ...] = (
    Rule(
        "trigger.phone_call.telephone_conversation", "ru", "phone_call", "event",
        r"(?i)\bтелефонн\w+\s+(?:разговор\w*|переговор\w*|бесед\w*|контакт\w*)",
        ("состоялся телефонный разговор президентов", "провели телефонные переговоры"),
        ("телефонная связь восстановлена",),
    ),
    Rule(
        "trigger.phone_call.by_telephone", "ru", "phone_call", "event",
        r"(?i)\b(?:разговор\w*\s+)?по\s+телефону\b|\b(?:переговор\w*|разговор\w*|бесед\w*)\s+(?:по\s+видеосвязи|в\s+режиме\s+видеоконференции)\b",
        ("лидеры поговорили по телефону", "переговоры по видеосвязи"),
        ("сообщил по телеграму",),
    ),
    Rule(
        "trigger.phone_call.called", "ru", "phone_call", "event",
        r"(?i)\bсозвонил(?:ся|ась|ись)\b|\bтелефонн\w+\s+звон\w+|\bзвонок\b|\bзвонка\b",
        ("министры созвонились накануне", "в ходе телефонного звонка"),
        ("звонкий голос",),
    ),
    Rule(
        "trigger.phone_call.series", "ru", "phone_call", "series",
        r"(?i)\bзвонк(?:и|ов|ами|ах)\b|\bобзвон\w*\b|\bсозванивал\w*",
        ("первая серия звонков", "лидеры регулярно созванивались"),
        ("поступил звонок",),
    ),
    Rule(
        "trigger.visit.visit_noun", "ru", "visit", "event",
        r"(?i)\bвизит(?:а|е|ом|у)?\b|\bпосетил(?:а|и)?\b|\bпосещени[еяю]\b|\bприбыл(?:а|и)?\s+(?:в|во)\b",
        ("в ходе государственного визита", "президент посетил Таджикистан", "премьер прибыл в Пекин"),
        ("визитная карточка региона", "прибыль выросла"),
    ),
    Rule(
        "trigger.visit.received_in_place", "ru", "visit", "event",
        r"\bпринял(?:а|и)?\s+в\s+(?:Кремле|Белом\s+доме|резиденции|Ак\s?[Оо]рде|Акорде|[А-ЯЁ]\w+е)\b",
        ("Путин принял в Кремле", "Токаев принял в Акорде"),
        ("принял участие в саммите",),
    ),
    Rule(
        "trigger.visit.planned", "ru", "visit", "planned",
        r"(?i)\bпосет(?:ит|ят)\b|\bприбудет\b|\bотправит(?:ся|ь)\s+с\s+\w*\s*визитом\b",
        ("президент посетит Астану", "делегация прибудет в Москву"),
        ("посетил Астану",),
    ),
    Rule(
        "trigger.visit.series", "ru", "visit", "series",
        r"(?i)\bвизит(?:ы|ов|ами|ах)\b",
        ("серия визитов в регион", "обмен визитами на высшем уровне"),
        ("в ходе визита",),
    ),
    Rule(
        "trigger.summit.summit", "ru", "summit", "event",
        r"(?i)\bсаммит(?:а|е|ом|у)?\b|\bзаседани\w+\s+(?:Совета\s+глав\w*|Высшего\s+\w+\s+совета)",
        ("на саммите ШОС в Астане", "заседание Совета глав государств СНГ"),
        ("заседание правительства", "саммиты последних лет"),
    ),
    Rule(
        "trigger.summit.series", "ru", "summit", "series",
        r"(?i)\bсаммит(?:ы|ов|ах|ами)\b",
        ("на саммитах БРИКС", "серия саммитов"),
        ("на саммите",),
    ),
    Rule(
        "trigger.meeting.meeting", "ru", "meeting", "event",
        r"(?i)\bвстреч(?:а|и|е|у|ей)\b|\bвстретил(?:ся|ась|ись)\b|\bвстретившись\b",
        ("в ходе встречи с Дональдом Трампом", "лидеры встретились в Душанбе"),
        ("встречный иск", "встречались неоднократно"),
    ),
    Rule(
        "trigger.meeting.received", "ru", "meeting", "event",
        r"\bпринял(?:а|и)?\s+(?:также\s+|тоже\s+|же\s+)?[\w-]+",
        ("российского министра принял председатель КНР", "президент принял также главу МИД"),
        ("Принятые меры",),
    ),
    Rule(
        "trigger.meeting.series", "ru", "meeting", "series",
        r"(?i)\bвстреч(?:ами|ах)\b|\bвстречал(?:ся|ась|ись)\b",
        ("на встречах с лидерами", "министр встречался с коллегами"),
        ("на встрече",),
    ),
    Rule(
        "trigger.talks.talks", "ru", "talks", "event",
        r"(?i)\bпереговор(?:ы|ов|ах|ам|ами)\b",
        ("провел переговоры с президентом", "российско-киргизские переговоры"),
        ("переговорная площадка",),
    ),
    Rule(
        "trigger.agreement_signing.signed", "ru", "agreement_signing", "event",
        r"(?i)\bподписал(?:и|а)?\b|\bподписан(?:ы|о|а)?\b|\bподписани[еяюи]\b|\bподписанн\w+|\bподписав\b",
        ("были подписаны 16 документов", "стороны подписали соглашение"),
        ("подписчики канала",),
    ),
    Rule(
        "trigger.agreement_signing.planned", "ru", "agreement_signing", "planned",
        r"(?i)\bподпиш(?:ут|ет)\b|\bбудут\s+подписаны\b",
        ("стороны подпишут соглашение", "будут подписаны документы"),
        ("подписали соглашение",),
    ),
)

EN_TRIGGERS: tuple[Rule, ...] = (
    Rule(
        "trigger.phone_call.en_phone_call", "en", "phone_call", "event",
        r"(?i)\b(?:phone|telephone)\s+(?:call|conversation|talks)\w*|\bvideo\s+call\b|\bspoke\s+(?:by|on\s+the)\s+(?:tele)?phone\b",
        ("held a phone call with", "the leaders spoke by phone"),
        ("phone maker",),
    ),
    Rule(
        "trigger.visit.en_visit", "en", "visit", "event",
        r"(?i)\b(?:state|official|working)\s+visit\b|\bvisit(?:ed|ing)?\b(?:\s+to)?|\barrived\s+in\b|\btravell?(?:ed|s|ing)?\s+to\b",
        ("during a state visit to Kazakhstan", "the minister arrived in Astana"),
        ("visitors to the fair",),
    ),
    Rule(
        "trigger.visit.en_planned", "en", "visit", "planned",
        r"(?i)\bwill\s+visit\b|\bupcoming\s+visit\b|\bplans\s+to\s+visit\b",
        ("Xi will visit Astana", "ahead of the upcoming visit"),
        ("visited Astana",),
    ),
    Rule(
        "trigger.meeting.en_received", "en", "meeting", "event",
        r"\b(?:received|hosted)\s+(?:the\s+)?(?:[\w.-]+\s+){0,3}?[A-Z][\w.-]+",
        ("received U.S. Special Envoy Sergio Gor", "hosted von der Leyen"),
        ("received criticism",),
    ),
    Rule(
        "trigger.summit.en_summit", "en", "summit", "event",
        r"(?i)\bsummit\b",
        ("the China–Central Asia Summit", "at the SCO summit in Astana"),
        ("summits of recent years",),
    ),
    Rule(
        "trigger.summit.en_series", "en", "summit", "series",
        r"(?i)\bsummits\b",
        ("at previous summits", "a series of summits"),
        ("at the summit",),
    ),
    Rule(
        "trigger.meeting.en_meeting", "en", "meeting", "event",
        r"(?i)\bmet\s+(?:with\s+)?|\bmeeting\b",
        ("Putin met with Tokayev", "a meeting of foreign ministers"),
        ("the target was metres away",),
    ),
    Rule(
        "trigger.talks.en_talks", "en", "talks", "event",
        r"(?i)\btalks\b|\bnegotiations\b",
        ("held talks in Beijing", "after negotiations with Russia"),
        ("he talked to reporters",),
    ),
    Rule(
        "trigger.agreement_signing.en_signed", "en", "agreement_signing", "event",
        r"(?i)\bsigned\b|\bsigning\b",
        ("the sides signed 15 documents", "a signing ceremony"),
        ("a sign of progress",),
    ),
    Rule(
        "trigger.agreement_signing.en_planned", "en", "agreement_signing", "planned",
        r"(?i)\bwill\s+sign\b",
        ("the two leaders will sign a treaty", "they will sign it in May"),
        ("signed a treaty",),
    ),
)

EVENT_TRIGGER_RULES: tuple[Rule, ...] = RU_TRIGGERS + EN_TRIGGERS
