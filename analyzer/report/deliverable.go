package report

import (
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/sdkaudit/sdkaudit/analyzer/audit"
	"github.com/sdkaudit/sdkaudit/analyzer/dataaccess"
	"github.com/sdkaudit/sdkaudit/analyzer/report/model"
	"github.com/sdkaudit/sdkaudit/rules"
)

// The audit report for people (Markdown and HTML) is a compliance
// deliverable: a summary a manager reads in a minute, each finding with its
// evidence, draft rows for the policy's SDK list and permission list ready
// to paste, the date, the tool and rule versions, and what the analysis
// could not see. A Chinese report has no English left but identifiers
// (package, class, permission and rule ids, file names, links).

// namer gives display names from the rules the app was audited with; with
// no rules (a result built by hand) ids stand for names.
type namer struct {
	zh bool
	db *rules.DB
}

func (n namer) L(en, zh string) string {
	if n.zh && zh != "" {
		return zh
	}
	return en
}

func (n namer) sdkName(id string) string {
	if id == "app" {
		return n.L("the app", "本应用")
	}
	if n.db != nil {
		if r, ok := n.db.SDK(id); ok {
			return n.L(firstOf(r.Name.EN, id), firstOf(r.Name.ZH, r.Name.EN, id))
		}
	}
	return id
}

// sdkLabel is "name (id)", or the id alone when it is its own name.
func (n namer) sdkLabel(id string) string {
	name := n.sdkName(id)
	if name == id || id == "app" {
		return name
	}
	return name + " (" + id + ")"
}

func (n namer) vendorName(id string) string {
	if n.db != nil {
		if v, ok := n.db.Vendor(id); ok {
			return n.L(firstOf(v.Brand.EN, id), firstOf(v.Brand.ZH, v.Brand.EN, id))
		}
	}
	return id
}

func (n namer) dataName(id string) string {
	if n.db != nil {
		if c, ok := n.db.DataCategory(id); ok {
			return n.L(firstOf(c.Name.EN, id), firstOf(c.Name.ZH, c.Name.EN, id))
		}
	}
	return id
}

func (n namer) permLabel(name string) string {
	if n.db != nil {
		if p, ok := n.db.Permission(name); ok {
			if l := n.L(p.Label.EN, p.Label.ZH); l != "" {
				return l
			}
		}
	}
	return shortPermission(name)
}

// permCell is a permission as "label (android.permission.X)".
func (n namer) permCell(name string) cell {
	l := n.permLabel(name)
	if l == shortPermission(name) {
		return cell{code(name)}
	}
	return cell{txt(l + " "), code(name)}
}

func shortPermission(name string) string {
	return strings.TrimPrefix(name, "android.permission.")
}

func (n namer) severity(s audit.Severity) string {
	if n.zh {
		if z, ok := severityZH[s]; ok {
			return z
		}
	}
	return string(s)
}

func (n namer) category(c string) string {
	if n.zh {
		if z, ok := categoryZH[c]; ok {
			return z
		}
	}
	return c
}

func (n namer) status(s string) string {
	switch s {
	case "complete":
		return n.L("complete", "完整")
	case "incomplete":
		return n.L("incomplete", "不完整")
	}
	return s
}

func (n namer) confidence(c string) string {
	if n.zh {
		switch c {
		case "high":
			return "高"
		case "medium":
			return "中"
		case "low":
			return "低"
		}
	}
	return c
}

func (n namer) kind(k string) string {
	switch k {
	case "sdk":
		return "SDK"
	case "library":
		return n.L("library", "基础库")
	}
	return k
}

// declaredHow says how the policy covers an SDK.
func (n namer) declaredHow(how string) string {
	en := map[string]string{"name": "by name", "vendor": "by its vendor", "table": "in the SDK list", "declaration": "in the declaration file", "parent": "with the SDK that bundles it", "child": "through an SDK it contains"}
	zh := map[string]string{"name": "按名称", "vendor": "按厂商", "table": "SDK目录", "declaration": "声明文件", "parent": "随所属SDK披露", "child": "随其包含的SDK披露"}
	if n.zh {
		return firstOf(zh[how], how)
	}
	return firstOf(en[how], how)
}

// subject is a finding's subject for people.
func (n namer) subject(s audit.Subject) cell {
	switch {
	case s.SDK != nil && s.Data != "":
		return cell{txt(n.sdkName(s.SDK.ID) + " / " + n.dataName(s.Data) + " "), code(s.SDK.ID)}
	case s.SDK != nil:
		return cell{txt(n.sdkName(s.SDK.ID) + " "), code(s.SDK.ID)}
	case s.Permission != "":
		return n.permCell(s.Permission)
	case s.ThirdParty != "":
		return cell{txt(s.ThirdParty)}
	case s.Data != "":
		return cell{txt(n.dataName(s.Data) + " "), code(s.Data)}
	}
	return cell{txt(n.L("the app", "本应用"))}
}

func (n namer) subjectText(s audit.Subject) string {
	var b strings.Builder
	for _, sp := range n.subject(s) {
		b.WriteString(sp.text)
	}
	return b.String()
}

func firstOf(ss ...string) string {
	for _, s := range ss {
		if s != "" {
			return s
		}
	}
	return ""
}

