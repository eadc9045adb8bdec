package policy

import (
	"bytes"
	"fmt"
	"io"
	"strconv"
	"strings"

	"golang.org/x/net/html"
)

// The HTML reader works in two passes. The first tokenizes into a compact
// tree of its own, counting lines from each token's raw bytes (html.Parse
// keeps no positions) and applying the few implied-end-tag rules real
// pages depend on (unclosed <p>, <li>, <td>, <tr>). The second walks the
// tree without recursion and emits blocks. A tree rather than a stream,
// because whether a table is data or page layout is known only after its
// last cell. Nodes hold no pointers and tags are small integers, so a
// document at the element limit costs tens of megabytes and little GC.

// rdTag identifies an element name. The names with a role of their own
// come first, as constants; other names are numbered as they are met.
type rdTag uint16

const (
	rdTRoot rdTag = iota
	rdTText
	rdTP
	rdTLi
	rdTDd
	rdTDt
	rdTA
	rdTTr
	rdTTd
	rdTTh
	rdTTable
	rdTThead
	rdTTbody
	rdTTfoot
	rdTCaption
	rdTColgroup
	rdTHead
	rdTBody
	rdTHTML
	rdTBr
	rdTB
	rdTStrong
	rdTH1
	rdTH2
	rdTH3
	rdTH4
	rdTH5
	rdTH6
	rdTNamed // number of the constants above
)

var rdNamedTags = [rdTNamed]string{"#root", "#text", "p", "li", "dd", "dt", "a", "tr", "td", "th", "table", "thead", "tbody", "tfoot", "caption", "colgroup", "head", "body", "html", "br", "b", "strong", "h1", "h2", "h3", "h4", "h5", "h6"}

// Flags of the known tags.
const (
	// rdFVoid elements have no content and no end tag.
	rdFVoid uint16 = 1 << iota
	// rdFRaw elements make the tokenizer read their content as text, so
	// they must be opened even when written <script/>.
	rdFRaw
	// rdFIgnored content is code, metadata or form controls, not text.
	rdFIgnored
	// rdFHeadContent may sit in <head>; anything else starts the body.
	rdFHeadContent
	// rdFBlock elements end the block being read (a space in a cell).
	rdFBlock
	// rdFClosesP start tags close an open <p>, as HTML parsers do.
	rdFClosesP
	// rdFButtonScope stops the search for an open <p>.
	rdFButtonScope
	// rdFListStop stops the search for an open <li>, <dd> or <dt>.
	rdFListStop
	// rdFCellStop keeps an end tag from closing elements outside a cell.
	rdFCellStop
)

var (
	rdTagIDs   = map[string]rdTag{}
	rdTagFlags []uint16
)

func init() {
	for i, n := range rdNamedTags {
		rdTagIDs[n] = rdTag(i)
	}
	rdTagFlags = make([]uint16, rdTNamed)
	for _, s := range []struct {
		flag  uint16
		names string
	}{
		{rdFVoid, "area base br col embed hr img input link meta param source track wbr keygen basefont bgsound frame image"},
		{rdFRaw, "script style textarea title xmp iframe noembed noframes noscript plaintext"},
		{rdFIgnored, "script style head noscript template title xml svg math select textarea iframe noembed noframes object applet datalist xmp"},
		{rdFHeadContent, "meta link title style script noscript base template basefont bgsound object xml"},
		{rdFBlock, "p div li h1 h2 h3 h4 h5 h6 tr td th section article blockquote dd dt dl pre table thead tbody tfoot caption ul ol header footer main nav aside figure figcaption address center form fieldset legend details summary hr menu dir hgroup listing plaintext body html dialog search option frameset"},
		{rdFClosesP, "address article aside blockquote center details dialog dir div dl fieldset figcaption figure footer header hgroup main menu nav ol p search section summary ul h1 h2 h3 h4 h5 h6 pre listing form plaintext table hr xmp li dd dt"},
		{rdFButtonScope, "td th table caption html template button object marquee applet"},
		{rdFListStop, "ul ol dl menu dir table td th caption blockquote section article body html template"},
		{rdFCellStop, "td th table caption"},
	} {
		for _, n := range strings.Fields(s.names) {
			id, ok := rdTagIDs[n]
			if !ok {
				id = rdTag(len(rdTagFlags))
				rdTagIDs[n] = id
				rdTagFlags = append(rdTagFlags, 0)
			}
			rdTagFlags[id] |= s.flag
		}
	}
}

