package manifest

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"

	"google.golang.org/protobuf/encoding/protowire"
)

// WireError is malformed protobuf in a proto manifest. Offset is the byte
// offset into the input of the field (or length) that is wrong, so a report
// can point at the exact spot of a crafted file.
type WireError struct {
	Offset int
	Msg    string
	// Err is ErrTruncated when the data ends inside a field or a length
	// runs past its enclosing message, nil otherwise.
	Err error
}

func (e *WireError) Error() string {
	if e.Err != nil {
		return fmt.Sprintf("%v at offset %d: %s", e.Err, e.Offset, e.Msg)
	}
	return fmt.Sprintf("bad protobuf at offset %d: %s", e.Offset, e.Msg)
}
func (e *WireError) Unwrap() error { return e.Err }

var errTooLarge = errors.New("document exceeds the size limit")

// Field numbers of aapt2's Resources.proto that the walker reads.
const (
	fNodeElement = 1 // XmlNode.element
	fNodeText    = 2 // XmlNode.text

	fElemName  = 3 // XmlElement.name
	fElemAttr  = 4 // XmlElement.attribute
	fElemChild = 5 // XmlElement.child

	fAttrNS       = 1 // XmlAttribute.namespace_uri
	fAttrName     = 2
	fAttrValue    = 3
	fAttrResID    = 5
	fAttrCompiled = 6

	fItemRef    = 1
	fItemStr    = 2
	fItemRawStr = 3
	fItemStyled = 4
	fItemFile   = 5
	fItemID     = 6
	fItemPrim   = 7

	fRefType    = 1
	fRefID      = 2
	fRefDynamic = 5 // Boolean{value = 1}
)

// androidAttrNames names android: attributes by resource ID, as Android
// reads them. It holds exactly the attributes build reads that apkparser's
// own table also knows, so both decoding paths name an attribute the same
// way; the three build reads that apkparser lacks (versionCodeMajor,
// usesPermissionFlags, networkSecurityConfig) are named by their string in
// both paths.
var androidAttrNames = map[uint32]string{
	0x01010003: "name",
	0x01010006: "permission",
	0x01010009: "protectionLevel",
	0x0101000a: "permissionGroup",
	0x0101000b: "sharedUserId",
	0x0101000c: "hasCode",
	0x0101000e: "enabled",
	0x0101000f: "debuggable",
	0x01010010: "exported",
	0x01010011: "process",
	0x01010018: "authorities",
	0x01010024: "value",
	0x01010025: "resource",
	0x01010027: "scheme",
	0x01010028: "host",
	0x01010202: "targetActivity",
	0x0101020c: "minSdkVersion",
	0x0101021b: "versionCode",
	0x0101021c: "versionName",
	0x01010270: "targetSdkVersion",
	0x01010271: "maxSdkVersion",
	0x01010280: "allowBackup",
	0x01010281: "glEsVersion",
	0x0101028e: "required",
	0x010104ec: "usesCleartextTraffic",
}

// ParseProto decodes the protobuf manifest of an Android App Bundle
// (base/manifest/AndroidManifest.xml, an aapt.pb.XmlNode) into the same
// Manifest that Parse gives for the binary manifest of the equivalent APK.
// References stay unresolved: Value equals Reference.
func ParseProto(pb []byte, lim Limits) (*Manifest, error) {
	lim = lim.withDefaults()
	root, err := decodeProto(pb, lim)
	if err != nil {
		return nil, err
	}
	return build(root, &buildCtx{text: lim.Text})
}

// span is a byte range [s, e) of the input.
type span struct{ s, e int }

type protoField struct {
	num protowire.Number
	typ protowire.Type
	at  int    // offset of the tag
	v   uint64 // varint or fixed value
	b   span   // contents of a length-delimited field
}

type protoDecoder struct {
	in       []byte
	lim      Limits
	elements int
	attrs    int
}

func protoErr(err error) error { return &Error{What: "proto xml", Err: err} }

