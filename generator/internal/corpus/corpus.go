// Package corpus writes synthetic site projects for benchmarks and load
// tests: N events with realistic front matter and 2–4 KB Markdown bodies,
// a few doc pages, and the repository's own templates/, assets/ and
// site.yaml, so the synthetic site is built exactly as the real one is.
//
// Output is deterministic for a seed: the same Options give the same bytes,
// so benchmark runs compare like with like. Every event links only to
// events that exist, and every type comes from site.yaml, so the project
// builds without errors.
package corpus

import (
	"errors"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"

	"github.com/unictimeline/sitegen/generator/config"
	"github.com/unictimeline/sitegen/generator/content"
	"github.com/unictimeline/sitegen/generator/project"
)

// Options say what to write.
type Options struct {
	// Events is the number of event files.
	Events int
	// Docs is the number of doc pages under content/docs (5 when 0).
	Docs int
	// Seed makes the output reproducible.
	Seed uint64
	// Repo is the repository whose templates/, assets/ and site.yaml are
	// copied.
	Repo string
}

// Write creates a project in dir (which must be empty or not exist).
func Write(dir string, opts Options) error {
	if opts.Docs == 0 {
		opts.Docs = 5
	}
	if entries, err := os.ReadDir(dir); err == nil && len(entries) > 0 {
		return fmt.Errorf("corpus: %s is not empty", dir)
	}
	// The repository's config and its own templates and assets: those
	// it does not override come from the built-in theme.
	for _, in := range []string{project.TemplatesDir, project.AssetsDir, project.ConfigFile} {
		from := filepath.Join(opts.Repo, in)
		if _, err := os.Stat(from); errors.Is(err, fs.ErrNotExist) && in != project.ConfigFile {
			continue
		}
		if err := copyTree(from, filepath.Join(dir, in)); err != nil {
			return fmt.Errorf("corpus: copying %s: %w", in, err)
		}
	}
	cfgSrc, err := os.ReadFile(filepath.Join(dir, project.ConfigFile))
	if err != nil {
		return err
	}
	cfg, errs := config.Parse(cfgSrc, "")
	if len(errs) > 0 {
		return fmt.Errorf("corpus: the repository's site.yaml: %w", errs.Err())
	}
	g := &gen{vocab: newVocab(), r: rand.New(rand.NewPCG(opts.Seed, opts.Seed^0x5eed)), types: cfg.TypeKeys(), tracks: cfg.TrackKeys()}
	g.actors = g.makeActors(40)
	files := map[string]string{}
	files["content/_index.md"] = g.home(opts.Events)
	// Every actor an event names has a page, as the build requires.
	for _, a := range g.actors {
		files["content/actors/"+content.Slugify(a)+".md"] = fmt.Sprintf("---\ntitle: %q\n---\n%s, as the synthetic events name it.\n", a, a)
	}
	names := make([]string, opts.Events)
	for i := range names {
		names[i] = g.eventName(i)
	}
	for i, name := range names {
		files["content/events/"+name+".md"] = g.event(i, names)
	}
	for i := 0; i < opts.Docs; i++ {
		name, src := g.doc(i, names)
		files["content/docs/"+name+".md"] = src
	}
	for rel, src := range files {
		p := filepath.Join(dir, filepath.FromSlash(rel))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(p, []byte(src), 0o644); err != nil {
			return err
		}
	}
	return nil
}

// EventPath returns the project-relative path of event i as Write names it,
// for benchmarks that edit one.
func EventPath(dir string, i int) (string, error) {
	matches, err := filepath.Glob(filepath.Join(dir, "content", "events", fmt.Sprintf("*-%05d-*.md", i)))
	if err != nil || len(matches) != 1 {
		return "", errors.Join(err, fmt.Errorf("corpus: no event %d in %s", i, dir))
	}
	return matches[0], nil
}

