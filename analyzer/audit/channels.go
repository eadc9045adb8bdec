package audit

import (
	"slices"
	"sort"

	"github.com/sdkaudit/sdkaudit/analyzer/inventory"
)

// Member is one build in a batch, as channel grouping sees it.
type Member struct {
	File        string
	Package     string
	VersionCode string
	SDKs        []string
	Permissions []string
	// MetaData maps application and component meta-data names to values.
	MetaData map[string]string
	// Findings are the build's audit findings; nil for a scan.
	Findings []Finding
}

// MemberOf describes an inventory (and its audit findings, if any) for
// GroupChannels.
func MemberOf(inv *inventory.Inventory, sdks []string, findings []Finding) Member {
	m := Member{File: inv.File, MetaData: map[string]string{}, Findings: findings}
	if inv.Manifest == nil {
		return m
	}
	m.Package = inv.Package
	if inv.VersionCode != nil {
		m.VersionCode = inv.VersionCode.Value
	}
	m.SDKs = slices.Clone(sdks)
	for _, p := range inv.Permissions {
		m.Permissions = append(m.Permissions, p.Name)
	}
	for _, md := range inv.MetaData {
		v := ""
		if md.Value != nil {
			v = md.Value.Value
		}
		m.MetaData[md.Name] = v
	}
	slices.Sort(m.SDKs)
	slices.Sort(m.Permissions)
	m.Permissions = slices.Compact(m.Permissions)
	return m
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

// GroupChannels finds the channel builds in a batch: two or more members
// with the same package and version code. Groups come sorted by package
// and version, builds in batch order.
func GroupChannels(members []Member) []ChannelGroup {
	type key struct{ pkg, ver string }
	byKey := map[key][]Member{}
	var keys []key
	for _, m := range members {
		if m.Package == "" {
			continue
		}
		k := key{m.Package, m.VersionCode}
		if _, ok := byKey[k]; !ok {
			keys = append(keys, k)
		}
		byKey[k] = append(byKey[k], m)
	}
	sort.Slice(keys, func(i, j int) bool {
		if keys[i].pkg != keys[j].pkg {
			return keys[i].pkg < keys[j].pkg
		}
		return keys[i].ver < keys[j].ver
	})
	var out []ChannelGroup
	for _, k := range keys {
		ms := byKey[k]
		if len(ms) < 2 {
			continue
		}
		g := ChannelGroup{Package: k.pkg, VersionCode: k.ver}
		g.CommonSDKs = intersect(ms, func(m Member) []string { return m.SDKs })
		g.CommonPermissions = intersect(ms, func(m Member) []string { return m.Permissions })
		g.ChannelKeys = differingKeys(ms)
		common := map[string]bool{}
		if ms[0].Findings != nil {
			fps := intersect(ms, func(m Member) []string {
				var s []string
				for _, f := range m.Findings {
					s = append(s, f.Fingerprint)
				}
				return s
			})
			for _, fp := range fps {
				common[fp] = true
			}
			for _, f := range ms[0].Findings {
				if common[f.Fingerprint] {
					g.CommonFindings = append(g.CommonFindings, f)
				}
			}
		}
		for _, m := range ms {
			b := ChannelBuild{File: m.File, Channel: map[string]string{}, ExtraSDKs: minus(m.SDKs, g.CommonSDKs), ExtraPermissions: minus(m.Permissions, g.CommonPermissions)}
			for _, k := range g.ChannelKeys {
				b.Channel[k] = m.MetaData[k]
			}
			for _, f := range m.Findings {
				if !common[f.Fingerprint] {
					b.SpecificFindings = append(b.SpecificFindings, f)
				}
			}
			g.Builds = append(g.Builds, b)
		}
		out = append(out, g)
	}
	return out
}

// intersect returns the sorted values every member has.
func intersect(ms []Member, of func(Member) []string) []string {
	count := map[string]int{}
	for _, m := range ms {
		seen := map[string]bool{}
		for _, v := range of(m) {
			if !seen[v] {
				seen[v] = true
				count[v]++
			}
		}
	}
	out := []string{}
	for v, n := range count {
		if n == len(ms) {
			out = append(out, v)
		}
	}
	sort.Strings(out)
	return out
}

func minus(a, b []string) []string {
	out := []string{}
	for _, v := range a {
		if !slices.Contains(b, v) && !slices.Contains(out, v) {
			out = append(out, v)
		}
	}
	sort.Strings(out)
	return out
}

// differingKeys are meta-data names missing from some build or with more
// than one value across the builds.
func differingKeys(ms []Member) []string {
	all := map[string]bool{}
	for _, m := range ms {
		for k := range m.MetaData {
			all[k] = true
		}
	}
	out := []string{}
	for k := range all {
		v0, ok0 := ms[0].MetaData[k]
		for _, m := range ms[1:] {
			if v, ok := m.MetaData[k]; ok != ok0 || v != v0 {
				out = append(out, k)
				break
			}
		}
	}
	sort.Strings(out)
	return out
}
