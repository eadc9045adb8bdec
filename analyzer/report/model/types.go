package model

// The types below mirror, field for field, the internal types the JSON
// documents are made from (their comments say what each holds); only
// what is listed here is published. A field added to an internal type
// stays out of the JSON until it is added here, to the schema and to
// docs/json-schema-changes.md.

// Inventory is everything the binary says about the app.
type Inventory struct {
	File string `json:"file"`
	// Platform is android or ios.
	Platform string `json:"platform"`
	SHA256   string `json:"sha256"`
	Size     int64  `json:"size"`
	*Manifest
	Dex          Dex         `json:"dex"`
	OtherCode    []CodeEntry `json:"other_code"`
	NativeLibs   []NativeABI `json:"native_libs"`
	NativeOther  []NativeLib `json:"native_libs_elsewhere"`
	Entries      int         `json:"zip_entries"`
	Status       string      `json:"status"`
	Errors       []Problem   `json:"errors"`
	Notes        []Note      `json:"notes"`
	HasResources bool        `json:"has_resources"`
	// VersionFiles are the META-INF/<group>_<artifact>.version files that
	// Gradle-built libraries leave behind: the most reliable SDK versions.
	VersionFiles []VersionFile `json:"version_files"`
	// VersionStrings are versions the code states: version constants of
	// the DEX files' classes and version strings of SDK native libraries.
	// Which SDK each belongs to is for the detect stage to say.
	VersionStrings []VersionString `json:"version_strings,omitempty"`
	// Format is how the app was packaged (container.Format*).
	Format string `json:"format"`
	// Parts lists the APKs or bundle modules the app was assembled from;
	// empty for a plain APK. For an iOS app: the app and its extensions.
	Parts []Part `json:"parts,omitempty"`
	// IOS holds what only an iOS app has; nil for Android.
	IOS *IOS `json:"ios,omitempty"`
}

// Manifest is the decoded AndroidManifest.xml.
type Manifest struct {
	Package     string `json:"package"`
	VersionCode *Value `json:"version_code"`
	VersionName *Value `json:"version_name"`
	// VersionCodeMajor is the upper 32 bits of the long version code
	// (API 28+); LongVersionCode combines both when they are numeric.
	VersionCodeMajor *Value `json:"version_code_major,omitempty"`
	LongVersionCode  *int64 `json:"long_version_code,omitempty"`
	SharedUserID     string `json:"shared_user_id,omitempty"`
	// Split names a split APK ("config.arm64_v8a", a feature module); it
	// is empty for the base APK. IsFeatureSplit marks dynamic features.
	Split               string               `json:"split,omitempty"`
	IsFeatureSplit      bool                 `json:"is_feature_split,omitempty"`
	MinSDK              SDKLevel             `json:"min_sdk"`
	TargetSDK           SDKLevel             `json:"target_sdk"`
	MaxSDK              SDKLevel             `json:"max_sdk"`
	Permissions         []UsesPermission     `json:"permissions"`
	DeclaredPermissions []DeclaredPermission `json:"declared_permissions"`
	Application         Application          `json:"application"`
	Components          []Component          `json:"components"`
	MetaData            []MetaData           `json:"meta_data"`
	Features            []Feature            `json:"uses_features"`
	Libraries           []Library            `json:"uses_libraries"`
	Queries             Queries              `json:"queries"`
	// Notes are non-fatal oddities, e.g. permissions declared in a place
	// Android ignores.
	Notes []string `json:"notes,omitempty"`
}

// Value is an attribute value as the app declares it. When the manifest
// refers to a resource, Value holds the resolved value and Reference the raw
// reference (e.g. "@0x7f040001"); an unresolvable reference leaves Value
// equal to Reference.
type Value struct {
	Value     string `json:"value"`
	Reference string `json:"reference,omitempty"`
}

// SDKLevel is one of the <uses-sdk> levels.
type SDKLevel struct {
	// Declared is the attribute as written (resolved), nil when absent.
	Declared *Value `json:"declared"`
	// Effective applies Android's defaults; nil when the level is a
	// pre-release codename or cannot be determined.
	Effective *int `json:"effective"`
}