// buildAuditDocument lays out one app's audit.
func buildAuditDocument(r *audit.Result, opts AuditOptions) *document {
	n := namer{zh: opts.Lang == "zh", db: r.Rules}
	L := n.L
	a, p := model.NewAppSummary(r.App), model.NewPolicySummary(r.Declaration)
	d := &document{lang: opts.Lang}
	d.title = L("Privacy audit: ", "隐私合规审计报告：") + firstOf(a.Package, a.File)
	d.h(1, "", txt(d.title))
	date := ""
	if !opts.Date.IsZero() {
		date = opts.Date.UTC().Format("2006-01-02")
	}

	rows := [][]cell{
		{{txt(L("App", "应用"))}, {code(a.Package)}},
		{{txt(L("Version", "版本"))}, {txt(a.VersionName + " (" + a.VersionCode + ")")}},
		{{txt(L("App file", "应用文件"))}, {code(a.File)}},
		{{txt("SHA-256")}, {code(a.SHA256)}},
		{{txt(L("Analysis", "分析状态"))}, {txt(n.status(a.Status))}},
		{{txt(L("Policy documents", "隐私政策文件"))}, joined(p.Sources, ", ", true)},
	}
	if date != "" {
		rows = append(rows, []cell{{txt(L("Report date", "报告日期"))}, {txt(date)}})
	}
	rows = append(rows,
		[]cell{{txt(L("Tool", "工具"))}, {txt("sdkaudit " + opts.ToolVersion)}},
		[]cell{{txt(L("Rules", "规则库"))}, {txt(r.RulesVersion)}})
	d.table([]string{L("Item", "项目"), L("Value", "内容")}, rows)

	writeSummary(d, n, r)
	if r.Changes != nil {
		writeChanges(d, n, r.Changes)
	}
	writeFindings(d, n, r)
	writeSDKDrafts(d, n, r, date)
	writePermissionDrafts(d, n, r, date)
	writeAccess(d, n, r.DataAccess)
	writeInventory(d, n, r)
	writeLimits(d, n, r)
	if len(r.Warnings) > 0 {
		d.h(2, "warnings", txt(L("Warnings", "警告")))
		if n.zh {
			d.p(txt("以下为工具对输入文件的提示（原文）："))
		}
		var items []cell
		for _, w := range r.Warnings {
			if n.zh {
				items = append(items, cell{code(w)})
			} else {
				items = append(items, cell{txt(w)})
			}
		}
		d.list(items...)
	}
	foot := fmt.Sprintf("Generated by sdkaudit %s with rules %s", opts.ToolVersion, r.RulesVersion)
	footZH := fmt.Sprintf("由 sdkaudit %s 生成，规则库 %s", opts.ToolVersion, r.RulesVersion)
	if date != "" {
		foot += " on " + date
		footZH += "，" + date
	}
	d.p(txt(L(foot+". An automated analysis: have a privacy reviewer check it before relying on it.", footZH+"。本报告为自动分析结果，使用前请由合规人员复核。")))
	return d
}

// undeclaredSDKs are the SDKs with a finding that a new SDK-list row
// answers, in finding order.
func findingsOf(r *audit.Result, kinds ...audit.Kind) []audit.Finding {
	var out []audit.Finding
	for _, f := range r.Findings {
		if !f.Suppressed && slices.Contains(kinds, f.Kind) {
			out = append(out, f)
		}
	}
	return out
}