func decodeProto(pb []byte, lim Limits) (*node, error) {
	if int64(len(pb)) > lim.MaxProtoBytes {
		return nil, protoErr(fmt.Errorf("%w: %d bytes, limit %d", errTooLarge, len(pb), lim.MaxProtoBytes))
	}
	if trimmed := bytes.TrimLeft(pb, "\xef\xbb\xbf \t\r\n"); bytes.HasPrefix(trimmed, []byte("<")) {
		return nil, protoErr(ErrPlainText)
	}
	d := &protoDecoder{in: pb, lim: lim}
	root, err := d.walk()
	if err != nil {
		return nil, protoErr(err)
	}
	if root == nil {
		return nil, protoErr(fmt.Errorf("%w: no elements decoded from %d bytes", ErrTruncated, len(pb)))
	}
	if root.name != "manifest" {
		return nil, protoErr(fmt.Errorf("%w: found <%s>", ErrNoRoot, root.name))
	}
	return root, nil
}

// next reads the field at pos inside a message ending at end. Unknown
// groups are skipped here too, so callers only see complete fields.
func (d *protoDecoder) next(pos, end int) (protoField, int, error) {
	f := protoField{at: pos}
	num, typ, n := protowire.ConsumeTag(d.in[pos:end])
	if n < 0 {
		return f, 0, d.wireErr(pos, "tag", n)
	}
	f.num, f.typ = num, typ
	p := pos + n
	switch typ {
	case protowire.VarintType:
		v, n := protowire.ConsumeVarint(d.in[p:end])
		if n < 0 {
			return f, 0, d.wireErr(p, fmt.Sprintf("varint of field %d", num), n)
		}
		f.v, p = v, p+n
	case protowire.Fixed32Type:
		v, n := protowire.ConsumeFixed32(d.in[p:end])
		if n < 0 {
			return f, 0, d.wireErr(p, fmt.Sprintf("fixed32 of field %d", num), n)
		}
		f.v, p = uint64(v), p+n
	case protowire.Fixed64Type:
		v, n := protowire.ConsumeFixed64(d.in[p:end])
		if n < 0 {
			return f, 0, d.wireErr(p, fmt.Sprintf("fixed64 of field %d", num), n)
		}
		f.v, p = v, p+n
	case protowire.BytesType:
		l, n := protowire.ConsumeVarint(d.in[p:end])
		if n < 0 {
			return f, 0, d.wireErr(p, fmt.Sprintf("length of field %d", num), n)
		}
		p += n
		// Compare in uint64 so a length near 2^64 cannot wrap an int.
		if l > uint64(end-p) {
			return f, 0, &WireError{Offset: p - n, Msg: fmt.Sprintf("field %d claims %d bytes, %d remain in its message", num, l, end-p), Err: ErrTruncated}
		}
		f.b = span{p, p + int(l)}
		p += int(l)
	case protowire.StartGroupType:
		q, err := d.skipGroup(num, p, end)
		if err != nil {
			return f, 0, err
		}
		p = q
	case protowire.EndGroupType:
		return f, 0, &WireError{Offset: pos, Msg: fmt.Sprintf("end of group %d that was never started", num)}
	default:
		return f, 0, &WireError{Offset: pos, Msg: fmt.Sprintf("field %d has reserved wire type %d", num, typ)}
	}
	return f, p, nil
}

// skipGroup skips a (deprecated, never used by aapt2) group iteratively,
// with its nesting capped like elements are, so a chain of start-group tags
// cannot recurse.
func (d *protoDecoder) skipGroup(num protowire.Number, pos, end int) (int, error) {
	open := []protowire.Number{num}
	for len(open) > 0 {
		if pos >= end {
			return 0, &WireError{Offset: pos, Msg: fmt.Sprintf("group %d not closed", open[len(open)-1]), Err: ErrTruncated}
		}
		n, typ, l := protowire.ConsumeTag(d.in[pos:end])
		if l < 0 {
			return 0, d.wireErr(pos, "tag in group", l)
		}
		switch typ {
		case protowire.StartGroupType:
			if len(open) >= d.lim.MaxDepth {
				return 0, fmt.Errorf("%w (%d) in a skipped group at offset %d", errTooDeep, d.lim.MaxDepth, pos)
			}
			open = append(open, n)
			pos += l
		case protowire.EndGroupType:
			if open[len(open)-1] != n {
				return 0, &WireError{Offset: pos, Msg: fmt.Sprintf("group %d closed by end of group %d", open[len(open)-1], n)}
			}
			open = open[:len(open)-1]
			pos += l
		default:
			v := protowire.ConsumeFieldValue(n, typ, d.in[pos+l:end])
			if v < 0 {
				return 0, d.wireErr(pos, fmt.Sprintf("field %d in group", n), v)
			}
			pos += l + v
		}
	}
	return pos, nil
}

