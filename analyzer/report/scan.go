package report

import (
	"fmt"
	"io"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/olekukonko/tablewriter"
	"github.com/olekukonko/tablewriter/tw"

	"github.com/sdkaudit/sdkaudit/analyzer/audit"
	"github.com/sdkaudit/sdkaudit/analyzer/dataaccess"
	"github.com/sdkaudit/sdkaudit/analyzer/detect"
	"github.com/sdkaudit/sdkaudit/analyzer/inventory"
	"github.com/sdkaudit/sdkaudit/analyzer/manifest"
	"github.com/sdkaudit/sdkaudit/analyzer/report/model"
)

// ScanSchemaVersion versions the scan JSON (model.ScanSchemaVersion).
const ScanSchemaVersion = model.ScanSchemaVersion

// ScanResult is what a scan found in one app, and the one scan result of
// the program: the library's Scan returns it (sdkaudit.ScanResult names
// this type) and the encoders here write it, so a result goes to a report
// as it is.
type ScanResult struct {
	// File is the source as given: a file, a split-APK directory or "-".
	File string
	// Inventory is everything the app's files say; nil when the file could
	// not be read at all. Its Errors include why detection cannot vouch for
	// the whole app (stage "detect": a packer, code loaded at run time),
	// and its Status is then incomplete: a scan and an audit of the same
	// app report the same problems.
	Inventory *inventory.Inventory
	// SDKs are the detected SDKs, sorted by id; Traces the SDKs seen only
	// through evidence that does not show their code (detect.Result.Traces).
	SDKs   []detect.Detection
	Traces []detect.Detection
	// DataAccess is the code read personal data with; nil when the code
	// scan was skipped.
	DataAccess *dataaccess.Result
	// Err is why the file could not be read, with Inventory nil: a batch
	// report writes the failed file in its place. The library's Scan
	// returns that error instead, with no result.
	Err error
}

// ScanOptions select optional, bulky parts of the output.
type ScanOptions struct {
	Classes      bool
	ToolVersion  string
	RulesVersion string
	// Groups are the batch's channel builds (JSON and table show them).
	Groups []audit.ChannelGroup
}

// Encoder writes scan results in one format.
type Encoder interface {
	Name() string
	Encode(w io.Writer, results []ScanResult, opts ScanOptions) error
}

// ScanEncoders is the registry of scan formats, in the order help text
// lists them.
var ScanEncoders = []Encoder{tableEncoder{}, jsonEncoder{}, jsonlEncoder{}}

// ScanEncoder finds a format by name.
func ScanEncoder(name string) (Encoder, error) {
	var names []string
	for _, e := range ScanEncoders {
		if e.Name() == name {
			return e, nil
		}
		names = append(names, e.Name())
	}
	return nil, fmt.Errorf("report: unknown format %q (want one of %s)", name, strings.Join(names, ", "))
}

type jsonEncoder struct{}

func (jsonEncoder) Name() string { return "json" }

func (jsonEncoder) Encode(w io.Writer, results []ScanResult, opts ScanOptions) error {
	doc := model.ScanDocument{SchemaVersion: model.ScanSchemaVersion, Tool: model.NewTool(opts.ToolVersion), RulesVersion: opts.RulesVersion, Apps: []model.ScanApp{}, ChannelGroups: model.ChannelGroupsOf(opts.Groups)}
	apps := make([]model.ScanApp, 0, len(results))
	for _, r := range results {
		apps = append(apps, appOf(r, opts))
	}
	return writeDocWithList(w, doc, "apps", apps)
}

type tableEncoder struct{}

func (tableEncoder) Name() string { return "table" }

func (tableEncoder) Encode(w io.Writer, results []ScanResult, opts ScanOptions) error {
	for i, r := range results {
		if i > 0 {
			fmt.Fprintln(w)
		}
		if r.Inventory == nil {
			fmt.Fprintf(w, "== %s (error)\n%s\n", Clean(r.File), Clean(strings.TrimPrefix(r.Err.Error(), r.File+": ")))
			continue
		}
		if err := writeInventoryTable(w, r.Inventory, opts); err != nil {
			return err
		}
		if err := writeSDKTable(w, r.SDKs); err != nil {
			return err
		}
		if err := writeAccessTable(w, r.DataAccess); err != nil {
			return err
		}
	}
	if err := WriteChannelGroups(w, opts.Groups, "en"); err != nil {
		return err
	}
	fmt.Fprintf(w, "\nsdkaudit %s, rules %s\n", Clean(opts.ToolVersion), Clean(opts.RulesVersion))
	return nil
}