func rdHas(tag rdTag, f uint16) bool {
	return int(tag) < len(rdTagFlags) && rdTagFlags[tag]&f != 0
}

func rdHeadingLevel(tag rdTag) int {
	if tag >= rdTH1 && tag <= rdTH6 {
		return int(tag-rdTH1) + 1
	}
	return 0
}

// rdNode is an element or a run of text; index 0 is the root, so 0 also
// means "none" in the links.
type rdNode struct {
	off, end            int32 // text: its bytes in the arena
	parent, first, next int32
	table               int32 // nearest table, the node itself included
	line                int32
	cells               int32 // <table>: its own cells
	href                int32 // <a>: index in hrefs, 0 for none
	colspan, rowspan    uint16
	tag                 rdTag
	layout              bool // <table>: a cell holds a heading
}

// rdOpen is an element on the stack; only open elements get children, so
// the last child is kept here rather than in every node.
type rdOpen struct {
	id, last int32
}

type rdTree struct {
	lim      Limits
	nodes    []rdNode
	arena    []byte   // text, '\n' for a source line break, rdLineMark for one inside markup
	hrefs    []string // index 0 unused
	stack    []rdOpen
	open     []int32 // open elements by tag, to skip hopeless searches
	ignored  int     // open elements whose content is not text
	elements int
	extra    map[string]rdTag // names outside the known set
}

// rdMaxHTML keeps offsets within int32; only a caller raising MaxBytes far
// past its default can reach it.
const rdMaxHTML = 1 << 29

func rdReadHTML(src string, lim Limits) ([]Block, error) {
	if len(src) > rdMaxHTML {
		return nil, fmt.Errorf("HTML larger than %d bytes", rdMaxHTML)
	}
	blocks, _, err := rdHTMLBlocks(src, lim, lim.MaxCells)
	return blocks, err
}

// rdHTMLBlocks reads HTML with a budget of table cells and returns what
// is left of it, for HTML blocks inside Markdown.
func rdHTMLBlocks(src string, lim Limits, cells int) ([]Block, int, error) {
	t, err := rdBuildTree(src, lim)
	if err != nil {
		return nil, 0, err
	}
	w := &rdWalker{t: t, cellsLeft: cells}
	if err := w.walk(); err != nil {
		return nil, 0, err
	}
	// Malformed markup can emit a block after one that starts later (text
	// between a table's cells, a link whose text was split by <br>): the
	// extractor relies on lines never going back, so such a block takes
	// the line before it.
	for i := 1; i < len(w.blocks); i++ {
		w.blocks[i].Line = max(w.blocks[i].Line, w.blocks[i-1].Line)
	}
	return w.blocks, w.cellsLeft, nil
}