func (d *protoDecoder) wireErr(at int, what string, code int) error {
	err := protowire.ParseError(code)
	if errors.Is(err, io.ErrUnexpectedEOF) {
		return &WireError{Offset: at, Msg: what + " runs past the end of its message", Err: ErrTruncated}
	}
	msg := what + ": " + err.Error()
	if at == 0 && len(d.in) >= 4 && d.in[0] == 0x03 && d.in[1] == 0x00 && d.in[2] == 0x08 && d.in[3] == 0x00 {
		msg += " (this is binary XML; decode it with Parse)"
	}
	return &WireError{Offset: at, Msg: msg}
}

// want rejects a known field sent with another wire type. Generated parsers
// would keep it as an unknown field, silently hiding a value; for an audit a
// manifest that says different things to different readers is an error.
func want(f protoField, typ protowire.Type, msg string) error {
	if f.typ != typ {
		return &WireError{Offset: f.at, Msg: fmt.Sprintf("field %d of %s has wire type %d, want %d", f.num, msg, f.typ, typ)}
	}
	return nil
}

// fields calls fn for each field of a message given as one or more spans.
// Protobuf merges repeated occurrences of a message field, which is the same
// as reading their bytes one after the other, so a list of spans is read as
// one message.
func (d *protoDecoder) fields(spans []span, fn func(protoField) error) error {
	for _, sp := range spans {
		for pos := sp.s; pos < sp.e; {
			f, p, err := d.next(pos, sp.e)
			if err != nil {
				return err
			}
			if err := fn(f); err != nil {
				return err
			}
			pos = p
		}
	}
	return nil
}

// nodeElement returns the element spans of an XmlNode: empty for a text
// node, since element and text are one oneof and the last one set wins.
func (d *protoDecoder) nodeElement(sp span) ([]span, error) {
	var elem []span
	err := d.fields([]span{sp}, func(f protoField) error {
		switch f.num {
		case fNodeElement:
			if err := want(f, protowire.BytesType, "XmlNode"); err != nil {
				return err
			}
			elem = append(elem, f.b)
		case fNodeText:
			if err := want(f, protowire.BytesType, "XmlNode"); err != nil {
				return err
			}
			elem = elem[:0]
		}
		return nil
	})
	return elem, err
}

type protoFrame struct {
	n     *node
	ids   []uint32 // resource ID of each attribute, named when the element ends
	spans []span   // the element's bytes, possibly in merged pieces
	i     int      // current span
	pos   int      // position in spans[i]
}

func (d *protoDecoder) open(spans []span, depth int) (*protoFrame, error) {
	d.elements++
	if d.elements > d.lim.MaxElements {
		return nil, fmt.Errorf("%w (%d)", errTooBig, d.lim.MaxElements)
	}
	if depth >= d.lim.MaxDepth {
		return nil, fmt.Errorf("%w (%d)", errTooDeep, d.lim.MaxDepth)
	}
	return &protoFrame{n: &node{}, spans: spans, pos: spans[0].s}, nil
}

