package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/sdkaudit/sdkaudit/analyzer/audit"
	"github.com/sdkaudit/sdkaudit/analyzer/container"
	"github.com/sdkaudit/sdkaudit/analyzer/dataaccess"
	"github.com/sdkaudit/sdkaudit/analyzer/detect"
	"github.com/sdkaudit/sdkaudit/analyzer/dex"
	"github.com/sdkaudit/sdkaudit/analyzer/inventory"
	"github.com/sdkaudit/sdkaudit/analyzer/policy"
	"github.com/sdkaudit/sdkaudit/analyzer/report"
	"github.com/sdkaudit/sdkaudit/rules"
)

type auditFlags struct {
	policies         []string
	format           string
	output           string
	failOn           string
	failOnIncomplete bool
	waivers          string
	lang             string
	timeout          time.Duration
	// against is the old build for diff; noPolicyOK lets diff run
	// without a policy.
	against    string
	noPolicyOK bool
	code       codeFlags
	jobs       int
}

// codeFlags control the data-access scan of DEX code, shared by scan and
// audit.
type codeFlags struct {
	noCode   bool
	noReach  bool
	maxSites int
}

func addCodeFlags(c *cobra.Command, f *codeFlags) {
	fl := c.Flags()
	fl.BoolVar(&f.noCode, "no-code", false, "skip the data-access scan of DEX code (read class lists only)")
	fl.BoolVar(&f.noReach, "no-reach", false, "skip the call graph: call sites get no reach or path, and no startup-collection finding is raised")
	fl.IntVar(&f.maxSites, "max-call-sites", dataaccess.DefaultMaxSites, "call sites listed per SDK and data category (the count is always complete)")
}

// engines are the compiled rule indexes one run shares across apps. They
// may still be loading while the first app is read (startEngines): every
// use past the inventory waits for them.
type engines struct {
	code  codeFlags
	ready chan struct{}
	// Set before ready is closed, read-only after.
	db     *rules.DB
	err    error
	detect *detect.Index
	access *dataaccess.Index
	// dexStrings are the rules' dex_strings, for the inventory.
	dexStrings []string
	// mem is the process's budget for inflated DEX files (batch.go).
	mem *inventory.Memory
	// stdin is read for the app named "-".
	stdin io.Reader
}

func newEngines(db *rules.DB, code codeFlags) *engines {
	e := &engines{code: code, ready: make(chan struct{}), mem: newMemory()}
	e.build(db)
	close(e.ready)
	return e
}

// startEngines loads the rules in the background. Loading them is a
// tenth of a small app's scan; the inventory starts inflating DEX files
// meanwhile and waits for the rules only when it scans code.
func startEngines(load func() (*rules.DB, error), code codeFlags) *engines {
	e := &engines{code: code, ready: make(chan struct{}), mem: newMemory()}
	go func() {
		defer close(e.ready)
		db, err := load()
		if err != nil {
			e.err = err
			return
		}
		e.build(db)
	}()
	return e
}

func (e *engines) build(db *rules.DB) {
	e.db, e.detect, e.access = db, detect.NewIndex(db), dataaccess.NewIndex(db)
	e.dexStrings = e.detect.DexStrings()
}

// wait returns the rules once they are loaded, or why they could not be.
func (e *engines) wait() (*rules.DB, error) {
	<-e.ready
	return e.db, e.err
}

func (e *engines) inventoryOptions() inventory.Options {
	// Native libraries the rules name are searched for a version string.
	libs := func(name string) bool {
		if _, err := e.wait(); err != nil {
			return false
		}
		return e.detect.NamesNativeLib(name)
	}
	// The rules' dex_strings are looked up in every DEX file's strings.
	strs := func() []string {
		if _, err := e.wait(); err != nil {
			return nil
		}
		return e.dexStrings
	}
	if e.code.noCode {
		return inventory.Options{Memory: e.mem, NativeVersions: libs, DexStrings: strs}
	}
	return inventory.Options{Memory: e.mem, NativeVersions: libs, DexStrings: strs, Code: &inventory.CodeQuery{Calls: !e.code.noReach, Resolve: func() (*dex.RefQuery, []string) {
		if _, err := e.wait(); err != nil {
			return nil, nil
		}
		q := e.access.Query()
		return q.Refs, q.Keys
	}}}
}

