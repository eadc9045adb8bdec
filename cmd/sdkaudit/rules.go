package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/goccy/go-yaml"
	"github.com/olekukonko/tablewriter"
	"github.com/olekukonko/tablewriter/tw"
	"github.com/spf13/cobra"

	"github.com/sdkaudit/sdkaudit/analyzer/report"
	"github.com/sdkaudit/sdkaudit/internal/safefile"
	"github.com/sdkaudit/sdkaudit/rules"
	"github.com/sdkaudit/sdkaudit/rules/exodus"
)

func newRulesCmd(g *globals) *cobra.Command {
	c := &cobra.Command{
		Use:   "rules",
		Short: "Inspect, validate and import rule databases",
	}
	groupCommand(c)
	c.AddCommand(newRulesListCmd(g), newRulesShowCmd(g), newRulesValidateCmd(), newRulesImportExodusCmd())
	return c
}

func newRulesListCmd(g *globals) *cobra.Command {
	var category, kind, format string
	c := &cobra.Command{
		Use:     "list",
		Short:   "List the SDK rules",
		Example: "  sdkaudit rules list\n  sdkaudit rules list --category push\n  sdkaudit rules list --kind library\n  sdkaudit rules list --format json > rules.json",
		Args:    cobra.NoArgs,
		RunE: func(c *cobra.Command, _ []string) error {
			db, err := loadRules(g.rulesDir, g.rulesReplace)
			if err != nil {
				return err
			}
			if category != "" && !rules.ValidCategory(category) {
				return &exitError{code: ExitInput, err: fmt.Errorf("unknown category %q (want one of %s)", category, strings.Join(rules.Categories(), ", "))}
			}
			if kind != "" && kind != rules.KindSDK && kind != rules.KindLibrary {
				return &exitError{code: ExitInput, err: fmt.Errorf("unknown kind %q (want sdk or library)", kind)}
			}
			switch format {
			case "json":
				return writeRulesJSON(c.OutOrStdout(), db, category, kind)
			case "table", "":
			default:
				return &exitError{code: ExitInput, err: fmt.Errorf("unknown format %q (want table or json)", format)}
			}
			t := tablewriter.NewTable(c.OutOrStdout(), tablewriter.WithHeaderAutoFormat(tw.Off), tablewriter.WithRowAutoWrap(tw.WrapNone))
			t.Header("id", "name", "vendor", "category", "kind", "signatures")
			n := 0
			for _, s := range db.SDKs {
				if (category != "" && s.Category != category) || (kind != "" && s.Kind != kind) {
					continue
				}
				name := s.Name.EN
				if s.Name.ZH != "" {
					name += " / " + s.Name.ZH
				}
				sig := "text only"
				if !s.Signatures.Empty() {
					sig = signatureSummary(s.Signatures)
				}
				// A --rules directory can hold any text: cells are escaped
				// as the reports escape app text.
				_ = t.Append([]string{report.Clean(s.ID), report.Clean(name), report.Clean(s.Vendor), report.Clean(s.Category), report.Clean(s.Kind), sig})
				n++
			}
			if err := t.Render(); err != nil {
				return err
			}
			say(c.OutOrStdout(), "%d rules (database %s)", n, db.VersionString())
			return nil
		},
	}
	c.Flags().StringVar(&category, "category", "", "only SDKs of this category")
	c.Flags().StringVar(&kind, "kind", "", "only entries of this kind (sdk or library)")
	c.Flags().StringVar(&format, "format", "table", "table, or json: every rule with all its signatures, for matching against other signature databases")
	return c
}

// ruleJSON is the published form of an SDK rule: its own model, so the
// rules' internal structs can change without changing the contract.
type ruleJSON struct {
	ID          string        `json:"id"`
	Name        string        `json:"name"`
	NameZH      string        `json:"name_zh,omitempty"`
	Aliases     []string      `json:"aliases"`
	Vendor      string        `json:"vendor"`
	Category    string        `json:"category"`
	Kind        string        `json:"kind"`
	Parent      string        `json:"parent,omitempty"`
	AdapterFor  []string      `json:"adapter_for,omitempty"`
	Signatures  signatureJSON `json:"signatures"`
	Data        []string      `json:"data"`
	Permissions []string      `json:"permissions"`
	PolicyURL   string        `json:"policy_url,omitempty"`
	Confidence  string        `json:"confidence"`
}

