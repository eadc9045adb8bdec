// Package exodus converts a tracker list in the Exodus Privacy API format
// into an sdkaudit rule directory, so a user can bring that database along
// with --rules. The shipped database stays our own curation: imported
// entries are marked low confidence, and where the built-in set already
// claims a package prefix the built-in entry wins.
package exodus
