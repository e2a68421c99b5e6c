"""Who is using the operator console: a signed session cookie (``troly06_console``,
HttpOnly, SameSite=Strict, path /console), the account read from the database on every
request, a CSRF token on every change, and role checks. Domain in :mod:`console.accounts`."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

from fastapi import Depends, Request

from api.deps import SettingsDep
from api.errors import ApiError, ErrorBody
from console.accounts import Operator, csrf_ok, get_account, session_user
from troly06.wording import table

COOKIE = "troly06_console"
# documented on every console route (the OpenAPI schema lists what a client can get)
RESPONSES: dict[int | str, dict[str, Any]] = {
    code: {"model": ErrorBody, "description": desc} for code, desc in {
        401: "Chưa đăng nhập / Login required", 403: "CSRF, vai trò, đơn vị / CSRF, role, unit",
        404: "Không tìm thấy / Not found", 409: "Xung đột trạng thái / State conflict",
        413: "Quá dài / Too long", 422: "Dữ liệu không hợp lệ / Invalid input",
        429: "Quá nhiều yêu cầu / Rate limited"}.items()}
CSRF_HEADER = "X-CSRF-Token"
_EN = {"login_required": "Console login required.", "csrf_invalid": "Missing or bad CSRF token.",
       "forbidden_role": "Your role does not allow this.", "login_failed": "Wrong credentials."}


def console_error(status: int, code: str, en: str = "") -> ApiError:
    """An API error with the console catalogue's Vietnamese message for ``code``."""
    errors = table("console.errors")
    return ApiError(status, code, errors.get(code, errors["not_found"]),
                    en or _EN.get(code, code.replace("_", " ")))


def current_operator(request: Request, settings: SettingsDep) -> Operator:
    """The logged-in console user (401 without a valid session)."""
    token = request.cookies.get(COOKIE)
    username = session_user(token, settings.secret("session"))
    account = get_account(settings.sqlalchemy_url, username) if username else None
    if account is None:
        raise console_error(401, "login_required")
    request.state.console_token = token
    return account


def writing_operator(request: Request,
                     operator: Annotated[Operator, Depends(current_operator)],
                     settings: SettingsDep) -> Operator:
    """The console user of a state-changing request: the CSRF header must match (403)."""
    if not csrf_ok(request.state.console_token, request.headers.get(CSRF_HEADER),
                   settings.secret("session")):
        raise console_error(403, "csrf_invalid")
    return operator


def role(*roles: str, write: bool = True) -> Callable[..., Operator]:
    """A dependency admitting admins and ``roles`` (403 for any other role)."""
    base = writing_operator if write else current_operator

    def check(operator: Operator = Depends(base)) -> Operator:  # noqa: B008 - a closure
        if not operator.may(*roles):
            raise console_error(403, "forbidden_role")
        return operator

    return check


ReaderDep = Annotated[Operator, Depends(current_operator)]
WriterDep = Annotated[Operator, Depends(writing_operator)]


def state(request: Request, name: str) -> Any:
    """A part of the app the console uses (handoff gate, deliverer)."""
    return getattr(request.app.state, name)
