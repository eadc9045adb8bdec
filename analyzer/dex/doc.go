// Package dex reads Dalvik executable (.dex) files: the header, the id
// tables (strings, types, prototypes, fields, methods), class definitions and
// the map list, for sdkaudit's class inventory.
//
// # Why in-house
//
// There is no well-maintained Go DEX library, and the ones that exist trust
// the file: counts and offsets from the header go straight into make() and
// slice expressions. A 1.7 KB crafted file makes csnewman/dextk allocate
// between 4 and 32 GiB. sdkaudit reads APKs that are hostile by assumption
// (packers, malware, fuzzers), so this package is written to one rule: no
// count or offset from the file is used before it has been checked, with
// 64-bit arithmetic, against the bytes that are actually there. Every
// allocation is therefore bounded by the size of the input (or, for Open,
// by a fixed page cache), and no input makes the package panic.
//
// # Model
//
// Parse works over a byte slice without copying it; Open works over an
// io.ReaderAt through a small page cache. Both check the header and the
// bounds of every id table and then stop: strings and items are decoded
// only when asked for. ClassDescriptors is the hot path (a large app has
// 150k classes) and decodes straight from the input into one buffer.
// Strings are Modified UTF-8 and come back as Go UTF-8; malformed bytes
// become U+FFFD rather than errors, so one odd string cannot hide a file.
//
// All errors are *FormatError values carrying the offset of the fault and
// wrapping a sentinel (ErrNotDex, ErrTruncated, ErrOutOfBounds, ...).
// Validate is an optional deeper check (map list, alignment, sort order,
// index ranges) for callers that want to flag malformed files.
//
// Versions 035 to 041 are accepted. 036 was never issued by Android but has
// the 035 layout, so it is read rather than rejected. In a 041 container
// (several dex files in one classes.dex, as current build tools write it)
// the header's offsets are relative to the container start, file_size is
// the size of one entry and the next header follows it; as in libdexfile,
// each header must be 0x78 bytes, say where it is (header_offset) and agree
// on container_size. Parse and Open return the first entry; ParseAll walks
// every entry and, when one is broken, returns those before it with the
// error. The entries of a container share one output and one decode
// budget, since they may all point at the same data. Compact dex (cdex) and optimised dex (dey) are device-local formats
// that never ship in an APK and are rejected as ErrNotDex. Big-endian files
// are rejected with ErrByteOrder.
//
// # Extending
//
// All access to file bytes goes through source.go, which later walkers
// (class_data_item, code_item, an instruction decoder, debug info, encoded
// values) should reuse rather than index the input themselves:
//
//   - (*File).bytesAt(off, n, scratch, what) returns n bytes at off, bounds
//     checked; a view for Parse, a copy into scratch for Open.
//   - readU16, readU32, readULEB128, readSLEB128 and readULEB128p1 decode one
//     value and return the offset after it (the LEB128 readers reject a
//     sixth byte, so an unterminated LEB128 cannot run on).
//   - cursor wraps those with a sticky error for decoding records field by
//     field, and cursor.need(count, itemSize) is the check to make before
//     allocating for a count read from the file.
//   - outputBudget bounds the total size of strings one call may return, so
//     many items naming one long string cannot amplify a small file; a
//     meter draws from it (or from a container's shared budget) and from
//     Limits.Names, a Budget that several files (one app's) share.
//   - ClassList lists each class once and ScanRefs decodes each class,
//     name and prototype of its reported sites once: results are bounded
//     by what the file holds, not by how often it repeats it.
//   - ScanRefsCalls also fills a Calls (calls.go), the app-wide call
//     summary analyzer/callgraph reads: per class its supertypes and per
//     method what it invokes, instantiates, initialises and names, with
//     types, names and prototypes interned once per app and per-file
//     caches sized by the file's own id tables.
//
// Offsets are uint64 inside the package so that off+count*size cannot wrap.
package dex
