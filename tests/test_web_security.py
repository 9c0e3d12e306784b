"""The screen against a browser on the same PC turned against it: DNS rebinding (Host), cross-site
posts (Origin/Referer), sessions that outlive a sign-out, lock-outs by others' failures, plain HTTP
beyond this PC.  Real registry, real users file with argon2 hashes, Flask's test client as the
browser (it sends exactly the headers a browser would in each attack)."""

from __future__ import annotations

import sqlite3

from webkit import PASSWORD, add_users, form_bytes, home, login, make_app, token, upload  # noqa: F401

REBOUND = {"Host": "attacker.example"}
LEAKS = ("/", "/export/agreements.csv", "/export/backup.sqlite3", "/export/registry.xlsx", "/intake",
         "/static/style.css", "/login")


def agreements(home_) -> int:
    with sqlite3.connect(home_ / "registry.sqlite3") as db:
        return db.execute("SELECT count(*) FROM agreements").fetchone()[0]


# ---------------------------------------------------------------------------------- Host


def test_dns_rebinding_gets_400_before_any_route(home):  # noqa: F811
    client = make_app(home).test_client()
    upload(client, [("a.docx", form_bytes(home, "株式会社ほくと"))])
    assert client.get("/").status_code == 200
    for url in LEAKS:
        r = client.get(url, headers=REBOUND)
        body = r.get_data(as_text=True)
        assert r.status_code == 400, url
        assert "株式会社ほくと" not in body and "SQLite format" not in body, url
        assert "allowed_hosts" in body, url  # says what to do
        r.close()
    # a POST with a valid token (taken from the real page) is refused too, and nothing is recorded
    csrf = token(client, "/case/1")
    r = client.post("/case/1/consult", data={"csrf_token": csrf, "date": "2026-06-01", "confirmed": "1"},
                    headers=REBOUND)
    assert r.status_code == 400
    with sqlite3.connect(home / "registry.sqlite3") as db:
        assert db.execute("SELECT status FROM agreements WHERE id = 1").fetchone()[0] == "received"


def test_this_pcs_names_and_any_port_are_allowed(home):  # noqa: F811
    client = make_app(home).test_client()
    for host in ("localhost", "127.0.0.1:8082", "[::1]:8080", "LOCALHOST.:80"):
        assert client.get("/", headers={"Host": host}).status_code == 200, host
    for host in ("attacker.example", "127.0.0.1.attacker.example", "localhost.evil", "[::2]:8080"):
        assert client.get("/", headers={"Host": host}).status_code == 400, host


def test_allowed_hosts_setting(home):  # noqa: F811
    add_users(home)
    app = make_app(home, host="0.0.0.0", allowed_hosts=("kyotei.city.local",))
    client = app.test_client()
    assert client.get("/login", headers={"Host": "kyotei.city.local:8080"}).status_code == 200
    assert client.get("/login", headers={"Host": "127.0.0.1"}).status_code == 200  # this PC always
    assert client.get("/login", headers={"Host": "attacker.example"}).status_code == 400
    # listening on every address without the setting: this PC's own name is allowed
    import socket

    client = make_app(home, host="0.0.0.0").test_client()
    assert client.get("/login", headers={"Host": f"{socket.gethostname()}:8080"}).status_code == 200
    assert client.get("/login", headers={"Host": "attacker.example"}).status_code == 400


# ---------------------------------------------------------------------------------- Origin


