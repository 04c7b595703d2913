// Live reload for the sitegen preview: the reload stream and its state.
// The server wraps this, with client.js (in a page) or worker.js (in the
// SharedWorker all tabs share), in a function of S = {server, version,
// base, events, worker}. Added by the preview server only, never written
// to the output folder.
"use strict";

// hub opens the reload stream and keeps what it says as one state:
//   server   the ID of the server at the other end
//   version  the site version it serves
//   page     the oldest version whose pages are still current: after it
//            only the stylesheets in css changed
//   css      those stylesheets, as output paths
//   errors   the located errors of the last build (empty when it was good)
// emit gets the whole state after every event, so that a tab that missed
// events, or joins late, needs nothing but the latest state. hub returns
// a function that returns the latest state (null before the first hello).
function hub(emit) {
  var st = null;
  var es = null;

  // EventSource reconnects by itself after a network error (the server
  // stopped); after an HTTP error it gives up, so then a new one is made.
  function open() {
    es = new EventSource(S.events);
    es.onerror = function () {
      if (es.readyState === EventSource.CLOSED) {
        setTimeout(open, 1000);
      }
    };
    // hello comes first on every (re)connection, with the whole state but
    // the errors, which follow when there are any.
    es.addEventListener("hello", function (e) {
      var d = JSON.parse(e.data);
      st = { server: d.server, version: d.version, page: d.page, css: d.css || [], errors: [] };
      emit(st);
    });
    es.addEventListener("reload", function (e) {
      if (st) {
        var v = Number(e.data);
        st = { server: st.server, version: v, page: v, css: [], errors: [] };
        emit(st);
      }
    });
    es.addEventListener("css", function (e) {
      if (st) {
        var d = JSON.parse(e.data);
        var css = st.css.slice();
        d.paths.forEach(function (p) {
          if (css.indexOf(p) < 0) {
            css.push(p);
          }
        });
        st = { server: st.server, version: d.version, page: st.page, css: css, errors: [] };
        emit(st);
      }
    });
    es.addEventListener("errors", function (e) {
      if (st) {
        st = { server: st.server, version: st.version, page: st.page, css: st.css, errors: JSON.parse(e.data) };
        emit(st);
      }
    });
  }
  open();
  return function () {
    return st;
  };
}
