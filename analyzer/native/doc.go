// Package native lists the native libraries an APK ships, grouped by ABI.
//
// Only the zip listing is read: library names and placement are what SDK
// signatures and packer markers key on, and reading ELF contents would add
// cost and attack surface without changing those answers.
package native
