// The overview's marks: the name of the mark under the pointer, the
// keyboard focus or a finger shows below the chart (a mark's own label is
// for screen readers; a native tooltip shows on hover only).
(function () {
  'use strict';
  var name = document.getElementById('ov-name');
  if (!name) return;
  function show(e) {
    var m = e.target.closest && e.target.closest('.ov-mark');
    if (m) name.textContent = m.getAttribute('aria-label');
  }
  ['mouseover', 'focusin', 'touchstart'].forEach(function (t) {
    document.addEventListener(t, show, { passive: true });
  });
})();
