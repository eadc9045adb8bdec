package report

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"regexp"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/sdkaudit/sdkaudit/analyzer/audit"
	"github.com/sdkaudit/sdkaudit/analyzer/dataaccess"
	"github.com/sdkaudit/sdkaudit/analyzer/detect"
	"github.com/sdkaudit/sdkaudit/analyzer/inventory"
	"github.com/sdkaudit/sdkaudit/analyzer/manifest"
	"github.com/sdkaudit/sdkaudit/analyzer/native"
	"github.com/sdkaudit/sdkaudit/analyzer/policy"
)

// texts fills every field of a result that takes text from an APK, a
// policy, a rule or a waiver file: field i gets t[i%len(t)], so one hostile
// string reaches all of them and a fuzzer's few strings spread over them.
type texts []string

func (t texts) at(i int) string { return t[i%len(t)] }

// benign is t with each distinct string replaced by a harmless token (the
// empty string kept empty), so that every comparison an encoder makes
// between fields comes out the same: the benign output is the shape the
// hostile one must keep.
func (t texts) benign() texts {
	token := map[string]string{"": ""}
	out := make(texts, len(t))
	for i, s := range t {
		if _, ok := token[s]; !ok {
			token[s] = fmt.Sprintf("x%d", len(token))
		}
		out[i] = token[s]
	}
	return out
}

func textInventory(t texts, base int) *inventory.Inventory {
	k := func(i int) string { return t.at(base + i) }
	minSDK, maxSDK := 21, 28
	return &inventory.Inventory{
		File: k(0), SHA256: strings.Repeat("ab", 32), Size: 4096, Status: inventory.StatusIncomplete, Format: "apk",
		Manifest: &manifest.Manifest{
			Package:     k(1),
			VersionCode: &manifest.Value{Value: k(2)},
			VersionName: &manifest.Value{Value: k(3), Reference: k(4)},
			MinSDK:      manifest.SDK{Declared: &manifest.Value{Value: k(5)}, Effective: &minSDK},
			Permissions: []manifest.UsesPermission{
				{Name: k(6), Element: "uses-permission", MaxSDKVersion: &maxSDK},
				{Name: k(7), Element: "uses-permission-sdk-23", SDK23: true},
			},
			DeclaredPermissions: []manifest.Permission{{Name: k(8), ProtectionLevel: k(9)}},
			Application:         manifest.Application{Name: k(10)},
			Components:          []manifest.Component{{Type: "service", Name: k(11), Exported: "true", Process: k(12), Authorities: []string{k(13)}}},
			MetaData: []manifest.MetaData{
				{Owner: "application", Name: k(14), Value: &manifest.Value{Value: k(15)}},
				{Owner: k(16), Name: k(17), Resource: &manifest.Value{Value: k(18), Reference: "@0x7f010001"}},
			},
		},
		Dex: inventory.Dex{
			Files:        []inventory.DexFile{{Name: k(19), Version: 35, Classes: 1, Loaded: true, Error: k(20)}, {Name: k(21), Version: 35, Classes: 1}},
			ClassesTotal: 2, ClassesDistinct: 2, Classes: []string{k(22), k(23)},
		},
		OtherCode:   []inventory.CodeEntry{{Path: k(24), Kind: "dex", Error: k(25)}},
		NativeLibs:  []native.ABI{{ABI: k(26), Libs: []native.Lib{{Name: k(27), Path: "lib/" + k(26) + "/" + k(27)}}}},
		NativeOther: []native.Lib{{Name: k(28), Path: k(29)}},
		Notes:       []inventory.Note{{Stage: "inventory", Code: "packer", Message: k(30)}},
		Errors:      []inventory.Problem{{Stage: "dex", Path: k(31), Message: k(32)}},
	}
}

