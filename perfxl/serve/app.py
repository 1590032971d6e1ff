"""The web application: the clerk's page, the bureau's page, their forms and downloads.

Every route sits under a link token: ``/d/<token>`` is one department's page,
``/a/<token>`` the bureau's.  Anything else is a 404.  Pages are rendered on the server
(Jinja2, autoescaped); the one script only lets a file be dropped onto the form.

Blocking work never runs on the event loop: database calls and file copies run in
Starlette's thread pool, and a check waits for one of ``jobs`` worker processes
(:class:`perfxl.serve.checker.Checker`) behind an asyncio semaphore, so uploads queue
without holding threads that page views need.
"""

from __future__ import annotations

import asyncio
import contextlib
import csv
import hashlib
import io
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO, Callable
from urllib.parse import quote, urlencode

from jinja2 import Environment, PackageLoader, select_autoescape
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, RedirectResponse, Response
from starlette.routing import Route

from perfxl.batch import SPREADSHEET_SUFFIXES, is_lock_file
from perfxl.safe import csv_text, safe_filename

from perfxl.serve import i18n
from perfxl.serve.checker import Checker
from perfxl.serve.export import Exporter
from perfxl.serve.security import FORM_OVERHEAD, BodyLimit, RequestTooLarge, SecurityHeaders, csrf_ok, \
    csrf_token, same_origin
from perfxl.serve.store import Department, Store, Version
from perfxl.serve.views import changes, group_by_sheet, inbox_rows, missing_explanations, shown, warnings_of

__all__ = ["create_app", "Settings"]

_MB = 1024 * 1024
_CHUNK = 1 << 20


@dataclass
class Settings:
    """What the application needs: the store, the rulebook, the worker count."""

    store: Store
    rulebook: Any
    jobs: int | None = None


class _Fail(Exception):
    """A request that cannot be served: rendered as the error page."""

    def __init__(self, status: int, key: str, **values: Any):
        super().__init__(key)
        self.status, self.key, self.values = status, key, values


def _lang(request: Request) -> str:
    lang = request.query_params.get("lang", "zh")
    return lang if lang in i18n.LANGS else "zh"


def _suffix(lang: str) -> str:
    return "?lang=en" if lang == "en" else ""


def _download(path: Path, filename: str) -> FileResponse:
    """A file as an attachment; the name is made safe (it may quote a department)."""
    return FileResponse(path, filename=filename, content_disposition_type="attachment")


