"""Clean article bodies: strip teasers, blurbs, credits, embeds and page chrome.

The texts are split into one row per line and every line is classified by column-wide
regex and window expressions (a line's neighbours come from shifts within its article), so
the whole corpus is cleaned in a handful of vectorised passes. What is removed:

- teaser headings that run to the end ("Похожие статьи", "Related articles"): everything
  from the heading on;
- inline teaser blocks ("Также по теме", "Читайте также"): the heading and the teaser items
  after it (short headline lines, up to and including a snippet line ending in "...");
- single lines: subscription blurbs, editorial disclaimers, "read our other materials"
  footers, share buttons, gallery/video UI labels, script and style code, photo credits
  ("Фото: ...", "© ...", a lone agency name such as "Reuters") and the caption line just
  before a credit, tweet/Instagram embed attributions and their dates;
- timestamp lines at the very end or start (the dateline, returned separately).

Line breaks inside a sentence (inline links put on lines of their own by HTML-to-text
tools, hard-wrapped text) become single spaces.

Footnotes ("[1] Документы ... Электронный ресурс: http://...") are references and stay.
Whitespace is normalised (CRLF -> LF, NBSP -> space, spaces trimmed at line ends, runs of
blank lines collapsed); no other character is changed, as later offsets index the body.
"""

from __future__ import annotations

import polars as pl

from orchestration.ingest import dates

# --- Whole-text patterns (may span lines) -------------------------------------------------

# RT's Telegram blurb, broken over lines by links:
# "Подписывайтесь на наш \nTelegram\n, чтобы быть в курсе ... пройти по \nссылке\n и нажать кнопку Join."
SUBSCRIBE_BLOCK = (
    r"(?:Подписывайтесь|Подпишитесь) на на(?:ш|ши)\b(?:[^\n]{0,200}\n){0,6}?[^\n]{0,200}кнопку Join\.?"
)
SUBSCRIBE_BLOCK_MARK = "кнопку Join"  # literal pre-check: only texts holding it run the regex

# --- Line patterns ------------------------------------------------------------------------
# Matched case-insensitively against a line trimmed of spaces, and only when the line is
# short: boilerplate is never a long paragraph, and skipping long lines saves most work.
MAX_BOILERPLATE_CHARS = 300

# A heading after which everything is teasers: "Похожие статьи", "Related articles:".
CUT_HEADING = (
    r"^(?:(?:похожие|другие|ещё|еще|рекомендуемые|related|similar|more|recommended)\s+"
    r"(?:статьи|материалы|новости|публикации|записи|articles|stories|posts|news|reads?)"
    r"(?:\s+(?:по теме|рубрики|автора|on this topic|from .{1,40}))?"
    r"|you may also like|recommended for you|новости партн[её]ров|лента новостей"
    r"|самое (?:читаемое|популярное)|most (?:read|popular))[\s:.…]*$"
)
# A heading of an inline teaser block: "Также по теме", "Читайте также:", "See also".
INLINE_HEADING = (
    r"^(?:также по теме|читайте также|смотрите также|см\. также|по теме|материалы по теме"
    r"|новости по теме|ещё по теме|еще по теме|подробнее по теме|read more|read also"
    r"|also read|see also|related)[\s:.…]*$"
)
# A teaser snippet cut off mid-sentence: "В Кыргызстане 15 ноября ... произошла драка между..."
SNIPPET = r"(?:\.\.\.|…)$"
# Could be a teaser's headline: short, and not ending like a sentence or a list item.
HEADLINE_MAX_CHARS = 200
SENTENCE_END = r"[.,;:]$"

