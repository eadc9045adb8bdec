package main

import (
	"errors"
	"fmt"

	"github.com/spf13/cobra"
)

// Exit codes, shared by every command and documented in README.md.
const (
	// ExitOK: success, no finding at or above the threshold.
	ExitOK = 0
	// ExitFindings: findings at or above the --fail-on threshold.
	ExitFindings = 1
	// ExitInput: usage or configuration error, or an input that could not
	// be read at all; the message names the file and what is wrong.
	ExitInput = 2
	// ExitIncomplete: the analysis could not see everything (unreadable
	// DEX, packer, ...) and the command was asked to fail on that.
	ExitIncomplete = 3
)

// rank orders exit codes by how bad they are, for multi-file runs where the
// worst outcome decides: nothing read beats partially read beats findings.
var rank = map[int]int{ExitOK: 0, ExitFindings: 1, ExitIncomplete: 2, ExitInput: 3}

func worst(a, b int) int {
	if rank[b] > rank[a] {
		return b
	}
	return a
}

// exitError carries an exit code through cobra's error return.
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string { return e.err.Error() }
func (e *exitError) Unwrap() error { return e.err }

// codeOf maps an error from a command to its exit code: usage errors from
// cobra and anything untyped count as input errors.
func codeOf(err error) int {
	if err == nil {
		return ExitOK
	}
	var ee *exitError
	if errors.As(err, &ee) {
		return ee.code
	}
	return ExitInput
}

// silentExit ends the process with a code after the command has already
// reported everything it wanted to say.
type silentExit struct{ code int }

func (s silentExit) Error() string { return "" }

// groupCommand makes a command that only groups subcommands refuse an
// unknown one: cobra would print the help and exit 0, so a CI step with a
// typo (`sdkaudit policy chek`) would pass.
func groupCommand(c *cobra.Command) {
	c.Args = cobra.ArbitraryArgs
	c.RunE = func(c *cobra.Command, args []string) error {
		if len(args) == 0 {
			return c.Help()
		}
		msg := fmt.Sprintf("unknown command %q for %q", args[0], c.CommandPath())
		if c.SuggestionsMinimumDistance <= 0 {
			c.SuggestionsMinimumDistance = 2
		}
		if s := c.SuggestionsFor(args[0]); len(s) > 0 {
			msg += fmt.Sprintf(" (did you mean %q?)", s[0])
		}
		return &exitError{code: ExitInput, err: errors.New(msg)}
	}
}
