// Package detect identifies the third-party SDKs and libraries in an
// inventory using the rule database.
//
// Detection is a pure function of (inventory, rules). The rules are compiled
// once into an Index: DEX prefixes go into a map keyed by package path, and
// each distinct package of the app is looked up from its longest prefix
// down, so the most specific rule wins (com.tencent.bugly over a broader
// Tencent entry) and the cost grows with the number of packages, not with
// classes × rules. Manifest, native-library, asset and permission markers
// are matched exactly or with simple globs.
//
// Evidence is weighed before it is counted: an SDK is present only on its
// own code (two or more real classes under its prefixes; resource stubs and
// exception types do not count), a manifest component, registrar meta-data,
// a native library or an asset. A lone class, configuration meta-data and a
// permission alone are traces (Result.Traces, with the reason), never
// detections. A rule may name anchors, entry classes or Maven artefacts,
// when other artefacts ship classes under its packages; its code evidence
// then counts only with one of them present.
//
// Evidence of every kind is kept with where it was seen, and fused into a
// confidence: two kinds of evidence agreeing, or a specific component or
// meta-data marker, is high; a DEX prefix alone is medium; anything weaker
// is low.
//
// An iOS app is matched on the rules' iOS signatures: embedded and linked
// frameworks, class names per Mach-O file, Info.plist keys and resources.
// Its code counts as read only when no Mach-O file is encrypted or
// unreadable, which decides whether configuration markers count.
package detect
