package search

import (
	"encoding/binary"
	"sync"
)

// termCollector gathers a document's terms with the fields they occur in.
// It is reused from document to document (see collectors), so that the
// ten thousand documents of a large site do not each grow a map of their
// own: making the terms is most of the index's cost.
type termCollector struct {
	index map[string]int32 // term → its place in terms and masks
	terms []string
	masks []uint8
	buf   []byte // a token in lower case
}

func newTermCollector() *termCollector {
	return &termCollector{index: make(map[string]int32, 512)}
}

// collectors hands out term collectors to the encoding workers.
type collectors struct{ pool sync.Pool }

func newCollectors() *collectors {
	return &collectors{pool: sync.Pool{New: func() any { return newTermCollector() }}}
}

// docTerms returns a document's terms (its fields being title, actors,
// summary and body), each with the mask of the fields it occurs in,
// encoded in the order first met: uvarint length, term, mask. The encoding is what
// the search memo keeps per document, and what the index is updated from
// when a document changes.
func (cs *collectors) docTerms(fields [4]string) []byte {
	c := cs.pool.Get().(*termCollector)
	defer cs.pool.Put(c)
	return c.collect(fields)
}

// docTerms is collectors.docTerms with a collector of its own.
func docTerms(fields [4]string) []byte { return newTermCollector().collect(fields) }

func (c *termCollector) collect(fields [4]string) []byte {
	for f, text := range fields {
		bit := uint8(1) << f
		forEachToken(text, func(tok string) { c.token(tok, bit) })
	}
	// In the order first met, not sorted: a clean build adds the terms to
	// their postings in any order, and only a changed document's terms,
	// in a rebuild, are sorted (see termIndex.replace).
	n := 0
	for _, t := range c.terms {
		n += len(t) + 2
	}
	b := make([]byte, 0, n)
	for i, t := range c.terms {
		b = binary.AppendUvarint(b, uint64(len(t)))
		b = append(b, t...)
		b = append(b, c.masks[i])
	}
	clear(c.index)
	clear(c.terms) // let the document's text go
	c.terms, c.masks = c.terms[:0], c.masks[:0]
	return b
}

// token adds a token's terms. Most tokens are one plain ASCII word, which
// is its own only term: those skip normToken and tokenTerms, and a word
// in capitals is folded into a buffer, so that a word met again costs a
// lookup, not a string.
func (c *termCollector) token(tok string, bit uint8) {
	upper := false
	for i := 0; i < len(tok); i++ {
		switch ch := tok[i]; {
		case 'a' <= ch && ch <= 'z' || '0' <= ch && ch <= '9':
		case 'A' <= ch && ch <= 'Z':
			upper = true
		default: // a joiner or not ASCII
			tokenTerms(normToken(tok), func(t string) { c.add(t, bit) })
			return
		}
	}
	if !upper {
		c.add(tok, bit)
		return
	}
	c.buf = append(c.buf[:0], tok...)
	for i, ch := range c.buf {
		if 'A' <= ch && ch <= 'Z' {
			c.buf[i] = ch + 'a' - 'A'
		}
	}
	if i, ok := c.index[string(c.buf)]; ok {
		c.masks[i] |= bit
		return
	}
	c.add(string(c.buf), bit)
}

// add marks term as occurring in the field bit.
func (c *termCollector) add(term string, bit uint8) {
	if i, ok := c.index[term]; ok {
		c.masks[i] |= bit
		return
	}
	c.index[term] = int32(len(c.terms))
	c.terms = append(c.terms, term)
	c.masks = append(c.masks, bit)
}