func writeSummary(d *document, n namer, r *audit.Result) {
	L := n.L
	d.h(2, "summary", txt(L("Summary", "一分钟摘要")))
	c := r.Counts()
	waived := 0
	for _, f := range r.Findings {
		if f.Suppressed {
			waived++
		}
	}
	switch {
	case c[audit.SeverityHigh] > 0:
		d.p(strong(L("Verdict", "结论")), txt(L(": ", "：")+L(
			plural(c[audit.SeverityHigh], "%d high-severity finding stands; the policy does not match the app. Fix it before release.", "%d high-severity findings stand; the policy does not match the app. Fix them before release."),
			fmt.Sprintf("存在 %d 项高风险问题，隐私政策与应用实际情况不一致，发布前应处理。", c[audit.SeverityHigh]))))
	case c[audit.SeverityMedium] > 0:
		d.p(strong(L("Verdict", "结论")), txt(L(": ", "：")+L(
			plural(c[audit.SeverityMedium], "no high-severity finding; %d medium-severity finding to fix.", "no high-severity finding; %d medium-severity findings to fix."),
			fmt.Sprintf("无高风险问题；有 %d 项中风险问题需要处理。", c[audit.SeverityMedium]))))
	default:
		d.p(strong(L("Verdict", "结论")), txt(L(": ", "：")+L(
			"no high- or medium-severity finding: the policy covers what the app was seen to embed, request and read.",
			"未发现高、中风险问题：隐私政策覆盖了应用中检测到的SDK、权限及代码读取的个人信息。")))
	}
	d.p(txt(L(fmt.Sprintf("Findings: %s.", summaryLine(r)), "问题统计："+summaryLineZH(r)+"。")))

	var items []cell
	personal := 0
	for _, s := range r.SDKs {
		if s.Kind == "sdk" {
			personal++
		}
	}
	sdkF := findingsOf(r, audit.KindUndeclaredSDK, audit.KindSDKVendorOnly)
	item := cell{txt(L(fmt.Sprintf("SDKs: %d detected, %d of them handle personal information; %d not disclosed in the policy", len(r.SDKs), personal, len(sdkF)),
		fmt.Sprintf("第三方SDK：检测到 %d 个，其中 %d 个处理个人信息；%d 个未在隐私政策中披露", len(r.SDKs), personal, len(sdkF))))}
	item = appendNames(item, n, sdkF, func(f audit.Finding) string { return n.sdkName(f.Subject.SDK.ID) })
	items = append(items, item)

	permF := findingsOf(r, audit.KindUndeclaredPermission)
	item = cell{txt(L(fmt.Sprintf("Permissions: %d requested that the policy leaves out", len(permF)),
		fmt.Sprintf("权限：%d 项已申请但隐私政策未说明", len(permF))))}
	item = appendNames(item, n, permF, func(f audit.Finding) string { return n.permLabel(f.Subject.Permission) })
	items = append(items, item)

	dataF := findingsOf(r, audit.KindUndeclaredDataAccess)
	if r.DataAccess != nil {
		read := map[string]bool{}
		for _, o := range r.DataAccess.Owners {
			for _, c := range o.Categories {
				read[c.ID] = true
			}
		}
		item = cell{txt(L(fmt.Sprintf("Personal data read in code: %d kinds; %d never disclosed", len(read), len(dataF)),
			fmt.Sprintf("代码读取的个人信息：%d 类；%d 类未在隐私政策中说明", len(read), len(dataF))))}
		item = appendNames(item, n, dataF, func(f audit.Finding) string { return n.dataName(f.Subject.Data) })
		items = append(items, item)
	}
	rowF := findingsOf(r, audit.KindSDKDataUndeclared)
	if len(rowF) > 0 {
		items = append(items, cell{txt(L(fmt.Sprintf("SDK rows that leave out data the SDK collects: %d", len(rowF)),
			fmt.Sprintf("SDK目录中遗漏所收集个人信息的条目：%d 项", len(rowF))))})
	}
	stale := findingsOf(r, audit.KindStaleSDKDeclaration, audit.KindStalePermissionDeclaration)
	if len(stale) > 0 {
		items = append(items, cell{txt(L(fmt.Sprintf("Declared in the policy but not found in the app: %d (worth removing or explaining)", len(stale)),
			fmt.Sprintf("隐私政策已声明但应用中未发现：%d 项（建议删除或说明）", len(stale))))})
	}
	if a := r.App.Status; a != "complete" || len(r.Incomplete) > 0 {
		items = append(items, cell{txt(L("Analysis: incomplete; see “What this analysis could not see”.", "分析：不完整，详见“分析局限”。"))})
	} else {
		items = append(items, cell{txt(L("Analysis: complete, within the limits listed under “What this analysis could not see”.", "分析：完整（分析方法本身的局限见“分析局限”）。"))})
	}
	if waived > 0 {
		items = append(items, cell{txt(L(fmt.Sprintf("Waived findings: %d (accepted with a reason, listed below).", waived), fmt.Sprintf("已豁免的问题：%d 项（附理由，见下文）。", waived)))})
	}
	d.list(items...)

	var todo []cell
	if k := len(sdkF) + len(rowF); k > 0 {
		todo = append(todo, cell{txt(L(fmt.Sprintf("Add or amend %d rows of the policy's third-party SDK list (drafts below), or remove the SDKs.", k),
			fmt.Sprintf("在第三方SDK目录中补充或修改 %d 行（草稿见下文），或移除相应SDK。", k)))})
	}
	if len(permF) > 0 {
		todo = append(todo, cell{txt(L(fmt.Sprintf("Add %d rows to the policy's permission list (drafts below), or drop the permissions.", len(permF)),
			fmt.Sprintf("在设备权限调用清单中补充 %d 行（草稿见下文），或删除相应权限。", len(permF))))})
	}
	if len(dataF) > 0 {
		todo = append(todo, cell{txt(L(fmt.Sprintf("Disclose %d kinds of personal data the code reads, with who reads them and why, or remove the code.", len(dataF)),
			fmt.Sprintf("说明代码读取的 %d 类个人信息及其收集方和目的，或移除相关代码。", len(dataF))))})
	}
	if len(todo) > 0 {
		d.p(strong(L("To do", "待办事项")))
		d.list(todo...)
	}
}

// appendNames adds ": a, b, c" to a summary line.
func appendNames(c cell, n namer, fs []audit.Finding, name func(audit.Finding) string) cell {
	if len(fs) == 0 {
		return append(c, txt(n.L(".", "。")))
	}
	var names []string
	for _, f := range fs {
		names = append(names, name(f))
	}
	names = slices.Compact(names)
	c = append(c, txt(n.L(": ", "：")))
	c = append(c, joined(names, n.L(", ", "、"), false)...)
	return append(c, txt(n.L(".", "。")))
}

