package report

import (
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/olekukonko/tablewriter"

	"github.com/sdkaudit/sdkaudit/analyzer/audit"
	"github.com/sdkaudit/sdkaudit/analyzer/dataaccess"
)

// tr picks the report language.
func tr(lang, en, zh string) string {
	if lang == "zh" && zh != "" {
		return zh
	}
	return en
}

func message(f audit.Finding, lang string) string { return tr(lang, f.Message, f.MessageZH) }

func subjectText(s audit.Subject) string {
	switch {
	case s.SDK != nil && s.Data != "":
		return s.SDK.ID + " / " + s.Data
	case s.SDK != nil:
		return s.SDK.ID + " (" + s.SDK.Vendor + ")"
	case s.Permission != "":
		return s.Permission
	case s.ThirdParty != "":
		return s.ThirdParty
	case s.Data != "":
		return "data: " + s.Data
	}
	return "app"
}

func summaryLine(r *audit.Result) string {
	c := r.Counts()
	sup := 0
	for _, f := range r.Findings {
		if f.Suppressed {
			sup++
		}
	}
	return fmt.Sprintf("%d high, %d medium, %d low, %d info (%d waived)", c[audit.SeverityHigh], c[audit.SeverityMedium], c[audit.SeverityLow], c[audit.SeverityInfo], sup)
}

type auditTableEncoder struct{}

func (auditTableEncoder) Name() string { return "table" }

func (auditTableEncoder) Encode(w io.Writer, r *audit.Result, opts AuditOptions) error {
	app := r.App
	fmt.Fprintf(w, "%s  %s %s  (%s)\n", Clean(app.File), Clean(app.Package), Clean(versionName(r)), Clean(app.Status))
	if c := r.Changes; c != nil {
		fmt.Fprintf(w, "compared with %s: SDKs +%s -%s, permissions +%s -%s, data read +%s -%s\n", Clean(c.OldFile), cleanList(c.AddedSDKs), cleanList(c.RemovedSDKs), cleanList(c.AddedPermissions), cleanList(c.RemovedPermissions), cleanList(c.AddedDataAccess), cleanList(c.RemovedDataAccess))
	}
	zh := opts.Lang == "zh"
	if zh {
		fmt.Fprintf(w, "发现：%s\n", summaryLineZH(r))
	} else {
		fmt.Fprintf(w, "findings: %s\n", summaryLine(r))
	}
	for _, sev := range []string{audit.SeverityHigh, audit.SeverityMedium, audit.SeverityLow, audit.SeverityInfo} {
		var rows [][]string
		for _, f := range r.Findings {
			if f.Severity != sev {
				continue
			}
			msg := message(f, opts.Lang)
			if f.Suppressed && zh {
				msg = "[已豁免：" + f.SuppressedBy + "] " + msg
			} else if f.Suppressed {
				msg = "[waived: " + f.SuppressedBy + "] " + msg
			}
			rows = append(rows, []string{Clean(f.Rule), Clean(f.Kind), Clean(subjectText(f.Subject)), Clean(msg)})
		}
		if len(rows) == 0 {
			continue
		}
		var t *tablewriter.Table
		if zh {
			fmt.Fprintf(w, "\n%s\n", severityZH[sev])
			t = newTable(w, "规则", "类型", "对象", "说明")
		} else {
			fmt.Fprintf(w, "\n%s\n", strings.ToUpper(sev))
			t = newTable(w, "rule", "kind", "subject", "message")
		}
		for _, row := range rows {
			_ = t.Append(row)
		}
		if err := t.Render(); err != nil {
			return err
		}
	}
	if r.DataAccess != nil {
		fmt.Fprintln(w)
		if err := writeAccessTable(w, r.DataAccess); err != nil {
			return err
		}
	}
	for _, warn := range r.Warnings {
		fmt.Fprintf(w, "warning: %s\n", Clean(warn))
	}
	fmt.Fprintf(w, "\nsdkaudit %s, rules %s\n", Clean(opts.ToolVersion), Clean(r.RulesVersion))
	return nil
}

// cleanList prints a list as %v does, each element cleaned.
func cleanList(ss []string) string { return fmt.Sprint(cleanAll(ss)) }

