package main

import (
	"slices"

	"github.com/spf13/cobra"

	"github.com/sdkaudit/sdkaudit/analyzer/audit"
	"github.com/sdkaudit/sdkaudit/rules"
)

// formatsOf are the --format values per command, for shell completion.
var formatsOf = map[string][]string{
	"scan":           {"table", "json", "jsonl"},
	"audit":          {"table", "markdown", "html", "json", "jsonl", "sarif", "cyclonedx"},
	"diff":           {"table", "markdown", "html", "json", "jsonl", "sarif", "cyclonedx"},
	"policy extract": {"yaml", "json"},
	"rules list":     {"table", "json"},
}

// registerCompletions gives the shell completion (sdkaudit completion
// bash|zsh|fish|powershell) the values of --format, --lang, --fail-on,
// rules list --kind and --category, and rule ids for rules show and
// explain.
func registerCompletions(root *cobra.Command, g *globals) {
	fixed := func(vals ...string) func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
		return func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
			return vals, cobra.ShellCompDirectiveNoFileComp
		}
	}
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		path := c.CommandPath()
		if len(path) > len(root.Name())+1 {
			path = path[len(root.Name())+1:]
		}
		if f := c.Flags().Lookup("format"); f != nil {
			_ = c.RegisterFlagCompletionFunc("format", fixed(formatsOf[path]...))
		}
		if c.Flags().Lookup("lang") != nil {
			_ = c.RegisterFlagCompletionFunc("lang", fixed("en", "zh"))
		}
		if c.Flags().Lookup("fail-on") != nil {
			_ = c.RegisterFlagCompletionFunc("fail-on", fixed("high", "medium", "low", "none"))
		}
		if path == "rules list" {
			_ = c.RegisterFlagCompletionFunc("kind", fixed(rules.KindSDK, rules.KindLibrary))
			_ = c.RegisterFlagCompletionFunc("category", fixed(rules.Categories()...))
		}
		if path == "explain" {
			c.ValidArgsFunction = func(_ *cobra.Command, args []string, _ string) ([]string, cobra.ShellCompDirective) {
				if len(args) > 0 {
					return nil, cobra.ShellCompDirectiveNoFileComp
				}
				var out []string
				for _, ch := range audit.Checks {
					out = append(out, ch.ID, string(ch.Kind))
				}
				return out, cobra.ShellCompDirectiveNoFileComp
			}
		}
		for _, sub := range c.Commands() {
			walk(sub)
		}
	}
	walk(root)
}

// ruleIDs are the ids rules show accepts: SDKs, vendors, permissions,
// data categories and data-access APIs, sorted.
func ruleIDs(g *globals) []string {
	db, err := loadRules(g.rulesDir, g.rulesReplace)
	if err != nil {
		return nil
	}
	var out []string
	for _, s := range db.SDKs {
		out = append(out, s.ID)
	}
	for _, v := range db.Vendors {
		out = append(out, v.ID)
	}
	for _, p := range db.Permissions {
		out = append(out, p.Name)
	}
	for _, d := range db.DataCategories {
		out = append(out, d.ID)
	}
	for _, a := range db.APIs {
		out = append(out, a.ID)
	}
	slices.Sort(out)
	return slices.Compact(out)
}
