package sdkaudit

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"time"

	"github.com/sdkaudit/sdkaudit/analyzer/audit"
	"github.com/sdkaudit/sdkaudit/analyzer/dataaccess"
	"github.com/sdkaudit/sdkaudit/analyzer/detect"
	"github.com/sdkaudit/sdkaudit/analyzer/dex"
	"github.com/sdkaudit/sdkaudit/analyzer/inventory"
	"github.com/sdkaudit/sdkaudit/analyzer/policy"
	"github.com/sdkaudit/sdkaudit/analyzer/report"
	"github.com/sdkaudit/sdkaudit/internal/safefile"
	"github.com/sdkaudit/sdkaudit/rules"
)

// Options configure an Engine. The zero value reads apps with the built-in
// rules, scans their code for data access with its call graph, and sets
// no time limit.
type Options struct {
	// Rules is the rule database; nil means the built-in rules
	// (rules.Embedded), loaded in the background while the first app is
	// read.
	Rules *rules.DB
	// NoCode skips the data-access scan of DEX code: class lists only,
	// SDK detection unchanged, no code-based findings.
	NoCode bool
	// NoReach skips the call graph: call sites get no reach or path, and
	// no startup-collection finding is raised.
	NoReach bool
	// MaxCallSites caps the call sites listed per owner and data
	// category (counts stay complete): 0 means
	// dataaccess.DefaultMaxSites, negative lists none.
	MaxCallSites int
	// Timeout is the time budget per app; 0 means none. Running out
	// marks the app incomplete (stage "timeout"); an app still not done
	// AbandonGrace past it is given up with an error.
	Timeout time.Duration
	// Stdin is read for the source (or policy document) named "-".
	Stdin io.Reader
	// Waivers are the accepted findings applied to every audit
	// (audit.LoadWaivers reads a waiver file); Now is the day they are
	// judged on, time.Now when zero.
	Waivers []audit.Waiver
	Now     time.Time
}

// StdinName is the source name that stands for Options.Stdin.
const StdinName = "-"

// MaxStdinApp bounds an app read from standard input, which is held in
// memory: a zip is read with random access and nothing from an app is
// written to disk.
const MaxStdinApp = 1 << 30

// AbandonGrace is how long past its time budget an app may run before the
// engine stops waiting for it.
const AbandonGrace = 5 * time.Second

// Engine runs the pipeline — container, manifest, DEX and native readers,
// inventory, detection, data access, policy and audit — with one compiled
// rule set. It is safe for concurrent use: a batch shares one Engine, its
// rule indexes and its memory budget for inflated DEX files.
type Engine struct {
	opts  Options
	ready chan struct{}
	// Set before ready is closed, read-only after.
	db     *rules.DB
	err    error
	detect *detect.Index
	access *dataaccess.Index
	// dexStrings are the rules' dex_strings, for the inventory.
	dexStrings []string
	// mem bounds the inflated DEX bytes of every app the engine reads at
	// once; the number of apps in flight alone cannot (two apps of two
	// 1 GiB DEX files each held four gigabytes).
	mem *inventory.Memory
}

// New returns an Engine. Without Options.Rules the built-in rules load in
// the background: a tenth of a small app's scan, overlapped with reading
// the first app, which waits for them only when it scans code.
func New(opts Options) *Engine {
	e := &Engine{opts: opts, ready: make(chan struct{}), mem: inventory.NewMemory(inventory.DefaultMemory)}
	if opts.Rules != nil {
		e.build(opts.Rules)
		close(e.ready)
		return e
	}
	go func() {
		defer close(e.ready)
		db, err := rules.Embedded()
		if err != nil {
			e.err = fmt.Errorf("sdkaudit: embedded rules: %w", err)
			return
		}
		e.build(db)
	}()
	return e
}

func (e *Engine) build(db *rules.DB) {
	e.db, e.detect, e.access = db, detect.NewIndex(db), dataaccess.NewIndex(db)
	e.dexStrings = e.detect.DexStrings()
}

// Rules returns the engine's rules once they are loaded, or why they could
// not be.
func (e *Engine) Rules() (*rules.DB, error) {
	<-e.ready
	return e.db, e.err
}

// ScanResult is what a scan found in one app: the report stage's type, so
// a result goes to report.ScanEncoder as it is. A result Scan returns has
// File set to the source and Err nil.
type ScanResult = report.ScanResult

// Scan reads one app (a file, a split-APK directory, or "-") and detects
// its SDKs and data access.
func (e *Engine) Scan(ctx context.Context, source string) (res *ScanResult, err error) {
	defer func() {
		// A bug in a parser must cost one app, not the caller.
		if p := recover(); p != nil {
			res, err = nil, fmt.Errorf("%s: internal error while scanning: %v", source, p)
		}
	}()
	inv, err := e.read(ctx, source)
	if err != nil {
		return nil, err
	}
	res, err = e.analyse(inv)
	if res != nil {
		res.File = source
	}
	return res, err
}

