"""Configuration: everything particular to one municipality, in TOML.

Lookup order: ``--config PATH``, then ``$KYOTEI_CONFIG``, then ``./kyotei.toml``;
whatever a file leaves out keeps the shipped defaults (Asahikawa's), so a city's
file holds only what differs.

The configuration is loaded once, where a program starts (the ``kyotei``
command, the watcher, the web screen), and handed down as a :class:`Config`;
nothing below reloads it from the environment or the working folder.  Every
section is parsed and checked at load into a typed dataclass
(:class:`RenderSettings`, :class:`InboxSettings`, :class:`RegistrySettings`,
:class:`~kyotei_docs.limits.Limits`), so each key has one meaning and a wrong
value is refused at once, in one Japanese line that names the key — not later,
differently, by whichever feature reads it first.
"""

from __future__ import annotations

import copy
import os
from collections.abc import Callable
from dataclasses import MISSING, dataclass, field, fields, replace
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any, TypeVar

from .errors import KyoteiError
from .exitcodes import ExitCode
from .guideline import Guideline
from .guideline import parse as parse_guideline
from .i18n import Catalog, say
from .limits import ELSEWHERE, Limits

MESSAGES: Catalog = {
    "config_missing": ("設定ファイルが見つかりません: {path}", "Configuration file not found: {path}"),
    "config_invalid": ("設定ファイルを読めません（{path}）: {detail}", "Cannot read configuration {path}: {detail}"),
    "config_value": ("設定ファイル {path} の [{section}] {setting} の値 {value} は使えません（{expected}）。",
                     "Configuration {path}: [{section}] {setting} = {value} is not valid ({expected})."),
    "config_unknown": ("設定ファイル {path} の [{section}] {setting} は知らない項目です（書き間違いではありませんか）。"
                       "使える項目: {known}",
                       "Configuration {path}: [{section}] {setting} is not a known setting (a typo?). Known: {known}"),
    "expect_number": ("0 以上の数", "a number, 0 or more"),
    "expect_positive": ("0 より大きい数", "a number greater than 0"),
    "expect_count": ("0 以上の整数", "a whole number, 0 or more"),
    "expect_bool": ("true または false", "true or false"),
    "expect_text": ("文字列（\"…\" で囲む）", "a string in quotes"),
    "expect_texts": ("文字列の配列（例: [\"災害対策\"]）", "a list of strings, e.g. [\"災害対策\"]"),
    "expect_choice": ("次のどれか: {choices}", "one of: {choices}"),
    "expect_department": ("[routing.departments] にある部局のキー: {keys}", "a key of [routing.departments]: {keys}"),
    "expect_closures": ("[[月, 日], [月, 日]] の組の配列。例: [[[12, 29], [1, 3]]]",
                        "a list of [[month, day], [month, day]] pairs, e.g. [[[12, 29], [1, 3]]]"),
    "expect_zone": ("タイムゾーンの名前。例: \"Asia/Tokyo\"", "a time zone name such as \"Asia/Tokyo\""),
}


class ConfigError(KyoteiError):
    catalog = MESSAGES
    exit_code = ExitCode.CONFIG


TERMS = ("fiscal", "one-year")
#: ``[dates] notice_reading``: how 「満了する日の１か月前までに」 is read (registry/dates.py)
NOTICE_READINGS = ("safe", "plain")


@dataclass(frozen=True)
class RenderSettings:
    """``[render]``: how Form 2 and Form 3 are written."""

    #: the staff's own template folder ("" = built-in)
    templates: str = ""
    #: default validity: to 31 March of the signing fiscal year, or one year
    term: str = "fiscal"
    #: East-Asian font written into the documents ("" = the template's)
    font: str = "ＭＳ 明朝"


@dataclass(frozen=True)
class InboxSettings:
    """``[inbox]``: the drop folder (see docs/inbox.md for each key)."""

    settle_seconds: float = 2.0
    rescan_seconds: float = 30.0
    pdf: bool = True
    workers: int = 2
    incomplete_grace_seconds: float = 600.0
    timeout_seconds: float = 120.0
    worker_memory_mb: int = 1536
    max_attempts: int = 3
    retry_seconds: float = 10.0
    retry_max_seconds: float = 900.0
    pdf_batch_size: int = 25
    pdf_attempts: int = 3
    registry: bool = True


