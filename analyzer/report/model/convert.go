package model

import (
	"github.com/sdkaudit/sdkaudit/analyzer/audit"
	"github.com/sdkaudit/sdkaudit/analyzer/callgraph"
	"github.com/sdkaudit/sdkaudit/analyzer/dataaccess"
	"github.com/sdkaudit/sdkaudit/analyzer/detect"
	"github.com/sdkaudit/sdkaudit/analyzer/dex"
	"github.com/sdkaudit/sdkaudit/analyzer/inventory"
	"github.com/sdkaudit/sdkaudit/analyzer/manifest"
	"github.com/sdkaudit/sdkaudit/analyzer/native"
)

func fromInventory(in inventory.Inventory) Inventory {
	return Inventory{
		File:           in.File,
		Platform:       in.Platform,
		SHA256:         in.SHA256,
		Size:           in.Size,
		Dex:            fromDex(in.Dex),
		OtherCode:      each(in.OtherCode, fromCodeEntry),
		NativeLibs:     each(in.NativeLibs, fromNativeABI),
		NativeOther:    each(in.NativeOther, fromNativeLib),
		Entries:        in.Entries,
		Status:         in.Status,
		Errors:         each(in.Errors, fromProblem),
		Notes:          each(in.Notes, fromNote),
		HasResources:   in.HasResources,
		VersionFiles:   each(in.VersionFiles, fromVersionFile),
		VersionStrings: each(in.VersionStrings, fromVersionString),
		Format:         in.Format,
		Parts:          each(in.Parts, fromPart),
		IOS:            ptr(in.IOS, fromIOS),
		Manifest:       ptr(in.Manifest, fromManifest),
	}
}

func fromManifest(in manifest.Manifest) Manifest {
	return Manifest{
		Package:             in.Package,
		VersionCode:         ptr(in.VersionCode, fromValue),
		VersionName:         ptr(in.VersionName, fromValue),
		VersionCodeMajor:    ptr(in.VersionCodeMajor, fromValue),
		LongVersionCode:     in.LongVersionCode,
		SharedUserID:        in.SharedUserID,
		Split:               in.Split,
		IsFeatureSplit:      in.IsFeatureSplit,
		MinSDK:              fromSDKLevel(in.MinSDK),
		TargetSDK:           fromSDKLevel(in.TargetSDK),
		MaxSDK:              fromSDKLevel(in.MaxSDK),
		Permissions:         each(in.Permissions, fromUsesPermission),
		DeclaredPermissions: each(in.DeclaredPermissions, fromDeclaredPermission),
		Application:         fromApplication(in.Application),
		Components:          each(in.Components, fromComponent),
		MetaData:            each(in.MetaData, fromMetaData),
		Features:            each(in.Features, fromFeature),
		Libraries:           each(in.Libraries, fromLibrary),
		Queries:             fromQueries(in.Queries),
		Notes:               in.Notes,
	}
}

func fromValue(in manifest.Value) Value {
	return Value{
		Value:     in.Value,
		Reference: in.Reference,
	}
}

func fromSDKLevel(in manifest.SDK) SDKLevel {
	return SDKLevel{
		Declared:  ptr(in.Declared, fromValue),
		Effective: in.Effective,
	}
}

func fromUsesPermission(in manifest.UsesPermission) UsesPermission {
	return UsesPermission{
		Name:                in.Name,
		MaxSDKVersion:       in.MaxSDKVersion,
		SDK23:               in.SDK23,
		Element:             in.Element,
		UsesPermissionFlags: in.UsesPermissionFlags,
	}
}

func fromDeclaredPermission(in manifest.Permission) DeclaredPermission {
	return DeclaredPermission{
		Name:            in.Name,
		ProtectionLevel: in.ProtectionLevel,
		Group:           in.Group,
	}
}

func fromApplication(in manifest.Application) Application {
	return Application{
		Name:                  in.Name,
		Debuggable:            in.Debuggable,
		AllowBackup:           in.AllowBackup,
		UsesCleartextTraffic:  in.UsesCleartextTraffic,
		NetworkSecurityConfig: in.NetworkSecurityConfig,
		HasCode:               in.HasCode,
	}
}

func fromComponent(in manifest.Component) Component {
	return Component{
		Type:           in.Type,
		Name:           in.Name,
		Exported:       in.Exported,
		Enabled:        in.Enabled,
		Process:        in.Process,
		Permission:     in.Permission,
		Authorities:    in.Authorities,
		TargetActivity: in.TargetActivity,
		IntentFilters:  each(in.IntentFilters, fromIntentFilter),
	}
}

