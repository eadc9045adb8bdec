package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/spf13/cobra"

	"github.com/sdkaudit/sdkaudit/analyzer/inventory"
	"github.com/sdkaudit/sdkaudit/analyzer/report"
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
		Use:   "scan APP.apk [APP2.apk ...]",
		Short: "Inventory one or more APKs: manifest, permissions, components, DEX, native libraries",
		Example: `  sdkaudit scan app.apk
  sdkaudit scan --format json -o inventory.json app.apk other.apk
  sdkaudit scan --format json --classes app.apk`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(c *cobra.Command, args []string) error {
			return runScan(c, g, args, f)
		},
	}
	fl := c.Flags()
	fl.StringVar(&f.format, "format", "table", "output format: table or json")
	fl.StringVarP(&f.output, "output", "o", "", "write the report to FILE instead of standard output")
	fl.BoolVar(&f.classes, "classes", false, "include every class descriptor (large)")
	fl.BoolVar(&f.failOnIncomplete, "fail-on-incomplete", false, "exit 3 when any app could only be partly analysed")
	fl.IntVar(&f.jobs, "jobs", 2, "number of apps scanned in parallel")
	fl.DurationVar(&f.timeout, "timeout", 10*time.Minute, "time budget per app")
	addCodeFlags(c, &f.code)
	return c
}

func runScan(c *cobra.Command, g *globals, args []string, f scanFlags) error {
	enc, err := report.ScanEncoder(f.format)
	if err != nil {
		return &exitError{code: ExitInput, err: err}
	}
	db, err := loadRules(g.rulesDir, g.rulesReplace)
	if err != nil {
		return err
	}
	if f.jobs < 1 {
		return &exitError{code: ExitInput, err: fmt.Errorf("--jobs must be at least 1, got %d", f.jobs)}
	}
	if f.code.maxSites < 0 {
		return &exitError{code: ExitInput, err: fmt.Errorf("--max-call-sites must be 0 or more, got %d", f.code.maxSites)}
	}
	ix := newEngines(db, f.code)
	results := scanAll(c.Context(), args, f, ix)

	code := ExitOK
	for _, r := range results {
		switch {
		case r.Err != nil:
			fmt.Fprintf(c.ErrOrStderr(), "sdkaudit: %s\n", r.Err)
			code = worst(code, ExitInput)
		case r.Inventory.Status != inventory.StatusComplete && f.failOnIncomplete:
			code = worst(code, ExitIncomplete)
		}
	}
	var buf bytes.Buffer
	if err := enc.Encode(&buf, results, report.ScanOptions{Classes: f.classes, ToolVersion: toolVersion(), RulesVersion: db.VersionString()}); err != nil {
		return &exitError{code: ExitInput, err: err}
	}
	if err := writeOutput(c.OutOrStdout(), f.output, buf.Bytes()); err != nil {
		return &exitError{code: ExitInput, err: err}
	}
	if code != ExitOK {
		return silentExit{code}
	}
	return nil
}

// scanAll scans every file with a bounded worker pool and returns results in
// argument order, so the output does not depend on --jobs.
func scanAll(ctx context.Context, files []string, f scanFlags, ix *engines) []report.ScanResult {
	if ctx == nil {
		ctx = context.Background()
	}
	results := make([]report.ScanResult, len(files))
	work := make(chan int)
	var wg sync.WaitGroup
	for w := 0; w < f.jobs && w < len(files); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range work {
				results[i] = scanOne(ctx, files[i], f.timeout, ix)
			}
		}()
	}
	for i := range files {
		work <- i
	}
	close(work)
	wg.Wait()
	return results
}

func scanOne(ctx context.Context, file string, timeout time.Duration, ix *engines) (res report.ScanResult) {
	res.File = file
	defer func() {
		// A bug in a parser must cost one file, not the batch.
		if p := recover(); p != nil {
			res.Inventory = nil
			res.Err = fmt.Errorf("%s: internal error while scanning: %v", file, p)
		}
	}()
	if timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, timeout)
		defer cancel()
	}
	res.Inventory, res.Err = inventory.ScanFile(ctx, file, ix.inventoryOptions())
	if res.Err == nil {
		r := ix.detect.Detect(res.Inventory)
		res.SDKs = r.SDKs
		res.DataAccess = ix.accessOf(res.Inventory)
		for _, why := range r.Incomplete {
			res.Inventory.Errors = append(res.Inventory.Errors, inventory.Problem{Stage: "detect", Message: why})
			res.Inventory.Status = inventory.StatusIncomplete
		}
	}
	return res
}

// writeOutput writes to stdout, or atomically to path so a failed run never
// leaves half a report behind.
func writeOutput(stdout io.Writer, path string, data []byte) error {
	if path == "" || path == "-" {
		_, err := stdout.Write(data)
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return fmt.Errorf("cannot write output: %w", err)
	}
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		os.Remove(tmp.Name())
		return fmt.Errorf("cannot write output: %w", err)
	}
	if err := tmp.Close(); err != nil {
		os.Remove(tmp.Name())
		return fmt.Errorf("cannot write output: %w", err)
	}
	if err := os.Chmod(tmp.Name(), 0o644); err != nil {
		os.Remove(tmp.Name())
		return fmt.Errorf("cannot write output: %w", err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		os.Remove(tmp.Name())
		return fmt.Errorf("cannot write output: %w", err)
	}
	return nil
}