class _App:
    def __init__(self, settings: Settings):
        self.store = settings.store
        self.rulebook = settings.rulebook
        self.checker = Checker(settings.rulebook, settings.jobs)
        self.exporter = Exporter(self.store, settings.rulebook, self.checker.jobs)
        self.slots = asyncio.Semaphore(self.checker.jobs)
        self.max_file = int(settings.rulebook.limits.max_file_mb * _MB)
        self.env = Environment(loader=PackageLoader("perfxl.serve", "templates"),
                               autoescape=select_autoescape(default=True, default_for_string=True))
        from importlib import resources

        static = resources.files("perfxl.serve").joinpath("static")
        self.css = static.joinpath("app.css").read_text("utf-8")
        self.js = static.joinpath("app.js").read_text("utf-8")

    # --- rendering -------------------------------------------------------------------

    def render(self, request: Request, template: str, status: int = 200, **context: Any) -> HTMLResponse:
        lang = _lang(request)

        def t(key: str, **values: Any) -> str:
            return i18n.text(key, lang, **values)

        html = self.env.get_template(template).render(
            t=t, lang=lang, q=_suffix(lang), nonce=request.state.nonce, css=self.css, js=self.js,
            verdict=lambda v: i18n.verdict(v.status, v.errors, v.warnings, lang),
            status_text=lambda s: i18n.status_text(s, lang),
            severity_text=lambda s: i18n.severity_text(s, lang),
            message=lambda f: f["message_en"] if lang == "en" else f["message"],
            shown=shown, score=_score, when=_when, other_lang_url=_other_lang_url(request, lang),
            **context)
        return HTMLResponse(html, status_code=status)

    def fail_page(self, request: Request, fail: _Fail) -> HTMLResponse:
        lang = _lang(request)
        return self.render(request, "error.html", status=fail.status,
                           error=i18n.text(fail.key, lang, **fail.values))

    # --- lookups ---------------------------------------------------------------------

    def department(self, token: str) -> Department:
        dept = self.store.department_by_token(token)
        if dept is None:
            raise _Fail(404, "not_found")
        return dept

    def admin(self, token: str) -> None:
        if not self.store.is_admin(token):
            raise _Fail(404, "not_found")

    def version_or_404(self, dept: Department, number: int) -> Version:
        v = self.store.version(dept.id, number)
        if v is None:
            raise _Fail(404, "not_found")
        return v

    def check_form(self, request: Request, form: Any, link: str, action: str) -> None:
        if not same_origin(request.headers) or not csrf_ok(self.store.secret, link, action, form.get("csrf")):
            raise _Fail(403, "bad_csrf")

    # --- the department page ---------------------------------------------------------

    def department_context(self, dept: Department, number: int | None, base: str, link: str,
                           read_only: bool) -> dict[str, Any]:
        versions = self.store.versions(dept.id)
        current = None
        if number is not None:
            current = next((v for v in versions if v.number == number), None)
            if current is None:
                raise _Fail(404, "not_found")
        elif versions:
            current = versions[0]
        previous = None
        if current is not None:
            previous = next((v for v in versions if v.number < current.number), None)
        submission = self.store.submission(dept.id)
        secret = self.store.secret
        return {
            "dept": dept, "versions": versions, "v": current, "base": base, "read_only": read_only,
            "groups": group_by_sheet(current.findings) if current else [],
            "changes": changes(current, previous) if current else None,
            "to_explain": warnings_of(current) if current else [],
            "submission": submission,
            "csrf_upload": csrf_token(secret, link, "upload"),
            "csrf_submit": csrf_token(secret, link, f"submit:{current.number}") if current else "",
            "max_mb": self.rulebook.limits.max_file_mb,
            "explanations": submission.explanations if submission and current
            and submission.version_id == current.id else {},
            "missing": [], "done": None,
        }

    async def clerk_page(self, request: Request) -> Response:
        token = request.path_params["token"]
        number = request.path_params.get("n")

        def build() -> dict[str, Any]:
            dept = self.department(token)
            return self.department_context(dept, number, f"/d/{token}", token, read_only=False)

        ctx = await run_in_threadpool(build)
        ctx["done"] = request.query_params.get("done")
        return self.render(request, "department.html", **ctx)

    async def upload(self, request: Request) -> Response:
        token = request.path_params["token"]
        dept = await run_in_threadpool(self.department, token)
        try:
            async with request.form(max_files=1, max_fields=8, max_part_size=64 * 1024) as form:
                return await self._upload_form(request, dept, form)
        except RequestTooLarge:
            raise _Fail(413, "too_large", mb=f"{self.rulebook.limits.max_file_mb:g}") from None

    async def _upload_form(self, request: Request, dept: Department, form: Any) -> Response:
        token = request.path_params["token"]
        self.check_form(request, form, token, "upload")
        upload = form.get("file")
        if not isinstance(upload, UploadFile) or not upload.filename:
            raise _Fail(400, "no_file")
        filename = _client_name(upload.filename)
        suffix = Path(filename).suffix.lower()
        if is_lock_file(filename):
            raise _Fail(400, "lock_file", name=filename)
        if suffix not in SPREADSHEET_SUFFIXES:
            raise _Fail(400, "bad_suffix", name=filename)
        version = await self._accept(dept, upload.file, filename, suffix)
        return RedirectResponse(_url(f"/d/{token}/v/{version.number}", _lang(request)), status_code=303)

    async def _accept(self, dept: Department, source: BinaryIO, filename: str, suffix: str) -> Version:
        """Store the upload in ``.incoming/``, check it in a worker, then publish it."""
        work = await run_in_threadpool(self.store.incoming_dir)
        try:
            upload = work / f"{safe_filename(dept.name)}{suffix}"
            annotated = work / "annotated.xlsx"
            size, digest = await run_in_threadpool(_save, source, upload)
            async with self.slots:
                record, has_copy = await run_in_threadpool(self.checker.check, upload, annotated, filename)
            return await run_in_threadpool(
                lambda: self.store.add_version(dept.id, upload=upload, annotated=annotated if has_copy else None,
                                               filename=filename, size=size, sha256=digest, record=record))
        finally:
            await run_in_threadpool(shutil.rmtree, work, True)

    async def submit(self, request: Request) -> Response:
        token, number = request.path_params["token"], request.path_params["n"]
        dept = await run_in_threadpool(self.department, token)
        async with request.form(max_files=0, max_fields=20_000, max_part_size=64 * 1024) as form:
            self.check_form(request, form, token, f"submit:{number}")
            version = await run_in_threadpool(self.version_or_404, dept, number)
            if not version.can_submit:
                raise _Fail(409, "submit_blocked" if version.readable else "submit_unreadable")
            explanations = {f["key"]: str(form.get(f"explain:{f['key']}", "")).strip()[:2000]
                            for f in warnings_of(version)}
        missing = missing_explanations(version, explanations, self.rulebook.placeholders)
        if missing:
            ctx = await run_in_threadpool(self.department_context, dept, number, f"/d/{token}", token, False)
            ctx.update(explanations=explanations, missing=missing)
            return self.render(request, "department.html", status=400, **ctx)
        await run_in_threadpool(self.store.submit, version, explanations)
        return RedirectResponse(_url(f"/d/{token}/v/{number}", _lang(request), done="submitted"), status_code=303)

    async def clerk_file(self, request: Request) -> Response:
        token, number, kind = request.path_params["token"], request.path_params["n"], request.path_params["kind"]

        def find() -> tuple[Department, Version]:
            dept = self.department(token)
            return dept, self.version_or_404(dept, number)

        dept, version = await run_in_threadpool(find)
        return self.version_file(dept, version, kind)

    def version_file(self, dept: Department, version: Version, kind: str) -> Response:
        stem = safe_filename(version.unit_name or dept.name)
        if kind == "annotated" and version.annotated:
            return _download(self.store.path_of(version.annotated), f"{stem}_第{version.number}版_标注.xlsx")
        if kind == "original":
            suffix = Path(version.stored).suffix
            return _download(self.store.path_of(version.stored), f"{stem}_第{version.number}版{suffix}")
        raise _Fail(404, "not_found")

    # --- the bureau's page -----------------------------------------------------------

    async def bureau_page(self, request: Request) -> Response:
        token = request.path_params["token"]

        def build() -> dict[str, Any]:
            self.admin(token)
            depts = self.store.departments()
            subs = self.store.submissions()
            rows = inbox_rows(depts, self.store.latest_versions(), subs)
            export = self.exporter.current()
            return {"rows": rows, "export": export, "has_submissions": bool(subs),
                    "waiting": [r.department for r in rows if r.submission is None],
                    "csrf": lambda action: csrf_token(self.store.secret, token, action),
                    "base": f"/a/{token}", "origin": _origin(request)}

        ctx = await run_in_threadpool(build)
        ctx["notice"] = _notice(request)
        return self.render(request, "bureau.html", **ctx)

    async def add_departments(self, request: Request) -> Response:
        token = request.path_params["token"]
        await run_in_threadpool(self.admin, token)
        async with request.form(max_files=0, max_fields=4, max_part_size=256 * 1024) as form:
            self.check_form(request, form, token, "departments")
            names = str(form.get("names", "")).splitlines()
        added = await run_in_threadpool(self.store.add_departments, names)
        return _back(request, token, "added", len(added))

    async def department_action(self, request: Request) -> Response:
        token, dept_id, action = (request.path_params["token"], request.path_params["id"],
                                  request.path_params["action"])
        await run_in_threadpool(self.admin, token)
        async with request.form(max_files=0, max_fields=4, max_part_size=4096) as form:
            self.check_form(request, form, token, f"{action}:{dept_id}")
        dept = await run_in_threadpool(self.store.department, dept_id)
        if dept is None or action not in ("revoke", "reissue"):
            raise _Fail(404, "not_found")
        await run_in_threadpool(self.store.revoke if action == "revoke" else self.store.reissue, dept_id)
        return _back(request, token, f"{action}d", dept_id)

    async def admin_department(self, request: Request) -> Response:
        token, dept_id = request.path_params["token"], request.path_params["id"]
        number = request.path_params.get("n")

        def build() -> dict[str, Any]:
            self.admin(token)
            dept = self.store.department(dept_id)
            if dept is None:
                raise _Fail(404, "not_found")
            return self.department_context(dept, number, f"/a/{token}/departments/{dept_id}", token, True)

        ctx = await run_in_threadpool(build)
        ctx["bureau"] = f"/a/{token}"
        return self.render(request, "department.html", **ctx)

    async def admin_file(self, request: Request) -> Response:
        token, dept_id = request.path_params["token"], request.path_params["id"]
        number, kind = request.path_params["n"], request.path_params["kind"]

        def find() -> tuple[Department, Version]:
            self.admin(token)
            dept = self.store.department(dept_id)
            if dept is None:
                raise _Fail(404, "not_found")
            return dept, self.version_or_404(dept, number)

        dept, version = await run_in_threadpool(find)
        return self.version_file(dept, version, kind)

    async def links_csv(self, request: Request) -> Response:
        token = request.path_params["token"]
        await run_in_threadpool(self.admin, token)
        depts = await run_in_threadpool(self.store.departments)
        origin = _origin(request)
        buf = io.StringIO()
        w = csv.writer(buf)
        w.writerow(["部门", "上传链接"])
        for d in depts:
            w.writerow([csv_text(d.name), f"{origin}/d/{d.token}" if d.token else "（已停用）"])
        return Response(("\ufeff" + buf.getvalue()).encode("utf-8"), media_type="text/csv; charset=utf-8",
                        headers={"content-disposition": "attachment; filename*=UTF-8''" + quote("部门链接.csv")})

    async def export_file(self, request: Request) -> Response:
        token, name = request.path_params["token"], request.path_params["name"]
        await run_in_threadpool(self.admin, token)
        export = await run_in_threadpool(self.exporter.build)
        if export is None or name not in export.files:
            raise _Fail(404, "not_found")
        return _download(export.files[name], name)