# Lines dropped wherever they stand, one pattern per kind (full lines).
JUNK_LINES = {
    # "Подписывайтесь на наш Telegram – канал: https://t.me/interaffairs", "Subscribe to ..."
    "subscribe": r"^(?:подписывайтесь|подпишитесь|подписаться|subscribe|sign up|follow us"
    r"|следите за (?:нами|новостями)|присоединяйтесь к нам)(?:[\s:.,!]|$)",
    # "Мнение автора может не совпадать с позицией редакции", "The views expressed ..."
    "disclaimer": r"мнени[ея] .*(?:не совпада|не обязательно совпада|не отража)"
    r"|(?:views|opinions) (?:expressed|of the author)",
    # "Читайте другие материалы журнала «Международная жизнь» на нашем канале Яндекс.Дзен."
    "read_us": r"^(?:читайте|смотрите|слушайте|следите за|ищите) (?:нас|наши|другие|все|больше"
    r"|свежие|последние)(?:[\s:.,!]|$)",
    # "Читайте также: Путин провёл переговоры с Токаевым" (heading and teaser on one line)
    "teaser_line": r"^(?:читайте|смотрите) также\s*:\s*\S|^read (?:more|also)\s*:\s*\S",
    # Gallery/video/page widgets: "На страницу галереи", "При просмотре панорамного видео 360 ..."
    "ui": r"^(?:на страницу галереи|при просмотре панорамного видео.*|смотрите (?:видео|фото|галерею)"
    r"|видео|фото|галерея|фотогалерея|реклама|advertisement|загрузка\.\.\.|развернуть|свернуть"
    r"|показать (?:ещё|полностью)|listen to this article|слушать (?:статью|новость)|комментарии"
    r"|версия для печати|print)$",
    # Share buttons: "Поделиться", "Facebook Twitter Telegram", "Share: VK | OK"
    "share": r"^(?:(?:поделиться|share|tweet|твитнуть|facebook|twitter|vk|вконтакте|одноклассники"
    r"|telegram|телеграм|whatsapp|viber|e-?mail|linkedin|reddit|pinterest|копировать ссылку"
    r"|copy link|ok)[\s,:;|•·/]*){2,}$|^(?:поделиться|share(?: this(?: article)?)?)[\s:]*$",
    # Tweet photo links and short links standing alone: "pic.twitter.com/2pPPQUGIp2"
    "embed_link": r"^(?:pic\.twitter\.com/\w+|https?://t\.co/\w+)$",
}
# Photo credits: "Фото: пресс-служба Кремля", "© Sergei Karpukhin", "(Photo: AP)"
PHOTO_CREDIT = (
    r"^(?:©|\(c\)\s)|^\(?(?:фото|photo|фотография|иллюстрация|image|picture|credit|photo credit"
    r"|источник фото)\s*[:©]"
)
# Embedded player / page code, whatever its length: jwplayer(...).setup({ ... }),
# "// title: ...", "<div ...>", "body{min-height:500px}", "(function(d,s,id){ ...".
CODE_LINE = r"^(?://|jwplayer|</?[a-z][a-z0-9]*[\s>/]|<!--|\(function\s*\(|[\w.-]+\s*\{[^}]*:[^}]*\})"
# Characters typical of code; a line with braces and more of these is code, not prose.
CODE_CHARS = r"[{};=]"

# A photo source standing alone on its line ("Reuters", "РИА Новости", "globallookpress.com",
# "AP Photo/Evan Vucci"). Alone it may also be a link fragment of a sentence ("компания
# \nTwitter\n применяет ..."), so it only counts as a credit when the next line starts anew.
AGENCY_LINE = (
    r"^(?:reuters|afp|ap|epa|epa-efe|ap photo|getty images|global look press|риа новости"
    r"|ria novosti|тасс|итар-тасс|tass|sputnik|спутник|wikimedia commons|wikimedia|shutterstock"
    r"|depositphotos|kcna|кцна|rt|rtд|facebook|twitter|instagram|youtube|vk|пресс-служба.{0,80}"
    r"|[\w.-]+\.(?:com|ru|org|net|info|kz|uz|kg|tj|tm|ua|by|cn|io|tv))(?:\s*/\s*.{1,40})?$"
)
STARTS_ANEW = r"^(?:$|[\p{Lu}\d«\"“„©])"

