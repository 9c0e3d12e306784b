"""Bringing earlier registries and configurations into the site (``kyotei site adopt``).

Why: before sites, each OS user had a registry in their own data folder and
each working folder could hold a ``kyotei.toml``; an office that starts a site
has cases in several of them.  Adopting merges them into the site without
renumbering the site's cases: every adopted case gets a new 協定ID after the
site's, and the mapping (old → new) is printed and kept in the case's history
(event ``adopted``).  Nothing is lost:

* the site's registry is first copied into ``backups/`` (:func:`.backups.make`);
* the whole merge is one transaction: all of a registry's cases or none;
* a file (SHA-256) the site already has is not recorded twice — the adopted
  case keeps its other files and the mapping names the site case that holds
  it, so staff can ``kyotei registry merge`` them;
* the adopted file is then renamed ``<name>.adopted-<stamp>`` beside itself
  (kept, and no longer found); an older schema was first upgraded with its own
  pre-migration copy, as any open does.

A configuration is adopted only into a site configuration that holds nothing
but its ``[site]`` table (else staff merge it by hand: two sets of city
settings must not be mixed silently); the site's file is copied into
``backups/`` first, a ``[registry] path`` of the old file is commented out
(the site's registry is the one), and the result must load before it is written.
"""

from __future__ import annotations

import json
import os
import re
import sqlite3
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .. import citytime
from .errors import RegistryError

#: tables that are not case data (per-user screen settings, the list of handled drop-folder errors, the site id,
#: reminders sent — keyed by the old numbering, so the site's own reminders start afresh for adopted cases)
_NOT_CASES = frozenset({"site", "screen_settings", "handled_errors", "reminders_sent"})


@dataclass(frozen=True)
class Moved:
    old_id: int
    new_id: int
    partner: str


@dataclass(frozen=True)
class Adopted:
    source: Path
    kept_as: Path
    backup: Path
    cases: tuple[Moved, ...]
    #: files the site already had: (file name, its new case ID, the site case that holds it)
    known_files: tuple[tuple[str, int, int], ...] = field(default_factory=tuple)


def candidates(site: Any, cwd: Path | None = None) -> list[Path]:
    """Registries of earlier versions found on this machine: this user's data folder, the working
    folder, and other users' data folders that can be read (``/home/*``, ``C:\\Users\\*``)."""
    from .location import DEFAULT_NAME, user_data_dir

    found: list[Path] = [user_data_dir() / DEFAULT_NAME, (cwd or Path.cwd()) / DEFAULT_NAME]
    homes = [Path(os.environ.get("SYSTEMDRIVE", "C:") + "\\Users")] if os.name == "nt" else [Path("/home")]
    for base in homes:
        try:
            users = sorted(p for p in base.iterdir() if p.is_dir())
        except OSError:
            continue
        for home in users:
            sub = ("AppData", "Local", "kyotei") if os.name == "nt" else (".local", "share", "kyotei")
            found.append(home.joinpath(*sub, DEFAULT_NAME))
    out: list[Path] = []
    for path in found:
        try:
            if path.is_file() and path.stat().st_size > 0 and not path.samefile(site.registry) and \
                    not any(path.samefile(p) for p in out):
                out.append(path)
        except OSError:
            continue
    return out


def adopt_registry(cfg: Any, source: Path) -> Adopted:
    """Merge the registry at ``source`` into the site's (module docstring)."""
    from .backups import make
    from .identity import site_id_of
    from .location import open_located
    from .store import busy_seconds, open_registry

    site = cfg.site
    if site is None:
        raise RegistryError("no_site")
    if not source.is_file():
        raise RegistryError("missing", path=str(source))
    with open_registry(source, busy_seconds=busy_seconds(cfg)) as old:
        if site_id_of(old) == site.id:
            raise RegistryError("adopt_own", path=str(source))
        with old.snapshot() as oconn:
            tables = _case_tables(oconn)
            rows = {t: [dict(r) for r in oconn.execute(f'SELECT * FROM "{t}" ORDER BY rowid')] for t in tables}
            agreements = [dict(r) for r in oconn.execute("SELECT * FROM agreements ORDER BY id")]
    backup = make(cfg)
    moved: list[Moved] = []
    known: list[tuple[str, int, int]] = []
    stamp = citytime.stamp(cfg)
    with open_located(cfg) as reg, reg.write() as conn:
        site_tables = set(_case_tables(conn))
        mapping: dict[int, int] = {}
        acols = _columns(conn, "agreements")
        for a in agreements:
            values = {k: v for k, v in a.items() if k in acols and k not in ("id", "merged_into")}
            cur = conn.execute(f"INSERT INTO agreements ({', '.join(values)}) VALUES ({', '.join('?' * len(values))})",
                               list(values.values()))
            assert cur.lastrowid is not None
            mapping[int(a["id"])] = int(cur.lastrowid)
            moved.append(Moved(int(a["id"]), int(cur.lastrowid), str(a.get("partner_name") or a.get("title") or "")))
        for a in agreements:
            if a.get("merged_into") in mapping:
                conn.execute("UPDATE agreements SET merged_into = ? WHERE id = ?",
                             (mapping[a["merged_into"]], mapping[int(a["id"])]))
        for table in (t for t in tables if t in site_tables):
            cols = _columns(conn, table)
            for row in rows[table]:
                values = {k: v for k, v in row.items() if k in cols and not (k == "id" and _integer_pk(conn, table))}
                if row["agreement_id"] is not None:
                    values["agreement_id"] = mapping[int(row["agreement_id"])]
                if table == "submissions":
                    held = conn.execute("SELECT agreement_id FROM submissions WHERE sha256 = ?",
                                        (row["sha256"],)).fetchone()
                    if held is not None:
                        known.append((str(row.get("file") or row["sha256"]), values["agreement_id"], int(held[0])))
                        continue
                conn.execute(f'INSERT INTO "{table}" ({", ".join(values)}) VALUES ({", ".join("?" * len(values))})',
                             list(values.values()))
        from .lifecycle import default_actor

        for m in moved:
            conn.execute("INSERT INTO events (agreement_id, kind, on_date, actor, recorded_at, detail) "
                         "VALUES (?, 'adopted', ?, ?, ?, ?)",
                         (m.new_id, citytime.today(cfg).isoformat(), default_actor(), stamp,
                          json.dumps({"from": m.old_id, "file": str(source)}, ensure_ascii=False)))
    kept = _set_aside(source, "adopted", cfg)
    return Adopted(source=source, kept_as=kept, backup=backup, cases=tuple(moved), known_files=tuple(known))


