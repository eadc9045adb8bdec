package document

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
	rdTStyle
	rdTTemplate
	rdTDialog
	rdTFont
	rdTLink
	rdTComment // the text of an HTML comment, kept to report what it hides
	rdTSvg
	rdTMath
	rdTCol
	rdTUl
	rdTOl
	rdTDiv
	rdTAddress
	rdTSelect
	rdTOption
	rdTOptgroup
	rdTButton
	rdTForm
	rdTNobr
	rdTInput
	rdTKeygen
	rdTTextarea
	rdTScript
	rdTObject
	rdTApplet
	rdTDatalist
	rdTMarquee
	rdTFrameset
	rdTNamed // number of the constants above
)

var rdNamedTags = [rdTNamed]string{"#root", "#text", "p", "li", "dd", "dt", "a", "tr", "td", "th", "table", "thead", "tbody", "tfoot", "caption", "colgroup", "head", "body", "html", "br", "b", "strong", "h1", "h2", "h3", "h4", "h5", "h6", "style", "template", "dialog", "font", "link", "#comment", "svg", "math", "col", "ul", "ol", "div", "address", "select", "option", "optgroup", "button", "form", "nobr", "input", "keygen", "textarea", "script", "object", "applet", "datalist", "marquee", "frameset"}

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
	// rdFFormatting elements are reopened by browsers when markup closed
	// them implicitly (the list of active formatting elements).
	rdFFormatting
	// rdFMarker elements bound that reopening.
	rdFMarker
	// rdFSpecial is the standard's "special" category: an end tag of
	// another kind (</span>) does not close them.
	rdFSpecial
	// rdFScope elements bound the search of an end tag for its element.
	rdFScope
	// rdFBlockEnd end tags close their element through any other.
	rdFBlockEnd
	// rdFBreakout start tags end SVG or MathML content.
	rdFBreakout
	// rdFNoReopen start tags, besides blocks and head content, do not
	// reopen formatting elements.
	rdFNoReopen
	// rdFTableStop bounds the search for the table a part belongs to.
	rdFTableStop
	// rdFBody start tags, like text, make a later <frameset> ignored.
	rdFBody
)

