package sdkaudit

import (
	"context"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"

	"github.com/sdkaudit/sdkaudit/analyzer/audit"
	"github.com/sdkaudit/sdkaudit/analyzer/container"
	"github.com/sdkaudit/sdkaudit/internal/safefile"
)

// appExtensions are the names a directory walk picks up without looking
// inside; other files are taken when they start like a zip or a DEX file.
var appExtensions = []string{".apk", ".apks", ".xapk", ".apkm", ".aab", ".ipa"}

// FindApps turns paths into the apps they name: files as given,
// directories walked in name order (a split-APK directory counts as one
// app), hidden directories skipped. A path that does not exist stays in
// the list, so that reading it gives its own error.
func FindApps(paths ...string) []string {
	var out []string
	for _, a := range paths {
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

// ScanEach scans the sources, at most jobs at a time, and hands each
// result to emit in source order as soon as every earlier one has been
// handed over: output can be streamed, yet it is the same whatever jobs
// is. One app's error does not stop the others.
func (e *Engine) ScanEach(ctx context.Context, sources []string, jobs int, emit func(i int, r *ScanResult, err error)) {
	type out struct {
		r   *ScanResult
		err error
	}
	Each(ctx, len(sources), jobs, func(ctx context.Context, i int) out {
		r, err := e.Scan(ctx, sources[i])
		return out{r, err}
	}, func(i int, o out) { emit(i, o.r, o.err) })
}

// AuditEach audits the sources against one policy, read once, as ScanEach
// scans them.
func (e *Engine) AuditEach(ctx context.Context, sources []string, p Policy, jobs int, emit func(i int, r *audit.Result, err error)) error {
	decl, err := e.ReadPolicy(p)
	if err != nil {
		return err
	}
	type out struct {
		r   *audit.Result
		err error
	}
	Each(ctx, len(sources), jobs, func(ctx context.Context, i int) out {
		r, err := e.Audit(ctx, sources[i], Policy{Declaration: decl})
		return out{r, err}
	}, func(i int, o out) { emit(i, o.r, o.err) })
	return nil
}

// Each runs work for every index below n with at most jobs at a time and
// hands each result to emit in index order, as soon as all earlier ones
// have been emitted. Results wait in memory only while an earlier, slower
// one is still running. emit runs on the caller's goroutine.
func Each[T any](ctx context.Context, n, jobs int, work func(context.Context, int) T, emit func(int, T)) {
	if ctx == nil {
		ctx = context.Background()
	}
	jobs = max(jobs, 1)
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
