"""The site: one folder per office, found the same way by every OS user, folder, command and pass.

Real processes (``kyotei`` run as staff would, each with its own environment), real folders, real
SQLite files; two OS users are two sets of per-user folders (HOME, XDG_*, APPDATA) on one machine.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
from pathlib import Path

import pytest

from conftest import ROOT, run_cli
from inboxkit import LockTouches, settle_fast
from kyotei_docs.exitcodes import ExitCode
from kyotei_docs.registry import backups
from kyotei_docs.registry.errors import RegistryError
from kyotei_docs.registry.netfs import mount_of, network_reason, refuse_network
from kyotei_docs.site import SiteError, find, init
from waitkit import wait_for

SAMPLE = ROOT / "samples" / "01_content_controls.docx"     # 株式会社ななかまどヘルスケア, 包括・主軸 健康
DISASTER = ROOT / "samples" / "02_typed_glyphs.docx"      # 北嶺防災サービス株式会社, 個別, 災害対策


@pytest.fixture
def machine(tmp_path) -> Path:
    """The machine-wide folder of this test (what /etc/kyotei or %PROGRAMDATA%\\kyotei is for real)."""
    return Path(os.environ["KYOTEI_MACHINE_DIR"])


def user_env(tmp_path: Path, name: str) -> dict[str, str]:
    """One OS user's own folders: data, configuration, home; nothing names a site."""
    home = tmp_path / "users" / name
    (home / "work").mkdir(parents=True, exist_ok=True)
    return {"HOME": str(home), "XDG_DATA_HOME": str(home / "data"), "XDG_CONFIG_HOME": str(home / "config"),
            "LOCALAPPDATA": str(home / "data"), "APPDATA": str(home / "config"), "KYOTEI_SITE": "",
            "KYOTEI_ACTOR": name}


def as_user(tmp_path: Path, name: str, *args: str, cwd: Path | None = None):
    env = user_env(tmp_path, name)
    return run_cli(*args, cwd=cwd or Path(env["HOME"]) / "work", env=env)


# ------------------------------------------------------------------------------ init, site


def test_init_makes_the_site_records_it_and_says_what_next(tmp_path, machine):
    r = as_user(tmp_path, "admin", "init", str(tmp_path / "office"))
    assert r.returncode == 0, r.stderr
    root = tmp_path / "office"
    for name in ("kyotei.toml", "registry.sqlite3", "受付", "受付/inbox", "cases", "backups", "logs"):
        assert (root / name).exists(), name
        assert str(root / name) in r.stdout  # each thing made is named
    assert (machine / "site.toml").is_file() and str(machine / "site.toml") in r.stdout
    assert "次にすること" in r.stdout and "kyotei watch" in r.stdout and "kyotei serve" in r.stdout
    # again: nothing changed, nothing lost
    before = (root / "registry.sqlite3").read_bytes()
    again = as_user(tmp_path, "admin", "init", str(root))
    assert again.returncode == 0 and "既にサイトです（設定・台帳・フォルダは変更していません）" in again.stdout
    assert "何も変更していません" not in again.stdout  # it then says it recorded the site: no contradiction
    assert (root / "registry.sqlite3").read_bytes() == before
    # a folder holding an old configuration or registry is refused, untouched; other files are no obstacle
    (tmp_path / "busy").mkdir()
    (tmp_path / "busy" / "kyotei.toml").write_text('[registry]\npath = "x.sqlite3"\n', encoding="utf-8")
    r = as_user(tmp_path, "admin", "init", str(tmp_path / "busy"), "--no-record")
    assert r.returncode == ExitCode.CONFIG and "サイトではありません" in r.stderr
    assert sorted(p.name for p in (tmp_path / "busy").iterdir()) == ["kyotei.toml"]
    (tmp_path / "memo").mkdir()
    (tmp_path / "memo" / "memo.txt").write_text("x", encoding="utf-8")
    assert as_user(tmp_path, "admin", "init", str(tmp_path / "memo"), "--no-record").returncode == 0
    assert (tmp_path / "memo" / "memo.txt").read_text(encoding="utf-8") == "x"
    r = as_user(tmp_path, "admin", "init", str(tmp_path / "second"))
    assert r.returncode == ExitCode.CONFIG and str(root) in r.stderr and not (tmp_path / "second").exists()
    en = run_cli("--lang", "en", "init", str(tmp_path / "trial"), "--no-record", cwd=tmp_path)
    assert en.returncode == 0 and "Made the site" in en.stdout and "Next:" in en.stdout


