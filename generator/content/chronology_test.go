package content

import (
	"slices"
	"strings"
	"testing"
)

var chronoOpts = Options{
	Types:  testTypes,
	Tracks: []string{"information-security", "cybercrime"},
	Roles:  []string{"sponsor", "co-sponsor", "opposed", "adopted-by"},
}

func parseChrono(t *testing.T, fm string) (*Page, []string) {
	t.Helper()
	src := "---\ntitle: T\ndate: 2019-12-27\ntype: resolution\n" + fm + "---\nBody.\n"
	p, errs := NewParser(chronoOpts).Parse("content/events/e.md", []byte(src))
	var msgs []string
	for _, e := range errs {
		msgs = append(msgs, e.Error())
	}
	return p, msgs
}

const twoSources = `sources:
  - title: Resolution
    url: https://undocs.org/A/RES/74/247
  - title: Press release
    url: https://press.un.org/en/2019/ga12235.doc.htm
`

// TestChronologyFields: track, actors with roles (and without), votes
// with the keys yes and no (plain text keys in YAML 1.2), and follows.
func TestChronologyFields(t *testing.T) {
	p, errs := parseChrono(t, `track: cybercrime
actor:
  - Russia: sponsor
  - China: co-sponsor
  - United States: opposed
  - Third Committee
votes:
  - body: "General Assembly plenary"
    yes: 79
    no: 60
    abstain: 33
    absent: 0
    source: 2
    note: "Tally as reported"
  - body: "Third Committee"
    adopted_without_vote: true
    source: 1
follows: [2019-11-draft, 2019-11-vote.md]
`+twoSources)
	if len(errs) > 0 {
		t.Fatal(strings.Join(errs, "\n"))
	}
	if p.Track != "cybercrime" {
		t.Errorf("track %q", p.Track)
	}
	if got := strings.Join(p.Actors, ","); got != "Russia,China,United States,Third Committee" {
		t.Errorf("actors %q", got)
	}
	if got := strings.Join(p.Roles, ","); got != "sponsor,co-sponsor,opposed," {
		t.Errorf("roles %q", got)
	}
	if got := p.ActorPos; len(got) != 4 || got[0] != (Pos{Line: 7, Col: 5}) || got[3].Line != 10 {
		t.Errorf("actor positions %v; want lines 7..10, column 5", got)
	}
	want := []Vote{
		{Body: "General Assembly plenary", Yes: 79, No: 60, Abstain: 33, HasAbsent: true, Source: 2, Note: "Tally as reported"},
		{Body: "Third Committee", AdoptedWithoutVote: true, Source: 1},
	}
	if len(p.Votes) != 2 || p.Votes[0] != want[0] || p.Votes[1] != want[1] {
		t.Errorf("votes %+v\nwant %+v", p.Votes, want)
	}
	if got := strings.Join(p.Follows, ","); got != "2019-11-draft,2019-11-vote" {
		t.Errorf("follows %q", got)
	}
}

// TestActorForms: a single name and a flow list still work, with no roles.
func TestActorForms(t *testing.T) {
	for _, fm := range []string{"actor: Russia\n", "actor: [Russia, China]\n", "actor: [Russia: sponsor, China]\n"} {
		p, errs := parseChrono(t, "track: cybercrime\n"+fm)
		if len(errs) > 0 {
			t.Errorf("%s: %v", fm, errs)
			continue
		}
		if p.Actors[0] != "Russia" || len(p.Roles) != len(p.Actors) || p.ActorPos[0] != (Pos{Line: 6, Col: 8}) {
			t.Errorf("%s: actors %q roles %q positions %v", fm, p.Actors, p.Roles, p.ActorPos)
		}
	}
}