#: ``[reading] ocr``: scans, photos and PDFs without usable text read by OCR when Tesseract is there, or never
OCR_MODES = ("auto", "never")


@dataclass(frozen=True)
class ReadingSettings:
    """``[reading]``: how submitted files are read."""

    #: "auto": images, scans and PDFs whose text is unusable are read by OCR (Tesseract) when it is
    #: installed, every value a review item; "never": they are refused with a message saying so
    ocr: str = "auto"
    #: place names (the prefecture, the city's wards or towns) an OCR near miss is set to, besides the
    #: city's name and the mayor's title (readers/ocrwords.py); the value stays a review item
    ocr_words: tuple[str, ...] = ()


@dataclass(frozen=True)
class RegistrySettings:
    """``[registry]``: the agreement registry."""

    #: the SQLite file ("" = the site's registry.sqlite3, see registry/location.py); relative to the site
    path: str = ""
    busy_timeout_seconds: float = 10.0
    review_exempt_fields: tuple[str, ...] = ("災害対策",)
    #: Form 2/3 from ``kyotei sign`` when the proposal did not come through the drop folder
    #: (with a site: its cases/<id>_<name>/ folders, this setting is for use without one)
    documents: str = "agreements"
    #: how many daily backups ``backups/`` of the site keeps (kyotei registry backup, watch, serve)
    backups_keep: int = 14


@dataclass(frozen=True)
class ReminderSettings:
    """``[reminders]``: what ``kyotei remind`` lists, and when (cases/remind.py)."""

    notice_days: int = 30
    #: "MM-DD" in the fiscal year after: the results survey's answers are due
    survey_due: str = "04-30"
    #: "MM-DD" in the fiscal year after: 5(3) consultations are due
    consultation_due: str = "06-30"

    def day(self, name: str) -> tuple[int, int]:
        """(month, day) of ``survey_due`` or ``consultation_due``."""
        month, day = str(getattr(self, name)).split("-")
        return int(month), int(day)


@dataclass(frozen=True)
class MailSettings:
    """``[mail]``: the city's SMTP relay for reminders (mail.py); no password here, ever."""

    host: str = ""
    port: int = 587
    starttls: bool = True
    user: str = ""
    password_env: str = "KYOTEI_MAIL_PASSWORD"
    password_file: str = ""
    cafile: str = ""
    sender: str = ""
    subject: str = "【連携協定】対応が必要な事項のお知らせ"
    timeout_seconds: float = 30.0


@dataclass(frozen=True)
class Department:
    """One department a proposal can be routed to, with the contact details Form 2 and 3 print."""

    key: str
    name: str
    address: str = ""
    tel: str = ""
    fax: str = ""
    email: str = ""