func textAccess(t texts, base int) *dataaccess.Result {
	k := func(i int) string { return t.at(base + i) }
	return &dataaccess.Result{Note: "present in code, not proven executed", Methods: 3, Instructions: 12, Owners: []dataaccess.Owner{{
		ID: k(0), Kind: "sdk", Name: k(1), Vendor: k(2),
		Categories: []dataaccess.Category{{
			ID: k(3), Name: k(4), NameZH: k(5),
			APIs:        []dataaccess.APIUse{{ID: k(6), Kind: "method", Ref: k(7), Permission: k(8), Sites: 3}, {ID: k(9), Kind: "string", Ref: k(10), Restricted: true, Sites: 1}},
			Permissions: []string{k(8)}, SitesTotal: 4,
			CallSites: []dataaccess.Site{{Class: k(11), Method: k(12) + "(I)V", API: k(6), Dex: k(13)}},
		}},
	}}}
}

func textScans(t texts) []ScanResult {
	inv := textInventory(t, 0)
	sdks := []detect.Detection{{
		ID: t.at(40), Name: t.at(41), NameZH: t.at(42), Vendor: t.at(43), Category: t.at(44), Kind: "sdk", Confidence: "high", Via: t.at(45),
		Evidence:    []detect.Evidence{{Kind: "dex-prefix", Signature: t.at(46), Where: t.at(47), Classes: 1}, {Kind: "meta-data", Signature: t.at(14), Where: "application"}},
		Permissions: []string{t.at(6)},
	}}
	failed := t.at(48)
	return []ScanResult{
		{File: inv.File, Inventory: inv, SDKs: sdks, DataAccess: textAccess(t, 50)},
		{File: failed, Err: errors.New(failed + ": container: " + t.at(49))},
	}
}

func textAudit(t texts, base int) *audit.Result {
	k := func(i int) string { return t.at(base + i) }
	sdk := &audit.SDKRef{ID: k(100), Name: k(101), NameZH: k(102), Vendor: k(103), Category: k(104)}
	return &audit.Result{
		App: textInventory(t, base),
		Declaration: &policy.Declaration{
			Sources: []policy.Source{{File: k(105)}, {File: k(106)}}, VersionScope: k(107),
			SDKs: []policy.DeclaredSDK{{ID: k(108)}}, Vendors: []policy.DeclaredVendor{{ID: k(109)}}, Unresolved: []policy.ThirdParty{{Name: k(110)}},
		},
		RulesVersion: k(111),
		Findings: []audit.Finding{
			{Rule: "SA1001", Kind: "undeclared-sdk", Severity: audit.SeverityHigh, Subject: audit.Subject{SDK: sdk},
				Message: k(112), MessageZH: k(113), AppEvidence: []string{k(114)}, PolicyEvidence: []string{k(115)},
				Fix: k(116), FixZH: k(117), Fingerprint: "0123456789abcdef"},
			{Rule: "SA2001", Kind: "undeclared-permission", Severity: audit.SeverityMedium, Subject: audit.Subject{Permission: k(118)},
				Message: k(119), MessageZH: k(120), AppEvidence: []string{k(121)}, PolicyEvidence: []string{}, AttributedTo: []string{k(100), "app"},
				Fix: k(122), Fingerprint: "1123456789abcdef"},
			{Rule: "SA1002", Kind: "sdk-data-undeclared", Severity: audit.SeverityMedium, Subject: audit.Subject{SDK: sdk, Data: k(123)},
				Message: k(124), Basis: "observed", Fingerprint: "2123456789abcdef"},
			{Rule: "SA3001", Kind: "unresolved-third-party", Severity: audit.SeverityLow, Subject: audit.Subject{ThirdParty: k(125)},
				Message: k(126), PolicyEvidence: []string{k(127)}, Fingerprint: "3123456789abcdef", Suppressed: true, SuppressedBy: k(128)},
			{Rule: "SA1004", Kind: "undeclared-data-access", Severity: audit.SeverityInfo, Subject: audit.Subject{Data: k(129)},
				Message: k(130), MessageZH: k(131), AttributedTo: []string{k(100)}, Fingerprint: "4123456789abcdef"},
		},
		SDKs: []audit.SDKStatus{
			{Detection: detect.Detection{ID: k(100), Name: k(101), NameZH: k(102), Vendor: k(103), Category: k(104), Kind: "sdk", Confidence: "high",
				Version: k(132), VersionSource: "META-INF/" + k(133) + ".version", Evidence: []detect.Evidence{{Kind: "dex-prefix", Signature: k(134), Where: k(135)}},
				Permissions: []string{k(118), k(136)}},
				VendorNames: []string{k(137)}, PolicyURL: k(138), Data: []string{k(139)}, DataNames: []string{k(140)}, DataNamesZH: []string{k(141)}, ObservedData: []string{k(123)}},
			{Detection: detect.Detection{ID: k(142), Name: k(143), Vendor: k(144), Category: k(145), Kind: "library", Confidence: "medium", Evidence: []detect.Evidence{}},
				Declared: true, DeclaredHow: k(146)},
		},
		DataAccess: textAccess(t, base+150),
		Incomplete: []string{k(147)},
		Changes:    &audit.Changes{OldFile: k(148), AddedSDKs: []string{k(100)}, RemovedSDKs: []string{k(149)}, AddedPermissions: []string{k(118)}, RemovedPermissions: []string{k(170)}},
		Warnings:   []string{k(171), k(172)},
	}
}

