// Package callgraph answers, for a method of an app's DEX code, whether it
// runs at process start-up (before any screen, so before a consent dialog
// can appear), later from a component, or never as far as the code shows,
// with one shortest call path that proves it.
//
// # Input
//
// The graph is not built from the DEX bytes here: those are dropped as soon
// as each file is scanned. The inventory's code walk (dex.ScanRefsCalls)
// records, in the same pass that looks for data-access references, a
// compact summary of every class (supertypes, methods with code, and what
// each method invokes, instantiates, initialises and names with
// const-class), interned once per app (inventory.Inventory.Calls). This
// package reads that summary and the manifest.
//
// # Edges
//
//   - invoke-static, invoke-direct and invoke-super are exact (resolved
//     upwards through the app's superclasses); invoke-static, new-instance
//     and static field access also run the class's <clinit>.
//   - invoke-virtual and invoke-interface on an app-defined type are
//     resolved by class hierarchy analysis restricted to instantiated
//     classes (RTA): the receiver type and every subtype the code creates
//     somewhere (for start-up: somewhere reachable at start-up, iterated to
//     a fixed point), each resolved upwards to its implementation.
//   - Framework types (not defined in the app) are summarised: a call on one
//     reaches app code only through classes the calling method itself
//     creates (new Runnable() … r.run()).
//   - Hand-offs are modelled where the object is made, since the framework
//     call that runs it (Thread.start, Executor.execute/submit,
//     Handler.post, AsyncTask.execute, a coroutine builder) takes it as an
//     argument whose class the summary cannot follow: a method that creates
//     (or loads the singleton INSTANCE of) a class extending Runnable,
//     Callable, Thread, TimerTask, AsyncTask, Handler, a Kotlin FunctionN
//     or Lambda, or a coroutine body (BaseContinuationImpl) reaches its
//     run/call/doInBackground/handleMessage/invoke/invokeSuspend by an
//     asynchronous hop. Calls on those interfaces themselves are not
//     dispatched by hierarchy (every lambda of the app would follow).
//   - A method that names a manifest service (const-class, or a string
//     spelling its class name) and calls startService,
//     startForegroundService, bindService or enqueueWork reaches the
//     service's lifecycle methods asynchronously.
//   - A method that creates a listener of system events (a class
//     implementing or extending a framework type named *Listener,
//     *Callback(s), *Observer or *Receiver, outside the UI packages
//     android.view, android.widget, android.text, android.webkit,
//     android.preference and DialogInterface) reaches the listener's event
//     methods (on + capital letter) by an asynchronous callback hop, for
//     start-up too: an SDK that registers a LocationListener, a
//     BroadcastReceiver or an ActivityLifecycleCallbacks in
//     Application.onCreate is called back by the framework soon after,
//     before the user can consent. A click or text listener made at
//     start-up is not followed for start-up: it runs on a user's action on
//     a screen, where consent is asked.
//   - For "reachable" only, any class a method creates that extends a
//     framework type reaches all its virtual methods (framework
//     callbacks on some later event).
//
// # Entries and answers
//
// For start-up, the classes that exist before any screen are the
// Application, content providers, boot receivers, androidx.startup
// initializers and services start-up code starts; activities never are,
// so a start-up call through an interface an activity implements does not
// reach the activity.
//
// Start-up entries: the Application class (<clinit>, <init>,
// attachBaseContext, onCreate), every enabled ContentProvider (<clinit>,
// <init>, attachInfo, onCreate), the Initializer.create and dependencies
// of every androidx.startup initializer named in a provider's meta-data
// (hung under that provider's onCreate), and receivers of BOOT_COMPLETED or
// LOCKED_BOOT_COMPLETED; services started from start-up code follow by the
// service edge above. Activities are not start-up entries. Every
// component's methods (and its app superclasses') are entries for
// "reachable".
//
// A method is startup when a breadth-first search from the start-up
// entries over synchronous and hand-off edges reaches it; reachable when
// one from every entry over all edges does; unknown when the work budget
// ran out first, the summary was truncated, the class exists only in code
// the app loads itself (assets, nested archives), or a string constant
// spells its dotted name (a Class.forName or reflective factory target);
// otherwise unreachable. Reflection is not followed.
//
// # Determinism and bounds
//
// Ids in the summary depend on the order files were scanned, so nothing
// here orders by id: entries follow the manifest, a method's edges follow
// its code order, and subtypes are visited sorted by descriptor. The
// first path found by the breadth-first search is a shortest one and the
// same on every run. Work is counted in edges examined and capped
// (Options.MaxSteps); memory is a few arrays over the summary's methods.
package callgraph
