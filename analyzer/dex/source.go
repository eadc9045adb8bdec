package dex

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"io"
	"sync"
)

// This file holds the only code that touches file bytes. Everything above it
// asks for "n bytes at offset off" and gets either a view or an error, so
// bounds checking lives in one place and later walkers (class_data, code
// items, debug info) reuse it instead of re-deriving it.
//
// Offsets are uint64 internally even though the format stores uint32: sums
// like off+count*itemSize then cannot wrap, which is the classic way a
// "bounds check" on a hostile file passes when it should not.

// The page cache for Open keeps at most numPages*pageSize bytes of the file
// in memory per File, whatever the file claims about itself.
const (
	pageShift = 12
	pageSize  = 1 << pageShift
	numPages  = 32
)

// pageReader is a small LRU cache over an io.ReaderAt, so Open can serve the
// many tiny random reads that table lookups make without a syscall each and
// without holding the file in memory.
type pageReader struct {
	r   io.ReaderAt
	end uint64

	mu    sync.Mutex
	tick  uint64
	pages [numPages]cachedPage
}

type cachedPage struct {
	key  uint64 // page index + 1; 0 means empty
	n    int
	used uint64
	buf  []byte
}

// readAt fills dst from [off, off+len(dst)). The caller has already checked
// the range against end.
func (p *pageReader) readAt(dst []byte, off uint64) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	for len(dst) > 0 {
		pg, err := p.page(off >> pageShift)
		if err != nil {
			return err
		}
		in := int(off & (pageSize - 1))
		if in >= pg.n {
			return io.ErrUnexpectedEOF
		}
		k := copy(dst, pg.buf[in:pg.n])
		dst = dst[k:]
		off += uint64(k)
	}
	return nil
}

func (p *pageReader) page(i uint64) (*cachedPage, error) {
	p.tick++
	victim := &p.pages[0]
	for j := range p.pages {
		c := &p.pages[j]
		if c.key == i+1 {
			c.used = p.tick
			return c, nil
		}
		if c.used < victim.used {
			victim = c
		}
	}
	start := i << pageShift
	if start >= p.end {
		return nil, io.ErrUnexpectedEOF
	}
	n := uint64(pageSize)
	if p.end-start < n {
		n = p.end - start
	}
	if victim.buf == nil {
		victim.buf = make([]byte, pageSize)
	}
	victim.key = 0
	m, err := p.r.ReadAt(victim.buf[:n], int64(start))
	if m <= 0 {
		if err == nil || err == io.EOF {
			err = io.ErrUnexpectedEOF
		}
		return nil, err
	}
	// A short page is kept: the header must stay readable when a caller
	// overstates size, and reads past the short end fail in readAt.
	victim.key, victim.n, victim.used = i+1, min(m, int(n)), p.tick
	return victim, nil
}

// inRange reports whether [off, off+n) lies within the file's extent.
func (f *File) inRange(off, n uint64) bool {
	return off <= f.end && n <= f.end-off
}

// bytesAt returns the n bytes at off. In memory it is a view into the input;
// over a ReaderAt it is scratch (which must hold n bytes) filled by a read.
// n must be small and fixed (an item, not a count from the file): the caller
// owns the scratch and so the allocation.
func (f *File) bytesAt(off uint64, n int, scratch []byte, what string) ([]byte, error) {
	if !f.inRange(off, uint64(n)) {
		return nil, ferr(off, what, ErrOutOfBounds)
	}
	if f.pr == nil {
		return f.data[off : off+uint64(n) : off+uint64(n)], nil
	}
	b := scratch[:n]
	if err := f.pr.readAt(b, off); err != nil {
		return nil, ferr(off, what, fmt.Errorf("%w: %w", ErrTruncated, err))
	}
	return b, nil
}

func (f *File) readU16(off uint64, what string) (uint16, error) {
	var s [2]byte
	b, err := f.bytesAt(off, 2, s[:], what)
	if err != nil {
		return 0, err
	}
	return binary.LittleEndian.Uint16(b), nil
}

