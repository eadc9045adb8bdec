package audit

import (
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/sdkaudit/sdkaudit/analyzer/detect"
	"github.com/sdkaudit/sdkaudit/analyzer/inventory"
	"github.com/sdkaudit/sdkaudit/rules"
)

// The checks that only an iOS app raises, and what the shared checks do
// differently for one. They are registered in Checks with the others.

// androidOnly are data categories no iOS app can read: the identifiers
// and stores iOS does not expose to apps (the MAC address reads as a
// constant since iOS 7). An SDK rule's typical data is Android's; on iOS
// these are left out.
var androidOnly = map[string]bool{
	"imei": true, "imsi": true, "iccid": true, "android-id": true, "oaid": true, "gaid": true,
	"serial": true, "mac": true, "installed-apps": true, "running-apps": true, "sms": true, "call-log": true,
}

func isIOS(app *inventory.Inventory) bool { return app != nil && app.IOS != nil }

// platformData drops the categories an app on the audited platform cannot
// collect.
func platformData(app *inventory.Inventory, ids []string) []string {
	if !isIOS(app) {
		return ids
	}
	var out []string
	for _, id := range ids {
		if !androidOnly[id] {
			out = append(out, id)
		}
	}
	return out
}

// ownerRef names who a manifest or framework belongs to: the id of the
// detected SDK whose framework evidence names it, else the framework's
// name, or "app".
func ownerRef(in *Input, owner string) string {
	if owner == "app" || strings.Contains(owner, ".appex") || strings.Contains(owner, ".app") {
		return "app"
	}
	for _, d := range in.SDKs {
		for _, e := range d.Evidence {
			if e.Kind == detect.KindIOSFramework && strings.TrimSuffix(lastPart(e.Where), ".framework") == owner {
				return d.ID
			}
		}
	}
	return owner
}

func lastPart(p string) string {
	if i := strings.LastIndexByte(p, '/'); i >= 0 {
		return p[i+1:]
	}
	return p
}

func checkUndeclaredTracking(in *Input, st *Facts) []Finding {
	// A policy's generic "advertising identifier" (广告标识符) is read as
	// the Android one; for an iOS build it is the IDFA the words mean.
	if !isIOS(in.App) || st.DataDisclosed("idfa") || st.DataDisclosed("gaid") {
		return nil
	}
	ios := in.App.IOS
	var ev, who []string
	for _, u := range ios.UsageDescriptions {
		if u.Key == "NSUserTrackingUsageDescription" {
			ev = append(ev, fmt.Sprintf("Info.plist (%s) NSUserTrackingUsageDescription: %q", u.Bundle, u.Purpose))
			who = append(who, "app")
		}
	}
	for _, p := range ios.PrivacyManifests {
		var why []string
		if p.Tracking {
			why = append(why, "NSPrivacyTracking true")
		}
		if len(p.TrackingDomains) > 0 {
			why = append(why, "tracking domains "+strings.Join(p.TrackingDomains, ", "))
		}
		for _, c := range p.CollectedData {
			if c.Tracking {
				why = append(why, c.Type+" collected for tracking")
			}
		}
		if len(why) > 0 {
			ev = append(ev, fmt.Sprintf("%s (%s): %s", p.Path, p.Owner, strings.Join(why, "; ")))
			who = append(who, ownerRef(in, p.Owner))
		}
	}
	if len(ev) == 0 {
		return nil
	}
	sort.Strings(who)
	who = slices.Compact(who)
	return []Finding{{
		Subject:        Subject{Data: "idfa"},
		Severity:       SeverityHigh,
		Basis:          BasisObserved,
		Message:        fmt.Sprintf("The app tracks users across apps (App Tracking Transparency or a privacy manifest says so) but the policy never discloses the advertising identifier (IDFA). Tracking by: %s.", strings.Join(who, ", ")),
		MessageZH:      fmt.Sprintf("应用存在跨应用跟踪（ATT授权弹窗或隐私清单声明），但隐私政策未说明收集广告标识符(IDFA)。跟踪方：%s。", strings.Join(who, "、")),
		AppEvidence:    ev,
		PolicyEvidence: []string{"no mention of the IDFA or advertising identifier for tracking in the policy"},
		AttributedTo:   who,
		Fix:            "Disclose the IDFA, the tracking purpose and the SDKs that receive it in the policy, or remove the tracking prompt and the code that tracks.",
		FixZH:          "在隐私政策中说明IDFA的收集、跟踪目的及接收方SDK，或移除跟踪授权弹窗与相关代码。",
	}}
}

