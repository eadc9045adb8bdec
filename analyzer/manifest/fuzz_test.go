package manifest

import "testing"

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
