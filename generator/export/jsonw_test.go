package export

import (
	"bytes"
	"encoding/json"
	"path/filepath"
	"testing"
	"time"

	"github.com/unictimeline/sitegen/generator/internal/corpus"
	"github.com/unictimeline/sitegen/generator/internal/sitetest"
	"github.com/unictimeline/sitegen/generator/internal/testtool"
)

// sameAsEncodingJSON fails unless the hand-written encoding of te is the
// bytes encoding/json writes for it.
func sameAsEncodingJSON(t *testing.T, what string, te timelineEvent) {
	t.Helper()
	want, err := marshalJSONEntry(te)
	if err != nil {
		t.Fatal(err)
	}
	if got := te.appendJSON(nil); !bytes.Equal(got, want) {
		t.Errorf("%s: appendJSON gives\n%s\nencoding/json gives\n%s", what, got, want)
	}
}

// FuzzAppendJSONString: any string, valid UTF-8 or not, is written as
// encoding/json writes it with HTML escaping off.
func FuzzAppendJSONString(f *testing.F) {
	for _, s := range []string{"", "plain", "\"\\", "\x00\x1f\x7f", "\b\f\n\r\t", "<a href=\"x\">&amp;</a>", "\u2028\u2029", "\xff", "\xe2\x80", "é🙂"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		var buf bytes.Buffer
		enc := json.NewEncoder(&buf)
		enc.SetEscapeHTML(false)
		if err := enc.Encode(s); err != nil {
			t.Fatal(err)
		}
		want := bytes.TrimSuffix(buf.Bytes(), []byte("\n"))
		if got := appendJSONString(nil, s); !bytes.Equal(got, want) {
			t.Errorf("%q: got %s, want %s", s, got, want)
		}
	})
}

// TestTimelineEntryJSON: timeline.json's events are written by hand for
// speed (see jsonWriter); every event of the real site and of a synthetic
// corpus, and events made of hostile strings, come out as encoding/json
// writes them.
func TestTimelineEntryJSON(t *testing.T) {
	for _, dir := range []string{testtool.RepoRoot(t), filepath.Join(t.TempDir(), "corpus")} {
		if dir != testtool.RepoRoot(t) {
			if err := corpus.Write(dir, corpus.Options{Events: 300, Seed: 7, Repo: testtool.RepoRoot(t)}); err != nil {
				t.Fatal(err)
			}
		}
		s := sitetest.AssembleDir(t, dir, "https://user.example.org/repo/")
		f := newFeeder(s, EventPages(s), time.Time{})
		for i, e := range s.Events {
			sameAsEncodingJSON(t, e.Meta.Path, f.timelineEvent(i))
		}
	}
	n0 := 0
	nasty := "\"\\/<>&'\x00\x01\b\f\n\r\t\x1f\x7f é 🙂 \u2028\u2029 \xff\xfe end"
	sameAsEncodingJSON(t, "hostile", timelineEvent{
		ID: nasty, URL: nasty, Title: nasty, Summary: nasty, Date: "2011", DatePrecision: "year",
		End: nasty, EndPrecision: nasty, DateDisplay: nasty, Type: nasty,
		Track: nasty, Actors: []string{nasty, ""}, Documents: []string{},
		Roles:   map[string]string{nasty: nasty, "": "", "b": "x", "a": "y"},
		Sources: []timelineSource{{Title: nasty, URL: nasty}, {Title: "", URL: "", Publisher: nasty, Date: nasty}},
		Votes: []timelineVote{
			{Body: nasty, Yes: &voteCount{n: 79}, No: &voteCount{}, Abstain: &voteCount{n: 33}, Absent: &n0, Source: 2, Note: nasty},
			{Body: "", AdoptedWithoutVote: true, Source: 0},
			{Body: "partly known", Yes: &voteCount{n: 139}, No: &voteCount{n: 11}, Abstain: &voteCount{unknown: true}, Source: 1},
			{Body: "two unknown", Yes: &voteCount{unknown: true}, No: &voteCount{n: 6}, Abstain: &voteCount{unknown: true}, Absent: &n0, Source: 1},
		},
		Follows: []string{nasty}, LedTo: []string{"a", "b"},
		BodyHTML: nasty,
	})
	sameAsEncodingJSON(t, "empty", timelineEvent{Actors: []string{}, Roles: map[string]string{}, Documents: []string{}, Sources: []timelineSource{}, Votes: []timelineVote{}, Follows: []string{}, LedTo: []string{}})
}