func versionName(r *audit.Result) string {
	if r.App.Manifest != nil && r.App.VersionName != nil {
		return r.App.VersionName.Value
	}
	return ""
}

type auditJSONEncoder struct{}

func (auditJSONEncoder) Name() string { return "json" }

// auditDoc is the JSON contract (docs/audit-report.schema.json).
type auditDoc struct {
	SchemaVersion string             `json:"schema_version"`
	Tool          toolInfo           `json:"tool"`
	RulesVersion  string             `json:"rules_version"`
	App           appSummary         `json:"app"`
	Policy        policySum          `json:"policy"`
	Summary       map[string]int     `json:"summary"`
	Findings      []audit.Finding    `json:"findings"`
	SDKs          []audit.SDKStatus  `json:"sdks"`
	Changes       *audit.Changes     `json:"changes,omitempty"`
	DataAccess    *dataaccess.Result `json:"data_access,omitempty"`
	Incomplete    []string           `json:"incomplete"`
	Warnings      []string           `json:"warnings"`
	Inventory     any                `json:"inventory"`
}

type appSummary struct {
	File        string `json:"file"`
	SHA256      string `json:"sha256"`
	Package     string `json:"package"`
	VersionCode string `json:"version_code"`
	VersionName string `json:"version_name"`
	Status      string `json:"status"`
}

type policySum struct {
	Sources        []string `json:"sources"`
	Permissions    int      `json:"permissions"`
	DataCategories int      `json:"data_categories"`
	SDKs           []string `json:"sdks"`
	Vendors        []string `json:"vendors"`
	Unresolved     []string `json:"unresolved_third_parties"`
	VersionScope   string   `json:"version_scope,omitempty"`
}

func summarize(r *audit.Result) (appSummary, policySum) {
	a := appSummary{File: r.App.File, SHA256: r.App.SHA256, Package: r.App.Package, Status: r.App.Status, VersionName: versionName(r)}
	if r.App.Manifest != nil && r.App.VersionCode != nil {
		a.VersionCode = r.App.VersionCode.Value
	}
	p := policySum{Sources: []string{}, SDKs: []string{}, Vendors: []string{}, Unresolved: []string{}}
	if d := r.Declaration; d != nil {
		for _, s := range d.Sources {
			p.Sources = append(p.Sources, s.File)
		}
		p.Permissions, p.DataCategories, p.VersionScope = len(d.Permissions), len(d.DataCategories), d.VersionScope
		for _, s := range d.SDKs {
			p.SDKs = append(p.SDKs, s.ID)
		}
		for _, v := range d.Vendors {
			p.Vendors = append(p.Vendors, v.ID)
		}
		for _, u := range d.Unresolved {
			p.Unresolved = append(p.Unresolved, u.Name)
		}
	}
	return a, p
}

func (auditJSONEncoder) Encode(w io.Writer, r *audit.Result, opts AuditOptions) error {
	return writeJSON(w, auditDocOf(r, opts), true)
}

// auditDocOf is one app's audit JSON document.
func auditDocOf(r *audit.Result, opts AuditOptions) auditDoc {
	a, p := summarize(r)
	sum := map[string]int{"high": 0, "medium": 0, "low": 0, "info": 0, "suppressed": 0}
	for k, v := range r.Counts() {
		sum[k] = v
	}
	for _, f := range r.Findings {
		if f.Suppressed {
			sum["suppressed"]++
		}
	}
	inv := *r.App
	inv.Dex.Classes = nil
	doc := auditDoc{SchemaVersion: AuditSchemaVersion, Tool: toolInfo{Name: "sdkaudit", Version: opts.ToolVersion}, RulesVersion: r.RulesVersion,
		App: a, Policy: p, Summary: sum, Findings: r.Findings, SDKs: r.SDKs, Changes: r.Changes, DataAccess: r.DataAccess, Incomplete: r.Incomplete, Warnings: r.Warnings, Inventory: &inv}
	return doc
}

type markdownEncoder struct{}

func (markdownEncoder) Name() string { return "markdown" }

