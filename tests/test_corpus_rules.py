"""The rules of the corpus stage one by one: dates, language, issuers, types, cleaning, encodings.

Examples are written the way documents of each source print them, including sources that are
not in ../shared/corpus (DHS, USCIS, INM, COMAR, SRE, Sipinna), so that the rules are checked
for generality, not only against the shared files.
"""

from __future__ import annotations

import pytest

from framelens.core.errors import ConfigError
from framelens.corpus import extract_html, extract_text, find_manifests, read_manifest
from framelens.corpus.dates import (
    find_dates,
    parse_date,
    plausible_signing,
    publication_date,
    signing_date,
    url_date,
    words_to_int,
)
from framelens.corpus.decode import clean_text, decode_bytes
from framelens.corpus.infer import doc_type_from_slug, issuer_from_name, resolve_metadata
from framelens.corpus.language import detect_language, normalise_language_tag
from framelens.corpus.metadata import (
    country_from_url,
    designation_title,
    doc_type_from_text,
    doc_type_from_url,
    good_title,
    issuer_from_text,
    issuer_from_url,
    looks_like_transcript,
)
from framelens.corpus.pdf import dehyphenate, remove_running_lines
from framelens.corpus.sniff import sniff_kind


# --------------------------------------------------------------------------- dates
@pytest.mark.parametrize(
    "text,iso",
    [
        ("January 19, 2025", "2025-01-19"),
        ("Jan. 19th, 2025", "2025-01-19"),
        ("19 January 2025", "2025-01-19"),
        ("6 de septiembre de 2019", "2019-09-06"),
        ("Viernes 6 de septiembre, 2019", "2019-09-06"),
        ("1o. de enero de 2025", "2025-01-01"),
        ("primero de julio del 2024", "2024-07-01"),
        ("a los diecinueve días del mes de mayo de dos mil once", "2011-05-19"),
        ("a los veintiún días del mes de marzo del año dos mil veinticuatro", "2024-03-21"),
        ("Última reforma publicada DOF 16-05-2025", "2025-05-16"),
        ("published 2021-01-20", "2021-01-20"),
    ],
)
def test_corpus_dates_printed_forms(text, iso):
    assert find_dates(text)[0][2] == iso


def test_corpus_dates_invalid_and_ambiguous_are_ignored():
    assert find_dates("February 30, 2021") == []
    assert find_dates("03/04/2021 and 1-23-25") == []
    assert find_dates("Executive Order 14145 signed in 1776") == []
    assert words_to_int("dos mil veinticuatro") == 2024
    assert words_to_int("two thousand twenty-one") == 2021
    assert words_to_int("not a number") is None


@pytest.mark.parametrize(
    "value,iso",
    [
        ("2021-01-20 23:01:28-05:00", "2021-01-20"),
        ("D:20250124050927Z", "2025-01-24"),
        ("5 de marzo de 2023", "2023-03-05"),
        ("Mar 5, 2023", "2023-03-05"),
        ("", None),
        ("sometime", None),
    ],
)
def test_corpus_dates_parse_metadata_values(value, iso):
    assert parse_date(value) == iso


def test_corpus_dates_publication_rules():
    # gazette mastheads beat the signing designation that follows
    head = "8105\nPresidential Documents\nFederal Register\nVol. 90, No. 15\nFriday, January 24, 2025\nTitle 3— Executive Order 14145 of January 19, 2025"
    assert publication_date(head) == ("2025-01-24", "masthead")
    head = "Federal Register/Vol. 82, No. 18/Monday, January 30, 2017/Presidential Documents 8799\nExecutive Order 13768 of January 25, 2017"
    assert publication_date(head) == ("2017-01-30", "masthead")
    assert publication_date("Lunes\n1\nde\nabril\nde\n2024\nDIARIO\nOFICIAL\n53") == (
        "2024-04-01",
        "masthead",
    )
    # a consolidated law is dated by its last reform, not by its original publication
    law = "LEY GENERAL DE POBLACIÓN\nNueva Ley publicada en el Diario Oficial de la Federación el 7 de enero de 1974\nTEXTO VIGENTE\nÚltima reforma publicada DOF 16-07-2025"
    assert publication_date(law) == ("2025-07-16", "last_reform")
    assert publication_date("LEY DE SEGURIDAD INTERIOR\nNueva Ley DOF 21-12-2017") == (
        "2017-12-21",
        "new_law",
    )
    # an amending decree cites the law it amends: that date is not its own
    decree = "DECRETO por el que se reforma la Ley de Migración, publicada en el Diario Oficial de la Federación el 25 de mayo de 2011."
    assert publication_date(decree) is None
    assert publication_date("Comunicado 12", "Conferencia del 02 de julio de 2025") == (
        "2025-07-02",
        "title",
    )
    assert publication_date("WASHINGTON — On March 3, 2021, DHS announced") == (
        "2021-03-03",
        "first_in_header",
    )


