// Package hostile builds the malformed inputs the robustness tests feed to
// the readers: DEX files (including v041 containers) whose tables share
// strings, binary XML whose attributes share names, resource tables with
// reference cycles, and zips of them.
//
// The builders are small and explicit: a test says which string each table
// entry points at, so it can make many items share one long string (the
// amplification shapes no compiler emits) as easily as a normal file. They
// are used only by tests, but live outside _test.go files so that the dex,
// manifest and inventory tests share one writer instead of three.
//
// Nothing here validates: a builder writes what it is told, including
// indices out of range.
package hostile