type signatureJSON struct {
	DexPrefixes []string `json:"dex_prefixes"`
	DexStrings  []string `json:"dex_strings"`
	Components  []string `json:"components"`
	MetaData    []string `json:"meta_data"`
	NativeLibs  []string `json:"native_libs"`
	Assets      []string `json:"assets"`
	Permissions []string `json:"permissions"`
	Anchors     []string `json:"anchors"`
	// The iOS signatures, present only on rules that have them.
	IOSFrameworks []string `json:"ios_frameworks,omitempty"`
	IOSClasses    []string `json:"ios_classes,omitempty"`
	IOSPlistKeys  []string `json:"ios_plist_keys,omitempty"`
	IOSResources  []string `json:"ios_resources,omitempty"`
}

func orEmpty(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

func writeRulesJSON(w io.Writer, db *rules.DB, category, kind string) error {
	out := struct {
		RulesVersion string     `json:"rules_version"`
		SDKs         []ruleJSON `json:"sdks"`
	}{RulesVersion: db.VersionString(), SDKs: []ruleJSON{}}
	for _, s := range db.SDKs {
		if (category != "" && s.Category != category) || (kind != "" && s.Kind != kind) {
			continue
		}
		sig := s.Signatures
		out.SDKs = append(out.SDKs, ruleJSON{ID: s.ID, Name: s.Name.EN, NameZH: s.Name.ZH, Aliases: orEmpty(s.Aliases), Vendor: s.Vendor,
			Category: s.Category, Kind: s.Kind, Parent: s.Parent, AdapterFor: s.AdapterFor,
			Signatures: signatureJSON{DexPrefixes: orEmpty(sig.DexPrefixes), DexStrings: orEmpty(sig.DexStrings), Components: orEmpty(sig.Components), MetaData: orEmpty(sig.MetaData),
				NativeLibs: orEmpty(sig.NativeLibs), Assets: orEmpty(sig.Assets), Permissions: orEmpty(sig.Permissions), Anchors: orEmpty(sig.Anchors),
				IOSFrameworks: sig.IOSFrameworks, IOSClasses: sig.IOSClasses, IOSPlistKeys: sig.IOSPlistKeys, IOSResources: sig.IOSResources},
			Data: orEmpty(s.Data), Permissions: orEmpty(s.Permissions), PolicyURL: s.PolicyURL, Confidence: s.Confidence})
	}
	data, err := json.MarshalIndent(out, "", "  ")
	if err != nil {
		return err
	}
	_, err = w.Write(append(data, '\n'))
	return err
}

func signatureSummary(s rules.Signatures) string {
	var parts []string
	add := func(name string, n int) {
		if n > 0 {
			parts = append(parts, fmt.Sprintf("%s:%d", name, n))
		}
	}
	add("dex", len(s.DexPrefixes))
	add("dex-string", len(s.DexStrings))
	add("component", len(s.Components))
	add("meta-data", len(s.MetaData))
	add("native", len(s.NativeLibs))
	add("asset", len(s.Assets))
	add("permission", len(s.Permissions))
	add("ios", len(s.IOSFrameworks)+len(s.IOSClasses)+len(s.IOSPlistKeys)+len(s.IOSResources))
	return strings.Join(parts, " ")
}

func newRulesShowCmd(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:     "show ID",
		Short:   "Show one SDK rule (or vendor, permission, data category, data-access API) in full",
		Example: "  sdkaudit rules show getui-push\n  sdkaudit rules show android.permission.READ_PHONE_STATE\n  sdkaudit rules show telephony-get-device-id",
		Args:    cobra.ExactArgs(1),
		ValidArgsFunction: func(c *cobra.Command, args []string, _ string) ([]string, cobra.ShellCompDirective) {
			if len(args) > 0 {
				return nil, cobra.ShellCompDirectiveNoFileComp
			}
			return ruleIDs(g), cobra.ShellCompDirectiveNoFileComp
		},
		RunE: func(c *cobra.Command, args []string) error {
			db, err := loadRules(g.rulesDir, g.rulesReplace)
			if err != nil {
				return err
			}
			w := c.OutOrStdout()
			id := args[0]
			if s, ok := db.SDK(id); ok {
				return writeYAML(w, s)
			}
			if v, ok := db.Vendor(id); ok {
				return writeYAML(w, v)
			}
			if p, ok := db.Permission(id); ok {
				return writeYAML(w, p)
			}
			if d, ok := db.DataCategory(id); ok {
				return writeYAML(w, d)
			}
			// The data-access API ids that reports cite (SA1004 evidence,
			// the data access tables).
			if a, ok := db.API(id); ok {
				return writeYAML(w, a)
			}
			if hits := db.SDKsByName(id); len(hits) > 0 {
				var ids []string
				for _, h := range hits {
					ids = append(ids, h.ID)
				}
				return &exitError{code: ExitInput, err: fmt.Errorf("no rule with id %q; SDKs known by that name: %s", id, strings.Join(ids, ", "))}
			}
			return &exitError{code: ExitInput, err: fmt.Errorf("no rule with id %q (try sdkaudit rules list)", id)}
		},
	}
}