// UsesPermission is one <uses-permission>, <uses-permission-sdk-23> or
// <uses-permission-sdk-m> element.
type UsesPermission struct {
	Name          string `json:"name"`
	MaxSDKVersion *int   `json:"max_sdk_version"`
	// SDK23 marks the permission as requested only on API 23 and above.
	SDK23   bool   `json:"sdk23"`
	Element string `json:"element"`
	// UsesPermissionFlags carries e.g. "neverForLocation" (0x10000).
	UsesPermissionFlags string `json:"uses_permission_flags,omitempty"`
}

// DeclaredPermission is a permission the app itself defines.
type DeclaredPermission struct {
	Name            string `json:"name"`
	ProtectionLevel string `json:"protection_level"`
	Group           string `json:"group,omitempty"`
}

// Application holds the <application> attributes an auditor asks about.
type Application struct {
	Name                  string `json:"name,omitempty"`
	Debuggable            string `json:"debuggable,omitempty"`
	AllowBackup           string `json:"allow_backup,omitempty"`
	UsesCleartextTraffic  string `json:"uses_cleartext_traffic,omitempty"`
	NetworkSecurityConfig string `json:"network_security_config,omitempty"`
	HasCode               string `json:"has_code,omitempty"`
}

// Component is an activity, activity-alias, service, receiver or provider.
type Component struct {
	Type string `json:"type"`
	Name string `json:"name"`
	// Exported is "absent", "true" or "false": Android's default depends on
	// the target SDK and intent filters, so the declaration is kept as is.
	Exported       string         `json:"exported"`
	Enabled        string         `json:"enabled,omitempty"`
	Process        string         `json:"process,omitempty"`
	Permission     string         `json:"permission,omitempty"`
	Authorities    []string       `json:"authorities,omitempty"`
	TargetActivity string         `json:"target_activity,omitempty"`
	IntentFilters  []IntentFilter `json:"intent_filters,omitempty"`
}

// IntentFilter is a summary of one <intent-filter>.
type IntentFilter struct {
	Actions    []string `json:"actions,omitempty"`
	Categories []string `json:"categories,omitempty"`
	Schemes    []string `json:"schemes,omitempty"`
	Hosts      []string `json:"hosts,omitempty"`
}

// MetaData is one <meta-data> element.
type MetaData struct {
	// Owner is "application" or the fully qualified component name.
	Owner    string `json:"owner"`
	Name     string `json:"name"`
	Value    *Value `json:"value,omitempty"`
	Resource *Value `json:"resource,omitempty"`
}

// Feature is a <uses-feature>.
type Feature struct {
	Name        string `json:"name,omitempty"`
	Required    bool   `json:"required"`
	GLESVersion string `json:"gl_es_version,omitempty"`
}

// Library is a <uses-library> or <uses-native-library>.
type Library struct {
	Name     string `json:"name"`
	Required bool   `json:"required"`
	Native   bool   `json:"native,omitempty"`
}

// Queries is the <queries> element (package visibility, API 30+).
type Queries struct {
	Packages  []string       `json:"packages"`
	Intents   []IntentFilter `json:"intents"`
	Providers []string       `json:"providers"`
}

// Dex summarises the app's own code.
type Dex struct {
	Files           []DexFile `json:"files"`
	ClassesTotal    int       `json:"classes_total"`
	ClassesDistinct int       `json:"classes_distinct"`
	// Classes are the distinct class descriptors, sorted. Large: reports
	// include them only on request.
	Classes []string `json:"classes,omitempty"`
}

// DexFile describes one root classes*.dex.
type DexFile struct {
	Name    string `json:"name"`
	Size    uint64 `json:"size"`
	Version int    `json:"version"`
	Classes int    `json:"classes"`
	// Loaded is false for a classesN.dex that Android skips because the
	// numbering has a gap before it.
	Loaded bool   `json:"loaded"`
	Error  string `json:"error,omitempty"`
	// Code counts what the code scan walked; nil when it did not run.
	Code *CodeStats `json:"code,omitempty"`
}

// CodeStats counts what a code scan walked.
type CodeStats struct {
	Classes      int   `json:"classes"`
	Methods      int   `json:"methods"`
	CodeItems    int   `json:"code_items"`
	CodeUnits    int64 `json:"code_units"`
	Instructions int64 `json:"instructions"`
	// Failed counts classes or methods whose code could not be decoded;
	// their references are missing from the result.
	Failed int `json:"failed"`
}

