"""The whole parse output of a fixed set of documents, to compare the parsers before and after a change.

    .venv/bin/python scripts/parse_snapshot.py build DOCS [--libreoffice]   # write the documents once
    .venv/bin/python scripts/parse_snapshot.py dump DOCS OUT.json [--tree DIR]
    .venv/bin/python scripts/parse_snapshot.py compare A.json B.json

Documents: the shared corpus (page excerpts with their addresses, full texts), the seed, the demo site's pages, and
the generated reports of tests/ (HTML in four CMS chromes, two charsets and every table style; PDF from reportlab
and drawn as WPS/Word export them with odd spacing, split rows, repeated headers and no ruling; DOCX; the flattened
texts; with --libreoffice, DOCX exported to PDF by LibreOffice). `dump --tree` parses with another checkout's
parsers (a git worktree of the commit before), so both dumps read the same bytes. `compare` lists every document
whose output differs, field by field; it exits 1 when any does.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"


def _generated(out: Path, libreoffice: bool) -> None:
    sys.path.insert(0, str(ROOT))
    from tests.portal_documents import report_docx, report_pdf
    from tests.portal_pages import Chrome, ReportSpec, Style, report_text, sample_cells, standard_report_page
    from tests.wps_pdf import PdfLook, exported_pdf

    styles = [Style(), Style(word_spans=True), Style(traditional=True), Style(split_tables=True),
              Style(ascii_punct=True), Style(blank_org_columns=True), Style(wrapped_headers=True),
              Style(word_spans=True, ascii_punct=True)]
    looks = [PdfLook(), PdfLook(char_space=0.5, lead_paragraphs=2), PdfLook(split_rows=True, repeat_header=True),
             PdfLook(cell_size=12, lead_paragraphs=5), PdfLook(ruled=False), PdfLook(cell_size=9, split_rows=True),
             PdfLook(char_space=1.5, lead_paragraphs=1), PdfLook(repeat_header=True, lead_paragraphs=7)]
    families = ["trs", "hanweb", "vsb", "plain"]
    for i in range(40):
        fmt = ("gov2019", "gov2021")[i % 2]
        spec = ReportSpec(fmt, 2019 + i % 6, f"示范{i}县人民政府", sample_cells(fmt, seed=i, inconsistent=i % 9 == 4),
                          styles[i % len(styles)])
        chrome = Chrome(families[i % 4], ("utf-8", "gbk")[i // 4 % 2])
        (out / f"gen-{i:02}.html").write_bytes(standard_report_page(spec, chrome, f"{spec.year + 1}-01-{10 + i % 18}"))
        pdf = report_pdf(spec) if i % 3 == 0 else exported_pdf(spec, looks[i % len(looks)])
        (out / f"gen-{i:02}.pdf").write_bytes(pdf)
        if i % 2 == 0:
            (out / f"gen-{i:02}.docx").write_bytes(report_docx(spec))
        if i % 5 == 0:
            (out / f"gen-{i:02}.txt").write_text(report_text(spec, ("bar_rows", "cell_per_line")[i // 5 % 2]), "utf-8")
    if libreoffice:
        _libreoffice_pdfs(out)


def _libreoffice_pdfs(out: Path) -> None:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if not soffice:
        raise SystemExit("--libreoffice: no soffice on this machine")
    with tempfile.TemporaryDirectory() as work:
        docs = sorted(out.glob("gen-*.docx"))[:12]
        subprocess.run([soffice, f"-env:UserInstallation=file://{work}/profile", "--headless", "--convert-to", "pdf",
                        "--outdir", work, *map(str, docs)], check=True, capture_output=True, timeout=600)
        for pdf in Path(work).glob("*.pdf"):
            shutil.copy(pdf, out / f"lo-{pdf.name}")


def build(out: Path, libreoffice: bool) -> None:
    out.mkdir(parents=True, exist_ok=True)
    urls: dict[str, str] = {}
    corpus = SHARED / "corpus"
    if not corpus.is_dir():
        raise SystemExit(f"{corpus} is absent: the snapshot reads the shared corpus beside the project")
    for page in sorted((corpus / "pages").glob("*.json")):
        record = json.loads(page.read_text("utf-8"))
        (out / f"page-{page.stem}.txt").write_text(record["excerpt"], "utf-8")
        urls[f"page-{page.stem}.txt"] = record["url"]
    for text in sorted((corpus / "full").glob("*.txt")):
        shutil.copy(text, out / f"full-{text.name}")
    shutil.copy(SHARED / "seed" / "lingshan-2017-report.txt", out / "seed.txt")
    demo = ROOT / "crawler" / "demo_site"
    for page in sorted(demo.rglob("*.htm*")):
        name = "demo-" + "-".join(page.relative_to(demo).parts)
        shutil.copy(page, out / name)
        urls[name] = "http://127.0.0.1:8000/" + page.relative_to(demo).as_posix()
    _generated(out, libreoffice)
    (out / "urls.json").write_text(json.dumps(urls, ensure_ascii=False, indent=1), "utf-8")


def dump(docs: Path, tree: Path) -> dict[str, Any]:
    sys.path.insert(0, str(tree.resolve()))
    from parsers import parse

    urls = json.loads((docs / "urls.json").read_text("utf-8"))
    results: dict[str, Any] = {}
    for path in sorted(docs.iterdir()):
        if path.name == "urls.json":
            continue
        try:
            report = parse(path.read_bytes(), url=urls.get(path.name, f"https://www.example.gov.cn/r/{path.name}"))
            results[path.name] = report.to_json()
        except Exception as error:  # noqa: BLE001 - a failure is part of the output being compared
            results[path.name] = {"error": f"{type(error).__name__}: {error}"}
    return results


def _differences(a: Any, b: Any, where: str = "") -> list[str]:
    if isinstance(a, dict) and isinstance(b, dict):
        return [line for key in sorted(set(a) | set(b), key=str)
                for line in _differences(a.get(key), b.get(key), f"{where}.{key}")]
    if isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
        return [line for i, (x, y) in enumerate(zip(a, b, strict=True)) for line in _differences(x, y, f"{where}[{i}]")]
    return [] if a == b else [f"  {where}: {json.dumps(a, ensure_ascii=False)[:200]} → "
                              f"{json.dumps(b, ensure_ascii=False)[:200]}"]


def compare(a: dict[str, Any], b: dict[str, Any]) -> int:
    changed = 0
    for name in sorted(set(a) | set(b)):
        if lines := _differences(a.get(name), b.get(name)):
            changed += 1
            print(name)
            print("\n".join(lines[:40]) + (f"\n  … {len(lines) - 40} more" if len(lines) > 40 else ""))
    print(f"{changed} of {len(set(a) | set(b))} documents differ")
    return 1 if changed else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    make = commands.add_parser("build")
    make.add_argument("docs", type=Path)
    make.add_argument("--libreoffice", action="store_true")
    run = commands.add_parser("dump")
    run.add_argument("docs", type=Path)
    run.add_argument("out", type=Path)
    run.add_argument("--tree", type=Path, default=ROOT)
    check = commands.add_parser("compare")
    check.add_argument("a", type=Path)
    check.add_argument("b", type=Path)
    args = parser.parse_args()
    if args.command == "build":
        build(args.docs, args.libreoffice)
    elif args.command == "dump":
        args.out.write_text(json.dumps(dump(args.docs, args.tree), ensure_ascii=False, indent=1), "utf-8")
    else:
        return compare(*(json.loads(path.read_text("utf-8")) for path in (args.a, args.b)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
