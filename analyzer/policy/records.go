package policy

import (
	"regexp"
	"slices"
	"strings"
	"unicode/utf8"
)

// SDK lists are often not tables but records: a line naming the SDK
// ("3、OPPO推送SDK", "**极光推送SDK**", "#### 小米推送SDK") followed by
// "key：value" lines (使用目的：…, 收集个人信息类型：…, 第三方主体：…). Read
// line by line, each value would be a sentence of its own, and a vendor
// named in one (用于小米平台的账号登录) would be narrowed to products the
// record is not about. Read as a record, the lines are the cells of one
// row of an SDK table, and the row's data and permissions belong to its SDK.

// fieldRe splits a "key：value" line; the key may be bold or a list item.
var fieldRe = regexp.MustCompile(`^\s*(?:[-*•·]\s*|\d{1,3}\s*[.、)）]\s*)?(?:\*\*|__)?([^:：\n]{2,20}?)(?:\*\*|__)?\s*[:：]\s*(?:\*\*|__)?\s*(.*)$`)

// recordField returns the column role of a record line and its value, or
// ok false when the line is not one.
func recordField(text string) (role, value string, ok bool) {
	m := fieldRe.FindStringSubmatch(text)
	if m == nil {
		return "", "", false
	}
	key := compact(fold(m[1]))
	if key == "" || runeLen(key) > 16 {
		return "", "", false
	}
	// A key is one short label: a clause with a verb ("我们会收集以下信息")
	// is a sentence that happens to contain a colon.
	// "设备权限如下：" leads into a list.
	if strings.ContainsAny(key, ",.;") || strings.Contains(key, "我们") || strings.Contains(key, "您") || strings.Contains(key, "如下") {
		return "", "", false
	}
	if rest := strings.Replace(key, "sdk", "", 1); rest != key && !hasHan(rest) && !strings.Contains(key, "name") {
		// "TalkingdataSDK：定位权限" names an SDK, whatever English words
		// hide in its name (data); "SDK用途" is a label.
		return "", "", false
	}
	if r := partyRole(key); r != "" {
		return r, strings.TrimSpace(m[2]), true
	}
	for _, rw := range roleWords {
		if containsAny(key, rw.words) {
			if rw.role == roleName && !strings.Contains(key, "名称") && !strings.Contains(key, "name") {
				// "腾讯BuglySDK：电话权限、定位权限" is a line about an SDK,
				// not the label of a record's field.
				return "", "", false
			}
			return rw.role, strings.TrimSpace(m[2]), true
		}
	}
	return "", "", false
}

// record is one SDK record being assembled.
type record struct {
	line  int
	cells map[string]string
}

// findRecords marks, for each block, whether it is a field line of a
// record (skip as prose) and where each record ends, returning the rows to
// read in their place keyed by the index of their last block, and, for a
// record named by the line before its fields, the index of that line.
func findRecords(blocks []Block) (fields []bool, rows map[int]Block, names map[int]int) {
	fields = make([]bool, len(blocks))
	rows = map[int]Block{}
	names = map[int]int{}
	for i := 0; i < len(blocks); {
		if blocks[i].Table != 0 {
			i++
			continue
		}
		j := i
		rec := record{cells: map[string]string{}}
		kinds := 0
		for ; j < len(blocks) && blocks[j].Table == 0 && blocks[j].Heading == 0; j++ {
			role, value, ok := recordField(blocks[j].Text)
			if !ok {
				break
			}
			if role == roleName && rec.cells[roleName] != "" {
				// A second name starts the next record.
				break
			}
			if rec.cells[role] == "" {
				kinds++
				rec.cells[role] = value
			} else {
				rec.cells[role] += "；" + value
			}
		}
		if j-i < 2 || kinds < 2 || rec.cells[rolePurpose]+rec.cells[roleData]+rec.cells[rolePerm] == "" {
			i++
			continue
		}
		rec.line = blocks[i].Line
		if n := rec.cells[roleName]; n != "" && rec.cells[roleCompany] == "" && companyRe.MatchString(strings.TrimSpace(n)) {
			// "第三方名称：财付通支付科技有限公司" under "#### 微信支付SDK".
			rec.cells[roleCompany], rec.cells[roleName] = n, ""
		}
		if rec.cells[roleName] == "" && i > 0 && blocks[i-1].Table == 0 {
			if h := strings.TrimSpace(blocks[i-1].Text); h != "" && runeLen(h) <= 40 && !keyValueLine(h) && !tableTitle(h) {
				if _, _, isField := recordField(h); !isField {
					rec.cells[roleName] = h
					rec.line = blocks[i-1].Line
				}
			}
		}
		if rec.cells[roleName] == "" && rec.cells[roleCompany] == "" {
			i = j
			continue
		}
		var cells, texts []string
		for _, role := range []string{roleName, roleCompany, rolePurpose, roleData, rolePerm, roleLink} {
			cells = append(cells, rec.cells[role])
			if rec.cells[role] != "" {
				texts = append(texts, rec.cells[role])
			}
		}
		for k := i; k < j; k++ {
			fields[k] = true
		}
		if n := compact(fold(rec.cells[roleName])); rec.line != blocks[i].Line && i > 0 && (strings.Contains(n, "开放平台") || strings.Contains(n, "openplatform")) {
			// A record named after a developer platform ("腾讯开放平台")
			// is about the products its purpose names; read on its own,
			// the name line would declare the platform's own alias.
			fields[i-1] = true
		}
		rows[j-1] = Block{Line: rec.line, Text: strings.Join(texts, " | "), Cells: cells}
		if rec.line != blocks[i].Line || i > 0 && rec.cells[roleName] == strings.TrimSpace(blocks[i-1].Text) {
			names[j-1] = i - 1
		}
		i = j
	}
	return fields, rows, names
}

