package audit

import (
	"slices"
	"testing"
)

// TestKeepChangedFollowsRegistry runs every check's findings through
// KeepChanged: a finding the old build did not give always counts; one it
// gave counts only as the check's Diff rule says, for an added SDK it is
// attributed to and for each of its DiffKeys. Adding a check needs no
// change here.
func TestKeepChangedFollowsRegistry(t *testing.T) {
	for _, c := range Checks {
		finding := func(subject string) Finding {
			return Finding{Rule: c.ID, Kind: c.Kind, Severity: c.DefaultSeverity, Subject: Subject{ThirdParty: subject}, AttributedTo: []string{"some-sdk"}}
		}
		type when struct {
			name    string
			changes Changes
			want    bool
		}
		cases := []when{
			{"nothing added", Changes{}, false},
			{"its SDK added", Changes{AddedSDKs: []string{"some-sdk"}}, c.Diff == DiffWhenNewOrAdded},
			{"another SDK added", Changes{AddedSDKs: []string{"other-sdk"}}, false},
		}
		for _, k := range c.DiffKeys {
			cases = append(cases, when{"adds " + k, Changes{AddedPermissions: []string{k}}, true})
		}
		for _, w := range cases {
			old := &Result{Findings: []Finding{finding("both")}}
			cur := &Result{Findings: []Finding{finding("both"), finding("only-new")}}
			ch := w.changes
			cur.KeepChanged(&ch, old)
			var kept []string
			for _, f := range cur.Findings {
				kept = append(kept, f.Subject.Key())
			}
			if !slices.Contains(kept, "only-new") {
				t.Errorf("%s %s, %s: a new finding was dropped", c.ID, c.Kind, w.name)
			}
			if got := slices.Contains(kept, "both"); got != w.want {
				t.Errorf("%s %s, %s: finding of both builds kept=%v, want %v (Diff rule: %s)", c.ID, c.Kind, w.name, got, w.want, c.DiffText())
			}
		}
	}
}
