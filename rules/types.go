package rules

// Text is a name given in English and Chinese. Either may be empty when the
// thing has no name in that language, but not both.
type Text struct {
	EN string `yaml:"en,omitempty"`
	ZH string `yaml:"zh,omitempty"`
}

// Terms are the words a privacy policy uses for a permission or a data
// category, per language. A policy reader matches them after NFKC and case
// folding; they are stored NFKC-normalised.
type Terms struct {
	ZH []string `yaml:"zh,omitempty"`
	EN []string `yaml:"en,omitempty"`
}

// Vendor is a company (or, for community libraries, a project) that ships
// SDKs. A policy may name it by any legal name, brand or alias.
type Vendor struct {
	// ID is a stable kebab-case id, never reused (see retired-ids.txt).
	ID string `yaml:"id"`
	// Brand is the short brand, e.g. {en: Getui, zh: 个推}.
	Brand Text `yaml:"brand"`
	// Aliases are further short names policies use for the vendor as a
	// whole (华为, 腾讯云, 微信支付), besides Brand.
	Aliases []string `yaml:"aliases,omitempty"`
	// LegalNames lists every legal entity seen in policies, Chinese and
	// English, current and former, including wrong-but-common forms.
	LegalNames []string `yaml:"legal_names,omitempty"`
	// Group is the id of the vendor whose group owns this one (Tenpay and
	// Tencent Cloud are Tencent's; Amap, Umeng and Alibaba Cloud are
	// Alibaba's): policies name a subsidiary's product with the parent's
	// legal entity as its company.
	Group string `yaml:"group,omitempty"`
	// PrivacyURL is the vendor's own privacy policy, the link a draft row
	// falls back to for an SDK without a policy of its own;
	// PrivacyURLSource says where it was found.
	PrivacyURL       string `yaml:"privacy_url,omitempty"`
	PrivacyURLSource string `yaml:"privacy_url_source,omitempty"`
	// PrivacyURLNone says why there is no PrivacyURL (vendor gone, no
	// public policy in the sources searched), so that a missing link is a
	// recorded finding rather than work not yet done. It covers every SDK
	// of the vendor that has no policy_url of its own; never set with
	// PrivacyURL.
	PrivacyURLNone string `yaml:"privacy_url_none,omitempty"`
	// Country is the ISO 3166-1 alpha-2 code of the vendor's home
	// jurisdiction, empty for community projects.
	Country string `yaml:"country,omitempty"`
	// Note says why the entry is there and what is uncertain.
	Note string `yaml:"note"`

	// Source is "file:line" of the entry; set by the loader.
	Source string `yaml:"-"`
}

