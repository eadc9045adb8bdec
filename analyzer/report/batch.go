package report

import (
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/sdkaudit/sdkaudit/analyzer/audit"
	"github.com/sdkaudit/sdkaudit/analyzer/detect"
	"github.com/sdkaudit/sdkaudit/analyzer/inventory"
)

// LineEncoder writes one result per line as it arrives, so a batch of
// thousands of apps never has to be held in memory for its report.
type LineEncoder interface {
	EncodeLine(w io.Writer, r ScanResult, opts ScanOptions) error
}

type jsonlEncoder struct{}

func (jsonlEncoder) Name() string { return "jsonl" }

// scanLine is one app of a JSONL scan: the app object of the JSON format
// with the document's versions, so each line stands alone.
type scanLine struct {
	SchemaVersion string   `json:"schema_version"`
	Tool          toolInfo `json:"tool"`
	RulesVersion  string   `json:"rules_version"`
	appJSON
}

func (e jsonlEncoder) Encode(w io.Writer, results []ScanResult, opts ScanOptions) error {
	for _, r := range results {
		if err := e.EncodeLine(w, r, opts); err != nil {
			return err
		}
	}
	return nil
}

func (jsonlEncoder) EncodeLine(w io.Writer, r ScanResult, opts ScanOptions) error {
	line := scanLine{SchemaVersion: ScanSchemaVersion, Tool: toolInfo{Name: "sdkaudit", Version: opts.ToolVersion}, RulesVersion: opts.RulesVersion, appJSON: appOf(r, opts)}
	return writeJSON(w, line, false)
}

// appOf is the JSON object of one scanned (or failed) file.
func appOf(r ScanResult, opts ScanOptions) appJSON {
	a := appJSON{File: r.File}
	if r.Inventory != nil {
		inv := *r.Inventory
		if !opts.Classes {
			inv.Dex.Classes = nil
		}
		a.Inventory = &inv
		a.SDKs = r.SDKs
		if a.SDKs == nil {
			a.SDKs = []detect.Detection{}
		}
		a.Traces = r.Traces
		a.DataAccess = r.DataAccess
		a.Status = inv.Status
		a.Errors = inv.Errors
	} else {
		a.Status = "error"
		a.Errors = []inventory.Problem{{Stage: stageOf(r.Err), Message: r.Err.Error()}}
	}
	return a
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
	header := []any{"file", "format", "package", "version", "status", "sdks", "data read"}
	if audited {
		header = append(header, "findings h/m/l/i")
	}
	header = append(header, "error")
	t := newTable(w, header...)
	counts := map[string]int{}
	for _, r := range rows {
		counts[r.Status]++
		cells := []string{Clean(r.File), Clean(r.Format), Clean(r.Package), Clean(r.Version), Clean(r.Status), strconv.Itoa(r.SDKs), strconv.Itoa(r.Data)}
		if audited {
			cells = append(cells, Clean(r.Findings))
		}
		cells = append(cells, Clean(r.Error))
		_ = t.Append(cells)
	}
	if err := t.Render(); err != nil {
		return err
	}
	fmt.Fprintf(w, "%d files: %d complete, %d incomplete, %d failed\n", len(rows), counts[inventory.StatusComplete], counts[inventory.StatusIncomplete], counts["error"])
	return nil
}

