package report

import (
	"strings"
	"testing"

	"github.com/mattn/go-runewidth"
)

// With a width, every line of a table report fits in it, in English and
// Chinese, and no text is lost but what is cut with a marker.
func TestTablesFitTheWidth(t *testing.T) {
	r := sarifTestResult()
	r.Findings[0].Message = strings.Repeat("a long message about an undisclosed SDK ", 8) + "com.igexin.sdk.PushManager.listInstalledPackages"
	for _, lang := range []string{"en", "zh"} {
		for _, cols := range []int{60, 80, 120} {
			var b strings.Builder
			if err := (auditTableEncoder{}).Encode(WithWidth(&b, cols), r, AuditOptions{ToolVersion: "t", Lang: lang}); err != nil {
				t.Fatal(err)
			}
			for i, line := range strings.Split(b.String(), "\n") {
				if w := runewidth.StringWidth(line); w > cols {
					t.Errorf("%s, %d columns: line %d is %d wide: %q", lang, cols, i+1, w, line)
				}
			}
		}
	}
	var b strings.Builder
	if err := (auditTableEncoder{}).Encode(&b, r, AuditOptions{ToolVersion: "t"}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.String(), "com.igexin.sdk.PushManager.listInstalledPackages") {
		t.Error("without a width, cells are not kept whole")
	}
}
