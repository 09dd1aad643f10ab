"""Rules the rendered report keeps as a publication (issue 11), as functions that the tests
(tests/test_report_rules.py) and a writer checking a chapter both use.

Usage: python tools/report_rules.py [PROJECT]     (default: the project of the current folder)
prints every breach of the three rules in PROJECT's last build (report/<name>.html and .pdf):

1. **No internal ids in the main body** (cover to the first annex): :func:`forbidden` builds
   the list of forbidden tokens from the project's ``data/`` (every ``source_id``; every table
   and column name with an underscore; every table's file name ``x.csv``; every id-like value
   of an id or key column, e.g. ``growth_01``, ``DCADv1.0-1335``, ``c01``; the digit patterns
   of those ids; the locator patterns the tables use, each checked to occur in the data:
   ``line 16001``, ``para 7``, ``mme3243``...); :func:`id_breaches` lists them per chapter,
   searching prose, captions, source lines, table cells, figure alt text and chart text.
2. **No sentence verbatim in three or more places** (:func:`repeated_sentences`): prose and
   table cells of the whole report, split into sentences; headings, captions, source lines,
   the contents and chart text are not counted.
3. **Page layout of the PDF** (:func:`layout_problems`), read with poppler's
   ``pdftotext -bbox-layout`` (the position of every text line on every page):
   - a heading alone at the foot of a page: the last text line(s) of the page body are a
     heading of the report (the HTML's h1-h6 texts and chapter kickers) or the caption of a
     table (whose rows then start on the next page), or the page holds nothing but headings;
   - a page less than a third full, except a chapter's last page (the page before a chapter
     starts: the PDF's top-level bookmarks), the last page and the cover. *Fill* is how far
     down the text area the lowest line of text reaches: (bottom of the lowest body line -
     top of the text area) / height of the text area, the header and footer excluded. Text
     positions suffice because every figure ends with its caption and source line (text)
     and a chart's own labels are text, so the lowest text line is the lowest content;
   - contents entries whose leader is wrapped: each entry's page number must stand at the
     end of a line that also carries the leader dots and the (last words of the) entry's
     title; a title may wrap onto earlier lines, never the leader or the page number.
"""

from __future__ import annotations

import csv
import html as htmllib
import re
import subprocess
import sys
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

XHTML = "{http://www.w3.org/1999/xhtml}"
SVG = "{http://www.w3.org/2000/svg}"

# ---------------------------------------------------------------------------- the HTML's text


@dataclass(frozen=True)
class Block:
    """One piece of the report's text: where it is (``part``: "Cover", "Contents" or the
    chapter as "Chapter 11 Peacekeeping"), whether that is an annex, and what kind it is:
    heading, prose, cell, caption, source, toc, alt (figure alt text) or chart (chart text)."""

    part: str
    annex: bool
    kind: str
    text: str


_BLOCK_TAGS = {
    "p",
    "div",
    "section",
    "figure",
    "figcaption",
    "table",
    "thead",
    "tbody",
    "tfoot",
    "tr",
    "td",
    "th",
    "caption",
    "ul",
    "ol",
    "li",
    "dl",
    "dt",
    "dd",
    "blockquote",
    "pre",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "footer",
    "main",
    "nav",
    "article",
    "svg",
    "img",
    "hr",
}
_SKIP_TAGS = {"style", "script", "head", "title", "meta", "link"}
#: Elements whose text is not the report's reading text: the download links under every
#: figure and table ("Download the data of Figure 3 (CSV)").
_SKIP_CLASSES = {"data-download"}


def _tag(el) -> str:
    t = el.tag if isinstance(el.tag, str) else ""
    return t.rsplit("}", 1)[-1]


def _classes(el) -> set[str]:
    return set((el.get("class") or "").split())


def squash(text: str) -> str:
    return " ".join(text.replace("\u00ad", "").replace("\u2060", "").split())


