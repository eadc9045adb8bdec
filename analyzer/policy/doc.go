// Package policy reads a privacy policy — HTML, Markdown or plain text, in
// Chinese or English, often split over a main policy, a third-party SDK
// list (第三方SDK目录) and a permission list (设备权限列表) — and produces a
// Declaration: the permissions, data categories, SDKs, vendors and
// unresolved third parties it discloses, each with the file, line and
// sentence or table row it came from.
//
// Reading is deliberately conservative about what counts as a disclosure.
// A short, generic word (电话, 通知, 文件) declares a permission only in a
// clause that talks about permissions or access; a clause that negates the
// collection (不会申请, 无需获取, "we do not collect") declares nothing; a
// vendor named without a product declares only the vendor's SDKs whose
// category fits the sentence (华为 … 消息推送 is Huawei push, not every HMS
// kit). Names that resolve to no rule are kept as unresolved third parties
// instead of being dropped, because an auditor needs to see them.
// The files are read into blocks by analyzer/document. Text the reader of
// an HTML page never sees (hidden, display:none, white on white, a comment
// …) declares nothing: the reader keeps it apart (Document.Hidden) and the
// extractor warns what it would have declared.
//
// The reader also reads structure and sense: SDK records (a name line and
// 使用目的：… lines) become table rows; permission lists are found without a
// heading; a word with another sense in its clause (短信验证码, calls with
// the service desk: sense.go) declares nothing; negation covers coordinated
// lists, parenthesised "not used" remarks and sections of what is not
// integrated; a brand followed by product words resolves by those words;
// the app's own name and operator, server-side recipients and names used as
// labels (titles, contact channels, identifiers) are kept apart from SDKs.
// Every evidence says which reading produced it (Evidence.Rule).
//
// Matching happens on a folded copy of the text (NFKC, full-width
// punctuation, Traditional to Simplified, case, spacing); evidence always
// quotes the original.
package policy