func fromIntentFilter(in manifest.IntentFilter) IntentFilter {
	return IntentFilter{
		Actions:    in.Actions,
		Categories: in.Categories,
		Schemes:    in.Schemes,
		Hosts:      in.Hosts,
	}
}

func fromMetaData(in manifest.MetaData) MetaData {
	return MetaData{
		Owner:    in.Owner,
		Name:     in.Name,
		Value:    ptr(in.Value, fromValue),
		Resource: ptr(in.Resource, fromValue),
	}
}

func fromFeature(in manifest.Feature) Feature {
	return Feature{
		Name:        in.Name,
		Required:    in.Required,
		GLESVersion: in.GLESVersion,
	}
}

func fromLibrary(in manifest.Library) Library {
	return Library{
		Name:     in.Name,
		Required: in.Required,
		Native:   in.Native,
	}
}

func fromQueries(in manifest.Queries) Queries {
	return Queries{
		Packages:  in.Packages,
		Intents:   each(in.Intents, fromIntentFilter),
		Providers: in.Providers,
	}
}

func fromDex(in inventory.Dex) Dex {
	return Dex{
		Files:           each(in.Files, fromDexFile),
		ClassesTotal:    in.ClassesTotal,
		ClassesDistinct: in.ClassesDistinct,
		Classes:         in.Classes,
	}
}

func fromDexFile(in inventory.DexFile) DexFile {
	return DexFile{
		Name:    in.Name,
		Size:    in.Size,
		Version: in.Version,
		Classes: in.Classes,
		Loaded:  in.Loaded,
		Error:   in.Error,
		Code:    ptr(in.Code, fromCodeStats),
	}
}

func fromCodeStats(in dex.CodeStats) CodeStats {
	return CodeStats{
		Classes:      in.Classes,
		Methods:      in.Methods,
		CodeItems:    in.CodeItems,
		CodeUnits:    in.CodeUnits,
		Instructions: in.Instructions,
		Failed:       in.Failed,
	}
}

func fromCodeEntry(in inventory.CodeEntry) CodeEntry {
	return CodeEntry{
		Path:  in.Path,
		Kind:  in.Kind,
		Size:  in.Size,
		Dex:   each(in.Dex, fromDexFile),
		Error: in.Error,
	}
}

func fromNativeABI(in native.ABI) NativeABI {
	return NativeABI{
		ABI:  in.ABI,
		Libs: each(in.Libs, fromNativeLib),
	}
}

func fromNativeLib(in native.Lib) NativeLib {
	return NativeLib{
		Name: in.Name,
		Path: in.Path,
		Size: in.Size,
	}
}

func fromProblem(in inventory.Problem) Problem {
	return Problem{
		Stage:   in.Stage,
		Path:    in.Path,
		Message: in.Message,
	}
}

func fromNote(in inventory.Note) Note {
	return Note{
		Stage:   in.Stage,
		Code:    in.Code,
		Message: in.Message,
	}
}

func fromVersionFile(in inventory.VersionFile) VersionFile {
	return VersionFile{
		Path:     in.Path,
		Group:    in.Group,
		Artifact: in.Artifact,
		Version:  in.Version,
	}
}

func fromVersionString(in inventory.VersionString) VersionString {
	return VersionString{
		Kind:    in.Kind,
		Path:    in.Path,
		Class:   in.Class,
		Field:   in.Field,
		Lib:     in.Lib,
		Version: in.Version,
	}
}

func fromPart(in inventory.PartInfo) Part {
	return Part{
		Path:    in.Path,
		Module:  in.Module,
		Split:   in.Split,
		Kind:    in.Kind,
		Entries: in.Entries,
	}
}

func fromIOS(in inventory.IOS) IOS {
	return IOS{
		Bundle:            in.Bundle,
		Executable:        in.Executable,
		Name:              in.Name,
		MinimumOS:         in.MinimumOS,
		UsageDescriptions: each(in.UsageDescriptions, fromUsageDescription),
		QueriesSchemes:    in.QueriesSchemes,
		URLSchemes:        in.URLSchemes,
		BackgroundModes:   in.BackgroundModes,
		Entitlements:      each(in.Entitlements, fromEntitlement),
		PlistKeys:         in.PlistKeys,
		Binaries:          each(in.Binaries, fromBinary),
		Frameworks:        each(in.Frameworks, fromFramework),
		PrivacyManifests:  each(in.PrivacyManifests, fromPrivacyManifest),
		Resources:         in.Resources,
	}
}

