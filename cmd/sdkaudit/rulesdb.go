package main

import (
	"fmt"
	"os"

	"github.com/sdkaudit/sdkaudit/internal/safefile"
	"github.com/sdkaudit/sdkaudit/rules"
)

// loadRules returns the embedded rule set, extended (or, with replace,
// replaced) by the rule files in dir. Rule problems are configuration
// errors: exit 2.
func loadRules(dir string, replace bool) (*rules.DB, error) {
	base, err := rules.Embedded()
	if err != nil {
		return nil, &exitError{code: ExitInput, err: fmt.Errorf("embedded rules: %w", err)}
	}
	if dir == "" {
		return base, nil
	}
	st, err := os.Stat(dir)
	if err != nil {
		return nil, &exitError{code: ExitInput, err: fmt.Errorf("--rules: %w", err)}
	}
	if !st.IsDir() {
		return nil, &exitError{code: ExitInput, err: fmt.Errorf("--rules %s: not a directory", dir)}
	}
	// safefile.DirFS: a rule file that is a named pipe or a device is
	// refused, never opened and waited on.
	extra, err := rules.Load(safefile.DirFS(dir))
	if err != nil {
		return nil, &exitError{code: ExitInput, err: fmt.Errorf("--rules %s: %w", dir, err)}
	}
	if replace {
		if errs := rules.Validate(extra); len(errs) > 0 {
			return nil, &exitError{code: ExitInput, err: fmt.Errorf("--rules %s: %w", dir, rules.Summarize(errs))}
		}
		return extra, nil
	}
	merged, err := base.Merge(extra)
	if err != nil {
		return nil, &exitError{code: ExitInput, err: fmt.Errorf("--rules %s: %w", dir, err)}
	}
	return merged, nil
}
