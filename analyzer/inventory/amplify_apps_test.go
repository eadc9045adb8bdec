package inventory

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	gen "github.com/sdkaudit/sdkaudit/analyzer/internal/hostile"
)

// TestWriteAmplifyApps writes the reported amplification shapes as APKs,
// for measuring a build of the command line on them (the figures in
// docs/robustness.md, "Amplification in DEX, manifest and reports"):
//
//	AMPLIFY_APPS=/tmp/amp AMPLIFY_SCALE=0.02 go test -run TestWriteAmplifyApps ./analyzer/inventory/
//	/usr/bin/time -v sdkaudit scan --format json /tmp/amp/dexnames.apk
//
// AMPLIFY_SCALE shrinks the repeat counts (1 is the reported size), so an
// old build can be measured without exhausting the machine.
func TestWriteAmplifyApps(t *testing.T) {
	dir := os.Getenv("AMPLIFY_APPS")
	if dir == "" {
		t.Skip("set AMPLIFY_APPS to a directory to write the apps")
	}
	scale := 1.0
	if s := os.Getenv("AMPLIFY_SCALE"); s != "" {
		var err error
		if scale, err = strconv.ParseFloat(s, 64); err != nil {
			t.Fatal(err)
		}
	}
	n := func(k int) int { return max(1, int(float64(k)*scale)) }
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	write := func(name string, entries ...gen.Entry) {
		f, err := os.Create(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		if err := gen.WriteZip(f, entries...); err != nil {
			t.Fatal(err)
		}
		f.Close()
	}
	manifest := func(m *gen.Element) gen.Entry { return gen.Entry{Name: "AndroidManifest.xml", Data: gen.AXML(m)} }
	plain := manifest(gen.Manifest("com.example.app"))
	mega := strings.Repeat("x", 1<<20)
	rep := func(k int, e *gen.Element) []*gen.Element {
		out := make([]*gen.Element, k)
		for i := range out {
			out[i] = e
		}
		return out
	}

	// One 1 MB method name behind 20,000 call sites.
	d := gen.Dex{
		Strings: []string{"Landroid/telephony/TelephonyManager;", "LA;", "V", "getDeviceId", mega},
		Types:   []uint32{0, 1, 2},
		Protos:  []gen.Proto{{Shorty: 2, Return: 2}},
		Methods: []gen.Member{{Class: 0, Proto: 0, Name: 3}, {Class: 1, Proto: 0, Name: 4}},
		Code:    [][]uint16{gen.Invoke(0)},
	}
	ms := make([]gen.Method, n(20000))
	for i := range ms {
		ms[i] = gen.Method{ID: 1, Code: 0}
	}
	d.Classes = []gen.Class{{Type: 1, Methods: ms}}
	write("dexnames.apk", plain, gen.Entry{Name: "classes.dex", Data: d.Build()})

	write("qualify.apk", manifest(gen.Manifest("p"+mega, rep(n(5000), &gen.Element{Name: "activity", Attrs: []gen.Attr{gen.A("name", gen.AttrName, ".A")}})...)))

	attrs := make([]gen.Attr, n(3000))
	name := "a " + mega
	for i := range attrs {
		attrs[i] = gen.Attr{Name: name, Type: gen.TypeIntDec, Data: 1}
	}
	write("attrnames.apk", manifest(gen.Manifest("com.example.app", &gen.Element{Name: "meta-data", Attrs: attrs})))

	perms := gen.Manifest("com.example.app")
	perms.Children = append(perms.Children, rep(n(2000), &gen.Element{Name: "uses-permission", Attrs: []gen.Attr{gen.A("name", gen.AttrName, "android.permission."+mega)}})...)
	write("permissions.apk", manifest(perms))

	write("authorities.apk", manifest(gen.Manifest("com.example.app", rep(16, &gen.Element{Name: "provider",
		Attrs: []gen.Attr{gen.A("name", gen.AttrName, ".P"), gen.A("authorities", gen.AttrAuthorities, strings.Repeat(";", n(1_000_000)))}})...)))

	icons := make([]gen.Attr, n(2000))
	for i := range icons {
		icons[i] = gen.Attr{Name: "icon", ResID: gen.AttrIcon, Android: true, Type: gen.TypeReference, Data: 0x7f010000}
	}
	m := gen.Manifest("com.example.app")
	m.Children[1].Attrs = icons
	write("icons.apk", manifest(m), gen.Entry{Name: "resources.arsc", Data: gen.RefCycle(256)})

	cd := gen.Dex{Strings: []string{"Lcom/umeng/analytics/MobclickAgentPaddingPaddingPadding;"}, Types: []uint32{0},
		Classes: []gen.Class{{Type: 0}}, RepeatClasses: n(2_000_000), NoisyFlags: true}
	one := gen.Deflated("classes.dex", cd.Build())
	entries := []gen.Entry{plain}
	for i := 1; i <= 16; i++ {
		entry := "classes.dex"
		if i > 1 {
			entry = fmt.Sprintf("classes%d.dex", i)
		}
		entries = append(entries, one.Renamed(entry))
	}
	write("classdefs.apk", entries...)

	a := gen.Dex{Version: 41, Strings: []string{"Lcom/example/app/Main;"}, Types: []uint32{0}, Classes: []gen.Class{{Type: 0}}}.Build()
	b := gen.Dex{Version: 41, Strings: []string{"Lcom/igexin/sdk/PushManager;"}, Types: []uint32{0}, Classes: []gen.Class{{Type: 0}}}.BuildAt(uint32(len(a)))
	write("container.apk", plain, gen.Entry{Name: "classes.dex", Data: gen.Container(a, b)})

	// Two apps of two DEX files of AMPLIFY_BIGDEX_MB each (default 200).
	mb := 200
	if s := os.Getenv("AMPLIFY_BIGDEX_MB"); s != "" {
		mb, _ = strconv.Atoi(s)
	}
	big := gen.Deflated("classes.dex", padDex(mb<<20))
	for _, app := range []string{"big1.apk", "big2.apk"} {
		write(app, plain, big.Renamed("classes.dex"), big.Renamed("classes2.dex"))
	}
}