def test_cross_site_post_with_a_valid_token_is_refused(home):  # noqa: F811
    client = make_app(home).test_client()
    upload(client, [("a.docx", form_bytes(home, "株式会社ほくと"))])
    csrf = token(client, "/case/1")
    data = {"csrf_token": csrf, "date": "2026-06-01", "confirmed": "1"}
    for headers in ({"Origin": "http://attacker.example"}, {"Origin": "null"},
                    {"Origin": "http://localhost:3000"},  # another program's page on this PC
                    {"Referer": "http://attacker.example/page"}):
        r = client.post("/case/1/consult", data=data, headers=headers)
        assert r.status_code == 403, headers
        assert "別のサイト" in r.get_data(as_text=True)
    with sqlite3.connect(home / "registry.sqlite3") as db:
        assert db.execute("SELECT status FROM agreements WHERE id = 1").fetchone()[0] == "received"
    # the screen's own pages post with their own origin (or only a Referer): recorded
    r = client.post("/case/1/consult", data=data, headers={"Origin": "http://localhost"})
    assert r.status_code == 303
    r = client.post("/case/1/consult", data=data, headers={"Referer": "http://localhost/case/1"})
    assert r.status_code in (303, 400) and "別のサイト" not in r.get_data(as_text=True)  # let through (400: started already)


# ---------------------------------------------------------------------------------- sessions


def _cookie(client) -> str:
    got = client.get_cookie("kyotei_session")
    assert got is not None
    return got.value


def _with_cookie(app, value: str):
    other = app.test_client()
    other.set_cookie("kyotei_session", value)
    return other


def test_the_old_cookie_after_logout_meets_the_sign_in_page(home):  # noqa: F811
    add_users(home)
    app = make_app(home)
    client = app.test_client()
    assert login(client).status_code == 302
    copied = _cookie(client)
    assert _with_cookie(app, copied).get("/").status_code == 200  # a copy works while signed in
    client.post("/logout", data={"csrf_token": token(client)})
    r = _with_cookie(app, copied).get("/")
    assert r.status_code == 302 and "/login" in r.headers["Location"]
    r = _with_cookie(app, copied).get("/export/backup.sqlite3")
    assert r.status_code == 302
    # the sessions file holds digests only, never a working cookie
    with sqlite3.connect(home / "kyotei-sessions.sqlite3") as db:
        assert db.execute("SELECT count(*) FROM sessions").fetchone()[0] == 0


def test_a_changed_password_ends_every_sign_in_of_that_user(home):  # noqa: F811
    from click.testing import CliRunner

    from kyotei_docs.cli import cli

    add_users(home)
    app = make_app(home)
    tanaka, suzuki = app.test_client(), app.test_client()
    login(tanaka)
    login(suzuki, name="suzuki")
    copied = _cookie(tanaka)
    result = CliRunner().invoke(cli, ["--config", str(home / "kyotei.toml"), "serve", "adduser", "tanaka",
                                      "--role", "担当", "--password-stdin"], input="another long password\n")
    assert result.exit_code == 0, result.output
    with sqlite3.connect(home / "kyotei-sessions.sqlite3") as db:
        assert [r[0] for r in db.execute("SELECT user FROM sessions")] == ["suzuki"]
    assert _with_cookie(app, copied).get("/").status_code == 302
    assert suzuki.get("/").status_code == 200  # others stay signed in


def test_idle_and_absolute_timeouts(home):  # noqa: F811
    add_users(home)
    app = make_app(home)
    client = app.test_client()
    login(client)
    assert client.get("/").status_code == 200
    with sqlite3.connect(home / "kyotei-sessions.sqlite3") as db:  # an hour and a minute unused
        db.execute("UPDATE sessions SET seen = seen - 3660")
    assert client.get("/").status_code == 302
    login(client)
    with sqlite3.connect(home / "kyotei-sessions.sqlite3") as db:  # used a moment ago, but signed in 8 h ago
        db.execute("UPDATE sessions SET created = created - 8 * 3600 - 60")
    assert client.get("/").status_code == 302


# ---------------------------------------------------------------------------------- throttling


