package report

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/url"
	"path"
	"regexp"
	"strconv"
	"strings"

	"github.com/sdkaudit/sdkaudit/analyzer/audit"
	"github.com/sdkaudit/sdkaudit/rules"
)

// CycloneDX 1.6 JSON, written with encoding/json: the BOM lists the app as
// the metadata component and every detected SDK and library as a
// component, with sdkaudit's findings as properties.

type cdxBOM struct {
	BOMFormat    string         `json:"bomFormat"`
	SpecVersion  string         `json:"specVersion"`
	SerialNumber string         `json:"serialNumber,omitempty"`
	Version      int            `json:"version"`
	Metadata     cdxMetadata    `json:"metadata"`
	Components   []cdxComponent `json:"components"`
}

type cdxMetadata struct {
	Tools      cdxTools      `json:"tools"`
	Component  cdxComponent  `json:"component"`
	Properties []cdxProperty `json:"properties,omitempty"`
}

type cdxTools struct {
	Components []cdxComponent `json:"components"`
}

type cdxComponent struct {
	Type       string        `json:"type"`
	BOMRef     string        `json:"bom-ref,omitempty"`
	Supplier   *cdxOrg       `json:"supplier,omitempty"`
	Group      string        `json:"group,omitempty"`
	Name       string        `json:"name"`
	Version    string        `json:"version,omitempty"`
	Hashes     []cdxHash     `json:"hashes,omitempty"`
	PURL       string        `json:"purl,omitempty"`
	Properties []cdxProperty `json:"properties,omitempty"`
	Evidence   *cdxEvidence  `json:"evidence,omitempty"`
}

// cdxEvidence says how the component was identified (CycloneDX 1.6
// component.evidence): the identity with the techniques that found it and
// a confidence, and where in the app it occurs.
type cdxEvidence struct {
	Identity    []cdxIdentity   `json:"identity,omitempty"`
	Occurrences []cdxOccurrence `json:"occurrences,omitempty"`
}

type cdxIdentity struct {
	Field      string      `json:"field"`
	Confidence float64     `json:"confidence"`
	Methods    []cdxMethod `json:"methods,omitempty"`
}

type cdxMethod struct {
	Technique  string  `json:"technique"`
	Confidence float64 `json:"confidence"`
	Value      string  `json:"value,omitempty"`
}

type cdxOccurrence struct {
	Location          string `json:"location"`
	Symbol            string `json:"symbol,omitempty"`
	AdditionalContext string `json:"additionalContext,omitempty"`
}

type cdxOrg struct {
	Name string `json:"name"`
}

type cdxHash struct {
	Alg     string `json:"alg"`
	Content string `json:"content"`
}

type cdxProperty struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

type cyclonedxEncoder struct{}

func (cyclonedxEncoder) Name() string { return "cyclonedx" }

// cdxSerial derives a stable urn:uuid from a SHA-256 (of the BOM's
// content, which includes the APK hash), so two runs over the same build
// with the same rules produce the same BOM: the first 128 bits with the
// version and variant nibbles set (the shape the CycloneDX schema
// requires). Without an APK hash there is no serial number.
func cdxSerial(sha string) string {
	h := strings.ToLower(sha)
	if len(h) < 32 || strings.Trim(h[:32], "0123456789abcdef") != "" {
		return ""
	}
	return fmt.Sprintf("urn:uuid:%s-%s-5%s-8%s-%s", h[0:8], h[8:12], h[13:16], h[17:20], h[20:32])
}

