package inventory

import (
	"cmp"
	"container/list"
	"context"
	"math"
	"path"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/sdkaudit/sdkaudit/analyzer/container"
	"github.com/sdkaudit/sdkaudit/internal/safefile"
)

// DefaultMemory is the process-wide budget for inflated DEX files that the
// command line gives every scan: with DEX files of at most 256 MiB each
// weighing twice their size (the bytes and the scan's per-id tables), one
// maximal file runs alone and a process stays under 1 GiB, while apps of
// ordinary size (tens of MB of DEX) never wait.
const DefaultMemory = 768 << 20

// dexWeight is what reading a DEX of n bytes is charged: the inflated
// bytes plus the code scan's per-id match tables, which together stay
// under twice the file.
func dexWeight(n int) int64 { return 2 * int64(n) }

// Memory is a budget of bytes shared by every scan of a process, so that
// --jobs apps, each with several DEX workers, cannot together inflate more
// DEX files at once than the budget allows. Requests are served in order of
// arrival; one larger than the whole budget is served alone.
type Memory struct {
	limit int64

	mu      sync.Mutex
	used    int64
	waiters list.List // of *memWaiter, oldest first

	peak atomic.Int64
}

type memWaiter struct {
	n     int64
	ready chan struct{}
}

// NewMemory returns a budget of limit bytes; limit <= 0 means unlimited
// (a nil *Memory is unlimited too).
func NewMemory(limit int64) *Memory {
	if limit <= 0 {
		limit = math.MaxInt64
	}
	return &Memory{limit: limit}
}

// clamp bounds a request by the whole budget, so an oversized one waits
// until it can run alone instead of forever.
func (m *Memory) clamp(n int64) int64 { return max(min(n, m.limit), 0) }

// Acquire waits until n bytes (at most the whole budget) are free and takes
// them, or returns ctx's error. It returns what was taken, to hand back to
// Release.
func (m *Memory) Acquire(ctx context.Context, n int64) (int64, error) {
	if m == nil {
		return 0, nil
	}
	n = m.clamp(n)
	m.mu.Lock()
	if m.used+n <= m.limit && m.waiters.Len() == 0 {
		m.used += n
		m.notePeak()
		m.mu.Unlock()
		return n, nil
	}
	w := &memWaiter{n: n, ready: make(chan struct{})}
	el := m.waiters.PushBack(w)
	m.mu.Unlock()
	select {
	case <-w.ready:
		return n, nil
	case <-ctx.Done():
		m.mu.Lock()
		select {
		case <-w.ready:
			// Granted while giving up: hand it back.
			m.used -= n
		default:
			m.waiters.Remove(el)
		}
		m.grant()
		m.mu.Unlock()
		return 0, ctx.Err()
	}
}

// Release returns n bytes taken by Acquire.
func (m *Memory) Release(n int64) {
	if m == nil || n == 0 {
		return
	}
	m.mu.Lock()
	m.used -= n
	m.grant()
	m.mu.Unlock()
}

// grant wakes the waiters at the head of the queue that now fit. Called
// with mu held.
func (m *Memory) grant() {
	for e := m.waiters.Front(); e != nil; e = m.waiters.Front() {
		w := e.Value.(*memWaiter)
		if m.used+w.n > m.limit {
			return
		}
		m.used += w.n
		m.notePeak()
		m.waiters.Remove(e)
		close(w.ready)
	}
}

func (m *Memory) notePeak() {
	if m.used > m.peak.Load() {
		m.peak.Store(m.used)
	}
}

// Free reports how many bytes are not taken, and whether anyone is queued.
func (m *Memory) Free() (int64, bool) {
	if m == nil {
		return math.MaxInt64, false
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.limit - m.used, m.waiters.Len() > 0
}

// Peak is the most ever taken at once, for tests and diagnostics.
func (m *Memory) Peak() int64 {
	if m == nil {
		return 0
	}
	return m.peak.Load()
}

// byteBudget is a count of bytes several goroutines draw from; a request
// that does not fit is refused without being taken, so one hostile file
// that exhausts its share does not starve the app's other files.
type byteBudget struct{ left atomic.Int64 }

func newByteBudget(n int64) *byteBudget {
	b := &byteBudget{}
	b.left.Store(n)
	return b
}

// Take implements dex.Budget and manifest.Budget.
func (b *byteBudget) Take(n int64) bool {
	for {
		left := b.left.Load()
		if n > left {
			return false
		}
		if b.left.CompareAndSwap(left, left-n) {
			return true
		}
	}
}

// Admit waits until n bytes of the budget (at most all of it) are free,
// behind every earlier request, without keeping them: a batch calls it
// before starting an app, so an app expected to need much memory starts
// only when that much is free, and its time budget does not run while it
// would only wait for other apps' DEX files.
func (m *Memory) Admit(ctx context.Context, n int64) error {
	got, err := m.Acquire(ctx, n)
	m.Release(got)
	return err
}

// ExpectedMemory estimates what scanning the app at name will take from
// the memory budget at once: the weight of its largest DEX entries, as
// many as the scan reads in parallel (nested APKs count as DEX of their
// size, an upper bound; an .ipa's Mach-O files count like DEX files). It reads only the zip's central directory; 0
// means no estimate (a directory, an unreadable file: the scan will say
// why).
func ExpectedMemory(name string, opts Options) int64 {
	// Through the one reader that refuses what is not a regular file: a
	// named pipe given as the app must not block the admission.
	f, st, err := safefile.Open(name)
	if err != nil {
		return 0
	}
	defer f.Close()
	a, err := container.Open(f, st.Size(), opts.Container)
	if err != nil {
		return 0
	}
	lim := dexLimit(opts.DEX)
	var sizes []int64
	for _, e := range a.Entries {
		base := strings.ToLower(path.Base(e.Name))
		if !strings.HasSuffix(base, ".dex") && !strings.HasSuffix(base, ".apk") && !machOCandidate(e.Name) {
			continue
		}
		sizes = append(sizes, min(int64(a.SizeHint(e)), lim))
	}
	slices.SortFunc(sizes, func(x, y int64) int { return cmp.Compare(y, x) })
	workers := opts.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	var n int64
	for _, s := range sizes[:min(len(sizes), workers)] {
		n += dexWeight(int(s))
	}
	return n
}

// machOCandidate reports whether an .ipa entry is likely a Mach-O file the
// scan will hold in memory: a dylib, or an extension-less file directly in
// an app, extension or framework bundle (its executable).
func machOCandidate(name string) bool {
	if !strings.HasPrefix(name, "Payload/") {
		return false
	}
	if strings.HasSuffix(name, ".dylib") {
		return true
	}
	dir, base := path.Split(name)
	dir = strings.TrimSuffix(dir, "/")
	return !strings.Contains(base, ".") && (strings.HasSuffix(dir, ".app") || strings.HasSuffix(dir, ".appex") || strings.HasSuffix(dir, ".framework"))
}