def test_corpus_dates_signing_formulas():
    eo = "... or any other person.\nTHE WHITE HOUSE,\nJanuary 19, 2025.\n[FR Doc. 2025–01758"
    assert signing_date(eo) == "2025-01-19"
    proclamation = (
        "IN WITNESS WHEREOF, I have hereunto set my hand this thirtieth day of April, in the year "
        "of our Lord two thousand twenty-one, and of the Independence of the United States"
    )
    assert signing_date(proclamation) == "2021-04-30"
    dof = (
        "Dado en la Residencia del Poder Ejecutivo Federal, en la Ciudad de México, a 3 de enero "
        "de 2025.- Claudia Sheinbaum Pardo.- Rúbrica."
    )
    assert signing_date(dof) == "2025-01-03"
    law = (
        "Ciudad de México, a 10 de abril de 2024.- Sen. Ana Lilia Rivera Rivera, Presidenta.- Rúbricas.\n"
        "expido el presente Decreto en la Residencia del Poder Ejecutivo Federal, en la Ciudad de México, "
        "a 23 de mayo de 2024.- Andrés Manuel López Obrador.- Rúbrica."
    )
    assert signing_date(law) == "2024-05-23"  # the last formula: the executive's
    acuerdo = "Ciudad de México, a los diez días del mes de marzo de dos mil veintitrés.- El Director General, Juan Pérez.- Rúbrica."
    assert signing_date(acuerdo) == "2023-03-10"
    # a press release dated at the top has no signing formula
    assert (
        signing_date("THE WHITE HOUSE\nOffice of the Press Secretary\nJanuary 19, 2025\nToday...")
        is None
    )
    assert plausible_signing("2025-01-19", "2025-01-24")
    assert not plausible_signing("2011-05-19", "2024-05-27")  # quoted from an older act
    assert not plausible_signing("2025-02-01", "2025-01-24")  # after publication


def test_corpus_dates_from_urls_and_file_names():
    assert url_date("https://www.dhs.gov/news/2021/03/05/statement") == "2021-03-05"
    assert (
        url_date("https://www.govinfo.gov/content/pkg/FR-2017-01-24/html/2017-01799.htm")
        == "2017-01-24"
    )
    assert url_date("mx-presidencia-20190906-conferencia-de-prensa.txt") == "2019-09-06"
    assert (
        url_date("https://www.gob.mx/inm/prensa/comunicado-del-14-de-febrero-de-2023")
        == "2023-02-14"
    )
    assert url_date("https://www.whitehouse.gov/fact-sheets/2025/01/fact-sheet") is None
    assert url_date("report-2017-01799.pdf") is None


# --------------------------------------------------------------------------- issuers, country
@pytest.mark.parametrize(
    "url,issuer,country",
    [
        ("https://www.dhs.gov/news/2021/03/05/statement-secretary", "DHS", "US"),
        ("https://www.uscis.gov/es/noticias", "USCIS", "US"),
        ("https://www.acf.hhs.gov/orr/fact-sheet/programs", "ORR", "US"),
        ("https://www.hhs.gov/about/news/2021/03/10/x.html", "HHS", "US"),
        (
            "https://bidenwhitehouse.archives.gov/briefing-room/statements-releases/2021/",
            "White House",
            "US",
        ),
        ("https://www.gob.mx/inm/prensa/comunicado", "INM", "MX"),
        ("https://www.gob.mx/comar/articulos/x", "COMAR", "MX"),
        ("https://www.gob.mx/sipinna/articulos/x", "Sipinna", "MX"),
        ("https://www.gob.mx/sre/en/articulos/foreign-ministry", "SRE", "MX"),
        ("https://www.gob.mx/difnacional/prensa/x", "SNDIF", "MX"),
        ("https://www.dof.gob.mx/nota_detalle.php?codigo=1", "DOF", "MX"),
        ("https://www.cndh.org.mx/documento/x", "CNDH", "MX"),
        ("https://www.gob.mx/salud/prensa/x", None, "MX"),
        ("https://example.org/x", None, None),
    ],
)
def test_corpus_issuer_and_country_from_urls(url, issuer, country):
    assert issuer_from_url(url) == issuer
    assert country_from_url(url) == country


