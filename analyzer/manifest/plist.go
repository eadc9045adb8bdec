package manifest

import (
	"encoding/binary"
	"errors"
	"fmt"
	"sort"
	"strings"

	"howett.net/plist"
)

// Property lists are what an iOS app says about itself: Info.plist (the
// bundle id, versions, minimum OS, the usage-description keys behind its
// permission prompts), PrivacyInfo.xcprivacy (Apple's privacy manifest)
// and the entitlements in the code signature. They come as XML or as
// binary plists; howett.net/plist reads both. A binary plist is a graph:
// one object can be referenced from many places, so a file of a few
// kilobytes can stand for a tree of billions of nodes, and decoding it
// into Go values walks every path. Before decoding, the object graph is
// checked here: no cycles, and the expanded tree no larger than
// MaxPlistNodes.

// MaxPlistBytes bounds a property list read from an app.
const MaxPlistBytes = 8 << 20

// MaxPlistNodes bounds the values a decoded property list may expand to.
const MaxPlistNodes = 1_000_000

// Errors of the property-list reader.
var (
	ErrPlistTooLarge = errors.New("property list too large")
	ErrPlistGraph    = errors.New("binary property list object graph is invalid")
	ErrPlistExpands  = errors.New("binary property list expands beyond the node limit")
	ErrPlistShape    = errors.New("property list is not a dictionary")
)

// ParsePlist decodes an XML, binary or text property list whose top
// object is a dictionary.
func ParsePlist(b []byte) (map[string]any, error) {
	if len(b) > MaxPlistBytes {
		return nil, fmt.Errorf("manifest: %w: %d bytes, limit %d", ErrPlistTooLarge, len(b), MaxPlistBytes)
	}
	if len(b) >= 8 && string(b[:6]) == "bplist" {
		if err := checkBinaryPlist(b, MaxPlistNodes); err != nil {
			return nil, fmt.Errorf("manifest: %w", err)
		}
	}
	var v any
	if _, err := plist.Unmarshal(b, &v); err != nil {
		return nil, fmt.Errorf("manifest: plist: %w", err)
	}
	m, ok := v.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("manifest: %w (%T)", ErrPlistShape, v)
	}
	return m, nil
}

