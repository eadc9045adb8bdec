package callgraph

import (
	"cmp"
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

func (s *search) reset() {
	for i := range s.parent {
		s.parent[i] = -2
	}
	clear(s.hop)
}

func (s *search) reached(id uint32) bool { return int(id) < len(s.parent) && s.parent[id] != -2 }

type def struct{ class, idx uint32 }

// bigClass is the number of methods past which a class's methods are
// looked up by binary search instead of a scan.
const bigClass = 16

// graph is the summary indexed for resolution. Everything is in slices
// over type, name or method ids (maps cost several times the memory and
// time of a slice at this size).
type graph struct {
	c *dex.Calls
	// Methods with code get ids here, contiguous per class: defs[id] is
	// the class and index, base[class] its first id.
	defs []def
	base []uint32
	// order holds, at base[class], the class's method indices sorted by
	// name and prototype, for classes of more than bigClass methods
	// (filled on the first lookup in the class).
	order []uint32
	// The children (subclasses and implementors) of type t are
	// kids[kidStart[t]:kidStart[t+1]] (see children).
	kidStart []uint32
	kids     []uint32
	info     []*typeInfo
	inst     []bool // instantiated anywhere (for "reachable")
	loaded   []bool // type id -> defined only in code the app loads itself
	// handoff: type id -> method name ids run when an instance is handed
	// off.
	handoff   map[uint32][]uint32
	handName  []bool              // name id -> some hand-off type runs it
	services  []bool              // type id -> a manifest service
	startName []bool              // name id -> starts or binds a service
	extra     map[uint32][]uint32 // synthetic edges (androidx.startup)
	names     struct {
		clinit, init, create, dependencies     uint32
		hasClinit, hasInit, hasCreate, hasDeps bool
	}
	voidProto uint32
	hasVoid   bool
	object    uint32 // java.lang.Object's type id
	hasObject bool
	// Scratch for dispatch and edges: a generation stamp per type, a
	// queue, the classes a method creates, a call's targets.
	stamp     []uint32
	gen       uint32
	queue     []uint32
	localNew  []uint32
	targets   []uint32
	steps     int
	maxSteps  int
	exhausted bool
}

// typeInfo caches what the searches ask of a type again and again.
type typeInfo struct {
	anc, clinits, hand, callbacks, listeners []uint32
	done                                     uint8 // info* bits: which are computed
}

const (
	infoClinits = 1 << iota
	infoHand
	infoCallbacks
	infoOrder // the class's methods are sorted in graph.order
	infoKids  // the type's children are sorted
	infoListeners
)

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
	for tid := range uint32(c.NumTypes()) {
		if c.Class(tid) != nil {
			res.Stats.Classes++
		}
	}
	res.Stats.Methods = n

	var m *manifest.Manifest
	if inv.Manifest != nil {
		m = inv.Manifest
	}
	start, all := g.entries(m)
	res.Stats.StartupEntries, res.Stats.Entries = len(start), len(all)

	// Start-up: rapid type analysis to a fixed point. The first pass
	// knows only the component classes as instantiated; each pass adds
	// what the code it reached creates.
	inst := make([]bool, c.NumTypes())
	g.markComponents(m, inst, false)
	// "Reachable" counts every component: the framework creates them.
	g.markComponents(m, g.inst, true)
	res.startup = newSearch(n)
	for pass := 1; ; pass++ {
		res.Stats.Passes = pass
		if pass > 1 {
			res.startup.reset()
		}
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
	nt := c.NumTypes()
	n := 0
	for tid := range uint32(nt) {
		if cl := c.Class(tid); cl != nil {
			n += len(c.Methods(cl))
		}
	}
	g := &graph{c: c, defs: make([]def, 0, n), base: make([]uint32, nt), kidStart: make([]uint32, nt+1), info: make([]*typeInfo, nt),
		inst: make([]bool, nt), loaded: make([]bool, nt), handoff: map[uint32][]uint32{}, handName: make([]bool, c.NumNames()),
		services: make([]bool, nt), startName: make([]bool, c.NumNames()), extra: map[uint32][]uint32{}, stamp: make([]uint32, nt), maxSteps: maxSteps}
	g.names.clinit, g.names.hasClinit = c.NameID("<clinit>")
	g.names.init, g.names.hasInit = c.NameID("<init>")
	g.names.create, g.names.hasCreate = c.NameID("create")
	g.names.dependencies, g.names.hasDeps = c.NameID("dependencies")
	g.voidProto, g.hasVoid = c.ProtoID("()V")
	g.object, g.hasObject = c.TypeID("Ljava/lang/Object;")
	root := rootFiles(inv)
	var order []uint32
	nkids := 0
	for tid := range uint32(nt) {
		cl := c.Class(tid)
		if cl == nil {
			continue
		}
		b := uint32(len(g.defs))
		g.base[tid] = b
		for i := range c.Methods(cl) {
			g.defs = append(g.defs, def{tid, uint32(i)})
		}
		if len(c.Methods(cl)) > bigClass && order == nil {
			order = make([]uint32, n)
		}
		if cl.Super != dex.NoIndex && int(cl.Super) < nt {
			g.kidStart[cl.Super+1]++
			nkids++
		}
		for _, it := range c.Interfaces(cl) {
			if int(it) < nt {
				g.kidStart[it+1]++
				nkids++
			}
		}
		if !root[c.File(cl)] {
			g.loaded[tid] = true
		}
		for _, r := range c.Refs(cl) {
			if k := r.Kind(); (k == dex.CallNew || k == dex.CallInstance) && int(r.Type()) < nt {
				g.inst[r.Type()] = true
			}
		}
	}
	g.order = order
	for t := range nt {
		g.kidStart[t+1] += g.kidStart[t]
	}
	g.kids = make([]uint32, nkids)
	fill := slices.Clone(g.kidStart[:nt])
	for tid := range uint32(nt) {
		cl := c.Class(tid)
		if cl == nil {
			continue
		}
		if cl.Super != dex.NoIndex && int(cl.Super) < nt {
			g.kids[fill[cl.Super]] = tid
			fill[cl.Super]++
		}
		for _, it := range c.Interfaces(cl) {
			if int(it) < nt {
				g.kids[fill[it]] = tid
				fill[it]++
			}
		}
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
				g.handName[id] = true
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

// sig orders methods by name, then prototype.
func sig(m dex.CallMethod) uint64 { return uint64(m.Name)<<32 | uint64(m.Proto) }

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

func (g *graph) class(tid uint32) *dex.CallClass { return g.c.Class(tid) }

func (g *graph) typeInfo(tid uint32) *typeInfo {
	ti := g.info[tid]
	if ti == nil {
		ti = &typeInfo{}
		g.info[tid] = ti
	}
	return ti
}

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
// defines it with code (the last definition, should a broken file hold
// two).
func (g *graph) lookup(tid, name, proto uint32) (uint32, bool) {
	cl := g.class(tid)
	if cl == nil {
		return 0, false
	}
	ms := g.c.Methods(cl)
	b := g.base[tid]
	if len(ms) <= bigClass {
		for i := len(ms) - 1; i >= 0; i-- {
			if ms[i].Name == name && ms[i].Proto == proto {
				return b + uint32(i), true
			}
		}
		return 0, false
	}
	ord := g.order[b : b+uint32(len(ms))]
	if ti := g.typeInfo(tid); ti.done&infoOrder == 0 {
		// Sorted on first use: most classes are never looked into.
		for i := range ord {
			ord[i] = uint32(i)
		}
		slices.SortStableFunc(ord, func(x, y uint32) int { return cmp.Compare(sig(ms[x]), sig(ms[y])) })
		ti.done |= infoOrder
	}
	key := uint64(name)<<32 | uint64(proto)
	// The first entry past key; the one before it is the last equal.
	i, _ := slices.BinarySearchFunc(ord, key+1, func(x uint32, k uint64) int { return cmp.Compare(sig(ms[x]), k) })
	if i > 0 && sig(ms[ord[i-1]]) == key {
		return b + ord[i-1], true
	}
	return 0, false
}

func (g *graph) method(id uint32) *dex.CallMethod {
	d := g.defs[id]
	return &g.c.Methods(g.class(d.class))[d.idx]
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
	for depth := 0; depth < 64; depth++ {
		cl := g.class(tid)
		if cl == nil {
			break
		}
		for i, m := range g.c.Methods(cl) {
			if m.Name == name && !g.hasProto(out, m.Proto) {
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

// hasProto reports whether one of the methods ids has prototype proto.
func (g *graph) hasProto(ids []uint32, proto uint32) bool {
	for _, id := range ids {
		if g.method(id).Proto == proto {
			return true
		}
	}
	return false
}

// ancestors returns tid's supertypes (classes and interfaces, app-defined
// or not), tid first.
func (g *graph) ancestors(tid uint32) []uint32 {
	ti := g.typeInfo(tid)
	if ti.anc != nil {
		return ti.anc
	}
	out := []uint32{tid}
	nt := g.c.NumTypes()
	for i := 0; i < len(out) && i < 256; i++ {
		cl := g.class(out[i])
		if cl == nil {
			continue
		}
		add := func(t uint32) {
			if int(t) < nt && !slices.Contains(out, t) {
				out = append(out, t)
			}
		}
		if cl.Super != dex.NoIndex {
			add(cl.Super)
		}
		for _, it := range g.c.Interfaces(cl) {
			add(it)
		}
	}
	ti.anc = out
	return out
}

func (g *graph) isSubtype(x, of uint32) bool { return slices.Contains(g.ancestors(x), of) }

// handoffTargets are the methods of x that run when an instance is handed
// off, empty when x is no hand-off type.
func (g *graph) handoffTargets(x uint32) []uint32 {
	ti := g.typeInfo(x)
	if ti.done&infoHand != 0 {
		return ti.hand
	}
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
	ti.hand, ti.done = out, ti.done|infoHand
	return out
}

// callbackTargets are the virtual methods x overrides of a framework
// type: run by the framework on some later event.
func (g *graph) callbackTargets(x uint32) []uint32 {
	ti := g.typeInfo(x)
	if ti.done&infoCallbacks != 0 {
		return ti.callbacks
	}
	ti.done |= infoCallbacks
	framework := false
	for _, a := range g.ancestors(x)[1:] {
		if g.class(a) == nil && !(g.hasObject && a == g.object) {
			framework = true
			break
		}
	}
	cl := g.class(x)
	if !framework || cl == nil {
		return nil
	}
	var out []uint32
	for i, m := range g.c.Methods(cl) {
		if m.Virtual() {
			out = append(out, g.base[x]+uint32(i))
		}
	}
	ti.callbacks = out
	return out
}

// listenerTargets are the event methods (on + capital letter) x defines
// when x implements or extends a framework listener of system events:
// a type named *Listener, *Callback(s), *Observer or *Receiver outside the
// UI packages (a click or text listener runs on a user's action on a
// screen, which is where consent is asked).
func (g *graph) listenerTargets(x uint32) []uint32 {
	ti := g.typeInfo(x)
	if ti.done&infoListeners != 0 {
		return ti.listeners
	}
	ti.done |= infoListeners
	cl := g.class(x)
	if cl == nil || !slices.ContainsFunc(g.ancestors(x)[1:], func(a uint32) bool { return g.class(a) == nil && listenerType(g.c.Type(a)) }) {
		return nil
	}
	var out []uint32
	for i, m := range g.c.Methods(cl) {
		if m.Virtual() && eventName(g.c.NameBytes(m.Name)) {
			out = append(out, g.base[x]+uint32(i))
		}
	}
	ti.listeners = out
	return out
}

// uiPackages hold the framework's listeners of what a user does on a
// screen.
var uiPackages = []string{"Landroid/view/", "Landroid/widget/", "Landroid/text/", "Landroid/webkit/", "Landroid/preference/", "Landroid/content/DialogInterface$"}

// listenerType reports whether a framework type descriptor names a
// listener of system events.
func listenerType(desc string) bool {
	for _, p := range uiPackages {
		if strings.HasPrefix(desc, p) {
			return false
		}
	}
	name := strings.TrimSuffix(desc, ";")
	name = name[strings.LastIndexAny(name, "/$")+1:]
	name = strings.TrimRight(name, "0123456789")
	for _, suf := range []string{"Listener", "Callback", "Callbacks", "Observer", "Receiver"} {
		if strings.HasSuffix(name, suf) {
			return true
		}
	}
	return false
}

// eventName reports whether a method name reads as an event callback:
// "on" and a capital letter (onLocationChanged, onReceive).
func eventName(name []byte) bool {
	return len(name) > 2 && name[0] == 'o' && name[1] == 'n' && name[2] >= 'A' && name[2] <= 'Z'
}

// dispatch resolves a virtual call of method id into out. localNew are
// the classes the calling method creates; inst the classes counted as
// instantiated.
func (g *graph) dispatch(k dex.MethodKey, localNew []uint32, inst []bool, out []uint32) []uint32 {
	if int(k.Name) < len(g.handName) && g.handName[k.Name] && slices.Contains(g.handoff[k.Class], k.Name) {
		// Run.run(), Function0.invoke(): followed where the object is
		// made, or every lambda of the app would be a target.
		return out
	}
	start := len(out)
	add := func(t uint32) {
		if m, ok := g.resolveUp(t, k.Name, k.Proto, true); ok && !slices.Contains(out[start:], m) {
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
	g.gen++
	if g.gen == 0 {
		clear(g.stamp)
		g.gen = 1
	}
	stack := append(g.queue[:0], k.Class)
	g.stamp[k.Class] = g.gen
	for i := 0; i < len(stack); i++ {
		if !g.step() {
			break
		}
		t := stack[i]
		if int(t) < len(inst) && inst[t] {
			add(t)
		}
		for _, ch := range g.children(t) {
			if g.stamp[ch] != g.gen {
				g.stamp[ch] = g.gen
				stack = append(stack, ch)
			}
		}
	}
	g.queue = stack
	return out
}

// children are t's subclasses and implementors, sorted by descriptor
// (on first use: most types are never dispatched on).
func (g *graph) children(t uint32) []uint32 {
	k := g.kids[g.kidStart[t]:g.kidStart[t+1]]
	if len(k) > 1 {
		if ti := g.typeInfo(t); ti.done&infoKids == 0 {
			slices.SortFunc(k, g.c.CompareTypes)
			ti.done |= infoKids
		}
	}
	return k
}

// clinits are the static initialisers run when tid is initialised: its
// own and its app superclasses'.
func (g *graph) clinits(tid uint32) []uint32 {
	if !g.names.hasClinit || !g.hasVoid || int(tid) >= len(g.info) {
		return nil
	}
	ti := g.typeInfo(tid)
	if ti.done&infoClinits != 0 {
		return ti.clinits
	}
	var out []uint32
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
	ti.clinits, ti.done = out, ti.done|infoClinits
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
	refs := g.c.MethodRefs(cl, int(d.idx))
	self := g.c.Methods(cl)[d.idx].Key(d.class)
	localNew := g.localNew[:0]
	starts := false
	for _, r := range refs {
		switch r.Kind() {
		case dex.CallNew, dex.CallInstance:
			if g.class(r.Type()) != nil {
				localNew = append(localNew, r.Type())
			}
		case dex.CallStatic, dex.CallDirect, dex.CallVirtual, dex.CallSuper:
			if n := r.Method().Name; int(n) < len(g.startName) && g.startName[n] {
				starts = true
			}
		}
	}
	g.localNew = localNew
	call := func(id uint32) { out = append(out, edge{id, hopCall}) }
	if len(g.extra) > 0 {
		for _, id := range g.extra[u] {
			call(id)
		}
	}
	targets := g.targets
	for _, r := range refs {
		if !g.step() {
			return out
		}
		switch r.Kind() {
		case dex.CallStatic:
			k := r.Method()
			for _, ci := range g.clinits(k.Class) {
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
			targets = g.dispatch(r.Method(), localNew, inst, targets[:0])
			for _, m := range targets {
				call(m)
			}
		case dex.CallStaticField:
			for _, ci := range g.clinits(r.Type()) {
				call(ci)
			}
		case dex.CallNew, dex.CallInstance:
			id := r.Type()
			if g.class(id) == nil {
				continue
			}
			for _, ci := range g.clinits(id) {
				call(ci)
			}
			hand := g.handoffTargets(id)
			for _, m := range hand {
				out = append(out, edge{m, hopAsync})
			}
			switch {
			case len(hand) > 0:
			case callbacks:
				for _, m := range g.callbackTargets(id) {
					out = append(out, edge{m, hopCallback})
				}
			default:
				// Start-up: a system-event listener made here is
				// registered here as a rule, and the framework calls it
				// back soon after, before consent.
				for _, m := range g.listenerTargets(id) {
					out = append(out, edge{m, hopCallback})
				}
			}
		case dex.CallConstClass:
			id := r.Type()
			if int(id) < len(g.services) && g.services[id] && starts {
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
	g.targets = targets
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
			if g.services[d.class] && !inst[d.class] {
				// A service started at start-up now exists.
				inst[d.class] = true
				grew = true
			}
			for _, r := range g.c.MethodRefs(g.class(d.class), int(d.idx)) {
				if k := r.Kind(); (k == dex.CallNew || k == dex.CallInstance) && int(r.Type()) < len(inst) && !inst[r.Type()] {
					inst[r.Type()] = true
					grew = true
				}
			}
		}
	}
	return grew
}
