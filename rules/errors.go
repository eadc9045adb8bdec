package rules

import (
	"errors"
	"fmt"
	"strings"

	"github.com/goccy/go-yaml"
)

// YAMLError turns an error from go-yaml into one line, "FILE:LINE:COL:
// message", for the rule, declaration, waiver and config readers alike.
// go-yaml's own formatting quotes the source around the error: several
// lines for one mistake, and for a long line time quadratic in its length
// (minutes for a 400 KB line).
func YAMLError(file string, err error) error {
	var ye yaml.Error
	if !errors.As(err, &ye) {
		return fmt.Errorf("%s: %w", file, err)
	}
	msg := strings.Join(strings.Fields(ye.GetMessage()), " ")
	if tk := ye.GetToken(); tk != nil && tk.Position != nil {
		return &yamlErr{msg: fmt.Sprintf("%s:%d:%d: %s", file, tk.Position.Line, tk.Position.Column, msg), err: err}
	}
	return &yamlErr{msg: fmt.Sprintf("%s: %s", file, msg), err: err}
}

type yamlErr struct {
	msg string
	err error
}

func (e *yamlErr) Error() string { return e.msg }
func (e *yamlErr) Unwrap() error { return e.err }

// Summarize makes one error of the problems found in one input: nil for
// none, the error itself for one, else the first with a count of the
// rest. A file with five hundred bad entries is one line on standard
// error, not five hundred; errors.Is and errors.As still see every one.
func Summarize(errs []error) error {
	switch len(errs) {
	case 0:
		return nil
	case 1:
		return errs[0]
	}
	return &summary{errs: errs}
}

type summary struct{ errs []error }

func (s *summary) Error() string {
	return fmt.Sprintf("%s (and %d more problems)", s.errs[0], len(s.errs)-1)
}

func (s *summary) Unwrap() []error { return s.errs }

// Problems lists the problems [Summarize] gathered into err (found
// anywhere in its chain), or err alone: for a checker command, which
// lists every problem of the file it was asked to check.
func Problems(err error) []error {
	var s *summary
	if errors.As(err, &s) {
		return s.errs
	}
	return []error{err}
}
