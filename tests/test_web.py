"""``kyotei serve``: every page, sign-in, roles, CSRF, headers, uploads (good, oversized, hostile).

Real things throughout: a real registry file, a real drop folder processed by
the drop folder's own pass, real argon2 hashes; Flask's test client stands in
for the browser (tests/test_web_browser.py drives a real one).
"""

from __future__ import annotations

import io
import re
import sqlite3

import pytest
from click.testing import CliRunner

from hostile import CORPUS
from kyotei_docs.web.settings import CHANGE, WebError, is_loopback
from kyotei_docs.web.users import hash_password, load_users, save_user
from webkit import PASSWORD, add_users, form_bytes, home, login, make_app, token, upload  # noqa: F401

# ---------------------------------------------------------------------------------- start-up


def test_loopback_addresses():
    assert is_loopback("127.0.0.1") and is_loopback("::1") and is_loopback("localhost")
    assert not is_loopback("0.0.0.0") and not is_loopback("192.168.1.10") and not is_loopback("::")


def test_refuses_other_addresses_without_sign_in(home):
    with pytest.raises(WebError) as info:
        make_app(home, host="0.0.0.0")
    assert info.value.code == "needs_auth"
    assert "adduser" in info.value.message


def test_other_addresses_with_users_or_proxy(home):
    make_app(home, host="0.0.0.0", proxy_user_header="X-Remote-User")
    add_users(home)
    app = make_app(home, host="0.0.0.0")
    assert app.test_client().get("/").status_code == 302  # sign-in required


def test_serve_command_refuses_and_says_why(home):
    from kyotei_docs.cli import cli

    result = CliRunner().invoke(cli, ["--config", str(home / "kyotei.toml"), "serve", "--host", "0.0.0.0"])
    assert result.exit_code == 1
    assert "kyotei serve adduser" in result.output


# ---------------------------------------------------------------------------------- pages


def test_every_page_on_this_pc_without_sign_in(home):
    client = make_app(home).test_client()
    for url in ("/", "/intake", "/export"):
        r = client.get(url)
        assert r.status_code == 200, url
        assert "（担当）" in r.get_data(as_text=True)
    assert client.get("/login").status_code == 302  # nothing to sign in to
    assert client.get("/no-such-page").status_code == 404


def test_security_headers(home):
    r = make_app(home).test_client().get("/")
    csp = r.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "frame-ancestors 'none'" in csp and "unsafe-inline" not in csp
    assert r.headers["X-Content-Type-Options"] == "nosniff"
    assert r.headers["X-Frame-Options"] == "DENY"
    assert "<script" not in r.get_data(as_text=True)  # no inline script anywhere
    css = make_app(home).test_client().get("/static/style.css")
    assert css.status_code == 200
    css.close()  # the file behind the response, else a ResourceWarning


def test_english_pages(home):
    r = make_app(home, lang="en").test_client().get("/")
    assert "Cases" in r.get_data(as_text=True) and 'lang="en"' in r.get_data(as_text=True)


# ---------------------------------------------------------------------------------- sign-in


def test_sign_in_and_out(home):
    add_users(home)
    client = make_app(home).test_client()
    r = client.get("/")
    assert r.status_code == 302 and "/login" in r.headers["Location"]
    r = login(client)
    assert r.status_code == 302
    cookie = r.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie and "Secure" not in cookie
    assert "tanaka（担当）" in client.get("/").get_data(as_text=True)
    r = client.post("/logout", data={"csrf_token": token(client)})
    assert r.status_code == 302
    assert client.get("/").status_code == 302


def test_secure_cookie_behind_https(home):
    add_users(home)
    r = login(make_app(home, https=True).test_client())
    assert "Secure" in r.headers["Set-Cookie"]


def test_wrong_password_refused_and_throttled(home):
    add_users(home)
    client = make_app(home).test_client()
    r = login(client, password="wrong password!")
    assert r.status_code == 401
    assert "利用者名またはパスワードが違います" in r.get_data(as_text=True)
    assert login(client, name="nobody").status_code == 401
    login(client, password="again wrong")
    login(client, password="and again")
    r = login(client)  # the right password, but too many failures from this address and name
    assert r.status_code == 429
    assert client.get("/").status_code == 302