func (e *engines) accessOf(inv *inventory.Inventory) *dataaccess.Result {
	if e.code.noCode {
		return nil
	}
	return e.access.Analyze(inv, dataaccess.Options{MaxSites: max(e.code.maxSites, -1)})
}

func newAuditCmd(g *globals) *cobra.Command {
	var f auditFlags
	c := &cobra.Command{
		Use:   "audit APP_OR_DIR [MORE...] --policy POLICY [--policy MORE...]",
		Short: "Compare an app with its privacy policy and report undeclared SDKs and permissions",
		Long: `Scans the app, reads the policy documents (HTML, Markdown, text) or a reviewed declaration file,
and reports findings both ways: SDKs and permissions the app has but the policy never discloses, and
declarations the app does not need. Exits 1 when a finding at or above --fail-on stands.`,
		Example: `  sdkaudit audit app.apk --policy privacy.html --policy sdk-list.html
  sdkaudit audit app.apk --policy declaration.yaml --format sarif -o audit.sarif
  sdkaudit audit app.apk --policy privacy.txt --format markdown --lang zh --fail-on medium
  sdkaudit audit builds/ --policy privacy.html --format jsonl --jobs 2 > audits.jsonl`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(c *cobra.Command, args []string) error {
			if st, err := os.Stat(args[0]); len(args) == 1 && (err != nil || !st.IsDir() || container.IsSplitDir(args[0])) {
				return runAudit(c, g, args[0], f)
			}
			// A directory holding one app is that app: the same report,
			// cyclonedx included, as when the file is named.
			if files := expandInputs(args); len(files) == 1 {
				return runAudit(c, g, files[0], f)
			}
			return runAuditBatch(c, g, args, f)
		},
	}
	addAuditFlags(c, &f)
	return c
}

func addAuditFlags(c *cobra.Command, f *auditFlags) {
	fl := c.Flags()
	fl.StringArrayVar(&f.policies, "policy", nil, "policy document or declaration file (repeatable)")
	fl.StringVar(&f.format, "format", "table", "table, markdown, html, json, jsonl, sarif or cyclonedx (one app only)")
	fl.IntVar(&f.jobs, "jobs", runtime.GOMAXPROCS(0), "apps audited in parallel when several are given")
	fl.StringVarP(&f.output, "output", "o", "", "write the report to FILE instead of standard output")
	fl.StringVar(&f.failOn, "fail-on", "high", "exit 1 when a finding of this severity or worse stands: high, medium, low or none")
	fl.BoolVar(&f.failOnIncomplete, "fail-on-incomplete", false, "exit 3 when the analysis is incomplete (packer, unreadable DEX, code loaded at run time)")
	fl.StringVar(&f.waivers, "waivers", "", "YAML file of accepted findings {rule, subject, reason, expires}")
	fl.StringVar(&f.lang, "lang", "en", "language of the table, Markdown and HTML reports: en or zh")
	fl.DurationVar(&f.timeout, "timeout", 10*time.Minute, "time budget for the app")
	addCodeFlags(c, &f.code)
}

func runAudit(c *cobra.Command, g *globals, file string, f auditFlags) error {
	enc, err := report.AuditEncoderByName(f.format)
	if err != nil {
		return &exitError{code: ExitInput, err: err}
	}
	if err := checkAuditFlags(f); err != nil {
		return err
	}
	if err := checkPolicyGiven(f); err != nil {
		return err
	}
	ctx := c.Context()
	if ctx == nil {
		ctx = context.Background()
	}
	if f.timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, f.timeout)
		defer cancel()
	}
	// The app is read while the rules load and the policy is read: both
	// are independent of the app until the comparison.
	ix := startEngines(func() (*rules.DB, error) { return loadRules(g.rulesDir, g.rulesReplace) }, f.code)
	ix.stdin = c.InOrStdin()
	scanCtx, cancelScan := context.WithCancel(ctx)
	defer cancelScan()
	pending := startScan(scanCtx, file, ix)
	db, waivers, decl, err := auditInputs(ix, f)
	if err != nil {
		cancelScan()
		pending.wait()
		return err
	}
	in, err := pending.analyse(ix, decl, db)
	if err != nil {
		return err
	}
	res := audit.Run(in)
	if f.against != "" {
		old, err := analyse(ctx, f.against, ix, decl, db)
		if err != nil {
			return err
		}
		res.KeepChanged(audit.Diff(old, in), audit.Run(old))
	}
	res.ApplyWaivers(waivers, time.Now())
	for _, w := range res.Warnings {
		if !g.quiet {
			say(c.ErrOrStderr(), "sdkaudit: warning: %s", strings.TrimSpace(w))
		}
	}
	var buf bytes.Buffer
	var into io.Writer = &buf
	if f.output == "" && f.format == "table" {
		into = report.WithWidth(&buf, tableWidth(c.OutOrStdout()))
	}
	if err := enc.Encode(into, res, report.AuditOptions{ToolVersion: toolVersion(), Lang: f.lang, Date: reportDate(), DocsBase: docsBase()}); err != nil {
		return &exitError{code: ExitInput, err: err}
	}
	if err := writeOutput(c.OutOrStdout(), f.output, buf.Bytes()); err != nil {
		return &exitError{code: ExitInput, err: err}
	}
	code := ExitOK
	if res.FailsOn(audit.Severity(f.failOn)) {
		code = worst(code, ExitFindings)
	}
	if f.failOnIncomplete && len(res.Incomplete) > 0 {
		code = worst(code, ExitIncomplete)
	}
	if code != ExitOK {
		return silentExit{code}
	}
	return nil
}