def test_the_commands_the_site_configuration_names_exist(tmp_path):
    """The new site's kyotei.toml told staff 「kyotei config --export ファイル名」, an option that does not
    exist (the command is ``kyotei config export``): each command its comments name must run."""
    import re

    init(tmp_path / "office", record=False)
    text = (tmp_path / "office" / "kyotei.toml").read_text(encoding="utf-8")
    named = [m.split() for m in re.findall(r"kyotei((?: [a-z-]+)+)", text)]
    assert named, text
    for words in named:
        r = run_cli(*words, "--help", cwd=tmp_path)
        assert r.returncode == 0, (words, r.stderr)


def test_init_without_rights_to_the_machine_folder_records_for_the_user_and_says_so(tmp_path, monkeypatch):
    locked = tmp_path / "locked"
    locked.write_text("a file where the machine-wide folder should be", encoding="utf-8")
    monkeypatch.setenv("KYOTEI_MACHINE_DIR", str(locked / "kyotei"))
    r = as_user(tmp_path, "tanaka", "init", str(tmp_path / "office"))
    assert r.returncode == 0, r.stderr
    record = tmp_path / "users" / "tanaka" / "config" / "kyotei" / "site.toml"
    assert record.is_file() and "他の利用者" in r.stderr and "KYOTEI_SITE" in r.stderr
    shown = json.loads(as_user(tmp_path, "tanaka", "site", "--json").stdout)
    assert shown["source"] == "user" and shown["record"] == str(record)


def test_site_json_names_everything_with_absolute_paths_and_why(tmp_path, machine):
    as_user(tmp_path, "admin", "init", str(tmp_path / "office"))
    r = as_user(tmp_path, "suzuki", "site", "--json")
    assert r.returncode == 0, r.stderr
    data = json.loads(r.stdout)
    root = tmp_path / "office"
    assert data["site"] == str(root) and data["config"] == str(root / "kyotei.toml")
    assert data["registry"] == str(root / "registry.sqlite3") and data["registry_ok"] is True
    assert data["drop_folder"] == str(root / "受付") and data["source"] == "machine"
    assert all(Path(data[k]).is_absolute() for k in ("site", "config", "registry", "drop_folder"))
    text = as_user(tmp_path, "suzuki", "site").stdout
    assert str(machine / "site.toml") in text and "このサイトのもの" in text
    # --site and KYOTEI_SITE come first, and say so
    other = init(tmp_path / "trial", record=False).site
    assert json.loads(as_user(tmp_path, "suzuki", "--site", str(other.root), "site", "--json").stdout)["source"] == "option"
    env = dict(user_env(tmp_path, "suzuki"), KYOTEI_SITE=str(other.root))
    assert json.loads(run_cli("site", "--json", env=env).stdout)["site"] == str(other.root)
    # a folder named as the site that is not one: an error, never the next place in the order
    bad = as_user(tmp_path, "suzuki", "--site", str(tmp_path), "registry", "list")
    assert bad.returncode == ExitCode.CONFIG and "サイトではありません" in bad.stderr


def test_no_site_says_how_to_make_one_and_read_only_commands_still_work(tmp_path):
    r = as_user(tmp_path, "suzuki", "site")
    assert r.returncode == ExitCode.FINDINGS and "kyotei init" in r.stdout
    for args in (("inbox",), ("registry", "list"), ("serve",)):
        refused = as_user(tmp_path, "suzuki", *args)
        assert refused.returncode in (ExitCode.USAGE, ExitCode.REGISTRY), (args, refused.stderr)
        assert "kyotei init" in refused.stderr, args
    assert as_user(tmp_path, "suzuki", "check", str(SAMPLE)).returncode == 0  # a file, no registry needed
    assert as_user(tmp_path, "suzuki", "parse", str(SAMPLE)).returncode == 0


