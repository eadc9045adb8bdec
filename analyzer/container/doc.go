// Package container opens an Android package file and gives the later stages
// bounded access to its entries.
//
// It is the first stage of sdkaudit's pipeline. The zip is read through
// archive/zip over an io.ReaderAt, with klauspost/compress's inflater
// registered because it inflates DEX files noticeably faster than the
// standard library. Everything an entry can make us allocate or inflate is
// capped by Limits and enforced while reading, not trusted from the headers,
// so a zip bomb or a lying size ends in a typed error instead of exhausting
// memory.
//
// The package accepts the same malformed-but-installable shapes that
// Android's own zip code accepts: bytes prepended before the archive (the
// Janus trick), garbage between the central directory and its end record,
// control characters in entry names, long archive comments, and entries with
// an unsupported compression method as long as nobody needs to read them.
// Oddities that matter to an auditor (a prefix, duplicate names) are recorded
// as Notes on the Archive rather than silently normalised.
package container