// CodeEntry is code shipped outside the root DEX files: DEX in assets,
// jars, nested APKs. Android does not load it by itself; an app or SDK that
// does so is hiding code from a scan of the root DEX files.
type CodeEntry struct {
	Path string `json:"path"`
	Kind string `json:"kind"`
	Size uint64 `json:"size"`
	// Dex lists the DEX files read from this entry: the entry itself for
	// kind dex, the archive's *.dex members otherwise (one level deep).
	Dex []DexFile `json:"dex"`
	// Error says why the entry's code could not be read.
	Error string `json:"error,omitempty"`
}

// NativeABI groups the libraries under lib/<abi>/.
type NativeABI struct {
	ABI  string      `json:"abi"`
	Libs []NativeLib `json:"libs"`
}

// NativeLib is one shared object.
type NativeLib struct {
	Name string `json:"name"`
	Path string `json:"path"`
	Size uint64 `json:"size"`
}

// Problem is something that stopped part of the analysis.
type Problem struct {
	Stage   string `json:"stage"`
	Path    string `json:"path,omitempty"`
	Message string `json:"message"`
}

// Note is a non-fatal observation worth showing an auditor.
type Note struct {
	Stage   string `json:"stage"`
	Code    string `json:"code"`
	Message string `json:"message"`
}

// VersionFile is one META-INF/*.version entry.
type VersionFile struct {
	Path     string `json:"path"`
	Group    string `json:"group"`
	Artifact string `json:"artifact"`
	Version  string `json:"version"`
}

// VersionString is a version the code states.
type VersionString struct {
	// Kind is VersionDexConstant or VersionNativeString.
	Kind string `json:"kind"`
	// Path is the DEX file or the library's path in the archive.
	Path string `json:"path"`
	// Class and Field name a DEX constant (dotted class name).
	Class string `json:"class,omitempty"`
	Field string `json:"field,omitempty"`
	// Lib is the library's file name for a native string.
	Lib     string `json:"lib,omitempty"`
	Version string `json:"version"`
}

// Part is one part of a multi-APK app.
type Part struct {
	// Path is where the part is in the file (an entry, a module folder or
	// a file of a split directory).
	Path   string `json:"path"`
	Module string `json:"module,omitempty"`
	// Split is the split name from the part's manifest, "" for the base.
	Split string `json:"split,omitempty"`
	// Kind is base, config (ABI, density, language) or feature.
	Kind    string `json:"kind"`
	Entries int    `json:"zip_entries"`
}

// IOS is what an iOS app bundle says beyond the fields it shares with an
// Android app (bundle id as Package, versions, usage-description keys as
// Permissions).
type IOS struct {
	// Bundle is the app bundle's folder in the archive.
	Bundle     string `json:"bundle"`
	Executable string `json:"executable"`
	Name       string `json:"name,omitempty"`
	// MinimumOS is MinimumOSVersion from Info.plist.
	MinimumOS string `json:"minimum_os,omitempty"`
	// UsageDescriptions are the NS…UsageDescription keys of the app and
	// its extensions with their purpose strings, sorted by key then
	// bundle.
	UsageDescriptions []UsageDescription `json:"usage_descriptions"`
	// QueriesSchemes is LSApplicationQueriesSchemes: the other apps the
	// app may ask about (canOpenURL), sorted.
	QueriesSchemes []string `json:"queries_schemes"`
	// URLSchemes are the schemes of CFBundleURLTypes (SDK callbacks such
	// as wx…, fb…, tencent…), sorted.
	URLSchemes []string `json:"url_schemes"`
	// BackgroundModes is UIBackgroundModes, sorted.
	BackgroundModes []string `json:"background_modes"`
	// Entitlements are the main executable's signed entitlements, sorted
	// by key; empty when the signature carries none.
	Entitlements []Entitlement `json:"entitlements"`
	// PlistKeys are the top-level keys of the app's Info.plist, sorted,
	// for SDK signatures (FacebookAppID, GADApplicationIdentifier).
	PlistKeys []string `json:"plist_keys"`
	// Binaries are the Mach-O files read: the app's and its extensions'
	// executables, framework binaries and dylibs, by path.
	Binaries []Binary `json:"binaries"`
	// Frameworks are the embedded frameworks and dylibs, by path.
	Frameworks []Framework `json:"frameworks"`
	// PrivacyManifests are every PrivacyInfo.xcprivacy, by path.
	PrivacyManifests []PrivacyManifest `json:"privacy_manifests"`
	// Resources are the names of resource bundles (*.bundle) anywhere in
	// the app and of the property lists at a bundle's root other than
	// Info.plist (GoogleService-Info.plist), sorted and distinct.
	Resources []string `json:"resources"`
}

