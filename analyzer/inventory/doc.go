// Package inventory turns one Android package file into the Inventory: the
// single evidence model every later stage (SDK detection, data-access
// analysis, the audit) reads.
//
// It drives the container, manifest, dex and native stages. A failure that
// leaves nothing to audit (not a zip, no manifest, an undecodable manifest)
// is returned as an error naming the file; a failure that only loses part of
// the evidence (a DEX that does not parse, an unreadable resources.arsc) is
// recorded in the Inventory, whose Status then becomes "incomplete" with the
// reason, so a release gate never mistakes "could not read" for "nothing
// there".
package inventory