@pytest.mark.parametrize(
    "head,issuer",
    [
        ("U.S. Department of Homeland Security\nFOR IMMEDIATE RELEASE\nMarch 3, 2021", "DHS"),
        ("U.S. Customs and Border Protection released monthly operational data", "CBP"),
        ("United States Border Patrol\nTotal Unaccompanied Alien Children", "CBP"),
        ("Comunicado No. 45\nInstituto Nacional de Migración\nCiudad de México", "INM"),
        ("La Comisión Mexicana de Ayuda a Refugiados (COMAR) informa", "COMAR"),
        ("Secretaría de Relaciones Exteriores | Comunicado No. 112", "SRE"),
        (
            "LEY DE LA COMISIÓN NACIONAL DE LOS DERECHOS HUMANOS\nCÁMARA DE DIPUTADOS DEL H. CONGRESO",
            "Cámara de Diputados",
        ),
        (
            "Al margen un sello con el Escudo Nacional, que dice: Estados Unidos Mexicanos.- Secretaría de Gobernación",
            "DOF",
        ),
        ("Nothing official here", None),
    ],
)
def test_corpus_issuer_from_names(head, issuer):
    assert issuer_from_text(head) == issuer


def test_corpus_issuer_from_file_names():
    assert issuer_from_name("us-cbp-20200108-report.pdf") == "CBP"
    assert issuer_from_name("inm_boletin_2023.pdf") == "INM"
    assert issuer_from_name("us-fr-20170124-executive-order.html") is None


# --------------------------------------------------------------------------- types, titles
@pytest.mark.parametrize(
    "title,expected",
    [
        ("Executive Order 14165: Securing Our Borders", "executive_order"),
        ("A Proclamation on National Immigrant Heritage Month, 2024", "proclamation"),
        ("Memorandum on Preserving DACA", "memorandum"),
        ("FACT SHEET: President Biden Announces New Actions", "fact_sheet"),
        ("Remarks by President Biden at Signing of Executive Orders", "speech"),
        ("Press Gaggle by Principal Deputy Press Secretary", "speech"),
        ("Readout of President Biden's Meeting with President López Obrador", "statement"),
        ("Statement by Secretary Mayorkas on the End of Title 42", "statement"),
        ("Comunicado No. 45. El INM rescata a 120 personas migrantes", "press_release"),
        ("Versión estenográfica de la conferencia de prensa matutina", "version_estenografica"),
        ("LEY DE MIGRACIÓN — Texto vigente", "ley"),
        ("DECRETO por el que se reforman diversas disposiciones de la Ley de Migración", "decreto"),
        ("ACUERDO por el que se emiten los Lineamientos", "acuerdo"),
        ("Monthly Operational Update", None),
    ],
)
def test_corpus_doc_type_from_titles(title, expected):
    assert doc_type_from_text(title, "") == expected


def test_corpus_doc_type_from_urls_slugs_and_transcripts():
    assert doc_type_from_url("https://www.dhs.gov/news/2021/03/05/fact-sheet-x") == "fact_sheet"
    assert (
        doc_type_from_url("https://www.whitehouse.gov/briefing-room/speeches-remarks/2021/x/")
        == "speech"
    )
    assert doc_type_from_url("https://www.ice.gov/news/releases/x") == "press_release"
    assert doc_type_from_slug("us-fr-20170124-executive-order-13765-x.html") == "executive_order"
    assert doc_type_from_slug("mx-segob-acuerdo-albergues.pdf") == "acuerdo"
    transcript = "\n".join(
        ["MODERADOR: Buenos días.", "PREGUNTA: ¿Cuándo?", "SECRETARIO EBRARD: Hoy."] * 3
    )
    assert looks_like_transcript(transcript)
    assert not looks_like_transcript(
        "Artículo 1. Esta Ley es de orden público.\nArtículo 2. Para los efectos"
    )


