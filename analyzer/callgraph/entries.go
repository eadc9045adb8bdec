package callgraph

import (
	"slices"
	"strings"

	"github.com/sdkaudit/sdkaudit/analyzer/dex"
	"github.com/sdkaudit/sdkaudit/analyzer/manifest"
)

// bootActions start a receiver when the device boots, before anyone can
// open the app.
var bootActions = []string{"android.intent.action.BOOT_COMPLETED", "android.intent.action.LOCKED_BOOT_COMPLETED"}

// startupValue is the meta-data value androidx.startup's
// InitializationProvider reads initializer class names from.
const startupValue = "androidx.startup"

// entries lists the start-up entry methods and, separately, every
// component's methods, each in manifest order.
func (g *graph) entries(m *manifest.Manifest) (start, all []uint32) {
	if m == nil {
		return nil, nil
	}
	add := func(list *[]uint32, ids ...uint32) {
		for _, id := range ids {
			if !slices.Contains(*list, id) {
				*list = append(*list, id)
			}
		}
	}
	// The lifecycle methods named, resolved from the class up.
	life := func(class string, names ...string) []uint32 {
		tid, ok := g.c.TypeID(descriptor(class))
		if !ok || g.class(tid) == nil {
			return nil
		}
		var out []uint32
		for _, nm := range names {
			nid, ok := g.c.NameID(nm)
			if !ok {
				continue
			}
			if nm == "<clinit>" {
				out = append(out, g.clinits(tid)...)
				continue
			}
			if nm == "<init>" {
				out = append(out, g.named(tid, nid)...)
				continue
			}
			// The nearest definition of each prototype, from the class up.
			out = append(out, g.named(tid, nid)...)
		}
		return out
	}
	if app := m.Application.Name; app != "" {
		add(&start, life(app, "<clinit>", "<init>", "attachBaseContext", "onCreate")...)
	}
	for _, c := range m.Components {
		if c.Enabled == "false" {
			continue
		}
		switch c.Type {
		case "provider":
			onCreate := life(c.Name, "<clinit>", "<init>", "attachInfo", "onCreate")
			add(&start, onCreate...)
			var inits []uint32
			for _, md := range c.MetaData {
				if md.Value == nil || strings.TrimSpace(md.Value.Value) != startupValue {
					continue
				}
				inits = append(inits, life(md.Name, "<clinit>", "<init>", "dependencies", "create")...)
			}
			if len(inits) == 0 {
				continue
			}
			// The provider creates them reflectively from its onCreate;
			// without the provider's code they are entries themselves.
			var hook []uint32
			if nid, ok := g.c.NameID("onCreate"); ok {
				if tid, ok := g.c.TypeID(descriptor(c.Name)); ok {
					hook = g.named(tid, nid)
				}
			}
			if len(hook) == 0 {
				add(&start, inits...)
				continue
			}
			for _, h := range hook {
				for _, id := range inits {
					if !slices.Contains(g.extra[h], id) {
						g.extra[h] = append(g.extra[h], id)
					}
				}
			}
		case "receiver":
			if isBoot(c) {
				add(&start, life(c.Name, "<clinit>", "<init>", "onReceive")...)
			}
		}
	}
	for _, c := range m.Components {
		class := c.Name
		if c.Type == "activity-alias" {
			class = c.TargetActivity
		}
		add(&all, g.allMethods(class)...)
	}
	if app := m.Application.Name; app != "" {
		add(&all, g.allMethods(app)...)
	}
	return start, all
}

// allMethods are the methods with code of class and its app superclasses.
func (g *graph) allMethods(class string) []uint32 {
	tid, ok := g.c.TypeID(descriptor(class))
	if !ok {
		return nil
	}
	var out []uint32
	for depth := 0; depth < 64; depth++ {
		cl := g.class(tid)
		if cl == nil {
			break
		}
		for i := range g.c.Methods(cl) {
			out = append(out, g.base[tid]+uint32(i))
		}
		if cl.Super == dex.NoIndex {
			break
		}
		tid = cl.Super
	}
	return out
}

