// Command gensnapshot writes the snapshot of the embedded rule set that
// rules.Embedded decodes instead of parsing the YAML. Run it through
// `go generate ./rules` after editing rules/data.
//
// It loads the YAML of the rules package it is built with, so it works
// even when the committed snapshot is stale or corrupt (the package then
// falls back to the YAML), but the snapshot file must exist for the
// package to compile: restore it from git, or create an empty one, if it
// was deleted.
package main

import (
	"bytes"
	"errors"
	"fmt"
	"os"

	"github.com/sdkaudit/sdkaudit/rules"
)

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: gensnapshot OUTPUT")
		os.Exit(2)
	}
	if err := run(os.Args[1]); err != nil {
		fmt.Fprintln(os.Stderr, "gensnapshot:", err)
		os.Exit(1)
	}
}

func run(out string) error {
	db, err := rules.Load(rules.EmbeddedFS())
	if err != nil {
		return err
	}
	// The snapshot is trusted without validation at run time, so an
	// invalid rule set must never get into one.
	if errs := rules.Validate(db); len(errs) > 0 {
		return errors.Join(errs...)
	}
	var buf bytes.Buffer
	if err := rules.WriteSnapshot(&buf, db); err != nil {
		return err
	}
	// Write beside and rename so that a failed run leaves the old file.
	tmp := out + ".tmp"
	if err := os.WriteFile(tmp, buf.Bytes(), 0o644); err != nil {
		return err
	}
	return os.Rename(tmp, out)
}