def _client_name(raw: str) -> str:
    """The clerk's file name for display: its last path part, without control
    characters, at most 200 characters (it never names a file on disk)."""
    name = raw.replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if ch.isprintable())
    return name[-200:] or "workbook"


def _save(source: BinaryIO, dest: Path) -> tuple[int, str]:
    """Copy the received upload to ``dest``; its size and SHA-256."""
    digest = hashlib.sha256()
    size = 0
    source.seek(0)
    with open(dest, "xb") as out:
        while chunk := source.read(_CHUNK):
            out.write(chunk)
            digest.update(chunk)
            size += len(chunk)
    return size, digest.hexdigest()


def _score(value: Any) -> str:
    return "—" if value is None else f"{value:.2f}"


def _when(iso: str | None) -> str:
    """'2025-03-01T08:05:09+00:00' → '2025-03-01 08:05 UTC' (the server keeps UTC)."""
    if not iso:
        return "—"
    return iso[:16].replace("T", " ") + " UTC"


def _origin(request: Request) -> str:
    return f"{request.url.scheme}://{request.headers.get('host', request.url.netloc)}"


def _other_lang_url(request: Request, lang: str) -> str:
    # Relative (the same path): a page never echoes the path it was asked for.
    return "?lang=zh" if lang == "en" else "?lang=en"