// runAuditBatch audits several apps (or directories of them) against one
// policy: one report, channel builds grouped, exit code from the worst app.
func runAuditBatch(c *cobra.Command, g *globals, args []string, f auditFlags) error {
	enc, err := report.AuditEncoderByName(f.format)
	if err != nil {
		return &exitError{code: ExitInput, err: err}
	}
	batch, ok := enc.(report.AuditBatchEncoder)
	if !ok {
		return &exitError{code: ExitInput, err: fmt.Errorf("--format %s describes one app; audit the apps one at a time", f.format)}
	}
	if err := checkAuditFlags(f); err != nil {
		return err
	}
	f.noPolicyOK = false // a batch always compares with a policy
	if err := checkPolicyGiven(f); err != nil {
		return err
	}
	ix := startEngines(func() (*rules.DB, error) { return loadRules(g.rulesDir, g.rulesReplace) }, f.code)
	ix.stdin = c.InOrStdin()
	db, waivers, decl, err := auditInputs(ix, f)
	if err != nil {
		return err
	}
	files := expandInputs(args)
	if len(files) == 0 {
		return &exitError{code: ExitInput, err: fmt.Errorf("no apps found in %s", strings.Join(args, ", "))}
	}
	ctx := c.Context()
	if ctx == nil {
		ctx = context.Background()
	}
	type outcome struct {
		file string
		res  *audit.Result
		err  error
	}
	stderr := c.ErrOrStderr()
	opts := report.AuditOptions{ToolVersion: toolVersion(), Lang: f.lang, Date: reportDate(), DocsBase: docsBase()}
	streaming := f.format == "jsonl"
	out, commit, abort, err := openOutput(c.OutOrStdout(), f.output)
	if err != nil {
		return &exitError{code: ExitInput, err: err}
	}
	defer abort()
	if f.output == "" && f.format == "table" {
		out = report.WithWidth(out, tableWidth(c.OutOrStdout()))
	}
	code := ExitOK
	var results []*audit.Result
	var rows []report.SummaryRow
	var members []audit.Member
	var writeErr error
	prog := newProgress(g.progressTo(stderr), len(files))
	runPool(ctx, len(files), f.jobs, func(ctx context.Context, i int) (o outcome) {
		o.file = files[i]
		defer func() {
			if p := recover(); p != nil {
				o.res, o.err = nil, fmt.Errorf("%s: internal error while auditing: %v", files[i], p)
			}
		}()
		admit(ctx, files[i], ix.inventoryOptions())
		if f.timeout > 0 {
			var cancel context.CancelFunc
			ctx, cancel = context.WithTimeout(ctx, f.timeout)
			defer cancel()
		}
		in, err := analyse(ctx, files[i], ix, decl, db)
		if err != nil {
			o.err = err
			return o
		}
		o.res = audit.Run(in)
		o.res.ApplyWaivers(waivers, time.Now())
		return o
	}, func(i int, o outcome) {
		prog.step(i+1, o.file)
		rows = append(rows, report.AuditSummaryRow(o.file, o.res, o.err))
		if o.err != nil {
			prog.finish()
			say(stderr, "sdkaudit: %s", o.err)
			code = worst(code, ExitInput)
			return
		}
		r := o.res
		if r.FailsOn(audit.Severity(f.failOn)) {
			code = worst(code, ExitFindings)
		}
		if f.failOnIncomplete && len(r.Incomplete) > 0 {
			code = worst(code, ExitIncomplete)
		}
		members = append(members, audit.MemberOf(r.App, statusIDs(r.SDKs), r.Findings))
		lightenInventory(r.App)
		if streaming {
			if err := enc.Encode(out, r, opts); err != nil && writeErr == nil {
				writeErr = err
			}
			return
		}
		results = append(results, r)
	})
	prog.finish()
	if writeErr != nil {
		return &exitError{code: ExitInput, err: fmt.Errorf("cannot write output: %w", writeErr)}
	}
	opts.Groups = audit.GroupChannels(members)
	if !streaming {
		if err := batch.EncodeBatch(out, results, opts); err != nil {
			return &exitError{code: ExitInput, err: err}
		}
		if f.format == "table" {
			fmt.Fprintln(out)
			if err := report.WriteSummaryLang(out, rows, true, f.lang); err != nil {
				return &exitError{code: ExitInput, err: err}
			}
		}
	}
	if err := commit(); err != nil {
		return &exitError{code: ExitInput, err: err}
	}
	if f.format != "table" && prog.on {
		_ = report.WriteSummary(stderr, rows, true)
	}
	if code != ExitOK {
		return silentExit{code}
	}
	return nil
}

