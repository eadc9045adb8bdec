package report

import (
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/sdkaudit/sdkaudit/analyzer/audit"
	"github.com/sdkaudit/sdkaudit/analyzer/inventory"
	"github.com/sdkaudit/sdkaudit/analyzer/report/model"
)

// LineEncoder writes one result per line as it arrives, so a batch of
// thousands of apps never has to be held in memory for its report.
type LineEncoder interface {
	EncodeLine(w io.Writer, r ScanResult, opts ScanOptions) error
}

type jsonlEncoder struct{}

func (jsonlEncoder) Name() string { return "jsonl" }

func (e jsonlEncoder) Encode(w io.Writer, results []ScanResult, opts ScanOptions) error {
	for _, r := range results {
		if err := e.EncodeLine(w, r, opts); err != nil {
			return err
		}
	}
	return nil
}

func (jsonlEncoder) EncodeLine(w io.Writer, r ScanResult, opts ScanOptions) error {
	line := model.ScanLine{SchemaVersion: model.ScanSchemaVersion, Tool: model.NewTool(opts.ToolVersion), RulesVersion: opts.RulesVersion, ScanApp: appOf(r, opts)}
	return writeJSON(w, line, false)
}

// appOf is the JSON object of one scanned (or failed) file.
func appOf(r ScanResult, opts ScanOptions) model.ScanApp {
	return model.NewScanApp(model.ScanInput{File: r.File, Inventory: r.Inventory, SDKs: r.SDKs, Traces: r.Traces, DataAccess: r.DataAccess, Err: r.Err, Classes: opts.Classes})
}

// SummaryRow is one line of a batch's closing summary.
type SummaryRow struct {
	File, Format, Package, Version, Status string
	SDKs                                   int
	// Data is the number of data categories the code reads.
	Data int
	// Findings is "h/m/l/i" for audits, empty for scans.
	Findings string
	Error    string
}

// ScanSummaryRow summarises a scan result.
func ScanSummaryRow(r ScanResult) SummaryRow {
	row := SummaryRow{File: r.File, Status: "error"}
	if r.Inventory == nil {
		row.Error = strings.TrimPrefix(r.Err.Error(), r.File+": ")
		return row
	}
	inv := r.Inventory
	row.Format, row.Status, row.SDKs = inv.Format, inv.Status, len(r.SDKs)
	if inv.Manifest != nil {
		row.Package = inv.Package
		row.Version = valueText(inv.VersionCode)
	}
	if r.DataAccess != nil {
		seen := map[string]bool{}
		for _, o := range r.DataAccess.Owners {
			for _, c := range o.Categories {
				seen[c.ID] = true
			}
		}
		row.Data = len(seen)
	}
	return row
}

// AuditSummaryRow summarises one audit (or the file that failed).
func AuditSummaryRow(file string, r *audit.Result, err error) SummaryRow {
	if r == nil {
		msg := ""
		if err != nil {
			msg = strings.TrimPrefix(err.Error(), file+": ")
		}
		return SummaryRow{File: file, Status: "error", Error: msg}
	}
	row := ScanSummaryRow(ScanResult{File: file, Inventory: r.App, DataAccess: r.DataAccess})
	row.SDKs = len(r.SDKs)
	c := r.Counts()
	row.Findings = fmt.Sprintf("%d/%d/%d/%d", c[audit.SeverityHigh], c[audit.SeverityMedium], c[audit.SeverityLow], c[audit.SeverityInfo])
	return row
}

// WriteSummary renders a batch summary table, one row per input.
func WriteSummary(w io.Writer, rows []SummaryRow, audited bool) error {
	return WriteSummaryLang(w, rows, audited, "en")
}