def html_blocks(html: str) -> list[Block]:
    """The report HTML as a list of text blocks in reading order (see :class:`Block`)."""
    import tinyhtml5

    slim = re.sub(r"<style\b.*?</style>", "", html, flags=re.S)
    slim = re.sub(r'(href|src)="data:[^"]*"', r'\1=""', slim)
    slim = re.sub(r'data-csv="[^"]*"', "", slim)
    root = tinyhtml5.parse(slim)
    body = root.find(f"{XHTML}body")
    out: list[Block] = []
    state = {"part": "Cover", "annex": False}

    def emit(kind: str, text: str) -> None:
        text = squash(text)
        if text:
            out.append(Block(state["part"], state["annex"], kind, text))

    def kind_of(el, default: str) -> str:
        tag, cls = _tag(el), _classes(el)
        if re.fullmatch(r"h[1-6]", tag) or "chapter-kicker" in cls:
            return "heading"
        if tag in ("figcaption", "caption"):
            return "caption"
        if "source-line" in cls:
            return "source"
        if tag in ("td", "th"):
            return "cell"
        return default

    def walk(el, default: str) -> None:
        tag, cls = _tag(el), _classes(el)
        if tag in _SKIP_TAGS or cls & _SKIP_CLASSES:
            return
        if tag == "svg":
            label = el.get("aria-label")
            if label:
                emit("alt", label)
            for t in el.iter(f"{SVG}text"):
                emit("chart", "".join(t.itertext()))
            return
        if tag == "img":
            if el.get("alt"):
                emit("alt", el.get("alt"))
            return
        if tag == "nav" and "toc" in cls:
            state["part"], state["annex"] = "Contents", False
            default = "toc"
        if tag == "section" and "chapter" in cls:
            kicker = next((c for c in el.iter() if "chapter-kicker" in _classes(c)), None)
            title = next((c for c in el.iter() if "chapter-title" in _classes(c)), None)
            name = " ".join(squash("".join(x.itertext())) for x in (kicker, title) if x is not None)
            state["part"], state["annex"] = name or "a chapter", "annex" in cls
        if tag == "footer":
            state["part"] = "Colophon"
        kind = kind_of(el, default)
        # text of this element outside its block children is one block; block children walk on
        pieces: list[str] = [el.text or ""]

        def flush() -> None:
            if "".join(pieces).strip():
                emit(kind, "".join(pieces))
            pieces.clear()

        for c in el:
            if _tag(c) in _BLOCK_TAGS or _tag(c) in _SKIP_TAGS:
                flush()
                walk(c, kind if kind in ("heading", "caption", "source", "toc", "cell") else default)
            elif _classes(c) & _SKIP_CLASSES:
                pass
            else:
                pieces.append(_inline_text(c))
            pieces.append(c.tail or "")
        flush()

    for el in body:
        walk(el, "prose")
    return out


def _inline_text(el) -> str:
    """The text of an inline element, with the alt text of an image in it left out."""
    if _tag(el) in _SKIP_TAGS or _classes(el) & _SKIP_CLASSES:
        return ""
    parts = [el.text or ""]
    for c in el:
        parts.append(_inline_text(c))
        parts.append(c.tail or "")
    return "".join(parts)


def main_body(blocks: list[Block]) -> list[Block]:
    """The blocks from the cover to the first annex (not included)."""
    out = []
    for b in blocks:
        if b.annex or b.part == "Colophon":
            break
        out.append(b)
    return out


# ---------------------------------------------------------------------------- 1. internal ids

#: Locator shapes the tables use (column ``locator`` and ``*_locator``): each must match some
#: locator of the data (tests check it), so the list stays tied to what the data contain.
LOCATOR_PATTERNS = {
    "row locator 'line N'": r"\blines? \d+(?:\s*(?:[-\u2013,]|and)\s*\d+)*",
    "paragraph locator 'para N'": r"\bparas? \d+(?:\s*(?:[-\u2013,]|and)\s*\d+)*",
    "MME row id": r"\bmme\d+\b",
    "DCAD row id": r"\bDCADv\d+(?:\.\d+)*-\d+",
    "COW code": r"\bccode ?\d+",
    "spreadsheet cell": r"![A-Z]{1,3}\d+\b",
    "report element locator": r"\bprogram element(?:\(s\))? #\d+",
}
#: A file name as a locator or a note names it ("CountryByYear.csv line 12", "see opinion.csv").
FILE_NAME = r"(?<![\w/-])[\w.-]+\.(?:csv|tsv|xlsx?|json|geojson|txt|ipynb|py|md)(?![\w-])"