# ------------------------------------------------------------------------ one office, two users


def test_two_os_users_share_one_site_one_registry_one_numbering(tmp_path, machine):
    assert as_user(tmp_path, "admin", "init", str(tmp_path / "office")).returncode == 0
    settle_fast(tmp_path / "office" / "kyotei.toml")
    drop = tmp_path / "office" / "受付"
    shutil.copy(SAMPLE, drop / "inbox")
    first = as_user(tmp_path, "sato", "inbox", "--workers", "0", "--no-pdf")
    assert first.returncode == 0, first.stderr
    shutil.copy(DISASTER, drop / "inbox")
    second = as_user(tmp_path, "ito", "inbox", "--workers", "0", "--no-pdf")
    assert second.returncode == 0, second.stderr
    for user in ("sato", "ito", "admin"):
        rows = json.loads(as_user(tmp_path, user, "registry", "list", "--json").stdout)
        assert [(r["id"], r["partner"]["name"]) for r in rows] == [
            (1, "株式会社ななかまどヘルスケア"), (2, "北嶺防災サービス株式会社")], user
    # one journal and one log, in the site, for both users; nothing in either user's data folder
    assert (tmp_path / "office" / "logs" / "journal.sqlite3").is_file()
    assert (tmp_path / "office" / "logs" / "inbox.log").is_file()
    for user in ("sato", "ito"):
        data = tmp_path / "users" / user / "data"
        assert not data.exists() or not any(p.suffix == ".sqlite3" for p in data.rglob("*")), user


# ------------------------------------------------------------------- the site knows its registry


def test_a_missing_registry_is_refused_files_stay_in_inbox_nothing_is_created(tmp_path, machine):
    as_user(tmp_path, "admin", "init", str(tmp_path / "office"))
    settle_fast(tmp_path / "office" / "kyotei.toml")
    root = tmp_path / "office"
    shutil.copy(SAMPLE, root / "受付" / "inbox")
    assert as_user(tmp_path, "sato", "registry", "backup").returncode == 0
    [kept] = backups.daily_files(root / "backups")
    (root / "registry.sqlite3").unlink()
    for args in (("inbox", "--workers", "0", "--no-pdf"), ("watch", "--workers", "0", "--no-pdf"),
                 ("registry", "add", str(DISASTER)), ("registry", "list"), ("sign", "1", "--date", "2026-06-01"),
                 ("serve",)):
        r = as_user(tmp_path, "sato", *args)
        assert r.returncode == ExitCode.REGISTRY, (args, r.stdout, r.stderr)
        assert "協定登録簿がありません" in r.stderr and str(root / "registry.sqlite3") in r.stderr, args
        assert f"kyotei registry restore {kept}" in r.stderr, args
        assert not (root / "registry.sqlite3").exists(), args
        assert [p.name for p in (root / "受付" / "inbox").iterdir()] == [SAMPLE.name], args
    assert not (root / "受付" / "done").exists() or not any((root / "受付" / "done").rglob("*.html"))
    # restored from the backup, the same pass files the proposal as case 1
    restored = as_user(tmp_path, "sato", "registry", "restore", str(kept), "--yes")
    assert restored.returncode == 0, restored.stderr
    r = as_user(tmp_path, "sato", "inbox", "--workers", "0", "--no-pdf")
    assert r.returncode == 0, r.stderr
    rows = json.loads(as_user(tmp_path, "ito", "registry", "list", "--json").stdout)
    assert [(x["id"], x["partner"]["name"]) for x in rows] == [(1, "株式会社ななかまどヘルスケア")]


