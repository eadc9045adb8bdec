// Package container opens an Android package file and gives the later stages
// bounded access to its entries.
//
// It is the first stage of sdkaudit's pipeline. The end record and the
// central directory are walked here first, without keeping the records, so
// a directory of millions of records is refused before archive/zip (which
// reads records until one fails to parse, whatever the end record says)
// allocates for them. archive/zip then parses the directory; entry data is
// read by this package, inflated with klauspost/compress's inflater, which
// is noticeably faster on DEX files. Everything an entry can make us
// allocate or inflate is capped by Limits and enforced while reading, not
// trusted from the headers: the ratio is taken on the compressed bytes
// really consumed, and no entry's data may run past the start of the
// central directory (Android refuses such an entry). One budget covers an
// app: the file, the parts of an app set, bundle modules and archives
// nested in them, so records that share bytes cannot multiply the work.
//
// The package accepts the same malformed-but-installable shapes that
// Android's own zip code accepts: bytes prepended before the archive (the
// Janus trick), garbage between the central directory and its end record,
// control characters in entry names, long archive comments, CRCs that do
// not match the data (libziparchive does not check them), and entries with
// an unsupported compression method as long as nobody needs to read them.
// Where Android refuses an entry (a local header or data descriptor that
// contradicts the directory) the directory's record is read and the
// inconsistency reported. Oddities that matter to an auditor (a prefix,
// duplicate names, overlapping entries, an unlisted first entry spanning
// the others, more records than the end record declares) are recorded as
// Notes on the Archive rather than silently normalised.
//
// An iOS app archive (.ipa, Payload/<App>.app/) is recognised by its
// entries like every other format (FormatIPA) and read with the same
// limits and budget.
package container
