package document

import (
	"bytes"
	"fmt"
	"io"
	"strconv"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// The HTML reader works in two passes. The first tokenizes into a compact
// tree of its own, counting lines from each token's raw bytes (html.Parse
// keeps no positions) and applying the few implied-end-tag rules real
// pages depend on (unclosed <p>, <li>, <td>, <tr>). The second walks the
// tree without recursion and emits blocks. A tree rather than a stream,
// because whether a table is data or page layout is known only after its
// last cell. Nodes hold no pointers and tags are small integers, so a
// document at the element limit costs tens of megabytes and little GC.

// tagID identifies an element name within one tree. The names with a
// role of their own come first, as constants; other names are numbered as
// the tree meets them (htmlTree.internTag), so a tree's tables stay small
// and dense. Names are recognised by x/net/html/atom, the tokenizer's own
// table of element names.
type tagID uint16

const (
	tagRoot tagID = iota
	tagText
	tagP
	tagLi
	tagDd
	tagDt
	tagA
	tagTr
	tagTd
	tagTh
	tagTable
	tagThead
	tagTbody
	tagTfoot
	tagCaption
	tagColgroup
	tagHead
	tagBody
	tagHTML
	tagBr
	tagB
	tagStrong
	tagH1
	tagH2
	tagH3
	tagH4
	tagH5
	tagH6
	tagStyle
	tagTemplate
	tagDialog
	tagFont
	tagLink
	tagComment // the text of an HTML comment, kept to report what it hides
	tagSvg
	tagMath
	tagCol
	tagUl
	tagOl
	tagDiv
	tagAddress
	tagSelect
	tagOption
	tagOptgroup
	tagButton
	tagForm
	tagNobr
	tagInput
	tagKeygen
	tagTextarea
	tagScript
	tagObject
	tagApplet
	tagDatalist
	tagMarquee
	tagFrameset
	numNamedTags // number of the constants above
)

// roleAtoms are the element names of the role constants; the pseudo tags
// (the root, text and comments) have none.
var roleAtoms = [numNamedTags]atom.Atom{
	tagP:        atom.P,
	tagLi:       atom.Li,
	tagDd:       atom.Dd,
	tagDt:       atom.Dt,
	tagA:        atom.A,
	tagTr:       atom.Tr,
	tagTd:       atom.Td,
	tagTh:       atom.Th,
	tagTable:    atom.Table,
	tagThead:    atom.Thead,
	tagTbody:    atom.Tbody,
	tagTfoot:    atom.Tfoot,
	tagCaption:  atom.Caption,
	tagColgroup: atom.Colgroup,
	tagHead:     atom.Head,
	tagBody:     atom.Body,
	tagHTML:     atom.Html,
	tagBr:       atom.Br,
	tagB:        atom.B,
	tagStrong:   atom.Strong,
	tagH1:       atom.H1,
	tagH2:       atom.H2,
	tagH3:       atom.H3,
	tagH4:       atom.H4,
	tagH5:       atom.H5,
	tagH6:       atom.H6,
	tagStyle:    atom.Style,
	tagTemplate: atom.Template,
	tagDialog:   atom.Dialog,
	tagFont:     atom.Font,
	tagLink:     atom.Link,
	tagSvg:      atom.Svg,
	tagMath:     atom.Math,
	tagCol:      atom.Col,
	tagUl:       atom.Ul,
	tagOl:       atom.Ol,
	tagDiv:      atom.Div,
	tagAddress:  atom.Address,
	tagSelect:   atom.Select,
	tagOption:   atom.Option,
	tagOptgroup: atom.Optgroup,
	tagButton:   atom.Button,
	tagForm:     atom.Form,
	tagNobr:     atom.Nobr,
	tagInput:    atom.Input,
	tagKeygen:   atom.Keygen,
	tagTextarea: atom.Textarea,
	tagScript:   atom.Script,
	tagObject:   atom.Object,
	tagApplet:   atom.Applet,
	tagDatalist: atom.Datalist,
	tagMarquee:  atom.Marquee,
	tagFrameset: atom.Frameset,
}

// roleOf is the role constant of an element name, tagRoot (0) for a name
// with no role.
func roleOf(a atom.Atom) tagID {
	switch a {
	case atom.P:
		return tagP
	case atom.Li:
		return tagLi
	case atom.Dd:
		return tagDd
	case atom.Dt:
		return tagDt
	case atom.A:
		return tagA
	case atom.Tr:
		return tagTr
	case atom.Td:
		return tagTd
	case atom.Th:
		return tagTh
	case atom.Table:
		return tagTable
	case atom.Thead:
		return tagThead
	case atom.Tbody:
		return tagTbody
	case atom.Tfoot:
		return tagTfoot
	case atom.Caption:
		return tagCaption
	case atom.Colgroup:
		return tagColgroup
	case atom.Head:
		return tagHead
	case atom.Body:
		return tagBody
	case atom.Html:
		return tagHTML
	case atom.Br:
		return tagBr
	case atom.B:
		return tagB
	case atom.Strong:
		return tagStrong
	case atom.H1:
		return tagH1
	case atom.H2:
		return tagH2
	case atom.H3:
		return tagH3
	case atom.H4:
		return tagH4
	case atom.H5:
		return tagH5
	case atom.H6:
		return tagH6
	case atom.Style:
		return tagStyle
	case atom.Template:
		return tagTemplate
	case atom.Dialog:
		return tagDialog
	case atom.Font:
		return tagFont
	case atom.Link:
		return tagLink
	case atom.Svg:
		return tagSvg
	case atom.Math:
		return tagMath
	case atom.Col:
		return tagCol
	case atom.Ul:
		return tagUl
	case atom.Ol:
		return tagOl
	case atom.Div:
		return tagDiv
	case atom.Address:
		return tagAddress
	case atom.Select:
		return tagSelect
	case atom.Option:
		return tagOption
	case atom.Optgroup:
		return tagOptgroup
	case atom.Button:
		return tagButton
	case atom.Form:
		return tagForm
	case atom.Nobr:
		return tagNobr
	case atom.Input:
		return tagInput
	case atom.Keygen:
		return tagKeygen
	case atom.Textarea:
		return tagTextarea
	case atom.Script:
		return tagScript
	case atom.Object:
		return tagObject
	case atom.Applet:
		return tagApplet
	case atom.Datalist:
		return tagDatalist
	case atom.Marquee:
		return tagMarquee
	case atom.Frameset:
		return tagFrameset
	}
	return tagRoot
}

// Flags of the known tags.
const (
	// flagVoid elements have no content and no end tag.
	flagVoid uint16 = 1 << iota
	// flagRaw elements make the tokenizer read their content as text, so
	// they must be opened even when written <script/>.
	flagRaw
	// flagIgnored content is code, metadata or form controls, not text.
	flagIgnored
	// flagHeadContent may sit in <head>; anything else starts the body.
	flagHeadContent
	// flagBlock elements end the block being read (a space in a cell).
	flagBlock
	// flagClosesP start tags close an open <p>, as HTML parsers do.
	flagClosesP
	// flagButtonScope stops the search for an open <p>.
	flagButtonScope
	// flagFormatting elements are reopened by browsers when markup closed
	// them implicitly (the list of active formatting elements).
	flagFormatting
	// flagMarker elements bound that reopening.
	flagMarker
	// flagSpecial is the standard's "special" category: an end tag of
	// another kind (</span>) does not close them.
	flagSpecial
	// flagScope elements bound the search of an end tag for its element.
	flagScope
	// flagBlockEnd end tags close their element through any other.
	flagBlockEnd
	// flagBreakout start tags end SVG or MathML content.
	flagBreakout
	// flagNoReopen start tags, besides blocks and head content, do not
	// reopen formatting elements.
	flagNoReopen
	// flagTableStop bounds the search for the table a part belongs to.
	flagTableStop
	// flagBody start tags, like text, make a later <frameset> ignored.
	flagBody
)

// flagsOf is the categories of an element name, from the HTML standard's
// parsing rules; names atom does not know have none, except Word's <xml>
// data islands, which are not text.
func flagsOf(a atom.Atom, name []byte) uint16 {
	if a == 0 {
		if string(name) == "xml" {
			return flagIgnored
		}
		return 0
	}
	var f uint16
	switch a {
	case atom.Area, atom.Base, atom.Br, atom.Col, atom.Embed, atom.Hr, atom.Img, atom.Input,
		atom.Link, atom.Meta, atom.Param, atom.Source, atom.Track, atom.Wbr, atom.Keygen, atom.Basefont,
		atom.Bgsound, atom.Frame, atom.Image:
		f |= flagVoid
	}
	switch a {
	case atom.Script, atom.Style, atom.Textarea, atom.Title, atom.Xmp, atom.Iframe, atom.Noembed,
		atom.Noframes, atom.Noscript, atom.Plaintext:
		f |= flagRaw
	}
	switch a {
	case atom.Script, atom.Style, atom.Head, atom.Noscript, atom.Template, atom.Title, atom.Svg,
		atom.Math, atom.Select, atom.Textarea, atom.Iframe, atom.Noembed, atom.Noframes, atom.Object,
		atom.Applet, atom.Datalist, atom.Xmp, atom.Frameset:
		f |= flagIgnored
	}
	switch a {
	case atom.Meta, atom.Link, atom.Title, atom.Style, atom.Script, atom.Noscript, atom.Noframes,
		atom.Base, atom.Template, atom.Basefont, atom.Bgsound:
		f |= flagHeadContent
	}
	switch a {
	case atom.P, atom.Div, atom.Li, atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6, atom.Tr,
		atom.Td, atom.Th, atom.Section, atom.Article, atom.Blockquote, atom.Dd, atom.Dt, atom.Dl,
		atom.Pre, atom.Table, atom.Thead, atom.Tbody, atom.Tfoot, atom.Caption, atom.Ul, atom.Ol,
		atom.Header, atom.Footer, atom.Main, atom.Nav, atom.Aside, atom.Figure, atom.Figcaption,
		atom.Address, atom.Center, atom.Form, atom.Fieldset, atom.Legend, atom.Details, atom.Summary,
		atom.Hr, atom.Menu, atom.Dir, atom.Hgroup, atom.Listing, atom.Plaintext, atom.Body, atom.Html,
		atom.Dialog, atom.Search, atom.Option, atom.Frameset:
		f |= flagBlock
	}
	switch a {
	case atom.Address, atom.Article, atom.Aside, atom.Blockquote, atom.Center, atom.Details,
		atom.Dialog, atom.Dir, atom.Div, atom.Dl, atom.Fieldset, atom.Figcaption, atom.Figure,
		atom.Footer, atom.Header, atom.Hgroup, atom.Main, atom.Menu, atom.Nav, atom.Ol, atom.P,
		atom.Search, atom.Section, atom.Summary, atom.Ul, atom.H1, atom.H2, atom.H3, atom.H4, atom.H5,
		atom.H6, atom.Pre, atom.Listing, atom.Form, atom.Plaintext, atom.Table, atom.Hr, atom.Xmp,
		atom.Li, atom.Dd, atom.Dt:
		f |= flagClosesP
	}
	switch a {
	case atom.Td, atom.Th, atom.Table, atom.Caption, atom.Html, atom.Template, atom.Button,
		atom.Object, atom.Marquee, atom.Applet, atom.Select:
		f |= flagButtonScope
	}
	switch a {
	case atom.A, atom.B, atom.Big, atom.Code, atom.Em, atom.Font, atom.I, atom.Nobr, atom.S,
		atom.Small, atom.Strike, atom.Strong, atom.Tt, atom.U:
		f |= flagFormatting
	}
	switch a {
	case atom.Td, atom.Th, atom.Caption, atom.Template, atom.Object, atom.Applet, atom.Marquee:
		f |= flagMarker
	}
	switch a {
	case atom.Address, atom.Applet, atom.Area, atom.Article, atom.Aside, atom.Base, atom.Basefont,
		atom.Bgsound, atom.Blockquote, atom.Body, atom.Br, atom.Button, atom.Caption, atom.Center,
		atom.Col, atom.Colgroup, atom.Dd, atom.Details, atom.Dir, atom.Div, atom.Dl, atom.Dt,
		atom.Embed, atom.Fieldset, atom.Figcaption, atom.Figure, atom.Footer, atom.Form, atom.Frame,
		atom.Frameset, atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6, atom.Head, atom.Header,
		atom.Hgroup, atom.Hr, atom.Html, atom.Iframe, atom.Img, atom.Input, atom.Keygen, atom.Li,
		atom.Link, atom.Listing, atom.Main, atom.Marquee, atom.Menu, atom.Meta, atom.Nav, atom.Noembed,
		atom.Noframes, atom.Noscript, atom.Object, atom.Ol, atom.P, atom.Param, atom.Plaintext,
		atom.Pre, atom.Script, atom.Search, atom.Section, atom.Select, atom.Source, atom.Style,
		atom.Summary, atom.Table, atom.Tbody, atom.Td, atom.Template, atom.Textarea, atom.Tfoot,
		atom.Th, atom.Thead, atom.Title, atom.Tr, atom.Track, atom.Ul, atom.Wbr, atom.Xmp:
		f |= flagSpecial
	}
	switch a {
	case atom.Applet, atom.Caption, atom.Html, atom.Table, atom.Td, atom.Th, atom.Marquee,
		atom.Object, atom.Template, atom.Select:
		f |= flagScope
	}
	switch a {
	case atom.Template, atom.Html:
		f |= flagTableStop
	}
	switch a {
	case atom.Applet, atom.Marquee, atom.Object, atom.Table, atom.Area, atom.Br, atom.Embed,
		atom.Img, atom.Keygen, atom.Wbr, atom.Input, atom.Hr, atom.Textarea, atom.Xmp, atom.Iframe,
		atom.Select, atom.Li, atom.Dd, atom.Dt, atom.Pre, atom.Listing, atom.Button:
		f |= flagBody
	}
	switch a {
	case atom.Html, atom.Body, atom.Textarea, atom.Iframe, atom.Noembed, atom.Frameset:
		f |= flagNoReopen
	}
	switch a {
	case atom.B, atom.Big, atom.Blockquote, atom.Body, atom.Br, atom.Center, atom.Code, atom.Dd,
		atom.Div, atom.Dl, atom.Dt, atom.Em, atom.Embed, atom.H1, atom.H2, atom.H3, atom.H4, atom.H5,
		atom.H6, atom.Head, atom.Hr, atom.I, atom.Img, atom.Li, atom.Listing, atom.Menu, atom.Meta,
		atom.Nobr, atom.Ol, atom.P, atom.Pre, atom.Ruby, atom.S, atom.Small, atom.Span, atom.Strong,
		atom.Strike, atom.Sub, atom.Sup, atom.Table, atom.Tt, atom.U, atom.Ul, atom.Var:
		f |= flagBreakout
	}
	switch a {
	case atom.Address, atom.Article, atom.Aside, atom.Blockquote, atom.Button, atom.Center,
		atom.Details, atom.Dialog, atom.Dir, atom.Div, atom.Dl, atom.Fieldset, atom.Figcaption,
		atom.Figure, atom.Footer, atom.Form, atom.Header, atom.Hgroup, atom.Listing, atom.Main,
		atom.Menu, atom.Nav, atom.Ol, atom.Pre, atom.Search, atom.Section, atom.Summary, atom.Ul,
		atom.Applet, atom.Marquee, atom.Object, atom.Dd, atom.Dt, atom.Select:
		f |= flagBlockEnd
	}
	return f
}

func headingLevel(tag tagID) int {
	if tag >= tagH1 && tag <= tagH6 {
		return int(tag-tagH1) + 1
	}
	return 0
}

// treeNode is an element or a run of text; index 0 is the root, so 0 also
// means "none" in the links.
type treeNode struct {
	off, end            int32 // text: its bytes in the arena
	parent, first, next int32
	table               int32 // nearest table, the node itself included
	line                int32
	cells               int32 // <table>: its own cells
	href                int32 // <a>: index in hrefs, 0 for none
	attr                int32 // index in attrs, 0 for none
	colspan, rowspan    uint16
	tag                 tagID
	layout              bool // <table>: a cell holds a heading
	clone               bool // reopened formatting element: hides or colours, no other role
	foreign             bool // SVG or MathML element, other than an integration point
}

// openElem is an element on the stack; only open elements get children, so
// the last child is kept here rather than in every node.
type openElem struct {
	id, last int32
}

// activeFormat is an entry of the list of active formatting elements: a
// formatting element, or a marker (node -1).
type activeFormat struct {
	node int32
	open bool
}

type htmlTree struct {
	lim      Limits
	nodes    []treeNode
	arena    []byte   // text, '\n' for a source line break, lineMark for one inside markup
	hrefs    []string // index 0 unused
	attrs    []elemAttrs
	attrIdx  map[elemAttrs]int32
	styleSet map[string]bool   // style attribute values and whether they are relevant
	strs     map[string]string // attribute values, shared
	stack    []openElem
	open     []int32             // open elements by tag, to skip hopeless searches
	flags    []uint16            // by tag: flagsOf its name
	names    []string            // by tag: its name
	ids      map[atom.Atom]tagID // names without a role
	ignored  int                 // open elements whose content is not text
	elements int
	copies   int              // elements made by the reader, see copied
	extra    map[string]tagID // names atom does not know
	sheet    *styleSheet
	// ownSheet is false when a Markdown document read its <style> blocks
	// beforehand.
	ownSheet bool
	css      []byte // text of the <style> element being read
	active   []activeFormat
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
	docAttrs [2]elemAttrs
	// wrap records the blocks the adoption agency moved out of a
	// formatting element.
	wrap map[int32]adoptedElem
}

// adoptedElem is what the adoption agency did to a block: it took the block
// out of the formatting element f, and out of the previous block moved
// (prev) or f's parent, keeping only the formatting elements in between
// (between) as its ancestors; and it wrapped the block's content so far in
// a copy of f.
type adoptedElem struct {
	f, prev int32
	between []int32
}

// maxComments bounds the comments kept to report hidden text; later ones
// are dropped as before.
const maxComments = 10000

// maxActive bounds the formatting elements remembered per cell (browsers
// keep three of each kind).
const maxActive = 16

// maxHTML keeps offsets within int32; only a caller raising MaxBytes far
// past its default can reach it.
const maxHTML = 1 << 29

func readHTML(src string, lim Limits) ([]Block, []Block, error) {
	if len(src) > maxHTML {
		return nil, nil, fmt.Errorf("HTML larger than %d bytes", maxHTML)
	}
	r, err := htmlBlocks(src, lim, lim.MaxCells, nil, nil)
	if err != nil {
		return nil, nil, err
	}
	return r.blocks, r.hidden, nil
}

// htmlResult is what reading HTML gives: the rendered blocks, the blocks
// holding text that is not rendered (see Document.Hidden), the cells left
// of the budget, and the open elements that still hide what follows (for
// Markdown, whose paragraphs can sit inside an HTML block's <div hidden>).
type htmlResult struct {
	blocks, hidden []Block
	cellsLeft      int
	carry          []carriedStyle
	carryWhy       hideReason
}

// carriedStyle is an element left open at the end of an HTML block.
type carriedStyle struct {
	tag   tagID
	name  string
	attrs elemAttrs
}

// maxCarry bounds the open elements carried from one Markdown HTML
// block to the next.
const maxCarry = 32

// htmlBlocks reads HTML with a budget of table cells. Markdown passes
// its own sheet (read from all its <style> blocks) and the elements an
// earlier HTML block left open.
func htmlBlocks(src string, lim Limits, cells int, sheet *styleSheet, carry []carriedStyle) (*htmlResult, error) {
	t, err := buildTree(src, lim, sheet, carry)
	if err != nil {
		return nil, err
	}
	w := &treeWalker{t: t, cellsLeft: cells, lim: lim, preMD: sheet == nil}
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
	r := &htmlResult{blocks: w.blocks, cellsLeft: w.cellsLeft}
	if w.anyHidden {
		r.hidden = w.hidden
	}
	if sheet != nil {
		r.carry, r.carryWhy = w.openChain()
	}
	return r, nil
}

func buildTree(src string, lim Limits, sheet *styleSheet, carry []carriedStyle) (*htmlTree, error) {
	guess := min(strings.Count(src, "<"), lim.MaxNodes) + 2
	t := &htmlTree{
		lim:      lim,
		nodes:    make([]treeNode, 1, min(2*guess, guess+1<<20)),
		arena:    make([]byte, 0, len(src)/2),
		hrefs:    []string{""},
		attrs:    []elemAttrs{{}},
		stack:    []openElem{{}},
		open:     make([]int32, numNamedTags, numNamedTags+32),
		flags:    make([]uint16, numNamedTags, numNamedTags+32),
		names:    make([]string, numNamedTags, numNamedTags+32),
		sheet:    sheet,
		ownSheet: sheet == nil,
		quirks:   true,
	}
	if t.sheet == nil {
		t.sheet = &styleSheet{}
	}
	for id, a := range roleAtoms {
		t.flags[id], t.names[id] = flagsOf(a, nil), a.String()
	}
	t.names[tagRoot], t.names[tagText], t.names[tagComment] = "#root", "#text", "#comment"
	for _, c := range carry {
		tag := c.tag
		if tag >= numNamedTags {
			tag = t.internTag([]byte(c.name))
		}
		n := treeNode{tag: tag, line: 1, colspan: 1, rowspan: 1}
		if c.attrs != (elemAttrs{}) {
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
		nl := bytes.Count(raw, newline)
		line += nl
		if t.frameset {
			continue
		}
		switch tt {
		case html.TextToken:
			if t.open[tagStyle] > 0 && t.topTag() == tagStyle && t.ownSheet {
				t.css = append(t.css, raw...)
			}
			if err := t.text(raw, at); err != nil {
				return nil, err
			}
		case html.StartTagToken, html.SelfClosingTagToken:
			name, hasAttr := z.TagName()
			tag := t.internTag(name)
			href := int32(0)
			colspan, rowspan := uint16(1), uint16(1)
			var a elemAttrs
			kept := false
			for hasAttr {
				var k, v []byte
				k, v, hasAttr = z.TagAttr()
				switch string(k) {
				case "href":
					if tag == tagA {
						href = int32(len(t.hrefs))
						t.hrefs = append(t.hrefs, string(v))
					}
				case "colspan":
					if tag == tagTd || tag == tagTh {
						colspan = spanAttr(v, 1, 1000)
					}
				case "rowspan":
					if tag == tagTd || tag == tagTh {
						rowspan = spanAttr(v, 0, 65534)
					}
				case "face", "size":
					if tag == tagFont {
						a.flags |= attrFontBreak // matters only in SVG
					}
				case "rel":
					if tag == tagLink && bytes.Contains(bytes.ToLower(v), []byte("stylesheet")) {
						// Rules the reader cannot see may set the colours.
						t.sheet.uncertain = unsureFg | unsureBg
					}
				default:
					// Attributes matter where text is read or may be read
					// after implied end tags: not in scripts or styles, but
					// in templates and selects, and on tags that end SVG or
					// MathML content.
					markup := int(t.open[tagTemplate] + t.open[tagSelect] + t.open[tagObject] + t.open[tagApplet] + t.open[tagDatalist])
					if t.open[tagHead] > 0 && t.topTag() == tagHead && !t.has(tag, flagHeadContent) {
						markup++ // the tag ends the head
					}
					if t.ignored <= markup ||
						(t.has(tag, flagBreakout) || tag == tagFont) && t.open[tagSvg]+t.open[tagMath] > 0 {
						kept = a.setAttr(tag, string(k), v, t.intern) || kept
					}
				}
			}
			if a.style != "" && !t.relevant(a.style) {
				// Word's mso-* styles and the like: no record needed.
				a.style = ""
				kept = a.style != "" || a.class != "" || a.id != "" || a.flags&^attrFontBreak != 0
			}
			if err := t.start(tag, tt == html.SelfClosingTagToken, at, href, colspan, rowspan, a, kept); err != nil {
				return nil, err
			}
			if t.has(tag, flagRaw) && t.open[tagSvg]+t.open[tagMath] > 0 && t.topTag() == tag {
				// <style> or <iframe> in SVG is an SVG element: its
				// content is markup.
				z.NextIsNotRawText()
			}
		case html.EndTagToken:
			name, _ := z.TagName()
			if err := t.endTag(t.internTag(name), at); err != nil {
				return nil, err
			}
		case html.DoctypeToken:
			if !t.started {
				t.quirks = quirksMode(string(z.Text()))
			}
		default:
			// A comment or doctype between two pieces of text: keep its
			// line breaks without making them whitespace.
			if last := t.stack[len(t.stack)-1].last; nl > 0 && last != 0 && t.nodes[last].tag == tagText && int(t.nodes[last].end) == len(t.arena) {
				for range nl {
					t.arena = append(t.arena, lineMark)
				}
				t.nodes[last].end = int32(len(t.arena))
			}
			if tt == html.CommentToken {
				t.comment(z.Text(), at)
			}
		}
	}
}

var newline = []byte{'\n'}

// quirksMode tells from a doctype whether browsers render the page in
// quirks mode, where a <table> does not close an open <p>. It covers the
// doctypes pages are written with, not every legacy one.
func quirksMode(doctype string) bool {
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

// docIndex is the index of <html> (0) or <body> (1) in docNode.
func docIndex(tag tagID) int {
	if tag == tagBody {
		return 1
	}
	return 0
}

// attrIndex returns the record of a set of attributes, shared with every
// element that has the same (Word gives thousands of spans one style).
func (t *htmlTree) attrIndex(a elemAttrs) int32 {
	if i, ok := t.attrIdx[a]; ok {
		return i
	}
	if t.attrIdx == nil {
		t.attrIdx = map[elemAttrs]int32{}
	}
	i := int32(len(t.attrs))
	t.attrs = append(t.attrs, a)
	if len(t.attrIdx) < maxShared {
		t.attrIdx[a] = i
	}
	return i
}

// maxShared bounds the maps that share attribute values and records: a
// page repeats a few hundred; a hostile one with all different would only
// make them grow.
const maxShared = 1 << 14

// mergeDoc gives the attributes of a late <html> (doc 0) or <body> (1)
// to the document's element, where that element does not have them.
func (t *htmlTree) mergeDoc(doc int, a *elemAttrs) {
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
	if dst.flags&attrColour == 0 && a.flags&attrColour != 0 {
		dst.colour = a.colour
	}
	if dst.flags&attrBg == 0 && a.flags&attrBg != 0 {
		dst.bg = a.bg
	}
	dst.flags |= a.flags
}

// relevant reports a style attribute that sets a property the reader
// evaluates; answers for repeated values are kept.
func (t *htmlTree) relevant(style string) bool {
	if v, ok := t.styleSet[style]; ok {
		return v
	}
	var st cssStyle
	parseDecls(style, &st)
	if t.styleSet == nil {
		t.styleSet = map[string]bool{}
	}
	if len(t.styleSet) < maxShared {
		t.styleSet[style] = st.set != 0
	}
	return st.set != 0
}

// intern shares repeated attribute values (Word repeats one style on
// thousands of spans).
func (t *htmlTree) intern(v []byte) string {
	if s, ok := t.strs[string(v)]; ok {
		return s
	}
	if t.strs == nil {
		t.strs = map[string]string{}
	}
	s := string(v)
	if len(t.strs) < maxShared {
		t.strs[s] = s
	}
	return s
}

// comment keeps the text of a comment in the body as a node of its own:
// it is never rendered, but a reviewer should see what it would declare.
// Markup inside it (commented-out HTML) is dropped.
func (t *htmlTree) comment(data []byte, line int) {
	if t.ignored > 0 || t.comments >= maxComments || len(bytes.TrimSpace(data)) == 0 {
		return
	}
	if t.open[tagHead] > 0 && t.topTag() == tagHead {
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
				t.arena = append(t.arena, lineMark)
			}
		case c == '\n':
			t.arena = append(t.arena, '\n')
		case c >= 0x20 || c == '\t':
			t.arena = append(t.arena, c)
		}
	}
	if strings.IndexFunc(string(t.arena[start:]), func(r rune) bool { return !isBlank(r) }) < 0 {
		t.arena = t.arena[:start]
		return
	}
	t.comments++
	t.add(treeNode{tag: tagComment, off: int32(start), end: int32(len(t.arena)), line: int32(line)})
}

// endStyle reads the rules of the <style> element just closed, so that
// elements after it can be judged while the tree is built.
func (t *htmlTree) endStyle() {
	if len(t.css) > 0 {
		t.sheet.parse(string(t.css))
		t.css = t.css[:0]
	}
}

// internTag interns an element name. Past 60000 distinct names (only a
// hostile file has them) the rest share one id, which makes them match
// each other's end tags and changes nothing else.
func (t *htmlTree) internTag(name []byte) tagID {
	a := atom.Lookup(name)
	if a != 0 {
		if id := roleOf(a); id != tagRoot {
			return id
		}
		if id, ok := t.ids[a]; ok {
			return id
		}
	} else if id, ok := t.extra[string(name)]; ok {
		return id
	}
	if len(t.open) >= 60000 {
		return tagID(len(t.open) - 1)
	}
	id := tagID(len(t.open))
	if a != 0 {
		if t.ids == nil {
			t.ids = map[atom.Atom]tagID{}
		}
		t.ids[a] = id
	} else {
		if t.extra == nil {
			t.extra = map[string]tagID{}
		}
		t.extra[string(name)] = id
	}
	t.open = append(t.open, 0)
	t.flags = append(t.flags, flagsOf(a, name))
	t.names = append(t.names, string(name))
	return id
}

// lookupTag is the id of a name the tree has met, without interning it.
func (t *htmlTree) lookupTag(name string) (tagID, bool) {
	if a := atom.Lookup([]byte(name)); a != 0 {
		if id := roleOf(a); id != tagRoot {
			return id, true
		}
		id, ok := t.ids[a]
		return id, ok
	}
	id, ok := t.extra[name]
	return id, ok
}

// has reports whether a tag is in any of the categories of f.
func (t *htmlTree) has(tag tagID, f uint16) bool {
	return t.flags[tag]&f != 0
}

// spanAttr parses a rowspan or colspan as browsers do (leading digits, junk
// after them ignored), within HTML's own limits.
func spanAttr(v []byte, lo, hi int) uint16 {
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

func (t *htmlTree) top() int32 { return t.stack[len(t.stack)-1].id }

func (t *htmlTree) topTag() tagID { return t.nodes[t.top()].tag }

// text appends a text token: entities decoded line by line, so that an
// encoded line feed (&#10;) does not look like a source line break.
func (t *htmlTree) text(raw []byte, line int) error {
	if t.open[tagHead] > 0 && t.topTag() == tagHead {
		if len(bytes.TrimSpace(raw)) == 0 {
			return nil
		}
		// Text cannot be in <head>: the body has begun.
		t.popTo(t.find(1<<tagHead, 0))
	}
	// Text inside <template> is kept, though never rendered, to report
	// what it would declare; text in other ignored elements is code.
	if t.ignored > int(t.open[tagTemplate]) {
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
	if last := t.stack[len(t.stack)-1].last; last != 0 && t.nodes[last].tag == tagText && int(t.nodes[last].end) == start {
		t.nodes[last].end = int32(len(t.arena))
		return nil
	}
	t.add(treeNode{tag: tagText, off: int32(start), end: int32(len(t.arena)), line: int32(line)})
	return nil
}

// add links a new node under the current element.
func (t *htmlTree) add(n treeNode) int32 {
	top := &t.stack[len(t.stack)-1]
	n.parent = top.id
	n.table = t.nodes[top.id].table
	id := int32(len(t.nodes))
	if n.tag == tagTable {
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

func (t *htmlTree) push(id int32) {
	tag := t.nodes[id].tag
	t.stack = append(t.stack, openElem{id: id})
	t.open[tag]++
	if t.has(tag, flagIgnored) {
		t.ignored++
	}
	if t.has(tag, flagMarker) {
		t.active = append(t.active, activeFormat{node: -1})
		t.closed = 0
	}
}

// popTo closes the element at stack index k and all above it.
func (t *htmlTree) popTo(k int) {
	if k <= 0 {
		return
	}
	for i := len(t.stack) - 1; i >= k; i-- {
		id := t.stack[i].id
		tag := t.nodes[id].tag
		t.open[tag]--
		if t.has(tag, flagIgnored) {
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
func (t *htmlTree) closeActive(id int32, tag tagID) {
	if t.has(tag, flagMarker) {
		// A cell, caption or template closes with its markers; an
		// object, applet or marquee only by its own end tag.
		if tag == tagObject || tag == tagApplet || tag == tagMarquee {
			return
		}
		t.clearToMarker()
		return
	}
	if !t.has(tag, flagFormatting) {
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
func (t *htmlTree) clearToMarker() {
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
func (t *htmlTree) forget(tag tagID, k int) {
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
func (t *htmlTree) adopt(tag tagID, line int) error {
	k := t.findTag(tag, flagScope, false)
	if len(t.active) > 0 {
		t.forget(tag, k)
	}
	if k == 0 {
		return nil
	}
	// The blocks, and the formatting elements around them, which
	// browsers keep open in that order; the rest closes.
	var keep [maxAdopt]int32
	n, blocks, last := 0, 0, 0
	for i := k + 1; i < len(t.stack); i++ {
		nd := &t.nodes[t.stack[i].id]
		switch nd.tag {
		case tagTable, tagTr, tagTd, tagTh, tagThead, tagTbody, tagTfoot, tagCaption, tagColgroup:
			return nil // a table cannot be copied: leave it all open (shows less, never more)
		}
		special := t.has(nd.tag, flagSpecial)
		if !special && !t.has(nd.tag, flagFormatting) {
			continue
		}
		if n == maxAdopt {
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
		t.wrap = map[int32]adoptedElem{}
	}
	var prev int32
	from := 0
	for i, id := range keep[:last] {
		if t.has(t.nodes[id].tag, flagSpecial) {
			t.wrap[id] = adoptedElem{f: f, prev: prev, between: append([]int32(nil), keep[from:i]...)}
			prev, from = id, i+1
		}
	}
	t.popTo(k)
	for _, id := range keep[:last] {
		orig := t.nodes[id]
		if err := t.copied(line); err != nil {
			return err
		}
		c := t.add(treeNode{tag: orig.tag, attr: orig.attr, line: int32(line), colspan: 1, rowspan: 1, clone: orig.tag == tagA})
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

// maxAdopt bounds the elements an adoption reopens (the standard's own
// bounds are eight blocks and three formatting elements each).
const maxAdopt = 16

// integration reports SVG and MathML elements whose content is HTML.
func (t *htmlTree) integration(tag tagID) bool {
	switch t.names[tag] {
	case "foreignobject", "desc", "title", "annotation-xml", "mi", "mo", "mn", "ms", "mtext":
		return true
	}
	return false
}

// foreignRoot is the stack index of the outermost open <svg> or <math>.
func (t *htmlTree) foreignRoot() int {
	for i := 1; i < len(t.stack); i++ {
		if tag := t.nodes[t.stack[i].id].tag; tag == tagSvg || tag == tagMath {
			return i
		}
	}
	return 0
}

// findOpenItem is the search of a <li>, <dd> or <dt> start tag for an
// open one to close: it stops at a special element other than <address>,
// <div> and <p>.
func (t *htmlTree) findOpenItem(targets uint64) int {
	if t.open[tagLi]+t.open[tagDd]+t.open[tagDt] == 0 {
		return 0
	}
	for i := len(t.stack) - 1; i > 0; i-- {
		tag := t.nodes[t.stack[i].id].tag
		if tag < 64 && targets&(1<<tag) != 0 {
			return i
		}
		if t.has(tag, flagSpecial) && tag != tagP && tag != tagDiv && tag != tagAddress {
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
func (t *htmlTree) reopen(line int) error {
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
		id := t.add(treeNode{tag: orig.tag, attr: orig.attr, line: int32(line), colspan: 1, rowspan: 1, clone: true})
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
func (t *htmlTree) find(targets uint64, stop uint16) int {
	found := false
	for tag := tagID(0); tag < numNamedTags; tag++ {
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
		if t.has(tag, stop) && !t.nodes[t.stack[i].id].foreign {
			return 0
		}
	}
	return 0
}

// findTag is find for any single tag.
func (t *htmlTree) findTag(tag tagID, stop uint16, stopTable bool) int {
	if t.open[tag] == 0 {
		return 0
	}
	for i := len(t.stack) - 1; i > 0; i-- {
		nd := &t.nodes[t.stack[i].id]
		if nd.tag == tag {
			return i
		}
		if (t.has(nd.tag, stop) || stopTable && nd.tag == tagTable) && !nd.foreign {
			return 0
		}
	}
	return 0
}

// findInTable is find within the innermost open table: 0 if no element
// of the mask is open between the top and that table.
func (t *htmlTree) findInTable(mask uint64) int {
	k := t.find(mask|1<<tagTable, 0)
	if k > 0 && t.nodes[t.stack[k].id].tag == tagTable {
		return 0
	}
	return k
}

const (
	maskCells = 1<<tagTd | 1<<tagTh
	maskDefs  = 1<<tagDd | 1<<tagDt
	maskTable = 1<<tagTable | 1<<tagTbody | 1<<tagThead | 1<<tagTfoot
)

func (t *htmlTree) start(tag tagID, selfClosing bool, line int, href int32, colspan, rowspan uint16, a elemAttrs, kept bool) error {
	t.elements++
	first := t.started
	t.started = true
	if t.elements > t.lim.MaxNodes {
		return fmt.Errorf("more than %d HTML elements (line %d)", t.lim.MaxNodes, line)
	}
	if t.open[tagSvg]+t.open[tagMath] > 0 && t.nodes[t.top()].foreign {
		// SVG and MathML content is not read; only an HTML tag that
		// browsers take out of it (a <p>, a <b>, a <font color>) matters.
		// In an integration point (<foreignObject>, <mtext>) tags are
		// HTML.
		if !t.has(tag, flagBreakout) && !(tag == tagFont && a.flags&(attrFontBreak|attrColour) != 0) {
			id := t.add(treeNode{tag: tag, line: int32(line), colspan: 1, rowspan: 1, foreign: !t.integration(tag)})
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
	case tagButton:
		t.popTo(t.findTag(tagButton, flagScope, false))
	case tagSelect:
		// A <select> inside a select closes it (the standard's select
		// parsing of 2025, which keeps other markup inside).
		if k := t.findTag(tagSelect, flagScope, false); k > 0 {
			t.popTo(k)
			return nil
		}
	case tagInput:
		t.popTo(t.findTag(tagSelect, flagScope, false))
	case tagOption, tagOptgroup:
		if t.findTag(tagSelect, flagScope, false) > 0 {
			for {
				g := t.topTag()
				if g != tagOption && g != tagP && g != tagLi && g != tagDd && g != tagDt && (g != tagOptgroup || tag == tagOption) {
					break
				}
				t.popTo(len(t.stack) - 1)
			}
		} else if t.topTag() == tagOption {
			t.popTo(len(t.stack) - 1)
		}
	case tagForm:
		if t.open[tagForm] > 0 && t.open[tagTemplate] == 0 {
			return nil // forms do not nest: a browser drops the tag
		}
	case tagNobr:
		if t.open[tagNobr] > 0 {
			if err := t.adopt(tagNobr, line); err != nil {
				return err
			}
		}
	}
	if t.open[tagHead] > 0 && t.topTag() == tagHead && !t.has(tag, flagHeadContent) {
		t.popTo(t.findTag(tagHead, 0, false))
	}
	switch tag {
	case tagHTML, tagBody:
		// A document has one <html> and one <body>, opened by the first
		// content when their tags are missing. A later tag (a pasted
		// page, a stray <body style="color:#fff">) adds no element:
		// browsers give its attributes to the element there is.
		if t.open[tagTemplate] > 0 {
			return nil
		}
		doc := docIndex(tag)
		early := !t.bodyStarted && (tag == tagBody || !first)
		if t.docNode[doc] != 0 || !early || t.open[tagBody] > 0 {
			if kept {
				t.mergeDoc(doc, &a)
			}
			return nil
		}
		if tag == tagBody {
			t.popTo(t.findTag(tagHead, 0, false))
		}
	case tagHead:
		if t.open[tag] > 0 || t.bodyStarted || t.open[tagBody] > 0 {
			return nil
		}
	case tagFrameset:
		// A frameset replaces a body that has no text yet, and nothing
		// after it is shown; otherwise browsers drop the tag.
		if !t.noFrameset {
			t.frameset = true
		}
		return nil
	default:
		if t.open[tagHead] == 0 || !t.has(tag, flagHeadContent) {
			t.bodyStarted = true
		}
		if t.has(tag, flagBody) {
			t.noFrameset = true
		}
	}
	tablePart, inTable := false, false
	switch tag {
	case tagTr, tagTd, tagTh, tagThead, tagTbody, tagTfoot, tagCaption, tagColgroup, tagCol:
		tablePart = true
		// A template holds table parts of its own; outside one, the
		// table they belong to is the nearest open one.
		inTable = t.find(maskTable, flagTableStop) > 0
		if !inTable && t.open[tagTemplate] == 0 {
			// Browsers ignore a table part outside a table, attributes
			// and all; it stays here, empty, as the block boundary this
			// reader always made of it.
			t.add(treeNode{tag: tag, line: int32(line), colspan: 1, rowspan: 1})
			return nil
		}
	case tagTable:
		// A table straight in a table (not in a cell) closes it.
		if t.open[tagTable] > 0 {
			if k := t.find(maskTable|1<<tagTr|maskCells|1<<tagCaption, flagTableStop); k > 0 {
				if g := t.nodes[t.stack[k].id].tag; g != tagTd && g != tagTh && g != tagCaption {
					t.popTo(t.findTag(tagTable, flagTableStop, false))
				}
			}
		}
	case tagForm:
		if t.open[tagTable] > 0 {
			if k := t.find(maskTable|1<<tagTr|maskCells|1<<tagCaption, flagTableStop); k > 0 && t.nodes[t.stack[k].id].tag != tagTd &&
				t.nodes[t.stack[k].id].tag != tagTh && t.nodes[t.stack[k].id].tag != tagCaption {
				// A form straight in a table is an empty element.
				if t.open[tagForm] == 0 && t.open[tagTemplate] == 0 {
					t.add(treeNode{tag: tag, line: int32(line), colspan: 1, rowspan: 1})
				}
				return nil
			}
		}
	}
	// In quirks mode a table sits inside an open paragraph.
	if t.has(tag, flagClosesP) && !(tag == tagTable && t.quirks) {
		t.popTo(t.findTag(tagP, flagButtonScope, false))
	}
	switch tag {
	case tagH1, tagH2, tagH3, tagH4, tagH5, tagH6:
		if headingLevel(t.topTag()) > 0 {
			t.popTo(len(t.stack) - 1)
		}
	case tagLi:
		t.popTo(t.findOpenItem(1 << tagLi))
	case tagDd, tagDt:
		t.popTo(t.findOpenItem(maskDefs))
	case tagA:
		if t.open[tagA] > 0 {
			if err := t.adopt(tagA, line); err != nil {
				return err
			}
		}
	case tagTr:
		// Back to the table or row group: an open row, its cells and
		// whatever was written straight into the table close.
		if inTable {
			t.popTo(t.find(maskTable, flagTableStop) + 1)
		}
	case tagThead, tagTbody, tagTfoot, tagCaption, tagColgroup, tagCol:
		// These belong straight under <table>: close whatever row, cell
		// or section is open in it.
		if k := t.findTag(tagTable, flagTableStop, false); k > 0 {
			t.popTo(k + 1)
		}
	case tagTd, tagTh:
		k := t.find(maskTable|1<<tagTr, flagTableStop)
		if k > 0 {
			t.popTo(k + 1)
		}
		// A cell straight inside <table> or a row group has an implied
		// row.
		if k > 0 && t.nodes[t.stack[k].id].tag != tagTr {
			if err := t.start(tagTr, false, line, 0, 1, 1, elemAttrs{}, false); err != nil {
				return err
			}
		}
	}
	if t.closed > 0 && !tablePart && !t.has(tag, flagClosesP|flagHeadContent|flagNoReopen) {
		// Inline content reopens formatting elements closed implicitly,
		// before it is inserted.
		if err := t.reopen(line); err != nil {
			return err
		}
	}
	if headingLevel(tag) > 0 && t.open[tagTable] > 0 {
		// A heading inside a cell makes the cell's table page layout.
		if k := t.findInTable(maskCells); k > 0 {
			if tb := t.nodes[t.stack[k].id].table; tb != 0 {
				t.nodes[tb].layout = true
			}
		}
	}
	n := treeNode{tag: tag, href: href, line: int32(line), colspan: colspan, rowspan: rowspan, foreign: tag == tagSvg || tag == tagMath}
	if kept {
		n.attr = t.attrIndex(a)
	}
	id := t.add(n)
	if tag == tagHTML || tag == tagBody {
		t.docNode[docIndex(tag)] = id
	}
	if tag == tagTd || tag == tagTh {
		if tb := t.nodes[id].table; tb != 0 {
			t.nodes[tb].cells++
		}
	}
	// Browsers ignore "/>" on HTML elements: <div style="display:none"/>
	// hides everything after it up to its parent's end. In SVG and
	// MathML, whose content is ignored anyway, "/>" does close.
	if t.has(tag, flagVoid) || selfClosing && (tag == tagSvg || tag == tagMath) {
		return nil
	}
	t.push(id)
	if t.has(tag, flagFormatting) && (kept || t.sheet.lookup(selTag, t.names[tag]) != nil) {
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
// oldest entry past maxActive since the last marker.
func (t *htmlTree) remember(id int32) {
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
	case len(t.active)-first >= maxActive:
		drop = first
	}
	if drop >= 0 {
		if !t.active[drop].open {
			t.closed--
		}
		t.active = append(t.active[:drop], t.active[drop+1:]...)
	}
	t.active = append(t.active, activeFormat{node: id, open: true})
}

// copied counts an element made by the reader (a reopened formatting
// element, a block copied by the adoption agency). Browsers make them
// too, so they are not charged to MaxNodes, but they have a budget of
// their own of the same size.
func (t *htmlTree) copied(line int) error {
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
func (t *htmlTree) endTag(tag tagID, line int) error {
	if t.open[tagSvg]+t.open[tagMath] > 0 && tag != tagP && tag != tagBr {
		for i, root := len(t.stack)-1, t.foreignRoot(); i >= root && root > 0; i-- {
			if t.nodes[t.stack[i].id].tag == tag {
				t.popTo(i)
				return nil
			}
		}
	}
	switch tag {
	case tagHTML, tagBody:
		// Content after </body> is still shown by browsers.
		return nil
	case tagBr:
		// </br> is a line break to every browser.
		return t.start(tagBr, false, line, 0, 1, 1, elemAttrs{}, false)
	case tagP:
		if t.findTag(tagP, flagButtonScope, false) == 0 {
			// A stray </p> makes an empty paragraph: a block boundary.
			if err := t.start(tagP, false, line, 0, 1, 1, elemAttrs{}, false); err != nil {
				return err
			}
		}
	case tagStyle:
		if t.ownSheet && t.topTag() == tagStyle {
			t.endStyle()
		}
	}
	switch {
	case tag == tagTable:
		t.popTo(t.findTag(tag, flagTableStop, false))
	case tag == tagTd || tag == tagTh || tag == tagTr || tag == tagThead || tag == tagTbody || tag == tagTfoot || tag == tagCaption || tag == tagColgroup:
		t.popTo(t.findTag(tag, flagTableStop, true))
	case t.has(tag, flagFormatting):
		return t.adopt(tag, line)
	case headingLevel(tag) > 0:
		// Any heading's end tag closes the open heading.
		k := t.find(1<<tagH1|1<<tagH2|1<<tagH3|1<<tagH4|1<<tagH5|1<<tagH6, flagScope)
		t.popTo(k)
	case tag == tagForm && t.open[tagTemplate] == 0:
		// </form> takes the form off the stack and nothing else: what
		// was opened inside it stays open, and inside it.
		if k := t.findTag(tag, flagScope, false); k > 0 {
			t.open[tag]--
			t.stack = append(t.stack[:k], t.stack[k+1:]...)
		}
	case tag == tagLi:
		k := t.findTag(tag, flagScope, false)
		for i := k + 1; k > 0 && i < len(t.stack); i++ {
			if n := t.nodes[t.stack[i].id].tag; n == tagUl || n == tagOl {
				k = 0 // in a list inside the item: not in list-item scope
			}
		}
		t.popTo(k)
	case tag == tagP:
		t.popTo(t.findTag(tag, flagButtonScope, false))
	case tag == tagTemplate:
		t.popTo(t.findTag(tag, 0, false))
	case t.has(tag, flagBlockEnd) || t.has(tag, flagRaw):
		k := t.findTag(tag, flagScope, false)
		t.popTo(k)
		if k > 0 && (tag == tagObject || tag == tagApplet || tag == tagMarquee) {
			t.clearToMarker()
		}
	default:
		t.popTo(t.findTag(tag, flagSpecial, false))
	}
	return nil
}

// The walker.

// textSink collects the text of one block or one table cell. Text that is
// not rendered goes in too, between hideOpen and hideClose, so that
// the block can be read both as shown and as it would read with that text
// shown.
type textSink struct {
	buf           []byte
	line          int
	gen           int
	visible, bold int // non-blank bytes, and those inside <b>/<strong>
	hidden        int // non-blank bytes that are not rendered
	hline         int // line of the first of them
	why           hideReason
	marked        bool // buf holds hidden text, blank or not
}

// Markers around hidden text in a sink; sanitised text has no control
// characters, so they cannot come from the document.
const (
	hideOpen  = '\x02'
	hideClose = '\x03'
)

func (s *textSink) reset() {
	s.buf, s.line, s.hidden, s.hline, s.why, s.marked = s.buf[:0], 0, 0, 0, 0, false
}

// hide appends text that is not rendered.
func (s *textSink) hide(txt []byte, line int, why hideReason) {
	s.marked = true
	s.buf = append(s.buf, hideOpen)
	s.buf = append(s.buf, txt...)
	s.buf = append(s.buf, hideClose)
	n := 0
	for _, r := range string(txt) {
		if !isBlank(r) {
			n++
		}
	}
	if n > 0 && s.hidden == 0 {
		s.hline, s.why = blockLine(txt, line), why
	}
	s.hidden += n
}

// shown is the text of a sink as rendered.
func (s *textSink) shown() string {
	if !s.marked {
		return collapseSpace(string(s.buf))
	}
	return collapseSpace(string(stripHidden(s.buf)))
}

// stripHidden removes the marked runs.
func stripHidden(b []byte) []byte {
	out := make([]byte, 0, len(b))
	for len(b) > 0 {
		i := bytes.IndexByte(b, hideOpen)
		if i < 0 {
			return append(out, b...)
		}
		out = append(out, b[:i]...)
		j := bytes.IndexByte(b[i:], hideClose)
		if j < 0 {
			return out
		}
		b = b[i+j+1:]
	}
	return out
}

type tableCell struct {
	text             string
	hid              int32 // 1 + index in treeWalker.hcells when some text is hidden
	colspan, rowspan int32
	th, bold         bool
}

// hiddenCell is a cell's text with its hidden text shown; few cells
// have one, so it is kept apart.
type hiddenCell struct {
	all string
	why hideReason
}

type tableRow struct {
	line     int // first text of the row, else the <tr>
	cells    []tableCell
	thead    bool
	implicit bool // opened by a cell outside any <tr>; ends with it
	why      hideReason
	hline    int
}

// listItem is a row or a block (a caption, stray text) of a table, kept in
// source order so line numbers never go backwards; hblock is a block with
// hidden text.
type listItem struct {
	row    *tableRow
	block  Block
	hblock *Block
}

type tableState struct {
	node   int32
	items  []listItem
	thead  int
	hidden bool
}

type anchorState struct {
	node int32
	href string
	line int
	sink *textSink
	gen  int
	off  int
	why  hideReason
}

type treeWalker struct {
	t         *htmlTree
	blocks    []Block
	hidden    []Block
	anyHidden bool
	flow      textSink
	heading   int
	bold      int
	gen       int
	anchors   []anchorState
	tbl       *tableState
	row       *tableRow
	rowNode   int32
	cell      *textSink
	cellInfo  tableCell
	cellNode  int32
	tables    int
	htables   int
	cellsLeft int
	hcells    []hiddenCell // cells with hidden text, of the table being read
	vis       []visState
	raw       []visState // vis without the adoption agency's copies (adoptedElem)
	path      []int32    // the elements walked into, as vis
	tagRules  map[tagID]*cssRule
	cands     []styleSource
	cached    []int32    // by record index: 1 + index in styles, 0 if not computed
	styles    []cssStyle // computed styles of records
	lim       Limits
	// preMD is set when a <pre> holding several lines is read as Markdown
	// (see endPre); never for HTML inside Markdown, so the two readers
	// cannot recurse into each other.
	preMD   bool
	pre     int32 // the <pre> being read as Markdown, 0 if none
	preLine int   // source line of its first text
	// foster holds, for each open <table>, the index in vis of the state
	// around it: text and elements written straight into a table are
	// moved before it by browsers ("foster parenting"), out of its
	// styles.
	foster []int
}

func (w *treeWalker) init() {
	w.cands = make([]styleSource, 0, 24)
	defer func() {
		root := w.rootState()
		w.vis = append(make([]visState, 0, 64), root)
		w.raw = append(make([]visState, 0, 64), root)
		w.path = append(make([]int32, 0, 64), 0)
	}()
	for name, r := range w.t.sheet.keys[selTag] {
		if id, ok := w.t.lookupTag(name); ok {
			if w.tagRules == nil {
				w.tagRules = map[tagID]*cssRule{}
			}
			w.tagRules[id] = r
		}
	}
}

// state computes what an element does to the rendering of its content.
func (w *treeWalker) state(outer visState, n int32) visState {
	nd := &w.t.nodes[n]
	var a *elemAttrs
	if nd.attr != 0 {
		a = &w.t.attrs[nd.attr]
	}
	v := w.styled(outer, nd.tag, a, nd.attr)
	if n == w.t.docNode[0] && w.t.docNode[1] == 0 {
		// The implied body, with any attributes a late <body> gave it.
		v = w.styled(v, tagBody, w.docBody(), 0)
	}
	switch {
	case v.why != 0:
	case nd.tag == tagTemplate:
		v.why = whyTemplate
	case nd.tag == tagDialog && (a == nil || a.flags&attrOpen == 0):
		v.why = whyDialog
	}
	return v
}

// wrapped is state for the element being entered, undoing in its
// ancestry what the adoption agency changed (see adoptedElem); it also returns
// the state before the wrapping copy, which a later block moved out of
// this one starts from.
func (w *treeWalker) wrapped(outer visState, n int32) (v, raw visState) {
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
func (w *treeWalker) onPath(id int32) int {
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
func (w *treeWalker) styled(outer visState, tag tagID, a *elemAttrs, idx int32) visState {
	rule := w.tagRules[tag]
	if a == nil && rule == nil {
		return outer
	}
	if rule != nil || idx <= 0 || idx >= styleCache {
		st := elementStyle(w.t.sheet, rule, a, w.cands)
		return outer.child(&st, a)
	}
	if int(idx) >= len(w.cached) {
		w.cached = append(w.cached, make([]int32, int(idx)+1-len(w.cached))...)
	}
	k := w.cached[idx]
	if k == 0 {
		w.styles = append(w.styles, elementStyle(w.t.sheet, nil, a, w.cands))
		k = int32(len(w.styles))
		w.cached[idx] = k
	}
	return outer.child(&w.styles[k-1], a)
}

// styleCache bounds the records whose computed style is kept.
const styleCache = 8192

// rootState is the state inside the document's <html> and <body> when
// their tags were left out: their tag rules and any attributes a late tag
// gave them still apply.
func (w *treeWalker) rootState() visState {
	v := rootVis(w.t.sheet)
	if w.t.docNode[0] == 0 {
		a := &w.t.docAttrs[0]
		if *a == (elemAttrs{}) {
			a = nil
		}
		v = w.styled(v, tagHTML, a, 0)
		if w.t.docNode[1] == 0 {
			v = w.styled(v, tagBody, w.docBody(), 0)
		}
	}
	return v
}

// docBody is the attributes a late <body> gave the implied one, nil if
// none.
func (w *treeWalker) docBody() *elemAttrs {
	if a := &w.t.docAttrs[1]; *a != (elemAttrs{}) {
		return a
	}
	return nil
}

// openChain returns the elements still open at the end of the document
// when text there would be hidden, for the Markdown reader to carry into
// its next blocks.
func (w *treeWalker) openChain() ([]carriedStyle, hideReason) {
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
	var out []carriedStyle
	for i := from; i < len(t.stack) && len(out) < maxCarry; i++ {
		nd := &t.nodes[t.stack[i].id]
		c := carriedStyle{tag: nd.tag}
		if nd.attr != 0 {
			c.attrs = t.attrs[nd.attr]
		}
		c.name = t.names[nd.tag]
		out = append(out, c)
	}
	return out, why
}

func (w *treeWalker) walk() error {
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

func (w *treeWalker) sink() *textSink {
	if w.cell != nil {
		return w.cell
	}
	return &w.flow
}

// own reports whether a table part belongs to the data table being read
// rather than to a table nested in one of its cells.
func (w *treeWalker) own(nd *treeNode) bool {
	return w.tbl != nil && nd.table == w.tbl.node
}

func (w *treeWalker) enter(n int32) bool {
	nd := &w.t.nodes[n]
	tag := nd.tag
	if tag == tagText || tag == tagComment {
		w.text(nd)
		return false
	}
	outer := len(w.vis) - 1
	if w.fostered(nd) {
		outer = w.foster[len(w.foster)-1]
	}
	if tag == tagTable {
		w.foster = append(w.foster, outer)
	}
	v, raw := w.wrapped(w.vis[outer], n)
	w.vis, w.raw, w.path = append(w.vis, v), append(w.raw, raw), append(w.path, n)
	if tag == tagTemplate {
		// A template's content is fostered within the template.
		w.foster = append(w.foster, len(w.vis)-1)
	}
	if w.t.has(tag, flagIgnored) && tag != tagTemplate {
		return false
	}
	switch tag {
	case tagBr:
		w.boundary()
	case tagB, tagStrong:
		if !nd.clone {
			w.bold++
		}
	case tagA:
		if href := collapseSpace(w.t.hrefs[nd.href]); !nd.clone && showHref(href) {
			s := w.sink()
			w.anchors = append(w.anchors, anchorState{node: n, href: href, line: int(nd.line), sink: s, gen: s.gen, off: len(s.buf), why: w.vis[len(w.vis)-1].textWhy()})
		}
	case tagTable:
		if w.tbl == nil && !nd.layout && nd.cells >= 2 {
			w.flush()
			w.tbl = &tableState{node: n}
			return true
		}
		w.boundary()
	case tagThead:
		if w.own(nd) {
			w.tbl.thead++
			return true
		}
		w.boundary()
	case tagTr:
		if w.own(nd) && w.cell == nil {
			w.startRow(n, false)
			return true
		}
		w.boundary()
	case tagTd, tagTh:
		if w.own(nd) && w.cell == nil {
			w.startCell(n)
			return true
		}
		w.boundary()
	default:
		if w.preMD && w.pre == 0 && w.cell == nil && w.tbl == nil && w.heading == 0 && int(tag) < len(w.t.names) && w.t.names[tag] == "pre" {
			w.flush()
			w.pre = n
			return true
		}
		if lvl := headingLevel(tag); lvl > 0 && w.cell == nil {
			w.flush()
			w.heading = lvl
		} else if w.t.has(tag, flagBlock) {
			w.boundary()
		}
	}
	return true
}

func (w *treeWalker) leave(n int32) error {
	nd := &w.t.nodes[n]
	tag := nd.tag
	if tag == tagText || tag == tagComment {
		return nil
	}
	w.vis, w.raw, w.path = w.vis[:len(w.vis)-1], w.raw[:len(w.raw)-1], w.path[:len(w.path)-1]
	if tag == tagTable || tag == tagTemplate {
		w.foster = w.foster[:len(w.foster)-1]
	}
	if tag == tagBr || w.t.has(tag, flagIgnored) && tag != tagTemplate {
		return nil
	}
	switch tag {
	case tagB, tagStrong:
		if !nd.clone {
			w.bold--
		}
	case tagA:
		if k := len(w.anchors) - 1; k >= 0 && w.anchors[k].node == n {
			w.endAnchor(w.anchors[k])
			w.anchors = w.anchors[:k]
		}
	case tagTable:
		if w.tbl != nil && w.tbl.node == n {
			return w.endTable()
		}
		w.boundary()
	case tagThead:
		if w.own(nd) {
			w.tbl.thead--
		} else {
			w.boundary()
		}
	case tagTr:
		if w.row != nil && w.rowNode == n {
			w.endRow()
		} else {
			w.boundary()
		}
	case tagTd, tagTh:
		if w.cell != nil && w.cellNode == n {
			w.endCell()
		} else {
			w.boundary()
		}
	default:
		if n == w.pre {
			return w.endPre()
		}
		if headingLevel(tag) > 0 && w.cell == nil {
			w.flush()
			w.heading = 0
		} else if w.t.has(tag, flagBlock) {
			w.boundary()
		}
	}
	return nil
}

// fostered reports a node that browsers move out of its table: one whose
// parent is a table or row group or row, and which is not a table part.
func (w *treeWalker) fostered(nd *treeNode) bool {
	if len(w.foster) == 0 || nd.parent == 0 {
		return false
	}
	switch w.t.nodes[nd.parent].tag {
	case tagTable, tagTbody, tagThead, tagTfoot, tagTr, tagColgroup:
	default:
		return false
	}
	switch nd.tag {
	case tagTr, tagTd, tagTh, tagThead, tagTbody, tagTfoot, tagCaption, tagColgroup, tagCol, tagStyle, tagTemplate:
		return false
	}
	return true
}

func (w *treeWalker) text(nd *treeNode) {
	s := w.sink()
	txt := w.t.arena[nd.off:nd.end]
	v := &w.vis[len(w.vis)-1]
	if w.fostered(nd) {
		v = &w.vis[w.foster[len(w.foster)-1]]
	}
	why := v.textWhy()
	if why == 0 && nd.tag == tagComment {
		why = whyComment
	}
	if why != 0 {
		s.hide(txt, int(nd.line), why)
		if s.hidden > 0 && w.tbl != nil {
			w.tbl.hidden = true
		}
		return
	}
	if s.line == 0 {
		s.line = blockLine(txt, int(nd.line))
	}
	if w.pre != 0 && w.preLine == 0 {
		w.preLine = int(nd.line)
	}
	s.buf = append(s.buf, txt...)
	if w.cell != nil {
		v := 0
		for _, r := range string(txt) {
			if !isBlank(r) {
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
func (w *treeWalker) boundary() {
	if w.cell != nil {
		w.cell.buf = append(w.cell.buf, ' ')
		return
	}
	if w.pre != 0 {
		w.flow.buf = append(w.flow.buf, '\n')
		return
	}
	w.flush()
}

// endPre reads the text of a <pre> as Markdown. Policy collections and
// converters keep a policy as preformatted text: a browser shows its line
// breaks, pipe tables and bold markers as written, so each line is a block
// and a pipe table is a table. Collapsed into one block, a permission
// table's rows ran together and lost their first cells.
func (w *treeWalker) endPre() error {
	s := &w.flow
	line := w.preLine
	w.pre, w.preLine = 0, 0
	if s.hidden > 0 || s.marked || line == 0 || bytes.Count(s.buf, []byte{'\n'}) < 2 {
		w.flush()
		return nil
	}
	lim := w.lim
	lim.MaxCells = w.cellsLeft
	blocks, hidden, err := readMarkdownText(string(s.buf), lim, true)
	if err != nil {
		return err
	}
	tables := 0
	for _, list := range [][]Block{blocks, hidden} {
		for i := range list {
			b := &list[i]
			b.Line += line - 1
			if b.Table > 0 {
				tables = max(tables, b.Table)
				b.Table += w.tables
			}
		}
	}
	for _, b := range blocks {
		w.cellsLeft -= len(b.Cells)
		w.emit(b)
	}
	for _, b := range hidden {
		if b.Hidden != "" {
			w.anyHidden = true
		}
		w.hidden = append(w.hidden, b)
	}
	w.tables += tables
	s.reset()
	w.gen++
	s.gen = w.gen
	return nil
}

func (w *treeWalker) flush() {
	s := &w.flow
	if len(s.buf) > 0 {
		text := s.shown()
		if text != "" {
			w.emit(Block{Line: max(s.line, 1), Text: text, Heading: w.heading})
		}
		if s.hidden > 0 {
			if all := collapseSpace(string(s.buf)); all != "" {
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

func (w *treeWalker) emit(b Block) {
	if w.tbl != nil {
		w.tbl.items = append(w.tbl.items, listItem{block: b})
		return
	}
	w.blocks = append(w.blocks, b)
}

func (w *treeWalker) emitHidden(b Block) {
	if b.Hidden != "" {
		w.anyHidden = true
	}
	if w.tbl != nil {
		w.tbl.items = append(w.tbl.items, listItem{hblock: &b})
		w.tbl.hidden = w.tbl.hidden || b.Hidden != ""
		return
	}
	w.hidden = append(w.hidden, b)
}

// showHref leaves out links that lead nowhere a reader could follow.
func showHref(href string) bool {
	l := strings.ToLower(href)
	return href != "" && !strings.HasPrefix(l, "#") && !strings.HasPrefix(l, "javascript:") &&
		!strings.HasPrefix(l, "data:") && !strings.HasPrefix(l, "about:")
}

// endAnchor appends a link's URL unless its text already shows it, so the
// SDK privacy links policies list survive as text. A hidden link's URL is
// hidden too.
func (w *treeWalker) endAnchor(a anchorState) {
	s := w.sink()
	txt := s.buf
	if s == a.sink && s.gen == a.gen && a.off <= len(s.buf) {
		txt = s.buf[a.off:]
	}
	if a.why == 0 && bytes.IndexByte(txt, hideOpen) >= 0 {
		txt = stripHidden(txt)
	}
	if showsURL(collapseSpace(string(txt)), a.href) {
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

func (w *treeWalker) startRow(n int32, implicit bool) {
	if w.row != nil {
		w.endRow()
	}
	w.flush()
	w.row = &tableRow{thead: w.tbl.thead > 0, implicit: implicit}
	w.rowNode = n
}

func (w *treeWalker) endRow() {
	if w.cell != nil {
		w.endCell()
	}
	if w.row.line == 0 {
		w.row.line = int(w.t.nodes[w.rowNode].line)
	}
	w.tbl.items = append(w.tbl.items, listItem{row: w.row})
	w.row = nil
}

func (w *treeWalker) startCell(n int32) {
	w.flush()
	nd := &w.t.nodes[n]
	if w.row == nil {
		w.startRow(n, true)
	}
	w.gen++
	w.cell = &textSink{gen: w.gen}
	w.cellNode = n
	w.cellInfo = tableCell{colspan: int32(nd.colspan), rowspan: int32(nd.rowspan), th: nd.tag == tagTh}
}

func (w *treeWalker) endCell() {
	c := w.cellInfo
	c.text = w.cell.shown()
	if w.cell.hidden > 0 {
		w.hcells = append(w.hcells, hiddenCell{all: collapseSpace(string(w.cell.buf)), why: w.cell.why})
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

type pendingSpan struct {
	left int
	text string
}

// endTable expands the spans and emits the table's rows. A colspan is cut
// at the table's width (from its multi-cell rows), so a title cell written
// colspan=100 does not repeat its text a hundred times. A table with
// hidden text is laid out a second time with that text shown, for
// Document.Hidden.
func (w *treeWalker) endTable() error {
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
	var pending []pendingSpan
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
		if emptyCells(cells) {
			continue
		}
		header := it.row.thead || allCells(it.row.cells, false, func(c tableCell) bool { return c.th }) ||
			(index == 0 && allCells(it.row.cells, false, func(c tableCell) bool { return c.bold || c.text == "" }))
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
		if emptyCells(cells) {
			continue
		}
		header := it.row.thead || allCells(it.row.cells, true, func(c tableCell) bool { return c.th }) ||
			(index == 0 && allCells(it.row.cells, true, func(c tableCell) bool { return c.bold || w.cellText(c, true) == "" }))
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
func (w *treeWalker) cellText(c tableCell, all bool) string {
	if all && c.hid != 0 {
		return w.hcells[c.hid-1].all
	}
	return c.text
}

func emptyCells(cells []string) bool {
	for _, c := range cells {
		if c != "" {
			return false
		}
	}
	return true
}

// allCells is true for a row with cells that all satisfy ok and at least one
// non-empty cell (its text as shown, or with hidden text if all is set).
func allCells(cells []tableCell, all bool, ok func(tableCell) bool) bool {
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
func (w *treeWalker) expand(row *tableRow, width int, pending *[]pendingSpan, all bool, left *int) ([]string, error) {
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
					p = append(p, pendingSpan{})
				}
				p[col] = pendingSpan{left: int(c.rowspan) - 1, text: text}
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
