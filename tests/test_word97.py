"""Word 97 (.doc) and WPS reports, converted by a real LibreOffice: the same cells as the DOCX they were saved from."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from functools import cache
from pathlib import Path

import pytest

from parsers import DecodeError, parse, source_type_of
from parsers.convert import OLE_MAGIC, ole_kind, to_docx

from .conftest import NIANBAO
from .portal_documents import report_docx
from .portal_pages import ReportSpec, sample_cells

SOFFICE = shutil.which("soffice")
pytestmark = pytest.mark.skipif(SOFFICE is None, reason="LibreOffice is not installed "
                                "(scripts/test.sh installs libreoffice-writer-nogui when run as root)")


@cache
def word97(fmt: str, year: int) -> bytes:
    """The generated DOCX report saved as Word 97 by LibreOffice, as an office would have saved it."""
    spec = ReportSpec(fmt, year, "示范县人民政府", sample_cells(fmt, year))
    with tempfile.TemporaryDirectory() as work:
        source = Path(work) / "report.docx"
        source.write_bytes(report_docx(spec))
        subprocess.run([SOFFICE, f"-env:UserInstallation={(Path(work) / 'p').as_uri()}", "--headless",
                        "--convert-to", "doc:MS Word 97", "--outdir", work, str(source)], check=True,
                       capture_output=True, timeout=120)
        return (Path(work) / "report.doc").read_bytes()


@pytest.mark.parametrize("fmt, year", [("gov2019", 2020), ("gov2021", 2022)])
def test_every_cell_of_a_word97_report(fmt, year):
    data = word97(fmt, year)
    assert data.startswith(OLE_MAGIC)
    report = parse(data, url=f"https://www.example.gov.cn/u/{year}.doc")
    spec = ReportSpec(fmt, year, "示范县人民政府", sample_cells(fmt, year))
    assert (report.source_type, report.format, report.report_year) == ("doc", fmt, year)
    assert {(m.table, m.row, m.col): m.raw for m in report.metrics} == spec.cells
    assert report.issuer == "示范县人民政府" and not [c for c in report.checks if c.status == "fail"]


def test_wps_is_told_by_its_content_and_read_like_word():
    data = word97("gov2021", 2022)
    assert source_type_of(data, "https://www.example.gov.cn/u/nb.wps") == "wps"
    assert parse(data, url="https://www.example.gov.cn/u/nb.wps").source_type == "wps"
    kingsoft = data[:4096] + "KSOProductBuildVer".encode("utf-16-le") + data[4096 + 36:]
    assert ole_kind(kingsoft) == "wps" and source_type_of(kingsoft, "https://www.example.gov.cn/download?id=7") == "wps"
    assert ole_kind(data) == "doc"


def test_broken_or_slow_conversions_are_clear_errors():
    data = word97("gov2021", 2022)
    with pytest.raises(DecodeError, match="LibreOffice"):
        parse(data[:3000], url="https://www.example.gov.cn/u/cut.doc")
    with pytest.raises(DecodeError, match="took more than"):
        to_docx(data, "doc", timeout=0.01)


def test_without_libreoffice_the_error_says_how_to_install_it(tmp_path):
    path = tmp_path / "report.doc"
    path.write_bytes(word97("gov2021", 2022))
    env = {**os.environ, "PATH": str(Path(NIANBAO).parent)}
    result = subprocess.run([str(NIANBAO), "parse", str(path)], capture_output=True, text=True, env=env, timeout=120)
    assert result.returncode == 2 and "apt-get install libreoffice-writer-nogui" in result.stderr
