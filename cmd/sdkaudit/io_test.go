//go:build unix

package main

import (
	"bytes"
	"fmt"
	"io/fs"
	"net"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/sdkaudit/sdkaudit/internal/testenv"
)

// runGuarded is runCLI that fails the test instead of hanging it when a
// command blocks (a named pipe opened for reading waits for a writer
// forever), and reports how much the run allocated.
func runGuarded(t *testing.T, args ...string) (stdout, stderr string, code int, alloc uint64) {
	t.Helper()
	type result struct {
		out, err string
		code     int
	}
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	done := make(chan result, 1)
	go func() {
		var o, e bytes.Buffer
		c := run(args, &o, &e)
		done <- result{o.String(), e.String(), c}
	}()
	select {
	case r := <-done:
		runtime.ReadMemStats(&after)
		return r.out, r.err, r.code, after.TotalAlloc - before.TotalAlloc
	case <-time.After(testenv.Hang(hostileBudget)):
		t.Fatalf("%s: still running after %v", strings.Join(args, " "), testenv.Hang(hostileBudget))
		return "", "", 0, 0
	}
}

// oneErrorLine fails unless stderr is exactly one "sdkaudit: " line
// holding want, and the exit code is 2.
func oneErrorLine(t *testing.T, name, stderr string, code int, want string) {
	t.Helper()
	lines := strings.Split(strings.TrimSuffix(stderr, "\n"), "\n")
	if code != ExitInput || len(lines) != 1 || !strings.HasPrefix(lines[0], "sdkaudit: ") || !strings.Contains(lines[0], want) {
		t.Errorf("%s: exit %d, want %d and one line with %q; got %q", name, code, ExitInput, want, stderr)
	}
}

func mkfifo(t *testing.T, dir, name string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := syscall.Mkfifo(p, 0o644); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
	return p
}

// sparseFile makes a file of size bytes that takes no disk space.
func sparseFile(t *testing.T, dir, name string, size int64) string {
	t.Helper()
	p := filepath.Join(dir, name)
	f, err := os.Create(p)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := f.Truncate(size); err != nil {
		t.Skipf("sparse file: %v", err)
	}
	return p
}

