"""What ``kyotei serve`` says in its console: an address staff can open (never 0.0.0.0), a
Japanese warning for plain HTTP beyond this PC, Japanese log lines without waitress's English
queue noise, and a stop (SIGTERM, as a service's stop) that ends quietly — no traceback, no
LibreOffice left running, no ``.work/pdf-*.kyotei-tmp`` left behind."""

from __future__ import annotations

import json
import logging
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from http.cookiejar import CookieJar
from pathlib import Path

import pytest

from inboxkit import write_form
from kyotei_docs.commands.serve import start_lines
from kyotei_docs.web.console import JapaneseFormatter, console_logging
from kyotei_docs.web.settings import WebSettings
from waitkit import alive, wait_for

ROOT = Path(__file__).resolve().parent.parent


def test_start_line_names_addresses_staff_can_open():
    lines = "\n".join(start_lines(WebSettings(host="0.0.0.0", port=8082)))
    assert "0.0.0.0" not in lines
    assert "http://127.0.0.1:8082/" in lines and f"http://{socket.gethostname()}:8082/" in lines
    assert "警告" in lines and "HTTPS" in lines and "behind_https_proxy" in lines
    lines = "\n".join(start_lines(WebSettings(host="0.0.0.0", port=8082, allowed_hosts=("kyotei.city.local",))))
    assert "http://kyotei.city.local:8082/" in lines
    # behind an HTTPS proxy, or on this PC only: no warning
    assert "警告" not in "\n".join(start_lines(WebSettings(host="0.0.0.0", behind_https_proxy=True)))
    local = start_lines(WebSettings(host="127.0.0.1", port=8080))
    assert local == [line for line in local if "警告" not in line] and "http://127.0.0.1:8080/" in local[0]


def test_log_lines_are_japanese_and_the_queue_is_quiet(capsys):
    record = logging.LogRecord("waitress", logging.WARNING, __file__, 1, "%d thread(s) still running", (2,), None)
    assert "警告: 終了時に 2 件の要求がまだ処理中でした" in JapaneseFormatter().format(record)
    handler = console_logging()
    try:
        logging.getLogger("waitress.queue").warning("Task queue depth is %d", 3)
        logging.getLogger("waitress").warning("Canceling %d pending task(s)", 1)
        err = capsys.readouterr().err
        assert "queue depth" not in err and "WARNING:" not in err
        assert "待っていた 1 件の要求を取り消しました" in err
    finally:
        logging.getLogger().removeHandler(handler)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.slow
@pytest.mark.libreoffice
def test_sigterm_while_pdfs_are_made_ends_cleanly(tmp_path):
    (tmp_path / "drop").mkdir()
    port = _free_port()
    (tmp_path / "kyotei.toml").write_text("\n".join([
        "[registry]", f"path = {json.dumps(str(tmp_path / 'registry.sqlite3'))}",
        "[inbox]", "workers = 0", "pdf = true",
        "[web]", f"drop_folder = {json.dumps(str(tmp_path / 'drop'))}",
        f"journal = {json.dumps(str(tmp_path / 'journal.sqlite3'))}", f"port = {port}",
    ]) + "\n", encoding="utf-8")
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    env.pop("KYOTEI_LANG", None)
    proc = subprocess.Popen([sys.executable, "-m", "kyotei_docs", "--config", str(tmp_path / "kyotei.toml"), "serve"],
                            cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        base = f"http://127.0.0.1:{port}"
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()))
        for _ in range(100):
            try:
                page = opener.open(base + "/intake", timeout=5).read().decode()
                break
            except OSError:
                time.sleep(0.1)
        token = page.split('name="csrf_token" value="')[1].split('"')[0]
        boundary = "kyotei-test-boundary"
        body = [f"--{boundary}\r\nContent-Disposition: form-data; name=\"csrf_token\"\r\n\r\n{token}\r\n".encode()]
        for company in ("株式会社ほくと", "株式会社みなみ", "株式会社ひがし"):
            data = write_form(tmp_path / "forms" / f"{company}.docx", company).read_bytes()
            body.append(f"--{boundary}\r\nContent-Disposition: form-data; name=\"files\"; filename=\"{company}.docx\"\r\n"
                        "Content-Type: application/octet-stream\r\n\r\n".encode() + data + b"\r\n")
        body.append(f"--{boundary}--\r\n".encode())
        request = urllib.request.Request(base + "/intake", data=b"".join(body), method="POST",
                                         headers={"Content-Type": f"multipart/form-data; boundary={boundary}"})
        assert opener.open(request, timeout=60).status == 200
        # many pages at once: more requests than waitress has threads (its queue would say so in English)
        threads = [threading.Thread(target=lambda: opener.open(base + "/", timeout=30).read()) for _ in range(16)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        work = tmp_path / "drop" / ".work"
        deadline = time.monotonic() + 30
        while not list(work.glob("pdf-*")) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert list(work.glob("pdf-*")), "the PDFs were made before the stop could be tried"
        children = subprocess.run(["pgrep", "-P", str(proc.pid)], capture_output=True, text=True).stdout.split()
        proc.send_signal(signal.SIGTERM)
        out, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
    assert proc.returncode == 0, err
    assert "Traceback" not in err and "WARNING" not in err and "waitress" not in err, err
    assert "0.0.0.0" not in out and f"http://127.0.0.1:{port}/" in out
    assert "停止しました" in err
    assert not list(work.glob("pdf-*")), list(work.iterdir())
    waiting = [json.loads(p.read_text("utf-8")) for p in (tmp_path / "drop" / "done").glob("*/*/*/submission.json")]
    assert len(waiting) == 3 and all(r.get("pdf_later") for r in waiting)  # made again after the next start

    def left() -> list[str]:
        return [pid for pid in children if alive(int(pid))]

    # as before, half a second for the killed processes to end; a look every 20 ms ends the wait at once
    wait_for(lambda: not left(), timeout=0.5)
    assert left() == [], "LibreOffice outlived the server"