# Social media embeds: "— Donald J. Trump (@realDonaldTrump)" then a date line,
# "Публикация от Никита Трегубов (@nikitatr13)" then "Ноя 26 2017 в 7:07 PST".
EMBED_ATTRIBUTION = r"^(?:—|публикация от |a post shared by |post shared by )[^@]*\(@[\w.]+\)$"
EMBED_DATE = r"\d{4}"
EMBED_DATE_MAX_CHARS = 60
# Unwrapping: a line continuing the one before opens with a lower-case letter or closing
# punctuation ("Дональдом Трампом\n, сообщает", "в своём\nTwitter\nсообщение").
CONTINUATION_START = r"^[\p{Ll},.;:)»!?%…]"
CLOSING_PUNCTUATION_START = r"^[,.;:)»!?%…]"
SENTENCE_CLOSED = r"[.!?…]$"
LINK_TEXT_MAX_CHARS = 80

# Timestamp lines are short; longer lines are not even tried.
TIMESTAMP_MAX_CHARS = 80


def _neighbour(column: str | pl.Expr, offset: int) -> pl.Expr:
    """The value `offset` lines away within the same article (NULL past its first/last line).

    Lines are contiguous per article, so a plain shift masked at article borders does what
    `.shift().over(article)` does without regrouping the strings.
    """
    expr = pl.col(column) if isinstance(column, str) else column
    same_article = pl.col("row_id").shift(-offset) == pl.col("row_id")
    return pl.when(same_article).then(expr.shift(-offset))


def _line_features(lines: pl.LazyFrame) -> pl.LazyFrame:
    line = pl.col("line")
    length = line.str.len_chars()
    # Long lines become "" (not NULL: polars still runs a regex over the values under a NULL
    # mask), so the patterns below cost next to nothing on long prose.
    lines = lines.with_columns(
        length=length, short=pl.when(length <= MAX_BOILERPLATE_CHARS).then(line).otherwise(pl.lit(""))
    )
    short = pl.col("short")

    def matches(pattern: str) -> pl.Expr:
        return short.str.contains(f"(?i){pattern}")

    nonblank = line != ""
    lines = lines.with_columns(
        nonblank=nonblank,
        starts_anew=line.str.contains(STARTS_ANEW),
        ends_sentence=line.str.contains(r"[.!?…»\"”)]$"),
        headline_like=nonblank & (pl.col("length") <= HEADLINE_MAX_CHARS) & ~matches(SENTENCE_END),
        junk=pl.any_horizontal(matches(pattern) for pattern in JUNK_LINES.values())
        | line.str.contains(CODE_LINE)
        | (line.str.contains(r"[{}]") & (line.str.count_matches(CODE_CHARS) >= 2)),
        snippet=matches(SNIPPET),
        cut_heading=matches(CUT_HEADING),
        inline_heading=matches(INLINE_HEADING),
        embed=matches(EMBED_ATTRIBUTION),
        photo_credit=matches(PHOTO_CREDIT),
        agency=matches(AGENCY_LINE),
    )
    # An agency name alone on its line is a credit only if it neither continues the line
    # before ("— пояснил \nRT\n Бенедиктов.") nor runs into the next ("\nRT\n) вынуждено").
    previous_closed = (
        (~_neighbour("nonblank", -1))
        | _neighbour("ends_sentence", -1)
        | (_neighbour("headline_like", -1) & _neighbour("starts_anew", -1))
    ).fill_null(True)
    next_opens = _neighbour("starts_anew", 1).fill_null(True)
    lines = lines.with_columns(
        credit=pl.col("photo_credit") | (pl.col("agency") & previous_closed & next_opens),
    )
    return lines.with_columns(
        after_embed=_neighbour("embed", -1).fill_null(False)
        & (pl.col("length") <= EMBED_DATE_MAX_CHARS)
        & line.str.contains(EMBED_DATE),
        # The line just before a credit, if a short unpunctuated phrase, is the photo's caption.
        caption=pl.col("headline_like")
        & pl.col("starts_anew")
        & ~pl.col("credit")
        & _neighbour("credit", 1).fill_null(False),
    )