def test_others_failures_never_lock_out_the_right_password(home):  # noqa: F811
    add_users(home)
    app = make_app(home)  # login_attempts = 3 in this configuration
    for n in range(1, 6):  # five addresses each fail more than the limit against tanaka
        attacker = app.test_client()
        attacker.environ_base["REMOTE_ADDR"] = f"192.0.2.{n}"
        for _ in range(5):
            login(attacker, password="guessed wrong")
        r = login(attacker)  # that address waits now, even with the right password
        assert r.status_code == 429 and "しばらくログインできません" in r.get_data(as_text=True)
    tanaka = app.test_client()
    tanaka.environ_base["REMOTE_ADDR"] = "192.0.2.6"
    r = login(tanaka)
    assert r.status_code == 302
    assert "tanaka（担当）" in tanaka.get("/").get_data(as_text=True)


# ---------------------------------------------------------------------------------- behind an HTTPS proxy


def test_behind_an_https_proxy_cookies_are_secure_and_each_person_is_counted(home):  # noqa: F811
    add_users(home)
    app = make_app(home, behind_https_proxy=True, proxy_addresses=("127.0.0.1",))

    def person(address: str, peer: str = "127.0.0.1"):
        client = app.test_client()
        client.environ_base["REMOTE_ADDR"] = peer
        client.environ_base["HTTP_X_FORWARDED_PROTO"] = "https"
        client.environ_base["HTTP_X_FORWARDED_FOR"] = address
        client.environ_base["HTTP_ORIGIN"] = "https://localhost"  # the browser's page, served over HTTPS
        return client

    r = login(person("192.0.2.7"))
    assert r.status_code == 302 and "Secure" in r.headers["Set-Cookie"]
    attacker = person("192.0.2.66")
    for _ in range(4):
        login(attacker, password="guessed wrong")
    assert login(attacker).status_code == 429  # the attacker's own address waits …
    assert login(person("192.0.2.8")).status_code == 302  # … not everyone behind the proxy
    # from anywhere but the proxy the headers are lies: the connection's own address is counted
    liar = person("192.0.2.99", peer="192.0.2.50")
    for _ in range(4):
        login(liar, password="guessed wrong")
    assert login(person("192.0.2.100", peer="192.0.2.50")).status_code == 429


# ---------------------------------------------------------------------------------- memory of sign-ins


def test_sign_ins_at_once_check_their_passwords_one_at_a_time(home, monkeypatch):  # noqa: F811
    """argon2 holds 64 MB for each check: eight people signing in together (waitress has eight
    threads) took 512 MB beside LibreOffice.  The checks run one after another, every sign-in
    still succeeds, and a wrong password is still refused.  The hashes are made with the shipped
    parameters (as ``kyotei serve adduser`` makes them): each check lasts long enough to overlap."""
    import threading

    from kyotei_docs.web import users

    add_users(home, shipped=True)
    app = make_app(home)
    hasher = users._hasher()
    shipped = f"m={hasher.memory_cost},t={hasher.time_cost},p={hasher.parallelism}"
    assert {u.hash.split("$")[3] for u in users.load_users(home / "kyotei-users.toml").values()} == {shipped}
    running, most = [0], [0]
    count = threading.Lock()

    class Counting:  # the real argon2 check, counted
        def verify(self, target, password):
            with count:
                running[0] += 1
                most[0] = max(most[0], running[0])
            try:
                return hasher.verify(target, password)
            finally:
                with count:
                    running[0] -= 1

    monkeypatch.setattr(users, "_hasher", Counting)
    clients = [app.test_client() for _ in range(8)]
    for n, c in enumerate(clients):
        c.environ_base["REMOTE_ADDR"] = f"192.0.2.{n + 1}"
    tokens = [token(c, "/login") for c in clients]  # each client's own form first, then all at once
    codes: list[int] = [0] * 8

    def sign_in(n: int) -> None:
        password = PASSWORD if n < 7 else "guessed wrong"
        codes[n] = clients[n].post("/login", data={"name": "tanaka" if n % 2 else "suzuki", "password": password,
                                                   "csrf_token": tokens[n]}).status_code

    threads = [threading.Thread(target=sign_in, args=(n,)) for n in range(8)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert codes == [302] * 7 + [401]
    assert most[0] == 1
