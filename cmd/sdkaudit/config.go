package main

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"

	"github.com/goccy/go-yaml"

	"github.com/sdkaudit/sdkaudit/internal/safefile"
	"github.com/sdkaudit/sdkaudit/rules"
	"github.com/spf13/cobra"
)

// configFile is .sdkaudit.yaml: defaults for flags a pipeline would
// otherwise repeat. A flag given on the command line wins.
type configFile struct {
	Policy           []string `yaml:"policy"`
	FailOn           string   `yaml:"fail_on"`
	FailOnIncomplete *bool    `yaml:"fail_on_incomplete"`
	Waivers          string   `yaml:"waivers"`
	Format           string   `yaml:"format"`
	Output           string   `yaml:"output"`
	Lang             string   `yaml:"lang"`
	Rules            string   `yaml:"rules"`
}

const defaultConfig = ".sdkaudit.yaml"

// applyConfig reads the config file (the --config flag, else
// .sdkaudit.yaml in the working directory when present) and sets every
// flag of c that the command line left unset. Paths in the file are
// relative to the file.
func applyConfig(c *cobra.Command, path string) error {
	explicit := path != ""
	if !explicit {
		path = defaultConfig
	}
	data, err := safefile.ReadFile(path, rules.MaxYAMLBytes)
	if err != nil {
		if !explicit && errors.Is(err, os.ErrNotExist) {
			return nil
		}
		return &exitError{code: ExitInput, err: fmt.Errorf("config: %w", err)}
	}
	if err := rules.CheckYAML(path, data); err != nil {
		return &exitError{code: ExitInput, err: fmt.Errorf("config: %w", err)}
	}
	var cf configFile
	if err := yaml.UnmarshalWithOptions(data, &cf, yaml.DisallowUnknownField()); err != nil {
		return &exitError{code: ExitInput, err: fmt.Errorf("config: %w", rules.YAMLError(path, err))}
	}
	dir := filepath.Dir(path)
	rel := func(p string) string {
		if p == "" || filepath.IsAbs(p) {
			return p
		}
		return filepath.Join(dir, p)
	}
	set := func(name, value string) error {
		f := c.Flags().Lookup(name)
		if f == nil {
			f = c.InheritedFlags().Lookup(name)
		}
		if f == nil || f.Changed || value == "" {
			return nil
		}
		if err := f.Value.Set(value); err != nil {
			return &exitError{code: ExitInput, err: fmt.Errorf("config %s: %s: %w", path, name, err)}
		}
		return nil
	}
	if pf := c.Flags().Lookup("policy"); pf != nil && !pf.Changed {
		for _, p := range cf.Policy {
			if err := pf.Value.Set(rel(p)); err != nil {
				return &exitError{code: ExitInput, err: err}
			}
		}
	}
	pairs := [][2]string{{"fail-on", cf.FailOn}, {"waivers", rel(cf.Waivers)}, {"format", cf.Format}, {"output", rel(cf.Output)}, {"lang", cf.Lang}, {"rules", rel(cf.Rules)}}
	if cf.FailOnIncomplete != nil {
		pairs = append(pairs, [2]string{"fail-on-incomplete", strconv.FormatBool(*cf.FailOnIncomplete)})
	}
	for _, p := range pairs {
		if err := set(p[0], p[1]); err != nil {
			return err
		}
	}
	return nil
}
