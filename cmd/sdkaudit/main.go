package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"time"

	"github.com/spf13/cobra"

	"github.com/sdkaudit/sdkaudit"
	"github.com/sdkaudit/sdkaudit/analyzer/report"
	"github.com/sdkaudit/sdkaudit/rules"
)

// version and commit are set at build time (make build):
// -ldflags "-X main.version=... -X main.commit=...". A binary built with
// go install has neither; its module version and the VCS revision come
// from the build info instead.
var (
	version = ""
	commit  = ""
)

func toolVersion() string {
	v, _ := versionInfo(version, commit)
	return v
}

// versionLine is what --version and the version command print first.
func versionLine() string {
	v, c := versionInfo(version, commit)
	if c == "" {
		return "sdkaudit " + v
	}
	return "sdkaudit " + v + " (commit " + c + ")"
}

func versionInfo(v, c string) (string, string) {
	bi, _ := debug.ReadBuildInfo()
	return stampOf(v, c, bi)
}

// stampOf picks the version and commit: the ones stamped at build time,
// else the module version and vcs.revision (with "-dirty" when the tree
// had changes) from the build info, else "dev".
func stampOf(v, c string, bi *debug.BuildInfo) (string, string) {
	if bi != nil {
		if v == "" && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
			v = bi.Main.Version
		}
		if c == "" {
			modified := false
			for _, s := range bi.Settings {
				switch s.Key {
				case "vcs.revision":
					c = s.Value
				case "vcs.modified":
					modified = s.Value == "true"
				}
			}
			if len(c) > 12 {
				c = c[:12]
			}
			if c != "" && modified {
				c += "-dirty"
			}
		}
	}
	if v == "" {
		v = "dev"
	}
	return v, c
}

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// run executes the CLI and returns the exit code; tests call it directly.
func run(args []string, stdout, stderr io.Writer) int {
	return runWith(args, os.Stdin, stdout, stderr)
}

// runWith is run with standard input given.
func runWith(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	root := newRoot(stdout, stderr)
	root.SetIn(stdin)
	root.SetArgs(args)
	err := root.Execute()
	if err == nil {
		return ExitOK
	}
	var s silentExit
	if errors.As(err, &s) {
		return s.code
	}
	say(stderr, "sdkaudit: %s", err)
	return codeOf(err)
}

// say writes one line made terminal-safe: messages carry file names, YAML
// keys, waiver subjects and rule text from outside, which may hold
// newlines, ANSI and OSC escapes. They are escaped as the table report
// escapes app text, so one problem is one line and nothing reaches the
// terminal as a control sequence.
func say(w io.Writer, format string, args ...any) {
	fmt.Fprintln(w, report.CleanLine(fmt.Sprintf(format, args...)))
}

// maxProblemLines bounds what a checker prints for one file.
const maxProblemLines = 100

// sayProblems is for the checkers (policy check, rules validate): every
// problem of err on its own line, where other commands print the first
// and a count.
func sayProblems(w io.Writer, err error) {
	ps := rules.Problems(err)
	for i, p := range ps {
		if i == maxProblemLines {
			say(w, "sdkaudit: ... and %d more problems", len(ps)-i)
			return
		}
		say(w, "sdkaudit: %s", p)
	}
}

// globals are the flags every command shares.
type globals struct {
	rulesDir     string
	rulesReplace bool
	config       string
	quiet        bool
}

// progressTo is where progress goes: nowhere with --quiet.
func (g *globals) progressTo(w io.Writer) io.Writer {
	if g.quiet {
		return io.Discard
	}
	return w
}

// stdinName is the input name that stands for standard input, for an app
// (scan, audit, diff) or a policy document (--policy -, policy extract -).
const stdinName = sdkaudit.StdinName

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
	pf.BoolVarP(&g.quiet, "quiet", "q", false, "print nothing on standard error but errors (no warnings, no progress)")
	root.PersistentPreRunE = func(c *cobra.Command, args []string) error {
		if err := applyConfig(c, g.config); err != nil {
			return err
		}
		if err := checkFlags(c, g); err != nil {
			return err
		}
		if err := checkStdin(c, args); err != nil {
			return err
		}
		return checkOutputNotInput(c, args)
	}
	root.Version = versionLine()
	root.SetVersionTemplate("{{.Version}}\n")
	root.AddCommand(newScanCmd(g), newAuditCmd(g), newDiffCmd(g), newPolicyCmd(g), newRulesCmd(g), newExplainCmd(), newVersionCmd(g))
	registerCompletions(root, g)
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
			say(c.OutOrStdout(), "%s", versionLine())
			say(c.OutOrStdout(), "rules %s: %d SDKs, %d vendors, %d permissions, %d data categories, %d data-access APIs",
				db.VersionString(), len(db.SDKs), len(db.Vendors), len(db.Permissions), len(db.DataCategories), len(db.APIs))
			return nil
		},
	}
}

// checkFlags refuses flag values that would silently mean something else:
// a negative --timeout (no budget at all), --rules-replace without --rules
// (the built-in set would be replaced by nothing).
func checkFlags(c *cobra.Command, g *globals) error {
	if g.rulesReplace && g.rulesDir == "" {
		return &exitError{code: ExitInput, err: errors.New("--rules-replace needs --rules DIR")}
	}
	if f := c.Flags().Lookup("timeout"); f != nil {
		if d, err := time.ParseDuration(f.Value.String()); err == nil && d < 0 {
			return &exitError{code: ExitInput, err: fmt.Errorf("--timeout %s: a time budget cannot be negative", d)}
		}
	}
	return nil
}

// checkStdin refuses standard input named twice: it can be read once.
func checkStdin(c *cobra.Command, args []string) error {
	n := 0
	for _, a := range args {
		if a == stdinName {
			n++
		}
	}
	if f := c.Flags().Lookup("policy"); f != nil {
		if sv, ok := f.Value.(interface{ GetSlice() []string }); ok {
			for _, p := range sv.GetSlice() {
				if p == stdinName {
					n++
				}
			}
		}
	}
	if n > 1 {
		return &exitError{code: ExitInput, err: errors.New("standard input (-) can be read only once: name it for one input")}
	}
	return nil
}

// checkOutputNotInput refuses an -o that names one of the command's own
// inputs: the report would replace the APK or the policy it was made from.
func checkOutputNotInput(c *cobra.Command, args []string) error {
	f := c.Flags().Lookup("output")
	if f == nil || f.Value.String() == "" {
		return nil
	}
	out, err := os.Stat(f.Value.String())
	if err != nil {
		return nil // a new file is no input
	}
	inputs := append([]string{}, args...)
	for _, name := range []string{"policy", "waivers", "config"} {
		if fl := c.Flags().Lookup(name); fl != nil {
			if sv, ok := fl.Value.(interface{ GetSlice() []string }); ok {
				inputs = append(inputs, sv.GetSlice()...)
			} else if v := fl.Value.String(); v != "" {
				inputs = append(inputs, v)
			}
		}
	}
	for _, in := range inputs {
		if st, err := os.Stat(in); err == nil && os.SameFile(st, out) {
			return &exitError{code: ExitInput, err: fmt.Errorf("-o %s is one of the inputs; write the report elsewhere", report.CleanLine(f.Value.String()))}
		}
	}
	return nil
}
