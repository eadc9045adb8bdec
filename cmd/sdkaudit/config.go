package main

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/goccy/go-yaml"

	"github.com/sdkaudit/sdkaudit/internal/safefile"
	"github.com/sdkaudit/sdkaudit/rules"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// configKeys are the flag defaults a config file can set, at the top
// level or in a command's own section.
type configKeys struct {
	Policy           []string `yaml:"policy"`
	FailOn           string   `yaml:"fail_on"`
	FailOnIncomplete *bool    `yaml:"fail_on_incomplete"`
	Waivers          string   `yaml:"waivers"`
	Format           string   `yaml:"format"`
	Output           string   `yaml:"output"`
	Lang             string   `yaml:"lang"`
	Jobs             *int     `yaml:"jobs"`
	Timeout          string   `yaml:"timeout"`
	Quiet            *bool    `yaml:"quiet"`
}

// configFile is .sdkaudit.yaml: defaults for flags a pipeline would
// otherwise repeat. A flag given on the command line wins, then the
// command's own section, then the top level.
//
// Each command's output differs in kind (a scan inventory, an audit
// report, a declaration), so the top-level format and output belong to
// audit alone: the README's `format: sarif, output: sdkaudit.sarif` must
// not make scan fail on a format it cannot write, nor make it overwrite
// the SARIF file with a table. Other commands take format and output from
// their own section. Every other top-level key applies to each command
// that has the flag and is ignored by the rest.
type configFile struct {
	Top           configKeys  `yaml:",inline"`
	Rules         string      `yaml:"rules"`
	Scan          *configKeys `yaml:"scan"`
	Audit         *configKeys `yaml:"audit"`
	Diff          *configKeys `yaml:"diff"`
	PolicyExtract *configKeys `yaml:"policy_extract"`
}

const defaultConfig = ".sdkaudit.yaml"

// section returns the config section of a command, with its YAML key.
func (cf *configFile) section(c *cobra.Command) (*configKeys, string) {
	switch strings.TrimPrefix(c.CommandPath(), c.Root().Name()+" ") {
	case "scan":
		return cf.Scan, "scan"
	case "audit":
		return cf.Audit, "audit"
	case "diff":
		return cf.Diff, "diff"
	case "policy extract":
		return cf.PolicyExtract, "policy_extract"
	}
	return nil, ""
}

// topLevelOnlyFor are the top-level keys that apply to one command only.
var topLevelOnlyFor = map[string]string{"format": "audit", "output": "audit"}

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
	lookup := func(name string) *pflag.Flag {
		if f := c.Flags().Lookup(name); f != nil {
			return f
		}
		return c.InheritedFlags().Lookup(name)
	}
	// Values per flag: the command's section first, then the top level.
	type value struct {
		v       string
		list    []string
		section bool
	}
	values := map[string]value{}
	sec, secName := cf.section(c)
	cmdName := secName
	if cmdName == "policy_extract" {
		cmdName = "policy extract"
	}
	if sec != nil {
		for name, v := range sec.pairs(rel) {
			if lookup(name) == nil {
				return &exitError{code: ExitInput, err: fmt.Errorf("config %s: %s: %s has no --%s", path, secName, cmdName, name)}
			}
			values[name] = value{v: v, section: true}
		}
		if len(sec.Policy) > 0 {
			if lookup("policy") == nil {
				return &exitError{code: ExitInput, err: fmt.Errorf("config %s: %s: %s has no --policy", path, secName, cmdName)}
			}
			values["policy"] = value{list: sec.Policy, section: true}
		}
	}
	for name, v := range cf.Top.pairs(rel) {
		if only, ok := topLevelOnlyFor[name]; ok && only != secName {
			continue
		}
		if _, ok := values[name]; !ok {
			values[name] = value{v: v}
		}
	}
	if _, ok := values["policy"]; !ok && len(cf.Top.Policy) > 0 {
		values["policy"] = value{list: cf.Top.Policy}
	}
	if cf.Rules != "" {
		values["rules"] = value{v: rel(cf.Rules)}
	}
	for name, v := range values {
		f := lookup(name)
		if f == nil || f.Changed {
			continue
		}
		vals := []string{v.v}
		if v.list != nil {
			vals = nil
			for _, p := range v.list {
				vals = append(vals, rel(p))
			}
		}
		for _, x := range vals {
			if err := f.Value.Set(x); err != nil {
				return &exitError{code: ExitInput, err: fmt.Errorf("config %s: %s: %w", path, name, err)}
			}
		}
	}
	return nil
}

// pairs are the keys that are set, by flag name (paths made relative to
// the config file), the policy list aside.
func (k *configKeys) pairs(rel func(string) string) map[string]string {
	out := map[string]string{}
	add := func(name, v string) {
		if v != "" {
			out[name] = v
		}
	}
	add("fail-on", k.FailOn)
	add("waivers", rel(k.Waivers))
	add("format", k.Format)
	add("output", rel(k.Output))
	add("lang", k.Lang)
	add("timeout", k.Timeout)
	if k.FailOnIncomplete != nil {
		add("fail-on-incomplete", strconv.FormatBool(*k.FailOnIncomplete))
	}
	if k.Jobs != nil {
		add("jobs", strconv.Itoa(*k.Jobs))
	}
	if k.Quiet != nil {
		add("quiet", strconv.FormatBool(*k.Quiet))
	}
	return out
}
