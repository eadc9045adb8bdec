package audit

import (
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/sdkaudit/sdkaudit/analyzer/callgraph"
	"github.com/sdkaudit/sdkaudit/analyzer/dataaccess"
	"github.com/sdkaudit/sdkaudit/analyzer/detect"
	"github.com/sdkaudit/sdkaudit/analyzer/inventory"
	"github.com/sdkaudit/sdkaudit/analyzer/policy"
	"github.com/sdkaudit/sdkaudit/rules"
)

// The kinds of finding, one per check.
const (
	KindUndeclaredSDK                 Kind = "undeclared-sdk"
	KindSDKVendorOnly                 Kind = "sdk-vendor-only"
	KindFirstPartySDK                 Kind = "first-party-sdk"
	KindSDKDataUndeclared             Kind = "sdk-data-undeclared"
	KindStaleSDKDeclaration           Kind = "stale-sdk-declaration"
	KindUndeclaredDataAccess          Kind = "undeclared-data-access"
	KindStartupCollection             Kind = "startup-collection"
	KindUndeclaredTracking            Kind = "undeclared-tracking"
	KindPrivacyManifestDataUndeclared Kind = "privacy-manifest-data-undeclared"
	KindSDKPrivacyManifestMissing     Kind = "sdk-privacy-manifest-missing"
	KindUndeclaredPermission          Kind = "undeclared-permission"
	KindUndeclaredUsageDescription    Kind = "undeclared-usage-description"
	KindStalePermissionDeclaration    Kind = "stale-permission-declaration"
	KindUnresolvedThirdParty          Kind = "unresolved-third-party"
	KindAnalysisIncomplete            Kind = "analysis-incomplete"
)

// RetiredIDs are rule ids that named a check once and must never name
// another: waivers, baselines and old reports refer to them.
var RetiredIDs = []RetiredID{
	{ID: "SA1007", Was: KindPrivacyManifestDataUndeclared, Why: "the iOS checks' first numbering (commit af37855); renumbered SA1010 when SA1006 went to startup-collection"},
	{ID: "SA1008", Was: KindSDKPrivacyManifestMissing, Why: "the iOS checks' first numbering (commit af37855); renumbered SA1011"},
}

