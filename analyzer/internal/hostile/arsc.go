package hostile

import "encoding/binary"

// RefCycle returns a resources.arsc with one package (0x7f) holding one
// type whose entry 0 is, in each of configs configurations, a reference
// to itself (@0x7f010000): the cycle a resource-following reader must not
// walk without a bound.
func RefCycle(configs int) []byte {
	return ResTable([]ResValue{{Type: TypeReference, Data: 0x7f010000}}, configs)
}

// ResValue is one entry of ResTable: a reference or integer (Data), or a
// string (Str, stored in the table's global pool).
type ResValue struct {
	Type uint8
	Data uint32
	Str  string
}

// ResTable returns a resources.arsc whose package 0x7f has one type
// (0x7f01xxxx) holding values in order, each in configs configurations.
func ResTable(values []ResValue, configs int) []byte {
	var globals []string
	typeStrings := stringPool16([]string{"drawable"})
	keyStrings := stringPool16([]string{"key"})
	n := uint32(len(values))

	const pkgHdr = 288 // chunk header, id, name[128], four offsets, typeIdOffset
	var body []byte
	// type spec: id 1, n entries.
	spec := le32(le16(le16(nil, 0x0202), 16), 16+4*n)
	spec = append(spec, 1, 0, 0, 0)
	spec = le32(spec, n)
	for range n {
		spec = le32(spec, 0)
	}
	body = append(body, spec...)
	for i := 0; i < configs; i++ {
		const hdr = 20 + 64 // header fields and a 64-byte config
		t := le32(le16(le16(nil, 0x0201), hdr), hdr+4*n+16*n)
		t = append(t, 1, 0, 0, 0)
		t = le32(t, n)       // entry count
		t = le32(t, hdr+4*n) // entries start
		cfg := make([]byte, 64)
		binary.LittleEndian.PutUint32(cfg, 64)
		cfg[4] = byte(i) // distinct mcc so the configs differ
		t = append(t, cfg...)
		for k := range n {
			t = le32(t, 16*k) // entry k's offset
		}
		for _, v := range values {
			// entry: size 8, flags 0, key 0, then the Res_value.
			t = le32(le16(le16(t, 8), 0), 0)
			t = le16(t, 8)
			t = append(t, 0, v.Type)
			data := v.Data
			if v.Type == TypeString {
				data = uint32(len(globals))
				globals = append(globals, v.Str)
			}
			t = le32(t, data)
		}
		body = append(body, t...)
	}
	pkg := le32(le16(le16(nil, 0x0200), pkgHdr), uint32(pkgHdr+len(typeStrings)+len(keyStrings)+len(body)))
	pkg = le32(pkg, 0x7f)
	name := make([]byte, 256)
	for i, c := range "com.example" {
		name[2*i] = byte(c)
	}
	pkg = append(pkg, name...)
	pkg = le32(pkg, pkgHdr)                          // type strings
	pkg = le32(pkg, 0)                               // last public type
	pkg = le32(pkg, uint32(pkgHdr+len(typeStrings))) // key strings
	pkg = le32(pkg, 0)                               // last public key
	pkg = le32(pkg, 0)                               // type id offset
	pkg = append(pkg, typeStrings...)
	pkg = append(pkg, keyStrings...)
	pkg = append(pkg, body...)

	global := stringPool16(globals)
	total := 12 + len(global) + len(pkg)
	out := le32(le16(le16(nil, 0x0002), 12), uint32(total))
	out = le32(out, 1)
	out = append(out, global...)
	return append(out, pkg...)
}

func stringPool16(strs []string) []byte {
	w := &axml{strs: strs}
	return w.pool()
}