func (markdownEncoder) Encode(w io.Writer, r *audit.Result, opts AuditOptions) error {
	L := func(en, zh string) string { return tr(opts.Lang, en, zh) }
	a, p := summarize(r)
	fmt.Fprintf(w, "# %s: %s\n\n", L("Privacy audit", "隐私合规审计"), md(a.Package))
	fmt.Fprintf(w, "| | |\n|---|---|\n")
	fmt.Fprintf(w, "| %s | %s |\n", L("App file", "应用文件"), mdCode(a.File))
	fmt.Fprintf(w, "| %s | %s (%s) |\n", L("Version", "版本"), md(a.VersionName), md(a.VersionCode))
	fmt.Fprintf(w, "| SHA-256 | %s |\n", mdCode(a.SHA256))
	fmt.Fprintf(w, "| %s | %s |\n", L("Analysis", "分析状态"), md(a.Status))
	fmt.Fprintf(w, "| %s | %s |\n", L("Policy documents", "隐私政策文件"), md(strings.Join(p.Sources, ", ")))
	fmt.Fprintf(w, "| %s | %s |\n", L("Rules", "规则库"), md(r.RulesVersion))
	fmt.Fprintf(w, "| %s | sdkaudit %s |\n\n", L("Tool", "工具"), md(opts.ToolVersion))
	summary := summaryLine(r)
	if opts.Lang == "zh" {
		summary = summaryLineZH(r)
	}
	fmt.Fprintf(w, "**%s:** %s\n\n", L("Findings", "发现"), summary)

	if c := r.Changes; c != nil {
		fmt.Fprintf(w, "## %s %s\n\n", L("Changes since", "相对于旧版本的变化"), mdCode(c.OldFile))
		row := func(label string, items []string) {
			v := strings.Join(items, ", ")
			if v == "" {
				v = "—"
			}
			fmt.Fprintf(w, "- %s: %s\n", label, md(v))
		}
		row(L("Added SDKs", "新增SDK"), c.AddedSDKs)
		row(L("Removed SDKs", "移除SDK"), c.RemovedSDKs)
		row(L("Added permissions", "新增权限"), c.AddedPermissions)
		row(L("Removed permissions", "移除权限"), c.RemovedPermissions)
		row(L("Data the code newly reads", "代码新增读取的个人信息"), c.AddedDataAccess)
		row(L("Data the code no longer reads", "代码不再读取的个人信息"), c.RemovedDataAccess)
		fmt.Fprintln(w)
	}
	fmt.Fprintf(w, "## %s\n\n", L("Findings", "问题列表"))
	if len(r.Findings) == 0 {
		fmt.Fprintf(w, "%s\n\n", L("No findings.", "未发现问题。"))
	} else {
		fmt.Fprintf(w, "| %s | %s | %s | %s | %s |\n|---|---|---|---|---|\n", L("Severity", "级别"), L("Rule", "规则"), L("Subject", "对象"), L("Finding", "说明"), L("Fix", "建议"))
		for _, f := range r.Findings {
			msg := message(f, opts.Lang)
			if f.Suppressed {
				msg = L("Waived: ", "已豁免：") + f.SuppressedBy + ". " + msg
			}
			fmt.Fprintf(w, "| %s | %s %s | %s | %s | %s |\n", md(f.Severity), md(f.Rule), md(f.Kind), md(subjectText(f.Subject)), md(msg), md(tr(opts.Lang, f.Fix, f.FixZH)))
		}
		fmt.Fprintln(w)
	}

	var drafts []audit.SDKStatus
	undeclared := map[string]bool{}
	for _, f := range r.Findings {
		if (f.Kind == "undeclared-sdk" || f.Kind == "sdk-vendor-only") && !f.Suppressed && f.Subject.SDK != nil {
			undeclared[f.Subject.SDK.ID] = true
		}
	}
	for _, s := range r.SDKs {
		if undeclared[s.ID] {
			drafts = append(drafts, s)
		}
	}
	if len(drafts) > 0 {
		fmt.Fprintf(w, "## %s\n\n", L("Draft rows for the policy's third-party SDK list", "第三方SDK目录补充建议"))
		fmt.Fprintf(w, "%s\n\n", L("Review each row against the app's real integration before publishing it.", "发布前请根据实际集成情况核对每一行。"))
		fmt.Fprintf(w, "| %s | %s | %s | %s | %s | %s |\n|---|---|---|---|---|---|\n",
			L("SDK", "SDK名称"), L("Operator", "第三方主体"), L("Purpose", "使用目的"), L("Personal information", "收集的个人信息"), L("Permissions", "所需权限"), L("Privacy policy", "隐私政策链接"))
		for _, s := range drafts {
			name := s.Name
			if opts.Lang == "zh" && s.NameZH != "" {
				name = s.NameZH
			}
			vendor := s.Vendor
			if len(s.VendorNames) > 0 {
				vendor = s.VendorNames[0]
			}
			perms := append([]string{}, s.Permissions...)
			sort.Strings(perms)
			data := s.DataNames
			sep := ", "
			if opts.Lang == "zh" {
				data, sep = s.DataNamesZH, "、"
			}
			if len(data) == 0 {
				data = s.Data
			}
			fmt.Fprintf(w, "| %s | %s | %s | %s | %s | %s |\n", md(name), md(vendor), md(categoryText(s.Category, opts.Lang)), md(strings.Join(data, sep)), md(strings.Join(perms, ", ")), md(s.PolicyURL))
		}
		fmt.Fprintln(w)
	}

	writeAccessMarkdown(w, r.DataAccess, L)

	fmt.Fprintf(w, "## %s\n\n", L("SDK inventory", "SDK清单"))
	if len(r.SDKs) == 0 {
		fmt.Fprintf(w, "%s\n\n", L("No known SDK detected.", "未检测到已知SDK。"))
	} else {
		fmt.Fprintf(w, "| SDK | %s | %s | %s | %s | %s |\n|---|---|---|---|---|---|\n", L("Vendor", "厂商"), L("Category", "类别"), L("Kind", "类型"), L("Confidence", "置信度"), L("Disclosed", "是否披露"))
		for _, s := range r.SDKs {
			disc := L("no", "否")
			if s.Declared {
				disc = L("yes", "是") + " (" + s.DeclaredHow + ")"
			} else if s.Kind == "library" {
				disc = L("n/a (library)", "不适用（基础库）")
			}
			ver := ""
			if s.Version != "" {
				ver = " " + s.Version
			}
			fmt.Fprintf(w, "| %s%s | %s | %s | %s | %s | %s |\n", md(s.ID), md(ver), md(s.Vendor), md(s.Category), md(s.Kind), md(s.Confidence), md(disc))
		}
		fmt.Fprintln(w)
	}
	if len(r.Incomplete) > 0 {
		fmt.Fprintf(w, "## %s\n\n", L("Analysis limits", "分析局限"))
		for _, s := range r.Incomplete {
			fmt.Fprintf(w, "- %s\n", mdItem(s))
		}
		fmt.Fprintln(w)
	}
	if len(r.Warnings) > 0 {
		fmt.Fprintf(w, "## %s\n\n", L("Warnings", "警告"))
		for _, s := range r.Warnings {
			fmt.Fprintf(w, "- %s\n", mdItem(s))
		}
		fmt.Fprintln(w)
	}
	return nil
}