@dataclass
class Forbidden:
    """Tokens that must not be read in the main body: exact strings (each with why) and patterns."""

    exact: dict[str, str] = field(default_factory=dict)
    patterns: dict[str, str] = field(default_factory=dict)  # regex -> why
    _compiled: list | None = None

    def add(self, token: str, why: str) -> None:
        token = token.strip()
        if token and token not in self.exact:
            self.exact[token] = why

    def compile(self) -> list[tuple[re.Pattern, str | None]]:
        if self._compiled is None:
            insensitive = sorted((t for t in self.exact if _case_free(t)), key=len, reverse=True)
            sensitive = sorted((t for t in self.exact if not _case_free(t)), key=len, reverse=True)
            self._compiled = []
            for tokens, flags in ((insensitive, re.I), (sensitive, 0)):
                if tokens:
                    alt = "|".join(re.escape(t) for t in tokens)
                    self._compiled.append((re.compile(rf"(?<![\w-])(?:{alt})(?![\w-])", flags), None))
            for rx, why in self.patterns.items():
                self._compiled.append((re.compile(rx), why))
        return self._compiled

    def find(self, text: str) -> list[tuple[str, str]]:
        """(token as written, why it is forbidden) for every forbidden token in ``text``."""
        hits = []
        taken: list[tuple[int, int]] = []
        for rx, why in self.compile():
            for m in rx.finditer(text):
                if any(a <= m.start() < b or m.start() <= a < m.end() for a, b in taken):
                    continue  # already found as part of a longer token
                taken.append((m.start(), m.end()))
                hits.append((m.group(0), why or self._why(m.group(0))))
        return hits

    def _why(self, token: str) -> str:
        return self.exact.get(token) or next((w for t, w in self.exact.items() if t.lower() == token.lower()), "")


def _case_free(token: str) -> bool:
    """Tokens no English word could be (an underscore, a file name) match in any case."""
    return "_" in token or bool(re.search(r"\.\w+$", token))


def id_like(value: str) -> bool:
    """A value that is an identifier rather than a name: one word, with an underscore, or
    with both letters and digits (growth_01, c01, mme3243, DCADv1.0-1335, russia-2007-mi-17)."""
    v = value.strip()
    if not v or re.search(r"\s", v):
        return False
    return "_" in v or (bool(re.search(r"[A-Za-z]", v)) and bool(re.search(r"\d", v)))


def _generalise(value: str) -> str:
    """An id with its digit runs as \\d+ (growth_01 -> growth_\\d+), as a whole-token regex."""
    parts = re.split(r"(\d+)", value)
    body = "".join(r"\d+" if p.isdigit() else re.escape(p) for p in parts)
    return rf"(?<![\w-]){body}(?![\w-])"


def read_tables(data_dir: Path) -> dict[str, tuple[list[str], list[dict[str, str]]]]:
    """Every ``data/*.csv``: table name -> (columns, rows as dicts)."""
    out = {}
    for path in sorted(Path(data_dir).glob("*.csv")):
        with path.open(encoding="utf-8-sig", newline="") as f:
            reader = csv.DictReader(f)
            rows = list(reader)
        out[path.stem] = (list(reader.fieldnames or []), rows)
    return out


def _keys(table: str) -> list[str]:
    """The key columns of a table, from its schema (empty when the package is not importable)."""
    try:
        from partnerships.data import schemas

        return list(schemas.get(table).key)
    except Exception:  # noqa: BLE001 - a table without a schema, or a tool run without the package
        return []


def id_columns(table: str, columns: list[str]) -> list[str]:
    """Columns whose values are identifiers: ``*_id``, ``*_ids`` and the table's key columns."""
    return [c for c in columns if re.search(r"_ids?$", c) or c in _keys(table)]


def locator_columns(columns: list[str]) -> list[str]:
    return [c for c in columns if c == "locator" or c.endswith("_locator")]


