"""What the preview adds to every page it serves: the live-reload script and the error panel.

The panel sits in a corner over the last good page, lists each problem as `file:line message`
(every piece escaped: file names and messages come from user files and scraped text), and can
be dismissed until the next build.
"""

from __future__ import annotations

import html
from typing import Sequence

from generator.serve.problems import Problem

RESERVED = "/__wenji__/"
"""URL prefix of the preview server's own endpoints (never a site path)."""
EVENTS_URL = RESERVED + "events"
SCRIPT_URL = RESERVED + "reload.js"
STATUS_URL = RESERVED + "status"
PANEL_ID = "wenji-build-error"

_PANEL_STYLE = ("all:initial;display:block;position:fixed;right:12px;bottom:12px;z-index:2147483647;"
                "box-sizing:border-box;max-width:min(46em,calc(100vw - 24px));max-height:45vh;"
                "overflow:auto;padding:12px 40px 12px 14px;background:#fff4f2;color:#5c0b00;"
                "border:1px solid #d9a39a;border-left:4px solid #c0392b;border-radius:6px;"
                "box-shadow:0 4px 18px rgba(0,0,0,.25);font:13px/1.5 ui-monospace,monospace")
_BUTTON_STYLE = ("all:initial;position:absolute;top:6px;right:8px;cursor:pointer;color:#5c0b00;"
                 "font:20px/1 sans-serif;padding:2px 6px")
_LIST_STYLE = "display:block;margin:6px 0 0;padding:0;list-style:none"
_ITEM_STYLE = "display:block;margin:4px 0;white-space:pre-wrap;overflow-wrap:anywhere"
_WHERE_STYLE = "font-weight:bold"


def _item(problem: Problem) -> str:
    where = (f'<span style="{_WHERE_STYLE}">{html.escape(problem.where)}</span> '
             if problem.where else "")
    return f'<li style="{_ITEM_STYLE}">{where}{html.escape(problem.message)}</li>'


def error_panel(epoch: int, failure: Problem | None, left_out: Sequence[Problem]) -> str:
    """Return the HTML of the panel, or "" when there is nothing to show."""
    if failure is None and not left_out:
        return ""
    parts = [f'<div id="{PANEL_ID}" role="alert" data-epoch="{int(epoch)}" style="{_PANEL_STYLE}">',
             f'<button type="button" data-wenji-dismiss title="Dismiss until the next build" '
             f'aria-label="Dismiss" style="{_BUTTON_STYLE}">×</button>']
    if failure is not None:
        parts.append("<strong>Build failed — showing the last good build. "
                     "Fix the error and save.</strong>")
        parts.append(f'<ul style="{_LIST_STYLE}">{_item(failure)}</ul>')
    if left_out:
        n = len(left_out)
        parts.append(f"<strong>{n} bad article{'s' if n != 1 else ''} left out of the "
                     f"{'last good ' if failure else ''}build; the rest of the site is "
                     "up to date.</strong>")
        parts.append(f'<ul style="{_LIST_STYLE}">' + "".join(_item(p) for p in left_out) + "</ul>")
    return "".join(parts) + "</div>"


def _insert_before_body_end(page: bytes, snippet: bytes) -> bytes:
    at = page.lower().rfind(b"</body>")
    return page + snippet if at < 0 else page[:at] + snippet + page[at:]


def inject(page: bytes, epoch: int, failure: Problem | None = None,
           left_out: Sequence[Problem] = ()) -> bytes:
    """Add the live-reload script (and the error panel) to an HTML page being served."""
    snippet = (error_panel(epoch, failure, left_out)
               + f'<script src="{SCRIPT_URL}" data-epoch="{int(epoch)}" data-events="{EVENTS_URL}">'
               "</script>")
    return _insert_before_body_end(page, snippet.encode("utf-8"))


def placeholder_page(failure: Problem | None) -> bytes:
    """Return a page to show while no build has ever succeeded."""
    text = "Waiting for the first build…" if failure is None else "No build has succeeded yet."
    return ('<!doctype html><html><head><meta charset="utf-8"><title>wenji serve</title></head>'
            f"<body><p>{text}</p></body></html>").encode("utf-8")


RELOAD_JS = """\
(function () {
  "use strict";
  var me = document.currentScript;
  var epoch = me.getAttribute("data-epoch");
  var panel = document.getElementById("%(panel)s");
  var KEY = "wenji-dismissed-epoch";
  function remember(value) {
    try { window.sessionStorage.setItem(KEY, value); } catch (e) { /* storage off */ }
  }
  function dismissed() {
    try { return window.sessionStorage.getItem(KEY); } catch (e) { return null; }
  }
  if (panel) {
    // Re-apply the inline styles through the CSSOM: a page's CSP may block style attributes.
    var styled = [panel].concat(Array.prototype.slice.call(panel.querySelectorAll("[style]")));
    styled.forEach(function (el) { el.style.cssText = el.getAttribute("style"); });
    if (dismissed() === panel.getAttribute("data-epoch")) {
      panel.parentNode.removeChild(panel);
    } else {
      panel.querySelector("[data-wenji-dismiss]").addEventListener("click", function () {
        remember(panel.getAttribute("data-epoch"));
        panel.parentNode.removeChild(panel);
      });
    }
  }
  if (!window.EventSource) { return; }
  var source = new EventSource(me.getAttribute("data-events"));
  source.addEventListener("epoch", function (event) {
    if (event.data !== epoch) { source.close(); window.location.reload(); }
  });
})();
""" % {"panel": PANEL_ID}
