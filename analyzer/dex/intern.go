package dex

import (
	"bytes"
	"hash/maphash"
)

// strTable interns byte strings for a call summary: the text of every
// string in one arena, ids in the order strings were first added, and an
// open-addressing index of (hash, id) slots. A Go map[string]uint32 costs
// a string header, a separate allocation and a map slot per entry (some
// 120 bytes for a 35-byte descriptor); this costs the text and 12 to 20
// bytes, and looks raw bytes up without converting them.
//
// The hash seed differs per process; ids do not depend on it.
type strTable struct {
	text []byte
	ends []uint32 // id -> end of its text; it starts where id-1 ends
	// slots hold the low 32 bits of a string's hash and its id+1 in the
	// high 32 bits; 0 is empty. len(slots) is a power of two, at most
	// three quarters full (the hash bits spare most comparisons of text).
	slots []uint64
	seed  maphash.Seed
}

func newStrTable() strTable { return strTable{seed: maphash.MakeSeed()} }

// size is the number of strings held.
func (t *strTable) size() int { return len(t.ends) }

// at is string id's text. The arena is only appended to, so the slice
// stays valid, but it must not be modified.
func (t *strTable) at(id uint32) []byte {
	start := uint32(0)
	if id > 0 {
		start = t.ends[id-1]
	}
	return t.text[start:t.ends[id]:t.ends[id]]
}

// find returns the slot index where b is or would go, and its id when
// present.
func (t *strTable) find(b []byte, h uint32) (int, uint32, bool) {
	mask := len(t.slots) - 1
	for i := int(h) & mask; ; i = (i + 1) & mask {
		s := t.slots[i]
		if s == 0 {
			return i, 0, false
		}
		if uint32(s) == h {
			if id := uint32(s>>32) - 1; bytes.Equal(t.at(id), b) {
				return i, id, true
			}
		}
	}
}

// lookup returns b's id, if it was added.
func (t *strTable) lookup(b []byte) (uint32, bool) {
	if len(t.slots) == 0 {
		return 0, false
	}
	_, id, ok := t.find(b, uint32(maphash.Bytes(t.seed, b)))
	return id, ok
}

// add returns b's id, adding a copy of b when it is new; added reports
// whether it was.
func (t *strTable) add(b []byte) (id uint32, added bool) {
	if 4*(len(t.ends)+1) > 3*len(t.slots) {
		t.grow()
	}
	h := uint32(maphash.Bytes(t.seed, b))
	i, id, ok := t.find(b, h)
	if ok {
		return id, false
	}
	id = uint32(len(t.ends))
	t.text = appendDoubling(t.text, b...)
	t.ends = appendDoubling(t.ends, uint32(len(t.text)))
	t.slots[i] = uint64(id+1)<<32 | uint64(h)
	return id, true
}

// reserve sizes the table for n strings of about avg bytes each.
func (t *strTable) reserve(n, avg int) {
	if n <= len(t.ends) {
		return
	}
	t.text = append(make([]byte, 0, n*avg), t.text...)
	t.ends = append(make([]uint32, 0, n), t.ends...)
	for 4*n > 3*len(t.slots) {
		t.grow()
	}
}

func (t *strTable) grow() {
	n := max(2*len(t.slots), 64)
	slots := make([]uint64, n)
	mask := n - 1
	for _, s := range t.slots {
		if s == 0 {
			continue
		}
		i := int(uint32(s)) & mask
		for slots[i] != 0 {
			i = (i + 1) & mask
		}
		slots[i] = s
	}
	t.slots = slots
}

// appendDoubling is append that doubles a full array: append grows large
// slices by a quarter, which for an arena filled string by string
// allocates several times its final size.
func appendDoubling[T any](s []T, v ...T) []T {
	if n := len(s) + len(v); n > cap(s) {
		g := make([]T, len(s), max(2*cap(s), n, 256))
		copy(g, s)
		s = g
	}
	return append(s, v...)
}