func newTable(w io.Writer, header ...any) *tablewriter.Table {
	opts := []tablewriter.Option{
		tablewriter.WithHeaderAutoFormat(tw.Off),
		tablewriter.WithRowAutoWrap(tw.WrapNone),
		tablewriter.WithHeaderAlignment(tw.AlignLeft),
		tablewriter.WithRowAlignment(tw.AlignLeft),
	}
	if cols := widthOf(w); cols > 0 {
		// Fit the terminal: cells wrap at spaces and words longer than a
		// column (class names, paths) break inside.
		opts = append(opts, tablewriter.WithMaxWidth(cols), tablewriter.WithRowAutoWrap(tw.WrapBreak), tablewriter.WithHeaderAutoWrap(tw.WrapBreak))
	}
	t := tablewriter.NewTable(w, opts...)
	t.Header(header...)
	return t
}

func sdkCell(s inventoryValue) string {
	if s.declared == "" {
		if s.effective == "" {
			return "-"
		}
		return "(default " + s.effective + ")"
	}
	if s.effective == "" || s.effective == s.declared {
		return s.declared
	}
	return s.declared + " (effective " + s.effective + ")"
}

type inventoryValue struct{ declared, effective string }

func writeInventoryTable(w io.Writer, inv *inventory.Inventory, opts ScanOptions) error {
	m := inv.Manifest
	sdk := func(v *manifest.Value, eff *int) inventoryValue {
		var iv inventoryValue
		if v != nil {
			iv.declared = valueText(v)
		}
		if eff != nil {
			iv.effective = strconv.Itoa(*eff)
		}
		return iv
	}
	fmt.Fprintf(w, "== %s (%s)\n", Clean(inv.File), Clean(inv.Status))
	if inv.IOS != nil {
		return writeIOSTable(w, inv, opts)
	}
	t := newTable(w, "field", "value")
	rows := [][]string{
		{"package", m.Package},
		{"sha256", inv.SHA256},
		{"version code", versionCodeText(m)},
		{"version name", valueText(m.VersionName)},
		{"min sdk", sdkCell(sdk(m.MinSDK.Declared, m.MinSDK.Effective))},
		{"target sdk", sdkCell(sdk(m.TargetSDK.Declared, m.TargetSDK.Effective))},
		{"max sdk", sdkCell(sdk(m.MaxSDK.Declared, m.MaxSDK.Effective))},
		{"dex", fmt.Sprintf("%d files, %d classes (%d distinct)", len(inv.Dex.Files), inv.Dex.ClassesTotal, inv.Dex.ClassesDistinct)},
		{"components", componentSummary(inv)},
	}
	for _, r := range rows {
		_ = t.Append([]string{r[0], Clean(r[1])})
	}
	if err := t.Render(); err != nil {
		return err
	}
	if len(m.Permissions) > 0 {
		t = newTable(w, "permission", "element", "max sdk")
		for _, p := range m.Permissions {
			max := ""
			if p.MaxSDKVersion != nil {
				max = strconv.Itoa(*p.MaxSDKVersion)
			}
			_ = t.Append([]string{Clean(p.Name), Clean(p.Element), max})
		}
		if err := t.Render(); err != nil {
			return err
		}
	}
	if len(m.DeclaredPermissions) > 0 {
		t = newTable(w, "declared permission", "protection level")
		for _, p := range m.DeclaredPermissions {
			_ = t.Append([]string{Clean(p.Name), Clean(p.ProtectionLevel)})
		}
		if err := t.Render(); err != nil {
			return err
		}
	}
	if len(m.MetaData) > 0 {
		t = newTable(w, "meta-data", "owner", "value")
		for _, md := range m.MetaData {
			v := valueText(md.Value)
			if md.Resource != nil {
				v = "resource " + valueText(md.Resource)
			}
			_ = t.Append([]string{Clean(md.Name), Clean(md.Owner), Clean(v)})
		}
		if err := t.Render(); err != nil {
			return err
		}
	}
	if len(inv.Dex.Files) > 0 {
		t = newTable(w, "dex file", "version", "classes", "note")
		for _, d := range inv.Dex.Files {
			note := d.Error
			if !d.Loaded {
				note = strings.TrimSpace("not loaded by Android (numbering gap) " + note)
			}
			ver := "-"
			if d.Version > 0 {
				ver = fmt.Sprintf("%03d", d.Version)
			}
			_ = t.Append([]string{Clean(d.Name), ver, strconv.Itoa(d.Classes), Clean(note)})
		}
		if err := t.Render(); err != nil {
			return err
		}
	}
	if len(inv.NativeLibs) > 0 || len(inv.OtherCode) > 0 || len(inv.NativeOther) > 0 {
		t = newTable(w, "other code", "kind")
		for _, abi := range inv.NativeLibs {
			names := make([]string, len(abi.Libs))
			for i, l := range abi.Libs {
				names[i] = l.Name
			}
			_ = t.Append([]string{Clean("lib/" + abi.ABI + "/: " + strings.Join(names, " ")), "native"})
		}
		for _, l := range inv.NativeOther {
			_ = t.Append([]string{Clean(l.Path), "native (outside lib/)"})
		}
		for _, c := range inv.OtherCode {
			_ = t.Append([]string{Clean(c.Path), Clean(c.Kind)})
		}
		if err := t.Render(); err != nil {
			return err
		}
	}
	for _, n := range inv.Notes {
		fmt.Fprintf(w, "note (%s): %s\n", Clean(n.Stage), Clean(n.Message))
	}
	for _, e := range inv.Errors {
		fmt.Fprintf(w, "incomplete (%s %s): %s\n", Clean(e.Stage), Clean(e.Path), Clean(e.Message))
	}
	if opts.Classes {
		for _, c := range inv.Dex.Classes {
			fmt.Fprintln(w, Clean(c))
		}
	}
	return nil
}

