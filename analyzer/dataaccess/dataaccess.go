package dataaccess

import (
	"cmp"
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/sdkaudit/sdkaudit/analyzer/callgraph"
	"github.com/sdkaudit/sdkaudit/analyzer/dex"
	"github.com/sdkaudit/sdkaudit/analyzer/inventory"
	"github.com/sdkaudit/sdkaudit/rules"
)

// OwnerApp is the owner of code no SDK rule claims.
const OwnerApp = "app"

// Owner kinds.
const (
	KindSDK     = rules.KindSDK
	KindLibrary = rules.KindLibrary
	KindApp     = "app"
)

// DefaultMaxSites is how many call sites each category lists by default.
const DefaultMaxSites = 5

// Disclaimer is what every report says about this evidence.
const Disclaimer = "present in code: the APK's code references these APIs; whether and when it runs is not analysed"

// ReachNote replaces Disclaimer when the call graph was analysed.
const ReachNote = "present in code, with reach: startup (a call path from the Application, a content provider, an androidx.startup initializer or a boot receiver, before any screen), reachable (from an activity, service or receiver), unreachable (no path from the manifest; reflection aside) or unknown; the paths are static, not proof that the code ran"

// Index is the API rules compiled for one query. Build it once with
// NewIndex and reuse it across apps; it is read-only and safe for
// concurrent use.
type Index struct {
	db    *rules.DB
	query inventory.CodeQuery
	// byKey maps a query key to the APIs whose main reference it is.
	byKey map[string][]int
}

// Query keys name what a method references: kind and reference. A string
// rule's key keeps its trailing '*', so an exact and a prefix rule on the
// same text stay apart.
func methodKey(ref string) string { return "method:" + ref }
func fieldKey(ref string) string  { return "field:" + ref }
func stringKey(ref string) string { return "string:" + ref }

func apiKey(a *rules.API) string {
	switch a.Kind {
	case rules.APIMethod:
		return methodKey(a.Ref)
	case rules.APIField:
		return fieldKey(a.Ref)
	}
	return stringKey(a.Ref)
}

// NewIndex compiles db.APIs. Malformed references (which rules.Validate
// rejects) are skipped.
func NewIndex(db *rules.DB) *Index {
	ix := &Index{db: db, byKey: map[string][]int{}}
	q := &dex.RefQuery{
		Methods: map[string]map[string][]int32{},
		Fields:  map[string]map[string][]int32{},
		Strings: map[string][]int32{},
	}
	ids := map[string]int32{}
	id := func(key string) (int32, bool) {
		if v, ok := ids[key]; ok {
			return v, false
		}
		v := int32(len(ix.query.Keys))
		ids[key] = v
		ix.query.Keys = append(ix.query.Keys, key)
		return v, true
	}
	member := func(m map[string]map[string][]int32, ref string, v int32) bool {
		class, name, ok := strings.Cut(ref, "->")
		if !ok || class == "" || name == "" {
			return false
		}
		if m[class] == nil {
			m[class] = map[string][]int32{}
		}
		m[class][name] = append(m[class][name], v)
		return true
	}
	addString := func(s string) {
		v, fresh := id(stringKey(s))
		if !fresh {
			return
		}
		if p, ok := strings.CutSuffix(s, "*"); ok {
			q.StringPrefixes = append(q.StringPrefixes, dex.StringPrefix{Prefix: p, ID: v})
		} else {
			q.Strings[s] = append(q.Strings[s], v)
		}
	}
	for i := range db.APIs {
		a := &db.APIs[i]
		key := apiKey(a)
		switch a.Kind {
		case rules.APIMethod, rules.APIField:
			if v, fresh := id(key); fresh {
				m := q.Methods
				if a.Kind == rules.APIField {
					m = q.Fields
				}
				if !member(m, a.Ref, v) {
					continue
				}
			}
			if a.WithString != "" {
				addString(a.WithString)
			}
		case rules.APIString:
			addString(a.Ref)
		default:
			continue
		}
		ix.byKey[key] = append(ix.byKey[key], i)
	}
	ix.query.Refs = q
	return ix
}

// Query is what inventory.Options.Code needs to record the references
// the rules look for.
func (ix *Index) Query() *inventory.CodeQuery { return &ix.query }