def forbidden(data_dir: Path) -> Forbidden:
    """The forbidden tokens of a project, built from its ``data/`` folder (see the module doc)."""
    data_dir = Path(data_dir)
    tables = read_tables(data_dir)
    fb = Forbidden()
    for path in sorted(data_dir.rglob("*")):
        if path.is_file() and not path.name.startswith("."):
            fb.add(path.name, "a file name")
    for table, (columns, rows) in tables.items():
        if "_" in table:
            fb.add(table, "a table name")
        for c in columns:
            if "_" in c:
                fb.add(c, f"a column name ({table})")
        for c in id_columns(table, columns):
            for row in rows:
                for v in re.split(r"[;,]\s*|\s+", row.get(c) or ""):
                    if (c == "source_id" or c.endswith("_source_id")) and v:
                        fb.add(v, "a source id")
                    elif id_like(v):
                        fb.add(v, f"an id ({table}.{c})")
                        if re.search(r"\d", v) and re.search(r"[A-Za-z]{2}", v):
                            fb.patterns.setdefault(_generalise(v), f"an id like those of {table}.{c}")
    for sid in (r["source_id"] for r in tables.get("sources", ([], []))[1]):
        fb.add(sid, "a source id")
    for why, rx in LOCATOR_PATTERNS.items():
        fb.patterns[rx] = why
    fb.patterns[FILE_NAME] = "a file name"
    return fb


def data_locators(data_dir: Path) -> list[str]:
    """Every locator value of the project's tables (for checking :data:`LOCATOR_PATTERNS`)."""
    out = []
    for _table, (columns, rows) in read_tables(data_dir).items():
        for c in locator_columns(columns):
            out += [r[c] for r in rows if r.get(c)]
    return out


def id_breaches(blocks: list[Block], fb: Forbidden) -> dict[str, dict[str, Counter]]:
    """part -> why -> Counter of the tokens found (as written) in the given blocks."""
    found: dict[str, dict[str, Counter]] = defaultdict(lambda: defaultdict(Counter))
    for b in blocks:
        for token, why in fb.find(b.text):
            found[b.part][f"{why} (in {_KIND_NAMES.get(b.kind, b.kind)})"][token] += 1
    return {part: dict(by_why) for part, by_why in found.items()}


_KIND_NAMES = {
    "prose": "prose",
    "cell": "table cells",
    "caption": "captions",
    "source": "source lines",
    "alt": "figure alt text",
    "chart": "chart text",
    "heading": "headings",
    "toc": "contents",
}


def format_id_breaches(found: dict[str, dict[str, Counter]]) -> str:
    lines = []
    for part, by_why in found.items():
        lines.append(f"{part}:")
        for why, counts in sorted(by_why.items()):
            tokens = ", ".join(t + (f" x{n}" if n > 1 else "") for t, n in sorted(counts.items()))
            lines.append(f"    {why}: {tokens}")
    return "\n".join(lines)


# ---------------------------------------------------------------------------- 2. repeated sentences

#: Abbreviations after which a full stop does not end a sentence.
_ABBREV = re.compile(
    r"(?:\b(?:e\.g|i\.e|etc|cf|vs|approx|No|Nos|Dr|Mr|Mrs|Ms|St|Gen|Lt|Col|Maj|Capt|Adm|Jan|Feb|Mar|Apr|Jun|Jul|Aug|"
    r"Sep|Sept|Oct|Nov|Dec|Inc|Ltd|Co|al|fig|p|pp|para|vol|ed|eds)|\b[A-Z](?:\.[A-Z])*)\.$"
)
#: A sentence has at least this many words and ends with . ! or ? (a closing quote or bracket
#: may follow); shorter pieces and pieces without a full stop are labels, names or cell values
#: ("Not recorded.", "Visits and high-level contacts"), not sentences.
MIN_WORDS = 4
_END = re.compile(r"[.!?][\"'”’)\]]*$")