func versionCodeText(m *manifest.Manifest) string {
	if m.LongVersionCode != nil {
		return fmt.Sprintf("%s (major %s, long %d)", valueText(m.VersionCode), valueText(m.VersionCodeMajor), *m.LongVersionCode)
	}
	return valueText(m.VersionCode)
}

// valueText shows a declared value with the reference it was resolved
// from.
func valueText(v *manifest.Value) string {
	switch {
	case v == nil:
		return "-"
	case v.Reference != "" && v.Reference != v.Value:
		return v.Value + " (" + v.Reference + ")"
	}
	return v.Value
}

func writeSDKTable(w io.Writer, sdks []detect.Detection) error {
	if len(sdks) == 0 {
		fmt.Fprintln(w, "no known SDKs detected")
		return nil
	}
	t := newTable(w, "sdk", "vendor", "category", "kind", "confidence", "evidence")
	for _, d := range sdks {
		kinds := map[string]int{}
		for _, e := range d.Evidence {
			kinds[e.Kind]++
		}
		var ev []string
		for _, k := range sortedKeys(kinds) {
			ev = append(ev, fmt.Sprintf("%s×%d", k, kinds[k]))
		}
		id := d.ID
		if d.Via != "" {
			id += " (via " + d.Via + ")"
		}
		_ = t.Append([]string{Clean(id), Clean(d.Vendor), Clean(d.Category), Clean(d.Kind), Clean(d.Confidence), Clean(strings.Join(ev, " "))})
	}
	return t.Render()
}

// writeAccessTable lists, per owner and data category, the APIs the code
// references and the first call sites.
func writeAccessTable(w io.Writer, r *dataaccess.Result) error {
	return writeAccessTableLang(w, r, namer{})
}

