package policy

import (
	"errors"
	"fmt"
	"io"
	"regexp"
	"slices"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/sdkaudit/sdkaudit/analyzer/document"
	"github.com/sdkaudit/sdkaudit/internal/safefile"
	"github.com/sdkaudit/sdkaudit/rules"
)

// maxEvidence bounds the evidence kept per item; the first few places are
// what a reviewer reads.
const maxEvidence = 5

// permissionContext words make a clause about access to a capability;
// dataContext words make it about collecting or sharing information.
var (
	permissionContext = []string{"权限", "授权", "访问", "获取", "取得", "存取", "读取", "调用", "调取", "开启", "打开", "允许", "申请", "关闭", "启用", "permission", "access", "allow", "request", "grant", "enable", "acquire", "obtain"}
	// strongPermissionContext words speak of a permission itself; the
	// verbs of access (访问, 获取, 读取) also take plain data.
	strongPermissionContext = []string{"权限", "授权", "调用", "开启", "打开", "允许", "申请", "关闭", "启用", "permission", "allow", "request", "grant", "enable"}
	dataContext             = []string{"识别码", "标识符", "设备信息", "信息:", "数据:", "收集", "获取", "提供", "共享", "读取", "采集", "上传", "访问", "包括", "使用", "处理", "保存", "传输", "调用", "获得", "如", "例如", "包含", "collect", "share", "access", "use", "process", "receive", "obtain", "store", "includ"}
	// negation must come before the item in its clause.
	negationRe = regexp.MustCompile(`(没有集成|未集成|未接入|没有接入|不会|不得|不(?:申请|收集|获取|读取|访问|使用|需要|涉及|调用|请求|上传|共享|提供|采集)|无需|无须|并未|未(?:收集|获取|申请|使用)|没有(?:收集|获取|申请)|绝不|从不|从未|不再(?:使用|集成|接入|收集)|已移除|已删除|已下线|已停用|停止使用|移除了|do not|does not|don't|doesn't|never|will not|won't|no longer|removed|not (?:collect|access|request|use|share)|not (?:linked|tied|associated|connected) (?:to|with)|has no|have no|with no|cannot|can't|can not|请不要|请勿)`)
	// operatorRe marks sentences that define the policy's own operator,
	// whose company name is not a third party.
	operatorRe   = regexp.MustCompile(`以下简称|关联公司|服务提供者|运营者|注册地址|联系地址|hereinafter|affiliate`)
	companyRe    = regexp.MustCompile(`(股份有限公司|有限责任公司|有限公司|集团)$`)
	companyEnRe  = regexp.MustCompile(`\b([A-Z][A-Za-z0-9&.'-]*(?: [A-Z][A-Za-z0-9&.'-]*){0,5},? (?:Inc|LLC|Ltd|Limited|GmbH|Corporation|Corp|Co\., Ltd|S\.A|B\.V|Pte\. Ltd)\.?)`)
	regionAnchor = regexp.MustCompile(`(中国|北京|上海|天津|重庆|深圳|广州|杭州|南京|成都|武汉|西安|苏州|厦门|珠海|香港|台湾|浙江|江苏|广东|福建|山东|湖北|湖南|四川|河北|河南|安徽|江西|辽宁|陕西)`)
	versionRe    = regexp.MustCompile(`(?i)(适用于[^。\n]{0,30}?版本|版本号?\s*[:：]?\s*v?\d+(?:\.\d+){1,3}|v\d+(?:\.\d+){1,3}\s*(?:及以上|以上)?版本|version\s+\d+(?:\.\d+){1,3})`)
	permLiteral  = regexp.MustCompile(`\b(?:android\.permission\.)?([A-Z][A-Z_]{4,}[A-Z])\b`)
	sentenceEnd  = regexp.MustCompile(`[。！？!?\n]+|\.\s+`)
)

// categoryWords fit a vendor mention to the vendor's SDKs: "华为 … 消息推送"
// declares Huawei push, not every Huawei kit.
var categoryWords = map[string][]string{
	"push":             {"推送", "消息通知", "推送通道", "厂商通道", "消息通道", "系统通道", "push", "notification channel"},
	"analytics":        {"统计", "分析", "用户行为", "analytics", "statistic", "measure"},
	"attribution":      {"归因", "广告监测", "广告效果", "广告统计", "推广效果", "渠道统计", "attribution", "install tracking"},
	"ads":              {"广告", "投放", "变现", "advertis", "ads"},
	"payment":          {"支付", "付款", "收银", "充值", "payment", "pay"},
	"social-login":     {"登录", "授权登录", "login", "sign in", "sign-in"},
	"share":            {"分享", "share"},
	"one-click-login":  {"一键登录", "本机号码", "号码认证", "运营商认证", "手机号验证", "one-click"},
	"map-location":     {"定位", "地图", "位置", "导航", "location", "map"},
	"crash":            {"崩溃", "异常", "错误日志", "稳定性", "crash", "bug"},
	"face-identity":    {"人脸", "实名", "活体", "身份验证", "身份认证", "刷脸", "face", "identity verification", "kyc"},
	"customer-service": {"客服", "在线咨询", "customer service", "support chat"},
	"im-rtc":           {"即时通讯", "聊天", "音视频通话", "视频通话", "语音通话", "直播", "实时通信", "chat", "video call", "rtc", "messaging"},
	"risk-control":     {"风控", "风险", "反欺诈", "安全", "设备指纹", "作弊", "risk", "fraud", "security"},
	"device-id":        {"设备标识", "oaid", "设备id", "device id"},
	"cloud-storage":    {"存储", "云存储", "图片处理", "转码", "上传", "storage"},
	"hotfix":           {"热修复", "补丁", "应用升级", "版本升级", "升级", "hotfix", "patch"},
	"webview":          {"浏览器", "内核", "网页", "webview", "browser"},
	"speech":           {"语音识别", "语音合成", "语音", "speech", "voice"},
	"media":            {"播放器", "视频播放", "美颜", "media player", "video player"},
	// Server-side services (virtual numbers, call centres) are filed
	// under other; these words are what policies say about them.
	"other": {"虚拟电话", "隐私号", "号码保护", "号码隐私", "呼叫中心", "电话营销", "外呼", "call center", "virtual number"},
}

// extractor accumulates one Declaration.
type extractor struct {
	lx    *Lexicon
	perms map[string]*DeclaredPermission
	data  map[string]*DeclaredData
	sdks  map[string]*DeclaredSDK
	vends map[string]*DeclaredVendor
	unres map[string]*ThirdParty
	// shortForms are names the policy defines as a company's short form
	// (以下简称“旷视”).
	shortForms map[string]bool
	deny       map[string]*Denial
	decl       *Declaration
	// shown, when set, is the text evidence quotes instead of the piece
	// being read: a permission item read in two parts shows whole.
	shown string
	// rowContext, when set, is the row of a flattened table the line
	// being read is a cell of: what a company named alone there is for.
	rowContext string
	// blankText and blankNames cache withoutOtherNames.
	blankText  string
	blankNames []nameOwners
	// fits caches, for the context last asked about, whether it has a
	// category's words: a sentence that names a vendor a thousand times
	// asks a thousand times.
	fitsCtx string
	fits    map[string]bool
	// negated is set while reading a section or list the policy introduces
	// as what it does not use (六、暂未接入的第三方服务; "以下功能目前尚未接入：").
	negated bool
	// self holds the names in the document's title ("QQ与第三方共享个人信息清单",
	// "中国联通APP用户隐私政策"): the app or its operator, never a third party.
	self map[*name]bool
	// hidden are documents with text that is not rendered (hidden.go).
	hidden []*Document
	// distinct holds the distinct names of the sentence whose name list
	// starts at distinctKey (partNamedInSentence).
	distinctKey *nameMatch
	distinct    []nameMatch
	// operators are the vendors the document names as its own operator
	// ("深圳市腾讯计算机系统有限公司（…下亦简称“腾讯”或“我们”）"): their
	// products in the app are first-party, not third-party SDKs.
	operators map[string]bool
	// block is the prose block being read, for a sentence too short to
	// say where it stands (webOnly).
	block string
	// webCtx, webSentence and webBlock cache webOnly's reading of a
	// sentence and of the block.
	webCtx                string
	webDone, webBlockDone bool
	webSentence, webBlock int
	// ops are the operators of all documents read, with the sentence that
	// defines each and the products of theirs the documents name.
	ops map[string]*DeclaredVendor
	// featureCtx caches featureService's search of one clause.
	featureCtx  string
	featureDone bool
	featureLoc  []int
	// vendorNamedFor and vendorNamed cache namedVendor's answers for one
	// sentence's names.
	vendorNamedFor []nameMatch
	vendorNamed    map[string]bool
	// backRefCtx caches backRefIn's answer for one sentence.
	backRefCtx  string
	backRefDone bool
	backRef     bool
	// pointerCtx caches pointerSentence's answer for one context.
	pointerCtx  string
	pointerDone bool
	pointer     bool
	// ownersCtx caches the names sharedIsOwn reads in one context.
	ownersCtx  string
	ownersDone bool
	owners     []nameMatch
	// writeOnly are the sentences that say access only writes
	// (日历事件信息(仅写入,不读取)).
	writeOnly []Evidence
}

// contextFits reports whether context has one of category's words.
func (x *extractor) contextFits(context, category string) bool {
	return x.contextHas(context, category, categoryWords[category])
}

// Extract builds the declaration of one or more documents read with
// document.Read.
func (lx *Lexicon) Extract(docs []*Document) *Declaration {
	x := newExtractor(lx)
	for _, d := range docs {
		x.decl.Sources = append(x.decl.Sources, Source{File: d.Name, Format: d.Format, Encoding: d.Encoding, Blocks: len(d.Blocks)})
		x.document(d)
	}
	return x.finish()
}

func newExtractor(lx *Lexicon) *extractor {
	return &extractor{lx: lx, perms: map[string]*DeclaredPermission{}, data: map[string]*DeclaredData{},
		sdks: map[string]*DeclaredSDK{}, vends: map[string]*DeclaredVendor{}, unres: map[string]*ThirdParty{},
		deny: map[string]*Denial{}, decl: &Declaration{}}
}

// Load reads policy documents and reviewed declaration files (told apart
// by their schema line) into one declaration.
func (lx *Lexicon) Load(files []string, lim Limits) (*Declaration, error) {
	x := newExtractor(lx)
	max := lim.MaxBytes
	if max <= 0 {
		max = 32 << 20
	}
	for _, f := range files {
		data, err := readCapped(f, max, lim.Stdin)
		if err != nil {
			return nil, err
		}
		if IsDeclarationFile(data) {
			df, err := ParseDeclFile(f, data, lx.db)
			if err != nil {
				return nil, err
			}
			x.declFile(df, f, data)
			continue
		}
		doc, err := document.Read(f, data, lim)
		if err != nil {
			return nil, err
		}
		x.decl.Sources = append(x.decl.Sources, Source{File: doc.Name, Format: doc.Format, Encoding: doc.Encoding, Blocks: len(doc.Blocks)})
		x.document(doc)
	}
	return x.finish(), nil
}

// readCapped reads a regular file of at most max bytes, counted while
// reading, so a huge file, a device or a named pipe never lands in memory
// or blocks.
func readCapped(name string, max int64, stdin io.Reader) ([]byte, error) {
	if name == "-" {
		if stdin == nil {
			return nil, errors.New("policy: -: no standard input to read")
		}
		data, err := safefile.ReadAll(stdin, "standard input", max)
		if err != nil {
			return nil, fmt.Errorf("policy: %w", err)
		}
		return data, nil
	}
	data, err := safefile.ReadFile(name, max)
	if err != nil {
		return nil, fmt.Errorf("policy: %w", err)
	}
	return data, nil
}

func (x *extractor) document(d *Document) {
	x.noteHidden(d)
	heading := ""
	var roles map[int]string
	table := 0
	x.self = x.titleNames(d.Blocks)
	x.operators = x.operatorVendors(d)
	defer func() { x.self, x.operators = nil, nil }()
	blocks := joinLabelValues(splitGluedRecords(pipeTables(headingShapes(d.Blocks))))
	fields, records, recordNames := findRecords(blocks)
	permRecords := map[int]bool{}
	for k, r := range records {
		if !x.permissionRecord(boundedBlock(r)) {
			continue
		}
		permRecords[k] = true
		// A permission record's name line ("Ø读取手机状态（包含：本机号码…）")
		// is read with its record, as a permission cell; read as prose
		// too, its examples would declare more.
		if n, ok := recordNames[k]; ok {
			fields[n] = true
		}
	}
	permItems := x.lx.permissionItems(blocks)
	brandItems, brandLeads := x.brandLists(blocks)
	var prev map[string]string
	var last []string
	negSection, negList := false, false
	// A line that works as a heading in plain text ("3、Ios权限") scopes
	// the blocks after it to the iOS app, until the next line numbered the
	// same way or a heading.
	iosScope := false
	scopeStyle := ""
	defer func() { x.negated = false }()
	// The levels of the headings above the block that speak of
	// permissions: a heading under "Sipdroid requests the following
	// permissions" ("Contacts") names one of them.
	var permLevels []int
	for i, b := range blocks {
		if b.Heading > 0 {
			heading = fold(b.Text)
			for len(permLevels) > 0 && permLevels[len(permLevels)-1] >= b.Heading {
				permLevels = permLevels[:len(permLevels)-1]
			}
			if strings.Contains(heading, "权限") || strings.Contains(heading, "permission") {
				permLevels = append(permLevels, b.Heading)
			}
		}
		// The heading itself is read as one of the permissions; the text
		// under it keeps its own words.
		permHeading := b.Heading > 0 && len(permLevels) > 0 && permLevels[len(permLevels)-1] < b.Heading
		if b.Heading > 0 {
			negSection = sectionNegation.MatchString(heading)
			negList = false
			iosScope, scopeStyle = false, ""
		}
		// The block's compact form, made once for the block-level tests.
		bc := compact(fold(b.Text))
		if b.Table == 0 && b.Heading == 0 {
			// A line numbered like the marker ("4、第三方SDK…" after "3、Ios
			// 权限") starts the next section.
			if style := numberStyle(bc); style != "" && style == scopeStyle {
				iosScope, scopeStyle = false, ""
			}
			// The marker may open a block that runs on into its items
			// ("3、Ios权限对于使用iOS的用户，…").
			if m := platformLineRe.FindStringSubmatch(bc); m != nil {
				iosScope = m[1] != "android" && m[1] != "安卓"
				scopeStyle = numberStyle(bc)
			} else if m := platformLeadRe.FindStringSubmatch(bc); m != nil {
				// "**iOS (Info.plist):**" over the iOS usage strings, then
				// "**Android (AndroidManifest.xml):**": each lead-in line
				// scopes what follows, until the next one or a heading.
				iosScope = m[1] != "android" && m[1] != "安卓"
				scopeStyle = "lead"
			}
		}
		// The scope speaks through the heading the block is read under.
		under := heading
		if permHeading {
			under += " permissions"
		}
		if iosScope {
			// A heading over both platforms ("Permission Usage Strings
			// (Info.plist / AndroidManifest.xml)") does not undo the
			// scope of the iOS lead-in under it.
			under = strings.NewReplacer("android", "", "安卓", "").Replace(under) + " ios权限"
		}
		if m := writeOnlyRe.FindString(bc); m != "" {
			x.writeOnly = append(x.writeOnly, Evidence{File: d.Name, Line: b.Line, Text: clip(b.Text, 200), Matched: m})
		}
		if b.Table == 0 && b.Heading == 0 && i > 0 && blocks[i-1].Heading > 0 && removedSectionRe.MatchString(fold(b.Text)) {
			// "## Automatic crash reports / *This was removed in version
			// v2.57+*": the section is history; what it names is gone.
			negSection = true
		}
		// The table right after "…contained the following permissions
		// (removed in v0.10.0):" lists what is gone, as a list would.
		x.negated = negSection && b.Heading == 0 || negList && b.Heading == 0 && (b.Table == 0 && runeLen(b.Text) <= 120 || b.Table != 0)
		if b.Heading > 0 && i+1 < len(blocks) && blocks[i+1].Heading == 0 && blocks[i+1].Table == 0 && leadInNegation(blocks[i+1].Text) {
			// "## Network Access" over "The app DOES NOT:" and its list:
			// the heading names the topic of a denial.
			x.negated = true
		}
		if b.Table == 0 && b.Heading == 0 && !x.negated {
			negList = false
		}
		if b.Table == 0 && b.Heading == 0 && leadInNegation(b.Text) {
			// The list after "以下…尚未接入：" names what is not used.
			negList = true
		}
		if b.Table == 0 {
			if !fields[i] {
				h := under
				if permItems[i] || strings.Contains(h, "权限") {
					if deviceInfoItem(b.Text) {
						// "4) 设备信息。用于…" among permission items: the
						// phone-state permission, as 读取设备信息 says.
						x.shown = b.Text
						x.prose(d.Name, b.Line, "读取设备信息", h+" 权限")
						x.shown = ""
					}
				}
				if permItems[i] && !strings.Contains(h, "权限") {
					// An item of a permission list: its head word is
					// the permission, whatever the section is called;
					// what follows its colon is the purpose ("（9）蓝牙
					// 权限：连接手环，记录步数、运动数据"), read as prose.
					if at := strings.IndexAny(b.Text, ":："); at > 0 {
						// Evidence shows the item's sentences whole, as
						// when the item is read in one piece.
						first := b.Text
						if ss := splitSentences(b.Text); len(ss) > 0 {
							first = ss[0]
						}
						x.shown = first
						x.prose(d.Name, b.Line, b.Text[:at], h+" 权限")
						for k, sen := range splitSentences(b.Text[at:]) {
							if k == 0 {
								x.shown = first
							}
							x.sentence(d.Name, b.Line, sen, h)
							x.shown = ""
						}
						x.shown = ""
					} else {
						x.prose(d.Name, b.Line, b.Text, h+" 权限")
					}
				} else {
					if partyLineRe.MatchString(strings.TrimSpace(b.Text)) {
						// A line that is only a company: a cell of an SDK
						// table flattened to one cell per line, whose row
						// is the short lines before it.
						x.rowContext = flatRow(blocks, i)
					}
					switch {
					case brandLeads[i]:
						// "Firebase (Google):" over its products: the
						// items say which; the brand alone is no base.
					case brandItems[i] != "":
						x.shown = b.Text
						x.prose(d.Name, b.Line, brandItems[i]+" "+b.Text, h)
						x.shown = ""
					default:
						x.prose(d.Name, b.Line, b.Text, h)
					}
					x.rowContext = ""
				}
				if i > 0 && refersToPermission(bc) {
					// "6.Xiu浏览器的麦克风使用" / "…应用将会向您申请此权限":
					// the short title names the permission the next
					// paragraph asks for.
					if p := blocks[i-1]; p.Table == 0 && runeLen(p.Text) <= 30 && !fields[i-1] {
						x.prose(d.Name, p.Line, p.Text, h+" 权限")
					}
				}
			}
			if r, ok := records[i]; ok {
				roles := recordRoles
				if r.Cells[4] == "" {
					// No permission line: the data line's capabilities
					// stand for the permissions.
					roles = map[int]string{0: roleName, 1: roleCompany, 2: rolePurpose, 3: roleData, 5: roleLink}
				}
				r = boundedBlock(r)
				if permRecords[i] {
					x.permissionRecordRow(d.Name, r, under)
					continue
				}
				x.row(d.Name, r.Line, r, roles, under, nil)
			}
			continue
		}
		b = boundedBlock(b)
		if b.Table != table {
			table, roles, last = b.Table, nil, nil
		}
		if roles == nil || b.Header {
			if r := columnRoles(b.Cells); len(r) >= 2 || (b.Header && len(r) >= 1) {
				roles = r
				continue
			}
		}
		if b.Header {
			continue
		}
		if c := x.continuationRow(b.Cells, last); c != nil {
			b.Cells, b.Text = c, strings.Join(c, " | ")
		} else {
			last = b.Cells
		}
		prev = x.row(d.Name, b.Line, b, roles, under, prev)
	}
}

// permissionRecord tells a record about one permission ("Ø存储" /
// "2.2.1 相机权限" followed by 对应业务功能：…, 调用目的：…, 获取权限方式：…)
// from a record about an SDK: its name names no product or company, and
// either says 权限 or a permission's label, or is a short Chinese label
// over a record that has a field about the permission.
func (x *extractor) permissionRecord(r Block) bool {
	name := strings.TrimSpace(r.Cells[0])
	if name == "" || strings.TrimSpace(r.Cells[1]) != "" || runeLen(name) > 40 {
		return false
	}
	f := fold(name)
	if strings.Contains(f, "sdk") || x.namesSomething(name) {
		return false
	}
	if strings.Contains(f, "权限") || strings.Contains(f, "permission") {
		return true
	}
	c := clause{folded: f, compact: compact(f)}
	for _, m := range x.lx.matchTerms(c, false) {
		if len(m.t.perms) > 0 {
			return true
		}
	}
	return strings.TrimSpace(r.Cells[4]) != "" && hasHan(f) && runeLen(name) <= 12
}

// permissionRecordRow reads a permission record: its name is the
// permission. A name that is no permission's label ("Ø系统设置") leaves
// the permission to the record's purpose ("读写系统设置，以便…"), read as
// a permission cell.
func (x *extractor) permissionRecordRow(file string, r Block, heading string) {
	ev := func(matched string) Evidence {
		return Evidence{File: file, Line: r.Line, Text: clip(r.Text, 200), Matched: matched}
	}
	if iosRe.MatchString(heading) && !strings.Contains(heading, "android") && !strings.Contains(heading, "安卓") {
		// Under "iOS系统调用的设备权限如下" the records are the iOS app's
		// permissions, no Android one.
		return
	}
	name := strings.TrimLeft(strings.TrimSpace(r.Cells[0]), "Øø•·-*# ")
	_, perms := x.cellTerms(name, rolePerm, r.Text, ev)
	if c := r.Cells[4]; c != "" {
		// The field about the permission ("获取权限方式：…", or a lead-in
		// joined to the permission's own line) may name it too.
		_, p := x.cellTerms(c, rolePerm, r.Text, ev)
		perms = append(perms, p...)
	}
	x.literalPermissions(r.Text, ev)
	if len(perms) == 0 {
		x.cellTerms(r.Cells[2], rolePerm, r.Text, ev)
	}
	// The record's data field is read as data, as in a permission table.
	if c := r.Cells[3]; c != "" {
		x.cellTerms(c, roleData, r.Text, ev)
	}
}

// prose handles a paragraph: version scope, then each sentence.
func (x *extractor) prose(file string, line int, text, heading string) {
	if x.decl.VersionScope == "" {
		if m := versionRe.FindString(text); m != "" {
			x.decl.VersionScope = fmt.Sprintf("%s (%s:%d)", clip(m, 80), file, line)
		}
	}
	if runeLen(text) <= 120 && futureOnlyRe.MatchString(compact(fold(text))) {
		// "5) 相机权限。此功能以实现打开相机功能，后续版本的更新迭代可能需要
		// 开启此权限。": the item names what a later version may ask for.
		saved := x.negated
		x.negated = true
		defer func() { x.negated = saved }()
	}
	x.block, x.webBlockDone = text, false
	defer func() { x.block, x.webBlockDone = "", false }()
	sentences := splitSentences(text)
	// Which sentences refer back to makers, each asked once: only those
	// and the sentences right before them are searched for makers named
	// as phones.
	refers := make([]bool, len(sentences))
	for i, s := range sentences {
		refers[i] = makersBackRefRe.MatchString(compact(fold(s)))
	}
	var before []string
	for i, s := range sentences {
		x.sentence(file, line, s, heading)
		var makers []string
		if refers[i] || i+1 < len(sentences) && refers[i+1] {
			makers = x.phoneMakersIn(s)
		}
		if refers[i] {
			prev := ""
			if i > 0 {
				prev = sentences[i-1]
			}
			x.makersBackRef(file, line, s, prev, heading, append(before, makers...))
		}
		before = makers
	}
}

// futureOnlyRe says the permission an item names is for a later version
// or not used by the current one.
var futureOnlyRe = regexp.MustCompile(`(?:后续|未来|以后|之后|今后)的?(?:版本|更新)[^。]{0,12}?(?:可能|或将|将会|也许)?需要(?:开启|使用|申请|调用)?(?:此|该|这一?|相关)权限|(?:当前|目前|本|现)版本(?:暂|尚)?(?:未|不)(?:使用|申请|调用|需要)(?:此|该|这一?)?权限`)

// makersBackRefRe is a sentence that speaks of makers named before it
// ("我们接入的上述手机厂商登录、支付、PushSDK").
var makersBackRefRe = regexp.MustCompile(`(?:上述|以上|前述|这些|对应的?)(?:手机|终端|设备)?(?:厂商|制造商|品牌)`)

