"""Print a tagged PDF's structure tree as a screen reader walks it (roles, alt text, text).

Usage: python tools/pdf_tags.py REPORT.pdf [--chapter "Chapter title"] [--depth N]
With --chapter, prints the subtree from that chapter's H1 to the next H1.
"""

from __future__ import annotations

import argparse
import sys

from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, NumberObject


def text_by_mcid(reader: PdfReader) -> dict[tuple[int, int], str]:
    """Text of each marked-content sequence, keyed by (page object id, MCID), read with
    pypdf's text extraction while following BDC/EMC operators."""
    out: dict[tuple[int, int], str] = {}
    for page in reader.pages:
        key = page.indirect_reference.idnum if page.indirect_reference else id(page)
        stack: list[int | None] = []

        def before(op, args, cm, tm):
            if op == b"BDC":
                props = args[1] if len(args) > 1 else None
                mcid = props.get("/MCID") if hasattr(props, "get") else None
                stack.append(int(mcid) if mcid is not None else (stack[-1] if stack else None))
            elif op == b"BMC":
                stack.append(stack[-1] if stack else None)
            elif op == b"EMC" and stack:
                stack.pop()

        def text(t, cm, tm, font, size):
            if stack and stack[-1] is not None and t:
                out[(key, stack[-1])] = out.get((key, stack[-1]), "") + t

        page.extract_text(visitor_operand_before=before, visitor_text=text)
    return out


def element_text(node, texts, page=None) -> str:
    """All the text under a structure element, in order."""
    if isinstance(node, IndirectObject):
        node = node.get_object()
    if isinstance(node, NumberObject):
        return texts.get((page, int(node)), "") if page is not None else ""
    if not isinstance(node, DictionaryObject):
        return ""
    if node.get("/Type") == "/MCR":
        pg = node.get("/Pg")
        return texts.get((pg.idnum if pg is not None else page, int(node["/MCID"])), "")
    pg = node.raw_get("/Pg") if "/Pg" in node else None
    page = pg.idnum if isinstance(pg, IndirectObject) else page
    kids = node.get("/K")
    if kids is None:
        return ""
    if not isinstance(kids, ArrayObject):
        kids = [kids]
    return "".join(element_text(k, texts, page) for k in kids)


def walk(node, reader, depth=0, max_depth=99, out=None):
    out = out if out is not None else []
    if isinstance(node, IndirectObject):
        node = node.get_object()
    if not isinstance(node, DictionaryObject) or depth > max_depth:
        return out
    role = str(node.get("/S", "")).lstrip("/")
    extra = []
    if "/Alt" in node:
        extra.append(f'alt="{node["/Alt"]}"')
    attrs = node.get("/A")
    if attrs is not None:
        a = attrs.get_object()
        if isinstance(a, DictionaryObject) and "/Scope" in a:
            extra.append(f"scope={a['/Scope']}")
    out.append((depth, role, " ".join(extra), node))
    kids = node.get("/K")
    if kids is None:
        return out
    if not isinstance(kids, ArrayObject):
        kids = [kids]
    for k in kids:
        if isinstance(k, NumberObject):
            continue
        walk(k, reader, depth + 1, max_depth, out)
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("pdf")
    ap.add_argument("--chapter", help="start at the H1 whose text contains this")
    ap.add_argument("--depth", type=int, default=6)
    args = ap.parse_args(argv)
    reader = PdfReader(args.pdf)
    root = reader.trailer["/Root"]
    print(f"/Lang {root.get('/Lang')}  /MarkInfo {root.get('/MarkInfo')}  title {reader.metadata.get('/Title')}")
    tree = root["/StructTreeRoot"]
    rows = walk(tree, reader, max_depth=args.depth + 40)
    texts = text_by_mcid(reader)
    short = {"H1", "H2", "H3", "H4", "Caption", "TH", "P", "LI", "Link", "TD", "Lbl"}

    def label(role, node):
        if role not in short:
            return ""
        t = " ".join(element_text(node, texts).split())
        return t[:90] + ("…" if len(t) > 90 else "")

    start, end = 0, len(rows)
    if args.chapter:
        h1s = [i for i, r in enumerate(rows) if r[1] == "H1"]
        titled = [i for i in h1s if args.chapter.lower() in label("H1", rows[i][3]).lower()]
        if not titled:
            print("no H1 containing", args.chapter, file=sys.stderr)
            return 1
        start = titled[0]
        later = [i for i in h1s if i > start]
        # the chapter's H1 sits inside a Sect; print from that section
        end = later[0] if later else len(rows)
    base = min(r[0] for r in rows[start:end])
    for depth, role, extra, node in rows[start:end]:
        if depth - base > args.depth:
            continue
        text = label(role, node)
        print("  " * (depth - base) + role + (f" {extra}" if extra else "") + (f'  "{text}"' if text else ""))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
