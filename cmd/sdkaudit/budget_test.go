package main

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/sdkaudit/sdkaudit/internal/testenv"
)

// A time budget that runs out gives an incomplete result with the reason,
// and --fail-on-incomplete turns that into exit 3; it never waits on.
func TestTimeoutBudget(t *testing.T) {
	app := fixture(t, "maimai-like.apk")
	out, stderr, code := runCLI(t, "scan", "--format", "json", "--timeout", "1ns", app)
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var doc struct {
		Apps []struct {
			Status string `json:"status"`
			Errors []struct {
				Stage string `json:"stage"`
			} `json:"errors"`
		} `json:"apps"`
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil || len(doc.Apps) != 1 {
		t.Fatalf("%v: %s", err, out)
	}
	r := doc.Apps[0]
	timedOut := false
	for _, e := range r.Errors {
		timedOut = timedOut || e.Stage == "timeout"
	}
	if r.Status != "incomplete" || !timedOut {
		t.Fatalf("status %q errors %+v", r.Status, r.Errors)
	}
	if _, _, code := runCLI(t, "scan", "--format", "json", "--timeout", "1ns", "--fail-on-incomplete", app); code != ExitIncomplete {
		t.Fatalf("--fail-on-incomplete: exit %d, want %d", code, ExitIncomplete)
	}
	_, _, code = runCLI(t, "audit", "--format", "json", "--timeout", "1ns", "--fail-on", "none", "--fail-on-incomplete", "--policy", "../../fixtures/policies/maimai-like-policy.txt", app)
	if code != ExitIncomplete {
		t.Fatalf("audit --fail-on-incomplete: exit %d, want %d", code, ExitIncomplete)
	}
}

// The config file goes through the same YAML guard as rules, declarations
// and waivers: an alias bomb is refused at once.
func TestConfigAliasBomb(t *testing.T) {
	dir := t.TempDir()
	bomb := "a: &a [x,x,x,x,x,x,x,x,x]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\n"
	cfg := writeFile(t, dir, "bomb.yaml", []byte(bomb))
	start := time.Now()
	_, stderr, code := runCLI(t, "--config", cfg, "scan", fixture(t, "minimal.apk"))
	if code != ExitInput || !strings.Contains(stderr, "alias") || time.Since(start) > testenv.Hang(5*time.Second) {
		t.Fatalf("exit %d in %v: %s", code, time.Since(start), stderr)
	}
}
