package rules

import (
	"errors"
	"sort"
	"strings"
	"testing"
)

// minLinkedSDKs is how many SDK rules that handle personal information
// have a privacy-policy link, their own or their vendor's, so a draft row
// of the policy's SDK list can carry it. It only goes up: raise it when
// links are added.
const minLinkedSDKs = 506

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

// Every SDK rule that handles personal information has a link or a
// recorded reason why none could be found (policy_url_none on the SDK,
// privacy_url_none on its vendor): a new rule with neither fails here, so
// a missing link is always a finding someone wrote down, never silence.
func TestSDKPrivacyLinkOrReason(t *testing.T) {
	db, err := Embedded()
	if err != nil {
		t.Fatal(err)
	}
	var silent []string
	reasons := 0
	for _, s := range db.SDKs {
		if s.Kind != KindSDK {
			continue
		}
		v, _ := db.Vendor(s.Vendor)
		switch {
		case s.PolicyURL != "" || (v != nil && v.PrivacyURL != ""):
		case s.PolicyURLNone != "" || (v != nil && v.PrivacyURLNone != ""):
			reasons++
		default:
			silent = append(silent, s.ID+" ("+s.Vendor+")")
		}
	}
	t.Logf("%d personal-data SDK rules carry a reason instead of a link", reasons)
	if len(silent) > 0 {
		t.Errorf("%d personal-data SDK rules have neither a privacy-policy link nor a recorded reason (policy_url_none / the vendor's privacy_url_none): %s",
			len(silent), strings.Join(silent, ", "))
	}
}

// The validator treats a reason for a missing link as a claim to check:
// never beside the link, never a bare word, never an address, and not on
// an SDK whose vendor's link the draft row would show anyway.
func TestValidateLinkReasons(t *testing.T) {
	db := &DB{
		Version: "2026.11.28-1",
		Vendors: []Vendor{
			{ID: "acme", Brand: Text{EN: "Acme"}, Note: "n",
				PrivacyURL: "https://acme.example/privacy", PrivacyURLSource: "its site", PrivacyURLNone: "no public policy found anywhere"},
			{ID: "gone", Brand: Text{EN: "Gone"}, Note: "n", PrivacyURLNone: "none"},
			{ID: "fine", Brand: Text{EN: "Fine"}, Note: "n", PrivacyURLNone: "vendor closed in 2019; no archived policy found"},
		},
		SDKs: []SDK{
			{ID: "a-sdk", Name: Text{EN: "a"}, Vendor: "acme", Category: "push", Kind: KindSDK, Confidence: "high", Note: "n",
				PolicyURLNone: "module of a parent without its own policy"},
			{ID: "g-sdk", Name: Text{EN: "g"}, Vendor: "gone", Category: "push", Kind: KindSDK, Confidence: "high", Note: "n",
				PolicyURLNone: "see https://gone.example/p for it"},
			{ID: "f-sdk", Name: Text{EN: "f"}, Vendor: "fine", Category: "push", Kind: KindSDK, Confidence: "high", Note: "n"},
		},
	}
	db.finish()
	err := errors.Join(Validate(db)...)
	if err == nil {
		t.Fatal("Validate found nothing")
	}
	for _, want := range []string{
		`vendor "acme": privacy_url_none beside privacy_url`,
		`vendor "gone": privacy_url_none "none" does not say why`,
		`sdk "a-sdk": policy_url_none while vendor "acme" has a privacy_url`,
		`sdk "g-sdk": policy_url_none holds an address`,
	} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("Validate did not report %q in:\n%v", want, err)
		}
	}
	if strings.Contains(err.Error(), `"fine"`) || strings.Contains(err.Error(), `"f-sdk"`) {
		t.Errorf("a well-formed reason was reported:\n%v", err)
	}
}
