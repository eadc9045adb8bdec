// Package document reads a privacy policy file — HTML, Markdown or plain
// text, in any encoding Chinese and English policies come in — into a
// Document: an ordered list of blocks (paragraphs, headings, list items
// and table rows), each with the source line an auditor needs to find it.
// It knows nothing of permissions or SDKs; analyzer/policy reads the
// blocks for what they disclose.
//
// Read is the one entry point. It decides the format from the file name
// or the content, decodes the text (byte-order mark, UTF-8, a declared
// charset, GB18030, Windows-1252), and then:
//   - HTML is tokenized into a compact tree of its own that applies the
//     implied end tags real pages depend on, and walked without recursion;
//     tables become rows whose cells have rowspan and colspan expanded, and
//     tables used for page layout are read as ordinary blocks;
//   - Markdown is read line by line for headings, lists, pipe tables and
//     embedded HTML, and inline markup is removed;
//   - plain text is one block a line, with tab-separated rows as tables.
//
// Blocks keep the original characters (only invisible ones are dropped),
// because they are quoted as evidence; matching on a folded copy is the
// extractor's business.
//
// Text a reader of the page never sees (the hidden attribute,
// display:none, white on white, an HTML comment …) is not a disclosure:
// it is left out of Document.Blocks and kept, with the reason, in
// Document.Hidden, so the extractor can warn what it would have declared.
// The CSS needed for that is evaluated here, from inline styles,
// presentational attributes and simple selectors of the page's own
// <style> blocks; anything it cannot evaluate leaves text visible.
//
// A policy is user input, possibly hostile: Limits caps the bytes, HTML
// elements, nesting depth and table cells, and exceeding one is an error,
// never a silently shortened document. Errors name the file and wrap
// ErrEmpty, ErrBinary or ErrNotText where the input is not a policy's
// text at all.
package document