func writeChanges(d *document, n namer, c *audit.Changes) {
	L := n.L
	d.h(2, "changes", txt(L("Changes since ", "相对于旧版本的变化：")), code(c.OldFile))
	row := func(label string, ids []string, show func(string) string) cell {
		out := cell{txt(label + L(": ", "："))}
		if len(ids) == 0 {
			return append(out, txt("—"))
		}
		for i, id := range ids {
			if i > 0 {
				out = append(out, txt(L(", ", "、")))
			}
			if name := show(id); name != id {
				out = append(out, txt(name+" "))
			}
			out = append(out, code(id))
		}
		return out
	}
	same := func(s string) string { return s }
	d.list(
		row(L("Added SDKs", "新增SDK"), c.AddedSDKs, n.sdkName),
		row(L("Removed SDKs", "移除SDK"), c.RemovedSDKs, n.sdkName),
		row(L("Added permissions", "新增权限"), c.AddedPermissions, same),
		row(L("Removed permissions", "移除权限"), c.RemovedPermissions, same),
		row(L("Data the code newly reads", "代码新增读取的个人信息"), c.AddedDataAccess, n.dataName),
		row(L("Data the code no longer reads", "代码不再读取的个人信息"), c.RemovedDataAccess, n.dataName),
	)
	d.p(txt(L("Findings below are those the new build adds: auditing it gives them and auditing the old build against the same policy does not.",
		"以下问题为新版本新增：审计新版本时出现、而以同一隐私政策审计旧版本时没有的问题。")))
}

func writeFindings(d *document, n namer, r *audit.Result) {
	L := n.L
	d.h(2, "findings", txt(L("Findings", "问题清单")))
	if len(r.Findings) == 0 {
		d.p(txt(L("No findings.", "未发现问题。")))
		return
	}
	var rows [][]cell
	for i, f := range r.Findings {
		msg := message(f, n.lang())
		if f.Suppressed {
			msg = L("Waived: ", "已豁免：") + f.SuppressedBy + L(". ", "。") + msg
		}
		rows = append(rows, []cell{{txt(strconv.Itoa(i + 1))}, {txt(n.severity(f.Severity))}, {code(f.Rule), txt(" "), code(string(f.Kind))}, n.subject(f.Subject), {txt(msg)}})
	}
	d.table([]string{"#", L("Severity", "级别"), L("Rule", "规则"), L("Subject", "对象"), L("Finding", "说明")}, rows)

	d.h(2, "evidence", txt(L("Findings with their evidence", "问题详情与证据")))
	for i, f := range r.Findings {
		head := cell{txt(fmt.Sprintf("%d. [%s] ", i+1, n.severity(f.Severity))), code(f.Rule), txt(" ")}
		head = append(head, n.subject(f.Subject)...)
		d.h(3, fmt.Sprintf("finding-%d", i+1), head...)
		if f.Suppressed {
			d.p(strong(L("Waived", "已豁免")), txt(L(": ", "：")+f.SuppressedBy))
		}
		d.p(txt(message(f, n.lang())))
		if app := appEvidence(n, r, f); len(app) > 0 {
			d.p(strong(L("In the app", "应用中的证据")))
			d.list(app...)
		}
		if len(f.AttributedTo) > 0 && f.Subject.SDK == nil {
			var who []string
			for _, id := range f.AttributedTo {
				who = append(who, n.sdkLabel(id))
			}
			d.p(strong(L("Who needs it", "使用方")), txt(L(": ", "：")+strings.Join(who, L(", ", "、"))))
		}
		quotes, statements := policyEvidence(n, f.PolicyEvidence)
		if len(quotes)+len(statements) > 0 {
			d.p(strong(L("In the policy", "隐私政策中的内容")))
			d.quote(quotes...)
			d.list(statements...)
		}
		if fix := tr(n.lang(), f.Fix, f.FixZH); fix != "" {
			d.p(strong(L("Fix", "建议")), txt(L(": ", "：")+fix))
		}
	}
}

func (n namer) lang() string {
	if n.zh {
		return "zh"
	}
	return "en"
}

// appEvidence is where the finding's subject shows in the app, from the
// structured results where they exist (so a Chinese report words them in
// Chinese), from the finding's own lines otherwise.
func appEvidence(n namer, r *audit.Result, f audit.Finding) []cell {
	L := n.L
	switch f.Kind {
	case audit.KindUndeclaredSDK, audit.KindSDKVendorOnly:
		for _, s := range r.SDKs {
			if f.Subject.SDK != nil && s.ID == f.Subject.SDK.ID {
				return detectionEvidence(n, s)
			}
		}
	case audit.KindSDKDataUndeclared:
		if f.Basis == "observed" && f.Subject.SDK != nil {
			if sites := callSites(n, r.DataAccess, []string{f.Subject.SDK.ID}, f.Subject.Data); len(sites) > 0 {
				return sites
			}
		}
		if f.Basis == "typical" {
			return []cell{{txt(L("The SDK's rule lists this data; the SDK's code in this app was not seen reading it (the row should still name what the SDK collects).",
				"规则库记载该SDK通常收集此信息；本应用中未发现该SDK读取它的代码（SDK目录仍应写明SDK收集的信息）。"))}}
		}
	case audit.KindUndeclaredDataAccess:
		if sites := callSites(n, r.DataAccess, f.AttributedTo, f.Subject.Data); len(sites) > 0 {
			return sites
		}
	case audit.KindUndeclaredPermission:
		return []cell{{txt(L("Requested in the manifest by ", "清单文件以 ")), code("uses-permission"), txt(L(": ", " 申请：")), code(f.Subject.Permission)}}
	case audit.KindStaleSDKDeclaration:
		return []cell{{txt(L("No signature of the SDK in the DEX files, manifest, native libraries or assets.", "在DEX代码、清单文件、原生库和资源文件中均未发现该SDK的特征。"))}}
	case audit.KindStalePermissionDeclaration:
		return []cell{{txt(L("The manifest does not request it.", "清单文件中未申请该权限。"))}}
	}
	var out []cell
	for _, e := range f.AppEvidence {
		out = append(out, rawEvidence(n, e))
	}
	return out
}

