package export

import (
	"bytes"
	"encoding/json"
	"fmt"

	"github.com/unictimeline/sitegen/generator/output"
)

// JSON Feed 1.1 (https://www.jsonfeed.org/version/1.1/).
type jsonFeed struct {
	Version     string         `json:"version"`
	Title       string         `json:"title"`
	HomePageURL string         `json:"home_page_url"`
	FeedURL     string         `json:"feed_url"`
	Description string         `json:"description,omitempty"`
	Language    string         `json:"language,omitempty"`
	Authors     []jsonAuthor   `json:"authors"`
	Items       []jsonFeedItem `json:"items"`
}

type jsonAuthor struct {
	Name string `json:"name"`
	URL  string `json:"url,omitempty"`
}

type jsonFeedItem struct {
	ID            string   `json:"id"`
	URL           string   `json:"url"`
	Title         string   `json:"title"`
	ContentHTML   string   `json:"content_html"`
	Summary       string   `json:"summary,omitempty"`
	DatePublished string   `json:"date_published"`
	Tags          []string `json:"tags,omitempty"`
}

// jsonFeed writes the JSON Feed of the newest events (Config.FeedLimit),
// newest first, with the same ids, dates and bodies as the Atom feed.
func (f *feeder) jsonFeed(fw *output.Writer, reuse EntryMemo, next *EntryMemo) error {
	cfg := f.s.Config
	feed := jsonFeed{
		Version:     "https://jsonfeed.org/version/1.1",
		Title:       cfg.Title,
		HomePageURL: f.abs("/"),
		FeedURL:     f.abs(JSONFeedFile),
		Description: cfg.Description,
		Language:    cfg.Language,
		Authors:     []jsonAuthor{{Name: cfg.Title, URL: f.abs("/")}},
		Items:       []jsonFeedItem{},
	}
	head, err := marshalJSON(feed)
	if err != nil {
		return err
	}
	from := f.feedFrom()
	return writeJSONArray(fw, head, "items", func(elem func([]byte)) error {
		return EventEntries(f.pages[from:], true, reuse, next, func(i int) ([]byte, error) { return f.jsonFeedItem(from + i) }, elem)
	})
}

// jsonFeedItem encodes the item of s.Events[i].
func (f *feeder) jsonFeedItem(i int) ([]byte, error) {
	e := f.s.Events[i]
	u := f.abs(e.Path)
	item := jsonFeedItem{
		ID:            f.eventID(e), // see eventID
		URL:           u,
		Title:         e.Title,
		ContentHTML:   f.absBody(i),
		Summary:       e.Summary,
		DatePublished: atomTime(entryTime(e)),
	}
	if label := typeLabel(e); label != "" {
		item.Tags = append(item.Tags, label)
	}
	item.Tags = append(item.Tags, actorNames(e)...)
	return marshalJSONEntry(item)
}

// marshalJSON encodes v indented, with <, > and & left readable: the files
// are served as JSON, never pasted into HTML, so the \u003c escapes that
// encoding/json adds by default would only make them harder to read.
func marshalJSON(v any) ([]byte, error) {
	return encodeJSON(v, "")
}

// marshalJSONEntry encodes v as marshalJSON writes an element of an array
// that is the value of a top-level key: indented two levels deep after its
// first line, with no newline after it. Encoding the entries of a large
// document one by one (see EventEntries) and joining them with
// writeJSONArray gives the bytes that marshalJSON gives for the whole.
func marshalJSONEntry(v any) ([]byte, error) {
	b, err := encodeJSON(v, "    ")
	// A copy at its exact length: the encoder's buffer grew by doubling,
	// and every entry is kept until its file is written (and by watch
	// mode's memo).
	return bytes.Clone(bytes.TrimSuffix(b, []byte("\n"))), err
}

func encodeJSON(v any, prefix string) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent(prefix, "  ")
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// writeJSONArray writes doc with the elements fill gives, each from
// marshalJSONEntry, in the empty
// array that marshalJSON wrote as the value of the top-level key in doc,
// laid out as marshalJSON lays out a full array. The empty array is found
// by its line: encoding/json escapes every newline inside a string, so a
// raw newline, two spaces and a quote start a top-level key and nothing
// else, and a document's top-level keys are distinct. With no elements
// doc stays as it is: marshalJSON writes an empty array as "[]".
func writeJSONArray(fw *output.Writer, doc []byte, key string, fill func(elem func([]byte)) error) error {
	empty := "\n  \"" + key + "\": []"
	at := bytes.Index(doc, []byte(empty))
	if at < 0 {
		return fmt.Errorf("no empty array %q in the document", key)
	}
	at += len(empty) - len("]")
	first, sep := []byte("\n    "), []byte(",\n    ")
	fw.Write(doc[:at])
	n := 0
	err := fill(func(e []byte) {
		if n == 0 {
			fw.Write(first, e)
		} else {
			fw.Write(sep, e)
		}
		n++
	})
	if n > 0 {
		fw.Write([]byte("\n  "))
	}
	fw.Write(doc[at:])
	return err
}
