"""Small file helpers shared by every layer: content hashes, and the one way a CSV in data/ is read.

:func:`read_csv` is used by validation, ``data.load``, the manifest's ``foreach``, the
country tables and the importers, so every reader treats a file alike: a UTF-8
byte-order mark (Excel's "CSV UTF-8") is ignored, Windows line endings are accepted,
blank lines are skipped (but counted for line numbers), and cells stay text. A true/false
cell means the same everywhere (:func:`boolean`).
"""

from __future__ import annotations

import csv
import hashlib
import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

BOM = b"\xef\xbb\xbf"
MAX_BAD_BYTES = 10  # invalid UTF-8 bytes named before reading stops
SAVE_AS = "save it as UTF-8 with commas (in Excel: Save As > CSV UTF-8 (Comma delimited))"
_JUNK_NAMES = {"thumbs.db", "desktop.ini", "ehthumbs.db"}


def is_junk(name: str) -> bool:
    """A file the system or an editor leaves beside the real ones, never a table: hidden files
    (``.DS_Store``, macOS ``._partners.csv``, Emacs ``.#partners.csv``, LibreOffice
    ``.~lock.partners.csv#``), Office lock files (``~$partners.csv``), backups (``partners.csv~``)
    and Windows' ``Thumbs.db`` / ``desktop.ini``."""
    return name.startswith((".", "~$")) or name.endswith("~") or name.lower() in _JUNK_NAMES


def sha256_file(path: Path) -> str:
    """The sha256 of a file's bytes, read in blocks."""
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 16), b""):
            h.update(block)
    return h.hexdigest()


def boolean(text: str) -> bool | None:
    """``true`` / ``false`` (any case, outer spaces ignored) -> True / False; anything else None."""
    return {"true": True, "false": False}.get(str(text).strip().lower())


class CsvProblem(NamedTuple):
    """Why a CSV cannot be read: the editor line (header = 1) and column when known."""

    line: int | None
    column: str | None
    message: str
    value: str | None = None


@dataclass
class Csv:
    """A CSV read as text: header, rows of cells, the editor line each row starts on, the
    sha256 of the bytes read."""

    header: list[str]
    rows: list[list[str]] = field(default_factory=list)
    lines: list[int] = field(default_factory=list)
    sha256: str = ""

    def records(self) -> list[dict[str, str]]:
        """Rows as {column: cell} (rows with a wrong number of fields are left out)."""
        return [dict(zip(self.header, r)) for r in self.rows if len(r) == len(self.header)]


def read_csv(path: Path) -> tuple[Csv | None, list[CsvProblem]]:
    """Read ``path`` (see the module docstring); file-level problems stop the reading."""
    if not path.is_file():
        return None, [CsvProblem(None, None, "file not found")]
    return parse_csv(path.read_bytes())


def parse_csv(raw: bytes) -> tuple[Csv | None, list[CsvProblem]]:
    """A CSV's bytes -> :class:`Csv`, or None and the problems that stop the reading."""
    digest = hashlib.sha256(raw).hexdigest()
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in raw[:4096]:
        return None, [CsvProblem(None, None, f"saved as UTF-16 (the text reads as garbage); {SAVE_AS}")]
    skipped = len(BOM) if raw.startswith(BOM) else 0
    raw = raw[skipped:]
    empty = CsvProblem(None, None, "empty file (expected a header line with the column names)")
    if not raw.strip():
        return None, [empty]
    bad_offsets = _invalid_utf8_offsets(raw)
    text = raw.decode("utf-8", errors="surrogateescape")
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    records: list[tuple[int, list[str]]] = []
    end = 0
    try:
        for record in reader:
            start, end = end + 1, reader.line_num
            if not any(cell.strip() for cell in record):
                continue  # a blank line, or a row of commas only (what Excel writes for an empty row)
            records.append((start, record))
    except csv.Error as exc:
        return None, [CsvProblem(end + 1, None, f"cannot read the CSV: {exc}")]
    if not records:
        return None, [empty]
    (_, header), body = records[0], records[1:]
    for sep, name in ((";", "semicolons"), ("\t", "tabs")):
        if len(header) == 1 and len(header[0].split(sep)) > 1:
            return None, [CsvProblem(1, None, f"the columns are separated by {name}, not commas; {SAVE_AS}", header[0])]
    if bad_offsets:
        problems = []
        for offset in bad_offsets[:MAX_BAD_BYTES]:
            line = raw.count(b"\n", 0, offset) + 1
            start, record = max(((s, r) for s, r in records if s <= line), key=lambda sr: sr[0])
            column = next(
                (
                    header[i] if i < len(header) else f"field {i + 1}"
                    for i, cell in enumerate(record)
                    if _has_surrogate(cell)
                ),
                None,
            )
            problems.append(CsvProblem(
                start, column,
                f"not valid UTF-8: byte 0x{raw[offset]:02X} at byte offset {offset + skipped}; save the file as UTF-8",
                next((c.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
                      for c in record if _has_surrogate(c)), None),
            ))  # fmt: skip
        return None, problems
    return Csv(list(header), [r for _, r in body], [s for s, _ in body], digest), []


def _invalid_utf8_offsets(raw: bytes) -> list[int]:
    offsets, pos = [], 0
    while pos < len(raw) and len(offsets) <= MAX_BAD_BYTES:
        try:
            raw[pos:].decode("utf-8")
            break
        except UnicodeDecodeError as exc:
            offsets.append(pos + exc.start)
            pos += exc.end
    return offsets


def _has_surrogate(text: str) -> bool:
    return any("\udc80" <= ch <= "\udcff" for ch in text)
