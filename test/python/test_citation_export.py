"""Citation cells stay inert when a notebook is exported with the real `jupyter nbconvert --to html`.

The markdown cells are the ones the extension inserts ("Cite in notebook"): their source comes from
the helpers' built core (`bibliography` + `citationMarkdown`, called through node as
extension/notebook-cells.ts does). A hostile record (title, authors and collaboration carrying live
links, styles, remote images, markdown links, backticks that try to close the code fence and
entity-encoded tags) must export without a `javascript:` link, a `<style>` or `<script>` of its own,
a remote image or any link but http(s); a real record's citation must still read as the portal's.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from bs4 import BeautifulSoup

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT.parent / "shared" / "data" / "records" / "fixtures"
FORMATS = ("text", "bibtex", "csl-json", "ris")

PAYLOADS = [
    '<a href="javascript:alert(1)">click me</a>',
    "<style>body { display: none }</style>",
    "<img src=https://evil.example/x.png>",
    "[x](javascript:alert(2))",
    "![pixel](https://evil.example/track.png)",
    "<https://evil.example/auto> <javascript:alert(3)>",
    "&lt;script&gt;alert(4)&lt;/script&gt;",
    '&lt;a href="javascript:alert(5)"&gt;entity link&lt;/a&gt;',
    "&lt;img src=https://evil.example/y.png&gt;",
    "&lt;style&gt;body{color:red}&lt;/style&gt;",
    "```\n</pre><a href=\"javascript:alert(6)\">out</a>\n````",
    "$\\href{javascript:alert(7)}{math}$",
    "[ref]: javascript:alert(8)",
    "<svg onload=alert(9)>",
]
HOSTILE = " ".join(PAYLOADS)


def hostile_record() -> dict:
    return {
        "recid": "990111",
        "title": "Dimuon " + HOSTILE,
        "date_published": "2020",
        "experiment": ["CMS"],
        "doi": "10.7483/OPENDATA.CMS.TEST",
        "authors": [{"name": "Smith, Ann " + HOSTILE}, {"name": "# Not a heading"}, {"name": "1. Not a list"}],
        "collaboration": {"name": "CMS " + HOSTILE},
    }


def cell_sources(records: list[dict], fmt: str) -> str:
    """The markdown cell's source for `records`, from kernel-helpers/dist/core."""
    script = (
        "const core = require('./kernel-helpers/dist/core');"
        "const [records, format] = JSON.parse(require('fs').readFileSync(0, 'utf8'));"
        "process.stdout.write(core.citationMarkdown(core.bibliography(records, format), format));"
    )
    out = subprocess.run(["node", "-e", script], input=json.dumps([records, fmt]), cwd=ROOT,
                         capture_output=True, text=True, check=True, timeout=60)
    return out.stdout


def export_html(sources: list[str], tmp_path: Path) -> BeautifulSoup:
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell(source) for source in sources]
    path = tmp_path / "cited.ipynb"
    nbformat.write(nb, path)
    jupyter = Path(sys.executable).parent / "jupyter"
    subprocess.run([str(jupyter), "nbconvert", "--to", "html", str(path)], check=True,
                   capture_output=True, text=True, timeout=180)
    return BeautifulSoup((tmp_path / "cited.html").read_text(encoding="utf-8"), "html.parser")


def markdown_cells(soup: BeautifulSoup) -> list:
    cells = soup.select(".jp-MarkdownCell")
    assert cells, "nbconvert wrote no markdown cell"
    return cells


URL_ATTRS = ("href", "src", "srcset", "action", "formaction", "xlink:href", "data", "poster", "background")


@pytest.fixture(scope="module")
def hostile_export(tmp_path_factory):
    sources = {fmt: cell_sources([hostile_record()], fmt) for fmt in FORMATS}
    soup = export_html([sources[fmt] for fmt in FORMATS], tmp_path_factory.mktemp("hostile"))
    return sources, soup


