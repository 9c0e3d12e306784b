"""The one bounded queue for heavy work (``web/workload.py``) and who may start it: uploads and
LibreOffice take a slot, a request that cannot get one in time gets 503 with a Japanese page and
nothing done; a 閲覧 user starts no render and no conversion.  Real registry, real drop folder."""

from __future__ import annotations

import threading
import time

import pytest

from kyotei_docs.web.workload import Busy, Workload
from waitkit import wait_for
from webkit import add_users, form_bytes, home, login, make_app, token, upload  # noqa: F401


def test_a_slot_is_waited_for_then_refused():
    work = Workload(slots=1, wait_seconds=0.2, max_waiting=1)
    with work.slot():
        started = time.monotonic()
        with pytest.raises(Busy):
            with work.slot():
                pass
        assert 0.15 < time.monotonic() - started < 2
        # one request may wait; a second waiting one is refused at once
        waiting = threading.Thread(target=lambda: _try(work, 30.0))
        waiting.start()
        assert wait_for(lambda: work._waiting == 1)
        started = time.monotonic()
        with pytest.raises(Busy):
            with work.slot():
                pass
        assert time.monotonic() - started < 0.1
    waiting.join()
    with work.slot(wait=0):  # free again
        pass


def test_a_persons_request_goes_before_the_background_jobs_next_batch():
    """The background PDF job waits between batches while someone waits for the slot (it waited for
    every queued batch before, and a 担当 asking for a PDF under load got 503)."""
    work = Workload(slots=1, wait_seconds=5.0, max_waiting=4)
    order: list[str] = []
    stop = threading.Event()

    looked = threading.Event()

    def stopping() -> bool:
        looked.set()  # the job is at its wait for a slot
        return stop.is_set()

    def background() -> None:
        if work.acquire_until(stopping, step=2.0):
            order.append("background")
            work.release()

    def person() -> None:
        with work.slot():
            order.append("person")

    with work.slot():  # a batch under way
        job = threading.Thread(target=background)
        job.start()
        assert looked.wait(30)  # the job waits for the next batch first …
        asking = threading.Thread(target=person)
        asking.start()
        assert wait_for(lambda: work._waiting == 1)  # … then a person asks
    asking.join()
    job.join(5)
    stop.set()
    assert order == ["person", "background"]


def _try(work: Workload, wait: float) -> None:
    try:
        with work.slot(wait=wait):
            pass
    except Busy:
        pass


def test_an_upload_while_busy_gets_503_and_nothing_is_filed(home):  # noqa: F811
    app = make_app(home, heavy_wait_seconds=0)
    client = app.test_client()
    csrf = token(client, "/intake")
    with app.extensions["kyotei"].workload.slot():  # LibreOffice busy, say
        r = upload(client, [("a.docx", form_bytes(home, "株式会社ほくと"))], csrf=csrf)
    assert r.status_code == 503
    assert "混み合っています" in r.get_data(as_text=True) and "何も変更していません" in r.get_data(as_text=True)
    assert r.headers["Retry-After"]
    assert not list((home / "drop").glob("done/*/*/*")) and not list((home / "drop").glob("inbox/*"))
    r = upload(client, [("a.docx", form_bytes(home, "株式会社ほくと"))], csrf=csrf)  # free again: read
    assert r.status_code == 200 and len(list((home / "drop").glob("done/*/*/*"))) == 1


def test_a_read_only_user_starts_no_render_and_no_conversion(home):  # noqa: F811
    add_users(home)
    app = make_app(home)
    tanaka = app.test_client()
    login(tanaka)
    upload(tanaka, [("a.docx", form_bytes(home, "株式会社ほくと"))])
    suzuki = app.test_client()
    login(suzuki, name="suzuki")  # 閲覧
    for url in ("/case/1/document/form2.pdf", "/case/1/document/form2.docx", "/case/1/document/form3.pdf"):
        r = suzuki.get(url)
        assert r.status_code == 403, url
        assert "「担当」の権限が必要" in r.get_data(as_text=True)
    page = suzuki.get("/case/1?original=1").get_data(as_text=True)
    assert "/document/form2" not in page and "協定書・掲載文の作成には「担当」の権限が必要です" in page
    assert "/preview/" not in page  # the Word original was never converted: no pages, no offer to convert
    assert suzuki.get("/case/1/preview/0/1.png").status_code == 404
    r = tanaka.get("/case/1/document/form2.docx")
    assert r.status_code == 200 and r.data[:2] == b"PK"


@pytest.mark.libreoffice
def test_the_case_page_does_not_wait_for_a_busy_libreoffice(home):  # noqa: F811
    """A Word original with review items is drawn on the case page — unless the slot is taken: then the
    page comes at once with the offer to draw it (never a 503 for the whole page)."""
    app = make_app(home, heavy_wait_seconds=0)
    client = app.test_client()
    upload(client, [("a.docx", form_bytes(home, "株式会社ほくと"))])
    with app.extensions["kyotei"].workload.slot():
        r = client.get("/case/1?original=1")
    assert r.status_code == 200 and "原本を画像で表示する" in r.get_data(as_text=True)
    r = client.get("/case/1?original=1")  # free: drawn
    assert r.status_code == 200 and "/preview/0/1.png" in r.get_data(as_text=True)