func rdBuildTree(src string, lim Limits) (*rdTree, error) {
	guess := min(strings.Count(src, "<"), lim.MaxNodes) + 2
	t := &rdTree{
		lim:   lim,
		nodes: make([]rdNode, 1, min(2*guess, guess+1<<20)),
		arena: make([]byte, 0, len(src)/2),
		hrefs: []string{""},
		stack: []rdOpen{{}},
		open:  make([]int32, len(rdTagFlags)),
	}
	z := html.NewTokenizer(strings.NewReader(src))
	line := 1
	for {
		tt := z.Next()
		if tt == html.ErrorToken {
			if err := z.Err(); err != io.EOF {
				return nil, err
			}
			return t, nil
		}
		raw := z.Raw()
		at := line
		nl := bytes.Count(raw, rdNewline)
		line += nl
		switch tt {
		case html.TextToken:
			t.text(raw, at)
		case html.StartTagToken, html.SelfClosingTagToken:
			name, hasAttr := z.TagName()
			tag := t.tagID(name)
			href := int32(0)
			colspan, rowspan := uint16(1), uint16(1)
			for hasAttr && (tag == rdTA || tag == rdTTd || tag == rdTTh) {
				var k, v []byte
				k, v, hasAttr = z.TagAttr()
				switch string(k) {
				case "href":
					href = int32(len(t.hrefs))
					t.hrefs = append(t.hrefs, string(v))
				case "colspan":
					colspan = rdSpan(v, 1, 1000)
				case "rowspan":
					rowspan = rdSpan(v, 0, 65534)
				}
			}
			if err := t.start(tag, tt == html.SelfClosingTagToken, at, href, colspan, rowspan); err != nil {
				return nil, err
			}
		case html.EndTagToken:
			name, _ := z.TagName()
			if err := t.endTag(t.tagID(name), at); err != nil {
				return nil, err
			}
		default:
			// A comment or doctype between two pieces of text: keep its
			// line breaks without making them whitespace.
			if last := t.stack[len(t.stack)-1].last; nl > 0 && last != 0 && t.nodes[last].tag == rdTText && int(t.nodes[last].end) == len(t.arena) {
				for range nl {
					t.arena = append(t.arena, rdLineMark)
				}
				t.nodes[last].end = int32(len(t.arena))
			}
		}
	}
}

var rdNewline = []byte{'\n'}

// tagID interns an element name. Past 60000 distinct unknown names (only
// a hostile file has them) the rest share one id, which makes them match
// each other's end tags and changes nothing else.
func (t *rdTree) tagID(name []byte) rdTag {
	if id, ok := rdTagIDs[string(name)]; ok {
		return id
	}
	if id, ok := t.extra[string(name)]; ok {
		return id
	}
	if t.extra == nil {
		t.extra = map[string]rdTag{}
	}
	if len(t.open) >= 60000 {
		return rdTag(len(t.open) - 1)
	}
	id := rdTag(len(t.open))
	t.extra[string(name)] = id
	t.open = append(t.open, 0)
	return id
}

// rdSpan parses a rowspan or colspan as browsers do (leading digits, junk
// after them ignored), within HTML's own limits.
func rdSpan(v []byte, lo, hi int) uint16 {
	s := strings.TrimSpace(string(v))
	i := 0
	for i < len(s) && s[i] >= '0' && s[i] <= '9' && i < 9 {
		i++
	}
	n, err := strconv.Atoi(s[:i])
	if err != nil {
		return 1
	}
	if n == 0 && lo == 0 {
		// rowspan=0 spans the rest of the table.
		return uint16(hi)
	}
	return uint16(max(lo, 1, min(n, hi)))
}

func (t *rdTree) top() int32 { return t.stack[len(t.stack)-1].id }

func (t *rdTree) topTag() rdTag { return t.nodes[t.top()].tag }

// text appends a text token: entities decoded line by line, so that an
// encoded line feed (&#10;) does not look like a source line break.
func (t *rdTree) text(raw []byte, line int) {
	if t.open[rdTHead] > 0 && t.topTag() == rdTHead {
		if len(bytes.TrimSpace(raw)) == 0 {
			return
		}
		// Text cannot be in <head>: the body has begun.
		t.popTo(t.find(1<<rdTHead, 0))
	}
	if t.ignored > 0 {
		return
	}
	start := len(t.arena)
	for i := 0; ; i++ {
		seg := raw
		j := bytes.IndexByte(raw, '\n')
		if j >= 0 {
			seg, raw = raw[:j], raw[j+1:]
		}
		if i > 0 {
			t.arena = append(t.arena, '\n')
		}
		if bytes.IndexByte(seg, '&') >= 0 {
			seg = []byte(html.UnescapeString(string(seg)))
		}
		for _, c := range seg {
			switch {
			case c >= 0x20 || c == '\t':
				t.arena = append(t.arena, c)
			case c == '\n' || c == '\r' || c == '\f' || c == '\v':
				t.arena = append(t.arena, ' ')
			}
		}
		if j < 0 {
			break
		}
	}
	if last := t.stack[len(t.stack)-1].last; last != 0 && t.nodes[last].tag == rdTText && int(t.nodes[last].end) == start {
		t.nodes[last].end = int32(len(t.arena))
		return
	}
	t.add(rdNode{tag: rdTText, off: int32(start), end: int32(len(t.arena)), line: int32(line)})
}

