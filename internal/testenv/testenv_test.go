package testenv

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestMissingFailsUnderCI runs a test that asks for an input that is not
// there, once plain and once with CI=true, in a child process.
func TestMissingFailsUnderCI(t *testing.T) {
	if os.Getenv("TESTENV_CHILD") != "" {
		Shared(t, "no-such-input")
		return
	}
	for _, c := range []struct {
		ci   string
		fail bool
	}{{"", false}, {"false", false}, {"true", true}} {
		cmd := exec.Command(os.Args[0], "-test.run=^TestMissingFailsUnderCI$", "-test.v")
		cmd.Env = append(os.Environ(), "TESTENV_CHILD=1", "CI="+c.ci)
		out, err := cmd.CombinedOutput()
		if failed := err != nil; failed != c.fail {
			t.Errorf("CI=%q: failed %v, want %v:\n%s", c.ci, failed, c.fail, out)
		}
		if !strings.Contains(string(out), filepath.Join("..", "shared", "no-such-input")+" not present") {
			t.Errorf("CI=%q: the message does not name the input:\n%s", c.ci, out)
		}
	}
}

func TestRoot(t *testing.T) {
	if _, err := os.Stat(filepath.Join(Root(t), "go.mod")); err != nil {
		t.Fatal(err)
	}
}

func TestHang(t *testing.T) {
	t.Setenv("SDKAUDIT_TEST_TIMESCALE", "3")
	want := 3 * time.Second
	if Race {
		want *= RaceScale
	}
	if f := loadFactor(); f > 1 {
		want = time.Duration(float64(want) * f)
	}
	// The load average may move between the two readings.
	if got := Hang(time.Second); got < want*9/10 || got > want*11/10 {
		t.Errorf("Hang(1s) = %v, want about %v", got, want)
	}
}
