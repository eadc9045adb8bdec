package callgraph

import (
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/sdkaudit/sdkaudit/analyzer/dex"
	"github.com/sdkaudit/sdkaudit/analyzer/inventory"
	"github.com/sdkaudit/sdkaudit/analyzer/manifest"
)

// Reach values, strongest first.
const (
	Startup     = "startup"
	Reachable   = "reachable"
	Unknown     = "unknown"
	Unreachable = "unreachable"
)

// Strength orders reach values: startup > reachable > unknown >
// unreachable > "".
func Strength(reach string) int {
	switch reach {
	case Startup:
		return 4
	case Reachable:
		return 3
	case Unknown:
		return 2
	case Unreachable:
		return 1
	}
	return 0
}

// Options bound one analysis.
type Options struct {
	// MaxSteps bounds the edges examined over all searches; 0 means
	// DefaultMaxSteps. Past it, what was not reached is unknown.
	MaxSteps int
	// MaxPasses bounds the start-up search's fixed-point passes (each
	// widens the set of instantiated classes); 0 means DefaultMaxPasses.
	MaxPasses int
}

// Defaults for Options.
const (
	DefaultMaxSteps  = 40_000_000
	DefaultMaxPasses = 6
)

// Hop kinds on a path.
const (
	hopNone = iota
	hopCall
	hopAsync
	hopCallback
)

// Result is the reachability of one app's methods.
type Result struct {
	c        *dex.Calls
	g        *graph
	startup  search
	reach    search
	complete bool
	loaded   []bool
	// Note says why some answers are unknown ("" when none are).
	Note string
	// Stats summarise the analysis for reports.
	Stats Stats
}

// Stats count what the analysis saw.
type Stats struct {
	Classes        int  `json:"classes"`
	Methods        int  `json:"methods"`
	StartupEntries int  `json:"startup_entries"`
	Entries        int  `json:"entries"`
	StartupMethods int  `json:"startup_methods"`
	Reachable      int  `json:"reachable_methods"`
	Steps          int  `json:"steps"`
	Passes         int  `json:"passes"`
	Complete       bool `json:"complete"`
}

type search struct {
	parent []int32 // method id -> parent method id; -1 entry; -2 not reached
	hop    []uint8
}

func newSearch(n int) search {
	s := search{parent: make([]int32, n), hop: make([]uint8, n)}
	for i := range s.parent {
		s.parent[i] = -2
	}
	return s
}

func (s *search) reached(id uint32) bool { return int(id) < len(s.parent) && s.parent[id] != -2 }

type def struct{ class, idx uint32 }

// graph is the summary indexed for resolution.
type graph struct {
	c *dex.Calls
	// Methods with code get ids here, contiguous per class: defs[id] is
	// the class and index, base[class] its first id, byKey the id of a
	// packed key.
	defs     []def
	base     map[uint32]uint32
	byKey    map[uint64]uint32
	children map[uint32][]uint32
	anc      map[uint32][]uint32
	inst     []bool // instantiated anywhere (for "reachable")
	loaded   []bool // type id -> defined only in code the app loads itself
	// handoff: type id -> method name ids run when an instance is handed
	// off.
	handoff   map[uint32][]uint32
	handNames map[uint32]bool
	services  map[uint32]bool
	startName map[uint32]bool
	extra     map[uint32][]uint32 // synthetic edges (androidx.startup)
	names     struct {
		clinit, init, create, dependencies     uint32
		hasClinit, hasInit, hasCreate, hasDeps bool
	}
	voidProto uint32
	hasVoid   bool
	steps     int
	maxSteps  int
	exhausted bool
}

// handoffTypes are the framework and library types whose instances are
// run by something they are handed to, with the methods that run.
var handoffTypes = map[string][]string{
	"Ljava/lang/Runnable;":                                  {"run"},
	"Ljava/lang/Thread;":                                    {"run"},
	"Ljava/util/TimerTask;":                                 {"run"},
	"Ljava/util/concurrent/Callable;":                       {"call"},
	"Landroid/os/AsyncTask;":                                {"doInBackground", "onPreExecute", "onPostExecute", "onProgressUpdate"},
	"Landroid/os/Handler;":                                  {"handleMessage"},
	"Landroid/os/Handler$Callback;":                         {"handleMessage"},
	"Lkotlin/jvm/internal/Lambda;":                          {"invoke"},
	"Lkotlin/jvm/internal/FunctionBase;":                    {"invoke"},
	"Lkotlin/Function;":                                     {"invoke"},
	"Lkotlin/coroutines/jvm/internal/BaseContinuationImpl;": {"invokeSuspend"},
	"Lkotlin/coroutines/jvm/internal/SuspendLambda;":        {"invokeSuspend"},
	"Lkotlin/coroutines/jvm/internal/ContinuationImpl;":     {"invokeSuspend"},
}