// walk builds the element tree with an explicit stack, one field at a time,
// so nesting costs heap bounded by MaxDepth rather than Go stack.
func (d *protoDecoder) walk() (*node, error) {
	rootSpans, err := d.nodeElement(span{0, len(d.in)})
	if err != nil || len(rootSpans) == 0 {
		return nil, err
	}
	top, err := d.open(rootSpans, 0)
	if err != nil {
		return nil, err
	}
	root := top.n
	stack := []*protoFrame{top}
	for len(stack) > 0 {
		fr := stack[len(stack)-1]
		if fr.pos >= fr.spans[fr.i].e {
			if fr.i++; fr.i < len(fr.spans) {
				fr.pos = fr.spans[fr.i].s
			} else {
				nameAttrs(fr)
				stack = stack[:len(stack)-1]
			}
			continue
		}
		f, p, err := d.next(fr.pos, fr.spans[fr.i].e)
		if err != nil {
			return nil, err
		}
		fr.pos = p
		switch f.num {
		case fElemName:
			if err := want(f, protowire.BytesType, "XmlElement"); err != nil {
				return nil, err
			}
			fr.n.name = string(d.in[f.b.s:f.b.e])
		case fElemAttr:
			if err := want(f, protowire.BytesType, "XmlElement"); err != nil {
				return nil, err
			}
			// Binary XML counts an element's attributes in 16 bits; the
			// total cap keeps small attributes from costing gigabytes.
			d.attrs++
			if len(fr.n.attrs) >= math.MaxUint16 || d.attrs > 8*d.lim.MaxElements {
				return nil, fmt.Errorf("%w: too many attributes at offset %d", errTooBig, f.at)
			}
			a, id, err := d.attribute(f.b)
			if err != nil {
				return nil, err
			}
			fr.n.attrs = append(fr.n.attrs, a)
			fr.ids = append(fr.ids, id)
		case fElemChild:
			if err := want(f, protowire.BytesType, "XmlElement"); err != nil {
				return nil, err
			}
			spans, err := d.nodeElement(f.b)
			if err != nil {
				return nil, err
			}
			if len(spans) == 0 {
				continue // text
			}
			child, err := d.open(spans, len(stack))
			if err != nil {
				return nil, err
			}
			fr.n.children = append(fr.n.children, child.n)
			stack = append(stack, child)
		case 1, 2: // namespace declarations and the element's namespace
			if err := want(f, protowire.BytesType, "XmlElement"); err != nil {
				return nil, err
			}
		}
	}
	// Finish with the root's name checked by the caller, as the binary
	// path checks it after the whole document decoded.
	return root, nil
}

func (d *protoDecoder) str(sp span) string { return string(d.in[sp.s:sp.e]) }

// nameAttrs names the element's attributes once its name is known (a
// crafted file may put the name after the attributes). Android names them by
// resource ID; only <manifest>'s package and platformBuildVersion*
// attributes are read by string, as in the binary path.
func nameAttrs(fr *protoFrame) {
	for i := range fr.n.attrs {
		a := &fr.n.attrs[i]
		byID, known := androidAttrNames[fr.ids[i]]
		if !known {
			continue
		}
		if fr.n.name == "manifest" && (a.Name.Local == "package" || strings.HasPrefix(a.Name.Local, "platformBuildVersion")) {
			continue
		}
		a.Name.Local = byID
		if a.Name.Space == "" {
			a.Name.Space = androidNS
		}
	}
}

// attribute returns the attribute under its string name and its resource
// ID; nameAttrs settles the name.
func (d *protoDecoder) attribute(sp span) (xml.Attr, uint32, error) {
	var ns, name, value string
	var resID uint32
	var compiled []span
	err := d.fields([]span{sp}, func(f protoField) error {
		switch f.num {
		case fAttrNS, fAttrName, fAttrValue:
			if err := want(f, protowire.BytesType, "XmlAttribute"); err != nil {
				return err
			}
			s := d.str(f.b)
			switch f.num {
			case fAttrNS:
				ns = s
			case fAttrName:
				name = s
			default:
				value = s
			}
		case fAttrResID:
			if err := want(f, protowire.VarintType, "XmlAttribute"); err != nil {
				return err
			}
			resID = uint32(f.v)
		case fAttrCompiled:
			if err := want(f, protowire.BytesType, "XmlAttribute"); err != nil {
				return err
			}
			compiled = append(compiled, f.b)
		}
		return nil
	})
	if err != nil {
		return xml.Attr{}, 0, err
	}
	if len(compiled) > 0 {
		v, ok, err := d.item(compiled)
		if err != nil {
			return xml.Attr{}, 0, err
		}
		if ok {
			value = v
		}
	}
	return xml.Attr{Name: xml.Name{Space: ns, Local: name}, Value: value}, resID, nil
}

