"""Configuration: everything particular to one municipality, in TOML.

Lookup order: ``--config PATH``, then ``$KYOTEI_CONFIG``, then ``./kyotei.toml``;
whatever a file leaves out keeps the shipped defaults (Asahikawa's), so a city's
file holds only what differs.
"""

from __future__ import annotations

import copy
import os
import tomllib
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from .errors import KyoteiError
from .i18n import Catalog

MESSAGES: Catalog = {
    "config_missing": ("設定ファイルが見つかりません: {path}", "Configuration file not found: {path}"),
    "config_invalid": ("設定ファイルを読めません（{path}）: {detail}", "Cannot read configuration {path}: {detail}"),
}


class ConfigError(KyoteiError):
    catalog = MESSAGES


@dataclass(frozen=True)
class Department:
    key: str
    name: str
    address: str = ""
    tel: str = ""
    fax: str = ""
    email: str = ""


@dataclass(frozen=True)
class Config:
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
    source: str = "defaults"
    raw: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    def section(self, name: str) -> dict[str, Any]:
        """A feature's own table (``[render]``, ``[inbox]``, ``[registry]``), defaults merged in."""
        return dict(self.raw.get(name, {}))

    def department_for(self, field_name: str) -> Department | None:
        key = self.field_routes.get(field_name)
        return self.departments.get(key) if key else None


def default_toml() -> str:
    return resources.files("kyotei_docs").joinpath("defaults/kyotei.toml").read_text("utf-8")


def load_config(path: str | Path | None = None) -> Config:
    data = tomllib.loads(default_toml())
    source = "defaults"
    chosen = Path(path) if path else None
    if chosen is None and os.environ.get("KYOTEI_CONFIG"):
        chosen = Path(os.environ["KYOTEI_CONFIG"])
    if chosen is None and Path("kyotei.toml").is_file():
        chosen = Path("kyotei.toml")
    if chosen is not None:
        if not chosen.is_file():
            raise ConfigError("config_missing", path=str(chosen))
        try:
            user = tomllib.loads(chosen.read_text("utf-8-sig"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise ConfigError("config_invalid", path=str(chosen), detail=str(exc)) from exc
        data = _merge(data, user)
        source = str(chosen)
    try:
        return _build(data, source)
    except (KeyError, TypeError, ValueError) as exc:
        raise ConfigError("config_invalid", path=source, detail=repr(exc)) from exc


def _merge(base: dict[str, Any], over: dict[str, Any]) -> dict[str, Any]:
    out = copy.deepcopy(base)
    for k, v in over.items():
        out[k] = _merge(out[k], v) if isinstance(v, dict) and isinstance(out.get(k), dict) else v
    return out


def _build(data: dict[str, Any], source: str) -> Config:
    town = data["municipality"]
    routing = data["routing"]
    departments = {k: Department(key=k, **{f: str(v) for f, v in d.items()})
                   for k, d in routing["departments"].items()}
    coordinator = departments[routing["coordinator"]]
    for fname, dkey in routing.get("fields", {}).items():
        if dkey not in departments:
            raise ValueError(f"routing.fields.{fname} names unknown department {dkey!r}")
    closures = tuple((tuple(a), tuple(b)) for a, b in data["dates"].get("closures", []))
    return Config(
        municipality=town["name"], mayor_title=town["mayor_title"], mayor_name=town.get("mayor_name", ""),
        address=town["address"], homepage=town.get("homepage", ""),
        comma=data["style"]["comma"], period=data["style"]["period"],
        notice_reading=data["dates"].get("notice_reading", "safe"), closures=closures,
        required=tuple(data["rules"]["required"]), disabled_rules=frozenset(data["rules"].get("disabled", [])),
        routing_as_of=str(routing.get("as_of", "")), coordinator=coordinator, departments=departments,
        field_routes=dict(routing.get("fields", {})), source=source, raw=data,
    )