// Checks is the registry, in report order: `sdkaudit explain`,
// docs/findings.md (generated from it by go test ./analyzer/audit -update),
// the SARIF rules and `sdkaudit diff` all read it. Adding a check means a
// Kind, a value here with its Run function, and a test.
var Checks = []Check{
	{
		ID: "SA1001", Kind: KindUndeclaredSDK, DefaultSeverity: SeverityHigh,
		Title: "SDK not disclosed in the privacy policy", TitleZH: "隐私政策未披露的第三方SDK",
		Doc: `The app embeds a third-party SDK that processes personal information, but neither the SDK, nor
a vendor mention that fits it, nor a parent SDK that bundles it appears in the privacy policy or its SDK
list. Chinese rules (PIPL Art. 23, GB/T 41391-2022, the TC260 SDK guide) require an app to list every
embedded SDK that collects personal information, with its operator, purpose, data and permissions.
Severity is high when the SDK's rule says it collects sensitive personal information or device
identifiers, medium otherwise; low when the only evidence is another SDK's adapter code; one level lower
when the policy names the vendor but a different product. Plain libraries (kind: library) never produce
this finding.`,
		Fix: `add a row for the SDK to the policy's third-party SDK list (the Markdown report drafts one), or remove the SDK from the build.`,
		Run: checkUndeclaredSDK,
	},
	{
		ID: "SA1005", Kind: KindSDKVendorOnly, DefaultSeverity: SeverityMedium,
		Title: "Policy names the vendor, but not this SDK", TitleZH: "隐私政策提及了厂商，但未披露该SDK",
		Doc: `The app embeds a third-party SDK that processes personal information, and the policy names the
SDK's vendor (by brand or legal entity) but in a role that is not this product: a server-side service
(a call centre, virtual numbers, cloud storage), another of the vendor's SDKs, or a list of partners
without products. What is true is that the vendor is a recipient the policy discloses and the product is
not: the SDK list still lacks its row (operator, purpose, data, permissions). Severity is one level below
what SA1001 would give (medium for SDKs collecting sensitive information or device identifiers, low
otherwise). The policy's sentence naming the vendor is quoted.`,
		Fix: `add the SDK's own row to the third-party SDK list, or remove the SDK from the build.`,
		Run: checkVendorOnlySDK,
	},
	{
		ID: "SA1012", Kind: KindFirstPartySDK, DefaultSeverity: SeverityInfo,
		Title: "SDK of the app's own operator", TitleZH: "应用运营者自有的SDK",
		Doc: `The app embeds an SDK whose vendor the policy defines as itself: the company named as the app's
operator (深圳市腾讯计算机系统有限公司（以下简称"我们"）), in the policy or in a declaration file's
operators. Its code is the operator's own, so a list of third-party SDKs does not have to name it, and
SA1001 and SA1005 are not raised for it; what it collects still has to be in the policy's own sections,
which SA1004 and SA1006 check as for any code. The finding records the sentence that defines the
operator and the operator's products the policy names. A policy that gives its operator's legal name
wrongly would hide a third-party SDK here; the severity is info so that it stays visible.`,
		Fix: `nothing, if the SDK is the operator's own product; if the operator is not this vendor, correct the policy's definition of "we" (or the declaration file's operators).`,
		Run: checkFirstPartySDK,
	},
	{
		ID: "SA1002", Kind: KindSDKDataUndeclared, DefaultSeverity: SeverityMedium,
		Title: "SDK row omits data the SDK collects", TitleZH: "SDK披露行遗漏其收集的个人信息",
		Doc: `The policy lists the SDK with the data it collects, but that list lacks a data category the
SDK collects. Where the SDK's own code in the app reads the category (basis "observed", with call sites)
that is the evidence; otherwise the SDK's rule says such SDKs typically collect it (basis "typical", for
example a push SDK's device identifiers). Only raised when the policy gives per-SDK data (an SDK table row
or a declaration entry with data). Severity is medium, high for sensitive personal information; a
typical-only category is one level lower when the code was scanned and shows no access to it.`,
		Fix: `complete the row, or document why the app's integration does not collect it and waive the finding with that reason.`,
		Run: checkSDKData,
	},
	{
		ID: "SA1003", Kind: KindStaleSDKDeclaration, DefaultSeverity: SeverityLow,
		Title: "Declared SDK not found in the app", TitleZH: "政策声明的SDK未在应用中发现",
		Doc: `The policy names an SDK that the app does not contain. It may serve another platform (iOS,
web), another version, or code loaded at run time; it may also be an outdated list. Low when the policy
names the SDK itself, info when it only follows from a vendor mention. SDKs that have no client code
(server-side services) are never reported.`,
		Fix: `remove the row if the SDK is gone, or scope it to the platforms and versions that use it.`,
		Run: checkStaleSDK,
	},
	{
		ID: "SA1004", Kind: KindUndeclaredDataAccess, DefaultSeverity: SeverityHigh,
		Title: "Code reads data the policy never discloses", TitleZH: "代码读取了隐私政策未说明的个人信息",
		Doc: `The app's DEX code references an API that reads a category of personal information (device
identifiers such as IMEI, Android ID or OAID, the installed-app list, the clipboard, location, contacts,
SMS, the call log, accounts, camera, microphone…), and the policy discloses neither that category nor a
permission that gives access to it. Several of these need no permission at all (Android ID, the app list
before API 30, the clipboard, the MAC address through NetworkInterface), so the permission list cannot
reveal them. One finding per category, naming every SDK (or "app") whose code reads it, with call sites.
The evidence is "present in code": sdkaudit does not prove the code runs. Severity is high for sensitive
personal information and device identifiers, medium otherwise, low when every API used stopped returning
the data on all Android versions the app supports (getDeviceId after API 28, for example) or when only
plain-library code (kind: library, such as androidx compat wrappers) references it, or when no call path
from any manifest entry point reaches any of the call sites (dead code as far as the code shows,
reflection aside; the reason is stated).`,
		Fix: `disclose the data, its purpose and the SDK that collects it in the policy, or remove or configure the code that reads it.`,
		Run: checkUndeclaredDataAccess,
	},
	{
		ID: "SA1006", Kind: KindStartupCollection, DefaultSeverity: SeverityHigh,
		Title: "Personal data read at start-up, before consent", TitleZH: "应用启动时（用户同意隐私政策前）读取个人信息",
		Doc: `Code that runs when the app's process starts, before any screen and so before a consent dialog
can be shown, reads personal data: a call path leads from the Application class, a content provider
(including SDK auto-initialisation providers and androidx.startup initializers), a boot receiver, or a
service those start, through the SDK's own calls, threads, executors, handlers and coroutines, and the
callbacks of system-event listeners it registers there (location, broadcast, lifecycle), to an API that
reads the data. Chinese regulators test exactly this first (collection before the user agrees to the
privacy policy; GB/T 35273 5.4, the MIIT notices), and ePrivacy audits of tracking SDKs ask the same. It
is raised whatever the policy says: disclosing the collection does not make collecting before consent
lawful. One finding per SDK (or the app) and data category, with the shortest call path; asynchronous
hops are marked "~>". Severity is high; low when every API used has stopped returning the data on the
Android versions the app supports, or when only plain-library code reads it. The path is static
evidence, not a trace of a run: a branch on a stored consent flag is not evaluated, so a reviewer
should confirm the read is not guarded.`,
		Fix: `initialise the SDK only after the user agrees (move its init out of Application.onCreate, or remove its auto-start provider with tools:node="remove" and start it after consent); where the SDK has a compliance API (a pre-init call, a privacy switch) the finding names it.`,
		Run: checkStartupCollection,
	},
	{
		ID: "SA1009", Kind: KindUndeclaredTracking, DefaultSeverity: SeverityHigh,
		Title: "App tracks users, but the policy never discloses it", TitleZH: "应用存在跨应用跟踪，但隐私政策未说明",
		Doc: `An iOS app shows the App Tracking Transparency prompt (NSUserTrackingUsageDescription in its
Info.plist), or a privacy manifest embedded in it (the app's or an SDK's) declares NSPrivacyTracking or
data collected for tracking, or tracking domains; yet the policy never discloses the advertising identifier
(IDFA) it asks for (a generic "advertising identifier", 广告标识符, counts as disclosing it). Tracking across other companies' apps and websites needs the user's consent on iOS and a
disclosure of the identifier and its recipients in the policy. Each finding lists every signal and names
the SDKs (by the framework whose manifest declares it) or "app". Severity is high.`,
		Fix:  `disclose the IDFA, the tracking purpose and the SDKs that receive it in the policy, or remove the tracking code and prompt.`,
		Diff: DiffWhenNewOrAdded, DiffKeys: []string{"NSUserTrackingUsageDescription"},
		Run: checkUndeclaredTracking,
	},
	{
		ID: "SA1010", Kind: KindPrivacyManifestDataUndeclared, DefaultSeverity: SeverityMedium,
		Title: "Privacy manifest declares data the policy never discloses", TitleZH: "隐私清单声明收集的信息未在隐私政策中说明",
		Doc: `A privacy manifest (PrivacyInfo.xcprivacy) in the iOS app, the app's own or one an SDK ships in
its framework or resource bundle, declares that a type of data is collected (NSPrivacyCollectedDataTypes),
and the policy discloses none of the data categories that type maps to (rules/data/ios.yaml:
NSPrivacyCollectedDataTypePhoneNumber to phone-number, DeviceID to idfa, idfv or device information, …). The
manifest is the vendor's own statement of what is collected, so the policy must agree with it. One finding
per data type, naming each manifest's owner (the SDK when the framework is known, else the framework, or
"app"). Severity is high when the type maps to sensitive personal information or a device identifier or is
collected for tracking, medium otherwise. Data types that map to no category are not reported.`,
		Fix:  `disclose the data in the policy (in the SDK's row when an SDK collects it), or remove the SDK.`,
		Diff: DiffWhenNewOrAdded,
		Run:  checkPrivacyManifestData,
	},
	{
		ID: "SA1011", Kind: KindSDKPrivacyManifestMissing, DefaultSeverity: SeverityMedium,
		Title: "SDK that Apple requires a privacy manifest for ships without one", TitleZH: "苹果要求提供隐私清单的SDK未附带隐私清单",
		Doc: `The iOS app embeds a framework or dylib of an SDK on Apple's list of commonly used third-party
SDKs (rules/data/ios.yaml, privacy_manifest_sdks: Alamofire, FBSDKCoreKit, FirebaseCore, SDWebImage, …),
and neither the framework nor a resource bundle named after it carries a PrivacyInfo.xcprivacy. Since
1 May 2024 App Store Connect rejects a new app or update that includes such an SDK without its manifest
(ITMS-91061), and without it nobody can check what the SDK collects. Embedded frameworks and dylibs are
checked, and Swift packages linked statically (recognised by the module name of their classes), whose manifest
belongs in a resource bundle named after the package; an Objective-C library linked statically is not
recognised by name. Severity is medium.`,
		Fix:  `update the SDK to a version that ships its privacy manifest.`,
		Diff: DiffWhenNewOrAdded,
		Run:  checkMissingPrivacyManifest,
	},
	{
		ID: "SA2001", Kind: KindUndeclaredPermission, DefaultSeverity: SeverityHigh,
		Title: "Permission whose data the policy never discloses", TitleZH: "隐私政策未说明的权限",
		Doc: `The app requests an Android permission, and the policy discloses neither the permission nor any
of the data categories it gives access to. High for dangerous and PIPL-sensitive permissions (location,
contacts, camera, microphone, phone, SMS, call log, storage, calendar, sensors…), medium for
privacy-relevant normal or special permissions (QUERY_ALL_PACKAGES, GET_TASKS, SYSTEM_ALERT_WINDOW…);
other permissions are not findings. A permission bounded by maxSdkVersion below the app's minimum SDK is
never requested on a device the app supports and is not reported. Each finding names the SDKs that
typically need the permission or whose components declare it, and "app" when none does.`,
		Fix: `add the permission and its purpose to the policy's permission list, or remove it from the manifest (and from the SDK that merges it in).`,
		Run: checkUndeclaredPermission,
	},
	{
		ID: "SA2003", Kind: KindUndeclaredUsageDescription, DefaultSeverity: SeverityHigh,
		Title: "iOS permission whose data the policy never discloses", TitleZH: "隐私政策未说明的iOS权限",
		Doc: `The iOS app's Info.plist (or one of its extensions') carries a usage-description key, the text
iOS shows when it asks the user for camera, microphone, location, photos, contacts, calendars, health,
Bluetooth, … access; and the policy discloses neither the access (by the Android permission a policy for
both platforms names for it: 相机权限, 位置权限) nor the data it reaches (rules/data/ios.yaml maps each
key). The purpose string is quoted. The tracking prompt (NSUserTrackingUsageDescription) is SA1009's. High for
keys that reach sensitive personal information (camera, microphone, location, photos, contacts, calendars,
health), medium otherwise. Each finding names the SDKs whose rule needs the equivalent permission, else
"app".`,
		Fix: `add the permission, its purpose and the data it reaches to the policy's permission list, or remove the key (and the code that asks for the access).`,
		Run: checkUndeclaredUsage,
	},
	{
		ID: "SA2002", Kind: KindStalePermissionDeclaration, DefaultSeverity: SeverityInfo,
		Title: "Declared permission not requested", TitleZH: "政策声明的权限未被应用申请",
		Doc: `The policy describes a permission the app's manifest does not request. Harmless for users but a
sign of a stale or copied permission list; the policy may also cover other builds.`,
		Fix: `keep the permission list in step with the manifest.`,
		Run: checkStalePermission,
	},
	{
		ID: "SA3001", Kind: KindUnresolvedThirdParty, DefaultSeverity: SeverityInfo,
		Title: "Third party the rules do not know", TitleZH: "无法识别的第三方",
		Doc: `The policy names a company or product that no rule resolves. It cannot be matched against the
app, so a reviewer should check it by hand; if it ships an SDK, add a rule (see README, "Adding a rule").`,
		Run: checkUnresolved,
	},
	{
		ID: "SA4001", Kind: KindAnalysisIncomplete, DefaultSeverity: SeverityInfo,
		Title: "Analysis incomplete", TitleZH: "分析不完整",
		Doc: `sdkaudit could not see all of the app: a packer encrypts the real code, a DEX file did not
parse, or code is loaded at run time. The audit cannot vouch that no other SDK is present. With
--fail-on-incomplete the command exits 3.`,
		Fix: `audit the unpacked build (before hardening), or review the runtime-loaded code separately.`,
		Run: checkIncomplete,
	},
}