func fromUsageDescription(in inventory.UsageDescription) UsageDescription {
	return UsageDescription{
		Key:     in.Key,
		Purpose: in.Purpose,
		Bundle:  in.Bundle,
	}
}

func fromEntitlement(in inventory.Entitlement) Entitlement {
	return Entitlement{
		Key:   in.Key,
		Value: in.Value,
	}
}

func fromBinary(in inventory.Binary) Binary {
	return Binary{
		Path:    in.Path,
		Kind:    in.Kind,
		Owner:   in.Owner,
		Size:    in.Size,
		Classes: in.Classes,
		Error:   in.Error,
		MachO:   ptr(in.MachO, fromMachO),
	}
}

func fromMachO(in native.MachO) MachO {
	return MachO{
		Archs:     in.Archs,
		Slice:     in.Slice,
		Type:      in.Type,
		MinOS:     in.MinOS,
		Encrypted: in.Encrypted,
		Libraries: in.Libraries,
		Notes:     in.Notes,
	}
}

func fromFramework(in inventory.Framework) Framework {
	return Framework{
		Name:            in.Name,
		Path:            in.Path,
		Kind:            in.Kind,
		BundleID:        in.BundleID,
		Version:         in.Version,
		PrivacyManifest: in.PrivacyManifest,
	}
}

func fromPrivacyManifest(in inventory.PrivacyManifest) PrivacyManifest {
	return PrivacyManifest{
		Path:            in.Path,
		Owner:           in.Owner,
		Tracking:        in.Tracking,
		TrackingDomains: in.TrackingDomains,
		CollectedData:   each(in.CollectedData, fromCollectedData),
		AccessedAPIs:    each(in.AccessedAPIs, fromAccessedAPI),
	}
}

func fromCollectedData(in inventory.CollectedData) CollectedData {
	return CollectedData{
		Type:     in.Type,
		Linked:   in.Linked,
		Tracking: in.Tracking,
		Purposes: in.Purposes,
	}
}

func fromAccessedAPI(in inventory.AccessedAPI) AccessedAPI {
	return AccessedAPI{
		Type:    in.Type,
		Reasons: in.Reasons,
	}
}

func fromSDK(in detect.Detection) SDK {
	return SDK{
		ID:            in.ID,
		Name:          in.Name,
		NameZH:        in.NameZH,
		Vendor:        in.Vendor,
		Category:      in.Category,
		Kind:          in.Kind,
		Confidence:    in.Confidence,
		Via:           in.Via,
		Version:       in.Version,
		VersionSource: in.VersionSource,
		Evidence:      each(in.Evidence, fromEvidence),
		Permissions:   in.Permissions,
		TraceReason:   in.TraceReason,
	}
}

func fromEvidence(in detect.Evidence) Evidence {
	return Evidence{
		Kind:      in.Kind,
		Signature: in.Signature,
		Where:     in.Where,
		Classes:   in.Classes,
		Trace:     in.Trace,
	}
}

func fromDataAccess(in dataaccess.Result) DataAccess {
	return DataAccess{
		Note:         in.Note,
		Owners:       each(in.Owners, fromDataOwner),
		Methods:      in.Methods,
		Instructions: in.Instructions,
		Incomplete:   in.Incomplete,
		Reachability: ptr(in.Reachability, fromReachability),
	}
}

func fromDataOwner(in dataaccess.Owner) DataOwner {
	return DataOwner{
		ID:         in.ID,
		Kind:       in.Kind,
		Name:       in.Name,
		Vendor:     in.Vendor,
		Categories: each(in.Categories, fromDataCategory),
	}
}

func fromDataCategory(in dataaccess.Category) DataCategory {
	return DataCategory{
		ID:           in.ID,
		Name:         in.Name,
		NameZH:       in.NameZH,
		APIs:         each(in.APIs, fromAPIUse),
		Permissions:  in.Permissions,
		Restricted:   in.Restricted,
		SitesTotal:   in.SitesTotal,
		CallSites:    each(in.CallSites, fromCallSite),
		Reach:        in.Reach,
		StartupSites: in.StartupSites,
	}
}

func fromAPIUse(in dataaccess.APIUse) APIUse {
	return APIUse{
		ID:            in.ID,
		Kind:          in.Kind,
		Ref:           in.Ref,
		Permission:    in.Permission,
		WorksUntilAPI: in.WorksUntilAPI,
		Restricted:    in.Restricted,
		Sites:         in.Sites,
	}
}

