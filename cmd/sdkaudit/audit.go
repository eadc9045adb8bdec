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

	"github.com/sdkaudit/sdkaudit"
	"github.com/sdkaudit/sdkaudit/analyzer/audit"
	"github.com/sdkaudit/sdkaudit/analyzer/dataaccess"
	"github.com/sdkaudit/sdkaudit/analyzer/report"
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

// engineOptions maps the shared flags onto the library's options. Rules
// from --rules are loaded here, so a rule problem is reported before any
// app is read; the built-in rules load in the engine's background.
func engineOptions(c *cobra.Command, g *globals, code codeFlags, timeout time.Duration) (sdkaudit.Options, error) {
	opts := sdkaudit.Options{NoCode: code.noCode, NoReach: code.noReach, MaxCallSites: code.maxSites, Timeout: timeout, Stdin: c.InOrStdin()}
	if g.rulesDir != "" {
		db, err := loadRules(g.rulesDir, g.rulesReplace)
		if err != nil {
			return opts, err
		}
		opts.Rules = db
	}
	return opts, nil
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
			// One app is one report, and a directory holding one app is
			// that app: the same report, cyclonedx included, as when the
			// file is named.
			if files := sdkaudit.FindApps(args...); len(files) == 1 {
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
	e, failOn, err := auditEngine(c, g, f)
	if err != nil {
		return err
	}
	ctx := c.Context()
	if ctx == nil {
		ctx = context.Background()
	}
	pol := sdkaudit.Policy{Files: f.policies}
	var res *audit.Result
	if f.against != "" {
		res, err = e.Diff(ctx, f.against, file, pol)
	} else {
		res, err = e.Audit(ctx, file, pol)
	}
	if err != nil {
		return &exitError{code: ExitInput, err: err}
	}
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
	if res.FailsOn(failOn) {
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

// auditEngine checks the audit flags, reads the waivers and sets up the
// engine.
func auditEngine(c *cobra.Command, g *globals, f auditFlags) (*sdkaudit.Engine, audit.Severity, error) {
	failOn, err := checkAuditFlags(f)
	if err != nil {
		return nil, "", err
	}
	if err := checkPolicyGiven(f); err != nil {
		return nil, "", err
	}
	opts, err := engineOptions(c, g, f.code, f.timeout)
	if err != nil {
		return nil, "", err
	}
	if f.waivers != "" {
		if opts.Waivers, err = audit.LoadWaivers(f.waivers); err != nil {
			return nil, "", &exitError{code: ExitInput, err: err}
		}
	}
	return sdkaudit.New(opts), failOn, nil
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
	f.noPolicyOK = false // a batch always compares with a policy
	e, failOn, err := auditEngine(c, g, f)
	if err != nil {
		return err
	}
	decl, err := e.ReadPolicy(sdkaudit.Policy{Files: f.policies})
	if err != nil {
		return &exitError{code: ExitInput, err: err}
	}
	files := sdkaudit.FindApps(args...)
	if len(files) == 0 {
		return &exitError{code: ExitInput, err: fmt.Errorf("no apps found in %s", strings.Join(args, ", "))}
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
	if err := e.AuditEach(c.Context(), files, sdkaudit.Policy{Declaration: decl}, f.jobs, func(i int, r *audit.Result, err error) {
		prog.step(i+1, files[i])
		rows = append(rows, report.AuditSummaryRow(files[i], r, err))
		if err != nil {
			prog.finish()
			say(stderr, "sdkaudit: %s", err)
			code = worst(code, ExitInput)
			return
		}
		if r.FailsOn(failOn) {
			code = worst(code, ExitFindings)
		}
		if f.failOnIncomplete && len(r.Incomplete) > 0 {
			code = worst(code, ExitIncomplete)
		}
		members = append(members, audit.MemberOf(r.App, statusIDs(r.SDKs), r.Findings))
		if streaming {
			if err := enc.Encode(out, r, opts); err != nil && writeErr == nil {
				writeErr = err
			}
			return
		}
		results = append(results, r)
	}); err != nil {
		return &exitError{code: ExitInput, err: err}
	}
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

// checkPolicyGiven refuses an audit without a policy unless the command
// allows one (diff).
func checkPolicyGiven(f auditFlags) error {
	if len(f.policies) == 0 && !f.noPolicyOK {
		return &exitError{code: ExitInput, err: fmt.Errorf("audit needs at least one --policy document or declaration")}
	}
	return nil
}

// checkAuditFlags rejects flag values before any file is read, and
// returns the --fail-on threshold.
func checkAuditFlags(f auditFlags) (audit.Severity, error) {
	failOn, ok := audit.ParseThreshold(f.failOn)
	if !ok {
		return "", &exitError{code: ExitInput, err: fmt.Errorf("--fail-on %q: want high, medium, low or none", f.failOn)}
	}
	if f.lang != "en" && f.lang != "zh" {
		return "", &exitError{code: ExitInput, err: fmt.Errorf("--lang %q: want en or zh", f.lang)}
	}
	if f.jobs < 1 {
		return "", &exitError{code: ExitInput, err: fmt.Errorf("--jobs must be at least 1, got %d", f.jobs)}
	}
	if f.code.maxSites < 0 {
		return "", &exitError{code: ExitInput, err: fmt.Errorf("--max-call-sites must be 0 or more, got %d", f.code.maxSites)}
	}
	return failOn, nil
}

func statusIDs(ss []audit.SDKStatus) []string {
	out := make([]string, 0, len(ss))
	for _, s := range ss {
		out = append(out, s.ID)
	}
	return out
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