// WriteSummaryLang is WriteSummary in the report's language.
func WriteSummaryLang(w io.Writer, rows []SummaryRow, audited bool, lang string) error {
	n := namer{zh: lang == "zh"}
	header := []any{n.L("file", "文件"), n.L("format", "格式"), n.L("package", "包名"), n.L("version", "版本"), n.L("status", "状态"), n.L("sdks", "SDK数"), n.L("data read", "读取的个人信息")}
	if audited {
		header = append(header, n.L("findings h/m/l/i", "问题 高/中/低/提示"))
	}
	header = append(header, n.L("error", "错误"))
	t := newTable(w, header...)
	counts := map[string]int{}
	for _, r := range rows {
		counts[r.Status]++
		status := r.Status
		if status == "error" {
			status = n.L("error", "失败")
		} else {
			status = n.status(status)
		}
		cells := []string{Clean(r.File), Clean(r.Format), Clean(r.Package), Clean(r.Version), Clean(status), strconv.Itoa(r.SDKs), strconv.Itoa(r.Data)}
		if audited {
			cells = append(cells, Clean(r.Findings))
		}
		cells = append(cells, Clean(r.Error))
		_ = t.Append(cells)
	}
	if err := t.Render(); err != nil {
		return err
	}
	writeLine(w, n.L(fmt.Sprintf("%d files: %d complete, %d incomplete, %d failed", len(rows), counts[inventory.StatusComplete], counts[inventory.StatusIncomplete], counts["error"]),
		fmt.Sprintf("共 %d 个文件：完整 %d、不完整 %d、失败 %d", len(rows), counts[inventory.StatusComplete], counts[inventory.StatusIncomplete], counts["error"])))
	return nil
}

// WriteChannelGroups renders channel builds: what every build shares
// once, then what sets each build apart.
func WriteChannelGroups(w io.Writer, groups []audit.ChannelGroup, lang string) error {
	n := namer{zh: lang == "zh"}
	for _, g := range groups {
		fmt.Fprintln(w)
		writeLine(w, n.L(fmt.Sprintf("== channel builds of %s (version code %s): %d builds", Clean(g.Package), Clean(g.VersionCode), len(g.Builds)),
			fmt.Sprintf("== %s 的渠道包（版本号 %s）：共 %d 个", Clean(g.Package), Clean(g.VersionCode), len(g.Builds))))
		line := n.L(fmt.Sprintf("common to all: %d SDKs, %d permissions", len(g.CommonSDKs), len(g.CommonPermissions)),
			fmt.Sprintf("各渠道包共有：SDK %d 个、权限 %d 项", len(g.CommonSDKs), len(g.CommonPermissions)))
		if g.CommonFindings != nil {
			line += n.L(fmt.Sprintf(", %d findings", len(g.CommonFindings)), fmt.Sprintf("、问题 %d 项", len(g.CommonFindings)))
		}
		writeLine(w, line)
		if len(g.CommonFindings) > 0 {
			if err := findingsTable(w, g.CommonFindings, lang); err != nil {
				return err
			}
		}
		t := newTable(w, n.L("build", "渠道包"), n.L("channel", "渠道"), n.L("extra sdks", "额外的SDK"), n.L("extra permissions", "额外的权限"), n.L("findings of this build only", "仅此包的问题"))
		for _, b := range g.Builds {
			var ch []string
			for _, k := range g.ChannelKeys {
				ch = append(ch, k+"="+b.Channel[k])
			}
			var fs []string
			for _, f := range b.SpecificFindings {
				fs = append(fs, f.Rule+" "+subjectText(f.Subject))
			}
			_ = t.Append([]string{Clean(b.File), Clean(strings.Join(ch, " ")), Clean(strings.Join(b.ExtraSDKs, " ")), Clean(strings.Join(b.ExtraPermissions, " ")), Clean(strings.Join(fs, "; "))})
		}
		if err := t.Render(); err != nil {
			return err
		}
	}
	return nil
}

func findingsTable(w io.Writer, fs []audit.Finding, lang string) error {
	n := namer{zh: lang == "zh"}
	t := newTable(w, n.L("severity", "级别"), n.L("rule", "规则"), n.L("kind", "类型"), n.L("subject", "对象"), n.L("message", "说明"))
	for _, f := range fs {
		_ = t.Append([]string{Clean(n.severity(f.Severity)), Clean(f.Rule), Clean(string(f.Kind)), Clean(subjectText(f.Subject)), Clean(message(f, lang))})
	}
	return t.Render()
}

// AuditBatchEncoder writes the audits of several apps as one report.
type AuditBatchEncoder interface {
	EncodeBatch(w io.Writer, rs []*audit.Result, opts AuditOptions) error
}

// EncodeBatch writes {"apps": [...], "channel_groups": [...]}.
func (auditJSONEncoder) EncodeBatch(w io.Writer, rs []*audit.Result, opts AuditOptions) error {
	doc := model.AuditBatch{SchemaVersion: model.AuditSchemaVersion, Tool: model.NewTool(opts.ToolVersion), Apps: []model.AuditDocument{}, ChannelGroups: model.ChannelGroupsOf(opts.Groups)}
	if len(rs) > 0 {
		doc.RulesVersion = rs[0].RulesVersion
	}
	if doc.ChannelGroups == nil {
		doc.ChannelGroups = []model.ChannelGroup{}
	}
	apps := make([]model.AuditDocument, 0, len(rs))
	for _, r := range rs {
		apps = append(apps, model.NewAuditDocument(r, opts.ToolVersion))
	}
	return writeDocWithList(w, doc, "apps", apps)
}

