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
//
// What one app may hold is bounded per app, whatever its files repeat: its
// class and call-site names by DefaultNames, its manifests' text by
// manifest.DefaultText, both shared by all its parts and DEX files. What a
// process holds across apps is bounded by Options.Memory, which every DEX
// read waits for before inflating.
//
// An iOS app archive (.ipa) gets the same Inventory with Platform "ios":
// its Info.plist fills the shared fields (bundle id as Package, versions,
// usage-description keys as Permissions) and IOS holds the rest: the
// Mach-O files of the app, its extensions and frameworks, the privacy
// manifests attributed to the app or the framework shipping each, and
// resource bundles.
package inventory