// Signatures are the static markers that reveal an SDK in an APK. Any one
// of them is evidence; the analyzer decides how to weigh them.
type Signatures struct {
	// DexPrefixes are dotted Java package prefixes, matched on package
	// boundaries (com.igexin matches com.igexin.sdk.PushService but not
	// com.igexinx.Foo).
	DexPrefixes []string `yaml:"dex_prefixes,omitempty"`
	// DexStrings are exact strings of the SDK's code (URLs, log tags,
	// keys) looked up in each DEX file's string table: they survive the
	// renaming that leaves no package to match (HMS SDK 2.x ships
	// HiAnalytics as com.huawei.a.*). At least 8 printable ASCII
	// characters, and only strings no other code would hold.
	DexStrings []string `yaml:"dex_strings,omitempty"`
	// Components are manifest component class names. An entry ending in
	// '.' is a package prefix; '*' is a wildcard (*.wxapi.WXEntryActivity).
	Components []string `yaml:"components,omitempty"`
	// MetaData are <meta-data android:name> keys.
	MetaData []string `yaml:"meta_data,omitempty"`
	// NativeLibs are file-name globs of lib/<abi>/*.so entries.
	NativeLibs []string `yaml:"native_libs,omitempty"`
	// Assets are path globs under assets/ (without the assets/ prefix).
	Assets []string `yaml:"assets,omitempty"`
	// Permissions are globs of permission names the SDK defines or uses
	// that identify it (*.permission.MIPUSH_RECEIVE); '*' also stands for
	// the app's package name.
	Permissions []string `yaml:"permissions,omitempty"`
	// Anchors say which evidence is the SDK's own code, when the default
	// reading (two or more real classes under a prefix, a component whose
	// class is in the app, registrar meta-data, a native library) would
	// be fooled: classes other artefacts ship under the SDK's packages
	// (GoogleSignIn* in play-services-base, Instance ID classes under
	// Firebase Messaging's). Each is a class name (com.x.Y) or a Maven
	// artefact "group:artifact" whose META-INF version file the app
	// carries. When set, code evidence counts only with one of them.
	Anchors []string `yaml:"anchors,omitempty"`

	// The iOS signatures, matched against an .ipa.

	// IOSFrameworks are names of the frameworks and dylibs the SDK ships
	// (GTSDK matches Frameworks/GTSDK.framework and a linked
	// @rpath/GTSDK.framework/GTSDK); '*' is a wildcard.
	IOSFrameworks []string `yaml:"ios_frameworks,omitempty"`
	// IOSClasses are Objective-C or Swift runtime class names of the SDK's
	// own code (GeTuiSdk); a trailing '*' makes one a prefix (GTSDK*).
	IOSClasses []string `yaml:"ios_classes,omitempty"`
	// IOSPlistKeys are Info.plist keys the SDK's setup asks for
	// (FacebookAppID): configuration, like Android meta-data.
	IOSPlistKeys []string `yaml:"ios_plist_keys,omitempty"`
	// IOSResources are file-name globs of resource bundles and files the
	// SDK ships in the app bundle (AMap.bundle, GoogleService-Info.plist).
	IOSResources []string `yaml:"ios_resources,omitempty"`
}

// Empty reports whether no signature of any kind is set.
func (s Signatures) Empty() bool {
	return s.AndroidEmpty() && s.IOSEmpty()
}

// AndroidEmpty reports whether no Android signature is set.
func (s Signatures) AndroidEmpty() bool {
	return len(s.DexPrefixes)+len(s.DexStrings)+len(s.Components)+len(s.MetaData)+
		len(s.NativeLibs)+len(s.Assets)+len(s.Permissions) == 0
}

// IOSEmpty reports whether no iOS signature is set.
func (s Signatures) IOSEmpty() bool {
	return len(s.IOSFrameworks)+len(s.IOSClasses)+len(s.IOSPlistKeys)+len(s.IOSResources) == 0
}