def _notice(request: Request) -> dict[str, str] | None:
    for key in ("added", "revoked", "reissued"):
        if key in request.query_params:
            return {"kind": key, "value": request.query_params[key][:20]}
    return None


def _url(path: str, lang: str, **params: Any) -> str:
    """``path`` with the page language and ``params`` as its query."""
    query = ({"lang": "en"} if lang == "en" else {}) | params
    return path + ("?" + urlencode(query) if query else "")


def _back(request: Request, token: str, key: str, value: Any) -> RedirectResponse:
    return RedirectResponse(_url(f"/a/{token}", _lang(request), **{key: value}), status_code=303)


def create_app(settings: Settings) -> Any:
    """The ASGI application over ``settings.store`` (wrapped in the security layers)."""
    app_ = _App(settings)

    def guarded(handler: Callable[[Request], Any]) -> Callable[[Request], Any]:
        async def endpoint(request: Request) -> Response:
            try:
                return await handler(request)
            except _Fail as fail:
                return app_.fail_page(request, fail)
            except HTTPException as e:  # a malformed form
                return app_.fail_page(request, _Fail(e.status_code, "bad_form"))

        return endpoint

    @contextlib.asynccontextmanager
    async def lifespan(_: Starlette) -> Any:
        await run_in_threadpool(app_.checker.pool.start)
        try:
            yield
        finally:
            app_.checker.close()

    routes = [
        Route("/d/{token}", guarded(app_.clerk_page)),
        Route("/d/{token}/upload", guarded(app_.upload), methods=["POST"]),
        Route("/d/{token}/v/{n:int}", guarded(app_.clerk_page)),
        Route("/d/{token}/v/{n:int}/submit", guarded(app_.submit), methods=["POST"]),
        Route("/d/{token}/v/{n:int}/{kind}", guarded(app_.clerk_file)),
        Route("/a/{token}", guarded(app_.bureau_page)),
        Route("/a/{token}/departments", guarded(app_.add_departments), methods=["POST"]),
        Route("/a/{token}/departments/{id:int}", guarded(app_.admin_department)),
        Route("/a/{token}/departments/{id:int}/v/{n:int}", guarded(app_.admin_department)),
        Route("/a/{token}/departments/{id:int}/v/{n:int}/{kind}", guarded(app_.admin_file)),
        Route("/a/{token}/departments/{id:int}/{action}", guarded(app_.department_action), methods=["POST"]),
        Route("/a/{token}/links.csv", guarded(app_.links_csv)),
        Route("/a/{token}/export/{name}", guarded(app_.export_file)),
    ]
    star = Starlette(routes=routes, lifespan=lifespan)

    async def not_found(request: Request, exc: Exception) -> Response:
        return app_.fail_page(request, _Fail(getattr(exc, "status_code", 404), "not_found"))

    star.add_exception_handler(404, not_found)
    star.add_exception_handler(405, not_found)
    limit = app_.max_file + FORM_OVERHEAD
    return SecurityHeaders(BodyLimit(star, limit))
