// Package native lists the native libraries an APK ships, grouped by ABI.
//
// Only the zip listing is read: library names and placement are what SDK
// signatures and packer markers key on, and reading ELF contents would add
// cost and attack surface without changing those answers.
//
// For iOS apps, ReadMachO reads one Mach-O file, thin or fat, with
// debug/macho: linked dylibs, minimum OS, encryption, entitlements from the
// code signature, and the Objective-C and Swift class names of
// __objc_classname and __objc_classlist. Class names are what SDK
// signatures key on there, since iOS SDKs are often linked statically
// into the executable; an encrypted file gives its load commands only.
package native
