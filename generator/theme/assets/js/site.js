// Scripts every page loads: they must stay small, since every page pays
// for them. Search (search.js, with its index) is loaded only when a reader
// starts to use the box, or on the results page: a page that is read and
// not searched downloads none of it.
(function () {
  'use strict';
  var box = document.querySelector('.search');
  if (!box || !window.fetch || !window.URLSearchParams || !window.TextDecoder) return;
  var input = box.querySelector('input');
  var loaded = false;
  function load() {
    if (loaded) return;
    loaded = true;
    var s = document.createElement('script');
    s.src = box.getAttribute('data-script');
    document.head.appendChild(s);
  }
  box.hidden = false;
  input.addEventListener('focus', load);
  input.addEventListener('input', load);
  if (document.getElementById('search-page')) load();
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
