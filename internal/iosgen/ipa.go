package iosgen

import (
	"archive/zip"
	"bytes"
	"time"

	"howett.net/plist"
)

// File is one entry of an archive.
type File struct {
	Name   string
	Data   []byte
	Stored bool
}

// Zip writes the files in order with a fixed timestamp, so the same
// files always give the same bytes.
func Zip(files []File) []byte {
	var buf bytes.Buffer
	w := zip.NewWriter(&buf)
	stamp := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	for _, f := range files {
		h := &zip.FileHeader{Name: f.Name, Method: zip.Deflate, Modified: stamp}
		if f.Stored {
			h.Method = zip.Store
		}
		fw, err := w.CreateHeader(h)
		if err != nil {
			panic(err)
		}
		if _, err := fw.Write(f.Data); err != nil {
			panic(err)
		}
	}
	if err := w.Close(); err != nil {
		panic(err)
	}
	return buf.Bytes()
}

// Plist encodes v as a binary property list, or as XML.
func Plist(v any, binary bool) []byte {
	format := plist.XMLFormat
	if binary {
		format = plist.BinaryFormat
	}
	b, err := plist.MarshalIndent(v, format, "\t")
	if err != nil {
		panic(err)
	}
	return b
}

// Collected is one NSPrivacyCollectedDataTypes entry.
type Collected struct {
	Type     string
	Linked   bool
	Tracking bool
	Purposes []string
}

// PrivacyInfo writes a PrivacyInfo.xcprivacy (XML, as Xcode writes it).
func PrivacyInfo(tracking bool, domains []string, data []Collected, apis map[string][]string) []byte {
	d := map[string]any{"NSPrivacyTracking": tracking}
	if domains == nil {
		domains = []string{}
	}
	d["NSPrivacyTrackingDomains"] = domains
	types := []any{}
	for _, c := range data {
		types = append(types, map[string]any{
			"NSPrivacyCollectedDataType":         c.Type,
			"NSPrivacyCollectedDataTypeLinked":   c.Linked,
			"NSPrivacyCollectedDataTypeTracking": c.Tracking,
			"NSPrivacyCollectedDataTypePurposes": c.Purposes,
		})
	}
	d["NSPrivacyCollectedDataTypes"] = types
	acc := []any{}
	for _, k := range sortedKeys(apis) {
		acc = append(acc, map[string]any{"NSPrivacyAccessedAPIType": k, "NSPrivacyAccessedAPITypeReasons": apis[k]})
	}
	d["NSPrivacyAccessedAPITypes"] = acc
	return Plist(d, false)
}

func sortedKeys(m map[string][]string) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	for i := 1; i < len(out); i++ {
		for j := i; j > 0 && out[j] < out[j-1]; j-- {
			out[j], out[j-1] = out[j-1], out[j]
		}
	}
	return out
}

// Framework is an embedded framework: its binary, Info.plist and, when
// set, its privacy manifest.
type Framework struct {
	Name    string
	Version string
	Binary  []byte
	Privacy []byte
}

// Files lays the framework out under dir (Payload/X.app/Frameworks/).
func (f Framework) Files(dir string) []File {
	d := dir + f.Name + ".framework/"
	info := Plist(map[string]any{
		"CFBundleIdentifier":         "org.example." + f.Name,
		"CFBundleExecutable":         f.Name,
		"CFBundleShortVersionString": f.Version,
		"CFBundlePackageType":        "FMWK",
	}, true)
	out := []File{{Name: d + "Info.plist", Data: info}, {Name: d + f.Name, Data: f.Binary}}
	if f.Privacy != nil {
		out = append(out, File{Name: d + "PrivacyInfo.xcprivacy", Data: f.Privacy})
	}
	return out
}

// PlistBomb is a bplist00 whose top dictionary's value is array n, each
// array k holding array k-1 twice: 2^n leaves in a few hundred bytes.
func PlistBomb(n int) []byte {
	var body bytes.Buffer
	body.WriteString("bplist00")
	var offs []int
	// object 0: the key "k"
	offs = append(offs, body.Len())
	body.Write([]byte{0x51, 'k'})
	// object 1: an empty array
	offs = append(offs, body.Len())
	body.WriteByte(0xa0)
	for k := 0; k < n; k++ {
		offs = append(offs, body.Len())
		prev := byte(len(offs) - 2)
		body.Write([]byte{0xa2, prev, prev})
	}
	// top: {"k": array n}
	offs = append(offs, body.Len())
	body.Write([]byte{0xd1, 0, byte(len(offs) - 2)})
	table := body.Len()
	for _, o := range offs {
		body.Write([]byte{byte(o >> 8), byte(o)})
	}
	trailer := make([]byte, 32)
	trailer[6], trailer[7] = 2, 1
	put := func(at int, v uint64) {
		for i := 0; i < 8; i++ {
			trailer[at+7-i] = byte(v >> (8 * i))
		}
	}
	put(8, uint64(len(offs)))
	put(16, uint64(len(offs)-1))
	put(24, uint64(table))
	body.Write(trailer)
	return body.Bytes()
}