// add links a new node under the current element.
func (t *rdTree) add(n rdNode) int32 {
	top := &t.stack[len(t.stack)-1]
	n.parent = top.id
	n.table = t.nodes[top.id].table
	id := int32(len(t.nodes))
	if n.tag == rdTTable {
		n.table = id
	}
	t.nodes = append(t.nodes, n)
	if top.last == 0 {
		t.nodes[top.id].first = id
	} else {
		t.nodes[top.last].next = id
	}
	top.last = id
	return id
}

func (t *rdTree) push(id int32) {
	tag := t.nodes[id].tag
	t.stack = append(t.stack, rdOpen{id: id})
	t.open[tag]++
	if rdHas(tag, rdFIgnored) {
		t.ignored++
	}
}

// popTo closes the element at stack index k and all above it.
func (t *rdTree) popTo(k int) {
	if k <= 0 {
		return
	}
	for i := len(t.stack) - 1; i >= k; i-- {
		tag := t.nodes[t.stack[i].id].tag
		t.open[tag]--
		if rdHas(tag, rdFIgnored) {
			t.ignored--
		}
	}
	t.stack = t.stack[:k]
}

// find returns the stack index of the nearest open element whose tag is
// in the targets mask (tags below 64), or 0 if an element with a stop
// flag (or the root) comes first.
func (t *rdTree) find(targets uint64, stop uint16) int {
	found := false
	for tag := rdTag(0); tag < rdTNamed; tag++ {
		if targets&(1<<tag) != 0 && t.open[tag] > 0 {
			found = true
			break
		}
	}
	if !found {
		return 0
	}
	for i := len(t.stack) - 1; i > 0; i-- {
		tag := t.nodes[t.stack[i].id].tag
		if tag < 64 && targets&(1<<tag) != 0 {
			return i
		}
		if rdHas(tag, stop) {
			return 0
		}
	}
	return 0
}

// findTag is find for any single tag.
func (t *rdTree) findTag(tag rdTag, stop uint16, stopTable bool) int {
	if t.open[tag] == 0 {
		return 0
	}
	for i := len(t.stack) - 1; i > 0; i-- {
		name := t.nodes[t.stack[i].id].tag
		if name == tag {
			return i
		}
		if rdHas(name, stop) || (stopTable && name == rdTTable) {
			return 0
		}
	}
	return 0
}

// findInTable is find within the innermost open table: 0 if no element
// of the mask is open between the top and that table.
func (t *rdTree) findInTable(mask uint64) int {
	k := t.find(mask|1<<rdTTable, 0)
	if k > 0 && t.nodes[t.stack[k].id].tag == rdTTable {
		return 0
	}
	return k
}

const (
	rdMaskCells = 1<<rdTTd | 1<<rdTTh
	rdMaskDefs  = 1<<rdTDd | 1<<rdTDt
)

