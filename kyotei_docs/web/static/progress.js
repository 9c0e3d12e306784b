/* kyotei serve — the 受付 result while files or PDFs are still being made.
   Looks at the same page again every few seconds in the background and, once nothing is left
   to wait for, says so in the live region. It never reloads the page or moves the focus: the
   person presses 更新 when they are ready (WCAG 2.2.1, 3.2.5). Same origin only (the CSP). */
(function () {
  "use strict";
  var box = document.querySelector("[data-progress]");
  var live = document.getElementById("progress");
  if (!box || !live || !window.fetch) { return; }
  var tries = 0;
  function look() {
    tries += 1;
    if (tries > 200) { return; }  /* about ten minutes: then the 更新 link is left to the person */
    fetch(window.location.href, {credentials: "same-origin", cache: "no-store"})
      .then(function (r) { return r.ok ? r.text() : Promise.reject(r.status); })
      .then(function (html) {
        if (html.indexOf('data-progress="1"') === -1) {
          live.textContent = box.getAttribute("data-done-text");
          box.classList.add("finished");
        } else {
          window.setTimeout(look, 3000);
        }
      })
      .catch(function () { window.setTimeout(look, 5000); });
  }
  window.setTimeout(look, 3000);
}());
