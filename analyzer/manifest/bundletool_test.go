package manifest

import (
	"archive/zip"
	"bufio"
	"bytes"
	"fmt"
	"io"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/sdkaudit/sdkaudit/internal/testenv"
)

// The proto manifests of an App Bundle built by Android's own tools
// (fixtures/aab/bundletool, see its README), rather than by the team's
// encoder in analyzer/internal/aab.
const realBundle = "../../fixtures/aab/bundletool/install-time-permanent-modules.aab"

// bundleManifests returns each module's manifest/AndroidManifest.xml by
// module name.
func bundleManifests(t *testing.T) map[string][]byte {
	t.Helper()
	zr, err := zip.OpenReader(realBundle)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	out := map[string][]byte{}
	for _, f := range zr.File {
		module, rest, ok := strings.Cut(f.Name, "/")
		if !ok || rest != "manifest/AndroidManifest.xml" {
			continue
		}
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}
		out[module] = b
	}
	return out
}

// bundleFacts is what the test compares of one module's manifest.
type bundleFacts struct {
	Package, Split, VersionCode, VersionName, MinSDK, TargetSDK string
	Permissions, Components                                     []string
}

func factsOf(m *Manifest) bundleFacts {
	f := bundleFacts{Package: m.Package, Split: m.Split}
	if m.VersionCode != nil {
		f.VersionCode = m.VersionCode.Value
	}
	if m.VersionName != nil {
		f.VersionName = m.VersionName.Value
	}
	if m.MinSDK.Declared != nil {
		f.MinSDK = m.MinSDK.Declared.Value
	}
	if m.TargetSDK.Declared != nil {
		f.TargetSDK = m.TargetSDK.Declared.Value
	}
	for _, p := range m.Permissions {
		f.Permissions = append(f.Permissions, p.Name)
	}
	for _, c := range m.Components {
		f.Components = append(f.Components, c.Type+" "+c.Name)
	}
	sort.Strings(f.Components)
	return f
}

// TestParseProtoBundletoolAAB checks the walker on the real bundle against
// facts read by hand from protoc --decode_raw's output; it needs no tool.
func TestParseProtoBundletoolAAB(t *testing.T) {
	const pkg = "com.google.android.samples.dynamicfeatures.ondemand"
	want := map[string]bundleFacts{
		"base": {Package: pkg, VersionCode: "1", VersionName: "1.0", MinSDK: "24", TargetSDK: "28",
			// The base manifest lists the feature modules' activities
			// too: the Android Gradle plugin merges them into it.
			Components: []string{
				"activity com.google.android.play.core.common.PlayCoreDialogWrapperActivity",
				"activity com.google.android.play.core.missingsplits.PlayCoreMissingSplitsActivity",
				"activity com.google.android.samples.dynamicfeatures.InitialInstallActivity",
				"activity com.google.android.samples.dynamicfeatures.MainActivity",
				"activity com.google.android.samples.dynamicfeatures.ondemand.JavaSampleActivity",
			}},
		"assets": {Package: pkg, Split: "assets", VersionCode: "1", VersionName: "1.0", MinSDK: "24", TargetSDK: "28"},
		"initialInstall": {Package: pkg, Split: "initialInstall", VersionCode: "1", VersionName: "1.0", MinSDK: "24", TargetSDK: "28",
			Components: []string{"activity com.google.android.samples.dynamicfeatures.InitialInstallActivity"}},
		"java": {Package: pkg, Split: "java", VersionCode: "1", VersionName: "1.0", MinSDK: "24", TargetSDK: "28",
			Components: []string{"activity com.google.android.samples.dynamicfeatures.ondemand.JavaSampleActivity"}},
	}
	got := map[string]bundleFacts{}
	for module, b := range bundleManifests(t) {
		m, err := ParseProto(b, Limits{})
		if err != nil {
			t.Fatalf("%s: %v", module, err)
		}
		got[module] = factsOf(m)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("module manifests (-want +got):\n%s", diff)
	}
}

// TestParseProtoAgainstProtoc decodes every module manifest of the real
// bundle with protoc --decode_raw, an independent protobuf decoder, reads
// aapt2's XmlNode tree from its output and compares the facts of both.
func TestParseProtoAgainstProtoc(t *testing.T) {
	protoc := testenv.Tool(t, "protoc", "apt-get install protobuf-compiler")
	manifests := bundleManifests(t)
	if len(manifests) != 4 {
		t.Fatalf("%d module manifests in %s, want 4", len(manifests), filepath.Base(realBundle))
	}
	for module, b := range manifests {
		cmd := exec.Command(protoc, "--decode_raw")
		cmd.Stdin = bytes.NewReader(b)
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("%s: protoc: %v", module, err)
		}
		root, err := parseDecodeRaw(out)
		if err != nil {
			t.Fatalf("%s: %v", module, err)
		}
		el := root.msg(1) // XmlNode.element
		if el == nil {
			t.Fatalf("%s: no root element in protoc's output", module)
		}
		want := factsFromTree(el)
		ours, err := ParseProto(b, Limits{})
		if err != nil {
			t.Fatalf("%s: %v", module, err)
		}
		if diff := cmp.Diff(want, factsOf(ours)); diff != "" {
			t.Errorf("%s: protoc (-) and ParseProto (+) disagree:\n%s", module, diff)
		}
	}
}