// makersBackRef reads a sentence that refers to phone makers named in the
// sentence before it as naming those makers' products: the earlier
// sentence named them as the user's phones ("如您使用华为、OPPO…等品牌手
// 机"), this one says which of their SDKs the app embeds. It returns the
// makers the sentence names as phones, for the next sentence.
func (x *extractor) makersBackRef(file string, line int, orig, prev, heading string, makers []string) {
	if len(makers) == 0 {
		return
	}
	folded := fold(blankURLs(orig))
	c := compact(folded)
	if negationRe.MatchString(c) {
		return
	}
	shown := orig
	if x.shown != "" {
		shown = x.shown
	}
	ev := Evidence{File: file, Line: line, Text: clip(shown, 200), Matched: makersBackRefRe.FindString(c)}
	for _, v := range makers {
		x.recordVendor(v, ev)
		// The sentence before says what the makers are to the app
		// (渠道SDK … 应用商店或游戏中心): it is read as context too.
		x.vendorMention(v, folded+" "+fold(prev)+" "+heading, folded, because(ev, RuleMakersBackRef))
	}
}

// phoneMakersIn returns the phone makers a sentence names as the user's
// phones.
func (x *extractor) phoneMakersIn(orig string) []string {
	folded := fold(blankURLs(orig))
	c := clause{folded: folded, compact: compact(folded)}
	var makers []string
	for _, m := range x.lx.matchNames(c, orig, false, false) {
		if !x.deviceMaker(m, c) {
			continue
		}
		for _, v := range m.n.vendors {
			if phoneMakers[v] && !slices.Contains(makers, v) {
				makers = append(makers, v)
			}
		}
	}
	return makers
}

func splitSentences(text string) []string {
	var out []string
	add := func(s string) {
		// A run-on sentence of independent clauses joined by "；" (第三方
		// SDK"…"为…；第三方SDK"…"为…；) is read clause by clause once it
		// is long: what one clause integrates is not the next one's
		// subject.
		if runeLen(s) > 120 && strings.Count(s, "；") >= 2 && !definitionRe.MatchString(compact(fold(s))) {
			parts := strings.SplitAfter(s, "；")
			for _, p := range parts {
				if p = strings.TrimSpace(p); p != "" {
					for p != "" {
						var piece string
						piece, p = cutLong(p)
						if piece = strings.TrimSpace(piece); piece != "" {
							out = append(out, piece)
						}
						p = strings.TrimSpace(p)
					}
				}
			}
			return
		}
		for s = strings.TrimSpace(s); s != ""; {
			var piece string
			piece, s = cutLong(s)
			if piece = strings.TrimSpace(piece); piece != "" {
				out = append(out, piece)
			}
			s = strings.TrimSpace(s)
		}
	}
	last := 0
	// A "?" or ". " inside a web address does not end a sentence: the
	// split points are found with addresses blanked (same length).
	for _, m := range sentenceEnd.FindAllStringIndex(blankURLs(text), -1) {
		add(text[last:m[1]])
		last = m[1]
	}
	add(text[last:])
	return out
}

// maxMatchText bounds the text one sentence or table cell is matched as.
// Matching costs the text's length for every name found in it, so a
// hostile policy of one 30 MB sentence naming a vendor a million times
// would take hours; no real sentence or cell comes near 8 KiB.
const maxMatchText = 8 << 10

// cutLong splits s after at most maxMatchText bytes, at the last comma,
// enumeration mark or space in the final quarter when there is one, else
// at a character boundary.
func cutLong(s string) (head, rest string) {
	if len(s) <= maxMatchText {
		return s, ""
	}
	cut := maxMatchText
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	if i := strings.LastIndexAny(s[:cut], ",，、;； "); i >= maxMatchText*3/4 {
		_, w := utf8.DecodeRuneInString(s[i:])
		cut = i + w
	}
	return s[:cut], s[cut:]
}

// boundedBlock is b with its text and cells cut to maxMatchText; the
// caller's document is left as it is.
func boundedBlock(b Block) Block {
	b.Text, _ = cutLong(b.Text)
	cells := make([]string, len(b.Cells))
	for i, c := range b.Cells {
		cells[i], _ = cutLong(c)
	}
	b.Cells = cells
	return b
}

// clause is a stretch of a sentence between commas or semicolons.
type clause struct {
	folded  string
	compact string
	// sentence is the whole sentence the clause was cut from, for the
	// sense rules that read the sentence (a list splits "the Facebook SDK
	// gives us your name, your profile picture" from its subject); empty
	// when the clause is the sentence.
	sentence *clause
	// gap is set on a clause that starts after a run of spaces between
	// two Chinese characters: Chinese puts no spaces between words, so
	// the run is a line or cell break the text lost ("…也不会收集您的个人
	// 信息 友盟统计分析组件SDK"), and what was negated before it is not
	// carried past it.
	gap bool
}

func splitClauses(folded string) []clause {
	parts := strings.FieldsFunc(folded, func(r rune) bool { return r == ',' || r == ';' })
	var whole *clause
	if len(parts) > 1 || hanGapRe.MatchString(folded) {
		whole = &clause{folded: folded, compact: compact(folded)}
	}
	out := make([]clause, 0, len(parts))
	for _, p := range parts {
		gap := false
		for _, q := range splitHanGaps(p) {
			if q = strings.TrimSpace(q); q != "" {
				out = append(out, clause{folded: q, compact: compact(q), sentence: whole, gap: gap})
			}
			gap = true
		}
	}
	return out
}

// hanGapRe is a run of spaces between two Chinese characters.
var hanGapRe = regexp.MustCompile(`\p{Han}[ \t]+\p{Han}`)

// splitHanGaps cuts text at each run of spaces between two Chinese
// characters that follows a negation: only there does the lost break
// change the reading. Elsewhere the run may be a wrap inside a sentence
// (能够提供 相关信息的…), whose parts share their context.
func splitHanGaps(text string) []string {
	if !containsAny(text, negationTriggers) {
		return []string{text}
	}
	locs := hanGapRe.FindAllStringIndex(text, -1)
	if locs == nil {
		return []string{text}
	}
	var out []string
	// Each stretch between gaps is searched once: a hostile clause of a
	// thousand gaps stays linear.
	last, scanned, seen := 0, 0, false
	for _, l := range locs {
		// The match holds a character on each side; cut after the first.
		_, size := utf8.DecodeRuneInString(text[l[0]:])
		end := l[0] + size
		seen = seen || containsAny(text[scanned:end], negationTriggers)
		scanned = end
		if !seen {
			continue
		}
		out = append(out, text[last:end])
		last, seen = end, false
	}
	return append(out, text[last:])
}

// compactEach returns the words in compact form, so that a word of
// several ("city level", "your location") can be looked for in compact
// text.
func compactEach(words []string) []string {
	out := make([]string, len(words))
	for i, w := range words {
		out[i] = compact(w)
	}
	return out
}

// The word lists looked for in compact text, compacted once.
var (
	approximateCompact = compactEach(approximateWords)
	preciseCompact     = compactEach(preciseWords)
	locationCompact    = compactEach(locationWords)
	mapCompact         = compactEach(mapWords)
	naviCompact        = compactEach([]string{"导航", "navigation", "路线规划"})
	// productKindCompact are words that name a kind only as product words
	// right after a brand (华为通道SDK is its push channel); elsewhere 通道
	// is any channel (极光的通道, 支付通道).
	productKindCompact = map[string][]string{"push": compactEach([]string{"通道"})}
	categoryCompact    = func() map[string][]string {
		m := make(map[string][]string, len(categoryWords))
		for k, ws := range categoryWords {
			m[k] = compactEach(ws)
		}
		return m
	}()
)

func containsAny(s string, words []string) bool {
	for _, w := range words {
		if strings.Contains(s, w) {
			return true
		}
	}
	return false
}

// short clauses are list fragments ("microphone", "and location") that
// take their context from the whole sentence.
func short(c clause) bool {
	return runeLen(c.compact) <= 10 || strings.Count(c.folded, " ") < 4 && !hasHan(c.folded)
}

func (x *extractor) sentence(file string, line int, orig, heading string) {
	shown := orig
	if x.shown != "" {
		shown = x.shown
	}
	// "[Google Firebase](https://firebase.google.com/products/crashlytics)":
	// the page a brand links to says which of its products it means.
	orig = x.linkedParts(orig)
	// Names and words inside a web or e-mail address are not disclosures.
	orig = blankURLs(orig)
	folded := fold(orig)
	if folded == "" {
		return
	}
	folded = x.distributeBrand(folded)
	// "Google Firebase Crashlytics and Analytics": the brand is said once
	// for both products.
	folded = firebasePairRe.ReplaceAllString(folded, "${1} ${2} and ${1} ${3}")
	ev := func(matched string) Evidence {
		return Evidence{File: file, Line: line, Text: clip(shown, 200), Matched: matched}
	}
	context := folded + " " + heading
	// The compact form of the whole sentence, made once: every
	// sentence-level test below reads it.
	whole := compact(folded)

	// The names of the whole sentence, found once: every vendor mention in
	// it asks whether the sentence also names one of the vendor's products.
	var sentenceNames []nameMatch
	namesDone := false
	sentNames := func() []nameMatch {
		if !namesDone {
			sentenceNames, namesDone = x.lx.matchNames(clause{folded: folded, compact: whole}, folded, false, false), true
		}
		return sentenceNames
	}
	// A section headed 设备权限 / Permissions makes its list items about
	// permissions even when an item is only "相机：拍摄照片".
	sentPerm := containsAny(whole, permissionContext) || strings.Contains(heading, "权限") || strings.Contains(heading, "permission")
	sentData := containsAny(whole, dataContext)
	sentStrong := containsAny(whole, strongPermissionContext)
	withdrawal := hypotheticalRe.MatchString(whole) || questionRe.MatchString(folded)
	// Withdrawal advice covers the clauses from where it starts: "我们需要
	// 获取访问您的手机相机的授权，…，您也可以随时取消…授权" asks for the camera
	// before it says how to take that back.
	wdAt := -1
	if !withdrawal {
		if loc := withdrawalRe.FindStringIndex(whole); loc != nil {
			wdAt = loc[0]
			// "您可以在【设置】中关闭位置、相机等权限，以改变授权范围": the
			// advice starts at its 您可以, not at the words that matched.
			for _, w := range []string{"您可", "你可", "您也可", "你也可"} {
				if i := strings.LastIndex(whole[:loc[0]], w); i >= 0 && i < wdAt {
					wdAt = i
				}
			}
		}
	}
	clauseAt := 0
	consequence := false
	approx := containsAny(whole, approximateCompact) && !containsAny(whole, preciseCompact)
	definition := definitionRe.MatchString(whole) || definitionEnRe.MatchString(folded) || glossaryRe.MatchString(whole) || statuteList(whole)
	carry := false
	sentSubject := integrateRe.MatchString(whole)
	// The integrated products the sentence is about, in compact form: a
	// later clause naming one of them again ("BuglySDK需要获取…") still
	// speaks of the subject.
	subjectText := ""
	iosOnly := iosRe.MatchString(folded) && !strings.Contains(folded, "android") && !strings.Contains(folded, "安卓") ||
		// Under "3、iOS权限" every item is about the iOS app.
		iosRe.MatchString(heading) && !strings.Contains(heading, "android") && !strings.Contains(heading, "安卓") && !strings.Contains(folded, "android") && !strings.Contains(folded, "安卓")
	// A vendor the sentence names as the start of a product ("百度ocpc
	// SDK") is about that product everywhere in the sentence: its other
	// mentions (百度推广的数据统计) do not narrow it to other SDKs.
	productVendors := map[string]bool{}
	if strings.Contains(folded, "sdk") {
		for _, m := range sentNames() {
			if m.product != "" && len(m.n.sdks) == 0 {
				for _, v := range m.n.vendors {
					productVendors[v] = true
				}
			}
		}
	}
	// "短信权限（发送/接收/读短信）", "短信权限，包括发送，接收、读取": the
	// operations named with the SMS permission are its parts.
	if !withdrawal && wdAt < 0 && !definition && !x.negated {
		x.smsOperations(whole, ev)
	}
	// "+ BLUETOOTH - used to get information about Bluetooth controller":
	// a list of the manifest's names in capitals, each glossed; the gloss
	// names no further permission.
	capsLead := false
	if m := capsLeadRe.FindStringSubmatch(orig); m != nil {
		capsLead = len(x.lx.permShort[strings.ReplaceAll(strings.TrimSpace(m[1]), " ", "_")]) > 0
	}
	// "The app uses `CAMERA` permission to scan the shared location QR
	// code": a manifest name in code marks or before the word permission
	// says exactly which; the sentence's other words only gloss it.
	for _, m := range codeNameRe.FindAllStringSubmatch(orig, 8) {
		name := m[1]
		if name == "" {
			name = m[2]
		}
		if len(x.lx.permShort[name]) > 0 {
			capsLead = true
		}
	}
	for _, c := range splitClauses(folded) {
		withdrawal := withdrawal
		if wdAt >= 0 {
			if i := strings.Index(whole[clauseAt:], c.compact); i >= 0 {
				clauseAt += i
			}
			withdrawal = clauseAt+len(c.compact) > wdAt
			clauseAt += len(c.compact)
		}
		// "如您不使用上述服务，则我们不会访问您的手机相机": what follows a
		// condition of not using is its consequence, neither a use nor a
		// denial.
		inConsequence := consequence
		consequence = conditionRe.MatchString(c.compact)
		if inConsequence && consequenceRe.MatchString(c.compact) {
			carry = false
			continue
		}
		// "We do not use X, Y or any other attribution service": the
		// negation covers the rest of the list.
		negAll := x.negated || carry && carriesNegation(c) && !c.gap || passiveNegation(c.folded)
		negHere := negationEnd(c.compact) <= len(c.compact) || negationEnd(c.folded) <= len(c.folded)
		carry = negAll || negHere
		// English lists spread one request over several commas ("access
		// to your location, and to your camera"), so English clauses take
		// their context from the sentence; Chinese list fragments too.
		cont := !hasHan(c.folded) && (strings.HasPrefix(c.folded, "and ") || strings.HasPrefix(c.folded, "or ") || strings.HasPrefix(c.folded, "to "))
		permCtx := containsAny(c.compact, permissionContext) || ((short(c) || cont) && sentPerm) || strings.Contains(heading, "权限")
		dataCtx := containsAny(c.compact, dataContext) || ((short(c) || cont) && sentData)
		featureAt := featureRe.FindStringIndex(c.compact)
		feature := featureAt != nil
		if feature {
			// "基于相册（图片库）的功能": the standard list of features
			// that each rest on a device permission.
			permCtx = true
		}
		strongCtx := feature || containsAny(strings.ReplaceAll(c.compact, "授权合作", ""), strongPermissionContext) || ((short(c) || cont) && sentStrong) || strings.Contains(heading, "权限") || strings.Contains(heading, "permission")
		if loc := englishUseRe.FindStringSubmatchIndex(c.folded); loc != nil && !withdrawal && !definition && !negAll && negationEnd(c.folded) > loc[0] {
			// "The app uses the camera to scan QR codes": using a
			// device capability is asking for it — that capability
			// only, not the clause's other words (a device ID).
			x.cellTerms(c.folded[loc[2]:loc[3]], rolePerm, c.folded, ev)
		}
		literal := x.lx.literalIn(c.folded) || capsLead
		if withdrawal {
			// "您可以在系统设置中关闭通讯录、相机、麦克风权限": how to take
			// consent back names permissions as examples, not as used.
			permCtx, strongCtx = false, false
		}
		if iosOnly || literal {
			// A sentence about the iOS app declares no Android
			// permission; a clause that names the permission literally
			// (android.permission.BLUETOOTH（使用蓝牙权限）) says exactly
			// which, and its Chinese label must not add others.
			permCtx = false
		}
		terms := x.lx.matchTerms(c, negAll)
		for _, m := range terms {
			if definition || withdrawal && !m.negated {
				// "个人信息包括姓名、出生日期、身份证件号码…": the law's
				// definition, quoted, discloses nothing the app collects.
				continue
			}
			if approx && !m.negated {
				m.t = coarseOnly(m.t)
			}
			if iosOnly && len(m.t.perms) > 0 {
				// The iOS app's permissions are no Android permission,
				// even when the word says 权限.
				t := *m.t
				t.perms = nil
				m.t = &t
			}
			if literal && len(m.t.perms) > 0 && !m.negated {
				// Even a word that says 权限 is only the literal's label.
				t := *m.t
				t.perms = nil
				m.t = &t
			}
			// Under a permissions heading an item may be just "相机：拍摄照片".
			listItem := (m.at == 0 || m.at <= len(c.compact) && listMarkerRe.MatchString(c.compact[:m.at])) && strings.Contains(heading, "权限")
			if m.t.han && m.t.generic && strings.HasPrefix(c.compact[m.at+len(m.t.text):], "sdk") {
				// "PP视频SDK": the word is part of a product's name.
				continue
			}
			if m.t.han && m.t.generic && permCtx && !m.negated && !listItem && !(feature && m.at >= featureAt[0] && m.at < featureAt[1]) && !nearPermissionWord(c.compact, m.at, len(m.t.text)) {
				// A two-character word (图片, 通知, 电话) is a permission only
				// when the words around it ask for one; elsewhere it is
				// the purpose or the data.
				x.term(m, false, dataCtx, false, ev(m.word))
				continue
			}
			if permCtx && !strongCtx && x.installTimeData(m, c) {
				x.term(m, false, dataCtx, false, ev(m.word))
				continue
			}
			x.term(m, permCtx, dataCtx, false, ev(m.word))
		}
		// "集成北京今始科技有限公司的速验登录SDK，…通过获取运营商中移互联网有限公司…的APPId":
		// the sentence is about the SDK it says is integrated; other
		// companies in it are its data sources or recipients.
		subject := integrateRe.FindStringIndex(c.compact)
		if subject != nil {
			subjectText += c.compact[subject[0]:subject[1]]
			// The product's other name in brackets right after it
			// ("设备风险SDK（数美SDK）") belongs to the subject.
			if rest := c.compact[subject[1]:]; strings.HasPrefix(rest, "(") {
				if j := strings.IndexByte(rest, ')'); j > 0 && j < 60 {
					subject[1] += j + 1
				}
			}
		}
		clauseNames := x.lx.matchNames(c, orig, false, negAll)
		// The distinct product names of the clause, once: a hostile
		// clause repeats one name thousands of times.
		var products []*name
		for _, m := range clauseNames {
			if len(m.n.sdks) > 0 && !slices.Contains(products, m.n) && len(products) < 64 {
				products = append(products, m.n)
			}
		}
		for _, m := range clauseNames {
			if x.self[m.n] {
				continue
			}
			if len(m.n.vendors) > 0 && x.brandOfNext(m, c, products) {
				// "极光JPUSH": the brand starts the next product's name.
				x.recordVendors(m.n.vendors, ev(m.word))
				continue
			}
			if withinTerm(m, terms) {
				// "Google Advertising ID" is an identifier, not Google.
				continue
			}
			// "（5）腾讯Bugly SDK 我们的产品集成…": a product that titles the
			// record is its own subject; "集成了A SDK以及B SDK、C SDK": the
			// products coordinated with the subject are integrated too.
			title, coordinated := false, false
			if m.han && m.at <= len(c.compact) {
				// The mark is a few bytes: matching it against the whole
				// text before every name read a hostile clause once per name.
				title = strings.Trim(c.compact[:m.at], "0123456789()（）.、 ") == "" || enumEndRe.MatchString(tailBytes(c.compact[:m.at], 16))
				coordinated = subject != nil && m.at >= subject[1] && coordRe.MatchString(c.compact[subject[1]:m.at])
			}
			if sentSubject && !title && !coordinated && (subject == nil || m.han && (m.at < subject[0] || m.at >= subject[1])) && !m.negated {
				x.recordVendors(m.n.vendors, ev(m.word))
				if len(m.n.sdks) > 0 && subject != nil && m.at >= subject[1] {
					continue
				}
				if len(m.n.sdks) > 0 && subject == nil && !containsAny(c.compact, integrateVerbs) && !strings.Contains(subjectText, compact(m.word)) {
					// "集成…HMS-Core SDK，…用于完善华为登录SDK、华为支付SDK":
					// the later products are what the subject serves.
					continue
				}
				if len(m.n.sdks) == 0 {
					continue
				}
			}
			if len(m.n.sdks) == 0 && m.product == "" && anyOf(productVendors, m.n.vendors) {
				x.recordVendors(m.n.vendors, ev(m.word))
				continue
			}
			if len(m.n.sdks) == 0 && m.product == "" && x.namedVendor(sentNames(), m.n.vendors) {
				// "Bugly（深圳市腾讯计算机系统有限公司）": the company is
				// the operator of the product just named, not a
				// mention of its other products.
				x.recordVendors(m.n.vendors, ev(m.word))
				continue
			}
			if x.partNamedInSentence(m, sentNames()) {
				// "Firebase Analytics (Google): We use Firebase to …":
				// the umbrella's bare name stands for the part just named.
				continue
			}
			x.nameMatch(m, c, context, ev(m.word))
		}
	}
	x.literalPermissions(orig, ev)
	if !operatorRe.MatchString(orig) {
		x.companies(orig, ev)
	}
}

// termMatch is one vocabulary hit.
type termMatch struct {
	t       *term
	word    string
	negated bool
	at      int // byte offset in the clause's compact (Han) or folded text
	// background is set when the clause asks for location all the time.
	background bool
}

// nearPermissionWord reports whether a generic Han term is followed, later
// in its clause, by 权限 (a list such as 通知、相机、存储等权限), or preceded
// closely by a verb of access.
func nearPermissionWord(compactClause string, at, n int) bool {
	// 通知、相机、存储等权限: 权限 closes a list the word is in.
	if i := strings.Index(compactClause[at+n:], "权限"); i >= 0 {
		gap := compactClause[at+n : at+n+i]
		if runeLen(gap) <= 2 || (runeLen(gap) <= 10 && strings.ContainsAny(gap, "、/和及与或")) {
			return true
		}
	}
	// 相关权限的授权（包含：位置、相册等）: the word is an item of a list that
	// 权限 introduces.
	if i := strings.LastIndex(compactClause[:at], "权限"); i >= 0 {
		gap := compactClause[i+len("权限") : at]
		if runeLen(gap) <= 12 && containsAny(gap, []string{"包含", "包括", "例如", "比如", "诸如"}) {
			return true
		}
		// "该SDK获取的权限：系统设置、震动、相机": the items of the list
		// after 权限 and its colon.
		if strings.HasPrefix(gap, ":") && runeLen(gap) <= 40 && !strings.ContainsAny(gap, ",.;，。；") && wholeListItem(compactClause, at, n) {
			return true
		}
	}
	start := at - 18 // six Han characters
	if start < 0 {
		start = 0
	}
	for start > 0 && !utf8.RuneStart(compactClause[start]) {
		start--
	}
	return containsAny(compactClause[start:at], []string{"访问", "读取", "获取", "调用", "开启", "打开", "允许", "申请", "使用您的", "存取", "查看", "检索"})
}

// wholeListItem reports whether the word at compactClause[at:at+n] is a whole
// item of a list: after the colon or a 、, before a 、, 等 or the end.
func wholeListItem(compactClause string, at, n int) bool {
	before := compactClause[:at]
	after := compactClause[at+n:]
	return (strings.HasSuffix(before, ":") || strings.HasSuffix(before, "、")) &&
		(after == "" || strings.HasPrefix(after, "、") || strings.HasPrefix(after, "等") || strings.HasPrefix(after, ".") || strings.HasPrefix(after, "。"))
}

// matchTerms finds vocabulary in a clause, longest first, without overlaps.
func (lx *Lexicon) matchTerms(c clause, negAll bool) []termMatch {
	var out []termMatch
	usedH := make([]bool, len(c.compact))
	usedA := make([]bool, len(c.folded))
	cand := make([]bool, len(lx.terms))
	lx.hanTerms.mark(c.compact, cand)
	lx.latinTerms.mark(c.folded, cand)
	negH, negA := negationEnd(c.compact), negationEnd(c.folded)
	// Per clause, not per match: a hostile clause repeats a word
	// thousands of times.
	bg := senseHas(c, backgroundLocation)
	vetoed := map[*senseRule]bool{}
	for i := range lx.terms {
		if !cand[i] {
			continue
		}
		t := &lx.terms[i]
		hay, used, neg := c.folded, usedA, negA
		if t.han {
			hay, used, neg = c.compact, usedH, negH
		}
		eachFree(hay, t.text, t.han, true, used, func(at int) {
			t := t
			if r := lx.sense.veto(t.text, c, vetoed); r != nil {
				switch {
				case len(r.Perms) > 0:
					// The word asks for another permission in this
					// sense (电话权限 where calls are placed).
					nt := *t
					nt.perms, nt.data = r.Perms, nil
					t = &nt
				case r.KeepData && len(t.data) > 0:
					nt := *t
					nt.perms = nil
					t = &nt
				case r.KeepPerms && len(t.perms) > 0:
					nt := *t
					nt.data = nil
					t = &nt
				default:
					// The word means something else here; it still
					// claims its text so a shorter word inside it does
					// not match.
					return
				}
			}
			negated := negAll || neg <= at || parenNegated(hay, at+len(t.text))
			out = append(out, termMatch{t: t, word: t.text, negated: negated, at: at, background: bg})
		})
	}
	return out
}

