package manifest

import (
	"strings"
	"testing"
)

func FuzzParse(f *testing.F) {
	f.Add(buildAXML(sampleManifest(), false, false), []byte(nil))
	f.Add(buildAXML(sampleManifest(), true, false), []byte(nil))
	f.Add(buildAXML(sampleManifest(), true, true), []byte(nil))
	f.Fuzz(func(t *testing.T, axml, arsc []byte) {
		var res *Resources
		if len(arsc) > 0 {
			res, _ = ParseResources(arsc, Limits{MaxStringTableBytes: 1 << 20})
		}
		m, err := Parse(axml, res, Limits{MaxStringTableBytes: 1 << 20})
		if err == nil && m == nil {
			t.Fatal("nil manifest without error")
		}
	})
}

// FuzzParseProto's seeds in testdata/fuzz/FuzzParseProto are the protobuf
// manifests of the fixture APKs as aab.FromAPK writes them
// (TestWriteProtoSeeds regenerates them with SDKAUDIT_WRITE_SEEDS=1).
func FuzzParseProto(f *testing.F) {
	f.Fuzz(func(t *testing.T, pb []byte) {
		m, err := ParseProto(pb, Limits{MaxElements: 5000})
		if err == nil && m == nil {
			t.Fatal("nil manifest without error")
		}
		if err != nil && !strings.HasPrefix(err.Error(), "manifest: proto xml: ") {
			t.Fatalf("error without stage prefix: %v", err)
		}
	})
}
