package document

import (
	"fmt"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// readText reads plain text as one block per line, since plain-text
// policies put one paragraph on a line and a line is the unit evidence
// points at. A line with two or more tabs is a row copied from a
// spreadsheet or a Word table.
func readText(src string, lim Limits) ([]Block, error) {
	var blocks []Block
	table, tables, cells := 0, 0, 0
	// The last prose line read and its number, for joining lines a
	// fixed-width wrap broke.
	lastLine, lastText := 0, ""
	for i, line := range strings.Split(src, "\n") {
		trimmed := strings.TrimFunc(line, isBlank)
		if strings.Count(trimmed, "\t") >= 2 {
			row := strings.Split(trimmed, "\t")
			cells += len(row)
			if cells > lim.MaxCells {
				return nil, fmt.Errorf("tables have more than %d cells (line %d)", lim.MaxCells, i+1)
			}
			for k := range row {
				row[k] = collapseSpace(row[k])
			}
			if table == 0 {
				tables++
				table = tables
			}
			blocks = append(blocks, Block{Line: i + 1, Text: strings.Join(row, " | "), Table: table, Cells: row})
			continue
		}
		table = 0
		if strings.Count(line, `\n`) >= 3 {
			// A policy kept in an app's source as one string literal
			// ("1、您的权利\n1.1、注册\n…"): its escaped line breaks are
			// its lines, each a block of the source line.
			for _, part := range strings.Split(line, `\n`) {
				if t := collapseSpace(part); t != "" {
					blocks = append(blocks, Block{Line: i + 1, Text: t})
				}
			}
			lastLine, lastText = 0, ""
			continue
		}
		text := collapseSpace(line)
		if text == "" {
			continue
		}
		if n := len(blocks); n > 0 && blocks[n-1].Table == 0 && lastLine == i && hardWrapped(lastText, text) {
			// English text wrapped at a fixed width ("We do use Google" /
			// "Analytics to collect…"): the lines are one sentence.
			blocks[n-1].Text += " " + text
			lastLine, lastText = i+1, text
			continue
		}
		blocks = append(blocks, Block{Line: i + 1, Text: text})
		lastLine, lastText = i+1, text
	}
	return blocks, nil
}

// hardWrapped reports whether next continues prev, a line of English
// prose broken at a fixed width: prev is long and ends inside a sentence
// on a word, and next goes on with a word, not a list item or a rule.
func hardWrapped(prev, next string) bool {
	if len(prev) < 60 || len(prev) > 400 {
		return false
	}
	last, _ := utf8.DecodeLastRuneInString(prev)
	first, _ := utf8.DecodeRuneInString(next)
	if last >= utf8.RuneSelf || first >= utf8.RuneSelf {
		return false
	}
	if !(unicode.IsLetter(last) || unicode.IsDigit(last) || last == ',' || last == '(' || last == '-') {
		return false
	}
	return unicode.IsLetter(first) && !mdListItem.MatchString(next)
}

var (
	mdRefDef     = regexp.MustCompile(`^ {0,3}\[([^\]]+)\]:[ \t]*<?([^\s>]+)>?(?:[ \t]+.*)?$`)
	mdListItem   = regexp.MustCompile(`^[ \t]*(?:[-*+]|\d{1,9}[.)])(?:[ \t]+|$)`)
	mdFence      = regexp.MustCompile("^ {0,3}(`{3,}|~{3,})")
	mdSetext1    = regexp.MustCompile(`^ {0,3}=+[ \t]*$`)
	mdSetext2    = regexp.MustCompile(`^ {0,3}-+[ \t]*$`)
	mdEnumLine   = regexp.MustCompile(`^[ \t*_]*(?:\d{1,2}\\?[.、)）]|[（(](?:\d{1,2}|[一二三四五六七八九十]{1,3})[)）]|[一二三四五六七八九十]{1,3}、)`)
	mdFieldLabel = regexp.MustCompile(`(?:` + strings.Join(mdFieldNames, "|") + "|" + strings.Join(mdRunFieldNames, "|") + `)[ \t*_]*[：:]`)
	mdFieldLine  = regexp.MustCompile(`^[ \t*_]*(?:` + strings.Join(mdFieldNames, "|") + `)[ \t*_]*[：:]`)
	mdBoldLine   = regexp.MustCompile(`^(?:\*\*|__)[^*_]{1,40}(?:\*\*|__)[:：]?$`)
	mdBreak      = regexp.MustCompile(`^ {0,3}(?:(?:-[ \t]*){3,}|(?:\*[ \t]*){3,}|(?:_[ \t]*){3,})$`)
	mdHTMLBlk    = regexp.MustCompile(`(?i)^\s*</?(?:p|div|table|tr|td|th|thead|tbody|ul|ol|li|h[1-6]|br|hr|section|article|blockquote|center|details|summary|dl|dt|dd|pre)[\s/>]`)
)

// mdFieldNames label one field of an SDK record (使用目的：…): a line that
// starts with one and holds no other label is a field line. mdRunFieldNames
// label fields that only count towards a line's other labels (a run of
// fields: "官网链接：… 第三方SDK名称：高德地图 公司全称：…").
var (
	mdFieldNames    = []string{"使用目的", "目的", "用途", "使用场景", "应用场景", "信息类型", "收集信息", "收集的信息", "收集个人信息", "个人信息类型", "收集个人信息类型", "个人信息字段", "涉及个人信息", "涉及个人信息类型", "所需权限", "申请权限", "调用权限", "权限", "功能", "官网链接", "官网", "隐私政策链接", "隐私政策", "隐私权政策", "第三方名称", "第三方机构名称", "第三方主体", "SDK名称", "公司名称", "运营方", "开发者", "提供方", "合作方名称", "共享方式", "处理方式"}
	mdRunFieldNames = []string{"公司全称", "第三方SDK名称", "收集数据类型"}
)

// mdReader is the state of the Markdown reader: a line-based reader for the
// subset policies use (CommonMark blocks plus GFM tables), not a full
// CommonMark parser.
type mdReader struct {
	lim      Limits
	refs     map[string]string
	blocks   []Block
	para     []string
	paraLine int
	lastLine int // source line of the paragraph's last line
	// brk is set when the paragraph's last line ended in a hard break (two
	// spaces or a backslash), afterBrk when the open paragraph began after
	// one: a hard break is a <br>, which ends a block as it does in HTML.
	brk, afterBrk bool
	// pre is set for the text of a <pre> (readMarkdownText); enumHead
	// when the open paragraph is a short numbered title there.
	pre, enumHead bool
	tables        int
	cells         int
	// the open table: its column count, 0 if none
	tableCols int
	// short is the number of cells the table's last row was written with
	// when that is fewer than tableCols (its line wrapped), else 0
	short int
	// its number, given at its first row with text so that numbers stay
	// dense
	tableIdx int
	// Hidden text: the rules of the document's <style> blocks, the open
	// HTML elements an HTML block left hiding what follows (and why), the
	// hidden blocks and context for Document.Hidden, and their tables.
	sheet     *styleSheet
	carry     []carriedStyle
	carryWhy  hideReason
	hidden    []Block
	anyHidden bool
	htables   int
	htableIdx int
}

func readMarkdown(src string, lim Limits) ([]Block, []Block, error) {
	return readMarkdownText(src, lim, false)
}

// readMarkdownText reads Markdown; pre is set for the text of an HTML
// <pre>, which a browser shows line by line as written: there a line that
// starts with an enumeration mark ("1\. 互联网访问", "（2）", "三、") starts a
// block of its own, as a list item would, though the converter escaped
// its mark or left no blank line before it; so does a line that holds one
// field of an SDK record ("使用目的：统计分析"). Every line on its own would
// cut sentences the converter wrapped (measured: 31 labelled items lost).
func readMarkdownText(src string, lim Limits, pre bool) ([]Block, []Block, error) {
	lines := strings.Split(src, "\n")
	m := &mdReader{lim: lim, refs: map[string]string{}, sheet: mdSheet(src), pre: pre}
	start := frontMatter(lines)
	isDef := make([]bool, len(lines))
	for i := start; i < len(lines); i++ {
		// CommonMark caps a label at 999 characters. The cap is checked
		// here, not as {1,999} in the pattern: a bounded repeat compiles
		// to 999 nested copies and cost every process 10 ms at start-up.
		if d := mdRefDef.FindStringSubmatch(lines[i]); d != nil && utf8.RuneCountInString(d[1]) <= 999 {
			isDef[i] = true
			if key := mdLabel(d[1]); m.refs[key] == "" {
				m.refs[key] = d[2]
			}
		}
	}
	var fence string
	inComment := false
	for i := start; i < len(lines); i++ {
		ln, line := i+1, lines[i]
		if fence != "" {
			// Code is kept verbatim, a line a block, without inline rules.
			if f := mdFence.FindString(line); f != "" && f[len(f)-1] == fence[0] && len(strings.TrimSpace(f)) >= len(fence) && strings.TrimSpace(line[len(f):]) == "" {
				fence = ""
			} else if text := collapseSpace(line); text != "" {
				m.add(Block{Line: ln, Text: text}, reasonNone)
			}
			continue
		}
		if isDef[i] {
			m.endBlock()
			continue
		}
		// Multi-line HTML comments hide their lines; one-line comments are
		// removed by the inline rules.
		blank := strings.TrimSpace(line) == ""
		if inComment {
			j := strings.Index(line, "-->")
			if j < 0 {
				continue
			}
			line, inComment = line[j+3:], false
		}
		if k := strings.LastIndex(line, "<!--"); k >= 0 && !strings.Contains(line[k+4:], "-->") {
			line, inComment = line[:k], true
		}
		if !blank && strings.TrimSpace(line) == "" {
			continue
		}
		line = mdUnquote(line)
		if strings.TrimFunc(line, isBlank) == "" {
			m.endBlock()
			continue
		}
		if m.tableCols > 0 {
			// GFM lets a line with no pipe continue a table as a one-cell
			// row; in policies such a line is the prose after the table
			// (its blank line lost in conversion), not a row of it.
			if !mdStartsBlock(line) && mdHasPipe(line) {
				if m.short > 0 && !strings.HasPrefix(strings.TrimSpace(line), "|") && m.mergeRow(line) {
					continue
				}
				if err := m.row(line, ln, false); err != nil {
					return nil, nil, err
				}
				m.short = 0
				// Only a line that ends in a pipe was broken after one; a
				// short line without (a rowspan's remaining cells, written
				// under the first columns) is a row of its own.
				if n := len(mdCells(line)); n < m.tableCols && strings.HasSuffix(strings.TrimSpace(line), "|") {
					m.short = n
				}
				continue
			}
			// A row whose last cell wrapped onto a line of its own (an SDK
			// row, then its policy's address, then the next row): the line
			// ends that row. Prose after a table is neither a bare address
			// nor followed by more rows.
			if !mdStartsBlock(line) && m.rowOpen() && (mdBareURL(line) || i+1 < len(lines) && mdHasPipe(lines[i+1]) && !mdStartsBlock(lines[i+1]) && (i+2 >= len(lines) || !mdDelim.MatchString(lines[i+2]))) && m.wrapRow(line) {
				continue
			}
			m.tableCols, m.short = 0, 0
		}
		if f := mdFence.FindString(line); f != "" && (f[len(f)-1] != '`' || !strings.Contains(line[len(f):], "`")) {
			m.endBlock()
			fence = strings.TrimSpace(f)
			continue
		}
		if lvl, text, ok := mdATX(line); ok {
			m.endBlock()
			m.emit(ln, text, lvl)
			continue
		}
		if raw := mdRawBlk.FindStringSubmatch(line); raw != nil {
			// <script> and <style> blocks run to their end tag and hold
			// no text (the style rules were read before).
			m.endBlock()
			end := mdStyleClose
			if strings.EqualFold(raw[1], "script") {
				end = mdScriptClose
			}
			for i < len(lines) && !end.MatchString(lines[i]) {
				i++
			}
			continue
		}
		if mdHTMLBlk.MatchString(line) {
			// An HTML block runs to the next blank line, as in CommonMark;
			// policies written in Markdown use HTML for tables with
			// rowspan.
			m.endBlock()
			j := i + 1
			for j < len(lines) && strings.TrimFunc(lines[j], isBlank) != "" {
				j++
			}
			if err := m.html(strings.Join(append([]string{line}, lines[i+1:j]...), "\n"), ln); err != nil {
				return nil, nil, err
			}
			i = j - 1
			continue
		}
		if m.paraLine > 0 && !m.isItem() {
			lvl := 0
			if mdSetext1.MatchString(line) {
				lvl = 1
			} else if mdSetext2.MatchString(line) {
				lvl = 2
			}
			if lvl > 0 && (len(m.para) > 1 || m.brk || m.afterBrk) {
				// Policy collections part sections with a row of "="
				// right under their last line: under several lines, or
				// under lines parted by hard breaks, it is a separator,
				// not the underline of a heading the whole section would
				// become.
				m.endBlock()
				continue
			}
			if lvl > 0 {
				text, at := strings.Join(m.para, "\n"), m.paraLine
				m.para, m.paraLine = nil, 0
				m.emit(at, text, lvl)
				continue
			}
		}
		if len(m.para) > 0 && !m.isItem() && strings.Contains(line, "|") && mdDelim.MatchString(line) {
			head := m.para[len(m.para)-1]
			if n := len(mdCells(line)); mdHasPipe(head) && len(mdCells(head)) == n {
				headLine := m.lastLine
				m.para = m.para[:len(m.para)-1]
				m.endBlock()
				m.tableCols, m.tableIdx, m.htableIdx = n, 0, 0
				if err := m.row(head, headLine, true); err != nil {
					return nil, nil, err
				}
				continue
			}
		}
		if mdBreak.MatchString(line) {
			m.endBlock()
			continue
		}
		if loc := mdListItem.FindStringIndex(line); loc != nil {
			m.endBlock()
			m.para, m.paraLine, m.lastLine = []string{"\x00" + line[loc[1]:]}, ln, ln
			m.brk = hardBreak(line)
			continue
		}
		if mdSetext1.MatchString(line) && len(strings.TrimSpace(line)) >= 3 && m.paraLine == 0 {
			// A row of "=" with no line above it to underline separates
			// sections; it is no text.
			continue
		}
		hard := hardBreak(line)
		// A list item keeps the indented lines under it, hard breaks and
		// all ("*   **腾讯Bugly**  " / "    **使用目的：**…"); a line
		// after a hard break that is not indented is no part of it.
		lazy := m.isItem() && m.brk && !strings.HasPrefix(line, " ") && !strings.HasPrefix(line, "\t")
		if len(m.para) > 0 && (!m.isItem() || lazy) && (m.brk || hard && mdBoldLine.MatchString(strings.TrimSpace(line)) && !strings.HasSuffix(strings.TrimSpace(m.para[len(m.para)-1]), "|") || m.pre && (mdEnumLine.MatchString(line) || fieldLine(line) || m.enumHead)) {
			// A short line all in bold and broken after ("**IOS端**  ")
			// heads what follows as a heading would, though no blank
			// line sets it apart from what precedes (a cell after a
			// pipe aside: "**申请的权限**" / "|" / "**业务功能**  ").
			m.endBlock()
			m.afterBrk = true
		}
		if m.paraLine == 0 {
			m.paraLine = ln
		}
		m.brk = hard
		// In a <pre>, a short numbered line ("2\. 互联网访问") is a title:
		// the line under it, its description, is a block of its own —
		// unless the line breaks inside brackets ("（14）插码SDK（Webtrends").
		// A record's field line ("使用目的：统计分析") is one too, and the
		// line after it (the next field, or the next record's name).
		m.enumHead = m.pre && fieldLine(line) || m.pre && len(m.para) == 0 && mdEnumLine.MatchString(line) && utf8.RuneCountInString(strings.TrimSpace(line)) <= 24 && !strings.ContainsAny(line, "。，,；;") && strings.Count(line, "（")+strings.Count(line, "(") <= strings.Count(line, "）")+strings.Count(line, ")")
		m.para, m.lastLine = append(m.para, strings.TrimLeft(line, " \t")), ln
	}
	m.endBlock()
	if !m.anyHidden {
		m.hidden = nil
	}
	return m.blocks, m.hidden, nil
}

// hardBreak reports a line that ends in a Markdown hard break: two spaces
// or a backslash.
func hardBreak(line string) bool {
	t := strings.TrimRight(line, "\r")
	return strings.HasSuffix(t, "  ") || strings.HasSuffix(t, "\\")
}

// fieldLine reports a line that holds one field of a record ("使用目的：统计分
// 析"); a line with several ("官网链接：… 第三方SDK名称：高德地图 公司全称：…") is
// a record's run of fields, which splitGluedRecords parts.
func fieldLine(line string) bool {
	return mdFieldLine.MatchString(line) && len(mdFieldLabel.FindAllStringIndex(line, 2)) == 1
}

// isItem reports that the open paragraph is a list item, which a setext
// underline cannot turn into a heading. The item's first line is marked
// with a NUL, which sanitised text never contains.
func (m *mdReader) isItem() bool {
	return len(m.para) > 0 && strings.HasPrefix(m.para[0], "\x00")
}

func (m *mdReader) endBlock() {
	m.tableCols, m.short = 0, 0
	m.enumHead = false
	m.brk, m.afterBrk = false, false
	if m.paraLine == 0 {
		return
	}
	if len(m.para) > 0 {
		m.para[0] = strings.TrimPrefix(m.para[0], "\x00")
		m.emit(m.paraLine, strings.Join(m.para, "\n"), 0)
	}
	m.para, m.paraLine = nil, 0
}

// emit reads the inline markup of a paragraph or heading and adds it.
func (m *mdReader) emit(line int, src string, heading int) {
	text, why := mdInline(src, m.refs, m.sheet)
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

// add appends a block, to the hidden ones when an HTML block left an
// element open that hides it; headings and table header rows are also
// context for the hidden ones.
func (m *mdReader) add(b Block, why hideReason) {
	if why == 0 {
		why = m.carryWhy
	}
	if why != 0 {
		b.Hidden = why.String()
		m.hide(b)
		return
	}
	m.blocks = append(m.blocks, b)
	if b.Heading > 0 || b.Header {
		m.hide(b)
	}
}

// hide appends a block to the hidden list; a table row takes the number
// of its table in that list.
func (m *mdReader) hide(b Block) {
	if b.Hidden != "" {
		m.anyHidden = true
	}
	if b.Table > 0 {
		if m.htableIdx == 0 {
			m.htables++
			m.htableIdx = m.htables
		}
		b.Table = m.htableIdx
	}
	if n := len(m.hidden); n > 0 && m.hidden[n-1].Line > b.Line {
		b.Line = m.hidden[n-1].Line
	}
	m.hidden = append(m.hidden, b)
}

// mdSheet reads the <style> blocks of a Markdown document before its
// text, since HTML blocks are read one at a time but a rule applies to
// all of them.
func mdSheet(src string) *styleSheet {
	sh := &styleSheet{}
	for _, loc := range mdStyleOpen.FindAllStringIndex(src, -1) {
		if sh.rules >= maxCSSRules {
			break
		}
		end := mdStyleClose.FindStringIndex(src[loc[1]:])
		if end == nil {
			sh.parse(src[loc[1]:])
			break
		}
		sh.parse(src[loc[1] : loc[1]+end[0]])
	}
	return sh
}

var (
	mdStyleOpen  = regexp.MustCompile(`(?i)<style(?:\s[^>]*)?>`)
	mdStyleClose = regexp.MustCompile(`(?i)</style\s*>`)
	// mdRawBlk starts a CommonMark HTML block of the first kind whose
	// content is not text.
	mdRawBlk      = regexp.MustCompile(`(?i)^ {0,3}<(script|style)(?:[\s>]|$)`)
	mdScriptClose = regexp.MustCompile(`(?i)</script\s*>`)
)

// html reads an HTML block, shifting its lines and table numbers into the
// document's.
func (m *mdReader) html(src string, ln int) error {
	r, err := htmlBlocks(src, m.lim, m.lim.MaxCells-m.cells, m.sheet, m.carry)
	if err != nil {
		return fmt.Errorf("HTML block at line %d: %v", ln, err)
	}
	m.cells = m.lim.MaxCells - r.cellsLeft
	m.carry, m.carryWhy = r.carry, r.carryWhy
	tables := m.tables
	for _, b := range r.blocks {
		b.Line += ln - 1
		if b.Table > 0 {
			b.Table += tables
			m.tables = b.Table
		}
		m.blocks = append(m.blocks, b)
	}
	htables := m.htables
	for _, b := range r.hidden {
		b.Line += ln - 1
		if b.Table > 0 {
			b.Table += htables
			m.htables = b.Table
		}
		m.anyHidden = m.anyHidden || b.Hidden != ""
		if n := len(m.hidden); n > 0 && m.hidden[n-1].Line > b.Line {
			b.Line = m.hidden[n-1].Line
		}
		m.hidden = append(m.hidden, b)
	}
	m.htableIdx = 0
	return nil
}

// row emits a table row, cut or padded to the header's width as GFM does.
func (m *mdReader) row(line string, ln int, header bool) error {
	cells := mdCells(line)
	for !header && m.tableCols >= 2 && len(cells) > m.tableCols {
		head, tail, ok := mdGlued(cells[m.tableCols-1])
		if !ok {
			break
		}
		first := append(cells[:m.tableCols-1:m.tableCols-1], head)
		if err := m.rowCells(first, ln, false); err != nil {
			return err
		}
		// Re-slice, not copy: a hostile line of many glued cells stays
		// linear.
		cells = cells[m.tableCols-1:]
		cells[0] = tail
	}
	return m.rowCells(cells, ln, header)
}

// mdGlued splits the last cell of a row whose line break was lost in
// conversion, so that the next row follows it on the same line: the cell
// holds the end of one row and the first cell of the next, parted by a
// Markdown hard break (two spaces) or following a link.
func mdGlued(cell string) (head, tail string, ok bool) {
	cell = strings.TrimSpace(cell)
	if i := strings.LastIndex(cell, "  "); i > 0 {
		head, tail = strings.TrimSpace(cell[:i]), strings.TrimSpace(cell[i:])
	} else if i := strings.LastIndex(cell, "]("); i > 0 {
		j := strings.IndexByte(cell[i:], ')')
		if j < 0 {
			return "", "", false
		}
		head, tail = strings.TrimSpace(cell[:i+j+1]), strings.TrimSpace(cell[i+j+1:])
	}
	return head, tail, head != "" && tail != ""
}

// mergeRow adds the cells of a line to the table's last row, which was
// written with fewer cells than the table has: a converter wrapped the row
// after a pipe ("WeChat openSDK| 安卓| 用于微信登录|" then "设备信息…| 腾讯公司|"),
// so the next line holds the row's remaining cells, without a leading
// pipe. It reports false when the cells do not fit.
func (m *mdReader) mergeRow(line string) bool {
	n := len(m.blocks)
	if n == 0 || m.tableIdx == 0 || m.blocks[n-1].Table != m.tableIdx || m.blocks[n-1].Header {
		return false
	}
	add := mdCells(line)
	if m.short+len(add) > m.tableCols || m.short+len(add) > len(m.blocks[n-1].Cells) {
		return false
	}
	texts := make([]string, len(add))
	for k, c := range add {
		text, w := mdInline(c, m.refs, m.sheet)
		if w != 0 {
			return false
		}
		texts[k] = collapseSpace(text)
	}
	m.cells += len(add)
	if m.cells > m.lim.MaxCells {
		return false
	}
	b := &m.blocks[n-1]
	cells := append([]string(nil), b.Cells...)
	copy(cells[m.short:], texts)
	b.Cells, b.Text = cells, strings.Join(cells, " | ")
	m.short += len(add)
	if m.short >= m.tableCols {
		m.short = 0
	}
	return true
}

// rowOpen reports whether the table's last row still has room: it was
// written with fewer cells than the table, or its last cell is empty.
func (m *mdReader) rowOpen() bool {
	n := len(m.blocks)
	if n == 0 || m.tableIdx == 0 || m.blocks[n-1].Table != m.tableIdx {
		return false
	}
	c := m.blocks[n-1].Cells
	return m.short > 0 || len(c) > 0 && c[len(c)-1] == ""
}

// mdBareURL reports a line that is only a web address.
func mdBareURL(line string) bool {
	t := strings.TrimSpace(line)
	return !strings.ContainsAny(t, " \t") && (strings.HasPrefix(t, "http://") || strings.HasPrefix(t, "https://") || strings.HasPrefix(t, "www."))
}

// wrapRow appends a wrapped line to the table's last row, in its first
// empty trailing cell (the link column a row left blank) or else its last
// cell. It reports false when the table has no row to take it.
func (m *mdReader) wrapRow(line string) bool {
	n := len(m.blocks)
	if n == 0 || m.tableIdx == 0 || m.blocks[n-1].Table != m.tableIdx || m.blocks[n-1].Header {
		return false
	}
	text, w := mdInline(strings.TrimSpace(line), m.refs, m.sheet)
	if w != 0 {
		return false
	}
	text = collapseSpace(text)
	if text == "" || utf8.RuneCountInString(text) > 300 {
		return false
	}
	b := &m.blocks[n-1]
	cells := append([]string(nil), b.Cells...)
	k := len(cells) - 1
	for k > 0 && cells[k-1] == "" {
		k--
	}
	cells[k] = strings.TrimSpace(cells[k] + " " + text)
	b.Cells, b.Text = cells, strings.Join(cells, " | ")
	// The wrapped line ends the row: a second one is prose, and a row
	// that kept growing would cost quadratic copying on hostile input.
	m.short = 0
	return true
}

func (m *mdReader) rowCells(cells []string, ln int, header bool) error {
	if len(cells) > m.tableCols {
		cells = cells[:m.tableCols]
	}
	for len(cells) < m.tableCols {
		cells = append(cells, "")
	}
	m.cells += len(cells)
	if m.cells > m.lim.MaxCells {
		return fmt.Errorf("tables have more than %d cells (line %d)", m.lim.MaxCells, ln)
	}
	var all []string
	why := m.carryWhy
	for k, c := range cells {
		text, w := mdInline(c, m.refs, m.sheet)
		if w != 0 && all == nil {
			all = make([]string, len(cells))
			for j := range k {
				all[j] = cells[j]
			}
		}
		if why == 0 {
			why = w
		}
		cells[k] = collapseSpace(string(stripHidden([]byte(text))))
		if all != nil {
			all[k] = collapseSpace(text)
		}
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

// frontMatter skips a YAML header (Jekyll, Hugo), which is site
// metadata, not policy text.
func frontMatter(lines []string) int {
	if len(lines) < 2 || strings.TrimSpace(lines[0]) != "---" {
		return 0
	}
	for i := 1; i < len(lines) && i < 200; i++ {
		if s := strings.TrimSpace(lines[i]); s == "---" || s == "..." {
			return i + 1
		}
	}
	return 0
}

func mdLabel(s string) string {
	return strings.ToLower(strings.Join(strings.Fields(s), " "))
}

// mdUnquote strips blockquote markers: quoted policy text is still
// policy text.
func mdUnquote(line string) string {
	for {
		t := strings.TrimLeft(line, " ")
		if len(line)-len(t) > 3 || !strings.HasPrefix(t, ">") {
			return line
		}
		line = strings.TrimPrefix(t[1:], " ")
	}
}

// mdStartsBlock reports lines that end a table even without a blank
// line before them.
func mdStartsBlock(line string) bool {
	if _, _, ok := mdATX(line); ok {
		return true
	}
	return mdFence.MatchString(line) || mdBreak.MatchString(line) || mdHTMLBlk.MatchString(line) || mdListItem.MatchString(line)
}

// mdATX parses a "# heading" line.
func mdATX(line string) (int, string, bool) {
	s := strings.TrimLeft(line, " ")
	if len(line)-len(s) > 3 {
		return 0, "", false
	}
	n := 0
	for n < len(s) && s[n] == '#' {
		n++
	}
	if n == 0 || n > 6 {
		return 0, "", false
	}
	if n < len(s) && s[n] != ' ' && s[n] != '\t' {
		// CommonMark wants a space after the #s; Chinese authors often
		// leave it out (##第一条), and a CJK character cannot continue
		// a word that starts with #.
		if r, _ := utf8.DecodeRuneInString(s[n:]); !isWide(r) {
			return 0, "", false
		}
	}
	text := strings.TrimSpace(s[n:])
	// A closing run of #s is decoration.
	if t := strings.TrimRight(text, "#"); t == "" || strings.HasSuffix(t, " ") || strings.HasSuffix(t, "\t") {
		text = strings.TrimSpace(t)
	}
	return n, text, true
}

func mdHasPipe(line string) bool {
	return strings.Contains(strings.ReplaceAll(line, `\|`, ""), "|")
}

// mdCells splits a table row on unescaped pipes; \| is a literal pipe
// (company names and permission lists contain them).
func mdCells(line string) []string {
	s := strings.TrimSpace(line)
	s = strings.TrimPrefix(s, "|")
	if strings.HasSuffix(s, "|") && !strings.HasSuffix(s, `\|`) {
		s = s[:len(s)-1]
	}
	var cells []string
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '\\' && i+1 < len(s):
			if s[i+1] != '|' {
				b.WriteByte('\\')
			}
			b.WriteByte(s[i+1])
			i++
		case c == '|':
			cells = append(cells, b.String())
			b.Reset()
		default:
			b.WriteByte(c)
		}
	}
	return append(cells, b.String())
}

// nextFinder finds the next occurrence of any of a set of bytes, remembering
// its last answer: the inline reader asks from ever later positions, and
// without the memory a line like "[](" repeated would take quadratic time.
type nextFinder struct {
	set      string
	from, at int
	valid    bool
}

func (c *nextFinder) find(s string, from int) int {
	if c.valid && from >= c.from && (c.at < 0 || from <= c.at) {
		return c.at
	}
	c.valid, c.from = true, from
	c.at = -1
	if from <= len(s) {
		if k := strings.IndexAny(s[from:], c.set); k >= 0 {
			c.at = from + k
		}
	}
	return c.at
}

type emphOpener struct {
	out, src int
	image    bool
}

// inlineParser holds the state of one inline pass; every search in it is
// remembered or bounded, so a paragraph costs linear time.
type inlineParser struct {
	s         string
	refs      map[string]string
	out       []byte
	openers   []emphOpener
	noComment bool // no "-->" after the current position
	sheet     *styleSheet
	hiding    []string   // open inline elements that hide their text
	why       hideReason // why the first hidden text is hidden
	noTicks   [17]bool   // no backtick run of that length after it
	destStop  nextFinder
	quote     nextFinder
	apos      nextFinder
	paren     nextFinder
	bracket   nextFinder
	angle     nextFinder
	tagEnd    nextFinder
}

// mdInline removes inline Markdown: emphasis markers, code marks,
// escapes, HTML tags; a link becomes "text (url)" and an image its alt
// text. Text inside an inline HTML element that hides it (<span
// style="display:none">) is marked as in textSink, and why gives the reason
// for the first such text.
func mdInline(s string, refs map[string]string, sheet *styleSheet) (string, hideReason) {
	p := &inlineParser{s: s, refs: refs, out: make([]byte, 0, len(s)), sheet: sheet}
	p.destStop.set = " \t\n()<"
	p.quote.set = `"`
	p.apos.set = "'"
	p.paren.set = ")"
	p.bracket.set = "]"
	p.angle.set = ">\n"
	p.tagEnd.set = "<>"
	p.run()
	if len(p.hiding) > 0 {
		p.out = append(p.out, hideClose)
	}
	return string(p.out), p.why
}

func (p *inlineParser) run() {
	s := p.s
	for i := 0; i < len(s); {
		c := s[i]
		switch c {
		case '\\':
			if i+1 < len(s) && (s[i+1] == '\n' || asciiPunct(s[i+1])) {
				p.out = append(p.out, s[i+1])
				i += 2
				continue
			}
		case '`':
			j := i
			for j < len(s) && s[j] == '`' {
				j++
			}
			if n := j - i; n < len(p.noTicks) && !p.noTicks[n] {
				if k := findTicks(s, j, n); k >= 0 {
					code := s[j:k]
					if len(code) >= 2 && code[0] == ' ' && code[len(code)-1] == ' ' && strings.TrimSpace(code) != "" {
						code = code[1 : len(code)-1]
					}
					p.out = append(p.out, code...)
					i = k + n
					continue
				}
				p.noTicks[n] = true
			}
			i = j // an unmatched run is a stray mark
			continue
		case '!', '[':
			if c == '[' || (i+1 < len(s) && s[i+1] == '[') {
				if len(p.openers) < 64 {
					p.openers = append(p.openers, emphOpener{out: len(p.out), src: i, image: c == '!'})
				}
				if c == '!' {
					p.out = append(p.out, '!', '[')
					i += 2
				} else {
					p.out = append(p.out, '[')
					i++
				}
				continue
			}
		case ']':
			if next, ok := p.closeLink(i); ok {
				i = next
				continue
			}
		case '<':
			if next, ok := p.tag(i); ok {
				i = next
				continue
			}
		case '&':
			if n := entityLen(s[i:]); n > 0 {
				p.out = append(p.out, html.UnescapeString(s[i:i+n])...)
				i += n
				continue
			}
		case '*', '_', '~':
			j := i
			for j < len(s) && s[j] == c {
				j++
			}
			prev, _ := utf8.DecodeLastRuneInString(s[:i])
			next, _ := utf8.DecodeRuneInString(s[j:])
			if i == 0 {
				prev = 0
			}
			if j == len(s) {
				next = 0
			}
			if keepEmphasis(c, j-i, prev, next) {
				p.out = append(p.out, s[i:j]...)
			}
			i = j
			continue
		}
		p.out = append(p.out, c)
		i++
	}
}

// keepEmphasis reports whether a run of *, _ or ~ is literal text
// rather than a marker: an underscore inside a word (READ_PHONE_STATE), a
// mark with spaces on both sides (a * b), a single tilde (~5).
func keepEmphasis(c byte, n int, prev, next rune) bool {
	space := func(r rune) bool { return r == 0 || unicode.IsSpace(r) }
	word := func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }
	if space(prev) && space(next) {
		return true
	}
	switch c {
	case '_':
		return word(prev) && word(next)
	case '~':
		return n != 2
	}
	return false
}

func asciiPunct(c byte) bool {
	return c >= '!' && c <= '/' || c >= ':' && c <= '@' || c >= '[' && c <= '`' || c >= '{' && c <= '~'
}

// findTicks finds the closing backtick run of exactly n.
func findTicks(s string, from, n int) int {
	for from < len(s) {
		k := strings.IndexByte(s[from:], '`')
		if k < 0 {
			return -1
		}
		k += from
		j := k
		for j < len(s) && s[j] == '`' {
			j++
		}
		if j-k == n {
			return k
		}
		from = j
	}
	return -1
}

// entityLen is the length of the character reference at the start of s.
func entityLen(s string) int {
	i := 1
	if len(s) > 1 && s[1] == '#' {
		i = 2
		hex := len(s) > 2 && (s[2] == 'x' || s[2] == 'X')
		if hex {
			i = 3
		}
		j := i
		for j < len(s) && j-i < 7 && (s[j] >= '0' && s[j] <= '9' || hex && (s[j]|0x20 >= 'a' && s[j]|0x20 <= 'f')) {
			j++
		}
		if j > i && j < len(s) && s[j] == ';' {
			return j + 1
		}
		return 0
	}
	j := i
	for j < len(s) && j-i < 32 && (s[j] >= 'a' && s[j] <= 'z' || s[j] >= 'A' && s[j] <= 'Z' || s[j] >= '0' && s[j] <= '9') {
		j++
	}
	if j-i >= 2 && j < len(s) && s[j] == ';' {
		return j + 1
	}
	return 0
}

// closeLink handles a ']' that may close a link or image opened earlier.
func (p *inlineParser) closeLink(i int) (int, bool) {
	if len(p.openers) == 0 {
		return 0, false
	}
	op := p.openers[len(p.openers)-1]
	p.openers = p.openers[:len(p.openers)-1]
	textStart, srcStart := op.out+1, op.src+1
	if op.image {
		textStart, srcStart = op.out+2, op.src+2
	}
	label := p.s[srcStart:i]
	url, next, ok := p.linkTail(i+1, label)
	if !ok {
		return 0, false
	}
	text := string(p.out[textStart:])
	p.out = append(p.out[:op.out], text...)
	if op.image {
		return next, true
	}
	// Links cannot contain links: earlier openers are plain brackets now.
	p.openers = p.openers[:0]
	if url != "" && !showsURL(text, url) {
		p.out = append(p.out, " ("...)
		p.out = append(p.out, url...)
		p.out = append(p.out, ')')
	}
	return next, true
}

// showsURL reports whether a link's text already shows its target.
func showsURL(text, url string) bool {
	bare := strings.ToLower(url)
	for _, pre := range []string{"https://", "http://", "mailto:", "tel:"} {
		bare = strings.TrimPrefix(bare, pre)
	}
	bare = strings.TrimSuffix(bare, "/")
	return bare == "" || strings.Contains(strings.ToLower(text), bare)
}

// linkTail parses what follows "]": an inline destination "(url
// "title")", a reference "[label]" or "[]", or nothing for a shortcut
// reference. Destinations with spaces or parentheses are not supported.
func (p *inlineParser) linkTail(pos int, label string) (string, int, bool) {
	s := p.s
	if pos < len(s) && s[pos] == '(' {
		j := pos + 1
		for j < len(s) && (s[j] == ' ' || s[j] == '\t' || s[j] == '\n') {
			j++
		}
		var url string
		if j < len(s) && s[j] == '<' {
			k := p.angle.find(s, j+1)
			if k < 0 || s[k] != '>' {
				return "", 0, false
			}
			url, j = s[j+1:k], k+1
		} else {
			k := p.destStop.find(s, j)
			if k < 0 {
				k = len(s)
			}
			url, j = s[j:k], k
		}
		for j < len(s) && (s[j] == ' ' || s[j] == '\t' || s[j] == '\n') {
			j++
		}
		if j < len(s) && (s[j] == '"' || s[j] == '\'' || s[j] == '(') {
			closer := &p.quote
			switch s[j] {
			case '\'':
				closer = &p.apos
			case '(':
				closer = &p.paren
			}
			k := closer.find(s, j+1)
			if k < 0 {
				return "", 0, false
			}
			j = k + 1
			for j < len(s) && (s[j] == ' ' || s[j] == '\t' || s[j] == '\n') {
				j++
			}
		}
		if j < len(s) && s[j] == ')' {
			return url, j + 1, true
		}
		return "", 0, false
	}
	if pos < len(s) && s[pos] == '[' {
		k := p.bracket.find(s, pos+1)
		if k >= 0 && k-pos <= 1000 {
			ref := s[pos+1 : k]
			if ref == "" {
				ref = label
			}
			if url, ok := p.refs[mdLabel(ref)]; ok {
				return url, k + 1, true
			}
		}
	}
	if len(p.refs) > 0 && len(label) <= 999 {
		if url, ok := p.refs[mdLabel(label)]; ok {
			return url, pos, true
		}
	}
	return "", 0, false
}

var autolinkRe = regexp.MustCompile(`^(?:[A-Za-z][A-Za-z0-9+.-]{1,31}:[^\s<>]*|[A-Za-z0-9.!#$%&'*+/=?^_{|}~-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*)$`)
var inlineTagRe = regexp.MustCompile(`^/?([A-Za-z][A-Za-z0-9:-]*)(?:[\s/][^>]*)?$`)

// tag handles '<': an HTML comment or tag is removed (a block tag leaves a
// space), an autolink becomes its URL.
func (p *inlineParser) tag(i int) (int, bool) {
	s := p.s
	if strings.HasPrefix(s[i:], "<!--") {
		if p.noComment {
			return 0, false
		}
		k := strings.Index(s[i+4:], "-->")
		if k < 0 {
			p.noComment = true
			return 0, false
		}
		return i + 4 + k + 3, true
	}
	k := p.tagEnd.find(s, i+1)
	if k < 0 || s[k] != '>' {
		return 0, false
	}
	inner := s[i+1 : k]
	if autolinkRe.MatchString(inner) {
		p.out = append(p.out, inner...)
		return k + 1, true
	}
	if m := inlineTagRe.FindStringSubmatch(inner); m != nil {
		name := strings.ToLower(m[1])
		a := atom.Lookup([]byte(name))
		flags := flagsOf(a, []byte(name))
		if a == atom.Br || flags&flagBlock != 0 {
			p.out = append(p.out, ' ')
		}
		if inner[0] == '/' {
			p.endHiding(name)
		} else if flags&flagVoid == 0 {
			p.startHiding(name, roleOf(a), inner[len(m[1]):])
		}
		return k + 1, true
	}
	return 0, false
}

// startHiding opens an inline element that hides its text until its end
// tag or the end of the paragraph, where a browser would close it too.
func (p *inlineParser) startHiding(name string, id tagID, attrs string) {
	if len(p.hiding) >= 32 {
		return
	}
	if len(p.hiding) > 0 {
		// Inside hidden text every element is tracked, so that its end
		// tag does not close the hiding one.
		p.hiding = append(p.hiding, name)
		return
	}
	var a elemAttrs
	parseAttrsText(attrs, func(k, v string) {
		a.setAttr(id, k, []byte(v), func(b []byte) string { return string(b) })
	})
	var rule *cssRule
	if p.sheet != nil {
		rule = p.sheet.lookup(selTag, name)
	}
	if a == (elemAttrs{}) && rule == nil && name != "template" && name != "dialog" {
		return
	}
	st := elementStyle(p.sheet, rule, &a, nil)
	v := rootVis(p.sheet).child(&st, &a)
	why := v.textWhy()
	switch {
	case why != 0:
	case name == "template":
		why = whyTemplate
	case name == "dialog" && a.flags&attrOpen == 0:
		why = whyDialog
	default:
		return
	}
	p.out = append(p.out, hideOpen)
	if p.why == 0 {
		p.why = why
	}
	p.hiding = append(p.hiding, name)
}

func (p *inlineParser) endHiding(name string) {
	for k := len(p.hiding) - 1; k >= 0; k-- {
		if p.hiding[k] == name {
			p.hiding = p.hiding[:k]
			if k == 0 {
				p.out = append(p.out, hideClose)
			}
			return
		}
	}
}
