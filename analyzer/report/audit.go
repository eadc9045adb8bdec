package report

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/sdkaudit/sdkaudit/analyzer/audit"
	"github.com/sdkaudit/sdkaudit/analyzer/report/model"
)

// AuditSchemaVersion and DiffSchemaVersion version the audit and diff
// JSON (package model).
const (
	AuditSchemaVersion = model.AuditSchemaVersion
	DiffSchemaVersion  = model.DiffSchemaVersion
)

// AuditOptions carry what reports print besides the result.
type AuditOptions struct {
	ToolVersion string
	// Lang is "en" or "zh" for the human-readable formats.
	Lang string
	// Groups are the channel groups of a batch, for EncodeBatch.
	Groups []audit.ChannelGroup
	// Date is the report's date, printed by the reports for people; zero
	// leaves it out.
	Date time.Time
	// DocsBase is the address of docs/findings.md, for SARIF rules'
	// helpUri; empty leaves helpUri out.
	DocsBase string
}

// AuditEncoder writes an audit result in one format. Encoders only render:
// every decision is already in the Result.
type AuditEncoder interface {
	Name() string
	Encode(w io.Writer, r *audit.Result, opts AuditOptions) error
}

// AuditEncoders is the registry of audit formats, in help-text order.
var AuditEncoders = []AuditEncoder{auditTableEncoder{}, markdownEncoder{}, auditJSONEncoder{}, auditJSONLEncoder{}, sarifEncoder{}, cyclonedxEncoder{}, htmlEncoder{}}

// AuditEncoder finds an audit format by name.
func AuditEncoderByName(name string) (AuditEncoder, error) {
	var names []string
	for _, e := range AuditEncoders {
		if e.Name() == name {
			return e, nil
		}
		names = append(names, e.Name())
	}
	return nil, fmt.Errorf("report: unknown format %q (want one of %s)", name, strings.Join(names, ", "))
}