// serviceStarts are the method names that start or bind a service named
// by an Intent.
var serviceStarts = []string{"startService", "startForegroundService", "bindService", "enqueueWork", "startServiceAsUser"}

// serviceLifecycle are the service methods a start runs.
var serviceLifecycle = []string{"<clinit>", "<init>", "onCreate", "onStartCommand", "onStart", "onBind", "onHandleIntent", "onHandleWork"}

// Analyze computes the reachability of inv's code. It returns nil when the
// inventory carries no call summary (the code was not scanned for calls).
func Analyze(inv *inventory.Inventory, opts Options) *Result {
	if inv == nil || inv.Calls == nil {
		return nil
	}
	if opts.MaxSteps <= 0 {
		opts.MaxSteps = DefaultMaxSteps
	}
	if opts.MaxPasses <= 0 {
		opts.MaxPasses = DefaultMaxPasses
	}
	c := inv.Calls
	g := newGraph(c, inv, opts.MaxSteps)
	res := &Result{c: c, g: g, loaded: g.loaded}
	n := len(g.defs)
	res.Stats.Classes, res.Stats.Methods = len(c.Classes), n

	var m *manifest.Manifest
	if inv.Manifest != nil {
		m = inv.Manifest
	}
	start, all := g.entries(m)
	res.Stats.StartupEntries, res.Stats.Entries = len(start), len(all)

	// Start-up: rapid type analysis to a fixed point. The first pass
	// knows only the component classes as instantiated; each pass adds
	// what the code it reached creates.
	inst := make([]bool, len(c.Types))
	g.markComponents(m, inst, false)
	// "Reachable" counts every component: the framework creates them.
	g.markComponents(m, g.inst, true)
	for pass := 1; ; pass++ {
		res.Stats.Passes = pass
		res.startup = newSearch(n)
		grew := g.bfs(&res.startup, start, inst, false)
		if !grew || pass >= opts.MaxPasses || g.exhausted {
			break
		}
	}
	// Reachable: every entry, every edge, every class created anywhere.
	res.reach = newSearch(n)
	if !g.exhausted {
		sources := append(slices.Clone(start), all...)
		g.bfs(&res.reach, sources, g.inst, true)
	}
	for id := range n {
		if res.startup.reached(uint32(id)) {
			res.Stats.StartupMethods++
		}
		if res.reach.reached(uint32(id)) {
			res.Stats.Reachable++
		}
	}
	res.Stats.Steps = g.steps
	res.complete = !g.exhausted && !c.Truncated
	res.Stats.Complete = res.complete
	switch {
	case g.exhausted:
		res.Note = "the reachability analysis stopped at its work budget: methods not reached by then are unknown"
	case c.Truncated:
		res.Note = "the call summary reached its size limit: methods of code not summarised are unknown"
	}
	return res
}

