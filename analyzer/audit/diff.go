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

// KeepChanged restricts the findings to subjects the new build added, so
// that a release gate fails on regressions only, and records the changes.
func (r *Result) KeepChanged(c *Changes) {
	added := map[string]bool{}
	for _, s := range c.AddedSDKs {
		added[s] = true
	}
	for _, p := range c.AddedPermissions {
		added[p] = true
	}
	for _, d := range c.AddedDataAccess {
		added["data:"+d] = true
	}
	for _, p := range c.AddedStartup {
		added["startup:"+p] = true
	}
	kept := r.Findings[:0]
	for _, f := range r.Findings {
		key := ""
		switch {
		case f.Kind == "startup-collection":
			owner := dataaccess.OwnerApp
			if f.Subject.SDK != nil {
				owner = f.Subject.SDK.ID
			}
			if added["startup:"+owner+"/"+f.Subject.Data] {
				kept = append(kept, f)
			}
			continue
		case f.Subject.SDK != nil:
			key = f.Subject.SDK.ID
		case f.Subject.Permission != "":
			key = f.Subject.Permission
		case f.Subject.Data != "" && f.Kind == "undeclared-data-access":
			key = "data:" + f.Subject.Data
		}
		if key != "" && added[key] && (f.Kind == "undeclared-sdk" || f.Kind == "sdk-vendor-only" || f.Kind == "undeclared-permission" || f.Kind == "sdk-data-undeclared" || f.Kind == "undeclared-data-access") {
			kept = append(kept, f)
		}
	}
	r.Findings = kept
	r.Changes = c
}