// negationTriggers are substrings every match of negationRe contains.
var negationTriggers = []string{"没", "未", "不", "无", "绝", "从", "已", "停", "移", "not", "n't", "never", "no longer", "removed", "has no", "have no", "with no", "cannot", "勿"}

// negationEnd is where the earliest-ending negation in hay ends, or past
// the end of hay when there is none: an item at offset at is negated when
// negationRe matches in hay[:at], which is exactly negationEnd(hay) <= at.
// Computing it once per clause instead of matching every prefix keeps a
// clause naming a vendor a thousand times linear.
func negationEnd(hay string) int {
	if !containsAny(hay, negationTriggers) {
		// Every alternative of negationRe holds one of these; a long
		// clause without them (most of a policy) skips the regexp, which
		// costs a third of reading a hostile one-line policy.
		return len(hay) + 1
	}
	loc := negationRe.FindStringIndex(hay)
	if loc == nil {
		return len(hay) + 1
	}
	// No match starts before loc[0]; one starting later may still end
	// sooner, and every alternative is short, so try the ends in order.
	for end := loc[0] + 1; end < loc[1]; end++ {
		if negationRe.MatchString(hay[loc[0]:end]) {
			return end
		}
	}
	return loc[1]
}

// eachFree calls fn for every occurrence of needle in hay that does not
// overlap text already claimed by a longer match, and claims it. Han text is
// matched anywhere; Latin text at word boundaries, with English plurals
// when plural is set.
func eachFree(hay, needle string, han, plural bool, used []bool, fn func(at int)) {
	for from := 0; ; {
		at, n := -1, len(needle)
		switch {
		case han:
			if i := strings.Index(hay[from:], needle); i >= 0 {
				at = from + i
			}
		case plural:
			at, n = indexTerm(hay, needle, from)
		default:
			at = indexWord(hay, needle, from)
		}
		if at < 0 {
			return
		}
		from = at + n
		if anyUsed(used, at, from) || plural && !han && inHostName(hay, at, from) {
			continue
		}
		mark(used, at, from)
		fn(at)
	}
}

// inHostName reports a Latin word that is a label of a host name or an
// e-mail address (VoIP.ms, bugly.qq.com, privacy@x.cn): a service's
// address, not the word.
func inHostName(hay string, at, end int) bool {
	letter := func(i int) bool {
		return i >= 0 && i < len(hay) && (hay[i] >= 'a' && hay[i] <= 'z' || hay[i] >= 'A' && hay[i] <= 'Z' || hay[i] >= '0' && hay[i] <= '9')
	}
	if end+1 < len(hay) && hay[end] == '.' && letter(end+1) {
		return true
	}
	// A word after a dot is left alone: android.permission.CAMERA and
	// ohos.permission.MICROPHONE end in the word they name.
	return at >= 2 && hay[at-1] == '@' && letter(at-2)
}

func anyUsed(used []bool, a, b int) bool {
	for i := a; i < b; i++ {
		if used[i] {
			return true
		}
	}
	return false
}

func mark(used []bool, a, b int) {
	for i := a; i < b; i++ {
		used[i] = true
	}
}

func (x *extractor) term(m termMatch, permCtx, dataCtx, table bool, ev Evidence) {
	switch {
	case m.negated:
		ev = because(ev, RuleNegation)
	case table:
		ev = because(ev, RuleTableCell)
	case permCtx:
		ev = because(ev, RuleAccessWord)
	default:
		ev = because(ev, RuleDataWord)
	}
	if m.negated {
		for _, p := range m.t.perms {
			x.addDenial("permission", p, ev)
		}
		for _, d := range m.t.data {
			x.addDenial("data", d, ev)
		}
		return
	}
	if table || permCtx || strings.Contains(m.t.text, "权限") || strings.Contains(m.t.text, "permission") {
		for _, p := range m.t.perms {
			x.addPermission(p, ev)
			if m.background && (p == permFineLocation || p == permCoarseLocation) {
				// 位置权限（始终允许）: "allow all the time" is background
				// location on every Android version that splits it out.
				bg := ev
				bg.Rule = RuleBackground
				x.addPermission(permBackgroundLocation, bg)
			}
		}
	}
	// A permission word in a request (授权相机、照片、麦克风等权限) also
	// discloses what the permission reads.
	if table || !m.t.generic || dataCtx || permCtx && len(m.t.perms) > 0 {
		for _, d := range m.t.data {
			x.addData(d, ev)
		}
	}
}

// nameMatch is one product or vendor name found in a clause.
type nameMatch struct {
	n       *name
	word    string
	negated bool
	// product is the rest of a product name that starts with the vendor's
	// name (游戏 in "OPPO游戏SDK", 慧推 in "百度网讯科技有限公司的慧推SDK"),
	// empty when the name is not followed by one; then only the product's
	// own words may narrow the vendor to its SDKs.
	product string
	at      int  // offset in the clause's compact (Han) or folded text
	han     bool // at is in the compact text
	size    int
	// aside is set for a name that only labels something else: inside a
	// document title (《某某隐私政策》) or in brackets right after an SDK's
	// name ("数据漫游者SDK（抖音开发平台）").
	aside bool
	// afterSDK is set for a name in brackets right after an SDK's name.
	afterSDK bool
}

// matchNames finds product and vendor names in a clause, longest first and
// without overlaps. In a table cell (cell true) an ordinary-word name such
// as Bugly may start the text; in prose it may not.
func (lx *Lexicon) matchNames(c clause, orig string, cell, negAll bool) []nameMatch {
	var out []nameMatch
	usedH := make([]bool, len(c.compact))
	usedA := make([]bool, len(c.folded))
	// Only names that occur in the clause can match; the order below
	// (longest first) is what decides overlaps, so it is kept.
	cand := make([]bool, len(lx.names))
	lx.hanNames.mark(c.compact, cand)
	lx.latinNames.mark(c.folded, cand)
	negH, negA := negationEnd(c.compact), negationEnd(c.folded)
	for i := range lx.names {
		if !cand[i] {
			continue
		}
		n := &lx.names[i]
		if n.exactCase {
			// Ordinary English words count only capitalised and, in prose,
			// not as the first word of a sentence ("Adjust your settings").
			capitalised := false
			for _, form := range caseForms(n.orig) {
				for from := 0; !capitalised; {
					at := indexWord(orig, form, from)
					if at < 0 {
						break
					}
					from = at + len(form)
					if cell || strings.TrimSpace(orig[:at]) != "" || nameOnlyItem(orig[at+len(form):]) {
						capitalised = true
					}
				}
			}
			if !capitalised {
				continue
			}
			if coveredByHan(out, n.compacted) {
				continue
			}
			if at := indexWord(c.folded, n.text, 0); at >= 0 && !anyUsed(usedA, at, at+len(n.text)) {
				mark(usedA, at, at+len(n.text))
				out = append(out, nameMatch{n: n, word: n.orig, negated: negAll || negA <= at || parenNegated(c.folded, at+len(n.text)),
					product: productAfter(c.folded, at+len(n.text)), aside: asideAt(c.folded, at, at+len(n.text)), afterSDK: afterSDKName(c.folded, at), at: at, size: len(n.text)})
			}
			continue
		}
		hay, used, neg := c.folded, usedA, negA
		if n.han {
			hay, used, neg = c.compact, usedH, negH
		} else if coveredByHan(out, n.compacted) {
			// "Facebook 登入" resolved as Facebook Login: its "Facebook"
			// is not a second mention.
			continue
		}
		eachFree(hay, n.text, n.han, false, used, func(at int) {
			if !n.han && at > 0 && hay[at-1] == '-' {
				// "U-Share SDK": the tail of a hyphenated name, not
				// ShareSDK.
				return
			}
			out = append(out, nameMatch{n: n, word: n.orig, negated: negAll || neg <= at || parenNegated(hay, at+len(n.text)),
				product: productAfter(hay, at+len(n.text)), aside: asideAt(hay, at, at+len(n.text)), afterSDK: afterSDKName(hay, at), at: at, han: n.han, size: len(n.text)})
		})
	}
	return out
}

// partNamedInSentence reports whether a name that resolves only to an
// umbrella SDK (Firebase) shares its sentence with the full name of one
// of its parts (Firebase Analytics), which it then repeats.
func (x *extractor) partNamedInSentence(m nameMatch, names []nameMatch) bool {
	if len(m.n.sdks) != 1 || m.negated {
		return false
	}
	parts := x.lx.parts[m.n.sdks[0]]
	if len(parts) == 0 {
		return false
	}
	if len(names) == 0 {
		return false
	}
	if x.distinctKey != &names[0] {
		// The sentence's distinct names, once: a hostile sentence
		// repeats one name a million times.
		x.distinctKey = &names[0]
		x.distinct = x.distinct[:0]
		seen := map[*name]bool{}
		for _, o := range names {
			if !seen[o.n] && !o.negated {
				seen[o.n] = true
				x.distinct = append(x.distinct, o)
			}
		}
	}
	for _, o := range x.distinct {
		if o.n == m.n || !strings.Contains(o.n.compacted, m.n.compacted) {
			continue
		}
		for _, id := range o.n.sdks {
			if slices.Contains(parts, id) {
				return true
			}
		}
	}
	return false
}

// nearPermission returns the known short permission name one edit away
// from name (a letter missing, added or changed), or "" when there is
// none or more than one.
func (lx *Lexicon) nearPermission(name string) string {
	if len(name) < 8 {
		return ""
	}
	found := ""
	for k := range lx.permShort {
		if k != name && oneEdit(k, name) {
			if found != "" && found != k {
				return ""
			}
			found = k
		}
	}
	return found
}

// oneEdit reports whether a and b differ by exactly one inserted,
// deleted or replaced byte.
func oneEdit(a, b string) bool {
	if len(a) < len(b) {
		a, b = b, a
	}
	if len(a)-len(b) > 1 {
		return false
	}
	i := 0
	for i < len(b) && a[i] == b[i] {
		i++
	}
	if len(a) == len(b) {
		return a[i+1:] == b[i+1:]
	}
	return a[i+1:] == b[i:]
}

// nameOnlyItem reports whether what follows a capitalised word at the
// start of a line leaves the line a bare name ("Flurry (https://…)",
// "Flurry: analytics"), as in a list of trackers: a brand, not the verb.
func nameOnlyItem(rest string) bool {
	r := strings.TrimSpace(rest)
	return r == "" || strings.HasPrefix(r, "(") || strings.HasPrefix(r, "（") || strings.HasPrefix(r, ":") || strings.HasPrefix(r, "：") || strings.HasPrefix(r, "- ") || strings.HasPrefix(r, "– ")
}

// namedVendor reports whether the sentence names a product of one of the
// vendors by its own name.
func (x *extractor) namedVendor(names []nameMatch, vendors []string) bool {
	// The answer per vendor list, once per sentence's names: a hostile
	// sentence names a vendor hundreds of thousands of times.
	key := strings.Join(vendors, ",")
	if len(names) == 0 || len(x.vendorNamedFor) != len(names) || &x.vendorNamedFor[0] != &names[0] {
		x.vendorNamedFor, x.vendorNamed = names, map[string]bool{}
	}
	if v, ok := x.vendorNamed[key]; ok {
		return v
	}
	v := x.namedVendorOf(names, vendors)
	x.vendorNamed[key] = v
	return v
}

func (x *extractor) namedVendorOf(names []nameMatch, vendors []string) bool {
	for _, m := range names {
		for _, id := range m.n.sdks {
			s, ok := x.lx.db.SDK(id)
			if !ok {
				continue
			}
			if slices.Contains(vendors, s.Vendor) {
				return true
			}
			// "微信支付，由深圳市腾讯计算机系统有限公司开发": the group's
			// legal entity is named as the developer of its subsidiary's
			// product (WeChat Pay is Tenpay's).
			if v, ok := x.lx.db.Vendor(s.Vendor); ok && v.Group != "" && slices.Contains(vendors, v.Group) {
				return true
			}
		}
	}
	return false
}

// recordVendor notes a vendor mention (without narrowing it to products)
// and returns its entry.
func (x *extractor) recordVendor(vendor string, ev Evidence) *DeclaredVendor {
	v := x.vends[vendor]
	if v == nil {
		v = &DeclaredVendor{ID: vendor, SDKs: []string{}}
		x.vends[vendor] = v
	}
	if len(v.Evidence) < maxEvidence {
		v.Evidence = append(v.Evidence, ev)
	}
	return v
}

// coveredByHan reports whether an ASCII name (key, compacted) is part of a
// name containing Han that already matched.
func coveredByHan(found []nameMatch, key string) bool {
	for _, m := range found {
		if m.n.han && strings.Contains(m.n.text, key) {
			return true
		}
	}
	return false
}

func (x *extractor) nameMatch(m nameMatch, c clause, context string, ev Evidence) {
	if nameVetoed(m.n.text, c) != nil {
		return
	}
	if m.aside || len(m.n.sdks) == 0 && m.afterSDK || x.paymentAccount(m, c) || x.definedAlias(m, c) || x.socialAccountItem(m, c) || x.featureService(m, c) || websiteExample(m, c) || x.webOnly(m, context) {
		x.recordVendors(m.n.vendors, ev)
		for _, id := range m.n.sdks {
			if r, ok := x.lx.db.SDK(id); ok {
				x.recordVendor(r.Vendor, ev)
			}
		}
		return
	}
	if !m.negated {
		if _, ok := x.productOf(m, ev); ok {
			return
		}
	}
	if m.negated {
		for _, s := range m.n.sdks {
			x.addDenial("sdk", s, because(ev, RuleNegation))
		}
		return
	}
	for _, s := range m.n.sdks {
		if slices.Contains(m.n.shared, s) && !x.sharedIsOwn(s, m, c, context) {
			continue
		}
		if loc := x.locationSibling(s, m, c, context); loc != "" {
			x.addSDK(loc, "name", because(ev, RuleMapForLocation))
			continue
		}
		purpose := context
		if runeLen(compact(context)) > 160 {
			// A long sentence names many things; the clause naming the
			// SDK says what it is used for ("…，我们会从微信、支付宝获取
			// 您的付款是否成功的信息，…").
			purpose = c.folded
		}
		if parts := x.partsByPurpose(s, purpose, ev); len(parts) > 0 && x.bareBase(s, m.word) {
			// "华为HMS：…用于接收推送消息": the base named bare for one of
			// its parts' purposes is that part.
			continue
		}
		x.addSDK(s, "name", because(ev, RuleName))
	}
	if len(m.n.sdks) > 0 {
		// 微信支付 names the WeChat Pay SDK; that it is also a name of
		// the Tenpay vendor must not declare Tenpay's other products.
		return
	}
	// The pointer must be the clause naming the vendor ("…了解【MobTech】
	// 隐私权政策"); one to "SDK运营方的隐私政策" at the sentence's end says
	// nothing of the vendors named before it.
	if x.unknownProduct(m, c) || x.pointerSentence(c.folded) || institutionList(m, c) || x.deviceMaker(m, c) {
		x.recordVendors(m.n.vendors, ev)
		return
	}
	// The clause naming the vendor says its part when the sentence fits
	// several ("厂商推送服务由华为…提供，…华为会通过SDK收集…设备标识").
	for _, v := range m.n.vendors {
		if x.rowContext != "" {
			x.vendorMention(v, context+" "+x.rowContext, c.folded, ev)
			continue
		}
		x.vendorMention(v, context, c.folded, ev)
	}
}

// partyLineRe is a line that only names a company, maybe after a label
// (公司：科大讯飞股份有限公司).
var partyLineRe = regexp.MustCompile(`^(?:(?:第三方)?(?:公司|主体|提供方|公司名称)\s*[:：]\s*)?[^\s,，。；;:：]{2,30}(?:股份有限公司|有限责任公司|有限公司)$`)

// flatRow returns, for the line at i, the short lines before it back to
// the one naming an SDK or component (手机号码透传SDK / 手机号码透传认证组件 /
// 提供手机号码认证服务 / 卓望数码技术（深圳）有限公司 / …): the row of a
// flattened table the line is a cell of. A paragraph of prose, a heading
// or a table in between, or no such line within a dozen, means no row.
func flatRow(blocks []Block, i int) string {
	var parts []string
	for k := i - 1; k >= 0 && k >= i-12; k-- {
		b := blocks[k]
		if b.Table != 0 || b.Heading != 0 || runeLen(b.Text) > 60 {
			return ""
		}
		parts = append(parts, b.Text)
		f := fold(b.Text)
		if strings.Contains(f, "sdk") || strings.Contains(f, "组件") || strings.Contains(f, "插件") {
			slices.Reverse(parts)
			return fold(strings.Join(parts, " "))
		}
	}
	return ""
}

// firebasePairRe is Firebase named once before two of its products.
var firebasePairRe = regexp.MustCompile(`\b((?:google )?firebase) (analytics|crashlytics|performance monitoring|cloud messaging|remote config|authentication|messaging) (?:and|&) (analytics|crashlytics|performance monitoring|cloud messaging|remote config|authentication|messaging)\b`)

// deviceMaker reports a vendor named as the maker of the user's phone
// ("具有安全芯片的华为手机", "小米设备上"): the device, not an SDK of the app.
func (x *extractor) deviceMaker(m nameMatch, c clause) bool {
	var rest string
	switch {
	case m.han && m.at+m.size <= len(c.compact):
		rest = c.compact[m.at+m.size:]
	case !m.han && m.at+m.size <= len(c.folded):
		// A Latin maker (OPPO, vivo) is matched in the folded text.
		rest = compact(c.folded[m.at+m.size:])
	default:
		return false
	}
	// 设备 after another vendor's name is a product's shorthand (数美设备
	// for Shumei's device fingerprint); after a phone maker it is the phone.
	if strings.HasPrefix(rest, "手机") || strings.HasPrefix(rest, "机型") {
		return true
	}
	// A maker in a list of makers the list's end says are phones
	// ("华为、OPPO、vivo、小米、魅族等品牌手机") — unless the sentence goes
	// on to the makers' SDKs ("…我行使用了以上厂商的推送SDK"): then the
	// list names them.
	if !slices.ContainsFunc(m.n.vendors, func(v string) bool { return phoneMakers[v] }) {
		return false
	}
	if strings.HasPrefix(rest, "设备") || strings.HasPrefix(rest, "终端") {
		return true
	}
	whole := c.compact
	if c.sentence != nil {
		whole = c.sentence.compact
	}
	// A list of phone makers is short: looking further than this for its
	// end would read a hostile sentence once per maker in it.
	if len(rest) > makerListSpan {
		rest = rest[:makerListSpan]
	}
	return makerListEndRe.MatchString(rest) && !x.backRefIn(whole)
}

// makerListSpan bounds, in bytes, how far after a maker its list's end is
// looked for.
const makerListSpan = 160

// backRefIn reports whether a sentence refers back to makers, asked once
// per sentence however many makers it names.
func (x *extractor) backRefIn(whole string) bool {
	if len(whole) != len(x.backRefCtx) || whole != x.backRefCtx || !x.backRefDone {
		x.backRefCtx, x.backRefDone, x.backRef = whole, true, makersBackRefRe.MatchString(whole)
	}
	return x.backRef
}

// makerListEndRe is the rest of a list of phone makers after one of them,
// up to the words that say they are phones.
var makerListEndRe = regexp.MustCompile(`^(?:[、,/和及与][^、,;。:]{1,10}?)*?等(?:品牌|厂商|型号)?的?(?:手机|机型|设备|终端)`)

// phoneMakers are the vendors that make the phones policies speak of.
var phoneMakers = map[string]bool{"huawei": true, "honor": true, "xiaomi": true, "oppo": true, "vivo": true, "meizu": true, "samsung": true, "lenovo": true, "oneplus": true, "zte": true, "asus": true, "apple": true}

// pointerSentence reports whether context matches pointerRe, once per
// sentence: a hostile sentence names a vendor a million times.
func (x *extractor) pointerSentence(context string) bool {
	if x.pointerCtx != context || !x.pointerDone {
		x.pointerCtx, x.pointerDone = context, true
		x.pointer = pointerRe.MatchString(compact(context))
	}
	return x.pointer
}

// pointerRe finds a clause that sends the reader to a company's own
// policy ("您可以登陆…了解【MobTech】隐私权政策"): the company owns a
// policy; which of its products the app embeds is said elsewhere.
var pointerRe = regexp.MustCompile(`(?:了解|查阅|查看|参阅|阅读|访问|详见|参见)[^,;。，；]{0,30}?(?:隐私权?政策|隐私保护(?:政策|指引|声明)|隐私声明|privacypolicy)`)

// contactWords are items of a list of a person's own details.
var contactWords = []string{"手机号", "电话号码", "邮箱", "微信号", "qq号", "昵称", "紧急联系人", "密保", "身份证"}

// socialAccountItem reports a social service's name standing alone as
// one item of a list of the user's details ("密保问题、紧急联系人、QQ、
// 微信号"): the user's account with that service, not its SDK.
func (x *extractor) socialAccountItem(m nameMatch, c clause) bool {
	if len(m.n.sdks) == 0 {
		return false
	}
	for _, id := range m.n.sdks {
		if cat := x.categoryOf(id); cat != "share" && cat != "social-login" {
			return false
		}
	}
	if !m.han && m.at+m.size <= len(c.folded) {
		// Latin names (QQ) are matched in the folded clause.
		return listItemIn(c.folded, m.at, m.at+m.size)
	}
	if m.at+m.size > len(c.compact) {
		return false
	}
	return listItemIn(c.compact, m.at, m.at+m.size)
}

// websiteExampleRe ends the text before a name given as an example of
// websites ("functionality for websites like Google Maps", "网站（如百度）"):
// a site the user visits, not an SDK in the app.
var websiteExampleRe = regexp.MustCompile(`(?:websites?|web ?sites?|sites|web pages?|webpages?)\s*(?:like|such as|e\.g\.,?|for example,?|including)\s*$|(?:网站|网页)[(（]?(?:如|例如|比如)$`)

func websiteExample(m nameMatch, c clause) bool {
	hay := c.folded
	if m.han {
		hay = c.compact
	}
	if m.at > len(hay) {
		return false
	}
	tail := tailBytes(hay[:m.at], 40)
	// Most names follow no website word: skip the regexp, which a hostile
	// sentence naming a vendor 300 000 times would run for each.
	if !strings.Contains(tail, "site") && !strings.Contains(tail, "page") && !strings.Contains(tail, "网站") && !strings.Contains(tail, "网页") {
		return false
	}
	return websiteExampleRe.MatchString(tail)
}

// webOnly reports an English sentence that names a service for the
// operator's websites and says nothing of an app ("Mozilla Monitor uses
// Google Analytics to obtain metrics on how users engage with our
// websites"): the service runs on the website, not in the app. A sentence
// that speaks of neither ("Google Analytics.", "please visit Google
// Analytics' Privacy & Security") takes its setting from its block.
func (x *extractor) webOnly(m nameMatch, context string) bool {
	if m.han {
		return false
	}
	// Asked once per sentence and block: a hostile sentence names a
	// service a hundred thousand times.
	if !x.webDone || x.webCtx != context {
		x.webCtx, x.webDone, x.webSentence = context, true, webSetting(context)
	}
	switch x.webSentence {
	case webSite:
		return true
	case webApp:
		return false
	}
	if !x.webBlockDone {
		x.webBlockDone, x.webBlock = true, webSetting(x.block)
	}
	return x.webBlock == webSite
}

// The settings a text gives a service it names (webOnly).
const (
	webNeither = iota
	webSite
	webApp
)

func webSetting(text string) int {
	if text == "" || hasHan(text) {
		return webApp
	}
	f := strings.ToLower(text)
	switch {
	case webAppRe.MatchString(f):
		return webApp
	case containsAny(f, webWords):
		return webSite
	}
	return webNeither
}

var (
	webWords = []string{"website", "web site", "our site", "our sites", "webpage", "web page", "browser add-on", "browser extension"}
	webAppRe = regexp.MustCompile(`\b(?:apps?|applications?|mobile|sdks?|android|ios|iphone|ipad|phones?)\b`)
)

