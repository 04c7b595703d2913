// Scripts every page loads. Search, which was all of this file, is in
// search.js, loaded by templates/partials/header.html with the box.