// rawEvidence shows a line of evidence the report has no structure for:
// as it is in English, as a quoted tool message in Chinese.
func rawEvidence(n namer, s string) cell {
	if n.zh {
		return cell{txt("工具原文："), code(s)}
	}
	return cell{txt(s)}
}

func detectionEvidence(n namer, s audit.SDKStatus) []cell {
	L := n.L
	label := map[string][2]string{
		"dex-prefix": {"Classes under the package ", "包名下的类 "},
		"component":  {"Manifest component ", "清单组件 "},
		"meta-data":  {"Manifest meta-data ", "清单元数据 "},
		"native-lib": {"Native library ", "原生库 "},
		"asset":      {"Asset ", "资源文件 "},
		"permission": {"Permission ", "权限 "},
		"anchor":     {"Entry class or artefact ", "入口类或构件 "},
	}
	var out []cell
	for _, e := range s.Evidence {
		l, ok := label[e.Kind]
		c := cell{}
		if ok {
			c = append(c, txt(L(l[0], l[1])))
		} else {
			c = append(c, code(e.Kind), txt(" "))
		}
		c = append(c, code(e.Signature))
		if m := metaDataWhere.FindStringSubmatch(e.Where); m != nil {
			c = append(c, txt(L(" declared on ", "，声明于 ")), code(m[2]))
		} else {
			c = append(c, txt(L(" in ", "，位于 ")), code(e.Where))
		}
		if e.Classes > 0 {
			c = append(c, txt(L(fmt.Sprintf(" (%d classes)", e.Classes), fmt.Sprintf("（%d 个类）", e.Classes))))
		}
		out = append(out, c)
	}
	if s.Version != "" {
		out = append(out, cell{txt(L("Version ", "版本 ")), code(s.Version), txt(L(" from ", "，来自 ")), code(s.VersionSource)})
	}
	if s.Via != "" {
		out = append(out, cell{txt(L("Seen through ", "通过 ")), code(s.Via), txt(L("'s adapter code", " 的适配代码发现"))})
	}
	return out
}

// callSites lists, per owner, the call sites reading a data category, as
// far as --max-call-sites kept them, and how many more there are.
func callSites(n namer, da *dataaccess.Result, owners []string, data string) []cell {
	if da == nil {
		return nil
	}
	L := n.L
	var out []cell
	for _, o := range da.Owners {
		if len(owners) > 0 && !slices.Contains(owners, o.ID) {
			continue
		}
		for _, c := range o.Categories {
			if c.ID != data {
				continue
			}
			for _, s := range c.CallSites {
				out = append(out, cell{txt(n.sdkLabel(o.ID) + L(": code calls ", "：代码调用 ")), code(s.API), txt(L(" in ", "，位于 ")), code(s.Class + "." + methodName(s.Method)), txt(" ("), code(s.Dex), txt(")")})
			}
			if more := c.SitesTotal - len(c.CallSites); more > 0 {
				out = append(out, cell{txt(n.sdkLabel(o.ID) + L(fmt.Sprintf(": %d more call sites (--max-call-sites shows more)", more), fmt.Sprintf("：另有 %d 处调用（可用 --max-call-sites 查看）", more)))})
			}
		}
	}
	return out
}

// metaDataWhere is where a meta-data key was seen: "meta-data KEY on
// OWNER" (the application or a component).
var metaDataWhere = regexp.MustCompile(`^meta-data (\S+) on (.+)$`)

var policyQuote = regexp.MustCompile(`^(.+?):(\d+): (.*)$`)

// policyEvidence splits a finding's policy evidence into quoted sentences
// (file:line and the text) and statements of what the policy lacks.
func policyEvidence(n namer, lines []string) (quotes, statements []cell) {
	statementZH := map[string]string{
		"no mention of the SDK, its aliases or a fitting vendor mention in the policy":                      "隐私政策中没有提到该SDK、其别名，也没有可对应的厂商描述。",
		"no term for this data category, and no declared permission that gives access to it, in the policy": "隐私政策中没有该类个人信息的描述，也没有声明可获取该信息的权限。",
		"no permission term or data category for it in the policy":                                          "隐私政策中没有该权限的描述，也没有其涉及的个人信息类别。",
		"the policy's row for the SDK lists no such data":                                                   "隐私政策中该SDK的条目未列出此信息。",
	}
	seen := map[string]bool{}
	for _, l := range lines {
		if seen[l] {
			continue
		}
		seen[l] = true
		if m := policyQuote.FindStringSubmatch(l); m != nil && !strings.Contains(m[1], " ") {
			quotes = append(quotes, cell{code(m[1] + ":" + m[2]), txt(n.L(": ", "：")), txt("“" + m[3] + "”")})
			continue
		}
		if zh, ok := statementZH[l]; ok && n.zh {
			statements = append(statements, cell{txt(zh)})
			continue
		}
		statements = append(statements, rawEvidence(n, l))
	}
	return quotes, statements
}

