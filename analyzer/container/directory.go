package container

import (
	"bufio"
	"encoding/binary"
	"io"
	"sort"
)

// directory is what the end record declares and what a walk of the
// central directory found, read before archive/zip sees the file.
// archive/zip reads records until one does not parse, whatever count the
// end record gives (it compares only the low 16 bits afterwards), and
// keeps every record in memory: a directory of 12 million records behind
// an end record that declares 2 costs gigabytes before any check of ours
// could run. Walking the records ourselves, without keeping them, bounds
// that first.
type directory struct {
	// endOff is where the end record (or the zip64 end record) is.
	endOff int64
	// declared is the record count the end record gives.
	declared uint64
	// start is where the records are read from: the declared offset plus
	// the base offset archive/zip settles on.
	start int64
	base  int64
	// records is how many records the walk found, stopping one past the
	// limit.
	records int
	// spans are the records' local header offsets and the least extent of
	// their data, in directory order; nil when the walk stopped at the
	// limit.
	spans []span
}

// span is the part of the file one record's local header and data occupy
// at least: the local extra field may make it longer, never shorter.
type span struct {
	lho, end int64
	index    int
}

const (
	endLen       = 22
	end64LocLen  = 20
	end64Len     = 56
	dirHeaderLen = 46
)

// readDirectory finds the end record the way archive/zip does (the last
// signature in the final 1 KiB, then 65 KiB, whose comment fits), applies
// the zip64 end record when the classic one points to it, works out the
// same base offset, and walks the records from there with archive/zip's
// own stopping rule. It reports false when there is no usable end record;
// archive/zip then says what is wrong.
func readDirectory(r io.ReaderAt, size int64, maxEntries int) (*directory, bool) {
	var buf []byte
	endOff := int64(-1)
	for _, n := range []int64{1024, 65 * 1024} {
		n = min(n, size)
		buf = make([]byte, n)
		if _, err := r.ReadAt(buf, size-n); err != nil && err != io.EOF {
			return nil, false
		}
		if p := lastEndSignature(buf); p >= 0 {
			buf, endOff = buf[p:], size-n+int64(p)
			break
		}
		if n == size {
			break
		}
	}
	if endOff < 0 {
		return nil, false
	}
	d := &directory{endOff: endOff}
	count := uint64(binary.LittleEndian.Uint16(buf[10:]))
	dirSize := uint64(binary.LittleEndian.Uint32(buf[12:]))
	dirOff := uint64(binary.LittleEndian.Uint32(buf[16:]))
	// archive/zip looks for zip64 on these values (the size compared with
	// 0xffff, not 0xffffffff, is its own rule, kept so we read what it
	// reads).
	if count == 0xffff || dirSize == 0xffff || dirOff == 0xffffffff {
		if p, ok := zip64End(r, endOff); ok {
			rec := make([]byte, end64Len)
			if _, err := r.ReadAt(rec, p); err != nil || string(rec[:4]) != "PK\x06\x06" {
				return nil, false
			}
			d.endOff = p
			count = binary.LittleEndian.Uint64(rec[32:])
			dirSize = binary.LittleEndian.Uint64(rec[40:])
			dirOff = binary.LittleEndian.Uint64(rec[48:])
		}
	}
	d.declared = count
	if dirSize > 1<<62 || dirOff > 1<<62 {
		return nil, false
	}
	d.base = d.endOff - int64(dirSize) - int64(dirOff)
	if o := d.base + int64(dirOff); o < 0 || o >= size {
		return nil, false
	}
	if d.base > 0 && int64(dirOff) < size {
		if _, ok := parseRecord(bufio.NewReaderSize(io.NewSectionReader(r, int64(dirOff), size-int64(dirOff)), 64<<10), nil); ok {
			d.base = 0
		}
	}
	d.start = d.base + int64(dirOff)
	d.walk(r, size, maxEntries)
	return d, true
}

// lastEndSignature is the offset of the last end record signature in b
// whose comment fits in b, or -1.
func lastEndSignature(b []byte) int {
	for i := len(b) - endLen; i >= 0; i-- {
		if b[i] == 'P' && b[i+1] == 'K' && b[i+2] == 5 && b[i+3] == 6 {
			if n := int(binary.LittleEndian.Uint16(b[i+20:])); i+endLen+n > len(b) {
				return -1
			}
			return i
		}
	}
	return -1
}

