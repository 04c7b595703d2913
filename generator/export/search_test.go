package export

import "testing"

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