func listItemIn(hay string, at, end int) bool {
	before := strings.TrimRight(hay[:at], " ")
	after := strings.TrimLeft(hay[end:], " ")
	sep := func(r string) bool {
		return strings.HasPrefix(r, "、") || strings.HasPrefix(r, ",") || strings.HasPrefix(r, ")") || strings.HasPrefix(r, "，")
	}
	if !(strings.HasSuffix(before, "、") || strings.HasSuffix(before, "(")) || !sep(after) {
		return false
	}
	lo, hi := max(0, at-60), min(len(hay), end+60)
	return containsAny(hay[lo:hi], contactWords)
}

// institutionWords name bodies that hold records about the user and
// answer verification requests on the server side.
var institutionWords = []string{"政府部门", "政府机关", "公安", "运营商", "征信", "银行", "司法机关", "监管部门"}

// institutionList reports a vendor named as one item of a list of
// institutions ("第三方机构（有关政府部门、电信运营商、中国银联、支付宝）"):
// a body that checks identity data on request, not an SDK in the app.
func institutionList(m nameMatch, c clause) bool {
	if !m.han || m.at+m.size > len(c.compact) {
		return false
	}
	// The list around the name: back to the bracket or clause start,
	// on to the closing bracket or clause end.
	// A list in brackets is short: look no further than a window around
	// the name, so a hostile clause stays linear.
	lo := max(0, m.at-240)
	hi := min(len(c.compact), m.at+m.size+240)
	start := strings.LastIndexAny(c.compact[lo:m.at], "(（")
	end := strings.IndexAny(c.compact[m.at:hi], ")）")
	if start < 0 || end < 0 {
		return false
	}
	start += lo
	list := c.compact[start : m.at+end]
	return strings.Contains(list, "、") && containsAny(list, institutionWords)
}

// sharedIsOwn reports whether a name other vendors also use for their
// products (可信ID, OAID SDK) means SDK id here: named as an SDK with no
// other company before it in the clause ("华为获取OAID SDK" is Huawei's),
// or with the SDK's own vendor in the sentence.
func (x *extractor) sharedIsOwn(id string, m nameMatch, c clause, context string) bool {
	r, ok := x.lx.db.SDK(id)
	if !ok {
		return false
	}
	hay := c.folded
	if m.han {
		hay = c.compact
	}
	if x.ownersCtx != context || !x.ownersDone {
		x.ownersCtx, x.ownersDone = context, true
		f := fold(context)
		x.owners = x.lx.matchNames(clause{folded: f, compact: compact(f)}, context, true, false)
		// One match per distinct name is all the test needs.
		seen := map[*name]bool{}
		x.owners = slices.DeleteFunc(x.owners, func(o nameMatch) bool {
			dup := seen[o.n]
			seen[o.n] = true
			return dup
		})
	}
	own, other := false, false
	for _, o := range x.owners {
		if o.n == m.n {
			continue
		}
		if slices.Contains(o.n.vendors, r.Vendor) || slices.Contains(o.n.sdks, id) {
			own = true
		} else if len(o.n.vendors) > 0 || len(o.n.sdks) > 0 {
			other = true
		}
	}
	if own {
		return true
	}
	asSDK := strings.Contains(m.n.text, "sdk") || m.at+m.size <= len(hay) && strings.HasPrefix(strings.TrimLeft(hay[m.at+m.size:], " "), "sdk")
	return asSDK && !other
}

// unknownProduct reports a vendor's name run together with a Latin word
// that no product of the vendor has in its names (七牛PCDN, 阿里PCDN): a
// product the rules do not know, not a mention of the vendor's others.
func (x *extractor) unknownProduct(m nameMatch, c clause) bool {
	if !m.han || m.at+m.size > len(c.compact) {
		return false
	}
	rest := c.compact[m.at+m.size:]
	n := 0
	for n < len(rest) && (rest[n] >= 'a' && rest[n] <= 'z' || rest[n] >= '0' && rest[n] <= '9') {
		n++
	}
	if n < 2 {
		return false
	}
	word := rest[:n]
	if neutralProduct.MatchString(word) || strings.HasPrefix(word, "sdk") || kindOnlySDK(strings.TrimSuffix(word, "sdk")) {
		// 腾讯webviewSDK: a kind of product after the vendor, which the
		// vendor's products of that kind fit, not an unknown product.
		return false
	}
	for _, v := range m.n.vendors {
		for _, r := range x.lx.db.SDKsByVendor(v) {
			for _, cn := range x.lx.folded[r.ID] {
				if strings.Contains(cn, word) {
					return false
				}
			}
		}
	}
	return true
}

// definedAlias reports a name defined as a company's short form
// (北京旷视科技有限公司（以下简称“旷视”）), there or later in the
// document: the company, not a product.
func (x *extractor) definedAlias(m nameMatch, c clause) bool {
	hay := c.compact
	if !m.han {
		hay = c.folded
	}
	if m.at > len(hay) {
		return false
	}
	if x.shortForms[m.n.text] {
		// Used again after its definition (由旷视将上述信息提供给…).
		return true
	}
	before := strings.TrimRight(hay[:m.at], "\"'“‘「『 ")
	if strings.HasSuffix(before, "简称") || strings.HasSuffix(before, "简称为") || strings.HasSuffix(before, "hereinafter") {
		if x.shortForms == nil {
			x.shortForms = map[string]bool{}
		}
		x.shortForms[m.n.text] = true
		return true
	}
	return false
}

// nearAccessVerb reports whether an English term follows closely on a
// verb of access ("may access your device's advertising ID").
func nearAccessVerb(folded string, at int) bool {
	start := max(at-32, 0)
	return containsAny(folded[start:at], []string{"access", "read ", "reads ", "query", "queries"})
}

// installTimeData reports whether a term, in a clause whose only words of
// access are verbs that also take data, names data rather than a
// permission: "广告合作伙伴可能将访问您的设备标识符、网络类型" — a permission
// granted at install (Wi-Fi state, network state, the app list) is
// declared only where the policy speaks of the permission itself, or puts
// the verb right before the word (获取您的软件安装列表).
func (x *extractor) installTimeData(m termMatch, c clause) bool {
	if len(m.t.data) == 0 || strings.Contains(m.t.text, "权限") || x.capability(m.t) {
		return false
	}
	if m.t.han {
		return !nearPermissionWord(c.compact, m.at, len(m.t.text))
	}
	return !nearAccessVerb(c.folded, m.at)
}

// capability reports whether a term names a runtime permission the user
// is asked for (location, camera, contacts, ...), which a policy names by
// the capability itself; the others are install-time permissions whose
// words are also plain data.
func (x *extractor) capability(t *term) bool {
	for _, p := range t.perms {
		if r, ok := x.lx.db.Permission(p); ok && r.Group != "" && !strings.HasPrefix(r.ProtectionLevel, "normal") {
			return true
		}
	}
	return false
}

// definitionRe finds the legal definitions of personal information and of
// sensitive personal information that policies quote (GB/T 35273, PIPL),
// with their lists of examples.
var definitionRe = regexp.MustCompile(`(?:个人(?:敏感)?信息|敏感个人信息)["”]?[:,]?(?:是指|指的是|系指)|(?:为|属于|称为)(?:个人敏感信息|敏感个人信息)[,:]?(?:主要)?(?:包括|包含)|^[^,;:]{0,20}?(?:个人(?:敏感)?信息|敏感个人信息)(?:包括|可能包括|包含):?(?:以电子|一旦泄露|可以识别|能够单独|个人基本资料|[^,;:]{0,4}?姓名)|(?:本|该)(?:协议|政策|隐私政策|指引)(?:中|内)?(?:所)?(?:涉及|提及|提到)?的(?:个人(?:敏感)?信息|敏感个人信息)(?:可能)?(?:包括|包含)`)

// definitionEnRe is definitionRe's English form, matched on the folded
// text (the compact form loses the spaces between its words).
var definitionEnRe = regexp.MustCompile(`personal (?:data|information)["”]? (?:means|refers to|is defined as|is any information)`)

// statuteWords are the categories only the statutes' definitions list
// together (PIPL art. 28, GB/T 35273 3.2): no app collects its users'
// religion, lodging records and credit reports at once, so a sentence
// naming several of them is the quoted definition, even when the policy's
// sentence split left its "是指" in the previous sentence.
var statuteWords = []string{"宗教信仰", "特定身份", "征信信息", "住宿信息", "财产信息", "医疗健康", "金融账户", "行踪轨迹", "生物识别", "健康生理", "不满十四周岁", "14岁以下", "金融信息"}

// statuteList reports whether a compact sentence quotes a statute's
// definition: its harm clause (一旦泄露…容易导致), or three of its
// categories, one of them a category apps do not collect. An insurer's
// form does collect such a list (我们会收集：…征信信息、行踪轨迹…), so a
// sentence that says it collects is never a definition by its list alone.
func statuteList(compact string) bool {
	if strings.Contains(compact, "一旦泄露") && strings.Contains(compact, "容易导致") {
		return true
	}
	n, rare := 0, 0
	for i, w := range statuteWords {
		if strings.Contains(compact, w) {
			n++
			if i < 5 {
				rare++
			}
		}
	}
	if rare >= 2 {
		// 征信信息 and 住宿信息 together are the standard's list even in a
		// sentence that says the collected data "may include" it.
		return n >= 3
	}
	if strings.Contains(compact, "收集") || strings.Contains(compact, "采集") {
		return false
	}
	// Four of the categories with no word of collecting are the list
	// itself (本人的身份信息、金融信息、生物识别信息、医疗健康信息、行踪轨迹信息).
	return n >= 3 && rare > 0 || n >= 4
}

// glossaryRe finds a glossary entry that explains a term by what it is
// ("唯一设备识别码（专属ID或UUID）：是指由设备制造商编入到设备中的一串字符，
// 例如IMEI"): its examples describe the term, not what the app collects.
var glossaryRe = regexp.MustCompile(`^[^,;。]{1,40}?(?:是指|指的是|系指)(?:由|一种|一串|一个|一段|一项|一组)`)

// featureRe finds the "based on X" feature headings of the policy template
// (基于摄像头（相机）的附加功能, 基于日历的功能), each about one device
// permission.
var featureRe = regexp.MustCompile(`基于[^,;.]{1,24}?的(?:附加|扩展|增值|相关)?(?:功能|服务)`)

// conditionRe finds a clause that sets the condition of not using or not
// allowing something (如您不使用上述服务, 若您拒绝授权, if you do not use);
// consequenceRe the clause that follows it with what then does not happen.
var (
	conditionRe   = regexp.MustCompile(`^(?:如果|如|若|假如|倘若|当)(?:您|你)(?:不|拒绝|未|没有)|^ifyou(?:do|did)not|^ifyoudon't|^ifyoudont`)
	consequenceRe = regexp.MustCompile(`^(?:则|那么)?(?:我们|我方|本应用|本app|app)?(?:将|也)?(?:不会|不|无法|将不会)|^(?:then)?(?:we|the app)(?:will|would)not|^(?:then)?we(?:won't|wont)`)
)

// platformLineRe finds a line that heads a platform's permission list
// ("3、Ios权限"); numberedLineRe a numbered line of plain text.
var (
	platformLineRe = regexp.MustCompile(`^(?:\(?(?:\d{1,2}|[一二三四五六七八九十]{1,3})[、.)）])?[^,.:;，。：；]{0,8}?(ios|iphone|android|安卓)(?:端|版|系统|客户端)?[^,.:;，。：；]{0,6}?(?:权限|permissions?)`)
	// platformLeadRe is a line that only names a platform, with or
	// without a colon ("iOS (Info.plist):", "**IOS端**"): a lead-in over
	// what is about that platform's app.
	platformLeadRe = regexp.MustCompile(`^[*_#>\-\s]*(ios|iphone|ipados|android|安卓)(?:端|版|系统|客户端|设备|方面|平台|app|apps)?(?:\([^()]{0,30}\))?[*_\s]*[:：]?[*_\s]*$`)
	numberedLineRe = regexp.MustCompile(`^(?:(\d{1,2})[、.](?:[^\d]|$)|([一二三四五六七八九十]{1,3})、|\((?:\d{1,2}|[一二三四五六七八九十]{1,3})\)|第[一二三四五六七八九十\d]{1,3}[章条节部])`)
)

// numberStyle names how a line of plain text is numbered ("3、" digit,
// "三、" numeral, "(三)" bracket, "第三条" article), or "" when it is not: a
// line numbered the same way as a section's first line starts the next
// section, while "3.1、" within it does not.
func numberStyle(c string) string {
	m := numberedLineRe.FindStringSubmatch(c)
	switch {
	case m == nil:
		return ""
	case m[1] != "":
		return "digit" + c[len(m[1]):len(m[1])+1]
	case m[2] != "":
		return "numeral"
	case strings.HasPrefix(c, "("):
		return "bracket"
	}
	return "article"
}

// brandLeadRe is a line that is only a name, with an optional bracketed
// owner, ending in a colon: "Firebase (Google):".
var brandLeadRe = regexp.MustCompile(`^[*_\-•·\s]*([^:：()（）]{2,40}?)\s*(?:[(（][^()（）]{1,30}[)）])?[*_\s]*[:：][*_\s]*$`)

// brandLists finds a brand said once over a list of its products by their
// own short names ("Firebase (Google):" / "Analytics (anonymized usage
// data)" / "Cloud Messaging (push notifications)"): each item is read with
// the brand before it, and the lead line itself declares nothing when an
// item names a product of the brand's vendor that the brand alone is not.
func (x *extractor) brandLists(blocks []Block) (items map[int]string, leads map[int]bool) {
	items, leads = map[int]string{}, map[int]bool{}
	for i, b := range blocks {
		if b.Table != 0 || b.Heading != 0 || runeLen(b.Text) > 60 {
			continue
		}
		m := brandLeadRe.FindStringSubmatch(b.Text)
		if m == nil {
			continue
		}
		brand := strings.TrimSpace(m[1])
		sole := x.soleName(brand)
		if sole == nil {
			continue
		}
		vendors := map[string]bool{}
		for _, v := range sole.vendors {
			vendors[v] = true
		}
		for _, id := range sole.sdks {
			if r, ok := x.lx.db.SDK(id); ok {
				vendors[r.Vendor] = true
			}
		}
		found := false
		for j := i + 1; j < len(blocks) && j <= i+12; j++ {
			it := blocks[j]
			if it.Table != 0 || it.Heading != 0 || runeLen(it.Text) > 80 || strings.ContainsAny(it.Text, ":：") {
				break
			}
			// One reading of the item with the brand before it: a name
			// that starts past the brand is the item's own, and ends the
			// list; one that takes the brand in is a product of it.
			joined := brand + " " + it.Text
			c := clause{folded: fold(joined)}
			c.compact = compact(c.folded)
			// Han names are found in the compact text, Latin ones in the
			// folded text: the brand ends at a different offset in each.
			brandEnd, brandEndHan := len(fold(brand)), len(compact(fold(brand)))
			own, product := false, false
			for _, nm := range x.lx.matchNames(c, joined, true, false) {
				if nm.han && nm.at >= brandEndHan || !nm.han && nm.at >= brandEnd {
					own = true
					continue
				}
				for _, id := range nm.n.sdks {
					if r, ok := x.lx.db.SDK(id); ok && vendors[r.Vendor] && !slices.Contains(sole.sdks, id) {
						product = true
					}
				}
			}
			if own {
				break
			}
			if product {
				items[j] = brand
				found = true
			}
		}
		if found {
			leads[i] = true
		}
	}
	return items, leads
}

// soleName returns the name a text consists of, or nil when it is not
// exactly one known name.
func (x *extractor) soleName(text string) *name {
	c := clause{folded: fold(text)}
	c.compact = compact(c.folded)
	ms := x.lx.matchNames(c, text, true, false)
	if len(ms) != 1 {
		return nil
	}
	n := ms[0].n
	key := c.folded
	if n.han {
		key = c.compact
	}
	if n.text != key {
		return nil
	}
	return n
}

// distributeBrand writes a vendor's brand before each item of a list
// whose first item starts with it and whose other items name nothing
// ("百度语音识别、人脸识别、身份证ocr" lists 百度人脸识别 and 百度身份证ocr):
// the brand is said once for the whole list.
func (x *extractor) distributeBrand(folded string) string {
	if !strings.Contains(folded, "、") {
		return folded
	}
	var b strings.Builder
	changed := false
	for _, seg := range splitKeep(folded, ",;:()。") {
		items := strings.Split(seg, "、")
		brand := ""
		if len(items) >= 2 {
			brand = x.leadingBrand(items[0])
			if brand == "" {
				// "百度、高德地图": the kind said once, after the last
				// brand, is every brand's.
				if suffix := x.trailingKind(items[len(items)-1]); suffix != "" {
					for i, it := range items[:len(items)-1] {
						if t := strings.TrimSpace(it); t != "" && len(x.lx.db.VendorsByName(t)) > 0 {
							items[i] = it + suffix
							changed = true
						}
					}
					b.WriteString(strings.Join(items, "、"))
					continue
				}
			}
		}
		if brand == "" {
			b.WriteString(seg)
			continue
		}
		for i, it := range items {
			if i > 0 {
				b.WriteString("、")
				t := strings.TrimSpace(it)
				// An item that says SDK is a product's whole name — unless
				// it is only a kind ("友盟统计、分享SDK": 友盟分享SDK).
				bare := strings.TrimRight(t, ",;:()。. ")
				kindSDK := strings.HasSuffix(bare, "sdk") && kindOnlySDK(strings.TrimSuffix(bare, "sdk"))
				if t != "" && hasHan(t) && runeLen(t) <= 10 && (!strings.Contains(t, "sdk") || kindSDK) && !x.namesSomething(t) {
					b.WriteString(brand)
					changed = true
				}
			}
			b.WriteString(it)
		}
	}
	if !changed {
		return folded
	}
	return b.String()
}

// leadingBrand returns the vendor brand that a list's first item names a
// product by (百度 in "…使用百度语音识别"), or "" when the item does not end
// in a product of a vendor named by its brand.
func (x *extractor) leadingBrand(item string) string {
	c := clause{folded: item, compact: compact(item)}
	ms := x.lx.matchNames(c, item, true, false)
	if len(ms) == 0 {
		return ""
	}
	m := ms[len(ms)-1]
	w := compact(fold(m.word))
	if m.negated || !strings.HasSuffix(c.compact, w) || len(m.n.sdks) == 0 || strings.HasSuffix(w, "sdk") {
		// A list of whole product names (百度地图SDK、任意门SDK) shares
		// no brand.
		return ""
	}
	// The brand is the longest start of the product's name that names
	// its vendor and leaves product words after it.
	runes := []rune(w)
	for k := len(runes) - 2; k >= 2; k-- {
		for _, v := range x.lx.db.VendorsByName(string(runes[:k])) {
			for _, id := range m.n.sdks {
				if r, ok := x.lx.db.SDK(id); ok && (r.Vendor == v.ID || x.sameGroup(r.Vendor, v.ID)) && hasHan(string(runes[:k])) {
					return string(runes[:k])
				}
			}
		}
	}
	return ""
}

// trailingKind returns the words after the brand of the product a list's
// last item is (地图 in 高德地图), when the item is just that product's
// name, or "".
func (x *extractor) trailingKind(item string) string {
	t := strings.TrimRight(strings.TrimSpace(item), ",;:()。 ")
	c := clause{folded: t, compact: compact(t)}
	ms := x.lx.matchNames(c, t, true, false)
	if len(ms) != 1 || ms[0].negated || len(ms[0].n.sdks) == 0 || compact(fold(ms[0].word)) != c.compact {
		return ""
	}
	if brand := x.leadingBrand(t); brand != "" {
		return strings.TrimPrefix(c.compact, brand)
	}
	return ""
}

// splitKeep cuts s after each of the cut characters, keeping them.
func splitKeep(s, cuts string) []string {
	var out []string
	last := 0
	for i, r := range s {
		if strings.ContainsRune(cuts, r) {
			end := i + utf8.RuneLen(r)
			out = append(out, s[last:end])
			last = end
		}
	}
	return append(out, s[last:])
}

// kindNames returns the names in a context that carry a category's word
// (移动安全联盟, 华为推送), each once. The last context asked about is kept:
// a sentence names many vendors, each asking about the same context.
func (x *extractor) kindNames(text string) []nameOwners {
	if text == "" {
		return nil
	}
	if x.blankText != text {
		x.blankText, x.blankNames = text, nil
		seen := map[string]bool{}
		for _, m := range x.lx.matchNames(clause{folded: text, compact: compact(text)}, text, false, false) {
			w := fold(m.word)
			if seen[w] || len(m.n.vendors) == 0 || !carriesKind(w) {
				continue
			}
			seen[w] = true
			x.blankNames = append(x.blankNames, nameOwners{word: w, vendors: m.n.vendors})
		}
	}
	return x.blankNames
}

// withoutOtherNames blanks, in text, those of names that belong to owners
// outside vendor's group: the 安全 of 移动安全联盟 is no security purpose of
// Huawei's, the 推送 of 华为推送 none of Xiaomi's.
func (x *extractor) withoutOtherNames(vendor, text string, names []nameOwners) string {
	for _, n := range names {
		if strings.Contains(text, n.word) && !slices.ContainsFunc(n.vendors, func(v string) bool { return x.sameGroup(v, vendor) }) {
			text = strings.ReplaceAll(text, n.word, " ")
		}
	}
	return text
}

// nameOwners is a name found in a context and the vendors it names.
type nameOwners struct {
	word    string
	vendors []string
}

// carriesKind reports whether a name holds one of the words that fit a
// vendor's mention to a kind of SDK.
func carriesKind(name string) bool {
	for _, ws := range categoryWords {
		if containsAny(name, ws) {
			return true
		}
	}
	return false
}

// shadowedKind reports a category whose words occur in context only
// inside a longer word of another category: 登录 (social sign-in) inside
// 一键登录 (one-click sign-in) is that narrower kind, not its own.
func shadowedKind(context, category string) bool {
	found := false
	for _, w := range categoryWords[category] {
		n := strings.Count(context, w)
		if n == 0 {
			continue
		}
		found = true
		inside := 0
		for other, ws := range categoryWords {
			if other == category {
				continue
			}
			for _, l := range ws {
				if len(l) > len(w) && strings.Contains(l, w) {
					inside += strings.Count(context, l) * strings.Count(l, w)
				}
			}
		}
		if inside < n {
			return false
		}
	}
	return found
}

// mentionable reports whether a mention of an SDK's vendor alone can mean
// it in context: an SDK (not a library, an adapter or a packer) whose
// needed words, if it has any, the context holds.
func mentionable(s *rules.SDK, context string) bool {
	// A library is named by its vendor only where its own words are said
	// (腾讯 … 热修复 is Tinker).
	ownWords := len(s.FitsWords) > 0 && slices.ContainsFunc(s.FitsWords, func(w string) bool { return strings.Contains(context, fold(w)) })
	return (s.Kind == "sdk" || ownWords) && len(s.AdapterFor) == 0 && !s.Packer &&
		(len(s.NeedsWords) == 0 || slices.ContainsFunc(s.NeedsWords, func(w string) bool { return strings.Contains(context, fold(w)) }))
}

// otherKindOnly reports whether context names a kind of SDK by words that
// fit some product ("联运所需的SDK": a game store's channel SDK) while
// neither those words nor its category's fit the vendor's only candidate:
// Meizu's push SDK is not what "上述手机厂商联运所需的SDK" means.
func (x *extractor) otherKindOnly(context, id string) bool {
	s, ok := x.lx.db.SDK(id)
	if !ok || x.fitsOwn(s, context) || x.contextFits(context, s.Category) {
		return false
	}
	return x.contextHas(context, "\x00fits", x.lx.fitsWords)
}

// fitsContext reports whether the words around a vendor's mention fit the
// SDK: its category's words (unless a narrower kind shadows them) or its
// own fits words.
func (x *extractor) fitsContext(s *rules.SDK, context string) bool {
	return x.contextFits(context, s.Category) && !shadowedKind(context, s.Category) || x.fitsOwn(s, context)
}

// subsidiarySDKs returns the current products of the companies a group's
// parent owns that the context can mention.
func (x *extractor) subsidiarySDKs(vendor, context string) []*rules.SDK {
	var out []*rules.SDK
	for i := range x.lx.db.Vendors {
		if v := &x.lx.db.Vendors[i]; v.Group == vendor && v.ID != vendor {
			for _, s := range x.lx.db.SDKsByVendor(v.ID) {
				if mentionable(s, context) && !s.Discontinued {
					out = append(out, s)
				}
			}
		}
	}
	return out
}