// checkBinaryPlist walks a bplist00 object table and refuses a graph
// with a cycle, a reference outside the table, or more than limit nodes
// once expanded into a tree.
func checkBinaryPlist(b []byte, limit int) error {
	if len(b) < 40 || string(b[:8]) != "bplist00" {
		// Other versions are refused by the decoder itself.
		return nil
	}
	t := b[len(b)-32:]
	intSize, refSize := int(t[6]), int(t[7])
	n := binary.BigEndian.Uint64(t[8:])
	top := binary.BigEndian.Uint64(t[16:])
	table := binary.BigEndian.Uint64(t[24:])
	end := uint64(len(b) - 32)
	if intSize < 1 || intSize > 8 || refSize < 1 || refSize > 8 || n == 0 || n > end || top >= n ||
		table < 8 || table > end || (end-table)/uint64(intSize) < n {
		return fmt.Errorf("%w: trailer out of range", ErrPlistGraph)
	}
	readUint := func(off uint64, size int) (uint64, bool) {
		if off+uint64(size) > end {
			return 0, false
		}
		var v uint64
		for i := 0; i < size; i++ {
			v = v<<8 | uint64(b[off+uint64(i)])
		}
		return v, true
	}
	// children returns the object references of a container object.
	children := func(i uint64) ([]uint64, error) {
		off, _ := readUint(table+i*uint64(intSize), intSize)
		if off < 8 || off >= table {
			return nil, fmt.Errorf("%w: object %d at offset %d", ErrPlistGraph, i, off)
		}
		marker := b[off]
		kind, info := marker>>4, uint64(marker&0xf)
		if kind != 0xa && kind != 0xc && kind != 0xd {
			return nil, nil
		}
		start := off + 1
		count := info
		if info == 0xf {
			if start >= table || b[start]>>4 != 0x1 {
				return nil, fmt.Errorf("%w: object %d has a bad count", ErrPlistGraph, i)
			}
			size := 1 << (b[start] & 0xf)
			if size > 8 {
				return nil, fmt.Errorf("%w: object %d has a bad count", ErrPlistGraph, i)
			}
			v, ok := readUint(start+1, size)
			if !ok {
				return nil, fmt.Errorf("%w: object %d has a bad count", ErrPlistGraph, i)
			}
			count, start = v, start+1+uint64(size)
		}
		if kind == 0xd {
			if count > end {
				return nil, fmt.Errorf("%w: object %d too long", ErrPlistGraph, i)
			}
			count *= 2
		}
		if count > (table-start)/uint64(refSize) {
			return nil, fmt.Errorf("%w: object %d runs past the object table", ErrPlistGraph, i)
		}
		refs := make([]uint64, count)
		for k := range refs {
			r, _ := readUint(start+uint64(k)*uint64(refSize), refSize)
			if r >= n {
				return nil, fmt.Errorf("%w: object %d refers to object %d of %d", ErrPlistGraph, i, r, n)
			}
			refs[k] = r
		}
		return refs, nil
	}
	// size[i] is the expanded node count of object i (0: not yet known).
	// An explicit stack keeps a deep graph off the goroutine stack.
	size := map[uint64]uint64{}
	onPath := map[uint64]bool{}
	type frame struct {
		obj  uint64
		refs []uint64
		next int
		sum  uint64
	}
	refs, err := children(top)
	if err != nil {
		return err
	}
	stack := []frame{{obj: top, refs: refs, sum: 1}}
	onPath[top] = true
	for len(stack) > 0 {
		f := &stack[len(stack)-1]
		if f.next < len(f.refs) {
			c := f.refs[f.next]
			f.next++
			if s, ok := size[c]; ok {
				f.sum += s
			} else if onPath[c] {
				return fmt.Errorf("%w: object %d contains itself", ErrPlistGraph, c)
			} else {
				refs, err := children(c)
				if err != nil {
					return err
				}
				onPath[c] = true
				stack = append(stack, frame{obj: c, refs: refs, sum: 1})
				continue
			}
			if f.sum > uint64(limit) {
				return fmt.Errorf("%w (%d)", ErrPlistExpands, limit)
			}
			continue
		}
		size[f.obj] = f.sum
		delete(onPath, f.obj)
		done := f.sum
		stack = stack[:len(stack)-1]
		if len(stack) > 0 {
			p := &stack[len(stack)-1]
			p.sum += done
			if p.sum > uint64(limit) {
				return fmt.Errorf("%w (%d)", ErrPlistExpands, limit)
			}
		}
	}
	return nil
}

// PlistString returns the string value of key, "" when it is missing or
// not a string.
func PlistString(m map[string]any, key string) string {
	s, _ := m[key].(string)
	return s
}

// PlistStrings returns the strings of the array at key (other element
// types skipped), or the single string when the value is one.
func PlistStrings(m map[string]any, key string) []string {
	switch v := m[key].(type) {
	case string:
		return []string{v}
	case []any:
		var out []string
		for _, x := range v {
			if s, ok := x.(string); ok {
				out = append(out, s)
			}
		}
		return out
	}
	return nil
}

// PlistBool returns the boolean at key; a string "YES"/"true" counts.
func PlistBool(m map[string]any, key string) bool {
	switch v := m[key].(type) {
	case bool:
		return v
	case string:
		return strings.EqualFold(v, "yes") || strings.EqualFold(v, "true")
	}
	return false
}

// PlistDicts returns the dictionaries of the array at key.
func PlistDicts(m map[string]any, key string) []map[string]any {
	arr, _ := m[key].([]any)
	var out []map[string]any
	for _, x := range arr {
		if d, ok := x.(map[string]any); ok {
			out = append(out, d)
		}
	}
	return out
}

// PlistKeys returns the dictionary's keys, sorted.
func PlistKeys(m map[string]any) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// PlistScalar renders a scalar value for a report ("true", "3", a
// string); containers are summarised by their size.
func PlistScalar(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case bool:
		if x {
			return "true"
		}
		return "false"
	case []any:
		var parts []string
		for _, e := range x {
			if s, ok := e.(string); ok {
				parts = append(parts, s)
			}
		}
		if len(parts) == len(x) {
			return strings.Join(parts, ", ")
		}
		return fmt.Sprintf("(%d items)", len(x))
	case map[string]any:
		return fmt.Sprintf("(%d keys)", len(x))
	case nil:
		return ""
	}
	return fmt.Sprint(v)
}