// SDK is one third-party SDK or plain library.
type SDK struct {
	// ID is a stable kebab-case id (getui-push), never reused.
	ID string `yaml:"id"`
	// Name is the product name in English and Chinese.
	Name Text `yaml:"name"`
	// Aliases are the other names policies use (个推, 个推推送SDK, GeTui).
	Aliases []string `yaml:"aliases,omitempty"`
	// SharedAliases are names policies also use for other vendors'
	// products (可信ID, OAID SDK): a policy reader takes one as this SDK
	// only when nothing in its sentence names another owner.
	SharedAliases []string `yaml:"shared_aliases,omitempty"`
	// Vendor is the id of the vendor that ships it.
	Vendor string `yaml:"vendor"`
	// Category is one of [Categories].
	Category string `yaml:"category"`
	// Kind is KindSDK or KindLibrary.
	Kind string `yaml:"kind"`
	// Discontinued marks a product its vendor no longer offers (Tencent
	// MobWin, Google Analytics for mobile apps): still found in old apps,
	// but a policy naming only the vendor does not mean it.
	Discontinued bool `yaml:"discontinued,omitempty"`
	// NeedsWords narrow a vendor's mention to this SDK only when one of
	// them is in the sentence: Tencent's game-security product is not what
	// 腾讯…安全风控SDK means in a bank's policy.
	NeedsWords []string `yaml:"needs_words,omitempty"`
	// FitsWords fit a vendor's mention to this SDK as the words of its
	// category do: 联运 (a game store's joint-operation channel) means the
	// store's game SDK, whatever category its login and payment put it in.
	FitsWords []string `yaml:"fits_words,omitempty"`
	// Parent is the id of the SDK this one is a module or part of.
	Parent string `yaml:"parent,omitempty"`
	// AdapterFor lists SDKs this one bridges to (a push aggregator's
	// vendor-channel adapter names Huawei push classes). Finding only an
	// adapter's classes must not count as finding the SDKs it adapts.
	AdapterFor []string `yaml:"adapter_for,omitempty"`
	// AllowRootPrefix permits a DEX prefix that is a short vendor root
	// other SDKs live under; set it only with a note saying why.
	AllowRootPrefix bool `yaml:"allow_root_prefix,omitempty"`
	// Packer marks app-hardening products that encrypt the real DEX: when
	// one is detected, a scan of the visible DEX cannot be complete.
	Packer bool `yaml:"packer,omitempty"`
	// Signatures reveal the SDK in an APK; empty for text-only entries
	// (server-side services a policy names but no APK contains).
	Signatures Signatures `yaml:"signatures,omitempty"`
	// Data are the ids of the data categories the SDK typically collects.
	Data []string `yaml:"data,omitempty"`
	// Permissions are the Android permissions it typically requests.
	Permissions []string `yaml:"permissions,omitempty"`
	// PolicyURL is where the vendor publishes the SDK's privacy rules.
	PolicyURL string `yaml:"policy_url,omitempty"`
	// PolicyURLSource says where PolicyURL was found (the vendor's SDK
	// page, an app's published SDK list, ...).
	PolicyURLSource string `yaml:"policy_url_source,omitempty"`
	// PolicyURLNone says why neither the SDK nor its vendor has a link
	// (a module whose parent's policy is not published, an SDK withdrawn
	// with its vendor, ...). Never set with PolicyURL, nor when the vendor
	// has a PrivacyURL (the draft row would show that link, so the reason
	// would be stale).
	PolicyURLNone string `yaml:"policy_url_none,omitempty"`
	// GuideURL is the vendor's compliance guide for apps that embed the
	// SDK (合规使用说明), where one exists; GuideURLSource as above.
	GuideURL       string `yaml:"guide_url,omitempty"`
	GuideURLSource string `yaml:"guide_url_source,omitempty"`
	// ConsentAPI says, in the SDK's own terms, how to keep it from
	// collecting before the user agrees (a pre-init call, a privacy
	// switch); the fix text of a startup-collection finding quotes it.
	ConsentAPI Text `yaml:"consent_api,omitempty"`
	// Sources are short descriptions of where the facts were checked.
	Sources []string `yaml:"sources,omitempty"`
	// Confidence is high, medium or low.
	Confidence string `yaml:"confidence"`
	// Note says why the entry is there and what is uncertain.
	Note string `yaml:"note"`

	// Source is "file:line" of the entry; set by the loader.
	Source string `yaml:"-"`
}

// Sensitivity classifies a permission's data under PIPL Art. 28 and
// GB/T 35273-2020 Annex B: yes, no or conditional.
type Sensitivity struct {
	PIPL     string `yaml:"pipl"`
	GBT35273 string `yaml:"gbt35273"`
}

