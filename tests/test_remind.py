"""Reminders (issue 19): listed per department, mailed once through a real local SMTP server (aiosmtpd,
127.0.0.1 only) with STARTTLS and a login whose password comes from the environment, never twice.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import json
import sqlite3
import ssl
from email import message_from_bytes
from email.policy import default as default_policy
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from conftest import ROOT
from kyotei_docs.cli import cli
from kyotei_docs.exitcodes import ExitCode

SAMPLE = ROOT / "samples" / "01_content_controls.docx"   # 保健所 保健総務課, comprehensive
DISASTER = ROOT / "samples" / "02_typed_glyphs.docx"    # 防災安全部 防災課, individual


@pytest.fixture
def kyotei(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("KYOTEI_REGISTRY", str(tmp_path / "reg.sqlite3"))
    monkeypatch.delenv("KYOTEI_CONFIG", raising=False)
    runner = CliRunner()

    def run(*args: str, now: str = "2026-12-07", env: dict | None = None):
        return runner.invoke(cli, list(args), env={"KYOTEI_NOW": f"{now}T10:00:00+09:00"} | (env or {}),
                             catch_exceptions=False)

    return run


def js(result) -> Any:
    return json.loads(result.stdout)


def two_signed(kyotei) -> None:
    assert kyotei("registry", "add", str(SAMPLE)).exit_code == 0
    assert kyotei("registry", "add", str(DISASTER)).exit_code == 0
    for case in ("1", "2"):
        assert kyotei("registry", "judge", case, "--all-clear", "--yes").exit_code == 0  # judged in a meeting
        assert kyotei("sign", case, "--date", "2026-06-01", "--no-render", "--yes").exit_code == 0


def test_remind_lists_what_is_due_per_department(kyotei):
    two_signed(kyotei)
    assert js(kyotei("remind", "--json", "--no-mail"))["reminders"] == []  # 2026-12-07: nothing yet
    # 2027-02-01: both notice deadlines (2027-02-26, safe reading) are within 30 days
    r = kyotei("remind", "--no-mail", now="2027-02-01")
    assert r.exit_code == 0 and "■ 保健所 保健総務課（1件）" in r.stdout and "■ 防災安全部 防災課（1件）" in r.stdout
    assert "不更新の申出期限" in r.stdout and "あと25日" in r.stdout
    # 2027-04-10: expired and renew not run (late), and the 令和8年度 results survey (no result recorded)
    found = js(kyotei("remind", "--json", "--no-mail", now="2027-04-10"))["reminders"]
    assert {(x["kind"], x["id"], x["late"]) for x in found} == {
        ("renewal_pending", 1, True), ("renewal_pending", 2, True), ("survey", 1, False), ("survey", 2, False)}
    kyotei("registry", "renew", now="2027-04-10")
    kyotei("registry", "results", "add", "1", "--fy", "2026", "--item", "1", "--title", "講座", "--yes",
           now="2027-04-10")
    found = js(kyotei("remind", "--json", "--no-mail", now="2027-05-10"))["reminders"]
    # after the survey's due day: case 2, still without results, needs the consultation of 5(3)
    assert [(x["kind"], x["id"], x["date"]) for x in found] == [("consultation", 2, "2027-06-30")]
    kyotei("registry", "reviewed", "2", "--fy", "2026", "--outcome", "continue", "--yes", now="2027-05-10")
    assert js(kyotei("remind", "--json", "--no-mail", now="2027-05-10"))["reminders"] == []
    # a day that has not come only lists, and says so
    ahead = kyotei("remind", "--today", "2027-02-01")
    assert ahead.exit_code == 0 and "見込み" in ahead.stderr


# ---------------------------------------------------------------------------------- a real SMTP server


def _certificate(folder: Path) -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1 (the test's relay), written as PEM files."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = dt.datetime.now(dt.UTC)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now - dt.timedelta(days=1))
            .not_valid_after(now + dt.timedelta(days=2))
            .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
                           critical=False)
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .sign(key, hashes.SHA256()))
    cert_file, key_file = folder / "relay.pem", folder / "relay.key"
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return cert_file, key_file


@pytest.fixture
def relay(tmp_path):
    """aiosmtpd on 127.0.0.1: STARTTLS required before AUTH and MAIL, one user 'kyotei' / 's3cret'."""
    from aiosmtpd.controller import Controller
    from aiosmtpd.smtp import AuthResult, LoginPassword

    cert, key = _certificate(tmp_path)
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)

    class Inbox:
        def __init__(self) -> None:
            self.messages: list[Any] = []

        async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's hook name)
            self.messages.append(message_from_bytes(envelope.content, policy=default_policy))
            return "250 OK"

    def authenticator(server, session, envelope, mechanism, auth_data):
        ok = isinstance(auth_data, LoginPassword) and auth_data.login == b"kyotei" and auth_data.password == b"s3cret"
        return AuthResult(success=ok, handled=False)  # handled=False: a refusal is answered 535, as relays do (else no answer at all)

    import socket

    with socket.socket() as probe:  # a free port on 127.0.0.1 (aiosmtpd checks its own port once started)
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port, tls_context=context, require_starttls=True,
                            authenticator=authenticator, auth_required=True, auth_require_tls=True)
    controller.start()
    try:
        yield inbox, port, cert
    finally:
        controller.stop()


def _mail_config(folder: Path, port: int, cafile: Path) -> None:
    (folder / "kyotei.toml").write_text(f"""