// textGroups makes the second audit a channel build, so the batch
// encoders render it through the group tables.
func textGroups(t texts, member *audit.Result) []audit.ChannelGroup {
	return []audit.ChannelGroup{{
		Package: t.at(180), VersionCode: t.at(181), ChannelKeys: []string{t.at(182)},
		CommonSDKs: []string{t.at(183)}, CommonPermissions: []string{t.at(184)}, CommonFindings: member.Findings[:2],
		Builds: []audit.ChannelBuild{{File: member.App.File, Channel: map[string]string{t.at(182): t.at(185)},
			ExtraSDKs: []string{t.at(186)}, ExtraPermissions: []string{t.at(187)}, SpecificFindings: member.Findings[2:]}},
	}}
}

// output is one encoding of the built results; kind is the encoder's
// Name(), which says what the output promises.
type output struct {
	name, kind string
	data       []byte
	// results is how many scan or audit results went in.
	results int
}

// encodeTwice runs enc twice and fails unless the bytes agree.
func encodeTwice(t *testing.T, name string, enc func(w io.Writer) error) []byte {
	t.Helper()
	var a, b bytes.Buffer
	if err := enc(&a); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	if err := enc(&b); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	if !bytes.Equal(a.Bytes(), b.Bytes()) {
		t.Fatalf("%s: output differs between two encodings of the same input", name)
	}
	return a.Bytes()
}

// encodeAll encodes the results built from t with every scan and audit
// encoder, the batch and line forms and the summary and channel tables.
func encodeAll(t *testing.T, tx texts, lang string) []output {
	t.Helper()
	scans := textScans(tx)
	a1, a2 := textAudit(tx, 0), textAudit(tx, 200)
	groups := textGroups(tx, a2)
	sopts := ScanOptions{Classes: true, ToolVersion: "test", RulesVersion: tx.at(190), Groups: groups}
	aopts := AuditOptions{ToolVersion: "test", Lang: lang}
	bopts := AuditOptions{ToolVersion: "test", Lang: lang, Groups: groups}
	var outs []output
	add := func(name, kind string, n int, enc func(w io.Writer) error) {
		outs = append(outs, output{name: name, kind: kind, results: n, data: encodeTwice(t, name, enc)})
	}
	for _, e := range ScanEncoders {
		add("scan/"+e.Name(), e.Name(), len(scans), func(w io.Writer) error { return e.Encode(w, scans, sopts) })
		if le, ok := e.(LineEncoder); ok {
			add("scan-line/"+e.Name(), e.Name(), 1, func(w io.Writer) error { return le.EncodeLine(w, scans[0], sopts) })
		}
	}
	for _, e := range AuditEncoders {
		add("audit/"+e.Name(), e.Name(), 1, func(w io.Writer) error { return e.Encode(w, a1, aopts) })
		if be, ok := e.(AuditBatchEncoder); ok {
			add("audit-batch/"+e.Name(), e.Name(), 2, func(w io.Writer) error { return be.EncodeBatch(w, []*audit.Result{a1, a2}, bopts) })
		}
	}
	add("summary/scan", "table", 0, func(w io.Writer) error {
		return WriteSummary(w, []SummaryRow{ScanSummaryRow(scans[0]), ScanSummaryRow(scans[1])}, false)
	})
	add("summary/audit", "table", 0, func(w io.Writer) error {
		return WriteSummary(w, []SummaryRow{AuditSummaryRow(a1.App.File, a1, nil), AuditSummaryRow(tx.at(191), nil, errors.New(tx.at(191)+": "+tx.at(192)))}, true)
	})
	add("groups/table", "table", 0, func(w io.Writer) error { return WriteChannelGroups(w, groups, lang) })
	return outs
}

