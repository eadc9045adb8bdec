package main

import (
	"fmt"
	"io"
	"os"

	"github.com/sdkaudit/sdkaudit/analyzer/report"
)

// progress draws "[k/n] file" on a terminal's standard error and nothing
// anywhere else, so CI logs and pipes stay clean.
type progress struct {
	w     io.Writer
	n     int
	on    bool
	width int
}

func newProgress(w io.Writer, n int) *progress {
	p := &progress{w: w, n: n}
	if f, ok := w.(*os.File); ok && n > 1 {
		if st, err := f.Stat(); err == nil && st.Mode()&os.ModeCharDevice != 0 && os.Getenv("TERM") != "dumb" {
			p.on = true
		}
	}
	return p
}

func (p *progress) step(done int, file string) {
	if !p.on {
		return
	}
	line := fmt.Sprintf("[%d/%d] %s", done, p.n, report.Clean(file))
	if len(line) > 100 {
		line = line[:97] + "..."
	}
	fmt.Fprintf(p.w, "\r%-*s", p.width, line)
	p.width = len(line)
}

func (p *progress) finish() {
	if p.on && p.width > 0 {
		fmt.Fprintf(p.w, "\r%-*s\r", p.width, "")
	}
}
