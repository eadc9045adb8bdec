package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/sdkaudit/sdkaudit/internal/testenv"
)

var update = flag.Bool("update", false, "rewrite golden files")

func runCLI(t *testing.T, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	var o, e bytes.Buffer
	code = run(args, &o, &e)
	checkOutputSchema(t, args, o.String())
	return o.String(), e.String(), code
}

func fixture(t *testing.T, name string) string {
	t.Helper()
	p := filepath.Join("..", "..", "fixtures", "apk", name)
	if _, err := os.Stat(p); err != nil {
		t.Fatalf("fixture %s missing: run make fixtures", name)
	}
	return p
}

func corpusAPKs(t *testing.T) []string {
	return testenv.CorpusAPKs(t)
}

func compileSchema(t *testing.T) *jsonschema.Schema {
	t.Helper()
	c := jsonschema.NewCompiler()
	s, err := c.Compile(filepath.Join("..", "..", "docs", "scan-report.schema.json"))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func validate(t *testing.T, s *jsonschema.Schema, out string) {
	t.Helper()
	inst, err := jsonschema.UnmarshalJSON(strings.NewReader(out))
	if err != nil {
		t.Fatalf("output is not JSON: %v", err)
	}
	if err := s.Validate(inst); err != nil {
		t.Fatalf("output does not match docs/scan-report.schema.json: %v", err)
	}
}

func writeFile(t *testing.T, dir, name string, data []byte) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestUsageErrors(t *testing.T) {
	for _, args := range [][]string{
		{"scan"},
		{"scan", "--format", "yaml", "x.apk"},
		{"scan", "--jobs", "0", "x.apk"},
		{"scan", "--no-such-flag", "x.apk"},
		{"frobnicate"},
	} {
		_, stderr, code := runCLI(t, args...)
		if code != ExitInput {
			t.Errorf("%v: exit %d, want %d", args, code, ExitInput)
		}
		if strings.Count(strings.TrimSpace(stderr), "\n") != 0 || !strings.HasPrefix(stderr, "sdkaudit: ") {
			t.Errorf("%v: want one line on stderr, got %q", args, stderr)
		}
	}
}

func TestBadInputsOneLineAndBatchContinues(t *testing.T) {
	dir := t.TempDir()
	bad := map[string][]byte{
		"empty.apk":     nil,
		"text.apk":      []byte("this is not a zip at all, just some words"),
		"truncated.apk": nil, // filled below from a fixture
	}
	good := fixture(t, "minimal.apk")
	g, _ := os.ReadFile(good)
	bad["truncated.apk"] = g[:len(g)/2]
	var files []string
	for name, data := range bad {
		files = append(files, writeFile(t, dir, name, data))
	}
	files = append(files, good, filepath.Join(dir, "does-not-exist.apk"))
	stdout, stderr, code := runCLI(t, append([]string{"scan", "--format", "json"}, files...)...)
	if code != ExitInput {
		t.Fatalf("exit %d, want %d", code, ExitInput)
	}
	lines := strings.Split(strings.TrimSpace(stderr), "\n")
	if len(lines) != 4 {
		t.Fatalf("want one stderr line per bad file, got %q", stderr)
	}
	for _, l := range lines {
		if !strings.HasPrefix(l, "sdkaudit: "+dir) {
			t.Errorf("line does not name the file: %q", l)
		}
	}
	var doc struct {
		Apps []struct {
			File, Status, Package string
		}
	}
	if err := json.Unmarshal([]byte(stdout), &doc); err != nil {
		t.Fatal(err)
	}
	if len(doc.Apps) != len(files) {
		t.Fatalf("want %d apps, got %d", len(files), len(doc.Apps))
	}
	for i, a := range doc.Apps {
		if a.File != files[i] {
			t.Errorf("app %d is %s, want argument order (%s)", i, a.File, files[i])
		}
		wantOK := files[i] == good
		if (a.Status == "complete") != wantOK {
			t.Errorf("%s: status %s", a.File, a.Status)
		}
	}
	validate(t, compileSchema(t), stdout)
}

func TestOutputFile(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "report.json")
	stdout, _, code := runCLI(t, "scan", "--format", "json", "-o", out, fixture(t, "minimal.apk"))
	if code != ExitOK || stdout != "" {
		t.Fatalf("exit %d, stdout %q", code, stdout)
	}
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	validate(t, compileSchema(t), string(b))
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("temporary files left behind: %v", entries)
	}
}

