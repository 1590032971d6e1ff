"""Write a folder of hostile and broken inputs, one per guard, for trying `perfxl check`.

Usage: python scripts/make_bad_inputs.py [--out tests/data/bad] [--seed samples/000_….xlsx] [--big]

Each builder takes a good workbook (the seed sample) and an output path; the tests in
tests/test_guards.py use the same builders on files in tmp_path.  ``--big`` also writes
the 300 MB-of-zeros zip bomb (about 300 KB on disk; a second or two to build).
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import zipfile
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MB = 1024 * 1024

__all__ = ["BUILDERS", "build_all", "zip_bomb", "rewrite_part", "ole2_with_names"]


def rewrite_part(src: Path, dst: Path, part: str, fn: Callable[[bytes], bytes]) -> Path:
    """Copy a zip, passing one member's bytes through ``fn``."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info)
            if info.filename == part:
                data = fn(data)
            zout.writestr(info, data)
    return dst


def add_member(src: Path, dst: Path, name: str, data: bytes) -> Path:
    shutil.copyfile(src, dst)
    with zipfile.ZipFile(dst, "a", zipfile.ZIP_DEFLATED) as z:
        z.writestr(name, data)
    return dst


def ole2_with_names(dst: Path, names: list[str], size: int = 4096) -> Path:
    """A minimal file with the OLE2 magic and the UTF-16 directory names given (enough for
    a byte-level sniff; not a valid compound file for real parsers)."""
    body = bytearray(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504)
    for n in names:
        entry = n.encode("utf-16-le") + b"\x00\x00"
        body += entry + b"\x00" * (128 - len(entry))
    body += b"\x00" * max(0, size - len(body))
    dst.write_bytes(bytes(body))
    return dst


def empty(src: Path, dst: Path) -> Path:
    dst.write_bytes(b"")
    return dst


def random_bytes(src: Path, dst: Path) -> Path:
    import random

    dst.write_bytes(random.Random(7).randbytes(5000))
    return dst


