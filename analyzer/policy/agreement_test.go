package policy

import (
	"fmt"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// TestLabellerAgreement measures how far two people who label the same
// policy apart agree (fixtures/policies/real/second holds a second,
// blind labelling of a sample): the first labels are the reference, the
// second are scored against them as the reader is. A reader cannot be
// expected to agree with one labeller more than another labeller does.
// It reads only label files, so it runs without the policy texts.
func TestLabellerAgreement(t *testing.T) {
	dir := filepath.Join("..", "..", "fixtures", "policies", "real")
	seconds, _ := filepath.Glob(filepath.Join(dir, "second", "*.labels.yaml"))
	if len(seconds) == 0 {
		t.Fatal("no second labels under fixtures/policies/real/second")
	}
	var sdk, perm, data fieldScore
	var firmSDK, firmPerm, firmData fieldScore
	var ids []string
	for _, sp := range seconds {
		second := readRealLabels(t, sp)
		first := readRealLabels(t, filepath.Join(dir, filepath.Base(sp)))
		if first.ID != second.ID {
			t.Errorf("%s: id %q, first labels say %q", sp, second.ID, first.ID)
			continue
		}
		ids = append(ids, first.ID)
		// The second labeller's declarations are scored as the reader's
		// are: against the first labeller's, traps and all.
		sdk.add(first.ID, keys(first.SDKs), keys(first.SDKTraps), keys(second.SDKs))
		perm.add(first.ID, keys(first.Permissions), keys(first.PermissionTraps), keys(second.Permissions))
		data.add(first.ID, keys(first.DataCategories), keys(first.DataTraps), keys(second.DataCategories))
		firmSDK.addFirm(first.ID, keys(first.SDKs), first.SDKTraps, keys(second.SDKs))
		firmPerm.addFirm(first.ID, keys(first.Permissions), first.PermissionTraps, keys(second.Permissions))
		firmData.addFirm(first.ID, keys(first.DataCategories), first.DataTraps, keys(second.DataCategories))
	}
	sort.Strings(ids)
	out := []string{
		fmt.Sprintf("second labeller scored against the first, %d policies (%s):", len(ids), strings.Join(ids, ", ")),
		"| field            | precision | recall | tp | fp | fn | wrongly declared traps |",
		"|------------------|-----------|--------|----|----|----|------------------------|",
		sdk.row("SDKs"), perm.row("permissions"), data.row("data categories"),
		"", "the same, the traps the first labeller marked doubtful set aside:",
		firmSDK.row("SDKs"), firmPerm.row("permissions"), firmData.row("data categories"),
	}
	t.Log("labeller agreement:\n" + strings.Join(out, "\n"))
	for _, f := range []struct {
		name string
		s    *fieldScore
	}{{"sdk", &sdk}, {"permission", &perm}, {"data", &data}} {
		for _, m := range f.s.missing {
			t.Logf("%s only in the first labels: %s", f.name, m)
		}
		for _, m := range f.s.extra {
			t.Logf("%s only in the second labels: %s", f.name, m)
		}
	}
	if sdk.tp == 0 || perm.tp == 0 || data.tp == 0 {
		t.Errorf("the two labellers share nothing: the files do not describe the same policies")
	}
}
