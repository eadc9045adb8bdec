package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// The scan and audit must work with no network at all: the rule database
// is embedded and nothing is fetched. The test builds the binary and runs
// it in a new network namespace (unshare -n); where that is not possible
// (no unshare, not allowed) it says so and skips.
func TestWorksWithoutNetwork(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	unshare, err := exec.LookPath("unshare")
	if err != nil {
		t.Skip("unshare not installed")
	}
	if err := exec.Command(unshare, "-n", "true").Run(); err != nil {
		t.Skipf("cannot create a network namespace here: %v", err)
	}
	bin := filepath.Join(t.TempDir(), "sdkaudit")
	build := exec.Command("go", "build", "-o", bin, ".")
	build.Env = os.Environ()
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	app := fixture(t, "maimai-like.apk")
	pol := policyFixture("maimai-like-policy.txt")
	out, err := exec.Command(unshare, "-n", bin, "audit", app, "--policy", pol, "--format", "json", "--fail-on", "none").CombinedOutput()
	if err != nil {
		t.Fatalf("audit without network failed: %v\n%s", err, out)
	}
	if !strings.Contains(string(out), `"undeclared-sdk"`) {
		t.Fatalf("no findings without network:\n%s", out)
	}
}
