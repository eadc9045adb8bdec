// Package testenv is what tests ask before they use something the
// repository does not hold: the third-party corpus laid beside the clone
// (../shared), an oracle tool installed on the machine, a module from the
// module cache. Elsewhere a test may skip when such an input is missing,
// but with CI=true it fails, so a green CI run never means "skipped".
//
// It also scales the hang guards of tests (a limit on wall time that only
// a hang should reach) for the race detector and loaded machines.
package testenv
