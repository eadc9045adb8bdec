package report

import (
	"fmt"
	"strings"
	"testing"

	"github.com/sdkaudit/sdkaudit/analyzer/audit"
	"github.com/sdkaudit/sdkaudit/analyzer/inventory"
	"github.com/sdkaudit/sdkaudit/analyzer/manifest"
)

// A diff that adds hundreds of SDKs, permissions and data categories lists
// every one of them in Markdown and HTML: lists are escaped item by item,
// never cut as one string.
func TestReportsNeverCutLists(t *testing.T) {
	c := &audit.Changes{OldFile: "old.apk"}
	for i := range 300 {
		c.AddedSDKs = append(c.AddedSDKs, fmt.Sprintf("sdk-number-%03d", i))
		c.AddedPermissions = append(c.AddedPermissions, fmt.Sprintf("com.example.permission.P%03d", i))
		c.AddedDataAccess = append(c.AddedDataAccess, fmt.Sprintf("data-%03d", i))
	}
	r := &audit.Result{App: &inventory.Inventory{File: "new.apk", Status: "complete", Manifest: &manifest.Manifest{Package: "com.example"}}, Changes: c, Findings: []audit.Finding{}}
	for _, lang := range []string{"en", "zh"} {
		for _, enc := range []AuditEncoder{markdownEncoder{}, htmlEncoder{}, auditTableEncoder{}} {
			var b strings.Builder
			if err := enc.Encode(&b, r, AuditOptions{Lang: lang}); err != nil {
				t.Fatal(err)
			}
			out := b.String()
			for _, want := range []string{"sdk-number-299", "com.example.permission.P299", "data-299"} {
				if !strings.Contains(out, want) && !strings.Contains(out, strings.ReplaceAll(want, "_", "\\_")) {
					t.Errorf("%s %s: the list is cut before %s", enc.Name(), lang, want)
				}
			}
			if strings.Contains(out, "[sdk-number") {
				t.Errorf("%s %s: a list is printed as a Go slice", enc.Name(), lang)
			}
		}
	}
}
