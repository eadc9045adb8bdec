package policy

// Evidence is where a declaration item was found.
type Evidence struct {
	File string `json:"file" yaml:"file"`
	Line int    `json:"line" yaml:"line"`
	// Text is the sentence or table row, cut to a readable length.
	Text string `json:"text" yaml:"text"`
	// Matched is the words that triggered the item.
	Matched string `json:"matched" yaml:"matched"`
	// Rule says which reading produced the item (docs/policy-declaration.md,
	// "Why an item counted"), for `policy extract --explain`.
	Rule string `json:"rule,omitempty" yaml:"rule,omitempty"`
}

// DeclaredPermission is an Android permission the policy discloses.
type DeclaredPermission struct {
	Name     string     `json:"name" yaml:"name"`
	Evidence []Evidence `json:"evidence" yaml:"evidence"`
}

// DeclaredData is a data category the policy discloses.
type DeclaredData struct {
	ID       string     `json:"id" yaml:"id"`
	Evidence []Evidence `json:"evidence" yaml:"evidence"`
}

// DeclaredSDK is a third-party SDK the policy discloses, resolved to a rule
// id. How says how it was resolved: "name" (the SDK's own name or alias),
// "vendor" (a vendor mention narrowed by context), "table" (a row of an
// SDK table) or "declaration" (a reviewed YAML declaration).
type DeclaredSDK struct {
	ID     string `json:"id" yaml:"id"`
	Vendor string `json:"vendor" yaml:"vendor"`
	How    string `json:"how" yaml:"how"`
	// Purpose, Data and Permissions come from the SDK's table row or
	// declaration entry when the policy gives them per SDK.
	Purpose     string     `json:"purpose,omitempty" yaml:"purpose,omitempty"`
	Data        []string   `json:"data,omitempty" yaml:"data,omitempty"`
	Permissions []string   `json:"permissions,omitempty" yaml:"permissions,omitempty"`
	PerSDKData  bool       `json:"per_sdk_data,omitempty" yaml:"per_sdk_data,omitempty"`
	Evidence    []Evidence `json:"evidence" yaml:"evidence"`
}

// DeclaredVendor is a vendor the policy names. SDKs lists the SDK ids the
// mention was narrowed to; empty when the context fitted none of them.
type DeclaredVendor struct {
	ID       string     `json:"id" yaml:"id"`
	SDKs     []string   `json:"sdks" yaml:"sdks"`
	Evidence []Evidence `json:"evidence" yaml:"evidence"`
}

// ThirdParty is a named recipient that no rule resolves.
type ThirdParty struct {
	Name     string     `json:"name" yaml:"name"`
	Evidence []Evidence `json:"evidence" yaml:"evidence"`
}

// Denial is something the policy says it does not do (不会申请通讯录权限).
type Denial struct {
	Kind     string     `json:"kind" yaml:"kind"` // permission, data, sdk
	ID       string     `json:"id" yaml:"id"`
	Evidence []Evidence `json:"evidence" yaml:"evidence"`
}

// Source describes one input document.
type Source struct {
	File     string `json:"file" yaml:"file"`
	Format   string `json:"format" yaml:"format"`
	Encoding string `json:"encoding" yaml:"encoding"`
	Blocks   int    `json:"blocks" yaml:"blocks"`
}

// Declaration is what a policy discloses. Lists are sorted by id or name.
type Declaration struct {
	Sources        []Source             `json:"sources"`
	VersionScope   string               `json:"version_scope,omitempty"`
	Permissions    []DeclaredPermission `json:"permissions"`
	DataCategories []DeclaredData       `json:"data_categories"`
	SDKs           []DeclaredSDK        `json:"sdks"`
	Vendors        []DeclaredVendor     `json:"vendors"`
	// Operators are the vendors the policy defines as itself ("以下简称
	// 我们"): their SDKs in the app are first-party code, which a list of
	// third-party SDKs does not have to name. SDKs holds the operator's own
	// products the policy names.
	Operators  []DeclaredVendor `json:"operators,omitempty" yaml:"operators,omitempty"`
	Unresolved []ThirdParty     `json:"unresolved_third_parties"`
	Denials    []Denial         `json:"denials"`
	Warnings   []string         `json:"warnings"`
}

// HasSDK reports whether the SDK id is declared.
func (d *Declaration) HasSDK(id string) bool {
	for _, s := range d.SDKs {
		if s.ID == id {
			return true
		}
	}
	return false
}

// HasPermission reports whether the permission is declared.
func (d *Declaration) HasPermission(name string) bool {
	for _, p := range d.Permissions {
		if p.Name == name {
			return true
		}
	}
	return false
}

// HasData reports whether the data category is declared.
func (d *Declaration) HasData(id string) bool {
	for _, c := range d.DataCategories {
		if c.ID == id {
			return true
		}
	}
	return false
}
