package site

import (
	"bytes"
	"html/template"
	"sync"
	"unsafe"

	"github.com/klauspost/compress/s2"
	"github.com/unictimeline/sitegen/generator/content"
)

// A one-shot build (AssembleOnce) keeps each event's resolved body packed
// with S2 until it is read: a large site's bodies are the largest thing a
// build holds from assembly until the last of their three readers (the
// event's page, the feeds, the search index) is done, and HTML packs to
// about half (2.0 × on the synthetic corpus's bodies). S2 was chosen over
// zstd for speed: it packs a 100,000-event site's 470 MB of bodies in
// about a second of one core and unpacks each read in microseconds, where
// zstd's fastest level packed 30 % smaller in three times the time. Watch
// mode keeps bodies as they are: it reads few, and reuses them.

// packer packs bodies on any goroutine, reusing its workers' buffers.
type packer struct{ pool sync.Pool }

// packScratch holds a worker's buffers for packing a body.
type packScratch struct {
	src bytes.Buffer
	dst []byte
}

// pack returns the body that write writes, packed, at its exact length.
func (pk *packer) pack(write func(w *bytes.Buffer)) []byte {
	sc, _ := pk.pool.Get().(*packScratch)
	if sc == nil {
		sc = new(packScratch)
	}
	defer pk.pool.Put(sc)
	sc.src.Reset()
	write(&sc.src)
	sc.dst = s2.Encode(sc.dst[:cap(sc.dst)], sc.src.Bytes())
	return bytes.Clone(sc.dst)
}

// resolvePacked is resolveBody for a one-shot assembly: the HTML goes
// straight into its packed form (see packer).
func (a *assembler) resolvePacked(p *content.Page) resolvedBody {
	var r resolvedBody
	if len(p.Links) > 0 {
		a.resolveURLs(p, &r)
	}
	r.packed = a.pack.pack(func(w *bytes.Buffer) { writeResolved(w, p.Body, p.Links, r.urls) })
	p.Links, r.urls = checkable(p.Links, r.urls)
	return r
}

// unpackBody returns the body pack packed. It cannot fail on what pack
// made; anything else gives an empty body.
func unpackBody(packed []byte) template.HTML {
	n, err := s2.DecodedLen(packed)
	if err != nil || n == 0 {
		return ""
	}
	b, err := s2.Decode(make([]byte, n), packed)
	if err != nil || len(b) == 0 {
		return ""
	}
	// b is this call's own and never written again: the string may
	// share its bytes, as strings.Builder's does.
	return template.HTML(unsafe.String(&b[0], len(b)))
}
