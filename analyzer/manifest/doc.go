// Package manifest decodes an APK's binary AndroidManifest.xml, resolving
// resource references through resources.arsc, into sdkaudit's own Manifest
// struct.
//
// The binary XML and resource-table decoding is done by
// github.com/avast/apkparser, chosen over androidbinary because it survived
// fuzzing here and, like Android itself, names attributes by resource ID, so
// manifests whose attribute-name strings were stripped by a packer still
// decode. apkparser is deliberately lenient: a truncated file can come back
// as a short document with no error. This package therefore builds its own
// element tree from the token stream, caps its size and depth, and rejects a
// document that is empty, unbalanced or not rooted at <manifest> instead of
// returning an empty success.
//
// Each document is decoded once, without the resource table. A walk over
// its chunks (shape.go) first finds which attributes hold references and
// what apkparser will copy or scan of attribute names; the references the
// Manifest uses are then resolved, each distinct one once and a bounded
// number of them, so a value can report both its resolved text and the
// raw reference. apkparser is never handed the table: its own resolution
// follows icon references through up to 1 024 steps inside the decoder.
//
// Memory is bounded per result, not only per field: every string the
// Manifest holds is charged to a text budget per occurrence (Limits.Text,
// shared by an app's documents), because a name repeated by thousands of
// elements costs that many copies in every report, and the copies the
// builder itself makes (a qualified ".Name", a split authority list) are
// charged before they are made.
//
// ParseProto reads the other form a manifest ships in: the aapt2 protobuf
// XmlNode of an Android App Bundle (base/manifest/AndroidManifest.xml). It
// is a hand-written walker over protowire rather than generated code,
// because only about ten fields of three messages matter and a walker can
// check every length against the bytes and cap nesting, as the rest of the
// package does for hostile files. It builds the same element tree as the
// binary path, formatting typed values the way apkparser formats the
// Res_value aapt2 would flatten them to, so both paths yield identical
// Manifests. A known field with the wrong wire type is an error rather than
// an unknown field: a manifest that reads differently to different parsers
// is itself a finding.
//
// For iOS apps, ParsePlist reads property lists (Info.plist, privacy
// manifests, entitlements) in XML, binary or text form with
// howett.net/plist, after walking a binary plist's object graph to refuse
// cycles and graphs that would expand past MaxPlistNodes.
package manifest