// read admits the app into the memory budget, then reads its inventory
// within its time budget.
func (e *Engine) read(ctx context.Context, source string) (*inventory.Inventory, error) {
	if ctx == nil {
		ctx = context.Background()
	}
	opts := e.inventoryOptions()
	// Wait for memory before the time budget starts: with the budget
	// taken by an earlier app's large files, this app waits here rather
	// than inside its scan, where the wait would count against it.
	_ = opts.Memory.Admit(ctx, inventory.ExpectedMemory(source, opts))
	if e.opts.Timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, e.opts.Timeout)
		defer cancel()
	}
	return e.boundedScan(ctx, source, opts)
}

// analyse detects SDKs and data access in an inventory. Detection problems
// go into the inventory, for scan and audit alike.
func (e *Engine) analyse(inv *inventory.Inventory) (*ScanResult, error) {
	if _, err := e.Rules(); err != nil {
		return nil, err
	}
	det := e.detect.Detect(inv)
	for _, why := range det.Incomplete {
		inv.Errors = append(inv.Errors, inventory.Problem{Stage: inventory.StageDetect, Message: why})
		inv.Status = inventory.StatusIncomplete
	}
	res := &ScanResult{Inventory: inv, SDKs: det.SDKs, Traces: det.Traces}
	if !e.opts.NoCode {
		res.DataAccess = e.access.Analyze(inv, dataaccess.Options{MaxSites: max(e.opts.MaxCallSites, -1)})
	}
	// The per-file class lists and code references served detection and
	// the data-access scan; a batch holding many results should not keep
	// them.
	for i := range inv.Dex.Files {
		inv.Dex.Files[i].ClassList, inv.Dex.Files[i].CodeRefs = nil, nil
	}
	for i := range inv.OtherCode {
		for j := range inv.OtherCode[i].Dex {
			inv.OtherCode[i].Dex[j].ClassList, inv.OtherCode[i].Dex[j].CodeRefs = nil, nil
		}
	}
	return res, nil
}

func (e *Engine) inventoryOptions() inventory.Options {
	// Native libraries the rules name are searched for a version string.
	libs := func(name string) bool {
		if _, err := e.Rules(); err != nil {
			return false
		}
		return e.detect.NamesNativeLib(name)
	}
	// The rules' dex_strings are looked up in every DEX file's strings.
	strs := func() []string {
		if _, err := e.Rules(); err != nil {
			return nil
		}
		return e.dexStrings
	}
	if e.opts.NoCode {
		return inventory.Options{Memory: e.mem, NativeVersions: libs, DexStrings: strs}
	}
	return inventory.Options{Memory: e.mem, NativeVersions: libs, DexStrings: strs, Code: &inventory.CodeQuery{Calls: !e.opts.NoReach, Resolve: func() (*dex.RefQuery, []string) {
		if _, err := e.Rules(); err != nil {
			return nil, nil
		}
		q := e.access.Query()
		return q.Refs, q.Keys
	}}}
}

// boundedScan reads one app and stops waiting for it AbandonGrace after
// ctx's deadline. Every stage either checks ctx or is bounded by size
// limits, so this fires only if a stage is slower than its limits promise;
// then one app's result is lost, the run does not hang. The abandoned
// goroutine still ends on its own, within those limits.
func (e *Engine) boundedScan(ctx context.Context, source string, opts inventory.Options) (*inventory.Inventory, error) {
	type result struct {
		inv *inventory.Inventory
		err error
	}
	done := make(chan result, 1)
	go func() {
		var r result
		defer func() {
			// A panic here is off the caller's goroutine: recover it, or
			// it ends the process.
			if p := recover(); p != nil {
				r = result{nil, fmt.Errorf("%s: internal error while scanning: %v", source, p)}
			}
			done <- r
		}()
		if source == StdinName {
			if e.opts.Stdin == nil {
				r.err = fmt.Errorf("-: sdkaudit: no standard input to read the app from")
				return
			}
			data, err := safefile.ReadAll(e.opts.Stdin, "standard input", MaxStdinApp)
			if err != nil {
				r.err = fmt.Errorf("-: %w", err)
				return
			}
			r.inv, r.err = inventory.Scan(ctx, bytes.NewReader(data), int64(len(data)), source, opts)
			return
		}
		r.inv, r.err = inventory.ScanFile(ctx, source, opts)
	}()
	deadline, ok := ctx.Deadline()
	if !ok {
		r := <-done
		return r.inv, r.err
	}
	timer := time.NewTimer(time.Until(deadline) + AbandonGrace)
	defer timer.Stop()
	select {
	case r := <-done:
		return r.inv, r.err
	case <-timer.C:
		return nil, fmt.Errorf("%s: time budget exhausted and the scan did not stop within %v; abandoned (raise --timeout)", source, AbandonGrace)
	}
}

