package report

import "testing"

// FuzzEncoders spreads three strings over every text field of a scan and
// an audit result and encodes them with every encoder, in one of the two
// report languages. checkEncoders fails on a panic, an error, output that differs between
// two encodings, invalid JSON where JSON is promised, a raw control or
// bidi character where escaping is promised, a Markdown line whose
// structure (columns, emphasis, links, code spans) differs from the benign
// encoding's, or a table with other lines. Seeds are in
// testdata/fuzz/FuzzEncoders.
func FuzzEncoders(f *testing.F) {
	f.Add("com.example.app", "1.0", "Getui Push")
	f.Add("a|b", "line\nbreak", "\x1b[31m")
	f.Add("[x](http://evil)", "<script>alert(1)</script>", "`code`")
	f.Add("\u202egpj.apk", "\xff\xfe", "")
	f.Fuzz(func(t *testing.T, a, b, c string) {
		// Each string lands in some 200 fields and 20 outputs, so a long
		// input slows every execution down while a few times maxText
		// already reaches the cut.
		for _, s := range []*string{&a, &b, &c} {
			if len(*s) > 4*maxText {
				*s = (*s)[:4*maxText]
			}
		}
		// One language per input halves the cost of an execution; the
		// lengths pick it, so a failing input replays the same way.
		lang := "en"
		if (len(a)+len(b)+len(c))%2 == 1 {
			lang = "zh"
		}
		checkEncoders(t, texts{a, b, c}, lang)
	})
}
