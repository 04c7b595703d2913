// Timeline filters: by track, by type, by actor and by words in titles and
// summaries.
// The page lists every event without this script; the script shows the
// filter form, hides what does not match, and keeps the choice in the
// query string (?track=…&type=…&actor=…&q=…) so a filtered view can be shared,
// bookmarked and reloaded. The #fragment stays free for event anchors.
(function () {
  'use strict';
  var form = document.getElementById('filters');
  if (!form || !window.URLSearchParams || !history.replaceState) return;
  var type = form.elements.type, actor = form.elements.actor, q = form.elements.q;
  // The track filter is there when site.yaml declares tracks.
  var track = form.elements.track || { value: '', addEventListener: function () {} };
  var count = document.getElementById('f-count');
  var empty = document.getElementById('f-empty');
  var clear = document.getElementById('f-clear');
  var years = Array.prototype.slice.call(document.querySelectorAll('.timeline-list .year'));
  function norm(s) {
    return (s || '').toLowerCase().normalize('NFD').replace(/[\u0300-\u036f]/g, '');
  }
  function text(el, sel) {
    var x = el.querySelector(sel);
    return x ? x.textContent : '';
  }
  var items = Array.prototype.slice.call(document.querySelectorAll('.timeline-list .event')).map(function (el) {
    return {
      el: el,
      type: el.getAttribute('data-type'),
      track: el.getAttribute('data-track'),
      actors: ' ' + el.getAttribute('data-actors') + ' ',
      text: norm(text(el, '.event-title') + ' ' + text(el, '.event-summary')).replace(/\s+/g, ' '),
      mark: document.querySelector('.ov-mark[href="#' + el.id + '"]')
    };
  });
  form.hidden = false;

  function choose(select, value) {
    select.value = value || '';
    if (select.value !== (value || '')) select.value = ''; // unknown value in the URL
  }
  function fromURL() {
    var p = new URLSearchParams(location.search);
    if (form.elements.track) choose(track, p.get('track'));
    choose(type, p.get('type'));
    choose(actor, p.get('actor'));
    q.value = p.get('q') || '';
  }
  function toURL() {
    var p = new URLSearchParams();
    if (track.value) p.set('track', track.value);
    if (type.value) p.set('type', type.value);
    if (actor.value) p.set('actor', actor.value);
    if (q.value.trim()) p.set('q', q.value.trim());
    var s = p.toString();
    history.replaceState(history.state, '', location.pathname + (s ? '?' + s : '') + location.hash);
  }
  function apply() {
    var t = type.value, a = actor.value, k = track.value;
    var words = norm(q.value).split(/\s+/).filter(Boolean);
    var n = 0;
    items.forEach(function (it) {
      var ok = (!k || it.track === k) && (!t || it.type === t) &&
        (!a || it.actors.indexOf(' ' + a + ' ') >= 0) &&
        words.every(function (w) { return it.text.indexOf(w) >= 0; });
      it.el.hidden = !ok;
      if (it.mark) it.mark.classList.toggle('off', !ok);
      if (ok) n++;
    });
    years.forEach(function (sec) {
      var none = !sec.querySelector('.event:not([hidden])');
      sec.hidden = none;
      var li = document.querySelector('.year-index li[data-year="' + sec.id + '"]');
      if (li) li.hidden = none;
    });
    var filtered = k || t || a || words.length;
    count.textContent = filtered ? n + ' of ' + items.length + ' events match' : items.length + ' events';
    empty.hidden = n > 0;
    clear.disabled = !filtered;
  }
  function changed() {
    apply();
    toURL();
  }
  // A link to /timeline/#slug must land on that event even when the
  // current filters hide it: then the filters give way.
  function reveal() {
    var id = decodeURIComponent(location.hash.slice(1));
    var el = id && document.getElementById(id);
    if (!el || !el.classList.contains('event')) return;
    if (el.hidden) {
      track.value = type.value = actor.value = q.value = '';
      changed();
    }
    items.forEach(function (it) { it.el.classList.remove('is-target'); });
    el.classList.add('is-target');
    el.setAttribute('tabindex', '-1');
    el.scrollIntoView();
    el.focus({ preventScroll: true });
  }

  track.addEventListener('change', changed);
  type.addEventListener('change', changed);
  actor.addEventListener('change', changed);
  q.addEventListener('input', changed);
  form.addEventListener('submit', function (e) { e.preventDefault(); });
  clear.addEventListener('click', function () {
    track.value = type.value = actor.value = q.value = '';
    changed();
    (form.elements.track || type).focus(); // the button just became disabled; keep focus in the form
  });
  window.addEventListener('hashchange', reveal);
  window.addEventListener('popstate', function () { fromURL(); apply(); });
  fromURL();
  apply();
  reveal();
})();
