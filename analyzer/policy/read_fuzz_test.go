package policy

import (
	"bytes"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
)

// FuzzReadDocument checks what the extractor relies on, whatever the
// input: an error or a document, lines that start at 1 and never go back,
// text that is collapsed and free of invisible characters, rows whose text
// is their cells, tables numbered in order.
// The seeds are in testdata/fuzz/FuzzReadDocument, one per format.
func FuzzReadDocument(f *testing.F) {
	lim := Limits{MaxBytes: 1 << 16, MaxNodes: 2000, MaxDepth: 64, MaxCells: 5000}
	f.Fuzz(func(t *testing.T, name string, data []byte) {
		doc, err := ReadDocument(name, data, lim)
		if err != nil {
			if doc != nil || !strings.HasPrefix(err.Error(), "policy: ") {
				t.Fatalf("error %q with document %v", err, doc)
			}
			return
		}
		switch doc.Format {
		case "html", "markdown", "text":
		default:
			t.Fatalf("format %q", doc.Format)
		}
		if doc.Encoding == "" || doc.Name != name || len(doc.Blocks) == 0 {
			t.Fatalf("document %q %q %q with %d blocks", doc.Name, doc.Format, doc.Encoding, len(doc.Blocks))
		}
		// Decoding never adds line breaks: each comes from a CR or LF
		// byte of the input.
		maxLine := bytes.Count(data, []byte{'\n'}) + bytes.Count(data, []byte{'\r'}) + 1
		prev, tables := 1, 0
		for i, b := range doc.Blocks {
			if b.Line < prev || b.Line > maxLine {
				t.Fatalf("block %d line %d after line %d (max %d): %+v", i, b.Line, prev, maxLine, b)
			}
			prev = b.Line
			if b.Heading < 0 || b.Heading > 6 || (b.Heading > 0 && b.Table > 0) {
				t.Fatalf("block %d heading %d table %d", i, b.Heading, b.Table)
			}
			if b.Table == 0 {
				if b.Cells != nil || b.Header {
					t.Fatalf("block %d outside a table has cells %q header %v", i, b.Cells, b.Header)
				}
				rdCheckText(t, b.Text, false)
				continue
			}
			if b.Table < tables || b.Table > tables+1 {
				t.Fatalf("block %d table %d after table %d", i, b.Table, tables)
			}
			tables = b.Table
			if len(b.Cells) == 0 || b.Text != strings.Join(b.Cells, " | ") {
				t.Fatalf("block %d row text %q cells %q", i, b.Text, b.Cells)
			}
			for _, c := range b.Cells {
				rdCheckText(t, c, true)
			}
		}
		again, err := ReadDocument(name, data, lim)
		if err != nil {
			t.Fatalf("second read failed: %v", err)
		}
		if diff := cmp.Diff(doc, again); diff != "" {
			t.Fatalf("second read differs:\n%s", diff)
		}
	})
}

func rdCheckText(t *testing.T, s string, cell bool) {
	t.Helper()
	if s == "" && !cell {
		t.Fatalf("empty block text")
	}
	if !utf8.ValidString(s) || s != strings.TrimSpace(s) || strings.Contains(s, "  ") {
		t.Fatalf("text not collapsed: %q", s)
	}
	for _, r := range s {
		if rdZeroWidth(r) || r < 0x20 || r == '\u00a0' || r == '\u3000' {
			t.Fatalf("text %q contains %U", s, r)
		}
	}
}