func newRulesValidateCmd() *cobra.Command {
	return &cobra.Command{
		Use:     "validate DIR",
		Short:   "Check a rule directory: syntax, unknown keys, references, ids (combined with the built-in set)",
		Example: "  sdkaudit rules validate ./my-rules",
		Args:    cobra.ExactArgs(1),
		RunE: func(c *cobra.Command, args []string) error {
			if _, err := os.Stat(args[0]); err != nil {
				return &exitError{code: ExitInput, err: fmt.Errorf("rules validate: %w", err)}
			}
			db, err := loadRules(args[0], false)
			if err != nil {
				sayProblems(c.ErrOrStderr(), err)
				return silentExit{codeOf(err)}
			}
			say(c.OutOrStdout(), "%s: valid (%d SDKs after merging, database %s)", args[0], len(db.SDKs), db.VersionString())
			return nil
		},
	}
}

func newRulesImportExodusCmd() *cobra.Command {
	var out string
	c := &cobra.Command{
		Use:   "import-exodus TRACKERS.json -o DIR",
		Short: "Convert a tracker list in the Exodus Privacy API format into a rule directory",
		Long: `Reads {"trackers": {"<id>": {name, code_signature, network_signature, website, categories}}}
and writes DIR/sdks/exodus.yaml and DIR/vendors.yaml, usable with --rules DIR. Imported
entries get ids "exodus-<id>" and low confidence; rules of the built-in set win where both
describe the same package prefix.`,
		Example: "  sdkaudit rules import-exodus trackers.json -o exodus-rules\n  sdkaudit scan --rules exodus-rules app.apk",
		Args:    cobra.ExactArgs(1),
		RunE: func(c *cobra.Command, args []string) error {
			if out == "" {
				return &exitError{code: ExitInput, err: errors.New("import-exodus: -o DIR is required")}
			}
			data, err := safefile.ReadFile(args[0], exodus.MaxInput)
			if err != nil {
				return &exitError{code: ExitInput, err: fmt.Errorf("import-exodus: %w", err)}
			}
			base, err := rules.Embedded()
			if err != nil {
				return &exitError{code: ExitInput, err: err}
			}
			res, err := exodus.Convert(data, base)
			if err != nil {
				return &exitError{code: ExitInput, err: fmt.Errorf("%s: %w", args[0], err)}
			}
			if err := res.WriteDir(out); err != nil {
				return &exitError{code: ExitInput, err: err}
			}
			if _, err := loadRules(out, false); err != nil {
				return &exitError{code: ExitInput, err: fmt.Errorf("import-exodus wrote a rule set that does not load: %w", err)}
			}
			say(c.OutOrStdout(), "%s: %d trackers converted, %d skipped", out, res.Converted, len(res.Skipped))
			// One line each: the reasons quote tracker names from the
			// input, and a long list must not be cut with the line.
			for _, why := range res.Skipped {
				say(c.OutOrStdout(), "  skipped %s", why)
			}
			return nil
		},
	}
	c.Flags().StringVarP(&out, "output", "o", "", "directory to write the rule files to")
	return c
}

// writeYAML prints a rule entry in the same YAML shape as the rule files,
// preceded by where it is defined.
func writeYAML(w io.Writer, v any) error {
	b, err := yaml.Marshal(v)
	if err != nil {
		return err
	}
	var src string
	switch e := v.(type) {
	case *rules.SDK:
		src = e.Source
	case *rules.Vendor:
		src = e.Source
	case *rules.Permission:
		src = e.Source
	case *rules.DataCategory:
		src = e.Source
	}
	if src != "" {
		say(w, "# defined at %s", src)
	}
	// go-yaml writes control characters raw, and a --rules directory can
	// hold any text: each line is escaped for the terminal.
	for _, line := range strings.Split(strings.TrimSuffix(string(b), "\n"), "\n") {
		say(w, "%s", line)
	}
	return nil
}