func (t *rdTree) start(tag rdTag, selfClosing bool, line int, href int32, colspan, rowspan uint16) error {
	t.elements++
	if t.elements > t.lim.MaxNodes {
		return fmt.Errorf("more than %d HTML elements (line %d)", t.lim.MaxNodes, line)
	}
	if t.open[rdTHead] > 0 && t.topTag() == rdTHead && !rdHas(tag, rdFHeadContent) {
		t.popTo(t.findTag(rdTHead, 0, false))
	}
	switch tag {
	case rdTHTML, rdTBody, rdTHead:
		// Repeated document elements (pasted pages) add no structure.
		if t.open[tag] > 0 || (tag == rdTHead && t.open[rdTBody] > 0) {
			return nil
		}
		if tag == rdTBody {
			t.popTo(t.findTag(rdTHead, 0, false))
		}
	}
	if rdHas(tag, rdFClosesP) {
		t.popTo(t.findTag(rdTP, rdFButtonScope, false))
	}
	switch tag {
	case rdTH1, rdTH2, rdTH3, rdTH4, rdTH5, rdTH6:
		if rdHeadingLevel(t.topTag()) > 0 {
			t.popTo(len(t.stack) - 1)
		}
	case rdTLi:
		t.popTo(t.findTag(rdTLi, rdFListStop, false))
	case rdTDd, rdTDt:
		t.popTo(t.find(rdMaskDefs, rdFListStop))
	case rdTA:
		t.popTo(t.findTag(rdTA, rdFCellStop, false))
	case rdTTr:
		t.popTo(t.findTag(rdTTr, 0, true))
	case rdTThead, rdTTbody, rdTTfoot, rdTCaption, rdTColgroup:
		// These belong straight under <table>: close whatever row, cell
		// or section is open in it.
		if k := t.findTag(rdTTable, 0, false); k > 0 {
			t.popTo(k + 1)
		}
	case rdTTd, rdTTh:
		if t.open[rdTTable] > 0 {
			t.popTo(t.findInTable(rdMaskCells))
			// A cell straight inside <table> or a row group has an
			// implied row.
			if t.findInTable(1<<rdTTr) == 0 {
				if err := t.start(rdTTr, false, line, 0, 1, 1); err != nil {
					return err
				}
			}
		}
	}
	if rdHeadingLevel(tag) > 0 && t.open[rdTTable] > 0 {
		// A heading inside a cell makes the cell's table page layout.
		if k := t.findInTable(rdMaskCells); k > 0 {
			if tb := t.nodes[t.stack[k].id].table; tb != 0 {
				t.nodes[tb].layout = true
			}
		}
	}
	id := t.add(rdNode{tag: tag, href: href, line: int32(line), colspan: colspan, rowspan: rowspan})
	if tag == rdTTd || tag == rdTTh {
		if tb := t.nodes[id].table; tb != 0 {
			t.nodes[tb].cells++
		}
	}
	if rdHas(tag, rdFVoid) || (selfClosing && !rdHas(tag, rdFRaw)) {
		return nil
	}
	t.push(id)
	if len(t.stack)-1 > t.lim.MaxDepth {
		return fmt.Errorf("HTML elements nested more than %d deep (line %d)", t.lim.MaxDepth, line)
	}
	return nil
}

func (t *rdTree) endTag(tag rdTag, line int) error {
	switch tag {
	case rdTHTML, rdTBody:
		// Content after </body> is still shown by browsers.
		return nil
	case rdTBr:
		// </br> is a line break to every browser.
		return t.start(rdTBr, false, line, 0, 1, 1)
	case rdTP:
		if t.findTag(rdTP, rdFButtonScope, false) == 0 {
			// A stray </p> makes an empty paragraph: a block boundary.
			if err := t.start(rdTP, false, line, 0, 1, 1); err != nil {
				return err
			}
		}
	}
	switch tag {
	case rdTTable:
		t.popTo(t.findTag(tag, 0, false))
	case rdTTd, rdTTh, rdTTr, rdTThead, rdTTbody, rdTTfoot, rdTCaption, rdTColgroup:
		t.popTo(t.findTag(tag, 0, true))
	default:
		t.popTo(t.findTag(tag, rdFCellStop, false))
	}
	return nil
}

// The walker.