// fieldKeyRe finds a candidate field label inside a line: a short word
// and a colon.
var fieldKeyRe = regexp.MustCompile(`[\p{Han}A-Za-z+]{2,16}[:：]`)

// splitGluedRecords splits a prose block that holds several SDK records
// run together ("第三方SDK名称：友盟… 用途：… 第三方SDK名称：高德地图 用途：…",
// lines an HTML page joins into one paragraph) into one block per field,
// so the records read as records. Other blocks are returned as they are.
func splitGluedRecords(blocks []Block) []Block {
	var out []Block
	for i, b := range blocks {
		parts := gluedFields(b)
		if parts == nil {
			if out != nil {
				out = append(out, b)
			}
			continue
		}
		if out == nil {
			out = append(make([]Block, 0, len(blocks)+len(parts)), blocks[:i]...)
		}
		for _, p := range parts {
			nb := b
			nb.Text = p
			out = append(out, nb)
		}
	}
	if out == nil {
		return blocks
	}
	return out
}

// gluedFields returns a block's text cut before each field label, or nil
// when the block is not at least two records' worth of fields.
func gluedFields(b Block) []string {
	if b.Table != 0 || b.Heading != 0 || len(b.Text) > 64<<10 {
		return nil
	}
	var cuts []int
	// The same name label twice ("第三方SDK名称：…第三方SDK名称：") is what
	// says several records were joined; one record's 名称 and 第三方名称
	// are two fields of it.
	nameKeys := map[string]int{}
	repeated := false
	for _, loc := range fieldKeyRe.FindAllStringIndex(b.Text, 200) {
		at, role, ok := keyStart(b.Text, loc[0], loc[1])
		if !ok {
			continue
		}
		if role == roleName {
			k := compact(fold(b.Text[at:loc[1]]))
			nameKeys[k]++
			repeated = repeated || nameKeys[k] > 1
		}
		cuts = append(cuts, at)
	}
	if !repeated || len(cuts) < 4 {
		return nil
	}
	var parts []string
	last := 0
	for _, c := range cuts {
		if p := strings.TrimSpace(b.Text[last:c]); p != "" {
			parts = append(parts, p)
		}
		last = c
	}
	if p := strings.TrimSpace(b.Text[last:]); p != "" {
		parts = append(parts, p)
	}
	return parts
}

// knownKeys are the field labels SDK records use, folded: where a value
// runs into the next label ("华为推送功能：推送信息") the label is the
// longest known key the run ends with.
var knownKeys = map[string]bool{}

