"""The site: the one folder an office shares, found the same way by every command, watch and serve.

Why: the registry used to default to each OS user's own data folder and the
configuration to the working folder, so a second employee filed proposals into a
private registry and routing changed with the folder a command was run from.
The unit of sharing is the office, not the user or the folder::

    <site>/kyotei.toml        the office's configuration ([site] id names the site)
    <site>/registry.sqlite3   the registry (it carries the same site id)
    <site>/受付/               the drop folder (inbox/, done/ … : docs/inbox.md)
    <site>/cases/<id>_<name>/ signed and rendered documents, per case
    <site>/backups/           daily copies of the registry (kyotei registry backup / restore)
    <site>/logs/              the drop folder's journal and log, the screen's log

``kyotei init FOLDER`` makes one and records it machine-wide.  Which site is
used, first found wins (``kyotei site`` prints it and why):

1. ``kyotei --site FOLDER``;
2. the environment variable ``KYOTEI_SITE``;
3. the machine's record ``site.toml`` in the machine-wide folder:
   ``$KYOTEI_MACHINE_DIR`` if set (tests, unusual installs), else
   ``%PROGRAMDATA%\\kyotei`` on Windows, else ``/etc/kyotei`` and then
   ``kyotei/`` under each of ``$XDG_CONFIG_DIRS`` (default ``/etc/xdg``);
4. the OS user's own record (``%APPDATA%\\kyotei`` / ``~/.config/kyotei``),
   written by ``init`` only when the machine-wide folder cannot be written
   (no administrator rights) — ``init`` then says that other users will not
   find the site.

Resolution happens once, where a program starts, and the :class:`Site` is
handed down inside the configuration (``Config.site``); nothing below looks
for it again.  This module reads TOML and paths only: it must stay cheap,
because every command start uses it.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import KyoteiError
from .exitcodes import ExitCode
from .i18n import Catalog

CONFIG_NAME = "kyotei.toml"
REGISTRY_NAME = "registry.sqlite3"
DROP_NAME = "受付"
CASES_NAME = "cases"
BACKUPS_NAME = "backups"
LOGS_NAME = "logs"
JOURNAL_NAME = "journal.sqlite3"
RECORD_NAME = "site.toml"
#: what a site holds: a folder holding any of these (and not a site) is not made into one
SITE_NAMES = (CONFIG_NAME, REGISTRY_NAME, DROP_NAME, CASES_NAME, BACKUPS_NAME, LOGS_NAME)
#: overrides the machine-wide folder (tests; an install that keeps /etc read-only)
MACHINE_ENV = "KYOTEI_MACHINE_DIR"
SITE_ENV = "KYOTEI_SITE"

MESSAGES: Catalog = {
    "not_site": ("{path} は kyotei のサイトではありません（{config} に [site] id がありません）。{why}\n"
                 "サイトを作るには kyotei init フォルダ を実行してください。",
                 "{path} is not a kyotei site ({config} has no [site] id). {why}\n"
                 "Make one with kyotei init FOLDER."),
    "why_option": ("--site で指定されました。", "Given by --site."),
    "why_env": ("環境変数 KYOTEI_SITE で指定されました。", "Given by KYOTEI_SITE."),
    "why_record": ("{record} に記録されています。", "Recorded in {record}."),
    "bad_record": ("サイトの記録 {record} を読めません（{detail}）。kyotei init で作り直すか、ファイルを直してください。",
                   "Cannot read the site record {record} ({detail}). Run kyotei init again or fix the file."),
    "bad_config": ("サイトの設定ファイル {config} を読めません（{detail}）。",
                   "Cannot read the site's configuration {config} ({detail})."),
    "init_not_empty": ("{path} には既に kyotei.toml・registry.sqlite3・受付 などがありますが、kyotei のサイトではありません。"
                       "何も作成していません（上書きしません）。\n"
                       "新しいフォルダ（または存在しないフォルダ名）を指定してください。"
                       "以前の登録簿や設定を取り込むには、サイトを作ってから kyotei site adopt を実行します。",
                       "{path} already holds kyotei.toml, registry.sqlite3, 受付 or the like but is not a kyotei "
                       "site; nothing was made (nothing is overwritten).\n"
                       "Name a new folder (or one that does not exist). To bring in an earlier registry or "
                       "configuration, make the site first, then run kyotei site adopt."),
    "init_cannot": ("サイトのフォルダ {path} を作成できません（{detail}）。", "Cannot make the site folder {path} ({detail})."),
    "other_recorded": ("この PC には別のサイト {other} が記録されています（{record}）。{path} は作成していません。\n"
                       "記録を置き換える場合は --replace-record、記録せずに作る場合は --no-record を付けてください。",
                       "This machine already records another site, {other} ({record}); {path} was not made.\n"
                       "Add --replace-record to replace the record, or --no-record to make it unrecorded."),
}


class SiteError(KyoteiError):
    """A site named but unusable, or a site that cannot be made: a configuration error (exit 4)."""

    catalog = MESSAGES
    exit_code = ExitCode.CONFIG


@dataclass(frozen=True)
class Site:
    """One office's folder, and why it is the one in use."""

    root: Path
    #: ``[site] id`` of its kyotei.toml; the registry carries the same one
    id: str
    #: "option" (--site), "env" (KYOTEI_SITE), "machine" or "user" (a record file)
    source: str
    #: the record file that named it ("machine", "user")
    record: Path | None = None
    raw: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    @property
    def config(self) -> Path:
        return self.root / CONFIG_NAME

    @property
    def registry(self) -> Path:
        return self.root / REGISTRY_NAME

    @property
    def drop_folder(self) -> Path:
        return self.root / DROP_NAME

    @property
    def cases(self) -> Path:
        return self.root / CASES_NAME

    @property
    def backups(self) -> Path:
        return self.root / BACKUPS_NAME

    @property
    def logs(self) -> Path:
        return self.root / LOGS_NAME

    @property
    def journal(self) -> Path:
        """The drop folder's journal: on the site's own (local) disk, outside the shared 受付/."""
        return self.logs / JOURNAL_NAME

    def resolve(self, value: str | os.PathLike[str]) -> Path:
        """A path from the site's configuration: relative ones are relative to the site, never the working folder."""
        path = Path(os.path.expandvars(os.path.expanduser(str(value))))
        return path if path.is_absolute() else self.root / path

    def why(self) -> str:
        """Why this site is in use, one sentence (``kyotei site``, error messages)."""
        from .i18n import say

        if self.source in ("machine", "user"):
            return say(MESSAGES, "why_record", record=str(self.record))
        return say(MESSAGES, f"why_{self.source}")

    def to_json(self) -> dict[str, Any]:
        return {"site": str(self.root), "site_id": self.id, "source": self.source,
                "record": str(self.record) if self.record else None, "config": str(self.config),
                "drop_folder": str(self.drop_folder), "cases": str(self.cases), "backups": str(self.backups),
                "logs": str(self.logs), "journal": str(self.journal)}