def test_open_redirect_after_sign_in_is_refused(home):
    add_users(home)
    client = make_app(home).test_client()
    r = client.post("/login?next=//evil.example/x", data={"name": "tanaka", "password": PASSWORD,
                                                           "csrf_token": token(client, "/login")})
    assert r.headers["Location"] == "/"


def test_changed_password_ends_sessions(home):
    add_users(home)
    client = make_app(home).test_client()
    login(client)
    save_user(home / "kyotei-users.toml", "tanaka", CHANGE, hash_password("another password"))
    assert client.get("/").status_code == 302


# ---------------------------------------------------------------------------------- CSRF, roles


def test_post_without_csrf_token_is_refused(home):
    client = make_app(home).test_client()
    r = upload(client, [("a.docx", form_bytes(home))], csrf="")
    assert r.status_code == 403
    assert "有効期限" in r.get_data(as_text=True)
    assert upload(client, [("a.docx", form_bytes(home))], csrf="forged").status_code == 403
    assert not list((home / "drop").rglob("*.docx"))
    add_users(home)
    assert make_app(home).test_client().post("/login", data={"name": "tanaka", "password": PASSWORD}).status_code == 403


def test_read_role_cannot_change(home):
    add_users(home)
    client = make_app(home).test_client()
    login(client, "suzuki")
    page = client.get("/intake").get_data(as_text=True)
    assert "「担当」の権限" in page and 'type="file"' not in page
    r = client.post("/intake", data={"csrf_token": token(client)})
    assert r.status_code == 403 and "閲覧" in r.get_data(as_text=True)
    assert client.get("/export/registry.xlsx").status_code == 200  # reading is allowed


def test_proxy_user_header(home):
    save_user(home / "kyotei-users.toml", "CITY\\yamada", CHANGE, "")
    app = make_app(home, host="0.0.0.0", proxy_user_header="X-Remote-User")
    client = app.test_client()
    r = client.get("/", headers={"X-Remote-User": "CITY\\yamada"}, environ_base={"REMOTE_ADDR": "127.0.0.1"})
    assert r.status_code == 200 and "CITY\\yamada（担当）" in r.get_data(as_text=True)
    r = client.get("/", headers={"X-Remote-User": "someone"}, environ_base={"REMOTE_ADDR": "127.0.0.1"})
    assert "someone（閲覧）" in r.get_data(as_text=True)
    assert client.get("/", environ_base={"REMOTE_ADDR": "127.0.0.1"}).status_code == 401
    r = client.get("/", headers={"X-Remote-User": "CITY\\yamada"}, environ_base={"REMOTE_ADDR": "10.0.0.5"})
    assert r.status_code == 401  # not through the proxy: the header is not trusted


# ---------------------------------------------------------------------------------- intake


def test_upload_is_read_filed_and_registered(home):
    client = make_app(home).test_client()
    r = upload(client, [("提案書.docx", form_bytes(home, "株式会社ほくと")),
                        ("要修正.docx", form_bytes(home, "株式会社みなみ", valid=False))])
    page = r.get_data(as_text=True)
    assert r.status_code == 200
    assert "受付可" in page and "要修正" in page and "提案書.docx" in page
    done = sorted(p.name for p in (home / "drop" / "done").glob("*/*/*"))
    assert any(n.endswith("_株式会社ほくと") for n in done) and any(n.endswith("_株式会社みなみ") for n in done)
    found = re.search(r'/intake/report/(\d{8}-\d{6}-[0-9a-f]{4})', page)
    assert found is not None, page
    sid = found.group(1)
    report = client.get(f"/intake/report/{sid}")
    assert report.status_code == 200 and "確認結果" in report.get_data(as_text=True)
    assert "sandbox" in report.headers["Content-Security-Policy"]
    # the report's links to its drafts are names relative to its folder: served under …/<sid>/, as downloads
    html = client.get(f"/intake/report/{sid}/").get_data(as_text=True)
    drafts = re.findall(r'<li><a href="([^"/]+\.docx)">', html)
    assert drafts, html
    got = client.get(f"/intake/report/{sid}/{drafts[0]}")
    assert got.status_code == 200 and got.data[:2] == b"PK" and "attachment" in got.headers["Content-Disposition"]
    got.close()
    for bad in ("..%2F..%2F..%2Fkyotei.toml", "report.html", "submission.json.missing", "%2Fetc%2Fpasswd"):
        assert client.get(f"/intake/report/{sid}/{bad}").status_code == 404, bad
    with sqlite3.connect(home / "registry.sqlite3") as db:
        names = {row[0] for row in db.execute("SELECT partner_name FROM agreements")}
    assert names == {"株式会社ほくと", "株式会社みなみ"}
    listing = client.get("/?q=ほくと").get_data(as_text=True).split('class="cases"')[1].split("</table>")[0]
    assert "株式会社ほくと" in listing and "株式会社みなみ" not in listing
    assert "要修正" in client.get("/").get_data(as_text=True)  # the attention panel