// fitsOwn reports whether context holds one of the words the SDK's rule
// gives for fitting a vendor's mention to it, once per context: a hostile
// sentence names the vendor a hundred thousand times.
func (x *extractor) fitsOwn(s *rules.SDK, context string) bool {
	if len(s.FitsWords) == 0 {
		return false
	}
	return x.contextHas(context, "\x00own:"+s.ID, x.lx.fitsOf[s.ID])
}

// contextHas reports whether context holds one of words, once per context
// and key (a category, or the fits words of an SDK): a hostile sentence
// asks for every mention of a vendor.
func (x *extractor) contextHas(context, key string, words []string) bool {
	if x.fits == nil || context != x.fitsCtx {
		x.fitsCtx, x.fits = context, map[string]bool{}
	}
	v, ok := x.fits[key]
	if !ok {
		v = containsAny(context, words)
		x.fits[key] = v
	}
	return v
}

// latinWordOf reports whether one of an SDK's names, as written (with its
// spaces), holds the Latin word w: "update" is a word of "HUAWEI
// AppGallery update SDK", while "ai" is no word of "Baidu Push".
func latinWordOf(r *rules.SDK, w string) bool {
	for _, n := range append([]string{r.Name.EN, r.Name.ZH}, r.Aliases...) {
		if n == "" {
			continue
		}
		// As written, and run together as the product words are
		// (U-Share → ushare).
		f := fold(n)
		for _, form := range []string{f, compact(f), strings.ReplaceAll(f, "-", "")} {
			if indexWord(form, w, 0) >= 0 {
				return true
			}
		}
	}
	return false
}

// latinRunRe is a run of Latin letters long enough to be a product's
// own brand (Bugly, TBS).
var latinRunRe = regexp.MustCompile(`[a-z]{3,}`)

// codeLiteralRe is a permission written as a code after a label that
// says so (权限声明代码：CAMERA, permission code: CAMERA), folded.
var codeLiteralRe = regexp.MustCompile(`(?:代码|code)\s*[:：]\s*([a-z][a-z_]{3,})`)

// codeNameRe is a permission's manifest name in code marks or before the
// word "permission" (`CAMERA`, CAMERA permission).
var codeNameRe = regexp.MustCompile("`(?:android\\.permission\\.)?([A-Z][A-Z_]{3,})`|\\b([A-Z][A-Z_]{3,}) permission\\b")

// capsLeadRe is a line that starts with a name in capitals and a dash.
var capsLeadRe = regexp.MustCompile(`^\s*[-+*•]?\s*([A-Z][A-Z_]{2,}(?: [A-Z][A-Z_]{2,}){0,3})\s+[-–—:]\s`)

// passiveNegRe is an English passive denial: "location information is
// never collected or used".
var passiveNegRe = regexp.MustCompile(`\b(?:is|are|was|were|will be)\s+(?:never|not)\s+(?:be\s+)?(?:collected|used|stored|saved|accessed|tracked|recorded|requested|read|processed)\b`)

// affirmativeRe is a verb of collection or use written before a denial:
// "your location is used for the forecast and is never stored" denies the
// storing only.
var affirmativeRe = regexp.MustCompile(`\b(?:use[sd]?|using|collect(?:s|ed)?|stor(?:e|es|ed)|access(?:es|ed)?|process(?:es|ed)?|read|record(?:s|ed)?|need(?:s|ed)?|require[sd]?)\b`)

// passiveNegation reports a clause whose subject is denied by a passive
// verb after it, with nothing affirmed before the denial.
func passiveNegation(folded string) bool {
	if !strings.Contains(folded, "never") && !strings.Contains(folded, "not") {
		return false
	}
	loc := passiveNegRe.FindStringIndex(folded)
	return loc != nil && !affirmativeRe.MatchString(folded[:loc[0]])
}

// englishUseRe is an English sentence that uses or needs a device
// capability by name.
var englishUseRe = regexp.MustCompile(`\b(?:uses?|using|needs?|requires?)\s+(?:the\s+|your\s+)?(?:device'?s?\s+|phone'?s?\s+)?(camera|microphone|bluetooth|gps|contacts|calendar|location (?:data|information))\b`)

// identifierData are the data categories that are identifiers: a
// permission that exposes one does not say the policy collects it.
var identifierData = map[string]bool{"imei": true, "imsi": true, "iccid": true, "serial": true, "phone-number": true, "push-token": true, "device-info": true, "android-id": true}

// smsOperations declares the SMS permissions whose operations follow the
// words 短信权限 in a sentence that asks for it.
func (x *extractor) smsOperations(whole string, ev func(string) Evidence) {
	at := strings.Index(whole, "短信权限")
	if at < 0 || negationEnd(whole[:at]) <= at {
		return
	}
	window := whole[at+len("短信权限"):]
	if len(window) > 48 {
		window = window[:48]
	}
	for _, op := range []struct{ word, perm string }{
		{"发送", "android.permission.SEND_SMS"}, {"接收", "android.permission.RECEIVE_SMS"},
		{"读取", "android.permission.READ_SMS"}, {"读短信", "android.permission.READ_SMS"},
	} {
		if strings.Contains(window, op.word) {
			x.addPermission(op.perm, because(ev("短信权限"), RuleAccessWord))
		}
	}
}

// removedSectionRe is the note under a heading that says its feature is
// gone.
var removedSectionRe = regexp.MustCompile(`^\W*(?:(?:this|it|the feature|this feature) (?:was|has been|is) (?:removed|discontinued|dropped)|(?:该|此)?(?:功能)?(?:已(?:移除|下线|停用|删除|取消)))`)

// listMarkerRe is a list item's number or bullet ("3）", "(二)", "•"), all
// that may come before an item's head word.
var listMarkerRe = regexp.MustCompile(`^(?:[(（]?(?:\d{1,3}|[一二三四五六七八九十]{1,3}|[a-z])[.、)）]|[-*•·])$`)

// withdrawalRe finds advice on taking consent back or changing it in the
// system settings, which lists permissions as examples (in compact text:
// "withdrawinglocationpermissionstopsuvretrieval").
var withdrawalRe = regexp.MustCompile(`(?:您|你)(?:可以|可|也可以|可在|可通过|想|希望).{0,30}?(?:撤回|更改|改变|关闭|取消)(?:.{0,12}?|[^。；;，,]{0,40}?)(?:授权|权限)|(?:您|你)(?:可以|可|也可以|可在|可通过|想|希望).{0,30}?禁用.{0,20}?(?:授权|权限)|(?:撤回|更改|改变).{0,6}?授权(?:同意)?的?范围|(?:withdraw|revok)[a-z']{0,40}?permission`)

// approximateWords say a location is coarse; preciseWords that it is not.
var (
	approximateWords = []string{"approximate", "city-level", "city level", "大致位置", "大概位置", "粗略", "大致地理位置", "模糊位置", "城市级", "城市信息", "所在城市", "ip地址解析", "ip解析", "ip属地", "根据ip", "基于ip", "generallocation", "roughlocation"}
	preciseWords     = []string{"precise", "exact", "gps", "精确", "精准", "精细", "经纬度", "详细位置"}
)

// coarseOnly narrows a general word for location ("location", 地理位置)
// to the coarse category and permission, for a sentence that says the
// location is approximate ("your approximate location", 获取粗略地理位置).
func coarseOnly(t *term) *term {
	data := slices.Contains(t.data, "precise-location") && slices.Contains(t.data, "coarse-location")
	perm := slices.Contains(t.perms, permFineLocation) && slices.Contains(t.perms, permCoarseLocation)
	if !data && !perm {
		return t
	}
	nt := *t
	if data {
		nt.data = slices.DeleteFunc(slices.Clone(t.data), func(d string) bool { return d == "precise-location" })
	}
	if perm {
		nt.perms = slices.DeleteFunc(slices.Clone(t.perms), func(p string) bool { return p == permFineLocation })
	}
	return &nt
}

// questionRe finds an English question (a FAQ heading such as "Does the
// app collect precise location?"), which asks and declares nothing; its
// answer is the next sentence.
var questionRe = regexp.MustCompile(`^\s*(?:do|does|did|will|would|is|are|can|could|should|what|which|how|why|when|where|who)\b[^.!]*\?\s*$|^[^。！!]{0,60}(?:哪些|什么|如何|怎样|是否|吗)[^。！!]{0,20}[?？]\s*$`)

// hypotheticalRe finds sentences that name permissions or data only as
// what a future change would need (如果更新的内容需要获取您的通讯录…，仍会
// 再次征求您的同意) or as examples of what a service "may" ask for in
// general (可能需要您开通一些设备权限，例如通知、相册…): neither says the
// app collects them.
var hypotheticalRe = regexp.MustCompile(`(?:如果|如|若|倘若|一旦|假如).{0,40}?(?:更新|变更|修订|修改|超出|新的目的|其他目的|目的变更|改变).{0,80}?(?:再次|重新|另行)(?:以[^,;]{0,8}?方式)?(?:征求|征得|取得|获得)(?:您|你)?的?(?:明示|单独)?(?:同意|授权)|可能(?:会)?需要(?:您|你)?(?:开通|开启|打开|授予|授权|同意)(?:一些|部分|相应的?|相关的?)?(?:设备|系统|手机)?(?:权限|功能)[,:]?(?:例如|比如|如|包括)`)

// linkLabels finds the products a row's link cell names as the owners of
// its policies ("华为推送隐私政策：https://…", "友盟SDK隐私政策"): a row for
// a channel SDK often lists the policies of each SDK it brings along.
func (x *extractor) linkLabels(text string, ev func(string) Evidence) []string {
	if text == "" {
		return nil
	}
	folded := fold(blankURLs(text))
	c := clause{folded: folded, compact: compact(folded)}
	var ids []string
	for _, m := range x.lx.matchNames(c, folded, true, false) {
		if m.negated || len(m.n.sdks) == 0 || !m.han || m.at+m.size > len(c.compact) {
			continue
		}
		rest := strings.TrimPrefix(c.compact[m.at+m.size:], "sdk")
		if strings.HasPrefix(rest, "隐私政策") || strings.HasPrefix(rest, "隐私权政策") || strings.HasPrefix(rest, "个人信息保护") || strings.HasPrefix(rest, "privacy") {
			for _, id := range m.n.sdks {
				x.addSDK(id, "table", because(ev(m.word), RuleLinkLabel))
				ids = append(ids, id)
			}
		}
	}
	return ids
}

// genericProductName reports a name cell that only says what kind of SDK
// it is (号码认证SDK, 推送SDK, 统计分析SDK): the row's company then says
// whose.
func (x *extractor) genericProductName(name string) bool {
	rest := strings.TrimSuffix(strings.TrimSuffix(name, "sdk"), " ")
	if rest == "" || rest == name || x.namesSomething(rest) {
		// 京东支付SDK names its brand: a product of JD's the rules may
		// not know, not a kind of SDK.
		return false
	}
	for cat, words := range categoryWords {
		if cat == "other" {
			continue
		}
		for _, w := range words {
			if hasHan(w) && strings.Contains(rest, w) && runeLen(strings.Replace(rest, w, "", 1)) <= 2 {
				return true
			}
		}
	}
	return false
}

// bundledRe finds where a row lists the SDKs another SDK brings along
// (YSDK集成的SDK含有：腾讯开放平台、腾讯QQ钱包).
var bundledRe = regexp.MustCompile(`(?:集成|内置|内含|包含|引入)的(?:第三方)?sdk(?:含有|包含|包括|有|为)[:：]?`)

// bundled declares the SDKs a cell lists as brought along by the row's
// SDK: they are in the app as much as the SDK that carries them.
func (x *extractor) bundled(text string, ev func(string) Evidence) {
	folded := fold(blankURLs(text))
	loc := bundledRe.FindStringIndex(folded)
	if loc == nil {
		return
	}
	tail := folded[loc[1]:]
	// The list ends at the next sentence: "Facebook SDK 当您使用Udesk…".
	if i := strings.IndexAny(tail, "。;；"); i >= 0 {
		tail = tail[:i]
	}
	if len(tail) > 120 {
		n := 120
		for n > 0 && !utf8.RuneStart(tail[n]) {
			n--
		}
		tail = tail[:n]
	}
	for _, w := range []string{"当您", "当你", "sdk公司", "公司：", "隐私政策"} {
		if i := strings.Index(tail, w); i >= 0 {
			tail = tail[:i]
		}
	}
	c := clause{folded: tail, compact: compact(tail)}
	for _, m := range x.lx.matchNames(c, tail, true, false) {
		if m.negated || x.self[m.n] || len(m.n.sdks) == 0 {
			continue
		}
		for _, id := range m.n.sdks {
			x.addSDK(id, "table", because(ev(m.word), RuleBundled))
		}
	}
}

// gameChannelWords say a vendor is named as a game's distribution channel.
var gameChannelWords = []string{"渠道", "联运", "游戏"}

// channelPayWords are payment words: a store's channel SDK signs users in
// and takes their payments, its account SDK only signs them in.
var channelPayWords = []string{"支付", "充值", "付费", "计费"}

// userChoiceRe starts a clause about what the user may do (您可以通过关闭
// 推送的方式停止使用该功能): a "stop using" there is the user's choice,
// not a statement of what the SDK is not for.
var userChoiceRe = regexp.MustCompile(`^(?:您|你|用户)(?:也)?(?:可以|可|能够|有权)|^(?:如|若|如果)(?:您|你)`)

// withoutUserChoices drops the clauses of compact text that say what the
// user may do.
func withoutUserChoices(hay string) string {
	if !strings.Contains(hay, "您") && !strings.Contains(hay, "你") && !strings.Contains(hay, "用户") {
		return hay
	}
	var b strings.Builder
	for _, part := range strings.FieldsFunc(hay, func(r rune) bool { return r == '，' || r == ',' || r == '；' || r == ';' || r == '。' }) {
		if !userChoiceRe.MatchString(part) {
			b.WriteString(part)
			b.WriteByte(',')
		}
	}
	return b.String()
}

// gameChannel returns the candidates that are a vendor's game-channel SDK
// when the context speaks of a game's channel.
func (x *extractor) gameChannel(context string, fit []string) []string {
	if !containsAny(compact(context), gameChannelWords) {
		return nil
	}
	var out []string
	for _, id := range fit {
		r, ok := x.lx.db.SDK(id)
		if !ok {
			continue
		}
		if strings.Contains(id, "game") || slices.ContainsFunc(r.Aliases, func(a string) bool { return containsAny(a, gameChannelWords) }) {
			out = append(out, id)
		}
	}
	return out
}

// partsByPurpose declares the modules of an SDK named as a whole (微信SDK,
// 友盟SDK) whose kind the words around name and the SDK's own kind does
// not (使用目的：登录、支付、分享 → WeChat Pay; 用途：数据统计分析 → Umeng
// analytics, when the umbrella is the common module): the row says which
// parts the app uses.
func (x *extractor) partsByPurpose(id, context string, ev Evidence) (added []string) {
	parts := x.lx.parts[id]
	if len(parts) == 0 {
		return nil
	}
	r, ok := x.lx.db.SDK(id)
	if !ok {
		return nil
	}
	// 支付宝 names Alipay, not a payment purpose.
	hay := strings.ReplaceAll(compact(context), "支付宝", "")
	if runeLen(hay) > 160 || negationRe.MatchString(withoutUserChoices(hay)) {
		// A paragraph names many things; a row or a short record says
		// what this SDK is for — unless it says what it is not for
		// (仅用于微信登录，不会获取您的微信支付信息).
		return nil
	}
	// A base module (友盟基础组件) shares its kind with the product the
	// purpose names; another umbrella's same-kind parts are covered by it.
	base := baseModule(r)
	fit := map[string][]string{}
	var kinds []string
	for _, p := range parts {
		s, ok := x.lx.db.SDK(p)
		if !ok || s.Category == r.Category && !base || !partPurposes[s.Category] {
			continue
		}
		if containsAny(hay, categoryCompact[s.Category]) {
			if fit[s.Category] == nil {
				kinds = append(kinds, s.Category)
			}
			fit[s.Category] = append(fit[s.Category], p)
		}
	}
	for _, k := range kinds {
		if len(fit[k]) > 1 {
			// 华为HMS SDK | 统计: three Huawei analytics kits fit; the
			// row names none of them — unless the words name some
			// ("crash and performance": Crashlytics and Performance
			// Monitoring, the two Firebase parts of that kind).
			// The umbrella is then named as the family the parts come
			// from, and its base is declared with them.
			named := x.partsNamedByWords(fit[k], k, r, hay)
			for _, p := range named {
				x.addSDK(p, "name", because(ev, RulePartByPurpose))
			}
			if len(named) > 0 && !x.namesAnyOf(named, context) {
				x.addSDK(id, "name", because(ev, RuleFamily))
			}
			continue
		}
		x.addSDK(fit[k][0], "name", because(ev, RulePartByPurpose))
		added = append(added, fit[k][0])
	}
	return added
}

// isASCII reports whether a word is all ASCII (a Latin kind word, compared
// with a product's English name).
func isASCII(w string) bool {
	for i := 0; i < len(w); i++ {
		if w[i] >= 0x80 {
			return false
		}
	}
	return true
}

// namesAnyOf reports whether the folded text holds the name of one of
// the SDKs ("Crashlytics by Firebase": the part is named, Firebase is only
// its owner).
func (x *extractor) namesAnyOf(ids []string, folded string) bool {
	c := clause{folded: folded, compact: compact(folded)}
	for _, m := range x.lx.matchNames(c, folded, true, false) {
		for _, id := range m.n.sdks {
			if slices.Contains(ids, id) {
				return true
			}
		}
	}
	return false
}

// partsNamedByWords picks, among an umbrella's parts of one kind, those
// whose own English name holds a word of the compact context that the
// umbrella's name does not: a kind's word inside the name (crash in
// Crashlytics) or a name's word in the context (performance).
func (x *extractor) partsNamedByWords(parts []string, kind string, umbrella *rules.SDK, hay string) []string {
	own := strings.ToLower(umbrella.Name.EN)
	var out []string
	for _, p := range parts {
		s, ok := x.lx.db.SDK(p)
		if !ok {
			continue
		}
		name := strings.ToLower(s.Name.EN)
		hit := false
		zh := compact(fold(s.Name.ZH))
		for _, cn := range x.lx.folded[p] {
			zh += " " + cn
		}
		for _, w := range categoryCompact[kind] {
			if len(w) >= 4 && isASCII(w) && strings.Contains(name, w) && strings.Contains(hay, w) {
				hit = true
			}
			// 一键登录 in 秒验一键登录: a Chinese kind word in the part's name.
			if hasHan(w) && runeLen(w) >= 2 && strings.Contains(zh, w) && strings.Contains(hay, w) {
				hit = true
			}
		}
		for _, w := range strings.Fields(name) {
			if len(w) >= 6 && !strings.Contains(own, w) && strings.Contains(hay, w) {
				hit = true
			}
		}
		if hit {
			out = append(out, p)
		}
	}
	return out
}

// bareBase reports whether an SDK is a base module (友盟基础组件, JCore,
// Firebase, HMS Core) named by a word without "SDK": the brand, which a
// policy uses for the product it goes on to describe. 友盟SDK names the
// base itself.
func (x *extractor) bareBase(id, word string) bool {
	r, ok := x.lx.db.SDK(id)
	if !ok || strings.Contains(compact(fold(word)), "sdk") {
		return false
	}
	return baseModule(r)
}

// baseModule reports an SDK that is the shared base of its vendor's
// products (友盟基础组件, Firebase common, JCore, HMS Core).
func baseModule(r *rules.SDK) bool {
	en := strings.ToLower(r.Name.EN)
	return strings.Contains(r.Name.ZH, "基础") || strings.Contains(en, "common") || strings.Contains(en, "core")
}

// partPurposes are the module kinds a purpose cell names unmistakably.
var partPurposes = map[string]bool{"payment": true, "analytics": true, "push": true, "share": true, "one-click-login": true, "hotfix": true, "crash": true, "face-identity": true}

// paymentAccount reports a payment product's name followed by 账号 or 账户
// (微信支付账号, 支付宝账户): the user's account with that service, which
// the operator records for payouts, not the payment SDK in the app.
// featureUseRe finds the template's feature item that lists services the
// user can use ("（10）基于NFC的功能：您可使用云闪付、工银芯管家等服务").
var featureUseRe = regexp.MustCompile(`基于[^,;。:]{1,16}?的(?:附加)?功能[:：]?(?:您|你)可(?:以)?使用`)

// featureService reports whether a name is one of the services a feature
// item says the user can use: a service or app, not an SDK in the app.
func (x *extractor) featureService(m nameMatch, c clause) bool {
	if !m.han {
		return false
	}
	// Once per clause: a hostile clause names a vendor once per company.
	if len(c.compact) != len(x.featureCtx) || c.compact != x.featureCtx || !x.featureDone {
		x.featureCtx, x.featureDone, x.featureLoc = c.compact, true, featureUseRe.FindStringIndex(c.compact)
	}
	return x.featureLoc != nil && m.at >= x.featureLoc[1]
}

func (x *extractor) paymentAccount(m nameMatch, c clause) bool {
	if !m.han || len(m.n.sdks) == 0 {
		return false
	}
	hay := c.compact
	if m.at+m.size > len(hay) {
		return false
	}
	rest := hay[m.at+m.size:]
	// "通过支付宝、微信进行提现": cash paid out to the user's account with
	// the service, a transfer on the operator's side.
	payout := containsAny(hay, []string{"提现", "提款"}) && !containsAny(hay, []string{"sdk", "集成", "接入"})
	if !payout && !strings.HasPrefix(rest, "账号") && !strings.HasPrefix(rest, "账户") && !strings.HasPrefix(rest, "帐号") && !strings.HasPrefix(rest, "帐户") {
		return false
	}
	for _, id := range m.n.sdks {
		if r, ok := x.lx.db.SDK(id); !ok || r.Category != "payment" {
			return false
		}
	}
	return true
}

// mapWords say a map is shown or searched, not only a position read.
var mapWords = []string{"地图", "导航", "路线", "路径", "周边", "地点", "地理编码", "poi", "map", "navigat", "route", "places"}

// locationWords say the position is what the product is for.
var locationWords = []string{"定位", "经纬度", "位置信息", "位置权限", "地理位置", "获取位置", "当前位置", "您的位置", "你的位置", "用户位置", "用户的位置", "所在位置", "位置服务", "your location", "current location", "user location", "positioning", "locate the user"}

// locationSibling returns the vendor's location SDK when a map product's
// name (高德地图, 高德开放平台, 百度地图) is used for positioning alone:
// the name goes on with 定位 (百度地图定位SDK), or, unless the name is the
// map SDK's full name, the words around speak of the position and never
// of a map. Policies name the vendor's best
// known brand for its location SDK; a map SDK declared instead would
// leave the location SDK the app embeds undeclared.
func (x *extractor) locationSibling(id string, m nameMatch, c clause, context string) string {
	after := ""
	if m.han && m.at+m.size <= len(c.compact) {
		after = c.compact[m.at+m.size:]
	}
	return x.locationSiblingIn(id, m.n.text, after, compact(context))
}

// mapWordRe is "map" as a word of an English product name.
var mapWordRe = regexp.MustCompile(`(?i)\bmaps?\b`)

// locationSiblingIn is locationSibling for the name (compact, "" for a
// vendor mention) followed by after, in the compact context hay.
func (x *extractor) locationSiblingIn(id, name, after, hay string) string {
	r, ok := x.lx.db.SDK(id)
	// "map" as a word: the "Map" of AMap names no map SDK (AMap search).
	if !ok || r.Category != "map-location" || !(strings.Contains(r.Name.ZH, "地图") || mapWordRe.MatchString(r.Name.EN)) {
		return ""
	}
	sib := ""
	for _, s := range x.lx.db.SDKsByVendor(r.Vendor) {
		if s.ID != id && s.Category == r.Category && s.Kind == "sdk" && strings.Contains(s.Name.ZH, "定位") {
			if sib != "" {
				return ""
			}
			sib = s.ID
		}
	}
	if sib == "" {
		return ""
	}
	if strings.HasPrefix(after, "定位") {
		return sib
	}
	if strings.HasSuffix(name, "sdk") && (strings.Contains(name, "地图") || strings.Contains(name, "map")) {
		// 百度地图SDK is the map SDK's full name: the policy chose it.
		// 高德SDK is the brand's: what it is used for says which.
		return ""
	}
	if name != "" {
		hay = strings.ReplaceAll(hay, name, "")
	}
	if containsAny(hay, locationCompact) && !containsAny(hay, mapCompact) {
		return sib
	}
	return ""
}