# ----------------------------------------------------------------------------- records


def machine_dirs() -> list[Path]:
    """The machine-wide folders searched for ``site.toml``, in order (the first is where ``init`` writes)."""
    if os.environ.get(MACHINE_ENV):
        return [Path(os.environ[MACHINE_ENV])]
    if os.name == "nt":
        return [Path(os.environ.get("PROGRAMDATA") or r"C:\ProgramData") / "kyotei"]
    dirs = [Path("/etc/kyotei")]
    for base in (os.environ.get("XDG_CONFIG_DIRS") or "/etc/xdg").split(os.pathsep):
        if base and Path(base).is_absolute():
            dirs.append(Path(base) / "kyotei")
    return dirs


def user_dir() -> Path:
    """The OS user's own configuration folder (only used when the machine-wide one cannot be written).

    platformdirs' answer; on Linux the XDG rule it follows there is read here directly, as
    :func:`machine_dirs` reads ``$XDG_CONFIG_DIRS``: every start without a machine-wide record
    looks here, and platformdirs with what it imports (tempfile, random) costs ~4 ms of it
    (issue 20; ``tests/test_site.py`` holds the two answers equal).
    """
    if sys.platform.startswith("linux") and not os.environ.get("ANDROID_DATA"):
        base = os.environ.get("XDG_CONFIG_HOME", "")
        if not os.path.isabs(base):  # unset, empty or relative: platformdirs ignores it too
            home = os.environ.get("HOME", "")
            if not os.path.isabs(home):  # unset or relative: the account's own, as platformdirs takes it
                import pwd

                home = pwd.getpwuid(os.getuid()).pw_dir
            base = os.path.join(home, ".config")
        return Path(base) / "kyotei"
    import platformdirs

    return Path(platformdirs.user_config_dir("kyotei", appauthor=False, roaming=True))