// Options tune Analyze.
type Options struct {
	// MaxSites caps the call sites listed per owner and category (the
	// count is always complete); 0 means DefaultMaxSites, negative lists
	// none.
	MaxSites int
	// Reach bounds the reachability analysis, which runs when the
	// inventory carries a call summary (inventory.CodeQuery.Calls).
	Reach callgraph.Options
}

// Site is one method that reads a data category.
type Site struct {
	Class  string `json:"class"`
	Method string `json:"method"`
	// API is the id of the rule that matched.
	API string `json:"api"`
	// Dex is the file the method is in; "!" separates an archive from
	// the DEX inside it.
	Dex string `json:"dex"`
	// Reach is startup, reachable, unreachable or unknown (callgraph);
	// empty when reachability was not analysed.
	Reach string `json:"reach,omitempty"`
	// Path is one shortest call path from an entry to the method, entry
	// first, each step "class.method(params)return"; empty for
	// unreachable and unknown sites (written as [] whenever Reach is
	// set), absent when not analysed.
	Path []string `json:"path,omitempty"`
	// AsyncHops are the indices in Path entered asynchronously (a
	// thread, executor, handler, coroutine, started service or the
	// callback of a listener registered on the path; on a reachable path
	// any framework callback).
	AsyncHops []int `json:"async_hops,omitempty"`
}

// APIUse is one rule seen for an owner and category.
type APIUse struct {
	ID         string `json:"id"`
	Kind       string `json:"kind"`
	Ref        string `json:"ref"`
	Permission string `json:"permission,omitempty"`
	// WorksUntilAPI is the last API level that still returns the data;
	// 0 means current releases do.
	WorksUntilAPI int `json:"works_until_api,omitempty"`
	// Restricted is true when the API no longer returns the data on any
	// Android version the app supports (its minSdk is above WorksUntilAPI).
	Restricted bool `json:"restricted,omitempty"`
	Sites      int  `json:"sites"`
}

// Category is what one owner's code reads of one data category.
type Category struct {
	ID     string `json:"id"`
	Name   string `json:"name"`
	NameZH string `json:"name_zh,omitempty"`
	// APIs are the rules that matched, by id.
	APIs []APIUse `json:"apis"`
	// Permissions are those the APIs need (alternatives kept joined by
	// '|'), sorted.
	Permissions []string `json:"permissions,omitempty"`
	// Restricted is true when every API used is restricted.
	Restricted bool `json:"restricted,omitempty"`
	// SitesTotal counts call sites (a method and the rule it matched);
	// CallSites lists the first MaxSites in class and method order.
	SitesTotal int    `json:"sites_total"`
	CallSites  []Site `json:"call_sites"`
	// Reach is the strongest reach of the category's sites (all of them,
	// not only those listed); StartupSites counts the startup ones.
	Reach        string `json:"reach,omitempty"`
	StartupSites int    `json:"startup_sites,omitempty"`
}

// Owner is the app or one SDK, with the data its code reads.
type Owner struct {
	ID     string `json:"id"`
	Kind   string `json:"kind"`
	Name   string `json:"name"`
	Vendor string `json:"vendor,omitempty"`
	// Categories are sorted by id.
	Categories []Category `json:"categories"`
}

// Result is the data-access evidence of one app.
type Result struct {
	Note string `json:"note"`
	// Owners come with the app first, then SDKs by id.
	Owners []Owner `json:"owners"`
	// Methods and Instructions count the code that was scanned.
	Methods      int   `json:"methods_scanned"`
	Instructions int64 `json:"instructions_scanned"`
	// Incomplete is true when some code could not be scanned.
	Incomplete bool `json:"incomplete,omitempty"`
	// Reachability summarises the call graph; nil when not analysed.
	Reachability *Reachability `json:"reachability,omitempty"`
}

// Reachability is what the call graph saw.
type Reachability struct {
	callgraph.Stats
	// Note says why some sites are unknown.
	Note string `json:"note,omitempty"`
}

// CategoryIDs returns the categories the owner's code reads, sorted.
func (o *Owner) CategoryIDs() []string {
	out := make([]string, len(o.Categories))
	for i, c := range o.Categories {
		out[i] = c.ID
	}
	return out
}

// Owner returns the entry for id, or nil.
func (r *Result) Owner(id string) *Owner {
	if r == nil {
		return nil
	}
	for i := range r.Owners {
		if r.Owners[i].ID == id {
			return &r.Owners[i]
		}
	}
	return nil
}

