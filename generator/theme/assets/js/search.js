// Site-wide search, loaded by site.js on first use of the box: the box in
// the header and the results page
// (/search/?q=...). The build writes a sharded inverted index
// (generator/export/search.go): a manifest, shards of terms with their
// postings, and shards of four documents each. A query fetches the
// manifest, the shard that holds each word, and the document shards of
// the results it shows, never the whole index: at 10,000 events a first
// query costs a few hundred KB rather than 36 MB. Tokens keep their inner
// "/", ".", "-", "'" and "_", and the index holds each part and each
// suffix of them, so "74/247" finds "A/RES/74/247". A word matches the
// words that start with it, unless those fill too many shards ("co");
// then it matches whole words only, and the status line says so.
(function () {
  'use strict';
  var box = document.querySelector('.search');
  if (!box || !window.fetch || !window.URLSearchParams || !window.TextDecoder) return;
  var input = box.querySelector('input');
  var panel = box.querySelector('.search-panel');
  var status = box.querySelector('.search-status');
  var list = box.querySelector('.search-results');
  var more = box.querySelector('.search-more');
  var manifestURL = box.getAttribute('data-index');
  var pageURL = box.getAttribute('data-page');
  var dir = manifestURL.replace(/[^/]*$/, '');
  var WEIGHTS = [12, 5, 3, 1]; // title, actors, summary, body: the mask's bits in order
  var SHOW = 10; // results in the box
  var PER_PAGE = 20; // results on a page of the results page
  var EXPAND = 256 * 1024; // bytes of shards a word may fetch to match longer words
  var TOKEN = /[\p{L}\p{N}\p{M}]+(?:[/.\-'’_][\p{L}\p{N}\p{M}]+)*/gu;
  var JOINER = /[/.\-'_]/;
  var files = {}; // url → promise of its contents
  box.hidden = false;

  function get(url, json) {
    if (!files[url]) {
      files[url] = fetch(url).then(function (r) {
        if (!r.ok) throw new Error(r.status + ' ' + r.statusText);
        return json ? r.json() : r.arrayBuffer();
      }).catch(function (err) {
        delete files[url]; // let the next query try again
        throw err;
      });
    }
    return files[url];
  }
  // norm folds a token as the build does (normToken): lower case, ’ as ',
  // diacritics dropped.
  function norm(t) {
    return t.toLowerCase().replace(/’/g, "'").normalize('NFD').replace(/[\u0300-\u036f]/g, '');
  }
  function terms(q) {
    var seen = {};
    return (q.match(TOKEN) || []).map(norm).filter(function (t) {
      if (seen[t]) return false;
      seen[t] = true;
      return true;
    });
  }
  // shardName is the file of a shard, as the build names it (shardName).
  function shardName(p) {
    if (!p) return '_';
    var b = new TextEncoder().encode(p), s = '';
    for (var i = 0; i < b.length; i++) {
      var c = b[i];
      s += (c >= 97 && c <= 122) || (c >= 48 && c <= 57) ? String.fromCharCode(c) : '~' + (c < 16 ? '0' : '') + c.toString(16);
    }
    return s;
  }
  // shard fetches and decodes a shard of the term index: for each term,
  // its documents and the fields it occurs in.
  function shard(prefix) {
    var url = dir + 't/' + shardName(prefix) + '.bin';
    return get(url, false).then(function (buf) {
      if (buf.decoded) return buf.decoded;
      var b = new Uint8Array(buf), at = 0, out = [], dec = new TextDecoder();
      function uvarint() {
        var v = 0, mul = 1, c;
        do { c = b[at++]; v += (c & 127) * mul; mul *= 128; } while (c & 128);
        return v;
      }
      while (at < b.length) {
        var n = uvarint(), term = dec.decode(b.subarray(at, at + n));
        at += n;
        var count = uvarint(), docs = new Uint32Array(count), masks = new Uint8Array(count), doc = 0;
        for (var i = 0; i < count; i++) {
          var v = uvarint();
          doc += Math.floor(v / 16);
          docs[i] = doc;
          masks[i] = v % 16;
        }
        out.push({ t: term, docs: docs, masks: masks });
      }
      buf.decoded = out;
      return out;
    });
  }
  // plan says which shards a word needs: the one that would hold it (the
  // longest prefix of it that has a shard), and those of the longer words
  // it starts, when they are few enough. An empty shard is not fetched.
  function plan(m, q) {
    var own = null, longer = [], bytes = 0;
    m.shards.forEach(function (e) {
      if (q.indexOf(e[0]) === 0 && (!own || e[0].length > own[0].length)) own = e;
    });
    m.shards.forEach(function (e) {
      if (e !== own && e[1] > 0 && e[0].length > 0 && e[0].indexOf(q) === 0) {
        longer.push(e[0]);
        bytes += e[1];
      }
    });
    var need = own && own[1] > 0 ? [own[0]] : [];
    var expand = bytes <= EXPAND;
    return { q: q, shards: expand ? need.concat(longer) : need, expand: expand };
  }
  function weight(mask) {
    for (var i = 0; i < WEIGHTS.length; i++) if (mask & (1 << i)) return WEIGHTS[i];
    return 0;
  }
  // run answers a query: every document that matches each of its words,
  // best first. A whole word counts double a longer word it starts, and
  // double again in the title of a page that is not an event.
  function run(q) {
    var ts = terms(q);
    if (!ts.length) return Promise.resolve({ terms: [], hits: [], whole: [] });
    return get(manifestURL, true).then(function (m) {
      var plans = ts.map(function (t) { return plan(m, t); });
      return Promise.all(plans.map(function (p) {
        return Promise.all(p.shards.map(shard));
      })).then(function (shards) {
        var scores = null;
        plans.forEach(function (p, k) {
          var best = new Map();
          shards[k].forEach(function (entries) {
            entries.forEach(function (e) {
              var exact = e.t === p.q;
              if (!exact && !(p.expand && e.t.indexOf(p.q) === 0)) return;
              for (var i = 0; i < e.docs.length; i++) {
                var s = weight(e.masks[i]) * (exact ? 2 : 1);
                // A page the word names (an actor, a guide: the documents
                // after the events) comes before the events that mention it.
                if (exact && (e.masks[i] & 1) && e.docs[i] >= m.events) s *= 2;
                if (s > (best.get(e.docs[i]) || 0)) best.set(e.docs[i], s);
              }
            });
          });
          if (scores === null) { scores = best; return; }
          var both = new Map();
          scores.forEach(function (s, d) { if (best.has(d)) both.set(d, s + best.get(d)); });
          scores = both;
        });
        var hits = [];
        scores.forEach(function (s, d) { hits.push({ d: d, s: s }); });
        hits.sort(function (a, b) { return b.s - a.s || a.d - b.d; });
        return {
          terms: plans, hits: hits, per: m.perShard,
          whole: plans.filter(function (p) { return !p.expand; }).map(function (p) { return p.q; })
        };
      });
    });
  }
  // docs fetches the documents of some hits, from their shards.
  function docs(res, hits) {
    return Promise.all(hits.map(function (h) {
      return get(dir + 'd/' + Math.floor(h.d / res.per) + '.json', true).then(function (all) {
        return all[h.d % res.per];
      });
    }));
  }
  // matcher returns whether a token of a document is one of the query's
  // words: it, one of its parts or a suffix from a part starts with a
  // word (or is it, for a word matched whole).
  function matcher(plans) {
    return function (tok) {
      var n = norm(tok), forms = [n], parts = n.split(JOINER), at = 0;
      for (var i = 0; i < parts.length; i++) {
        forms.push(parts[i]);
        if (i > 0) forms.push(n.slice(at));
        at += parts[i].length + 1;
      }
      return plans.some(function (p) {
        return forms.some(function (f) { return p.expand ? f.indexOf(p.q) === 0 : f === p.q; });
      });
    };
  }
  // marked appends text to el with the query's words in <mark>.
  function marked(el, text, match) {
    var last = 0, m;
    TOKEN.lastIndex = 0;
    while ((m = TOKEN.exec(text))) {
      if (!match(m[0])) continue;
      el.appendChild(document.createTextNode(text.slice(last, m.index)));
      var mk = document.createElement('mark');
      mk.textContent = m[0];
      el.appendChild(mk);
      last = m.index + m[0].length;
    }
    el.appendChild(document.createTextNode(text.slice(last)));
  }
  // snippet cuts about 200 characters of the summary, the body or the
  // actors around the first of the query's words, the words marked; the
  // summary's start when only the title matched.
  function snippet(doc, match) {
    var el = document.createElement('span');
    el.className = 'r-snippet';
    var texts = [doc.s || '', doc.x || '', doc.a || ''], text = texts[0] || texts[1], at = -1;
    for (var k = 0; k < texts.length && at < 0; k++) {
      var m;
      TOKEN.lastIndex = 0;
      while ((m = TOKEN.exec(texts[k]))) {
        if (match(m[0])) { at = m.index; text = texts[k]; break; }
      }
    }
    var from = Math.max(0, at - 60), to = Math.min(text.length, Math.max(at, 0) + 160);
    if (from > 0) from = text.indexOf(' ', from) + 1 || from;
    if (to < text.length) to = text.lastIndexOf(' ', to) > from ? text.lastIndexOf(' ', to) : to;
    marked(el, (from > 0 ? '…' : '') + text.slice(from, to) + (to < text.length ? ' …' : ''), match);
    return el;
  }
  // item is one result: title, type and date, snippet.
  function item(doc, match) {
    var li = document.createElement('li');
    var a = document.createElement('a');
    a.href = doc.u;
    var t = document.createElement('span');
    t.className = 'r-title';
    marked(t, doc.t, match);
    var m = document.createElement('span');
    m.className = 'r-meta';
    m.textContent = doc.k + (doc.d ? ' · ' + doc.d : '');
    a.appendChild(t);
    a.appendChild(m);
    a.appendChild(snippet(doc, match));
    li.appendChild(a);
    return li;
  }
  function count(n) { return n === 0 ? 'No results' : n === 1 ? '1 result' : n + ' results'; }
  function wholeNote(res) {
    return res.whole.length ? ' (whole words only for “' + res.whole.join('”, “') + '”: type more letters to match longer words)' : '';
  }
  function resultsURL(q, page) {
    return pageURL + '?q=' + encodeURIComponent(q) + (page > 1 ? '&page=' + page : '');
  }

  // The box in the header.
  var seq = 0, timer = null;
  function show(open) { panel.hidden = !open; }
  function render() {
    var q = input.value, mine = ++seq;
    if (!terms(q).length) {
      list.textContent = '';
      more.hidden = true;
      status.textContent = '';
      show(false);
      return;
    }
    show(true);
    if (!list.children.length) status.textContent = 'Searching…';
    run(q).then(function (res) {
      var top = res.hits.slice(0, SHOW);
      return docs(res, top).then(function (ds) {
        if (mine !== seq) return; // a later query is under way
        var match = matcher(res.terms);
        list.textContent = '';
        ds.forEach(function (d) { if (d) list.appendChild(item(d, match)); });
        // The query these results answer: what was typed may have moved on.
        list.setAttribute('data-q', q);
        var n = res.hits.length;
        status.textContent = (n > SHOW ? n + ' results, the first ' + SHOW + ' shown' : count(n)) + wholeNote(res);
        more.hidden = n <= SHOW;
        var a = more.querySelector('a');
        a.href = resultsURL(q, 1);
        a.textContent = 'All ' + n + ' results';
      });
    }).catch(function () {
      if (mine === seq) status.textContent = 'The search index could not be loaded.';
    });
  }
  function links() {
    var ls = Array.prototype.slice.call(list.querySelectorAll('a'));
    if (!more.hidden) ls.push(more.querySelector('a'));
    return ls;
  }

  input.addEventListener('focus', function () { get(manifestURL, true).catch(function () {}); });
  input.addEventListener('input', function () {
    // Typing fetches for the word as it stands when the typing pauses,
    // not for every letter on the way.
    clearTimeout(timer);
    timer = setTimeout(render, 120);
  });
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
  panel.addEventListener('keydown', function (e) {
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
  // site.js loads this script when the box is first used ("/" is its
  // shortcut): catch up with what happened before it arrived.
  if (document.activeElement === input) get(manifestURL, true).catch(function () {});
  if (terms(input.value).length) render();

  // The results page: every match of ?q=, a page of them at a time.
  var page = document.getElementById('search-page');
  if (!page) return;
  var form = page.querySelector('form');
  var pageStatus = page.querySelector('.search-page-status');
  var pageList = page.querySelector('.search-page-results');
  var pager = page.querySelector('.search-pager');
  var params = new URLSearchParams(location.search);
  var q = params.get('q') || '', n = Math.max(1, parseInt(params.get('page'), 10) || 1);
  form.hidden = false;
  form.querySelector('input').value = q;
  if (!terms(q).length) return;
  pageStatus.textContent = 'Searching…';
  run(q).then(function (res) {
    var pages = Math.max(1, Math.ceil(res.hits.length / PER_PAGE));
    n = Math.min(n, pages);
    var shown = res.hits.slice((n - 1) * PER_PAGE, n * PER_PAGE);
    return docs(res, shown).then(function (ds) {
      var match = matcher(res.terms);
      pageList.start = (n - 1) * PER_PAGE + 1;
      ds.forEach(function (d) { if (d) pageList.appendChild(item(d, match)); });
      var total = res.hits.length;
      pageStatus.textContent = count(total) + ' for “' + q + '”' +
        (pages > 1 ? ', ' + pageList.start + '–' + (pageList.start + shown.length - 1) + ' shown' : '') + wholeNote(res);
      document.title = q + ' · ' + document.title;
      if (pages < 2) return;
      // Previous, the first and last pages, those near this one, next.
      function link(p, text, rel) {
        var a = document.createElement('a');
        a.href = resultsURL(q, p);
        a.textContent = text;
        if (rel) a.rel = rel;
        if (p === n && !rel) a.setAttribute('aria-current', 'page');
        pager.appendChild(a);
        pager.appendChild(document.createTextNode(' '));
      }
      if (n > 1) link(n - 1, 'Previous', 'prev');
      var last = 0;
      for (var p = 1; p <= pages; p++) {
        if (p !== 1 && p !== pages && Math.abs(p - n) > 2) continue;
        if (p > last + 1) pager.appendChild(document.createTextNode('… '));
        link(p, String(p));
        last = p;
      }
      if (n < pages) link(n + 1, 'Next', 'next');
      pager.hidden = false;
    });
  }).catch(function () {
    pageStatus.textContent = 'The search index could not be loaded.';
  });
})();