[mail]
host = "127.0.0.1"
port = {port}
starttls = true
user = "kyotei"
password_env = "TEST_RELAY_PASSWORD"
cafile = "{cafile.as_posix()}"
sender = "kyotei@city.example.jp"
timeout_seconds = 10

[routing.departments.hokenjo]
name = "保健所 保健総務課"
email = "hoken@city.example.jp"

[routing.departments.bousai]
name = "防災安全部 防災課"
email = "bousai@city.example.jp"
""", encoding="utf-8")


def test_one_mail_per_department_through_starttls_never_twice(kyotei, relay, tmp_path):
    inbox, port, cert = relay
    two_signed(kyotei)
    _mail_config(tmp_path, port, cert)
    secret = {"TEST_RELAY_PASSWORD": "s3cret"}
    assert "s3cret" not in (tmp_path / "kyotei.toml").read_text(encoding="utf-8")
    r = kyotei("remind", now="2027-02-01", env=secret)
    assert r.exit_code == 0, r.output
    assert "メールを送信しました: 保健所 保健総務課 → hoken@city.example.jp（1件）" in r.stdout
    assert sorted(m["To"] for m in inbox.messages) == ["bousai@city.example.jp", "hoken@city.example.jp"]
    hoken = next(m for m in inbox.messages if m["To"] == "hoken@city.example.jp")
    body = hoken.get_content()
    assert hoken["Subject"] == "【連携協定】対応が必要な事項のお知らせ" and "保健所 保健総務課 ご担当者様" in body
    assert "不更新の申出期限: 2027-02-26" in body and "株式会社ななかまどヘルスケア" in body
    # run in English, the e-mail to the department is still Japanese (the subject comes from the configuration)
    with sqlite3.connect(tmp_path / "reg.sqlite3") as db:
        db.execute("DELETE FROM reminders_sent")
    english = kyotei("--lang", "en", "remind", now="2027-02-01", env=secret)
    assert english.exit_code == 0 and "Due or late" in english.stdout  # the command speaks English
    later = next(m for m in inbox.messages[2:] if m["To"] == "hoken@city.example.jp").get_content()
    assert "保健所 保健総務課 ご担当者様" in later and "不更新の申出期限: 2027-02-26" in later and "deadline" not in later
    del inbox.messages[2:]  # both recorded as sent again
    # the same day again, and the next day: nothing new, nothing sent twice
    again = kyotei("remind", now="2027-02-02", env=secret)
    assert again.exit_code == 0 and "送信済みのため今回は送らなかった事項: 2件" in again.stdout
    assert len(inbox.messages) == 2
    with sqlite3.connect(tmp_path / "reg.sqlite3") as db:
        sent = sorted(db.execute("SELECT key, recipient FROM reminders_sent"))
    assert sent == [("notice_deadline:1:2027-02-26", "hoken@city.example.jp"),
                    ("notice_deadline:2:2027-02-26", "bousai@city.example.jp")]


def test_a_wrong_password_or_no_password_sends_nothing_and_records_nothing(kyotei, relay, tmp_path):
    inbox, port, cert = relay
    two_signed(kyotei)
    _mail_config(tmp_path, port, cert)
    r = kyotei("remind", now="2027-02-01", env={"TEST_RELAY_PASSWORD": "wrong"})
    assert r.exit_code == ExitCode.CONFIG and "メールの送信に失敗しました" in r.stderr and "Traceback" not in r.output
    r = kyotei("remind", now="2027-02-01", env={"TEST_RELAY_PASSWORD": ""})
    assert r.exit_code == ExitCode.CONFIG and "TEST_RELAY_PASSWORD" in r.stderr
    assert inbox.messages == []
    with sqlite3.connect(tmp_path / "reg.sqlite3") as db:
        assert db.execute("SELECT count(*) FROM reminders_sent").fetchone()[0] == 0
    # a password in the configuration file itself is refused as an unknown setting
    with open(tmp_path / "kyotei.toml", "a", encoding="utf-8") as fh:
        fh.write('\n[mail.extra]\n')
    text = (tmp_path / "kyotei.toml").read_text(encoding="utf-8").replace('user = "kyotei"',
                                                                          'user = "kyotei"\npassword = "s3cret"')
    (tmp_path / "kyotei.toml").write_text(text.replace("\n[mail.extra]\n", ""), encoding="utf-8")
    r = kyotei("remind", now="2027-02-01")
    assert r.exit_code == ExitCode.CONFIG and "password" in r.stderr and inbox.messages == []


def test_watch_mails_once_a_day_and_never_twice_after_a_restart(kyotei, relay, tmp_path, monkeypatch):
    """The watcher's daily step (inbox/watcher.py) over remind.daily: one run a city day; a second
    watcher the same day (a restart) finds everything recorded and sends nothing."""
    from types import SimpleNamespace

    from kyotei_docs.config import load_config
    from kyotei_docs.inbox.watcher import Watcher

    inbox, port, cert = relay
    two_signed(kyotei)
    _mail_config(tmp_path, port, cert)
    with open(tmp_path / "kyotei.toml", "a", encoding="utf-8") as fh:
        fh.write(f'\n[registry]\npath = "{(tmp_path / "reg.sqlite3").as_posix()}"\n')
    monkeypatch.setenv("TEST_RELAY_PASSWORD", "s3cret")
    monkeypatch.setenv("KYOTEI_NOW", "2027-02-01T10:00:00+09:00")
    cfg = load_config(tmp_path / "kyotei.toml")
    first = SimpleNamespace(opts=SimpleNamespace(registry=True), cfg=cfg, _reminded_on=None)
    Watcher._daily_reminders(first)  # type: ignore[arg-type]
    assert len(inbox.messages) == 2 and str(first._reminded_on) == "2027-02-01"
    inbox.messages.clear()
    Watcher._daily_reminders(first)  # type: ignore[arg-type]  # later the same day: not even looked at
    restarted = SimpleNamespace(opts=SimpleNamespace(registry=True), cfg=cfg, _reminded_on=None)
    Watcher._daily_reminders(restarted)  # type: ignore[arg-type]
    assert inbox.messages == []
    # without [mail] nothing is opened or sent
    plain = SimpleNamespace(opts=SimpleNamespace(registry=True), cfg=load_config(ROOT / "kyotei_docs" / "defaults" /
                                                                                 "kyotei.toml"), _reminded_on=None)
    Watcher._daily_reminders(plain)  # type: ignore[arg-type]
    assert plain._reminded_on is None
