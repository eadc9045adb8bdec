package policy

import (
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/sdkaudit/sdkaudit/analyzer/document"
)

// TestHiddenTeamPolicy reads the team-written page that hides most of
// its disclosures: only the visible ones are declared, and a warning
// names each hidden one with its line and why it is not rendered.
func TestHiddenTeamPolicy(t *testing.T) {
	d, err := lexicon(t).Load([]string{"testdata/policies/team-zh-hidden.html"}, Limits{})
	if err != nil {
		t.Fatal(err)
	}
	perms, _, sdks, _, _, _ := ids(d)
	if diff := cmp.Diff([]string{"alipay-sdk", "amap-location", "getui-push"}, sdks); diff != "" {
		t.Errorf("SDKs (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"ACCESS_COARSE_LOCATION", "ACCESS_FINE_LOCATION", "CAMERA", "READ_EXTERNAL_STORAGE", "WRITE_EXTERNAL_STORAGE"}, perms); diff != "" {
		t.Errorf("permissions (-want +got):\n%s", diff)
	}
	const file = "testdata/policies/team-zh-hidden.html"
	for _, w := range []struct {
		line      int
		why, what string
	}{
		{20, "hidden attribute", "sdk bugly"},
		{21, "display:none", "sdk pangle-csj"},
		{22, "visibility:hidden", "sdk gdt-ylh"},
		{23, "font-size too small to read", "sdk jpush"},
		{24, "opacity:0", "sdk sensors-analytics"},
		{25, "zero height or width with overflow hidden", "sdk wechat-opensdk"},
		{26, "text colour same as its background", "sdk aliyun-number-auth"},
		{27, "display:none", "sdk weibo-sdk"},
		{28, "inside <template>", "sdk qq-connect"},
		{35, "display:none", "sdk umeng-analytics"},
		{41, "positioned off-screen", "permission android.permission.RECORD_AUDIO"},
		{42, "zero height or width with overflow hidden", "permission android.permission.READ_CONTACTS"},
		{43, "HTML comment", "permission android.permission.READ_CALENDAR"},
		{44, "text colour same as its background", "permission android.permission.READ_SMS"},
		{45, "inside a closed <dialog>", "permission android.permission.READ_PHONE_STATE"},
	} {
		prefix := fmt.Sprintf("%s%s: line %d: text not rendered (%s) would have declared ", HiddenTextPrefix, file, w.line, w.why)
		found := false
		for _, got := range d.Warnings {
			if strings.HasPrefix(got, prefix) && strings.Contains(got, w.what) {
				found = true
			}
		}
		if !found {
			t.Errorf("no warning %q…%q in:\n%s", prefix, w.what, strings.Join(d.Warnings, "\n"))
		}
	}
	if n := len(d.Warnings); n != 15 {
		t.Errorf("%d warnings, want 15:\n%s", n, strings.Join(d.Warnings, "\n"))
	}
}

// TestHiddenNotes checks what the warnings leave out: hidden text that
// declares nothing the visible text does not (a hidden duplicate of a
// visible paragraph, a commented-out tracking snippet), and documents
// whose text is all hidden, which get a warning of their own.
func TestHiddenNotes(t *testing.T) {
	lx := lexicon(t)
	doc := mustRead(t, "dup.html", `<p>我们使用友盟统计SDK统计应用使用情况。</p><div lang="en" style="display:none"><p>我们使用友盟统计SDK统计应用使用情况。</p></div><!-- analytics snippet v2 -->`)
	d := lx.Extract([]*Document{doc})
	for _, w := range d.Warnings {
		if strings.HasPrefix(w, HiddenTextPrefix) {
			t.Errorf("warning for hidden text that adds nothing: %s", w)
		}
	}
	doc = mustRead(t, "all.html", `<body style="display:none"><p>我们使用友盟统计SDK统计应用使用情况。</p></body>`)
	if len(doc.Blocks) != 0 || len(doc.Hidden) == 0 {
		t.Fatalf("all-hidden page: %d blocks, %d hidden", len(doc.Blocks), len(doc.Hidden))
	}
	d = lx.Extract([]*Document{doc})
	want := []string{
		HiddenTextPrefix + "all.html: none of the text is rendered (display:none at line 1), so the policy declares nothing",
		HiddenTextPrefix + "all.html: line 1: text not rendered (display:none) would have declared data app-usage, sdk umeng-analytics",
		"nothing was recognised in the policy: check that it is the right document",
	}
	if diff := cmp.Diff(want, d.Warnings); diff != "" {
		t.Errorf("warnings (-want +got):\n%s", diff)
	}
	// A second document's visible text covers what the first hides.
	list := mustRead(t, "list.html", `<p>我们使用友盟统计SDK统计应用使用情况。</p>`)
	d = lx.Extract([]*Document{doc, list})
	for _, w := range d.Warnings {
		if strings.Contains(w, "would have declared") {
			t.Errorf("warning for hidden text declared elsewhere: %s", w)
		}
	}
	// Many hidden blocks naming different third parties: the warnings
	// stop at maxHiddenNotes. (One item repeated is noted at most at
	// its first few lines, as evidence is.)
	var b strings.Builder
	for i := range 80 {
		fmt.Fprintf(&b, "<p hidden>合作方（杭州示例%s数据科技有限公司）会收到设备信息。</p>\n", string(rune('甲'+i)))
	}
	doc = mustRead(t, "many.html", "<p>可见。</p>\n"+b.String())
	d = lx.Extract([]*Document{doc})
	n := 0
	for _, w := range d.Warnings {
		if strings.HasPrefix(w, HiddenTextPrefix) {
			n++
		}
	}
	if n > maxHiddenNotes+1 || !strings.Contains(strings.Join(d.Warnings, "\n"), "more hidden blocks would have declared something") {
		t.Errorf("%d hidden-text warnings:\n%s", n, strings.Join(d.Warnings, "\n"))
	}
}

func mustRead(t *testing.T, name, src string) *Document {
	t.Helper()
	d, err := document.Read(name, []byte(src), Limits{})
	if err != nil {
		t.Fatal(err)
	}
	return d
}