// draftSDKs are the SDKs whose policy row is missing (a new row) or lacks
// data (a row to amend), in finding order.
func draftSDKs(r *audit.Result) (rows []audit.SDKStatus, amend map[string][]string) {
	amend = map[string][]string{}
	want := map[string]bool{}
	var order []string
	for _, f := range r.Findings {
		if f.Suppressed || f.Subject.SDK == nil {
			continue
		}
		id := f.Subject.SDK.ID
		switch f.Kind {
		case audit.KindUndeclaredSDK, audit.KindSDKVendorOnly:
		case audit.KindSDKDataUndeclared:
			amend[id] = append(amend[id], f.Subject.Data)
		default:
			continue
		}
		if !want[id] {
			want[id] = true
			order = append(order, id)
		}
	}
	for _, id := range order {
		for _, s := range r.SDKs {
			if s.ID == id {
				rows = append(rows, s)
			}
		}
	}
	return rows, amend
}

func writeSDKDrafts(d *document, n namer, r *audit.Result, date string) {
	L := n.L
	sdks, amend := draftSDKs(r)
	if len(sdks) == 0 {
		return
	}
	d.h(2, "draft-sdk-list", txt(L("Draft rows for the policy's third-party SDK list", "第三方SDK目录补充建议（草稿）")))
	draftIntro(d, n, date, "Rows ready to paste into the policy's third-party SDK list, one per SDK the policy leaves out (or whose row leaves out data). The purpose and data are what such SDKs do and collect, plus what this build's code was seen reading; check each row against the app's real integration before publishing it.",
		"以下各行可直接粘贴到隐私政策的第三方SDK目录中，每个未披露（或条目遗漏个人信息）的SDK一行。使用目的和个人信息来自规则库对该类SDK的记载及本版本代码中实际发现的读取；发布前请根据实际集成情况逐行核对。")
	var rows [][]cell
	for _, s := range sdks {
		name := n.sdkName(s.ID)
		operator := n.vendorName(s.Vendor)
		if len(s.VendorNames) > 0 {
			operator = s.VendorNames[0]
		}
		var data []string
		ids := s.Data
		if len(ids) == 0 {
			ids = s.ObservedData
		}
		for _, id := range ids {
			data = append(data, n.dataName(id))
		}
		dataCell := joined(data, L(", ", "、"), false)
		if missing := amend[s.ID]; len(missing) > 0 {
			var m []string
			for _, id := range missing {
				m = append(m, n.dataName(id))
			}
			dataCell = append(dataCell, txt(L(" (the policy's row leaves out: ", "（现有条目遗漏：")))
			dataCell = append(dataCell, joined(m, L(", ", "、"), false)...)
			dataCell = append(dataCell, txt(L(")", "）")))
		}
		perms := append([]string{}, s.Permissions...)
		sort.Strings(perms)
		var permCell cell
		for i, p := range perms {
			if i > 0 {
				permCell = append(permCell, txt(L("; ", "；")))
			}
			permCell = append(permCell, n.permCell(p)...)
		}
		policyCell, guideCell := sdkLinks(n, r.Rules, s)
		var ev []string
		for _, e := range s.Evidence {
			ev = append(ev, e.Signature)
		}
		rows = append(rows, []cell{{txt(name)}, {txt(operator)}, {txt(n.category(s.Category))}, dataCell, permCell, policyCell, guideCell, joined(slices.Compact(ev), ", ", true)})
	}
	d.table([]string{L("SDK", "SDK名称"), L("Operator", "第三方主体"), L("Purpose", "使用目的"), L("Personal information", "收集的个人信息"),
		L("Permissions", "所需权限"), L("Privacy policy", "隐私政策链接"), L("Compliance guide", "合规指引"), L("Found in this build", "检测依据")}, rows)
}

// sdkLinks are the SDK's privacy-policy and compliance-guide links: the
// SDK's own, else the vendor's privacy policy marked as such.
func sdkLinks(n namer, db *rules.DB, s audit.SDKStatus) (policy, guide cell) {
	L := n.L
	url := s.PolicyURL
	var sdk *rules.SDK
	if db != nil {
		sdk, _ = db.SDK(s.ID)
	}
	if sdk != nil && url == "" {
		url = sdk.PolicyURL
	}
	switch {
	case url != "":
		policy = cell{link(url, url)}
	case db != nil:
		if v, ok := db.Vendor(s.Vendor); ok && v.PrivacyURL != "" {
			policy = cell{link(v.PrivacyURL, v.PrivacyURL), txt(L(" (the vendor's policy)", "（厂商隐私政策）"))}
		}
	}
	if len(policy) == 0 {
		policy = cell{txt(L("ask the vendor", "请向厂商索取"))}
		// A rule that records why no link exists (vendor gone, none
		// published) says so briefly; the reason itself is for rule
		// maintainers and stays out of a row meant to be pasted.
		if noPublicPolicy(db, sdk, s.Vendor) {
			policy = cell{txt(L("none published; ask the vendor", "未公开，请向厂商索取"))}
		}
	}
	if sdk != nil && sdk.GuideURL != "" {
		guide = cell{link(sdk.GuideURL, sdk.GuideURL)}
	} else {
		guide = cell{txt("—")}
	}
	return policy, guide
}

