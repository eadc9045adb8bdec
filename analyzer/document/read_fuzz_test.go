package document

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
// is their cells, tables numbered in order; the same of Document.Hidden,
// and no document without blocks unless its text is all hidden.
// The seeds are in testdata/fuzz/FuzzReadDocument, one per format and
// one per way of hiding text.
func FuzzReadDocument(f *testing.F) {
	lim := Limits{MaxBytes: 1 << 16, MaxNodes: 2000, MaxDepth: 64, MaxCells: 5000}
	f.Fuzz(func(t *testing.T, name string, data []byte) {
		doc, err := Read(name, data, lim)
		if err != nil {
			if doc != nil || !strings.HasPrefix(err.Error(), "document: ") {
				t.Fatalf("error %q with document %v", err, doc)
			}
			return
		}
		switch doc.Format {
		case "html", "markdown", "text":
		default:
			t.Fatalf("format %q", doc.Format)
		}
		hidden := false
		for _, b := range doc.Hidden {
			hidden = hidden || b.Hidden != ""
		}
		if doc.Encoding == "" || doc.Name != name || len(doc.Blocks) == 0 && !hidden || len(doc.Hidden) > 0 && !hidden {
			t.Fatalf("document %q %q %q with %d blocks, %d hidden", doc.Name, doc.Format, doc.Encoding, len(doc.Blocks), len(doc.Hidden))
		}
		if doc.Format == "text" && len(doc.Hidden) > 0 {
			t.Fatalf("plain text with hidden blocks")
		}
		checkBlocks(t, data, doc.Blocks, false)
		checkBlocks(t, data, doc.Hidden, true)
		again, err := Read(name, data, lim)
		if err != nil {
			t.Fatalf("second read failed: %v", err)
		}
		if diff := cmp.Diff(doc, again); diff != "" {
			t.Fatalf("second read differs:\n%s", diff)
		}
	})
}

// checkBlocks checks one list of blocks: Document.Blocks, or with
// hidden set Document.Hidden, whose blocks may say why they are hidden.
func checkBlocks(t *testing.T, data []byte, blocks []Block, hidden bool) {
	t.Helper()
	// Decoding never adds line breaks: each comes from a CR or LF
	// byte of the input.
	maxLine := bytes.Count(data, []byte{'\n'}) + bytes.Count(data, []byte{'\r'}) + 1
	prev, tables := 1, 0
	for i, b := range blocks {
		if b.Hidden != "" && !hidden {
			t.Fatalf("block %d of Blocks marked hidden: %+v", i, b)
		}
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
			checkText(t, b.Text, false)
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
			checkText(t, c, true)
		}
	}
}

func checkText(t *testing.T, s string, cell bool) {
	t.Helper()
	if s == "" && !cell {
		t.Fatalf("empty block text")
	}
	if !utf8.ValidString(s) || s != strings.TrimSpace(s) || strings.Contains(s, "  ") {
		t.Fatalf("text not collapsed: %q", s)
	}
	for _, r := range s {
		if isZeroWidth(r) || r < 0x20 || r == '\u00a0' || r == '\u3000' {
			t.Fatalf("text %q contains %U", s, r)
		}
	}
}