// writeAccessMarkdown lists what code reads which data, per owner, with the
// honest caveat that presence in code is not execution.
func writeAccessMarkdown(w io.Writer, da *dataaccess.Result, L func(en, zh string) string) {
	if da == nil {
		return
	}
	fmt.Fprintf(w, "## %s\n\n", L("Data access in code", "代码中的个人信息访问"))
	if da.Reachability == nil {
		fmt.Fprintf(w, "%s\n\n", L(
			fmt.Sprintf("Present in code, not proven executed: the app's DEX code references these APIs (%d methods scanned). Reachability, reflection and code loaded at run time are not analysed.", da.Methods),
			fmt.Sprintf("以下为代码中存在的调用，不代表一定会执行（共扫描%d个方法）；未分析可达性、反射及运行时加载的代码。", da.Methods)))
	} else {
		fmt.Fprintf(w, "%s\n\n", L(
			fmt.Sprintf("Present in code, with reach from a static call graph (%d methods scanned): **startup** runs when the process starts, before any screen (a path from the Application, a content provider, an androidx.startup initializer or a boot receiver; `~>` marks a hand-off to a thread, executor, handler, coroutine or service); **reachable** runs from an activity, service or receiver; **unreachable** has no path from the manifest (reflection aside); **unknown** could not be decided. Paths are static evidence, not a trace of a run.", da.Methods),
			fmt.Sprintf("以下为代码中存在的调用及其可达性（静态调用图，共扫描%d个方法）：**startup** 表示应用进程启动时、任何界面出现前即会执行（自Application、ContentProvider、androidx.startup初始化器或开机广播出发的调用路径，`~>` 表示交给线程、线程池、Handler、协程或服务的异步调用）；**reachable** 表示可由Activity、Service或Receiver执行；**unreachable** 表示清单中的入口均无法到达（反射除外）；**unknown** 表示无法判定。路径为静态证据，并非运行记录。", da.Methods)))
		if n := da.Reachability.Note; n != "" {
			fmt.Fprintf(w, "%s\n\n", md(n))
		}
	}
	if len(da.Owners) == 0 {
		fmt.Fprintf(w, "%s\n\n", L("No code reading personal data was found.", "未发现读取个人信息的代码。"))
		return
	}
	reach := da.Reachability != nil
	if reach {
		fmt.Fprintf(w, "| %s | %s | %s | API | %s | %s |\n|---|---|---|---|---|---|\n", L("Owner", "归属"), L("Data", "个人信息"), L("Reach", "可达性"), L("Sites", "调用处"), L("First call sites (reach: path)", "调用位置示例（可达性：调用路径）"))
	} else {
		fmt.Fprintf(w, "| %s | %s | API | %s | %s |\n|---|---|---|---|---|\n", L("Owner", "归属"), L("Data", "个人信息"), L("Sites", "调用处"), L("First call sites", "调用位置示例"))
	}
	for _, o := range da.Owners {
		for _, c := range o.Categories {
			name := L(c.Name, c.NameZH)
			if name == "" {
				name = c.ID
			}
			var apis []string
			for _, a := range c.APIs {
				s := a.ID
				if a.Restricted {
					s += L(" (restricted on all supported versions)", "（在支持的系统版本上已受限）")
				}
				apis = append(apis, s)
			}
			var sites []string
			for _, s := range c.CallSites {
				sites = append(sites, siteText(s))
			}
			if reach {
				fmt.Fprintf(w, "| %s | %s | %s | %s | %d | %s |\n", md(o.ID), md(name), md(c.Reach), md(strings.Join(apis, ", ")), c.SitesTotal, md(strings.Join(sites, "; ")))
				continue
			}
			fmt.Fprintf(w, "| %s | %s | %s | %d | %s |\n", md(o.ID), md(name), md(strings.Join(apis, ", ")), c.SitesTotal, md(strings.Join(sites, ", ")))
		}
	}
	fmt.Fprintln(w)
}