func init() {
	for _, k := range []string{"第三方SDK名称", "SDK名称", "第三方名称", "名称", "公司名称", "第三方公司名称", "第三方主体", "主体名称",
		"功能", "用途", "使用目的", "目的", "使用场景", "场景", "收集的个人信息类型", "收集个人信息类型", "收集的个人信息",
		"收集个人信息", "个人信息类型", "收集信息", "收集的信息", "收集信息类型", "隐私政策链接", "SDK隐私政策链接",
		"隐私权政策链接", "隐私政策", "官网", "SDK官网", "权限", "所需权限", "申请权限", "涉及权限", "使用权限",
		"共享方式", "处理方式", "提供方", "开发者", "运营方"} {
		knownKeys[compact(fold(k))] = true
	}
}

// keyStart finds where the field label in text[from:end] (a run of
// letters and a colon) starts: the longest known label the run ends
// with, else the shortest tail that reads as a field.
func keyStart(text string, from, end int) (at int, role string, ok bool) {
	colon := end - 1
	for colon > from && !utf8.RuneStart(text[colon]) {
		colon--
	}
	for i := from; i < colon; i++ {
		if !utf8.RuneStart(text[i]) || !knownKeys[compact(fold(text[i:colon]))] {
			continue
		}
		if r, _, fine := recordField(text[i:]); fine {
			return i, r, true
		}
	}
	for i := colon - 1; i >= from; i-- {
		if !utf8.RuneStart(text[i]) {
			continue
		}
		if r, _, fine := recordField(text[i:]); fine {
			return i, r, true
		}
	}
	return 0, "", false
}

// headingShapes fixes the headings a converted page gets wrong. A
// paragraph underlined with ==== becomes a Markdown heading, however long
// ("七、隐私政策的更新 7.1 … 您应不使用或立即停止使用…"): a heading of more
// than maxHeadingRunes is a paragraph, and its words set no section's
// context or negation. A paragraph that starts with the underline of the
// one before ("========== 九、第三方SDK信息公示") is the next section's
// title.
func headingShapes(blocks []Block) []Block {
	var out []Block
	for i, b := range blocks {
		nb := b
		if b.Table == 0 {
			t := strings.TrimSpace(b.Text)
			switch {
			case b.Heading > 0 && runeLen(t) > maxHeadingRunes:
				nb.Heading = 0
			case b.Heading == 0 && strings.HasPrefix(t, "==="):
				rest := strings.TrimSpace(strings.TrimLeft(t, "= "))
				if rest != "" && runeLen(rest) <= maxHeadingRunes/2 {
					nb.Text, nb.Heading = rest, 1
				}
			}
		}
		if nb.Heading != b.Heading && out == nil {
			out = append(make([]Block, 0, len(blocks)), blocks[:i]...)
		}
		if out != nil {
			out = append(out, nb)
		}
	}
	if out == nil {
		return blocks
	}
	return out
}

// maxHeadingRunes is the longest text read as a heading.
const maxHeadingRunes = 80

// joinLabelValues joins a field label standing alone ("第三方名称：", a
// <dt>) to the value on the next line (its <dd>): "第三方名称：极光", so
// the pair reads as one field of a record.
func joinLabelValues(blocks []Block) []Block {
	var out []Block
	for i := 0; i < len(blocks); i++ {
		b := blocks[i]
		if i+1 < len(blocks) && b.Table == 0 && b.Heading == 0 && blocks[i+1].Table == 0 && blocks[i+1].Heading == 0 {
			t := strings.TrimSpace(b.Text)
			if (strings.HasSuffix(t, "：") || strings.HasSuffix(t, ":")) && runeLen(t) <= 20 {
				if _, v, ok := recordField(t); ok && v == "" {
					if _, _, next := recordField(blocks[i+1].Text); !next {
						if out == nil {
							out = append(make([]Block, 0, len(blocks)), blocks[:i]...)
						}
						b.Text = t + blocks[i+1].Text
						out = append(out, b)
						i++
						continue
					}
				}
			}
		}
		if out != nil {
			out = append(out, b)
		}
	}
	if out == nil {
		return blocks
	}
	return out
}

// pipeSeparatorRe is a Markdown table's rule line: ---|---|---.
var pipeSeparatorRe = regexp.MustCompile(`^\s*\|?\s*:?-{3,}:?\s*(?:\|\s*:?-{3,}:?\s*)+\|?\s*$`)

