package rules

import (
	"sort"
	"testing"
)

// minLinkedSDKs is how many SDK rules that handle personal information
// have a privacy-policy link, their own or their vendor's, so a draft row
// of the policy's SDK list can carry it. It only goes up: raise it when
// links are added.
const minLinkedSDKs = 481

// Every SDK rule that handles personal information should have a
// privacy-policy link for the draft rows of reports; the validator checks
// that each link has its source. This measures how many do and names the
// vendors still without one.
func TestSDKPrivacyLinks(t *testing.T) {
	db, err := Embedded()
	if err != nil {
		t.Fatal(err)
	}
	linked, total := 0, 0
	missing := map[string]int{}
	for _, s := range db.SDKs {
		if s.Kind != KindSDK {
			continue
		}
		total++
		v, _ := db.Vendor(s.Vendor)
		if s.PolicyURL != "" || (v != nil && v.PrivacyURL != "") {
			linked++
			continue
		}
		missing[s.Vendor]++
	}
	var names []string
	for v := range missing {
		names = append(names, v)
	}
	sort.Strings(names)
	t.Logf("%d of %d personal-data SDK rules have a privacy-policy link (own or vendor's); vendors without one: %v", linked, total, names)
	if linked < minLinkedSDKs {
		t.Errorf("%d SDK rules with a privacy-policy link, want at least %d", linked, minLinkedSDKs)
	}
}