@dataclass(frozen=True)
class Config:
    """The whole configuration, checked at load and handed down (see the module's docstring)."""

    municipality: str
    mayor_title: str
    mayor_name: str
    address: str
    homepage: str
    comma: str
    period: str
    notice_reading: str
    closures: tuple[tuple[tuple[int, int], tuple[int, int]], ...]
    required: tuple[str, ...]
    disabled_rules: frozenset[str]
    routing_as_of: str
    coordinator: Department
    departments: dict[str, Department]
    field_routes: dict[str, str]
    #: ``[municipality] timezone``: the city's dates ("today", 受付日) are dates there (see citytime.py)
    timezone: str = "Asia/Tokyo"
    render: RenderSettings = field(default_factory=RenderSettings)
    inbox: InboxSettings = field(default_factory=InboxSettings)
    registry: RegistrySettings = field(default_factory=RegistrySettings)
    reminders: ReminderSettings = field(default_factory=ReminderSettings)
    mail: MailSettings = field(default_factory=MailSettings)
    reading: ReadingSettings = field(default_factory=ReadingSettings)
    limits: Limits = field(default_factory=Limits)
    #: ``[judging]`` and ``[flows]``: the judgement sheet and the steps of each agreement type
    guideline: Guideline = field(default_factory=Guideline)
    source: str = "defaults"
    raw: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)
    #: the site in use (kyotei_docs/site.py), found once where the program started; None without one
    site: Any = field(default=None, compare=False)

    def path(self, value: str) -> Path:
        """A path written in the configuration: relative to the site (never the working folder); without a
        site, as before, relative to the working folder."""
        if self.site is not None:
            return Path(self.site.resolve(value))
        return Path(os.path.expandvars(os.path.expanduser(value)))

    def section(self, name: str) -> dict[str, Any]:
        """The merged TOML table ``[name]`` as written, for a section without settings of its own.

        ``[render]``, ``[inbox]``, ``[registry]`` and ``[limits]`` are read
        through :attr:`render`, :attr:`inbox`, :attr:`registry`,
        :attr:`reading` and :attr:`limits`, checked once at load.
        """
        return dict(self.raw.get(name, {}))

    def ocr_words(self) -> tuple[str, ...]:
        """Words an OCR near miss is set to (readers/ocrwords.py): the city's own name, the mayor's title, ``[reading] ocr_words``."""
        return (self.municipality, self.mayor_title, *self.reading.ocr_words)

    def department_for(self, field_name: str) -> Department | None:
        key = self.field_routes.get(field_name)
        return self.departments.get(key) if key else None


def default_toml() -> str:
    # beside this module in every install (the wheel ships it); importlib.resources would cost
    # tempfile, shutil and the compression modules at every start
    return (Path(__file__).resolve().parent / "defaults" / "kyotei.toml").read_text("utf-8")


@cache
def _defaults() -> dict[str, Any]:
    """The shipped defaults as parsed, once per process (issue 20: each section's check parsed them
    again, eight parses of ~2 ms at every start).  Never changed: :func:`_merge` copies it.

    The parsed table is kept between runs beside the bytecode (:mod:`kyotei_docs.kept`) with the
    text it was parsed from, and used only while that text is the shipped file's: a start then
    neither parses it (~2 ms) nor, without a configuration file of its own, imports the parser.
    """
    from . import kept

    text = default_toml()
    was = kept.read("defaults")
    if isinstance(was, tuple) and len(was) == 2 and was[0] == text and isinstance(was[1], dict):
        return was[1]
    import tomllib

    data = tomllib.loads(text)
    kept.write("defaults", (text, data))
    return data


