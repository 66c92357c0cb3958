"""Bad input as problem+json (RFC 9457) in Chinese first: validation errors, database refusals,
and the documentation of these answers in the OpenAPI schema.

The app factory turns every error into a problem body; this module says what the body is:
- request validation (FastAPI's ``RequestValidationError``): one line per wrong parameter naming
  where it is (query, path, body …), which parameter and what is wrong, in the request's language;
- a database ``IntegrityError`` (a duplicate or a dangling reference that no service check
  caught): 409 Conflict; a ``DataError`` (a value the column cannot hold): 422;
- :func:`document_problems` adds these answers to every operation of the OpenAPI schema, so
  clients see them (``application/problem+json``; pages also answer ``text/html``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any, Final

from fastapi import FastAPI
from pydantic import BaseModel

from ecogov.platform.i18n import Catalogue, register, translate
from ecogov.platform.params import REGION_PATTERN

PROBLEM_MEDIA_TYPE: Final = "application/problem+json"

MESSAGES: Final[Catalogue] = {
    "problem.invalid": ("输入有误", "Invalid input"),
    "problem.conflict": ("与现有数据冲突", "Conflict"),
    "problem.integrity": (
        "与现有数据冲突：该记录已存在，或引用的记录不存在",
        "conflict with the stored data: the record exists already, or a record it refers to "
        "does not exist",
    ),
    "problem.http.400": (
        "请求格式有误（表单或上传内容无法解析）",
        "malformed request (the form or upload cannot be read)",
    ),
    "problem.http.404": ("找不到该页面或接口", "no such page or operation"),
    "problem.http.405": ("不支持该请求方法", "method not allowed"),
    "problem.http.other": ("请求无法处理", "the request cannot be handled"),
    "problem.data": (
        "数据库无法保存该值：数值超出范围，或文本含有不允许的字符（如 NUL）",
        "the database cannot hold a value: a number out of range, or text with a forbidden "
        "character (such as NUL)",
    ),
    "where.query": ("查询参数", "query parameter"),
    "where.path": ("路径参数", "path parameter"),
    "where.body": ("请求体字段", "body field"),
    "where.header": ("请求头", "header"),
    "where.cookie": ("Cookie", "cookie"),
    "where.form": ("表单字段", "form field"),
    "invalid.missing": ("缺少必填值", "is required"),
    "invalid.int": ("应为整数", "must be an integer"),
    "invalid.float": ("应为数字", "must be a number"),
    "invalid.finite": ("应为有限数值", "must be a finite number"),
    "invalid.bool": ("应为 true 或 false", "must be true or false"),
    "invalid.string": ("应为文本", "must be text"),
    "invalid.date": ("应为日期 YYYY-MM-DD", "must be a date YYYY-MM-DD"),
    "invalid.datetime": (
        "应为日期时间（ISO 8601，如 2026-01-01T08:00:00+08:00）",
        "must be a date-time (ISO 8601, e.g. 2026-01-01T08:00:00+08:00)",
    ),
    "invalid.ge": ("应不小于 {limit}", "must be at least {limit}"),
    "invalid.gt": ("应大于 {limit}", "must be greater than {limit}"),
    "invalid.le": ("应不大于 {limit}", "must be at most {limit}"),
    "invalid.lt": ("应小于 {limit}", "must be less than {limit}"),
    "invalid.pattern": (
        "格式不符（应匹配 {pattern}）",
        "has the wrong format (must match {pattern})",
    ),
    "invalid.region": ("应为6位数字的行政区划代码", "must be a 6-digit region code"),
    "invalid.choice": ("应为以下之一：{expected}", "must be one of: {expected}"),
    "invalid.too_short": ("过短（至少 {limit}）", "is too short (at least {limit})"),
    "invalid.too_long": ("过长（至多 {limit}）", "is too long (at most {limit})"),
    "invalid.json": ("不是有效的 JSON", "is not valid JSON"),
    "invalid.object": ("应为 JSON 对象", "must be a JSON object"),
    "invalid.list": ("应为列表", "must be a list"),
    "invalid.file": ("应为上传的文件", "must be an uploaded file"),
    "invalid.other": ("取值无效（{reason}）", "is not valid ({reason})"),
    "invalid.value": ("取值无效", "is not valid"),
    "invalid.got": ("收到 {value}", "got {value}"),
}
register(MESSAGES)

_SIMPLE: Final[Mapping[str, str]] = {
    "missing": "invalid.missing",
    "int_parsing": "invalid.int",
    "int_type": "invalid.int",
    "int_from_float": "invalid.int",
    "int_parsing_size": "invalid.int",
    "float_parsing": "invalid.float",
    "float_type": "invalid.float",
    "finite_number": "invalid.finite",
    "bool_parsing": "invalid.bool",
    "bool_type": "invalid.bool",
    "string_type": "invalid.string",
    "string_unicode": "invalid.string",
    "date_parsing": "invalid.date",
    "date_from_datetime_parsing": "invalid.date",
    "date_from_datetime_inexact": "invalid.date",
    "date_type": "invalid.date",
    "datetime_parsing": "invalid.datetime",
    "datetime_from_date_parsing": "invalid.datetime",
    "datetime_type": "invalid.datetime",
    "datetime_object_invalid": "invalid.datetime",
    "json_invalid": "invalid.json",
    "model_attributes_type": "invalid.object",
    "dict_type": "invalid.object",
    "model_type": "invalid.object",
    "list_type": "invalid.list",
    "upload_file_type": "invalid.file",
}
_LIMITS: Final[Mapping[str, tuple[str, str]]] = {
    "greater_than_equal": ("invalid.ge", "ge"),
    "greater_than": ("invalid.gt", "gt"),
    "less_than_equal": ("invalid.le", "le"),
    "less_than": ("invalid.lt", "lt"),
    "string_too_short": ("invalid.too_short", "min_length"),
    "string_too_long": ("invalid.too_long", "max_length"),
    "too_short": ("invalid.too_short", "min_length"),
    "too_long": ("invalid.too_long", "max_length"),
}
_WHERE: Final = ("query", "path", "body", "header", "cookie", "form")
_SHOWN_VALUE_CHARS: Final = 40


class InvalidParameter(BaseModel):
    """One wrong parameter of a refused request."""

    where: str
    parameter: str
    message: str


class Problem(BaseModel):
    """An RFC 9457 problem: what went wrong, in the request's language (zh-CN by default)."""

    type: str = "about:blank"
    title: str
    status: int
    detail: str
    instance: str
    errors: list[InvalidParameter] | None = None


