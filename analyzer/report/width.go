package report

import (
	"fmt"
	"io"
	"strings"

	"github.com/mattn/go-runewidth"
)

// widthWriter carries the terminal width a table report must fit in to
// the tables drawn on it, whatever the encoder.
type widthWriter struct {
	io.Writer
	cols int
}

// WithWidth returns w for table reports that fit in cols columns: cells
// wrap at word boundaries and long words are cut with a marker. cols of 0
// or less leaves tables as wide as their content.
func WithWidth(w io.Writer, cols int) io.Writer {
	if cols <= 0 {
		return w
	}
	return widthWriter{Writer: w, cols: cols}
}

func widthOf(w io.Writer) int {
	if ww, ok := w.(widthWriter); ok {
		return ww.cols
	}
	return 0
}

// writeLine writes s and a newline; on a writer with a width, s is folded
// at spaces to fit it, and a word longer than the width is broken.
func writeLine(w io.Writer, s string) {
	cols := widthOf(w)
	if cols <= 0 || runewidth.StringWidth(s) <= cols {
		fmt.Fprintln(w, s)
		return
	}
	var line strings.Builder
	lw := 0
	flush := func() {
		fmt.Fprintln(w, strings.TrimRight(line.String(), " "))
		line.Reset()
		lw = 0
	}
	for _, word := range strings.SplitAfter(s, " ") {
		ww := runewidth.StringWidth(strings.TrimRight(word, " "))
		if lw > 0 && lw+ww > cols {
			flush()
		}
		for _, r := range word {
			rw := runewidth.RuneWidth(r)
			if lw+rw > cols && r != ' ' {
				flush()
			}
			line.WriteRune(r)
			lw += rw
		}
	}
	if line.Len() > 0 {
		flush()
	}
}
