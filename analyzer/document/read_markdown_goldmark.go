//go:build goldmarkeval

package document

import (
	"bytes"
	"fmt"
	"sort"
	"strings"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	east "github.com/yuin/goldmark/extension/ast"
	"github.com/yuin/goldmark/text"
)

// markdownReader, built with -tags goldmarkeval, is goldmark's.
func markdownReader(src string, lim Limits) ([]Block, []Block, error) {
	return readMarkdownGoldmark(src, lim)
}

// readMarkdownGoldmark is readMarkdown with goldmark (CommonMark plus GFM
// tables) doing the block and inline parsing; the blocks it makes, the
// hidden-text handling (HTML blocks through the HTML reader, inline
// elements through the inline parser's tag handling) and the line
// numbers follow readMarkdown. It exists to measure the two readers
// against each other (see README, Design notes).
func readMarkdownGoldmark(src string, lim Limits) ([]Block, []Block, error) {
	lines := strings.Split(src, "\n")
	if n := frontMatter(lines); n > 0 {
		for i := range n {
			lines[i] = ""
		}
		src = strings.Join(lines, "\n")
	}
	source := []byte(src)
	starts := []int{0}
	for i, c := range source {
		if c == '\n' {
			starts = append(starts, i+1)
		}
	}
	lineOf := func(off int) int { return sort.SearchInts(starts, off+1) }
	md := goldmark.New(goldmark.WithExtensions(extension.Table))
	doc := md.Parser().Parse(text.NewReader(source))
	g := &gmReader{m: &mdReader{lim: lim, sheet: mdSheet(src)}, src: source, lineOf: lineOf}
	if err := g.blocks(doc); err != nil {
		return nil, nil, err
	}
	m := g.m
	if !m.anyHidden {
		m.hidden = nil
	}
	return m.blocks, m.hidden, nil
}

type gmReader struct {
	m      *mdReader
	src    []byte
	lineOf func(int) int
}

func (g *gmReader) firstLine(n ast.Node) int {
	if n.Type() == ast.TypeBlock && n.Lines().Len() > 0 {
		return g.lineOf(n.Lines().At(0).Start)
	}
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		if t, ok := c.(*ast.Text); ok {
			return g.lineOf(t.Segment.Start)
		}
		if l := g.firstLine(c); l > 0 {
			return l
		}
	}
	return 0
}

func (g *gmReader) blocks(n ast.Node) error {
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		switch c := c.(type) {
		case *ast.Heading:
			g.m.tableIdx, g.m.htableIdx = 0, 0
			g.emit(c, c.Level)
		case *ast.Paragraph, *ast.TextBlock:
			g.emit(c, 0)
		case *ast.FencedCodeBlock, *ast.CodeBlock:
			ls := c.Lines()
			for i := range ls.Len() {
				seg := ls.At(i)
				if t := collapseSpace(string(seg.Value(g.src))); t != "" {
					g.m.add(Block{Line: g.lineOf(seg.Start), Text: t}, reasonNone)
				}
			}
		case *ast.HTMLBlock:
			if c.HTMLBlockType == ast.HTMLBlockType1 {
				var b bytes.Buffer
				for i := range c.Lines().Len() {
					seg := c.Lines().At(i)
					b.Write(seg.Value(g.src))
				}
				if low := bytes.ToLower(b.Bytes()); bytes.Contains(low, []byte("<script")) || bytes.Contains(low, []byte("<style")) {
					continue
				}
			}
			var b bytes.Buffer
			for i := range c.Lines().Len() {
				seg := c.Lines().At(i)
				b.Write(seg.Value(g.src))
			}
			if c.HasClosure() {
				b.Write(c.ClosureLine.Value(g.src))
			}
			if c.Lines().Len() == 0 {
				continue
			}
			if err := g.m.html(strings.TrimRight(b.String(), "\n"), g.lineOf(c.Lines().At(0).Start)); err != nil {
				return err
			}
		case *east.Table:
			g.m.tableIdx, g.m.htableIdx = 0, 0
			for r := c.FirstChild(); r != nil; r = r.NextSibling() {
				if err := g.row(r, r.Kind() == east.KindTableHeader); err != nil {
					return err
				}
			}
		case *ast.ThematicBreak, *ast.LinkReferenceDefinition:
		default:
			if err := g.blocks(c); err != nil {
				return err
			}
		}
	}
	return nil
}