// TestChronologyErrors: every problem is located at the line it is on,
// all in one run.
func TestChronologyErrors(t *testing.T) {
	_, errs := parseChrono(t, `track: cybercrim
actor:
  - Russia: sponser
  - China: [a]
  - 12
votes:
  - body: "Plenary"
    yes: 79.5
    no: -3
    abstain: "33"
    source: 3
  - body: "Committee"
    adopted_without_vote: true
    yes: 1
    source: 1
  - yes: 1
    no: 2
    abstain: 3
    sorce: 1
follows: ["a/x"]
`+twoSources)
	want := []string{
		`e.md:5:8: unknown track "cybercrim"; did you mean "cybercrime"?`,
		`e.md:7:5: unknown role "sponser"; did you mean "sponsor"?`,
		`e.md:8:5: the role of "China" must be one of`,
		`e.md:9:5: each actor must be a name (text) or "Name: role", got the number 12`,
		`e.md:12:5: vote 1: yes must be a whole number, 0 or more; got the number 79.5`,
		`e.md:13:5: vote 1: no is -3: expected a whole number, 0 or more`,
		`e.md:14:5: vote 1: abstain must be a whole number, 0 or more, or unknown when no source gives it; got text "33"`,
		`e.md:15:5: vote 1: source 3 is not one of this event's sources: expected a number from 1 to 2`,
		`e.md:18:5: vote 2: yes: a text adopted without a vote has no tally`,
		`e.md:20:5: vote 3: body is missing`,
		`e.md:20:5: vote 3: source is missing`,
		`e.md:23:5: vote 3: unknown field "sorce"; did you mean "source"?`,
		`e.md:24:10: follows: slug "a/x" may hold only`,
	}
	for _, w := range want {
		found := false
		for _, e := range errs {
			if strings.Contains(e, w) {
				found = true
			}
		}
		if !found {
			t.Errorf("no error %q in:\n%s", w, strings.Join(errs, "\n"))
		}
	}
	if len(errs) != len(want) {
		t.Errorf("got %d errors, want %d:\n%s", len(errs), len(want), strings.Join(errs, "\n"))
	}
}

// TestTrackRequired: with tracks declared every event names one; with none
// declared, a track is refused.
func TestTrackRequired(t *testing.T) {
	_, errs := parseChrono(t, "actor: Russia\n")
	if len(errs) != 1 || !strings.Contains(errs[0], `missing required field "track"`) {
		t.Errorf("got %q", errs)
	}
	src := "---\ntitle: T\ndate: 2019\ntype: report\nactor: X\ntrack: cybercrime\n---\n"
	_, el := NewParser(Options{Types: testTypes}).Parse("content/events/e.md", []byte(src))
	if len(el) != 1 || !strings.Contains(el[0].Msg, "declares no tracks") || el[0].Line != 6 {
		t.Errorf("got %v", el)
	}
}

// TestQuotedYesNo: quoted keys "yes" and "no" read as the bare ones do.
func TestQuotedYesNo(t *testing.T) {
	p, errs := parseChrono(t, "track: cybercrime\nactor: X\nvotes:\n  - {body: B, \"yes\": 5, 'no': 4, abstain: 0, source: 1}\n"+twoSources)
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	if v := p.Votes[0]; v.Yes != 5 || v.No != 4 || v.Abstain != 0 {
		t.Errorf("vote %+v", v)
	}
}

// TestUnknownCount: a count no source gives is written unknown (plain or
// quoted, which YAML reads alike), one or two of yes, no and abstain.
func TestUnknownCount(t *testing.T) {
	p, errs := parseChrono(t, `track: information-security
actor: X
votes:
  - body: First Committee
    yes: 139
    no: 11
    abstain: unknown
    source: 1
  - {body: First Committee, "yes": 124, 'no': 6, abstain: "unknown", absent: 2, source: 2}
  - body: Plenary
    yes: unknown
    no: 'unknown'
    abstain: 0
    source: 1
`+twoSources)
	if len(errs) > 0 {
		t.Fatal(strings.Join(errs, "\n"))
	}
	want := []Vote{
		{Body: "First Committee", Yes: 139, No: 11, AbstainUnknown: true, Source: 1},
		{Body: "First Committee", Yes: 124, No: 6, AbstainUnknown: true, Absent: 2, HasAbsent: true, Source: 2},
		{Body: "Plenary", YesUnknown: true, NoUnknown: true, Source: 1},
	}
	if len(p.Votes) != len(want) {
		t.Fatalf("votes %+v", p.Votes)
	}
	for i := range want {
		if p.Votes[i] != want[i] {
			t.Errorf("vote %d: %+v\nwant %+v", i+1, p.Votes[i], want[i])
		}
		if p.Votes[i].Complete() {
			t.Errorf("vote %d: Complete() with a count unknown", i+1)
		}
	}
	if !(Vote{Yes: 1}).Complete() {
		t.Error("a vote with every count given is not Complete()")
	}
}

