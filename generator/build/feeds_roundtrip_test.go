package build

import (
	"bytes"
	"encoding/json"
	"html"
	"strings"
	"testing"

	ics "github.com/arran4/golang-ical"
	"github.com/mmcdole/gofeed"
	"github.com/unictimeline/sitegen/generator/export"
	"golang.org/x/tools/txtar"
)

// roundTripSite has text that every feed format must escape its own way:
// markup, quotes, iCalendar's comma, semicolon and backslash, a CDATA end
// (raw in the title and summary; goldmark already escapes the body's), and
// characters outside ASCII and beyond the BMP.
const roundTripSite = `
-- content/events/x.md --
---
title: "Tom & Jerry's <b>\"draft\"</b>; a, b \\ c — Résumé ]]> 🗓"
date: 2019-12
actor: ["Müller & Co"]
type: resolution
track: cybercrime
summary: "Line one, with ; and \\ and <i>tags</i> ]]> end."
---
Body with a CDATA end ]]> and **bold** [link](/timeline/#y2019).
`

// TestFeedsRoundTripText: what an author wrote comes back unchanged from
// each format's own reader, however the format escapes it.
func TestFeedsRoundTripText(t *testing.T) {
	res := buildFixture(t, fixtureFS(t, txtar.Parse([]byte(roundTripSite))), Options{BaseURL: feedBase})
	if len(res.Errors) > 0 {
		t.Fatalf("errors: %v", res.Errors)
	}
	e := res.Site.Events[0]
	for _, f := range []string{export.AtomFile, export.JSONFeedFile} {
		feed, err := gofeed.NewParser().Parse(bytes.NewReader(res.Output.File(f)))
		if err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		it := feed.Items[0]
		if it.Title != e.Title || it.Description != e.Summary {
			t.Errorf("%s: title %q, summary %q; want %q, %q", f, it.Title, it.Description, e.Title, e.Summary)
		}
		if !strings.Contains(it.Content, "CDATA end ]]&gt; and <strong>bold</strong>") || !strings.Contains(it.Content, `href="`+feedBase+`timeline/#y2019"`) {
			t.Errorf("%s: body %q lost its text or its absolute link", f, it.Content)
		}
		if it.Categories[len(it.Categories)-1] != "Müller & Co" {
			t.Errorf("%s: actor category %q", f, it.Categories)
		}
	}
	cal, err := ics.ParseCalendar(bytes.NewReader(res.Output.File(export.ICalFile)))
	if err != nil {
		t.Fatal(err)
	}
	ev := cal.Events()[0]
	if got := ev.GetProperty(ics.ComponentPropertySummary).Value; got != e.Title {
		t.Errorf("calendar SUMMARY %q, want %q", got, e.Title)
	}
	if desc := ev.GetProperty(ics.ComponentPropertyDescription).Value; !strings.Contains(desc, "\n\n"+e.Summary+"\n\n") || !strings.Contains(desc, "only to the month") {
		t.Errorf("calendar DESCRIPTION %q", desc)
	}
	checkICalLines(t, res.Output.File(export.ICalFile))

	var tl struct {
		Events []struct {
			Text struct{ Headline, Text string }
		}
	}
	if err := json.Unmarshal(res.Output.File(export.TimelineJSFile), &tl); err != nil {
		t.Fatal(err)
	}
	// TimelineJS inserts the headline as HTML: escaped, it shows the text.
	if h := tl.Events[0].Text.Headline; html.UnescapeString(h) != e.Title || strings.Contains(h, "<b>") {
		t.Errorf("TimelineJS headline %q", h)
	}
}
