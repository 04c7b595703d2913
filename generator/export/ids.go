package export

import (
	"crypto/sha1"
	"encoding/hex"
	"fmt"
	"strings"

	"github.com/unictimeline/sitegen/generator/site"
)

// Entry ids. An Atom entry's id, a JSON Feed item's id and a calendar
// event's UID must never change, or readers show an old event as new and
// calendars show it twice. A page's URL changes when the site moves to
// another domain, so when site.yaml has a siteID (a UUID; sitegen init
// writes a random one) the ids are made from it and the event's slug
// instead: the UUID version 5 (RFC 9562) of "events/<slug>" in the
// namespace of the siteID, as urn:uuid:... in the feeds and bare in the
// calendar (RFC 7986 recommends a UUID for UID). They are the same on every
// build and at every address, unique between sites, and change only with
// the slug, as the page's URL does. Without a siteID the ids are the pages'
// URLs, as before.

// eventID is the feeds' id of an event: urn:uuid:... or its page's URL.
func (f *feeder) eventID(e *site.Event) string {
	if u := f.eventUUID(e); u != "" {
		return "urn:uuid:" + u
	}
	return f.abs(e.Path)
}

// eventUID is the calendar's UID of an event: a UUID or its page's URL.
func (f *feeder) eventUID(e *site.Event) string {
	if u := f.eventUUID(e); u != "" {
		return u
	}
	return f.abs(e.Path)
}

// feedID is the Atom feed's own id: urn:uuid:<siteID>, or the site's URL.
func (f *feeder) feedID() string {
	if id := f.s.Config.SiteID; id != "" {
		return "urn:uuid:" + id
	}
	return f.abs("/")
}

func (f *feeder) eventUUID(e *site.Event) string {
	if f.s.Config.SiteID == "" {
		return ""
	}
	return NameUUID(f.s.Config.SiteID, "events/"+e.Slug)
}

// NameUUID returns the name-based UUID of name in the namespace ns (a UUID
// in its text form, already checked by config), as RFC 9562 section 5.5
// defines it: SHA-1 of the namespace's bytes and the name, with the
// version and variant bits set.
func NameUUID(ns, name string) string {
	nsBytes, err := hex.DecodeString(strings.ReplaceAll(ns, "-", ""))
	if err != nil || len(nsBytes) != 16 {
		return "" // unreachable: config accepts only UUIDs
	}
	h := sha1.New()
	h.Write(nsBytes)
	h.Write([]byte(name))
	b := h.Sum(nil)[:16]
	b[6] = b[6]&0x0f | 0x50 // version 5
	b[8] = b[8]&0x3f | 0x80 // RFC 9562 variant
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}
