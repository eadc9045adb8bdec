// Command sdkaudit audits an Android app build against the app's own
// privacy policy. This package is only the command-line wiring: flags become
// options for the analyzer packages, and errors become exit codes (see
// exit.go); all analysis lives under analyzer/.
package main