// forbidden is what must never appear raw where escaping is promised,
// spelled out here rather than taken from unsafeRune: C0 controls but the
// newline the encoders write, DEL, C1, the line and paragraph separators,
// and the bidi marks, embeddings, overrides and isolates.
func forbidden(r rune) bool {
	switch {
	case r == '\n':
		return false
	case r < 0x20, r >= 0x7f && r <= 0x9f, r == 0x2028, r == 0x2029:
		return true
	case r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069, r == 0x200e, r == 0x200f, r == 0x061c:
		return true
	}
	return false
}

// checkRaw fails on the first forbidden rune or invalid UTF-8 in b.
func checkRaw(t *testing.T, name string, b []byte) {
	t.Helper()
	if !utf8.Valid(b) {
		t.Errorf("%s: output is not valid UTF-8", name)
	}
	for i, r := range string(b) {
		if forbidden(r) {
			t.Errorf("%s: raw %U at byte %d: %q", name, r, i, excerpt(b, i))
			return
		}
	}
}

func excerpt(b []byte, i int) string {
	lo, hi := max(0, i-40), min(len(b), i+40)
	return string(b[lo:hi])
}

// mdLine is what a Markdown line shows of its structure: how it starts,
// the syntax characters it holds outside backslash escapes and code spans,
// and its code span backticks.
type mdLine struct {
	start  string
	syntax map[byte]int
	ticks  int
}

func mdShape(line string) mdLine {
	l := mdLine{syntax: map[byte]int{}}
	switch {
	case line == "":
	case strings.HasPrefix(line, "|"):
		l.start = "|"
	case strings.HasPrefix(line, "#"):
		l.start = line[:len(line)-len(strings.TrimLeft(line, "#"))]
	case strings.HasPrefix(line, "- "):
		l.start = "- "
		if opensBlock(line[2:]) {
			l.start = "- (nested block)"
		}
	case strings.HasPrefix(line, "**"):
		l.start = "**"
	default:
		l.start = "text"
	}
	code := false
	for i := 0; i < len(line); i++ {
		c := line[i]
		switch {
		case c == '\\' && !code:
			i++ // the escaped character is literal
		case c == '`':
			l.ticks++
			code = !code
		case code:
		case c == '&':
			if !strings.HasPrefix(line[i:], "&lt;") && !strings.HasPrefix(line[i:], "&gt;") && !strings.HasPrefix(line[i:], "&amp;") {
				l.syntax['&']++
			}
		case strings.IndexByte("|*_~[]#<>", c) >= 0:
			l.syntax[c]++
		}
	}
	return l
}

// opensBlock reports whether a list item's text would start a block of
// its own: a nested bullet or ordered list, or indented code.
func opensBlock(s string) bool {
	if strings.HasPrefix(s, "    ") {
		return true
	}
	marker := 0
	switch {
	case strings.HasPrefix(s, "-"), strings.HasPrefix(s, "+"), strings.HasPrefix(s, "*"):
		marker = 1
	default:
		for marker < len(s) && marker < 9 && s[marker] >= '0' && s[marker] <= '9' {
			marker++
		}
		if marker == 0 || marker == len(s) || (s[marker] != '.' && s[marker] != ')') {
			return false
		}
		marker++
	}
	return marker == len(s) || s[marker] == ' ' || s[marker] == '\t'
}