// rdSink collects the text of one block or one table cell.
type rdSink struct {
	buf           []byte
	line          int
	gen           int
	visible, bold int // non-blank bytes, and those inside <b>/<strong>
}

type rdCell struct {
	text             string
	colspan, rowspan int
	th, bold         bool
}

type rdRow struct {
	line     int // first text of the row, else the <tr>
	cells    []rdCell
	thead    bool
	implicit bool // opened by a cell outside any <tr>; ends with it
}

// rdItem is a row or a block (a caption, stray text) of a table, kept in
// source order so line numbers never go backwards.
type rdItem struct {
	row   *rdRow
	block Block
}

type rdTable struct {
	node  int32
	items []rdItem
	thead int
}

type rdAnchor struct {
	node int32
	href string
	line int
	sink *rdSink
	gen  int
	off  int
}

type rdWalker struct {
	t         *rdTree
	blocks    []Block
	flow      rdSink
	heading   int
	bold      int
	gen       int
	anchors   []rdAnchor
	tbl       *rdTable
	row       *rdRow
	rowNode   int32
	cell      *rdSink
	cellInfo  rdCell
	cellNode  int32
	tables    int
	cellsLeft int
}

func (w *rdWalker) walk() error {
	nodes := w.t.nodes
	n := nodes[0].first
	for n != 0 {
		if w.enter(n) && nodes[n].first != 0 {
			n = nodes[n].first
			continue
		}
		for n != 0 {
			if err := w.leave(n); err != nil {
				return err
			}
			if nx := nodes[n].next; nx != 0 {
				n = nx
				break
			}
			n = nodes[n].parent
		}
	}
	w.flush()
	return nil
}

func (w *rdWalker) sink() *rdSink {
	if w.cell != nil {
		return w.cell
	}
	return &w.flow
}

// own reports whether a table part belongs to the data table being read
// rather than to a table nested in one of its cells.
func (w *rdWalker) own(nd *rdNode) bool {
	return w.tbl != nil && nd.table == w.tbl.node
}

func (w *rdWalker) enter(n int32) bool {
	nd := &w.t.nodes[n]
	tag := nd.tag
	if tag == rdTText {
		w.text(nd)
		return false
	}
	if rdHas(tag, rdFIgnored) {
		return false
	}
	switch tag {
	case rdTBr:
		w.boundary()
	case rdTB, rdTStrong:
		w.bold++
	case rdTA:
		if href := rdCollapse(w.t.hrefs[nd.href]); rdShowHref(href) {
			s := w.sink()
			w.anchors = append(w.anchors, rdAnchor{node: n, href: href, line: int(nd.line), sink: s, gen: s.gen, off: len(s.buf)})
		}
	case rdTTable:
		if w.tbl == nil && !nd.layout && nd.cells >= 2 {
			w.flush()
			w.tbl = &rdTable{node: n}
			return true
		}
		w.boundary()
	case rdTThead:
		if w.own(nd) {
			w.tbl.thead++
			return true
		}
		w.boundary()
	case rdTTr:
		if w.own(nd) && w.cell == nil {
			w.startRow(n, false)
			return true
		}
		w.boundary()
	case rdTTd, rdTTh:
		if w.own(nd) && w.cell == nil {
			w.startCell(n)
			return true
		}
		w.boundary()
	default:
		if lvl := rdHeadingLevel(tag); lvl > 0 && w.cell == nil {
			w.flush()
			w.heading = lvl
		} else if rdHas(tag, rdFBlock) {
			w.boundary()
		}
	}
	return true
}

