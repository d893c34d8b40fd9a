"""The one PDF frame: A4 pages in the bundled font, the footer, plain text as typed."""

import io

from pypdf import PdfReader

from learning.pdf import (
    REPORT_FRAME,
    FramedPDF,
    PageFrame,
    masthead,
    paragraph,
    section_heading,
    table,
)

A4_POINTS = (595.28, 841.89)


def read(pdf: FramedPDF) -> PdfReader:
    return PdfReader(io.BytesIO(bytes(pdf.output())))


def embedded_fonts(reader: PdfReader) -> set[str]:
    """The fonts whose files travel inside the PDF (subset names without the tag)."""
    names = set()
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"]
            if "/FontFile2" in descriptor:
                names.add(str(font["/BaseFont"]).split("+")[-1])
    return names


def test_every_page_carries_the_footer_and_its_number_in_the_bundled_font():
    pdf = FramedPDF(frame=REPORT_FRAME, footer_text="Catatan magang · Yuliana Taneo")
    pdf.add_page()
    for number in range(80):
        paragraph(pdf, f"Baris {number}")

    reader = read(pdf)

    assert len(reader.pages) == 2
    for number, page in enumerate(reader.pages, start=1):
        text = page.extract_text()
        assert "Catatan magang · Yuliana Taneo" in text
        assert f"Halaman {number}" in text
        width, height = (
            float(side) for side in (page.mediabox.width, page.mediabox.height)
        )
        assert (round(width, 2), round(height, 2)) == A4_POINTS
    assert embedded_fonts(reader) == {"DejaVuSansBook"}
    assert reader.trailer["/Root"]["/Lang"] == "id"


def test_a_frame_without_footer_text_prints_no_footer():
    pdf = FramedPDF(frame=PageFrame(side=14, top=12, bottom=12))
    pdf.add_page()
    paragraph(pdf, "Formulir kosong")

    text = read(pdf).pages[0].extract_text()

    assert "Formulir kosong" in text
    assert "Halaman" not in text


def test_text_prints_as_typed_markup_and_non_latin_letters_included():
    typed = "Maria <b>Ndun</b> & **Yosef** &amp; Ελένη Ольга Ñoño ə"
    pdf = FramedPDF(frame=REPORT_FRAME, footer_text=typed, title=typed)
    pdf.add_page()
    masthead(pdf, typed, size=18, line=9)
    table(pdf, (60, 60), [("Nama", "Catatan"), (typed, "–")])

    reader = read(pdf)
    text = " ".join(reader.pages[0].extract_text().split())  # wrapped lines joined

    # Title, table cell and footer: three times, nothing read as markup.
    assert text.count(typed) == 3
    assert reader.metadata.title == typed
    assert embedded_fonts(reader) == {"DejaVuSansBook", "DejaVuSansBold"}


def test_a_section_heading_is_never_left_alone_at_the_foot_of_a_page():
    pdf = FramedPDF(frame=REPORT_FRAME, footer_text="Ringkasan")
    pdf.add_page()
    while not pdf.will_page_break(15):
        paragraph(pdf, "Isi")

    section_heading(pdf, "Tindak lanjut")
    paragraph(pdf, "Audiensi dengan Polres")

    first, second = (page.extract_text() for page in read(pdf).pages)
    assert "Tindak lanjut" not in first
    assert "Tindak lanjut" in second
    assert "Audiensi dengan Polres" in second