// UsageDescription is one usage-description key with its purpose string.
type UsageDescription struct {
	Key     string `json:"key"`
	Purpose string `json:"purpose"`
	// Bundle is "app" or the extension ("PlugIns/Share.appex") that asks.
	Bundle string `json:"bundle"`
}

// Entitlement is one signed entitlement, its value rendered as text.
type Entitlement struct {
	Key   string `json:"key"`
	Value string `json:"value"`
}

// Binary is one Mach-O file of the app.
type Binary struct {
	Path string `json:"path"`
	// Kind is executable, extension, framework or dylib.
	Kind string `json:"kind"`
	// Owner is "app", the extension's or the framework's name.
	Owner string `json:"owner"`
	Size  uint64 `json:"size"`
	*MachO
	// Classes counts the class names read.
	Classes int    `json:"classes"`
	Error   string `json:"error,omitempty"`
}

// MachO is what an iOS executable, framework binary or dylib says about
// itself: enough to name the SDKs linked into it and the system frameworks
// it links against.
type MachO struct {
	// Archs are the architectures of the file's slices (one for a thin
	// file), in file order: arm64, arm64e, armv7, x86_64, ...
	Archs []string `json:"archs"`
	// Slice is the architecture that was read (arm64 when present).
	Slice string `json:"slice"`
	// Type is the Mach-O file type: execute, dylib, bundle, object, ...
	Type string `json:"type"`
	// MinOS is the minimum iOS version from LC_BUILD_VERSION or
	// LC_VERSION_MIN_IPHONEOS, "" when neither is there.
	MinOS string `json:"min_os,omitempty"`
	// Encrypted is true when LC_ENCRYPTION_INFO(_64) has a non-zero
	// cryptid: the App Store's FairPlay encryption, which leaves the code
	// and the Objective-C metadata unreadable.
	Encrypted bool `json:"encrypted"`
	// Libraries are the dylibs the file links (LC_LOAD_DYLIB and its weak,
	// re-export, lazy and upward forms), in load-command order.
	Libraries []string `json:"libraries"`
	// Notes are oddities that did not stop the read.
	Notes []string `json:"notes,omitempty"`
}

// Framework is one embedded framework or dylib.
type Framework struct {
	Name string `json:"name"`
	Path string `json:"path"`
	// framework or dylib
	Kind     string `json:"kind"`
	BundleID string `json:"bundle_id,omitempty"`
	Version  string `json:"version,omitempty"`
	// PrivacyManifest is the path of the framework's privacy manifest
	// (inside it, or in a resource bundle named after it), "" when it
	// ships none.
	PrivacyManifest string `json:"privacy_manifest,omitempty"`
}

// PrivacyManifest is one PrivacyInfo.xcprivacy.
type PrivacyManifest struct {
	Path string `json:"path"`
	// Owner is "app", an extension, or the framework or resource bundle
	// the manifest belongs to.
	Owner           string          `json:"owner"`
	Tracking        bool            `json:"tracking"`
	TrackingDomains []string        `json:"tracking_domains"`
	CollectedData   []CollectedData `json:"collected_data"`
	AccessedAPIs    []AccessedAPI   `json:"accessed_apis"`
}

// CollectedData is one NSPrivacyCollectedDataTypes entry.
type CollectedData struct {
	Type     string   `json:"type"`
	Linked   bool     `json:"linked"`
	Tracking bool     `json:"tracking"`
	Purposes []string `json:"purposes"`
}

// AccessedAPI is one NSPrivacyAccessedAPITypes entry: a required-reason
// API category and the reasons declared for it.
type AccessedAPI struct {
	Type    string   `json:"type"`
	Reasons []string `json:"reasons"`
}