var (
	rdTagIDs   = map[string]rdTag{}
	rdTagFlags []uint16
	rdTagNames []string // of the known tags, by id
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
		{rdFIgnored, "script style head noscript template title xml svg math select textarea iframe noembed noframes object applet datalist xmp frameset"},
		{rdFHeadContent, "meta link title style script noscript noframes base template basefont bgsound"},
		{rdFBlock, "p div li h1 h2 h3 h4 h5 h6 tr td th section article blockquote dd dt dl pre table thead tbody tfoot caption ul ol header footer main nav aside figure figcaption address center form fieldset legend details summary hr menu dir hgroup listing plaintext body html dialog search option frameset"},
		{rdFClosesP, "address article aside blockquote center details dialog dir div dl fieldset figcaption figure footer header hgroup main menu nav ol p search section summary ul h1 h2 h3 h4 h5 h6 pre listing form plaintext table hr xmp li dd dt"},
		{rdFButtonScope, "td th table caption html template button object marquee applet select"},
		{rdFFormatting, "a b big code em font i nobr s small strike strong tt u"},
		{rdFMarker, "td th caption template object applet marquee"},
		{rdFSpecial, "address applet area article aside base basefont bgsound blockquote body br button caption center col colgroup dd details dir div dl dt embed fieldset figcaption figure footer form frame frameset h1 h2 h3 h4 h5 h6 head header hgroup hr html iframe img input keygen li link listing main marquee menu meta nav noembed noframes noscript object ol p param plaintext pre script search section select source style summary table tbody td template textarea tfoot th thead title tr track ul wbr xmp"},
		{rdFScope, "applet caption html table td th marquee object template select"},
		{rdFTableStop, "template html"},
		{rdFBody, "applet marquee object table area br embed img keygen wbr input hr textarea xmp iframe select li dd dt pre listing button"},
		{rdFNoReopen, "html body textarea iframe noembed frameset"},
		{rdFBreakout, "b big blockquote body br center code dd div dl dt em embed h1 h2 h3 h4 h5 h6 head hr i img li listing menu meta nobr ol p pre ruby s small span strong strike sub sup table tt u ul var"},
		{rdFBlockEnd, "address article aside blockquote button center details dialog dir div dl fieldset figcaption figure footer form header hgroup listing main menu nav ol pre search section summary ul applet marquee object dd dt select"},
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
	rdTagNames = make([]string, len(rdTagFlags))
	for n, id := range rdTagIDs {
		rdTagNames[id] = n
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
	attr                int32 // index in attrs, 0 for none
	colspan, rowspan    uint16
	tag                 rdTag
	layout              bool // <table>: a cell holds a heading
	clone               bool // reopened formatting element: hides or colours, no other role
	foreign             bool // SVG or MathML element, other than an integration point
}

// rdOpen is an element on the stack; only open elements get children, so
// the last child is kept here rather than in every node.
type rdOpen struct {
	id, last int32
}

// rdActive is an entry of the list of active formatting elements: a
// formatting element, or a marker (node -1).
type rdActive struct {
	node int32
	open bool
}

type rdTree struct {
	lim      Limits
	nodes    []rdNode
	arena    []byte   // text, '\n' for a source line break, rdLineMark for one inside markup
	hrefs    []string // index 0 unused
	attrs    []rdAttrs
	attrIdx  map[rdAttrs]int32
	styleSet map[string]bool   // style attribute values and whether they are relevant
	strs     map[string]string // attribute values, shared
	stack    []rdOpen
	open     []int32 // open elements by tag, to skip hopeless searches
	ignored  int     // open elements whose content is not text
	elements int
	copies   int              // elements made by the reader, see copied
	extra    map[string]rdTag // names outside the known set
	sheet    *rdSheet
	// ownSheet is false when a Markdown document read its <style> blocks
	// beforehand.
	ownSheet bool
	css      []byte // text of the <style> element being read
	active   []rdActive
	closed   int  // entries of active that are not open
	comments int  // comment nodes kept
	quirks   bool // no doctype, or an old one: browsers' quirks mode
	started  bool // an element has been seen
	// bodyStarted is set once body content (text or an element that
	// cannot be in <head>) has been seen.
	bodyStarted bool
	// noFrameset is set by content that makes browsers ignore a
	// <frameset>; frameset by one they did not ignore, after which
	// nothing is read.
	noFrameset, frameset bool
	// docNode holds the <html> and <body> elements written at the start,
	// 0 when implied; docAttrs the attributes given to implied ones.
	docNode  [2]int32
	docAttrs [2]rdAttrs
	// wrap records the blocks the adoption agency moved out of a
	// formatting element.
	wrap map[int32]rdAdopted
}

// rdAdopted is what the adoption agency did to a block: it took the block
// out of the formatting element f, and out of the previous block moved
// (prev) or f's parent, keeping only the formatting elements in between
// (between) as its ancestors; and it wrapped the block's content so far in
// a copy of f.
type rdAdopted struct {
	f, prev int32
	between []int32
}

// rdMaxComments bounds the comments kept to report hidden text; later ones
// are dropped as before.
const rdMaxComments = 10000

// rdMaxActive bounds the formatting elements remembered per cell (browsers
// keep three of each kind).
const rdMaxActive = 16

// rdMaxHTML keeps offsets within int32; only a caller raising MaxBytes far
// past its default can reach it.
const rdMaxHTML = 1 << 29

func rdReadHTML(src string, lim Limits) ([]Block, []Block, error) {
	if len(src) > rdMaxHTML {
		return nil, nil, fmt.Errorf("HTML larger than %d bytes", rdMaxHTML)
	}
	r, err := rdHTMLBlocks(src, lim, lim.MaxCells, nil, nil)
	if err != nil {
		return nil, nil, err
	}
	return r.blocks, r.hidden, nil
}

// rdHTMLResult is what reading HTML gives: the rendered blocks, the blocks
// holding text that is not rendered (see Document.Hidden), the cells left
// of the budget, and the open elements that still hide what follows (for
// Markdown, whose paragraphs can sit inside an HTML block's <div hidden>).
type rdHTMLResult struct {
	blocks, hidden []Block
	cellsLeft      int
	carry          []rdCarried
	carryWhy       rdWhy
}

// rdCarried is an element left open at the end of an HTML block.
type rdCarried struct {
	tag   rdTag
	name  string
	attrs rdAttrs
}

// rdMaxCarry bounds the open elements carried from one Markdown HTML
// block to the next.
const rdMaxCarry = 32

// rdHTMLBlocks reads HTML with a budget of table cells. Markdown passes
// its own sheet (read from all its <style> blocks) and the elements an
// earlier HTML block left open.
func rdHTMLBlocks(src string, lim Limits, cells int, sheet *rdSheet, carry []rdCarried) (*rdHTMLResult, error) {
	t, err := rdBuildTree(src, lim, sheet, carry)
	if err != nil {
		return nil, err
	}
	w := &rdWalker{t: t, cellsLeft: cells}
	w.init()
	if err := w.walk(); err != nil {
		return nil, err
	}
	// Malformed markup can emit a block after one that starts later (text
	// between a table's cells, a link whose text was split by <br>): the
	// extractor relies on lines never going back, so such a block takes
	// the line before it.
	for _, list := range [][]Block{w.blocks, w.hidden} {
		for i := 1; i < len(list); i++ {
			list[i].Line = max(list[i].Line, list[i-1].Line)
		}
	}
	r := &rdHTMLResult{blocks: w.blocks, cellsLeft: w.cellsLeft}
	if w.anyHidden {
		r.hidden = w.hidden
	}
	if sheet != nil {
		r.carry, r.carryWhy = w.openChain()
	}
	return r, nil
}

func rdBuildTree(src string, lim Limits, sheet *rdSheet, carry []rdCarried) (*rdTree, error) {
	guess := min(strings.Count(src, "<"), lim.MaxNodes) + 2
	t := &rdTree{
		lim:      lim,
		nodes:    make([]rdNode, 1, min(2*guess, guess+1<<20)),
		arena:    make([]byte, 0, len(src)/2),
		hrefs:    []string{""},
		attrs:    []rdAttrs{{}},
		stack:    []rdOpen{{}},
		open:     make([]int32, len(rdTagFlags)),
		sheet:    sheet,
		ownSheet: sheet == nil,
		quirks:   true,
	}
	if t.sheet == nil {
		t.sheet = &rdSheet{}
	}
	for _, c := range carry {
		tag := c.tag
		if tag >= rdTNamed {
			tag = t.tagID([]byte(c.name))
		}
		n := rdNode{tag: tag, line: 1, colspan: 1, rowspan: 1}
		if c.attrs != (rdAttrs{}) {
			n.attr = int32(len(t.attrs))
			t.attrs = append(t.attrs, c.attrs)
		}
		t.push(t.add(n))
	}
	z := html.NewTokenizer(strings.NewReader(src))
	line := 1
	for {
		tt := z.Next()
		if tt == html.ErrorToken {
			if err := z.Err(); err != io.EOF {
				return nil, err
			}
			t.endStyle()
			return t, nil
		}
		raw := z.Raw()
		at := line
		nl := bytes.Count(raw, rdNewline)
		line += nl
		if t.frameset {
			continue
		}
		switch tt {
		case html.TextToken:
			if t.open[rdTStyle] > 0 && t.topTag() == rdTStyle && t.ownSheet {
				t.css = append(t.css, raw...)
			}
			if err := t.text(raw, at); err != nil {
				return nil, err
			}
		case html.StartTagToken, html.SelfClosingTagToken:
			name, hasAttr := z.TagName()
			tag := t.tagID(name)
			href := int32(0)
			colspan, rowspan := uint16(1), uint16(1)
			var a rdAttrs
			kept := false
			for hasAttr {
				var k, v []byte
				k, v, hasAttr = z.TagAttr()
				switch string(k) {
				case "href":
					if tag == rdTA {
						href = int32(len(t.hrefs))
						t.hrefs = append(t.hrefs, string(v))
					}
				case "colspan":
					if tag == rdTTd || tag == rdTTh {
						colspan = rdSpan(v, 1, 1000)
					}
				case "rowspan":
					if tag == rdTTd || tag == rdTTh {
						rowspan = rdSpan(v, 0, 65534)
					}
				case "face", "size":
					if tag == rdTFont {
						a.flags |= rdAFontBreak // matters only in SVG
					}
				case "rel":
					if tag == rdTLink && bytes.Contains(bytes.ToLower(v), []byte("stylesheet")) {
						// Rules the reader cannot see may set the colours.
						t.sheet.uncertain = rdUnsureFg | rdUnsureBg
					}
				default:
					// Attributes matter where text is read or may be read
					// after implied end tags: not in scripts or styles, but
					// in templates and selects, and on tags that end SVG or
					// MathML content.
					markup := int(t.open[rdTTemplate] + t.open[rdTSelect] + t.open[rdTObject] + t.open[rdTApplet] + t.open[rdTDatalist])
					if t.open[rdTHead] > 0 && t.topTag() == rdTHead && !rdHas(tag, rdFHeadContent) {
						markup++ // the tag ends the head
					}
					if t.ignored <= markup ||
						(rdHas(tag, rdFBreakout) || tag == rdTFont) && t.open[rdTSvg]+t.open[rdTMath] > 0 {
						kept = a.setAttr(tag, string(k), v, t.intern) || kept
					}
				}
			}
			if a.style != "" && !t.relevant(a.style) {
				// Word's mso-* styles and the like: no record needed.
				a.style = ""
				kept = a.style != "" || a.class != "" || a.id != "" || a.flags&^rdAFontBreak != 0
			}
			if err := t.start(tag, tt == html.SelfClosingTagToken, at, href, colspan, rowspan, a, kept); err != nil {
				return nil, err
			}
			if rdHas(tag, rdFRaw) && t.open[rdTSvg]+t.open[rdTMath] > 0 && t.topTag() == tag {
				// <style> or <iframe> in SVG is an SVG element: its
				// content is markup.
				z.NextIsNotRawText()
			}
		case html.EndTagToken:
			name, _ := z.TagName()
			if err := t.endTag(t.tagID(name), at); err != nil {
				return nil, err
			}
		case html.DoctypeToken:
			if !t.started {
				t.quirks = rdQuirks(string(z.Text()))
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
			if tt == html.CommentToken {
				t.comment(z.Text(), at)
			}
		}
	}
}

var rdNewline = []byte{'\n'}

// rdQuirks tells from a doctype whether browsers render the page in
// quirks mode, where a <table> does not close an open <p>. It covers the
// doctypes pages are written with, not every legacy one.
func rdQuirks(doctype string) bool {
	d := strings.ToLower(strings.Join(strings.Fields(doctype), " "))
	switch {
	case d == "html":
		return false
	case !strings.HasPrefix(d, "html"):
		return true
	case strings.Contains(d, "xhtml"):
		return false
	case strings.Contains(d, "html 4.01 transitional") || strings.Contains(d, "html 4.01 frameset"):
		// With a system identifier these are "limited quirks", which
		// keeps the standard <p> rules.
		return !strings.Contains(d, "http")
	case strings.Contains(d, "html 4.01"):
		return false
	}
	return strings.Contains(d, "//dtd")
}

// rdDocIndex is the index of <html> (0) or <body> (1) in docNode.
func rdDocIndex(tag rdTag) int {
	if tag == rdTBody {
		return 1
	}
	return 0
}

// attrIndex returns the record of a set of attributes, shared with every
// element that has the same (Word gives thousands of spans one style).
func (t *rdTree) attrIndex(a rdAttrs) int32 {
	if i, ok := t.attrIdx[a]; ok {
		return i
	}
	if t.attrIdx == nil {
		t.attrIdx = map[rdAttrs]int32{}
	}
	i := int32(len(t.attrs))
	t.attrs = append(t.attrs, a)
	if len(t.attrIdx) < rdMaxShared {
		t.attrIdx[a] = i
	}
	return i
}

// rdMaxShared bounds the maps that share attribute values and records: a
// page repeats a few hundred; a hostile one with all different would only
// make them grow.
const rdMaxShared = 1 << 14

// mergeDoc gives the attributes of a late <html> (doc 0) or <body> (1)
// to the document's element, where that element does not have them.
func (t *rdTree) mergeDoc(doc int, a *rdAttrs) {
	dst := &t.docAttrs[doc]
	if n := t.docNode[doc]; n != 0 {
		// A record of its own: records are shared by equal elements.
		t.attrs = append(t.attrs, t.attrs[t.nodes[n].attr])
		t.nodes[n].attr = int32(len(t.attrs) - 1)
		dst = &t.attrs[t.nodes[n].attr]
	}
	if dst.style == "" {
		dst.style = a.style
	}
	if dst.class == "" {
		dst.class = a.class
	}
	if dst.id == "" {
		dst.id = a.id
	}
	if dst.flags&rdAColour == 0 && a.flags&rdAColour != 0 {
		dst.colour = a.colour
	}
	if dst.flags&rdABg == 0 && a.flags&rdABg != 0 {
		dst.bg = a.bg
	}
	dst.flags |= a.flags
}

// relevant reports a style attribute that sets a property the reader
// evaluates; answers for repeated values are kept.
func (t *rdTree) relevant(style string) bool {
	if v, ok := t.styleSet[style]; ok {
		return v
	}
	var st rdStyle
	rdParseDecls(style, &st)
	if t.styleSet == nil {
		t.styleSet = map[string]bool{}
	}
	if len(t.styleSet) < rdMaxShared {
		t.styleSet[style] = st.set != 0
	}
	return st.set != 0
}

// intern shares repeated attribute values (Word repeats one style on
// thousands of spans).
func (t *rdTree) intern(v []byte) string {
	if s, ok := t.strs[string(v)]; ok {
		return s
	}
	if t.strs == nil {
		t.strs = map[string]string{}
	}
	s := string(v)
	if len(t.strs) < rdMaxShared {
		t.strs[s] = s
	}
	return s
}

// comment keeps the text of a comment in the body as a node of its own:
// it is never rendered, but a reviewer should see what it would declare.
// Markup inside it (commented-out HTML) is dropped.
func (t *rdTree) comment(data []byte, line int) {
	if t.ignored > 0 || t.comments >= rdMaxComments || len(bytes.TrimSpace(data)) == 0 {
		return
	}
	if t.open[rdTHead] > 0 && t.topTag() == rdTHead {
		return
	}
	start := len(t.arena)
	inTag := false
	for i := 0; i < len(data); i++ {
		c := data[i]
		switch {
		case c == '<':
			inTag = true
		case c == '>' && inTag:
			inTag = false
			t.arena = append(t.arena, ' ')
		case inTag:
			if c == '\n' {
				t.arena = append(t.arena, rdLineMark)
			}
		case c == '\n':
			t.arena = append(t.arena, '\n')
		case c >= 0x20 || c == '\t':
			t.arena = append(t.arena, c)
		}
	}
	if strings.IndexFunc(string(t.arena[start:]), func(r rune) bool { return !rdBlank(r) }) < 0 {
		t.arena = t.arena[:start]
		return
	}
	t.comments++
	t.add(rdNode{tag: rdTComment, off: int32(start), end: int32(len(t.arena)), line: int32(line)})
}

// endStyle reads the rules of the <style> element just closed, so that
// elements after it can be judged while the tree is built.
func (t *rdTree) endStyle() {
	if len(t.css) > 0 {
		t.sheet.parse(string(t.css))
		t.css = t.css[:0]
	}
}

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
func (t *rdTree) text(raw []byte, line int) error {
	if t.open[rdTHead] > 0 && t.topTag() == rdTHead {
		if len(bytes.TrimSpace(raw)) == 0 {
			return nil
		}
		// Text cannot be in <head>: the body has begun.
		t.popTo(t.find(1<<rdTHead, 0))
	}
	// Text inside <template> is kept, though never rendered, to report
	// what it would declare; text in other ignored elements is code.
	if t.ignored > int(t.open[rdTTemplate]) {
		return nil
	}
	if len(bytes.TrimSpace(raw)) > 0 {
		t.bodyStarted, t.noFrameset = true, true
		if t.closed > 0 {
			if err := t.reopen(line); err != nil {
				return err
			}
		}
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
		return nil
	}
	t.add(rdNode{tag: rdTText, off: int32(start), end: int32(len(t.arena)), line: int32(line)})
	return nil
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
	if rdHas(tag, rdFMarker) {
		t.active = append(t.active, rdActive{node: -1})
		t.closed = 0
	}
}

// popTo closes the element at stack index k and all above it.
func (t *rdTree) popTo(k int) {
	if k <= 0 {
		return
	}
	for i := len(t.stack) - 1; i >= k; i-- {
		id := t.stack[i].id
		tag := t.nodes[id].tag
		t.open[tag]--
		if rdHas(tag, rdFIgnored) {
			t.ignored--
		}
		if len(t.active) > 0 {
			t.closeActive(id, tag)
		}
	}
	t.stack = t.stack[:k]
}

// closeActive updates the active formatting elements when an element is
// closed: a formatting element closed by markup other than its own end
// tag stays in the list, to be reopened; a marker's end clears the list
// back to the marker.
func (t *rdTree) closeActive(id int32, tag rdTag) {
	if rdHas(tag, rdFMarker) {
		// A cell, caption or template closes with its markers; an
		// object, applet or marquee only by its own end tag.
		if tag == rdTObject || tag == rdTApplet || tag == rdTMarquee {
			return
		}
		t.clearToMarker()
		return
	}
	if !rdHas(tag, rdFFormatting) {
		return
	}
	for k := len(t.active) - 1; k >= 0 && t.active[k].node != -1; k-- {
		if t.active[k].node == id && t.active[k].open {
			t.active[k].open = false
			t.closed++
			return
		}
	}
}

// clearToMarker drops the active formatting elements back to the last
// marker, and the marker. closed counts the closed entries after the last
// marker, the only ones reopen looks at.
func (t *rdTree) clearToMarker() {
	for k := len(t.active) - 1; k >= 0; k-- {
		if t.active[k].node == -1 {
			t.active = t.active[:k]
			break
		}
	}
	t.closed = 0
	for k := len(t.active) - 1; k >= 0 && t.active[k].node != -1; k-- {
		if !t.active[k].open {
			t.closed++
		}
	}
}

// forget removes a formatting element from the active list: its own end
// tag was read. k is its index on the stack, 0 when it is not open.
func (t *rdTree) forget(tag rdTag, k int) {
	for e := len(t.active) - 1; e >= 0 && t.active[e].node != -1; e-- {
		n := t.active[e].node
		if t.nodes[n].tag != tag || (k > 0) != t.active[e].open || (k > 0 && t.stack[k].id != n) {
			continue
		}
		if !t.active[e].open {
			t.closed--
		}
		t.active = append(t.active[:e], t.active[e+1:]...)
		return
	}
}

// adopt closes the formatting element tag as the standard's adoption
// agency does, as far as rendering goes. When blocks ("special" elements)
// were opened inside it, <b hidden><p>x</b>y, a browser moves each block
// out of the formatting element, wraps the block's content so far in a
// copy of the formatting element, and goes on writing into the innermost
// block: x is still in <b>, y is in the paragraph but not in <b>. The
// tree here cannot move nodes: the blocks keep their place, each marked
// to apply the formatting element's style to its content again (wrap),
// and after the end tag copies of the blocks are opened, with their
// attributes, for what follows.
func (t *rdTree) adopt(tag rdTag, line int) error {
	k := t.findTag(tag, rdFScope, false)
	if len(t.active) > 0 {
		t.forget(tag, k)
	}
	if k == 0 {
		return nil
	}
	// The blocks, and the formatting elements around them, which
	// browsers keep open in that order; the rest closes.
	var keep [rdMaxAdopt]int32
	n, blocks, last := 0, 0, 0
	for i := k + 1; i < len(t.stack); i++ {
		nd := &t.nodes[t.stack[i].id]
		switch nd.tag {
		case rdTTable, rdTTr, rdTTd, rdTTh, rdTThead, rdTTbody, rdTTfoot, rdTCaption, rdTColgroup:
			return nil // a table cannot be copied: leave it all open (shows less, never more)
		}
		special := rdHas(nd.tag, rdFSpecial)
		if !special && !rdHas(nd.tag, rdFFormatting) {
			continue
		}
		if n == rdMaxAdopt {
			return nil
		}
		keep[n] = t.stack[i].id
		n++
		if special {
			blocks++
			last = n
		}
	}
	if blocks == 0 {
		t.popTo(k)
		return nil
	}
	f := t.stack[k].id
	if t.wrap == nil {
		t.wrap = map[int32]rdAdopted{}
	}
	var prev int32
	from := 0
	for i, id := range keep[:last] {
		if rdHas(t.nodes[id].tag, rdFSpecial) {
			t.wrap[id] = rdAdopted{f: f, prev: prev, between: append([]int32(nil), keep[from:i]...)}
			prev, from = id, i+1
		}
	}
	t.popTo(k)
	for _, id := range keep[:last] {
		orig := t.nodes[id]
		if err := t.copied(line); err != nil {
			return err
		}
		c := t.add(rdNode{tag: orig.tag, attr: orig.attr, line: int32(line), colspan: 1, rowspan: 1, clone: orig.tag == rdTA})
		t.push(c)
		if len(t.stack)-1 > t.lim.MaxDepth {
			return fmt.Errorf("HTML elements nested more than %d deep (line %d)", t.lim.MaxDepth, line)
		}
		// A formatting element kept open is open again in the list.
		for e := len(t.active) - 1; e >= 0 && t.active[e].node != -1; e-- {
			if t.active[e].node == id && !t.active[e].open {
				t.active[e].node, t.active[e].open = c, true
				t.closed--
				break
			}
		}
	}
	return nil
}

// rdMaxAdopt bounds the elements an adoption reopens (the standard's own
// bounds are eight blocks and three formatting elements each).
const rdMaxAdopt = 16

// integration reports SVG and MathML elements whose content is HTML.
func (t *rdTree) integration(tag rdTag) bool {
	for _, n := range [...]string{"foreignobject", "desc", "title", "annotation-xml", "mi", "mo", "mn", "ms", "mtext"} {
		if t.tagID([]byte(n)) == tag {
			return true
		}
	}
	return false
}

// foreignRoot is the stack index of the outermost open <svg> or <math>.
func (t *rdTree) foreignRoot() int {
	for i := 1; i < len(t.stack); i++ {
		if tag := t.nodes[t.stack[i].id].tag; tag == rdTSvg || tag == rdTMath {
			return i
		}
	}
	return 0
}

// findOpenItem is the search of a <li>, <dd> or <dt> start tag for an
// open one to close: it stops at a special element other than <address>,
// <div> and <p>.
func (t *rdTree) findOpenItem(targets uint64) int {
	if t.open[rdTLi]+t.open[rdTDd]+t.open[rdTDt] == 0 {
		return 0
	}
	for i := len(t.stack) - 1; i > 0; i-- {
		tag := t.nodes[t.stack[i].id].tag
		if tag < 64 && targets&(1<<tag) != 0 {
			return i
		}
		if rdHas(tag, rdFSpecial) && tag != rdTP && tag != rdTDiv && tag != rdTAddress {
			return 0
		}
	}
	return 0
}

// reopen recreates the formatting elements that markup closed implicitly,
// as browsers do before inserting text: <p><font
// style="display:none">…</p><p>text hides the second paragraph too. The
// copy hides and colours like the original and has no other role (a copy
// of <b> does not make a header cell bold).
func (t *rdTree) reopen(line int) error {
	k := len(t.active) - 1
	if k < 0 || t.active[k].node == -1 || t.active[k].open {
		return nil
	}
	for k > 0 && t.active[k-1].node != -1 && !t.active[k-1].open {
		k--
	}
	for ; k < len(t.active); k++ {
		e := &t.active[k]
		if err := t.copied(line); err != nil {
			return err
		}
		orig := t.nodes[e.node]
		id := t.add(rdNode{tag: orig.tag, attr: orig.attr, line: int32(line), colspan: 1, rowspan: 1, clone: true})
		t.push(id)
		if len(t.stack)-1 > t.lim.MaxDepth {
			return fmt.Errorf("HTML elements nested more than %d deep (line %d)", t.lim.MaxDepth, line)
		}
		e.node, e.open = id, true
		t.closed--
	}
	return nil
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
		if rdHas(tag, stop) && !t.nodes[t.stack[i].id].foreign {
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
		nd := &t.nodes[t.stack[i].id]
		if nd.tag == tag {
			return i
		}
		if (rdHas(nd.tag, stop) || stopTable && nd.tag == rdTTable) && !nd.foreign {
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
	rdMaskTable = 1<<rdTTable | 1<<rdTTbody | 1<<rdTThead | 1<<rdTTfoot
)

func (t *rdTree) start(tag rdTag, selfClosing bool, line int, href int32, colspan, rowspan uint16, a rdAttrs, kept bool) error {
	t.elements++
	first := t.started
	t.started = true
	if t.elements > t.lim.MaxNodes {
		return fmt.Errorf("more than %d HTML elements (line %d)", t.lim.MaxNodes, line)
	}
	if t.open[rdTSvg]+t.open[rdTMath] > 0 && t.nodes[t.top()].foreign {
		// SVG and MathML content is not read; only an HTML tag that
		// browsers take out of it (a <p>, a <b>, a <font color>) matters.
		// In an integration point (<foreignObject>, <mtext>) tags are
		// HTML.
		if !rdHas(tag, rdFBreakout) && !(tag == rdTFont && a.flags&(rdAFontBreak|rdAColour) != 0) {
			id := t.add(rdNode{tag: tag, line: int32(line), colspan: 1, rowspan: 1, foreign: !t.integration(tag)})
			if !selfClosing {
				t.push(id)
				if len(t.stack)-1 > t.lim.MaxDepth {
					return fmt.Errorf("HTML elements nested more than %d deep (line %d)", t.lim.MaxDepth, line)
				}
			}
			return nil
		}
		t.popTo(t.foreignRoot())
	}
	switch tag {
	case rdTButton:
		t.popTo(t.findTag(rdTButton, rdFScope, false))
	case rdTSelect:
		// A <select> inside a select closes it (the standard's select
		// parsing of 2025, which keeps other markup inside).
		if k := t.findTag(rdTSelect, rdFScope, false); k > 0 {
			t.popTo(k)
			return nil
		}
	case rdTInput:
		t.popTo(t.findTag(rdTSelect, rdFScope, false))
	case rdTOption, rdTOptgroup:
		if t.findTag(rdTSelect, rdFScope, false) > 0 {
			for {
				g := t.topTag()
				if g != rdTOption && g != rdTP && g != rdTLi && g != rdTDd && g != rdTDt && (g != rdTOptgroup || tag == rdTOption) {
					break
				}
				t.popTo(len(t.stack) - 1)
			}
		} else if t.topTag() == rdTOption {
			t.popTo(len(t.stack) - 1)
		}
	case rdTForm:
		if t.open[rdTForm] > 0 && t.open[rdTTemplate] == 0 {
			return nil // forms do not nest: a browser drops the tag
		}
	case rdTNobr:
		if t.open[rdTNobr] > 0 {
			if err := t.adopt(rdTNobr, line); err != nil {
				return err
			}
		}
	}
	if t.open[rdTHead] > 0 && t.topTag() == rdTHead && !rdHas(tag, rdFHeadContent) {
		t.popTo(t.findTag(rdTHead, 0, false))
	}
	switch tag {
	case rdTHTML, rdTBody:
		// A document has one <html> and one <body>, opened by the first
		// content when their tags are missing. A later tag (a pasted
		// page, a stray <body style="color:#fff">) adds no element:
		// browsers give its attributes to the element there is.
		if t.open[rdTTemplate] > 0 {
			return nil
		}
		doc := rdDocIndex(tag)
		early := !t.bodyStarted && (tag == rdTBody || !first)
		if t.docNode[doc] != 0 || !early || t.open[rdTBody] > 0 {
			if kept {
				t.mergeDoc(doc, &a)
			}
			return nil
		}
		if tag == rdTBody {
			t.popTo(t.findTag(rdTHead, 0, false))
		}
	case rdTHead:
		if t.open[tag] > 0 || t.bodyStarted || t.open[rdTBody] > 0 {
			return nil
		}
	case rdTFrameset:
		// A frameset replaces a body that has no text yet, and nothing
		// after it is shown; otherwise browsers drop the tag.
		if !t.noFrameset {
			t.frameset = true
		}
		return nil
	default:
		if t.open[rdTHead] == 0 || !rdHas(tag, rdFHeadContent) {
			t.bodyStarted = true
		}
		if rdHas(tag, rdFBody) {
			t.noFrameset = true
		}
	}
	tablePart, inTable := false, false
	switch tag {
	case rdTTr, rdTTd, rdTTh, rdTThead, rdTTbody, rdTTfoot, rdTCaption, rdTColgroup, rdTCol:
		tablePart = true
		// A template holds table parts of its own; outside one, the
		// table they belong to is the nearest open one.
		inTable = t.find(rdMaskTable, rdFTableStop) > 0
		if !inTable && t.open[rdTTemplate] == 0 {
			// Browsers ignore a table part outside a table, attributes
			// and all; it stays here, empty, as the block boundary this
			// reader always made of it.
			t.add(rdNode{tag: tag, line: int32(line), colspan: 1, rowspan: 1})
			return nil
		}
	case rdTTable:
		// A table straight in a table (not in a cell) closes it.
		if t.open[rdTTable] > 0 {
			if k := t.find(rdMaskTable|1<<rdTTr|rdMaskCells|1<<rdTCaption, rdFTableStop); k > 0 {
				if g := t.nodes[t.stack[k].id].tag; g != rdTTd && g != rdTTh && g != rdTCaption {
					t.popTo(t.findTag(rdTTable, rdFTableStop, false))
				}
			}
		}
	case rdTForm:
		if t.open[rdTTable] > 0 {
			if k := t.find(rdMaskTable|1<<rdTTr|rdMaskCells|1<<rdTCaption, rdFTableStop); k > 0 && t.nodes[t.stack[k].id].tag != rdTTd &&
				t.nodes[t.stack[k].id].tag != rdTTh && t.nodes[t.stack[k].id].tag != rdTCaption {
				// A form straight in a table is an empty element.
				if t.open[rdTForm] == 0 && t.open[rdTTemplate] == 0 {
					t.add(rdNode{tag: tag, line: int32(line), colspan: 1, rowspan: 1})
				}
				return nil
			}
		}
	}
	// In quirks mode a table sits inside an open paragraph.
	if rdHas(tag, rdFClosesP) && !(tag == rdTTable && t.quirks) {
		t.popTo(t.findTag(rdTP, rdFButtonScope, false))
	}
	switch tag {
	case rdTH1, rdTH2, rdTH3, rdTH4, rdTH5, rdTH6:
		if rdHeadingLevel(t.topTag()) > 0 {
			t.popTo(len(t.stack) - 1)
		}
	case rdTLi:
		t.popTo(t.findOpenItem(1 << rdTLi))
	case rdTDd, rdTDt:
		t.popTo(t.findOpenItem(rdMaskDefs))
	case rdTA:
		if t.open[rdTA] > 0 {
			if err := t.adopt(rdTA, line); err != nil {
				return err
			}
		}
	case rdTTr:
		// Back to the table or row group: an open row, its cells and
		// whatever was written straight into the table close.
		if inTable {
			t.popTo(t.find(rdMaskTable, rdFTableStop) + 1)
		}
	case rdTThead, rdTTbody, rdTTfoot, rdTCaption, rdTColgroup, rdTCol:
		// These belong straight under <table>: close whatever row, cell
		// or section is open in it.
		if k := t.findTag(rdTTable, rdFTableStop, false); k > 0 {
			t.popTo(k + 1)
		}
	case rdTTd, rdTTh:
		k := t.find(rdMaskTable|1<<rdTTr, rdFTableStop)
		if k > 0 {
			t.popTo(k + 1)
		}
		// A cell straight inside <table> or a row group has an implied
		// row.
		if k > 0 && t.nodes[t.stack[k].id].tag != rdTTr {
			if err := t.start(rdTTr, false, line, 0, 1, 1, rdAttrs{}, false); err != nil {
				return err
			}
		}
	}
	if t.closed > 0 && !tablePart && !rdHas(tag, rdFClosesP|rdFHeadContent|rdFNoReopen) {
		// Inline content reopens formatting elements closed implicitly,
		// before it is inserted.
		if err := t.reopen(line); err != nil {
			return err
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
	n := rdNode{tag: tag, href: href, line: int32(line), colspan: colspan, rowspan: rowspan, foreign: tag == rdTSvg || tag == rdTMath}
	if kept {
		n.attr = t.attrIndex(a)
	}
	id := t.add(n)
	if tag == rdTHTML || tag == rdTBody {
		t.docNode[rdDocIndex(tag)] = id
	}
	if tag == rdTTd || tag == rdTTh {
		if tb := t.nodes[id].table; tb != 0 {
			t.nodes[tb].cells++
		}
	}
	// Browsers ignore "/>" on HTML elements: <div style="display:none"/>
	// hides everything after it up to its parent's end. In SVG and
	// MathML, whose content is ignored anyway, "/>" does close.
	if rdHas(tag, rdFVoid) || selfClosing && (tag == rdTSvg || tag == rdTMath) {
		return nil
	}
	t.push(id)
	if rdHas(tag, rdFFormatting) && (kept || t.sheet.lookup(rdSelTag, rdTagNames[tag]) != nil) {
		// Only elements that can change rendering are reopened: a copy
		// of a bare <b> would change nothing but the element count.
		t.remember(id)
	}
	if len(t.stack)-1 > t.lim.MaxDepth {
		return fmt.Errorf("HTML elements nested more than %d deep (line %d)", t.lim.MaxDepth, line)
	}
	return nil
}

// remember adds a formatting element to the active list, dropping the
// oldest entry past rdMaxActive since the last marker.
func (t *rdTree) remember(id int32) {
	first := len(t.active)
	for first > 0 && t.active[first-1].node != -1 {
		first--
	}
	// Browsers keep three entries with the same tag and attributes (the
	// "Noah's Ark" clause), which keeps unclosed <font color> in every
	// paragraph from piling up copies.
	same, earliest := 0, -1
	nd := &t.nodes[id]
	for e := first; e < len(t.active); e++ {
		o := &t.nodes[t.active[e].node]
		if o.tag == nd.tag && (o.attr == nd.attr || t.attrs[o.attr] == t.attrs[nd.attr]) {
			if same++; earliest < 0 {
				earliest = e
			}
		}
	}
	drop := -1
	switch {
	case same >= 3:
		drop = earliest
	case len(t.active)-first >= rdMaxActive:
		drop = first
	}
	if drop >= 0 {
		if !t.active[drop].open {
			t.closed--
		}
		t.active = append(t.active[:drop], t.active[drop+1:]...)
	}
	t.active = append(t.active, rdActive{node: id, open: true})
}

// copied counts an element made by the reader (a reopened formatting
// element, a block copied by the adoption agency). Browsers make them
// too, so they are not charged to MaxNodes, but they have a budget of
// their own of the same size.
func (t *rdTree) copied(line int) error {
	t.copies++
	if t.copies > t.lim.MaxNodes {
		return fmt.Errorf("more than %d reopened formatting elements (line %d)", t.lim.MaxNodes, line)
	}
	return nil
}

// endTag closes elements as the standard's "in body" rules do, as far as
// they decide what an element covers: a block's end tag closes it through
// anything within its scope, a formatting element's goes through the
// adoption agency, </li> does not leave its list, and any other end tag
// (</span>) is ignored when a block was opened inside the element.
func (t *rdTree) endTag(tag rdTag, line int) error {
	if t.open[rdTSvg]+t.open[rdTMath] > 0 && tag != rdTP && tag != rdTBr {
		for i, root := len(t.stack)-1, t.foreignRoot(); i >= root && root > 0; i-- {
			if t.nodes[t.stack[i].id].tag == tag {
				t.popTo(i)
				return nil
			}
		}
	}
	switch tag {
	case rdTHTML, rdTBody:
		// Content after </body> is still shown by browsers.
		return nil
	case rdTBr:
		// </br> is a line break to every browser.
		return t.start(rdTBr, false, line, 0, 1, 1, rdAttrs{}, false)
	case rdTP:
		if t.findTag(rdTP, rdFButtonScope, false) == 0 {
			// A stray </p> makes an empty paragraph: a block boundary.
			if err := t.start(rdTP, false, line, 0, 1, 1, rdAttrs{}, false); err != nil {
				return err
			}
		}
	case rdTStyle:
		if t.ownSheet && t.topTag() == rdTStyle {
			t.endStyle()
		}
	}
	switch {
	case tag == rdTTable:
		t.popTo(t.findTag(tag, rdFTableStop, false))
	case tag == rdTTd || tag == rdTTh || tag == rdTTr || tag == rdTThead || tag == rdTTbody || tag == rdTTfoot || tag == rdTCaption || tag == rdTColgroup:
		t.popTo(t.findTag(tag, rdFTableStop, true))
	case rdHas(tag, rdFFormatting):
		return t.adopt(tag, line)
	case rdHeadingLevel(tag) > 0:
		// Any heading's end tag closes the open heading.
		k := t.find(1<<rdTH1|1<<rdTH2|1<<rdTH3|1<<rdTH4|1<<rdTH5|1<<rdTH6, rdFScope)
		t.popTo(k)
	case tag == rdTForm && t.open[rdTTemplate] == 0:
		// </form> takes the form off the stack and nothing else: what
		// was opened inside it stays open, and inside it.
		if k := t.findTag(tag, rdFScope, false); k > 0 {
			t.open[tag]--
			t.stack = append(t.stack[:k], t.stack[k+1:]...)
		}
	case tag == rdTLi:
		k := t.findTag(tag, rdFScope, false)
		for i := k + 1; k > 0 && i < len(t.stack); i++ {
			if n := t.nodes[t.stack[i].id].tag; n == rdTUl || n == rdTOl {
				k = 0 // in a list inside the item: not in list-item scope
			}
		}
		t.popTo(k)
	case tag == rdTP:
		t.popTo(t.findTag(tag, rdFButtonScope, false))
	case tag == rdTTemplate:
		t.popTo(t.findTag(tag, 0, false))
	case rdHas(tag, rdFBlockEnd) || rdHas(tag, rdFRaw):
		k := t.findTag(tag, rdFScope, false)
		t.popTo(k)
		if k > 0 && (tag == rdTObject || tag == rdTApplet || tag == rdTMarquee) {
			t.clearToMarker()
		}
	default:
		t.popTo(t.findTag(tag, rdFSpecial, false))
	}
	return nil
}

// The walker.

// rdSink collects the text of one block or one table cell. Text that is
// not rendered goes in too, between rdHideOpen and rdHideClose, so that
// the block can be read both as shown and as it would read with that text
// shown.
type rdSink struct {
	buf           []byte
	line          int
	gen           int
	visible, bold int // non-blank bytes, and those inside <b>/<strong>
	hidden        int // non-blank bytes that are not rendered
	hline         int // line of the first of them
	why           rdWhy
	marked        bool // buf holds hidden text, blank or not
}

// Markers around hidden text in a sink; sanitised text has no control
// characters, so they cannot come from the document.
const (
	rdHideOpen  = '\x02'
	rdHideClose = '\x03'
)

func (s *rdSink) reset() {
	s.buf, s.line, s.hidden, s.hline, s.why, s.marked = s.buf[:0], 0, 0, 0, 0, false
}

// hide appends text that is not rendered.
func (s *rdSink) hide(txt []byte, line int, why rdWhy) {
	s.marked = true
	s.buf = append(s.buf, rdHideOpen)
	s.buf = append(s.buf, txt...)
	s.buf = append(s.buf, rdHideClose)
	n := 0
	for _, r := range string(txt) {
		if !rdBlank(r) {
			n++
		}
	}
	if n > 0 && s.hidden == 0 {
		s.hline, s.why = rdBlockLine(txt, line), why
	}
	s.hidden += n
}

// shown is the text of a sink as rendered.
func (s *rdSink) shown() string {
	if !s.marked {
		return rdCollapse(string(s.buf))
	}
	return rdCollapse(string(rdStripHidden(s.buf)))
}

// rdStripHidden removes the marked runs.
func rdStripHidden(b []byte) []byte {
	out := make([]byte, 0, len(b))
	for len(b) > 0 {
		i := bytes.IndexByte(b, rdHideOpen)
		if i < 0 {
			return append(out, b...)
		}
		out = append(out, b[:i]...)
		j := bytes.IndexByte(b[i:], rdHideClose)
		if j < 0 {
			return out
		}
		b = b[i+j+1:]
	}
	return out
}

type rdCell struct {
	text             string
	hid              int32 // 1 + index in rdWalker.hcells when some text is hidden
	colspan, rowspan int32
	th, bold         bool
}

// rdHiddenCell is a cell's text with its hidden text shown; few cells
// have one, so it is kept apart.
type rdHiddenCell struct {
	all string
	why rdWhy
}

type rdRow struct {
	line     int // first text of the row, else the <tr>
	cells    []rdCell
	thead    bool
	implicit bool // opened by a cell outside any <tr>; ends with it
	why      rdWhy
	hline    int
}

// rdItem is a row or a block (a caption, stray text) of a table, kept in
// source order so line numbers never go backwards; hblock is a block with
// hidden text.
type rdItem struct {
	row    *rdRow
	block  Block
	hblock *Block
}

type rdTable struct {
	node   int32
	items  []rdItem
	thead  int
	hidden bool
}

type rdAnchor struct {
	node int32
	href string
	line int
	sink *rdSink
	gen  int
	off  int
	why  rdWhy
}

type rdWalker struct {
	t         *rdTree
	blocks    []Block
	hidden    []Block
	anyHidden bool
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
	htables   int
	cellsLeft int
	hcells    []rdHiddenCell // cells with hidden text, of the table being read
	vis       []rdVis
	raw       []rdVis // vis without the adoption agency's copies (rdAdopted)
	path      []int32 // the elements walked into, as vis
	tagRules  map[rdTag]*rdRule
	cands     []rdCandidate
	cached    []int32   // by record index: 1 + index in styles, 0 if not computed
	styles    []rdStyle // computed styles of records
	// foster holds, for each open <table>, the index in vis of the state
	// around it: text and elements written straight into a table are
	// moved before it by browsers ("foster parenting"), out of its
	// styles.
	foster []int
}

func (w *rdWalker) init() {
	w.cands = make([]rdCandidate, 0, 24)
	defer func() {
		root := w.rootState()
		w.vis = append(make([]rdVis, 0, 64), root)
		w.raw = append(make([]rdVis, 0, 64), root)
		w.path = append(make([]int32, 0, 64), 0)
	}()
	for name, r := range w.t.sheet.keys[rdSelTag] {
		id, ok := rdTagIDs[name]
		if !ok {
			id, ok = w.t.extra[name]
		}
		if ok {
			if w.tagRules == nil {
				w.tagRules = map[rdTag]*rdRule{}
			}
			w.tagRules[id] = r
		}
	}
}

// state computes what an element does to the rendering of its content.
func (w *rdWalker) state(outer rdVis, n int32) rdVis {
	nd := &w.t.nodes[n]
	var a *rdAttrs
	if nd.attr != 0 {
		a = &w.t.attrs[nd.attr]
	}
	v := w.styled(outer, nd.tag, a, nd.attr)
	if n == w.t.docNode[0] && w.t.docNode[1] == 0 {
		// The implied body, with any attributes a late <body> gave it.
		v = w.styled(v, rdTBody, w.docBody(), 0)
	}
	switch {
	case v.why != 0:
	case nd.tag == rdTTemplate:
		v.why = rdWhyTemplate
	case nd.tag == rdTDialog && (a == nil || a.flags&rdAOpen == 0):
		v.why = rdWhyDialog
	}
	return v
}

// wrapped is state for the element being entered, undoing in its
// ancestry what the adoption agency changed (see rdAdopted); it also returns
// the state before the wrapping copy, which a later block moved out of
// this one starts from.
func (w *rdWalker) wrapped(outer rdVis, n int32) (v, raw rdVis) {
	wr, ok := w.t.wrap[n]
	if !ok {
		v = w.state(outer, n)
		return v, v
	}
	base := outer
	if i := w.onPath(wr.f); i > 0 {
		base = w.vis[i-1]
		if wr.prev != 0 {
			if j := w.onPath(wr.prev); j > 0 {
				base = w.raw[j]
			}
		}
	}
	for _, g := range wr.between {
		base = w.state(base, g)
	}
	raw = w.state(base, n)
	return w.state(raw, wr.f), raw
}

// onPath is the index in vis of an element being walked, 0 if none.
func (w *rdWalker) onPath(id int32) int {
	for i := len(w.path) - 1; i > 0; i-- {
		if w.path[i] == id {
			return i
		}
	}
	return 0
}

// styled applies an element's declarations to the state around it.
// idx, when not 0, is a's index in the tree's records, whose styles are
// cached: parsing a style attribute and looking up classes once per
// distinct record keeps Word's span soup cheap.
func (w *rdWalker) styled(outer rdVis, tag rdTag, a *rdAttrs, idx int32) rdVis {
	rule := w.tagRules[tag]
	if a == nil && rule == nil {
		return outer
	}
	if rule != nil || idx <= 0 || idx >= rdStyleCache {
		st := rdElementStyle(w.t.sheet, rule, a, w.cands)
		return outer.child(&st, a)
	}
	if int(idx) >= len(w.cached) {
		w.cached = append(w.cached, make([]int32, int(idx)+1-len(w.cached))...)
	}
	k := w.cached[idx]
	if k == 0 {
		w.styles = append(w.styles, rdElementStyle(w.t.sheet, nil, a, w.cands))
		k = int32(len(w.styles))
		w.cached[idx] = k
	}
	return outer.child(&w.styles[k-1], a)
}

// rdStyleCache bounds the records whose computed style is kept.
const rdStyleCache = 8192

// rootState is the state inside the document's <html> and <body> when
// their tags were left out: their tag rules and any attributes a late tag
// gave them still apply.
func (w *rdWalker) rootState() rdVis {
	v := rdRootVis(w.t.sheet)
	if w.t.docNode[0] == 0 {
		a := &w.t.docAttrs[0]
		if *a == (rdAttrs{}) {
			a = nil
		}
		v = w.styled(v, rdTHTML, a, 0)
		if w.t.docNode[1] == 0 {
			v = w.styled(v, rdTBody, w.docBody(), 0)
		}
	}
	return v
}

// docBody is the attributes a late <body> gave the implied one, nil if
// none.
func (w *rdWalker) docBody() *rdAttrs {
	if a := &w.t.docAttrs[1]; *a != (rdAttrs{}) {
		return a
	}
	return nil
}

// openChain returns the elements still open at the end of the document
// when text there would be hidden, for the Markdown reader to carry into
// its next blocks.
func (w *rdWalker) openChain() ([]rdCarried, rdWhy) {
	t := w.t
	v := w.rootState()
	from := 0
	for i := 1; i < len(t.stack); i++ {
		v = w.state(v, t.stack[i].id)
		if from == 0 && v.textWhy() != 0 {
			from = i
		}
	}
	why := v.textWhy()
	if why == 0 || from == 0 {
		return nil, 0
	}
	var names map[rdTag]string
	var out []rdCarried
	for i := from; i < len(t.stack) && len(out) < rdMaxCarry; i++ {
		nd := &t.nodes[t.stack[i].id]
		c := rdCarried{tag: nd.tag}
		if nd.attr != 0 {
			c.attrs = t.attrs[nd.attr]
		}
		if nd.tag < rdTNamed {
			c.name = rdNamedTags[nd.tag]
		} else {
			if names == nil {
				names = map[rdTag]string{}
				for n, id := range rdTagIDs {
					names[id] = n
				}
				for n, id := range t.extra {
					names[id] = n
				}
			}
			c.name = names[nd.tag]
		}
		out = append(out, c)
	}
	return out, why
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
	if tag == rdTText || tag == rdTComment {
		w.text(nd)
		return false
	}
	outer := len(w.vis) - 1
	if w.fostered(nd) {
		outer = w.foster[len(w.foster)-1]
	}
	if tag == rdTTable {
		w.foster = append(w.foster, outer)
	}
	v, raw := w.wrapped(w.vis[outer], n)
	w.vis, w.raw, w.path = append(w.vis, v), append(w.raw, raw), append(w.path, n)
	if tag == rdTTemplate {
		// A template's content is fostered within the template.
		w.foster = append(w.foster, len(w.vis)-1)
	}
	if rdHas(tag, rdFIgnored) && tag != rdTTemplate {
		return false
	}
	switch tag {
	case rdTBr:
		w.boundary()
	case rdTB, rdTStrong:
		if !nd.clone {
			w.bold++
		}
	case rdTA:
		if href := rdCollapse(w.t.hrefs[nd.href]); !nd.clone && rdShowHref(href) {
			s := w.sink()
			w.anchors = append(w.anchors, rdAnchor{node: n, href: href, line: int(nd.line), sink: s, gen: s.gen, off: len(s.buf), why: w.vis[len(w.vis)-1].textWhy()})
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
	if tag == rdTText || tag == rdTComment {
		return nil
	}
	w.vis, w.raw, w.path = w.vis[:len(w.vis)-1], w.raw[:len(w.raw)-1], w.path[:len(w.path)-1]
	if tag == rdTTable || tag == rdTTemplate {
		w.foster = w.foster[:len(w.foster)-1]
	}
	if tag == rdTBr || rdHas(tag, rdFIgnored) && tag != rdTTemplate {
		return nil
	}
	switch tag {
	case rdTB, rdTStrong:
		if !nd.clone {
			w.bold--
		}
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

// fostered reports a node that browsers move out of its table: one whose
// parent is a table or row group or row, and which is not a table part.
func (w *rdWalker) fostered(nd *rdNode) bool {
	if len(w.foster) == 0 || nd.parent == 0 {
		return false
	}
	switch w.t.nodes[nd.parent].tag {
	case rdTTable, rdTTbody, rdTThead, rdTTfoot, rdTTr, rdTColgroup:
	default:
		return false
	}
	switch nd.tag {
	case rdTTr, rdTTd, rdTTh, rdTThead, rdTTbody, rdTTfoot, rdTCaption, rdTColgroup, rdTCol, rdTStyle, rdTTemplate:
		return false
	}
	return true
}

func (w *rdWalker) text(nd *rdNode) {
	s := w.sink()
	txt := w.t.arena[nd.off:nd.end]
	v := &w.vis[len(w.vis)-1]
	if w.fostered(nd) {
		v = &w.vis[w.foster[len(w.foster)-1]]
	}
	why := v.textWhy()
	if why == 0 && nd.tag == rdTComment {
		why = rdWhyComment
	}
	if why != 0 {
		s.hide(txt, int(nd.line), why)
		if s.hidden > 0 && w.tbl != nil {
			w.tbl.hidden = true
		}
		return
	}
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
		text := s.shown()
		if text != "" {
			w.emit(Block{Line: max(s.line, 1), Text: text, Heading: w.heading})
		}
		if s.hidden > 0 {
			if all := rdCollapse(string(s.buf)); all != "" {
				w.emitHidden(Block{Line: max(s.hline, 1), Text: all, Heading: w.heading, Hidden: s.why.String()})
			}
		} else if text != "" && w.heading > 0 {
			// Headings give the hidden text its context.
			w.emitHidden(Block{Line: max(s.line, 1), Text: text, Heading: w.heading})
		}
	}
	s.reset()
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

func (w *rdWalker) emitHidden(b Block) {
	if b.Hidden != "" {
		w.anyHidden = true
	}
	if w.tbl != nil {
		w.tbl.items = append(w.tbl.items, rdItem{hblock: &b})
		w.tbl.hidden = w.tbl.hidden || b.Hidden != ""
		return
	}
	w.hidden = append(w.hidden, b)
}

// rdShowHref leaves out links that lead nowhere a reader could follow.
func rdShowHref(href string) bool {
	l := strings.ToLower(href)
	return href != "" && !strings.HasPrefix(l, "#") && !strings.HasPrefix(l, "javascript:") &&
		!strings.HasPrefix(l, "data:") && !strings.HasPrefix(l, "about:")
}

// endAnchor appends a link's URL unless its text already shows it, so the
// SDK privacy links policies list survive as text. A hidden link's URL is
// hidden too.
func (w *rdWalker) endAnchor(a rdAnchor) {
	s := w.sink()
	txt := s.buf
	if s == a.sink && s.gen == a.gen && a.off <= len(s.buf) {
		txt = s.buf[a.off:]
	}
	if a.why == 0 && bytes.IndexByte(txt, rdHideOpen) >= 0 {
		txt = rdStripHidden(txt)
	}
	if rdShowsURL(rdCollapse(string(txt)), a.href) {
		return
	}
	url := " (" + a.href + ")"
	if a.why != 0 {
		s.hide([]byte(url), a.line, a.why)
		return
	}
	if s.line == 0 {
		s.line = a.line
	}
	s.buf = append(s.buf, url...)
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
	w.cellInfo = rdCell{colspan: int32(nd.colspan), rowspan: int32(nd.rowspan), th: nd.tag == rdTTh}
}

func (w *rdWalker) endCell() {
	c := w.cellInfo
	c.text = w.cell.shown()
	if w.cell.hidden > 0 {
		w.hcells = append(w.hcells, rdHiddenCell{all: rdCollapse(string(w.cell.buf)), why: w.cell.why})
		c.hid = int32(len(w.hcells))
		if w.row.why == 0 {
			w.row.why, w.row.hline = w.cell.why, w.cell.hline
		}
		w.tbl.hidden = true
	}
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
// colspan=100 does not repeat its text a hundred times. A table with
// hidden text is laid out a second time with that text shown, for
// Document.Hidden.
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
				sum += int(c.colspan)
			}
			width = max(width, sum)
		}
	}
	width = max(width, 1)
	var pending []rdPending
	index := 0
	for _, it := range tbl.items {
		if it.row == nil {
			if it.hblock == nil {
				w.blocks = append(w.blocks, it.block)
			}
			continue
		}
		cells, err := w.expand(it.row, width, &pending, false, &w.cellsLeft)
		if err != nil {
			return err
		}
		if rdEmpty(cells) {
			continue
		}
		header := it.row.thead || rdAll(it.row.cells, false, func(c rdCell) bool { return c.th }) ||
			(index == 0 && rdAll(it.row.cells, false, func(c rdCell) bool { return c.bold || c.text == "" }))
		if index == 0 {
			w.tables++
			index = w.tables
		}
		w.blocks = append(w.blocks, Block{Line: max(it.row.line, 1), Text: strings.Join(cells, " | "), Table: index, Cells: cells, Header: header})
	}
	defer func() { w.hcells = w.hcells[:0] }()
	if !tbl.hidden {
		for _, it := range tbl.items {
			if it.hblock != nil {
				w.hidden = append(w.hidden, *it.hblock)
			}
		}
		return nil
	}
	// The second layout costs no more cells than the first did.
	pending, index = pending[:0], 0
	budget := w.t.lim.MaxCells
	for _, it := range tbl.items {
		if it.row == nil {
			if it.hblock != nil {
				w.hidden = append(w.hidden, *it.hblock)
			}
			continue
		}
		cells, err := w.expand(it.row, width, &pending, true, &budget)
		if err != nil {
			return err
		}
		if rdEmpty(cells) {
			continue
		}
		header := it.row.thead || rdAll(it.row.cells, true, func(c rdCell) bool { return c.th }) ||
			(index == 0 && rdAll(it.row.cells, true, func(c rdCell) bool { return c.bold || w.cellText(c, true) == "" }))
		if index == 0 {
			w.htables++
			index = w.htables
		}
		b := Block{Line: max(it.row.line, 1), Text: strings.Join(cells, " | "), Table: index, Cells: cells, Header: header}
		if it.row.why != 0 {
			b.Line, b.Hidden = max(it.row.hline, 1), it.row.why.String()
			w.anyHidden = true
		}
		w.hidden = append(w.hidden, b)
	}
	return nil
}

// cellText is a cell's text as shown, or with its hidden text if all.
func (w *rdWalker) cellText(c rdCell, all bool) string {
	if all && c.hid != 0 {
		return w.hcells[c.hid-1].all
	}
	return c.text
}

func rdEmpty(cells []string) bool {
	for _, c := range cells {
		if c != "" {
			return false
		}
	}
	return true
}

// rdAll is true for a row with cells that all satisfy ok and at least one
// non-empty cell (its text as shown, or with hidden text if all is set).
func rdAll(cells []rdCell, all bool, ok func(rdCell) bool) bool {
	text := false
	for _, c := range cells {
		if !ok(c) {
			return false
		}
		text = text || c.text != "" || all && c.hid != 0
	}
	return text
}

// expand lays one row out on the grid: cells carried down by an earlier
// rowspan take their columns first, then the row's own cells fill the
// next free columns.
func (w *rdWalker) expand(row *rdRow, width int, pending *[]rdPending, all bool, left *int) ([]string, error) {
	var cells []string
	full := false
	place := func(s string) {
		*left--
		if *left < 0 {
			full = true
			return
		}
		cells = append(cells, s)
	}
	p := *pending
	col := 0
	for _, c := range row.cells {
		text := w.cellText(c, all)
		for col < len(p) && p[col].left > 0 && !full {
			place(p[col].text)
			p[col].left--
			col++
		}
		span := 1
		if col < width {
			span = min(int(c.colspan), width-col)
		}
		for k := 0; k < span && !full; k++ {
			place(text)
			if col < len(p) && p[col].left > 0 {
				p[col].left-- // overlapped by this cell
			}
			if c.rowspan > 1 {
				for len(p) <= col {
					p = append(p, rdPending{})
				}
				p[col] = rdPending{left: int(c.rowspan) - 1, text: text}
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