// docsBase is the address of docs/findings.md in the repository the binary
// was built from (its module path), for the helpUri of SARIF rules.
func docsBase() string {
	bi, ok := debug.ReadBuildInfo()
	if !ok || bi.Main.Path == "" || !strings.Contains(bi.Main.Path, ".") {
		return ""
	}
	return "https://" + bi.Main.Path + "/blob/main/docs/findings.md"
}

// reportDate is the date printed in reports for people: today, or
// SOURCE_DATE_EPOCH (seconds since 1970) when set, so a report can be
// rebuilt byte for byte.
func reportDate() time.Time {
	if v := os.Getenv("SOURCE_DATE_EPOCH"); v != "" {
		if sec, err := strconv.ParseInt(v, 10, 64); err == nil {
			return time.Unix(sec, 0).UTC()
		}
	}
	return time.Now().UTC()
}

// auditInputs loads what every audited app is compared with: the rules,
// the waivers and the policy declaration.
func auditInputs(ix *engines, f auditFlags) (*rules.DB, []audit.Waiver, *policy.Declaration, error) {
	db, err := ix.wait()
	if err != nil {
		return nil, nil, nil, err
	}
	var waivers []audit.Waiver
	if f.waivers != "" {
		if waivers, err = audit.LoadWaivers(f.waivers); err != nil {
			return nil, nil, nil, &exitError{code: ExitInput, err: err}
		}
	}
	decl := &policy.Declaration{}
	if len(f.policies) > 0 {
		if decl, err = policy.NewLexicon(db).Load(f.policies, policy.Limits{Stdin: ix.stdin}); err != nil {
			return nil, nil, nil, &exitError{code: ExitInput, err: err}
		}
	}
	return db, waivers, decl, nil
}

// checkPolicyGiven refuses an audit without a policy unless the command
// allows one (diff).
func checkPolicyGiven(f auditFlags) error {
	if len(f.policies) == 0 && !f.noPolicyOK {
		return &exitError{code: ExitInput, err: fmt.Errorf("audit needs at least one --policy document or declaration")}
	}
	return nil
}

// checkAuditFlags rejects flag values before any file is read.
func checkAuditFlags(f auditFlags) error {
	switch f.failOn {
	case "high", "medium", "low", "none":
	default:
		return &exitError{code: ExitInput, err: fmt.Errorf("--fail-on %q: want high, medium, low or none", f.failOn)}
	}
	if f.lang != "en" && f.lang != "zh" {
		return &exitError{code: ExitInput, err: fmt.Errorf("--lang %q: want en or zh", f.lang)}
	}
	if f.jobs < 1 {
		return &exitError{code: ExitInput, err: fmt.Errorf("--jobs must be at least 1, got %d", f.jobs)}
	}
	if f.code.maxSites < 0 {
		return &exitError{code: ExitInput, err: fmt.Errorf("--max-call-sites must be 0 or more, got %d", f.code.maxSites)}
	}
	return nil
}