// rawMsg is a message as protoc --decode_raw prints it: each field number
// with its values in order, a string or a nested message each.
type rawMsg struct {
	fields []rawField
}

type rawField struct {
	num int
	str string
	msg *rawMsg
}

func (m *rawMsg) msg(num int) *rawMsg {
	for _, f := range m.fields {
		if f.num == num && f.msg != nil {
			return f.msg
		}
	}
	return nil
}

func (m *rawMsg) all(num int) []*rawMsg {
	var out []*rawMsg
	for _, f := range m.fields {
		if f.num == num && f.msg != nil {
			out = append(out, f.msg)
		}
	}
	return out
}

func (m *rawMsg) str(num int) string {
	for _, f := range m.fields {
		if f.num == num && f.msg == nil {
			return f.str
		}
	}
	return ""
}

var rawLine = regexp.MustCompile(`^\s*(\d+)(?:: (.*)| \{)$`)

// parseDecodeRaw reads protoc --decode_raw's text: "N: value" and
// "N {" … "}" lines. Strings come C-escaped in double quotes.
func parseDecodeRaw(out []byte) (*rawMsg, error) {
	root := &rawMsg{}
	stack := []*rawMsg{root}
	sc := bufio.NewScanner(bytes.NewReader(out))
	sc.Buffer(make([]byte, 1<<20), 16<<20)
	for sc.Scan() {
		line := sc.Text()
		if strings.TrimSpace(line) == "}" {
			if len(stack) == 1 {
				return nil, fmt.Errorf("unbalanced } in protoc's output")
			}
			stack = stack[:len(stack)-1]
			continue
		}
		m := rawLine.FindStringSubmatch(line)
		if m == nil {
			return nil, fmt.Errorf("unexpected protoc line %q", line)
		}
		num, _ := strconv.Atoi(m[1])
		top := stack[len(stack)-1]
		if !strings.HasSuffix(line, "{") || strings.Contains(line, ":") {
			v := m[2]
			if strings.HasPrefix(v, `"`) {
				s, err := strconv.Unquote(strings.ReplaceAll(v, `\'`, `'`))
				if err != nil {
					return nil, fmt.Errorf("protoc string %s: %v", v, err)
				}
				v = s
			}
			top.fields = append(top.fields, rawField{num: num, str: v})
			continue
		}
		child := &rawMsg{}
		top.fields = append(top.fields, rawField{num: num, msg: child})
		stack = append(stack, child)
	}
	if len(stack) != 1 {
		return nil, fmt.Errorf("unclosed message in protoc's output")
	}
	return root, sc.Err()
}

// factsFromTree reads the facts from aapt2's XmlElement tree (Resources.proto:
// element name 3, attribute 4 with name 2 and value 3, child node 5 whose
// element is 1).
func factsFromTree(manifest *rawMsg) bundleFacts {
	attr := func(el *rawMsg, name string) string {
		for _, a := range el.all(4) {
			if a.str(2) == name {
				return a.str(3)
			}
		}
		return ""
	}
	children := func(el *rawMsg) []*rawMsg {
		var out []*rawMsg
		for _, n := range el.all(5) {
			if c := n.msg(1); c != nil {
				out = append(out, c)
			}
		}
		return out
	}
	f := bundleFacts{
		Package:     attr(manifest, "package"),
		Split:       attr(manifest, "split"),
		VersionCode: attr(manifest, "versionCode"),
		VersionName: attr(manifest, "versionName"),
	}
	for _, c := range children(manifest) {
		switch c.str(3) {
		case "uses-sdk":
			f.MinSDK, f.TargetSDK = attr(c, "minSdkVersion"), attr(c, "targetSdkVersion")
		case "uses-permission":
			f.Permissions = append(f.Permissions, attr(c, "name"))
		case "application":
			for _, comp := range children(c) {
				switch kind := comp.str(3); kind {
				case "activity", "activity-alias", "service", "receiver", "provider":
					f.Components = append(f.Components, kind+" "+attr(comp, "name"))
				}
			}
		}
	}
	sort.Strings(f.Components)
	return f
}