func fromCallSite(in dataaccess.Site) CallSite {
	return CallSite{
		Class:     in.Class,
		Method:    in.Method,
		API:       in.API,
		Dex:       in.Dex,
		Reach:     in.Reach,
		Path:      in.Path,
		AsyncHops: in.AsyncHops,
	}
}

func fromReachability(in dataaccess.Reachability) Reachability {
	return Reachability{
		Classes:        in.Stats.Classes,
		Methods:        in.Stats.Methods,
		StartupEntries: in.Stats.StartupEntries,
		Entries:        in.Stats.Entries,
		StartupMethods: in.Stats.StartupMethods,
		Reachable:      in.Stats.Reachable,
		Steps:          in.Stats.Steps,
		Passes:         in.Stats.Passes,
		Complete:       in.Stats.Complete,
		Note:           in.Note,
	}
}

func fromStats(in callgraph.Stats) Stats {
	return Stats{
		Classes:        in.Classes,
		Methods:        in.Methods,
		StartupEntries: in.StartupEntries,
		Entries:        in.Entries,
		StartupMethods: in.StartupMethods,
		Reachable:      in.Reachable,
		Steps:          in.Steps,
		Passes:         in.Passes,
		Complete:       in.Complete,
	}
}

func fromFinding(in audit.Finding) Finding {
	return Finding{
		Rule:           in.Rule,
		Kind:           string(in.Kind),
		Severity:       string(in.Severity),
		Subject:        fromSubject(in.Subject),
		Message:        in.Message,
		MessageZH:      in.MessageZH,
		AppEvidence:    in.AppEvidence,
		PolicyEvidence: in.PolicyEvidence,
		AttributedTo:   in.AttributedTo,
		Basis:          string(in.Basis),
		Fix:            in.Fix,
		FixZH:          in.FixZH,
		Fingerprint:    in.Fingerprint,
		Suppressed:     in.Suppressed,
		SuppressedBy:   in.SuppressedBy,
	}
}

func fromSubject(in audit.Subject) Subject {
	return Subject{
		SDK:        ptr(in.SDK, fromSDKRef),
		Permission: in.Permission,
		ThirdParty: in.ThirdParty,
		Data:       in.Data,
		Component:  in.Component,
	}
}

func fromSDKRef(in audit.SDKRef) SDKRef {
	return SDKRef{
		ID:       in.ID,
		Name:     in.Name,
		NameZH:   in.NameZH,
		Vendor:   in.Vendor,
		Category: in.Category,
	}
}

func fromAuditSDK(in audit.SDKStatus) AuditSDK {
	return AuditSDK{
		SDK:          fromSDK(in.Detection),
		Declared:     in.Declared,
		DeclaredHow:  in.DeclaredHow,
		VendorNames:  in.VendorNames,
		PolicyURL:    in.PolicyURL,
		Data:         in.Data,
		DataNames:    in.DataNames,
		DataNamesZH:  in.DataNamesZH,
		ObservedData: in.ObservedData,
	}
}

func fromChanges(in audit.Changes) Changes {
	return Changes{
		OldFile:            in.OldFile,
		AddedSDKs:          in.AddedSDKs,
		RemovedSDKs:        in.RemovedSDKs,
		AddedPermissions:   in.AddedPermissions,
		RemovedPermissions: in.RemovedPermissions,
		AddedDataAccess:    in.AddedDataAccess,
		RemovedDataAccess:  in.RemovedDataAccess,
		AddedStartup:       in.AddedStartup,
	}
}

func fromChannelGroup(in audit.ChannelGroup) ChannelGroup {
	return ChannelGroup{
		Package:           in.Package,
		VersionCode:       in.VersionCode,
		ChannelKeys:       in.ChannelKeys,
		CommonSDKs:        in.CommonSDKs,
		CommonPermissions: in.CommonPermissions,
		CommonFindings:    each(in.CommonFindings, fromFinding),
		Builds:            each(in.Builds, fromChannelBuild),
	}
}

func fromChannelBuild(in audit.ChannelBuild) ChannelBuild {
	return ChannelBuild{
		File:             in.File,
		Channel:          in.Channel,
		ExtraSDKs:        in.ExtraSDKs,
		ExtraPermissions: in.ExtraPermissions,
		SpecificFindings: each(in.SpecificFindings, fromFinding),
	}
}