def _shown(value: Any) -> str:
    text = repr(value) if isinstance(value, str) else str(value)
    if len(text) > _SHOWN_VALUE_CHARS:
        text = text[: _SHOWN_VALUE_CHARS - 1] + "…"
    return text


def _what_is_wrong(error: Mapping[str, Any], language: str) -> str:
    """The message of one pydantic/FastAPI validation error in ``language``."""
    kind = str(error.get("type", ""))
    ctx: Mapping[str, Any] = error.get("ctx") or {}
    if kind in _SIMPLE:
        message = translate(_SIMPLE[kind], language)
    elif kind in _LIMITS:
        key, name = _LIMITS[kind]
        message = translate(key, language).format(limit=ctx.get(name, "?"))
    elif kind == "string_pattern_mismatch":
        pattern = str(ctx.get("pattern", ""))
        if pattern == REGION_PATTERN:
            message = translate("invalid.region", language)
        else:
            message = translate("invalid.pattern", language).format(pattern=pattern)
    elif kind == "value_error" and isinstance(ctx.get("error"), ValueError):
        message = str(ctx["error"])
    elif kind in ("literal_error", "enum"):
        message = translate("invalid.choice", language).format(expected=ctx.get("expected", ""))
    elif kind == "value_error":
        message = translate("invalid.value", language)
    else:
        message = translate("invalid.other", language).format(reason=error.get("msg", kind))
    if kind != "missing" and "input" in error and not isinstance(error["input"], dict | list):
        got = translate("invalid.got", language).format(value=_shown(error["input"]))
        message = f"{message}（{got}）" if language != "en" else f"{message} ({got})"
    return message