def _count_before(flag: str) -> pl.Expr:
    """How many earlier rows (in the window it is used over) have `flag` set."""
    as_int = pl.col(flag).cast(pl.Int32)
    return as_int.cum_sum() - as_int


def _teaser_blocks(lines: pl.LazyFrame) -> pl.LazyFrame:
    """Mark `in_teaser`: cut-to-end blocks and inline blocks (heading + its items)."""
    doc = "row_id"
    content_before = _count_before("nonblank").over(doc) > 0
    # A cut heading only counts after some content: a text opening with "Другие новости" keeps it.
    after_cut = (pl.col("cut_heading") & content_before).cast(pl.Int32).cum_max().over(doc) > 0
    lines = lines.with_columns(
        after_cut=after_cut,
        block=pl.col("inline_heading").cast(pl.Int32).cum_sum().over(doc),
    )
    in_block = ["row_id", "block"]
    item = pl.col("headline_like") | pl.col("snippet") | pl.col("inline_heading")
    breaks = pl.col("nonblank") & ~item
    seen_break = breaks.cast(pl.Int32).cum_sum().over(in_block) > 0
    snippet_before = _count_before("snippet").over(in_block) > 0
    position = pl.col("nonblank").cast(pl.Int32).cum_sum().over(in_block) - 1  # heading = 0
    # A block of teaser items that runs to the end of the text goes whole; otherwise at most
    # a headline, a subtitle and a snippet follow the heading (as on news sites).
    last_block = pl.col("block") == pl.col("block").max().over(doc)
    runs_to_end = last_block & (breaks.cast(pl.Int32).sum().over(in_block) == 0)
    inline = (pl.col("block") > 0) & ~seen_break & ((~snippet_before & (position <= 3)) | runs_to_end)
    return lines.with_columns(in_teaser=pl.col("after_cut") | inline)


def clean_bodies(frame: pl.DataFrame, text_column: str = "article_text") -> pl.DataFrame:
    """Per row of `frame` (keyed by `row_id`): the clean `body` and its `dateline_date`."""
    text = pl.col(text_column).str.replace_all(r"\r\n?", "\n").str.replace_all(r"[\u00a0\u202f]", " ")
    has_blurb = text.str.contains(SUBSCRIBE_BLOCK_MARK, literal=True)
    without_blurb = pl.when(has_blurb).then(text).otherwise(pl.lit("")).str.replace_all(SUBSCRIBE_BLOCK, "")
    normalised = pl.when(has_blurb).then(without_blurb).otherwise(text)
    lines = (
        frame.lazy()
        .select("row_id", normalised.str.split("\n").alias("line"))
        .explode("line")
        .with_columns(pl.col("line").fill_null(""))
        .with_columns(
            # Kept for unwrapping: HTML-to-text leaves a space where a link broke a sentence.
            space_before_break=pl.col("line").str.contains(r"[ \t]$"),
            line=pl.col("line").str.strip_chars(" \t"),
            line_no=pl.int_range(pl.len()).over("row_id"),
        )
    )
    lines = _teaser_blocks(_line_features(lines))
    dropped = (
        pl.col("in_teaser")
        | pl.col("junk")
        | pl.col("credit")
        | pl.col("caption")
        | pl.col("embed")
        | pl.col("after_embed")
        | pl.col("line").str.contains(r"^[•·]+$")
    )
    lines = lines.filter(~dropped)
    lines = _mark_datelines(lines)
    body_lines = _mark_soft_breaks(lines.filter(~pl.col("dateline")))
    separator = pl.when(pl.col("soft_break")).then(pl.lit(" ")).otherwise(pl.lit("\n"))
    bodies = (
        body_lines.group_by("row_id", maintain_order=True)
        .agg(pl.concat_str("line", separator).str.join("").alias("body"))
        .with_columns(pl.col("body").str.replace_all(r"\n{3,}", "\n\n").str.strip_chars())
    )
    found = _dateline_dates(lines)
    return (
        frame.lazy()
        .select("row_id")
        .join(bodies, on="row_id", how="left")
        .join(found, on="row_id", how="left")
        .with_columns(pl.col("body").fill_null(""))
        .collect()
    )