var categoryZH = map[string]string{
	"push": "消息推送", "analytics": "统计分析", "attribution": "广告归因", "ads": "广告", "payment": "支付",
	"social-login": "第三方登录", "share": "分享", "one-click-login": "一键登录", "map-location": "地图定位",
	"crash": "崩溃监测", "face-identity": "人脸识别/实名认证", "customer-service": "客服", "im-rtc": "即时通讯/音视频",
	"risk-control": "风控安全", "device-id": "设备标识", "cloud-storage": "云存储", "hotfix": "热修复", "webview": "浏览器内核",
	"platform": "基础服务", "speech": "语音", "media": "多媒体",
}

func categoryText(c, lang string) string {
	if lang == "zh" {
		if z, ok := categoryZH[c]; ok {
			return z
		}
	}
	return c
}

// severityZH names the severities in a Chinese report.
var severityZH = map[string]string{audit.SeverityHigh: "高", audit.SeverityMedium: "中", audit.SeverityLow: "低", audit.SeverityInfo: "提示"}

// summaryLineZH is summaryLine for a Chinese report.
func summaryLineZH(r *audit.Result) string {
	c := r.Counts()
	sup := 0
	for _, f := range r.Findings {
		if f.Suppressed {
			sup++
		}
	}
	return fmt.Sprintf("高 %d、中 %d、低 %d、提示 %d（已豁免 %d）", c[audit.SeverityHigh], c[audit.SeverityMedium], c[audit.SeverityLow], c[audit.SeverityInfo], sup)
}
