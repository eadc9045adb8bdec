package main

import (
	"fmt"
	"io"
	"os"
	"runtime"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/sdkaudit/sdkaudit"
	"github.com/sdkaudit/sdkaudit/analyzer/audit"
	"github.com/sdkaudit/sdkaudit/analyzer/detect"
	"github.com/sdkaudit/sdkaudit/analyzer/inventory"
	"github.com/sdkaudit/sdkaudit/analyzer/report"
	"github.com/sdkaudit/sdkaudit/internal/safefile"
)

type scanFlags struct {
	format           string
	output           string
	classes          bool
	failOnIncomplete bool
	jobs             int
	timeout          time.Duration
	code             codeFlags
}

func newScanCmd(g *globals) *cobra.Command {
	var f scanFlags
	c := &cobra.Command{
		Use:   "scan APP_OR_DIR [MORE...]",
		Short: "Inventory apps (APK, AAB, APKS, XAPK, APKM, split APKs): manifest, permissions, DEX, native libraries, SDKs, data access",
		Example: `  sdkaudit scan app.apk
  sdkaudit scan --format json -o inventory.json app.apk other.aab
  sdkaudit scan --format jsonl --jobs 2 builds/ > inventory.jsonl
  sdkaudit scan --format json --classes app.apk`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(c *cobra.Command, args []string) error {
			return runScan(c, g, args, f)
		},
	}
	fl := c.Flags()
	fl.StringVar(&f.format, "format", "table", "output format: table, json or jsonl (one app per line)")
	fl.StringVarP(&f.output, "output", "o", "", "write the report to FILE instead of standard output")
	fl.BoolVar(&f.classes, "classes", false, "include every class descriptor (large)")
	fl.BoolVar(&f.failOnIncomplete, "fail-on-incomplete", false, "exit 3 when any app could only be partly analysed")
	fl.IntVar(&f.jobs, "jobs", runtime.GOMAXPROCS(0), "number of apps scanned in parallel")
	fl.DurationVar(&f.timeout, "timeout", 10*time.Minute, "time budget per app")
	addCodeFlags(c, &f.code)
	return c
}

