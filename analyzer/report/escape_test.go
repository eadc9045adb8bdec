package report

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"unicode/utf8"
)

// hostileTexts are strings an APK, a policy, a rule file or a waiver file
// can carry, each aimed at one way of breaking a report.
var hostileTexts = []struct{ name, s string }{
	{"pipe", "com.evil|extra|column"},
	{"escaped pipe", `a\|b\\|c\`},
	{"newline", "com.evil\n| injected | row |\n"},
	{"carriage return", "ok\rFAKE"},
	{"crlf blank line", "a\r\n\r\nb"},
	{"ansi", "\x1b[31mred\x1b[0m\x1b]0;title\x07\x1b[2J"},
	{"nul", "nul\x00byte\x01\x1f"},
	{"rlo", "txt.\u202egpj.apk"},
	{"bidi marks", "\u202aa\u202bb\u202cc\u202dd\u202ee\u2066f\u2067g\u2068h\u2069\u200e\u200f\u061c"},
	{"c1 and del", "\u009b31m csi \u0085 nel \x7f del"},
	{"separators", "a\u2028b\u2029c"},
	{"tab vt ff", "a\tb\vc\fd"},
	{"script", "<script>alert(1)</script>"},
	{"entities", "&lt;b&gt; &#124; &amp; &"},
	{"link", "[x](http://evil)"},
	{"image", "![x](http://evil/x.png)"},
	{"autolink", "<http://evil>"},
	{"reference link", "[x]: http://evil"},
	{"code", "`code`"},
	{"fence", "```\n~~~"},
	{"emphasis", `*a* _b_ **c** ~~d~~ \*e\*`},
	{"heading", "# heading #"},
	{"list", "- item"},
	{"ordered list", "1. item"},
	{"indented code", "     code"},
	{"tag characters", "\U000E0041\U000E0042"},
	{"invalid utf-8", "bad\xff\xfe\xc0\xafutf8\xe2\x80"},
	{"empty", ""},
	{"long", strings.Repeat("A", 100000)},
	{"long hostile", strings.Repeat("|\x1b[2J<\u202e", 20000)},
}

// TestHostileText feeds each hostile string into every field of a scan
// and an audit result and checks what every encoder promises: escaped
// text and an unchanged structure in the table, Markdown and SARIF, valid
// JSON everywhere JSON is promised, and cut text where people read it.
func TestHostileText(t *testing.T) {
	schema := sarifSchema(t)
	for _, h := range hostileTexts {
		t.Run(h.name, func(t *testing.T) {
			tx, langs := texts{h.s}, []string{"en", "zh"}
			long := utf8.RuneCountInString(h.s) > maxText
			if long {
				// A quarter of the fields, among them a meta-data value,
				// finding messages, policy evidence and a waiver reason, keeps
				// the test quick; the short strings show that every field is
				// escaped, and so cut, the same way.
				tx, langs = texts{h.s, "a", "b", "c", "d", "e", "f", h.s}, []string{"en"}
			}
			outs := checkEncoders(t, tx, langs...)
			for name, o := range outs {
				switch o.kind {
				case "table", "markdown":
					if long && !bytes.Contains(o.data, []byte("truncated")) {
						t.Errorf("%s: long text without the truncation marker", name)
					}
					for i, line := range strings.Split(string(o.data), "\n") {
						if len(line) > 64<<10 {
							t.Errorf("%s: line %d is %d bytes: long text was not cut", name, i+1, len(line))
						}
					}
					if o.kind == "markdown" && bytes.Contains(o.data, []byte("<script")) {
						t.Errorf("%s: raw <script>", name)
					}
				case "sarif":
					sarifValidate(t, schema, o.data)
					msgs := sarifMessages(t, name, o.data, o.results)
					if long && !strings.Contains(msgs[0], "truncated") {
						t.Errorf("%s: long message without the truncation marker: %.80q", name, msgs[0])
					}
					for _, m := range msgs {
						if strings.Contains(m, "](") && !strings.Contains(m, `\](`) {
							t.Errorf("%s: message keeps an embedded link: %q", name, m)
						}
					}
				case "cyclonedx":
					cdxDecode(t, o.data)
				}
			}
			if utf8.ValidString(h.s) {
				checkFullText(t, outs, tx)
			}
		})
	}
}

// checkFullText: JSON keeps the text whole, however long or hostile.
func checkFullText(t *testing.T, outs map[string]output, tx texts) {
	t.Helper()
	var scan struct {
		Apps []struct {
			Package  string
			MetaData []struct{ Value struct{ Value string } } `json:"meta_data"`
		}
	}
	if err := json.Unmarshal(outs["en scan/json"].data, &scan); err != nil {
		t.Fatal(err)
	}
	if len(scan.Apps) != 2 || scan.Apps[0].Package != tx.at(1) || len(scan.Apps[0].MetaData) != 2 || scan.Apps[0].MetaData[0].Value.Value != tx.at(15) {
		t.Errorf("scan JSON does not keep the text whole")
	}
	var wrapped struct {
		Apps []struct {
			App      struct{ Package string }
			Findings []struct{ Message string }
		}
	}
	if err := json.Unmarshal(outs["en audit/json"].data, &wrapped); err != nil {
		t.Fatal(err)
	}
	// A result with changes is a diff: one document, not a list.
	doc := struct {
		App      struct{ Package string }
		Findings []struct{ Message string }
	}{}
	if len(wrapped.Apps) == 1 {
		doc = wrapped.Apps[0]
	} else if err := json.Unmarshal(outs["en audit/json"].data, &doc); err != nil {
		t.Fatal(err)
	}
	if doc.App.Package != tx.at(1) || len(doc.Findings) == 0 || doc.Findings[0].Message != tx.at(112) {
		t.Errorf("audit JSON does not keep the text whole")
	}
}

func TestCleanHostile(t *testing.T) {
	for in, want := range map[string]string{
		"rlo\u202etxt":             `rlo\u202etxt`,
		"\u202a\u202d\u2066\u2069": `\u202a\u202d\u2066\u2069`,
		"lrm\u200e\u061c":          `lrm\u200e\u061c`,
		"csi\u009b2J":              `csi\u009b2J`,
		"del\x7f":                  `del\u007f`,
		"nul\x00":                  `nul\u0000`,
		"bad\xffutf8\xe2\x80":      `bad\xffutf8\xe2\x80`,
		"tag\U000E0041":            `tag\U000e0041`,
		"emoji 👩\u200d💻":           "emoji 👩\u200d💻",
		"ok <b>|*":                 "ok <b>|*",
	} {
		if got := Clean(in); got != want {
			t.Errorf("Clean(%q) = %q, want %q", in, got, want)
		}
	}
	// The limit counts runes, not bytes, and an escape is never cut.
	if got := Clean(strings.Repeat("中", maxText)); got != strings.Repeat("中", maxText) {
		t.Errorf("Clean cut %d runes", maxText)
	}
	if got := Clean(strings.Repeat("\x1b", maxText+1)); got != strings.Repeat(`\u001b`, maxText)+truncMarker {
		t.Errorf("Clean of escapes past the limit: %q", got[len(got)-40:])
	}
}

// CleanLine escapes as Clean does, so a message built around a file name
// or a waiver stays one line with no live control sequence, and cuts at
// maxLine runes instead of maxText.
func TestCleanLine(t *testing.T) {
	in := "sdkaudit: evil\n\x1b]0;pwned\x07\x1b[2Jsdkaudit: all checks passed\r\n.apk: not a zip"
	want := `sdkaudit: evil\u000a\u001b]0;pwned\u0007\u001b[2Jsdkaudit: all checks passed\u000d\u000a.apk: not a zip`
	if got := CleanLine(in); got != want {
		t.Errorf("CleanLine = %q, want %q", got, want)
	}
	long := strings.Repeat("a", maxText+10)
	if got := CleanLine(long); got != long {
		t.Errorf("CleanLine cut %d characters", len(long))
	}
	if got := CleanLine(strings.Repeat("a", maxLine+1)); got != strings.Repeat("a", maxLine)+truncMarker {
		t.Errorf("CleanLine past maxLine: %d bytes", len(got))
	}
}

func TestMarkdownEscapers(t *testing.T) {
	for _, c := range []struct {
		f        func(string) string
		in, want string
	}{
		{md, `a\|b`, `a\\\|b`},
		{md, `\*x\*`, `\\\*x\\\*`},
		{md, "~~x~~ & <i>", `\~\~x\~\~ &amp; &lt;i&gt;`},
		{md, "[x](http://evil)", `\[x\](http://evil)`},
		{md, "a\nb", `a\\u000ab`},
		{mdItem, "- x", `\- x`},
		{mdItem, "+ x", `\+ x`},
		{mdItem, "12) x", `12\) x`},
		{mdItem, "   1. x", `1\. x`},
		{mdItem, "2026-01-01 x", "2026-01-01 x"},
		{mdCode, "out/app 1.apk", "`out/app 1.apk`"},
		{mdCode, "a|b.apk", `a\|b.apk`},
		{mdCode, "a`b.apk", "a\\`b.apk"},
		{mdCode, `C:\b\app.apk`, `C:\\b\\app.apk`},
		{mdCode, "<b>.apk", "&lt;b&gt;.apk"},
		{mdCode, "", ""},
	} {
		if got := c.f(c.in); got != c.want {
			t.Errorf("%q: got %q, want %q", c.in, got, c.want)
		}
	}
}

func TestSARIFMessageEscapes(t *testing.T) {
	for in, want := range map[string]string{
		"plain message":     "plain message",
		"[x](http://evil)":  `\[x\](http://evil)`,
		`C:\dir [1]`:        `C:\\dir \[1\]`,
		"bell\x07\u202eabc": `bell\\u0007\\u202eabc`,
	} {
		if got := sarifMessage(in).Text; got != want {
			t.Errorf("sarifMessage(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestJSONEscapesUnsafeRunes(t *testing.T) {
	in := map[string]string{"k\u202e": "a\u202eb\x7f\u009b\u2028\U000E0041\u200d中\x1b"}
	var b bytes.Buffer
	if err := writeJSON(&b, in, false); err != nil {
		t.Fatal(err)
	}
	want := `{"k\u202e":"a\u202eb\u007f\u009b\u2028\udb40\udc41` + "\u200d中" + `\u001b"}` + "\n"
	if b.String() != want {
		t.Errorf("got  %s\nwant %s", b.String(), want)
	}
	var back map[string]string
	if err := json.Unmarshal(b.Bytes(), &back); err != nil || back["k\u202e"] != in["k\u202e"] {
		t.Errorf("round trip: %q, %v", back, err)
	}
	plain := []byte(`{"a":"b"}`)
	if got := escapeJSONRunes(plain); &got[0] != &plain[0] {
		t.Error("ASCII output was copied")
	}
}
