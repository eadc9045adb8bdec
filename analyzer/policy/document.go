package policy

import "github.com/sdkaudit/sdkaudit/analyzer/document"

// The extractor reads what the document reader produces; these names let
// it, and Load's callers, keep speaking of a policy's documents, blocks
// and reading limits.
type (
	Document = document.Document
	Block    = document.Block
	Limits   = document.Limits
)
