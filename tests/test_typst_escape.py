"""Text becomes Typst markup without turning into markup: a paragraph that starts like a
numbered list item ("5. Within ...", a key judgment's bold line) stays one paragraph."""

from __future__ import annotations

from partnerships.engine.typst_pdf import esc


def test_a_leading_number_and_full_stop_is_not_a_list_item(tmp_path):
    import typst
    from pypdf import PdfReader

    assert esc("5. Within 11 years") == "5\\. Within 11 years"
    assert esc("In 2024. Then") == "In 2024. Then"  # only at the start of a block
    src = tmp_path / "t.typ"
    src.write_text(f"#strong[{esc('5. Within eleven years')}] (high confidence)\n", encoding="utf-8")
    pdf = tmp_path / "t.pdf"
    typst.compile(str(src), output=str(pdf))
    text = PdfReader(pdf).pages[0].extract_text()
    assert "5. Within eleven years (high confidence)" in " ".join(text.split()), text
    # unescaped, Typst makes it a list item and the confidence a paragraph of its own
    src.write_text("#strong[5. Within eleven years] (high confidence)\n", encoding="utf-8")
    typst.compile(str(src), output=str(pdf))
    lines = [x.strip() for x in PdfReader(pdf).pages[0].extract_text().splitlines() if x.strip()]
    assert "(high confidence)" in lines, lines