// The JSON for each fixture is a golden file; refresh with -update.
func TestGoldenFixtures(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join("..", "..", "fixtures", "apk", "*.apk"))
	if len(files) == 0 {
		t.Fatal("no fixtures: run make fixtures")
	}
	schema := compileSchema(t)
	for _, f := range files {
		name := strings.TrimSuffix(filepath.Base(f), ".apk")
		t.Run(name, func(t *testing.T) {
			stdout, stderr, code := runCLI(t, "scan", "--format", "json", "--classes", f)
			if code != ExitOK {
				t.Fatalf("exit %d: %s", code, stderr)
			}
			validate(t, schema, stdout)
			compareGolden(t, filepath.Join("testdata", "golden", name+".json"), stdout)
			table, _, _ := runCLI(t, "scan", f)
			if !strings.Contains(table, "package") {
				t.Errorf("table output lacks the package row:\n%s", table)
			}
		})
	}
}

// Every corpus file: valid JSON by the schema, deterministic across runs
// and --jobs values, and never a panic.
func TestCorpusDeterministicAndValid(t *testing.T) {
	files := corpusAPKs(t)
	schema := compileSchema(t)
	args := append([]string{"scan", "--format", "json", "--jobs", "1"}, files...)
	first, _, code1 := runCLI(t, args...)
	args[4] = "2"
	second, stderr, code2 := runCLI(t, args...)
	if code1 != code2 {
		t.Fatalf("exit codes differ: %d vs %d", code1, code2)
	}
	if first != second {
		t.Fatal("output differs between --jobs 1 and --jobs 2")
	}
	if strings.Contains(stderr, "internal error") {
		t.Fatalf("a parser panicked:\n%s", stderr)
	}
	validate(t, schema, first)
}

// A mistyped subcommand of a command group is a usage error: a CI step
// with a typo must not pass.
func TestMistypedSubcommand(t *testing.T) {
	for _, args := range [][]string{{"policy", "chek"}, {"rules", "valdate"}} {
		_, stderr, code := runCLI(t, args...)
		if code != ExitInput || !strings.Contains(stderr, "unknown command") || !strings.Contains(stderr, "did you mean") {
			t.Errorf("%v: exit %d, stderr %q", args, code, stderr)
		}
	}
	if _, _, code := runCLI(t, "policy"); code != ExitOK {
		t.Errorf("a bare command group shows its help: exit %d", code)
	}
}

// Flag values that would silently mean something else are refused, and
// --version answers like the version command.
func TestFlagConventions(t *testing.T) {
	if out, _, code := runCLI(t, "--version"); code != ExitOK || !strings.HasPrefix(out, "sdkaudit ") {
		t.Errorf("--version: exit %d, %q", code, out)
	}
	for _, args := range [][]string{
		{"scan", "--timeout", "-5s", fixture(t, "minimal.apk")},
		{"rules", "list", "--rules-replace"},
	} {
		if _, stderr, code := runCLI(t, args...); code != ExitInput || strings.Count(strings.TrimSpace(stderr), "\n") != 0 {
			t.Errorf("%v: exit %d, stderr %q", args, code, stderr)
		}
	}
}

// Error texts name what the user typed and say what to do.
func TestErrorTextsNameTheInput(t *testing.T) {
	dir := t.TempDir()
	cases := []struct {
		args []string
		want string
	}{
		{[]string{"policy", "check", policyFixture("maimai-like-policy.txt")}, "not a declaration file"},
		{[]string{"scan", fixture(t, "minimal.apk"), "-o", filepath.Join(dir, "missing", "out.json")}, "does not exist"},
		{[]string{"rules", "validate", filepath.Join(dir, "nope")}, "rules validate:"},
	}
	for _, tc := range cases {
		_, stderr, code := runCLI(t, tc.args...)
		if code != ExitInput || !strings.Contains(stderr, tc.want) || strings.Count(strings.TrimSpace(stderr), "\n") != 0 || strings.Contains(stderr, "--rules") {
			t.Errorf("%v: exit %d, stderr %q", tc.args, code, stderr)
		}
	}
}

// -o never replaces the command's own input.
func TestOutputIsNotAnInput(t *testing.T) {
	dir := t.TempDir()
	app := filepath.Join(dir, "app.apk")
	data, err := os.ReadFile(fixture(t, "minimal.apk"))
	if err != nil {
		t.Fatal(err)
	}
	writeFile(t, dir, "app.apk", data)
	pol := writeFile(t, dir, "policy.txt", []byte("我们会申请相机权限。\n"))
	for _, args := range [][]string{
		{"scan", app, "-o", app},
		{"audit", app, "--policy", pol, "-o", pol},
	} {
		if _, stderr, code := runCLI(t, args...); code != ExitInput || !strings.Contains(stderr, "one of the inputs") {
			t.Errorf("%v: exit %d, %q", args, code, stderr)
		}
	}
	if got, _ := os.ReadFile(app); string(got) != string(data) {
		t.Error("the app was overwritten")
	}
}

// TestMain fixes the date reports print, so goldens stay byte-identical
// from one day to the next.
func TestMain(m *testing.M) {
	os.Setenv("SOURCE_DATE_EPOCH", "1796601600")
	os.Exit(m.Run())
}