func sdkRef(db *rules.DB, id string) *SDKRef {
	ref := &SDKRef{ID: id}
	if s, ok := db.SDK(id); ok {
		ref.Name, ref.NameZH, ref.Vendor, ref.Category = s.Name.EN, s.Name.ZH, s.Vendor, s.Category
	}
	return ref
}

// sensitiveData reports whether any of the categories is sensitive
// personal information or a device identifier.
func sensitiveData(db *rules.DB, ids []string) (string, bool) {
	for _, id := range ids {
		if c, ok := db.DataCategory(id); ok && (c.PIPLSensitive || c.Sensitivity == rules.SensitivitySensitive) {
			return id, true
		}
	}
	for _, id := range ids {
		switch id {
		case "imei", "imsi", "iccid", "serial", "mac", "android-id", "oaid", "gaid", "phone-number", "precise-location", "installed-apps":
			return id, true
		}
	}
	return "", false
}

func evidenceLines(d detect.Detection) []string {
	var out []string
	for _, e := range d.Evidence {
		s := fmt.Sprintf("%s %s in %s", e.Kind, e.Signature, e.Where)
		if e.Classes > 0 {
			s += fmt.Sprintf(" (%d classes)", e.Classes)
		}
		out = append(out, s)
	}
	return out
}

func policyLines(evs []policy.Evidence) []string {
	var out []string
	for _, e := range evs {
		out = append(out, fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Text))
	}
	return out
}