func (w *rdWalker) leave(n int32) error {
	nd := &w.t.nodes[n]
	tag := nd.tag
	if tag == rdTText || tag == rdTBr || rdHas(tag, rdFIgnored) {
		return nil
	}
	switch tag {
	case rdTB, rdTStrong:
		w.bold--
	case rdTA:
		if k := len(w.anchors) - 1; k >= 0 && w.anchors[k].node == n {
			w.endAnchor(w.anchors[k])
			w.anchors = w.anchors[:k]
		}
	case rdTTable:
		if w.tbl != nil && w.tbl.node == n {
			return w.endTable()
		}
		w.boundary()
	case rdTThead:
		if w.own(nd) {
			w.tbl.thead--
		} else {
			w.boundary()
		}
	case rdTTr:
		if w.row != nil && w.rowNode == n {
			w.endRow()
		} else {
			w.boundary()
		}
	case rdTTd, rdTTh:
		if w.cell != nil && w.cellNode == n {
			w.endCell()
		} else {
			w.boundary()
		}
	default:
		if rdHeadingLevel(tag) > 0 && w.cell == nil {
			w.flush()
			w.heading = 0
		} else if rdHas(tag, rdFBlock) {
			w.boundary()
		}
	}
	return nil
}

func (w *rdWalker) text(nd *rdNode) {
	s := w.sink()
	txt := w.t.arena[nd.off:nd.end]
	if s.line == 0 {
		s.line = rdBlockLine(txt, int(nd.line))
	}
	s.buf = append(s.buf, txt...)
	if w.cell != nil {
		v := 0
		for _, r := range string(txt) {
			if !rdBlank(r) {
				v++
			}
		}
		s.visible += v
		if w.bold > 0 {
			s.bold += v
		}
	}
}

// boundary ends a block; inside a table cell it only separates words,
// since the whole cell is one value.
func (w *rdWalker) boundary() {
	if w.cell != nil {
		w.cell.buf = append(w.cell.buf, ' ')
		return
	}
	w.flush()
}

func (w *rdWalker) flush() {
	s := &w.flow
	if len(s.buf) > 0 {
		if text := rdCollapse(string(s.buf)); text != "" {
			w.emit(Block{Line: max(s.line, 1), Text: text, Heading: w.heading})
		}
	}
	s.buf, s.line = s.buf[:0], 0
	w.gen++
	s.gen = w.gen
}

func (w *rdWalker) emit(b Block) {
	if w.tbl != nil {
		w.tbl.items = append(w.tbl.items, rdItem{block: b})
		return
	}
	w.blocks = append(w.blocks, b)
}

// rdShowHref leaves out links that lead nowhere a reader could follow.
func rdShowHref(href string) bool {
	l := strings.ToLower(href)
	return href != "" && !strings.HasPrefix(l, "#") && !strings.HasPrefix(l, "javascript:") &&
		!strings.HasPrefix(l, "data:") && !strings.HasPrefix(l, "about:")
}

// endAnchor appends a link's URL unless its text already shows it, so the
// SDK privacy links policies list survive as text.
func (w *rdWalker) endAnchor(a rdAnchor) {
	s := w.sink()
	txt := s.buf
	if s == a.sink && s.gen == a.gen && a.off <= len(s.buf) {
		txt = s.buf[a.off:]
	}
	if rdShowsURL(rdCollapse(string(txt)), a.href) {
		return
	}
	if s.line == 0 {
		s.line = a.line
	}
	s.buf = append(s.buf, " ("...)
	s.buf = append(s.buf, a.href...)
	s.buf = append(s.buf, ')')
}

func (w *rdWalker) startRow(n int32, implicit bool) {
	if w.row != nil {
		w.endRow()
	}
	w.flush()
	w.row = &rdRow{thead: w.tbl.thead > 0, implicit: implicit}
	w.rowNode = n
}

func (w *rdWalker) endRow() {
	if w.cell != nil {
		w.endCell()
	}
	if w.row.line == 0 {
		w.row.line = int(w.t.nodes[w.rowNode].line)
	}
	w.tbl.items = append(w.tbl.items, rdItem{row: w.row})
	w.row = nil
}

func (w *rdWalker) startCell(n int32) {
	w.flush()
	nd := &w.t.nodes[n]
	if w.row == nil {
		w.startRow(n, true)
	}
	w.gen++
	w.cell = &rdSink{gen: w.gen}
	w.cellNode = n
	w.cellInfo = rdCell{colspan: int(nd.colspan), rowspan: int(nd.rowspan), th: nd.tag == rdTTh}
}

