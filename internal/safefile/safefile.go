// Package safefile is how sdkaudit opens every file it reads or writes by
// name: apps and split-set members, policies, declaration files, waivers,
// the config file, rule files, Exodus imports and -o reports.
//
// Inputs are read only when they are regular files. A named pipe opened
// for reading blocks until someone writes to it, which no --timeout can
// interrupt; a character device such as /dev/zero never ends; and opening
// some devices has side effects (a tape rewinds, a watchdog arms). So a
// path is first examined with stat, which opens nothing, and refused with
// a one-line error unless it is a regular file; it is then opened without
// blocking (O_NONBLOCK), in case it was swapped for a pipe in between, and
// checked again. The size cap is enforced while reading, not only from
// the size stat reports, because a file can grow, and because the size of
// a file in /proc or of a device says nothing. The null device is read as
// an empty file, so `--config /dev/null` still means "no config".
//
// Outputs never replace anything but a regular file: a regular file (or a
// missing one) is written to a temporary file beside it and renamed over
// it, so a failed run leaves no half report; a character device (/dev/null,
// a terminal) is written in place; a directory, a pipe, a socket or a
// block device is refused. A symbolic link is followed, so the link stays
// and its target is replaced.
package safefile

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"syscall"
)

// ErrNotRegular is matched (errors.Is) by a [NotRegularError].
var ErrNotRegular = errors.New("not a regular file")

// ErrTooLarge is matched (errors.Is) by a [TooLargeError].
var ErrTooLarge = errors.New("file too large")

// NotRegularError says that a path names something other than a regular
// file, and what.
type NotRegularError struct {
	Path string
	Mode fs.FileMode
}

func (e *NotRegularError) Error() string {
	return fmt.Sprintf("%s: is %s, not a regular file", e.Path, Kind(e.Mode))
}

// Is makes errors.Is(err, ErrNotRegular) true.
func (e *NotRegularError) Is(target error) bool { return target == ErrNotRegular }

// TooLargeError says that a file holds more than the bytes allowed.
// Size is what stat reported, or -1 when the excess was found while
// reading.
type TooLargeError struct {
	Path string
	Size int64
	Max  int64
}

func (e *TooLargeError) Error() string {
	if e.Size >= 0 {
		return fmt.Sprintf("%s: %d bytes, larger than the %d-byte limit", e.Path, e.Size, e.Max)
	}
	return fmt.Sprintf("%s: larger than the %d-byte limit", e.Path, e.Max)
}

// Is makes errors.Is(err, ErrTooLarge) true.
func (e *TooLargeError) Is(target error) bool { return target == ErrTooLarge }

// Kind names the type of file a mode describes, for messages.
func Kind(m fs.FileMode) string {
	switch {
	case m.IsRegular():
		return "a regular file"
	case m.IsDir():
		return "a directory"
	case m&fs.ModeSymlink != 0:
		return "a symbolic link"
	case m&fs.ModeNamedPipe != 0:
		return "a named pipe"
	case m&fs.ModeSocket != 0:
		return "a socket"
	case m&fs.ModeCharDevice != 0:
		return "a character device"
	case m&fs.ModeDevice != 0:
		return "a block device"
	}
	return "an irregular file"
}

// Open opens path for reading when it is a regular file (symbolic links
// are followed) and returns it with its FileInfo. Anything else is a
// *NotRegularError; nothing but a regular file is ever opened, and the
// open never blocks.
func Open(path string) (*os.File, fs.FileInfo, error) {
	st, err := os.Stat(path)
	if err != nil {
		return nil, nil, err
	}
	if !st.Mode().IsRegular() {
		return nil, nil, &NotRegularError{Path: path, Mode: st.Mode()}
	}
	return openChecked(path, st)
}

// openChecked opens path, which stat found to be the regular file st, and
// makes sure the file opened is that one.
func openChecked(path string, st fs.FileInfo) (*os.File, fs.FileInfo, error) {
	// O_NONBLOCK: if path became a named pipe since stat, the open returns
	// at once instead of waiting for a writer; on a regular file it changes
	// nothing.
	f, err := os.OpenFile(path, os.O_RDONLY|syscall.O_NONBLOCK, 0)
	if err != nil {
		return nil, nil, err
	}
	fst, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, nil, err
	}
	if !fst.Mode().IsRegular() {
		f.Close()
		return nil, nil, &NotRegularError{Path: path, Mode: fst.Mode()}
	}
	if !os.SameFile(st, fst) {
		f.Close()
		return nil, nil, fmt.Errorf("%s: replaced while it was being opened", path)
	}
	return f, fst, nil
}