// ByCategory returns, per data category, the owners whose code reads it.
func (r *Result) ByCategory() map[string][]string {
	out := map[string][]string{}
	if r == nil {
		return out
	}
	for _, o := range r.Owners {
		for _, c := range o.Categories {
			out[c.ID] = append(out[c.ID], o.ID)
		}
	}
	return out
}

type codeFile struct {
	name string
	df   *inventory.DexFile
}

// Analyze attributes inv's recorded code references. It returns nil when
// the inventory was scanned without a code query.
func (ix *Index) Analyze(inv *inventory.Inventory, opts Options) *Result {
	var files []codeFile
	for i := range inv.Dex.Files {
		files = append(files, codeFile{inv.Dex.Files[i].Name, &inv.Dex.Files[i]})
	}
	for i := range inv.OtherCode {
		for j := range inv.OtherCode[i].Dex {
			files = append(files, codeFile{inv.OtherCode[i].Dex[j].Name, &inv.OtherCode[i].Dex[j]})
		}
	}
	scanned := false
	res := &Result{Note: Disclaimer, Owners: []Owner{}}
	minSDK := 1
	if inv.Manifest != nil && inv.Manifest.MinSDK.Effective != nil {
		minSDK = *inv.Manifest.MinSDK.Effective
	}
	type catKey struct{ owner, cat string }
	sites := map[catKey][]Site{}
	apiSites := map[catKey]map[int]int{}
	for _, f := range files {
		if f.df.Code == nil {
			continue
		}
		scanned = true
		res.Methods += f.df.Code.Methods
		res.Instructions += f.df.Code.Instructions
		if f.df.Code.Failed > 0 {
			res.Incomplete = true
		}
		for _, ref := range f.df.CodeRefs {
			owner := ix.owner(ref.Class)
			for _, ai := range ix.matches(ref.Refs) {
				a := &ix.db.APIs[ai]
				for _, c := range a.Data {
					k := catKey{owner, c}
					sites[k] = append(sites[k], Site{Class: ref.Class, Method: ref.Method, API: a.ID, Dex: f.name})
					if apiSites[k] == nil {
						apiSites[k] = map[int]int{}
					}
					apiSites[k][ai]++
				}
			}
		}
	}
	if !scanned {
		return nil
	}
	var reach *callgraph.Result
	if inv.Calls != nil {
		reach = callgraph.Analyze(inv, opts.Reach)
		res.Note = ReachNote
		res.Reachability = &Reachability{Stats: reach.Stats, Note: reach.Note}
		// Sites share methods; each method is looked up once.
		memo := map[[2]string]callgraph.Site{}
		for _, ss := range sites {
			for i := range ss {
				k := [2]string{ss[i].Class, ss[i].Method}
				r, ok := memo[k]
				if !ok {
					r = reach.Lookup(ss[i].Class, ss[i].Method)
					if r.Path == nil {
						r.Path = []string{}
					}
					memo[k] = r
				}
				ss[i].Reach, ss[i].Path, ss[i].AsyncHops = r.Reach, r.Path, r.AsyncHops
			}
		}
	}
	limit := opts.MaxSites
	if limit == 0 {
		limit = DefaultMaxSites
	}
	owners := map[string]*Owner{}
	for k, ss := range sites {
		o := owners[k.owner]
		if o == nil {
			o = ix.newOwner(k.owner)
			owners[k.owner] = o
		}
		// Startup sites first: only the first few are listed.
		slices.SortFunc(ss, func(a, b Site) int {
			return cmp.Or(cmp.Compare(callgraph.Strength(b.Reach), callgraph.Strength(a.Reach)), cmp.Compare(a.Class, b.Class), cmp.Compare(a.Method, b.Method), cmp.Compare(a.API, b.API), cmp.Compare(a.Dex, b.Dex))
		})
		ss = slices.CompactFunc(ss, func(a, b Site) bool {
			return a.Class == b.Class && a.Method == b.Method && a.API == b.API && a.Dex == b.Dex
		})
		c := Category{ID: k.cat, SitesTotal: len(ss), CallSites: ss[:min(len(ss), max(limit, 0))], Restricted: true}
		for _, s := range ss {
			if callgraph.Strength(s.Reach) > callgraph.Strength(c.Reach) {
				c.Reach = s.Reach
			}
			if s.Reach == callgraph.Startup {
				c.StartupSites++
			}
		}
		if dc, ok := ix.db.DataCategory(k.cat); ok {
			c.Name, c.NameZH = dc.Name.EN, dc.Name.ZH
		}
		perms := map[string]bool{}
		for ai, n := range apiSites[k] {
			a := &ix.db.APIs[ai]
			u := APIUse{ID: a.ID, Kind: a.Kind, Ref: a.Ref, Permission: a.Permission, WorksUntilAPI: a.WorksUntilAPI, Sites: n}
			u.Restricted = a.WorksUntilAPI > 0 && minSDK > a.WorksUntilAPI
			c.Restricted = c.Restricted && u.Restricted
			if a.Permission != "" {
				perms[a.Permission] = true
			}
			c.APIs = append(c.APIs, u)
		}
		slices.SortFunc(c.APIs, func(a, b APIUse) int { return cmp.Compare(a.ID, b.ID) })
		for p := range perms {
			c.Permissions = append(c.Permissions, p)
		}
		slices.Sort(c.Permissions)
		o.Categories = append(o.Categories, c)
	}
	for _, o := range owners {
		slices.SortFunc(o.Categories, func(a, b Category) int { return cmp.Compare(a.ID, b.ID) })
		res.Owners = append(res.Owners, *o)
	}
	slices.SortFunc(res.Owners, func(a, b Owner) int {
		if (a.ID == OwnerApp) != (b.ID == OwnerApp) {
			if a.ID == OwnerApp {
				return -1
			}
			return 1
		}
		return cmp.Compare(a.ID, b.ID)
	})
	return res
}

