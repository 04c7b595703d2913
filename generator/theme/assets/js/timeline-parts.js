// Timeline filters across the parts of a timeline in parts (see
// timeline.js, which calls this with its own functions). The facets of
// every event come from small chunks (timeline/data/, written by the
// build), the words from the site's search index (the terms of titles and
// summaries), and the matches are listed part by part, each part's page
// fetched only when the list reaches it. An event not on this part (an
// old /timeline/#slug link) is looked up in the slug map, and the reader
// sent to its part.
window.sitegenTimelineParts = function (t) {
  'use strict';
  var form = t.form, count = t.count, empty = t.empty, years = t.years, marks = t.marks;
  var matcher = t.matcher, tally = t.tally, setCounts = t.setCounts, status = t.status, active = t.active;
  var total = +(count.textContent.match(/\d+/) || [0])[0];
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
    // The shard that would hold w (the longest prefix of it that has
    // one) and those of the longer words it starts, as search.js plans.
    var own = null, need = [];
    m.shards.forEach(function (e) {
      if (w.indexOf(e[0]) === 0 && (!own || e[0].length > own[0].length)) own = e;
    });
    m.shards.forEach(function (e) {
      if (e[1] > 0 && (e === own || (e[0].length > 0 && e[0].indexOf(w) === 0))) need.push(e[0]);
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
  function showPart(show) {
    years.forEach(function (sec) { sec.hidden = !show; });
    Array.prototype.forEach.call(document.querySelectorAll('.year-index li'), function (li) { li.hidden = false; });
  }
  var on = false; // whether the view is filtered: the part's own list hidden
  function applyParts(f) {
    var my = ++run;
    on = active(f);
    if (results) { results.remove(); more.remove(); results = null; }
    if (observer) observer.disconnect();
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

  // fnv is FNV-1a of the slug's bytes, as build's slugShard.
  function fnv(s) {
    var b = new TextEncoder().encode(s), h = 0x811c9dc5;
    for (var i = 0; i < b.length; i++) h = Math.imul(h ^ b[i], 16777619) >>> 0;
    return h;
  }

  return {
    apply: applyParts,
    listing: function () { return on; },
    find: function (id) {
      if (/^y\d+$/.test(id)) return;
      get(dataURL, 'json').then(function (ix) {
        return get(dir + 's' + fnv(id) % ix.slugShards + '.json', 'json').then(function (m) {
          if (m[id] !== undefined && m[id] !== here) location.replace(ix.parts[m[id]][0] + location.search + location.hash);
        });
      });
    }
  };
};