def test_upload_name_never_becomes_a_path(home):
    client = make_app(home).test_client()
    upload(client, [("../../../evil.docx", form_bytes(home))])
    assert not (home / "evil.docx").exists() and not (home.parent / "evil.docx").exists()
    assert list((home / "drop" / "done").rglob("evil.docx"))
    assert client.get("/intake/report/..%2F..%2Fkyotei.toml").status_code == 404
    assert client.get("/intake/report/20260101-000000-abcd").status_code == 404


def test_hostile_uploads_end_in_error_with_their_reason(home, tmp_path):
    files = [(name, make(tmp_path)) for name, (make, _) in CORPUS.items()]
    files = [(n, b) for n, b in files if len(b) <= 1024 * 1024]
    client = make_app(home, upload_max_mb=2, upload_max_files=len(files)).test_client()
    r = upload(client, files)
    page = r.get_data(as_text=True)
    assert r.status_code == 200
    assert page.count("読込不可") >= len(files)
    assert not list((home / "drop" / "done").glob("*/*/*"))
    reasons = {p.parent.name.split("_", 1)[1]: p.read_text("utf-8-sig")
               for p in (home / "drop" / "error").glob("*/理由.txt")}
    assert len(reasons) == len(files)
    assert "展開すると異常に大きく" in reasons["bomb"]


def test_too_many_and_too_large_uploads(home):
    client = make_app(home, upload_max_files=2).test_client()
    data = form_bytes(home)
    r = upload(client, [(f"{i}.docx", data) for i in range(3)])
    assert r.status_code == 413 and "3" not in r.get_data(as_text=True).split("一度に")[1][:3]
    r = upload(client, [("big.docx", data + b"\0" * (1024 * 1024))])
    assert r.status_code == 413 and "big.docx" in r.get_data(as_text=True)
    huge = make_app(home, upload_max_files=1).test_client()
    r = upload(huge, [("a.docx", b"x" * (3 * 1024 * 1024))])
    assert r.status_code == 413  # beyond the request limit: refused before reading it
    assert not list((home / "drop").rglob("*.docx"))


def test_upload_while_the_watcher_holds_the_folder_is_queued(home):
    from kyotei_docs.inbox.layout import Layout
    from kyotei_docs.inbox.lock import FolderLock

    client = make_app(home).test_client()
    upload(client, [("first.docx", form_bytes(home, "株式会社いち"))])  # makes the layout
    with FolderLock(Layout.at(home / "drop").work):
        r = upload(client, [("second.docx", form_bytes(home, "株式会社に"))])
        assert r.status_code == 200 and "Refresh" not in r.headers  # never reloaded under the person's focus
        assert 'data-progress="1"' in r.get_data(as_text=True) and ">更新</a>" in r.get_data(as_text=True)
        assert (home / "drop" / "inbox" / "second.docx").is_file()
        assert "処理待ち" in r.get_data(as_text=True)
        result_url = r.request.full_path
    # the watcher stopped: the next look at the result processes the waiting file here
    r = client.get(result_url)
    assert r.status_code == 200 and "Refresh" not in r.headers and "data-progress" not in r.get_data(as_text=True)
    assert "受付可" in r.get_data(as_text=True) and "second.docx" in r.get_data(as_text=True)
    assert not (home / "drop" / "inbox" / "second.docx").exists()


def test_no_drop_folder_configured(home):
    app = make_app(home)
    app.extensions["kyotei"].settings = app.extensions["kyotei"].settings.with_(drop_folder=None)
    client = app.test_client()
    assert "受付フォルダが設定されていません" in client.get("/intake").get_data(as_text=True)
    with client.session_transaction() as session:
        session["csrf"] = "the-token"
    assert upload(client, [("a.docx", form_bytes(home))], csrf="the-token").status_code == 409


# ---------------------------------------------------------------------------------- exports


