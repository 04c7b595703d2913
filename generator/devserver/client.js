
// The page's side of live reload: it learns the stream's state (see hub)
// from the shared worker, from the tab that holds the stream, or from its
// own stream, and brings itself up to date.
var OVERLAY = "__sitegen-overlay";
var reloading = false;
var shownErrors = "[]";

// apply brings the page up to date with the stream's state st.
function apply(st) {
  if (!st || reloading) {
    return;
  }
  // Another server (a restart), or a page changed since this one was
  // served: reload. A state older than the page (a worker that has not
  // heard of the newest build yet) is ignored.
  if (st.server !== S.server || S.version < st.page) {
    reloading = true;
    location.reload();
    return;
  }
  if (S.version < st.version) {
    swapStylesheets(st.css, st.version);
    S.version = st.version;
  }
  var errs = JSON.stringify(st.errors);
  if (errs !== shownErrors) {
    shownErrors = errs;
    if (st.errors.length === 0) {
      hideErrors();
    } else {
      showErrors(st.errors);
    }
  }
  // For tests and the curious: this page is listening.
  window.__sitegenConnected = true;
}

// Only stylesheets changed: swap them in place, keeping scroll position
// and state. The old sheet goes once the new one has loaded, so the page
// never shows unstyled.
function swapStylesheets(paths, version) {
  var links = document.querySelectorAll('link[rel="stylesheet"]');
  for (var i = 0; i < links.length; i++) {
    var old = links[i];
    var u = new URL(old.href, location.href);
    if (u.origin !== location.origin) {
      continue;
    }
    var rel = u.pathname.indexOf(S.base) === 0 ? u.pathname.slice(S.base.length) : u.pathname;
    if (paths.indexOf(rel) < 0) {
      continue;
    }
    var fresh = old.cloneNode();
    u.searchParams.set("sitegen", String(version));
    fresh.href = u.pathname + u.search;
    fresh.addEventListener("load", function () { this.remove(); }.bind(old));
    fresh.addEventListener("error", function () { this.remove(); }.bind(old));
    old.after(fresh);
  }
}

// listen joins the browser's one reload stream: through the SharedWorker
// that holds it, else (no SharedWorker, or it failed to start) through
// the tab elected to hold it.
function listen() {
  var fellBack = false;
  function fallBack() {
    if (!fellBack) {
      fellBack = true;
      elect();
    }
  }
  if (typeof SharedWorker !== "function") {
    fallBack();
    return;
  }
  try {
    var w = new SharedWorker(S.worker, { name: "sitegen-" + S.server });
    w.onerror = fallBack;
    w.port.onmessage = function (e) {
      apply(e.data);
    };
    w.port.start();
    addEventListener("pagehide", function () {
      w.port.postMessage("bye");
    });
  } catch (e) {
    fallBack();
  }
}

// elect shares one stream between tabs without a SharedWorker: the tab
// that holds a Web Lock opens it and relays its state over a
// BroadcastChannel; when that tab goes, the lock passes to another. A tab
// that joins asks for the state. Without locks or channels (a page not
// served from localhost is no secure context), each tab has its own.
function elect() {
  if (typeof BroadcastChannel !== "function" || !navigator.locks) {
    hub(apply);
    return;
  }
  var name = "sitegen-" + S.server;
  var bc = new BroadcastChannel(name);
  var current = null;
  bc.onmessage = function (e) {
    if (e.data === "ask") {
      var st = current && current();
      if (st) {
        bc.postMessage(st);
      }
    } else if (!current) {
      apply(e.data);
    }
  };
  navigator.locks.request(name, function () {
    current = hub(function (st) {
      bc.postMessage(st);
      apply(st);
    });
    return new Promise(function () {}); // held until this page goes away
  });
  bc.postMessage("ask");
}

// A page restored from the back-forward cache has missed what happened
// while it was away and lost its connection: load it afresh.
addEventListener("pageshow", function (e) {
  if (e.persisted) {
    location.reload();
  }
});
listen();

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
