// Timeline filters: by track, by type, by actor and by words in titles and
// summaries.
// The page lists its events without this script; the script shows the
// filter form, and keeps the choice in the query string
// (?track=…&type=…&actor=…&q=…) so a filtered view can be shared,
// bookmarked and reloaded. The #fragment stays free for event anchors.
//
// A timeline on one page is filtered in place. A timeline in parts (the
// form has data-parts) filters the whole timeline: the facets of every
// event come from small chunks (timeline/data/, written by build), the
// words from the site's search index (the terms found in titles and
// summaries), and the matches are listed part by part, each part's page
// fetched only when the list reaches it.
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
  var multi = form.hasAttribute('data-parts');
  var total = +(count.textContent.match(/\d+/) || [0])[0];
  function norm(s) {
    return (s || '').toLowerCase().normalize('NFD').replace(/[\u0300-\u036f]/g, '');
  }
  function text(el, sel) {
    var x = el.querySelector(sel);
    return x ? x.textContent : '';
  }
  function slugOf(href) { return decodeURIComponent(href.slice(href.indexOf('#') + 1)); }
  // Each option's label without its count, and the count the page gives
  // (every event's), which the counts return to when nothing is filtered.
  selects.forEach(function (s) {
    Array.prototype.forEach.call(s.options, function (o) {
      var m = o.textContent.match(/^(.*) \((\d+)\)$/);
      if (m) { o.label0 = m[1]; o.n0 = +m[2]; }
    });
  });
  form.hidden = false;

  // The state of the filters, as one object: what the URL holds.
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
    if (toggle) toggle.textContent = active(f) ? 'Filters (' + n + ' of ' + of + ')' : 'Filters';
  }

  // --- A timeline on one page: the page's own events. ---
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
  // matcher returns whether an event passes every filter but skip.
  function matcher(f, skip, words) {
    return function (it) {
      return (skip === 'track' || !f.track || it.track === f.track) &&
        (skip === 'type' || !f.type || it.type === f.type) &&
        (skip === 'actor' || !f.actor || it.actors.indexOf(f.actor) >= 0) && words(it);
    };
  }
  // tally counts, for each select, the events that pass the other
  // filters by the select's value.
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

  // --- A timeline in parts: the whole timeline's data, a piece at a time. ---
  var files = {};
  function get(url, kind) {
    if (!files[url]) {
      files[url] = fetch(url).then(function (r) {
        if (!r.ok) throw new Error(url + ': ' + r.status);
        return kind === 'json' ? r.json() : kind === 'bin' ? r.arrayBuffer() : r.text();
      });
      files[url].catch(function () { delete files[url]; });
    }
    return files[url];
  }
  var dataURL = form.getAttribute('data-parts'), dir = (dataURL || '').replace(/[^/]*$/, '');
  var here = +form.getAttribute('data-part');
  // facets loads the index and every chunk of facets: an event is
  // {i: its number, track, type, actors}, in timeline order.
  function facets() {
    return get(dataURL, 'json').then(function (ix) {
      var chunks = [];
      for (var k = 0; k * ix.chunk < ix.events; k++) chunks.push(get(dir + 'f' + k + '.json', 'json'));
      return Promise.all(chunks).then(function (cs) {
        if (ix.all) return ix;
        ix.all = [];
        cs.forEach(function (c, k) {
          c.forEach(function (e, j) {
            ix.all.push({ i: k * ix.chunk + j, type: ix.types[e[0]], track: e[1] ? ix.tracks[e[1] - 1] : '', actors: e.slice(2).map(function (a) { return ix.actors[a]; }) });
          });
        });
        return ix;
      });
    });
  }
  var searchURL = form.getAttribute('data-search'), sdir = (searchURL || '').replace(/[^/]*$/, '');
  var TOKEN = /[\p{L}\p{N}\p{M}]+(?:[/.\-'’_][\p{L}\p{N}\p{M}]+)*/gu;
  // shardName and the shard's encoding are the search index's (see
  // search.js and generator/search).
  function shardName(p) {
    if (!p) return '_';
    var b = new TextEncoder().encode(p), s = '';
    for (var i = 0; i < b.length; i++) {
      var c = b[i];
      s += (c >= 97 && c <= 122) || (c >= 48 && c <= 57) ? String.fromCharCode(c) : '~' + (c < 16 ? '0' : '') + c.toString(16);
    }
    return s;
  }
  // eventsWith returns the set of the events (by number) whose title or
  // summary holds a word starting with w: the postings of the search
  // index whose mask has the title (1) or summary (4) bit.
  function eventsWith(m, w) {
    var need = [];
    m.shards.forEach(function (e) {
      if (e[1] > 0 && (w.indexOf(e[0]) === 0 || e[0].indexOf(w) === 0)) need.push(e[0]);
    });
    return Promise.all(need.map(function (p) { return get(sdir + 't/' + shardName(p) + '.bin', 'bin'); })).then(function (bufs) {
      var set = new Set(), dec = new TextDecoder();
      bufs.forEach(function (buf) {
        var b = new Uint8Array(buf), at = 0;
        function uvarint() {
          var v = 0, mul = 1, c;
          do { c = b[at++]; v += (c & 127) * mul; mul *= 128; } while (c & 128);
          return v;
        }
        while (at < b.length) {
          var n = uvarint(), term = dec.decode(b.subarray(at, at + n));
          at += n;
          var cnt = uvarint(), doc = 0, hit = term.indexOf(w) === 0;
          for (var i = 0; i < cnt; i++) {
            var v = uvarint();
            doc += Math.floor(v / 16);
            if (hit && (v % 16 & 5) && doc < m.events) set.add(doc);
          }
        }
      });
      return set;
    });
  }
  function wordSets(f) {
    if (!f.words.length) return Promise.resolve(null);
    var ws = (f.words.join(' ').match(TOKEN) || []).map(function (t) { return t.replace(/’/g, "'"); });
    return get(searchURL, 'json').then(function (m) {
      return Promise.all(ws.map(function (w) { return eventsWith(m, w); }));
    });
  }
  var run = 0; // the current view; an older one stops where it is
  var results = null, more = null, observer = null;
  function showPart(on) {
    years.forEach(function (sec) { sec.hidden = !on; });
    Array.prototype.forEach.call(document.querySelectorAll('.year-index li'), function (li) { li.hidden = false; });
  }
  function applyParts(f) {
    var my = ++run;
    if (results) { results.remove(); results = null; }
    if (!active(f)) {
      showPart(true);
      marks.forEach(function (m) { m.classList.remove('off'); });
      setCounts(function () { return null; });
      status(f, total, total);
      empty.hidden = true;
      return;
    }
    showPart(false);
    count.textContent = 'Filtering…';
    Promise.all([facets(), wordSets(f)]).then(function (r) {
      if (my !== run) return;
      var ix = r[0], sets = r[1];
      var words = function (it) { return !sets || sets.every(function (s) { return s.has(it.i); }); };
      var ok = matcher(f, '', words), hits = ix.all.filter(ok);
      var c = tally(f, ix.all, words);
      setCounts(function (name) { return c[name]; });
      status(f, hits.length, ix.events);
      empty.hidden = hits.length > 0;
      if (marks.length === ix.events) {
        var on = new Set(hits.map(function (h) { return h.i; }));
        marks.forEach(function (m, i) { m.classList.toggle('off', !on.has(i)); });
      }
      listMatches(ix, hits, my);
    }, function () {
      if (my === run) count.textContent = 'The filters could not load the timeline’s data; reload to try again.';
    });
  }
  // list shows the matches part by part: a part's page is fetched when
  // the list reaches it, SHOW matches at a time (more as the reader
  // scrolls to the end, or asks).
  var SHOW = 50;
  function listMatches(ix, hits, my) {
    results = document.createElement('div');
    results.className = 'filter-results';
    empty.after(results);
    var byPart = [], k = 0;
    ix.parts.forEach(function (p, n) {
      var lo = +p[2], hi = lo + +p[3], mine = [];
      while (k < hits.length && hits[k].i < hi) { if (hits[k].i >= lo) mine.push(hits[k].i - lo); k++; }
      if (mine.length) byPart.push({ n: n, url: p[0], at: mine });
    });
    more = document.createElement('button');
    more.type = 'button';
    more.className = 'filter-more';
    more.textContent = 'Loading matches…';
    var next = 0, shown = 0, want = SHOW, busy = false, lastYear = '';
    // fill loads parts until want matches are shown, or every one.
    function fill() {
      if (busy || my !== run) return;
      if (next >= byPart.length) { more.remove(); if (observer) observer.disconnect(); return; }
      if (shown >= want) {
        more.textContent = 'Show more matches (' + (hits.length - shown) + ' more)';
        if (observer) { observer.unobserve(more); observer.observe(more); } // called again if still in view
        return;
      }
      busy = true;
      var bp = byPart[next++];
      var page = bp.n === here ? Promise.resolve(document) : get(bp.url, 'text').then(function (h) { return new DOMParser().parseFromString(h, 'text/html'); });
      page.then(function (doc) {
        busy = false;
        if (my !== run) return;
        var evs = doc.querySelectorAll('.timeline-list .year .event');
        bp.at.forEach(function (j) {
          var el = evs[j];
          if (!el) return;
          var y = el.closest('.year').querySelector('h2').textContent;
          if (y !== lastYear) {
            var h = document.createElement('h2');
            h.textContent = lastYear = y;
            results.appendChild(h);
          }
          var c = document.importNode(el, true);
          c.hidden = false;
          c.setAttribute('data-slug', c.id);
          c.removeAttribute('id'); // the part's own event keeps the anchor
          results.appendChild(c);
          shown++;
        });
        fill();
      }, function () {
        busy = false;
        more.textContent = 'Could not load the next part; try again';
      });
    }
    function ask() { want = shown + SHOW; fill(); }
    more.addEventListener('click', ask);
    results.after(more);
    if (window.IntersectionObserver) {
      observer = new IntersectionObserver(function (es) { if (es[0].isIntersecting) ask(); }, { rootMargin: '400px' });
    }
    fill();
  }

  function apply() {
    var f = state();
    if (multi) applyParts(f); else applyHere(f);
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
  // A link to an event on the timeline must land on it even when the
  // current filters hide it: then the filters give way. On a timeline in
  // parts, an event not on this part (an old /timeline/#slug link) is
  // looked up in the slug map and the reader sent to its part.
  function reveal() {
    var id = decodeURIComponent(location.hash.slice(1));
    if (!id) return;
    var el = document.getElementById(id);
    if (!el && multi && !/^y\d+$/.test(id)) {
      get(dataURL, 'json').then(function (ix) {
        return get(dir + 's' + fnv(id) % ix.slugShards + '.json', 'json').then(function (m) {
          if (m[id] !== undefined && m[id] !== here) location.replace(ix.parts[m[id]][0] + location.search + location.hash);
        });
      });
      return;
    }
    if (!el || !el.classList.contains('event')) return;
    if (el.hidden || results) clearAll();
    items.forEach(function (it) { it.el.classList.remove('is-target'); });
    el.classList.add('is-target');
    el.setAttribute('tabindex', '-1');
    el.scrollIntoView();
    el.focus({ preventScroll: true });
  }
  // fnv is FNV-1a of the slug's bytes, as build's slugShard.
  function fnv(s) {
    var b = new TextEncoder().encode(s), h = 0x811c9dc5;
    for (var i = 0; i < b.length; i++) h = Math.imul(h ^ b[i], 16777619) >>> 0;
    return h;
  }

  selects.forEach(function (s) { s.addEventListener('change', changed); });
  var typing;
  q.addEventListener('input', function () {
    // On one page every key filters at once; across parts, a pause does.
    if (!multi) { changed(); return; }
    clearTimeout(typing);
    typing = setTimeout(changed, 250);
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

  // The sticky year bar's real height is the scroll padding, so that an
  // anchor, a year's heading or the keyboard focus never ends under it
  // (the style sheet holds a fallback).
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