func statusIDs(ss []audit.SDKStatus) []string {
	out := make([]string, 0, len(ss))
	for _, s := range ss {
		out = append(out, s.ID)
	}
	return out
}

// analyse scans and detects one app.
func analyse(ctx context.Context, file string, ix *engines, decl *policy.Declaration, db *rules.DB) (*audit.Input, error) {
	p := &pendingScan{done: make(chan struct{})}
	p.run(ctx, file, ix)
	return p.analyse(ix, decl, db)
}

// pendingScan is an app's inventory being read in the background.
type pendingScan struct {
	done chan struct{}
	inv  *inventory.Inventory
	err  error
}

func startScan(ctx context.Context, file string, ix *engines) *pendingScan {
	p := &pendingScan{done: make(chan struct{})}
	go p.run(ctx, file, ix)
	return p
}

func (p *pendingScan) run(ctx context.Context, file string, ix *engines) {
	defer close(p.done)
	p.inv, p.err = boundedScan(ctx, file, ix.inventoryOptions(), ix.stdin)
}

func (p *pendingScan) wait() { <-p.done }

// analyse waits for the inventory and runs detection and the data-access
// analysis on it.
func (p *pendingScan) analyse(ix *engines, decl *policy.Declaration, db *rules.DB) (*audit.Input, error) {
	p.wait()
	if p.err != nil {
		return nil, &exitError{code: ExitInput, err: p.err}
	}
	if _, err := ix.wait(); err != nil {
		return nil, err
	}
	inv := p.inv
	det := ix.detect.Detect(inv)
	return &audit.Input{App: inv, SDKs: det.SDKs, Incomplete: det.Incomplete, Access: ix.accessOf(inv), Declaration: decl, Rules: db}, nil
}

func newDiffCmd(g *globals) *cobra.Command {
	var f auditFlags
	c := &cobra.Command{
		Use:   "diff OLD.apk NEW.apk [--policy POLICY...]",
		Short: "Show the SDKs and permissions a new build adds or removes; fail when an added one is undeclared",
		Long: `Compares two builds of an app. The report lists SDKs, permissions and data read in code added and
removed, and the findings are those auditing NEW against the policy gives and auditing OLD does not, of
every kind and with the same rules as audit: the regression gate for release pipelines (exit 1 when such a
finding stands at or above --fail-on).
Without --policy the policy is taken to declare nothing, so every added privacy-relevant SDK or
permission is reported.`,
		Example: `  sdkaudit diff v1.apk v2.apk --policy privacy.html
  sdkaudit diff v1.apk v2.apk --policy declaration.yaml --format markdown -o diff.md`,
		Args: cobra.ExactArgs(2),
		RunE: func(c *cobra.Command, args []string) error {
			f.against = args[0]
			if len(f.policies) == 0 {
				f.noPolicyOK = true
			}
			return runAudit(c, g, args[1], f)
		},
	}
	addAuditFlags(c, &f)
	return c
}

func newExplainCmd() *cobra.Command {
	return &cobra.Command{
		Use:     "explain [RULE]",
		Short:   "Explain a finding rule (by id such as SA1001 or kind such as undeclared-sdk); without an argument, list them",
		Example: "  sdkaudit explain SA1001\n  sdkaudit explain undeclared-permission",
		Args:    cobra.MaximumNArgs(1),
		RunE: func(c *cobra.Command, args []string) error {
			w := c.OutOrStdout()
			if len(args) == 0 {
				for _, ch := range audit.Checks {
					fmt.Fprintf(w, "%s  %-30s %-7s %s\n", ch.ID, ch.Kind, ch.DefaultSeverity, ch.Title)
				}
				return nil
			}
			ch, ok := audit.CheckByID(args[0])
			if !ok {
				return &exitError{code: ExitInput, err: fmt.Errorf("no rule %q (sdkaudit explain lists them)", args[0])}
			}
			fmt.Fprintf(w, "%s %s — %s\n%s\ndefault severity: %s\n\n%s\n", ch.ID, ch.Kind, ch.Title, ch.TitleZH, ch.DefaultSeverity, ch.Doc)
			if ch.Fix != "" {
				fmt.Fprintf(w, "\nFix: %s\n", ch.Fix)
			}
			fmt.Fprintf(w, "\nIn sdkaudit diff: %s.\n", ch.DiffText())
			return nil
		},
	}
}
