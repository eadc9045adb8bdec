// Package aab builds Android App Bundle fixtures for tests from APKs.
//
// Debian ships no bundletool, so tests that need an .aab make one from the
// project's own fixture APKs: the binary manifest is re-encoded as the
// protobuf XmlNode aapt2 writes, and the APK's files move to the module
// folders bundletool uses (manifest/, dex/, lib/, assets/, res/, root/).
// Resources are not converted: no resources.pb is written, so manifest
// references stay unresolved in a bundle made here.
//
// The output is deterministic: entries are sorted and carry a fixed time.
package aab