func newGraph(c *dex.Calls, inv *inventory.Inventory, maxSteps int) *graph {
	n := 0
	for _, cl := range c.Classes {
		n += len(cl.Methods)
	}
	g := &graph{c: c, defs: make([]def, 0, n), base: make(map[uint32]uint32, len(c.Classes)), byKey: make(map[uint64]uint32, n), children: map[uint32][]uint32{},
		anc: map[uint32][]uint32{}, inst: make([]bool, len(c.Types)), loaded: make([]bool, len(c.Types)),
		handoff: map[uint32][]uint32{}, handNames: map[uint32]bool{}, services: map[uint32]bool{}, startName: map[uint32]bool{},
		extra: map[uint32][]uint32{}, maxSteps: maxSteps}
	g.names.clinit, g.names.hasClinit = c.NameID("<clinit>")
	g.names.init, g.names.hasInit = c.NameID("<init>")
	g.names.create, g.names.hasCreate = c.NameID("create")
	g.names.dependencies, g.names.hasDeps = c.NameID("dependencies")
	g.voidProto, g.hasVoid = c.ProtoID("()V")
	root := rootFiles(inv)
	for tid, cl := range c.Classes {
		g.base[tid] = uint32(len(g.defs))
		for i, m := range cl.Methods {
			id := uint32(len(g.defs))
			g.defs = append(g.defs, def{tid, uint32(i)})
			g.byKey[m.Key(tid).Pack()] = id
		}
		if cl.Super != dex.NoIndex && int(cl.Super) < len(c.Types) {
			g.children[cl.Super] = append(g.children[cl.Super], tid)
		}
		for _, it := range cl.Interfaces {
			if int(it) < len(c.Types) {
				g.children[it] = append(g.children[it], tid)
			}
		}
		if !root[cl.File] {
			g.loaded[tid] = true
		}
		for _, r := range cl.Refs {
			if k := r.Kind(); (k == dex.CallNew || k == dex.CallInstance) && int(r.Type()) < len(g.inst) {
				g.inst[r.Type()] = true
			}
		}
	}
	for _, kids := range g.children {
		slices.SortFunc(kids, func(a, b uint32) int { return strings.Compare(c.Types[a], c.Types[b]) })
	}
	types := maps.Clone(handoffTypes)
	for i := range 23 {
		types["Lkotlin/jvm/functions/Function"+strconv.Itoa(i)+";"] = []string{"invoke"}
	}
	for desc, names := range types {
		tid, ok := c.TypeID(desc)
		if !ok {
			continue
		}
		for _, nm := range names {
			if id, ok := c.NameID(nm); ok {
				g.handoff[tid] = append(g.handoff[tid], id)
				g.handNames[id] = true
			}
		}
	}
	for _, nm := range serviceStarts {
		if id, ok := c.NameID(nm); ok {
			g.startName[id] = true
		}
	}
	if inv.Manifest != nil {
		for _, comp := range inv.Manifest.Components {
			if comp.Type == "service" {
				if tid, ok := c.TypeID(descriptor(comp.Name)); ok {
					g.services[tid] = true
				}
			}
		}
	}
	return g
}

// rootFiles names the DEX files Android loads by itself.
func rootFiles(inv *inventory.Inventory) map[string]bool {
	out := map[string]bool{}
	for _, f := range inv.Dex.Files {
		out[f.Name] = true
		// Split parts are named with their part's path in front; the
		// summary keeps the name the file was scanned under.
		if i := strings.LastIndexByte(f.Name, '!'); i >= 0 {
			out[f.Name[i+1:]] = true
		}
	}
	return out
}

// descriptor turns a dotted class name into a type descriptor.
func descriptor(dotted string) string {
	return "L" + strings.ReplaceAll(dotted, ".", "/") + ";"
}

// dotted turns a descriptor into a dotted class name.
func dotted(desc string) string { return inventory.DottedClass(desc) }

func (g *graph) class(tid uint32) *dex.CallClass { return g.c.Classes[tid] }

// step charges one unit of work and reports whether the budget holds.
func (g *graph) step() bool {
	g.steps++
	if g.steps > g.maxSteps {
		g.exhausted = true
		return false
	}
	return true
}

// lookup returns the id of method (tid, name, proto) when the class
// defines it with code.
func (g *graph) lookup(tid, name, proto uint32) (uint32, bool) {
	id, ok := g.byKey[dex.MethodKey{Class: tid, Name: name, Proto: proto}.Pack()]
	return id, ok
}

func (g *graph) method(id uint32) *dex.CallMethod {
	d := g.defs[id]
	return &g.class(d.class).Methods[d.idx]
}

// resolveUp finds the implementation of name+proto from tid up its app
// superclasses; virtualOnly skips static, private and constructor methods.
func (g *graph) resolveUp(tid, name, proto uint32, virtualOnly bool) (uint32, bool) {
	for depth := 0; depth < 64; depth++ {
		if id, ok := g.lookup(tid, name, proto); ok && (!virtualOnly || g.method(id).Virtual()) {
			return id, true
		}
		cl := g.class(tid)
		if cl == nil || cl.Super == dex.NoIndex {
			return 0, false
		}
		tid = cl.Super
	}
	return 0, false
}

