// Timeline filters: by track, type, actor and words in titles and
// summaries. Without this script the page lists its events; the script
// shows the form and keeps the choice in the query string
// (?track=…&type=…&actor=…&q=…) to share and reload; the #fragment stays
// free for event anchors. A timeline on one page is filtered in place; a
// timeline in parts across all parts, by timeline-parts.js.
(function () {
  'use strict';
  var form = document.getElementById('filters');
  if (!form || !window.URLSearchParams || !history.replaceState) return;
  var type = form.elements.type, actor = form.elements.actor, q = form.elements.q;
  // The track filter is there when site.yaml declares tracks.
  var track = form.elements.track;
  var selects = [track, type, actor].filter(Boolean);
  var count = document.getElementById('f-count');
  var empty = document.getElementById('f-empty');
  var clear = document.getElementById('f-clear');
  var toggle = document.getElementById('f-toggle');
  var list = document.querySelector('.timeline-list');
  var years = Array.prototype.slice.call(list.querySelectorAll('.year'));
  var marks = Array.prototype.slice.call(document.querySelectorAll('.ov-mark'));
  function norm(s) {
    return (s || '').toLowerCase().normalize('NFD').replace(/[\u0300-\u036f]/g, '');
  }
  function text(el, sel) {
    var x = el.querySelector(sel);
    return x ? x.textContent : '';
  }
  function slugOf(href) { return decodeURIComponent(href.slice(href.indexOf('#') + 1)); }
  // Each option's label, and its count of every event, for setCounts.
  selects.forEach(function (s) {
    Array.prototype.forEach.call(s.options, function (o) {
      var m = o.textContent.match(/^(.*) \((\d+)\)$/);
      if (m) { o.label0 = m[1]; o.n0 = +m[2]; }
    });
  });
  form.hidden = false;

  // The filters, as the URL holds them.
  function state() {
    var f = { words: norm(q.value).split(/\s+/).filter(Boolean) };
    selects.forEach(function (s) { f[s.name] = s.value; });
    return f;
  }
  function active(f) { return !!(f.track || f.type || f.actor || f.words.length); }
  function fromURL() {
    var p = new URLSearchParams(location.search), dropped = false;
    selects.forEach(function (s) {
      var v = p.get(s.name) || '';
      s.value = v;
      if (s.value !== v) { s.value = ''; dropped = true; } // not a value of the list
    });
    if (!form.elements.track && p.has('track')) dropped = true; // no tracks on this site
    q.value = p.get('q') || '';
    if (dropped) toURL(); // an invalid value leaves the URL, not only the view
  }
  function toURL() {
    var p = new URLSearchParams();
    selects.forEach(function (s) { if (s.value) p.set(s.name, s.value); });
    if (q.value.trim()) p.set('q', q.value.trim());
    var s = p.toString();
    history.replaceState(history.state, '', location.pathname + (s ? '?' + s : '') + location.hash);
  }
  // setCounts writes each option's count: the events that would match if
  // it were chosen, the other filters as they are. counts(name) returns
  // them by value, or null for every event's (the page's own).
  function setCounts(counts) {
    selects.forEach(function (s) {
      var c = counts(s.name);
      Array.prototype.forEach.call(s.options, function (o) {
        if (o.label0 !== undefined) o.textContent = o.label0 + ' (' + (c ? c[o.value] || 0 : o.n0) + ')';
      });
    });
  }
  function status(f, n, of) {
    count.textContent = active(f) ? n + ' of ' + of + ' events match' : of + ' events';
    clear.disabled = !active(f);
  }

  // The page's own events.
  var items = Array.prototype.slice.call(list.querySelectorAll('.event')).map(function (el) {
    return {
      el: el,
      track: el.getAttribute('data-track') || '',
      type: el.getAttribute('data-type'),
      actors: (el.getAttribute('data-actors') || '').split(' ').filter(Boolean),
      text: norm(text(el, '.event-title') + ' ' + text(el, '.event-summary')).replace(/\s+/g, ' ')
    };
  });
  var markOf = {};
  marks.forEach(function (m) { markOf[slugOf(m.getAttribute('href'))] = m; });
  // matcher: does an event pass every filter but skip?
  function matcher(f, skip, words) {
    return function (it) {
      return (skip === 'track' || !f.track || it.track === f.track) &&
        (skip === 'type' || !f.type || it.type === f.type) &&
        (skip === 'actor' || !f.actor || it.actors.indexOf(f.actor) >= 0) && words(it);
    };
  }
  // tally: for each select, by value, the events the other filters pass.
  function tally(f, all, words) {
    var c = {};
    selects.forEach(function (s) {
      var by = c[s.name] = {}, ok = matcher(f, s.name, words);
      all.forEach(function (it) {
        if (!ok(it)) return;
        if (s.name === 'actor') it.actors.forEach(function (a) { by[a] = (by[a] || 0) + 1; });
        else by[it[s.name]] = (by[it[s.name]] || 0) + 1;
      });
    });
    return c;
  }
  function applyHere(f) {
    var words = function (it) { return f.words.every(function (w) { return it.text.indexOf(w) >= 0; }); };
    var ok = matcher(f, '', words), n = 0;
    items.forEach(function (it) {
      var m = ok(it);
      it.el.hidden = !m;
      var mark = markOf[it.el.id];
      if (mark) mark.classList.toggle('off', !m);
      if (m) n++;
    });
    years.forEach(function (sec) {
      var none = !sec.querySelector('.event:not([hidden])');
      sec.hidden = none;
      var li = document.querySelector('.year-index li[data-year="' + sec.id + '"]');
      if (li) li.hidden = none;
    });
    var c = active(f) ? tally(f, items, words) : null;
    setCounts(function (name) { return c && c[name]; });
    status(f, n, items.length);
    empty.hidden = n > 0;
  }

  var parts = form.hasAttribute('data-parts') && window.sitegenTimelineParts && window.sitegenTimelineParts({
    form: form, count: count, empty: empty, years: years, marks: marks,
    matcher: matcher, tally: tally, setCounts: setCounts, status: status, active: active
  });
  function apply() {
    if (parts) parts.apply(state()); else applyHere(state());
  }
  function changed() {
    apply();
    toURL();
  }
  function clearAll() {
    selects.forEach(function (s) { s.value = ''; });
    q.value = '';
    changed();
  }
  // A link to an event must land on it even when the filters hide it:
  // then they give way. An event on another part (an old /timeline/#slug
  // link) is for timeline-parts.js to find.
  function reveal() {
    var id = decodeURIComponent(location.hash.slice(1));
    var el = id && document.getElementById(id);
    if (!el && id && parts) parts.find(id);
    if (!el || !el.classList.contains('event')) return;
    if (el.hidden || (parts && parts.listing())) clearAll();
    items.forEach(function (it) { it.el.classList.remove('is-target'); });
    el.classList.add('is-target');
    el.setAttribute('tabindex', '-1');
    el.scrollIntoView();
    el.focus({ preventScroll: true });
  }
  selects.forEach(function (s) { s.addEventListener('change', changed); });
  var typing;
  q.addEventListener('input', function () {
    // Across parts, a pause in typing filters; on one page, every key.
    clearTimeout(typing);
    typing = parts ? setTimeout(changed, 250) : changed();
  });
  form.addEventListener('submit', function (e) { e.preventDefault(); });
  clear.addEventListener('click', function () {
    clearAll();
    (track || type).focus(); // the button just became disabled; keep focus in the form
  });
  if (toggle) {
    toggle.hidden = false;
    toggle.addEventListener('click', function () {
      var open = toggle.getAttribute('aria-expanded') !== 'true';
      toggle.setAttribute('aria-expanded', String(open));
      form.classList.toggle('is-open', open);
    });
  }
  window.addEventListener('hashchange', reveal);
  window.addEventListener('popstate', function () { fromURL(); apply(); });

  // The sticky year bar's height is the scroll padding: an anchor, a
  // heading or the focus never ends under it (site.css has a fallback).
  var bar = document.querySelector('.year-index');
  function pad() {
    var pinned = bar && getComputedStyle(bar).position === 'sticky';
    document.documentElement.style.setProperty('--tl-bar', pinned ? Math.ceil(bar.getBoundingClientRect().height) + 'px' : '0px');
  }
  if (bar) {
    pad();
    if (window.ResizeObserver) new ResizeObserver(pad).observe(bar);
    window.addEventListener('resize', pad);
  }
  fromURL();
  apply();
  reveal();
})();
