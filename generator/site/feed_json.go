package site

import (
	"bytes"
	"encoding/json"
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

// jsonFeed writes the JSON Feed of the events, newest first, with the same
// ids, dates and bodies as the Atom feed.
func (f *feeder) jsonFeed() ([]byte, error) {
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
	for _, e := range f.newestFirst() {
		u := f.abs(e.Path)
		item := jsonFeedItem{
			ID:            u,
			URL:           u,
			Title:         e.Title,
			ContentHTML:   f.absBody(e),
			Summary:       e.Summary,
			DatePublished: atomTime(entryTime(e)),
		}
		if label := typeLabel(e); label != "" {
			item.Tags = append(item.Tags, label)
		}
		item.Tags = append(item.Tags, actorNames(e)...)
		feed.Items = append(feed.Items, item)
	}
	return marshalJSON(feed)
}

// marshalJSON encodes v indented, with <, > and & left readable: the files
// are served as JSON, never pasted into HTML, so the \u003c escapes that
// encoding/json adds by default would only make them harder to read.
func marshalJSON(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
