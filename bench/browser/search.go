package main

import (
	"context"
	"fmt"
	"strings"

	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/chromedp"
)

// searchBytes opens page in a fresh browser, enters query into the search
// box at once, as a paste does (typed letter by letter, the box may also
// fetch the shards of the prefixes typed so far, more of them the slower
// the machine: "indonesia" took 166 KB pasted and 296 KB typed on a busy
// machine; the figure should not depend on the load), waits for the
// box's results for the whole query, and adds up
// what the browser fetched for search: every resource under /search/ and
// the search script and index files (search.js, search.json), as the
// browser test TestSearchAtScale counts them. transferSize is what came
// over the wire, headers included; the static server here compresses
// nothing, as GitHub Pages would for JSON, so it is the uncompressed size.
// It returns the total and a list of the files.
func (b *bench) searchBytes(page, query string) (float64, string, error) {
	var files []struct {
		Name string
		Size float64
	}
	err := b.fresh(func(ctx context.Context) error {
		return chromedp.Run(ctx,
			chromedp.Navigate(b.origin+page),
			chromedp.Focus("#search-input", chromedp.ByQuery),
			input.InsertText(query),
			chromedp.WaitVisible(fmt.Sprintf(".search-results[data-q=%q] a", query), chromedp.ByQuery),
			chromedp.Evaluate(`performance.getEntriesByType('resource').filter(r => /\/search\/|search\.js/.test(r.name)).map(r => ({Name: r.name, Size: r.transferSize}))`, &files))
	})
	if err != nil {
		return 0, "", err
	}
	total := 0.0
	var names []string
	for _, f := range files {
		total += f.Size
		names = append(names, fmt.Sprintf("%s %.0f", strings.TrimPrefix(f.Name, b.origin), f.Size))
	}
	return total, fmt.Sprintf("%d files: %s", len(files), strings.Join(names, ", ")), nil
}