// checkMarkdown holds the hostile Markdown to the shape of the benign one:
// the same lines, each starting the same way, with the same unescaped
// pipes (so table rows keep their columns), emphasis, brackets and
// headings, no HTML, and code spans only where the benign output has them.
func checkMarkdown(t *testing.T, name string, got, base []byte) {
	t.Helper()
	gl, bl := strings.Split(string(got), "\n"), strings.Split(string(base), "\n")
	if len(gl) != len(bl) {
		t.Errorf("%s: %d lines, want %d (text from the input added lines)", name, len(gl), len(bl))
		return
	}
	for i := range gl {
		g, b := mdShape(gl[i]), mdShape(bl[i])
		switch {
		case g.start != b.start:
			t.Errorf("%s: line %d starts as %q, want %q: %q", name, i+1, g.start, b.start, gl[i])
		case !maps.Equal(g.syntax, b.syntax):
			t.Errorf("%s: line %d has Markdown syntax %v, want %v: %q", name, i+1, g.syntax, b.syntax, gl[i])
		case g.ticks%2 != 0 || g.ticks > b.ticks:
			t.Errorf("%s: line %d has %d code backticks, want an even number up to %d: %q", name, i+1, g.ticks, b.ticks, gl[i])
		}
		if g.start == "|" && g.syntax['|'] < 2 {
			t.Errorf("%s: line %d is a table row with %d pipes", name, i+1, g.syntax['|'])
		}
	}
}

// checkHTMLTags holds an HTML report to the benign one's tags, in order:
// text from the input never opens an element or an attribute.
func checkHTMLTags(t *testing.T, name string, got, base []byte) {
	t.Helper()
	tag := regexp.MustCompile(`<[/!]?[a-zA-Z][^>]*>`)
	shape := func(b []byte) []string {
		var out []string
		for _, m := range tag.FindAll(b, -1) {
			f := strings.Fields(string(m))[0]
			out = append(out, strings.TrimSuffix(f, ">"))
		}
		return out
	}
	if g, b := shape(got), shape(base); !slices.Equal(g, b) {
		t.Errorf("%s: %d tags, want the benign report's %d: text from the input made markup", name, len(g), len(b))
	}
	if bytes.Contains(got, []byte("<script")) {
		t.Errorf("%s: raw <script>", name)
	}
}

// checkTable holds a terminal table to the benign one's line count: a
// row broken by the input would add a line.
func checkTable(t *testing.T, name string, got, base []byte) {
	t.Helper()
	if g, b := bytes.Count(got, []byte("\n")), bytes.Count(base, []byte("\n")); g != b {
		t.Errorf("%s: %d lines, want %d", name, g, b)
	}
}