def test_a_replaced_registry_is_refused_and_left_as_it_is(tmp_path, machine):
    as_user(tmp_path, "admin", "init", str(tmp_path / "office"))
    root = tmp_path / "office"
    other = init(tmp_path / "elsewhere", record=False).site  # another office's (empty) registry
    shutil.copy(other.registry, root / "registry.sqlite3")
    before = (root / "registry.sqlite3").read_bytes()
    shutil.copy(SAMPLE, root / "受付" / "inbox")
    for args in (("inbox", "--workers", "0", "--no-pdf"), ("registry", "list")):
        r = as_user(tmp_path, "sato", *args)
        assert r.returncode == ExitCode.REGISTRY and "このサイト" not in r.stdout, args
        assert "サイト" in r.stderr and other.id in r.stderr and "kyotei registry restore" in r.stderr, args
    assert (root / "registry.sqlite3").read_bytes() == before
    assert [p.name for p in (root / "受付" / "inbox").iterdir()] == [SAMPLE.name]
    # an old per-user registry (made without a site) put in its place is refused the same way
    (root / "registry.sqlite3").unlink()
    assert run_cli("registry", "create", "--registry", str(root / "registry.sqlite3"), cwd=tmp_path).returncode == 0
    r = as_user(tmp_path, "sato", "registry", "list")
    assert r.returncode == ExitCode.REGISTRY and "—" in r.stderr


def test_registry_create_only_on_request_and_only_where_there_is_none(tmp_path, site):
    site.registry.unlink()
    made = run_cli("registry", "create", cwd=tmp_path)
    assert made.returncode == 0 and str(site.registry) in made.stdout
    assert run_cli("registry", "list", cwd=tmp_path).returncode == 0  # it carries the site's id
    again = run_cli("registry", "create", cwd=tmp_path)
    assert again.returncode == ExitCode.FINDINGS and "既に協定登録簿があります" in again.stderr


# ------------------------------------------------------- the same answer from every folder


def test_three_folders_give_the_same_routing_and_form2_and_a_stray_config_is_named(tmp_path, site):
    with site.config.open("a", encoding="utf-8") as conf:
        conf.write('\n[municipality]\nmayor_name = "旭川　一郎"\n\n[routing.departments.hokenjo]\nname = "保健所 健康推進課"\n')
    folders = [tmp_path / "a", tmp_path / "b", tmp_path / "c"]
    for i, folder in enumerate(folders):
        folder.mkdir()
        if i:  # two of them hold a kyotei.toml of their own, as staff folders do
            (folder / "kyotei.toml").write_text(
                '[municipality]\nmayor_name = "別の　市長"\n[routing.departments.hokenjo]\nname = "別の課"\n',
                encoding="utf-8")
    routes, texts = [], []
    import zipfile

    for i, folder in enumerate(folders):
        checked = run_cli("check", str(SAMPLE), "--json", cwd=folder)
        assert checked.returncode == 0, checked.stderr
        routes.append(json.loads(checked.stdout.splitlines()[0])["routing"])
        rendered = run_cli("render", str(SAMPLE), "--out", "out", cwd=folder)
        assert rendered.returncode == 0, rendered.stderr
        [form2] = [p for p in (folder / "out").rglob("*協定書.docx")]
        with zipfile.ZipFile(form2) as package:  # the whole body: paragraphs and the signature table
            texts.append(package.read("word/document.xml").decode("utf-8"))
        if i:
            assert f"{folder / 'kyotei.toml'} は使っていません" in checked.stderr and str(site.config) in checked.stderr
        else:
            assert "使っていません" not in checked.stderr
    assert routes[0] == routes[1] == routes[2] and "保健所 健康推進課" in json.dumps(routes[0], ensure_ascii=False)
    assert texts[0] == texts[1] == texts[2] and "旭川　一郎" in texts[0] and "別の" not in texts[0]


def test_relative_paths_in_the_site_config_are_relative_to_the_site(tmp_path, site, monkeypatch):
    (site.root / "data").mkdir()
    shutil.move(site.registry, site.root / "data" / "office.sqlite3")
    with site.config.open("a", encoding="utf-8") as conf:
        conf.write('\n[registry]\npath = "data/office.sqlite3"\n')
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    data = json.loads(run_cli("site", "--json", cwd=elsewhere).stdout)
    assert data["registry"] == str(site.root / "data" / "office.sqlite3") and data["registry_ok"] is True
    assert run_cli("registry", "add", str(SAMPLE), cwd=elsewhere).returncode == 0
    assert not (elsewhere / "data").exists()