func checkPrivacyManifestData(in *Input, st *Facts) []Finding {
	if !isIOS(in.App) {
		return nil
	}
	type agg struct {
		ev       []string
		who      []string
		tracking bool
		cats     []string
	}
	byType := map[string]*agg{}
	for _, p := range in.App.IOS.PrivacyManifests {
		for _, c := range p.CollectedData {
			t, ok := in.Rules.PrivacyDataType(c.Type)
			if !ok || slices.ContainsFunc(t.Data, st.DataDisclosed) {
				continue
			}
			a := byType[c.Type]
			if a == nil {
				a = &agg{cats: t.Data}
				byType[c.Type] = a
			}
			line := fmt.Sprintf("%s (%s): %s", p.Path, p.Owner, c.Type)
			var attrs []string
			if c.Linked {
				attrs = append(attrs, "linked to the user")
			}
			if c.Tracking {
				attrs = append(attrs, "used for tracking")
				a.tracking = true
			}
			if len(c.Purposes) > 0 {
				attrs = append(attrs, "purposes "+strings.Join(c.Purposes, ", "))
			}
			if len(attrs) > 0 {
				line += " (" + strings.Join(attrs, "; ") + ")"
			}
			a.ev = append(a.ev, line)
			a.who = append(a.who, ownerRef(in, p.Owner))
		}
	}
	var out []Finding
	for _, typ := range sortedKeys(byType) {
		a := byType[typ]
		sort.Strings(a.who)
		a.who = slices.Compact(a.who)
		sev := SeverityMedium
		if _, sens := sensitiveData(in.Rules, a.cats); sens || a.tracking {
			sev = SeverityHigh
		}
		short := strings.TrimPrefix(typ, "NSPrivacyCollectedDataType")
		out = append(out, Finding{
			Subject:        Subject{Data: typ},
			Severity:       sev,
			Basis:          BasisObserved,
			Message:        fmt.Sprintf("A privacy manifest in the app declares %s data is collected (%s), but the policy discloses none of %s. Declared by: %s.", short, typ, strings.Join(a.cats, ", "), strings.Join(a.who, ", ")),
			MessageZH:      fmt.Sprintf("应用内的隐私清单声明收集%s（%s），但隐私政策未说明相应信息。声明方：%s。", short, typ, strings.Join(a.who, "、")),
			AppEvidence:    a.ev,
			PolicyEvidence: []string{"no term for " + strings.Join(a.cats, ", ") + " in the policy"},
			AttributedTo:   a.who,
			Fix:            "Disclose the data, its purpose and who collects it (the SDK's row or the app's own processing) in the policy, or remove the SDK that collects it.",
			FixZH:          "在隐私政策中说明该信息、使用目的及收集方（对应SDK或应用自身），或移除收集该信息的SDK。",
		})
	}
	return out
}

func checkMissingPrivacyManifest(in *Input, st *Facts) []Finding {
	if !isIOS(in.App) {
		return nil
	}
	listed := map[string]*rules.ManifestSDK{}
	for i := range in.Rules.ManifestSDKs {
		m := &in.Rules.ManifestSDKs[i]
		for _, f := range m.Frameworks {
			listed[f] = m
		}
	}
	// Swift packages linked statically into a binary carry their manifest
	// in a resource bundle named after the package (Alamofire_Alamofire.bundle,
	// GoogleUtilities_Privacy.bundle), attributed to that name.
	hasManifest := func(mod string) bool {
		for _, p := range in.App.IOS.PrivacyManifests {
			if p.Owner == mod || strings.HasPrefix(p.Owner, mod+"_") {
				return true
			}
		}
		return false
	}
	var out []Finding
	candidates := slices.Clone(in.App.IOS.Frameworks)
	seen := map[string]bool{}
	for _, f := range candidates {
		seen[strings.TrimPrefix(f.Name, "lib")] = true
	}
	for _, b := range in.App.IOS.Binaries {
		if b.MachO == nil {
			continue
		}
		for _, mod := range detect.SwiftModules(b.MachO) {
			if !seen[mod] && listed[mod] != nil {
				seen[mod] = true
				f := inventory.Framework{Name: mod, Path: b.Path, Kind: "swift-module"}
				if hasManifest(mod) {
					f.PrivacyManifest = "bundle"
				}
				candidates = append(candidates, f)
			}
		}
	}
	for _, f := range candidates {
		name := f.Name
		if f.Kind == "dylib" {
			name = strings.TrimPrefix(name, "lib")
		}
		m := listed[name]
		if m == nil || f.PrivacyManifest != "" {
			continue
		}
		who := ownerRef(in, f.Name)
		if who == f.Name && m.SDK != "" {
			who = m.SDK
		}
		out = append(out, Finding{
			Subject:        Subject{Component: f.Name},
			Severity:       SeverityMedium,
			Message:        fmt.Sprintf("%s (%s) is on Apple's list of commonly used SDKs that must ship a privacy manifest, but %s has none; App Store Connect rejects such a build (ITMS-91061).", m.Name, f.Path, f.Name),
			MessageZH:      fmt.Sprintf("%s在苹果要求提供隐私清单的常用SDK列表中，但应用内的%s未附带PrivacyInfo.xcprivacy，App Store会拒绝此类构建。", m.Name, f.Name),
			AppEvidence:    []string{missingManifestEvidence(f)},
			PolicyEvidence: []string{},
			AttributedTo:   []string{who},
			Fix:            "Update the SDK to a version that ships its privacy manifest (and signature).",
			FixZH:          "将该SDK升级到附带隐私清单（及签名）的版本。",
		})
	}
	return out
}

