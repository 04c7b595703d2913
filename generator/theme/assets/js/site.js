// Site-wide search. The build writes search.json (generator/site/search.go);
// this script fetches it the first time the search box is used, so pages
// pay nothing for search until someone searches. Our own ~100 lines instead
// of a library: the site has well under a hundred pages, and a substring
// match over four weighted fields finds what a reader types, including
// document symbols such as "74/247" that a tokenising engine splits apart.
(function () {
  'use strict';
  var box = document.querySelector('.search');
  if (!box || !window.fetch || !window.URLSearchParams) return;
  var input = box.querySelector('input');
  var panel = box.querySelector('.search-panel');
  var status = box.querySelector('.search-status');
  var list = box.querySelector('.search-results');
  var docs = null, loading = null;
  var WEIGHTS = [12, 5, 3, 1]; // title, actors, summary, body
  var MAX = 20;
  box.hidden = false;

  function norm(s) {
    return (s || '').toLowerCase().normalize('NFD').replace(/[\u0300-\u036f]/g, '');
  }
  function load() {
    if (!loading) {
      loading = fetch(box.getAttribute('data-index'))
        .then(function (r) {
          if (!r.ok) throw new Error(r.status + ' ' + r.statusText);
          return r.json();
        })
        .then(function (all) {
          docs = all.map(function (d) {
            return { d: d, f: [norm(d.t), norm(d.a), norm(d.s), norm(d.x)] };
          });
        })
        .catch(function (err) {
          loading = null; // let the next keystroke try again
          throw err;
        });
    }
    return loading;
  }
  function terms(q) {
    return norm(q).split(/\s+/).map(function (w) {
      return w.replace(/^[^\w]+|[^\w]+$/g, '');
    }).filter(function (w) { return w.length > 0; });
  }
  function isWordStart(f, at) {
    return at === 0 || !/[a-z0-9]/.test(f.charAt(at - 1));
  }
  // score is 0 unless every term occurs in some field; a match at the start
  // of a word counts double, so "treaty" ranks "Treaty ..." over "treatyless".
  function score(doc, ts) {
    var total = 0;
    for (var i = 0; i < ts.length; i++) {
      var best = 0;
      for (var k = 0; k < doc.f.length; k++) {
        var f = doc.f[k], at = f.indexOf(ts[i]);
        while (at >= 0 && !isWordStart(f, at)) at = f.indexOf(ts[i], at + 1);
        var s = at >= 0 ? 2 * WEIGHTS[k] : (f.indexOf(ts[i]) >= 0 ? WEIGHTS[k] : 0);
        if (s > best) best = s;
      }
      if (!best) return 0;
      total += best;
    }
    return total;
  }
  function show(open) { panel.hidden = !open; }
  function render() {
    var ts = terms(input.value);
    list.textContent = '';
    if (!ts.length) { show(false); status.textContent = ''; return; }
    show(true);
    if (!docs) {
      status.textContent = 'Loading the index…';
      load().then(render, function () {
        status.textContent = 'The search index could not be loaded.';
      });
      return;
    }
    var hits = [];
    docs.forEach(function (doc, i) {
      var s = score(doc, ts);
      if (s) hits.push({ doc: doc.d, s: s, i: i });
    });
    hits.sort(function (a, b) { return b.s - a.s || a.i - b.i; });
    status.textContent = hits.length === 0 ? 'No results'
      : hits.length === 1 ? '1 result'
      : hits.length > MAX ? hits.length + ' results, the first ' + MAX + ' shown'
      : hits.length + ' results';
    hits.slice(0, MAX).forEach(function (h) {
      var li = document.createElement('li');
      var a = document.createElement('a');
      a.href = h.doc.u;
      var t = document.createElement('span');
      t.className = 'r-title';
      t.textContent = h.doc.t;
      var m = document.createElement('span');
      m.className = 'r-meta';
      m.textContent = h.doc.k + (h.doc.d ? ' · ' + h.doc.d : '');
      a.appendChild(t);
      a.appendChild(m);
      li.appendChild(a);
      list.appendChild(li);
    });
  }
  function links() { return Array.prototype.slice.call(list.querySelectorAll('a')); }

  input.addEventListener('focus', function () { load().catch(function () {}); });
  input.addEventListener('input', render);
  input.addEventListener('keydown', function (e) {
    var ls = links();
    if (e.key === 'ArrowDown' && ls.length) {
      e.preventDefault();
      ls[0].focus();
    } else if (e.key === 'Enter' && ls.length) {
      e.preventDefault();
      location.href = ls[0].href;
    } else if (e.key === 'Escape') {
      if (input.value) { input.value = ''; render(); } else { input.blur(); }
    }
  });
  list.addEventListener('keydown', function (e) {
    var ls = links(), i = ls.indexOf(document.activeElement);
    if (e.key === 'ArrowDown' && i < ls.length - 1) {
      e.preventDefault();
      ls[i + 1].focus();
    } else if (e.key === 'ArrowUp') {
      e.preventDefault();
      (i > 0 ? ls[i - 1] : input).focus();
    } else if (e.key === 'Escape') {
      e.preventDefault();
      input.focus();
      show(false);
    }
  });
  box.addEventListener('focusin', function () { if (terms(input.value).length) show(true); });
  box.addEventListener('focusout', function (e) {
    if (!e.relatedTarget || !box.contains(e.relatedTarget)) show(false);
  });
  document.addEventListener('click', function (e) {
    if (!box.contains(e.target)) show(false);
  });
  // "/" focuses search from anywhere but a text field or a select, where it
  // may be typed or used to pick an option.
  document.addEventListener('keydown', function (e) {
    if (e.key !== '/' || e.ctrlKey || e.metaKey || e.altKey) return;
    var t = e.target;
    if (t && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName))) return;
    e.preventDefault();
    input.focus();
    input.select();
  });
})();