// SDK is one SDK found in the app.
type SDK struct {
	ID         string `json:"id"`
	Name       string `json:"name"`
	NameZH     string `json:"name_zh,omitempty"`
	Vendor     string `json:"vendor"`
	Category   string `json:"category"`
	Kind       string `json:"kind"`
	Confidence string `json:"confidence"`
	// Via names the SDK that bundles this one when its only evidence is
	// code an adapter or bundle of that SDK carries.
	Via string `json:"via,omitempty"`
	// Version is the SDK version read from the app, with VersionSource
	// saying where: a META-INF or Play services version file (its path), a
	// version constant of the SDK's own classes ("classes.dex:
	// com.x.BuildConfig.VERSION_NAME"), or the one version string of the
	// SDK's native library ("lib/arm64-v8a/libx.so: string"); empty when
	// the app does not say.
	Version       string     `json:"version,omitempty"`
	VersionSource string     `json:"version_source,omitempty"`
	Evidence      []Evidence `json:"evidence"`
	// Permissions are the SDK's typical permissions that the app's
	// manifest requests.
	Permissions []string `json:"permissions,omitempty"`
	// TraceReason says, for an entry of Result.Traces, why its evidence
	// does not show the SDK itself.
	TraceReason string `json:"trace_reason,omitempty"`
}

// Evidence is one observation that points at an SDK.
type Evidence struct {
	Kind string `json:"kind"`
	// Signature is the rule's pattern that matched.
	Signature string `json:"signature"`
	// Where says what in the app matched: a DEX file and class count, a
	// manifest element, a library path.
	Where string `json:"where"`
	// Classes counts matched classes for dex-prefix evidence.
	Classes int `json:"classes,omitempty"`
	// Trace is set when this observation alone does not show the SDK's
	// own code (see Detection.TraceReason).
	Trace bool `json:"trace,omitempty"`
}

// DataAccess is the data-access evidence of one app.
type DataAccess struct {
	Note string `json:"note"`
	// Owners come with the app first, then SDKs by id.
	Owners []DataOwner `json:"owners"`
	// Methods and Instructions count the code that was scanned.
	Methods      int   `json:"methods_scanned"`
	Instructions int64 `json:"instructions_scanned"`
	// Incomplete is true when some code could not be scanned.
	Incomplete bool `json:"incomplete,omitempty"`
	// Reachability summarises the call graph; nil when not analysed.
	Reachability *Reachability `json:"reachability,omitempty"`
}

// DataOwner is the app or one SDK, with the data its code reads.
type DataOwner struct {
	ID     string `json:"id"`
	Kind   string `json:"kind"`
	Name   string `json:"name"`
	Vendor string `json:"vendor,omitempty"`
	// Categories are sorted by id.
	Categories []DataCategory `json:"categories"`
}

