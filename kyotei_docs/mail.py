"""E-mail through the city's SMTP relay: one message per department, STARTTLS, no password in config.

Why its own module: the reminders (:mod:`kyotei_docs.cases.remind`) must not
know about sockets, and the rules for a relay are the city's: ``[mail] host``
and ``port``, STARTTLS before anything else is said (the relay's certificate
checked, against ``cafile`` when the city runs its own CA), a login only when
``user`` is set.  The password is never in the configuration file: it comes
from the environment variable ``password_env`` names, or the file
``password_file`` names (relative to the site).  A failure is a
:class:`MailError` with a message for staff; the caller decides what was sent.
"""

from __future__ import annotations

import os
import smtplib
import ssl
from collections.abc import Sequence
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from typing import Any

from .errors import KyoteiError
from .exitcodes import ExitCode
from .i18n import Catalog

__all__ = ["MESSAGES", "MailError", "Outgoing", "configured", "send_all"]

MESSAGES: Catalog = {
    "no_password": ("[mail] user が設定されていますが、パスワードがありません（環境変数 {env} か、[mail] password_file の"
                    "ファイルに書いてください。設定ファイルには書きません）。",
                    "[mail] user is set but there is no password (put it in the environment variable {env} or in the "
                    "file [mail] password_file names; never in the configuration file)."),
    "password_file": ("パスワードのファイル {path} を読めません: {detail}", "Cannot read the password file {path}: {detail}"),
    "smtp_failed": ("メールを送信できませんでした（{host}:{port}）: {detail}", "Could not send e-mail ({host}:{port}): {detail}"),
    "no_sender": ("[mail] sender（差出人のアドレス）を設定してください。", "Set [mail] sender (the From: address)."),
}


class MailError(KyoteiError):
    """The relay could not be used: nothing more is sent in this run."""

    catalog = MESSAGES
    exit_code = ExitCode.CONFIG


@dataclass(frozen=True)
class Outgoing:
    """One message: to whom, the subject and the plain-text body."""

    to: str
    subject: str
    body: str


def configured(cfg: Any) -> bool:
    """True when ``[mail] host`` is set (else reminders are only listed)."""
    return bool(cfg.mail.host.strip())


def _password(cfg: Any) -> str | None:
    settings = cfg.mail
    if settings.password_file:
        path = cfg.path(settings.password_file)  # relative to the site, never to the working folder
        try:
            return path.read_text(encoding="utf-8").strip()
        except OSError as exc:
            raise MailError("password_file", path=str(path), detail=str(exc)) from exc
    value = os.environ.get(settings.password_env or "", "")
    return value or None


def send_all(cfg: Any, messages: Sequence[Outgoing], *, on_sent: Any = None) -> list[Outgoing]:
    """Send ``messages`` over one connection; ``on_sent(message)`` after each accepted one.

    Returns the messages sent.  A failure part-way raises :class:`MailError`
    after ``on_sent`` was called for each message the relay accepted, so the
    caller records exactly those.
    """
    settings = cfg.mail
    if not messages:
        return []
    if not settings.sender:
        raise MailError("no_sender")
    password = _password(cfg) if settings.user else None
    if settings.user and not password:
        raise MailError("no_password", env=settings.password_env or "—")
    sent: list[Outgoing] = []
    try:
        with smtplib.SMTP(settings.host, settings.port, timeout=settings.timeout_seconds) as smtp:
            smtp.ehlo()
            if settings.starttls:
                context = ssl.create_default_context(cafile=settings.cafile or None)
                smtp.starttls(context=context)
                smtp.ehlo()
            if settings.user:
                smtp.login(settings.user, password or "")
            for m in messages:
                msg = EmailMessage()
                msg["From"], msg["To"], msg["Subject"] = settings.sender, m.to, m.subject
                msg["Date"], msg["Message-ID"] = formatdate(localtime=True), make_msgid(domain="kyotei.local")
                msg.set_content(m.body, charset="utf-8")
                smtp.send_message(msg)
                sent.append(m)
                if on_sent is not None:
                    on_sent(m)
    except (smtplib.SMTPException, OSError, ssl.SSLError) as exc:
        raise MailError("smtp_failed", host=settings.host, port=settings.port,
                        detail=f"{type(exc).__name__}: {exc}") from exc
    return sent
