// Package audit compares an app (its inventory and detected SDKs) with what
// its privacy policy declares, both ways, and produces findings: SDKs and
// permissions the app has but the policy never discloses, declarations the
// app no longer needs, per-SDK data the policy leaves out, third parties no
// rule knows, and analysis that could not be completed.
//
// Each check is a documented value in the Checks list — stable rule id,
// kind, default severity, title and explanation — so that `sdkaudit
// explain`, docs/findings.md and SARIF rule help all come from one record.
// Run is a pure function of its input; waivers are applied afterwards and
// leave suppressed findings in the result, marked, so that machine-readable
// reports keep them.
//
// For an iOS app the same checks run with the platform in mind (Android-only
// data left out of an SDK's typical data, Android-only permission rows not
// stale), and four more compare Info.plist and privacy manifests with the
// policy: usage-description keys, tracking, manifest-declared data, and
// SDKs on Apple's list shipped without their manifest.
package audit