func (f *File) readU32(off uint64, what string) (uint32, error) {
	var s [4]byte
	b, err := f.bytesAt(off, 4, s[:], what)
	if err != nil {
		return 0, err
	}
	return binary.LittleEndian.Uint32(b), nil
}

// maxLEB128 is the longest LEB128 the format allows: five bytes carry 35
// payload bits, enough for the 32-bit values DEX stores.
const maxLEB128 = 5

// leb128Bytes returns up to five bytes at off, fewer only at the end of the
// file, so a LEB128 can be decoded without knowing its length first.
func (f *File) leb128Bytes(off uint64, scratch *[maxLEB128]byte, what string) ([]byte, error) {
	if off >= f.end {
		return nil, ferr(off, what, ErrOutOfBounds)
	}
	n := uint64(maxLEB128)
	if f.end-off < n {
		n = f.end - off
	}
	return f.bytesAt(off, int(n), scratch[:], what)
}

// readULEB128 decodes an unsigned LEB128 at off and returns it with the
// offset just past it. Like ART, bits above 32 in a fifth byte are dropped;
// a fifth byte with its continuation bit set is an error because a decoder
// that kept going would read arbitrarily far.
func (f *File) readULEB128(off uint64, what string) (uint32, uint64, error) {
	var s [maxLEB128]byte
	b, err := f.leb128Bytes(off, &s, what)
	if err != nil {
		return 0, off, err
	}
	v, n, ok := decodeULEB128(b)
	if !ok {
		return 0, off, ferr(off, what, ErrLEB128)
	}
	return v, off + uint64(n), nil
}

// readSLEB128 decodes a signed LEB128 (used by encoded_value, debug_info and
// try/catch handlers).
func (f *File) readSLEB128(off uint64, what string) (int32, uint64, error) {
	var s [maxLEB128]byte
	b, err := f.leb128Bytes(off, &s, what)
	if err != nil {
		return 0, off, err
	}
	v, n, ok := decodeSLEB128(b)
	if !ok {
		return 0, off, ferr(off, what, ErrLEB128)
	}
	return v, off + uint64(n), nil
}

// readULEB128p1 decodes uleb128p1, where the stored value is one more than
// the real one so that NoIndex (-1) fits in a single byte.
func (f *File) readULEB128p1(off uint64, what string) (int32, uint64, error) {
	v, next, err := f.readULEB128(off, what)
	return int32(v - 1), next, err
}

// decodeULEB128 decodes from b, which holds at most five bytes.
func decodeULEB128(b []byte) (v uint32, n int, ok bool) {
	var shift uint
	for i, c := range b {
		if i == maxLEB128 {
			break
		}
		v |= uint32(c&0x7f) << shift
		if c < 0x80 {
			return v, i + 1, true
		}
		shift += 7
	}
	return 0, 0, false
}

func decodeSLEB128(b []byte) (v int32, n int, ok bool) {
	var r uint32
	var shift uint
	for i, c := range b {
		if i == maxLEB128 {
			break
		}
		r |= uint32(c&0x7f) << shift
		shift += 7
		if c < 0x80 {
			if shift < 32 && c&0x40 != 0 {
				r |= ^uint32(0) << shift
			}
			return int32(r), i + 1, true
		}
	}
	return 0, 0, false
}

// stringChunk is how much of a string Open reads per round trip: descriptors
// and names are nearly always shorter, so one read usually suffices.
const stringChunk = 256

