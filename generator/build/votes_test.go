package build

import (
	"regexp"
	"strings"
	"testing"

	"golang.org/x/tools/txtar"
)

// TestVoteUnknownCountPages: a vote whose abstentions no source gives
// says so where the number would be, on the event page's fact box, on the
// event's card in lists and in its track's table of votes, and draws no
// bar there (shares of an unknown total would mislead), while the
// complete tally beside it keeps its bar.
func TestVoteUnknownCountPages(t *testing.T) {
	res := buildFixture(t, fixtureFS(t, txtar.Parse([]byte(chronologySite))), Options{BaseURL: feedBase})
	if len(res.Errors) > 0 {
		t.Fatal(res.Errors)
	}
	page := func(p string) string { return string(res.Output.File(strings.TrimPrefix(p, "/") + "index.html")) }
	var eventPath string
	for _, e := range res.Site.Events {
		if e.Meta.Slug == "partial" {
			eventPath = e.Path
		}
	}
	figure := regexp.MustCompile(`(?s)<figure class="vote">.*?</figure>`)
	numbers := `<span class="visually-hidden">Recorded vote: </span><span class="vote-n vote-yes"><strong>139</strong> yes</span> <span class="vote-n vote-no"><strong>11</strong> no</span> <span class="vote-n vote-abstain vote-unknown">abstain not known</span></p>`
	checkFigures := func(where, html string, want int) {
		t.Helper()
		var found int
		for _, f := range figure.FindAllString(html, -1) {
			if !strings.Contains(f, `<figcaption class="vote-body">Third Committee</figcaption>`) {
				continue
			}
			found++
			if !strings.Contains(f, numbers) || strings.Contains(f, "vote-bar") {
				t.Errorf("%s: the vote figure should give 139 yes, 11 no, abstain not known and no bar:\n%s", where, f)
			}
		}
		if found != want {
			t.Errorf("%s: %d figures of the partial vote, want %d", where, found, want)
		}
	}
	ev := page(eventPath)
	checkFigures("event page", ev, 1)
	if !strings.Contains(ev, "The agency gives no abstentions.") {
		t.Error("event page: the vote's note is missing")
	}
	track := page("/tracks/cybercrime/")
	checkFigures("track page cards", track, 1)
	rows := regexp.MustCompile(`(?s)<tr>.*?</tr>`).FindAllString(track, -1)
	var partial, complete string
	for _, r := range rows {
		switch {
		case strings.Contains(r, "The committee"):
			partial = r
		case strings.Contains(r, "General Assembly plenary"):
			complete = r
		}
	}
	if !strings.Contains(partial, `<td class="num">139</td><td class="num">11</td><td class="num"><span class="vote-unknown">not known</span></td>`) || strings.Contains(partial, "<svg") {
		t.Errorf("track table: the partial vote's row should say not known and have no bar:\n%s", partial)
	}
	if !strings.Contains(complete, `<rect class="vote-abstain"`) || !strings.Contains(complete, `<td class="num">33</td>`) {
		t.Errorf("track table: the complete vote's row lost its bar or numbers:\n%s", complete)
	}
}
