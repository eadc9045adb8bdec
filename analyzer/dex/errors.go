package dex

import (
	"errors"
	"fmt"
	"strings"
)

// Sentinel errors. Every error this package returns is a *FormatError whose
// Err is (or wraps) one of these, so callers can both locate the problem
// (errors.As) and classify it (errors.Is).
var (
	// ErrNotDex means the magic is not a standard DEX magic (this includes
	// compact dex and optimised odex, which are device-local artefacts and
	// never appear inside an APK).
	ErrNotDex = errors.New("dex: not a dex file")
	// ErrVersion means the magic is well formed but names a version outside
	// 035..041.
	ErrVersion = errors.New("dex: unsupported dex version")
	// ErrByteOrder means the endian tag is the reverse-endian constant (a
	// big-endian file, which the format allows in theory but no tool
	// produces) or garbage.
	ErrByteOrder = errors.New("dex: unsupported byte order")
	// ErrTruncated means a structure runs past the end of the bytes we have.
	ErrTruncated = errors.New("dex: truncated")
	// ErrOutOfBounds means an offset or offset+size points outside the file.
	ErrOutOfBounds = errors.New("dex: out of bounds")
	// ErrTooLarge means a size exceeds a configured Limits bound.
	ErrTooLarge = errors.New("dex: exceeds limit")
	// ErrOverlap means two sections claim the same bytes.
	ErrOverlap = errors.New("dex: overlapping sections")
	// ErrIndex means an index (from the file or from the caller) is not
	// below the size of the table it indexes.
	ErrIndex = errors.New("dex: index out of range")
	// ErrLEB128 means a LEB128 value runs past five bytes or past the file.
	ErrLEB128 = errors.New("dex: malformed leb128")
	// ErrString means string data is not NUL-terminated within the file or
	// within Limits.MaxStringLen.
	ErrString = errors.New("dex: unterminated string")
	// ErrInvalid covers header fields and items with impossible values.
	ErrInvalid = errors.New("dex: invalid value")
	// ErrUnsorted means a table the format requires to be sorted and
	// duplicate-free is not (reported by Validate only).
	ErrUnsorted = errors.New("dex: not sorted")
	// ErrMap means the map_list disagrees with the header or itself
	// (reported by Validate and MapList).
	ErrMap = errors.New("dex: inconsistent map")
)

// FormatError locates a problem in a DEX file.
type FormatError struct {
	// Offset is the byte offset, from the start of the file (container for
	// v041), of the structure at fault.
	Offset int64
	// What names the structure, e.g. "string_ids table" or "string data".
	What string
	// Err is one of the package's sentinel errors or an I/O error.
	Err error
}

func (e *FormatError) Error() string {
	msg := "<nil>"
	if e.Err != nil {
		// The sentinels carry the "dex: " prefix so they read well on their
		// own; inside a FormatError it would be said twice.
		msg = strings.TrimPrefix(e.Err.Error(), "dex: ")
	}
	return fmt.Sprintf("dex: %s at offset %#x: %s", e.What, e.Offset, msg)
}

func (e *FormatError) Unwrap() error { return e.Err }

func ferr(off uint64, what string, err error) *FormatError {
	return &FormatError{Offset: int64(off), What: what, Err: err}
}