// writeAccessTableLang is writeAccessTable in the report's language.
func writeAccessTableLang(w io.Writer, r *dataaccess.Result, n namer) error {
	if r == nil {
		return nil
	}
	if len(r.Owners) == 0 {
		fmt.Fprintf(w, "%s\n", n.L(fmt.Sprintf("no data access found in code (%d methods scanned)", r.Methods), fmt.Sprintf("代码中未发现读取个人信息的调用（共扫描 %d 个方法）", r.Methods)))
		return nil
	}
	reach := r.Reachability != nil
	head := []any{n.L("data access (owner)", "个人信息访问（归属）"), n.L("data", "个人信息"), "apis", n.L("sites", "调用处"), n.L("first call sites", "调用位置示例")}
	if reach {
		head = []any{n.L("data access (owner)", "个人信息访问（归属）"), n.L("data", "个人信息"), n.L("reach", "可达性"), "apis", n.L("sites", "调用处"), n.L("first call sites (reach: path)", "调用位置示例（可达性：调用路径）")}
	}
	t := newTable(w, head...)
	for _, o := range r.Owners {
		for _, c := range o.Categories {
			var apis []string
			for _, a := range c.APIs {
				s := a.ID
				if a.Restricted {
					s += n.L(" (restricted)", "（已受限）")
				}
				apis = append(apis, s)
			}
			var sites []string
			for _, s := range c.CallSites {
				sites = append(sites, siteTextLang(s, n))
			}
			if more := c.SitesTotal - len(c.CallSites); more > 0 {
				sites = append(sites, n.L(fmt.Sprintf("… %d more", more), fmt.Sprintf("… 另 %d 处", more)))
			}
			owner, data := o.ID, c.ID
			if n.zh {
				owner, data = n.sdkLabel(o.ID), firstOf(c.NameZH, c.ID)
			}
			if reach {
				_ = t.Append([]string{Clean(owner), Clean(data), Clean(reachLabel(c.Reach, n)), Clean(strings.Join(apis, " ")), strconv.Itoa(c.SitesTotal), Clean(strings.Join(sites, "; "))})
				continue
			}
			_ = t.Append([]string{Clean(owner), Clean(data), Clean(strings.Join(apis, " ")), strconv.Itoa(c.SitesTotal), Clean(strings.Join(sites, " "))})
		}
	}
	if err := t.Render(); err != nil {
		return err
	}
	if n.zh {
		writeLine(w, fmt.Sprintf("个人信息访问：以上为代码中存在的调用，不代表一定会执行（共扫描 %d 个方法）", r.Methods))
	} else {
		writeLine(w, fmt.Sprintf("data access: %s (%d methods scanned)", Clean(r.Note), r.Methods))
	}
	if rs := r.Reachability; rs != nil {
		line := n.L(fmt.Sprintf("reachability: %d of %d methods run at start-up, %d reachable from %d entry methods (%d start-up)", rs.StartupMethods, rs.Methods, rs.Reachable, rs.Entries, rs.StartupEntries),
			fmt.Sprintf("可达性：%d 个方法中 %d 个在启动时运行，%d 个可从 %d 个入口方法到达（其中启动入口 %d 个）", rs.Methods, rs.StartupMethods, rs.Reachable, rs.Entries, rs.StartupEntries))
		if rs.Note != "" {
			line += "; " + Clean(rs.Note)
		}
		writeLine(w, line)
	}
	return nil
}

// siteText is a call site for tables: "Class.method", and when it was
// analysed its reach and, for a path, each step's class and method joined
// by "->" (a call) or "~>" (an asynchronous hand-off).
func siteText(s dataaccess.Site) string {
	return siteTextLang(s, namer{})
}

// reachLabel names a reach value in the report's language.
func reachLabel(r string, n namer) string {
	if !n.zh {
		return r
	}
	switch r {
	case "startup":
		return "启动时执行"
	case "reachable":
		return "可达"
	case "unreachable":
		return "不可达"
	case "unknown":
		return "未知"
	}
	return r
}

// siteTextLang is a call site with its reach and path, the reach named in
// the report's language.
func siteTextLang(s dataaccess.Site, n namer) string {
	out := s.Class + "." + methodName(s.Method)
	if s.Reach == "" {
		return out
	}
	out += " [" + reachLabel(s.Reach, n)
	if len(s.Path) > 0 {
		out += ": " + pathText(s)
	}
	return out + "]"
}

// pathText joins a site's path compactly (descriptors dropped).
func pathText(s dataaccess.Site) string {
	var b strings.Builder
	for i, p := range s.Path {
		if i > 0 {
			if slices.Contains(s.AsyncHops, i) {
				b.WriteString(" ~> ")
			} else {
				b.WriteString(" -> ")
			}
		}
		b.WriteString(methodName(p))
	}
	return b.String()
}

// methodName drops the descriptor from "name(I)V" for compact tables.
func methodName(m string) string {
	if i := strings.IndexByte(m, '('); i > 0 {
		return m[:i]
	}
	return m
}

func sortedKeys(m map[string]int) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

func componentSummary(inv *inventory.Inventory) string {
	counts := map[string]int{}
	for _, c := range inv.Components {
		counts[c.Type]++
	}
	keys := make([]string, 0, len(counts))
	for k := range counts {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, 0, len(keys))
	for _, k := range keys {
		parts = append(parts, fmt.Sprintf("%d %s", counts[k], k))
	}
	if len(parts) == 0 {
		return "none"
	}
	return strings.Join(parts, ", ")
}

