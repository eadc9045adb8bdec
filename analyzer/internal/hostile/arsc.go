package hostile

import "encoding/binary"

// RefCycle returns a resources.arsc with one package (0x7f) holding one
// type whose entry 0 is, in each of configs configurations, a reference
// to itself (@0x7f010000): the cycle a resource-following reader must not
// walk without a bound.
func RefCycle(configs int) []byte {
	self := uint32(0x7f010000)
	typeStrings := stringPool16([]string{"drawable"})
	keyStrings := stringPool16([]string{"icon"})

	const pkgHdr = 288 // chunk header, id, name[128], four offsets, typeIdOffset
	var body []byte
	// type spec: id 1, one entry.
	spec := le32(le16(le16(nil, 0x0202), 16), 16+4)
	spec = append(spec, 1, 0, 0, 0)
	spec = le32(spec, 1)
	spec = le32(spec, 0)
	body = append(body, spec...)
	for i := 0; i < configs; i++ {
		const hdr = 20 + 64 // header fields and a 64-byte config
		t := le32(le16(le16(nil, 0x0201), hdr), hdr+4+16)
		t = append(t, 1, 0, 0, 0)
		t = le32(t, 1)     // entry count
		t = le32(t, hdr+4) // entries start
		cfg := make([]byte, 64)
		binary.LittleEndian.PutUint32(cfg, 64)
		cfg[4] = byte(i) // distinct mcc so the configs differ
		t = append(t, cfg...)
		t = le32(t, 0) // index of entry 0
		// entry: size 8, flags 0, key 0, then Res_value reference.
		t = le32(le16(le16(t, 8), 0), 0)
		t = le16(t, 8)
		t = append(t, 0, TypeReference)
		t = le32(t, self)
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

	global := stringPool16(nil)
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