// item formats a compiled Item the way apkparser formats the Res_value that
// aapt2 would flatten it to, so both paths hand build identical strings.
// ok is false when the item holds nothing usable and the attribute's text
// value stands.
func (d *protoDecoder) item(spans []span) (string, bool, error) {
	var member protowire.Number
	var inner []span
	err := d.fields(spans, func(f protoField) error {
		if f.num < fItemRef || f.num > fItemPrim {
			return nil
		}
		if err := want(f, protowire.BytesType, "Item"); err != nil {
			return err
		}
		if f.num != member {
			// A different oneof member replaces the earlier one.
			member, inner = f.num, inner[:0]
		}
		inner = append(inner, f.b)
		return nil
	})
	if err != nil || member == 0 {
		return "", false, err
	}
	switch member {
	case fItemRef:
		return d.reference(inner)
	case fItemStr, fItemRawStr, fItemStyled, fItemFile:
		// String, RawString and StyledString keep their text in field 1, and
		// FileReference its path, which aapt2 flattens to a string.
		var s string
		err := d.fields(inner, func(f protoField) error {
			if f.num == 1 {
				if err := want(f, protowire.BytesType, "Item string"); err != nil {
					return err
				}
				s = d.str(f.b)
			}
			return nil
		})
		return s, err == nil, err
	case fItemID:
		// aapt2 flattens an Id to a false boolean.
		return "false", true, nil
	}
	return d.primitive(inner)
}

func (d *protoDecoder) reference(spans []span) (string, bool, error) {
	var typ, id uint64
	var dynamic bool
	err := d.fields(spans, func(f protoField) error {
		switch f.num {
		case fRefType, fRefID:
			if err := want(f, protowire.VarintType, "Reference"); err != nil {
				return err
			}
			if f.num == fRefType {
				typ = f.v
			} else {
				id = f.v
			}
		case fRefDynamic:
			if err := want(f, protowire.BytesType, "Reference"); err != nil {
				return err
			}
			dynamic = false
			return d.fields([]span{f.b}, func(g protoField) error {
				if g.num == 1 {
					if err := want(g, protowire.VarintType, "Boolean"); err != nil {
						return err
					}
					dynamic = g.v != 0
				}
				return nil
			})
		}
		return nil
	})
	if err != nil {
		return "", false, err
	}
	id32 := uint32(id)
	if typ == 1 || dynamic {
		// Attribute and dynamic references flatten to Res_value types
		// apkparser prints as plain integers.
		return strconv.FormatInt(int64(int32(id32)), 10), true, nil
	}
	return fmt.Sprintf("@%x", id32), true, nil
}

func (d *protoDecoder) primitive(spans []span) (string, bool, error) {
	var last protoField
	err := d.fields(spans, func(f protoField) error {
		var typ protowire.Type
		switch f.num {
		case 1, 2: // null_value, empty_value
			typ = protowire.BytesType
		case 3, 4, 5: // float_value and the deprecated float dimension/fraction
			typ = protowire.Fixed32Type
		case 6, 7, 8, 9, 10, 11, 12, 13, 14:
			typ = protowire.VarintType
		default:
			return nil
		}
		if err := want(f, typ, "Primitive"); err != nil {
			return err
		}
		last = f
		return nil
	})
	if err != nil {
		return "", false, err
	}
	v := uint32(last.v)
	switch last.num {
	case 0, 4, 5:
		// Unset, or a deprecated float form no binary Res_value carries.
		return "", false, nil
	case 1:
		return "0", true, nil // Res_value TYPE_NULL, DATA_NULL_UNDEFINED
	case 2:
		return "1", true, nil // TYPE_NULL, DATA_NULL_EMPTY
	case 3:
		return fmt.Sprintf("%g", math.Float32frombits(v)), true, nil
	case 7:
		return fmt.Sprintf("0x%x", v), true, nil
	case 8:
		return strconv.FormatBool(last.v != 0), true, nil
	}
	// Decimal integers, dimensions, fractions and colours all print as
	// the signed 32-bit data word.
	return strconv.FormatInt(int64(int32(v)), 10), true, nil
}