// brandOfNext reports whether a vendor's brand is written directly before
// the name of one of the clause's products of that vendor, as its first
// word.
func (x *extractor) brandOfNext(m nameMatch, c clause, products []*name) bool {
	if len(m.n.vendors) == 0 {
		return false
	}
	rest := c.folded
	if m.han {
		rest = c.compact
	}
	if m.at+m.size > len(rest) {
		return false
	}
	rest = strings.TrimLeft(rest[m.at+m.size:], " ")
	for _, o := range products {
		if o == m.n || !strings.HasPrefix(rest, o.text) {
			continue
		}
		for _, id := range o.sdks {
			if r, ok := x.lx.db.SDK(id); ok && slices.Contains(m.n.vendors, r.Vendor) {
				return true
			}
		}
	}
	return false
}

// integrateVerbs say that code is put into the app.
var integrateVerbs = []string{"集成", "接入", "嵌入", "引入"}

// vendorMention declares the vendor and, of its SDKs, those the context
// fits; a vendor with a single SDK needs no context.
func (x *extractor) vendorMention(vendor, context, near string, ev Evidence) []string {
	return x.vendorFit(vendor, context, near, false, ev)
}

// vendorFit is vendorMention; strict asks the context to fit even a
// vendor's only SDK.
func (x *extractor) vendorFit(vendor, context, near string, strict bool, ev Evidence) []string {
	// The company's own name says nothing of which product the app
	// embeds: 北京快手广告有限公司 is no ad purpose.
	if v, ok := x.lx.db.Vendor(vendor); ok {
		for _, ln := range v.LegalNames {
			context = strings.ReplaceAll(context, fold(ln), " ")
		}
	}
	// Nor do other owners' names: the 安全 of 移动安全联盟 is no security
	// purpose of Huawei's.
	names := x.kindNames(context)
	context, near = x.withoutOtherNames(vendor, context, names), x.withoutOtherNames(vendor, near, names)
	var cands, old []string
	for _, s := range x.lx.db.SDKsByVendor(vendor) {
		if mentionable(s, context) {
			if s.Discontinued {
				old = append(old, s.ID)
				continue
			}
			cands = append(cands, s.ID)
		}
	}
	if len(cands) == 0 {
		// A vendor whose products are all discontinued still means one
		// of them.
		cands = old
	}
	if len(cands) == 0 {
		// A group's parent that ships nothing itself (字节跳动) means the
		// products of the companies it owns.
		for _, s := range x.subsidiarySDKs(vendor, context) {
			cands = append(cands, s.ID)
		}
	}
	var fit []string
	if len(cands) == 1 && !strict && (strings.Contains(context, "sdk") || x.fitsSDK(context, cands[0])) && !x.otherKindOnly(context, cands[0]) {
		// A vendor with one SDK needs no narrowing, but the sentence
		// must still be about an SDK or what it does: 京东广告API or
		// 京东联盟 names JD, not its Kepler SDK.
		fit = cands
	} else if len(cands) > 1 || strict {
		for _, id := range cands {
			s, _ := x.lx.db.SDK(id)
			if x.fitsContext(s, context) || strict && containsAny(compact(context), productKindCompact[s.Category]) {
				fit = append(fit, id)
			}
		}
		if len(fit) == 0 && strict {
			// Product words ("阿里云统计SDK") that fit none of the vendor's
			// current products may name one it has since discontinued:
			// the policy is older than the product's end.
			for _, id := range old {
				s, _ := x.lx.db.SDK(id)
				if x.fitsContext(s, context) {
					fit = append(fit, id)
				}
			}
		}
		if len(fit) > 1 {
			// A product whose own words are said beats those that fit
			// only by their category's words: "热修复" is Tinker's, though
			// Bugly's upgrade module is a hot-fix SDK too.
			// Only within one category: "联运和广告SDK" names the store's
			// game SDK and its ads SDK.
			ownCat := map[string]bool{}
			for _, id := range fit {
				if s, _ := x.lx.db.SDK(id); x.fitsOwn(s, context) {
					ownCat[s.Category] = true
				}
			}
			if len(ownCat) > 0 {
				fit = slices.DeleteFunc(fit, func(id string) bool {
					s, _ := x.lx.db.SDK(id)
					return ownCat[s.Category] && !x.fitsOwn(s, context)
				})
			}
		}
		if len(fit) > 1 && !containsAny(compact(context), gameChannelWords) && !containsAny(compact(context), channelPayWords) {
			// A product with words of its own (a store's joint-operation
			// game SDK: 联运, 游戏渠道) is meant only where they are said;
			// "第三方账号（微博、小米）登录" is the vendor's account SDK. A
			// game's channel, or sign-in together with payment (what a
			// channel SDK gives), is gameChannel's to read.
			var plain []string
			for _, id := range fit {
				if s, _ := x.lx.db.SDK(id); len(s.FitsWords) == 0 || x.fitsOwn(s, context) {
					plain = append(plain, id)
				}
			}
			if len(plain) > 0 {
				fit = plain
			}
		}
		if len(fit) > 1 && near != "" {
			var closer []string
			for _, id := range fit {
				s, _ := x.lx.db.SDK(id)
				if x.contextFits(near, s.Category) || x.fitsOwn(s, near) {
					closer = append(closer, id)
				}
			}
			if len(closer) > 0 && len(closer) < len(fit) {
				fit = closer
			}
		}
	}
	if len(fit) == 0 && strict {
		// Nothing of the parent's own fits the product words after its
		// brand, but one product of a company it owns does (阿里语音合成:
		// Alibaba Cloud's speech SDK).
		var sub []string
		for _, s := range x.subsidiarySDKs(vendor, context) {
			// Security words (安全, 风控) fit some product of any group:
			// they pick no subsidiary's.
			if s.Category != "risk-control" && s.Category != "security" && x.fitsContext(s, context) {
				sub = append(sub, s.ID)
			}
		}
		if len(sub) == 1 {
			fit = sub
		}
	}
	// A module whose parent also fits is covered by the parent — unless
	// product words chose it (极光站内消息PUSH SDK is JPush, not JCore):
	// then the parent is the one covered.
	if len(fit) > 1 {
		top := fit[:0:0]
		for _, id := range fit {
			s, _ := x.lx.db.SDK(id)
			if strict {
				child := false
				for _, o := range fit {
					if os, _ := x.lx.db.SDK(o); os != nil && os.Parent == id {
						child = true
					}
				}
				if !child {
					top = append(top, id)
				}
				continue
			}
			if s == nil || !slices.Contains(fit, s.Parent) {
				top = append(top, id)
			}
		}
		fit = top
	}
	decided := false
	if len(fit) > 1 {
		// 百度SDK "为您提供附近营业厅位置查询…与位置有关的服务": the vendor's
		// map, navigation and location SDKs all fit; in a sentence about
		// an SDK, location words without map or navigation words say it
		// is the location SDK, and location and map words together (会收集
		// 您的地理位置信息以便向您展示基于地图的信息服务) its map and location
		// SDKs.
		hay := compact(context)
		if strings.Contains(hay, "sdk") && containsAny(hay, locationCompact) && !containsAny(hay, naviCompact) {
			withMap := containsAny(hay, mapCompact)
			var keep []string
			for _, id := range fit {
				r, ok := x.lx.db.SDK(id)
				if !ok || r.Category != "map-location" {
					continue
				}
				loc := strings.Contains(r.Name.ZH, "定位") || strings.Contains(r.Name.EN, "Location")
				mp := strings.Contains(r.Name.ZH, "地图") || mapWordRe.MatchString(r.Name.EN)
				if loc || withMap && mp {
					keep = append(keep, id)
				}
			}
			if len(keep) > 0 && (!withMap || len(keep) == 2) {
				fit = slices.DeleteFunc(fit, func(id string) bool {
					r, _ := x.lx.db.SDK(id)
					return r.Category == "map-location" && !slices.Contains(keep, id)
				})
				decided = withMap
			}
		}
	}
	if len(fit) > productGuessLimit && strict {
		// 腾讯云移动直播SDK fits IM, TRTC and GME alike: the rules do
		// not know the product, and guessing declares what the policy
		// never named.
		fit = nil
	}
	if len(fit) > 1 && !strict && !decided {
		// Several of the vendor's products fit (谷歌 | 数据分析: Firebase
		// Analytics or Google Analytics): the policy named the vendor,
		// not a product. Only the product that carries the vendor's own
		// brand (TalkingData) is what a bare mention of the vendor means;
		// without one, guessing would declare products it never named.
		if g := x.gameChannel(context, fit); len(g) == 1 {
			// "对通过Vivo渠道进入游戏的玩家，提供账号登录、支付": a game's
			// channel SDK, not the vendor's account or push SDK.
			fit = g
		} else if b := x.brandProduct(vendor, fit); len(b) == 1 {
			fit = b
		} else {
			// "统计崩溃日志服务": crash statistics. 统计 fits every
			// analytics product; one product of a narrower kind that fits
			// too is the one the words are about.
			var narrow []string
			for _, id := range fit {
				if r, ok := x.lx.db.SDK(id); ok && r.Category != "analytics" {
					narrow = append(narrow, id)
				}
			}
			fit = nil
			if len(narrow) == 1 {
				fit = narrow
			}
		}
	}
	hay := compact(context)
	for i, id := range fit {
		if loc := x.locationSiblingIn(id, "", "", hay); loc != "" && !slices.Contains(fit, loc) {
			fit[i] = loc
		}
	}
	v := x.recordVendor(vendor, ev)
	for _, id := range fit {
		if !slices.Contains(v.SDKs, id) {
			v.SDKs = append(v.SDKs, id)
		}
		x.addSDK(id, "vendor", because(ev, RuleVendorContext))
	}
	return fit
}

// brandProduct returns the one candidate whose names include the vendor's
// brand, or nothing.
func (x *extractor) brandProduct(vendor string, cands []string) []string {
	v, ok := x.lx.db.Vendor(vendor)
	if !ok {
		return nil
	}
	var brands []string
	for _, b := range []string{v.Brand.EN, v.Brand.ZH} {
		if b != "" {
			brands = append(brands, compact(fold(b)))
		}
	}
	var out []string
	for _, id := range cands {
		r, ok := x.lx.db.SDK(id)
		if !ok {
			continue
		}
		for _, cn := range x.lx.folded[r.ID] {
			if slices.Contains(brands, cn) {
				out = append(out, id)
				break
			}
		}
	}
	if len(out) != 1 {
		return nil
	}
	return out
}

const (
	permFineLocation       = "android.permission.ACCESS_FINE_LOCATION"
	permCoarseLocation     = "android.permission.ACCESS_COARSE_LOCATION"
	permBackgroundLocation = "android.permission.ACCESS_BACKGROUND_LOCATION"
)

var bracketRe = regexp.MustCompile(`[（(][^（）()]*[）)]`)

func (x *extractor) hasLiteralPermission(text string) bool {
	for _, m := range permLiteral.FindAllStringSubmatch(text, -1) {
		if len(x.lx.permShort[m[1]]) > 0 || strings.HasPrefix(m[0], permPrefix) {
			return true
		}
	}
	return false
}

// literalPermission declares a permission named literally, or records it
// as denied when the text read is a denial (a table of permissions the
// line before it says were removed).
func (x *extractor) literalPermission(name string, ev Evidence) {
	if x.negated {
		x.addDenial("permission", name, because(ev, RuleNegation))
		return
	}
	x.addPermission(name, ev)
}

func (x *extractor) literalPermissions(orig string, ev func(string) Evidence) {
	// Permissions of other namespaces written in full (com.htc.launcher.
	// permission.READ_SETTINGS, com.google.android.c2dm.permission.RECEIVE)
	// are exact as written; their last word must not then be read as the
	// AOSP or launcher permission of that short name.
	if strings.Contains(orig, ".permission.") {
		var read [][]int
		for _, loc := range foreignPermRe.FindAllStringIndex(orig, 64) {
			m := orig[loc[0]:loc[1]]
			if strings.HasPrefix(m, permPrefix) || strings.HasPrefix(m, "ohos.") {
				// HarmonyOS names stand for the Android permission of
				// the same word, read below.
				continue
			}
			x.literalPermission(m, because(ev(m), RuleLiteral))
			read = append(read, loc)
		}
		orig = blankSpans(orig, read)
	}
	// "ACCESS WIFI STATE – …": the name written with spaces for its
	// underscores is as exact as the name itself.
	if strings.Contains(orig, " ") {
		var read [][]int
		for _, loc := range spacedPermRe.FindAllStringIndex(orig, 64) {
			m := orig[loc[0]:loc[1]]
			known := x.lx.permShort[strings.Join(strings.Fields(m), "_")]
			if len(known) == 0 {
				continue
			}
			for _, p := range known {
				x.literalPermission(p, because(ev(m), RuleLiteral))
			}
			read = append(read, loc)
		}
		orig = blankSpans(orig, read)
	}
	for _, m := range permLiteral.FindAllStringSubmatch(orig, -1) {
		known := x.lx.permShort[m[1]]
		if !strings.Contains(m[0], "_") && !strings.HasPrefix(m[0], permPrefix) {
			// A bare capitalised word (ACCESS, BILLING) is English, not
			// the last word of another namespace's permission.
			known = slices.DeleteFunc(slices.Clone(known), func(p string) bool { return !strings.HasPrefix(p, permPrefix) })
		}
		if len(known) == 0 && strings.HasPrefix(m[0], permPrefix) {
			// A fully qualified name the database does not know yet
			// (a permission newer than the rules) is still exact: the
			// policy names what the manifest would request — unless it
			// is one letter away from a known name (ACCESS_NETWORK_STAT),
			// a typo of that name.
			if near := x.lx.nearPermission(m[1]); near != "" {
				known = x.lx.permShort[near]
			} else {
				known = []string{m[0]}
			}
		}
		for _, p := range known {
			x.literalPermission(p, because(ev(m[0]), RuleLiteral))
		}
	}
}

const permPrefix = "android.permission."

// spacedPermRe finds an upper-case name of two to six words written with
// spaces (or a tab) where the permission has underscores.
var spacedPermRe = regexp.MustCompile(`\b[A-Z][A-Z0-9]+(?:[ \t][A-Z][A-Z0-9]+){1,5}\b`)

// foreignPermRe finds a permission name written in full in any namespace:
// lower-case package words, "permission", then the upper-case name.
var foreignPermRe = regexp.MustCompile(`\b(?:[a-z][a-z0-9_]*\.)+permission\.[A-Z][A-Z0-9_]*[A-Z0-9]\b`)

// companies records legal-entity names that no rule resolves.
func (x *extractor) companies(orig string, ev func(string) Evidence) {
	pieces := strings.FieldsFunc(orig, func(r rune) bool {
		return strings.ContainsRune("、，,；;：:（）()【】[]“”\"「」《》 \t/", r)
	})
	for _, p := range pieces {
		if !companyRe.MatchString(p) {
			continue
		}
		if loc := regionAnchor.FindStringIndex(p); loc != nil {
			p = p[loc[0]:]
		}
		// A prose fragment that happens to end in 集团 is not a name.
		if runeLen(p) < 5 || runeLen(p) > 40 || strings.ContainsAny(p, "的和或及与您我你包含等") {
			continue
		}
		x.unresolvedName(p, ev(p))
	}
	for _, m := range companyEnRe.FindAllString(orig, -1) {
		x.unresolvedName(m, ev(m))
	}
}

// blankSpans replaces the bytes of each span with spaces, so a name already
// read is not read again as a shorter one while offsets stay valid.
func blankSpans(s string, spans [][]int) string {
	if len(spans) == 0 {
		return s
	}
	b := []byte(s)
	for _, sp := range spans {
		for i := sp[0]; i < sp[1]; i++ {
			b[i] = ' '
		}
	}
	return string(b)
}

func (x *extractor) unresolvedName(n string, ev Evidence) {
	c := clause{folded: fold(n)}
	c.compact = compact(c.folded)
	if len(x.lx.matchNames(c, n, true, false)) > 0 {
		return
	}
	u := x.unres[n]
	if u == nil {
		u = &ThirdParty{Name: n}
		x.unres[n] = u
	}
	if len(u.Evidence) < maxEvidence {
		u.Evidence = append(u.Evidence, ev)
	}
}

// Column roles of an SDK or permission table.
const (
	roleName    = "name"
	roleCompany = "company"
	rolePurpose = "purpose"
	roleData    = "data"
	rolePerm    = "permission"
	roleLink    = "link"
)

// roleWords are checked in order: a header such as 收集个人信息类型 is a data
// column even though it contains 信息; 第三方公司名称 is a company column
// even though it contains 名称.
var roleWords = []struct {
	role  string
	words []string
}{
	{roleLink, []string{"链接", "隐私政策", "隐私权政策", "官网", "网址", "官方网站", "link", "url", "policy", "website", "homepage"}},
	{rolePerm, []string{"权限", "permission"}},
	{roleData, []string{"收集", "个人信息", "数据类型", "信息类型", "信息名称", "字段", "获取信息", "获取的信息", "采集", "共享信息", "共享的信息", "涉及信息", "处理信息", "data", "information"}},
	{rolePurpose, []string{"目的", "用途", "场景", "功能", "服务类型", "服务内容", "业务类型", "purpose", "usage", "use case", "function"}},
	{roleCompany, []string{"公司", "主体", "机构", "提供方", "运营方", "提供者", "开发者", "厂商", "company", "vendor", "provider", "developer", "entity", "operator"}},
	{roleName, []string{"sdk", "第三方", "名称", "产品", "合作方", "服务", "name", "partner", "service", "third party", "library"}},
}

func columnRoles(cells []string) map[int]string {
	roles := map[int]string{}
	taken := map[string]bool{}
	for i, c := range cells {
		f := compact(fold(c))
		if f == "" || runeLen(f) > 20 {
			continue
		}
		if r := partyRole(f); r != "" && !taken[r] {
			roles[i], taken[r] = r, true
			continue
		}
		for _, rw := range roleWords {
			if taken[rw.role] {
				continue
			}
			if containsAny(f, rw.words) {
				roles[i] = rw.role
				taken[rw.role] = true
				break
			}
		}
	}
	return roles
}

// partyRole is the role of a label that names who collects (收集主体,
// 收集方): the party, although the label also says 收集.
func partyRole(label string) string {
	for _, w := range []string{"收集主体", "收集方", "处理主体", "接收方"} {
		if strings.Contains(label, w) {
			return roleCompany
		}
	}
	return ""
}

// noCells are the answers a "collected?" column gives for a row the app
// does not collect.
var noCells = map[string]bool{"no": true, "none": true, "not collected": true, "never": true, "否": true, "无": true, "不收集": true, "未收集": true, "不涉及": true, "不使用": true, "未使用": true, "✗": true, "×": true, "❌": true, "✘": true}

// rowDenies reports whether a row's second cell, the answer column of a
// data table, says No.
func rowDenies(cell string) bool {
	c := strings.ToLower(strings.Trim(strings.TrimSpace(cell), "*_.。 "))
	return noCells[c]
}

// row handles one table row.
// prev is the previous row's cells by role: a purpose or company cell left
// blank under one that was filled (a merged cell exported without rowspan)
// takes its value. It returns this row's cells.
func (x *extractor) row(file string, line int, b Block, roles map[int]string, heading string, prev map[string]string) map[string]string {
	ev := func(matched string) Evidence {
		return Evidence{File: file, Line: line, Text: clip(b.Text, 200), Matched: matched}
	}
	cell := map[string]string{}
	for i, c := range b.Cells {
		if r, ok := roles[i]; ok {
			cell[r] = c
		}
	}
	if x.negated {
		// A row of a table the text before it denies ("the following
		// permissions (removed in v0.10.0):") names what is not used.
		x.sentence(file, line, b.Text, heading)
		return cell
	}
	// Tables whose "第三方名称" column holds the company and whose first
	// column (功能类型) holds the SDK: the cell naming an SDK is the name.
	if n := strings.TrimSpace(cell[roleName]); n != "" && !strings.Contains(strings.ToLower(n), "sdk") && (companyRe.MatchString(n) || !x.namesSomething(n)) {
		pick := -1
		for i, c := range b.Cells {
			// A short cell in a column with no role (or one headed 功能类型)
			// that is a product's name (Okio, BumpTechGlide) is the name.
			if (roles[i] == "" || roles[i] == rolePurpose) && runeLen(c) <= 24 && x.namesSDK(c) {
				pick = i
				break
			}
		}
		for i, c := range b.Cells {
			if pick >= 0 {
				break
			}
			// "SDK本机采集" is how the data leaves, not a name.
			if r := roles[i]; (r == "" || r == rolePurpose) && strings.Contains(strings.ToLower(c), "sdk") && runeLen(c) <= 40 && !containsAny(c, []string{"采集", "收集", "共享", "传输"}) {
				pick = i
				break
			}
		}
		if pick >= 0 {
			if cell[roleCompany] == "" {
				cell[roleCompany] = n
			}
			cell[roleName] = b.Cells[pick]
		}
	}
	if cell[roleName] != "" {
		for _, r := range []string{rolePurpose, roleCompany} {
			if strings.TrimSpace(cell[r]) == "" && prev[r] != "" {
				cell[r] = prev[r]
			}
		}
	}
	sdkTable := cell[roleName] != "" || cell[roleCompany] != ""
	if !sdkTable && len(b.Cells) >= 2 && rowDenies(b.Cells[1]) {
		// "| Precise location data | No | N/A |": a table of what is
		// collected answers No for this row, so the row is a denial.
		was := x.negated
		x.negated = true
		x.sentence(file, line, b.Text, heading)
		x.negated = was
		return cell
	}
	if !sdkTable {
		// A permission list, or a table we cannot read by columns: every
		// cell may name a permission, and no context is needed.
		isPerm := false
		for _, r := range roles {
			isPerm = isPerm || r == rolePerm
		}
		role := ""
		if isPerm {
			role = rolePerm
		}
		for i, c := range b.Cells {
			// In a permission list the other columns are purposes and
			// scenes (拍摄照片, 同步心率): only literal names count there.
			if isPerm && roles[i] != rolePerm {
				x.literalPermissions(c, ev)
				continue
			}
			x.cellTerms(c, role, b.Text, ev)
			x.literalPermissions(c, ev)
		}
		if !isPerm {
			x.sentence(file, line, b.Text, heading)
		}
		return cell
	}
	var data, perms []string
	if c := cell[roleData]; c != "" {
		data, _ = x.cellTerms(c, roleData, b.Text, ev)
		// With no permission cell, the capabilities a data cell names
		// (位置信息, 摄像头, 外部存储) are what the SDK asks the user for;
		// a permission cell, even one saying 无, is the row's answer.
		if !hasPermColumn(roles) {
			perms = append(perms, x.dataCellPermissions(c, ev, false)...)
		} else if pc := strings.TrimSpace(cell[rolePerm]); pc != "" && !rowDenies(pc) {
			perms = append(perms, x.dataCellPermissions(c, ev, true)...)
		}
	}
	if c := cell[rolePerm]; c != "" {
		_, p := x.cellTerms(c, rolePerm, b.Text, ev)
		perms = append(perms, p...)
		for _, m := range permLiteral.FindAllStringSubmatch(c, -1) {
			for _, p := range x.lx.permShort[m[1]] {
				x.addPermission(p, because(ev(m[0]), RuleLiteral))
				perms = append(perms, p)
			}
		}
	}
	var ids []string
	nameCell := clause{folded: fold(cell[roleName])}
	nameCell.compact = compact(nameCell.folded)
	cellNames := x.lx.matchNames(nameCell, cell[roleName], true, false)
	// A name in another sense here (头条 inside 趣头条) names nobody.
	cellNames = slices.DeleteFunc(cellNames, func(m nameMatch) bool { return nameVetoed(m.n.text, nameCell) != nil })
	namesProduct := false
	for _, m := range cellNames {
		namesProduct = namesProduct || len(m.n.sdks) > 0 && !m.negated && !x.self[m.n]
	}
	unknownOf := map[string]bool{}
	// A row named only by a vendor ("腾讯SDK") whose purpose names the
	// product ("腾讯云移动直播") is that product's: the vendor's mention is
	// not narrowed by the purpose's words as well.
	bareVendor := !namesProduct && len(cellNames) > 0 && sdkWordRe.MatchString(nameCell.compact) && x.namesSDK(cell[rolePurpose])
	for _, m := range cellNames {
		if m.negated || x.self[m.n] {
			continue
		}
		if bareVendor && len(m.n.sdks) == 0 {
			x.recordVendors(m.n.vendors, ev(m.word))
			continue
		}
		if namesProduct && len(m.n.sdks) == 0 {
			// "QQ（腾讯移动开放平台 SDK）": the row is QQ's; the company
			// named beside it is its operator, not more products.
			x.recordVendors(m.n.vendors, ev(m.word))
			continue
		}
		if got, ok := x.productOf(m, ev(m.word)); ok {
			ids = append(ids, got...)
			if len(got) == 0 {
				// 腾讯RTMP推流sdk: a product of the vendor the rules do
				// not know; the cell's other mentions of the vendor
				// (腾讯视频通信功能) describe it.
				for _, v := range m.n.vendors {
					unknownOf[v] = true
				}
			}
			continue
		}
		ids = append(ids, m.n.sdks...)
		if len(m.n.sdks) == 0 {
			for _, v := range m.n.vendors {
				if unknownOf[v] {
					x.recordVendor(v, ev(m.word))
					continue
				}
				ids = append(ids, x.vendorMention(v, fold(cell[rolePurpose]+" "+cell[roleName]), "", ev(m.word))...)
			}
		}
	}
	// "腾讯开放平台 | 功能：分享内容到微信，微信支付": a row named after a
	// vendor's developer platform is about the products its purpose names;
	// so is a row named only by a vendor ("腾讯SDK | 腾讯云移动直播",
	// "阿里SDK | 阿里支付").
	if (len(ids) > 0 || bareVendor) && (bareVendor || strings.Contains(nameCell.compact, "开放平台") || strings.Contains(nameCell.folded, "open platform")) {
		pc := clause{folded: fold(cell[rolePurpose])}
		pc.compact = compact(pc.folded)
		var named []string
		for _, m := range x.lx.matchNames(pc, cell[rolePurpose], true, false) {
			if !m.negated && !x.self[m.n] {
				named = append(named, m.n.sdks...)
			}
		}
		if len(named) > 0 {
			ids = named
		}
	}
	// 高德地图 | 用途：用于提供精准定位服务: the map brand named for
	// positioning only is the vendor's location SDK.
	for i, id := range ids {
		name := compact(fold(cell[roleName]))
		if loc := x.locationSiblingIn(id, name, "", compact(fold(cell[rolePurpose]+" "+name))); loc != "" && !slices.Contains(ids, loc) {
			ids[i] = loc
		}
	}
	// The company cell decides between products of different vendors that
	// share a name (FaceID: Tencent Cloud's and Megvii's).
	if len(ids) > 0 && cell[roleCompany] != "" {
		ids = x.preferCompany(ids, cell, ev)
	}
	// A name cell that names a product the rules do not know (YSDK,
	// 雷电联运SDK) is about that product: its company's other SDKs are not
	// declared by the row's purpose.
	unknownProduct := len(ids) == 0 && sdkWordRe.MatchString(nameCell.compact) && !x.genericProductName(nameCell.compact)
	// What the row's SDK brings along is declared on its own: the row's
	// data cells describe the carrier, not each passenger.
	for _, c := range b.Cells {
		x.bundled(c, ev)
	}
	if len(ids) == 0 && cell[roleCompany] != "" && !unknownProduct {
		cc := clause{folded: fold(cell[roleCompany])}
		cc.compact = compact(cc.folded)
		ms := x.lx.matchNames(cc, cell[roleCompany], true, false)
		products := slices.ContainsFunc(ms, func(m nameMatch) bool { return len(m.n.sdks) > 0 })
		for _, m := range ms {
			for _, v := range m.n.vendors {
				if products && len(m.n.sdks) == 0 {
					// "当前APP、快手广告SDK、字节跳动SDK" under the purposes
					// of a data item: beside products named whole, the
					// row's purpose is the item's, shared by every party,
					// and picks no product of a vendor named bare.
					x.recordVendor(v, ev(m.word))
					continue
				}
				ids = append(ids, x.vendorMention(v, fold(cell[rolePurpose]+" "+cell[roleName]), "", ev(m.word))...)
			}
			ids = append(ids, m.n.sdks...)
		}
	}
	if len(ids) == 0 && unknownProduct && cell[roleCompany] != "" {
		cc := clause{folded: fold(cell[roleCompany])}
		cc.compact = compact(cc.folded)
		for _, m := range x.lx.matchNames(cc, cell[roleCompany], true, false) {
			x.recordVendors(m.n.vendors, ev(m.word))
		}
	}
	if len(ids) == 0 {
		label := strings.TrimSpace(cell[roleName])
		if label == "" {
			label = strings.TrimSpace(cell[roleCompany])
		}
		if label != "" && len(x.lx.matchNames(nameCell, label, true, false)) == 0 {
			u := x.unres[label]
			if u == nil {
				u = &ThirdParty{Name: label}
				x.unres[label] = u
			}
			if len(u.Evidence) < maxEvidence {
				u.Evidence = append(u.Evidence, ev(label))
			}
		}
		return cell
	}
	ids = append(ids, x.linkLabels(cell[roleLink], ev)...)
	var rowIDs []string
	for _, id := range ids {
		if cell[rolePurpose] != "" {
			// 极光 | 推送消息: a base named bare in a row whose purpose is
			// one of its parts' is that part alone, and the row's cells
			// are the part's.
			if parts := x.partsByPurpose(id, fold(cell[rolePurpose]), ev(cell[roleName])); len(parts) > 0 && x.bareBase(id, cell[roleName]) {
				rowIDs = append(rowIDs, parts...)
				continue
			}
		}
		rowIDs = append(rowIDs, id)
	}
	for _, id := range rowIDs {
		s := x.addSDK(id, "table", because(ev(cell[roleName]), RuleTableRow))
		if s.Purpose == "" {
			s.Purpose = clip(cell[rolePurpose], 120)
		}
		if cell[roleData] != "" {
			s.PerSDKData = true
		}
		for _, d := range data {
			if !slices.Contains(s.Data, d) {
				s.Data = append(s.Data, d)
			}
		}
		for _, p := range perms {
			if !slices.Contains(s.Permissions, p) {
				s.Permissions = append(s.Permissions, p)
			}
		}
	}
	return cell
}