// uncoveredSDK is an embedded SDK that no declaration covers, with its rule.
type uncoveredSDK struct {
	d    detect.Detection
	rule *rules.SDK
}

// How the policy speaks of an SDK no declaration covers: SA1001, SA1005
// and SA1012 each take one of these, so every such SDK gets one finding.
const (
	sdkNotNamed    = iota // neither it nor its vendor (SA1001)
	sdkVendorNamed        // its vendor, in another role (SA1005)
	sdkOperators          // its vendor is the policy's operator (SA1012)
)

// uncoveredSDKs returns the embedded SDKs (no plain libraries or packers)
// that no declaration covers and that the policy speaks of as how says.
func uncoveredSDKs(in *Input, st *Facts, how int) []uncoveredSDK {
	var out []uncoveredSDK
	for _, d := range in.SDKs {
		if d.Kind != rules.KindSDK || st.Coverage(d.ID) != "" {
			continue
		}
		rule, _ := in.Rules.SDK(d.ID)
		if rule == nil || rule.Packer {
			continue
		}
		h := sdkNotNamed
		switch {
		case st.Operator(d.Vendor):
			h = sdkOperators
		case st.VendorNamed(d.Vendor):
			h = sdkVendorNamed
		}
		if h == how {
			out = append(out, uncoveredSDK{d: d, rule: rule})
		}
	}
	return out
}

func checkUndeclaredSDK(in *Input, st *Facts) []Finding {
	var out []Finding
	for _, u := range uncoveredSDKs(in, st, sdkNotNamed) {
		d, rule := u.d, u.rule
		sev, why := sdkSeverity(in, d, rule)
		pol := []string{"no mention of the SDK, its aliases or a fitting vendor mention in the policy"}
		out = append(out, Finding{
			Subject:        Subject{SDK: sdkRef(in.Rules, d.ID)},
			Severity:       sev,
			Message:        fmt.Sprintf("%s (%s) is embedded but not disclosed in the privacy policy; %s.", rule.Name.EN, d.Vendor, why),
			MessageZH:      fmt.Sprintf("应用集成了%s（%s），但隐私政策未披露该SDK。", firstNonEmpty(rule.Name.ZH, rule.Name.EN), d.Vendor),
			AppEvidence:    evidenceLines(d),
			PolicyEvidence: pol,
			AttributedTo:   []string{d.ID},
			Fix:            "Add the SDK to the policy's third-party SDK list (operator, purpose, data, permissions, its privacy policy link), or remove it from the build.",
			FixZH:          "在第三方SDK目录中补充该SDK（运营方、使用目的、收集的个人信息、所需权限、隐私政策链接），或从应用中移除。",
		})
	}
	return out
}

func checkSDKData(in *Input, st *Facts) []Finding {
	var out []Finding
	for _, s := range in.Declaration.SDKs {
		if !s.PerSDKData || !st.Detected(s.ID) {
			continue
		}
		rule, ok := in.Rules.SDK(s.ID)
		if !ok {
			continue
		}
		observed := st.Observed(s.ID)
		cats := slices.Clone(platformData(in.App, rule.Data))
		for c := range observed {
			cats = append(cats, c)
		}
		slices.Sort(cats)
		for _, c := range slices.Compact(cats) {
			if slices.Contains(s.Data, c) {
				continue
			}
			sev := SeverityMedium
			if _, sens := sensitiveData(in.Rules, []string{c}); sens {
				sev = SeverityHigh
			}
			f := Finding{
				Subject:        Subject{SDK: sdkRef(in.Rules, s.ID), Data: c},
				PolicyEvidence: policyLines(s.Evidence),
				AttributedTo:   []string{s.ID},
				Fix:            "Complete the SDK's row with this data category, or waive the finding with the reason the integration does not collect it.",
				FixZH:          "在该SDK的披露行中补充此类信息，或说明集成方式不收集并豁免。",
			}
			if sites, ok := observed[c]; ok {
				f.Basis = BasisObserved
				f.Message = fmt.Sprintf("The policy lists %s with its data, but not %s, which the SDK's code in this app reads (present in code).", s.ID, c)
				f.MessageZH = fmt.Sprintf("隐私政策列出了%s收集的信息，但未包括该SDK代码中读取的%s。", s.ID, c)
				f.AppEvidence = siteLines(sites)
			} else {
				f.Basis = BasisTypical
				f.Message = fmt.Sprintf("The policy lists %s with its data, but not %s, which the SDK typically collects.", s.ID, c)
				f.MessageZH = fmt.Sprintf("隐私政策列出了%s收集的信息，但未包括该SDK通常收集的%s。", s.ID, c)
				if in.Access != nil {
					sev = sev.Lower()
					f.AppEvidence = []string{"the SDK's rule lists it; the SDK's code in this app shows no access to it"}
				}
			}
			f.Severity = sev
			out = append(out, f)
		}
	}
	return out
}