// rawString returns the MUTF-8 bytes (without the terminating NUL) of the
// string_data_item at off, and whether they are all ASCII. The utf16_size
// prefix is skipped, not trusted: Android reads up to the NUL too. In
// memory the result is a view; over a ReaderAt it is built in *buf, which
// the caller may reuse across calls. Either way at most MaxStringLen bytes
// are examined.
func (f *File) rawString(off uint64, buf *[]byte) ([]byte, bool, error) {
	const what = "string data"
	var p uint64
	if f.pr == nil && off < f.end && f.data[off] < 0x80 {
		// One-byte utf16_size: the common case, decoded inline.
		p = off + 1
	} else {
		var err error
		if _, p, err = f.readULEB128(off, what); err != nil {
			return nil, false, err
		}
	}
	maxLen := uint64(f.lim.MaxStringLen)
	avail := f.end - p // p <= f.end: the LEB128 ended inside the file
	limit := avail
	if limit > maxLen+1 {
		limit = maxLen + 1 // room for the NUL after a maximal string
	}
	if f.pr == nil {
		s := f.data[p : p+limit]
		i := bytes.IndexByte(s, 0)
		if i < 0 {
			return nil, false, f.stringEndErr(off, avail, maxLen)
		}
		s = s[:i:i]
		return s, isASCII(s), nil
	}
	out := (*buf)[:0]
	var chunk [stringChunk]byte
	for q := uint64(0); q < limit; {
		k := limit - q
		if k > stringChunk {
			k = stringChunk
		}
		c := chunk[:k]
		if err := f.pr.readAt(c, p+q); err != nil {
			return nil, false, ferr(p+q, what, fmt.Errorf("%w: %w", ErrTruncated, err))
		}
		if i := bytes.IndexByte(c, 0); i >= 0 {
			out = append(out, c[:i]...)
			*buf = out
			return out, isASCII(out), nil
		}
		// Growth follows bytes actually read, never a length from the file.
		out = append(out, c...)
		q += k
	}
	*buf = out
	return nil, false, f.stringEndErr(off, avail, maxLen)
}

func (f *File) stringEndErr(off, avail, maxLen uint64) error {
	if avail > maxLen {
		return ferr(off, "string data", fmt.Errorf("%w: longer than %d bytes: %w", ErrString, maxLen, ErrTooLarge))
	}
	return ferr(off, "string data", ErrString)
}

// isASCII reports whether every byte is below 0x80, eight at a time.
func isASCII(s []byte) bool {
	for len(s) >= 8 {
		if binary.LittleEndian.Uint64(s)&0x8080808080808080 != 0 {
			return false
		}
		s = s[8:]
	}
	for _, c := range s {
		if c >= 0x80 {
			return false
		}
	}
	return true
}

// cursor reads a sequence of variable-length fields (class_data_item,
// encoded arrays, debug info) with a sticky error, so a walker can decode a
// whole record and check err once. After an error every read returns zero
// and the offset stops moving.
type cursor struct {
	f   *File
	off uint64
	err error
}

func (c *cursor) uleb(what string) uint32 {
	if c.err != nil {
		return 0
	}
	v, next, err := c.f.readULEB128(c.off, what)
	c.off, c.err = next, err
	return v
}

func (c *cursor) sleb(what string) int32 {
	if c.err != nil {
		return 0
	}
	v, next, err := c.f.readSLEB128(c.off, what)
	c.off, c.err = next, err
	return v
}

func (c *cursor) u16(what string) uint16 {
	if c.err != nil {
		return 0
	}
	v, err := c.f.readU16(c.off, what)
	if err == nil {
		c.off += 2
	}
	c.err = err
	return v
}

func (c *cursor) u32(what string) uint32 {
	if c.err != nil {
		return 0
	}
	v, err := c.f.readU32(c.off, what)
	if err == nil {
		c.off += 4
	}
	c.err = err
	return v
}

// need fails the cursor unless n items of size bytes each remain, which is
// how a walker checks a count from the file before allocating for it.
func (c *cursor) need(n, size uint64, what string) bool {
	if c.err != nil {
		return false
	}
	if size != 0 && n > (c.f.end-min(c.off, c.f.end))/size {
		c.err = ferr(c.off, what, ErrOutOfBounds)
		return false
	}
	return true
}