// TestUnknownCountErrors: every other way of saying "not known" is refused
// at its line, saying what to write; so are a tally with no count known, a
// missing count (the message names the new option) and an unknown absent.
func TestUnknownCountErrors(t *testing.T) {
	_, errs := parseChrono(t, `track: information-security
actor: X
votes:
  - body: A
    yes: unknown
    no: unknown
    abstain: unknown
    source: 1
  - body: B
    yes: 1
    no: Unknown
    abstain: "unknown "
    source: 1
  - body: C
    yes: null
    no: ~
    abstain:
    source: 1
  - body: D
    yes: UNKNOWN
    no: unkown
    abstain: "?"
    source: 1
  - body: E
    yes: 1
    no: 2
    absent: unknown
    source: 1
  - body: F
    yes: 1
    no: 2
    abstain: 3
    absent: ~
    source: 1
  - body: G
    yes: [unknown]
    no: true
    abstain: 0
    source: 1
`+twoSources)
	want := []string{
		`e.md:9:5: vote 1: yes, no and abstain are all unknown: give the counts a source gives (at least one)`,
		`e.md:15:5: vote 2: no must be a whole number, 0 or more, or unknown when no source gives it; got text "Unknown"; write unknown, in lower case and without spaces`,
		`e.md:16:5: vote 2: abstain must be a whole number, 0 or more, or unknown when no source gives it; got text "unknown "; write unknown, in lower case and without spaces`,
		`e.md:19:5: vote 3: yes has no value: expected a whole number, 0 or more, or unknown when no source gives it`,
		`e.md:20:5: vote 3: no has no value`,
		`e.md:21:5: vote 3: abstain has no value`,
		`e.md:24:5: vote 4: yes must be a whole number, 0 or more, or unknown when no source gives it; got text "UNKNOWN"; write unknown`,
		`e.md:25:5: vote 4: no must be a whole number, 0 or more, or unknown when no source gives it; got text "unkown"; write unknown`,
		`e.md:26:5: vote 4: abstain must be a whole number, 0 or more, or unknown when no source gives it; got text "?"`,
		`e.md:28:5: vote 5: abstain is missing: a recorded vote gives yes, no and abstain, each a whole number or unknown when no source gives it, e.g. abstain: unknown`,
		`e.md:31:5: vote 5: absent is optional: leave it out when no source gives it`,
		`e.md:37:5: vote 6: absent has no value`,
		`e.md:40:5: vote 7: yes must be a whole number, 0 or more; got a list`,
		`e.md:41:5: vote 7: no must be a whole number, 0 or more; got true (a true/false value)`,
	}
	for _, w := range want {
		if !slices.ContainsFunc(errs, func(e string) bool { return strings.Contains(e, w) }) {
			t.Errorf("no error %q in:\n%s", w, strings.Join(errs, "\n"))
		}
	}
	if len(errs) != len(want) {
		t.Errorf("got %d errors, want %d:\n%s", len(errs), len(want), strings.Join(errs, "\n"))
	}
	if strings.Contains(strings.Join(errs, "\n"), `"?"; write unknown`) {
		t.Error(`"?" is not near enough to unknown to be told to write it`)
	}
}