// cellTerms declares the vocabulary in a table cell. The column is the
// context: a data column declares data categories, a permission column
// permissions (and their data); any other cell needs context words as in
// prose. It returns what it declared.
//
// row is the whole row's text: the sense rules that read a sentence read
// the row (LINE Login | 登入 | 暱稱、大頭貼).
func (x *extractor) cellTerms(text, role, row string, ev func(string) Evidence) (data, perms []string) {
	if role == rolePerm {
		// A cell that lists android.permission names is exact; its words
		// (日历, 附近的设备) only label them. Bracketed text in a
		// permission cell is the purpose (暂存待分享的图片).
		if len(permLiteral.FindAllString(text, -1)) > 0 && x.hasLiteralPermission(text) {
			return nil, nil
		}
		text = bracketRe.ReplaceAllString(text, " ")
	}
	folded := fold(text)
	rowFolded := fold(row)
	whole := &clause{folded: rowFolded, compact: compact(rowFolded)}
	// 获取粗略地理位置 in a permission cell asks for coarse location only.
	cellCompact := compact(folded)
	approx := containsAny(cellCompact, approximateCompact) && !containsAny(cellCompact, preciseCompact)
	for _, c := range splitClauses(folded) {
		c.sentence = whole
		permCtx := role == rolePerm || containsAny(c.compact, permissionContext)
		dataCtx := role == rolePerm || role == roleData || containsAny(c.compact, dataContext)
		for _, m := range x.lx.matchTerms(c, false) {
			if approx {
				m.t = coarseOnly(m.t)
			}
			if m.negated {
				x.term(m, permCtx, dataCtx, false, ev(m.word))
				continue
			}
			if role == roleData {
				for _, d := range m.t.data {
					x.addData(d, because(ev(m.word), RuleTableCell))
					data = append(data, d)
				}
				continue
			}
			x.term(m, permCtx, dataCtx, role == rolePerm, ev(m.word))
			if role == rolePerm {
				perms = append(perms, m.t.perms...)
				data = append(data, m.t.data...)
			}
		}
	}
	return data, perms
}

func (x *extractor) addPermission(name string, ev Evidence) {
	if ev.Rule == RuleLiteral {
		// "android.permission.ACCESS_FINE_LOCATION" named as requested
		// discloses what it reads first: the precise location.
		// Only the content a runtime permission opens (the camera, the
		// address book, the location); an identifier a permission also
		// exposes (READ_PHONE_STATE's IMEI) is disclosed when named.
		if r, ok := x.lx.db.Permission(name); ok && r.ProtectionLevel == "dangerous" && len(r.Data) > 0 && !identifierData[r.Data[0]] {
			x.addData(r.Data[0], ev)
		}
	}
	p := x.perms[name]
	if p == nil {
		p = &DeclaredPermission{Name: name}
		x.perms[name] = p
	}
	if len(p.Evidence) < maxEvidence && !sameEvidence(p.Evidence, ev) {
		p.Evidence = append(p.Evidence, ev)
	}
}

func (x *extractor) addData(id string, ev Evidence) {
	d := x.data[id]
	if d == nil {
		d = &DeclaredData{ID: id}
		x.data[id] = d
	}
	if len(d.Evidence) < maxEvidence && !sameEvidence(d.Evidence, ev) {
		d.Evidence = append(d.Evidence, ev)
	}
}

func (x *extractor) addSDK(id, how string, ev Evidence) *DeclaredSDK {
	if r, ok := x.lx.db.SDK(id); ok && x.operators[r.Vendor] && how != "declaration" {
		// The operator's own product (QQ login in QQ Mail) is no third
		// party's SDK. It is kept on the vendor, as a server-side service
		// is, so an audit of the app still sees the vendor named.
		v := x.recordVendor(r.Vendor, ev)
		if !slices.Contains(v.SDKs, id) {
			v.SDKs = append(v.SDKs, id)
		}
		x.recordOperator(r.Vendor, ev, id)
		return &DeclaredSDK{ID: id}
	}
	if r, ok := x.lx.db.SDK(id); ok && r.Signatures.Empty() && how != "declaration" {
		// A service that runs on the provider's servers (virtual numbers,
		// SMS gateways, a call centre) has no code in the app: the policy
		// names its vendor as a recipient of data, not an SDK. It is kept
		// on the vendor so the reader still sees which service it was.
		v := x.recordVendor(r.Vendor, ev)
		if !slices.Contains(v.SDKs, id) {
			v.SDKs = append(v.SDKs, id)
		}
		return &DeclaredSDK{ID: id}
	}
	s := x.sdks[id]
	if s == nil {
		vendor := ""
		if r, ok := x.lx.db.SDK(id); ok {
			vendor = r.Vendor
		}
		s = &DeclaredSDK{ID: id, Vendor: vendor, How: how}
		x.sdks[id] = s
	}
	// The most direct resolution wins: a table row or the SDK's own name
	// over a vendor mention.
	if rank(how) > rank(s.How) {
		s.How = how
	}
	if len(s.Evidence) < maxEvidence && !sameEvidence(s.Evidence, ev) {
		s.Evidence = append(s.Evidence, ev)
	}
	return s
}

func rank(how string) int {
	switch how {
	case "declaration":
		return 4
	case "table":
		return 3
	case "name":
		return 2
	}
	return 1
}

func (x *extractor) addDenial(kind, id string, ev Evidence) {
	k := kind + "\x00" + id
	d := x.deny[k]
	if d == nil {
		d = &Denial{Kind: kind, ID: id}
		x.deny[k] = d
	}
	if len(d.Evidence) < maxEvidence {
		d.Evidence = append(d.Evidence, ev)
	}
}

// sortedValues returns the map's values ordered by key. Every map of the
// extractor is keyed by the field its list sorts on (denials by kind, NUL,
// id), so key order is the report order.
func sortedValues[T any](m map[string]*T) []T {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	out := make([]T, 0, len(keys))
	for _, k := range keys {
		out = append(out, *m[k])
	}
	return out
}

func (x *extractor) finish() *Declaration {
	x.hiddenNotes()
	d := x.decl
	for _, s := range x.sdks {
		sort.Strings(s.Data)
		sort.Strings(s.Permissions)
	}
	for _, v := range x.vends {
		sort.Strings(v.SDKs)
	}
	for _, v := range x.ops {
		sort.Strings(v.SDKs)
	}
	x.writeOnlyPairs()
	x.preciseCoversApproximate()
	x.bareBases()
	x.carrierGateways()
	x.vendorEchoes()
	x.shortNames()
	d.Permissions = sortedValues(x.perms)
	d.DataCategories = sortedValues(x.data)
	d.SDKs = sortedValues(x.sdks)
	d.Vendors = sortedValues(x.vends)
	if len(x.ops) > 0 {
		d.Operators = sortedValues(x.ops)
	}
	d.Unresolved = sortedValues(x.unres)
	// A denial next to a positive declaration elsewhere is kept: the
	// reader sees both.
	d.Denials = sortedValues(x.deny)
	if d.Warnings == nil {
		d.Warnings = []string{}
	}
	if len(d.Permissions)+len(d.DataCategories)+len(d.SDKs)+len(d.Vendors)+len(d.Unresolved) == 0 {
		d.Warnings = append(d.Warnings, "nothing was recognised in the policy: check that it is the right document")
	}
	return d
}

// refersToPermission reports a paragraph, in compact folded form, that asks
// for a permission it does not name ("应用将会向您申请此权限").
func refersToPermission(c string) bool {
	return containsAny(c, []string{"此权限", "该权限", "这项权限", "这个权限", "上述权限", "thispermission"}) && !containsAny(c, []string{"拒绝此权限", "关闭此权限", "撤回此权限"})
}

// bareBases drops a base module (Firebase, JCore, HMS Core) whose every
// mention is its bare brand when the document names one of its parts by
// name: the brand then stands for the products the policy lists.
func (x *extractor) bareBases() {
	for id, s := range x.sdks {
		parts := x.lx.parts[id]
		if len(parts) == 0 || len(s.Evidence) == 0 {
			continue
		}
		named := false
		for _, p := range parts {
			if ps := x.sdks[p]; ps != nil && (ps.How == "name" || ps.How == "table") {
				named = true
				break
			}
		}
		if !named {
			continue
		}
		bare := true
		for _, e := range s.Evidence {
			if e.Rule != RuleName && e.Rule != RuleTableRow || !x.bareBase(id, e.Matched) {
				bare = false
				break
			}
		}
		if bare {
			delete(x.sdks, id)
			x.recordVendor(s.Vendor, s.Evidence[0])
		}
	}
}

// vendorEchoes drops an SDK that only a mention of its vendor declared when
// the document names another product of the same vendor and kind: "腾讯云或
// 阿里云与公安权威数据平台进行比对" speaks again of the 阿里云金融级实人认证SDK the
// list names, not of a second verification product.
func (x *extractor) vendorEchoes() {
	for id, s := range x.sdks {
		if s.How != "vendor" {
			continue
		}
		r, ok := x.lx.db.SDK(id)
		if !ok {
			continue
		}
		for oid, o := range x.sdks {
			if oid == id || o.How == "vendor" {
				continue
			}
			if or, ok := x.lx.db.SDK(oid); ok && or.Vendor == r.Vendor && (or.Category == r.Category || or.Parent == id) {
				delete(x.sdks, id)
				break
			}
		}
	}
}

// linkAfterRe is an address in brackets after the words it links, as the
// document reader leaves a Markdown or HTML link: "Google Firebase
// (https://firebase.google.com/products/crashlytics)".
var linkAfterRe = regexp.MustCompile(`\((https?://[^()\s]{1,300})\)`)