// writeIOSTable is the inventory of an iOS app: bundle facts, the usage
// descriptions with their purposes, the Mach-O files, frameworks and
// privacy manifests.
func writeIOSTable(w io.Writer, inv *inventory.Inventory, opts ScanOptions) error {
	ios := inv.IOS
	m := inv.Manifest
	t := newTable(w, "field", "value")
	classes := 0
	for _, b := range ios.Binaries {
		classes += b.Classes
	}
	rows := [][]string{
		{"platform", "ios"},
		{"bundle id", m.Package},
		{"name", ios.Name},
		{"sha256", inv.SHA256},
		{"version", valueText(m.VersionName)},
		{"build", valueText(m.VersionCode)},
		{"minimum iOS", ios.MinimumOS},
		{"executable", ios.Executable},
		{"binaries", fmt.Sprintf("%d Mach-O files, %d class names", len(ios.Binaries), classes)},
		{"queried schemes", strings.Join(ios.QueriesSchemes, ", ")},
		{"url schemes", strings.Join(ios.URLSchemes, ", ")},
		{"background modes", strings.Join(ios.BackgroundModes, ", ")},
		{"resources", strings.Join(ios.Resources, ", ")},
	}
	for _, r := range rows {
		_ = t.Append([]string{r[0], Clean(r[1])})
	}
	if err := t.Render(); err != nil {
		return err
	}
	if len(ios.UsageDescriptions) > 0 {
		t = newTable(w, "usage description", "bundle", "purpose")
		for _, u := range ios.UsageDescriptions {
			_ = t.Append([]string{Clean(u.Key), Clean(u.Bundle), Clean(u.Purpose)})
		}
		if err := t.Render(); err != nil {
			return err
		}
	}
	if len(ios.Entitlements) > 0 {
		t = newTable(w, "entitlement", "value")
		for _, e := range ios.Entitlements {
			_ = t.Append([]string{Clean(e.Key), Clean(e.Value)})
		}
		if err := t.Render(); err != nil {
			return err
		}
	}
	if len(ios.Binaries) > 0 {
		t = newTable(w, "binary", "kind", "archs", "classes", "note")
		for _, b := range ios.Binaries {
			archs, note := "", b.Error
			if b.MachO != nil {
				archs = strings.Join(b.Archs, ",")
				if b.Encrypted {
					note = "encrypted"
				}
			}
			_ = t.Append([]string{Clean(b.Path), Clean(b.Kind), Clean(archs), strconv.Itoa(b.Classes), Clean(note)})
		}
		if err := t.Render(); err != nil {
			return err
		}
	}
	if len(ios.Frameworks) > 0 {
		t = newTable(w, "framework", "kind", "version", "privacy manifest")
		for _, f := range ios.Frameworks {
			pm := "none"
			if f.PrivacyManifest != "" {
				pm = "yes"
			}
			_ = t.Append([]string{Clean(f.Name), Clean(f.Kind), Clean(f.Version), pm})
		}
		if err := t.Render(); err != nil {
			return err
		}
	}
	if len(ios.PrivacyManifests) > 0 {
		t = newTable(w, "privacy manifest", "owner", "tracking", "collected data", "required-reason APIs")
		for _, p := range ios.PrivacyManifests {
			var data, apis []string
			for _, c := range p.CollectedData {
				d := strings.TrimPrefix(c.Type, "NSPrivacyCollectedDataType")
				if c.Tracking {
					d += " (tracking)"
				}
				data = append(data, d)
			}
			for _, a := range p.AccessedAPIs {
				apis = append(apis, strings.TrimPrefix(a.Type, "NSPrivacyAccessedAPICategory")+" "+strings.Join(a.Reasons, ","))
			}
			tr := "no"
			if p.Tracking {
				tr = "yes"
			}
			if len(p.TrackingDomains) > 0 {
				tr += " (" + strings.Join(p.TrackingDomains, ", ") + ")"
			}
			_ = t.Append([]string{Clean(p.Path), Clean(p.Owner), Clean(tr), Clean(strings.Join(data, ", ")), Clean(strings.Join(apis, "; "))})
		}
		if err := t.Render(); err != nil {
			return err
		}
	}
	for _, n := range inv.Notes {
		fmt.Fprintf(w, "note (%s): %s\n", Clean(n.Stage), Clean(n.Message))
	}
	for _, e := range inv.Errors {
		fmt.Fprintf(w, "incomplete (%s %s): %s\n", Clean(e.Stage), Clean(e.Path), Clean(e.Message))
	}
	if opts.Classes {
		for _, b := range ios.Binaries {
			if b.MachO == nil {
				continue
			}
			for _, c := range b.MachO.Classes {
				fmt.Fprintln(w, Clean(b.Path+": "+c))
			}
		}
	}
	return nil
}
