package main

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/sdkaudit/sdkaudit/analyzer/audit"
	"github.com/sdkaudit/sdkaudit/analyzer/dataaccess"
	"github.com/sdkaudit/sdkaudit/analyzer/detect"
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
}

// codeFlags control the data-access scan of DEX code, shared by scan and
// audit.
type codeFlags struct {
	noCode   bool
	maxSites int
}

func addCodeFlags(c *cobra.Command, f *codeFlags) {
	fl := c.Flags()
	fl.BoolVar(&f.noCode, "no-code", false, "skip the data-access scan of DEX code (read class lists only)")
	fl.IntVar(&f.maxSites, "max-call-sites", dataaccess.DefaultMaxSites, "call sites listed per SDK and data category (the count is always complete)")
}

// engines are the compiled rule indexes one run shares across apps.
type engines struct {
	detect *detect.Index
	access *dataaccess.Index
	code   codeFlags
}

func newEngines(db *rules.DB, code codeFlags) *engines {
	return &engines{detect: detect.NewIndex(db), access: dataaccess.NewIndex(db), code: code}
}

func (e *engines) inventoryOptions() inventory.Options {
	if e.code.noCode {
		return inventory.Options{}
	}
	return inventory.Options{Code: e.access.Query()}
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
		Use:   "audit APP.apk --policy POLICY [--policy MORE...]",
		Short: "Compare an app with its privacy policy and report undeclared SDKs and permissions",
		Long: `Scans the app, reads the policy documents (HTML, Markdown, text) or a reviewed declaration file,
and reports findings both ways: SDKs and permissions the app has but the policy never discloses, and
declarations the app does not need. Exits 1 when a finding at or above --fail-on stands.`,
		Example: `  sdkaudit audit app.apk --policy privacy.html --policy sdk-list.html
  sdkaudit audit app.apk --policy declaration.yaml --format sarif -o audit.sarif
  sdkaudit audit app.apk --policy privacy.txt --format markdown --lang zh --fail-on medium`,
		Args: cobra.ExactArgs(1),
		RunE: func(c *cobra.Command, args []string) error { return runAudit(c, g, args[0], f) },
	}
	addAuditFlags(c, &f)
	return c
}

func addAuditFlags(c *cobra.Command, f *auditFlags) {
	fl := c.Flags()
	fl.StringArrayVar(&f.policies, "policy", nil, "policy document or declaration file (repeatable)")
	fl.StringVar(&f.format, "format", "table", "table, markdown, json, sarif or cyclonedx")
	fl.StringVarP(&f.output, "output", "o", "", "write the report to FILE instead of standard output")
	fl.StringVar(&f.failOn, "fail-on", "high", "exit 1 when a finding of this severity or worse stands: high, medium, low or none")
	fl.BoolVar(&f.failOnIncomplete, "fail-on-incomplete", false, "exit 3 when the analysis is incomplete (packer, unreadable DEX, code loaded at run time)")
	fl.StringVar(&f.waivers, "waivers", "", "YAML file of accepted findings {rule, subject, reason, expires}")
	fl.StringVar(&f.lang, "lang", "en", "language of table and Markdown text: en or zh")
	fl.DurationVar(&f.timeout, "timeout", 10*time.Minute, "time budget for the app")
	addCodeFlags(c, &f.code)
}

func runAudit(c *cobra.Command, g *globals, file string, f auditFlags) error {
	enc, err := report.AuditEncoderByName(f.format)
	if err != nil {
		return &exitError{code: ExitInput, err: err}
	}
	switch f.failOn {
	case "high", "medium", "low", "none":
	default:
		return &exitError{code: ExitInput, err: fmt.Errorf("--fail-on %q: want high, medium, low or none", f.failOn)}
	}
	if f.lang != "en" && f.lang != "zh" {
		return &exitError{code: ExitInput, err: fmt.Errorf("--lang %q: want en or zh", f.lang)}
	}
	if len(f.policies) == 0 && !f.noPolicyOK {
		return &exitError{code: ExitInput, err: fmt.Errorf("audit needs at least one --policy document or declaration")}
	}
	db, err := loadRules(g.rulesDir, g.rulesReplace)
	if err != nil {
		return err
	}
	var waivers []audit.Waiver
	if f.waivers != "" {
		if waivers, err = audit.LoadWaivers(f.waivers); err != nil {
			return &exitError{code: ExitInput, err: err}
		}
	}
	decl := &policy.Declaration{}
	if len(f.policies) > 0 {
		if decl, err = policy.NewLexicon(db).Load(f.policies, policy.Limits{}); err != nil {
			return &exitError{code: ExitInput, err: err}
		}
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
	if f.code.maxSites < 0 {
		return &exitError{code: ExitInput, err: fmt.Errorf("--max-call-sites must be 0 or more, got %d", f.code.maxSites)}
	}
	ix := newEngines(db, f.code)
	in, err := analyse(ctx, file, ix, decl, db)
	if err != nil {
		return err
	}
	res := audit.Run(in)
	if f.against != "" {
		old, err := analyse(ctx, f.against, ix, decl, db)
		if err != nil {
			return err
		}
		res.KeepChanged(audit.Diff(old, in))
	}
	res.ApplyWaivers(waivers, time.Now())
	for _, w := range res.Warnings {
		fmt.Fprintf(c.ErrOrStderr(), "sdkaudit: warning: %s\n", strings.TrimSpace(w))
	}
	var buf bytes.Buffer
	if err := enc.Encode(&buf, res, report.AuditOptions{ToolVersion: toolVersion(), Lang: f.lang}); err != nil {
		return &exitError{code: ExitInput, err: err}
	}
	if err := writeOutput(c.OutOrStdout(), f.output, buf.Bytes()); err != nil {
		return &exitError{code: ExitInput, err: err}
	}
	code := ExitOK
	if res.FailsOn(f.failOn) {
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

// analyse scans and detects one app.
func analyse(ctx context.Context, file string, ix *engines, decl *policy.Declaration, db *rules.DB) (*audit.Input, error) {
	inv, err := inventory.ScanFile(ctx, file, ix.inventoryOptions())
	if err != nil {
		return nil, &exitError{code: ExitInput, err: err}
	}
	det := ix.detect.Detect(inv)
	return &audit.Input{App: inv, SDKs: det.SDKs, Incomplete: det.Incomplete, Access: ix.accessOf(inv), Declaration: decl, Rules: db}, nil
}

func newDiffCmd(g *globals) *cobra.Command {
	var f auditFlags
	c := &cobra.Command{
		Use:   "diff OLD.apk NEW.apk [--policy POLICY...]",
		Short: "Show the SDKs and permissions a new build adds or removes; fail when an added one is undeclared",
		Long: `Compares two builds of an app. The report lists SDKs and permissions added and removed, and the
findings are those of auditing NEW against the policy, restricted to what NEW adds: the regression gate
for release pipelines (exit 1 when an added SDK or permission is undeclared at or above --fail-on).
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
			return nil
		},
	}
}