// Policy is what apps are compared with: policy documents (HTML,
// Markdown, text) or reviewed declaration files, or a declaration already
// read. The zero Policy declares nothing, so every privacy-relevant SDK
// and permission is a finding.
type Policy struct {
	// Files are read in order; "-" is Options.Stdin.
	Files []string
	// Declaration, when set, is used as it is and Files are not read: a
	// batch reads its policy once (Engine.ReadPolicy).
	Declaration *policy.Declaration
}

// ReadPolicy reads a policy into a declaration.
func (e *Engine) ReadPolicy(p Policy) (*policy.Declaration, error) {
	if p.Declaration != nil {
		return p.Declaration, nil
	}
	db, err := e.Rules()
	if err != nil {
		return nil, err
	}
	if len(p.Files) == 0 {
		return &policy.Declaration{}, nil
	}
	return policy.NewLexicon(db).Load(p.Files, policy.Limits{Stdin: e.opts.Stdin})
}

// Audit scans one app and compares it with the policy. The app is read
// while the policy is. Findings are sorted by severity, kind and subject;
// waivers (Options.Waivers) mark the findings they accept suppressed and
// add their warnings to the result.
func (e *Engine) Audit(ctx context.Context, source string, p Policy) (res *audit.Result, err error) {
	defer recoverInto(source, &err)
	in, err := e.auditInput(ctx, source, p)
	if err != nil {
		return nil, err
	}
	res = audit.Run(in)
	res.ApplyWaivers(e.opts.Waivers, e.now())
	return res, nil
}

// recoverInto turns a panic into the app's error: a bug in a check must
// cost one app, not the caller.
func recoverInto(source string, err *error) {
	if p := recover(); p != nil {
		*err = fmt.Errorf("%s: internal error while auditing: %v", source, p)
	}
}

// Diff audits two builds of an app against one policy and keeps the
// findings the new build adds (audit.Result.KeepChanged), with what it adds
// and removes in the result's Changes.
func (e *Engine) Diff(ctx context.Context, oldSource, newSource string, p Policy) (res *audit.Result, err error) {
	defer recoverInto(newSource, &err)
	in, err := e.auditInput(ctx, newSource, p)
	if err != nil {
		return nil, err
	}
	res = audit.Run(in)
	old, err := e.auditInput(ctx, oldSource, Policy{Declaration: in.Declaration})
	if err != nil {
		return nil, err
	}
	res.KeepChanged(audit.Diff(old, in), audit.Run(old))
	res.ApplyWaivers(e.opts.Waivers, e.now())
	return res, nil
}

// auditInput reads the app and the policy together and analyses the app.
func (e *Engine) auditInput(ctx context.Context, source string, p Policy) (*audit.Input, error) {
	if ctx == nil {
		ctx = context.Background()
	}
	scanCtx, cancel := context.WithCancel(ctx)
	defer cancel()
	type read struct {
		res *ScanResult
		err error
	}
	done := make(chan read, 1)
	go func() {
		var r read
		defer func() {
			if p := recover(); p != nil {
				r = read{nil, fmt.Errorf("%s: internal error while auditing: %v", source, p)}
			}
			done <- r
		}()
		inv, err := e.read(scanCtx, source)
		if err != nil {
			r.err = err
			return
		}
		r.res, r.err = e.analyse(inv)
	}()
	decl, err := e.ReadPolicy(p)
	if err != nil {
		cancel()
		<-done
		return nil, err
	}
	r := <-done
	if r.err != nil {
		return nil, r.err
	}
	return &audit.Input{App: r.res.Inventory, SDKs: r.res.SDKs, Access: r.res.DataAccess, Declaration: decl, Rules: e.db}, nil
}

func (e *Engine) now() time.Time {
	if e.opts.Now.IsZero() {
		return time.Now()
	}
	return e.opts.Now
}

// Scan reads one app with a new Engine; see Engine.Scan.
func Scan(ctx context.Context, source string, opts Options) (*ScanResult, error) {
	return New(opts).Scan(ctx, source)
}

// Audit compares one app with its policy with a new Engine; see
// Engine.Audit.
func Audit(ctx context.Context, source string, p Policy, opts Options) (*audit.Result, error) {
	return New(opts).Audit(ctx, source, p)
}