def test_corpus_titles():
    head = "Executive Order 13765 of January 20, 2017\n\nMinimizing the Economic Burden of the Patient\nProtection and Affordable Care Act Pending Repeal\n\nBy the authority vested in me"
    assert designation_title(head) == (
        "Executive Order 13765: Minimizing the Economic Burden of the Patient Protection and "
        "Affordable Care Act Pending Repeal"
    )
    pdf_head = "Title 3— Executive Order 14145 of January 19, 2025\nThe President Helping Left-Behind Communities Make a Comeback\nBy the authority"
    assert (
        designation_title(pdf_head)
        == "Executive Order 14145: Helping Left-Behind Communities Make a Comeback"
    )
    assert good_title("Federal Register, Volume 82 Issue 14 (Tuesday, January 24, 2017)") is None
    assert good_title("Microsoft Word - ley_migracion.doc") is None
    assert good_title("  Ley de Migración ") == "Ley de Migración"


# --------------------------------------------------------------------------- precedence
def test_corpus_precedence_manifest_document_url_pdf():
    record = {
        "date_document": "2025-01-24",
        "date_signed_document": "2025-01-19",
        "date_pdf_metadata": "2025-01-23",
        "language_detected": "en",
        "issuer_document": "Federal Register",
        "doc_type_document": "executive_order",
        "title": "Executive Order 14145: Helping",
    }
    meta = resolve_metadata(record, None, frozenset(), "us/eo.pdf", "ok")
    assert (meta["date"], meta["date_source"], meta["date_signed"]) == (
        "2025-01-24",
        "document",
        "2025-01-19",
    )
    assert (meta["country"], meta["administration"]) == ("US", "Biden")
    # a manifest overrides; an empty date cell in a manifest with a date column means "no date"
    row = {"file": "eo.pdf", "date": "", "issuer": "White House", "language": "es"}
    meta = resolve_metadata(record, row, frozenset(row), "us/eo.pdf", "ok")
    assert (meta["date"], meta["date_source"]) == (None, "missing")
    assert (
        meta["issuer"] == "White House" and meta["administration"] == "Biden"
    )  # date_signed inferred
    assert (meta["language"], meta["language_declared"]) == ("en", "es")  # detected vs declared
    # without document dates: URL/file name, then PDF metadata
    bare = {**record, "date_document": None, "date_signed_document": None}
    meta = resolve_metadata(bare, None, frozenset(), "us/us-dhs-20210305-x.pdf", "ok")
    assert (meta["date"], meta["date_source"]) == ("2021-03-05", "url")
    meta = resolve_metadata(bare, None, frozenset(), "us/statement.pdf", "ok")
    assert (meta["date"], meta["date_source"]) == ("2025-01-23", "pdf_metadata")
    # a failed file keeps the manifest's metadata
    meta = resolve_metadata(
        None,
        {"file": "x.pdf", "country": "MX", "date": "2024-09-30"},
        frozenset({"file", "country", "date"}),
        "x.pdf",
        "error",
    )
    assert meta["administration"] == "López Obrador" and meta["language"] is None


# --------------------------------------------------------------------------- language
def test_corpus_language_detection():
    assert (
        detect_language(
            "The Secretary of Homeland Security shall protect unaccompanied children. " * 5
        )[0]
        == "en"
    )
    assert (
        detect_language(
            "La Secretaría de Gobernación protegerá a niñas, niños y adolescentes migrantes. " * 5
        )[0]
        == "es"
    )
    pt = (
        "O governo anunciou hoje novas medidas para proteger as crianças migrantes desacompanhadas na fronteira. "
        * 4
    )
    assert detect_language(pt)[0] == "other"
    assert detect_language("Buenos días.")[0] is None  # too short: uncertain
    assert normalise_language_tag("es-MX") == "es" and normalise_language_tag("en_US") == "en"
    assert normalise_language_tag("") is None


# --------------------------------------------------------------------------- text cleaning
def test_corpus_running_lines_and_page_numbers():
    pages = []
    for i in range(1, 6):
        head = "LEY DE MIGRACIÓN\nCÁMARA DE DIPUTADOS DEL H. CONGRESO DE LA UNIÓN Última Reforma DOF 27-05-2024"
        body = (
            f"Artículo {i}. Texto propio de la página {i} que no se repite en ninguna otra parte."
        )
        row = f"Miami {i} {i * 3} {i + 4} {2 * i}"  # a table row repeated on every page
        pages.append(
            f"{head}\n{body}\n{row}\nPárrafo reformado DOF {10 + i}-0{i}-20{10 + i}\n{i} de 5"
        )
    cleaned, running = remove_running_lines(pages)
    for i, page in enumerate(cleaned, start=1):
        assert page.startswith(f"Artículo {i}.") and f"{i} de 5" not in page
        assert f"Miami {i} " in page and "Párrafo reformado" in page
    assert running == [
        "LEY DE MIGRACIÓN",
        "CÁMARA DE DIPUTADOS DEL H. CONGRESO DE LA UNIÓN Última Reforma DOF 27-05-2024",
    ]
    # one page: nothing to compare, only page numbers go
    cleaned, running = remove_running_lines(["Title line\nBody text here.\n- 3 -"])
    assert cleaned == ["Title line\nBody text here."] and running == []


