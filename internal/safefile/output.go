package safefile

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"syscall"
)

// Output is a file being written by [Create]: Write to it, then Commit.
// Abort drops what Commit did not keep; it is safe to defer.
type Output struct {
	f *os.File
	// target is what the temporary file is renamed to on Commit; empty
	// when writing in place to a character device.
	target string
	done   bool
}

// Create starts writing path. A missing path or a regular file is written
// through a temporary file in the same directory that Commit renames over
// it; a character device is written in place; anything else (a directory,
// a named pipe, a socket, a block device) is refused with a
// *NotRegularError. A symbolic link is followed and its target replaced,
// never the link itself; a link to nothing is refused.
func Create(path string) (*Output, error) {
	st, err := os.Stat(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		if lst, lerr := os.Lstat(path); lerr == nil && lst.Mode()&fs.ModeSymlink != 0 {
			return nil, fmt.Errorf("%s: a symbolic link to a missing file", path)
		}
		return createTemp(path)
	case err != nil:
		return nil, err
	case st.Mode().IsRegular():
		target, err := filepath.EvalSymlinks(path)
		if err != nil {
			return nil, err
		}
		return createTemp(target)
	case st.Mode()&fs.ModeCharDevice != 0:
		return openDevice(path, st)
	}
	return nil, &NotRegularError{Path: path, Mode: st.Mode()}
}

// createTemp starts the temporary file that Commit renames to target.
func createTemp(target string) (*Output, error) {
	dir := filepath.Dir(target)
	f, err := os.CreateTemp(dir, "."+filepath.Base(target)+".*")
	if err != nil {
		// Name what the user gave, not the temporary file.
		if errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("safefile: %s: the directory %s does not exist", target, dir)
		}
		if errors.Is(err, fs.ErrPermission) {
			return nil, fmt.Errorf("safefile: %s: cannot create files in %s (permission denied)", target, dir)
		}
		return nil, fmt.Errorf("safefile: %s: %w", target, err)
	}
	return &Output{f: f, target: target}, nil
}

// openDevice opens the character device st at path for writing in place:
// never creating or truncating anything, and without blocking on a line
// that waits for a carrier or making a terminal the controlling one.
func openDevice(path string, st fs.FileInfo) (*Output, error) {
	f, err := os.OpenFile(path, os.O_WRONLY|syscall.O_NONBLOCK|syscall.O_NOCTTY, 0)
	if err != nil {
		return nil, err
	}
	fst, err := f.Stat()
	if err == nil && (fst.Mode()&fs.ModeCharDevice == 0 || !os.SameFile(st, fst)) {
		err = fmt.Errorf("%s: replaced while it was being opened", path)
	}
	if err != nil {
		f.Close()
		return nil, err
	}
	return &Output{f: f}, nil
}

func (o *Output) Write(p []byte) (int, error) { return o.f.Write(p) }

// Commit finishes the output: the temporary file is closed, made readable
// (0644, as a report is meant to be shared) and renamed over the target.
func (o *Output) Commit() error {
	o.done = true
	err := o.f.Close()
	if o.target == "" {
		return err
	}
	if err == nil {
		err = os.Chmod(o.f.Name(), 0o644)
	}
	if err == nil {
		err = os.Rename(o.f.Name(), o.target)
	}
	if err != nil {
		os.Remove(o.f.Name())
	}
	return err
}

// Abort closes an output that was not committed and removes its
// temporary file; after Commit it does nothing.
func (o *Output) Abort() {
	if o == nil || o.done {
		return
	}
	o.done = true
	o.f.Close()
	if o.target != "" {
		os.Remove(o.f.Name())
	}
}

// WriteFile writes data to path as [Create] does.
func WriteFile(path string, data []byte) error {
	o, err := Create(path)
	if err != nil {
		return err
	}
	defer o.Abort()
	if _, err := o.Write(data); err != nil {
		return err
	}
	return o.Commit()
}