def _case_tables(conn: sqlite3.Connection) -> list[str]:
    """Tables that hold case data (an ``agreement_id`` column), in the order they were made."""
    names = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY rowid")]
    return [n for n in names if n not in _NOT_CASES and n != "agreements" and "agreement_id" in _columns(conn, n)]


def _columns(conn: sqlite3.Connection, table: str) -> set[str]:
    return {r[1] for r in conn.execute(f'PRAGMA table_info("{table}")')}


def _integer_pk(conn: sqlite3.Connection, table: str) -> bool:
    return any(r[1] == "id" and r[5] == 1 and str(r[2]).upper() == "INTEGER"
               for r in conn.execute(f'PRAGMA table_info("{table}")'))


def _set_aside(path: Path, word: str, cfg: Any) -> Path:
    """Rename ``path`` (and an SQLite file's -wal/-shm) to ``<name>.<word>-<stamp>`` beside itself."""
    stamp = citytime.now(cfg).strftime("%Y%m%d-%H%M%S")
    kept = path.with_name(f"{path.name}.{word}-{stamp}")
    try:
        path.replace(kept)
        for extra in ("-wal", "-shm"):
            side = path.with_name(path.name + extra)
            if side.exists():
                side.replace(kept.with_name(kept.name + extra))
    except OSError as exc:
        raise RegistryError("move_failed", path=str(path), detail=str(exc)) from exc
    return kept


# ------------------------------------------------------------------------------ configuration


@dataclass(frozen=True)
class ConfigAdopted:
    source: Path
    kept_as: Path
    backup: Path


_REGISTRY_PATH = re.compile(r"^(\s*path\s*=)", re.M)


def adopt_config(cfg: Any, source: Path) -> ConfigAdopted:
    """Bring the settings of ``source`` into the site's kyotei.toml (module docstring)."""
    from ..config import ConfigError, load_config
    from ..publish import copy_new, write_new

    site = cfg.site
    mine = tomllib.loads(site.config.read_text("utf-8-sig"))
    if set(mine) - {"site"}:
        raise RegistryError("adopt_config_busy", path=str(source), config=str(site.config))
    try:
        text = source.read_text("utf-8-sig")
        theirs = tomllib.loads(text)
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError("config_invalid", path=str(source), detail=str(exc)) from exc
    if "site" in theirs:
        raise RegistryError("adopt_config_site", path=str(source))
    adopted = _without_registry_path(text)
    stamp = citytime.now(cfg).strftime("%Y%m%d-%H%M%S")
    merged = (site.config.read_text("utf-8-sig").rstrip("\n") +
              f"\n\n# ---- kyotei site adopt: {source} から取り込み（{stamp}） ----\n" + adopted.rstrip("\n") + "\n")
    probe = site.backups / f".adopt-check-{stamp}.toml"
    probe.write_text(merged, "utf-8")
    try:
        load_config(probe)  # a wrong value is refused now, before the site's file changes
    finally:
        probe.unlink(missing_ok=True)
    backup = copy_new(site.config, site.backups / f"kyotei.toml.before-adopt-{stamp}", copies=True)
    write_new(site.config, lambda tmp: tmp.write_text(merged, "utf-8"), replace=True)
    kept = _set_aside(source, "adopted", cfg)
    return ConfigAdopted(source=source, kept_as=kept, backup=backup)


def _without_registry_path(text: str) -> str:
    """``text`` with the ``path`` key of its ``[registry]`` table commented out (the site's registry is used)."""
    out: list[str] = []
    table = ""
    for line in text.splitlines():
        head = re.match(r"^\s*\[([^\[\]]+)\]\s*(#.*)?$", line)
        if head:
            table = head.group(1).strip()
        if table == "registry" and _REGISTRY_PATH.match(line):
            line = "# " + line + "   # サイトの協定登録簿を使うため無効にしました（kyotei site adopt）"
        out.append(line)
    return "\n".join(out) + "\n"