// zip64End follows the zip64 locator just before the end record.
func zip64End(r io.ReaderAt, endOff int64) (int64, bool) {
	if endOff < end64LocLen {
		return 0, false
	}
	loc := make([]byte, end64LocLen)
	if _, err := r.ReadAt(loc, endOff-end64LocLen); err != nil {
		return 0, false
	}
	if string(loc[:4]) != "PK\x06\x07" || binary.LittleEndian.Uint32(loc[4:]) != 0 || binary.LittleEndian.Uint32(loc[16:]) != 1 {
		return 0, false
	}
	p := binary.LittleEndian.Uint64(loc[8:])
	if p > 1<<62 {
		return 0, false
	}
	return int64(p), true
}

// walk counts the records from d.start until one does not parse, as
// archive/zip's loop does, stopping one past max so that a directory of
// millions costs no more than max records' worth of reading.
func (d *directory) walk(r io.ReaderAt, size int64, max int) {
	br := bufio.NewReaderSize(io.NewSectionReader(r, d.start, size-d.start), 64<<10)
	// A record is at least 46 bytes, so the bytes after the start bound
	// how many there can be; a lying count cannot size this.
	d.spans = make([]span, 0, min(int64(max)+1, (size-d.start)/dirHeaderLen+1))
	var rec record
	for d.records <= max {
		if _, ok := parseRecord(br, &rec); !ok {
			break
		}
		if d.records < max {
			lho := min(rec.lho+d.base, 1<<62)
			d.spans = append(d.spans, span{lho: lho, end: lho + 30 + int64(rec.nameLen) + int64(min(rec.csize, 1<<62)), index: d.records})
		}
		d.records++
	}
	if d.records > max {
		d.spans = nil
	}
}

// record is what the walk needs of one central directory record.
type record struct {
	lho     int64
	csize   uint64
	nameLen int
}

// parseRecord reads one central directory record from br and reports
// whether archive/zip would accept it: the signature, the variable fields
// all present, and a zip64 extra wherever a 32-bit field says to look
// there. rec may be nil.
func parseRecord(br *bufio.Reader, rec *record) (int, bool) {
	h, err := br.Peek(dirHeaderLen)
	if err != nil || string(h[:4]) != "PK\x01\x02" {
		return 0, false
	}
	csize := uint64(binary.LittleEndian.Uint32(h[20:]))
	usize := uint64(binary.LittleEndian.Uint32(h[24:]))
	n := int(binary.LittleEndian.Uint16(h[28:]))
	m := int(binary.LittleEndian.Uint16(h[30:]))
	k := int(binary.LittleEndian.Uint16(h[32:]))
	lho := uint64(binary.LittleEndian.Uint32(h[42:]))
	if _, err := br.Discard(dirHeaderLen); err != nil {
		return 0, false
	}
	if _, err := br.Discard(n); err != nil {
		return 0, false
	}
	// The extra field is at most 64 KiB; bufio's buffer holds it.
	extra, err := br.Peek(m)
	if err != nil {
		return 0, false
	}
	// The zip64 extra holds, in this order, each 32-bit field that is
	// all ones.
	needU, needC, needO := usize == 0xffffffff, csize == 0xffffffff, lho == 0xffffffff
	for x := extra; len(x) >= 4; {
		tag, sz := binary.LittleEndian.Uint16(x), int(binary.LittleEndian.Uint16(x[2:]))
		x = x[4:]
		if len(x) < sz {
			break
		}
		field := x[:sz]
		x = x[sz:]
		if tag != 0x0001 {
			continue
		}
		next := func() (uint64, bool) {
			if len(field) < 8 {
				return 0, false
			}
			v := binary.LittleEndian.Uint64(field)
			field = field[8:]
			return v, true
		}
		var ok bool
		if needU {
			if usize, ok = next(); !ok {
				return 0, false
			}
			needU = false
		}
		if needC {
			if csize, ok = next(); !ok {
				return 0, false
			}
			needC = false
		}
		if needO {
			if lho, ok = next(); !ok {
				return 0, false
			}
			needO = false
		}
	}
	if needC || needO {
		return 0, false
	}
	if _, err := br.Discard(m); err != nil {
		return 0, false
	}
	if _, err := br.Discard(k); err != nil {
		return 0, false
	}
	if rec != nil {
		rec.lho, rec.csize, rec.nameLen = int64(min(lho, 1<<62)), csize, n
	}
	return dirHeaderLen + n + m + k, true
}

// overlaps lists the records whose local header or data lie inside an
// earlier record's data: the shape of the overlapping-entry zip bombs,
// where many names share one compressed stream.
func (d *directory) overlaps() (count int, first [2]int) {
	s := append([]span(nil), d.spans...)
	sort.SliceStable(s, func(i, j int) bool { return s[i].lho < s[j].lho })
	var far span
	for i, x := range s {
		if i > 0 && x.lho < far.end {
			if count == 0 {
				first = [2]int{far.index, x.index}
			}
			count++
		}
		if i == 0 || x.end > far.end {
			far = x
		}
	}
	return count, first
}