def _mark_soft_breaks(lines: pl.LazyFrame) -> pl.LazyFrame:
    """`soft_break`: the newline after this line is inside a sentence, so it becomes a space.

    HTML-to-text tools put inline links on lines of their own ("встретился с \nДональдом
    Трампом\n, сообщает"); hard-wrapped texts break sentences too. A break is soft when the
    next line continues the sentence (lower-case or closing punctuation first), or when this
    line ends open with a space and the next is a short link text that is itself continued.
    A newline becomes one space: the body keeps its length and nothing else changes.
    """
    line = pl.col("line")
    next_nonblank = _neighbour("nonblank", 1).fill_null(False)
    closes_sentence = line.str.contains(SENTENCE_CLOSED)
    next_start = _neighbour("line", 1)
    continues = next_nonblank & (
        next_start.str.contains(CLOSING_PUNCTUATION_START)
        | (next_start.str.contains(CONTINUATION_START) & ~closes_sentence)
    )
    lines = lines.with_columns(continued=pl.col("nonblank") & continues.fill_null(False))
    opens_link = (
        pl.col("nonblank")
        & pl.col("space_before_break")
        & ~pl.col("ends_sentence")
        & _neighbour("continued", 1).fill_null(False)
        & (_neighbour("length", 1) <= LINK_TEXT_MAX_CHARS).fill_null(False)
    )
    return lines.with_columns(soft_break=pl.col("continued") | opens_link)


def _mark_datelines(lines: pl.LazyFrame) -> pl.LazyFrame:
    """Timestamp lines before the first or after the last line of content: `dateline`."""
    doc = "row_id"
    # Only short lines with a year in them can be timestamps; the others become "" (see
    # _line_features), so the full pattern runs on few lines.
    short = pl.when(pl.col("length") <= TIMESTAMP_MAX_CHARS).then(pl.col("line")).otherwise(pl.lit(""))
    maybe_stamp = pl.when(short.str.contains(r"[0-9]{4}")).then(short).otherwise(pl.lit(""))
    stamp = pl.col("nonblank") & dates.is_timestamp_line(maybe_stamp)
    content = pl.col("nonblank") & ~stamp
    line_no = pl.col("line_no")
    first_content = line_no.filter(content).min().over(doc)
    last_content = line_no.filter(content).max().over(doc)
    return lines.with_columns(
        leading=stamp & (first_content.is_null() | (line_no < first_content)),
        trailing=stamp & (line_no > last_content),
        first_content=content & (line_no == first_content),
    ).with_columns(dateline=pl.col("leading") | pl.col("trailing"))


def _dateline_dates(lines: pl.LazyFrame) -> pl.LazyFrame:
    """The date of the last trailing timestamp, else of the first leading one, else of a
    newswire opening ("МОСКВА, 4 декабря 2025 — ...") of the first line of content."""
    candidates = lines.filter(pl.col("leading") | pl.col("trailing") | pl.col("first_content"))
    return (
        candidates.group_by("row_id")
        .agg(
            trailing=pl.col("line").filter(pl.col("trailing")).last(),
            leading=pl.col("line").filter(pl.col("leading")).first(),
            opening=pl.col("line").filter(pl.col("first_content")).first(),
        )
        .select(
            "row_id",
            dateline_date=pl.coalesce(
                dates.first_date(pl.col("trailing")),
                dates.first_date(pl.col("leading")),
                dates.newswire_date(pl.col("opening")),
            ),
        )
    )
