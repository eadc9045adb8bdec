package dex

import "fmt"

// Map item type codes (map_item.type).
const (
	TypeHeaderItem               = 0x0000
	TypeStringIDItem             = 0x0001
	TypeTypeIDItem               = 0x0002
	TypeProtoIDItem              = 0x0003
	TypeFieldIDItem              = 0x0004
	TypeMethodIDItem             = 0x0005
	TypeClassDefItem             = 0x0006
	TypeCallSiteIDItem           = 0x0007
	TypeMethodHandleItem         = 0x0008
	TypeMapList                  = 0x1000
	TypeTypeList                 = 0x1001
	TypeAnnotationSetRefList     = 0x1002
	TypeAnnotationSetItem        = 0x1003
	TypeClassDataItem            = 0x2000
	TypeCodeItem                 = 0x2001
	TypeStringDataItem           = 0x2002
	TypeDebugInfoItem            = 0x2003
	TypeAnnotationItem           = 0x2004
	TypeEncodedArrayItem         = 0x2005
	TypeAnnotationsDirectoryItem = 0x2006
	TypeHiddenapiClassDataItem   = 0xF000
)

var mapTypeNames = map[uint16]string{
	TypeHeaderItem:               "header_item",
	TypeStringIDItem:             "string_id_item",
	TypeTypeIDItem:               "type_id_item",
	TypeProtoIDItem:              "proto_id_item",
	TypeFieldIDItem:              "field_id_item",
	TypeMethodIDItem:             "method_id_item",
	TypeClassDefItem:             "class_def_item",
	TypeCallSiteIDItem:           "call_site_id_item",
	TypeMethodHandleItem:         "method_handle_item",
	TypeMapList:                  "map_list",
	TypeTypeList:                 "type_list",
	TypeAnnotationSetRefList:     "annotation_set_ref_list",
	TypeAnnotationSetItem:        "annotation_set_item",
	TypeClassDataItem:            "class_data_item",
	TypeCodeItem:                 "code_item",
	TypeStringDataItem:           "string_data_item",
	TypeDebugInfoItem:            "debug_info_item",
	TypeAnnotationItem:           "annotation_item",
	TypeEncodedArrayItem:         "encoded_array_item",
	TypeAnnotationsDirectoryItem: "annotations_directory_item",
	TypeHiddenapiClassDataItem:   "hiddenapi_class_data_item",
}

// fixedItemSize is the size of one item of the map types whose items have a
// fixed size, for overlap checks; 0 for variable-size items.
func fixedItemSize(t uint16) uint64 {
	switch t {
	case TypeHeaderItem:
		return 0 // header_size, checked separately
	case TypeStringIDItem, TypeTypeIDItem, TypeCallSiteIDItem:
		return 4
	case TypeProtoIDItem:
		return protoIDSize
	case TypeFieldIDItem, TypeMethodIDItem, TypeMethodHandleItem:
		return 8
	case TypeClassDefItem:
		return classDefSize
	}
	return 0
}

// MapItem is one map_list entry: Size items of Type starting at Offset.
type MapItem struct {
	Type   uint16
	Size   uint32
	Offset uint32
}

// TypeName is the format's name for Type ("string_id_item"), or
// "unknown(0x....)".
func (m MapItem) TypeName() string {
	if s, ok := mapTypeNames[m.Type]; ok {
		return s
	}
	return fmt.Sprintf("unknown(%#04x)", m.Type)
}

// MapList returns the map_list at map_off, in file order.
func (f *File) MapList() ([]MapItem, error) {
	mo := uint64(f.hdr.MapOff)
	if mo == 0 {
		return nil, ferr(f.base+offMapOff, "map_off is zero", ErrMap)
	}
	c := cursor{f: f, off: mo}
	n := c.u32("map_list size")
	if !c.need(uint64(n), mapItemSize, "map_list") {
		return nil, c.err
	}
	items := make([]MapItem, n)
	for i := range items {
		items[i].Type = c.u16("map_item")
		c.u16("map_item") // unused
		items[i].Size = c.u32("map_item")
		items[i].Offset = c.u32("map_item")
	}
	if c.err != nil {
		return nil, c.err
	}
	return items, nil
}
