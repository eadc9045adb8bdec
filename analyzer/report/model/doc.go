// Package model is the published JSON of sdkaudit: the documents `scan`,
// `audit` and `diff` write with --format json and jsonl, and the one
// `policy extract --format json` writes, as types of their own, converted
// from the analysis stages' types. The stages can rename and add fields
// freely; only what is converted here reaches a report, so the contract
// changes only when this package does.
//
// Each document carries a schema_version (ScanSchemaVersion,
// AuditSchemaVersion, DiffSchemaVersion, PolicySchemaVersion) and is
// described by a JSON Schema in docs/. Tests hold the three together: every
// key the model can write is a property of its schema and the reverse,
// every document the tests write validates, and every change to a schema
// file has an entry, with the file's hash, in docs/json-schema-changes.md.
package model
