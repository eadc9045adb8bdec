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
