// Package rules is sdkaudit's rule database: the curated facts the analyzer
// matches an APK against and the policy reader resolves names with.
//
// The database has five data sets, all YAML files embedded from rules/data:
//
//   - vendors.yaml: companies that ship SDKs, with every legal entity name
//     seen in privacy policies (每日互动股份有限公司, 北京腾云天下科技有限公司, ...).
//   - sdks/*.yaml: SDKs and plain libraries, split by category, each with the
//     names policies use for it, its vendor, and the static signatures (DEX
//     package prefixes, manifest components, meta-data keys, native
//     libraries, assets, custom permissions) that reveal it in an APK.
//   - permissions.yaml: Android permissions with their protection level,
//     history, the words Chinese and English policies use for them, and the
//     personal-information categories they expose.
//   - datacategories.yaml: personal-information categories (imei, oaid,
//     precise-location, installed-apps, ...) that SDKs and permissions refer
//     to, including permission-less data points such as the clipboard.
//   - apis.yaml: code-level reads of personal data — framework and SDK
//     methods, content-URI fields and content:// strings — each mapped to
//     the data categories it reads, the permission it needs and the API
//     levels on which it works.
//
// retired-ids.txt lists ids that were used once and must never be reused,
// and VERSION holds the date-stamped data version. [Version] reports it with
// a content hash of the embedded files.
//
// [Embedded] returns the built-in set. It decodes rules/snapshot.gob, a
// validated copy written by `go generate ./rules`, because parsing the YAML
// costs far more than the rest of a small scan; when the snapshot does not
// match the embedded files it loads and validates the YAML instead.
//
// [Load] reads a directory with the same layout (sdkaudit's --rules DIR),
// which may hold only part of a database; [DB.Merge] lays such a set over the embedded one, replacing
// entries by id, and validates the result. [Validate] runs every
// cross-reference and lint check and returns all problems at once.
//
// Lookups: [DB.SDK], [DB.Vendor], [DB.Permission], [DB.DataCategory] and
// [DB.API] by id; [DB.SDKsByName] and [DB.VendorsByName] by any alias,
// brand or legal name after [NormalizeName]; [DB.SDKByDexClass] by longest
// DEX prefix.
//
// Decoding is strict: an unknown key is an error, and every error names the
// file and, where the YAML decoder knows it, the line and column, on one
// line ([YAMLError]; [Summarize] folds many problems of one input into
// one error). Every YAML file passes [CheckYAML] (size, nesting, tokens,
// no aliases or tags) before go-yaml decodes it, and a set read with
// [Load] is bounded as a whole by [MaxRuleFiles], [MaxRuleSetBytes],
// [MaxRuleSetTokens] and [MaxRules].
//
// The package imports nothing from analyzer/; the analyzer imports it.
// docs/rules.md describes the fields, the category list, the id policy and
// how to add an SDK or an API rule.
package rules
