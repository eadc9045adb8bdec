package audit

import (
	"sort"

	"github.com/sdkaudit/sdkaudit/analyzer/callgraph"
	"github.com/sdkaudit/sdkaudit/analyzer/dataaccess"
)

// Changes are what a new build adds or removes compared with an old one.
type Changes struct {
	OldFile            string   `json:"old_file"`
	AddedSDKs          []string `json:"added_sdks"`
	RemovedSDKs        []string `json:"removed_sdks"`
	AddedPermissions   []string `json:"added_permissions"`
	RemovedPermissions []string `json:"removed_permissions"`
	// AddedDataAccess and RemovedDataAccess are the data categories the
	// new build's code reads and the old one's did not (and the reverse);
	// empty when either build's code was not scanned.
	AddedDataAccess   []string `json:"added_data_access"`
	RemovedDataAccess []string `json:"removed_data_access"`
	// AddedStartup are the "owner/category" pairs the new build reads at
	// start-up and the old one did not (both scanned with reachability).
	AddedStartup []string `json:"added_startup,omitempty"`
}

// Diff compares two inputs' detected SDKs and requested permissions.
func Diff(old, cur *Input) *Changes {
	c := &Changes{OldFile: old.App.File}
	oldS, curS := map[string]bool{}, map[string]bool{}
	for _, d := range old.SDKs {
		oldS[d.ID] = true
	}
	for _, d := range cur.SDKs {
		curS[d.ID] = true
	}
	oldP, curP := map[string]bool{}, map[string]bool{}
	on, _ := requested(old.App)
	cn, _ := requested(cur.App)
	for _, p := range on {
		oldP[p] = true
	}
	for _, p := range cn {
		curP[p] = true
	}
	c.AddedSDKs, c.RemovedSDKs = setDiff(curS, oldS), setDiff(oldS, curS)
	c.AddedPermissions, c.RemovedPermissions = setDiff(curP, oldP), setDiff(oldP, curP)
	c.AddedDataAccess, c.RemovedDataAccess = []string{}, []string{}
	if old.Access != nil && cur.Access != nil {
		oldD, curD := map[string]bool{}, map[string]bool{}
		for _, o := range old.Access.Owners {
			for _, id := range o.CategoryIDs() {
				oldD[id] = true
			}
		}
		for _, o := range cur.Access.Owners {
			for _, id := range o.CategoryIDs() {
				curD[id] = true
			}
		}
		c.AddedDataAccess, c.RemovedDataAccess = setDiff(curD, oldD), setDiff(oldD, curD)
		c.AddedStartup = setDiff(startupPairs(cur.Access), startupPairs(old.Access))
	}
	return c
}

// startupPairs are the "owner/category" pairs read at start-up.
func startupPairs(r *dataaccess.Result) map[string]bool {
	out := map[string]bool{}
	for _, o := range r.Owners {
		for _, c := range o.Categories {
			if c.Reach == callgraph.Startup {
				out[o.ID+"/"+c.ID] = true
			}
		}
	}
	return out
}

func setDiff(a, b map[string]bool) []string {
	out := []string{}
	for k := range a {
		if !b[k] {
			out = append(out, k)
		}
	}
	sort.Strings(out)
	return out
}

// KeepChanged restricts the findings to those the new build adds: a
// finding of auditing the new build (r) whose rule and subject auditing the
// old build (old, against the same policy) did not give. Every kind
// counts, with the same rules as audit, so a release gate fails on
// regressions only: an added SDK, permission or data read, an SDK that now
// reads data its row leaves out, a declaration the new build made stale,
// analysis newly incomplete. A finding the old build gave too counts when
// its check's Diff rule says what the new build adds revives it. It
// records the changes.
func (r *Result) KeepChanged(c *Changes, old *Result) {
	had := map[string]bool{}
	for _, f := range old.Findings {
		had[f.Rule+"\x00"+f.Subject.Key()] = true
	}
	added := map[string]bool{}
	for _, k := range append(append([]string{}, c.AddedSDKs...), c.AddedPermissions...) {
		added[k] = true
	}
	kept := r.Findings[:0]
	for _, f := range r.Findings {
		ch, _ := CheckByID(f.Rule)
		if !had[f.Rule+"\x00"+f.Subject.Key()] || ch != nil && ch.CountsInDiff(f, added) {
			kept = append(kept, f)
		}
	}
	r.Findings = kept
	r.Changes = c
}