def test_exports(home):
    from openpyxl import load_workbook

    client = make_app(home).test_client()
    upload(client, [("a.docx", form_bytes(home, "株式会社かわ"))])
    r = client.get("/export/registry.xlsx")
    assert r.status_code == 200 and "attachment" in r.headers["Content-Disposition"]
    wb = load_workbook(io.BytesIO(r.data), read_only=True)
    assert wb.sheetnames == ["協定", "実績"]
    assert any("株式会社かわ" in str(c) for row in wb["協定"].iter_rows(values_only=True) for c in row)
    csv = client.get("/export/agreements.csv").data.decode("utf-8-sig")
    assert "株式会社かわ" in csv
    assert client.get("/export/results.csv").status_code == 200
    backup = client.get("/export/backup.sqlite3")
    assert backup.data.startswith(b"SQLite format 3\0")
    assert client.get("/export/other.csv").status_code == 404


def test_backup_needs_the_change_role(home):
    add_users(home)
    client = make_app(home).test_client()
    login(client, "suzuki")
    assert client.get("/export/backup.sqlite3").status_code == 403
    page = client.get("/export").get_data(as_text=True)  # no button that answers 403
    assert "/export/backup.sqlite3" not in page and "ダウンロードには「担当」の権限が必要です" in page


# ---------------------------------------------------------------------------------- adduser


def test_adduser_writes_a_hash_never_the_password(home):
    from kyotei_docs.cli import cli

    runner = CliRunner()
    args = ["--config", str(home / "kyotei.toml"), "serve", "adduser", "tanaka", "--role", "担当", "--password-stdin"]
    result = runner.invoke(cli, args, input=PASSWORD + "\n")
    assert result.exit_code == 0, result.output
    users_file = home / "kyotei-users.toml"
    assert str(users_file) in result.output
    text = users_file.read_text("utf-8")
    assert PASSWORD not in text and "$argon2id$" in text
    assert load_users(users_file)["tanaka"].role == CHANGE
    short = runner.invoke(cli, args[:-3] + ["--password-stdin"], input="short\n")
    assert short.exit_code == 1 and "10 文字以上" in short.output
    bad = runner.invoke(cli, ["--config", str(home / "kyotei.toml"), "serve", "adduser", "a b", "--password-stdin"],
                        input=PASSWORD + "\n")
    assert bad.exit_code == 2



def test_adduser_with_piped_input_reads_it_quietly(home):
    """``echo pw | kyotei serve adduser NAME`` (no --password-stdin): no English echo warning, no prompts."""
    import os
    import subprocess
    import sys

    from conftest import ROOT

    env = dict(os.environ, PYTHONPATH=str(ROOT))
    env.pop("KYOTEI_LANG", None)
    args = [sys.executable, "-m", "kyotei_docs", "--config", str(home / "kyotei.toml"), "serve", "adduser", "sato"]
    done = subprocess.run(args, input=f"{PASSWORD}\n{PASSWORD}\n", capture_output=True, text=True, env=env,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    assert "Warning" not in done.stderr and "echo" not in done.stderr and "パスワード:" not in done.stdout + done.stderr
    assert "利用者 sato（閲覧）を追加しました" in done.stdout and "sato" in load_users(home / "kyotei-users.toml")
    differ = subprocess.run(args, input=f"{PASSWORD}\nsomething else\n", capture_output=True, text=True, env=env,
                            timeout=120)
    assert differ.returncode == 1 and "Warning" not in differ.stderr and "一致しません" in differ.stderr


@pytest.mark.slow
def test_uploads_share_warm_sandboxed_workers(home):
    """With [inbox] workers, uploads are read in the drop folder's worker processes, which the
    server keeps between uploads instead of starting them for every file."""
    conf = home / "kyotei.toml"
    conf.write_text(conf.read_text("utf-8").replace("workers = 0", "workers = 1"), encoding="utf-8")
    app = make_app(home)
    client = app.test_client()
    assert "受付可" in upload(client, [("a.docx", form_bytes(home, "株式会社いち"))]).get_data(as_text=True)
    pool = app.extensions["kyotei"].worker_pool()
    first = list(pool._workers)
    assert len(first) == 1 and first[0].proc.is_alive()
    assert "受付可" in upload(client, [("b.docx", form_bytes(home, "株式会社に"))]).get_data(as_text=True)
    assert list(pool._workers) == first  # the same process read the second file
    pool.close()