// DataCategory is what one owner's code reads of one data category.
type DataCategory struct {
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
	SitesTotal int        `json:"sites_total"`
	CallSites  []CallSite `json:"call_sites"`
	// Reach is the strongest reach of the category's sites (all of them,
	// not only those listed); StartupSites counts the startup ones.
	Reach        string `json:"reach,omitempty"`
	StartupSites int    `json:"startup_sites,omitempty"`
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

// CallSite is one method that reads a data category.
type CallSite struct {
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
	// thread, executor, handler, coroutine or started service; on a
	// reachable path also a framework callback).
	AsyncHops []int `json:"async_hops,omitempty"`
}

// Reachability is what the call graph saw.
type Reachability struct {
	Classes        int  `json:"classes"`
	Methods        int  `json:"methods"`
	StartupEntries int  `json:"startup_entries"`
	Entries        int  `json:"entries"`
	StartupMethods int  `json:"startup_methods"`
	Reachable      int  `json:"reachable_methods"`
	Steps          int  `json:"steps"`
	Passes         int  `json:"passes"`
	Complete       bool `json:"complete"`
	// Note says why some sites are unknown.
	Note string `json:"note,omitempty"`
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

// Finding is one result of a check.
type Finding struct {
	Rule     string  `json:"rule"`
	Kind     string  `json:"kind"`
	Severity string  `json:"severity"`
	Subject  Subject `json:"subject"`
	// Message and MessageZH say what is wrong, in English and Chinese.
	Message   string `json:"message"`
	MessageZH string `json:"message_zh"`
	// AppEvidence is where the subject was seen in the app; PolicyEvidence
	// what the policy says about it (or that it says nothing).
	AppEvidence    []string `json:"app_evidence"`
	PolicyEvidence []string `json:"policy_evidence"`
	// AttributedTo lists who needs a permission or reads the data: SDK
	// ids and/or "app".
	AttributedTo []string `json:"attributed_to,omitempty"`
	// Basis says what a data finding rests on: "observed" (the app's code
	// reads it) or "typical" (the SDK's rule says such SDKs collect it).
	Basis string `json:"basis,omitempty"`
	Fix   string `json:"fix"`
	FixZH string `json:"fix_zh"`
	// Fingerprint is stable across runs and builds for the same subject.
	Fingerprint string `json:"fingerprint"`
	Suppressed  bool   `json:"suppressed"`
	// SuppressedBy is the waiver's reason when Suppressed.
	SuppressedBy string `json:"suppressed_by,omitempty"`
}

// Subject is what a finding is about: an SDK, a permission, a third party
// or the app itself.
type Subject struct {
	SDK        *SDKRef `json:"sdk,omitempty"`
	Permission string  `json:"permission,omitempty"`
	ThirdParty string  `json:"third_party,omitempty"`
	// Data is the data category of an sdk-data-undeclared or
	// undeclared-data-access finding, or the privacy-manifest data type
	// of a privacy-manifest-data-undeclared one.
	Data string `json:"data,omitempty"`
	// Component is the framework or dylib of an iOS finding about one.
	Component string `json:"component,omitempty"`
}

// SDKRef names an SDK in a finding.
type SDKRef struct {
	ID       string `json:"id"`
	Name     string `json:"name"`
	NameZH   string `json:"name_zh,omitempty"`
	Vendor   string `json:"vendor"`
	Category string `json:"category,omitempty"`
}

// AuditSDK is one detected SDK with its disclosure status, for the SDK
// inventory section of reports.
type AuditSDK struct {
	// SDK is the detection, its keys first as before.
	SDK
	Declared bool `json:"declared"`
	// DeclaredHow is how the policy covers it: name, vendor, table,
	// declaration, parent, or empty.
	DeclaredHow string `json:"declared_how,omitempty"`
	// VendorNames are the vendor's legal names, for draft policy rows.
	VendorNames []string `json:"vendor_names,omitempty"`
	PolicyURL   string   `json:"policy_url,omitempty"`
	Data        []string `json:"data,omitempty"`
	// DataNames are Data in words, English and Chinese, for draft policy
	// rows.
	DataNames   []string `json:"data_names,omitempty"`
	DataNamesZH []string `json:"data_names_zh,omitempty"`
	// ObservedData are the categories the SDK's own code reads (a subset
	// of Data or beyond it); empty when the code was not scanned.
	ObservedData []string `json:"observed_data,omitempty"`
}

// Changes are what a new build adds or removes compared with an old one.
type Changes struct {
	OldFile            string   `json:"old_file"`
	AddedSDKs          []string `json:"added_sdks"`
	RemovedSDKs        []string `json:"removed_sdks"`
	AddedPermissions   []string `json:"added_permissions"`
	RemovedPermissions []string `json:"removed_permissions"`
	// AddedDataAccess and RemovedDataAccess are the data categories the
	// new build's code reads and the old one's did not (and the reverse);
	// empty when either build's code was not scanned.
	AddedDataAccess   []string `json:"added_data_access"`
	RemovedDataAccess []string `json:"removed_data_access"`
	// AddedStartup are the "owner/category" pairs the new build reads at
	// start-up and the old one did not (both scanned with reachability).
	AddedStartup []string `json:"added_startup,omitempty"`
}

// ChannelGroup is a set of builds of one app and version that differ only
// in how they were packaged for a store: channel meta-data, and sometimes
// a store's own SDK or permission.
type ChannelGroup struct {
	Package     string `json:"package"`
	VersionCode string `json:"version_code"`
	// ChannelKeys are the meta-data names whose values differ.
	ChannelKeys []string `json:"channel_keys"`
	// CommonSDKs and CommonPermissions are in every build.
	CommonSDKs        []string `json:"common_sdks"`
	CommonPermissions []string `json:"common_permissions"`
	// CommonFindings are findings (by fingerprint) every build has.
	CommonFindings []Finding      `json:"common_findings,omitempty"`
	Builds         []ChannelBuild `json:"builds"`
}

// ChannelBuild is one build of a group and what sets it apart.
type ChannelBuild struct {
	File string `json:"file"`
	// Channel holds the values of the group's channel keys.
	Channel          map[string]string `json:"channel"`
	ExtraSDKs        []string          `json:"extra_sdks"`
	ExtraPermissions []string          `json:"extra_permissions"`
	SpecificFindings []Finding         `json:"specific_findings,omitempty"`
}