// linkedParts rewrites an umbrella's name linked to a page that names one
// of the umbrella's parts ("Google Firebase (…/products/crashlytics)") to
// that part's name: the page says which product is meant.
func (x *extractor) linkedParts(orig string) string {
	if !strings.Contains(orig, "(http") {
		return orig
	}
	locs := linkAfterRe.FindAllStringSubmatchIndex(orig, 16)
	for k := len(locs) - 1; k >= 0; k-- {
		loc := locs[k]
		addr := strings.ToLower(orig[loc[2]:loc[3]])
		i := strings.Index(addr, "://")
		j := strings.IndexByte(addr[i+3:], '/')
		if j < 0 {
			continue
		}
		words := strings.FieldsFunc(addr[i+3+j:], func(r rune) bool { return !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9') })
		from := loc[0] - 60
		if from < 0 {
			from = 0
		}
		for from > 0 && !utf8.RuneStart(orig[from]) {
			from--
		}
		before := orig[from:loc[0]]
		f := fold(before)
		for _, nm := range x.lx.matchNames(clause{folded: f, compact: compact(f)}, before, true, false) {
			if nm.han || strings.Trim(f[nm.at+nm.size:], " ]") != "" {
				// Only the name the link is on, right before it.
				continue
			}
			for _, id := range nm.n.sdks {
				if part := x.partInWords(id, words, f); part != "" {
					at := strings.LastIndex(strings.ToLower(before), strings.ToLower(nm.word))
					if at < 0 {
						continue
					}
					at += from
					return orig[:at] + part + orig[at+len(nm.word):]
				}
			}
		}
	}
	return orig
}

// partInWords returns the English name of the umbrella's part that one of
// the words (a link's path) names, unless the text already says it.
func (x *extractor) partInWords(id string, words []string, text string) string {
	for _, p := range x.lx.parts[id] {
		r, ok := x.lx.db.SDK(p)
		if !ok {
			continue
		}
		for _, w := range strings.Fields(strings.ToLower(r.Name.EN)) {
			if len(w) >= 6 && slices.Contains(words, w) && !strings.Contains(text, w) {
				return r.Name.EN
			}
		}
	}
	return ""
}

// shortNameOf maps an SDK to the product whose short name it shares: a
// document that names Google Analytics for Firebase means that product
// when it later writes "Google Analytics".
var shortNameOf = map[string]string{"google-analytics-legacy": "firebase-analytics"}

// shortNames drops an SDK declared only by a short name that, in this
// document, stands for the longer product it names.
func (x *extractor) shortNames() {
	for id, long := range shortNameOf {
		s, l := x.sdks[id], x.sdks[long]
		if s == nil || l == nil || l.How == "vendor" {
			continue
		}
		short := true
		for _, e := range s.Evidence {
			if compact(fold(e.Matched)) != "googleanalytics" {
				short = false
				break
			}
		}
		if short {
			delete(x.sdks, id)
		}
	}
	// "[Google Analytics](https://firebase.google.com/docs/analytics)":
	// the short name whose own link is the longer product's page means it.
	for id, long := range shortNameOf {
		s := x.sdks[id]
		if s == nil || s.How == "vendor" {
			continue
		}
		var moved []Evidence
		for _, e := range s.Evidence {
			if compact(fold(e.Matched)) != "googleanalytics" || !strings.Contains(strings.ToLower(e.Text), "firebase.google.com") {
				moved = nil
				break
			}
			moved = append(moved, e)
		}
		if moved != nil {
			delete(x.sdks, id)
			for _, e := range moved {
				e.Rule = RuleOwnLink
				x.addSDK(long, s.How, e)
			}
		}
	}
}

// carrierVendors run the number-authentication gateways that one-click
// sign-in aggregators (Shanyan, JVerification, SecVerify) call.
var carrierVendors = map[string]bool{"china-mobile": true, "china-unicom": true, "china-telecom": true}

// carrierGateways drops a carrier's number-authentication SDK that only a
// mention of the carrier declared when the document names an aggregator's
// one-click sign-in SDK, or when every mention speaks of the carrier's
// gateway: the carriers there are the gateways the aggregator or the
// server reaches (手机运营商（中国移动、中国联通、中国电信）, their
// agreements), not SDKs the app embeds apart. A carrier SDK named as such
// stays.
func (x *extractor) carrierGateways() {
	aggregator := false
	for id, s := range x.sdks {
		if r, ok := x.lx.db.SDK(id); ok && r.Category == "one-click-login" && !carrierVendors[r.Vendor] && s.How != "vendor" {
			aggregator = true
			break
		}
	}
	for id, s := range x.sdks {
		r, ok := x.lx.db.SDK(id)
		if !ok || !carrierVendors[r.Vendor] || r.Category != "one-click-login" || s.How != "vendor" {
			continue
		}
		// 中国移动SDK names the carrier's SDK, aggregator or not.
		if slices.ContainsFunc(s.Evidence, func(e Evidence) bool {
			return strings.Contains(compact(fold(e.Text)), compact(fold(e.Matched))+"sdk")
		}) {
			continue
		}
		// "通过中国联通/中国移动网关认证来获取您的手机号码": the carrier's
		// gateway answers on the server; no SDK is named.
		gateway := !slices.ContainsFunc(s.Evidence, func(e Evidence) bool {
			t := compact(fold(e.Text))
			return !strings.Contains(t, "网关") || strings.Contains(t, "sdk")
		})
		if !aggregator && !gateway {
			continue
		}
		delete(x.sdks, id)
		if v := x.vends[r.Vendor]; v != nil {
			v.SDKs = slices.DeleteFunc(v.SDKs, func(o string) bool { return o == id })
		}
	}
}

// preciseCoversApproximate declares approximate location wherever precise
// location is: a policy that discloses the precise position discloses the
// city, and Android grants fine location only with coarse (API 31 asks
// apps to request both).
func (x *extractor) preciseCoversApproximate() {
	fine, ok := x.perms[permFineLocation]
	if !ok || x.perms[permCoarseLocation] != nil || len(fine.Evidence) == 0 {
		return
	}
	ev := fine.Evidence[0]
	ev.Rule = RuleImplied
	x.addPermission(permCoarseLocation, ev)
}

// writeOnlyRe finds words saying an access only writes: 仅写入,不读取;
// 不会从设备的存储中获取任何信息.
var writeOnlyRe = regexp.MustCompile(`仅写入|只写入|仅用于写入|仅添加|不读取|不会读取|不会从[^,;。，；]{0,24}?(?:获取|读取)`)

// switchListRe finds advice on turning permissions on or off in the
// system settings, or a list of permissions that are off by default.
var switchListRe = regexp.MustCompile(`(?:您|你)(?:可以|可|也可以|可在|可通过).{0,40}?(?:开启|关闭|撤回|取消).{0,30}?权限|权限.{0,6}?(?:均|都)?不会默认开启|默认(?:均|都)?(?:为)?关闭`)

// readWritePairs are the permissions a word such as 日历 or 存储 declares
// both halves of, the reading half first.
var readWritePairs = [][2]string{
	{"android.permission.READ_CALENDAR", "android.permission.WRITE_CALENDAR"},
	{"android.permission.READ_CONTACTS", "android.permission.WRITE_CONTACTS"},
	{"android.permission.READ_EXTERNAL_STORAGE", "android.permission.WRITE_EXTERNAL_STORAGE"},
}

// writeOnlyPairs turns the reading half of a pair into a denial when
// every word that declared it stands in a short passage that says the app
// only writes: a heading "日历权限" and, two lines on, "仅写入,不读取".
// A literal READ_CALENDAR, or a word elsewhere, keeps it.
func (x *extractor) writeOnlyPairs() {
	if len(x.writeOnly) == 0 {
		return
	}
	near := func(e Evidence) bool {
		for _, w := range x.writeOnly {
			if w.File == e.File && e.Line <= w.Line && e.Line >= w.Line-4 {
				return true
			}
		}
		return false
	}
	for _, pair := range readWritePairs {
		read, ok := x.perms[pair[0]]
		if !ok || x.perms[pair[1]] == nil {
			continue
		}
		all := len(read.Evidence) > 0
		for _, e := range read.Evidence {
			if switchListRe.MatchString(compact(fold(e.Text))) {
				// "你可以…逐项查看、开启或关闭相机、日历等权限": a list of
				// switches says nothing on which way the access goes.
				continue
			}
			if e.Rule == RuleLiteral || !near(e) {
				all = false
				break
			}
		}
		if !all {
			continue
		}
		delete(x.perms, pair[0])
		for _, w := range x.writeOnly {
			if near(Evidence{File: w.File, Line: w.Line}) && w.Line >= read.Evidence[0].Line {
				x.addDenial("permission", pair[0], because(w, RuleNegation))
				break
			}
		}
	}
}

// caseForms are the ways a brand that is also a word may be written as a
// brand: as the rule spells it, capitalised, or in capitals.
func caseForms(s string) []string {
	forms := []string{s}
	if up := strings.ToUpper(s); up != s {
		forms = append(forms, up)
	}
	if t := strings.ToUpper(s[:1]) + strings.ToLower(s[1:]); t != s {
		forms = append(forms, t)
	}
	return forms
}

// sdkWordRe finds a product name ending in SDK or a word for a component.
var sdkWordRe = regexp.MustCompile(`[\p{Han}a-z0-9]+(?:sdk|插件|组件)`)

// neutralProduct words between a brand and "SDK" name no particular
// product ("微信OpenSDK", "高德Android SDK").
var neutralProduct = regexp.MustCompile(`^(?:open|opensdk|android|安卓|app|客户端|官方|移动|mobile|开放|开发|开源|第三方|sdk|组件|插件|模块|的|服务|平台|开放平台|服务平台|功能|能力|套件|基础|service|services|platform|kit)+$`)

// productOf resolves a name followed by product words ("OPPO游戏SDK",
// "极光Push SDK") by those words alone: to the SDKs of the brand's vendor
// that they fit, or to none. ok is false when the name is not followed by
// product words, or only by words that name no particular product.
func (x *extractor) productOf(m nameMatch, ev Evidence) (ids []string, ok bool) {
	// Only a brand (a vendor's name, maybe also the alias of its main SDK)
	// starts a product name; a full product name followed by more words
	// ("ARouter阿里SDK") is that product.
	if m.product == "" || neutralProduct.MatchString(compact(m.product)) {
		return nil, false
	}
	vendors := slices.Clone(m.n.vendors)
	for _, id := range m.n.sdks {
		// Open-source libraries share no brand: "universalimageloader开源
		// 框架" says nothing of another library.
		if r, found := x.lx.db.SDK(id); found && !slices.Contains(vendors, r.Vendor) && r.Vendor != "community" {
			vendors = append(vendors, r.Vendor)
		}
	}
	// The product words may be part of one of the vendor's own product
	// names (高德地图搜索SDK: 搜索 is in 高德地图搜索 / amap-search).
	pw := compact(fold(m.product))
	// Words that are part of the matched product's own names (友盟+统计
	// 分析SDK: 分析 is in 友盟统计分析) finish that name; they do not
	// point to a sibling (友盟崩溃分析).
	for _, id := range m.n.sdks {
		if r, found := x.lx.db.SDK(id); found {
			for _, cn := range x.lx.folded[r.ID] {
				if runeLen(pw) >= 2 && strings.Contains(cn, pw) {
					return nil, false
				}
			}
		}
	}
	// The product words may be a product's own name (财付通SDK, 网易七鱼SDK,
	// ShareSDK): that name, matched where it stands, declares it.
	for _, w := range []string{pw, pw + "sdk"} {
		pc := clause{folded: w, compact: w}
		for _, pm := range x.lx.matchNames(pc, w, true, false) {
			if len(pm.n.sdks) > 0 {
				return nil, true
			}
		}
	}
	if len(x.lx.db.VendorsByName(m.product)) > 0 {
		// "ARouter阿里SDK": the words after the name are a company's.
		return nil, false
	}
	// A product's own brand ("腾讯Bugly统计SDK": a Latin product name, not
	// the company's name and a common word like 友盟统计) followed by
	// words is that product, unless a sibling is named by exactly those
	// words run together.
	whole := ""
	if w := compact(fold(m.word)); len(m.n.vendors) == 0 && latinRunRe.MatchString(w) {
		whole = w + pw
	}
	for _, v := range vendors {
		for _, r := range x.lx.db.SDKsByVendor(v) {
			if len(r.AdapterFor) > 0 || r.Packer {
				continue
			}
			for _, cn := range x.lx.folded[r.ID] {
				if whole != "" && !strings.Contains(cn, whole) {
					continue
				}
				// Inside the name, not its start: "阿里" starts every
				// Alibaba product's name and says which one none of them is.
				// Latin words count as words: the "ai" of 百度AI SDK is not
				// inside "baidu".
				if runeLen(pw) >= 2 && strings.Contains(cn, pw) && !strings.HasPrefix(cn, pw) && (hasHan(pw) || len(pw) >= 3 && latinWordOf(r, pw)) {
					x.recordVendor(v, ev)
					ids = append(ids, r.ID)
					x.addSDK(r.ID, "name", because(ev, RuleProductWords))
					break
				}
			}
		}
	}
	if len(ids) > 0 {
		return ids, true
	}
	if len(m.n.vendors) == 0 {
		// A product's own name followed by words no sibling has
		// ("ARouter阿里SDK") is that product.
		return nil, false
	}
	if strings.Trim(pw, "abcdefghijklmnopqrstuvwxyz") == "" && !kindOnlySDK(strings.TrimSuffix(pw, "sdk")) {
		// 七牛PCDN: a Latin word no product of the vendor has is a
		// product the rules do not know; its letters fit no purpose.
		x.recordVendors(vendors, ev)
		return nil, true
	}
	for _, v := range vendors {
		ids = append(ids, x.vendorFit(v, m.product, "", true, ev)...)
	}
	return ids, true
}

// productGuessLimit is how many of a vendor's products the words of an
// unknown product may fit and still be read: one or two (a product and its
// twin) are what the words name; three or more (腾讯云移动直播SDK fits IM,
// TRTC and GME) are a guess.
const productGuessLimit = 2

func hasPermColumn(roles map[int]string) bool {
	for _, r := range roles {
		if r == rolePerm {
			return true
		}
	}
	return false
}

// dataCellPermissions declares the permissions of the capability words in
// a data cell; two-character words (电话, 通知) stay data.
//
// labelsOnly keeps only the items written as permission labels: the row
// has a permission cell of its own, and what its data cell names as a
// permission (获取网络权限、读取外置存储卡) adds to it, while its data (位置信息)
// stays data.
func (x *extractor) dataCellPermissions(text string, ev func(string) Evidence, labelsOnly bool) []string {
	var out []string
	// "位置信息…获取粗略位置": a cell that says the location is coarse
	// means coarse everywhere in it.
	whole := compact(fold(text))
	approx := containsAny(whole, approximateCompact) && !containsAny(whole, preciseCompact)
	for _, c := range splitClauses(fold(text)) {
		ms := x.lx.matchTerms(c, false)
		if approx {
			for i := range ms {
				ms[i].t = coarseOnly(ms[i].t)
			}
		}
		// A cell whose items are permission labels (获取WiFi状态、读取电话状态、
		// 网络访问) is the SDK's permission list written into its data
		// column: every whole item there names a permission.
		labels := 0
		for _, m := range ms {
			if !m.negated && len(m.t.perms) > 0 && permissionLabel(m, c.compact) {
				labels++
			}
		}
		for _, m := range ms {
			// Even a two-character word (位置, 相机, 存储) names the
			// capability here: the cell lists what the SDK takes.
			if m.negated || len(m.t.perms) == 0 {
				continue
			}
			listed := labels >= 2 && m.t.han && wholeItem(m, c.compact) && !labelsOnly
			for _, p := range m.t.perms {
				// Only the capabilities a user is asked for by name; a
				// device id or the network state in a data cell is data.
				// 开机启动, 查看WLAN连接: the permission's own system label
				// standing as an item names the permission too.
				r, ok := x.lx.db.Permission(p)
				ownLabel := ok && m.t.han && compact(fold(r.Label.ZH)) == m.t.text && wholeItem(m, c.compact)
				if (!ok || !dataCellGroups[r.Group] || labelsOnly) && !listed && !ownLabel && !permissionLabel(m, c.compact) {
					continue
				}
				x.addPermission(p, because(ev(m.word), RuleDataCellCapability))
				out = append(out, p)
			}
		}
	}
	return out
}

// wholeItem reports whether a Han term is a whole item of a list.
func wholeItem(m termMatch, compactClause string) bool {
	return listEdge(trimVerb(compactClause[:m.at]), true) && listEdge(compactClause[m.at+len(m.t.text):], false)
}

// trimVerb drops a verb of access that ends s: in "获取WiFi状态" the item
// is the verb and the word together.
func trimVerb(s string) string {
	for _, v := range labelVerbs {
		if strings.HasSuffix(s, v) {
			return strings.TrimSuffix(s, v)
		}
	}
	return s
}

// permissionLabel reports whether a term in a data cell is written as an
// Android permission's own label — a verb of access followed by its object
// (读取电话状态, 获取WiFi状态, 请求安装第三方应用权限) or a word ending in
// 权限 — standing as a whole item of the cell's list. SDK lists copy the
// labels of the permissions an SDK's manifest merges in; a noun (设备信息,
// 电话) in the same cell is the data it reads.
func permissionLabel(m termMatch, compactClause string) bool {
	if !m.t.han {
		return false
	}
	word := m.t.text
	if !strings.HasSuffix(word, "权限") && !hasAnyPrefix(word, labelVerbs) && trimVerb(compactClause[:m.at]) == compactClause[:m.at] {
		return false
	}
	return wholeItem(m, compactClause)
}

var labelVerbs = []string{"读取", "写入", "读写", "获取", "访问", "修改", "请求", "检索", "允许", "使用", "拍摄", "录制", "发送", "接收", "更改", "改变", "查看"}

func hasAnyPrefix(s string, prefixes []string) bool {
	for _, p := range prefixes {
		if strings.HasPrefix(s, p) {
			return true
		}
	}
	return false
}

// listEdge reports whether s ends (before a term) or starts (after it) at
// a list boundary: the cell's edge, a list mark, a colon or a bracket.
func listEdge(s string, before bool) bool {
	if s == "" {
		return true
	}
	var r rune
	if before {
		r, _ = utf8.DecodeLastRuneInString(s)
	} else {
		r, _ = utf8.DecodeRuneInString(s)
	}
	return strings.ContainsRune("、,;:：，；。（）()【】[]/|", r)
}

// dataCellGroups are the permission groups whose words in an SDK row's
// data cell stand for the permission.
var dataCellGroups = map[string]bool{"LOCATION": true, "CAMERA": true, "MICROPHONE": true, "STORAGE": true, "CONTACTS": true, "CALENDAR": true, "READ_MEDIA_VISUAL": true}

// tailBytes returns at most the last n bytes of s, starting on a rune.
func tailBytes(s string, n int) string {
	if len(s) <= n {
		return s
	}
	i := len(s) - n
	for i < len(s) && !utf8.RuneStart(s[i]) {
		i++
	}
	return s[i:]
}

// enumEndRe finds an enumeration mark ending the text before a name: the
// name titles a record ("…的功能（5）腾讯Bugly SDK 我们的产品集成…").
var enumEndRe = regexp.MustCompile(`(?:\(\d{1,2}\)|\d{1,2}、)$`)

// coordRe finds the words that join a further product to the one a
// sentence says is integrated ("以及", "和", "、").
var coordRe = regexp.MustCompile(`^(?:以及|及|和|与|、|还有|还集成了?)`)

// integrateRe finds "集成(了)<公司>的<产品>SDK" in compact text.
var integrateRe = regexp.MustCompile(`集成了?[^,;.。，；]{2,40}?的[^,;.。，；]{1,30}?(?:sdk|插件|组件)`)

// withinTerm reports whether a name lies inside a longer vocabulary word
// of the same script found in the clause.
func withinTerm(m nameMatch, terms []termMatch) bool {
	for _, t := range terms {
		if t.t.han != m.han || len(t.t.text) <= m.size {
			continue
		}
		if m.at >= t.at && m.at+m.size <= t.at+len(t.t.text) {
			return true
		}
	}
	return false
}

// preferCompany keeps the ids whose vendor the row's company cell names;
// when the company is a known vendor that none of them belongs to, the
// row is resolved within that vendor's products instead (or to none).
func (x *extractor) preferCompany(ids []string, cell map[string]string, ev func(string) Evidence) []string {
	cc := clause{folded: fold(cell[roleCompany])}
	cc.compact = compact(cc.folded)
	var vendors []string
	for _, m := range x.lx.matchNames(cc, cell[roleCompany], true, false) {
		vendors = append(vendors, m.n.vendors...)
	}
	if len(vendors) == 0 {
		return ids
	}
	var keep []string
	for _, id := range ids {
		if r, ok := x.lx.db.SDK(id); ok && slices.Contains(vendors, r.Vendor) {
			keep = append(keep, id)
		}
	}
	if len(keep) > 0 {
		return keep
	}
	// 微信支付 | 深圳市腾讯计算机系统有限公司: the product of a vendor of the
	// company's group (Tenpay is Tencent's), not a sibling to guess.
	for _, id := range ids {
		if r, ok := x.lx.db.SDK(id); ok && slices.ContainsFunc(vendors, func(v string) bool { return x.sameGroup(v, r.Vendor) }) {
			keep = append(keep, id)
		}
	}
	if len(keep) > 0 {
		return keep
	}
	for _, v := range vendors {
		keep = append(keep, x.vendorFit(v, fold(cell[roleName]+" "+cell[rolePurpose]), "", true, ev(cell[roleCompany]))...)
	}
	return keep
}

// sameGroup reports whether two vendors belong to one group (a parent and
// its subsidiary, or two subsidiaries of one parent).
func (x *extractor) sameGroup(a, b string) bool {
	top := func(id string) string {
		if v, ok := x.lx.db.Vendor(id); ok && v.Group != "" {
			return v.Group
		}
		return id
	}
	return top(a) == top(b)
}

// namesSomething reports whether text contains a product or vendor name.
// namesSDK reports whether a cell's text names one of the rules' SDKs.
func (x *extractor) namesSDK(text string) bool {
	f := fold(text)
	for _, m := range x.lx.matchNames(clause{folded: f, compact: compact(f)}, f, true, false) {
		if len(m.n.sdks) > 0 {
			return true
		}
	}
	return false
}

// continuationRow returns the cells of a table row that a converter wrote
// under the first columns although they belong to the last ones: the
// remaining rows of an SDK whose name and purpose spanned several rows
// ("获取精确位置 | 获取精确位置" under "SDK名称 | 使用目的 | 信息 | 备注"). The
// spanned cells are copied from the row above, as a rowspan would. It
// returns nil for an ordinary row: one with no empty trailing cells, or
// whose first cell names an SDK or company.
func (x *extractor) continuationRow(cells, last []string) []string {
	n := len(cells)
	for n > 0 && strings.TrimSpace(cells[n-1]) == "" {
		n--
	}
	k := len(cells) - n
	if n == 0 || k == 0 || len(last) != len(cells) || strings.TrimSpace(last[len(last)-1]) == "" && strings.TrimSpace(last[0]) == "" {
		return nil
	}
	for _, c := range last[:k] {
		if strings.TrimSpace(c) == "" {
			return nil
		}
	}
	if x.namesSomething(cells[0]) || companyRe.MatchString(cells[0]) || strings.Contains(strings.ToLower(cells[0]), "sdk") {
		return nil
	}
	out := make([]string, 0, len(cells))
	out = append(out, last[:k]...)
	return append(out, cells[:n]...)
}

func (x *extractor) namesSomething(text string) bool {
	c := clause{folded: fold(text)}
	c.compact = compact(c.folded)
	return len(x.lx.matchNames(c, text, true, false)) > 0
}

// operatorDefRe finds the sentence that defines the policy's operator as
// "we": a company's legal name, then within a few words its short forms,
// one of which is 我们 or "we".
var operatorDefRe = regexp.MustCompile(`([\p{Han}a-z0-9()]{4,40}?(?:有限责任公司|股份有限公司|有限公司))[^。;]{0,80}?(?:简称|下称|以下称|统称)[^。;]{0,30}?"(?:我们|我方|本公司)"`)

// operatorVendors returns the vendors whose legal name the document
// defines as its operator, and records each with its defining sentence.
func (x *extractor) operatorVendors(d *Document) map[string]bool {
	out := map[string]bool{}
	for _, b := range d.Blocks {
		if b.Table != 0 || !strings.Contains(b.Text, "我们") {
			continue
		}
		m := operatorDefRe.FindStringSubmatch(compact(fold(b.Text)))
		if m == nil {
			continue
		}
		for i := range x.lx.db.Vendors {
			v := &x.lx.db.Vendors[i]
			for _, ln := range v.LegalNames {
				if l := compact(fold(ln)); len(l) >= 12 && strings.HasSuffix(m[1], l) {
					out[v.ID] = true
					x.recordOperator(v.ID, Evidence{File: d.Name, Line: b.Line, Text: clip(b.Text, 200), Matched: ln, Rule: RuleOperator}, "")
				}
			}
		}
		return out
	}
	return out
}

// recordOperator notes the vendor as a policy's operator, with the product
// of its own the policy names (sdk, may be empty).
func (x *extractor) recordOperator(vendor string, ev Evidence, sdk string) {
	if x.ops == nil {
		x.ops = map[string]*DeclaredVendor{}
	}
	o := x.ops[vendor]
	if o == nil {
		o = &DeclaredVendor{ID: vendor}
		x.ops[vendor] = o
	}
	if sdk != "" && !slices.Contains(o.SDKs, sdk) {
		o.SDKs = append(o.SDKs, sdk)
	}
	if len(o.Evidence) < maxEvidence && !sameEvidence(o.Evidence, ev) {
		o.Evidence = append(o.Evidence, ev)
	}
}

// titleWords mark a block as the document's title.
var titleWords = []string{"隐私", "政策", "清单", "协议", "权限", "说明", "指引", "privacy", "policy"}

// titleNames returns the names in the document's title: its first heading,
// or its first block when that is short and reads like a title.
func (x *extractor) titleNames(blocks []Block) map[*name]bool {
	out := map[*name]bool{}
	for i, b := range blocks {
		if i > 2 {
			break
		}
		t := fold(b.Text)
		// A title is no sentence: "（2）高德SDK：我们会使用高德SDK，…权限" has
		// clauses.
		if b.Table != 0 || runeLen(t) > 60 || !containsAny(t, titleWords) || strings.ContainsAny(t, ",。") {
			continue
		}
		c := clause{folded: t, compact: compact(t)}
		for _, m := range x.lx.matchNames(c, b.Text, true, false) {
			// "第三方SDK目录" and the like name nobody; an SDK's own
			// policy page names the SDK, which is then what it is about.
			out[m.n] = true
		}
		break
	}
	// The opening sentence ("在您使用TIM服务的过程中", "欢迎使用咪咕视频")
	// is about the app itself, whatever else its name is.
	seen := 0
	for _, b := range blocks {
		if b.Table != 0 {
			continue
		}
		if seen++; seen > 8 {
			break
		}
		t := fold(b.Text)
		loc := openingRe.FindStringSubmatchIndex(t)
		if loc == nil {
			continue
		}
		own := t[loc[2]:loc[3]]
		c := clause{folded: own, compact: compact(own)}
		for _, m := range x.lx.matchNames(c, own, true, false) {
			out[m.n] = true
		}
		break
	}
	// "北京淘友天下科技发展有限公司（以下简称"我们"）", "本应用由…运营": the
	// operator.
	for _, b := range blocks {
		t := fold(b.Text)
		if !selfRe.MatchString(t) {
			continue
		}
		for _, sent := range splitSentences(t) {
			if !selfSentence(sent) {
				continue
			}
			c := clause{folded: sent, compact: compact(sent)}
			for _, m := range x.lx.matchNames(c, sent, true, false) {
				if len(m.n.sdks) == 0 {
					out[m.n] = true
				}
			}
		}
	}
	return out
}

// openingRe finds a policy's opening words about using the app, capturing
// the app's name: "在您使用TIM服务的过程中", "欢迎您使用XX App".
var openingRe = regexp.MustCompile(`^(?:\s*[^,;.。，；]{0,12}?)(?:欢迎(?:您)?使用|在您使用|您在使用)\s*["“《]?([^,;.。()"”《》、]{2,16}?)["”》]?\s*(?:app|客户端|软件|应用|产品|服务|平台)?(?:及相关服务|及服务)?(?:的过程中|过程中|时|[,;.。!])`)

// selfSentence reports whether a sentence names the policy's own operator:
// "…等消息推送服务，均由相关的第三方负责运营" says who runs other parties'
// services, not who runs the app.
func selfSentence(s string) bool {
	for _, loc := range selfRe.FindAllStringIndex(s, -1) {
		if m := s[loc[0]:loc[1]]; !strings.Contains(m, "第三方") && !strings.Contains(m, "合作方") && !strings.Contains(m, "合作伙伴") {
			return true
		}
	}
	return false
}

// selfRe finds the sentence that names the policy's own operator.
var selfRe = regexp.MustCompile(`^\s*(?:公司名称|公司全称|运营者|运营主体|开发者名称|运营方)\s*[:：]|以下(?:简称|称)\s*(?:为)?\s*["“]?(?:我们|我方|本公司|公司)|由[^,;.。()]{2,40}?(?:开发并运营|提供并运营|运营)(?:[^商]|$)|由[^,;.。]{2,60}?及其关联公司(?:共同)?(?:提供|运营)|(?:hereinafter|"we"|“we”)`)

// The readings an item can come from (Evidence.Rule).
const (
	RuleAccessWord         = "access-word: a permission word in a clause about access or in a permission list"
	RuleDataWord           = "data-word: a data word in a clause about collection or sharing"
	RuleTableCell          = "table-cell: a word in the data or permission cell of an SDK or permission table"
	RuleBackground         = "background: location allowed all the time"
	RuleLiteral            = "literal: an Android permission name written out"
	RuleDataCellCapability = "data-cell-capability: a capability named in an SDK row that has no permission cell"
	RuleName               = "name: the SDK's own name or alias"
	RuleImplied            = "implied: approximate location, covered by the precise location the policy discloses"
	RuleBundled            = "bundled: an SDK a row lists as brought along by its own SDK (X集成的SDK含有：Y)"
	RuleLinkLabel          = "link-label: a product named as the owner of a privacy policy in an SDK row's link cell"
	RuleOwnLink            = "own-link: a short name linked to the page of the longer product it stands for"
	RulePartByPurpose      = "part-by-purpose: an SDK named as a whole whose row's purpose names one of its modules"
	RuleMapForLocation     = "map-for-location: the vendor's map brand named for positioning only, read as its location SDK"
	RuleFamily             = "family: the umbrella named with the words of several of its parts is their family; its base comes with them"
	RuleMakersBackRef      = "makers-back-ref: 上述厂商 refers to the phone makers the sentence before named as the user's phones"
	RuleVendorContext      = "vendor-context: the vendor named where the words around fit the SDK's category"
	RuleProductWords       = "product-words: a brand followed by words from one of its products' names"
	RuleTableRow           = "table-row: a row of an SDK table or an SDK record"
	RuleNegation           = "negation: the item is named to say it is not used"
	RuleDeclaration        = "declaration: a reviewed declaration file"
	RuleOperator           = "operator: the company the policy defines as itself (以下简称“我们”); its products are first-party"
)

// because returns ev with its reading set, unless one is set already.
func because(ev Evidence, rule string) Evidence {
	if ev.Rule == "" {
		ev.Rule = rule
	}
	return ev
}

// sameEvidence reports whether list already has this place and word.
func sameEvidence(list []Evidence, ev Evidence) bool {
	for _, e := range list {
		if e.File == ev.File && e.Line == ev.Line && e.Matched == ev.Matched {
			return true
		}
	}
	return false
}

// iosRe finds a sentence about the iOS app or iOS devices.
var iosRe = regexp.MustCompile(`\bios\b|iphone|ipad|ios端|ios版|ios设备|ios系统`)

// literalRe finds permission names written in a folded clause: the full
// android.permission.X form or an underscored short name.
var literalRe = regexp.MustCompile(`(?:android\.permission\.)?\b([a-z]+(?:_[a-z]+)+|android\.permission\.[a-z_]+)\b`)

// literalIn reports whether a folded clause names a known permission
// literally.
func (lx *Lexicon) literalIn(folded string) bool {
	// "权限声明代码：CAMERA": a name written as the permission's code says
	// exactly which, even without an underscore.
	for _, m := range codeLiteralRe.FindAllStringSubmatch(folded, 8) {
		if len(lx.permShort[strings.ToUpper(m[1])]) > 0 {
			return true
		}
	}
	if !strings.Contains(folded, "_") && !strings.Contains(folded, "android.permission.") {
		return false
	}
	for _, m := range literalRe.FindAllStringSubmatch(folded, -1) {
		name := strings.ToUpper(strings.TrimPrefix(m[1], "android.permission."))
		if len(lx.permShort[name]) > 0 {
			return true
		}
	}
	return false
}

func anyOf(set map[string]bool, list []string) bool {
	for _, x := range list {
		if set[x] {
			return true
		}
	}
	return false
}

// categoryOf is an SDK rule's category, "" when unknown.
func (x *extractor) categoryOf(id string) string {
	if s, ok := x.lx.db.SDK(id); ok {
		return s.Category
	}
	return ""
}

// fitsSDK reports whether context has words of the SDK's category; a share
// SDK (Weibo, QQ) also signs users in, so login words fit it too.
func (x *extractor) fitsSDK(context, id string) bool {
	c := x.categoryOf(id)
	return x.contextFits(context, c) || c == "share" && x.contextFits(context, "social-login") ||
		containsAny(context, deviceDataWords)
}

// deviceDataWords name data only code on the device can collect: a
// company receiving them is an SDK in the app, not a server-side recipient
// of what the user typed.
var deviceDataWords = []string{"设备信息", "设备标识", "设备识别", "mac", "imei", "android id", "androidid", "oaid", "device information", "device identifier"}

// recordVendors notes a mention of each vendor without narrowing it to
// products: the name is the operator or a recipient, not an SDK.
func (x *extractor) recordVendors(vendors []string, ev Evidence) {
	for _, v := range vendors {
		x.recordVendor(v, ev)
	}
}