type auditJSONLEncoder struct{}

func (auditJSONLEncoder) Name() string { return "jsonl" }

// Encode writes the app's audit document on one line.
func (auditJSONLEncoder) Encode(w io.Writer, r *audit.Result, opts AuditOptions) error {
	return writeJSON(w, model.NewAuditDocument(r, opts.ToolVersion), false)
}

// EncodeBatch writes one line per app.
func (e auditJSONLEncoder) EncodeBatch(w io.Writer, rs []*audit.Result, opts AuditOptions) error {
	for _, r := range rs {
		if err := e.Encode(w, r, opts); err != nil {
			return err
		}
	}
	return nil
}

// EncodeBatch for the table: every app not in a channel group in full,
// then each group once.
func (e auditTableEncoder) EncodeBatch(w io.Writer, rs []*audit.Result, opts AuditOptions) error {
	grouped := groupedFiles(opts.Groups)
	first := true
	for _, r := range rs {
		if grouped[r.App.File] {
			continue
		}
		if !first {
			fmt.Fprintln(w)
		}
		first = false
		if err := e.Encode(w, r, opts); err != nil {
			return err
		}
	}
	return WriteChannelGroups(w, opts.Groups, opts.Lang)
}

// EncodeBatch for Markdown: one section per app, channel groups last.
func (e markdownEncoder) EncodeBatch(w io.Writer, rs []*audit.Result, opts AuditOptions) error {
	grouped := groupedFiles(opts.Groups)
	for _, r := range rs {
		if grouped[r.App.File] {
			continue
		}
		if err := e.Encode(w, r, opts); err != nil {
			return err
		}
	}
	n := namer{zh: opts.Lang == "zh"}
	for _, g := range opts.Groups {
		fmt.Fprintf(w, "%s\n\n", n.L("# Channel builds of "+md(g.Package)+" (version code "+md(g.VersionCode)+")", "# "+md(g.Package)+" 的渠道包（版本号 "+md(g.VersionCode)+"）"))
		if len(g.CommonFindings) > 0 {
			fmt.Fprintf(w, "%s\n\n| %s | %s | %s | %s |\n|---|---|---|---|\n", n.L("Findings in every build:", "各渠道包共有的问题："), n.L("Severity", "级别"), n.L("Rule", "规则"), n.L("Subject", "对象"), n.L("Finding", "说明"))
			for _, f := range g.CommonFindings {
				fmt.Fprintf(w, "| %s | %s %s | %s | %s |\n", md(n.severity(f.Severity)), md(f.Rule), md(string(f.Kind)), md(subjectText(f.Subject)), md(message(f, opts.Lang)))
			}
			fmt.Fprintln(w)
		}
		fmt.Fprintf(w, "| %s | %s | %s | %s | %s |\n|---|---|---|---|---|\n", n.L("Build", "渠道包"), n.L("Channel", "渠道"), n.L("Extra SDKs", "额外的SDK"), n.L("Extra permissions", "额外的权限"), n.L("Findings of this build only", "仅此包的问题"))
		for _, b := range g.Builds {
			var ch, fs []string
			for _, k := range g.ChannelKeys {
				ch = append(ch, k+"="+b.Channel[k])
			}
			for _, f := range b.SpecificFindings {
				fs = append(fs, f.Rule+" "+subjectText(f.Subject))
			}
			fmt.Fprintf(w, "| %s | %s | %s | %s | %s |\n", md(b.File), mdJoin(ch, " "), mdJoin(b.ExtraSDKs, ", "), mdJoin(b.ExtraPermissions, ", "), mdJoin(fs, "; "))
		}
		fmt.Fprintln(w)
	}
	return nil
}

// mdJoin escapes each item on its own, so a long list is never cut as one
// string.
func mdJoin(items []string, sep string) string {
	out := make([]string, len(items))
	for i, it := range items {
		out[i] = md(it)
	}
	return strings.Join(out, sep)
}

func groupedFiles(gs []audit.ChannelGroup) map[string]bool {
	out := map[string]bool{}
	for _, g := range gs {
		for _, b := range g.Builds {
			out[b.File] = true
		}
	}
	return out
}