def sentences(text: str) -> list[str]:
    """Split text into sentences: after . ! ? (and a closing quote or bracket) followed by a
    space and a capital, digit or opening quote, unless the full stop ends an abbreviation
    (e.g., U.S., No.) or an initial."""
    out, start = [], 0
    for m in re.finditer(r"[.!?][\"'”’)\]]*(?=\s+[\"'“‘(\[]?[A-Z0-9])", text):
        piece = text[start : m.end()]
        if m.group(0).startswith(".") and _ABBREV.search(piece[: len(piece) - len(m.group(0)) + 1]):
            continue
        out.append(piece.strip())
        start = m.end()
    tail = text[start:].strip()
    if tail:
        out.append(tail)
    return [s for s in out if s]


def repeated_sentences(blocks: list[Block], times: int = 3) -> list[tuple[str, int, list[str]]]:
    """(sentence, count, parts it is in) for every sentence (:data:`MIN_WORDS` words or more,
    ending with . ! or ?) found verbatim ``times`` times or more in the prose and table cells
    of the given blocks; most repeated first."""
    count: Counter = Counter()
    where: dict[str, list[str]] = defaultdict(list)
    for b in blocks:
        if b.kind not in ("prose", "cell"):
            continue
        for s in sentences(b.text):
            if len(re.findall(r"\w+", s)) < MIN_WORDS or not _END.search(s):
                continue
            count[s] += 1
            if b.part not in where[s]:
                where[s].append(b.part)
    return sorted(
        ((s, n, where[s]) for s, n in count.items() if n >= times),
        key=lambda x: (-x[1], x[0]),
    )


def format_repeated(found: list[tuple[str, int, list[str]]]) -> str:
    return "\n".join(f"{n}x in {len(parts)} chapter(s) ({'; '.join(parts)}): {s!r}" for s, n, parts in found)


# ---------------------------------------------------------------------------- 3. page layout


@dataclass(frozen=True)
class Line:
    """A line of text on a PDF page; y grows downwards (points)."""

    text: str
    x0: float
    y0: float
    x1: float
    y1: float


@dataclass
class Page:
    number: int
    width: float
    height: float
    lines: list[Line]