// ReadFile reads the regular file at path, refusing one of more than max
// bytes; the cap holds while reading, whatever stat said. The null device
// reads as empty.
func ReadFile(path string, max int64) ([]byte, error) {
	st, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if isNullDevice(st) {
		return []byte{}, nil
	}
	if !st.Mode().IsRegular() {
		return nil, &NotRegularError{Path: path, Mode: st.Mode()}
	}
	if st.Size() > max {
		return nil, &TooLargeError{Path: path, Size: st.Size(), Max: max}
	}
	f, fst, err := openChecked(path, st)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return readCapped(f, path, fst.Size(), max)
}

// ReadFS is ReadFile for a file of fsys. The stat comes first, so a named
// pipe is refused before it is opened; give fsys as [DirFS] so that one
// swapped in afterwards does not block the open either.
func ReadFS(fsys fs.FS, name string, max int64) ([]byte, error) {
	st, err := fs.Stat(fsys, name)
	if err != nil {
		return nil, err
	}
	if !st.Mode().IsRegular() {
		return nil, &NotRegularError{Path: name, Mode: st.Mode()}
	}
	if st.Size() > max {
		return nil, &TooLargeError{Path: name, Size: st.Size(), Max: max}
	}
	f, err := fsys.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	fst, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if !fst.Mode().IsRegular() {
		return nil, &NotRegularError{Path: name, Mode: fst.Mode()}
	}
	return readCapped(f, name, fst.Size(), max)
}

// ReadAll reads r (standard input, say) to its end with the caps of
// ReadFile: more than max bytes is a *TooLargeError, counted while reading.
func ReadAll(r io.Reader, name string, max int64) ([]byte, error) {
	return readCapped(r, name, 0, max)
}

// readCapped reads r to its end, refusing more than max bytes. One byte
// past max is read to tell a file of exactly max bytes from a longer one;
// size (from stat) only sizes the first buffer.
func readCapped(r io.Reader, name string, size, max int64) ([]byte, error) {
	buf := make([]byte, 0, min(size, max)+1)
	lr := io.LimitReader(r, max+1)
	for {
		if len(buf) == cap(buf) {
			buf = append(buf, 0)[:len(buf)]
		}
		n, err := lr.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
	}
	if int64(len(buf)) > max {
		return nil, &TooLargeError{Path: name, Size: -1, Max: max}
	}
	return buf, nil
}

// isNullDevice reports whether st is the system's null device.
func isNullDevice(st fs.FileInfo) bool {
	if st.Mode()&fs.ModeCharDevice == 0 {
		return false
	}
	null, err := os.Stat(os.DevNull)
	return err == nil && os.SameFile(st, null)
}

// DirFS is os.DirFS(dir) for rule directories and the like: opening a
// file that is not regular (a named pipe, a device) fails with a
// *NotRegularError instead of blocking or reading forever. Directories
// open as usual.
func DirFS(dir string) fs.FS { return dirFS{root: dir, base: os.DirFS(dir)} }

type dirFS struct {
	root string
	base fs.FS
}

func (d dirFS) path(op, name string) (string, error) {
	if !fs.ValidPath(name) {
		return "", &fs.PathError{Op: op, Path: name, Err: fs.ErrInvalid}
	}
	return filepath.Join(d.root, filepath.FromSlash(name)), nil
}

func (d dirFS) Open(name string) (fs.File, error) {
	full, err := d.path("open", name)
	if err != nil {
		return nil, err
	}
	st, err := os.Stat(full)
	if err != nil {
		return nil, &fs.PathError{Op: "open", Path: name, Err: errors.Unwrap(err)}
	}
	if st.IsDir() {
		return d.base.Open(name)
	}
	if !st.Mode().IsRegular() {
		return nil, &NotRegularError{Path: name, Mode: st.Mode()}
	}
	f, _, err := openChecked(full, st)
	if err != nil {
		return nil, err
	}
	return f, nil
}

func (d dirFS) Stat(name string) (fs.FileInfo, error) {
	return fs.Stat(d.base, name)
}

func (d dirFS) ReadDir(name string) ([]fs.DirEntry, error) {
	return fs.ReadDir(d.base, name)
}
