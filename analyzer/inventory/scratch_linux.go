package inventory

import "syscall"

// hugeThreshold is the buffer size from which mapping with huge pages pays
// for the system calls: below 2 MiB a huge page cannot be used anyway.
const hugeThreshold = 4 << 20

// mapBuffer maps an anonymous region of at least n bytes and asks for
// transparent huge pages: one fault per 2 MiB instead of 512. It reports
// false when the buffer is small or the mapping fails; the caller then
// uses the Go heap.
func mapBuffer(n int) ([]byte, func(), bool) {
	if n < hugeThreshold {
		return nil, nil, false
	}
	size := (n + 2<<20 - 1) &^ (2<<20 - 1)
	b, err := syscall.Mmap(-1, 0, size, syscall.PROT_READ|syscall.PROT_WRITE, syscall.MAP_ANON|syscall.MAP_PRIVATE)
	if err != nil {
		return nil, nil, false
	}
	// A kernel without THP, or with it off, refuses the advice; the
	// mapping still works with small pages.
	_ = syscall.Madvise(b, syscall.MADV_HUGEPAGE)
	return b[:0:n], func() { _ = syscall.Munmap(b) }, true
}