def pdf_pages(pdf: Path) -> list[Page]:
    """Every page's text lines with their boxes, from ``pdftotext -bbox-layout``."""
    res = subprocess.run(["pdftotext", "-bbox-layout", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, check=True)
    doc = res.stdout.decode("utf-8")
    pages = []
    for n, m in enumerate(re.finditer(r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>', doc, re.S), start=1):
        lines = []
        for lm in re.finditer(
            r'<line xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</line>', m.group(3), re.S
        ):
            words = [htmllib.unescape(w) for w in re.findall(r"<word [^>]*>(.*?)</word>", lm.group(5), re.S)]
            lines.append(Line(" ".join(words), *(float(lm.group(i)) for i in range(1, 5))))
        lines.sort(key=lambda ln: (round(ln.y1, 1), ln.x0))
        pages.append(Page(n, float(m.group(1)), float(m.group(2)), lines))
    return pages


@dataclass(frozen=True)
class Geometry:
    """The text area of the page, in points from the top edge (A4, the engine's margins)."""

    top: float
    bottom: float


def geometry(page: Page) -> Geometry:
    from partnerships.engine import typst_pdf

    mm = 72 / 25.4
    return Geometry(typst_pdf.MARGIN_TOP_MM * mm, page.height - typst_pdf.MARGIN_BOTTOM_MM * mm)


def body_lines(page: Page, geo: Geometry) -> list[Line]:
    """The lines inside the text area (running head and page footer excluded)."""
    return [ln for ln in page.lines if ln.y1 > geo.top - 4 and ln.y0 < geo.bottom - 2]


def fill(page: Page, geo: Geometry) -> float:
    """How far down the text area the page's lowest body line reaches (0..1)."""
    lines = body_lines(page, geo)
    if not lines:
        return 0.0
    return max(0.0, min(1.0, (max(ln.y1 for ln in lines) - geo.top) / (geo.bottom - geo.top)))


def _norm(text: str) -> str:
    return squash(text.replace("’", "'").replace("‘", "'").replace("“", '"').replace("”", '"')).casefold()


def keep_with_next(blocks: list[Block]) -> dict[str, str]:
    """What must never end a page: the report's headings (chapter kickers included) and the
    captions of its tables (a table's caption stands above its rows). Keys are the texts as
    :func:`_key` compares them with PDF lines; values say what each is."""
    out = {}
    for b in blocks:
        if b.part == "Contents":
            continue
        if b.kind == "heading":
            out[_key(b.text)] = "heading"
        elif b.kind == "caption" and re.match(r"Table \d+\b", b.text):
            out.setdefault(_key(b.text), "table caption")
    return out


def _key(text: str) -> str:
    """Text as compared between the HTML and the PDF: case, quotes, spaces, hyphens and soft
    hyphens do not count (a line broken with a hyphen compares equal to its unbroken text)."""
    return _bare(_norm(text))


#: A heading or caption runs over at most this many lines.
_MAX_LINES = 4


def orphan_headings(pages: list[Page], keep: dict[str, str], geos: list[Geometry] | None = None) -> list[str]:
    """Pages whose last body lines are a heading or a table's caption (:func:`keep_with_next`), or
    whose body holds nothing but headings; one message per page."""
    problems = []
    for i, page in enumerate(pages):
        geo = (geos or [geometry(page)] * len(pages))[i]
        lines = body_lines(page, geo)
        if not lines or page.number == 1:
            continue
        texts = [ln.text for ln in lines]
        if all(_covered(texts, keep)):
            problems.append(f"page {page.number}: holds only a heading ({' / '.join(texts)[:90]})")
            continue
        for k in range(1, _MAX_LINES + 1):
            what = keep.get(_key(" ".join(texts[-k:])))
            if what:
                after = " (its rows start on the next page)" if what == "table caption" else ""
                problems.append(f"page {page.number}: ends with the {what} {' '.join(texts[-k:])!r}{after}")
                break
    return problems


def _covered(texts: list[str], keep: dict[str, str]) -> list[bool]:
    """For each line, whether it belongs to a heading or caption (alone or joined with its neighbours)."""
    cov = [False] * len(texts)
    for i in range(len(texts)):
        for k in range(1, _MAX_LINES + 1):
            if i + k <= len(texts) and _key(" ".join(texts[i : i + k])) in keep:
                for j in range(i, i + k):
                    cov[j] = True
    return cov


def chapter_start_pages(pdf: Path) -> list[int]:
    """The pages where the top-level bookmarks (chapters, annexes) point, in order."""
    from pypdf import PdfReader

    reader = PdfReader(pdf)
    return sorted(reader.get_destination_page_number(o) + 1 for o in reader.outline if not isinstance(o, list))


#: A page must be filled at least this far down its text area (unless a chapter ends on it).
MIN_FILL = 1 / 3


def underfull_pages(pages: list[Page], starts: list[int], geos: list[Geometry] | None = None) -> list[str]:
    """Pages less than :data:`MIN_FILL` full that are not the cover, a chapter's last page
    (the page before a chapter or annex starts, the contents' last page included) or the
    document's last page."""
    exempt = {1, len(pages)} | {s - 1 for s in starts}
    problems = []
    for i, page in enumerate(pages):
        if page.number in exempt:
            continue
        f = fill(page, (geos or [geometry(page)] * len(pages))[i])
        if f < MIN_FILL:
            problems.append(f"page {page.number}: {f:.0%} full")
    return problems


_LEADER = re.compile(r"(?:\s*\.){3,}\s*$")


def contents_problems(layout_pages: list[str], entries: list[tuple[str, str]]) -> list[str]:
    """Contents entries whose leader or page number is not on the line ending the entry's title.

    ``layout_pages``: ``pdftotext -layout`` text of the contents pages; ``entries``: (mark,
    title) of each contents entry in order (mark: "3", "A" or "" for a section)."""
    lines = [
        squash(ln) for page in layout_pages for ln in page.splitlines() if squash(ln) and not _is_furniture(squash(ln))
    ]
    problems = []
    i = 0
    for mark, title in entries:
        want = _norm(f"{mark} {title}" if mark else title)
        got, start = "", i
        while i < len(lines):
            m = re.fullmatch(r"(.*?)((?:^|\s)(?:\s*\.)+)\s*(\d+)", lines[i])  # title, leader (spaced dots), page
            text = _norm(m.group(1) if m else lines[i])
            got = f"{got} {text}".strip() if got else text
            i += 1
            if m:
                if not m.group(1).strip():
                    problems.append(f"{title!r}: the leader and page number stand alone on a line")
                elif _bare(got) != _bare(want):
                    problems.append(f"{title!r}: the line with its page number reads {lines[i - 1]!r}")
                break
            if not _bare(want).startswith(_bare(got)):
                # the entry's page number went elsewhere (a line of its own, say): report the entry
                # with its lines and go on after the first line that ends with a number
                end = next((k for k in range(start, len(lines)) if re.search(r"\d$", lines[k])), start)
                problems.append(f"{title!r}: no leader and page number after its title ({lines[start : end + 1]})")
                i = end + 1
                break
        else:
            problems.append(f"{title!r}: not found in the contents")
            i = start
    return problems


def _bare(text: str) -> str:
    """Text with spaces, hyphens and soft hyphens removed (a title wrapped with a hyphen
    compares equal to itself unwrapped)."""
    return re.sub(r"[\s\-\u00ad\u2010\u2011]", "", text)


def _is_furniture(line: str) -> bool:
    return bool(re.fullmatch(r"Page \d+ of \d+|CONTENTS", line))


def contents_entries(html: str) -> list[tuple[str, str]]:
    """(mark, title) of every entry of the HTML's contents, in order."""
    nav = re.search(r'<nav class="toc".*?</nav>', html, re.S)
    out = []
    for m in re.finditer(
        r'<li class="toc-(chapter|section)[^"]*"><a [^>]*>(?:<span class="toc-num">([^<]*)</span> )?'
        r'<span class="toc-text">(.*?)</span>',
        nav.group(0) if nav else "",
        re.S,
    ):
        out.append((m.group(2) or "", squash(htmllib.unescape(re.sub(r"<[^>]+>", "", m.group(3))))))
    return out


def layout_problems(pdf: Path, html: str) -> dict[str, list[str]]:
    """Every layout problem of the PDF, by rule."""
    pdf = Path(pdf)
    pages = pdf_pages(pdf)
    geos = [geometry(p) for p in pages]
    starts = chapter_start_pages(pdf)
    keep = keep_with_next(html_blocks(html))
    layout = subprocess.run(
        ["pdftotext", "-layout", "-enc", "UTF-8", "-f", "2", "-l", str(max(2, starts[0] - 1)), str(pdf), "-"],
        capture_output=True,
        check=True,
    ).stdout.decode("utf-8")
    return {
        "heading alone at the foot of a page": orphan_headings(pages, keep, geos),
        "page less than a third full": underfull_pages(pages, starts, geos),
        "contents entry with its leader wrapped": contents_problems(layout.split("\f"), contents_entries(html)),
    }


# ---------------------------------------------------------------------------- command line


def main(argv: list[str]) -> int:
    import yaml

    root = Path(argv[0]) if argv else Path.cwd()
    while not (root / "report.yml").is_file() and root != root.parent:
        root = root.parent
    name = yaml.safe_load((root / "report.yml").read_text(encoding="utf-8"))["name"]
    html_path, pdf_path = root / "report" / f"{name}.html", root / "report" / f"{name}.pdf"
    html = html_path.read_text(encoding="utf-8")
    blocks = html_blocks(html)
    failed = 0
    ids = id_breaches(main_body(blocks), forbidden(root / "data"))
    print(
        f"== 1. internal ids in the main body: {sum(n for by in ids.values() for c in by.values() for n in c.values())}"
    )
    print(format_id_breaches(ids))
    rep = repeated_sentences(blocks)
    print(f"\n== 2. sentences in three or more places: {len(rep)}")
    print(format_repeated(rep))
    failed += bool(ids) + bool(rep)
    for rule, problems in layout_problems(pdf_path, html).items():
        print(f"\n== 3. {rule}: {len(problems)}")
        print("\n".join(problems))
        failed += bool(problems)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