func (w *rdWalker) endCell() {
	c := w.cellInfo
	c.text = rdCollapse(string(w.cell.buf))
	c.bold = w.cell.visible > 0 && w.cell.bold == w.cell.visible
	if w.row.line == 0 && c.text != "" {
		w.row.line = w.cell.line
	}
	w.row.cells = append(w.row.cells, c)
	w.cell = nil
	if w.row.implicit {
		w.endRow()
	}
}

type rdPending struct {
	left int
	text string
}

// endTable expands the spans and emits the table's rows. A colspan is cut
// at the table's width (from its multi-cell rows), so a title cell written
// colspan=100 does not repeat its text a hundred times.
func (w *rdWalker) endTable() error {
	w.flush()
	if w.row != nil {
		w.endRow()
	}
	tbl := w.tbl
	w.tbl = nil
	width := 0
	for _, it := range tbl.items {
		if it.row != nil && len(it.row.cells) >= 2 {
			sum := 0
			for _, c := range it.row.cells {
				sum += c.colspan
			}
			width = max(width, sum)
		}
	}
	width = max(width, 1)
	var pending []rdPending
	index := 0
	for _, it := range tbl.items {
		if it.row == nil {
			w.blocks = append(w.blocks, it.block)
			continue
		}
		cells, err := w.expand(it.row, width, &pending)
		if err != nil {
			return err
		}
		empty := true
		for _, c := range cells {
			if c != "" {
				empty = false
				break
			}
		}
		if empty {
			continue
		}
		header := it.row.thead || rdAll(it.row.cells, func(c rdCell) bool { return c.th }) ||
			(index == 0 && rdAll(it.row.cells, func(c rdCell) bool { return c.bold || c.text == "" }))
		if index == 0 {
			w.tables++
			index = w.tables
		}
		w.blocks = append(w.blocks, Block{Line: max(it.row.line, 1), Text: strings.Join(cells, " | "), Table: index, Cells: cells, Header: header})
	}
	return nil
}

// rdAll is true for a row with cells that all satisfy ok and at least one
// non-empty cell.
func rdAll(cells []rdCell, ok func(rdCell) bool) bool {
	text := false
	for _, c := range cells {
		if !ok(c) {
			return false
		}
		text = text || c.text != ""
	}
	return text
}

// expand lays one row out on the grid: cells carried down by an earlier
// rowspan take their columns first, then the row's own cells fill the
// next free columns.
func (w *rdWalker) expand(row *rdRow, width int, pending *[]rdPending) ([]string, error) {
	var cells []string
	full := false
	place := func(s string) {
		w.cellsLeft--
		if w.cellsLeft < 0 {
			full = true
			return
		}
		cells = append(cells, s)
	}
	p := *pending
	col := 0
	for _, c := range row.cells {
		for col < len(p) && p[col].left > 0 && !full {
			place(p[col].text)
			p[col].left--
			col++
		}
		span := 1
		if col < width {
			span = min(c.colspan, width-col)
		}
		for k := 0; k < span && !full; k++ {
			place(c.text)
			if col < len(p) && p[col].left > 0 {
				p[col].left-- // overlapped by this cell
			}
			if c.rowspan > 1 {
				for len(p) <= col {
					p = append(p, rdPending{})
				}
				p[col] = rdPending{left: c.rowspan - 1, text: c.text}
			}
			col++
		}
	}
	for ; col < len(p) && !full; col++ {
		if p[col].left > 0 {
			for len(cells) < col && !full {
				place("")
			}
			place(p[col].text)
			p[col].left--
		}
	}
	if full {
		return nil, fmt.Errorf("tables have more than %d cells (line %d)", w.t.lim.MaxCells, row.line)
	}
	*pending = p
	return cells, nil
}
