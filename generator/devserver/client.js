// Live reload for the sitegen preview. The server wraps this in a function
// of S = {server, version, base, events}: the server and site version this
// page was served from. Added by the preview server only, never written to
// the output folder.
"use strict";
var OVERLAY = "__sitegen-overlay";
var es = null;

function reload() {
  es.close();
  location.reload();
}

// connect opens the stream. EventSource reconnects by itself after a
// network error (the server stopped); after an HTTP error it gives up, so
// then a new one is made.
function connect() {
  es = new EventSource(S.events);
  es.onerror = function () {
    if (es.readyState === EventSource.CLOSED) {
      setTimeout(connect, 1000);
    }
  };

  // hello comes first on every (re)connection: another server (a restart)
  // or another site version than this page shows means the page is stale.
  es.addEventListener("hello", function (e) {
    var d = JSON.parse(e.data);
    if (d.server !== S.server || d.version !== S.version) {
      reload();
      return;
    }
    // For tests and the curious: this page is listening.
    window.__sitegenConnected = true;
  });

  es.addEventListener("reload", function (e) {
    if (Number(e.data) !== S.version) {
      reload();
    }
  });

  // Only stylesheets changed: swap them in place, keeping scroll position
  // and state. The old sheet goes once the new one has loaded, so the page
  // never shows unstyled.
  es.addEventListener("css", function (e) {
    var d = JSON.parse(e.data);
    S.version = d.version;
    hideErrors();
    var links = document.querySelectorAll('link[rel="stylesheet"]');
    for (var i = 0; i < links.length; i++) {
      var old = links[i];
      var u = new URL(old.href, location.href);
      if (u.origin !== location.origin) {
        continue;
      }
      var rel = u.pathname.indexOf(S.base) === 0 ? u.pathname.slice(S.base.length) : u.pathname;
      if (d.paths.indexOf(rel) < 0) {
        continue;
      }
      var fresh = old.cloneNode();
      u.searchParams.set("sitegen", String(d.version));
      fresh.href = u.pathname + u.search;
      fresh.addEventListener("load", function () { this.remove(); }.bind(old));
      fresh.addEventListener("error", function () { this.remove(); }.bind(old));
      old.after(fresh);
    }
  });

  es.addEventListener("errors", function (e) {
    var errs = JSON.parse(e.data);
    if (errs.length === 0) {
      hideErrors();
    } else {
      showErrors(errs);
    }
  });
}
connect();

function hideErrors() {
  var o = document.getElementById(OVERLAY);
  if (o) {
    o.remove();
  }
}

// showErrors draws the located errors over the page. The overlay lives in
// a shadow root, so the site's stylesheet cannot restyle it (and it cannot
// restyle the site); text goes in through textContent, so nothing in an
// error message can run as HTML.
function showErrors(errs) {
  hideErrors();
  var host = document.createElement("div");
  host.id = OVERLAY;
  host.setAttribute("role", "alert");
  var root = host.attachShadow({ mode: "open" });
  var style = document.createElement("style");
  style.textContent =
    ":host{all:initial;position:fixed;top:0;right:0;bottom:0;left:0;z-index:2147483647;" +
    "overflow:auto;background:#1e1e1e;color:#eee;" +
    "font:14px/1.5 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace}" +
    ".box{padding:1.5em 2em}" +
    "h2{margin:0 0 1em;font:bold 16px/1.4 inherit;color:#ff8a80}" +
    ".error{margin:0 0 1.5em}" +
    ".location{color:#80d8ff;font-weight:bold}" +
    "pre{margin:.3em 0;font:inherit;white-space:pre-wrap;background:none;padding:0}" +
    "pre.source{color:#ffe082;white-space:pre;overflow-x:auto}";
  root.appendChild(style);
  var box = document.createElement("div");
  box.className = "box";
  var h = document.createElement("h2");
  h.textContent = "Build failed (" + errs.length + (errs.length === 1 ? " error" : " errors") +
    "). The preview shows the last good build; save a fix to clear this.";
  box.appendChild(h);
  errs.forEach(function (er) {
    var e = document.createElement("div");
    e.className = "error";
    var loc = document.createElement("div");
    loc.className = "location";
    loc.textContent = er.file + (er.line ? ":" + er.line + (er.col ? ":" + er.col : "") : "");
    var msg = document.createElement("pre");
    msg.className = "message";
    msg.textContent = er.message;
    e.appendChild(loc);
    e.appendChild(msg);
    if (er.source) {
      var src = document.createElement("pre");
      src.className = "source";
      var caret = er.col ? "\n" + " ".repeat(er.col - 1) + "^" : "";
      src.textContent = er.source.replace(/\t/g, " ") + caret;
      e.appendChild(src);
    }
    box.appendChild(e);
  });
  root.appendChild(box);
  (document.body || document.documentElement).appendChild(host);
}
