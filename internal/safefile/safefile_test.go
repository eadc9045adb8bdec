//go:build unix

package safefile

import (
	"bytes"
	"errors"
	"io/fs"
	"net"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"testing/fstest"
	"time"

	"github.com/sdkaudit/sdkaudit/internal/testenv"
)

// hang is how long any call here may take before the test calls it a
// hang: each should return in microseconds.
const hang = 30 * time.Second

// within runs f and fails the test if it has not returned after hang; a
// blocked open would otherwise hang the whole test binary.
func within(t *testing.T, what string, f func()) {
	t.Helper()
	done := make(chan struct{})
	go func() {
		defer close(done)
		f()
	}()
	select {
	case <-done:
	case <-time.After(testenv.Hang(hang)):
		t.Fatalf("%s: still blocked after %v", what, testenv.Hang(hang))
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

func mksock(t *testing.T, dir, name string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	l, err := net.Listen("unix", p)
	if err != nil {
		t.Skipf("unix socket: %v", err)
	}
	t.Cleanup(func() { l.Close() })
	return p
}

// Every kind of file that is not regular is refused by the stat, before
// an open that could block (a pipe with no writer) or never end (a
// device), and the error names the kind.
func TestInputsMustBeRegular(t *testing.T) {
	dir := t.TempDir()
	fifo := mkfifo(t, dir, "fifo")
	sock := mksock(t, dir, "sock")
	link := filepath.Join(dir, "link-to-fifo")
	if err := os.Symlink(fifo, link); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ path, kind string }{
		{fifo, "a named pipe"},
		{link, "a named pipe"},
		{sock, "a socket"},
		{dir, "a directory"},
		{"/dev/zero", "a character device"},
	} {
		within(t, c.path, func() {
			_, _, err := Open(c.path)
			if !errors.Is(err, ErrNotRegular) || !strings.Contains(err.Error(), c.kind) {
				t.Errorf("Open(%s): %v, want %s", c.path, err, c.kind)
			}
			_, err = ReadFile(c.path, 1<<20)
			if !errors.Is(err, ErrNotRegular) || strings.Contains(err.Error(), "\n") {
				t.Errorf("ReadFile(%s): %v", c.path, err)
			}
		})
	}
}

// The null device reads as an empty file, so `--config /dev/null` keeps
// meaning "no config"; it is still no app.
func TestNullDeviceReadsEmpty(t *testing.T) {
	data, err := ReadFile(os.DevNull, 10)
	if err != nil || len(data) != 0 {
		t.Fatalf("%q, %v", data, err)
	}
	if _, _, err := Open(os.DevNull); !errors.Is(err, ErrNotRegular) {
		t.Fatalf("Open(%s): %v", os.DevNull, err)
	}
}

// The cap holds while reading: a file whose stat size is 0 but which
// holds more (as files in /proc do) is refused once the cap is passed,
// and a 4 GiB sparse file is refused from its stat, with nothing read.
func TestSizeCapWhileReading(t *testing.T) {
	if data, err := ReadFile("/proc/self/status", 16); !errors.Is(err, ErrTooLarge) {
		if _, statErr := os.Stat("/proc/self/status"); statErr == nil {
			t.Errorf("/proc/self/status capped at 16: %d bytes, %v", len(data), err)
		}
	}
	sparse := filepath.Join(t.TempDir(), "sparse.yaml")
	f, err := os.Create(sparse)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Truncate(4 << 30); err != nil {
		t.Skipf("sparse file: %v", err)
	}
	f.Close()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	_, err = ReadFile(sparse, 1<<20)
	runtime.ReadMemStats(&after)
	if !errors.Is(err, ErrTooLarge) || !strings.Contains(err.Error(), "4294967296 bytes") {
		t.Errorf("sparse: %v", err)
	}
	if grew := after.TotalAlloc - before.TotalAlloc; grew > 1<<20 {
		t.Errorf("refusing a 4 GiB file allocated %d bytes", grew)
	}
	exact := filepath.Join(t.TempDir(), "exact")
	if err := os.WriteFile(exact, bytes.Repeat([]byte("a"), 100), 0o644); err != nil {
		t.Fatal(err)
	}
	if data, err := ReadFile(exact, 100); err != nil || len(data) != 100 {
		t.Errorf("exactly at the cap: %d bytes, %v", len(data), err)
	}
	if _, err := ReadFile(exact, 99); !errors.Is(err, ErrTooLarge) {
		t.Errorf("one byte over the cap: %v", err)
	}
}

// DirFS refuses a rule file that is a pipe or a device: with os.DirFS
// the first would block the open and the second never end.
func TestDirFSAndReadFS(t *testing.T) {
	dir := t.TempDir()
	mkfifo(t, dir, "fifo.yaml")
	if err := os.Symlink("/dev/zero", filepath.Join(dir, "zero.yaml")); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "ok.yaml"), []byte("a: 1\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	fsys := DirFS(dir)
	within(t, "DirFS", func() {
		for _, name := range []string{"fifo.yaml", "zero.yaml"} {
			if _, err := fsys.Open(name); !errors.Is(err, ErrNotRegular) {
				t.Errorf("Open(%s): %v", name, err)
			}
			if _, err := ReadFS(fsys, name, 1<<20); !errors.Is(err, ErrNotRegular) {
				t.Errorf("ReadFS(%s): %v", name, err)
			}
		}
	})
	if data, err := ReadFS(fsys, "ok.yaml", 100); err != nil || string(data) != "a: 1\n" {
		t.Errorf("ok.yaml: %q, %v", data, err)
	}
	if _, err := ReadFS(fsys, "ok.yaml", 3); !errors.Is(err, ErrTooLarge) {
		t.Errorf("ok.yaml capped at 3: %v", err)
	}
	if entries, err := fs.ReadDir(fsys, "."); err != nil || len(entries) != 3 {
		t.Errorf("ReadDir: %d entries, %v", len(entries), err)
	}
	if _, err := fsys.Open("../escape"); err == nil {
		t.Error("DirFS opened a path outside its root")
	}
	if err := fstest.TestFS(DirFS(t.TempDir())); err != nil {
		t.Error(err)
	}
}

// -o never replaces anything but a regular file: a pipe, a socket and a
// directory are refused (the pipe without blocking), and each is left as
// it was, with no temporary file beside it.
func TestCreateRefusesWhatIsNotAFile(t *testing.T) {
	dir := t.TempDir()
	fifo := mkfifo(t, dir, "fifo")
	sock := mksock(t, dir, "sock")
	sub := filepath.Join(dir, "sub")
	if err := os.Mkdir(sub, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		path string
		mode fs.FileMode
	}{{fifo, fs.ModeNamedPipe}, {sock, fs.ModeSocket}, {sub, fs.ModeDir}} {
		within(t, c.path, func() {
			err := WriteFile(c.path, []byte("report"))
			if !errors.Is(err, ErrNotRegular) {
				t.Errorf("%s: %v", c.path, err)
			}
		})
		if st, err := os.Lstat(c.path); err != nil || st.Mode().Type() != c.mode {
			t.Errorf("%s changed: %v %v", c.path, st.Mode(), err)
		}
	}
	dangling := filepath.Join(dir, "dangling")
	if err := os.Symlink(filepath.Join(dir, "nowhere"), dangling); err != nil {
		t.Fatal(err)
	}
	if err := WriteFile(dangling, []byte("x")); err == nil {
		t.Error("wrote through a dangling link")
	}
	assertOnly(t, dir, "dangling", "fifo", "sock", "sub")
}

// A regular file is replaced whole (a new inode: readers of the old one
// never see half a report); through a symbolic link the target is
// replaced and the link stays.
func TestCreateReplacesRegularFiles(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "report.json")
	if err := os.WriteFile(path, []byte("old old old"), 0o600); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(dir, "link.json")
	if err := os.Symlink("report.json", link); err != nil {
		t.Fatal(err)
	}
	if err := WriteFile(link, []byte("new")); err != nil {
		t.Fatal(err)
	}
	if st, err := os.Lstat(link); err != nil || st.Mode()&fs.ModeSymlink == 0 {
		t.Errorf("the link was replaced: %v %v", st.Mode(), err)
	}
	if data, _ := os.ReadFile(path); string(data) != "new" {
		t.Errorf("target holds %q", data)
	}
	o, err := Create(path)
	if err != nil {
		t.Fatal(err)
	}
	o.Write([]byte("half"))
	o.Abort()
	if data, _ := os.ReadFile(path); string(data) != "new" {
		t.Errorf("an aborted output changed the file: %q", data)
	}
	fresh := filepath.Join(dir, "fresh.json")
	if err := WriteFile(fresh, []byte("x")); err != nil {
		t.Fatal(err)
	}
	assertOnly(t, dir, "fresh.json", "link.json", "report.json")
}

