package report

import (
	"bytes"
	"encoding/json"
	"io"
	"os"
	"strings"
	"testing"

	"github.com/sdkaudit/sdkaudit/analyzer/audit"
	gen "github.com/sdkaudit/sdkaudit/analyzer/internal/hostile"
	"github.com/sdkaudit/sdkaudit/analyzer/report/model"
)

// The batch JSON documents are written one app at a time; the bytes must
// be exactly those of encoding the whole document at once.
func TestBatchJSONWrittenPerAppIsIdentical(t *testing.T) {
	for name, tx := range map[string]texts{
		"benign":  texts{"com.example", "a.b.C", "1.0", "", "x"},
		"hostile": texts{"\u202e\x1b[31m", "line\nbreak", "ü中😀", "\"quoted\"\\", "\x7f\u0085\u2028", "  \"apps\": []"},
	} {
		scans := textScans(tx)
		groups := textGroups(tx, textAudit(tx, 0))
		for _, n := range []int{0, 1, 2} {
			for _, withGroups := range []bool{false, true} {
				opts := ScanOptions{ToolVersion: "v", RulesVersion: "r"}
				if withGroups {
					opts.Groups = groups
				}
				results := scans[:n]
				var got bytes.Buffer
				if err := (jsonEncoder{}).Encode(&got, results, opts); err != nil {
					t.Fatal(err)
				}
				doc := model.ScanDocument{SchemaVersion: ScanSchemaVersion, Tool: model.NewTool(opts.ToolVersion), RulesVersion: opts.RulesVersion, Apps: []model.ScanApp{}, ChannelGroups: model.ChannelGroupsOf(opts.Groups)}
				for _, r := range results {
					doc.Apps = append(doc.Apps, appOf(r, opts))
				}
				var want bytes.Buffer
				if err := writeJSON(&want, doc, true); err != nil {
					t.Fatal(err)
				}
				if got.String() != want.String() {
					t.Errorf("%s, %d apps, groups %v: streamed document differs\n got %q\nwant %q", name, n, withGroups, got.String(), want.String())
				}

				audits := []*audit.Result{textAudit(tx, 0), textAudit(tx, 7)}[:n]
				aopts := AuditOptions{ToolVersion: "v", Groups: opts.Groups}
				got.Reset()
				if err := (auditJSONEncoder{}).EncodeBatch(&got, audits, aopts); err != nil {
					t.Fatal(err)
				}
				adoc := model.AuditBatch{SchemaVersion: AuditSchemaVersion, Tool: model.NewTool("v"), Apps: []model.AuditDocument{}, ChannelGroups: model.ChannelGroupsOf(aopts.Groups)}
				if adoc.ChannelGroups == nil {
					adoc.ChannelGroups = []model.ChannelGroup{}
				}
				if len(audits) > 0 {
					adoc.RulesVersion = audits[0].RulesVersion
				}
				for _, r := range audits {
					adoc.Apps = append(adoc.Apps, model.NewAuditDocument(r, aopts.ToolVersion))
				}
				want.Reset()
				if err := writeJSON(&want, adoc, true); err != nil {
					t.Fatal(err)
				}
				if got.String() != want.String() {
					t.Errorf("%s, %d audits: streamed document differs", name, n)
				}
			}
		}
	}
}

// A batch of apps each holding long text: the whole document was built in
// memory (twice, with the escape pass) before the first byte was written,
// over a gigabyte here. Written per app, memory follows the largest app.
func TestBatchJSONMemoryFollowsOneApp(t *testing.T) {
	long := strings.Repeat("\u202e", 256<<10) // 768 KB, written as 1.5 MB of escapes
	var results []ScanResult
	for range 12 {
		results = append(results, textScans(texts{long, "a"})[0])
	}
	rise, how := gen.Peak(func() {
		if err := (jsonEncoder{}).Encode(io.Discard, results, ScanOptions{}); err != nil {
			t.Fatal(err)
		}
	})
	t.Logf("%s rose %d MiB", how, rise>>20)
	if testing.Verbose() && os.Getenv("REPORT_MEASURE_WHOLE") != "" {
		// The old way, for the record: the whole document at once.
		doc := model.ScanDocument{Apps: []model.ScanApp{}}
		for _, r := range results {
			doc.Apps = append(doc.Apps, appOf(r, ScanOptions{}))
		}
		whole, _ := gen.Peak(func() {
			var buf bytes.Buffer
			enc := json.NewEncoder(&buf)
			enc.SetEscapeHTML(false)
			enc.SetIndent("", "  ")
			_ = enc.Encode(doc)
			_, _ = io.Discard.Write(escapeJSONRunes(buf.Bytes()))
		})
		t.Logf("whole document at once: rose %d MiB", whole>>20)
	}
	// One app is some 28 fields of 1.5 MB of JSON, the twelve 500 MB,
	// which were built whole, then copied, then escaped into a third copy.
	if rise > 256<<20 {
		t.Errorf("memory rose %d MiB", rise>>20)
	}
}
