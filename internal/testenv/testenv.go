package testenv

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"
)

// CI reports whether the tests run under CI (CI=true, as the CI runner
// and .ci/run set it), where every input a test names must be present.
func CI() bool {
	v, _ := strconv.ParseBool(os.Getenv("CI"))
	return v
}

// Missing ends a test whose input is not there: a skip that says what is
// missing, or under CI a failure, because CI claims the coverage.
func Missing(t testing.TB, format string, args ...any) {
	t.Helper()
	msg := fmt.Sprintf(format, args...)
	if CI() {
		t.Fatalf("%s (CI=true: a missing input fails; .ci/run installs the tools and CI lays shared/ beside the clone)", msg)
	}
	t.Skip(msg)
}

// Root is the repository root, the directory holding go.mod, found from
// the working directory (go test runs in the package's directory).
func Root(t testing.TB) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("testenv: no go.mod above the working directory")
		}
		dir = parent
	}
}

// Shared is a path under the shared/ directory laid beside the clone
// (read-only third-party inputs: corpus, seed, reference). It calls
// Missing when that path does not exist.
func Shared(t testing.TB, elem ...string) string {
	t.Helper()
	p := filepath.Join(append([]string{Root(t), "..", "shared"}, elem...)...)
	if _, err := os.Stat(p); err != nil {
		Missing(t, "%s not present (shared/ beside the clone)", filepath.Join(append([]string{"..", "shared"}, elem...)...))
	}
	return p
}

// Corpus is ../shared/corpus, the third-party APKs and their answer keys.
func Corpus(t testing.TB) string {
	t.Helper()
	return Shared(t, "corpus")
}

// CorpusAPKs lists the corpus APKs, calling Missing when there are none.
func CorpusAPKs(t testing.TB) []string {
	t.Helper()
	dir := Shared(t, "corpus", "apks")
	files, _ := filepath.Glob(filepath.Join(dir, "*.apk"))
	if len(files) == 0 {
		Missing(t, "no APKs in %s", dir)
	}
	return files
}

// Tool is the path of an oracle tool on PATH, calling Missing (with the
// hint, such as the package that installs it) when it is not there.
func Tool(t testing.TB, name, hint string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err != nil {
		Missing(t, "%s not installed (%s)", name, hint)
	}
	return p
}

// File is a data file an oracle reads, installed by a package (a path
// outside the repository), calling Missing when it is not there.
func File(t testing.TB, path, hint string) string {
	t.Helper()
	if _, err := os.Stat(path); err != nil {
		Missing(t, "%s not present (%s)", path, hint)
	}
	return path
}

// Hang scales a hang guard: a wall-time limit that only a hang or a
// runaway should reach, never a measure of speed. The race detector
// slows code between 2 and 20 times, so under it the limit is RaceScale
// times longer. On a machine with more runnable work than cores (the
// shared development machines: a load average of 14 on 2 cores was seen)
// wall time stretches with the queue, so the limit grows by the load
// average over the cores; SDKAUDIT_TEST_TIMESCALE (a number, 1 by
// default) stretches it further.
func Hang(d time.Duration) time.Duration {
	if Race {
		d *= RaceScale
	}
	if f := loadFactor(); f > 1 {
		d = time.Duration(float64(d) * f)
	}
	if f, err := strconv.ParseFloat(os.Getenv("SDKAUDIT_TEST_TIMESCALE"), 64); err == nil && f > 1 {
		d = time.Duration(float64(d) * f)
	}
	return d
}

// loadFactor is the one-minute load average over the number of cores,
// or 0 where the system does not say (no /proc/loadavg).
func loadFactor() float64 {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return 0
	}
	f := strings.Fields(string(b))
	if len(f) == 0 {
		return 0
	}
	load, err := strconv.ParseFloat(f[0], 64)
	if err != nil {
		return 0
	}
	return load / float64(runtime.NumCPU())
}

// RaceScale is how much longer hang guards are under the race detector.
const RaceScale = 10