def invalid_parameters(
    errors: Sequence[Mapping[str, Any]], language: str
) -> list[InvalidParameter]:
    """Each validation error as (where, parameter, message) in ``language``."""
    found: list[InvalidParameter] = []
    for error in errors:
        loc = [str(part) for part in error.get("loc", ())]
        where = loc[0] if loc and loc[0] in _WHERE else "body"
        rest = loc[1:] if loc and loc[0] in _WHERE else loc
        parameter = ".".join(rest) or where
        found.append(
            InvalidParameter(
                where=translate(f"where.{where}", language),
                parameter=parameter,
                message=_what_is_wrong(error, language),
            )
        )
    return found


def validation_detail(invalid: Sequence[InvalidParameter], language: str) -> str:
    """One line for a refused request: every wrong parameter and what is wrong with it."""
    separator = "；" if language != "en" else "; "
    colon = "：" if language != "en" else ": "
    parts = [f"{item.where} {item.parameter}{colon}{item.message}" for item in invalid]
    return translate("problem.invalid", language) + colon + separator.join(parts)


def http_error_text(status: int, language: str) -> tuple[str, str]:
    """Title and detail of a routing refusal (no such path 404, wrong method 405 …)."""
    key = f"problem.http.{status}"
    text = translate(key, language)
    if text == key:
        text = translate("problem.http.other", language)
    return text, text


def _problem_content(html: bool) -> dict[str, Any]:
    content: dict[str, Any] = {
        PROBLEM_MEDIA_TYPE: {"schema": {"$ref": "#/components/schemas/Problem"}}
    }
    if html:
        content["text/html"] = {"schema": {"type": "string"}}
    return content


_DOCUMENTED: Final[Mapping[str, tuple[str, bool]]] = {
    # status → (description, only for operations that take input)
    "400": ("请求格式有误 / malformed request", True),
    "401": ("未登录 / not logged in", False),
    "403": ("无权访问或 CSRF 令牌无效 / forbidden or CSRF token invalid", False),
    "404": ("不存在或不在权限范围内 / not found or outside your scope", True),
    "409": ("与现有数据冲突 / conflict with the stored data", True),
    "413": ("上传内容过大 / request too large", True),
    "422": ("输入有误 / invalid input", True),
}


def document_problems(app: FastAPI, api_prefix: str) -> None:
    """Describe the problem+json answers of every operation in ``app``'s OpenAPI schema.

    FastAPI documents validation errors as its own JSON shape; this app answers them (and every
    other refusal) as problem+json, so the schema says that instead. Pages (paths outside
    ``api_prefix``) may also answer refusals as an HTML page and redirect (303) after a form.
    """
    build: Callable[[], dict[str, Any]] = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is not None:
            return app.openapi_schema
        schema = build()
        components = schema.setdefault("components", {}).setdefault("schemas", {})
        components.pop("HTTPValidationError", None)
        components.pop("ValidationError", None)
        for name, model in (("InvalidParameter", InvalidParameter), ("Problem", Problem)):
            components[name] = model.model_json_schema(ref_template="#/components/schemas/{model}")
        for path, operations in schema.get("paths", {}).items():
            page = not path.startswith(api_prefix)
            for method, operation in operations.items():
                takes_input = bool(
                    operation.get("parameters")
                    or operation.get("requestBody")
                    or method.upper() in ("POST", "PUT", "PATCH", "DELETE")
                )
                responses = operation.setdefault("responses", {})
                for status, (description, needs_input) in _DOCUMENTED.items():
                    if needs_input and not takes_input:
                        continue
                    responses[status] = {
                        "description": description,
                        "content": _problem_content(page),
                    }
                if page:
                    responses.setdefault("303", {"description": "重定向 / redirect"})
        app.openapi_schema = schema
        return schema

    app.openapi = openapi  # type: ignore[method-assign]
