//go:build goldmarkeval

package document

import (
	"os"
	"path/filepath"
	"testing"
)

// markdownCorpus is the team's Markdown policies and, when present, the
// real ones kept out of the repository (fixtures/policies/real/local).
func markdownCorpus(b *testing.B) []string {
	var files []string
	for _, pat := range []string{
		filepath.Join("..", "policy", "testdata", "policies", "*.md"),
		filepath.Join("..", "..", "fixtures", "policies", "real", "local", "*.md"),
	} {
		m, _ := filepath.Glob(pat)
		files = append(files, m...)
	}
	var docs []string
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			b.Fatal(err)
		}
		docs = append(docs, sanitize(string(data)))
	}
	b.Logf("%d Markdown policies", len(docs))
	return docs
}

func benchMarkdown(b *testing.B, read func(string, Limits) ([]Block, []Block, error)) {
	docs := markdownCorpus(b)
	n := 0
	for _, d := range docs {
		n += len(d)
	}
	lim := Limits{}.withDefaults()
	b.SetBytes(int64(n))
	b.ReportAllocs()
	for b.Loop() {
		for _, d := range docs {
			if _, _, err := read(d, lim); err != nil {
				b.Fatal(err)
			}
		}
	}
}

// go test -tags goldmarkeval -run '^$' -bench Markdown ./analyzer/document/
func BenchmarkMarkdownOwn(b *testing.B)      { benchMarkdown(b, readMarkdown) }
func BenchmarkMarkdownGoldmark(b *testing.B) { benchMarkdown(b, readMarkdownGoldmark) }
