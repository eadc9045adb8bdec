//go:build race

package testenv

// Race is set when the tests are built with the race detector.
const Race = true
