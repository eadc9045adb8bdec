package main

import (
	"context"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"

	"github.com/sdkaudit/sdkaudit/analyzer/container"
	"github.com/sdkaudit/sdkaudit/analyzer/inventory"
	"github.com/sdkaudit/sdkaudit/analyzer/report"
	"github.com/sdkaudit/sdkaudit/internal/safefile"
)

// appExtensions are the names a directory walk picks up without looking
// inside; other files are taken when they start like a zip or a DEX-
// prefixed APK.
var appExtensions = []string{".apk", ".apks", ".xapk", ".apkm", ".aab", ".ipa"}

// expandInputs turns the command line into the list of apps: files as
// given, directories walked in name order (a split APK set counts as one
// app), hidden directories skipped. A path that does not exist stays in
// the list so that it gets its own error line.
func expandInputs(args []string) []string {
	var out []string
	for _, a := range args {
		st, err := os.Stat(a)
		if err != nil || !st.IsDir() || container.IsSplitDir(a) {
			out = append(out, a)
			continue
		}
		var found []string
		_ = filepath.WalkDir(a, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				found = append(found, p) // reported when scanned
				return nil
			}
			if d.IsDir() {
				if p != a && strings.HasPrefix(d.Name(), ".") {
					return filepath.SkipDir
				}
				if p != a && container.IsSplitDir(p) {
					found = append(found, p)
					return filepath.SkipDir
				}
				return nil
			}
			if d.Type().IsRegular() && looksLikeApp(p) {
				found = append(found, p)
			}
			return nil
		})
		sort.Strings(found)
		out = append(out, found...)
	}
	return out
}

func looksLikeApp(p string) bool {
	lower := strings.ToLower(p)
	for _, ext := range appExtensions {
		if strings.HasSuffix(lower, ext) {
			return true
		}
	}
	f, _, err := safefile.Open(p)
	if err != nil {
		return false
	}
	defer f.Close()
	var magic [4]byte
	if _, err := io.ReadFull(f, magic[:]); err != nil {
		return false
	}
	return string(magic[:]) == "PK\x03\x04" || string(magic[:]) == "dex\n"
}

// newMemory is the budget of inflated DEX bytes one run's scans share:
// --jobs bounds how many apps are scanned at once, this bounds how much
// of their code is in memory at once, which --jobs alone cannot (two apps
// of two 1 GiB DEX files each, at the default --jobs, held four
// gigabytes). Each DEX read takes its share before inflating.
func newMemory() *inventory.Memory { return inventory.NewMemory(inventory.DefaultMemory) }

// admit holds a job back, before its time budget starts, until the memory
// its largest DEX files are expected to need is free: with the budget
// taken by an earlier app's large files, the next app waits here rather
// than inside its scan, where the wait would count against --timeout.
// The reads themselves still take their shares; this is only the queue.
func admit(ctx context.Context, file string, opts inventory.Options) {
	if opts.Memory == nil {
		return
	}
	_ = opts.Memory.Admit(ctx, inventory.ExpectedMemory(file, opts))
}

// runPool runs work for every index with at most jobs at a time and hands
// each result to emit in index order, as soon as all earlier ones have
// been emitted: output is streamed, yet identical whatever --jobs is.
// Results wait in memory only while an earlier, slower file is still
// being scanned.
func runPool[T any](ctx context.Context, n, jobs int, work func(context.Context, int) T, emit func(int, T)) {
	type done struct {
		i int
		v T
	}
	next := make(chan int)
	results := make(chan done)
	var wg sync.WaitGroup
	for w := 0; w < jobs && w < n; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				results <- done{i, work(ctx, i)}
			}
		}()
	}
	go func() {
		for i := 0; i < n; i++ {
			next <- i
		}
		close(next)
		wg.Wait()
		close(results)
	}()
	pending := map[int]T{}
	want := 0
	for d := range results {
		pending[d.i] = d.v
		for {
			v, ok := pending[want]
			if !ok {
				break
			}
			delete(pending, want)
			emit(want, v)
			want++
		}
	}
}

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
