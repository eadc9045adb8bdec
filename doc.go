// Package sdkaudit audits an Android or iOS app against its privacy
// policy: the pipeline of the sdkaudit command as a library.
//
// Scan reads one app — APK, AAB, APKS, XAPK, APKM, a split-APK directory
// or an IPA — and returns its inventory (manifest, permissions, components,
// DEX and native code, iOS Info.plist and privacy manifests), the SDKs it
// embeds and the code that reads personal data. Audit compares the app with
// a policy (HTML, Markdown or text documents, or a reviewed declaration
// file) and returns findings with stable rule ids (audit.Checks documents
// them). An Engine shares one compiled rule set among many apps and is safe
// for concurrent use; ScanEach and AuditEach run a batch in order.
//
// The stages are packages of their own under analyzer/, each importing only
// earlier ones: container, manifest, dex, native → inventory → detect,
// dataaccess → policy → audit → report. This package is the last stage
// before the command: it wires them, and cmd/sdkaudit maps flags, the
// configuration file and exit codes onto it. Results render with
// analyzer/report (table, Markdown, HTML, JSON, SARIF, CycloneDX); the
// JSON is analyzer/report/model.
//
// Nothing runs code from the app or uses the network; bad input gives an
// error or an incomplete result, never a crash.
package sdkaudit
