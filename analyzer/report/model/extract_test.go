package model

import (
	"reflect"
	"testing"

	"github.com/sdkaudit/sdkaudit/analyzer/policy"
)

// fill sets every field reachable from v to a value other than its zero,
// with one element in each list, so a converter that drops a field leaves
// a zero behind.
func fill(v reflect.Value) {
	switch v.Kind() {
	case reflect.String:
		v.SetString("x")
	case reflect.Bool:
		v.SetBool(true)
	case reflect.Int, reflect.Int64:
		v.SetInt(7)
	case reflect.Slice:
		s := reflect.MakeSlice(v.Type(), 1, 1)
		fill(s.Index(0))
		v.Set(s)
	case reflect.Pointer:
		p := reflect.New(v.Type().Elem())
		fill(p.Elem())
		v.Set(p)
	case reflect.Struct:
		for i := 0; i < v.NumField(); i++ {
			if v.Type().Field(i).IsExported() {
				fill(v.Field(i))
			}
		}
	}
}

// zeros lists the paths under v that hold a zero value.
func zeros(v reflect.Value, path string, out *[]string) {
	if v.IsZero() {
		*out = append(*out, path)
		return
	}
	switch v.Kind() {
	case reflect.Slice:
		for i := 0; i < v.Len(); i++ {
			zeros(v.Index(i), path+"[]", out)
		}
	case reflect.Pointer:
		zeros(v.Elem(), path, out)
	case reflect.Struct:
		for i := 0; i < v.NumField(); i++ {
			zeros(v.Field(i), path+"."+v.Type().Field(i).Name, out)
		}
	}
}

// TestPolicyDocumentCarriesEveryField converts a declaration with every
// field set: every field of the document must come out set, so a field
// added to the model and forgotten in the converter fails here.
func TestPolicyDocumentCarriesEveryField(t *testing.T) {
	var d policy.Declaration
	fill(reflect.ValueOf(&d).Elem())
	doc := NewPolicyDocument(&d, "rules", "v1")
	var missing []string
	zeros(reflect.ValueOf(doc), "PolicyDocument", &missing)
	for _, m := range missing {
		t.Errorf("%s is zero after conversion", m)
	}
	if doc.SchemaVersion != PolicySchemaVersion || doc.Tool != NewTool("v1") || doc.RulesVersion != "rules" {
		t.Errorf("document header %q %v %q", doc.SchemaVersion, doc.Tool, doc.RulesVersion)
	}
}

// TestPolicyDocumentKeepsNil: an absent list stays null and an empty one
// [], as the extractor's output always has.
func TestPolicyDocumentKeepsNil(t *testing.T) {
	doc := NewPolicyDocument(&policy.Declaration{Permissions: []policy.DeclaredPermission{}}, "", "")
	if doc.Permissions == nil || len(doc.Permissions) != 0 || doc.SDKs != nil {
		t.Errorf("permissions %#v, sdks %#v", doc.Permissions, doc.SDKs)
	}
}