// Permission is one Android permission (platform, Play services or ROM).
type Permission struct {
	// Name is the full permission name (android.permission.CAMERA).
	Name string `yaml:"name"`
	// ProtectionLevel is the current level as '|'-joined AOSP flags
	// (dangerous, normal, signature|appop, ...) or "vendor" for
	// permissions defined outside AOSP by a ROM or app.
	ProtectionLevel string `yaml:"protection_level"`
	// AddedAPI is the API level that introduced it; 0 when it is not an
	// AOSP platform permission (Play services, ROM-defined).
	AddedAPI int `yaml:"added_api"`
	// RemovedOrChanged describes later changes in prose.
	RemovedOrChanged string `yaml:"removed_or_changed,omitempty"`
	// Group is the runtime permission group (LOCATION, PHONE, ...), empty
	// for permissions outside any group.
	Group string `yaml:"group,omitempty"`
	// Label is the permission's name for people, as a permission list
	// (设备权限调用清单) names it.
	Label Text `yaml:"label,omitempty"`
	// Purpose is a typical purpose, for the draft rows of a permission
	// list; the app's owner states its own.
	Purpose Text `yaml:"purpose,omitempty"`
	// Terms are the words policies use for it.
	Terms Terms `yaml:"terms"`
	// Data are the data categories the permission gives access to.
	Data []string `yaml:"data,omitempty"`
	// Sensitive classifies the data it exposes.
	Sensitive Sensitivity `yaml:"sensitive"`
	// PrivacyRelevant is false for permissions that expose no personal
	// information (INTERNET, VIBRATE); reports may leave those out.
	PrivacyRelevant bool `yaml:"privacy_relevant"`
	// Note says why the entry is there.
	Note string `yaml:"note"`

	// Source is "file:line" of the entry; set by the loader.
	Source string `yaml:"-"`
}

// DataCategory is one kind of personal information.
type DataCategory struct {
	// ID is a stable kebab-case id (precise-location).
	ID string `yaml:"id"`
	// Name is the display name.
	Name Text `yaml:"name"`
	// Terms are the words policies use for it.
	Terms Terms `yaml:"terms"`
	// Sensitivity is SensitivitySensitive, SensitivityPersonal or
	// SensitivityDevice.
	Sensitivity string `yaml:"sensitivity"`
	// PIPLSensitive is true when PIPL Art. 28 treats it as sensitive.
	PIPLSensitive bool `yaml:"pipl_sensitive"`
	// PlayDataSafety is the nearest Google Play Data safety data type.
	PlayDataSafety string `yaml:"play_data_safety"`
	// Note says why the entry is there and how to read it.
	Note string `yaml:"note"`

	// Source is "file:line" of the entry; set by the loader.
	Source string `yaml:"-"`
}

// Kinds of SDK entries.
const (
	// KindSDK is a component that processes personal information for its
	// vendor or for the app and belongs in a policy's SDK list.
	KindSDK = "sdk"
	// KindLibrary is a plain library that handles no personal information
	// on its own (okhttp, gson, androidx); reports may list it separately.
	KindLibrary = "library"
)

// Confidence levels.
const (
	ConfidenceHigh   = "high"
	ConfidenceMedium = "medium"
	ConfidenceLow    = "low"
)

// Data-category sensitivity classes.
const (
	// SensitivitySensitive is sensitive personal information (PIPL Art. 28
	// or GB/T 35273 Annex B).
	SensitivitySensitive = "sensitive"
	// SensitivityPersonal is ordinary personal information.
	SensitivityPersonal = "personal"
	// SensitivityDevice is device or network information that is personal
	// information when linked to a person (GB/T 35273 Annex A).
	SensitivityDevice = "device"
)

// categories is the closed list of SDK categories, in display order.
var categories = []string{
	"push",
	"analytics",
	"attribution",
	"ads",
	"payment",
	"social-login",
	"share",
	"one-click-login",
	"map-location",
	"crash",
	"face-identity",
	"customer-service",
	"im-rtc",
	"risk-control",
	"device-id",
	"cloud-storage",
	"hotfix",
	"webview",
	"platform",
	"speech",
	"media",
	"network",
	"image",
	"serialization",
	"database",
	"ui",
	"language",
	"framework",
	"security",
	"logging",
	"testing",
	"other",
}

// Categories returns the closed list of SDK categories in display order.
func Categories() []string {
	return append([]string(nil), categories...)
}

// ValidCategory reports whether c is one of [Categories].
func ValidCategory(c string) bool {
	for _, x := range categories {
		if x == c {
			return true
		}
	}
	return false
}