// WriteChannelGroups renders channel builds: what every build shares
// once, then what sets each build apart.
func WriteChannelGroups(w io.Writer, groups []audit.ChannelGroup, lang string) error {
	for _, g := range groups {
		fmt.Fprintf(w, "\n== channel builds of %s (version code %s): %d builds\n", Clean(g.Package), Clean(g.VersionCode), len(g.Builds))
		fmt.Fprintf(w, "common to all: %d SDKs, %d permissions", len(g.CommonSDKs), len(g.CommonPermissions))
		if g.CommonFindings != nil {
			fmt.Fprintf(w, ", %d findings", len(g.CommonFindings))
		}
		fmt.Fprintln(w)
		if len(g.CommonFindings) > 0 {
			if err := findingsTable(w, g.CommonFindings, lang); err != nil {
				return err
			}
		}
		t := newTable(w, "build", "channel", "extra sdks", "extra permissions", "findings of this build only")
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
	t := newTable(w, "severity", "rule", "kind", "subject", "message")
	for _, f := range fs {
		_ = t.Append([]string{Clean(f.Severity), Clean(f.Rule), Clean(f.Kind), Clean(subjectText(f.Subject)), Clean(message(f, lang))})
	}
	return t.Render()
}

// AuditBatchEncoder writes the audits of several apps as one report.
type AuditBatchEncoder interface {
	EncodeBatch(w io.Writer, rs []*audit.Result, opts AuditOptions) error
}

// auditBatchDoc is the JSON of a multi-app audit: one audit document per
// app (each valid against the single-app schema) and the channel groups.
type auditBatchDoc struct {
	SchemaVersion string               `json:"schema_version"`
	Tool          toolInfo             `json:"tool"`
	RulesVersion  string               `json:"rules_version"`
	Apps          []auditDoc           `json:"apps"`
	ChannelGroups []audit.ChannelGroup `json:"channel_groups"`
}

// EncodeBatch writes {"apps": [...], "channel_groups": [...]}.
func (auditJSONEncoder) EncodeBatch(w io.Writer, rs []*audit.Result, opts AuditOptions) error {
	doc := auditBatchDoc{SchemaVersion: AuditSchemaVersion, Tool: toolInfo{Name: "sdkaudit", Version: opts.ToolVersion}, Apps: []auditDoc{}, ChannelGroups: opts.Groups}
	if len(rs) > 0 {
		doc.RulesVersion = rs[0].RulesVersion
	}
	if doc.ChannelGroups == nil {
		doc.ChannelGroups = []audit.ChannelGroup{}
	}
	apps := make([]auditDoc, 0, len(rs))
	for _, r := range rs {
		apps = append(apps, auditDocOf(r, opts))
	}
	return writeDocWithList(w, doc, "apps", apps)
}

type auditJSONLEncoder struct{}

func (auditJSONLEncoder) Name() string { return "jsonl" }

// Encode writes the app's audit document on one line.
func (auditJSONLEncoder) Encode(w io.Writer, r *audit.Result, opts AuditOptions) error {
	return writeJSON(w, auditDocOf(r, opts), false)
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
	for _, g := range opts.Groups {
		fmt.Fprintf(w, "# Channel builds of %s (version code %s)\n\n", md(g.Package), md(g.VersionCode))
		if len(g.CommonFindings) > 0 {
			fmt.Fprintf(w, "Findings in every build:\n\n| Severity | Rule | Subject | Finding |\n|---|---|---|---|\n")
			for _, f := range g.CommonFindings {
				fmt.Fprintf(w, "| %s | %s %s | %s | %s |\n", md(f.Severity), md(f.Rule), md(f.Kind), md(subjectText(f.Subject)), md(message(f, opts.Lang)))
			}
			fmt.Fprintln(w)
		}
		fmt.Fprintf(w, "| Build | Channel | Extra SDKs | Extra permissions | Findings of this build only |\n|---|---|---|---|---|\n")
		for _, b := range g.Builds {
			var ch, fs []string
			for _, k := range g.ChannelKeys {
				ch = append(ch, k+"="+b.Channel[k])
			}
			for _, f := range b.SpecificFindings {
				fs = append(fs, f.Rule+" "+subjectText(f.Subject))
			}
			fmt.Fprintf(w, "| %s | %s | %s | %s | %s |\n", md(b.File), md(strings.Join(ch, " ")), md(strings.Join(b.ExtraSDKs, ", ")), md(strings.Join(b.ExtraPermissions, ", ")), md(strings.Join(fs, "; ")))
		}
		fmt.Fprintln(w)
	}
	return nil
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
