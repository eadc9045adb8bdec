package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"runtime/debug"

	"github.com/spf13/cobra"
)

// version is set at build time with -ldflags "-X main.version=..."; the
// module version from the build info is the fallback.
var version = ""

func toolVersion() string {
	if version != "" {
		return version
	}
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		return bi.Main.Version
	}
	return "dev"
}

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// run executes the CLI and returns the exit code; tests call it directly.
func run(args []string, stdout, stderr io.Writer) int {
	root := newRoot(stdout, stderr)
	root.SetArgs(args)
	err := root.Execute()
	if err == nil {
		return ExitOK
	}
	var s silentExit
	if errors.As(err, &s) {
		return s.code
	}
	fmt.Fprintf(stderr, "sdkaudit: %s\n", err)
	return codeOf(err)
}

// globals are the flags every command shares.
type globals struct {
	rulesDir     string
	rulesReplace bool
	config       string
}

func newRoot(stdout, stderr io.Writer) *cobra.Command {
	g := &globals{}
	root := &cobra.Command{
		Use:           "sdkaudit",
		Short:         "Audit an Android app's SDKs and permissions against its privacy policy",
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.SetOut(stdout)
	root.SetErr(stderr)
	root.SetFlagErrorFunc(func(c *cobra.Command, err error) error {
		return &exitError{code: ExitInput, err: fmt.Errorf("%w (see %s --help)", err, c.CommandPath())}
	})
	pf := root.PersistentFlags()
	pf.StringVar(&g.rulesDir, "rules", "", "extend the built-in rule database with the rule files in `DIR`")
	pf.BoolVar(&g.rulesReplace, "rules-replace", false, "with --rules, use only DIR's rules instead of extending the built-in set")
	pf.StringVar(&g.config, "config", "", "read flag defaults from `FILE` (default: .sdkaudit.yaml in the working directory, if present)")
	root.PersistentPreRunE = func(c *cobra.Command, _ []string) error { return applyConfig(c, g.config) }
	root.AddCommand(newScanCmd(g), newAuditCmd(g), newDiffCmd(g), newPolicyCmd(g), newRulesCmd(g), newExplainCmd(), newVersionCmd(g))
	return root
}

func newVersionCmd(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:     "version",
		Short:   "Print the sdkaudit and rule database versions",
		Example: "  sdkaudit version\n  sdkaudit version --rules ./my-rules",
		Args:    cobra.NoArgs,
		RunE: func(c *cobra.Command, _ []string) error {
			db, err := loadRules(g.rulesDir, g.rulesReplace)
			if err != nil {
				return err
			}
			fmt.Fprintf(c.OutOrStdout(), "sdkaudit %s\nrules %s: %d SDKs, %d vendors, %d permissions, %d data categories, %d data-access APIs\n",
				toolVersion(), db.VersionString(), len(db.SDKs), len(db.Vendors), len(db.Permissions), len(db.DataCategories), len(db.APIs))
			return nil
		},
	}
}