// Kinds of API rules: what in DEX code the rule's Ref names.
const (
	// APIMethod is an invoked method, "Lpkg/Class;->name" (any prototype).
	APIMethod = "method"
	// APIField is a static or instance field read, "Lpkg/Class;->NAME".
	APIField = "field"
	// APIString is a const-string value; a trailing '*' makes it a prefix.
	APIString = "string"
)

// API is one code-level way to read personal data: a framework or SDK
// method, a field holding a content URI, or a string constant such as a
// content:// address. DEX code that references it is evidence that the
// data category is read there (present in code, not proven executed).
type API struct {
	// ID is a stable kebab-case id, never reused (see retired-ids.txt).
	ID string `yaml:"id"`
	// Kind is APIMethod, APIField or APIString.
	Kind string `yaml:"kind"`
	// Ref is what the code references: "Landroid/telephony/TelephonyManager;->getDeviceId"
	// for methods and fields, the constant ("content://sms*") for strings.
	Ref string `yaml:"ref"`
	// WithString, when set, makes a method or field count only in a
	// method that also loads this string constant (Settings.Secure.getString
	// reads the Android ID only with "android_id").
	WithString string `yaml:"with_string,omitempty"`
	// Data are the ids of the data categories the reference reads.
	Data []string `yaml:"data"`
	// Permission is the permission the call needs, empty when none does;
	// alternatives are joined with '|'.
	Permission string `yaml:"permission,omitempty"`
	// AddedAPI is the first API level where the reference exists (0 when it
	// is not a platform API, such as an SDK entry point).
	AddedAPI int `yaml:"added_api"`
	// WorksUntilAPI is the last API level on which the reference still
	// returns the data to an ordinary app (getDeviceId: 28); 0 means it
	// still works on current releases.
	WorksUntilAPI int `yaml:"works_until_api,omitempty"`
	// Note says what the reference returns and what limits it.
	Note string `yaml:"note"`

	// Source is "file:line" of the entry; set by the loader.
	Source string `yaml:"-"`
}

// UsageKey is an iOS usage-description key (NSCameraUsageDescription): the
// Info.plist entry behind one of iOS's permission prompts, mapped to the
// Android permissions and data categories a policy discloses it by.
type UsageKey struct {
	// Key is the Info.plist key.
	Key string `yaml:"key"`
	// Name is what the prompt is about.
	Name Text `yaml:"name"`
	// Permissions are the Android permissions a policy that covers both
	// platforms names for the same access; declaring one discloses the key.
	Permissions []string `yaml:"permissions,omitempty"`
	// Data are the data categories the access reaches.
	Data []string `yaml:"data"`
	// Sensitive marks access to sensitive personal information (PIPL
	// Art. 28): an undisclosed key is a high-severity finding.
	Sensitive bool `yaml:"sensitive"`
	// Note says what the key guards.
	Note string `yaml:"note"`

	// Source is "file:line" of the entry; set by the loader.
	Source string `yaml:"-"`
}

// PrivacyDataType is one NSPrivacyCollectedDataType of Apple's privacy
// manifests, mapped to data categories.
type PrivacyDataType struct {
	// Type is the manifest's value (NSPrivacyCollectedDataTypeEmailAddress).
	Type string `yaml:"type"`
	// Data are the data categories it means; a policy that discloses any
	// of them discloses it.
	Data []string `yaml:"data"`
	// Note says what Apple means by it.
	Note string `yaml:"note"`

	// Source is "file:line" of the entry; set by the loader.
	Source string `yaml:"-"`
}

// ManifestSDK is one entry of Apple's list of commonly used third-party
// SDKs that must ship a privacy manifest (and a signature) in an app
// submitted since May 2024.
type ManifestSDK struct {
	// Name is the SDK as Apple lists it.
	Name string `yaml:"name"`
	// Frameworks are the framework, dylib or resource-bundle names that
	// carry it in an app bundle.
	Frameworks []string `yaml:"frameworks"`
	// SDK is the id of the SDK rule that describes it, when there is one.
	SDK string `yaml:"sdk,omitempty"`

	// Source is "file:line" of the entry; set by the loader.
	Source string `yaml:"-"`
}