// named returns the methods called name (any prototype) that tid and its
// app superclasses define, the nearest definition of each prototype.
func (g *graph) named(tid, name uint32) []uint32 {
	var out []uint32
	seen := map[uint32]bool{}
	for depth := 0; depth < 64; depth++ {
		cl := g.class(tid)
		if cl == nil {
			break
		}
		for i, m := range cl.Methods {
			if m.Name == name && !seen[m.Proto] {
				seen[m.Proto] = true
				out = append(out, g.base[tid]+uint32(i))
			}
		}
		if cl.Super == dex.NoIndex {
			break
		}
		tid = cl.Super
	}
	return out
}

// ancestors returns tid's supertypes (classes and interfaces, app-defined
// or not), tid first.
func (g *graph) ancestors(tid uint32) []uint32 {
	if a, ok := g.anc[tid]; ok {
		return a
	}
	out := []uint32{tid}
	seen := map[uint32]bool{tid: true}
	for i := 0; i < len(out) && i < 256; i++ {
		cl := g.class(out[i])
		if cl == nil {
			continue
		}
		add := func(t uint32) {
			if !seen[t] && int(t) < len(g.c.Types) {
				seen[t] = true
				out = append(out, t)
			}
		}
		if cl.Super != dex.NoIndex {
			add(cl.Super)
		}
		for _, it := range cl.Interfaces {
			add(it)
		}
	}
	g.anc[tid] = out
	return out
}

func (g *graph) isSubtype(x, of uint32) bool { return slices.Contains(g.ancestors(x), of) }

// handoffTargets are the methods of x that run when an instance is handed
// off, empty when x is no hand-off type.
func (g *graph) handoffTargets(x uint32) []uint32 {
	var names []uint32
	for _, a := range g.ancestors(x) {
		names = append(names, g.handoff[a]...)
	}
	var out []uint32
	for _, nm := range names {
		for _, id := range g.named(x, nm) {
			if !slices.Contains(out, id) {
				out = append(out, id)
			}
		}
	}
	return out
}

// callbackTargets are the virtual methods x overrides of a framework
// type: run by the framework on some later event.
func (g *graph) callbackTargets(x uint32) []uint32 {
	framework := false
	for _, a := range g.ancestors(x)[1:] {
		if g.class(a) == nil && g.c.Types[a] != "Ljava/lang/Object;" {
			framework = true
			break
		}
	}
	cl := g.class(x)
	if !framework || cl == nil {
		return nil
	}
	var out []uint32
	for i, m := range cl.Methods {
		if m.Virtual() {
			out = append(out, g.base[x]+uint32(i))
		}
	}
	return out
}

// dispatch resolves a virtual call of method id. localNew are the classes
// the calling method creates; inst the classes counted as instantiated.
func (g *graph) dispatch(k dex.MethodKey, localNew []uint32, inst []bool) []uint32 {
	if g.handNames[k.Name] && slices.Contains(g.handoff[k.Class], k.Name) {
		// Run.run(), Function0.invoke(): followed where the object is
		// made, or every lambda of the app would be a target.
		return nil
	}
	var out []uint32
	add := func(t uint32) {
		if m, ok := g.resolveUp(t, k.Name, k.Proto, true); ok && !slices.Contains(out, m) {
			out = append(out, m)
		}
	}
	if g.class(k.Class) == nil {
		// A framework type: only what this method made itself.
		for _, x := range localNew {
			if g.isSubtype(x, k.Class) {
				add(x)
			}
		}
		return out
	}
	stack := []uint32{k.Class}
	seen := map[uint32]bool{k.Class: true}
	for len(stack) > 0 {
		if !g.step() {
			return out
		}
		t := stack[0]
		stack = stack[1:]
		if int(t) < len(inst) && inst[t] {
			add(t)
		}
		for _, ch := range g.children[t] {
			if !seen[ch] {
				seen[ch] = true
				stack = append(stack, ch)
			}
		}
	}
	return out
}

// clinits are the static initialisers run when tid is initialised: its
// own and its app superclasses'.
func (g *graph) clinits(tid uint32, out []uint32) []uint32 {
	if !g.names.hasClinit || !g.hasVoid {
		return out
	}
	for depth := 0; depth < 64; depth++ {
		cl := g.class(tid)
		if cl == nil {
			break
		}
		if id, ok := g.lookup(tid, g.names.clinit, g.voidProto); ok {
			out = append(out, id)
		}
		if cl.Super == dex.NoIndex {
			break
		}
		tid = cl.Super
	}
	return out
}