def test_corpus_dehyphenation():
    text = "the Regional Technology and Inno-\nvation Hubs; innovation matters"
    assert "Innovation Hubs" in dehyphenate(text)
    assert dehyphenate("a long-\nterm plan and long-term goals").startswith("a long-term plan")
    assert dehyphenate("the Biden-\nHarris Administration") == "the Biden-Harris Administration"
    assert dehyphenate("migra-\nción de niñas") == "migración de niñas"
    assert dehyphenate("com\ufffemunities") == "communities"


# --------------------------------------------------------------------------- encodings
def test_corpus_decoding():
    assert decode_bytes("Migración de niñas".encode("cp1252")) == ("Migración de niñas", "cp1252")
    assert decode_bytes("Migración".encode()) == ("Migración", "utf-8")
    assert decode_bytes("\ufeffMigración".encode("utf-8"))[0] == "Migración"
    assert decode_bytes("Migración".encode("utf-16-le"))[0] == "Migración"  # BOM-less UTF-16
    declared = '<meta charset="iso-8859-1"><p>Migración</p>'.encode("latin-1")
    assert decode_bytes(declared, html=True) == (
        '<meta charset="iso-8859-1"><p>Migración</p>',
        "cp1252",
    )
    assert clean_text("Versi\u00c3\u00b3n estenogr\u00c3\u00a1fica\x00") == "Versión estenográfica"
    assert clean_text("Biden-\u2060Harris\r\nﬁn") == "Biden-Harris\nfin"
    assert sniff_kind(b"PK\x03\x04rest").startswith("ZIP")
    assert sniff_kind(b"<html>\x00<pre>text</pre>") == "HTML"


def test_corpus_html_mojibake_and_meta(tmp_path):
    page = (
        '<html lang="es-MX"><head><meta property="og:url" content="https://www.gob.mx/inm/prensa/x">'
        '<meta property="article:published_time" content="2023-02-14T10:00:00-06:00">'
        "<title>Comunicado INM</title></head><body><article>"
        + "<p>El Instituto Nacional de MigraciÃ³n atendiÃ³ a niÃ±as y niÃ±os migrantes no acompaÃ±ados.</p>"
        * 5
        + "</article></body></html>"
    ).encode("utf-8")
    ex = extract_html(page)
    assert ex.status == "ok" and "Migración atendió a niñas" in ex.text
    assert ex.meta["lang"] == "es-MX" and ex.dates["meta"] == "2023-02-14"
    assert ex.meta["url"].startswith("https://www.gob.mx/inm")


def test_corpus_text_front_matter():
    data = (
        "---\ntitle: \"Statement by Secretary Mayorkas\"\ndate: '2023-05-11'\n"
        "source_url: https://www.dhs.gov/news/2023/05/11/statement\n---\n\n"
        + "The Department of Homeland Security continues to process asylum claims. "
        * 5
    ).encode()
    ex = extract_text(data)
    assert ex.title == "Statement by Secretary Mayorkas" and ex.dates["meta"] == "2023-05-11"
    assert ex.meta["url"].startswith("https://www.dhs.gov") and ex.text.startswith("The Department")


# --------------------------------------------------------------------------- manifests
def test_corpus_manifest_helpers(tmp_path):
    (tmp_path / "a" / "b").mkdir(parents=True)
    (tmp_path / "manifest.csv").write_text("file\nx.pdf\n")
    (tmp_path / "a" / "b" / "manifest.csv").write_text(
        "\ufeffFile , Date\ny.pdf,2021-01-01\n", encoding="utf-8"
    )
    found = find_manifests(tmp_path)
    assert found == [
        tmp_path / "a" / "b" / "manifest.csv",
        tmp_path / "manifest.csv",
    ]  # deepest first
    assert read_manifest(found[0]) == [{"file": "y.pdf", "date": "2021-01-01"}]
    (tmp_path / "bad.csv").write_text("path,date\nx.pdf,2021\n")
    with pytest.raises(ConfigError, match=r"\[E006\] Manifest .* has no 'file' column"):
        read_manifest(tmp_path / "bad.csv")