// inline renders inline nodes to text with hidden-text marks.
func (g *gmReader) inline(n ast.Node) (string, hideReason) {
	p := &inlineParser{sheet: g.m.sheet}
	p.tagEnd.set = "<>"
	g.walkInline(p, n)
	if len(p.hiding) > 0 {
		p.out = append(p.out, hideClose)
	}
	return string(p.out), p.why
}

func (g *gmReader) walkInline(p *inlineParser, n ast.Node) {
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		switch c := c.(type) {
		case *ast.Text:
			p.out = append(p.out, c.Segment.Value(g.src)...)
			if c.SoftLineBreak() || c.HardLineBreak() {
				p.out = append(p.out, '\n')
			}
		case *ast.String:
			p.out = append(p.out, c.Value...)
		case *ast.AutoLink:
			p.out = append(p.out, c.URL(g.src)...)
		case *ast.Link:
			start := len(p.out)
			g.walkInline(p, c)
			if url := string(c.Destination); url != "" && !showsURL(string(p.out[start:]), url) {
				p.out = append(p.out, " ("...)
				p.out = append(p.out, url...)
				p.out = append(p.out, ')')
			}
		case *ast.RawHTML:
			var b bytes.Buffer
			for i := range c.Segments.Len() {
				seg := c.Segments.At(i)
				b.Write(seg.Value(g.src))
			}
			raw := b.String()
			if strings.HasPrefix(raw, "<!--") {
				continue
			}
			p.s, p.tagEnd = raw, nextFinder{set: "<>"}
			p.tag(0)
		default:
			g.walkInline(p, c)
		}
	}
}

func (g *gmReader) emit(n ast.Node, heading int) {
	m := g.m
	line := g.firstLine(n)
	text, why := g.inline(n)
	if why == 0 || m.carryWhy != 0 {
		if text = collapseSpace(text); text != "" {
			m.add(Block{Line: line, Text: text, Heading: heading}, reasonNone)
		}
		return
	}
	if shown := collapseSpace(string(stripHidden([]byte(text)))); shown != "" {
		m.add(Block{Line: line, Text: shown, Heading: heading}, reasonNone)
	}
	if all := collapseSpace(text); all != "" {
		m.hide(Block{Line: line, Text: all, Heading: heading, Hidden: why.String()})
	}
}

func (g *gmReader) row(r ast.Node, header bool) error {
	m := g.m
	var cells, all []string
	why := m.carryWhy
	ln := 0
	for c := r.FirstChild(); c != nil; c = c.NextSibling() {
		if ln == 0 && c.Lines().Len() > 0 {
			ln = g.lineOf(c.Lines().At(0).Start)
		}
		text, w := g.inline(c)
		if w != 0 && all == nil {
			all = append([]string{}, cells...)
		}
		if why == 0 {
			why = w
		}
		cells = append(cells, collapseSpace(string(stripHidden([]byte(text)))))
		if all != nil {
			all = append(all, collapseSpace(text))
		}
	}
	m.cells += len(cells)
	if m.cells > m.lim.MaxCells {
		return fmt.Errorf("tables have more than %d cells (line %d)", m.lim.MaxCells, ln)
	}
	if m.carryWhy != 0 {
		all, cells = cells, nil
	}
	if !emptyCells(cells) {
		if m.tableIdx == 0 {
			m.tables++
			m.tableIdx = m.tables
		}
		m.add(Block{Line: ln, Text: strings.Join(cells, " | "), Table: m.tableIdx, Cells: cells, Header: header}, reasonNone)
	}
	if all != nil && !emptyCells(all) {
		m.hide(Block{Line: ln, Text: strings.Join(all, " | "), Table: 1, Cells: all, Header: header, Hidden: why.String()})
	}
	return nil
}
