// The overview chart (partials/overview.html): one tab stop with arrow
// keys inside, the name line, tap to name and tap again to follow, collapsed
// on phones, and the scroll cue. See README, "Reading the timeline".
(function () {
  'use strict';
  var box = document.getElementById('overview'), name = document.getElementById('ov-name');
  if (!box || !name) return;
  var sc = document.getElementById('ov-scroll'), hint = document.getElementById('ov-hint');
  var marks = [].slice.call(sc.querySelectorAll('svg a')), cur = marks[0], armed = null, touch = false;
  var KEY = 'overview-open', stored = null;
  try { stored = localStorage.getItem(KEY); } catch (e) { /* storage off */ }
  if (stored === '0' || (stored === null && matchMedia('(max-width: 48rem)').matches)) box.open = false;
  box.querySelector('summary').addEventListener('click', function () {
    try { localStorage.setItem(KEY, box.open ? '0' : '1'); } catch (e) { /* storage off */ }
  });

  function current(m) {
    cur.setAttribute('tabindex', '-1');
    m.setAttribute('tabindex', '0');
    cur = m;
  }
  marks.forEach(function (m) { m.setAttribute('tabindex', m === cur ? '0' : '-1'); });
  function show(m, tail) {
    name.textContent = m.getAttribute('aria-label') + (tail ? ' · ' + tail : '');
  }
  function disarm() {
    if (armed) armed.classList.remove('armed');
    armed = null;
  }
  sc.addEventListener('focusin', function (e) {
    var m = e.target.closest('a');
    if (!m) return;
    current(m);
    if (m !== armed) show(m, 'Enter opens it');
  });
  function clear() {
    if (!sc.contains(document.activeElement)) { name.textContent = ''; disarm(); }
  }
  sc.addEventListener('focusout', function () { setTimeout(clear); });
  sc.addEventListener('mouseleave', clear);
  sc.addEventListener('mouseover', function (e) {
    var m = e.target.closest('a');
    if (m && !armed) show(m);
  });
  sc.addEventListener('keydown', function (e) {
    var on = marks.filter(function (m) { return m === cur || !m.classList.contains('off'); });
    var i = on.indexOf(cur), k = e.key;
    var j = k === 'ArrowRight' ? i + 1 : k === 'ArrowLeft' ? i - 1 : k === 'Home' ? 0 : k === 'End' ? on.length - 1 : -2;
    if (j === -2 || e.altKey || e.ctrlKey || e.metaKey) return;
    e.preventDefault();
    disarm();
    on[Math.max(0, Math.min(j, on.length - 1))].focus();
  });
  sc.addEventListener('pointerdown', function (e) { touch = e.pointerType === 'touch'; });
  // A mark leads to its event's part of the timeline: the reader's
  // filters (the query) go along, and within the same part only the
  // fragment changes, so the page is not loaded again.
  function follow(e, m) {
    if (!location.search || e.defaultPrevented || e.ctrlKey || e.metaKey || e.shiftKey) return;
    var u = new URL(m.getAttribute('href'), location.href);
    e.preventDefault();
    if (u.pathname === location.pathname) location.hash = u.hash;
    else location.href = u.pathname + location.search + u.hash;
  }
  sc.addEventListener('click', function (e) {
    var m = e.target.closest('a');
    if (m && (!touch || m === armed)) return follow(e, m);
    if (!m) return;
    e.preventDefault();
    disarm();
    armed = m;
    m.classList.add('armed');
    m.focus();
    show(m, 'tap again to open');
  });

  function cue() {
    var x = sc.scrollLeft, most = sc.scrollWidth - sc.clientWidth;
    sc.classList.toggle('more-left', x > 2);
    sc.classList.toggle('more-right', x < most - 2);
    if (x > 2 || (most <= 2 && box.open)) hint.hidden = true;
  }
  sc.addEventListener('scroll', cue, { passive: true });
  addEventListener('resize', cue);
  box.addEventListener('toggle', cue);
  cue();
})();