// absFixture is fixture as an absolute path, for tests that change the
// working directory.
func absFixture(t *testing.T, name string) string {
	p, err := filepath.Abs(fixture(t, name))
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// hostileInputRuns are the commands that read each kind of input, with
// bad standing for the hostile file: the app, a policy, waivers, the
// config, a declaration file, a rules directory member, an Exodus list.
func hostileInputRuns(t *testing.T, bad, rulesDir, out string) [][]string {
	app := fixture(t, "minimal.apk")
	pol := filepath.Join("..", "..", "fixtures", "policies", "maimai-like-policy.txt")
	return [][]string{
		{"scan", "--timeout", "5s", bad},
		{"audit", "--timeout", "5s", "--policy", pol, bad},
		{"audit", "--timeout", "5s", "--policy", bad, app},
		{"audit", "--timeout", "5s", "--policy", pol, "--waivers", bad, app},
		{"--config", bad, "scan", "--timeout", "5s", app},
		{"policy", "check", bad},
		{"--rules", rulesDir, "version"},
		{"rules", "import-exodus", bad, "-o", out},
	}
}

// A named pipe, /dev/zero and a 4 GiB sparse file, given as any input,
// end the command at once with one line: before, the pipe blocked every
// command but scan forever (--timeout did not help), and the device and
// the sparse file were read whole before the size check.
func TestNonRegularAndHugeInputs(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(t.TempDir(), "exodus-out")
	for _, c := range []struct {
		// wantApp is the message when the file is the app: a sparse file
		// is a regular file, of which only the end is read.
		name, want, wantApp string
		make                func(dir string) string
	}{
		{"fifo", "is a named pipe, not a regular file", "", func(d string) string { return mkfifo(t, d, "input.yaml") }},
		{"dev-zero", "is a character device, not a regular file", "", func(d string) string {
			p := filepath.Join(d, "input.yaml")
			if err := os.Symlink("/dev/zero", p); err != nil {
				t.Fatal(err)
			}
			return p
		}},
		{"sparse-4GiB", "larger than the", "not a zip archive", func(d string) string { return sparseFile(t, d, "input.yaml", 4<<30) }},
	} {
		t.Run(c.name, func(t *testing.T) {
			sub := filepath.Join(dir, c.name)
			rules := filepath.Join(sub, "rules")
			if err := os.MkdirAll(filepath.Join(rules, "sdks"), 0o755); err != nil {
				t.Fatal(err)
			}
			bad := c.make(sub)
			c.make(filepath.Join(rules, "sdks"))
			for _, args := range hostileInputRuns(t, bad, rules, out) {
				name := strings.Join(args, " ")
				_, stderr, code, alloc := runGuarded(t, args...)
				want := c.want
				if (args[0] == "scan" || args[0] == "audit") && args[len(args)-1] == bad && c.wantApp != "" {
					want = c.wantApp
				}
				oneErrorLine(t, name, stderr, code, want)
				// A scan of minimal.apk may run alongside: the bound is
				// far below what reading the input would have cost.
				if alloc > 256<<20 {
					t.Errorf("%s: allocated %d MiB", name, alloc>>20)
				}
			}
			if _, err := os.Stat(out); err == nil {
				t.Errorf("import-exodus wrote %s", out)
			}
		})
	}
}

// `--config /dev/null` still means an empty config.
func TestConfigDevNull(t *testing.T) {
	if _, stderr, code, _ := runGuarded(t, "--config", os.DevNull, "version"); code != ExitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
}

// A split set's member that is a named pipe is skipped like any file that
// is not a regular one, and the set is still scanned.
func TestSplitDirMemberFIFO(t *testing.T) {
	dir := t.TempDir()
	src := filepath.Join("..", "..", "fixtures", "apk", "formats", "maimai-split")
	entries, err := os.ReadDir(src)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		data, err := os.ReadFile(filepath.Join(src, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		writeFile(t, dir, e.Name(), data)
	}
	mkfifo(t, dir, "split_pipe.apk")
	stdout, stderr, code, _ := runGuarded(t, "scan", "--format", "json", "--timeout", "30s", dir)
	if code != ExitOK || !strings.Contains(stdout, `"split_chat.apk"`) || strings.Contains(stdout, "split_pipe") {
		t.Fatalf("exit %d: %s\n%.400s", code, stderr, stdout)
	}
}

// deepFlow is the reported file: a megabyte of flow sequences 62 deep,
// inside the old 64-level limit, after head.
func deepFlow(head string) []byte {
	unit := strings.Repeat("[", 62) + "a" + strings.Repeat("]", 62) + ", "
	var b strings.Builder
	b.WriteString(head + "x: [")
	for b.Len()+len(unit) < 1<<20-8 {
		b.WriteString(unit)
	}
	b.WriteString("a]\n")
	return []byte(b.String())
}

// The 62-deep file is refused by the YAML guard wherever a YAML file is
// read, including the .sdkaudit.yaml every command reads from the working
// directory; and a file with an error on a long line is one line of
// error, quickly (go-yaml's error formatting was quadratic in the line's
// length: 14 s for 200 KB).
func TestDenseYAMLEveryReader(t *testing.T) {
	dir := t.TempDir()
	rules := filepath.Join(dir, "rules")
	if err := os.MkdirAll(filepath.Join(rules, "sdks"), 0o755); err != nil {
		t.Fatal(err)
	}
	deep := writeFile(t, dir, "deep.yaml", deepFlow(""))
	decl := writeFile(t, dir, "decl.yaml", deepFlow("schema: sdkaudit-declaration/1\n"))
	writeFile(t, filepath.Join(rules, "sdks"), "deep.yaml", deepFlow(""))
	// 70 000 items: within the token budget, so go-yaml decodes it and
	// reports the unknown key, naming the 200 KB line.
	long := writeFile(t, dir, "long.yaml", []byte("bogus: ["+strings.Repeat("a, ", 70000)+"a]\n"))
	app := absFixture(t, "minimal.apk")
	pol, _ := filepath.Abs(filepath.Join("..", "..", "fixtures", "policies", "maimai-like-policy.txt"))
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--config", deep, "version"}, "nested more than"},
		{[]string{"audit", "--policy", pol, "--waivers", deep, app}, "nested more than"},
		{[]string{"audit", "--policy", decl, app}, "nested more than"},
		{[]string{"policy", "check", decl}, "nested more than"},
		{[]string{"--rules", rules, "version"}, "nested more than"},
		{[]string{"--config", long, "version"}, `unknown field "bogus"`},
		{[]string{"audit", "--policy", pol, "--waivers", long, app}, `unknown field "bogus"`},
	} {
		name := strings.Join(c.args, " ")
		start := time.Now()
		_, stderr, code, _ := runGuarded(t, c.args...)
		t.Logf("%v: %s", time.Since(start), firstLine(stderr))
		oneErrorLine(t, name, stderr, code, c.want)
	}
	// The default config: every command in a directory holding it fails
	// the same way.
	t.Chdir(dir)
	writeFile(t, dir, ".sdkaudit.yaml", deepFlow(""))
	_, stderr, code, _ := runGuarded(t, "scan", app)
	oneErrorLine(t, ".sdkaudit.yaml", stderr, code, "nested more than")
}

// A rules directory of more entries than a rule set may have is refused
// with one line; before, a million rules took 100 s and 5.9 GB and
// printed millions of lines.
func TestManyRules(t *testing.T) {
	rules := filepath.Join(t.TempDir(), "rules")
	if err := os.MkdirAll(filepath.Join(rules, "sdks"), 0o755); err != nil {
		t.Fatal(err)
	}
	for f := 0; f < 3; f++ {
		var b strings.Builder
		b.WriteString("sdks:\n")
		for i := 0; i < 10000; i++ {
			fmt.Fprintf(&b, "  - {id: r%d-%d}\n", f, i)
		}
		writeFile(t, filepath.Join(rules, "sdks"), fmt.Sprintf("f%d.yaml", f), []byte(b.String()))
	}
	_, stderr, code, _ := runGuarded(t, "--rules", rules, "version")
	oneErrorLine(t, "--rules", stderr, code, "entries a rule set may have")
	// Two files load, and every entry is invalid: still one line.
	os.Remove(filepath.Join(rules, "sdks", "f2.yaml"))
	_, stderr, code, _ = runGuarded(t, "--rules", rules, "version")
	oneErrorLine(t, "--rules", stderr, code, "more problems")
}

// Bad YAML is one line of error, whichever reader meets it: before,
// go-yaml's formatting quoted the source around the mistake (5 lines, or
// hundreds for a long mapping).
func TestBadYAMLIsOneLine(t *testing.T) {
	dir := t.TempDir()
	rules := filepath.Join(dir, "rules")
	if err := os.MkdirAll(filepath.Join(rules, "sdks"), 0o755); err != nil {
		t.Fatal(err)
	}
	app := absFixture(t, "minimal.apk")
	pol := filepath.Join("..", "..", "fixtures", "policies", "maimai-like-policy.txt")
	big := "unknown_key:\n" + strings.Repeat("  k: v\n", 600)
	for name, body := range map[string]string{
		"syntax":      "policy: [a, b\nfail_on: high\nx: [1,\n  2\n",
		"quote":       "waivers:\n  - rule: SA1001\n    subject: \"x\n    reason: [\n",
		"unknown-key": big,
		"wrong-type":  "waivers: {a: b}\npolicy: 3\n",
	} {
		f := writeFile(t, dir, name+".yaml", []byte(body))
		decl := writeFile(t, dir, name+"-decl.yaml", []byte("schema: sdkaudit-declaration/1\n"+body))
		writeFile(t, filepath.Join(rules, "sdks"), "x.yaml", []byte("sdks:\n"+body))
		for _, args := range [][]string{
			{"--config", f, "version"},
			{"audit", "--policy", pol, "--waivers", f, app},
			{"audit", "--policy", decl, app},
			{"policy", "check", decl},
			{"--rules", rules, "version"},
		} {
			_, stderr, code, _ := runGuarded(t, args...)
			oneErrorLine(t, name+": "+strings.Join(args, " "), stderr, code, ".yaml")
		}
	}
}

// Text from outside reaches standard error escaped: a file name or a
// waiver with a newline, an OSC title sequence, a screen clear and a fake
// "all checks passed" line is one visible line, with no control byte.
func TestStderrEscapesOutsideText(t *testing.T) {
	dir := t.TempDir()
	evil := "evil\n\x1b]0;pwned\x07\x1b[2Jsdkaudit: all checks passed\n"
	apps := filepath.Join(dir, "apps")
	if err := os.Mkdir(apps, 0o755); err != nil {
		t.Fatal(err)
	}
	writeFile(t, apps, evil+"one.apk", []byte("not a zip"))
	writeFile(t, apps, evil+"two.apk", []byte("not a zip either"))
	waivers := writeFile(t, dir, "w.yaml", []byte("waivers:\n  - rule: SA1001\n    subject: \"umeng\\e]0;pwned\\a\\nsdkaudit: all checks passed\"\n    reason: \"r\\e[2J\"\n    expires: 2020-01-01\n"))
	badName := writeFile(t, dir, evil+".yaml", []byte("a: [\n"))
	app := fixture(t, "minimal.apk")
	pol := filepath.Join("..", "..", "fixtures", "policies", "maimai-like-policy.txt")
	for _, c := range []struct {
		args  []string
		lines int
	}{
		{[]string{"scan", "--format", "json", apps}, 2},
		{[]string{"audit", "--format", "json", "--policy", pol, "--waivers", waivers, app}, 1},
		{[]string{"--config", badName, "version"}, 1},
		{[]string{"policy", "check", badName}, 1},
	} {
		name := strings.Join(c.args, " ")
		_, stderr, _, _ := runGuarded(t, c.args...)
		if strings.ContainsAny(stderr, "\x1b\x07\r") {
			t.Errorf("%q: control characters reach stderr: %q", name, stderr)
		}
		lines := strings.Split(strings.TrimSuffix(stderr, "\n"), "\n")
		if len(lines) != c.lines {
			t.Errorf("%q: %d lines, want %d: %q", name, len(lines), c.lines, stderr)
		}
		for _, l := range lines {
			if !strings.HasPrefix(l, "sdkaudit: ") || (strings.Contains(l, "pwned") && !strings.Contains(l, `\u001b]0;pwned\u0007`)) {
				t.Errorf("%q: line %q", name, l)
			}
		}
	}
}

// -o writes only regular files, replacing them atomically, and character
// devices, in place. A named pipe, a socket and a directory are refused
// with one line and left as they were; as root, a device node given to
// -o stays a device node (before, /dev/null became a regular file).
func TestOutputTargets(t *testing.T) {
	dir := t.TempDir()
	fifo := mkfifo(t, dir, "fifo")
	sock := filepath.Join(dir, "sock")
	l, err := net.Listen("unix", sock)
	if err != nil {
		t.Skipf("unix socket: %v", err)
	}
	defer l.Close()
	sub := filepath.Join(dir, "sub")
	if err := os.Mkdir(sub, 0o755); err != nil {
		t.Fatal(err)
	}
	app := fixture(t, "minimal.apk")
	pol := filepath.Join("..", "..", "fixtures", "policies", "maimai-like-policy.txt")
	commands := func(o string) [][]string {
		return [][]string{
			{"scan", "--format", "json", "-o", o, app},
			{"scan", "--format", "jsonl", "-o", o, app},
			{"audit", "--format", "json", "--fail-on", "none", "--policy", pol, "-o", o, app},
			{"policy", "extract", "-o", o, pol},
		}
	}
	for _, target := range []struct {
		path string
		mode fs.FileMode
	}{{fifo, fs.ModeNamedPipe}, {sock, fs.ModeSocket}, {sub, fs.ModeDir}} {
		for _, args := range commands(target.path) {
			_, stderr, code, _ := runGuarded(t, args...)
			oneErrorLine(t, strings.Join(args, " "), stderr, code, "not a regular file")
			if st, err := os.Lstat(target.path); err != nil || st.Mode().Type() != target.mode {
				t.Fatalf("%s changed: %v %v", target.path, st.Mode(), err)
			}
		}
	}
	if os.Geteuid() == 0 {
		null := filepath.Join(dir, "null")
		full := filepath.Join(dir, "full")
		if err := syscall.Mknod(null, syscall.S_IFCHR|0o666, 1<<8|3); err != nil {
			t.Fatalf("mknod: %v", err)
		}
		if err := syscall.Mknod(full, syscall.S_IFCHR|0o666, 1<<8|7); err != nil {
			t.Fatalf("mknod: %v", err)
		}
		for _, args := range commands(null) {
			if _, stderr, code, _ := runGuarded(t, args...); code != ExitOK {
				t.Errorf("%s: exit %d: %s", strings.Join(args, " "), code, stderr)
			}
		}
		for _, args := range commands(full) {
			_, stderr, code, _ := runGuarded(t, args...)
			oneErrorLine(t, strings.Join(args, " "), stderr, code, "no space left on device")
		}
		for _, p := range []string{null, full} {
			if st, err := os.Lstat(p); err != nil || st.Mode()&fs.ModeCharDevice == 0 {
				t.Errorf("%s is no longer a character device: %v %v", p, st.Mode(), err)
			}
		}
	} else {
		t.Log("not root: device nodes not made; the refusals above are what a non-root user can check")
	}
	entries, _ := os.ReadDir(dir)
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	want := "fifo,sock,sub"
	if os.Geteuid() == 0 {
		want = "fifo,full,null,sock,sub"
	}
	if strings.Join(names, ",") != want {
		t.Errorf("left in the directory: %v, want %s", names, want)
	}
}

// -o /dev/stdout is standard output: a link to this process's fd 1 is
// written through the command's standard output and stays a link.
// Before, as root, the report replaced /dev/stdout itself with a regular
// file, for every process on the machine (seen while measuring this).
// The test makes its own link, never touching /dev.
func TestOutputToOwnStdout(t *testing.T) {
	if _, err := os.Stat("/proc/self/fd/1"); err != nil {
		t.Skip("no /proc/self/fd")
	}
	link := filepath.Join(t.TempDir(), "stdout")
	if err := os.Symlink("/proc/self/fd/1", link); err != nil {
		t.Fatal(err)
	}
	stdout, stderr, code, _ := runGuarded(t, "scan", "--format", "json", "-o", link, fixture(t, "minimal.apk"))
	if code != ExitOK || !strings.Contains(stdout, `"schema_version"`) {
		t.Fatalf("exit %d: %s\n%.200s", code, stderr, stdout)
	}
	if st, err := os.Lstat(link); err != nil || st.Mode()&fs.ModeSymlink == 0 {
		t.Fatalf("the link was replaced: %v %v", st.Mode(), err)
	}
}