func checkUndeclaredUsage(in *Input, st *Facts) []Finding {
	if !isIOS(in.App) {
		return nil
	}
	type use struct {
		ev []string
	}
	uses := map[string]*use{}
	for _, u := range in.App.IOS.UsageDescriptions {
		if u.Key == "NSUserTrackingUsageDescription" {
			continue // SA1009
		}
		x := uses[u.Key]
		if x == nil {
			x = &use{}
			uses[u.Key] = x
		}
		x.ev = append(x.ev, fmt.Sprintf("Info.plist (%s) %s: %q", u.Bundle, u.Key, u.Purpose))
	}
	var out []Finding
	for _, key := range sortedKeys(uses) {
		rule, ok := in.Rules.UsageKey(key)
		if !ok || st.UsageDisclosed(rule) {
			continue
		}
		sev := SeverityMedium
		if rule.Sensitive {
			sev = SeverityHigh
		}
		var who []string
		for _, d := range in.SDKs {
			if r, ok := in.Rules.SDK(d.ID); ok && slices.ContainsFunc(rule.Permissions, func(p string) bool { return slices.Contains(r.Permissions, p) }) {
				who = append(who, d.ID)
			}
		}
		sort.Strings(who)
		if len(who) == 0 {
			who = []string{"app"}
		}
		out = append(out, Finding{
			Subject:        Subject{Permission: key},
			Severity:       sev,
			Message:        fmt.Sprintf("%s (%s) is declared, but the policy discloses neither the access nor the data it reaches (%s). Needed by: %s.", key, rule.Name.EN, strings.Join(rule.Data, ", "), strings.Join(who, ", ")),
			MessageZH:      fmt.Sprintf("应用声明了%s（%s权限），但隐私政策未说明该权限及其涉及的个人信息。使用方：%s。", key, rule.Name.ZH, strings.Join(who, "、")),
			AppEvidence:    uses[key].ev,
			PolicyEvidence: []string{"no permission term or data category for it in the policy"},
			AttributedTo:   who,
			Fix:            "Describe the permission, its purpose and the data it reaches in the policy's permission list, or remove the key and the code that asks for the access.",
			FixZH:          "在设备权限列表中说明该权限、使用目的及涉及的个人信息，或移除该权限声明及相关代码。",
		})
	}
	return out
}

// iosRequested is, for an iOS app, the Android permissions its usage keys
// stand for: a declared permission among them is not stale.
func iosRequested(in *Input) map[string]bool {
	out := map[string]bool{}
	for _, u := range in.App.IOS.UsageDescriptions {
		if r, ok := in.Rules.UsageKey(u.Key); ok {
			for _, p := range r.Permissions {
				out[p] = true
			}
		}
	}
	return out
}

// iosRelevant is whether any usage key maps to the Android permission:
// only those can be stale for an iOS app, the rest (READ_PHONE_STATE)
// describe the Android build.
func iosRelevant(db *rules.DB, perm string) bool {
	for _, u := range db.UsageKeys {
		if slices.Contains(u.Permissions, perm) {
			return true
		}
	}
	return false
}

func sortedKeys[T any](m map[string]T) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func cmpOr(s ...string) string { return firstNonEmpty(s...) }

// iosCodeReadable reports whether every Mach-O file was read and none is
// encrypted.
func iosCodeReadable(ios *inventory.IOS) bool {
	for _, b := range ios.Binaries {
		if b.MachO == nil || b.Encrypted {
			return false
		}
	}
	return len(ios.Binaries) > 0
}

func missingManifestEvidence(f inventory.Framework) string {
	if f.Kind == "swift-module" {
		return fmt.Sprintf("Swift module %s linked into %s, and no PrivacyInfo.xcprivacy in a bundle named after it", f.Name, f.Path)
	}
	return fmt.Sprintf("%s %s (version %s) without PrivacyInfo.xcprivacy", f.Kind, f.Path, cmpOr(f.Version, "unknown"))
}
