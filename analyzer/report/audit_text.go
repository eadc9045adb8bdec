package report

import (
	"fmt"
	"io"
	"strings"

	"github.com/olekukonko/tablewriter"

	"github.com/sdkaudit/sdkaudit/analyzer/audit"
	"github.com/sdkaudit/sdkaudit/analyzer/report/model"
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
	case s.Component != "":
		return "framework: " + s.Component
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
	zh := opts.Lang == "zh"
	n := namer{zh: zh, db: r.Rules}
	writeLine(w, fmt.Sprintf("%s  %s %s  (%s)", Clean(app.File), Clean(app.Package), Clean(versionName(r)), Clean(n.status(app.Status))))
	if c := r.Changes; c != nil {
		writeChangesText(w, n, c)
	}
	if zh {
		fmt.Fprintf(w, "发现：%s\n", summaryLineZH(r))
	} else {
		fmt.Fprintf(w, "findings: %s\n", summaryLine(r))
	}
	for _, sev := range audit.Severities {
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
			subject := subjectText(f.Subject)
			if zh {
				subject = n.subjectText(f.Subject)
			}
			rows = append(rows, []string{Clean(f.Rule), Clean(string(f.Kind)), Clean(subject), Clean(msg)})
		}
		if len(rows) == 0 {
			continue
		}
		var t *tablewriter.Table
		if zh {
			fmt.Fprintf(w, "\n%s\n", severityZH[sev])
			t = newTable(w, "规则", "类型", "对象", "说明")
		} else {
			fmt.Fprintf(w, "\n%s\n", strings.ToUpper(string(sev)))
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
		if err := writeAccessTableLang(w, r.DataAccess, n); err != nil {
			return err
		}
	}
	for _, warn := range r.Warnings {
		writeLine(w, n.L("warning: ", "警告：")+Clean(warn))
	}
	fmt.Fprintf(w, "\nsdkaudit %s%s%s\n", Clean(opts.ToolVersion), n.L(", rules ", "，规则库 "), Clean(r.RulesVersion))
	return nil
}

// writeChangesText is the diff header of the table: one line per kind of
// change, each list written out in words, never as a Go slice.
func writeChangesText(w io.Writer, n namer, c *audit.Changes) {
	writeLine(w, n.L("compared with ", "对比旧版本：")+Clean(c.OldFile))
	line := func(label string, added, removed []string) {
		list := func(ss []string) string {
			if len(ss) == 0 {
				return n.L("none", "无")
			}
			return strings.Join(cleanAll(ss), ", ")
		}
		writeLine(w, fmt.Sprintf("  %s: %s %s; %s %s", label, n.L("added", "新增"), list(added), n.L("removed", "移除"), list(removed)))
	}
	line(n.L("SDKs", "SDK"), c.AddedSDKs, c.RemovedSDKs)
	line(n.L("permissions", "权限"), c.AddedPermissions, c.RemovedPermissions)
	line(n.L("data read in code", "代码读取的个人信息"), c.AddedDataAccess, c.RemovedDataAccess)
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

// Encode writes one app as a batch of one, so a consumer reads one shape
// whatever the number of apps; a diff (Changes set) is one document of its
// own shape (docs/diff-report.schema.json).
func (e auditJSONEncoder) Encode(w io.Writer, r *audit.Result, opts AuditOptions) error {
	if r.Changes != nil {
		return writeJSON(w, model.NewAuditDocument(r, opts.ToolVersion), true)
	}
	return e.EncodeBatch(w, []*audit.Result{r}, opts)
}

type markdownEncoder struct{}

func (markdownEncoder) Name() string { return "markdown" }

// Encode writes the compliance report (deliverable.go) as Markdown.
func (markdownEncoder) Encode(w io.Writer, r *audit.Result, opts AuditOptions) error {
	return buildAuditDocument(r, opts).writeMarkdown(w)
}

type htmlEncoder struct{}

func (htmlEncoder) Name() string { return "html" }

// Encode writes the compliance report as one self-contained HTML page.
func (htmlEncoder) Encode(w io.Writer, r *audit.Result, opts AuditOptions) error {
	return writeHTML(w, []*document{buildAuditDocument(r, opts)})
}

// EncodeBatch writes every app's report in one page.
func (htmlEncoder) EncodeBatch(w io.Writer, rs []*audit.Result, opts AuditOptions) error {
	docs := make([]*document, 0, len(rs))
	for _, r := range rs {
		docs = append(docs, buildAuditDocument(r, opts))
	}
	return writeHTML(w, docs)
}

var categoryZH = map[string]string{
	"push": "消息推送", "analytics": "统计分析", "attribution": "广告归因", "ads": "广告", "payment": "支付",
	"social-login": "第三方登录", "share": "分享", "one-click-login": "一键登录", "map-location": "地图定位",
	"crash": "崩溃监测", "face-identity": "人脸识别/实名认证", "customer-service": "客服", "im-rtc": "即时通讯/音视频",
	"risk-control": "风控安全", "device-id": "设备标识", "cloud-storage": "云存储", "hotfix": "热修复", "webview": "浏览器内核",
	"platform": "基础服务", "speech": "语音", "media": "多媒体",
	"database": "数据库", "framework": "开发框架", "image": "图片加载", "language": "语言运行库", "logging": "日志",
	"network": "网络通信", "other": "其他", "security": "安全加固", "serialization": "数据序列化", "testing": "测试",
	"ui": "界面组件",
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
var severityZH = map[audit.Severity]string{audit.SeverityHigh: "高", audit.SeverityMedium: "中", audit.SeverityLow: "低", audit.SeverityInfo: "提示"}

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
