package inventory

import "context"

// scratch is one DEX worker's inflate buffer, reused for every file the
// worker reads. Fresh memory costs a page fault per 4 KiB on first touch,
// which on the machines measured here (paravirtualised guests) made up a
// quarter of a small app's scan; reusing one buffer per worker pays that
// once, and large buffers are mapped with transparent huge pages where the
// kernel offers them (see scratch_linux.go).
//
// Nothing read from a scratch buffer may outlive the next get or the
// release: the DEX reader copies every string it returns, and readDex
// keeps only those copies.
//
// A scratch with a Memory holds a share of it while it holds a buffer:
// the DEX weight of its capacity, taken before the buffer is made and
// given back when it is released.
type scratch struct {
	b      []byte
	unmap  func()
	mapped bool

	mem  *Memory
	held int64
}

// get returns a buffer with capacity for at least n bytes, length 0,
// waiting for the memory budget when it must grow.
func (s *scratch) get(ctx context.Context, n int) ([]byte, error) {
	if cap(s.b) >= n {
		return s.b[:0], nil
	}
	s.release()
	held, err := s.mem.Acquire(ctx, dexWeight(n))
	if err != nil {
		return nil, err
	}
	s.held = held
	if b, unmap, ok := mapBuffer(n); ok {
		s.b, s.unmap, s.mapped = b, unmap, true
		return s.b[:0], nil
	}
	s.b = make([]byte, 0, n)
	return s.b, nil
}

// keep records that the reader grew the buffer beyond what get returned
// (a lying size); the grown slice lives on the Go heap.
func (s *scratch) keep(b []byte) {
	if cap(b) > cap(s.b) {
		s.release()
		s.b = b[:0]
	}
}

// release gives the buffer and its share of the memory budget back; the
// scratch can be used again.
func (s *scratch) release() {
	if s.mapped {
		s.unmap()
	}
	s.b, s.unmap, s.mapped = nil, nil, false
	s.mem.Release(s.held)
	s.held = 0
}
