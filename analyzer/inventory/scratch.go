package inventory

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
type scratch struct {
	b      []byte
	unmap  func()
	mapped bool
}

// get returns a buffer with capacity for at least n bytes, length 0.
func (s *scratch) get(n int) []byte {
	if cap(s.b) >= n {
		return s.b[:0]
	}
	s.release()
	if b, unmap, ok := mapBuffer(n); ok {
		s.b, s.unmap, s.mapped = b, unmap, true
		return s.b[:0]
	}
	s.b = make([]byte, 0, n)
	return s.b
}

// keep records that the reader grew the buffer beyond what get returned
// (a lying size); the grown slice lives on the Go heap.
func (s *scratch) keep(b []byte) {
	if cap(b) > cap(s.b) {
		s.release()
		s.b = b[:0]
	}
}

// release gives the buffer back; the scratch can be used again.
func (s *scratch) release() {
	if s.mapped {
		s.unmap()
	}
	s.b, s.unmap, s.mapped = nil, nil, false
}