def truncated(src: Path, dst: Path) -> Path:
    data = src.read_bytes()
    dst.write_bytes(data[: len(data) // 2])
    return dst


def zip_without_workbook(src: Path, dst: Path) -> Path:
    with zipfile.ZipFile(dst, "w") as z:
        z.writestr("readme.txt", "这不是工作簿")
        z.writestr("data/sheet.csv", "a,b\n1,2\n")
    return dst


def docx_renamed(src: Path, dst: Path) -> Path:
    with zipfile.ZipFile(dst, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", "<w:document/>")
    return dst


def pdf_renamed(src: Path, dst: Path) -> Path:
    dst.write_bytes(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n")
    return dst


def html_as_xls(src: Path, dst: Path) -> Path:
    dst.write_text("<html><body><table><tr><td>单位名称</td><td>某局</td></tr></table></body></html>", "utf-8")
    return dst


def csv_renamed(src: Path, dst: Path) -> Path:
    dst.write_text("单位名称,全年执行数\n某局,309.39\n", "utf-8")
    return dst


def encrypted_fake(src: Path, dst: Path) -> Path:
    """An OLE2 container holding the streams of an encrypted OOXML package."""
    return ole2_with_names(dst, ["Root Entry", "EncryptionInfo", "EncryptedPackage", "\x06DataSpaces"])


def encrypted_real(src: Path, dst: Path) -> Path:
    """A real password-protected copy (needs msoffcrypto-tool; raises ImportError otherwise)."""
    from msoffcrypto.format.ooxml import OOXMLFile

    with open(src, "rb") as fin, open(dst, "wb") as fout:
        OOXMLFile(fin).encrypt("secret", fout)
    return dst


def billion_laughs(src: Path, dst: Path) -> Path:
    lol = (b'<?xml version="1.0"?>\n<!DOCTYPE lolz [\n <!ENTITY lol "lol">\n'
           + b"".join(b' <!ENTITY lol%d "%s">\n' % (i, (b"&lol%d;" % (i - 1) if i > 1 else b"&lol;") * 10)
                      for i in range(1, 10))
           + b"]>\n")

    def inject(data: bytes) -> bytes:
        return lol + re.sub(rb"^<\?xml[^>]*\?>\s*", b"", data)

    return rewrite_part(src, dst, "xl/worksheets/sheet2.xml", inject)


def many_rows_declared(src: Path, dst: Path, rows: int = 1_048_576) -> Path:
    """A sheet whose <dimension> claims a million rows (as after an accidental fill-down)."""

    def dim(data: bytes) -> bytes:
        return re.sub(rb'<dimension ref="([A-Z]+\d+):([A-Z]+)\d+"', rb'<dimension ref="\1:\g<2>%d"' % rows, data, count=1)

    return rewrite_part(src, dst, "xl/worksheets/sheet6.xml", dim)


def macros(src: Path, dst: Path) -> Path:
    return add_member(src, dst, "xl/vbaProject.bin", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 500)


def zip_bomb(src: Path, dst: Path, mb: int = 300) -> Path:
    """The seed workbook plus one member of ``mb`` MB of zeros (~1000:1), streamed."""
    shutil.copyfile(src, dst)
    chunk = b"\x00" * MB
    with zipfile.ZipFile(dst, "a", zipfile.ZIP_DEFLATED, compresslevel=1) as z:
        with z.open("xl/media/padding.bin", "w", force_zip64=True) as fh:
            for _ in range(mb):
                fh.write(chunk)
    return dst


def ratio_bomb(src: Path, dst: Path) -> Path:
    """A 20 MB member of zeros: under the size limit, far over the 100:1 ratio."""
    return zip_bomb(src, dst, mb=20)


def _ods(dst: Path, rows_xml: str) -> Path:
    content = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
        '<office:body><office:spreadsheet><table:table table:name="基本信息">'
        '<table:table-row><table:table-cell office:value-type="string"><text:p>单位名称</text:p></table:table-cell>'
        '</table:table-row>' + rows_xml + "</table:table></office:spreadsheet></office:body></office:document-content>"
    )
    with zipfile.ZipFile(dst, "w") as z:
        z.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet", compress_type=zipfile.ZIP_STORED)
        z.writestr("META-INF/manifest.xml", '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
                   'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"/>', zipfile.ZIP_DEFLATED)
        z.writestr("content.xml", content, zipfile.ZIP_DEFLATED)
    return dst


def ods_repeated_rows(src: Path, dst: Path) -> Path:
    """An ODS whose one row with a value is repeated a million times (a few bytes)."""
    return _ods(dst, '<table:table-row table:number-rows-repeated="1048000"><table:table-cell '
                     'office:value-type="float" office:value="1"><text:p>1</text:p></table:table-cell></table:table-row>')


def ods_repeated_columns(src: Path, dst: Path) -> Path:
    """An ODS row with a value repeated across 16384 columns, the row repeated 1000 times."""
    return _ods(dst, '<table:table-row table:number-rows-repeated="1000"><table:table-cell '
                     'table:number-columns-repeated="16384" office:value-type="float" office:value="1">'
                     "<text:p>1</text:p></table:table-cell></table:table-row>")


def ods_empty_tail(src: Path, dst: Path) -> Path:
    """What LibreOffice writes: a million styled empty rows after the data (harmless)."""
    return _ods(dst, '<table:table-row table:number-rows-repeated="1048574"><table:table-cell '
                     'table:number-columns-repeated="16384"/></table:table-row>')


def lock_file(src: Path, dst: Path) -> Path:
    dst.write_bytes(b"\x0bperfxl user" + b"\x00" * 150)
    return dst


# file name → (builder, the F code it must produce)
BUILDERS: dict[str, tuple[Callable[[Path, Path], Path], str]] = {
    "empty.xlsx": (empty, "F004"),
    "random.xlsx": (random_bytes, "F003"),
    "truncated.xlsx": (truncated, "F001"),
    "no_workbook.xlsx": (zip_without_workbook, "F010"),
    "report.docx.xlsx": (docx_renamed, "F003"),
    "scan.pdf.xlsx": (pdf_renamed, "F003"),
    "web_export.xls": (html_as_xls, "F003"),
    "table.csv.xlsx": (csv_renamed, "F003"),
    "encrypted_fake.xlsx": (encrypted_fake, "F002"),
    "billion_laughs.xlsx": (billion_laughs, "F008"),
    "million_rows.xlsx": (many_rows_declared, "F007"),
    "macros.xlsm": (macros, "F012"),
    "ratio_bomb.xlsx": (ratio_bomb, "F006"),
    "~$lock.xlsx": (lock_file, "F009"),
    "ods_million_rows.ods": (ods_repeated_rows, "F007"),
    "ods_wide_rows.ods": (ods_repeated_columns, "F007"),
}


def build_all(out: Path, seed: Path, big: bool = False) -> list[Path]:
    """Write every bad input into ``out``; returns the paths."""
    out.mkdir(parents=True, exist_ok=True)
    paths = [fn(seed, out / name) for name, (fn, _) in BUILDERS.items()]
    try:
        paths.append(encrypted_real(seed, out / "encrypted.xlsx"))
    except ImportError:
        pass
    if big:
        paths.append(zip_bomb(seed, out / "zip_bomb_300mb.xlsx"))
    return paths


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=ROOT / "tests" / "data" / "bad")
    ap.add_argument("--seed", type=Path, default=ROOT / "samples" / "000_桃源县科学技术协会.xlsx")
    ap.add_argument("--big", action="store_true", help="also write the 300 MB zip bomb")
    args = ap.parse_args()
    for p in build_all(args.out, args.seed, args.big):
        print(os.fspath(p))


if __name__ == "__main__":
    main()
