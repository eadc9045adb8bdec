//go:build !goldmarkeval

package document

// markdownReader is the Markdown reader Read uses: this package's own
// (read_text.go). Built with -tags goldmarkeval, Read uses the goldmark
// based one of read_markdown_goldmark.go instead, which README's design
// notes measure against it.
func markdownReader(src string, lim Limits) ([]Block, []Block, error) {
	return readMarkdown(src, lim)
}