// pipeTables turns paragraphs that are rows of a Markdown pipe table
// (a page that shows "写外部存储器（如：SD卡） | 保存用户头像" as text,
// each row a paragraph of its own, under "申请的权限 | 业务功能" and a
// ---|--- rule) into table blocks, so their columns have roles. The rows
// run from the rule to the first paragraph without a pipe.
func pipeTables(blocks []Block) []Block {
	var out []Block
	next := 0
	for _, b := range blocks {
		next = max(next, b.Table)
	}
	for i := 0; i < len(blocks); i++ {
		b := blocks[i]
		if b.Table != 0 || b.Heading != 0 || !pipeSeparatorRe.MatchString(b.Text) {
			if out != nil {
				out = append(out, b)
			}
			continue
		}
		width := strings.Count(strings.Trim(strings.TrimSpace(b.Text), "|"), "|") + 1
		if out == nil {
			out = append(make([]Block, 0, len(blocks)), blocks[:i]...)
		}
		next++
		// The header is the paragraph before the rule, when it has the
		// rule's number of cells.
		if n := len(out); n > 0 && out[n-1].Table == 0 && out[n-1].Heading == 0 {
			if cells := pipeCells(out[n-1].Text); len(cells) == width {
				// The lead-in runs into the first label when no blank
				// line parts them ("…第三方SDK包括： SDK名称 | …").
				if i := strings.LastIndexAny(cells[0], "：:。\n"); i >= 0 && runeLen(cells[0]) > 20 {
					if rest := strings.TrimSpace(cells[0][i+len(string([]rune(cells[0][i:])[0])):]); rest != "" {
						cells[0] = rest
					}
				}
				h := out[n-1]
				h.Table, h.Header, h.Cells = next, true, cells
				out[n-1] = h
			}
		}
		j := i + 1
		for ; j < len(blocks); j++ {
			r := blocks[j]
			cells := pipeCells(r.Text)
			if r.Table != 0 || r.Heading != 0 || len(cells) < 2 || len(cells) > width+1 {
				break
			}
			for len(cells) < width {
				cells = append(cells, "")
			}
			r.Table, r.Cells = next, cells[:width]
			out = append(out, r)
		}
		i = j - 1
	}
	if out == nil {
		return blocks
	}
	return out
}

// pipeCells splits a paragraph on its pipes, or returns nil when it has
// none.
func pipeCells(text string) []string {
	t := strings.TrimSpace(text)
	if !strings.Contains(t, "|") {
		return nil
	}
	t = strings.TrimSuffix(strings.TrimPrefix(t, "|"), "|")
	parts := strings.Split(t, "|")
	for i := range parts {
		parts[i] = strings.TrimSpace(strings.Trim(strings.TrimSpace(parts[i]), "*_"))
	}
	return parts
}

// recordRoles are the column roles of a row findRecords builds.
var recordRoles = map[int]string{0: roleName, 1: roleCompany, 2: rolePurpose, 3: roleData, 4: rolePerm, 5: roleLink}

// itemHeadRe takes a line's head phrase: after a number or bullet and an
// optional bold mark, up to the first space, colon or bracket.
var itemHeadRe = regexp.MustCompile(`^\s*(?:\d{1,3}\s*[.、)）]\s*|[(（]\s*(?:\d{1,3}|[一二三四五六七八九十]{1,3})\s*[)）]\s*|[-*•·]\s*)?(?:\*\*|__)?\s*([^\s:：(（*_]{1,16})`)