// noPublicPolicy reports whether the rules record that neither the SDK nor
// its vendor publishes a privacy policy that could be found.
func noPublicPolicy(db *rules.DB, sdk *rules.SDK, vendor string) bool {
	if sdk != nil && sdk.PolicyURLNone != "" {
		return true
	}
	if db == nil {
		return false
	}
	v, ok := db.Vendor(vendor)
	return ok && v.PrivacyURLNone != ""
}

// whenAsked says when a permission is granted, from its protection level.
func whenAsked(n namer, level string) string {
	L := n.L
	switch {
	case strings.Contains(level, "dangerous"):
		return L("Asked at run time, when the feature that needs it is first used; the user may refuse", "在首次使用相关功能时弹窗申请，您可以拒绝")
	case strings.Contains(level, "appop"):
		return L("The user turns it on in system settings", "需您在系统设置中手动开启")
	case strings.Contains(level, "signature") || strings.Contains(level, "privileged"):
		return L("Granted to system or pre-installed apps only", "仅授予系统或预装应用")
	case level == "vendor":
		return L("Defined by the phone maker or Google Play services; granted without a prompt", "由手机厂商或谷歌服务定义，无需弹窗")
	case strings.Contains(level, "normal"):
		return L("Granted at install, without a prompt", "安装时由系统授予，无需弹窗")
	}
	return level
}

// draftIntro writes the paragraph above a table of draft rows, dated.
func draftIntro(d *document, n namer, date, en, zh string) {
	intro := n.L(en, zh)
	if date != "" {
		intro += n.L(" Drafted "+date+".", "草拟日期："+date+"。")
	}
	d.p(txt(intro))
}

func writePermissionDrafts(d *document, n namer, r *audit.Result, date string) {
	L := n.L
	fs := findingsOf(r, audit.KindUndeclaredPermission)
	if len(fs) == 0 {
		return
	}
	d.h(2, "draft-permission-list", txt(L("Draft rows for the policy's permission list", "设备权限调用清单补充建议（草稿）")))
	draftIntro(d, n, date, "Rows ready to paste into the policy's permission list, one per permission the app requests and the policy leaves out. The purpose is a typical one: state the app's own.",
		"以下各行可直接粘贴到隐私政策的设备权限调用清单中，每项已申请但未说明的权限一行。使用目的为此类权限的常见用途，请改写为本应用的实际用途。")
	var rows [][]cell
	for _, f := range fs {
		name := f.Subject.Permission
		label, purpose, level := shortPermission(name), "", ""
		var data []string
		if r.Rules != nil {
			if p, ok := r.Rules.Permission(name); ok {
				label = firstOf(n.L(p.Label.EN, p.Label.ZH), label)
				purpose = n.L(p.Purpose.EN, p.Purpose.ZH)
				level = p.ProtectionLevel
				for _, id := range p.Data {
					data = append(data, n.dataName(id))
				}
			}
		}
		var who []string
		for _, id := range f.AttributedTo {
			who = append(who, n.sdkLabel(id))
		}
		rows = append(rows, []cell{{txt(label)}, {code(name)}, {txt(firstOf(purpose, L("(state the purpose)", "（请填写使用目的）")))}, {txt(whenAsked(n, level))},
			joined(data, L(", ", "、"), false), joined(who, L(", ", "、"), false)})
	}
	d.table([]string{L("Permission", "权限名称"), L("System name", "系统权限"), L("Purpose", "使用目的"), L("When it is asked", "申请时机"),
		L("Personal information it reaches", "涉及的个人信息"), L("Needed by", "使用方（SDK/应用）")}, rows)
}