def record_paths() -> list[tuple[str, Path]]:
    """Every place a site record may be, in search order, with its kind ("machine", "user")."""
    return list(_record_places())


def _record_places() -> Iterator[tuple[str, Path]]:
    # the user's folder is worked out (platformdirs, with what it imports, ~4 ms off Linux) only after every
    # machine-wide place, where ``init`` records a site, has been looked at (issue 20)
    yield from (("machine", d / RECORD_NAME) for d in machine_dirs())
    yield "user", user_dir() / RECORD_NAME


def read_record(record: Path) -> Path:
    """The site folder a record names (``path = "…"``)."""
    import tomllib

    try:
        data = tomllib.loads(record.read_text("utf-8-sig"))
        return Path(str(data["path"]))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError, KeyError) as exc:
        raise SiteError("bad_record", record=str(record), detail=f"{type(exc).__name__}: {exc}") from exc


def write_record(site_root: Path, *, prefer_user: bool = False) -> tuple[str, Path]:
    """Record ``site_root`` machine-wide (else for this OS user); returns (kind, record file)."""
    from .publish import write_new

    text = ("# kyotei-docs: この PC のサイト（kyotei init が記録）。The site of this machine (written by kyotei init).\n"
            f"path = {_toml_string(str(site_root))}\n")
    places = ([] if prefer_user else [("machine", d) for d in machine_dirs()[:1]]) + [("user", user_dir())]
    last: OSError | None = None
    for kind, folder in places:
        try:
            folder.mkdir(parents=True, exist_ok=True)
            write_new(folder / RECORD_NAME, lambda tmp: tmp.write_text(text, "utf-8"), copies=False, replace=True)
            return kind, folder / RECORD_NAME
        except OSError as exc:
            last = exc
    raise SiteError("init_cannot", path=str(places[-1][1]), detail=str(last))


def _toml_string(text: str) -> str:
    import json

    return json.dumps(text, ensure_ascii=False)  # a TOML basic string is JSON's, for these characters


# ----------------------------------------------------------------------------- finding