// matches returns the APIs a method's references satisfy, in rule order.
func (ix *Index) matches(refs []string) []int {
	var out []int
	for _, key := range refs {
		for _, ai := range ix.byKey[key] {
			a := &ix.db.APIs[ai]
			if a.WithString != "" && !slices.Contains(refs, stringKey(a.WithString)) {
				continue
			}
			out = append(out, ai)
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// owner is the SDK whose DEX prefix owns the dotted class, or the app.
func (ix *Index) owner(class string) string {
	if s, ok := ix.db.SDKByDexClass(class); ok {
		return s.ID
	}
	return OwnerApp
}

func (ix *Index) newOwner(id string) *Owner {
	if id == OwnerApp {
		return &Owner{ID: id, Kind: KindApp, Name: "the app's own code (and code no rule attributes)"}
	}
	o := &Owner{ID: id, Kind: KindSDK}
	if s, ok := ix.db.SDK(id); ok {
		o.Kind, o.Name, o.Vendor = s.Kind, s.Name.EN, s.Vendor
	}
	return o
}

// String summarises a site for evidence lines: "com.foo.Bar.read()V (api-id, classes2.dex)".
func (s Site) String() string {
	return fmt.Sprintf("%s.%s (%s, %s)", s.Class, s.Method, s.API, s.Dex)
}

// MarshalJSON writes path on every analysed site, [] when there is none,
// and leaves it out when reachability was not analysed.
func (s Site) MarshalJSON() ([]byte, error) {
	type plain struct {
		Class     string    `json:"class"`
		Method    string    `json:"method"`
		API       string    `json:"api"`
		Dex       string    `json:"dex"`
		Reach     string    `json:"reach,omitempty"`
		Path      *[]string `json:"path,omitempty"`
		AsyncHops []int     `json:"async_hops,omitempty"`
	}
	p := plain{Class: s.Class, Method: s.Method, API: s.API, Dex: s.Dex, Reach: s.Reach, AsyncHops: s.AsyncHops}
	if s.Reach != "" {
		path := s.Path
		if path == nil {
			path = []string{}
		}
		p.Path = &path
	}
	return json.Marshal(p)
}

// Evidence is String with the site's reach when it was analysed:
// "com.foo.Bar.read()V (api-id, classes2.dex; reach: startup)".
func (s Site) Evidence() string {
	if s.Reach == "" {
		return s.String()
	}
	return fmt.Sprintf("%s.%s (%s, %s; reach: %s)", s.Class, s.Method, s.API, s.Dex, s.Reach)
}