func writeAccess(d *document, n namer, da *dataaccess.Result) {
	if da == nil {
		return
	}
	L := n.L
	d.h(2, "data-access", txt(L("Data access in code", "代码中的个人信息访问")))
	reach := da.Reachability != nil
	if !reach {
		d.p(txt(L(
			fmt.Sprintf("Present in code, not proven executed: the app's DEX code references these APIs (%d methods scanned). Reachability, reflection and code loaded at run time are not analysed.", da.Methods),
			fmt.Sprintf("以下为代码中存在的调用，不代表一定会执行（共扫描 %d 个方法）；未分析可达性、反射及运行时加载的代码。", da.Methods))))
	} else {
		d.p(txt(L(
			fmt.Sprintf("Present in code, with reach from a static call graph (%d methods scanned): start-up code runs when the process starts, before any screen (a path from the Application, a content provider, an androidx.startup initializer or a boot receiver; \"~>\" marks a hand-off to a thread, executor, handler, coroutine or service); reachable code runs from an activity, service or receiver; unreachable code has no path from the manifest (reflection aside); unknown could not be decided. Paths are static evidence, not a trace of a run.", da.Methods),
			fmt.Sprintf("以下为代码中存在的调用及其可达性（静态调用图，共扫描 %d 个方法）：启动时执行指应用进程启动时、任何界面出现前即会执行（自应用主类、内容提供者、androidx.startup初始化器或开机广播出发；“~>”表示交给线程、线程池、消息处理器、协程或服务的异步调用）；可达指可由界面、服务或广播接收器执行；不可达指清单中的入口均无法到达（反射除外）；未知指无法判定。路径为静态证据，并非运行记录。", da.Methods))))
		if note := da.Reachability.Note; note != "" {
			d.p(txt(note))
		}
	}
	if len(da.Owners) == 0 {
		d.p(txt(L("No code reading personal data was found.", "未发现读取个人信息的代码。")))
		return
	}
	var rows [][]cell
	for _, o := range da.Owners {
		for _, c := range o.Categories {
			name := firstOf(L(c.Name, c.NameZH), c.ID)
			var apis cell
			for i, a := range c.APIs {
				if i > 0 {
					apis = append(apis, txt(", "))
				}
				apis = append(apis, code(a.ID))
				if a.Restricted {
					apis = append(apis, txt(L(" (restricted on all supported versions)", "（在支持的系统版本上已受限）")))
				}
			}
			var sites []string
			for _, s := range c.CallSites {
				sites = append(sites, siteTextLang(s, n))
			}
			sc := joined(sites, "; ", true)
			if more := c.SitesTotal - len(c.CallSites); more > 0 {
				sc = append(sc, txt(L(fmt.Sprintf(" and %d more", more), fmt.Sprintf(" 等另 %d 处", more))))
			}
			if reach {
				rows = append(rows, []cell{{txt(n.sdkLabel(o.ID))}, {txt(name)}, {txt(reachLabel(c.Reach, n))}, apis, {txt(strconv.Itoa(c.SitesTotal))}, sc})
				continue
			}
			rows = append(rows, []cell{{txt(n.sdkLabel(o.ID))}, {txt(name)}, apis, {txt(strconv.Itoa(c.SitesTotal))}, sc})
		}
	}
	if reach {
		d.table([]string{L("Owner", "归属"), L("Data", "个人信息"), L("Reach", "可达性"), "API", L("Sites", "调用处"), L("Call sites (reach: path)", "调用位置（可达性：调用路径）")}, rows)
		return
	}
	d.table([]string{L("Owner", "归属"), L("Data", "个人信息"), "API", L("Sites", "调用处"), L("Call sites", "调用位置")}, rows)
}

func writeInventory(d *document, n namer, r *audit.Result) {
	L := n.L
	d.h(2, "sdk-inventory", txt(L("SDK inventory", "SDK清单")))
	if len(r.SDKs) == 0 {
		d.p(txt(L("No known SDK detected.", "未检测到已知SDK。")))
		return
	}
	var rows [][]cell
	for _, s := range r.SDKs {
		disc := L("no", "否")
		if s.Declared {
			disc = L("yes", "是") + L(" ("+n.declaredHow(s.DeclaredHow)+")", "（"+n.declaredHow(s.DeclaredHow)+"）")
		} else if s.Kind == "library" {
			disc = L("n/a (library)", "不适用（基础库）")
		}
		ver := cell{txt("—")}
		if s.Version != "" {
			ver = cell{code(s.Version)}
		}
		rows = append(rows, []cell{{txt(n.sdkName(s.ID) + " "), code(s.ID)}, {txt(n.vendorName(s.Vendor))}, {txt(n.category(s.Category))}, {txt(n.kind(s.Kind))}, ver, {txt(n.confidence(s.Confidence))}, {txt(disc)}})
	}
	d.table([]string{"SDK", L("Vendor", "厂商"), L("Category", "类别"), L("Kind", "类型"), L("Version", "版本"), L("Confidence", "置信度"), L("Disclosed", "是否披露")}, rows)
}

// writeLimits says what the analysis could not see: always the limits of
// the method, then this app's own.
func writeLimits(d *document, n namer, r *audit.Result) {
	L := n.L
	d.h(2, "limits", txt(L("What this analysis could not see", "分析局限")))
	items := []cell{
		{txt(L("Whether code runs, and when: calls are present in the code, not proven executed; collection before consent is not observed.", "代码是否执行及何时执行：报告的是代码中存在的调用，未证明其会执行，也未观察同意前是否收集。"))},
		{txt(L("Code loaded at run time, reflection, strings built at run time and the behaviour of native libraries.", "运行时加载的代码、反射调用、运行时拼接的字符串以及原生库的行为。"))},
		{txt(L("What servers collect and whom the data is shared with after collection.", "服务器端的收集行为，以及收集后向谁共享。"))},
		{txt(L("Policy text in images, PDFs or linked pages not given to the tool, and text hidden from the reader.", "隐私政策中以图片、PDF或未提供的链接页面呈现的内容，以及对读者隐藏的文字。"))},
		{txt(L("SDKs the rule database does not know, and SDK features the app switched off in its configuration.", "规则库未收录的SDK，以及应用通过配置关闭的SDK功能。"))},
	}
	if r.DataAccess == nil {
		items = append(items, cell{txt(L("This run skipped the code scan (--no-code): data read in code was not checked.", "本次未扫描代码（--no-code），未检查代码读取的个人信息。"))})
	}
	d.list(items...)
	if len(r.Incomplete) > 0 {
		d.p(strong(L("This app: the analysis is incomplete", "本应用：分析不完整")))
		var inc []cell
		for _, s := range r.Incomplete {
			inc = append(inc, rawEvidence(n, s))
		}
		d.list(inc...)
	}
}

// plural formats n with the singular or plural sentence.
func plural(n int, one, many string) string {
	if n == 1 {
		return fmt.Sprintf(one, n)
	}
	return fmt.Sprintf(many, n)
}