// sarifMessages decodes a SARIF log and returns every message text, after
// checking the log's shape: a run per audit, a result per finding in
// order, each with its rule and one location.
func sarifMessages(t *testing.T, name string, out []byte, runs int) []string {
	t.Helper()
	var log struct {
		Version string `json:"version"`
		Runs    []struct {
			Tool struct {
				Driver struct{ Rules []struct{ ID string } }
			}
			Invocations []struct {
				ToolConfigurationNotifications []struct{ Message struct{ Text string } }
			}
			Artifacts []struct{ Location struct{ URI string } }
			Results   []struct {
				RuleID    string
				Message   struct{ Text string }
				Locations []struct {
					PhysicalLocation struct{ ArtifactLocation struct{ URI string } }
				}
				Suppressions []struct{ Justification string }
			}
		}
	}
	if err := json.Unmarshal(out, &log); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	if log.Version != "2.1.0" || len(log.Runs) != runs {
		t.Fatalf("%s: version %q, %d runs, want 2.1.0 and %d", name, log.Version, len(log.Runs), runs)
	}
	want := textAudit(texts{"x"}, 0).Findings
	var msgs []string
	for _, run := range log.Runs {
		if len(run.Tool.Driver.Rules) != len(audit.Checks) || len(run.Artifacts) != 1 {
			t.Errorf("%s: %d rules, %d artifacts", name, len(run.Tool.Driver.Rules), len(run.Artifacts))
		}
		if len(run.Results) != len(want) {
			t.Fatalf("%s: %d results, want %d", name, len(run.Results), len(want))
		}
		for i, res := range run.Results {
			if res.RuleID != want[i].Rule || len(res.Locations) != 1 || res.Locations[0].PhysicalLocation.ArtifactLocation.URI != run.Artifacts[0].Location.URI {
				t.Errorf("%s: result %d: rule %s, locations %+v", name, i, res.RuleID, res.Locations)
			}
			if want[i].Suppressed != (len(res.Suppressions) == 1) {
				t.Errorf("%s: result %d: suppressions %+v", name, i, res.Suppressions)
			}
			msgs = append(msgs, res.Message.Text)
		}
		for _, inv := range run.Invocations {
			for _, n := range inv.ToolConfigurationNotifications {
				msgs = append(msgs, n.Message.Text)
			}
		}
	}
	return msgs
}

// checkJSON: the output parses (JSON Lines line by line, one line per
// result) and holds no raw rune that could act on a terminal; the text
// itself stays whole inside the strings.
func checkJSON(t *testing.T, o output) []any {
	t.Helper()
	var docs []any
	if o.kind == "jsonl" {
		lines := strings.Split(strings.TrimSuffix(string(o.data), "\n"), "\n")
		if len(lines) != o.results {
			t.Errorf("%s: %d lines, want %d", o.name, len(lines), o.results)
		}
		for i, l := range lines {
			var v any
			if err := json.Unmarshal([]byte(l), &v); err != nil {
				t.Fatalf("%s: line %d: %v", o.name, i+1, err)
			}
			docs = append(docs, v)
		}
	} else {
		var v any
		if err := json.Unmarshal(o.data, &v); err != nil {
			t.Fatalf("%s: not JSON: %v", o.name, err)
		}
		docs = append(docs, v)
	}
	for _, d := range docs {
		if _, ok := d.(map[string]any); !ok {
			t.Errorf("%s: top level is %T, want an object", o.name, d)
		}
	}
	checkRaw(t, o.name, o.data)
	return docs
}

// checkEncoders encodes the results built from tx with every encoder, in
// each of the report languages, and checks what each format promises against
// the benign encoding of the same shape. It returns the outputs for
// further checks.
func checkEncoders(t *testing.T, tx texts, langs ...string) map[string]output {
	t.Helper()
	all := map[string]output{}
	for _, lang := range langs {
		outs, bases := encodeAll(t, tx, lang), encodeAll(t, tx.benign(), lang)
		for i, o := range outs {
			base := bases[i]
			switch o.kind {
			case "table":
				checkRaw(t, o.name, o.data)
				checkTable(t, o.name, o.data, base.data)
			case "markdown":
				checkRaw(t, o.name, o.data)
				checkMarkdown(t, o.name, o.data, base.data)
			case "sarif":
				checkJSON(t, o)
				for _, m := range sarifMessages(t, o.name, o.data, o.results) {
					checkRaw(t, o.name+" message", []byte(m))
					if n := utf8.RuneCountInString(m); n > 12*maxText {
						t.Errorf("%s: message of %d runes", o.name, n)
					}
				}
			case "json", "jsonl", "cyclonedx":
				checkJSON(t, o)
			case "html":
				checkRaw(t, o.name, o.data)
				checkHTMLTags(t, o.name, o.data, base.data)
			default:
				t.Fatalf("%s: encoder %q is not known to this test: say which invariants it promises", o.name, o.kind)
			}
			all[lang+" "+o.name] = o
		}
	}
	return all
}
