package report

import (
	"strings"
	"testing"

	"github.com/sdkaudit/sdkaudit/analyzer/audit"
	"github.com/sdkaudit/sdkaudit/analyzer/detect"
	"github.com/sdkaudit/sdkaudit/rules"
)

// cellText is a cell's text without markup.
func cellText(c cell) string {
	var b strings.Builder
	for _, s := range c {
		b.WriteString(s.text)
	}
	return b.String()
}

// A rule that records why no policy link exists gets a short "none
// published" cell in both languages; the recorded reason (which names
// repositories searched) never reaches a row meant to be pasted into a
// policy. A rule with a link still shows the link.
func TestSDKLinksNoPublicPolicy(t *testing.T) {
	db, err := rules.Embedded()
	if err != nil {
		t.Fatal(err)
	}
	var none, linked *rules.SDK
	for i := range db.SDKs {
		s := &db.SDKs[i]
		v, _ := db.Vendor(s.Vendor)
		switch {
		case none == nil && s.PolicyURL == "" && v != nil && v.PrivacyURLNone != "":
			none = s
		case linked == nil && s.PolicyURL != "":
			linked = s
		}
	}
	if none == nil || linked == nil {
		t.Fatal("the embedded rules have no SDK whose vendor records a missing link, or none with a link")
	}
	status := func(s *rules.SDK) audit.SDKStatus {
		return audit.SDKStatus{Detection: detect.Detection{ID: s.ID, Vendor: s.Vendor}}
	}
	v, _ := db.Vendor(none.Vendor)
	for _, zh := range []bool{false, true} {
		n := namer{zh: zh, db: db}
		policy, _ := sdkLinks(n, db, status(none))
		got := cellText(policy)
		want := n.L("none published; ask the vendor", "未公开，请向厂商索取")
		if got != want {
			t.Errorf("zh=%v: %s policy cell %q, want %q", zh, none.ID, got, want)
		}
		if strings.Contains(got, v.PrivacyURLNone) {
			t.Errorf("zh=%v: the recorded reason leaked into the draft row", zh)
		}
		policy, _ = sdkLinks(n, db, status(linked))
		if len(policy) == 0 || policy[0].href != linked.PolicyURL {
			t.Errorf("zh=%v: %s policy cell %+v, want a link to %s", zh, linked.ID, policy, linked.PolicyURL)
		}
	}
}
