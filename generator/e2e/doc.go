// Package e2e tests the real site as readers get it: the content of this
// repository (with votes, roles and follows filled in on one thread where
// the content lacks them: see chronologyOverlay) is built in memory with
// build.Builder, served by httptest under
// a /repo/ base path (as on GitHub Pages), and driven in headless Chromium
// through chromedp. Its tests check that every page type loads cleanly, the
// timeline's filters and the site search work (also by keyboard alone), the
// vote figures, the track filter and the order of a thread are right, no
// page scrolls sideways on a phone or a laptop in light or dark mode, axe-core
// finds no serious accessibility violation, the Nu HTML checker finds no
// error, and the timeline page stays within its weight budget.
//
// The package has no code of its own: everything is in its tests.
package e2e