def test_a_hostile_record_exports_without_live_links_styles_or_remote_images(hostile_export):
    _, soup = hostile_export
    cells = markdown_cells(soup)
    assert len(cells) == len(FORMATS)
    for cell in cells:
        for element in cell.find_all(True):
            assert element.name not in ("style", "script", "img", "svg", "iframe", "object", "embed",
                                        "form", "link", "meta", "base"), str(element)[:200]
            assert not any(name.lower().startswith("on") for name in element.attrs), str(element)[:200]
            assert "style" not in element.attrs, str(element)[:200]
            for attr in URL_ATTRS:
                value = re.sub(r"[\x00-\x20]", "", str(element.get(attr, ""))).lower()
                assert not value.startswith(("javascript:", "data:", "vbscript:")), str(element)[:200]
            if element.name == "a":
                # Only http(s) links: GFM's autolinks of URLs in the text, never a record's markup.
                assert re.match(r"^https?://", element.get("href", "")), str(element)[:200]
                assert element.get_text() == element["href"], str(element)[:200]
    # No javascript: link anywhere in the exported page, cells or not.
    for element in soup.find_all(href=True):
        assert not re.sub(r"[\x00-\x20]", "", element["href"]).lower().startswith("javascript:")


def test_the_payloads_show_as_text_and_the_code_fences_hold(hostile_export):
    sources, soup = hostile_export
    text_cell, *fenced = markdown_cells(soup)
    shown = text_cell.get_text(" ")
    # The record's words are there as text, the decoded tags are not.
    assert "Dimuon" in shown and "[x](javascript:alert(2))" in shown and "Smith, Ann" in shown
    assert "<script>" not in shown and "<style>" not in shown
    # The text cell is paragraphs of text only: no heading or list from an author's name.
    assert not text_cell.find_all(["h1", "h2", "h3", "h4", "h5", "h6", "ol", "ul", "blockquote"])
    assert "# Not a heading" in shown and "1. Not a list" in shown
    # Math stays text: nothing is a math element, and MathJax (which nbconvert's page loads and
    # which scans the rendered text) is told to skip every text with a `$` or `\(` in it.
    assert not text_cell.find_all(class_=re.compile(r"^(?!.*_ignore$).*(math|katex)", re.I))
    for node in text_cell.find_all(string=re.compile(r"[$]|\\[(\[]")):
        assert any("tex2jax_ignore" in (p.get("class") or []) for p in node.parents), node
    for span in text_cell.find_all("span"):
        assert span.attrs == {"class": ["tex2jax_ignore", "mathjax_ignore"]}, span
    # Each structured format is exactly one code block holding the whole citation.
    for fmt, cell in zip(FORMATS[1:], fenced):
        blocks = cell.find_all("pre")
        assert len(blocks) == 1, (fmt, str(cell)[:500])
        inner = sources[fmt].split("\n", 1)[1].rsplit("\n", 1)[0]
        assert blocks[0].get_text() == inner + "\n", fmt


def test_the_text_citation_is_plain_text_without_markup():
    script = (
        "const core = require('./kernel-helpers/dist/core');"
        "process.stdout.write(core.citationText(JSON.parse(require('fs').readFileSync(0, 'utf8'))));"
    )
    text = subprocess.run(["node", "-e", script], input=json.dumps(hostile_record()), cwd=ROOT,
                          capture_output=True, text=True, check=True, timeout=60).stdout
    assert not re.search(r"<[A-Za-z/!?][^<>]*>", text), text
    assert "&lt;" not in text and "&gt;" not in text
    assert "body { display: none }" not in text and "alert(4)" not in text  # style/script bodies
    assert "\n" not in text and text.endswith("CERN Open Data Portal. DOI:10.7483/OPENDATA.CMS.TEST")


def test_a_real_record_still_reads_as_the_portals_citation(tmp_path):
    record = next(r for r in json.loads((FIXTURES / "cms-tools-higgsexample20112012.json").read_text())
                  if r["recid"] == "5500")
    soup = export_html([cell_sources([record], "text"), cell_sources([record], "bibtex")], tmp_path)
    text_cell, bib_cell = markdown_cells(soup)
    shown = " ".join(text_cell.get_text(" ").split())
    authors = " ".join(f"{a['name']};" for a in record["authors"])
    assert f"{authors} ({record['date_published']}). {record['title']}. CERN Open Data Portal. " \
           f"DOI:{record['doi']}" in shown
    assert f"doi = {{{record['doi']}}}" in bib_cell.find("pre").get_text()
