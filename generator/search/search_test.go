package search

import (
	"encoding/binary"
	"encoding/json"
	"fmt"
	"html"
	"maps"
	"math/rand/v2"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/unictimeline/sitegen/generator/export"
	"github.com/unictimeline/sitegen/generator/internal/corpus"
	"github.com/unictimeline/sitegen/generator/internal/sitetest"
	"github.com/unictimeline/sitegen/generator/output"
)

func TestPlainText(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"<p>One <a href=\"x\">two</a>.</p>\n<p>Three</p>", "One two. Three"},
		{"<h2 id=\"a\">A &amp; B</h2><ul><li>x</li><li>y</li></ul>", "A & B x y"},
		{"no tags", "no tags"},
		{"<p><em>UN</em>'s <code>A/RES/74/247</code></p><pre><code>x\ny</code></pre>", "UN's A/RES/74/247 x y"},
		{"<p>unclosed <b", "unclosed"},
	} {
		if got := plainText(c.in); got != c.want {
			t.Errorf("plainText(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

// TestTokens checks what the index makes of text: tokens that keep
// document symbols whole, folded as search.js folds a query, and the terms
// that let a reader find a symbol by its tail.
func TestTokens(t *testing.T) {
	for _, c := range []struct {
		in   string
		want []string // the terms, sorted
	}{
		{"Resolution (74/247) adopted.", []string{"247", "74", "74/247", "adopted", "resolution"}},
		{"A/RES/74/247", []string{"247", "74", "74/247", "a", "a/res/74/247", "res", "res/74/247"}},
		{"A/C.1/74/L.11", []string{"1", "1/74/l.11", "11", "74", "74/l.11", "a", "a/c.1/74/l.11", "c", "c.1/74/l.11", "l", "l.11"}},
		{"UN’s Côte d'Ivoire, Российская Федерация", []string{"cote", "d", "d'ivoire", "ivoire", "s", "un", "un's", "россииская", "федерация"}}, // й is и and a breve, dropped as JavaScript drops it
		{"end. -dash- a--b 2019-2021", []string{"2019", "2019-2021", "2021", "a", "b", "dash", "end"}},
	} {
		set := map[string]bool{}
		forEachToken(c.in, func(tok string) { tokenTerms(normToken(tok), func(term string) { set[term] = true }) })
		got := slices.Sorted(maps.Keys(set))
		if !slices.Equal(got, c.want) {
			t.Errorf("terms of %q:\n got %q\nwant %q", c.in, got, c.want)
		}
	}
}

// indexReader answers queries from the index files as search.js does:
// the manifest, then the shards a word needs.
type indexReader struct {
	out    *output.Output
	shards [][]any
	cache  map[string]map[int]uint8 // by query and expansion
}

func newIndexReader(t *testing.T, out *output.Output) *indexReader {
	t.Helper()
	var m struct{ Shards [][]any }
	if err := json.Unmarshal(out.File(File), &m); err != nil {
		t.Fatal(err)
	}
	return &indexReader{out: out, shards: m.Shards, cache: map[string]map[int]uint8{}}
}

// lookup returns the documents of the terms q matches, with their masks:
// the term q, and the terms that start with it when their shards add up
// to at most expand bytes (search.js's EXPAND).
func (r *indexReader) lookup(t *testing.T, q string, expand int) map[int]uint8 {
	t.Helper()
	key := fmt.Sprint(q, "\x00", expand)
	if docs, ok := r.cache[key]; ok {
		return docs
	}
	var own []any
	var longer []string
	bytes := 0
	for _, e := range r.shards {
		if p := e[0].(string); strings.HasPrefix(q, p) && (own == nil || len(p) > len(own[0].(string))) {
			own = e
		}
	}
	for _, e := range r.shards {
		if p, size := e[0].(string), int(e[1].(float64)); size > 0 && p != "" && strings.HasPrefix(p, q) && (own == nil || p != own[0].(string)) {
			longer = append(longer, p)
			bytes += size
		}
	}
	var files []string
	if own != nil && own[1].(float64) > 0 {
		files = append(files, own[0].(string))
	}
	prefixes := bytes <= expand
	if prefixes {
		files = append(files, longer...)
	}
	docs := map[int]uint8{}
	for _, f := range files {
		b := r.out.File(searchTerms + shardName(f) + ".bin")
		if len(b) == 0 {
			t.Fatalf("shard %q is missing or empty", f)
		}
		for len(b) > 0 {
			n, k := binary.Uvarint(b)
			term := string(b[k : k+int(n)])
			b = b[k+int(n):]
			count, k := binary.Uvarint(b)
			b = b[k:]
			doc := 0
			for range count {
				v, k := binary.Uvarint(b)
				b = b[k:]
				doc += int(v >> fieldBits)
				if term == q || prefixes && strings.HasPrefix(term, q) {
					docs[doc] |= uint8(v & (1<<fieldBits - 1))
				}
			}
		}
	}
	r.cache[key] = docs
	return docs
}

// TestSearchIndexRealSite builds the index of this repository's site and
// looks every word of every document up in it, as search.js would: each
// must find its document, in the fields it occurs in. Document symbols are
// found whole and by their tail, and every document today's search found
// by a word (a substring at a word's start, in any field) is still found.
func TestSearchIndexRealSite(t *testing.T) {
	s := sitetest.AssembleDir(t, "../..", "")
	out := output.New("", "")
	if _, errs := Write(s, export.EventPages(s), out, export.EntryMemo{}, nil, nil); len(errs) > 0 {
		t.Fatal(errs)
	}
	r := newIndexReader(t, out)
	var docs []searchDoc
	for k := 0; ; k++ {
		var shard []searchDoc
		b := out.File(fmt.Sprintf("%s%d.json", searchDocs, k))
		if b == nil {
			break
		}
		if err := json.Unmarshal(b, &shard); err != nil {
			t.Fatal(err)
		}
		docs = append(docs, shard...)
	}
	if len(docs) < len(s.Events)+len(s.Docs)+len(s.Actors) {
		t.Fatalf("%d documents for %d events, %d docs and %d actors", len(docs), len(s.Events), len(s.Docs), len(s.Actors))
	}
	for i, d := range docs {
		for f, text := range []string{d.Title, d.Actors, d.Summary, d.Text} {
			forEachToken(text, func(tok string) {
				// A token longer than maxTerm (a URL) is found by its parts.
				for _, q := range longTokenParts(normToken(tok)) {
					if got := r.lookup(t, q, 0)[i]; got&(1<<f) == 0 {
						t.Errorf("%s: the word %q (as %q) of field %d finds the document with mask %04b", d.URL, tok, q, f, got)
					}
				}
			})
		}
	}
	for _, q := range []string{"74/247", "a/res/74/247", "res/74/247"} {
		found := false
		for i, d := range docs {
			has := strings.Contains(strings.ToLower(d.Title+" "+d.Summary+" "+d.Text), q)
			if _, ok := r.lookup(t, q, 0)[i]; has && !ok {
				t.Errorf("%q does not find %s, which holds it", q, d.URL)
			}
			found = found || has
		}
		if !found {
			t.Errorf("no document holds %q: the site no longer has the symbol this test looks for", q)
		}
	}

	// Today's search against the index, on a sample of the site's words.
	words := map[string]bool{}
	for _, d := range docs {
		for _, w := range strings.FieldsFunc(oldNorm(d.Text), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }) {
			words[w] = true
		}
	}
	folded := make([][]string, len(docs))
	for i, d := range docs {
		folded[i] = []string{oldNorm(d.Title), oldNorm(d.Actors), oldNorm(d.Summary), oldNorm(d.Text)}
	}
	sample := slices.Sorted(maps.Keys(words))
	for i := 0; i < len(sample); i += 1 + len(sample)/400 {
		w := sample[i]
		got := r.lookup(t, w, 256<<10)
		for j, d := range docs {
			if _, ok := got[j]; !ok && oldFinds(folded[j], w) {
				t.Errorf("%q no longer finds %s", w, d.URL)
			}
		}
	}
}

// oldNorm folds text as the search before the index did: lower case,
// diacritics dropped (normToken also reads ’ as ', which only joins more).
func oldNorm(s string) string { return normToken(s) }

// oldFinds reports whether the search before the index found a document,
// its fields folded by oldNorm, by w at
// the start of a word. It also found w inside words ("eaty" in "treaty"),
// which the index does not.
func oldFinds(fields []string, w string) bool {
	for _, f := range fields {
		for at := 0; ; {
			i := strings.Index(f[at:], w)
			if i < 0 {
				break
			}
			i += at
			if prev, _ := utf8.DecodeLastRuneInString(f[:i]); i == 0 || !isWordRune(prev) {
				return true
			}
			at = i + 1
		}
	}
	return false
}

// TestTermIndexUpdate changes random documents' terms again and again and
// checks after each round that the updated index encodes every shard as a
// fresh one made from the same documents does, small shards forcing
// splits and merges.
func TestTermIndexUpdate(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	vocab := []string{"a", "ab", "abc", "abd", "b", "ba", "cyber", "cybercrime", "74", "74/247", "a/res/74/247", "res/74/247", "é", "ét", "zz"}
	for i := range 40 {
		vocab = append(vocab, fmt.Sprintf("w%d", i), fmt.Sprintf("ab%d", i))
	}
	randomDoc := func() []byte {
		var fields [4]string
		for f := range fields {
			var ws []string
			for range rng.IntN(12) {
				ws = append(ws, vocab[rng.IntN(len(vocab))])
			}
			fields[f] = strings.Join(ws, " ")
		}
		return docTerms(fields)
	}
	docs := make([][]byte, 200)
	for i := range docs {
		docs[i] = randomDoc()
	}
	fresh := func() (*termIndex, []shardEntry) {
		x := newTermIndex()
		x.max = 300
		for i, d := range docs {
			x.add(i, d)
		}
		return x, x.finish()
	}
	x, list := fresh()
	if !slices.ContainsFunc(list, func(e shardEntry) bool { return e.split }) || len(list) < 10 {
		t.Fatalf("the test's index is cut into %d shards, none split: it checks no split", len(list))
	}
	for round := range 60 {
		for range 1 + rng.IntN(5) {
			i := rng.IntN(len(docs))
			d := randomDoc()
			if rng.IntN(4) == 0 {
				d = nil // a document with no words
			}
			x.replace(i, docs[i], d)
			docs[i] = d
		}
		list := x.finish()
		clean, want := fresh()
		if !slices.Equal(list, want) {
			t.Fatalf("round %d: the shards are\n%v\nwant\n%v", round, list, want)
		}
		for p, sh := range clean.shards {
			if got := x.shards[p]; string(got.b) != string(sh.b) {
				t.Fatalf("round %d: shard %q differs from a fresh index's", round, p)
			}
		}
	}
}

// BenchmarkWriteSearchIndex makes the search index of a synthetic site of
// 2,000 events (SITEGEN_BENCH_EVENTS to change it) from scratch, as a
// clean build does.
func BenchmarkWriteSearchIndex(b *testing.B) {
	n := 2000
	if v, err := strconv.Atoi(os.Getenv("SITEGEN_BENCH_EVENTS")); err == nil {
		n = v
	}
	dir := b.TempDir()
	if err := corpus.Write(dir, corpus.Options{Events: n, Seed: 1, Repo: "../.."}); err != nil {
		b.Fatal(err)
	}
	s := sitetest.AssembleDir(b, dir, "")
	pages := export.EventPages(s)
	b.ReportAllocs()
	for b.Loop() {
		if _, errs := Write(s, pages, output.New("", ""), export.EntryMemo{}, nil, nil); len(errs) > 0 {
			b.Fatal(errs)
		}
	}
}

// longTokenParts returns the terms a reader finds a token by: the token
// itself, or, when it is longer than maxTerm, each of its parts.
func longTokenParts(q string) []string {
	if len(q) <= maxTerm {
		return []string{q}
	}
	var parts []string
	start := 0
	for i := 0; i <= len(q); i++ {
		if i < len(q) && !isJoiner(q[i]) {
			continue
		}
		if p := q[start:i]; p != "" && len(p) <= maxTerm {
			parts = append(parts, p)
		}
		start = i + 1
	}
	return parts
}

// FuzzPlainTextCollapsed: text decoded and collapsed piece by piece, as
// plainText reads it, comes out as the whole text would decoded and
// collapsed after.
func FuzzPlainTextCollapsed(f *testing.F) {
	for _, c := range append(spaceCases, "<p>One <a href=\"x\">two</a>.</p>\n<p>Three</p>", "<p><em>UN</em>'s <code>A</code></p><pre><code>x\ny</code></pre>", " <li> a</li> <li>b </li>", "a<br>b", "a <b>\u00a0</b> c", "&amp<b>x</b>", "&#12<b>3</b>", "a &amp; b<p>&nbsp;c&lt;</p>", "&#x20;x<i>&quot;y</i>") {
		f.Add(c)
	}
	f.Fuzz(func(t *testing.T, h string) {
		var b strings.Builder
		rest := h
		for {
			i := strings.IndexByte(rest, '<')
			if i < 0 {
				b.WriteString(rest)
				break
			}
			b.WriteString(rest[:i])
			j := strings.IndexByte(rest[i:], '>')
			if j < 0 {
				break
			}
			name := strings.TrimPrefix(rest[i+1:i+j], "/")
			if k := strings.IndexAny(name, " \t\n/"); k >= 0 {
				name = name[:k]
			}
			if isBlockTag(strings.ToLower(name)) {
				b.WriteByte(' ')
			}
			rest = rest[i+j+1:]
		}
		if got, want := plainText(h), strings.Join(strings.Fields(html.UnescapeString(b.String())), " "); got != want {
			t.Errorf("plainText(%q) = %q, want %q", h, got, want)
		}
	})
}
