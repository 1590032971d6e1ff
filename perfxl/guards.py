"""Checks made before any parser opens a file.

A workbook from outside is untrusted input: it may be empty, truncated, encrypted, not
a spreadsheet at all, a zip bomb, carry XML entity declarations, or hold one cell at
XFD1048576 (calamine sizes a sheet by its farthest cell and aborts on the allocation).  :func:`examine`
looks at the bytes (magic numbers, the zip directory, the first bytes of each XML part)
and says whether the file may be parsed, and as which format — so the reader, and later
openpyxl when it writes annotated copies, never open a hostile file.

Every refusal is an F-code finding (see :mod:`perfxl.codes.file`); nothing here raises
for bad input.
"""

from __future__ import annotations

import io
import os
import re
import stat
import struct
import xml.etree.ElementTree as ET
import zipfile
import zlib
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from perfxl.findings import Finding
from perfxl.i18n import Text
from perfxl.rulebook import Limits
from perfxl.codes.file import (
    F001,
    F002,
    F003,
    F004,
    F005,
    F006,
    F007,
    F008,
    F009,
    F010,
    F011,
    F012,
    F023,
)

__all__ = ["Inspection", "examine", "inspect_file", "is_lock_file", "sheet_parts", "FORMATS"]

MB = 1024 * 1024
OLE2_MAGIC = bytes.fromhex("D0CF11E0A1B11AE1")
ZIP_MAGICS = (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")
# Members smaller than this are never refused for their compression ratio: a tiny
# sharedStrings.xml of repeated text legitimately compresses 200:1 (cf. Apache POI's
# ZipSecureFile, which pairs a minimum inflate ratio with a size floor).
RATIO_FLOOR_BYTES = 1 * MB
MAX_MEMBERS = 10_000
# How much of each XML part is read to find a DOCTYPE (it must precede the root element).
PROLOG_BYTES = 64 * 1024

# Format by content → the file extensions that name it.
FORMATS: dict[str, tuple[str, ...]] = {
    "xlsx": (".xlsx", ".xlsm", ".xltx", ".xltm"),
    "xlsb": (".xlsb",),
    "xls": (".xls", ".xlt"),
    "ods": (".ods",),
}

# What damaged bytes raise while the guard reads them: the file is then refused (F001).
# Anything else is a bug in the guard and propagates (F902): never called a damaged file.
DAMAGED: tuple[type[BaseException], ...] = (
    zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, struct.error, EOFError, OSError, ValueError,
    NotImplementedError, ET.ParseError,
)

_DOCTYPE_RE = re.compile(rb"<!\s*(?:DOCTYPE|ENTITY)", re.I)
_ROOT_RE = re.compile(rb"<[A-Za-z_]")
_DIMENSION_RE = re.compile(rb'<(?:\w+:)?dimension\s+ref\s*=\s*["\'](?:[A-Z]+\d+:)?[A-Z]+(\d+)["\']')
_SHEET_PART_RE = re.compile(r"^xl/worksheets/[^/]+\.xml$")
_UNIQUE_COUNT_RE = re.compile(rb'<(?:\w+:)?sst\b[^>]*?\buniqueCount\s*=\s*["\'](\d+)')


@dataclass
class Inspection:
    """What :func:`examine` learned: findings, and the format to parse the file as.

    ``refused`` is True when the file must not be opened by any parser.
    """

    path: Path
    findings: list[Finding] = field(default_factory=list)
    fmt: str | None = None  # 'xlsx' | 'xlsb' | 'xls' | 'ods' when readable
    refused: bool = False
    extension_ok: bool = True  # the extension names the format found by content

    def refuse(self, finding: Finding) -> Inspection:
        self.findings.append(finding)
        self.refused = True
        return self


def is_lock_file(path: str | Path) -> bool:
    """True for Office/WPS owner files ('~$自评表.xlsx') and LibreOffice locks."""
    name = Path(path).name
    return name.startswith("~$") or (name.startswith(".~lock.") and name.endswith("#"))


def inspect_file(path: str | Path, limits: Limits | None = None) -> list[Finding]:
    """The F-code findings about a file's bytes (see :func:`examine`)."""
    return examine(path, limits).findings


def examine(path: str | Path, limits: Limits | None = None) -> Inspection:
    """Look at a file before parsing it: refuse what must not be opened.

    Checks, in order: lock file, missing/empty file, size, magic bytes (zip, OLE2),
    encryption, extension against content, then for zips: integrity, a workbook part,
    declared uncompressed size and per-member compression ratio, macros, DOCTYPE/ENTITY
    declarations in XML parts, and each sheet's declared row count.
    """
    limits = limits or Limits()
    p = Path(path)
    ins = Inspection(p)
    if is_lock_file(p):
        return ins.refuse(F009(None, None, actual=p.name))
    try:
        st = os.stat(p)
    except OSError as e:
        return ins.refuse(F001(None, None, detail=Text(f"无法打开：{e.strerror or e}", f"cannot open: {e.strerror or e}")))
    if not stat.S_ISREG(st.st_mode):
        return ins.refuse(F001(None, None, detail=Text("不是文件", "not a file")))
    size = st.st_size
    if size == 0:
        return ins.refuse(F004(None, None, actual=0))
    if size > limits.max_file_mb * MB:
        return ins.refuse(F005(None, None, expected=float(limits.max_file_mb), actual=round(size / MB, 2)))
    try:
        with open(p, "rb") as fh:
            head = fh.read(8)
            # A zip (every xlsx) is at most max_file_mb: read whole, once; its parts are
            # then sliced from memory.
            data = head + fh.read() if head.startswith(ZIP_MAGICS) else None
    except OSError as e:
        return ins.refuse(F001(None, None, detail=Text(f"无法打开：{e.strerror or e}", f"cannot open: {e.strerror or e}")))
    try:
        if head.startswith(OLE2_MAGIC):
            _examine_ole2(p, ins)
        elif data is not None:
            _examine_zip(data, ins, limits)
        else:
            ins.refuse(F003(None, None, detail=_sniff(p)))
    except DAMAGED as e:  # bytes that do not make a workbook (a bug in the guard is not one: it propagates)
        return ins.refuse(F001(None, None, detail=Text(f"{type(e).__name__}: {e}", f"{type(e).__name__}: {e}")))
    if not ins.refused and ins.fmt:
        ext = p.suffix.lower()
        if ext not in FORMATS[ins.fmt]:
            ins.extension_ok = False
            ins.findings.append(F011(None, None, expected=ins.fmt, actual=ext or Text("（无扩展名）", "(no extension)")))
    return ins


def _sniff(p: Path) -> Text:
    """A short description of what a non-spreadsheet file looks like."""
    with open(p, "rb") as fh:
        head = fh.read(512)
    low = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if low.startswith(b"%pdf"):
        return Text("PDF 文件", "a PDF file")
    if head.startswith((b"\x89PNG", b"\xff\xd8\xff", b"GIF8")):
        return Text("图片", "an image")
    if low.startswith((b"<html", b"<!doctype html", b"<table", b"<meta")) or b"<html" in low[:200]:
        return Text("网页（HTML）另存的表格", "an HTML page saved as a spreadsheet")
    if low.startswith(b"<?xml"):
        return Text("XML 文件（可能是 Excel 2003 XML 表格）", "an XML file (perhaps an Excel 2003 XML spreadsheet)")
    if head.startswith(b"{\\rtf"):
        return Text("RTF 文档", "an RTF document")
    if head.startswith(b"MZ"):
        return Text("Windows 程序或自解压文件", "a Windows program or self-extracting archive")
    if b"\x00" not in head:  # NUL bytes decode as UTF-8 too, but no text file holds them
        try:
            head.decode("utf-8")
            return Text("文本文件（如 CSV）", "a text file such as CSV")
        except UnicodeDecodeError:
            pass
    return Text("无法识别的内容", "unrecognised content")


def _utf16(name: str) -> bytes:
    return name.encode("utf-16-le")


def _examine_ole2(p: Path, ins: Inspection) -> None:
    """OLE2 compound file: legacy .xls, or an encrypted OOXML package, or a Word file.

    Without olefile we look for the UTF-16 stream names in the file: an encrypted OOXML
    file holds 'EncryptionInfo' and 'EncryptedPackage'; a workbook holds 'Workbook'
    (BIFF8) or 'Book' (BIFF5).  The file is at most ``max_file_mb``, read in chunks.
    """
    found = _find_names(p, ("EncryptionInfo", "EncryptedPackage", "Workbook", "Book", "WordDocument",
                            "PowerPoint Document"))
    if "EncryptionInfo" in found or "EncryptedPackage" in found:
        ins.refuse(F002(None, None))
    elif "Workbook" in found or "Book" in found:
        ins.fmt = "xls"
    elif "WordDocument" in found:
        ins.refuse(F003(None, None, detail=Text("Word 文档", "a Word document")))
    elif "PowerPoint Document" in found:
        ins.refuse(F003(None, None, detail=Text("PowerPoint 文档", "a PowerPoint document")))
    else:
        ins.refuse(F003(None, None, detail=Text("不含工作簿的 OLE2 文件", "an OLE2 file without a workbook")))


def _find_names(p: Path, names: tuple[str, ...]) -> set[str]:
    needles = {n: _utf16(n) for n in names}
    found: set[str] = set()
    overlap = max(len(b) for b in needles.values())
    tail = b""
    with open(p, "rb") as fh:
        while True:
            chunk = fh.read(MB)
            if not chunk:
                break
            buf = tail + chunk
            for n, b in needles.items():
                if n not in found and b in buf:
                    # 'Book' must be a whole directory name, not part of 'Workbook'.
                    if n == "Book" and not re.search(b"(?<!k\x00r\x00o\x00W\x00)" + re.escape(b) + b"\x00\x00", buf):
                        continue
                    found.add(n)
            tail = buf[-overlap:]
    return found


_EOCD = struct.Struct("<4s4H2LH")  # end of central directory record (22 bytes)
_CDH = struct.Struct("<4s6H3L5H2L")  # central directory file header (46 bytes)


@dataclass(slots=True)
class _Member:
    """What the guard reads of a zip member (the names of :class:`zipfile.ZipInfo`)."""

    filename: str
    flag_bits: int
    compress_type: int
    compress_size: int
    file_size: int
    header_offset: int
    index: int  # position in the central directory


def _plain_directory(data: bytes) -> list[_Member] | None:
    """The members of a plain zip — one disk, no zip64, no archive comment, nothing
    before the first member, well-formed extra fields: what spreadsheet programs write —
    read straight from the central directory; None for anything else, which
    :class:`zipfile.ZipFile` then reads (and refuses as it sees fit).  zipfile costs
    more than the rest of the guard's work on a small workbook."""
    end = len(data) - _EOCD.size
    if end < 0:
        return None
    sig, disk, cd_disk, n_disk, n, cd_size, cd_off, comment = _EOCD.unpack_from(data, end)
    if (sig != b"PK\x05\x06" or comment or disk or cd_disk or n_disk != n or n == 0xFFFF
            or cd_off + cd_size != end or data[end - 20:end - 16] == b"PK\x06\x07"):
        return None
    out: list[_Member] = []
    pos = cd_off
    for index in range(n):
        if pos + _CDH.size > end:
            return None
        (sig, _made, need, flags, method, _t, _d, _crc, csize, usize, nlen, xlen, clen,
         _disk, _iattr, _eattr, offset) = _CDH.unpack_from(data, pos)
        if sig != b"PK\x01\x02" or 0xFFFFFFFF in (csize, usize, offset) or need > zipfile.MAX_EXTRACT_VERSION:
            return None
        name = data[pos + 46:pos + 46 + nlen]
        extra = data[pos + 46 + nlen:pos + 46 + nlen + xlen]
        while len(extra) >= 4:  # zipfile refuses a corrupt extra field; zip64 data is its to read
            tp, ln = struct.unpack_from("<HH", extra)
            if ln + 4 > len(extra) or tp == 1:
                return None
            extra = extra[ln + 4:]
        if b"\x00" in name:
            return None
        try:
            filename = name.decode("utf-8" if flags & 0x800 else "cp437")
        except UnicodeDecodeError:
            return None
        out.append(_Member(filename, flags, method, csize, usize, offset, index))
        pos += 46 + nlen + xlen + clen
    return out if pos == end else None


class _Zip:
    """A zip's member list — from :func:`_plain_directory` when the zip is plain — with
    a :class:`zipfile.ZipFile` opened only when something needs more than the list (an
    ODS's content, a member neither stored nor deflated)."""

    def __init__(self, raw: io.BytesIO, data: bytes):
        self._raw = raw
        self._zf: zipfile.ZipFile | None = None
        infos = _plain_directory(data)
        if infos is None:
            self._zf = zipfile.ZipFile(raw)  # raises for a damaged zip
        self._infos: list = infos if infos is not None else self._zf.infolist()  # type: ignore[union-attr]

    def infolist(self) -> list:
        return self._infos

    def _real(self) -> zipfile.ZipFile:
        if self._zf is None:
            self._zf = zipfile.ZipFile(self._raw)
        return self._zf

    def _info(self, member: str | _Member | zipfile.ZipInfo) -> str | zipfile.ZipInfo:
        return self._real().infolist()[member.index] if isinstance(member, _Member) else member

    def open(self, member: str | _Member | zipfile.ZipInfo):  # noqa: ANN201 - a zipfile.ZipExtFile
        return self._real().open(self._info(member))

    def read(self, member: str | _Member | zipfile.ZipInfo) -> bytes:
        return self._real().read(self._info(member))

    def close(self) -> None:
        if self._zf is not None:
            self._zf.close()

    def __enter__(self) -> _Zip:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


# What the scans below accept: a real zip or the guard's lazy one, and their members.
ZipLike = "zipfile.ZipFile | _Zip"
MemberLike = "zipfile.ZipInfo | _Member"


def _examine_zip(data: bytes, ins: Inspection, limits: Limits) -> None:
    raw = io.BytesIO(data)
    try:
        zf = _Zip(raw, data)
    except DAMAGED as e:  # BadZipFile, NotImplementedError (bad version), OSError…
        ins.refuse(F001(None, None, detail=Text(f"压缩结构损坏：{type(e).__name__}: {e}", f"damaged zip: {type(e).__name__}: {e}")))
        return
    with zf:
        infos = zf.infolist()
        if len(infos) > MAX_MEMBERS:
            ins.refuse(F006(None, None, expected=Text(f"{MAX_MEMBERS} 个部件", f"{MAX_MEMBERS} members"),
                                     detail=Text(f"{len(infos)} 个部件", f"{len(infos)} members")))
            return
        names = {i.filename for i in infos}
        if len(names) != len(infos):
            # Two members of one name: parsers disagree on which one counts (calamine and
            # openpyxl take the last, others the first), so what is checked may not be
            # what a reviewer sees in Excel.
            twice = sorted(n for n, k in Counter(i.filename for i in infos).items() if k > 1)
            ins.refuse(F001(None, None, detail=Text(f"压缩包中同一部件出现两次：{'、'.join(twice[:3])}",
                                                           f"a part appears twice: {', '.join(twice[:3])}")))
            return
        if "xl/workbook.xml" in names:
            ins.fmt = "xlsx"
        elif "xl/workbook.bin" in names:
            ins.fmt = "xlsb"
        elif "content.xml" in names and _is_ods(zf, names):
            ins.fmt = "ods"
        elif "word/document.xml" in names:
            ins.refuse(F003(None, None, detail=Text("Word 文档", "a Word document")))
            return
        elif "ppt/presentation.xml" in names:
            ins.refuse(F003(None, None, detail=Text("PowerPoint 文档", "a PowerPoint document")))
            return
        else:
            ins.refuse(F010(None, None))
            return
        # Zip bomb: refuse by the declared sizes before anything is inflated.
        total = sum(i.file_size for i in infos)
        if total > limits.max_uncompressed_mb * MB:
            ins.refuse(F006(None, None, expected=f"{limits.max_uncompressed_mb:g} MB",
                            detail=Text(f"解压后共 {total / MB:.1f} MB", f"{total / MB:.1f} MB uncompressed")))
            return
        for i in infos:
            if i.file_size > RATIO_FLOOR_BYTES:
                ratio = i.file_size / max(i.compress_size, 1)
                if ratio > limits.max_compression_ratio:
                    ins.refuse(F006(None, None, expected=f"{limits.max_compression_ratio:g}:1",
                                    detail=Text(f"{i.filename} 压缩比 {ratio:.0f}:1", f"{i.filename} ratio {ratio:.0f}:1")))
                    return
        if "xl/vbaProject.bin" in names:
            ins.findings.append(F012(None, None))
        tall: list[tuple[str, int]] = []  # (part, row) below max_rows
        wide: list[tuple[str, str]] = []  # (part, reference) beyond column ZZ
        try:
            for i in infos:
                low = i.filename.lower()
                if not low.endswith((".xml", ".rels", ".vml")):
                    continue
                sheet = ins.fmt == "xlsx" and _SHEET_PART_RE.match(i.filename) is not None
                # A sheet part is inflated whole once (for the far-cell scan), its head from that.
                body = _inflate_whole(zf, i, raw) if sheet and i.file_size <= WHOLE_BYTES else None
                head = _head_of(body) if body is not None else _prolog(zf, i, raw)
                if _has_dtd(head, i.file_size):
                    ins.refuse(F008(None, None, part=i.filename))
                    return
                if ins.fmt == "xlsx" and low == "xl/sharedstrings.xml":
                    # calamine reserves 24 bytes per *declared* string before reading one;
                    # each needs at least '<si/>' (5 bytes), so a larger count is a lie that
                    # makes it allocate gigabytes and abort the process.
                    m = _UNIQUE_COUNT_RE.search(head)
                    if m and int(m.group(1)) > max(i.file_size // 5, 1024):
                        ins.refuse(F006(None, None, expected=Text(f"{i.file_size // 5} 个字符串", f"{i.file_size // 5} strings"),
                                        detail=Text(f"{i.filename} 声明 {int(m.group(1))} 个字符串",
                                                    f"{i.filename} declares {int(m.group(1))} strings")))
                        return
                if sheet:
                    m = _DIMENSION_RE.search(head)
                    if m and int(m.group(1)) > limits.max_rows:
                        tall.append((i.filename, int(m.group(1))))
                    else:
                        far = (_far_ref(body, limits.max_rows) if body is not None
                               else _far_cell(zf, i, raw, limits.max_rows))
                        kind = _far_kind(far, limits.max_rows) if far is not None else None
                        if kind is not None and kind[0] == "rows":
                            tall.append((i.filename, kind[1]))
                        elif kind is not None:
                            wide.append((i.filename, far))
            if ins.fmt == "ods":
                tall.extend(_ods_tall_tables(zf, limits))
            if tall:  # name the sheet (the parts are known to be free of DTDs by now)
                part, rows = tall[0]
                name = _sheet_name(zf, part) if ins.fmt == "xlsx" else part
                ins.refuse(F007(name, None, expected=limits.max_rows, actual=rows, sheet_name=name or part))
                return
            if wide:
                part, ref = wide[0]
                name = _sheet_name(zf, part)
                ins.refuse(F023(name, None, expected=MAX_COLUMNS, actual=ref, sheet_name=name or part))
                return
        except DAMAGED as e:
            ins.refuse(F001(None, None, detail=Text(f"压缩数据损坏：{type(e).__name__}: {e}", f"damaged zip data: {type(e).__name__}: {e}")))


def sheet_parts(zf: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name → worksheet part of an xlsx, from workbook.xml and its relationships
    (parsed as XML: any quoting, prefix or attribute order).  Call only after
    :func:`examine` has refused DTDs.  A missing or malformed part raises."""
    return {name: part for part, name in _sheet_names(zf).items()}


def _sheet_names(zf: ZipLike) -> dict[str, str]:
    """Worksheet part → sheet name."""
    import posixpath

    from defusedxml.ElementTree import fromstring

    def local(tag: str) -> str:
        return tag.rpartition("}")[2]

    targets = {}
    for el in fromstring(zf.read("xl/_rels/workbook.xml.rels"), forbid_dtd=True).iter():
        if local(el.tag) == "Relationship" and el.get("Id") is not None:
            t = (el.get("Target") or "").strip()
            targets[el.get("Id")] = posixpath.normpath(t.lstrip("/") if t.startswith("/") else "xl/" + t)
    out = {}
    for el in fromstring(zf.read("xl/workbook.xml"), forbid_dtd=True).iter():
        if local(el.tag) != "sheet":
            continue
        # The relationship id is the namespaced 'id' (r:id); sheetId is something else.
        rid = next((v for k, v in el.attrib.items() if k.startswith("{") and local(k) == "id"), None)
        part = targets.get(rid or "")
        if part:
            out[part] = el.get("name") or ""
    return out


def _sheet_name(zf: ZipLike, part: str) -> str | None:
    """The name of the sheet a part holds, for a refusal; None when the workbook's own
    parts do not say (they may be what is damaged: the refusal then names the part)."""
    try:
        return _sheet_names(zf).get(part)
    except (KeyError, *DAMAGED):
        return None


_ODS_ROWS_REP_RE = re.compile(rb'number-rows-repeated\s*=\s*["\'](\d+)["\']')
_ODS_COLS_REP_RE = re.compile(rb'columns-repeated\s*=\s*["\'](\d+)["\']')
_ODS_TABLE_RE = re.compile(rb"<table:table[ \t\r\n>]")
_ODS_NAME_RE = re.compile(rb'table:name\s*=\s*(?:"([^"]*)"|\'([^\']*)\')')
# Filled cells a sheet may expand to (rows × columns after repeats): an ODS row or cell
# can be 'repeated' a million times in a few bytes, and parsers expand it in memory.
MAX_CELLS_PER_ROW = 200


def _ods_filled_cells(body: bytes) -> int:
    """Cells with a value in one ODS row body, counting column repeats (bytes ops, and a
    regex only over the repeat attributes: a regex per cell costs ~10 µs, too much for a
    guard)."""
    filled = max(body.count(b"office:value-type"), body.count(b"<text:p"))
    for m in _ODS_COLS_REP_RE.finditer(body):
        lt, gt = body.rfind(b"<", 0, m.start()), body.find(b">", m.end())
        tag = body[lt:gt + 1]
        if b"value-type" in tag or not tag.endswith(b"/>"):
            filled += int(m.group(1)) - 1
    return filled


def _ods_tall_tables(zf: ZipLike, limits: Limits) -> list[tuple[str, int]]:
    """ODS tables whose rows holding values (after repeats) exceed ``max_rows``, or
    whose filled cells exceed ``max_rows × MAX_CELLS_PER_ROW``.  Empty repeated rows
    (LibreOffice writes a million styled empty rows at the end of every sheet) are fine.
    Scanned with bytes.find: a regex over content.xml costs ten times more."""
    import html

    try:
        data = zf.read("content.xml")
    except KeyError:
        return []
    out = []
    starts = [m.start() for m in _ODS_TABLE_RE.finditer(data)]
    for n, t in enumerate(starts):
        end = starts[n + 1] if n + 1 < len(starts) else len(data)
        tag = data[t:data.find(b">", t)]
        name = _ODS_NAME_RE.search(tag)
        rows = cells = 0
        pos = t
        while True:
            i = data.find(b"<table:table-row", pos, end)
            if i < 0:
                break
            j = data.find(b">", i, end)
            if j < 0:
                break
            nxt = data[i + 16:i + 17]
            if nxt not in (b" ", b"\t", b"\r", b"\n", b">", b"/") or data[j - 1:j] == b"/":
                pos = j + 1
                continue  # <table:table-rows>, a row group, or an empty self-closed row
            k = data.find(b"</table:table-row>", j, end)
            k = end if k < 0 else k
            body = data[j + 1:k]
            if b"value-type" not in body and b"<text:" not in body:
                pos = k + 1
                continue  # no values in this row, however often it repeats
            filled = _ods_filled_cells(body)
            if filled:
                rep = _ODS_ROWS_REP_RE.search(data, i, j)
                reps = int(rep.group(1)) if rep else 1
                rows += reps
                cells += reps * filled
            pos = k + 1
        if rows > limits.max_rows or cells > limits.max_rows * MAX_CELLS_PER_ROW:
            label = html.unescape((name.group(1) or name.group(2)).decode("utf-8", "replace")) if name else "?"
            out.append((label, rows))
    return out


def _is_ods(zf: ZipLike, names: set[str]) -> bool:
    if "mimetype" in names:
        try:
            with zf.open("mimetype") as fh:
                return b"opendocument.spreadsheet" in fh.read(100)
        except DAMAGED:  # a damaged mimetype member: not ODS
            return False
    return False


MAX_COLUMNS = 702  # column ZZ: no form needs more, and a cell at XFD… makes parsers allocate rows × 16384


# Sheet parts up to this size are inflated whole (one zlib call, one scan); larger ones
# are scanned in chunks so memory stays bounded.
WHOLE_BYTES = 8 * MB
# Upper-case letters and quotes → 'A', digits → '0'; whitespace is deleted, so every
# spelling of a reference attribute ('r = "XFD1"') reads 'r=AAAA0' (see _far_ref).
_REF_SHAPES = bytes.maketrans(b"ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789'\"", b"A" * 26 + b"0" * 10 + b"AA")


def _far_ref_regex(max_rows: int) -> re.Pattern[bytes]:
    # Any quoting or spacing of the attribute; the (rare) matches are then checked to be
    # a real ' r=' attribute, not the end of another name ('paper=').
    return re.compile(rb'r\s*=\s*["\']([A-Z]{3,}[0-9]*|[A-Z]{0,2}[0-9]{%d,})' % len(str(max_rows)))


def _far_match(m: re.Match[bytes], buf: bytes, max_rows: int) -> str | None:
    """The reference a match holds when it is a real ' r=' attribute beyond column ZZ or
    below ``max_rows`` (see :func:`_far_kind`), else None."""
    if buf[m.start() - 1:m.start()] not in (b" ", b"\t", b"\n", b"\r"):
        return None
    ref = m.group(1).decode()
    return ref if _far_kind(ref, max_rows) is not None else None


def _far_kind(ref: str, max_rows: int) -> tuple[str, int] | None:
    """('columns', column) for a reference beyond column ZZ, ('rows', row) for one below
    ``max_rows``, None for a reference within bounds ('A1', 'ZZ5000')."""
    letters = ref.rstrip("0123456789")
    if len(letters) >= 3:
        col = 0
        for ch in letters:
            col = col * 26 + ord(ch) - 64
        return "columns", col
    row = int(ref[len(letters):] or 0)
    return ("rows", row) if row > max_rows else None


def _far_ref(data: bytes, max_rows: int) -> str | None:
    """:func:`_far_cell` over a whole inflated part.

    The exact scan is a regex tried at every 'r' — a third of a millisecond per sheet.
    So the part is first mapped to the shapes of its references (C-speed translate and
    substring search): only when some reference attribute could be far — three letters,
    or a row with as many digits as ``max_rows`` — does the exact scan run.  A sheet of
    fewer than 1000 rows rarely needs it.
    """
    shapes = data.translate(_REF_SHAPES, b" \t\r\n")
    # r=AAAA: a quote and three letters; A0000: a quote or letter, then a row as long as
    # max_rows (this also catches other attributes, which the exact scan then rules out).
    if b"r=AAAA" not in shapes and b"A" + b"0" * len(str(max_rows)) not in shapes:
        return None
    for m in _far_ref_regex(max_rows).finditer(data):
        far = _far_match(m, data, max_rows)
        if far is not None:
            return far
    return None


def _far_cell(zf: ZipLike, info: MemberLike, fh: BinaryIO, max_rows: int) -> str | None:
    """A cell or row beyond ``max_rows`` (or beyond column ZZ) anywhere in a sheet part,
    whatever its <dimension> says: calamine sizes a sheet by its farthest cell, so one
    cell at XFD1048576 in a 20 KB file makes it allocate half a terabyte and abort.

    Returns the offending reference ('A999999', 'XFD1'), or None.
    Only candidates are parsed: row numbers with as many digits as ``max_rows`` and
    columns of three letters — normal sheets have none, so the scan is a C-speed search.
    """
    rx = _far_ref_regex(max_rows)
    tail = b""
    for chunk in _inflate_chunks(zf, info, fh):
        buf = tail + chunk
        for m in rx.finditer(buf):
            far = _far_match(m, buf, max_rows)
            if far is not None:
                return far
        tail = _carry(buf)
    return None


# The end of a chunk that may be the start of a reference attribute (ws r ws = ws " ref),
# reversed so it is matched from the end of the chunk in time linear in its length.
_OPEN_REF_REVERSED_RE = re.compile(rb'(?:(?:[A-Z0-9]*["\'])?\s*=)?\s*r[ \t\r\n]')
_XML_WS_RE = re.compile(rb"[ \t\r\n]+")


def _carry(buf: bytes) -> bytes:
    """What of ``buf`` the next chunk's scan must see: an attribute cut by the chunk
    boundary, with its whitespace runs collapsed (an attribute may be spread over any
    amount of whitespace, so a fixed-size tail could miss it), else the last 32 bytes."""
    m = _OPEN_REF_REVERSED_RE.match(buf[::-1])
    if m is None:
        return buf[-32:]
    return _XML_WS_RE.sub(b" ", buf[len(buf) - m.end():])


def _inflate_chunks(zf: ZipLike, info: MemberLike, fh: BinaryIO, size: int = 1 << 20):
    """A member's bytes in chunks of about ``size``, read straight from the file for
    deflated members (zipfile's reader costs more than the scan)."""
    if not info.flag_bits & 1 and info.compress_type == zipfile.ZIP_DEFLATED and _seek_data(info, fh):
        d = zlib.decompressobj(-15)
        remaining = info.compress_size
        while remaining > 0 and not d.eof:
            data = fh.read(min(size, remaining))
            if not data:
                break
            remaining -= len(data)
            out = d.decompress(data, size * 4)
            while True:
                if out:
                    yield out
                if not d.unconsumed_tail:
                    break
                out = d.decompress(d.unconsumed_tail, size * 4)
        return
    with zf.open(info) as f:
        while True:
            chunk = f.read(size)
            if not chunk:
                return
            yield chunk


def _inflate_whole(zf: ZipLike, info: MemberLike, fh: BinaryIO) -> bytes:
    """A member's bytes, inflated in one call for a deflated member.  Never more than
    its declared size: a part that inflates beyond it is cut there (calamine, which
    trusts the data, is then stopped by the declared-size limits anyway)."""
    comp = _raw_member(info, fh) if not info.flag_bits & 1 else None
    if comp is not None and info.compress_type == zipfile.ZIP_DEFLATED:
        return zlib.decompressobj(-15).decompress(comp, info.file_size + 1)
    if comp is not None and info.compress_type == zipfile.ZIP_STORED:
        return comp
    with zf.open(info) as f:
        return f.read(info.file_size + 1)


def _seek_data(info: MemberLike, fh: BinaryIO) -> bool:
    """Move ``fh`` to the start of a member's data, past its local header; False when
    no local header is there (zipfile then reads the member, and judges it)."""
    fh.seek(info.header_offset)
    hdr = fh.read(30)
    if len(hdr) != 30 or hdr[:4] != b"PK\x03\x04":
        return False
    n, m = struct.unpack("<HH", hdr[26:30])
    fh.seek(info.header_offset + 30 + n + m)
    return True


def _raw_member(info: MemberLike, fh: BinaryIO) -> bytes | None:
    """The stored (compressed) bytes of a member, read after its local header."""
    return fh.read(info.compress_size) if _seek_data(info, fh) else None


def _head_of(body: bytes) -> bytes:
    """What :func:`_prolog` returns, taken from a part already inflated."""
    head = body[:4096]
    if len(head) == 4096 and not _ROOT_RE.search(head):
        head = body[:PROLOG_BYTES]
    return head


def _prolog(zf: ZipLike, info: MemberLike, fh: BinaryIO | None = None) -> bytes:
    """The first bytes of a part: 4 KB, or up to PROLOG_BYTES when no root element shows
    in the first 4 KB (inflating only what is needed keeps the guard cheap).

    With ``fh`` (the file, opened once) deflated and stored members are read straight
    from their local header — zipfile.open costs more than the inflating here."""
    plain = not info.flag_bits & 1 and info.compress_type in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED)
    if fh is not None and plain and _seek_data(info, fh):
        if info.compress_type == zipfile.ZIP_STORED:
            return _head_of(fh.read(min(info.file_size, PROLOG_BYTES)))
        return _inflate_head(fh, info)
    with zf.open(info) as f:
        return _head_of(f.read(PROLOG_BYTES))


def _inflate_head(fh: BinaryIO, info: MemberLike) -> bytes:
    """:func:`_prolog` of a deflated member, ``fh`` at its data: only as much inflated
    as the answer needs."""
    d = zlib.decompressobj(-15)
    remaining = info.compress_size
    out = b""
    want = 4096
    while True:
        while len(out) < want and not d.eof:
            if d.unconsumed_tail:
                data = d.unconsumed_tail
            else:
                if remaining <= 0:
                    break
                data = fh.read(min(16384, remaining))
                if not data:
                    break
                remaining -= len(data)
            out += d.decompress(data, want - len(out))
        if want == 4096 and len(out) == 4096 and not _ROOT_RE.search(out):
            want = PROLOG_BYTES
            continue
        return out


def _has_dtd(head: bytes, size: int) -> bool:
    """True when the part declares a DOCTYPE/ENTITY before its root element, or hides
    its root beyond the prolog window (padding to push a DOCTYPE past the scan)."""
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            head = head.decode("utf-16").encode("utf-8")
        except UnicodeDecodeError:
            return True
    # The root is the first '<' followed by a name (not '<?' or '<!').
    root = _ROOT_RE.search(head)
    end = root.start() if root else len(head)
    if _DOCTYPE_RE.search(head, 0, end):
        return True
    return root is None and size > len(head)