type edge struct {
	to  uint32
	hop uint8
}

// edges lists the edges out of method u in a deterministic order.
func (g *graph) edges(u uint32, inst []bool, callbacks bool, out []edge) []edge {
	d := g.defs[u]
	cl := g.class(d.class)
	refs := cl.MethodRefs(int(d.idx))
	self := cl.Methods[d.idx].Key(d.class)
	var localNew []uint32
	starts := false
	for _, r := range refs {
		switch r.Kind() {
		case dex.CallNew, dex.CallInstance:
			if g.class(r.Type()) != nil {
				localNew = append(localNew, r.Type())
			}
		case dex.CallStatic, dex.CallDirect, dex.CallVirtual, dex.CallSuper:
			if g.startName[r.Method().Name] {
				starts = true
			}
		}
	}
	call := func(id uint32) { out = append(out, edge{id, hopCall}) }
	for _, id := range g.extra[u] {
		call(id)
	}
	for _, r := range refs {
		if !g.step() {
			return out
		}
		switch r.Kind() {
		case dex.CallStatic:
			k := r.Method()
			for _, ci := range g.clinits(k.Class, nil) {
				call(ci)
			}
			if m, ok := g.resolveUp(k.Class, k.Name, k.Proto, false); ok {
				call(m)
			}
		case dex.CallDirect, dex.CallSuper:
			k := r.Method()
			if m, ok := g.resolveUp(k.Class, k.Name, k.Proto, false); ok {
				call(m)
			}
		case dex.CallVirtual:
			for _, m := range g.dispatch(r.Method(), localNew, inst) {
				call(m)
			}
		case dex.CallStaticField:
			for _, ci := range g.clinits(r.Type(), nil) {
				call(ci)
			}
		case dex.CallNew, dex.CallInstance:
			id := r.Type()
			if g.class(id) == nil {
				continue
			}
			for _, ci := range g.clinits(id, nil) {
				call(ci)
			}
			hand := g.handoffTargets(id)
			for _, m := range hand {
				out = append(out, edge{m, hopAsync})
			}
			if callbacks && len(hand) == 0 {
				for _, m := range g.callbackTargets(id) {
					out = append(out, edge{m, hopCallback})
				}
			}
		case dex.CallConstClass:
			id := r.Type()
			if g.services[id] && starts {
				for _, nm := range serviceLifecycle {
					if nid, ok := g.c.NameID(nm); ok {
						for _, m := range g.named(id, nid) {
							out = append(out, edge{m, hopAsync})
						}
					}
				}
			}
			if g.names.hasDeps && g.names.hasCreate && self.Name == g.names.dependencies {
				// An androidx.startup initializer's dependencies are
				// created before it.
				for _, m := range g.named(id, g.names.create) {
					call(m)
				}
				for _, m := range g.named(id, g.names.dependencies) {
					call(m)
				}
			}
		}
	}
	return out
}

// bfs searches from sources; it reports whether a class reached code
// created that inst did not yet count (and adds it), so the caller can
// search again.
func (g *graph) bfs(s *search, sources []uint32, inst []bool, callbacks bool) bool {
	queue := make([]uint32, 0, len(sources))
	for _, e := range sources {
		if int(e) < len(s.parent) && s.parent[e] == -2 {
			s.parent[e] = -1
			queue = append(queue, e)
		}
	}
	grew := false
	var out []edge
	for i := 0; i < len(queue); i++ {
		u := queue[i]
		out = g.edges(u, inst, callbacks, out[:0])
		if g.exhausted {
			return false
		}
		for _, e := range out {
			if s.parent[e.to] == -2 {
				s.parent[e.to] = int32(u)
				s.hop[e.to] = e.hop
				queue = append(queue, e.to)
			}
		}
		if !callbacks {
			d := g.defs[u]
			if g.services[d.class] && int(d.class) < len(inst) && !inst[d.class] {
				// A service started at start-up now exists.
				inst[d.class] = true
				grew = true
			}
			for _, r := range g.class(d.class).MethodRefs(int(d.idx)) {
				if k := r.Kind(); (k == dex.CallNew || k == dex.CallInstance) && int(r.Type()) < len(inst) && !inst[r.Type()] {
					inst[r.Type()] = true
					grew = true
				}
			}
		}
	}
	return grew
}
