package content

// HumanSpan returns a date range for readers, saying each thing once:
// "10–12 May 2021", "30 November – 2 December 2021", "2011–2013",
// "27 December 2019, 15:00–17:00 UTC". With a zero end, or an end that is
// the start again, it is start.Human(). When one end's period holds the
// other's (the dates are at different precisions), it says so rather
// than writing "2019 – 4 March 2019": "2019, until 4 March",
// "4 March 2019, until later in 2019".
func HumanSpan(start, end Date) string {
	if end.IsZero() {
		return start.Human()
	}
	switch in, out := covers(start, end), covers(end, start); {
	case in && out:
		return start.Human()
	case in:
		return start.Human() + ", until " + within(end, start)
	case out:
		if end.Precision == Day {
			return start.Human() + ", until later that day"
		}
		return start.Human() + ", until later in " + end.Human()
	}
	a, b := start.Time, end.Time
	sameYear := a.Year() == b.Year() && start.Precision != Instant && end.Precision != Instant
	switch {
	case start.Precision == Instant && end.Precision == Instant:
		if a.Format("2006-01-02 MST") == b.Format("2006-01-02 MST") {
			return a.Format("2 January 2006, 15:04") + "–" + b.Format("15:04 MST")
		}
	case start.Precision == Year || end.Precision == Year || !sameYear:
	case start.Precision == Month && end.Precision == Month:
		return a.Format("January") + "–" + b.Format("January 2006")
	case start.Precision == Day && end.Precision == Day && a.Month() == b.Month():
		return a.Format("2") + "–" + b.Format("2 January 2006")
	case start.Precision == Day:
		return a.Format("2 January") + " – " + end.Human()
	default: // a month, then a day of a later month of its year
		return a.Format("January") + " – " + end.Human()
	}
	if start.Precision == Year && end.Precision == Year {
		return a.Format("2006") + "–" + b.Format("2006")
	}
	return start.Human() + " – " + end.Human()
}

// covers reports whether the period of a holds the whole period of b.
func covers(a, b Date) bool {
	return !b.Time.Before(a.Time) && !b.Last().After(a.Last())
}

// within writes d, which lies inside the period of outer, without what
// outer already says: "4 March" inside 2019, "15:00 UTC" inside a day.
func within(d, outer Date) string {
	switch {
	case d.Precision == Month:
		return d.Time.Format("January")
	case d.Precision == Day:
		return d.Time.Format("2 January")
	case outer.Precision == Day:
		return d.Time.Format("15:04 MST")
	}
	return d.Time.Format("2 January, 15:04 MST")
}
