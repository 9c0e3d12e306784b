"""``kyotei serve``: the screen for staff — cases, intake, one case, exports — in the browser.

Modules: :mod:`.settings` (``[web]``), :mod:`.users` (the users file, argon2),
:mod:`.security` (CSRF, headers, throttling, roles), :mod:`.app` (the Flask
factory, who is signed in), and one blueprint per page: :mod:`.auth`,
:mod:`.listing` (一覧), :mod:`.intake` (受付), :mod:`.exports` (書き出し).
Templates and static files live beside them and are served from the package
(no CDN: LGWAN PCs have no internet).  Routes are thin: they call the same
functions as the commands.  See docs/web.md.
"""