def load_config(path: str | Path | None = None, *, site: Any = None) -> Config:
    """The configuration from ``path``, else ``$KYOTEI_CONFIG``, else the site's, else ``./kyotei.toml``.

    With a ``site`` (:mod:`kyotei_docs.site`) its ``kyotei.toml`` is the
    configuration and a ``kyotei.toml`` in the working folder is not read
    (commands warn about it: :func:`kyotei_docs.site.stray_config`); the site
    rides along in :attr:`Config.site`.  Without one, ``./kyotei.toml`` is read
    as before.  Called once by the program's entry point; raises
    :class:`ConfigError` (one line naming the file and, for a wrong value, the key).
    """
    data: dict[str, Any] = {}
    source = "defaults"
    chosen = Path(path) if path else None
    if chosen is None and os.environ.get("KYOTEI_CONFIG"):
        chosen = Path(os.environ["KYOTEI_CONFIG"])
    if chosen is None and site is not None:
        chosen = Path(site.config)
    if chosen is None and Path("kyotei.toml").is_file():
        chosen = Path("kyotei.toml")
    if chosen is not None:
        if not chosen.is_file():
            raise ConfigError("config_missing", path=str(chosen))
        import tomllib

        try:
            data = tomllib.loads(chosen.read_text("utf-8-sig"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise ConfigError("config_invalid", path=str(chosen), detail=str(exc)) from exc
        source = str(chosen)
    cfg = build_config(_merge(_defaults(), data), source)
    return replace(cfg, site=site) if site is not None else cfg


def config_from(overrides: dict[str, Any], source: str = "defaults") -> Config:
    """The defaults with ``overrides`` (``{"render": {"font": "游明朝"}}``) merged in and checked."""
    return build_config(_merge(_defaults(), overrides), source)


def build_config(data: dict[str, Any], source: str) -> Config:
    """A checked :class:`Config` from a whole TOML table (defaults already merged in)."""
    try:
        return _build(data, source)
    except ConfigError:
        raise
    except (KeyError, TypeError, ValueError) as exc:
        raise ConfigError("config_invalid", path=source, detail=repr(exc)) from exc


def _merge(base: dict[str, Any], over: dict[str, Any]) -> dict[str, Any]:
    out = copy.deepcopy(base)
    for k, v in over.items():
        out[k] = _merge(out[k], v) if isinstance(v, dict) and isinstance(out.get(k), dict) else v
    return out


def _build(data: dict[str, Any], source: str) -> Config:
    def wrong(section: str, setting: str, value: Any, expected: str) -> ConfigError:
        return ConfigError("config_value", path=source, section=section, setting=setting, value=_shown(value),
                           expected=expected)

    town = data["municipality"]
    routing = data["routing"]
    departments = {k: Department(key=k, **{f: str(v) for f, v in d.items()})
                   for k, d in routing["departments"].items()}
    keys = say(MESSAGES, "expect_department", keys=", ".join(departments))
    if routing.get("coordinator") not in departments:
        raise wrong("routing", "coordinator", routing.get("coordinator"), keys)
    coordinator = departments[routing["coordinator"]]
    for fname, dkey in routing.get("fields", {}).items():
        if dkey not in departments:
            raise wrong("routing.fields", f'"{fname}"', dkey, keys)
    dates = data["dates"]
    if dates.get("notice_reading", "safe") not in NOTICE_READINGS:
        raise wrong("dates", "notice_reading", dates.get("notice_reading"),
                    say(MESSAGES, "expect_choice", choices=", ".join(f'"{c}"' for c in NOTICE_READINGS)))
    closures = _closures(dates.get("closures", []), wrong)
    for key in ("comma", "period"):
        if not isinstance(data["style"].get(key), str):
            raise wrong("style", key, data["style"].get(key), say(MESSAGES, "expect_text"))
    inbox = _settings(InboxSettings, data, "inbox", source)
    return Config(
        municipality=town["name"], mayor_title=town["mayor_title"], mayor_name=town.get("mayor_name", ""),
        address=town["address"], homepage=town.get("homepage", ""),
        comma=data["style"]["comma"], period=data["style"]["period"],
        notice_reading=data["dates"].get("notice_reading", "safe"), closures=closures,
        required=tuple(data["rules"]["required"]), disabled_rules=frozenset(data["rules"].get("disabled", [])),
        routing_as_of=str(routing.get("as_of", "")), coordinator=coordinator, departments=departments,
        field_routes=dict(routing.get("fields", {})), source=source, raw=data,
        timezone=_zone(town.get("timezone", "Asia/Tokyo"), source),
        render=_settings(RenderSettings, data, "render", source, choices={"term": TERMS}),
        inbox=inbox,
        registry=_settings(RegistrySettings, data, "registry", source),
        reminders=_reminders(data, source),
        mail=_settings(MailSettings, data, "mail", source),
        reading=_settings(ReadingSettings, data, "reading", source, choices={"ocr": OCR_MODES}),
        limits=replace(_settings(Limits, data, "limits", source, positive=True, exclude=frozenset(ELSEWHERE)),
                       submission_seconds=inbox.timeout_seconds, worker_memory_mb=inbox.worker_memory_mb),
        guideline=parse_guideline(data, wrong),
    )


def _reminders(data: dict[str, Any], source: str) -> ReminderSettings:
    """``[reminders]``, each due date a real [month, day]."""
    found = _settings(ReminderSettings, data, "reminders", source)
    for name in ("survey_due", "consultation_due"):
        value = getattr(found, name)
        try:
            month, day = found.day(name)
            date(2028, month, day)  # a leap year: 02-29 is a day
        except ValueError:
            raise ConfigError("config_value", path=source, section="reminders", setting=name, value=_shown(value),
                              expected='"月-日"（例: "04-30"）') from None
    return found


def _closures(raw: Any, wrong: Callable[[str, str, Any, str], ConfigError]) -> tuple[Any, ...]:
    """``[dates] closures``: ``[[[12, 29], [1, 3]], …]``, each day a real month and day."""
    def day(v: Any) -> tuple[int, int]:
        if not (isinstance(v, list) and len(v) == 2 and all(isinstance(n, int) and not isinstance(n, bool) for n in v)
                and 1 <= v[0] <= 12 and 1 <= v[1] <= 31):
            raise ValueError
        return (v[0], v[1])

    try:
        if not isinstance(raw, list):
            raise ValueError
        return tuple((day(a), day(b)) for a, b in raw)
    except (ValueError, TypeError):
        raise wrong("dates", "closures", raw, say(MESSAGES, "expect_closures")) from None


def _zone(name: object, source: str) -> str:
    """``[municipality] timezone``, checked now rather than at the first date a command needs."""
    from .citytime import TimeZoneError, zone_named

    try:
        if not isinstance(name, str):
            raise TimeZoneError("bad_zone", name=name)
        zone_named(name)
    except TimeZoneError:
        raise ConfigError("config_value", path=source, section="municipality", setting="timezone",
                          value=_shown(name), expected=say(MESSAGES, "expect_zone")) from None
    return name


S = TypeVar("S")


def _settings(cls: type[S], data: dict[str, Any], name: str, source: str, *,
              choices: dict[str, tuple[str, ...]] | None = None, positive: bool = False,
              exclude: frozenset[str] = frozenset()) -> S:
    """Section ``[name]`` as ``cls``: each key checked against its field's type.

    A key the shipped defaults do not have is refused (a typo would otherwise
    be silently ignored); a key the defaults have but ``cls`` does not is a
    setting of a feature that reads it elsewhere and is left alone.
    """
    table = data.get(name, {})
    if not isinstance(table, dict):
        raise ConfigError("config_value", path=source, section=name, setting="", value=repr(table),
                          expected="[table]")
    known = (set(_defaults().get(name, {})) | {f.name for f in fields(cls)}) - exclude  # type: ignore[arg-type]
    for key in table:
        if key not in known:
            raise ConfigError("config_unknown", path=source, section=name, setting=key, known=", ".join(sorted(known)))
    values: dict[str, Any] = {}
    for f in fields(cls):  # type: ignore[arg-type]
        if f.name not in table or f.name in exclude:
            continue
        value = table[f.name]

        def error(expected: str, value: Any = value, setting: str = f.name) -> ConfigError:
            return ConfigError("config_value", path=source, section=name, setting=setting, value=_shown(value),
                               expected=expected)

        kind = type(getattr(cls, f.name, None)) if f.default is not MISSING else tuple
        values[f.name] = _checked(value, kind, (choices or {}).get(f.name), positive, error)
    return cls(**values)


def _checked(value: Any, kind: type, choices: tuple[str, ...] | None, positive: bool,
             error: Callable[[str], ConfigError]) -> Any:
    """``value`` as ``kind``, or the error saying what was expected."""
    if choices is not None:
        if value not in choices:
            raise error(say(MESSAGES, "expect_choice", choices=", ".join(f'"{c}"' for c in choices)))
        return value
    if kind is bool:
        if not isinstance(value, bool):
            raise error(say(MESSAGES, "expect_bool"))
        return value
    if kind in (int, float):
        if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0 or (
                kind is int and value != int(value)) or (positive and value == 0):
            raise error(say(MESSAGES, "expect_positive" if positive else
                            "expect_count" if kind is int else "expect_number"))
        return kind(value)
    if kind is str:
        if not isinstance(value, str):
            raise error(say(MESSAGES, "expect_text"))
        return value
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise error(say(MESSAGES, "expect_texts"))
    return tuple(value)


def _shown(value: Any) -> str:
    return f'"{value}"' if isinstance(value, str) else str(value).lower() if isinstance(value, bool) else repr(value)
