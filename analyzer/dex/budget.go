package dex

import (
	"math"
	"sync/atomic"
)

// Budget is a count of bytes shared by several readers (every DEX file of
// one app), so that what a scan materialises is bounded per result and not
// only per field. Take reports whether n more bytes fit; a nil Budget in
// Limits means no shared bound beyond the per-file ones.
type Budget interface {
	Take(n int64) bool
}

// share is what the entries of one v041 container draw from together:
// they may point at the same tables and code, so per-entry budgets would
// let a container of thousands of tiny headers over one shared data
// section multiply the work and the output by its entry count.
type share struct {
	output atomic.Int64
	code   atomic.Int64
}

func newShare(extent uint64) *share {
	s := &share{}
	s.output.Store(int64(min(4*extent+64<<10, math.MaxInt64/2)))
	s.code.Store(int64(extent) + 1<<16)
	return s
}

// meter is one call's allowance of output bytes: the per-call
// outputBudget for a plain file, the container's shared allowance for an
// entry of a v041 container.
type meter struct {
	left   int64
	shared *atomic.Int64
	names  Budget
}

func (f *File) meter() meter {
	m := meter{names: f.lim.Names}
	if f.share != nil {
		m.shared = &f.share.output
	} else {
		m.left = int64(f.outputBudget())
	}
	return m
}

// take accounts n bytes of decoded output (what the strings cost in
// memory) plus n bytes charged against the shared names budget, and
// reports whether both still hold.
func (m *meter) take(n int) bool {
	if m.shared != nil {
		if m.shared.Add(-int64(n)) < 0 {
			return false
		}
	} else if m.left -= int64(n); m.left < 0 {
		return false
	}
	return m.names == nil || m.names.Take(int64(n))
}

// overhead charges n bytes of bookkeeping (slice headers of a result)
// against the shared names budget only.
func (m *meter) overhead(n int) bool {
	return m.names == nil || m.names.Take(int64(n))
}

// takeCode accounts n code units of decoding against the scan's budget.
func (f *File) takeCode(local *int64, n int64) bool {
	if f.share != nil {
		return f.share.code.Add(-n) >= 0
	}
	*local -= n
	return *local >= 0
}