// copyTree copies a file or folder, skipping editor noise.
func copyTree(from, to string) error {
	return filepath.WalkDir(from, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(from, p)
		if rel != "." && project.IgnoredPath(filepath.ToSlash(rel)) {
			if d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		dst := filepath.Join(to, rel)
		if d.IsDir() {
			return os.MkdirAll(dst, 0o755)
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(dst, b, 0o644)
	})
}

// gen holds the random source and vocabularies of one Write.
type gen struct {
	vocab
	r      *rand.Rand
	types  []string
	tracks []string // the site's tracks; events take them in turn
	actors []string
}

// vocab is the word lists events are made of. It is built per Write (see
// newVocab): no package-level mutable state.
type vocab struct {
	places, bodies, topics, verbs, objects, words, headings []string
}

func newVocab() vocab {
	return vocab{
		places: []string{"Argentina", "Brazil", "Canada", "Chile", "Egypt", "Estonia", "Finland", "Ghana", "India",
			"Indonesia", "Japan", "Kenya", "Mexico", "Morocco", "Nigeria", "Norway", "Peru", "Poland", "Senegal",
			"Singapore", "South Africa", "Sweden", "Thailand", "Turkey", "Uruguay", "Viet Nam"},
		bodies: []string{"Working Group on %s", "Committee on %s", "Expert Panel on %s", "Special Rapporteur on %s"},
		topics: []string{"Data Flows", "Critical Infrastructure", "Capacity Building", "Digital Evidence",
			"Confidence Building", "Norms of Behaviour", "Cross-border Cooperation", "Online Harms",
			"Cryptography", "Telecommunications", "Electronic Commerce", "Human Rights Online"},
		verbs: []string{"adopts", "circulates", "rejects", "postpones", "welcomes", "publishes", "convenes",
			"endorses", "revises", "debates", "proposes", "concludes"},
		objects: []string{"a draft resolution", "a report", "a code of conduct", "a negotiating text",
			"a set of norms", "an organizational decision", "a statement of position", "a work programme",
			"a compilation of proposals", "a chair's summary"},
		words: strings.Fields(`the states delegation committee text draft proposal session article
			convention cooperation security information negotiation consensus vote resolution report experts
			members group chair meeting agenda provisions treaty protocol assistance jurisdiction evidence
			capacity norms behaviour sovereignty rights access data criminal procedure mutual legal offences
			secretariat mandate observers stakeholders industry civil society declaration annex paragraph
			amendment review implementation support regional international national framework process`),
		headings: []string{"Background", "What was decided", "Positions", "Reactions", "What followed", "Context", "Procedure"},
	}
}

func (g *gen) pick(xs []string) string { return xs[g.r.IntN(len(xs))] }

func (g *gen) makeActors(n int) []string {
	seen := map[string]bool{}
	var out []string
	for len(out) < n {
		var a string
		if len(out) < len(g.places) {
			a = g.places[len(out)]
		} else {
			a = fmt.Sprintf(g.pick(g.bodies), g.pick(g.topics))
		}
		if !seen[content.Slugify(a)] {
			seen[content.Slugify(a)] = true
			out = append(out, a)
		}
	}
	return out
}

// eventName is event i's file name: year, index and a few title words.
func (g *gen) eventName(i int) string {
	return fmt.Sprintf("%04d-%05d-%s", 1950+g.r.IntN(76), i, content.Slugify(g.pick(g.verbs)+" "+g.pick(g.topics)))
}

func (g *gen) date(year string) string {
	switch n := g.r.IntN(10); {
	case n < 2:
		return year
	case n < 5:
		return fmt.Sprintf("%s-%02d", year, 1+g.r.IntN(12))
	default:
		return fmt.Sprintf("%s-%02d-%02d", year, 1+g.r.IntN(12), 1+g.r.IntN(28))
	}
}

func (g *gen) sentence() string {
	n := 8 + g.r.IntN(14)
	ws := make([]string, n)
	for i := range ws {
		ws[i] = g.pick(g.words)
	}
	switch g.r.IntN(6) {
	case 0:
		k := g.r.IntN(n)
		ws[k] = "*" + ws[k] + "*"
	case 1:
		k := g.r.IntN(n)
		ws[k] = "**" + ws[k] + "**"
	}
	s := strings.Join(ws, " ")
	return strings.ToUpper(s[:1]) + s[1:] + "."
}

func (g *gen) paragraph(links []string) string {
	var b strings.Builder
	for i, n := 0, 3+g.r.IntN(4); i < n; i++ {
		if i > 0 {
			b.WriteString(" ")
		}
		b.WriteString(g.sentence())
		if len(links) > 0 && g.r.IntN(4) == 0 {
			fmt.Fprintf(&b, " See [%s](%s).", g.pick(g.objects), g.pick(links))
		}
	}
	return b.String()
}

func (g *gen) event(i int, names []string) string {
	year := names[i][:4]
	var actors []string
	for _, k := range g.r.Perm(len(g.actors))[:1+weighted(g.r, 70, 20, 10)] {
		actors = append(actors, g.actors[k])
	}
	title := fmt.Sprintf("%s %s %s on %s", actors[0], g.pick(g.verbs), g.pick(g.objects), strings.ToLower(g.pick(g.topics)))
	var b strings.Builder
	fmt.Fprintf(&b, "---\ntitle: %q\ndate: %s\nactor: [%s]\ntype: %s\nsummary: %q\n",
		title, g.date(year), strings.Join(actors, ", "), g.pick(g.types), g.sentence())
	if len(g.tracks) > 0 {
		// In turn, not at random: the random stream, and so the rest of
		// the corpus, stays what it was before sites had tracks.
		fmt.Fprintf(&b, "track: %s\n", g.tracks[i%len(g.tracks)])
	}
	if g.r.IntN(2) == 0 {
		fmt.Fprintf(&b, "documents: [A/RES/%d/%d]\n", 10+g.r.IntN(70), 1+g.r.IntN(300))
	}
	b.WriteString("sources:\n")
	for s, n := 0, 1+g.r.IntN(3); s < n; s++ {
		fmt.Fprintf(&b, "  - title: %q\n    url: \"https://example.org/sources/%d/%d\"\n    publisher: %q\n    date: %s\n",
			"Record of "+strings.ToLower(g.pick(g.objects)), i, s, g.pick(g.actors), g.date(year))
	}
	b.WriteString("---\n")

	// Links to other events, by their file names relative to this one.
	var links []string
	for k := 0; k < 3 && len(names) > 1; k++ {
		if j := g.r.IntN(len(names)); j != i {
			links = append(links, names[j]+".md")
		}
	}
	links = append(links, "https://example.org/press/"+fmt.Sprint(i))
	g.body(&b, links, 2048+g.r.IntN(2048))
	return b.String()
}

// body writes Markdown of about size bytes: paragraphs under headings,
// lists, links and emphasis; a table in some bodies, a footnote in some.
func (g *gen) body(b *strings.Builder, links []string, size int) {
	start := b.Len()
	b.WriteString(g.paragraph(links) + "\n\n")
	footnote := g.r.IntN(6) == 0
	if g.r.IntN(5) == 0 {
		b.WriteString("| Member | Position | Vote |\n| --- | --- | --- |\n")
		for r, n := 0, 2+g.r.IntN(4); r < n; r++ {
			fmt.Fprintf(b, "| %s | %s | %s |\n", g.pick(g.actors), g.pick(g.words), g.pick([]string{"yes", "no", "abstain"}))
		}
		b.WriteString("\n")
	}
	for b.Len()-start < size {
		fmt.Fprintf(b, "## %s\n\n", g.pick(g.headings))
		b.WriteString(g.paragraph(links))
		if footnote {
			b.WriteString("[^1]")
		}
		b.WriteString("\n\n")
		if g.r.IntN(3) == 0 {
			for k, n := 0, 2+g.r.IntN(3); k < n; k++ {
				fmt.Fprintf(b, "- %s\n", g.sentence())
			}
			b.WriteString("\n")
		}
	}
	if footnote {
		fmt.Fprintf(b, "[^1]: %s\n", g.sentence())
	}
}

func (g *gen) doc(i int, names []string) (string, string) {
	title := fmt.Sprintf("%s and %s", g.pick(g.topics), strings.ToLower(g.pick(g.topics)))
	name := fmt.Sprintf("doc-%02d-%s", i, content.Slugify(title))
	var b strings.Builder
	fmt.Fprintf(&b, "---\ntitle: %q\nweight: %d\ndescription: %q\n---\n", title, i+1, g.sentence())
	var links []string
	for k := 0; k < 3 && len(names) > 0; k++ {
		links = append(links, "../events/"+names[g.r.IntN(len(names))]+".md")
	}
	g.body(&b, links, 3000)
	return name, b.String()
}

func (g *gen) home(events int) string {
	return fmt.Sprintf("---\ntitle: \"Synthetic timeline\"\ndescription: \"A generated corpus of %d events for benchmarks.\"\n---\n%s\n", events, g.paragraph(nil))
}

// weighted returns 0, 1 or 2 with the given percentages.
func weighted(r *rand.Rand, p0, p1, _ int) int {
	switch n := r.IntN(100); {
	case n < p0:
		return 0
	case n < p0+p1:
		return 1
	}
	return 2
}