// cdxMavenName bounds what a purl's Maven group or artifact may be.
var cdxMavenName = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]*$`)

// cdxPURL is a Maven purl when the version came from a Gradle
// META-INF/<group>_<artifact>.version file, which names the Maven
// coordinates. Only a dotted group is taken for a Maven group: other
// libraries write files of the same shape under other names
// (kotlinx_coroutines_core.version is org.jetbrains.kotlinx), and a purl
// that names the wrong package is worse than none.
func cdxPURL(source, version string) string {
	if version == "" || !strings.HasPrefix(source, "META-INF/") || !strings.HasSuffix(source, ".version") {
		return ""
	}
	base := strings.TrimSuffix(strings.TrimPrefix(source, "META-INF/"), ".version")
	group, artifact, ok := strings.Cut(base, "_")
	if !ok || !strings.Contains(group, ".") || !cdxMavenName.MatchString(group) || !cdxMavenName.MatchString(artifact) {
		return ""
	}
	return "pkg:maven/" + group + "/" + artifact + "@" + url.PathEscape(version)
}

// cdxRulePURL is the SDK's purl from what its rule knows: a Maven purl
// when an anchor names the Maven group:artifact, else a generic purl of
// the vendor and the rule id, with the version read from the app when
// there is one.
func cdxRulePURL(db *rules.DB, s audit.SDKStatus) string {
	ver := ""
	if s.Version != "" {
		ver = "@" + url.PathEscape(s.Version)
	}
	if db != nil {
		if r, ok := db.SDK(s.ID); ok {
			for _, a := range r.Signatures.Anchors {
				group, artifact, ok := strings.Cut(a, ":")
				if ok && strings.Contains(group, ".") && cdxMavenName.MatchString(group) && cdxMavenName.MatchString(artifact) {
					return "pkg:maven/" + group + "/" + artifact + ver
				}
			}
		}
	}
	ns := s.Vendor
	if !cdxMavenName.MatchString(ns) {
		ns = "sdkaudit"
	}
	if !cdxMavenName.MatchString(s.ID) {
		return ""
	}
	return "pkg:generic/" + ns + "/" + s.ID + ver
}

// cdxConfidence maps a detection's confidence to CycloneDX's 0..1.
func cdxConfidence(c string) float64 {
	switch c {
	case "high":
		return 0.9
	case "medium":
		return 0.6
	}
	return 0.3
}

// cdxEvidenceOf is how and where an SDK was found in the app.
func cdxEvidenceOf(s audit.SDKStatus, field string) *cdxEvidence {
	conf := cdxConfidence(s.Confidence)
	id := cdxIdentity{Field: field, Confidence: conf}
	ev := &cdxEvidence{}
	seen := map[string]bool{}
	for _, e := range s.Evidence {
		technique, loc := "other", e.Where
		switch e.Kind {
		case "dex-prefix", "anchor":
			technique = "binary-analysis"
		case "component", "meta-data", "permission":
			technique, loc = "manifest-analysis", "AndroidManifest.xml"
		case "native-lib", "asset":
			technique = "filename"
		}
		id.Methods = append(id.Methods, cdxMethod{Technique: technique, Confidence: conf, Value: Clean(e.Kind + " " + e.Signature)})
		o := cdxOccurrence{Location: Clean(loc), Symbol: Clean(e.Signature)}
		if loc != e.Where {
			o.AdditionalContext = Clean(e.Where)
		}
		if k := o.Location + "\x00" + o.Symbol + "\x00" + o.AdditionalContext; !seen[k] && o.Location != "" {
			seen[k] = true
			ev.Occurrences = append(ev.Occurrences, o)
		}
	}
	if s.VersionSource != "" {
		ev.Occurrences = append(ev.Occurrences, cdxOccurrence{Location: Clean(s.VersionSource), AdditionalContext: "version file"})
	}
	ev.Identity = []cdxIdentity{id}
	return ev
}

func (cyclonedxEncoder) Encode(w io.Writer, r *audit.Result, opts AuditOptions) error {
	name := r.App.Package
	if name == "" {
		name = path.Base(strings.ReplaceAll(r.App.File, "\\", "/"))
	}
	app := cdxComponent{Type: "application", BOMRef: "app:" + name, Name: name, Version: versionName(r)}
	if r.App.SHA256 != "" {
		app.Hashes = []cdxHash{{Alg: "SHA-256", Content: r.App.SHA256}}
	}
	bom := cdxBOM{
		BOMFormat: "CycloneDX", SpecVersion: "1.6", SerialNumber: cdxSerial(r.App.SHA256), Version: 1,
		Metadata: cdxMetadata{
			Tools:      cdxTools{Components: []cdxComponent{{Type: "application", Name: "sdkaudit", Version: opts.ToolVersion}}},
			Component:  app,
			Properties: []cdxProperty{{Name: "sdkaudit:rules_version", Value: r.RulesVersion}, {Name: "sdkaudit:analysis", Value: r.App.Status}},
		},
		Components: []cdxComponent{},
	}
	for _, s := range r.SDKs {
		c := cdxComponent{Type: "library", BOMRef: "sdk:" + s.ID, Name: s.Name, Version: s.Version, PURL: cdxPURL(s.VersionSource, s.Version)}
		if c.PURL == "" {
			c.PURL = cdxRulePURL(r.Rules, s)
		}
		field := "name"
		if c.PURL != "" {
			field = "purl"
		}
		c.Evidence = cdxEvidenceOf(s, field)
		if c.Name == "" {
			c.Name = s.ID
		}
		if len(s.VendorNames) > 0 {
			c.Supplier = &cdxOrg{Name: s.VendorNames[0]}
		} else if s.Vendor != "" {
			c.Supplier = &cdxOrg{Name: s.Vendor}
		}
		c.Properties = []cdxProperty{
			{Name: "sdkaudit:id", Value: s.ID},
			{Name: "sdkaudit:vendor", Value: s.Vendor},
			{Name: "sdkaudit:category", Value: s.Category},
			{Name: "sdkaudit:kind", Value: s.Kind},
			{Name: "sdkaudit:confidence", Value: s.Confidence},
			{Name: "sdkaudit:declared", Value: strconv.FormatBool(s.Declared)},
		}
		if len(s.Data) > 0 {
			c.Properties = append(c.Properties, cdxProperty{Name: "sdkaudit:data", Value: strings.Join(s.Data, ",")})
		}
		bom.Components = append(bom.Components, c)
	}
	// Two BOMs of one APK differ when the rules, the tool or the policy
	// differ: the serial number is derived from the whole content, so the
	// same content always gets the same serial and different content a
	// different one.
	if bom.SerialNumber != "" {
		if content, err := json.Marshal(bom); err == nil {
			sum := sha256.Sum256(content)
			bom.SerialNumber = cdxSerial(hex.EncodeToString(sum[:]))
		}
	}
	return writeJSON(w, bom, true)
}