func runScan(c *cobra.Command, g *globals, args []string, f scanFlags) error {
	enc, err := report.ScanEncoder(f.format)
	if err != nil {
		return &exitError{code: ExitInput, err: err}
	}
	if f.jobs < 1 {
		return &exitError{code: ExitInput, err: fmt.Errorf("--jobs must be at least 1, got %d", f.jobs)}
	}
	if f.code.maxSites < 0 {
		return &exitError{code: ExitInput, err: fmt.Errorf("--max-call-sites must be 0 or more, got %d", f.code.maxSites)}
	}
	eopts, err := engineOptions(c, g, f.code, f.timeout)
	if err != nil {
		return err
	}
	e := sdkaudit.New(eopts)
	files := sdkaudit.FindApps(args...)
	if len(files) == 0 {
		return &exitError{code: ExitInput, err: fmt.Errorf("no apps found in %s", strings.Join(args, ", "))}
	}
	opts := report.ScanOptions{Classes: f.classes, ToolVersion: toolVersion()}
	stderr := c.ErrOrStderr()
	line, streaming := enc.(report.LineEncoder)
	out, commit, abort, err := openOutput(c.OutOrStdout(), f.output)
	if err != nil {
		return &exitError{code: ExitInput, err: err}
	}
	defer abort()
	if f.output == "" && f.format == "table" {
		out = report.WithWidth(out, tableWidth(c.OutOrStdout()))
	}

	code := ExitOK
	var results []report.ScanResult
	var rows []report.SummaryRow
	var members []audit.Member
	var writeErr error
	prog := newProgress(g.progressTo(stderr), len(files))
	e.ScanEach(c.Context(), files, f.jobs, func(i int, s *sdkaudit.ScanResult, err error) {
		if opts.RulesVersion == "" {
			if db, err := e.Rules(); err == nil {
				opts.RulesVersion = db.VersionString()
			}
		}
		r := report.ScanResult{File: files[i], Err: err}
		if s != nil {
			r = *s
		}
		prog.step(i+1, r.File)
		switch {
		case r.Err != nil:
			prog.finish()
			say(stderr, "sdkaudit: %s", r.Err)
			code = worst(code, ExitInput)
		case r.Inventory.Status != inventory.StatusComplete && f.failOnIncomplete:
			code = worst(code, ExitIncomplete)
		}
		rows = append(rows, report.ScanSummaryRow(r))
		if r.Inventory != nil {
			members = append(members, audit.MemberOf(r.Inventory, sdkIDs(r.SDKs), nil))
		}
		if streaming {
			if err := line.EncodeLine(out, r, opts); err != nil && writeErr == nil {
				writeErr = err
			}
			return
		}
		// A batch report holds every app's inventory: the class list only
		// when it is asked for.
		if r.Inventory != nil && !f.classes {
			r.Inventory.Dex.Classes = nil
		}
		results = append(results, r)
	})
	prog.finish()
	if writeErr != nil {
		return &exitError{code: ExitInput, err: fmt.Errorf("cannot write output: %w", writeErr)}
	}
	opts.Groups = audit.GroupChannels(members)
	if !streaming {
		if err := enc.Encode(out, results, opts); err != nil {
			return &exitError{code: ExitInput, err: err}
		}
		if f.format == "table" && len(files) > 1 {
			fmt.Fprintln(out)
			if err := report.WriteSummary(out, rows, false); err != nil {
				return &exitError{code: ExitInput, err: err}
			}
		}
	}
	if err := commit(); err != nil {
		return &exitError{code: ExitInput, err: err}
	}
	// Machine formats keep standard output clean; a person at a terminal
	// still gets the closing summary of a batch on standard error.
	if f.format != "table" && prog.on {
		_ = report.WriteSummary(stderr, rows, false)
	}
	if code != ExitOK {
		return silentExit{code}
	}
	return nil
}

func sdkIDs(ds []detect.Detection) []string {
	out := make([]string, 0, len(ds))
	for _, d := range ds {
		out = append(out, d.ID)
	}
	return out
}

// openOutput returns where a report goes: stdout, or path through
// safefile.Create: a regular file is replaced atomically when commit runs,
// so a failed run never leaves half a report behind; a character device
// (/dev/null, a terminal) is written in place; a directory, pipe, socket
// or block device is refused. abort drops the uncommitted output.
func openOutput(stdout io.Writer, path string) (w io.Writer, commit func() error, abort func(), err error) {
	if path == "" || path == "-" || sameFile(path, os.Stdout) {
		// -o /dev/stdout is standard output, whatever it is: replacing the
		// file a shell redirected it to (perhaps with >>) would lose what
		// the file held.
		return stdout, func() error { return nil }, func() {}, nil
	}
	o, err := safefile.Create(path)
	if err != nil {
		return nil, nil, nil, fmt.Errorf("cannot write output: %w", err)
	}
	commit = func() error {
		if err := o.Commit(); err != nil {
			return fmt.Errorf("cannot write output: %w", err)
		}
		return nil
	}
	return o, commit, o.Abort, nil
}

// sameFile reports whether path names the file f has open.
func sameFile(path string, f *os.File) bool {
	st, err := os.Stat(path)
	if err != nil {
		return false
	}
	fst, err := f.Stat()
	return err == nil && os.SameFile(st, fst)
}

// writeOutput writes to stdout, or atomically to path so a failed run never
// leaves half a report behind.
func writeOutput(stdout io.Writer, path string, data []byte) error {
	w, commit, abort, err := openOutput(stdout, path)
	if err != nil {
		return err
	}
	defer abort()
	if _, err := w.Write(data); err != nil {
		return fmt.Errorf("cannot write output: %w", err)
	}
	return commit()
}