def load(root: Path, source: str, record: Path | None = None) -> Site:
    """The site at ``root``, refused with a reason if it is not one."""
    root = Path(os.path.abspath(os.path.expanduser(str(root))))
    config = root / CONFIG_NAME
    why = {"option": "why_option", "env": "why_env"}.get(source, "why_record")
    from .i18n import say

    reason = say(MESSAGES, why, record=str(record))
    if not config.is_file():
        raise SiteError("not_site", path=str(root), config=str(config), why=reason)
    import tomllib

    try:
        data = tomllib.loads(config.read_text("utf-8-sig"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise SiteError("bad_config", config=str(config), detail=str(exc)) from exc
    site_id = data.get("site", {}).get("id") if isinstance(data.get("site"), dict) else None
    if not isinstance(site_id, str) or not site_id.strip():
        raise SiteError("not_site", path=str(root), config=str(config), why=reason)
    return Site(root=root, id=site_id.strip(), source=source, record=record, raw=data)


def find(option: str | os.PathLike[str] | None = None) -> Site | None:
    """The site in use: ``--site``, ``KYOTEI_SITE``, the machine's record, the user's record; else None.

    A site that is named but is not one is an error (never silently skipped to
    the next place: staff would then work in another office's registry).
    """
    if option:
        return load(Path(option), "option")
    if os.environ.get(SITE_ENV):
        return load(Path(os.environ[SITE_ENV]), "env")
    for kind, record in _record_places():
        if record.is_file():
            return load(read_record(record), kind, record)
    return None


def is_site(folder: Path) -> bool:
    try:
        load(folder, "option")
        return True
    except SiteError:
        return False


# ----------------------------------------------------------------------------- making


@dataclass(frozen=True)
class Made:
    """What ``kyotei init`` made."""

    site: Site
    created: tuple[Path, ...]
    record_kind: str | None
    record: Path | None
    existed: bool = False


SITE_TOML = """\
# kyotei-docs のサイト設定（この事務所で共有する設定）。
# 書いていない項目は標準設定（旭川市）のままです。変更する項目だけを書きます。
# 標準設定の全体は kyotei config export ファイル名 で書き出せます（見本。書き出したファイルは使われません）。
# 相対パスはこのフォルダからの相対です（作業フォルダではありません）。
#
# The office's configuration. Only what differs from the defaults goes here;
# relative paths are relative to this folder.

[site]
# このサイトの識別子。協定登録簿（registry.sqlite3）にも同じ値が記録されています。変更しないでください。
id = "{id}"

# [municipality]
# name = "旭川市"
# mayor_name = "…"
"""


def init(folder: Path, *, record: bool = True, replace_record: bool = False) -> Made:
    """Make a site at ``folder``: its folders, configuration and registry; record it.

    ``folder`` may exist and hold other files, but none of :data:`SITE_NAMES`
    (an old kyotei.toml or registry there is brought in by ``kyotei site
    adopt``, never taken over).  Making an existing site again changes nothing
    there (and records it if asked).  Nothing already in ``folder`` is touched.
    """
    from .publish import write_new
    from .registry.identity import create_for_site

    root = Path(os.path.abspath(os.path.expanduser(str(folder))))
    recorded = _recorded_other(root) if record and not replace_record else None
    if recorded is not None:
        other, where = recorded
        raise SiteError("other_recorded", other=str(other), record=str(where), path=str(root))
    existed = is_site(root)
    created: list[Path] = []
    if not existed:
        if root.exists() and (not root.is_dir() or any((root / name).exists() for name in SITE_NAMES)):
            raise SiteError("init_not_empty", path=str(root))
        import uuid  # here: it imports platform (~3 ms), and only init needs it

        site_id = uuid.uuid4().hex
        try:
            if not root.exists():
                root.mkdir(parents=True)
                created.append(root)
            write_new(root / CONFIG_NAME, lambda tmp: tmp.write_text(SITE_TOML.replace("{id}", site_id), "utf-8"),
                      copies=False)
            created.append(root / CONFIG_NAME)
        except OSError as exc:
            raise SiteError("init_cannot", path=str(root), detail=str(exc)) from exc
    site = load(root, "option")
    for sub in (site.drop_folder, site.drop_folder / "inbox", site.cases, site.backups, site.logs):
        if not sub.is_dir():
            try:
                sub.mkdir(parents=True)
            except OSError as exc:
                raise SiteError("init_cannot", path=str(sub), detail=str(exc)) from exc
            created.append(sub)
    if not existed:
        create_for_site(site.registry, site.id)
        created.append(site.registry)
    kind: str | None = None
    written: Path | None = None
    if record:
        kind, written = write_record(root)
        site = load(root, kind, written)
    return Made(site=site, created=tuple(created), record_kind=kind, record=written, existed=existed)


def _recorded_other(root: Path) -> tuple[Path, Path] | None:
    """Another site already recorded for this machine (whose folder is still a site), if any."""
    for _kind, rec in record_paths():
        if rec.is_file():
            try:
                other = Path(os.path.abspath(read_record(rec)))
            except SiteError:
                return None
            if other != root and is_site(other):
                return other, rec
            return None
    return None


def stray_config(site: Site | None, cwd: Path | None = None) -> Path | None:
    """A ``kyotei.toml`` in the working folder that is not the site's (named in a warning, never used)."""
    candidate = (cwd or Path.cwd()) / CONFIG_NAME
    try:
        if site is not None and candidate.is_file() and not candidate.samefile(site.config):
            return candidate.resolve()
    except OSError:
        return None
    return None