// markComponents counts the classes the framework creates as
// instantiated: for start-up (all false) the Application, content
// providers, boot receivers and androidx.startup initializers, the only
// ones that exist before any screen (a started service is added when the
// search reaches it); otherwise every component.
func (g *graph) markComponents(m *manifest.Manifest, inst []bool, all bool) {
	if m == nil {
		return
	}
	mark := func(class string) {
		if tid, ok := g.c.TypeID(descriptor(class)); ok && int(tid) < len(inst) {
			inst[tid] = true
		}
	}
	mark(m.Application.Name)
	for _, c := range m.Components {
		startup := c.Type == "provider" || c.Type == "receiver" && isBoot(c)
		if all || startup && c.Enabled != "false" {
			mark(c.Name)
			if c.TargetActivity != "" {
				mark(c.TargetActivity)
			}
		}
		for _, md := range c.MetaData {
			if md.Value != nil && strings.TrimSpace(md.Value.Value) == startupValue {
				mark(md.Name)
			}
		}
	}
}

// isBoot reports whether a receiver listens for the device's boot.
func isBoot(c manifest.Component) bool {
	for _, f := range c.IntentFilters {
		for _, a := range f.Actions {
			if slices.Contains(bootActions, a) {
				return true
			}
		}
	}
	return false
}

// Site is the reachability of one method.
type Site struct {
	Reach string
	// Path runs from an entry to the method, each step
	// "dotted.Class.name(params)return"; empty unless startup or
	// reachable.
	Path []string
	// AsyncHops are the indices in Path entered by a hand-off (a thread,
	// an executor, a handler, a coroutine, a started service) or a
	// framework callback (for start-up paths, of a system-event listener
	// made on the path).
	AsyncHops []int
}

// maxPath bounds a reported path; a longer one keeps its entry and the
// steps nearest the method.
const maxPath = 64

// Lookup returns the reachability of a method given as a dotted class and
// "name(params)return", as the inventory reports call sites.
func (r *Result) Lookup(class, method string) Site {
	if r == nil {
		return Site{}
	}
	id, ok := r.methodID(class, method)
	if !ok {
		return Site{Reach: Unknown}
	}
	switch {
	case r.startup.reached(id):
		return r.site(Startup, &r.startup, id)
	case r.reach.reached(id):
		return r.site(Reachable, &r.reach, id)
	case !r.complete:
		return Site{Reach: Unknown}
	}
	if tid := r.g.defs[id].class; r.loadedOnly(tid) || r.c.Named(tid) {
		// Code only the app's own loader can load, or a class a string
		// names (Class.forName, a reflective factory): no static path,
		// but no proof of death either.
		return Site{Reach: Unknown}
	}
	return Site{Reach: Unreachable}
}

func (r *Result) loadedOnly(tid uint32) bool {
	if r.c.Class(tid) == nil {
		return true
	}
	return int(tid) < len(r.loaded) && r.loaded[tid]
}

func (r *Result) methodID(class, method string) (uint32, bool) {
	c := r.c
	i := strings.IndexByte(method, '(')
	if i < 0 {
		return 0, false
	}
	tid, ok := c.TypeID(descriptor(class))
	if !ok {
		return 0, false
	}
	nid, ok := c.NameID(method[:i])
	if !ok {
		return 0, false
	}
	pid, ok := c.ProtoID(method[i:])
	if !ok {
		return 0, false
	}
	return r.g.lookup(tid, nid, pid)
}

func (r *Result) site(reach string, s *search, id uint32) Site {
	var ids []uint32
	for cur := int32(id); cur >= 0 && len(ids) <= len(s.parent); cur = s.parent[cur] {
		ids = append(ids, uint32(cur))
	}
	slices.Reverse(ids)
	out := Site{Reach: reach, Path: make([]string, 0, min(len(ids), maxPath))}
	if len(ids) > maxPath {
		ids = append(ids[:1], ids[len(ids)-maxPath+1:]...)
	}
	for i, m := range ids {
		d := r.g.defs[m]
		class, name, proto := r.c.MethodString(r.c.Methods(r.g.class(d.class))[d.idx].Key(d.class))
		out.Path = append(out.Path, dotted(class)+"."+name+proto)
		if h := s.hop[m]; i > 0 && (h == hopAsync || h == hopCallback) {
			out.AsyncHops = append(out.AsyncHops, i)
		}
	}
	return out
}
