package aab

import "google.golang.org/protobuf/encoding/protowire"

// The encoder writes aapt.pb.XmlNode (aapt2's Resources.proto) the way
// aapt2 converts a linked manifest: the attribute's text in value, its
// resource ID, and the typed value in compiled_item.

func bytesField(b []byte, num protowire.Number, v []byte) []byte {
	b = protowire.AppendTag(b, num, protowire.BytesType)
	return protowire.AppendBytes(b, v)
}

func strField(b []byte, num protowire.Number, s string) []byte {
	if s == "" {
		return b // proto3 leaves default values out
	}
	b = protowire.AppendTag(b, num, protowire.BytesType)
	return protowire.AppendString(b, s)
}

func varintField(b []byte, num protowire.Number, v uint64) []byte {
	if v == 0 {
		return b
	}
	b = protowire.AppendTag(b, num, protowire.VarintType)
	return protowire.AppendVarint(b, v)
}

// encodeNode writes an XmlNode. Recursion is fine here: the input is our
// own fixtures, already decoded into a tree.
func encodeNode(n *xmlNode) []byte {
	if n.isText {
		var b []byte
		b = protowire.AppendTag(b, 2, protowire.BytesType)
		return protowire.AppendString(b, n.text)
	}
	var el []byte
	for _, d := range n.nsDecls {
		var x []byte
		x = strField(x, 1, d.prefix)
		x = strField(x, 2, d.uri)
		el = bytesField(el, 1, x)
	}
	el = strField(el, 2, n.ns)
	el = strField(el, 3, n.name)
	for _, a := range n.attrs {
		el = bytesField(el, 4, encodeAttr(a))
	}
	for _, c := range n.children {
		el = bytesField(el, 5, encodeNode(c))
	}
	return bytesField(nil, 1, el)
}

func encodeAttr(a xmlAttr) []byte {
	var b []byte
	b = strField(b, 1, a.ns)
	b = strField(b, 2, a.name)
	b = strField(b, 3, a.raw)
	b = varintField(b, 5, uint64(a.resID))
	if item := encodeItem(a); item != nil {
		b = bytesField(b, 6, item)
	}
	return b
}

// encodeItem maps a Res_value to the Item oneof; nil leaves compiled_item
// out, as aapt2 does for values it keeps only as text.
func encodeItem(a xmlAttr) []byte {
	prim := func(num protowire.Number, typ protowire.Type, v uint64) []byte {
		var p []byte
		p = protowire.AppendTag(p, num, typ)
		switch typ {
		case protowire.Fixed32Type:
			p = protowire.AppendFixed32(p, uint32(v))
		case protowire.BytesType:
			p = protowire.AppendBytes(p, nil)
		default:
			p = protowire.AppendVarint(p, v)
		}
		return bytesField(nil, 7, p)
	}
	ref := func(attr, dynamic bool) []byte {
		var r []byte
		if attr {
			r = varintField(r, 1, 1) // Reference.Type ATTRIBUTE
		}
		r = varintField(r, 2, uint64(a.data))
		if dynamic {
			r = bytesField(r, 5, varintField(nil, 1, 1)) // is_dynamic: Boolean{true}
		}
		return bytesField(nil, 1, r)
	}
	switch a.typ {
	case typeString:
		return bytesField(nil, 2, strField(nil, 1, a.raw))
	case typeRef:
		return ref(false, false)
	case typeAttr:
		return ref(true, false)
	case typeDynRef:
		return ref(false, true)
	case typeDynAttr:
		return ref(true, true)
	case typeNull:
		if a.data == 1 {
			return prim(2, protowire.BytesType, 0)
		}
		return prim(1, protowire.BytesType, 0)
	case typeFloat:
		return prim(3, protowire.Fixed32Type, uint64(a.data))
	case typeDimension:
		return prim(13, protowire.VarintType, uint64(a.data))
	case typeFraction:
		return prim(14, protowire.VarintType, uint64(a.data))
	case typeIntDec:
		// int32 fields are sign-extended to 64 bits on the wire.
		return prim(6, protowire.VarintType, uint64(int64(int32(a.data))))
	case typeIntHex:
		return prim(7, protowire.VarintType, uint64(a.data))
	case typeBool:
		var v uint64
		if a.data != 0 {
			v = 1
		}
		return prim(8, protowire.VarintType, v)
	case typeARGB8, typeRGB8, typeARGB4, typeRGB4:
		return prim(protowire.Number(9+a.typ-typeARGB8), protowire.VarintType, uint64(a.data))
	}
	return nil
}
