package main

import (
	"encoding/json"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/sdkaudit/sdkaudit/analyzer/policy"
	"github.com/sdkaudit/sdkaudit/analyzer/report"
	"github.com/sdkaudit/sdkaudit/analyzer/report/model"
	"github.com/sdkaudit/sdkaudit/internal/safefile"
	"github.com/sdkaudit/sdkaudit/rules"
)

func newPolicyCmd(g *globals) *cobra.Command {
	c := &cobra.Command{
		Use:   "policy",
		Short: "Read privacy policies into declarations",
	}
	groupCommand(c)
	c.AddCommand(newPolicyExtractCmd(g), newPolicyCheckCmd(g))
	return c
}

func newPolicyExtractCmd(g *globals) *cobra.Command {
	var out, format, app string
	var explain bool
	c := &cobra.Command{
		Use:   "extract DOC [DOC ...]",
		Short: "Read policy documents (HTML, Markdown, text; declaration files too) and write what they disclose",
		Long: `Reads one or more policy documents — the main policy, a third-party SDK list, a permission
list — and writes the declaration: permissions, data categories, SDKs, vendors and unresolved
third parties, each with the file and line it came from. The default YAML output is a declaration
file for a person to review and keep in the repository; --format json gives every piece of evidence.`,
		Example: `  sdkaudit policy extract privacy.html sdk-list.html -o declaration.yaml
  sdkaudit policy extract --format json policy.md
  sdkaudit policy extract --explain policy.md`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(c *cobra.Command, args []string) error {
			db, err := loadRules(g.rulesDir, g.rulesReplace)
			if err != nil {
				return err
			}
			decl, err := policy.NewLexicon(db).Load(args, policy.Limits{Stdin: c.InOrStdin()})
			if err != nil {
				return &exitError{code: ExitInput, err: err}
			}
			for _, w := range decl.Warnings {
				if !g.quiet {
					say(c.ErrOrStderr(), "sdkaudit: warning: %s", w)
				}
			}
			var data []byte
			switch {
			case explain:
				data = []byte(policy.Explain(decl))
			case format == "yaml":
				data = policy.WriteDeclFile(decl, app)
			case format == "json":
				data, err = json.MarshalIndent(model.NewPolicyDocument(decl, db.VersionString(), toolVersion()), "", "  ")
				if err != nil {
					return &exitError{code: ExitInput, err: err}
				}
				data = append(data, '\n')
			default:
				return &exitError{code: ExitInput, err: fmt.Errorf("unknown format %q (want yaml or json)", format)}
			}
			if err := writeOutput(c.OutOrStdout(), out, data); err != nil {
				return &exitError{code: ExitInput, err: err}
			}
			return nil
		},
	}
	c.Flags().StringVarP(&out, "output", "o", "", "write to FILE instead of standard output")
	c.Flags().StringVar(&format, "format", "yaml", "yaml (a declaration file to review) or json (full evidence)")
	c.Flags().StringVar(&app, "app", "", "application id to record in the declaration file")
	c.Flags().BoolVar(&explain, "explain", false, "instead of the declaration, show for every item the sentence or cell and the reading that produced it")
	return c
}

func newPolicyCheckCmd(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:     "check DECLARATION.yaml [...]",
		Short:   "Validate declaration files: syntax, unknown keys, unknown SDK ids, permissions and data categories, with line numbers",
		Example: "  sdkaudit policy check declaration.yaml",
		Args:    cobra.MinimumNArgs(1),
		RunE: func(c *cobra.Command, args []string) error {
			db, err := loadRules(g.rulesDir, g.rulesReplace)
			if err != nil {
				return err
			}
			failed := false
			for _, f := range args {
				data, err := safefile.ReadFile(f, rules.MaxYAMLBytes)
				if err != nil {
					say(c.ErrOrStderr(), "sdkaudit: policy: %v", err)
					failed = true
					continue
				}
				if !policy.IsDeclarationFile(data) {
					// A policy document given to check: one line that says
					// what to do, not the YAML parser's complaints.
					say(c.ErrOrStderr(), "sdkaudit: policy check: %s: not a declaration file (no schema line); read a policy document with: sdkaudit policy extract %s", report.CleanLine(f), report.CleanLine(f))
					failed = true
					continue
				}
				df, err := policy.ParseDeclFile(f, data, db)
				if err != nil {
					sayProblems(c.ErrOrStderr(), err)
					failed = true
					continue
				}
				say(c.OutOrStdout(), "%s: valid (%d permissions, %d data categories, %d SDKs, %d vendors)",
					f, len(df.Permissions), len(df.DataCategories), len(df.SDKs), len(df.Vendors))
			}
			if failed {
				return silentExit{ExitInput}
			}
			return nil
		},
	}
}