func siteLines(sites []dataaccess.Site) []string {
	out := make([]string, 0, len(sites))
	for _, s := range sites {
		out = append(out, "present in code: "+s.String())
	}
	return out
}

// sites says "1 call site" or "n call sites".
func sites(n int) string {
	if n == 1 {
		return "1 call site"
	}
	return fmt.Sprintf("%d call sites", n)
}

func checkUndeclaredDataAccess(in *Input, st *Facts) []Finding {
	if in.Access == nil {
		return nil
	}
	type cat struct {
		owners     []string
		sites      []string
		apis       []string
		restricted bool
		libsOnly   bool
		total      int
		reach      string
	}
	cats := map[string]*cat{}
	for _, o := range in.Access.Owners {
		for _, c := range o.Categories {
			if st.DataDisclosed(c.ID) {
				continue
			}
			e := cats[c.ID]
			if e == nil {
				e = &cat{restricted: true, libsOnly: true}
				cats[c.ID] = e
			}
			e.owners = append(e.owners, o.ID)
			if callgraph.Strength(c.Reach) > callgraph.Strength(e.reach) {
				e.reach = c.Reach
			}
			e.libsOnly = e.libsOnly && o.Kind == dataaccess.KindLibrary
			e.total += c.SitesTotal
			e.restricted = e.restricted && c.Restricted
			for _, a := range c.APIs {
				e.apis = append(e.apis, a.ID)
			}
			for _, s := range c.CallSites {
				e.sites = append(e.sites, fmt.Sprintf("%s: present in code: %s", o.ID, s.Evidence()))
			}
			if more := c.SitesTotal - len(c.CallSites); more > 0 {
				e.sites = append(e.sites, fmt.Sprintf("%s: %d more call sites", o.ID, more))
			}
		}
	}
	ids := make([]string, 0, len(cats))
	for id := range cats {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	var out []Finding
	for _, id := range ids {
		e := cats[id]
		sev := SeverityMedium
		if _, sens := sensitiveData(in.Rules, []string{id}); sens {
			sev = SeverityHigh
		}
		name, nameZH := id, id
		if c, ok := in.Rules.DataCategory(id); ok {
			name, nameZH = firstNonEmpty(c.Name.EN, id), firstNonEmpty(c.Name.ZH, c.Name.EN, id)
		}
		restricted := ""
		if e.restricted {
			sev = SeverityLow
			restricted = " Every API used has stopped returning it on the Android versions the app supports."
		}
		if e.libsOnly {
			// Plain libraries (androidx, okhttp) wrap these APIs for the
			// app; the access is real code but rarely a collection of its
			// own, so it is worth a look, not a gate.
			sev = SeverityLow
			restricted += " Only plain-library code references it."
		}
		if e.reach == callgraph.Unreachable {
			// Dead code reads nothing: worth removing, not a gate.
			sev = SeverityLow
			restricted += " No call path from any manifest entry point (application, component, start-up initializer) reaches any of its call sites: dead code as far as the code shows, reflection aside."
		}
		slices.Sort(e.apis)
		out = append(out, Finding{
			Subject:        Subject{Data: id},
			Severity:       sev,
			Basis:          BasisObserved,
			Message:        fmt.Sprintf("Code in the app reads %s (%s; %s, present in code) but the policy never discloses it.%s Read by: %s.", name, strings.Join(slices.Compact(e.apis), ", "), sites(e.total), restricted, strings.Join(e.owners, ", ")),
			MessageZH:      fmt.Sprintf("应用代码中存在读取%s的调用（%d处），但隐私政策未说明收集该信息。读取方：%s。", nameZH, e.total, ownersZH(in, e.owners)),
			AppEvidence:    e.sites,
			PolicyEvidence: []string{"no term for this data category, and no declared permission that gives access to it, in the policy"},
			AttributedTo:   e.owners,
			Fix:            "Disclose the data, its purpose and who collects it (the SDK row or the app's own processing) in the policy, or remove or reconfigure the code that reads it.",
			FixZH:          "在隐私政策中说明该信息的收集目的及收集方（对应SDK或应用自身），或移除、关闭读取该信息的代码。",
		})
	}
	return out
}

// startupHop joins a call path for a message: "->" for a call, "~>" for
// an asynchronous hand-off.
func startupPath(s dataaccess.Site) string {
	var b strings.Builder
	for i, p := range s.Path {
		if i > 0 {
			if slices.Contains(s.AsyncHops, i) {
				b.WriteString(" ~> ")
			} else {
				b.WriteString(" -> ")
			}
		}
		b.WriteString(p)
	}
	return b.String()
}

func checkStartupCollection(in *Input, st *Facts) []Finding {
	if in.Access == nil {
		return nil
	}
	var out []Finding
	for _, o := range in.Access.Owners {
		for _, c := range o.Categories {
			if c.Reach != callgraph.Startup || len(c.CallSites) == 0 || c.CallSites[0].Reach != callgraph.Startup {
				continue
			}
			name, nameZH := c.ID, c.ID
			if dc, ok := in.Rules.DataCategory(c.ID); ok {
				name, nameZH = firstNonEmpty(dc.Name.EN, c.ID), firstNonEmpty(dc.Name.ZH, dc.Name.EN, c.ID)
			}
			first := c.CallSites[0]
			path := startupPath(first)
			sev, why := SeverityHigh, ""
			if c.Restricted {
				sev, why = SeverityLow, " Every API used has stopped returning it on the Android versions the app supports."
			}
			if o.Kind == dataaccess.KindLibrary {
				sev, why = SeverityLow, why+" Only plain-library code reads it."
			}
			subject := Subject{Data: c.ID}
			owner, ownerZH := "the app's own code", "应用自身代码"
			if o.ID != dataaccess.OwnerApp {
				subject.SDK = sdkRef(in.Rules, o.ID)
				owner = firstNonEmpty(subject.SDK.Name, o.ID) + " (" + o.ID + ")"
				ownerZH = firstNonEmpty(subject.SDK.NameZH, subject.SDK.Name, o.ID)
			}
			var ev []string
			for _, s := range c.CallSites {
				if s.Reach != callgraph.Startup {
					break
				}
				ev = append(ev, fmt.Sprintf("%s: startup: %s via %s", o.ID, s.Evidence(), startupPath(s)))
			}
			if more := c.StartupSites - len(ev); more > 0 {
				ev = append(ev, fmt.Sprintf("%s: %d more start-up call sites", o.ID, more))
			}
			fix := "Initialise the code that reads it only after the user agrees to the privacy policy: move the call out of Application.onCreate, the content provider or the initializer, or remove the SDK's auto-start provider (tools:node=\"remove\") and start the SDK after consent."
			fixZH := "在用户同意隐私政策后再初始化读取该信息的代码：将调用移出Application.onCreate、ContentProvider或初始化器，或移除SDK的自启动Provider（tools:node=\"remove\"）并在用户同意后再启动SDK。"
			if api, apiZH := consentAPI(in.Rules, o.ID); api != "" {
				fix += " The SDK's own compliance API: " + api + "."
				fixZH += "该SDK提供的合规接口：" + apiZH + "。"
			}
			out = append(out, Finding{
				Subject:        subject,
				Severity:       sev,
				Basis:          BasisObserved,
				Message:        fmt.Sprintf("Personal data read at start-up, before any screen: %s by %s via %s.%s", name, owner, path, why),
				MessageZH:      fmt.Sprintf("应用启动时（任何界面出现前、用户同意隐私政策前）读取个人信息：%s，读取方：%s，调用路径：%s。", nameZH, ownerZH, path),
				AppEvidence:    ev,
				PolicyEvidence: []string{"not applicable: disclosure in the policy does not make collection before consent lawful"},
				AttributedTo:   []string{o.ID},
				Fix:            fix,
				FixZH:          fixZH,
			})
		}
	}
	return out
}

// consentAPI is the compliance API the rules know for an SDK or the SDK
// it is part of.
func consentAPI(db *rules.DB, id string) (en, zh string) {
	for range 8 {
		s, ok := db.SDK(id)
		if !ok {
			return "", ""
		}
		if s.ConsentAPI.EN != "" {
			return s.ConsentAPI.EN, firstNonEmpty(s.ConsentAPI.ZH, s.ConsentAPI.EN)
		}
		if s.Parent == "" {
			return "", ""
		}
		id = s.Parent
	}
	return "", ""
}

func checkStaleSDK(in *Input, st *Facts) []Finding {
	var out []Finding
	for _, s := range in.Declaration.SDKs {
		rule, ok := in.Rules.SDK(s.ID)
		if !ok || st.Detected(s.ID) || rule.Kind != rules.KindSDK {
			continue
		}
		// Only an SDK the scan could see on this platform can be missing
		// from it: a row for the Android SDK says nothing about an .ipa.
		if isIOS(in.App) && rule.Signatures.IOSEmpty() || !isIOS(in.App) && rule.Signatures.AndroidEmpty() {
			continue
		}
		// A declared bundle counts as present when one of its modules is.
		if st.ChildDetected(s.ID) {
			continue
		}
		sev := SeverityLow
		if s.How == "vendor" {
			sev = SeverityInfo
		}
		msg := fmt.Sprintf("The policy declares %s, but the app does not contain it.", s.ID)
		if isIOS(in.App) && !iosCodeReadable(in.App.IOS) {
			// An SDK linked into an encrypted executable leaves no name
			// the scan can see.
			sev = SeverityInfo
			msg = fmt.Sprintf("The policy declares %s, and no framework, resource or readable class of it is in the app; an encrypted executable may still hold it.", s.ID)
		}
		out = append(out, Finding{
			Subject:        Subject{SDK: sdkRef(in.Rules, s.ID)},
			Severity:       sev,
			Message:        msg,
			MessageZH:      fmt.Sprintf("隐私政策声明了%s，但应用中未发现该SDK。", s.ID),
			AppEvidence:    []string{"no signature of the SDK in the DEX files, manifest, native libraries or assets"},
			PolicyEvidence: policyLines(s.Evidence),
			Fix:            "Remove the SDK from the policy if it is gone, or state the platforms or versions that use it.",
			FixZH:          "如已移除该SDK，请从政策中删除；如仅用于其他平台或版本，请注明适用范围。",
		})
	}
	return out
}

// requested returns the permissions the app requests on some device it
// supports, with the manifest evidence.
func requested(app *inventory.Inventory) (names []string, where map[string][]string) {
	where = map[string][]string{}
	min := 1
	if app.MinSDK.Effective != nil {
		min = *app.MinSDK.Effective
	}
	for _, p := range app.Permissions {
		if p.MaxSDKVersion != nil && *p.MaxSDKVersion < min {
			continue
		}
		ev := "<" + p.Element + "> " + p.Name
		if p.MaxSDKVersion != nil {
			ev += fmt.Sprintf(" maxSdkVersion=%d (the app supports API %d+, so it is requested up to API %d)", *p.MaxSDKVersion, min, *p.MaxSDKVersion)
		}
		if _, seen := where[p.Name]; !seen {
			names = append(names, p.Name)
		}
		where[p.Name] = append(where[p.Name], ev)
	}
	return names, where
}

func checkUndeclaredPermission(in *Input, st *Facts) []Finding {
	var out []Finding
	names, where := requested(in.App)
	for _, name := range names {
		rule, ok := in.Rules.Permission(name)
		if !ok || !rule.PrivacyRelevant {
			continue
		}
		if st.PermissionDeclared(name) || st.GroupDeclared(rule) {
			continue
		}
		covered := ""
		for _, d := range rule.Data {
			if st.DataDeclared(d) {
				covered = d
				break
			}
		}
		if covered != "" {
			continue
		}
		sev := SeverityMedium
		if strings.Contains(rule.ProtectionLevel, "dangerous") || rule.Sensitive.PIPL == "yes" {
			sev = SeverityHigh
		}
		who := attribute(in, name)
		out = append(out, Finding{
			Subject:        Subject{Permission: name},
			Severity:       sev,
			Message:        fmt.Sprintf("%s (%s) is requested, but the policy discloses neither it nor the data it gives access to (%s). Needed by: %s.", name, rule.ProtectionLevel, strings.Join(rule.Data, ", "), strings.Join(who, ", ")),
			MessageZH:      fmt.Sprintf("应用申请了%s，但隐私政策未说明该权限及其涉及的个人信息。使用方：%s。", name, ownersZH(in, who)),
			AppEvidence:    where[name],
			PolicyEvidence: []string{"no permission term or data category for it in the policy"},
			AttributedTo:   who,
			Fix:            "Describe the permission, its purpose and the data it reaches in the policy's permission list, or remove it from the manifest (including the SDK manifest that merges it in).",
			FixZH:          "在设备权限列表中说明该权限、使用目的及涉及的个人信息，或从清单文件（含SDK合并进来的权限）中移除。",
		})
	}
	return out
}

// attribute names who needs a permission: detected SDKs whose rule lists it
// or whose components are protected by it, else the app.
func attribute(in *Input, perm string) []string {
	var who []string
	for _, d := range in.SDKs {
		if r, ok := in.Rules.SDK(d.ID); ok && slices.Contains(r.Permissions, perm) {
			who = append(who, d.ID)
		}
	}
	for _, c := range in.App.Components {
		if c.Permission != perm {
			continue
		}
		for _, d := range in.SDKs {
			for _, e := range d.Evidence {
				if e.Kind == detect.KindComponent && strings.HasSuffix(e.Where, " "+c.Name) && !slices.Contains(who, d.ID) {
					who = append(who, d.ID)
				}
			}
		}
	}
	if in.Access != nil {
		for _, o := range in.Access.Owners {
			if o.ID == dataaccess.OwnerApp || slices.Contains(who, o.ID) {
				continue
			}
			for _, c := range o.Categories {
				if slices.ContainsFunc(c.Permissions, func(p string) bool { return slices.Contains(strings.Split(p, "|"), perm) }) && !slices.Contains(who, o.ID) {
					who = append(who, o.ID)
				}
			}
		}
	}
	sort.Strings(who)
	if len(who) == 0 {
		who = []string{"app"}
	}
	return who
}

func checkStalePermission(in *Input, st *Facts) []Finding {
	var out []Finding
	names, _ := requested(in.App)
	req := map[string]bool{}
	for _, n := range names {
		req[n] = true
	}
	if isIOS(in.App) {
		req = iosRequested(in)
	}
	for _, p := range in.Declaration.Permissions {
		if req[p.Name] || isIOS(in.App) && !iosRelevant(in.Rules, p.Name) {
			continue
		}
		out = append(out, Finding{
			Subject:        Subject{Permission: p.Name},
			Severity:       SeverityInfo,
			Message:        fmt.Sprintf("The policy describes %s, but the app does not request it.", p.Name),
			MessageZH:      fmt.Sprintf("隐私政策说明了%s，但应用未申请该权限。", p.Name),
			AppEvidence:    []string{"not in the manifest"},
			PolicyEvidence: policyLines(p.Evidence),
			Fix:            "Keep the permission list in step with the manifest.",
			FixZH:          "请保持权限列表与应用清单一致。",
		})
	}
	return out
}

func checkUnresolved(in *Input, st *Facts) []Finding {
	var out []Finding
	for _, u := range in.Declaration.Unresolved {
		out = append(out, Finding{
			Subject:        Subject{ThirdParty: u.Name},
			Severity:       SeverityInfo,
			Message:        fmt.Sprintf("The policy names %q, which no rule resolves; check it by hand.", u.Name),
			MessageZH:      fmt.Sprintf("隐私政策提到的“%s”无法与规则库匹配，请人工核对。", u.Name),
			PolicyEvidence: policyLines(u.Evidence),
			Fix:            "If it ships an SDK, add a rule for it; otherwise no action is needed.",
			FixZH:          "如其提供SDK，请补充规则；否则无需处理。",
		})
	}
	return out
}

// ownersZH names the SDKs (by their Chinese names, with the id) and the
// app itself for a Chinese message.
func ownersZH(in *Input, ids []string) string {
	out := make([]string, 0, len(ids))
	for _, id := range ids {
		switch r, ok := in.Rules.SDK(id); {
		case id == "app":
			out = append(out, "本应用")
		case ok && r.Name.ZH != "":
			out = append(out, r.Name.ZH+"（"+id+"）")
		default:
			out = append(out, id)
		}
	}
	return strings.Join(out, "、")
}

func checkIncomplete(in *Input, st *Facts) []Finding {
	var reasons []string
	for _, p := range in.App.Errors {
		reasons = append(reasons, p.String())
	}
	reasons = append(reasons, in.Incomplete...)
	if len(reasons) == 0 {
		return nil
	}
	return []Finding{{
		Subject:     Subject{},
		Severity:    SeverityInfo,
		Message:     "The analysis could not see all of the app: " + strings.Join(reasons, "; "),
		MessageZH:   "分析不完整：" + strings.Join(reasons, "；"),
		AppEvidence: reasons,
		Fix:         "Audit the unpacked build, or review the code that is loaded at run time.",
		FixZH:       "请对未加固的构建进行审计，或单独审查运行时加载的代码。",
	}}
}

func firstNonEmpty(s ...string) string {
	for _, x := range s {
		if x != "" {
			return x
		}
	}
	return ""
}

func sharesData(p, q *rules.Permission) bool {
	for _, d := range p.Data {
		if slices.Contains(q.Data, d) {
			return true
		}
	}
	return len(p.Data) == 0 && len(q.Data) == 0
}

// sdkSeverity is SA1001's severity for a detected SDK and why.
func sdkSeverity(in *Input, d detect.Detection, rule *rules.SDK) (Severity, string) {
	sev := SeverityMedium
	why := "it collects personal information"
	if cat, ok := sensitiveData(in.Rules, platformData(in.App, rule.Data)); ok {
		sev = SeverityHigh
		why = "its rule says it collects " + cat
	}
	if d.Via != "" || d.Confidence == rules.ConfidenceLow {
		sev = SeverityLow
	}
	return sev, why
}

func checkVendorOnlySDK(in *Input, st *Facts) []Finding {
	var out []Finding
	for _, u := range uncoveredSDKs(in, st, sdkVendorNamed) {
		d, rule := u.d, u.rule
		sev, why := sdkSeverity(in, d, rule)
		if sev != SeverityLow {
			sev = sev.Lower()
		}
		var pol []string
		var named []string
		for _, v := range in.Declaration.Vendors {
			if v.ID != d.Vendor {
				continue
			}
			pol = append(pol, policyLines(v.Evidence)...)
			named = append(named, v.SDKs...)
		}
		for _, s := range in.Declaration.SDKs {
			if s.Vendor == d.Vendor {
				named = append(named, s.ID)
				pol = append(pol, policyLines(s.Evidence)...)
			}
		}
		slices.Sort(named)
		named = slices.Compact(named)
		role := "without naming a product"
		if len(named) > 0 {
			role = "for " + strings.Join(named, ", ")
		}
		if len(pol) > 5 {
			pol = pol[:5]
		}
		out = append(out, Finding{
			Subject:        Subject{SDK: sdkRef(in.Rules, d.ID)},
			Severity:       sev,
			Message:        fmt.Sprintf("%s (%s) is embedded; the policy names the vendor %s %s, but not this SDK; %s.", rule.Name.EN, d.Vendor, d.Vendor, role, why),
			MessageZH:      fmt.Sprintf("应用集成了%s（%s）；隐私政策提及了该厂商，但未披露该SDK。", firstNonEmpty(rule.Name.ZH, rule.Name.EN), d.Vendor),
			AppEvidence:    evidenceLines(d),
			PolicyEvidence: pol,
			AttributedTo:   []string{d.ID},
			Fix:            "Add the SDK's own row to the policy's third-party SDK list (operator, purpose, data, permissions, its privacy policy link), or remove it from the build.",
			FixZH:          "在第三方SDK目录中补充该SDK自身的条目（运营方、使用目的、收集的个人信息、所需权限、隐私政策链接），或从应用中移除。",
		})
	}
	return out
}

func checkFirstPartySDK(in *Input, st *Facts) []Finding {
	var out []Finding
	for _, u := range uncoveredSDKs(in, st, sdkOperators) {
		d, rule := u.d, u.rule
		var pol, own []string
		for _, v := range in.Declaration.Operators {
			if v.ID == d.Vendor {
				pol = append(pol, policyLines(v.Evidence)...)
				own = append(own, v.SDKs...)
			}
		}
		if len(pol) > 5 {
			pol = pol[:5]
		}
		named := "names none of its products"
		if len(own) > 0 {
			named = "names its products " + strings.Join(own, ", ")
		}
		out = append(out, Finding{
			Subject:        Subject{SDK: sdkRef(in.Rules, d.ID)},
			Severity:       SeverityInfo,
			Message:        fmt.Sprintf("%s (%s) is embedded; the policy defines %s as its own operator (and %s), so this is first-party code, not a third-party SDK the list must name.", rule.Name.EN, d.Vendor, d.Vendor, named),
			MessageZH:      fmt.Sprintf("应用集成了%s（%s）；隐私政策将该厂商界定为运营者本身（“我们”），该SDK属于运营者自有代码，不属于须在第三方SDK目录中列出的第三方SDK。", firstNonEmpty(rule.Name.ZH, rule.Name.EN), d.Vendor),
			AppEvidence:    evidenceLines(d),
			PolicyEvidence: pol,
			AttributedTo:   []string{d.ID},
			Fix:            "Nothing if the SDK is the operator's own product; describe what it collects in the policy's own sections. If the operator is not this vendor, correct the policy's definition of \"we\".",
			FixZH:          "如该SDK确为运营者自有产品，无需列入第三方SDK目录，但须在隐私政策正文中说明其收集的个人信息；如运营者并非该厂商，请更正隐私政策中对“我们”的界定。",
		})
	}
	return out
}