def test_sign_writes_into_the_case_folder_of_the_site_and_prints_the_absolute_path(tmp_path, site):
    pytest.importorskip("kyotei_docs.render")
    assert run_cli("registry", "add", str(DISASTER), cwd=tmp_path).returncode == 0
    assert run_cli("registry", "judge", "1", "--all-clear", "--yes", cwd=tmp_path).returncode == 0  # issue 18
    r = run_cli("sign", "1", "--date", "2026-06-01", "--no-pdf", "--yes", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    folder = site.cases / "1_北嶺防災サービス株式会社"
    written = sorted(folder.glob("*.docx"))
    assert len(written) == 2 and all(f"  {p}" in r.stdout for p in written)
    assert not (tmp_path / "agreements").exists()


# ---------------------------------------------------------------------------- network shares


MOUNTINFO = r"""22 1 8:1 / / rw,relatime shared:1 - ext4 /dev/sda1 rw
30 22 0:40 / /srv/kyotei rw,relatime shared:20 - nfs4 fileserver:/export/kyotei rw,vers=4.2
31 22 0:41 / /mnt/share\040office rw,relatime shared:21 - cifs //nas/office rw,vers=3.0
32 31 8:2 / /mnt/share\040office/local rw,relatime shared:22 - ext4 /dev/sdb1 rw
33 22 0:42 / /home/sato/remote rw,nosuid shared:23 - fuse.sshfs sato@server:/data rw
"""


@pytest.mark.parametrize("path, remote", [
    ("/srv/kyotei/registry.sqlite3", "nfs4"), ("/srv/kyotei2/registry.sqlite3", None),
    ("/mnt/share office/site/registry.sqlite3", "cifs"), ("/mnt/share office/local/registry.sqlite3", None),
    ("/home/sato/remote/site/registry.sqlite3", "fuse.sshfs"), ("/var/lib/kyotei/registry.sqlite3", None),
])
def test_network_file_systems_are_told_from_the_mount_table(path, remote):
    mount = mount_of(path, MOUNTINFO)
    assert mount is not None and (mount.fstype if mount.remote else None) == remote
    if remote:
        with pytest.raises(RegistryError) as err:
            refuse_network(Path(path), mountinfo=MOUNTINFO)
        assert err.value.code == "network_fs" and remote in err.value.message and "ネットワーク" in err.value.message
    else:
        refuse_network(Path(path), mountinfo=MOUNTINFO)


def test_this_machines_own_disk_is_not_a_share(tmp_path):
    assert network_reason(tmp_path / "registry.sqlite3") is None


# ------------------------------------------------------------------------ backups, restore


def test_backups_rotate_and_a_restore_keeps_what_it_replaced(tmp_path, site, site_cfg):
    with site.config.open("a", encoding="utf-8") as conf:
        conf.write('\n[registry]\nbackups_keep = 2\n')
    run_cli("registry", "add", str(SAMPLE), cwd=tmp_path)
    made = []
    for n in range(3):
        r = run_cli("registry", "backup", cwd=tmp_path, env={"KYOTEI_NOW": f"2026-06-0{n + 1}T09:00:00+09:00"})
        assert r.returncode == 0, r.stderr
        made.append(next(p for p in backups.daily_files(site.backups) if p.name.startswith(f"registry-2026060{n + 1}")))
    other = site.backups / "staff-copy.sqlite3"
    other.write_bytes(b"not ours")
    assert backups.daily_files(site.backups) == made[1:] and other.exists()  # the oldest went, staff's file stays
    run_cli("registry", "add", str(DISASTER), cwd=tmp_path)
    # a backup that is not there is said at once (usage, exit 2), before any question, and not as
    # 「協定登録簿が見つかりません … kyotei registry add で作成」 about the site's own registry
    missing = run_cli("registry", "restore", "nothere.sqlite3", "--yes", cwd=tmp_path)
    assert missing.returncode == ExitCode.USAGE and "「nothere.sqlite3」が見つかりません" in missing.stderr
    assert "registry add" not in missing.stderr and "確認が取れなかった" not in missing.stderr
    assert run_cli("registry", "restore", "nothere.sqlite3", cwd=tmp_path).returncode == ExitCode.USAGE
    refused = run_cli("registry", "restore", str(made[1]), cwd=tmp_path)  # no terminal, no --yes
    assert refused.returncode == ExitCode.FINDINGS
    r = run_cli("registry", "restore", str(made[1]), "--yes", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    rows = json.loads(run_cli("registry", "list", "--json", cwd=tmp_path).stdout)
    assert [x["id"] for x in rows] == [1]
    [replaced] = site.root.glob("registry.sqlite3.replaced-*")
    [saved] = site.backups.glob("before-restore-*.sqlite3")
    for copy in (replaced, saved):  # the two-case registry is kept twice over
        with sqlite3.connect(copy) as conn:
            assert conn.execute("SELECT count(*) FROM agreements").fetchone()[0] == 2
    # another site's backup is refused, nothing changed
    stranger = init(tmp_path / "stranger", record=False).site
    r = run_cli("registry", "restore", str(stranger.registry), "--yes", cwd=tmp_path)
    assert r.returncode == ExitCode.FINDINGS and "このサイト" in r.stderr
    assert len(json.loads(run_cli("registry", "list", "--json", cwd=tmp_path).stdout)) == 1


def test_the_daily_backup_is_made_once_a_city_day(tmp_path, site, site_cfg, monkeypatch):
    monkeypatch.setenv("KYOTEI_NOW", "2026-06-01T23:30:00+00:00")  # already 2 June in Japan
    first = backups.daily(site_cfg)
    assert first is not None and first.name.startswith("registry-20260602-0830")
    assert backups.daily(site_cfg) is None
    monkeypatch.setenv("KYOTEI_NOW", "2026-06-02T15:30:00+00:00")  # 3 June 00:30 in Japan
    assert backups.daily(site_cfg) is not None


def test_find_refuses_a_record_naming_no_site(tmp_path, machine):
    machine.mkdir(parents=True, exist_ok=True)
    (machine / "site.toml").write_text(f'path = "{tmp_path / "gone"}"\n', encoding="utf-8")
    with pytest.raises(SiteError) as err:
        find()
    assert str(machine / "site.toml") in err.value.message


def test_the_staff_manual_starts_from_kyotei_init_and_the_setup_page_has_the_services():
    import re

    staff = (ROOT / "docs" / "staff.md").read_text(encoding="utf-8")
    commands = re.findall(r"^kyotei [^\n]*", staff, flags=re.M) + re.findall(r"`(kyotei [^`]*)`", staff)
    first = min(commands, key=staff.index)
    assert first.startswith("kyotei init"), first
    headings = re.findall(r"^## (.*)$", staff, flags=re.M)
    assert "kyotei init" in headings[1], headings  # right after installing
    setup = (ROOT / "docs" / "office-setup.md").read_text(encoding="utf-8")
    for needed in ("kyotei init", "nssm install", "[Service]", "ExecStart=", "kyotei registry restore",
                   "backups_keep", "受付"):
        assert needed in setup, needed
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "make demo" in readme and "kyotei init" in readme and "(docs/office-setup.md)" in readme


def test_the_log_and_the_watch_console_tell_the_citys_time(tmp_path, cfg, server_in_utc):
    import logging

    from kyotei_docs.inbox.watcher import setup_log

    log_file = tmp_path / "inbox.log"
    handler = setup_log(log_file, echo=False, cfg=cfg)
    assert handler is not None
    try:
        record = logging.LogRecord("kyotei.inbox", logging.INFO, __file__, 1, "x", None, None)
        record.created = 1_780_000_000.0  # 2026-05-28 20:26:40 UTC = 2026-05-29 05:26:40 in Japan
        assert handler.format(record).startswith("2026-05-29 05:26:40")
    finally:
        logging.getLogger("kyotei.inbox").removeHandler(handler)
        handler.close()


# ------------------------------------------------------------------------------------- adopt


def test_adopt_merges_old_registries_without_renumbering_the_sites_and_takes_the_config(tmp_path, site):
    from kyotei_docs.registry.location import DEFAULT_NAME, user_data_dir

    work = tmp_path / "work"
    work.mkdir()
    # the site already has case 1; this user's old per-user registry has two cases, one of them the same file
    assert run_cli("registry", "add", str(DISASTER), cwd=work).returncode == 0
    old = user_data_dir() / DEFAULT_NAME
    for sample in (SAMPLE, DISASTER):
        assert run_cli("registry", "add", str(sample), "--registry", str(old), cwd=work).returncode == 0
    (work / "kyotei.toml").write_text('[municipality]\nmayor_name = "旭川　花子"\n\n[registry]\npath = "old.sqlite3"\n',
                                      encoding="utf-8")
    site_before = json.loads(run_cli("registry", "show", "1", "--json", cwd=work).stdout)
    refused = run_cli("site", "adopt", cwd=work)  # no terminal, no --yes: nothing changes
    assert refused.returncode == ExitCode.FINDINGS and old.exists() and str(old) in refused.stdout
    r = run_cli("site", "adopt", "--yes", cwd=work)
    assert r.returncode == 0, r.stderr
    assert "旧 協定ID 1 → 協定ID 2  株式会社ななかまどヘルスケア" in r.stdout, r.stdout
    assert "旧 協定ID 2 → 協定ID 3  北嶺防災サービス株式会社" in r.stdout
    assert "kyotei registry merge 1 3" in r.stdout  # the same file was already the site's case 1
    rows = json.loads(run_cli("registry", "list", "--json", cwd=work).stdout)
    assert [(x["id"], x["partner"]["name"]) for x in rows] == [
        (1, "北嶺防災サービス株式会社"), (2, "株式会社ななかまどヘルスケア"), (3, "北嶺防災サービス株式会社")]
    assert json.loads(run_cli("registry", "show", "1", "--json", cwd=work).stdout)["files"] == site_before["files"]
    shown = json.loads(run_cli("registry", "show", "2", "--json", cwd=work).stdout)
    assert [f["name"] for f in shown["files"]] == [SAMPLE.name]
    assert "サイトへの取り込み" in run_cli("registry", "show", "2", cwd=work).stdout
    # nothing lost: the site's registry was backed up first, the old files are kept under new names
    assert list(site.backups.glob("registry-*.sqlite3"))
    assert not old.exists() and len(list(old.parent.glob(DEFAULT_NAME + ".adopted-*"))) == 1
    assert not (work / "kyotei.toml").exists() and len(list(work.glob("kyotei.toml.adopted-*"))) == 1
    assert list(site.backups.glob("kyotei.toml.before-adopt-*"))
    # the configuration now is the site's: the mayor's name, never the old registry path
    conf = site.config.read_text(encoding="utf-8")
    assert 'mayor_name = "旭川　花子"' in conf and '# path = "old.sqlite3"' in conf
    data = json.loads(run_cli("site", "--json", cwd=work).stdout)
    assert data["registry"] == str(site.registry) and data["registry_ok"] and data["ignored_config"] is None
    # nothing left to adopt
    assert run_cli("site", "adopt", "--yes", cwd=work).returncode == ExitCode.FINDINGS


def test_adopt_refuses_the_sites_own_registry_and_a_config_into_a_customised_site(tmp_path, site):
    own = run_cli("site", "adopt", "--from", str(site.registry), "--yes", cwd=tmp_path)
    assert own.returncode == ExitCode.FINDINGS and "このサイトの協定登録簿です" in own.stderr
    with site.config.open("a", encoding="utf-8") as conf:
        conf.write('\n[municipality]\nmayor_name = "旭川　一郎"\n')
    other = tmp_path / "other.toml"
    other.write_text('[municipality]\nmayor_name = "別の　市長"\n', encoding="utf-8")
    before = site.config.read_bytes()
    r = run_cli("site", "adopt", "--config", str(other), "--yes", cwd=tmp_path)
    assert r.returncode == ExitCode.FINDINGS and "手で書き写して" in r.stderr
    assert site.config.read_bytes() == before and other.exists()


def test_the_screen_and_templates_take_their_folders_from_the_site(tmp_path, site, monkeypatch):
    from kyotei_docs.config import load_config
    from kyotei_docs.render.templates import chosen_dir
    from kyotei_docs.web.settings import WebSettings

    with site.config.open("a", encoding="utf-8") as conf:
        conf.write('\n[render]\ntemplates = "ひな形"\n')
    monkeypatch.chdir(tmp_path)
    cfg = load_config(site=site)
    web = WebSettings.from_config(cfg)
    assert web.drop_folder == site.drop_folder and web.journal == site.journal
    assert web.users_file == site.root / "kyotei-users.toml"
    assert chosen_dir(cfg, None) == site.root / "ひな形"


def test_watch_backs_up_once_a_day_and_waits_while_the_registry_is_missing(tmp_path, site):
    import signal
    import subprocess
    import sys

    from conftest import ROOT as root

    settle_fast(site.config)
    env = dict(os.environ, PYTHONPATH=str(root))
    proc = subprocess.Popen([sys.executable, "-m", "kyotei_docs", "watch", "--workers", "0", "--no-pdf",
                             "--interval", "0.1"], cwd=tmp_path, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    try:
        assert wait_for(lambda: backups.daily_files(site.backups), timeout=60)
        [made] = backups.daily_files(site.backups)  # the day's copy, made after the first pass
        cycles = LockTouches(site.drop_folder)
        site.registry.rename(tmp_path / "moved-away.sqlite3")  # the registry goes missing while watching
        shutil.copy(SAMPLE, site.drop_folder / "inbox")
        log = site.logs / "inbox.log"
        assert wait_for(lambda: "協定登録簿がありません" in log.read_text(encoding="utf-8"))
        # Five cycles since the copy, at least (each cycle writes the lock file once, or twice when it gives
        # the lock back): enough for a watch that ignored the missing registry to settle the file and take it.
        assert cycles.wait(5)
        assert [p.name for p in (site.drop_folder / "inbox").iterdir()] == [SAMPLE.name]
        assert not site.registry.exists()
    finally:
        proc.send_signal(signal.SIGTERM)
        out, err = proc.communicate(timeout=60)
    assert proc.returncode == 0, err
    assert "協定登録簿がありません" in err and str(made) in err  # said on the console too, with the backup


def test_the_screen_says_the_sites_registry_is_missing_and_makes_none(tmp_path, site):
    from kyotei_docs.config import load_config
    from kyotei_docs.web.app import create_app
    from kyotei_docs.web.settings import WebSettings

    cfg = load_config(site=site)
    app = create_app(cfg, WebSettings.from_config(cfg))
    client = app.test_client()
    assert client.get("/").status_code == 200
    site.registry.unlink()
    page = client.get("/")
    assert page.status_code == 503 and "協定登録簿がありません" in page.get_data(as_text=True)
    assert not site.registry.exists()


@pytest.mark.parametrize("xdg, home", [(None, "/home/tanaka"), ("/srv/conf", "/home/tanaka"), ("", "/home/tanaka/"),
                                       ("relative/conf", "/home/tanaka"), (None, None), (None, "relative-home")])
def test_the_users_folder_is_platformdirs_answer(monkeypatch, xdg, home):
    """site.user_dir reads the XDG rule itself on Linux (platformdirs' import is ~4 ms of every start
    without a machine-wide record): the folder must stay the one platformdirs names, where earlier
    versions of ``kyotei init`` wrote the user's record."""
    import platformdirs

    from kyotei_docs.site import user_dir

    for name, value in (("XDG_CONFIG_HOME", xdg), ("HOME", home)):
        if value is None:
            monkeypatch.delenv(name, raising=False)
        else:
            monkeypatch.setenv(name, value)
    expected = Path(platformdirs.user_config_dir("kyotei", appauthor=False, roaming=True))
    assert user_dir() == expected
