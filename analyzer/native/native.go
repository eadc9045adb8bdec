package native

import (
	"path"
	"sort"
	"strings"
)

// Entry is the subset of a zip entry this stage needs.
type Entry struct {
	Name string
	Size uint64
}

// Lib is one shared object.
type Lib struct {
	Name string `json:"name"`
	Path string `json:"path"`
	Size uint64 `json:"size"`
}

// ABI groups the libraries under lib/<abi>/.
type ABI struct {
	ABI  string `json:"abi"`
	Libs []Lib  `json:"libs"`
}

// KnownABIs are the ABI directory names Android's installer recognises.
var KnownABIs = map[string]bool{
	"armeabi": true, "armeabi-v7a": true, "arm64-v8a": true,
	"x86": true, "x86_64": true, "mips": true, "mips64": true, "riscv64": true,
}

// List returns the libraries under lib/<abi>/*.so (what the installer
// extracts) sorted by ABI then name, and separately any other .so files in
// the archive, which only custom loaders can use and are therefore worth an
// auditor's attention.
func List(entries []Entry) (abis []ABI, elsewhere []Lib) {
	by := map[string][]Lib{}
	for _, e := range entries {
		if !strings.HasSuffix(e.Name, ".so") && !strings.Contains(path.Base(e.Name), ".so.") {
			continue
		}
		parts := strings.Split(e.Name, "/")
		if len(parts) == 3 && parts[0] == "lib" && parts[1] != "" && parts[2] != "" {
			by[parts[1]] = append(by[parts[1]], Lib{Name: parts[2], Path: e.Name, Size: e.Size})
			continue
		}
		elsewhere = append(elsewhere, Lib{Name: path.Base(e.Name), Path: e.Name, Size: e.Size})
	}
	for abi, libs := range by {
		sort.Slice(libs, func(i, j int) bool { return libs[i].Path < libs[j].Path })
		abis = append(abis, ABI{ABI: abi, Libs: libs})
	}
	sort.Slice(abis, func(i, j int) bool { return abis[i].ABI < abis[j].ABI })
	sort.Slice(elsewhere, func(i, j int) bool { return elsewhere[i].Path < elsewhere[j].Path })
	return abis, elsewhere
}