// As root, writing over a device node by rename would replace
// /dev/null with a regular file for every process on the machine. A
// character device is written in place and stays a device; /dev/full's
// error is reported. The test makes its own device nodes (root only), so
// the machine's /dev is never at stake.
func TestCreateWritesDevicesInPlace(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("making device nodes needs root; the refusals are covered by TestCreateRefusesWhatIsNotAFile")
	}
	dir := t.TempDir()
	null := filepath.Join(dir, "null")
	full := filepath.Join(dir, "full")
	if err := syscall.Mknod(null, syscall.S_IFCHR|0o666, 1<<8|3); err != nil {
		t.Skipf("mknod: %v", err)
	}
	if err := syscall.Mknod(full, syscall.S_IFCHR|0o666, 1<<8|7); err != nil {
		t.Skipf("mknod: %v", err)
	}
	if err := WriteFile(null, []byte("report")); err != nil {
		t.Errorf("null: %v", err)
	}
	if err := WriteFile(full, []byte("report")); err == nil || !errors.Is(err, syscall.ENOSPC) {
		t.Errorf("full: %v", err)
	}
	for _, p := range []string{null, full} {
		if st, err := os.Lstat(p); err != nil || st.Mode()&fs.ModeCharDevice == 0 {
			t.Errorf("%s is no longer a character device: %v %v", p, st.Mode(), err)
		}
	}
	assertOnly(t, dir, "full", "null")
}

// assertOnly fails when dir holds anything but names: no temporary file
// may be left behind.
func assertOnly(t *testing.T, dir string, names ...string) {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range entries {
		got = append(got, e.Name())
	}
	if strings.Join(got, ",") != strings.Join(names, ",") {
		t.Errorf("%s holds %v, want %v", dir, got, names)
	}
}