// permissionItems marks the prose blocks that are items of a permission
// list written without a heading that says so ("4. **位置信息** 用于…",
// "悬浮窗：显示菜单"), in a document that speaks of 权限/permissions
// somewhere: at least three lines whose head phrase is a permission word,
// close together, making up at least half of the lines they span (an SDK
// list's data lines, 设备标识符：… between 第三方名称：… and 功能：…, do not).
func (lx *Lexicon) permissionItems(blocks []Block) []bool {
	items := make([]bool, len(blocks))
	var heads, soft []int
	mentions := false
	for i, b := range blocks {
		f := fold(b.Text)
		if strings.Contains(f, "权限") || strings.Contains(f, "permission") {
			mentions = true
		}
		if b.Table != 0 || b.Heading != 0 {
			continue
		}
		m := itemHeadRe.FindStringSubmatch(b.Text)
		if m == nil {
			continue
		}
		head := compact(fold(m[1]))
		if deviceInfoHead(head) {
			soft = append(soft, i)
			continue
		}
		c := clause{folded: head, compact: head}
		for _, t := range lx.matchTerms(c, false) {
			// The term is the head but for two characters at most, a
			// verb or 手机 before it ("手机振动", "获取粗略位置") or 权限
			// after it.
			if len(t.t.perms) > 0 && len(t.t.text) >= len(head)-3*2 {
				heads = append(heads, i)
				break
			}
		}
	}
	if !mentions {
		return items
	}
	for start := 0; start < len(heads); {
		end := start
		for end+1 < len(heads) && heads[end+1]-heads[end] <= 3 {
			end++
		}
		count, span := end-start+1, heads[end]-heads[start]+1
		if count >= 3 && 2*count >= span {
			for _, i := range heads[start : end+1] {
				items[i] = true
			}
		}
		start = end + 1
	}
	// A table flattened to one cell per line puts a permission at the
	// head of every row, so the heads come at a fixed step ("蓝牙" /
	// its feature / its purpose / what fails without it / "存储…").
	for start := 0; start+3 < len(heads); start++ {
		step := heads[start+1] - heads[start]
		if step < 2 || step > 6 {
			continue
		}
		end := start + 1
		for end+1 < len(heads) && heads[end+1]-heads[end] == step {
			end++
		}
		if end-start+1 >= 4 {
			for _, i := range heads[start : end+1] {
				items[i] = true
			}
			start = end - 1
		}
	}
	// An item headed 设备信息 among permission items ("4) 设备信息。用于
	// 根据不同的设备…") is the phone-state permission of the list.
	for _, i := range soft {
		for d := 1; d <= 3; d++ {
			if i-d >= 0 && items[i-d] || i+d < len(items) && items[i+d] {
				items[i] = true
				break
			}
		}
	}
	return items
}

// deviceInfoHead reports an item head that names the device's information
// as a permission (设备信息, 获取设备信息).
func deviceInfoHead(head string) bool {
	return slices.Contains(deviceInfoWords, head) || head == "设备信息权限"
}

// deviceInfoWords are the heads that name the device's information.
var deviceInfoWords = []string{"设备信息", "获取设备信息", "读取设备信息"}

// deviceInfoItem reports an item that starts with 设备信息 as its head
// ("4) 设备信息。用于…", "(1)设备信息：用于确定设备识别码").
func deviceInfoItem(text string) bool {
	c := compact(fold(text))
	c = strings.TrimLeft(c, "0123456789()（）.、)*-•· ")
	for _, h := range deviceInfoWords {
		if rest, ok := strings.CutPrefix(c, h); ok {
			return rest == "" || strings.ContainsRune(".:;,权", []rune(rest)[0])
		}
	}
	return false
}

// keyValueLine reports a line shaped "label：value" with a value after the
// colon ("收集频次（以正常使用为前提）：最高8次/分钟"): the last field of the
// record before, which no record is named after. A name line may end with
// its colon (腾讯Bugly统计SDK：).
func keyValueLine(h string) bool {
	at := strings.IndexAny(h, ":：")
	if at <= 0 {
		return false
	}
	if open := strings.Count(h[:at], "(") + strings.Count(h[:at], "（"); open > strings.Count(h[:at], ")")+strings.Count(h[:at], "）") {
		// "Ø读取手机状态（包含：本机号码…）": a colon inside brackets
		// belongs to the name's gloss.
		return false
	}
	_, size := utf8.DecodeRuneInString(h[at:])
	return strings.TrimSpace(h[at+size:]) != "" && runeLen(h[:at]) <= 30
}

// tableTitle reports a line that titles a list or table (信息收集频次公示表,
// 第三方SDK清单): the heading over the records, not the first one's name.
func tableTitle(h string) bool {
	h = strings.TrimRight(strings.TrimSpace(h), ":：")
	for _, w := range []string{"公示表", "清单", "目录", "列表", "一览表", "说明表"} {
		if strings.HasSuffix(h, w) {
			return true
		}
	}
	return false
}
