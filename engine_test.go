package sdkaudit

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/sdkaudit/sdkaudit/analyzer/audit"
	"github.com/sdkaudit/sdkaudit/analyzer/inventory"
	"github.com/sdkaudit/sdkaudit/analyzer/report"
)

// One memory budget per engine: every scan and audit of a run gets the
// same one, and admission waits for an app's expected share of it.
func TestEngineSharesOneMemoryBudget(t *testing.T) {
	e := New(Options{})
	a, b := e.inventoryOptions(), e.inventoryOptions()
	if a.Memory == nil || a.Memory != b.Memory {
		t.Fatal("scans do not share one memory budget")
	}
	if noCode := New(Options{NoCode: true}); noCode.inventoryOptions().Memory == nil {
		t.Fatal("NoCode scans lose the budget")
	}
	// An app expected to need more than is free waits until it is free.
	fix := filepath.Join("fixtures", "apk", "maimai-like.apk")
	want := inventory.ExpectedMemory(fix, a)
	if want == 0 {
		t.Fatal("no estimate for a fixture APK")
	}
	held, _ := a.Memory.Acquire(context.Background(), inventory.DefaultMemory)
	done := make(chan struct{})
	go func() {
		_, _ = e.read(context.Background(), fix)
		close(done)
	}()
	select {
	case <-done:
		t.Fatal("admitted while the budget was taken")
	case <-time.After(50 * time.Millisecond):
	}
	a.Memory.Release(held)
	<-done
}

// boundedScan stops waiting once the deadline and the grace have passed,
// whatever the scan is doing.
func TestBoundedScanReturnsAtTheDeadline(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Nanosecond)
	defer cancel()
	e := New(Options{})
	start := time.Now()
	inv, err := e.boundedScan(ctx, filepath.Join("fixtures", "apk", "maimai-like.apk"), e.inventoryOptions())
	if time.Since(start) > AbandonGrace {
		t.Fatalf("took %v", time.Since(start))
	}
	if err != nil && !strings.Contains(err.Error(), "time budget") {
		t.Fatal(err)
	}
	if err == nil && inv.Status != inventory.StatusIncomplete {
		t.Fatalf("status %s", inv.Status)
	}
}

// manifestOnly writes an APK holding the fixture's manifest and no DEX:
// the manifest names code that can only be loaded at run time, which
// detection reports.
func manifestOnly(t *testing.T) string {
	t.Helper()
	zr, err := zip.OpenReader(filepath.Join("fixtures", "apk", "maimai-like.apk"))
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	var manifest []byte
	for _, f := range zr.File {
		if f.Name == "AndroidManifest.xml" {
			rc, err := f.Open()
			if err != nil {
				t.Fatal(err)
			}
			manifest, err = io.ReadAll(rc)
			rc.Close()
			if err != nil {
				t.Fatal(err)
			}
		}
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	w, err := zw.Create("AndroidManifest.xml")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.Write(manifest); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "nocode.apk")
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// Scan and audit report a detection problem the same way: in the
// inventory's errors (stage detect), with the app incomplete, and the
// audit lists it among its incomplete reasons and in SA4001.
func TestDetectionProblemsSameInScanAndAudit(t *testing.T) {
	app := manifestOnly(t)
	e := New(Options{})
	s, err := e.Scan(context.Background(), app)
	if err != nil {
		t.Fatal(err)
	}
	var problem inventory.Problem
	for _, p := range s.Inventory.Errors {
		if p.Stage == inventory.StageDetect {
			problem = p
		}
	}
	if problem.Message == "" || s.Inventory.Status != inventory.StatusIncomplete {
		t.Fatalf("scan: status %s, errors %v", s.Inventory.Status, s.Inventory.Errors)
	}
	r, err := e.Audit(context.Background(), app, Policy{})
	if err != nil {
		t.Fatal(err)
	}
	if r.App.Status != s.Inventory.Status || !slices.Equal(r.App.Errors, s.Inventory.Errors) {
		t.Errorf("audit inventory: status %s errors %v; scan: %s %v", r.App.Status, r.App.Errors, s.Inventory.Status, s.Inventory.Errors)
	}
	if !slices.Contains(r.Incomplete, problem.String()) {
		t.Errorf("audit incomplete %q lacks %q", r.Incomplete, problem.String())
	}
	found := false
	for _, f := range r.Findings {
		if f.Kind == audit.KindAnalysisIncomplete && slices.Contains(f.AppEvidence, problem.String()) {
			found = true
		}
	}
	if !found {
		t.Errorf("no SA4001 finding names %q", problem.String())
	}
}

// A batch comes out in source order whatever the number of jobs, and one
// bad app costs only its own result.
func TestScanEachInOrder(t *testing.T) {
	apps := FindApps(filepath.Join("fixtures", "apk"))
	apps = append(apps[:3:3], "no-such.apk", apps[3])
	for _, jobs := range []int{1, 3} {
		var got []string
		New(Options{NoCode: true}).ScanEach(context.Background(), apps, jobs, func(i int, r *ScanResult, err error) {
			if (err != nil) != (apps[i] == "no-such.apk") {
				t.Errorf("%s: %v", apps[i], err)
			}
			if err == nil && r.File != apps[i] {
				t.Errorf("%s: result names %q", apps[i], r.File)
			}
			got = append(got, apps[i])
		})
		if !slices.Equal(got, apps) {
			t.Errorf("jobs %d: order %v", jobs, got)
		}
	}
}

// A scan result is the report stage's type: it goes to a scan encoder as
// the library returns it, named by its source.
func TestScanResultGoesToReport(t *testing.T) {
	src := filepath.Join("fixtures", "apk", "dataaccess.apk")
	res, err := Scan(context.Background(), src, Options{NoCode: true})
	if err != nil {
		t.Fatal(err)
	}
	enc, err := report.ScanEncoder("json")
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := enc.Encode(&b, []ScanResult{*res}, report.ScanOptions{ToolVersion: "test"}); err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Apps []struct {
			File    string `json:"file"`
			Package string `json:"package"`
			Status  string `json:"status"`
		} `json:"apps"`
	}
	if err := json.Unmarshal(b.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	if len(doc.Apps) != 1 || doc.Apps[0].File != src || doc.Apps[0].Package != "com.example.dataaccess" || doc.Apps[0].Status != "complete" {
		t.Errorf("report of the scan: %+v", doc.Apps)
	}
}
